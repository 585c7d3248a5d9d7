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
use std::borrow::Cow;
use std::collections::BTreeMap;

use super::tokenize::{Piece, Scanner};

/// The indexed fields, in the order [`Doc::fields`] gives them.
pub const FIELDS: [&str; 4] = ["title", "body", "authors", "themes"];

/// Documents counted per task.
const CHUNK: usize = 256;

/// A token occurring this often in a document (all fields together) counts as frequent there.
pub const FREQUENT: u32 = 3;

/// One document as the index sees it: the values of [`FIELDS`].
#[derive(Debug, Clone)]
pub struct Doc<'a> {
    pub fields: [Cow<'a, str>; 4],
}

/// One document containing a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Posting {
    /// The document's position.
    pub doc: u32,
    /// Occurrences in all fields, counted up to [`FREQUENT`] (all the index needs).
    pub count: u32,
    /// Whether the token is in the title or an author's name.
    pub heading: bool,
}

/// For each token, the documents that contain it, in document order.
pub type Postings = BTreeMap<String, Vec<Posting>>;

/// Counts the tokens of `docs` and returns the merged postings, in document order.
pub fn build_postings(docs: &[Doc]) -> Postings {
    bucketed_postings(docs, 1, |token, list| (token, list.iter().map(|&p| unpack(p)).collect())).into_iter().collect()
}

/// Counts the tokens of `docs` and hands each token with its postings ([`pack`]ed, in document order) to `finish`.
/// The tokens are merged in `buckets` groups (by a hash of the token) in parallel; the results are in no
/// particular order.
pub fn bucketed_postings<T: Send>(docs: &[Doc], buckets: usize, finish: impl Fn(String, &[u32]) -> T + Sync) -> Vec<T> {
    let chunks: Vec<SortedChunk> =
        docs.par_chunks(CHUNK).enumerate().map(|(i, chunk)| chunk_postings(i * CHUNK, chunk).sorted(buckets)).collect();
    (0..buckets)
        .into_par_iter()
        .flat_map_iter(|bucket| merge_bucket(&chunks, bucket).into_iter().map(|(token, list)| finish(token, &list)))
        .collect()
}

/// A posting in 32 bits: document << 3 | occurrences (up to [`FREQUENT`]) << 1 | heading.
pub fn pack(p: Posting) -> u32 {
    p.doc << 3 | p.count.min(FREQUENT) << 1 | u32::from(p.heading)
}

/// The posting [`pack`] packed.
pub fn unpack(p: u32) -> Posting {
    Posting { doc: p >> 3, count: (p >> 1) & 3, heading: p & 1 != 0 }
}

/// A token's identity in a chunk: its [`key_of`], or its text where it has none.
enum TokenKey {
    Short(u64),
    Long(String),
}

/// A chunk's postings sorted by token: token `i`'s are `postings[starts[i]..starts[i + 1]]`.
struct SortedChunk {
    keys: Vec<TokenKey>,
    starts: Vec<usize>,
    postings: Vec<u32>,
    /// The tokens of each bucket.
    buckets: Vec<Vec<u32>>,
}

/// One bucket's postings from all chunks (in chunk order, so each list stays in document order).
fn merge_bucket(chunks: &[SortedChunk], bucket: usize) -> Vec<(String, Vec<u32>)> {
    let mut out: Vec<(String, Vec<u32>)> = Vec::new();
    let mut short: FxHashMap<u64, usize> = FxHashMap::default();
    let mut long: FxHashMap<&str, usize> = FxHashMap::default();
    for chunk in chunks {
        for &id in &chunk.buckets[bucket] {
            let id = id as usize;
            let postings = &chunk.postings[chunk.starts[id]..chunk.starts[id + 1]];
            let next = out.len();
            let at = match &chunk.keys[id] {
                TokenKey::Short(key) => *short.entry(*key).or_insert(next),
                TokenKey::Long(word) => *long.entry(word.as_str()).or_insert(next),
            };
            if at == next {
                let text = match &chunk.keys[id] {
                    TokenKey::Short(key) => key_text(*key),
                    TokenKey::Long(word) => word.clone(),
                };
                out.push((text, postings.to_vec()));
            } else {
                out[at].1.extend_from_slice(postings);
            }
        }
    }
    out
}

/// A chunk's tokens in order of first sight, and their postings (`current[i]` belongs to `tokens[i]`).
#[derive(Default)]
struct ChunkPostings {
    tokens: Vec<TokenKey>,
    /// The token's posting in the last document that had it, updated in place while that document is counted.
    current: Vec<Posting>,
    /// The tokens of the document being counted, in order of first sight.
    seen: Vec<u32>,
    /// Each finished document's postings, `(token, posting)`, in document order: appending here and sorting once
    /// per chunk costs far less than growing one list per token.
    log: Vec<(u32, u32)>,
    /// Token numbers + 1 of the CJK unigrams of the basic plane, by code point (0: not seen yet).
    unigrams: Vec<u32>,
    /// Other tokens' numbers: by [`key_of`] where a token has a key, otherwise by its text.
    short: FxHashMap<u64, u32>,
    long: FxHashMap<String, u32>,
}

impl ChunkPostings {
    /// The number of the token, new if it was not seen before in this chunk.
    fn id(&mut self, piece: Piece<'_>) -> usize {
        let next = self.tokens.len() as u32;
        let id = match piece {
            Piece::Gram(a, None) if (a as usize) < self.unigrams.len() => {
                let slot = &mut self.unigrams[a as usize];
                if *slot == 0 {
                    *slot = next + 1;
                }
                *slot - 1
            }
            _ => match key_of(piece) {
                Some(key) => *self.short.entry(key).or_insert(next),
                None => {
                    let Piece::Word(word) = piece else { unreachable!("every gram has a key") };
                    match self.long.get(word) {
                        Some(&id) => id,
                        None => *self.long.entry(word.to_string()).or_insert(next),
                    }
                }
            },
        };
        if id == next {
            self.tokens.push(match key_of(piece) {
                Some(key) => TokenKey::Short(key),
                None => TokenKey::Long(token_text(piece)),
            });
            self.current.push(Posting::default());
        }
        id as usize
    }

    fn count(&mut self, piece: Piece<'_>, doc: u32, heading: bool) {
        let id = self.id(piece);
        let current = &mut self.current[id];
        if current.count > 0 && current.doc == doc {
            current.count += 1;
            current.heading |= heading;
        } else {
            *current = Posting { doc, count: 1, heading };
            self.seen.push(id as u32);
        }
    }

    fn end_document(&mut self) {
        for id in self.seen.drain(..) {
            self.log.push((id, pack(self.current[id as usize])));
        }
    }

    /// The log sorted by token (stably, by counting, so each token's postings stay in document order), and the
    /// tokens spread over `buckets` groups by [`bucket_of`].
    fn sorted(self, buckets: usize) -> SortedChunk {
        let mut starts = vec![0usize; self.tokens.len() + 1];
        for &(id, _) in &self.log {
            starts[id as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut postings = vec![0; self.log.len()];
        let mut next = starts.clone();
        for &(id, posting) in &self.log {
            postings[next[id as usize]] = posting;
            next[id as usize] += 1;
        }
        let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); buckets];
        for (id, key) in self.tokens.iter().enumerate() {
            by_bucket[bucket_of(key, buckets)].push(id as u32);
        }
        SortedChunk { keys: self.tokens, starts, postings, buckets: by_bucket }
    }
}

fn bucket_of(key: &TokenKey, buckets: usize) -> usize {
    use std::hash::{BuildHasher, BuildHasherDefault};
    let hasher = BuildHasherDefault::<rustc_hash::FxHasher>::default();
    let hash = match key {
        TokenKey::Short(key) => hasher.hash_one(key),
        TokenKey::Long(word) => hasher.hash_one(word),
    };
    (hash % buckets as u64) as usize
}

/// The text of a token from its [`key_of`].
fn key_text(key: u64) -> String {
    const CHAR: u64 = 0x1f_ffff;
    let char_at = |shift: u32| char::from_u32(((key >> shift) & CHAR) as u32).expect("keys hold characters");
    if key & GRAM != 0 {
        return if key & PAIR != 0 { [char_at(21), char_at(0)].iter().collect() } else { char_at(0).to_string() };
    }
    let len = (1..=7).find(|&n| key >> (8 * n) == n as u64).expect("short keys start with their length");
    let bytes: Vec<u8> = (0..len).rev().map(|i| (key >> (8 * i)) as u8).collect();
    String::from_utf8(bytes).expect("short keys hold whole words")
}

const GRAM: u64 = 1 << 63;
const PAIR: u64 = 1 << 62;

fn token_text(piece: Piece<'_>) -> String {
    match piece {
        Piece::Gram(a, b) => std::iter::once(a).chain(b).collect(),
        Piece::Word(word) => word.to_string(),
    }
}

/// A token as one number, so that most lookups hash and compare one integer: CJK grams by their code points
/// (the top bit set), words of up to 7 bytes by [`short_key`]; longer words have none.
fn key_of(piece: Piece<'_>) -> Option<u64> {
    match piece {
        Piece::Gram(a, None) => Some(GRAM | a as u64),
        Piece::Gram(a, Some(b)) => Some(GRAM | PAIR | (a as u64) << 21 | b as u64),
        Piece::Word(word) => short_key(word),
    }
}

/// A word of up to 7 bytes as one number: its length, then its bytes (distinct words give distinct numbers, all
/// below 2^59).
fn short_key(token: &str) -> Option<u64> {
    let bytes = token.as_bytes();
    (bytes.len() <= 7).then(|| bytes.iter().fold(bytes.len() as u64, |key, &b| (key << 8) | u64::from(b)))
}

/// Documents are counted one after the other, so a token's current posting is either this document's or done.
fn chunk_postings(first: usize, docs: &[Doc]) -> ChunkPostings {
    // A document has about one distinct token per two bytes of text (Chinese: a unigram and a bigram per three-byte
    // character, many repeated). Reserving that once spares the copies of a log growing to megabytes.
    let bytes: usize = docs.iter().flat_map(|doc| doc.fields.iter().map(|f| f.len())).sum();
    let mut chunk =
        ChunkPostings { unigrams: vec![0; 0x10000], log: Vec::with_capacity(bytes / 2), ..ChunkPostings::default() };
    let mut scanner = Scanner::default();
    for (i, doc) in docs.iter().enumerate() {
        let doc_id = (first + i) as u32;
        for (field, text) in FIELDS.iter().zip(&doc.fields) {
            let heading = is_heading(field);
            scanner.scan(text, |piece| chunk.count(piece, doc_id, heading));
        }
        chunk.end_document();
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

    fn doc<'a>(title: impl Into<Cow<'a, str>>, body: &'a str) -> Doc<'a> {
        Doc { fields: [title.into(), body.into(), "".into(), "".into()] }
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
                        posting.count = (posting.count + (tf * tf).round() as u32).min(FREQUENT);
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
        let pages = crate::seed::read_seeds(&seeds).unwrap();
        let docs: Vec<Doc> = pages
            .iter()
            .flat_map(|page| {
                page.text
                    .split("\n\n")
                    .map(|para| doc(para.chars().take(12).collect::<String>(), para))
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
        for token in ["a", "5.2%", "deepsee", "é", "算", "算力"] {
            let piece = if token.chars().all(crate::search::tokenize::is_cjk) {
                let mut chars = token.chars();
                Piece::Gram(chars.next().unwrap(), chars.next())
            } else {
                Piece::Word(token)
            };
            assert_eq!(key_text(key_of(piece).unwrap()), token);
        }
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
