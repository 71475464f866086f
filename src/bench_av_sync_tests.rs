//! The sync measure on made-up recordings: speech-like loudness (lines of syllables with pauses between them) and
//! a mouth that follows it at a known lag, sampled the way a stream samples them.

use super::analysis::{self, STEP, Tracks};

/// A small deterministic generator (xorshift), so each test's speech is varied and repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next()
    }
}

/// How open the voice is at each [`STEP`] over `seconds`: lines of 1-4 s made of syllables of 120-300 ms, with
/// 0.4-1.5 s pauses between lines; 0.0 silent, up to 1.0.
fn speech(seconds: f64, rng: &mut Rng) -> Vec<f64> {
    let steps = (seconds / STEP) as usize;
    let mut level = vec![0.0; steps];
    let mut t = rng.between(0.5, 1.0);
    while t < seconds {
        let line_end = t + rng.between(1.0, 4.0);
        while t < line_end.min(seconds) {
            let syllable = rng.between(0.12, 0.3);
            let peak = rng.between(0.4, 1.0);
            let (from, to) = ((t / STEP) as usize, (((t + syllable) / STEP) as usize).min(steps));
            for (k, slot) in level.iter_mut().enumerate().take(to).skip(from) {
                let phase = (k - from) as f64 / (to - from).max(1) as f64;
                *slot = peak * (std::f64::consts::PI * phase).sin().max(0.15);
            }
            t += syllable;
        }
        t += rng.between(0.4, 1.5);
    }
    level
}

/// A recording of `speech` at `fps`, the mouth showing the voice `lag(t)` seconds late (early when negative), the
/// sound's loudness as RMS.
fn record(speech: &[f64], fps: f64, lag: impl Fn(f64) -> f64, rng: &mut Rng) -> Tracks {
    let seconds = speech.len() as f64 * STEP;
    let frames = (seconds * fps) as usize;
    let frame_times: Vec<f64> = (0..frames).map(|i| 0.021 + i as f64 / fps).collect();
    let mouth = frame_times
        .iter()
        .map(|&t| {
            let heard = t - lag(t);
            let k = (heard / STEP).floor();
            let open = if k >= 0.0 { speech.get(k as usize).copied().unwrap_or(0.0) } else { 0.0 };
            // A closed mouth shows a few lip pixels; an open one up to 150 more; a little noise from the encoder.
            (12.0 + 150.0 * open + rng.between(-2.0, 2.0)).max(0.0) as u32
        })
        .collect();
    let loudness = speech.iter().map(|&s| s * 0.2).collect();
    Tracks { frame_times, mouth, loudness }
}

#[test]
fn a_known_lag_is_found_to_a_fraction_of_a_frame_both_ways() {
    for (seed, lag_ms) in [(1u64, 0.0f64), (2, 45.0), (3, -20.0), (4, 70.0), (5, 12.0)] {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        let voice = speech(180.0, &mut rng);
        let tracks = record(&voice, 30.0, |_| lag_ms / 1000.0, &mut rng);
        let report = analysis::measure(&tracks, 60.0);
        assert_eq!(report.windows.len(), 3, "{report:?}");
        for window in &report.windows {
            assert!(window.correlation > 0.8, "{window:?}");
            assert!((window.lag_ms - lag_ms).abs() < 8.0, "lag {lag_ms} ms read as {window:?}");
        }
        assert!(report.sound_starts >= 20, "{report:?}");
        assert!(report.paired * 10 >= report.sound_starts * 9, "{report:?}");
        // A frame shows the mouth from its timestamp on: the opening is seen up to one frame after it happens.
        let starts = report.start_offset_ms.expect("paired starts");
        assert!(starts.median >= lag_ms - 1.0 && starts.median <= lag_ms + 34.0, "lag {lag_ms}: {starts:?}");
        // Three minutes are too short to tell drift from noise.
        assert!(report.drift_ms_per_hour.is_none(), "{report:?}");
    }
}

#[test]
fn a_lag_that_grows_is_reported_as_drift_per_hour() {
    let mut rng = Rng(77);
    let voice = speech(1200.0, &mut rng);
    // From 0 to 60 ms late over 20 minutes: 180 ms an hour.
    let tracks = record(&voice, 30.0, |t| 0.060 * t / 1200.0, &mut rng);
    let report = analysis::measure(&tracks, 60.0);
    let drift = report.drift_ms_per_hour.expect("drift");
    assert!((drift - 180.0).abs() < 25.0, "{drift} ms/h: {:?}", report.windows);
    let text = report.text("made-up.mkv");
    assert!(text.contains("drift: +1") && text.contains("20 window(s)"), "{text}");
}

#[test]
fn a_recording_without_a_voice_or_a_mouth_measures_nothing_and_says_so() {
    let frame_times = (0..900).map(|i| f64::from(i) / 30.0).collect();
    let silent = Tracks { frame_times, mouth: vec![12; 900], loudness: vec![0.0; 6000] };
    let report = analysis::measure(&silent, 10.0);
    assert_eq!((report.sound_starts, report.paired), (0, 0));
    assert!(report.start_offset_ms.is_none() && report.drift_ms_per_hour.is_none(), "{report:?}");
    assert!(report.windows.iter().all(|w| w.correlation < analysis::MIN_CORRELATION), "{report:?}");
    assert!(report.text("silent.mkv").contains("drift: not measured"));
    let empty = Tracks { frame_times: Vec::new(), mouth: Vec::new(), loudness: Vec::new() };
    assert_eq!(analysis::measure(&empty, 60.0).frames, 0);
}

#[test]
fn lip_pixels_count_colours_near_the_lips_only() {
    let lips = stage::avatar::LIPS;
    let mut rgb = Vec::new();
    for pixel in [[150, 50, 60], [170, 70, 80], [120, 30, 40], [241, 194, 160], [52, 36, 30], [200, 50, 60]] {
        rgb.extend_from_slice(&pixel);
    }
    assert_eq!(analysis::lip_pixels(&rgb, lips), 3);
}

#[test]
fn loudness_is_rms_per_window() {
    let samples: Vec<i16> = (0..480).map(|i| if i < 240 { 16384 } else { 0 }).collect();
    let level = analysis::loudness(&samples, 48_000);
    assert_eq!(level.len(), 2);
    assert!((level[0] - 0.5).abs() < 1e-9 && level[1] == 0.0, "{level:?}");
}
