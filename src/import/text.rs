//! Character-level repair of one printed line or paragraph. Pure: no I/O.
//!
//! In: text as the PDF extraction left it. Out: text a reader would type: doubled "bold" runs undone, justification
//! spaces dropped between Chinese characters and digits, full-width letters and digits made half-width, ASCII
//! brackets next to Chinese made full-width. Spaces between two Latin words (`Tan Swee Kiat`) stay.

/// True for characters that take a full em in Chinese typesetting: Han, kana, CJK punctuation, full-width forms.
pub fn is_wide(c: char) -> bool {
    !c.is_ascii() && !c.is_whitespace()
}

/// True for Han ideographs (the characters of names and words).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// Printed width in ems: a Chinese character is 1, an ASCII character ½.
pub fn width(s: &str) -> f32 {
    // Counted in half ems as an integer. Asked of every line several times, so Unicode's White_Space is spelled out
    // rather than looked up in `char::is_whitespace`'s table.
    let halves: u32 = s
        .chars()
        .map(|c| match c {
            '\t'..='\r'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200a}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202f}'
            | '\u{205f}'
            | '\u{3000}' => 0,
            c if c.is_ascii() => 1,
            _ => 2,
        })
        .sum();
    halves as f32 / 2.0
}

/// Closing marks that may follow the end of a sentence: `。”`, `！）`.
const CLOSERS: &[char] = &['”', '’', '」', '』', '）', ')', '》', '"', '\''];
const ENDERS: &[char] = &['。', '！', '？', '；', '…', '!', '?', ';'];

/// True when `s` ends a sentence (`。`, `！`, `？`, `；`, `…`, maybe followed by closing quotes or brackets), or is
/// a whole bracketed unit like `（作者系…）`.
pub fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end();
    let core = s.trim_end_matches(CLOSERS);
    if core.ends_with(ENDERS) {
        return true;
    }
    (s.starts_with('（') && s.ends_with('）')) || (s.starts_with('(') && s.ends_with(')'))
}

/// Undoes the doubled runs that bold type leaves in some extractions: `记者记者 柯俊彬柯俊彬 摄摄` → `记者 柯俊彬 摄`.
/// The whole line must be made of doubled runs, so real reduplication (牢牢, 一辆辆) inside a normal line is kept.
pub fn undouble(line: &str) -> Option<String> {
    // A doubled run at the start repeats the first character within the first half of the line; most lines do not.
    let first = line.chars().next()?;
    if !line.chars().skip(1).take(line.chars().count() / 2).any(|c| c == first) {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let n = chars.len();
    if n < 6 || !starts_with_double(&chars) {
        return None;
    }
    // back[i] = length of the run that ends a segmentation of chars[..i] (0 = unreachable).
    let mut back = vec![usize::MAX; n + 1];
    back[0] = 0;
    for i in 0..n {
        if back[i] == usize::MAX {
            continue;
        }
        if chars[i].is_whitespace() {
            back[i + 1] = back[i + 1].min(1 << 20);
            continue;
        }
        for k in 1..=(n - i) / 2 {
            if back[i + 2 * k] == usize::MAX && chars[i..i + k] == chars[i + k..i + 2 * k] {
                back[i + 2 * k] = k;
            }
        }
    }
    if back[n] == usize::MAX {
        return None;
    }
    let mut pieces = Vec::new();
    let mut i = n;
    while i > 0 {
        let k = back[i];
        if k == 1 << 20 {
            pieces.push(chars[i - 1].to_string());
            i -= 1;
        } else {
            pieces.push(chars[i - 2 * k..i - k].iter().collect());
            i -= 2 * k;
        }
    }
    pieces.reverse();
    let text: String = pieces.concat();
    // Whole-line doubling always doubles punctuation or long runs; two doubled characters alone prove nothing.
    (width(&text) >= 3.0).then_some(text)
}

fn starts_with_double(chars: &[char]) -> bool {
    (1..=chars.len() / 2).any(|k| chars[..k] == chars[k..2 * k])
}

/// Normalizes character forms: full-width ASCII letters and digits to half-width, U+3000 and NBSP to spaces,
/// ASCII brackets and sentence punctuation next to Chinese text to their full-width forms.
pub fn normalize_forms(line: &str) -> String {
    let changes = |c: char| {
        matches!(c, '\u{ff10}'..='\u{ff5a}' | '\u{3000}' | '\u{a0}' | '\t' | '(' | ')' | ',' | ';' | ':')
            || matches!(c, '?' | '!' | '"')
    };
    // Most lines have nothing to normalize.
    if !line.contains(changes) {
        return line.to_string();
    }
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '\u{ff10}'..='\u{ff19}' | '\u{ff21}'..='\u{ff3a}' | '\u{ff41}'..='\u{ff5a}' => {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '\u{3000}' | '\u{a0}' | '\t' => ' ',
            _ => c,
        })
        .collect();
    let mut out = String::with_capacity(line.len());
    let straight_quotes = chars.iter().filter(|&&c| c == '"').count();
    let curly = straight_quotes % 2 == 0 && chars.iter().any(|&c| is_han(c));
    let mut open_quote = true;
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let wide_before = prev.is_some_and(is_wide);
        let wide_after = next.is_some_and(is_wide);
        out.push(match c {
            '(' if wide_after || wide_before => '（',
            ')' if wide_before || wide_after => '）',
            ',' if wide_before => '，',
            ';' if wide_before => '；',
            ':' if wide_before => '：',
            '?' if wide_before => '？',
            '!' if wide_before => '！',
            '"' if curly => {
                open_quote = !open_quote;
                if open_quote {
                    '”'
                } else {
                    '“'
                }
            }
            _ => c,
        });
    }
    out
}

/// Drops the spaces a justified column leaves between characters (`牢 牢 掌 握`, `6 月 17 日`, `AI 算法`), keeping
/// one space between two Latin words or numbers (`Tan Swee Kiat`) and between two multi-character Chinese phrases of a
/// heading (`强化基础能力建设 构建产业生态体系`).
pub fn squeeze_spaces(text: &str) -> String {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::with_capacity(text.len());
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 && keeps_space(tokens[i - 1], token) {
            out.push(' ');
        }
        out.push_str(token);
    }
    out
}

fn keeps_space(before: &str, after: &str) -> bool {
    let (Some(a), Some(b)) = (before.chars().last(), after.chars().next()) else { return false };
    if a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric() {
        return true;
    }
    let phrase = |t: &str| t.chars().filter(|c| is_han(*c)).count() >= 4;
    is_han(a) && is_han(b) && phrase(before) && phrase(after)
}

/// Appends printed line `b` of a paragraph to the text `a` before it: no space, except between two Latin letters
/// (`RCEP` / `members`).
pub fn push_line(a: &mut String, b: &str) {
    a.truncate(a.trim_end().len());
    let (last, first) = (a.chars().last(), b.trim_start().chars().next());
    if last.is_some_and(|c| c.is_ascii_alphabetic()) && first.is_some_and(|c| c.is_ascii_alphabetic()) {
        a.push(' ');
    }
    a.push_str(b.trim_start());
}

/// Removes every whitespace character (how titles and names are compared).
pub fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoubles_bold_runs() {
        assert_eq!(undouble("记者记者 柯俊彬柯俊彬 摄摄").as_deref(), Some("记者 柯俊彬 摄"));
        let line = "嘉陵江实验室嘉陵江实验室，，聚焦数智科技聚焦数智科技。。";
        assert_eq!(undouble(line).as_deref(), Some("嘉陵江实验室，聚焦数智科技。"));
    }

    #[test]
    fn keeps_real_reduplication() {
        assert_eq!(undouble("牢牢掌握人工智能发展主动权"), None);
        assert_eq!(undouble("在金凤城市中心，一辆辆自动驾驶小巴"), None);
        assert_eq!(undouble("牢牢"), None);
    }

    #[test]
    fn undoubles_runs_that_contain_reduplication() {
        assert_eq!(undouble("牢牢掌握牢牢掌握，，").as_deref(), Some("牢牢掌握，"));
    }

    #[test]
    fn squeezes_justification_spaces() {
        assert_eq!(squeeze_spaces("牢 牢 掌 握 人 工 智 能"), "牢牢掌握人工智能");
        assert_eq!(squeeze_spaces("6 月 17 日，360 集团"), "6月17日，360集团");
        assert_eq!(squeeze_spaces("通过 AI 算法优化"), "通过AI算法优化");
    }

    #[test]
    fn keeps_spaces_between_latin_words() {
        assert_eq!(squeeze_spaces("新加坡居民Tan Swee Kiat说"), "新加坡居民Tan Swee Kiat说");
        assert_eq!(squeeze_spaces("“Driving with Language”赛道"), "“Driving with Language”赛道");
    }

    #[test]
    fn keeps_space_between_heading_phrases() {
        assert_eq!(squeeze_spaces("强化基础能力建设 构建产业生态体系"), "强化基础能力建设 构建产业生态体系");
    }

    #[test]
    fn normalizes_width_forms() {
        assert_eq!(normalize_forms("２０２４年ＧＤＰ增长"), "2024年GDP增长");
        assert_eq!(normalize_forms("西部(重庆)科学城,很好"), "西部（重庆）科学城，很好");
        assert_eq!(normalize_forms("f(x) = 1, 2"), "f(x) = 1, 2");
        assert_eq!(normalize_forms("\"走出去。\"他说"), "“走出去。”他说");
    }

    #[test]
    fn measures_width_in_ems_without_whitespace() {
        let reference = |s: &str| -> f32 {
            s.chars().filter(|c| !c.is_whitespace()).map(|c| if c.is_ascii() { 0.5 } else { 1.0 }).sum()
        };
        let odd = ["", "重庆 ab\t1", "“人工智能+”\u{3000}新图景。", "a\u{a0}b\u{2003}c\u{85}d\u{2028}\u{feff}", "é—…·"];
        let spaces = "\u{1680}x\u{200a}\u{200b}\u{202f}\u{205f}\u{3001}\x0b\x0c\r\n𠀀";
        let seeds: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
            .expect("the bundled seeds")
            .map(|e| std::fs::read_to_string(e.expect("a seed").path()).expect("a UTF-8 seed"))
            .collect();
        for s in odd.into_iter().chain([spaces]).chain(seeds.iter().flat_map(|page| page.lines())) {
            assert_eq!(width(s), reference(s), "{s:?}");
        }
    }

    #[test]
    fn knows_sentence_ends() {
        assert!(ends_sentence("应用高地”。"));
        assert!(ends_sentence("（作者系西南大学教授）"));
        assert!(!ends_sentence("跨境双向人民"));
        assert!(!ends_sentence("中心常务副主任）"));
    }

    #[test]
    fn joins_wrapped_lines() {
        let join = |a: &str, b: &str| {
            let mut a = a.to_string();
            push_line(&mut a, b);
            a
        };
        assert_eq!(join("62亿美", "元"), "62亿美元");
        assert_eq!(join("members of ", "RCEP"), "members of RCEP");
    }
}
