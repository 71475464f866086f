//! One obs-websocket session: the Hello/Identify handshake, then requests matched to responses by `requestId`
//! and events fanned out to subscribers, until the socket ends.
//!
//! A background task owns the socket; [`Requests`] handles are cheap clones that hand it frames. Nothing here
//! retries or reconnects: that is [`super::link::ObsLink`]'s job.

use super::error::ObsError;
use super::link::LinkOptions;
use super::protocol::{RPC_VERSION, auth_response, op};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;

/// An event OBS pushed (op 5), e.g. `CurrentProgramSceneChanged` with `{"sceneName": ...}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObsEvent {
    pub event_type: String,
    pub data: Value,
}

type Reply = Result<Value, ObsError>;
type Pending = Arc<Mutex<HashMap<String, (String, oneshot::Sender<Reply>)>>>;

/// Sends requests on one session. Cloning is cheap; every clone talks to the same socket.
#[derive(Clone)]
pub struct Requests {
    /// To the socket task; closed when the session ends (sends then fail with `ConnectionLost`).
    out: mpsc::UnboundedSender<String>,
    pending: Pending,
    next_id: Arc<AtomicU64>,
    timeout: Duration,
}

impl Requests {
    /// Sends `request_type` with `data` (use `Value::Null` for none) and waits for OBS's answer, at most the
    /// session's request timeout. OBS's error answers become [`ObsError::Request`] with its code and comment.
    pub async fn request(&self, request_type: &str, data: Value) -> Result<Value, ObsError> {
        self.request_within(request_type, data, self.timeout).await
    }

    /// Like [`Requests::request`] with its own timeout (screenshots of big scenes take longer).
    pub async fn request_within(&self, request_type: &str, data: Value, timeout: Duration) -> Result<Value, ObsError> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed).to_string();
        let mut d = json!({ "requestType": request_type, "requestId": id });
        if !data.is_null() {
            d["requestData"] = data;
        }
        let frame = json!({ "op": op::REQUEST, "d": d }).to_string();
        let (tx, rx) = oneshot::channel();
        lock(&self.pending).insert(id.clone(), (request_type.to_string(), tx));
        if self.out.send(frame).is_err() {
            lock(&self.pending).remove(&id);
            return Err(ObsError::ConnectionLost { request: request_type.to_string() });
        }
        match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(reply)) => reply,
            Ok(Err(_)) => Err(ObsError::ConnectionLost { request: request_type.to_string() }),
            Err(_) => {
                // A late answer finds no entry and is dropped.
                lock(&self.pending).remove(&id);
                Err(ObsError::Timeout { request: request_type.to_string(), ms: timeout.as_millis() as u64 })
            }
        }
    }

    /// Whether the socket task has ended.
    pub fn is_closed(&self) -> bool {
        self.out.is_closed()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding this lock cannot leave the map half-updated, so a poisoned lock is still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// An identified session and the task that owns its socket.
pub struct Session {
    pub requests: Requests,
    /// What OBS reported in Hello, e.g. "5.1.0".
    pub obs_websocket_version: String,
    /// Ends with a sentence saying why the session ended.
    pub task: JoinHandle<String>,
}

impl Session {
    /// Connects to `options.url`, answers Hello with Identify (and the password, when OBS asks for one), and waits
    /// for Identified, all within the handshake timeout. Events go to `events` (no receivers is fine).
    pub async fn open(options: &LinkOptions, events: broadcast::Sender<ObsEvent>) -> Result<Session, ObsError> {
        let (url, handshake_timeout) = (options.url.as_str(), options.handshake_timeout);
        let handshake = handshake(url, options.password.as_deref(), options.subscriptions);
        let (ws, version) = match tokio::time::timeout(handshake_timeout, handshake).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(ObsError::Connect {
                    url: url.to_string(),
                    detail: format!("no handshake within {} ms", handshake_timeout.as_millis()),
                });
            }
        };
        let (out, out_rx) = mpsc::unbounded_channel();
        let pending: Pending = Arc::default();
        let task = tokio::spawn(pump(ws, out_rx, pending.clone(), events, options.keepalive));
        let requests =
            Requests { out, pending, next_id: Arc::new(AtomicU64::new(1)), timeout: options.request_timeout };
        Ok(Session { requests, obs_websocket_version: version, task })
    }

    /// [`Session::open`], tried again every 200 ms while nothing answers at the address (OBS still starting), for
    /// at most `within`. Any other failure (a wrong password, a handshake OBS refused) returns at once.
    pub async fn open_when_up(
        options: &LinkOptions,
        events: broadcast::Sender<ObsEvent>,
        within: Duration,
    ) -> Result<Session, ObsError> {
        let started = tokio::time::Instant::now();
        loop {
            match Session::open(options, events.clone()).await {
                Err(ObsError::Connect { url, detail }) if started.elapsed() < within => {
                    tracing::debug!("OBS at {url} is not up yet: {detail}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(ObsError::Connect { url, detail }) => {
                    let detail = format!("{detail} (still nothing after {} s)", within.as_secs());
                    return Err(ObsError::Connect { url, detail });
                }
                other => return other,
            }
        }
    }

    pub async fn request(&self, request_type: &str, data: Value) -> Result<Value, ObsError> {
        self.requests.request(request_type, data).await
    }
}

type Ws = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn handshake(url: &str, password: Option<&str>, subscriptions: u32) -> Result<(Ws, String), ObsError> {
    let connect_err = |detail: String| ObsError::Connect { url: url.to_string(), detail };
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.map_err(|e| connect_err(e.to_string()))?;
    let hello = next_json(&mut ws).await?;
    if hello["op"].as_u64() != Some(op::HELLO) {
        return Err(ObsError::Protocol(format!("expected Hello (op 0) first, got {hello}")));
    }
    let d = &hello["d"];
    let version = d["obsWebSocketVersion"].as_str().unwrap_or("unknown").to_string();
    let mut identify = json!({ "rpcVersion": RPC_VERSION, "eventSubscriptions": subscriptions });
    if let Some(auth) = d.get("authentication") {
        let (Some(challenge), Some(salt)) = (auth["challenge"].as_str(), auth["salt"].as_str()) else {
            return Err(ObsError::Protocol(format!("Hello has no challenge and salt: {auth}")));
        };
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            let _ = ws.close(None).await;
            return Err(ObsError::PasswordRequired);
        };
        identify["authentication"] = Value::String(auth_response(password, salt, challenge));
    }
    let frame = json!({ "op": op::IDENTIFY, "d": identify }).to_string();
    ws.send(Message::Text(frame.into())).await.map_err(|e| connect_err(e.to_string()))?;
    let identified = next_json(&mut ws).await?;
    if identified["op"].as_u64() != Some(op::IDENTIFIED) {
        return Err(ObsError::Protocol(format!("expected Identified (op 2), got {identified}")));
    }
    Ok((ws, version))
}

/// The next text frame as JSON; a close frame becomes the matching error (4009 is a refused password).
async fn next_json(ws: &mut Ws) -> Result<Value, ObsError> {
    loop {
        match ws.next().await {
            Some(Ok(Message::Text(text))) => {
                return serde_json::from_str(text.as_str())
                    .map_err(|e| ObsError::Protocol(format!("a frame that is not JSON ({e}): {text}")));
            }
            Some(Ok(Message::Close(frame))) => {
                return Err(closed(frame.map(|f| (u16::from(f.code), f.reason.to_string()))));
            }
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(ObsError::Closed { code: 1006, reason: e.to_string() }),
            None => {
                return Err(ObsError::Closed { code: 1006, reason: "the socket ended without a close frame".into() });
            }
        }
    }
}

fn closed(frame: Option<(u16, String)>) -> ObsError {
    match frame {
        Some((4009, _)) => ObsError::AuthFailed,
        Some((code, reason)) => ObsError::Closed { code, reason },
        None => ObsError::Closed { code: u16::from(CloseCode::Status), reason: String::new() },
    }
}

/// Owns the socket: writes queued requests, routes answers to their waiters and events to subscribers, and pings
/// every `keepalive` so that an OBS that hangs (or a network that silently drops) ends the session after three
/// silent intervals instead of never. Returns why it stopped; every request still waiting then fails with
/// `ConnectionLost` (its sender is dropped).
async fn pump(
    ws: Ws,
    mut out: mpsc::UnboundedReceiver<String>,
    pending: Pending,
    events: broadcast::Sender<ObsEvent>,
    keepalive: Duration,
) -> String {
    let (mut sink, mut stream) = ws.split();
    let mut ping = tokio::time::interval_at(tokio::time::Instant::now() + keepalive, keepalive);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_heard = tokio::time::Instant::now();
    let why = loop {
        tokio::select! {
            _ = ping.tick() => {
                if last_heard.elapsed() >= keepalive * 3 {
                    break format!("OBS stopped answering (nothing for {} ms, pings included)", last_heard.elapsed().as_millis());
                }
                if let Err(e) = sink.send(Message::Ping(Vec::new().into())).await {
                    break format!("sending to OBS failed: {e}");
                }
            },
            frame = out.recv() => match frame {
                Some(text) => {
                    if let Err(e) = sink.send(Message::Text(text.into())).await {
                        break format!("sending to OBS failed: {e}");
                    }
                }
                None => {
                    let _ = sink.close().await;
                    break "shopcast closed the session".to_string();
                }
            },
            frame = stream.next() => match frame {
                Some(Ok(Message::Text(text))) => {
                    last_heard = tokio::time::Instant::now();
                    route(text.as_str(), &pending, &events);
                }
                Some(Ok(Message::Close(frame))) => {
                    break closed(frame.map(|f| (u16::from(f.code), f.reason.to_string()))).to_string();
                }
                Some(Ok(_)) => last_heard = tokio::time::Instant::now(),
                Some(Err(e)) => break format!("the connection to OBS broke: {e}"),
                None => break "OBS closed the socket".to_string(),
            },
        }
    };
    lock(&pending).clear();
    why
}

fn route(text: &str, pending: &Pending, events: &broadcast::Sender<ObsEvent>) {
    let Ok(frame) = serde_json::from_str::<Value>(text) else {
        tracing::warn!(frame = text, "OBS sent a frame that is not JSON; ignored");
        return;
    };
    let d = &frame["d"];
    match frame["op"].as_u64() {
        Some(op::REQUEST_RESPONSE) => {
            let Some(id) = d["requestId"].as_str() else { return };
            let Some((request, waiter)) = lock(pending).remove(id) else { return };
            let status = &d["requestStatus"];
            let reply = if status["result"].as_bool() == Some(true) {
                Ok(d.get("responseData").cloned().unwrap_or(Value::Null))
            } else {
                Err(ObsError::Request {
                    request,
                    code: status["code"].as_u64().unwrap_or(0) as u16,
                    comment: status["comment"].as_str().unwrap_or_default().to_string(),
                })
            };
            let _ = waiter.send(reply);
        }
        Some(op::EVENT) => {
            let event = ObsEvent {
                event_type: d["eventType"].as_str().unwrap_or_default().to_string(),
                data: d.get("eventData").cloned().unwrap_or(Value::Null),
            };
            let _ = events.send(event);
        }
        _ => {}
    }
}
