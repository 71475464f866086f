//! Benchmark: the director's whole decision loop on a virtual clock (template writer, silent voice).
//!
//! Run with `cargo bench -p director --bench show`. Reports how long a simulated 24-hour show takes and the
//! cost per aired line, so regressions in the sans-IO core show up without any I/O noise.
#![allow(clippy::disallowed_methods, reason = "a benchmark times itself; the show it measures runs on a virtual clock")]

use director::{Rehearsal, ShowConfig};
use model::{Currency, Lang, Localized, Money, Product, ShowTime, UnixMs};
use std::time::Instant;

fn products() -> Vec<Product> {
    let cny = Currency::parse("CNY").expect("CNY");
    (0..20)
        .map(|i| {
            let mut p = Product::new(
                format!("p{i}"),
                Localized { en: Some(format!("Product {i}")), zh: Some(format!("商品{i}")) },
                Money::parse_decimal(&format!("{}.90", 49 + i * 10), cny.clone()).expect("price"),
            );
            p.compare_at = Some(Money::parse_decimal(&format!("{}", 99 + i * 10), cny.clone()).expect("price"));
            p.stock = Some(10 + i as u32);
            p.description = Localized::one(Lang::En, "A useful thing for every day.".to_string());
            p.features = Localized::one(Lang::En, vec!["light".into(), "sturdy".into(), "easy to clean".into()]);
            p
        })
        .collect()
}

fn main() {
    for lang in [Lang::En, Lang::Zh] {
        let started = Instant::now();
        let mut show = Rehearsal::new(ShowConfig { lang, ..ShowConfig::default() }, products(), UnixMs(0));
        let day = 24 * 3600 * 1000;
        let mut t = 0;
        // Step in 40 ms frames, as the stage would, so the per-frame polling cost is included.
        while t < day {
            t += 40;
            show.advance_to(ShowTime(t));
        }
        let took = started.elapsed();
        let lines = show.transcript().len();
        println!(
            "director show ({}): 24 simulated hours, {lines} lines, 2,160,000 frames in {:.2} s ({:.2} µs per frame, {:.1} µs per line)",
            lang.code(),
            took.as_secs_f64(),
            took.as_secs_f64() * 1e6 / 2_160_000.0,
            took.as_secs_f64() * 1e6 / lines as f64,
        );
    }
}
