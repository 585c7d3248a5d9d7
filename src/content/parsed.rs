//! A cache of parsed front matter, kept in the output folder (`.digest-articles.jsonl`), so a rebuild neither reads
//! nor parses content files that did not change. Each line: stem, hash of the file's bytes, the file's size and
//! modification time when last seen, the parsed article without its body. Safe to delete; a stale or broken line
//! is ignored and the file read and parsed again.

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{File, Stamp};
use crate::article::Article;
use crate::site::OutputFile;

/// Name of the cache file in the output folder.
pub const PARSED: &str = ".digest-articles.jsonl";

/// Stem → what the cache knows of that content file.
pub type ParseCache = BTreeMap<String, Cached>;

/// A content file as parsed before: the hash of its bytes, its stamp then, its article (body left out).
#[derive(Debug, Clone)]
pub struct Cached {
    pub hash: String,
    pub stamp: Option<Stamp>,
    pub article: Article,
    /// The cache line it was read from, if any: written again as it is while the file stays as it was.
    pub line: Option<Box<str>>,
}

/// Lines of the cache just read that still describe their content file, by stem, with the stamp they record.
pub type Lines = BTreeMap<String, (Option<Stamp>, Box<str>)>;

/// One line of the cache file. Its fields are spelled out rather than a flattened [`Cached`]: serde's flatten
/// buffers every value and made reading the cache several times slower.
#[derive(Serialize, Deserialize)]
struct Line<A> {
    stem: String,
    hash: String,
    #[serde(default)]
    stamp: Option<Stamp>,
    article: A,
}

/// An article of the content folder. Its body is in `article.body`, unless the file was not read this build (it
/// had not changed): then `unread` is the file to take it from, when a page or the search index needs it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub article: Article,
    /// Hash of the content file's bytes: it changes whenever the article does.
    pub hash: String,
    pub unread: Option<PathBuf>,
}

/// Reads the cache from the output folder: empty if missing or written by another engine (see
/// [`crate::build`]'s fingerprint), whose parser may read files differently.
pub fn read_cache(out: &Path, engine: &str) -> ParseCache {
    let text = std::fs::read_to_string(out.join(PARSED)).unwrap_or_default();
    let mut lines = text.lines();
    if lines.next() != Some(header(engine).trim_end()) {
        return ParseCache::new();
    }
    let lines: Vec<&str> = lines.collect();
    lines
        .par_iter()
        .filter_map(|line| Some((serde_json::from_str::<Line<Article>>(line).ok()?, line)))
        .map(|(l, line)| {
            (l.stem, Cached { hash: l.hash, stamp: l.stamp, article: l.article, line: Some((*line).into()) })
        })
        .collect()
}

/// The cache file for the next build, from the content files and their articles (same order: sorted by stem). A
/// file whose line in `previous` records its current stamp keeps that line.
pub fn cache_file<'a>(
    engine: &str,
    files: &BTreeMap<String, File>,
    articles: impl Iterator<Item = &'a Article>,
    previous: &Lines,
) -> OutputFile {
    let pairs: Vec<((&String, &File), &Article)> = files.iter().zip(articles).collect();
    let lines: Vec<Cow<str>> = pairs
        .par_iter()
        .map(|&((stem, file), article)| match previous.get(stem) {
            Some((stamp, line)) if *stamp == file.stamp => Cow::Borrowed(&**line),
            _ => {
                // The body is not serialized (see `Article`): it stays in the content file.
                let line = Line { stem: stem.clone(), hash: file.hash.clone(), stamp: file.stamp, article };
                Cow::Owned(serde_json::to_string(&line).expect("an Article always serializes"))
            }
        })
        .collect();
    let mut bytes = header(engine).into_bytes();
    bytes.reserve(lines.iter().map(|line| line.len() + 1).sum());
    for line in lines {
        bytes.extend_from_slice(line.as_bytes());
        bytes.push(b'\n');
    }
    OutputFile { path: PARSED.into(), bytes }
}

fn header(engine: &str) -> String {
    serde_json::json!({ "engine": engine }).to_string() + "\n"
}

/// Parses every content file (in parallel), taking the front matter from `cache` where the file's hash matches.
/// Also returns the cache lines so used, for [`cache_file`]. Errors name the file and line.
pub fn parse_all(dir: &Path, files: &BTreeMap<String, File>, mut cache: ParseCache) -> Result<(Vec<Entry>, Lines)> {
    // Taken out of the cache, not cloned: a cold build has every imported article there.
    let mut lines = Lines::new();
    let files: Vec<(&String, &File, Option<Cached>)> = files
        .iter()
        .map(|(stem, file)| {
            let mut cached = cache.remove(stem).filter(|c| c.hash == file.hash);
            if let Some(line) = cached.as_mut().and_then(|c| Some((c.stamp, c.line.take()?))) {
                lines.insert(stem.clone(), line);
            }
            (stem, file, cached)
        })
        .collect();
    let entries = files.into_par_iter().map(|(stem, file, cached)| parse_one(dir, stem, file, cached));
    Ok((entries.collect::<Result<_>>()?, lines))
}

fn parse_one(dir: &Path, stem: &str, file: &File, cached: Option<Cached>) -> Result<Entry> {
    let path = dir.join(format!("{stem}.md"));
    let (article, unread) = match (cached, &file.text) {
        (Some(cached), Some(text)) => (Article { body: body_of(text).to_string(), ..cached.article }, None),
        (Some(cached), None) => (Article { body: String::new(), ..cached.article }, Some(path)),
        (None, text) => {
            let text = match text {
                Some(text) => Cow::Borrowed(text.as_str()),
                None => Cow::Owned(super::read_text(&path)?),
            };
            let article = Article::from_markdown(stem, &text)
                .map_err(|e| anyhow::anyhow!("{}:{}: {}", path.display(), e.line, e.message))?;
            (article, None)
        }
    };
    Ok(Entry { article: Article { stem: stem.to_string(), ..article }, hash: file.hash.clone(), unread })
}

/// The body of a content file: everything after the closing `---` of the front matter, trimmed, exactly as
/// [`Article::from_markdown`] cuts it.
pub fn body_of(text: &str) -> &str {
    let mut lines = text.split_inclusive('\n');
    let mut offset = lines.next().map_or(0, str::len);
    for line in lines {
        offset += line.len();
        if line.trim_end() == "---" {
            return text[offset..].trim();
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_bodies_as_the_parser_does() {
        for text in [
            "---\ntitle: 甲\n---\n\n正文。\n\n## 小标题\n",
            "\u{feff}---\r\ntitle: 乙\r\n---\r\n\r\n正文\r\n",
            "---\ntitle: 丙\nsubtitle: \"---\"\n---\n---\n尾\n",
            "---\ntitle: 丁\n---",
        ] {
            let article = Article::from_markdown("x", text).unwrap();
            assert_eq!(body_of(text), article.body, "{text:?}");
        }
    }

    fn files(texts: &[(&str, &str)]) -> BTreeMap<String, File> {
        texts.iter().map(|(s, t)| (s.to_string(), File::new(t.to_string()))).collect()
    }

    #[test]
    fn reuses_cached_front_matter_only_for_the_same_text() {
        let first = files(&[("a", "---\ntitle: 甲\n---\n正文甲\n"), ("b", "---\ntitle: 乙\n---\n正文乙\n")]);
        let (entries, _) = parse_all(Path::new("c"), &first, ParseCache::new()).unwrap();
        let file = cache_file("e1", &first, entries.iter().map(|e| &e.article), &Lines::new());
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PARSED), &file.bytes).unwrap();
        assert!(read_cache(dir.path(), "e2").is_empty());
        let mut cache = read_cache(dir.path(), "e1");
        assert_eq!(cache.len(), 2);
        cache.get_mut("a").unwrap().article.title = "缓存里的标题".into();
        cache.get_mut("b").unwrap().article.title = "过期的标题".into();
        let changed = files(&[("a", "---\ntitle: 甲\n---\n正文甲\n"), ("b", "---\ntitle: 乙改\n---\n正文乙\n")]);
        let (again, _) = parse_all(Path::new("c"), &changed, cache).unwrap();
        assert_eq!((again[0].article.title.as_str(), again[0].article.body.as_str()), ("缓存里的标题", "正文甲"));
        assert_eq!(again[1].article.title, "乙改");
    }

    #[test]
    fn leaves_bodies_of_unread_files_on_disk() {
        let text = "---\ntitle: 甲\n---\n正文甲\n";
        let mut cache = ParseCache::new();
        let article = Article::from_markdown("a", text).unwrap();
        let hash = super::super::hash(text.as_bytes());
        cache.insert("a".into(), Cached { hash: hash.clone(), stamp: None, article, line: None });
        let unread: BTreeMap<String, File> = [("a".to_string(), File { hash, text: None, stamp: None })].into();
        let (entries, _) = parse_all(Path::new("c"), &unread, cache).unwrap();
        assert_eq!(entries[0].article.title, "甲");
        assert_eq!(entries[0].article.body, "");
        assert_eq!(entries[0].unread.as_deref(), Some(Path::new("c/a.md")));
    }

    #[test]
    fn keeps_the_lines_of_files_as_they_were_and_rewrites_the_others() {
        let stamp = |modified| Some(Stamp { len: 1, modified });
        let mut folder = files(&[("a", "---\ntitle: 甲\n---\n"), ("b", "---\ntitle: 乙\n---\n")]);
        folder.values_mut().for_each(|file| file.stamp = stamp(1));
        let (entries, _) = parse_all(Path::new("c"), &folder, ParseCache::new()).unwrap();
        let file = cache_file("e1", &folder, entries.iter().map(|e| &e.article), &Lines::new());
        // A space serde_json never writes marks the lines read back from this cache.
        let text = String::from_utf8(file.bytes).unwrap().replace("{\"stem\":", "{\"stem\": ");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PARSED), &text).unwrap();
        let (entries, lines) = parse_all(Path::new("c"), &folder, read_cache(dir.path(), "e1")).unwrap();
        folder.get_mut("b").unwrap().stamp = stamp(2); // "b" was written again since
        let again = cache_file("e1", &folder, entries.iter().map(|e| &e.article), &lines);
        let again = String::from_utf8(again.bytes).unwrap();
        let lines: Vec<&str> = again.lines().skip(1).collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("{\"stem\": \"a\""), "{}", lines[0]);
        assert!(lines[1].starts_with("{\"stem\":\"b\"") && lines[1].contains("\"modified\":2"), "{}", lines[1]);
    }
}
