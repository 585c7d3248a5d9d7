//! Block-style YAML written directly, for front matter: serde_yaml (libyaml's emitter) cost about 200,000
//! instructions per article, 5% of a cold build.
//!
//! In: keys and values, through [`Map`]. Out: the YAML text serde_yaml writes for the same values (its scalar
//! styles, indentless lists, no line folding), except that a string with a line break is written double-quoted
//! rather than as a literal block. Reading stays with serde_yaml; `article.rs`'s tests check both agree.

use std::fmt::Write;

/// The entries of one block mapping, written to `out` as they are added.
pub struct Map<'a> {
    out: &'a mut String,
    /// Spaces before each key.
    indent: usize,
    /// Whether the next key is a list item's first, whose indent ends in `- `.
    dash: bool,
}

impl<'a> Map<'a> {
    /// The top-level mapping of a document.
    pub fn new(out: &'a mut String) -> Map<'a> {
        Map { out, indent: 0, dash: false }
    }

    fn key(&mut self, key: &str) {
        if std::mem::take(&mut self.dash) {
            self.out.extend(std::iter::repeat_n(' ', self.indent - 2));
            self.out.push_str("- ");
        } else {
            self.out.extend(std::iter::repeat_n(' ', self.indent));
        }
        self.out.push_str(key);
        self.out.push(':');
    }

    /// `key: value` for a string.
    pub fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.out.push(' ');
        push_scalar(self.out, value);
        self.out.push('\n');
    }

    /// `key: value`, or `key: null`.
    pub fn opt_str(&mut self, key: &str, value: Option<&str>) {
        match value {
            Some(value) => self.str(key, value),
            None => self.plain(key, "null"),
        }
    }

    /// `key: value` for what YAML reads as itself: a number, `true`, `null`, an enum's name.
    pub fn plain(&mut self, key: &str, value: impl std::fmt::Display) {
        self.key(key);
        writeln!(self.out, " {value}").expect("writing to a String");
    }

    /// `key: value` for a float, as serde_yaml writes it (shortest round-trip form).
    pub fn float(&mut self, key: &str, value: f64) {
        let mut buffer = ryu::Buffer::new();
        let text = match value {
            v if v.is_nan() => ".nan",
            v if v.is_infinite() => ["-.inf", ".inf"][usize::from(v > 0.0)],
            v => buffer.format_finite(v),
        };
        self.plain(key, text);
    }

    /// A list of strings: `key: []`, or `key:` and a `- item` line for each.
    pub fn strs(&mut self, key: &str, items: &[String]) {
        self.list(key, items, |out, indent, item| {
            out.extend(std::iter::repeat_n(' ', indent));
            out.push_str("- ");
            push_scalar(out, item);
            out.push('\n');
        });
    }

    /// A list of mappings: `key: []`, or `key:` and each item's entries, the first after `- `.
    pub fn maps<T>(&mut self, key: &str, items: &[T], mut each: impl FnMut(&mut Map, &T)) {
        self.list(key, items, |out, indent, item| each(&mut Map { out, indent: indent + 2, dash: true }, item));
    }

    /// `key:` and a nested mapping's entries, or `key: null`.
    pub fn opt_map<T>(&mut self, key: &str, value: Option<&T>, each: impl FnOnce(&mut Map, &T)) {
        match value {
            Some(value) => {
                self.key(key);
                self.out.push('\n');
                each(&mut Map { out: self.out, indent: self.indent + 2, dash: false }, value);
            }
            None => self.plain(key, "null"),
        }
    }

    fn list<T>(&mut self, key: &str, items: &[T], mut item: impl FnMut(&mut String, usize, &T)) {
        self.key(key);
        if items.is_empty() {
            self.out.push_str(" []\n");
            return;
        }
        self.out.push('\n');
        for x in items {
            // Lists in a mapping are not indented further than its keys (libyaml's style).
            item(self.out, self.indent, x);
        }
    }
}

/// The three ways a string scalar is written.
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
}

/// Pushes `s` as a scalar in the style serde_yaml would choose.
fn push_scalar(out: &mut String, s: &str) {
    match style(s) {
        Style::Plain => out.push_str(s),
        Style::SingleQuoted => {
            out.push('\'');
            out.push_str(&s.replace('\'', "''"));
            out.push('\'');
        }
        Style::DoubleQuoted => push_double_quoted(out, s),
    }
}

/// serde_yaml quotes (single) what would read back as another type; libyaml then keeps a string plain unless it has
/// indicators, edge spaces or line breaks (single-quoted), or characters that need escapes (double-quoted).
fn style(s: &str) -> Style {
    if s.chars().any(|c| is_break(c) || !is_printable(c)) {
        return Style::DoubleQuoted;
    }
    if s.is_empty() || reads_as_other_type(s) || !plain_allowed(s) {
        return Style::SingleQuoted;
    }
    Style::Plain
}

fn is_break(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's printable set: what it writes unescaped.
fn is_printable(c: char) -> bool {
    matches!(c, '\n' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// Null, a boolean or a number when read as a plain scalar (serde_yaml's resolution, plus `0123`-like digits).
fn reads_as_other_type(s: &str) -> bool {
    if matches!(s, "~" | "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return true;
    }
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let radix_digits = [("0x", 16), ("0o", 8), ("0b", 2)].iter().any(|&(prefix, radix)| {
        unsigned.strip_prefix(prefix).is_some_and(|d| !d.is_empty() && d.chars().all(|c| c.is_digit(radix)))
    });
    radix_digits
        || matches!(unsigned, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
        || (!unsigned.starts_with(['+', '-']) && unsigned.parse::<f64>().is_ok_and(f64::is_finite))
}

/// Whether libyaml may write `s` as a plain scalar in block context.
fn plain_allowed(s: &str) -> bool {
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    // Every indicator and blank is ASCII, and no byte of a longer UTF-8 character is, so bytes suffice.
    let bytes = s.as_bytes();
    let blank_at = |i: usize| bytes.get(i).is_none_or(|&b| b == b' ' || b == b'\t');
    for (i, &b) in bytes.iter().enumerate() {
        let indicator = if i == 0 {
            b"#,[]{}&*!|>'\"%@`".contains(&b) || (matches!(b, b'?' | b':' | b'-') && blank_at(1))
        } else {
            (b == b':' && blank_at(i + 1)) || (b == b'#' && blank_at(i - 1))
        };
        if indicator {
            return false;
        }
    }
    true
}

/// `"…"` with libyaml's escapes for what is not printable, breaks, quotes and backslashes.
fn push_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        let escape = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\0' => "\\0",
            '\u{7}' => "\\a",
            '\u{8}' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\u{b}' => "\\v",
            '\u{c}' => "\\f",
            '\r' => "\\r",
            '\u{1b}' => "\\e",
            '\u{85}' => "\\N",
            '\u{2028}' => "\\L",
            '\u{2029}' => "\\P",
            c if is_printable(c) => {
                out.push(c);
                continue;
            }
            c => {
                // What is not printable lies below U+10000 (control characters, U+FEFF, U+FFFE, U+FFFF).
                let code = u32::from(c);
                if code <= 0xff { write!(out, "\\x{code:02X}") } else { write!(out, "\\u{code:04X}") }
                    .expect("writing to a String");
                continue;
            }
        };
        out.push_str(escape);
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What serde_yaml writes for `{ k: s }`, and what it reads back from ours.
    fn serde_yaml_line(s: &str) -> String {
        serde_yaml::to_string(&std::collections::BTreeMap::from([("k", s)])).unwrap()
    }

    fn ours(s: &str) -> String {
        let mut out = String::new();
        Map::new(&mut out).str("k", s);
        out
    }

    #[test]
    fn chooses_the_styles_serde_yaml_chooses() {
        let cases = [
            "重庆",
            "",
            " 前导空格",
            "尾随空格 ",
            "%",
            "'引'",
            "\"引\"",
            "a: b",
            "a:b",
            "a #b",
            "a#b",
            "#注",
            "- 项",
            "-5",
            "-a",
            "?x",
            "? x",
            ":x",
            "[1]",
            "x[1]",
            "{",
            "&a",
            "*a",
            "!a",
            "|a",
            ">a",
            "@a",
            "`a",
            "---",
            "...a",
            "2024",
            "0123",
            "+12",
            "-0x1f",
            "0x1F",
            "0o17",
            "0b101",
            "1e5",
            "1.5",
            ".5",
            ".inf",
            ".NaN",
            "inf",
            "nan",
            "true",
            "True",
            "TRUE",
            "false",
            "null",
            "Null",
            "~",
            "yes",
            "no",
            "on",
            "5G",
            "G",
            "16.3亿元",
            "byline lost on the page: no author named",
            "两值：217亿美元 (累计) vs 216.7亿美元; both kept",
            "tab\there",
            "bom\u{feff}",
            "ctl\u{1}",
            "nel\u{85}",
            "nbsp\u{a0}x",
            "emoji 😀",
            "back\\slash",
            "it's",
        ];
        for s in cases {
            assert_eq!(ours(s), serde_yaml_line(s), "{s:?}");
        }
    }

    #[test]
    fn what_it_writes_reads_back_as_written() {
        let cases = [
            "line\nbreak",
            "cr\rlf",
            "ls\u{2028}",
            "\u{2029}",
            "-.nan",
            "+.inf",
            "0x",
            "1_000",
            "\u{fffe}",
            "\u{10ffff}",
        ];
        for s in cases {
            let back: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&ours(s)).unwrap();
            assert_eq!(back["k"], s, "{s:?} written as {}", ours(s));
        }
    }

    #[test]
    fn writes_nested_mappings_and_lists_like_serde_yaml() {
        #[derive(serde::Serialize)]
        struct Item {
            name: String,
            n: u32,
            tags: Vec<String>,
        }
        #[derive(serde::Serialize)]
        struct Inner {
            seed: String,
            line: usize,
        }
        #[derive(serde::Serialize)]
        struct Doc {
            items: Vec<Item>,
            none: Vec<Item>,
            tags: Vec<String>,
            inner: Option<Inner>,
            missing: Option<Inner>,
            x: f64,
        }
        let doc = Doc {
            items: vec![
                Item { name: "甲".into(), n: 1, tags: vec!["x".into()] },
                Item { name: "'乙'".into(), n: 2, tags: vec![] },
            ],
            none: vec![],
            tags: vec!["a".into(), "b: c".into()],
            inner: Some(Inner { seed: "000.txt".into(), line: 7 }),
            missing: None,
            x: 0.052,
        };
        let mut out = String::new();
        let mut map = Map::new(&mut out);
        map.maps("items", &doc.items, |m, item| {
            m.str("name", &item.name);
            m.plain("n", item.n);
            m.strs("tags", &item.tags);
        });
        map.maps("none", &doc.none, |_, _| {});
        map.strs("tags", &doc.tags);
        map.opt_map("inner", doc.inner.as_ref(), |m, inner| {
            m.str("seed", &inner.seed);
            m.plain("line", inner.line);
        });
        map.opt_map("missing", doc.missing.as_ref(), |_, _: &Inner| {});
        map.float("x", doc.x);
        assert_eq!(out, serde_yaml::to_string(&doc).unwrap());
    }

    #[test]
    fn writes_floats_like_serde_yaml() {
        for x in [0.5, 1e20, 1.5e-7, -2.25, 123456.789, f64::INFINITY, f64::NEG_INFINITY] {
            let mut out = String::new();
            Map::new(&mut out).float("k", x);
            assert_eq!(out, serde_yaml::to_string(&std::collections::BTreeMap::from([("k", x)])).unwrap(), "{x}");
        }
    }
}
