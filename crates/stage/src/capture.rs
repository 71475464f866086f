//! Headless rendering: the stage drawn into an offscreen image and read back frame by frame, for
//! `shopcast render`, `run --headless` and pixel tests. Runs on Mesa's software Vulkan when there is no GPU.
//!
//! Each frame's picture is copied out by a one-shot read-back ([`read_back_once`]) tagged with its frame number;
//! copies arrive a few updates later, so the driver keeps updating until every requested frame is in and hands them
//! out in order.
//!
//! What is copied is the camera's own picture (Bevy's "main texture"), not the target image: the stage's camera
//! does not write its picture into the target at all (`CameraOutputMode::Skip`). On a software renderer that last
//! full-frame pass cost 15 ms of CPU per 1080p frame, more than everything the camera drew before it; Bevy's
//! `Screenshot`, used before, cost a second such pass and a new frame-sized texture and buffer per frame. The copy
//! goes into a pooled buffer, out of it once into the frame's bytes, and those are moved, not copied, to the caller.

use crate::layout::FrameSize;
use crate::{StageLink, StagePlugin};
use bevy::app::PluginsState;
use bevy::camera::RenderTarget;
use bevy::camera::{CameraOutputMode, NormalizedRenderTarget};
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::camera::ExtractedCamera;
use bevy::render::extract_resource::{ExtractResource, ExtractResourcePlugin};
use bevy::render::render_resource::{
    Buffer, BufferDescriptor, BufferUsages, CommandEncoderDescriptor, Extent3d, LoadOp, MapMode, Operations,
    RenderPassColorAttachment, RenderPassDescriptor, StoreOp, TexelCopyBufferInfo, TexelCopyBufferLayout,
    TextureFormat, TextureUsages,
};
use bevy::render::renderer::{RenderDevice, RenderQueue, render_system};
use bevy::render::view::ViewTarget;
use bevy::render::{Render, RenderApp, RenderSystems};
use bevy::time::TimeUpdateStrategy;
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;
use model::Scene;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why headless rendering could not run.
#[derive(Debug)]
pub enum CaptureError {
    /// No Vulkan driver is installed, so there is nothing to render with.
    NoVulkan,
    /// Frames stopped arriving from the renderer.
    Stalled { wanted: u32, got: u32 },
    /// The frame sink (a file, a pipe) refused a frame.
    Sink(String),
}

impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaptureError::NoVulkan => f.write_str(
                "no Vulkan driver found (looked in /usr/share/vulkan/icd.d and /etc/vulkan/icd.d); \
                 install a GPU driver or Mesa's software one: apt-get install mesa-vulkan-drivers libvulkan1",
            ),
            CaptureError::Stalled { wanted, got } => {
                write!(f, "the renderer stopped delivering frames ({got} of {wanted} arrived)")
            }
            CaptureError::Sink(e) => write!(f, "could not write a frame: {e}"),
        }
    }
}

impl std::error::Error for CaptureError {}

/// Whether a Vulkan driver is installed (Bevy would otherwise abort with "Unable to find a GPU").
pub fn vulkan_available() -> bool {
    ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d"].iter().any(|dir| {
        std::fs::read_dir(Path::new(dir))
            .is_ok_and(|entries| entries.flatten().any(|e| e.path().extension().is_some_and(|x| x == "json")))
    })
}

/// One rendered frame, RGBA8 (sRGB), rows top to bottom.
pub struct Frame {
    pub index: u32,
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

#[derive(Resource)]
struct Target(Handle<Image>);

#[derive(Resource)]
struct FrameSink(mpsc::Sender<(u32, Vec<u8>)>);

/// A Bevy app that draws the stage into an offscreen image (returned with it) instead of a window. The caller
/// adds a runner or drives `update()` itself.
pub fn headless_app(scene: Scene, size: FrameSize, link: StageLink) -> Result<(App, Handle<Image>), CaptureError> {
    if !vulkan_available() {
        return Err(CaptureError::NoVulkan);
    }
    let mut app = App::new();
    add_headless_plugins(&mut app);
    let handle = add_frame_target(&mut app, size, "shopcast headless frame");
    app.add_plugins(StagePlugin { scene, frame: size, link });
    app.world_mut().spawn((
        crate::stage_camera(),
        offscreen_camera(ClearColorConfig::Default),
        RenderTarget::from(handle.clone()),
    ));
    Ok((app, handle))
}

/// One frame of the live stage, read back for the show's own output (`run --headless --rtmp ...`).
pub struct LiveFrame {
    /// The update that drew it, counted by the live clock from 0 ([`LiveClockPlugin`]): frame `n` pictures the
    /// show at the clock's start plus `n` frame periods. Updates the clock skipped have no frame.
    pub index: u64,
    /// The instant of the show it pictures: Bevy's clock was set to it for the update that drew it (the update
    /// itself may have started a little later, when the one before ran long).
    pub shows: std::time::Instant,
    /// RGBA8 (sRGB), rows top to bottom.
    pub rgba: Vec<u8>,
}

#[derive(Resource)]
struct LiveFrames {
    target: Handle<Image>,
    sink: std::sync::Arc<dyn Fn(LiveFrame) + Send + Sync>,
}

/// Reads every frame a [`headless_app`] renders back to the CPU and hands it to `sink` (on the app's thread, at the
/// start of a later update; it must not block). For the live show, whose app runs on the [`LiveClockPlugin`].
pub fn stream_frames(app: &mut App, target: Handle<Image>, sink: impl Fn(LiveFrame) + Send + Sync + 'static) {
    app.insert_resource(LiveFrames { target, sink: std::sync::Arc::new(sink) })
        .add_systems(Last, request_live_frame.before(ReadBackRequests));
}

/// Updates before the first live frame is read back: the render target holds nothing drawn before then (the
/// offline stage warms up the same way, see [`finish_and_warm_up`]).
const LIVE_WARM_UP_UPDATES: u32 = 3;

fn request_live_frame(
    mut commands: Commands,
    live: Res<LiveFrames>,
    slot: Option<Res<LiveSlot>>,
    mut updates: Local<u32>,
    exit: MessageReader<AppExit>,
) {
    // The app ends after this update: a read-back asked for now would never arrive.
    if !exit.is_empty() {
        return;
    }
    if *updates < LIVE_WARM_UP_UPDATES {
        *updates += 1;
        return;
    }
    // Without the live clock (a test driving `update()` itself), frames are numbered in order and show "now".
    let (index, shows) = match slot {
        Some(slot) => (slot.index, slot.shows),
        None => (u64::from(*updates - LIVE_WARM_UP_UPDATES), std::time::Instant::now()),
    };
    *updates = updates.saturating_add(1);
    let sink = live.sink.clone();
    read_back_once(&mut commands, live.target.clone(), move |rgba| sink(LiveFrame { index, shows, rgba }));
}

/// The live stage's clock, for `run --headless`: update `n` pictures the show at the instant `start + n / fps`,
/// whatever the updates before it cost. Bevy's clock is set to that instant for the update
/// (`TimeUpdateStrategy::ManualInstant`), and the runner sleeps until the next instant is due (Bevy's own loop
/// runner waits a whole period after every update, so its frames drift off any grid). An update that ran long is
/// followed at once by the next missed one while the stage is at most `catch_up` behind; further behind, the
/// missed frames are given up and the stage goes on from the present instant ([`LiveClockCounts::skipped`]). The
/// live show uses a `catch_up` of zero: on a software rasteriser, missed updates run back to back pile work onto
/// the bottleneck and make every frame behind them late (BENCHMARKS.md, "Pacing on the show's clock").
pub struct LiveClockPlugin {
    pub fps: u32,
    /// How far behind the clock the stage may run before it skips frames to catch up.
    pub catch_up: Duration,
    /// Where the clock keeps its counts, for whoever started it to read (during the show or after).
    pub stats: LiveClockStats,
}

/// The update being run by the live clock: its number and the show's instant it pictures.
#[derive(Resource, Debug, Clone, Copy)]
pub struct LiveSlot {
    pub index: u64,
    pub shows: std::time::Instant,
}

/// What the live clock did so far.
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveClockCounts {
    /// Updates run.
    pub updates: u64,
    /// Updates that started after their instant (catching up).
    pub late: u64,
    /// Frames never drawn because the stage had fallen more than `catch_up` behind.
    pub skipped: u64,
    /// Time spent in updates (Bevy's schedules and, unless rendering is pipelined, the render), and the longest.
    pub busy: Duration,
    pub longest: Duration,
}

/// The live clock's counts, shared with whoever started it.
#[derive(Debug, Clone, Default)]
pub struct LiveClockStats(Arc<Mutex<LiveClockCounts>>);

impl LiveClockStats {
    pub fn get(&self) -> LiveClockCounts {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Plugin for LiveClockPlugin {
    fn build(&self, app: &mut App) {
        let (fps, catch_up, stats) = (self.fps.max(1), self.catch_up, self.stats.clone());
        app.set_runner(move |mut app: App| {
            while app.plugins_state() == PluginsState::Adding {
                bevy::tasks::tick_global_task_pools_on_main_thread();
            }
            app.finish();
            app.cleanup();
            // Bevy's virtual clock takes at most a quarter second per update by default: a slow start-up would
            // otherwise leave the stage's clock (mouth, captions, countdowns) behind the frames for good.
            app.world_mut().resource_mut::<Time<Virtual>>().set_max_delta(Duration::from_secs(3600));
            let mut clock = FrameClock::new(fps, catch_up, std::time::Instant::now());
            loop {
                let slot = clock.slot();
                app.world_mut().insert_resource(TimeUpdateStrategy::ManualInstant(slot.shows));
                app.world_mut().insert_resource(slot);
                let began = std::time::Instant::now();
                app.update();
                if let Some(exit) = app.should_exit() {
                    return exit;
                }
                let ended = std::time::Instant::now();
                clock.stats.busy += ended - began;
                clock.stats.longest = clock.stats.longest.max(ended - began);
                let wait = clock.next(ended);
                *stats.0.lock().unwrap_or_else(|p| p.into_inner()) = clock.stats;
                if let Some(wait) = wait {
                    std::thread::sleep(wait);
                }
            }
        });
    }
}

/// The live clock's arithmetic, apart from Bevy so tests can drive it with made-up instants.
#[derive(Debug)]
struct FrameClock {
    start: std::time::Instant,
    fps: u32,
    catch_up: Duration,
    index: u64,
    stats: LiveClockCounts,
}

impl FrameClock {
    fn new(fps: u32, catch_up: Duration, start: std::time::Instant) -> FrameClock {
        FrameClock { start, fps: fps.max(1), catch_up, index: 0, stats: LiveClockCounts::default() }
    }

    fn instant(&self, index: u64) -> std::time::Instant {
        self.start + Duration::from_secs_f64(index as f64 / f64::from(self.fps))
    }

    /// The update to run now.
    fn slot(&self) -> LiveSlot {
        LiveSlot { index: self.index, shows: self.instant(self.index) }
    }

    /// The update at `now` has finished: moves on to the next one and says how long to wait for it (`None`: run
    /// it at once).
    fn next(&mut self, now: std::time::Instant) -> Option<Duration> {
        self.stats.updates += 1;
        self.index += 1;
        let due = self.instant(self.index);
        if now < due {
            return Some(due - now);
        }
        if now - due > self.catch_up {
            // Too far behind: go on from the frame the present instant falls in.
            let present = (now.duration_since(self.start).as_secs_f64() * f64::from(self.fps)).floor() as u64;
            if present > self.index {
                self.stats.skipped += present - self.index;
                self.index = present;
            }
        }
        self.stats.late += 1;
        None
    }
}

/// A stage rendering offscreen at a fixed frame rate on a virtual clock.
pub struct HeadlessStage {
    app: App,
    frames: mpsc::Receiver<(u32, Vec<u8>)>,
    size: FrameSize,
    step: Duration,
    requested: u32,
    pending: BTreeMap<u32, Vec<u8>>,
    next_out: u32,
}

/// Updates without a read-back before giving up on a frame: generous, because a software renderer on two cores
/// can take a while to compile pipelines.
const STALL_LIMIT: u32 = 600;

impl HeadlessStage {
    pub fn new(scene: Scene, size: FrameSize, fps: u32, link: StageLink) -> Result<HeadlessStage, CaptureError> {
        let (mut app, handle) = headless_app(scene, size, link)?;
        let (tx, frames) = mpsc::channel();
        app.insert_resource(Target(handle))
            .insert_resource(FrameSink(tx))
            // Frames before the first real one are rendered with no time passing.
            .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO))
            // Offline frames are the same on every run: each waits for the product pictures it shows.
            .insert_resource(crate::overlays::WaitForPictures);
        finish_and_warm_up(&mut app);
        let step = Duration::from_secs_f64(1.0 / fps.max(1) as f64);
        app.insert_resource(TimeUpdateStrategy::ManualDuration(step));
        // Bevy's virtual clock takes at most a quarter second per update by default; at fewer than four frames a
        // second the stage's clock (mouth, captions, countdowns) would then fall behind the frames.
        let mut virtual_time = app.world_mut().resource_mut::<Time<Virtual>>();
        let max_delta = virtual_time.max_delta().max(step);
        virtual_time.set_max_delta(max_delta);
        Ok(HeadlessStage {
            app,
            frames,
            size,
            step: Duration::from_secs_f64(1.0 / fps.max(1) as f64),
            requested: 0,
            pending: BTreeMap::new(),
            next_out: 0,
        })
    }

    pub fn size(&self) -> FrameSize {
        self.size
    }

    /// The stage's app, to insert resources (a [`crate::SceneInbox`]) or inspect its world in tests.
    pub fn app_mut(&mut self) -> &mut App {
        &mut self.app
    }

    /// Virtual time of the stage, in seconds.
    pub fn elapsed(&self) -> Duration {
        self.step * self.requested
    }

    /// Advances one frame and requests its picture.
    fn request_frame(&mut self) {
        let index = self.requested;
        self.requested += 1;
        let handle = self.app.world().resource::<Target>().0.clone();
        let sink = self.app.world().resource::<FrameSink>().0.clone();
        read_back_next(self.app.world_mut(), handle, move |rgba| {
            let _ = sink.send((index, rgba));
        });
        self.app.update();
        self.collect();
    }

    fn collect(&mut self) {
        while let Ok((index, data)) = self.frames.try_recv() {
            self.pending.insert(index, data);
        }
    }

    fn take_ready(&mut self) -> Option<Frame> {
        let data = self.pending.remove(&self.next_out)?;
        let frame = Frame { index: self.next_out, width: self.size.width, height: self.size.height, rgba: data };
        self.next_out += 1;
        Some(frame)
    }

    /// Renders one more frame; `before` runs first (to feed the inbox for this frame). Finished frames, in order,
    /// go to `sink`.
    pub fn render_frame(&mut self, sink: &mut impl FnMut(Frame) -> Result<(), String>) -> Result<(), CaptureError> {
        self.request_frame();
        while let Some(frame) = self.take_ready() {
            sink(frame).map_err(CaptureError::Sink)?;
        }
        Ok(())
    }

    /// Keeps updating (without requesting more frames) until every requested frame has been delivered.
    pub fn flush(&mut self, sink: &mut impl FnMut(Frame) -> Result<(), String>) -> Result<(), CaptureError> {
        let mut idle = 0;
        self.app.insert_resource(TimeUpdateStrategy::ManualDuration(Duration::ZERO));
        while self.next_out < self.requested {
            self.app.update();
            self.collect();
            let before = self.next_out;
            while let Some(frame) = self.take_ready() {
                sink(frame).map_err(CaptureError::Sink)?;
            }
            idle = if self.next_out == before { idle + 1 } else { 0 };
            if idle > STALL_LIMIT {
                return Err(CaptureError::Stalled { wanted: self.requested, got: self.next_out });
            }
        }
        self.app.insert_resource(TimeUpdateStrategy::ManualDuration(self.step));
        Ok(())
    }
}

impl Drop for HeadlessStage {
    /// Lets frames still being drawn and read back finish before the renderer is torn down (a caller that stops
    /// early, on an error, drops the stage with frames in flight). Tearing Mesa's software renderer down under a
    /// frame in flight crashed the process now and then, after its error had been printed.
    fn drop(&mut self) {
        if self.next_out < self.requested {
            let _ = self.flush(&mut |_| Ok(()));
        }
    }
}

/// Finishes building an offscreen app (waiting for plugins that load asynchronously) and renders three frames, so
/// the render target exists on the device before the first screenshot asks for it.
pub fn finish_and_warm_up(app: &mut App) {
    while app.plugins_state() == PluginsState::Adding {
        bevy::tasks::tick_global_task_pools_on_main_thread();
    }
    app.finish();
    app.cleanup();
    for _ in 0..3 {
        app.update();
    }
}

/// Bevy's plugins as shopcast renders offscreen: no window, no sound, pipelines compiled before the first frame
/// (so frame N is the same on every run), and [`read_back_once`]. The benchmark's empty scenes use the same set-up.
pub fn add_headless_plugins(app: &mut App) {
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin { primary_window: None, exit_condition: ExitCondition::DontExit, ..default() })
            .set(RenderPlugin { synchronous_pipeline_compilation: true, ..default() })
            .disable::<WinitPlugin>()
            .disable::<bevy::log::LogPlugin>()
            .disable::<bevy::audio::AudioPlugin>(),
    );
    let (done, copies) = async_channel::unbounded();
    app.init_resource::<CopiesWanted>()
        .init_resource::<Waiting>()
        .insert_resource(CopiesDone(copies))
        .add_plugins((
            ExtractResourcePlugin::<CopiesWanted>::default(),
            bevy::render::extract_component::ExtractComponentPlugin::<OffscreenClear>::default(),
        ))
        .add_systems(First, deliver_copies.after(bevy::ecs::message::MessageUpdateSystems))
        .add_systems(Last, send_requests.in_set(ReadBackRequests));
    if let Some(render_app) = app.get_sub_app_mut(RenderApp) {
        render_app.insert_resource(FrameCopier { done, free: Arc::new(Mutex::new(Vec::new())) }).add_systems(
            Render,
            (
                clear_offscreen_pictures.in_set(RenderSystems::Render).before(render_system),
                copy_frames.in_set(RenderSystems::Render).after(render_system),
            ),
        );
    }
}

/// What makes a camera offscreen: its picture stays in its own texture, where [`read_back_once`] copies it from,
/// instead of being drawn once more into the target (see the module's notes). The picture is cleared to `clear`
/// before each frame. (Bevy renders nothing for a camera that skips its output and clears in its own pass, so the
/// camera itself clears nothing and [`clear_offscreen_pictures`] clears its picture.)
pub fn offscreen_camera(clear: ClearColorConfig) -> impl Bundle {
    (
        Camera { output_mode: CameraOutputMode::Skip, clear_color: ClearColorConfig::None, ..default() },
        OffscreenClear(clear),
    )
}

/// The colour an offscreen camera's picture is cleared to before each frame: `Default` is the [`ClearColor`].
#[derive(Component, Clone, Copy, Debug, bevy::render::extract_component::ExtractComponent)]
pub struct OffscreenClear(pub ClearColorConfig);

/// In the render world, before the frame's passes: clears each offscreen camera's picture.
fn clear_offscreen_pictures(
    views: Query<(&ViewTarget, &OffscreenClear)>,
    clear_colour: Res<ClearColor>,
    device: Res<RenderDevice>,
    queue: Res<RenderQueue>,
) {
    if views.is_empty() {
        return;
    }
    let mut encoder = device.create_command_encoder(&CommandEncoderDescriptor { label: Some("shopcast clear") });
    for (view, clear) in &views {
        let colour = match clear.0 {
            ClearColorConfig::Default => clear_colour.0,
            ClearColorConfig::Custom(colour) => colour,
            ClearColorConfig::None => continue,
        };
        // A pass that only clears: the renderer's cheapest way to fill the picture.
        encoder.begin_render_pass(&RenderPassDescriptor {
            label: Some("shopcast clear"),
            // A multisampled picture is cleared in its samples and resolved into the picture proper.
            color_attachments: &[Some(RenderPassColorAttachment {
                view: view.sampled_main_texture_view().unwrap_or(view.main_texture_view()),
                depth_slice: None,
                resolve_target: view.sampled_main_texture_view().map(|_| &**view.main_texture_view()),
                ops: Operations { load: LoadOp::Clear(colour.to_linear().into()), store: StoreOp::Store },
            })],
            ..default()
        });
    }
    queue.submit([encoder.finish()]);
}

/// An offscreen RGBA8 (sRGB) frame of `size`, added to the app's images: the target that sizes an offscreen
/// camera's picture and names it to [`read_back_once`].
pub fn add_frame_target(app: &mut App, size: FrameSize, label: &'static str) -> Handle<Image> {
    let mut target = Image::new_target_texture(size.width, size.height, TextureFormat::Rgba8UnormSrgb, None);
    target.texture_descriptor.label = Some(label);
    target.texture_descriptor.usage |= TextureUsages::COPY_SRC;
    app.world_mut().resource_mut::<Assets<Image>>().add(target)
}

/// Systems that ask for read-backs in `Last` run before this set, so that the read-back goes with this update's
/// frame.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadBackRequests;

type Deliver = Box<dyn Fn(Vec<u8>) + Send + Sync>;

/// A read-back asked for and not yet sent to the renderer.
#[derive(Component)]
struct PictureRequest {
    target: Handle<Image>,
    deliver: Option<Deliver>,
}

/// The frames to copy with this update's frame: a request number and the target whose camera drew it. Set anew
/// every update; the renderer empties its copy once it has made the copies.
#[derive(Resource, Clone, Default, ExtractResource)]
struct CopiesWanted(Vec<(u64, AssetId<Image>)>);

/// Read-backs sent and not yet delivered, by request number, with the target they came from.
#[derive(Resource, Default)]
struct Waiting {
    next: u64,
    by_number: std::collections::HashMap<u64, (Handle<Image>, Deliver)>,
}

/// Copies made by the renderer: the request number and the rows as copied (padded).
#[derive(Resource)]
struct CopiesDone(async_channel::Receiver<(u64, Vec<u8>)>);

/// The renderer's side: where finished copies go, and the buffers free for the next ones.
#[derive(Resource)]
struct FrameCopier {
    done: async_channel::Sender<(u64, Vec<u8>)>,
    free: Arc<Mutex<Vec<Buffer>>>,
}

/// Buffers kept for reuse: a few frames are in flight at once.
const FREE_BUFFERS_KEPT: usize = 6;

/// Requests whose copy has not come this many requests later are forgotten (a frame the renderer never drew, as
/// when it was not ready), so that the list of waiting requests cannot grow over a long show.
const WAITING_AT_MOST: u64 = 600;

/// Asks for the picture that the camera drawing into `target` makes this update (or, asked from outside an
/// update, the next one). `deliver` gets its RGBA8 rows, top to bottom without padding, when the copy arrives a few
/// updates later; it runs on the main thread and must not block. Needs [`add_headless_plugins`].
pub fn read_back_once(
    commands: &mut Commands,
    target: Handle<Image>,
    deliver: impl Fn(Vec<u8>) + Send + Sync + 'static,
) {
    commands.spawn(PictureRequest { target, deliver: Some(Box::new(deliver)) });
}

/// [`read_back_once`] from outside an update, with the world at hand: the picture of the next update.
pub fn read_back_next(world: &mut World, target: Handle<Image>, deliver: impl Fn(Vec<u8>) + Send + Sync + 'static) {
    world.spawn(PictureRequest { target, deliver: Some(Box::new(deliver)) });
}

/// Hands this update's requests to the renderer (through [`CopiesWanted`], which the render world extracts at the
/// end of the update).
fn send_requests(
    mut commands: Commands,
    mut requests: Query<(Entity, &mut PictureRequest)>,
    mut wanted: ResMut<CopiesWanted>,
    mut waiting: ResMut<Waiting>,
) {
    wanted.0.clear();
    for (entity, mut request) in &mut requests {
        commands.entity(entity).despawn();
        let Some(deliver) = request.deliver.take() else {
            continue;
        };
        let number = waiting.next;
        waiting.next += 1;
        wanted.0.push((number, request.target.id()));
        waiting.by_number.insert(number, (request.target.clone(), deliver));
    }
    let next = waiting.next;
    waiting.by_number.retain(|number, _| number + WAITING_AT_MOST > next);
}

/// Hands finished copies to their callers, without the rows' padding. A copy that failed (no camera drew into the
/// target, the buffer could not be read) is not handed on: a caller waiting for frames in order reports the stall,
/// and the live output repeats its last frame.
fn deliver_copies(done: Res<CopiesDone>, mut waiting: ResMut<Waiting>, images: Res<Assets<Image>>) {
    while let Ok((number, mut rgba)) = done.0.try_recv() {
        let Some((target, deliver)) = waiting.by_number.remove(&number) else {
            continue;
        };
        let Some(image) = images.get(&target) else {
            continue;
        };
        let (row_bytes, height) = (image.width() as usize * 4, image.height() as usize);
        if rgba.len() < row_bytes * height {
            warn!("a frame could not be read back from the renderer ({} of {} bytes)", rgba.len(), row_bytes * height);
            continue;
        }
        unpad_rows(&mut rgba, row_bytes, height);
        deliver(rgba);
    }
}

/// In the render world, after the frame's passes were submitted: copies each wanted camera picture into a buffer
/// and, once the buffer can be read, sends its bytes to the main world.
fn copy_frames(
    mut wanted: ResMut<CopiesWanted>,
    views: Query<(&ViewTarget, &ExtractedCamera)>,
    device: Res<RenderDevice>,
    queue: Res<RenderQueue>,
    copier: Res<FrameCopier>,
) {
    if wanted.0.is_empty() {
        return;
    }
    let mut encoder = device.create_command_encoder(&CommandEncoderDescriptor { label: Some("shopcast frame copy") });
    let mut copies = Vec::new();
    for (number, target) in wanted.0.drain(..) {
        let view = views.iter().find_map(|(view, camera)| match &camera.target {
            Some(NormalizedRenderTarget::Image(image)) if image.handle.id() == target => Some(view),
            _ => None,
        });
        let Some(view) = view else {
            // No camera drew into that target this frame: the caller gets nothing rather than waiting for ever.
            let _ = copier.done.try_send((number, Vec::new()));
            continue;
        };
        let texture = view.main_texture();
        if texture.format().block_copy_size(None) != Some(4) {
            // Only 8-bit RGBA pictures are read back (an HDR camera's would need converting first).
            let _ = copier.done.try_send((number, Vec::new()));
            continue;
        }
        let size = Extent3d { width: texture.width(), height: texture.height(), depth_or_array_layers: 1 };
        let row = (size.width * 4).div_ceil(256) * 256;
        let bytes = u64::from(row) * u64::from(size.height);
        let buffer = {
            let mut free = copier.free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match free.iter().position(|b| b.size() == bytes) {
                Some(i) => free.swap_remove(i),
                None => device.create_buffer(&BufferDescriptor {
                    label: Some("shopcast frame copy"),
                    size: bytes,
                    usage: BufferUsages::MAP_READ | BufferUsages::COPY_DST,
                    mapped_at_creation: false,
                }),
            }
        };
        encoder.copy_texture_to_buffer(
            texture.as_image_copy(),
            TexelCopyBufferInfo {
                buffer: &buffer,
                layout: TexelCopyBufferLayout { offset: 0, bytes_per_row: Some(row), rows_per_image: None },
            },
            size,
        );
        copies.push((number, buffer));
    }
    queue.submit([encoder.finish()]);
    for (number, buffer) in copies {
        let (done, free, mapped) = (copier.done.clone(), copier.free.clone(), buffer.clone());
        buffer.slice(..).map_async(MapMode::Read, move |result| {
            let rgba = match result {
                Ok(()) => mapped.slice(..).get_mapped_range().to_vec(),
                Err(_) => Vec::new(),
            };
            mapped.unmap();
            let mut free = free.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if free.len() < FREE_BUFFERS_KEPT {
                free.push(mapped);
            }
            drop(free);
            let _ = done.try_send((number, rgba));
        });
    }
}

/// Removes the padding a GPU copy puts at the end of each row (rows are copied in multiples of 256 bytes), in
/// place: `data` ends as `height` rows of `row_bytes`.
fn unpad_rows(data: &mut Vec<u8>, row_bytes: usize, height: usize) {
    let padded = row_bytes.div_ceil(256) * 256;
    if padded != row_bytes && data.len() >= padded * height {
        for row in 1..height {
            data.copy_within(row * padded..row * padded + row_bytes, row * row_bytes);
        }
    }
    data.truncate(row_bytes * height);
}

#[cfg(test)]
mod unpad_tests {
    use super::unpad_rows;

    #[test]
    fn rows_lose_their_padding_and_keep_their_pixels() {
        // 3 pixels a row (12 bytes) pad to 256 bytes.
        let (row, height) = (12, 3);
        let mut data = vec![0xEE; 256 * height];
        for r in 0..height {
            for b in 0..row {
                data[r * 256 + b] = (r * 16 + b) as u8;
            }
        }
        unpad_rows(&mut data, row, height);
        let expected: Vec<u8> = (0..height).flat_map(|r| (0..row).map(move |b| (r * 16 + b) as u8)).collect();
        assert_eq!(data, expected);
        // Rows already a multiple of 256 bytes are left as they are.
        let mut aligned: Vec<u8> = (0..512u32).map(|b| b as u8).collect();
        unpad_rows(&mut aligned, 256, 2);
        assert_eq!(aligned, (0..512u32).map(|b| b as u8).collect::<Vec<_>>());
    }
}

#[cfg(test)]
mod live_clock_tests {
    use super::FrameClock;
    use std::time::{Duration, Instant};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn updates_within_their_period_wait_for_the_next_instant() {
        let t0 = Instant::now();
        let mut clock = FrameClock::new(10, ms(200), t0);
        assert_eq!(clock.slot().index, 0);
        assert_eq!(clock.slot().shows, t0);
        assert_eq!(clock.next(t0 + ms(30)), Some(ms(70)), "update 1 is due at 100 ms");
        assert_eq!((clock.slot().index, clock.slot().shows), (1, t0 + ms(100)));
        assert_eq!(clock.next(t0 + ms(120)), Some(ms(80)));
        assert_eq!((clock.stats.updates, clock.stats.late, clock.stats.skipped), (2, 0, 0));
    }

    #[test]
    fn a_slow_update_is_made_up_by_the_next_ones_without_losing_a_frame() {
        let t0 = Instant::now();
        let mut clock = FrameClock::new(10, ms(200), t0);
        // Update 0 takes 250 ms: updates 1 and 2 are overdue and run at once, each picturing its own instant.
        assert_eq!(clock.next(t0 + ms(250)), None);
        assert_eq!((clock.slot().index, clock.slot().shows), (1, t0 + ms(100)));
        assert_eq!(clock.next(t0 + ms(270)), None);
        assert_eq!((clock.slot().index, clock.slot().shows), (2, t0 + ms(200)));
        // Update 2 ends at 290 ms: update 3 is due at 300, so the clock is back on time.
        assert_eq!(clock.next(t0 + ms(290)), Some(ms(10)));
        assert_eq!(clock.slot().index, 3);
        assert_eq!((clock.stats.late, clock.stats.skipped), (2, 0));
    }

    #[test]
    fn a_stage_far_behind_skips_to_the_present_instead_of_drawing_the_past() {
        let t0 = Instant::now();
        let mut clock = FrameClock::new(10, ms(200), t0);
        // A one-second stall: frames 1 to 9 are given up, the next update pictures the present (frame 10).
        assert_eq!(clock.next(t0 + ms(1050)), None);
        assert_eq!((clock.slot().index, clock.slot().shows), (10, t0 + ms(1000)));
        assert_eq!((clock.stats.late, clock.stats.skipped), (1, 9));
        assert_eq!(clock.next(t0 + ms(1060)), Some(ms(40)));
    }
}
