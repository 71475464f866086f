//! Child processes that die with the test, free ports and polling.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A child process stopped when dropped (also when the test panics): SIGTERM first, so servers remove their lock
/// files and sockets, SIGKILL after two seconds.
pub struct Guarded(pub Child);

impl Guarded {
    /// Starts `command`; the error names the program and the package that provides it.
    pub fn spawn(command: &mut Command, package: &str) -> Result<Guarded, String> {
        let program = command.get_program().to_string_lossy().into_owned();
        command.spawn().map(Guarded).map_err(|e| format!("cannot start {program} (package {package}): {e}"))
    }

    pub fn id(&self) -> u32 {
        self.0.id()
    }

    /// Whether the process has ended, and how.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.0.try_wait().ok().flatten()
    }

    /// Kills the process at once (as a crash would) and waits for it to go.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        stop(&mut self.0);
    }
}

/// SIGTERM, then SIGKILL after two seconds.
pub fn stop(child: &mut Child) {
    if matches!(child.try_wait(), Ok(Some(_))) {
        return;
    }
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).stderr(Stdio::null()).status();
    let gone = poll(Duration::from_secs(2), || matches!(child.try_wait(), Ok(Some(_))));
    if !gone {
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// A port nothing listens on right now (bind, note, close).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port on 127.0.0.1: {e}"))
}

/// Calls `check` every 100 ms until it holds or `within` passes.
pub fn poll(within: Duration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    loop {
        if check() {
            return true;
        }
        if started.elapsed() >= within {
            return false;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guarded_child_is_gone_after_the_guard_drops() {
        let guarded = Guarded::spawn(Command::new("sleep").arg("30"), "coreutils").unwrap();
        let pid = guarded.id();
        drop(guarded);
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "sleep {pid} still runs");
    }

    #[test]
    fn a_free_port_can_be_bound() {
        let port = free_port();
        assert!(std::net::TcpListener::bind(("127.0.0.1", port)).is_ok());
    }

    #[test]
    fn poll_reports_whether_the_check_held_in_time() {
        let mut calls = 0;
        assert!(poll(Duration::from_secs(1), || {
            calls += 1;
            calls == 3
        }));
        assert!(!poll(Duration::from_millis(150), || false));
    }
}
