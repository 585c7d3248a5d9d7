//! The client-side search index. In: the [`Site`]. Out: `search/*.js` files for `search.html`. Pure: no I/O.
//!
//! Every file is a script that hands its data to the page's global `__digestSearch` (works from `file://`, where
//! `fetch` does not), and a query loads only the files it needs:
//! - `search/config.js`: document and shard counts (tiny; search.html loads it with the page);
//! - `search/terms/NNN.js`: token → documents ([`encode`]), the tokens spread over shards by [`shard_of`]; besides
//!   the tokens, `theme:NAME` and `author:NAME` list the documents for the filters;
//! - `search/texts/NNNN.js`: consecutive documents' page, title, date, section, authors and plain body text, for
//!   the final check, the snippets and the result list;
//! - `search/facets.js`: the theme and author names offered as filters;
//! - `.digest-search.json` (not for the page): what [`rebuild_index`] needs to redo only the changed documents.
//!
//! Tokens come from [`tokenize`] through elasticlunr-rs ([`postings`]). The page ANDs the query's tokens, then
//! confirms that the query's characters occur together in the title, an author or the body.

pub mod encode;
pub mod postings;
mod reuse;
pub mod tokenize;

use rayon::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use crate::article::Article;
use crate::site::{OutputFile, Page, Site};
use postings::{Doc, Posting, FREQUENT};
pub use reuse::{rebuild_index, Index, CACHE};

/// Aim for term shards of about this many bytes.
const TERM_SHARD_BYTES: usize = 48 * 1024;
/// Aim for text shards of about this many bytes.
const TEXT_SHARD_BYTES: usize = 24 * 1024;

/// The search index files for the site, and the cache file that lets [`rebuild_index`] redo only what changed.
/// `engine` identifies the code that made the site's articles (see [`crate::build`]): the cache holds for it only.
pub fn build_index(site: &Site, engine: &str) -> Vec<OutputFile> {
    build(site, &reuse::hashes(site), engine)
}

/// Every page's body must be readable (see [`Page::load`]).
fn build(site: &Site, hashes: &[String], engine: &str) -> Vec<OutputFile> {
    let docs = docs_of(site);
    let total = docs.len() as u32;
    let mut entries = postings::bucketed_postings(&docs, 64, |token, list| (token, encode_postings(list, total)));
    let filters = filter_entries(site);
    entries.extend(filters.iter().cloned());
    let text_bytes = site.pages.iter().map(|page| page.text().len()).sum();
    let layout =
        Layout::new(site.pages.len(), text_bytes, entry_bytes(entries.iter().map(|(t, e)| (t.as_str(), e.as_str()))));
    let mut files = head_files(site, &layout);
    files.extend(term_files(&entries, layout.term_shards));
    files.extend(text_files(site, layout.per_text_shard, &|_| false).expect("every body is readable").0);
    files.push(reuse::cache_file(site, hashes, &layout, filters, engine));
    files
}

/// How the index is cut into files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    /// The bytes of all term entries (as [`entry_bytes`] counts them), which decide the number of term shards.
    term_bytes: usize,
    term_shards: u32,
    /// The bytes of all documents' plain text, which decide how many documents share a text shard.
    text_bytes: usize,
    per_text_shard: usize,
}

impl Layout {
    fn new(docs: usize, text_bytes: usize, term_bytes: usize) -> Layout {
        let per_text_shard = docs_per_text_shard(docs, text_bytes);
        Layout { term_bytes, term_shards: shard_count(term_bytes), text_bytes, per_text_shard }
    }
}

/// What entries weigh in a term shard: token, tab, entry, line break (and some slack for escapes).
fn entry_bytes<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> usize {
    entries.map(|(t, e)| t.len() + e.len() + 4).sum()
}

/// `search/config.js` and `search/facets.js`.
fn head_files(site: &Site, layout: &Layout) -> Vec<OutputFile> {
    let config = json!({ "version": 2, "docs": site.pages.len(), "termShards": layout.term_shards,
        "textShardSize": layout.per_text_shard });
    vec![script("search/config.js", &format!("__digestSearch.config({config});\n")), facets_file(site)]
}

/// Whether a shard of the previous build can be kept as it is.
type Keep<'a> = dyn Fn(usize) -> bool + Sync + 'a;

fn docs_of(site: &Site) -> Vec<Doc<'_>> {
    site.pages.par_iter().map(index_doc).collect()
}

fn index_doc(page: &Page) -> Doc<'_> {
    let a = &page.article;
    let authors: Vec<&str> = a.authors.iter().map(|au| au.name.as_str()).collect();
    // "、" ends a CJK run (whitespace would not), so no bigram spans two names.
    Doc { fields: [a.title.as_str().into(), page.text().into(), authors.join("、").into(), themes_field(a).into()] }
}

/// The themes field as indexed.
fn themes_field(article: &Article) -> String {
    article.themes.join("、")
}

/// A token's entry from its postings ([`postings::pack`]ed, in document order).
fn encode_postings(list: &[u32], docs: u32) -> String {
    let ids = |keep: &dyn Fn(&Posting) -> bool| {
        list.iter().map(|&p| postings::unpack(p)).filter(|p| keep(p)).map(|p| p.doc).collect::<Vec<u32>>()
    };
    let frequent = ids(&|p| p.count >= FREQUENT);
    let others = ids(&|p| p.count < FREQUENT);
    let heading = ids(&|p| p.heading);
    encode::encode_entry(&frequent, &others, &heading, docs)
}

/// `theme:NAME` and `author:NAME` → documents, for the filters (no token has a `:`).
fn filter_entries(site: &Site) -> Vec<(String, String)> {
    let mut lists: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, page) in site.pages.iter().enumerate() {
        let a = &page.article;
        let names = a.themes.iter().map(|t| filter_key("theme", t));
        for key in names.chain(a.authors.iter().map(|au| filter_key("author", &au.name))) {
            let list = lists.entry(key).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    let docs = site.pages.len() as u32;
    lists.into_iter().map(|(key, list)| (key, encode::encode_list(&list, docs))).collect()
}

/// A filter's key in a term shard; tabs and line breaks, which separate a shard's entries, become spaces (search.js
/// does the same).
fn filter_key(kind: &str, name: &str) -> String {
    format!("{kind}:{}", name.replace(['\t', '\n', '\r'], " "))
}

/// A power of two, so that shards of about [`TERM_SHARD_BYTES`] hold `bytes`.
fn shard_count(bytes: usize) -> u32 {
    (bytes.div_ceil(TERM_SHARD_BYTES).max(1) as u32).next_power_of_two()
}

/// The term shard of a token: 32-bit FNV-1a over its code points, modulo the shard count (search-index.js agrees).
pub fn shard_of(token: &str, shards: u32) -> u32 {
    let hash = token.chars().fold(0x811c_9dc5_u32, |h, c| (h ^ c as u32).wrapping_mul(0x0100_0193));
    hash % shards
}

/// Documents per text shard, so that a shard holds about [`TEXT_SHARD_BYTES`] of text.
fn docs_per_text_shard(docs: usize, text_bytes: usize) -> usize {
    let average = text_bytes / docs.max(1);
    (TEXT_SHARD_BYTES / average.max(1)).clamp(1, 64)
}

fn facets_file(site: &Site) -> OutputFile {
    let articles = || site.pages.iter().map(|p| &p.article);
    let facets = json!({
        "themes": sorted_names(articles().flat_map(|a| a.themes.iter().map(String::as_str))),
        "authors": sorted_names(articles().flat_map(|a| a.authors.iter().map(|au| au.name.as_str()))),
    });
    script("search/facets.js", &format!("__digestSearch.facets({facets});\n"))
}

fn sorted_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Each shard is one string, `\ntoken\tentry\ntoken\tentry…\n` in token order: the page finds a token with one
/// `indexOf`, and a string costs the browser far less to load than an object of thousands of keys.
fn term_files(entries: &[(String, String)], shards: u32) -> Vec<OutputFile> {
    let mut grouped: Vec<Vec<(&str, &str)>> = vec![Vec::new(); shards as usize];
    for (token, entry) in entries {
        grouped[shard_of(token, shards) as usize].push((token, entry));
    }
    grouped.into_par_iter().enumerate().map(|(i, terms)| term_file(i, shards, terms)).collect()
}

fn term_file(i: usize, shards: u32, mut terms: Vec<(&str, &str)>) -> OutputFile {
    terms.sort_unstable();
    let size = 1 + terms.iter().map(|(token, entry)| token.len() + entry.len() + 2).sum::<usize>();
    // In JSON each tab and line break takes two characters.
    let escaped = size + 2 * terms.len() + 2;
    let mut data = String::with_capacity(size);
    data.push('\n');
    for (token, entry) in terms {
        data.extend([token, "\t", entry, "\n"]);
    }
    shard_script(term_path(i, shards), "terms", i, &data, escaped)
}

fn term_path(i: usize, shards: u32) -> String {
    format!("search/terms/{i:0width$}.js", width = digits(shards as usize))
}

fn text_path(i: usize, shards: usize) -> String {
    format!("search/texts/{i:0width$}.js", width = digits(shards))
}

/// The text shards, except those `keep` says the previous build's can be kept: their paths. None if a body the
/// shards need can no longer be read.
fn text_files(site: &Site, per_shard: usize, keep: &Keep) -> Option<(Vec<OutputFile>, Vec<PathBuf>)> {
    let shards = site.pages.len().div_ceil(per_shard);
    let files: Vec<Result<OutputFile, PathBuf>> = site
        .pages
        .par_chunks(per_shard)
        .enumerate()
        .map(|(i, pages)| {
            let path = text_path(i, shards);
            if keep(i) {
                return Some(Err(path.into()));
            }
            pages.iter().try_for_each(Page::load).ok()?;
            let texts: Vec<_> = pages.iter().map(text_entry).collect();
            // Line breaks and quotes take two characters in JSON; a few per paragraph.
            let size: usize = pages.iter().map(|p| p.text().len() + p.text().len() / 16 + 256).sum();
            Some(Ok(shard_script(path, "texts", i, &texts, size)))
        })
        .collect::<Option<_>>()?;
    let (written, kept): (Vec<_>, Vec<_>) = files.into_iter().partition(Result::is_ok);
    Some((written.into_iter().flatten().collect(), kept.into_iter().filter_map(Result::err).collect()))
}

/// `[stem, title, date, section, [authors], body text]`.
type TextEntry<'a> = (&'a str, &'a str, &'a str, &'a str, Vec<&'a str>, &'a str);

fn text_entry(page: &Page) -> TextEntry<'_> {
    let a = &page.article;
    let authors: Vec<&str> = a.authors.iter().map(|au| au.name.as_str()).collect();
    (&a.stem, &a.title, a.date.as_deref().unwrap_or(""), a.section.as_deref().unwrap_or(""), authors, page.text())
}

/// Digits of the largest shard number, at least 3, so file names sort in shard order.
fn digits(count: usize) -> usize {
    count.saturating_sub(1).to_string().len().max(3)
}

/// `__digestSearch.NAME(i,DATA);` with the data as JSON, written straight into the file's bytes, which are
/// allocated for about `size` bytes of JSON at once (growing a buffer of megabytes copies it and touches new memory).
fn shard_script(path: String, name: &str, i: usize, data: &impl serde::Serialize, size: usize) -> OutputFile {
    let mut bytes = Vec::with_capacity(size + 64);
    write!(bytes, "__digestSearch.{name}({i},").expect("writing to memory");
    serde_json::to_writer(&mut bytes, data).expect("strings serialize");
    bytes.extend_from_slice(b");\n");
    OutputFile { path: path.into(), bytes }
}

fn script(path: &str, text: &str) -> OutputFile {
    OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_of_matches_fnv1a_over_code_points() {
        assert_eq!(shard_of("", 1 << 31), 0x811c_9dc5 % (1 << 31));
        assert_eq!(shard_of("a", u32::MAX), 0xe40c_292c);
        assert!(shard_of("算力", 64) < 64);
    }

    #[test]
    fn empty_site_gives_config_facets_and_one_empty_term_shard() {
        let files = build_index(&Site::new(Vec::new()), "test");
        let paths: Vec<_> = files.iter().map(|f| f.path.to_string_lossy().to_string()).collect();
        assert_eq!(paths, ["search/config.js", "search/facets.js", "search/terms/000.js", CACHE]);
    }

    #[test]
    fn shard_count_is_a_power_of_two() {
        assert_eq!(shard_count(0), 1);
        assert_eq!(shard_count(TERM_SHARD_BYTES * 3), 4);
    }
}
