//! How long the fleet's audit is kept: whole months, oldest first, once every row of a month is older than the
//! retention period (three years at least, as on a single machine: see
//! [`backstage::store::MIN_RETENTION_DAYS`]). The audit table refuses to change a row, so a month goes as a whole
//! partition: detached and dropped. Each room's chain then starts from an anchor, the last link of what went
//! (`audit_anchors`), and [`Pg::verify_chain`] checks from there.
//!
//! Workers run it once a day ([`Pg::drop_old_audit`], under an advisory lock, so one worker does it at a time).

use crate::FleetError;
use crate::pg::{Pg, month_start_ms};

/// One month's partition of the audit, as PostgreSQL names it (`audit_y2026m12`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Month {
    year: i16,
    month: i8,
}

impl Month {
    fn parse(table: &str) -> Option<Month> {
        let rest = table.strip_prefix("audit_y")?;
        let (year, month) = rest.split_once('m')?;
        let (year, month) = (year.parse().ok()?, month.parse().ok()?);
        (1..=12).contains(&month).then_some(Month { year, month })
    }

    fn table(&self) -> String {
        format!("audit_y{:04}m{:02}", self.year, self.month)
    }

    /// Where the next month starts: every row of this one is older.
    fn end_ms(&self) -> i64 {
        let (year, month) = if self.month == 12 { (self.year + 1, 1) } else { (self.year, self.month + 1) };
        month_start_ms(year, month)
    }
}

impl Pg {
    /// Drops the audit's months that end at or before `cutoff_ms`, oldest first, moving each room's chain anchor to
    /// the last link dropped; returns the partitions dropped. A month is refused (with the rooms named) when one of
    /// its rows comes after a row of a later month in a room's chain (a clock that went back across the month's
    /// end): dropping it would cut a chain in the middle.
    pub async fn drop_audit_before(&self, cutoff_ms: i64) -> Result<Vec<String>, FleetError> {
        let tables: Vec<String> = self
            .with(async |client| {
                let rows = client
                    .query(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                         JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'audit'",
                        &[],
                    )
                    .await?;
                Ok(rows.iter().map(|r| r.get::<_, String>(0)).collect())
            })
            .await?;
        let mut months: Vec<Month> =
            tables.iter().filter_map(|t| Month::parse(t)).filter(|m| m.end_ms() <= cutoff_ms).collect();
        months.sort();
        let Some(last) = months.last() else { return Ok(Vec::new()) };
        // Every month due goes in one transaction: a chain may cross between them (a clock that went back), but
        // not from them into what stays.
        let end = last.end_ms();
        let names: Vec<String> = months.iter().map(Month::table).collect();
        let due =
            names.iter().map(|t| format!("SELECT room, seq, hash FROM {t}")).collect::<Vec<_>>().join(" UNION ALL ");
        let crossing: Vec<String> = self
            .with(async |client| {
                let tx = client.transaction().await?;
                // One worker at a time, and not while another makes a partition.
                tx.execute("SELECT pg_advisory_xact_lock(7193476)", &[]).await?;
                let crossing = tx
                    .query(
                        &format!(
                            "SELECT d.room FROM ({due}) d GROUP BY d.room
                             HAVING max(d.seq) > (SELECT min(a.seq) FROM audit a WHERE a.room = d.room AND a.wall_ms >= $1)"
                        ),
                        &[&end],
                    )
                    .await?;
                let crossing: Vec<String> = crossing.iter().map(|r| r.get(0)).collect();
                if !crossing.is_empty() {
                    tx.rollback().await?;
                    return Ok(crossing);
                }
                tx.execute(
                    &format!(
                        "INSERT INTO audit_anchors (room, seq, hash)
                         SELECT DISTINCT ON (room) room, seq, hash FROM ({due}) d ORDER BY room, seq DESC
                         ON CONFLICT (room) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
                         WHERE excluded.seq > audit_anchors.seq"
                    ),
                    &[],
                )
                .await?;
                for table in &names {
                    tx.batch_execute(&format!("ALTER TABLE audit DETACH PARTITION {table}; DROP TABLE {table};"))
                        .await?;
                }
                tx.commit().await?;
                Ok(Vec::new())
            })
            .await?;
        if !crossing.is_empty() {
            return Err(FleetError::Other(format!(
                "the audit months {} were kept: in room(s) {} a row of them comes after a row of a later month (a \
                 clock went back across a month's end), so dropping them would cut the chain; they go once that \
                 month is old enough too",
                names.join(", "),
                crossing.join(", ")
            )));
        }
        for month in &months {
            self.forget_month(month.year, month.month);
        }
        tracing::info!("audit: {} dropped (older than the retention period)", names.join(", "));
        Ok(names)
    }

    /// Drops what is older than `retain_days` (at least [`backstage::store::MIN_RETENTION_DAYS`]).
    pub async fn drop_old_audit(&self, retain_days: u32, now: model::UnixMs) -> Result<Vec<String>, FleetError> {
        if retain_days < backstage::store::MIN_RETENTION_DAYS {
            return Err(FleetError::Other(format!(
                "the audit is kept at least {} days; {retain_days} is too short",
                backstage::store::MIN_RETENTION_DAYS
            )));
        }
        self.drop_audit_before(now.0.saturating_sub(i64::from(retain_days) * 86_400_000)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_names_read_back_and_months_end_where_the_next_begins() {
        let december = Month::parse("audit_y2026m12").unwrap();
        assert_eq!(december, Month { year: 2026, month: 12 });
        assert_eq!(december.table(), "audit_y2026m12");
        assert_eq!(december.end_ms(), month_start_ms(2027, 1));
        assert!(Month { year: 2026, month: 11 } < december && december < Month { year: 2027, month: 1 });
        for bad in ["audit", "audit_y2026", "audit_y2026m13", "audit_y2026m0", "lines_y2026m01", "audit_yXm01"] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
    }
}
