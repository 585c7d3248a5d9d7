//! The importer: one seed page in, its articles out, annotated. Pure: no I/O.
//!
//! The stages, each a module: [`text`] repairs characters, [`para`] rebuilds paragraphs from printed lines,
//! [`classify`] tells bylines, notes, captions, data boxes and headings from body text, [`split`] groups them into
//! article drafts (titles before, after or inside their body), [`tidy`] settles page-level questions (orphan
//! fragments, data boxes, reading order), [`extract`] turns each draft into an [`Article`] with
//! Markdown body, metrics and themes. Layout words come from `src/lexicon/layout.yaml` ([`LayoutLexicon`]).

mod authors;
mod classify;
mod extract;
mod para;
mod split;
mod text;
mod tidy;

use crate::article::Article;
use crate::lexicon::{Lexicon, WordSet};
use crate::seed::SeedPage;
use rustc_hash::FxHashSet;
use serde::Deserialize;
use std::sync::OnceLock;

/// Layout words the importer recognizes: section labels, byline and caption markers, notes (`layout.yaml`).
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct LayoutLexicon {
    pub label_brackets: Vec<(String, String)>,
    pub interview_label_words: Vec<String>,
    pub sidebar_labels: Vec<String>,
    pub sidebar_suffixes: Vec<String>,
    pub byline_markers: Vec<String>,
    pub byline_trailers: Vec<String>,
    pub masthead_min_markers: usize,
    pub masthead_words: Vec<String>,
    pub furniture_words: Vec<String>,
    pub role_words: RoleWords,
    pub author_note_prefixes: Vec<String>,
    pub respectively_words: Vec<String>,
    pub author_note_stops: Vec<String>,
    pub job_titles: Vec<String>,
    pub caption_credit_words: Vec<String>,
    pub caption_markers: Vec<String>,
    pub databox_bullets: Vec<String>,
    pub databox_source_words: Vec<String>,
    pub databox_credit_words: Vec<String>,
    pub brief_markers: Vec<String>,
    pub dateline_ends: Vec<String>,
    pub continuation_from: Vec<String>,
    pub continuation_to: Vec<String>,
    pub editor_note_ends: Vec<String>,
    pub editor_note_starts: Vec<String>,
    pub host_labels: Vec<String>,
    pub guest_labels: Vec<String>,
    pub not_name_words: Vec<String>,
    pub compound_surnames: Vec<String>,
    pub surnames: String,
    /// The lists searched anywhere in a line, compiled on first use.
    #[serde(skip)]
    scanners: OnceLock<Scanners>,
}

/// The layout lists that are searched anywhere in a line or token (not only at its start), each compiled into one
/// automaton. The rules keep reading the lists themselves; a scanner only tells them when no word of a list occurs.
#[derive(Debug, Clone)]
struct Scanners {
    byline_markers: WordSet,
    furniture_words: WordSet,
    /// Furniture words and byline markers together: a line with neither is no masthead, found in one pass.
    masthead_signs: WordSet,
    masthead_words: WordSet,
    role_words: WordSet,
    not_name_words: WordSet,
    caption_credit_words: WordSet,
    /// The characters a line [`LayoutLexicon::opens_unit`] can begin with, or None when any character can (a list
    /// holds an empty word).
    unit_openers: Option<FxHashSet<char>>,
    /// [`LayoutLexicon::surnames`] as a set.
    surnames: FxHashSet<char>,
}

/// Byline words for each role, e.g. `reporter: [首席记者, 记者]`.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct RoleWords {
    pub reporter: Vec<String>,
    pub correspondent: Vec<String>,
    pub editor: Vec<String>,
    pub host: Vec<String>,
    pub guest: Vec<String>,
}

impl LayoutLexicon {
    /// The built-in layout lexicon (for tests).
    pub fn built_in() -> LayoutLexicon {
        Lexicon::built_in().layout
    }

    fn scanners(&self) -> &Scanners {
        self.scanners.get_or_init(|| {
            let w = &self.role_words;
            let roles = [&w.reporter, &w.correspondent, &w.editor, &w.host, &w.guest].into_iter().flatten();
            Scanners {
                byline_markers: WordSet::new(&self.byline_markers),
                furniture_words: WordSet::new(&self.furniture_words),
                masthead_signs: WordSet::new(self.furniture_words.iter().chain(&self.byline_markers)),
                masthead_words: WordSet::new(&self.masthead_words),
                role_words: WordSet::new(roles),
                not_name_words: WordSet::new(&self.not_name_words),
                caption_credit_words: WordSet::new(&self.caption_credit_words),
                unit_openers: self.unit_openers(),
                surnames: self.surnames.chars().collect(),
            }
        })
    }

    /// The first characters of the words a line that [`LayoutLexicon::opens_unit`] starts with, and the brackets of
    /// continuations and bracketed lines; None when a list holds an empty word.
    fn unit_openers(&self) -> Option<FxHashSet<char>> {
        let label_opens = self.label_brackets.iter().map(|(open, _)| open);
        let words = [&self.byline_markers, &self.databox_bullets, &self.databox_source_words, &self.brief_markers]
            .into_iter()
            .chain([&self.editor_note_starts, &self.host_labels, &self.guest_labels])
            .flatten()
            .chain(label_opens);
        let mut openers: FxHashSet<char> = "（(".chars().collect();
        for word in words {
            openers.insert(word.chars().next()?);
        }
        Some(openers)
    }

    /// A line that always begins a new paragraph: byline, label, bullet, dateline, continuation, interview role.
    pub fn starts_unit(&self, line: &str) -> bool {
        self.opens_unit(line) || self.stands_alone(line)
    }

    /// [`LayoutLexicon::starts_unit`] short of [`LayoutLexicon::stands_alone`], for callers that know that already.
    fn opens_unit(&self, line: &str) -> bool {
        let line = line.trim_start();
        let first = line.chars().next();
        if let (Some(openers), Some(first)) = (&self.scanners().unit_openers, first) {
            if !openers.contains(&first) {
                return false;
            }
        }
        let starts = |words: &[String]| words.iter().any(|w| line.starts_with(w.as_str()));
        starts(&self.byline_markers)
            || self.label_brackets.iter().any(|(open, _)| line.starts_with(open.as_str()))
            || starts(&self.databox_bullets)
            || starts(&self.databox_source_words)
            || starts(&self.brief_markers)
            || starts(&self.editor_note_starts)
            || self.continuation(line).is_some()
            || self.is_role_label(line)
            || bracketed(line)
    }

    /// A line that is a paragraph by itself: byline, label-only line, sidebar label, masthead, `——编者`.
    pub fn stands_alone(&self, line: &str) -> bool {
        self.stands_alone_sized(line, text::width(line))
    }

    /// [`LayoutLexicon::stands_alone`] for a line whose [`text::width`] is known.
    fn stands_alone_sized(&self, line: &str, width: f32) -> bool {
        let line = line.trim();
        self.byline_markers.iter().any(|m| line.starts_with(m.as_str()))
            || self.is_masthead_sized(line, width)
            || self.sidebar_label(line).is_some()
            || self.editor_note_ends.iter().any(|e| line == e)
            || self.databox_source_words.iter().any(|w| line.starts_with(w.as_str()))
            || (!line.is_empty() && self.split_labels(line).1.is_empty())
    }

    /// `主持人：` or `嘉宾：` at the start of a line.
    pub fn is_role_label(&self, line: &str) -> bool {
        let line = line.trim_start();
        self.host_labels
            .iter()
            .chain(&self.guest_labels)
            .any(|l| line.strip_prefix(l.as_str()).is_some_and(|rest| rest.starts_with(['：', ':'])))
    }

    /// The page's masthead or furniture: several byline markers on one line, a masthead word on a short marked line,
    /// a date line or the page's editors (`责任编辑 王芳`).
    pub fn is_masthead(&self, line: &str) -> bool {
        self.is_masthead_sized(line, text::width(line))
    }

    /// [`LayoutLexicon::is_masthead`] for a line whose [`text::width`] is known.
    fn is_masthead_sized(&self, line: &str, w: f32) -> bool {
        // Mastheads and furniture are short lines; this is asked of every line, so long ones leave at once.
        if w > 60.0 {
            return false;
        }
        let scanners = self.scanners();
        if !scanners.masthead_signs.occurs_in(line) {
            return false;
        }
        let furniture = w <= 40.0 && !text::ends_sentence(line) && scanners.furniture_words.occurs_in(line);
        if furniture {
            return true;
        }
        if !scanners.byline_markers.occurs_in(line) {
            return false;
        }
        let markers: usize = self.byline_markers.iter().map(|m| line.matches(m.as_str()).count()).sum();
        markers >= self.masthead_min_markers.max(2)
            || markers >= 1 && w <= 20.0 && scanners.masthead_words.occurs_in(line)
    }

    /// Leading section labels and the rest of the line: `【智库圆桌】 2025年…` → ([智库圆桌], `2025年…`).
    pub fn split_labels<'a>(&self, line: &'a str) -> (Vec<String>, &'a str) {
        let mut labels = Vec::new();
        let mut rest = line.trim_start();
        'outer: loop {
            for (open, close) in &self.label_brackets {
                if let Some(after) = rest.strip_prefix(open.as_str()) {
                    if let Some(end) = after.find(close.as_str()) {
                        let label = after[..end].trim();
                        if !label.is_empty() && text::width(label) <= 10.0 {
                            labels.push(label.to_string());
                            rest = after[end + close.len()..].trim_start();
                            continue 'outer;
                        }
                    }
                }
            }
            break;
        }
        if labels.is_empty() {
            (labels, line)
        } else {
            (labels, rest)
        }
    }

    /// The sidebar label a line consists of: `记者手记>>>` → `记者手记`.
    pub fn sidebar_label(&self, line: &str) -> Option<String> {
        let line = line.trim();
        let (core, suffixed) = match self.sidebar_suffixes.iter().find(|s| line.ends_with(s.as_str())) {
            Some(s) => (line[..line.len() - s.len()].trim(), true),
            None => (line, false),
        };
        let known = self.sidebar_labels.iter().any(|l| l == core);
        (known || suffixed && text::width(core) <= 8.0 && !core.is_empty()).then(|| core.to_string())
    }

    /// The continuation marker a line starts with and the rest: `（上接1版）中国…` → (`上接1版`, `中国…`).
    pub fn continuation<'a>(&self, line: &'a str) -> Option<(String, &'a str)> {
        let inner = line.trim_start().strip_prefix(['（', '('])?;
        let end = inner.find(['）', ')'])?;
        let marker = &inner[..end];
        let known = self.continuation_from.iter().chain(&self.continuation_to).any(|w| marker.starts_with(w.as_str()));
        (known && text::width(marker) <= 10.0)
            .then(|| (marker.to_string(), inner[end..].trim_start_matches(['）', ')'])))
    }

    /// A personal name: two to four Han characters (a few more with `·`) starting with a known surname, and no
    /// organisation or title word.
    pub fn is_name(&self, token: &str) -> bool {
        let longest = if token.contains('·') { 10 } else { 4 };
        // Length first: most tokens asked about are whole lines of text.
        if !(2..=longest).contains(&token.chars().count()) {
            return false;
        }
        let han = token.chars().all(|c| text::is_han(c) || c == '·');
        let surname = self.compound_surnames.iter().any(|s| token.starts_with(s.as_str()))
            || token.chars().next().is_some_and(|c| self.scanners().surnames.contains(&c));
        han && surname && !self.scanners().not_name_words.occurs_in(token)
    }
}

/// A whole line in brackets: an author note, a closing byline, a photo note (`（作者系…）`, `（本报记者 钱七）`).
fn bracketed(line: &str) -> bool {
    let line = line.trim();
    line.starts_with(['（', '(']) && line.ends_with(['）', ')']) && text::width(line) <= 60.0
}

/// Splits a page into articles and annotates each. Stems are `<seed stem>-<nn>` in reading order. Every article
/// gets the issue date the page's header prints, if it prints one ([`crate::seed::date_in_header`]).
pub fn import_page(page: &SeedPage, lexicon: &Lexicon) -> Vec<Article> {
    let lex = &lexicon.layout;
    let lines = prepare_lines(&page.text, lex);
    let date = lines
        .iter()
        .filter_map(|(_, line)| line.as_deref())
        .find_map(|line| crate::seed::date_in_header(line).filter(|_| lex.is_masthead(line)));
    let paras = para::paragraphs(&lines, lex);
    let units = classify::classify(&paras, lex);
    let drafts = split::split(units, lex);
    let seed_stem = page.name.strip_suffix(".txt").unwrap_or(&page.name);
    drafts
        .into_iter()
        .enumerate()
        .map(|(i, draft)| extract::article(draft, &format!("{seed_stem}-{:02}", i + 1), &page.name, lexicon))
        .map(|article| Article { date: date.clone(), ..article })
        .collect()
}

/// The page's lines, repaired character by character, with their 1-based numbers; `None` for a blank line.
/// A label with text after it, or a byline glued to the end of a title, is split into two lines.
fn prepare_lines(text: &str, lex: &LayoutLexicon) -> Vec<(usize, Option<String>)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let line = text::normalize_forms(raw.trim());
        let line = text::undouble(&line).unwrap_or(line);
        let line = line.trim();
        if line.is_empty() {
            out.push((number, None));
            continue;
        }
        for piece in split_line(line, lex) {
            out.push((number, Some(piece)));
        }
    }
    out
}

fn split_line(line: &str, lex: &LayoutLexicon) -> Vec<String> {
    let (labels, rest) = lex.split_labels(line);
    if !labels.is_empty() && !rest.is_empty() {
        let label_part = line[..line.len() - rest.len()].trim().to_string();
        return vec![label_part, rest.to_string()];
    }
    // Most lines have no byline marker: that is asked first, the masthead test costs more.
    if !lex.scanners().byline_markers.occurs_in(line) || lex.is_masthead(line) {
        return vec![line.to_string()];
    }
    for marker in &lex.byline_markers {
        if let Some(at) = line.find(marker.as_str()).filter(|&at| at > 0) {
            let after = line[at + marker.len()..].trim();
            if after.split_whitespace().all(|t| lex.is_name(t)) && !after.is_empty() {
                return vec![line[..at].trim().to_string(), line[at..].to_string()];
            }
        }
    }
    vec![line.to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_a_byline_glued_to_a_title() {
        let lex = LayoutLexicon::built_in();
        assert_eq!(split_line("赋能西部陆海新通道建设■詹宏伟 张鑫", &lex), ["赋能西部陆海新通道建设", "■詹宏伟 张鑫"]);
        assert_eq!(split_line("■高度 ■深度 ■力度 ■温度周刊", &lex).len(), 1);
    }

    #[test]
    fn splits_labels_from_the_text_after_them() {
        let lex = LayoutLexicon::built_in();
        assert_eq!(split_line("【决策建议】 加快推动产业创新发展", &lex), ["【决策建议】", "加快推动产业创新发展"]);
        assert_eq!(lex.split_labels("【智库对话】【决策建议】").0, ["智库对话", "决策建议"]);
    }

    #[test]
    fn knows_names_from_headings() {
        let lex = LayoutLexicon::built_in();
        assert!(lex.is_name("唐于渝"));
        assert!(lex.is_name("高吕艳杏"));
        assert!(!lex.is_name("谈差距"));
        assert!(!lex.is_name("重庆日报"));
    }

    /// `SEED=seeds/004….txt cargo test dump_units -- --ignored --nocapture` prints a page's units.
    #[test]
    #[ignore]
    fn dump_units() {
        let lex = LayoutLexicon::built_in();
        let text = std::fs::read_to_string(std::env::var("SEED").unwrap()).unwrap();
        let paras = para::paragraphs(&prepare_lines(&text, &lex), &lex);
        for u in classify::classify(&paras, &lex) {
            println!("{:>4} {:?}", u.line, u.unit);
        }
    }

    #[test]
    fn reads_continuation_markers() {
        let lex = LayoutLexicon::built_in();
        assert_eq!(lex.continuation("（上接1版）中国愿同"), Some(("上接1版".to_string(), "中国愿同")));
        assert_eq!(lex.continuation("（作者系教授）"), None);
    }
}
