//! Reading seed pages: the plain-text pages extracted from newspaper PDFs.
//!
//! In: a folder of `*.txt` files. Out: [`SeedPage`]s with decoded text, sorted by file name. I/O at the edge only:
//! [`decode`] is pure.

use anyhow::{Context as _, Result};
use std::path::Path;

/// One newspaper page as text.
#[derive(Debug, Clone)]
pub struct SeedPage {
    /// File name, e.g. `000_352fccf6a5b3c55c.txt`.
    pub name: String,
    /// The decoded text, `\n` line ends, no BOM.
    pub text: String,
}

/// Reads every `*.txt` page in `dir`, sorted by name.
pub fn read_seeds(dir: &Path) -> Result<Vec<SeedPage>> {
    let mut pages = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading seed folder {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let bytes = std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            pages.push(SeedPage { name, text });
        }
    }
    pages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(pages)
}

/// Decodes a page's bytes. TODO(importer): GB18030 detection, byte offset of undecodable bytes.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("byte {}: not UTF-8", e.valid_up_to()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Ok(text.replace("\r\n", "\n"))
}
