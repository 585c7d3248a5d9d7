//! Describing a quantity found by `scan`: the sentence it sits in, the year that sentence gives it, the clause
//! qualifier (累计, 共), and what is measured, as a short phrase taken from the clause. Pure: no I/O.

use super::scan::Quantity;
use super::UnitLexicon;
use crate::article::{Context, Metric};
use regex::Regex;
use std::ops::Range;
use std::sync::OnceLock;

const SENTENCE_ENDS: [char; 6] = ['。', '！', '？', '!', '?', '\n'];
const CLAUSE_ENDS: [char; 13] = ['。', '！', '？', '!', '?', '\n', '，', '；', '：', '、', ',', ';', ' '];
const CLOSERS: [char; 4] = ['”', '」', '’', '）'];

/// The finished metric for quantity `q` of the tidied `text`.
pub fn metric(text: &str, q: &Quantity, context: Context, lex: &UnitLexicon) -> Metric {
    let sentence = sentence_around(text, q.span.start);
    let clause = clause_around(text, q.number_start);
    Metric {
        text: text[q.span.clone()].to_string(),
        value: q.value,
        unit: q.unit.clone(),
        qualifier: q.qualifier.clone().or_else(|| clause_qualifier(&text[clause.start..q.span.start], lex)),
        year: year_before(&text[sentence.start..q.span.start]),
        measure: measure(text, q, clause, lex),
        context,
        sentence: text[sentence].trim_start_matches(['●', '■', '◆', ' ']).trim().to_string(),
    }
}

/// From after the previous sentence end to this sentence's end, closing quotes included.
fn sentence_around(text: &str, at: usize) -> Range<usize> {
    let start = rfind_end(&text[..at], &SENTENCE_ENDS).map_or(0, |i| i + text[i..].chars().next().unwrap().len_utf8());
    let start = start + text[start..].len() - text[start..].trim_start_matches(CLOSERS).len();
    let end = find_end(&text[at..], &SENTENCE_ENDS).map_or(text.len(), |i| {
        let stop = &text[at + i..];
        let mark = stop.chars().next().unwrap();
        let after = if mark == '\n' { 0 } else { mark.len_utf8() };
        at + i + after + stop[after..].len() - stop[after..].trim_start_matches(CLOSERS).len()
    });
    start..end
}

fn clause_around(text: &str, at: usize) -> Range<usize> {
    let start = rfind_end(&text[..at], &CLAUSE_ENDS).map_or(0, |i| i + text[i..].chars().next().unwrap().len_utf8());
    let end = find_end(&text[at..], &CLAUSE_ENDS).map_or(text.len(), |i| at + i);
    start..end
}

/// Whether the character at `i` ends a sentence or clause: one of `marks`, or a half-width `.` / `,` that is not
/// inside a number (6.8%. ends a sentence; 6.8 and 1,080 do not).
fn is_end(text: &str, i: usize, c: char, marks: &[char]) -> bool {
    let digit_after = || text[i + c.len_utf8()..].starts_with(|d: char| d.is_ascii_digit());
    match c {
        '.' => !digit_after(),
        ',' => marks.contains(&',') && !(digit_after() && text[..i].ends_with(|d: char| d.is_ascii_digit())),
        _ => marks.contains(&c),
    }
}

fn find_end(text: &str, marks: &[char]) -> Option<usize> {
    text.char_indices().find(|&(i, c)| is_end(text, i, c, marks)).map(|(i, _)| i)
}

fn rfind_end(text: &str, marks: &[char]) -> Option<usize> {
    text.char_indices().rev().find(|&(i, c)| is_end(text, i, c, marks)).map(|(i, _)| i)
}

/// The last year (2024年) printed before the quantity in its sentence.
fn year_before(text: &str) -> Option<i32> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"((?:19|20)\d\d)年").unwrap());
    re.captures_iter(text).last().and_then(|c| c[1].parse().ok())
}

/// A qualifier that governs the whole clause (累计签约…项目347个), unless it is part of a longer word (共同).
fn clause_qualifier(clause: &str, lex: &UnitLexicon) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for q in &lex.clause_qualifiers {
        for (i, _) in clause.match_indices(q.as_str()) {
            let false_friend = lex.qualifier_false_friends.iter().any(|f| {
                f.contains(q.as_str())
                    && (0..=i)
                        .any(|s| clause.is_char_boundary(s) && clause[s..].starts_with(f.as_str()) && s + f.len() > i)
            });
            if !false_friend && best.is_none_or(|(j, _)| i > j) {
                best = Some((i, q.as_str()));
            }
        }
    }
    best.map(|(_, q)| q.to_string())
}

/// What is measured: the clause before the number without time words and verbs of quantity, plus the noun after
/// a count (127个国家和地区 → …国家和地区). A clause that says little (同比增长41%, 需要30天) borrows the subject of
/// an earlier clause of the same sentence.
fn measure(text: &str, q: &Quantity, clause: Range<usize>, lex: &UnitLexicon) -> String {
    let head = clean_head(&text[clause.start..q.span.start], lex);
    let short = head.chars().count() < 4;
    let noun = if short || is_count(&q.unit, lex) { counted_noun(&text[q.span.end..clause.end], lex) } else { "" };
    let mut measure = format!("{head}{noun}");
    if short || is_growth(&head) {
        if let Some(subject) = earlier_subject(text, clause.start, lex) {
            measure = format!("{subject}{measure}");
        }
    }
    if measure.is_empty() {
        measure = text[clause].trim().to_string();
    }
    measure.chars().filter(|c| !matches!(c, '“' | '”' | '「' | '」' | '‘' | '’' | '"')).take(40).collect()
}

fn is_growth(head: &str) -> bool {
    ["同比", "环比", "增长", "增速", "下降", "提高", "增幅", "降低", "减少"].iter().any(|w| head.starts_with(w))
}

/// Measure words of things counted (个, 家, 名), as opposed to money, time, shares and rates.
fn is_count(unit: &str, lex: &UnitLexicon) -> bool {
    let other = ["%", "‰", "个百分点", "倍", "ratio"];
    !unit.ends_with('元') && !unit.contains('/') && !other.contains(&unit) && !lex.time_units.iter().any(|t| t == unit)
}

/// The subject of the nearest earlier clause of the same sentence that is not itself a growth rate.
fn earlier_subject(text: &str, mut start: usize, lex: &UnitLexicon) -> Option<String> {
    for _ in 0..3 {
        let (mark, c) = text[..start].char_indices().last()?;
        if SENTENCE_ENDS.contains(&c) || c == '.' {
            return None;
        }
        let previous = clause_around(text, mark);
        let subject = clean_head(&strip_numbers(&clean_head(&text[previous.clone()], lex)), lex);
        if subject.chars().count() >= 2 && !is_growth(&subject) {
            return Some(subject);
        }
        start = previous.start;
    }
    None
}

/// The clause's words before the number, without time words and trailing qualifiers.
fn clean_head(head: &str, lex: &UnitLexicon) -> String {
    static LEAD: OnceLock<Regex> = OnceLock::new();
    static YEAR: OnceLock<Regex> = OnceLock::new();
    let lead = LEAD.get_or_init(|| {
        Regex::new(r"^(?:据统计|据不完全统计|截至目前|截至\S{0,6}?底|目前|如今|当前|同时|此外|其中|比如|例如|预计到|预计|到|在)+").unwrap()
    });
    let year = YEAR.get_or_init(|| Regex::new(r"(?:19|20)\d\d年(?:底|末|以来)?").unwrap());
    let head = year.replace_all(head.trim_matches([' ', '“', '”', '●', '■']), "");
    let mut head = lead.replace(&head, "").to_string();
    let fillers = ["为", "了", "已", "的", "是"].map(String::from);
    let tails: Vec<&String> = lex.prefix_verbs.iter().chain(&lex.prefix_approx).chain(fillers.iter()).collect();
    while let Some(t) = tails.iter().filter(|t| !t.is_empty() && head.ends_with(t.as_str())).max_by_key(|t| t.len()) {
        let friend = lex.qualifier_false_friends.iter().filter(|f| head.ends_with(f.as_str())).map(|f| f.len()).max();
        if friend.is_some_and(|f| f > t.len()) {
            break; // 通达 is a verb of its own, not 通 + 达
        }
        let rest = &head[..head.len() - t.len()];
        if t.chars().count() == 1
            && rest.ends_with(['拥', '具', '成', '作', '认', '只', '共', '还', '就', '正', '但', '于'])
        {
            break;
        }
        head.truncate(rest.len());
    }
    head
}

/// The noun right after a count, up to 的, the next number or the verb that follows it:
/// 个国家和地区的 → 国家和地区; 名中小学校长赴新加坡 → 中小学校长.
fn counted_noun<'a>(after: &'a str, lex: &UnitLexicon) -> &'a str {
    let stop = after.find(|c: char| c == '的' || c.is_ascii_digit() || "零一二两三四五六七八九十百千万亿".contains(c));
    let mut noun = &after[..stop.unwrap_or(after.len())];
    if let Some(verb) =
        noun.char_indices().skip(1).find(|(i, _)| lex.measure_stops.iter().any(|v| noun[*i..].starts_with(v.as_str())))
    {
        noun = &noun[..verb.0];
    }
    let noun = noun.trim_end_matches(['和', '与', '及', '、', '等', '，']);
    noun.char_indices().nth(10).map_or(noun, |(i, _)| &noun[..i])
}

fn strip_numbers(text: &str) -> String {
    let cut = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    text[..cut].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_last_year_before_the_number() {
        assert_eq!(year_before("据统计，2024年新加坡赴渝入境过夜游客达"), Some(2024));
        assert_eq!(year_before("实现累计贸易额超"), None);
    }

    #[test]
    fn sentence_keeps_its_closing_quote() {
        let text = "他说。“只需要10天。”后来";
        let at = text.find("10").unwrap();
        assert_eq!(&text[sentence_around(text, at)], "“只需要10天。”");
    }
}
