//! What a room's console keeps, in PostgreSQL: the fleet's named accounts (each scoped to rooms), each room's
//! standing moderation (modes per intent, bans and time-outs) and its viewer memory (who came back, and who asked
//! to be forgotten).
//!
//! A room's console is the single-machine console (same page, same API) with a [`RoomKeeper`] as its store:
//! - accounts are read from PostgreSQL on every login and request, so an account added, removed or re-scoped with
//!   `shopcast fleet account` applies at once on every worker; an account not scoped to the room does not exist
//!   there;
//! - moderation changes and the audit rows of moderators' actions go through the room's one ordered writer, with
//!   its audit rows (one chain per room, one writer), and wait in its queue while the database is away;
//! - the next holder of the room starts with the modes and bans in force ([`Pg::standing`]) and the viewers it
//!   remembers ([`Pg::viewers`]): the room's gate marks returning viewers from memory, as the single-machine
//!   show's does, and their visits follow through the writer.

use crate::pg::Pg;
use crate::room::Write;
use crate::{FleetError, RoomId};
use backstage::console::accounts::{self, Account, Role};
use backstage::console::keeper::Kept;
use backstage::console::{ConsoleAction, ConsoleStore, Standing};
use backstage::store::chain::Record;
use backstage::store::{BlockedViewer, EscalationStep, ViewerMemory, Viewers};
use model::{ConsoleEvent, Intent, ModerationMode, UnixMs};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// A fleet account as `shopcast fleet account list` shows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FleetAccount {
    pub name: String,
    pub role: Role,
    /// The rooms it may use; `None` for every room.
    pub rooms: Option<Vec<RoomId>>,
    pub created_ms: i64,
}

fn intent_text(intent: Intent) -> String {
    match serde_json::to_value(intent) {
        Ok(serde_json::Value::String(code)) => code,
        _ => "other".to_string(),
    }
}

fn intent_of(text: &str) -> Option<Intent> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).ok()
}

impl Pg {
    /// Adds an account, or with `replace` gives an existing one a new role, password and rooms. False when the
    /// account exists (add) or does not (replace).
    pub async fn put_account(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        rooms: Option<&[RoomId]>,
        replace: bool,
    ) -> Result<bool, FleetError> {
        let rooms: Option<Vec<&str>> = rooms.map(|r| r.iter().map(RoomId::as_str).collect());
        let now = backstage::clock::wall_now().0;
        let n = self
            .with(async |client| {
                let sql = if replace {
                    "UPDATE accounts SET role = $2, password_hash = $3, rooms = $4 WHERE name = $1"
                } else {
                    "INSERT INTO accounts (name, role, password_hash, rooms, created_ms) VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (name) DO NOTHING"
                };
                if replace {
                    client.execute(sql, &[&name, &role.as_str(), &password_hash, &rooms]).await
                } else {
                    client.execute(sql, &[&name, &role.as_str(), &password_hash, &rooms, &now]).await
                }
            })
            .await?;
        Ok(n > 0)
    }

    pub async fn remove_account(&self, name: &str) -> Result<bool, FleetError> {
        let n =
            self.with(async |client| client.execute("DELETE FROM accounts WHERE name = $1", &[&name]).await).await?;
        Ok(n > 0)
    }

    pub async fn accounts(&self) -> Result<Vec<FleetAccount>, FleetError> {
        let rows = self
            .with(async |client| {
                client.query("SELECT name, role, rooms, created_ms FROM accounts ORDER BY name", &[]).await
            })
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                let rooms: Option<Vec<String>> = r.get(2);
                Some(FleetAccount {
                    name: r.get(0),
                    role: Role::parse(r.get(1))?,
                    rooms: rooms.map(|rooms| rooms.iter().filter_map(|room| RoomId::parse(room).ok()).collect()),
                    created_ms: r.get(3),
                })
            })
            .collect())
    }

    /// The account `name` as `room`'s console sees it: `None` when there is none or it is not scoped to `room`.
    pub async fn account_for(&self, name: &str, room: &RoomId) -> Result<Option<Account>, FleetError> {
        let row = self
            .with(async |client| {
                client
                    .query_opt(
                        "SELECT name, role, password_hash, created_ms FROM accounts
                         WHERE name = $1 AND (rooms IS NULL OR $2 = ANY(rooms))",
                        &[&name, &room.as_str()],
                    )
                    .await
            })
            .await?;
        Ok(row.and_then(|r| {
            Some(Account {
                name: r.get(0),
                role: Role::parse(r.get(1))?,
                password_hash: r.get(2),
                created_ms: r.get(3),
            })
        }))
    }

    /// The modes and the bans and time-outs in force in `room` (time-outs that ended are left out).
    pub async fn standing(&self, room: &RoomId, now: UnixMs) -> Result<Standing, FleetError> {
        let (modes, blocked) = self
            .with(async |client| {
                let modes = client
                    .query("SELECT intent, mode FROM room_moderation_modes WHERE room = $1", &[&room.as_str()])
                    .await?;
                let blocked = client
                    .query(
                        "SELECT user_id, user_name, since_ms, until_ms FROM room_blocked_viewers
                         WHERE room = $1 AND (until_ms IS NULL OR until_ms > $2) ORDER BY since_ms",
                        &[&room.as_str(), &now.0],
                    )
                    .await?;
                Ok((modes, blocked))
            })
            .await?;
        let modes =
            modes.iter().filter_map(|r| Some((intent_of(r.get(0))?, ModerationMode::parse(r.get(1))?))).collect();
        let blocked = blocked
            .iter()
            .map(|r| BlockedViewer {
                user_id: r.get(0),
                user_name: r.get(1),
                since: UnixMs(r.get(2)),
                until: r.get::<_, Option<i64>>(3).map(UnixMs),
            })
            .collect();
        Ok(Standing { modes, blocked })
    }

    /// Writes one moderation change of `room` (see [`Moderation`]).
    pub(crate) async fn put_moderation(&self, room: &RoomId, change: &Moderation) -> Result<(), FleetError> {
        let room = room.as_str();
        self.with(async |client| {
            match change {
                Moderation::Mode { intent, mode, at } => {
                    client
                        .execute(
                            "INSERT INTO room_moderation_modes (room, intent, mode, changed_ms) VALUES ($1, $2, $3, $4)
                             ON CONFLICT (room, intent) DO UPDATE SET mode = excluded.mode,
                                 changed_ms = excluded.changed_ms",
                            &[&room, &intent_text(*intent), &mode.as_str(), &at.0],
                        )
                        .await?
                }
                Moderation::Block(viewer) => {
                    client
                        .execute(
                            "INSERT INTO room_blocked_viewers (room, user_id, user_name, since_ms, until_ms)
                             VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (room, user_id) DO UPDATE SET user_name = excluded.user_name,
                                 since_ms = excluded.since_ms, until_ms = excluded.until_ms",
                            &[&room, &viewer.user_id, &viewer.user_name, &viewer.since.0, &viewer.until.map(|u| u.0)],
                        )
                        .await?
                }
                Moderation::Unblock { user_id } => {
                    client
                        .execute("DELETE FROM room_blocked_viewers WHERE room = $1 AND user_id = $2", &[&room, user_id])
                        .await?
                }
                Moderation::Forget { user_id } => {
                    // Only the refusal is kept: the name and the visits go.
                    client
                        .execute(
                            "INSERT INTO room_viewers (room, user_id, name, first_seen_ms, last_seen_ms, visits,
                                 opted_out) VALUES ($1, $2, NULL, NULL, NULL, 0, true)
                             ON CONFLICT (room, user_id) DO UPDATE SET name = NULL, first_seen_ms = NULL,
                                 last_seen_ms = NULL, visits = 0, opted_out = true",
                            &[&room, user_id],
                        )
                        .await?
                }
                Moderation::Visit(viewer) => {
                    // A viewer who opted out meanwhile (on another holder) stays forgotten.
                    client
                        .execute(
                            "INSERT INTO room_viewers (room, user_id, name, first_seen_ms, last_seen_ms, visits)
                             VALUES ($1, $2, $3, $4, $5, $6)
                             ON CONFLICT (room, user_id) DO UPDATE SET name = excluded.name,
                                 first_seen_ms = COALESCE(room_viewers.first_seen_ms, excluded.first_seen_ms),
                                 last_seen_ms = excluded.last_seen_ms,
                                 visits = GREATEST(room_viewers.visits, excluded.visits)
                             WHERE NOT room_viewers.opted_out",
                            &[
                                &room,
                                &viewer.user_id,
                                &viewer.name,
                                &viewer.first_seen.map(|t| t.0),
                                &viewer.last_seen.map(|t| t.0),
                                &(viewer.visits.min(i32::MAX as u32) as i32),
                            ],
                        )
                        .await?
                }
            };
            Ok(())
        })
        .await
    }
}

/// One standing change of a room's moderation or viewer memory, as its writer keeps it.
#[derive(Clone, Debug)]
pub(crate) enum Moderation {
    Mode {
        intent: Intent,
        mode: ModerationMode,
        at: UnixMs,
    },
    Block(BlockedViewer),
    Unblock {
        user_id: String,
    },
    /// A viewer's "don't remember me".
    Forget {
        user_id: String,
    },
    /// A viewer's row as the room's memory holds it after a comment.
    Visit(ViewerMemory),
}

/// How long a viewer's memory lasts without a visit (personal data; the single-machine show's period).
const VIEWER_MEMORY_MS: i64 = backstage::store::VIEWER_MEMORY_DAYS * 86_400_000;
/// Within a visit, a viewer's last comment is written at most this often (the first comment of a visit always is):
/// enough for the next holder to tell a visit going on from a new one.
const LAST_SEEN_EVERY_MS: i64 = 30 * 60 * 1000;

impl Pg {
    /// The viewers `room` remembers (forgetting, first, those not seen for [`VIEWER_MEMORY_MS`]; those who opted
    /// out are kept, as refusals).
    pub async fn viewers(&self, room: &RoomId, now: UnixMs) -> Result<Vec<ViewerMemory>, FleetError> {
        let cutoff = now.0 - VIEWER_MEMORY_MS;
        let rows = self
            .with(async |client| {
                client
                    .execute(
                        "DELETE FROM room_viewers WHERE room = $1 AND NOT opted_out AND last_seen_ms < $2",
                        &[&room.as_str(), &cutoff],
                    )
                    .await?;
                client
                    .query(
                        "SELECT user_id, name, first_seen_ms, last_seen_ms, visits, opted_out FROM room_viewers
                         WHERE room = $1",
                        &[&room.as_str()],
                    )
                    .await
            })
            .await?;
        Ok(rows
            .iter()
            .map(|r| ViewerMemory {
                user_id: r.get(0),
                name: r.get(1),
                first_seen: r.get::<_, Option<i64>>(2).map(UnixMs),
                last_seen: r.get::<_, Option<i64>>(3).map(UnixMs),
                visits: r.get::<_, i32>(4).max(0) as u32,
                opted_out: r.get(5),
            })
            .collect())
    }
}

/// A room's memory of its viewers: answered from memory on the director's path, written behind.
pub(crate) struct RoomViewers {
    viewers: Viewers,
    /// When each viewer's last comment was last written.
    written: std::collections::HashMap<String, i64>,
}

impl RoomViewers {
    pub(crate) fn new(rows: Vec<ViewerMemory>) -> RoomViewers {
        let written = rows.iter().filter_map(|v| Some((v.user_id.clone(), v.last_seen?.0))).collect();
        RoomViewers { viewers: Viewers::new(rows), written }
    }

    /// Whether `user_id` comes back after a while (and is not to be forgotten); the change to write, if any.
    pub(crate) fn visit(&mut self, user_id: &str, name: &str, now: UnixMs) -> (bool, Option<Moderation>) {
        let visit = self.viewers.visit(user_id, name, now);
        let returning = matches!(visit, backstage::store::Visit::Returning { .. });
        let write = match visit {
            backstage::store::Visit::OptedOut => false,
            backstage::store::Visit::First | backstage::store::Visit::Returning { .. } => true,
            backstage::store::Visit::SameVisit => {
                self.written.get(user_id).is_none_or(|&at| now.0 - at >= LAST_SEEN_EVERY_MS)
            }
        };
        if !write {
            return (returning, None);
        }
        self.written.insert(user_id.to_string(), now.0);
        (returning, self.viewers.get(user_id).cloned().map(Moderation::Visit))
    }

    fn forget(&mut self, user_id: &str) {
        self.viewers.set_opt_out(user_id, true);
        self.written.remove(user_id);
    }
}

/// Shared by the room's gate (visits) and its console (forget).
pub(crate) type SharedViewers = Arc<Mutex<RoomViewers>>;

/// A room's console store (see the module's documentation).
pub struct RoomKeeper {
    pg: Arc<Pg>,
    room: RoomId,
    /// Read before the console starts (its constructor cannot wait on the database).
    standing: Standing,
    viewers: SharedViewers,
    writes: mpsc::UnboundedSender<Write>,
}

impl RoomKeeper {
    pub(crate) fn new(
        pg: Arc<Pg>,
        room: RoomId,
        standing: Standing,
        viewers: SharedViewers,
        writes: mpsc::UnboundedSender<Write>,
    ) -> Self {
        RoomKeeper { pg, room, standing, viewers, writes }
    }

    /// Queues `write` behind the room's audit rows; an error only once the room is stopping.
    fn queue(&self, write: Write) -> Result<(), String> {
        self.writes.send(write).map_err(|_| "the room is stopping; nothing more is written".to_string())
    }

    fn event(&self, kind: &str, row: String, now: UnixMs) -> Result<(), String> {
        self.queue(Write::Audit(Record::Event { wall_ms: now.0, kind: kind.to_string(), row }))
    }

    fn note(&self, note: &ConsoleEvent, now: UnixMs) -> Result<(), String> {
        match Record::of(note, now, None) {
            Ok(Some(record)) => self.queue(Write::Audit(record)),
            Ok(None) => Ok(()),
            Err(e) => Err(e.to_string()),
        }
    }
}

impl ConsoleStore for RoomKeeper {
    fn standing(&self, _now: UnixMs) -> Result<Standing, String> {
        Ok(self.standing.clone())
    }

    fn account<'a>(&'a self, name: &'a str) -> Kept<'a, Option<Account>> {
        Box::pin(async move {
            let Ok(name) = accounts::check_name(name) else { return Ok(None) };
            self.pg.account_for(&name, &self.room).await.map_err(|e| e.to_string())
        })
    }

    fn record<'a>(&'a self, note: &'a ConsoleEvent, now: UnixMs) -> Kept<'a, ()> {
        Box::pin(async move { self.note(note, now) })
    }

    fn record_console_action(&self, action: ConsoleAction, now: UnixMs) -> Kept<'_, ()> {
        Box::pin(async move {
            let row = serde_json::to_string(&action).map_err(|e| e.to_string())?;
            self.event("console_action", row, now)
        })
    }

    fn record_escalation_step<'a>(&'a self, note: &'a ConsoleEvent, step: EscalationStep, now: UnixMs) -> Kept<'a, ()> {
        Box::pin(async move {
            self.note(note, now)?;
            let row = serde_json::to_string(&step).map_err(|e| e.to_string())?;
            self.event("escalation_step", row, now)
        })
    }

    fn block_viewer<'a>(
        &'a self,
        user_id: &'a str,
        user_name: &'a str,
        until: Option<UnixMs>,
        now: UnixMs,
    ) -> Kept<'a, ()> {
        let viewer =
            BlockedViewer { user_id: user_id.to_string(), user_name: user_name.to_string(), since: now, until };
        Box::pin(async move { self.queue(Write::Moderation(Moderation::Block(viewer))) })
    }

    fn unblock_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, bool> {
        // The console's own list (read from the database when the room started) says whether there was one.
        let change = Moderation::Unblock { user_id: user_id.to_string() };
        Box::pin(async move { self.queue(Write::Moderation(change)).map(|()| false) })
    }

    fn forget_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, ()> {
        if let Ok(mut viewers) = self.viewers.lock() {
            viewers.forget(user_id);
        }
        let change = Moderation::Forget { user_id: user_id.to_string() };
        Box::pin(async move { self.queue(Write::Moderation(change)) })
    }

    fn set_moderation_mode(&self, intent: Intent, mode: ModerationMode, now: UnixMs) -> Kept<'_, ()> {
        Box::pin(async move { self.queue(Write::Moderation(Moderation::Mode { intent, mode, at: now })) })
    }
}
