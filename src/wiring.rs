//! The live show's wiring: the director's task on a tokio runtime, the Bevy stage on the main thread, and the
//! channels between them. This is the only place that knows both tokio and Bevy.

use crate::config::{Settings, WriterSettings};
use crate::demo;
use anyhow::{Context, Result, bail};
use backstage::catalog::watch::{self, WatchedCatalog};
use backstage::llm::{LlmClient, LlmConfig};
use backstage::show_loop::{self, CommentGate, ShowExtras, ShowLinks};
use backstage::voice::Voice;
use backstage::writer::{LlmWriter, Writer};
use bevy::app::ScheduleRunnerPlugin;
use bevy::prelude::*;
use bevy::window::WindowResolution;
use director::{Input, Show};
use model::{Background, ShowTime};
use stage::{FrameSize, StageLink, StagePlugin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// A show that stopped less than this long ago is resumed where it was; an older log is a previous show.
const RESUME_WITHIN_MS: i64 = 10 * 60 * 1000;

/// Set when the show must end (window closed, Ctrl-C, time limit); both halves watch it.
#[derive(Resource, Clone)]
struct StopFlag(Arc<AtomicBool>);

fn exit_when_stopped(flag: Res<StopFlag>, mut exit: MessageWriter<AppExit>) {
    if flag.0.load(Ordering::Relaxed) {
        exit.write(AppExit::Success);
    }
}

pub fn run_show(settings: Settings, headless: bool, seconds: Option<f64>) -> Result<()> {
    let loaded = demo::catalog(settings.products.as_deref(), settings.currency.as_ref())?;
    let products = loaded.products.clone();
    let scene = demo::scene(settings.scene.as_deref())?;
    let frame =
        FrameSize { width: settings.width.unwrap_or(scene.width), height: settings.height.unwrap_or(scene.height) };
    if !headless && std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        bail!("no display to open the show window on (DISPLAY is not set); run with --headless, or under xvfb-run");
    }

    // The audit log opens first: a show without its record must not go on air, and after a crash the log says
    // where the show was, so it picks up there instead of starting over.
    let store_path = crate::transcript::store_path(None, &|k| std::env::var(k).ok());
    let store = backstage::store::Store::open(&store_path, backstage::store::DEFAULT_RETENTION_DAYS)?;
    let resume = store.resume_point(wall_clock_now(), RESUME_WITHIN_MS)?;
    tracing::info!(path = %store_path.display(), ?resume, "audit log");
    let stop = Arc::new(AtomicBool::new(false));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let (link, stage_tx, stage_events) = StageLink::new(256);
    let (input_tx, inputs) = mpsc::channel(256);
    // The console lists the starting products at once; the show loop republishes them after every change.
    let (products_tx, products_rx) = tokio::sync::watch::channel(products.clone());
    input_tx.try_send(Input::ProductsLoaded(products)).context("the show's input queue refused the products")?;
    let (console, _) = broadcast::channel(1024);

    // The moderators' console: its token (also the chat ingest's), the live product list, standing moderation
    // decisions restored from the store before any chat arrives, metrics and health.
    let console_token = backstage::console::token::load_or_create(&|k| std::env::var(k).ok(), None)
        .context("cannot set up the console token")?;
    if let backstage::console::TokenSource::Created(path) = &console_token.source {
        // Printed once, on the terminal of whoever starts the show; later starts reuse the file.
        eprintln!("console token (shown once; kept in {}): {}", path.display(), console_token.secret());
    }
    let metrics = backstage::console::Metrics::new();
    let console_store = backstage::store::Store::open(&store_path, backstage::store::DEFAULT_RETENTION_DAYS)?;
    for input in console_store.restore_moderation(wall_clock_now())? {
        input_tx.try_send(input).context("the show's input queue refused the stored moderation state")?;
    }
    let memory = backstage::store::Store::open(&store_path, backstage::store::DEFAULT_RETENTION_DAYS)?;
    // OBS follows the show's moments (product, hand-over, standby) from a copy of the stage commands; the console's
    // OBS buttons reach it on their own channel; its health and answers come back as director inputs.
    let (stage_tap, obs_control) = match settings.obs.clone() {
        Some(obs) => {
            let (tap, commands) = broadcast::channel(256);
            let (control_tx, control_rx) = mpsc::channel(8);
            let (reports_tx, mut reports) = mpsc::channel(64);
            runtime.spawn(backstage::obs::run_director(obs, commands, control_rx, reports_tx));
            let to_show = input_tx.clone();
            runtime.spawn(async move {
                use backstage::obs::ObsReport;
                while let Some(report) = reports.recv().await {
                    let input = match report {
                        ObsReport::Health { healthy, detail } => {
                            Input::SourceHealth { source: "obs".into(), healthy, detail }
                        }
                        ObsReport::Control { action, outcome: Ok(()) } => Input::SourceHealth {
                            source: "obs".into(),
                            healthy: true,
                            detail: format!("{action:?} done"),
                        },
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
            (Some(tap), Some(control_tx))
        }
        None => (None, None),
    };
    // The generic chat ingest for bridges (docs/INGEST.md): served on the console's address, with its token, and
    // on [chat] ingest_bind too when that is set (the same state, so a comment sent to both arrives once).
    let ingest = {
        let _guard = runtime.enter();
        crate::chat_sources::ingest(console_token.secret(), input_tx.clone())
    };
    let console_state = {
        let _guard = runtime.enter();
        let mut config = backstage::console::ConsoleConfig::new(
            console_token.clone(),
            input_tx.clone(),
            console.clone(),
            products_rx,
        );
        config.store = Some(console_store);
        config.metrics = metrics.clone();
        config.obs = obs_control;
        config.ingest = ingest.clone();
        backstage::console::ConsoleState::new(config)
    };
    // The console's catalog panel starts with the file as it was read, so products dropped at startup (and why)
    // are on the moderators' page, not only in a terminal nobody watches.
    let _ = console.send(model::ConsoleEvent::CatalogLoaded {
        path: settings
            .products
            .as_ref()
            .map_or_else(|| demo::DEMO_PRODUCTS_NAME.to_string(), |p| p.display().to_string()),
        products: loaded.products.len(),
        diagnostics: loaded.diagnostics,
    });
    match std::net::TcpListener::bind(settings.console_bind) {
        Ok(listener) => {
            listener.set_nonblocking(true)?;
            let addr = listener.local_addr()?;
            let listener = {
                let _guard = runtime.enter();
                tokio::net::TcpListener::from_std(listener)?
            };
            let state = console_state.clone();
            let stopped = stop.clone();
            let until_stopped = async move {
                while !stopped.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            };
            tracing::info!("moderators' console on http://{addr}/ (token required; see docs/CONSOLE.md)");
            if ingest.is_some() {
                tracing::info!("chat ingest for bridges on http://{addr}/ingest/comments and ws://{addr}/ingest/ws");
            }
            runtime.spawn(async move {
                if let Err(e) = backstage::console::serve_listener(listener, state, until_stopped).await {
                    tracing::error!("the console stopped: {e}");
                }
            });
        }
        // The show goes on without its console rather than not at all; the log says what to change.
        Err(e) => tracing::error!(
            "the console cannot listen on {} ({e}); the show runs without it: set [console] bind or \
             --console-bind to a free address",
            settings.console_bind
        ),
    }

    // Stage events become director inputs.
    let bridge_tx = input_tx.clone();
    runtime.spawn(async move {
        while let Ok(event) = stage_events.recv().await {
            if bridge_tx.send(Input::Stage(event)).await.is_err() {
                break;
            }
        }
    });
    let shutdown = {
        let stop = stop.clone();
        async move {
            let deadline = seconds.map(|s| tokio::time::Instant::now() + Duration::from_secs_f64(s.max(0.0)));
            // SIGTERM (systemd, docker, a supervisor) stops the show as cleanly as Ctrl-C: the line on air is
            // logged and the audit log is flushed before the process exits.
            let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            let terminated = async move {
                match terminate.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::pin!(terminated);
            loop {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => break,
                    _ = &mut terminated => break,
                    _ = tokio::time::sleep(Duration::from_millis(100)) => {
                        if stop.load(Ordering::Relaxed) || deadline.is_some_and(|d| tokio::time::Instant::now() >= d) {
                            break;
                        }
                    }
                }
            }
            stop.store(true, Ordering::Relaxed);
        }
    };
    if let Some(path) = settings.products.clone() {
        // Hot reload: a saved product file goes live once it validates; a broken one never replaces the queue.
        let catalog = WatchedCatalog { path, format: None, currency: settings.currency.clone() };
        let stopped = stop.clone();
        let until_stopped = async move {
            while !stopped.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        let watch = watch::watch(catalog, input_tx.clone(), console.clone(), until_stopped);
        runtime.spawn(async move {
            if let Err(e) = watch.await {
                tracing::warn!("product file hot reload is off: {e}");
            }
        });
    }
    {
        // Chat sources run until the show stops.
        let _guard = runtime.enter();
        let stop_flag = stop.clone();
        let stopped = move || -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
            let stop_flag = stop_flag.clone();
            Box::pin(async move {
                while !stop_flag.load(Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            })
        };
        crate::chat_sources::start(&settings.chat, &|k| std::env::var(k).ok(), ingest, input_tx.clone(), stopped)?;
    }
    let audit = start_audit_log(store, &console)?;
    let gate = ViewerGate { console: console_state.clone(), memory: std::sync::Mutex::new(memory) };
    let extras = ShowExtras {
        products: Some(products_tx),
        metrics: Some(metrics.clone()),
        gate: Some(Arc::new(gate)),
        stage_tap,
    };
    let links = ShowLinks { inputs, input_tx, stage: stage_tx, console, extras };
    let mut show = Show::new(settings.show.clone(), ShowTime(0), wall_clock_now());
    show.resume(resume);
    let writer = match &settings.writer {
        WriterSettings::Templates => Writer::Templates,
        WriterSettings::Llm { base_url, model } => {
            let mut config = LlmConfig::new(base_url.clone(), model.clone());
            if let Ok(key) = std::env::var("SHOPCAST_LLM_API_KEY") {
                config = config.with_api_key(key);
            }
            // Building the client spawns nothing, but reqwest wants to be inside the runtime.
            let client = {
                let _guard = runtime.enter();
                LlmClient::new(config).context("the LLM writer's settings are invalid")?
            };
            tracing::info!(%base_url, %model, "writer: LLM behind the guard, templates as the fallback");
            Writer::Llm(LlmWriter::new(client))
        }
    };
    let voice = {
        let _guard = runtime.enter();
        make_voice(&settings.voice, settings.show.voice_timeout_ms)
    };
    let show_task = runtime.spawn(show_loop::run(show, writer, voice, links, shutdown));

    let mut app = if headless {
        let (mut app, _target) = stage::capture::headless_app(scene, frame, link)?;
        app.add_plugins(ScheduleRunnerPlugin::run_loop(Duration::from_secs_f64(1.0 / settings.fps as f64)));
        app
    } else {
        windowed_app(scene, frame, link)
    };
    app.insert_resource(StopFlag(stop.clone())).add_systems(Update, exit_when_stopped);
    app.insert_resource(StageMetrics(metrics)).add_systems(Update, report_frames);
    if let Some(path) = settings.scene.clone() {
        let (scenes, inbox) = stage::SceneInbox::channel();
        app.insert_resource(inbox);
        watch_scene(path, scenes, stop.clone());
    }
    tracing::info!(headless, width = frame.width, height = frame.height, "the show is on");
    let exit = app.run();

    stop.store(true, Ordering::Relaxed);
    let _ = runtime.block_on(show_task);
    runtime.shutdown_timeout(Duration::from_secs(1));
    // The console holds a sender of the events too; with it gone, every sender is gone with the runtime, and the
    // audit log writes what is left and stops.
    drop(console_state);
    let _ = audit.join();
    match exit {
        AppExit::Success => Ok(()),
        // Bevy quits this way when the renderer fails (its log above says why: a texture too large for the device,
        // a lost device); the show must not look as if it ended normally.
        AppExit::Error(code) => {
            anyhow::bail!("the stage stopped with an error (code {code}); the lines above say what the renderer hit")
        }
    }
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
    app
}

/// The wall clock now, as the director's offer windows need it.
pub fn wall_clock_now() -> model::UnixMs {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    model::UnixMs(since_epoch.as_millis() as i64)
}

/// Writes every aired line, escalation and catalog load to the audit log on its own thread, so a slow disk never
/// delays the show. The log is opened before the show starts: a log that cannot be opened stops the start-up
/// with the path and the reason, because a show without its record must not go on air.
fn start_audit_log(
    store: backstage::store::Store,
    console: &broadcast::Sender<model::ConsoleEvent>,
) -> Result<std::thread::JoinHandle<()>> {
    match store.purge(wall_clock_now()) {
        Ok(0) => {}
        Ok(n) => tracing::info!("audit log: {n} row(s) past retention removed"),
        Err(e) => tracing::warn!("audit log: retention purge failed: {e}"),
    }
    let mut events = console.subscribe();
    // The thread ends when every sender is gone (the show task and its helpers have stopped), after writing
    // everything they sent.
    let handle = std::thread::Builder::new()
        .name("audit-log".into())
        .spawn(move || {
            loop {
                match events.blocking_recv() {
                    Ok(event) => {
                        if let Err(e) = store.record(&event, wall_clock_now()) {
                            tracing::error!("audit log write failed: {e}");
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(n)) => {
                        tracing::error!("audit log fell behind and missed {n} event(s)");
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                }
            }
        })
        .context("cannot start the audit log thread")?;
    Ok(handle)
}

/// The configured voice. A voice that cannot start (espeak-ng's data missing, a bad TTS address) leaves the show
/// captioned and silent rather than off the air; the log says why and what to fix.
fn make_voice(settings: &crate::config::VoiceSettings, timeout_ms: u64) -> Voice {
    use crate::config::VoiceSettings;
    use backstage::voice::{EspeakOptions, OpenAiTtsOptions};
    let timeout = Duration::from_millis(timeout_ms);
    let made = match settings {
        VoiceSettings::Silent => return Voice::Silent,
        VoiceSettings::Espeak { rate_wpm, voice_en, voice_zh } => Voice::espeak(EspeakOptions {
            rate_wpm: *rate_wpm,
            voice_en: voice_en.clone(),
            voice_zh: voice_zh.clone(),
            timeout,
        }),
        VoiceSettings::OpenAi { base_url, model, voice } => {
            let mut options = OpenAiTtsOptions::new(base_url.clone(), model.clone(), voice.clone());
            if let Ok(key) = std::env::var("SHOPCAST_TTS_API_KEY") {
                options = options.with_api_key(key);
            }
            options.timeout = timeout;
            Voice::openai(options)
        }
    };
    match made {
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

/// Drops comments of viewers the moderators banned or timed out, and marks viewers the show remembers from an
/// earlier visit (unless they opted out), so the host can welcome them back by name.
struct ViewerGate {
    console: backstage::console::ConsoleState,
    memory: std::sync::Mutex<backstage::store::Store>,
}

impl CommentGate for ViewerGate {
    fn admit(&self, comment: &mut model::Comment) -> bool {
        let now = wall_clock_now();
        if self.console.is_viewer_blocked(&comment.user_id, now) {
            return false;
        }
        let Ok(memory) = self.memory.lock() else { return true };
        match memory.remember_viewer(&comment.user_id, &comment.user_name, now) {
            Ok(backstage::store::Visit::Returning { .. }) => comment.flags.returning = true,
            Ok(_) => {}
            Err(e) => tracing::warn!("viewer memory: {e}"),
        }
        true
    }
}

/// The stage's side of /healthz and /metrics: a heartbeat and the frame time, every frame.
#[derive(Resource)]
struct StageMetrics(backstage::console::Metrics);

fn report_frames(metrics: Res<StageMetrics>, time: Res<Time<Real>>) {
    metrics.0.stage_heartbeat();
    metrics.0.observe_frame_ms(time.delta_secs_f64() * 1000.0);
}

/// Scene hot reload: the scene file is checked twice a second; a saved file that validates goes on screen at the
/// next frame, and one with errors is reported (file, line, what to fix) while the last good scene stays up.
fn watch_scene(path: std::path::PathBuf, scenes: async_channel::Sender<model::Scene>, stop: Arc<AtomicBool>) {
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let spawned = std::thread::Builder::new().name("scene-watch".into()).spawn(move || {
        let mut last = modified(&path);
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(500));
            let now = modified(&path);
            if now == last {
                continue;
            }
            last = now;
            let load = backstage::scene::load_file(&path);
            for d in &load.diagnostics {
                tracing::warn!("{d}");
            }
            match load.scene {
                Some(scene) => {
                    tracing::info!(path = %path.display(), "scene reloaded");
                    if scenes.try_send(scene).is_err() {
                        tracing::warn!(
                            "the stage has not taken the previous scene yet; this one waits for the next save"
                        );
                    }
                }
                None => tracing::error!(
                    path = %path.display(),
                    "the changed scene file has errors; the last good scene stays on screen"
                ),
            }
        }
    });
    if let Err(e) = spawned {
        tracing::warn!("scene hot reload is off: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use backstage::store::Store;

    fn comment(user: &str) -> model::Comment {
        model::Comment {
            platform: model::Platform::Twitch,
            id: model::CommentId(format!("c-{user}")),
            user_id: format!("uid-{user}"),
            user_name: user.into(),
            text: "hello".into(),
            time: wall_clock_now(),
            paid: None,
            flags: model::CommentFlags::default(),
        }
    }

    #[test]
    fn the_gate_drops_banned_viewers_and_marks_returning_ones_unless_they_opted_out() {
        let dir = std::env::temp_dir().join(format!("shopcast-gate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("audit.db");
        let now = wall_clock_now();
        let seed = Store::open(&path, 30).unwrap();
        seed.block_viewer("uid-troll", "troll", None, now).unwrap();
        let seven_hours_ago = model::UnixMs(now.0 - 7 * 3_600_000);
        seed.remember_viewer("uid-anna", "anna", seven_hours_ago).unwrap();
        seed.remember_viewer("uid-quiet", "quiet", seven_hours_ago).unwrap();
        seed.set_viewer_opt_out("uid-quiet", true).unwrap();

        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let _guard = runtime.enter();
        let (inputs, _rx) = mpsc::channel(8);
        let (events, _) = broadcast::channel(8);
        let (_products_tx, products) = tokio::sync::watch::channel(Vec::new());
        let token = backstage::console::ConsoleToken::new("gate-test-token-0123456789").unwrap();
        let mut config = backstage::console::ConsoleConfig::new(token, inputs, events, products);
        config.store = Some(Store::open(&path, 30).unwrap());
        let gate = ViewerGate {
            console: backstage::console::ConsoleState::new(config),
            memory: std::sync::Mutex::new(Store::open(&path, 30).unwrap()),
        };

        assert!(!gate.admit(&mut comment("troll")), "a banned viewer's comment never reaches the director");
        let mut anna = comment("anna");
        assert!(gate.admit(&mut anna) && anna.flags.returning, "anna was here seven hours ago");
        let mut again = comment("anna");
        assert!(gate.admit(&mut again) && !again.flags.returning, "the same visit is not a return");
        let mut quiet = comment("quiet");
        assert!(gate.admit(&mut quiet) && !quiet.flags.returning, "a viewer who opted out is not remembered");
        let mut new = comment("newcomer");
        assert!(gate.admit(&mut new) && !new.flags.returning);
        drop(gate);
        std::fs::remove_dir_all(dir).ok();
    }
}
