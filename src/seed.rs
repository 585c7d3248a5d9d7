//! Reading seed pages: the plain-text pages extracted from newspaper PDFs.
//!
//! In: a folder of `*.txt` files. Out: [`SeedFile`]s (listed, not read) and [`SeedPage`]s with decoded text, sorted
//! by file name. I/O at the edge only: [`decode`] is pure.

use anyhow::{Context as _, Result};
use std::path::{Path, PathBuf};

use crate::content::Stamp;

/// One newspaper page as text.
#[derive(Debug, Clone)]
pub struct SeedPage {
    /// File name, e.g. `000_352fccf6a5b3c55c.txt`.
    pub name: String,
    /// The decoded text, `\n` line ends, no BOM.
    pub text: String,
}

/// A seed file in the seed folder, not read yet.
#[derive(Debug, Clone)]
pub struct SeedFile {
    pub name: String,
    pub path: PathBuf,
    /// Size and modification time: a file whose stamp is unchanged since the previous build is not read again.
    pub stamp: Option<Stamp>,
}

/// Every `*.txt` file in `dir`, sorted by name.
pub fn list_seeds(dir: &Path) -> Result<Vec<SeedFile>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading seed folder {}", dir.display()))? {
        let entry = entry.with_context(|| format!("reading seed folder {}", dir.display()))?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "txt") {
            let name = entry.file_name().to_string_lossy().into_owned();
            let stamp = entry.metadata().ok().as_ref().and_then(Stamp::of);
            files.push(SeedFile { name, path, stamp });
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Reads and decodes one seed file; errors name the file.
pub fn read_seed(file: &SeedFile) -> Result<SeedPage> {
    let bytes = std::fs::read(&file.path).with_context(|| format!("reading {}", file.path.display()))?;
    let text = decode(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.path.display()))?;
    Ok(SeedPage { name: file.name.clone(), text })
}

/// Reads every `*.txt` page in `dir`, sorted by name.
pub fn read_seeds(dir: &Path) -> Result<Vec<SeedPage>> {
    list_seeds(dir)?.iter().map(read_seed).collect()
}

/// Decodes a page's bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK; CRLF and CR become `\n`.
/// A file that is neither gives an error naming the byte offset of the first byte that cannot be read.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return strict(encoding, &bytes[bom..]).map(|t| line_ends(&t)).map_err(|at| at_offset(encoding, at + bom));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(line_ends(text)),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            // Chinese text in UTF-8 before the bad byte means a damaged UTF-8 file, not a GB18030 one.
            let utf8_chinese = std::str::from_utf8(valid).is_ok_and(|t| t.chars().any(|c| c as u32 >= 0x800));
            if utf8_chinese {
                return Err(format!("byte {}: not valid UTF-8", err.valid_up_to()));
            }
            strict(encoding_rs::GB18030, bytes).map(|t| line_ends(&t)).map_err(|at| at_offset(encoding_rs::GB18030, at))
        }
    }
}

fn at_offset(encoding: &'static encoding_rs::Encoding, offset: usize) -> String {
    format!("byte {offset}: not valid {} (nor UTF-8)", encoding.name())
}

/// Decodes without replacement characters; the error is the offset of the first malformed byte.
fn strict(encoding: &'static encoding_rs::Encoding, bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3 / 2 + 16);
    let mut read = 0;
    loop {
        let capacity = decoder.max_utf8_buffer_length_without_replacement(bytes.len() - read).unwrap_or(usize::MAX);
        out.reserve(capacity.min(bytes.len() * 4 + 16));
        let (result, n) = decoder.decode_to_string_without_replacement(&bytes[read..], &mut out, true);
        read += n;
        match result {
            encoding_rs::DecoderResult::InputEmpty => return Ok(out),
            encoding_rs::DecoderResult::OutputFull => continue,
            encoding_rs::DecoderResult::Malformed(bad, extra) => {
                return Err(read - bad as usize - extra as usize);
            }
        }
    }
}

fn line_ends(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_with_and_without_bom() {
        assert_eq!(decode("重庆\n".as_bytes()).unwrap(), "重庆\n");
        assert_eq!(decode("\u{feff}重庆\n".as_bytes()).unwrap(), "重庆\n");
    }

    #[test]
    fn turns_crlf_into_newlines() {
        assert_eq!(decode("一\r\n二\r\n".as_bytes()).unwrap(), "一\n二\n");
    }

    #[test]
    fn reads_gb18030_and_gbk() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("本报讯（记者 张珺）6月11日，全市…\r\n");
        assert_eq!(decode(&bytes).unwrap(), "本报讯（记者 张珺）6月11日，全市…\n");
        let (bytes, _, _) = encoding_rs::GBK.encode("重庆日报");
        assert_eq!(decode(&bytes).unwrap(), "重庆日报");
    }

    #[test]
    fn reads_utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend("重庆".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&bytes).unwrap(), "重庆");
    }

    #[test]
    fn names_the_offset_of_a_bad_byte_in_utf8() {
        let mut bytes = "重庆日报".as_bytes().to_vec();
        bytes.push(0xff);
        bytes.extend("ok".as_bytes());
        assert_eq!(decode(&bytes).unwrap_err(), "byte 12: not valid UTF-8");
    }

    #[test]
    fn names_the_offset_of_a_bad_byte_in_gb18030() {
        let mut bytes = encoding_rs::GB18030.encode("ab重庆").0.into_owned();
        let at = bytes.len();
        bytes.extend([0xff, 0x41]);
        let err = decode(&bytes).unwrap_err();
        assert!(err.starts_with(&format!("byte {at}: ")), "{err}");
    }

    #[test]
    fn read_seeds_names_the_file_in_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("bad.txt"), [b'a', 0xff, 0xff]).unwrap();
        let err = read_seeds(dir.path()).unwrap_err().to_string();
        assert!(err.contains("bad.txt") && err.contains("byte 1"), "{err}");
    }
}
