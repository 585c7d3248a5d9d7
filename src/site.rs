//! The site model: every article with its body rendered once, to HTML and to plain text, for pages and search alike;
//! the themes, authors and metric groups that index them.
//!
//! In: the articles read from `content/`. Out: a [`Site`] whose every list is in an explicit, deterministic order.
//! Pure: no I/O.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::OnceLock;

use crate::article::{Article, Metric};
use crate::content::Entry;

/// One file of the output, path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// An article ready to render. Its body's HTML and plain text are made when first asked for; an article whose
/// content file was not read this build (unchanged since the previous one) reads its body from that file then.
#[derive(Debug, Clone)]
pub struct Page {
    pub article: Article,
    /// Hash of the article's content file: it changes whenever the article does, so caches key on it.
    pub hash: String,
    /// The content file holding the body, when `article.body` was left empty.
    unread: Option<PathBuf>,
    body: OnceLock<Body>,
}

/// The body as HTML and as plain text (paragraphs separated by `\n`).
#[derive(Debug, Clone)]
struct Body {
    html: String,
    text: String,
}

impl Page {
    /// A page whose body is `article.body`.
    pub fn new(article: Article) -> Page {
        let hash = crate::content::hash(article.to_markdown().as_bytes());
        Page { article, hash, unread: None, body: OnceLock::new() }
    }

    /// A page of the content folder (see [`Entry`]).
    pub fn from_entry(entry: Entry) -> Page {
        Page { article: entry.article, hash: entry.hash, unread: entry.unread, body: OnceLock::new() }
    }

    /// The page's path in the output folder, e.g. `articles/000_352f-01.html`.
    pub fn path(&self) -> String {
        format!("articles/{}.html", self.article.stem)
    }

    /// The body as HTML.
    pub fn html(&self) -> &str {
        &self.body().html
    }

    /// The body as plain text, paragraphs separated by `\n`.
    pub fn text(&self) -> &str {
        &self.body().text
    }

    /// Makes the body now, reading it if it is still on disk, so that a missing or changed file is an error here
    /// rather than a panic later.
    pub fn load(&self) -> anyhow::Result<()> {
        if self.unread.is_none() {
            self.body(); // in memory: cannot fail, and threads asking at once wait for one to make it
        } else if self.body.get().is_none() {
            let markdown = self.markdown()?;
            let _ = self.body.set(Body::from_markdown(&markdown));
        }
        Ok(())
    }

    fn body(&self) -> &Body {
        self.body.get_or_init(|| {
            let markdown = self.markdown().unwrap_or_else(|err| panic!("{err:#}"));
            Body::from_markdown(&markdown)
        })
    }

    fn markdown(&self) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        let Some(path) = &self.unread else { return Ok(self.article.body.as_str().into()) };
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("{}: {e} (the file changed or went away during the build)", path.display()))?;
        if crate::content::hash(text.as_bytes()) != self.hash {
            anyhow::bail!("{}: the file changed during the build; build again", path.display());
        }
        Ok(crate::content::body_of(&text).to_string().into())
    }
}

impl Body {
    fn from_markdown(markdown: &str) -> Body {
        let (html, text) = markdown_to_html_and_text(markdown);
        Body { html, text }
    }
}

/// A theme or an author: a name, the file its page lives in, and its articles newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    /// File-name stem, ASCII only so the page opens from disk everywhere: `t-3fa2c1d0e1`.
    pub slug: String,
    /// Indices into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
    /// For authors: every affiliation given, most frequent first. Empty for themes.
    pub affiliations: Vec<String>,
}

/// One metric of one article: indices into [`Site::pages`] and that article's `metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct MetricRef {
    pub page: usize,
    pub metric: usize,
}

/// Metrics that share a unit, so their values compare; sorted by measure, year, value.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricGroup {
    pub unit: String,
    pub slug: String,
    pub metrics: Vec<MetricRef>,
}

/// The same measure, unit and year given with different values somewhere in the site.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub measure: String,
    pub unit: String,
    pub year: Option<i32>,
    pub metrics: Vec<MetricRef>,
}

/// Everything the renderer and the search index need.
#[derive(Debug, Clone)]
pub struct Site {
    /// Sorted by stem.
    pub pages: Vec<Page>,
    /// Indices into `pages`, newest first (date, then seed, then reading order).
    pub latest: Vec<usize>,
    /// Most articles first, then by name.
    pub themes: Vec<Term>,
    /// Sorted by name.
    pub authors: Vec<Term>,
    /// Issue dates, newest first; each date's articles in reading order (seed, then position on the page). Only
    /// dated articles; the slug is the date itself.
    pub dates: Vec<Term>,
    /// Largest group first, then by unit.
    pub metric_groups: Vec<MetricGroup>,
    pub conflicts: Vec<Conflict>,
}

impl Site {
    /// The site of these articles, their bodies in `article.body`.
    pub fn new(articles: Vec<Article>) -> Site {
        Site::from_pages(articles.into_par_iter().map(Page::new).collect())
    }

    /// The site of the content folder's articles.
    pub fn from_entries(entries: Vec<Entry>) -> Site {
        Site::from_pages(entries.into_iter().map(Page::from_entry).collect())
    }

    /// Builds the indexes over `pages`.
    fn from_pages(mut pages: Vec<Page>) -> Site {
        pages.sort_by(|a, b| a.article.stem.cmp(&b.article.stem));
        let latest = newest_first(&pages);
        let mut rank = vec![0; pages.len()];
        for (position, &page) in latest.iter().enumerate() {
            rank[page] = position;
        }
        let ((themes, authors), (metric_groups, conflicts)) = rayon::join(
            || rayon::join(|| themes(&pages, &rank), || authors(&pages, &rank)),
            || {
                let groups = metric_groups(&pages);
                let conflicts = conflicts(&pages, &groups);
                (groups, conflicts)
            },
        );
        let dates = dates(&pages, &latest);
        Site { pages, latest, themes, authors, dates, metric_groups, conflicts }
    }

    /// The metric a reference points at.
    pub fn metric(&self, r: MetricRef) -> &Metric {
        &self.pages[r.page].article.metrics[r.metric]
    }
}

/// Page indices by date (newest first, undated last), then seed (later first), then reading order.
fn newest_first(pages: &[Page]) -> Vec<usize> {
    fn seed(article: &Article) -> Option<&str> {
        article.source.as_ref().map(|s| s.seed.as_str())
    }
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&pages[a].article, &pages[b].article);
        b.date.cmp(&a.date).then_with(|| seed(b).cmp(&seed(a))).then_with(|| a.stem.cmp(&b.stem))
    });
    order
}

/// Issue dates newest first, from `latest` (date newest first, then seed later first, then reading order), each
/// date's articles in page order. A `YYYY-MM-DD` date is its own slug; anything else a maintainer typed gets a
/// hashed one, so it still names a file.
fn dates(pages: &[Page], latest: &[usize]) -> Vec<Term> {
    let mut dates: Vec<Term> = Vec::new();
    for &page in latest {
        let Some(date) = pages[page].article.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) else { continue };
        match dates.last_mut() {
            Some(term) if term.name == date => term.pages.push(page),
            _ => {
                dates.push(Term { name: date.into(), slug: String::new(), pages: vec![page], affiliations: Vec::new() })
            }
        }
    }
    let mut taken = BTreeSet::new();
    let seed = |p: usize| pages[p].article.source.as_ref().map(|s| s.seed.as_str());
    for term in &mut dates {
        let iso = term.name.len() == 10
            && term.name.bytes().enumerate().all(|(i, b)| b.is_ascii_digit() || b == b'-' && (i == 4 || i == 7));
        term.slug = if iso { term.name.clone() } else { unique_slug("d", &term.name, &mut taken) };
        term.pages
            .sort_by(|&a, &b| seed(a).cmp(&seed(b)).then_with(|| pages[a].article.stem.cmp(&pages[b].article.stem)));
    }
    dates
}

fn themes(pages: &[Page], rank: &[usize]) -> Vec<Term> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, page) in pages.iter().enumerate() {
        let unique: BTreeSet<&str> = page.article.themes.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect();
        for theme in unique {
            by_name.entry(theme).or_default().push(i);
        }
    }
    let mut terms = terms("t", by_name, rank);
    terms.sort_by(|a, b| b.pages.len().cmp(&a.pages.len()).then_with(|| a.name.cmp(&b.name)));
    terms
}

fn authors(pages: &[Page], rank: &[usize]) -> Vec<Term> {
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut affiliations: HashMap<&str, BTreeMap<&str, usize>> = HashMap::new();
    for (i, page) in pages.iter().enumerate() {
        for author in &page.article.authors {
            let name = author.name.trim();
            if name.is_empty() {
                continue;
            }
            let list = by_name.entry(name).or_default();
            if list.last() != Some(&i) {
                list.push(i);
            }
            if let Some(affiliation) = author.affiliation.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
                *affiliations.entry(name).or_default().entry(affiliation).or_default() += 1;
            }
        }
    }
    let mut terms = terms("a", by_name, rank);
    for term in &mut terms {
        let mut counted: Vec<(&str, usize)> =
            affiliations.remove(term.name.as_str()).unwrap_or_default().into_iter().collect();
        counted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        term.affiliations = counted.into_iter().map(|(a, _)| a.to_string()).collect();
    }
    terms
}

/// Terms sorted by name, each with a unique slug and its pages newest first.
fn terms(prefix: &str, by_name: BTreeMap<&str, Vec<usize>>, rank: &[usize]) -> Vec<Term> {
    let mut taken = BTreeSet::new();
    by_name
        .into_iter()
        .map(|(name, mut pages)| {
            pages.sort_by_key(|&p| rank[p]);
            let slug = unique_slug(prefix, name, &mut taken);
            Term { name: name.to_string(), slug, pages, affiliations: Vec::new() }
        })
        .collect()
}

/// `prefix-` and 10 hex digits of the name's hash; on a clash (names visited in sorted order) 20 digits.
pub fn unique_slug(prefix: &str, name: &str, taken: &mut BTreeSet<String>) -> String {
    let hex = blake3::hash(name.as_bytes()).to_hex();
    let short = format!("{prefix}-{}", &hex[..10]);
    let slug = if taken.contains(&short) { format!("{prefix}-{}", &hex[..20]) } else { short };
    taken.insert(slug.clone());
    slug
}

fn metric_groups(pages: &[Page]) -> Vec<MetricGroup> {
    let mut by_unit: BTreeMap<&str, Vec<MetricRef>> = BTreeMap::new();
    for (page, p) in pages.iter().enumerate() {
        for (metric, m) in p.article.metrics.iter().enumerate() {
            by_unit.entry(m.unit.trim()).or_default().push(MetricRef { page, metric });
        }
    }
    let mut taken = BTreeSet::new();
    let mut groups: Vec<MetricGroup> = by_unit
        .into_iter()
        .map(|(unit, mut metrics)| {
            let metric = |r: &MetricRef| &pages[r.page].article.metrics[r.metric];
            metrics.sort_by(|a, b| {
                let (x, y) = (metric(a), metric(b));
                (x.measure.as_str(), x.year)
                    .cmp(&(y.measure.as_str(), y.year))
                    .then(x.value.total_cmp(&y.value))
                    .then(a.cmp(b))
            });
            MetricGroup { unit: unit.to_string(), slug: unique_slug("u", unit, &mut taken), metrics }
        })
        .collect();
    groups.sort_by(|a, b| b.metrics.len().cmp(&a.metrics.len()).then_with(|| a.unit.cmp(&b.unit)));
    groups
}

/// Conflicting figures: anywhere in the site, the same measure, unit and year with different values; within one
/// article, also figures that look like one figure given twice (see [`likely_same_figure`]).
fn conflicts(pages: &[Page], groups: &[MetricGroup]) -> Vec<Conflict> {
    let metric = |r: &MetricRef| &pages[r.page].article.metrics[r.metric];
    let mut found = Vec::new();
    for group in groups {
        for run in group.metrics.chunk_by(|a, b| {
            let (x, y) = (metric(a), metric(b));
            x.measure == y.measure && x.year == y.year
        }) {
            let first = metric(&run[0]);
            if first.measure.trim().is_empty() || run.iter().all(|r| metric(r).value == first.value) {
                continue;
            }
            let (measure, unit, year) = (first.measure.clone(), group.unit.clone(), first.year);
            found.push(Conflict { measure, unit, year, metrics: run.to_vec() });
        }
    }
    for (page, p) in pages.iter().enumerate() {
        found.extend(article_conflicts(page, &p.article.metrics));
    }
    found.sort_by(|a, b| (&a.measure, &a.unit, a.year, &a.metrics).cmp(&(&b.measure, &b.unit, b.year, &b.metrics)));
    found
}

/// Clusters of one article's metrics linked by [`likely_same_figure`].
fn article_conflicts(page: usize, metrics: &[Metric]) -> Vec<Conflict> {
    let mut cluster: Vec<usize> = (0..metrics.len()).collect();
    let root = |cluster: &Vec<usize>, mut i: usize| {
        while cluster[i] != i {
            i = cluster[i];
        }
        i
    };
    for i in 0..metrics.len() {
        for j in i + 1..metrics.len() {
            if likely_same_figure(&metrics[i], &metrics[j]) {
                let (a, b) = (root(&cluster, i), root(&cluster, j));
                cluster[a.max(b)] = a.min(b);
            }
        }
    }
    let mut members: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..metrics.len() {
        members.entry(root(&cluster, i)).or_default().push(i);
    }
    members
        .into_values()
        .filter(|m| m.len() > 1)
        .map(|m| {
            let first = &metrics[m[0]];
            let measure = m
                .iter()
                .map(|&i| metrics[i].measure.trim())
                .filter(|s| !s.is_empty())
                .min_by_key(|s| s.chars().count());
            Conflict {
                measure: measure.unwrap_or_default().to_string(),
                unit: first.unit.trim().to_string(),
                year: first.year,
                metrics: m.into_iter().map(|metric| MetricRef { page, metric }).collect(),
            }
        })
        .collect()
}

/// Two figures of one article that are probably one figure printed twice with different values: same unit and
/// year, different values and measures, and either one measure contains the other (346个 累计签约项目 vs 347个
/// 双方累计签约项目) or the values are within 0.5% of each other (216.7亿 vs 217亿; not for percentages, which are
/// often close by chance).
pub fn likely_same_figure(a: &Metric, b: &Metric) -> bool {
    if a.unit.trim() != b.unit.trim() || a.year != b.year || a.value == b.value || a.measure.trim() == b.measure.trim()
    {
        return false;
    }
    let (x, y) = (a.measure.trim(), b.measure.trim());
    let (short, long) = if x.chars().count() <= y.chars().count() { (x, y) } else { (y, x) };
    let (small, large) = (a.value.abs().min(b.value.abs()), a.value.abs().max(b.value.abs()));
    let gap = (large - small) / large;
    let nested = short.chars().count() >= 4 && long.contains(short) && gap <= 0.05;
    let percent = a.unit.contains('%') || a.unit.contains("百分点");
    nested || (!percent && small >= 10.0 && gap <= 0.005)
}

/// Renders Markdown to HTML (raw HTML in the source is escaped) and to plain text.
pub fn markdown_to_html_and_text(markdown: &str) -> (String, String) {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let events: Vec<Event> = Parser::new(markdown)
        .map(|event| match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
        .collect();
    let events = bold_speakers(events);
    // Sized once: bodies are made for every article in parallel, and growing them copies into fresh memory.
    let mut html = String::with_capacity(markdown.len() + markdown.len() / 4);
    pulldown_cmark::html::push_html(&mut html, events.iter().cloned());
    let mut text = String::with_capacity(markdown.len());
    for event in &events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => {}
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => text.push('\n'),
            _ => {}
        }
    }
    (html, text)
}

/// Makes `**李林：**场景…` at the start of a paragraph bold. CommonMark does not: a closing `**` after punctuation
/// must be followed by space or punctuation, which Chinese text never has. The contract writes interview turns so.
fn bold_speakers(events: Vec<pulldown_cmark::Event<'_>>) -> Vec<pulldown_cmark::Event<'_>> {
    use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter().peekable();
    while let Some(event) = events.next() {
        let opens_paragraph = matches!(event, Event::Start(Tag::Paragraph));
        out.push(event);
        if !opens_paragraph {
            continue;
        }
        let mut text = String::new();
        while let Some(Event::Text(t)) = events.peek() {
            text.push_str(t);
            events.next();
        }
        match speaker_prefix(&text) {
            Some((speaker, rest)) => {
                out.push(Event::Start(Tag::Strong));
                out.push(Event::Text(CowStr::from(speaker.to_string())));
                out.push(Event::End(TagEnd::Strong));
                out.push(Event::Text(CowStr::from(rest.to_string())));
            }
            None if !text.is_empty() => out.push(Event::Text(CowStr::from(text))),
            None => {}
        }
    }
    out
}

/// `**NAME：**rest` → (`NAME：`, `rest`), for a short speaker name ending in a colon.
fn speaker_prefix(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix("**")?;
    let end = inner.find("**")?;
    let speaker = &inner[..end];
    let short = speaker.chars().count() <= 24 && !speaker.contains('\n');
    (short && (speaker.ends_with('：') || speaker.ends_with(':'))).then(|| (speaker, &inner[end + 2..]))
}

#[cfg(test)]
mod tests;
