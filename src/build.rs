//! `digest build`: the recipe, one line per stage.

use anyhow::Result;
use std::path::PathBuf;
use std::time::Instant;

use crate::lexicon::Lexicon;
use crate::site::Site;

/// Where a build reads and writes.
#[derive(Debug, Clone)]
pub struct Options {
    pub seeds: PathBuf,
    pub content: PathBuf,
    pub out: PathBuf,
    pub theme: PathBuf,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub articles: usize,
    pub seconds: f64,
}

pub fn build(options: &Options) -> Result<Summary> {
    let start = Instant::now();
    let lexicon = Lexicon::built_in();
    let pages = crate::seed::read_seeds(&options.seeds)?;
    let articles: Vec<_> = pages.iter().flat_map(|p| crate::import::import_page(p, &lexicon)).collect();
    crate::content::write_content(&options.content, &articles)?;
    let site = Site::new(crate::content::read_content(&options.content)?);
    let mut files = crate::render::render(&site, &options.theme)?;
    files.extend(crate::search::build_index(&site));
    crate::output::write_site(&options.out, &files)?;
    Ok(Summary { articles: site.pages.len(), seconds: start.elapsed().as_secs_f64() })
}
