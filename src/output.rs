//! Writing the output folder. Files go to a temporary folder beside it (`public.tmp`); only when every file is
//! written does [`Staged::swap`] put it in place of the old one, so a failed build leaves the previous site as it was.
//!
//! In: [`OutputFile`]s. Out: a folder on disk. All I/O.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::site::OutputFile;

/// An output folder being written beside the real one, swapped in by [`Staged::swap`] once complete. Files can be
/// added from many threads at once.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    out: PathBuf,
    /// Folders already created, so each is made once.
    folders: Mutex<BTreeSet<PathBuf>>,
}

/// Name of the file in the output folder that records each page's render key (see [`crate::render::Pages`]).
pub const KEYS: &str = ".digest-pages.json";

/// Starts a fresh temporary folder beside `out` (removing a leftover one).
pub fn begin(out: &Path) -> Result<Staged> {
    let tmp = sibling(out, "tmp")?;
    remove_if_present(&tmp)?;
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    Ok(Staged { tmp, out: out.to_path_buf(), folders: Mutex::new(BTreeSet::new()) })
}

/// Writes `files` into a fresh temporary folder beside `out`, and links (or copies) the `reused` paths from `out`
/// itself. Two files with one path, or a path leaving the folder, are errors.
pub fn stage(out: &Path, files: &[OutputFile], reused: &[PathBuf]) -> Result<Staged> {
    let mut seen = BTreeSet::new();
    if let Some(path) = files.iter().map(|f| &f.path).chain(reused).find(|p| !seen.insert(*p)) {
        anyhow::bail!("two output files want the path {}", path.display());
    }
    let staged = begin(out)?;
    let written = files
        .par_iter()
        .try_for_each(|file| staged.write(&file.path, &file.bytes))
        .and_then(|()| reused.par_iter().try_for_each(|path| staged.reuse(path)));
    if let Err(err) = written {
        staged.discard();
        return Err(err);
    }
    Ok(staged)
}

impl Staged {
    /// The output folder this will replace.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Writes one file; `path` is relative to the output folder.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let target = self.target(path)?;
        std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))
    }

    /// Takes the file at `path` from the current output folder unchanged.
    pub fn reuse(&self, path: &Path) -> Result<()> {
        let target = self.target(path)?;
        link_or_copy(&self.out.join(path), &target)
    }

    /// Where `path` goes in the temporary folder, its folder created.
    fn target(&self, path: &Path) -> Result<PathBuf> {
        if path.components().any(|c| !matches!(c, Component::Normal(_))) {
            anyhow::bail!("output path {} is not inside the output folder", path.display());
        }
        let target = self.tmp.join(path);
        let folder = target.parent().unwrap_or(&self.tmp);
        if !self.folders.lock().expect("no thread panics holding it").contains(folder) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
            self.folders.lock().expect("no thread panics holding it").insert(folder.to_path_buf());
        }
        Ok(target)
    }

    /// Puts the staged folder in place of the output folder.
    pub fn swap(self) -> Result<()> {
        let old = sibling(&self.out, "old")?;
        remove_if_present(&old)?;
        if self.out.exists() {
            std::fs::rename(&self.out, &old)
                .with_context(|| format!("moving {} aside to {}", self.out.display(), old.display()))?;
        }
        std::fs::rename(&self.tmp, &self.out)
            .with_context(|| format!("moving {} to {}", self.tmp.display(), self.out.display()))?;
        remove_if_present(&old)
    }

    /// Removes the staged folder, leaving the output folder as it was.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// The render keys recorded in the output folder by the last build (empty if none), keeping only those whose
/// page is still there to be reused.
pub fn read_keys(out: &Path) -> BTreeMap<String, String> {
    let keys: BTreeMap<String, String> =
        std::fs::read(out.join(KEYS)).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    keys.into_par_iter().filter(|(path, _)| out.join(path).is_file()).collect()
}

/// The keys file for the next build.
pub fn keys_file(keys: &BTreeMap<String, String>) -> OutputFile {
    let json = serde_json::to_string(keys).expect("a map of strings serializes") + "\n";
    OutputFile { path: KEYS.into(), bytes: json.into_bytes() }
}

/// A hard link shares the unchanged page with the previous output at no cost; where links fail, a copy.
fn link_or_copy(from: &Path, to: &Path) -> Result<()> {
    if std::fs::hard_link(from, to).is_err() {
        std::fs::copy(from, to).with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    }
    Ok(())
}

/// `public` → `public.tmp` in the same parent folder, so the final rename stays on one file system.
fn sibling(out: &Path, suffix: &str) -> Result<PathBuf> {
    let name = out.file_name().with_context(|| format!("output folder {} has no name", out.display()))?;
    Ok(out.with_file_name(format!("{}.{suffix}", name.to_string_lossy())))
}

/// Removes a folder tree, its files in parallel (an output folder holds many thousands).
fn remove_if_present(dir: &Path) -> Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    let files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    files
        .par_iter()
        .try_for_each(std::fs::remove_file)
        .with_context(|| format!("removing files in {}", dir.display()))?;
    std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn replaces_the_output_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("index.html", "1"), file("old.html", "x")], &[]).unwrap().swap().unwrap();
        stage(&out, &[file("index.html", "2"), file("themes/index.html", "t")], &[]).unwrap().swap().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(out.join("themes/index.html").exists());
        assert!(!out.join("old.html").exists());
        assert!(!dir.path().join("public.tmp").exists() && !dir.path().join("public.old").exists());
    }

    #[test]
    fn discarding_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("index.html", "1")], &[]).unwrap().swap().unwrap();
        stage(&out, &[file("index.html", "2")], &[]).unwrap().discard();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "1");
    }

    #[test]
    fn rejects_duplicate_and_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let err = stage(&out, &[file("a.html", "1"), file("a.html", "2")], &[]).unwrap_err();
        assert_eq!(err.to_string(), "two output files want the path a.html");
        assert!(stage(&out, &[file("../a.html", "1")], &[]).is_err());
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::*;

    #[test]
    fn reuses_pages_of_the_previous_output_and_reads_only_keys_of_existing_pages() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let keys: BTreeMap<String, String> =
            [("a.html", "k1"), ("gone.html", "k2")].into_iter().map(|(p, k)| (p.to_string(), k.to_string())).collect();
        let first = [OutputFile { path: "a.html".into(), bytes: b"A".to_vec() }, keys_file(&keys)];
        stage(&out, &first, &[]).unwrap().swap().unwrap();
        let read = read_keys(&out);
        assert_eq!(read.keys().collect::<Vec<_>>(), ["a.html"]);
        stage(&out, &[], &["a.html".into()]).unwrap().swap().unwrap();
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"A");
    }
}
