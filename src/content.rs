//! The `content/` folder: what digest generated there, what maintainers changed by hand, and every article in it.
//!
//! digest records what it wrote in `content/.digest-manifest.json`: for each seed page its hash and the stems it
//! produced, for each generated file the hash of the text written. A file whose bytes differ from that record was
//! edited by hand: it is kept (and reported) unless the build regenerates on purpose. A file no seed produces is a
//! maintainer's own article. The manifest is safe to delete: files are then compared with what the importer makes
//! now, and any difference counts as a hand edit.
//!
//! A build reads only the files that changed since the previous one: a file whose size and modification time match
//! what the previous build recorded (in the output folder's cache, see [`parsed`]) is known by its recorded hash
//! and parsed front matter, and its body is read only when a page or the search index needs it.
//!
//! In: the manifest, the current files, freshly imported articles. Out: a [`Plan`] (pure, [`plan`]); the edges
//! [`read_folder`] and [`apply`] do the I/O; [`parse_all`] turns the files into articles, with a cache.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// File name of the manifest inside the content folder.
pub const MANIFEST: &str = ".digest-manifest.json";

/// What digest last wrote into the content folder.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Hash of digest's build and the lexicons the annotations were made with; a change re-imports every seed.
    pub engine: String,
    /// Seed file name → what it produced.
    pub seeds: BTreeMap<String, SeedRecord>,
    /// Stem → hash of the text digest generated for it.
    pub files: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedRecord {
    pub hash: String,
    pub stems: Vec<String>,
}

/// The articles one seed page produced, as content file texts.
#[derive(Debug, Clone)]
pub struct Generated {
    pub seed: String,
    pub seed_hash: String,
    /// (stem, Markdown file) in reading order.
    pub files: Vec<(String, File)>,
}

/// A content file: the hash of its bytes, and its text if it was read (files unchanged since the previous build
/// are not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub hash: String,
    pub text: Option<String>,
    /// Size and modification time when it was read or checked, if it is on disk unchanged since.
    pub stamp: Option<Stamp>,
}

impl File {
    /// A file known by its text.
    pub fn new(text: String) -> File {
        File { hash: hash(text.as_bytes()), text: Some(text), stamp: None }
    }
}

/// Size and modification time (nanoseconds since 1970) of a file: when both are as recorded, the file is taken to
/// hold the recorded bytes, as `make` and `git` do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    pub modified: u64,
}

impl Stamp {
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
        Some(Stamp { len: meta.len(), modified: u64::try_from(modified.as_nanos()).ok()? })
    }
}

/// What a build does to the content folder, and the folder's files afterwards.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every content file after the build: stem → text.
    pub files: BTreeMap<String, File>,
    /// Stems to write (new or regenerated); unchanged files are not rewritten.
    pub write: Vec<String>,
    /// Generated, unedited files whose seed no longer produces them.
    pub remove: Vec<String>,
    /// Hand-edited files kept instead of the generated text.
    pub kept: Vec<String>,
    /// Hand-edited files whose seed no longer produces them: kept as the maintainer's own.
    pub orphans: Vec<String>,
    pub manifest: Manifest,
}

/// A short content hash for the manifest.
pub fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..32].to_string()
}

/// True when `seed` with `seed_hash` was imported by the same engine and all its files are still there, so its
/// import can be skipped.
pub fn is_cached(old: &Manifest, engine: &str, seed: &str, seed_hash: &str, files: &BTreeMap<String, File>) -> bool {
    old.engine == engine
        && old.seeds.get(seed).is_some_and(|r| r.hash == seed_hash && r.stems.iter().all(|s| files.contains_key(s)))
}

/// Decides, for every generated file, whether to write it or keep a hand edit, and which stale files go.
/// `existing` is the folder as read; `cached` names the seeds not re-imported (their record is carried over).
pub fn plan(
    old: &Manifest,
    existing: BTreeMap<String, File>,
    fresh: Vec<Generated>,
    cached: &[String],
    engine: &str,
    regenerate: bool,
) -> Plan {
    let mut plan = Plan {
        files: existing,
        manifest: Manifest { engine: engine.into(), ..Manifest::default() },
        ..Plan::default()
    };
    for seed in cached {
        let record = old.seeds[seed].clone();
        for stem in &record.stems {
            let recorded = old.files.get(stem).cloned().unwrap_or_default();
            if plan.files.get(stem).is_some_and(|file| file.hash != recorded) {
                plan.kept.push(stem.clone());
            }
            plan.manifest.files.insert(stem.clone(), recorded);
        }
        plan.manifest.seeds.insert(seed.clone(), record);
    }
    for generated in fresh {
        let mut stems = Vec::new();
        for (stem, file) in generated.files {
            let new_hash = file.hash.clone();
            match plan.files.get(&stem) {
                Some(current) if current.hash == new_hash => {}
                Some(current) if !regenerate && old.files.get(&stem) != Some(&current.hash) => {
                    plan.kept.push(stem.clone());
                }
                _ => {
                    plan.write.push(stem.clone());
                    plan.files.insert(stem.clone(), file);
                }
            }
            plan.manifest.files.insert(stem.clone(), new_hash);
            stems.push(stem);
        }
        plan.manifest.seeds.insert(generated.seed, SeedRecord { hash: generated.seed_hash, stems });
    }
    for (stem, recorded) in &old.files {
        if plan.manifest.files.contains_key(stem) {
            continue;
        }
        match plan.files.get(stem) {
            Some(file) if file.hash == *recorded => plan.remove.push(stem.clone()),
            Some(_) => plan.orphans.push(stem.clone()),
            None => {}
        }
    }
    for stem in &plan.remove {
        plan.files.remove(stem);
    }
    plan.kept.sort();
    plan.write.sort();
    plan
}

/// Reads the manifest; a missing or unreadable one is an empty manifest (everything is then re-imported).
pub fn read_manifest(dir: &Path) -> Manifest {
    std::fs::read(dir.join(MANIFEST)).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

/// Every `*.md` directly in `dir` (none if `dir` does not exist): stem → file. A file whose size and modification
/// time are those `cache` recorded is not read; it is known by its recorded hash. The others are read, in parallel.
pub fn read_folder(dir: &Path, cache: &ParseCache) -> Result<BTreeMap<String, File>> {
    if !dir.exists() {
        return Ok(BTreeMap::new());
    }
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading content folder {}", dir.display()))? {
        let path = entry.with_context(|| format!("reading content folder {}", dir.display()))?.path();
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
        if path.extension().is_some_and(|e| e == "md") && !stem.starts_with('.') {
            paths.push((stem, path));
        }
    }
    paths
        .into_par_iter()
        .map(|(stem, path)| {
            let meta = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?;
            let stamp = Stamp::of(&meta);
            let file = match cache.get(&stem) {
                Some(cached) if stamp.is_some() && cached.stamp == stamp => {
                    File { hash: cached.hash.clone(), text: None, stamp }
                }
                _ => File { stamp, ..File::new(read_text(&path)?) },
            };
            Ok((stem, file))
        })
        .collect()
}

/// A content file's text; not UTF-8 is an error naming the file.
fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    String::from_utf8(bytes)
        .map_err(|e| anyhow::anyhow!("{}:1: not UTF-8 (byte {})", path.display(), e.utf8_error().valid_up_to()))
}

/// Carries out a plan: writes new and regenerated files (recording their stamps in the plan), removes stale ones,
/// writes the manifest if it changed.
pub fn apply(dir: &Path, plan: &mut Plan) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let stamps: Vec<Option<Stamp>> = plan
        .write
        .par_iter()
        .map(|stem| {
            let path = dir.join(format!("{stem}.md"));
            let text = plan.files[stem].text.as_deref().expect("files to write have their text");
            std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
            Ok(std::fs::metadata(&path).ok().as_ref().and_then(Stamp::of))
        })
        .collect::<Result<_>>()?;
    for (stem, stamp) in plan.write.iter().zip(stamps) {
        plan.files.get_mut(stem).expect("files to write are in the plan").stamp = stamp;
    }
    for stem in &plan.remove {
        let path = dir.join(format!("{stem}.md"));
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))?;
    }
    let path = dir.join(MANIFEST);
    let json = serde_json::to_string_pretty(&plan.manifest)? + "\n";
    if std::fs::read(&path).ok().as_deref() != Some(json.as_bytes()) {
        std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(())
}

/// Stems in `files` that no seed produced and digest never generated: maintainers' own articles.
pub fn own_articles(plan: &Plan) -> BTreeSet<&str> {
    plan.files.keys().map(String::as_str).filter(|s| !plan.manifest.files.contains_key(*s)).collect()
}

mod parsed;
pub use parsed::{body_of, cache_file, parse_all, read_cache, Cached, Entry, Lines, ParseCache, PARSED};

#[cfg(test)]
mod tests;
