use super::*;
use crate::article::Article;

fn generated(seed: &str, files: &[(&str, &str)]) -> Generated {
    Generated {
        seed: seed.into(),
        seed_hash: hash(seed.as_bytes()),
        files: files.iter().map(|(s, t)| (s.to_string(), File::new(t.to_string()))).collect(),
    }
}

fn folder(files: &[(&str, &str)]) -> BTreeMap<String, File> {
    files.iter().map(|(s, t)| (s.to_string(), File::new(t.to_string()))).collect()
}

/// The text a plan leaves for `stem`.
fn text<'a>(plan: &'a Plan, stem: &str) -> &'a str {
    plan.files[stem].text.as_deref().expect("read or generated")
}

/// The manifest after a first build of `fresh` into an empty folder.
fn first_build(fresh: Vec<Generated>) -> Manifest {
    plan(&Manifest::default(), BTreeMap::new(), fresh, &[], "e1", false).manifest
}

#[test]
fn writes_new_files_and_records_them() {
    let plan =
        plan(&Manifest::default(), BTreeMap::new(), vec![generated("a.txt", &[("a-01", "一")])], &[], "e1", false);
    assert_eq!(plan.write, ["a-01"]);
    assert_eq!(text(&plan, "a-01"), "一");
    assert_eq!(plan.manifest.files["a-01"], hash("一".as_bytes()));
    assert_eq!(plan.manifest.seeds["a.txt"].stems, ["a-01"]);
}

#[test]
fn leaves_unchanged_files_alone() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")])]);
    let plan = plan(&old, folder(&[("a-01", "一")]), vec![generated("a.txt", &[("a-01", "一")])], &[], "e1", false);
    assert!(plan.write.is_empty() && plan.kept.is_empty());
    assert_eq!(plan.manifest, old);
}

#[test]
fn updates_unedited_files_when_the_import_changes() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")])]);
    let plan = plan(&old, folder(&[("a-01", "一")]), vec![generated("a.txt", &[("a-01", "二")])], &[], "e2", false);
    assert_eq!(plan.write, ["a-01"]);
    assert_eq!(text(&plan, "a-01"), "二");
}

#[test]
fn keeps_hand_edits_unless_regenerating() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")])]);
    let edited = folder(&[("a-01", "一（改）")]);
    let fresh = || vec![generated("a.txt", &[("a-01", "二")])];
    let kept = plan(&old, edited.clone(), fresh(), &[], "e1", false);
    assert_eq!(kept.kept, ["a-01"]);
    assert_eq!(text(&kept, "a-01"), "一（改）");
    assert!(kept.write.is_empty());
    let regenerated = plan(&old, edited, fresh(), &[], "e1", true);
    assert_eq!(regenerated.write, ["a-01"]);
    assert_eq!(text(&regenerated, "a-01"), "二");
}

#[test]
fn without_a_manifest_any_difference_counts_as_a_hand_edit() {
    let plan = plan(
        &Manifest::default(),
        folder(&[("a-01", "改")]),
        vec![generated("a.txt", &[("a-01", "一")])],
        &[],
        "e1",
        false,
    );
    assert_eq!(plan.kept, ["a-01"]);
    assert_eq!(text(&plan, "a-01"), "改");
}

#[test]
fn removes_stale_files_only_when_unedited() {
    let old =
        first_build(vec![generated("a.txt", &[("a-01", "一"), ("a-02", "二")]), generated("b.txt", &[("b-01", "三")])]);
    let existing = folder(&[("a-01", "一"), ("a-02", "二"), ("b-01", "三（改）")]);
    let plan = plan(&old, existing, vec![generated("a.txt", &[("a-01", "一")])], &[], "e1", false);
    assert_eq!(plan.remove, ["a-02"]);
    assert_eq!(plan.orphans, ["b-01"]);
    assert!(!plan.files.contains_key("a-02"));
    assert_eq!(text(&plan, "b-01"), "三（改）");
}

#[test]
fn keeps_maintainers_own_articles() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")])]);
    let plan = plan(
        &old,
        folder(&[("a-01", "一"), ("mine", "我的")]),
        vec![generated("a.txt", &[("a-01", "一")])],
        &[],
        "e1",
        false,
    );
    assert!(plan.remove.is_empty() && plan.orphans.is_empty());
    assert_eq!(own_articles(&plan).into_iter().collect::<Vec<_>>(), ["mine"]);
}

#[test]
fn caches_seeds_only_for_the_same_hash_engine_and_files() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")])]);
    let seed_hash = hash(b"a.txt");
    let present = folder(&[("a-01", "一")]);
    assert!(is_cached(&old, "e1", "a.txt", &seed_hash, &present));
    assert!(!is_cached(&old, "e2", "a.txt", &seed_hash, &present));
    assert!(!is_cached(&old, "e1", "a.txt", "other", &present));
    assert!(!is_cached(&old, "e1", "a.txt", &seed_hash, &BTreeMap::new()));
}

#[test]
fn carries_cached_seeds_over_and_still_reports_their_hand_edits() {
    let old = first_build(vec![generated("a.txt", &[("a-01", "一")]), generated("b.txt", &[("b-01", "二")])]);
    let existing = folder(&[("a-01", "一（改）"), ("b-01", "二")]);
    let plan = plan(&old, existing, vec![], &["a.txt".into(), "b.txt".into()], "e1", false);
    assert_eq!(plan.manifest, old);
    assert_eq!(plan.kept, ["a-01"]);
    assert!(plan.write.is_empty() && plan.remove.is_empty());
}

#[test]
fn reports_broken_front_matter_with_path_and_line() {
    let texts = folder(&[("good", "---\ntitle: 好\n---\n正文\n"), ("bad", "---\ntitle: 坏\nkind: essay\n---\n")]);
    let err = parse_all(Path::new("content"), &texts, ParseCache::new()).unwrap_err().to_string();
    let expected =
        "content/bad.md:3: kind: unknown variant `essay`, expected one of `commentary`, `interview`, `news`, \
                    `brief`, `sidebar`, `continuation`, `report`";
    assert_eq!(err, expected);
}

#[test]
fn reads_only_files_whose_stamp_changed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.md"), "---\ntitle: 甲\n---\n").unwrap();
    std::fs::write(dir.path().join("b.md"), "---\ntitle: 乙\n---\n").unwrap();
    let first = read_folder(dir.path(), &ParseCache::new()).unwrap();
    assert!(first.values().all(|f| f.text.is_some() && f.stamp.is_some()));
    let article = Article::from_markdown("x", "---\ntitle: x\n---\n").unwrap();
    let cache: ParseCache = first
        .iter()
        .map(|(stem, f)| {
            (stem.clone(), Cached { hash: f.hash.clone(), stamp: f.stamp, article: article.clone(), line: None })
        })
        .collect();
    std::fs::write(dir.path().join("b.md"), "---\ntitle: 乙改\n---\n").unwrap();
    let second = read_folder(dir.path(), &cache).unwrap();
    assert_eq!((second["a"].text.as_deref(), &second["a"].hash), (None, &first["a"].hash));
    assert_eq!(second["b"].text.as_deref(), Some("---\ntitle: 乙改\n---\n"));
}
