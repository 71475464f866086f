//! `shopcast chat import`: a recorded chat log (Twitch IRC, YouTube API responses, Bilibili danmaku XML, JSONL)
//! printed as normalised JSONL comments with their triage labels.

use crate::demo;
use anyhow::{Context, Result, bail};
use backstage::chat::{self, ImportFormat};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub enum ChatCommand {
    /// Print a recorded log as normalised JSONL comments with triage labels; unusable input goes to stderr with
    /// its line number and reason.
    Import(ImportArgs),
}

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    /// twitch-irc, youtube-json, bilibili-xml, bilibili-live (binary frames as received), jsonl, or a bridge: douyin-barrage-grab, streamhawk, douyin-webcast,
    /// tiktok-live-connector (one frame or push per line).
    #[arg(long)]
    format: String,
    /// Products to match questions against (default: the demo queue).
    #[arg(long)]
    products: Option<PathBuf>,
    /// The recorded log.
    file: PathBuf,
}

pub fn run(command: ChatCommand) -> Result<ExitCode> {
    match command {
        ChatCommand::Import(args) => import(args),
    }
}

fn import(args: ImportArgs) -> Result<ExitCode> {
    let Some(format) = ImportFormat::parse(&args.format) else {
        bail!("--format {:?} must be one of {}", args.format, ImportFormat::NAMES);
    };
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    // Logs from the wild are sometimes not valid UTF-8: text formats read what is readable (import_bytes).
    let products = demo::products(args.products.as_deref(), None)?;
    let (comments, diagnostics) = chat::import_labelled(format, &bytes, &products);
    let shown = args.file.display().to_string();
    for mut d in diagnostics {
        d.path = shown.clone();
        eprintln!("{d}");
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (comment, label) in &comments {
        writeln!(out, "{}", chat::to_jsonl_line(comment, Some(label)))?;
    }
    out.flush()?;
    eprintln!("{}: {} comment(s)", shown, comments.len());
    Ok(ExitCode::SUCCESS)
}
