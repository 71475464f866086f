//! The show's own output, for streaming without OBS: rendered frames go to an ffmpeg child process on its stdin,
//! the host's voice (mixed into one track by [`Mixer`]) as PCM on a second pipe, and ffmpeg encodes H.264 + AAC to
//! an RTMP server (paced at real time) or to a video file (as fast as the renderer goes).
//!
//! The audio track is always there, silent between lines: streaming platforms expect one, and in a live show a
//! line with a voice can come at any moment, so the track cannot be chosen once at start-up.
//!
//! Unix only: ffmpeg reads the audio track from a third pipe, handed to it as fd 3 between fork and exec (the only
//! unsafe code in backstage outside the voice's FFI, in [`fd3`]). Elsewhere [`Encoder::start`] says so.
//!
//! `render` drives one [`Encoder`] itself; the live show (`run --headless` with outputs) goes through [`live`]:
//! a frame clock at real time ([`pacing`]), one ffmpeg per destination restarted after failures ([`restart`]),
//! and a recording in segments. Everything written carries the AI marking ([`marking`]).

pub mod live;
pub mod marking;
pub mod pacing;
pub mod restart;

pub use marking::Marking;

use model::{AudioClip, LineId, StageCommand};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The audio track's sample rate (mono, signed 16-bit); AAC at 48 kHz is what streaming platforms ask for.
pub const AUDIO_RATE: u32 = 48_000;

/// How much of ffmpeg's own stderr is kept for error messages.
const STDERR_TAIL_LINES: usize = 12;

/// How long ffmpeg may take to finish its output (write the trailer, close the connection) after the last frame.
const FINISH_TIMEOUT: Duration = Duration::from_secs(30);

/// Why the output could not start or stopped. Every message says what to change.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The destination as given cannot work (an RTMP URL of the wrong shape, a malformed stream key).
    #[error("{0}")]
    Destination(String),
    #[error(
        "cannot start ffmpeg: it is not installed or not on PATH. Streaming and video files need ffmpeg with \
         libx264 and AAC (Debian/Ubuntu: apt-get install ffmpeg)"
    )]
    NotInstalled,
    #[error("cannot start ffmpeg: {0}")]
    Start(std::io::Error),
    /// Not a Unix system: the audio track cannot be handed to ffmpeg as its fd 3.
    #[error(
        "streaming and video files need a Unix system (Linux, macOS): ffmpeg gets the audio track on a third \
         pipe, which this system cannot pass to it. Use `--out DIR` for PNG frames, or stream through OBS"
    )]
    Unsupported,
    #[error("the encoder is already closed")]
    Closed,
    /// ffmpeg failed, stopped taking input or did not finish; its own last words say why.
    #[error("{what} (sending to {destination}). {hint} ffmpeg said:\n{said}")]
    Ffmpeg { what: String, destination: String, hint: &'static str, said: String },
}

impl OutputError {
    /// A stream that ffmpeg lost (the server went away) may work when started again; a missing program or a bad
    /// destination will not.
    pub fn is_retryable(&self) -> bool {
        matches!(self, OutputError::Ffmpeg { .. })
    }
}

type Result<T> = std::result::Result<T, OutputError>;

/// Where the encoded show goes.
#[derive(Debug, Clone)]
pub enum Destination {
    /// A live RTMP(S) ingest URL; frames are paced at real time, as live platforms need. `key` (from the
    /// environment) is appended as the last path segment and never printed.
    Rtmp { url: String, key: Option<String> },
    /// A video file (the container follows its extension); encoded as fast as frames come.
    File(PathBuf),
    /// A recording: Matroska files in `dir`, a new one every `period` (each plays on its own), named by the time
    /// they start (`shopcast-20260504-101500.mkv`).
    Segments { dir: PathBuf, period: Duration },
}

impl Destination {
    /// Checks an RTMP URL's shape before anything starts, so a typo is a clear error rather than ffmpeg's.
    pub fn rtmp(url: &str, key: Option<String>) -> Result<Destination> {
        let lower = url.to_ascii_lowercase();
        let Some(rest) = lower.strip_prefix("rtmp://").or_else(|| lower.strip_prefix("rtmps://")) else {
            return Err(OutputError::Destination(format!(
                "--rtmp {url:?} must start with rtmp:// or rtmps:// (for example rtmp://127.0.0.1:1935/live/show)"
            )));
        };
        if rest.split('/').next().is_none_or(str::is_empty) {
            return Err(OutputError::Destination(format!(
                "--rtmp {url:?} names no server (for example rtmp://127.0.0.1:1935/live/show)"
            )));
        }
        let key = key.filter(|k| !k.trim().is_empty()).map(|k| k.trim().to_string());
        if let Some(key) = &key
            && key.contains(['/', ' ', '?'])
        {
            return Err(OutputError::Destination(
                "SHOPCAST_STREAM_KEY must be the bare stream key (no '/', '?' or spaces)".into(),
            ));
        }
        Ok(Destination::Rtmp { url: url.to_string(), key })
    }

    fn paced(&self) -> bool {
        matches!(self, Destination::Rtmp { .. })
    }

    /// What ffmpeg is given.
    fn ffmpeg_target(&self) -> String {
        match self {
            Destination::Rtmp { url, key: Some(key) } => format!("{}/{key}", url.trim_end_matches('/')),
            Destination::Rtmp { url, key: None } => url.clone(),
            Destination::File(path) => path.display().to_string(),
            Destination::Segments { dir, .. } => dir.join("shopcast-%Y%m%d-%H%M%S.mkv").display().to_string(),
        }
    }

    /// What messages show: never the stream key.
    pub fn describe(&self) -> String {
        match self {
            Destination::Rtmp { url, key: Some(_) } => format!("{}/<SHOPCAST_STREAM_KEY>", url.trim_end_matches('/')),
            Destination::Rtmp { url, key: None } => url.clone(),
            Destination::File(path) => path.display().to_string(),
            Destination::Segments { dir, .. } => format!("the recording in {}", dir.display()),
        }
    }

    fn secret(&self) -> Option<&str> {
        match self {
            Destination::Rtmp { key, .. } => key.as_deref(),
            Destination::File(_) | Destination::Segments { .. } => None,
        }
    }
}

/// The ffmpeg command line: raw RGBA on stdin, mono s16 PCM on fd 3, H.264 (ultrafast, zerolatency, yuv420p,
/// two-second keyframes) and AAC out, with the AI marking in the container's metadata.
///
/// `ultrafast` by measurement (BENCHMARKS, "The encoder sized for the machine"): on the show's own frames it
/// takes 30–35% less CPU than `veryfast` and, at these bit rates, scores a higher SSIM against the raw frames
/// (it spends more of the allowed bits); only when the bit rate binds hard (800 kbit/s at 720p) is it 0.0005 SSIM
/// behind.
pub fn ffmpeg_args(destination: &Destination, width: u32, height: u32, fps: u32, marking: &Marking) -> Vec<String> {
    // About 0.1 bit per pixel: 2.8 Mbit/s at 1280x720, 30 frames/s; 6.2 Mbit/s at 1920x1080.
    let kbits = (u64::from(width) * u64::from(height) * u64::from(fps) / 10_000).clamp(300, 8_000);
    let mut args: Vec<String> = [
        "-hide_banner",
        "-nostdin",
        "-loglevel",
        "warning",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "rgba",
        "-s",
        &format!("{width}x{height}"),
        "-r",
        &fps.to_string(),
        "-thread_queue_size",
        "64",
        "-i",
        "pipe:0",
        // ffmpeg opens its inputs one after the other before encoding anything; probing seconds of PCM here would
        // wait for audio that we only send after the next video frame, which ffmpeg is not yet reading.
        "-probesize",
        "32",
        "-f",
        "s16le",
        "-sample_rate",
        &AUDIO_RATE.to_string(),
        "-ch_layout",
        "mono",
        "-thread_queue_size",
        "64",
        "-i",
        "pipe:3",
        "-map",
        "0:v:0",
        "-map",
        "1:a:0",
        "-c:v",
        "libx264",
        "-preset",
        "ultrafast",
        "-tune",
        "zerolatency",
        "-pix_fmt",
        "yuv420p",
        "-g",
        &(fps * 2).to_string(),
        "-b:v",
        &format!("{kbits}k"),
        "-maxrate",
        &format!("{kbits}k"),
        "-bufsize",
        &format!("{}k", kbits * 2),
        "-c:a",
        "aac",
        "-b:a",
        "128k",
        "-ac",
        "2",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(marking.ffmpeg_args());
    match destination {
        Destination::Rtmp { .. } => {
            // A server that stops answering without closing the connection fails ffmpeg within 5 s (then the
            // live output starts it again) instead of hanging the stream.
            args.extend(["-rw_timeout", "5000000", "-flvflags", "no_duration_filesize", "-f", "flv"].map(String::from));
        }
        Destination::File(path) => {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
            if matches!(ext.as_str(), "mp4" | "mov" | "m4v") {
                // Without it the MP4 muxer keeps only the tags it knows, and `aigc` would be lost.
                args.extend(["-movflags", "+use_metadata_tags"].map(String::from));
            }
            args.push("-y".to_string());
        }
        Destination::Segments { period, .. } => {
            let seconds = period.as_secs().max(1);
            args.extend([
                // A keyframe where each file starts, so every file begins with a picture and the period holds.
                "-force_key_frames".to_string(),
                format!("expr:gte(t,n_forced*{seconds})"),
                "-f".into(),
                "segment".into(),
                "-segment_time".into(),
                seconds.to_string(),
                "-segment_format".into(),
                "matroska".into(),
                "-reset_timestamps".into(),
                "1".into(),
                "-strftime".into(),
                "1".into(),
            ]);
        }
    }
    args.push(destination.ffmpeg_target());
    args
}

/// The last lines ffmpeg wrote to stderr, for error messages.
#[derive(Default)]
struct StderrTail {
    lines: VecDeque<String>,
    /// ffmpeg said something it does not recover from (its output is gone); see [`is_fatal`].
    fatal: bool,
}

/// ffmpeg's words for an output it has lost: after one of these it exits, or (ffmpeg 5, now and then) hangs on its
/// way out, which the watchdog then ends at once instead of waiting out its limit.
fn is_fatal(line: &str) -> bool {
    [
        "Broken pipe",
        "Connection reset",
        "Error writing trailer",
        "Conversion failed",
        "Failed to open segment",
        "No space left on device",
        "Input/output error",
    ]
    .iter()
    .any(|words| line.contains(words))
}

/// A running ffmpeg fed frame by frame. Dropping it without [`Encoder::finish`] kills ffmpeg.
pub struct Encoder {
    destination: Destination,
    /// Shared with the stall watchdog, which may kill it.
    child: Arc<Mutex<Child>>,
    video: Option<ChildStdin>,
    /// To the audio writer thread; dropping it ends the audio track.
    audio: Option<mpsc::Sender<Vec<i16>>>,
    audio_thread: Option<JoinHandle<std::io::Result<()>>>,
    stderr: Arc<Mutex<StderrTail>>,
    stderr_thread: Option<JoinHandle<()>>,
    fps: u32,
    frames: u64,
    /// When the first frame went out (pacing counts from there).
    started: Option<Instant>,
    /// Whether [`Encoder::write_frame`] waits until a frame is due (streams from `render`); the live show paces
    /// frames itself.
    paced: bool,
    warned_slow: bool,
    /// Kills an ffmpeg that stops taking frames, when set ([`Encoder::stall_limit`]).
    watchdog: Option<Watchdog>,
}

/// Watches the writes to ffmpeg: one that blocks longer than the limit means ffmpeg hangs (ffmpeg 5 can hang on its
/// way out after losing its output, waiting for its input threads), and the watchdog kills it, so the write fails
/// and the caller can start it again.
struct Watchdog {
    state: Arc<WatchState>,
    thread: Option<JoinHandle<()>>,
}

/// How long a write may block after ffmpeg said its output is gone before the watchdog ends it.
const FATAL_GRACE: Duration = Duration::from_secs(1);

struct WatchState {
    epoch: Instant,
    /// Milliseconds after `epoch` (plus one) when the write in progress began; 0 when none is.
    busy_since: std::sync::atomic::AtomicU64,
    stop: std::sync::atomic::AtomicBool,
    killed: std::sync::atomic::AtomicBool,
}

impl Watchdog {
    fn start(child: Arc<Mutex<Child>>, said: Arc<Mutex<StderrTail>>, limit: Duration) -> Watchdog {
        use std::sync::atomic::Ordering::Relaxed;
        let state = Arc::new(WatchState {
            epoch: Instant::now(),
            busy_since: Default::default(),
            stop: Default::default(),
            killed: Default::default(),
        });
        let watched = state.clone();
        let thread = std::thread::spawn(move || {
            while !watched.stop.load(Relaxed) {
                std::thread::sleep(Duration::from_millis(100));
                let since = watched.busy_since.load(Relaxed);
                let now = watched.epoch.elapsed().as_millis() as u64 + 1;
                let blocked = if since == 0 { 0 } else { now.saturating_sub(since) };
                let lost = said.lock().is_ok_and(|said| said.fatal);
                if blocked > limit.as_millis() as u64 || (lost && blocked > FATAL_GRACE.as_millis() as u64) {
                    watched.killed.store(true, Relaxed);
                    if let Ok(mut child) = child.lock() {
                        let _ = child.kill();
                    }
                    break;
                }
            }
        });
        Watchdog { state, thread: Some(thread) }
    }

    fn busy(&self, busy: bool) {
        let at = if busy { self.state.epoch.elapsed().as_millis() as u64 + 1 } else { 0 };
        self.state.busy_since.store(at, std::sync::atomic::Ordering::Relaxed);
    }

    fn killed(&self) -> bool {
        self.state.killed.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.state.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Encoder {
    /// Starts ffmpeg for frames of `width` x `height` at `fps`, writing `marking` into the output's metadata.
    pub fn start(destination: Destination, width: u32, height: u32, fps: u32, marking: &Marking) -> Result<Encoder> {
        Self::start_with("ffmpeg", destination, width, height, fps, marking)
    }

    /// Frames are written as they come: the caller paces them (the live show's frame clock).
    pub fn unpaced(mut self) -> Encoder {
        self.paced = false;
        self
    }

    /// An ffmpeg that takes no frame for `limit` is killed, so a hung encoder fails instead of blocking forever;
    /// one that said its output is gone and takes no frame for a second is killed then.
    pub fn stall_limit(mut self, limit: Duration) -> Encoder {
        self.watchdog = Some(Watchdog::start(self.child.clone(), self.stderr.clone(), limit));
        self
    }

    /// Frames written so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    #[cfg(not(unix))]
    fn start_with(
        _program: &str,
        _destination: Destination,
        _width: u32,
        _height: u32,
        _fps: u32,
        _marking: &Marking,
    ) -> Result<Encoder> {
        Err(OutputError::Unsupported)
    }

    #[cfg(unix)]
    fn start_with(
        program: &str,
        destination: Destination,
        width: u32,
        height: u32,
        fps: u32,
        marking: &Marking,
    ) -> Result<Encoder> {
        use std::os::unix::process::CommandExt;
        let (ffmpeg_end, our_end) = std::io::pipe().map_err(OutputError::Start)?;
        let mut command = Command::new(program);
        command
            .args(ffmpeg_args(&destination, width, height, fps, marking))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            // Its own process group: Ctrl-C in a terminal reaches shopcast alone, which then ends the stream
            // cleanly (stdin closed, trailer written) instead of ffmpeg dying mid-frame.
            .process_group(0);
        fd3::pass_as_fd3(&mut command, &ffmpeg_end);
        let mut child = match command.spawn() {
            Ok(child) => child,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(OutputError::NotInstalled),
            Err(e) => return Err(OutputError::Start(e)),
        };
        // The read end now lives in ffmpeg alone, so a dead ffmpeg turns our writes into errors, not a hang.
        drop(ffmpeg_end);
        let video = child.stdin.take();
        let stderr = Arc::new(Mutex::new(StderrTail::default()));
        let stderr_thread = child.stderr.take().map(|pipe| {
            let tail = stderr.clone();
            let secret = destination.secret().map(str::to_string);
            std::thread::spawn(move || keep_tail(pipe, &tail, secret.as_deref()))
        });
        let (audio, chunks) = mpsc::channel::<Vec<i16>>();
        // A thread of its own: ffmpeg reads its two inputs at its own pace (probing the video first), and a
        // single writer alternating between the pipes could block on one while ffmpeg waits on the other.
        let audio_thread = std::thread::spawn(move || write_audio(our_end, chunks));
        let paced = destination.paced();
        Ok(Encoder {
            paced,
            destination,
            child: Arc::new(Mutex::new(child)),
            video,
            audio: Some(audio),
            audio_thread: Some(audio_thread),
            stderr,
            stderr_thread,
            fps: fps.max(1),
            frames: 0,
            started: None,
            warned_slow: false,
            watchdog: None,
        })
    }

    /// Sends one frame (RGBA, rows top to bottom) and the audio that plays during it. When streaming, waits until
    /// the frame is due, so the stream runs at real time.
    pub fn write_frame(&mut self, rgba: &[u8], pcm: Vec<i16>) -> Result<()> {
        if self.paced {
            self.pace();
        }
        let video = self.video.as_mut().ok_or(OutputError::Closed)?;
        if let Some(watchdog) = &self.watchdog {
            watchdog.busy(true);
        }
        let written = video.write_all(rgba);
        if let Some(watchdog) = &self.watchdog {
            watchdog.busy(false);
        }
        if let Err(e) = written {
            let what = match &self.watchdog {
                Some(watchdog) if watchdog.killed() => {
                    "ffmpeg took no more frames and was stopped (it hung, usually after losing its output)".to_string()
                }
                _ => format!("ffmpeg stopped taking frames ({e})"),
            };
            return Err(self.failure(&what));
        }
        if let Some(audio) = &self.audio
            && audio.send(pcm).is_err()
        {
            return Err(self.failure("ffmpeg stopped taking audio"));
        }
        self.frames += 1;
        Ok(())
    }

    fn pace(&mut self) {
        let now = Instant::now();
        let started = *self.started.get_or_insert(now);
        let due = started + Duration::from_secs_f64(self.frames as f64 / f64::from(self.fps));
        if due > now {
            std::thread::sleep(due - now);
        } else if now - due > Duration::from_secs(2) && !self.warned_slow {
            self.warned_slow = true;
            let rate = self.frames as f64 / (now - started).as_secs_f64().max(1e-3);
            tracing::warn!(
                "the renderer is slower than real time ({rate:.1} of {} frames/s); the stream will stutter: \
                 lower --size or --fps, or render on a GPU",
                self.fps
            );
        }
    }

    /// Ends the stream: both inputs closed, ffmpeg waited for, its exit status checked.
    pub fn finish(mut self) -> Result<()> {
        drop(self.video.take());
        drop(self.audio.take());
        let audio = self.audio_thread.take().map(JoinHandle::join);
        let status = self.wait(FINISH_TIMEOUT);
        match status {
            Some(status) if status.success() => {}
            Some(status) => {
                return Err(self.error(&format!("ffmpeg failed with {status} after {} frame(s)", self.frames)));
            }
            None => {
                return Err(self.error(&format!(
                    "ffmpeg did not finish within {} s after the last frame",
                    FINISH_TIMEOUT.as_secs()
                )));
            }
        }
        match audio {
            Some(Ok(Err(e))) => Err(self.error(&format!("ffmpeg stopped taking audio ({e})"))),
            Some(Err(_)) => Err(self.error("the audio writer thread panicked")),
            _ => Ok(()),
        }
    }

    /// The error after a failed write: ffmpeg has usually exited by then, and its own words say why.
    fn failure(&mut self, what: &str) -> OutputError {
        drop(self.video.take());
        drop(self.audio.take());
        let status = self.wait(Duration::from_secs(5));
        let what = match status {
            Some(status) => format!("{what}; it exited with {status}"),
            None => what.to_string(),
        };
        self.error(&what)
    }

    /// Waits up to `limit` for ffmpeg to exit (killing it after that) and for its stderr to be read to the end.
    fn wait(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        let status = loop {
            let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() < deadline => {
                    drop(child);
                    std::thread::sleep(Duration::from_millis(20))
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        if let Some(thread) = self.stderr_thread.take() {
            let _ = thread.join();
        }
        status
    }

    fn error(&self, what: &str) -> OutputError {
        let tail =
            self.stderr.lock().map(|t| t.lines.iter().cloned().collect::<Vec<_>>().join("\n")).unwrap_or_default();
        let said = if tail.trim().is_empty() { "ffmpeg printed nothing".to_string() } else { tail };
        let hint = match self.destination {
            Destination::Rtmp { .. } => {
                "Check that the server accepts the stream and that ffmpeg has libx264 (ffmpeg -encoders | grep libx264)."
            }
            Destination::File(_) | Destination::Segments { .. } => {
                "Check that the folder exists, is writable and has free space, and that ffmpeg has libx264 \
                 (ffmpeg -encoders | grep libx264)."
            }
        };
        OutputError::Ffmpeg { what: what.to_string(), destination: self.destination.describe(), hint, said }
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        let mut child = self.child.lock().unwrap_or_else(|p| p.into_inner());
        if matches!(child.try_wait(), Ok(None)) {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Handing ffmpeg the audio pipe as its fd 3: the one place in this file that needs unsafe code.
#[cfg(unix)]
mod fd3 {
    #![allow(unsafe_code, reason = "fcntl and dup2 between fork and exec hand ffmpeg its audio pipe as fd 3")]

    use std::os::fd::{AsRawFd, RawFd};
    use std::os::unix::process::CommandExt;

    /// Makes `pipe` (the read end of the audio pipe) the child's fd 3 when `command` is spawned.
    pub(super) fn pass_as_fd3(command: &mut std::process::Command, pipe: &std::io::PipeReader) {
        let fd = pipe.as_raw_fd();
        // SAFETY: the closure runs in the forked child before exec and calls only dup2 and fcntl, which are
        // async-signal-safe; it touches no memory of the parent. The caller keeps `pipe` open until the spawn.
        unsafe {
            command.pre_exec(move || in_child(fd));
        }
    }

    /// In the forked child: makes the audio pipe's read end fd 3, open across exec.
    fn in_child(fd: RawFd) -> std::io::Result<()> {
        // SAFETY: plain system calls on descriptors this process owns.
        unsafe {
            if fd == 3 {
                // Already in place; only the close-on-exec flag must go.
                let flags = libc::fcntl(fd, libc::F_GETFD);
                if flags == -1 || libc::fcntl(fd, libc::F_SETFD, flags & !libc::FD_CLOEXEC) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
            } else if libc::dup2(fd, 3) == -1 {
                return Err(std::io::Error::last_os_error());
            }
        }
        Ok(())
    }
}

#[cfg(unix)]
fn write_audio(mut pipe: std::io::PipeWriter, chunks: mpsc::Receiver<Vec<i16>>) -> std::io::Result<()> {
    let mut bytes = Vec::new();
    for chunk in chunks {
        bytes.clear();
        bytes.extend(chunk.iter().flat_map(|s| s.to_le_bytes()));
        pipe.write_all(&bytes)?;
    }
    Ok(())
}

fn keep_tail(mut pipe: impl Read, tail: &Mutex<StderrTail>, secret: Option<&str>) {
    let mut buf = [0u8; 4096];
    let mut pending = String::new();
    let push = |line: &str| {
        let line = match secret {
            Some(secret) => line.replace(secret, "<SHOPCAST_STREAM_KEY>"),
            None => line.to_string(),
        };
        if line.trim().is_empty() {
            return;
        }
        if let Ok(mut tail) = tail.lock() {
            tail.fatal |= is_fatal(&line);
            if tail.lines.len() == STDERR_TAIL_LINES {
                tail.lines.pop_front();
            }
            tail.lines.push_back(line);
        }
    };
    loop {
        match pipe.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                pending.push_str(&String::from_utf8_lossy(&buf[..n]));
                while let Some(end) = pending.find(['\n', '\r']) {
                    let line: String = pending.drain(..=end).collect();
                    push(line.trim_end());
                }
            }
        }
    }
    push(pending.trim_end());
}

/// The host's voice as one mono track at [`AUDIO_RATE`]: each line's clip starts where its line starts, a new line
/// cuts the one before (one voice, as on the stage), and silence fills the gaps. Lines are placed ahead of the
/// samples handed out (frames reach ffmpeg a few frames after their commands), so a cut clip keeps playing up to its
/// cut.
#[derive(Default)]
pub struct Mixer {
    clips: Vec<Placed>,
    /// Samples handed out so far.
    written: u64,
}

struct Placed {
    line: LineId,
    /// Track sample where the clip starts.
    start: u64,
    /// Track sample where it ends: its natural end, or where it was cut.
    end: u64,
    clip: AudioClip,
}

impl Placed {
    fn new(line: LineId, start: u64, clip: AudioClip) -> Placed {
        let length = (clip.samples.len() as u64 * u64::from(AUDIO_RATE)).div_ceil(u64::from(clip.sample_rate.max(1)));
        Placed { line, start, end: if clip.sample_rate == 0 { start } else { start + length }, clip }
    }

    /// The clip's sample at track position `at`, resampled linearly to the track's rate.
    fn sample(&self, at: u64) -> i16 {
        if at < self.start || at >= self.end {
            return 0;
        }
        let pos = (at - self.start) as f64 * f64::from(self.clip.sample_rate) / f64::from(AUDIO_RATE);
        let i = pos.floor() as usize;
        let samples = &self.clip.samples;
        let Some(&a) = samples.get(i) else { return 0 };
        let b = samples.get(i + 1).copied().unwrap_or(a);
        let f = pos - i as f64;
        (f64::from(a) + (f64::from(b) - f64::from(a)) * f).round() as i16
    }
}

impl Mixer {
    /// The track sample where frame `index` starts at `fps`.
    pub fn frame_start(index: u64, fps: u32) -> u64 {
        index * u64::from(AUDIO_RATE) / u64::from(fps.max(1))
    }

    /// A line goes on air at track sample `at`, with or without a voice; either way the voice before it stops.
    pub fn play(&mut self, line: LineId, at: u64, audio: Option<AudioClip>) {
        let at = at.max(self.written);
        for clip in &mut self.clips {
            clip.end = clip.end.min(at.max(clip.start));
        }
        if let Some(clip) = audio {
            self.clips.push(Placed::new(line, at, clip));
        }
    }

    /// Applies a stage command the stage applies at track sample `at`: lines start (with or without a voice) and
    /// stop; everything else is silent.
    pub fn hear(&mut self, command: &StageCommand, at: u64) {
        match command {
            StageCommand::PlayLine { line, audio, .. } => self.play(*line, at, audio.clone()),
            StageCommand::StopLine { line } => self.stop(*line, at),
            _ => {}
        }
    }

    /// A line was stopped (a moderator abort) at track sample `at`.
    pub fn stop(&mut self, line: LineId, at: u64) {
        let at = at.max(self.written);
        for clip in self.clips.iter_mut().filter(|c| c.line == line) {
            clip.end = clip.end.min(at.max(clip.start));
        }
    }

    /// The track from where the last call ended up to sample `until`.
    pub fn take_until(&mut self, until: u64) -> Vec<i16> {
        let from = self.written;
        let until = until.max(from);
        let out = (from..until)
            .map(|at| {
                let sum: i32 = self.clips.iter().map(|c| i32::from(c.sample(at))).sum();
                sum.clamp(i32::from(i16::MIN), i32::from(i16::MAX)) as i16
            })
            .collect();
        self.written = until;
        self.clips.retain(|c| c.end > until);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(rate: u32, samples: &[i16]) -> AudioClip {
        AudioClip { sample_rate: rate, samples: samples.into() }
    }

    #[test]
    fn a_clip_starts_at_its_line_and_silence_fills_the_rest() {
        let mut mixer = Mixer::default();
        mixer.play(LineId(1), 3, Some(clip(AUDIO_RATE, &[100, 200, 300])));
        assert_eq!(mixer.take_until(4), [0, 0, 0, 100]);
        assert_eq!(mixer.take_until(8), [200, 300, 0, 0]);
        assert_eq!(mixer.take_until(8), Vec::<i16>::new());
    }

    #[test]
    fn clips_at_another_rate_are_resampled_to_the_track() {
        let mut mixer = Mixer::default();
        // 24 kHz: every source sample spans two track samples, interpolated halfway between neighbours.
        mixer.play(LineId(1), 0, Some(clip(24_000, &[0, 1000, 2000])));
        assert_eq!(mixer.take_until(6), [0, 500, 1000, 1500, 2000, 2000]);
        assert_eq!(mixer.take_until(8), [0, 0]);
    }

    #[test]
    fn a_new_line_or_a_stop_cuts_the_voice() {
        let mut mixer = Mixer::default();
        mixer.play(LineId(1), 0, Some(clip(AUDIO_RATE, &[7; 10])));
        mixer.stop(LineId(2), 2); // Another line's stop changes nothing.
        mixer.play(LineId(2), 3, None);
        assert_eq!(mixer.take_until(5), [7, 7, 7, 0, 0]);
        mixer.play(LineId(3), 5, Some(clip(AUDIO_RATE, &[9; 10])));
        mixer.stop(LineId(3), 7);
        assert_eq!(mixer.take_until(9), [9, 9, 0, 0]);
    }

    #[test]
    fn stage_commands_place_and_cut_the_voice() {
        let line = |id, audio: Option<AudioClip>| StageCommand::PlayLine {
            line: LineId(id),
            text: "Hello".into(),
            lang: model::Lang::En,
            duration_ms: 1000,
            visemes: Vec::new(),
            audio,
        };
        let mut mixer = Mixer::default();
        mixer.hear(&line(1, Some(clip(AUDIO_RATE, &[4; 6]))), 1);
        mixer.hear(&StageCommand::ClearComment, 2);
        mixer.hear(&StageCommand::StopLine { line: LineId(1) }, 4);
        assert_eq!(mixer.take_until(6), [0, 4, 4, 4, 0, 0]);
        mixer.hear(&line(2, Some(clip(AUDIO_RATE, &[8; 6]))), 6);
        mixer.hear(&line(3, None), 8);
        assert_eq!(mixer.take_until(10), [8, 8, 0, 0]);
    }

    #[test]
    fn overlapping_clips_are_summed_without_wrapping() {
        let mut mixer = Mixer::default();
        mixer.clips.push(Placed::new(LineId(1), 0, clip(AUDIO_RATE, &[30_000, -30_000, 5])));
        mixer.clips.push(Placed::new(LineId(2), 0, clip(AUDIO_RATE, &[30_000, -30_000, 5])));
        assert_eq!(mixer.take_until(3), [i16::MAX, i16::MIN, 10]);
        assert!(mixer.clips.is_empty(), "finished clips are dropped");
    }

    #[test]
    fn a_line_placed_in_the_past_starts_now() {
        let mut mixer = Mixer::default();
        assert_eq!(mixer.take_until(4).len(), 4);
        mixer.play(LineId(1), 1, Some(clip(AUDIO_RATE, &[5, 6])));
        assert_eq!(mixer.take_until(7), [5, 6, 0]);
    }

    #[test]
    fn frames_cover_the_track_without_gaps() {
        // 30 frames/s does not divide 48 kHz evenly into whole frames of equal length; the total must still add up.
        let total: u64 = (0..30).map(|i| Mixer::frame_start(i + 1, 30) - Mixer::frame_start(i, 30)).sum();
        assert_eq!(total, u64::from(AUDIO_RATE));
        assert_eq!(Mixer::frame_start(7, 7), u64::from(AUDIO_RATE));
    }

    #[test]
    fn rtmp_urls_are_checked_and_keys_stay_out_of_messages() {
        assert!(Destination::rtmp("http://x/live", None).is_err());
        assert!(Destination::rtmp("rtmp:///live", None).is_err());
        let d = Destination::rtmp("rtmp://a.example/live2/", Some("sk-123".into())).unwrap();
        assert_eq!(d.ffmpeg_target(), "rtmp://a.example/live2/sk-123");
        assert!(!d.describe().contains("sk-123"));
        assert!(Destination::rtmp("rtmp://a.example/live2", Some("a/b".into())).is_err());
        let args = ffmpeg_args(&d, 640, 360, 10, &Marking::new("show-1"));
        assert!(args.windows(2).any(|w| w == ["-f", "flv"]));
        assert!(args.windows(2).any(|w| w == ["-s", "640x360"]));
    }

    #[test]
    fn every_output_carries_the_ai_marking_and_its_containers_options() {
        let marking = Marking::new("show-42");
        let metadata = |args: &[String]| -> Vec<String> {
            args.windows(2).filter(|w| w[0] == "-metadata").map(|w| w[1].clone()).collect()
        };
        let rtmp = ffmpeg_args(&Destination::rtmp("rtmp://h/live/k", None).unwrap(), 64, 36, 10, &marking);
        let mp4 = ffmpeg_args(&Destination::File("a/show.MP4".into()), 64, 36, 10, &marking);
        let mkv = ffmpeg_args(&Destination::File("show.mkv".into()), 64, 36, 10, &marking);
        let record = ffmpeg_args(
            &Destination::Segments { dir: "rec".into(), period: Duration::from_secs(5) },
            64,
            36,
            10,
            &marking,
        );
        for args in [&rtmp, &mp4, &mkv, &record] {
            let tags = metadata(args);
            assert!(tags.iter().any(|t| t.starts_with("comment=AI-generated")), "{tags:?}");
            assert!(tags.iter().any(|t| t.starts_with("description=")), "{tags:?}");
            assert!(tags.iter().any(|t| t.starts_with("aigc=") && t.contains("\"ProduceID\":\"show-42\"")), "{tags:?}");
            // Output options come after the inputs and before the output, which is last.
            let metadata_at = args.iter().position(|a| a == "-metadata").unwrap();
            assert!(metadata_at > args.iter().rposition(|a| a == "-i").unwrap(), "{args:?}");
            assert!(!args.last().unwrap().starts_with('-'), "{args:?}");
        }
        assert!(rtmp.windows(2).any(|w| w == ["-rw_timeout", "5000000"]));
        assert!(mp4.windows(2).any(|w| w == ["-movflags", "+use_metadata_tags"]), "MP4 keeps custom tags");
        assert!(!mkv.iter().any(|a| a == "-movflags"));
        assert!(record.windows(2).any(|w| w == ["-f", "segment"]));
        assert!(record.windows(2).any(|w| w == ["-segment_time", "5"]));
        assert!(record.windows(2).any(|w| w == ["-segment_format", "matroska"]));
        assert!(record.windows(2).any(|w| w == ["-force_key_frames", "expr:gte(t,n_forced*5)"]));
        assert_eq!(record.last().unwrap(), "rec/shopcast-%Y%m%d-%H%M%S.mkv");
    }

    /// The whole audio path through a real ffmpeg: a half-second tone placed at 0.5 s comes back out of the encoded
    /// file at 0.5 s, and only there.
    #[test]
    #[cfg(unix)]
    #[ignore = "needs ffmpeg (see .ci/run for the packages)"]
    fn a_voice_clip_is_heard_in_the_encoded_file_where_its_line_starts() {
        let ffmpeg = Command::new("ffmpeg").arg("-version").output().is_ok_and(|o| o.status.success());
        testkit::need("ffmpeg (package ffmpeg)", ffmpeg);
        let dir = std::env::temp_dir().join(format!("shopcast-stream-voice-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("voice.mp4");
        let fps = 10;
        let mut encoder = Encoder::start(Destination::File(file.clone()), 64, 36, fps, &Marking::new("t")).unwrap();
        let mut mixer = Mixer::default();
        // espeak-ng's rate: the mixer must resample it.
        let tone: Vec<i16> = (0..11_025)
            .map(|i| ((i as f64 * 440.0 * std::f64::consts::TAU / 22_050.0).sin() * 12_000.0) as i16)
            .collect();
        let black = vec![0u8; 64 * 36 * 4];
        for frame in 0..20u64 {
            if frame == 5 {
                mixer.play(LineId(1), Mixer::frame_start(frame, fps), Some(clip(22_050, &tone)));
            }
            encoder.write_frame(&black, mixer.take_until(Mixer::frame_start(frame + 1, fps))).unwrap();
        }
        encoder.finish().unwrap();

        let decoded = Command::new("ffmpeg")
            .args(["-v", "error", "-nostdin", "-i"])
            .arg(&file)
            .args(["-map", "0:a", "-ac", "1", "-ar", "48000", "-f", "s16le", "-"])
            .output()
            .unwrap();
        assert!(decoded.status.success(), "{}", String::from_utf8_lossy(&decoded.stderr));
        let samples: Vec<i16> = decoded.stdout.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
        let loud: Vec<usize> =
            samples.iter().enumerate().filter(|(_, s)| s.unsigned_abs() > 3000).map(|(i, _)| i).collect();
        let seconds = |i: usize| i as f64 / f64::from(AUDIO_RATE);
        let (first, last) = (seconds(loud[0]), seconds(*loud.last().unwrap()));
        assert!((first - 0.5).abs() < 0.03, "the tone starts at {first:.3} s instead of 0.5 s");
        assert!((last - 1.0).abs() < 0.03, "the tone ends at {last:.3} s instead of 1.0 s");
        assert!((seconds(samples.len()) - 2.0).abs() < 0.05, "{:.3} s of audio instead of 2", seconds(samples.len()));
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An ffmpeg that hangs (alive, reading nothing) is killed by the watchdog, so the write fails instead of
    /// blocking the output for ever.
    #[test]
    #[cfg(unix)]
    fn a_hung_encoder_is_killed_and_the_write_fails() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("shopcast-hung-ffmpeg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let program = dir.join("ffmpeg");
        std::fs::write(&program, "#!/bin/sh\nexec sleep 30\n").unwrap();
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
        let destination = Destination::rtmp("rtmp://127.0.0.1/live/x", None).unwrap();
        let mut encoder = Encoder::start_with(program.to_str().unwrap(), destination, 640, 360, 10, &Marking::new("t"))
            .unwrap()
            .unpaced()
            .stall_limit(Duration::from_millis(300));
        let started = Instant::now();
        // A frame larger than a pipe's buffer: the write blocks until someone reads it, and nobody does.
        let error = encoder.write_frame(&vec![0; 640 * 360 * 4], Vec::new()).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10), "the write blocked for {:?}", started.elapsed());
        assert!(error.to_string().contains("took no more frames"), "{error}");
        assert!(error.is_retryable(), "a hung stream is started again");

        // One that said its output is gone is not waited for until the limit.
        std::fs::write(&program, "#!/bin/sh\necho 'av_interleaved_write_frame(): Broken pipe' >&2\nexec sleep 30\n")
            .unwrap();
        let destination = Destination::rtmp("rtmp://127.0.0.1/live/x", None).unwrap();
        let mut encoder = Encoder::start_with(program.to_str().unwrap(), destination, 640, 360, 10, &Marking::new("t"))
            .unwrap()
            .unpaced()
            .stall_limit(Duration::from_secs(60));
        let started = Instant::now();
        let error = encoder.write_frame(&vec![0; 640 * 360 * 4], Vec::new()).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(10), "the write blocked for {:?}", started.elapsed());
        assert!(error.to_string().contains("Broken pipe"), "ffmpeg's own words are kept: {error}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    #[cfg(unix)]
    fn a_missing_ffmpeg_is_named_with_what_to_install() {
        let marking = Marking::new("t");
        let error = Encoder::start_with("/nonexistent/ffmpeg", Destination::File("x.mp4".into()), 64, 36, 10, &marking)
            .err()
            .expect("no such program");
        let text = format!("{error:#}");
        assert!(text.contains("ffmpeg") && text.contains("apt-get install ffmpeg"), "{text}");
    }
}
