//! `shopcast audit`: check the audit log's hash chain, list its shows, and export one show's record for a
//! regulator or a merchant (see backstage::store::chain).

use anyhow::{Context, Result, bail};
use backstage::store::{self, DEFAULT_RETENTION_DAYS, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand, Debug)]
pub enum AuditCommand {
    /// Check every row against the hash chain; exit status 1 at the first broken link, which it names.
    Verify(VerifyArgs),
    /// List the shows the audit log holds (their ids are in the stream's AI marking too).
    Shows(StoreArg),
    /// Write one show's record to a folder: the transcript with each line's provenance, the products as they were,
    /// moderator actions and escalations, and the chain's hashes for that stretch.
    Export(ExportArgs),
}

#[derive(clap::Args, Debug)]
pub struct StoreArg {
    /// The audit log (default: SHOPCAST_STORE, else ~/.local/share/shopcast/audit.db).
    #[arg(long)]
    store: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    store: StoreArg,
    /// A chain head you kept (from an export, or the log line at the end of a show): the log must still lead to
    /// it, which catches a chain rewritten from some row onwards.
    #[arg(long, value_name = "HASH")]
    head: Option<String>,
    /// The report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    store: StoreArg,
    /// The show's id (`shopcast audit shows` lists them), or `last` for the newest show.
    #[arg(long)]
    show: String,
    /// The folder to write (created; files in it with the same names are replaced).
    #[arg(long)]
    out: PathBuf,
}

pub fn run(command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify(args) => verify(args),
        AuditCommand::Shows(args) => shows(args),
        AuditCommand::Export(args) => export(args),
    }
}

fn open(arg: &StoreArg) -> Result<(Store, PathBuf)> {
    let env = |k: &str| std::env::var(k).ok();
    let path = store::path(arg.store.clone(), &env);
    if !path.is_file() {
        bail!("no audit log at {} yet: it is written while `shopcast run` is on air", path.display());
    }
    Ok((Store::open(&path, DEFAULT_RETENTION_DAYS)?, path))
}

fn verify(args: VerifyArgs) -> Result<()> {
    let (store, path) = open(&args.store)?;
    let report = store.verify_chain()?;
    // A kept head must still be a link of the chain (the log may have grown past it since).
    let head_found = match &args.head {
        Some(kept) => Some(store.find_link(kept.trim())?),
        None => None,
    };
    if args.json {
        let value = serde_json::json!({ "log": path, "report": report, "kept_head_found": head_found });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!(
            "{}: {} link(s) checked, head {} at {}",
            path.display(),
            report.links,
            report.head.hash,
            report.head.seq
        );
        if report.anchor.seq > 0 {
            println!(
                "  starts after link {} (older rows removed by retention), anchor {}",
                report.anchor.seq, report.anchor.hash
            );
        }
        if let Some(broken) = &report.first_break {
            let when = broken.wall_ms.map_or("-".to_string(), |ms| store::rfc3339(model::UnixMs(ms)));
            println!(
                "  BROKEN at link {} ({} row {}, {when}): {}",
                broken.seq, broken.table, broken.row_id, broken.problem
            );
        }
        for (table, id) in &report.unlinked_rows {
            println!("  {table} row {id} is in no link: it was added outside shopcast");
        }
        match head_found {
            Some(Some(seq)) => println!("  the kept head is link {seq} of this chain"),
            Some(None) => println!("  the kept head is NOT in this chain: the chain was rewritten or is another log"),
            None => {}
        }
    }
    if !report.holds() || head_found == Some(None) {
        bail!("the audit log {} does not hold (see above)", path.display());
    }
    if !args.json {
        println!("  the chain holds");
    }
    Ok(())
}

fn shows(args: StoreArg) -> Result<()> {
    let (store, path) = open(&args)?;
    let shows = store.shows()?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for show in &shows {
        writeln!(
            out,
            "{}  {}  {} line(s)  links {}..{}",
            show.show_id,
            store::rfc3339(model::UnixMs(show.started_ms)),
            show.lines,
            show.first_seq,
            show.last_seq
        )?;
    }
    eprintln!("{} show(s) in {}", shows.len(), path.display());
    Ok(())
}

fn export(args: ExportArgs) -> Result<()> {
    let (store, path) = open(&args.store)?;
    let shows = store.shows()?;
    let show = if args.show == "last" { shows.last() } else { shows.iter().find(|s| s.show_id == args.show) };
    let Some(show) = show else {
        let known: Vec<&str> = shows.iter().rev().take(5).map(|s| s.show_id.as_str()).collect();
        bail!(
            "no show {:?} in {} (newest: {}); `shopcast audit shows` lists them",
            args.show,
            path.display(),
            if known.is_empty() { "none".to_string() } else { known.join(", ") }
        );
    };
    let report = store.verify_chain()?;
    let rows = store.rows_between(show.first_seq, show.last_seq)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    let mut transcript = Vec::new();
    let mut readable = String::new();
    let mut products = Vec::new();
    let mut events = Vec::new();
    for row in &rows {
        let time = store::rfc3339(model::UnixMs(row.wall_ms));
        match row.kind.as_str() {
            "line" => {
                let text = row.row["text"].as_str().unwrap_or("");
                let by = row.provenance.as_ref().and_then(|p| p["written_by"].as_str()).unwrap_or("?");
                // The console account behind a line a moderator wrote, edited or approved.
                let account = row.provenance.as_ref().and_then(|p| p["account"].as_str()).filter(|a| *a != "shopcast");
                let by = account.map_or(by.to_string(), |account| format!("{by}, {account}"));
                readable.push_str(&format!("{time}  [{by}]  {text}\n"));
                transcript.push(serde_json::to_string(row)?);
            }
            "show_started" | "catalog" => {
                products.push(serde_json::json!({ "time": time, "seq": row.seq, "kind": row.kind, "record": row.row }));
            }
            _ => events.push(serde_json::to_string(row)?),
        }
    }
    let last = rows.last();
    let chain = serde_json::json!({
        "show_id": show.show_id,
        "log": path,
        "first_link": show.first_seq,
        "last_link": show.last_seq,
        "first_hash": rows.first().map(|r| r.hash.clone()),
        "last_hash": last.map(|r| r.hash.clone()),
        "log_head": report.head,
        "chain_holds": report.holds(),
        "first_break": report.first_break,
        "how_to_check": "shopcast audit verify --head <log_head.hash> on the log; keep this file apart from it",
    });
    write(&args.out, "transcript.jsonl", &join_lines(&transcript))?;
    write(&args.out, "transcript.txt", &readable)?;
    write(&args.out, "products.json", &serde_json::to_string_pretty(&products)?)?;
    write(&args.out, "events.jsonl", &join_lines(&events))?;
    write(&args.out, "chain.json", &serde_json::to_string_pretty(&chain)?)?;
    eprintln!(
        "show {}: {} line(s), {} product snapshot(s), {} event(s) written to {}",
        show.show_id,
        transcript.len(),
        products.len(),
        events.len(),
        args.out.display()
    );
    if !report.holds() {
        bail!("the audit log's chain is broken (chain.json says where); the export is not a clean record");
    }
    Ok(())
}

fn join_lines(lines: &[String]) -> String {
    let mut text = lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

fn write(dir: &Path, name: &str, text: &str) -> Result<()> {
    let path = dir.join(name);
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}
