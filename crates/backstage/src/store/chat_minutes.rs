//! The chat in numbers, a minute at a time: how many comments came, how many were questions, how many viewers
//! wrote and what they paid. The audit writer counts triaged comments here and writes one `chat_minute` row per
//! minute with comments (never their words or names), which `shopcast report` reads.

use super::{Store, StoreError};
use model::{Comment, Intent, TriageLabel, UnixMs};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub const MINUTE_MS: i64 = 60_000;

/// One minute of chat, as the `chat_minute` row keeps it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMinute {
    /// The minute's start (wall clock, a whole minute).
    pub minute: UnixMs,
    pub comments: u32,
    /// Comments that ask about a product, its price, stock or shipping.
    pub questions: u32,
    /// Distinct viewers who wrote.
    pub viewers: u32,
    /// Comments per intent (snake_case names).
    #[serde(default)]
    pub by_intent: BTreeMap<String, u32>,
    /// Paid messages per currency: how many and how much (minor units).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paid: Vec<PaidSum>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaidSum {
    pub currency: String,
    pub count: u32,
    pub minor: i64,
}

/// Whether a comment with this intent is a question the host answers from the product data.
pub fn is_question(intent: Intent) -> bool {
    matches!(intent, Intent::ProductQuestion | Intent::PriceStockShipping)
}

/// Counts comments into the minute they arrived in (the comment's own time); hands back each finished minute.
#[derive(Debug, Default)]
pub struct ChatCounter {
    current: Option<(ChatMinute, BTreeSet<String>)>,
}

impl ChatCounter {
    /// Counts one triaged comment; when it belongs to a later minute than the one being counted, that minute is
    /// finished and returned.
    pub fn count(&mut self, comment: &Comment, label: &TriageLabel, now: UnixMs) -> Option<ChatMinute> {
        // The comment's own time, unless a platform sent one from the far past or future: then when it came.
        let at = if (comment.time.0 - now.0).abs() <= 10 * MINUTE_MS { comment.time } else { now };
        let minute = UnixMs(at.0.div_euclid(MINUTE_MS) * MINUTE_MS);
        let finished = match &self.current {
            Some((counting, _)) if counting.minute.0 < minute.0 => self.finish(),
            _ => None,
        };
        let (counting, viewers) =
            self.current.get_or_insert_with(|| (ChatMinute { minute, ..ChatMinute::default() }, BTreeSet::new()));
        counting.comments += 1;
        counting.questions += u32::from(is_question(label.intent));
        let intent = serde_json::to_value(label.intent).ok().and_then(|v| v.as_str().map(str::to_string));
        *counting.by_intent.entry(intent.unwrap_or_else(|| "other".into())).or_default() += 1;
        if viewers.insert(format!("{:?}:{}", comment.platform, comment.user_id)) {
            counting.viewers += 1;
        }
        if let Some(paid) = &comment.paid {
            let code = paid.currency.code().to_string();
            match counting.paid.iter_mut().find(|p| p.currency == code) {
                Some(sum) => {
                    sum.count += 1;
                    sum.minor = sum.minor.saturating_add(paid.minor);
                }
                None => counting.paid.push(PaidSum { currency: code, count: 1, minor: paid.minor }),
            }
        }
        finished
    }

    /// The minute being counted, if its minute is over at `now` (called on a timer, so a quiet chat still gets its
    /// last busy minute written).
    pub fn due(&mut self, now: UnixMs) -> Option<ChatMinute> {
        match &self.current {
            Some((counting, _)) if counting.minute.0 + MINUTE_MS <= now.0 => self.finish(),
            _ => None,
        }
    }

    /// Whatever is being counted, finished or not (at shutdown).
    pub fn finish(&mut self) -> Option<ChatMinute> {
        self.current.take().map(|(minute, _)| minute)
    }
}

impl Store {
    /// One minute of chat in numbers (an event `chat_minute`, stamped with the minute's start).
    pub fn record_chat_minute(&self, minute: &ChatMinute) -> Result<(), StoreError> {
        self.append_event(minute.minute.0, "chat_minute", &serde_json::to_string(minute)?)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{CommentFlags, CommentId, Currency, Money, Platform};

    fn comment(user: &str, at: i64, paid: Option<(&str, &str)>) -> Comment {
        Comment {
            platform: Platform::Youtube,
            id: CommentId(format!("{user}-{at}")),
            user_id: user.into(),
            user_name: user.into(),
            text: "words never counted".into(),
            time: UnixMs(at),
            paid: paid.map(|(amount, currency)| {
                Money::parse_decimal(amount, Currency::parse(currency).expect("a currency")).expect("an amount")
            }),
            flags: CommentFlags::default(),
        }
    }

    fn label(intent: Intent) -> TriageLabel {
        TriageLabel::new(intent, 0.9)
    }

    #[test]
    fn comments_are_counted_into_their_minute_with_viewers_once_and_payments_per_currency() {
        let mut counter = ChatCounter::default();
        let base = 1_800_000_000_000 - 1_800_000_000_000 % MINUTE_MS;
        let now = UnixMs(base + 30_000);
        assert_eq!(counter.count(&comment("ann", base + 1_000, None), &label(Intent::ProductQuestion), now), None);
        assert_eq!(counter.count(&comment("ann", base + 2_000, None), &label(Intent::Greeting), now), None);
        let paid = comment("bo", base + 3_000, Some(("30", "CNY")));
        assert_eq!(counter.count(&paid, &label(Intent::PriceStockShipping), now), None);
        let more = comment("cy", base + 4_000, Some(("5.50", "CNY")));
        assert_eq!(counter.count(&more, &label(Intent::Praise), now), None);
        let usd = comment("dee", base + 5_000, Some(("2", "USD")));
        assert_eq!(counter.count(&usd, &label(Intent::Praise), now), None);
        assert_eq!(counter.due(UnixMs(base + 59_999)), None, "the minute is not over yet");
        // The next minute's first comment finishes this one.
        let next = comment("ann", base + MINUTE_MS + 10, None);
        let minute = counter.count(&next, &label(Intent::Other), UnixMs(base + MINUTE_MS + 10)).expect("a minute");
        assert_eq!(minute.minute, UnixMs(base));
        assert_eq!((minute.comments, minute.questions, minute.viewers), (5, 2, 4));
        assert_eq!(minute.by_intent.get("praise"), Some(&2));
        let cny = minute.paid.iter().find(|p| p.currency == "CNY").expect("CNY");
        assert_eq!((cny.count, cny.minor), (2, 3_550));
        assert_eq!(minute.paid.iter().find(|p| p.currency == "USD").map(|p| (p.count, p.minor)), Some((1, 200)));
        let row = serde_json::to_string(&minute).unwrap();
        assert!(!row.contains("words never counted") && !row.contains("ann"), "no words, no names: {row}");
        // A quiet chat: the timer finishes the last minute.
        let last = counter.due(UnixMs(base + 2 * MINUTE_MS)).expect("the second minute");
        assert_eq!((last.minute, last.comments), (UnixMs(base + MINUTE_MS), 1));
        assert_eq!(counter.finish(), None);
    }

    #[test]
    fn a_comment_stamped_far_from_now_counts_when_it_came() {
        let mut counter = ChatCounter::default();
        let now = UnixMs(1_800_000_030_000);
        counter.count(&comment("ann", 5, None), &label(Intent::Other), now);
        let minute = counter.finish().expect("a minute");
        assert_eq!(minute.minute.0, now.0 - now.0 % MINUTE_MS);
    }
}
