//! Headless rendering: the stage drawn into an offscreen image and read back frame by frame, for
//! `shopcast render`, `run --headless` and pixel tests. Runs on Mesa's software Vulkan when there is no GPU.
//!
//! Each frame's picture is copied out of the render target by a one-shot GPU read-back ([`read_back_once`]) tagged
//! with its frame number; copies arrive a few updates later, so the driver keeps updating until every requested
//! frame is in and hands them out in order. The read-back copies the target as the camera left it into a pooled
//! buffer: no texture, pass or buffer is made per frame (Bevy's `Screenshot` made all three, and drew the frame a
//! second time, which on a software renderer cost a whole frame's pixels).

use crate::layout::FrameSize;
use crate::{StageLink, StagePlugin};
use bevy::app::PluginsState;
use bevy::camera::RenderTarget;
use bevy::prelude::*;
use bevy::render::RenderPlugin;
use bevy::render::gpu_readback::{Readback, ReadbackComplete};
use bevy::render::render_resource::TextureFormat;
use bevy::render::render_resource::TextureUsages;
use bevy::time::TimeUpdateStrategy;
use bevy::window::ExitCondition;
use bevy::winit::WinitPlugin;
use model::Scene;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::mpsc;
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
    app.world_mut().spawn((crate::stage_camera(), RenderTarget::from(handle.clone())));
    Ok((app, handle))
}

/// One frame of the live stage, read back for the show's own output (`run --headless --rtmp ...`).
pub struct LiveFrame {
    /// Frames are numbered in the order they were requested, from 0.
    pub index: u64,
    /// When the frame was requested (its read-back arrives a few frames later).
    pub requested: std::time::Instant,
    /// RGBA8 (sRGB), rows top to bottom.
    pub rgba: Vec<u8>,
}

#[derive(Resource)]
struct LiveFrames {
    target: Handle<Image>,
    next: u64,
    sink: std::sync::Arc<dyn Fn(LiveFrame) + Send + Sync>,
}

/// Reads every frame a [`headless_app`] renders back to the CPU and hands it to `sink` (on a render thread; it
/// must not block). For the live show, whose app runs on the real clock.
pub fn stream_frames(app: &mut App, target: Handle<Image>, sink: impl Fn(LiveFrame) + Send + Sync + 'static) {
    app.insert_resource(LiveFrames { target, next: 0, sink: std::sync::Arc::new(sink) })
        .add_systems(Last, request_live_frame.before(ReadBackRequests));
}

/// Updates before the first live frame is read back: the render target holds nothing drawn before then (the
/// offline stage warms up the same way, see [`finish_and_warm_up`]).
const LIVE_WARM_UP_UPDATES: u32 = 3;

fn request_live_frame(
    mut commands: Commands,
    mut live: ResMut<LiveFrames>,
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
    let index = live.next;
    live.next += 1;
    let requested = std::time::Instant::now();
    let sink = live.sink.clone();
    read_back_once(&mut commands, live.target.clone(), move |rgba| sink(LiveFrame { index, requested, rgba }));
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
        let world = self.app.world_mut();
        read_back_once(&mut world.commands(), handle, move |rgba| {
            let _ = sink.send((index, rgba));
        });
        world.flush();
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
    app.add_systems(First, end_read_backs).add_systems(Last, read_backs_submitted.in_set(ReadBackRequests));
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin { primary_window: None, exit_condition: ExitCondition::DontExit, ..default() })
            .set(RenderPlugin { synchronous_pipeline_compilation: true, ..default() })
            .disable::<WinitPlugin>()
            .disable::<bevy::log::LogPlugin>()
            .disable::<bevy::audio::AudioPlugin>(),
    );
}

/// An offscreen RGBA8 (sRGB) frame of `size`, added to the app's images: a render target that
/// [`read_back_once`] can copy from.
pub fn add_frame_target(app: &mut App, size: FrameSize, label: &'static str) -> Handle<Image> {
    let mut target = Image::new_target_texture(size.width, size.height, TextureFormat::Rgba8UnormSrgb, None);
    target.texture_descriptor.label = Some(label);
    // The read-back copies straight out of the target.
    target.texture_descriptor.usage |= TextureUsages::COPY_SRC;
    app.world_mut().resource_mut::<Assets<Image>>().add(target)
}

/// Systems that ask for read-backs in `Last` run before this set, so that the read-back is marked as sent with
/// this update's frame.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub struct ReadBackRequests;

/// A one-shot read-back whose copy was sent to the renderer with an update's frame.
#[derive(Component)]
struct ReadBackSent;

/// Asks for `target`'s picture as the current (or, from outside an update, the next) update renders it. `deliver`
/// gets the RGBA8 rows, top to bottom without padding, when the copy arrives a few updates later; it runs on the
/// main thread and must not block. Needs [`add_headless_plugins`]; the target must allow copies
/// ([`add_frame_target`]).
pub fn read_back_once(
    commands: &mut Commands,
    target: Handle<Image>,
    deliver: impl Fn(Vec<u8>) + Send + Sync + 'static,
) {
    let image = target.clone();
    commands.spawn(Readback::texture(target)).observe(
        move |mut done: On<ReadbackComplete>, images: Res<Assets<Image>>, mut commands: Commands| {
            // The read-back's entity lives until its copy is in.
            commands.entity(done.entity).despawn();
            let Some(image) = images.get(&image) else {
                return;
            };
            let (width, height) = (image.width() as usize, image.height() as usize);
            let mut rgba = std::mem::take(&mut done.event_mut().data);
            unpad_rows(&mut rgba, width * 4, height);
            deliver(rgba);
        },
    );
}

/// Bevy reads a `Readback` back with every frame while it is there: a one-shot read-back is marked once this
/// update's frame has taken it (at the end of the update, when the render world extracts) ...
fn read_backs_submitted(mut commands: Commands, fresh: Query<Entity, (With<Readback>, Without<ReadBackSent>)>) {
    for entity in &fresh {
        commands.entity(entity).insert(ReadBackSent);
    }
}

/// ... and loses its `Readback` at the start of the next one, so no later frame is copied for it.
fn end_read_backs(mut commands: Commands, sent: Query<Entity, (With<Readback>, With<ReadBackSent>)>) {
    for entity in &sent {
        commands.entity(entity).remove::<Readback>();
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
