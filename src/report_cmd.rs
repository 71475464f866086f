//! `shopcast report`: what a show did, for the merchandiser, as one self-contained HTML page with its charts drawn
//! in SVG (no scripts, no network) and a CSV of the same numbers beside it (see backstage::store::report).

use anyhow::{Context, Result, bail};
use backstage::store::report::ShowReport;
use backstage::store::{self, DEFAULT_RETENTION_DAYS, Store};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// How far back: `24h`, `90m`, `7d` (default 24h).
    #[arg(long, default_value = "24h")]
    since: String,
    /// The HTML file to write; the CSV goes beside it with the extension `.csv`.
    #[arg(long)]
    out: PathBuf,
    /// The audit log (default: SHOPCAST_STORE, else ~/.local/share/shopcast/audit.db).
    #[arg(long)]
    store: Option<PathBuf>,
}

pub fn run(args: ReportArgs) -> Result<()> {
    let Some(span) = backstage::time_text::parse_duration_ms(&args.since) else {
        bail!("--since {:?} is not a duration; write it like 24h, 90m or 7d", args.since);
    };
    let env = |k: &str| std::env::var(k).ok();
    let path = store::path(args.store.clone(), &env);
    if !path.is_file() {
        bail!("no audit log at {} yet: it is written while `shopcast run` is on air", path.display());
    }
    let store = Store::open(&path, DEFAULT_RETENTION_DAYS)?;
    let to = backstage::clock::wall_now();
    let from = model::UnixMs(to.0 - span as i64);
    let report = store.report(from, to)?;
    let html = render_html(&report, &args.since);
    let csv_path = args.out.with_extension("csv");
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&args.out, html).with_context(|| format!("cannot write {}", args.out.display()))?;
    std::fs::write(&csv_path, render_csv(&report)).with_context(|| format!("cannot write {}", csv_path.display()))?;
    eprintln!(
        "report of the last {}: {} line(s), {} answer(s), written to {} and {}",
        args.since,
        report.lines,
        report.buckets.iter().map(|b| b.answered).sum::<u32>(),
        args.out.display(),
        csv_path.display()
    );
    if report.unreadable > 0 {
        eprintln!("{} row(s) could not be read; `shopcast audit verify` checks the log", report.unreadable);
    }
    Ok(())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn clock(t: model::UnixMs) -> String {
    let text = store::rfc3339(t);
    // "2026-12-05T14:30:00Z" -> "12-05 14:30"
    text.get(5..16).map(|s| s.replace('T', " ")).unwrap_or(text)
}

/// A percentile of sorted values (nearest rank).
fn percentile(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

const COLOURS: [&str; 6] = ["#1f5fbf", "#2e8540", "#b35900", "#a11b1b", "#6a3d9a", "#50555e"];

/// Horizontal bars, one per item, labelled with the value in `unit`.
fn bar_chart(title: &str, items: &[(String, f64)], unit: &str) -> String {
    let mut svg = String::new();
    let row = 22.0;
    let height = 30.0 + row * items.len().max(1) as f64;
    let max = items.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max).max(1e-9);
    let _ = write!(
        svg,
        r#"<figure><figcaption>{}</figcaption><svg role="img" aria-label="{}" viewBox="0 0 720 {height}" width="720" height="{height}">"#,
        escape(title),
        escape(title)
    );
    if items.is_empty() {
        let _ = write!(svg, r#"<text x="10" y="30">nothing in this stretch</text>"#);
    }
    for (i, (label, value)) in items.iter().enumerate() {
        let y = 10.0 + row * i as f64;
        let width = 400.0 * value / max;
        let _ = write!(
            svg,
            r##"<text x="210" y="{ty}" text-anchor="end">{label}</text><rect x="220" y="{y}" width="{width:.1}" height="16" fill="#1f5fbf"/><text x="{vx:.1}" y="{ty}">{value} {unit}</text>"##,
            ty = y + 13.0,
            label = escape(label),
            vx = 226.0 + width,
            value = trim_number(*value),
            unit = escape(unit),
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// Lines over the buckets, one per series, with a legend.
fn line_chart(title: &str, starts: &[String], series: &[(&str, Vec<f64>)]) -> String {
    let (width, height, left, bottom) = (720.0, 260.0, 50.0, 40.0);
    let plot_w = width - left - 20.0;
    let plot_h = height - bottom - 30.0;
    let max = series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0_f64, f64::max).max(1.0);
    let n = starts.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + plot_w * i as f64 / n;
    let y = |v: f64| 20.0 + plot_h * (1.0 - v / max);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<figure><figcaption>{}</figcaption><svg role="img" aria-label="{}" viewBox="0 0 {width} {height}" width="{width}" height="{height}">"#,
        escape(title),
        escape(title)
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" y1="{b}" x2="{r}" y2="{b}" stroke="#8a8f98"/><text x="{lx}" y="24" text-anchor="end">{max}</text><text x="{lx}" y="{b}" text-anchor="end">0</text>"##,
        b = 20.0 + plot_h,
        r = left + plot_w,
        lx = left - 6.0,
        max = trim_number(max),
    );
    let every = (starts.len() / 6).max(1);
    for (i, start) in starts.iter().enumerate().filter(|(i, _)| i % every == 0) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x(i),
            36.0 + plot_h,
            escape(start)
        );
    }
    for (k, (name, values)) in series.iter().enumerate() {
        let colour = COLOURS[k % COLOURS.len()];
        let points: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
        let _ =
            write!(svg, r#"<polyline fill="none" stroke="{colour}" stroke-width="2" points="{}"/>"#, points.join(" "));
        let _ = write!(
            svg,
            r#"<rect x="{lx}" y="{ly}" width="10" height="10" fill="{colour}"/><text x="{tx}" y="{ty}">{}</text>"#,
            escape(name),
            lx = left + 110.0 * k as f64,
            ly = height - 14.0,
            tx = left + 14.0 + 110.0 * k as f64,
            ty = height - 5.0,
        );
    }
    svg.push_str("</svg></figure>\n");
    svg
}

fn trim_number(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 { format!("{}", v.round() as i64) } else { format!("{v:.1}") }
}

/// The answer delays, binned.
fn delay_bins(delays: &[i64]) -> Vec<(String, f64)> {
    const EDGES: [(i64, &str); 7] = [
        (5, "under 5 s"),
        (10, "5-10 s"),
        (20, "10-20 s"),
        (30, "20-30 s"),
        (60, "30-60 s"),
        (120, "1-2 min"),
        (i64::MAX, "over 2 min"),
    ];
    let mut counts = [0u32; 7];
    for d in delays {
        let s = d / 1000;
        let i = EDGES.iter().position(|(edge, _)| s < *edge).unwrap_or(EDGES.len() - 1);
        counts[i] += 1;
    }
    EDGES.iter().zip(counts).map(|((_, label), n)| (label.to_string(), f64::from(n))).collect()
}

pub fn render_html(report: &ShowReport, since: &str) -> String {
    let starts: Vec<String> = report.buckets.iter().map(|b| clock(b.start)).collect();
    let series = |f: fn(&backstage::store::report::Bucket) -> u32| -> Vec<f64> {
        report.buckets.iter().map(|b| f64::from(f(b))).collect()
    };
    let mut delays = report.answer_delays_ms.clone();
    delays.sort_unstable();
    let total = |f: fn(&backstage::store::report::Bucket) -> u32| report.buckets.iter().map(f).sum::<u32>();
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<!doctype html><html lang="en"><head><meta charset="utf-8"><title>shopcast report</title><style>
body {{ font: 15px/1.5 system-ui, "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 2rem; color: #1b1d21; max-width: 780px; }}
h1 {{ font-size: 1.4rem; }} h2 {{ font-size: 1.1rem; margin-top: 2rem; }}
table {{ border-collapse: collapse; }} td, th {{ padding: .2rem .8rem .2rem 0; text-align: left; }}
figure {{ margin: 1rem 0; }} figcaption {{ font-weight: 600; }} svg text {{ font-size: 12px; fill: #1b1d21; }}
.note {{ color: #50555e; }}
</style></head><body>
<h1>What the show did: {from} to {to} (UTC)</h1>
<p class="note">The last {since}, from the audit log. Times are UTC; each point of the charts is {bucket} minutes.</p>
<table><tr><th>lines said</th><td>{lines}</td></tr><tr><th>questions asked</th><td>{asked}</td></tr>
<tr><th>answers</th><td>{answered}</td></tr><tr><th>viewers answered together with another (merged)</th><td>{merged}</td></tr>
<tr><th>questions dropped unanswered</th><td>{dropped}</td></tr><tr><th>comments handed to moderators</th><td>{escalated}</td></tr>
<tr><th>answer delay (comment to answer)</th><td>median {p50}, 95th percentile {p95}</td></tr>
<tr><th>comments</th><td>{comments}</td></tr><tr><th>paid messages</th><td>{paid}</td></tr></table>
"#,
        from = escape(&store::rfc3339(report.from)),
        to = escape(&store::rfc3339(report.to)),
        since = escape(since),
        bucket = report.bucket_ms / 60_000,
        lines = report.lines,
        asked = total(|b| b.asked),
        answered = total(|b| b.answered),
        merged = total(|b| b.merged),
        dropped = total(|b| b.dropped),
        escalated = total(|b| b.escalated),
        p50 = percentile(&delays, 50.0).map_or("-".into(), |d| format!("{:.1} s", d as f64 / 1000.0)),
        p95 = percentile(&delays, 95.0).map_or("-".into(), |d| format!("{:.1} s", d as f64 / 1000.0)),
        comments = total(|b| b.comments),
        paid = if report.paid.is_empty() {
            "none".to_string()
        } else {
            report.paid.iter().map(|p| format!("{} in {}", p.count, escape(&p.currency))).collect::<Vec<_>>().join(", ")
        },
    );
    html.push_str("<h2>Airtime per product</h2>\n");
    let airtime: Vec<(String, f64)> = report
        .airtime
        .iter()
        .map(|a| {
            let label = if a.product.is_empty() {
                "(no product: disclosures, holding and care lines)".into()
            } else {
                a.product.clone()
            };
            (label, (a.ms as f64 / 60_000.0 * 10.0).round() / 10.0)
        })
        .collect();
    html.push_str(&bar_chart("Minutes on air per product", &airtime, "min"));
    html.push_str("<h2>Questions over time</h2>\n");
    html.push_str(&line_chart(
        "Questions per interval",
        &starts,
        &[
            ("asked", series(|b| b.asked)),
            ("answered", series(|b| b.answered)),
            ("merged", series(|b| b.merged)),
            ("dropped", series(|b| b.dropped)),
            ("escalated", series(|b| b.escalated)),
        ],
    ));
    html.push_str("<h2>How long answers took</h2>\n");
    html.push_str(&bar_chart("Answers by delay from the comment", &delay_bins(&delays), "answers"));
    html.push_str("<h2>What the guard stopped or corrected</h2>\n");
    let guard: Vec<(String, f64)> = report.guard.iter().map(|(rule, n)| (rule.clone(), f64::from(*n))).collect();
    html.push_str(&bar_chart("Guard interventions by rule", &guard, "times"));
    html.push_str("<h2>Viewers and paid messages</h2>\n");
    html.push_str(&line_chart(
        "Chat per interval",
        &starts,
        &[
            ("viewers writing (per minute, summed)", series(|b| b.viewer_minutes)),
            ("paid messages", series(|b| b.paid)),
        ],
    ));
    html.push_str("</body></html>\n");
    html
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// One row per number: `section,key,bucket_start,value` (bucket_start empty for whole-stretch numbers).
pub fn render_csv(report: &ShowReport) -> String {
    let mut csv = String::from("section,key,bucket_start,value\n");
    let mut row = |section: &str, key: &str, start: Option<model::UnixMs>, value: String| {
        let start = start.map(store::rfc3339).unwrap_or_default();
        let _ = writeln!(csv, "{},{},{},{}", csv_field(section), csv_field(key), start, csv_field(&value));
    };
    for a in &report.airtime {
        row("airtime_ms", &a.product, None, a.ms.to_string());
        row("lines", &a.product, None, a.lines.to_string());
    }
    for b in &report.buckets {
        for (key, value) in [
            ("asked", b.asked),
            ("answered", b.answered),
            ("merged", b.merged),
            ("dropped", b.dropped),
            ("escalated", b.escalated),
            ("comments", b.comments),
            ("viewer_minutes", b.viewer_minutes),
            ("paid", b.paid),
        ] {
            row("questions_and_chat", key, Some(b.start), value.to_string());
        }
    }
    for d in &report.answer_delays_ms {
        row("answer_delay_ms", "", None, d.to_string());
    }
    for (rule, n) in &report.guard {
        row("guard", rule, None, n.to_string());
    }
    for p in &report.paid {
        row("paid_count", &p.currency, None, p.count.to_string());
        row("paid_minor", &p.currency, None, p.minor.to_string());
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;
    use backstage::store::chat_minutes::PaidSum;
    use backstage::store::report::{Airtime, Bucket};
    use model::UnixMs;

    fn report() -> ShowReport {
        let start = 1_800_000_000_000;
        ShowReport {
            from: UnixMs(start),
            to: UnixMs(start + 3_600_000),
            bucket_ms: 300_000,
            buckets: (0..12)
                .map(|i| Bucket {
                    start: UnixMs(start + i * 300_000),
                    asked: i as u32,
                    answered: 1,
                    merged: 0,
                    dropped: 0,
                    escalated: 0,
                    viewer_minutes: 3,
                    comments: 5,
                    paid: u32::from(i == 3),
                })
                .collect(),
            airtime: vec![
                Airtime { product: "<script>alert(1)</script>".into(), ms: 120_000, lines: 3 },
                Airtime { product: "tea,set \"deluxe\"".into(), ms: 60_000, lines: 2 },
                Airtime { product: String::new(), ms: 30_000, lines: 4 },
            ],
            answer_delays_ms: vec![3_000, 7_000, 45_000, 200_000],
            guard: vec![("unbacked_price".into(), 4)],
            paid: vec![PaidSum { currency: "CNY".into(), count: 1, minor: 3_000 }],
            lines: 9,
            unreadable: 0,
        }
    }

    #[test]
    fn the_page_has_every_chart_and_no_markup_from_the_data() {
        let html = render_html(&report(), "1h");
        assert_eq!(html.matches("<svg").count(), 5, "airtime, questions, delays, guard, chat");
        assert!(!html.contains("<script"), "product ids are text, never markup");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        for needed in ["Airtime per product", "median 7.0 s", "95th percentile 200.0 s", "unbacked_price", "1 in CNY"] {
            assert!(html.contains(needed), "{needed} missing");
        }
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "self-contained: nothing loaded from elsewhere"
        );
    }

    #[test]
    fn the_csv_quotes_what_needs_quoting_and_has_one_number_per_row() {
        let csv = render_csv(&report());
        let mut lines = csv.lines();
        assert_eq!(lines.next(), Some("section,key,bucket_start,value"));
        assert!(csv.contains("airtime_ms,\"tea,set \"\"deluxe\"\"\",,60000"), "{csv}");
        assert!(csv.contains("questions_and_chat,asked,2027-01-15T08:05:00.000Z,1"), "{csv}");
        assert_eq!(csv.lines().filter(|l| l.starts_with("answer_delay_ms,")).count(), 4);
        assert_eq!(csv.lines().filter(|l| l.starts_with("questions_and_chat,")).count(), 12 * 8);
    }

    #[test]
    fn delays_fall_into_one_bin_each_and_percentiles_are_nearest_rank() {
        let bins = delay_bins(&[0, 4_999, 5_000, 59_999, 60_000, 10_000_000]);
        let counts: Vec<f64> = bins.iter().map(|(_, n)| *n).collect();
        assert_eq!(counts, [2.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
        assert_eq!(percentile(&[1, 2, 3, 4], 50.0), Some(2));
        assert_eq!(percentile(&[1, 2, 3, 4], 95.0), Some(4));
        assert_eq!(percentile(&[], 50.0), None);
    }
}
