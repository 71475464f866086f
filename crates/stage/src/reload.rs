//! Scene hot reload: a replacement [`Scene`] from the [`SceneInbox`] re-lays out the background, the host and
//! every overlay between two frames, keeping what they show (pinned offer, comment, ticker, cards, the line).
//!
//! The inbox is drained without waiting; when several scenes queued up, only the newest is laid out.

use crate::CurrentScene;
use crate::avatar::{AvatarRoot, HostAssets, spawn_host};
use crate::layout::{FrameSize, clear_colour};
use crate::overlays::{ImageCache, OverlayState, SceneBound, StageFont, pick_font, spawn_overlays};
use crate::shapes::{HostShape, ShapeQuad};
use bevy::prelude::*;
use bevy::text::FontCx;
use model::Scene;

/// Replacement scenes for the running stage (from a file watcher, say). The sender side belongs to whoever
/// watches the scene file; closing it leaves the current scene up.
#[derive(Resource, Clone)]
pub struct SceneInbox(pub async_channel::Receiver<Scene>);

impl SceneInbox {
    /// An inbox and its sender; a few scenes may wait (only the newest is used).
    pub fn channel() -> (async_channel::Sender<Scene>, SceneInbox) {
        let (tx, rx) = async_channel::bounded(4);
        (tx, SceneInbox(rx))
    }
}

/// At most this many queued scenes are looked at per frame (the newest of them wins).
const MAX_SCENES_PER_FRAME: usize = 8;

pub(crate) fn apply_new_scene(
    mut commands: Commands,
    inbox: Option<Res<SceneInbox>>,
    mut current: ResMut<CurrentScene>,
    frame: Res<FrameSize>,
    font_cx: Option<ResMut<FontCx>>,
    font: Res<StageFont>,
    state: Res<OverlayState>,
    quad: Res<ShapeQuad>,
    mut shapes: ResMut<Assets<HostShape>>,
    mut images: ResMut<Assets<Image>>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<ColorMaterial>>,
    mut cache: ResMut<ImageCache>,
    laid_out: Query<Entity, Or<(With<SceneBound>, With<AvatarRoot>)>>,
) {
    let Some(inbox) = inbox else {
        return;
    };
    let mut newest = None;
    for _ in 0..MAX_SCENES_PER_FRAME {
        match inbox.0.try_recv() {
            Ok(scene) => newest = Some(scene),
            Err(_) => break,
        }
    }
    let Some(scene) = newest else {
        return;
    };
    info!("laying out the stage for scene \"{}\"", scene.name);
    for entity in &laid_out {
        commands.entity(entity).despawn();
    }
    commands.insert_resource(ClearColor(clear_colour(&scene.background)));
    // Font discovery is only redone when the scene names other fonts.
    let font = if scene.fonts == current.0.fonts {
        font.clone()
    } else {
        let picked = pick_font(&scene, font_cx);
        commands.insert_resource(picked.clone());
        picked
    };
    spawn_overlays(&mut commands, &scene, &frame, &font, &state, &mut images, &mut cache);
    let mut assets =
        HostAssets { shapes: &mut shapes, images: &mut images, meshes: &mut meshes, materials: &mut materials };
    spawn_host(&mut commands, &quad, &mut assets, &scene, &frame);
    current.0 = scene;
}
