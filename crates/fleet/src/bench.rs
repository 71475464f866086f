//! `shopcast fleet bench`: how many rooms one worker keeps in real time on this machine, and what they cost: CPU
//! and memory per room, NATS messages and PostgreSQL writes per second. Two forms: without video (voice, captions
//! and events only, for operators who render elsewhere), and with each room drawn by a renderer process
//! (`shopcast fleet render`, at a size such as 640x360, into a local video file) whose frames are counted. Runs
//! against the servers it is given; the rooms it adds are named `bench-<n>` and removed after.

use crate::pg::{Pg, RoomRecord};
use crate::room::{self, Planner};
use crate::worker::{Holding, WorkerConfig};
use crate::{FleetError, RoomId, bus};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// What to run.
#[derive(Clone)]
pub struct BenchConfig {
    pub nats_url: String,
    pub postgres_url: String,
    pub rooms: usize,
    pub seconds: u64,
    /// Comments sent to each room per minute (questions the host answers).
    pub comments_per_minute: u32,
    /// The product file every bench room sells (its text).
    pub products: String,
    /// How a bench room's files become a show (the binary's: show.toml's defaults, with their voice); `None`
    /// runs silent rooms with the templates.
    pub planner: Option<Planner>,
    /// Draw every room too.
    pub video: Option<VideoForm>,
}

/// The video form: one renderer process per room.
#[derive(Clone, Debug)]
pub struct VideoForm {
    /// The `shopcast` program (`fleet render` is one of its commands).
    pub program: std::path::PathBuf,
    /// WIDTHxHEIGHT.
    pub size: String,
    pub fps: u32,
    /// Where the renderers write their video files (removed after).
    pub dir: std::path::PathBuf,
}

/// What the renderers did over their whole run.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct VideoReport {
    pub size: String,
    pub renderers: usize,
    /// Renderers that exited cleanly and reported.
    pub reported: usize,
    /// Frames each output sent, all renderers together.
    pub frames: u64,
    /// Of those, frames that repeated the one before (late or never drawn) or were dropped.
    pub repeated: u64,
    pub dropped: u64,
    /// The worst renderer's share of repeated and dropped frames.
    pub worst_late_share: f64,
    /// Memory of one renderer with its ffmpeg at the end of the window, the average over the renderers.
    pub rss_per_renderer_mib: f64,
}

impl VideoReport {
    /// Every renderer reported, and none repeated or dropped more than 2% of its frames.
    pub fn kept_real_time(&self) -> bool {
        self.renderers > 0 && self.reported == self.renderers && self.worst_late_share <= 0.02
    }
}

/// What one run measured.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BenchReport {
    pub rooms: usize,
    pub rooms_on_air: usize,
    pub seconds: f64,
    /// This process's CPU (user + system) over the measured window, in cores.
    pub cpu_cores: f64,
    /// The whole machine's busy share over the window (NATS and PostgreSQL included), in cores.
    pub machine_cores: f64,
    pub cpu_ms_per_room_second: f64,
    /// Before the rooms started, once they were all on air, and at the end.
    pub rss_before_mib: f64,
    pub rss_start_mib: f64,
    pub rss_end_mib: f64,
    /// (end - before) / rooms.
    pub rss_per_room_mib: f64,
    /// Lines the rooms aired, all together.
    pub lines: u64,
    /// The longest silence in one room: from the end of a line (its start plus its spoken length) to the start of
    /// the next (the show's own holding line comes at 2.5 s).
    pub longest_gap_ms: u64,
    /// Comments answered and sent.
    pub answered: u64,
    pub comments: u64,
    /// Comment published -> its answer on the events subject, 95th percentile.
    pub answer_p95_ms: u64,
    /// Messages on the room subjects per second: comments in, events out.
    pub nats_messages_per_second: f64,
    /// Audit rows written per second.
    pub pg_writes_per_second: f64,
    /// The video form's renderers, when it ran.
    pub video: Option<VideoReport>,
}

fn proc_cpu_ms() -> u64 {
    // utime and stime, fields 14 and 15 of /proc/self/stat, in clock ticks (100 per second on Linux).
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11..13).map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum());
    ticks * 10
}

/// (busy, total) jiffies of the whole machine.
fn machine_jiffies() -> (u64, u64) {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or("");
    let values: Vec<u64> = line.split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
    let total: u64 = values.iter().sum();
    let idle = values.get(3).copied().unwrap_or(0) + values.get(4).copied().unwrap_or(0);
    (total - idle, total)
}

fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0)
}

/// The resident memory of process `pid` and its children (a renderer and its ffmpeg).
fn rss_with_children_mib(pid: u32) -> f64 {
    let rss = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    let children = std::fs::read_to_string(format!("/proc/{pid}/task/{pid}/children")).unwrap_or_default();
    rss(&pid.to_string()) + children.split_whitespace().map(rss).sum::<f64>()
}

fn cores() -> f64 {
    std::thread::available_parallelism().map_or(1.0, |n| n.get() as f64)
}

#[derive(Default)]
struct Heard {
    lines: u64,
    /// When each room's last line will have been said.
    last_line: HashMap<String, Instant>,
    longest_gap: Duration,
    answers: Vec<Duration>,
    messages: u64,
}

/// Adds the bench rooms, runs one worker with all of them for `seconds` (after they are all on air), and
/// measures; the rooms are removed at the end whatever happened.
pub async fn run(config: BenchConfig) -> Result<BenchReport, FleetError> {
    let pg = Pg::connect(&config.postgres_url).await?;
    let js = crate::jetstream(&config.nats_url, "shopcast fleet bench").await?;
    bus::ensure_streams(&js).await?;
    // The bench owns the `bench-` rooms: those an interrupted run left are removed, so its worker takes only this
    // run's.
    for stale in pg.rooms().await?.into_iter().filter(|r| r.id.as_str().starts_with("bench-")) {
        pg.remove_room(&stale.id).await?;
    }
    let rooms: Vec<RoomId> = (0..config.rooms)
        .map(|i| RoomId::parse(&format!("bench-{i}")))
        .collect::<Result<_, _>>()
        .map_err(FleetError::Other)?;
    for id in &rooms {
        let record = RoomRecord {
            id: id.clone(),
            show_toml: String::new(),
            products_name: "products.toml".into(),
            products: config.products.clone(),
            scene_toml: None,
            stopped: false,
        };
        pg.put_room(&record, true).await?;
    }
    let result = measure(&config, &pg, &js, &rooms).await;
    for id in &rooms {
        let _ = pg.remove_room(id).await;
    }
    result
}

async fn measure(
    config: &BenchConfig,
    pg: &Pg,
    js: &async_nats::jetstream::Context,
    rooms: &[RoomId],
) -> Result<BenchReport, FleetError> {
    let rss_before = rss_mib();
    let heard = Arc::new(Mutex::new(Heard::default()));
    let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let client = async_nats::connect(&config.nats_url).await.map_err(FleetError::nats)?;
    let mut events = client.subscribe("shopcast.room.*.events").await.map_err(FleetError::nats)?;
    {
        let (heard, sent) = (heard.clone(), sent.clone());
        tokio::spawn(async move {
            while let Some(message) = events.next().await {
                let now = Instant::now();
                let Ok(value) = serde_json::from_slice::<serde_json::Value>(&message.payload) else { continue };
                let mut heard = heard.lock().unwrap_or_else(|e| e.into_inner());
                heard.messages += 1;
                let Some(line) = value.pointer("/event/LineAired") else { continue };
                heard.lines += 1;
                let room = value["room"].as_str().unwrap_or_default().to_string();
                let spoken = Duration::from_millis(line["duration_ms"].as_u64().unwrap_or(0));
                if let Some(previous_end) = heard.last_line.insert(room, now + spoken) {
                    heard.longest_gap = heard.longest_gap.max(now.saturating_duration_since(previous_end));
                }
                if let Some(id) = line.pointer("/trigger/id").and_then(|v| v.as_str())
                    && let Some(at) = sent.lock().ok().and_then(|mut s| s.remove(id))
                {
                    heard.answers.push(now - at);
                }
            }
        });
    }

    let stop = CancellationToken::new();
    let (holding_tx, mut holding) = tokio::sync::watch::channel(Holding::default());
    let worker = WorkerConfig {
        nats_url: config.nats_url.clone(),
        postgres_url: config.postgres_url.clone(),
        name: format!("bench-{}", std::process::id()),
        max_rooms: rooms.len(),
        lease_ttl: Duration::from_secs(15),
        // Never a real room of the fleet.
        only_prefix: Some("bench-".to_string()),
        console: None,
        audit_retain_days: None,
    };
    let planner: Planner = config.planner.clone().unwrap_or_else(|| Arc::new(room::plan_with_defaults));
    let worker_task = tokio::spawn(crate::worker::run(worker, planner, Some(holding_tx), stop.clone()));
    let ramp = Instant::now();
    // Two rooms a turn, a turn every 0.3 s at most: allow that and half a minute more.
    let ramp_limit = Duration::from_secs(30) + Duration::from_millis(200) * rooms.len() as u32;
    while holding.borrow_and_update().rooms.len() < rooms.len() && ramp.elapsed() < ramp_limit {
        let _ = tokio::time::timeout(Duration::from_secs(1), holding.changed()).await;
    }
    let on_air = holding.borrow().rooms.len();
    // Let every room say its first lines before the window opens.
    tokio::time::sleep(Duration::from_secs(5)).await;
    {
        let mut heard = heard.lock().unwrap_or_else(|e| e.into_inner());
        *heard = Heard { last_line: std::mem::take(&mut heard.last_line), ..Heard::default() };
    }

    // The renderers start now and warm up (the renderer's start-up) before the window opens; they stop by
    // themselves a little after it closes.
    let renderers = match &config.video {
        Some(form) => {
            let spawned = start_renderers(config, form, rooms)?;
            tokio::time::sleep(RENDERER_WARM_UP).await;
            Some(spawned)
        }
        None => None,
    };
    let audit_before = audit_total(pg, rooms).await;
    let (cpu_before, machine_before, rss_start, started) =
        (proc_cpu_ms(), machine_jiffies(), rss_mib(), Instant::now());
    let window = Duration::from_secs(config.seconds);
    let mut comments = 0u64;
    let interval = if config.comments_per_minute == 0 {
        None
    } else {
        Some(Duration::from_secs_f64(60.0 / f64::from(config.comments_per_minute) / rooms.len().max(1) as f64))
    };
    let run = backstage::clock::wall_now().0;
    let mut next = Instant::now();
    while started.elapsed() < window {
        match interval {
            Some(interval) => {
                let room = &rooms[comments as usize % rooms.len()];
                // Unique across runs: a room never answers a comment id twice, and earlier runs' are in its audit.
                let id = format!("bench-{run}-{comments}");
                let item = serde_json::json!({
                    "platform": "generic", "id": id, "user_id": format!("viewer{}", comments % 97),
                    "user_name": format!("viewer{}", comments % 97), "text": "how much is the tea set?",
                });
                if let Ok(mut sent) = sent.lock() {
                    sent.insert(id, Instant::now());
                }
                if bus::publish_comment(js, room, &item).await.is_ok() {
                    comments += 1;
                }
                next += interval;
                tokio::time::sleep_until(tokio::time::Instant::from_std(next)).await;
            }
            None => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let cpu_ms = proc_cpu_ms().saturating_sub(cpu_before) as f64;
    let machine_after = machine_jiffies();
    let machine_share =
        (machine_after.0 - machine_before.0) as f64 / (machine_after.1 - machine_before.1).max(1) as f64;
    let rss_end = rss_mib();
    let audit_after = audit_total(pg, rooms).await;
    let video = match (renderers, &config.video) {
        (Some(renderers), Some(form)) => {
            let rss: f64 = renderers.iter().filter_map(|r| r.id()).map(rss_with_children_mib).sum();
            let mut report = finish_renderers(renderers, form).await;
            report.rss_per_renderer_mib = rss / report.renderers.max(1) as f64;
            Some(report)
        }
        _ => None,
    };
    stop.cancel();
    let _ = worker_task.await;

    let heard = heard.lock().unwrap_or_else(|e| e.into_inner());
    let mut answers = heard.answers.clone();
    answers.sort();
    let p95 = answers.get((answers.len() * 95 / 100).min(answers.len().saturating_sub(1))).copied().unwrap_or_default();
    let n = rooms.len().max(1) as f64;
    Ok(BenchReport {
        rooms: rooms.len(),
        rooms_on_air: on_air,
        seconds: elapsed,
        cpu_cores: cpu_ms / 1000.0 / elapsed,
        machine_cores: machine_share * cores(),
        cpu_ms_per_room_second: cpu_ms / n / elapsed,
        rss_before_mib: rss_before,
        rss_start_mib: rss_start,
        rss_end_mib: rss_end,
        rss_per_room_mib: (rss_end - rss_before).max(0.0) / n,
        lines: heard.lines,
        longest_gap_ms: heard.longest_gap.as_millis() as u64,
        answered: answers.len() as u64,
        comments,
        answer_p95_ms: p95.as_millis() as u64,
        nats_messages_per_second: (heard.messages + comments) as f64 / elapsed,
        pg_writes_per_second: audit_after.saturating_sub(audit_before) as f64 / elapsed,
        video,
    })
}

/// How long a renderer gets to start before the window opens.
const RENDERER_WARM_UP: Duration = Duration::from_secs(12);

/// One `shopcast fleet render` per room, each for the warm-up, the window and a little more.
fn start_renderers(
    config: &BenchConfig,
    form: &VideoForm,
    rooms: &[RoomId],
) -> Result<Vec<tokio::process::Child>, FleetError> {
    std::fs::create_dir_all(&form.dir)
        .map_err(|e| FleetError::Other(format!("cannot make {}: {e}", form.dir.display())))?;
    let seconds = RENDERER_WARM_UP.as_secs() + config.seconds + 2;
    rooms
        .iter()
        .map(|room| {
            tokio::process::Command::new(&form.program)
                .args([
                    "fleet",
                    "render",
                    room.as_str(),
                    "--nats",
                    &config.nats_url,
                    "--postgres",
                    &config.postgres_url,
                ])
                .args(["--size", &form.size, "--fps", &form.fps.to_string(), "--seconds", &seconds.to_string()])
                .arg("--video")
                .arg(form.dir.join(format!("{room}.mp4")))
                .env("SHOPCAST_LOG", "warn")
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| FleetError::Other(format!("cannot start {} fleet render: {e}", form.program.display())))
        })
        .collect()
}

/// Waits for the renderers and reads what each says it sent: "rendered: N frames sent, R repeated, D dropped".
async fn finish_renderers(renderers: Vec<tokio::process::Child>, form: &VideoForm) -> VideoReport {
    let mut report = VideoReport { size: form.size.clone(), renderers: renderers.len(), ..VideoReport::default() };
    for renderer in renderers {
        let Ok(Ok(out)) = tokio::time::timeout(Duration::from_secs(60), renderer.wait_with_output()).await else {
            continue;
        };
        let log = String::from_utf8_lossy(&out.stderr);
        let Some(counts) = log.lines().rev().find_map(rendered_counts) else {
            tracing::warn!("a renderer did not report: {}", log.lines().rev().take(5).collect::<Vec<_>>().join(" | "));
            continue;
        };
        report.reported += 1;
        let (frames, repeated, dropped) = counts;
        report.frames += frames;
        report.repeated += repeated;
        report.dropped += dropped;
        report.worst_late_share = report.worst_late_share.max((repeated + dropped) as f64 / frames.max(1) as f64);
    }
    let _ = std::fs::remove_dir_all(&form.dir);
    report
}

/// (sent, repeated, dropped) from a renderer's closing line.
fn rendered_counts(line: &str) -> Option<(u64, u64, u64)> {
    let rest = line.strip_prefix("rendered: ")?;
    let number = |before: &str| -> Option<u64> {
        let at = rest.find(before)?;
        rest[..at].trim_end().rsplit([' ', ',']).next()?.parse().ok()
    };
    Some((number(" frames sent")?, number(" repeated")?, number(" dropped")?))
}

async fn audit_total(pg: &Pg, rooms: &[RoomId]) -> u64 {
    let mut total = 0;
    for room in rooms {
        total += pg.audit_rows(room).await.unwrap_or(0) as u64;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renderers_closing_line_is_read() {
        assert_eq!(
            rendered_counts("rendered: 900 frames sent, 3 repeated, 1 dropped, 0 lost in destinations"),
            Some((900, 3, 1))
        );
        assert_eq!(rendered_counts("rendered: garbage"), None);
        assert_eq!(rendered_counts("something else"), None);
        let late = VideoReport {
            renderers: 2,
            reported: 2,
            frames: 200,
            repeated: 3,
            dropped: 0,
            worst_late_share: 0.03,
            ..VideoReport::default()
        };
        assert!(!late.kept_real_time());
        let fine = VideoReport { worst_late_share: 0.01, ..late.clone() };
        assert!(fine.kept_real_time());
        assert!(!VideoReport { reported: 1, ..fine }.kept_real_time(), "a renderer that never reported");
    }
}
