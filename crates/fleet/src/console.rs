//! `shopcast fleet console`: one page for every room of the fleet. It lists each room with its state, the worker
//! holding it, whether it is on air, its viewers, the line on air and the last escalation (its reason, never the
//! viewer's words), and has the kill switch: the standby card in every room or a chosen set, and back.
//!
//! It reads the rooms from PostgreSQL, their holders from the lease bucket, and how each is from the status the
//! room publishes every two seconds. Every API call needs the fleet token (`Authorization: Bearer`); the page
//! itself holds no data.
//!
//! Each room's own console (the single-machine console's page and API) is under `/rooms/<id>/`, relayed to the
//! worker that holds the room now ([`crate::relay`]); it asks for its own login: the fleet token or a named
//! account scoped to the room.

use crate::bus::{self, Command};
use crate::lease::Holders;
use crate::pg::Pg;
use crate::room::{LastEscalation, LastLine, RoomStatus, STATUS_EVERY};
use crate::{FleetError, RoomId};
use async_nats::jetstream;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{any, get, post};
use axum::{Json, Router};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use subtle::ConstantTimeEq;
use tokio_util::sync::CancellationToken;

const PAGE: &str = include_str!("console.html");

/// A room as the fleet console shows it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RoomView {
    pub id: String,
    /// `on air`, `human host` (standby card), `quiet` (held, but no status lately), `no worker`, or `stopped`.
    pub health: String,
    pub held_by: Option<String>,
    pub viewers: usize,
    pub lines: u64,
    pub last_line: Option<LastLine>,
    pub last_escalation: Option<LastEscalation>,
    /// Whether the room's own console can be opened now (`/rooms/<id>/`).
    pub console: bool,
}

#[derive(Clone)]
struct Console {
    pg: Arc<Pg>,
    js: jetstream::Context,
    leases: Arc<Holders>,
    token: Arc<str>,
    statuses: Arc<Mutex<HashMap<String, (RoomStatus, Instant)>>>,
    relay: reqwest::Client,
}

/// Serves the fleet console on `listener` until `stop`.
pub async fn serve(
    listener: tokio::net::TcpListener,
    pg: Arc<Pg>,
    js: jetstream::Context,
    token: String,
    stop: CancellationToken,
) -> Result<(), FleetError> {
    if token.len() < 16 {
        return Err(FleetError::Other("the fleet token must be at least 16 characters".into()));
    }
    // The commands' stream is made here too if no worker has made it yet; a failure is not fatal (each switch
    // says what went wrong), so the page comes up whatever state NATS is in.
    if let Err(e) = bus::ensure_streams(&js).await {
        tracing::warn!("fleet console: {e}; the switch works once the streams are there");
    }
    let leases = Arc::new(Holders::new(js.clone()));
    let statuses: Arc<Mutex<HashMap<String, (RoomStatus, Instant)>>> = Arc::default();
    let mut subscription = js.client().subscribe(bus::ALL_STATUS).await.map_err(FleetError::nats)?;
    let collected = statuses.clone();
    tokio::spawn(async move {
        while let Some(message) = subscription.next().await {
            if let Ok(status) = serde_json::from_slice::<RoomStatus>(&message.payload)
                && let Ok(mut statuses) = collected.lock()
            {
                statuses.insert(status.room.clone(), (status, Instant::now()));
            }
        }
    });
    let relay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| FleetError::Other(format!("the relay to the rooms' consoles: {e}")))?;
    let console = Console { pg, js, leases, token: Arc::from(token), statuses, relay };
    let api = Router::new()
        .route("/api/rooms", get(rooms))
        .route("/api/standby", post(standby))
        .route("/api/resume", post(resume))
        .route_layer(middleware::from_fn_with_state(console.clone(), require_token));
    // Each room's own console checks its own login (see the module's documentation).
    let rooms = Router::new()
        .route("/rooms/{room}", get(add_slash))
        .route("/rooms/{room}/", any(to_room))
        .route("/rooms/{room}/{*rest}", any(to_room));
    let app = Router::new().route("/", get(|| async { Html(PAGE) })).merge(api).merge(rooms).with_state(console);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move { stop.cancelled().await })
        .await
        .map_err(|e| FleetError::Other(format!("the fleet console stopped: {e}")))
}

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(serde_json::json!({ "error": message.into() }))).into_response()
}

async fn require_token(State(console): State<Console>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match presented {
        Some(token) if bool::from(token.as_bytes().ct_eq(console.token.as_bytes())) => next.run(request).await,
        Some(_) => error(StatusCode::UNAUTHORIZED, "the fleet token is wrong"),
        None => error(StatusCode::UNAUTHORIZED, "no token: send \"Authorization: Bearer TOKEN\" (the fleet token)"),
    }
}

async fn rooms(State(console): State<Console>) -> Response {
    match room_views(&console).await {
        Ok(views) => Json(views).into_response(),
        Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
    }
}

async fn room_views(console: &Console) -> Result<Vec<RoomView>, FleetError> {
    let rooms = console.pg.rooms().await?;
    let mut views = Vec::with_capacity(rooms.len());
    for room in rooms {
        let holder = console.leases.holder(&room.id).await.ok().flatten().map(|h| h.worker);
        let status = holder.as_deref().and_then(|holder| fresh_status(console, &room.id, holder));
        let health = match (&room.stopped, &holder, &status) {
            (true, _, _) => "stopped",
            (false, None, _) => "no worker",
            (false, Some(_), Some(s)) if s.human_host => "human host",
            (false, Some(_), Some(_)) => "on air",
            (false, Some(_), None) => "quiet",
        };
        let status = status.unwrap_or_default();
        views.push(RoomView {
            id: room.id.to_string(),
            health: health.to_string(),
            held_by: holder,
            viewers: status.viewers,
            lines: status.lines,
            last_line: status.last_line,
            last_escalation: status.last_escalation,
            console: status.console.is_some(),
        });
    }
    Ok(views)
}

/// The status of the room's holder, if it spoke lately (a status from a worker that lost the lease is not it).
async fn holder_status(console: &Console, room: &RoomId) -> Option<RoomStatus> {
    let holder = console.leases.holder(room).await.ok().flatten().map(|h| h.worker)?;
    fresh_status(console, room, &holder)
}

/// The last status `room` published from `holder`, if it came lately.
fn fresh_status(console: &Console, room: &RoomId, holder: &str) -> Option<RoomStatus> {
    console
        .statuses
        .lock()
        .ok()
        .and_then(|s| s.get(room.as_str()).cloned())
        .filter(|(status, at)| at.elapsed() <= STATUS_EVERY * 3 && status.worker == holder)
        .map(|(status, _)| status)
}

async fn add_slash(axum::extract::Path(room): axum::extract::Path<String>) -> Response {
    match RoomId::parse(&room) {
        Ok(room) => axum::response::Redirect::permanent(&format!("/rooms/{room}/")).into_response(),
        Err(e) => error(StatusCode::NOT_FOUND, e),
    }
}

/// Relays `/rooms/<id>/…` to the same path on the room's worker.
async fn to_room(State(console): State<Console>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    let Some(after) = path.strip_prefix("/rooms/") else { return error(StatusCode::NOT_FOUND, "no such page") };
    let (room, rest) = after.split_once('/').unwrap_or((after, ""));
    let room = match RoomId::parse(room) {
        Ok(room) => room,
        Err(e) => return error(StatusCode::NOT_FOUND, e),
    };
    let Some(base) = holder_status(&console, &room).await.and_then(|s| s.console) else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "room {room} has no worker serving its console right now (stopped, moving, or not taken yet); \
                 try again in a few seconds"
            ),
        );
    };
    let mut target = format!("{}{rest}", base.trim_end_matches('/').to_string() + "/");
    if let Some(query) = request.uri().query() {
        target.push('?');
        target.push_str(query);
    }
    let (mut parts, body) = request.into_parts();
    if crate::relay::wants_websocket(&parts.headers) {
        use axum::extract::FromRequestParts;
        return match axum::extract::ws::WebSocketUpgrade::from_request_parts(&mut parts, &console).await {
            Ok(upgrade) => crate::relay::websocket(upgrade, &target, &parts.headers).await,
            Err(refused) => refused.into_response(),
        };
    }
    crate::relay::http(&console.relay, &target, parts.method, &parts.headers, body).await
}

/// Which rooms a switch is for: `{"rooms": ["a", "b"]}` or `{"all": true}`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Chosen {
    #[serde(default)]
    rooms: Vec<String>,
    #[serde(default)]
    all: bool,
    /// Who pulled the switch, for each room's audit.
    #[serde(default)]
    by: Option<String>,
}

async fn standby(State(console): State<Console>, body: axum::body::Bytes) -> Response {
    switch(console, body, true).await
}

async fn resume(State(console): State<Console>, body: axum::body::Bytes) -> Response {
    switch(console, body, false).await
}

async fn switch(console: Console, body: axum::body::Bytes, standby: bool) -> Response {
    let chosen: Chosen = match serde_json::from_slice(&body) {
        Ok(chosen) => chosen,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!("the body must be {{\"rooms\": [\"id\", ...]}} or {{\"all\": true}}: {e}"),
            );
        }
    };
    let rooms: Vec<RoomId> = if chosen.all {
        if !chosen.rooms.is_empty() {
            return error(StatusCode::BAD_REQUEST, "give \"rooms\" or \"all\", not both");
        }
        match console.pg.rooms().await {
            Ok(rooms) => rooms.into_iter().map(|r| r.id).collect(),
            Err(e) => return error(StatusCode::SERVICE_UNAVAILABLE, e.to_string()),
        }
    } else {
        match chosen.rooms.iter().map(|r| RoomId::parse(r)).collect::<Result<Vec<_>, _>>() {
            Ok(rooms) if !rooms.is_empty() => rooms,
            Ok(_) => return error(StatusCode::BAD_REQUEST, "\"rooms\" is empty; name rooms or send \"all\": true"),
            Err(e) => return error(StatusCode::BAD_REQUEST, format!("\"rooms\": {e}")),
        }
    };
    let by = chosen.by.unwrap_or_else(|| "fleet console".to_string());
    let command = if standby { Command::HandOverToHuman { by } } else { Command::TakeBack { by } };
    for room in &rooms {
        if let Err(e) = bus::publish_command(&console.js, room, &command).await {
            return error(StatusCode::SERVICE_UNAVAILABLE, format!("room {room}: {e}"));
        }
    }
    Json(serde_json::json!({ "rooms": rooms.len(), "standby": standby })).into_response()
}
