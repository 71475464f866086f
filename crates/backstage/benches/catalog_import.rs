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

fn main() {
    let rows = 100_000;
    let dir = std::env::temp_dir().join(format!("shopcast-bench-{}", std::process::id()));
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
    for _ in 0..7 {
        let started = Instant::now();
        let load = load_file_as(&path, Some(Format::Csv), currency.clone());
        samples.push(started.elapsed());
        assert!(load.diagnostics.is_empty(), "{:?}", &load.diagnostics[..load.diagnostics.len().min(3)]);
        products = load.products.len();
    }
    let after = peak_rss_kib();
    let took = median(samples);
    println!("catalog_import: {products} products from a {file_mib:.1} MiB CSV");
    println!(
        "  median of 7: {:.0} ms ({:.0} products/s)",
        took.as_secs_f64() * 1000.0,
        products as f64 / took.as_secs_f64()
    );
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "  peak RSS growth during import: {:.1} MiB ({:.1}x the file)",
            (a - b) as f64 / 1024.0,
            (a - b) as f64 / 1024.0 / file_mib
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
