//! The bundled seeds' generated `content/*.md` against a committed snapshot (`tests/fixtures/seeds-content/`), file
//! by file, so an importer change that reads a seed differently fails here and shows the changed lines. After an
//! intended change, refresh the snapshot with `UPDATE_SNAPSHOTS=1 cargo test seeds_content` and review its diff.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use crate::common::{repo, seeds_built};

/// The `.md` file names in `dir`, sorted.
fn markdown_files(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".md"))
        .collect()
}

/// The first lines where `want` and `got` differ, as `-`/`+` pairs with their line numbers.
fn first_differences(want: &str, got: &str) -> String {
    let (want, got): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    let mut out = Vec::new();
    for i in 0..want.len().max(got.len()) {
        let (w, g) = (want.get(i).copied(), got.get(i).copied());
        if w != g {
            out.push(format!("  line {}:\n    - {}\n    + {}", i + 1, w.unwrap_or("<none>"), g.unwrap_or("<none>")));
        }
        if out.len() == 5 {
            break;
        }
    }
    out.join("\n")
}

/// Copies the generated content over the snapshot (files no longer generated are removed).
fn update_snapshot(generated: &Path, snapshot: &Path) {
    fs::create_dir_all(snapshot).unwrap();
    for name in markdown_files(snapshot) {
        fs::remove_file(snapshot.join(name)).unwrap();
    }
    for name in markdown_files(generated) {
        fs::copy(generated.join(&name), snapshot.join(&name)).unwrap();
    }
}

#[test]
fn seeds_content_matches_the_committed_snapshot() {
    let generated = &seeds_built().content;
    let snapshot = repo().join("tests/fixtures/seeds-content");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        update_snapshot(generated, &snapshot);
        return;
    }
    let (want, got) = (markdown_files(&snapshot), markdown_files(generated));
    let mut problems: Vec<String> = Vec::new();
    problems.extend(want.difference(&got).map(|n| format!("{n}: in the snapshot, no longer generated")));
    problems.extend(got.difference(&want).map(|n| format!("{n}: generated, not in the snapshot")));
    for name in want.intersection(&got) {
        let w = fs::read_to_string(snapshot.join(name)).unwrap();
        let g = fs::read_to_string(generated.join(name)).unwrap();
        if w != g {
            problems.push(format!("{name} differs (- snapshot, + generated):\n{}", first_differences(&w, &g)));
        }
    }
    assert!(
        problems.is_empty(),
        "the seeds' content differs from tests/fixtures/seeds-content/ (if intended: UPDATE_SNAPSHOTS=1 cargo test \
         seeds_content, then review the diff):\n{}",
        problems.join("\n")
    );
}

/// A build keeps the importer's articles instead of parsing back the files it just wrote, so the two must agree:
/// every article of the seeds and of the layout fixtures reads back from its Markdown exactly as it was made.
#[test]
fn imported_articles_read_back_from_their_markdown_unchanged() {
    use digest::{article::Article, import::import_page, lexicon::Lexicon, seed::SeedPage};
    let lexicon = Lexicon::built_in();
    let folders = [repo().join("seeds"), repo().join("tests/fixtures/layouts")];
    let mut checked = 0;
    for path in folders.iter().flat_map(|dir| fs::read_dir(dir).unwrap()).map(|e| e.unwrap().path()) {
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = digest::seed::decode(&fs::read(&path).unwrap()).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        for mut article in import_page(&SeedPage { name, text }, &lexicon) {
            let read = Article::from_markdown(&article.stem, &article.to_markdown()).unwrap();
            article.body = article.body.trim().to_string();
            assert_eq!(read, article, "{}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 22, "only {checked} articles checked");
}
