//! The generic ingest: HTTP and WebSocket endpoints through which bridges (TikTok, Douyin, Bilibili, Kick
//! sidecars) feed comments, deletions and bans into the show. docs/INGEST.md is the schema for bridge authors.
//!
//! `POST /ingest/comments` takes one JSON object or an array of them; `GET /ingest/ws` takes one object per text
//! message and answers each with `{"ok":true}` or `{"error":...}`. Both need the console token, as
//! `Authorization: Bearer TOKEN` or `?token=TOKEN` (browsers cannot set headers on a WebSocket). Items are checked
//! one by one; a rejected item is named by its index and field, and the others are still delivered. Delivery is a
//! `try_send` on a bounded channel: when the show cannot keep up the bridge hears 503 at once rather than holding
//! a request open, because a bridge that waits falls behind its own platform.

use super::connector::{SeenIds, SourceEvent, now_ms};
use super::time::parse_rfc3339;
use super::{BanViewer, ChatEvent, bridges};
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use model::{Comment, CommentFlags, CommentId, Currency, Money, Platform, UnixMs};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use subtle::ConstantTimeEq;
use tokio::sync::mpsc::{self, error::TrySendError};

/// The largest request body (and WebSocket message) accepted.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The most items one POST may carry (fewer when the channel is smaller, so a request can always fit).
pub const MAX_ITEMS_PER_REQUEST: usize = 500;
/// Longer than any platform allows; longer text is a bridge bug, and triage should not pay for it.
const MAX_TEXT_CHARS: usize = 2000;
/// Ids and names longer than this are not ids or names.
const MAX_NAME_CHARS: usize = 256;
/// Comment ids remembered so that a bridge resending after a reconnect or a lost answer delivers nothing twice.
const REMEMBERED_IDS: usize = 16_384;

/// What the routes share: the token bridges must present and where accepted items go.
#[derive(Clone)]
pub struct IngestState {
    token: Arc<str>,
    /// The ingest sends; the show's chat intake receives. A closed receiver makes every request answer 503.
    tx: mpsc::Sender<SourceEvent>,
    /// `platform:id` of comments already delivered. Checked and updated under one lock together with the send,
    /// so two bridges racing with the same comment deliver it once.
    seen: Arc<Mutex<SeenIds>>,
    /// Bridge pushes read so far: names ids for messages a bridge sends without one (StreamHawk).
    pushes: Arc<std::sync::atomic::AtomicUsize>,
}

impl IngestState {
    /// `token` is the console token. An empty token admits nobody, so a missing secret never opens the door.
    pub fn new(token: impl Into<String>, tx: mpsc::Sender<SourceEvent>) -> IngestState {
        IngestState {
            token: Arc::from(token.into()),
            tx,
            seen: Arc::new(Mutex::new(SeenIds::new(REMEMBERED_IDS))),
            pushes: Arc::default(),
        }
    }

    fn admits(&self, presented: &str) -> bool {
        !self.token.is_empty() && same_secret(self.token.as_bytes(), presented.as_bytes())
    }
}

// The token stays out of logs.
impl fmt::Debug for IngestState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IngestState").field("token", &"<redacted>").finish_non_exhaustive()
    }
}

/// Compares in time that depends only on the lengths (`subtle`'s constant-time equality), so response timing does
/// not tell an attacker how many leading bytes of a guess were right. (The length itself may show; the token is
/// long and random.)
fn same_secret(expected: &[u8], presented: &[u8]) -> bool {
    bool::from(expected.ct_eq(presented))
}

/// The ingest's routes, ready to be served alone or merged into the console's router.
pub fn ingest_router(state: IngestState) -> Router {
    Router::new()
        .route("/ingest/comments", post(post_comments))
        .route("/ingest/ws", get(open_websocket))
        // The token is checked before any body is read or any socket upgraded.
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

fn presented_token(headers: &HeaderMap, uri: &Uri) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    bearer
        .or_else(|| Query::<HashMap<String, String>>::try_from_uri(uri).ok().and_then(|Query(mut q)| q.remove("token")))
}

async fn require_token(State(state): State<IngestState>, request: Request, next: Next) -> Response {
    match presented_token(request.headers(), request.uri()) {
        Some(token) if state.admits(&token) => next.run(request).await,
        Some(_) => error(StatusCode::UNAUTHORIZED, "the token is wrong; use the console token"),
        None => error(
            StatusCode::UNAUTHORIZED,
            "no token; send the console token as \"Authorization: Bearer TOKEN\" or \"?token=TOKEN\"",
        ),
    }
}

/// One rejected item: where it was and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Rejected {
    field: String,
    reason: String,
}

fn rejected(field: &str, reason: impl Into<String>) -> Rejected {
    Rejected { field: field.to_string(), reason: reason.into() }
}

/// `?format=NAME`: a bridge's own output instead of the schema in docs/INGEST.md (`None`: the schema). An unknown
/// name is an error that lists the known ones.
fn format_of(query: &HashMap<String, String>) -> Result<Option<bridges::Bridge>, String> {
    match query.get("format").map(|f| f.trim()).filter(|f| !f.is_empty()) {
        None | Some("shopcast") => Ok(None),
        Some(name) => bridges::Bridge::parse(name).map(Some).ok_or_else(|| {
            format!(
                "?format={name} is not known: use douyin-barrage-grab, streamhawk, douyin-webcast or \
                 tiktok-live-connector, or leave it out for shopcast's own items (docs/INGEST.md)"
            )
        }),
    }
}

/// A bridge's events as the show takes them: comments, and gifts and memberships (which the host thanks); the rest
/// counted by kind.
fn from_bridge(events: Vec<bridges::BridgeEvent>) -> (Vec<ChatEvent>, Map<String, Value>) {
    let mut chat = Vec::new();
    let mut counted = Map::new();
    let now = now_ms();
    for event in events {
        let kind = event.kind();
        match event.into_chat(now) {
            Some(event) => chat.push(event),
            None => {
                let n = counted.get(kind).and_then(Value::as_u64).unwrap_or(0);
                counted.insert(kind.to_string(), json!(n + 1));
            }
        }
    }
    (chat, counted)
}

/// A bridge's push: StreamHawk waits for `{"code": 0, "msg": ""}`; the others get the ingest's own answer.
async fn post_bridge(state: &IngestState, bridge: bridges::Bridge, body: &[u8]) -> Response {
    let answer = |status: StatusCode, ok: bool, detail: Value| {
        let body = if bridge == bridges::Bridge::Streamhawk {
            let msg =
                if ok { String::new() } else { detail.get("error").and_then(Value::as_str).unwrap_or("").to_string() };
            json!({ "code": if ok { 0 } else { 1 }, "msg": msg, "detail": detail })
        } else {
            detail
        };
        (status, axum::Json(body)).into_response()
    };
    let text = String::from_utf8_lossy(body);
    let place = state.pushes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let events = match bridges::read(bridge, &text, place, now_ms()) {
        Ok(events) => events,
        Err(e) => return answer(StatusCode::BAD_REQUEST, false, json!({ "error": e })),
    };
    let (chat, counted) = from_bridge(events);
    match deliver(state, &chat) {
        Ok(()) => answer(StatusCode::OK, true, json!({ "accepted": chat.len(), "counted": counted })),
        Err(TrySendError::Full(())) => answer(
            StatusCode::SERVICE_UNAVAILABLE,
            false,
            json!({ "error": "the show's chat intake is full; send it again shortly", "retry": true }),
        ),
        Err(TrySendError::Closed(())) => {
            answer(StatusCode::SERVICE_UNAVAILABLE, false, json!({ "error": "the show is not taking comments now" }))
        }
    }
}

async fn post_comments(
    State(state): State<IngestState>,
    Query(query): Query<HashMap<String, String>>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let bridge = match format_of(&query) {
        Ok(bridge) => bridge,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                e.status(),
                format!("the body is larger than {} KiB; send fewer items per request", MAX_BODY_BYTES / 1024),
            );
        }
        Err(e) => return error(e.status(), format!("the body could not be read: {e}")),
    };
    if let Some(bridge) = bridge {
        return post_bridge(&state, bridge, &body).await;
    }
    let items = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Array(items)) => items,
        Ok(item @ Value::Object(_)) => vec![item],
        Ok(_) => return error(StatusCode::BAD_REQUEST, "the body must be a JSON object or an array of objects"),
        Err(e) => return error(StatusCode::BAD_REQUEST, format!("the body is not JSON: {e}")),
    };
    let cap = MAX_ITEMS_PER_REQUEST.min(state.tx.max_capacity());
    if items.len() > cap {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("{} items in one request; send at most {cap} per request", items.len()),
        );
    }
    let now = now_ms();
    let mut accepted = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match read_item(item, now) {
            Ok(event) => accepted.push(event),
            Err(r) => problems.push(json!({ "index": index, "field": r.field, "error": r.reason })),
        }
    }
    let delivered = match deliver(&state, &accepted) {
        Ok(()) => accepted.len(),
        Err(TrySendError::Full(())) => {
            let mut response = error(
                StatusCode::SERVICE_UNAVAILABLE,
                "the show's chat intake is full; nothing from this request was delivered, send it again shortly",
            );
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            return response;
        }
        Err(TrySendError::Closed(())) => {
            return error(StatusCode::SERVICE_UNAVAILABLE, "the show is not taking comments now");
        }
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, axum::Json(json!({ "accepted": delivered, "rejected": problems }))).into_response()
}

/// Sends the events all or none, skipping comments already delivered (a resend counts as accepted). All permits
/// are taken before anything is sent, so an error means nothing was delivered and a resend duplicates nothing.
fn deliver(state: &IngestState, events: &[ChatEvent]) -> Result<(), TrySendError<()>> {
    let key = |event: &ChatEvent| match event {
        ChatEvent::Comment(c) => Some(format!("{:?}:{}", c.platform, c.id.0)),
        _ => None,
    };
    // A poisoned lock only means another request panicked mid-check; the ids inside are still good.
    let mut seen = state.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut fresh: Vec<&ChatEvent> = Vec::with_capacity(events.len());
    let mut keys = std::collections::HashSet::new();
    for event in events {
        let repeat = key(event).is_some_and(|k| seen.contains(&k) || !keys.insert(k));
        if !repeat {
            fresh.push(event);
        }
    }
    if fresh.is_empty() {
        return Ok(());
    }
    let permits = state.tx.try_reserve_many(fresh.len())?;
    for (permit, event) in permits.zip(fresh) {
        if let Some(k) = key(event) {
            seen.first_time(&k);
        }
        permit.send(SourceEvent::Chat(event.clone()));
    }
    Ok(())
}

async fn open_websocket(
    State(state): State<IngestState>,
    Query(query): Query<HashMap<String, String>>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let bridge = match format_of(&query) {
        Ok(bridge) => bridge,
        Err(e) => return error(StatusCode::BAD_REQUEST, e),
    };
    upgrade.max_message_size(MAX_BODY_BYTES).on_upgrade(move |socket| feed_from_socket(socket, state, bridge))
}

/// Answers every text message, in order, until the bridge closes the socket or it breaks.
async fn feed_from_socket(mut socket: WebSocket, state: IngestState, bridge: Option<bridges::Bridge>) {
    while let Some(Ok(message)) = socket.recv().await {
        let reply = match message {
            Message::Text(text) => match bridge {
                Some(bridge) => socket_bridge(&state, bridge, text.as_str()),
                None => socket_item(&state, text.as_str()),
            },
            Message::Binary(_) => json!({ "error": "send each item as a text message holding one JSON object" }),
            Message::Close(_) => break,
            // axum answers pings itself.
            Message::Ping(_) | Message::Pong(_) => continue,
        };
        if socket.send(Message::Text(reply.to_string().into())).await.is_err() {
            break;
        }
    }
}

fn socket_bridge(state: &IngestState, bridge: bridges::Bridge, text: &str) -> Value {
    let place = state.pushes.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let events = match bridges::read(bridge, text, place, now_ms()) {
        Ok(events) => events,
        Err(e) => return json!({ "error": e }),
    };
    let (chat, counted) = from_bridge(events);
    match deliver(state, &chat) {
        Ok(()) => json!({ "ok": true, "accepted": chat.len(), "counted": counted }),
        Err(TrySendError::Full(())) => {
            json!({ "error": "the show's chat intake is full; send this frame again shortly", "retry": true })
        }
        Err(TrySendError::Closed(())) => json!({ "error": "the show is not taking comments now" }),
    }
}

fn socket_item(state: &IngestState, text: &str) -> Value {
    let item = match serde_json::from_str::<Value>(text) {
        Ok(item) => item,
        Err(e) => return json!({ "error": format!("the message is not JSON: {e}") }),
    };
    let event = match read_item(&item, now_ms()) {
        Ok(event) => event,
        Err(r) => return json!({ "error": r.reason, "field": r.field }),
    };
    match deliver(state, std::slice::from_ref(&event)) {
        Ok(()) => json!({ "ok": true }),
        Err(TrySendError::Full(())) => {
            json!({ "error": "the show's chat intake is full; send this item again shortly", "retry": true })
        }
        Err(TrySendError::Closed(())) => json!({ "error": "the show is not taking comments now" }),
    }
}

/// One item of docs/INGEST.md's schema read from another transport (the fleet's JetStream subjects take the same
/// JSON as `POST /ingest/comments`); the error names the field and what is wrong with it.
pub fn read_ingest_item(item: &Value, now: UnixMs) -> Result<ChatEvent, String> {
    read_item(item, now).map_err(|r| format!("field {:?}: {}", r.field, r.reason))
}

/// Reads one item of the schema in docs/INGEST.md. Unknown fields are ignored so bridges can send more.
fn read_item(item: &Value, now: UnixMs) -> Result<ChatEvent, Rejected> {
    let object = item.as_object().ok_or_else(|| rejected("item", "each item must be a JSON object"))?;
    let kind = match object.get("type") {
        None | Some(Value::Null) => "comment",
        Some(Value::String(kind)) => kind.as_str(),
        Some(_) => return Err(rejected("type", "\"type\" must be \"comment\", \"delete\" or \"ban\"")),
    };
    let platform = match object.get("platform") {
        None | Some(Value::Null) => return Err(rejected("platform", "\"platform\" is missing")),
        Some(value) => serde_json::from_value::<Platform>(value.clone()).map_err(|_| {
            rejected(
                "platform",
                format!(
                    "\"platform\" {value} is not one of twitch, youtube, bilibili, tiktok, douyin, kuaishou, kick, \
                     generic"
                ),
            )
        })?,
    };
    match kind {
        "comment" => read_comment(object, platform, now).map(ChatEvent::Comment),
        "delete" => {
            let id = required_text(object, "id", MAX_NAME_CHARS)?;
            Ok(ChatEvent::DeleteComment { platform, id: CommentId(id) })
        }
        "ban" => {
            let user_id = required_text(object, "user_id", MAX_NAME_CHARS)?;
            let user_name = optional_text(object, "user_name", MAX_NAME_CHARS)?.unwrap_or_else(|| user_id.clone());
            let duration_secs = match object.get("duration_secs") {
                None | Some(Value::Null) => None,
                Some(value) => Some(value.as_u64().ok_or_else(|| {
                    rejected(
                        "duration_secs",
                        "\"duration_secs\" must be a whole number of seconds, or absent for a ban",
                    )
                })?),
            };
            Ok(ChatEvent::BanViewer(BanViewer { platform, user_id, user_name, duration_secs }))
        }
        other => Err(rejected("type", format!("\"type\" {other:?} is not \"comment\", \"delete\" or \"ban\""))),
    }
}

fn read_comment(object: &Map<String, Value>, platform: Platform, now: UnixMs) -> Result<Comment, Rejected> {
    let id = required_text(object, "id", MAX_NAME_CHARS)?;
    let user_id = required_text(object, "user_id", MAX_NAME_CHARS)?;
    let user_name = required_text(object, "user_name", MAX_NAME_CHARS)?;
    // Empty text is allowed: a paid sticker says nothing.
    let text = optional_text(object, "text", MAX_TEXT_CHARS)?
        .ok_or_else(|| rejected("text", "\"text\" is missing; send \"\" for a comment without words"))?;
    let time = match object.get("time") {
        None | Some(Value::Null) => now,
        Some(Value::String(time)) => parse_rfc3339(time).map_err(|reason| rejected("time", reason))?,
        Some(_) => return Err(rejected("time", "\"time\" must be an RFC 3339 string like 2024-05-01T12:00:00Z")),
    };
    let paid = match object.get("paid") {
        None | Some(Value::Null) => None,
        Some(Value::Object(paid)) => {
            let minor = paid.get("amount_minor").and_then(Value::as_i64).filter(|m| *m >= 0).ok_or_else(|| {
                rejected(
                    "paid.amount_minor",
                    "\"paid.amount_minor\" must be a whole number of minor units (cents, fen)",
                )
            })?;
            let code = paid.get("currency").and_then(Value::as_str).unwrap_or("");
            let currency = Currency::parse(code).ok_or_else(|| {
                rejected("paid.currency", format!("\"paid.currency\" {code:?} is not a three-letter ISO 4217 code"))
            })?;
            Some(Money { minor, currency })
        }
        Some(_) => return Err(rejected("paid", "\"paid\" must be an object {\"amount_minor\", \"currency\"}")),
    };
    let flags = match object.get("flags") {
        None | Some(Value::Null) => CommentFlags::default(),
        Some(flags) => {
            serde_json::from_value(flags.clone()).map_err(|e| rejected("flags", format!("\"flags\": {e}")))?
        }
    };
    Ok(Comment { platform, id: CommentId(id), user_id, user_name, text, time, paid, flags })
}

fn optional_text(object: &Map<String, Value>, field: &str, max_chars: usize) -> Result<Option<String>, Rejected> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.chars().count() > max_chars => {
            Err(rejected(field, format!("\"{field}\" is longer than {max_chars} characters")))
        }
        Some(Value::String(text)) => Ok(Some(text.clone())),
        // Some platforms use numeric ids; their decimal text is the id.
        Some(Value::Number(n)) if field != "text" => Ok(Some(n.to_string())),
        Some(_) => Err(rejected(field, format!("\"{field}\" must be a string"))),
    }
}

fn required_text(object: &Map<String, Value>, field: &str, max_chars: usize) -> Result<String, Rejected> {
    match optional_text(object, field, max_chars)? {
        Some(text) if !text.trim().is_empty() => Ok(text),
        Some(_) => Err(rejected(field, format!("\"{field}\" is empty"))),
        None => Err(rejected(field, format!("\"{field}\" is missing"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite;
    use tower::ServiceExt;

    const TOKEN: &str = "console-token-0123456789";

    fn ingest(capacity: usize) -> (Router, mpsc::Receiver<SourceEvent>) {
        let (tx, rx) = mpsc::channel(capacity);
        (ingest_router(IngestState::new(TOKEN, tx)), rx)
    }

    async fn post_json(router: &Router, uri: &str, auth: Option<&str>, body: impl Into<Body>) -> (StatusCode, Value) {
        let mut request =
            axum::http::Request::builder().method("POST").uri(uri).header("content-type", "application/json");
        if let Some(auth) = auth {
            request = request.header("authorization", auth);
        }
        let request = request.body(body.into()).expect("a request");
        let response = router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
    }

    fn drain(rx: &mut mpsc::Receiver<SourceEvent>) -> Vec<ChatEvent> {
        let mut events = Vec::new();
        while let Ok(event) = rx.try_recv() {
            match event {
                SourceEvent::Chat(event) => events.push(event),
                SourceEvent::Health(h) => panic!("the ingest reports no health: {h:?}"),
            }
        }
        events
    }

    const BEARER: &str = "Bearer console-token-0123456789";

    #[tokio::test]
    async fn a_bridge_posts_a_paid_comment_and_the_show_receives_it() {
        let (router, mut rx) = ingest(16);
        let body = json!({
            "platform": "tiktok", "id": "7301", "user_id": "u-88", "user_name": "Mei", "text": "多少钱？",
            "time": "2024-05-01T12:00:00.250+08:00", "paid": {"amount_minor": 199, "currency": "CNY"},
            "flags": {"first_message": true}, "gift": "rose"
        });
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), body.to_string()).await;
        assert_eq!((status, answer), (StatusCode::OK, json!({"accepted": 1, "rejected": []})));
        let events = drain(&mut rx);
        let [ChatEvent::Comment(comment)] = events.as_slice() else { panic!("one comment expected: {events:?}") };
        assert_eq!(comment.platform, Platform::Tiktok);
        assert_eq!(
            (comment.id.0.as_str(), comment.user_name.as_str(), comment.text.as_str()),
            ("7301", "Mei", "多少钱？")
        );
        assert_eq!(comment.time, UnixMs(1_714_536_000_250));
        assert_eq!(comment.paid.as_ref().map(|m| (m.minor, m.currency.code())), Some((199, "CNY")));
        assert!(comment.flags.first_message);

        // The bridge lost the answer and sends the same comment again: accepted, not delivered twice.
        let (status, answer) =
            post_json(&router, "/ingest/comments", Some(BEARER), json!([body, body]).to_string()).await;
        assert_eq!((status, answer), (StatusCode::OK, json!({"accepted": 2, "rejected": []})));
        assert!(drain(&mut rx).is_empty(), "a resent comment is delivered once");
    }

    #[tokio::test]
    async fn every_bad_item_is_named_by_index_and_field_and_the_good_ones_still_arrive() {
        let (router, mut rx) = ingest(16);
        let batch = json!([
            {"platform": "douyin", "id": "d1", "user_id": "u1", "user_name": "A", "text": "hello"},
            {"platform": "douyin", "user_id": "u2", "user_name": "B", "text": "no id"},
            {"platform": "douyin", "id": "d3", "user_id": "u3", "user_name": "C", "text": "hi", "time": "yesterday"},
            {"platform": "douyin", "id": "d4", "user_id": "u4", "user_name": "D", "text": "hi",
             "paid": {"amount_minor": 100, "currency": "dollars"}},
            {"platform": "myspace", "id": "d5", "user_id": "u5", "user_name": "E", "text": "hi"},
            "just a string",
            {"type": "delete", "platform": "douyin", "id": "d1"},
            {"type": "ban", "platform": "douyin", "user_id": "u9", "duration_secs": 600},
            {"type": "applause", "platform": "douyin"}
        ]);
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), batch.to_string()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(answer["accepted"], 3);
        let named: Vec<(u64, &str)> = answer["rejected"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| (r["index"].as_u64().unwrap_or(99), r["field"].as_str().unwrap_or("")))
            .collect();
        assert_eq!(named, [(1, "id"), (2, "time"), (3, "paid.currency"), (4, "platform"), (5, "item"), (8, "type")]);
        assert!(answer["rejected"][1]["error"].as_str().is_some_and(|e| e.contains("RFC 3339")), "{answer}");

        let events = drain(&mut rx);
        assert_eq!(events.len(), 3, "{events:?}");
        assert!(matches!(&events[0], ChatEvent::Comment(c) if c.id.0 == "d1" && c.time.0 > 0), "no time means now");
        assert!(matches!(&events[1], ChatEvent::DeleteComment { id, .. } if id.0 == "d1"));
        assert!(
            matches!(&events[2], ChatEvent::BanViewer(b) if b.user_id == "u9" && b.user_name == "u9" && b.duration_secs == Some(600))
        );
    }

    #[tokio::test]
    async fn without_the_console_token_nothing_gets_in() {
        let (router, mut rx) = ingest(16);
        let one = json!({"platform": "kick", "id": "k1", "user_id": "u", "user_name": "U", "text": "hi"}).to_string();
        for auth in [None, Some("Bearer wrong-token-0123456789"), Some("Bearer "), Some("Basic Y29uc29sZQ==")] {
            let (status, answer) = post_json(&router, "/ingest/comments", auth, one.clone()).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{auth:?}");
            assert!(answer["error"].as_str().is_some_and(|e| e.contains("token")), "{answer}");
        }
        let (status, _) = post_json(&router, "/ingest/comments?token=nope", None, one.clone()).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(drain(&mut rx).is_empty(), "nothing was delivered");

        let (status, _) = post_json(&router, &format!("/ingest/comments?token={TOKEN}"), None, one.clone()).await;
        assert_eq!(status, StatusCode::OK, "the token also works as a query parameter");
        assert_eq!(drain(&mut rx).len(), 1);

        // A show started without a console token admits nobody, not everybody.
        let (tx, mut rx) = mpsc::channel(4);
        let open = ingest_router(IngestState::new("", tx));
        let (status, _) = post_json(&open, "/ingest/comments?token=", Some("Bearer "), one).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(drain(&mut rx).is_empty());
    }

    #[tokio::test]
    async fn oversized_bodies_overlong_batches_and_non_json_are_refused_whole() {
        let (router, mut rx) = ingest(1000);
        let padding = "x".repeat(MAX_BODY_BYTES);
        let huge = json!({"platform": "kick", "id": "k", "user_id": "u", "user_name": "U", "text": padding});
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), huge.to_string()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(answer["error"].as_str().is_some_and(|e| e.contains("256 KiB")), "{answer}");

        let item = json!({"platform": "kick", "id": "k", "user_id": "u", "user_name": "U", "text": "hi"});
        let many = Value::Array(vec![item; MAX_ITEMS_PER_REQUEST + 1]);
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), many.to_string()).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(answer["error"].as_str().is_some_and(|e| e.contains("at most 500")), "{answer}");

        for bad in ["{\"platform\":", "42", ""] {
            let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), bad).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{bad:?}");
            assert!(answer["error"].is_string());
        }
        let long_text =
            json!({"platform": "kick", "id": "k", "user_id": "u", "user_name": "U", "text": "y".repeat(2001)});
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), long_text.to_string()).await;
        assert_eq!((status, answer["rejected"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("text")));
        assert!(drain(&mut rx).is_empty());
    }

    #[tokio::test]
    async fn a_full_intake_answers_503_at_once_and_delivers_nothing_from_that_request() {
        let (router, mut rx) = ingest(2);
        let comment =
            |id: &str| json!({"platform": "bilibili", "id": id, "user_id": "u", "user_name": "U", "text": "hi"});
        let (status, _) = post_json(&router, "/ingest/comments", Some(BEARER), json!([comment("1")]).to_string()).await;
        assert_eq!(status, StatusCode::OK);
        // One slot is left; two items do not fit, so neither is delivered.
        let request = axum::http::Request::builder()
            .method("POST")
            .uri("/ingest/comments")
            .header("authorization", BEARER)
            .body(Body::from(json!([comment("2"), comment("3")]).to_string()))
            .expect("a request");
        let response = router.clone().oneshot(request).await.expect("the router answers");
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(response.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("1"));
        let ids: Vec<String> = drain(&mut rx)
            .into_iter()
            .filter_map(|e| if let ChatEvent::Comment(c) = e { Some(c.id.0) } else { None })
            .collect();
        assert_eq!(ids, ["1"]);

        let (status, _) =
            post_json(&router, "/ingest/comments", Some(BEARER), json!([comment("2"), comment("3")]).to_string()).await;
        assert_eq!(status, StatusCode::OK, "once the show has caught up the resend goes through");
        assert_eq!(drain(&mut rx).len(), 2);

        drop(rx);
        let (status, answer) = post_json(&router, "/ingest/comments", Some(BEARER), comment("4").to_string()).await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(answer["error"].as_str().is_some_and(|e| e.contains("not taking")), "{answer}");
    }

    async fn serve(capacity: usize) -> (String, mpsc::Receiver<SourceEvent>) {
        let (router, rx) = ingest(capacity);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        (format!("ws://{addr}/ingest/ws"), rx)
    }

    async fn next_reply<S>(socket: &mut S) -> Value
    where
        S: StreamExt<Item = Result<tungstenite::Message, tungstenite::Error>> + Unpin,
    {
        match tokio::time::timeout(std::time::Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(tungstenite::Message::Text(text)))) => {
                serde_json::from_str(text.as_str()).unwrap_or(Value::Null)
            }
            other => panic!("expected a text reply, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_websocket_bridge_streams_items_and_hears_about_each_one() {
        let (url, mut rx) = serve(1).await;
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("{url}?token={TOKEN}")).await.expect("the handshake succeeds");
        let item = json!({"platform": "kick", "id": "k1", "user_id": "u1", "user_name": "Kay", "text": "sizes?"});
        socket.send(tungstenite::Message::text(item.to_string())).await.expect("sent");
        assert_eq!(next_reply(&mut socket).await, json!({"ok": true}));

        socket.send(tungstenite::Message::text(r#"{"platform": "kick", "id": "k2"}"#)).await.expect("sent");
        let reply = next_reply(&mut socket).await;
        assert_eq!(reply["field"], "user_id", "{reply}");

        // The channel holds one item and the show has not read it yet.
        let second = json!({"platform": "kick", "id": "k3", "user_id": "u1", "user_name": "Kay", "text": "and?"});
        socket.send(tungstenite::Message::text(second.to_string())).await.expect("sent");
        let reply = next_reply(&mut socket).await;
        assert_eq!(reply["retry"], true, "{reply}");

        socket.send(tungstenite::Message::text("not json")).await.expect("sent");
        assert!(next_reply(&mut socket).await["error"].as_str().is_some_and(|e| e.contains("not JSON")));
        socket.send(tungstenite::Message::binary(vec![1, 2, 3])).await.expect("sent");
        assert!(next_reply(&mut socket).await["error"].as_str().is_some_and(|e| e.contains("text message")));

        let events = drain(&mut rx);
        assert!(matches!(events.as_slice(), [ChatEvent::Comment(c)] if c.id.0 == "k1" && c.text == "sizes?"));
        socket.send(tungstenite::Message::text(second.to_string())).await.expect("sent");
        assert_eq!(next_reply(&mut socket).await, json!({"ok": true}), "room again once the show has read");
        let _ = socket.close(None).await;
    }

    /// Bridges' own output, named with `?format=`: a StreamHawk push gets the answer StreamHawk waits for, gifts
    /// arrive as support the host thanks, likes and joins are counted, a repeated frame is delivered once, an unknown format is
    /// refused with the known ones.
    #[tokio::test]
    async fn bridges_post_their_own_formats_by_name() {
        let (router, mut rx) = ingest(16);
        let push = json!({"platform": "kuaishou", "messages": [
            {"type": "text", "content": "有大码吗", "userId": "k7", "userName": "阿花"},
            {"type": "gift", "userId": "k8", "userName": "老王", "gift": {"name": "棒棒糖", "price": 1, "comboCount": 3}},
            {"type": "like", "userId": "k9"}, {"type": "entrance", "userId": "k10"}]});
        let (status, answer) =
            post_json(&router, "/ingest/comments?format=streamhawk", Some(BEARER), push.to_string()).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        assert_eq!((answer["code"].clone(), answer["msg"].clone()), (json!(0), json!("")), "{answer}");
        assert_eq!(answer["detail"]["counted"], json!({"like": 1, "join": 1}), "{answer}");
        let events = drain(&mut rx);
        assert!(
            matches!(events.as_slice(), [ChatEvent::Comment(c), ChatEvent::Support(s)]
                if c.platform == Platform::Kuaishou && c.text == "有大码吗" && s.text.contains("棒棒糖 x3")
                    && s.kind == model::SupportKind::Gift { name: "棒棒糖".into(), count: 3 } && s.user_name == "老王"),
            "{events:?}"
        );
        let frame = r#"{"Type":1,"Data":"{\"MsgId\":7402001234567890123,\"User\":{\"Id\":98765432101,\"Nickname\":\"小明\"},\"Content\":\"多少钱\"}"}"#;
        for _ in 0..2 {
            let (status, answer) =
                post_json(&router, "/ingest/comments?format=douyin-barrage-grab", Some(BEARER), frame).await;
            assert_eq!(status, StatusCode::OK, "{answer}");
        }
        let events = drain(&mut rx);
        assert!(matches!(events.as_slice(), [ChatEvent::Comment(c)] if c.id.0 == "7402001234567890123"), "{events:?}");
        let (status, answer) =
            post_json(&router, "/ingest/comments?format=streamhawk", Some(BEARER), "{\"messages\": 3}").await;
        assert_eq!((status, answer["code"].clone()), (StatusCode::BAD_REQUEST, json!(1)), "{answer}");
        let (status, answer) = post_json(&router, "/ingest/comments?format=douyu", Some(BEARER), "{}").await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(answer["error"].as_str().is_some_and(|e| e.contains("tiktok-live-connector")), "{answer}");
    }

    #[tokio::test]
    async fn a_websocket_bridge_sends_tiktok_events_by_name() {
        let (url, mut rx) = serve(8).await;
        let (mut socket, _) =
            tokio_tungstenite::connect_async(format!("{url}?token={TOKEN}&format=tiktok-live-connector"))
                .await
                .expect("the handshake succeeds");
        let chat = json!({"comment": "is it dishwasher safe?", "userId": "6813181309701719620", "uniqueId": "amy",
            "nickname": "Amy", "msgId": "7137750790064065286", "createTime": "1661887134718"});
        socket.send(tungstenite::Message::text(chat.to_string())).await.expect("sent");
        assert_eq!(next_reply(&mut socket).await["accepted"], 1);
        socket
            .send(tungstenite::Message::text(r#"{"event":"like","data":{"count":5,"total":9}}"#))
            .await
            .expect("sent");
        assert_eq!(next_reply(&mut socket).await["counted"], json!({"like": 1}));
        let events = drain(&mut rx);
        assert!(
            matches!(events.as_slice(), [ChatEvent::Comment(c)] if c.platform == Platform::Tiktok && c.user_name == "Amy")
        );
        let _ = socket.close(None).await;
    }

    #[tokio::test]
    async fn a_websocket_without_the_token_is_refused_before_the_upgrade() {
        let (url, _rx) = serve(4).await;
        match tokio_tungstenite::connect_async(format!("{url}?token=wrong")).await {
            Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), StatusCode::UNAUTHORIZED),
            other => panic!("expected 401, got {:?}", other.map(|(_, r)| r.status())),
        }
        use tungstenite::client::IntoClientRequest;
        let mut request = url.as_str().into_client_request().expect("a request");
        request.headers_mut().insert("authorization", BEARER.parse().expect("a header value"));
        assert!(tokio_tungstenite::connect_async(request).await.is_ok(), "the header works as well as the query");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"ab"));
        assert!(!same_secret(b"abc", b"abc\0"));
        assert!(!IngestState::new("", mpsc::channel(1).0).admits(""));
        assert!(!format!("{:?}", IngestState::new("s3cret", mpsc::channel(1).0)).contains("s3cret"));
    }
}
