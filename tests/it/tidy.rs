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
