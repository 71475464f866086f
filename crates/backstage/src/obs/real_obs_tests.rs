//! The client, link and director against the real OBS Studio (Debian's 29 with obs-websocket 5.1), started by each
//! test under its own Xvfb with a throwaway HOME and a password. Needs /usr/bin/obs, Xvfb, openbox and wmctrl:
//! ignored by default, run with `--include-ignored` (as .ci/run does), where a missing program fails the test.

use super::director::{ObsReport, run_director_on};
use super::fault_tests::health_where;
use super::link::{LinkOptions, ObsLink};
use super::session::{ObsEvent, Session};
use super::{ObsConfig, ObsControl, ObsError};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use testkit::xorg::{ObsStudio, VirtualDisplay, need_obs};
use tokio::sync::{broadcast, mpsc};

const PASSWORD: &str = "shopcast-test-3f9a";

async fn start_obs() -> (VirtualDisplay, ObsStudio, Session) {
    let screen = VirtualDisplay::start(1280, 720).expect("virtual display");
    let started = Instant::now();
    let obs = ObsStudio::start(&screen, PASSWORD).expect("OBS starts");
    let options = LinkOptions::new(obs.url(), Some(PASSWORD.to_string()));
    let session = Session::open_when_up(&options, broadcast::channel(1024).0, Duration::from_secs(60))
        .await
        .unwrap_or_else(|e| panic!("OBS's websocket did not come up: {e}; OBS's log:\n{}", obs.log()));
    // A figure for BENCHMARKS.md, not an assertion.
    eprintln!("OBS websocket identified {} ms after OBS was started", started.elapsed().as_millis());
    (screen, obs, session)
}

async fn open(obs: &ObsStudio, password: Option<&str>) -> Result<Session, ObsError> {
    let (events, _) = broadcast::channel(16);
    let timeout = Duration::from_secs(10);
    let options = LinkOptions {
        request_timeout: timeout,
        handshake_timeout: timeout,
        ..LinkOptions::new(obs.url(), password.map(str::to_string))
    };
    Session::open(&options, events).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs OBS Studio and a virtual display (obs-studio xvfb openbox wmctrl)"]
async fn the_handshake_authenticates_and_a_wrong_password_is_refused_clearly() {
    need_obs();
    let (screen, mut obs, session) = start_obs().await;
    assert!(session.obs_websocket_version.starts_with("5."), "{}", session.obs_websocket_version);
    let version = session.request("GetVersion", Value::Null).await.expect("GetVersion");
    assert_eq!(version["rpcVersion"], 1);
    assert!(version["availableRequests"].as_array().is_some_and(|r| r.iter().any(|r| r == "SetCurrentProgramScene")));
    let mut round_trips: Vec<Duration> = Vec::new();
    for _ in 0..50 {
        let sent = Instant::now();
        session.request("GetCurrentProgramScene", Value::Null).await.expect("GetCurrentProgramScene");
        round_trips.push(sent.elapsed());
    }
    round_trips.sort();
    eprintln!("request round trip over 50: median {:?}, max {:?}", round_trips[25], round_trips[49]);

    let wrong = open(&obs, Some("not-the-password")).await.err().expect("a wrong password must be refused");
    assert_eq!(wrong, ObsError::AuthFailed);
    assert!(wrong.to_string().contains("SHOPCAST_OBS_PASSWORD") && !wrong.is_retryable(), "{wrong}");
    let missing = open(&obs, None).await.err().expect("no password must be refused");
    assert_eq!(missing, ObsError::PasswordRequired);

    // OBS's own refusals carry its status code, its name and OBS's comment.
    let refused = session
        .request("SetCurrentProgramScene", json!({ "sceneName": "No such scene" }))
        .await
        .expect_err("the scene does not exist");
    assert_eq!(refused.status_code(), Some(600));
    let text = refused.to_string();
    assert!(text.starts_with("SetCurrentProgramScene failed: OBS answered 600 (ResourceNotFound): "), "{text}");
    assert!(text.contains("No such scene") || text.to_lowercase().contains("not found"), "{text}");

    // The supervised link: up, down while OBS is gone (requests fail at once), up again after OBS restarts.
    let options = LinkOptions {
        backoff_min: Duration::from_millis(100),
        backoff_max: Duration::from_millis(800),
        ..LinkOptions::new(obs.url(), Some(PASSWORD.to_string()))
    };
    let link = ObsLink::start(options);
    let mut health = link.health();
    let up = health_where(&mut health, |h| h.healthy, Duration::from_secs(10)).await;
    assert!(up.is_ok(), "the link should connect: {up:?}");
    drop(session);
    obs.kill();
    let down = health_where(&mut health, |h| !h.healthy, Duration::from_secs(10)).await;
    assert!(down.is_ok(), "the link should notice OBS is gone: {down:?}");
    let started = Instant::now();
    let refused = link.request("GetVersion", Value::Null).await.expect_err("OBS is gone");
    assert!(matches!(refused, ObsError::NotConnected { .. }) && started.elapsed() < Duration::from_millis(100));
    obs.restart(&screen).expect("OBS restarts");
    let back = health_where(&mut health, |h| h.healthy && h.session == 2, Duration::from_secs(60)).await;
    assert!(back.is_ok(), "the link should reconnect to the restarted OBS: {back:?}\n{}", obs.log());
    let version = link.request("GetVersion", Value::Null).await.expect("requests work again");
    assert_eq!(version["rpcVersion"], 1);
}

/// Waits until every expected event has been seen, in any order (OBS emits a scene change when its transition
/// runs, so it may come before or after the source toggles sent just after it). An expectation is an event type
/// and fields its data must hold.
async fn expect_all(events: &mut broadcast::Receiver<ObsEvent>, expected: &[(&str, Value)]) {
    let mut missing: Vec<&(&str, Value)> = expected.iter().collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !missing.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, events.recv()).await {
            Ok(Ok(e)) => {
                let hit = missing.iter().position(|(kind, fields)| {
                    *kind == e.event_type
                        && fields.as_object().is_some_and(|f| f.iter().all(|(k, v)| e.data.get(k) == Some(v)))
                });
                if let Some(i) = hit {
                    missing.remove(i);
                }
            }
            Ok(Err(broadcast::error::RecvError::Lagged(_))) => continue,
            other => panic!("within 10 s OBS did not report {missing:?}: {other:?}"),
        }
    }
}

fn scene(name: &str) -> (&'static str, Value) {
    ("CurrentProgramSceneChanged", json!({ "sceneName": name }))
}

fn shown(scene: &str, on: bool) -> (&'static str, Value) {
    ("SceneItemEnableStateChanged", json!({ "sceneName": scene, "sceneItemEnabled": on }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs OBS Studio and a virtual display (obs-studio xvfb openbox wmctrl)"]
async fn the_director_switches_scenes_and_toggles_sources_in_real_obs() {
    need_obs();
    let (_screen, obs, session) = start_obs().await;
    // Set up what a streamer would have made by hand: four scenes and a product close-up in two of them.
    for scene in ["Host", "Tea table", "Camera", "Be right back"] {
        session.request("CreateScene", json!({ "sceneName": scene })).await.expect("CreateScene");
    }
    let closeup = json!({ "sceneName": "Host", "inputName": "Tea close-up", "inputKind": "color_source_v3",
        "inputSettings": { "color": 0xff3366aa_u32, "width": 320, "height": 240 }, "sceneItemEnabled": false });
    session.request("CreateInput", closeup).await.expect("CreateInput");
    session
        .request(
            "CreateSceneItem",
            json!({ "sceneName": "Tea table", "sourceName": "Tea close-up", "sceneItemEnabled": false }),
        )
        .await
        .expect("CreateSceneItem");
    for scene in ["Host", "Tea table"] {
        // Hidden to begin with (whatever the creation defaults are).
        let id = session.request("GetSceneItemId", json!({ "sceneName": scene, "sourceName": "Tea close-up" })).await;
        let id = id.expect("the close-up is in the scene")["sceneItemId"].clone();
        let hide = json!({ "sceneName": scene, "sceneItemId": id, "sceneItemEnabled": false });
        session.request("SetSceneItemEnabled", hide).await.expect("SetSceneItemEnabled");
    }
    session.request("SetCurrentProgramScene", json!({ "sceneName": "Host" })).await.expect("start on Host");

    let config = ObsConfig {
        url: obs.url(),
        password: Some(PASSWORD.into()),
        scene_on_product: [("tea-set".to_string(), "Tea table".to_string())].into(),
        default_scene: Some("Host".into()),
        human_host_scene: Some("Camera".into()),
        standby_scene: Some("Be right back".into()),
        product_sources: [("tea-set".to_string(), "Tea close-up".to_string())].into(),
    };
    let (events_tx, mut events) = broadcast::channel(256);
    let watch = Session::open(&config.link_options(), events_tx).await.expect("a watching session");
    let link = ObsLink::start(config.link_options());
    let (commands, commands_rx) = broadcast::channel(64);
    let (control, control_rx) = mpsc::channel(4);
    let (reports_tx, mut reports) = mpsc::channel(64);
    let director_config = config.clone();
    let director =
        tokio::spawn(
            async move { run_director_on(&link, &director_config, commands_rx, control_rx, reports_tx).await },
        );
    loop {
        match tokio::time::timeout(Duration::from_secs(10), reports.recv()).await {
            Ok(Some(ObsReport::Health { healthy: true, .. })) => break,
            Ok(Some(_)) => continue,
            other => panic!("the director never reported OBS healthy: {other:?}"),
        }
    }

    let send = |c| commands.send(c).expect("director listening");
    send(super::director::tests::pin("tea-set"));
    // The product's scene, and its close-up shown in both scenes that hold it.
    expect_all(&mut events, &[scene("Tea table"), shown("Host", true), shown("Tea table", true)]).await;
    send(model::StageCommand::HumanHost { on: true });
    expect_all(&mut events, &[scene("Camera")]).await;
    send(model::StageCommand::HumanHost { on: false });
    expect_all(&mut events, &[scene("Tea table")]).await;
    send(model::StageCommand::UnpinOffer);
    send(model::StageCommand::Standby { on: true });
    expect_all(&mut events, &[scene("Be right back"), shown("Host", false), shown("Tea table", false)]).await;
    let current = watch.request("GetCurrentProgramScene", Value::Null).await.expect("GetCurrentProgramScene");
    assert_eq!(current["currentProgramSceneName"], "Be right back");
    for scene in ["Host", "Tea table"] {
        let id = watch.request("GetSceneItemId", json!({ "sceneName": scene, "sourceName": "Tea close-up" })).await;
        let id = id.expect("the close-up is in the scene")["sceneItemId"].clone();
        let on = watch.request("GetSceneItemEnabled", json!({ "sceneName": scene, "sceneItemId": id })).await;
        assert_eq!(on.expect("GetSceneItemEnabled")["sceneItemEnabled"], false, "hidden on standby in {scene}");
    }

    // Console buttons: an output that is not running is refused with OBS's reason; recording starts and stops.
    control.send(ObsControl::StopStreaming).await.expect("director listening");
    let outcome = next_control(&mut reports).await;
    let reason = outcome.expect_err("no stream is running");
    assert!(reason.contains("StopStream failed: OBS answered 501 (OutputNotRunning)"), "{reason}");
    control.send(ObsControl::StartRecording).await.expect("director listening");
    next_control(&mut reports).await.expect("recording starts");
    expect_all(&mut events, &[("RecordStateChanged", json!({ "outputActive": true }))]).await;
    control.send(ObsControl::StopRecording).await.expect("director listening");
    next_control(&mut reports).await.expect("recording stops");
    expect_all(&mut events, &[("RecordStateChanged", json!({ "outputState": "OBS_WEBSOCKET_OUTPUT_STOPPED" }))]).await;

    drop(commands);
    tokio::time::timeout(Duration::from_secs(5), director)
        .await
        .expect("the director ends with the show")
        .expect("no panic");
}

async fn next_control(reports: &mut mpsc::Receiver<ObsReport>) -> Result<(), String> {
    loop {
        match tokio::time::timeout(Duration::from_secs(20), reports.recv()).await {
            Ok(Some(ObsReport::Control { outcome, .. })) => return outcome,
            Ok(Some(_)) => continue,
            other => panic!("no answer to the console button: {other:?}"),
        }
    }
}
