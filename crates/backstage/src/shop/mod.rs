//! Live shop sync: keeps the queue's prices, compare-at prices, stock and availability current from the shop the
//! merchandisers run (Shopify's Admin GraphQL API, WooCommerce's REST API v3).
//!
//! One task per show polls the shop for the products in the queue (every [`ShopConfig::poll`], at once when a
//! webhook says something changed, see [`webhook`]) and hands the director what the shop says as
//! `Input::ShopUpdate`; the director lays it over the product file, under the moderators' console changes. A
//! webhook only wakes the poller: webhooks may come late, twice or out of order, and a fresh read of the shop is
//! the truth at the moment it is made.
//!
//! A failing shop (unreachable, refusing, throttling, answering nonsense) never costs the show its last good
//! values: nothing is sent until a read succeeds, and the console hears of the failure once, as the health of the
//! source `shop`, and again when the shop is back.
//!
//! Products are matched as the catalog importers name them: a Shopify product by its handle, a WooCommerce product
//! by its SKU or `id:<ID>`. A product the shop never had keeps its file values (the console is told once); one
//! the shop had and lost (deleted) is withdrawn.

pub mod shopify;
pub mod webhook;
pub mod woocommerce;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

use director::Input;
use model::{Product, ProductId, ShopFacts, ShopStatus};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, mpsc, watch};
use tokio_util::sync::CancellationToken;

/// The largest answer read from a shop; a live queue's products are a few kilobytes.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// The longest a shop's `Retry-After` (or throttle estimate) is obeyed before asking again anyway.
pub const MAX_WAIT: Duration = Duration::from_secs(300);

/// Which shop system, with its credentials.
#[derive(Clone)]
pub enum ShopKind {
    /// `token`: an Admin API access token (`SHOPCAST_SHOPIFY_TOKEN`); `api_version` like "2025-01".
    Shopify { token: String, api_version: String },
    /// `key` and `secret`: a REST API consumer key and secret (`SHOPCAST_WOO_KEY`, `SHOPCAST_WOO_SECRET`).
    WooCommerce { key: String, secret: String },
}

impl ShopKind {
    /// "shopify" or "woocommerce": the name in notes, health and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            ShopKind::Shopify { .. } => "shopify",
            ShopKind::WooCommerce { .. } => "woocommerce",
        }
    }
}

// Credentials stay out of logs.
impl std::fmt::Debug for ShopKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}(<credentials redacted>)", self.name())
    }
}

/// Where the shop is and how often to read it.
#[derive(Clone, Debug)]
pub struct ShopConfig {
    pub kind: ShopKind,
    /// The shop's address: `https://NAME.myshopify.com` or the WordPress site's `https://example.com`.
    pub url: String,
    /// The time between reads when no webhook arrives.
    pub poll: Duration,
    /// How long one request may take.
    pub request_timeout: Duration,
}

impl ShopConfig {
    /// Credentials travel only over TLS, except to this machine (tests, a local proxy).
    pub fn check_url(&self) -> Result<(), String> {
        let url = reqwest::Url::parse(&self.url).map_err(|e| format!("shop url {:?}: {e}", self.url))?;
        let local = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        match url.scheme() {
            "https" => Ok(()),
            "http" if local => Ok(()),
            _ => {
                Err(format!("shop url {:?}: use https:// (the shop's credentials would travel unencrypted)", self.url))
            }
        }
    }
}

/// Why a read of the shop failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ShopError {
    /// Unreachable, timed out, a 5xx: ask again after a backoff.
    Unavailable(String),
    /// The shop asked for a pause (429, Shopify's THROTTLED): ask again after `wait`.
    Throttled { wait: Duration, detail: String },
    /// The shop refused the credentials or the request (401, 403, 404): retried slowly; an operator must act.
    Refused(String),
    /// The answer was not what the API documents (malformed JSON, a missing field, an impossible price).
    Malformed(String),
}

impl std::fmt::Display for ShopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShopError::Unavailable(why) => write!(f, "the shop cannot be reached: {why}"),
            ShopError::Throttled { wait, detail } => {
                write!(f, "the shop asked to slow down ({detail}); asking again in {} s", wait.as_secs().max(1))
            }
            ShopError::Refused(why) => write!(f, "the shop refused the request: {why}"),
            ShopError::Malformed(why) => write!(f, "the shop's answer could not be read: {why}"),
        }
    }
}

/// What one read of the shop found: the facts per product it has, and the queue's products it does not have.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ShopRead {
    pub facts: Vec<ShopFacts>,
    pub missing: Vec<ProductId>,
}

/// Reads `Retry-After` (seconds; an HTTP date is not used by either shop) from a response.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = text.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(MAX_WAIT.as_secs_f64())))
}

/// Reads an answer's body, at most [`MAX_RESPONSE_BYTES`].
pub(crate) async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, ShopError> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > MAX_RESPONSE_BYTES => {
                return Err(ShopError::Malformed(format!("the answer passed {MAX_RESPONSE_BYTES} bytes")));
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(e) => return Err(ShopError::Unavailable(format!("reading the answer failed: {}", e.without_url()))),
        }
    }
}

/// The error for a non-success status (after 429 and 304 were handled by the caller).
pub(crate) fn status_error(status: u16, body: &[u8]) -> ShopError {
    let text: String = String::from_utf8_lossy(body).chars().take(200).collect();
    match status {
        401 | 403 | 404 => ShopError::Refused(format!("HTTP {status}: {text}")),
        _ => ShopError::Unavailable(format!("HTTP {status}: {text}")),
    }
}

/// Reads the shop once for `products`.
async fn read(
    client: &reqwest::Client,
    config: &ShopConfig,
    products: &[Product],
    state: &mut ReadState,
) -> Result<ShopRead, ShopError> {
    match &config.kind {
        ShopKind::Shopify { token, api_version } => {
            shopify::read(client, config, token, api_version, products, &mut state.shopify).await
        }
        ShopKind::WooCommerce { key, secret } => {
            woocommerce::read(client, config, key, secret, products, &mut state.woo).await
        }
    }
}

/// Asks the shop once whether it answers these credentials (for `shopcast doctor`): a search for a product id no
/// shop has, which costs one small request and changes nothing.
pub async fn probe(config: &ShopConfig) -> Result<(), ShopError> {
    let client = reqwest::Client::builder()
        .timeout(config.request_timeout)
        .build()
        .map_err(|e| ShopError::Unavailable(e.to_string()))?;
    let probe = Product::new(
        "shopcast-doctor-probe",
        model::Localized::one(model::Lang::En, "probe".to_string()),
        model::Money::parse_decimal("1", model::Currency::parse("USD").expect("USD is a currency"))
            .expect("1 is a price"),
    );
    read(&client, config, &[probe], &mut ReadState::default()).await.map(|_| ())
}

/// What a connector keeps between reads (throttle budget, conditional-request validators).
#[derive(Default)]
struct ReadState {
    shopify: shopify::Budget,
    woo: woocommerce::Validators,
}

/// The show's connections for the sync task.
pub struct ShopLinks {
    /// The queue as the director holds it: which products to ask the shop about.
    pub products: watch::Receiver<Vec<Product>>,
    /// The show's inputs: `ShopUpdate` and the source's health.
    pub inputs: mpsc::Sender<Input>,
    /// Woken by a verified webhook: read the shop now.
    pub nudge: Arc<Notify>,
}

/// Polls the shop until `shutdown` is cancelled or the show's input channel closes.
pub async fn run(config: ShopConfig, mut links: ShopLinks, shutdown: CancellationToken) {
    let client = match reqwest::Client::builder().timeout(config.request_timeout).build() {
        Ok(client) => client,
        Err(e) => {
            tracing::error!("shop sync cannot start: {e}");
            return;
        }
    };
    let name = config.kind.name();
    let mut state = ReadState::default();
    let mut sync = SyncState::default();
    let mut failures = 0u32;
    let backoff = crate::backoff::Backoff::new(Duration::from_secs(2), Duration::from_secs(60));
    loop {
        let products: Vec<Product> = links.products.borrow_and_update().clone();
        let wait = if products.is_empty() {
            config.poll
        } else {
            match read(&client, &config, &products, &mut state).await {
                Ok(found) => {
                    let (update, notes) = sync.take(&products, found);
                    for note in notes {
                        if !send(&links, health(name, true, note)).await {
                            return;
                        }
                    }
                    if failures > 0 && !send(&links, health(name, true, "reading the shop again".into())).await {
                        return;
                    }
                    failures = 0;
                    if !update.is_empty()
                        && !send(&links, Input::ShopUpdate { shop: name.to_string(), facts: update }).await
                    {
                        return;
                    }
                    config.poll
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!("shop sync ({name}): {e}");
                    // Once per outage, and again when what is wrong changes kind.
                    if (failures == 1 || sync.last_error.as_ref() != Some(&std::mem::discriminant(&e)))
                        && !send(&links, health(name, false, format!("{e}; the last good values stay"))).await
                    {
                        return;
                    }
                    sync.last_error = Some(std::mem::discriminant(&e));
                    match e {
                        ShopError::Throttled { wait, .. } => wait,
                        ShopError::Refused(_) => Duration::from_secs(60).max(config.poll),
                        _ => backoff.delay(failures - 1).max(config.poll.min(Duration::from_secs(2))),
                    }
                }
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
            _ = links.nudge.notified() => {}
            changed = links.products.changed() => if changed.is_err() { return },
        }
    }
}

fn health(name: &str, healthy: bool, detail: String) -> Input {
    Input::SourceHealth { source: format!("shop ({name})"), healthy, detail }
}

async fn send(links: &ShopLinks, input: Input) -> bool {
    links.inputs.send(input).await.is_ok()
}

/// What the sync remembers between reads: the facts last sent (only changes are sent again), the products the
/// shop has had (one that disappears is withdrawn), and those it never had (told once).
#[derive(Default)]
struct SyncState {
    sent: BTreeMap<ProductId, ShopFacts>,
    seen: BTreeSet<ProductId>,
    told_missing: BTreeSet<ProductId>,
    last_error: Option<std::mem::Discriminant<ShopError>>,
}

impl SyncState {
    /// The facts to send (changed since last sent) and notes for the console.
    fn take(&mut self, products: &[Product], read: ShopRead) -> (Vec<ShopFacts>, Vec<String>) {
        let mut update = Vec::new();
        let mut notes = Vec::new();
        for facts in read.facts {
            self.seen.insert(facts.product.clone());
            self.told_missing.remove(&facts.product);
            if self.sent.get(&facts.product) != Some(&facts) {
                self.sent.insert(facts.product.clone(), facts.clone());
                update.push(facts);
            }
        }
        for id in read.missing {
            if self.seen.contains(&id) {
                // Deleted from the shop: it cannot be bought any more.
                let Some(product) = products.iter().find(|p| p.id == id) else { continue };
                let gone = ShopFacts {
                    product: id.clone(),
                    price: product.price.clone(),
                    compare_at: None,
                    stock: product.stock,
                    status: ShopStatus::Withdrawn,
                    variants: Vec::new(),
                };
                if self.sent.get(&id) != Some(&gone) {
                    self.sent.insert(id, gone.clone());
                    update.push(gone);
                }
            } else if self.told_missing.insert(id.clone()) {
                notes.push(format!("{id} is not in the shop; it keeps the product file's values"));
            }
        }
        (update, notes)
    }
}
