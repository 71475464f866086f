//! The Debian package: built by `cargo deb` from the binary under test, inspected with dpkg-deb, its systemd unit
//! verified, installed into a scratch root, and the installed binary run there (doctor, a frame, the service's
//! ready and watchdog messages).

use super::support::{need, repo, scratch, text};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn run(command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("{command:?}: {e}"));
    assert!(output.status.success(), "{command:?} failed:\n{}\n{}", text(&output.stdout), text(&output.stderr));
    output
}

/// `cargo deb --no-build` over a target folder holding the binary under test as its release build.
fn build_package(dir: &Path) -> PathBuf {
    let release = dir.join("target/release");
    std::fs::create_dir_all(&release).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_shopcast"), release.join("shopcast")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = dir.join("out");
    let made = Command::new(&cargo)
        .args(["deb", "--no-build", "--fast", "--output"])
        .arg(&out)
        .current_dir(repo())
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .expect("run cargo deb");
    need("cargo-deb (cargo install cargo-deb)", !text(&made.stderr).contains("no such command"));
    assert!(made.status.success(), "cargo deb failed:\n{}", text(&made.stderr));
    let deb = out.join(format!("shopcast_{}_amd64.deb", env!("CARGO_PKG_VERSION")));
    assert!(
        deb.is_file(),
        "{} missing; cargo deb wrote: {:?}",
        deb.display(),
        std::fs::read_dir(&out).unwrap().collect::<Vec<_>>()
    );
    deb
}

#[test]
#[ignore = "needs cargo-deb, dpkg-dev, systemd-analyze, a Vulkan driver, espeak-ng, ffmpeg (see .ci/run)"]
fn the_debian_package_installs_a_hardened_service_that_runs() {
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    let dir = scratch("package");
    let deb = build_package(&dir);

    // What it holds, with the secrets file root's alone.
    let contents = text(&run(Command::new("dpkg-deb").arg("--contents").arg(&deb)).stdout);
    for (mode, path) in [
        ("-rwxr-xr-x root/root", "./usr/bin/shopcast"),
        ("-rw-r--r-- root/root", "./etc/shopcast/show.toml"),
        ("-rw------- root/root", "./etc/shopcast/shopcast.env"),
        ("-rw-r--r-- root/root", "./usr/lib/systemd/system/shopcast.service"),
        ("-rw-r--r-- root/root", "./usr/share/doc/shopcast/README.md"),
    ] {
        let line = contents.lines().find(|l| l.ends_with(&format!(" {path}")));
        let line = line.unwrap_or_else(|| panic!("{path} is not in the package:\n{contents}"));
        let owner_mode = line.split_whitespace().take(2).collect::<Vec<_>>().join(" ").replace("0/0", "root/root");
        assert_eq!(owner_mode, mode, "{line}");
    }
    let field = |name: &str| text(&run(Command::new("dpkg-deb").arg("--field").arg(&deb).arg(name)).stdout);
    let depends = field("Depends");
    for package in ["libc6", "libasound2", "libfontconfig1", "libvulkan1", "libespeak-ng1", "ffmpeg", "fonts-noto-cjk"]
    {
        assert!(depends.contains(package), "Depends lacks {package}: {depends}");
    }
    let control = dir.join("control");
    run(Command::new("dpkg-deb").arg("--control").arg(&deb).arg(&control));
    let conffiles = std::fs::read_to_string(control.join("conffiles")).unwrap();
    assert_eq!(conffiles.lines().collect::<Vec<_>>(), ["/etc/shopcast/show.toml", "/etc/shopcast/shopcast.env"]);
    let postinst = std::fs::read_to_string(control.join("postinst")).unwrap();
    assert!(postinst.contains("adduser --system --group --home /var/lib/shopcast"), "{postinst}");
    assert!(postinst.contains("deb-systemd-helper"), "the unit's install steps: {postinst}");

    // Installed into a scratch root: the shipped show.toml is the example, and the unit passes systemd's checks.
    let root = dir.join("root");
    run(Command::new("dpkg").arg("-x").arg(&deb).arg(&root));
    let shipped = std::fs::read_to_string(root.join("etc/shopcast/show.toml")).unwrap();
    assert_eq!(shipped, std::fs::read_to_string(repo().join("show.example.toml")).unwrap());
    let units = root.join("usr/lib/systemd/system");
    let unit = std::fs::read_to_string(units.join("shopcast.service")).unwrap();
    for line in [
        "Type=notify",
        "WatchdogSec=30",
        "ExecStart=/usr/bin/shopcast run --headless --config /etc/shopcast/show.toml",
        "Restart=on-failure",
        "User=shopcast",
        "EnvironmentFile=-/etc/shopcast/shopcast.env",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "ReadWritePaths=/var/lib/shopcast",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit lacks {line:?}:\n{unit}");
    }
    // systemd-analyze resolves the unit's dependencies (network-online.target ...) in the same root.
    need("systemd-analyze (package systemd)", Path::new("/usr/lib/systemd/system").is_dir());
    for entry in std::fs::read_dir("/usr/lib/systemd/system").unwrap().flatten() {
        let target = units.join(entry.file_name());
        if !target.exists() && entry.file_type().is_ok_and(|t| t.is_file()) {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
    let verified = run(Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(format!("--root={}", root.display()))
        .arg("/usr/lib/systemd/system/shopcast.service"));
    let complaints = text(&verified.stderr);
    assert!(!complaints.contains("shopcast.service"), "systemd-analyze verify complains:\n{complaints}");

    // The installed binary, as the service runs it: its own home, the shipped config, nothing from the checkout.
    let binary = root.join("usr/bin/shopcast");
    assert_eq!(std::fs::metadata(&binary).unwrap().permissions().mode() & 0o777, 0o755);
    let home = dir.join("var-lib-shopcast");
    std::fs::create_dir_all(&home).unwrap();
    let config = root.join("etc/shopcast/show.toml");
    let service = |args: &[&str]| {
        let mut command = Command::new(&binary);
        command
            .args(args)
            .current_dir(&home)
            .env_clear()
            .env("PATH", "/usr/bin:/bin")
            .env("HOME", &home)
            .env("SHOPCAST_STORE", home.join("audit.db"))
            .env("SHOPCAST_CONSOLE_BIND", "127.0.0.1:0")
            .env("SHOPCAST_LOG", "warn");
        command
    };
    let doctor = run(service(&["doctor", "--headless", "--config", config.to_str().unwrap()]).arg("--json"));
    let report: serde_json::Value = serde_json::from_slice(&doctor.stdout).unwrap();
    assert_eq!(report["can_run"], true, "{report:#}");
    run(&mut service(&["render", "--seconds", "0", "--out", "frames"]));
    assert!(home.join("frames/frame-00000.png").is_file());

    // The show under a service manager: READY=1 after the first frame, watchdog pings, STOPPING=1 at the end.
    // `--seconds` counts time on air, so 4 s leaves several pings after READY=1 however slow the start. The
    // messages are read as they come, as systemd reads them: a datagram socket holds only a few (10 by default on
    // Linux), and a non-blocking sender drops the rest.
    let socket_path = dir.join("notify.sock");
    let systemd = UnixDatagram::bind(&socket_path).unwrap();
    systemd.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let listener = std::thread::spawn(move || {
        let mut said = Vec::new();
        let mut buf = [0u8; 512];
        while let Ok(n) = systemd.recv(&mut buf) {
            let message = String::from_utf8_lossy(&buf[..n]).into_owned();
            let last = message.starts_with("STOPPING=1");
            said.push(message);
            if last {
                break;
            }
        }
        said
    });
    let show = run(service(&["run", "--headless", "--config", config.to_str().unwrap(), "--seconds", "4"])
        .env("NOTIFY_SOCKET", &socket_path)
        .env("WATCHDOG_USEC", "1000000"));
    let mut said = listener.join().unwrap();
    // libudev (loaded by the Vulkan loader) reports its own errors there as ERRNO=…; they are not the show's.
    said.retain(|m| !m.starts_with("ERRNO="));
    assert!(said.first().is_some_and(|m| m.starts_with("READY=1")), "{said:?}\n{}", text(&show.stderr));
    assert!(said.iter().filter(|m| *m == "WATCHDOG=1").count() >= 2, "pings every half second: {said:?}");
    assert_eq!(said.last().map(String::as_str), Some("STOPPING=1"), "{said:?}");
}
