//! The `content/` folder: what digest generated there, what maintainers changed by hand, and every article in it.
//!
//! digest records what it wrote in `content/.digest-manifest.json`: for each seed page its hash and the stems it
//! produced, for each generated file the hash of the text written. A file whose bytes differ from that record was
//! edited by hand: it is kept (and reported) unless the build regenerates on purpose. A file no seed produces is a
//! maintainer's own article. The manifest is safe to delete: files are then compared with what the importer makes
//! now, and any difference counts as a hand edit.
//!
//! In: the manifest, the current files, freshly imported articles. Out: a [`Plan`] (pure, [`plan`]); the edges
//! [`read_folder`] and [`apply`] do the I/O; [`parse_all`] turns the texts into articles, with a cache.

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
    /// (stem, Markdown text) in reading order.
    pub files: Vec<(String, String)>,
}

/// What a build does to the content folder, and the folder's texts afterwards.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Every content file after the build: stem → text.
    pub texts: BTreeMap<String, String>,
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
pub fn is_cached(old: &Manifest, engine: &str, seed: &str, seed_hash: &str, texts: &BTreeMap<String, String>) -> bool {
    old.engine == engine
        && old.seeds.get(seed).is_some_and(|r| r.hash == seed_hash && r.stems.iter().all(|s| texts.contains_key(s)))
}

/// Decides, for every generated file, whether to write it or keep a hand edit, and which stale files go.
/// `existing` is the folder as read; `cached` names the seeds not re-imported (their record is carried over).
pub fn plan(
    old: &Manifest,
    existing: BTreeMap<String, String>,
    fresh: Vec<Generated>,
    cached: &[String],
    engine: &str,
    regenerate: bool,
) -> Plan {
    let mut plan = Plan {
        texts: existing,
        manifest: Manifest { engine: engine.into(), ..Manifest::default() },
        ..Plan::default()
    };
    for seed in cached {
        let record = old.seeds[seed].clone();
        for stem in &record.stems {
            let recorded = old.files.get(stem).cloned().unwrap_or_default();
            if plan.texts.get(stem).is_some_and(|text| hash(text.as_bytes()) != recorded) {
                plan.kept.push(stem.clone());
            }
            plan.manifest.files.insert(stem.clone(), recorded);
        }
        plan.manifest.seeds.insert(seed.clone(), record);
    }
    for generated in fresh {
        let mut stems = Vec::new();
        for (stem, text) in generated.files {
            let new_hash = hash(text.as_bytes());
            match plan.texts.get(&stem) {
                Some(current) if *current == text => {}
                Some(current) if !regenerate && old.files.get(&stem) != Some(&hash(current.as_bytes())) => {
                    plan.kept.push(stem.clone());
                }
                _ => {
                    plan.write.push(stem.clone());
                    plan.texts.insert(stem.clone(), text);
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
        match plan.texts.get(stem) {
            Some(text) if hash(text.as_bytes()) == *recorded => plan.remove.push(stem.clone()),
            Some(_) => plan.orphans.push(stem.clone()),
            None => {}
        }
    }
    for stem in &plan.remove {
        plan.texts.remove(stem);
    }
    plan.kept.sort();
    plan.write.sort();
    plan
}

/// Reads the manifest; a missing or unreadable one is an empty manifest (everything is then re-imported).
pub fn read_manifest(dir: &Path) -> Manifest {
    std::fs::read(dir.join(MANIFEST)).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

/// Reads every `*.md` directly in `dir` (none if `dir` does not exist): stem → text.
pub fn read_folder(dir: &Path) -> Result<BTreeMap<String, String>> {
    let mut texts = BTreeMap::new();
    if !dir.exists() {
        return Ok(texts);
    }
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading content folder {}", dir.display()))? {
        let path = entry.with_context(|| format!("reading content folder {}", dir.display()))?.path();
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else { continue };
        if path.extension().is_some_and(|e| e == "md") && !stem.starts_with('.') {
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                anyhow::anyhow!("{}:1: not UTF-8 (byte {})", path.display(), e.utf8_error().valid_up_to())
            })?;
            texts.insert(stem, text);
        }
    }
    Ok(texts)
}

/// Carries out a plan: writes new and regenerated files, removes stale ones, writes the manifest if it changed.
pub fn apply(dir: &Path, plan: &Plan) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    plan.write.par_iter().try_for_each(|stem| {
        let path = dir.join(format!("{stem}.md"));
        std::fs::write(&path, &plan.texts[stem]).with_context(|| format!("writing {}", path.display()))
    })?;
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

/// Stems in `texts` that no seed produced and digest never generated: maintainers' own articles.
pub fn own_articles(plan: &Plan) -> BTreeSet<&str> {
    plan.texts.keys().map(String::as_str).filter(|s| !plan.manifest.files.contains_key(*s)).collect()
}

mod parsed;
pub use parsed::{cache_file, parse_all, read_cache, ParseCache, PARSED};

#[cfg(test)]
mod tests;
