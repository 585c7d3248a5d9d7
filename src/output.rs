//! Writing the output folder: files go to a temporary folder beside it, swapped in only when all are written.

use anyhow::{Context as _, Result};
use std::path::Path;

use crate::site::OutputFile;

/// Replaces `out` with exactly `files` (plus the theme's `static/` folder copied to `static/`).
pub fn write_site(out: &Path, files: &[OutputFile]) -> Result<()> {
    let tmp = out.with_extension("tmp");
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("removing {}", tmp.display()))?;
    }
    for file in files {
        let path = tmp.join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap())?;
        std::fs::write(&path, &file.bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    }
    std::fs::rename(&tmp, out).with_context(|| format!("moving {} to {}", tmp.display(), out.display()))?;
    Ok(())
}
