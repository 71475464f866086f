//! The live show's output (`shopcast run --headless --rtmp/--video/--record/--out -`): the stage's frames, read
//! back as they are rendered, go out on a real-time frame clock with the host's voice mixed on the same clock, to
//! every destination at once.
//!
//! Threads, none of them on the async runtime or the Bevy thread:
//! - the stage hands each read-back frame, numbered by its live clock, to [`FrameIn::push`] (never blocks Bevy);
//! - the clock thread ticks at the stream's rate, [`stream_delay`] behind the stage's clock ([`Pacer`]): each tick
//!   takes its own frame (or repeats the last when it is not there in time), places the stage commands heard since
//!   the last tick in the [`Mixer`], cuts the tick's audio and hands frame and audio to every destination's queue;
//! - one worker per destination owns its ffmpeg ([`Encoder`]): a stream whose ingest refuses or drops it is started
//!   again with backoff ([`Restarts`]) and reported as reconnecting; a file or recording that fails stops alone.
//!
//! One ffmpeg per destination rather than one ffmpeg with the tee muxer: tee cannot reconnect one of its outputs
//! (with `onfail=ignore` a failed one is gone for the rest of the run), and restarting a shared ffmpeg would cut
//! every platform and the recording whenever one ingest fails. The cost is one H.264 encode per destination.

use super::pacing::{Pacer, Slot};
use super::restart::{AfterFailure, Restarts, default_backoff};
use super::{AUDIO_RATE, Destination, Encoder, Marking, Mixer, OutputError};
use crate::backoff::Jitter;
use crate::console::Metrics;
use model::StageCommand;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// One place the live show goes.
#[derive(Debug, Clone)]
pub enum Sink {
    /// Through ffmpeg: an RTMP stream, a video file or the segmented recording.
    Ffmpeg(Destination),
    /// Raw RGBA frames on stdout (no audio), for piping into another program.
    RawStdout,
}

/// What the live output sends, and where.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub sinks: Vec<Sink>,
    pub marking: Marking,
}

impl LiveConfig {
    /// Each sink's name on the console's health panel and in /healthz: `output` for the stream (`output 1`,
    /// `output 2` ... with several), `video`, `recording`, `stdout`.
    pub fn names(&self) -> Vec<String> {
        let streams = self.sinks.iter().filter(|s| matches!(s, Sink::Ffmpeg(Destination::Rtmp { .. }))).count();
        let mut n = 0;
        self.sinks
            .iter()
            .map(|sink| match sink {
                Sink::Ffmpeg(Destination::Rtmp { .. }) if streams == 1 => "output".to_string(),
                Sink::Ffmpeg(Destination::Rtmp { .. }) => {
                    n += 1;
                    format!("output {n}")
                }
                Sink::Ffmpeg(Destination::File(_)) => "video".to_string(),
                Sink::Ffmpeg(Destination::Segments { .. }) => "recording".to_string(),
                Sink::RawStdout => "stdout".to_string(),
            })
            .collect()
    }

    /// The ffmpeg command line of each sink (`None` for raw stdout): one ffmpeg per destination.
    pub fn ffmpeg_commands(&self) -> Vec<Option<Vec<String>>> {
        self.sinks
            .iter()
            .map(|sink| match sink {
                Sink::Ffmpeg(d) => Some(super::ffmpeg_args(d, self.width, self.height, self.fps, &self.marking)),
                Sink::RawStdout => None,
            })
            .collect()
    }
}

/// The RTMP destinations for `urls`, with their stream keys from the environment: `SHOPCAST_STREAM_KEY` for a
/// single stream, `SHOPCAST_STREAM_KEY_1`, `_2` ... (in the order given) for several. A key is appended to its URL
/// as the last path segment and never printed.
pub fn rtmp_destinations(
    urls: &[String],
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Destination>, OutputError> {
    let keys: Vec<Option<String>> = if urls.len() <= 1 {
        vec![env("SHOPCAST_STREAM_KEY")]
    } else if env("SHOPCAST_STREAM_KEY").is_some() {
        return Err(OutputError::Destination(format!(
            "SHOPCAST_STREAM_KEY is set but there are {} RTMP destinations: give each its own key as \
             SHOPCAST_STREAM_KEY_1 ... SHOPCAST_STREAM_KEY_{} (in the order of --rtmp or [output] rtmp), or put \
             the keys in the URLs",
            urls.len(),
            urls.len()
        )));
    } else {
        (1..=urls.len()).map(|i| env(&format!("SHOPCAST_STREAM_KEY_{i}"))).collect()
    };
    urls.iter().zip(keys).map(|(url, key)| Destination::rtmp(url, key)).collect()
}

/// One output's state, for the console's health panel and /healthz (as a source's health).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub source: String,
    pub healthy: bool,
    pub detail: String,
}

/// Where the outputs report their health.
pub type Report = Arc<dyn Fn(Health) + Send + Sync>;

/// How long after the instant it pictures a frame goes out, at `fps` frames a second. The stage hands a frame over
/// two to four frame periods after its instant (the update, the render on a busy software rasteriser, the copy
/// back, mapped during a later update's render); the rest is room for the frames that take longer. 200 ms, or four
/// frame periods below 20 frames/s. At 30 frames/s two to four frames wait here (up to 33 MB at 1920x1080).
pub fn stream_delay(fps: u32) -> Duration {
    Duration::from_millis(200).max(Duration::from_secs_f64(4.0 / f64::from(fps.max(1))))
}

/// Frames handed over by the stage since the clock last took them.
#[derive(Default)]
struct Inbox {
    frames: BTreeMap<u64, Arc<Vec<u8>>>,
    /// The first frame to arrive: its number, the instant it pictures, and when it arrived.
    first: Option<(u64, Instant, Instant)>,
    /// How long after their instant frames arrived.
    lateness: Lateness,
}

/// How long after their instant frames arrived here, counted in 10 ms steps up to a second.
#[derive(Debug, Clone)]
pub struct Lateness {
    pub counts: [u64; 100],
    pub max: Duration,
}

impl Default for Lateness {
    fn default() -> Lateness {
        Lateness { counts: [0; 100], max: Duration::ZERO }
    }
}

impl Lateness {
    fn add(&mut self, late: Duration) {
        let step = (late.as_millis() / 10).min(99) as usize;
        self.counts[step] += 1;
        self.max = self.max.max(late);
    }

    /// Frames counted.
    pub fn frames(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The lateness that `share` (0 to 1) of the frames kept to, to the 10 ms step above.
    pub fn quantile(&self, share: f64) -> Duration {
        let wanted = (self.frames() as f64 * share).ceil() as u64;
        let mut seen = 0;
        for (step, count) in self.counts.iter().enumerate() {
            seen += count;
            if seen >= wanted.max(1) {
                return Duration::from_millis((step as u64 + 1) * 10);
            }
        }
        self.max
    }
}

struct Shared {
    inbox: Mutex<Inbox>,
    wake: Condvar,
    stop: AtomicBool,
    frame_bytes: usize,
    warned_size: AtomicBool,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inbox> {
        self.inbox.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Where the stage hands its frames. Cheap to clone; never blocks.
#[derive(Clone)]
pub struct FrameIn(Arc<Shared>);

impl FrameIn {
    /// Frame `index` of the stage's live clock (RGBA, rows top to bottom), picturing the show at `shows`.
    pub fn push(&self, index: u64, shows: Instant, rgba: Vec<u8>) {
        if rgba.len() != self.0.frame_bytes {
            if !self.0.warned_size.swap(true, Ordering::Relaxed) {
                tracing::error!(
                    "the renderer returned a frame of {} bytes, not {}; dropped",
                    rgba.len(),
                    self.0.frame_bytes
                );
            }
            return;
        }
        let now = Instant::now();
        let mut inbox = self.0.lock();
        inbox.first.get_or_insert((index, shows, now));
        inbox.lateness.add(now.saturating_duration_since(shows));
        inbox.frames.insert(index, Arc::new(rgba));
        // Only a clock thread gone still lets this fill up; the oldest frames would never be sent anyway.
        while inbox.frames.len() > Pacer::MOST_HELD {
            inbox.frames.pop_first();
        }
        drop(inbox);
        self.0.wake.notify_all();
    }

    /// How late frames arrived so far, after the instant they picture.
    pub fn lateness(&self) -> Lateness {
        self.0.lock().lateness.clone()
    }
}

/// A frame and the audio that plays during it, as every destination gets it.
type Item = (Arc<Vec<u8>>, Arc<Vec<i16>>);

/// The running live output. [`LiveOutput::finish`] ends it cleanly; dropping it also stops it.
pub struct LiveOutput {
    shared: Arc<Shared>,
    clock: Option<JoinHandle<OutputReport>>,
}

/// What the live output did, from its start to its end.
#[derive(Debug, Clone, Default)]
pub struct OutputReport {
    /// Ticks of the stream's clock: frames sent to every destination.
    pub ticks: u64,
    /// Ticks that repeated the frame before (theirs was late or never drawn).
    pub repeated: u64,
    /// Frames that arrived after their tick and were never sent.
    pub dropped: u64,
    /// How long after the instant they picture frames arrived.
    pub lateness: Lateness,
    /// Per destination: ticks (frame and audio) it missed because its ffmpeg did not take them in time.
    pub lost: Vec<(String, u64)>,
}

impl LiveOutput {
    /// Checks what can be checked before the show goes on air (ffmpeg present, record folder writable), then
    /// starts the clock and one worker per sink. `commands` is a copy of the stage's commands (for the voice).
    pub fn start(
        config: LiveConfig,
        commands: broadcast::Receiver<StageCommand>,
        metrics: Metrics,
        report: Report,
    ) -> Result<LiveOutput, OutputError> {
        preflight(&config)?;
        let shared = Arc::new(Shared {
            inbox: Mutex::new(Inbox::default()),
            wake: Condvar::new(),
            stop: AtomicBool::new(false),
            frame_bytes: config.width as usize * config.height as usize * 4,
            warned_size: AtomicBool::new(false),
        });
        let mut queues = Vec::new();
        let mut workers = Vec::new();
        // Two seconds of frames per destination: frames are shared, so a queue costs little until one stalls.
        let depth = (config.fps as usize * 2).max(4);
        for (sink, name) in config.sinks.iter().cloned().zip(config.names()) {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Item>(depth);
            let worker = Worker {
                name: name.clone(),
                width: config.width,
                height: config.height,
                fps: config.fps,
                marking: config.marking.clone(),
                metrics: metrics.clone(),
                report: report.clone(),
            };
            let spawned = std::thread::Builder::new()
                .name(format!("shopcast {name}"))
                .spawn(move || worker.run(sink, rx))
                .map_err(OutputError::Start)?;
            queues.push(Queue { name, tx: Some(tx), lost: 0 });
            workers.push(spawned);
        }
        let clock = {
            let shared = shared.clone();
            let fps = config.fps;
            std::thread::Builder::new()
                .name("output clock".into())
                .spawn(move || {
                    let report = run_clock(&shared, fps, queues, commands, &metrics);
                    for worker in workers {
                        let _ = worker.join();
                    }
                    report
                })
                .map_err(OutputError::Start)?
        };
        Ok(LiveOutput { shared, clock: Some(clock) })
    }

    /// Where the stage hands its frames.
    pub fn frames(&self) -> FrameIn {
        FrameIn(self.shared.clone())
    }

    /// Ends every output cleanly: the last frames out, each ffmpeg closed and waited for (files get their
    /// trailers, streams close their connections). Says what the output did.
    pub fn finish(mut self) -> OutputReport {
        self.stop().unwrap_or_default()
    }

    fn stop(&mut self) -> Option<OutputReport> {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.wake.notify_all();
        let report = self.clock.take()?.join().ok()?;
        Some(OutputReport { lateness: self.shared.lock().lateness.clone(), ..report })
    }
}

impl Drop for LiveOutput {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

/// What can fail before the show starts fails there, with what to change.
fn preflight(config: &LiveConfig) -> Result<(), OutputError> {
    if config.width % 2 == 1 || config.height % 2 == 1 {
        return Err(OutputError::Destination(format!(
            "the stage is {}x{}: streams and video files need an even width and height (set [stage] width and \
             height)",
            config.width, config.height
        )));
    }
    for sink in &config.sinks {
        match sink {
            Sink::Ffmpeg(Destination::Segments { dir, .. }) => writable(dir, "--record DIR or [output] record")?,
            Sink::Ffmpeg(Destination::File(path)) => {
                let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
                writable(parent, "--video FILE or [output] video")?
            }
            _ => {}
        }
    }
    if config.sinks.iter().any(|s| matches!(s, Sink::Ffmpeg(_))) {
        if !cfg!(unix) {
            return Err(OutputError::Unsupported);
        }
        match std::process::Command::new("ffmpeg").arg("-version").output() {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(OutputError::NotInstalled),
            Err(e) => return Err(OutputError::Start(e)),
        }
    }
    Ok(())
}

/// Creates `dir` if need be and writes a probe file there, so an unwritable folder is named at start-up.
fn writable(dir: &std::path::Path, setting: &str) -> Result<(), OutputError> {
    let probe = dir.join(format!(".shopcast-write-test-{}", std::process::id()));
    let result = std::fs::create_dir_all(dir).and_then(|()| std::fs::write(&probe, b"x"));
    let _ = std::fs::remove_file(&probe);
    result.map_err(|e| {
        OutputError::Destination(format!(
            "cannot write to {} ({e}): make it writable, or choose another folder with {setting}",
            dir.display()
        ))
    })
}

/// A destination's queue, as the clock sees it.
struct Queue {
    name: String,
    /// `None` once the destination stopped for good.
    tx: Option<SyncSender<Item>>,
    /// Ticks this destination missed because its queue was full (its ffmpeg stalled).
    lost: u64,
}

/// An ffmpeg that takes no frame for this long is killed and, for a stream, started again: longer than ffmpeg's
/// own `-rw_timeout` (5 s), so a slow ingest fails in ffmpeg first, with its reason.
const STALL_LIMIT: Duration = Duration::from_secs(7);

/// How often the clock logs what it dropped and repeated (when it did).
const LOG_EVERY: Duration = Duration::from_secs(10);

fn run_clock(
    shared: &Shared,
    fps: u32,
    mut queues: Vec<Queue>,
    mut commands: broadcast::Receiver<StageCommand>,
    metrics: &Metrics,
) -> OutputReport {
    let mut pacer = Pacer::new(fps, stream_delay(fps));
    let mut mixer = Mixer::default();
    let mut held = BTreeMap::new();
    let mut current: Option<Arc<Vec<u8>>> = None;
    let (mut counted_dropped, mut counted_duplicated) = (0, 0);
    let (mut logged_dropped, mut logged_duplicated, mut logged_at) = (0, 0, Instant::now());
    loop {
        {
            let mut inbox = shared.lock();
            loop {
                if shared.stop.load(Ordering::Relaxed) {
                    break;
                }
                if let Some((index, shows, arrived)) = inbox.first {
                    pacer.arrived(index, shows, arrived);
                }
                let now = Instant::now();
                let wait = match pacer.next_due() {
                    None => Duration::from_millis(100),
                    Some(due) if now >= due => break,
                    Some(due) => due - now,
                };
                inbox = shared.wake.wait_timeout(inbox, wait).map(|(l, _)| l).unwrap_or_else(|p| p.into_inner().0);
            }
            if shared.stop.load(Ordering::Relaxed) {
                break;
            }
            held.append(&mut inbox.frames);
        }
        let now = Instant::now();
        // The stage plays a command on its next update, whose frame pictures about this instant: the voice starts
        // there on the stream's clock.
        let voice_at = (pacer.show_seconds(now) * f64::from(AUDIO_RATE)) as u64;
        loop {
            match commands.try_recv() {
                Ok(command) => mixer.hear(&command, voice_at),
                Err(broadcast::error::TryRecvError::Lagged(n)) => {
                    tracing::warn!("the output missed {n} stage command(s); a line may be silent in the stream")
                }
                Err(_) => break,
            }
        }
        let first = pacer.ticks();
        let slots = pacer.due(now, &mut held);
        for (i, slot) in slots.into_iter().enumerate() {
            if let Slot::Fresh(_, frame) = slot {
                current = Some(frame);
            }
            let Some(frame) = &current else { continue };
            let tick = first + i as u64;
            let pcm = Arc::new(mixer.take_until(Mixer::frame_start(tick + 1, fps)));
            for queue in &mut queues {
                let Some(tx) = &queue.tx else { continue };
                match tx.try_send((frame.clone(), pcm.clone())) {
                    Ok(()) => {}
                    Err(TrySendError::Full(_)) => {
                        queue.lost += 1;
                        if queue.lost.is_power_of_two() {
                            tracing::warn!("{}: not keeping up; {} frame(s) skipped so far", queue.name, queue.lost);
                        }
                    }
                    Err(TrySendError::Disconnected(_)) => queue.tx = None,
                }
            }
        }
        metrics.output_frames(pacer.dropped - counted_dropped, pacer.duplicated - counted_duplicated);
        (counted_dropped, counted_duplicated) = (pacer.dropped, pacer.duplicated);
        if now.duration_since(logged_at) >= LOG_EVERY {
            let (dropped, duplicated) = (pacer.dropped - logged_dropped, pacer.duplicated - logged_duplicated);
            if dropped > 0 || duplicated > 0 {
                tracing::warn!(
                    "output: {duplicated} frame(s) repeated and {dropped} dropped (the renderer fell behind by more \
                     than {} ms) in the last {} s; the voice is unaffected",
                    stream_delay(fps).as_millis(),
                    now.duration_since(logged_at).as_secs()
                );
            }
            (logged_dropped, logged_duplicated, logged_at) = (pacer.dropped, pacer.duplicated, now);
        }
    }
    let report = OutputReport {
        ticks: pacer.ticks(),
        repeated: pacer.duplicated,
        dropped: pacer.dropped,
        lateness: Lateness::default(),
        lost: queues.iter().map(|q| (q.name.clone(), q.lost)).collect(),
    };
    // Dropping the queues ends every worker, which closes its ffmpeg cleanly.
    drop(queues);
    report
}

/// One destination's worker: owns its ffmpeg (or stdout).
struct Worker {
    name: String,
    width: u32,
    height: u32,
    fps: u32,
    marking: Marking,
    metrics: Metrics,
    report: Report,
}

impl Worker {
    fn report(&self, healthy: bool, detail: String) {
        (self.report)(Health { source: self.name.clone(), healthy, detail });
    }

    fn run(self, sink: Sink, items: Receiver<Item>) {
        match sink {
            Sink::RawStdout => self.raw(items),
            Sink::Ffmpeg(destination) => self.ffmpeg(destination, items),
        }
    }

    fn raw(self, items: Receiver<Item>) {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for (frame, _) in items {
            if let Err(e) = out.write_all(&frame) {
                tracing::error!("{}: stdout refused a frame ({e}); raw frames stop, the show goes on", self.name);
                self.report(false, format!("stopped: stdout refused a frame ({e})"));
                return;
            }
        }
        let _ = out.flush();
    }

    fn ffmpeg(self, destination: Destination, items: Receiver<Item>) {
        let mut restarts = Restarts::new(default_backoff(), Jitter::new());
        let target = destination.describe();
        loop {
            let started = Encoder::start(destination.clone(), self.width, self.height, self.fps, &self.marking)
                .map(|encoder| encoder.unpaced().stall_limit(STALL_LIMIT));
            let now = Instant::now();
            let error = match started {
                Ok(mut encoder) => {
                    restarts.started(now);
                    if restarts.restarts > 0 {
                        self.metrics.output_restarted(&self.name);
                    }
                    match self.feed(&mut encoder, &items, &target) {
                        Some(error) => error,
                        None => {
                            // The show ended: close the stream or file cleanly.
                            match encoder.finish() {
                                Ok(()) => tracing::info!("{}: {target} closed", self.name),
                                Err(e) => tracing::error!("{}: {e}", self.name),
                            }
                            return;
                        }
                    }
                }
                Err(error) => error,
            };
            match restarts.failed(Instant::now(), &destination, &error) {
                AfterFailure::GiveUp => {
                    tracing::error!("{}: stopped for the rest of the show, the show goes on: {error}", self.name);
                    self.report(false, format!("stopped: {}", one_line(&error)));
                    return;
                }
                AfterFailure::RetryAt(at) => {
                    let wait = at.saturating_duration_since(Instant::now());
                    tracing::warn!(
                        "{}: reconnecting to {target} in {:.1} s (attempt {}): {error}",
                        self.name,
                        wait.as_secs_f64(),
                        restarts.failures()
                    );
                    self.report(false, format!("reconnecting to {target}: {}", one_line(&error)));
                    // Frames that come meanwhile are let go: the stream resumes with the show as it is then.
                    loop {
                        let now = Instant::now();
                        if now >= at {
                            break;
                        }
                        match items.recv_timeout(at - now) {
                            Ok(_) | Err(RecvTimeoutError::Timeout) => {}
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                }
            }
        }
    }

    /// Writes frames until the show ends (`None`) or ffmpeg fails. Reports the output healthy once a second of
    /// frames went through (ffmpeg opens its output before it reads any frame, so by then the ingest took it).
    fn feed(&self, encoder: &mut Encoder, items: &Receiver<Item>, target: &str) -> Option<OutputError> {
        let mut reported = false;
        for (frame, pcm) in items {
            if let Err(e) = encoder.write_frame(&frame, pcm.to_vec()) {
                return Some(e);
            }
            if !reported && encoder.frames() >= u64::from(self.fps) {
                reported = true;
                tracing::info!("{}: on air to {target}", self.name);
                self.report(true, format!("sending to {target}"));
            }
        }
        None
    }
}

/// An error on one line, short enough for the health panel.
fn one_line(error: &OutputError) -> String {
    let text = error.to_string();
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut line = match (lines.first(), lines.last()) {
        (Some(first), Some(last)) if lines.len() > 1 => format!("{first} … {last}"),
        (Some(first), _) => first.to_string(),
        _ => "ffmpeg failed".to_string(),
    };
    if line.chars().count() > 300 {
        line = line.chars().take(300).collect::<String>() + "…";
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn live_config(sinks: Vec<Sink>) -> LiveConfig {
        LiveConfig { width: 64, height: 36, fps: 10, sinks, marking: Marking::new("show-9") }
    }

    #[test]
    fn several_platforms_get_one_ffmpeg_each_and_names_of_their_own() {
        let a = Destination::rtmp("rtmp://a.example/live", Some("key-a".into())).unwrap();
        let b = Destination::rtmp("rtmp://b.example/app/key-b", None).unwrap();
        let record = Destination::Segments { dir: "rec".into(), period: Duration::from_secs(3600) };
        let config = live_config(vec![Sink::Ffmpeg(a), Sink::Ffmpeg(b), Sink::Ffmpeg(record), Sink::RawStdout]);
        assert_eq!(config.names(), ["output 1", "output 2", "recording", "stdout"]);
        let commands = config.ffmpeg_commands();
        let last = |i: usize| commands[i].as_ref().unwrap().last().unwrap().clone();
        assert_eq!(last(0), "rtmp://a.example/live/key-a");
        assert_eq!(last(1), "rtmp://b.example/app/key-b");
        assert!(last(2).starts_with("rec/shopcast-"));
        assert!(commands[3].is_none(), "raw frames need no ffmpeg");
        for command in commands.iter().flatten() {
            assert!(command.iter().any(|a| a.starts_with("aigc=")), "every ffmpeg marks its output");
            assert!(!command.iter().any(|a| a == "tee"), "no tee muxer: one ffmpeg per destination");
        }
        let single = live_config(vec![Sink::Ffmpeg(Destination::rtmp("rtmp://a/live", None).unwrap())]);
        assert_eq!(single.names(), ["output"]);
    }

    #[test]
    fn stream_keys_come_from_the_environment_one_per_destination() {
        let one = |k: &str| (k == "SHOPCAST_STREAM_KEY").then(|| "sk-1".to_string());
        let d = rtmp_destinations(&["rtmp://a/live".into()], &one).unwrap();
        assert_eq!(d[0].describe(), "rtmp://a/live/<SHOPCAST_STREAM_KEY>");
        let two = ["rtmp://a/live".to_string(), "rtmp://b/live".to_string()];
        let error = rtmp_destinations(&two, &one).unwrap_err().to_string();
        assert!(error.contains("SHOPCAST_STREAM_KEY_1 ... SHOPCAST_STREAM_KEY_2"), "{error}");
        let numbered = |k: &str| (k == "SHOPCAST_STREAM_KEY_2").then(|| "sk-b".to_string());
        let d = rtmp_destinations(&two, &numbered).unwrap();
        assert_eq!(d[0].describe(), "rtmp://a/live");
        assert_eq!(d[1].describe(), "rtmp://b/live/<SHOPCAST_STREAM_KEY>");
        assert!(rtmp_destinations(&["ftp://x".into()], &|_| None).is_err());
    }

    #[test]
    fn an_unwritable_record_folder_is_named_before_the_show_starts() {
        let file = std::env::temp_dir().join(format!("shopcast-not-a-dir-{}", std::process::id()));
        std::fs::write(&file, b"x").unwrap();
        let record = Destination::Segments { dir: file.join("rec"), period: Duration::from_secs(3600) };
        let error = writable(&file.join("rec"), "--record DIR or [output] record").unwrap_err().to_string();
        assert!(error.contains("cannot write to") && error.contains("--record DIR"), "{error}");
        let odd = LiveConfig { width: 65, ..live_config(vec![Sink::Ffmpeg(record)]) };
        assert!(preflight(&odd).unwrap_err().to_string().contains("even width and height"));
        let _ = std::fs::remove_file(&file);
    }

    #[test]
    fn frames_are_taken_by_number_and_the_wrong_size_is_refused() {
        let config = live_config(vec![]);
        let output = LiveOutput::start(config, broadcast::channel(4).1, Metrics::new(), Arc::new(|_| {})).unwrap();
        let frames = output.frames();
        let shows = Instant::now();
        frames.push(1, shows, vec![1; 64 * 36 * 4]);
        frames.push(0, shows, vec![0; 64 * 36 * 4]);
        frames.push(2, shows, vec![2; 10]);
        let first = output.shared.lock().first.map(|(index, at, _)| (index, at));
        assert_eq!(first, Some((1, shows)), "the first frame to arrive starts the stream's clock");
        let report = output.finish();
        assert_eq!(report.lateness.frames(), 2, "the frame of the wrong size is refused");
    }

    #[test]
    fn errors_shrink_to_one_line_for_the_health_panel() {
        let error = OutputError::Ffmpeg {
            what: "ffmpeg stopped taking frames".into(),
            destination: "rtmp://x/live".into(),
            hint: "",
            said: "line one\nConnection refused".into(),
        };
        let line = one_line(&error);
        assert!(!line.contains('\n') && line.contains("Connection refused"), "{line}");
    }
}
