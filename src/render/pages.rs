//! The pages of the site as render jobs: which file, which template, what context. Pure: no I/O.
//!
//! Long lists are paginated (`x.html`, `x-2.html`, … in one folder), so no page grows with the archive: the home page
//! shows the latest articles, `archive/` all of them, `metrics/index.html` a preview of each unit group.

use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

use super::view::{role_label, ArticleItem, Byline, MetricRow, TermItem};
use super::{hash_metrics, hash_pages, root_of, Job, Settings};
use crate::article::Context;
use crate::site::{MetricRef, Page, Site};

const ARTICLES_PER_PAGE: usize = 100;
const TERM_ARTICLES_PER_PAGE: usize = 50;
const AUTHORS_PER_PAGE: usize = 200;
const DATES_PER_PAGE: usize = 200;
/// Rows on a metrics page (unit groups, conflicts; warnings take half as many).
pub const METRICS_PER_PAGE: usize = 200;
/// Items (articles, rows) an index page shows of a longer list.
pub const PREVIEW: usize = 20;
const HOME_ARTICLES: usize = 20;
const KEY_FIGURES: usize = 8;

/// Theme, author and issue-date names to their page paths, built once for all article pages.
pub struct Links<'a> {
    themes: HashMap<&'a str, String>,
    authors: HashMap<&'a str, String>,
    dates: HashMap<&'a str, String>,
}

impl<'a> Links<'a> {
    pub fn new(site: &'a Site) -> Links<'a> {
        let paths = |terms: &'a [crate::site::Term], folder: &str| {
            terms.iter().map(|t| (t.name.as_str(), format!("{folder}/{}.html", t.slug))).collect()
        };
        Links {
            themes: paths(&site.themes, "themes"),
            authors: paths(&site.authors, "authors"),
            dates: paths(&site.dates, "dates"),
        }
    }

    fn date(&self, article: &crate::article::Article) -> Option<&str> {
        article.date.as_deref().and_then(|d| self.dates.get(d.trim())).map(String::as_str)
    }
}

#[derive(Serialize)]
struct Linked<'a> {
    name: &'a str,
    path: Option<&'a str>,
}

/// `articles/<stem>.html`: the article with its byline, date, themes, metrics, captions, warnings and source. A plain
/// context, not a [`Job`]: an article page's key is [`hash_article_inputs`], far cheaper than hashing this context,
/// which holds the body as HTML.
pub fn article(page: &Page, links: &Links, settings: &Settings) -> tera::Context {
    let a = &page.article;
    let bylines: Vec<Byline> = a
        .authors
        .iter()
        .map(|x| Byline {
            name: &x.name,
            role: role_label(x.role),
            affiliation: x.affiliation.as_deref(),
            path: links.authors.get(x.name.trim()).cloned(),
        })
        .collect();
    let themes: Vec<Linked> =
        a.themes.iter().map(|t| Linked { name: t, path: links.themes.get(t.trim()).map(String::as_str) }).collect();
    let metrics: Vec<MetricRow> = a.metrics.iter().map(|m| MetricRow::new(m, page)).collect();
    let mut context = tera::Context::new();
    context.insert("root", &root_of(&page.path()));
    context.insert("site_title", &settings.site_title);
    context.insert("article", a);
    context.insert("body", page.html());
    context.insert("bylines", &bylines);
    context.insert("themes", &themes);
    context.insert("date_path", &links.date(a));
    context.insert("metrics", &metrics);
    context
}

/// Feeds everything [`article`] puts in the context into `hasher`: the article (its content file's hash stands for
/// front matter and body, from which the HTML is derived) and the pages its authors, themes and date link to.
pub fn hash_article_inputs(page: &Page, links: &Links, hasher: &mut blake3::Hasher) {
    let a = &page.article;
    hasher.update(a.stem.as_bytes()).update(&[0]).update(page.hash.as_bytes()).update(&[0]);
    for author in &a.authors {
        hasher.update(links.authors.get(author.name.trim()).map_or("", String::as_str).as_bytes()).update(&[0]);
    }
    for theme in &a.themes {
        hasher.update(links.themes.get(theme.trim()).map_or("", String::as_str).as_bytes()).update(&[0]);
    }
    hasher.update(links.date(a).unwrap_or("").as_bytes());
}

/// Every page but the articles: home, archive, themes, authors, issue dates, metrics, search.
pub fn indexes<'a>(site: &'a Site, settings: &'a Settings) -> Vec<Job<'a>> {
    let mut jobs = vec![home(site, settings)];
    jobs.extend(paginate("archive/index", &site.latest, ARTICLES_PER_PAGE, settings, "archive.html", |job, chunk| {
        job.insert_lazy("articles", |h| hash_pages(h, site, chunk.iter().copied()), || ArticleItem::list(site, chunk));
        job.insert("total", site.pages.len());
        job.insert("dates", site.dates.len());
    }));
    let mut themes = Job::new("themes/index.html".into(), "themes.html", settings);
    themes.insert("themes", terms(&site.themes, "themes"));
    jobs.push(themes);
    jobs.extend(term_pages(site, &site.themes, "themes", "theme.html", settings));
    jobs.extend(paginate("authors/index", &site.authors, AUTHORS_PER_PAGE, settings, "authors.html", |job, chunk| {
        job.insert("authors", chunk.iter().map(|t| TermItem::new(t, "authors")).collect::<Vec<_>>());
        job.insert("total", site.authors.len());
    }));
    jobs.extend(term_pages(site, &site.authors, "authors", "author.html", settings));
    jobs.extend(paginate("dates/index", &site.dates, DATES_PER_PAGE, settings, "dates.html", |job, chunk| {
        job.insert("dates", chunk.iter().map(|t| TermItem::new(t, "dates")).collect::<Vec<_>>());
        job.insert("total", site.dates.len());
    }));
    jobs.extend(term_pages(site, &site.dates, "dates", "date.html", settings));
    jobs.extend(super::metrics::pages(site, settings));
    // The search page's filters come from the index (search/facets.js), not from the template context.
    jobs.push(Job::new("search.html".into(), "search.html", settings));
    jobs
}

fn terms<'a>(terms: &'a [crate::site::Term], folder: &str) -> Vec<TermItem<'a>> {
    terms.iter().map(|t| TermItem::new(t, folder)).collect()
}

/// `index.html`: the latest articles, the themes, key figures and the size of the digest.
fn home<'a>(site: &'a Site, settings: &'a Settings) -> Job<'a> {
    let mut job = Job::new("index.html".into(), "index.html", settings);
    let latest = &site.latest[..site.latest.len().min(HOME_ARTICLES)];
    let metrics: usize = site.pages.iter().map(|p| p.article.metrics.len()).sum();
    job.insert_lazy("articles", |h| hash_pages(h, site, latest.iter().copied()), || ArticleItem::list(site, latest));
    job.insert("themes", terms(&site.themes, "themes"));
    let figures = key_figures(site);
    let refs = figures.clone();
    job.insert_lazy("figures", |h| hash_metrics(h, site, &figures), move || MetricRow::list(site, &refs));
    job.insert(
        "counts",
        serde_json::json!({
            "articles": site.pages.len(), "themes": site.themes.len(), "authors": site.authors.len(),
            "metrics": metrics, "conflicts": site.conflicts.len(),
        }),
    );
    job
}

/// Headline and data-box figures of the latest articles first, then each latest article's first metric.
fn key_figures(site: &Site) -> Vec<MetricRef> {
    let refs = |keep: &dyn Fn(usize, &crate::article::Metric) -> bool| -> Vec<MetricRef> {
        site.latest
            .iter()
            .flat_map(|&page| {
                site.pages[page].article.metrics.iter().enumerate().map(move |(metric, m)| (page, metric, m))
            })
            .filter(|&(_, metric, m)| keep(metric, m))
            .map(|(page, metric, _)| MetricRef { page, metric })
            .take(KEY_FIGURES)
            .collect()
    };
    let mut figures = refs(&|_, m| matches!(m.context, Context::Headline | Context::Databox));
    for r in refs(&|metric, _| metric == 0) {
        if figures.len() < KEY_FIGURES && !figures.contains(&r) {
            figures.push(r);
        }
    }
    figures
}

/// One (paginated) page per theme, author or issue date.
fn term_pages<'a>(
    site: &'a Site,
    terms: &'a [crate::site::Term],
    folder: &str,
    template: &'static str,
    settings: &'a Settings,
) -> Vec<Job<'a>> {
    terms
        .par_iter()
        .flat_map_iter(|term| {
            let base = format!("{folder}/{}", term.slug);
            paginate(&base, &term.pages, TERM_ARTICLES_PER_PAGE, settings, template, |job, chunk| {
                job.insert("name", term.name.as_str());
                job.insert("affiliations", term.affiliations.as_slice());
                job.insert("total", term.pages.len());
                job.insert_lazy(
                    "articles",
                    |h| hash_pages(h, site, chunk.iter().copied()),
                    || ArticleItem::list(site, chunk),
                );
            })
        })
        .collect()
}

/// Links between the pages of one list: `page` is 1-based; hrefs are file names in the same folder.
#[derive(Debug, Serialize, PartialEq)]
pub struct Pager {
    pub number: usize,
    pub count: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// Up to 9 page links around the current one, with the first and the last.
    pub links: Vec<(usize, String)>,
}

/// File name of page `n` of the list at `base` (a path without `.html`).
pub fn page_file(base: &str, n: usize) -> String {
    let name = base.rsplit('/').next().unwrap_or(base);
    if n == 1 {
        format!("{name}.html")
    } else {
        format!("{name}-{n}.html")
    }
}

/// Splits `items` into pages at `base.html`, `base-2.html`, …; `fill` adds each page's items to its context.
pub fn paginate<'a, 'b, T>(
    base: &str,
    items: &'b [T],
    per_page: usize,
    settings: &'a Settings,
    template: &'static str,
    fill: impl Fn(&mut Job<'a>, &'b [T]),
) -> Vec<Job<'a>> {
    let chunks: Vec<&'b [T]> = if items.is_empty() { vec![&[][..]] } else { items.chunks(per_page).collect() };
    let count = chunks.len();
    let folder = base.rsplit_once('/').map_or(String::new(), |(f, _)| format!("{f}/"));
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let number = i + 1;
            let mut job = Job::new(format!("{folder}{}", page_file(base, number)), template, settings);
            fill(&mut job, chunk);
            job.insert("pager", pager(base, number, count));
            job
        })
        .collect()
}

fn pager(base: &str, number: usize, count: usize) -> Pager {
    let near = number.saturating_sub(4).max(1)..=(number + 4).min(count);
    let mut numbers: Vec<usize> = std::iter::once(1).chain(near).chain(std::iter::once(count)).collect();
    numbers.dedup();
    Pager {
        number,
        count,
        prev: (number > 1).then(|| page_file(base, number - 1)),
        next: (number < count).then(|| page_file(base, number + 1)),
        links: numbers.into_iter().map(|n| (n, page_file(base, n))).collect(),
    }
}

/// The preview of a long list shown on an index page.
pub fn preview<T>(items: &[T]) -> &[T] {
    &items[..items.len().min(PREVIEW)]
}
