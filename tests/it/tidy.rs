//! Architecture invariants, checked mechanically from `cargo metadata`.

use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::process::Command;

struct Graph {
    /// Package name -> names of its normal (non-dev, non-build) dependencies.
    deps: HashMap<String, BTreeSet<String>>,
}

impl Graph {
    fn load() -> Graph {
        // Only the dependencies that build for this machine: a crate that a dependency uses on another
        // platform (wasm, Windows) is not part of what ships here.
        let rustc = Command::new("rustc").arg("-vV").output().expect("run rustc -vV");
        let host = super::support::text(&rustc.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
            .expect("rustc -vV names the host");
        let out = Command::new(env!("CARGO"))
            .args(["metadata", "--format-version", "1", "--filter-platform", &host])
            .current_dir(super::support::repo())
            .output()
            .expect("run cargo metadata");
        assert!(out.status.success(), "cargo metadata failed: {}", super::support::text(&out.stderr));
        let meta: Value = serde_json::from_slice(&out.stdout).expect("metadata JSON");
        let names: HashMap<&str, &str> = meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
            .collect();
        let mut deps = HashMap::new();
        for node in meta["resolve"]["nodes"].as_array().unwrap() {
            let name = names[node["id"].as_str().unwrap()].to_string();
            let normal: BTreeSet<String> = node["deps"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|d| d["dep_kinds"].as_array().unwrap().iter().any(|k| k["kind"].is_null()))
                .map(|d| names[d["pkg"].as_str().unwrap()].to_string())
                .collect();
            deps.entry(name).or_insert_with(BTreeSet::new).extend(normal);
        }
        Graph { deps }
    }

    /// Every package `name` depends on, directly or not (normal dependencies only).
    fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(n) = todo.pop() {
            for d in self.deps.get(&n).into_iter().flatten() {
                if seen.insert(d.clone()) {
                    todo.push(d.clone());
                }
            }
        }
        seen
    }
}

#[test]
fn director_stays_free_of_io_runtimes_and_engines() {
    let graph = Graph::load();
    let closure = graph.closure("director");
    assert!(closure.contains("model"), "the graph looks wrong: {closure:?}");
    for banned in ["bevy", "tokio", "reqwest", "axum", "hyper", "rusqlite"] {
        assert!(!closure.contains(banned), "Architecture Invariant broken: director depends on {banned}");
    }
}

#[test]
fn model_stays_light() {
    let closure = Graph::load().closure("model");
    for banned in ["bevy", "tokio", "reqwest", "axum", "director", "backstage", "stage"] {
        assert!(!closure.contains(banned), "model depends on {banned}");
    }
}

#[test]
fn stage_knows_nothing_of_director_or_backstage() {
    let graph = Graph::load();
    let closure = graph.closure("stage");
    assert!(closure.contains("bevy"));
    for banned in ["director", "backstage", "tokio", "reqwest", "axum"] {
        assert!(!closure.contains(banned), "Architecture Invariant broken: stage depends on {banned}");
    }
}

/// The sans-IO crates say so to clippy: `crates/director/clippy.toml` and `crates/model/clippy.toml` disallow
/// reading a clock, touching files, starting threads and opening sockets, each entry with its reason, so
/// `cargo clippy -- -D warnings` refuses a change that brings one in. Clippy reads the file from the crate's own
/// directory and says nothing when it is missing or an entry is dropped; this test names what went.
#[test]
fn director_and_model_forbid_clocks_files_threads_and_sockets_to_clippy() {
    let methods = [
        "std::time::SystemTime::now",
        "std::time::Instant::now",
        "std::thread::spawn",
        "std::fs::read",
        "std::fs::read_to_string",
        "std::fs::read_dir",
        "std::fs::write",
        "std::fs::remove_file",
        "std::fs::create_dir_all",
    ];
    let types = [
        "std::fs::File",
        "std::fs::OpenOptions",
        "std::net::TcpStream",
        "std::net::TcpListener",
        "std::net::UdpSocket",
    ];
    for krate in ["director", "model"] {
        let path = super::support::repo().join("crates").join(krate).join("clippy.toml");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let table = text.parse::<toml::Table>().unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for (key, wanted) in [("disallowed-methods", &methods[..]), ("disallowed-types", &types[..])] {
            // Each entry is `{ path = "...", reason = "..." }`.
            let listed: HashMap<&str, &str> = table
                .get(key)
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
                .filter_map(|entry| Some((entry.get("path")?.as_str()?, entry.get("reason")?.as_str()?)))
                .collect();
            for item in wanted {
                let Some(reason) = listed.get(item) else {
                    panic!("{}: {key} does not name {item}", path.display());
                };
                assert!(
                    reason.contains("sans-IO"),
                    "{}: {item} needs its reason (sans-IO ...), not {reason:?}",
                    path.display()
                );
            }
        }
    }
}

/// Only the director's show puts words on air: `StageCommand::PlayLine` and `ConsoleEvent::LineAired` are built
/// in `crates/director/src/show/on_air.rs` and nowhere else outside tests, and they are built there from the gate's
/// `Cleared` text (the type `Output::Speak` carries, which only `director::air` can make). A new path to the air
/// that skips the gate would have to build one of these somewhere else, and this test names the file.
#[test]
fn only_the_show_builds_what_goes_on_air() {
    let root = super::support::repo();
    let mut files = Vec::new();
    for dir in ["src", "crates"] {
        collect_rust_files(&root.join(dir), &mut files);
    }
    let mut builders = Vec::new();
    for path in files {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let is_test_file = relative.contains("/tests/")
            || relative.contains("/benches/")
            || relative.ends_with("tests.rs")
            || relative.contains("tests-support");
        if is_test_file {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        // Unit tests sit below the file's first `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for name in ["PlayLine {", "AiredLine {"] {
            for (at, _) in code.match_indices(name) {
                let body: String = code[at..].chars().take_while(|c| *c != '}').collect();
                let after = code[at + body.len()..].trim_start_matches('}').trim_start();
                // A match arm (`PlayLine { line, .. } =>`) reads one; it does not build one.
                let is_pattern = body.contains("..") || after.starts_with("=>") || after.starts_with('|');
                let before = code[..at].trim_end();
                let is_definition = before.ends_with("struct") || relative.starts_with("crates/model/");
                if !is_pattern && !is_definition && relative != "crates/director/src/show/on_air.rs" {
                    let line = code[..at].lines().count();
                    builders.push(format!("{relative}:{line} builds {name}..}}"));
                }
            }
        }
    }
    assert!(builders.is_empty(), "words may reach the air only through the director's gate: {builders:#?}");
}

/// The only files that may hold unsafe code, each saying why in its own inner allow attribute (with a reason);
/// the workspace denies it everywhere else (`[workspace.lints]` in Cargo.toml).
const UNSAFE_ALLOWED: &[&str] = &[
    // The voice's FFI: loading libespeak-ng and calling its C API.
    "crates/backstage/src/voice/espeak_ffi.rs",
    // getrusage for CPU time per frame.
    "src/bench_frames.rs",
    // sysconf for the kernel's clock tick, to read CPU time from /proc.
    "src/bench_stream.rs",
    // Handing ffmpeg its audio pipe as fd 3 (fcntl and dup2 between fork and exec).
    "crates/backstage/src/output.rs",
    // Setting ALSA_CONFIG_PATH before the test starts any thread.
    "crates/stage/tests/audio_clock.rs",
];

#[test]
fn unsafe_code_stays_in_the_files_allowed_it() {
    let root = super::support::repo();
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests"] {
        collect_rust_files(&root.join(dir), &mut files);
    }
    // Spelt in two pieces so that this file does not match itself.
    let needles = [concat!("allow(", "unsafe_code"), concat!("expect(", "unsafe_code")];
    let mut stray = Vec::new();
    for path in files {
        let relative = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if needles.iter().any(|n| text.contains(n)) && !UNSAFE_ALLOWED.contains(&relative.as_str()) {
            stray.push(relative);
        }
    }
    assert!(
        stray.is_empty(),
        "unsafe code is allowed only in {UNSAFE_ALLOWED:?}; move it there (or behind a safe crate): {stray:#?}"
    );
    for allowed in UNSAFE_ALLOWED {
        let text = std::fs::read_to_string(root.join(allowed)).unwrap_or_default();
        assert!(
            text.contains(concat!("#![allow(", "unsafe_code, reason = \"")),
            "{allowed} must say why it allows unsafe code: a `reason = \"...\"` in its inner allow attribute"
        );
    }
    // The show's output is mostly safe code (arguments, pacing, the audio mixer); only its small fd3 module, which
    // hands ffmpeg the audio pipe between fork and exec, may use unsafe code.
    let output = std::fs::read_to_string(root.join("crates/backstage/src/output.rs")).unwrap_or_default();
    let allow = output.find(concat!("#![allow(", "unsafe_code")).unwrap_or(0);
    let module = output.find("mod fd3 {").unwrap_or(usize::MAX);
    assert!(
        module < allow && !output[module..allow].contains('}'),
        "crates/backstage/src/output.rs: unsafe code is allowed only inside `mod fd3`, not in the whole file"
    );
}

#[test]
fn every_crate_opts_into_the_workspace_lints() {
    let root = super::support::repo();
    let read = |path: &std::path::Path| -> toml::Table {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
        text.parse::<toml::Table>().unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
    };
    let workspace = read(&root.join("Cargo.toml"));
    let unsafe_code = workspace
        .get("workspace")
        .and_then(|w| w.get("lints"))
        .and_then(|l| l.get("rust"))
        .and_then(|r| r.get("unsafe_code"))
        .and_then(|u| u.as_str());
    assert_eq!(unsafe_code, Some("deny"), "Cargo.toml: [workspace.lints.rust] must say unsafe_code = \"deny\"");
    let mut manifests = vec![root.join("Cargo.toml")];
    for entry in std::fs::read_dir(root.join("crates")).expect("read crates/").flatten() {
        if entry.path().join("Cargo.toml").is_file() {
            manifests.push(entry.path().join("Cargo.toml"));
        }
    }
    assert!(manifests.len() >= 5, "the workspace looks wrong: {manifests:?}");
    let mut missing = Vec::new();
    for manifest in manifests {
        let opted_in =
            read(&manifest).get("lints").and_then(|l| l.get("workspace")).and_then(|w| w.as_bool()).unwrap_or(false);
        if !opted_in {
            missing.push(manifest.strip_prefix(root).unwrap_or(&manifest).display().to_string());
        }
    }
    assert!(missing.is_empty(), "add `[lints]\nworkspace = true` to {missing:?}");
}

fn collect_rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
