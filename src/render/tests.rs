use super::*;
use crate::article::Article;

fn theme() -> Theme {
    Theme::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")).unwrap()
}

fn site(n: usize) -> Site {
    let articles = (0..n)
        .map(|i| {
            let text = format!("---\ntitle: 第{i}篇\nthemes: [人才]\nauthors:\n  - name: 李林\n---\n\n正文{i}。\n");
            Article::from_markdown(&format!("a-{i:03}"), &text).unwrap()
        })
        .collect();
    Site::new(articles)
}

fn page<'a>(files: &'a [OutputFile], path: &str) -> &'a str {
    let file = files.iter().find(|f| f.path == Path::new(path)).unwrap_or_else(|| panic!("no {path}"));
    std::str::from_utf8(&file.bytes).unwrap()
}

#[test]
fn roots_are_relative_to_the_page_folder() {
    assert_eq!(root_of("index.html"), "");
    assert_eq!(root_of("themes/t-1.html"), "../");
}

#[test]
fn renders_every_kind_of_page_with_relative_links() {
    let site = site(3);
    let files = render_files(&site, &theme(), &Settings::default(), &BTreeMap::new()).unwrap().0;
    let theme_page = format!("themes/{}.html", site.themes[0].slug);
    let author_page = format!("authors/{}.html", site.authors[0].slug);
    for path in ["index.html", "articles/a-000.html", "themes/index.html", "authors/index.html", "metrics/index.html"] {
        let html = page(&files, path);
        assert!(html.contains(r#"<html lang="zh-CN">"#), "{path}");
        assert!(html.contains(r#"action="#) && html.contains(r#"search.html" method="get""#), "{path}");
    }
    let article = page(&files, "articles/a-000.html");
    assert!(article.contains(&format!(r#"href="../{author_page}""#)), "{article}");
    assert!(article.contains(&format!(r#"href="../{theme_page}""#)), "{article}");
    assert!(page(&files, &theme_page).contains(r#"href="../articles/a-002.html""#));
    assert!(page(&files, "search.html").contains(r#"<html lang="zh-CN">"#));
    assert!(files.iter().any(|f| f.path == Path::new("static/style.css")));
}

#[test]
fn issue_dates_get_pages_newest_first_with_their_articles_in_page_order() {
    let article = |stem: &str, date: &str, seed: &str| {
        let text = format!("---\ntitle: {stem}\ndate: {date}\nsource: {{seed: {seed}, line: 1}}\n---\n\n正文。\n");
        Article::from_markdown(stem, &text).unwrap()
    };
    let site = Site::new(vec![
        article("b-01", "2025-06-12", "p2.txt"),
        article("a-01", "2025-06-12", "p1.txt"),
        article("a-02", "2025-06-12", "p1.txt"),
        article("c-01", "2025-06-13", "p1.txt"),
        article("d-01", "null", "p1.txt"),
        article("e-01", "2025年6月", "p1.txt"),
    ]);
    let files = render_files(&site, &theme(), &Settings::default(), &BTreeMap::new()).unwrap().0;
    let index = page(&files, "dates/index.html");
    let order = ["2025年6月", "2025-06-13", "2025-06-12"].map(|d| index.find(&format!(">{d}</time>")).unwrap());
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{index}");
    assert!(index.contains(r#"href="../dates/2025-06-12.html""#) && index.contains("3 篇"), "{index}");
    let day = page(&files, "dates/2025-06-12.html");
    let stems = ["a-01", "a-02", "b-01"].map(|s| day.find(&format!("articles/{s}.html")).unwrap());
    assert!(stems.windows(2).all(|w| w[0] < w[1]), "{day}");
    assert!(!day.contains("c-01") && !day.contains("d-01"), "{day}");
    assert!(page(&files, "articles/b-01.html").contains(r#"<a href="../dates/2025-06-12.html"><time"#));
    // A date typed by hand in another form still gets a page, under a file name that is safe everywhere.
    let typed = &site.dates.iter().find(|d| d.name == "2025年6月").unwrap().slug;
    assert!(typed.starts_with("d-") && typed.is_ascii(), "{typed}");
    assert!(page(&files, "articles/e-01.html").contains(&format!(r#"href="../dates/{typed}.html""#)));
    assert!(!page(&files, "articles/d-01.html").contains("dates/"));
    assert!(page(&files, "archive/index.html").contains(r#"href="../dates/index.html""#));
}

#[test]
fn undated_sites_have_no_date_link_in_the_archive() {
    let files = render_files(&site(2), &theme(), &Settings::default(), &BTreeMap::new()).unwrap().0;
    assert!(!page(&files, "archive/index.html").contains("dates/index.html"));
    assert!(page(&files, "dates/index.html").contains("暂无注明日期的文章"));
}

#[test]
fn paginates_long_lists_into_files_of_one_folder() {
    let site = site(120);
    let files = render_files(&site, &theme(), &Settings::default(), &BTreeMap::new()).unwrap().0;
    let first = page(&files, "archive/index.html");
    assert!(first.contains(r#"href="index-2.html""#), "{first}");
    assert!(page(&files, "archive/index-2.html").contains(r#"href="../articles/a-100.html""#));
    let theme_base = format!("themes/{}", site.themes[0].slug);
    assert!(page(&files, &format!("{theme_base}-3.html")).contains("第 3 / 3 页"));
}

#[test]
fn escapes_titles_in_pages() {
    let text = "---\ntitle: 甲<b>乙</b>\n---\n\n正文。\n";
    let site = Site::new(vec![Article::from_markdown("x", text).unwrap()]);
    let files = render_files(&site, &theme(), &Settings::default(), &BTreeMap::new()).unwrap().0;
    assert!(page(&files, "articles/x.html").contains("甲&lt;b&gt;乙&lt;/b&gt;"));
}

#[test]
fn escapes_what_html_needs_and_keeps_slashes() {
    assert_eq!(escape_html(""), "");
    assert_eq!(escape_html("重庆/成都"), "重庆/成都");
    assert_eq!(escape_html("「甲」<b>&'乙\"</b>"), "「甲」&lt;b&gt;&amp;&#x27;乙&quot;&lt;/b&gt;");
    assert_eq!(escape_html("<<"), "&lt;&lt;");
}

#[test]
fn reuses_exactly_the_pages_whose_inputs_did_not_change() {
    let theme = theme();
    let (_, first) = render_files(&site(3), &theme, &Settings::default(), &BTreeMap::new()).unwrap();
    assert!(first.reused.is_empty());
    let mut articles: Vec<Article> = site(3).pages.into_iter().map(|p| p.article).collect();
    articles[1].body = "改过的正文。".into();
    let (files, second) = render_files(&Site::new(articles), &theme, &Settings::default(), &first.keys).unwrap();
    let rendered: Vec<&Path> = files.iter().map(|f| f.path.as_path()).filter(|p| p.starts_with("articles")).collect();
    assert_eq!(rendered, [Path::new("articles/a-001.html")]);
    assert!(second.reused.contains(&PathBuf::from("articles/a-000.html")));
    assert_eq!(first.keys.len(), second.keys.len());
}

#[test]
fn a_changed_title_rerenders_the_lists_that_show_it_and_nothing_else() {
    let theme = theme();
    let (_, first) = render_files(&site(3), &theme, &Settings::default(), &BTreeMap::new()).unwrap();
    let mut articles: Vec<Article> = site(3).pages.into_iter().map(|p| p.article).collect();
    articles[1].title = "改过的标题".into();
    let changed = Site::new(articles);
    let (files, _) = render_files(&changed, &theme, &Settings::default(), &first.keys).unwrap();
    let rendered: Vec<String> =
        files.iter().map(|f| f.path.to_string_lossy().into_owned()).filter(|p| p.ends_with(".html")).collect();
    let theme_page = format!("themes/{}.html", changed.themes[0].slug);
    let author_page = format!("authors/{}.html", changed.authors[0].slug);
    for path in ["articles/a-001.html", "index.html", "archive/index.html", &theme_page, &author_page] {
        assert!(rendered.iter().any(|p| p == path), "{path} not rendered again: {rendered:?}");
        assert!(page(&files, path).contains("改过的标题"), "{path}");
    }
    assert!(!rendered.iter().any(|p| p == "articles/a-000.html" || p == "themes/index.html"), "{rendered:?}");
}
