//! When an output's ffmpeg is started again after a failure: a stream the ingest refused or dropped is retried
//! with exponential backoff (capped low, so the show is back on the platform within seconds of the server); a
//! stream that ran long enough counts as recovered, and its next failure starts the backoff from the beginning.
//! Files (recordings, `--video`) are never retried: a full disk or a folder that went away stops them with an
//! error while the show goes on.
//!
//! Pure decisions on a clock passed in, so the tests drive it with made-up instants.

use super::{Destination, OutputError};
use crate::backoff::{Backoff, Jitter};
use std::time::{Duration, Instant};

/// A stream that ran this long before failing counts as recovered: the next failure waits `first` again.
pub const STABLE_AFTER: Duration = Duration::from_secs(10);

/// The default backoff: 0.5 s, doubling, at most 3 s (so a server that comes back is reached within about 3 s).
pub fn default_backoff() -> Backoff {
    Backoff::new(Duration::from_millis(500), Duration::from_secs(3))
}

/// What to do after an output failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Start ffmpeg again at this instant.
    RetryAt(Instant),
    /// Stop this output for the rest of the show.
    GiveUp,
}

/// The restart policy of one output.
#[derive(Debug)]
pub struct Restarts {
    backoff: Backoff,
    jitter: Jitter,
    /// Failures since the output last ran stably.
    failures: u32,
    /// When the running ffmpeg was started.
    started: Option<Instant>,
    /// ffmpeg starts after the first.
    pub restarts: u64,
}

impl Restarts {
    pub fn new(backoff: Backoff, jitter: Jitter) -> Restarts {
        Restarts { backoff, jitter, failures: 0, started: None, restarts: 0 }
    }

    /// ffmpeg was started at `now`.
    pub fn started(&mut self, now: Instant) {
        if self.started.is_some() || self.failures > 0 {
            self.restarts += 1;
        }
        self.started = Some(now);
    }

    /// ffmpeg failed at `now` with `error`, writing to `destination`.
    pub fn failed(&mut self, now: Instant, destination: &Destination, error: &OutputError) -> AfterFailure {
        if !retries(destination, error) {
            return AfterFailure::GiveUp;
        }
        if self.started.take().is_some_and(|at| now.saturating_duration_since(at) >= STABLE_AFTER) {
            self.failures = 0;
        }
        let delay = self.backoff.jittered(self.failures, &mut self.jitter);
        self.failures = self.failures.saturating_add(1);
        AfterFailure::RetryAt(now + delay)
    }

    /// Failures in a row so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }
}

/// Only live streams are retried, and only for failures a restart can cure (ffmpeg lost or was refused the
/// connection); a missing ffmpeg or a bad destination will not get better.
pub fn retries(destination: &Destination, error: &OutputError) -> bool {
    matches!(destination, Destination::Rtmp { .. }) && error.is_retryable()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lost() -> OutputError {
        OutputError::Ffmpeg {
            what: "ffmpeg stopped".into(),
            destination: "x".into(),
            hint: "",
            said: "Broken pipe".into(),
        }
    }

    fn rtmp() -> Destination {
        Destination::rtmp("rtmp://127.0.0.1/live/x", None).unwrap()
    }

    fn wait(decision: AfterFailure, now: Instant) -> Duration {
        match decision {
            AfterFailure::RetryAt(at) => at - now,
            AfterFailure::GiveUp => panic!("gave up"),
        }
    }

    #[test]
    fn a_refusing_server_is_retried_with_growing_capped_waits() {
        let backoff = Backoff::new(Duration::from_millis(500), Duration::from_secs(3));
        let mut restarts = Restarts::new(backoff, Jitter::with_seed(1));
        let t0 = Instant::now();
        let mut now = t0;
        let mut waits = Vec::new();
        for retry in 0..6 {
            restarts.started(now);
            // Refused at once, every time.
            let waited = wait(restarts.failed(now, &rtmp(), &lost()), now);
            assert!(waited >= backoff.delay(retry) / 2 && waited <= backoff.delay(retry), "{retry}: {waited:?}");
            waits.push(waited);
            now += waited;
        }
        assert!(waits.iter().all(|w| *w <= Duration::from_secs(3)), "{waits:?}");
        assert!(waits[4] >= Duration::from_millis(1500), "the waits grow: {waits:?}");
        assert_eq!(restarts.restarts, 5);
        assert_eq!(restarts.failures(), 6);
    }

    #[test]
    fn a_stream_that_ran_stably_starts_the_backoff_over() {
        let mut restarts = Restarts::new(default_backoff(), Jitter::with_seed(2));
        let t0 = Instant::now();
        for n in 0..4 {
            restarts.started(t0 + Duration::from_secs(n));
            restarts.failed(t0 + Duration::from_secs(n), &rtmp(), &lost());
        }
        assert_eq!(restarts.failures(), 4);
        let up = t0 + Duration::from_secs(10);
        restarts.started(up);
        // It ran a minute before the server went away: the first retry comes after the shortest wait again.
        let waited =
            wait(restarts.failed(up + Duration::from_secs(60), &rtmp(), &lost()), up + Duration::from_secs(60));
        assert!(waited <= Duration::from_millis(500), "{waited:?}");
        assert_eq!(restarts.failures(), 1);
    }

    #[test]
    fn files_and_hopeless_failures_are_not_retried() {
        let mut restarts = Restarts::new(default_backoff(), Jitter::with_seed(3));
        let now = Instant::now();
        let file = Destination::File("show.mp4".into());
        assert_eq!(restarts.failed(now, &file, &lost()), AfterFailure::GiveUp, "a full disk stops a file");
        let record = Destination::Segments { dir: "rec".into(), period: Duration::from_secs(3600) };
        assert_eq!(restarts.failed(now, &record, &lost()), AfterFailure::GiveUp);
        assert_eq!(restarts.failed(now, &rtmp(), &OutputError::NotInstalled), AfterFailure::GiveUp);
        assert!(matches!(restarts.failed(now, &rtmp(), &lost()), AfterFailure::RetryAt(_)));
    }
}
