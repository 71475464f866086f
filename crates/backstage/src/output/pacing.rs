//! Real-time pacing for the live show's output: the stream's frame clock ticks at the configured rate whatever the
//! renderer does. Each tick sends the newest rendered frame; frames the renderer made between two ticks are
//! dropped (it ran ahead), and a tick with no new frame repeats the last one (it fell behind). The audio track
//! follows the ticks, so it is never dropped or stretched.
//!
//! Pure decisions on a clock passed in, so the tests drive it with made-up instants.

use std::time::{Duration, Instant};

/// What one tick of the stream's clock sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// The renderer's frame with this number, new on this tick.
    Fresh(u64),
    /// The last frame sent, again.
    Repeat,
}

/// The frame clock and its counts.
#[derive(Debug)]
pub struct Pacer {
    fps: u32,
    /// When tick 0 went out: the first frame's arrival.
    start: Option<Instant>,
    /// Ticks decided so far.
    ticks: u64,
    /// The renderer's number of the last frame sent.
    last: Option<u64>,
    /// Rendered frames never sent (several arrived within one tick).
    pub dropped: u64,
    /// Ticks that repeated the previous frame (no new one arrived in time).
    pub duplicated: u64,
}

impl Pacer {
    pub fn new(fps: u32) -> Pacer {
        Pacer { fps: fps.max(1), start: None, ticks: 0, last: None, dropped: 0, duplicated: 0 }
    }

    /// When tick `n` is due (`None` before the first frame).
    pub fn tick_time(&self, n: u64) -> Option<Instant> {
        let start = self.start?;
        Some(start + Duration::from_secs_f64(n as f64 / f64::from(self.fps)))
    }

    /// When the next tick is due (`None` before the first frame: the clock starts with it).
    pub fn next_due(&self) -> Option<Instant> {
        self.tick_time(self.ticks)
    }

    /// Ticks decided so far (the stream's frame count).
    pub fn ticks(&self) -> u64 {
        self.ticks
    }

    /// Where the stream's clock is at `at`, in seconds since tick 0 (0 before the start).
    pub fn seconds_at(&self, at: Instant) -> f64 {
        self.start.map_or(0.0, |start| at.saturating_duration_since(start).as_secs_f64())
    }

    /// The ticks due by `now`, given the number of the newest frame the renderer has delivered (`None`: none
    /// yet). Several ticks come back at once when the caller was late; only the first can carry a new frame.
    pub fn due(&mut self, now: Instant, newest: Option<u64>) -> Vec<Slot> {
        let Some(newest) = newest else { return Vec::new() };
        let start = *self.start.get_or_insert(now);
        let elapsed = now.saturating_duration_since(start).as_secs_f64();
        let wanted = (elapsed * f64::from(self.fps)).floor() as u64 + 1;
        let count = wanted.saturating_sub(self.ticks);
        let mut slots = Vec::with_capacity(count as usize);
        for i in 0..count {
            let fresh = i == 0 && self.last.is_none_or(|last| newest > last);
            if fresh {
                if let Some(last) = self.last {
                    self.dropped += newest - last - 1;
                }
                self.last = Some(newest);
                slots.push(Slot::Fresh(newest));
            } else {
                self.duplicated += 1;
                slots.push(Slot::Repeat);
            }
        }
        self.ticks += count;
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn a_renderer_at_the_stream_rate_sends_every_frame_once() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10);
        assert_eq!(pacer.due(t0, None), [], "nothing goes out before the first frame");
        assert_eq!(pacer.next_due(), None);
        assert_eq!(pacer.due(t0, Some(0)), [Slot::Fresh(0)]);
        assert_eq!(pacer.next_due(), Some(t0 + ms(100)));
        assert_eq!(pacer.due(t0 + ms(50), Some(0)), [], "not due yet");
        for n in 1..10 {
            assert_eq!(pacer.due(t0 + ms(100 * n), Some(n)), [Slot::Fresh(n)]);
        }
        assert_eq!((pacer.dropped, pacer.duplicated, pacer.ticks()), (0, 0, 10));
    }

    #[test]
    fn a_slow_renderer_gets_its_frames_repeated() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10);
        pacer.due(t0, Some(0));
        // The renderer makes 5 frames/s: every other tick has nothing new.
        assert_eq!(pacer.due(t0 + ms(100), Some(0)), [Slot::Repeat]);
        assert_eq!(pacer.due(t0 + ms(200), Some(1)), [Slot::Fresh(1)]);
        assert_eq!(pacer.due(t0 + ms(300), Some(1)), [Slot::Repeat]);
        assert_eq!((pacer.dropped, pacer.duplicated), (0, 2));
    }

    #[test]
    fn a_fast_renderer_gets_frames_dropped() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10);
        pacer.due(t0, Some(3));
        assert_eq!(pacer.due(t0 + ms(100), Some(6)), [Slot::Fresh(6)]);
        assert_eq!(pacer.dropped, 2, "frames 4 and 5 were never sent");
        assert_eq!(pacer.duplicated, 0);
    }

    #[test]
    fn a_late_caller_catches_up_with_repeats_so_the_clock_and_audio_stay_whole() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10);
        pacer.due(t0, Some(0));
        // The sending thread was held up for 450 ms: ticks 1 to 4 are all due now.
        let slots = pacer.due(t0 + ms(450), Some(2));
        assert_eq!(slots, [Slot::Fresh(2), Slot::Repeat, Slot::Repeat, Slot::Repeat]);
        assert_eq!(pacer.ticks(), 5);
        assert_eq!((pacer.dropped, pacer.duplicated), (1, 3));
        assert_eq!(pacer.next_due(), Some(t0 + ms(500)));
        assert!((pacer.seconds_at(t0 + ms(450)) - 0.45).abs() < 1e-9);
    }

    #[test]
    fn an_older_frame_arriving_late_is_never_sent_after_a_newer_one() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10);
        pacer.due(t0, Some(5));
        assert_eq!(pacer.due(t0 + ms(100), Some(4)), [Slot::Repeat]);
    }
}
