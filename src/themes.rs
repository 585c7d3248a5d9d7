//! Themes: the catalogue maintainers edit (`src/lexicon/themes.yaml`) and the assignment of themes to an article.
//! Pure: no I/O.
//!
//! In: an article's title and body and the [`Catalogue`]. Out: the names of the themes the article is about.
//! A theme named in the title always counts. Otherwise its words must recur in the body (at least
//! [`MIN_BODY_HITS`] times and [`MIN_DENSITY`] per 1000 characters) and come near the strongest theme, so a
//! passing mention does not tag an article.

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use serde::Deserialize;
use std::sync::OnceLock;

/// The theme catalogue: each theme's name and the words that signal it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Catalogue {
    pub themes: Vec<Theme>,
    /// Every theme's words in one automaton, built on first use.
    #[serde(skip)]
    finder: OnceLock<Finder>,
}

/// One theme: its name (shown to readers) and the other words that signal it.
#[derive(Debug, Clone, Deserialize)]
pub struct Theme {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// At most this many themes per article.
pub const MAX_THEMES: usize = 4;
/// A theme not in the title needs at least this many mentions in the body…
pub const MIN_BODY_HITS: usize = 3;
/// …at least this many per 1000 characters of body…
pub const MIN_DENSITY: f64 = 2.0;
/// …and at least this share of the strongest theme's strength.
pub const MIN_SHARE: f64 = 0.15;
/// One mention in the title weighs as much as this many in the body.
const TITLE_WEIGHT: usize = 5;

/// The catalogue themes an article is about: strongest first, ties in catalogue order, at most [`MAX_THEMES`].
pub fn assign(title: &str, body: &str, catalogue: &Catalogue) -> Vec<String> {
    let title = compact(title);
    let body = compact(body);
    let length = body.chars().count().max(1) as f64;
    let finder = catalogue.finder.get_or_init(|| Finder::new(&catalogue.themes));
    let (in_title, in_body) = (finder.starts(&title), finder.starts(&body));
    let scored: Vec<(usize, usize, &Theme)> = catalogue
        .themes
        .iter()
        .zip(&finder.theme_words)
        .map(|(theme, words)| (finder.mentions(words, &in_title), finder.mentions(words, &in_body), theme))
        .collect();
    let strength = |(t, b, _): &(usize, usize, &Theme)| t * TITLE_WEIGHT + b;
    let strongest = scored.iter().map(strength).max().unwrap_or(0) as f64;
    let mut chosen: Vec<(usize, usize, &Theme)> = scored
        .into_iter()
        .enumerate()
        .filter(|(_, s)| {
            let (in_title, in_body, _) = *s;
            let recurring = in_body >= MIN_BODY_HITS && in_body as f64 * 1000.0 / length >= MIN_DENSITY;
            in_title > 0 || (recurring && strength(s) as f64 >= MIN_SHARE * strongest)
        })
        .map(|(order, s)| (strength(&s), order, s.2))
        .collect();
    chosen.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    chosen.into_iter().take(MAX_THEMES).map(|(_, _, theme)| theme.name.clone()).collect()
}

/// The theme's name and aliases, longest first, so the longer word is counted where two overlap.
fn words(theme: &Theme) -> Vec<&str> {
    let mut words: Vec<&str> =
        std::iter::once(&theme.name).chain(&theme.aliases).map(|w| w.trim()).filter(|w| !w.is_empty()).collect();
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    words.dedup();
    words
}

/// Text without whitespace, so justification spaces and wraps do not hide a word.
fn compact(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Mentions of any of `words` in `text`, never counting one stretch of text twice.
#[cfg(test)]
fn mentions(text: &str, words: &[&str]) -> usize {
    let theme = Theme { name: words[0].to_string(), aliases: words[1..].iter().map(|w| w.to_string()).collect() };
    let finder = Finder::new(std::slice::from_ref(&theme));
    finder.mentions(&finder.theme_words[0], &finder.starts(text))
}

/// Mentions of words given longest first, each as its length and where its occurrences start: each word's occurrences
/// left to right, not overlapping each other (as `str::match_indices` finds them), counted only where no longer word
/// was counted already.
fn count_mentions<'a>(words: impl Iterator<Item = (usize, &'a [usize])>) -> usize {
    // The stretches counted so far: few per theme, so a list is cheaper than marking every byte of the text.
    let mut used: Vec<std::ops::Range<usize>> = Vec::new();
    for (len, starts) in words {
        let mut free_from = 0;
        for &at in starts {
            if at < free_from {
                continue;
            }
            free_from = at + len;
            if !used.iter().any(|u| u.start < free_from && at < u.end) {
                used.push(at..free_from);
            }
        }
    }
    used.len()
}

/// Finds many words in one pass over a text (Aho-Corasick), instead of one pass per word.
#[derive(Debug, Clone)]
struct Finder {
    automaton: AhoCorasick,
    /// Every theme's words, sorted; a word's index is its pattern in the automaton.
    words: Vec<String>,
    /// For each theme of the catalogue, its words (see [`words`]) as indices into `words`, longest first.
    theme_words: Vec<Vec<usize>>,
}

impl Finder {
    fn new(themes: &[Theme]) -> Finder {
        let mut all: Vec<String> = themes.iter().flat_map(words).map(String::from).collect();
        all.sort();
        all.dedup();
        // A full DFA: the catalogue is small, and every article's body is scanned with it.
        let automaton =
            AhoCorasick::builder().kind(Some(AhoCorasickKind::DFA)).build(&all).expect("theme words make an automaton");
        let index = |w: &str| all.binary_search_by(|x| x.as_str().cmp(w)).expect("every theme word is in the list");
        let theme_words = themes.iter().map(|t| words(t).into_iter().map(index).collect()).collect();
        Finder { automaton, words: all, theme_words }
    }

    /// For each word (by index), where its occurrences in `text` start (ascending, overlapping ones included).
    fn starts(&self, text: &str) -> Vec<Vec<usize>> {
        let mut starts: Vec<Vec<usize>> = vec![Vec::new(); self.words.len()];
        for found in self.automaton.find_overlapping_iter(text) {
            starts[found.pattern().as_usize()].push(found.start());
        }
        starts.iter_mut().for_each(|list| list.sort_unstable());
        starts
    }

    /// Mentions of one theme's `words` (indices, longest first) in a text whose word [`Finder::starts`] are given.
    fn mentions(&self, words: &[usize], starts: &[Vec<usize>]) -> usize {
        count_mentions(words.iter().map(|&w| (self.words[w].len(), starts[w].as_slice())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Catalogue {
        crate::lexicon::Lexicon::built_in().themes
    }

    #[test]
    fn counts_a_theme_named_in_the_title() {
        let themes = assign("推动平台经济规范健康发展", "正文没有提到。", &catalogue());
        assert_eq!(themes, vec!["平台经济"]);
    }

    #[test]
    fn counts_a_theme_whose_aliases_recur_in_the_body() {
        let body = "川渝两地携手，川渝合作深化，成渝地区双城经济圈建设提速。".repeat(2);
        assert_eq!(assign("共建西部金融中心", &body, &catalogue()), vec!["成渝地区双城经济圈", "金融"]);
    }

    #[test]
    fn ignores_a_passing_mention() {
        let body = format!("{}加强与新加坡国际仲裁中心合作，推动人工智能应用。", "本次会议研究了档案工作。".repeat(30));
        assert!(assign("重庆市档案育人体系建设启动", &body, &catalogue()).is_empty());
    }

    #[test]
    fn does_not_count_an_overlapping_alias_twice() {
        assert_eq!(mentions("中新互联互通项目", &["中新互联互通项目", "中新互联互通"]), 1);
    }

    #[test]
    fn orders_by_strength_then_catalogue_and_caps() {
        let body = "人工智能 算力 大模型 数据资源 数据流通 公共数据 数据共享 金融 融资 金融机构 人才培养 人才引进 引才 旅游 游客 文旅";
        let themes = assign("", body, &catalogue());
        assert_eq!(themes.len(), MAX_THEMES);
        assert_eq!(&themes[..2], ["数据要素", "人工智能"]);
    }
}
