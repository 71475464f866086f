//! Speech timing without audio: how long a line takes to say, and a viseme timeline for the mouth.
//!
//! The silent voice uses these estimates so that captions and lips move at a natural pace even when no speech
//! engine is configured. Real engines replace them with measured timings (see [`crate::lipsync`]).

use model::{Lang, Viseme, VisemeKey};

/// Spoken pace: English at about 165 words a minute (~15 letters a second), Mandarin at about 4.5 characters a
/// second, the pace of a calm presenter.
const EN_MS_PER_LETTER: u32 = 66;
const ZH_MS_PER_CHAR: u32 = 220;
/// Pauses at punctuation, so a long sentence with commas is not rushed.
const COMMA_PAUSE_MS: u32 = 180;
const STOP_PAUSE_MS: u32 = 320;
/// Even a one-word line stays on screen long enough to read.
const MIN_LINE_MS: u32 = 900;

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

fn pause_after(c: char) -> Option<u32> {
    match c {
        ',' | ';' | ':' | '，' | '、' | '；' | '：' => Some(COMMA_PAUSE_MS),
        '.' | '!' | '?' | '。' | '！' | '？' | '…' => Some(STOP_PAUSE_MS),
        _ => None,
    }
}

/// The time one character takes to say, and the mouth shape it makes.
fn sound_of(c: char) -> Option<(u32, Viseme)> {
    if is_cjk(c) {
        // Mandarin syllables alternate between open vowels and closures; cycle through shapes deterministically
        // from the code point so the same line always moves the same way.
        const CYCLE: [Viseme; 5] = [Viseme::A, Viseme::E, Viseme::O, Viseme::I, Viseme::U];
        return Some((ZH_MS_PER_CHAR, CYCLE[(c as usize) % CYCLE.len()]));
    }
    if c.is_ascii_digit() {
        // A digit is said as a short word ("seven"): about three letters.
        return Some((EN_MS_PER_LETTER * 3, Viseme::E));
    }
    if !c.is_alphabetic() {
        return None;
    }
    let viseme = match c.to_ascii_lowercase() {
        'a' => Viseme::A,
        'e' => Viseme::E,
        'i' | 'y' => Viseme::I,
        'o' => Viseme::O,
        'u' | 'w' | 'q' => Viseme::U,
        'm' | 'b' | 'p' => Viseme::Mbp,
        'f' | 'v' => Viseme::Fv,
        'l' | 'r' => Viseme::L,
        's' | 'z' | 'c' | 'j' | 'x' | 'g' | 'k' | 'n' | 't' | 'd' | 'h' => Viseme::Wide,
        _ => Viseme::E,
    };
    Some((EN_MS_PER_LETTER, viseme))
}

/// How long a line takes to say at a calm pace, in milliseconds.
pub fn estimate_duration_ms(text: &str) -> u32 {
    let mut total: u32 = 0;
    for c in text.chars() {
        if let Some((ms, _)) = sound_of(c) {
            total = total.saturating_add(ms);
        } else if let Some(pause) = pause_after(c) {
            total = total.saturating_add(pause);
        } else if c.is_whitespace() {
            total = total.saturating_add(EN_MS_PER_LETTER);
        }
    }
    total.max(MIN_LINE_MS)
}

/// A viseme timeline for a line when no engine reports phonemes: one key per sounded letter or character, rest
/// at pauses, and rest at the end. Consecutive equal shapes merge, so the mouth does not flutter.
pub fn estimate_visemes(text: &str) -> Vec<VisemeKey> {
    let mut keys: Vec<VisemeKey> = Vec::new();
    let mut t: u32 = 0;
    let push = |t: u32, viseme: Viseme, keys: &mut Vec<VisemeKey>| {
        if keys.last().map(|k| k.viseme) != Some(viseme) {
            keys.push(VisemeKey { t_ms: t, viseme });
        }
    };
    for c in text.chars() {
        if let Some((ms, viseme)) = sound_of(c) {
            push(t, viseme, &mut keys);
            t = t.saturating_add(ms);
        } else if let Some(pause) = pause_after(c) {
            push(t, Viseme::Rest, &mut keys);
            t = t.saturating_add(pause);
        } else if c.is_whitespace() {
            t = t.saturating_add(EN_MS_PER_LETTER);
        }
    }
    push(t, Viseme::Rest, &mut keys);
    keys
}

/// Where a line's sentences end, in ms from its start, with the length of its text up to each end: every sentence
/// end but the last (and none after a question, whose answer usually follows), placed by its share of the line's letters and then moved to the nearest pause in the mouth
/// shapes (a `Rest` key, from the voice or [`estimate_visemes`]). The moment given is the end of that pause (the
/// next key), so the sentence's own pause is heard; a pause longer than `MAX_CUT_PAUSE_MS` is cut short. A
/// sentence end with no pause near it is left out: cutting there could cut a word.
pub fn sentence_ends(text: &str, duration_ms: u32, visemes: &[VisemeKey]) -> Vec<(u32, usize)> {
    const MAX_CUT_PAUSE_MS: u32 = 400;
    let total = text.chars().filter(|c| !c.is_whitespace()).count().max(1) as u64;
    let window = (u64::from(duration_ms) / 8).clamp(250, 600);
    let body_end = text.trim_end().len();
    let mut seen = 0u64;
    let mut ends: Vec<(u32, usize)> = Vec::new();
    for (i, c) in text.char_indices() {
        if !c.is_whitespace() {
            seen += 1;
        }
        let end = i + c.len_utf8();
        let next = text[end..].chars().next();
        // Not after a question: the sentence after it is usually its answer ("Does it have a strainer? Yes, …").
        let boundary = match c {
            '。' | '！' => true,
            '.' | '!' => next.is_none_or(|n| n.is_whitespace() || !n.is_ascii()),
            _ => false,
        };
        if !boundary || end >= body_end {
            continue;
        }
        let estimate = u64::from(duration_ms) * seen / total;
        let pause = visemes
            .iter()
            .enumerate()
            .filter(|(_, k)| k.viseme == Viseme::Rest && k.t_ms > 0)
            .min_by_key(|(_, k)| u64::from(k.t_ms).abs_diff(estimate))
            .filter(|(_, k)| u64::from(k.t_ms).abs_diff(estimate) <= window && k.t_ms < duration_ms);
        let Some((at, key)) = pause else { continue };
        let resumes = visemes.get(at + 1).map_or(duration_ms, |k| k.t_ms);
        let t = resumes.min(key.t_ms.saturating_add(MAX_CUT_PAUSE_MS));
        if t < duration_ms && ends.last().is_none_or(|(last, _)| t > *last) {
            ends.push((t, end));
        }
    }
    ends
}

/// The language a line is written in, judged by its letters: any Han character makes it Chinese.
pub fn detect_lang(text: &str) -> Lang {
    if text.chars().any(is_cjk) { Lang::Zh } else { Lang::En }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longer_lines_take_longer_and_short_ones_stay_readable() {
        let short = estimate_duration_ms("Hi");
        let long = estimate_duration_ms("This tea set is hand-thrown porcelain, glazed twice and fired at high heat.");
        assert_eq!(short, MIN_LINE_MS);
        assert!(long > 3000 && long < 8000, "{long} ms is not a natural pace");
        let zh = estimate_duration_ms("这套茶具是手工拉坯的白瓷。");
        assert!(zh > 2000 && zh < 4000, "{zh} ms is not a natural Mandarin pace");
    }

    #[test]
    fn visemes_start_at_zero_end_at_rest_and_never_repeat_back_to_back() {
        let keys = estimate_visemes("Mama made apple pie.");
        assert_eq!(keys.first().unwrap().t_ms, 0);
        assert_eq!(keys.first().unwrap().viseme, Viseme::Mbp);
        assert_eq!(keys.last().unwrap().viseme, Viseme::Rest);
        assert!(keys.windows(2).all(|w| w[0].viseme != w[1].viseme && w[0].t_ms <= w[1].t_ms));
        assert!(keys.last().unwrap().t_ms <= estimate_duration_ms("Mama made apple pie."));
    }

    #[test]
    fn detects_chinese_by_han_characters() {
        assert_eq!(detect_lang("限时优惠 199"), Lang::Zh);
        assert_eq!(detect_lang("Only $19.99"), Lang::En);
    }
}
