//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh empty folder for one test, under the system temp dir. Folders left by earlier runs (whose process is
/// gone) are removed on first use, so the temp dir holds at most one run's worth.
pub fn scratch(name: &str) -> PathBuf {
    static SWEEP: std::sync::Once = std::sync::Once::new();
    SWEEP.call_once(sweep_earlier_runs);
    let dir = std::env::temp_dir().join(format!("shopcast-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}

/// Fails the test unless a system program it needs is present (such tests are `#[ignore = "needs …"]`).
pub use testkit::need;

/// A file under the repository's testdata/ (our own files and outside ones copied under their licences).
pub fn testdata(rel: &str) -> PathBuf {
    testkit::testdata(rel)
}

/// The built `shopcast` binary as a command run from the repository root. Its console listens on a free port
/// (tests run in parallel; a fixed port would be taken by whichever show started first) unless the test says
/// otherwise with `--console-bind`.
pub fn shopcast_command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shopcast"));
    command.current_dir(repo()).env("SHOPCAST_CONSOLE_BIND", "127.0.0.1:0");
    command
}

/// Runs the built `shopcast` binary with `args` from the repository root.
pub fn shopcast(args: &[&str]) -> Output {
    shopcast_command().args(args).env("SHOPCAST_LOG", "warn").output().expect("run shopcast")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Removes `shopcast-it-*-PID` folders of test runs whose process no longer exists.
fn sweep_earlier_runs() {
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix("shopcast-it-").and_then(|rest| rest.rsplit('-').next()) else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}
