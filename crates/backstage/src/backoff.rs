//! Retry delays for every reconnecting or retrying adapter (LLM, OBS, Twitch, YouTube): one formula, exponential
//! and capped, with `fastrand` jitter so clients that failed together do not retry together.

use std::time::Duration;

/// Exponential backoff: `first`, doubling with each retry, never above `max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub first: Duration,
    pub max: Duration,
}

impl Backoff {
    pub fn new(first: Duration, max: Duration) -> Backoff {
        Backoff { first, max }
    }

    /// `first * 2^retry`, capped at `max`: retry 0 waits `first`.
    pub fn delay(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        self.first.saturating_mul(factor).min(self.max)
    }

    /// [`Backoff::delay`] spread by `jitter`.
    pub fn jittered(&self, retry: u32, jitter: &mut Jitter) -> Duration {
        jitter.spread(self.delay(retry))
    }
}

/// Spreads delays over 50 to 100 % of themselves ("equal jitter"): never more than the backoff asked for, never
/// less than half. Seeded from the operating system; spread, not secrecy, is the point.
#[derive(Debug)]
pub struct Jitter(fastrand::Rng);

impl Default for Jitter {
    fn default() -> Self {
        Jitter::new()
    }
}

impl Jitter {
    pub fn new() -> Jitter {
        Jitter(fastrand::Rng::new())
    }

    /// The same spread every run, for tests.
    pub fn with_seed(seed: u64) -> Jitter {
        Jitter(fastrand::Rng::with_seed(seed))
    }

    pub fn spread(&mut self, delay: Duration) -> Duration {
        let half = delay / 2;
        let spread = u64::try_from(half.as_micros()).unwrap_or(u64::MAX);
        half + Duration::from_micros(self.0.u64(0..=spread))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap() {
        let backoff = Backoff::new(Duration::from_millis(100), Duration::from_secs(2));
        let delays: Vec<u128> = (0..7).map(|n| backoff.delay(n).as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(backoff.delay(u32::MAX), backoff.max);
        let huge = Backoff::new(Duration::from_secs(u64::MAX / 2), Duration::MAX);
        assert_eq!(huge.delay(40), Duration::MAX, "saturates instead of overflowing");
    }

    #[test]
    fn jitter_stays_within_half_to_full_and_spreads() {
        let mut jitter = Jitter::with_seed(7);
        let samples: Vec<Duration> = (0..200).map(|_| jitter.spread(Duration::from_millis(800))).collect();
        assert!(samples.iter().all(|d| *d >= Duration::from_millis(400) && *d <= Duration::from_millis(800)));
        let distinct: std::collections::BTreeSet<_> = samples.iter().collect();
        assert!(distinct.len() > 100, "jitter should spread retries, got {} distinct delays", distinct.len());
        assert_eq!(jitter.spread(Duration::ZERO), Duration::ZERO);
        let backoff = Backoff::new(Duration::from_millis(250), Duration::from_secs(4));
        for retry in [0, 1, 5, 40, u32::MAX] {
            let delay = backoff.jittered(retry, &mut jitter);
            assert!(delay >= backoff.delay(retry) / 2 && delay <= backoff.delay(retry), "{retry}: {delay:?}");
        }
    }
}
