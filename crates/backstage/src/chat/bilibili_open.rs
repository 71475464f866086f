//! Bilibili live through its open platform (直播开放平台), the sanctioned way in (facts and sources:
//! ../shared/PLATFORMS.md §1.7; no code of blivedm or any other client is used).
//!
//! A developer's `app_id`, `access_key_id` and `access_key_secret`, and the streamer's identity code (身份码, from
//! the live client), all from the environment. [`run`] keeps one "game" going:
//!
//! 1. `POST {api}/v2/app/start {"code", "app_id"}` gives a `game_id`, an `auth_body` and WebSocket addresses;
//! 2. the first address that answers gets the `auth_body` verbatim as an operation-7 packet, and must answer with an
//!    operation-8 reply of code 0; the socket is kept alive with operation-2 heartbeats (30 s);
//! 3. `POST /v2/app/heartbeat {"game_id"}` every 20 s keeps the game itself alive: code 7003 means it was closed,
//!    and so does a `LIVE_OPEN_PLATFORM_INTERACTION_END` for this game on the socket; both start a new game;
//! 4. `POST /v2/app/end` when the show stops, and before a new game after a loss, or the room may refuse a new one
//!    for a while.
//!
//! Every call is signed: the six `x-bili-*` headers (the body's MD5 among them) as `key:value` lines, their
//! HMAC-SHA256 under the secret in `Authorization` ([`sign`]). Frames are read by [`super::bilibili_live`], which
//! knows the platform's commands: comments, super chats (CNY) and their withdrawal, gifts, guard purchases, likes
//! and entries. Refusals the operator must fix (keys, identity code, app id, the server's address, the clock) end
//! [`run`] with an error naming what to check; everything else reconnects with backoff.

use super::ChatEvent;
use super::bilibili_live::{self, OP_AUTH, OP_HEARTBEAT};
use super::bridges::BridgeEvent;
use super::connector::{Health, SeenIds, SourceEvent, Tls, now_ms, open_websocket};
use crate::backoff::{Backoff, Jitter};
use futures_util::{SinkExt, StreamExt};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde_json::{Value, json};
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// The open platform's API host (its documentation site answers POSTs with 405).
pub const OPEN_LIVE_API: &str = "https://live-open.biliapi.com";

/// The developer's keys and the streamer's identity code. `Debug` shows neither secret.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenLiveCredentials {
    /// The interactive-feature (互动玩法) project's id.
    pub app_id: u64,
    pub access_key_id: String,
    pub access_key_secret: String,
    /// The streamer's identity code (身份码).
    pub code: String,
}

impl fmt::Debug for OpenLiveCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenLiveCredentials")
            .field("app_id", &self.app_id)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Where and how to connect.
#[derive(Clone, Debug)]
pub struct OpenLiveConfig {
    /// [`OPEN_LIVE_API`], or a local server in tests.
    pub api: String,
    pub credentials: OpenLiveCredentials,
    /// TLS for `wss://` addresses (the Mozilla roots, or a private authority's PEM in tests).
    pub tls: Tls,
    /// The game's HTTP heartbeat (20 s; the platform closes a game after about 30 s without one).
    pub game_heartbeat: Duration,
    /// The socket's operation-2 heartbeat (30 s).
    pub socket_heartbeat: Duration,
    /// A socket silent this long is taken as lost (the heartbeat replies alone arrive every 30 s).
    pub idle_timeout: Duration,
    /// First reconnect delay; doubles each failed attempt up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Comment ids remembered, so a message the platform sends again is delivered once.
    pub dedupe_ids: usize,
}

impl OpenLiveConfig {
    pub fn new(credentials: OpenLiveCredentials) -> OpenLiveConfig {
        OpenLiveConfig {
            api: OPEN_LIVE_API.into(),
            credentials,
            tls: Tls::default(),
            game_heartbeat: Duration::from_secs(20),
            socket_heartbeat: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(75),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(60),
            dedupe_ids: 4096,
        }
    }
}

/// Why [`run`] stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum OpenLiveError {
    #[error("Bilibili's open platform refused to start: code {code} ({message}). {hint}")]
    Refused { code: i64, message: String, hint: &'static str },
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// The refusals the operator must fix, with what to check; `None` for those worth trying again (rate limits, the
/// previous game still settling, the platform's own faults). Codes from the platform's table of common errors.
pub fn refusal_hint(code: i64) -> Option<&'static str> {
    Some(match code {
        4001 | 4002 | 4005 | 4006 | 4012 => {
            "Check SHOPCAST_BILIBILI_ACCESS_KEY_ID and SHOPCAST_BILIBILI_ACCESS_KEY_SECRET (the developer keys \
             Bilibili sent for the project)"
        }
        4003 => "The request's timestamp was refused: check this machine's clock",
        4007 => "This server's address is not on the project's IP allow-list: add it in the developer console",
        4000 | 4008 | 4010 | 4011 | 4013 | 8002 => {
            "Check SHOPCAST_BILIBILI_APP_ID (the interactive-feature project's id) and that the project may use the \
             live API"
        }
        5004 | 5005 => "This room may not use the project (the platform's room allow-list or block-list)",
        7007 => {
            "Check SHOPCAST_BILIBILI_IDENTITY_CODE (the streamer's 身份码, shown in the live client's interactive \
             features)"
        }
        _ => return None,
    })
}

/// The six signed headers and `Authorization` for a call with `body`, at Unix second `timestamp` with `nonce`.
pub fn sign(key_id: &str, secret: &str, body: &[u8], nonce: &str, timestamp: u64) -> Vec<(&'static str, String)> {
    let md5: String = Md5::digest(body).iter().map(|b| format!("{b:02x}")).collect();
    let signed = [
        ("x-bili-accesskeyid", key_id.to_string()),
        ("x-bili-content-md5", md5),
        ("x-bili-signature-method", "HMAC-SHA256".to_string()),
        ("x-bili-signature-nonce", nonce.to_string()),
        ("x-bili-signature-version", "1.0".to_string()),
        ("x-bili-timestamp", timestamp.to_string()),
    ];
    let text = signed.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join("\n");
    // HMAC takes a key of any length, so `new_from_slice` cannot fail; an empty MAC would only be refused (4002).
    let authorization = match Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(text.as_bytes());
            mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
        }
        Err(_) => String::new(),
    };
    let mut headers = signed.to_vec();
    headers.push(("authorization", authorization));
    headers
}

/// Why a call gave nothing.
#[derive(Debug)]
enum CallError {
    /// The platform answered with a code other than 0.
    Code { code: i64, message: String },
    /// No answer, or not the platform's JSON.
    Transport(String),
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Code { code, message } => write!(f, "code {code} ({message})"),
            CallError::Transport(e) => f.write_str(e),
        }
    }
}

/// One signed call: `data` of the answer when its `code` is 0.
async fn call(client: &reqwest::Client, config: &OpenLiveConfig, path: &str, body: &Value) -> Result<Value, CallError> {
    let body = body.to_string();
    let nonce = format!("{:016x}{:08x}", fastrand::u64(..), fastrand::u32(..));
    let timestamp = u64::try_from(now_ms().0 / 1000).unwrap_or(0);
    let creds = &config.credentials;
    let url = format!("{}{path}", config.api.trim_end_matches('/'));
    let mut request = client
        .post(&url)
        .header("content-type", "application/json")
        .header("accept", "application/json")
        .body(body.clone());
    for (name, value) in sign(&creds.access_key_id, &creds.access_key_secret, body.as_bytes(), &nonce, timestamp) {
        request = request.header(name, value);
    }
    let response = request.send().await.map_err(|e| CallError::Transport(format!("{path}: {e}")))?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(|e| CallError::Transport(format!("{path}: {e}")))?;
    let answer: Value = serde_json::from_slice(&bytes)
        .map_err(|_| CallError::Transport(format!("{path}: HTTP {status} without the platform's JSON answer")))?;
    match answer.get("code").and_then(Value::as_i64) {
        Some(0) => Ok(answer.get("data").cloned().unwrap_or(Value::Null)),
        Some(code) => Err(CallError::Code {
            code,
            message: answer.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
        }),
        None => Err(CallError::Transport(format!("{path}: HTTP {status}, an answer without \"code\""))),
    }
}

/// A started game.
#[derive(Debug)]
struct Game {
    id: String,
    auth_body: String,
    links: Vec<String>,
}

async fn start(client: &reqwest::Client, config: &OpenLiveConfig) -> Result<Game, CallError> {
    let body = json!({ "code": config.credentials.code, "app_id": config.credentials.app_id });
    let data = call(client, config, "/v2/app/start", &body).await?;
    let missing = |what: &str| CallError::Transport(format!("/v2/app/start: the answer has no {what}"));
    let id = match data.pointer("/game_info/game_id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        _ => return Err(missing("data.game_info.game_id")),
    };
    let info = data.get("websocket_info").ok_or_else(|| missing("data.websocket_info"))?;
    let auth_body = info.get("auth_body").and_then(Value::as_str).ok_or_else(|| missing("auth_body"))?.to_string();
    let links: Vec<String> = info
        .get("wss_link")
        .and_then(Value::as_array)
        .map(|links| links.iter().filter_map(Value::as_str).map(str::to_string).collect())
        .unwrap_or_default();
    if links.is_empty() {
        return Err(missing("wss_link"));
    }
    Ok(Game { id, auth_body, links })
}

/// Ends a game; 7000 and 7003 (already over) are fine, anything else is logged: the game then times out by itself.
async fn end(client: &reqwest::Client, config: &OpenLiveConfig, game_id: &str) {
    let body = json!({ "app_id": config.credentials.app_id, "game_id": game_id });
    let ended = tokio::time::timeout(Duration::from_secs(5), call(client, config, "/v2/app/end", &body)).await;
    match ended {
        Ok(Ok(_)) | Ok(Err(CallError::Code { code: 7000 | 7003, .. })) => {}
        Ok(Err(e)) => tracing::warn!(game_id, "ending the Bilibili game failed: {e}"),
        Err(_) => tracing::warn!(game_id, "ending the Bilibili game timed out"),
    }
}

/// Why one game ended.
enum Ended {
    Shutdown,
    ReceiverGone,
    Lost(String),
    Refused(OpenLiveError),
}

/// Runs until `shutdown` completes, the receiver of `tx` is dropped, or the platform refuses in a way only the
/// operator can fix.
pub async fn run(
    config: OpenLiveConfig,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), OpenLiveError> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| OpenLiveError::Client(e.to_string()))?;
    tokio::pin!(shutdown);
    let mut jitter = Jitter::new();
    let mut state = State {
        seen: SeenIds::new(config.dedupe_ids),
        failures: 0,
        ever_connected: false,
        ignored: Default::default(),
    };
    loop {
        let mut game: Option<String> = None;
        let ended = tokio::select! {
            _ = &mut shutdown => Ended::Shutdown,
            ended = game_session(&client, &config, &tx, &mut state, &mut game) => ended,
        };
        // A game left running keeps the room from starting another for a while.
        if let Some(id) = game.take() {
            end(&client, &config, &id).await;
        }
        let reason = match ended {
            Ended::Shutdown | Ended::ReceiverGone => return Ok(()),
            Ended::Refused(e) => return Err(e),
            Ended::Lost(reason) => reason,
        };
        let retry_in = Backoff::new(config.initial_backoff, config.max_backoff).jittered(state.failures, &mut jitter);
        state.failures = state.failures.saturating_add(1);
        tracing::warn!(%reason, ?retry_in, "bilibili live connection lost");
        if tx.send(SourceEvent::Health(Health::Lost { reason, retry_in })).await.is_err() {
            return Ok(());
        }
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            _ = tokio::time::sleep(retry_in) => {}
        }
    }
}

/// What outlives one game.
struct State {
    seen: SeenIds,
    failures: u32,
    ever_connected: bool,
    /// Commands the show does not use, counted by name (each logged the first time it arrives).
    ignored: std::collections::HashMap<String, u64>,
}

/// One game: start, socket, auth, then comments until something ends it. `game` is set as soon as the game has
/// started, so the caller can end it however this returns.
async fn game_session(
    client: &reqwest::Client,
    config: &OpenLiveConfig,
    tx: &mpsc::Sender<SourceEvent>,
    state: &mut State,
    game: &mut Option<String>,
) -> Ended {
    let started = match start(client, config).await {
        Ok(started) => started,
        Err(CallError::Code { code, message }) => {
            return match refusal_hint(code) {
                Some(hint) => Ended::Refused(OpenLiveError::Refused { code, message, hint }),
                None => Ended::Lost(format!("the platform did not start the game: code {code} ({message})")),
            };
        }
        Err(e @ CallError::Transport(_)) => return Ended::Lost(format!("cannot start the game: {e}")),
    };
    *game = Some(started.id.clone());
    let mut tried = Vec::new();
    let mut socket = None;
    for link in &started.links {
        match open_websocket(link, &config.tls).await {
            Ok(s) => {
                socket = Some(s);
                break;
            }
            Err(e) => tried.push(e),
        }
    }
    let Some(mut socket) = socket else {
        return Ended::Lost(format!("no WebSocket address answered: {}", tried.join("; ")));
    };
    if let Err(e) =
        socket.send(Message::Binary(bilibili_live::packet(1, OP_AUTH, started.auth_body.as_bytes()).into())).await
    {
        return Ended::Lost(format!("cannot send the auth packet: {e}"));
    }
    // The auth reply comes first; nothing else is read before it.
    let reply = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Binary(frame)) => {
                    if let Some(code) = bilibili_live::auth_reply(&frame) {
                        return Ok(code);
                    }
                }
                Ok(Message::Close(_)) => break,
                Ok(_) => {}
                Err(e) => return Err(e.to_string()),
            }
        }
        Err("the socket closed before the auth reply".to_string())
    })
    .await;
    match reply {
        Ok(Ok(0)) => {}
        Ok(Ok(code)) => return Ended::Lost(format!("the socket refused the auth body: code {code}")),
        Ok(Err(e)) => return Ended::Lost(e),
        Err(_) => return Ended::Lost("no auth reply within 10 s".into()),
    }
    let health = if state.ever_connected { Health::Restored { attempts: state.failures } } else { Health::Connected };
    state.ever_connected = true;
    state.failures = 0;
    if tx.send(SourceEvent::Health(health)).await.is_err() {
        return Ended::ReceiverGone;
    }
    let start_at = tokio::time::Instant::now();
    let mut socket_beat = tokio::time::interval_at(start_at + config.socket_heartbeat, config.socket_heartbeat);
    let mut game_beat = tokio::time::interval_at(start_at + config.game_heartbeat, config.game_heartbeat);
    let mut beats_missed = 0u32;
    loop {
        tokio::select! {
            message = tokio::time::timeout(config.idle_timeout, socket.next()) => {
                let frame = match message {
                    Err(_) => return Ended::Lost(format!("nothing from the socket for {} s", config.idle_timeout.as_secs())),
                    Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return Ended::Lost("the socket closed".into()),
                    Ok(Some(Err(e))) => return Ended::Lost(format!("reading the socket failed: {e}")),
                    Ok(Some(Ok(Message::Binary(frame)))) => frame,
                    Ok(Some(Ok(_))) => continue,
                };
                if let Some(ended) = deliver(&frame, &started.id, tx, state).await {
                    return ended;
                }
            }
            _ = socket_beat.tick() => {
                if let Err(e) = socket.send(Message::Binary(bilibili_live::packet(1, OP_HEARTBEAT, b"{}").into())).await {
                    return Ended::Lost(format!("cannot send the socket heartbeat: {e}"));
                }
            }
            _ = game_beat.tick() => {
                match call(client, config, "/v2/app/heartbeat", &json!({ "game_id": started.id })).await {
                    Ok(_) => beats_missed = 0,
                    Err(CallError::Code { code: 7003, .. }) => {
                        return Ended::Lost("the platform closed the game (heartbeat code 7003)".into());
                    }
                    Err(e) => {
                        // One missed beat is survivable (the platform allows about 30 s); three in a row are not.
                        beats_missed += 1;
                        tracing::warn!(beats_missed, "the Bilibili game heartbeat failed: {e}");
                        if beats_missed >= 3 {
                            return Ended::Lost(format!("the game heartbeat failed {beats_missed} times: {e}"));
                        }
                    }
                }
            }
        }
    }
}

/// Hands one frame's events to the show; `Some` when the frame ends the game (this game's interaction end) or the
/// receiver is gone.
async fn deliver(frame: &[u8], game_id: &str, tx: &mpsc::Sender<SourceEvent>, state: &mut State) -> Option<Ended> {
    let decoded = bilibili_live::decode(frame);
    for (offset, reason) in &decoded.problems {
        tracing::warn!(offset, "an unreadable Bilibili message was skipped: {reason}");
    }
    for (cmd, n) in decoded.ignored {
        let count = state.ignored.entry(cmd.clone()).or_insert(0);
        if *count == 0 {
            tracing::info!(%cmd, "a Bilibili message the show does not use: this kind is counted and ignored");
        }
        *count += n as u64;
    }
    for event in decoded.events {
        let event = match event {
            BridgeEvent::SessionEnded { game_id: ended } if ended.is_empty() || ended == game_id => {
                return Some(Ended::Lost("the platform ended the game (LIVE_OPEN_PLATFORM_INTERACTION_END)".into()));
            }
            BridgeEvent::Chat(ChatEvent::Comment(comment)) if !state.seen.first_time(&comment.id.0) => continue,
            other => other,
        };
        if let Some(event) = event.into_chat(now_ms())
            && tx.send(SourceEvent::Chat(event)).await.is_err()
        {
            return Some(Ended::ReceiverGone);
        }
    }
    None
}

#[cfg(test)]
#[path = "bilibili_open_tests.rs"]
mod tests;
