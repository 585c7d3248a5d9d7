//! Writing the output folder. New and changed files go to a temporary folder beside it (`public.tmp`); only when
//! the build has succeeded does [`Staged::commit`] move them into place, so a failed build leaves the previous site
//! as it was.
//!
//! A first build renames the whole temporary folder into place. Later builds touch only what changed: files the
//! build wrote are moved in one by one, files it reused stay where they are, and files it no longer produces are
//! removed — so the output ends byte-identical to a cold build without copying thousands of unchanged pages.
//!
//! In: [`OutputFile`]s. Out: a folder on disk. All I/O.

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ffi::{OsStr, OsString};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::site::OutputFile;

/// An output folder being updated through a temporary folder beside it, committed by [`Staged::commit`] once
/// complete. Files can be added from many threads at once.
#[derive(Debug)]
pub struct Staged {
    tmp: PathBuf,
    out: PathBuf,
    /// Folders already created in `tmp`, so each is made once.
    folders: Mutex<BTreeSet<PathBuf>>,
    /// Every path of the new output, written to `tmp` (`true`) or kept from `out` (`false`).
    files: Mutex<Vec<(PathBuf, bool)>>,
    /// The files in `out` when the build began, relative to it: listed once, so neither reusing pages nor
    /// removing stale files needs a look at each file. (As bytes: hashing a `Path` walks its components.)
    present: HashSet<OsString>,
}

/// Name of the file in the output folder that records each page's render key (see [`crate::render::Pages`]).
pub const KEYS: &str = ".digest-pages.json";

/// Starts a fresh temporary folder beside `out` (removing a leftover one) and lists the files `out` holds.
pub fn begin(out: &Path) -> Result<Staged> {
    let tmp = sibling(out, "tmp")?;
    remove_if_present(&tmp)?;
    std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut present = HashSet::new();
    if out.exists() {
        for entry in walkdir::WalkDir::new(out).min_depth(1) {
            let entry = entry.with_context(|| format!("reading output folder {}", out.display()))?;
            if !entry.file_type().is_dir() {
                present.insert(entry.path().strip_prefix(out)?.as_os_str().to_os_string());
            }
        }
    }
    Ok(Staged { tmp, out: out.to_path_buf(), folders: Mutex::default(), files: Mutex::default(), present })
}

impl Staged {
    /// The output folder this will update.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// The render keys recorded in the output folder by the last build of the same engine (empty if none), keeping
    /// only those whose page is still there to be reused.
    pub fn previous_keys(&self, engine: &str) -> BTreeMap<String, String> {
        let mut keys: BTreeMap<String, String> = read_cache(&self.out, KEYS, engine);
        keys.retain(|path, _| self.present.contains(OsStr::new(path)));
        keys
    }

    /// Writes one file; `path` is relative to the output folder.
    pub fn write(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        let target = self.target(path)?;
        std::fs::write(&target, bytes).with_context(|| format!("writing {}", target.display()))?;
        self.files.lock().expect("no thread panics holding it").push((path.to_path_buf(), true));
        Ok(())
    }

    /// Writes one file unless the output folder already holds exactly these bytes at `path`.
    pub fn write_if_changed(&self, path: &Path, bytes: &[u8]) -> Result<()> {
        match std::fs::read(self.out.join(path)) {
            Ok(old) if old == bytes => self.reuse(path),
            _ => self.write(path, bytes),
        }
    }

    /// Keeps the file at `path` of the current output folder as it is.
    pub fn reuse(&self, path: &Path) -> Result<()> {
        check_inside(path)?;
        self.files.lock().expect("no thread panics holding it").push((path.to_path_buf(), false));
        Ok(())
    }

    /// Where `path` goes in the temporary folder, its folder created.
    fn target(&self, path: &Path) -> Result<PathBuf> {
        check_inside(path)?;
        let target = self.tmp.join(path);
        let folder = target.parent().unwrap_or(&self.tmp);
        if !self.folders.lock().expect("no thread panics holding it").contains(folder) {
            std::fs::create_dir_all(folder).with_context(|| format!("creating {}", folder.display()))?;
            self.folders.lock().expect("no thread panics holding it").insert(folder.to_path_buf());
        }
        Ok(target)
    }

    /// Makes the output folder hold exactly the staged files: the new ones moved in, the reused ones left, every
    /// other file removed.
    pub fn commit(self) -> Result<()> {
        let mut files = self.files.into_inner().expect("no thread panics holding it");
        // Byte order: comparing paths component by component is several times slower, and ours are normalized.
        files.sort_unstable_by(|a, b| a.0.as_os_str().cmp(b.0.as_os_str()));
        if let Some(pair) = files.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            let _ = std::fs::remove_dir_all(&self.tmp);
            anyhow::bail!("two output files want the path {}", pair[0].0.display());
        }
        if files.iter().all(|(_, written)| *written) {
            return replace_whole(&self.tmp, &self.out);
        }
        let keep: HashSet<&OsStr> = files.iter().map(|(path, _)| path.as_os_str()).collect();
        remove_others(&self.out, self.present.iter().filter(|path| !keep.contains(path.as_os_str())).map(Path::new))?;
        let written: Vec<&Path> =
            files.iter().filter(|(_, written)| *written).map(|(path, _)| path.as_path()).collect();
        move_all(&self.tmp, &self.out, &written)?;
        remove_if_present(&self.tmp)
    }

    /// Removes the staged folder, leaving the output folder as it was.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.tmp);
    }
}

/// Name of the file in the output folder that records each seed file's stamp and hash, so unchanged seeds are
/// not read again.
pub const SEEDS: &str = ".digest-seeds.json";

/// A cache file's contents: the engine that wrote it (see [`crate::build`]'s fingerprint) and the data.
#[derive(serde::Serialize, serde::Deserialize)]
struct Tagged<T> {
    engine: String,
    data: T,
}

/// The data of cache file `name` in `out`, if the same engine wrote it (otherwise, or if missing, the default).
pub fn read_cache<T: serde::de::DeserializeOwned + Default>(out: &Path, name: &str, engine: &str) -> T {
    let tagged: Option<Tagged<T>> = std::fs::read(out.join(name)).ok().and_then(|b| serde_json::from_slice(&b).ok());
    tagged.filter(|t| t.engine == engine).map(|t| t.data).unwrap_or_default()
}

/// Cache file `name` holding `data`, tagged with `engine`.
pub fn cache_file<T: serde::Serialize>(name: &str, engine: &str, data: T) -> OutputFile {
    let json = serde_json::to_string(&Tagged { engine: engine.to_string(), data }).expect("cache data serializes");
    OutputFile { path: name.into(), bytes: (json + "\n").into_bytes() }
}

/// The keys file for the next build.
pub fn keys_file(engine: &str, pages: &BTreeMap<String, String>) -> OutputFile {
    cache_file(KEYS, engine, pages)
}

fn check_inside(path: &Path) -> Result<()> {
    if path.components().any(|c| !matches!(c, Component::Normal(_))) {
        anyhow::bail!("output path {} is not inside the output folder", path.display());
    }
    Ok(())
}

/// Puts `tmp` in place of `out`.
fn replace_whole(tmp: &Path, out: &Path) -> Result<()> {
    let old = sibling(out, "old")?;
    remove_if_present(&old)?;
    if out.exists() {
        std::fs::rename(out, &old).with_context(|| format!("moving {} aside to {}", out.display(), old.display()))?;
    }
    std::fs::rename(tmp, out).with_context(|| format!("moving {} to {}", tmp.display(), out.display()))?;
    remove_if_present(&old)
}

/// Removes the `stale` files of `out` (paths relative to it), then the folders they leave empty.
fn remove_others<'a>(out: &Path, stale: impl Iterator<Item = &'a Path>) -> Result<()> {
    let stale: Vec<&Path> = stale.collect();
    stale.par_iter().try_for_each(|path| {
        let path = out.join(path);
        std::fs::remove_file(&path).with_context(|| format!("removing {}", path.display()))
    })?;
    let folders: BTreeSet<&Path> = stale.iter().flat_map(|path| path.ancestors().skip(1)).collect();
    let mut folders: Vec<&Path> = folders.into_iter().collect();
    folders.sort_by_key(|folder| std::cmp::Reverse(folder.components().count())); // the deepest first
    for folder in folders.into_iter().filter(|folder| !folder.as_os_str().is_empty()) {
        let _ = std::fs::remove_dir(out.join(folder)); // fails, as it should, unless the folder is now empty
    }
    Ok(())
}

/// Moves `paths` from `tmp` into `out`, replacing what is there; each folder is made once.
fn move_all(tmp: &Path, out: &Path, paths: &[&Path]) -> Result<()> {
    let folders: BTreeSet<&Path> = paths.iter().filter_map(|path| path.parent()).collect();
    for folder in folders {
        let folder = out.join(folder);
        std::fs::create_dir_all(&folder).with_context(|| format!("creating {}", folder.display()))?;
    }
    paths.par_iter().try_for_each(|path| {
        let target = out.join(path);
        std::fs::rename(tmp.join(path), &target).with_context(|| format!("moving {} into place", target.display()))
    })
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

    /// Writes `files` into a fresh temporary folder beside `out`, and keeps the `reused` paths of `out` itself. Two
    /// files with one path, or a path leaving the folder, are errors.
    fn stage(out: &Path, files: &[OutputFile], reused: &[PathBuf]) -> Result<Staged> {
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

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn replaces_the_output_folder_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("index.html", "1"), file("old.html", "x")], &[]).unwrap().commit().unwrap();
        stage(&out, &[file("index.html", "2"), file("themes/index.html", "t")], &[]).unwrap().commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "2");
        assert!(out.join("themes/index.html").exists());
        assert!(!out.join("old.html").exists());
        assert!(!dir.path().join("public.tmp").exists() && !dir.path().join("public.old").exists());
    }

    #[test]
    fn discarding_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("index.html", "1")], &[]).unwrap().commit().unwrap();
        stage(&out, &[file("index.html", "2")], &[]).unwrap().discard();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "1");
    }

    #[test]
    fn rejects_duplicate_and_escaping_paths() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let err = stage(&out, &[file("a.html", "1"), file("a.html", "2")], &[]).unwrap().commit().unwrap_err();
        assert_eq!(err.to_string(), "two output files want the path a.html");
        assert!(!out.exists() && !dir.path().join("public.tmp").exists());
        assert!(stage(&out, &[file("../a.html", "1")], &[]).is_err());
    }

    #[test]
    fn reuses_pages_of_the_previous_output_and_reads_only_keys_of_existing_pages() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let keys: BTreeMap<String, String> =
            [("a.html", "k1"), ("gone.html", "k2")].into_iter().map(|(p, k)| (p.to_string(), k.to_string())).collect();
        let first = [OutputFile { path: "a.html".into(), bytes: b"A".to_vec() }, keys_file("e1", &keys)];
        stage(&out, &first, &[]).unwrap().commit().unwrap();
        assert!(begin(&out).unwrap().previous_keys("e2").is_empty());
        let read = begin(&out).unwrap().previous_keys("e1");
        assert_eq!(read.keys().collect::<Vec<_>>(), ["a.html"]);
        stage(&out, &[], &["a.html".into()]).unwrap().commit().unwrap();
        assert_eq!(std::fs::read(out.join("a.html")).unwrap(), b"A");
    }

    #[test]
    fn an_update_moves_in_new_files_keeps_reused_ones_and_removes_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = [file("a.html", "A"), file("b/old.html", "B"), file("c/x.html", "C"), file("s.js", "S")];
        stage(&out, &first, &[]).unwrap().commit().unwrap();
        let staged = stage(&out, &[file("c/x.html", "C2"), file("d/new.html", "D")], &["a.html".into()]).unwrap();
        staged.write_if_changed(Path::new("s.js"), b"S").unwrap();
        staged.commit().unwrap();
        let mut found: Vec<String> = walkdir::WalkDir::new(&out)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(&out).unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        assert_eq!(found, ["a.html", "c", "c/x.html", "d", "d/new.html", "s.js"]);
        assert_eq!(std::fs::read(out.join("c/x.html")).unwrap(), b"C2");
        assert!(!dir.path().join("public.tmp").exists());
    }

    #[test]
    fn write_if_changed_skips_identical_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        stage(&out, &[file("s.js", "S"), file("t.js", "T")], &[]).unwrap().commit().unwrap();
        let staged = begin(&out).unwrap();
        staged.write_if_changed(Path::new("s.js"), b"S").unwrap();
        staged.write_if_changed(Path::new("t.js"), b"T2").unwrap();
        assert!(!dir.path().join("public.tmp/s.js").exists() && dir.path().join("public.tmp/t.js").exists());
        staged.commit().unwrap();
        assert_eq!(std::fs::read(out.join("t.js")).unwrap(), b"T2");
    }
}
