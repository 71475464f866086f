//! Benchmark: espeak-ng synthesis time per sentence and its real-time factor, English and Mandarin, and the cost
//! of turning the result into a viseme timeline.
//!
//! Run with `cargo bench -p backstage --bench voice`. Each sentence is synthesised once to warm the engine (the
//! first use of a voice loads its dictionary), then `ROUNDS` times; the median is reported. The real-time factor
//! is synthesis time over audio duration: below 1.0 the engine is faster than speech.

use backstage::voice::{EspeakOptions, EspeakVoice};
use director::lipsync;
use model::Lang;
use std::time::{Duration, Instant};

const ROUNDS: usize = 9;

const EN: [&str; 3] = [
    "Welcome back, everyone!",
    "This tea set is hand thrown porcelain, and today it is only one ninety nine.",
    "Bamboo mats, paper boxes and maple bowls: pick one, pay once, and it ships tomorrow from our warehouse.",
];
const ZH: [&str; 3] = [
    "欢迎回来！",
    "这套茶具是手工拉坯的白瓷，今天只要一百九十九元。",
    "竹席、纸盒、枫木碗，买一个，付一次，明天就从我们的仓库发货。",
];

fn median(mut values: Vec<Duration>) -> Duration {
    values.sort();
    values[values.len() / 2]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    let started = Instant::now();
    let voice = EspeakVoice::new(EspeakOptions::default()).expect("espeak-ng with en-us and cmn-latn-pinyin");
    println!("engine start and voice checks: {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    println!(
        "| lang | chars | audio | synthesis (median of {ROUNDS}) | real-time factor | visemes | viseme timeline |"
    );
    println!("|---|---|---|---|---|---|---|");
    for (lang, sentences) in [(Lang::En, EN), (Lang::Zh, ZH)] {
        for text in sentences {
            let speech = runtime.block_on(voice.synthesize(text, lang)).expect("synthesis");
            let mut times = Vec::with_capacity(ROUNDS);
            for _ in 0..ROUNDS {
                let t = Instant::now();
                let again = runtime.block_on(voice.synthesize(text, lang)).expect("synthesis");
                times.push(t.elapsed());
                // espeak varies a line's length by a few milliseconds between runs; more means different speech.
                let drift = again.samples.len().abs_diff(speech.samples.len());
                assert!(drift * 50 < speech.samples.len(), "same text, same speech");
            }
            let synth = median(times);
            let t = Instant::now();
            let keys = lipsync::visemes_from_phonemes(&speech.phonemes, speech.duration_ms());
            let timeline = t.elapsed();
            let audio_ms = speech.duration_ms();
            println!(
                "| {lang:?} | {} | {:.2} s | {:.1} ms | {:.3} | {} | {:.1} µs |",
                text.chars().count(),
                f64::from(audio_ms) / 1000.0,
                synth.as_secs_f64() * 1000.0,
                synth.as_secs_f64() * 1000.0 / f64::from(audio_ms),
                keys.len(),
                timeline.as_secs_f64() * 1e6,
            );
        }
    }
    // The OpenAI path's lip sync: the loudness envelope of the longest English clip.
    let speech = runtime.block_on(voice.synthesize(EN[2], Lang::En)).expect("synthesis");
    let t = Instant::now();
    let keys = lipsync::visemes_from_envelope(&speech.samples, speech.sample_rate);
    println!(
        "envelope visemes for {:.2} s of audio: {} keys in {:.1} µs",
        f64::from(speech.duration_ms()) / 1000.0,
        keys.len(),
        t.elapsed().as_secs_f64() * 1e6
    );
}
