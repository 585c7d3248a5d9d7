//! The index of a small fixture site (`tests/fixtures/search/content/`) is committed under
//! `tests/fixtures/search/index/` and must not change unnoticed; building it twice gives the same bytes.
//! After an intended change, regenerate with `UPDATE_SNAPSHOTS=1 cargo test --test it snapshot`.

use crate::common::repo;
use digest::article::Article;
use digest::site::{OutputFile, Site};
use std::path::Path;

fn fixture_site() -> Site {
    let dir = repo().join("tests/fixtures/search/content");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let articles = paths
        .iter()
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy();
            Article::from_markdown(&stem, &std::fs::read_to_string(p).unwrap()).expect("fixture article parses")
        })
        .collect();
    Site::new(articles)
}

fn snapshot_dir() -> std::path::PathBuf {
    repo().join("tests/fixtures/search/index")
}

fn write_snapshot(files: &[OutputFile]) {
    let dir = snapshot_dir();
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    for file in files {
        let path = dir.join(file.path.strip_prefix("search").unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.bytes).unwrap();
    }
}

fn snapshot_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn fixture_index_matches_committed_snapshot_and_is_deterministic() {
    let site = fixture_site();
    let mut files = digest::search::build_index(&site, "snapshot");
    assert_eq!(files, digest::search::build_index(&fixture_site(), "snapshot"), "two builds differ");
    // The rebuild cache holds a hash of the search code, so it changes with every edit; it is not for the page.
    files.retain(|f| f.path.starts_with("search"));
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        write_snapshot(&files);
    }
    let dir = snapshot_dir();
    let mut built: Vec<String> =
        files.iter().map(|f| f.path.strip_prefix("search").unwrap().to_string_lossy().to_string()).collect();
    built.sort();
    assert_eq!(built, snapshot_files(&dir), "index file list changed");
    for file in &files {
        let expected = std::fs::read(dir.join(file.path.strip_prefix("search").unwrap())).unwrap();
        assert!(expected == file.bytes, "{} changed:\n{}", file.path.display(), String::from_utf8_lossy(&file.bytes));
    }
}
