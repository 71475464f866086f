//! The espeak-ng voice against the real library (a build requirement, so these never skip): English and
//! Mandarin speech, lip sync measured against the audio, odd text, bad configuration and runaway synthesis.

use super::*;
use director::lipsync::{self, ENVELOPE_FRAME_MS};
use model::{Lang, Viseme};

pub(crate) const EN_SENTENCE: &str = "This tea set is hand thrown porcelain, and today it is only one ninety nine.";
pub(crate) const ZH_SENTENCE: &str = "这套茶具是手工拉坯的白瓷，今天只要一百九十九元。";

pub(crate) fn espeak() -> EspeakVoice {
    EspeakVoice::new(EspeakOptions::default()).expect("espeak-ng with en-us and cmn-latn-pinyin")
}

fn sounded(speech: &Speech) -> Vec<String> {
    speech.phonemes.iter().map(|p| p.phoneme.clone()).filter(|p| !p.starts_with('_')).collect()
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn english_line_has_audio_and_phoneme_timed_visemes() {
    let voice = Voice::espeak(EspeakOptions::default()).unwrap();
    let clip = voice.speak(EN_SENTENCE, Lang::En).await.unwrap();
    let audio = clip.audio.as_ref().expect("espeak makes audio");
    assert_eq!(audio.sample_rate, 22_050);
    assert_eq!(clip.duration_ms, audio.duration_ms());
    assert!((3_000..9_000).contains(&clip.duration_ms), "{} ms for a 14-word sentence", clip.duration_ms);
    assert!(audio.samples.iter().any(|s| s.unsigned_abs() > 3_000), "the audio is audible");
    let keys = &clip.visemes;
    assert_eq!(keys[0].t_ms, 0);
    assert_eq!(keys.last().unwrap().viseme, Viseme::Rest);
    assert!(keys.windows(2).all(|w| w[0].t_ms < w[1].t_ms && w[0].viseme != w[1].viseme), "{keys:?}");
    assert!(keys.iter().all(|k| k.t_ms <= clip.duration_ms));
    // "porcelain", "thrown", "today": closed lips, the tongue, rounded and open vowels all appear.
    for shape in [Viseme::Mbp, Viseme::O, Viseme::A, Viseme::I, Viseme::L] {
        assert!(keys.iter().any(|k| k.viseme == shape), "no {shape:?} in {keys:?}");
    }
    assert!(keys.len() > 20, "a mouth that moves with the words: {} keys", keys.len());
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn mandarin_characters_are_read_as_mandarin_at_a_syllable_pace() {
    let voice = espeak();
    let short = voice.synthesize("这是茶具。", Lang::Zh).await.unwrap();
    let long = voice.synthesize("这是茶具，这是茶具，这是茶具。", Lang::Zh).await.unwrap();
    // Mandarin phonemes (retroflex ts. and s., the apical i. of 是), not the English letter names the plain
    // `cmn` voice falls back to.
    let phonemes = sounded(&short);
    for expected in ["ts.", "s.", "i."] {
        assert!(phonemes.iter().any(|p| p == expected), "no {expected} in {phonemes:?}");
    }
    // One syllable per character: 4 characters against 12.
    let per_char = short.duration_ms() / 4;
    assert!((120..600).contains(&per_char), "{per_char} ms per character");
    let ratio = f64::from(long.duration_ms()) / f64::from(short.duration_ms());
    assert!((2.2..3.6).contains(&ratio), "3x the characters took {ratio:.2}x as long");
    // The voice reads pinyin with tone digits as the same syllables, which is what its name promises.
    let pinyin = voice.synthesize("zhe4 shi4 cha2 ju4.", Lang::Zh).await.unwrap();
    assert_eq!(sounded(&pinyin), phonemes, "characters and pinyin sound the same");
}

/// Mouth openness against audio loudness, both every 10 ms: the lag of best correlation and that correlation,
/// and the offsets from each opening after a closure to the nearest rise in loudness.
fn measure(clip: &Clip) -> (i32, f32, Vec<i32>) {
    let audio = clip.audio.as_ref().unwrap();
    let sound = lipsync::rms_envelope(&audio.samples, audio.sample_rate, ENVELOPE_FRAME_MS);
    let mouth = lipsync::openness_track(&clip.visemes, clip.duration_ms, ENVELOPE_FRAME_MS);
    let (lag, r) = lipsync::best_lag_ms(&mouth, &sound, ENVELOPE_FRAME_MS, 200);
    let onsets = lipsync::onset_offsets_ms(&clip.visemes, &sound, ENVELOPE_FRAME_MS, 0.2, 100);
    (lag, r, onsets)
}

pub(crate) const EN_LINES: [&str; 4] = [
    EN_SENTENCE,
    "Welcome back, everyone! Would you like one for your kitchen?",
    "Bamboo mats, paper boxes and maple bowls: pick one, pay once, and it ships tomorrow.",
    "Hi! Hello. Okay. Thank you, Mia. Good morning, Ben.",
];
pub(crate) const ZH_LINES: [&str; 4] = [
    ZH_SENTENCE,
    "欢迎回来，大家好！这个水壶烧水很快。",
    "竹席、纸盒、枫木碗，买一个，明天发货。",
    "你好！好的。谢谢你，小美。早上好。",
];

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn lip_sync_stays_within_40_ms_of_the_sound_in_english_and_mandarin() {
    let voice = Voice::espeak(EspeakOptions::default()).unwrap();
    for (lang, lines) in [(Lang::En, EN_LINES), (Lang::Zh, ZH_LINES)] {
        let mut all_onsets = Vec::new();
        for text in lines {
            let clip = voice.speak(text, lang).await.unwrap();
            let (lag, r, onsets) = measure(&clip);
            eprintln!("lip sync {lang:?}: best lag {lag:+} ms (r = {r:.2}), openings {onsets:?}: {text}");
            assert!(r > 0.3, "mouth and sound hardly correlate (r = {r:.2}) for {text}");
            assert!(lag.abs() <= 40, "mouth and sound are {lag} ms apart for {text}");
            all_onsets.extend(onsets);
        }
        all_onsets.sort_unstable();
        assert!(all_onsets.len() >= 5, "too few openings to measure ({}) in {lang:?}", all_onsets.len());
        let median = all_onsets[all_onsets.len() / 2];
        let mean_abs = all_onsets.iter().map(|d| d.abs()).sum::<i32>() / all_onsets.len() as i32;
        eprintln!(
            "lip sync {lang:?}: {} openings, median offset {median:+} ms, mean |offset| {mean_abs} ms",
            all_onsets.len()
        );
        assert!(median.abs() <= 40, "openings are {median} ms from the sound in {lang:?}");
        assert!(mean_abs <= 40, "openings are on average {mean_abs} ms from the sound in {lang:?}");
    }
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn odd_text_never_panics_and_is_never_read_as_markup() {
    let voice = espeak();
    assert_eq!(voice.synthesize("", Lang::En).await.unwrap_err(), VoiceError::EmptyLine);
    assert_eq!(voice.synthesize(" \u{0}\u{7}\t\r\n ", Lang::En).await.unwrap_err(), VoiceError::EmptyLine);
    let long = "a".repeat(10_000);
    assert_eq!(
        voice.synthesize(&long, Lang::En).await.unwrap_err(),
        VoiceError::TooLong { chars: 10_000, max: MAX_CHARS }
    );
    // Control characters (a NUL would end the C string) are spaces.
    let hello = voice.synthesize("hel\u{0}lo\u{1b}[31m there", Lang::En).await.unwrap();
    assert!(hello.duration_ms() > 300);
    // Emoji and symbols: speech when espeak has a name for them, otherwise a clear NoSpeech, never a panic.
    for odd in ["😀😀😀", "🫠", "…", "¥¥¥", "\u{202e}abc", "ｈｅｌｌｏ", "@#$%^&*"] {
        match voice.synthesize(odd, Lang::En).await {
            Ok(speech) => assert!(!speech.samples.is_empty(), "{odd}"),
            Err(e) => assert_eq!(e, VoiceError::NoSpeech, "{odd}"),
        }
        let _ = voice.synthesize(odd, Lang::Zh).await;
    }
    // SSML-looking text from a viewer: no mark fires, no 20-second break is taken, the words are just words.
    let sneaky = "<speak><mark name=\"x\"/><break time=\"20s\"/>hi</speak> [[h@l'oU]]";
    let speech = voice.synthesize(sneaky, Lang::En).await.unwrap();
    assert_eq!(speech.marks, 0, "text must not be parsed as SSML");
    assert!(speech.duration_ms() < 15_000, "{} ms: a break was taken", speech.duration_ms());
    let longest_gap = speech.phonemes.windows(2).map(|w| w[1].t_ms - w[0].t_ms).max().unwrap_or(0);
    assert!(longest_gap < 1_000, "a {longest_gap} ms silence inside the line");
    // The director never sends an empty line, but the Voice guards it too.
    assert_eq!(Voice::Espeak(voice).speak("   ", Lang::En).await.unwrap_err(), VoiceError::EmptyLine);
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn bad_configuration_is_refused_at_start_up_with_the_reason() {
    let typo = EspeakOptions { voice_zh: "cmn-latn-pinyn".into(), ..EspeakOptions::default() };
    let err = EspeakVoice::new(typo).unwrap_err();
    assert_eq!(err, VoiceError::VoiceNotFound("cmn-latn-pinyn".into()));
    assert!(err.to_string().contains("espeak-ng --voices"), "{err}");
    let nul = EspeakOptions { voice_en: "en\0us".into(), ..EspeakOptions::default() };
    assert!(matches!(EspeakVoice::new(nul), Err(VoiceError::VoiceNotFound(_))));
    let fast = EspeakOptions { rate_wpm: 1_000, ..EspeakOptions::default() };
    assert!(EspeakVoice::new(fast).unwrap_err().to_string().contains("80..=450"));
    let never = EspeakOptions { timeout: Duration::ZERO, ..EspeakOptions::default() };
    assert!(matches!(EspeakVoice::new(never), Err(VoiceError::Config(_))));
    // A failed check leaves the engine working for good voices.
    assert!(espeak().synthesize("still here", Lang::En).await.is_ok());
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn a_synthesis_past_its_deadline_is_cut_off_and_the_engine_carries_on() {
    let hasty =
        EspeakVoice::new(EspeakOptions { timeout: Duration::from_millis(30), ..EspeakOptions::default() }).unwrap();
    let long = EN_SENTENCE.repeat(20);
    let started = std::time::Instant::now();
    let err = hasty.synthesize(&long, Lang::En).await.unwrap_err();
    assert_eq!(err, VoiceError::Timeout(Duration::from_millis(30)));
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(2), "the caller waited {:?}", started.elapsed());
    // The engine thread stopped that job at its deadline and serves the next one.
    let speech = espeak().synthesize("And we are back.", Lang::En).await.unwrap();
    assert!(speech.duration_ms() > 500);
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn concurrent_lines_each_get_their_own_speech() {
    let voice = Voice::espeak(EspeakOptions::default()).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..8 {
        let voice = voice.clone();
        tasks.spawn(async move {
            let (text, lang) = if i % 2 == 0 { ("Yes.", Lang::En) } else { (ZH_SENTENCE, Lang::Zh) };
            (i, voice.speak(text, lang).await)
        });
    }
    while let Some(done) = tasks.join_next().await {
        let (i, clip) = done.unwrap();
        let clip = clip.unwrap();
        if i % 2 == 0 {
            assert!(clip.duration_ms < 1_500, "'Yes.' took {} ms: got another line's audio?", clip.duration_ms);
        } else {
            assert!(clip.duration_ms > 4_000, "the Mandarin line took {} ms", clip.duration_ms);
        }
    }
}

/// Mixed lines: a Chinese title inside an English line is read by the Mandarin voice (the English voice alone
/// spells each character as "Chinese letter"), and an English brand inside a Chinese line by the English voice;
/// the clip is the runs one after another, its mouth shapes moved with them.
#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn each_language_in_a_mixed_line_is_spoken_by_its_own_voice() {
    let voice = Voice::espeak(EspeakOptions::default()).unwrap();
    let engine = espeak();
    for (line, lang) in
        [("Next up: 暖光阅读台灯. It is bright.", Lang::En), ("今天的 Copper Kettle 只要六十四块五。", Lang::Zh)]
    {
        let clip = voice.speak(line, lang).await.unwrap();
        let mut parts = 0;
        for (run_lang, run) in language_runs(line, lang) {
            parts += engine.synthesize(run, run_lang).await.unwrap().samples.len();
        }
        let audio = clip.audio.as_ref().unwrap();
        // espeak's pauses at a voice's start and end vary by a few milliseconds from call to call.
        let (got, want) = (audio.samples.len() as f64, parts as f64);
        assert!(
            (got - want).abs() < want * 0.05,
            "{line}: the clip is its runs, each in its own voice: {got} vs {want}"
        );
        assert!(clip.visemes.windows(2).all(|w| w[0].t_ms < w[1].t_ms), "{line}: {:?}", clip.visemes);
        assert!(clip.visemes.iter().all(|k| k.t_ms <= clip.duration_ms));
        let one_voice = engine.synthesize(line, lang).await.unwrap();
        eprintln!("{line}: {} ms in runs, {} ms in one voice", clip.duration_ms, one_voice.duration_ms());
        if lang == Lang::En {
            // Six characters spelt "Chinese letter" take far longer than six Mandarin syllables.
            assert!(
                clip.duration_ms * 3 < one_voice.duration_ms() * 2,
                "{} vs {}",
                clip.duration_ms,
                one_voice.duration_ms()
            );
        }
    }
}

/// Plain pace (see director's `show::pace`) speaks the same words more slowly, with the mouth still following.
#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn plain_pace_speaks_the_same_words_more_slowly() {
    let voice = Voice::espeak(EspeakOptions::default()).unwrap();
    for (text, lang) in [(EN_SENTENCE, Lang::En), ("这套茶具是手工拉坯的，今天一百九十九元。", Lang::Zh)]
    {
        let usual = voice.speak_at(text, lang, model::Pace::Usual).await.unwrap();
        let plain = voice.speak_at(text, lang, model::Pace::Plain).await.unwrap();
        let ratio = f64::from(plain.duration_ms) / f64::from(usual.duration_ms);
        assert!(ratio > 1.15, "{text}: plain {} ms against usual {} ms", plain.duration_ms, usual.duration_ms);
        assert!(plain.visemes.iter().all(|k| k.t_ms <= plain.duration_ms));
        assert!(plain.visemes.len() >= usual.visemes.len() / 2, "the mouth still moves");
    }
}
