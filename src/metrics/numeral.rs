//! Numbers as newspapers print them: Arabic digits (half- or full-width, with thousands commas) and Chinese
//! numerals (两天, 一百二十, 三万亿, 六分之一), plus the text tidying that makes them findable. Pure: no I/O.

use std::borrow::Cow;

/// The text with full-width digits and letters made half-width, Markdown emphasis dropped, justification and
/// wrap spaces removed (kept only between two Latin letters or digits: `Tan Swee Kiat`), hard wraps inside a
/// sentence joined, and paragraph breaks kept as a single `\n`.
pub fn tidy(text: &str) -> String {
    let text = if text.contains("**") { Cow::Owned(text.replace("**", "")) } else { Cow::Borrowed(text) };
    let mut out = String::with_capacity(text.len());
    for (i, paragraph) in paragraphs(&text).iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        push_squeezed(&mut out, paragraph);
    }
    out
}

/// Where a hard wrap joined two lines: always removed, unlike a printed space.
const WRAP: char = '\u{1}';

/// Paragraphs: blank lines and Markdown headings break; a single newline inside a sentence is a hard wrap.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        let heading = line.starts_with('#');
        let breaks = line.is_empty() || heading || ends_sentence(&current) || line.starts_with(['●', '■', '◆', '▲']);
        if breaks && !current.is_empty() {
            paragraphs.push(std::mem::take(&mut current));
        }
        if heading {
            paragraphs.push(line.trim_start_matches('#').trim().to_string());
        } else if !line.is_empty() {
            if line.contains(|c| half_width(c) != c) {
                current.extend(line.chars().map(half_width));
            } else {
                current.push_str(line);
            }
            current.push(WRAP);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(|c: char| c.is_whitespace() || c == WRAP)
        .ends_with(['。', '！', '？', '!', '?', '”', '」', '：'])
}

/// Drops each run of whitespace, except between two Latin letters or digits (`Tan Swee Kiat`) and between two
/// Chinese words of two or more characters (a headline's phrases: `实现跨境融资 通达127个国家和地区`); a space
/// inside a word or next to a digit is justification (`牢 牢 掌 握`, `467 亿元`).
fn push_squeezed(out: &mut String, text: &str) {
    let gap = |c: char| c.is_whitespace() || c == WRAP;
    let text = text.trim_matches(gap);
    let latin = |c: char| c.is_ascii_alphanumeric();
    let mut at = 0;
    while let Some(start) = text[at..].find(gap).map(|i| at + i) {
        out.push_str(&text[at..start]);
        let end = text[start..].find(|c| !gap(c)).map_or(text.len(), |i| start + i);
        let printed = text[start..end].contains(char::is_whitespace);
        let (before, after) = (&text[..start], &text[end..]);
        let both_latin = before.chars().next_back().is_some_and(latin) && after.chars().next().is_some_and(latin);
        if printed && (both_latin || (word_before(before) >= 2 && word_after(after) >= 2)) {
            out.push(' ');
        }
        at = end;
    }
    out.push_str(&text[at..]);
}

fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Han characters at the end of `text`, counted up to 2 (all the rule asks).
fn word_before(text: &str) -> usize {
    text.chars().rev().take(2).take_while(|c| is_han(*c)).count()
}

/// Han characters at the start of `text`, counted up to 2.
fn word_after(text: &str) -> usize {
    text.chars().take(2).take_while(|c| is_han(*c)).count()
}

/// Full-width digits, Latin letters, `％` and `．` become half-width; the ideographic space becomes a space.
/// Chinese punctuation (，。：) stays as printed.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '％' | '．' | '＋' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// `1,080.5` → 1080.5.
pub fn parse_arabic(text: &str) -> Option<f64> {
    text.replace(',', "").parse().ok()
}

/// `154.7` × 1e8 computed on the digits, so the value is exact: 15470000000, not 15469999999.999998.
pub fn scaled_arabic(text: &str, scale: f64) -> Option<f64> {
    let digits = text.replace(',', "");
    let power = scale.log10().round() as i32;
    if 10f64.powi(power) != scale {
        return Some(digits.parse::<f64>().ok()? * scale);
    }
    let decimals = digits.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    let mantissa: f64 = digits.replace('.', "").parse().ok()?;
    let shift = power - decimals;
    Some(if shift >= 0 { mantissa * 10f64.powi(shift) } else { mantissa / 10f64.powi(-shift) })
}

/// Chinese digit values; `None` for a multiplier or any other character.
fn digit(c: char) -> Option<u64> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' | '兩' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

/// A Chinese numeral: 两 → 2, 一百二十 → 120, 百万 → 1000000, 三万亿 → 3e12. `None` when ill-formed (一一).
pub fn parse_chinese(text: &str) -> Option<f64> {
    let mut total = 0f64; // finished 亿 sections
    let mut section = 0f64; // finished 万 part of the current 亿 section
    let mut small = 0u64; // below 万
    let mut pending: Option<u64> = None;
    for c in text.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                return None;
            }
            pending = if d == 0 { pending } else { Some(d) };
            continue;
        }
        match c {
            '十' | '百' | '千' => {
                let unit = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                small += pending.take().unwrap_or(1) * unit;
            }
            '万' | '萬' => {
                let part = small + pending.take().unwrap_or(0);
                section += if part == 0 { 1.0 } else { part as f64 } * 1e4;
                small = 0;
            }
            '亿' | '億' => {
                let part = section + (small + pending.take().unwrap_or(0)) as f64;
                total += if part == 0.0 { 1.0 } else { part } * 1e8;
                section = 0.0;
                small = 0;
            }
            _ => return None,
        }
    }
    let value = total + section + (small + pending.unwrap_or(0)) as f64;
    (value > 0.0).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_chinese_numerals() {
        assert_eq!(parse_chinese("两"), Some(2.0));
        assert_eq!(parse_chinese("十"), Some(10.0));
        assert_eq!(parse_chinese("一百二十"), Some(120.0));
        assert_eq!(parse_chinese("五十六"), Some(56.0));
        assert_eq!(parse_chinese("百万"), Some(1e6));
        assert_eq!(parse_chinese("三万亿"), Some(3e12));
        assert_eq!(parse_chinese("一千零五"), Some(1005.0));
        assert_eq!(parse_chinese("一一"), None);
        assert_eq!(parse_chinese("兩萬"), Some(20_000.0));
    }

    #[test]
    fn scales_decimals_exactly() {
        assert_eq!(scaled_arabic("154.7", 1e8), Some(15_470_000_000.0));
        assert_eq!(scaled_arabic("25.18", 1e4), Some(251_800.0));
        assert_eq!(scaled_arabic("467.7", 1.0), Some(467.7));
    }

    #[test]
    fn reads_arabic_numbers_with_commas() {
        assert_eq!(parse_arabic("1,080.5"), Some(1080.5));
        assert_eq!(parse_arabic("467.7"), Some(467.7));
    }

    #[test]
    fn removes_justification_spaces_but_keeps_latin_words() {
        assert_eq!(tidy("同比增长 41%，货值 467 亿元"), "同比增长41%，货值467亿元");
        assert_eq!(tidy("居民Tan Swee Kiat说"), "居民Tan Swee Kiat说");
        assert_eq!(tidy("牢 牢 掌 握 主 动 权"), "牢牢掌握主动权");
        assert_eq!(tidy("实现216.7亿美元跨境融资 通达127个国家和地区"), "实现216.7亿美元跨境融资 通达127个国家和地区");
        assert_eq!(tidy("西部陆海新通\n道建设"), "西部陆海新通道建设");
    }

    #[test]
    fn joins_hard_wraps_but_keeps_paragraphs() {
        assert_eq!(tidy("超过62亿美\n元，服务企业\n\n第二段。\n第三段"), "超过62亿美元，服务企业\n第二段。\n第三段");
    }

    #[test]
    fn makes_full_width_digits_half_width() {
        assert_eq!(tidy("增长１２．５％，达到３０家"), "增长12.5%，达到30家");
    }
}
