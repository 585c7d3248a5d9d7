//! Rebuilding the index when few documents changed. In: the [`Site`] and the previous output folder. Out: the same
//! files [`build_index`](super::build_index) makes, byte for byte. Reads the previous output folder (I/O).
//!
//! The cache file ([`CACHE`], written by every build) lists each document's stem, a hash of everything the index
//! holds of it, and its themes. When the documents are the same ones in the same order and only a few differ, the
//! previous term shards are read back and only the entries of the changed documents' old and new tokens are
//! patched (a changed document's old text comes from the previous text shard); unchanged text shards are kept as
//! they were. Anything else (no cache, another digest version or search code, documents added or removed, many
//! changes, an unreadable file) means a full build. The cache is safe to delete.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::postings::{build_postings, Doc, Posting, FREQUENT};
use super::{
    docs_of, encode, entry_bytes, filter_entries, head_files, shard_of, term_file, term_path, text_files, text_path,
    Layout,
};
use crate::site::{OutputFile, Page, Site};

/// File name of the cache in the output folder.
pub const CACHE: &str = ".digest-search.json";

/// More changed documents than this, and a full build is about as quick as patching.
const MAX_CHANGED: usize = 16;

#[derive(Serialize, Deserialize)]
struct Cache {
    key: String,
    term_bytes: usize,
    term_shards: u32,
    text_shard_size: usize,
    docs: Vec<CachedDoc>,
    /// The filters' entries, `theme:NAME` / `author:NAME` → documents.
    filters: BTreeMap<String, String>,
}

#[derive(Serialize, Deserialize)]
struct CachedDoc {
    stem: String,
    hash: String,
    /// The themes field as indexed (the text shards hold every other field).
    themes: String,
}

/// The index files to write, and those to take unchanged from the previous output folder.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Index {
    pub files: Vec<OutputFile>,
    /// Paths relative to the output folder.
    pub kept: Vec<PathBuf>,
}

/// The index of `site`, keeping what it can of the index in the `previous` output folder where its cache allows.
pub fn rebuild_index(site: &Site, previous: &Path) -> Index {
    let docs = docs_of(site);
    let hashes = hashes(site, &docs);
    patch(site, &docs, &hashes, previous)
        .unwrap_or_else(|| Index { files: super::build(site, &docs, &hashes), kept: Vec::new() })
}

pub(super) fn hashes(site: &Site, docs: &[Doc]) -> Vec<String> {
    site.pages.par_iter().zip(docs).map(|(page, doc)| hash_page(page, &doc.fields[3])).collect()
}

/// Changes with digest's version and with any change to the search code (the tokenizer included).
fn cache_key() -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    for source in [
        include_str!("mod.rs"),
        include_str!("tokenize.rs"),
        include_str!("postings.rs"),
        include_str!("encode.rs"),
        include_str!("reuse.rs"),
    ] {
        hasher.update(source.as_bytes());
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// A hash of what the text shard and the term shards hold of a page.
fn hash_page(page: &Page, themes: &str) -> String {
    let a = &page.article;
    let authors = a.authors.iter().map(|au| au.name.as_str());
    hash_fields(
        &a.stem,
        &a.title,
        a.date.as_deref().unwrap_or(""),
        a.section.as_deref().unwrap_or(""),
        authors,
        page.text(),
        themes,
    )
}

fn hash_fields<'a>(
    stem: &str,
    title: &str,
    date: &str,
    section: &str,
    authors: impl Iterator<Item = &'a str>,
    body: &str,
    themes: &str,
) -> String {
    let mut hasher = blake3::Hasher::new();
    let mut field = |text: &str| {
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    };
    [stem, title, date, section].into_iter().for_each(&mut field);
    authors.for_each(&mut field);
    field("\u{0}");
    field(body);
    field(themes);
    hasher.finalize().to_hex()[..32].to_string()
}

/// The cache file for the next build.
pub(super) fn cache_file(
    site: &Site,
    docs: &[Doc],
    hashes: &[String],
    layout: &Layout,
    filters: Vec<(String, String)>,
) -> OutputFile {
    let docs = site
        .pages
        .iter()
        .zip(docs)
        .zip(hashes)
        .map(|((page, doc), hash)| CachedDoc {
            stem: page.article.stem.clone(),
            hash: hash.clone(),
            themes: doc.fields[3].to_string(),
        })
        .collect();
    let cache = Cache {
        key: cache_key(),
        term_bytes: layout.term_bytes,
        term_shards: layout.term_shards,
        text_shard_size: layout.per_text_shard,
        docs,
        filters: filters.into_iter().collect(),
    };
    OutputFile { path: CACHE.into(), bytes: serde_json::to_vec(&cache).expect("the cache serializes") }
}

/// The token's class in a document, all the index records of it: frequent there, in a heading.
fn class(posting: Option<&Vec<Posting>>) -> Option<(bool, bool)> {
    posting.map(|list| (list[0].count >= FREQUENT, list[0].heading))
}

fn patch(site: &Site, docs: &[Doc], hashes: &[String], previous: &Path) -> Option<Index> {
    let cache: Cache = serde_json::from_slice(&std::fs::read(previous.join(CACHE)).ok()?).ok()?;
    let same = cache.key == cache_key()
        && cache.docs.len() == docs.len()
        && cache.docs.iter().zip(&site.pages).all(|(c, p)| c.stem == p.article.stem);
    if !same {
        return None;
    }
    let changed: Vec<usize> = (0..docs.len()).filter(|&i| cache.docs[i].hash != hashes[i]).collect();
    if changed.len() > MAX_CHANGED {
        return None;
    }
    let text_shards = docs.len().div_ceil(cache.text_shard_size);
    let mut updates: BTreeMap<String, Vec<(u32, Option<Posting>)>> = BTreeMap::new();
    for &i in &changed {
        let old = old_doc(previous, &cache, text_shards, i)?;
        let before = build_postings(std::slice::from_ref(&old));
        let after = build_postings(std::slice::from_ref(&docs[i]));
        let tokens: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for token in tokens.into_iter().filter(|t| class(before.get(*t)) != class(after.get(*t))) {
            let posting = after.get(token).map(|list| Posting { doc: i as u32, ..list[0] });
            updates.entry(token.clone()).or_default().push((i as u32, posting));
        }
    }
    let filters: BTreeMap<String, String> = filter_entries(site).into_iter().collect();
    let (terms, mut kept, term_bytes) = patch_terms(previous, &cache, &updates, &filters, docs.len() as u32)?;
    let layout = Layout::new(site, term_bytes);
    if layout.term_shards != cache.term_shards {
        return None;
    }
    let same_texts = layout.per_text_shard == cache.text_shard_size;
    let keep = |shard: usize| {
        same_texts
            && !changed.iter().any(|&i| i / cache.text_shard_size == shard)
            && previous.join(text_path(shard, text_shards)).is_file()
    };
    let (texts, kept_texts) = text_files(site, layout.per_text_shard, &keep);
    let mut files = head_files(site, &layout);
    files.extend(terms);
    files.extend(texts);
    files.push(cache_file(site, docs, hashes, &layout, filters.into_iter().collect()));
    kept.extend(kept_texts);
    Some(Index { files, kept })
}

/// The term shards with the token updates and the new filter entries applied, and the bytes of all entries. Only
/// the shards that hold a changed entry are read and written anew; the others are kept (their paths).
fn patch_terms(
    previous: &Path,
    cache: &Cache,
    updates: &BTreeMap<String, Vec<(u32, Option<Posting>)>>,
    filters: &BTreeMap<String, String>,
    docs: u32,
) -> Option<(Vec<OutputFile>, Vec<PathBuf>, usize)> {
    let shards = cache.term_shards;
    let mut dirty: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    let changed_filters = filters.iter().filter(|(k, v)| cache.filters.get(*k) != Some(v)).map(|(k, _)| k);
    let removed_filters = cache.filters.keys().filter(|k| !filters.contains_key(*k));
    for key in updates.keys().chain(changed_filters).chain(removed_filters) {
        dirty.entry(shard_of(key, shards) as usize).or_default().push(key);
    }
    let edits = Edits { updates, filters, docs };
    let patched: Vec<(usize, OutputFile, isize)> = dirty
        .into_par_iter()
        .map(|(i, keys)| patch_shard(previous, i, shards, &keys, &edits).map(|(file, delta)| (i, file, delta)))
        .collect::<Option<_>>()?;
    let term_bytes = cache.term_bytes as isize + patched.iter().map(|(_, _, delta)| delta).sum::<isize>();
    let kept: Vec<PathBuf> = (0..shards as usize)
        .filter(|i| !patched.iter().any(|(p, _, _)| p == i))
        .map(|i| PathBuf::from(term_path(i, shards)))
        .collect();
    if !kept.iter().all(|path| previous.join(path).is_file()) {
        return None;
    }
    let files = patched.into_iter().map(|(_, file, _)| file).collect();
    Some((files, kept, usize::try_from(term_bytes).ok()?))
}

/// What changes in the term shards: tokens' postings by document, and the filters' entries as they are now.
struct Edits<'a> {
    updates: &'a BTreeMap<String, Vec<(u32, Option<Posting>)>>,
    filters: &'a BTreeMap<String, String>,
    docs: u32,
}

/// Term shard `i` of the previous build with the entries of `keys` edited, and how many bytes its entries gained.
fn patch_shard(previous: &Path, i: usize, shards: u32, keys: &[&str], edits: &Edits) -> Option<(OutputFile, isize)> {
    let text = std::fs::read_to_string(previous.join(term_path(i, shards))).ok()?;
    let data: String = serde_json::from_str(payload(&text, "terms", i)?).ok()?;
    let mut entries: BTreeMap<&str, String> = data
        .lines()
        .filter(|line| !line.is_empty())
        .map(|line| line.split_once('\t').map(|(t, e)| (t, e.to_string())))
        .collect::<Option<_>>()?;
    let bytes = |entries: &BTreeMap<&str, String>| entry_bytes(entries.iter().map(|(t, e)| (*t, e.as_str()))) as isize;
    let before = bytes(&entries);
    for &key in keys {
        match (edits.updates.get(key), edits.filters.get(key)) {
            (Some(list), _) => list.iter().for_each(|&(doc, p)| patch_entry(&mut entries, key, doc, p, edits.docs)),
            (None, Some(entry)) => drop(entries.insert(key, entry.clone())),
            (None, None) => drop(entries.remove(key)),
        }
    }
    let delta = bytes(&entries) - before;
    let terms: Vec<(&str, &str)> = entries.iter().map(|(t, e)| (*t, e.as_str())).collect();
    Some((term_file(i, shards, terms), delta))
}

/// The payload of a shard script `__digestSearch.NAME(i,PAYLOAD);`.
fn payload<'a>(text: &'a str, name: &str, i: usize) -> Option<&'a str> {
    text.strip_prefix(&format!("__digestSearch.{name}({i},"))?.strip_suffix(");\n")
}

/// A changed document as the previous build indexed it, from its text shard and the cache; `None` unless it hashes
/// to what the cache says.
fn old_doc(previous: &Path, cache: &Cache, text_shards: usize, i: usize) -> Option<Doc<'static>> {
    type Entry = (String, String, String, String, Vec<String>, String);
    let shard = i / cache.text_shard_size;
    let text = std::fs::read_to_string(previous.join(text_path(shard, text_shards))).ok()?;
    let entries: Vec<Entry> = serde_json::from_str(payload(&text, "texts", shard)?).ok()?;
    let (stem, title, date, section, authors, body) = entries.into_iter().nth(i % cache.text_shard_size)?;
    let themes = &cache.docs[i].themes;
    let hash = hash_fields(&stem, &title, &date, &section, authors.iter().map(String::as_str), &body, themes);
    (hash == cache.docs[i].hash)
        .then(|| Doc { fields: [title.into(), body.into(), authors.join("、").into(), themes.clone().into()] })
}

/// Puts document `doc`'s new posting (if it still has the token) into the token's entry.
fn patch_entry<'a>(
    entries: &mut BTreeMap<&'a str, String>,
    token: &'a str,
    doc: u32,
    posting: Option<Posting>,
    docs: u32,
) {
    let [mut frequent, mut others, mut heading] =
        entries.get(token).map(|e| encode::decode_entry(e)).unwrap_or_default();
    for list in [&mut frequent, &mut others, &mut heading] {
        if let Ok(at) = list.binary_search(&doc) {
            list.remove(at);
        }
    }
    if let Some(p) = posting {
        let lists =
            [(p.count >= FREQUENT, &mut frequent), (p.count < FREQUENT, &mut others), (p.heading, &mut heading)];
        for (_, list) in lists.into_iter().filter(|(keep, _)| *keep) {
            let at = list.binary_search(&doc).unwrap_err();
            list.insert(at, doc);
        }
    }
    if frequent.is_empty() && others.is_empty() {
        entries.remove(token);
    } else {
        entries.insert(token, encode::encode_entry(&frequent, &others, &heading, docs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Article;

    fn site(bodies: &[&str]) -> Site {
        let pages = bodies
            .iter()
            .enumerate()
            .map(|(i, body)| {
                // Long bodies, so that each text shard holds one document.
                let text = format!("---\ntitle: 标题{i}\nthemes: [数字经济]\n---\n\n{}\n", body.repeat(600));
                Article::from_markdown(&format!("a{i:02}"), &text).unwrap()
            })
            .collect();
        Site::new(pages)
    }

    fn write(dir: &Path, files: &[OutputFile]) {
        for file in files {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, &file.bytes).unwrap();
        }
    }

    const BODIES: [&str; 5] =
        ["算力券和数据要素。", "陆海新通道 2024年", "低空经济 eVTOL 算力", "成渝地区双城经济圈", "渝快办"];

    /// The index as files, the kept ones read from `dir`, in path order.
    fn materialize(index: Index, dir: &Path) -> Vec<OutputFile> {
        let kept =
            index.kept.into_iter().map(|path| OutputFile { bytes: std::fs::read(dir.join(&path)).unwrap(), path });
        let mut files: Vec<OutputFile> = index.files.into_iter().chain(kept).collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    fn sorted(mut files: Vec<OutputFile>) -> Vec<OutputFile> {
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }

    #[test]
    fn patched_index_equals_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &super::super::build_index(&site(&BODIES)));
        let mut bodies = BODIES;
        bodies[1] = "陆海新通道 2025年，算力券";
        bodies[3] = "成渝地区双城经济圈。";
        let changed = site(&bodies);
        assert!(patch(&changed, &docs_of(&changed), &hashes(&changed, &docs_of(&changed)), dir.path()).is_some());
        let rebuilt = rebuild_index(&changed, dir.path());
        assert!(!rebuilt.kept.is_empty());
        assert_eq!(materialize(rebuilt, dir.path()), sorted(super::super::build_index(&changed)));
    }

    #[test]
    fn unchanged_site_reuses_everything_and_missing_cache_builds_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let full = super::super::build_index(&site(&BODIES));
        write(dir.path(), &full);
        let again = rebuild_index(&site(&BODIES), dir.path());
        assert!(again.files.iter().all(|f| !f.path.starts_with("search/texts")), "text shards are kept");
        assert_eq!(materialize(again, dir.path()), sorted(full.clone()));
        std::fs::remove_file(dir.path().join(CACHE)).unwrap();
        assert_eq!(rebuild_index(&site(&BODIES), dir.path()), Index { files: full, kept: Vec::new() });
    }

    #[test]
    fn other_documents_mean_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &super::super::build_index(&site(&BODIES)));
        let fewer = site(&BODIES[1..]);
        assert!(patch(&fewer, &docs_of(&fewer), &hashes(&fewer, &docs_of(&fewer)), dir.path()).is_none());
        assert_eq!(
            rebuild_index(&fewer, dir.path()),
            Index { files: super::super::build_index(&fewer), kept: Vec::new() }
        );
    }
}
