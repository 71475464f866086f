//! The shops' webhooks on the ingest: `POST /ingest/shop/shopify` and `POST /ingest/shop/woocommerce`.
//!
//! A webhook is believed only when its signature is right: the base64 HMAC-SHA256 of the raw body under the shared
//! secret, in `X-Shopify-Hmac-Sha256` (the app's client secret) or `X-WC-Webhook-Signature` (the webhook's
//! secret), compared in constant time. A verified webhook wakes the poller, which reads the shop at once; the
//! body itself is not applied, because webhooks may arrive late, twice or out of order. These routes do not take
//! the console token: the shops cannot send it, and the signature is the authentication.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;
use tokio::sync::Notify;

/// The largest webhook body accepted (a product with many variants is tens of kilobytes).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The secret of the configured shop's webhooks and the poller to wake.
#[derive(Clone)]
pub struct WebhookState {
    /// "shopify" or "woocommerce": the one route that answers.
    shop: &'static str,
    secret: Arc<[u8]>,
    nudge: Arc<Notify>,
}

impl WebhookState {
    /// An empty secret admits nothing.
    pub fn new(shop: &'static str, secret: impl Into<Vec<u8>>, nudge: Arc<Notify>) -> WebhookState {
        WebhookState { shop, secret: Arc::from(secret.into()), nudge }
    }
}

impl std::fmt::Debug for WebhookState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookState").field("shop", &self.shop).field("secret", &"<redacted>").finish()
    }
}

/// The webhook routes, to merge into the console's router.
pub fn webhook_router(state: WebhookState) -> Router {
    Router::new()
        .route("/ingest/shop/{shop}", post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The header that carries each shop's signature.
fn signature_header(shop: &str) -> Option<&'static str> {
    match shop {
        "shopify" => Some("x-shopify-hmac-sha256"),
        "woocommerce" => Some("x-wc-webhook-signature"),
        _ => None,
    }
}

/// Whether `signature` (base64) is the HMAC-SHA256 of `body` under `secret`.
pub fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    if secret.is_empty() {
        return false;
    }
    let Ok(presented) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return false };
    mac.update(body);
    mac.verify_slice(&presented).is_ok()
}

/// The signature a shop would send for `body` (for tests, and for scripts that replay a shop's webhooks).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes a key of any length, so this never comes back empty.
    Hmac::<Sha256>::new_from_slice(secret)
        .map(|mut mac| {
            mac.update(body);
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
        })
        .unwrap_or_default()
}

fn answer(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

async fn receive(
    State(state): State<WebhookState>,
    Path(shop): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(header) = signature_header(&shop).filter(|_| shop == state.shop) else {
        return answer(StatusCode::NOT_FOUND, "no such shop webhook here: this show syncs another shop, or none");
    };
    let signature = headers.get(header).and_then(|v| v.to_str().ok());
    // WooCommerce's ping when a webhook is created: a form body `webhook_id=N`, sent before any secret is in use.
    // Answered so that WooCommerce marks the webhook active; it wakes nothing.
    if shop == "woocommerce" && signature.is_none() && is_woo_ping(&body) {
        return (StatusCode::OK, "ping received").into_response();
    }
    match signature {
        Some(signature) if verify(&state.secret, &body, signature) => {
            state.nudge.notify_one();
            (StatusCode::OK, axum::Json(serde_json::json!({ "ok": true }))).into_response()
        }
        Some(_) => {
            tracing::warn!("a {shop} webhook with a wrong signature was refused");
            answer(StatusCode::UNAUTHORIZED, &format!("the {header} signature does not match this show's secret"))
        }
        None => answer(StatusCode::UNAUTHORIZED, &format!("no {header} header: shop webhooks must be signed")),
    }
}

fn is_woo_ping(body: &[u8]) -> bool {
    std::str::from_utf8(body)
        .ok()
        .and_then(|b| b.trim().strip_prefix("webhook_id="))
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}
