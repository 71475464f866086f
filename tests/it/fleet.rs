//! The fleet end to end: `shopcast fleet` workers as real processes against nats-server (JetStream) and
//! PostgreSQL 15, both started by the test on 127.0.0.1. One worker is killed with SIGKILL; its rooms must move to
//! the others, resume where they were, and answer the comments that were waiting. A room is rendered on another
//! process (`shopcast fleet render`) from its worker's stage commands, with its voice.

use crate::support::{scratch, shopcast_command, text};
use fleet::RoomId;
use fleet::pg::Pg;
use futures_util::StreamExt;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use testkit::Guarded;
use testkit::servers::{Nats, Postgres};

const ROOMS: usize = 9;
const LEASE_SECONDS: u64 = 3;

/// The demo products without their local pictures (a fleet's pictures are URLs), in `dir`.
fn fleet_products(dir: &std::path::Path) -> std::path::PathBuf {
    let products: String = std::fs::read_to_string(crate::support::repo().join("assets/demo/products.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("image"))
        .map(|l| format!("{l}\n"))
        .collect();
    let products_file = dir.join("products.toml");
    std::fs::write(&products_file, products).unwrap();
    products_file
}

fn worker(nats: &Nats, pg: &Postgres, name: &str) -> Guarded {
    let mut command = shopcast_command();
    command
        .args(["fleet", "worker", "--nats", &nats.url(), "--postgres", &pg.url(), "--name", name])
        .args(["--max-rooms", "5", "--lease-seconds", &LEASE_SECONDS.to_string()])
        .env("SHOPCAST_LOG", "warn")
        .stdout(Stdio::null());
    Guarded::spawn(&mut command, "shopcast").unwrap()
}

/// What the test saw of one room on the events subject.
#[derive(Default, Debug)]
struct Seen {
    lines: Vec<Heard>,
}

/// One aired line as published.
#[derive(Debug)]
struct Heard {
    kind: Value,
    product: Option<String>,
    /// The comment it answers.
    trigger: Option<String>,
    at: Instant,
}

impl Heard {
    /// The product of a pitch line.
    fn pitching(&self) -> Option<String> {
        self.kind.get("Pitch").and(self.product.clone())
    }
}

#[test]
#[ignore = "needs nats-server and postgresql-15"]
fn a_killed_workers_rooms_move_resume_and_answer_what_was_waiting() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let nats = Nats::start();
    let pg = Postgres::start();
    let dir = scratch("fleet");
    // Pictures are URLs in a fleet (a worker has no folder beside the file): the demo's local ones are left out.
    let products_file = fleet_products(&dir);

    // Rooms are added through the CLI; a bad room is refused there, naming what is wrong.
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, "[[product]]\nid = \"x\"\n").unwrap();
    let refused = shopcast_command()
        .args(["fleet", "room", "add", "bad-room", "--products"])
        .arg(&bad)
        .args(["--postgres", &pg.url()])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("bad.toml"), "{}", text(&refused.stderr));
    let rooms: Vec<RoomId> = (0..ROOMS).map(|i| RoomId::parse(&format!("room-{i}")).unwrap()).collect();
    for room in &rooms {
        let out = shopcast_command()
            .args(["fleet", "room", "add", room.as_str(), "--products"])
            .arg(&products_file)
            .args(["--postgres", &pg.url()])
            .output()
            .unwrap();
        assert!(out.status.success(), "room add: {}", text(&out.stderr));
    }

    let seen: Arc<Mutex<HashMap<String, Seen>>> = Arc::default();
    let js = runtime.block_on(async {
        let js = fleet::jetstream(&nats.url(), "test").await.unwrap();
        fleet::bus::ensure_streams(&js).await.unwrap();
        let client = fleet::async_nats::connect(nats.url()).await.unwrap();
        let mut events = client.subscribe("shopcast.room.*.events").await.unwrap();
        let seen = seen.clone();
        tokio::spawn(async move {
            while let Some(message) = events.next().await {
                let Ok(value) = serde_json::from_slice::<Value>(&message.payload) else { continue };
                let Some(line) = value.pointer("/event/LineAired") else { continue };
                let room = value["room"].as_str().unwrap_or_default().to_string();
                let entry = Heard {
                    kind: line["kind"].clone(),
                    product: line["product"].as_str().map(str::to_string),
                    trigger: line.pointer("/trigger/id").and_then(Value::as_str).map(str::to_string),
                    at: Instant::now(),
                };
                seen.lock().unwrap().entry(room).or_default().lines.push(entry);
            }
        });
        js
    });
    let mut workers: Vec<(String, Guarded)> =
        ["w1", "w2", "w3"].iter().map(|name| (name.to_string(), worker(&nats, &pg, name))).collect();

    let holders = |runtime: &tokio::runtime::Runtime| -> HashMap<RoomId, String> {
        runtime.block_on(async {
            let leases = fleet::lease::Holders::new(js.clone());
            let mut out = HashMap::new();
            for room in &rooms {
                if let Ok(Some(holder)) = leases.holder(room).await {
                    out.insert(room.clone(), holder.worker);
                }
            }
            out
        })
    };
    let started = Instant::now();
    let mut held = holders(&runtime);
    while held.len() < ROOMS {
        assert!(started.elapsed() < Duration::from_secs(60), "not every room taken: {held:?}");
        std::thread::sleep(Duration::from_millis(300));
        held = holders(&runtime);
    }
    let all_on_air = started.elapsed();
    // Each room speaks: its first lines arrive on the events subject.
    assert!(testkit::poll(Duration::from_secs(30), || seen.lock().unwrap().len() == ROOMS), "not every room spoke");
    std::thread::sleep(Duration::from_secs(8));

    // The worker with the most rooms dies without a word.
    let mut per_worker: HashMap<&str, Vec<RoomId>> = HashMap::new();
    for (room, worker) in &held {
        per_worker.entry(worker.as_str()).or_default().push(room.clone());
    }
    let (victim, victim_rooms) =
        per_worker.iter().max_by_key(|(_, rooms)| rooms.len()).map(|(w, r)| (w.to_string(), r.clone())).unwrap();
    assert!(per_worker.values().all(|r| r.len() <= 5), "a worker took more than --max-rooms: {per_worker:?}");
    let pitching_before: HashMap<RoomId, Option<String>> = victim_rooms
        .iter()
        .map(|room| {
            let seen = seen.lock().unwrap();
            let last = seen[room.as_str()].lines.iter().rev().find_map(Heard::pitching);
            (room.clone(), last)
        })
        .collect();
    let index = workers.iter().position(|(name, _)| *name == victim).unwrap();
    workers[index].1.kill();
    let killed_at = Instant::now();

    // Comments sent while nobody holds the victim's rooms wait in the stream.
    runtime.block_on(async {
        for (i, room) in victim_rooms.iter().enumerate() {
            let item = serde_json::json!({
                "platform": "generic", "id": format!("waiting-{room}"), "user_id": format!("viewer{i}"),
                "user_name": format!("viewer{i}"), "text": "how much is the tea set?",
            });
            fleet::bus::publish_comment(&js, room, &item).await.unwrap();
        }
    });

    // Each room is taken by a living worker and speaks again, in a new epoch.
    let mut moved: HashMap<RoomId, Duration> = HashMap::new();
    while moved.len() < victim_rooms.len() {
        assert!(killed_at.elapsed() < Duration::from_secs(60), "rooms not moved: {moved:?} of {victim_rooms:?}");
        let now_held = holders(&runtime);
        let seen = seen.lock().unwrap();
        for room in &victim_rooms {
            if moved.contains_key(room) {
                continue;
            }
            let new_holder = now_held.get(room).is_some_and(|w| *w != victim);
            let spoke_again = seen[room.as_str()].lines.iter().any(|heard| heard.at > killed_at);
            if new_holder && spoke_again {
                moved.insert(room.clone(), killed_at.elapsed());
            }
        }
        drop(seen);
        std::thread::sleep(Duration::from_millis(200));
    }
    let slowest = moved.values().max().copied().unwrap_or_default();
    // Within 10 s of the lease expiring (it expires at most LEASE_SECONDS after the last renewal).
    assert!(slowest <= Duration::from_secs(LEASE_SECONDS + 10), "slowest takeover {slowest:?}");

    // The waiting comments are answered, each once, and each room resumed on the product it was pitching.
    assert!(
        testkit::poll(Duration::from_secs(60), || {
            let seen = seen.lock().unwrap();
            victim_rooms.iter().all(|room| {
                let waiting = format!("waiting-{room}");
                seen[room.as_str()].lines.iter().any(|heard| heard.trigger.as_deref() == Some(waiting.as_str()))
            })
        }),
        "a waiting comment was not answered"
    );
    let seen_now = seen.lock().unwrap();
    for room in &victim_rooms {
        let lines = &seen_now[room.as_str()].lines;
        let answers: Vec<&String> = lines.iter().filter_map(|heard| heard.trigger.as_ref()).collect();
        let distinct: HashSet<&String> = answers.iter().copied().collect();
        assert_eq!(answers.len(), distinct.len(), "{room}: a comment answered twice: {answers:?}");
        let first_pitch_after = lines.iter().filter(|heard| heard.at > killed_at).find_map(Heard::pitching);
        if let (Some(before), Some(after)) = (&pitching_before[room], &first_pitch_after) {
            assert_eq!(before, after, "{room} did not resume on the product it was pitching");
        }
    }
    drop(seen_now);

    // The audit of every room holds, rows from both holders included.
    runtime.block_on(async {
        let store = Pg::connect(&pg.url()).await.unwrap();
        for room in &rooms {
            let links = store.verify_chain(room).await.unwrap().unwrap_or_else(|seq| panic!("{room}: link {seq}"));
            assert!(links > 0, "{room}: nothing in the audit");
        }
    });
    println!(
        "fleet: {ROOMS} rooms on air in {:.1} s; {} rooms of the killed worker moved in {:.1} s at the slowest \
         (lease {LEASE_SECONDS} s)",
        all_on_air.as_secs_f64(),
        victim_rooms.len(),
        slowest.as_secs_f64()
    );
}

/// A room drawn and streamed elsewhere: a worker runs the room (its director and its espeak-ng voice), and
/// `shopcast fleet render` on another process follows its stage commands into a video file with the voice.
#[test]
#[ignore = "needs nats-server, postgresql-15, espeak-ng, ffmpeg and a Vulkan driver"]
fn a_room_is_rendered_on_another_process_with_its_voice() {
    crate::rtmp::need_ffmpeg();
    crate::rtmp::need_vulkan();
    let nats = Nats::start();
    let pg = Postgres::start();
    let dir = scratch("fleet-render");
    let products_file = fleet_products(&dir);
    let added = shopcast_command()
        .args(["fleet", "room", "add", "shop-a", "--products"])
        .arg(&products_file)
        .args(["--postgres", &pg.url()])
        .output()
        .unwrap();
    assert!(added.status.success(), "room add: {}", text(&added.stderr));
    let unknown = shopcast_command()
        .args(["fleet", "render", "no-such-room", "--video", "x.mp4", "--postgres", &pg.url()])
        .output()
        .unwrap();
    assert!(!unknown.status.success() && text(&unknown.stderr).contains("no room no-such-room"));

    // The renderer first: it waits for the room to come on air.
    let video = dir.join("shop-a.mp4");
    let seconds = 14;
    let renderer = shopcast_command()
        .args(["fleet", "render", "shop-a", "--nats", &nats.url(), "--postgres", &pg.url()])
        .args(["--size", "320x180", "--seconds", &seconds.to_string(), "--video"])
        .arg(&video)
        .env("SHOPCAST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _worker = worker(&nats, &pg, "w1");
    let out = renderer.wait_with_output().unwrap();
    let log = text(&out.stderr);
    assert!(out.status.success(), "the renderer failed: {log}");
    assert!(log.contains("rendered: "), "{log}");

    let streams = crate::rtmp::streams(&video);
    assert!(streams.iter().any(|s| s.0 == "video" && s.1 == "h264" && (s.2, s.3) == (320, 180)), "{streams:?}");
    assert!(streams.iter().any(|s| s.0 == "audio" && s.1 == "aac"), "{streams:?}");
    let covered = crate::rtmp::covered_seconds(&video, "v:0");
    assert!(covered >= f64::from(seconds) - 2.0, "{covered} s of video for {seconds} s");
    // The room's lines are heard: its worker's voice came with its stage commands.
    let loudest = crate::rtmp::max_volume_db(&video);
    assert!(loudest > -30.0, "the room's voice is missing from the video (max {loudest} dB)");
}

/// `shopcast fleet account`: a moderator for one room, listed, widened to every room, removed; bad input refused
/// with what is wrong.
#[test]
#[ignore = "needs postgresql-15"]
fn fleet_accounts_are_added_scoped_listed_reset_and_removed_from_the_cli() {
    let pg = Postgres::start();
    let fleet =
        |args: &[&str]| shopcast_command().arg("fleet").args(args).args(["--postgres", &pg.url()]).output().unwrap();
    let added = fleet(&["account", "add", "lin", "--role", "moderator", "--rooms", "shop-a,shop-b"]);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let password = text(&added.stdout).trim().to_string();
    assert!(password.len() >= 12, "a generated password, printed once on stdout: {password:?}");
    assert!(text(&added.stderr).contains("shop-a, shop-b"), "{}", text(&added.stderr));
    let twice = fleet(&["account", "add", "lin", "--role", "admin"]);
    assert!(!twice.status.success() && text(&twice.stderr).contains("account reset lin"), "{}", text(&twice.stderr));
    for (args, says) in [
        (vec!["account", "add", "wei", "--role", "boss"], "boss"),
        (vec!["account", "add", "Wei", "--role", "admin"], "Wei"),
        (vec!["account", "add", "wei", "--role", "admin", "--rooms", "Shop A"], "--rooms"),
        (vec!["account", "add", "wei"], "--role"),
        (vec!["account", "reset", "nobody"], "no account nobody"),
        (vec!["account", "remove", "nobody"], "no account"),
    ] {
        let out = fleet(&args);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(text(&out.stderr).contains(says), "{args:?}: {}", text(&out.stderr));
    }
    let list = fleet(&["account", "list"]);
    let listed = text(&list.stdout);
    assert!(listed.contains("lin") && listed.contains("moderator") && listed.contains("shop-a,shop-b"), "{listed}");
    assert!(!listed.contains("wei"), "refused accounts are not kept: {listed}");
    let reset = fleet(&["account", "reset", "lin", "--all-rooms"]);
    assert!(reset.status.success(), "{}", text(&reset.stderr));
    assert_ne!(text(&reset.stdout).trim(), password, "a new password");
    let listed = text(&fleet(&["account", "list"]).stdout);
    assert!(listed.contains("(every room)") && listed.contains("moderator"), "the role is kept: {listed}");
    assert!(fleet(&["account", "remove", "lin"]).status.success());
    assert!(!text(&fleet(&["account", "list"]).stdout).contains("lin"));
}
