//! Grouping a page's units into article drafts, in reading order. Pure: no I/O.
//!
//! In: classified [`Placed`] units. Out: [`Draft`]s. An article starts at an anchor (byline, dateline,
//! continuation marker, section or sidebar label) or at a title that a closed article cannot take. Titles may come
//! before their body, after it (the article has a body but no title yet and nothing but anchors follows), or inside
//! it (inset). Captions stay with the article they are printed in; data boxes go to the article they share the most
//! words with. A title left without a body takes the page's body fragments that have neither title nor byline.

use super::classify::{Placed, Unit};
use super::LayoutLexicon;
use crate::article::{Author, Kind};

/// One article before annotation.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub line: usize,
    pub labels: Vec<String>,
    pub sidebar: Option<String>,
    /// Title block: one entry per heading unit, each with its printed lines.
    pub title: Vec<Vec<String>>,
    pub authors: Vec<Author>,
    pub note: Option<String>,
    pub editor_notes: Vec<String>,
    pub items: Vec<Item>,
    pub captions: Vec<String>,
    pub boxes: Vec<Vec<String>>,
    pub kind: Kind,
    pub warnings: Vec<String>,
    /// Closed by an author note or a closing byline: what follows belongs to another article.
    pub(super) closed: bool,
    /// Started by a byline, dateline, continuation or label rather than by a title or bare text.
    pub(super) anchored: bool,
    /// Its byline came before any title: on such pages titles follow their body.
    pub(super) byline_first: bool,
    /// Column width of its body, for telling where a sidebar's text ends.
    pub(super) column: Option<f32>,
}

/// A piece of body text.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Para(String),
    Subhead(Vec<String>),
}

impl Draft {
    fn new(line: usize, labels: &[String]) -> Draft {
        Draft { line, labels: labels.to_vec(), ..Draft::default() }
    }

    pub(super) fn has_body(&self) -> bool {
        self.items.iter().any(|i| matches!(i, Item::Para(_)))
    }

    fn started(&self) -> bool {
        self.has_body() || self.kind == Kind::Interview
    }

    fn can_take_tail_title(&self) -> bool {
        self.title.is_empty() && self.has_body() && self.kind != Kind::Continuation
    }
}

#[derive(Default)]
struct Splitter {
    done: Vec<Draft>,
    cur: Option<Draft>,
    labels: Vec<String>,
    last_was_labels: bool,
    pending_notes: Vec<String>,
    pending_captions: Vec<String>,
    boxes: Vec<Vec<String>>,
    in_box: bool,
}

/// Groups a page's units into drafts in reading order.
pub fn split(units: Vec<Placed>, lex: &LayoutLexicon) -> Vec<Draft> {
    let mut s = Splitter::default();
    let mut i = 0;
    while i < units.len() {
        let Placed { line, unit } = &units[i];
        let was_labels = matches!(unit, Unit::Labels(_));
        let in_box = matches!(unit, Unit::Data(_)) || s.in_box && matches!(unit, Unit::EndByline(_));
        if !in_box {
            s.in_box = false;
        }
        match unit {
            Unit::Heading { .. } => {
                let end = units[i..].iter().position(|u| !matches!(u.unit, Unit::Heading { inset: false, .. }));
                let end = if matches!(unit, Unit::Heading { inset: true, .. }) {
                    i + 1
                } else {
                    i + end.unwrap_or(units.len() - i).max(1)
                };
                s.headings(&units[i..end], &units[end..]);
                i = end;
                s.last_was_labels = false;
                continue;
            }
            _ => s.unit(*line, unit.clone(), lex),
        }
        s.last_was_labels = was_labels;
        i += 1;
    }
    s.finish()
}

impl Splitter {
    fn close(&mut self) {
        if let Some(draft) = self.cur.take() {
            self.done.push(draft);
        }
    }

    /// The open draft, or a new one starting at `line`.
    fn open(&mut self, line: usize) -> &mut Draft {
        if self.cur.is_none() {
            let mut draft = Draft::new(line, &self.labels);
            draft.editor_notes.append(&mut self.pending_notes);
            draft.captions.append(&mut self.pending_captions);
            self.cur = Some(draft);
        }
        self.cur.as_mut().expect("just opened")
    }

    /// Starts a new draft at an anchor.
    fn anchor(&mut self, line: usize) -> &mut Draft {
        if self
            .cur
            .as_ref()
            .is_some_and(|d| d.started() || d.closed || !d.authors.is_empty() || d.kind != Kind::default())
        {
            self.close();
        }
        let draft = self.open(line);
        draft.anchored = true;
        draft
    }

    fn unit(&mut self, line: usize, unit: Unit, _lex: &LayoutLexicon) {
        match unit {
            Unit::Masthead => {}
            Unit::Labels(labels) => {
                if self.cur.as_ref().is_some_and(|d| d.started() || d.closed) {
                    self.close();
                }
                if self.last_was_labels {
                    self.labels.extend(labels);
                } else {
                    self.labels = labels;
                }
                if let Some(d) = self.cur.as_mut() {
                    d.labels = self.labels.clone();
                }
            }
            Unit::Sidebar(label) => {
                self.close();
                let d = self.anchor(line);
                d.sidebar = Some(label);
                d.kind = Kind::Sidebar;
            }
            Unit::Byline { authors, bare } => self.byline(line, authors, bare),
            Unit::EndByline(authors) => {
                if self.in_box {
                    if let Some(b) = self.boxes.last_mut() {
                        let names: Vec<String> = authors
                            .iter()
                            .map(|a| {
                                format!("{} {}", a.affiliation.as_deref().unwrap_or(""), a.name).trim().to_string()
                            })
                            .collect();
                        b.push(format!("（{}）", names.join(" ")));
                    }
                    return;
                }
                let d = self.open(line);
                if d.authors.is_empty() {
                    d.authors = authors;
                }
                d.closed = true;
            }
            Unit::Note(text) => {
                let d = self.open(line);
                d.note = Some(text);
                d.closed = true;
            }
            Unit::EditorNote(text) => match self.cur.as_mut() {
                Some(d) if !d.has_body() && !d.closed => d.editor_notes.push(text),
                _ => {
                    self.close();
                    self.pending_notes.push(text);
                }
            },
            Unit::Caption(text) => match self.cur.as_mut() {
                Some(d) => d.captions.push(text),
                None => self.pending_captions.push(text),
            },
            Unit::Data(text) => {
                if !self.in_box {
                    self.boxes.push(Vec::new());
                }
                self.in_box = true;
                self.boxes.last_mut().expect("just pushed").push(text);
            }
            Unit::Brief { authors, text } => {
                let d = self.anchor(line);
                d.kind = Kind::Brief;
                d.authors = authors;
                d.items.push(Item::Para(text));
            }
            Unit::Continuation { marker, text } => {
                self.close();
                let d = self.anchor(line);
                d.kind = Kind::Continuation;
                d.warnings.push(format!("continues an article from another page ({marker})"));
                if !text.is_empty() {
                    d.items.push(Item::Para(text));
                }
            }
            Unit::Roles(people) => {
                let d = self.open(line);
                d.authors.extend(people);
                d.authors.sort_by_key(|a| a.role != crate::article::Role::Host);
                d.kind = Kind::Interview;
            }
            Unit::Heading { .. } => unreachable!("headings are handled in runs"),
            Unit::Body { text, column } => self.body(line, text, column),
        }
    }

    fn byline(&mut self, line: usize, authors: Vec<Author>, bare: bool) {
        let attach = self.cur.as_ref().is_some_and(|d| !d.started() && !d.closed && d.authors.is_empty());
        if bare && !attach {
            return self.body(line, authors.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join(" "), None);
        }
        let d = if attach { self.cur.as_mut().expect("checked") } else { self.anchor(line) };
        d.byline_first = d.title.is_empty();
        d.anchored = true;
        d.authors = authors;
    }

    fn body(&mut self, line: usize, text: String, column: Option<f32>) {
        let flow_break = self.cur.as_ref().is_some_and(|d| {
            d.kind == Kind::Sidebar && d.has_body() && column.zip(d.column).is_some_and(|(a, b)| (a - b).abs() >= 3.0)
        });
        if self.cur.as_ref().is_some_and(|d| d.closed) || flow_break {
            self.close();
        }
        let d = self.open(line);
        if d.column.is_none() {
            d.column = column;
        }
        d.items.push(Item::Para(text));
    }

    /// A run of headings: the title after the open article's body, the title of a new article, or subheads.
    fn headings(&mut self, run: &[Placed], after: &[Placed]) {
        let blocks: Vec<Vec<String>> = run
            .iter()
            .map(|p| match &p.unit {
                Unit::Heading { lines, .. } => lines.clone(),
                _ => unreachable!("a run holds headings only"),
            })
            .collect();
        if matches!(run[0].unit, Unit::Heading { inset: true, .. }) {
            return self.inset(run[0].line, blocks);
        }
        if matches!(after.first().map(|p| &p.unit), Some(Unit::Labels(_)))
            && self.cur.as_ref().is_none_or(|d| d.closed || !d.has_body())
        {
            // A heading above a section label is the page's banner: it introduces what follows.
            self.close();
            let banner = blocks.iter().map(|b| b.join(" ")).collect::<Vec<_>>().join(" ");
            self.pending_notes.push(format!("**{}**", super::text::squeeze_spaces(&banner)));
            return;
        }
        let content_follows = after
            .iter()
            .find(|p| !matches!(p.unit, Unit::Caption(_) | Unit::Data(_) | Unit::Masthead))
            .is_some_and(|p| matches!(p.unit, Unit::Body { .. } | Unit::Roles(_) | Unit::EditorNote(_)));
        let line = run[0].line;
        let Some(d) = self.cur.as_mut() else { return self.new_titled(line, blocks) };
        if !d.started() && !d.closed {
            d.title.extend(blocks);
            return;
        }
        if d.can_take_tail_title() && (!content_follows || d.closed) {
            let keep = if content_follows && blocks.len() > 1 { blocks.len() - 1 } else { blocks.len() };
            let mut blocks = blocks;
            let rest = blocks.split_off(keep);
            d.title = blocks;
            d.closed = true;
            if !rest.is_empty() {
                self.close();
                self.new_titled(run[keep].line, rest);
            }
            return;
        }
        // An article with a title but no byline of its own (short items printed one after another) ends at the next
        // heading; an article under a byline keeps its subheads.
        let unsigned = !d.title.is_empty() && d.authors.is_empty() && !d.anchored && d.kind == Kind::Commentary;
        if d.closed || !content_follows || blocks.len() > 1 && !d.title.is_empty() || unsigned && d.has_body() {
            self.close();
            return self.new_titled(line, blocks);
        }
        d.items.extend(blocks.into_iter().map(Item::Subhead));
    }

    fn new_titled(&mut self, line: usize, blocks: Vec<Vec<String>>) {
        self.close();
        self.open(line).title = blocks;
    }

    fn inset(&mut self, line: usize, blocks: Vec<Vec<String>>) {
        match self.cur.as_mut() {
            Some(d) if d.title.is_empty() => d.title = blocks,
            Some(d) => d.items.extend(blocks.into_iter().map(Item::Subhead)),
            None => self.new_titled(line, blocks),
        }
    }

    fn finish(mut self) -> Vec<Draft> {
        self.close();
        super::tidy::tidy(std::mem::take(&mut self.done), self.boxes, self.pending_captions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(lines: &[&str]) -> Unit {
        Unit::Heading { lines: lines.iter().map(|s| s.to_string()).collect(), inset: false }
    }
    fn b(text: &str) -> Unit {
        Unit::Body { text: text.into(), column: None }
    }
    fn by(name: &str) -> Unit {
        Unit::Byline {
            authors: vec![Author { name: name.into(), role: Default::default(), affiliation: None }],
            bare: false,
        }
    }
    fn run(units: Vec<Unit>) -> Vec<Draft> {
        let placed = units.into_iter().enumerate().map(|(i, unit)| Placed { line: i + 1, unit }).collect();
        split(placed, &LayoutLexicon::built_in())
    }

    #[test]
    fn gives_a_title_after_the_body_to_the_article_before_it() {
        let drafts = run(vec![
            by("余元玲"),
            b("正文一。"),
            Unit::Note("（作者系某大学教授）".into()),
            h(&["标题一"]),
            by("张鑫"),
            b("正文二。"),
        ]);
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].title, [["标题一"]]);
        assert!(drafts[1].title.is_empty());
    }

    #[test]
    fn keeps_subheads_inside_an_open_article() {
        let drafts =
            run(vec![by("罗静雯"), b("正文一。"), h(&["谈差距", "我市存在这些短板"]), b("正文二。"), h(&["标题"])]);
        assert_eq!(drafts.len(), 1);
        assert_eq!(drafts[0].title, [["标题"]]);
        assert!(drafts[0].items.contains(&Item::Subhead(vec!["谈差距".into(), "我市存在这些短板".into()])));
    }

    #[test]
    fn starts_a_new_article_at_a_title_before_its_body() {
        let drafts = run(vec![
            h(&["标题一"]),
            b("正文一。"),
            Unit::Note("（作者系教授）".into()),
            h(&["标题二"]),
            b("正文二。"),
        ]);
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[1].title, [["标题二"]]);
    }

    #[test]
    fn never_borrows_a_neighbours_title() {
        let drafts = run(vec![
            h(&["标题一"]),
            by("苗壮"),
            b("正文一。"),
            Unit::Note("（作者系教授）".into()),
            Unit::Labels(vec!["决策建议".into()]),
            by("宁小可"),
            b("正文二。"),
        ]);
        assert_eq!(drafts.len(), 2);
        assert!(drafts[1].title.is_empty());
        assert_eq!(drafts[1].labels, ["决策建议"]);
    }

    #[test]
    fn sends_a_data_box_to_the_article_it_talks_about() {
        let drafts = run(vec![
            by("杨骏"),
            b("陆海新通道已通达全球港口。"),
            h(&["标题一"]),
            Unit::Brief { authors: vec![], text: "培训班开班。".into() },
            h(&["标题二"]),
            Unit::Data("陆海新通道通达港口".into()),
        ]);
        assert_eq!(drafts[0].boxes.len(), 1);
    }
}
