//! The open-platform client against a scripted platform on 127.0.0.1: its signed HTTP calls (start, heartbeat,
//! end) served by axum, which checks every signature, and its WebSocket served by tokio-tungstenite, which checks
//! the auth packet, answers heartbeats with the op-3 reply whose length is wrong, and sends frames built from the
//! documented message shapes. The signature itself is checked against a vector computed with Python's hmac and
//! hashlib, not with this code.

use super::*;
use crate::chat::bilibili_live::packet;
use crate::chat::test_support::until;
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use std::collections::VecDeque;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

const KEY_ID: &str = "AKID-test";
const SECRET: &str = "secret-key-0123";
const AUTH_BODY: &str = r#"{"roomid":4639581,"protover":2,"uid":3102384,"key":"k-1","group":"open"}"#;

/// The signature of a known call, computed independently with Python 3's `hmac` and `hashlib`:
/// `hmac.new(b"secret-key-0123", "\n".join(lines).encode(), hashlib.sha256).hexdigest()`.
#[test]
fn requests_are_signed_as_an_independent_implementation_signs_them() {
    let body = br#"{"code":"BV1ABCDEF","app_id":1650000000000}"#;
    let headers = sign("AKID-test", "secret-key-0123", body, "8d1f2a", 1_733_450_000);
    let get = |name: &str| headers.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str()).unwrap();
    assert_eq!(get("x-bili-content-md5"), "67f14d71708c509accf2f2c63b49b4ac");
    assert_eq!(get("x-bili-signature-version"), "1.0");
    assert_eq!(get("authorization"), "8b09a189b05654377c8336a17ec708704b060ecca67c787ecea39da64456d080");
    let other = sign("AKID-test", "secret-key-0124", body, "8d1f2a", 1_733_450_000);
    assert_ne!(other.last(), headers.last(), "another secret signs differently");
}

/// What the scripted platform was asked and what it answers.
#[derive(Default)]
struct Platform {
    starts: AtomicUsize,
    beats: AtomicUsize,
    ends: Mutex<Vec<String>>,
    /// Answers for the next starts (then success); the same for heartbeats.
    start_answers: Mutex<VecDeque<Value>>,
    beat_answers: Mutex<VecDeque<Value>>,
    /// WebSocket addresses handed out by start.
    links: Mutex<Vec<String>>,
    /// Calls whose signature did not check out.
    bad_signatures: AtomicUsize,
    socket_heartbeats: AtomicUsize,
}

fn signature_ok(headers: &HeaderMap, body: &[u8]) -> bool {
    let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let timestamp: u64 = get("x-bili-timestamp").parse().unwrap_or(0);
    let expected = sign(KEY_ID, SECRET, body, &get("x-bili-signature-nonce"), timestamp);
    get("content-type") == "application/json"
        && expected.iter().all(|(name, value)| get(name) == *value)
        && now_ms().0 / 1000 - timestamp as i64 <= 5
}

async fn start_call(State(p): State<Arc<Platform>>, headers: HeaderMap, body: Bytes) -> axum::Json<Value> {
    if !signature_ok(&headers, &body) {
        p.bad_signatures.fetch_add(1, Ordering::SeqCst);
        return axum::Json(json!({"code": 4002, "message": "签名异常"}));
    }
    let n = p.starts.fetch_add(1, Ordering::SeqCst) + 1;
    let asked: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!((asked["code"].as_str(), asked["app_id"].as_u64()), (Some("ID-CODE-1"), Some(1_650_000_000_000)));
    if let Some(answer) = p.start_answers.lock().unwrap().pop_front() {
        return axum::Json(answer);
    }
    let links = p.links.lock().unwrap().clone();
    axum::Json(json!({"code": 0, "message": "0", "data": {
        "game_info": {"game_id": format!("game-{n}")},
        "websocket_info": {"auth_body": AUTH_BODY, "wss_link": links},
        "anchor_info": {"room_id": 4639581, "uname": "主播", "open_id": "anchor-open-id"}
    }}))
}

async fn beat_call(State(p): State<Arc<Platform>>, headers: HeaderMap, body: Bytes) -> axum::Json<Value> {
    if !signature_ok(&headers, &body) {
        p.bad_signatures.fetch_add(1, Ordering::SeqCst);
    }
    p.beats.fetch_add(1, Ordering::SeqCst);
    let answer = p.beat_answers.lock().unwrap().pop_front();
    axum::Json(answer.unwrap_or_else(|| json!({"code": 0, "message": "0", "data": {}})))
}

async fn end_call(State(p): State<Arc<Platform>>, headers: HeaderMap, body: Bytes) -> axum::Json<Value> {
    if !signature_ok(&headers, &body) {
        p.bad_signatures.fetch_add(1, Ordering::SeqCst);
    }
    let asked: Value = serde_json::from_slice(&body).unwrap();
    p.ends.lock().unwrap().push(asked["game_id"].as_str().unwrap_or("").to_string());
    axum::Json(json!({"code": 0, "message": "0", "data": {}}))
}

/// Per connection, in order: the auth reply's code and the frames sent after it.
type Script = Vec<(i64, Vec<Vec<u8>>)>;

/// Serves the platform's API and its WebSocket; returns the API's address.
async fn serve(platform: Arc<Platform>, script: Script) -> String {
    let socket = TcpListener::bind("127.0.0.1:0").await.unwrap();
    // A dead address first: the client must go on to the next one.
    let dead = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead_link = format!("ws://{}/sub", dead.local_addr().unwrap());
    drop(dead);
    *platform.links.lock().unwrap() = vec![dead_link, format!("ws://{}/sub", socket.local_addr().unwrap())];
    let p = platform.clone();
    tokio::spawn(async move {
        let mut script = VecDeque::from(script);
        while let Ok((tcp, _)) = socket.accept().await {
            let Ok(mut ws) = tokio_tungstenite::accept_async(tcp).await else { continue };
            let (code, frames) = script.pop_front().unwrap_or((0, Vec::new()));
            let p = p.clone();
            tokio::spawn(async move {
                let Some(Ok(Message::Binary(auth))) = ws.next().await else { return };
                // The auth packet: operation 7, the auth body verbatim.
                assert_eq!(u32::from_be_bytes([auth[8], auth[9], auth[10], auth[11]]), 7);
                assert_eq!(&auth[16..], AUTH_BODY.as_bytes());
                let reply = packet(1, 8, json!({ "code": code }).to_string().as_bytes());
                if ws.send(Message::Binary(reply.into())).await.is_err() || code != 0 {
                    return;
                }
                for frame in frames {
                    if ws.send(Message::Binary(frame.into())).await.is_err() {
                        return;
                    }
                }
                while let Some(Ok(message)) = ws.next().await {
                    if let Message::Binary(beat) = message
                        && beat.get(8..12) == Some(&2u32.to_be_bytes()[..])
                    {
                        p.socket_heartbeats.fetch_add(1, Ordering::SeqCst);
                        // The published reply: length 20, then the echoed text the length does not cover.
                        let mut reply = packet(1, 3, &2466u32.to_be_bytes());
                        reply.extend_from_slice(b"[object Object]");
                        if ws.send(Message::Binary(reply.into())).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", api.local_addr().unwrap());
    let router = Router::new()
        .route("/v2/app/start", post(start_call))
        .route("/v2/app/heartbeat", post(beat_call))
        .route("/v2/app/end", post(end_call))
        .with_state(platform);
    tokio::spawn(async move { axum::serve(api, router).await.unwrap() });
    address
}

fn config(api: String) -> OpenLiveConfig {
    let mut config = OpenLiveConfig::new(OpenLiveCredentials {
        app_id: 1_650_000_000_000,
        access_key_id: KEY_ID.into(),
        access_key_secret: SECRET.into(),
        code: "ID-CODE-1".into(),
    });
    config.api = api;
    config.game_heartbeat = Duration::from_millis(150);
    config.socket_heartbeat = Duration::from_millis(150);
    config.initial_backoff = Duration::from_millis(50);
    config.max_backoff = Duration::from_millis(200);
    config
}

/// A zlib (protover 2) operation-5 frame holding one packet per message.
fn frame(messages: &[Value]) -> Vec<u8> {
    let mut inner = Vec::new();
    for message in messages {
        inner.extend(packet(0, 5, message.to_string().as_bytes()));
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&inner).unwrap();
    packet(2, 5, &encoder.finish().unwrap())
}

fn dm(id: &str, text: &str) -> Value {
    json!({"cmd": "LIVE_OPEN_PLATFORM_DM", "data": {
        "uname": "猫裙少年", "open_id": "open-7f3a", "union_id": "", "uface": "http://i0.hdslb.com/x.jpg",
        "msg": text, "msg_id": id, "timestamp": 1_733_450_001, "room_id": 4639581, "guard_level": 0,
        "fans_medal_wearing_status": false, "fans_medal_name": "", "fans_medal_level": 0, "dm_type": 0,
        "emoji_img_url": "", "glory_level": 3, "reply_open_id": "", "reply_uname": "", "is_admin": 0
    }})
}

fn comments(seen: &[SourceEvent]) -> Vec<&model::Comment> {
    seen.iter().filter_map(|e| if let SourceEvent::Chat(ChatEvent::Comment(c)) = e { Some(c) } else { None }).collect()
}

fn supports(seen: &[SourceEvent]) -> Vec<&model::Support> {
    seen.iter().filter_map(|e| if let SourceEvent::Chat(ChatEvent::Support(s)) = e { Some(s) } else { None }).collect()
}

#[tokio::test]
async fn a_game_starts_authenticates_and_delivers_comments_super_chats_gifts_and_guards() {
    let platform = Arc::new(Platform::default());
    let first = frame(&[
        dm("dm-1", "这个多少钱"),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT", "data": {"rmb": 30, "message": "有优惠吗", "message_id": 6522809,
            "uname": "界原虚", "open_id": "open-2b", "start_time": 1_733_450_002, "end_time": 1_733_450_062,
            "timestamp": 1_733_450_002, "msg_id": "sc-m-1", "room_id": 4639581}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SEND_GIFT", "data": {"open_id": "open-3c", "uname": "不忘初心", "gift_id": 31036,
            "gift_name": "小花花", "gift_num": 5, "price": 100, "r_price": 100, "paid": true, "msg_id": "g-1",
            "combo_gift": false, "timestamp": 1_733_450_003, "room_id": 4639581}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_GUARD", "data": {"user_info": {"open_id": "open-4d", "uname": "你的魔法",
            "uface": ""}, "guard_level": 3, "guard_num": 1, "guard_unit": "月", "price": 198000, "msg_id": "gd-1",
            "timestamp": 1_733_450_004, "room_id": 4639581}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_LIKE", "data": {"open_id": "open-5e", "uname": "x", "like_count": 12,
            "like_text": "为主播点赞了", "msg_id": "l-1"}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SOMETHING_NEW", "data": {}}),
    ]);
    // The platform sends a message again: it is delivered once.
    let again = frame(&[dm("dm-1", "这个多少钱"), dm("dm-2", "有黑色吗")]);
    let api = serve(platform.clone(), vec![(0, vec![first, again])]).await;
    let (tx, mut rx) = mpsc::channel(64);
    let stop = CancellationToken::new();
    let client = tokio::spawn(run(config(api), tx, stop.clone().cancelled_owned()));
    let mut seen = Vec::new();
    until(&mut rx, &mut seen, |s| comments(s).len() >= 3 && supports(s).len() >= 2).await;
    assert_eq!(seen[0], SourceEvent::Health(Health::Connected));
    let said = comments(&seen);
    assert_eq!(
        said.iter().map(|c| (c.id.0.as_str(), c.user_id.as_str(), c.text.as_str())).collect::<Vec<_>>(),
        [("dm-1", "open-7f3a", "这个多少钱"), ("sc-6522809", "open-2b", "有优惠吗"), ("dm-2", "open-7f3a", "有黑色吗")]
    );
    assert_eq!((said[0].user_name.as_str(), said[0].time), ("猫裙少年", model::UnixMs(1_733_450_001_000)));
    let paid = said[1].paid.as_ref().expect("a super chat is paid");
    assert_eq!((paid.minor, paid.currency.code()), (3000, "CNY"));
    let thanks = supports(&seen);
    assert_eq!(thanks[0].kind, model::SupportKind::Gift { name: "小花花".into(), count: 5 });
    assert_eq!((thanks[1].kind.clone(), thanks[1].user_id.as_str()), (model::SupportKind::Membership, "open-4d"));
    assert_eq!(thanks[1].amount.as_ref().map(|m| m.minor), Some(19_800), "舰长 at ¥198");
    // Both heartbeats run: the game's over HTTP and the socket's (answered by the op-3 reply with its wrong length).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while platform.beats.load(Ordering::SeqCst) < 2 || platform.socket_heartbeats.load(Ordering::SeqCst) < 2 {
        assert!(tokio::time::Instant::now() < deadline, "heartbeats did not run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.cancel();
    client.await.unwrap().expect("a clean stop");
    assert_eq!(*platform.ends.lock().unwrap(), ["game-1"], "the game is ended on the way out");
    assert_eq!(platform.bad_signatures.load(Ordering::SeqCst), 0);
    while let Ok(event) = rx.try_recv() {
        seen.push(event);
    }
    assert_eq!(comments(&seen).len(), 3, "dm-1 arrived twice and was delivered once: {seen:#?}");
    assert!(!seen.iter().any(|e| matches!(e, SourceEvent::Health(Health::Lost { .. }))), "{seen:#?}");
}

#[tokio::test]
async fn a_closed_game_is_ended_and_a_new_one_started() {
    let platform = Arc::new(Platform::default());
    // The first game is closed by its heartbeat (7003); the second by the platform's interaction end, after one
    // for another game that is not ours; the third carries on.
    platform.beat_answers.lock().unwrap().push_back(json!({"code": 7003, "message": "心跳过期"}));
    let end_other =
        json!({"cmd": "LIVE_OPEN_PLATFORM_INTERACTION_END", "data": {"game_id": "someone-else", "timestamp": 1}});
    let end_ours = json!({"cmd": "LIVE_OPEN_PLATFORM_INTERACTION_END", "data": {"game_id": "game-2", "timestamp": 1}});
    let script = vec![
        (0, vec![frame(&[dm("a-1", "first game")])]),
        (0, vec![frame(&[dm("b-1", "second game"), end_other]), frame(&[end_ours])]),
        (0, vec![frame(&[dm("c-1", "third game")])]),
    ];
    let api = serve(platform.clone(), script).await;
    let (tx, mut rx) = mpsc::channel(64);
    let stop = CancellationToken::new();
    let client = tokio::spawn(run(config(api), tx, stop.clone().cancelled_owned()));
    let mut seen = Vec::new();
    until(&mut rx, &mut seen, |s| comments(s).iter().any(|c| c.id.0 == "c-1")).await;
    let lost: Vec<&str> = seen
        .iter()
        .filter_map(
            |e| if let SourceEvent::Health(Health::Lost { reason, .. }) = e { Some(reason.as_str()) } else { None },
        )
        .collect();
    assert_eq!(lost.len(), 2, "{seen:#?}");
    assert!(lost[0].contains("7003") && lost[1].contains("INTERACTION_END"), "{lost:?}");
    assert!(seen.iter().any(|e| matches!(e, SourceEvent::Health(Health::Restored { .. }))));
    assert_eq!(comments(&seen).iter().map(|c| c.id.0.as_str()).collect::<Vec<_>>(), ["a-1", "b-1", "c-1"]);
    assert_eq!(platform.starts.load(Ordering::SeqCst), 3);
    stop.cancel();
    client.await.unwrap().expect("a clean stop");
    assert_eq!(*platform.ends.lock().unwrap(), ["game-1", "game-2", "game-3"]);
}

#[tokio::test]
async fn a_wrong_identity_code_stops_with_what_to_fix_and_a_busy_room_is_tried_again() {
    let platform = Arc::new(Platform::default());
    platform.start_answers.lock().unwrap().push_back(json!({"code": 7007, "message": "身份码错误"}));
    let api = serve(platform.clone(), Vec::new()).await;
    let (tx, _rx) = mpsc::channel(64);
    let error = run(config(api), tx, std::future::pending()).await.expect_err("refused for good");
    let text = error.to_string();
    assert!(text.contains("7007") && text.contains("SHOPCAST_BILIBILI_IDENTITY_CODE"), "{text}");
    assert_eq!(platform.starts.load(Ordering::SeqCst), 1, "not retried");
    assert!(platform.ends.lock().unwrap().is_empty(), "no game was started");

    // Settling (7001) and a socket that refuses the auth body are tried again, and then the show is connected.
    let platform = Arc::new(Platform::default());
    platform.start_answers.lock().unwrap().push_back(json!({"code": 7001, "message": "请求冷却期"}));
    let api = serve(platform.clone(), vec![(-101, Vec::new()), (0, vec![frame(&[dm("ok-1", "hi")])])]).await;
    let (tx, mut rx) = mpsc::channel(64);
    let stop = CancellationToken::new();
    let client = tokio::spawn(run(config(api), tx, stop.clone().cancelled_owned()));
    let mut seen = Vec::new();
    until(&mut rx, &mut seen, |s| !comments(s).is_empty()).await;
    let lost: Vec<String> = seen
        .iter()
        .filter_map(
            |e| if let SourceEvent::Health(Health::Lost { reason, .. }) = e { Some(reason.clone()) } else { None },
        )
        .collect();
    assert!(lost[0].contains("7001") && lost[1].contains("refused the auth body"), "{lost:?}");
    assert!(seen.contains(&SourceEvent::Health(Health::Connected)));
    stop.cancel();
    client.await.unwrap().expect("a clean stop");
    assert_eq!(*platform.ends.lock().unwrap(), ["game-2", "game-3"], "the refused game was ended too");
}

#[test]
fn credentials_never_show_their_secrets() {
    let creds = OpenLiveCredentials {
        app_id: 1,
        access_key_id: "AKID".into(),
        access_key_secret: "TOPSECRET".into(),
        code: "MYCODE".into(),
    };
    let shown = format!("{:?}", OpenLiveConfig::new(creds));
    assert!(shown.contains("AKID") && !shown.contains("TOPSECRET") && !shown.contains("MYCODE"), "{shown}");
}
