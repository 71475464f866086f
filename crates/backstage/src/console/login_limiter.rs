//! Wrong console tokens counted per client address: `governor`'s GCRA per address, in a table that is swept of
//! forgiven addresses as it grows, so a spray from many addresses cannot grow it without bound.

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::nanos::Nanos;
use governor::state::StateStore;
use governor::state::keyed::{HashMapStateStore, ShrinkableKeyedStateStore};
use governor::{Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The table is swept (addresses whose wrong guesses are all forgiven go) once it holds this many addresses, and
/// after that whenever it has doubled since the last sweep: sweeping stays amortised O(1) a guess.
const FIRST_SWEEP_AT: usize = 1024;

/// The per-address state, shared between the rate limiter (which owns a [`FailureCounts`]) and the
/// [`LoginLimiter`] (which forgets an address after a right token and asks without counting).
#[derive(Default)]
struct Shared {
    counts: HashMapStateStore<IpAddr>,
    /// While set, a check decides as usual but leaves the address's count as it was. Only set under the
    /// `LoginLimiter`'s `&mut self`, so no other check can see it.
    asking: AtomicBool,
}

/// Governor's hash-map store, with the "ask without counting" switch.
struct FailureCounts(Arc<Shared>);

impl StateStore for FailureCounts {
    type Key = IpAddr;

    fn measure_and_replace<T, F, E>(&self, key: &IpAddr, f: F) -> Result<T, E>
    where
        F: Fn(Option<Nanos>) -> Result<(T, Nanos), E>,
    {
        if self.0.asking.load(Ordering::Acquire) {
            // Keep the state the decision was made from (zero is governor's "never seen").
            self.0
                .counts
                .measure_and_replace(key, |old| f(old).map(|(decision, _)| (decision, old.unwrap_or(Nanos::new(0)))))
        } else {
            self.0.counts.measure_and_replace(key, f)
        }
    }
}

impl ShrinkableKeyedStateStore<IpAddr> for FailureCounts {
    fn retain_recent(&self, drop_below: Nanos) {
        self.0.counts.retain_recent(drop_below);
    }

    fn shrink_to_fit(&self) {
        self.0.counts.shrink_to_fit();
    }

    fn len(&self) -> usize {
        self.0.counts.len()
    }

    fn is_empty(&self) -> bool {
        self.0.counts.is_empty()
    }
}

/// The limit `fail` counts against before any `check` has said one (the console always checks first).
const UNCHECKED_LIMIT: u32 = 5;

type Failures<C> = RateLimiter<IpAddr, FailureCounts, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// Failed token guesses by client address: `limit` a minute, refilled one at a time (a burst of `limit`, then one
/// every `60 / limit` seconds).
pub(crate) struct LoginLimiter<C: Clock = DefaultClock> {
    clock: C,
    shared: Arc<Shared>,
    /// Built for its limit on first use, and again if the limit changes (the console's limit is fixed at start).
    failures: Option<(u32, Failures<C>)>,
    sweep_at: usize,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        LoginLimiter::with_clock(DefaultClock::default())
    }
}

impl<C: Clock + Clone> LoginLimiter<C> {
    pub fn with_clock(clock: C) -> Self {
        LoginLimiter { clock, shared: Arc::default(), failures: None, sweep_at: FIRST_SWEEP_AT }
    }

    fn build(&mut self, limit: u32) {
        let limit = limit.max(1);
        if self.failures.as_ref().is_some_and(|(built_for, _)| *built_for == limit) {
            return;
        }
        self.shared = Arc::default();
        let quota = Quota::per_minute(NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN));
        self.failures = Some((limit, RateLimiter::new(quota, FailureCounts(self.shared.clone()), self.clock.clone())));
        self.sweep_at = FIRST_SWEEP_AT;
    }

    /// `Err(seconds to wait)` when `addr` has used up its guesses. Counts nothing.
    pub fn check(&mut self, addr: IpAddr, limit: u32) -> Result<(), u64> {
        self.build(limit);
        let Some((_, failures)) = &self.failures else { return Ok(()) };
        let now = self.clock.now();
        self.shared.asking.store(true, Ordering::Release);
        let decision = failures.check_key(&addr);
        self.shared.asking.store(false, Ordering::Release);
        decision.map_err(|not_until| {
            let wait = not_until.wait_time_from(now);
            u64::try_from(wait.as_millis().div_ceil(1000)).unwrap_or(u64::MAX).max(1)
        })
    }

    /// Counts one wrong token from `addr`, against the limit the last `check` used.
    pub fn fail(&mut self, addr: IpAddr) {
        if self.failures.is_none() {
            self.build(UNCHECKED_LIMIT);
        }
        if let Some((_, failures)) = &self.failures {
            let _ = failures.check_key(&addr);
        }
        self.sweep();
    }

    /// A right token forgives `addr`'s earlier wrong ones.
    pub fn succeed(&mut self, addr: IpAddr) {
        self.shared.counts.lock().remove(&addr);
    }

    /// How many addresses the table holds.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.shared.counts.len()
    }

    fn sweep(&mut self) {
        let Some((_, failures)) = &self.failures else { return };
        if failures.len() < self.sweep_at {
            return;
        }
        failures.retain_recent();
        failures.shrink_to_fit();
        self.sweep_at = (failures.len() * 2).max(FIRST_SWEEP_AT);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;
    use std::net::Ipv6Addr;
    use std::time::Duration;

    #[test]
    fn a_right_token_forgives_and_asking_counts_nothing() {
        let mut limiter = LoginLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..100 {
            assert!(limiter.check(a, 2).is_ok(), "asking is free");
        }
        limiter.fail(a);
        limiter.fail(a);
        assert!(limiter.check(a, 2).is_err());
        limiter.succeed(a);
        assert!(limiter.check(a, 2).is_ok());
    }

    #[test]
    fn guesses_come_back_one_at_a_time() {
        let clock = FakeRelativeClock::default();
        let mut limiter = LoginLimiter::with_clock(clock.clone());
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        // As the console does: ask, compare, count the wrong one.
        for _ in 0..6 {
            assert_eq!(limiter.check(a, 6), Ok(()));
            limiter.fail(a);
        }
        assert_eq!(limiter.check(a, 6), Err(10), "six a minute: one more after ten seconds");
        clock.advance(Duration::from_secs(10));
        assert_eq!(limiter.check(a, 6), Ok(()));
    }

    #[test]
    fn a_spray_from_many_addresses_does_not_grow_the_table_without_bound() {
        let clock = FakeRelativeClock::default();
        let mut limiter = LoginLimiter::with_clock(clock.clone());
        let mut largest = 0;
        // 300,000 addresses, each guessing once, 1,000 a second for five minutes.
        for i in 0u32..300_000 {
            let addr = IpAddr::V6(Ipv6Addr::from((u128::from(i) << 64) | 1));
            let _ = limiter.check(addr, 5);
            limiter.fail(addr);
            if i % 1000 == 999 {
                clock.advance(Duration::from_secs(1));
            }
            largest = largest.max(limiter.len());
        }
        // At five a minute a guess is forgiven 24 s after it was made, so about 24,000 addresses are live at once;
        // sweeps keep the table within about twice that.
        assert!(largest <= 60_000, "the table grew to {largest} addresses");
    }
}
