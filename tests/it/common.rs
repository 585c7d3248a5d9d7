//! Shared set-up: the bundled seeds built once into a temporary folder, for every test that reads the output.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The repository root (where Cargo.toml is).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A finished build of `seeds/` with the default theme, in a temporary folder kept for the whole test run.
pub struct Built {
    _dir: tempfile::TempDir,
    pub content: PathBuf,
    pub out: PathBuf,
}

/// Builds the bundled seeds once; later calls return the same build.
pub fn seeds_built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let built = Built { content: dir.path().join("content"), out: dir.path().join("public"), _dir: dir };
        digest::build::build(&options(&repo().join("seeds"), &built.content, &built.out)).expect("seeds build");
        built
    })
}

/// Build options for the default theme.
pub fn options(seeds: &Path, content: &Path, out: &Path) -> digest::build::Options {
    digest::build::Options {
        seeds: seeds.to_path_buf(),
        content: content.to_path_buf(),
        out: out.to_path_buf(),
        theme: repo().join("themes/default"),
    }
}

/// Reads a TSV fixture into rows of fields, header skipped.
pub fn read_tsv(name: &str) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures").join(name)).unwrap();
    text.lines().skip(1).filter(|l| !l.is_empty()).map(|l| l.split('\t').map(str::to_string).collect()).collect()
}
