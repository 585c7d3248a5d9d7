//! The lexicons maintainers edit: layout words, units, the theme catalogue.
//!
//! The YAML files in `src/lexicon/` are built into the binary; `--lexicon DIR` reads a folder of replacements
//! instead (any file missing there falls back to the built-in one). [`Lexicon::fingerprint`] changes whenever any of
//! them does, so cached annotations are redone. [`WordSet`] compiles one word list for the stages that scan every line
//! with it.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use anyhow::{Context as _, Result};
use serde::de::DeserializeOwned;
use std::ops::Range;
use std::path::Path;

use crate::import::LayoutLexicon;
use crate::metrics::UnitLexicon;
use crate::themes::Catalogue;

const BUILT_IN: [(&str, &str); 3] = [
    ("layout.yaml", include_str!("lexicon/layout.yaml")),
    ("units.yaml", include_str!("lexicon/units.yaml")),
    ("themes.yaml", include_str!("lexicon/themes.yaml")),
];

#[derive(Debug, Clone)]
pub struct Lexicon {
    pub layout: LayoutLexicon,
    pub units: UnitLexicon,
    pub themes: Catalogue,
    /// Hash of every lexicon file's text.
    pub fingerprint: String,
}

impl Lexicon {
    /// The built-in lexicons.
    pub fn built_in() -> Lexicon {
        Lexicon::load(None).expect("built-in lexicons parse (checked by a unit test)")
    }

    /// Reads the lexicons, preferring files in `dir` over the built-in ones.
    pub fn load(dir: Option<&Path>) -> Result<Lexicon> {
        let mut texts = Vec::new();
        for (name, built_in) in BUILT_IN {
            let text = match dir.map(|d| d.join(name)).filter(|p| p.exists()) {
                Some(path) => std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?,
                None => built_in.to_string(),
            };
            texts.push((name, text));
        }
        let mut hasher = blake3::Hasher::new();
        for (name, text) in &texts {
            hasher.update(name.as_bytes()).update(text.as_bytes());
        }
        Ok(Lexicon {
            layout: parse(texts[0].0, &texts[0].1)?,
            units: parse(texts[1].0, &texts[1].1)?,
            themes: parse(texts[2].0, &texts[2].1)?,
            fingerprint: hasher.finalize().to_hex().to_string(),
        })
    }
}

fn parse<T: DeserializeOwned>(name: &str, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|err| {
        let line = err.location().map_or(0, |l| l.line());
        anyhow::anyhow!("lexicon {name}:{line}: {err}")
    })
}

/// A lexicon word list compiled once into an Aho-Corasick automaton: one pass over a text tells which of its words
/// occur there, instead of one search per word. Callers use it to skip texts none of the words occur in, then keep
/// their word-by-word rules (list order, first or last occurrence) for the few texts that remain.
#[derive(Debug, Clone)]
pub struct WordSet {
    automaton: AhoCorasick,
}

impl WordSet {
    /// Compiles `words` (an empty word occurs in every text, as with `str::contains`).
    pub fn new<'a>(words: impl IntoIterator<Item = &'a String>) -> WordSet {
        let words: Vec<&str> = words.into_iter().map(String::as_str).collect();
        // A full DFA: the lists are short, and the importer asks them of every line.
        let automaton = AhoCorasick::builder().kind(Some(AhoCorasickKind::DFA)).build(words);
        WordSet { automaton: automaton.expect("lexicon words make an automaton") }
    }

    /// True when any of the words occurs in `text`.
    pub fn occurs_in(&self, text: &str) -> bool {
        self.automaton.is_match(text)
    }

    /// Every word's occurrences in `text` as `str::match_indices` finds them (left to right, not overlapping each other;
    /// occurrences of different words may overlap), as (word index, byte range), by word, then position.
    pub fn occurrences(&self, text: &str) -> Vec<(usize, Range<usize>)> {
        if !self.occurs_in(text) {
            return Vec::new();
        }
        let mut all: Vec<(usize, Range<usize>)> =
            self.automaton.find_overlapping_iter(text).map(|m| (m.pattern().as_usize(), m.range())).collect();
        all.sort_by_key(|(word, span)| (*word, span.start));
        let mut free_from = (usize::MAX, 0);
        all.retain(|(word, span)| {
            let keep = free_from.0 != *word || span.start >= free_from.1;
            if keep {
                free_from = (*word, span.end);
            }
            keep
        });
        all
    }

    /// The indices (in list order) of the words that occur in `text`, each once, ascending.
    pub fn found_in(&self, text: &str) -> Vec<usize> {
        if !self.occurs_in(text) {
            return Vec::new();
        }
        let mut found: Vec<usize> =
            self.automaton.find_overlapping_iter(text).map(|m| m.pattern().as_usize()).collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_sets_find_overlapping_words_in_list_order() {
        let words: Vec<String> = ["记者", "首席记者", "摄"].map(String::from).to_vec();
        let set = WordSet::new(&words);
        assert!(set.occurs_in("新重庆-重庆日报首席记者 杨骏"));
        assert!(!set.occurs_in("杨骏"));
        assert_eq!(set.found_in("首席记者 杨骏 摄"), [0, 1, 2]);
        let doubled: Vec<String> = ["aa", "a"].map(String::from).to_vec();
        let spans: Vec<_> = WordSet::new(&doubled).occurrences("aaa").into_iter().map(|(w, r)| (w, r.start)).collect();
        assert_eq!(spans, [(0, 0), (1, 0), (1, 1), (1, 2)]);
    }

    #[test]
    fn built_in_lexicons_parse() {
        let lexicon = Lexicon::load(None).unwrap();
        assert!(lexicon.themes.themes.len() >= 16);
    }
}
