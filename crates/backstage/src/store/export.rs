//! One show's record out of the audit log, along the hash chain: where each show starts (its `show_started` event)
//! and every row written until the next show started.

use super::{Store, StoreError};
use rusqlite::params;

/// A show in the audit log: its id, when it started, and the stretch of the chain its rows take.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ShowSpan {
    pub show_id: String,
    pub started_ms: i64,
    /// The chain position of its `show_started` event.
    pub first_seq: i64,
    /// The last position before the next show started (the head for the newest show).
    pub last_seq: i64,
    pub lines: u64,
}

/// One row of the record, in chain order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub hash: String,
    /// `line` or the event's kind (`show_started`, `catalog`, `moderator_action`, `escalated` ...).
    pub kind: String,
    pub wall_ms: i64,
    /// The row as written (an aired line, or the event), parsed.
    pub row: serde_json::Value,
    /// For a line: where it came from (absent for lines written before provenance was kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<serde_json::Value>,
}

impl Store {
    /// Every show the log still holds, oldest first.
    pub fn shows(&self) -> Result<Vec<ShowSpan>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT c.seq, e.wall_ms, e.row FROM chain c JOIN events e ON c.tbl = 'events' AND e.id = c.row_id
             WHERE e.kind = 'show_started' ORDER BY c.seq",
        )?;
        let starts: Vec<(i64, i64, String)> =
            statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
        let head = self.chain_head()?.seq;
        let mut shows = Vec::new();
        for (i, (seq, wall_ms, row)) in starts.iter().enumerate() {
            let value: serde_json::Value = serde_json::from_str(row)?;
            let show_id = value["provenance"]["show_id"].as_str().unwrap_or("").to_string();
            let last_seq = starts.get(i + 1).map_or(head, |(next, _, _)| next - 1);
            let lines: i64 = self.conn.query_row(
                "SELECT COUNT(*) FROM chain WHERE tbl = 'lines' AND seq BETWEEN ?1 AND ?2",
                params![seq, last_seq],
                |r| r.get(0),
            )?;
            shows.push(ShowSpan { show_id, started_ms: *wall_ms, first_seq: *seq, last_seq, lines: lines as u64 });
        }
        Ok(shows)
    }

    /// The rows from chain position `from` to `to`, both included, in chain order.
    pub fn rows_between(&self, from: i64, to: i64) -> Result<Vec<AuditRow>, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT c.seq, c.hash, c.tbl, COALESCE(l.wall_ms, e.wall_ms), e.kind, COALESCE(l.row, e.row), l.provenance
             FROM chain c
             LEFT JOIN lines l ON c.tbl = 'lines' AND l.id = c.row_id
             LEFT JOIN events e ON c.tbl = 'events' AND e.id = c.row_id
             WHERE c.seq BETWEEN ?1 AND ?2 ORDER BY c.seq",
        )?;
        let rows = statement.query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<i64>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, hash, table, wall_ms, event_kind, body, provenance) = row?;
            // A link whose row is gone is left out here; `verify_chain` names it.
            let Some(body) = body else { continue };
            let kind = if table == "lines" { "line".to_string() } else { event_kind.unwrap_or_default() };
            out.push(AuditRow {
                seq,
                hash,
                kind,
                wall_ms: wall_ms.unwrap_or(0),
                row: serde_json::from_str(&body)?,
                provenance: provenance.as_deref().map(serde_json::from_str).transpose()?,
            });
        }
        Ok(out)
    }
}
