//! Quantities printed as parts of a whole: 六分之一, 百分之三十, 1/10, 六成以上. Pure: no I/O.

use super::numeral::{parse_arabic, parse_chinese};
use super::scan::{longest_prefix, longest_suffix, Quantity};
use super::UnitLexicon;
use regex::Regex;
use std::sync::OnceLock;

fn fraction_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?:(\d+|[一二两三四五六七八九十百千]+)分之|百分之)(\d+(?:\.\d+)?|[一二两三四五六七八九十百千零]+)")
            .unwrap()
    })
}

/// 六分之一 → 1/6 (unit ratio); 百分之三十 → 30 %.
pub fn fractions(text: &str, lex: &UnitLexicon) -> Vec<Quantity> {
    let number = |s: &str| if s.starts_with(|c: char| c.is_ascii_digit()) { parse_arabic(s) } else { parse_chinese(s) };
    let mut found = slash_fractions(text);
    found.extend(tenths(text, lex));
    // Every fraction the pattern reads says 分之: texts without it need no regex pass.
    let spelled = if text.contains("分之") { fraction_re().captures_iter(text).collect() } else { Vec::new() };
    for caps in spelled {
        let whole = caps.get(0).unwrap();
        let Some(numerator) = number(&caps[2]) else { continue };
        let (value, unit) = match caps.get(1) {
            Some(d) => match number(d.as_str()) {
                Some(denominator) => (((numerator / denominator) * 1e6).round() / 1e6, "ratio"),
                None => continue,
            },
            None => (numerator, "%"),
        };
        found.push(Quantity {
            span: whole.range(),
            number_start: whole.start(),
            value,
            scale: 1.0,
            unit: unit.into(),
            qualifier: None,
        });
    }
    found
}

/// 六成以上 → 60 %: tenths, only with an approximation around them (成 alone is too common a character).
fn tenths(text: &str, lex: &UnitLexicon) -> Vec<Quantity> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"([一二两三四五六七八九]|\d)成").unwrap());
    let mut found = Vec::new();
    if !text.match_indices('成').any(|(i, _)| follows_numeral(&text[..i])) {
        return found;
    }
    for caps in re.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        let before = longest_suffix(&text[..whole.start()], lex.prefix_approx.iter().chain(&lex.prefix_verbs));
        let after = longest_prefix(&text[whole.end()..], lex.suffix_qualifiers.iter());
        let Some(tenth) = parse_chinese(&caps[1]).or_else(|| parse_arabic(&caps[1])) else { continue };
        if before.is_none() && after.is_none() && !text[..whole.start()].ends_with('占') {
            continue;
        }
        let approx = before.filter(|b| lex.prefix_approx.iter().any(|a| a == b));
        let start = whole.start() - approx.map_or(0, str::len);
        found.push(Quantity {
            span: start..whole.end() + after.map_or(0, str::len),
            number_start: whole.start(),
            value: tenth * 10.0,
            scale: 1.0,
            unit: "%".into(),
            qualifier: after.or(before).map(String::from),
        });
    }
    found
}

/// 约占总量的1/10 → 0.1 (unit ratio); never a date or a path (2024/7/1, 1/2/3).
fn slash_fractions(text: &str) -> Vec<Quantity> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"(\d{1,3})/(\d{1,3})").unwrap());
    let lone = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-')));
    let mut found = Vec::new();
    let digit_around = |(i, _): (usize, &str)| {
        text[..i].ends_with(|c: char| c.is_numeric()) && text[i + 1..].starts_with(|c: char| c.is_numeric())
    };
    if !text.match_indices('/').any(digit_around) {
        return found;
    }
    for caps in re.captures_iter(text) {
        let whole = caps.get(0).unwrap();
        if !lone(text[..whole.start()].chars().last()) || !lone(text[whole.end()..].chars().next()) {
            continue;
        }
        let (Some(n), Some(d)) = (parse_arabic(&caps[1]), parse_arabic(&caps[2])) else { continue };
        if d > 0.0 && n < d {
            let value = ((n / d) * 1e6).round() / 1e6;
            found.push(Quantity {
                span: whole.range(),
                number_start: whole.start(),
                value,
                scale: 1.0,
                unit: "ratio".into(),
                qualifier: None,
            });
        }
    }
    found
}

/// True when `before` ends with a digit (any script, as the regex `\d` reads it) or a Chinese numeral of tenths: a
/// cheap test that keeps texts without `N成` away from the regex.
fn follows_numeral(before: &str) -> bool {
    before.ends_with(|c: char| c.is_numeric() || "一二两三四五六七八九".contains(c))
}
