//! The importer scored against what a careful reader gets from the five seeds (`tests/fixtures/articles.tsv`, see
//! `GOLD.md`). `cargo test gold_articles -- --nocapture` prints the score table.

use digest::article::{Article, Role};
use digest::import::import_page;
use digest::lexicon::Lexicon;
use digest::seed::read_seeds;

use crate::common::{read_tsv, repo};

struct Gold {
    seed: String,
    title: String,
    authors: Vec<String>,
    affiliations: Vec<String>,
    section: String,
    body_start: String,
    theme: String,
}

fn gold() -> Vec<Gold> {
    read_tsv("articles.tsv")
        .into_iter()
        .map(|f| {
            let field = |i: usize| f.get(i).cloned().unwrap_or_default();
            let list = |s: String, sep: &str| -> Vec<String> {
                s.split(sep).map(str::trim).filter(|x| !x.is_empty()).map(String::from).collect()
            };
            Gold {
                seed: field(0),
                title: field(1),
                authors: list(field(2), ","),
                affiliations: list(field(3), "; "),
                section: field(4),
                body_start: field(5),
                theme: field(6),
            }
        })
        .collect()
}

fn imported() -> Vec<(String, Vec<Article>)> {
    let lexicon = Lexicon::built_in();
    read_seeds(&repo().join("seeds"))
        .unwrap()
        .iter()
        .map(|page| (page.name[..3].to_string(), import_page(page, &lexicon)))
        .collect()
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The first 8 characters of the article's text: its first paragraph that is not a `##` subhead or a quoted note,
/// Markdown emphasis and whitespace removed.
fn body_start(body: &str) -> String {
    let para = body.split("\n\n").find(|p| !p.starts_with('#') && !p.starts_with('>')).unwrap_or("");
    compact(&para.replace("**", "")).chars().take(8).collect()
}

/// Gold affiliations may carry the role in brackets, `新重庆-重庆日报记者(主持人)`: the role is checked separately.
fn affiliation_matches(gold: &str, got: Option<&str>, role: Role) -> bool {
    let got = compact(got.unwrap_or(""));
    let gold = compact(gold);
    if gold == got {
        return true;
    }
    let role_word = match role {
        Role::Host => "主持人",
        Role::Guest => "嘉宾",
        _ => return false,
    };
    gold.strip_suffix(&format!("({role_word})")).or_else(|| gold.strip_suffix(&format!("（{role_word}）")))
        == Some(&got)
}

fn role_matches(gold_affiliation: &str, role: Role, index: usize, is_interview: bool) -> bool {
    if !is_interview {
        return true;
    }
    let expected = if gold_affiliation.contains("主持人") || index == 0 { Role::Host } else { Role::Guest };
    role == expected
}

#[derive(Default)]
struct Score {
    count: (usize, usize),
    titles: (usize, usize),
    authors: (usize, usize),
    affiliations: (usize, usize),
    sections: (usize, usize),
    body: (usize, usize),
    themes: (usize, usize),
}

fn tally(slot: &mut (usize, usize), ok: bool, what: &str, failures: &mut Vec<String>) {
    slot.1 += 1;
    if ok {
        slot.0 += 1;
    } else {
        failures.push(what.to_string());
    }
}

/// Pairs each gold article with the imported one that starts with the same text, else the same title.
fn pair<'a>(g: &Gold, articles: &'a [Article]) -> Option<&'a Article> {
    articles
        .iter()
        .find(|a| body_start(&a.body) == g.body_start && (g.title.is_empty() || compact(&a.title) == compact(&g.title)))
        .or_else(|| articles.iter().find(|a| !g.title.is_empty() && compact(&a.title) == compact(&g.title)))
        .or_else(|| articles.iter().find(|a| body_start(&a.body) == g.body_start))
}

fn score(golds: &[Gold], pages: &[(String, Vec<Article>)]) -> (Score, Vec<String>) {
    let mut s = Score::default();
    let mut failures = Vec::new();
    for (seed, articles) in pages {
        let expected = golds.iter().filter(|g| &g.seed == seed).count();
        let what = format!("{seed}: {} articles, gold {expected}", articles.len());
        tally(&mut s.count, articles.len() == expected, &what, &mut failures);
    }
    for g in golds {
        let page = pages.iter().find(|(seed, _)| seed == &g.seed).map(|(_, a)| a.as_slice()).unwrap_or(&[]);
        let Some(a) = pair(g, page) else {
            failures.push(format!("{}: no article for «{}» / {}", g.seed, g.title, g.body_start));
            for slot in [&mut s.titles, &mut s.authors, &mut s.affiliations, &mut s.sections, &mut s.body] {
                slot.1 += 1;
            }
            continue;
        };
        let title_ok = if g.title.is_empty() {
            a.title_inferred
        } else {
            compact(&a.title) == compact(&g.title) && !a.title_inferred
        };
        tally(
            &mut s.titles,
            title_ok,
            &format!("{}: title «{}» (inferred {}), gold «{}»", g.seed, a.title, a.title_inferred, g.title),
            &mut failures,
        );
        let interview = g.authors.len() > 1 && g.affiliations.iter().any(|x| x.contains("主持人"));
        let names: Vec<String> = a.authors.iter().map(|x| x.name.clone()).collect();
        let roles_ok = a
            .authors
            .iter()
            .enumerate()
            .all(|(i, x)| role_matches(g.affiliations.get(i).map_or("", String::as_str), x.role, i, interview));
        tally(
            &mut s.authors,
            names == g.authors && roles_ok,
            &format!("{}: authors {:?}, gold {:?}", g.seed, a.authors, g.authors),
            &mut failures,
        );
        let aff_ok = if g.authors.is_empty() {
            compact(a.affiliation.as_deref().unwrap_or(""))
                == compact(g.affiliations.first().map_or("", String::as_str))
        } else {
            a.authors.len() == g.authors.len()
                && a.authors.iter().enumerate().all(|(i, x)| {
                    let gold = g.affiliations.get(i).or(g.affiliations.first()).map_or("", String::as_str);
                    affiliation_matches(gold, x.affiliation.as_deref(), x.role)
                })
        };
        let got_aff: Vec<_> = a.authors.iter().map(|x| x.affiliation.clone()).collect();
        tally(
            &mut s.affiliations,
            aff_ok,
            &format!("{}: affiliations {got_aff:?} / {:?}, gold {:?}", g.seed, a.affiliation, g.affiliations),
            &mut failures,
        );
        let section_ok = a.section.as_deref().unwrap_or("") == g.section;
        tally(
            &mut s.sections,
            section_ok,
            &format!("{}: section {:?}, gold «{}»", g.seed, a.section, g.section),
            &mut failures,
        );
        let start = body_start(&a.body);
        tally(
            &mut s.body,
            start == g.body_start,
            &format!("{}: body starts «{start}», gold «{}»", g.seed, g.body_start),
            &mut failures,
        );
        if !g.theme.is_empty() {
            tally(
                &mut s.themes,
                a.themes.contains(&g.theme),
                &format!("{}: themes {:?}, gold {}", g.seed, a.themes, g.theme),
                &mut failures,
            );
        }
    }
    (s, failures)
}

fn print(s: &Score, failures: &[String]) {
    println!("gold articles            got / of");
    for (name, (got, of)) in [
        ("article count per seed", s.count),
        ("titles", s.titles),
        ("authors (names, order, roles)", s.authors),
        ("affiliations", s.affiliations),
        ("section labels", s.sections),
        ("body starts", s.body),
        ("themes", s.themes),
    ] {
        println!("  {name:<30} {got:>3} / {of}");
    }
    for f in failures {
        println!("  MISS {f}");
    }
}

#[test]
fn importer_reads_the_seeds_like_a_careful_reader() {
    let golds = gold();
    let pages = imported();
    let (s, failures) = score(&golds, &pages);
    print(&s, &failures);
    assert_eq!(s.count.0, s.count.1, "article count per seed");
    assert_eq!(s.titles.0, 22, "titles");
    assert_eq!(s.authors.0, 22, "authors");
    assert_eq!(s.affiliations.0, s.affiliations.1, "affiliations");
    assert_eq!(s.sections.0, s.sections.1, "sections");
    assert_eq!(s.body.0, s.body.1, "body starts");
    assert_eq!(s.themes.0, s.themes.1, "themes");
}

#[test]
fn captions_data_boxes_and_mastheads_are_not_articles() {
    for (seed, articles) in imported() {
        for a in &articles {
            let start = body_start(&a.body);
            assert!(!a.title.contains('■'), "{seed}: masthead or byline as title: {}", a.title);
            assert!(
                !start.starts_with('●') && !start.starts_with("数据来源"),
                "{seed}: data box as article: {}",
                a.title
            );
            assert!(!a.body.trim_end().ends_with(" 摄"), "{seed}: caption as article body: {}", a.title);
        }
    }
}

#[test]
fn importing_is_deterministic() {
    let render = || -> Vec<String> {
        imported().into_iter().flat_map(|(_, a)| a).map(|a| format!("{}\n{}", a.stem, a.to_markdown())).collect()
    };
    assert_eq!(render(), render());
}

#[test]
fn stems_follow_reading_order() {
    for (_, articles) in imported() {
        let lines: Vec<usize> = articles.iter().map(|a| a.source.as_ref().unwrap().line).collect();
        assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{lines:?}");
        for (i, a) in articles.iter().enumerate() {
            assert!(a.stem.ends_with(&format!("-{:02}", i + 1)), "{}", a.stem);
        }
    }
}

/// Prints every imported article's head, for reading the importer's output by eye.
#[test]
#[ignore]
fn dump_seed_articles() {
    for (_, articles) in imported() {
        for a in articles {
            println!("=== {} line {:?} kind {:?} section {:?}", a.stem, a.source.map(|s| s.line), a.kind, a.section);
            println!("kicker {:?} | title {} ({}) | subtitle {:?}", a.kicker, a.title, a.title_inferred, a.subtitle);
            println!("authors {:?} aff {:?}", a.authors, a.affiliation);
            println!("captions {:?}\nwarnings {:?}", a.captions, a.warnings);
            let full = std::env::var("FULL").is_ok_and(|f| a.stem.starts_with(&f));
            println!("{}\n", a.body.chars().take(if full { usize::MAX } else { 400 }).collect::<String>());
        }
    }
}

/// Layouts the seeds do not show, from `tests/fixtures/layouts/`.
mod layouts {
    use super::*;
    use digest::article::{Kind, Role};
    use digest::seed::SeedPage;

    fn import(name: &str) -> Vec<Article> {
        let path = repo().join("tests/fixtures/layouts").join(name);
        let text = digest::seed::decode(&std::fs::read(&path).unwrap()).unwrap();
        import_page(&SeedPage { name: name.to_string(), text }, &Lexicon::built_in())
    }

    #[test]
    fn reads_a_page_without_hard_wraps_and_with_half_width_punctuation() {
        let articles = import("no_wraps_halfwidth.txt");
        assert_eq!(articles.len(), 1, "{articles:#?}");
        let a = &articles[0];
        assert_eq!(a.title, "数字贸易如何更好走向世界");
        assert_eq!(a.section.as_deref(), Some("观点"));
        assert_eq!((a.authors[0].name.as_str(), a.authors[0].role), ("王晓明", Role::Reporter));
        assert!(a.body.contains("Amazon Web Services和Microsoft Azure"), "{}", a.body);
        assert!(a.body.contains("规模持续扩大，跨境电商"), "{}", a.body);
        assert_eq!(a.body.split("\n\n").count(), 3, "{}", a.body);
    }

    #[test]
    fn reads_kicker_title_subtitle_and_a_brief_with_its_title_first() {
        let articles = import("title_block_brief.txt");
        assert_eq!(articles.len(), 2, "{articles:#?}");
        let a = &articles[0];
        assert_eq!(a.kicker.as_deref(), Some("加快建设现代化产业体系"));
        assert_eq!(a.title, "我市新增专精特新企业二百余家");
        assert_eq!(a.subtitle.as_deref(), Some("制造业数字化转型取得新进展"));
        assert_eq!(a.kind, Kind::Brief);
        let people: Vec<_> = a.authors.iter().map(|x| (x.name.as_str(), x.role)).collect();
        assert_eq!(people, [("李明", Role::Reporter), ("赵强", Role::Correspondent)]);
        assert!(a.body.starts_with("记者从市经济信息委获悉"), "{}", a.body);
        let b = &articles[1];
        assert_eq!(b.title, "老工业基地焕发新活力");
        assert_eq!(b.authors[0].name, "周敏");
    }

    #[test]
    fn keeps_expert_comment_and_editor_note_boxes_apart() {
        let articles = import("expert_comment.txt");
        let heads: Vec<_> = articles.iter().map(|a| (a.title.as_str(), a.section.as_deref())).collect();
        assert_eq!(
            heads,
            [
                ("小微企业用上“数字账房”", None),
                ("数字化转型要久久为功", Some("专家点评")),
                ("让技术真正服务于人", Some("编辑手记"))
            ]
        );
        assert!(articles[0].body.contains("一目了然。”她说，数字化工具"), "{}", articles[0].body);
        assert_eq!(articles[1].kind, Kind::Sidebar);
    }

    #[test]
    fn reads_a_roundtable_with_host_guests_and_no_numbers() {
        let articles = import("roundtable.txt");
        assert_eq!(articles.len(), 1, "{articles:#?}");
        let a = &articles[0];
        assert_eq!(a.title, "乡村振兴如何留住人才");
        assert_eq!(a.kind, Kind::Interview);
        assert_eq!(a.section.as_deref(), Some("圆桌对话"));
        let people: Vec<_> = a.authors.iter().map(|x| (x.name.as_str(), x.role)).collect();
        assert_eq!(people, [("孙立", Role::Host), ("何平", Role::Guest), ("钱进", Role::Guest)]);
        assert_eq!(a.authors[1].affiliation.as_deref(), Some("西南大学经济管理学院教授"));
        assert!(a.body.starts_with("**孙立：**乡村振兴离不开人才"), "{}", a.body);
        assert!(a.metrics.is_empty(), "a roundtable without numbers has no metrics: {:?}", a.metrics);
    }

    #[test]
    fn reads_a_narrow_double_spaced_news_page_as_single_spaced() {
        let articles = import("narrow_double_spaced.txt");
        let heads: Vec<_> = articles
            .iter()
            .map(|a| (a.title.as_str(), a.authors.iter().map(|x| x.name.as_str()).collect::<Vec<_>>()))
            .collect();
        assert_eq!(
            heads,
            [
                ("轨道交通新线开通运营 助推城市更新", vec!["王力"]),
                ("老旧小区改造如何让更多居民受益？", vec!["陈静"]),
                ("山区果园迎来丰收季", vec!["刘芳"])
            ]
        );
        assert_eq!(articles[1].kind, Kind::Brief);
        assert!(articles[0].body.contains("国际物流枢纽等重要节点。\n\n开通首周"), "{}", articles[0].body);
    }

    #[test]
    fn reads_gb18030_pages_like_utf8_ones() {
        let path = repo().join("tests/fixtures/layouts/roundtable.txt");
        let utf8 = std::fs::read_to_string(&path).unwrap();
        let gb = encoding_rs::GB18030.encode(&utf8.replace('\n', "\r\n")).0.into_owned();
        let text = digest::seed::decode(&gb).unwrap();
        let lexicon = Lexicon::built_in();
        let a = import_page(&SeedPage { name: "gb.txt".into(), text }, &lexicon);
        let b = import_page(&SeedPage { name: "gb.txt".into(), text: utf8 }, &lexicon);
        assert_eq!(a, b);
    }
}

/// Any slice of a page, cut anywhere, imports without panicking; an empty page has no articles.
#[test]
fn never_panics_on_cut_pages() {
    let lexicon = Lexicon::built_in();
    assert!(import_page(&digest::seed::SeedPage { name: "empty.txt".into(), text: String::new() }, &lexicon).is_empty());
    for page in read_seeds(&repo().join("seeds")).unwrap() {
        let lines: Vec<&str> = page.text.lines().collect();
        for start in (0..lines.len()).step_by(13) {
            for len in [1, 2, 5, 17, 60] {
                let text = lines[start..(start + len).min(lines.len())].join("\n");
                let cut = digest::seed::SeedPage { name: page.name.clone(), text };
                for a in import_page(&cut, &lexicon) {
                    assert!(!a.title.trim().is_empty(), "{}: empty title", page.name);
                }
            }
        }
    }
}

/// Short unsigned items printed one after another: each heading starts an article.
#[test]
fn splits_short_unsigned_items_at_each_title() {
    let path = repo().join("tests/fixtures/layouts/short_items.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let page = digest::seed::SeedPage { name: "short_items.txt".into(), text };
    let titles: Vec<String> = import_page(&page, &Lexicon::built_in()).into_iter().map(|a| a.title).collect();
    assert_eq!(titles, ["城市更新让老街区焕发新颜", "多条公交线路优化调整", "图书馆延长开放时间"]);
}

/// A signed report keeps its subheads; its jump to another page is a warning.
#[test]
fn keeps_subheads_of_a_signed_report() {
    let path = repo().join("tests/fixtures/layouts/signed_report.txt");
    let text = std::fs::read_to_string(path).unwrap();
    let page = digest::seed::SeedPage { name: "signed_report.txt".into(), text };
    let articles = import_page(&page, &Lexicon::built_in());
    assert_eq!(articles.len(), 1, "{articles:#?}");
    let a = &articles[0];
    assert_eq!(a.title, "山区小镇走出特色发展路");
    let people: Vec<_> = a.authors.iter().map(|x| (x.name.as_str(), x.affiliation.as_deref())).collect();
    assert_eq!(people, [("刘洋", Some("本报记者")), ("张倩", Some("实习生"))]);
    assert!(a.body.contains("\n\n## 茶产业带动增收\n\n"), "{}", a.body);
    assert!(a.body.contains("\n\n## 文旅融合添活力\n\n"), "{}", a.body);
    assert!(a.warnings.iter().any(|w| w.contains("下转2版")), "{:?}", a.warnings);
}

/// `PAGE=some/page.txt cargo test print_page -- --ignored --nocapture` prints how the importer reads any page.
#[test]
#[ignore]
fn print_page() {
    let text = std::fs::read_to_string(std::env::var("PAGE").unwrap()).unwrap();
    let page = digest::seed::SeedPage { name: "x.txt".into(), text };
    for a in import_page(&page, &Lexicon::built_in()) {
        println!("{}", a.to_markdown());
    }
}

fn fixture(name: &str) -> Vec<Article> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/layouts").join(name)).unwrap();
    import_page(&digest::seed::SeedPage { name: name.into(), text }, &Lexicon::built_in())
}

fn heads(articles: &[Article]) -> Vec<(String, Vec<String>)> {
    articles.iter().map(|a| (a.title.clone(), a.authors.iter().map(|x| x.name.clone()).collect())).collect()
}

/// The date line and the page's editors are furniture, not bylines (the date line dates the page); a 短评 box is a
/// sidebar.
#[test]
fn skips_page_furniture_and_dates_the_page_by_its_header() {
    let articles = fixture("page_furniture.txt");
    let expected = [("长江经济带绿色发展再上新台阶", vec!["赵六"]), ("守护一江碧水", vec![])];
    let expected: Vec<(String, Vec<String>)> =
        expected.iter().map(|(t, a)| (t.to_string(), a.iter().map(|s| s.to_string()).collect())).collect();
    assert_eq!(heads(&articles), expected);
    assert_eq!(articles[1].section.as_deref(), Some("短评"));
    // The header's date, whose weekday is right, dates the page.
    assert!(articles.iter().all(|a| a.date.as_deref() == Some("2025-06-12")), "{articles:#?}");
}

/// An editor's note above a title with a dash subtitle; an agency dateline starts a brief whose title is made up.
#[test]
fn reads_editor_notes_and_agency_datelines() {
    let articles = fixture("editor_note_dateline.txt");
    assert_eq!(articles.len(), 2, "{articles:#?}");
    assert_eq!(articles[0].title, "种好“致富果”");
    assert_eq!(articles[0].subtitle.as_deref(), Some("三个村庄的产业振兴之路"));
    assert_eq!(articles[0].authors[0].name, "张三");
    assert!(articles[0].body.starts_with("> 编者按："), "{}", articles[0].body);
    assert!(articles[1].title_inferred);
    assert_eq!(articles[1].authors[0].name, "王五");
}

/// A page with hard wraps and no blank lines at all: titles right above their text, a subhead, notes in brackets.
#[test]
fn reads_a_page_without_blank_lines() {
    let articles = fixture("no_blank_lines.txt");
    let got: Vec<_> = heads(&articles).into_iter().map(|(t, a)| format!("{t} {a:?}")).collect();
    assert_eq!(got, ["以高水平开放推动高质量发展 [\"陈明\"]", "智能工厂里的“新工人” [\"钱七\"]"]);
    assert_eq!(articles[0].authors[0].affiliation.as_deref(), Some("某大学国际经济研究院教授"));
    assert!(articles[0].body.contains("\n\n## 稳步扩大制度型开放\n\n"), "{}", articles[0].body);
}
