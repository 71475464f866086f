//! Rooms on a worker against real servers started by the test: nats-server with JetStream and PostgreSQL 15.

use async_nats::jetstream;
use fleet::pg::{Pg, RoomRecord};
use fleet::worker::{Holding, WorkerConfig};
use fleet::{RoomId, bus, room, worker};
use futures_util::StreamExt;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::servers::{Nats, Postgres};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

fn demo_room(id: &str) -> RoomRecord {
    RoomRecord {
        id: RoomId::parse(id).unwrap(),
        show_toml: String::new(),
        products_name: "products.toml".into(),
        // A worker has no folder of pictures beside the file: a fleet's products name theirs by URL, or none.
        products: testkit::testdata_text("../assets/demo/products.toml")
            .lines()
            .filter(|l| !l.trim_start().starts_with("image"))
            .collect::<Vec<_>>()
            .join("\n"),
        scene_toml: None,
        stopped: false,
    }
}

fn comment(id: &str, user: &str, text: &str) -> serde_json::Value {
    serde_json::json!({ "platform": "generic", "id": id, "user_id": user, "user_name": user, "text": text })
}

struct Worker {
    stop: CancellationToken,
    holding: watch::Receiver<Holding>,
    task: tokio::task::JoinHandle<Result<(), fleet::FleetError>>,
}

fn start_worker(nats: &Nats, pg: &Postgres, name: &str, max_rooms: usize) -> Worker {
    let config = WorkerConfig {
        nats_url: nats.url(),
        postgres_url: pg.url(),
        name: name.to_string(),
        max_rooms,
        lease_ttl: Duration::from_secs(3),
    };
    let (tx, holding) = watch::channel(Holding::default());
    let stop = CancellationToken::new();
    let task = tokio::spawn(worker::run(config, Arc::new(room::plan_with_defaults), Some(tx), stop.clone()));
    Worker { stop, holding, task }
}

async fn wait_for(what: &str, within: Duration, mut check: impl AsyncFnMut() -> bool) {
    let started = Instant::now();
    while !check().await {
        assert!(started.elapsed() < within, "{what}: not within {within:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The ids of the comments answered in `room`'s published events so far.
fn answered(events: &[serde_json::Value]) -> HashSet<String> {
    events
        .iter()
        .filter_map(|e| e.pointer("/event/LineAired/trigger/id").and_then(|v| v.as_str()).map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server and postgresql-15"]
async fn a_room_answers_its_comments_keeps_its_audit_and_survives_both_servers_going_away() {
    let _ = tracing_subscriber::fmt().with_env_filter("info,async_nats=warn").with_test_writer().try_init();
    let mut nats = Nats::start();
    let mut postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    let room = demo_room("room-a");
    pg.put_room(&room, false).await.unwrap();
    let again = pg.put_room(&room, false).await.unwrap_err().to_string();
    assert!(again.contains("already exists") && again.contains("--replace"), "{again}");

    let client = async_nats::connect(nats.url()).await.unwrap();
    let js = jetstream::new(client.clone());
    let mut worker = start_worker(&nats, &postgres, "w1", 4);
    wait_for("the worker takes the room", Duration::from_secs(20), async || {
        worker.holding.borrow_and_update().rooms == vec![room.id.clone()]
    })
    .await;
    let mut events_sub = client.subscribe(bus::events_subject(&room.id)).await.unwrap();
    let events = Arc::new(std::sync::Mutex::new(Vec::<serde_json::Value>::new()));
    let collected = events.clone();
    tokio::spawn(async move {
        while let Some(message) = events_sub.next().await {
            if let Ok(value) = serde_json::from_slice(&message.payload) {
                collected.lock().unwrap().push(value);
            }
        }
    });

    let questions = [("q1", "ana", "how much is the tea set?"), ("q2", "bo", "is the scarf in stock?")];
    for (id, user, text) in questions {
        bus::publish_comment(&js, &room.id, &comment(id, user, text)).await.unwrap();
    }
    wait_for("both questions answered on air", Duration::from_secs(60), async || {
        let got = answered(&events.lock().unwrap());
        got.contains("q1") && got.contains("q2")
    })
    .await;

    // PostgreSQL goes away for a while: the room keeps talking, and its rows follow when it is back.
    postgres.kill();
    let during = events.lock().unwrap().len();
    wait_for("the room talks on without its database", Duration::from_secs(30), async || {
        events.lock().unwrap().iter().skip(during).filter(|e| e.pointer("/event/LineAired").is_some()).count() >= 2
    })
    .await;
    postgres.resume();

    // NATS restarts (kill -9, same store): the room's consumer comes back and a comment sent after is answered.
    nats.restart();
    wait_for("the client reconnects", Duration::from_secs(20), async || {
        bus::publish_comment(&js, &room.id, &comment("q3", "cy", "what sizes does the scarf come in?")).await.is_ok()
    })
    .await;
    wait_for("a comment sent after the restart is answered", Duration::from_secs(60), async || {
        answered(&events.lock().unwrap()).contains("q3")
    })
    .await;

    // Every aired line published is in the audit, once, and the chain holds.
    let aired: HashSet<u64> = events
        .lock()
        .unwrap()
        .iter()
        .filter_map(|e| e.pointer("/event/LineAired/line").and_then(|v| v.as_u64()))
        .collect();
    wait_for("every aired line is in the audit", Duration::from_secs(30), async || {
        let lines = pg.lines_since(&room.id, model::UnixMs(0)).await.unwrap_or_default();
        let logged: HashSet<u64> = lines.iter().map(|l| l.line.0).collect();
        aired.is_subset(&logged)
    })
    .await;
    let lines = pg.lines_since(&room.id, model::UnixMs(0)).await.unwrap();
    let ids: Vec<u64> = lines.iter().map(|l| l.line.0).collect();
    let distinct: HashSet<u64> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "a line written twice");
    let links = pg.verify_chain(&room.id).await.unwrap().expect("the chain holds");
    assert!(links as usize > lines.len(), "the show's start and events are linked too ({links} links)");

    // The audit refuses changes.
    let url = postgres.url();
    let (raw, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let refused = raw.execute("UPDATE audit SET text = 'changed' WHERE room = 'room-a'", &[]).await.unwrap_err();
    assert!(
        refused.to_string().contains("append-only") || format!("{refused:?}").contains("append-only"),
        "{refused:?}"
    );
    assert!(raw.execute("DELETE FROM audit", &[]).await.is_err());

    // Stopping the worker gives the room back at once.
    worker.stop.cancel();
    worker.task.await.unwrap().unwrap();
    let leases = fleet::lease::Leases::open(&js, "probe", Duration::from_secs(3)).await.unwrap();
    assert_eq!(leases.holder(&room.id).await.unwrap(), None);
    // Every comment was acknowledged: none waits for the next holder.
    let mut consumer: jetstream::consumer::PullConsumer = js
        .get_stream(bus::COMMENTS_STREAM)
        .await
        .unwrap()
        .get_consumer(&format!("comments-{}", room.id))
        .await
        .unwrap();
    let info = consumer.info().await.unwrap();
    assert_eq!((info.num_pending, info.num_ack_pending), (0, 0), "comments left unacknowledged");
}
