//! Real-time pacing for the live show's output. The stage draws on a frame clock of its own
//! (`stage::capture::LiveClockPlugin`): its frame `n` pictures the show at `start + n / fps`. The stream runs the
//! same frames on the same clock, a fixed delay later: tick `n` sends the frame that pictures tick `n`'s instant if it
//! has arrived by then. A frame not there in time is replaced by the last one sent (repeated) and, arriving later,
//! is never sent (dropped). The delay absorbs the renderer's unevenness: a frame that takes a little longer than its
//! share is still on time, where a stream that sends whatever is newest at each tick repeats one frame and drops the
//! next whenever a frame is a few milliseconds late. The audio follows the ticks, so it is never dropped or
//! stretched.
//!
//! Pure decisions on a clock passed in, so the tests drive it with made-up instants.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// What one tick of the stream's clock sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Slot<F> {
    /// The stage's frame with this number, new on this tick.
    Fresh(u64, F),
    /// The last frame sent, again (the tick's own frame was not there in time).
    Repeat,
}

/// The frame clock and its counts.
#[derive(Debug)]
pub struct Pacer {
    fps: u32,
    /// How long after the instant a frame pictures it goes out.
    delay: Duration,
    /// The first frame to arrive: its number and the instant it pictures. The stream starts with it.
    first: Option<(u64, Instant)>,
    /// When tick 0 goes out: the first frame's instant plus the delay, or its arrival if that was later.
    start: Option<Instant>,
    /// Ticks decided so far.
    ticks: u64,
    /// Frames that arrived after their tick had gone (or pushed out of a full buffer): never sent.
    pub dropped: u64,
    /// Ticks that repeated the previous frame (their own was not there in time, or the stage skipped it).
    pub duplicated: u64,
}

impl Pacer {
    /// Frames held at most, waiting for their tick: more than the delay needs at any rate, so only a clock gone
    /// wrong fills it.
    pub const MOST_HELD: usize = 64;

    pub fn new(fps: u32, delay: Duration) -> Pacer {
        Pacer { fps: fps.max(1), delay, first: None, start: None, ticks: 0, dropped: 0, duplicated: 0 }
    }

    /// A frame arrived at `now`: the first one starts the stream's clock.
    pub fn arrived(&mut self, index: u64, shows: Instant, now: Instant) {
        if self.first.is_none() {
            self.first = Some((index, shows));
            self.start = Some((shows + self.delay).max(now));
        }
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

    /// Where in the stream the stage's picture of the instant `at` goes, in seconds from tick 0 (0 before the
    /// first frame). A stage command heard at `at` shows from the frame picturing `at`, so its sound goes there.
    pub fn show_seconds(&self, at: Instant) -> f64 {
        self.first.map_or(0.0, |(_, shows)| at.saturating_duration_since(shows).as_secs_f64())
    }

    /// The ticks due by `now`, each with its frame taken out of `held` (frames by number) or a repeat. Frames for
    /// ticks already gone are dropped from `held` and counted. Several ticks come back at once when the caller was
    /// late; each still gets its own frame when it has one.
    pub fn due<F>(&mut self, now: Instant, held: &mut BTreeMap<u64, F>) -> Vec<Slot<F>> {
        let (Some((first, _)), Some(start)) = (self.first, self.start) else { return Vec::new() };
        let mut slots = Vec::new();
        if now >= start {
            let wanted = (now.duration_since(start).as_secs_f64() * f64::from(self.fps)).floor() as u64 + 1;
            for tick in self.ticks..wanted {
                match held.remove(&(first + tick)) {
                    Some(frame) => slots.push(Slot::Fresh(first + tick, frame)),
                    None => {
                        self.duplicated += 1;
                        slots.push(Slot::Repeat);
                    }
                }
            }
            self.ticks = self.ticks.max(wanted);
        }
        // Frames whose tick has gone can never be sent; a full buffer gives up its oldest.
        let next = first + self.ticks;
        while let Some((&index, _)) = held.first_key_value() {
            if index >= next && held.len() <= Self::MOST_HELD {
                break;
            }
            held.pop_first();
            self.dropped += 1;
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// Frames `range`, held by number (the value is the number too).
    fn held(range: std::ops::Range<u64>) -> BTreeMap<u64, u64> {
        range.map(|n| (n, n)).collect()
    }

    #[test]
    fn a_renderer_on_time_sends_every_frame_once_a_delay_after_its_instant() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        let mut frames = BTreeMap::new();
        assert_eq!(pacer.due(t0, &mut frames), [], "nothing goes out before the first frame");
        assert_eq!(pacer.next_due(), None);
        // Frame 3 pictures t0 and arrives 40 ms later: tick 0 goes out at t0 + 150 ms.
        pacer.arrived(3, t0, t0 + ms(40));
        frames.insert(3, 3);
        assert_eq!(pacer.next_due(), Some(t0 + ms(150)));
        assert_eq!(pacer.due(t0 + ms(100), &mut frames), [], "not due yet");
        assert_eq!(pacer.due(t0 + ms(150), &mut frames), [Slot::Fresh(3, 3)]);
        for n in 1..10 {
            frames.insert(3 + n, 3 + n);
            assert_eq!(pacer.due(t0 + ms(150 + 100 * n), &mut frames), [Slot::Fresh(3 + n, 3 + n)]);
        }
        assert_eq!((pacer.dropped, pacer.duplicated, pacer.ticks()), (0, 0, 10));
    }

    #[test]
    fn frames_late_by_less_than_the_delay_are_still_on_time() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        pacer.arrived(0, t0, t0 + ms(30));
        let mut frames = held(0..1);
        assert_eq!(pacer.due(t0 + ms(150), &mut frames), [Slot::Fresh(0, 0)]);
        // Frame 1 (instant 100 ms) took 140 ms and frame 2 none to speak of: both still go out on their ticks.
        frames.insert(1, 1);
        assert_eq!(pacer.due(t0 + ms(250), &mut frames), [Slot::Fresh(1, 1)]);
        frames.insert(2, 2);
        assert_eq!(pacer.due(t0 + ms(350), &mut frames), [Slot::Fresh(2, 2)]);
        assert_eq!((pacer.dropped, pacer.duplicated), (0, 0));
    }

    #[test]
    fn a_frame_later_than_the_delay_is_repeated_over_then_dropped() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        pacer.arrived(0, t0, t0);
        let mut frames = held(0..1);
        pacer.due(t0 + ms(150), &mut frames);
        // Tick 1 (frame 1) is due at 250 ms and frame 1 is not there: the last frame again.
        assert_eq!(pacer.due(t0 + ms(250), &mut frames), [Slot::Repeat]);
        // Frame 1 arrives at 260 ms with frame 2: frame 1 is gone for good, frame 2 goes out on its tick.
        frames.extend([(1, 1), (2, 2)]);
        assert_eq!(pacer.due(t0 + ms(260), &mut frames), []);
        assert_eq!(frames.keys().copied().collect::<Vec<_>>(), [2]);
        assert_eq!(pacer.due(t0 + ms(350), &mut frames), [Slot::Fresh(2, 2)]);
        assert_eq!((pacer.dropped, pacer.duplicated), (1, 1));
    }

    #[test]
    fn frames_the_stage_skipped_are_repeated_over() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        pacer.arrived(0, t0, t0);
        // The stage skipped frames 1 and 2 (it stalled): ticks 1 and 2 repeat frame 0, tick 3 has its own.
        let mut frames: BTreeMap<u64, u64> = [(0, 0), (3, 3)].into();
        let slots = pacer.due(t0 + ms(450), &mut frames);
        assert_eq!(slots, [Slot::Fresh(0, 0), Slot::Repeat, Slot::Repeat, Slot::Fresh(3, 3)]);
        assert_eq!((pacer.dropped, pacer.duplicated, pacer.ticks()), (0, 2, 4));
        assert_eq!(pacer.next_due(), Some(t0 + ms(550)));
    }

    #[test]
    fn a_late_caller_catches_up_with_each_ticks_own_frame() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        pacer.arrived(0, t0, t0);
        let mut frames = held(0..6);
        // The sending thread was held up until 480 ms: ticks 0 to 3 are due, each with its frame.
        let slots = pacer.due(t0 + ms(480), &mut frames);
        assert_eq!(slots, [Slot::Fresh(0, 0), Slot::Fresh(1, 1), Slot::Fresh(2, 2), Slot::Fresh(3, 3)]);
        assert_eq!((pacer.dropped, pacer.duplicated), (0, 0));
        assert_eq!(frames.len(), 2, "frames 4 and 5 wait for their ticks");
    }

    #[test]
    fn a_first_frame_later_than_the_delay_starts_the_stream_when_it_arrives() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        // Start-up took 600 ms: the stream starts with the frame's arrival, not 450 ms into its past.
        pacer.arrived(0, t0, t0 + ms(600));
        assert_eq!(pacer.next_due(), Some(t0 + ms(600)));
        let mut frames = held(0..1);
        assert_eq!(pacer.due(t0 + ms(600), &mut frames), [Slot::Fresh(0, 0)]);
        assert_eq!(pacer.duplicated, 0);
        // The show's clock is still the frames' own: an instant 1 s after frame 0's goes 1 s into the stream.
        assert!((pacer.show_seconds(t0 + ms(1000)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_buffer_never_holds_more_than_its_limit() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(10, ms(150));
        pacer.arrived(0, t0, t0);
        let mut frames = held(0..200);
        pacer.due(t0, &mut frames);
        assert_eq!(frames.len(), Pacer::MOST_HELD);
        assert_eq!(pacer.dropped, 200 - Pacer::MOST_HELD as u64);
    }
}
