//! Page-level fixes after splitting: a title left without a body adopts the page's orphan fragments, a sidebar's
//! parallel subheads stay subheads, data boxes go to the article they talk about, drafts are put in reading order.
//! Pure: no I/O.

use super::split::{Draft, Item};
use crate::article::Kind;
use std::collections::BTreeSet;

/// Finishes a page's drafts: adopts orphans, places data boxes and stray captions, sorts by first line.
pub fn tidy(drafts: Vec<Draft>, boxes: Vec<Vec<String>>, stray_captions: Vec<String>) -> Vec<Draft> {
    let mut drafts = adopt_orphans(drafts);
    drafts.iter_mut().for_each(demote_sidebar_title);
    drafts.retain(|d| d.has_body());
    // Only pages with data boxes need every draft's character pairs.
    let draft_pairs: Vec<_> = if boxes.is_empty() { Vec::new() } else { drafts.iter().map(draft_pairs).collect() };
    for b in boxes {
        if let Some(d) = best_home(&draft_pairs, &b) {
            drafts[d].boxes.push(b);
        }
    }
    if let Some(first) = drafts.first_mut() {
        first.captions.splice(0..0, stray_captions);
    }
    drafts.sort_by_key(|d| d.line);
    drafts
}

/// A title left without a body takes the page's fragments that have no title and no byline: first the bare text
/// (its lead), then fragments opened by a heading, whose heading becomes a subhead.
fn adopt_orphans(mut drafts: Vec<Draft>) -> Vec<Draft> {
    let Some(home) = drafts.iter().position(|d| !d.has_body() && !d.title.is_empty() && d.authors.is_empty()) else {
        return drafts;
    };
    let orphan = |d: &Draft| d.has_body() && !d.anchored && d.authors.is_empty() && d.note.is_none();
    let (mut bare, mut headed) = (Vec::new(), Vec::new());
    for (i, d) in drafts.iter().enumerate() {
        if i != home && orphan(d) {
            if d.title.is_empty() {
                bare.push(i)
            } else {
                headed.push(i)
            }
        }
    }
    if bare.is_empty() && headed.is_empty() {
        return drafts;
    }
    let mut taken: Vec<Draft> = Vec::new();
    for &i in bare.iter().chain(&headed) {
        let mut d = std::mem::take(&mut drafts[i]);
        let subheads = d.title.drain(..).map(Item::Subhead);
        d.items.splice(0..0, subheads);
        taken.push(d);
    }
    let target = &mut drafts[home];
    for d in taken {
        target.line = target.line.min(d.line);
        target.items.extend(d.items);
        target.captions.extend(d.captions);
        target.editor_notes.extend(d.editor_notes);
        target.boxes.extend(d.boxes);
    }
    drafts.retain(|d| d.has_body() || !d.title.is_empty());
    drafts
}

/// A sidebar whose heading is one of several parallel subheads (`部门回应`: one heading per department) has no title
/// of its own: its label titles it, and the first heading goes back into the body.
fn demote_sidebar_title(d: &mut Draft) {
    if d.kind == Kind::Sidebar && !d.title.is_empty() && d.items.iter().any(|i| matches!(i, Item::Subhead(_))) {
        let title: Vec<String> = d.title.drain(..).flatten().collect();
        d.items.insert(0, Item::Subhead(title));
    }
}

/// Pairs of adjacent Han characters in a text: what a data box and an article share.
fn pairs(s: &str) -> BTreeSet<(char, char)> {
    let chars: Vec<char> = s.chars().filter(|c| super::text::is_han(*c)).collect();
    chars.windows(2).map(|w| (w[0], w[1])).collect()
}

fn draft_pairs(d: &Draft) -> BTreeSet<(char, char)> {
    let mut text: String = d.title.concat().concat();
    for item in &d.items {
        if let Item::Para(p) = item {
            text.push_str(p);
        }
    }
    pairs(&text)
}

/// The draft that shares the most character pairs with a data box (the first one on a tie).
fn best_home(drafts: &[BTreeSet<(char, char)>], box_lines: &[String]) -> Option<usize> {
    let wanted = pairs(&box_lines.concat());
    let scores = drafts.iter().map(|d| d.intersection(&wanted).count());
    scores
        .enumerate()
        .fold(None, |best: Option<(usize, usize)>, (i, score)| match best {
            Some((_, s)) if s >= score => best,
            _ => Some((i, score)),
        })
        .map(|(i, _)| i)
}
