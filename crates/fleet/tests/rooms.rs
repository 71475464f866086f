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
    start_worker_with(nats, pg, name, max_rooms, None)
}

fn start_worker_with(
    nats: &Nats,
    pg: &Postgres,
    name: &str,
    max_rooms: usize,
    console: Option<worker::ConsoleServe>,
) -> Worker {
    let config = WorkerConfig {
        nats_url: nats.url(),
        postgres_url: pg.url(),
        name: name.to_string(),
        max_rooms,
        lease_ttl: Duration::from_secs(3),
        only_prefix: None,
        console,
        audit_retain_days: None,
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

/// Every event `room` publishes from now on, as JSON, in a list the test reads as it grows.
async fn collect_events(client: &async_nats::Client, room: &RoomId) -> Arc<std::sync::Mutex<Vec<serde_json::Value>>> {
    let mut subscription = client.subscribe(bus::events_subject(room)).await.unwrap();
    let events: Arc<std::sync::Mutex<Vec<serde_json::Value>>> = Arc::default();
    let collected = events.clone();
    tokio::spawn(async move {
        while let Some(message) = subscription.next().await {
            if let Ok(value) = serde_json::from_slice(&message.payload) {
                collected.lock().unwrap().push(value);
            }
        }
    });
    events
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
    let events = collect_events(&client, &room.id).await;

    let questions = [("q1", "ana", "how much is the tea set?"), ("q2", "bo", "is the scarf in stock?")];
    for (id, user, text) in questions {
        bus::publish_comment(&js, &room.id, &comment(id, user, text)).await.unwrap();
    }
    wait_for("both questions answered on air", Duration::from_secs(60), async || {
        let got = answered(&events.lock().unwrap());
        got.contains("q1") && got.contains("q2")
    })
    .await;

    // PostgreSQL goes away for 30 seconds: the room keeps talking and answering, and its rows follow when it is
    // back.
    postgres.kill();
    let away = Instant::now();
    let during = events.lock().unwrap().len();
    bus::publish_comment(&js, &room.id, &comment("q-away", "dee", "what colour is the scarf?")).await.unwrap();
    wait_for("the room talks on without its database", Duration::from_secs(30), async || {
        events.lock().unwrap().iter().skip(during).filter(|e| e.pointer("/event/LineAired").is_some()).count() >= 2
    })
    .await;
    wait_for("a question asked while the database is away is answered", Duration::from_secs(30), async || {
        answered(&events.lock().unwrap()).contains("q-away")
    })
    .await;
    tokio::time::sleep(Duration::from_secs(30).saturating_sub(away.elapsed())).await;
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
    let holders = fleet::lease::Holders::new(js.clone());
    assert_eq!(holders.holder(&room.id).await.unwrap(), None);
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

async fn get_rooms(http: &reqwest::Client, base: &str, token: &str) -> Vec<fleet::console::RoomView> {
    let response = http.get(format!("{base}/api/rooms")).bearer_auth(token).send().await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.unwrap()
}

fn view<'a>(views: &'a [fleet::console::RoomView], id: &str) -> &'a fleet::console::RoomView {
    views.iter().find(|v| v.id == id).unwrap_or_else(|| panic!("no room {id} in {views:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server and postgresql-15"]
async fn the_fleet_console_shows_every_room_and_its_kill_switch_puts_up_the_standby_card() {
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let nats = Nats::start();
    let postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    for id in ["room-a", "room-b"] {
        pg.put_room(&demo_room(id), false).await.unwrap();
    }
    let mut worker = start_worker(&nats, &postgres, "w1", 4);
    let js = fleet::jetstream(&nats.url(), "test").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let token = "a-fleet-token-of-some-length";
    let stop = CancellationToken::new();
    tokio::spawn(fleet::console::serve(listener, pg.clone(), js, token.to_string(), stop.clone()));
    let http = reqwest::Client::new();

    // The page is there; the data is not, without the token.
    let page = http.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("shopcast fleet") && page.contains("/api/standby"));
    let refused = http.get(format!("{base}/api/rooms")).send().await.unwrap();
    assert_eq!(refused.status(), 401);
    let wrong = http.get(format!("{base}/api/rooms")).bearer_auth("not-the-token-at-all").send().await.unwrap();
    assert_eq!(wrong.status(), 401);

    wait_for("both rooms on air, with a line", Duration::from_secs(30), async || {
        let views = get_rooms(&http, &base, token).await;
        views.len() == 2
            && views.iter().all(|v| v.health == "on air" && v.held_by.as_deref() == Some("w1") && v.last_line.is_some())
    })
    .await;

    // The switch for one room: its standby card goes up, it stops talking, the other room goes on.
    let bad =
        http.post(format!("{base}/api/standby")).bearer_auth(token).body("{\"room\": [\"x\"]}").send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let why = bad.text().await.unwrap();
    assert!(why.contains("unknown field `room`") && why.contains("rooms"), "the error names the field: {why}");
    let ok = http
        .post(format!("{base}/api/standby"))
        .bearer_auth(token)
        .body("{\"rooms\": [\"room-b\"]}")
        .send()
        .await
        .unwrap();
    assert!(ok.status().is_success());
    wait_for("room-b shows the human host", Duration::from_secs(15), async || {
        view(&get_rooms(&http, &base, token).await, "room-b").health == "human host"
    })
    .await;
    let before = get_rooms(&http, &base, token).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let after = get_rooms(&http, &base, token).await;
    assert_eq!(view(&after, "room-b").lines, view(&before, "room-b").lines, "room-b spoke under the standby card");
    assert!(view(&after, "room-a").lines > view(&before, "room-a").lines, "room-a stopped too");
    assert_eq!(view(&after, "room-a").health, "on air");

    // Every room back at once.
    let back = http.post(format!("{base}/api/resume")).bearer_auth(token).body("{\"all\": true}").send().await.unwrap();
    assert!(back.status().is_success());
    let lines_then = view(&after, "room-b").lines;
    wait_for("room-b talks again", Duration::from_secs(20), async || {
        let views = get_rooms(&http, &base, token).await;
        let b = view(&views, "room-b");
        b.health == "on air" && b.lines > lines_then
    })
    .await;

    // A worker gone: its rooms show no worker.
    worker.stop.cancel();
    (&mut worker.task).await.unwrap().unwrap();
    wait_for("rooms without a worker say so", Duration::from_secs(10), async || {
        get_rooms(&http, &base, token).await.iter().all(|v| v.health == "no worker")
    })
    .await;
    stop.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server and postgresql-15"]
async fn the_bench_runs_its_own_rooms_only_and_measures_them() {
    let nats = Nats::start();
    let postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    // A real room of the fleet: the bench must leave it alone.
    pg.put_room(&demo_room("shop-1"), false).await.unwrap();
    let products = demo_room("x").products;
    let report = fleet::bench::run(fleet::bench::BenchConfig {
        nats_url: nats.url(),
        postgres_url: postgres.url(),
        rooms: 3,
        seconds: 8,
        comments_per_minute: 20,
        products,
        planner: None,
        video: None,
    })
    .await
    .unwrap();
    assert_eq!((report.rooms, report.rooms_on_air), (3, 3), "{report:?}");
    assert!(
        report.lines >= 3 && report.pg_writes_per_second > 0.0 && report.nats_messages_per_second > 0.0,
        "{report:?}"
    );
    assert!(report.comments > 0 && report.cpu_cores > 0.0 && report.rss_end_mib > 0.0, "{report:?}");
    let left: Vec<String> = pg.rooms().await.unwrap().into_iter().map(|r| r.id.to_string()).collect();
    assert_eq!(left, vec!["shop-1".to_string()], "the bench removes its rooms and only its rooms");
    assert_eq!(pg.audit_rows(&RoomId::parse("shop-1").unwrap()).await.unwrap(), 0, "the bench ran a real room");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server and postgresql-15"]
async fn a_moderators_stock_and_pin_survive_the_room_moving_to_another_worker() {
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let nats = Nats::start();
    let postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    let room = demo_room("room-a");
    pg.put_room(&room, false).await.unwrap();
    let client = async_nats::connect(nats.url()).await.unwrap();
    let js = jetstream::new(client.clone());
    let mut first = start_worker(&nats, &postgres, "w1", 4);
    wait_for("w1 takes the room", Duration::from_secs(20), async || {
        first.holding.borrow_and_update().rooms == vec![room.id.clone()]
    })
    .await;
    let by = "mod-ana".to_string();
    let stock = bus::Command::SetStock { product: "celadon-tea-set".into(), stock: Some(3), by };
    bus::publish_command(&js, &room.id, &stock).await.unwrap();
    bus::publish_command(&js, &room.id, &bus::Command::Pin { product: "celadon-tea-set".into() }).await.unwrap();
    wait_for("the standing overrides are kept in PostgreSQL", Duration::from_secs(20), async || {
        pg.restore_inputs(&room.id).await.unwrap_or_default().iter().any(|input| {
            matches!(input, director::Input::RestoreOverrides(state) if format!("{state:?}").contains("celadon-tea-set"))
        })
    })
    .await;

    // Three questions at once: the director answers one at a time, so when the first is on air the others wait in
    // its queue, taken but not answered.
    let seen = collect_events(&client, &room.id).await;
    let burst = [
        ("b1", "cy", "how much is the tea set?"),
        ("b2", "di", "what is the scarf made of?"),
        ("b3", "ed", "is the knife sharp?"),
    ];
    for (id, user, text) in burst {
        bus::publish_comment(&js, &room.id, &comment(id, user, text)).await.unwrap();
    }
    wait_for("the first question is on air", Duration::from_secs(60), async || {
        answered(&seen.lock().unwrap()).contains("b1")
    })
    .await;

    // The room moves: w1 gives it back, w2 takes it.
    first.stop.cancel();
    (&mut first.task).await.unwrap().unwrap();
    let triaged = |events: &[serde_json::Value]| -> HashSet<String> {
        events
            .iter()
            .filter_map(|e| e.pointer("/event/CommentTriaged/comment/id").and_then(|v| v.as_str()).map(str::to_string))
            .collect()
    };
    let at_the_move = seen.lock().unwrap().clone();
    let waiting: Vec<&str> = ["b2", "b3"]
        .into_iter()
        .filter(|id| triaged(&at_the_move).contains(*id) && !answered(&at_the_move).contains(*id))
        .collect();
    assert!(!waiting.is_empty(), "no question was waiting in w1's queue when it stopped: {at_the_move:?}");
    let mut second = start_worker(&nats, &postgres, "w2", 4);
    wait_for("w2 takes the room", Duration::from_secs(20), async || {
        second.holding.borrow_and_update().rooms == vec![room.id.clone()]
    })
    .await;
    wait_for("the questions waiting in w1's queue are answered by w2", Duration::from_secs(60), async || {
        let heard = answered(&seen.lock().unwrap());
        waiting.iter().all(|id| heard.contains(*id))
    })
    .await;
    let lines = seen.lock().unwrap().clone();
    for (id, _, _) in burst {
        let times = lines
            .iter()
            .filter(|e| e.pointer("/event/LineAired/trigger/id").and_then(|v| v.as_str()) == Some(id))
            .count();
        assert!(times <= 1, "{id} was answered {times} times");
    }
    let mut events = client.subscribe(bus::events_subject(&room.id)).await.unwrap();
    bus::publish_comment(&js, &room.id, &comment("s1", "bo", "is the tea set in stock?")).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(message) = events.next().await {
            let Ok(value) = serde_json::from_slice::<serde_json::Value>(&message.payload) else { continue };
            if value.pointer("/event/LineAired/trigger/id").and_then(|v| v.as_str()) == Some("s1") {
                return value.pointer("/event/LineAired/text").and_then(|v| v.as_str()).unwrap_or("").to_string();
            }
        }
        String::new()
    })
    .await
    .expect("the stock question was answered");
    assert!(answer.contains('3') && !answer.contains("42"), "the moderator's stock was lost in the move: {answer}");
    second.stop.cancel();
    (&mut second.task).await.unwrap().unwrap();
}

/// A browser's session with one room's console through the fleet console: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn log_in(http: &reqwest::Client, base: &str, room: &str, user: &str, password: &str) -> Result<Session, u16> {
    let form = format!("user={user}&password={password}");
    let login = http
        .post(format!("{base}/rooms/{room}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    if login.status() != 303 {
        return Err(login.status().as_u16());
    }
    let set_cookie = login.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    assert!(set_cookie.contains(&format!("Path=/rooms/{room}/;")), "the session is the room's own: {set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap_or("").to_string();
    let page = http.get(format!("{base}/rooms/{room}/")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(page.contains("static/console.js"), "the room's own console page");
    let csrf = page.split("name=\"csrf-token\" content=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    Ok(Session { cookie, csrf: csrf.to_string() })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server and postgresql-15"]
async fn a_rooms_own_console_opens_through_the_fleet_console_for_accounts_scoped_to_it_and_its_bans_move_with_it() {
    use backstage::console::accounts::{Role, hash_password};
    let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    let nats = Nats::start();
    let postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    let (a, b) = (demo_room("shop-a"), demo_room("shop-b"));
    for room in [&a, &b] {
        pg.put_room(room, false).await.unwrap();
    }
    let lin_password = "lin-long-password";
    let hash = hash_password(lin_password).unwrap();
    assert!(pg.put_account("lin", Role::Moderator, &hash, Some(std::slice::from_ref(&a.id)), false).await.unwrap());
    assert!(!pg.put_account("lin", Role::Admin, &hash, None, false).await.unwrap(), "added once");
    // shop-a remembers ana from a visit seven hours ago.
    let (raw, connection) = tokio_postgres::connect(&postgres.url(), tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    let seven_hours_ago = backstage::clock::wall_now().0 - 7 * 3_600_000;
    raw.execute(
        "INSERT INTO room_viewers (room, user_id, name, first_seen_ms, last_seen_ms, visits) \
         VALUES ('shop-a', 'ana', 'ana', $1, $1, 1)",
        &[&seven_hours_ago],
    )
    .await
    .unwrap();

    let token = "a-fleet-token-of-some-length";
    let serve = worker::ConsoleServe { bind: "127.0.0.1:0".parse().unwrap(), url: None, token: token.to_string() };
    let mut first = start_worker_with(&nats, &postgres, "w1", 4, Some(serve.clone()));
    let js = fleet::jetstream(&nats.url(), "test").await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let stop = CancellationToken::new();
    tokio::spawn(fleet::console::serve(listener, pg.clone(), js.clone(), token.to_string(), stop.clone()));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    wait_for("both rooms' consoles can be opened", Duration::from_secs(30), async || {
        let views = get_rooms(&http, &base, token).await;
        views.len() == 2 && views.iter().all(|v| v.console && v.health == "on air")
    })
    .await;

    // The fleet console's page links each room's own console, and a room's console asks for its own login.
    let page = http.get(format!("{base}/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("\"/rooms/\""), "the page links the rooms' consoles");
    let bare = http.get(format!("{base}/rooms/shop-a")).send().await.unwrap();
    assert_eq!(bare.headers().get("location").and_then(|v| v.to_str().ok()), Some("/rooms/shop-a/"));
    let anonymous = http.get(format!("{base}/rooms/shop-a/api/state")).send().await.unwrap();
    assert_eq!(anonymous.status(), 401);
    let nowhere = http.get(format!("{base}/rooms/no-such-room/")).send().await.unwrap();
    assert_eq!(nowhere.status(), 503, "a room nobody serves says so");

    // lin may open shop-a, not shop-b; a wrong password opens nothing.
    assert_eq!(log_in(&http, &base, "shop-b", "lin", lin_password).await.err(), Some(401));
    assert_eq!(log_in(&http, &base, "shop-a", "lin", "not-lins-password").await.err(), Some(401));
    let lin = log_in(&http, &base, "shop-a", "lin", lin_password).await.expect("lin logs into shop-a");
    let state: serde_json::Value = http
        .get(format!("{base}/rooms/shop-a/api/state"))
        .header("cookie", &lin.cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(state.to_string().contains("celadon-tea-set"), "the room's own products: {state}");
    // The session belongs to shop-a: shop-b does not know it.
    let elsewhere = http.get(format!("{base}/rooms/shop-b/api/state")).header("cookie", &lin.cookie).send().await;
    assert_eq!(elsewhere.unwrap().status(), 401);

    // The live feed opens through the relay with the session's cookie, and refuses without it.
    let feed_url = format!("{}/rooms/shop-a/api/feed", base.replace("http://", "ws://"));
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(&feed_url).unwrap();
    request.headers_mut().insert("cookie", lin.cookie.parse().unwrap());
    let (mut feed, _) = tokio_tungstenite::connect_async(request).await.expect("the feed opens through the relay");
    let first_message = tokio::time::timeout(Duration::from_secs(10), feed.next()).await.unwrap().unwrap().unwrap();
    assert!(first_message.to_text().unwrap().contains("\"snapshot\""), "{first_message}");
    let refused = tokio_tungstenite::connect_async(feed_url.as_str()).await.unwrap_err().to_string();
    assert!(refused.contains("401"), "{refused}");

    // lin bans a viewer in shop-a: the ban is kept in PostgreSQL, and the viewer's comments no longer reach the host.
    let ban = http
        .post(format!("{base}/rooms/shop-a/api/viewers/ban"))
        .header("cookie", &lin.cookie)
        .header("x-csrf-token", &lin.csrf)
        // As a browser sends it: the fleet console's own address, which the room console must see as its own.
        .header("origin", &base)
        .header("content-type", "application/json")
        .body(r#"{"user_id": "troll", "user_name": "Troll"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(ban.status(), 200, "{}", ban.text().await.unwrap());
    wait_for("the ban is kept in PostgreSQL", Duration::from_secs(20), async || {
        pg.standing(&a.id, backstage::clock::wall_now())
            .await
            .is_ok_and(|s| s.blocked.iter().any(|v| v.user_id == "troll"))
    })
    .await;
    let client = async_nats::connect(nats.url()).await.unwrap();
    let events = collect_events(&client, &a.id).await;
    bus::publish_comment(&js, &a.id, &comment("t1", "troll", "how much is the tea set?")).await.unwrap();
    bus::publish_comment(&js, &a.id, &comment("n1", "ana", "how much is the tea set?")).await.unwrap();
    wait_for("the other viewer is answered", Duration::from_secs(60), async || {
        answered(&events.lock().unwrap()).contains("n1")
    })
    .await;
    // ana came back after seven hours: the director hears it, and her visit is written.
    let returning = |id: &str| {
        events.lock().unwrap().iter().find_map(|e| {
            let comment = e.pointer("/event/CommentTriaged/comment")?;
            (comment.pointer("/id")?.as_str()? == id)
                .then(|| comment.pointer("/flags/returning").and_then(|v| v.as_bool()).unwrap_or(false))
        })
    };
    assert_eq!(returning("n1"), Some(true), "ana is welcomed back");
    wait_for("ana's second visit is kept", Duration::from_secs(20), async || {
        let row = raw.query_one("SELECT visits FROM room_viewers WHERE room = 'shop-a' AND user_id = 'ana'", &[]).await;
        row.is_ok_and(|r| r.get::<_, i32>(0) == 2)
    })
    .await;

    // The room moves to another worker: the feed open on the first says so and closes; the ban moves with the
    // room (read back from PostgreSQL), and lin logs in again there.
    first.stop.cancel();
    (&mut first.task).await.unwrap().unwrap();
    let closing = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(message)) = feed.next().await {
            if message.to_text().is_ok_and(|t| t.contains("\"closed\"")) {
                return true;
            }
        }
        false
    })
    .await;
    assert_eq!(closing.ok(), Some(true), "the feed on the old worker said the room stopped there");
    let mut second = start_worker_with(&nats, &postgres, "w2", 4, Some(serve));
    wait_for("w2 serves shop-a's console", Duration::from_secs(30), async || {
        let views = get_rooms(&http, &base, token).await;
        views.iter().any(|v| v.id == "shop-a" && v.console && v.held_by.as_deref() == Some("w2"))
    })
    .await;
    // bo is new to shop-a; asked by a moderator, the room forgets ana and keeps only her refusal.
    let forget = http
        .post(format!("{base}/rooms/shop-a/api/viewers/forget"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(r#"{"user_id": "ana"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(forget.status(), 200, "{}", forget.text().await.unwrap());
    wait_for("ana is forgotten in PostgreSQL", Duration::from_secs(20), async || {
        let row = raw
            .query_one(
                "SELECT name, visits, opted_out FROM room_viewers WHERE room = 'shop-a' AND user_id = 'ana'",
                &[],
            )
            .await;
        row.is_ok_and(|r| r.get::<_, Option<String>>(0).is_none() && r.get::<_, i32>(1) == 0 && r.get::<_, bool>(2))
    })
    .await;
    let after: serde_json::Value = http
        .get(format!("{base}/rooms/shop-a/api/state"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(after.pointer("/moderation/blocked").is_some_and(|b| b.to_string().contains("troll")), "{after}");
    let lin = log_in(&http, &base, "shop-a", "lin", lin_password).await.expect("lin logs in on the new holder");
    bus::publish_comment(&js, &a.id, &comment("t2", "troll", "is the scarf in stock?")).await.unwrap();
    bus::publish_comment(&js, &a.id, &comment("n2", "bo", "is the scarf in stock?")).await.unwrap();
    wait_for("the other viewer is answered on w2", Duration::from_secs(60), async || {
        answered(&events.lock().unwrap()).contains("n2")
    })
    .await;
    let heard = answered(&events.lock().unwrap());
    assert!(!heard.contains("t1") && !heard.contains("t2"), "the banned viewer was answered: {heard:?}");
    assert_eq!(returning("n2"), Some(false), "bo is new here");
    wait_for("bo's first visit is kept", Duration::from_secs(20), async || {
        let kept = raw.query_one("SELECT visits FROM room_viewers WHERE room = 'shop-a' AND user_id = 'bo'", &[]).await;
        kept.is_ok_and(|r| r.get::<_, i32>(0) == 1)
    })
    .await;

    // Lifting the ban on the new holder is kept too; the audit names lin for both, in the room's one chain.
    let lift = http
        .post(format!("{base}/rooms/shop-a/api/viewers/unblock"))
        .header("cookie", &lin.cookie)
        .header("x-csrf-token", &lin.csrf)
        // As a browser sends it: the fleet console's own address, which the room console must see as its own.
        .header("origin", &base)
        .header("content-type", "application/json")
        .body(r#"{"user_id": "troll"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(lift.status(), 200, "{}", lift.text().await.unwrap());
    wait_for("the lifted ban is gone from PostgreSQL", Duration::from_secs(20), async || {
        pg.standing(&a.id, backstage::clock::wall_now()).await.is_ok_and(|s| s.blocked.is_empty())
    })
    .await;
    // The moderator's action is written to the audit after the standing it changed (CI once read the audit between
    // the two): wait for it, then check it.
    let console_actions = async || -> Vec<String> {
        raw.query("SELECT row FROM audit WHERE room = 'shop-a' AND kind = 'console_action' ORDER BY seq", &[])
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect()
    };
    let both_by_lin = |actions: &[String]| {
        let by_lin: Vec<&String> = actions.iter().filter(|a| a.contains("\"account\":\"lin\"")).collect();
        by_lin.iter().any(|a| a.contains("/api/viewers/ban"))
            && by_lin.iter().any(|a| a.contains("/api/viewers/unblock"))
    };
    let started = Instant::now();
    let mut actions = console_actions().await;
    while !both_by_lin(&actions) && started.elapsed() < Duration::from_secs(20) {
        tokio::time::sleep(Duration::from_millis(200)).await;
        actions = console_actions().await;
    }
    assert!(both_by_lin(&actions), "{actions:?}");
    assert!(pg.verify_chain(&a.id).await.unwrap().is_ok(), "the room's chain holds");

    // Removing the account ends its session at the next request.
    assert!(pg.remove_account("lin").await.unwrap());
    let gone = http.get(format!("{base}/rooms/shop-a/api/state")).header("cookie", &lin.cookie).send().await.unwrap();
    assert_eq!(gone.status(), 401);
    stop.cancel();
    second.stop.cancel();
    (&mut second.task).await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs postgresql-15"]
async fn old_audit_months_go_whole_and_each_chain_goes_on_from_its_anchor() {
    use backstage::store::chain::Record;
    let postgres = Postgres::start();
    let pg = Pg::connect(&postgres.url()).await.unwrap();
    let now = backstage::clock::wall_now().0;
    let day = 86_400_000i64;
    let event = |wall_ms: i64, n: u32| Record::Event { wall_ms, kind: "note".into(), row: format!("{{\"n\":{n}}}") };
    let (a, b) = (RoomId::parse("old-a").unwrap(), RoomId::parse("old-b").unwrap());
    // Four years ago, then now, in two rooms.
    for n in 0..3 {
        pg.append(&a, &event(now - 4 * 365 * day + i64::from(n), n)).await.unwrap();
    }
    pg.append(&b, &event(now - 4 * 365 * day, 0)).await.unwrap();
    for n in 3..5 {
        pg.append(&a, &event(now + i64::from(n), n)).await.unwrap();
    }
    pg.append(&b, &event(now, 1)).await.unwrap();
    assert_eq!(pg.verify_chain(&a).await.unwrap(), Ok(5));

    let short = pg.drop_old_audit(365, model::UnixMs(now)).await.unwrap_err().to_string();
    assert!(short.contains("at least"), "{short}");
    let dropped = pg.drop_old_audit(3 * 365, model::UnixMs(now)).await.unwrap();
    assert_eq!(dropped.len(), 1, "one month, four years old: {dropped:?}");
    assert_eq!(pg.audit_rows(&a).await.unwrap(), 2);
    assert_eq!(pg.verify_chain(&a).await.unwrap(), Ok(2), "room a's chain goes on from its anchor");
    assert_eq!(pg.verify_chain(&b).await.unwrap(), Ok(1), "and room b's from its own");
    assert!(pg.drop_old_audit(3 * 365, model::UnixMs(now)).await.unwrap().is_empty(), "nothing left to drop");
    // A row written after the drop still links on.
    pg.append(&a, &event(now + 10, 5)).await.unwrap();
    assert_eq!(pg.verify_chain(&a).await.unwrap(), Ok(3));

    // A clock that went back across a month's end: the older month holds a later link, and is kept.
    let c = RoomId::parse("old-c").unwrap();
    let cutoff = now - 3 * 365 * day;
    // The first row in the month the retention period ends in (kept), the second in an earlier month (due).
    pg.append(&c, &event(cutoff, 0)).await.unwrap();
    pg.append(&c, &event(cutoff - 32 * day, 1)).await.unwrap();
    let kept = pg.drop_old_audit(3 * 365, model::UnixMs(now)).await.unwrap_err().to_string();
    assert!(kept.contains("old-c") && kept.contains("clock went back"), "{kept}");
    assert_eq!(pg.verify_chain(&c).await.unwrap(), Ok(2), "the chain is whole");
    assert_eq!(pg.verify_chain(&a).await.unwrap(), Ok(3));
    // Once the later month is old enough too, both go together.
    let both = pg.drop_old_audit(3 * 365, model::UnixMs(now + 62 * day)).await.unwrap();
    assert!(both.len() >= 2, "{both:?}");
    assert_eq!(pg.audit_rows(&c).await.unwrap(), 0);
    assert_eq!(pg.verify_chain(&c).await.unwrap(), Ok(0));
    pg.append(&c, &event(now, 2)).await.unwrap();
    assert_eq!(pg.verify_chain(&c).await.unwrap(), Ok(1), "c's chain goes on from the later month's last link");
}
