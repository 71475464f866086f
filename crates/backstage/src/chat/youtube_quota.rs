//! The YouTube Data API's daily quota, budgeted: every `liveChatMessages.list` costs units (5 by default) out of
//! the project's daily quota (10,000 by default), so polling every 5 s would spend a day's quota in under five hours
//! and leave the show deaf to YouTube until it resets. The poller never asks more often than the quota allows for
//! the hours the show must last, and tells the console how long the quota lasts at the rate it is going.
//!
//! YouTube resets quotas at midnight Pacific time; shopcast counts a rolling 24 hours instead, which needs no time
//! zone and can only be more careful.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

const DAY: Duration = Duration::from_secs(24 * 3600);

/// The quota and the calls spent from it in the last 24 hours.
#[derive(Debug)]
pub struct QuotaBudget {
    /// Units a day (`[chat] youtube_daily_quota`).
    pub daily_units: u32,
    /// Units one poll costs.
    pub cost_per_poll: u32,
    /// How long the quota must last (`[chat] youtube_quota_hours`, at most 24).
    pub must_last: Duration,
    calls: VecDeque<Instant>,
}

impl QuotaBudget {
    pub fn new(daily_units: u32, cost_per_poll: u32, must_last: Duration) -> QuotaBudget {
        QuotaBudget {
            daily_units: daily_units.max(1),
            cost_per_poll: cost_per_poll.max(1),
            must_last: must_last.clamp(Duration::from_secs(60), DAY),
            calls: VecDeque::new(),
        }
    }

    /// The shortest interval between polls that keeps the quota for `must_last`.
    pub fn min_interval(&self) -> Duration {
        let polls = (self.daily_units / self.cost_per_poll).max(1);
        self.must_last / polls
    }

    /// One poll was made at `now`.
    pub fn spend(&mut self, now: Instant) {
        self.forget_before(now);
        self.calls.push_back(now);
        // Bounded: never more calls remembered than a day's quota allows, whatever the caller does.
        let most = (self.daily_units / self.cost_per_poll) as usize + 1;
        while self.calls.len() > most {
            self.calls.pop_front();
        }
    }

    fn forget_before(&mut self, now: Instant) {
        while self.calls.front().is_some_and(|t| now.saturating_duration_since(*t) >= DAY) {
            self.calls.pop_front();
        }
    }

    /// Units spent in the 24 hours before `now`.
    pub fn used(&mut self, now: Instant) -> u32 {
        self.forget_before(now);
        (self.calls.len() as u32).saturating_mul(self.cost_per_poll)
    }

    /// How long the units left last when polling every `interval` (`None`: longer than the rolling day, so the
    /// quota never runs out at this rate).
    pub fn lasts(&mut self, now: Instant, interval: Duration) -> Option<Duration> {
        let left = self.daily_units.saturating_sub(self.used(now)) / self.cost_per_poll;
        let lasts = interval.saturating_mul(left);
        (lasts < DAY).then_some(lasts)
    }

    /// The console's line about it.
    pub fn describe(&mut self, now: Instant, interval: Duration) -> String {
        let used = self.used(now);
        let pace = match self.lasts(now, interval) {
            None => "at this pace it lasts the whole day".to_string(),
            Some(d) => format!("at this pace it lasts {:.1} h more", d.as_secs_f64() / 3600.0),
        };
        format!(
            "YouTube quota: {used} of {} units used in the last 24 h, polling every {:.1} s; {pace}",
            self.daily_units,
            interval.as_secs_f64()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_keeps_the_quota_for_the_hours_asked() {
        let day = QuotaBudget::new(10_000, 5, DAY);
        assert_eq!(day.min_interval(), Duration::from_millis(43_200), "2000 polls over 24 h");
        let show = QuotaBudget::new(10_000, 5, Duration::from_secs(4 * 3600));
        assert_eq!(show.min_interval(), Duration::from_millis(7_200));
        let big = QuotaBudget::new(1_000_000, 5, DAY);
        assert!(big.min_interval() < Duration::from_secs(1));
        let silly = QuotaBudget::new(0, 0, Duration::ZERO);
        assert!(silly.min_interval() >= Duration::from_secs(60), "no division by zero, no spin");
    }

    #[test]
    fn spending_is_counted_over_a_rolling_day_and_said_plainly() {
        let mut budget = QuotaBudget::new(100, 5, DAY);
        let start = Instant::now();
        for i in 0..10 {
            budget.spend(start + Duration::from_secs(i * 60));
        }
        let now = start + Duration::from_secs(600);
        assert_eq!(budget.used(now), 50);
        // 10 polls left at one a minute: 10 minutes.
        assert_eq!(budget.lasts(now, Duration::from_secs(60)), Some(Duration::from_secs(600)));
        let said = budget.describe(now, Duration::from_secs(60));
        assert!(said.contains("50 of 100 units") && said.contains("0.2 h more"), "{said}");
        // A day later the early calls no longer count.
        assert_eq!(budget.used(start + DAY + Duration::from_secs(301)), 20);
        assert_eq!(budget.used(start + DAY * 2), 0);
        assert_eq!(budget.lasts(start + DAY * 2, Duration::from_secs(3600)), Some(Duration::from_secs(20 * 3600)));
        assert_eq!(budget.lasts(start + DAY * 2, Duration::from_secs(7200)), None, "20 polls every 2 h: over a day");
        // However many calls, memory stays bounded by the quota.
        for i in 0..10_000 {
            budget.spend(now + Duration::from_millis(i));
        }
        assert!(budget.calls.len() <= 21);
    }
}
