//! The show report's care section: how many viewers needed a person, of which kind, and how long each waited for
//! a moderator to claim them. Read from typed rows of the audit log: the show's `escalated` events (with their care
//! category) and the console's `escalation_step` rows (claim, release, handled, with the moderator's name), never
//! from the prose of moderator notes.

use super::{Store, StoreError};
use model::{CareKind, Comment, ConsoleEvent, UnixMs};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The row the console writes for each step a moderator takes on an escalation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationStep {
    /// The escalated comment: its platform and id ([`escalation_key`]).
    pub key: String,
    /// `claimed`, `released` or `handled`.
    pub step: String,
    /// The moderator.
    pub by: String,
}

/// How the audit log and the console name one escalated comment: its platform and id.
pub fn escalation_key(comment: &Comment) -> String {
    format!("{}:{}", comment.platform.code(), comment.id.0)
}

/// One care category in a show report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CareCount {
    pub category: String,
    /// Viewers (escalated comments) of this kind.
    pub raised: usize,
    /// Of those, claimed by a moderator.
    pub claimed: usize,
    /// Of those, marked handled.
    pub handled: usize,
    /// Never claimed within the report's period.
    pub unclaimed: usize,
    /// Time from the show raising it to the first claim, in milliseconds: median, 95th percentile and longest.
    pub claim_ms_median: Option<i64>,
    pub claim_ms_p95: Option<i64>,
    pub claim_ms_max: Option<i64>,
}

/// Care events raised at or after a moment, per category, with their time to claim.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CareReport {
    /// Every category, in [`CareKind::ALL`]'s order, those with nothing raised included.
    pub categories: Vec<CareCount>,
}

impl CareReport {
    pub fn raised(&self) -> usize {
        self.categories.iter().map(|c| c.raised).sum()
    }

    pub fn unclaimed(&self) -> usize {
        self.categories.iter().map(|c| c.unclaimed).sum()
    }
}

/// One escalation as the report follows it.
struct Followed {
    kind: CareKind,
    raised: i64,
    claimed: Option<i64>,
    handled: bool,
}

impl Store {
    /// Writes a moderator's step on an escalation (see [`EscalationStep`]).
    pub fn record_escalation_step(&self, step: &EscalationStep, now: UnixMs) -> Result<(), StoreError> {
        self.append_event(now.0, "escalation_step", &serde_json::to_string(step)?)?;
        Ok(())
    }

    /// The care section of the show report for everything raised at or after `since`.
    pub fn care_report(&self, since: UnixMs) -> Result<CareReport, StoreError> {
        let mut statement = self.conn.prepare(
            "SELECT wall_ms, kind, row FROM events WHERE wall_ms >= ?1 AND kind IN ('escalated', 'escalation_step') \
             ORDER BY wall_ms, id",
        )?;
        let rows = statement.query_map(params![since.0], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?;
        let mut followed: BTreeMap<String, Followed> = BTreeMap::new();
        for row in rows {
            let (at, kind, row) = row?;
            if kind == "escalated" {
                // A row this version cannot read (written by another version) is left out, not fatal.
                let Ok(ConsoleEvent::Escalated { comment, care: Some(kind), .. }) = serde_json::from_str(&row) else {
                    continue;
                };
                // The first raise counts; a later raise of the same comment is the same viewer still waiting.
                followed.entry(escalation_key(&comment)).or_insert(Followed {
                    kind,
                    raised: at,
                    claimed: None,
                    handled: false,
                });
            } else if let Ok(step) = serde_json::from_str::<EscalationStep>(&row)
                && let Some(f) = followed.get_mut(&step.key)
            {
                match step.step.as_str() {
                    "claimed" => f.claimed = f.claimed.or(Some(at - f.raised)),
                    "handled" => f.handled = true,
                    _ => {}
                }
            }
        }
        let categories = CareKind::ALL
            .iter()
            .map(|kind| {
                let of_kind: Vec<&Followed> = followed.values().filter(|f| f.kind == *kind).collect();
                let mut waits: Vec<i64> = of_kind.iter().filter_map(|f| f.claimed).collect();
                waits.sort_unstable();
                // Nearest rank: the smallest wait that at least that share of claims took.
                let at = |q: f64| {
                    let rank = ((waits.len() as f64 * q).ceil() as usize).saturating_sub(1);
                    waits.get(rank).map(|w| (*w).max(0))
                };
                CareCount {
                    category: kind.to_string(),
                    raised: of_kind.len(),
                    claimed: waits.len(),
                    handled: of_kind.iter().filter(|f| f.handled).count(),
                    unclaimed: of_kind.len() - waits.len(),
                    claim_ms_median: at(0.5),
                    claim_ms_p95: at(0.95),
                    claim_ms_max: waits.last().map(|w| (*w).max(0)),
                }
            })
            .collect();
        Ok(CareReport { categories })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{CommentFlags, CommentId, Intent, Platform};

    fn escalated(id: &str, care: Option<CareKind>) -> ConsoleEvent {
        ConsoleEvent::Escalated {
            comment: Comment {
                platform: Platform::Twitch,
                id: CommentId(id.into()),
                user_id: format!("u-{id}"),
                user_name: "someone".into(),
                text: "words".into(),
                time: UnixMs(0),
                paid: None,
                flags: CommentFlags::default(),
            },
            intent: Intent::HealthOrSafety,
            reason: None,
            care,
        }
    }

    fn step(id: &str, step: &str, by: &str) -> EscalationStep {
        EscalationStep { key: format!("twitch:{id}"), step: step.into(), by: by.into() }
    }

    /// Three crises (claimed after 30 s and 90 s, one never), a scam report claimed and handled, a complaint (no care
    /// category, not counted) and a second raise of the same crisis (counted once, from its first raise).
    #[test]
    fn the_report_counts_care_events_and_their_time_to_claim() {
        let dir = std::env::temp_dir().join(format!("shopcast-care-report-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = Store::open(&dir.join("audit.db"), 30).unwrap();
        let t = |s: i64| UnixMs(1_000_000 + s * 1000);
        store.record(&escalated("a", Some(CareKind::Crisis)), t(0)).unwrap();
        store.record(&escalated("b", Some(CareKind::Crisis)), t(10)).unwrap();
        store.record(&escalated("c", Some(CareKind::Crisis)), t(20)).unwrap();
        store.record(&escalated("d", Some(CareKind::Scam)), t(25)).unwrap();
        store.record(&escalated("e", None), t(26)).unwrap();
        store.record_escalation_step(&step("e", "claimed", "Ann"), t(27)).unwrap();
        store.record_escalation_step(&step("a", "claimed", "Ann"), t(30)).unwrap();
        store.record(&escalated("a", Some(CareKind::Crisis)), t(40)).unwrap();
        store.record_escalation_step(&step("a", "released", "Ann"), t(50)).unwrap();
        store.record_escalation_step(&step("a", "claimed", "Bo"), t(60)).unwrap();
        store.record_escalation_step(&step("b", "claimed", "Bo"), t(100)).unwrap();
        store.record_escalation_step(&step("d", "claimed", "Cy"), t(30)).unwrap();
        store.record_escalation_step(&step("d", "handled", "Cy"), t(90)).unwrap();
        let report = store.care_report(UnixMs(0)).unwrap();
        let crisis = &report.categories[0];
        assert_eq!(crisis.category, "crisis");
        assert_eq!((crisis.raised, crisis.claimed, crisis.handled, crisis.unclaimed), (3, 2, 0, 1));
        assert_eq!(
            (crisis.claim_ms_median, crisis.claim_ms_p95, crisis.claim_ms_max),
            (Some(30_000), Some(90_000), Some(90_000))
        );
        let scam = report.categories.iter().find(|c| c.category == "scam").unwrap();
        assert_eq!((scam.raised, scam.claimed, scam.handled, scam.claim_ms_max), (1, 1, 1, Some(5_000)));
        assert_eq!((report.raised(), report.unclaimed()), (4, 1));
        assert_eq!(report.categories.len(), CareKind::ALL.len());
        // Only what was raised since the moment asked for: c and d, and a, raised again at 40 s.
        assert_eq!(store.care_report(t(15)).unwrap().raised(), 3);
        assert_eq!(store.care_report(t(41)).unwrap().raised(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
