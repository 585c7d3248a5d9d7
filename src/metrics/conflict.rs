//! A page contradicting itself: two metrics of one page with the same unit, nearly but not exactly the same value
//! (347个 vs 346个, 217 vs 216.7亿美元) and measures that share words. Both metrics stay; this module only words
//! the warning. Pure: no I/O.

use crate::article::Metric;
use std::collections::BTreeSet;

/// Values closer than this (relative) but not equal are taken for the same figure printed two ways: rounding
/// (216.7 → 217) or a late correction (346 → 347), not two growth rates a tenth of a point apart.
const NEAR: f64 = 0.005;

/// Human-readable warnings, one per conflicting pair of values, in the order the values first appear.
pub fn conflicts(metrics: &[Metric]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    for (i, a) in metrics.iter().enumerate() {
        for b in &metrics[i + 1..] {
            if a.unit != b.unit || a.value == b.value || !near(a.value, b.value) || !related(&a.measure, &b.measure) {
                continue;
            }
            let key =
                if a.text <= b.text { (a.text.clone(), b.text.clone()) } else { (b.text.clone(), a.text.clone()) };
            if seen.insert(key) {
                warnings.push(format!(
                    "the page gives two values for one figure: {} ({}) vs {} ({}); both kept",
                    a.text, a.measure, b.text, b.measure
                ));
            }
        }
    }
    warnings
}

fn near(a: f64, b: f64) -> bool {
    let larger = a.abs().max(b.abs());
    larger > 0.0 && (a - b).abs() / larger <= NEAR
}

/// Two measures are related when they share a two-character word (bigram) of Chinese text.
fn related(a: &str, b: &str) -> bool {
    let bigrams = |s: &str| -> BTreeSet<(char, char)> {
        let chars: Vec<char> = s.chars().filter(|c| !c.is_ascii()).collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    !bigrams(a).is_disjoint(&bigrams(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::article::Context;

    fn metric(text: &str, value: f64, unit: &str, measure: &str) -> Metric {
        Metric {
            text: text.into(),
            value,
            unit: unit.into(),
            qualifier: None,
            year: None,
            measure: measure.into(),
            context: Context::Body,
            sentence: String::new(),
        }
    }

    #[test]
    fn warns_about_nearly_equal_values_of_one_measure() {
        let metrics = [
            metric("347个", 347.0, "个", "双方累计签约政府和商业合作项目"),
            metric("346个", 346.0, "个", "累计签约政府和商业合作项目"),
            metric("167家", 167.0, "家", "新加坡在渝新设企业"),
        ];
        let warnings = conflicts(&metrics);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("347个") && warnings[0].contains("346个"));
    }

    #[test]
    fn ignores_equal_values_and_unrelated_measures() {
        let metrics = [
            metric("167家", 167.0, "家", "新设企业"),
            metric("167家", 167.0, "家", "新设企业"),
            metric("168家", 168.0, "家", "孵化机构"),
            metric("5.3%", 5.3, "%", "国内生产总值同比增长"),
            metric("5.2%", 5.2, "%", "城镇调查失业率同比增长"),
        ];
        assert!(conflicts(&metrics).is_empty());
    }
}
