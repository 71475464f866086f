//! `shopcast doctor` on machines that lack something, and `run` refusing with the same words; the binary run from
//! an empty folder with an empty home, the checkout's assets hidden.

use super::support::{need, repo, scratch, shopcast_command, text};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A machine without a Chinese font and without ffmpeg, as far as shopcast can tell: fontconfig sees only the
/// DejaVu fonts (or none), and PATH holds no programs.
struct BareMachine {
    dir: PathBuf,
}

impl BareMachine {
    fn new(name: &str) -> BareMachine {
        let dir = scratch(name);
        let fonts = ["/usr/share/fonts/truetype/dejavu"]
            .iter()
            .filter(|d| Path::new(d).is_dir())
            .map(|d| format!("<dir>{d}</dir>"))
            .collect::<String>();
        let conf = format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>{fonts}<cachedir>{}\
             </cachedir></fontconfig>\n",
            dir.join("fc-cache").display()
        );
        std::fs::write(dir.join("fonts.conf"), conf).unwrap();
        std::fs::create_dir_all(dir.join("bin")).unwrap();
        BareMachine { dir }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = shopcast_command();
        command
            .args(args)
            .current_dir(&self.dir)
            .env("FONTCONFIG_FILE", self.dir.join("fonts.conf"))
            .env("PATH", self.dir.join("bin"))
            .env("SHOPCAST_STORE", self.dir.join("store/audit.db"))
            .env("SHOPCAST_LOG", "warn");
        command
    }

    /// A Chinese show with a recording and an LLM writer at `llm`.
    fn config(&self, llm: &str) -> PathBuf {
        let path = self.dir.join("show.toml");
        let toml = format!(
            "[show]\nlanguage = \"zh\"\n[writer]\nkind = \"llm\"\nbase_url = \"{llm}\"\nmodel = \"qwen2.5\"\n\
             [output]\nrecord = \"recordings\"\n"
        );
        std::fs::write(&path, toml).unwrap();
        path
    }
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn check<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["checks"].as_array().unwrap().iter().find(|c| c["check"] == name).unwrap_or_else(|| panic!("{report:#}"))
}

fn doctor(machine: &BareMachine, args: &[&str]) -> Output {
    let mut all = vec!["doctor"];
    all.extend_from_slice(args);
    machine.command(&all).output().expect("run shopcast doctor")
}

#[test]
fn a_machine_without_a_cjk_font_ffmpeg_or_the_llm_server_gets_three_findings_and_their_fixes() {
    let machine = BareMachine::new("doctor-bare");
    let config = machine.config(&format!("http://127.0.0.1:{}/v1", closed_port()));
    let config = config.to_str().unwrap();

    let json = doctor(&machine, &["--headless", "--config", config, "--json"]);
    assert_eq!(json.status.code(), Some(1), "{}", text(&json.stderr));
    let report: Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&json.stdout)));
    assert_eq!(report["can_run"], false);
    let fonts = check(&report, "fonts");
    assert_eq!(fonts["status"], "fail", "{fonts}");
    assert!(fonts["fix"].as_str().unwrap().contains("apt-get install fonts-noto-cjk"), "{fonts}");
    let ffmpeg = check(&report, "ffmpeg");
    assert_eq!(ffmpeg["status"], "fail", "a recording is configured: {ffmpeg}");
    assert!(ffmpeg["detail"].as_str().unwrap().contains("not installed"), "{ffmpeg}");
    assert_eq!(ffmpeg["fix"], "sudo apt-get install ffmpeg");
    let llm = check(&report, "llm");
    assert_eq!(llm["status"], "warn", "the show would run on templates: {llm}");
    assert!(llm["detail"].as_str().unwrap().contains("qwen2.5 at http://127.0.0.1:"), "{llm}");
    assert!(llm["fix"].as_str().unwrap().contains("start the OpenAI-compatible server"), "{llm}");

    // The same findings as text, one screen, each with its fix.
    let screen = doctor(&machine, &["--headless", "--config", config]);
    assert_eq!(screen.status.code(), Some(1));
    let screen = text(&screen.stdout);
    for line in ["FAIL  fonts", "FAIL  ffmpeg", "WARN  llm", "fix: sudo apt-get install ffmpeg", "cannot run"] {
        assert!(screen.contains(line), "{line:?} missing:\n{screen}");
    }

    // `run` checks the same at start and refuses in the same words, before anything goes on air.
    let run = machine.command(&["run", "--headless", "--config", config, "--seconds", "2"]).output().unwrap();
    assert_eq!(run.status.code(), Some(2), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    let fonts_line = screen.lines().find(|l| l.contains("FAIL  fonts")).unwrap();
    assert!(stderr.contains(fonts_line), "run should say {fonts_line:?}:\n{stderr}");
    assert!(stderr.contains("FAIL  ffmpeg"), "{stderr}");
    assert!(!stderr.contains("the show is on"), "{stderr}");
}

/// Answers one chat-completions request with a streamed word, as an OpenAI-compatible server does.
fn one_word_server() -> (u16, std::thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let chunk = r#"{"choices":[{"index":0,"delta":{"content":"OK"}}]}"#;
        let sse = format!("data: {chunk}\n\ndata: [DONE]\n\n");
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{sse}",
            sse.len()
        );
        reader.get_mut().write_all(reply.as_bytes()).unwrap();
        format!("{head}{}", String::from_utf8_lossy(&body))
    });
    (port, server)
}

#[test]
fn the_llm_check_asks_the_model_for_a_word_and_times_the_first_token() {
    let machine = BareMachine::new("doctor-llm");
    let (port, server) = one_word_server();
    let config = machine.config(&format!("http://127.0.0.1:{port}/v1"));
    let out = doctor(&machine, &["--headless", "--config", config.to_str().unwrap(), "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    let llm = check(&report, "llm");
    assert_eq!(llm["status"], "ok", "{llm}");
    assert!(llm["detail"].as_str().unwrap().contains("first token in"), "{llm}");
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /v1/chat/completions"), "{request}");
    assert!(request.contains("\"model\":\"qwen2.5\""), "{request}");
}

#[test]
#[ignore = "needs a Vulkan driver, espeak-ng, ffmpeg, fonts-noto-cjk (see .ci/run for the packages)"]
fn on_a_machine_with_everything_the_default_show_can_run() {
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    let home = scratch("doctor-home");
    let out = shopcast_command()
        .args(["doctor", "--headless", "--json"])
        .env("HOME", &home)
        .env_remove("XDG_CACHE_HOME")
        .env("SHOPCAST_STORE", home.join("audit.db"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    assert_eq!(out.status.code(), Some(0), "{report:#}");
    for name in ["products", "renderer", "fonts", "voice", "ffmpeg"] {
        assert_eq!(check(&report, name)["status"], "ok", "{report:#}");
    }
    // These depend on the machine's state (free disk, clock sync), not on what is installed.
    for name in ["console", "store", "clock"] {
        assert_ne!(check(&report, name)["status"], "fail", "{report:#}");
    }
    assert!(check(&report, "voice")["detail"].as_str().unwrap().contains("spoken in"), "{report:#}");
}

/// Runs the built binary, copied into an empty folder, from that folder with an empty HOME, in a mount namespace
/// where the checkout's assets/ is an empty tmpfs: whatever the binary shows must come from inside it.
fn run_detached(dir: &Path, args: &[&str]) -> Output {
    let binary = dir.join("bin/shopcast");
    std::fs::create_dir_all(binary.parent().unwrap()).unwrap();
    if !binary.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_shopcast"), &binary).unwrap();
    }
    let home = dir.join("home");
    let work = dir.join("work");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let assets = repo().join("assets");
    let script = format!("mount -t tmpfs shopcast-hidden '{}' && exec \"$0\" \"$@\"", assets.display());
    Command::new("unshare")
        .args(["--mount", "--propagation", "private", "sh", "-c", &script])
        .arg(&binary)
        .args(args)
        .current_dir(&work)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HOME", &home)
        .env("SHOPCAST_LOG", "warn")
        .env("SHOPCAST_CONSOLE_BIND", "127.0.0.1:0")
        .output()
        .expect("run unshare")
}

#[test]
#[ignore = "needs a Vulkan driver and root for unshare --mount (see .ci/run)"]
fn the_binary_carries_its_defaults_and_needs_nothing_from_the_checkout() {
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    let dir = scratch("detached");
    let probe = run_detached(&dir, &["--version"]);
    need("root, for unshare --mount (hiding the checkout's assets)", probe.status.success());

    let render = run_detached(&dir, &["render", "--seconds", "0", "--out", "frames"]);
    let stderr = text(&render.stderr);
    assert!(render.status.success(), "{stderr}");
    assert!(!stderr.contains("not found") && !stderr.contains(&repo().display().to_string()), "{stderr}");
    let frame = image::open(dir.join("work/frames/frame-00000.png")).unwrap().to_rgba8();
    assert_eq!(frame.dimensions(), (1280, 720));

    // The pictures came out of the binary into the empty home's cache, byte for byte.
    let cache = dir.join("home/.cache/shopcast");
    let unpacked: Vec<PathBuf> = std::fs::read_dir(&cache)
        .unwrap_or_else(|e| panic!("{}: {e}", cache.display()))
        .flatten()
        .map(|e| e.path().join("images/tea-set.png"))
        .collect();
    assert_eq!(unpacked.len(), 1, "{unpacked:?}");
    assert_eq!(
        std::fs::read(&unpacked[0]).unwrap(),
        std::fs::read(repo().join("assets/demo/images/tea-set.png")).unwrap()
    );

    let rehearse = run_detached(&dir, &["rehearse", "--duration", "2m", "--out", "report.json"]);
    assert!(rehearse.status.success(), "{}", text(&rehearse.stderr));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("work/report.json")).unwrap()).unwrap();
    assert_eq!(report["stats"]["duration_ms"], 120_000, "{report:#}");
    assert!(report["stats"]["lines"].as_u64().unwrap() > 0, "{report:#}");

    let doctor = run_detached(&dir, &["doctor", "--headless"]);
    let screen = text(&doctor.stdout);
    assert!(screen.contains("ok    products  assets/demo/products.toml (embedded): 3 product(s)"), "{screen}");
}
