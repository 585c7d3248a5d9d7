//! The Rust tokenizer and the page's JavaScript tokenizer agree on every case of
//! `tests/fixtures/search/tokenizer_cases.txt` (tokens and the text the final check compares).

use crate::common::repo;
use digest::search::tokenize::{normalize_for_match, tokenize};
use std::process::Command;

fn unescape(line: &str) -> String {
    let mut out = line.replace("\\t", "\t");
    while let Some(start) = out.find("\\u{") {
        let end = start + out[start..].find('}').expect("closing brace of \\u{…}");
        let c = char::from_u32(u32::from_str_radix(&out[start + 3..end], 16).unwrap()).unwrap();
        out.replace_range(start..=end, &c.to_string());
    }
    out
}

#[test]
fn rust_and_javascript_tokenizers_agree_on_every_case() {
    if !super::tool_available("node", "tokenizer parity") {
        return;
    }
    let cases_path = repo().join("tests/fixtures/search/tokenizer_cases.txt");
    let cases: Vec<String> = std::fs::read_to_string(&cases_path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(unescape)
        .collect();
    assert!(cases.len() >= 30, "the case list should stay broad");
    let output = Command::new("node")
        .arg(repo().join("tests/browser/tokenize_cases.js"))
        .arg(&cases_path)
        .output()
        .expect("running node");
    assert!(output.status.success(), "node failed: {}", String::from_utf8_lossy(&output.stderr));
    let js: Vec<serde_json::Value> =
        String::from_utf8(output.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(js.len(), cases.len());
    let mut differences = Vec::new();
    for (case, js) in cases.iter().zip(&js) {
        let rust = serde_json::json!({ "tokens": tokenize(case), "normalized": normalize_for_match(case) });
        if &rust != js {
            differences.push(format!("{case:?}\n  rust: {rust}\n  js:   {js}"));
        }
    }
    assert!(differences.is_empty(), "tokenizers differ:\n{}", differences.join("\n"));
    println!("tokenizer parity: {} cases identical", cases.len());
}
