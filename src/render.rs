//! `shopcast render`: the show rendered offscreen on a virtual clock, written as numbered PNG frames.
//!
//! The director runs through [`director::Rehearsal`] (template writer, silent voice), so a render is exactly
//! repeatable: the same files give the same frames.

use crate::demo;
use anyhow::{Context, Result, bail};
use director::{Rehearsal, ShowConfig};
use model::{Lang, ShowTime};
use stage::capture::{Frame, HeadlessStage};
use stage::{FrameSize, StageLink};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    /// The scene layout (scenes/*.toml); default: the built-in studio scene.
    #[arg(long)]
    scene: Option<PathBuf>,
    /// The product file; default: the embedded demo queue.
    #[arg(long)]
    products: Option<PathBuf>,
    /// How much show to render, in seconds.
    #[arg(long, default_value_t = 1.0)]
    seconds: f64,
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
    #[arg(long)]
    out: PathBuf,
}

/// Reads "1280x720".
pub fn parse_size(text: &str) -> Option<(u32, u32)> {
    let (w, h) = text.trim().split_once(['x', 'X'])?;
    let (w, h): (u32, u32) = (w.parse().ok()?, h.parse().ok()?);
    ((16..=7680).contains(&w) && (16..=7680).contains(&h)).then_some((w, h))
}

pub fn render(args: RenderArgs) -> Result<()> {
    let Some(lang) = Lang::parse(&args.lang) else { bail!("--lang {:?} must be en or zh", args.lang) };
    if !(1..=120).contains(&args.fps) {
        bail!("--fps {} must be from 1 to 120", args.fps);
    }
    if !(args.seconds.is_finite() && args.seconds >= 0.0 && args.seconds <= 3600.0) {
        bail!("--seconds {} must be from 0 to 3600", args.seconds);
    }
    let scene = demo::scene(args.scene.as_deref())?;
    let (width, height) = match &args.size {
        Some(text) => {
            parse_size(text).with_context(|| format!("--size {text:?} must look like 1280x720 (16 to 7680 each)"))?
        }
        None => (scene.width, scene.height),
    };
    let currency = match args.currency.as_deref() {
        Some(code) => Some(
            model::Currency::parse(code).with_context(|| format!("--currency {code:?} is not a 3-letter ISO code"))?,
        ),
        None => None,
    };
    let products = demo::products(args.products.as_deref(), currency.as_ref())?;
    let to_stdout = args.out.as_os_str() == "-";
    if !to_stdout {
        std::fs::create_dir_all(&args.out)
            .with_context(|| format!("cannot create the output folder {}", args.out.display()))?;
    }

    let frames = ((args.seconds * args.fps as f64).round() as u32).max(1);
    let (link, commands, _events) = StageLink::new(4096);
    let mut show =
        Rehearsal::new(ShowConfig { lang, ..ShowConfig::default() }, products, crate::wiring::wall_clock_now());
    let mut stage = HeadlessStage::new(scene, FrameSize { width, height }, args.fps, link)?;
    let out = args.out.clone();
    let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
    let mut write = |frame: Frame| -> Result<(), String> {
        if frame.rgba.len() != frame.width as usize * frame.height as usize * 4 {
            return Err("the renderer returned a frame of the wrong size".to_string());
        }
        if to_stdout {
            // A closed pipe (ffmpeg quit) is an error that ends the render, not a crash.
            return std::io::Write::write_all(&mut stdout, &frame.rgba).map_err(|e| format!("stdout: {e}"));
        }
        let path = out.join(format!("frame-{:05}.png", frame.index));
        let image = image::RgbaImage::from_raw(frame.width, frame.height, frame.rgba)
            .ok_or_else(|| "the renderer returned a frame of the wrong size".to_string())?;
        image.save(&path).map_err(|e| format!("{}: {e}", path.display()))
    };
    for index in 0..frames {
        let t = ShowTime(index as u64 * 1000 / args.fps as u64);
        for command in show.advance_to(t) {
            commands.try_send(command).context("the stage inbox is full")?;
        }
        stage.render_frame(&mut write)?;
    }
    stage.flush(&mut write)?;
    std::io::Write::flush(&mut stdout).context("cannot write frames to stdout")?;
    let target = if to_stdout { "stdout (raw RGBA)".to_string() } else { args.out.display().to_string() };
    eprintln!("wrote {frames} frame(s) of {width}x{height} to {target}");
    Ok(())
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
