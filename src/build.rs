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

use crate::article::Article;
use crate::content::{self, File, Generated, Manifest, Stamp};
use crate::lexicon::Lexicon;
use crate::output::{self, Staged};
use crate::render::{self, Pages, Settings, Theme};
use crate::seed::SeedFile;
use crate::site::Site;

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

/// One stage of a build and the time it took.
#[derive(Debug, Clone)]
pub struct Stage {
    pub name: &'static str,
    pub seconds: f64,
    /// CPU time over all threads, where the system tells.
    pub cpu_seconds: Option<f64>,
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
    /// Time per stage, in order.
    pub stages: Vec<Stage>,
    pub seconds: f64,
}

/// Builds with default flags.
pub fn build(options: &Options) -> Result<Summary> {
    build_with(options, &Flags::default())
}

/// Seeds → content → site → output.
pub fn build_with(options: &Options, flags: &Flags) -> Result<Summary> {
    let start = Instant::now();
    let mut clock = Clock::start();
    // Side by side here and below: these steps mostly wait on the file system or parse small files.
    let (lexicon, theme) = rayon::join(|| Lexicon::load(flags.lexicon.as_deref()), || Theme::load(&options.theme));
    let (lexicon, theme) = (lexicon?, theme?);
    let engine = engine_fingerprint(&lexicon);
    let (content, seeds) = rayon::join(|| read_content(options, flags, &engine), || list_seeds(options, &engine));
    let (old, mut parsed, existing) = content?;
    let (seeds, known) = seeds?;
    clock.lap("read");
    let Imported { fresh, cached, articles, stamps } =
        import(&seeds, &known, &lexicon, &old, &existing, &engine, flags)?;
    let mut plan = content::plan(&old, existing, fresh, &cached, &engine, flags.regenerate);
    clock.lap("import");
    parsed.extend(articles);
    let (entries, lines) = content::parse_all(&options.content, &plan.files, parsed)?;
    clock.lap("parse");
    let site = Site::from_entries(entries);
    clock.lap("site");
    let staged = crate::output::begin(&options.out)?;
    let written = write_output(&staged, &site, &theme, flags, &engine, &mut clock).and_then(|written| {
        save(&options.content, &mut plan, &site, &lines, &stamps, &engine, &staged).map(|()| written)
    });
    let (pages, output_files) = match written {
        Ok(written) => written,
        Err(err) => {
            staged.discard();
            return Err(err);
        }
    };
    clock.lap("save");
    staged.commit()?;
    clock.lap("commit");
    let mut summary = summarize(&site, &plan);
    summary.imported = seeds.len() - cached.len();
    summary.cached = cached.len();
    summary.output_files = output_files;
    summary.rendered = pages.rendered;
    summary.stages = clock.laps;
    summary.seconds = start.elapsed().as_secs_f64();
    // Freed on another thread: hundreds of thousands of allocations at 10,000 articles, which the command line
    // would otherwise wait for before it exits.
    std::thread::spawn(move || drop((site, plan, pages, lines, old, known)));
    Ok(summary)
}

/// The content folder as the previous build left it: its manifest, the parse cache (empty with `--regenerate`) and
/// the files, those unchanged since the cache was written left unread.
fn read_content(
    options: &Options,
    flags: &Flags,
    engine: &str,
) -> Result<(Manifest, content::ParseCache, BTreeMap<String, File>)> {
    let old = content::read_manifest(&options.content);
    let parsed = if flags.regenerate { content::ParseCache::new() } else { content::read_cache(&options.out, engine) };
    let existing = content::read_folder(&options.content, &parsed)?;
    Ok((old, parsed, existing))
}

/// The seed files, and each one's stamp and hash as the previous build recorded them.
fn list_seeds(options: &Options, engine: &str) -> Result<(Vec<SeedFile>, SeedStamps)> {
    let seeds = crate::seed::list_seeds(&options.seeds)?;
    Ok((seeds, output::read_cache(&options.out, output::SEEDS, engine)))
}

/// Renders the site into the staging folder (pages unchanged since the previous output are kept, not rendered),
/// then the keys and the search index. Returns what the render did and how many files the output holds.
fn write_output(
    staged: &Staged,
    site: &Site,
    theme: &Theme,
    flags: &Flags,
    engine: &str,
    clock: &mut Clock,
) -> Result<(Pages, usize)> {
    let previous = if flags.regenerate { BTreeMap::new() } else { staged.previous_keys(engine) };
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
    // Side by side: each has stretches that keep one core busy, which the other fills.
    let (pages, index) = rayon::join(
        || render::render(site, theme, &flags.settings, &previous, &sink),
        || crate::search::rebuild_index(site, staged.out(), engine),
    );
    let (pages, index) = (pages?, index?);
    bar.finish_and_clear();
    clock.lap("render+search");
    let mut files = vec![crate::output::keys_file(engine, &pages.keys)];
    files.extend(index.files);
    files.par_iter().try_for_each(|file| staged.write_if_changed(&file.path, &file.bytes))?;
    index.kept.par_iter().try_for_each(|path| staged.reuse(path))?;
    clock.lap("write");
    Ok((pages, count.into_inner() + files.len() + index.kept.len() + 2)) // + 2: the caches written after the content
}

/// Carries out the content plan, then stages the caches that describe the content as it now is: parsed front matter
/// with each file's stamp (known only once written; `lines` are the previous cache's lines still true) and the
/// seeds' stamps.
fn save(
    dir: &Path,
    plan: &mut content::Plan,
    site: &Site,
    lines: &content::Lines,
    seeds: &SeedStamps,
    engine: &str,
    staged: &Staged,
) -> Result<()> {
    content::apply(dir, plan)?;
    let articles = site.pages.iter().map(|page| &page.article);
    let caches =
        [content::cache_file(engine, &plan.files, articles, lines), output::cache_file(output::SEEDS, engine, seeds)];
    caches.iter().try_for_each(|cache| staged.write(&cache.path, &cache.bytes))
}

/// Each seed file's stamp and the hash of its text when last read (without its [`crate::seed::PageInfo`], which
/// is read at every build).
type SeedStamps = BTreeMap<String, (Stamp, String)>;

/// What [`import`] did.
#[derive(Default)]
struct Imported {
    /// The seeds imported this time.
    fresh: Vec<Generated>,
    /// The seeds whose earlier import was reused.
    cached: Vec<String>,
    /// The imported articles keyed by their Markdown, so that what was just written need not be parsed back.
    articles: content::ParseCache,
    /// Every seed's stamp and hash, for the next build.
    stamps: SeedStamps,
}

/// One seed's part in a build: its earlier import reused, or imported now.
enum Outcome {
    Reused,
    Imported(Generated, Vec<Article>),
}

/// Imports, in parallel, the seeds whose earlier import cannot be reused. A seed whose stamp is as `known` records
/// is not even read: its recorded hash stands for its text.
fn import(
    seeds: &[SeedFile],
    known: &SeedStamps,
    lexicon: &Lexicon,
    old: &Manifest,
    existing: &BTreeMap<String, File>,
    engine: &str,
    flags: &Flags,
) -> Result<Imported> {
    let reusable = |name: &str, hash: &str| !flags.regenerate && content::is_cached(old, engine, name, hash, existing);
    let bar = progress(flags.progress, seeds.len(), "importing");
    let outcomes: Vec<(Option<(Stamp, String)>, Outcome)> = seeds
        .par_iter()
        // One page per task: pages take 1–5 ms each, and with rayon's default pieces the last ones kept one core
        // busy for a tenth of a second while the other waited.
        .with_max_len(1)
        .map(|seed| {
            bar.inc(1);
            let recorded = known.get(&seed.name).filter(|(stamp, _)| Some(*stamp) == seed.stamp);
            if let Some((stamp, hash)) = recorded.filter(|(_, hash)| reusable(&seed.name, &seed.info.page_hash(hash))) {
                return Ok((Some((*stamp, hash.clone())), Outcome::Reused));
            }
            let page = crate::seed::read_seed(seed)?;
            let text_hash = content::hash(page.text.as_bytes());
            let seed_hash = seed.info.page_hash(&text_hash);
            let stamp = seed.stamp.map(|stamp| (stamp, text_hash));
            if reusable(&seed.name, &seed_hash) {
                return Ok((stamp, Outcome::Reused));
            }
            let mut articles = crate::import::import_page(&page, lexicon);
            seed.info.apply(&mut articles);
            let files =
                articles.iter().map(|article| (article.stem.clone(), File::new(article.to_markdown()))).collect();
            Ok((stamp, Outcome::Imported(Generated { seed: seed.name.clone(), seed_hash, files }, articles)))
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    let mut imported = Imported::default();
    for (seed, (stamp, outcome)) in seeds.iter().zip(outcomes) {
        if let Some(stamp) = stamp {
            imported.stamps.insert(seed.name.clone(), stamp);
        }
        match outcome {
            Outcome::Reused => imported.cached.push(seed.name.clone()),
            Outcome::Imported(generated, articles) => {
                for ((stem, file), article) in generated.files.iter().zip(articles) {
                    let cached = content::Cached { hash: file.hash.clone(), stamp: None, article, line: None };
                    imported.articles.insert(stem.clone(), cached);
                }
                imported.fresh.push(generated);
            }
        }
    }
    Ok(imported)
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

/// Changes whenever digest's code or lexicons do, so cached imports and pages are redone: the version, the hash of
/// the sources the binary was built from (`src/build_script.rs`) and the lexicon fingerprint. A binary rebuilt
/// from the same sources is the same engine, so its builds keep the caches and leave the manifest as it was.
fn engine_fingerprint(lexicon: &Lexicon) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes()).update(env!("DIGEST_SOURCE_HASH").as_bytes());
    hasher.update(lexicon.fingerprint.as_bytes());
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

/// Seconds per stage, wall and CPU.
struct Clock {
    last: Instant,
    last_cpu: Option<f64>,
    laps: Vec<Stage>,
}

impl Clock {
    fn start() -> Clock {
        Clock { last: Instant::now(), last_cpu: cpu_seconds(), laps: Vec::new() }
    }

    fn lap(&mut self, name: &'static str) {
        let (now, cpu) = (Instant::now(), cpu_seconds());
        let cpu_seconds = cpu.zip(self.last_cpu).map(|(now, last)| now - last);
        self.laps.push(Stage { name, seconds: (now - self.last).as_secs_f64(), cpu_seconds });
        (self.last, self.last_cpu) = (now, cpu);
    }
}

/// CPU time (user + system, all threads) this process has used so far, where the system tells (Linux:
/// `/proc/self/stat`, in clock ticks of 10 ms).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces, hence the last ')'): utime and stime are 12th and 13th.
    let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split(' ').collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}
