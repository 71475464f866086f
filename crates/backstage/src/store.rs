//! The audit log: every line the host said, when, why and from where, in SQLite (WAL), kept for the retention
//! period (three years by default, the record-keeping rule for Chinese live commerce) and no longer.
//!
//! The show never waits on the store: lines reach it through the console broadcast, and a write failure is logged
//! and retried with the next line rather than stopping the show.
//!
//! The same file keeps the moderators' standing decisions (modes per intent, bans and time-outs), which a
//! restarted show replays through [`Store::restore_moderation`], and the memory of returning viewers.
//!
//! A live show opens the file once: [`StoreHandle::spawn`] gives the connection to one thread of its own (the
//! store actor), and everything else (the audit writer, the console, the viewer gate) sends it work.

mod accounts;
mod actor;
pub mod audit;
mod care_report;
pub mod chain;
pub mod chat_minutes;
mod export;
pub mod report;
mod viewers;
pub use viewers::Viewers;

pub use actor::{StoreHandle, StoreThread};
pub use care_report::{CareCount, CareReport, EscalationStep, escalation_key};
pub use export::{AuditRow, ShowSpan};

/// Where the audit's rows go, row by row with their hash-chain link: the single machine's SQLite file (through its
/// actor, [`StoreHandle`]) or, in a fleet, PostgreSQL (the `fleet` crate). Both keep the columns and links of
/// [`chain::Record`].
pub trait AuditSink: Send + Sync {
    /// Appends one row and its link, together or not at all; the error says why, for the log.
    fn append(&self, record: chain::Record) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

impl AuditSink for StoreHandle {
    async fn append(&self, record: chain::Record) -> Result<(), String> {
        self.call(move |store| store.append(record.as_row()).map(|_| ())).await.map_err(|e| e.to_string())
    }
}

use director::{Input, ResumePoint};
use model::{AiredLine, ConsoleEvent, Intent, LineKind, ModerationMode, UnixMs};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// Three years, the default retention and the shortest allowed: China's E-Commerce Law (art. 31: product and
/// transaction information, at least three years) and the live-commerce rules built on it (直播电商监督管理办法,
/// SAMR and CAC, 2025: live-stream and transaction records, at least three years).
pub const DEFAULT_RETENTION_DAYS: u32 = 3 * 365;
/// The shortest retention `[audit] retain` accepts (see [`DEFAULT_RETENTION_DAYS`]).
pub const MIN_RETENTION_DAYS: u32 = DEFAULT_RETENTION_DAYS;

/// Reads a retention period like `3y`, `5y`, `1200d` or `3y30d` (years of 365 days) into days; `None` when it is
/// not one, or is more than a thousand years.
pub fn parse_retention_days(text: &str) -> Option<u32> {
    let text = text.trim();
    let mut rest = text;
    let mut days: u32 = 0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 || digits > 6 {
            return None;
        }
        let n: u32 = rest[..digits].parse().ok()?;
        let unit = rest[digits..].chars().next()?;
        let per = match unit {
            'y' => 365,
            'd' => 1,
            _ => return None,
        };
        days = days.checked_add(n.checked_mul(per)?)?;
        rest = &rest[digits + 1..];
    }
    (days <= 1000 * 365).then_some(days)
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the audit log {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("cannot create the folder for the audit log {path}: {source}")]
    Folder { path: PathBuf, source: std::io::Error },
    #[error("audit log: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("audit log row could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("the audit log's thread could not start: {0}")]
    Thread(std::io::Error),
    /// The store's thread has ended (the show is shutting down) or dropped the request.
    #[error("the audit log is closed")]
    Stopped,
    /// The store's queue is full (a slow or locked disk); a request that must not wait was refused.
    #[error("the audit log is behind on a slow disk; try again")]
    Behind,
    /// A row the store wrote itself no longer reads back (edited by hand, or by a newer shopcast).
    #[error("audit log: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// A busy or locked database may succeed on the next write; anything else will not.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Behind)
            || matches!(self, StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
    }
}

/// One line as the audit log keeps it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoggedLine {
    /// When it started, RFC 3339 in UTC.
    pub time: String,
    #[serde(flatten)]
    pub line: AiredLine,
}

pub struct Store {
    conn: Connection,
    retention_days: u32,
    /// Aired lines the show wrote ahead of airing them ([`Store::record_line_ahead`]), by line id and start: the
    /// copy that follows on the broadcast is not written again. Bounded: a copy that never comes is forgotten.
    written_ahead: std::cell::RefCell<std::collections::VecDeque<(u64, i64)>>,
}

/// How many written-ahead lines are remembered while their broadcast copy is on its way.
const WRITTEN_AHEAD_KEPT: usize = 256;

/// Where the audit log lives when nothing says otherwise: `$XDG_DATA_HOME/shopcast/audit.db` or
/// `~/.local/share/shopcast/audit.db`, outside any repository.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let base = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("shopcast").join("audit.db")
}

/// The audit log's path: `flag` (a command's `--store`), else `SHOPCAST_STORE`, else [`default_path`].
pub fn path(flag: Option<PathBuf>, env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    flag.or_else(|| env("SHOPCAST_STORE").map(PathBuf::from)).unwrap_or_else(|| default_path(env))
}

impl Store {
    pub fn open(path: &Path, retention_days: u32) -> Result<Store, StoreError> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder { path: folder.into(), source })?;
        }
        let conn = Connection::open(path).map_err(|source| StoreError::Open { path: path.into(), source })?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        // An audit log from before the hash chain has rows and no chain: they are sealed into it once, now.
        let chained: bool = conn.query_row(
            "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'chain'",
            [],
            |r| r.get(0),
        )?;
        conn.execute_batch(chain::SCHEMA)?;
        conn.execute_batch(accounts::SCHEMA)?;
        let columns: Vec<String> = conn
            .prepare("SELECT name FROM pragma_table_info('lines')")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        if !columns.is_empty() && !columns.iter().any(|c| c == "provenance") {
            // A log from before provenance: its lines keep NULL there.
            conn.execute_batch("ALTER TABLE lines ADD COLUMN provenance TEXT")?;
        }
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS lines (
                 id INTEGER PRIMARY KEY,
                 wall_ms INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 product TEXT,
                 source TEXT NOT NULL,
                 text TEXT NOT NULL,
                 row TEXT NOT NULL,
                 provenance TEXT
             );
             CREATE INDEX IF NOT EXISTS lines_by_time ON lines (wall_ms);
             CREATE TABLE IF NOT EXISTS events (
                 id INTEGER PRIMARY KEY,
                 wall_ms INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 row TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS events_by_time ON events (wall_ms);
             CREATE TABLE IF NOT EXISTS moderation_modes (
                 intent TEXT PRIMARY KEY,
                 mode TEXT NOT NULL,
                 changed_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS standing_overrides (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 row TEXT NOT NULL,
                 changed_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS standing_held (
                 id INTEGER PRIMARY KEY CHECK (id = 1),
                 row TEXT NOT NULL,
                 changed_ms INTEGER NOT NULL
             );
             CREATE TABLE IF NOT EXISTS blocked_viewers (
                 user_id TEXT PRIMARY KEY,
                 user_name TEXT NOT NULL,
                 since_ms INTEGER NOT NULL,
                 until_ms INTEGER
             );
             CREATE TABLE IF NOT EXISTS viewers (
                 user_id TEXT PRIMARY KEY,
                 name TEXT,
                 first_seen_ms INTEGER,
                 last_seen_ms INTEGER,
                 visits INTEGER NOT NULL DEFAULT 0,
                 opted_out INTEGER NOT NULL DEFAULT 0
             );",
        )?;
        let store = Store { conn, retention_days, written_ahead: Default::default() };
        if !chained {
            let sealed = store.seal_existing_rows()?;
            if sealed > 0 {
                tracing::info!(
                    "audit log {}: {sealed} row(s) from before the hash chain sealed into it",
                    path.display()
                );
            }
        }
        Ok(store)
    }

    /// Records what the audit needs to keep: aired lines, escalations, catalog loads, moderator decisions and
    /// health changes. Triage labels and dropped stale results are not audit material and are ignored.
    pub fn record(&self, event: &ConsoleEvent, now: UnixMs) -> Result<(), StoreError> {
        self.record_from(event, now, None)
    }

    /// [`Store::record`], with each aired line stamped with where it came from (see [`audit::LineProvenance`]).
    pub fn record_from(
        &self,
        event: &ConsoleEvent,
        now: UnixMs,
        show: Option<&audit::Provenance>,
    ) -> Result<(), StoreError> {
        if let ConsoleEvent::LineAired(line) = event {
            let key = (line.line.0, line.wall.0);
            let mut ahead = self.written_ahead.borrow_mut();
            if let Some(i) = ahead.iter().position(|k| *k == key) {
                // Written before it aired; this is its copy from the broadcast.
                ahead.remove(i);
                return Ok(());
            }
        }
        let record = chain::Record::of(event, now, show)?;
        if let Some(record) = &record {
            self.append(record.as_row())?;
        }
        match event {
            // Kept twice: in the audit log (who changed what, when) and as the standing state a restart puts back.
            ConsoleEvent::OverridesChanged(_) => {
                if let Some(chain::Record::Event { row, .. }) = record {
                    self.conn.execute(
                        "INSERT INTO standing_overrides (id, row, changed_ms) VALUES (1, ?1, ?2)
                         ON CONFLICT(id) DO UPDATE SET row = excluded.row, changed_ms = excluded.changed_ms",
                        params![row, now.0],
                    )?;
                }
            }
            // What a restart puts back.
            ConsoleEvent::HeldLinesChanged(lines) => {
                self.conn.execute(
                    "INSERT INTO standing_held (id, row, changed_ms) VALUES (1, ?1, ?2)
                     ON CONFLICT(id) DO UPDATE SET row = excluded.row, changed_ms = excluded.changed_ms",
                    params![serde_json::to_string(lines)?, now.0],
                )?;
            }
            _ => {}
        }
        Ok(())
    }

    /// An aired line, written before the stage plays it (see [`audit::WriteAhead`]): even a process killed the
    /// moment the line is heard leaves it in the log. Its copy from the console broadcast is then skipped.
    pub fn record_line_ahead(
        &self,
        line: &model::AiredLine,
        now: UnixMs,
        show: &audit::Provenance,
    ) -> Result<(), StoreError> {
        self.record_from(&ConsoleEvent::LineAired(line.clone()), now, Some(show))?;
        let mut ahead = self.written_ahead.borrow_mut();
        if ahead.len() >= WRITTEN_AHEAD_KEPT {
            ahead.pop_front();
        }
        ahead.push_back((line.line.0, line.wall.0));
        Ok(())
    }

    /// The start of a show: its provenance and the products it starts with (an event `show_started`).
    pub fn record_show_started(
        &self,
        show: &audit::Provenance,
        products: &[model::Product],
        now: UnixMs,
    ) -> Result<(), StoreError> {
        let row = serde_json::json!({ "provenance": show, "products": products });
        self.append_event(now.0, "show_started", &row.to_string())?;
        Ok(())
    }

    /// A product file that went live during the show: the products as they were from now on (an event
    /// `catalog`).
    pub fn record_catalog(&self, path: &str, products: &[model::Product], now: UnixMs) -> Result<(), StoreError> {
        let row = serde_json::json!({ "path": path, "products": products });
        self.append_event(now.0, "catalog", &row.to_string())?;
        Ok(())
    }

    /// Lines said at or after `since`, oldest first.
    pub fn lines_since(&self, since: UnixMs) -> Result<Vec<LoggedLine>, StoreError> {
        let mut statement = self.conn.prepare("SELECT row FROM lines WHERE wall_ms >= ?1 ORDER BY wall_ms, id")?;
        let rows = statement.query_map(params![since.0], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for row in rows {
            let line: AiredLine = serde_json::from_str(&row?)?;
            out.push(LoggedLine { time: rfc3339(line.wall), line });
        }
        Ok(out)
    }

    /// Deletes what is older than the retention period, oldest first along the hash chain (see
    /// [`chain`]); returns how many rows went.
    pub fn purge(&self, now: UnixMs) -> Result<usize, StoreError> {
        let cutoff = now.0.saturating_sub(i64::from(self.retention_days).saturating_mul(86_400_000));
        self.purge_chain_before(cutoff)
    }

    /// Where a show that stopped less than `within_ms` before `now` was: the product and facet it was pitching
    /// and its last spoken AI disclosure. Older logs are a previous show, and a new show starts from the top.
    pub fn resume_point(&self, now: UnixMs, within_ms: i64) -> Result<ResumePoint, StoreError> {
        let mut point = ResumePoint::default();
        let mut statement =
            self.conn.prepare("SELECT row FROM lines WHERE wall_ms >= ?1 ORDER BY wall_ms DESC, id DESC LIMIT 500")?;
        let rows = statement.query_map(params![now.0 - within_ms], |r| r.get::<_, String>(0))?;
        for row in rows {
            let line: AiredLine = serde_json::from_str(&row?)?;
            match (line.kind, &line.product) {
                (LineKind::Pitch(facet), Some(product)) if point.pitching.is_none() => {
                    point.pitching = Some((product.clone(), facet));
                }
                (LineKind::Disclosure, _) if point.last_disclosure.is_none() => point.last_disclosure = Some(line.wall),
                _ => {}
            }
            if point.pitching.is_some() && point.last_disclosure.is_some() {
                break;
            }
        }
        Ok(point)
    }

    pub fn line_count(&self) -> Result<u64, StoreError> {
        Ok(self.conn.query_row("SELECT COUNT(*) FROM lines", [], |r| r.get::<_, i64>(0)).optional()?.unwrap_or(0)
            as u64)
    }
}

/// A viewer a moderator banned (no end) or timed out (until a moment), as the store keeps them across restarts.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BlockedViewer {
    pub user_id: String,
    pub user_name: String,
    pub since: UnixMs,
    /// `None` for a ban; the end of a time-out otherwise.
    pub until: Option<UnixMs>,
}

/// What the show remembers about a viewer who has been here before (nothing at all once they opt out).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ViewerMemory {
    pub user_id: String,
    pub name: Option<String>,
    pub first_seen: Option<UnixMs>,
    pub last_seen: Option<UnixMs>,
    /// Separate visits: comments more than [`NEW_VISIT_AFTER_MS`] apart.
    pub visits: u32,
    pub opted_out: bool,
}

/// What [`Store::remember_viewer`] found: whether the host may greet this viewer as a returning one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Visit {
    /// Never seen before (now remembered).
    First,
    /// Seen before; `last_seen` is the previous comment, `visits` counts this visit too.
    Returning { name: String, last_seen: UnixMs, visits: u32 },
    /// Within the same visit as the previous comment: nothing to greet.
    SameVisit,
    /// The viewer asked not to be remembered; nothing was stored.
    OptedOut,
}

/// Comments further apart than this count as separate visits (a returning viewer).
pub const NEW_VISIT_AFTER_MS: i64 = 6 * 3600 * 1000;
/// Viewer memory is personal data: a viewer not seen for this long is forgotten by [`Store::forget_stale_viewers`].
pub const VIEWER_MEMORY_DAYS: i64 = 180;

fn intent_code(intent: Intent) -> Result<String, StoreError> {
    match serde_json::to_value(intent)? {
        serde_json::Value::String(code) => Ok(code),
        other => Ok(other.to_string()),
    }
}

/// The moderation state that must survive a restart (modes per intent, bans and time-outs) and the memory of
/// returning viewers. A moderator's decision made during a show would otherwise silently lapse when the show
/// restarts after a crash, which is exactly when nobody is looking.
impl Store {
    pub fn set_moderation_mode(&self, intent: Intent, mode: ModerationMode, now: UnixMs) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO moderation_modes (intent, mode, changed_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT(intent) DO UPDATE SET mode = excluded.mode, changed_ms = excluded.changed_ms",
            params![intent_code(intent)?, mode.as_str(), now.0],
        )?;
        Ok(())
    }

    /// Every mode a moderator set, by intent. Rows this version cannot read (written by a newer shopcast) are
    /// skipped with a warning rather than failing the start-up.
    pub fn moderation_modes(&self) -> Result<Vec<(Intent, ModerationMode)>, StoreError> {
        let mut statement = self.conn.prepare("SELECT intent, mode FROM moderation_modes ORDER BY intent")?;
        let rows = statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (intent, mode) = row?;
            let parsed = serde_json::from_value::<Intent>(serde_json::Value::String(intent.clone())).ok();
            match (parsed, ModerationMode::parse(&mode)) {
                (Some(intent), Some(mode)) => out.push((intent, mode)),
                _ => tracing::warn!(intent, mode, "ignoring a stored moderation mode this version does not know"),
            }
        }
        Ok(out)
    }

    /// Bans (`until: None`) or times out a viewer; a second call replaces the first (a time-out can become a ban).
    pub fn block_viewer(
        &self,
        user_id: &str,
        user_name: &str,
        until: Option<UnixMs>,
        now: UnixMs,
    ) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO blocked_viewers (user_id, user_name, since_ms, until_ms) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(user_id) DO UPDATE SET user_name = excluded.user_name, since_ms = excluded.since_ms,
                 until_ms = excluded.until_ms",
            params![user_id, user_name, now.0, until.map(|u| u.0)],
        )?;
        Ok(())
    }

    /// Lifts a ban or time-out; `false` when the viewer was not blocked.
    pub fn unblock_viewer(&self, user_id: &str) -> Result<bool, StoreError> {
        Ok(self.conn.execute("DELETE FROM blocked_viewers WHERE user_id = ?1", params![user_id])? > 0)
    }

    /// Bans and time-outs still in force at `now`, oldest first. Expired time-outs are deleted on the way.
    pub fn blocked_viewers(&self, now: UnixMs) -> Result<Vec<BlockedViewer>, StoreError> {
        self.conn
            .execute("DELETE FROM blocked_viewers WHERE until_ms IS NOT NULL AND until_ms <= ?1", params![now.0])?;
        let mut statement = self
            .conn
            .prepare("SELECT user_id, user_name, since_ms, until_ms FROM blocked_viewers ORDER BY since_ms, rowid")?;
        let rows = statement.query_map([], |r| {
            Ok(BlockedViewer {
                user_id: r.get(0)?,
                user_name: r.get(1)?,
                since: UnixMs(r.get(2)?),
                until: r.get::<_, Option<i64>>(3)?.map(UnixMs),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// The inputs that put a restarted director back where the moderators left it: one `SetModeration` per
    /// stored mode, one `BanViewer` per ban or time-out still in force, then the console's standing prices, stock,
    /// flash sales and pin (`RestoreOverrides`) and the lines held for moderators (`RestoreHeldLines`). Send them
    /// after the products and before the first comment.
    pub fn restore_moderation(&self, now: UnixMs) -> Result<Vec<Input>, StoreError> {
        let mut inputs: Vec<Input> =
            self.moderation_modes()?.into_iter().map(|(intent, mode)| Input::SetModeration { intent, mode }).collect();
        inputs.extend(self.blocked_viewers(now)?.into_iter().map(|b| Input::BanViewer { user_id: b.user_id }));
        if let Some(state) = self.standing_overrides()?.filter(|s| *s != model::StandingOverrides::default()) {
            inputs.push(Input::RestoreOverrides(state));
        }
        let held = self.held_lines()?;
        if !held.is_empty() {
            inputs.push(Input::RestoreHeldLines(held));
        }
        Ok(inputs)
    }

    /// The replies that waited for approval and the moderators' lines that waited for their turn, as the show last
    /// reported them (empty when none, or when the row is from a newer shopcast, which is logged).
    pub fn held_lines(&self) -> Result<Vec<model::HeldLine>, StoreError> {
        let row: Option<String> =
            self.conn.query_row("SELECT row FROM standing_held WHERE id = 1", [], |r| r.get(0)).optional()?;
        Ok(row
            .and_then(|row| match serde_json::from_str(&row) {
                Ok(lines) => Some(lines),
                Err(e) => {
                    tracing::warn!("ignoring the stored held lines this version cannot read: {e}");
                    None
                }
            })
            .unwrap_or_default())
    }

    /// The console's prices, stock, flash sales and pin as the show last reported them (`None` when nothing was
    /// ever changed, or the row is from a newer shopcast and cannot be read, which is logged).
    pub fn standing_overrides(&self) -> Result<Option<model::StandingOverrides>, StoreError> {
        let row: Option<String> =
            self.conn.query_row("SELECT row FROM standing_overrides WHERE id = 1", [], |r| r.get(0)).optional()?;
        Ok(row.and_then(|row| match serde_json::from_str(&row) {
            Ok(state) => Some(state),
            Err(e) => {
                tracing::warn!("ignoring the stored console overrides this version cannot read: {e}");
                None
            }
        }))
    }

    /// Notes that `user_id` commented at `now` under `name`, and says whether they are back after a while. A viewer
    /// who opted out is not stored at all.
    pub fn remember_viewer(&self, user_id: &str, name: &str, now: UnixMs) -> Result<Visit, StoreError> {
        let known = self.viewer(user_id)?;
        let visit = classify_visit(known.as_ref(), name, now);
        if visit == Visit::OptedOut {
            return Ok(visit);
        }
        let new_visit = matches!(visit, Visit::First | Visit::Returning { .. });
        self.conn.execute(
            "INSERT INTO viewers (user_id, name, first_seen_ms, last_seen_ms, visits, opted_out)
                 VALUES (?1, ?2, ?3, ?3, 1, 0)
             ON CONFLICT(user_id) DO UPDATE SET name = excluded.name, last_seen_ms = excluded.last_seen_ms,
                 first_seen_ms = COALESCE(viewers.first_seen_ms, excluded.first_seen_ms),
                 visits = viewers.visits + ?4",
            params![user_id, name, now.0, i64::from(new_visit)],
        )?;
        Ok(visit)
    }

    /// Every viewer the store remembers (opt-outs included), for the in-memory copy the viewer gate answers from.
    pub fn viewers(&self) -> Result<Vec<ViewerMemory>, StoreError> {
        let mut statement =
            self.conn.prepare("SELECT user_id, name, first_seen_ms, last_seen_ms, visits, opted_out FROM viewers")?;
        let rows = statement.query_map([], viewer_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    pub fn viewer(&self, user_id: &str) -> Result<Option<ViewerMemory>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT user_id, name, first_seen_ms, last_seen_ms, visits, opted_out FROM viewers WHERE user_id = ?1",
                params![user_id],
                viewer_row,
            )
            .optional()?)
    }

    /// A viewer's "don't remember me": everything stored about them goes, and only the refusal itself is kept
    /// (so the next comment does not start remembering them again). `false` lifts it.
    pub fn set_viewer_opt_out(&self, user_id: &str, opted_out: bool) -> Result<(), StoreError> {
        if opted_out {
            self.conn.execute(
                "INSERT INTO viewers (user_id, name, first_seen_ms, last_seen_ms, visits, opted_out)
                     VALUES (?1, NULL, NULL, NULL, 0, 1)
                 ON CONFLICT(user_id) DO UPDATE SET name = NULL, first_seen_ms = NULL, last_seen_ms = NULL,
                     visits = 0, opted_out = 1",
                params![user_id],
            )?;
        } else {
            self.conn.execute("DELETE FROM viewers WHERE user_id = ?1 AND opted_out = 1", params![user_id])?;
        }
        Ok(())
    }

    /// Forgets viewers not seen for [`VIEWER_MEMORY_DAYS`] (opt-outs are kept: they hold no personal data beyond
    /// the id, and forgetting them would start remembering the viewer again). Returns how many went.
    pub fn forget_stale_viewers(&self, now: UnixMs) -> Result<usize, StoreError> {
        let cutoff = now.0 - VIEWER_MEMORY_DAYS * 86_400_000;
        Ok(self.conn.execute("DELETE FROM viewers WHERE opted_out = 0 AND last_seen_ms < ?1", params![cutoff])?)
    }
}

fn viewer_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ViewerMemory> {
    Ok(ViewerMemory {
        user_id: r.get(0)?,
        name: r.get(1)?,
        first_seen: r.get::<_, Option<i64>>(2)?.map(UnixMs),
        last_seen: r.get::<_, Option<i64>>(3)?.map(UnixMs),
        visits: r.get::<_, i64>(4)?.clamp(0, i64::from(u32::MAX)) as u32,
        opted_out: r.get::<_, i64>(5)? != 0,
    })
}

/// Whether a comment by a viewer the store knows as `known` (or not at all) at `now` is a first visit, a return,
/// the same visit, or from someone who opted out. The one rule both the database and the in-memory copy follow.
pub(crate) fn classify_visit(known: Option<&ViewerMemory>, name: &str, now: UnixMs) -> Visit {
    match known {
        Some(v) if v.opted_out => Visit::OptedOut,
        None => Visit::First,
        Some(v) => match v.last_seen {
            Some(last) if now.0 - last.0 < NEW_VISIT_AFTER_MS => Visit::SameVisit,
            Some(last) => Visit::Returning { name: name.to_string(), last_seen: last, visits: v.visits + 1 },
            None => Visit::First,
        },
    }
}

/// UTC RFC 3339 with milliseconds, from Unix milliseconds.
pub fn rfc3339(t: UnixMs) -> String {
    crate::chat::time::format_rfc3339_millis(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audit_log_is_where_the_flag_says_else_the_environment_else_the_data_folder() {
        let env = |key: &str| match key {
            "SHOPCAST_STORE" => Some("/srv/show/audit.db".to_string()),
            "HOME" => Some("/home/ann".to_string()),
            _ => None,
        };
        let flag = Some(PathBuf::from("here.db"));
        assert_eq!(path(flag, &env), PathBuf::from("here.db"));
        assert_eq!(path(None, &env), PathBuf::from("/srv/show/audit.db"));
        let home_only = |key: &str| (key == "HOME").then(|| "/home/ann".to_string());
        assert_eq!(path(None, &home_only), PathBuf::from("/home/ann/.local/share/shopcast/audit.db"));
    }
    use model::{Lang, LineId, LineKind, LineSource};

    fn line(id: u64, wall: i64, text: &str) -> ConsoleEvent {
        ConsoleEvent::LineAired(AiredLine {
            line: LineId(id),
            t_ms: 0,
            kind: LineKind::Disclosure,
            product: None,
            text: text.into(),
            lang: Lang::En,
            source: LineSource::Template,
            duration_ms: 1000,
            note: Some("the writer took too long".into()),
            fallbacks: vec![model::Fallback::WriterTimeout],
            trigger: None,
            guard: Vec::new(),
            wall: UnixMs(wall),
            by: None,
            asked_by: 0,
        })
    }

    #[test]
    fn a_line_written_ahead_is_not_written_again_from_the_broadcast() {
        let dir = std::env::temp_dir().join(format!("shopcast-store-ahead-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("audit.db"), 1).unwrap();
        let show = audit::Provenance {
            show_id: "show-a".into(),
            producer: "shopcast/test".into(),
            model: None,
            voice: "silent".into(),
        };
        let ConsoleEvent::LineAired(first) = line(1, 1_000, "first") else { unreachable!() };
        store.record_line_ahead(&first, UnixMs(1_000), &show).unwrap();
        assert_eq!(store.line_count().unwrap(), 1, "written before it aired");
        // The broadcast's copy of the same line is skipped; a later process's line 1 (another start) is not.
        store.record_from(&line(1, 1_000, "first"), UnixMs(1_001), Some(&show)).unwrap();
        store.record_from(&line(1, 9_000, "first after a restart"), UnixMs(9_000), Some(&show)).unwrap();
        store.record_from(&line(1, 9_000, "first after a restart"), UnixMs(9_000), Some(&show)).unwrap();
        let texts: Vec<String> = store.lines_since(UnixMs(0)).unwrap().into_iter().map(|l| l.line.text).collect();
        assert_eq!(
            texts,
            ["first", "first after a restart", "first after a restart"],
            "only the ahead copy is skipped"
        );
        let provenance = store.rows_between(0, i64::MAX).unwrap()[0].provenance.clone();
        assert_eq!(provenance.map(|p| p["show_id"].clone()), Some(serde_json::json!("show-a")));
        assert!(store.verify_chain().unwrap().holds());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn lines_are_kept_in_order_survive_a_reopen_and_expire_after_retention() {
        let dir = std::env::temp_dir().join(format!("shopcast-store-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("nested/audit.db");
        {
            let store = Store::open(&path, 1).unwrap();
            store.record(&line(1, 1_000, "first"), UnixMs(1_000)).unwrap();
            store.record(&line(2, 2_000, "second"), UnixMs(2_000)).unwrap();
        }
        // A new process (a restart after a crash) sees everything that was written.
        let store = Store::open(&path, 1).unwrap();
        let lines = store.lines_since(UnixMs(0)).unwrap();
        assert_eq!(lines.iter().map(|l| l.line.text.as_str()).collect::<Vec<_>>(), ["first", "second"]);
        assert_eq!(lines[0].time, "1970-01-01T00:00:01.000Z");
        assert_eq!(lines[0].line.note.as_deref(), Some("the writer took too long"));
        assert_eq!(lines[0].line.fallbacks, [model::Fallback::WriterTimeout], "the typed reason is kept too");
        assert_eq!(store.lines_since(UnixMs(1_500)).unwrap().len(), 1);
        // One day of retention: a day and a bit later, both are gone.
        assert_eq!(store.purge(UnixMs(86_400_000 + 2_001)).unwrap(), 2);
        assert_eq!(store.line_count().unwrap(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_restart_resumes_at_the_last_pitched_product_and_facet_of_a_recent_show() {
        let dir = std::env::temp_dir().join(format!("shopcast-resume-{}", std::process::id()));
        let store = Store::open(&dir.join("audit.db"), 1).unwrap();
        let pitch = |id: u64, wall: i64, product: &str, facet: model::Facet| {
            ConsoleEvent::LineAired(AiredLine {
                line: LineId(id),
                t_ms: 0,
                kind: LineKind::Pitch(facet),
                product: Some(model::ProductId(product.into())),
                text: "x".into(),
                lang: Lang::En,
                source: LineSource::Template,
                duration_ms: 1000,
                note: None,
                fallbacks: Vec::new(),
                trigger: None,
                wall: UnixMs(wall),
                guard: Vec::new(),
                by: None,
                asked_by: 0,
            })
        };
        store.record(&line(1, 10_000, "disclosure"), UnixMs(0)).unwrap();
        store.record(&pitch(2, 20_000, "tea", model::Facet::Hook), UnixMs(0)).unwrap();
        store.record(&pitch(3, 30_000, "scarf", model::Facet::Features), UnixMs(0)).unwrap();
        let point = store.resume_point(UnixMs(35_000), 60_000).unwrap();
        assert_eq!(point.pitching, Some((model::ProductId("scarf".into()), model::Facet::Features)));
        assert_eq!(point.last_disclosure, Some(UnixMs(10_000)));
        // An hour later it is a new show.
        assert_eq!(store.resume_point(UnixMs(3_600_000), 60_000).unwrap(), ResumePoint::default());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn rfc3339_matches_known_dates() {
        assert_eq!(rfc3339(UnixMs(1_795_694_400_000)), "2026-11-26T12:00:00.000Z");
        assert_eq!(rfc3339(UnixMs(951_782_400_123)), "2000-02-29T00:00:00.123Z");
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("shopcast-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn moderation_modes_and_bans_survive_a_restart_and_replay_as_director_inputs() {
        let dir = scratch("moderation");
        let path = dir.join("audit.db");
        {
            let store = Store::open(&path, 1).unwrap();
            store.set_moderation_mode(Intent::PriceStockShipping, ModerationMode::Auto, UnixMs(1)).unwrap();
            store.set_moderation_mode(Intent::PriceStockShipping, ModerationMode::ApproveFirst, UnixMs(2)).unwrap();
            store.set_moderation_mode(Intent::HealthOrSafety, ModerationMode::HumanOnly, UnixMs(3)).unwrap();
            store.block_viewer("u-troll", "Troll", None, UnixMs(1_000)).unwrap();
            store.block_viewer("u-loud", "Loud", Some(UnixMs(61_000)), UnixMs(1_000)).unwrap();
            store.block_viewer("u-sorry", "Sorry", None, UnixMs(1_000)).unwrap();
            assert!(store.unblock_viewer("u-sorry").unwrap());
            assert!(!store.unblock_viewer("u-never").unwrap());
        }
        // The process restarts thirty seconds later: the time-out still runs.
        let store = Store::open(&path, 1).unwrap();
        let inputs = store.restore_moderation(UnixMs(31_000)).unwrap();
        assert_eq!(
            inputs,
            [
                Input::SetModeration { intent: Intent::HealthOrSafety, mode: ModerationMode::HumanOnly },
                Input::SetModeration { intent: Intent::PriceStockShipping, mode: ModerationMode::ApproveFirst },
                Input::BanViewer { user_id: "u-troll".into() },
                Input::BanViewer { user_id: "u-loud".into() },
            ]
        );
        let blocked = store.blocked_viewers(UnixMs(31_000)).unwrap();
        assert_eq!(blocked[1].until, Some(UnixMs(61_000)));
        assert_eq!(blocked[1].user_name, "Loud");
        // A minute later the time-out is over and only the ban is replayed.
        assert_eq!(store.restore_moderation(UnixMs(61_000)).unwrap().len(), 3);
        assert_eq!(store.blocked_viewers(UnixMs(61_000)).unwrap().len(), 1);
        // A time-out can become a ban.
        store.block_viewer("u-troll", "Troll", Some(UnixMs(70_000)), UnixMs(62_000)).unwrap();
        assert_eq!(store.blocked_viewers(UnixMs(62_000)).unwrap()[0].until, Some(UnixMs(70_000)));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The console's standing changes, as the show reports them, come back as one input after a restart; the
    /// audit log keeps each change too; a row a newer shopcast wrote is skipped, not fatal.
    #[test]
    fn the_consoles_standing_changes_survive_a_restart() {
        let dir = scratch("overrides");
        let path = dir.join("audit.db");
        let cny = |minor: i64| model::Money { minor, currency: model::Currency::parse("CNY").unwrap() };
        let state = model::StandingOverrides {
            products: vec![model::ProductOverride {
                product: model::ProductId("tea".into()),
                price: Some(model::PriceOverride {
                    price: cny(14_900),
                    compare_at: None,
                    file_price: cny(19_900),
                    file_compare_at: None,
                    by: Some("lin".into()),
                }),
                stock: Some(model::StockOverride { stock: Some(3), file_stock: Some(42), by: Some("wei".into()) }),
                flash_sale: None,
                since: UnixMs(5),
            }],
            pinned: Some(model::ProductId("tea".into())),
        };
        {
            let store = Store::open(&path, 30).unwrap();
            assert!(store.restore_moderation(UnixMs(10)).unwrap().is_empty(), "nothing changed yet");
            store.record(&ConsoleEvent::OverridesChanged(model::StandingOverrides::default()), UnixMs(8)).unwrap();
            store.record(&ConsoleEvent::OverridesChanged(state.clone()), UnixMs(9)).unwrap();
        }
        let store = Store::open(&path, 30).unwrap();
        assert_eq!(store.restore_moderation(UnixMs(10)).unwrap(), [Input::RestoreOverrides(state.clone())]);
        let changes: i64 = store
            .conn
            .query_row("SELECT COUNT(*) FROM events WHERE kind = 'overrides_changed'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(changes, 2, "each change is in the audit log");
        assert!(store.verify_chain().unwrap().holds());
        // Everything cleared: nothing to restore.
        store.record(&ConsoleEvent::OverridesChanged(model::StandingOverrides::default()), UnixMs(11)).unwrap();
        assert!(store.restore_moderation(UnixMs(12)).unwrap().is_empty());
        store.conn.execute("UPDATE standing_overrides SET row = '{\"products\": 7}'", []).unwrap();
        assert_eq!(store.standing_overrides().unwrap(), None);

        // Lines held for moderators come back the same way, after the overrides.
        let held = vec![model::HeldLine {
            line: model::LineId(4),
            kind: LineKind::Moderator,
            product: None,
            lang: Lang::En,
            text: "Thanks for being here.".into(),
            source: LineSource::Moderator,
            comment: None,
            approved: true,
            since: UnixMs(13),
            by: None,
        }];
        store.record(&ConsoleEvent::HeldLinesChanged(held.clone()), UnixMs(13)).unwrap();
        drop(store);
        let store = Store::open(&path, 30).unwrap();
        assert_eq!(store.restore_moderation(UnixMs(14)).unwrap(), [Input::RestoreHeldLines(held)]);
        store.record(&ConsoleEvent::HeldLinesChanged(Vec::new()), UnixMs(15)).unwrap();
        assert!(store.restore_moderation(UnixMs(16)).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_mode_this_version_does_not_know_is_skipped_not_fatal() {
        let dir = scratch("unknown-mode");
        let store = Store::open(&dir.join("audit.db"), 1).unwrap();
        store.set_moderation_mode(Intent::Greeting, ModerationMode::HumanOnly, UnixMs(1)).unwrap();
        store
            .conn
            .execute("INSERT INTO moderation_modes (intent, mode, changed_ms) VALUES ('telepathy', 'auto', 1)", [])
            .unwrap();
        store
            .conn
            .execute("INSERT INTO moderation_modes (intent, mode, changed_ms) VALUES ('praise', 'shout', 1)", [])
            .unwrap();
        assert_eq!(store.moderation_modes().unwrap(), [(Intent::Greeting, ModerationMode::HumanOnly)]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn returning_viewers_are_remembered_until_they_opt_out() {
        let dir = scratch("viewers");
        let store = Store::open(&dir.join("audit.db"), 1).unwrap();
        let hour = 3_600_000;
        assert_eq!(store.remember_viewer("u-mei", "Mei", UnixMs(0)).unwrap(), Visit::First);
        assert_eq!(store.remember_viewer("u-mei", "Mei", UnixMs(hour)).unwrap(), Visit::SameVisit);
        // The next evening she is back, under a new display name.
        let back = store.remember_viewer("u-mei", "Mei Lin", UnixMs(26 * hour)).unwrap();
        assert_eq!(back, Visit::Returning { name: "Mei Lin".into(), last_seen: UnixMs(hour), visits: 2 });
        let memory = store.viewer("u-mei").unwrap().unwrap();
        assert_eq!(
            (memory.name.as_deref(), memory.first_seen, memory.last_seen, memory.visits),
            (Some("Mei Lin"), Some(UnixMs(0)), Some(UnixMs(26 * hour)), 2)
        );
        // "Don't remember me": the name and times go, and later comments store nothing.
        store.set_viewer_opt_out("u-mei", true).unwrap();
        let memory = store.viewer("u-mei").unwrap().unwrap();
        assert!(memory.opted_out && memory.name.is_none() && memory.last_seen.is_none(), "{memory:?}");
        assert_eq!(store.remember_viewer("u-mei", "Mei Lin", UnixMs(60 * hour)).unwrap(), Visit::OptedOut);
        assert_eq!(store.viewer("u-mei").unwrap().unwrap().name, None);
        // An opt-out for someone never seen is kept too, and can be lifted.
        store.set_viewer_opt_out("u-new", true).unwrap();
        assert_eq!(store.remember_viewer("u-new", "New", UnixMs(0)).unwrap(), Visit::OptedOut);
        store.set_viewer_opt_out("u-new", false).unwrap();
        assert_eq!(store.remember_viewer("u-new", "New", UnixMs(0)).unwrap(), Visit::First);
        // Half a year without a visit and the memory is gone; the opt-out stays.
        let later = UnixMs(26 * hour + VIEWER_MEMORY_DAYS * 86_400_000 + 1);
        assert_eq!(store.forget_stale_viewers(later).unwrap(), 1, "only u-new's memory is older than the cutoff");
        assert!(store.viewer("u-mei").unwrap().is_some_and(|v| v.opted_out));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn an_unopenable_path_is_a_clear_error() {
        let err = Store::open(Path::new("/proc/shopcast/audit.db"), 1).err().unwrap();
        assert!(err.to_string().contains("/proc/shopcast"), "{err}");
    }
}
