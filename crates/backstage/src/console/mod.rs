//! The moderators' console: a web page and an HTTP JSON API to steer the live show, and `/healthz` and
//! `/metrics` for whoever watches the process. docs/CONSOLE.md is the reference for operators and script authors.
//!
//! The console decides nothing itself. Every action is validated here (product ids against the live catalog, stock
//! and prices as exact decimal amounts, a second confirmation for price changes and flash sales) and then sent to
//! the director as a [`director::Input`], so it is logged and tested like any other input. What the page shows
//! comes from the director's [`ConsoleEvent`] broadcast. Standing decisions (moderation modes, bans, time-outs)
//! are also written to the store so a restarted show keeps them ([`crate::store::Store::restore_moderation`]).
//!
//! Security: see [`auth`]. The console listens on 127.0.0.1 unless told otherwise, and every page, API call and
//! socket (including `/healthz` and `/metrics`) needs the console token from [`token::load_or_create`].

pub mod accounts;
mod api;
pub(crate) mod audit;
pub mod auth;
mod escalations;
mod feed;
pub mod keeper;
mod login_limiter;
pub mod metrics;
mod outcome;
mod pages;
mod request;
pub mod token;

#[cfg(test)]
mod account_tests;
#[cfg(test)]
mod browser_tests;
#[cfg(test)]
mod tests;

pub use accounts::{Actor, Right, Role};
pub use audit::ConsoleAction;
pub use keeper::{ConsoleStore, Standing};
pub use metrics::Metrics;
pub use token::{ConsoleToken, TokenSource};

use crate::chat::ingest::IngestState;
// The console's handlers read the wall clock as `super::wall_now`.
pub(crate) use crate::clock::wall_now;
use crate::store::BlockedViewer;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use director::Input;
use model::{ConsoleEvent, Intent, ModerationMode, Product, UnixMs};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};

/// Where the console listens unless `--console-bind` says otherwise: this machine only.
pub const DEFAULT_BIND: &str = "127.0.0.1:7878";
/// The largest request body accepted (every action fits in a few hundred bytes).
pub const MAX_BODY_BYTES: usize = 16 * 1024;

/// Every intent, in the order the console lists them.
pub const INTENTS: [Intent; 12] = Intent::ALL;

/// Knobs with safe defaults; tests shorten them.
#[derive(Clone, Debug)]
pub struct ConsoleLimits {
    /// How long a browser login lasts (a long show plus its preparation).
    pub session_ttl: Duration,
    /// At most this many sessions; the oldest goes when a new login would exceed it.
    pub max_sessions: usize,
    /// Wrong tokens per client address per minute before it hears 429.
    pub login_failures_per_minute: u32,
    /// How long a price or flash-sale confirmation stays valid.
    pub confirm_ttl: Duration,
    /// `/healthz` fails when the director has shown no life for this long.
    pub director_stale_after: Duration,
    /// `/healthz` fails when the stage's heartbeat is older than this.
    pub stage_stale_after: Duration,
    /// How long an action waits for the show to say what became of it (a say-now line queued or refused, a reply
    /// approved) before answering "queued". The show answers in milliseconds unless it is stuck.
    pub outcome_wait: Duration,
    /// A crisis or medical care escalation nobody has claimed is raised again (audit log, every page's alert)
    /// this long after it came, and again each time as long after that (`[care] raise_again_minutes`).
    pub care_raise_again: Duration,
}

impl Default for ConsoleLimits {
    fn default() -> ConsoleLimits {
        ConsoleLimits {
            session_ttl: Duration::from_secs(12 * 3600),
            max_sessions: 64,
            login_failures_per_minute: 5,
            confirm_ttl: Duration::from_secs(120),
            director_stale_after: Duration::from_secs(30),
            stage_stale_after: Duration::from_secs(5),
            outcome_wait: Duration::from_millis(1500),
            care_raise_again: Duration::from_secs(3 * 60),
        }
    }
}

/// What the console needs from the rest of the process.
pub struct ConsoleConfig {
    /// The console token (see [`token::load_or_create`]).
    pub token: ConsoleToken,
    /// The console sends moderator inputs; the show loop receives. The console never waits on it: a full channel
    /// answers 503 at once, a closed one 503 "the show is not running".
    pub inputs: mpsc::Sender<Input>,
    /// The director's events. The console subscribes (a tracker task plus one receiver per open page) and never
    /// sends.
    pub events: broadcast::Sender<ConsoleEvent>,
    /// The live product queue: the catalog loader publishes every validated queue it hands the director, so the
    /// console validates product ids and shows titles, prices and currencies from the same data.
    pub products: watch::Receiver<Vec<Product>>,
    /// Where accounts, standing moderation decisions and moderators' actions are kept (the store actor that owns
    /// the audit log file, or a fleet room's PostgreSQL). `None` keeps them in memory only. See [`Self::keep_in`].
    pub store: Option<Arc<dyn ConsoleStore>>,
    /// Shared with the LLM client, the voice and the stage, which report latencies and heartbeats into it.
    pub metrics: Metrics,
    pub limits: ConsoleLimits,
    /// OBS's output buttons (start and stop streaming and recording), when `[obs]` is configured. Without it the
    /// page shows no OBS buttons and the routes answer 501.
    pub obs: Option<mpsc::Sender<crate::obs::ObsControl>>,
    /// The generic chat ingest (docs/INGEST.md), served on the console's address too: `POST /ingest/comments`
    /// and `GET /ingest/ws`, with the console token. The same state may also be served on `[chat] ingest_bind`,
    /// so a bridge resending to either address delivers a comment once.
    pub ingest: Option<IngestState>,
    /// The shop's webhooks (`POST /ingest/shop/{shopify,woocommerce}`), when `[shop]` is configured with a webhook
    /// secret: signed by the shop, not by the console token (see [`crate::shop::webhook`]).
    pub shop_hooks: Option<crate::shop::webhook::WebhookState>,
    /// Where the console is served when not at the root, such as `/rooms/shop-a` behind a fleet's console (no
    /// trailing slash). The page's own links are relative; this scopes its session cookie, so a browser logged into
    /// two rooms holds a session for each.
    pub base_path: String,
}

impl ConsoleConfig {
    pub fn new(
        token: ConsoleToken,
        inputs: mpsc::Sender<Input>,
        events: broadcast::Sender<ConsoleEvent>,
        products: watch::Receiver<Vec<Product>>,
    ) -> ConsoleConfig {
        ConsoleConfig {
            token,
            inputs,
            events,
            products,
            store: None,
            metrics: Metrics::new(),
            limits: ConsoleLimits::default(),
            obs: None,
            ingest: None,
            shop_hooks: None,
            base_path: String::new(),
        }
    }

    /// Keeps accounts, moderation and moderators' actions in `store`.
    pub fn keep_in(&mut self, store: impl ConsoleStore + 'static) {
        self.store = Some(Arc::new(store));
    }
}

/// A price change or flash sale waiting for its second confirmation. The input itself is rebuilt from the
/// confirming request (a flash sale "for 10 minutes" runs 10 minutes from the confirmation, not the preview).
#[derive(Clone, Debug)]
pub(crate) struct Confirmation {
    /// The request's own fields, so a confirmation only confirms exactly what was previewed.
    fingerprint: String,
    expires: std::time::Instant,
}

/// Decisions the console keeps itself (the director has no query API): modes per intent and blocked viewers.
#[derive(Debug, Default)]
pub(crate) struct Moderation {
    modes: BTreeMap<usize, ModerationMode>,
    blocked: BTreeMap<String, BlockedViewer>,
}

impl Moderation {
    fn mode(&self, intent: Intent) -> ModerationMode {
        self.modes.get(&intent_index(intent)).copied().unwrap_or_default()
    }

    fn to_json(&self, now: UnixMs) -> Value {
        let modes: serde_json::Map<String, Value> =
            INTENTS.iter().map(|&i| (intent_code(i), json!(self.mode(i).as_str()))).collect();
        let blocked: Vec<&BlockedViewer> =
            self.blocked.values().filter(|b| b.until.is_none_or(|u| u.0 > now.0)).collect();
        json!({ "modes": modes, "blocked": blocked })
    }
}

/// The position of an intent in [`INTENTS`]; exhaustive, so a new intent cannot be forgotten here.
pub(crate) fn intent_index(intent: Intent) -> usize {
    match intent {
        Intent::ProductQuestion => 0,
        Intent::PriceStockShipping => 1,
        Intent::PurchaseIntent => 2,
        Intent::Greeting => 3,
        Intent::Praise => 4,
        Intent::ComplaintOrRefund => 5,
        Intent::HealthOrSafety => 6,
        Intent::AccessibilityNeed => 7,
        Intent::Abuse => 8,
        Intent::Spam => 9,
        Intent::InjectionAttempt => 10,
        Intent::Other => 11,
    }
}

pub(crate) fn intent_code(intent: Intent) -> String {
    match serde_json::to_value(intent) {
        Ok(Value::String(code)) => code,
        _ => "other".into(),
    }
}

pub(crate) struct Inner {
    token: ConsoleToken,
    inputs: mpsc::Sender<Input>,
    events: broadcast::Sender<ConsoleEvent>,
    products: watch::Receiver<Vec<Product>>,
    /// The routes await the store's answer (they report whether the change was saved) without holding up a
    /// runtime thread; the store's queue keeps the calls in order.
    store: Option<Arc<dyn ConsoleStore>>,
    metrics: Metrics,
    limits: ConsoleLimits,
    obs: Option<mpsc::Sender<crate::obs::ObsControl>>,
    ingest: Option<IngestState>,
    shop_hooks: Option<crate::shop::webhook::WebhookState>,
    /// The session cookie's `Path` (see [`ConsoleConfig::base_path`]).
    cookie_path: String,
    sessions: Mutex<auth::Sessions>,
    /// The name each browser session logged in with, shown with what its moderator claims and handles.
    names: Mutex<HashMap<String, String>>,
    limiter: Mutex<auth::LoginLimiter>,
    confirmations: Mutex<BTreeMap<String, Confirmation>>,
    live: Arc<Mutex<feed::Live>>,
    moderation: Mutex<Moderation>,
    /// Who claimed or handled which escalation.
    escalations: Mutex<escalations::Handling>,
    /// Say-now requests waiting for the show's answer, in the order the show reads them.
    say_waiters: Arc<Mutex<outcome::SayNowWaiters>>,
    /// Changes the console makes itself (bans, modes, deletions), for every open page.
    local: broadcast::Sender<Value>,
    tracker: tokio::task::JoinHandle<()>,
    /// Hands the show's say-now answers to the requests waiting for them.
    answers: tokio::task::JoinHandle<()>,
    /// Raises unclaimed crisis and medical escalations again (see [`ConsoleLimits::care_raise_again`]).
    reminder: Mutex<Option<tokio::task::JoinHandle<()>>>,
    /// Cancelled by [`ConsoleState::close`]: every open live feed says so and closes.
    closed: tokio_util::sync::CancellationToken,
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.tracker.abort();
        self.answers.abort();
        if let Some(reminder) = self.reminder.lock().unwrap_or_else(|p| p.into_inner()).take() {
            reminder.abort();
        }
    }
}

/// Everything the routes share. Cheap to clone.
#[derive(Clone)]
pub struct ConsoleState(pub(crate) Arc<Inner>);

impl std::fmt::Debug for ConsoleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleState").field("token", &self.0.token).finish_non_exhaustive()
    }
}

/// Raises crisis and medical care escalations that nobody has claimed again, every
/// [`ConsoleLimits::care_raise_again`]: the audit log records it and every open page alerts again. Ends when the
/// console state is gone.
async fn raise_unclaimed_care_again(state: std::sync::Weak<Inner>) {
    let mut last_raised: HashMap<String, UnixMs> = HashMap::new();
    loop {
        let Some(inner) = state.upgrade() else { return };
        let every = inner.limits.care_raise_again;
        let check = (every / 4).clamp(Duration::from_millis(20), Duration::from_secs(15));
        let now = wall_now();
        let due: Vec<(String, feed::Escalation)> = {
            let live = inner.live.lock().unwrap_or_else(|p| p.into_inner());
            let handling = inner.escalations.lock().unwrap_or_else(|p| p.into_inner());
            live.escalations
                .iter()
                .filter(|e| matches!(e.care, Some(model::CareKind::Crisis | model::CareKind::Medical)))
                .map(|e| (escalations::key(&e.comment), e))
                .filter(|(key, _)| {
                    let state = handling.state(key);
                    state.claimed.is_none() && state.handled.is_none()
                })
                .filter(|(key, e)| {
                    let since = last_raised.get(key).copied().unwrap_or(e.raised_at);
                    now.0.saturating_sub(since.0) >= every.as_millis() as i64
                })
                .map(|(key, e)| (key, e.clone()))
                .collect()
        };
        for (key, escalation) in due {
            last_raised.insert(key.clone(), now);
            let minutes = (now.0 - escalation.raised_at.0).max(0) / 60_000;
            let kind = escalation.care.map_or("care", |k| k.code());
            let action = format!(
                "escalation {key} ({}, care: {kind}) raised again: nobody has claimed it for {minutes} min",
                escalation.comment.user_name
            );
            let note = ConsoleEvent::ModeratorAction { action };
            if let Some(store) = inner.store.as_ref()
                && let Err(e) = store.record(&note, now).await
            {
                tracing::warn!("a raised-again care escalation could not be written to the audit log: {e}");
            }
            inner.live.lock().unwrap_or_else(|p| p.into_inner()).apply(&note, now);
            let _ = inner.local.send(json!({ "type": "event", "event": note }));
            let _ = inner.local.send(json!({
                "type": "care_raised_again", "platform": escalation.comment.platform, "id": escalation.comment.id.0,
            }));
        }
        drop(inner);
        tokio::time::sleep(check).await;
    }
}

impl ConsoleState {
    /// Starts tracking the director's events at once (a task on the current tokio runtime, so call this inside
    /// one; the task ends when the last clone of the state is dropped). Moderation modes and blocked viewers are
    /// read from the store, when there is one.
    pub fn new(config: ConsoleConfig) -> ConsoleState {
        let mut moderation = Moderation::default();
        if let Some(store) = &config.store {
            match store.standing(wall_now()) {
                Ok(standing) => {
                    moderation.modes = standing.modes.into_iter().map(|(i, m)| (intent_index(i), m)).collect();
                    moderation.blocked = standing.blocked.into_iter().map(|b| (b.user_id.clone(), b)).collect();
                }
                Err(e) => tracing::warn!("the console cannot read the stored moderation modes and bans: {e}"),
            }
        }
        let live = Arc::new(Mutex::new(feed::Live::default()));
        let (local, _) = broadcast::channel(64);
        let tracker = tokio::spawn(feed::track(
            config.events.subscribe(),
            config.products.clone(),
            live.clone(),
            config.metrics.clone(),
            local.clone(),
        ));
        let say_waiters = Arc::new(Mutex::new(outcome::SayNowWaiters::default()));
        let answers = tokio::spawn(hand_out_say_now_answers(config.events.subscribe(), say_waiters.clone()));
        let state = ConsoleState(Arc::new(Inner {
            token: config.token,
            inputs: config.inputs,
            events: config.events,
            products: config.products,
            obs: config.obs,
            ingest: config.ingest,
            shop_hooks: config.shop_hooks,
            cookie_path: format!("{}/", config.base_path.trim_end_matches('/')),
            store: config.store,
            metrics: config.metrics,
            limits: config.limits,
            sessions: Mutex::default(),
            names: Mutex::default(),
            limiter: Mutex::default(),
            confirmations: Mutex::default(),
            live,
            moderation: Mutex::new(moderation),
            escalations: Mutex::default(),
            say_waiters,
            local,
            tracker,
            answers,
            reminder: Mutex::new(None),
            closed: tokio_util::sync::CancellationToken::new(),
        }));
        let reminder = tokio::spawn(raise_unclaimed_care_again(Arc::downgrade(&state.0)));
        *state.0.reminder.lock().unwrap_or_else(|p| p.into_inner()) = Some(reminder);
        state
    }

    /// The show behind this console stopped while the console may still be open in browsers (a fleet room moving
    /// to another worker): every live feed says so and closes, and the pages reconnect to wherever the show is now.
    pub fn close(&self) {
        self.0.closed.cancel();
    }

    pub fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    /// Whether a moderator banned this viewer, or timed them out until after `now`. The chat intake should drop
    /// such a viewer's comments before they reach the director (the director's `BanViewer` only clears what is
    /// already queued).
    pub fn is_viewer_blocked(&self, user_id: &str, now: UnixMs) -> bool {
        self.moderation().blocked.get(user_id).is_some_and(|b| b.until.is_none_or(|u| u.0 > now.0))
    }

    /// The moderation mode a moderator set for `intent` (auto when none was set).
    pub fn moderation_mode(&self, intent: Intent) -> ModerationMode {
        self.moderation().mode(intent)
    }

    fn moderation(&self) -> std::sync::MutexGuard<'_, Moderation> {
        self.0.moderation.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Everything a page shows when it opens: the tracked show, the products, the moderation state, who handles
    /// which escalation, and which optional features are configured (the page shows controls only for those).
    pub(crate) fn snapshot(&self) -> Value {
        let mut state = self.0.live.lock().unwrap_or_else(|p| p.into_inner()).to_json();
        state["products"] = api::products_json(&self.0.products.borrow());
        state["moderation"] = self.moderation().to_json(wall_now());
        state["intents"] = json!(INTENTS.iter().map(|&i| intent_code(i)).collect::<Vec<_>>());
        if let Some(list) = state["escalations"].as_array_mut() {
            let handling = self.0.escalations.lock().unwrap_or_else(|p| p.into_inner());
            for escalation in list {
                escalation["handling"] = handling.json_for(escalation);
            }
        }
        state["features"] = json!({
            "obs": self.0.obs.is_some(),
            "store": self.0.store.is_some(),
            "ingest": self.0.ingest.is_some(),
        });
        state
    }

    /// The name a browser session logged in with.
    pub(crate) fn session_name(&self, session: &str) -> Option<String> {
        self.0.names.lock().unwrap_or_else(|p| p.into_inner()).get(session).cloned()
    }
}

/// Reads the show's answers to say-now lines off the broadcast and hands each to the request it answers. A
/// console that fell behind cannot tell which answer is whose any more; the waiting requests answer "queued".
async fn hand_out_say_now_answers(
    mut events: broadcast::Receiver<ConsoleEvent>,
    waiters: Arc<Mutex<outcome::SayNowWaiters>>,
) {
    loop {
        match events.recv().await {
            Ok(event) => waiters.lock().unwrap_or_else(|p| p.into_inner()).hear(&event),
            Err(broadcast::error::RecvError::Lagged(_)) => {
                waiters.lock().unwrap_or_else(|p| p.into_inner()).forget_all();
            }
            Err(broadcast::error::RecvError::Closed) => break,
        }
    }
}

/// The console's routes. `/login` is the only one open without a credential; every other route (pages, the API,
/// the feed socket, `/healthz`, `/metrics`) goes through [`auth::require_auth`] first, then the guard of the one
/// [`Right`] group it sits in (a role without the right hears 403), and every state-changing request is written to
/// the audit log with the acting account ([`audit::record_action`]), refused or not.
pub fn router(state: ConsoleState) -> Router {
    let group = |right: Right, routes: Router<ConsoleState>| {
        routes.route_layer(middleware::from_fn_with_state(right, auth::require_right))
    };
    let view = Router::new()
        .route("/", get(pages::index))
        .route("/static/console.js", get(pages::script))
        .route("/static/console.css", get(pages::style))
        .route("/logout", post(pages::logout))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/api/state", get(api::state))
        .route("/api/feed", get(feed::open));
    let moderate = Router::new()
        .route("/api/replies/{line}/approve", post(api::approve))
        .route("/api/replies/{line}/edit", post(api::edit))
        .route("/api/replies/{line}/reject", post(api::reject))
        .route("/api/say", post(api::say))
        .route("/api/line/abort", post(api::abort_line))
        .route("/api/line/cancel-next", post(api::cancel_next))
        .route("/api/viewers/ban", post(api::ban))
        .route("/api/viewers/timeout", post(api::timeout))
        .route("/api/viewers/unblock", post(api::unblock))
        .route("/api/viewers/forget", post(api::forget_viewer))
        .route("/api/comments/delete", post(api::delete_comment))
        .route("/api/hand-over", post(api::hand_over))
        .route("/api/take-back", post(api::take_back))
        .route("/api/pace/plain", post(api::pace_plain))
        .route("/api/pace/usual", post(api::pace_usual))
        .route("/api/moderation", post(api::set_moderation))
        .route("/api/escalations/{action}", post(api::escalation));
    let steer = Router::new()
        .route("/api/pin", post(api::pin))
        .route("/api/unpin", post(api::unpin))
        .route("/api/products/next", post(api::next_product))
        .route("/api/products/previous", post(api::previous_product));
    let merchandise = Router::new()
        .route("/api/stock", post(api::stock))
        .route("/api/price", post(api::price))
        .route("/api/flash-sale/start", post(api::start_flash_sale))
        .route("/api/flash-sale/stop", post(api::stop_flash_sale))
        .route("/api/override/clear", post(api::clear_override));
    let operate = Router::new().route("/api/obs/{action}", post(api::obs_control));
    let protected = group(Right::View, view)
        .merge(group(Right::Moderate, moderate))
        .merge(group(Right::Steer, steer))
        .merge(group(Right::Merchandise, merchandise))
        .merge(group(Right::Operate, operate))
        .route_layer(middleware::from_fn_with_state(state.clone(), audit::record_action))
        .route_layer(middleware::from_fn_with_state(state.clone(), auth::require_auth));
    let console: Router = Router::new()
        .route("/login", get(pages::login_form).post(pages::login))
        .merge(protected)
        .with_state(state.clone());
    // The chat ingest checks the console token itself (as a bearer or `?token=`, see docs/INGEST.md); here wrong
    // tokens also count against the address like any other guess at the console token. Its own body limit
    // (256 KiB, for batches) is set inside its router and wins over the console's 16 KiB.
    let console = match &state.0.shop_hooks {
        Some(hooks) => console.merge(crate::shop::webhook::webhook_router(hooks.clone())),
        None => console,
    };
    let app = match &state.0.ingest {
        Some(ingest) => console.merge(
            crate::chat::ingest::ingest_router(ingest.clone())
                .layer(middleware::from_fn_with_state(state.clone(), count_ingest_guesses)),
        ),
        None => console,
    };
    app.fallback(api::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(middleware::map_response(security_headers))
}

/// A wrong token at the ingest counts as a guess at the console token; an address past the limit hears 429.
async fn count_ingest_guesses(State(state): State<ConsoleState>, request: Request, next: Next) -> Response {
    let addr = auth::client_addr(&request);
    let limit = state.0.limits.login_failures_per_minute;
    if let Err(wait) = state.0.limiter.lock().unwrap_or_else(|p| p.into_inner()).check(addr, limit) {
        return auth::too_many(wait);
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::UNAUTHORIZED {
        state.0.limiter.lock().unwrap_or_else(|p| p.into_inner()).fail(addr);
    }
    response
}

/// Headers every answer carries: nothing is cached, framed, sniffed or referred.
async fn security_headers(mut response: axum::response::Response) -> axum::response::Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

/// Binds `bind` and serves the console until `shutdown` resolves. Binding anywhere but a loopback address is
/// allowed (a moderator on another machine) but logged as a warning: the console speaks plain HTTP, so put a TLS
/// proxy in front of it.
pub async fn serve(
    bind: SocketAddr,
    state: ConsoleState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(bind).await?;
    serve_listener(listener, state, shutdown).await
}

/// [`serve`] on a listener the caller bound (tests bind port 0 and read the address first).
pub async fn serve_listener(
    listener: tokio::net::TcpListener,
    state: ConsoleState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        tracing::warn!(%addr, "the console listens beyond this machine over plain HTTP; put a TLS proxy in front");
    }
    tracing::info!(%addr, "console listening");
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
