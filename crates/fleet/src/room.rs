//! One room on a worker: the director's show with no stage (voice, captions and events only), fed from the
//! room's JetStream consumers, its events published and its audit written to PostgreSQL.
//!
//! Comments: each is acknowledged only once the director is done with it: answered on air, held for a moderator's
//! approval (kept in PostgreSQL), sent to the moderators, dropped as too old, dropped by the room's gate (already
//! answered, or a banned viewer), or, for a comment the director took without queueing it (a greeting, spam),
//! once a question could no longer be waiting (see [`acks`]). Until then JetStream is told it is still in
//! progress. So a worker that dies leaves every comment it had not finished in the stream for the next holder, the
//! ones waiting in its director's queue included. A comment handed out again after a failover is not answered
//! twice: the room starts with the ids of the comments its audit says were answered, and its gate drops those.
//!
//! Audit: rows queue in memory and go to PostgreSQL one by one, in order; while the database is away the queue
//! waits and the show goes on talking, and the rows follow when it is back.

use crate::bus::{self, Command};
use crate::keeper::{Moderation, RoomKeeper, RoomViewers, SharedViewers};
use crate::pg::{Pg, RoomAudit, RoomRecord};
use crate::room_console::RoomConsoles;
use crate::stage_feed::{self, OnScreen};
use crate::{FleetError, RoomId};
use async_nats::jetstream;
use backstage::chat::ChatEvent;
use backstage::console::{ConsoleConfig, ConsoleState, Metrics, Standing};
use backstage::show_loop::{CommentGate, ShowExtras, ShowLinks};
use backstage::store::AuditSink;
use backstage::store::audit::Provenance;
use backstage::store::chain::Record;
use backstage::voice::Voice;
use backstage::writer::Writer;
use director::{Input, Show, ShowConfig};
use futures_util::StreamExt;
use model::{CareKind, Comment, ConsoleEvent, Intent, LineKind, Product, ShowTime, StageCommand, UnixMs};
use std::collections::{HashMap, HashSet, VecDeque};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

/// What a room's files make: the show's settings, its products, its writer and voice.
pub struct RoomPlan {
    pub config: ShowConfig,
    pub products: Vec<Product>,
    pub writer: Writer,
    pub voice: Voice,
    pub provenance: Provenance,
}

/// Turns a room's files into a plan. The binary passes one that reads show.toml as `shopcast run` does;
/// [`plan_with_defaults`] reads only the products.
pub type Planner = Arc<dyn Fn(&RoomRecord) -> Result<RoomPlan, String> + Send + Sync>;

/// The products of `record`, validated as `shopcast check` does; the show's defaults, templates and no voice.
pub fn plan_with_defaults(record: &RoomRecord) -> Result<RoomPlan, String> {
    Ok(RoomPlan {
        config: ShowConfig::default(),
        products: products_of(record, None)?,
        writer: Writer::Templates,
        voice: Voice::Silent,
        provenance: Provenance {
            show_id: format!("room-{}", record.id),
            producer: format!("shopcast/{}", env!("CARGO_PKG_VERSION")),
            model: None,
            voice: "silent".to_string(),
        },
    })
}

/// The room's products, or every error in them (file, line and field, as `shopcast check` prints them).
/// `currency` prices what the file leaves without one (Shopify and WooCommerce exports). Pictures must be URLs: a
/// worker has no folder beside the file.
pub fn products_of(record: &RoomRecord, currency: Option<&model::Currency>) -> Result<Vec<Product>, String> {
    let name = Path::new(&record.products_name);
    let format = backstage::catalog::detect(name, &record.products);
    let load = backstage::catalog::parse_as(&record.products_name, &record.products, Path::new("."), format, currency);
    if load.has_errors() || load.products.is_empty() {
        let errors: Vec<String> = load.diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        return Err(if errors.is_empty() {
            format!("room {}: {} has no products", record.id, record.products_name)
        } else {
            format!("room {}: {}", record.id, errors.join("\n"))
        });
    }
    // A worker has no folder beside the file: a picture named by a local path would be missing on every worker
    // but the one that happens to have it.
    let local: Vec<String> = load
        .products
        .iter()
        .flat_map(|p| p.images.iter().map(move |image| (p, image)))
        .filter(|(_, image)| !image.starts_with("https://") && !image.starts_with("http://"))
        .map(|(p, image)| format!("product {:?}: picture {image:?}", p.id.0))
        .collect();
    if !local.is_empty() {
        return Err(format!(
            "room {}: {}: pictures in a fleet must be http(s) URLs (a worker has no folder beside the file): {}",
            record.id,
            record.products_name,
            local.join("; ")
        ));
    }
    Ok(load.products)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(products: &str) -> RoomRecord {
        RoomRecord {
            id: RoomId::parse("r").unwrap(),
            show_toml: String::new(),
            products_name: "p.toml".into(),
            products: products.into(),
            scene_toml: None,
            stopped: false,
        }
    }

    const PRODUCT: &str = "currency = \"USD\"\n[[product]]\nid = \"mug\"\ntitle.en = \"Mug\"\nprice = \"12.50\"\n";

    #[test]
    fn a_rooms_products_are_checked_and_its_pictures_must_be_urls() {
        assert_eq!(products_of(&record(PRODUCT), None).unwrap().len(), 1);
        let with_url = format!("{PRODUCT}images = [\"https://shop.example/mug.png\"]\n");
        assert_eq!(products_of(&record(&with_url), None).unwrap().len(), 1);
        let local = format!("{PRODUCT}image = \"Cargo.toml\"\n");
        let e = products_of(&record(&local), None).unwrap_err();
        assert!(e.contains("must be http(s) URLs") && e.contains("Cargo.toml") && e.contains("mug"), "{e}");
        let e = products_of(&record("[[product]]\nid = \"x\"\n"), None).unwrap_err();
        assert!(e.contains("p.toml:"), "errors name the file and line: {e}");
        let e = products_of(&record(""), None).unwrap_err();
        assert!(e.contains("no products") || e.contains("p.toml"), "{e}");
    }
}

/// How a room is, as it says every [`STATUS_EVERY`] on its status subject (for the fleet console).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RoomStatus {
    pub room: String,
    pub worker: String,
    pub epoch: u64,
    /// A human host has the show (the standby card is up); the AI says nothing.
    pub human_host: bool,
    /// Lines aired since this worker took the room.
    pub lines: u64,
    pub last_line: Option<LastLine>,
    pub last_escalation: Option<LastEscalation>,
    /// Viewers who wrote in the last five minutes.
    pub viewers: usize,
    pub wall_ms: i64,
    /// Where the room's own console is (`http://worker:port/rooms/<id>/`), when its worker serves consoles.
    #[serde(default)]
    pub console: Option<String>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LastLine {
    pub text: String,
    pub kind: LineKind,
    pub wall_ms: i64,
}

/// The last comment sent to the moderators: why, never the viewer's words (a viewer in crisis is not quoted on
/// an overview).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LastEscalation {
    pub intent: Intent,
    pub care: Option<CareKind>,
    pub wall_ms: i64,
}

/// How often a room says how it is.
pub const STATUS_EVERY: Duration = Duration::from_secs(2);
const VIEWERS_WINDOW_MS: i64 = 5 * 60 * 1000;

/// The room's status as its tasks update it.
#[derive(Default)]
struct StatusBoard {
    status: RoomStatus,
    viewers: HashMap<String, i64>,
}

type Board = Arc<Mutex<StatusBoard>>;

/// What every room on a worker shares.
#[derive(Clone)]
pub struct RoomContext {
    pub js: jetstream::Context,
    pub pg: Arc<Pg>,
    pub worker: String,
    /// Where the rooms serve their own consoles; `None` runs them without one.
    pub consoles: Option<RoomConsoles>,
}

/// How far back a room looks for where it was and what it answered.
const RESUME_WITHIN_MS: i64 = 10 * 60 * 1000;
const ANSWERED_WITHIN_MS: i64 = 6 * 3600 * 1000;
/// The most comment ids a room remembers as taken (the oldest are forgotten first).
const REMEMBERED_IDS: usize = 50_000;
/// The most audit rows a room holds while PostgreSQL is away; past this the oldest are dropped, loudly.
const AUDIT_QUEUE: usize = 100_000;

/// Drops comments already taken or answered, and those of viewers the room's moderators banned or timed out, and
/// has them acknowledged; marks viewers who come back after a while (see [`RoomViewers`]).
struct TakenOnce {
    seen: Mutex<(HashSet<String>, VecDeque<String>)>,
    ack: mpsc::UnboundedSender<Fate>,
    /// The room's console, which keeps its bans and time-outs.
    console: Option<ConsoleState>,
    viewers: SharedViewers,
    /// Where a visit is written.
    writes: mpsc::UnboundedSender<Write>,
}

impl TakenOnce {
    fn new(
        answered: HashSet<String>,
        ack: mpsc::UnboundedSender<Fate>,
        console: Option<ConsoleState>,
        viewers: SharedViewers,
        writes: mpsc::UnboundedSender<Write>,
    ) -> TakenOnce {
        let order = answered.iter().cloned().collect();
        TakenOnce { seen: Mutex::new((answered, order)), ack, console, viewers, writes }
    }
}

impl CommentGate for TakenOnce {
    fn admit(&self, comment: &mut Comment) -> bool {
        if let Some(console) = &self.console
            && console.is_viewer_blocked(&comment.user_id, backstage::clock::wall_now())
        {
            let _ = self.ack.send(Fate::Done(comment.id.0.clone()));
            return false;
        }
        let Ok(mut seen) = self.seen.lock() else { return true };
        let (set, order) = &mut *seen;
        if set.contains(&comment.id.0) {
            let _ = self.ack.send(Fate::Done(comment.id.0.clone()));
            return false;
        }
        set.insert(comment.id.0.clone());
        order.push_back(comment.id.0.clone());
        while order.len() > REMEMBERED_IDS {
            if let Some(old) = order.pop_front() {
                set.remove(&old);
            }
        }
        drop(seen);
        if let Ok(mut viewers) = self.viewers.lock() {
            let (returning, write) = viewers.visit(&comment.user_id, &comment.user_name, backstage::clock::wall_now());
            comment.flags.returning |= returning;
            if let Some(write) = write {
                let _ = self.writes.send(Write::Moderation(write));
            }
        }
        true
    }
}

/// Runs `record` until `stop` is cancelled (the lease was lost or given up, or the worker ends).
pub async fn run(ctx: RoomContext, record: RoomRecord, plan: RoomPlan, epoch: u64, stop: CancellationToken) {
    let room = record.id.clone();
    let now = backstage::clock::wall_now();
    let resume = ctx.pg.resume_point(&room, now, RESUME_WITHIN_MS).await.unwrap_or_else(|e| {
        tracing::warn!(%room, "cannot read where the room was ({e}); starting from the top");
        Default::default()
    });
    let answered = ctx.pg.answered(&room, UnixMs(now.0 - ANSWERED_WITHIN_MS)).await.unwrap_or_else(|e| {
        tracing::warn!(%room, "cannot read which comments were answered ({e})");
        HashSet::new()
    });
    tracing::info!(%room, worker = %ctx.worker, epoch, answered = answered.len(), "room starting");

    let (input_tx, inputs) = mpsc::channel::<Input>(1024);
    let (console, _) = broadcast::channel::<ConsoleEvent>(4096);
    let (stage, stage_rx) = async_channel::bounded(256);
    let (ack_tx, ack_rx) = mpsc::unbounded_channel::<Fate>();
    // A question is answered or dropped within its age limit (and the writing of its answer): a comment triaged that
    // long ago is done with, whether or not the director queued it.
    let settle = Duration::from_millis(plan.config.max_question_age_ms) + Duration::from_secs(30);
    let pending: Pending = Arc::default();
    let events = console.subscribe();
    let restore = ctx.pg.restore_inputs(&room).await.unwrap_or_else(|e| {
        tracing::warn!(%room, "cannot read the moderators' standing state ({e}); starting without it");
        Vec::new()
    });
    let standing = ctx.pg.standing(&room, now).await.unwrap_or_else(|e| {
        tracing::warn!(%room, "cannot read the room's moderation modes and bans ({e}); starting without them");
        Standing::default()
    });
    let viewers: SharedViewers =
        Arc::new(Mutex::new(RoomViewers::new(ctx.pg.viewers(&room, now).await.unwrap_or_else(|e| {
            tracing::warn!(%room, "cannot read the viewers the room remembers ({e}); nobody is welcomed back for now");
            Vec::new()
        }))));
    let _ = input_tx.send(Input::ProductsLoaded(plan.products.clone())).await;
    // In the single-machine show's order (`Store::restore_moderation`): modes, bans, overrides, held lines.
    for &(intent, mode) in &standing.modes {
        let _ = input_tx.send(Input::SetModeration { intent, mode }).await;
    }
    for viewer in &standing.blocked {
        let _ = input_tx.send(Input::BanViewer { user_id: viewer.user_id.clone() }).await;
    }
    for input in restore {
        let _ = input_tx.send(input).await;
    }

    let (audit_tx, audit_rx) = mpsc::unbounded_channel::<Write>();
    let started = serde_json::json!({
        "provenance": plan.provenance, "products": plan.products, "worker": ctx.worker, "epoch": epoch,
    });
    let _ = audit_tx.send(Write::Audit(Record::Event {
        wall_ms: now.0,
        kind: "show_started".into(),
        row: started.to_string(),
    }));

    // The room's own console: the same page and API as the single-machine show, kept in PostgreSQL.
    let (products_tx, products_rx) = watch::channel(plan.products.clone());
    let metrics = Metrics::new();
    let room_console = ctx.consoles.as_ref().map(|consoles| {
        let mut config = ConsoleConfig::new(consoles.token(), input_tx.clone(), console.clone(), products_rx);
        config.base_path = format!("/rooms/{room}");
        config.metrics = metrics.clone();
        config.keep_in(RoomKeeper::new(ctx.pg.clone(), room.clone(), standing, viewers.clone(), audit_tx.clone()));
        let state = ConsoleState::new(config);
        (consoles.open(&room, state.clone()), state, consoles.url_of(&room))
    });
    let console_url = room_console.as_ref().map(|(_, _, url)| url.clone());
    let console_state = room_console.as_ref().map(|(_, state, _)| state.clone());

    let tasks = stop.child_token();
    let mut joins = tokio::task::JoinSet::new();
    let board: Board = Arc::new(Mutex::new(StatusBoard {
        status: RoomStatus {
            room: room.to_string(),
            worker: ctx.worker.clone(),
            epoch,
            console: console_url,
            ..RoomStatus::default()
        },
        viewers: HashMap::new(),
    }));
    // No stage here: its commands go out for renderers elsewhere (the director's own timer ends each line).
    let on_screen: Arc<Mutex<OnScreen>> = Arc::default();
    joins.spawn(feed_stage(ctx.js.client(), room.clone(), stage_rx, board.clone(), on_screen.clone()));
    joins.spawn(listen_to_renderers(ctx.js.client(), room.clone(), on_screen, metrics.clone(), tasks.clone()));
    joins.spawn(say_status(ctx.js.client(), room.clone(), board.clone(), tasks.clone()));
    joins.spawn(comments(ctx.js.clone(), room.clone(), input_tx.clone(), pending.clone(), tasks.clone()));
    joins.spawn(commands(ctx.js.clone(), room.clone(), input_tx.clone(), tasks.clone()));
    joins.spawn(acks(ack_rx, pending.clone(), settle));
    let publisher = Publisher {
        js: ctx.js.clone(),
        room: room.clone(),
        epoch,
        taken: ack_tx.clone(),
        audit: audit_tx.clone(),
        provenance: plan.provenance.clone(),
        board,
    };
    joins.spawn(publish(publisher, events, tasks.clone()));
    let audit = tokio::spawn(write_audit(RoomAudit { pg: ctx.pg.clone(), room: room.clone() }, audit_rx));

    let extras = ShowExtras {
        gate: Some(Arc::new(TakenOnce::new(answered, ack_tx, console_state, viewers, audit_tx.clone()))),
        products: Some(products_tx),
        metrics: Some(metrics),
        ..ShowExtras::default()
    };
    let links = ShowLinks { inputs, input_tx, stage, console, extras };
    let mut show = Show::new(plan.config, ShowTime(0), backstage::clock::wall_now());
    show.resume(resume);
    backstage::show_loop::run(show, plan.writer, plan.voice, links, tasks.clone()).await;
    tasks.cancel();
    // The publisher ends when the show's broadcast closes, and with it the audit's queue: wait for the last rows.
    while joins.join_next().await.is_some() {}
    // The console goes first: off the worker's router, and its open feeds told the room stopped here.
    if let Some((_, state, _)) = &room_console {
        state.close();
    }
    drop(room_console);
    let _ = tokio::time::timeout(Duration::from_secs(10), audit).await;
    tracing::info!(%room, worker = %ctx.worker, "room stopped");
}

/// Comments delivered and not yet done with, by comment id: the message to acknowledge, and when the director
/// triaged it.
type Pending = Arc<Mutex<HashMap<String, Delivered>>>;

struct Delivered {
    message: Arc<jetstream::Message>,
    triaged: Option<std::time::Instant>,
}

/// What became of a comment, for its acknowledgement.
#[derive(Debug)]
enum Fate {
    /// The director has it: acknowledged once done, or after the settling time.
    Triaged(String),
    /// Done with: answered, held, escalated, dropped.
    Done(String),
}

/// How often comments still in the director's hands are reported in progress (well inside [`bus::ACK_WAIT`]).
const IN_PROGRESS_EVERY: Duration = Duration::from_secs(10);

async fn comments(
    js: jetstream::Context,
    room: RoomId,
    input_tx: mpsc::Sender<Input>,
    pending: Pending,
    stop: CancellationToken,
) {
    let mut source = Durable::new(&js, &room, bus::COMMENTS_STREAM, "comments", bus::comments_subject(&room));
    while let Some(message) = source.next(&stop).await {
        let now = backstage::clock::wall_now();
        let read = serde_json::from_slice::<serde_json::Value>(&message.payload)
            .map_err(|e| format!("not JSON: {e}"))
            .and_then(|item| backstage::chat::ingest::read_ingest_item(&item, now));
        let input = match read {
            Ok(ChatEvent::Comment(comment)) => {
                let id = comment.id.0.clone();
                if let Ok(mut pending) = pending.lock() {
                    pending.insert(id, Delivered { message: Arc::new(message), triaged: None });
                }
                if input_tx.send(Input::Comment(comment)).await.is_err() {
                    return;
                }
                continue;
            }
            Ok(ChatEvent::DeleteComment { id, .. }) => Some(Input::DeleteComment(id)),
            Ok(ChatEvent::BanViewer(ban)) => Some(Input::BanViewer { user_id: ban.user_id }),
            Ok(_) => None,
            Err(why) => {
                let seq = message.info().map(|i| i.stream_sequence).unwrap_or(0);
                tracing::error!(%room, seq, "comments: message {seq} on {} refused: {why}", message.subject);
                None
            }
        };
        if let Some(input) = input
            && input_tx.send(input).await.is_err()
        {
            return;
        }
        // Not a comment to answer: done with it (a refused one would be refused again).
        if let Err(e) = message.ack().await {
            tracing::warn!(%room, "comments: cannot acknowledge: {e}");
        }
    }
}

/// A room's durable consumer as a source of messages: opened on first use, and opened again (the streams made
/// again first, in case NATS came back without its store) after any trouble, waiting longer each time.
struct Durable {
    js: jetstream::Context,
    room: RoomId,
    stream: &'static str,
    what: &'static str,
    subject: String,
    messages: Option<async_nats::jetstream::consumer::pull::Stream>,
    backoff: Duration,
}

impl Durable {
    fn new(
        js: &jetstream::Context,
        room: &RoomId,
        stream: &'static str,
        what: &'static str,
        subject: String,
    ) -> Durable {
        Durable {
            js: js.clone(),
            room: room.clone(),
            stream,
            what,
            subject,
            messages: None,
            backoff: Duration::from_millis(200),
        }
    }

    /// The next message; `None` once `stop` is cancelled.
    async fn next(&mut self, stop: &CancellationToken) -> Option<jetstream::Message> {
        let room = &self.room;
        loop {
            let Some(messages) = self.messages.as_mut() else {
                let name = format!("{}-{room}", self.what);
                let opened = match bus::durable(&self.js, self.stream, &name, self.subject.clone()).await {
                    Ok(consumer) => consumer.messages().await.map_err(FleetError::nats),
                    Err(e) => Err(e),
                };
                match opened {
                    Ok(messages) => {
                        self.messages = Some(messages);
                        self.backoff = Duration::from_millis(200);
                    }
                    Err(e) => {
                        tracing::warn!(%room, "{}: {e}; trying again", self.what);
                        tokio::select! { _ = stop.cancelled() => return None, _ = tokio::time::sleep(self.backoff) => {} }
                        self.backoff = (self.backoff * 2).min(Duration::from_secs(5));
                        let _ = bus::ensure_streams(&self.js).await;
                    }
                }
                continue;
            };
            tokio::select! {
                _ = stop.cancelled() => return None,
                message = messages.next() => match message {
                    Some(Ok(message)) => return Some(message),
                    Some(Err(e)) => tracing::warn!(%room, "{}: {e}", self.what),
                    None => self.messages = None,
                },
            }
        }
    }
}

/// The room has stopped: the comments it had not finished go back to JetStream at once, for the next holder
/// (after a crash they go back when their acknowledgement wait runs out, [`bus::ACK_WAIT`]).
async fn hand_back(pending: &Pending) {
    let messages: Vec<Arc<jetstream::Message>> = match pending.lock() {
        Ok(mut pending) => pending.drain().map(|(_, d)| d.message).collect(),
        Err(_) => return,
    };
    for message in messages {
        if let Err(e) = message.ack_with(jetstream::AckKind::Nak(None)).await {
            tracing::debug!("comments: cannot hand a message on {} back: {e}", message.subject);
        }
    }
}

/// Acknowledges comments as the director finishes with them, and those triaged more than `settle` ago; tells
/// JetStream the others are still in progress, so it does not hand them out again while this room holds them.
async fn acks(mut fates: mpsc::UnboundedReceiver<Fate>, pending: Pending, settle: Duration) {
    let mut tick = tokio::time::interval(IN_PROGRESS_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let (done, waiting): (Vec<Arc<jetstream::Message>>, Vec<Arc<jetstream::Message>>) = tokio::select! {
            fate = fates.recv() => {
                let Some(fate) = fate else {
                    hand_back(&pending).await;
                    return;
                };
                let Ok(mut pending) = pending.lock() else { return };
                match fate {
                    Fate::Triaged(id) => {
                        if let Some(delivered) = pending.get_mut(&id) {
                            delivered.triaged.get_or_insert_with(std::time::Instant::now);
                        }
                        continue;
                    }
                    Fate::Done(id) => (pending.remove(&id).map(|d| d.message).into_iter().collect(), Vec::new()),
                }
            }
            _ = tick.tick() => {
                let Ok(mut pending) = pending.lock() else { return };
                let settled: Vec<String> = pending
                    .iter()
                    .filter(|(_, d)| d.triaged.is_some_and(|at| at.elapsed() >= settle))
                    .map(|(id, _)| id.clone())
                    .collect();
                let done = settled.iter().filter_map(|id| pending.remove(id)).map(|d| d.message).collect();
                (done, pending.values().map(|d| d.message.clone()).collect())
            }
        };
        for message in done {
            if let Err(e) = message.ack().await {
                tracing::warn!("comments: cannot acknowledge a message on {}: {e}", message.subject);
            }
        }
        for message in waiting {
            if let Err(e) = message.ack_with(jetstream::AckKind::Progress).await {
                tracing::debug!("comments: cannot report progress on {}: {e}", message.subject);
            }
        }
    }
}

async fn commands(js: jetstream::Context, room: RoomId, input_tx: mpsc::Sender<Input>, stop: CancellationToken) {
    let mut source = Durable::new(&js, &room, bus::COMMANDS_STREAM, "commands", bus::commands_subject(&room));
    while let Some(message) = source.next(&stop).await {
        match serde_json::from_slice::<Command>(&message.payload) {
            Ok(command) => {
                let input = match command {
                    Command::SayNow { text, by } => Input::SayNow { text, lang: None, by },
                    Command::HandOverToHuman { .. } => Input::HandOverToHuman,
                    Command::TakeBack { .. } => Input::TakeBack,
                    Command::SetStock { product, stock, by } => {
                        Input::StockChanged { product: model::ProductId(product), stock, by }
                    }
                    Command::Pin { product } => Input::PinProduct(model::ProductId(product)),
                    Command::Unpin => Input::UnpinProduct,
                };
                if input_tx.send(input).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                tracing::error!(%room, "commands: refused {:?}: {e}", String::from_utf8_lossy(&message.payload))
            }
        }
        let _ = message.ack().await;
    }
}

/// What a room publishes about each event.
#[derive(serde::Serialize)]
struct Published<'a> {
    room: &'a RoomId,
    epoch: u64,
    event: &'a ConsoleEvent,
}

/// Where a room's events go: the events subject, the acknowledgements, the audit's queue and the status board.
struct Publisher {
    js: jetstream::Context,
    room: RoomId,
    epoch: u64,
    taken: mpsc::UnboundedSender<Fate>,
    audit: mpsc::UnboundedSender<Write>,
    provenance: Provenance,
    board: Board,
}

/// What a room writes to PostgreSQL, in order: audit rows, the standing state its next holder puts back, and its
/// moderators' standing decisions.
#[derive(Clone, Debug)]
pub(crate) enum Write {
    Audit(Record),
    State {
        key: &'static str,
        row: String,
    },
    Moderation(Moderation),
    /// The room has stopped: write what is queued, then end (the console may outlive the room for a moment).
    Done,
}

/// Publishes the room's events until the show has ended (`stop`, cancelled after the show loop returned) and
/// every event it left has been handled. The room's console holds a sender of the same channel, so the channel
/// itself may never close.
async fn publish(publisher: Publisher, mut events: broadcast::Receiver<ConsoleEvent>, stop: CancellationToken) {
    let Publisher { js, room, epoch, taken, audit, provenance, board } = publisher;
    let subject = bus::events_subject(&room);
    let mut ending = false;
    loop {
        let next = if ending {
            events.try_recv().map_err(|e| match e {
                broadcast::error::TryRecvError::Lagged(n) => broadcast::error::RecvError::Lagged(n),
                _ => broadcast::error::RecvError::Closed,
            })
        } else {
            tokio::select! {
                biased;
                event = events.recv() => event,
                _ = stop.cancelled() => {
                    ending = true;
                    continue;
                }
            }
        };
        let event = match next {
            Ok(event) => event,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::error!(%room, "room events fell behind and missed {n}");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => {
                let _ = audit.send(Write::Done);
                return;
            }
        };
        let now = backstage::clock::wall_now();
        let fate = match &event {
            ConsoleEvent::CommentTriaged { comment, .. } => Some(Fate::Triaged(comment.id.0.clone())),
            ConsoleEvent::LineAired(model::AiredLine { trigger: Some(comment), .. })
            | ConsoleEvent::ReplyPending { trigger: Some(comment), .. }
            | ConsoleEvent::Escalated { comment, .. }
            | ConsoleEvent::QuestionDropped { comment, .. } => Some(Fate::Done(comment.id.0.clone())),
            _ => None,
        };
        if let Some(fate) = fate {
            let _ = taken.send(fate);
        }
        if let Ok(mut board) = board.lock() {
            let board = &mut *board;
            match &event {
                ConsoleEvent::LineAired(line) => {
                    board.status.lines += 1;
                    board.status.last_line =
                        Some(LastLine { text: line.text.clone(), kind: line.kind, wall_ms: line.wall.0 });
                }
                ConsoleEvent::Escalated { intent, care, .. } => {
                    board.status.last_escalation =
                        Some(LastEscalation { intent: *intent, care: *care, wall_ms: now.0 });
                }
                ConsoleEvent::CommentTriaged { comment, .. } => {
                    board.viewers.insert(comment.user_id.clone(), now.0);
                    board.viewers.retain(|_, at| now.0 - *at <= VIEWERS_WINDOW_MS);
                    board.status.viewers = board.viewers.len();
                }
                _ => {}
            }
        }
        let state = match &event {
            ConsoleEvent::OverridesChanged(state) => serde_json::to_string(state).ok().map(|row| ("overrides", row)),
            ConsoleEvent::HeldLinesChanged(lines) => serde_json::to_string(lines).ok().map(|row| ("held", row)),
            _ => None,
        };
        if let Some((key, row)) = state {
            let _ = audit.send(Write::State { key, row });
        }
        match Record::of(&event, now, Some(&provenance)) {
            Ok(Some(record)) => {
                let _ = audit.send(Write::Audit(record));
            }
            Ok(None) => {}
            Err(e) => tracing::error!(%room, "audit: cannot write an event: {e}"),
        }
        let Ok(payload) = serde_json::to_vec(&Published { room: &room, epoch, event: &event }) else { continue };
        let mut headers = async_nats::HeaderMap::new();
        if let ConsoleEvent::LineAired(line) = &event {
            // The same line published twice (a retry) is stored once.
            headers.insert("Nats-Msg-Id", format!("{room}.{epoch}.{}", line.line.0).as_str());
        }
        match js.publish_with_headers(subject.clone(), headers, payload.into()).await {
            Ok(ack) => {
                // Waited for in its own task, so a slow server never holds the next event.
                tokio::spawn(async move {
                    if let Err(e) = ack.await {
                        tracing::debug!("room event not stored: {e}");
                    }
                });
            }
            Err(e) => tracing::warn!(%room, "room events: cannot publish: {e}"),
        }
    }
}

/// Sends each stage command out for the room's renderers, keeps what is on screen for late ones, and notes the
/// hand-over to a human on the room's status. Ends with the show.
async fn feed_stage(
    client: async_nats::Client,
    room: RoomId,
    commands: async_channel::Receiver<StageCommand>,
    board: Board,
    on_screen: Arc<Mutex<OnScreen>>,
) {
    let subject = stage_feed::stage_subject(&room);
    while let Ok(command) = commands.recv().await {
        if let StageCommand::HumanHost { on } = command
            && let Ok(mut board) = board.lock()
        {
            board.status.human_host = on;
        }
        if let Ok(mut screen) = on_screen.lock() {
            screen.apply(&command);
        }
        let (body, sample_rate) = match stage_feed::encode(&command) {
            Ok(encoded) => encoded,
            Err(e) => {
                tracing::error!(%room, "stage: a command could not be encoded: {e}");
                continue;
            }
        };
        let mut headers = async_nats::HeaderMap::new();
        if let Some(rate) = sample_rate {
            headers.insert(stage_feed::SAMPLE_RATE_HEADER, rate.to_string().as_str());
        }
        let too_big = body.len() > client.server_info().max_payload;
        let sent = if too_big {
            // The caption and the mouth still go out; the renderer is silent for this line.
            tracing::warn!(%room, "stage: a line's audio is larger than NATS carries ({} bytes); sent without it", body.len());
            let silent = match command {
                StageCommand::PlayLine { line, text, lang, duration_ms, visemes, .. } => {
                    StageCommand::PlayLine { line, text, lang, duration_ms, visemes, audio: None }
                }
                other => other,
            };
            match stage_feed::encode(&silent) {
                Ok((body, _)) => client.publish(subject.clone(), body.into()).await,
                Err(_) => continue,
            }
        } else {
            client.publish_with_headers(subject.clone(), headers, body.into()).await
        };
        if let Err(e) = sent {
            tracing::debug!(%room, "stage: not sent: {e}");
        }
    }
}

/// Answers a renderer that joins (what is on screen now, as stage commands in JSON), and counts renderers' beats
/// as the stage's heartbeat.
async fn listen_to_renderers(
    client: async_nats::Client,
    room: RoomId,
    on_screen: Arc<Mutex<OnScreen>>,
    metrics: Metrics,
    stop: CancellationToken,
) {
    let subscribed = async {
        let hellos = client.subscribe(stage_feed::hello_subject(&room)).await?;
        let beats = client.subscribe(stage_feed::beat_subject(&room)).await?;
        Ok::<_, async_nats::SubscribeError>((hellos, beats))
    };
    let (mut hellos, mut beats) = match subscribed.await {
        Ok(subscriptions) => subscriptions,
        Err(e) => {
            tracing::warn!(%room, "stage: renderers that join get no state: {e}");
            return;
        }
    };
    loop {
        let hello = tokio::select! {
            _ = stop.cancelled() => return,
            beat = beats.next() => match beat {
                Some(_) => {
                    metrics.stage_heartbeat();
                    continue;
                }
                None => return,
            },
            hello = hellos.next() => match hello {
                Some(hello) => hello,
                None => return,
            },
        };
        let Some(reply) = hello.reply else { continue };
        let state = on_screen.lock().map(|s| s.commands()).unwrap_or_default();
        if let Ok(body) = serde_json::to_vec(&state) {
            let _ = client.publish(reply, body.into()).await;
        }
    }
}

/// Says how the room is every [`STATUS_EVERY`] until the room stops.
async fn say_status(client: async_nats::Client, room: RoomId, board: Board, stop: CancellationToken) {
    let subject = bus::status_subject(&room);
    let mut tick = tokio::time::interval(STATUS_EVERY);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tick.tick() => {}
        }
        let status = match board.lock() {
            Ok(mut board) => {
                let now = backstage::clock::wall_now().0;
                board.viewers.retain(|_, at| now - *at <= VIEWERS_WINDOW_MS);
                board.status.viewers = board.viewers.len();
                board.status.wall_ms = now;
                board.status.clone()
            }
            Err(_) => continue,
        };
        if let Ok(payload) = serde_json::to_vec(&status)
            && let Err(e) = client.publish(subject.clone(), payload.into()).await
        {
            tracing::debug!(%room, "status not sent: {e}");
        }
    }
}

/// Writes the room's audit rows and standing state in order. While the store is away they wait, up to
/// [`AUDIT_QUEUE`].
async fn write_audit(sink: RoomAudit, mut rows: mpsc::UnboundedReceiver<Write>) {
    let mut queue: VecDeque<Write> = VecDeque::new();
    let mut backoff = Duration::from_millis(200);
    let mut open = true;
    loop {
        while let Ok(row) = rows.try_recv() {
            queue.push_back(row);
        }
        if queue.len() > AUDIT_QUEUE {
            let dropped = queue.len() - AUDIT_QUEUE;
            queue.drain(..dropped);
            tracing::error!("audit: the database has been away too long; {dropped} oldest row(s) dropped");
        }
        let Some(write) = queue.front().cloned() else {
            if !open {
                return;
            }
            match rows.recv().await {
                Some(row) => queue.push_back(row),
                None => open = false,
            }
            continue;
        };
        let result = match write {
            Write::Done => {
                // Rows queued behind it come from a console still open in a browser: the room has stopped.
                open = false;
                queue.retain(|w| !matches!(w, Write::Done));
                rows.close();
                continue;
            }
            Write::Audit(record) => sink.append(record).await,
            Write::State { key, row } => sink.pg.put_state(&sink.room, key, &row).await.map_err(|e| e.to_string()),
            Write::Moderation(change) => sink.pg.put_moderation(&sink.room, &change).await.map_err(|e| e.to_string()),
        };
        match result {
            Ok(()) => {
                queue.pop_front();
                backoff = Duration::from_millis(200);
            }
            Err(e) => {
                tracing::warn!(queued = queue.len(), "audit: {e}; the rows wait and are written when it is back");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
        }
    }
}
