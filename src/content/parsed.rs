//! A cache of parsed front matter, kept in the output folder (`.digest-articles.jsonl`), so a rebuild parses YAML
//! only for content files whose text changed. Each line: stem, hash of the file's text, the parsed article without
//! its body (the body is cut from the text again, which is cheap). Safe to delete; a stale or broken line is
//! ignored and the file parsed again.

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

use super::hash;
use crate::article::Article;
use crate::site::OutputFile;

/// File name of the cache inside the output folder.
pub const PARSED: &str = ".digest-articles.jsonl";

/// Stem → (hash of the text, article without body).
pub type ParseCache = BTreeMap<String, (String, Article)>;

#[derive(Serialize, Deserialize)]
struct Line {
    stem: String,
    hash: String,
    article: Article,
}

/// Reads the cache from the output folder; missing or unreadable lines are simply not cached.
pub fn read_cache(out: &Path) -> ParseCache {
    let text = std::fs::read_to_string(out.join(PARSED)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines
        .par_iter()
        .filter_map(|line| serde_json::from_str::<Line>(line).ok())
        .map(|line| (line.stem, (line.hash, line.article)))
        .collect()
}

/// The cache file for the next build, from the texts and what they parsed to (same order: sorted by stem).
pub fn cache_file(texts: &BTreeMap<String, String>, articles: &[Article]) -> OutputFile {
    let entries: Vec<(&String, &String)> = texts.iter().collect();
    let lines: Vec<String> = entries
        .par_iter()
        .zip(articles)
        .map(|(&(stem, text), article)| {
            let line = Line { stem: stem.clone(), hash: hash(text.as_bytes()), article: article.clone() };
            serde_json::to_string(&line).expect("an Article always serializes") + "\n"
        })
        .collect();
    OutputFile { path: PARSED.into(), bytes: lines.concat().into_bytes() }
}

/// Parses every text (in parallel), reusing the cache where the text's hash matches. Sorted by stem. The first
/// broken file, in stem order, fails with `path:line: what is wrong`.
pub fn parse_all(dir: &Path, texts: &BTreeMap<String, String>, cache: &ParseCache) -> Result<Vec<Article>> {
    let entries: Vec<(&String, &String)> = texts.iter().collect();
    entries
        .par_iter()
        .map(|&(stem, text)| match cache.get(stem) {
            Some((cached, article)) if *cached == hash(text.as_bytes()) => {
                Ok(Article { stem: stem.clone(), body: body_of(text).to_string(), ..article.clone() })
            }
            _ => Article::from_markdown(stem, text)
                .map_err(|e| anyhow::anyhow!("{}:{}: {}", dir.join(format!("{stem}.md")).display(), e.line, e.message)),
        })
        .collect()
}

/// The body of a content file that parsed before: everything after the closing `---` line, trimmed, as
/// [`Article::from_markdown`] takes it.
fn body_of(text: &str) -> &str {
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

    #[test]
    fn reuses_cached_front_matter_only_for_the_same_text() {
        let texts: BTreeMap<String, String> =
            [("a", "---\ntitle: 甲\n---\n正文甲\n"), ("b", "---\ntitle: 乙\n---\n正文乙\n")]
                .into_iter()
                .map(|(s, t)| (s.to_string(), t.to_string()))
                .collect();
        let articles = parse_all(Path::new("c"), &texts, &ParseCache::new()).unwrap();
        let file = cache_file(&texts, &articles);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(PARSED), &file.bytes).unwrap();
        let mut cache = read_cache(dir.path());
        assert_eq!(cache.len(), 2);
        cache.get_mut("a").unwrap().1.title = "缓存里的标题".into();
        cache.get_mut("b").unwrap().1.title = "过期的标题".into();
        let mut changed = texts.clone();
        changed.insert("b".into(), "---\ntitle: 乙改\n---\n正文乙\n".into());
        let again = parse_all(Path::new("c"), &changed, &cache).unwrap();
        assert_eq!((again[0].title.as_str(), again[0].body.as_str()), ("缓存里的标题", "正文甲"));
        assert_eq!(again[1].title, "乙改");
    }
}
