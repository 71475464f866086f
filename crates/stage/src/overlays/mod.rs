//! The overlays: the pinned offer card, burned-in captions, the comment ticker and the "AI host" label.
//!
//! The label is spawned at start-up and no command removes it: viewers always know the host is an AI. What the
//! overlays show lives in [`OverlayState`] and [`Ticker`], so a new scene (hot reload) can lay everything out
//! again from the same data.

//!
//! Each overlay is its own plugin in its own file: [`label`], [`caption_panel`], [`comment`], [`offer_card`],
//! [`info_cards`] and [`ticker`], each with the commands it answers. This module holds what they share: the font,
//! the state a new layout is built from, and [`spawn_overlays`], which lays them all out for a scene.

pub(crate) mod caption_panel;
pub(crate) mod comment;
mod fit;
pub(crate) mod info_cards;
mod label;
pub(crate) mod offer_card;
mod picture;
pub(crate) mod ticker;

pub use caption_panel::{CaptionPages, CaptionPanel, CaptionText};
pub use comment::{CommentBubble, CommentBubbleText, comment_text};
pub use fit::{fit_ems, fit_font_size, fit_title};
pub use info_cards::InfoCard;
pub use label::{AI_LABEL, AiLabel, label_box};
pub use offer_card::{
    CardSizes, Countdown, MIN_QR_MODULE_PX, OfferCardRoot, QrCodeImage, StockBar, StockBarFill, countdown_text,
    qr_image, stock_fraction,
};
pub use picture::load_picture;
pub(crate) use picture::{ImageCache, WaitForPictures};
pub use ticker::{Ticker, TickerRow, TickerRows, TickerStrip, ticker_line};

use crate::CurrentScene;
use crate::layout::FrameSize;
use bevy::prelude::*;
use bevy::text::FontCx;
use model::{OfferCard, Scene};

/// The font every overlay uses: the scene's first installed family, else Bevy's built-in Latin font.
#[derive(Resource, Clone, Debug)]
pub struct StageFont(pub FontSource);

/// Everything spawned from the scene's layout; a new scene despawns and respawns these.
#[derive(Component)]
pub struct SceneBound;

/// What the overlays show, kept apart from their entities so a new layout can show the same.
#[derive(Resource, Default, Debug, Clone)]
pub struct OverlayState {
    /// The comment bubble's text while one is shown.
    pub comment: Option<String>,
    pub standby: bool,
    pub human_host: bool,
    /// The pinned offer and the stage time (seconds) its countdown ends, if it has one.
    pub pinned: Option<(OfferCard, Option<f64>)>,
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<OverlayState>()
        .add_systems(Startup, (choose_font, spawn_overlays_at_start).chain())
        .add_plugins((caption_panel::plugin, ticker::plugin, picture::plugin));
}

fn choose_font(mut commands: Commands, scene: Res<CurrentScene>, font_cx: Option<ResMut<FontCx>>) {
    commands.insert_resource(pick_font(&scene.0, font_cx));
}

/// Reads the files of `family` (every face: regular, bold ...) once and registers their contents with the text
/// renderer, which then finds the family in memory for the rest of the show.
///
/// Why: Bevy's text renderer keeps a system font's file only while text keeps using it (each text laid out ages
/// the cache, and a file not used for a while is dropped), and a file loaded again is a new font to the glyph
/// atlases, which keep the old ones for good: about a megabyte of atlas per font size each time, 150 MB in five
/// minutes of show (BENCHMARKS.md, "memory over a show"). Fonts registered from memory are never dropped, so the
/// glyphs are drawn from the same atlases all show long. Registering a file's contents does not copy them.
fn hold_font_files(font_cx: &mut FontCx, family: &str) {
    let context = &mut font_cx.context;
    let Some(info) = context.collection.family_id(family).and_then(|id| context.collection.family(id)) else {
        return;
    };
    // Faces that share a file (a .ttc holds several) register it once.
    let mut files = Vec::new();
    for face in info.fonts() {
        if let Some(file) = context.source_cache.get(face.source())
            && !files.contains(&file.id())
        {
            files.push(file.id());
            context.collection.register_fonts(file, None);
        }
    }
}

/// Picks the first scene font the system has. Generic or missing families draw nothing in Bevy, so a missing
/// font must fall back to the embedded one rather than leave the overlays blank.
pub fn pick_font(scene: &Scene, font_cx: Option<ResMut<FontCx>>) -> StageFont {
    let mut chosen = None;
    if let Some(mut font_cx) = font_cx {
        for family in &scene.fonts {
            if font_cx.collection.family_id(family).is_some() {
                hold_font_files(&mut font_cx, family);
                chosen = Some(FontSource::from(family.as_str()));
                break;
            }
        }
    }
    StageFont(chosen.unwrap_or_else(|| {
        warn!(
            "none of the scene fonts {:?} is installed; Chinese text will not render (install fonts-noto-cjk)",
            scene.fonts
        );
        FontSource::default()
    }))
}

pub(super) fn spawn_overlays_at_start(
    mut commands: Commands,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    font: Res<StageFont>,
    state: Res<OverlayState>,
    mut images: ResMut<Assets<Image>>,
    mut cache: ResMut<ImageCache>,
) {
    spawn_overlays(&mut commands, &scene.0, &frame, &font, &state, &mut images, &mut cache);
}

/// Lays out every overlay for `scene`, showing what `state` holds (at start-up, and again for a new scene).
pub(crate) fn spawn_overlays(
    commands: &mut Commands,
    scene: &Scene,
    frame: &FrameSize,
    font: &StageFont,
    state: &OverlayState,
    images: &mut Assets<Image>,
    cache: &mut ImageCache,
) {
    label::spawn_label(commands, scene, frame, font);
    caption_panel::spawn_captions(commands, scene, frame, font);
    comment::spawn_comment_bubble(commands, scene, frame, font, state);
    info_cards::spawn_info_cards(commands, scene, frame, font, state);
    ticker::spawn_ticker(commands, scene, frame);
    if let Some((card, ends_at)) = &state.pinned {
        offer_card::spawn_offer_card(commands, card, *ends_at, scene, frame, font, images, cache);
    }
}

fn text_font(font: &StageFont, size: f32) -> TextFont {
    TextFont { font: font.0.clone(), font_size: FontSize::Px(size), ..default() }
}

fn absolute(frame: &FrameSize, rect: &model::Rect) -> Node {
    let (left, top, width, height) = frame.px(rect);
    Node {
        position_type: PositionType::Absolute,
        left: Val::Px(left),
        top: Val::Px(top),
        width: Val::Px(width),
        height: Val::Px(height),
        ..default()
    }
}
