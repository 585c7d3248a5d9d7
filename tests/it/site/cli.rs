//! The `digest build` command run as a user runs it, in a scratch copy of the repository's seeds.

use super::{assert_same_tree, tree};
use crate::common;
use std::path::{Path, PathBuf};
use std::process::Output;

/// A scratch folder with a copy of the bundled seeds under `seeds/`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("seeds")).unwrap();
    for (name, bytes) in tree(&common::repo().join("seeds")) {
        std::fs::write(dir.path().join("seeds").join(name), bytes).unwrap();
    }
    dir
}

/// Runs `digest build ARGS` in `dir` with the repository's theme, as CI would (no terminal, CI set).
fn build(dir: &Path, args: &[&str]) -> Output {
    let theme = common::repo().join("themes/default");
    std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .current_dir(dir)
        .env("CI", "true")
        .arg("build")
        .arg("--theme")
        .arg(theme)
        .args(args)
        .output()
        .unwrap()
}

fn succeed(dir: &Path, args: &[&str]) -> String {
    let output = build(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "digest build {args:?} failed: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

/// The first generated content file.
fn first_article(dir: &Path) -> (String, PathBuf) {
    let name = tree(&dir.join("content")).into_keys().find(|p| p.extension().is_some_and(|e| e == "md")).unwrap();
    let stem = name.file_stem().unwrap().to_string_lossy().into_owned();
    (stem, dir.join("content").join(name))
}

fn read(path: impl AsRef<Path>) -> String {
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn prints_a_summary_and_nothing_when_quiet() {
    let dir = project();
    let stdout = succeed(dir.path(), &[]);
    for word in
        ["built ", " articles: ", " themes, ", " authors, ", " metrics ", " warnings, ", " hand edits kept", "s\n"]
    {
        assert!(stdout.contains(word), "{word:?} missing from {stdout}");
    }
    assert_eq!(succeed(dir.path(), &["--quiet"]), "");
}

#[test]
fn keeps_hand_edits_says_so_and_regenerates_on_request() {
    let dir = project();
    succeed(dir.path(), &[]);
    let (stem, path) = first_article(dir.path());
    let generated = read(&path);
    let edited = generated.replacen("\ntitle: ", "\ntitle: 手改", 1) + "\n编者按：此处经人工校对。\n";
    std::fs::write(&path, &edited).unwrap();

    let stdout = succeed(dir.path(), &[]);
    assert!(stdout.contains(&format!("kept hand edit: content/{stem}.md (--regenerate overwrites it)\n")), "{stdout}");
    assert!(stdout.contains(" 1 hand edits kept"), "{stdout}");
    assert_eq!(read(&path), edited);
    let page = read(dir.path().join(format!("public/articles/{stem}.html")));
    assert!(page.contains("编者按：此处经人工校对。") && page.contains("<h1>手改"), "{page}");

    let stdout = succeed(dir.path(), &["--regenerate"]);
    assert!(!stdout.contains("kept hand edit"), "{stdout}");
    assert_eq!(read(&path), generated);
    assert!(!read(dir.path().join(format!("public/articles/{stem}.html"))).contains("编者按"));
}

#[test]
fn renders_maintainers_own_articles_and_removes_only_unedited_orphans() {
    let dir = project();
    succeed(dir.path(), &[]);
    let own = "---\ntitle: 编辑部自撰\nthemes: [人才]\n---\n\n自撰正文。\n";
    std::fs::write(dir.path().join("content/zz-own.md"), own).unwrap();
    let seeds: Vec<PathBuf> = tree(&dir.path().join("seeds")).into_keys().collect();
    let stems = |seed: &Path| -> Vec<PathBuf> {
        let prefix = seed.file_stem().unwrap().to_string_lossy().into_owned();
        tree(&dir.path().join("content")).into_keys().filter(|p| p.to_string_lossy().starts_with(&prefix)).collect()
    };
    let (edited, untouched) = (stems(&seeds[0]), stems(&seeds[1]));
    assert!(!edited.is_empty() && !untouched.is_empty());
    let edited_path = dir.path().join("content").join(&edited[0]);
    std::fs::write(&edited_path, read(&edited_path) + "\n补记。\n").unwrap();
    for seed in &seeds[..2] {
        std::fs::remove_file(dir.path().join("seeds").join(seed)).unwrap();
    }

    let stdout = succeed(dir.path(), &[]);
    assert!(stdout.contains("its seed no longer produces it"), "{stdout}");
    assert!(edited_path.exists(), "a hand-edited orphan was removed");
    for path in &untouched {
        assert!(!dir.path().join("content").join(path).exists(), "{} was not removed", path.display());
    }
    assert!(read(dir.path().join("public/articles/zz-own.html")).contains("自撰正文。"));
    assert_eq!(read(dir.path().join("content/zz-own.md")), own);
}

#[test]
fn broken_front_matter_fails_with_path_and_line_and_leaves_everything_untouched() {
    let dir = project();
    succeed(dir.path(), &[]);
    std::fs::write(dir.path().join("content/zz-broken.md"), "---\ntitle: 坏稿\nkind: essay\n---\n\n正文。\n").unwrap();
    let (content, public) = (tree(&dir.path().join("content")), tree(&dir.path().join("public")));
    let seed = dir.path().join("seeds").join(tree(&dir.path().join("seeds")).into_keys().next().unwrap());
    std::fs::write(&seed, read(&seed) + "\n新增的一段。\n").unwrap();

    let output = build(dir.path(), &[]);
    assert!(!output.status.success());
    let expected = "error: content/zz-broken.md:3: kind: unknown variant `essay`, expected one of `commentary`, \
                    `interview`, `news`, `brief`, `sidebar`, `continuation`, `report`\n";
    assert_eq!(String::from_utf8_lossy(&output.stderr), expected);
    assert!(tree(&dir.path().join("content")) == content, "content/ changed");
    assert!(tree(&dir.path().join("public")) == public, "public/ changed");
    assert!(!dir.path().join("public.tmp").exists());
}

#[test]
fn incremental_rebuild_equals_a_cold_build() {
    let warm = project();
    succeed(warm.path(), &[]);
    let seed = tree(&warm.path().join("seeds")).into_keys().nth(2).unwrap();
    let changed = read(warm.path().join("seeds").join(&seed)) + "\n据统计，全年新增企业120家。\n";
    std::fs::write(warm.path().join("seeds").join(&seed), &changed).unwrap();
    let stdout = succeed(warm.path(), &[]);
    assert!(stdout.contains("seeds 1 imported, 4 unchanged"), "{stdout}");

    let cold = project();
    std::fs::write(cold.path().join("seeds").join(&seed), &changed).unwrap();
    succeed(cold.path(), &[]);
    assert_same_tree(&warm.path().join("content"), &cold.path().join("content"));
    assert_same_tree(&warm.path().join("public"), &cold.path().join("public"));
}

#[test]
fn a_sidecar_dates_its_page_gives_it_an_issue_page_and_a_changed_one_imports_the_page_again() {
    let dir = project();
    let seed = tree(&dir.path().join("seeds")).into_keys().nth(1).unwrap();
    let sidecar = dir.path().join("seeds").join(seed.with_extension("yaml"));
    std::fs::write(&sidecar, "date: 2025-06-12\n").unwrap();
    succeed(dir.path(), &[]);
    let (dated, undated): (Vec<_>, Vec<_>) = tree(&dir.path().join("content"))
        .into_iter()
        .filter(|(path, _)| path.extension().is_some_and(|e| e == "md"))
        .partition(|(_, bytes)| String::from_utf8_lossy(bytes).contains("\ndate: 2025-06-12\n"));
    let stem = seed.file_stem().unwrap().to_string_lossy().into_owned();
    assert!(!dated.is_empty() && dated.iter().all(|(path, _)| path.to_string_lossy().starts_with(&stem)));
    assert!(undated.iter().all(|(_, bytes)| String::from_utf8_lossy(bytes).contains("\ndate: null\n")));
    let page = read(dir.path().join("public/articles").join(dated[0].0.with_extension("html")));
    assert!(page.contains(r#"<a href="../dates/2025-06-12.html"><time datetime="2025-06-12">"#), "{page}");
    let issue = read(dir.path().join("public/dates/2025-06-12.html"));
    assert_eq!(issue.matches("../articles/").count(), dated.len(), "{issue}");
    super::assert_links_resolve(&dir.path().join("public"));

    std::fs::write(&sidecar, "date: 2025-06-13\n").unwrap();
    let stdout = succeed(dir.path(), &[]);
    assert!(stdout.contains("seeds 1 imported, 4 unchanged"), "{stdout}");
    let cold = project();
    std::fs::write(cold.path().join("seeds").join(seed.with_extension("yaml")), "date: 2025-06-13\n").unwrap();
    succeed(cold.path(), &[]);
    assert_same_tree(&dir.path().join("content"), &cold.path().join("content"));
    assert_same_tree(&dir.path().join("public"), &cold.path().join("public"));

    let (content, public) = (tree(&dir.path().join("content")), tree(&dir.path().join("public")));
    std::fs::write(&sidecar, "# 期次\ndate: 2025-06-31\n").unwrap();
    let output = build(dir.path(), &[]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let name = seed.with_extension("yaml");
    let expected =
        format!("error: seeds/{}: line 2: date `2025-06-31` is not a date written YYYY-MM-DD\n", name.display());
    assert_eq!(stderr, expected);
    assert!(tree(&dir.path().join("content")) == content && tree(&dir.path().join("public")) == public);
}

#[test]
fn the_cache_is_safe_to_delete() {
    let dir = project();
    succeed(dir.path(), &[]);
    let (content, public) = (tree(&dir.path().join("content")), tree(&dir.path().join("public")));
    std::fs::remove_file(dir.path().join("content").join(digest::content::MANIFEST)).unwrap();
    for entry in std::fs::read_dir(dir.path().join("public")).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with(".digest-") {
            std::fs::remove_file(path).unwrap();
        }
    }
    let stdout = succeed(dir.path(), &[]);
    assert!(stdout.contains("seeds 5 imported") && stdout.contains(" 0 hand edits kept"), "{stdout}");
    assert!(tree(&dir.path().join("content")) == content && tree(&dir.path().join("public")) == public);
}

#[test]
fn help_explains_every_flag_with_an_example() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_digest")).args(["build", "--help"]).output().unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in ["--seeds", "--content", "--out", "--theme", "--regenerate", "--quiet", "--lexicon"] {
        let line = help
            .lines()
            .skip_while(|l| !(l.trim_start().starts_with('-') && l.contains(flag)))
            .take(4)
            .collect::<String>();
        assert!(line.contains("Example"), "{flag} has no example in:\n{help}");
    }
}

#[test]
fn a_rebuild_without_changes_imports_writes_and_renders_nothing() {
    let dir = project();
    succeed(dir.path(), &[]);
    let before = tree(&dir.path().join("public"));
    let stdout = succeed(dir.path(), &[]);
    assert!(stdout.contains("seeds 0 imported, 5 unchanged; content 0 written, 0 removed;"), "{stdout}");
    assert!(stdout.contains("(0 pages rendered)"), "{stdout}");
    assert!(tree(&dir.path().join("public")) == before);
}

#[test]
fn a_render_error_leaves_the_previous_site_and_no_temporary_folder() {
    let dir = project();
    succeed(dir.path(), &[]);
    let public = tree(&dir.path().join("public"));
    let theme = dir.path().join("theme");
    for (path, bytes) in tree(&common::repo().join("themes/default")) {
        std::fs::create_dir_all(theme.join(&path).parent().unwrap()).unwrap();
        std::fs::write(theme.join(path), bytes).unwrap();
    }
    std::fs::write(
        theme.join("templates/theme.html"),
        "{% extends \"base.html\" %}{% block content %}{{ missing.field }}{% endblock content %}",
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_digest"))
        .current_dir(dir.path())
        .args(["build", "--theme", "theme"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.starts_with("error: rendering themes/t-") && stderr.contains("missing.field"), "{stderr}");
    assert!(tree(&dir.path().join("public")) == public, "public/ changed");
    assert!(!dir.path().join("public.tmp").exists());
}
