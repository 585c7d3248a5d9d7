//! Cargo's build script (`build` in Cargo.toml), not a module of digest: hashes digest's sources into
//! `DIGEST_SOURCE_HASH`, which [`crate::build`]'s engine fingerprint uses. A binary rebuilt from the same sources
//! then keeps the caches and the content manifest of earlier builds; any change to the code, the built-in lexicons
//! or the locked dependencies makes the next build import and render everything again.

use std::path::{Path, PathBuf};

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("Cargo.toml"), root.join("Cargo.lock")];
    collect(&root.join("src"), &mut files);
    files.sort();
    let mut hash = Fnv128::new();
    for path in &files {
        // Cargo.lock is absent when digest is a dependency; its absence is part of the hash like any content.
        let bytes = std::fs::read(path).unwrap_or_default();
        hash.write(path.strip_prefix(&root).unwrap_or(path).to_string_lossy().as_bytes());
        hash.write(&[0]);
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    println!("cargo:rustc-env=DIGEST_SOURCE_HASH={}", hash.hex());
    for watched in ["src", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={watched}");
    }
}

/// Every file under `dir`.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Two FNV-1a hashes with different starting values: a change detector, not a cryptographic hash (a build script
/// cannot use digest's own dependencies without declaring them again).
struct Fnv128([u64; 2]);

impl Fnv128 {
    fn new() -> Fnv128 {
        Fnv128([0xcbf2_9ce4_8422_2325, 0x6c62_272e_07bb_0142])
    }

    fn write(&mut self, bytes: &[u8]) {
        for h in &mut self.0 {
            for &b in bytes {
                *h = (*h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }

    fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.0[0], self.0[1])
    }
}
