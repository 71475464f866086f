//! shopcast's stage: Bevy plugins that draw the host, the pinned offer, captions and the "AI host" label.
//!
//! Architecture Invariant: the stage knows nothing of LLMs, voices or chat platforms. It plays
//! [`model::StageCommand`]s from its inbox (at most [`inbox::MAX_COMMANDS_PER_FRAME`] a frame, never waiting) and
//! reports [`model::StageEvent`]s. The same plugins draw into a window or, headless, into an image that
//! [`capture`] reads back.

// Bevy systems take their world access as parameters: long query types and many parameters are the idiom,
// not a smell (Bevy's own lint guidance).
#![allow(clippy::type_complexity, clippy::too_many_arguments)]

pub mod avatar;
pub mod captions;
pub mod capture;
pub mod inbox;
pub mod layered;
pub mod layout;
pub mod overlays;
pub mod reload;
pub mod shapes;
pub mod speech;
pub mod vrm_host;

use bevy::prelude::*;
use model::Scene;

pub use inbox::StageLink;
pub use layout::FrameSize;
pub use reload::SceneInbox;

/// The line player alone (captions' text, visemes, voice and its clock), for apps and tests that want lines
/// without drawing; [`StagePlugin`] includes it.
pub fn speech_plugin(app: &mut App) {
    speech::plugin(app);
    inbox::plugin(app);
    app.configure_sets(Update, (StageSystems::Receive, StageSystems::Apply, StageSystems::Animate).chain())
        .add_systems(
            Update,
            (
                inbox::receive_commands.in_set(StageSystems::Receive),
                (speech::apply_line_commands, speech::follow_audio_clock).chain().in_set(StageSystems::Apply),
                speech::finish_lines.in_set(StageSystems::Animate),
            ),
        );
}

/// The camera that draws the stage (add a render target for headless use). Without multisampling: nothing in the
/// frame needs it (the host's [`shapes`] antialias their own edges; overlays and pictures sit on the pixel grid),
/// and on a software renderer a multisampled frame costs several times a plain one.
pub fn stage_camera() -> impl Bundle {
    (Camera2d, Msaa::Off, IsDefaultUiCamera)
}

/// The scene being shown, as a resource.
#[derive(Resource, Clone, Debug)]
pub struct CurrentScene(pub Scene);

/// System sets, in the order they run each frame.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageSystems {
    /// Take commands from the inbox (and a new scene from the [`SceneInbox`], if any).
    Receive,
    /// Apply them to the stage's state (current line, pinned offer).
    Apply,
    /// Animate and lay out from that state.
    Animate,
}

/// Everything the show draws. The caller adds Bevy's rendering plugins and a camera (see [`capture`] for the
/// headless set-up and the binary for the window).
pub struct StagePlugin {
    pub scene: Scene,
    pub frame: FrameSize,
    pub link: StageLink,
}

impl Plugin for StagePlugin {
    fn build(&self, app: &mut App) {
        app.insert_resource(CurrentScene(self.scene.clone()))
            .insert_resource(self.frame)
            .insert_resource(self.link.clone())
            .insert_resource(ClearColor(layout::clear_colour(&self.scene.background)))
            .configure_sets(Update, (StageSystems::Receive, StageSystems::Apply, StageSystems::Animate).chain())
            .add_plugins((inbox::plugin, speech::plugin, shapes::plugin, avatar::plugin, overlays::plugin));
        add_frame_systems(app);
    }
}

/// Every system the stage runs each frame, in the one order they run. Listed here, in one place, and chained:
/// two systems that touch the same state never run in whichever order the scheduler's threads happen to fall, so
/// a frame is the same on every run (a mouth corner that read the mouth's width before or after the mouth moved,
/// as chance had it, once made two renders of one show differ). A new system goes into this list.
fn add_frame_systems(app: &mut App) {
    use overlays::{caption_panel, comment, info_cards, offer_card, ticker};
    app.add_systems(
        Update,
        (
            (inbox::receive_commands, reload::apply_new_scene).chain().in_set(StageSystems::Receive),
            (
                speech::apply_line_commands,
                speech::follow_audio_clock,
                avatar::apply_avatar_commands,
                comment::show_or_clear,
                offer_card::pin_or_unpin,
                offer_card::show_decoded_pictures,
                info_cards::raise_or_lower,
                info_cards::hide_the_host_while_a_person_hosts,
                ticker::push_comments,
            )
                .chain()
                .in_set(StageSystems::Apply),
            (
                avatar::idle_motion,
                avatar::blink,
                avatar::move_mouth,
                // The mouth corners sit at the ends of this frame's mouth, and the pupils where the gaze went.
                avatar::look,
                avatar::show_expression,
                avatar::play_gesture,
                avatar::animate_layers,
                vrm_host::animate_vrm,
                speech::finish_lines,
                caption_panel::update_captions,
                ticker::show_ticker,
                offer_card::tick_countdowns,
            )
                .chain()
                .in_set(StageSystems::Animate),
        ),
    );
}
