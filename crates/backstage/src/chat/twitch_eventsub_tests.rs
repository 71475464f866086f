//! The EventSub source against a scripted Twitch on 127.0.0.1: the token validation, user lookup and subscription
//! endpoints served by axum (which check the token and Client-Id on every call), and the EventSub socket served by
//! tokio-tungstenite, which welcomes, waits for the subscription, sends notifications in the documented shapes (a
//! resend among them), a keepalive, and a reconnect to a second address, or goes silent, or revokes.

use super::*;
use crate::chat::test_support::until;
use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use futures_util::SinkExt;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "user-token-abc";

fn notification(id: &str, kind: &str, event: Value) -> String {
    json!({
        "metadata": {"message_id": id, "message_type": "notification", "message_timestamp": "2026-12-06T10:00:01.123456789Z",
            "subscription_type": kind, "subscription_version": "1"},
        "payload": {"subscription": {"id": "sub-1", "status": "enabled", "type": kind, "version": "1", "cost": 0,
            "condition": {"broadcaster_user_id": "141981764", "user_id": "900"},
            "transport": {"method": "websocket", "session_id": "S1"}, "created_at": "2026-12-06T10:00:00Z"},
            "event": event}
    })
    .to_string()
}

fn chat(id: &str, text: &str) -> Value {
    json!({
        "broadcaster_user_id": "141981764", "broadcaster_user_login": "shopchannel", "broadcaster_user_name": "ShopChannel",
        "chatter_user_id": "4145994", "chatter_user_login": "viewer_ana", "chatter_user_name": "Viewer_Ana",
        "message_id": id,
        "message": {"text": text, "fragments": [{"type": "text", "text": text, "cheermote": null, "emote": null, "mention": null}]},
        "message_type": "text",
        "badges": [{"set_id": "subscriber", "id": "12", "info": "16"}],
        "cheer": null, "color": "#00FF7F", "reply": null, "channel_points_custom_reward_id": null
    })
}

fn welcome(session: &str, keepalive: u64) -> String {
    json!({"metadata": {"message_id": "w-1", "message_type": "session_welcome", "message_timestamp": "2026-12-06T10:00:00Z"},
        "payload": {"session": {"id": session, "status": "connected", "connected_at": "2026-12-06T10:00:00Z",
            "keepalive_timeout_seconds": keepalive, "reconnect_url": null}}})
    .to_string()
}

#[test]
fn notifications_read_as_comments_deletions_bans_and_clears() {
    let now = UnixMs(5);
    let mut cheer = chat("m-1", "Cheer100 is the blue one in stock?");
    cheer["cheer"] = json!({"bits": 100});
    cheer["badges"] = json!([{"set_id": "moderator", "id": "1", "info": ""}]);
    cheer["reply"] = json!({"parent_message_id": "m-0", "parent_message_body": "hi", "parent_user_id": "1"});
    cheer["message_type"] = json!("user_intro");
    let Frame::Notification { message_id, event: Some(ChatEvent::Comment(c)) } =
        parse_frame(&notification("n-1", "channel.chat.message", cheer), now).unwrap()
    else {
        panic!("a comment")
    };
    assert_eq!(message_id, "n-1");
    assert_eq!((c.id.0.as_str(), c.user_id.as_str(), c.user_name.as_str()), ("m-1", "4145994", "Viewer_Ana"));
    assert_eq!(c.time, UnixMs(1_796_551_201_123), "the notification's own time");
    assert_eq!(c.paid.as_ref().map(|m| (m.minor, m.currency.code())), Some((100, "USD")));
    assert!(c.flags.moderator && c.flags.first_message && !c.flags.subscriber);
    assert_eq!(c.flags.reply_to, Some(CommentId("m-0".into())));
    let plain = parse_frame(&notification("n-2", "channel.chat.message", chat("m-2", "hello")), now).unwrap();
    assert!(
        matches!(plain, Frame::Notification { event: Some(ChatEvent::Comment(ref c)), .. } if c.flags.subscriber && c.paid.is_none())
    );

    let deleted = json!({"broadcaster_user_id": "141981764", "target_user_id": "4145994", "target_user_name": "Viewer_Ana",
        "target_user_login": "viewer_ana", "message_id": "m-1"});
    assert!(matches!(
        parse_frame(&notification("n-3", "channel.chat.message_delete", deleted), now).unwrap(),
        Frame::Notification { event: Some(ChatEvent::DeleteComment { ref id, .. }), .. } if id.0 == "m-1"
    ));
    let banned =
        json!({"broadcaster_user_id": "141981764", "target_user_id": "4145994", "target_user_name": "Viewer_Ana"});
    assert!(matches!(
        parse_frame(&notification("n-4", "channel.chat.clear_user_messages", banned), now).unwrap(),
        Frame::Notification { event: Some(ChatEvent::BanViewer(ref b)), .. } if b.user_id == "4145994"
    ));
    assert!(matches!(
        parse_frame(&notification("n-5", "channel.chat.clear", json!({"broadcaster_user_id": "1"})), now).unwrap(),
        Frame::Notification { event: Some(ChatEvent::ClearChat { .. }), .. }
    ));
    assert!(matches!(
        parse_frame(&notification("n-6", "channel.follow", json!({})), now).unwrap(),
        Frame::Notification { event: None, .. }
    ));
    assert_eq!(
        parse_frame(&welcome("S1", 30), now).unwrap(),
        Frame::Welcome { session_id: "S1".into(), keepalive: Duration::from_secs(30) }
    );
    // What a broken or hostile socket might send is an error that names what is missing, never a panic.
    for bad in [
        "",
        "[]",
        r#"{"metadata":{}}"#,
        r#"{"metadata":{"message_type":"notification"}}"#,
        r#"{"metadata":{"message_type":"notification","message_id":"x","subscription_type":"channel.chat.message"},"payload":{"event":{}}}"#,
        r#"{"metadata":{"message_type":"session_reconnect"},"payload":{}}"#,
        r#"{"metadata":{"message_type":"mystery"}}"#,
    ] {
        assert!(parse_frame(bad, now).is_err(), "{bad}");
    }
}

/// What the scripted Twitch was asked.
#[derive(Default)]
struct Twitch {
    validations: AtomicUsize,
    /// The subscription types asked for, in order, with their session ids.
    subscriptions: Mutex<Vec<(String, String)>>,
    /// Sockets the server saw closed by the client.
    closed: AtomicUsize,
    validate_answer: Mutex<Option<(u16, Value)>>,
    /// Scripts for the next socket connections.
    scripts: Mutex<VecDeque<Script>>,
    address: Mutex<String>,
}

#[derive(Clone)]
enum Step {
    Send(String),
    /// Waits until this many subscriptions have been made.
    AwaitSubscriptions(usize),
    /// Sends a reconnect to the second path of this server.
    ReconnectTo(&'static str),
    /// Sends nothing more and keeps the socket open.
    Silence,
}

type Script = Vec<Step>;

fn authorised(headers: &HeaderMap) -> bool {
    let get = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    get("authorization") == format!("Bearer {TOKEN}") && get("client-id") == "cid"
}

async fn validate_call(State(t): State<Arc<Twitch>>, headers: HeaderMap) -> (StatusCode, Json<Value>) {
    t.validations.fetch_add(1, Ordering::SeqCst);
    assert_eq!(headers.get("authorization").unwrap(), &format!("OAuth {TOKEN}"));
    if let Some((status, body)) = t.validate_answer.lock().unwrap().clone() {
        return (StatusCode::from_u16(status).unwrap(), Json(body));
    }
    (
        StatusCode::OK,
        Json(json!({"client_id": "cid", "login": "shopbot", "scopes": ["user:read:chat", "user:write:chat"],
            "user_id": "900", "expires_in": 5000})),
    )
}

async fn users_call(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"status": 401, "message": "Invalid OAuth token"})));
    }
    match q.get("login").map(String::as_str) {
        Some("shopchannel") => (StatusCode::OK, Json(json!({"data": [{"id": "141981764", "login": "shopchannel"}]}))),
        _ => (StatusCode::OK, Json(json!({"data": []}))),
    }
}

async fn subscribe_call(
    State(t): State<Arc<Twitch>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if !authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"status": 401, "message": "Invalid OAuth token"})));
    }
    assert_eq!(body["condition"], json!({"broadcaster_user_id": "141981764", "user_id": "900"}));
    assert_eq!(body["transport"]["method"], "websocket");
    let kind = body["type"].as_str().unwrap().to_string();
    let session = body["transport"]["session_id"].as_str().unwrap().to_string();
    t.subscriptions.lock().unwrap().push((kind.clone(), session));
    if kind == "channel.chat.clear" {
        // A welcome subscription refused: the show goes on without it.
        return (
            StatusCode::FORBIDDEN,
            Json(json!({"status": 403, "message": "subscription missing proper authorization"})),
        );
    }
    (StatusCode::ACCEPTED, Json(json!({"data": [{"id": "sub", "status": "enabled", "type": kind}], "total": 1})))
}

async fn serve(twitch: Arc<Twitch>) -> EventSubConfig {
    let socket = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ws_address = socket.local_addr().unwrap().to_string();
    *twitch.address.lock().unwrap() = ws_address.clone();
    let t = twitch.clone();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = socket.accept().await {
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { continue };
            let script = t.scripts.lock().unwrap().pop_front().unwrap_or_default();
            let t = t.clone();
            tokio::spawn(async move {
                for step in script {
                    match step {
                        Step::Send(text) => {
                            if ws.send(Message::Text(text.into())).await.is_err() {
                                return;
                            }
                        }
                        Step::AwaitSubscriptions(n) => {
                            while t.subscriptions.lock().unwrap().len() < n {
                                tokio::time::sleep(Duration::from_millis(10)).await;
                            }
                        }
                        Step::ReconnectTo(path) => {
                            let url = format!("ws://{}/{path}", t.address.lock().unwrap());
                            let message = json!({"metadata": {"message_id": "r-1", "message_type": "session_reconnect",
                                "message_timestamp": "2026-12-06T10:00:05Z"},
                                "payload": {"session": {"id": "S1", "status": "reconnecting", "keepalive_timeout_seconds": null,
                                    "reconnect_url": url, "connected_at": "2026-12-06T10:00:00Z"}}});
                            if ws.send(Message::Text(message.to_string().into())).await.is_err() {
                                return;
                            }
                        }
                        Step::Silence => {}
                    }
                }
                // Then only listen: a close or the end of the stream is the client letting go.
                loop {
                    match ws.next().await {
                        Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                        _ => {}
                    }
                }
                t.closed.fetch_add(1, Ordering::SeqCst);
            });
        }
    });
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", api.local_addr().unwrap());
    let router = Router::new()
        .route("/oauth2/validate", get(validate_call))
        .route("/helix/users", get(users_call))
        .route("/helix/eventsub/subscriptions", post(subscribe_call))
        .with_state(twitch);
    tokio::spawn(async move { axum::serve(api, router).await.unwrap() });
    let mut config = EventSubConfig::new("#ShopChannel", format!("oauth:{TOKEN}"));
    config.ws_url = format!("ws://{ws_address}/ws");
    config.helix = format!("{base}/helix");
    config.id_api = format!("{base}/oauth2");
    config.initial_backoff = Duration::from_millis(50);
    config.max_backoff = Duration::from_millis(200);
    config.keepalive_grace = Duration::from_millis(300);
    config
}

fn comment_ids(seen: &[SourceEvent]) -> Vec<&str> {
    seen.iter()
        .filter_map(|e| if let SourceEvent::Chat(ChatEvent::Comment(c)) = e { Some(c.id.0.as_str()) } else { None })
        .collect()
}

#[tokio::test]
async fn chat_arrives_once_through_a_subscription_and_survives_a_reconnect_without_resubscribing() {
    let twitch = Arc::new(Twitch::default());
    twitch.scripts.lock().unwrap().extend([
        vec![
            Step::Send(welcome("S1", 10)),
            Step::AwaitSubscriptions(4),
            // A moderation subscription revoked: chat goes on.
            Step::Send(json!({"metadata": {"message_id": "v-0", "message_type": "revocation",
                "message_timestamp": "2026-12-06T10:00:01Z", "subscription_type": "channel.chat.clear"},
                "payload": {"subscription": {"id": "sub", "status": "authorization_revoked", "type": "channel.chat.clear"}}})
            .to_string()),
            Step::Send(notification("n-1", "channel.chat.message", chat("m-1", "is the blue one in stock?"))),
            Step::Send(notification("n-1", "channel.chat.message", chat("m-1", "is the blue one in stock?"))),
            // The host's own reply, posted as the reading account: not a comment.
            Step::Send(notification("n-own", "channel.chat.message", {
                let mut own = chat("m-own", "Yes, twelve in stock.");
                own["chatter_user_id"] = json!("900");
                own
            })),
            Step::Send(
                json!({"metadata": {"message_id": "k-1", "message_type": "session_keepalive",
                "message_timestamp": "2026-12-06T10:00:02Z"}, "payload": {}})
                .to_string(),
            ),
            Step::Send(notification(
                "n-2",
                "channel.chat.message_delete",
                json!({"message_id": "m-0",
                "target_user_id": "4145994", "target_user_name": "Viewer_Ana"}),
            )),
            Step::ReconnectTo("ws2"),
        ],
        vec![
            Step::Send(welcome("S1", 10)),
            Step::Send(notification("n-3", "channel.chat.message", chat("m-2", "after the move"))),
        ],
    ]);
    let mut config = serve(twitch.clone()).await;
    config.skip_own = true;
    let (tx, mut rx) = mpsc::channel(64);
    let stop = CancellationToken::new();
    let client = tokio::spawn(run(config, tx, stop.clone().cancelled_owned()));
    let mut seen = Vec::new();
    until(&mut rx, &mut seen, |s| comment_ids(s).contains(&"m-2")).await;
    assert_eq!(seen[0], SourceEvent::Health(Health::Connected));
    assert_eq!(comment_ids(&seen), ["m-1", "m-2"], "the resent n-1 once, the host's own never: {seen:#?}");
    assert!(seen.iter().any(|e| matches!(e, SourceEvent::Chat(ChatEvent::DeleteComment { id, .. }) if id.0 == "m-0")));
    let subscriptions = twitch.subscriptions.lock().unwrap().clone();
    assert_eq!(
        subscriptions.iter().map(|(k, s)| (k.as_str(), s.as_str())).collect::<Vec<_>>(),
        [
            ("channel.chat.message", "S1"),
            ("channel.chat.message_delete", "S1"),
            ("channel.chat.clear_user_messages", "S1"),
            ("channel.chat.clear", "S1")
        ],
        "subscribed once; the reconnect carries them over"
    );
    // The old socket is let go once the new one has welcomed the client.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while twitch.closed.load(Ordering::SeqCst) < 1 {
        assert!(tokio::time::Instant::now() < deadline, "the old socket was never closed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(!seen.iter().any(|e| matches!(e, SourceEvent::Health(Health::Lost { .. }))), "{seen:#?}");
    stop.cancel();
    client.await.unwrap().expect("a clean stop");
}

#[tokio::test]
async fn a_silent_socket_is_replaced_and_a_revocation_stops_the_source() {
    let twitch = Arc::new(Twitch::default());
    twitch.scripts.lock().unwrap().extend([
        // Keepalive 1 s, then nothing: lost after 1.3 s.
        vec![Step::Send(welcome("S1", 1)), Step::AwaitSubscriptions(4), Step::Silence],
        vec![
            Step::Send(welcome("S2", 10)),
            Step::AwaitSubscriptions(8),
            Step::Send(notification("n-9", "channel.chat.message", chat("m-9", "hello again"))),
            Step::Send(json!({"metadata": {"message_id": "v-1", "message_type": "revocation",
                "message_timestamp": "2026-12-06T10:00:09Z", "subscription_type": "channel.chat.message"},
                "payload": {"subscription": {"id": "sub", "status": "authorization_revoked", "type": "channel.chat.message"}}})
            .to_string()),
        ],
    ]);
    let config = serve(twitch.clone()).await;
    let (tx, mut rx) = mpsc::channel(64);
    let outcome = tokio::time::timeout(Duration::from_secs(15), run(config, tx, std::future::pending())).await;
    let error = outcome.expect("the revocation ends the source").expect_err("revoked");
    assert!(error.to_string().contains("authorization_revoked"), "{error}");
    let mut seen = Vec::new();
    while let Ok(event) = rx.try_recv() {
        seen.push(event);
    }
    assert!(
        seen.iter()
            .any(|e| matches!(e, SourceEvent::Health(Health::Lost { reason, .. }) if reason.contains("keepalive"))),
        "{seen:#?}"
    );
    assert!(seen.iter().any(|e| matches!(e, SourceEvent::Health(Health::Restored { .. }))));
    assert_eq!(comment_ids(&seen), ["m-9"]);
    let sessions: Vec<String> = twitch.subscriptions.lock().unwrap().iter().map(|(_, s)| s.clone()).collect();
    assert_eq!((sessions.len(), sessions[4].as_str()), (8, "S2"), "a new session subscribes again");
}

#[tokio::test]
async fn a_refused_token_a_missing_scope_and_an_unknown_channel_stop_with_what_to_fix() {
    let twitch = Arc::new(Twitch::default());
    *twitch.validate_answer.lock().unwrap() = Some((401, json!({"status": 401, "message": "invalid access token"})));
    let config = serve(twitch.clone()).await;
    let (tx, _rx) = mpsc::channel(8);
    let error = run(config.clone(), tx.clone(), std::future::pending()).await.expect_err("refused");
    assert!(error.to_string().contains("SHOPCAST_TWITCH_TOKEN") && error.to_string().contains("invalid access token"));
    assert_eq!(twitch.validations.load(Ordering::SeqCst), 1, "not retried");

    *twitch.validate_answer.lock().unwrap() =
        Some((200, json!({"client_id": "cid", "login": "shopbot", "scopes": ["chat:read"], "user_id": "900"})));
    let error = run(config.clone(), tx.clone(), std::future::pending()).await.expect_err("no scope");
    assert!(matches!(error, EventSubError::MissingScope("user:read:chat")), "{error}");

    *twitch.validate_answer.lock().unwrap() = None;
    let mut elsewhere = config;
    elsewhere.channel = "nobody_here".into();
    let error = run(elsewhere, tx, std::future::pending()).await.expect_err("no channel");
    assert!(error.to_string().contains("\"nobody_here\"") && error.to_string().contains("twitch_channel"), "{error}");
    assert!(twitch.subscriptions.lock().unwrap().is_empty());
}
