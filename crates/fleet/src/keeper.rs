//! What a room's console keeps, in PostgreSQL: the fleet's named accounts (each scoped to rooms) and each room's
//! standing moderation (modes per intent, bans and time-outs, viewers who asked to be forgotten).
//!
//! A room's console is the single-machine console (same page, same API) with a [`RoomKeeper`] as its store:
//! - accounts are read from PostgreSQL on every login and request, so an account added, removed or re-scoped with
//!   `shopcast fleet account` applies at once on every worker; an account not scoped to the room does not exist
//!   there;
//! - moderation changes and the audit rows of moderators' actions go through the room's one ordered writer, with
//!   its audit rows (one chain per room, one writer), and wait in its queue while the database is away;
//! - the next holder of the room starts with the modes and bans in force ([`Pg::standing`]).

use crate::pg::Pg;
use crate::room::Write;
use crate::{FleetError, RoomId};
use backstage::console::accounts::{self, Account, Role};
use backstage::console::keeper::Kept;
use backstage::console::{ConsoleAction, ConsoleStore, Standing};
use backstage::store::chain::Record;
use backstage::store::{BlockedViewer, EscalationStep};
use model::{ConsoleEvent, Intent, ModerationMode, UnixMs};
use std::sync::Arc;
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
                Moderation::Forget { user_id, at } => {
                    client
                        .execute(
                            "INSERT INTO room_forgotten_viewers (room, user_id, since_ms) VALUES ($1, $2, $3)
                             ON CONFLICT (room, user_id) DO NOTHING",
                            &[&room, user_id, &at.0],
                        )
                        .await?
                }
            };
            Ok(())
        })
        .await
    }
}

/// One standing moderation change of a room, as its writer keeps it.
#[derive(Clone, Debug)]
pub(crate) enum Moderation {
    Mode { intent: Intent, mode: ModerationMode, at: UnixMs },
    Block(BlockedViewer),
    Unblock { user_id: String },
    Forget { user_id: String, at: UnixMs },
}

/// A room's console store (see the module's documentation).
pub struct RoomKeeper {
    pg: Arc<Pg>,
    room: RoomId,
    /// Read before the console starts (its constructor cannot wait on the database).
    standing: Standing,
    writes: mpsc::UnboundedSender<Write>,
}

impl RoomKeeper {
    pub(crate) fn new(pg: Arc<Pg>, room: RoomId, standing: Standing, writes: mpsc::UnboundedSender<Write>) -> Self {
        RoomKeeper { pg, room, standing, writes }
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
        let change = Moderation::Forget { user_id: user_id.to_string(), at: backstage::clock::wall_now() };
        Box::pin(async move { self.queue(Write::Moderation(change)) })
    }

    fn set_moderation_mode(&self, intent: Intent, mode: ModerationMode, now: UnixMs) -> Kept<'_, ()> {
        Box::pin(async move { self.queue(Write::Moderation(Moderation::Mode { intent, mode, at: now })) })
    }
}
