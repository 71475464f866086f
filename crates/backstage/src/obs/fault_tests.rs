//! Faults the real OBS cannot be made to produce on demand, from a scripted obs-websocket server on 127.0.0.1:
//! a socket that drops (the link reconnects and reports down, then up) and replies that never come (the request
//! times out and the session stays usable). The protocol itself is proven against the real OBS in
//! real_obs_tests.rs.

use super::director::{ObsReport, run_director_on};
use super::link::{LinkOptions, ObsHealth, ObsLink};
use super::{ObsConfig, ObsError};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_tungstenite::tungstenite::Message;

type ServerWs = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// What the scripted server does after the handshake; otherwise it answers every request with success, echoing
/// the request type.
#[derive(Clone, Copy, PartialEq)]
enum Script {
    /// Answer the first request only when the second arrives, and then before the second.
    SlowFirst,
    /// Close the TCP connection without a close frame right after Identified (first connection only).
    DropFirst,
    /// Hang after Identified: keep the socket open but never read from it again (a frozen OBS).
    Hang,
}

async fn fake_obs(script: Script) -> (String, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("ws://{}", listener.local_addr().expect("addr"));
    let server = tokio::spawn(async move {
        let mut connection = 0;
        while let Ok((tcp, _)) = listener.accept().await {
            connection += 1;
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { continue };
            if !handshake(&mut ws).await {
                continue;
            }
            if script == Script::DropFirst && connection == 1 {
                // Long enough for the test to see the session, then gone; and a slow comeback, so that the test
                // sees the link down before it reconnects.
                tokio::time::sleep(Duration::from_millis(300)).await;
                drop(ws);
                tokio::time::sleep(Duration::from_millis(700)).await;
                continue;
            }
            if script == Script::Hang {
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                    drop(ws);
                });
                continue;
            }
            tokio::spawn(answer(ws, script));
        }
    });
    (url, server)
}

async fn handshake(ws: &mut ServerWs) -> bool {
    let hello = json!({ "op": 0, "d": { "obsWebSocketVersion": "5.1.0", "rpcVersion": 1 } });
    if ws.send(Message::Text(hello.to_string().into())).await.is_err() {
        return false;
    }
    match ws.next().await {
        Some(Ok(Message::Text(t))) => {
            let identify: Value = serde_json::from_str(t.as_str()).unwrap_or_default();
            assert_eq!(identify["op"], 1, "the client must answer Hello with Identify: {identify}");
            assert_eq!(identify["d"]["rpcVersion"], 1);
        }
        _ => return false,
    }
    let identified = json!({ "op": 2, "d": { "negotiatedRpcVersion": 1 } });
    ws.send(Message::Text(identified.to_string().into())).await.is_ok()
}

async fn answer(mut ws: ServerWs, script: Script) {
    let mut held: Option<Value> = None;
    let mut first = true;
    while let Some(Ok(msg)) = ws.next().await {
        let Message::Text(t) = msg else { continue };
        let request: Value = serde_json::from_str(t.as_str()).unwrap_or_default();
        let d = &request["d"];
        let reply = json!({ "op": 7, "d": {
            "requestType": d["requestType"], "requestId": d["requestId"],
            "requestStatus": { "result": true, "code": 100 },
            "responseData": { "echo": d["requestType"] },
        }});
        if script == Script::SlowFirst && first {
            first = false;
            held = Some(reply);
            continue;
        }
        for reply in held.take().into_iter().chain([reply]) {
            if ws.send(Message::Text(reply.to_string().into())).await.is_err() {
                return;
            }
        }
    }
}

fn quick(url: &str) -> LinkOptions {
    LinkOptions {
        request_timeout: Duration::from_millis(300),
        handshake_timeout: Duration::from_secs(2),
        backoff_min: Duration::from_millis(50),
        backoff_max: Duration::from_millis(400),
        keepalive: Duration::from_millis(200),
        ..LinkOptions::new(url, None)
    }
}

async fn wait_health(health: &mut watch::Receiver<ObsHealth>, want: bool, within: Duration) -> ObsHealth {
    match health_where(health, |h| h.healthy == want, within).await {
        Ok(h) => h,
        Err(last) => panic!("the link did not become healthy={want} within {within:?}; last: {last:?}"),
    }
}

/// The first health report that satisfies `check`, or the last one seen when `within` passes.
pub(super) async fn health_where(
    health: &mut watch::Receiver<ObsHealth>,
    check: impl Fn(&ObsHealth) -> bool,
    within: Duration,
) -> Result<ObsHealth, ObsHealth> {
    let seen = tokio::time::timeout(within, async { health.wait_for(|h| check(h)).await.map(|h| h.clone()) }).await;
    match seen {
        Ok(Ok(h)) => Ok(h),
        _ => Err(health.borrow().clone()),
    }
}

#[tokio::test]
async fn a_dropped_socket_reports_down_then_reconnects_and_reports_up() {
    let (url, _server) = fake_obs(Script::DropFirst).await;
    let link = ObsLink::start(quick(&url));
    let mut health = link.health();
    let first = wait_health(&mut health, true, Duration::from_secs(5)).await;
    assert_eq!(first.session, 1);
    assert!(first.detail.contains("obs-websocket 5.1.0"), "{first:?}");
    let down = wait_health(&mut health, false, Duration::from_secs(5)).await;
    assert!(down.detail.contains("lost OBS") && down.detail.contains("reconnecting"), "{down:?}");
    let again = wait_health(&mut health, true, Duration::from_secs(5)).await;
    assert_eq!(again.session, 2, "a second session after the drop: {again:?}");
    let echo = link.request("GetVersion", Value::Null).await.expect("requests work after the reconnect");
    assert_eq!(echo["echo"], "GetVersion");
}

#[tokio::test]
async fn a_frozen_obs_is_noticed_by_the_keepalive_and_reported_down() {
    let (url, _server) = fake_obs(Script::Hang).await;
    let link = ObsLink::start(quick(&url));
    let mut health = link.health();
    wait_health(&mut health, true, Duration::from_secs(5)).await;
    let started = Instant::now();
    let down = wait_health(&mut health, false, Duration::from_secs(5)).await;
    assert!(down.detail.contains("OBS stopped answering"), "{down:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "three 200 ms pings unanswered: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_slow_reply_times_out_and_the_session_stays_usable() {
    let (url, _server) = fake_obs(Script::SlowFirst).await;
    let link = ObsLink::start(quick(&url));
    wait_health(&mut link.health(), true, Duration::from_secs(5)).await;
    let started = Instant::now();
    let slow = link.request("GetStats", Value::Null).await;
    assert_eq!(slow, Err(ObsError::Timeout { request: "GetStats".into(), ms: 300 }));
    assert!(started.elapsed() < Duration::from_millis(1000), "the timeout fired late: {:?}", started.elapsed());
    assert_eq!(slow.unwrap_err().to_string(), "GetStats got no answer from OBS within 300 ms");
    // The late answer to GetStats arrives just before this one's; it must not be mistaken for it.
    let next = link.request("GetVersion", Value::Null).await.expect("the session survives a timeout");
    assert_eq!(next["echo"], "GetVersion");
    assert!(link.is_connected());
}

#[tokio::test]
async fn while_obs_is_absent_requests_fail_fast_and_the_director_keeps_up() {
    let port = testkit::free_port();
    let url = format!("ws://127.0.0.1:{port}");
    let link = ObsLink::start(quick(&url));
    let mut health = link.health();
    let named = health_where(&mut health, |h| h.detail.contains("cannot reach OBS"), Duration::from_secs(5)).await;
    assert!(named.is_ok(), "health should name the refused connection: {named:?}");
    let started = Instant::now();
    let refused = link.request("StartStream", Value::Null).await.expect_err("no OBS, no stream");
    assert!(started.elapsed() < Duration::from_millis(50), "a request while down must not wait");
    assert!(matches!(refused, ObsError::NotConnected { .. }), "{refused:?}");
    let text = refused.to_string();
    assert!(
        text.contains("OBS is not connected") && text.contains(&url) && text.contains("StartStream was not sent"),
        "{text}"
    );

    // The director swallows a burst of show changes and answers a console button with the reason, at once.
    let config = ObsConfig { url: url.clone(), default_scene: Some("Host".into()), ..ObsConfig::default() };
    let (commands, commands_rx) = broadcast::channel(64);
    let (control, control_rx) = mpsc::channel(4);
    let (reports_tx, mut reports) = mpsc::channel(64);
    let director =
        tokio::spawn(async move { run_director_on(&link, &config, commands_rx, control_rx, reports_tx).await });
    let started = Instant::now();
    for i in 0..40 {
        commands.send(super::director::tests::pin(&format!("p{i}"))).expect("director listening");
    }
    control.send(super::ObsControl::StartStreaming).await.expect("director listening");
    let outcome = loop {
        match tokio::time::timeout(Duration::from_secs(2), reports.recv()).await {
            Ok(Some(ObsReport::Control { outcome, .. })) => break outcome,
            Ok(Some(_)) => continue,
            other => panic!("no answer to the button: {other:?}"),
        }
    };
    assert!(started.elapsed() < Duration::from_millis(500), "the director stalled: {:?}", started.elapsed());
    assert!(outcome.expect_err("OBS is absent").contains("OBS is not connected"));
    drop(commands);
    tokio::time::timeout(Duration::from_secs(2), director)
        .await
        .expect("the director ends with the show")
        .expect("no panic");
}
