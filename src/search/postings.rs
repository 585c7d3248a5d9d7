//! From documents to postings: token → the documents that contain it. Pure: no I/O.
//!
//! The tokens are those of our elasticlunr-rs `Language` ([`DigestLanguage`](super::tokenize::DigestLanguage), no pipeline), and the postings are
//! exactly what an elasticlunr-rs index of the documents holds (a unit test builds one and compares). They are
//! counted here directly because elasticlunr-rs keeps its inverted index private, as a character trie reachable
//! only through its JSON: indexing through it and reading the JSON back took 143 s of a 185 s build of 10,000
//! articles (tests/bench/results/search-postings-experiment.md).
//! Term frequencies are summed over the fields; the page's ranking only uses "the token occurs three times or more"
//! and "the token is in the title or an author's name" (a heading hit).

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

use super::tokenize::for_each_token;

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
    let chunks: Vec<ChunkPostings> =
        docs.par_chunks(CHUNK).enumerate().map(|(i, chunk)| chunk_postings(i * CHUNK, chunk)).collect();
    let mut merged: FxHashMap<String, Vec<Posting>> = FxHashMap::default();
    for chunk in chunks {
        for (token, mut docs) in chunk.tokens.into_iter().zip(chunk.lists) {
            merged.entry(token).or_default().append(&mut docs);
        }
    }
    let mut sorted: Vec<(String, Vec<Posting>)> = merged.into_iter().collect();
    sorted.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
    sorted.into_iter().collect()
}

/// A chunk's tokens in order of first sight, and each one's postings (`lists[i]` belongs to `tokens[i]`).
#[derive(Default)]
struct ChunkPostings {
    tokens: Vec<String>,
    lists: Vec<Vec<Posting>>,
    /// Token numbers: tokens of up to 7 bytes (every CJK unigram and bigram of the basic plane) by [`short_key`],
    /// so that most lookups hash and compare one integer; longer ones by their text.
    short: FxHashMap<u64, usize>,
    long: FxHashMap<String, usize>,
}

impl ChunkPostings {
    /// The postings of `token`, which are new if it was not seen before in this chunk.
    fn list(&mut self, token: &str) -> &mut Vec<Posting> {
        let next = self.tokens.len();
        let id = match short_key(token) {
            Some(key) => *self.short.entry(key).or_insert(next),
            None => match self.long.get(token) {
                Some(&id) => id,
                None => *self.long.entry(token.to_string()).or_insert(next),
            },
        };
        if id == next {
            self.tokens.push(token.to_string());
            self.lists.push(Vec::new());
        }
        &mut self.lists[id]
    }
}

/// A token of up to 7 bytes as one number: its length, then its bytes (distinct tokens give distinct numbers).
fn short_key(token: &str) -> Option<u64> {
    let bytes = token.as_bytes();
    (bytes.len() <= 7).then(|| bytes.iter().fold(bytes.len() as u64, |key, &b| (key << 8) | u64::from(b)))
}

/// Documents are counted one after the other, so a token's current document, if any, is the last of its list:
/// no per-document map is needed, and a token is allocated once per chunk, not once per occurrence.
fn chunk_postings(first: usize, docs: &[Doc]) -> ChunkPostings {
    let mut chunk = ChunkPostings::default();
    for (i, doc) in docs.iter().enumerate() {
        let doc_id = (first + i) as u32;
        for (field, text) in FIELDS.iter().zip(&doc.fields) {
            let heading = is_heading(field);
            for_each_token(text, |token| {
                let list = chunk.list(token);
                if list.last().is_none_or(|p| p.doc != doc_id) {
                    list.push(Posting { doc: doc_id, ..Posting::default() });
                }
                let posting = list.last_mut().expect("pushed above");
                posting.count += 1;
                posting.heading |= heading;
            });
        }
    }
    chunk
}

/// Title and author hits rank first.
fn is_heading(field: &str) -> bool {
    field == "title" || field == "authors"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tokenize::DigestLanguage;
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
    fn short_keys_differ_for_tokens_of_different_lengths() {
        assert_eq!(short_key("a"), Some(0x0161));
        assert_ne!(short_key("\0"), short_key("\0\0"));
        assert_eq!(short_key("数据要素"), None);
    }

    #[test]
    fn keeps_document_order_across_chunks() {
        let docs: Vec<Doc> = (0..CHUNK + 3).map(|i| doc("", if i % 2 == 0 { "渝" } else { "蓉" })).collect();
        let ids: Vec<u32> = build_postings(&docs)["渝"].iter().map(|p| p.doc).collect();
        assert_eq!(ids, (0..CHUNK as u32 + 3).filter(|i| i % 2 == 0).collect::<Vec<_>>());
    }
}
