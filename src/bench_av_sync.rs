//! `shopcast bench-av-sync FILE...`: how far the host's mouth in the picture is from its voice in the sound, read
//! from recorded files as a viewer would get them (a `--record` segment, a `--video` file, an RTMP server's
//! recording), and how that gap moves over hours.
//!
//! ffmpeg decodes the two tracks on their own timestamps: the picture cropped to the host's box of the scene, the
//! sound as mono samples from time zero. How open the mouth is in a frame is how many of the box's pixels have the
//! drawn host's lip colour ([`stage::avatar::LIPS`]); how loud the voice is comes from 5 ms windows. Two measures
//! come out of that (the analysis is in [`analysis`], pure and tested on made-up signals):
//! - **line starts**: each time the voice starts after a pause is paired with the first frame, within a quarter of
//!   a second either way, whose mouth opens after a closed spell: mouth minus sound, in milliseconds (positive:
//!   the mouth is late). A frame stands for a whole frame time, so a perfect stream reads 0 to one frame late;
//! - **cross-correlation**: in each window (a minute by default), the lag at which the mouth's openness best
//!   follows the voice's loudness, to a fraction of a frame. Its slope over the file's windows is the drift.
//!
//! Only the drawn host is measured (a layered PNG host has its own mouth pictures and colours).

use anyhow::{Context, Result, bail};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(clap::Args, Debug)]
pub struct SyncArgs {
    /// Recorded files (MKV, MP4, FLV) of a show with the drawn host.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The scene the show ran with (where the host stands); the built-in studio scene when not given.
    #[arg(long)]
    scene: Option<PathBuf>,
    /// Seconds per cross-correlation window.
    #[arg(long, default_value_t = 60.0)]
    window: f64,
    /// Also write the figures as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
}

pub fn run(args: SyncArgs) -> Result<()> {
    if args.window.is_nan() || args.window < 5.0 {
        bail!("--window {} is too short: give at least 5 seconds, so a window holds a few lines", args.window);
    }
    let scene = match &args.scene {
        None => model::Scene::studio(),
        Some(path) => {
            let load = backstage::scene::load_file(path);
            match load.scene {
                Some(scene) => scene,
                None => {
                    let first = load.diagnostics.first().map(ToString::to_string).unwrap_or_default();
                    bail!("{}: {first} (`shopcast check {}` lists every problem)", path.display(), path.display())
                }
            }
        }
    };
    if !matches!(scene.avatar, model::AvatarKind::Drawn) {
        bail!("the scene's host is a layered PNG host: only the drawn host's mouth can be found in the picture");
    }
    let mut reports = Vec::new();
    for file in &args.files {
        let tracks = decode(file, &scene.layout.avatar)?;
        let report = analysis::measure(&tracks, args.window);
        print!("{}", report.text(&file.display().to_string()));
        reports.push(serde_json::json!({ "file": file, "report": report }));
    }
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&reports)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}

/// What ffprobe says about the file's video track.
struct VideoInfo {
    width: u32,
    height: u32,
    /// Each frame's presentation time in seconds, in display order.
    times: Vec<f64>,
}

fn ffmpeg_missing(e: std::io::Error, program: &str) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::NotFound {
        anyhow::anyhow!("{program} is not installed: sudo apt-get install ffmpeg")
    } else {
        anyhow::anyhow!("cannot run {program}: {e}")
    }
}

fn probe_video(file: &Path) -> Result<VideoInfo> {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height:packet=pts_time"])
        .args(["-of", "json"])
        .arg(file)
        .output()
        .map_err(|e| ffmpeg_missing(e, "ffprobe"))?;
    if !out.status.success() {
        bail!("ffprobe cannot read {}: {}", file.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .with_context(|| format!("ffprobe's answer about {} is not JSON", file.display()))?;
    let stream = &json["streams"][0];
    let (Some(width), Some(height)) = (stream["width"].as_u64(), stream["height"].as_u64()) else {
        bail!("{} has no video track", file.display());
    };
    let mut times: Vec<f64> = json["packets"]
        .as_array()
        .map(|packets| {
            packets.iter().filter_map(|p| p["pts_time"].as_str().and_then(|t| t.parse::<f64>().ok())).collect()
        })
        .unwrap_or_default();
    times.sort_by(f64::total_cmp);
    Ok(VideoInfo { width: width as u32, height: height as u32, times })
}

/// The file's two tracks, as the analysis reads them.
fn decode(file: &Path, host: &model::Rect) -> Result<analysis::Tracks> {
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    let video = probe_video(file)?;
    if video.times.is_empty() {
        bail!("{} has no video frames", file.display());
    }
    // The host's box, in whole even pixels inside the frame.
    let even = |v: f32| ((v.max(0.0) as u32) / 2) * 2;
    let x = even(host.x * video.width as f32);
    let y = even(host.y * video.height as f32);
    let w = even(host.w * video.width as f32).min(video.width - x);
    let h = even(host.h * video.height as f32).min(video.height - y);
    if w < 8 || h < 8 {
        bail!("the host's box is {w}x{h} pixels in {}: too small to find a mouth", file.display());
    }
    let mut child = Command::new("ffmpeg")
        .args(["-v", "error", "-copyts", "-i"])
        .arg(file)
        .args(["-map", "0:v:0", "-fps_mode", "passthrough", "-vf", &format!("crop={w}:{h}:{x}:{y}")])
        .args(["-pix_fmt", "rgb24", "-f", "rawvideo", "-"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| ffmpeg_missing(e, "ffmpeg"))?;
    let mut stdout = child.stdout.take().context("ffmpeg's output")?;
    let frame_bytes = (w * h * 3) as usize;
    let mut frame = vec![0u8; frame_bytes];
    let mut mouth = Vec::with_capacity(video.times.len());
    while stdout.read_exact(&mut frame).is_ok() {
        mouth.push(analysis::lip_pixels(&frame, stage::avatar::LIPS));
    }
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("ffmpeg cannot decode the video of {}: {}", file.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    if mouth.len() != video.times.len() {
        tracing::warn!(
            "{}: {} frames decoded, {} timestamps; the shorter is used",
            file.display(),
            mouth.len(),
            video.times.len()
        );
    }
    let frames = mouth.len().min(video.times.len());
    mouth.truncate(frames);
    let mut frame_times = video.times;
    frame_times.truncate(frames);

    // The sound from time zero on the file's clock: what an encoder's priming or a late start left out is
    // padded with silence, so sample n plays at n / rate.
    let rate = 48_000u32;
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-copyts", "-i"])
        .arg(file)
        .args(["-map", "0:a:0", "-af", "aresample=async=1:first_pts=0", "-ac", "1", "-ar", &rate.to_string()])
        .args(["-f", "s16le", "-"])
        .output()
        .map_err(|e| ffmpeg_missing(e, "ffmpeg"))?;
    if !out.status.success() {
        bail!("ffmpeg cannot decode the sound of {}: {}", file.display(), String::from_utf8_lossy(&out.stderr).trim());
    }
    let samples: Vec<i16> = out.stdout.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
    if samples.is_empty() {
        bail!("{} has no sound track: record with the voice on ([voice] kind other than silent)", file.display());
    }
    Ok(analysis::Tracks { frame_times, mouth, loudness: analysis::loudness(&samples, rate) })
}

/// The measurement itself, on decoded numbers.
pub mod analysis {
    use serde::Serialize;

    /// Seconds per loudness window.
    pub const STEP: f64 = 0.005;
    /// A voice this loud (RMS, full scale 1.0) is speaking: −40 dBFS.
    const SPEAKING: f64 = 0.01;
    /// A pause this long before a sound makes it a line's (or a sentence's) start.
    const PAUSE: f64 = 0.3;
    /// How far apart a sound's start and a mouth's opening may be and still be paired.
    const PAIR_WITHIN: f64 = 0.25;
    /// The cross-correlation looks this many frames either way.
    const MAX_LAG_FRAMES: i64 = 12;

    /// A decoded recording.
    pub struct Tracks {
        /// Each frame's time, seconds.
        pub frame_times: Vec<f64>,
        /// Each frame's lip-coloured pixels.
        pub mouth: Vec<u32>,
        /// RMS of the sound in each [`STEP`] window from time zero (0.0 to 1.0).
        pub loudness: Vec<f64>,
    }

    /// Pixels within a small distance of `lips` (after H.264's colour subsampling the mouth's pixels spread).
    pub fn lip_pixels(rgb: &[u8], lips: [u8; 3]) -> u32 {
        let near = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs() <= 40;
        rgb.chunks_exact(3).filter(|p| near(p[0], lips[0]) && near(p[1], lips[1]) && near(p[2], lips[2])).count() as u32
    }

    /// RMS over each [`STEP`] window of 16-bit samples at `rate`.
    pub fn loudness(samples: &[i16], rate: u32) -> Vec<f64> {
        let window = ((f64::from(rate) * STEP) as usize).max(1);
        samples
            .chunks(window)
            .map(|chunk| {
                let sum: f64 = chunk.iter().map(|&s| (f64::from(s) / 32768.0).powi(2)).sum();
                (sum / chunk.len() as f64).sqrt()
            })
            .collect()
    }

    /// What came out, for one file.
    #[derive(Debug, Serialize, PartialEq)]
    pub struct Report {
        pub seconds: f64,
        pub frames: usize,
        /// Frames per second, from the timestamps.
        pub fps: f64,
        /// Sound starts found, and how many of them a mouth opening was paired with.
        pub sound_starts: usize,
        pub paired: usize,
        /// Mouth minus sound at paired starts, ms: median, 5th and 95th percentile.
        pub start_offset_ms: Option<Spread>,
        /// Cross-correlation lag per window (mouth behind sound when positive), ms.
        pub windows: Vec<Window>,
        /// Each paired start: when the sound started (s) and mouth minus sound (ms).
        pub starts: Vec<(f64, f64)>,
        /// Least-squares slope of the windows' lags, ms per hour (windows spanning [`DRIFT_SPAN`] or more).
        pub drift_ms_per_hour: Option<f64>,
    }

    #[derive(Debug, Serialize, PartialEq, Clone, Copy)]
    pub struct Spread {
        pub p5: f64,
        pub median: f64,
        pub p95: f64,
    }

    #[derive(Debug, Serialize, PartialEq, Clone, Copy)]
    pub struct Window {
        /// The window's middle, seconds into the file.
        pub at: f64,
        pub lag_ms: f64,
        /// The correlation at that lag (−1 to 1): low means the window says little.
        pub correlation: f64,
    }

    impl Report {
        pub fn text(&self, name: &str) -> String {
            let mut out = format!(
                "{name}: {:.1} s, {} frames at {:.2} frames/s\n  line starts: {} heard, {} paired with the mouth \
                 opening",
                self.seconds, self.frames, self.fps, self.sound_starts, self.paired
            );
            match self.start_offset_ms {
                Some(s) => out.push_str(&format!(
                    "; mouth minus sound {:+.0} ms median ({:+.0} to {:+.0}, 5th to 95th percentile)\n",
                    s.median, s.p5, s.p95
                )),
                None => out.push('\n'),
            }
            let good: Vec<&Window> = self.windows.iter().filter(|w| w.correlation >= MIN_CORRELATION).collect();
            let lags: Vec<f64> = good.iter().map(|w| w.lag_ms).collect();
            if let (Some(first), Some(last), Some(spread)) = (good.first(), good.last(), spread(&lags)) {
                out.push_str(&format!(
                    "  cross-correlation: {} window(s); lag {:+.1} ms at {:.0} s, {:+.1} ms at {:.0} s; median {:+.1} \
                     ms ({:+.1} to {:+.1})\n",
                    good.len(),
                    first.lag_ms,
                    first.at,
                    last.lag_ms,
                    last.at,
                    spread.median,
                    spread.p5,
                    spread.p95
                ));
            }
            match self.drift_ms_per_hour {
                Some(drift) => out.push_str(&format!("  drift: {drift:+.2} ms per hour\n")),
                None => out.push_str(&format!(
                    "  drift: not measured (the windows that say something span less than {DRIFT_SPAN:.0} s)\n"
                )),
            }
            out
        }
    }

    /// Drift is reported over windows at least this far apart (seconds): over less, a lag's noise between two
    /// windows would read as many milliseconds an hour.
    pub const DRIFT_SPAN: f64 = 600.0;

    /// Windows whose best correlation is below this say too little (a silent minute, a card covering the host).
    pub const MIN_CORRELATION: f64 = 0.3;

    fn percentile(sorted: &[f64], p: f64) -> f64 {
        let rank = (p * (sorted.len() - 1) as f64).round() as usize;
        sorted[rank.min(sorted.len() - 1)]
    }

    pub fn spread(values: &[f64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Spread { p5: percentile(&sorted, 0.05), median: percentile(&sorted, 0.5), p95: percentile(&sorted, 0.95) })
    }

    /// Times (s) where the sound becomes speaking after at least [`PAUSE`] of quiet. Speaking is [`RISE`] of the
    /// voice's loud level (the 95th percentile of the windows above [`SPEAKING`]), as the mouth's opening is
    /// [`RISE`] of its wide level: both starts are read at the same point of their rise.
    pub fn sound_starts(loudness: &[f64]) -> Vec<f64> {
        let mut speaking: Vec<f64> = loudness.iter().copied().filter(|&l| l >= SPEAKING).collect();
        if speaking.is_empty() {
            return Vec::new();
        }
        speaking.sort_by(f64::total_cmp);
        let threshold = (percentile(&speaking, 0.95) * RISE).max(SPEAKING);
        let pause = (PAUSE / STEP).round() as usize;
        let mut quiet = 0usize;
        let mut starts = Vec::new();
        for (i, &level) in loudness.iter().enumerate() {
            if level >= threshold {
                if quiet >= pause {
                    starts.push(i as f64 * STEP);
                }
                quiet = 0;
            } else {
                quiet += 1;
            }
        }
        starts
    }

    /// How far up its usual range a signal has risen when a start is read.
    const RISE: f64 = 0.2;

    /// The count above which the mouth is open: the closed level is the commonest low count (the 25th
    /// percentile: the host is silent between lines), open is [`RISE`] of the way from there to the 95th
    /// percentile.
    pub fn open_threshold(mouth: &[u32]) -> Option<f64> {
        if mouth.is_empty() {
            return None;
        }
        let mut sorted: Vec<f64> = mouth.iter().map(|&m| f64::from(m)).collect();
        sorted.sort_by(f64::total_cmp);
        let closed = percentile(&sorted, 0.25);
        let wide = percentile(&sorted, 0.95);
        if wide - closed < 4.0 {
            return None;
        }
        Some(closed + (wide - closed) * RISE)
    }

    /// Times (s) of frames where the mouth opens after a closed spell of at least [`PAUSE`].
    pub fn mouth_openings(times: &[f64], mouth: &[u32], threshold: f64) -> Vec<f64> {
        let mut closed_since: Option<f64> = None;
        let mut openings = Vec::new();
        for (&t, &m) in times.iter().zip(mouth) {
            if f64::from(m) > threshold {
                if closed_since.is_some_and(|since| t - since >= PAUSE) {
                    openings.push(t);
                }
                closed_since = None;
            } else if closed_since.is_none() {
                closed_since = Some(t);
            }
        }
        openings
    }

    /// Each sound start paired with the nearest mouth opening within [`PAIR_WITHIN`]: the start and mouth minus
    /// sound, seconds.
    pub fn pair(sounds: &[f64], openings: &[f64]) -> Vec<(f64, f64)> {
        sounds
            .iter()
            .filter_map(|&s| {
                let nearest = openings
                    .iter()
                    .map(|&o| o - s)
                    .filter(|d| d.abs() <= PAIR_WITHIN)
                    .min_by(|a, b| a.abs().total_cmp(&b.abs()))?;
                Some((s, nearest))
            })
            .collect()
    }

    /// The sound's loudness around each frame's timestamp (half a frame either side): a frame shows the mouth as
    /// it was at its timestamp.
    fn loudness_per_frame(times: &[f64], loudness: &[f64], frame_time: f64) -> Vec<f64> {
        times
            .iter()
            .map(|&t| {
                let from = ((t - frame_time / 2.0) / STEP).round().max(0.0) as usize;
                let to = (((t + frame_time / 2.0) / STEP).round().max(0.0) as usize).max(from + 1);
                let slice = &loudness[from.min(loudness.len())..to.min(loudness.len())];
                if slice.is_empty() { 0.0 } else { slice.iter().sum::<f64>() / slice.len() as f64 }
            })
            .collect()
    }

    /// The lag (in frames, fractional) at which `mouth[i]` best matches `sound[i - lag]`, and that correlation.
    pub fn best_lag(sound: &[f64], mouth: &[f64]) -> Option<(f64, f64)> {
        let n = sound.len().min(mouth.len()) as i64;
        if n < 3 * MAX_LAG_FRAMES {
            return None;
        }
        let correlation = |lag: i64| -> f64 {
            let (mut pairs_s, mut pairs_m) = (Vec::new(), Vec::new());
            for i in 0..n {
                let j = i - lag;
                if j >= 0 && j < n {
                    pairs_s.push(sound[j as usize]);
                    pairs_m.push(mouth[i as usize]);
                }
            }
            pearson(&pairs_s, &pairs_m)
        };
        let scores: Vec<(i64, f64)> = (-MAX_LAG_FRAMES..=MAX_LAG_FRAMES).map(|lag| (lag, correlation(lag))).collect();
        let &(lag, peak) = scores.iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
        if !peak.is_finite() {
            return None;
        }
        // A parabola through the peak and its neighbours places it between frames.
        let at = |l: i64| scores.iter().find(|s| s.0 == l).map(|s| s.1);
        let fraction = match (at(lag - 1), at(lag + 1)) {
            (Some(before), Some(after)) => {
                let curve = before - 2.0 * peak + after;
                if curve < 0.0 { (0.5 * (before - after) / curve).clamp(-0.5, 0.5) } else { 0.0 }
            }
            _ => 0.0,
        };
        Some((lag as f64 + fraction, peak))
    }

    fn pearson(a: &[f64], b: &[f64]) -> f64 {
        let n = a.len() as f64;
        if n < 2.0 {
            return f64::NAN;
        }
        let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
        let (mut ab, mut aa, mut bb) = (0.0, 0.0, 0.0);
        for (x, y) in a.iter().zip(b) {
            ab += (x - ma) * (y - mb);
            aa += (x - ma) * (x - ma);
            bb += (y - mb) * (y - mb);
        }
        if aa == 0.0 || bb == 0.0 { f64::NAN } else { ab / (aa * bb).sqrt() }
    }

    /// Least-squares slope of `(x, y)` points.
    fn slope(points: &[(f64, f64)]) -> Option<f64> {
        if points.len() < 2 {
            return None;
        }
        let n = points.len() as f64;
        let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
        let my = points.iter().map(|p| p.1).sum::<f64>() / n;
        let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
        if sxx == 0.0 {
            return None;
        }
        Some(points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum::<f64>() / sxx)
    }

    pub fn measure(tracks: &Tracks, window: f64) -> Report {
        let times = &tracks.frame_times;
        let frames = times.len().min(tracks.mouth.len());
        let seconds = times.last().map_or(0.0, |last| last - times[0]);
        let fps = if frames > 1 && seconds > 0.0 { (frames - 1) as f64 / seconds } else { 0.0 };
        let frame_time = if fps > 0.0 { 1.0 / fps } else { 1.0 / 30.0 };
        let sounds = sound_starts(&tracks.loudness);
        let starts: Vec<(f64, f64)> = match open_threshold(&tracks.mouth[..frames]) {
            Some(threshold) => {
                let openings = mouth_openings(&times[..frames], &tracks.mouth[..frames], threshold);
                pair(&sounds, &openings).into_iter().map(|(at, d)| (at, d * 1000.0)).collect()
            }
            None => Vec::new(),
        };
        let offsets: Vec<f64> = starts.iter().map(|s| s.1).collect();
        let sound = loudness_per_frame(&times[..frames], &tracks.loudness, frame_time);
        let mouth: Vec<f64> = tracks.mouth[..frames].iter().map(|&m| f64::from(m)).collect();
        let per_window = ((window * fps).round() as usize).max(1);
        let mut windows = Vec::new();
        let mut start = 0;
        while start + per_window / 2 < frames {
            let end = (start + per_window).min(frames);
            if let Some((lag, correlation)) = best_lag(&sound[start..end], &mouth[start..end]) {
                let at = (times[start] + times[end - 1]) / 2.0;
                windows.push(Window { at, lag_ms: lag * frame_time * 1000.0, correlation });
            }
            start = end;
        }
        let points: Vec<(f64, f64)> =
            windows.iter().filter(|w| w.correlation >= MIN_CORRELATION).map(|w| (w.at / 3600.0, w.lag_ms)).collect();
        let span = match (points.first(), points.last()) {
            (Some(first), Some(last)) => (last.0 - first.0) * 3600.0,
            _ => 0.0,
        };
        let drift_ms_per_hour = if span >= DRIFT_SPAN { slope(&points) } else { None };
        Report {
            seconds,
            frames,
            fps,
            sound_starts: sounds.len(),
            paired: offsets.len(),
            start_offset_ms: spread(&offsets),
            starts,
            windows,
            drift_ms_per_hour,
        }
    }
}

#[cfg(test)]
#[path = "bench_av_sync_tests.rs"]
mod tests;
