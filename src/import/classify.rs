//! What each paragraph is: masthead, label, byline, note, caption, data box line, dateline, heading or body text.
//! Pure: no I/O.
//!
//! In: [`Para`]s in stream order. Out: [`Unit`]s in the same order. Captions are put together here: a credit line
//! (`记者 崔力 摄/视觉重庆`) takes the short paragraph printed just before it as its caption text.

use super::authors;
use super::para::{heading_text, Para};
use super::text::{ends_sentence, width};
use super::LayoutLexicon;
use crate::article::Author;

/// One classified paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Unit {
    Masthead,
    Labels(Vec<String>),
    Sidebar(String),
    /// A byline before the text (`■余元玲`), or a bare name line (`唐于渝`) when `bare`.
    Byline {
        authors: Vec<Author>,
        bare: bool,
    },
    /// A byline after the text: `（记者 高吕艳杏）`.
    EndByline(Vec<Author>),
    /// An author note, as printed.
    Note(String),
    EditorNote(String),
    Caption(String),
    Data(String),
    Brief {
        authors: Vec<Author>,
        text: String,
    },
    Continuation {
        marker: String,
        text: String,
    },
    Roles(Vec<Author>),
    /// A title, subtitle or subhead block, one entry per printed line; `inset` when printed inside a paragraph.
    Heading {
        lines: Vec<String>,
        inset: bool,
    },
    Body {
        text: String,
        column: Option<f32>,
    },
}

/// A unit and the seed line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub line: usize,
    pub unit: Unit,
}

/// Classifies every paragraph of a page.
pub fn classify(paras: &[Para], lex: &LayoutLexicon) -> Vec<Placed> {
    let mut out: Vec<Placed> = Vec::with_capacity(paras.len());
    for para in paras {
        let unit = classify_one(para, lex);
        match unit {
            Unit::Caption(text) if !text_before_credit(&text, lex) => {
                let caption = match out.last() {
                    Some(Placed { unit: Unit::Body { text: before, .. }, .. }) if caption_text(before) => {
                        let before = before.clone();
                        out.pop();
                        format!("{before} {text}")
                    }
                    _ => text,
                };
                out.push(Placed { line: para.line, unit: Unit::Caption(caption) });
            }
            Unit::EditorNote(text) if lex.editor_note_ends.contains(&text) => {
                if let Some(Placed { unit: last @ Unit::Body { .. }, .. }) = out.last_mut() {
                    let Unit::Body { text: before, .. } = last.clone() else { unreachable!() };
                    *last = Unit::EditorNote(format!("{before}{text}"));
                }
            }
            unit => out.push(Placed { line: para.line, unit }),
        }
    }
    out
}

fn classify_one(para: &Para, lex: &LayoutLexicon) -> Unit {
    let first = para.lines[0].trim();
    let text = para.text();
    let text = text.trim();
    if lex.is_masthead(first) {
        return Unit::Masthead;
    }
    let (labels, rest) = lex.split_labels(first);
    if !labels.is_empty() && rest.is_empty() {
        return Unit::Labels(labels);
    }
    if let Some(label) = lex.sidebar_label(first) {
        return Unit::Sidebar(label);
    }
    if let Some(marker) = lex.byline_markers.iter().find(|m| first.starts_with(m.as_str())) {
        if let Some(authors) = authors::byline(&text[marker.len()..], lex) {
            return Unit::Byline { authors, bare: false };
        }
    }
    if lex.is_role_label(first) {
        return Unit::Roles(authors::roles(&para.lines, lex));
    }
    if let Some(unit) = classify_marked(para, text, lex) {
        return unit;
    }
    if para.inset || heading_like(para) {
        if let Some(authors) = bare_names(text, lex) {
            return Unit::Byline { authors, bare: true };
        }
        return Unit::Heading { lines: para.lines.iter().map(|l| l.trim().to_string()).collect(), inset: para.inset };
    }
    Unit::Body { text: text.to_string(), column: para.column() }
}

/// Units announced by a marker word: notes, credits, bullets, datelines, continuations, editor's notes.
fn classify_marked(para: &Para, text: &str, lex: &LayoutLexicon) -> Option<Unit> {
    if authors::note(text, lex).is_some() {
        return Some(Unit::Note(text.to_string()));
    }
    if let Some(inner) = text.strip_prefix(['（', '(']).and_then(|t| t.strip_suffix(['）', ')'])) {
        if let Some(authors) = authors::byline(inner, lex).filter(|a| a.iter().all(|a| a.affiliation.is_some())) {
            return Some(Unit::EndByline(authors));
        }
    }
    let starts = |words: &[String]| words.iter().find(|w| text.starts_with(w.as_str())).cloned();
    if let Some(bullet) = starts(&lex.databox_bullets) {
        return Some(Unit::Data(format!("{bullet} {}", text[bullet.len()..].trim())));
    }
    if starts(&lex.databox_source_words).is_some()
        || lex.databox_credit_words.iter().any(|w| text.contains(w.as_str())) && width(text) <= 30.0
    {
        return Some(Unit::Data(text.to_string()));
    }
    if authors::credit_start(text, lex).is_some() || lex.caption_markers.iter().any(|m| text.ends_with(m.as_str())) {
        return Some(Unit::Caption(text.to_string()));
    }
    if let Some(marker) = starts(&lex.brief_markers) {
        return Some(brief(text[marker.len()..].trim_start(), lex));
    }
    if let Some(unit) = dateline(text, lex) {
        return Some(unit);
    }
    if let Some((marker, rest)) = lex.continuation(text) {
        return Some(Unit::Continuation { marker, text: rest.trim().to_string() });
    }
    if lex.editor_note_ends.iter().any(|e| text.ends_with(e.as_str())) {
        return Some(Unit::EditorNote(text.to_string()));
    }
    if starts(&lex.editor_note_starts).is_some() {
        return Some(Unit::EditorNote(text.to_string()));
    }
    let _ = para;
    None
}

/// A news dateline such as `新华社北京6月11日电（记者 张三）…`: a short place-and-date run ending in 电, then the
/// reporters in brackets.
fn dateline(text: &str, lex: &LayoutLexicon) -> Option<Unit> {
    let open = text.find(['（', '('])?;
    let head = text[..open].trim_end();
    let short = width(head) <= 20.0 && !head.contains(['，', '。', '；', '：']);
    if !short || !lex.dateline_ends.iter().any(|e| head.ends_with(e.as_str())) {
        return None;
    }
    match brief(&text[open..], lex) {
        unit @ Unit::Brief { .. } if matches!(&unit, Unit::Brief { authors, .. } if !authors.is_empty()) => Some(unit),
        _ => None,
    }
}

/// A dateline's reporters and the text after it: `（新重庆-重庆日报记者 张珺）6月11日，…`.
fn brief(after_marker: &str, lex: &LayoutLexicon) -> Unit {
    if let Some(inner) = after_marker.strip_prefix(['（', '(']) {
        if let Some(end) = inner.find(['）', ')']) {
            if let Some(authors) = authors::byline(&inner[..end], lex) {
                let text = inner[end..].trim_start_matches(['）', ')']).trim().to_string();
                return Unit::Brief { authors, text };
            }
        }
    }
    Unit::Brief { authors: Vec::new(), text: after_marker.to_string() }
}

fn heading_like(para: &Para) -> bool {
    let last = para.lines.last().expect("a paragraph has a line");
    para.lines.len() <= 3
        && para.lines.iter().all(|l| heading_text(l, 40.0) || l.trim_start().starts_with('—'))
        && (!ends_sentence(last) || last.trim_end().ends_with(['？', '！', '?']))
}

/// A line of nothing but names and role words: a byline printed without a marker (`唐于渝`, `本报记者 王晓明`).
fn bare_names(text: &str, lex: &LayoutLexicon) -> Option<Vec<Author>> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    (!tokens.is_empty() && tokens.len() <= 6 && tokens.iter().any(|t| lex.is_name(t)))
        .then(|| authors::byline(text, lex))
        .flatten()
}

/// True when the credit comes after caption text on the same paragraph (`…展厅一角。 记者 X 摄`).
fn text_before_credit(text: &str, lex: &LayoutLexicon) -> bool {
    authors::credit_start(text, lex).is_some_and(|start| !text[..start].trim().is_empty())
        || lex.caption_markers.iter().any(|m| text.ends_with(m.as_str()))
}

/// A paragraph short enough to be the caption printed above a credit line.
fn caption_text(text: &str) -> bool {
    width(text) <= 100.0 && ends_sentence(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(lines: &[&str]) -> Vec<Unit> {
        let paras: Vec<Para> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| Para { line: i + 1, lines: l.split('|').map(String::from).collect(), inset: false })
            .collect();
        classify(&paras, &LayoutLexicon::built_in()).into_iter().map(|p| p.unit).collect()
    }

    #[test]
    fn joins_a_credit_line_to_the_caption_above_it() {
        let got = units(&["西部科学城智能网联汽车创新中心展厅一角。", "记者 高吕艳杏 摄"]);
        assert_eq!(got, [Unit::Caption("西部科学城智能网联汽车创新中心展厅一角。 记者 高吕艳杏 摄".into())]);
    }

    #[test]
    fn reads_a_news_brief_dateline() {
        let got = units(&["本报讯 （新重庆-重庆日|报记者 张珺）6月 11日，培训班开班。"]);
        let Unit::Brief { authors, text } = &got[0] else { panic!("{got:?}") };
        assert_eq!(authors[0].name, "张珺");
        assert_eq!(text, "6月 11日，培训班开班。");
    }

    #[test]
    fn reads_agency_datelines() {
        let got = units(&["新华社北京6月11日电（记者 张三 李四）国务院新闻办公室11日举行发布会。"]);
        let Unit::Brief { authors, text } = &got[0] else { panic!("{got:?}") };
        assert_eq!(authors.len(), 2);
        assert_eq!(text, "国务院新闻办公室11日举行发布会。");
        assert!(matches!(&units(&["他说（大意）：明天见。"])[0], Unit::Body { .. }));
    }

    #[test]
    fn reads_slash_bylines() {
        let got = units(&["文/本报记者 王五"]);
        assert!(matches!(&got[0], Unit::Byline { authors, .. } if authors[0].name == "王五"));
    }

    #[test]
    fn makes_the_paragraph_before_a_lone_signature_an_editor_note() {
        let got = units(&["现推出策划专访，以飨读者。", "——编者"]);
        assert_eq!(got, [Unit::EditorNote("现推出策划专访，以飨读者。——编者".into())]);
    }

    #[test]
    fn tells_bare_bylines_from_headings() {
        let got = units(&["唐于渝", "谈差距|我市存在这些短板"]);
        assert!(matches!(&got[0], Unit::Byline { bare: true, .. }));
        assert!(matches!(&got[1], Unit::Heading { .. }));
    }

    #[test]
    fn reads_end_bylines_and_data_boxes() {
        let got = units(&["（记者 高吕艳杏）", "● 累计签约项目346个", "数据来源：市中新项目管理局 制图/丁龙"]);
        assert!(matches!(&got[0], Unit::EndByline(a) if a[0].name == "高吕艳杏"));
        assert_eq!(got[1], Unit::Data("● 累计签约项目346个".into()));
        assert!(matches!(&got[2], Unit::Data(_)));
    }
}
