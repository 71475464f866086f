//! `shopcast bench-stream`: the whole live path, measured as it runs. The live show runs exactly as `shopcast run
//! --headless` runs it (director, voice, console, the stage on its live clock, the read-back, the output clock and
//! ffmpeg), paced at real time, into a video file or an RTMP server. While it runs, a sampler reads the CPU time of
//! every thread of this process and of its ffmpeg from /proc, and its memory; at the end it reports the CPU each
//! part costs per frame, how the frames kept time, and memory at the start and the end.
//!
//! The CPU figures cover a window that starts after `--warm-up` seconds (pipeline compilation and the first
//! frames are not what a show costs) and ends at the last sample; frames in the window are its length times the
//! frame rate, which is what the stream's clock sends. Threads are told apart by the names Bevy, Mesa, tokio and
//! shopcast give them; what they do is in [`Part`].
#![allow(unsafe_code, reason = "sysconf(3) for the kernel's clock tick; libc has no safe wrapper")]

use crate::config;
use crate::render::parse_size;
use anyhow::{Context, Result, bail};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct StreamBenchArgs {
    /// Frame size, WIDTHxHEIGHT.
    #[arg(long, default_value = "1280x720")]
    size: String,
    /// Frames per second of the stage and the stream.
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// How long the show runs, in seconds.
    #[arg(long, default_value_t = 60.0)]
    seconds: f64,
    /// Encode into this video file (default: one in the system's temporary folder, removed afterwards).
    #[arg(long, value_name = "FILE", conflicts_with = "rtmp")]
    out: Option<PathBuf>,
    /// Stream to this RTMP URL instead (a local nginx-rtmp, say).
    #[arg(long, value_name = "URL")]
    rtmp: Option<String>,
    /// The show configuration (voice, products, scene); its size, frame rate and outputs are replaced by the
    /// options above. Default: the embedded show (espeak-ng voice, templates, the demo queue).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Seconds left out of the CPU figures at the start.
    #[arg(long, default_value_t = 5.0)]
    warm_up: f64,
    /// Seconds between samples of CPU and memory.
    #[arg(long, default_value_t = 1.0)]
    sample: f64,
}

/// What a thread does, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// The main thread: Bevy's update (animation, text layout, the stage's systems) and the render submission.
    Stage,
    /// Bevy's task pools: parallel systems, extraction.
    TaskPools,
    /// Bevy's render thread, when rendering is pipelined.
    RenderThread,
    /// Mesa's rasteriser threads: on a machine without a GPU, the drawing itself.
    Rasteriser,
    /// The output's clock thread: picks each tick's frame, mixes the voice.
    OutputClock,
    /// The destinations' workers: frames and audio written into each ffmpeg's pipes.
    HandOff,
    /// The async runtime: the director, the console, chat, the voice's synthesis.
    Runtime,
    /// This benchmark's own sampler, reading /proc.
    Sampler,
    /// Everything else in this process.
    Other,
    /// ffmpeg: RGBA to YUV conversion and H.264 and AAC encoding.
    Encoder,
}

impl Part {
    fn of_thread(name: &str, is_main: bool) -> Part {
        match name {
            _ if is_main => Part::Stage,
            n if n.starts_with("llvmpipe") || n.starts_with("lp_") => Part::Rasteriser,
            n if n.contains("Task Pool") || n.starts_with("Compute Task") || n.starts_with("Async Compute") => {
                Part::TaskPools
            }
            n if n.starts_with("IO Task") => Part::TaskPools,
            n if n.starts_with("rendering") || n.starts_with("Render") => Part::RenderThread,
            n if n.starts_with("output clock") => Part::OutputClock,
            n if n.starts_with("shopcast ") => Part::HandOff,
            n if n.starts_with("tokio") => Part::Runtime,
            "bench sampler" => Part::Sampler,
            _ => Part::Other,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Part::Stage => "stage: Bevy update and render submission (main thread)",
            Part::TaskPools => "Bevy task pools (parallel systems)",
            Part::RenderThread => "Bevy render thread",
            Part::Rasteriser => "rasteriser: Mesa llvmpipe threads (the drawing)",
            Part::OutputClock => "output clock: frame pick, voice mix",
            Part::HandOff => "hand-off: frames and audio into ffmpeg's pipes",
            Part::Runtime => "async runtime: director, console, voice synthesis",
            Part::Sampler => "this benchmark's sampler (reading /proc)",
            Part::Other => "other threads of shopcast",
            Part::Encoder => "encoder: ffmpeg (RGBA to YUV, H.264, AAC)",
        }
    }
}

/// One reading of /proc.
#[derive(Debug, Clone, Default)]
struct Sample {
    at: Duration,
    /// CPU ticks of this process (every thread, alive or gone).
    process: u64,
    /// CPU ticks of each live thread: (name, main thread?, ticks) by thread id.
    threads: BTreeMap<u32, (String, bool, u64)>,
    /// CPU ticks of each live child process (ffmpeg) by process id.
    children: BTreeMap<u32, u64>,
    /// Resident memory of this process, bytes.
    rss: u64,
}

/// The fields of a /proc stat line after the command name: field `n` of proc(5) is `rest[n - 3]`.
fn stat_fields(text: &str) -> Option<(String, Vec<&str>)> {
    let open = text.find('(')?;
    let close = text.rfind(')')?;
    let name = text.get(open + 1..close)?.to_string();
    Some((name, text.get(close + 1..)?.split_whitespace().collect()))
}

fn ticks_of(rest: &[&str]) -> u64 {
    let field = |n: usize| rest.get(n - 3).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    field(14) + field(15)
}

fn read_sample(start: Instant, pid: u32) -> Sample {
    let mut sample = Sample { at: start.elapsed(), ..Sample::default() };
    if let Some((_, rest)) = std::fs::read_to_string("/proc/self/stat").ok().as_deref().and_then(stat_fields) {
        sample.process = ticks_of(&rest);
    }
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for task in tasks.flatten() {
            let Some(tid) = task.file_name().to_str().and_then(|t| t.parse::<u32>().ok()) else { continue };
            let Ok(text) = std::fs::read_to_string(task.path().join("stat")) else { continue };
            if let Some((name, rest)) = stat_fields(&text) {
                sample.threads.insert(tid, (name, tid == pid, ticks_of(&rest)));
            }
        }
    }
    if let Ok(procs) = std::fs::read_dir("/proc") {
        for entry in procs.flatten() {
            let Some(child) = entry.file_name().to_str().and_then(|t| t.parse::<u32>().ok()) else { continue };
            let Ok(text) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            let Some((_, rest)) = stat_fields(&text) else { continue };
            if rest.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(pid) {
                sample.children.insert(child, ticks_of(&rest));
            }
        }
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
        sample.rss = kb.unwrap_or(0) * 1024;
    }
    sample
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

fn clock_tick() -> f64 {
    // SAFETY: sysconf only reads a configuration value.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if hz > 0 { hz as f64 } else { 100.0 }
}

/// CPU seconds each part spent between two samples. Threads that ended in between are counted in `Other` through
/// the process total; children that ended in between are lost (ffmpeg runs for the whole show).
fn cpu_between(first: &Sample, last: &Sample, hz: f64) -> BTreeMap<Part, f64> {
    let mut parts: BTreeMap<Part, f64> = BTreeMap::new();
    let mut threads_total = 0;
    for (tid, (name, main, ticks)) in &last.threads {
        let before = first.threads.get(tid).map_or(0, |t| t.2);
        let spent = ticks.saturating_sub(before);
        threads_total += spent;
        *parts.entry(Part::of_thread(name, *main)).or_default() += spent as f64 / hz;
    }
    let process = last.process.saturating_sub(first.process);
    *parts.entry(Part::Other).or_default() += process.saturating_sub(threads_total) as f64 / hz;
    for (pid, ticks) in &last.children {
        let before = first.children.get(pid).copied().unwrap_or(0);
        *parts.entry(Part::Encoder).or_default() += ticks.saturating_sub(before) as f64 / hz;
    }
    parts
}

pub fn run(args: StreamBenchArgs) -> Result<()> {
    let Some((width, height)) = parse_size(&args.size) else {
        bail!("--size {:?}: give WIDTHxHEIGHT, each from 16 to 7680, like 1920x1080", args.size)
    };
    if !(1..=240).contains(&args.fps) {
        bail!("--fps {}: give a frame rate from 1 to 240", args.fps);
    }
    if !(args.seconds.is_finite() && args.seconds > args.warm_up + 2.0 * args.sample) {
        bail!(
            "--seconds {}: give a run longer than the warm-up ({} s) and two samples ({} s each)",
            args.seconds,
            args.warm_up,
            args.sample
        );
    }
    if !(args.sample.is_finite() && args.sample >= 0.1) {
        bail!("--sample {}: sample at most ten times a second", args.sample);
    }
    if !std::path::Path::new("/proc/self/task").is_dir() {
        bail!("bench-stream reads CPU time from /proc, which this system does not have (it runs on Linux)");
    }
    let mut settings = config::load(args.config.as_deref(), &|k| std::env::var(k).ok())?;
    settings.width = Some(width);
    settings.height = Some(height);
    settings.fps = args.fps;
    settings.console_bind = "127.0.0.1:0".parse().context("the console's address")?;
    let temporary = std::env::temp_dir().join(format!("shopcast-bench-stream-{}.mp4", std::process::id()));
    let output = &mut settings.output;
    output.rtmp = args.rtmp.iter().cloned().collect();
    output.record = None;
    output.raw_stdout = false;
    output.video = match (&args.rtmp, &args.out) {
        (Some(_), _) => None,
        (None, Some(out)) => Some(out.clone()),
        (None, None) => Some(temporary.clone()),
    };
    crate::doctor::before_run(&settings, true)?;

    let pid = std::process::id();
    let start = Instant::now();
    let stop = Arc::new(AtomicBool::new(false));
    let every = Duration::from_secs_f64(args.sample);
    let sampler = {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("bench sampler".into())
            .spawn(move || {
                let mut samples = vec![read_sample(start, pid)];
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(every);
                    samples.push(read_sample(start, pid));
                }
                samples
            })
            .context("cannot start the sampler thread")?
    };
    let load_before = load_average();
    let shown = crate::wiring::run_show(settings, true, Some(args.seconds));
    let returned = start.elapsed();
    stop.store(true, Ordering::Relaxed);
    let samples = sampler.join().map_err(|_| anyhow::anyhow!("the sampler thread failed"))?;
    if args.out.is_none() && args.rtmp.is_none() {
        let _ = std::fs::remove_file(&temporary);
    }
    let report = shown?;
    let wall = start.elapsed();
    let load_after = load_average();

    // The window: from the first sample after the warm-up to the last sample before the show ended (samples taken
    // while it was shutting down, its last second, are left out: threads were ending). The show's --seconds count
    // from its first frame, so it ends that long after however long the start took.
    let show_end = returned.saturating_sub(Duration::from_secs(1));
    let in_show: Vec<&Sample> = samples.iter().filter(|s| s.at <= show_end).collect();
    let first = in_show.iter().find(|s| s.at.as_secs_f64() >= args.warm_up).copied();
    let (Some(first), Some(last)) = (first, in_show.last().copied()) else {
        bail!("the show ended before two samples were taken; run it longer (--seconds)")
    };
    let window = last.at.saturating_sub(first.at).as_secs_f64();
    if window <= 0.0 {
        bail!("the show ended before two samples were taken; run it longer (--seconds)");
    }
    let frames = window * f64::from(args.fps);
    let parts = cpu_between(first, last, clock_tick());
    let total: f64 = parts.values().sum();

    println!(
        "bench-stream: {width}x{height} at {} frames/s for {} s ({:.1} s wall)",
        args.fps,
        args.seconds,
        wall.as_secs_f64()
    );
    println!(
        "load average before: {load_before}; after: {load_after}; {} CPU cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    println!();
    println!("CPU over {window:.1} s ({frames:.0} frames) after {} s of warm-up:", args.warm_up);
    println!("{:<58} {:>10} {:>8}", "part", "ms/frame", "cores");
    for (part, seconds) in &parts {
        if *seconds > 0.0 {
            println!("{:<58} {:>10.2} {:>8.3}", part.describe(), seconds * 1000.0 / frames, seconds / window);
        }
    }
    println!("{:<58} {:>10.2} {:>8.3}", "all of it", total * 1000.0 / frames, total / window);
    println!();
    let clock = report.clock;
    if clock.updates > 0 {
        println!(
            "stage clock: {} updates, {:.1} ms each on average (longest {:.1} ms), {} started late (catching up), {} \
             frames skipped (fell more than {} ms behind)",
            clock.updates,
            clock.busy.as_secs_f64() * 1000.0 / clock.updates as f64,
            clock.longest.as_secs_f64() * 1000.0,
            clock.late,
            clock.skipped,
            (backstage::output::live::stream_delay(args.fps) / 2).as_millis()
        );
    }
    if let Some(output) = &report.output {
        let ticks = output.ticks.max(1) as f64;
        println!(
            "stream: {} frames sent; on time {:.2}%, repeated {} ({:.2}%), dropped {} (arrived after their tick)",
            output.ticks,
            100.0 * (output.ticks - output.repeated.min(output.ticks)) as f64 / ticks,
            output.repeated,
            100.0 * output.repeated as f64 / ticks,
            output.dropped
        );
        let late = &output.lateness;
        println!(
            "frames arrived after their instant: half within {} ms, 99% within {} ms, 99.9% within {} ms, the \
             latest {:.0} ms (the stream sends each {} ms after its instant)",
            late.quantile(0.5).as_millis(),
            late.quantile(0.99).as_millis(),
            late.quantile(0.999).as_millis(),
            late.max.as_secs_f64() * 1000.0,
            backstage::output::live::stream_delay(args.fps).as_millis()
        );
        for (name, lost) in &output.lost {
            println!("{name}: {lost} ticks of frames and audio not taken by ffmpeg in time (gaps in its audio)");
        }
    }
    let rss: Vec<&Sample> = samples.iter().filter(|s| s.rss > 0 && s.at <= show_end).collect();
    if let (Some(at_start), Some(at_end)) = (rss.iter().find(|s| s.at >= first.at), rss.last()) {
        let max = rss.iter().map(|s| s.rss).max().unwrap_or(0);
        let mb = |b: u64| b as f64 / 1_048_576.0;
        println!(
            "memory (RSS): {:.0} MB at {:.0} s, {:.0} MB at {:.0} s, at most {:.0} MB",
            mb(at_start.rss),
            at_start.at.as_secs_f64(),
            mb(at_end.rss),
            at_end.at.as_secs_f64(),
            mb(max)
        );
    }
    // One row a minute (or ten over a short run), to see whether memory or the cost of a frame grows.
    let step = Duration::from_secs_f64((args.seconds / 10.0).clamp(args.sample, 60.0));
    let hz = clock_tick();
    let mut rows = Vec::new();
    let mut from = first;
    for sample in in_show.iter().filter(|s| s.at > first.at) {
        if sample.at.saturating_sub(from.at) >= step || std::ptr::eq(*sample, last) {
            let seconds = sample.at.saturating_sub(from.at).as_secs_f64();
            let cpu: f64 = cpu_between(from, sample, hz).values().sum();
            rows.push(format!(
                "{:>6.0} s {:>6.0} MB {:>8.2} ms",
                sample.at.as_secs_f64(),
                sample.rss as f64 / 1_048_576.0,
                cpu * 1000.0 / (seconds * f64::from(args.fps))
            ));
            from = sample;
        }
    }
    println!("over the show: time, RSS, CPU per frame (all parts) since the row before");
    for row in rows {
        println!("{row}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stat_lines_are_read_past_a_name_with_spaces_and_parentheses() {
        let line = "4242 (Compute Task (0)) S 1 4242 4242 0 -1 4194560 500 0 0 0 170 30 5 6 20 0 4 0 100 0";
        let (name, rest) = stat_fields(line).unwrap();
        assert_eq!(name, "Compute Task (0)");
        assert_eq!(rest[1], "1", "the parent's id is field 4");
        assert_eq!(ticks_of(&rest), 200, "utime 170 + stime 30");
    }

    #[test]
    fn threads_are_told_apart_by_their_names() {
        assert_eq!(Part::of_thread("shopcast", true), Part::Stage);
        assert_eq!(Part::of_thread("llvmpipe-0", false), Part::Rasteriser);
        assert_eq!(Part::of_thread("Compute Task Po", false), Part::TaskPools);
        assert_eq!(Part::of_thread("output clock", false), Part::OutputClock);
        assert_eq!(Part::of_thread("shopcast video", false), Part::HandOff);
        assert_eq!(Part::of_thread("tokio-runtime-w", false), Part::Runtime);
        assert_eq!(Part::of_thread("bench sampler", false), Part::Sampler);
        assert_eq!(Part::of_thread("gfx worker", false), Part::Other);
    }

    #[test]
    fn cpu_is_split_by_part_and_threads_gone_count_as_other() {
        let thread = |name: &str, main, ticks| (name.to_string(), main, ticks);
        let first = Sample {
            process: 1000,
            threads: [(1, thread("shopcast", true, 400)), (2, thread("llvmpipe-0", false, 300))].into(),
            children: [(9, 50)].into(),
            ..Sample::default()
        };
        // Between the samples: main +100, llvmpipe +200, a thread that came and went +50 (only in the total),
        // ffmpeg +300.
        let last = Sample {
            process: 1350,
            threads: [(1, thread("shopcast", true, 500)), (2, thread("llvmpipe-0", false, 500))].into(),
            children: [(9, 350)].into(),
            ..Sample::default()
        };
        let parts = cpu_between(&first, &last, 100.0);
        assert_eq!(parts[&Part::Stage], 1.0);
        assert_eq!(parts[&Part::Rasteriser], 2.0);
        assert_eq!(parts[&Part::Other], 0.5);
        assert_eq!(parts[&Part::Encoder], 3.0);
    }

    #[test]
    fn this_process_can_be_sampled() {
        let sample = read_sample(Instant::now(), std::process::id());
        assert!(sample.rss > 0, "no VmRSS read");
        assert!(sample.threads.values().any(|(_, main, _)| *main), "the main thread is among the threads");
    }
}
