//! Benchmark: the audit log's hash chain. Appending a line (row + link in one transaction), verifying a long log,
//! and retention along the chain.
//!
//! Run with `cargo bench -p backstage --bench audit_chain`. Plain `harness = false` timing; the log is written to
//! a temporary folder (WAL, synchronous=NORMAL, as the show writes it).

mod common;

use backstage::store::Store;
use model::{ConsoleEvent, UnixMs};
use std::time::Instant;

fn line(id: u64, wall: i64) -> ConsoleEvent {
    ConsoleEvent::LineAired(common::offer_line(id, wall))
}

fn main() {
    let rows: u64 = std::env::var("SHOPCAST_BENCH_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000);
    let dir = std::env::temp_dir().join(format!("shopcast-bench-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.db");
    let store = Store::open(&path, 1).expect("a store");
    let day = 86_400_000i64;
    // One line every 4 s, one moderator action every tenth row, over about two days of show.
    let step = 2 * day / rows as i64;
    let started = Instant::now();
    for i in 0..rows {
        let wall = i as i64 * step;
        let event = if i % 10 == 9 {
            ConsoleEvent::ModeratorAction { action: format!("pinned sku-{}", i % 40) }
        } else {
            line(i, wall)
        };
        store.record(&event, UnixMs(wall)).expect("written");
    }
    let write = started.elapsed();
    println!(
        "append: {rows} rows in {:.2} s, {:.1} µs per row (row + chain link, one transaction each)",
        write.as_secs_f64(),
        write.as_secs_f64() * 1e6 / rows as f64
    );
    let bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(dir.join("audit.db-wal")).map(|m| m.len()).unwrap_or(0);
    println!("file: {:.1} MiB ({:.0} bytes per row)", bytes as f64 / 1048576.0, bytes as f64 / rows as f64);
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        let report = store.verify_chain().expect("verified");
        assert!(report.holds(), "{report:?}");
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!("verify: {rows} links in {best:.2} s ({:.2} µs per link), best of 3", best * 1e6 / rows as f64);
    // Retention: the first of the two days goes.
    let started = Instant::now();
    let removed = store.purge(UnixMs(2 * day)).expect("purged");
    println!("purge: {removed} rows in {:.2} s", started.elapsed().as_secs_f64());
    assert!(store.verify_chain().expect("verified").holds());
    let _ = std::fs::remove_dir_all(&dir);
}
