//! Each room's own console on the worker that holds it: the single-machine console's page and API, served under
//! `/rooms/<id>/` on the worker's one console address, with the room's [`RoomKeeper`] as its store.
//!
//! The fleet console (`shopcast fleet console`) forwards `/rooms/<id>/…` to whichever worker holds the room now,
//! as each room says in its status, so moderators keep one address across failovers (a failover ends their
//! browser sessions: they log in again on the new holder).
//!
//! Who may open a room's console: the fleet token (the shared console token of every room) and the named accounts
//! of `shopcast fleet account` scoped to that room.

use crate::RoomId;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::any;
use backstage::console::{ConsoleState, ConsoleToken};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

/// What a worker's rooms need to serve their consoles.
#[derive(Clone)]
pub struct RoomConsoles {
    routers: Arc<RwLock<HashMap<RoomId, Router>>>,
    token: ConsoleToken,
    /// How others reach this worker's console address (`http://host:port`), for the rooms' status.
    pub url: Arc<str>,
}

impl RoomConsoles {
    /// The consoles of a worker whose address others reach at `url`, with `token` as every room's shared token.
    pub fn new(token: &str, url: &str) -> Result<RoomConsoles, String> {
        let token =
            ConsoleToken::new(token).map_err(|e| format!("the fleet token cannot be the rooms' console token: {e}"))?;
        Ok(RoomConsoles { routers: Arc::default(), token, url: Arc::from(url.trim_end_matches('/')) })
    }

    pub(crate) fn token(&self) -> ConsoleToken {
        self.token.clone()
    }

    /// Where `room`'s console is, for its status.
    pub fn url_of(&self, room: &RoomId) -> String {
        format!("{}/rooms/{room}/", self.url)
    }

    /// Serves `state` as `room`'s console until the returned guard is dropped.
    pub(crate) fn open(&self, room: &RoomId, state: ConsoleState) -> Opened {
        let router = backstage::console::router(state);
        if let Ok(mut routers) = self.routers.write() {
            routers.insert(room.clone(), router);
        }
        Opened { consoles: self.clone(), room: room.clone() }
    }

    /// Serves every open room's console on `listener` until `stop`.
    pub async fn serve(self, listener: tokio::net::TcpListener, stop: CancellationToken) -> std::io::Result<()> {
        let app = Router::new()
            .route("/rooms/{room}", any(add_slash))
            .route("/rooms/{room}/", any(forward_root))
            .route("/rooms/{room}/{*rest}", any(forward))
            .with_state(self)
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, app).with_graceful_shutdown(async move { stop.cancelled().await }).await
    }
}

/// Takes a room's console off the worker when the room stops.
pub(crate) struct Opened {
    consoles: RoomConsoles,
    room: RoomId,
}

impl Drop for Opened {
    fn drop(&mut self) {
        if let Ok(mut routers) = self.consoles.routers.write() {
            routers.remove(&self.room);
        }
    }
}

async fn add_slash(Path(room): Path<String>) -> Response {
    Redirect::permanent(&format!("/rooms/{room}/")).into_response()
}

async fn forward_root(State(consoles): State<RoomConsoles>, Path(room): Path<String>, request: Request) -> Response {
    route(consoles, &room, "", request).await
}

async fn forward(
    State(consoles): State<RoomConsoles>,
    Path((room, rest)): Path<(String, String)>,
    request: Request,
) -> Response {
    route(consoles, &room, &rest, request).await
}

/// Hands `request` to `room`'s console with the `/rooms/<id>` prefix taken off its path.
async fn route(consoles: RoomConsoles, room: &str, rest: &str, mut request: Request) -> Response {
    let router = RoomId::parse(room)
        .ok()
        .and_then(|id| consoles.routers.read().ok().and_then(|routers| routers.get(&id).cloned()));
    let Some(router) = router else {
        let message = format!("room {room} is not on this worker (it may have moved: open it from the fleet console)");
        return (StatusCode::NOT_FOUND, axum::Json(serde_json::json!({ "error": message }))).into_response();
    };
    let path_and_query = match request.uri().query() {
        Some(query) => format!("/{rest}?{query}"),
        None => format!("/{rest}"),
    };
    match Uri::builder().path_and_query(path_and_query).build() {
        Ok(uri) => *request.uri_mut() = uri,
        Err(e) => return (StatusCode::BAD_REQUEST, format!("bad path: {e}")).into_response(),
    }
    match router.oneshot(request.map(Body::new)).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}
