//! `shopcast fleet`: many rooms across machines (the `fleet` crate). Workers run rooms; rooms live in PostgreSQL;
//! comments, commands and events move through NATS JetStream.

use anyhow::{Context, Result, bail};
use fleet::pg::{Pg, RoomRecord};
use fleet::room::{RoomPlan, products_of};
use fleet::worker::WorkerConfig;
use fleet::{RoomId, bus};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

#[derive(clap::Subcommand, Debug)]
pub enum FleetCommand {
    /// Run rooms on this machine, up to --max-rooms, until stopped (Ctrl-C or SIGTERM gives the rooms back).
    Worker(WorkerArgs),
    /// Add, list, remove, stop and start rooms.
    #[command(subcommand)]
    Room(RoomCommand),
    /// The kill switch: every room named (or --all) puts up the standby card and the AI stops talking, until
    /// `fleet resume`.
    Standby(SwitchArgs),
    /// The AI host comes back in the rooms named (or --all).
    Resume(SwitchArgs),
    /// How many rooms one worker keeps in real time here, without video, and what each costs (CPU, memory, NATS
    /// messages and PostgreSQL writes per second). Adds rooms bench-0 ... bench-N-1 and removes them after.
    Bench(BenchArgs),
    /// One page for every room: health, worker, viewers, the line on air, the last escalation, and the kill switch;
    /// each room's own console under /rooms/<id>/. Its token is SHOPCAST_FLEET_TOKEN (at least 16 characters), or
    /// one made up and printed at start.
    Console(ConsoleArgs),
    /// Named accounts for the rooms' consoles, each a role and the rooms it may open (kept in PostgreSQL).
    #[command(subcommand)]
    Account(AccountCommand),
    /// Draw and stream one room here, from the stage commands its worker sends (captions, offer, mouth, voice):
    /// live to RTMP, to a video file, or raw frames on stdout, marked as AI-generated. The room may move between
    /// workers; the stream stays up.
    Render(FleetRenderArgs),
}

#[derive(clap::Args, Debug)]
pub struct FleetRenderArgs {
    /// The room to render.
    room: String,
    #[command(flatten)]
    servers: Servers,
    /// Stream live to this RTMP(S) URL (the stream key may come from SHOPCAST_STREAM_KEY instead).
    #[arg(long, value_name = "URL")]
    rtmp: Option<String>,
    /// Encode to this video file (.mp4, .mkv, .flv).
    #[arg(long, value_name = "FILE")]
    video: Option<PathBuf>,
    /// `-`: raw RGBA frames on stdout (no audio).
    #[arg(long)]
    out: Option<String>,
    /// WIDTHxHEIGHT, e.g. 640x360; default: the room's scene size.
    #[arg(long)]
    size: Option<String>,
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// The scene file; default: the room's own (kept with the room), else the built-in studio.
    #[arg(long)]
    scene: Option<PathBuf>,
    /// Stop after this many seconds (default: until Ctrl-C or SIGTERM).
    #[arg(long)]
    seconds: Option<f64>,
}

#[derive(clap::Args, Debug)]
pub struct BenchArgs {
    #[command(flatten)]
    servers: Servers,
    /// How many rooms; several counts, comma-separated, run one after another (e.g. 10,50,100).
    #[arg(long, default_value = "10")]
    rooms: String,
    /// Seconds measured per count, after every room is on air.
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    /// Questions sent to each room per minute.
    #[arg(long, default_value_t = 4)]
    comments_per_minute: u32,
    /// Print JSON lines instead of a table.
    #[arg(long)]
    json: bool,
    /// The video form: every room drawn by its own `shopcast fleet render` at this size (e.g. 640x360) into a
    /// local video file, and its frames counted.
    #[arg(long, value_name = "WxH")]
    video: Option<String>,
    /// The video form's frames per second.
    #[arg(long, default_value_t = 30)]
    video_fps: u32,
}

#[derive(clap::Args, Debug)]
pub struct Servers {
    /// The NATS server with JetStream (default: SHOPCAST_NATS_URL, else nats://127.0.0.1:4222).
    #[arg(long)]
    nats: Option<String>,
    /// The PostgreSQL database (default: SHOPCAST_POSTGRES_URL), e.g. postgres://shopcast@db/shopcast.
    #[arg(long)]
    postgres: Option<String>,
}

impl Servers {
    fn nats(&self) -> String {
        self.nats
            .clone()
            .or_else(|| std::env::var("SHOPCAST_NATS_URL").ok())
            .unwrap_or_else(|| "nats://127.0.0.1:4222".to_string())
    }

    fn postgres(&self) -> Result<String> {
        self.postgres
            .clone()
            .or_else(|| std::env::var("SHOPCAST_POSTGRES_URL").ok())
            .context("no PostgreSQL database: pass --postgres postgres://USER@HOST/DB or set SHOPCAST_POSTGRES_URL")
    }
}

#[derive(clap::Args, Debug)]
pub struct WorkerArgs {
    #[command(flatten)]
    servers: Servers,
    /// The most rooms this worker runs at once.
    #[arg(long, default_value_t = 8)]
    max_rooms: usize,
    /// The worker's name in leases and logs (default: host name and process id).
    #[arg(long)]
    name: Option<String>,
    /// How long a room's lease lasts without renewal (seconds): a dead worker's rooms move this long after its
    /// last renewal. The first worker to make the lease bucket sets it for the fleet.
    #[arg(long, default_value_t = 15)]
    lease_seconds: u64,
    /// Take only rooms whose id starts with this (a worker per region or customer).
    #[arg(long)]
    rooms_prefix: Option<String>,
    /// Stop after this many seconds (for tests).
    #[arg(long, hide = true)]
    seconds: Option<f64>,
    /// Where this worker serves its rooms' own consoles (`/rooms/<id>/`, reached through the fleet console). The
    /// fleet token (SHOPCAST_FLEET_TOKEN) is each room's shared console token; without it, only the named
    /// accounts of `shopcast fleet account` can log in.
    #[arg(long, default_value = "127.0.0.1:0")]
    console_bind: std::net::SocketAddr,
    /// How the fleet console reaches --console-bind from its machine (default: http:// and the bound address).
    #[arg(long)]
    console_url: Option<String>,
    /// How long the fleet's audit is kept: whole months older than this are dropped once a day (at least 3y;
    /// e.g. 3y, 5y, 1200d).
    #[arg(long, default_value = "3y")]
    audit_retain: String,
}

#[derive(clap::Subcommand, Debug)]
pub enum AccountCommand {
    /// Create a named account for the rooms' consoles; prints a generated password once unless --password-stdin
    /// gives one.
    Add(AccountArgs),
    /// Give an account a new password (generated unless --password-stdin gives one), and with --role or --rooms a
    /// new role or rooms; it applies at the account's next request on every worker.
    Reset(AccountArgs),
    /// Remove an account: its browser sessions end at their next request.
    Remove(AccountNameArgs),
    /// The accounts, their roles and rooms.
    List(Servers),
}

#[derive(clap::Args, Debug)]
pub struct AccountArgs {
    /// The account name: lower-case letters, digits, '.', '_' or '-'.
    name: String,
    /// moderator (the conversation), merchandiser (prices, stock, flash sales) or admin (everything).
    #[arg(long)]
    role: Option<String>,
    /// The rooms it may open, comma-separated; every room when left out (on reset: the rooms it had).
    #[arg(long, value_delimiter = ',')]
    rooms: Option<Vec<String>>,
    /// Every room (on reset, to widen an account that had a list).
    #[arg(long, conflicts_with = "rooms")]
    all_rooms: bool,
    /// Read the password from the first line of standard input instead of generating one (at least 12 characters).
    #[arg(long)]
    password_stdin: bool,
    #[command(flatten)]
    servers: Servers,
}

#[derive(clap::Args, Debug)]
pub struct AccountNameArgs {
    name: String,
    #[command(flatten)]
    servers: Servers,
}

#[derive(clap::Args, Debug)]
pub struct ConsoleArgs {
    #[command(flatten)]
    servers: Servers,
    /// Where the fleet console listens.
    #[arg(long, default_value = "127.0.0.1:7880")]
    bind: std::net::SocketAddr,
}

#[derive(clap::Subcommand, Debug)]
pub enum RoomCommand {
    /// Add a room from its files (checked first, as `shopcast check` does); --replace gives an existing room new
    /// files, which its worker picks up when it next takes the room.
    Add(AddArgs),
    /// The rooms, whether each runs, and which worker holds it.
    List(Servers),
    /// Remove a room: its worker stops it within a lease period; its audit is kept.
    Remove(IdArgs),
    /// Stop a room without removing it.
    Stop(IdArgs),
    /// Start a stopped room again.
    Start(IdArgs),
}

#[derive(clap::Args, Debug)]
pub struct AddArgs {
    /// The room's id: lower-case letters, digits, '-' or '_'.
    id: String,
    /// The product file (any format `shopcast check` reads; pictures as https URLs).
    #[arg(long)]
    products: PathBuf,
    /// The show configuration.
    #[arg(long)]
    config: Option<PathBuf>,
    /// The scene file (kept with the room for renderers).
    #[arg(long)]
    scene: Option<PathBuf>,
    #[arg(long)]
    replace: bool,
    #[command(flatten)]
    servers: Servers,
}

#[derive(clap::Args, Debug)]
pub struct IdArgs {
    id: String,
    #[command(flatten)]
    servers: Servers,
}

#[derive(clap::Args, Debug)]
pub struct SwitchArgs {
    /// The rooms (none with --all).
    rooms: Vec<String>,
    /// Every room in the database.
    #[arg(long)]
    all: bool,
    /// Who pulled the switch, for the audit.
    #[arg(long, default_value = "operator")]
    by: String,
    #[command(flatten)]
    servers: Servers,
}

pub fn run(command: FleetCommand) -> Result<()> {
    // The renderer runs the stage on the main thread with a runtime of its own.
    let command = match command {
        FleetCommand::Render(args) => return render(args),
        other => other,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        match command {
            FleetCommand::Worker(args) => worker(args).await,
            FleetCommand::Room(RoomCommand::Add(args)) => add(args).await,
            FleetCommand::Room(RoomCommand::List(servers)) => list(servers).await,
            FleetCommand::Room(RoomCommand::Remove(args)) => {
                let pg = Pg::connect(&args.servers.postgres()?).await?;
                let id = RoomId::parse(&args.id).map_err(anyhow::Error::msg)?;
                if !pg.remove_room(&id).await? {
                    bail!("there is no room {id}; `shopcast fleet room list` shows them");
                }
                println!("room {id} removed (its audit is kept)");
                Ok(())
            }
            FleetCommand::Room(RoomCommand::Stop(args)) => set_stopped(args, true).await,
            FleetCommand::Room(RoomCommand::Start(args)) => set_stopped(args, false).await,
            FleetCommand::Standby(args) => switch(args, true).await,
            FleetCommand::Resume(args) => switch(args, false).await,
            FleetCommand::Bench(args) => bench(args).await,
            FleetCommand::Console(args) => console(args).await,
            FleetCommand::Account(AccountCommand::Add(args)) => put_account(args, false).await,
            FleetCommand::Account(AccountCommand::Reset(args)) => put_account(args, true).await,
            FleetCommand::Account(AccountCommand::Remove(args)) => {
                let pg = Pg::connect(&args.servers.postgres()?).await?;
                let name = args.name.trim();
                if !pg.remove_account(name).await? {
                    bail!("there is no account {name:?}; `shopcast fleet account list` lists them");
                }
                eprintln!("account {name} removed");
                Ok(())
            }
            FleetCommand::Account(AccountCommand::List(servers)) => list_accounts(servers).await,
            // Handled above, before this runtime: the stage needs the main thread.
            FleetCommand::Render(_) => bail!("the renderer runs outside the command runtime"),
        }
    })
}

/// A room's files as `shopcast run` reads them: show.toml into the show's settings and writer, the products with
/// the show's currency. The voice is silent: a fleet room without video sends its lines as events and captions.
fn plan(record: &RoomRecord) -> Result<RoomPlan, String> {
    let mut settings = crate::config::Settings::default();
    if !record.show_toml.trim().is_empty() {
        let diagnostics = crate::config::parse_into(&mut settings, "show.toml", &record.show_toml, Path::new("."));
        let errors: Vec<String> = diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        if !errors.is_empty() {
            return Err(format!("room {}: {}", record.id, errors.join("\n")));
        }
    }
    let products = products_of(record, settings.currency.as_ref())?;
    let writer = crate::wiring::make_writer(&settings.writer).map_err(|e| format!("room {}: {e:#}", record.id))?;
    let provenance = crate::wiring::provenance(&settings, &format!("room-{}", record.id));
    // The room's voice, as `shopcast run` makes it: its audio goes to the room's renderers with each line. A voice
    // that cannot start leaves the room captioned rather than off the air.
    let timeout = Duration::from_millis(settings.show.voice_timeout_ms);
    let voice = crate::wiring::build_voice(&settings.voice, timeout).unwrap_or_else(|e| {
        tracing::error!(room = %record.id, "the voice could not start ({e}); the room goes on with captions only");
        backstage::voice::Voice::Silent
    });
    Ok(RoomPlan { config: settings.show, products, writer, voice, provenance })
}

async fn worker(args: WorkerArgs) -> Result<()> {
    if args.max_rooms == 0 {
        bail!("--max-rooms 0 runs nothing; give at least 1");
    }
    if args.lease_seconds < 3 {
        bail!("--lease-seconds {} is too short to renew inside; give at least 3", args.lease_seconds);
    }
    let config = WorkerConfig {
        nats_url: args.servers.nats(),
        postgres_url: args.servers.postgres()?,
        name: args.name.unwrap_or_else(fleet::worker::default_name),
        max_rooms: args.max_rooms,
        lease_ttl: Duration::from_secs(args.lease_seconds),
        only_prefix: args.rooms_prefix,
        audit_retain_days: Some(retain_days(&args.audit_retain)?),
        console: Some(fleet::worker::ConsoleServe {
            bind: args.console_bind,
            url: args.console_url,
            token: fleet_token(false)?,
        }),
    };
    let stop = CancellationToken::new();
    let limit = args.seconds.map(Duration::from_secs_f64);
    tokio::spawn(backstage::shutdown::cancel_on_signal(stop.clone(), limit));
    fleet::worker::run(config, Arc::new(plan), None, stop).await?;
    Ok(())
}

fn read(path: &Path, what: &str) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read the {what} {}", path.display()))
}

async fn add(args: AddArgs) -> Result<()> {
    let id = RoomId::parse(&args.id).map_err(anyhow::Error::msg)?;
    let record = RoomRecord {
        id: id.clone(),
        show_toml: args.config.as_deref().map(|p| read(p, "show configuration")).transpose()?.unwrap_or_default(),
        products_name: args
            .products
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "products.toml".into()),
        products: read(&args.products, "product file")?,
        scene_toml: args.scene.as_deref().map(|p| read(p, "scene")).transpose()?,
        stopped: false,
    };
    // Checked here, where the operator can fix it, not first on a worker.
    if let Err(why) = plan(&record) {
        bail!("{why}");
    }
    let pg = Pg::connect(&args.servers.postgres()?).await?;
    pg.put_room(&record, args.replace).await?;
    println!("room {id} added; a worker with room to spare takes it within a lease period");
    Ok(())
}

async fn list(servers: Servers) -> Result<()> {
    let pg = Pg::connect(&servers.postgres()?).await?;
    let rooms = pg.rooms().await?;
    let leases = match fleet::jetstream(&servers.nats(), "shopcast fleet room list").await {
        Ok(js) => Some(fleet::lease::Holders::new(js)),
        Err(e) => {
            eprintln!("NATS is not reachable ({e}); holders are not shown");
            None
        }
    };
    println!("{:<24} {:<8} {:<28} audit rows", "room", "state", "held by");
    for room in rooms {
        let holder = match &leases {
            Some(leases) => leases.holder(&room.id).await.ok().flatten().map_or("-".to_string(), |h| h.worker),
            None => "?".to_string(),
        };
        let state = if room.stopped { "stopped" } else { "running" };
        let rows = pg.audit_rows(&room.id).await.unwrap_or(0);
        println!("{:<24} {:<8} {:<28} {rows}", room.id.as_str(), state, holder);
    }
    Ok(())
}

async fn set_stopped(args: IdArgs, stopped: bool) -> Result<()> {
    let id = RoomId::parse(&args.id).map_err(anyhow::Error::msg)?;
    let pg = Pg::connect(&args.servers.postgres()?).await?;
    if !pg.set_stopped(&id, stopped).await? {
        bail!("there is no room {id}; `shopcast fleet room list` shows them");
    }
    println!("room {id} {}", if stopped { "stopped" } else { "started" });
    Ok(())
}

async fn switch(args: SwitchArgs, standby: bool) -> Result<()> {
    let rooms: Vec<RoomId> = if args.all {
        if !args.rooms.is_empty() {
            bail!("name rooms or pass --all, not both");
        }
        Pg::connect(&args.servers.postgres()?).await?.rooms().await?.into_iter().map(|r| r.id).collect()
    } else {
        if args.rooms.is_empty() {
            bail!("name the rooms, or pass --all for every room");
        }
        args.rooms.iter().map(|r| RoomId::parse(r)).collect::<Result<_, _>>().map_err(anyhow::Error::msg)?
    };
    let js = fleet::jetstream(&args.servers.nats(), "shopcast fleet switch").await?;
    bus::ensure_streams(&js).await?;
    let command = if standby {
        bus::Command::HandOverToHuman { by: args.by.clone() }
    } else {
        bus::Command::TakeBack { by: args.by.clone() }
    };
    for room in &rooms {
        bus::publish_command(&js, room, &command).await?;
    }
    println!("{} room(s): {}", rooms.len(), if standby { "standby card up" } else { "AI host back" });
    Ok(())
}

async fn bench(args: BenchArgs) -> Result<()> {
    let counts: Vec<usize> = args
        .rooms
        .split(',')
        .map(|n| n.trim().parse::<usize>().ok().filter(|n| (1..=1000).contains(n)))
        .collect::<Option<_>>()
        .with_context(|| format!("--rooms {:?}: give room counts from 1 to 1000, comma-separated", args.rooms))?;
    if !args.json {
        println!(
            "{:>5} {:>6} {:>7} {:>8} {:>13} {:>8} {:>9} {:>7} {:>9} {:>9} {:>8} {:>8}",
            "rooms",
            "on air",
            "cores",
            "machine",
            "ms/room/s",
            "RSS MiB",
            "MiB/room",
            "gap ms",
            "answered",
            "p95 ms",
            "NATS/s",
            "PG w/s"
        );
    }
    let video = match &args.video {
        Some(size) => {
            crate::render::parse_size(size).with_context(|| format!("--video {size:?} must look like 640x360"))?;
            Some(fleet::bench::VideoForm {
                program: std::env::current_exe().context("cannot find the shopcast program for the renderers")?,
                size: size.clone(),
                fps: args.video_fps,
                dir: std::env::temp_dir().join(format!("shopcast-fleet-bench-{}", std::process::id())),
            })
        }
        None => None,
    };
    for rooms in counts {
        let report = fleet::bench::run(fleet::bench::BenchConfig {
            nats_url: args.servers.nats(),
            postgres_url: args.servers.postgres()?,
            rooms,
            seconds: args.seconds,
            comments_per_minute: args.comments_per_minute,
            products: crate::demo::products_without_pictures(),
            // Rooms as `room add` makes them with no show.toml: templates and the espeak-ng voice.
            planner: Some(Arc::new(plan)),
            video: video.clone(),
        })
        .await?;
        if args.json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            println!(
                "{:>5} {:>6} {:>7.2} {:>8.2} {:>13.2} {:>8.0} {:>9.2} {:>7} {:>4}/{:<4} {:>9} {:>8.0} {:>8.1}",
                report.rooms,
                report.rooms_on_air,
                report.cpu_cores,
                report.machine_cores,
                report.cpu_ms_per_room_second,
                report.rss_end_mib,
                report.rss_per_room_mib,
                report.longest_gap_ms,
                report.answered,
                report.comments,
                report.answer_p95_ms,
                report.nats_messages_per_second,
                report.pg_writes_per_second
            );
            if let Some(video) = &report.video {
                println!(
                    "      video {} : {}/{} renderers reported, {} frames, {} repeated, {} dropped, worst {:.1}% late, \
                     {:.0} MiB a renderer with its ffmpeg: {}",
                    video.size,
                    video.reported,
                    video.renderers,
                    video.frames,
                    video.repeated,
                    video.dropped,
                    video.worst_late_share * 100.0,
                    video.rss_per_renderer_mib,
                    if video.kept_real_time() { "real time kept" } else { "real time NOT kept" }
                );
            }
        }
    }
    Ok(())
}

/// `shopcast fleet render`: the room's scene from PostgreSQL (or --scene), then the stage on this thread.
fn render(args: FleetRenderArgs) -> Result<()> {
    use backstage::output::Destination;
    use backstage::output::live::{Sink, rtmp_destinations};
    let room = RoomId::parse(&args.room).map_err(anyhow::Error::msg)?;
    if !(1..=120).contains(&args.fps) {
        bail!("--fps {} must be from 1 to 120", args.fps);
    }
    let mut sinks: Vec<Sink> =
        rtmp_destinations(&args.rtmp.iter().cloned().collect::<Vec<_>>(), &|k| std::env::var(k).ok())?
            .into_iter()
            .map(Sink::Ffmpeg)
            .collect();
    if let Some(video) = &args.video {
        sinks.push(Sink::Ffmpeg(Destination::File(video.clone())));
    }
    match args.out.as_deref() {
        Some("-") => sinks.push(Sink::RawStdout),
        Some(other) => bail!("--out {other:?}: only `-` (raw frames on stdout) is written here"),
        None => {}
    }
    if sinks.is_empty() {
        bail!("say where the room goes: --rtmp URL, --video FILE or --out -");
    }
    let scene = match &args.scene {
        Some(path) => crate::demo::scene(Some(path))?,
        None => {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            let record = runtime.block_on(async {
                let pg = Pg::connect(&args.servers.postgres()?).await?;
                let rooms = pg.rooms().await?;
                anyhow::Ok(rooms.into_iter().find(|r| r.id == room))
            })?;
            let record = record.with_context(|| format!("there is no room {room}; `shopcast fleet room list`"))?;
            match &record.scene_toml {
                Some(text) => {
                    let load = backstage::scene::parse(&format!("room {room}'s scene"), text);
                    for d in &load.diagnostics {
                        eprintln!("{d}");
                    }
                    load.scene.with_context(|| format!("room {room}'s scene has errors; fix them and add it again"))?
                }
                None => model::Scene::studio(),
            }
        }
    };
    let (width, height) = match &args.size {
        Some(text) => crate::render::parse_size(text)
            .with_context(|| format!("--size {text:?} must look like 640x360 (16 to 7680 each)"))?,
        None => (scene.width, scene.height),
    };
    if width % 2 == 1 || height % 2 == 1 {
        bail!("--size {width}x{height}: streams and video files need an even width and height");
    }
    let report = crate::fleet_render::follow_room(crate::fleet_render::Follow {
        nats_url: args.servers.nats(),
        room,
        scene,
        frame: stage::FrameSize { width, height },
        fps: args.fps,
        sinks,
        seconds: args.seconds,
    })?;
    if let Some(output) = report.output {
        // One line a benchmark or a supervisor can read: how the stream kept time.
        eprintln!(
            "rendered: {} frames sent, {} repeated, {} dropped, {} lost in destinations",
            output.ticks,
            output.repeated,
            output.dropped,
            output.lost.iter().map(|(_, n)| n).sum::<u64>()
        );
    }
    Ok(())
}

/// `--audit-retain` in days, refused below the single-machine show's minimum.
fn retain_days(text: &str) -> Result<u32> {
    let days = backstage::store::parse_retention_days(text)
        .with_context(|| format!("--audit-retain {text:?} is not a period: write it like 3y, 5y or 1200d"))?;
    if days < backstage::store::MIN_RETENTION_DAYS {
        bail!(
            "--audit-retain {text} is {days} days; the audit is kept at least {} days (3 years, the e-commerce \
             record rules)",
            backstage::store::MIN_RETENTION_DAYS
        );
    }
    Ok(days)
}

/// SHOPCAST_FLEET_TOKEN, or one made up (and printed when `print`).
fn fleet_token(print: bool) -> Result<String> {
    match std::env::var("SHOPCAST_FLEET_TOKEN") {
        Ok(token) if token.trim().len() >= 16 => Ok(token.trim().to_string()),
        Ok(_) => bail!("SHOPCAST_FLEET_TOKEN is shorter than 16 characters; give a longer one"),
        Err(_) => {
            let token = backstage::console::token::random_hex(24)?;
            if print {
                println!("fleet token (set SHOPCAST_FLEET_TOKEN to keep one): {token}");
            }
            Ok(token)
        }
    }
}

async fn put_account(args: AccountArgs, reset: bool) -> Result<()> {
    use backstage::console::accounts::{self, Role};
    let name = accounts::check_name(&args.name)?;
    let pg = Pg::connect(&args.servers.postgres()?).await?;
    let existing = pg.accounts().await?.into_iter().find(|a| a.name == name);
    match (&existing, reset) {
        (Some(_), false) => bail!("there is already an account {name}; use `shopcast fleet account reset {name}`"),
        (None, true) => bail!("there is no account {name}; use `shopcast fleet account add {name}`"),
        _ => {}
    }
    let role = match (&args.role, &existing) {
        (Some(text), _) => Role::parse(text).ok_or_else(|| accounts::AccountError::BadRole(text.clone()))?,
        (None, Some(account)) => account.role,
        (None, None) => bail!("say which role {name} has: --role moderator, --role merchandiser or --role admin"),
    };
    let rooms: Option<Vec<RoomId>> = match (&args.rooms, args.all_rooms, &existing) {
        (Some(rooms), _, _) => {
            let rooms = rooms.iter().map(|r| RoomId::parse(r.trim())).collect::<Result<Vec<_>, _>>();
            let rooms = rooms.map_err(|e| anyhow::anyhow!("--rooms: {e}"))?;
            if rooms.is_empty() {
                bail!("--rooms names no room; leave it out (or pass --all-rooms) for every room");
            }
            Some(rooms)
        }
        (None, true, _) | (None, false, None) => None,
        (None, false, Some(account)) => account.rooms.clone(),
    };
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::stdin().lock(), &mut line)
            .context("cannot read the password from standard input")?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (accounts::generate_password()?, true)
    };
    let hash = accounts::hash_password(&password)?;
    if !pg.put_account(&name, role, &hash, rooms.as_deref(), reset).await? {
        bail!("the account {name} changed while this ran; try again");
    }
    let scope = match &rooms {
        Some(rooms) => rooms.iter().map(RoomId::as_str).collect::<Vec<_>>().join(", "),
        None => "every room".to_string(),
    };
    let verb = if reset { "reset" } else { "added" };
    eprintln!("account {name} ({}, {scope}) {verb}", role.as_str());
    if generated {
        // Printed once, on stdout alone, so a script can capture it; it is kept only as a hash.
        println!("{password}");
        eprintln!("that is its password: hand it over privately; it is not shown again");
    }
    Ok(())
}

async fn list_accounts(servers: Servers) -> Result<()> {
    let pg = Pg::connect(&servers.postgres()?).await?;
    let accounts = pg.accounts().await?;
    if accounts.is_empty() {
        eprintln!("no accounts yet; add one with `shopcast fleet account add NAME --role ROLE [--rooms a,b]`");
    }
    for account in accounts {
        let rooms = match &account.rooms {
            Some(rooms) => rooms.iter().map(RoomId::as_str).collect::<Vec<_>>().join(","),
            None => "(every room)".to_string(),
        };
        println!(
            "{:<32} {:<13} {rooms}  since {}",
            account.name,
            account.role.as_str(),
            backstage::store::rfc3339(model::UnixMs(account.created_ms))
        );
    }
    Ok(())
}

async fn console(args: ConsoleArgs) -> Result<()> {
    let token = fleet_token(true)?;
    let pg = Pg::connect(&args.servers.postgres()?).await?;
    let js = fleet::jetstream(&args.servers.nats(), "shopcast fleet console").await?;
    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("the fleet console cannot listen on {}", args.bind))?;
    println!("fleet console on http://{}/", listener.local_addr()?);
    let stop = CancellationToken::new();
    tokio::spawn(backstage::shutdown::cancel_on_signal(stop.clone(), None));
    fleet::console::serve(listener, pg, js, token, stop).await?;
    Ok(())
}
