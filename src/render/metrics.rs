//! The metrics pages: `metrics/index.html` (every unit group with a preview, conflicts, warnings), one paginated page
//! per unit group, `metrics/conflicts.html` and `metrics/warnings.html`. Pure: no I/O.

use serde::Serialize;

use super::pages::{page_file, paginate, preview, METRICS_PER_PAGE, PREVIEW};
use super::view::{ArticleItem, MetricRow};
use super::{hash_metrics, hash_pages, Inputs, Job, Settings};
use crate::site::{Conflict, MetricRef, Site};

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
    continued: bool,
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
        jobs.extend(paginate(&base, &group.metrics, METRICS_PER_PAGE, settings, "metric_group.html", |job, chunk| {
            job.insert("unit", group.unit.as_str());
            job.insert("total", group.metrics.len());
            job.insert_lazy("metrics", |h| hash_metrics(h, site, chunk), || MetricRow::list(site, chunk));
        }));
    }
    let conflict_pages = conflict_pages(&site.conflicts, METRICS_PER_PAGE);
    jobs.extend(paginate("metrics/conflicts", &conflict_pages, 1, settings, "conflicts.html", |job, page| {
        job.insert("total", site.conflicts.len());
        let parts = page[0].clone(); // `conflict_pages` does not outlive this function; the job does
        job.insert_lazy("conflicts", |h| hash_parts(h, site, &page[0]), move || part_views(site, &parts));
    }));
    jobs.extend(paginate(
        "metrics/warnings",
        &warned,
        METRICS_PER_PAGE / 2,
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
    let shown = conflict_pages(&site.conflicts, PREVIEW).swap_remove(0);
    let rows = |parts: &[ConflictPart]| parts.iter().map(|p| p.metrics.len()).sum::<usize>();
    job.insert("conflicts_cut", rows(&shown) < site.conflicts.iter().map(|c| c.metrics.len()).sum());
    let parts = shown.clone();
    job.insert_lazy("conflicts", |h| hash_parts(h, site, &shown), move || part_views(site, &parts));
    job.insert("conflict_total", site.conflicts.len());
    let shown = preview(warned);
    let pages = shown.to_vec();
    job.insert_lazy("warned", |h| hash_pages(h, site, shown.iter().copied()), move || warned_views(site, &pages));
    job.insert("warned_total", warned.len());
    job
}

/// A conflict's rows on one page: the rows of a long conflict go on over the next pages.
#[derive(Clone, Copy)]
struct ConflictPart<'a> {
    conflict: &'a Conflict,
    metrics: &'a [MetricRef],
    /// Whether earlier rows of the conflict are on the page before.
    continued: bool,
}

/// The conflicts laid out on pages of at most `rows` rows, so that one figure given in thousands of articles does
/// not make one enormous page. A conflict that does not fit in the room left starts on a new page.
fn conflict_pages(conflicts: &[Conflict], rows: usize) -> Vec<Vec<ConflictPart<'_>>> {
    let mut pages = vec![Vec::new()];
    let mut room = rows;
    for conflict in conflicts {
        let (mut rest, mut continued) = (&conflict.metrics[..], false);
        if rest.len() > room && room < rows {
            room = 0;
        }
        while !rest.is_empty() {
            if room == 0 {
                pages.push(Vec::new());
                room = rows;
            }
            let (here, next) = rest.split_at(rest.len().min(room));
            pages.last_mut().expect("one page at least").push(ConflictPart { conflict, metrics: here, continued });
            (rest, continued, room) = (next, true, room - here.len());
        }
    }
    pages
}

/// Feeds `hasher` what [`part_views`] makes its views from.
fn hash_parts(hasher: &mut Inputs, site: &Site, parts: &[ConflictPart]) {
    for part in parts {
        let c = part.conflict;
        hasher.update(c.measure.as_bytes()).update(&[0]).update(c.unit.as_bytes()).update(&[0]);
        hasher.update(format!("{:?} {}", c.year, part.continued).as_bytes());
        hash_metrics(hasher, site, part.metrics);
    }
}

fn part_views<'a>(site: &'a Site, parts: &[ConflictPart<'a>]) -> Vec<ConflictView<'a>> {
    parts
        .iter()
        .map(|part| ConflictView {
            measure: &part.conflict.measure,
            unit: &part.conflict.unit,
            year: part.conflict.year,
            continued: part.continued,
            metrics: MetricRow::list(site, part.metrics),
        })
        .collect()
}

fn warned_views<'a>(site: &'a Site, pages: &[usize]) -> Vec<WarnedView<'a>> {
    pages
        .iter()
        .map(|&i| WarnedView { article: ArticleItem::new(&site.pages[i]), warnings: &site.pages[i].article.warnings })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conflict(rows: usize) -> Conflict {
        let metrics = (0..rows).map(|page| MetricRef { page, metric: 0 }).collect();
        Conflict { measure: "地区生产总值".into(), unit: "元".into(), year: Some(2024), metrics }
    }

    /// (rows, continued) of each part, page by page.
    fn layout(conflicts: &[Conflict], rows: usize) -> Vec<Vec<(usize, bool)>> {
        let pages = conflict_pages(conflicts, rows);
        pages.iter().map(|page| page.iter().map(|p| (p.metrics.len(), p.continued)).collect()).collect()
    }

    #[test]
    fn a_long_conflict_goes_on_over_several_pages() {
        assert_eq!(
            layout(&[conflict(3), conflict(9)], 4),
            [vec![(3, false)], vec![(4, false)], vec![(4, true)], vec![(1, true)]]
        );
    }

    #[test]
    fn a_conflict_that_fits_on_a_page_is_not_cut() {
        assert_eq!(
            layout(&[conflict(2), conflict(3), conflict(1)], 4),
            [vec![(2, false)], vec![(3, false), (1, false)]]
        );
    }

    #[test]
    fn no_conflicts_make_one_empty_page() {
        assert_eq!(layout(&[], 4), [Vec::<(usize, bool)>::new()]);
    }
}
