//! The built site: every page linked, every link resolving to a file, nothing from the network; and the build's
//! promises: determinism, hand edits kept, failed builds leaving everything as it was, incremental = cold.

mod cli;
mod links;

use crate::common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`: relative path → bytes. The build caches in the output folder are left out: they record
/// content files' modification times, which differ from one build folder to the next.
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let caches = [digest::output::KEYS, digest::output::SEEDS, digest::content::PARSED].map(|name| dir.join(name));
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file() && !caches.iter().any(|c| c == e.path()))
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Asserts two trees hold the same files with the same bytes, naming the first difference.
pub fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    let names = |t: &BTreeMap<PathBuf, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb), "{} and {} hold different files", a.display(), b.display());
    for (path, bytes) in &ta {
        assert!(tb[path] == *bytes, "{} differs between {} and {}", path.display(), a.display(), b.display());
    }
    assert!(!ta.is_empty(), "{} is empty", a.display());
}

fn html_pages(out: &Path) -> Vec<(PathBuf, String)> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, String::from_utf8(bytes).unwrap()))
        .collect()
}

/// Asserts every link, asset and form action of every page in `out` resolves to a file; returns how many there are.
pub fn assert_links_resolve(out: &Path) -> usize {
    let mut checked = 0;
    for (page, html) in html_pages(out) {
        for reference in links::references(&html) {
            let target = links::resolve(out, &page, &reference)
                .unwrap_or_else(|e| panic!("{}: {reference:?}: {e}", page.display()));
            assert!(target.is_file(), "{}: {reference:?} points at {}, not a file", page.display(), target.display());
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_link_and_asset_resolves_to_a_file() {
    let checked = assert_links_resolve(&common::seeds_built().out);
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn nothing_is_loaded_from_the_network_and_every_page_is_chinese() {
    for (page, html) in html_pages(&common::seeds_built().out) {
        assert!(html.contains(r#"<html lang="zh-CN">"#), "{}", page.display());
        for reference in links::references(&html) {
            assert!(!links::is_remote(&reference), "{}: {reference}", page.display());
        }
    }
}

#[test]
fn index_pages_link_every_theme_author_and_metric_page() {
    let out = &common::seeds_built().out;
    let linked_from = |index: &str| -> Vec<PathBuf> {
        let html = std::fs::read_to_string(out.join(index)).unwrap();
        let page = Path::new(index);
        links::references(&html).iter().map(|r| links::resolve(out, page, r).unwrap()).collect()
    };
    let files_in = |folder: &str| -> Vec<PathBuf> {
        tree(&out.join(folder))
            .into_keys()
            .filter(|p| p != Path::new("index.html"))
            .map(|p| out.join(folder).join(p))
            .collect()
    };
    for folder in ["themes", "authors", "metrics"] {
        let linked = linked_from(&format!("{folder}/index.html"));
        let first_pages: Vec<PathBuf> = files_in(folder).into_iter().filter(|p| !links::is_later_page(p)).collect();
        for page in &first_pages {
            assert!(linked.contains(page), "{folder}/index.html does not link {}", page.display());
        }
    }
    let home = linked_from("index.html");
    for index in ["themes/index.html", "authors/index.html", "metrics/index.html", "search.html"] {
        assert!(home.contains(&out.join(index)), "home does not link {index}");
    }
    assert!(!files_in("themes").is_empty(), "the seeds give no theme pages");
}

#[test]
fn every_article_has_a_page_linked_from_the_archive() {
    let built = common::seeds_built();
    let stems: Vec<String> = tree(&built.content)
        .into_keys()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(!stems.is_empty());
    let archive: String =
        tree(&built.out.join("archive")).into_values().map(|b| String::from_utf8(b).unwrap()).collect();
    for stem in stems {
        assert!(built.out.join(format!("articles/{stem}.html")).is_file(), "{stem}");
        assert!(archive.contains(&format!(r#"href="../articles/{stem}.html""#)), "archive misses {stem}");
    }
}

#[test]
fn gold_articles_have_pages_with_their_titles() {
    let out = &common::seeds_built().out;
    let pages: Vec<String> = html_pages(&out.join("articles")).into_iter().map(|(_, html)| html).collect();
    for row in common::read_tsv("articles.tsv") {
        let title = row[1].as_str();
        if title.is_empty() {
            continue;
        }
        let heading = format!("<h1>{}", title.replace('"', "&quot;"));
        assert!(pages.iter().any(|html| html.contains(&heading)), "no article page titled {title}");
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out) = (dir.path().join("content"), dir.path().join("public"));
    digest::build::build(&common::options(&common::repo().join("seeds"), &content, &out)).unwrap();
    let first = common::seeds_built();
    assert_same_tree(&first.content, &content);
    assert_same_tree(&first.out, &out);
    digest::build::build(&common::options(&common::repo().join("seeds"), &content, &out)).unwrap();
    assert_same_tree(&first.content, &content);
    assert_same_tree(&first.out, &out);
}
