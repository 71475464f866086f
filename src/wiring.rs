//! The live show's wiring: backstage's tasks on a tokio runtime, the Bevy stage on the main thread, and the
//! channels between them. This is the only place that knows both tokio and Bevy; it builds the parts, spawns them
//! and waits. One cancellation token ends everything (window closed, Ctrl-C, SIGTERM, time limit).

use crate::config::{Settings, VoiceSettings, WriterSettings};
use crate::demo;
use anyhow::{Context, Result, bail};
use backstage::catalog::watch::WatchedCatalog;
use backstage::clock::wall_now;
use backstage::console::{ConsoleConfig, ConsoleState, Metrics};
use backstage::llm::{LlmClient, LlmConfig};
use backstage::output::live::{self, FrameIn, Health, LiveConfig, LiveOutput, Report, Sink, rtmp_destinations};
use backstage::output::{Destination, Marking};
use backstage::show_loop::{ShowExtras, ShowLinks};
use backstage::store::{Store, StoreHandle, StoreThread};
use backstage::viewer_gate::ViewerGate;
use backstage::voice::Voice;
use backstage::writer::{LlmWriter, Writer};
use bevy::prelude::*;
use bevy::window::WindowResolution;
use director::{Input, Show};
use model::{Background, ConsoleEvent, Product, ShowTime, StageCommand};
use stage::{FrameSize, StageLink, StagePlugin};
use std::sync::Arc;
use std::time::Duration;
use tokio::runtime::Runtime;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// A show that stopped less than this long ago is resumed where it was; an older log is a previous show.
const RESUME_WITHIN_MS: i64 = 10 * 60 * 1000;

/// What a show's stage and live output did, for `bench-stream`.
#[derive(Debug, Default)]
pub struct ShowReport {
    /// The live output's counts (`None` without one).
    pub output: Option<live::OutputReport>,
    /// The headless stage's clock (all zero for a window).
    pub clock: stage::capture::LiveClockCounts,
}

pub fn run_show(settings: Settings, headless: bool, seconds: Option<f64>) -> Result<ShowReport> {
    if !headless && std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!("no display to open the show window on (DISPLAY is not set); run with --headless, or under xvfb-run");
    }
    let loaded = demo::catalog(settings.products.as_deref(), settings.currency.as_ref())?;
    let scene = demo::scene(settings.scene.as_deref())?;
    let frame =
        FrameSize { width: settings.width.unwrap_or(scene.width), height: settings.height.unwrap_or(scene.height) };
    let runtime = show_runtime()?;
    let shutdown = CancellationToken::new();
    let (link, stage_tx, stage_events) = StageLink::new(256);
    // One id for this run: in the stream's AI marking and on every row of the audit log.
    let show_id = Marking::new_show_id("show", wall_now());
    let live = live_config(&settings, frame, &show_id)?;
    let mut running =
        Backstage::start(&runtime, &settings, loaded, (stage_tx, stage_events), seconds, live, &show_id, &shutdown)?;

    let systemd = tell_systemd(&runtime, &running.metrics, &shutdown);
    let frames = running.output.as_ref().map(LiveOutput::frames);
    let clock = stage::capture::LiveClockStats::default();
    let live = LiveStage { frames, clock: clock.clone() };
    let stage = stage_app(headless, scene, frame, link, settings.fps, running.metrics.clone(), live);
    let mut app = match stage {
        Ok(app) => app,
        Err(e) => {
            shutdown.cancel();
            wait_briefly(&runtime, systemd);
            if let Some(output) = running.output.take() {
                output.finish();
            }
            running.finish(runtime);
            return Err(e);
        }
    };
    app.insert_resource(Shutdown(shutdown.clone())).add_systems(Update, exit_when_shut_down);
    if let Some(path) = settings.scene.clone() {
        let (scenes, inbox) = stage::SceneInbox::channel();
        app.insert_resource(inbox);
        let watch = backstage::scene::watch(path, scenes, shutdown.clone());
        runtime.spawn(async move { watch.await.unwrap_or_else(|e| tracing::warn!("scene hot reload is off: {e}")) });
    }
    tracing::info!(headless, width = frame.width, height = frame.height, "the show is on");
    let exit = app.run();

    shutdown.cancel();
    wait_briefly(&runtime, systemd);
    let output = running.output.take().map(LiveOutput::finish);
    running.finish(runtime);
    match exit {
        AppExit::Success => Ok(ShowReport { output, clock: clock.get() }),
        // Bevy quits this way when the renderer fails (its log above says why: a texture too large for the device,
        // a lost device); the show must not look as if it ended normally.
        AppExit::Error(code) => {
            anyhow::bail!("the stage stopped with an error (code {code}); the lines above say what the renderer hit")
        }
    }
}

/// The runtime backstage's tasks run on beside the stage (which has the main thread): two workers.
pub(crate) fn show_runtime() -> Result<Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Under systemd (`Type=notify`): READY=1 once the stage draws, watchdog pings while the stage and the director
/// beat, STOPPING=1 at the end (backstage::service). `None` when not started by systemd.
#[cfg(unix)]
fn tell_systemd(
    runtime: &Runtime,
    metrics: &backstage::console::Metrics,
    shutdown: &CancellationToken,
) -> Option<JoinHandle<()>> {
    use backstage::service::{Notifier, Watchdog};
    let env = |k: &str| std::env::var(k).ok();
    let notifier = Notifier::from_env(&env)?;
    let watchdog = Watchdog::from_env(&env);
    tracing::info!(?watchdog, "started by systemd: ready once the stage draws, watchdog pings while the show beats");
    Some(runtime.spawn(backstage::service::run(notifier, watchdog, metrics.clone(), shutdown.clone())))
}

#[cfg(not(unix))]
fn tell_systemd(_: &Runtime, _: &backstage::console::Metrics, _: &CancellationToken) -> Option<JoinHandle<()>> {
    None
}

/// Lets a task that is finishing (after the shutdown) say its last word, for at most a second.
fn wait_briefly(runtime: &Runtime, task: Option<JoinHandle<()>>) {
    if let Some(task) = task {
        let _ = runtime.block_on(async move { tokio::time::timeout(Duration::from_secs(1), task).await });
    }
}

/// What `run` sends the show to (`[output]`, --rtmp, --video, --out -, --record), as the live output takes it;
/// `None` when nothing is configured. Every output carries the AI marking with this run's show id.
fn live_config(settings: &Settings, frame: FrameSize, show_id: &str) -> Result<Option<LiveConfig>> {
    let output = &settings.output;
    if !output.any() {
        return Ok(None);
    }
    let mut sinks: Vec<Sink> = rtmp_destinations(&output.rtmp, &|k| std::env::var(k).ok())?
        .into_iter()
        .map(|d| Sink::Ffmpeg(Destination::clone(&d)))
        .collect();
    if let Some(video) = &output.video {
        sinks.push(Sink::Ffmpeg(Destination::File(video.clone())));
    }
    if let Some(dir) = &output.record {
        sinks.push(Sink::Ffmpeg(Destination::Segments { dir: dir.clone(), period: output.record_segment }));
    }
    if output.raw_stdout {
        sinks.push(Sink::RawStdout);
    }
    tracing::info!(%show_id, "outputs are marked as AI-generated with this show id");
    for sink in &sinks {
        if let Sink::Ffmpeg(destination) = sink {
            tracing::info!("output: {}", destination.describe());
        }
    }
    Ok(Some(LiveConfig {
        width: frame.width,
        height: frame.height,
        fps: settings.fps,
        sinks,
        marking: Marking::new(show_id),
    }))
}

/// Where this show's lines come from, for the audit log: the show id, this build, the LLM (model, server and the
/// version of the prompts it is sent) and the voice.
pub(crate) fn provenance(settings: &Settings, show_id: &str) -> backstage::store::audit::Provenance {
    use backstage::store::audit::{ModelProvenance, Provenance};
    let model = match &settings.writer {
        WriterSettings::Templates => None,
        WriterSettings::Llm { base_url, model } => {
            Some(ModelProvenance::new(model, base_url, director::prompt::prompt_version(&settings.show.persona)))
        }
    };
    let voice = match &settings.voice {
        VoiceSettings::Silent => "silent (captions only)".to_string(),
        VoiceSettings::Espeak { voice_en, voice_zh, .. } => format!("espeak-ng ({voice_en}, {voice_zh})"),
        VoiceSettings::OpenAi { base_url, model, voice, clone } => {
            let server = backstage::store::audit::without_credentials(base_url);
            match clone {
                None => format!("{model} ({voice}) at {server}"),
                Some(c) => format!(
                    "{model} ({voice}) at {server}, a clone of {}'s voice, their written consent: {}",
                    c.of, c.consent
                ),
            }
        }
    };
    Provenance {
        show_id: show_id.to_string(),
        producer: format!("shopcast/{}", env!("CARGO_PKG_VERSION")),
        model,
        voice,
    }
}

/// Keeps the products as they were in the audit log: each change of the director's queue (a reloaded product file,
/// a moderator's price, stock or flash sale) is written as a `catalog` event, until the show's task ends.
async fn record_products(mut queue: watch::Receiver<Vec<Product>>, started_with: Vec<Product>, store: StoreHandle) {
    let mut last = started_with;
    while queue.changed().await.is_ok() {
        let products = queue.borrow_and_update().clone();
        if products == last {
            continue;
        }
        last = products.clone();
        let now = wall_now();
        store.submit("audit log: the products", move |s| s.record_catalog("queue", &products, now)).await;
    }
}

/// Everything of the show that runs on the tokio runtime, as the end of the show needs it.
struct Backstage {
    /// The show's own output (streams, files, recording), when configured; finished before the rest.
    output: Option<LiveOutput>,
    store: StoreHandle,
    store_thread: StoreThread,
    console: ConsoleState,
    metrics: Metrics,
    show: JoinHandle<()>,
    audit: JoinHandle<()>,
    /// Ends the audit writer, once the show's task has ended and its last lines are in the broadcast.
    audit_stop: CancellationToken,
}

impl Backstage {
    /// Opens the audit log, queues the starting products and the moderators' standing decisions, and spawns the
    /// audit writer, OBS, the console, chat, the stage bridge, the product file watch and the show's task.
    #[allow(clippy::too_many_arguments)]
    fn start(
        runtime: &Runtime,
        settings: &Settings,
        loaded: backstage::catalog::CatalogLoad,
        (stage, stage_events): (async_channel::Sender<StageCommand>, async_channel::Receiver<model::StageEvent>),
        seconds: Option<f64>,
        live: Option<LiveConfig>,
        show_id: &str,
        shutdown: &CancellationToken,
    ) -> Result<Backstage> {
        let _inside = runtime.enter();
        // The audit log opens first: a show without its record must not go on air, and after a crash the log says
        // where the show was, so it picks up there instead of starting over.
        let store_path = backstage::store::path(None, &|k| std::env::var(k).ok());
        let (store, store_thread) = StoreHandle::spawn(Store::open(&store_path, settings.audit_retention_days)?)?;
        let resume = store.resume_point(wall_now(), RESUME_WITHIN_MS)?;
        tracing::info!(path = %store_path.display(), ?resume, "audit log");
        let wires = Wires::new(loaded.products.clone(), &store)?;
        let audit_stop = CancellationToken::new();
        let show_provenance = Arc::new(provenance(settings, show_id));
        let write_ahead = backstage::store::audit::WriteAhead::new(store.clone(), show_provenance.clone());
        let audit = tokio::spawn(backstage::store::audit::run(
            wires.console.subscribe(),
            store.clone(),
            show_provenance,
            loaded.products.clone(),
            audit_stop.clone(),
        ));
        let metrics = Metrics::new();
        // A copy of every stage command for OBS and the output's voice track.
        let stage_tap = (settings.obs.is_some() || live.is_some()).then(|| broadcast::channel(1024).0);
        let output = match (live, &stage_tap) {
            (Some(config), Some(tap)) => {
                let to_show = wires.input_tx.clone();
                let report: Report = Arc::new(move |health: Health| {
                    // From the output's own threads, never inside the runtime; after the show ends nobody listens.
                    let _ = to_show.blocking_send(Input::SourceHealth {
                        source: health.source,
                        healthy: health.healthy,
                        detail: health.detail,
                    });
                });
                Some(LiveOutput::start(config, tap.subscribe(), metrics.clone(), report)?)
            }
            _ => None,
        };
        let obs_control = start_obs(settings, &wires.input_tx, stage_tap.as_ref());
        // A verified shop webhook (served with the console) wakes the shop sync.
        let nudge = Arc::new(tokio::sync::Notify::new());
        let console = start_console(settings, &wires, &store, &metrics, obs_control, nudge.clone(), shutdown)?;
        let _ = wires.console.send(ConsoleEvent::CatalogLoaded {
            path: settings
                .products
                .as_ref()
                .map_or_else(|| demo::DEMO_PRODUCTS_NAME.into(), |p| p.display().to_string()),
            products: loaded.products.len(),
            diagnostics: loaded.diagnostics,
        });
        tokio::spawn(bridge_stage_events(stage_events, wires.input_tx.clone()));
        // Ctrl-C, SIGTERM (systemd, docker, a supervisor) or the time limit: the line on air is logged and the
        // audit log written out before the process exits.
        // A limit too large for a Duration (or infinite) is no limit; NaN or a negative one is an immediate stop.
        // The limit counts from the first frame drawn (`--seconds` is time on air), or from a minute after start if
        // the stage never draws.
        let limit = seconds.map(|s| Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(Duration::MAX));
        let on_air = first_frame(metrics.clone(), Duration::from_secs(60));
        tokio::spawn(backstage::shutdown::cancel_after_start(shutdown.clone(), limit, on_air));
        if let Some(url) = settings.care_webhook.clone() {
            tokio::spawn(backstage::care_webhook::run(url, wires.console.subscribe(), shutdown.clone()));
        }
        if let Some(path) = settings.products.clone() {
            // Hot reload: a saved product file goes live once it validates; a broken one never replaces the queue.
            let catalog = WatchedCatalog { path, format: None, currency: settings.currency.clone() };
            let watch = backstage::catalog::watch::run(
                catalog,
                wires.input_tx.clone(),
                wires.console.clone(),
                shutdown.clone(),
            );
            tokio::spawn(async move {
                watch.await.unwrap_or_else(|e| tracing::warn!("product file hot reload is off: {e}"))
            });
        }
        if let Some(shop) = &settings.shop {
            start_shop_sync(shop, &wires, nudge.clone(), shutdown);
        }
        tokio::spawn(record_products(wires.products.subscribe(), loaded.products.clone(), store.clone()));
        let extras = ShowExtras {
            products: Some(wires.products),
            metrics: Some(metrics.clone()),
            gate: Some(Arc::new(ViewerGate::new(console.clone(), store.clone()))),
            stage_tap,
            write_ahead: Some(write_ahead),
        };
        let links = ShowLinks { inputs: wires.inputs, input_tx: wires.input_tx, stage, console: wires.console, extras };
        let mut show = Show::new(settings.show.clone(), ShowTime(0), wall_now());
        show.resume(resume);
        let writer = make_writer(&settings.writer)?;
        let voice = make_voice(&settings.voice, settings.show.voice_timeout_ms);
        let show = tokio::spawn(backstage::show_loop::run(show, writer, voice, links, shutdown.clone()));
        Ok(Backstage { output, store, store_thread, console, metrics, show, audit, audit_stop })
    }

    /// After the shutdown: waits for the show's task, lets the audit writer write its last lines, stops the
    /// runtime, and lets the store's thread write what is queued and close the file.
    fn finish(self, runtime: Runtime) {
        let _ = runtime.block_on(self.show);
        self.audit_stop.cancel();
        let _ = runtime.block_on(self.audit);
        // The chain's head, for the operator to keep apart from the log (`shopcast audit verify --head`).
        match runtime.block_on(self.store.call(|s| s.chain_head())) {
            Ok(head) => tracing::info!(link = head.seq, hash = %head.hash, "audit log chain head"),
            Err(e) => tracing::warn!("audit log: cannot read the chain head: {e}"),
        }
        drop((self.console, self.store));
        runtime.shutdown_timeout(Duration::from_secs(1));
        self.store_thread.finish();
    }
}

/// The channels between the show's task and everything that feeds it or listens to it.
struct Wires {
    /// Inputs for the director: catalog, console, chat, stage bridge, OBS, and the show's own spawned work. The
    /// show's task receives; the show ends when every sender is gone.
    inputs: mpsc::Receiver<Input>,
    input_tx: mpsc::Sender<Input>,
    /// The director's events: sent by the show's task (and catalog reloads), received by the console, its
    /// metrics and the audit writer; slow receivers lag rather than block the show.
    console: broadcast::Sender<ConsoleEvent>,
    /// The product queue as the director holds it: sent by the show's task, read by the console.
    products: watch::Sender<Vec<Product>>,
    products_rx: watch::Receiver<Vec<Product>>,
}

impl Wires {
    /// The channels, with the starting products and the moderators' standing decisions already queued for the
    /// director, before any chat arrives.
    fn new(products: Vec<Product>, store: &StoreHandle) -> Result<Wires> {
        let (input_tx, inputs) = mpsc::channel(256);
        let (products_tx, products_rx) = watch::channel(products.clone());
        input_tx.try_send(Input::ProductsLoaded(products)).context("the show's input queue refused the products")?;
        for input in store.restore_moderation(wall_now())? {
            input_tx.try_send(input).context("the show's input queue refused the stored moderation state")?;
        }
        let (console, _) = broadcast::channel(1024);
        Ok(Wires { inputs, input_tx, console, products: products_tx, products_rx })
    }
}

/// Resolves once the stage has drawn its first frame (its first heartbeat), or after `at_most`.
async fn first_frame(metrics: Metrics, at_most: Duration) {
    let drawn = async {
        while metrics.stage_heartbeat_age_ms().is_none() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    if tokio::time::timeout(at_most, drawn).await.is_err() {
        tracing::warn!("the stage has not drawn a frame after {} s; the time limit runs from now", at_most.as_secs());
    }
}

/// The moderators' console (token, live products, the store's moderation state, metrics, OBS buttons) on its
/// address, and the chat sources with the generic ingest for bridges (docs/INGEST.md) on the same address. Call
/// inside the runtime.
fn start_console(
    settings: &Settings,
    wires: &Wires,
    store: &StoreHandle,
    metrics: &Metrics,
    obs: Option<mpsc::Sender<backstage::obs::ObsControl>>,
    nudge: Arc<tokio::sync::Notify>,
    shutdown: &CancellationToken,
) -> Result<ConsoleState> {
    let token = backstage::console::token::load_or_create(&|k| std::env::var(k).ok(), None)
        .context("cannot set up the console token")?;
    if let backstage::console::TokenSource::Created(path) = &token.source {
        // Printed once, on the terminal of whoever starts the show; later starts reuse the file.
        eprintln!("console token (shown once; kept in {}): {}", path.display(), token.secret());
    }
    // Served on the console's address and on [chat] ingest_bind when that is set (the same state, so a comment
    // sent to both arrives once).
    let ingest = crate::chat_sources::ingest(token.secret(), wires.input_tx.clone());
    let mut config =
        ConsoleConfig::new(token, wires.input_tx.clone(), wires.console.clone(), wires.products_rx.clone());
    config.keep_in(store.clone());
    config.metrics = metrics.clone();
    config.obs = obs;
    config.ingest = ingest.clone();
    config.shop_hooks = settings.shop.as_ref().and_then(|shop| {
        let secret = std::env::var(shop.webhook_secret_var()).ok().filter(|s| !s.is_empty());
        if secret.is_none() {
            tracing::info!(
                "no {} in the environment: the shop's webhooks are off, and the shop is read every {} s",
                shop.webhook_secret_var(),
                shop.poll.as_secs()
            );
        }
        let name = if shop.kind == "shopify" { "shopify" } else { "woocommerce" };
        secret.map(|secret| backstage::shop::webhook::WebhookState::new(name, secret.into_bytes(), nudge.clone()))
    });
    config.limits.care_raise_again = settings.care_raise_again;
    let state = ConsoleState::new(config);
    match std::net::TcpListener::bind(settings.console_bind) {
        Ok(listener) => {
            listener.set_nonblocking(true)?;
            let addr = listener.local_addr()?;
            let listener = tokio::net::TcpListener::from_std(listener)?;
            tracing::info!("moderators' console on http://{addr}/ (token required; see docs/CONSOLE.md)");
            if ingest.is_some() {
                tracing::info!("chat ingest for bridges on http://{addr}/ingest/comments and ws://{addr}/ingest/ws");
            }
            let served =
                backstage::console::serve_listener(listener, state.clone(), shutdown.clone().cancelled_owned());
            tokio::spawn(async move { served.await.unwrap_or_else(|e| tracing::error!("the console stopped: {e}")) });
        }
        // The show goes on without its console rather than not at all; the log says what to change.
        Err(e) => tracing::error!(
            "the console cannot listen on {} ({e}); the show runs without it: set [console] bind or \
             --console-bind to a free address",
            settings.console_bind
        ),
    }
    let env = |k: &str| std::env::var(k).ok();
    crate::chat_sources::start(&settings.chat, &env, ingest, wires.input_tx.clone(), &wires.console, shutdown)?;
    Ok(state)
}

/// Live prices and stock from the shop: the sync task reads the products the director holds and sends what the
/// shop says; a verified webhook (see `start_console`) wakes it through `nudge`. Missing credentials turn the sync
/// off with an error naming the variable, and the show runs on its product file.
fn start_shop_sync(
    shop: &crate::config::ShopSettings,
    wires: &Wires,
    nudge: Arc<tokio::sync::Notify>,
    shutdown: &CancellationToken,
) {
    match shop.config(|k| std::env::var(k).ok()) {
        Ok(config) => {
            tracing::info!("live shop sync with {} at {} every {} s", shop.kind, shop.url, shop.poll.as_secs());
            let links = backstage::shop::ShopLinks {
                products: wires.products.subscribe(),
                inputs: wires.input_tx.clone(),
                nudge,
            };
            tokio::spawn(backstage::shop::run(config, links, shutdown.clone()));
        }
        Err(why) => {
            tracing::error!("{why}");
            let _ = wires.input_tx.try_send(Input::SourceHealth {
                source: format!("shop ({})", shop.kind),
                healthy: false,
                detail: why,
            });
        }
    }
}

/// OBS follows the show's moments (product, hand-over, standby) from a copy of the stage commands; the console's
/// OBS buttons reach it on their own channel; its health and answers come back as director inputs. Call inside the
/// runtime.
fn start_obs(
    settings: &Settings,
    to_show: &mpsc::Sender<Input>,
    tap: Option<&broadcast::Sender<StageCommand>>,
) -> Option<mpsc::Sender<backstage::obs::ObsControl>> {
    use backstage::obs::ObsReport;
    let (Some(obs), Some(tap)) = (settings.obs.clone(), tap) else { return None };
    let commands = tap.subscribe();
    let (control_tx, control_rx) = mpsc::channel(8);
    let (reports_tx, mut reports) = mpsc::channel(64);
    tokio::spawn(backstage::obs::run_director(obs, commands, control_rx, reports_tx));
    let to_show = to_show.clone();
    tokio::spawn(async move {
        while let Some(report) = reports.recv().await {
            let input = match report {
                ObsReport::Health { healthy, detail } => Input::SourceHealth { source: "obs".into(), healthy, detail },
                ObsReport::Control { action, outcome: Ok(()) } => {
                    Input::SourceHealth { source: "obs".into(), healthy: true, detail: format!("{action:?} done") }
                }
                ObsReport::Control { action, outcome: Err(e) } => {
                    tracing::warn!("OBS {action:?}: {e}");
                    Input::SourceHealth { source: "obs".into(), healthy: true, detail: e }
                }
                ObsReport::ActionFailed { action, error } => {
                    tracing::warn!("OBS refused {action}: {error}");
                    continue;
                }
            };
            if to_show.send(input).await.is_err() {
                break;
            }
        }
    });
    tracing::info!("OBS control on (obs-websocket)");
    Some(control_tx)
}

/// Stage events become director inputs.
async fn bridge_stage_events(events: async_channel::Receiver<model::StageEvent>, inputs: mpsc::Sender<Input>) {
    while let Ok(event) = events.recv().await {
        if inputs.send(Input::Stage(event)).await.is_err() {
            break;
        }
    }
}

/// What the headless stage gives the live output: its frames (when there is an output) and its clock's counts.
pub(crate) struct LiveStage {
    pub(crate) frames: Option<FrameIn>,
    pub(crate) clock: stage::capture::LiveClockStats,
}

/// The Bevy app: a window, or headless rendering at `fps`, with the stage's heartbeat and frame time reported.
pub(crate) fn stage_app(
    headless: bool,
    scene: model::Scene,
    frame: FrameSize,
    link: StageLink,
    fps: u32,
    metrics: Metrics,
    live: LiveStage,
) -> Result<App> {
    let mut app = if headless {
        let (mut app, target) = stage::capture::headless_app(scene, frame, link)?;
        // An update that starts late runs for the present instant, not for the ones it missed: updates run back to
        // back to catch up pile work onto a software rasteriser that is already the bottleneck, and every frame
        // behind it arrives late (BENCHMARKS.md, "Pacing on the show's clock").
        let catch_up = Duration::ZERO;
        app.add_plugins(stage::capture::LiveClockPlugin { fps, catch_up, stats: live.clock });
        if let Some(frames) = live.frames {
            stage::capture::stream_frames(&mut app, target, move |f| frames.push(f.index, f.shows, f.rgba));
        }
        app
    } else {
        windowed_app(scene, frame, link)
    };
    app.insert_resource(StageMetrics(metrics)).add_systems(Update, report_frames);
    Ok(app)
}

fn windowed_app(scene: model::Scene, frame: FrameSize, link: StageLink) -> App {
    let transparent = scene.background == Background::Transparent;
    let mut app = App::new();
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: "shopcast — AI host".into(),
                    resolution: WindowResolution::new(frame.width, frame.height).with_scale_factor_override(1.0),
                    resizable: false,
                    transparent,
                    ..default()
                }),
                ..default()
            })
            .disable::<bevy::log::LogPlugin>(),
    );
    app.add_plugins(StagePlugin { scene, frame, link });
    app.world_mut().spawn(stage::stage_camera());
    app.add_systems(Update, fit_window_to_screen);
    app
}

/// A scene larger than the screen (a 1080x1920 vertical scene on a 1080p monitor) would open a window whose
/// bottom, with the host and the captions, is off screen. Once the screen is known, such a window is shown
/// scaled down to fit: the scene's layout (in logical pixels) is unchanged, only its pixels on the monitor shrink.
/// Full-resolution frames for streaming come from the headless stage (`run --headless`, `render`).
fn fit_window_to_screen(
    mut done: Local<bool>,
    frame: Res<stage::layout::FrameSize>,
    monitors: Query<&bevy::window::Monitor, With<bevy::window::PrimaryMonitor>>,
    mut windows: Query<&mut Window, With<bevy::window::PrimaryWindow>>,
) {
    if *done {
        return;
    }
    let (Ok(monitor), Ok(mut window)) = (monitors.single(), windows.single_mut()) else {
        return;
    };
    *done = true;
    let scale = frame.window_scale((monitor.physical_width, monitor.physical_height));
    if scale < 1.0 {
        window.resolution.set_scale_factor_override(Some(scale));
        window
            .resolution
            .set_physical_resolution((frame.width as f32 * scale) as u32, (frame.height as f32 * scale) as u32);
        tracing::warn!(
            "the scene is {}x{} and the screen {}x{}: the window is shown at {:.0}% to fit, so OBS window capture \
             gets {}x{}; a screen of at least {}x{} shows it at full size",
            frame.width,
            frame.height,
            monitor.physical_width,
            monitor.physical_height,
            scale * 100.0,
            (frame.width as f32 * scale) as u32,
            (frame.height as f32 * scale) as u32,
            (frame.width as f32 / 0.95).ceil() as u32,
            (frame.height as f32 / 0.9).ceil() as u32
        );
    }
}

/// The show's shutdown, as the stage sees it.
#[derive(Resource)]
pub(crate) struct Shutdown(pub(crate) CancellationToken);

pub(crate) fn exit_when_shut_down(shutdown: Res<Shutdown>, mut exit: MessageWriter<AppExit>) {
    if shutdown.0.is_cancelled() {
        exit.write(AppExit::Success);
    }
}

/// The configured writer: templates, or the LLM behind the guard with templates as the fallback. Call inside the
/// runtime (reqwest wants one, though building the client spawns nothing).
pub(crate) fn make_writer(settings: &WriterSettings) -> Result<Writer> {
    match settings {
        WriterSettings::Templates => Ok(Writer::Templates),
        WriterSettings::Llm { base_url, model } => {
            let client =
                LlmClient::new(llm_config(base_url, model)).context("the LLM writer's settings are invalid")?;
            tracing::info!(%base_url, %model, "writer: LLM behind the guard, templates as the fallback");
            Ok(Writer::Llm(LlmWriter::new(client)))
        }
    }
}

/// The LLM client's settings for `[writer] kind = "llm"`, the API key from SHOPCAST_LLM_API_KEY.
pub(crate) fn llm_config(base_url: &str, model: &str) -> LlmConfig {
    let config = LlmConfig::new(base_url, model);
    match std::env::var("SHOPCAST_LLM_API_KEY") {
        Ok(key) => config.with_api_key(key),
        Err(_) => config,
    }
}

/// The configured voice as `run` and `doctor` start it (`Voice::Silent` for kind = "silent"), each line given
/// `timeout`; the TTS key from SHOPCAST_TTS_API_KEY. Blocks briefly while espeak-ng loads its voices.
pub(crate) fn build_voice(
    settings: &crate::config::VoiceSettings,
    timeout: Duration,
) -> Result<Voice, backstage::voice::VoiceError> {
    use crate::config::VoiceSettings;
    use backstage::voice::{EspeakOptions, OpenAiTtsOptions};
    match settings {
        VoiceSettings::Silent => Ok(Voice::Silent),
        VoiceSettings::Espeak { rate_wpm, voice_en, voice_zh } => Voice::espeak(EspeakOptions {
            rate_wpm: *rate_wpm,
            voice_en: voice_en.clone(),
            voice_zh: voice_zh.clone(),
            timeout,
        }),
        VoiceSettings::OpenAi { base_url, model, voice, .. } => {
            let mut options = OpenAiTtsOptions::new(base_url.clone(), model.clone(), voice.clone());
            if let Ok(key) = std::env::var("SHOPCAST_TTS_API_KEY") {
                options = options.with_api_key(key);
            }
            options.timeout = timeout;
            Voice::openai(options)
        }
    }
}

/// The configured voice. A voice that cannot start (espeak-ng's data missing, a bad TTS address) leaves the show
/// captioned and silent rather than off the air; the log says why and what to fix.
fn make_voice(settings: &crate::config::VoiceSettings, timeout_ms: u64) -> Voice {
    match build_voice(settings, Duration::from_millis(timeout_ms)) {
        Ok(voice) => {
            tracing::info!(voice = voice.name(), "voice ready");
            voice
        }
        Err(e) => {
            tracing::error!("the voice could not start ({e}); the show goes on with captions only");
            Voice::Silent
        }
    }
}

/// The stage's side of /healthz and /metrics: a heartbeat and the frame time, every frame.
#[derive(Resource)]
struct StageMetrics(Metrics);

/// The frame time is measured on the wall clock: the headless stage's Bevy clock runs on the show's frame instants
/// (`LiveClockPlugin`), which are evenly spaced whatever the frames cost.
fn report_frames(metrics: Res<StageMetrics>, mut last: Local<Option<std::time::Instant>>) {
    metrics.0.stage_heartbeat();
    let now = std::time::Instant::now();
    if let Some(last) = last.replace(now) {
        metrics.0.observe_frame_ms((now - last).as_secs_f64() * 1000.0);
    }
}
