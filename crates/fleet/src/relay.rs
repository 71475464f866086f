//! The fleet console's relay to a room's own console: `/rooms/<id>/…` on the fleet console is forwarded, request by
//! request and WebSocket by WebSocket, to the same path on the worker that holds the room now (see
//! [`crate::room_console`]). The room's console does its own authentication (the fleet token, or a named account
//! scoped to the room): the relay adds nothing and checks nothing, so it cannot widen what anyone may do.
//!
//! The browser's `Host` and `Origin` go through unchanged, so the room console's same-origin check sees the
//! address the moderator typed. Every request reaches the room console from the fleet console's address, so the
//! room console's count of wrong passwords per address counts the relay's clients together.

use axum::body::Body;
use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite;

/// The largest request body relayed (the room console takes 16 KiB; the chat ingest's batches up to 256 KiB).
const MAX_BODY: usize = 256 * 1024;
/// The largest answer relayed (the console page and its script are the biggest, well under this).
const MAX_ANSWER: usize = 8 * 1024 * 1024;

/// Headers that belong to one connection, not to the request: never relayed.
fn hop_by_hop(name: &HeaderName) -> bool {
    matches!(
        name.as_str(),
        "connection"
            | "keep-alive"
            | "proxy-authenticate"
            | "proxy-authorization"
            | "te"
            | "trailer"
            | "transfer-encoding"
            | "upgrade"
            | "content-length"
            | "sec-websocket-key"
            | "sec-websocket-version"
            | "sec-websocket-extensions"
            | "sec-websocket-accept"
            | "sec-websocket-protocol"
    )
}

fn failed(status: StatusCode, message: String) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// Relays one plain HTTP request to `target` (the room console's URL of the same path).
pub(crate) async fn http(
    client: &reqwest::Client,
    target: &str,
    method: Method,
    headers: &HeaderMap,
    body: Body,
) -> Response {
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(body) => body,
        Err(e) => return failed(StatusCode::PAYLOAD_TOO_LARGE, format!("the request body is too large: {e}")),
    };
    let mut request = client.request(method, target).body(body);
    for (name, value) in headers {
        if !hop_by_hop(name) {
            request = request.header(name, value);
        }
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(e) => {
            return failed(
                StatusCode::BAD_GATEWAY,
                format!("the room's worker did not answer ({e}); the room may be moving, try again in a moment"),
            );
        }
    };
    let status = answer.status();
    let mut relayed = HeaderMap::new();
    for (name, value) in answer.headers() {
        if !hop_by_hop(name) {
            relayed.append(name.clone(), value.clone());
        }
    }
    let bytes = match read_capped(answer).await {
        Ok(bytes) => bytes,
        Err(why) => return failed(StatusCode::BAD_GATEWAY, why),
    };
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    *response.headers_mut() = relayed;
    response
}

async fn read_capped(answer: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    let mut stream = answer.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| format!("the room's worker broke off its answer: {e}"))?;
        if bytes.len() + chunk.len() > MAX_ANSWER {
            return Err(format!("the room's worker answered more than {MAX_ANSWER} bytes"));
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Relays a WebSocket (the console's live feed): the worker's socket is opened first with the browser's
/// credentials, so a refusal (401, 403) reaches the browser as that status rather than as a socket that closes.
pub(crate) async fn websocket(upgrade: WebSocketUpgrade, target: &str, headers: &HeaderMap) -> Response {
    let target = target.replacen("http://", "ws://", 1).replacen("https://", "wss://", 1);
    let mut request = match tungstenite::client::IntoClientRequest::into_client_request(target.as_str()) {
        Ok(request) => request,
        Err(e) => return failed(StatusCode::BAD_GATEWAY, format!("the room's console address is not usable: {e}")),
    };
    for name in [header::COOKIE, header::AUTHORIZATION, header::ORIGIN, header::HOST] {
        if let Some(value) = headers.get(&name) {
            request.headers_mut().insert(name, value.clone());
        }
    }
    let upstream = match tokio_tungstenite::connect_async(request).await {
        Ok((upstream, _)) => upstream,
        Err(tungstenite::Error::Http(answer)) => {
            let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            let body = answer.into_body().map(|b| String::from_utf8_lossy(&b).into_owned()).unwrap_or_default();
            return (status, body).into_response();
        }
        Err(e) => return failed(StatusCode::BAD_GATEWAY, format!("the room's live feed did not open: {e}")),
    };
    upgrade.max_message_size(64 * 1024).on_upgrade(move |socket| pump(socket, upstream))
}

type Upstream = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Copies messages both ways until either side closes.
async fn pump(browser: WebSocket, upstream: Upstream) {
    let (mut to_browser, mut from_browser) = browser.split();
    let (mut to_worker, mut from_worker) = upstream.split();
    let down = async {
        while let Some(Ok(message)) = from_worker.next().await {
            let message = match message {
                tungstenite::Message::Text(text) => ws::Message::Text(text.as_str().into()),
                tungstenite::Message::Binary(bytes) => ws::Message::Binary(bytes),
                tungstenite::Message::Close(_) => break,
                // Pings and pongs belong to each connection; each side answers its own.
                _ => continue,
            };
            if to_browser.send(message).await.is_err() {
                break;
            }
        }
        let _ = to_browser.close().await;
    };
    let up = async {
        while let Some(Ok(message)) = from_browser.next().await {
            let message = match message {
                ws::Message::Text(text) => tungstenite::Message::Text(text.as_str().into()),
                ws::Message::Binary(bytes) => tungstenite::Message::Binary(bytes),
                ws::Message::Close(_) => break,
                _ => continue,
            };
            if to_worker.send(message).await.is_err() {
                break;
            }
        }
        let _ = to_worker.close().await;
    };
    tokio::select! {
        _ = down => {}
        _ = up => {}
    }
}

/// Whether `headers` ask to upgrade to a WebSocket.
pub(crate) fn wants_websocket(headers: &HeaderMap) -> bool {
    headers.get(header::UPGRADE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}
