//! `digest build`: the recipe, one line per stage. Reads seeds, the content folder and the theme; writes the content
//! folder and the output folder. Nothing is written until everything was read, parsed and rendered, so a failed
//! build leaves `content/` and `public/` as they were.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use crate::content::{self, Generated, Manifest};
use crate::lexicon::Lexicon;
use crate::output::Staged;
use crate::render::{self, Pages, Settings, Theme};
use crate::seed::SeedPage;
use crate::site::{OutputFile, Site};

/// Where a build reads and writes.
#[derive(Debug, Clone)]
pub struct Options {
    pub seeds: PathBuf,
    pub content: PathBuf,
    pub out: PathBuf,
    pub theme: PathBuf,
}

/// How a build behaves, beyond where it reads and writes.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Overwrite hand-edited content files with freshly generated ones.
    pub regenerate: bool,
    /// A folder of lexicon files replacing the built-in ones (see [`Lexicon::load`]).
    pub lexicon: Option<PathBuf>,
    /// Show progress bars (the CLI turns them on for terminals only).
    pub progress: bool,
    pub settings: Settings,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub articles: usize,
    pub themes: usize,
    pub authors: usize,
    pub metrics: usize,
    pub conflicts: usize,
    /// Warnings the importer left in articles.
    pub warnings: usize,
    /// Seeds imported this time, and seeds whose earlier import was reused.
    pub imported: usize,
    pub cached: usize,
    /// Content files written and removed.
    pub written: usize,
    pub removed: usize,
    /// Hand-edited content files kept (stems), and those whose seed no longer produces them.
    pub kept: Vec<String>,
    pub orphans: Vec<String>,
    /// Articles in content/ that no seed produced.
    pub own: usize,
    pub output_files: usize,
    /// Pages rendered this time (the others were unchanged and reused from the previous output).
    pub rendered: usize,
    /// Seconds per stage, in order.
    pub stages: Vec<(&'static str, f64)>,
    pub seconds: f64,
}

/// Builds with default flags.
pub fn build(options: &Options) -> Result<Summary> {
    build_with(options, &Flags::default())
}

/// Seeds → content → site → output.
pub fn build_with(options: &Options, flags: &Flags) -> Result<Summary> {
    let start = Instant::now();
    let mut clock = Clock { last: start, laps: Vec::new() };
    let lexicon = Lexicon::load(flags.lexicon.as_deref())?;
    let theme = Theme::load(&options.theme)?;
    let engine = engine_fingerprint(&lexicon);
    let old = content::read_manifest(&options.content);
    let existing = content::read_folder(&options.content)?;
    clock.lap("content");
    let seeds = crate::seed::read_seeds(&options.seeds)?;
    clock.lap("seeds");
    let (fresh, cached) = import(&seeds, &lexicon, &old, &existing, &engine, flags);
    let plan = content::plan(&old, existing, fresh, &cached, &engine, flags.regenerate);
    clock.lap("import");
    let parsed = if flags.regenerate { content::ParseCache::new() } else { content::read_cache(&options.out) };
    let articles = content::parse_all(&options.content, &plan.texts, &parsed)?;
    let parsed = content::cache_file(&plan.texts, &articles);
    clock.lap("parse");
    let site = Site::new(articles);
    clock.lap("site");
    let staged = crate::output::begin(&options.out)?;
    let written = write_output(&staged, &site, &theme, flags, parsed, &mut clock);
    let (pages, output_files) = match written.and_then(|w| content::apply(&options.content, &plan).map(|()| w)) {
        Ok(written) => written,
        Err(err) => {
            staged.discard();
            return Err(err);
        }
    };
    staged.swap()?;
    clock.lap("swap");
    let mut summary = summarize(&site, &plan);
    summary.imported = seeds.len() - cached.len();
    summary.cached = cached.len();
    summary.output_files = output_files;
    summary.rendered = pages.rendered;
    summary.stages = clock.laps;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Renders the site into the staging folder (pages unchanged since the previous output are linked, not
/// rendered), then the caches and the search index. Returns what the render did and how many files there are.
fn write_output(
    staged: &Staged,
    site: &Site,
    theme: &Theme,
    flags: &Flags,
    parsed: OutputFile,
    clock: &mut Clock,
) -> Result<(Pages, usize)> {
    let previous = if flags.regenerate { BTreeMap::new() } else { crate::output::read_keys(staged.out()) };
    let bar = progress(flags.progress, site.pages.len() + 100, "rendering");
    let count = AtomicUsize::new(0);
    let sink = |path: &Path, bytes: Option<&[u8]>| {
        bar.inc(1);
        count.fetch_add(1, Ordering::Relaxed);
        match bytes {
            Some(bytes) => staged.write(path, bytes),
            None => staged.reuse(path),
        }
    };
    let pages = render::render(site, theme, &flags.settings, &previous, &sink)?;
    bar.finish_and_clear();
    let mut files = vec![crate::output::keys_file(&pages.keys), parsed];
    clock.lap("render");
    let index = crate::search::rebuild_index(site, staged.out());
    files.extend(index.files);
    clock.lap("search");
    files.par_iter().try_for_each(|file| staged.write(&file.path, &file.bytes))?;
    index.kept.par_iter().try_for_each(|path| staged.reuse(path))?;
    clock.lap("write");
    Ok((pages, count.into_inner() + files.len() + index.kept.len()))
}

/// Imports the seeds whose earlier import cannot be reused, in parallel; returns them and the reused seeds' names.
fn import(
    seeds: &[SeedPage],
    lexicon: &Lexicon,
    old: &Manifest,
    existing: &BTreeMap<String, String>,
    engine: &str,
    flags: &Flags,
) -> (Vec<Generated>, Vec<String>) {
    let hashed: Vec<(&SeedPage, String)> = seeds.par_iter().map(|s| (s, content::hash(s.text.as_bytes()))).collect();
    let (cached, todo): (Vec<_>, Vec<_>) = hashed
        .into_iter()
        .partition(|(seed, hash)| !flags.regenerate && content::is_cached(old, engine, &seed.name, hash, existing));
    let bar = progress(flags.progress, todo.len(), "importing");
    let fresh = todo
        .into_par_iter()
        .map(|(seed, seed_hash)| {
            let files = crate::import::import_page(seed, lexicon)
                .into_iter()
                .map(|article| (article.stem.clone(), article.to_markdown()))
                .collect();
            bar.inc(1);
            Generated { seed: seed.name.clone(), seed_hash, files }
        })
        .collect();
    bar.finish_and_clear();
    (fresh, cached.into_iter().map(|(seed, _)| seed.name.clone()).collect())
}

fn summarize(site: &Site, plan: &content::Plan) -> Summary {
    let articles = site.pages.iter().map(|p| &p.article);
    Summary {
        articles: site.pages.len(),
        themes: site.themes.len(),
        authors: site.authors.len(),
        metrics: articles.clone().map(|a| a.metrics.len()).sum(),
        conflicts: site.conflicts.len(),
        warnings: articles.map(|a| a.warnings.len()).sum(),
        written: plan.write.len(),
        removed: plan.remove.len(),
        kept: plan.kept.clone(),
        orphans: plan.orphans.clone(),
        own: content::own_articles(plan).len(),
        ..Summary::default()
    }
}

/// Changes whenever digest's code or lexicons do, so cached imports are redone: the version, the running
/// executable's size and modification time (a rebuilt importer is a new engine even at the same version) and the
/// lexicon fingerprint.
fn engine_fingerprint(lexicon: &Lexicon) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes()).update(lexicon.fingerprint.as_bytes());
    if let Some(meta) = std::env::current_exe().ok().and_then(|path| std::fs::metadata(path).ok()) {
        let modified = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        hasher.update(format!("{} {:?}", meta.len(), modified).as_bytes());
    }
    hasher.finalize().to_hex()[..32].to_string()
}

/// A progress bar on stderr, or a hidden one.
fn progress(enabled: bool, len: usize, message: &'static str) -> ProgressBar {
    if !enabled || len < 50 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64).with_message(message);
    if let Ok(style) = ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Seconds per stage.
struct Clock {
    last: Instant,
    laps: Vec<(&'static str, f64)>,
}

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}
