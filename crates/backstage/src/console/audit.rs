//! Every state-changing console request goes into the audit log with the account behind it: one
//! `console_action` row per request, written before the answer leaves, whatever the answer (done, queued, refused
//! by the show, 403 for the role, 400 for a bad field). A route added to [`super::router`] is covered without
//! doing anything: the layer sits in front of all of them.

use super::ConsoleState;
use super::accounts::Actor;
use super::auth::Principal;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use serde::Serialize;
use serde_json::Value;

/// The most of an answer read back for the row (the console's answers are a few hundred bytes).
const MAX_ANSWER_BYTES: usize = 256 * 1024;

/// One console request, as the audit log keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsoleAction {
    /// The account that acted (a named account, or [`super::accounts::SHARED_ACCOUNT`]).
    pub account: String,
    pub role: &'static str,
    /// The name a shared-token browser session gave at the login form (named accounts are their own name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub said_to_be: Option<String>,
    pub method: String,
    pub path: String,
    pub status: u16,
    /// What the console sent or did, in its own words (the answer's `sent`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sent: Option<Value>,
    /// The show's answer: `done`, `queued`, `refused` ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
}

pub(crate) async fn record_action(State(state): State<ConsoleState>, request: Request, next: Next) -> Response {
    let changes = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let (Some(store), true) = (state.0.store.clone(), changes) else {
        return next.run(request).await;
    };
    let Some(actor) = request.extensions().get::<Actor>().cloned() else {
        return next.run(request).await;
    };
    let said_to_be = match request.extensions().get::<Principal>() {
        Some(Principal::Session { id, .. }) if actor.is_shared() => state.session_name(id),
        _ => None,
    };
    let (method, path) = (request.method().to_string(), request.uri().path().to_string());
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let (body, answer) = match axum::body::to_bytes(body, MAX_ANSWER_BYTES).await {
        Ok(bytes) => {
            let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            (Body::from(bytes), answer)
        }
        Err(e) => (Body::empty(), Value::String(format!("the answer could not be read back: {e}"))),
    };
    let field = |name: &str| answer.get(name).filter(|v| !v.is_null()).cloned();
    let action = ConsoleAction {
        account: actor.account().to_string(),
        role: actor.role().as_str(),
        said_to_be,
        method,
        path,
        status: parts.status.as_u16(),
        sent: field("sent"),
        outcome: field("outcome"),
        error: field("error").or_else(|| answer.as_str().map(|s| Value::String(s.to_string()))),
    };
    let now = super::wall_now();
    if let Err(e) = store.record_console_action(action, now).await {
        tracing::warn!("a console action could not be written to the audit log: {e}");
    }
    Response::from_parts(parts, body)
}
