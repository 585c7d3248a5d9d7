//! The search tokenizer, shared by the index (here) and the page (`themes/default/static/search-tokenizer.js`,
//! which reproduces these rules line for line; `tests/it/search.rs` checks both on
//! `tests/fixtures/search/tokenizer_cases.txt`). Pure: text in, tokens out.
//!
//! Rules:
//! 1. Width folding: full-width ASCII (U+FF01–U+FF5E) becomes half-width, the ideographic space a space.
//! 2. A run of CJK characters (scripts Han, Hiragana, Katakana, Hangul) gives each character (unigram) and each
//!    pair of neighbours (bigram), in reading order: 数据要 → 数, 数据, 据, 据要, 要. Whitespace between two CJK
//!    characters does not end the run (line breaks of the print layout), so 陆海 新通道 gives 海新 too.
//! 3. A run of other letters and digits is one lower-cased word. A `.` between two ASCII digits stays inside the
//!    word (5.2), and a `%` right after a digit ends it (467.7%): 5G → 5g, eVTOL → evtol.
//! 4. Everything else (spaces, punctuation, `+`, `-`) separates tokens and is dropped.
//!
//! There is no stemmer, stop-word list or pipeline function: the browser needs nothing registered.

use regex::Regex;
use std::sync::OnceLock;

/// The elasticlunr-rs [`elasticlunr::Language`] that tokenizes with [`tokenize`] and has an empty pipeline.
#[derive(Debug, Clone, Copy, Default)]
pub struct DigestLanguage;

impl elasticlunr::Language for DigestLanguage {
    fn name(&self) -> String {
        "DigestCjk".into()
    }

    fn code(&self) -> String {
        "zh".into()
    }

    fn tokenize(&self, text: &str) -> Vec<String> {
        tokenize(text)
    }

    fn make_pipeline(&self) -> elasticlunr::Pipeline {
        elasticlunr::Pipeline { queue: Vec::new() }
    }
}

/// Folds full-width ASCII to half-width and the ideographic space to a space; other characters are kept.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Whether `c` belongs to a CJK script (Han, Hiragana, Katakana, Hangul).
pub fn is_cjk(c: char) -> bool {
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return true;
    }
    match plane_class(c) {
        Some(class) => class & CJK != 0,
        None => is_cjk_by_regex(c),
    }
}

/// Whether `c` is a letter or digit of a word (alphabetic or decimal digit, not CJK).
pub fn is_word(c: char) -> bool {
    match plane_class(c) {
        Some(class) => class & WORD != 0,
        None => is_word_by_regex(c),
    }
}

const CJK: u8 = 1;
const WORD: u8 = 2;

/// The class bits of a character of the basic plane, from a table the regexes fill once: every character of every
/// document is asked about, and CJK punctuation (。、“) would otherwise cost three regex matches each.
fn plane_class(c: char) -> Option<u8> {
    static TABLE: OnceLock<Vec<u8>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let class = |c: char| (u8::from(is_cjk_by_regex(c)) * CJK) | (u8::from(is_word_by_regex(c)) * WORD);
        (0..=0xFFFF).map(|u| char::from_u32(u).map_or(0, class)).collect()
    });
    table.get(c as usize).copied()
}

fn is_cjk_by_regex(c: char) -> bool {
    static CJK_RE: OnceLock<Regex> = OnceLock::new();
    if c.is_ascii() {
        return false;
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return true;
    }
    let re = CJK_RE.get_or_init(|| {
        Regex::new(r"^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$").unwrap()
    });
    re.is_match(c.encode_utf8(&mut [0; 4]))
}

fn is_word_by_regex(c: char) -> bool {
    static WORD_RE: OnceLock<Regex> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    let re = WORD_RE.get_or_init(|| Regex::new(r"^[\p{Alphabetic}\p{Nd}]$").unwrap());
    !is_cjk_by_regex(c) && re.is_match(c.encode_utf8(&mut [0; 4]))
}

/// Splits `text` into search tokens by the rules in the module comment.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    for_each_token(text, |token| tokens.push(token.to_string()));
    tokens
}

/// Hands each token of `text` to `emit`, in order, as [`tokenize`] returns them; one buffer serves all tokens.
pub fn for_each_token(text: &str, mut emit: impl FnMut(&str)) {
    let mut token = String::new();
    Scanner::default().scan(text, |piece| match piece {
        Piece::Gram(a, b) => {
            token.clear();
            token.push(a);
            token.extend(b);
            emit(&token);
        }
        Piece::Word(word) => emit(word),
    });
}

/// A token as the scanner finds it: a CJK unigram or bigram by its characters (no string made), or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    Gram(char, Option<char>),
    Word(&'a str),
}

/// Finds the tokens of texts, reusing its buffers from one text to the next (the index scans every document).
#[derive(Debug, Default)]
pub struct Scanner {
    chars: Vec<char>,
    word: String,
}

impl Scanner {
    /// Hands each token of `text` to `emit`, in the order of [`tokenize`].
    pub fn scan(&mut self, text: &str, mut emit: impl FnMut(Piece<'_>)) {
        self.chars.clear();
        self.chars.extend(text.chars().map(fold_width));
        let chars = &self.chars;
        let mut i = 0;
        while i < chars.len() {
            if is_cjk(chars[i]) {
                i = emit_run(chars, i, &mut emit);
            } else if is_word(chars[i]) {
                let end = word_end(chars, i);
                lowercase_word(&chars[i..end], &mut self.word);
                emit(Piece::Word(&self.word));
                i = end;
            } else {
                i += 1;
            }
        }
    }
}

/// The word lower-cased into `token`; ASCII words (nearly all) without the allocation `to_lowercase` makes.
fn lowercase_word(word: &[char], token: &mut String) {
    token.clear();
    if word.iter().all(char::is_ascii) {
        token.extend(word.iter().map(char::to_ascii_lowercase));
    } else {
        token.push_str(&word.iter().collect::<String>().to_lowercase());
    }
}

/// Emits the unigrams and bigrams of the CJK run starting at `start` (it continues across whitespace between CJK
/// characters) and returns where the run ends.
fn emit_run(chars: &[char], start: usize, emit: &mut impl FnMut(Piece<'_>)) -> usize {
    let mut at = start;
    loop {
        let mut next = at + 1;
        while next < chars.len() && chars[next].is_whitespace() {
            next += 1;
        }
        emit(Piece::Gram(chars[at], None));
        if next < chars.len() && is_cjk(chars[next]) {
            emit(Piece::Gram(chars[at], Some(chars[next])));
            at = next;
        } else {
            return at + 1;
        }
    }
}

fn word_end(chars: &[char], start: usize) -> usize {
    let digit = |j: usize| chars.get(j).is_some_and(|c| c.is_ascii_digit());
    let mut end = start;
    loop {
        let word = end < chars.len() && is_word(chars[end]);
        let decimal_point = chars.get(end) == Some(&'.') && digit(end - 1) && digit(end + 1);
        if word || decimal_point {
            end += 1;
        } else {
            break;
        }
    }
    if chars.get(end) == Some(&'%') && digit(end - 1) {
        end += 1;
    }
    end
}

/// The text as the final check compares it: width folded, lower-cased, whitespace removed.
pub fn normalize_for_match(text: &str) -> String {
    text.chars().map(fold_width).filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<String> {
        tokenize(text)
    }

    #[test]
    fn cjk_run_gives_unigrams_and_bigrams_in_order() {
        assert_eq!(toks("数据要"), ["数", "数据", "据", "据要", "要"]);
    }

    #[test]
    fn cjk_run_continues_across_whitespace() {
        assert_eq!(toks("陆海 新\n通"), ["陆", "陆海", "海", "海新", "新", "新通", "通"]);
        assert_eq!(toks("新 a"), ["新", "a"]);
    }

    #[test]
    fn keeps_decimals_and_percent_in_numbers() {
        assert_eq!(toks("增长467.7%，达5.2亿"), ["增", "增长", "长", "467.7%", "达", "5.2", "亿"]);
    }

    #[test]
    fn lowercases_latin_words_and_keeps_digit_letter_words() {
        assert_eq!(toks("eVTOL与5G、DeepSeek"), ["evtol", "与", "5g", "deepseek"]);
    }

    #[test]
    fn folds_full_width_letters_digits_and_percent() {
        assert_eq!(toks("ＡＩ２０２４年１２％"), ["ai2024", "年", "12%"]);
    }

    #[test]
    fn drops_plus_and_punctuation_and_splits_on_them() {
        assert_eq!(toks("人工智能+。C++"), ["人", "人工", "工", "工智", "智", "智能", "能", "c"]);
    }

    #[test]
    fn table_agrees_with_the_regexes() {
        for c in ['a', '5', '。', '、', '々', 'ア', '한', 'é', 'Ⅻ', '٣', '\u{3000}', '\u{20000}', '😀'] {
            assert_eq!(is_cjk(c), is_cjk_by_regex(c), "{c}");
            assert_eq!(is_word(c), is_word_by_regex(c), "{c}");
        }
    }

    #[test]
    fn dot_not_between_digits_splits() {
        assert_eq!(toks("v2.0. end."), ["v2.0", "end"]);
    }

    #[test]
    fn normalizes_for_match_ignoring_space_case_and_width() {
        assert_eq!(normalize_for_match("Deep Seek ＡＩ\n人工智能＋"), "deepseekai人工智能+");
    }
}
