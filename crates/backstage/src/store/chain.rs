//! The audit log's hash chain: every row of `lines` and `events` is linked, in the order it was written, by a
//! SHA-256 that covers the row's columns and the link before it. A row changed, removed or slipped in afterwards
//! breaks the chain at that row, and [`Store::verify_chain`] names the first broken link.
//!
//! The chain shows that rows were altered; it cannot stop someone with write access from rewriting every hash after
//! the row they changed. Against that, keep the head somewhere else: the log prints it when a show ends, `shopcast
//! audit export` writes it, and `shopcast audit verify --head HASH` checks the log still leads to a head you kept.
//!
//! Rows are only ever added through [`Store::append_line`] and [`Store::append_event`], which insert the row and its
//! link in one transaction; nothing else in shopcast writes these tables. Retention ([`Store::purge`]) removes the
//! oldest links with their rows and keeps the last removed hash as the anchor the remaining chain starts from.

use super::audit::{LineProvenance, Provenance};
use super::{Store, StoreError};
use model::{ConsoleEvent, UnixMs};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

/// The chain's tables. `chain_anchor` holds at most one row: where the chain starts after retention removed its
/// beginning (the hash of the last removed link).
pub(super) const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS chain (
         seq INTEGER PRIMARY KEY AUTOINCREMENT,
         tbl TEXT NOT NULL,
         row_id INTEGER NOT NULL,
         hash TEXT NOT NULL,
         UNIQUE (tbl, row_id)
     );
     CREATE TABLE IF NOT EXISTS chain_anchor (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         seq INTEGER NOT NULL,
         hash TEXT NOT NULL
     );";

/// The link before the first row ever written.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit row as the chain covers it: every column but its id.
pub(super) enum Row<'a> {
    Line {
        wall_ms: i64,
        kind: &'a str,
        product: Option<&'a str>,
        source: &'a str,
        text: &'a str,
        row: &'a str,
        provenance: Option<&'a str>,
    },
    Event {
        wall_ms: i64,
        kind: &'a str,
        row: &'a str,
    },
}

impl Row<'_> {
    fn table(&self) -> &'static str {
        match self {
            Row::Line { .. } => "lines",
            Row::Event { .. } => "events",
        }
    }
}

/// An audit row owned, as it travels to a store: the single machine's SQLite file or the fleet's PostgreSQL. Both
/// keep the same columns and link them with the same [`Record::link`], so one chain check reads either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    Line {
        wall_ms: i64,
        kind: String,
        product: Option<String>,
        source: String,
        text: String,
        row: String,
        provenance: Option<String>,
    },
    Event {
        wall_ms: i64,
        kind: String,
        row: String,
    },
}

impl Record {
    /// What the audit keeps of a console event, or `None` for what it does not keep (triage labels, stale results,
    /// gifts, the held lines' standing state). Aired lines are stamped with where they came from when `show` is
    /// given (see [`LineProvenance`]).
    pub fn of(
        event: &ConsoleEvent,
        now: UnixMs,
        show: Option<&Provenance>,
    ) -> Result<Option<Record>, serde_json::Error> {
        let kind = match event {
            ConsoleEvent::LineAired(line) => {
                let (kind, source) = (serde_json::to_value(line.kind)?, serde_json::to_value(line.source)?);
                let provenance = show.map(|show| serde_json::to_string(&LineProvenance::of(show, line))).transpose()?;
                return Ok(Some(Record::Line {
                    wall_ms: line.wall.0,
                    kind: kind.to_string(),
                    product: line.product.as_ref().map(|p| p.0.clone()),
                    source: source.to_string(),
                    text: line.text.clone(),
                    row: serde_json::to_string(line)?,
                    provenance,
                }));
            }
            ConsoleEvent::Escalated { .. } => "escalated",
            ConsoleEvent::LineCut { .. } => "line_cut",
            ConsoleEvent::CatalogLoaded { .. } => "catalog_loaded",
            ConsoleEvent::CatalogRejected { .. } => "catalog_rejected",
            ConsoleEvent::ReplyPending { .. } => "reply_pending",
            ConsoleEvent::ReplyResolved { .. } => "reply_resolved",
            ConsoleEvent::QuestionDropped { .. } => "question_dropped",
            ConsoleEvent::ModeratorAction { .. } => "moderator_action",
            ConsoleEvent::ModeratorLineRefused { .. } => "moderator_line_refused",
            ConsoleEvent::TurnFailed { .. } => "turn_failed",
            ConsoleEvent::PaceChanged { .. } => "pace_changed",
            ConsoleEvent::SourceHealth { .. } => "source_health",
            ConsoleEvent::OverridesChanged(state) => {
                return Ok(Some(Record::Event {
                    wall_ms: now.0,
                    kind: "overrides_changed".to_string(),
                    row: serde_json::to_string(state)?,
                }));
            }
            // State, not audit material (each decision is already a reply_pending / reply_resolved / action row).
            ConsoleEvent::HeldLinesChanged(_) => return Ok(None),
            // Gifts and memberships are counted in /metrics and shown in the console; what the host said about
            // them is in the audit as the thanks line.
            ConsoleEvent::CommentTriaged { .. }
            | ConsoleEvent::StaleResultDropped { .. }
            | ConsoleEvent::Support(_) => {
                return Ok(None);
            }
        };
        Ok(Some(Record::Event { wall_ms: now.0, kind: kind.to_string(), row: serde_json::to_string(event)? }))
    }

    /// The table it belongs to: `lines` or `events`.
    pub fn table(&self) -> &'static str {
        self.as_row().table()
    }

    pub fn wall_ms(&self) -> i64 {
        match self {
            Record::Line { wall_ms, .. } | Record::Event { wall_ms, .. } => *wall_ms,
        }
    }

    /// The row's link when stored under `id` after the link `prev`.
    pub fn link(&self, prev: &str, id: i64) -> String {
        link(prev, id, &self.as_row())
    }

    pub(super) fn as_row(&self) -> Row<'_> {
        match self {
            Record::Line { wall_ms, kind, product, source, text, row, provenance } => Row::Line {
                wall_ms: *wall_ms,
                kind,
                product: product.as_deref(),
                source,
                text,
                row,
                provenance: provenance.as_deref(),
            },
            Record::Event { wall_ms, kind, row } => Row::Event { wall_ms: *wall_ms, kind, row },
        }
    }
}

/// The link of `row` (stored under `id`) after `prev`: SHA-256 over the previous hash, the table, the id and each
/// column, every field length-prefixed so that no two different rows read the same.
fn link(prev: &str, id: i64, row: &Row<'_>) -> String {
    let mut hash = Sha256::new();
    let mut field = |bytes: Option<&[u8]>| match bytes {
        Some(b) => {
            hash.update([1u8]);
            hash.update((b.len() as u64).to_le_bytes());
            hash.update(b);
        }
        None => hash.update([0u8]),
    };
    field(Some(prev.as_bytes()));
    field(Some(row.table().as_bytes()));
    field(Some(&id.to_le_bytes()));
    match row {
        Row::Line { wall_ms, kind, product, source, text, row, provenance } => {
            field(Some(&wall_ms.to_le_bytes()));
            field(Some(kind.as_bytes()));
            field(product.map(str::as_bytes));
            field(Some(source.as_bytes()));
            field(Some(text.as_bytes()));
            field(Some(row.as_bytes()));
            field(provenance.map(str::as_bytes));
        }
        Row::Event { wall_ms, kind, row } => {
            field(Some(&wall_ms.to_le_bytes()));
            field(Some(kind.as_bytes()));
            field(Some(row.as_bytes()));
        }
    }
    hex(&hash.finalize())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The newest link: its position and hash (position 0 and [`GENESIS`] for an empty log).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
}

/// What [`Store::verify_chain`] found.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    /// Links checked, from the anchor to the head.
    pub links: u64,
    /// Where the remaining chain starts (retention removed what was before it).
    pub anchor: ChainHead,
    pub head: ChainHead,
    /// The first link that does not hold, if any.
    pub first_break: Option<Break>,
    /// Rows in `lines` or `events` that no link covers: added to the file outside shopcast.
    pub unlinked_rows: Vec<(String, i64)>,
}

impl ChainReport {
    pub fn holds(&self) -> bool {
        self.first_break.is_none() && self.unlinked_rows.is_empty()
    }
}

/// The first broken link: which row, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Break {
    pub seq: i64,
    pub table: String,
    pub row_id: i64,
    /// When the row says it was written (absent when the row is gone).
    pub wall_ms: Option<i64>,
    pub problem: String,
}

impl Store {
    /// Writes one aired line and its link, together or not at all.
    pub(super) fn append(&self, row: Row<'_>) -> Result<i64, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        match &row {
            Row::Line { wall_ms, kind, product, source, text, row, provenance } => tx.execute(
                "INSERT INTO lines (wall_ms, kind, product, source, text, row, provenance)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![wall_ms, kind, product, source, text, row, provenance],
            )?,
            Row::Event { wall_ms, kind, row } => {
                tx.execute("INSERT INTO events (wall_ms, kind, row) VALUES (?1, ?2, ?3)", params![wall_ms, kind, row])?
            }
        };
        let id = tx.last_insert_rowid();
        let prev = head_of(&tx)?;
        let hash = link(&prev.hash, id, &row);
        tx.execute("INSERT INTO chain (tbl, row_id, hash) VALUES (?1, ?2, ?3)", params![row.table(), id, hash])?;
        tx.commit()?;
        Ok(id)
    }

    /// Writes an event row (escalations, moderator actions, catalog loads ...) and its link.
    pub(super) fn append_event(&self, wall_ms: i64, kind: &str, row: &str) -> Result<i64, StoreError> {
        self.append(Row::Event { wall_ms, kind, row })
    }

    /// The newest link.
    pub fn chain_head(&self) -> Result<ChainHead, StoreError> {
        head_of(&self.conn)
    }

    /// The position of the link with this hash, if the chain (or its anchor) has it.
    pub fn find_link(&self, hash: &str) -> Result<Option<i64>, StoreError> {
        let found = self
            .conn
            .query_row("SELECT seq FROM chain WHERE hash = ?1 ORDER BY seq LIMIT 1", params![hash], |r| r.get(0))
            .optional()?;
        let anchor = anchor_of(&self.conn)?;
        Ok(found.or((anchor.hash == hash && anchor.seq > 0).then_some(anchor.seq)))
    }

    /// Links rows written before the chain existed (an audit log from an older shopcast), oldest first. Called only
    /// when the chain table is first created, so rows slipped in later are never sealed into it.
    pub(super) fn seal_existing_rows(&self) -> Result<u64, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let mut sealed = 0u64;
        {
            let mut rows = tx.prepare(
                "SELECT 'lines', id, wall_ms, kind, product, source, text, row, provenance FROM lines
                 UNION ALL SELECT 'events', id, wall_ms, kind, NULL, NULL, NULL, row, NULL FROM events
                 ORDER BY 3, 1, 2",
            )?;
            let mut insert = tx.prepare("INSERT INTO chain (tbl, row_id, hash) VALUES (?1, ?2, ?3)")?;
            let mut prev = head_of(&tx)?.hash;
            let mut cursor = rows.query([])?;
            while let Some(r) = cursor.next()? {
                let table: String = r.get(0)?;
                let Some((id, _, hash)) = stored_link(r, 1, &table, &prev)? else { continue };
                insert.execute(params![table, id, hash])?;
                prev = hash;
                sealed += 1;
            }
        }
        tx.commit()?;
        Ok(sealed)
    }

    /// Walks the chain from its anchor to its head, recomputing every link from the row it covers.
    pub fn verify_chain(&self) -> Result<ChainReport, StoreError> {
        let anchor = anchor_of(&self.conn)?;
        let mut statement = self.conn.prepare(
            "SELECT c.seq, c.tbl, c.row_id, c.hash,
                    COALESCE(l.id, e.id), COALESCE(l.wall_ms, e.wall_ms), COALESCE(l.kind, e.kind), l.product,
                    l.source, l.text, COALESCE(l.row, e.row), l.provenance
             FROM chain c
             LEFT JOIN lines l ON c.tbl = 'lines' AND l.id = c.row_id
             LEFT JOIN events e ON c.tbl = 'events' AND e.id = c.row_id
             ORDER BY c.seq",
        )?;
        let mut cursor = statement.query([])?;
        let mut prev = anchor.clone();
        let mut links = 0u64;
        let mut first_break = None;
        while let Some(r) = cursor.next()? {
            let seq: i64 = r.get(0)?;
            let table: String = r.get(1)?;
            let row_id: i64 = r.get(2)?;
            let stored: String = r.get(3)?;
            let broken =
                |wall_ms: Option<i64>, problem: String| Break { seq, table: table.clone(), row_id, wall_ms, problem };
            if table != "lines" && table != "events" {
                first_break = Some(broken(None, format!("the link names a table shopcast never writes: {table:?}")));
                break;
            }
            let found = stored_link(r, 4, &table, &prev.hash)?;
            let wall_ms = found.as_ref().map(|(_, wall_ms, _)| *wall_ms);
            let recomputed = found.map(|(_, _, hash)| hash);
            links += 1;
            if seq != prev.seq + 1 {
                first_break = Some(broken(
                    wall_ms,
                    format!("links {} to {} are missing: rows were removed from the chain", prev.seq + 1, seq - 1),
                ));
                break;
            }
            match recomputed {
                None => {
                    first_break = Some(broken(None, "the row this link covers was deleted".into()));
                    break;
                }
                Some(hash) if hash != stored => {
                    let problem = "the row (or its link) was changed after it was written".to_string();
                    first_break = Some(broken(wall_ms, problem));
                    break;
                }
                Some(_) => {}
            }
            prev = ChainHead { seq, hash: stored };
        }
        drop(cursor);
        let mut unlinked = self.conn.prepare(
            "SELECT 'lines', id FROM lines WHERE id NOT IN (SELECT row_id FROM chain WHERE tbl = 'lines')
             UNION ALL SELECT 'events', id FROM events WHERE id NOT IN (SELECT row_id FROM chain WHERE tbl = 'events')
             ORDER BY 1, 2 LIMIT 100",
        )?;
        let unlinked_rows =
            unlinked.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?.collect::<Result<_, _>>()?;
        Ok(ChainReport { links, anchor, head: self.chain_head()?, first_break, unlinked_rows })
    }

    /// Removes links (and their rows) older than `cutoff_ms`, oldest first, stopping at the first link whose row is
    /// still within retention, so the chain that remains is whole; the last removed hash becomes the anchor.
    /// Returns how many rows went.
    pub(super) fn purge_chain_before(&self, cutoff_ms: i64) -> Result<usize, StoreError> {
        let tx = self.conn.unchecked_transaction()?;
        let keep_from: Option<i64> = tx.query_row(
            "SELECT MIN(c.seq) FROM chain c
             LEFT JOIN lines l ON c.tbl = 'lines' AND l.id = c.row_id
             LEFT JOIN events e ON c.tbl = 'events' AND e.id = c.row_id
             WHERE COALESCE(l.wall_ms, e.wall_ms) >= ?1",
            params![cutoff_ms],
            |r| r.get(0),
        )?;
        let keep_from = match keep_from {
            Some(seq) => seq,
            None => tx.query_row("SELECT COALESCE(MAX(seq), 0) + 1 FROM chain", [], |r| r.get(0))?,
        };
        let last_removed: Option<(i64, String)> = tx
            .query_row(
                "SELECT seq, hash FROM chain WHERE seq < ?1 ORDER BY seq DESC LIMIT 1",
                params![keep_from],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((seq, hash)) = last_removed else { return Ok(0) };
        let lines = tx.execute(
            "DELETE FROM lines WHERE id IN (SELECT row_id FROM chain WHERE tbl = 'lines' AND seq < ?1)",
            params![keep_from],
        )?;
        let events = tx.execute(
            "DELETE FROM events WHERE id IN (SELECT row_id FROM chain WHERE tbl = 'events' AND seq < ?1)",
            params![keep_from],
        )?;
        tx.execute("DELETE FROM chain WHERE seq < ?1", params![keep_from])?;
        tx.execute(
            "INSERT INTO chain_anchor (id, seq, hash) VALUES (1, ?1, ?2)
             ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            params![seq, hash],
        )?;
        tx.commit()?;
        Ok(lines + events)
    }
}

/// Reads a stored audit row from column `from` on (id, wall_ms, kind, product, source, text, row, provenance, NULL
/// where `table` has no such column) and computes its link after `prev`: its id, time and hash, or `None` when the
/// row is gone (a link whose row was deleted).
fn stored_link(
    r: &rusqlite::Row<'_>,
    from: usize,
    table: &str,
    prev: &str,
) -> rusqlite::Result<Option<(i64, i64, String)>> {
    let Some(id) = r.get::<_, Option<i64>>(from)? else { return Ok(None) };
    let wall_ms: i64 = r.get(from + 1)?;
    let kind: String = r.get(from + 2)?;
    let row: String = r.get(from + 6)?;
    let hash = if table == "lines" {
        let (product, source, text): (Option<String>, String, String) =
            (r.get(from + 3)?, r.get(from + 4)?, r.get(from + 5)?);
        let provenance: Option<String> = r.get(from + 7)?;
        let line = Row::Line {
            wall_ms,
            kind: &kind,
            product: product.as_deref(),
            source: &source,
            text: &text,
            row: &row,
            provenance: provenance.as_deref(),
        };
        link(prev, id, &line)
    } else {
        link(prev, id, &Row::Event { wall_ms, kind: &kind, row: &row })
    };
    Ok(Some((id, wall_ms, hash)))
}

fn anchor_of(conn: &rusqlite::Connection) -> Result<ChainHead, StoreError> {
    Ok(conn
        .query_row("SELECT seq, hash FROM chain_anchor WHERE id = 1", [], |r| {
            Ok(ChainHead { seq: r.get(0)?, hash: r.get(1)? })
        })
        .optional()?
        .unwrap_or(ChainHead { seq: 0, hash: GENESIS.into() }))
}

fn head_of(conn: &rusqlite::Connection) -> Result<ChainHead, StoreError> {
    match conn
        .query_row("SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok(ChainHead { seq: r.get(0)?, hash: r.get(1)? })
        })
        .optional()?
    {
        Some(head) => Ok(head),
        None => anchor_of(conn),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{AiredLine, ConsoleEvent, Lang, LineId, LineKind, LineSource, ProductId, UnixMs};
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("shopcast-chain-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("audit.db")
    }

    fn aired(id: u64, wall: i64) -> ConsoleEvent {
        ConsoleEvent::LineAired(AiredLine {
            line: LineId(id),
            t_ms: 0,
            kind: LineKind::Pitch(model::Facet::Offer),
            product: (!id.is_multiple_of(3)).then(|| ProductId(format!("p{}", id % 5))),
            text: format!("Line {id} costs ¥{}.00.", 100 + id),
            lang: Lang::En,
            source: LineSource::Template,
            duration_ms: 1000,
            note: None,
            fallbacks: Vec::new(),
            trigger: None,
            guard: Vec::new(),
            wall: UnixMs(wall),
            by: None,
            asked_by: 0,
        })
    }

    fn action(n: u64) -> ConsoleEvent {
        ConsoleEvent::ModeratorAction { action: format!("pinned p{n}") }
    }

    /// A log of `n` rows, lines and events mixed, one second apart.
    fn filled(path: &std::path::Path, n: u64) -> Store {
        let store = Store::open(path, 30).unwrap();
        for i in 1..=n {
            let event = if i.is_multiple_of(4) { action(i) } else { aired(i, i as i64 * 1000) };
            store.record(&event, UnixMs(i as i64 * 1000)).unwrap();
        }
        store
    }

    /// The position of the link that covers a table's row.
    fn seq_of(store: &Store, table: &str, id: i64) -> i64 {
        store
            .conn
            .query_row("SELECT seq FROM chain WHERE tbl = ?1 AND row_id = ?2", params![table, id], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn an_untouched_log_verifies_and_every_row_moves_the_head() {
        let path = scratch("untouched");
        let store = filled(&path, 40);
        let report = store.verify_chain().unwrap();
        assert!(report.holds(), "{report:?}");
        assert_eq!(report.links, 40);
        assert_eq!(report.head.seq, 40);
        let before = store.chain_head().unwrap();
        store.record(&aired(41, 41_000), UnixMs(41_000)).unwrap();
        let after = store.chain_head().unwrap();
        assert_ne!(before.hash, after.hash);
        assert_eq!(after.seq, 41);
        // The chain survives a reopen (a restart) and goes on from its head.
        drop(store);
        let store = Store::open(&path, 30).unwrap();
        store.record(&action(42), UnixMs(42_000)).unwrap();
        assert!(store.verify_chain().unwrap().holds());
    }

    /// Every column of every kind of row, changed at random places of random logs: the first broken link is the
    /// changed row's, never earlier and never missed.
    #[test]
    fn any_changed_column_breaks_the_chain_at_that_row() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let line_edits = [
            "UPDATE lines SET text = text || ' Only 2 left!' WHERE id = ?1",
            "UPDATE lines SET wall_ms = wall_ms + 1 WHERE id = ?1",
            "UPDATE lines SET kind = '\"answer\"' WHERE id = ?1",
            "UPDATE lines SET product = 'other' WHERE id = ?1",
            "UPDATE lines SET product = NULL WHERE id = ?1",
            "UPDATE lines SET source = '\"moderator\"' WHERE id = ?1",
            "UPDATE lines SET row = replace(row, '¥', '$') WHERE id = ?1",
        ];
        let event_edits = [
            "UPDATE events SET row = replace(row, 'pinned', 'unpinned') WHERE id = ?1",
            "UPDATE events SET kind = 'source_health' WHERE id = ?1",
            "UPDATE events SET wall_ms = 0 WHERE id = ?1",
        ];
        for round in 0..12 {
            let path = scratch(&format!("edit-{round}"));
            let store = filled(&path, 24);
            let (table, edit) = if round % 3 == 2 {
                ("events", event_edits[next(event_edits.len() as u64) as usize])
            } else {
                ("lines", line_edits[next(line_edits.len() as u64) as usize])
            };
            let count: i64 = store.conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).unwrap();
            let id = 1 + next(count as u64) as i64;
            let changed = store.conn.execute(edit, params![id]).unwrap();
            let report = store.verify_chain().unwrap();
            if changed == 0 {
                continue;
            }
            let broken = report.first_break.unwrap_or_else(|| panic!("{edit} on {table} {id} went unnoticed"));
            assert_eq!((broken.table.as_str(), broken.row_id), (table, id), "{edit}: {broken:?}");
            assert_eq!(broken.seq, seq_of(&store, table, id));
            assert!(broken.problem.contains("changed"), "{}", broken.problem);
        }
    }

    #[test]
    fn deleted_inserted_and_unlinked_rows_are_named() {
        let path = scratch("deleted");
        let store = filled(&path, 20);
        store.conn.execute("DELETE FROM lines WHERE id = 7", []).unwrap();
        let broken = store.verify_chain().unwrap().first_break.unwrap();
        assert_eq!((broken.table.as_str(), broken.row_id), ("lines", 7));
        assert!(broken.problem.contains("deleted"), "{}", broken.problem);

        let path = scratch("inserted");
        let store = filled(&path, 20);
        store.conn.execute("INSERT INTO events (wall_ms, kind, row) VALUES (5, 'moderator_action', '{}')", []).unwrap();
        let report = store.verify_chain().unwrap();
        assert!(report.first_break.is_none());
        assert_eq!(report.unlinked_rows, [("events".to_string(), 6)]);
        assert!(!report.holds());

        // A row and its link removed together leave a gap in the chain.
        let path = scratch("gap");
        let store = filled(&path, 20);
        let seq = seq_of(&store, "lines", 3);
        store.conn.execute("DELETE FROM lines WHERE id = 3", []).unwrap();
        store.conn.execute("DELETE FROM chain WHERE seq = ?1", params![seq]).unwrap();
        let broken = store.verify_chain().unwrap().first_break.unwrap();
        assert_eq!(broken.seq, seq + 1);
        assert!(broken.problem.contains("missing"), "{}", broken.problem);

        // Rewriting a link's hash by hand breaks the next one.
        let path = scratch("relinked");
        let store = filled(&path, 20);
        store.conn.execute("UPDATE chain SET hash = ?1 WHERE seq = 9", params![GENESIS]).unwrap();
        let broken = store.verify_chain().unwrap().first_break.unwrap();
        assert_eq!(broken.seq, 9);
    }

    #[test]
    fn retention_removes_the_oldest_links_and_what_remains_still_verifies() {
        let path = scratch("retention");
        let store = Store::open(&path, 1).unwrap();
        let day = 86_400_000i64;
        for i in 0..30i64 {
            // Ten rows on each of three days.
            let wall = (i / 10) * day + i * 1000;
            let event = if i % 4 == 0 { action(i as u64) } else { aired(i as u64, wall) };
            store.record(&event, UnixMs(wall)).unwrap();
        }
        // On the third day, with one day kept, the first day's ten rows go.
        assert_eq!(store.purge(UnixMs(2 * day + 500)).unwrap(), 10);
        let report = store.verify_chain().unwrap();
        assert!(report.holds(), "{report:?}");
        assert_eq!((report.anchor.seq, report.links), (10, 20));
        // Everything goes; new rows chain on from the anchor without reusing its positions.
        assert_eq!(store.purge(UnixMs(10 * day)).unwrap(), 20);
        store.record(&aired(99, 10 * day), UnixMs(10 * day)).unwrap();
        let report = store.verify_chain().unwrap();
        assert!(report.holds(), "{report:?}");
        assert_eq!((report.anchor.seq, report.head.seq), (30, 31));
    }

    #[test]
    fn a_log_from_before_the_chain_is_sealed_once_when_opened() {
        let path = scratch("legacy");
        {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE lines (id INTEGER PRIMARY KEY, wall_ms INTEGER NOT NULL, kind TEXT NOT NULL,
                     product TEXT, source TEXT NOT NULL, text TEXT NOT NULL, row TEXT NOT NULL);
                 CREATE TABLE events (id INTEGER PRIMARY KEY, wall_ms INTEGER NOT NULL, kind TEXT NOT NULL,
                     row TEXT NOT NULL);
                 INSERT INTO lines (wall_ms, kind, product, source, text, row) VALUES (2000, 'k', NULL, 's', 't', '{}');
                 INSERT INTO events (wall_ms, kind, row) VALUES (1000, 'moderator_action', '{}');",
            )
            .unwrap();
        }
        let store = Store::open(&path, 30).unwrap();
        let report = store.verify_chain().unwrap();
        assert!(report.holds(), "{report:?}");
        assert_eq!(report.links, 2);
        // Oldest first: the event (1000) before the line (2000).
        assert_eq!(seq_of(&store, "events", 1), 1);
        // A row slipped in later is not sealed by the next open.
        store.conn.execute("INSERT INTO events (wall_ms, kind, row) VALUES (3000, 'x', '{}')", []).unwrap();
        drop(store);
        let store = Store::open(&path, 30).unwrap();
        assert_eq!(store.verify_chain().unwrap().unlinked_rows, [("events".to_string(), 2)]);
    }
}
