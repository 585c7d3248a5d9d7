use super::*;
use crate::article::{Author, Context, Role, Source};

fn article(stem: &str, seed: &str) -> Article {
    let mut article = Article::from_markdown(stem, "---\ntitle: 标题\n---\n\n正文。\n").unwrap();
    article.source = Some(Source { seed: seed.into(), line: 1 });
    article
}

fn author(name: &str, affiliation: Option<&str>) -> Author {
    Author { name: name.into(), role: Role::Author, affiliation: affiliation.map(str::to_string) }
}

fn metric(measure: &str, value: f64, unit: &str, year: Option<i32>) -> Metric {
    Metric {
        text: format!("{value}{unit}"),
        value,
        unit: unit.into(),
        qualifier: None,
        year,
        measure: measure.into(),
        context: Context::Body,
        sentence: String::new(),
    }
}

#[test]
fn lists_later_seeds_first_and_keeps_reading_order_within_a_seed() {
    let site = Site::new(vec![article("b-02", "b.txt"), article("a-01", "a.txt"), article("b-01", "b.txt")]);
    let stems: Vec<&str> = site.latest.iter().map(|&i| site.pages[i].article.stem.as_str()).collect();
    assert_eq!(stems, ["b-01", "b-02", "a-01"]);
}

#[test]
fn dated_articles_come_before_undated_ones() {
    let mut old = article("a-01", "a.txt");
    old.date = Some("2024-01-02".into());
    let site = Site::new(vec![old, article("b-01", "b.txt")]);
    assert_eq!(site.pages[site.latest[0]].article.stem, "a-01");
}

#[test]
fn gathers_each_author_once_per_article_with_affiliations_by_frequency() {
    let mut one = article("a-01", "a.txt");
    one.authors = vec![author("李林", Some("重庆邮电大学")), author("李林", None)];
    let mut two = article("a-02", "a.txt");
    two.authors = vec![author("李林", Some("重庆邮电大学")), author("张鑫", None)];
    let mut three = article("a-03", "a.txt");
    three.authors = vec![author("李林", Some("重庆大学"))];
    let site = Site::new(vec![one, two, three]);
    let names: Vec<&str> = site.authors.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["张鑫", "李林"]);
    assert_eq!(site.authors[1].pages, [0, 1, 2]);
    assert_eq!(site.authors[1].affiliations, ["重庆邮电大学", "重庆大学"]);
}

#[test]
fn orders_themes_by_article_count() {
    let mut one = article("a-01", "a.txt");
    one.themes = vec!["金融".into(), "人才".into()];
    let mut two = article("a-02", "a.txt");
    two.themes = vec!["人才".into()];
    let site = Site::new(vec![one, two]);
    let names: Vec<&str> = site.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["人才", "金融"]);
}

#[test]
fn slugs_are_ascii_stable_and_unique() {
    let mut taken = BTreeSet::new();
    let first = unique_slug("t", "人工智能", &mut taken);
    assert!(first.starts_with("t-") && first.len() == 12 && first.is_ascii(), "{first}");
    assert_eq!(first, unique_slug("t", "人工智能", &mut BTreeSet::new()));
    let again = unique_slug("t", "人工智能", &mut taken);
    assert_ne!(first, again);
}

#[test]
fn groups_metrics_by_unit_and_flags_conflicting_values() {
    let mut one = article("a-01", "a.txt");
    one.metrics = vec![metric("项目数", 347.0, "个", Some(2024)), metric("增速", 5.0, "%", None)];
    let mut two = article("a-02", "a.txt");
    two.metrics = vec![metric("项目数", 346.0, "个", Some(2024)), metric("企业数", 10.0, "个", None)];
    let site = Site::new(vec![one, two]);
    let units: Vec<&str> = site.metric_groups.iter().map(|g| g.unit.as_str()).collect();
    assert_eq!(units, ["个", "%"]);
    let measures: Vec<&str> = site.metric_groups[0].metrics.iter().map(|&r| site.metric(r).measure.as_str()).collect();
    assert_eq!(measures, ["企业数", "项目数", "项目数"]);
    assert_eq!(site.conflicts.len(), 1);
    assert_eq!(site.conflicts[0].measure, "项目数");
    assert_eq!(site.conflicts[0].metrics.len(), 2);
}

#[test]
fn escapes_raw_html_in_bodies() {
    let (html, text) = markdown_to_html_and_text("第一段<script>x</script>。\n\n## 小标题\n");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert_eq!(text, "第一段<script>x</script>。\n小标题\n");
}

#[test]
fn flags_one_figure_printed_twice_within_an_article() {
    let mut one = article("a-01", "a.txt");
    one.metrics = vec![
        metric("累计融资金额", 21_700_000_000.0, "美元", None),
        metric("实现跨境融资", 21_670_000_000.0, "美元", None),
        metric("双方累计签约项目", 347.0, "个", None),
        metric("累计签约项目", 346.0, "个", None),
        metric("增速", 5.1, "%", None),
        metric("占比", 5.12, "%", None),
        metric("企业数", 120.0, "家", None),
        metric("园区数", 12.0, "家", None),
        Metric {
            sentence: "数据编目16万类，归集15万类。".into(), ..metric("数据编目", 160_000.0, "类", None)
        },
        Metric {
            sentence: "数据编目16万类，归集15万类。".into(), ..metric("数据编目归集", 150_000.0, "类", None)
        },
        metric("全市企业数量", 200.0, "户", None),
        metric("企业数量", 150.0, "户", None),
    ];
    let site = Site::new(vec![one]);
    let found: Vec<(&str, usize)> = site.conflicts.iter().map(|c| (c.measure.as_str(), c.metrics.len())).collect();
    assert_eq!(found, [("累计签约项目", 2), ("累计融资金额", 2)]);
}

#[test]
fn interview_speakers_are_bold_though_commonmark_would_not() {
    let (html, text) = markdown_to_html_and_text("**李林：**场景是载体。\n\n**Q:**why");
    assert_eq!(html, "<p><strong>李林：</strong>场景是载体。</p>\n<p><strong>Q:</strong>why</p>\n");
    assert_eq!(text, "李林：场景是载体。\nQ:why\n");
}

#[test]
fn leaves_other_asterisks_alone() {
    let (html, _) = markdown_to_html_and_text("**not a speaker** at all");
    assert_eq!(html, "<p><strong>not a speaker</strong> at all</p>\n");
}
