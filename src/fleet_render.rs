//! `shopcast fleet render ROOM`: a fleet room drawn and streamed on this machine. The room's director runs on
//! whichever worker holds it and sends its stage commands (captions, the offer, the mouth, the voice's audio) out
//! ([`fleet::stage_feed`]); this process follows them with the same headless stage and live output as
//! `shopcast run --headless` (RTMP, a video file or raw frames, marked as AI-generated), so a room can move
//! between workers while its stream stays up.

use crate::wiring::{self, LiveStage, ShowReport, Shutdown};
use anyhow::Result;
use backstage::console::Metrics;
use backstage::output::Marking;
use backstage::output::live::{Health, LiveConfig, LiveOutput, Report, Sink};
use bevy::prelude::*;
use fleet::RoomId;
use fleet::async_nats;
use fleet::stage_feed;
use futures_util::StreamExt;
use model::StageCommand;
use stage::{FrameSize, StageLink};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;

/// What to follow and where its pictures go.
pub struct Follow {
    pub nats_url: String,
    pub room: RoomId,
    pub scene: model::Scene,
    pub frame: FrameSize,
    pub fps: u32,
    pub sinks: Vec<Sink>,
    /// Stop after this long (for tests and benchmarks); until Ctrl-C or SIGTERM otherwise.
    pub seconds: Option<f64>,
}

/// Renders `follow.room` until stopped; what the output did.
pub fn follow_room(follow: Follow) -> Result<ShowReport> {
    let runtime = wiring::show_runtime()?;
    let shutdown = CancellationToken::new();
    let _inside = runtime.enter();
    let limit = follow.seconds.map(|s| Duration::try_from_secs_f64(s.max(0.0)).unwrap_or(Duration::MAX));
    runtime.spawn(backstage::shutdown::cancel_on_signal(shutdown.clone(), limit));
    let show_id = Marking::new_show_id(&format!("room-{}", follow.room), backstage::clock::wall_now());
    tracing::info!(%show_id, room = %follow.room, "outputs are marked as AI-generated with this show id");
    let config = LiveConfig {
        width: follow.frame.width,
        height: follow.frame.height,
        fps: follow.fps,
        sinks: follow.sinks,
        marking: Marking::new(&show_id),
    };
    let (link, stage_tx, _stage_events) = StageLink::new(256);
    let tap = broadcast::channel(1024).0;
    let metrics = Metrics::new();
    let report: Report = Arc::new(|health: Health| {
        if health.healthy {
            tracing::info!(source = %health.source, "{}", health.detail);
        } else {
            tracing::warn!(source = %health.source, "{}", health.detail);
        }
    });
    let output = LiveOutput::start(config, tap.subscribe(), metrics.clone(), report)?;
    runtime.spawn(feed_from_room(follow.nats_url, follow.room, stage_tx, tap, shutdown.clone()));
    let clock = stage::capture::LiveClockStats::default();
    let live = LiveStage { frames: Some(output.frames()), clock: clock.clone() };
    let mut app = match wiring::stage_app(true, follow.scene, follow.frame, link, follow.fps, metrics, live) {
        Ok(app) => app,
        Err(e) => {
            shutdown.cancel();
            output.finish();
            return Err(e);
        }
    };
    app.insert_resource(Shutdown(shutdown.clone())).add_systems(Update, wiring::exit_when_shut_down);
    let exit = app.run();
    shutdown.cancel();
    let report = output.finish();
    drop(_inside);
    runtime.shutdown_timeout(Duration::from_secs(1));
    match exit {
        AppExit::Success => Ok(ShowReport { output: Some(report), clock: clock.get() }),
        AppExit::Error(code) => {
            anyhow::bail!("the stage stopped with an error (code {code}); the lines above say what the renderer hit")
        }
    }
}

/// Hands the room's stage commands to the stage and the output: first what is on screen now (the room's answer to
/// a hello), then each command as it comes. NATS reconnects by itself; the room may move between workers meanwhile.
async fn feed_from_room(
    url: String,
    room: RoomId,
    stage: async_channel::Sender<StageCommand>,
    tap: broadcast::Sender<StageCommand>,
    shutdown: CancellationToken,
) {
    let client = match async_nats::ConnectOptions::new()
        .name(format!("shopcast renderer {room}"))
        .retry_on_initial_connect()
        .connect(&url)
        .await
    {
        Ok(client) => client,
        Err(e) => {
            tracing::error!("NATS {url}: {e}; nothing to render");
            return;
        }
    };
    let mut commands = match client.subscribe(stage_feed::stage_subject(&room)).await {
        Ok(commands) => commands,
        Err(e) => {
            tracing::error!("room {room}: cannot follow its stage: {e}");
            return;
        }
    };
    let hand = |command: StageCommand| {
        let _ = tap.send(command.clone());
        if stage.try_send(command).is_err() {
            tracing::warn!(%room, "the stage fell behind; a command was dropped");
        }
    };
    // What is on screen now: asked until the room answers (it may not be on air yet, or be between workers).
    let mut hello = tokio::time::interval(HELLO_AGAIN);
    let mut greeted = false;
    let mut beat = tokio::time::interval(stage_feed::BEAT_EVERY);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            // The room's console shows its stage alive while this renderer draws.
            _ = beat.tick() => {
                let _ = client.publish(stage_feed::beat_subject(&room), Vec::new().into()).await;
            }
            _ = hello.tick(), if !greeted => {
                let asked = client.request(stage_feed::hello_subject(&room), Vec::new().into());
                match tokio::time::timeout(Duration::from_secs(2), asked).await {
                    Ok(Ok(answer)) => match serde_json::from_slice::<Vec<StageCommand>>(&answer.payload) {
                        Ok(state) => {
                            tracing::info!(%room, "following the room's stage");
                            greeted = true;
                            state.into_iter().for_each(&hand);
                        }
                        Err(e) => tracing::warn!(%room, "the room's answer is not stage commands: {e}"),
                    },
                    _ => tracing::info!(%room, "waiting for the room to be on air"),
                }
            }
            message = commands.next() => {
                let Some(message) = message else { return };
                let rate = message
                    .headers
                    .as_ref()
                    .and_then(|h| h.get(stage_feed::SAMPLE_RATE_HEADER))
                    .and_then(|v| v.as_str().parse().ok());
                match stage_feed::decode(&message.payload, rate) {
                    Ok(command) => hand(command),
                    Err(e) => tracing::warn!(%room, "a stage message was refused: {e}"),
                }
            }
        }
    }
}

/// How often the renderer asks the room what is on screen until it answers.
const HELLO_AGAIN: Duration = Duration::from_secs(1);
