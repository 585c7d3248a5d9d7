//! Finding quantities in tidied text: a number (Arabic or Chinese), an optional scale, a unit, and the
//! approximations around them; never dates, ordinals, identifiers, slogans in quotes or idioms. Pure: no I/O.

use super::fraction;
use super::numeral::{parse_chinese, scaled_arabic};
use super::UnitLexicon;
use aho_corasick::AhoCorasick;
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

/// One quantity found in the text; byte offsets into the tidied text.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    /// The printed span, approximation prefix and suffix included (超200名, 50%以上).
    pub span: Range<usize>,
    /// Where the number itself starts.
    pub number_start: usize,
    pub value: f64,
    pub scale: f64,
    pub unit: String,
    /// An approximation printed with the number (超, 余, 以上), or a verb right before it (达到, 为期).
    pub qualifier: Option<String>,
}

const NUMERALS: &str = "零〇一二两兩三四五六七八九十百千万萬亿億";

fn number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\d+(?:,\d{3})*(?:\.\d+)?|[零〇一二两兩三四五六七八九十百千万萬亿億]+").unwrap())
}

fn range_low_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(\d+(?:\.\d+)?)(万|亿)?%?(?:-|—|–|~|～|至|到)$").unwrap())
}

/// Every quantity in `text`, in reading order.
pub fn quantities(text: &str, lex: &UnitLexicon) -> Vec<Quantity> {
    // Worked out when the first candidate needs it: many texts have none.
    let blocked = std::cell::OnceCell::new();
    let is_blocked = |r: &Range<usize>| {
        blocked.get_or_init(|| blocked_spans(text, lex)).iter().any(|b| b.start < r.end && r.start < b.end)
    };
    let mut found: Vec<Quantity> =
        fraction::fractions(text, lex).into_iter().filter(|q| !is_blocked(&q.span)).collect();
    let mut pos = 0;
    while let Some(m) = number_re().find_at(text, pos) {
        pos = m.end();
        if found.iter().any(|q| q.span.start < m.end() && m.start() < q.span.end) {
            continue;
        }
        if let Some(q) = quantity_at(text, m.range(), lex).filter(|q| !is_blocked(&q.span)) {
            pos = q.span.end;
            found.push(q);
        }
    }
    let lows: Vec<Quantity> = found
        .iter()
        .filter_map(|q| range_low(text, q))
        .filter(|low| !found.iter().any(|q| q.number_start == low.number_start))
        .collect();
    found.extend(lows);
    found.sort_by_key(|q| (q.span.start, q.number_start));
    found
}

/// The quantity whose number is printed at `number`, if it is one.
fn quantity_at(text: &str, number: Range<usize>, lex: &UnitLexicon) -> Option<Quantity> {
    let digits = &text[number.clone()];
    let arabic = digits.starts_with(|c: char| c.is_ascii_digit());
    let before = &text[..number.start];
    let hyphen_id = before.strip_suffix('-').is_some_and(|b| b.ends_with(|c: char| c.is_ascii_alphabetic()));
    if arabic && (hyphen_id || before.ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_'))) {
        return None; // an identifier: 24SKGH153, 2024SZ37
    }
    if lex.ordinal_prefixes.iter().any(|p| before.ends_with(p.as_str())) {
        return None;
    }
    let (scale, tail) = scaled_tail(text, number.end, arabic, lex).or_else(|| unit_in_clause(text, &number, lex))?;
    let value = if arabic { scaled_arabic(digits, scale)? } else { parse_chinese(digits)? * scale };
    let q = Quantity {
        span: number.start..tail.end,
        number_start: number.start,
        value,
        scale,
        unit: tail.unit,
        qualifier: tail.qualifier,
    };
    let q = with_prefix(text, q, lex, !arabic && digits.starts_with(['百', '千', '万', '萬', '亿', '億']));
    acceptable(text, &q, digits, arabic, lex).then_some(q)
}

/// 常住人口3190万，: a scaled number ending the clause takes its unit from a count noun just before it.
fn unit_in_clause(text: &str, number: &Range<usize>, lex: &UnitLexicon) -> Option<(f64, Tail)> {
    let rest = &text[number.end..];
    let scale = lex.compiled().scales.longest_prefix(rest).filter(|s| lex.scales[*s] >= 1e4)?;
    let end = number.end + scale.len();
    if !(text[end..].is_empty() || text[end..].starts_with(['，', '。', '；', '、', ',', ';', '\n', '）', ')'])) {
        return None;
    }
    let start = text[..number.start].char_indices().rev().nth(7).map_or(0, |(i, _)| i);
    let window = &text[start..number.start];
    let noun =
        lex.count_nouns.keys().filter(|n| window.contains(n.as_str())).max_by_key(|n| window.rfind(n.as_str()))?;
    Some((lex.scales[scale], Tail { unit: lex.count_nouns[noun].clone(), end, qualifier: None }))
}

/// What follows a number: an optional scale, the unit, approximations.
struct Tail {
    unit: String,
    end: usize,
    qualifier: Option<String>,
}

/// Tries the tail with a scale first (16.3亿元), then without one (34.5百分点).
fn scaled_tail(text: &str, at: usize, arabic: bool, lex: &UnitLexicon) -> Option<(f64, Tail)> {
    let compiled = lex.compiled();
    let mid = compiled.short_qualifiers.longest_prefix(&text[at..]);
    let after_mid = at + mid.map_or(0, str::len);
    if arabic {
        if let Some(scale) = compiled.scales.longest_prefix(&text[after_mid..]) {
            let factor = lex.scales[scale];
            if let Some(tail) = tail(text, after_mid + scale.len(), mid, true, lex) {
                return Some((factor, tail));
            }
        }
    }
    let bare_magnitude = !arabic && text[..at].ends_with(['百', '千', '万', '萬', '亿', '億']);
    tail(text, after_mid, mid, bare_magnitude, lex).map(|t| (1.0, t))
}

fn tail(text: &str, at: usize, mid: Option<&str>, scaled: bool, lex: &UnitLexicon) -> Option<Tail> {
    let rest = &text[at..];
    let compiled = lex.compiled();
    let mid2 = if mid.is_none() { compiled.short_qualifiers.longest_prefix(rest) } else { None };
    let at = at + mid2.map_or(0, str::len);
    let rest = &text[at..];
    let mid = mid.or(mid2);
    let unit = compiled.units.longest_prefix(rest);
    let stop = compiled.stop_suffixes.longest_prefix(rest);
    if stop.map_or(0, str::len) > unit.map_or(0, str::len) {
        return None;
    }
    let Some(unit) = unit else {
        return if scaled {
            counted_noun(rest, lex).map(|u| Tail { unit: u, end: at, qualifier: mid.map(String::from) })
        } else {
            None
        };
    };
    let end = at + unit.len();
    if unit.is_ascii() && text[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    if !unit.is_ascii() && rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let loose = lex.time_units.iter().any(|t| t == unit) || unit == "倍";
    let post_qualifiers = if loose { &compiled.suffix_qualifiers } else { &compiled.long_qualifiers };
    let post = post_qualifiers.longest_prefix(&text[end..]);
    Some(Tail {
        unit: lex.units[unit].clone(),
        end: end + post.map_or(0, str::len),
        qualifier: post.or(mid).map(String::from),
    })
}

/// 超百万小微客户: a count noun within two characters → the unit it implies.
fn counted_noun(rest: &str, lex: &UnitLexicon) -> Option<String> {
    rest.char_indices()
        .take(3)
        .find_map(|(i, _)| lex.compiled().count_nouns.longest_prefix(&rest[i..]))
        .map(|n| lex.count_nouns[n].clone())
}

/// Adds the approximation or verb printed right before the number (超, 约, 前, 每周, 达到).
fn with_prefix(text: &str, mut q: Quantity, lex: &UnitLexicon, bare_magnitude: bool) -> Quantity {
    let before = &text[..q.number_start];
    let per = |p: &&String| before.strip_suffix(p.as_str()).is_some_and(|b| b.ends_with('每'));
    if let Some(period) = lex.rate_periods.iter().find(per) {
        let rate = format!("每{period}");
        q.span.start -= rate.len();
        q.unit = format!("{}/{}", q.unit, period);
        q.qualifier = Some(rate);
        return q;
    }
    let compiled = lex.compiled();
    let friend = compiled.qualifier_false_friends.longest_suffix(before).map_or(0, str::len);
    let approx = compiled.prefix_approx.longest_suffix(before).filter(|a| a.len() > friend).filter(|a| match *a {
        "上" => bare_magnitude,
        "前" => matches!(q.unit.as_str(), "位" | "名"),
        _ => true,
    });
    if let Some(a) = approx {
        q.span.start -= a.len();
        q.qualifier = q.qualifier.or(Some(a.to_string()));
    } else if let Some(v) = compiled.prefix_verbs.longest_suffix(before).filter(|v| v.len() > friend) {
        q.qualifier = q.qualifier.or(Some(v.to_string()));
    }
    q
}

/// The grammar that tells a metric from a date, a session, a descriptor or a time frame.
fn acceptable(text: &str, q: &Quantity, digits: &str, arabic: bool, lex: &UnitLexicon) -> bool {
    let before = &text[..q.number_start];
    let cue_before = |t: &str| lex.year_duration_cues.iter().any(|c| t.ends_with(c.as_str()));
    let cue = cue_before(before) || cue_before(&text[..q.span.start]);
    let time_unit = lex.time_units.contains(&q.unit);
    if q.unit == "年" && !cue {
        return false; // 2025年, 近10年来, 10年成果
    }
    if time_unit && !cue && lex.time_frame_prefixes.iter().any(|p| before.ends_with(p.as_str())) {
        return false; // 前5个月: a time frame
    }
    let small_count = q.value <= 10.0 && !time_unit;
    if small_count && lex.descriptor_nouns.iter().any(|w| text[q.span.end..].starts_with(w.as_str())) {
        return false; // 从3个方面发力: the structure of the text, not a quantity
    }
    if q.unit == "次" && lex.session_words.iter().any(|w| text[q.span.end..].starts_with(w.as_str())) {
        return false;
    }
    if !arabic {
        let magnitude = digits.starts_with(['百', '千', '万', '萬', '亿', '億']);
        let prefixed = lex.magnitude_prefixes.iter().any(|p| before.ends_with(p.as_str()));
        let approximate = text[q.number_start + digits.len()..].starts_with(['余', '多']);
        if magnitude && digits.chars().count() == 1 && !prefixed && !approximate {
            return false; // 万家灯火, but 百余家
        }
        let small = !magnitude && q.value <= 10.0;
        let countable = time_unit || approximate || lex.small_numeral_units.contains(&q.unit);
        if small && (!countable || (q.value == 1.0 && !cue && q.unit != "倍")) {
            return false; // 三个维度, 四大领域, 一台
        }
    }
    true
}

/// 10%-20%, 3至5年: the low end of a range printed before a quantity, with the quantity's scale and unit.
fn range_low(text: &str, q: &Quantity) -> Option<Quantity> {
    let caps = range_low_re().captures(&text[..q.number_start])?;
    let low = caps.get(1)?;
    if text[..low.start()].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '.') {
        return None;
    }
    let scale = match caps.get(2).map(|s| s.as_str()) {
        Some("万") => 1e4,
        Some("亿") => 1e8,
        _ => q.scale,
    };
    let value = scaled_arabic(low.as_str(), scale)?;
    (value < q.value).then(|| Quantity {
        span: low.start()..q.span.end,
        number_start: low.start(),
        value,
        scale: q.scale,
        unit: q.unit.clone(),
        qualifier: q.qualifier.clone(),
    })
}

/// Quotes and book-title marks: open, close, and whether a span of any length counts (book titles) or only a slogan.
const QUOTES: [(char, char, bool); 4] = [('“', '”', false), ('"', '"', false), ('「', '」', false), ('《', '》', true)];

/// A searcher for each opening mark of [`QUOTES`]: `str::find` with a CJK character stops at every byte its encoding
/// ends with, and such bytes are common inside Chinese text; a literal searcher skips ahead.
fn openers() -> &'static [AhoCorasick] {
    static OPENERS: OnceLock<Vec<AhoCorasick>> = OnceLock::new();
    OPENERS.get_or_init(|| {
        QUOTES.iter().map(|(open, _, _)| AhoCorasick::new([open.to_string()]).expect("a literal searcher")).collect()
    })
}

/// Short quotes and book titles with their repetitions elsewhere, and idioms: no metric starts inside them.
fn blocked_spans(text: &str, lex: &UnitLexicon) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut slogans: Vec<&str> = Vec::new();
    for ((open, close, any_length), opener) in QUOTES.into_iter().zip(openers()) {
        let mut from = 0;
        while let Some(i) = opener.find(&text[from..]).map(|m| from + m.start()) {
            let inner_start = i + open.len_utf8();
            let Some(j) = text[inner_start..].find([close, '\n']).map(|j| inner_start + j) else { break };
            let inner = &text[inner_start..j];
            if text[j..].starts_with(close) && (any_length || inner.chars().count() <= lex.slogan_max_chars) {
                spans.push(i..j + close.len_utf8());
                if inner.chars().count() >= 2 && inner.contains(|c: char| c.is_ascii_digit() || NUMERALS.contains(c)) {
                    slogans.push(inner);
                }
            }
            from = j.max(inner_start);
            if from >= text.len() {
                break;
            }
        }
    }
    for word in slogans {
        spans.extend(text.match_indices(word).map(|(i, w)| i..i + w.len()));
    }
    spans.extend(lex.compiled().idioms.occurrences(text).into_iter().map(|(_, span)| span));
    spans
}

pub(super) fn longest_prefix<'a>(text: &str, words: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    words.filter(|w| !w.is_empty() && text.starts_with(w.as_str())).map(String::as_str).max_by_key(|w| w.len())
}

pub(super) fn longest_suffix<'a>(text: &str, words: impl Iterator<Item = &'a String>) -> Option<&'a str> {
    words.filter(|w| !w.is_empty() && text.ends_with(w.as_str())).map(String::as_str).max_by_key(|w| w.len())
}
