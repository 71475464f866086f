//! Benchmark: the chunker and the guard per sentence, the work done between a model's delta and the voice.
//!
//! Run with `cargo bench -p director --bench guard`. Goal: under 50 µs per sentence, chunking and guarding
//! together, for Chinese and English, passing, repaired and rejected sentences alike.
#![allow(clippy::disallowed_methods, reason = "a benchmark times itself; the director it measures reads no clock")]

use director::chunker::SentenceChunker;
use director::guard::check_sentence;
use director::ledger::ClaimsLedger;
use model::{Currency, Lang, Localized, Money, Product, Spec, UnixMs};
use std::time::{Duration, Instant};

fn kettle() -> Product {
    let usd = Currency::parse("USD").expect("USD");
    let mut p = Product::new(
        "kettle",
        Localized { en: Some("Kettle Model 3".into()), zh: Some("三号电水壶".into()) },
        Money::parse_decimal("19.99", usd.clone()).expect("price"),
    );
    p.compare_at = Some(Money::parse_decimal("29.99", usd).expect("price"));
    p.stock = Some(12);
    p.specs = Localized {
        en: Some(vec![Spec { name: "Capacity".into(), value: "450 ml".into() }]),
        zh: Some(vec![Spec { name: "容量".into(), value: "450毫升".into() }]),
    };
    p
}

const EN: &str = "Welcome back to the stream, everyone! This is the Kettle Model 3, and it holds 450 ml. \
It's {price} today, down from {compare_at}, that's {discount}. It's $19.99 right now. \
There are {stock} in stock, and the link is on the card. Everything is free today, 99% off! \
I understand how frustrating that must be, a moderator will check your order. \
As an AI language model, I cannot do that. The handle stays cool, so pouring is easy. ";

const ZH: &str = "欢迎回到直播间！这是三号电水壶，容量450毫升。现在只要{price}，原价{compare_at}，相当于{discount}。\
库存还有{stock}，链接在商品卡上。全场免费，一折包邮！非常抱歉给您带来不便，我能理解您的心情。手柄不烫手，倒水很方便。";

fn run(text: &str, lang: Lang, rounds: usize) -> (usize, Duration, Duration) {
    let ledger = ClaimsLedger::for_product(&kettle(), lang, UnixMs(0));
    // Deltas of about four characters, as models stream them.
    let chars: Vec<char> = text.chars().collect();
    let deltas: Vec<String> = chars.chunks(4).map(|c| c.iter().collect()).collect();
    let mut sentences = 0;
    let mut guard_time = Duration::ZERO;
    let started = Instant::now();
    let mut out = Vec::new();
    for _ in 0..rounds {
        let mut chunker = SentenceChunker::new();
        for delta in &deltas {
            chunker.push_into(delta, &mut out);
            for sentence in out.drain(..) {
                let t = Instant::now();
                std::hint::black_box(check_sentence(&sentence, &ledger, lang));
                guard_time += t.elapsed();
                sentences += 1;
            }
        }
        for sentence in chunker.finish() {
            std::hint::black_box(check_sentence(&sentence, &ledger, lang));
            sentences += 1;
        }
    }
    (sentences, started.elapsed(), guard_time)
}

/// The whole gate on each sentence: identity and experience claims, what the host says about itself, then the
/// guard (no instructions, so no leak check), as the show runs it on every sentence it may say.
fn run_gate(text: &str, lang: Lang, rounds: usize) -> (usize, Duration) {
    let ledger = ClaimsLedger::for_product(&kettle(), lang, UnixMs(0));
    let mut chunker = SentenceChunker::new();
    let mut sentences = chunker.push(text);
    sentences.extend(chunker.finish());
    let gate = director::air::Gate::new(&ledger, lang, None);
    let started = Instant::now();
    for _ in 0..rounds {
        for sentence in &sentences {
            std::hint::black_box(gate.clear(sentence));
        }
    }
    (sentences.len() * rounds, started.elapsed())
}

fn main() {
    for (name, text, lang) in [("en", EN, Lang::En), ("zh", ZH, Lang::Zh)] {
        run(text, lang, 200); // warm-up
        let (sentences, total, guard) = run(text, lang, 5_000);
        let per = total / sentences as u32;
        let guard_per = guard / sentences as u32;
        println!(
            "guard+chunker {name}: {sentences} sentences, {per:?} per sentence (guard alone {guard_per:?}); goal < 50 µs: {}",
            if per < Duration::from_micros(50) { "met" } else { "MISSED" }
        );
        run_gate(text, lang, 200);
        let (sentences, total) = run_gate(text, lang, 5_000);
        println!("whole gate {name}: {sentences} sentences, {:?} per sentence", total / sentences as u32);
    }
}
