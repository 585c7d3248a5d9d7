//! From a draft to an annotated [`Article`]: title block, section, authors and affiliations, Markdown body, metrics,
//! themes and warnings. Pure: no I/O.

use super::authors;
use super::split::{Draft, Item};
use super::text::{compact, ends_sentence, squeeze_spaces, width};
use super::LayoutLexicon;
use crate::article::{Article, Context, Kind, Role, Source};
use crate::lexicon::Lexicon;

/// Annotates one draft.
pub fn article(mut draft: Draft, stem: &str, seed: &str, lexicon: &Lexicon) -> Article {
    let lex = &lexicon.layout;
    let mut warnings = draft.warnings.clone();
    warnings.extend(check_ending(&mut draft, lex));
    let (kicker, title, subtitle) = title_block(&draft.title);
    let body = body_markdown(&draft, lex);
    let (title, title_inferred) = match (title, &draft.sidebar) {
        (Some(t), _) => (t, false),
        (None, Some(label)) => (label.clone(), false),
        (None, None) => {
            warnings.push("title lost on the page: inferred from the first sentence".into());
            (infer_title(&draft), true)
        }
    };
    let (authors, affiliation) = people(&draft, lex, &mut warnings);
    let kind = kind(&draft);
    let section = section(&draft, kind, lex);
    let mut metrics = metrics_of(&draft, &body, kind, lexicon);
    for text in [&kicker, &Some(title.clone()), &subtitle].into_iter().flatten() {
        metrics.extend(crate::metrics::extract(text, Context::Headline, &lexicon.units));
    }
    warnings.extend(crate::metrics::conflicts(&metrics));
    let themes = crate::themes::assign(&title, &body, &lexicon.themes);
    Article {
        stem: stem.to_string(),
        title,
        title_inferred,
        kicker,
        subtitle,
        section,
        kind,
        date: None,
        authors,
        affiliation,
        themes,
        metrics,
        source: Some(Source { seed: seed.to_string(), line: draft.line }),
        captions: draft.captions.iter().map(|c| squeeze_caption(c, lex)).collect(),
        warnings,
        body,
    }
}

/// Kicker, title and subtitle from the heading units of a title block.
fn title_block(blocks: &[Vec<String>]) -> (Option<String>, Option<String>, Option<String>) {
    let mut lines: Vec<(usize, String)> = Vec::new();
    for (unit, block) in blocks.iter().enumerate() {
        lines.extend(block.iter().map(|l| (unit, squeeze_spaces(l))));
    }
    let subtitle_at = lines.iter().position(|(_, l)| l.starts_with('—'));
    let mut subtitle = subtitle_at.map(|i| lines.remove(i).1.trim_start_matches('—').trim().to_string());
    lines.truncate(subtitle_at.unwrap_or(lines.len()));
    let Some(&(last_unit, _)) = lines.last() else { return (None, None, subtitle) };
    let kicker: Vec<String> = lines.iter().filter(|(u, _)| *u < last_unit).map(|(_, l)| l.clone()).collect();
    let mut main: Vec<String> = lines.iter().filter(|(u, _)| *u == last_unit).map(|(_, l)| l.clone()).collect();
    let dashed = subtitle.is_some();
    if subtitle.is_none() && main.len() >= 2 {
        let (a, b) = (width(&main[main.len() - 2]), width(&main[main.len() - 1]));
        if main.len() >= 3 || !(0.65..=1.5).contains(&(a / b)) {
            subtitle = main.pop();
        }
    }
    let mut kicker = (!kicker.is_empty()).then(|| kicker.join(" "));
    if kicker.is_none() && main.len() >= 2 && blocks.len() == 1 && (lines.len() >= 3 || dashed) {
        kicker = Some(main.remove(0));
    }
    (kicker, Some(join_title(&main)), subtitle)
}

/// Joins title lines: a space between two complete phrases, nothing inside a wrapped phrase.
fn join_title(lines: &[String]) -> String {
    let mut title = String::new();
    for line in lines {
        if width(&title) >= 10.0 {
            title.push(' ');
        }
        title.push_str(line);
    }
    title
}

/// Warnings about how the text ends: a `（下转2版）` marker (removed from the text) or a last sentence cut off.
fn check_ending(draft: &mut Draft, lex: &LayoutLexicon) -> Vec<String> {
    let Some(Item::Para(last)) = draft.items.iter_mut().rev().find(|i| matches!(i, Item::Para(_))) else {
        return Vec::new();
    };
    if let Some(open) = last.rfind(['（', '(']) {
        if let Some((marker, rest)) = lex.continuation(&last[open..]) {
            let to = lex.continuation_to.iter().any(|w| marker.starts_with(w.as_str()));
            if to && rest.trim().is_empty() {
                last.truncate(open);
                return vec![format!("continues on another page ({marker})")];
            }
        }
    }
    if ends_sentence(last) {
        Vec::new()
    } else {
        vec!["the text breaks off mid-sentence: part of it may be lost".into()]
    }
}

/// A made-up title: the first clause of the body, at most about 20 characters.
fn infer_title(draft: &Draft) -> String {
    let first = draft.items.iter().find_map(|i| match i {
        Item::Para(p) => Some(squeeze_spaces(p)),
        Item::Subhead(_) => None,
    });
    let first = first.unwrap_or_default();
    let sentence = first.split(['。', '！', '？', '；']).next().unwrap_or("");
    let mut title = String::new();
    for clause in sentence.split_inclusive(['，', '：', '、']) {
        if width(&title) >= 10.0 || !title.is_empty() && width(&title) + width(clause) > 24.0 {
            break;
        }
        title.push_str(clause);
    }
    let title: String = title.trim_end_matches(['，', '：', '、']).chars().take(30).collect();
    if title.is_empty() {
        "无题".into()
    } else {
        title
    }
}

fn people(
    draft: &Draft,
    lex: &LayoutLexicon,
    warnings: &mut Vec<String>,
) -> (Vec<crate::article::Author>, Option<String>) {
    let mut authors = draft.authors.clone();
    for a in &mut authors {
        a.name = compact(&a.name);
        a.affiliation = a.affiliation.as_deref().map(compact);
    }
    let note = draft.note.as_deref().and_then(|n| authors::note(n, lex));
    if authors.is_empty() {
        if !matches!(draft.kind, Kind::Continuation) {
            warnings.push("byline lost on the page: no author named".into());
        }
        return (authors, note.map(|(aff, _)| aff));
    }
    if let Some((affiliation, respectively)) = note {
        let parts = respectively.then(|| authors::respectively(&affiliation, authors.len(), lex)).flatten();
        if respectively && parts.is_none() {
            warnings.push(format!("author note gives affiliations that do not pair with {} authors", authors.len()));
        }
        for (i, a) in authors.iter_mut().enumerate() {
            if a.affiliation.is_none() {
                a.affiliation = Some(parts.as_ref().map_or(affiliation.clone(), |p| p[i].clone()));
            }
        }
    }
    (authors, None)
}

fn kind(draft: &Draft) -> Kind {
    match draft.kind {
        Kind::Commentary if draft.authors.iter().any(|a| matches!(a.role, Role::Reporter | Role::Correspondent)) => {
            Kind::News
        }
        k => k,
    }
}

/// The section label that applies: the sidebar label, or the one of a stack of page labels that fits the kind.
fn section(draft: &Draft, kind: Kind, lex: &LayoutLexicon) -> Option<String> {
    if let Some(label) = &draft.sidebar {
        // A sidebar without a title of its own is titled by its label, which is then not a section.
        return (!draft.title.is_empty()).then(|| label.clone());
    }
    let interview = |l: &&String| lex.interview_label_words.iter().any(|w| l.contains(w.as_str()));
    let labels = &draft.labels;
    if kind == Kind::Interview {
        labels.iter().find(interview).or(labels.last()).cloned()
    } else {
        labels.iter().rev().find(|l| !interview(l)).or(labels.last()).cloned()
    }
}

/// The body in reading order as Markdown: editor's notes quoted first, paragraphs, `##` subheads, interview turns in
/// bold, the author note, then data boxes as quoted lists.
fn body_markdown(draft: &Draft, lex: &LayoutLexicon) -> String {
    let mut blocks: Vec<String> = draft.editor_notes.iter().map(|n| format!("> {}", squeeze_spaces(n))).collect();
    if draft.title.is_empty() && draft.sidebar.is_some() && !draft.items.iter().any(|i| matches!(i, Item::Para(_))) {
        return String::new();
    }
    for item in &draft.items {
        blocks.push(match item {
            Item::Para(p) if draft.kind == Kind::Interview => turn(&squeeze_spaces(p)),
            Item::Para(p) => squeeze_spaces(p),
            Item::Subhead(lines) => {
                format!("## {}", lines.iter().map(|l| squeeze_spaces(l)).collect::<Vec<_>>().join(" "))
            }
        });
    }
    if let Some(note) = &draft.note {
        blocks.push(compact(note));
    }
    for b in &draft.boxes {
        let items: Vec<String> = b.iter().map(|l| format!("> {}", squeeze_spaces(l))).collect();
        blocks.push(items.join("\n>\n"));
    }
    let _ = lex;
    blocks.join("\n\n")
}

/// An interview turn, `李林：…` → `**李林：**…`.
fn turn(p: &str) -> String {
    if let Some(at) = p.find('：') {
        let speaker = &p[..at];
        if (1.0..=8.0).contains(&width(speaker)) && !speaker.contains(['，', '。', '“', '、']) {
            return format!("**{speaker}：**{}", &p[at + '：'.len_utf8()..]);
        }
    }
    p.to_string()
}

/// A caption with its justification spaces dropped; the credit keeps the spaces between role, name and 摄.
fn squeeze_caption(c: &str, lex: &LayoutLexicon) -> String {
    let at = authors::credit_start(c, lex).unwrap_or(c.len());
    let credit = c[at..].split_whitespace().collect::<Vec<_>>().join(" ");
    let text = squeeze_spaces(&c[..at]);
    match (text.is_empty(), credit.is_empty()) {
        (_, true) => text,
        (true, false) => credit,
        (false, false) => format!("{text} {credit}"),
    }
}

fn metrics_of(draft: &Draft, body: &str, kind: Kind, lexicon: &Lexicon) -> Vec<crate::article::Metric> {
    let context = if kind == Kind::Sidebar { Context::Sidebar } else { Context::Body };
    let text: Vec<String> = draft
        .items
        .iter()
        .map(|i| match i {
            Item::Para(p) => squeeze_spaces(p),
            Item::Subhead(l) => squeeze_spaces(&l.join(" ")),
        })
        .collect();
    let _ = body;
    let mut metrics = crate::metrics::extract(&text.join("\n\n"), context, &lexicon.units);
    for b in &draft.boxes {
        let text: Vec<String> = b.iter().map(|l| squeeze_spaces(l)).collect();
        metrics.extend(crate::metrics::extract(&text.join("\n"), Context::Databox, &lexicon.units));
    }
    for c in &draft.captions {
        metrics.extend(crate::metrics::extract(&squeeze_spaces(c), Context::Caption, &lexicon.units));
    }
    metrics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&[&str]]) -> Vec<Vec<String>> {
        v.iter().map(|b| b.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn reads_title_and_subtitle_of_different_lengths() {
        let (k, t, s) = title_block(&lines(&[&["全国对口支援三峡库区工作座谈会召开", "王宝恩卢红姜国杰出席"]]));
        assert_eq!(
            (k, t.as_deref(), s.as_deref()),
            (None, Some("全国对口支援三峡库区工作座谈会召开"), Some("王宝恩卢红姜国杰出席"))
        );
    }

    #[test]
    fn joins_a_title_printed_on_two_even_lines() {
        let (_, t, s) = title_block(&lines(&[&["重庆如何加快打造", "人工智能应用高地"]]));
        assert_eq!(compact(&t.unwrap()), "重庆如何加快打造人工智能应用高地");
        assert_eq!(s, None);
    }

    #[test]
    fn reads_kicker_title_and_dash_subtitle() {
        let blocks = lines(&[&["实现216.7亿美元跨境融资 通达127个国家和地区"], &["从“新加坡·重庆周”看项目10年成果"]]);
        let (k, t, _) = title_block(&blocks);
        assert_eq!(k.as_deref(), Some("实现216.7亿美元跨境融资 通达127个国家和地区"));
        assert_eq!(t.as_deref(), Some("从“新加坡·重庆周”看项目10年成果"));
        let (_, t, s) = title_block(&lines(&[&["智绘“人工智能 +”新图景", "——市政协协商活动为发展蓄势助力"]]));
        assert_eq!((t.as_deref(), s.as_deref()), (Some("智绘“人工智能+”新图景"), Some("市政协协商活动为发展蓄势助力")));
    }

    #[test]
    fn reads_a_three_line_title_block() {
        let (k, t, s) = title_block(&lines(&[&["引题在这里说明背景", "主题", "副题补充说明更多的内容"]]));
        assert_eq!(
            (k.as_deref(), t.as_deref(), s.as_deref()),
            (Some("引题在这里说明背景"), Some("主题"), Some("副题补充说明更多的内容"))
        );
    }

    #[test]
    fn removes_a_jump_marker_and_warns() {
        let mut draft =
            Draft { items: vec![Item::Para("要加快推进改革。（下转2版）".into())], ..Draft::default() };
        let warnings = check_ending(&mut draft, &LayoutLexicon::built_in());
        assert_eq!(warnings, ["continues on another page (下转2版)"]);
        assert_eq!(draft.items, [Item::Para("要加快推进改革。".into())]);
        let mut cut = Draft { items: vec![Item::Para("要加快推进".into())], ..Draft::default() };
        assert_eq!(check_ending(&mut cut, &LayoutLexicon::built_in()).len(), 1);
    }

    #[test]
    fn picks_the_label_of_a_stack_that_fits_the_kind() {
        let lex = LayoutLexicon::built_in();
        let draft = Draft { labels: vec!["智库对话".into(), "决策建议".into()], ..Draft::default() };
        assert_eq!(section(&draft, Kind::Interview, &lex).as_deref(), Some("智库对话"));
        assert_eq!(section(&draft, Kind::Commentary, &lex).as_deref(), Some("决策建议"));
    }

    #[test]
    fn bolds_interview_speakers() {
        assert_eq!(turn("李林：场景是载体。"), "**李林：**场景是载体。");
        assert_eq!(turn("他说，要做到以下几点：一是"), "他说，要做到以下几点：一是");
    }

    #[test]
    fn infers_a_short_title_from_the_first_clause() {
        let draft = Draft {
            items: vec![Item::Para("中央经济工作会议提出，“以科技创新引领新质生产力发展”。".into())],
            ..Draft::default()
        };
        assert_eq!(infer_title(&draft), "中央经济工作会议提出");
    }
}
