//! `shopcast render`: the show rendered offscreen on a virtual clock, written as numbered PNG frames, raw frames on
//! stdout, a live RTMP stream or a video file (the last two through ffmpeg, see [`backstage::output`]).
//!
//! The director runs through [`director::Rehearsal`] (template writer, silent voice), so a render is exactly
//! repeatable: the same files give the same frames.

use crate::demo;
use anyhow::{Context, Result, bail};
use backstage::output::{Destination, Encoder, Marking, Mixer};
use director::{Rehearsal, ShowConfig};
use model::{Lang, ShowTime, StageCommand};
use stage::capture::{Frame, HeadlessStage};
use stage::{FrameSize, StageLink};
use std::path::PathBuf;
use tokio_util::sync::CancellationToken;

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// The scene layout (scenes/*.toml); default: the built-in studio scene.
    #[arg(long)]
    scene: Option<PathBuf>,
    /// The product file; default: the embedded demo queue.
    #[arg(long)]
    products: Option<PathBuf>,
    /// How much show to render, in seconds; default 1 for --out and --video, and with --rtmp the stream runs
    /// until Ctrl-C or SIGTERM.
    #[arg(long)]
    seconds: Option<f64>,
    /// Frames per second.
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Output size as WIDTHxHEIGHT, e.g. 1280x720; default: the scene's size.
    #[arg(long)]
    size: Option<String>,
    /// The currency of prices that name none (Shopify and WooCommerce exports), e.g. CNY.
    #[arg(long)]
    currency: Option<String>,
    /// The host's language: en or zh.
    #[arg(long, default_value = "en")]
    lang: String,
    /// The folder for frame-00000.png, frame-00001.png, ...; or `-` for raw RGBA frames on stdout (width x height
    /// x 4 bytes each, top row first), for piping into ffmpeg (`-f rawvideo -pix_fmt rgba -s WxH -r FPS -i -`).
    #[arg(long, required_unless_present_any = ["rtmp", "video"], conflicts_with_all = ["rtmp", "video"])]
    out: Option<PathBuf>,
    /// Stream live to this RTMP(S) URL through ffmpeg (H.264 + AAC in FLV), paced at real time. The stream key
    /// may come from the environment instead: with SHOPCAST_STREAM_KEY set, it is appended to the URL as its last
    /// path segment and never printed.
    #[arg(long, value_name = "URL", conflicts_with = "video")]
    rtmp: Option<String>,
    /// Encode to a video file through ffmpeg (H.264 + AAC; the container follows the extension: .mp4, .mkv,
    /// .flv), as fast as the renderer goes.
    #[arg(long, value_name = "FILE")]
    video: Option<PathBuf>,
    /// `silent` (the default: estimated timing, frames exactly repeatable) or `espeak` (the real voice: its timing
    /// and mouth shapes, and its audio in --rtmp and --video output).
    #[arg(long, default_value = "silent")]
    voice: String,
}

/// Reads "1280x720".
pub fn parse_size(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.trim().split_once(['x', 'X'])?;
    let (w, h): (u32, u32) = (w.parse().ok()?, h.parse().ok()?);
    ((16..=7680).contains(&w) && (16..=7680).contains(&h)).then_some((w, h))
}

/// Where rendered frames go.
enum Output {
    /// PNG files, each carrying the AI marking in tEXt chunks.
    Pngs(PathBuf, Marking),
    Raw(std::io::BufWriter<std::io::StdoutLock<'static>>),
    Encoder {
        encoder: Encoder,
        mixer: Mixer,
        fps: u32,
    },
}

impl Output {
    fn write(&mut self, frame: Frame) -> Result<(), String> {
        if frame.rgba.len() != frame.width as usize * frame.height as usize * 4 {
            return Err("the renderer returned a frame of the wrong size".to_string());
        }
        match self {
            // A closed pipe (ffmpeg quit) is an error that ends the render, not a crash.
            Output::Raw(stdout) => std::io::Write::write_all(stdout, &frame.rgba).map_err(|e| format!("stdout: {e}")),
            Output::Pngs(dir, marking) => {
                let path = dir.join(format!("frame-{:05}.png", frame.index));
                let image = image::RgbaImage::from_raw(frame.width, frame.height, frame.rgba)
                    .ok_or_else(|| "the renderer returned a frame of the wrong size".to_string())?;
                let mut png = Vec::new();
                image
                    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                std::fs::write(&path, marking.mark_png(&png)).map_err(|e| format!("{}: {e}", path.display()))
            }
            Output::Encoder { encoder, mixer, fps } => {
                let pcm = mixer.take_until(Mixer::frame_start(u64::from(frame.index) + 1, *fps));
                encoder.write_frame(&frame.rgba, pcm).map_err(|e| format!("{e:#}"))
            }
        }
    }

    /// Lines with a voice go into the audio track at the frame where the stage starts them.
    fn hear(&mut self, command: &StageCommand, frame: u32) {
        if let Output::Encoder { mixer, fps, .. } = self {
            mixer.hear(command, Mixer::frame_start(u64::from(frame), *fps));
        }
    }

    fn finish(self) -> Result<()> {
        match self {
            Output::Pngs(..) => Ok(()),
            Output::Raw(mut stdout) => std::io::Write::flush(&mut stdout).context("cannot write frames to stdout"),
            Output::Encoder { encoder, .. } => Ok(encoder.finish()?),
        }
    }
}

pub fn render(args: RenderArgs) -> Result<()> {
    let Some(lang) = Lang::parse(&args.lang) else { bail!("--lang {:?} must be en or zh", args.lang) };
    if !(1..=120).contains(&args.fps) {
        bail!("--fps {} must be from 1 to 120", args.fps);
    }
    if let Some(seconds) = args.seconds
        && !(seconds.is_finite() && (0.0..=MAX_SECONDS).contains(&seconds))
    {
        bail!("--seconds {seconds} must be from 0 to {MAX_SECONDS}");
    }
    let scene = demo::scene(args.scene.as_deref())?;
    let (width, height) = match &args.size {
        Some(text) => {
            parse_size(text).with_context(|| format!("--size {text:?} must look like 1280x720 (16 to 7680 each)"))?
        }
        None => (scene.width, scene.height),
    };
    // H.264 in yuv420p halves the colour planes, so both sides must be even.
    if (args.rtmp.is_some() || args.video.is_some()) && (width % 2 == 1 || height % 2 == 1) {
        bail!("--size {width}x{height}: streams and video files need an even width and height");
    }
    let currency = demo::currency_arg(args.currency.as_deref())?;
    let products = demo::products(args.products.as_deref(), currency.as_ref())?;
    let destination = match (&args.rtmp, &args.video) {
        (Some(url), _) => Some(Destination::rtmp(url, std::env::var("SHOPCAST_STREAM_KEY").ok())?),
        (None, Some(path)) => Some(Destination::File(path.clone())),
        (None, None) => None,
    };
    // Streams run until stopped unless bounded; files are one second unless told otherwise.
    let seconds = args.seconds.or(if args.rtmp.is_some() { None } else { Some(1.0) });
    let frames = seconds.map(|s| ((s * args.fps as f64).round() as u32).max(1));

    let voice = match args.voice.as_str() {
        "silent" => None,
        "espeak" => Some(espeak_voice()?),
        other => bail!("--voice {other:?} must be silent or espeak"),
    };
    let (link, commands, _events) = StageLink::new(4096);
    let config = ShowConfig { lang, ..ShowConfig::default() };
    let wall = backstage::clock::wall_now();
    let mut show = Rehearsal::with_writer_and_voice(config, products, wall, director::template_writer(), voice);
    // Every stream, file and frame says the host is AI-generated (README, "Compliance").
    let marking = Marking::new(Marking::new_show_id("render", wall));
    // Before ffmpeg starts, so a signal at any moment after it ends the stream cleanly.
    let stop = if destination.is_some() { stop_on_signal() } else { CancellationToken::new() };
    // ffmpeg first: a missing ffmpeg is reported before seconds of renderer start-up, and it simply waits for
    // its first frame meanwhile.
    let (mut output, target) = match (&destination, &args.out) {
        (Some(destination), _) => {
            let encoder = Encoder::start(destination.clone(), width, height, args.fps, &marking)?;
            (Output::Encoder { encoder, mixer: Mixer::default(), fps: args.fps }, destination.describe())
        }
        (None, Some(out)) if out.as_os_str() == "-" => {
            (Output::Raw(std::io::BufWriter::new(std::io::stdout().lock())), "stdout (raw RGBA)".to_string())
        }
        (None, Some(out)) => {
            std::fs::create_dir_all(out)
                .with_context(|| format!("cannot create the output folder {}", out.display()))?;
            (Output::Pngs(out.clone(), marking.clone()), out.display().to_string())
        }
        (None, None) => bail!("say where the frames go: --out DIR, --out -, --rtmp URL or --video FILE"),
    };
    let mut stage = HeadlessStage::new(scene, FrameSize { width, height }, args.fps, link)?;
    if frames.is_none() {
        eprintln!("streaming to {target} until Ctrl-C or SIGTERM");
    }

    let mut rendered = 0;
    while frames.is_none_or(|n| rendered < n) && !stop.is_cancelled() {
        let t = ShowTime(rendered as u64 * 1000 / args.fps as u64);
        for command in show.advance_to(t) {
            output.hear(&command, rendered);
            commands.try_send(command).context("the stage inbox is full")?;
        }
        stage.render_frame(&mut |frame| output.write(frame))?;
        rendered += 1;
    }
    stage.flush(&mut |frame| output.write(frame))?;
    output.finish()?;
    eprintln!("wrote {rendered} frame(s) of {width}x{height} to {target}");
    Ok(())
}

/// The longest render or bounded stream `--seconds` accepts: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// A token cancelled by Ctrl-C or SIGTERM, so a stream ends cleanly: the last frames out, ffmpeg closed and waited.
/// A second signal exits at once (ffmpeg then sees its input end and stops on its own).
fn stop_on_signal() -> CancellationToken {
    let stop = CancellationToken::new();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
    match runtime {
        Ok(runtime) => {
            let cancel = stop.clone();
            std::thread::spawn(move || {
                runtime.block_on(async {
                    backstage::shutdown::stop_requested().await;
                    eprintln!("stopping: finishing the stream (a second Ctrl-C stops at once)");
                    cancel.cancel();
                    backstage::shutdown::stop_requested().await;
                    eprintln!("stopped at once (second signal)");
                    std::process::exit(130);
                })
            });
        }
        Err(e) => tracing::warn!("Ctrl-C will not end the stream cleanly: {e}"),
    }
    stop
}

/// espeak-ng for a render: each line is synthesised on the spot (the virtual clock waits), so the frames carry
/// its real timing and mouth shapes, and the stream or video file carries its audio.
fn espeak_voice() -> Result<director::VoiceFn> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let voice = {
        let _guard = runtime.enter();
        backstage::voice::Voice::espeak(backstage::voice::EspeakOptions {
            timeout: std::time::Duration::from_secs(10),
            ..backstage::voice::EspeakOptions::default()
        })
        .context("espeak-ng could not start (apt-get install espeak-ng)")?
    };
    Ok(Box::new(move |text: &str, lang: Lang| {
        let clip = runtime.block_on(voice.speak(text, lang)).map_err(|e| e.to_string())?;
        Ok(director::Spoken { duration_ms: clip.duration_ms, visemes: clip.visemes, audio: clip.audio })
    }))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse_and_absurd_ones_are_refused() {
        assert_eq!(parse_size("1280x720"), Some((1280, 720)));
        assert_eq!(parse_size("1080X1920"), Some((1080, 1920)));
        assert_eq!(parse_size("0x0"), None);
        assert_eq!(parse_size("big"), None);
        assert_eq!(parse_size("99999x10"), None);
    }
}
