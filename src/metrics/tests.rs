//! Behaviour of the whole extractor on short texts and on the fixtures in `tests/fixtures/metrics/`.

use super::*;
use crate::lexicon::Lexicon;

fn found(text: &str) -> Vec<(String, f64, String)> {
    let lexicon = Lexicon::built_in();
    extract(text, Context::Body, &lexicon.units).into_iter().map(|m| (m.text, m.value, m.unit)).collect()
}

fn values(text: &str) -> Vec<(f64, String)> {
    found(text).into_iter().map(|(_, v, u)| (v, u)).collect()
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/metrics/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn pair(v: f64, u: &str) -> (f64, String) {
    (v, u.to_string())
}

#[test]
fn normalizes_amounts_with_scales() {
    assert_eq!(
        found("出口达到16.3亿元、同比增长39.8%"),
        vec![("16.3亿元".to_string(), 1_630_000_000.0, "元".to_string()), ("39.8%".to_string(), 39.8, "%".to_string()),]
    );
    assert_eq!(values("GDP超3万亿元的城市"), vec![pair(3e12, "元")]);
    assert_eq!(values("金额将达1080万美元。"), vec![pair(10_800_000.0, "美元")]);
}

#[test]
fn keeps_approximations_in_the_text_and_as_qualifier() {
    let lexicon = Lexicon::built_in();
    let metrics = extract("已聚集超200名科研人员，孵化企业40余家，降低成本20%以上。", Context::Body, &lexicon.units);
    let texts: Vec<_> = metrics.iter().map(|m| (m.text.as_str(), m.qualifier.as_deref())).collect();
    assert_eq!(texts, vec![("超200名", Some("超")), ("40余家", Some("余")), ("20%以上", Some("以上"))]);
}

#[test]
fn reads_chinese_numeral_magnitudes_fractions_and_durations() {
    assert_eq!(values("已服务超百万小微客户；服务师生百万人"), vec![pair(1e6, "户"), pair(1e6, "人")]);
    assert_eq!(values("现场建言纳智上百条"), vec![pair(100.0, "条")]);
    assert_eq!(values("仅为四川成都的六分之一。"), vec![pair(0.166667, "ratio")]);
    assert_eq!(values("本次培训为期两天"), vec![pair(2.0, "天")]);
}

#[test]
fn reads_rates_ranks_and_percentage_points() {
    assert_eq!(found("航班已实现每周24班次"), vec![("每周24班次".to_string(), 24.0, "班次/周".to_string())]);
    assert_eq!(
        values("位居全国前5位，增速超出全国平均水平34.5个百分点"),
        vec![pair(5.0, "位"), pair(34.5, "个百分点")]
    );
}

#[test]
fn skips_dates_ordinals_identifiers_and_descriptors() {
    let text = "6月17日，第二十次集体学习、六届五十六次主席会议在2025年召开；项目24SKGH153、5G和8D，\
        从三个维度发力，四大领域，近10年来，第2个五年，万家灯火，千行百业，每生产一台整车，成立25周年。";
    assert_eq!(found(text), vec![]);
}

#[test]
fn skips_slogans_in_quotes_and_their_repetitions() {
    let text = "健全“33618”现代制造业集群体系。强算力拓场景实现5个跃升。生态体系“5个跃升”。";
    assert_eq!(found(text), vec![]);
}

#[test]
fn keeps_counts_inside_a_long_quotation() {
    let text = "提出“优先发展空天信息、生物制造、前沿新材料、人工智能、低空经济等6个高成长未来产业”。";
    assert_eq!(values(text), vec![pair(6.0, "个")]);
}

#[test]
fn repairs_spaces_and_wraps_inside_numbers() {
    assert_eq!(values("货值 467 亿元、同比增长\n67%"), vec![pair(46_700_000_000.0, "元"), pair(67.0, "%")]);
    assert_eq!(values("跨境融资超过62亿美\n元"), vec![pair(6_200_000_000.0, "美元")]);
}

#[test]
fn reads_ranges_as_both_ends() {
    assert_eq!(values("成本降低10%-20%"), vec![pair(10.0, "%"), pair(20.0, "%")]);
}

#[test]
fn gives_the_year_printed_before_the_number_only() {
    let lexicon = Lexicon::built_in();
    let text = "实现累计贸易额超2.5亿元，直接带动2024年重庆农产品出口达到16.3亿元。";
    let years: Vec<_> = extract(text, Context::Body, &lexicon.units).iter().map(|m| m.year).collect();
    assert_eq!(years, vec![None, Some(2024)]);
}

#[test]
fn describes_what_is_measured_and_where() {
    let lexicon = Lexicon::built_in();
    let text = "2024年，重庆经西部陆海新通道共运输货物25.18万标箱、同比增长41%。";
    let metrics = extract(text, Context::Databox, &lexicon.units);
    assert_eq!(metrics[0].measure, "重庆经西部陆海新通道共运输货物");
    assert_eq!(metrics[0].qualifier.as_deref(), Some("共"));
    assert!(
        metrics[1].measure.contains("运输货物") && metrics[1].measure.contains("同比增长"),
        "{}",
        metrics[1].measure
    );
    assert_eq!(metrics[1].sentence, text);
    assert_eq!(metrics[1].context, Context::Databox);
}

#[test]
fn finds_no_metrics_in_a_roundtable_without_numbers() {
    assert_eq!(found(&fixture("roundtable.txt")), vec![]);
}

#[test]
fn reads_a_brief_with_half_width_punctuation() {
    let got = values(&fixture("brief_half_width.txt"));
    let want = vec![
        pair(6.8, "%"),
        pair(0.5, "个百分点"),
        pair(12.3, "%"),
        pair(16.2, "%"),
        pair(156_000.0, "户"),
        pair(42_000.0, "家"),
        pair(9.0, "%"),
        pair(11.0, "%"),
        pair(1_200_000.0, "辆"),
        pair(3.0, "倍"),
        pair(80_000.0, "个"),
        pair(15_000.0, "个"),
        pair(230_000_000.0, "人次"),
        pair(260_000_000_000.0, "元"),
        pair(5_000_000_000.0, "元"),
        pair(3.0, "年"),
        pair(100_000.0, "吨"),
    ];
    assert_eq!(got, want);
}

#[test]
fn reads_full_width_digits() {
    assert_eq!(
        values(&fixture("full_width.txt")),
        vec![pair(123_450_000_000.0, "元"), pair(5.6, "%"), pair(45.0, "%")]
    );
}

#[test]
fn reads_common_newspaper_patterns() {
    assert_eq!(values("全市常住人口3190万，"), vec![pair(31_900_000.0, "人")]);
    assert_eq!(
        values("地区生产总值达2.5万亿，增长一倍，用5年时间"),
        vec![pair(2.5e12, "元"), pair(1.0, "倍"), pair(5.0, "年")]
    );
    assert_eq!(values("吸引百余家企业、十余个国家参展"), vec![pair(100.0, "家"), pair(10.0, "个")]);
    assert_eq!(values("比上年提高两个百分点"), vec![pair(2.0, "个百分点")]);
    assert_eq!(values("三家银行联合发布，两位专家点评"), vec![pair(3.0, "家")]);
    assert_eq!(values("单价1.2万—1.5万元"), vec![pair(12_000.0, "元"), pair(15_000.0, "元")]);
    assert_eq!(values("吸引3万多名游客，耗时近3个月"), vec![pair(30_000.0, "名"), pair(3.0, "个月")]);
}

#[test]
fn skips_time_frames_and_idioms() {
    assert_eq!(found("前5个月，近3个月来，成千上万的游客"), vec![]);
    assert_eq!(found("从3个方面发力，抓好5个重点"), vec![]);
    assert_eq!(found("游客登上五台山，走过三元里，坚持“五位一体”，落实八项规定"), vec![]);
    assert_eq!(found("强算力拓场景实现5个跃升"), vec![]);
}

#[test]
fn reads_a_national_statistics_release() {
    let want = [
        pair(66_053_600_000_000.0, "元"),
        pair(5.3, "%"),
        pair(0.1, "个百分点"),
        pair(3_066_000_000_000.0, "元"),
        pair(3.7, "%"),
        pair(25_506_900_000_000.0, "元"),
        pair(5.3, "%"),
        pair(37_480_800_000_000.0, "元"),
        pair(5.5, "%"),
        pair(6.4, "%"),
        pair(9.5, "%"),
        pair(16.3, "%"),
        pair(6.8, "%"),
        pair(0.5, "%"),
        pair(24_545_800_000_000.0, "元"),
        pair(5.0, "%"),
        pair(7_400_000_000_000.0, "元"),
        pair(8.5, "%"),
        pair(5.2, "%"),
        pair(0.1, "个百分点"),
        pair(21_840.0, "元"),
        pair(5.3, "%"),
        pair(1.7, "个百分点"),
        pair(4_559_000.0, "个"),
        pair(308_000.0, "个"),
        pair(36_890_000.0, "辆"),
        pair(0.1, "ratio"),
        pair(25_000.0, "个"),
        pair(4_000_000.0, "户"),
        pair(120_000_000.0, "人次"),
    ];
    assert_eq!(values(&fixture("economy_news.txt")), want);
}

#[test]
fn reads_a_village_feature_with_chinese_numerals() {
    let want = [
        pair(100_000.0, "人次"),
        pair(865_000.0, "元"),
        pair(4.0, "倍"),
        pair(21_000.0, "元"),
        pair(42.0, "家"),
        pair(600.0, "张"),
        pair(200.0, "名"),
        pair(60.0, "%"),
        pair(3.0, "个"),
        pair(5000.0, "亩"),
        pair(10_000.0, "元"),
        pair(12.0, "公里"),
    ];
    assert_eq!(values(&fixture("village_feature.txt")), want);
}

#[test]
fn finds_no_metrics_in_a_commentary_full_of_numerals() {
    assert_eq!(found(&fixture("commentary.txt")), vec![]);
}

#[test]
fn reads_each_line_of_a_data_box_as_one_item() {
    let lexicon = Lexicon::built_in();
    let text = "累计签约项目346个，新设企业167家\n跨境融资模式已带动西部10个省区跨境融资超过62亿美元";
    let metrics = extract(text, Context::Databox, &lexicon.units);
    assert_eq!(metrics.len(), 4);
    assert_eq!(metrics[2].sentence, "跨境融资模式已带动西部10个省区跨境融资超过62亿美元");
}

#[test]
fn never_panics_on_any_slice_of_a_page() {
    let lexicon = Lexicon::built_in();
    let dir = format!("{}/seeds", env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    pages.sort();
    for page in pages {
        let text = std::fs::read_to_string(page).unwrap();
        let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(41).collect();
        for (n, &start) in bounds.iter().enumerate() {
            let end = bounds.get(n + 5).copied().unwrap_or(text.len());
            for context in [Context::Body, Context::Databox] {
                for m in extract(&text[start..end], context, &lexicon.units) {
                    assert!(m.sentence.contains(&m.text), "{m:?}");
                }
            }
        }
    }
}

#[test]
fn splits_sentences_at_half_width_periods_but_not_decimals() {
    let lexicon = Lexicon::built_in();
    let metrics = extract("工业增加值增长6.8%.其中,高技术制造业增长12.3%.", Context::Body, &lexicon.units);
    let sentences: Vec<_> = metrics.iter().map(|m| m.sentence.as_str()).collect();
    assert_eq!(sentences, ["工业增加值增长6.8%.", "其中,高技术制造业增长12.3%."]);
}

#[test]
fn reads_traditional_characters() {
    assert_eq!(
        values("全年營收達12.5億元，增長3個百分點，服務兩萬名旅客"),
        vec![pair(1_250_000_000.0, "元"), pair(3.0, "个百分点"), pair(20_000.0, "名")]
    );
}
