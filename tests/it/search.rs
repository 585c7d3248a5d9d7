//! Search: tokenizer parity between Rust and the page's JavaScript, the index snapshot of a small fixture site, and
//! search quality in headless Chromium (from file:// and from http://127.0.0.1).

mod browser;
mod parity;
mod snapshot;

use std::process::Command;

/// Whether `program --version` runs. When it does not: outside CI the test is skipped with a loud message, in CI
/// (the `CI` variable set) it fails.
pub fn tool_available(program: &str, test: &str) -> bool {
    let found = Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is required in CI for {test}");
        eprintln!("\n*** SKIPPING {test}: `{program}` not found (install it; in CI this test fails) ***\n");
    }
    found
}
