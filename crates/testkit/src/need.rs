//! System programs a test needs.
//!
//! Such a test carries `#[ignore = "needs …"]` naming the program, so a plain `cargo test` reports it as ignored
//! (with the reason) instead of a silent pass. Asked for with `--include-ignored` (as `.ci/run` does), the test
//! calls [`need`] or [`need_program`] first: a missing program is then a failure that names the package to
//! install, never a skip.

use std::path::{Path, PathBuf};

/// Fails the test unless `present`, naming `what` (the program and the package that provides it).
#[track_caller]
pub fn need(what: &str, present: bool) {
    assert!(present, "this test needs {what}, which is missing on this machine: install it (see README, 'Tests')");
}

/// Fails the test unless `program` runs from PATH (or is an existing absolute path); `package` says what to
/// install. Returns the program's path.
#[track_caller]
pub fn need_program(program: &str, package: &str) -> PathBuf {
    match on_path(program) {
        Some(path) => path,
        None => panic!("this test needs `{program}` (package {package}), which is not installed on this machine"),
    }
}

/// Where `program` is: itself when it is a path to a file, else the first match on PATH.
pub fn on_path(program: &str) -> Option<PathBuf> {
    let as_path = Path::new(program);
    if as_path.components().count() > 1 {
        return as_path.is_file().then(|| as_path.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(program)).find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_program_on_path_is_found_and_a_missing_one_is_not() {
        assert!(on_path("sh").is_some_and(|p| p.is_file()));
        assert_eq!(on_path("shopcast-no-such-program-anywhere"), None);
        assert_eq!(on_path("/no/such/dir/sh"), None);
    }

    #[test]
    #[should_panic(expected = "package nothing-provides-this")]
    fn a_missing_program_fails_naming_its_package() {
        need_program("shopcast-no-such-program-anywhere", "nothing-provides-this");
    }
}
