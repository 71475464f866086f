//! Lip sync: mouth shapes for real speech, from the engine's phoneme timings or, when an engine reports none,
//! from the loudness of its audio.
//!
//! Both paths end in the same smoothing. A mouth cannot make a new shape every 20 ms, and a viewer reads a
//! flicker of shapes as nervousness, so shapes shorter than [`MIN_KEY_MS`] give their time to the shape that
//! follows (the lips already move towards the next sound: anticipatory coarticulation), and equal shapes in a
//! row merge. Lip closures (p, b, m) are kept however short: a "p" without closed lips looks wrong. The functions that measure how well mouth and sound line up live here too, so the same code that
//! makes the timeline is what the tests and benchmarks judge it with.

use model::{Viseme, VisemeKey};

/// One phoneme as an engine reports it: its mnemonic (espeak-ng's names, e.g. `aI`, `tS`, `ts.h`, `_:`) and
/// where it starts in the audio.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhonemeAt {
    pub t_ms: u32,
    pub phoneme: String,
}

/// Shapes held for less than this are folded into the next one.
pub const MIN_KEY_MS: u32 = 40;
/// The loudness envelope's frame: short enough to follow syllables, long enough to hold a pitch period.
pub const ENVELOPE_FRAME_MS: u32 = 10;

/// The mouth shape for one espeak-ng phoneme mnemonic; `None` for markers that are not sounds (tones, stress,
/// syllable and word boundaries), which leave the mouth as it was. Pauses (`_`, `_:`, `_!` ...) close it.
///
/// espeak-ng names phonemes in an ASCII scheme close to Kirshenbaum's: `a A & V` open vowels, `o O 0` rounded,
/// `u U` and Mandarin `y` (ü) puckered, `i I j` spread, `e E @ 3` mid; consonants by where the lips and tongue
/// are. Diphthongs (`aI`, `oU`, `ei`) start with their first vowel's shape. Mandarin's apical `i.` (the vowel of
/// 是, 次) is said with the teeth nearly together, so it gets the wide, teeth-showing shape.
pub fn viseme_for_phoneme(phoneme: &str) -> Option<Viseme> {
    let mut chars = phoneme.chars();
    let first = chars.next()?;
    if first == '_' {
        return Some(Viseme::Rest);
    }
    if phoneme.starts_with("i.") {
        return Some(Viseme::Wide);
    }
    let viseme = match first {
        'a' | 'A' | '&' | 'V' => Viseme::A,
        'o' | 'O' | '0' => Viseme::O,
        'u' | 'U' | 'y' | 'Y' | 'w' | 'W' => Viseme::U,
        'i' | 'I' | 'j' => Viseme::I,
        'e' | 'E' | '@' | '3' => Viseme::E,
        'p' | 'b' | 'm' => Viseme::Mbp,
        'f' | 'v' => Viseme::Fv,
        'l' | 'r' | 'R' | 'L' | 'T' | 'D' => Viseme::L,
        's' | 'z' | 'S' | 'Z' | 't' | 'd' | 'n' | 'N' | 'k' | 'g' | 'h' | 'x' | 'c' | 'C' | 'J' | 'q' | 'G' | 'X'
        | 'Q' | '?' => Viseme::Wide,
        // Tone digits (Mandarin's 1 to 5), stress and boundary marks.
        _ => return None,
    };
    Some(viseme)
}

/// The viseme timeline for speech whose phonemes start at the given times. Starts at 0 ms, closes at the end of
/// the speech (`duration_ms`) unless the engine already reported the closing pause, and is smoothed.
pub fn visemes_from_phonemes(phonemes: &[PhonemeAt], duration_ms: u32) -> Vec<VisemeKey> {
    let mut keys: Vec<VisemeKey> = vec![VisemeKey { t_ms: 0, viseme: Viseme::Rest }];
    for p in phonemes {
        let Some(viseme) = viseme_for_phoneme(&p.phoneme) else { continue };
        // Engines report in order; a key out of order (or past the end) is pinned so times never go backwards.
        let last = keys.last().map_or(0, |k| k.t_ms);
        let t_ms = p.t_ms.clamp(last, duration_ms.max(last));
        keys.push(VisemeKey { t_ms, viseme });
    }
    smooth(keys, duration_ms)
}

/// Loudness per frame of `frame_ms`: the root mean square of the samples, 0.0 to 1.0 of full scale.
pub fn rms_envelope(samples: &[i16], sample_rate: u32, frame_ms: u32) -> Vec<f32> {
    let frame = (sample_rate as usize * frame_ms as usize / 1000).max(1);
    samples
        .chunks(frame)
        .map(|chunk| {
            let sum: f64 = chunk.iter().map(|&s| f64::from(s) * f64::from(s)).sum();
            ((sum / chunk.len() as f64).sqrt() / 32768.0) as f32
        })
        .collect()
}

/// Levels of the normalised envelope at which the mouth takes its next, wider shape.
const ENVELOPE_LEVELS: [(f32, Viseme); 5] =
    [(0.08, Viseme::Rest), (0.25, Viseme::Wide), (0.5, Viseme::E), (0.75, Viseme::O), (f32::INFINITY, Viseme::A)];

/// The viseme timeline for audio that came without timings: the mouth opens as far as the speech is loud.
/// Frames of [`ENVELOPE_FRAME_MS`] are averaged with their neighbours (centred, so the smoothing adds no delay),
/// scaled to the loud end of the clip (its 95th percentile, so one plosive does not set the scale), and mapped
/// to shapes from closed to wide open.
pub fn visemes_from_envelope(samples: &[i16], sample_rate: u32) -> Vec<VisemeKey> {
    let duration_ms = if sample_rate == 0 {
        0
    } else {
        (samples.len() as u64 * 1000 / u64::from(sample_rate)).min(u64::from(u32::MAX)) as u32
    };
    if sample_rate == 0 || samples.is_empty() {
        return vec![VisemeKey { t_ms: 0, viseme: Viseme::Rest }];
    }
    let envelope = centred_average(&rms_envelope(samples, sample_rate, ENVELOPE_FRAME_MS), 1);
    let mut sorted = envelope.clone();
    sorted.sort_by(f32::total_cmp);
    let reference = sorted[(sorted.len() - 1) * 95 / 100];
    let mut keys = vec![VisemeKey { t_ms: 0, viseme: Viseme::Rest }];
    // A clip that is silence throughout (reference at the noise floor) keeps the mouth closed.
    if reference > 1e-4 {
        for (i, level) in envelope.iter().enumerate() {
            let level = level / reference;
            let viseme = ENVELOPE_LEVELS.iter().find(|(limit, _)| level < *limit).map_or(Viseme::A, |(_, v)| *v);
            keys.push(VisemeKey { t_ms: i as u32 * ENVELOPE_FRAME_MS, viseme });
        }
    }
    smooth(keys, duration_ms)
}

/// Each value replaced by the mean of itself and `radius` neighbours on each side.
fn centred_average(values: &[f32], radius: usize) -> Vec<f32> {
    (0..values.len())
        .map(|i| {
            let from = i.saturating_sub(radius);
            let to = (i + radius + 1).min(values.len());
            values[from..to].iter().sum::<f32>() / (to - from) as f32
        })
        .collect()
}

/// Coarticulation: keys (sorted by time, starting at 0) shorter than [`MIN_KEY_MS`] hand their start to the key
/// after them, equal keys in a row merge, and the mouth ends closed by `duration_ms`.
fn smooth(mut keys: Vec<VisemeKey>, duration_ms: u32) -> Vec<VisemeKey> {
    // Equal shapes in a row are one longer shape (envelope frames come 10 ms apart).
    keys.dedup_by(|next, prev| next.viseme == prev.viseme);
    let mut out: Vec<VisemeKey> = Vec::with_capacity(keys.len());
    // The start of a run of too-short keys, waiting for a key long enough to take it over.
    let mut pending_start: Option<u32> = None;
    for (i, key) in keys.iter().enumerate() {
        let end = keys.get(i + 1).map_or(duration_ms.max(key.t_ms), |next| next.t_ms);
        let start = pending_start.unwrap_or(key.t_ms);
        let length = end.saturating_sub(key.t_ms);
        // Closed lips for p, b and m are the one short shape viewers do notice when it is missing.
        let closure = key.viseme == Viseme::Mbp && length > 0;
        if length < MIN_KEY_MS && !closure && i + 1 < keys.len() {
            pending_start.get_or_insert(key.t_ms);
            continue;
        }
        pending_start = None;
        match out.last_mut() {
            Some(last) if last.viseme == key.viseme => {}
            Some(last) if last.t_ms == start => last.viseme = key.viseme,
            _ => out.push(VisemeKey { t_ms: start, viseme: key.viseme }),
        }
    }
    if out.last().map(|k| k.viseme) != Some(Viseme::Rest) {
        let last = out.last().map_or(0, |k| k.t_ms);
        out.push(VisemeKey { t_ms: duration_ms.max(last), viseme: Viseme::Rest });
    }
    // A replaced key can leave two equal neighbours behind; merge them.
    out.dedup_by(|next, prev| next.viseme == prev.viseme);
    if let Some(first) = out.first_mut() {
        first.t_ms = 0;
    }
    out
}

/// How open the mouth is every `step_ms` over `duration_ms`, holding each key until the next.
pub fn openness_track(keys: &[VisemeKey], duration_ms: u32, step_ms: u32) -> Vec<f32> {
    let step = step_ms.max(1);
    let mut out = Vec::with_capacity((duration_ms / step) as usize + 1);
    let mut k = 0;
    let mut t = 0;
    while t < duration_ms {
        while k + 1 < keys.len() && keys[k + 1].t_ms <= t {
            k += 1;
        }
        out.push(keys.get(k).map_or(0.0, |key| key.viseme.openness()));
        t += step;
    }
    out
}

/// The lag, in milliseconds, at which the mouth's openness best matches the sound's loudness (Pearson
/// correlation over the overlapping frames), searched within ±`max_lag_ms`, and that correlation. A positive lag
/// means the sound comes after the mouth opens; zero is perfect sync. Both tracks are sampled every `step_ms`.
pub fn best_lag_ms(mouth: &[f32], sound: &[f32], step_ms: u32, max_lag_ms: u32) -> (i32, f32) {
    let step = step_ms.max(1) as i64;
    let max_lag = (max_lag_ms as i64) / step;
    let mut best = (0i32, f32::NEG_INFINITY);
    for lag in -max_lag..=max_lag {
        let pairs = (0..mouth.len() as i64).filter_map(|i| {
            let j = i + lag;
            (j >= 0 && (j as usize) < sound.len()).then(|| (mouth[i as usize], sound[j as usize]))
        });
        let r = pearson(pairs);
        // Ties go to the smaller lag, so a flat plateau reports the least offset.
        if r > best.1 + 1e-6 || ((r - best.1).abs() <= 1e-6 && (lag.unsigned_abs() as i32) < best.0.abs()) {
            best = ((lag * step) as i32, r);
        }
    }
    best
}

fn pearson(pairs: impl Iterator<Item = (f32, f32)>) -> f32 {
    let (mut n, mut sx, mut sy, mut sxx, mut syy, mut sxy) = (0f64, 0f64, 0f64, 0f64, 0f64, 0f64);
    for (x, y) in pairs {
        let (x, y) = (f64::from(x), f64::from(y));
        n += 1.0;
        sx += x;
        sy += y;
        sxx += x * x;
        syy += y * y;
        sxy += x * y;
    }
    if n < 2.0 {
        return 0.0;
    }
    let cov = sxy - sx * sy / n;
    let vx = sxx - sx * sx / n;
    let vy = syy - sy * sy / n;
    if vx <= 0.0 || vy <= 0.0 {
        return 0.0;
    }
    (cov / (vx.sqrt() * vy.sqrt())) as f32
}

/// For every place the mouth opens into a vowel (from a shape at most 0.35 open, i.e. closed lips, a consonant or
/// a spread `I`, to one at least 0.45 open), the offset in ms to the nearest rise of the sound through `rise_level` (a fraction of its peak) within ±`window_ms`. Positive: the
/// sound rises after the mouth opens. Openings with no rise nearby (voiced consonants carry the sound through)
/// are left out.
pub fn onset_offsets_ms(keys: &[VisemeKey], sound: &[f32], step_ms: u32, rise_level: f32, window_ms: u32) -> Vec<i32> {
    let step = step_ms.max(1);
    let peak = sound.iter().copied().fold(0.0f32, f32::max);
    if peak <= 0.0 {
        return Vec::new();
    }
    let threshold = peak * rise_level;
    let rises: Vec<u32> = (1..sound.len())
        .filter(|&i| sound[i - 1] < threshold && sound[i] >= threshold)
        .map(|i| i as u32 * step)
        .collect();
    keys.windows(2)
        .filter(|w| w[0].viseme.openness() <= 0.35 && w[1].viseme.openness() >= 0.45)
        .filter_map(|w| {
            let t = w[1].t_ms;
            rises
                .iter()
                .map(|&r| r as i64 - t as i64)
                .filter(|d| d.unsigned_abs() <= u64::from(window_ms))
                .min_by_key(|d| d.unsigned_abs())
                .map(|d| d as i32)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(t_ms: u32, phoneme: &str) -> PhonemeAt {
        PhonemeAt { t_ms, phoneme: phoneme.to_string() }
    }

    fn shapes(keys: &[VisemeKey]) -> Vec<(u32, Viseme)> {
        keys.iter().map(|k| (k.t_ms, k.viseme)).collect()
    }

    #[test]
    fn espeak_mnemonics_map_to_mouth_shapes() {
        use Viseme::*;
        let cases = [
            ("aI", A),
            ("&", A),
            ("V", A),
            ("oU", O),
            ("0", O),
            ("u:", U),
            ("y", U),
            ("w", U),
            ("i:", I),
            ("j", I),
            ("@", E),
            ("3:", E),
            ("eI", E),
            ("p", Mbp),
            ("b", Mbp),
            ("m", Mbp),
            ("ph", Mbp),
            ("f", Fv),
            ("v", Fv),
            ("l", L),
            ("r", L),
            ("T", L),
            ("s", Wide),
            ("tS", Wide),
            ("ts.h", Wide),
            ("i.", Wide),
            ("_", Rest),
            ("_:", Rest),
        ];
        for (phoneme, want) in cases {
            assert_eq!(viseme_for_phoneme(phoneme), Some(want), "{phoneme}");
        }
        for marker in ["", "5", "51", "'", ",", "|", "%", "="] {
            assert_eq!(viseme_for_phoneme(marker), None, "{marker:?} is not a sound");
        }
    }

    #[test]
    fn phoneme_timeline_starts_closed_merges_repeats_and_folds_short_shapes_forward() {
        // "pa" with a 20 ms flap inside the vowel and two equal neighbours.
        let phonemes =
            [at(0, "_"), at(50, "p"), at(120, "a"), at(200, "t"), at(220, "A:"), at(400, "5"), at(400, "_:")];
        let keys = visemes_from_phonemes(&phonemes, 600);
        // The 20 ms "t" hands its start to the open vowel after it, which then merges with the first "a".
        assert_eq!(shapes(&keys), vec![(0, Viseme::Rest), (50, Viseme::Mbp), (120, Viseme::A), (400, Viseme::Rest)]);
    }

    #[test]
    fn phoneme_timeline_survives_disorder_and_ends_closed() {
        let keys = visemes_from_phonemes(&[at(300, "a"), at(100, "m"), at(5000, "o")], 1000);
        assert!(keys.windows(2).all(|w| w[0].t_ms <= w[1].t_ms && w[0].viseme != w[1].viseme), "{keys:?}");
        assert_eq!(keys.first().map(|k| (k.t_ms, k.viseme)), Some((0, Viseme::Rest)));
        assert_eq!(keys.last().map(|k| k.viseme), Some(Viseme::Rest));
        assert!(keys.iter().all(|k| k.t_ms <= 1000));
        assert_eq!(shapes(&visemes_from_phonemes(&[], 0)), vec![(0, Viseme::Rest)]);
    }

    fn tone_bursts(rate: u32, bursts: &[(u32, u32, f32)], total_ms: u32) -> Vec<i16> {
        let n = (rate * total_ms / 1000) as usize;
        let mut out = vec![0i16; n];
        for &(from, to, amp) in bursts {
            for (i, s) in
                out.iter_mut().enumerate().take((rate * to / 1000) as usize).skip((rate * from / 1000) as usize)
            {
                let t = i as f32 / rate as f32;
                *s = (amp * 32767.0 * (2.0 * std::f32::consts::PI * 180.0 * t).sin()) as i16;
            }
        }
        out
    }

    #[test]
    fn envelope_opens_the_mouth_as_far_as_the_sound_is_loud() {
        let samples = tone_bursts(16_000, &[(100, 300, 0.8), (400, 600, 0.2)], 800);
        let keys = visemes_from_envelope(&samples, 16_000);
        let open = |t: u32| openness_track(&keys, 800, 10)[(t / 10) as usize];
        assert_eq!(open(50), 0.0, "silence keeps the mouth closed: {keys:?}");
        assert!(open(200) >= 0.75, "loud is wide open: {keys:?}");
        assert!(open(500) > 0.0 && open(500) < open(200), "quiet is half open: {keys:?}");
        assert_eq!(open(750), 0.0);
        assert!(keys.windows(2).all(|w| w[1].t_ms - w[0].t_ms >= MIN_KEY_MS || w[1].viseme == Viseme::Rest));
        assert_eq!(shapes(&visemes_from_envelope(&[0; 1600], 16_000)), vec![(0, Viseme::Rest)]);
        assert_eq!(shapes(&visemes_from_envelope(&[], 0)), vec![(0, Viseme::Rest)]);
    }

    #[test]
    fn lag_search_finds_a_known_shift_and_onsets_measure_it_too() {
        let sound: Vec<f32> = (0..200).map(|i| if (i / 25) % 2 == 1 { 1.0 } else { 0.0 }).collect();
        // The mouth opens 30 ms (3 frames) before the sound.
        let mouth: Vec<f32> = (0..200).map(|i| if ((i + 3) / 25) % 2 == 1 { 1.0 } else { 0.0 }).collect();
        let (lag, r) = best_lag_ms(&mouth, &sound, 10, 100);
        assert_eq!(lag, 30);
        assert!(r > 0.99);
        let keys = [VisemeKey { t_ms: 0, viseme: Viseme::Rest }, VisemeKey { t_ms: 220, viseme: Viseme::A }];
        assert_eq!(onset_offsets_ms(&keys, &sound, 10, 0.5, 100), vec![30]);
        assert_eq!(best_lag_ms(&[0.0; 10], &sound, 10, 50).1, 0.0, "a flat track correlates with nothing");
    }
}
