//! From documents to postings: token → the documents that contain it. Pure: no I/O.
//!
//! The tokens are those of our elasticlunr-rs `Language` ([`DigestLanguage`], no pipeline), and the postings are
//! exactly what an elasticlunr-rs index of the documents holds (a unit test builds one and compares). They are
//! counted here directly because elasticlunr-rs keeps its inverted index private, as a character trie reachable
//! only through its JSON: indexing through it and reading the JSON back took 143 s of a 185 s build of 10,000
//! articles (tests/bench/results/search-postings-experiment.md).
//! Term frequencies are summed over the fields; the page's ranking only uses "the token occurs three times or more"
//! and "the token is in the title or an author's name" (a heading hit).

use elasticlunr::Language as _;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use super::tokenize::DigestLanguage;

/// The indexed fields, in the order [`Doc::fields`] gives them.
pub const FIELDS: [&str; 4] = ["title", "body", "authors", "themes"];

/// Documents counted per task.
const CHUNK: usize = 256;

/// A token occurring this often in a document (all fields together) counts as frequent there.
pub const FREQUENT: u32 = 3;

/// One document as the index sees it: the values of [`FIELDS`].
#[derive(Debug, Clone)]
pub struct Doc {
    pub fields: [String; 4],
}

/// One document containing a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Posting {
    /// The document's position.
    pub doc: u32,
    /// Occurrences in all fields.
    pub count: u32,
    /// Whether the token is in the title or an author's name.
    pub heading: bool,
}

/// For each token, the documents that contain it, in document order.
pub type Postings = BTreeMap<String, Vec<Posting>>;

/// Counts the tokens of `docs` and returns the merged postings, in document order.
pub fn build_postings(docs: &[Doc]) -> Postings {
    let chunks: Vec<Postings> =
        docs.par_chunks(CHUNK).enumerate().map(|(i, chunk)| chunk_postings(i * CHUNK, chunk)).collect();
    let mut postings = Postings::new();
    for chunk in chunks {
        for (token, mut docs) in chunk {
            postings.entry(token).or_default().append(&mut docs);
        }
    }
    postings
}

fn chunk_postings(first: usize, docs: &[Doc]) -> Postings {
    let mut postings = Postings::new();
    for (i, doc) in docs.iter().enumerate() {
        let id = (first + i) as u32;
        let mut counts: HashMap<String, Posting> = HashMap::new();
        for (field, text) in FIELDS.iter().zip(&doc.fields) {
            let heading = is_heading(field);
            for token in DigestLanguage.tokenize(text) {
                let posting = counts.entry(token).or_insert(Posting { doc: id, ..Posting::default() });
                posting.count += 1;
                posting.heading |= heading;
            }
        }
        for (token, posting) in counts {
            postings.entry(token).or_default().push(posting);
        }
    }
    postings
}

/// Title and author hits rank first.
fn is_heading(field: &str) -> bool {
    field == "title" || field == "authors"
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc(title: &str, body: &str) -> Doc {
        Doc { fields: [title.into(), body.into(), String::new(), String::new()] }
    }

    /// The same postings read back from an elasticlunr-rs index of the documents: its inverted index is a character
    /// trie, only reachable through its JSON, `{"docs": {ref: {"tf": √count}}, "df": n, <char>: child, …}`.
    fn elasticlunr_postings(docs: &[Doc]) -> Postings {
        let mut index = elasticlunr::IndexBuilder::with_language(Box::new(DigestLanguage))
            .save_docs(false)
            .add_fields(FIELDS)
            .set_ref("id")
            .build();
        for (i, doc) in docs.iter().enumerate() {
            index.add_doc(&i.to_string(), &doc.fields);
        }
        let json: Value = serde_json::from_str(&index.to_json()).unwrap();
        let mut counts: BTreeMap<String, BTreeMap<u32, Posting>> = BTreeMap::new();
        for field in FIELDS {
            walk_trie(&json["index"][field]["root"], &mut String::new(), is_heading(field), &mut counts);
        }
        counts.into_iter().map(|(token, docs)| (token, docs.into_values().collect())).collect()
    }

    fn walk_trie(
        node: &Value,
        prefix: &mut String,
        heading: bool,
        counts: &mut BTreeMap<String, BTreeMap<u32, Posting>>,
    ) {
        let Some(map) = node.as_object() else { return };
        for (key, value) in map {
            match key.as_str() {
                "docs" => {
                    for (doc_ref, tf) in value.as_object().into_iter().flatten() {
                        let id: u32 = doc_ref.parse().unwrap();
                        let tf = tf["tf"].as_f64().unwrap();
                        let entry = counts.entry(prefix.clone()).or_default();
                        let posting = entry.entry(id).or_insert(Posting { doc: id, ..Posting::default() });
                        posting.count += (tf * tf).round() as u32;
                        posting.heading |= heading;
                    }
                }
                "df" => {}
                _ => {
                    let len = prefix.len();
                    prefix.push_str(key);
                    walk_trie(value, prefix, heading, counts);
                    prefix.truncate(len);
                }
            }
        }
    }

    #[test]
    fn counts_exactly_what_an_elasticlunr_index_holds() {
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let docs: Vec<Doc> = crate::seed::read_seeds(&seeds)
            .unwrap()
            .iter()
            .flat_map(|page| {
                page.text
                    .split("\n\n")
                    .map(|para| doc(&para.chars().take(12).collect::<String>(), para))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(docs.len() > 100);
        assert_eq!(build_postings(&docs), elasticlunr_postings(&docs));
    }

    #[test]
    fn merges_fields_and_counts_occurrences() {
        let postings = build_postings(&[doc("算力", "算力券，算力"), doc("", "DeepSeek")]);
        assert_eq!(postings["算力"], [Posting { doc: 0, count: 3, heading: true }]);
        assert_eq!(postings["deepseek"], [Posting { doc: 1, count: 1, heading: false }]);
        assert!(!postings.contains_key("+"));
    }

    #[test]
    fn keeps_document_order_across_chunks() {
        let docs: Vec<Doc> = (0..CHUNK + 3).map(|i| doc("", if i % 2 == 0 { "渝" } else { "蓉" })).collect();
        let ids: Vec<u32> = build_postings(&docs)["渝"].iter().map(|p| p.doc).collect();
        assert_eq!(ids, (0..CHUNK as u32 + 3).filter(|i| i % 2 == 0).collect::<Vec<_>>());
    }
}
