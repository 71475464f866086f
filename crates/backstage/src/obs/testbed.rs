//! A private OBS Studio for tests: a virtual display (Xvfb) with a window manager (openbox), and OBS started on it
//! with a throwaway HOME whose global.ini enables obs-websocket on a free port with a password.
//!
//! Everything started here is killed, and the HOME removed, when its handle drops. Used by this crate's tests and
//! by the capture test in tests/it/obs_capture.rs.

use super::error::ObsError;
use super::link::LinkOptions;
use super::session::Session;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const OBS: &str = "/usr/bin/obs";

/// `--multi`: other OBS instances (parallel tests, another user's OBS) must not stop this one with an "already
/// running" dialog. The rest keep dialogs and network checks out of an unattended start.
const OBS_ARGS: [&str; 4] =
    ["--multi", "--disable-updater", "--disable-shutdown-check", "--disable-missing-files-check"];

/// Whether OBS Studio is installed (tests that need it skip outside CI when it is not).
pub fn obs_installed() -> bool {
    Path::new(OBS).is_file()
}

/// An Xvfb screen with openbox on it.
pub struct VirtualDisplay {
    /// The DISPLAY value, e.g. ":3".
    pub display: String,
    pub width: u32,
    pub height: u32,
    xvfb: Child,
    wm: Child,
}

impl VirtualDisplay {
    /// Starts Xvfb on a display number it picks itself (so parallel tests never collide), then openbox, and
    /// waits until the window manager answers.
    pub fn start(width: u32, height: u32) -> Result<VirtualDisplay, String> {
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", &format!("{width}x{height}x24")])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb (package xvfb): {e}"))?;
        let mut number = String::new();
        if let Some(out) = xvfb.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut number);
        }
        let number = number.trim().to_string();
        if number.is_empty() {
            stop(&mut xvfb);
            return Err("Xvfb did not report its display number".into());
        }
        let display = format!(":{number}");
        let wm_log = std::env::temp_dir().join(format!("shopcast-openbox-{}-{number}.log", std::process::id()));
        let start_wm = || -> Result<Child, String> {
            let log = std::fs::File::create(&wm_log).map_err(|e| format!("cannot create {}: {e}", wm_log.display()))?;
            Command::new("openbox")
                .arg("--sm-disable")
                .env("DISPLAY", &display)
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .map_err(|e| format!("cannot start openbox (package openbox): {e}"))
        };
        let wm = match start_wm() {
            Ok(wm) => wm,
            Err(e) => {
                stop(&mut xvfb);
                return Err(e);
            }
        };
        let mut screen = VirtualDisplay { display: display.clone(), width, height, xvfb, wm };
        // Generous: on a loaded two-core machine openbox can take seconds; if it died, it gets another start.
        let mut restarts = 0;
        let ready = poll(Duration::from_secs(30), || {
            if let Ok(Some(_)) = screen.wm.try_wait()
                && restarts < 3
                && let Ok(wm) = start_wm()
            {
                restarts += 1;
                screen.wm = wm;
            }
            Command::new("wmctrl").arg("-m").env("DISPLAY", &display).output().is_ok_and(|o| o.status.success())
        });
        let log = std::fs::read_to_string(&wm_log).unwrap_or_default();
        let _ = std::fs::remove_file(&wm_log);
        if !ready {
            return Err(format!(
                "openbox did not come up on {display} within 30 s ({restarts} restarts; wmctrl -m fails; packages \
                 openbox, wmctrl); its log:\n{log}"
            ));
        }
        Ok(screen)
    }

    /// A command that runs on this display.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display);
        c
    }
}

impl Drop for VirtualDisplay {
    fn drop(&mut self) {
        stop(&mut self.wm);
        stop(&mut self.xvfb);
    }
}

/// SIGTERM first, so Xvfb removes its lock file and socket; SIGKILL after two seconds.
fn stop(child: &mut Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).stderr(Stdio::null()).status();
    let gone = poll(Duration::from_secs(2), || matches!(child.try_wait(), Ok(Some(_))));
    if !gone {
        let _ = child.kill();
    }
    let _ = child.wait();
}

/// OBS Studio running on a virtual display, with obs-websocket on `port` and `password`.
pub struct ObsStudio {
    pub port: u16,
    pub password: String,
    home: PathBuf,
    child: Child,
}

impl ObsStudio {
    /// Starts OBS with a fresh HOME (no scenes, no first-run wizard) under `display`. Returns at once; use
    /// [`ObsStudio::connect`] to wait for its websocket.
    pub fn start(display: &VirtualDisplay, password: &str) -> Result<ObsStudio, String> {
        let port = free_port()?;
        let home = std::env::temp_dir().join(format!(
            "shopcast-obs-{}-{port}-{}",
            std::process::id(),
            display.display.trim_start_matches(':')
        ));
        let _ = std::fs::remove_dir_all(&home);
        let config = home.join(".config/obs-studio");
        std::fs::create_dir_all(&config).map_err(|e| format!("cannot create {}: {e}", config.display()))?;
        // FirstRun=true skips the auto-configuration wizard; OBS 29 reads the websocket settings from here.
        let ini = format!(
            "[General]\nFirstRun=true\n\n[OBSWebSocket]\nServerEnabled=true\nServerPort={port}\nAuthRequired=true\n\
             ServerPassword={password}\nAlertsEnabled=false\nFirstLoad=false\n"
        );
        std::fs::write(config.join("global.ini"), ini).map_err(|e| format!("cannot write global.ini: {e}"))?;
        let log = std::fs::File::create(home.join("obs.log")).map_err(|e| format!("cannot create obs.log: {e}"))?;
        let child = spawn_obs(display, &home, log)?;
        Ok(ObsStudio { port, password: password.to_string(), home, child })
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// Polls until obs-websocket completes a handshake (about 3 s after start), for at most `within`.
    pub async fn connect(&mut self, within: Duration) -> Result<Session, String> {
        let started = Instant::now();
        let (events, _) = tokio::sync::broadcast::channel(1024);
        let mut last = String::new();
        while started.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("OBS exited ({status}) before its websocket came up; its log:\n{}", self.log()));
            }
            let options = LinkOptions {
                request_timeout: Duration::from_secs(10),
                ..LinkOptions::new(self.url(), Some(self.password.clone()))
            };
            let opened = Session::open(&options, events.clone()).await;
            match opened {
                Ok(session) => return Ok(session),
                Err(ObsError::Connect { detail, .. }) => last = detail,
                Err(e) => return Err(format!("OBS's websocket answered but the handshake failed: {e}")),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(format!("OBS's websocket did not come up within {within:?} ({last}); its log:\n{}", self.log()))
    }

    /// OBS's stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.home.join("obs.log")).unwrap_or_default()
    }

    /// Kills OBS at once (as a crash would) and waits for it to go.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts OBS again with the same HOME and port, after [`ObsStudio::kill`].
    pub fn restart(&mut self, display: &VirtualDisplay) -> Result<(), String> {
        self.kill();
        let log = std::fs::OpenOptions::new()
            .append(true)
            .open(self.home.join("obs.log"))
            .map_err(|e| format!("cannot open obs.log: {e}"))?;
        self.child = spawn_obs(display, &self.home, log)?;
        Ok(())
    }
}

/// Runs OBS on `display` with `home` as its HOME (where its config lives), both output streams into `log`.
fn spawn_obs(display: &VirtualDisplay, home: &Path, log: std::fs::File) -> Result<Child, String> {
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    display
        .command(OBS)
        .args(OBS_ARGS)
        .current_dir(home)
        .env("HOME", home)
        .env_remove("XDG_CONFIG_HOME")
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .spawn()
        .map_err(|e| format!("cannot start {OBS}: {e}"))
}

impl Drop for ObsStudio {
    fn drop(&mut self) {
        self.kill();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}

/// A port nothing listens on right now (bind, note, close).
pub fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
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
