//! What the fleet keeps, in PostgreSQL: rooms and their audit logs (accounts and each room's moderation: see
//! [`crate::keeper`]).
//!
//! The audit has the single-machine store's columns and links ([`backstage::store::chain::Record`]): one chain per
//! room, numbered by `seq`, each link a SHA-256 over the link before it and the row. The table is partitioned by
//! month of `wall_ms` (a partition is made the first time a month is written) and append-only: a trigger refuses
//! every UPDATE, DELETE and TRUNCATE, so retention can only drop whole months, oldest first.
//!
//! The connection comes back by itself: a call that finds it broken drops it, and the next call connects again.

use crate::{FleetError, RoomId};
use backstage::store::AuditSink;
use backstage::store::chain::{GENESIS, Record};
use director::ResumePoint;
use model::{AiredLine, LineKind, UnixMs};
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::Mutex;
use tokio_postgres::{Client, NoTls};

/// Versioned schema changes, applied in order, each once, in its own transaction, under an advisory lock so that
/// workers starting together do not race. Never edit one that has shipped: add the next.
const MIGRATIONS: &[(i32, &str)] = &[
    (
        1,
        "CREATE TABLE rooms (
         id TEXT PRIMARY KEY,
         show_toml TEXT NOT NULL,
         products_name TEXT NOT NULL,
         products TEXT NOT NULL,
         scene_toml TEXT,
         stopped BOOLEAN NOT NULL DEFAULT false,
         created_ms BIGINT NOT NULL,
         updated_ms BIGINT NOT NULL
     );
     CREATE TABLE audit (
         room TEXT NOT NULL,
         seq BIGINT NOT NULL,
         tbl TEXT NOT NULL CHECK (tbl IN ('lines', 'events')),
         wall_ms BIGINT NOT NULL,
         kind TEXT NOT NULL,
         product TEXT,
         source TEXT,
         text TEXT,
         row TEXT NOT NULL,
         provenance TEXT,
         hash TEXT NOT NULL,
         PRIMARY KEY (room, seq, wall_ms)
     ) PARTITION BY RANGE (wall_ms);
     CREATE TABLE audit_heads (
         room TEXT PRIMARY KEY,
         seq BIGINT NOT NULL,
         hash TEXT NOT NULL
     );
     CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
         RAISE EXCEPTION 'the audit log is append-only';
     END $$;
     CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
         FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
     CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
         FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();",
    ),
    (
        2,
        // What a room's next holder puts back: the moderators' standing overrides and the lines held for them, as
        // the director last reported them (keys `overrides` and `held`).
        "CREATE TABLE room_state (
             room TEXT NOT NULL,
             key TEXT NOT NULL,
             row TEXT NOT NULL,
             changed_ms BIGINT NOT NULL,
             PRIMARY KEY (room, key)
         );",
    ),
    (
        3,
        // Named console accounts for the whole fleet, each scoped to rooms (NULL: every room), and each room's
        // standing moderation (modes per intent, bans and time-outs) and viewer memory (returning viewers, and
        // those who asked to be forgotten: a row with only the refusal).
        "CREATE TABLE accounts (
             name TEXT PRIMARY KEY,
             role TEXT NOT NULL CHECK (role IN ('moderator', 'merchandiser', 'admin')),
             password_hash TEXT NOT NULL,
             rooms TEXT[],
             created_ms BIGINT NOT NULL
         );
         CREATE TABLE room_moderation_modes (
             room TEXT NOT NULL,
             intent TEXT NOT NULL,
             mode TEXT NOT NULL,
             changed_ms BIGINT NOT NULL,
             PRIMARY KEY (room, intent)
         );
         CREATE TABLE room_blocked_viewers (
             room TEXT NOT NULL,
             user_id TEXT NOT NULL,
             user_name TEXT NOT NULL,
             since_ms BIGINT NOT NULL,
             until_ms BIGINT,
             PRIMARY KEY (room, user_id)
         );
         CREATE TABLE room_viewers (
             room TEXT NOT NULL,
             user_id TEXT NOT NULL,
             name TEXT,
             first_seen_ms BIGINT,
             last_seen_ms BIGINT,
             visits INTEGER NOT NULL DEFAULT 0,
             opted_out BOOLEAN NOT NULL DEFAULT false,
             PRIMARY KEY (room, user_id)
         );",
    ),
    (
        4,
        // Where each room's chain starts once retention dropped its oldest months: the last link dropped.
        "CREATE TABLE audit_anchors (
             room TEXT PRIMARY KEY,
             seq BIGINT NOT NULL,
             hash TEXT NOT NULL
         );",
    ),
];

/// A room as the fleet keeps it: its files' text, so any worker can start it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RoomRecord {
    pub id: RoomId,
    /// show.toml's text ("" for the defaults).
    pub show_toml: String,
    /// The product file's name, which tells its format with its content (`products.csv`, `feed.xml`).
    pub products_name: String,
    pub products: String,
    pub scene_toml: Option<String>,
    /// Stopped rooms are kept but no worker runs them.
    pub stopped: bool,
}

/// The fleet's PostgreSQL database.
pub struct Pg {
    config: tokio_postgres::Config,
    client: Mutex<Option<Client>>,
    /// Whether this process has brought the schema up to date (done on the first connection that works).
    migrated: std::sync::atomic::AtomicBool,
    /// Months whose audit partition this process has made or seen.
    months: std::sync::Mutex<HashSet<(i16, i8)>>,
}

fn month_of(wall_ms: i64) -> (i16, i8) {
    let ts = jiff::Timestamp::from_millisecond(wall_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let date = jiff::tz::Offset::UTC.to_datetime(ts).date();
    (date.year(), date.month())
}

pub(crate) fn month_start_ms(year: i16, month: i8) -> i64 {
    let start = jiff::civil::date(year, month, 1).to_datetime(jiff::civil::Time::midnight());
    jiff::tz::Offset::UTC.to_timestamp(start).map(|t| t.as_millisecond()).unwrap_or(i64::MAX)
}

impl Pg {
    /// Connects and brings the schema up to date: for commands, which should fail at once when the database is
    /// not there.
    pub async fn connect(url: &str) -> Result<Arc<Pg>, FleetError> {
        let pg = Pg::lazy(url)?;
        pg.with(async |_| Ok(())).await?;
        Ok(pg)
    }

    /// The database at `url`, connected (and migrated) on first use and again after every lost connection: for
    /// workers, which start and keep going while the database is away. Only a malformed URL is an error here.
    pub fn lazy(url: &str) -> Result<Arc<Pg>, FleetError> {
        let mut config: tokio_postgres::Config = url.parse().map_err(|e| {
            FleetError::Other(format!(
                "the PostgreSQL URL {:?} cannot be read ({e}); write it as postgres://USER@HOST:PORT/DATABASE",
                backstage::store::audit::without_credentials(url)
            ))
        })?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(std::time::Duration::from_secs(5));
        }
        config.application_name("shopcast fleet");
        Ok(Arc::new(Pg { config, client: Mutex::new(None), migrated: Default::default(), months: Default::default() }))
    }

    async fn client(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Client>>, FleetError> {
        let mut guard = self.client.lock().await;
        if guard.as_ref().is_none_or(|c| c.is_closed()) {
            *guard = None;
            let (mut client, connection) = self.config.connect(NoTls).await?;
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::warn!("PostgreSQL connection ended: {e}");
                }
            });
            if !self.migrated.load(std::sync::atomic::Ordering::Acquire) {
                migrate(&mut client).await?;
                self.migrated.store(true, std::sync::atomic::Ordering::Release);
            }
            *guard = Some(client);
        }
        Ok(guard)
    }

    /// Runs `work` on the connection; a failure that closed it leaves it to be made again next time.
    pub(crate) async fn with<R>(
        &self,
        work: impl AsyncFnOnce(&mut Client) -> Result<R, tokio_postgres::Error>,
    ) -> Result<R, FleetError> {
        let mut guard = self.client().await?;
        let Some(client) = guard.as_mut() else {
            return Err(FleetError::Other("no PostgreSQL connection".into()));
        };
        let result = work(client).await;
        if result.is_err() && client.is_closed() {
            *guard = None;
        }
        Ok(result?)
    }

    /// Adds a room; with `replace`, an existing room of that id gets the new files (its audit stays).
    pub async fn put_room(&self, room: &RoomRecord, replace: bool) -> Result<(), FleetError> {
        let now = backstage::clock::wall_now().0;
        let added = self
            .with(async |client| {
                let sql = if replace {
                    "INSERT INTO rooms (id, show_toml, products_name, products, scene_toml, stopped, created_ms, updated_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
                     ON CONFLICT (id) DO UPDATE SET show_toml = excluded.show_toml,
                         products_name = excluded.products_name, products = excluded.products,
                         scene_toml = excluded.scene_toml, updated_ms = excluded.updated_ms"
                } else {
                    "INSERT INTO rooms (id, show_toml, products_name, products, scene_toml, stopped, created_ms, updated_ms)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (id) DO NOTHING"
                };
                client
                    .execute(
                        sql,
                        &[
                            &room.id.as_str(),
                            &room.show_toml,
                            &room.products_name,
                            &room.products,
                            &room.scene_toml,
                            &room.stopped,
                            &now,
                        ],
                    )
                    .await
            })
            .await?;
        if added == 0 {
            return Err(FleetError::Other(format!(
                "room {} already exists; pass --replace to give it these files",
                room.id
            )));
        }
        Ok(())
    }

    pub async fn rooms(&self) -> Result<Vec<RoomRecord>, FleetError> {
        let rows = self
            .with(async |client| {
                client
                    .query(
                        "SELECT id, show_toml, products_name, products, scene_toml, stopped FROM rooms ORDER BY id",
                        &[],
                    )
                    .await
            })
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(RoomRecord {
                    id: RoomId::parse(r.get(0)).ok()?,
                    show_toml: r.get(1),
                    products_name: r.get(2),
                    products: r.get(3),
                    scene_toml: r.get(4),
                    stopped: r.get(5),
                })
            })
            .collect())
    }

    /// Removes a room (its audit stays); false when there was none.
    pub async fn remove_room(&self, room: &RoomId) -> Result<bool, FleetError> {
        let n = self
            .with(async |client| client.execute("DELETE FROM rooms WHERE id = $1", &[&room.as_str()]).await)
            .await?;
        Ok(n > 0)
    }

    /// Stops or starts a room; false when there is no such room.
    pub async fn set_stopped(&self, room: &RoomId, stopped: bool) -> Result<bool, FleetError> {
        let now = backstage::clock::wall_now().0;
        let n = self
            .with(async |client| {
                client
                    .execute(
                        "UPDATE rooms SET stopped = $2, updated_ms = $3 WHERE id = $1",
                        &[&room.as_str(), &stopped, &now],
                    )
                    .await
            })
            .await?;
        Ok(n > 0)
    }

    /// This process no longer has the month's partition (retention dropped it).
    pub(crate) fn forget_month(&self, year: i16, month: i8) {
        if let Ok(mut months) = self.months.lock() {
            months.remove(&(year, month));
        }
    }

    async fn ensure_partition(&self, wall_ms: i64) -> Result<(), FleetError> {
        let (year, month) = month_of(wall_ms);
        if self.months.lock().map(|m| m.contains(&(year, month))).unwrap_or(false) {
            return Ok(());
        }
        let (next_year, next_month) = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        let sql = format!(
            "CREATE TABLE IF NOT EXISTS audit_y{year:04}m{month:02} PARTITION OF audit FOR VALUES FROM ({}) TO ({})",
            month_start_ms(year, month),
            month_start_ms(next_year, next_month)
        );
        self.with(async |client| {
            let tx = client.transaction().await?;
            // Two workers making the same month's partition at once would collide in the catalog.
            tx.execute("SELECT pg_advisory_xact_lock(7193476)", &[]).await?;
            tx.batch_execute(&sql).await?;
            tx.commit().await
        })
        .await?;
        if let Ok(mut months) = self.months.lock() {
            months.insert((year, month));
        }
        Ok(())
    }

    /// Appends one row to `room`'s chain, with its link, in one transaction; returns its `seq`.
    pub async fn append(&self, room: &RoomId, record: &Record) -> Result<i64, FleetError> {
        self.ensure_partition(record.wall_ms()).await?;
        self.with(async |client| {
            let tx = client.transaction().await?;
            // The head row exists before it is locked, so two writers of a new room's first row queue on it too.
            tx.execute(
                "INSERT INTO audit_heads (room, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (room) DO NOTHING",
                &[&room.as_str(), &GENESIS],
            )
            .await?;
            let head =
                tx.query_opt("SELECT seq, hash FROM audit_heads WHERE room = $1 FOR UPDATE", &[&room.as_str()]).await?;
            let (prev_seq, prev_hash): (i64, String) =
                head.map(|r| (r.get(0), r.get(1))).unwrap_or((0, GENESIS.to_string()));
            let seq = prev_seq + 1;
            let hash = record.link(&prev_hash, seq);
            let (kind, product, source, text, provenance) = match record {
                Record::Line { kind, product, source, text, provenance, .. } => (
                    kind.as_str(),
                    product.as_deref(),
                    Some(source.as_str()),
                    Some(text.as_str()),
                    provenance.as_deref(),
                ),
                Record::Event { kind, .. } => (kind.as_str(), None, None, None, None),
            };
            let row = match record {
                Record::Line { row, .. } | Record::Event { row, .. } => row.as_str(),
            };
            tx.execute(
                "INSERT INTO audit (room, seq, tbl, wall_ms, kind, product, source, text, row, provenance, hash)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                &[
                    &room.as_str(),
                    &seq,
                    &record.table(),
                    &record.wall_ms(),
                    &kind,
                    &product,
                    &source,
                    &text,
                    &row,
                    &provenance,
                    &hash,
                ],
            )
            .await?;
            tx.execute(
                "INSERT INTO audit_heads (room, seq, hash) VALUES ($1, $2, $3)
                 ON CONFLICT (room) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
                &[&room.as_str(), &seq, &hash],
            )
            .await?;
            tx.commit().await?;
            Ok(seq)
        })
        .await
    }

    /// Keeps `row` as `room`'s standing `key` (the latest wins).
    pub async fn put_state(&self, room: &RoomId, key: &str, row: &str) -> Result<(), FleetError> {
        let now = backstage::clock::wall_now().0;
        self.with(async |client| {
            client
                .execute(
                    "INSERT INTO room_state (room, key, row, changed_ms) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (room, key) DO UPDATE SET row = excluded.row, changed_ms = excluded.changed_ms",
                    &[&room.as_str(), &key, &row, &now],
                )
                .await
        })
        .await?;
        Ok(())
    }

    /// What `room`'s director is given back when a worker takes it: the standing overrides and the held lines.
    /// A row this version cannot read is skipped with a warning, never fatal.
    pub async fn restore_inputs(&self, room: &RoomId) -> Result<Vec<director::Input>, FleetError> {
        let rows = self
            .with(async |client| {
                client
                    .query("SELECT key, row FROM room_state WHERE room = $1 ORDER BY key DESC", &[&room.as_str()])
                    .await
            })
            .await?;
        let mut inputs = Vec::new();
        for row in rows {
            let (key, text): (&str, &str) = (row.get(0), row.get(1));
            let input = match key {
                "overrides" => serde_json::from_str::<model::StandingOverrides>(text).map(|state| {
                    (state != model::StandingOverrides::default()).then_some(director::Input::RestoreOverrides(state))
                }),
                "held" => serde_json::from_str::<Vec<model::HeldLine>>(text)
                    .map(|lines| (!lines.is_empty()).then_some(director::Input::RestoreHeldLines(lines))),
                _ => Ok(None),
            };
            match input {
                Ok(Some(input)) => inputs.push(input),
                Ok(None) => {}
                Err(e) => tracing::warn!(%room, "ignoring the stored {key} this version cannot read: {e}"),
            }
        }
        Ok(inputs)
    }

    /// Aired lines of `room` at or after `since`, oldest first.
    pub async fn lines_since(&self, room: &RoomId, since: UnixMs) -> Result<Vec<AiredLine>, FleetError> {
        let rows = self
            .with(async |client| {
                client
                    .query(
                        "SELECT row FROM audit WHERE room = $1 AND tbl = 'lines' AND wall_ms >= $2 ORDER BY seq",
                        &[&room.as_str(), &since.0],
                    )
                    .await
            })
            .await?;
        Ok(rows.iter().filter_map(|r| serde_json::from_str(r.get::<_, &str>(0)).ok()).collect())
    }

    /// Where `room` was when it last spoke, if that was within `within_ms` (a failover or restart picks up there):
    /// the product and facet it was pitching, and its last AI disclosure.
    pub async fn resume_point(&self, room: &RoomId, now: UnixMs, within_ms: i64) -> Result<ResumePoint, FleetError> {
        let mut point = ResumePoint::default();
        for line in self.lines_since(room, UnixMs(now.0 - within_ms)).await?.iter().rev() {
            match (line.kind, &line.product) {
                (LineKind::Pitch(facet), Some(product)) if point.pitching.is_none() => {
                    point.pitching = Some((product.clone(), facet));
                }
                (LineKind::Disclosure, _) if point.last_disclosure.is_none() => point.last_disclosure = Some(line.wall),
                _ => {}
            }
        }
        Ok(point)
    }

    /// The comments `room` answered on air since `since` (by comment id): a comment handed out again after a
    /// failover is not answered twice.
    pub async fn answered(&self, room: &RoomId, since: UnixMs) -> Result<HashSet<String>, FleetError> {
        Ok(self
            .lines_since(room, since)
            .await?
            .into_iter()
            .filter_map(|line| line.trigger.map(|comment| comment.id.0))
            .collect())
    }

    /// Recomputes `room`'s chain: `Ok(links)` when every link holds, or the `seq` of the first that does not.
    pub async fn verify_chain(&self, room: &RoomId) -> Result<Result<u64, i64>, FleetError> {
        let (anchor, rows) = self
            .with(async |client| {
                let anchor = client
                    .query_opt("SELECT seq, hash FROM audit_anchors WHERE room = $1", &[&room.as_str()])
                    .await?
                    .map(|r| (r.get::<_, i64>(0), r.get::<_, String>(1)));
                let rows = client
                    .query(
                        "SELECT seq, tbl, wall_ms, kind, product, source, text, row, provenance, hash
                         FROM audit WHERE room = $1 ORDER BY seq",
                        &[&room.as_str()],
                    )
                    .await?;
                Ok((anchor, rows))
            })
            .await?;
        // Retention may have dropped the oldest months: the chain goes on from their last link.
        let (first, mut prev) = anchor.map_or((1, GENESIS.to_string()), |(seq, hash)| (seq + 1, hash));
        for (expected_seq, row) in (first..).zip(rows.iter()) {
            let seq: i64 = row.get(0);
            let tbl: &str = row.get(1);
            let wall_ms: i64 = row.get(2);
            let record = if tbl == "lines" {
                Record::Line {
                    wall_ms,
                    kind: row.get(3),
                    product: row.get(4),
                    source: row.get::<_, Option<String>>(5).unwrap_or_default(),
                    text: row.get::<_, Option<String>>(6).unwrap_or_default(),
                    row: row.get(7),
                    provenance: row.get(8),
                }
            } else {
                Record::Event { wall_ms, kind: row.get(3), row: row.get(7) }
            };
            let hash: String = row.get(9);
            if seq != expected_seq || record.link(&prev, seq) != hash {
                return Ok(Err(seq));
            }
            prev = hash;
        }
        Ok(Ok(rows.len() as u64))
    }

    /// Rows in `room`'s audit, for tests and the fleet console.
    pub async fn audit_rows(&self, room: &RoomId) -> Result<i64, FleetError> {
        self.with(async |client| {
            client.query_one("SELECT COUNT(*) FROM audit WHERE room = $1", &[&room.as_str()]).await.map(|r| r.get(0))
        })
        .await
    }
}

/// One room's audit, as the shared [`AuditSink`] the show's audit writer uses.
#[derive(Clone)]
pub struct RoomAudit {
    pub pg: Arc<Pg>,
    pub room: RoomId,
}

impl AuditSink for RoomAudit {
    async fn append(&self, record: Record) -> Result<(), String> {
        self.pg.append(&self.room, &record).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// Brings the schema up to date on `client`: each migration once, in order, in one transaction.
async fn migrate(client: &mut Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    // One lock for every worker of every fleet on this database: migrations run one process at a time.
    tx.execute("SELECT pg_advisory_xact_lock(7193475)", &[]).await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)",
    )
    .await?;
    let done: HashSet<i32> =
        tx.query("SELECT version FROM schema_migrations", &[]).await?.iter().map(|r| r.get(0)).collect();
    for (version, sql) in MIGRATIONS {
        if done.contains(version) {
            continue;
        }
        tx.batch_execute(sql).await?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)",
            &[version, &backstage::clock::wall_now().0],
        )
        .await?;
        tracing::info!("PostgreSQL: schema migration {version} applied");
    }
    tx.commit().await
}
