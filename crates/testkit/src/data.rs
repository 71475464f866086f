//! Test data: `testdata/` in the repository, and the outside corpus named by `SHOPCAST_CORPUS`.
//!
//! `testdata/` holds our own files and the outside files whose licence allows copying (see
//! testdata/THIRD_PARTY.md); every test that reads it always runs. The corpus (../shared/fixtures beside CI's
//! checkout) is larger real-world material that may not be copied; tests that read it are
//! `#[ignore = "needs SHOPCAST_CORPUS …"]` and [`corpus`] fails them clearly when the variable is not set.

use std::path::{Path, PathBuf};

/// The repository root: found at run time from the test's working directory (cargo runs a test in its package's
/// folder), the nearest folder up that holds `testdata/THIRD_PARTY.md`; else where this crate was built
/// (crates/testkit). Found at run time because a build cache shared between checkouts (CI reuses the developers'
/// cache) may hold this crate compiled in another checkout, whose path would point elsewhere.
pub fn repo() -> PathBuf {
    let here = std::env::current_dir().ok();
    here.as_deref()
        .into_iter()
        .flat_map(Path::ancestors)
        .find(|dir| dir.join("testdata").join("THIRD_PARTY.md").is_file())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// A file or folder under the repository's `testdata/`.
pub fn testdata(rel: &str) -> PathBuf {
    repo().join("testdata").join(rel)
}

/// The text of a file under `testdata/`; a missing file fails the test naming it.
pub fn testdata_text(rel: &str) -> String {
    let path = testdata(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read test data {}: {e}", path.display()))
}

/// A file or folder in the outside corpus. Fails the test, saying what to set, when `SHOPCAST_CORPUS` is unset
/// or does not name a folder: such tests are ignored by default and only run when asked for.
pub fn corpus(rel: &str) -> PathBuf {
    let root = match std::env::var_os("SHOPCAST_CORPUS") {
        Some(root) if !root.is_empty() => PathBuf::from(root),
        _ => panic!(
            "this test reads the outside corpus: set SHOPCAST_CORPUS to its folder (CI: ../shared/fixtures) and \
             run with --include-ignored"
        ),
    };
    let root = if root.is_relative() { repo().join(root) } else { root };
    assert!(root.is_dir(), "SHOPCAST_CORPUS={} is not a folder", root.display());
    root.join(rel)
}

/// The text of a corpus file; a missing file fails the test naming it.
pub fn corpus_text(rel: &str) -> String {
    let path = corpus(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read corpus file {}: {e}", path.display()))
}
