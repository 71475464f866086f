//! A virtual display (Xvfb) with a window manager (openbox), and OBS Studio started on it with a throwaway HOME
//! whose global.ini enables obs-websocket on a free port with a password. Everything started here is stopped,
//! and the HOME removed, when its handle drops.

use crate::process::{Guarded, free_port, poll};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

pub const OBS: &str = "/usr/bin/obs";

/// `--multi`: other OBS instances (parallel tests, another user's OBS) must not stop this one with an "already
/// running" dialog. The rest keep dialogs and network checks out of an unattended start.
const OBS_ARGS: [&str; 4] =
    ["--multi", "--disable-updater", "--disable-shutdown-check", "--disable-missing-files-check"];

/// The programs a test on a virtual display with a window manager needs, with their packages.
pub const DISPLAY_PROGRAMS: [(&str, &str); 3] = [("Xvfb", "xvfb"), ("openbox", "openbox"), ("wmctrl", "wmctrl")];

/// Fails the test unless OBS and the display programs are installed.
#[track_caller]
pub fn need_obs() {
    crate::need(&format!("OBS Studio at {OBS} (package obs-studio)"), Path::new(OBS).is_file());
    for (program, package) in DISPLAY_PROGRAMS {
        crate::need_program(program, package);
    }
}

/// An Xvfb screen with openbox on it.
pub struct VirtualDisplay {
    /// The DISPLAY value, e.g. ":3".
    pub display: String,
    pub width: u32,
    pub height: u32,
    // Dropped in field order: the window manager before its screen.
    wm: Guarded,
    _xvfb: Guarded,
}

impl VirtualDisplay {
    /// Starts Xvfb on a display number it picks itself (so parallel tests never collide), then openbox, and
    /// waits until the window manager answers.
    pub fn start(width: u32, height: u32) -> Result<VirtualDisplay, String> {
        let mut xvfb = Guarded::spawn(
            Command::new("Xvfb")
                .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", &format!("{width}x{height}x24")])
                .stdout(Stdio::piped())
                .stderr(Stdio::null()),
            "xvfb",
        )?;
        let mut number = String::new();
        if let Some(out) = xvfb.0.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut number);
        }
        let number = number.trim().to_string();
        if number.is_empty() {
            return Err("Xvfb did not report its display number".into());
        }
        let display = format!(":{number}");
        let wm_log = std::env::temp_dir().join(format!("shopcast-openbox-{}-{number}.log", std::process::id()));
        let start_wm = || -> Result<Guarded, String> {
            let log = std::fs::File::create(&wm_log).map_err(|e| format!("cannot create {}: {e}", wm_log.display()))?;
            Guarded::spawn(
                Command::new("openbox").arg("--sm-disable").env("DISPLAY", &display).stdout(Stdio::null()).stderr(log),
                "openbox",
            )
        };
        let wm = start_wm()?;
        let mut screen = VirtualDisplay { display: display.clone(), width, height, wm, _xvfb: xvfb };
        // Generous: on a loaded two-core machine openbox can take seconds; if it died, it gets another start.
        let mut restarts = 0;
        let ready = poll(Duration::from_secs(30), || {
            if screen.wm.exited().is_some()
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

/// OBS Studio running on a virtual display, with obs-websocket on `port` and `password`.
pub struct ObsStudio {
    pub port: u16,
    pub password: String,
    child: Guarded,
    home: PathBuf,
}

impl ObsStudio {
    /// Starts OBS with a fresh HOME (no scenes, no first-run wizard) under `display`. Returns at once: the caller
    /// polls the websocket at [`ObsStudio::url`] until it answers.
    pub fn start(display: &VirtualDisplay, password: &str) -> Result<ObsStudio, String> {
        let port = free_port();
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
        Ok(ObsStudio { port, password: password.to_string(), child, home })
    }

    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    /// OBS's exit status, once it has ended.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.exited()
    }

    /// OBS's stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.home.join("obs.log")).unwrap_or_default()
    }

    /// Kills OBS at once (as a crash would) and waits for it to go.
    pub fn kill(&mut self) {
        self.child.kill();
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
fn spawn_obs(display: &VirtualDisplay, home: &Path, log: std::fs::File) -> Result<Guarded, String> {
    let log2 = log.try_clone().map_err(|e| e.to_string())?;
    Guarded::spawn(
        display
            .command(OBS)
            .args(OBS_ARGS)
            .current_dir(home)
            .env("HOME", home)
            .env_remove("XDG_CONFIG_HOME")
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2),
        "obs-studio",
    )
}

impl Drop for ObsStudio {
    fn drop(&mut self) {
        self.child.kill();
        let _ = std::fs::remove_dir_all(&self.home);
    }
}
