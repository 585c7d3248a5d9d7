//! Rebuilding the index when few documents changed. In: the [`Site`] and the previous output folder. Out: the same
//! files [`build_index`](super::build_index) makes, byte for byte. Reads the previous output folder (I/O).
//!
//! The cache file ([`CACHE`], written by every build) lists each document's stem, the hash of its content file
//! (everything the index holds of a document comes from it), and its themes, plus the total text bytes that size
//! the text shards. When the documents are the same ones in the same order and only a few differ, the previous
//! term shards are read back and only the entries of the changed documents' old and new tokens are patched (a
//! changed document's old text comes from the previous text shard); unchanged shards are kept as they were, and
//! unchanged documents' bodies are never read. Anything else (no cache, another engine or search code, documents
//! added or removed, many changes, an unreadable file) means a full build. The cache is safe to delete.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::postings::{build_postings, Doc, Posting, FREQUENT};
use super::{
    encode, entry_bytes, filter_entries, head_files, index_doc, shard_of, term_file, term_path, text_files, text_path,
    themes_field, Layout,
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
    text_bytes: usize,
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
/// Only the bodies it needs are read (see [`crate::site::Page`]); a content file that changed or went away since
/// the build read the folder is an error naming it. `engine` as for [`build_index`](super::build_index).
pub fn rebuild_index(site: &Site, previous: &Path, engine: &str) -> anyhow::Result<Index> {
    let hashes = hashes(site);
    if let Some(index) = patch(site, &hashes, previous, engine) {
        return Ok(index);
    }
    site.pages.par_iter().try_for_each(Page::load)?;
    Ok(Index { files: super::build(site, &hashes, engine), kept: Vec::new() })
}

/// Per document, a hash of its stem and its content file: everything the index holds of a document (title, body,
/// authors, themes, date, section) comes from that file, by the engine the cache key names.
pub(super) fn hashes(site: &Site) -> Vec<String> {
    let hash = |page: &Page| {
        let mut hasher = blake3::Hasher::new();
        hasher.update(page.article.stem.as_bytes()).update(&[0]).update(page.hash.as_bytes());
        hasher.finalize().to_hex()[..32].to_string()
    };
    site.pages.par_iter().map(hash).collect()
}

/// Changes with digest's version, with the engine that made the articles, and with any change to the search code
/// (the tokenizer included).
fn cache_key(engine: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes()).update(engine.as_bytes());
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

/// The cache file for the next build.
pub(super) fn cache_file(
    site: &Site,
    hashes: &[String],
    layout: &Layout,
    filters: Vec<(String, String)>,
    engine: &str,
) -> OutputFile {
    let docs = site
        .pages
        .iter()
        .zip(hashes)
        .map(|(page, hash)| CachedDoc {
            stem: page.article.stem.clone(),
            hash: hash.clone(),
            themes: themes_field(&page.article),
        })
        .collect();
    let cache = Cache {
        key: cache_key(engine),
        term_bytes: layout.term_bytes,
        term_shards: layout.term_shards,
        text_bytes: layout.text_bytes,
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

fn patch(site: &Site, hashes: &[String], previous: &Path, engine: &str) -> Option<Index> {
    let cache: Cache = serde_json::from_slice(&std::fs::read(previous.join(CACHE)).ok()?).ok()?;
    let count = site.pages.len();
    let same = cache.key == cache_key(engine)
        && cache.docs.len() == count
        && cache.docs.iter().zip(&site.pages).all(|(c, p)| c.stem == p.article.stem);
    if !same {
        return None;
    }
    let changed: Vec<usize> = (0..count).filter(|&i| cache.docs[i].hash != hashes[i]).collect();
    if changed.len() > MAX_CHANGED {
        return None;
    }
    let text_shards = count.div_ceil(cache.text_shard_size);
    let mut text_bytes = cache.text_bytes;
    let mut updates: BTreeMap<String, Vec<(u32, Option<Posting>)>> = BTreeMap::new();
    for &i in &changed {
        let old = old_doc(previous, &cache, text_shards, i)?;
        let before = build_postings(std::slice::from_ref(&old));
        site.pages[i].load().ok()?; // read before the last build if unchanged, so possibly gone: then a full build
        let new = index_doc(&site.pages[i]);
        text_bytes = (text_bytes + new.fields[1].len()).checked_sub(old.fields[1].len())?;
        let after = build_postings(std::slice::from_ref(&new));
        let tokens: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        for token in tokens.into_iter().filter(|t| class(before.get(*t)) != class(after.get(*t))) {
            let posting = after.get(token).map(|list| Posting { doc: i as u32, ..list[0] });
            updates.entry(token.clone()).or_default().push((i as u32, posting));
        }
    }
    let filters: BTreeMap<String, String> = filter_entries(site).into_iter().collect();
    let (terms, mut kept, term_bytes) = patch_terms(previous, &cache, &updates, &filters, count as u32)?;
    let layout = Layout::new(count, text_bytes, term_bytes);
    if layout.term_shards != cache.term_shards {
        return None;
    }
    let same_texts = layout.per_text_shard == cache.text_shard_size;
    let keep = |shard: usize| {
        same_texts
            && !changed.iter().any(|&i| i / cache.text_shard_size == shard)
            && previous.join(text_path(shard, text_shards)).is_file()
    };
    let (texts, kept_texts) = text_files(site, layout.per_text_shard, &keep)?;
    let mut files = head_files(site, &layout);
    files.extend(terms);
    files.extend(texts);
    files.push(cache_file(site, hashes, &layout, filters.into_iter().collect(), engine));
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

/// A changed document as the previous build indexed it, from its text shard and the cache; `None` unless the shard
/// holds the document the cache says.
fn old_doc(previous: &Path, cache: &Cache, text_shards: usize, i: usize) -> Option<Doc<'static>> {
    type Entry = (String, String, String, String, Vec<String>, String);
    let shard = i / cache.text_shard_size;
    let text = std::fs::read_to_string(previous.join(text_path(shard, text_shards))).ok()?;
    let entries: Vec<Entry> = serde_json::from_str(payload(&text, "texts", shard)?).ok()?;
    let (stem, title, _date, _section, authors, body) = entries.into_iter().nth(i % cache.text_shard_size)?;
    let themes = &cache.docs[i].themes;
    (stem == cache.docs[i].stem)
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
        write(dir.path(), &super::super::build_index(&site(&BODIES), "test"));
        let mut bodies = BODIES;
        bodies[1] = "陆海新通道 2025年，算力券";
        bodies[3] = "成渝地区双城经济圈。";
        let changed = site(&bodies);
        assert!(patch(&changed, &hashes(&changed), dir.path(), "test").is_some());
        let rebuilt = rebuild_index(&changed, dir.path(), "test").unwrap();
        assert!(!rebuilt.kept.is_empty());
        assert_eq!(materialize(rebuilt, dir.path()), sorted(super::super::build_index(&changed, "test")));
    }

    #[test]
    fn unchanged_site_reuses_everything_and_missing_cache_builds_afresh() {
        let dir = tempfile::tempdir().unwrap();
        let full = super::super::build_index(&site(&BODIES), "test");
        write(dir.path(), &full);
        let again = rebuild_index(&site(&BODIES), dir.path(), "test").unwrap();
        assert!(again.files.iter().all(|f| !f.path.starts_with("search/texts")), "text shards are kept");
        assert_eq!(materialize(again, dir.path()), sorted(full.clone()));
        std::fs::remove_file(dir.path().join(CACHE)).unwrap();
        assert_eq!(rebuild_index(&site(&BODIES), dir.path(), "test").unwrap(), Index { files: full, kept: Vec::new() });
    }

    #[test]
    fn other_documents_mean_a_full_build() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), &super::super::build_index(&site(&BODIES), "test"));
        let fewer = site(&BODIES[1..]);
        assert!(patch(&fewer, &hashes(&fewer), dir.path(), "test").is_none());
        assert_eq!(
            rebuild_index(&fewer, dir.path(), "test").unwrap(),
            Index { files: super::super::build_index(&fewer, "test"), kept: Vec::new() }
        );
    }

    #[test]
    fn a_body_gone_since_the_folder_was_read_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("a00.md");
        let entries = site(&BODIES)
            .pages
            .iter()
            .enumerate()
            .map(|(i, page)| {
                // The first body was left on disk, unread, in a file that has gone since.
                let (body, unread) =
                    if i == 0 { (String::new(), Some(gone.clone())) } else { (page.article.body.clone(), None) };
                let article = Article { body, ..page.article.clone() };
                crate::content::Entry { article, hash: page.hash.clone(), unread }
            })
            .collect();
        let err = rebuild_index(&Site::from_entries(entries), dir.path(), "test").unwrap_err();
        assert!(format!("{err:#}").contains("a00.md"), "{err:#}");
    }
}
