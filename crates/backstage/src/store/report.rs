//! What a show did, for the merchandiser: airtime per product, the questions asked, answered, merged, dropped and
//! escalated over time, how long answers took, what the guard stopped, and the chat's viewers and paid messages.
//! Read from the audit log (lines, events and the `chat_minute` rows); `shopcast report` draws it.

use super::chat_minutes::{ChatMinute, PaidSum};
use super::{Store, StoreError};
use model::{AiredLine, LineKind, UnixMs};
use rusqlite::params;
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts in one stretch of time.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub start: UnixMs,
    /// Questions viewers asked (about a product, its price, stock or shipping).
    pub asked: u32,
    /// Answers said (each may answer several viewers who asked the same).
    pub answered: u32,
    /// Viewers whose question was answered together with another's (an answer to three is two merged).
    pub merged: u32,
    /// Questions dropped unanswered (the moment passed, or a moderator deleted them).
    pub dropped: u32,
    /// Comments handed to the moderators.
    pub escalated: u32,
    /// Distinct viewers who wrote, summed over the minutes (a viewer writing in two minutes counts twice).
    pub viewer_minutes: u32,
    pub comments: u32,
    pub paid: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Airtime {
    /// The product id, or "" for lines about no product (the AI disclosure, holding lines, care lines).
    pub product: String,
    pub ms: u64,
    pub lines: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ShowReport {
    pub from: UnixMs,
    pub to: UnixMs,
    pub bucket_ms: i64,
    pub buckets: Vec<Bucket>,
    /// Most airtime first.
    pub airtime: Vec<Airtime>,
    /// Comment to the start of its answer, for every answer with a comment behind it.
    pub answer_delays_ms: Vec<i64>,
    /// Guard interventions by rule (snake_case), most first.
    pub guard: Vec<(String, u32)>,
    /// Paid messages per currency over the whole stretch.
    pub paid: Vec<PaidSum>,
    pub lines: u32,
    /// Rows the report could not read (written by another version, or damaged); `shopcast audit verify` says more.
    pub unreadable: u32,
}

/// The bucket size for a stretch of this length: about 12 to 48 buckets.
pub fn bucket_ms_for(span_ms: i64) -> i64 {
    const MIN: i64 = 60_000;
    match span_ms {
        s if s <= 2 * 3_600_000 => 5 * MIN,
        s if s <= 12 * 3_600_000 => 15 * MIN,
        s if s <= 48 * 3_600_000 => 60 * MIN,
        _ => 360 * MIN,
    }
}

impl Store {
    /// The report for lines and events from `from` up to (not including) `to`.
    pub fn report(&self, from: UnixMs, to: UnixMs) -> Result<ShowReport, StoreError> {
        let to = UnixMs(to.0.max(from.0 + 1));
        let bucket_ms = bucket_ms_for(to.0 - from.0);
        let count = ((to.0 - from.0 + bucket_ms - 1) / bucket_ms).max(1) as usize;
        let mut report = ShowReport {
            from,
            to,
            bucket_ms,
            buckets: (0..count)
                .map(|i| Bucket { start: UnixMs(from.0 + i as i64 * bucket_ms), ..Bucket::default() })
                .collect(),
            ..ShowReport::default()
        };
        let index = |t: i64| (((t - from.0).max(0) / bucket_ms) as usize).min(count - 1);
        let mut airtime: BTreeMap<String, Airtime> = BTreeMap::new();
        let mut guard: BTreeMap<String, u32> = BTreeMap::new();
        let mut statement = self
            .conn
            .prepare("SELECT wall_ms, row FROM lines WHERE wall_ms >= ?1 AND wall_ms < ?2 ORDER BY wall_ms")?;
        let rows: Vec<(i64, String)> =
            statement.query_map(params![from.0, to.0], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
        for (wall, row) in rows {
            let Ok(line) = serde_json::from_str::<AiredLine>(&row) else {
                report.unreadable += 1;
                continue;
            };
            report.lines += 1;
            let product = line.product.as_ref().map(|p| p.0.clone()).unwrap_or_default();
            let entry = airtime.entry(product.clone()).or_insert_with(|| Airtime { product, ..Airtime::default() });
            entry.ms += u64::from(line.duration_ms);
            entry.lines += 1;
            for note in &line.guard {
                let rule = serde_json::to_value(note.rule).ok().and_then(|v| v.as_str().map(str::to_string));
                *guard.entry(rule.unwrap_or_else(|| "other".into())).or_default() += 1;
            }
            if matches!(line.kind, LineKind::Answer(_)) {
                let bucket = &mut report.buckets[index(wall)];
                bucket.answered += 1;
                bucket.merged += line.asked_by.saturating_sub(1);
                if let Some(comment) = &line.trigger {
                    let delay = line.wall.0 - comment.time.0;
                    // A clock far off on the platform's side says nothing about the show's speed.
                    if (0..=3_600_000).contains(&delay) {
                        report.answer_delays_ms.push(delay);
                    }
                }
            }
        }
        let mut statement = self.conn.prepare(
            "SELECT wall_ms, kind, row FROM events WHERE wall_ms >= ?1 AND wall_ms < ?2
             AND kind IN ('question_dropped', 'escalated', 'chat_minute') ORDER BY wall_ms",
        )?;
        let rows: Vec<(i64, String, String)> = statement
            .query_map(params![from.0, to.0], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        let mut paid: Vec<PaidSum> = Vec::new();
        for (wall, kind, row) in rows {
            match kind.as_str() {
                "question_dropped" => report.buckets[index(wall)].dropped += 1,
                "escalated" => report.buckets[index(wall)].escalated += 1,
                _ => {
                    let Ok(minute) = serde_json::from_str::<ChatMinute>(&row) else {
                        report.unreadable += 1;
                        continue;
                    };
                    let bucket = &mut report.buckets[index(minute.minute.0)];
                    bucket.asked += minute.questions;
                    bucket.comments += minute.comments;
                    bucket.viewer_minutes += minute.viewers;
                    for sum in &minute.paid {
                        bucket.paid += sum.count;
                        match paid.iter_mut().find(|p| p.currency == sum.currency) {
                            Some(total) => {
                                total.count += sum.count;
                                total.minor = total.minor.saturating_add(sum.minor);
                            }
                            None => paid.push(sum.clone()),
                        }
                    }
                }
            }
        }
        report.paid = paid;
        report.airtime = airtime.into_values().collect();
        report.airtime.sort_by(|a, b| b.ms.cmp(&a.ms).then_with(|| a.product.cmp(&b.product)));
        report.guard = guard.into_iter().collect();
        report.guard.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::chat_minutes::ChatMinute;
    use model::{
        Comment, CommentFlags, CommentId, ConsoleEvent, GuardAction, GuardNote, GuardRule, Intent, Lang, LineId,
        LineSource, Platform, ProductId,
    };
    use proptest::prelude::*;

    fn store(name: &str) -> (Store, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("shopcast-report-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        (Store::open(&dir.join("audit.db"), 3650).unwrap(), dir)
    }

    fn line(id: u64, wall: i64, kind: LineKind, product: Option<&str>, ms: u32) -> AiredLine {
        AiredLine {
            line: LineId(id),
            t_ms: 0,
            kind,
            product: product.map(|p| ProductId(p.into())),
            text: format!("line {id}"),
            lang: Lang::En,
            source: LineSource::Template,
            duration_ms: ms,
            note: None,
            fallbacks: Vec::new(),
            trigger: None,
            wall: UnixMs(wall),
            guard: Vec::new(),
            by: None,
            asked_by: 0,
        }
    }

    fn asked(at: i64) -> Comment {
        Comment {
            platform: Platform::Twitch,
            id: CommentId(format!("c{at}")),
            user_id: "u".into(),
            user_name: "u".into(),
            text: "how much?".into(),
            time: UnixMs(at),
            paid: None,
            flags: CommentFlags::default(),
        }
    }

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn a_show_is_summed_per_product_per_interval_and_per_rule() {
        let (store, dir) = store("sums");
        let answer = Intent::PriceStockShipping;
        let mut merged = line(2, T0 + 60_000, LineKind::Answer(answer), Some("kettle"), 4_000);
        merged.trigger = Some(asked(T0 + 52_000));
        merged.asked_by = 3;
        let mut guarded = line(3, T0 + 11 * 60_000, LineKind::Pitch(model::Facet::Offer), Some("scarf"), 6_000);
        let note = |rule| GuardNote { rule, action: GuardAction::Dropped, original: "x".into() };
        guarded.guard =
            vec![note(GuardRule::UnbackedPrice), note(GuardRule::UnbackedPrice), note(GuardRule::ClaimsHuman)];
        let mut late = line(4, T0 + 12 * 60_000, LineKind::Answer(answer), Some("kettle"), 5_000);
        late.trigger = Some(asked(T0 + 12 * 60_000 - 30_000));
        for event in [
            ConsoleEvent::LineAired(line(1, T0, LineKind::Disclosure, None, 3_000)),
            ConsoleEvent::LineAired(merged),
            ConsoleEvent::LineAired(guarded),
            ConsoleEvent::LineAired(late),
            // Before the stretch: not counted.
            ConsoleEvent::LineAired(line(5, T0 - 1, LineKind::Pitch(model::Facet::Hook), Some("kettle"), 9_000)),
        ] {
            store.record(&event, UnixMs(T0)).unwrap();
        }
        store.append_event(T0 + 61 * 1000, "question_dropped", "{}").unwrap();
        store.append_event(T0 + 11 * 60_000, "escalated", "{}").unwrap();
        let minute = ChatMinute {
            minute: UnixMs(T0 + 60_000),
            comments: 9,
            questions: 4,
            viewers: 6,
            by_intent: Default::default(),
            paid: vec![PaidSum { currency: "CNY".into(), count: 2, minor: 3_000 }],
        };
        store.record_chat_minute(&minute).unwrap();
        let report = store.report(UnixMs(T0), UnixMs(T0 + 3_600_000)).unwrap();
        assert_eq!(report.bucket_ms, 5 * 60_000);
        assert_eq!(report.buckets.len(), 12);
        assert_eq!(report.lines, 4);
        let airtime: Vec<(&str, u64, u32)> =
            report.airtime.iter().map(|a| (a.product.as_str(), a.ms, a.lines)).collect();
        assert_eq!(airtime, [("kettle", 9_000, 2), ("scarf", 6_000, 1), ("", 3_000, 1)]);
        let first = &report.buckets[0];
        assert_eq!((first.asked, first.answered, first.merged, first.dropped), (4, 1, 2, 1));
        assert_eq!((first.comments, first.viewer_minutes, first.paid), (9, 6, 2));
        let third = &report.buckets[2];
        assert_eq!((third.answered, third.escalated), (1, 1));
        assert_eq!(report.answer_delays_ms, [8_000, 30_000]);
        assert_eq!(report.guard, [("unbacked_price".to_string(), 2), ("claims_human".to_string(), 1)]);
        assert_eq!(report.paid, [PaidSum { currency: "CNY".into(), count: 2, minor: 3_000 }]);
        std::fs::remove_dir_all(dir).ok();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Any mix of lines over any stretch: every line inside it is counted once, its airtime lands on its
        /// product, and every answer lands in exactly one interval.
        #[test]
        fn whatever_the_lines_the_totals_match_them(
            lines in proptest::collection::vec((0i64..30_000_000, 0u8..4, 0u8..3, 1u32..20_000, 0u32..5), 0..60),
            span in 60_000i64..40_000_000,
        ) {
            let (store, dir) = store(&format!("prop-{}", lines.len()));
            let mut expected_ms: BTreeMap<String, u64> = BTreeMap::new();
            let mut expected_answers = 0;
            let mut expected_merged = 0;
            for (i, (offset, kind, product, ms, asked_by)) in lines.iter().enumerate() {
                let product = ["kettle", "scarf", "lamp"].get(usize::from(*product)).copied().filter(|_| *kind != 0);
                let kind = match kind {
                    0 => LineKind::Disclosure,
                    1 => LineKind::Pitch(model::Facet::Hook),
                    _ => LineKind::Answer(Intent::ProductQuestion),
                };
                let mut aired = line(i as u64, T0 + offset, kind, product, *ms);
                aired.asked_by = *asked_by;
                if *offset < span {
                    *expected_ms.entry(product.unwrap_or("").to_string()).or_default() += u64::from(*ms);
                    if matches!(kind, LineKind::Answer(_)) {
                        expected_answers += 1;
                        expected_merged += asked_by.saturating_sub(1);
                    }
                }
                store.record(&ConsoleEvent::LineAired(aired), UnixMs(T0)).unwrap();
            }
            let report = store.report(UnixMs(T0), UnixMs(T0 + span)).unwrap();
            let got: BTreeMap<String, u64> = report.airtime.iter().map(|a| (a.product.clone(), a.ms)).collect();
            prop_assert_eq!(got, expected_ms);
            prop_assert_eq!(report.buckets.iter().map(|b| b.answered).sum::<u32>(), expected_answers);
            prop_assert_eq!(report.buckets.iter().map(|b| b.merged).sum::<u32>(), expected_merged);
            prop_assert!(report.buckets.len() <= 60, "{} buckets", report.buckets.len());
            prop_assert!(report.airtime.windows(2).all(|w| w[0].ms >= w[1].ms), "most airtime first");
            std::fs::remove_dir_all(dir).ok();
        }
    }
}
