//! What the console knows about the show right now, kept from the director's broadcast, and the live feed each
//! browser reads over a WebSocket.
//!
//! The director's broadcast never waits for anyone: a reader that falls behind loses the oldest events and is told
//! how many (`Lagged`). The tracker here turns that into a note in the metrics; each WebSocket client turns it
//! into a `{"type":"lagged"}` message, so the page can say it skipped events and reload its state. A client whose
//! socket stalls only delays its own reader; the show and the other clients never notice.

use super::ConsoleState;
use super::metrics::Metrics;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use model::{
    AiredLine, Comment, ConsoleEvent, Intent, Lang, LineId, LineKind, Product, ProductId, TriageLabel, UnixMs,
};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::watch;

/// How much of the show's recent past the console keeps for a page that opens now.
const KEEP_CHAT: usize = 300;
const KEEP_LINES: usize = 300;
const KEEP_ESCALATIONS: usize = 100;
const KEEP_ACTIONS: usize = 100;
/// Gifts, memberships and paid messages kept for the page.
const KEEP_SUPPORT: usize = 100;
/// A client that cannot take one message in this long is gone; its socket is closed.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Debug, Serialize)]
pub(crate) struct ChatEntry {
    pub comment: Comment,
    pub label: TriageLabel,
    /// A moderator deleted it from the console.
    pub deleted: bool,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct PendingReply {
    pub line: LineId,
    pub kind: LineKind,
    pub product: Option<ProductId>,
    pub text: String,
    pub lang: Lang,
    pub trigger: Option<Comment>,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Escalation {
    pub comment: Comment,
    pub intent: Intent,
    /// Why it came to the moderators when the intent does not say (a question the data does not answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Set when the viewer needs a person for their own sake (crisis, medical, minor, money, scam, access): the
    /// page lists these first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub care: Option<model::CareKind>,
    /// When the console heard of it (wall clock).
    pub raised_at: UnixMs,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct SourceStatus {
    pub healthy: bool,
    pub detail: String,
    /// When it last changed, on the wall clock.
    pub since: UnixMs,
}

#[derive(Clone, Debug, Serialize)]
pub(crate) struct Action {
    pub time: UnixMs,
    pub action: String,
}

/// The show as the console last heard it.
#[derive(Debug, Default)]
pub(crate) struct Live {
    pub chat: VecDeque<ChatEntry>,
    pub pending: BTreeMap<LineId, PendingReply>,
    pub transcript: VecDeque<AiredLine>,
    pub escalations: VecDeque<Escalation>,
    pub dropped_questions: u64,
    pub health: BTreeMap<String, SourceStatus>,
    pub catalog: Option<Value>,
    pub actions: VecDeque<Action>,
    /// Moderators' words the gate refused, with the rule, the sentence and what would pass (newest last).
    pub refused: VecDeque<Value>,
    /// The console's prices, stock, flash sales and pin that hold over reloads, as the show last reported them.
    pub overrides: model::StandingOverrides,
    /// The latest gifts, memberships and paid messages (newest last).
    pub support: VecDeque<model::Support>,
    /// The host's pace as the show last reported it, with when a viewer's plain pace ends and why it changed.
    pub pace: Option<Value>,
}

fn push_bounded<T>(queue: &mut VecDeque<T>, item: T, keep: usize) {
    if queue.len() >= keep {
        queue.pop_front();
    }
    queue.push_back(item);
}

impl Live {
    pub fn apply(&mut self, event: &ConsoleEvent, now: UnixMs) {
        match event {
            ConsoleEvent::LineAired(line) => {
                // An approved reply airs under its own line id: it is no longer pending, whatever else was said.
                self.pending.remove(&line.line);
                push_bounded(&mut self.transcript, line.clone(), KEEP_LINES);
            }
            ConsoleEvent::CommentTriaged { comment, label } => push_bounded(
                &mut self.chat,
                ChatEntry { comment: comment.clone(), label: label.clone(), deleted: false },
                KEEP_CHAT,
            ),
            ConsoleEvent::Escalated { comment, intent, reason, care } => push_bounded(
                &mut self.escalations,
                Escalation {
                    comment: comment.clone(),
                    intent: *intent,
                    reason: reason.clone(),
                    care: *care,
                    raised_at: now,
                },
                KEEP_ESCALATIONS,
            ),
            ConsoleEvent::ReplyPending { line, kind, product, text, lang, trigger } => {
                self.pending.insert(
                    *line,
                    PendingReply {
                        line: *line,
                        kind: *kind,
                        product: product.clone(),
                        text: text.clone(),
                        lang: *lang,
                        trigger: trigger.clone(),
                    },
                );
            }
            ConsoleEvent::ReplyResolved { line, .. } => {
                self.pending.remove(line);
            }
            ConsoleEvent::QuestionDropped { .. } => self.dropped_questions += 1,
            ConsoleEvent::ModeratorAction { action } => {
                push_bounded(&mut self.actions, Action { time: now, action: action.clone() }, KEEP_ACTIONS)
            }
            // The note in words that goes with it is already among the actions; this keeps the details.
            ConsoleEvent::ModeratorLineRefused { action, line, text, sentence, rule, reason, product, repaired } => {
                let entry = json!({
                    "time": now, "action": action, "line": line, "text": text, "sentence": sentence, "rule": rule,
                    "reason": reason, "product": product, "repaired": repaired,
                });
                push_bounded(&mut self.refused, entry, KEEP_ACTIONS)
            }
            // The moderators see it with their own actions: the show dropped a turn and went on.
            ConsoleEvent::TurnFailed { what, reason } => push_bounded(
                &mut self.actions,
                Action { time: now, action: format!("the show dropped a turn ({what}): {reason}") },
                KEEP_ACTIONS,
            ),
            ConsoleEvent::SourceHealth { source, healthy, detail } => {
                let since = match self.health.get(source) {
                    Some(old) if old.healthy == *healthy => old.since,
                    _ => now,
                };
                self.health.insert(source.clone(), SourceStatus { healthy: *healthy, detail: detail.clone(), since });
            }
            ConsoleEvent::CatalogLoaded { path, products, diagnostics } => {
                self.catalog = Some(json!({
                    "path": path, "products": products, "diagnostics": diagnostics, "rejected": false, "time": now,
                }));
            }
            ConsoleEvent::CatalogRejected { path, diagnostics } => {
                self.catalog = Some(json!({ "path": path, "diagnostics": diagnostics, "rejected": true, "time": now }));
            }
            ConsoleEvent::OverridesChanged(state) => self.overrides = state.clone(),
            ConsoleEvent::PaceChanged { pace, until, why } => {
                self.pace =
                    Some(json!({ "pace": pace.as_str(), "until": until.map(|u| u.0), "why": why, "time": now }));
            }
            ConsoleEvent::Support(support) => push_bounded(&mut self.support, support.clone(), KEEP_SUPPORT),
            // The pending replies themselves arrive as ReplyPending and ReplyResolved.
            ConsoleEvent::StaleResultDropped { .. }
            | ConsoleEvent::LineCut { .. }
            | ConsoleEvent::HeldLinesChanged(_) => {}
        }
    }

    pub fn mark_deleted(&mut self, id: &model::CommentId) {
        for entry in self.chat.iter_mut().filter(|e| &e.comment.id == id) {
            entry.deleted = true;
        }
    }

    pub fn to_json(&self) -> Value {
        json!({
            "chat": self.chat,
            "pending": self.pending.values().collect::<Vec<_>>(),
            "transcript": self.transcript,
            "escalations": self.escalations,
            "dropped_questions": self.dropped_questions,
            "support": self.support,
            "health": self.health,
            "catalog": self.catalog,
            "actions": self.actions,
            "refused": self.refused,
            "overrides": overrides_json(&self.overrides),
            "pace": self.pace.clone().unwrap_or_else(|| json!({ "pace": "usual", "until": null, "why": null })),
        })
    }
}

/// The console's standing changes as the page shows them: prices formatted, and for each value what the product
/// file says (a difference is a conflict: the console's value stays until a moderator clears it).
pub(crate) fn overrides_json(state: &model::StandingOverrides) -> Value {
    let products: Vec<Value> = state
        .products
        .iter()
        .map(|o| {
            json!({
                "product": o.product.0,
                "since": o.since.0,
                "price": o.price.as_ref().map(|p| json!({
                    "price": p.price.display(),
                    "compare_at": p.compare_at.as_ref().map(|m| m.display()),
                    "file_price": p.file_price.display(),
                    "conflict": p.file_price != p.price,
                })),
                "stock": o.stock.as_ref().map(|s| json!({
                    "stock": s.stock, "file_stock": s.file_stock, "conflict": s.file_stock != s.stock,
                })),
                "flash_sale": o.flash_sale.as_ref().map(|f| json!({ "price": f.price.display(), "ends_at": f.ends_at.0 })),
                "by": override_by(o),
            })
        })
        .collect();
    json!({ "products": products, "pinned": state.pinned.as_ref().map(|p| p.0.clone()) })
}

/// The accounts that set a product's standing values (flash sale, price, stock), each named once. A value kept
/// from before accounts were recorded was set with the shared token.
fn override_by(o: &model::ProductOverride) -> String {
    let set = [
        o.flash_sale.as_ref().map(|f| f.by.as_deref()),
        o.price.as_ref().map(|p| p.by.as_deref()),
        o.stock.as_ref().map(|s| s.by.as_deref()),
    ];
    let mut names: Vec<&str> = Vec::new();
    for by in set.into_iter().flatten() {
        let name = by.unwrap_or(super::accounts::SHARED_ACCOUNT);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}

/// Keeps `live` and `metrics` current from the broadcast, and tells every open page when the live product queue
/// changes, until the broadcast closes or the task is aborted.
pub(crate) async fn track(
    mut events: broadcast::Receiver<ConsoleEvent>,
    mut products: watch::Receiver<Vec<Product>>,
    live: Arc<Mutex<Live>>,
    metrics: Metrics,
    local: broadcast::Sender<Value>,
) {
    let mut catalog_open = true;
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(event) => {
                    metrics.record_event(&event);
                    live.lock().unwrap_or_else(|p| p.into_inner()).apply(&event, super::wall_now());
                    if let ConsoleEvent::OverridesChanged(state) = &event {
                        let _ = local.send(json!({ "type": "overrides", "overrides": overrides_json(state) }));
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "the console fell behind the show and skipped events");
                    metrics.feed_skipped(n);
                    let _ = local.send(json!({ "type": "lagged", "skipped": n }));
                }
                Err(RecvError::Closed) => break,
            },
            changed = products.changed(), if catalog_open => match changed {
                Ok(()) => {
                    let list = super::api::products_json(&products.borrow_and_update());
                    let _ = local.send(json!({ "type": "products", "products": list }));
                }
                // The catalog loader is gone; the last queue stays as it is.
                Err(_) => catalog_open = false,
            },
        }
    }
}

pub(crate) async fn open(State(state): State<ConsoleState>, upgrade: WebSocketUpgrade) -> Response {
    // Subscribe before the snapshot is taken, so nothing falls between the two (a few events may arrive twice;
    // the page de-duplicates by id).
    let events = state.0.events.subscribe();
    let local = state.0.local.subscribe();
    upgrade.max_message_size(16 * 1024).on_upgrade(move |socket| serve_client(socket, state, events, local))
}

async fn send(socket: &mut WebSocket, value: &Value) -> bool {
    matches!(tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(value.to_string().into()))).await, Ok(Ok(())))
}

async fn serve_client(
    mut socket: WebSocket,
    state: ConsoleState,
    mut events: broadcast::Receiver<ConsoleEvent>,
    mut local: broadcast::Receiver<Value>,
) {
    if !send(&mut socket, &json!({ "type": "snapshot", "state": state.snapshot() })).await {
        return;
    }
    loop {
        let message = tokio::select! {
            _ = state.0.closed.cancelled() => {
                json!({ "type": "closed", "note": "this show stopped here (a fleet room that moved or stopped)" })
            }
            event = events.recv() => match event {
                Ok(event) => json!({ "type": "event", "event": event }),
                Err(RecvError::Lagged(n)) => json!({
                    "type": "lagged", "skipped": n,
                    "note": format!("this page fell behind and skipped {n} events; it reloads the state"),
                }),
                Err(RecvError::Closed) => json!({ "type": "closed", "note": "the show has ended" }),
            },
            update = local.recv() => match update {
                Ok(update) => update,
                Err(RecvError::Lagged(_)) => json!({ "type": "lagged", "skipped": 0 }),
                Err(RecvError::Closed) => break,
            },
            incoming = socket.recv() => match incoming {
                // The page sends nothing but pings (answered by axum) and the close.
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                Some(Ok(_)) => continue,
            },
        };
        let closed = message["type"] == "closed";
        if !send(&mut socket, &message).await || closed {
            break;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

#[cfg(test)]
mod pace_tests {
    use super::*;

    /// The page shows the host's pace from the snapshot: usual until the show says otherwise, then the pace, until
    /// when and why.
    #[test]
    fn the_snapshot_carries_the_hosts_pace() {
        let mut live = Live::default();
        assert_eq!(live.to_json()["pace"]["pace"], "usual");
        let event = ConsoleEvent::PaceChanged {
            pace: model::Pace::Plain,
            until: Some(UnixMs(600_000)),
            why: "mei asked the host to slow down".into(),
        };
        live.apply(&event, UnixMs(1_000));
        let pace = &live.to_json()["pace"];
        assert_eq!((pace["pace"].as_str(), pace["until"].as_i64()), (Some("plain"), Some(600_000)));
        assert_eq!(pace["why"], "mei asked the host to slow down");
    }
}
