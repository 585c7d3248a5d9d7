//! The client-side search index. TODO(search): tokenizer, elasticlunr-rs index, shards, search page.

use crate::site::{OutputFile, Site};

/// The search index files for the site.
pub fn build_index(_site: &Site) -> Vec<OutputFile> {
    Vec::new()
}
