//! `shopcast transcript`: what the host said, when and why, from the audit log.

use anyhow::{Context, Result};
use backstage::store::{self, DEFAULT_RETENTION_DAYS, Store};
use backstage::time_text::parse_duration_ms;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct TranscriptArgs {
    /// How far back, like 30m, 1h or 2h30m (default: everything kept).
    #[arg(long)]
    since: Option<String>,
    /// One JSON object per line (JSONL) instead of text.
    #[arg(long)]
    json: bool,
    /// The audit log (default: SHOPCAST_STORE, else ~/.local/share/shopcast/audit.db).
    #[arg(long)]
    store: Option<PathBuf>,
    /// The show report instead of the lines: lines said by kind, and the viewers who needed a person (care events
    /// per category, how many a moderator claimed and handled, and how long they waited to be claimed).
    #[arg(long)]
    report: bool,
}

pub fn run(args: TranscriptArgs) -> Result<()> {
    let env = |k: &str| std::env::var(k).ok();
    let path = store::path(args.store, &env);
    if !path.is_file() {
        anyhow::bail!("no audit log at {} yet: it is written while `shopcast run` is on air", path.display());
    }
    let store = Store::open(&path, DEFAULT_RETENTION_DAYS)?;
    let now = backstage::clock::wall_now();
    let since = match args.since.as_deref() {
        Some(text) => {
            let ms =
                parse_duration_ms(text).with_context(|| format!("--since {text:?} must look like 30m, 1h or 2h30m"))?;
            model::UnixMs(now.0 - ms as i64)
        }
        None => model::UnixMs(i64::MIN),
    };
    let lines = store.lines_since(since)?;
    if args.report {
        return report(&store, &lines, since, args.json);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for logged in &lines {
        if args.json {
            writeln!(out, "{}", serde_json::to_string(logged)?)?;
        } else {
            let line = &logged.line;
            let kind = serde_json::to_value(line.kind)?.to_string().replace('"', "");
            let source = serde_json::to_value(line.source)?.to_string().replace('"', "");
            let product = line.product.as_ref().map_or("-".to_string(), |p| p.0.clone());
            let why =
                line.trigger.as_ref().map_or(String::new(), |c| format!("  [answering {}: {}]", c.user_name, c.text));
            let note = line.note.as_ref().map_or(String::new(), |n| format!("  ({n})"));
            // On whose authority: the console account that wrote, edited or approved it.
            let by = line.by.as_ref().map_or(String::new(), |by| format!("  <by {by}>"));
            writeln!(out, "{}  {kind:<22} {source:<8} {product:<16} {}{why}{note}{by}", logged.time, line.text)?;
        }
    }
    out.flush()?;
    eprintln!("{} line(s) from {}", lines.len(), path.display());
    Ok(())
}

/// `--report`: the show report (see [`TranscriptArgs::report`]).
fn report(store: &Store, lines: &[store::LoggedLine], since: model::UnixMs, json: bool) -> Result<()> {
    let mut by_kind: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for logged in lines {
        let kind = serde_json::to_value(logged.line.kind)?;
        let name = kind.as_str().map_or_else(|| kind.to_string(), str::to_string);
        *by_kind.entry(name).or_default() += 1;
    }
    let care = store.care_report(since)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if json {
        let report = serde_json::json!({ "lines": lines.len(), "lines_by_kind": by_kind, "care": care });
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        return Ok(out.flush()?);
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(out, "Lines said: {} ({})", lines.len(), kinds.join(", "))?;
    writeln!(out, "Viewers who needed a person: {} ({} not claimed by a moderator)", care.raised(), care.unclaimed())?;
    let seconds = |ms: Option<i64>| ms.map_or("-".to_string(), |ms| format!("{} s", (ms + 500) / 1000));
    for c in care.categories.iter().filter(|c| c.raised > 0) {
        writeln!(
            out,
            "  {:<8} raised {:<3} claimed {:<3} handled {:<3} unclaimed {:<3} time to claim: median {}, p95 {}, longest {}",
            c.category,
            c.raised,
            c.claimed,
            c.handled,
            c.unclaimed,
            seconds(c.claim_ms_median),
            seconds(c.claim_ms_p95),
            seconds(c.claim_ms_max)
        )?;
    }
    Ok(out.flush()?)
}
