//! Metric extraction: sentences in, normalized quantitative statements out. Pure: no I/O.
//!
//! TODO(metrics): placeholder.

use crate::article::{Context, Metric};
use serde::Deserialize;

/// Units, scales, qualifiers and stop words (`src/lexicon/units.yaml`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct UnitLexicon {}

/// Finds the metrics in `text` (one article's body, headline, data box, …).
pub fn extract(_text: &str, _context: Context, _units: &UnitLexicon) -> Vec<Metric> {
    Vec::new()
}
