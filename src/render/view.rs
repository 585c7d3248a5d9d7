//! What templates see: small serializable views of articles, terms and metrics, with paths relative to the site
//! root (templates prefix them with `{{ root }}`). Pure: no I/O.

use serde::Serialize;

use crate::article::{Metric, Role};
use crate::site::{MetricRef, Page, Site, Term};

/// An article in a list.
#[derive(Serialize)]
pub struct ArticleItem<'a> {
    pub title: &'a str,
    pub path: String,
    pub date: Option<&'a str>,
    pub section: Option<&'a str>,
    pub authors: Vec<&'a str>,
    pub metrics: usize,
}

impl<'a> ArticleItem<'a> {
    pub fn new(page: &'a Page) -> ArticleItem<'a> {
        let a = &page.article;
        ArticleItem {
            title: &a.title,
            path: page.path(),
            date: a.date.as_deref(),
            section: a.section.as_deref(),
            authors: a.authors.iter().map(|x| x.name.as_str()).collect(),
            metrics: a.metrics.len(),
        }
    }

    pub fn list(site: &'a Site, pages: &[usize]) -> Vec<ArticleItem<'a>> {
        pages.iter().map(|&i| ArticleItem::new(&site.pages[i])).collect()
    }
}

/// A theme or author in a list, with its page.
#[derive(Serialize)]
pub struct TermItem<'a> {
    pub name: &'a str,
    pub path: String,
    pub count: usize,
    pub affiliation: Option<&'a str>,
}

impl<'a> TermItem<'a> {
    pub fn new(term: &'a Term, folder: &str) -> TermItem<'a> {
        TermItem {
            name: &term.name,
            path: format!("{folder}/{}.html", term.slug),
            count: term.pages.len(),
            affiliation: term.affiliations.first().map(String::as_str),
        }
    }
}

/// An author in an article's byline, linked to the author's page when there is one.
#[derive(Serialize)]
pub struct Byline<'a> {
    pub name: &'a str,
    pub role: &'static str,
    pub affiliation: Option<&'a str>,
    pub path: Option<String>,
}

pub fn role_label(role: Role) -> &'static str {
    match role {
        Role::Author => "作者",
        Role::Host => "主持人",
        Role::Guest => "嘉宾",
        Role::Reporter => "记者",
        Role::Correspondent => "通讯员",
        Role::Editor => "编辑",
    }
}

/// One metric as a table row, with the article it comes from.
#[derive(Serialize)]
pub struct MetricRow<'a> {
    pub text: &'a str,
    pub value: String,
    pub unit: &'a str,
    pub qualifier: Option<&'a str>,
    pub year: Option<i32>,
    pub measure: &'a str,
    pub context: &'static str,
    pub sentence: &'a str,
    pub article_title: &'a str,
    pub article_path: String,
}

impl<'a> MetricRow<'a> {
    pub fn new(metric: &'a Metric, page: &'a Page) -> MetricRow<'a> {
        MetricRow {
            text: &metric.text,
            value: format_value(metric.value),
            unit: &metric.unit,
            qualifier: metric.qualifier.as_deref(),
            year: metric.year,
            measure: &metric.measure,
            context: context_label(metric.context),
            sentence: &metric.sentence,
            article_title: &page.article.title,
            article_path: page.path(),
        }
    }

    pub fn list(site: &'a Site, refs: &[MetricRef]) -> Vec<MetricRow<'a>> {
        refs.iter().map(|&r| MetricRow::new(site.metric(r), &site.pages[r.page])).collect()
    }
}

fn context_label(context: crate::article::Context) -> &'static str {
    use crate::article::Context::*;
    match context {
        Body => "正文",
        Headline => "标题",
        Databox => "数据框",
        Caption => "图片说明",
        Sidebar => "边栏",
    }
}

/// A normalized value for reading: 1630000000 → `16.3亿`, 25000 → `2.5万`, 39.8 → `39.8`.
pub fn format_value(value: f64) -> String {
    let (scaled, suffix) = match value.abs() {
        v if v >= 1e8 => (value / 1e8, "亿"),
        v if v >= 1e4 => (value / 1e4, "万"),
        _ => (value, ""),
    };
    let mut text = format!("{scaled:.4}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    text + suffix
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_values_with_chinese_scales() {
        assert_eq!(format_value(1_630_000_000.0), "16.3亿");
        assert_eq!(format_value(25_000.0), "2.5万");
        assert_eq!(format_value(39.8), "39.8");
        assert_eq!(format_value(5.0), "5");
        assert_eq!(format_value(-120_000.0), "-12万");
    }
}
