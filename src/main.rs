//! The `shopcast` command line: run the show, render it offscreen, check files.

mod audit_cmd;
mod bench_av_sync;
mod bench_frames;
mod bench_latency;
mod bench_stream;
mod chat_cmd;
mod chat_sources;
mod check;
mod config;
mod console_cmd;
mod demo;
mod doctor;
mod fleet_cmd;
mod fleet_render;
mod rehearse;
mod render;
mod report_cmd;
mod transcript;
mod wiring;

use anyhow::Result;
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "shopcast", version, about = "An honest, warm, never-silent AI host for live-commerce streams")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the live show (the default when no subcommand is given).
    Run(RunArgs),
    /// Rehearse a show on a virtual clock and write a report of every line (preview a show before going live).
    Rehearse(rehearse::RehearseArgs),
    /// Render the show offscreen: PNG frames, raw frames on stdout, a live RTMP stream or a video file.
    Render(render::RenderArgs),
    /// Time frames of the full show against an empty scene on the same renderer.
    BenchFrames(bench_frames::BenchArgs),
    /// Time comment -> first audio of its answer through the live show's parts, against local LLM and TTS servers.
    BenchLatency(bench_latency::LatencyArgs),
    /// Run the live show paced at real time into a video file or RTMP, and report what each part of the path costs
    /// per frame, how the frames kept time, and memory at the start and the end.
    BenchStream(bench_stream::StreamBenchArgs),
    /// Measure how far the host's mouth is from its voice in recorded files, and the drift over hours.
    BenchAvSync(bench_av_sync::SyncArgs),
    /// Validate product, scene and show files; exit status 1 on any error.
    Check(check::CheckArgs),
    /// Write shopcast's own sample VRM presenter (CC0) to a file, to try a VRM host or measure one.
    SampleVrm(SampleVrmArgs),
    /// Check what the configured show needs from this machine (renderer, fonts, voice, ffmpeg, servers, store,
    /// clock), each finding with the command that fixes it; exit status 0 only when the show can run.
    Doctor(doctor::DoctorArgs),
    /// Print the audit log: what the host said, when, and why.
    Transcript(transcript::TranscriptArgs),
    /// Work with chat logs.
    #[command(subcommand)]
    Chat(chat_cmd::ChatCommand),
    /// Check the audit log's hash chain, list its shows, export one show's record.
    #[command(subcommand)]
    Audit(audit_cmd::AuditCommand),
    /// What the show did, for the merchandiser: an HTML page with charts and a CSV beside it.
    Report(report_cmd::ReportArgs),
    /// The console's named accounts: add-user, reset-user, remove-user, users.
    #[command(subcommand)]
    Console(console_cmd::ConsoleCommand),
    /// Many rooms across machines: workers, rooms, and the kill switch (NATS JetStream and PostgreSQL).
    #[command(subcommand)]
    Fleet(fleet_cmd::FleetCommand),
}

#[derive(clap::Args, Debug)]
struct SampleVrmArgs {
    /// Where to write the model (.vrm).
    out: PathBuf,
    /// Write VRM 0.x instead of 1.0.
    #[arg(long)]
    v0: bool,
    /// Rings of the head's sphere: 16 makes about 2,300 triangles; 90 about 57,000, a detailed model's cost.
    #[arg(long, default_value_t = 16)]
    detail: u32,
}

fn sample_vrm(args: SampleVrmArgs) -> Result<()> {
    let detail = args.detail.clamp(4, 400);
    let bytes = vrm::sample::presenter(&vrm::sample::Options { v0: args.v0, detail, ..Default::default() });
    anyhow::Context::with_context(std::fs::write(&args.out, &bytes), || {
        format!("cannot write {}", args.out.display())
    })?;
    eprintln!(
        "wrote {} ({} bytes); use it with [avatar] path = \"{}\"",
        args.out.display(),
        bytes.len(),
        args.out.display()
    );
    Ok(())
}

#[derive(clap::Args, Debug, Default)]
struct RunArgs {
    /// The show configuration (see show.example.toml). Without it, the embedded defaults run.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Render offscreen without a window (for servers and tests).
    #[arg(long)]
    headless: bool,
    /// Stop after this many seconds on air, counted from the first frame drawn (default: run until interrupted or
    /// the window closes).
    #[arg(long)]
    seconds: Option<f64>,
    /// Where the moderators' console listens, e.g. 127.0.0.1:7878 (port 0 picks a free one; the log says which).
    #[arg(long)]
    console_bind: Option<std::net::SocketAddr>,
    /// Stream the show to this RTMP(S) URL through ffmpeg (H.264 + AAC in FLV), at real time; repeat it to stream
    /// to several platforms at once (one ffmpeg each). A stream the ingest refuses or drops is restarted with
    /// backoff while the show goes on. Keys: SHOPCAST_STREAM_KEY (one stream) or SHOPCAST_STREAM_KEY_1, _2 ...
    /// Needs --headless. Replaces [output] rtmp.
    #[arg(long, value_name = "URL")]
    rtmp: Vec<String>,
    /// Also encode the show to this video file (H.264 + AAC; .mp4, .mkv or .flv). Needs --headless.
    #[arg(long, value_name = "FILE")]
    video: Option<PathBuf>,
    /// `-`: raw RGBA frames on stdout (width x height x 4 bytes each, at the stage's fps). Needs --headless.
    #[arg(long, value_name = "-")]
    out: Option<String>,
    /// Record the show locally into this folder: Matroska files of an hour each that play on their own, kept
    /// going through ingest outages. Needs --headless.
    #[arg(long, value_name = "DIR")]
    record: Option<PathBuf>,
    /// The length of each recording file in seconds (default 3600; for tests).
    #[arg(long, hide = true)]
    record_segment_seconds: Option<u64>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    let result: Result<ExitCode> = match cli.command.unwrap_or(Command::Run(RunArgs::default())) {
        Command::Run(args) => run(args).map(|()| ExitCode::SUCCESS),
        Command::Render(args) => render::render(args).map(|()| ExitCode::SUCCESS),
        Command::Rehearse(args) => rehearse::rehearse(args).map(|()| ExitCode::SUCCESS),
        Command::BenchFrames(args) => bench_frames::run(args).map(|()| ExitCode::SUCCESS),
        Command::BenchLatency(args) => bench_latency::run(args).map(|()| ExitCode::SUCCESS),
        Command::BenchStream(args) => bench_stream::run(args).map(|()| ExitCode::SUCCESS),
        Command::BenchAvSync(args) => bench_av_sync::run(args).map(|()| ExitCode::SUCCESS),
        Command::Check(args) => check::check(args),
        Command::SampleVrm(args) => sample_vrm(args).map(|()| ExitCode::SUCCESS),
        Command::Doctor(args) => doctor::run(args),
        Command::Chat(command) => chat_cmd::run(command),
        Command::Transcript(args) => transcript::run(args).map(|()| ExitCode::SUCCESS),
        Command::Audit(command) => audit_cmd::run(command).map(|()| ExitCode::SUCCESS),
        Command::Console(command) => console_cmd::run(command).map(|()| ExitCode::SUCCESS),
        Command::Report(args) => report_cmd::run(args).map(|()| ExitCode::SUCCESS),
        Command::Fleet(command) => fleet_cmd::run(command).map(|()| ExitCode::SUCCESS),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn init_logging() {
    use tracing_subscriber::EnvFilter;
    // wgpu and naga are chatty at info level, and lavapipe's software-rendering warning is expected here.
    let filter = EnvFilter::try_from_env("SHOPCAST_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,wgpu=error,naga=warn,bevy_render=warn,offset_allocator=warn"));
    // Colour only on a terminal: logs piped to a file or a supervisor stay plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}

fn run(args: RunArgs) -> Result<()> {
    let mut settings = config::load(args.config.as_deref(), &|k| std::env::var(k).ok())?;
    if let Some(bind) = args.console_bind {
        settings.console_bind = bind;
    }
    let output = &mut settings.output;
    if !args.rtmp.is_empty() {
        output.rtmp = args.rtmp;
    }
    if let Some(video) = args.video {
        output.video = Some(video);
    }
    match args.out.as_deref() {
        None => {}
        Some("-") => output.raw_stdout = true,
        Some(other) => anyhow::bail!(
            "--out {other:?}: `run` writes raw frames to stdout only (--out -); for PNG frames use `shopcast render \
             --out DIR`"
        ),
    }
    if let Some(record) = args.record {
        output.record = Some(record);
    }
    if let Some(seconds) = args.record_segment_seconds {
        if !config::RECORD_SEGMENT_SECONDS.contains(&seconds) {
            anyhow::bail!(
                "--record-segment-seconds {seconds} must be from {} to {}",
                config::RECORD_SEGMENT_SECONDS.start(),
                config::RECORD_SEGMENT_SECONDS.end()
            );
        }
        output.record_segment = std::time::Duration::from_secs(seconds);
    }
    if output.any() && !args.headless {
        anyhow::bail!(
            "streaming, recording and raw frames from `run` (--rtmp, --video, --out -, --record or [output] in \
             show.toml) need --headless: add --headless, or capture the window with OBS instead"
        );
    }
    doctor::before_run(&settings, args.headless)?;
    wiring::run_show(settings, args.headless, args.seconds).map(|_| ())
}
