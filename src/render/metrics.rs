//! The metrics pages: `metrics/index.html` (every unit group with a preview, conflicts, warnings), one paginated page
//! per unit group, `metrics/conflicts.html` and `metrics/warnings.html`. Pure: no I/O.

use serde::Serialize;

use super::pages::{page_file, paginate, preview, METRICS_PAGE_SIZE};
use super::view::{ArticleItem, MetricRow};
use super::{hash_metrics, hash_pages, Inputs, Job, Settings};
use crate::site::{Conflict, Site};

#[derive(Serialize)]
struct GroupView<'a> {
    unit: &'a str,
    path: String,
    count: usize,
    preview: Vec<MetricRow<'a>>,
}

#[derive(Serialize)]
struct ConflictView<'a> {
    measure: &'a str,
    unit: &'a str,
    year: Option<i32>,
    metrics: Vec<MetricRow<'a>>,
}

#[derive(Serialize)]
struct WarnedView<'a> {
    article: ArticleItem<'a>,
    warnings: &'a [String],
}

/// Every metrics page.
pub fn pages<'a>(site: &'a Site, settings: &'a Settings) -> Vec<Job<'a>> {
    let warned: Vec<usize> =
        site.latest.iter().copied().filter(|&i| !site.pages[i].article.warnings.is_empty()).collect();
    let mut jobs = vec![index(site, &warned, settings)];
    for group in &site.metric_groups {
        let base = format!("metrics/{}", group.slug);
        jobs.extend(paginate(&base, &group.metrics, METRICS_PAGE_SIZE, settings, "metric_group.html", |job, chunk| {
            job.insert("unit", group.unit.as_str());
            job.insert("total", group.metrics.len());
            job.insert_lazy("metrics", |h| hash_metrics(h, site, chunk), || MetricRow::list(site, chunk));
        }));
    }
    jobs.extend(paginate(
        "metrics/conflicts",
        &site.conflicts,
        METRICS_PAGE_SIZE / 4,
        settings,
        "conflicts.html",
        |job, chunk| {
            job.insert("total", site.conflicts.len());
            job.insert_lazy("conflicts", |h| hash_conflicts(h, site, chunk), || conflicts(site, chunk));
        },
    ));
    jobs.extend(paginate(
        "metrics/warnings",
        &warned,
        METRICS_PAGE_SIZE / 2,
        settings,
        "warnings.html",
        |job, chunk| {
            job.insert("total", warned.len());
            let pages = chunk.to_vec(); // `warned` does not outlive this function; the job does
            job.insert_lazy(
                "warned",
                |h| hash_pages(h, site, chunk.iter().copied()),
                move || warned_views(site, &pages),
            );
        },
    ));
    jobs
}

fn index<'a>(site: &'a Site, warned: &[usize], settings: &'a Settings) -> Job<'a> {
    let mut job = Job::new("metrics/index.html".into(), "metrics.html", settings);
    let groups = &site.metric_groups;
    job.insert("total", groups.iter().map(|g| g.metrics.len()).sum::<usize>());
    let hash_groups = |h: &mut Inputs| {
        for g in groups {
            h.update(g.unit.as_bytes()).update(&[0]).update(g.slug.as_bytes()).update(&[0]);
            h.update(&(g.metrics.len() as u64).to_le_bytes());
            hash_metrics(h, site, preview(&g.metrics));
        }
    };
    job.insert_lazy("groups", hash_groups, || {
        let view = |g: &'a crate::site::MetricGroup| GroupView {
            unit: &g.unit,
            path: format!("metrics/{}", page_file(&g.slug, 1)),
            count: g.metrics.len(),
            preview: MetricRow::list(site, preview(&g.metrics)),
        };
        groups.iter().map(view).collect::<Vec<_>>()
    });
    let conflicts_shown = preview(&site.conflicts);
    job.insert_lazy("conflicts", |h| hash_conflicts(h, site, conflicts_shown), || conflicts(site, conflicts_shown));
    job.insert("conflict_total", site.conflicts.len());
    let shown = preview(warned);
    let pages = shown.to_vec();
    job.insert_lazy("warned", |h| hash_pages(h, site, shown.iter().copied()), move || warned_views(site, &pages));
    job.insert("warned_total", warned.len());
    job
}

/// Feeds `hasher` what [`conflicts`] makes its views from.
fn hash_conflicts(hasher: &mut Inputs, site: &Site, list: &[Conflict]) {
    for c in list {
        hasher.update(c.measure.as_bytes()).update(&[0]).update(c.unit.as_bytes()).update(&[0]);
        hasher.update(format!("{:?}", c.year).as_bytes());
        hash_metrics(hasher, site, &c.metrics);
    }
}

fn conflicts<'a>(site: &'a Site, list: &'a [Conflict]) -> Vec<ConflictView<'a>> {
    list.iter()
        .map(|c| ConflictView {
            measure: &c.measure,
            unit: &c.unit,
            year: c.year,
            metrics: MetricRow::list(site, &c.metrics),
        })
        .collect()
}

fn warned_views<'a>(site: &'a Site, pages: &[usize]) -> Vec<WarnedView<'a>> {
    pages
        .iter()
        .map(|&i| WarnedView { article: ArticleItem::new(&site.pages[i]), warnings: &site.pages[i].article.warnings })
        .collect()
}
