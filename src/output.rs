//! Writing the output folder. Files go to a temporary folder beside it (`public.tmp`); only when every file is
//! written does [`Staged::swap`] put it in place of the old one, so a failed build leaves the previous site as it was.
//!
//! In: [`OutputFile`]s. Out: a folder on disk. All I/O.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use crate::site::OutputFile;

/// A fully written output folder waiting to replace the real one.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    out: PathBuf,
}

/// Writes `files` into a fresh temporary folder beside `out`. Two files with one path, or a path leaving the
/// folder, are errors.
pub fn stage(out: &Path, files: &[OutputFile]) -> Result<Staged> {
    let tmp = sibling(out, "tmp")?;
    remove_if_present(&tmp)?;
    let mut seen = BTreeSet::new();
    let mut folders = BTreeSet::new();
    for file in files {
        if file.path.components().any(|c| !matches!(c, Component::Normal(_))) {
            anyhow::bail!("output path {} is not inside the output folder", file.path.display());
        }
        if !seen.insert(&file.path) {
            anyhow::bail!("two output files want the path {}", file.path.display());
        }
        folders.insert(tmp.join(&file.path).parent().map(Path::to_path_buf).unwrap_or_else(|| tmp.clone()));
    }
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    for folder in &folders {
        std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    let written = files.par_iter().try_for_each(|file| {
        let path = tmp.join(&file.path);
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))
    });
    let staged = Staged { tmp, out: out.to_path_buf() };
    if let Err(err) = written {
        staged.discard();
        return Err(err);
    }
    Ok(staged)
}

impl Staged {
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

/// `public` → `public.tmp` in the same parent folder, so the final rename stays on one file system.
fn sibling(out: &Path, suffix: &str) -> Result<PathBuf> {
    let name = out.file_name().with_context(|| format!("output folder {} has no name", out.display()))?;
    Ok(out.with_file_name(format!("{}.{suffix}", name.to_string_lossy())))
}

fn remove_if_present(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(())
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
        stage(&out, &[file("index.html", "1"), file("old.html", "x")]).unwrap().swap().unwrap();
        stage(&out, &[file("index.html", "2"), file("themes/index.html", "t")]).unwrap().swap().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(out.join("themes/index.html").exists());
        assert!(!out.join("old.html").exists());
        assert!(!dir.path().join("public.tmp").exists() && !dir.path().join("public.old").exists());
    }

    #[test]
    fn discarding_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("index.html", "1")]).unwrap().swap().unwrap();
        stage(&out, &[file("index.html", "2")]).unwrap().discard();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "1");
    }

    #[test]
    fn rejects_duplicate_and_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let err = stage(&out, &[file("a.html", "1"), file("a.html", "2")]).unwrap_err();
        assert_eq!(err.to_string(), "two output files want the path a.html");
        assert!(stage(&out, &[file("../a.html", "1")]).is_err());
    }
}
