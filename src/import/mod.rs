//! The importer: one seed page in, its articles out, annotated. Pure: no I/O.
//!
//! TODO(importer): this is a placeholder that makes the whole page one article, so the pipeline runs end to end.

use crate::article::{Article, Context, Kind, Source};
use crate::lexicon::Lexicon;
use crate::seed::SeedPage;
use serde::Deserialize;

/// Layout words the importer recognizes: section labels, metadata markers, … (`src/lexicon/layout.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LayoutLexicon {}

/// Splits a page into articles and annotates each. Stems are `<seed stem>-<nn>` in reading order.
pub fn import_page(page: &SeedPage, lexicon: &Lexicon) -> Vec<Article> {
    let seed_stem = page.name.trim_end_matches(".txt");
    let title = page.text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("无题").to_string();
    let body = page.text.trim().to_string();
    let metrics = crate::metrics::extract(&body, Context::Body, &lexicon.units);
    let themes = crate::themes::assign(&title, &body, &lexicon.themes);
    vec![Article {
        stem: format!("{seed_stem}-01"),
        title,
        title_inferred: false,
        kicker: None,
        subtitle: None,
        section: None,
        kind: Kind::Commentary,
        date: None,
        authors: vec![],
        themes,
        metrics,
        source: Some(Source { seed: page.name.clone(), line: 1 }),
        captions: vec![],
        warnings: vec![],
        body,
    }]
}
