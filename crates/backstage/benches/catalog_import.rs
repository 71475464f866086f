//! Benchmark: importing a 100,000-product CSV from disk (target: under 2 s, memory proportional to the file).
//!
//! Run with `cargo bench -p backstage --bench catalog_import`. Plain `harness = false` timing keeps the
//! dependency graph small; each figure is the median of several runs. Peak memory comes from the kernel's
//! high-water mark (VmHWM), read before and after the import.

use backstage::catalog::{Format, load_file_as};
use model::Currency;
use std::time::{Duration, Instant};

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// Imports `rows` generated products `runs` times; returns (median time, products, file MiB, RSS growth MiB).
fn import(rows: usize, runs: usize) -> (Duration, usize, f64, Option<f64>) {
    let dir = std::env::temp_dir().join(format!("shopcast-bench-{}-{rows}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("products.csv");
    let mut text = String::from("id,title,title_zh,price,compare_at,stock,image,url\n");
    for i in 0..rows {
        text.push_str(&format!(
            "sku-{i},\"Product number {i}, in blue\",商品{i},{}.{:02},{}.00,{},https://cdn.example.com/{i}.jpg,https://shop.example.com/p/{i}\n",
            10 + i % 500,
            i % 100,
            600 + i % 50,
            i % 40
        ));
    }
    std::fs::write(&path, &text).expect("write CSV");
    let file_mib = text.len() as f64 / (1024.0 * 1024.0);
    drop(text);
    let currency = Currency::parse("CNY");
    let before = peak_rss_kib();
    let mut samples = Vec::new();
    let mut products = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let load = load_file_as(&path, Some(Format::Csv), currency.clone());
        samples.push(started.elapsed());
        assert!(load.diagnostics.is_empty(), "{:?}", &load.diagnostics[..load.diagnostics.len().min(3)]);
        products = load.products.len();
    }
    let growth = peak_rss_kib().zip(before).map(|(a, b)| (a - b) as f64 / 1024.0);
    let _ = std::fs::remove_dir_all(&dir);
    (median(samples), products, file_mib, growth)
}

fn main() {
    // Smallest first: the kernel's high-water mark only rises, so each size's growth is measured on top of the
    // smaller ones, which makes the memory figure an upper bound and shows whether it scales with the file.
    for rows in [25_000, 50_000, 100_000] {
        let (took, products, file_mib, growth) = import(rows, 7);
        println!(
            "catalog_import: {products} products from a {file_mib:.1} MiB CSV: median of 7 {:.0} ms ({:.0} products/s){}",
            took.as_secs_f64() * 1000.0,
            products as f64 / took.as_secs_f64(),
            growth.map_or(String::new(), |g| format!(", peak RSS growth {g:.1} MiB"))
        );
    }
}
