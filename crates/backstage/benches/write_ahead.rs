//! Benchmark: what writing each aired line ahead of the stage costs the show. Every line waits for the audit log's
//! answer before the stage plays it (backstage::store::audit::WriteAhead), so this round trip is added to the start
//! of every line: measured here through the real store thread, quiet and with the store busy with the chat's own
//! writes (viewer visits, a comment every 5 ms).
//!
//! Run with `cargo bench -p backstage --bench write_ahead` (`SHOPCAST_BENCH_LINES`, default 2000).

mod common;

use backstage::store::audit::{Provenance, WriteAhead};
use backstage::store::{Store, StoreHandle};
use model::{AiredLine, UnixMs};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn line(id: u64) -> AiredLine {
    common::offer_line(id, 1_800_000_000_000 + id as i64 * 4_000)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}: {} lines, p50 {:.3} ms, p95 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        times.len(),
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 95.0)),
        ms(percentile(&times, 99.0)),
        ms(*times.last().unwrap_or(&Duration::ZERO)),
    );
}

fn main() {
    let lines: u64 = std::env::var("SHOPCAST_BENCH_LINES").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
    let dir = std::env::temp_dir().join(format!("shopcast-bench-ahead-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a runtime");
    runtime.block_on(async {
        let (store, thread) =
            StoreHandle::spawn(Store::open(&dir.join("audit.db"), 30).expect("a store")).expect("a thread");
        let show = Arc::new(Provenance {
            show_id: "bench".into(),
            producer: "shopcast/bench".into(),
            model: None,
            voice: "espeak-ng".into(),
        });
        let ahead = WriteAhead::new(store.clone(), show);
        let mut quiet = Vec::new();
        for id in 0..lines {
            let started = Instant::now();
            assert!(ahead.line(&line(id)).await, "the store answered within the wait");
            quiet.push(started.elapsed());
        }
        report("write-ahead, quiet store", quiet);

        // A busy chat: a viewer visit every 5 ms queued on the same store thread.
        let busy_store = store.clone();
        let chatter = tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(5));
            for i in 0u64.. {
                tick.tick().await;
                busy_store.remember_viewer(
                    &format!("uid-{}", i % 5000),
                    "viewer",
                    UnixMs(1_800_000_000_000 + i as i64),
                );
            }
        });
        let mut busy = Vec::new();
        for id in lines..2 * lines {
            let started = Instant::now();
            assert!(ahead.line(&line(id)).await, "the store answered within the wait");
            busy.push(started.elapsed());
            // Lines come a few seconds apart on air; here a little apart so the chat's writes interleave.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        chatter.abort();
        report("write-ahead, store busy with a comment every 5 ms", busy);
        drop((ahead, store));
        thread.finish();
    });
    let _ = std::fs::remove_dir_all(&dir);
}
