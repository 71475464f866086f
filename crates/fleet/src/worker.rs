//! A worker: takes rooms up to its limit, keeps their leases, and stops a room the moment its lease is in doubt.

use crate::lease::{Lease, Leases};
use crate::pg::{Pg, RoomRecord};
use crate::room::{self, Planner, RoomContext};
use crate::room_console::RoomConsoles;
use crate::{FleetError, RoomId, bus};
use async_nats::jetstream;
use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub nats_url: String,
    pub postgres_url: String,
    /// The worker's name in leases and logs (host name and process id by default).
    pub name: String,
    pub max_rooms: usize,
    /// How long a lease lasts without renewal; the worker renews every third of it. A dead worker's rooms are
    /// free again this long after its last renewal.
    pub lease_ttl: Duration,
    /// Take only rooms whose id starts with this (a worker per region or customer; the benchmark's own rooms).
    pub only_prefix: Option<String>,
    /// Serve each room's own console (see [`crate::room_console`]); `None` runs the rooms without one.
    pub console: Option<ConsoleServe>,
    /// How long the audit is kept (see [`crate::retention`]); `None` leaves it to another worker or the operator.
    pub audit_retain_days: Option<u32>,
}

/// Where a worker serves its rooms' consoles.
#[derive(Clone, Debug)]
pub struct ConsoleServe {
    pub bind: std::net::SocketAddr,
    /// How the fleet console reaches this address (`http://10.0.0.5:7601`); by default `http://` and the bound
    /// address, which only works when that is reachable as it stands.
    pub url: Option<String>,
    /// The fleet token: every room's shared console token.
    pub token: String,
}

/// A room this worker runs.
struct Held {
    lease: Lease,
    renewed: Instant,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

/// What the worker's rooms are doing, for its log and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    pub rooms: Vec<RoomId>,
}

/// Runs the worker until `stop` is cancelled; then stops its rooms and gives their leases back.
pub async fn run(
    config: WorkerConfig,
    planner: Planner,
    holding: Option<tokio::sync::watch::Sender<Holding>>,
    stop: CancellationToken,
) -> Result<(), FleetError> {
    let client = async_nats::ConnectOptions::new()
        .name(format!("shopcast worker {}", config.name))
        .retry_on_initial_connect()
        .connect(&config.nats_url)
        .await
        .map_err(|e| FleetError::nats(format!("{}: {e}", config.nats_url)))?;
    let js = jetstream::new(client);
    // A worker starts while NATS or PostgreSQL are still coming up, and waits for them.
    let pg = Pg::lazy(&config.postgres_url)?;
    let mut wait = Duration::from_millis(250);
    let mut leases = loop {
        match open_bus(&js, &config).await {
            Ok(leases) => break leases,
            Err(e) => tracing::warn!("NATS JetStream (streams and the lease bucket): {e}; trying again in {wait:?}"),
        }
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(wait) => {}
        }
        wait = (wait * 2).min(Duration::from_secs(5));
    };
    let consoles = match &config.console {
        Some(serve) => Some(serve_consoles(serve, &stop).await?),
        None => None,
    };
    let ctx = RoomContext { js, pg: pg.clone(), worker: config.name.clone(), consoles };
    if let Some(days) = config.audit_retain_days {
        tokio::spawn(keep_audit_for(pg.clone(), days, stop.clone()));
    }
    let mut held: HashMap<RoomId, Held> = HashMap::new();
    let mut known: Vec<RoomRecord> = Vec::new();
    let mut refused: HashMap<RoomId, String> = HashMap::new();
    if leases.ttl() != config.lease_ttl {
        tracing::warn!(
            "the lease bucket was made with leases of {:?}; this worker renews on that, not on {:?}",
            leases.ttl(),
            config.lease_ttl
        );
    }
    let mut tick = tokio::time::interval(leases.ttl() / 3);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tracing::info!(worker = %config.name, max_rooms = config.max_rooms, "fleet worker started");
    loop {
        tokio::select! {
            _ = stop.cancelled() => break,
            _ = tick.tick() => {}
        }
        let mut troubled = renew(&leases, &mut held).await;
        match pg.rooms().await {
            Ok(rooms) => known = rooms,
            Err(e) => tracing::warn!("fleet: cannot read the rooms ({e}); going on with the last list"),
        }
        let wanted: HashSet<&RoomId> = known.iter().filter(|r| !r.stopped).map(|r| &r.id).collect();
        let gone: Vec<RoomId> = held.keys().filter(|id| !wanted.contains(id)).cloned().collect();
        for id in gone {
            if let Some(room) = held.remove(&id) {
                tracing::info!(room = %id, "room removed or stopped; giving it up");
                give_up(&leases, room).await;
            }
        }
        let before = held.len();
        troubled |= take(&config, &planner, &ctx, &leases, &known, &mut held, &mut refused).await;
        if held.len() - before >= TAKE_PER_TICK {
            // More rooms may be waiting: look again soon rather than a whole tick later (workers starting together
            // still take turns).
            tick.reset_after(TAKE_AGAIN);
        }
        if troubled {
            // NATS may have come back without its store: make the streams and the bucket again if need be.
            if let Ok(reopened) = open_bus(&ctx.js, &config).await {
                leases = reopened;
            }
        }
        if let Some(holding) = &holding {
            let mut rooms: Vec<RoomId> = held.keys().cloned().collect();
            rooms.sort();
            holding.send_if_modified(|h| {
                let changed = h.rooms != rooms;
                h.rooms = rooms;
                changed
            });
        }
    }
    for (_, room) in held.drain() {
        give_up(&leases, room).await;
    }
    tracing::info!(worker = %config.name, "fleet worker stopped");
    Ok(())
}

/// Renews every lease; a room whose lease was lost, or could not be renewed for a whole lease period (so another
/// worker may hold it now), stops at once: better a moment of silence than two hosts in one room.
/// True when NATS answered with an error (not a lost lease).
async fn renew(leases: &Leases, held: &mut HashMap<RoomId, Held>) -> bool {
    let mut lost = Vec::new();
    let mut troubled = false;
    for (id, room) in held.iter_mut() {
        if room.task.is_finished() {
            lost.push(id.clone());
            continue;
        }
        match leases.renew(&mut room.lease).await {
            Ok(true) => room.renewed = Instant::now(),
            Ok(false) => {
                tracing::warn!(room = %id, "lease lost to another worker; stopping the room");
                lost.push(id.clone());
            }
            Err(e) if room.renewed.elapsed() >= leases.ttl() => {
                tracing::warn!(room = %id, "lease not renewed for a whole period ({e}); stopping the room");
                lost.push(id.clone());
                troubled = true;
            }
            Err(e) => {
                tracing::warn!(room = %id, "lease not renewed ({e}); trying again");
                troubled = true;
            }
        }
    }
    for id in lost {
        if let Some(room) = held.remove(&id) {
            room.stop.cancel();
            let _ = tokio::time::timeout(Duration::from_secs(15), room.task).await;
        }
    }
    troubled
}

async fn give_up(leases: &Leases, room: Held) {
    room.stop.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(15), room.task).await;
    if let Err(e) = leases.release(room.lease).await {
        tracing::warn!("lease not released ({e}); it expires by itself");
    }
}

/// The most rooms a worker takes in one tick, so that workers starting together share the rooms out.
const TAKE_PER_TICK: usize = 2;
/// How soon a worker that took its fill looks for more.
const TAKE_AGAIN: Duration = Duration::from_millis(300);

async fn take(
    config: &WorkerConfig,
    planner: &Planner,
    ctx: &RoomContext,
    leases: &Leases,
    known: &[RoomRecord],
    held: &mut HashMap<RoomId, Held>,
    refused: &mut HashMap<RoomId, String>,
) -> bool {
    if held.len() >= config.max_rooms || known.is_empty() {
        return false;
    }
    // Each worker starts looking at a different room, so they do not all race for the first one.
    let offset = config.name.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % known.len();
    let mut taken = 0;
    for record in known.iter().cycle().skip(offset).take(known.len()) {
        if held.len() >= config.max_rooms || taken >= TAKE_PER_TICK {
            break;
        }
        if record.stopped || held.contains_key(&record.id) {
            continue;
        }
        if let Some(prefix) = &config.only_prefix
            && !record.id.as_str().starts_with(prefix.as_str())
        {
            continue;
        }
        let plan = match planner(record) {
            Ok(plan) => plan,
            Err(why) => {
                // Said once per version of the room's files, not every tick.
                if refused.get(&record.id) != Some(&why) {
                    tracing::error!(room = %record.id, "room not started: {why}");
                    refused.insert(record.id.clone(), why);
                }
                continue;
            }
        };
        refused.remove(&record.id);
        match leases.try_acquire(&record.id).await {
            Ok(Some(lease)) => {
                let stop = CancellationToken::new();
                let task = tokio::spawn(room::run(ctx.clone(), record.clone(), plan, lease.epoch, stop.clone()));
                held.insert(record.id.clone(), Held { lease, renewed: Instant::now(), stop, task });
                taken += 1;
            }
            Ok(None) => {}
            Err(e) => {
                tracing::warn!(room = %record.id, "cannot take the room's lease: {e}");
                return true;
            }
        }
    }
    false
}

/// Drops the audit's months past `days`, a minute after the start and then once a day, until `stop`.
async fn keep_audit_for(pg: std::sync::Arc<Pg>, days: u32, stop: CancellationToken) {
    let mut wait = Duration::from_secs(60);
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(wait) => {}
        }
        wait = Duration::from_secs(24 * 3600);
        match pg.drop_old_audit(days, backstage::clock::wall_now()).await {
            Ok(dropped) if dropped.is_empty() => {}
            Ok(dropped) => tracing::info!("audit retention: dropped {}", dropped.join(", ")),
            Err(e) => tracing::warn!("audit retention: {e}"),
        }
    }
}

/// Binds the rooms' console address and serves it until `stop`.
async fn serve_consoles(serve: &ConsoleServe, stop: &CancellationToken) -> Result<RoomConsoles, FleetError> {
    let listener = tokio::net::TcpListener::bind(serve.bind)
        .await
        .map_err(|e| FleetError::Other(format!("the rooms' consoles cannot listen on {}: {e}", serve.bind)))?;
    let bound = listener.local_addr().map_err(|e| FleetError::Other(e.to_string()))?;
    let url = serve.url.clone().unwrap_or_else(|| format!("http://{bound}"));
    let consoles = RoomConsoles::new(&serve.token, &url).map_err(FleetError::Other)?;
    tracing::info!(%bound, %url, "the rooms' consoles are served here");
    let serving = consoles.clone();
    let stop = stop.clone();
    tokio::spawn(async move {
        if let Err(e) = serving.serve(listener, stop).await {
            tracing::error!("the rooms' consoles stopped: {e}");
        }
    });
    Ok(consoles)
}

/// The streams and the lease bucket, made if they are missing (NATS may have come back without its store).
async fn open_bus(js: &jetstream::Context, config: &WorkerConfig) -> Result<Leases, FleetError> {
    bus::ensure_streams(js).await?;
    Leases::open(js, &config.name, config.lease_ttl).await
}

/// The worker's default name: the host's and the process id.
pub fn default_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let host = if host.is_empty() { "worker".to_string() } else { host };
    format!("{host}-{}", std::process::id())
}
