//! The audit log: every line the host said, when, why and from where, in SQLite (WAL), kept for the retention
//! period (three years by default, the record-keeping rule for Chinese live commerce) and no longer.
//!
//! The show never waits on the store: lines reach it through the console broadcast, and a write failure is logged
//! and retried with the next line rather than stopping the show.

use director::ResumePoint;
use model::{AiredLine, ConsoleEvent, LineKind, UnixMs};
use rusqlite::{Connection, OptionalExtension, params};
use std::path::{Path, PathBuf};

/// Three years, the default retention.
pub const DEFAULT_RETENTION_DAYS: u32 = 3 * 365;

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
}

impl StoreError {
    /// A busy or locked database may succeed on the next write; anything else will not.
    pub fn is_retryable(&self) -> bool {
        matches!(self, StoreError::Sql(rusqlite::Error::SqliteFailure(e, _)) if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked))
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
}

/// Where the audit log lives when nothing says otherwise: `$XDG_DATA_HOME/shopcast/audit.db` or
/// `~/.local/share/shopcast/audit.db`, outside any repository.
pub fn default_path(env: &dyn Fn(&str) -> Option<String>) -> PathBuf {
    let base = env("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| Path::new(&h).join(".local/share")))
        .unwrap_or_else(|| PathBuf::from("."));
    base.join("shopcast").join("audit.db")
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
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS lines (
                 id INTEGER PRIMARY KEY,
                 wall_ms INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 product TEXT,
                 source TEXT NOT NULL,
                 text TEXT NOT NULL,
                 row TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS lines_by_time ON lines (wall_ms);
             CREATE TABLE IF NOT EXISTS events (
                 id INTEGER PRIMARY KEY,
                 wall_ms INTEGER NOT NULL,
                 kind TEXT NOT NULL,
                 row TEXT NOT NULL
             );
             CREATE INDEX IF NOT EXISTS events_by_time ON events (wall_ms);",
        )?;
        Ok(Store { conn, retention_days })
    }

    /// Records what the audit needs to keep: aired lines, escalations, catalog loads, moderator decisions and
    /// health changes. Triage labels and dropped stale results are not audit material and are ignored.
    pub fn record(&self, event: &ConsoleEvent, now: UnixMs) -> Result<(), StoreError> {
        match event {
            ConsoleEvent::LineAired(line) => {
                let kind = serde_json::to_value(line.kind)?;
                let source = serde_json::to_value(line.source)?;
                self.conn.execute(
                    "INSERT INTO lines (wall_ms, kind, product, source, text, row) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![
                        line.wall.0,
                        kind.to_string(),
                        line.product.as_ref().map(|p| p.0.clone()),
                        source.to_string(),
                        line.text,
                        serde_json::to_string(line)?
                    ],
                )?;
            }
            ConsoleEvent::Escalated { .. }
            | ConsoleEvent::CatalogLoaded { .. }
            | ConsoleEvent::CatalogRejected { .. }
            | ConsoleEvent::ReplyPending { .. }
            | ConsoleEvent::ReplyResolved { .. }
            | ConsoleEvent::QuestionDropped { .. }
            | ConsoleEvent::ModeratorAction { .. }
            | ConsoleEvent::SourceHealth { .. } => {
                let kind = match event {
                    ConsoleEvent::Escalated { .. } => "escalated",
                    ConsoleEvent::CatalogLoaded { .. } => "catalog_loaded",
                    ConsoleEvent::CatalogRejected { .. } => "catalog_rejected",
                    ConsoleEvent::ReplyPending { .. } => "reply_pending",
                    ConsoleEvent::ReplyResolved { .. } => "reply_resolved",
                    ConsoleEvent::QuestionDropped { .. } => "question_dropped",
                    ConsoleEvent::ModeratorAction { .. } => "moderator_action",
                    _ => "source_health",
                };
                self.conn.execute(
                    "INSERT INTO events (wall_ms, kind, row) VALUES (?1, ?2, ?3)",
                    params![now.0, kind, serde_json::to_string(event)?],
                )?;
            }
            ConsoleEvent::CommentTriaged { .. } | ConsoleEvent::StaleResultDropped { .. } => {}
        }
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

    /// Deletes what is older than the retention period; returns how many rows went.
    pub fn purge(&self, now: UnixMs) -> Result<usize, StoreError> {
        let cutoff = now.0 - self.retention_days as i64 * 86_400_000;
        let lines = self.conn.execute("DELETE FROM lines WHERE wall_ms < ?1", params![cutoff])?;
        let events = self.conn.execute("DELETE FROM events WHERE wall_ms < ?1", params![cutoff])?;
        Ok(lines + events)
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

/// UTC RFC 3339 with milliseconds, from Unix milliseconds.
pub fn rfc3339(t: UnixMs) -> String {
    let secs = t.0.div_euclid(1000);
    let ms = t.0.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;
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
            note: Some("why".into()),
            trigger: None,
            guard: Vec::new(),
            wall: UnixMs(wall),
        })
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
        assert_eq!(lines[0].line.note.as_deref(), Some("why"));
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
                trigger: None,
                wall: UnixMs(wall),
                guard: Vec::new(),
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

    #[test]
    fn an_unopenable_path_is_a_clear_error() {
        let err = Store::open(Path::new("/proc/shopcast/audit.db"), 1).err().unwrap();
        assert!(err.to_string().contains("/proc/shopcast"), "{err}");
    }
}
