//! The supervised link to OBS: keeps one session up, reconnecting with exponential backoff and jitter, and reports
//! each change of health. OBS being absent or restarting never blocks a caller: requests while the link is down
//! fail at once with [`ObsError::NotConnected`].

use super::error::ObsError;
use super::session::{ObsEvent, Requests, Session};
use crate::backoff::{Backoff, Jitter};
use serde_json::Value;
use std::sync::{Arc, RwLock};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// How to reach OBS and how patiently.
#[derive(Clone, Debug)]
pub struct LinkOptions {
    pub url: String,
    pub password: Option<String>,
    /// Event categories (see [`super::protocol::events`]).
    pub subscriptions: u32,
    pub request_timeout: Duration,
    pub handshake_timeout: Duration,
    /// The first retry delay; it doubles after each failure up to `backoff_max`, then each delay is jittered.
    pub backoff_min: Duration,
    pub backoff_max: Duration,
    /// How often a quiet session pings OBS; three silent intervals end the session (and the link reconnects).
    pub keepalive: Duration,
}

impl LinkOptions {
    pub fn new(url: impl Into<String>, password: Option<String>) -> LinkOptions {
        LinkOptions {
            url: url.into(),
            password,
            subscriptions: super::protocol::events::ALL,
            request_timeout: Duration::from_secs(3),
            handshake_timeout: Duration::from_secs(5),
            backoff_min: Duration::from_millis(250),
            backoff_max: Duration::from_secs(10),
            keepalive: Duration::from_secs(5),
        }
    }
}

/// The link's health as last reported. `session` counts identified sessions, so a watcher that sees the same
/// `healthy` twice can still tell that OBS restarted in between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObsHealth {
    pub healthy: bool,
    pub detail: String,
    pub session: u64,
}

/// A handle on the supervised link. Dropping it stops the supervisor and closes the session.
pub struct ObsLink {
    current: Arc<RwLock<Option<Requests>>>,
    events: broadcast::Sender<ObsEvent>,
    health: watch::Receiver<ObsHealth>,
    /// Dropped with the link; the supervisor stops when it sees the channel closed.
    _stop: watch::Sender<()>,
}

impl ObsLink {
    /// Starts the supervisor on the current tokio runtime and returns at once; the first connection attempt
    /// happens in the background.
    pub fn start(options: LinkOptions) -> ObsLink {
        let current = Arc::new(RwLock::new(None));
        let (events, _) = broadcast::channel(256);
        let (health_tx, health) = watch::channel(ObsHealth {
            healthy: false,
            detail: format!("connecting to OBS at {}", options.url),
            session: 0,
        });
        let (stop, stop_rx) = watch::channel(());
        tokio::spawn(supervise(options, current.clone(), events.clone(), health_tx, stop_rx));
        ObsLink { current, events, health, _stop: stop }
    }

    /// Sends a request on the current session; fails at once when there is none.
    pub async fn request(&self, request_type: &str, data: Value) -> Result<Value, ObsError> {
        let requests = self.current.read().unwrap_or_else(|e| e.into_inner()).clone();
        match requests {
            Some(r) if !r.is_closed() => r.request(request_type, data).await,
            _ => Err(ObsError::NotConnected {
                request: request_type.to_string(),
                detail: self.health.borrow().detail.clone(),
            }),
        }
    }

    /// Events from every session of this link, in order; a reconnect does not end the stream.
    pub fn events(&self) -> broadcast::Receiver<ObsEvent> {
        self.events.subscribe()
    }

    /// Health changes, latest first; `changed()` wakes on every report.
    pub fn health(&self) -> watch::Receiver<ObsHealth> {
        self.health.clone()
    }

    pub fn is_connected(&self) -> bool {
        self.health.borrow().healthy
    }
}

async fn supervise(
    options: LinkOptions,
    current: Arc<RwLock<Option<Requests>>>,
    events: broadcast::Sender<ObsEvent>,
    health: watch::Sender<ObsHealth>,
    mut stop: watch::Receiver<()>,
) {
    let set_current = |r: Option<Requests>| *current.write().unwrap_or_else(|e| e.into_inner()) = r;
    let mut jitter = Jitter::new();
    let backoff = Backoff::new(options.backoff_min, options.backoff_max);
    let mut failures: u32 = 0;
    let mut sessions: u64 = 0;
    loop {
        let attempt = Session::open(&options, events.clone());
        let outcome = tokio::select! {
            outcome = attempt => outcome,
            _ = stop.changed() => return,
        };
        match outcome {
            Ok(mut session) => {
                failures = 0;
                sessions += 1;
                set_current(Some(session.requests.clone()));
                let detail =
                    format!("connected to OBS at {} (obs-websocket {})", options.url, session.obs_websocket_version);
                tracing::info!("{detail}");
                health.send_replace(ObsHealth { healthy: true, detail, session: sessions });
                let why = tokio::select! {
                    why = &mut session.task => why.unwrap_or_else(|e| format!("the OBS session task failed: {e}")),
                    _ = stop.changed() => {
                        set_current(None);
                        drop(session.requests);
                        // The socket task sees its queue closed and sends a close frame; give it a moment.
                        let _ = tokio::time::timeout(Duration::from_secs(1), &mut session.task).await;
                        session.task.abort();
                        return;
                    }
                };
                set_current(None);
                let detail = format!("lost OBS at {}: {why}; reconnecting", options.url);
                tracing::warn!("{detail}");
                health.send_replace(ObsHealth { healthy: false, detail, session: sessions });
                // A short pause even after a good session, so an OBS that accepts and drops at once is not hammered.
                tokio::select! {
                    _ = tokio::time::sleep(jitter.spread(options.backoff_min)) => {}
                    _ = stop.changed() => return,
                }
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let detail = format!("{e}; retrying");
                // Report only changes of wording, so a long outage is one line rather than one per retry.
                if health.borrow().detail != detail || health.borrow().healthy {
                    tracing::warn!("{detail}");
                    health.send_replace(ObsHealth { healthy: false, detail, session: sessions });
                }
                let delay = backoff.jittered(failures - 1, &mut jitter);
                tokio::select! {
                    _ = tokio::time::sleep(delay) => {}
                    _ = stop.changed() => return,
                }
            }
        }
    }
}
