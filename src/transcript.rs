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
            writeln!(out, "{}  {kind:<22} {source:<8} {product:<16} {}{why}{note}", logged.time, line.text)?;
        }
    }
    out.flush()?;
    eprintln!("{} line(s) from {}", lines.len(), path.display());
    Ok(())
}
