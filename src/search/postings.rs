//! From documents to postings: the documents go through an elasticlunr-rs index (our tokenizer, no pipeline), whose
//! inverted index is then read back as token → documents. Pure: no I/O.
//!
//! elasticlunr-rs keeps its inverted index private and only serializes it (a character trie in JSON, many times
//! the size of the text), so the documents are indexed in chunks and each chunk's trie is walked and merged.
//! Term frequencies are summed over the fields; the page's ranking only uses "the token occurs three times or more"
//! and "the token is in the title or an author's name" (a heading hit).

use rayon::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

use super::tokenize::DigestLanguage;

/// The indexed fields, in the order [`Doc::fields`] gives them.
pub const FIELDS: [&str; 4] = ["title", "body", "authors", "themes"];

/// Documents per elasticlunr index: bounds the memory of one serialized chunk.
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

type Counts = BTreeMap<String, BTreeMap<u32, Posting>>;

/// Indexes `docs` with elasticlunr-rs and returns the merged postings.
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
    let mut index = elasticlunr::IndexBuilder::with_language(Box::new(DigestLanguage))
        .save_docs(false)
        .add_fields(FIELDS)
        .set_ref("id")
        .build();
    for (i, doc) in docs.iter().enumerate() {
        index.add_doc(&(first + i).to_string(), &doc.fields);
    }
    let json: Value = serde_json::from_str(&index.to_json()).expect("elasticlunr index serializes to JSON");
    let mut counts = Counts::new();
    for field in FIELDS {
        let heading = field == "title" || field == "authors";
        walk_trie(&json["index"][field]["root"], &mut String::new(), heading, &mut counts);
    }
    counts.into_iter().map(|(token, docs)| (token, docs.into_values().collect())).collect()
}

/// Visits a node of elasticlunr's trie: `{"docs": {ref: {"tf": √count}}, "df": n, <char>: child, …}`.
fn walk_trie(node: &Value, prefix: &mut String, heading: bool, counts: &mut Counts) {
    let Some(map) = node.as_object() else { return };
    for (key, value) in map {
        match key.as_str() {
            "docs" => add_docs(value, prefix, heading, counts),
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

fn add_docs(docs: &Value, token: &str, heading: bool, counts: &mut Counts) {
    let Some(docs) = docs.as_object().filter(|d| !d.is_empty()) else { return };
    let entry = counts.entry(token.to_string()).or_default();
    for (doc_ref, tf) in docs {
        let id: u32 = doc_ref.parse().expect("document refs are numbers");
        let tf = tf["tf"].as_f64().unwrap_or(0.0);
        let posting = entry.entry(id).or_insert(Posting { doc: id, ..Posting::default() });
        posting.count += (tf * tf).round() as u32;
        posting.heading |= heading;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Doc {
        Doc { fields: [title.into(), body.into(), String::new(), String::new()] }
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
