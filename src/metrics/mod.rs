//! Metric extraction: the text of one article part (body, headline, data box, caption) in, the quantitative
//! statements it makes out, normalized (16.3亿元 → value 1630000000, unit 元) and described (qualifier, year,
//! measure, sentence). Pure: no I/O. The words it relies on live in `src/lexicon/units.yaml` ([`UnitLexicon`]).
//!
//! The stages: [`numeral::tidy`] repairs spacing and wraps; [`scan`] finds numbers that carry a unit and are not
//! dates, ordinals, identifiers, slogans or idioms; [`describe`] adds qualifier, year, measure and sentence;
//! [`fraction`] reads parts of a whole; [`conflict::conflicts`] compares the metrics of one page with each other.

mod conflict;
mod describe;
mod fraction;
mod numeral;
mod scan;

use crate::article::{Context, Metric};
use crate::lexicon::WordSet;
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub use conflict::conflicts;

/// Units, scales, qualifiers and stop patterns (`src/lexicon/units.yaml`). Every list is plain words; the
/// extractor always prefers the longest word that matches, so maintainers need not order them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UnitLexicon {
    /// Scale word → multiplier (亿 → 1e8).
    pub scales: BTreeMap<String, f64>,
    /// Printed unit → unit written in the metric (标准箱 → 标箱).
    pub units: BTreeMap<String, String>,
    /// Units of time: small Chinese numerals count with them (两天, but not 三个维度); a time frame uses them.
    pub time_units: Vec<String>,
    /// Other units small Chinese numerals count with (三倍, 两艘), but not descriptors or place names.
    pub small_numeral_units: Vec<String>,
    /// Words before a number of months or days that make it a time frame, not a metric (前5个月, 近3天来).
    pub time_frame_prefixes: Vec<String>,
    /// Words before a number that make `N年` a duration rather than a date or an elapsed time, and `N个月` a
    /// duration rather than a time frame (为期, 耗时, 只需).
    pub year_duration_cues: Vec<String>,
    /// Nouns counted without a measure word after a scale (超百万小微客户) → the implied unit.
    pub count_nouns: BTreeMap<String, String>,
    /// Approximations printed before the number and kept in the metric's text (超, 约, 前, 上).
    pub prefix_approx: Vec<String>,
    /// Verbs and markers printed right before the number, reported as qualifier only (达到, 为期, 已有).
    pub prefix_verbs: Vec<String>,
    /// Approximations printed after the number or unit (余, 多, 以上, 左右).
    pub suffix_qualifiers: Vec<String>,
    /// Qualifiers that hold for every number after them in the clause (累计, 共).
    pub clause_qualifiers: Vec<String>,
    /// Compounds that contain a clause qualifier without meaning it (共同, 公共).
    pub qualifier_false_friends: Vec<String>,
    /// Periods of a rate printed as 每周24班次.
    pub rate_periods: Vec<String>,
    /// A number right after one of these is an ordinal (第, 届).
    pub ordinal_prefixes: Vec<String>,
    /// A number followed by one of these (when longer than any unit there) is not a metric: 月, 日, 周年, 级.
    pub stop_suffixes: Vec<String>,
    /// After a small count (≤ 10), these make it a descriptor of the text (3个方面, 两个维度).
    pub descriptor_nouns: Vec<String>,
    /// After `N次`, these make it a session (五十六次主席会议).
    pub session_words: Vec<String>,
    /// Words that let a bare Chinese magnitude count (超百万, 上百条).
    pub magnitude_prefixes: Vec<String>,
    /// Verbs that end the noun after a count when the measure is worded (名校长赴新加坡 → 校长).
    pub measure_stops: Vec<String>,
    /// Quotes up to this many characters are slogans or framework names.
    pub slogan_max_chars: usize,
    /// Idioms and names that begin with a numeral (千行百业, 万家灯火).
    pub idioms: Vec<String>,
    /// The lists looked up at every number, compiled on first use.
    #[serde(skip)]
    compiled: OnceLock<Compiled>,
}

/// The lists the scanner looks up at every number it meets, compiled for that.
#[derive(Debug, Clone)]
struct Compiled {
    scales: Affixes,
    units: Affixes,
    stop_suffixes: Affixes,
    count_nouns: Affixes,
    /// Suffix qualifiers of one character (余, 多), which may come between a number and its scale.
    short_qualifiers: Affixes,
    /// Suffix qualifiers of more than one character (以上, 左右).
    long_qualifiers: Affixes,
    suffix_qualifiers: Affixes,
    prefix_approx: Affixes,
    prefix_verbs: Affixes,
    qualifier_false_friends: Affixes,
    idioms: WordSet,
}

impl UnitLexicon {
    fn compiled(&self) -> &Compiled {
        self.compiled.get_or_init(|| {
            let one_char = |q: &&String| q.chars().count() == 1;
            Compiled {
                scales: Affixes::new(self.scales.keys()),
                units: Affixes::new(self.units.keys()),
                stop_suffixes: Affixes::new(&self.stop_suffixes),
                count_nouns: Affixes::new(self.count_nouns.keys()),
                short_qualifiers: Affixes::new(self.suffix_qualifiers.iter().filter(one_char)),
                long_qualifiers: Affixes::new(self.suffix_qualifiers.iter().filter(|q| !one_char(q))),
                suffix_qualifiers: Affixes::new(&self.suffix_qualifiers),
                prefix_approx: Affixes::new(&self.prefix_approx),
                prefix_verbs: Affixes::new(&self.prefix_verbs),
                qualifier_false_friends: Affixes::new(&self.qualifier_false_friends),
                idioms: WordSet::new(&self.idioms),
            }
        })
    }
}

/// A word list for finding the longest word a text starts or ends with: a lookup tries the text's few prefixes or
/// suffixes of the lengths the words have, longest first, instead of comparing every word.
#[derive(Debug, Clone, Default)]
struct Affixes {
    words: FxHashSet<String>,
    /// The words' distinct lengths in bytes, longest first.
    lengths: Vec<usize>,
}

impl Affixes {
    fn new<'a>(words: impl IntoIterator<Item = &'a String>) -> Affixes {
        let words: FxHashSet<String> = words.into_iter().filter(|w| !w.is_empty()).cloned().collect();
        let mut lengths: Vec<usize> = words.iter().map(String::len).collect();
        lengths.sort_unstable_by(|a, b| b.cmp(a));
        lengths.dedup();
        Affixes { words, lengths }
    }

    /// The longest word `text` starts with.
    fn longest_prefix(&self, text: &str) -> Option<&str> {
        self.lengths.iter().find_map(|&n| self.words.get(text.get(..n)?)).map(String::as_str)
    }

    /// The longest word `text` ends with.
    fn longest_suffix(&self, text: &str) -> Option<&str> {
        let end = text.len();
        self.lengths.iter().find_map(|&n| self.words.get(text.get(end.checked_sub(n)?..)?)).map(String::as_str)
    }
}

/// Finds the metrics in `text` (one article's body, headline, data box, …), in reading order.
/// A data box is a list: there each line is one item, never a hard wrap to join.
pub fn extract(text: &str, context: Context, units: &UnitLexicon) -> Vec<Metric> {
    let text = match context {
        Context::Databox => numeral::tidy(&text.lines().collect::<Vec<_>>().join("\n\n")),
        _ => numeral::tidy(text),
    };
    scan::quantities(&text, units).into_iter().map(|q| describe::metric(&text, &q, context, units)).collect()
}

#[cfg(test)]
mod tests;
