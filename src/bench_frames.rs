//! `shopcast bench-frames`: what the show costs to draw. The full show (avatar, offer card with picture and QR code,
//! captions, the comment being answered, the AI label), exactly as `shopcast render` draws it, is timed against an
//! empty scene (a camera and nothing else) on the same renderer, frame by frame, with the same read-back of every
//! frame to the CPU. The ratio says how much of a frame is the show and how much is the renderer's fixed cost.
#![allow(unsafe_code, reason = "getrusage(2) for the CPU time of each frame; libc has no safe wrapper")]

use crate::demo;
use crate::render::parse_size;
use anyhow::{Context, Result, bail};
use bevy::camera::RenderTarget;
use bevy::camera::visibility::VisibilitySystems;
use bevy::prelude::*;
use bevy::render::renderer::RenderAdapterInfo;
use bevy::time::TimeUpdateStrategy;
use director::{Rehearsal, ShowConfig};
use model::{ShowTime, StageCommand};
use stage::capture::{CaptureError, vulkan_available};
use stage::{FrameSize, StageLink};
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    /// Frames timed per scene and size, after the warm-up.
    #[arg(long, default_value_t = 120)]
    frames: u32,
    /// Frame sizes to time, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1280x720,1920x1080")]
    size: Vec<String>,
    /// The virtual clock's frame rate (how far animations step each frame).
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Untimed frames first: pipeline compilation, glyph rasterisation and the first read-backs.
    #[arg(long, default_value_t = 15)]
    warmup: u32,
    /// Time rendering alone, without copying every frame back to the CPU (`shopcast render` copies each one).
    #[arg(long)]
    no_readback: bool,
    /// Leave parts out of the full show, to see what each costs (the AI label too: this is a measurement, not a
    /// show).
    #[arg(long, value_enum, value_delimiter = ',')]
    hide: Vec<Part>,
    /// The scene layout for the full show; default: the built-in studio scene.
    #[arg(long)]
    scene: Option<PathBuf>,
}

/// Updates without a read-back before the benchmark gives up (as in the stage's own capture).
const STALL_LIMIT: u32 = 600;

/// One scene at one size.
struct Timing {
    /// Wall time of each timed frame, in milliseconds.
    frame_ms: Vec<f64>,
    /// User + system CPU time of the whole process over the timed frames (every thread, the renderer's included).
    cpu: Duration,
}

impl Timing {
    fn mean(&self) -> f64 {
        self.frame_ms.iter().sum::<f64>() / self.frame_ms.len().max(1) as f64
    }

    /// The nearest-rank 95th percentile.
    fn p95(&self) -> f64 {
        let mut sorted = self.frame_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((sorted.len() as f64 * 0.95).ceil() as usize).clamp(1, sorted.len().max(1));
        sorted.get(rank - 1).copied().unwrap_or(0.0)
    }

    fn cpu_ms_per_frame(&self) -> f64 {
        self.cpu.as_secs_f64() * 1000.0 / self.frame_ms.len().max(1) as f64
    }
}

pub fn run(args: BenchArgs) -> Result<()> {
    if !vulkan_available() {
        bail!("{}", CaptureError::NoVulkan);
    }
    if args.frames == 0 || args.frames > 100_000 {
        bail!("--frames {} must be from 1 to 100000", args.frames);
    }
    if !(1..=120).contains(&args.fps) {
        bail!("--fps {} must be from 1 to 120", args.fps);
    }
    let sizes = args
        .size
        .iter()
        .map(|text| {
            parse_size(text).with_context(|| format!("--size {text:?} must look like 1280x720 (16 to 7680 each)"))
        })
        .collect::<Result<Vec<_>>>()?;
    let scene = demo::scene(args.scene.as_deref())?;
    let products = demo::products(None, None)?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());

    let mut rows = Vec::new();
    let mut adapter = String::new();
    for &(width, height) in &sizes {
        let size = FrameSize { width, height };
        eprintln!("timing {width}x{height}: empty scene ...");
        let (mut app, target) = empty_app(size, Msaa::default())?;
        let (empty, empty_frame) = time_frames(&mut app, target, &args, |_| Ok(()))?;
        adapter = describe_adapter(&app);
        drop(app);
        // The stage's camera draws without multisampling (its host's shapes antialias themselves, see
        // stage::shapes), so the empty scene is also timed that way: the stricter floor for the show's cost.
        eprintln!("timing {width}x{height}: empty scene without multisampling ...");
        let (mut app, target) = empty_app(size, Msaa::Off)?;
        let (plain, _) = time_frames(&mut app, target, &args, |_| Ok(()))?;
        drop(app);

        eprintln!("timing {width}x{height}: full show ...");
        let (link, commands, _events) = StageLink::new(4096);
        let (mut app, target) = stage::capture::headless_app(scene.clone(), size, link)?;
        if !args.hide.is_empty() {
            // After the stage's own systems set what shows, before Bevy works out what is drawn.
            app.insert_resource(Hidden(args.hide.clone()))
                .add_systems(PostUpdate, hide_parts.before(VisibilitySystems::VisibilityPropagate));
        }
        let mut show = Rehearsal::new(ShowConfig::default(), products.clone(), backstage::clock::wall_now());
        // A comment on screen, as when the host answers one; the rehearsal itself has no viewers.
        commands
            .try_send(StageCommand::ShowComment {
                user_name: "mei_lin".to_string(),
                text: "Can the teapot go in the dishwasher?".to_string(),
            })
            .context("the stage inbox refused the comment")?;
        let fps = args.fps;
        let (full, full_frame) = time_frames(&mut app, target, &args, |index| {
            for command in show.advance_to(ShowTime(u64::from(index) * 1000 / u64::from(fps))) {
                commands.try_send(command).context("the stage inbox is full")?;
            }
            Ok(())
        })?;
        drop(app);
        // A guard on the benchmark itself: timing a stage that drew nothing would make the ratio meaningless. A
        // drawn show (text, avatar shading, picture, QR code) has hundreds of colours; a cleared frame has one.
        let (empty_colours, full_colours) = (colours(&empty_frame), colours(&full_frame));
        if full_colours < 50 {
            bail!("the full show's last frame has only {full_colours} colour(s): the stage drew nothing to time");
        }
        eprintln!("  last frames: {empty_colours} colour(s) in the empty scene, {full_colours} in the full show");
        rows.push((width, height, empty, plain, full));
    }

    // Other work on the machine shows in every figure; the load average says how much there was.
    let load =
        std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split_whitespace().next().map(str::to_string));
    println!("renderer: {adapter}");
    println!(
        "{cores} CPU core(s) available, load average {} at the end; {} timed frames after {} warm-up, per scene and size",
        load.as_deref().unwrap_or("unknown"),
        args.frames,
        args.warmup
    );
    if !args.hide.is_empty() {
        println!("left out of the full show (--hide): {:?}", args.hide);
    }
    println!();
    let readback = if args.no_readback { "no read-back" } else { "every frame read back to the CPU" };
    println!(
        "| size | scene | mean frame | p95 frame | frames/s | CPU per frame | full/empty (mean frame) | full/empty (CPU) \
         | full/empty without MSAA (mean frame) | full/empty without MSAA (CPU) |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (width, height, empty, plain, full) in &rows {
        let ratio = |a: f64, b: f64| format!("{:.2}", a / b.max(1e-9));
        let ratios = [
            ratio(full.mean(), empty.mean()),
            ratio(full.cpu_ms_per_frame(), empty.cpu_ms_per_frame()),
            ratio(full.mean(), plain.mean()),
            ratio(full.cpu_ms_per_frame(), plain.cpu_ms_per_frame()),
        ];
        let none = [""; 4].map(String::from);
        for (name, timing, ratios) in [
            ("empty (camera only)", empty, &none),
            ("empty without MSAA (camera only, Msaa::Off)", plain, &none),
            ("full show", full, &ratios),
        ] {
            println!(
                "| {width}x{height} | {name}, {readback} | {:.1} ms | {:.1} ms | {:.1} | {:.1} ms | {} | {} | {} | {} |",
                timing.mean(),
                timing.p95(),
                1000.0 / timing.mean(),
                timing.cpu_ms_per_frame(),
                ratios[0],
                ratios[1],
                ratios[2],
                ratios[3],
            );
        }
    }
    Ok(())
}

/// The same renderer set-up as the stage's headless capture, with a camera (multisampling `msaa`) and nothing to
/// draw.
fn empty_app(size: FrameSize, msaa: Msaa) -> Result<(App, Handle<Image>)> {
    let mut app = App::new();
    stage::capture::add_headless_plugins(&mut app);
    let handle = stage::capture::add_frame_target(&mut app, size, "shopcast benchmark frame");
    app.world_mut().spawn((
        Camera2d,
        stage::capture::offscreen_camera(ClearColorConfig::Default),
        msaa,
        RenderTarget::from(handle.clone()),
        IsDefaultUiCamera,
    ));
    Ok((app, handle))
}

fn describe_adapter(app: &App) -> String {
    match app.world().get_resource::<RenderAdapterInfo>() {
        Some(info) => {
            format!("{} ({:?}, {:?}, driver {})", info.name, info.backend, info.device_type, info.driver_info)
        }
        None => "unknown (the adapter is not known before the app is built)".to_string(),
    }
}

#[derive(Resource)]
struct ReadBacks(mpsc::Sender<Vec<u8>>);

/// How many distinct RGBA colours a frame has.
fn colours(rgba: &[u8]) -> usize {
    rgba.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]]).collect::<std::collections::HashSet<_>>().len()
}

/// Builds the app, renders the warm-up, then times `args.frames` frames, each asking for a read-back as
/// `shopcast render` does (unless `--no-readback`); `before_frame` feeds the stage for frame `index`. All read-backs
/// must arrive; the last one (of one extra frame after the timed ones) is returned with the timing.
fn time_frames(
    app: &mut App,
    target: Handle<Image>,
    args: &BenchArgs,
    mut before_frame: impl FnMut(u32) -> Result<()>,
) -> Result<(Timing, Vec<u8>)> {
    let (tx, readbacks) = mpsc::channel();
    app.insert_resource(ReadBacks(tx))
        .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_secs_f64(1.0 / f64::from(args.fps))));
    stage::capture::finish_and_warm_up(app);
    let expected = frame_bytes(app, &target);
    let mut delivered = 0u32;
    let read_back = !args.no_readback;
    let mut frame = |app: &mut App, index: u32, read_back: bool| -> Result<()> {
        before_frame(index)?;
        if read_back {
            request_readback(app, &target);
        }
        app.update();
        Ok(())
    };
    let mut last = Vec::new();
    let mut count = |readbacks: &mpsc::Receiver<Vec<u8>>| -> Result<u32> {
        let mut got = 0;
        while let Ok(data) = readbacks.try_recv() {
            if data.len() != expected {
                bail!("a read-back had {} bytes, expected {expected}", data.len());
            }
            last = data;
            got += 1;
        }
        Ok(got)
    };
    for index in 0..args.warmup {
        frame(app, index, read_back)?;
        delivered += count(&readbacks)?;
    }
    let mut frame_ms = Vec::with_capacity(args.frames as usize);
    let cpu_before = cpu_time();
    for index in args.warmup..args.warmup + args.frames {
        let start = Instant::now();
        frame(app, index, read_back)?;
        frame_ms.push(start.elapsed().as_secs_f64() * 1000.0);
        delivered += count(&readbacks)?;
    }
    let cpu = cpu_time().saturating_sub(cpu_before);
    // One more frame, always read back, so the caller can check what was drawn.
    frame(app, args.warmup + args.frames, true)?;
    let wanted = if read_back { args.warmup + args.frames + 1 } else { 1 };
    let mut idle = 0;
    while delivered < wanted {
        app.update();
        let got = count(&readbacks)?;
        delivered += got;
        idle = if got == 0 { idle + 1 } else { 0 };
        if idle > STALL_LIMIT {
            bail!("{}", CaptureError::Stalled { wanted, got: delivered });
        }
    }
    Ok((Timing { frame_ms, cpu }, last))
}

/// Asks for the next frame's picture on the CPU, as `shopcast render` does for every frame.
fn request_readback(app: &mut App, target: &Handle<Image>) {
    let sink = app.world().resource::<ReadBacks>().0.clone();
    stage::capture::read_back_next(app.world_mut(), target.clone(), move |rgba| {
        let _ = sink.send(rgba);
    });
}

/// Bytes in one RGBA8 read-back of the target.
fn frame_bytes(app: &App, target: &Handle<Image>) -> usize {
    app.world()
        .resource::<Assets<Image>>()
        .get(target)
        .map_or(0, |image| image.width() as usize * image.height() as usize * 4)
}

/// User + system CPU time of this process so far, every thread included.
#[cfg(unix)]
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut usage) != 0 {
            return Duration::ZERO;
        }
        usage
    };
    let tv = |t: libc::timeval| Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// CPU time is read through getrusage(2), a Unix call; elsewhere the CPU column reads zero.
#[cfg(not(unix))]
fn cpu_time() -> Duration {
    Duration::ZERO
}

#[cfg(test)]
mod tests {
    use super::Timing;
    use std::time::Duration;

    #[test]
    fn mean_and_nearest_rank_p95() {
        let t = Timing { frame_ms: (1..=20).map(f64::from).collect(), cpu: Duration::from_millis(40) };
        assert_eq!(t.mean(), 10.5);
        assert_eq!(t.p95(), 19.0);
        assert_eq!(t.cpu_ms_per_frame(), 2.0);
        let one = Timing { frame_ms: vec![7.0], cpu: Duration::ZERO };
        assert_eq!(one.p95(), 7.0);
    }
}

/// Parts of the full show `--hide` can leave out, to see what each costs.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Host,
    Card,
    Captions,
    Comment,
    Label,
    Ticker,
}

#[derive(Resource)]
struct Hidden(Vec<Part>);

/// Keeps the parts named by `--hide` hidden (the stage shows and re-spawns its overlays as the show goes on).
// One query per part is the plain way to say it in Bevy; naming the tuple type would hide nothing.
#[allow(clippy::type_complexity)]
fn hide_parts(
    hidden: Res<Hidden>,
    mut parts: ParamSet<(
        Query<&mut Visibility, With<stage::avatar::AvatarRoot>>,
        Query<&mut Visibility, With<stage::overlays::OfferCardRoot>>,
        Query<&mut Visibility, With<stage::overlays::CaptionPanel>>,
        Query<&mut Visibility, With<stage::overlays::CommentBubble>>,
        Query<&mut Visibility, With<stage::overlays::AiLabel>>,
        Query<&mut Visibility, With<stage::overlays::TickerStrip>>,
    )>,
) {
    for part in &hidden.0 {
        let mut hide = |mut v: Mut<Visibility>| {
            v.set_if_neq(Visibility::Hidden);
        };
        match part {
            Part::Host => parts.p0().iter_mut().for_each(&mut hide),
            Part::Card => parts.p1().iter_mut().for_each(&mut hide),
            Part::Captions => parts.p2().iter_mut().for_each(&mut hide),
            Part::Comment => parts.p3().iter_mut().for_each(&mut hide),
            Part::Label => parts.p4().iter_mut().for_each(&mut hide),
            Part::Ticker => parts.p5().iter_mut().for_each(&mut hide),
        }
    }
}
