//! The small fixture site (`tests/fixtures/search/content/`, built as hand-written articles) searched in headless
//! Chromium: each query of `tests/fixtures/search/fixture_queries.tsv` must give exactly its articles, in order.

use crate::common::{options, read_tsv, repo};

#[test]
fn fixture_queries_give_exactly_the_expected_articles_in_order() {
    if !crate::search::tool_available("node", "fixture search")
        || !crate::search::tool_available("chromium", "fixture search")
    {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (seeds, content, out) = (dir.path().join("seeds"), dir.path().join("content"), dir.path().join("public"));
    std::fs::create_dir_all(&seeds).unwrap();
    std::fs::create_dir_all(&content).unwrap();
    for entry in std::fs::read_dir(repo().join("tests/fixtures/search/content")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, content.join(path.file_name().unwrap())).unwrap();
    }
    digest::build::build(&options(&seeds, &content, &out)).expect("fixture site builds");
    let rows = read_tsv("search/fixture_queries.tsv");
    let queries: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    let base = format!("file://{}/", out.canonicalize().unwrap().display());
    let results = super::run_node("search_results.js", &base, &queries);
    for (row, result) in rows.iter().zip(&results) {
        let want: Vec<&str> = row[1].split_whitespace().collect();
        let got = super::stems(result);
        assert_eq!(got, want, "query {:?} ({})", row[0], row[2]);
    }
    println!("fixture site: {} queries give exactly their articles", rows.len());
}
