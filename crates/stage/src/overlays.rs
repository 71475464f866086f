//! The overlays: the pinned offer card, burned-in captions, the comment ticker and the "AI host" label.
//!
//! The label is spawned at start-up and no command removes it: viewers always know the host is an AI. What the
//! overlays show lives in [`OverlayState`] and [`Ticker`], so a new scene (hot reload) can lay everything out
//! again from the same data.

use crate::captions::{self, CaptionFit, caption_pages, page_at};
use crate::inbox::Command;
use crate::layout::{FrameSize, colour};
use crate::speech::Speaking;
use crate::{CurrentScene, StageSystems};
use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy::text::FontCx;
use model::{LineId, OfferCard, Scene, StageCommand, StockLevel};
use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};

/// The label text, in both languages the show speaks.
pub const AI_LABEL: &str = "AI host · AI主播";

/// The font every overlay uses: the scene's first installed family, else Bevy's built-in Latin font.
#[derive(Resource, Clone, Debug)]
pub struct StageFont(pub FontSource);

#[derive(Component)]
pub struct OfferCardRoot(pub OfferCard);

#[derive(Component)]
pub struct CaptionPanel;

#[derive(Component)]
pub struct CaptionText;

#[derive(Component)]
pub struct AiLabel;

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

/// The comment being answered, shown while its answer plays.
#[derive(Component)]
pub struct CommentBubble;

#[derive(Component)]
pub struct CommentBubbleText;

/// The longest comment shown in full; longer ones are cut with an ellipsis so the bubble never overflows.
const MAX_COMMENT_CHARS: usize = 90;

/// "name: text", cut to [`MAX_COMMENT_CHARS`].
pub fn comment_text(user_name: &str, text: &str) -> String {
    let name: String = user_name.chars().filter(|c| model::displayable(*c)).take(24).collect();
    let mut body: String = text.chars().filter(|c| model::displayable(*c)).take(MAX_COMMENT_CHARS).collect();
    if text.chars().count() > MAX_COMMENT_CHARS {
        body.push('…');
    }
    format!("{name}: {body}")
}

/// Product pictures by path (decoded or on their way), so re-pinning an offer does not decode the file again; QR
/// codes by URL and the most room they were given.
#[derive(Resource)]
pub(crate) struct ImageCache {
    pictures: HashMap<PathBuf, Option<Picture>>,
    qr: HashMap<(String, u32), Option<(Handle<Image>, u32)>>,
    /// Pictures being decoded on the async compute pool, off the frame's thread.
    decoding: Vec<Decoding>,
    /// Decodes and fits one picture; [`load_picture`] unless a test holds it up.
    pub(crate) decode: PictureDecoder,
}

/// Decodes the picture at a path and fits it into a width and height, on a task pool thread.
pub(crate) type PictureDecoder = std::sync::Arc<dyn Fn(&Path, u32, u32) -> Option<Image> + Send + Sync>;

impl Default for ImageCache {
    fn default() -> ImageCache {
        ImageCache {
            pictures: HashMap::new(),
            qr: HashMap::new(),
            decoding: Vec::new(),
            decode: std::sync::Arc::new(load_picture),
        }
    }
}

impl ImageCache {
    /// How many pictures are still being decoded.
    #[cfg(test)]
    pub(crate) fn decoding(&self) -> usize {
        self.decoding.len()
    }
}

/// A product picture as the card lays it out: its handle (filled once decoded) and its shape, read from the
/// file's header.
#[derive(Clone)]
struct Picture {
    handle: Handle<Image>,
    aspect: f32,
}

struct Decoding {
    path: PathBuf,
    handle: Handle<Image>,
    task: Task<Option<Image>>,
}

/// Present in offline rendering (`shopcast render`, pixel tests): each frame waits for the pictures it shows, so
/// the same input always gives the same frames. A live stage never waits; a picture appears when it is decoded.
#[derive(Resource)]
pub(crate) struct WaitForPictures;

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<ImageCache>()
        .init_resource::<OverlayState>()
        .init_resource::<Ticker>()
        .init_resource::<CaptionPages>()
        .add_systems(Startup, (choose_font, spawn_overlays_at_start).chain())
        .add_systems(
            Update,
            (
                (apply_offer_commands, show_decoded_pictures).chain().in_set(StageSystems::Apply),
                (update_captions, tick_countdowns, show_ticker).in_set(StageSystems::Animate),
            ),
        );
}

fn choose_font(mut commands: Commands, scene: Res<CurrentScene>, font_cx: Option<ResMut<FontCx>>) {
    commands.insert_resource(pick_font(&scene.0, font_cx));
}

/// Picks the first scene font the system has. Generic or missing families draw nothing in Bevy, so a missing
/// font must fall back to the embedded one rather than leave the overlays blank.
pub fn pick_font(scene: &Scene, font_cx: Option<ResMut<FontCx>>) -> StageFont {
    let mut chosen = None;
    if let Some(mut font_cx) = font_cx {
        for family in &scene.fonts {
            if font_cx.collection.family_id(family).is_some() {
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

fn spawn_overlays_at_start(
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
    spawn_label(commands, scene, frame, font);
    spawn_captions(commands, scene, frame, font);
    spawn_comment_bubble(commands, scene, frame, font, state);
    spawn_info_cards(commands, scene, frame, font, state);
    spawn_ticker(commands, scene, frame);
    if let Some((card, ends_at)) = &state.pinned {
        spawn_offer_card(commands, card, *ends_at, scene, frame, font, images, cache);
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

/// Where the "AI host" label goes and how large its text is: (left, top, width, height, text size) in pixels.
/// The text is half the rectangle's height, smaller if the rectangle is too narrow for it, never below 12 px; and
/// the panel grows to hold the whole label and is kept inside the frame, so no scene and no frame size can cut the
/// disclosure off.
pub fn label_box(frame: &FrameSize, rect: &model::Rect) -> (f32, f32, f32, f32, f32) {
    let (x, y, w, h) = frame.px(rect);
    let label_ems = ems(AI_LABEL);
    // The per-character estimate already errs wide (spaces and the dot count as letters), so no further margin.
    let size = (h * 0.5).min(w / label_ems).max(12.0);
    let width = w.max(label_ems * size);
    let height = h.max(size * 1.5);
    let (fw, fh) = (frame.width as f32, frame.height as f32);
    let left = x.min(fw - width).max(0.0);
    let top = y.min(fh - height).max(0.0);
    (left, top, width, height, size)
}

fn spawn_label(commands: &mut Commands, scene: &Scene, frame: &FrameSize, font: &StageFont) {
    let theme = scene.theme;
    let (left, top, width, height, size) = label_box(frame, &scene.layout.label);
    commands
        .spawn((
            AiLabel,
            SceneBound,
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(left),
                top: Val::Px(top),
                width: Val::Px(width),
                height: Val::Px(height),
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                border_radius: BorderRadius::all(Val::Px(height * 0.25)),
                ..default()
            },
            BackgroundColor(colour(theme.label_panel)),
            GlobalZIndex(100),
        ))
        .with_child((
            Text::new(AI_LABEL),
            text_font(font, size),
            TextColor(colour(theme.label_text)),
            TextLayout::new(Justify::Center, LineBreak::NoWrap),
        ));
}

/// Caption text height in pixels: the scene's size, never below the 4% accessibility floor (a scene swapped in at
/// run time has not been through `shopcast check`).
pub fn caption_px(scene: &Scene, frame: &FrameSize) -> f32 {
    frame.text_px(scene.caption_size.max(Scene::MIN_CAPTION_SIZE))
}

fn spawn_captions(commands: &mut Commands, scene: &Scene, frame: &FrameSize, font: &StageFont) {
    let theme = scene.theme;
    let size = caption_px(scene, frame);
    commands
        .spawn((
            CaptionPanel,
            SceneBound,
            Node {
                justify_content: JustifyContent::Center,
                align_items: AlignItems::Center,
                padding: UiRect::axes(Val::Px(size * captions::PAD_X), Val::Px(size * captions::PAD_Y)),
                border_radius: BorderRadius::all(Val::Px(size * 0.3)),
                // Pages are sized to fit (see `captions`); should an estimate ever fall short, the panel still
                // holds its text rather than spill it over the host.
                overflow: Overflow::clip(),
                ..absolute(frame, &scene.layout.captions)
            },
            BackgroundColor(colour(theme.caption_panel)),
            Visibility::Hidden,
            GlobalZIndex(50),
        ))
        .with_child((
            CaptionText,
            CaptionFit::of(scene, frame),
            Text::new(""),
            text_font(font, size),
            TextColor(colour(theme.caption_text)),
            TextLayout::new(Justify::Center, LineBreak::WordOrCharacter),
        ));
}

fn spawn_comment_bubble(
    commands: &mut Commands,
    scene: &Scene,
    frame: &FrameSize,
    font: &StageFont,
    state: &OverlayState,
) {
    let theme = scene.theme;
    let rect = scene.layout.comment;
    let (_, _, _, height) = frame.px(&rect);
    let size = (height * 0.3).max(12.0);
    commands
        .spawn((
            CommentBubble,
            SceneBound,
            Node {
                align_items: AlignItems::Center,
                padding: UiRect::axes(Val::Px(size * 0.6), Val::Px(size * 0.2)),
                border_radius: BorderRadius::all(Val::Px(size * 0.5)),
                overflow: Overflow::clip(),
                ..absolute(frame, &rect)
            },
            BackgroundColor(colour(theme.panel)),
            if state.comment.is_some() { Visibility::Inherited } else { Visibility::Hidden },
            GlobalZIndex(40),
        ))
        .with_child((
            CommentBubbleText,
            Text::new(state.comment.clone().unwrap_or_default()),
            text_font(font, size),
            TextColor(colour(theme.text)),
            TextLayout::new(Justify::Left, LineBreak::WordOrCharacter),
        ));
}

/// The offer's remaining time, counted down on the stage's clock (virtual time in renders, so frames repeat).
#[derive(Component)]
pub struct Countdown {
    /// Stage time (seconds) when the offer ends.
    pub ends_at: f64,
    pub lang: model::Lang,
}

/// The QR code of the purchase link on the offer card.
#[derive(Component)]
pub struct QrCodeImage;

/// The fewest pixels per QR module drawn: fewer and a phone filming the stream cannot tell the modules apart.
pub const MIN_QR_MODULE_PX: usize = 2;

/// The purchase link as a QR code: dark modules on white with the standard four-module quiet zone, as many whole
/// pixels per module as fit in `max_px` (at least [`MIN_QR_MODULE_PX`]). Returns the image and its side in pixels,
/// never more than `max_px`; `None` for a link too long to encode, or whose code needs more room than that.
pub fn qr_image(url: &str, max_px: u32) -> Option<(Image, u32)> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let quiet = 4;
    let modules = width + 2 * quiet;
    let scale = max_px as usize / modules;
    if scale < MIN_QR_MODULE_PX {
        return None;
    }
    let side = (modules * scale) as u32;
    let mut pixels = image::RgbaImage::from_pixel(side, side, image::Rgba([255, 255, 255, 255]));
    for (i, colour) in code.to_colors().iter().enumerate() {
        if *colour == qrcode::Color::Dark {
            let (mx, my) = ((i % width + quiet) * scale, (i / width + quiet) * scale);
            for y in my..my + scale {
                for x in mx..mx + scale {
                    pixels.put_pixel(x as u32, y as u32, image::Rgba([0, 0, 0, 255]));
                }
            }
        }
    }
    let image = Image::from_dynamic(image::DynamicImage::ImageRgba8(pixels), true, RenderAssetUsages::default());
    Some((image, side))
}

/// A card that stands in for the show's usual content: the standby card over the offer card while nothing may be
/// pitched, and the "human host joining" card over the avatar while a person hosts.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoCard {
    Standby,
    HumanHost,
}

/// "Ends in 1:59:59" / "距结束 1:59:59"; "Offer ended" / "活动已结束" at zero.
pub fn countdown_text(seconds_left: f64, lang: model::Lang) -> String {
    if seconds_left <= 0.0 {
        return match lang {
            model::Lang::En => "Offer ended".into(),
            model::Lang::Zh => "活动已结束".into(),
        };
    }
    let total = seconds_left.ceil() as u64;
    let (h, m, s) = (total / 3600, total % 3600 / 60, total % 60);
    let clock = if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") };
    match lang {
        model::Lang::En => format!("Ends in {clock}"),
        model::Lang::Zh => format!("距结束 {clock}"),
    }
}

fn tick_countdowns(time: Res<Time>, mut countdowns: Query<(&Countdown, &mut Text)>) {
    let now = time.elapsed_secs_f64();
    for (countdown, mut text) in &mut countdowns {
        let wanted = countdown_text(countdown.ends_at - now, countdown.lang);
        if text.0 != wanted {
            text.0 = wanted;
        }
    }
}

fn spawn_info_cards(commands: &mut Commands, scene: &Scene, frame: &FrameSize, font: &StageFont, state: &OverlayState) {
    let theme = scene.theme;
    let cards = [
        (InfoCard::Standby, scene.layout.offer_card, ["More products coming up", "更多好物马上来"], state.standby),
        (InfoCard::HumanHost, scene.layout.avatar, ["A human host is joining", "真人主播马上来"], state.human_host),
    ];
    for (card, rect, lines, on) in cards {
        let (_, _, _, height) = frame.px(&rect);
        let size = (height * 0.07).max(14.0);
        commands
            .spawn((
                card,
                SceneBound,
                Node {
                    flex_direction: FlexDirection::Column,
                    justify_content: JustifyContent::Center,
                    align_items: AlignItems::Center,
                    row_gap: Val::Px(size * 0.4),
                    padding: UiRect::all(Val::Px(size * 0.5)),
                    border_radius: BorderRadius::all(Val::Px(size * 0.6)),
                    ..absolute(frame, &rect)
                },
                BackgroundColor(colour(theme.panel)),
                if on { Visibility::Inherited } else { Visibility::Hidden },
                GlobalZIndex(30),
            ))
            .with_children(|c| {
                for line in lines {
                    c.spawn((
                        Text::new(line),
                        text_font(font, size).with_font_weight(FontWeight::BOLD),
                        TextColor(colour(theme.text)),
                        TextLayout::new(Justify::Center, LineBreak::WordOrCharacter),
                    ));
                }
            });
    }
}

/// The current line's caption pages (see [`captions`]), worked out once per line and panel.
#[derive(Resource, Default)]
pub struct CaptionPages {
    key: Option<(LineId, CaptionFit)>,
    pub pages: Vec<String>,
}

/// Shows the page of the current line being said; hides the panel when nobody speaks.
fn update_captions(
    time: Res<Time>,
    speaking: Res<Speaking>,
    mut pages: ResMut<CaptionPages>,
    mut panels: Query<&mut Visibility, With<CaptionPanel>>,
    mut texts: Query<(&mut Text, &CaptionFit), With<CaptionText>>,
) {
    for (mut t, fit) in &mut texts {
        let text = match &speaking.line {
            Some(line) => {
                let key = Some((line.id, *fit));
                if pages.key != key {
                    let shown: String = line.text.chars().filter(|c| model::displayable(*c)).collect();
                    pages.pages = caption_pages(&shown, *fit);
                    pages.key = key;
                }
                let progress = line.elapsed(time.elapsed_secs()) / line.duration.max(0.001);
                pages.pages.get(page_at(&pages.pages, progress)).map_or("", String::as_str)
            }
            None => "",
        };
        if t.0 != text {
            t.0 = text.to_string();
        }
    }
    let speaking = speaking.line.as_ref().is_some_and(|l| !l.text.trim().is_empty());
    for mut visibility in &mut panels {
        visibility.set_if_neq(if speaking { Visibility::Inherited } else { Visibility::Hidden });
    }
}

fn apply_offer_commands(
    mut commands: Commands,
    mut messages: MessageReader<Command>,
    cards: Query<Entity, With<OfferCardRoot>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    font: Res<StageFont>,
    mut images: ResMut<Assets<Image>>,
    mut cache: ResMut<ImageCache>,
    mut state: ResMut<OverlayState>,
    mut ticker: ResMut<Ticker>,
    mut bubbles: Query<(&mut Visibility, &Children), With<CommentBubble>>,
    mut bubble_texts: Query<&mut Text, (With<CommentBubbleText>, Without<Countdown>)>,
    mut cards_shown: Query<(&mut Visibility, &InfoCard), Without<CommentBubble>>,
    time: Res<Time>,
) {
    for Command(command) in messages.read() {
        match command {
            StageCommand::PinOffer(card) => {
                for entity in &cards {
                    commands.entity(entity).despawn();
                }
                let ends_at = card.ends_in_ms.map(|ms| time.elapsed_secs_f64() + ms as f64 / 1000.0);
                spawn_offer_card(&mut commands, card, ends_at, &scene.0, &frame, &font, &mut images, &mut cache);
                state.pinned = Some((card.clone(), ends_at));
            }
            StageCommand::UnpinOffer => {
                for entity in &cards {
                    commands.entity(entity).despawn();
                }
                state.pinned = None;
            }
            StageCommand::ShowComment { user_name, text } => {
                let shown = comment_text(user_name, text);
                for (mut visibility, children) in &mut bubbles {
                    visibility.set_if_neq(Visibility::Inherited);
                    for child in children.iter() {
                        if let Ok(mut t) = bubble_texts.get_mut(child) {
                            t.0 = shown.clone();
                        }
                    }
                }
                state.comment = Some(shown);
            }
            StageCommand::ClearComment => {
                state.comment = None;
                for (mut visibility, _) in &mut bubbles {
                    visibility.set_if_neq(Visibility::Hidden);
                }
            }
            StageCommand::Standby { on } => {
                state.standby = *on;
                for (mut visibility, card) in &mut cards_shown {
                    if *card == InfoCard::Standby {
                        visibility.set_if_neq(if *on { Visibility::Inherited } else { Visibility::Hidden });
                    }
                }
            }
            StageCommand::HumanHost { on } => {
                state.human_host = *on;
                for (mut visibility, card) in &mut cards_shown {
                    if *card == InfoCard::HumanHost {
                        visibility.set_if_neq(if *on { Visibility::Inherited } else { Visibility::Hidden });
                    }
                }
            }
            StageCommand::Ticker { user_name, text } => ticker.push(user_name, text, time.elapsed_secs()),
            StageCommand::PlayLine { .. }
            | StageCommand::StopLine { .. }
            | StageCommand::Expression(_)
            | StageCommand::Gesture(_) => {}
        }
    }
}

/// Font sizes on the offer card, in pixels, fitted to the card so nothing overflows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CardSizes {
    pub title: f32,
    pub price: f32,
    pub compare_at: f32,
    pub badge: f32,
    pub stock: f32,
    /// The picture's height in px.
    pub picture: f32,
}

impl CardSizes {
    /// The picture's share of the card height.
    pub const PICTURE: f32 = 0.38;

    /// Sizes as fractions of the card height, then shrunk so the title fits two lines and the price row (price,
    /// struck-through compare-at price, discount badge) fits one line of `inner_w`.
    ///
    /// `top_qr`: the side in pixels of the QR code when it stands at the top of the card in the picture's place (a
    /// card with a link and no picture to show), else 0. It does not shrink with the text, so the rest makes room.
    pub fn fit(card: &OfferCard, inner_w: f32, card_h: f32, top_qr: f32) -> CardSizes {
        let title = fit_font_size(&card.title, inner_w, 2, card_h * 0.12, card_h * 0.05);
        let price = card_h * 0.13;
        let (compare_ratio, badge_ratio) = (0.5, 0.45);
        // Widths in ems: digits and symbols are about 0.6 em in this face; the badge has padding; gaps between.
        let row_ems = ems(&card.price) * 1.05
            + card.compare_at.as_deref().map_or(0.0, |t| (ems(t) + 0.6) * compare_ratio)
            + card.discount.as_deref().map_or(0.0, |t| (ems(t) + 1.2) * badge_ratio);
        let price = price.min(inner_w * 0.95 / row_ems.max(1.0));
        let sizes = CardSizes {
            title,
            price,
            compare_at: price * compare_ratio,
            badge: price * badge_ratio,
            stock: (card_h * 0.055).min(title),
            picture: card_h * CardSizes::PICTURE,
        };
        // Everything the data has must fit the card's height too: when the rows (picture, a two-line title, the
        // price row, stock, stock bar, countdown) need more than the card has, they all shrink together.
        let (needed, fixed) = sizes.height_needed(card, inner_w, card_h, top_qr);
        if needed <= card_h {
            return sizes;
        }
        let scale = ((card_h - fixed) / (needed - fixed).max(1.0)).clamp(0.4, 1.0);
        CardSizes {
            title: sizes.title * scale,
            price: sizes.price * scale,
            compare_at: sizes.compare_at * scale,
            badge: sizes.badge * scale,
            stock: sizes.stock * scale,
            picture: sizes.picture * scale,
        }
    }

    /// The card height these sizes need for `card` (padding, gaps and every row the data has), and the part of it
    /// that does not scale with the sizes (padding and gaps).
    pub fn height_needed(&self, card: &OfferCard, inner_w: f32, card_h: f32, top_qr: f32) -> (f32, f32) {
        let pad = card_h * 0.05;
        let line = 1.25;
        let title_lines = if ems(&card.title) * self.title > inner_w * 0.95 { 2.0 } else { 1.0 };
        let mut rows = vec![title_lines * self.title * line, self.price * line];
        let qr = top_qr.max(0.0);
        if card.image.is_some() && qr == 0.0 {
            rows.push(self.picture);
        }
        if card.stock.is_some() {
            rows.push(self.stock * line);
        }
        if card.stock_level.is_some_and(|l| l.start > 0) {
            rows.push((self.stock * 0.55).max(4.0));
        }
        if card.ends_in_ms.is_some() {
            rows.push(self.stock * line);
        }
        let gaps = rows.len() as f32 - 1.0 + if qr > 0.0 { 1.0 } else { 0.0 };
        let fixed = 2.0 * pad + pad * gaps + qr;
        (fixed + rows.iter().sum::<f32>(), fixed)
    }
}

/// The largest side the offer card's QR code may have: the picture row's height, and under a third of the card's
/// width (a short link's code then fits at two pixels a module or more even on a 640x360 frame).
fn qr_side(card_w: f32, card_h: f32) -> f32 {
    (card_h * CardSizes::PICTURE).min(card_w * 0.3)
}

/// A text's width in ems, estimated per character (Han characters are square, Latin letters and digits about
/// half to two thirds as wide).
fn ems(text: &str) -> f32 {
    text.chars()
        .map(|c| match c as u32 {
            0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FFFF => 1.0,
            _ if c.is_ascii_digit() || c == '$' || c == '¥' || c == '€' || c == '£' => 0.6,
            _ if c.is_uppercase() => 0.66,
            _ => 0.55,
        })
        .sum()
}

/// The largest font size, from `base` down to `min`, at which `text` fits in `max_lines` lines of `width` px.
/// Widths are estimated per character (Han characters are square, Latin letters about half as wide), which
/// is conservative enough that titles wrap or shrink instead of overflowing the card.
pub fn fit_font_size(text: &str, width: f32, max_lines: u32, base: f32, min: f32) -> f32 {
    let ems = ems(text);
    let mut size = base;
    // Wrapping wastes part of each line; allow for it with a 0.85 fill factor.
    while size > min && ems * size > width * max_lines as f32 * 0.85 {
        size -= 1.0;
    }
    size.max(min)
}

fn spawn_offer_card(
    commands: &mut Commands,
    card: &OfferCard,
    ends_at: Option<f64>,
    scene: &Scene,
    frame: &FrameSize,
    font: &StageFont,
    images: &mut Assets<Image>,
    cache: &mut ImageCache,
) {
    let theme = scene.theme;
    let rect = scene.layout.offer_card;
    let (_, _, card_w, card_h) = frame.px(&rect);
    let pad = card_h * 0.05;
    let inner_w = card_w - 2.0 * pad;
    let text = colour(theme.text);
    let accent = colour(theme.accent);
    // The purchase link as a QR code in the card's top-right corner, drawn at whole pixels per module so phone
    // cameras read it, never taller than the picture beside it; the picture keeps clear of it. With no picture to
    // show, the code stands in its place. A code too dense for the room is left off (logged once per link).
    let qr_target = qr_side(card_w, card_h);
    let picture_w = match &card.url {
        Some(_) => (inner_w - 2.0 * (qr_target + pad * 0.3)).max(inner_w * 0.3),
        None => inner_w,
    };
    let picture = card.image.as_deref().and_then(|path| {
        let max_h = card_h * CardSizes::PICTURE;
        if let Some(known) = cache.pictures.get(path) {
            return known.clone();
        }
        let picture = start_decoding(cache, images, path, picture_w as u32, max_h as u32);
        cache.pictures.insert(path.to_path_buf(), picture.clone());
        picture
    });
    let mut make_qr = |url: &str, max_px: f32| {
        cache
            .qr
            .entry((url.to_string(), max_px as u32))
            .or_insert_with(|| {
                let qr = qr_image(url, max_px as u32).map(|(i, px)| (images.add(i), px));
                if qr.is_none() {
                    warn!(
                        "the link {url:?} is too long for a QR code that fits the offer card ({} px); the card \
                         shows no code: use a short link",
                        max_px as u32
                    );
                }
                qr
            })
            .clone()
    };
    // Sizes follow the card, not the frame, so the same proportions hold in landscape and vertical scenes.
    let (sizes, qr) = if picture.is_some() {
        let sizes = CardSizes::fit(card, inner_w, card_h, 0.0);
        (sizes, card.url.as_deref().and_then(|url| make_qr(url, qr_target.min(sizes.picture))))
    } else {
        let qr = card.url.as_deref().and_then(|url| make_qr(url, qr_target));
        let qr_px = qr.as_ref().map_or(0.0, |(_, px)| *px as f32);
        // A picture that could not be shown (logged when it was loaded) lays out as a card without one.
        (CardSizes::fit(&OfferCard { image: None, ..card.clone() }, inner_w, card_h, qr_px), qr)
    };
    commands
        .spawn((
            OfferCardRoot(card.clone()),
            SceneBound,
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: Val::Px(pad),
                padding: UiRect::all(Val::Px(pad)),
                border_radius: BorderRadius::all(Val::Px(pad)),
                overflow: Overflow::clip(),
                ..absolute(frame, &rect)
            },
            BackgroundColor(colour(theme.panel)),
            GlobalZIndex(10),
        ))
        .with_children(|c| {
            if let Some((handle, px)) = qr.as_ref() {
                // Beside the picture in the top-right corner; with no picture to show, in its place at the top,
                // so the title below never runs under it.
                let corner = Node {
                    position_type: PositionType::Absolute,
                    top: Val::Px(pad * 0.6),
                    right: Val::Px(pad * 0.6),
                    ..default()
                };
                let place = if picture.is_some() { corner } else { Node { flex_shrink: 0.0, ..default() } };
                c.spawn((
                    QrCodeImage,
                    ImageNode::new(handle.clone()),
                    Node { width: Val::Px(*px as f32), height: Val::Px(*px as f32), ..place },
                ));
            }
            if let Some(picture) = picture.as_ref() {
                let h = sizes.picture;
                let w = (picture.aspect * h).min(picture_w);
                c.spawn((
                    ImageNode::new(picture.handle.clone()),
                    Node { width: Val::Px(w), height: Val::Px(h), ..default() },
                ));
            }
            c.spawn((
                Text::new(fit_title(&card.title, inner_w, sizes.title)),
                text_font(font, sizes.title).with_font_weight(FontWeight::BOLD),
                TextColor(text),
                TextLayout::new(Justify::Center, LineBreak::WordOrCharacter),
                Node { max_width: Val::Px(inner_w), ..default() },
            ));
            c.spawn(Node {
                flex_direction: FlexDirection::Row,
                align_items: AlignItems::Center,
                column_gap: Val::Px(pad * 0.6),
                ..default()
            })
            .with_children(|row| {
                row.spawn((
                    Text::new(card.price.clone()),
                    text_font(font, sizes.price).with_font_weight(FontWeight::BOLD),
                    TextColor(accent),
                ));
                if let Some(was) = &card.compare_at {
                    row.spawn((
                        Text::new(was.clone()),
                        text_font(font, sizes.compare_at),
                        TextColor(text),
                        Strikethrough,
                    ));
                }
                if let Some(discount) = &card.discount {
                    row.spawn((
                        Node {
                            padding: UiRect::axes(Val::Px(pad * 0.4), Val::Px(pad * 0.15)),
                            border_radius: BorderRadius::all(Val::Px(pad * 0.3)),
                            ..default()
                        },
                        BackgroundColor(accent),
                    ))
                    .with_child((
                        Text::new(discount.clone()),
                        text_font(font, sizes.badge).with_font_weight(FontWeight::BOLD),
                        TextColor(colour(theme.panel)),
                    ));
                }
            });
            if let Some(stock) = &card.stock {
                c.spawn((Text::new(stock.clone()), text_font(font, sizes.stock), TextColor(text)));
            }
            if let Some(fraction) = stock_fraction(card.stock_level) {
                // The track is the text colour, faint; the fill the accent, as long as the share left.
                let bar_h = (sizes.stock * 0.55).max(4.0);
                c.spawn((
                    StockBar,
                    Node {
                        width: Val::Px(inner_w * 0.7),
                        height: Val::Px(bar_h),
                        flex_shrink: 0.0,
                        border_radius: BorderRadius::all(Val::Px(bar_h / 2.0)),
                        overflow: Overflow::clip(),
                        ..default()
                    },
                    BackgroundColor(text.with_alpha(0.18)),
                ))
                .with_child((
                    StockBarFill,
                    Node { width: Val::Percent(fraction * 100.0), height: Val::Percent(100.0), ..default() },
                    BackgroundColor(accent),
                ));
            }
            if let Some(ends_at) = ends_at {
                // The stage's clock keeps it current from here (tick_countdowns).
                c.spawn((
                    Countdown { ends_at, lang: card.lang },
                    Text::new(countdown_text(card.ends_in_ms.unwrap_or(0) as f64 / 1000.0, card.lang)),
                    text_font(font, sizes.stock).with_font_weight(FontWeight::BOLD),
                    TextColor(accent),
                ));
            }
        });
}

/// The stock bar on the offer card.
#[derive(Component)]
pub struct StockBar;

/// The filled part of the stock bar: the share of the starting stock still left.
#[derive(Component)]
pub struct StockBarFill;

/// The share of the starting stock left (0 to 1), when the data has both numbers and a real start.
pub fn stock_fraction(level: Option<StockLevel>) -> Option<f32> {
    let level = level?;
    if level.start == 0 {
        return None;
    }
    Some((level.left as f32 / level.start as f32).clamp(0.0, 1.0))
}

/// The title as shown at `size` px: whole when it fits two lines of `width`, else cut with an ellipsis so a very
/// long title never runs off the card even at the smallest size. Cuts on characters, so CJK text stays whole.
pub fn fit_title(title: &str, width: f32, size: f32) -> String {
    fit_ems(title, width * 2.0 * 0.85 / size.max(1.0))
}

/// `text` cut (with an ellipsis) to at most `max_ems` estimated ems; control characters are dropped.
pub fn fit_ems(text: &str, max_ems: f32) -> String {
    let clean: String = text.chars().filter(|c| model::displayable(*c)).collect();
    if ems(&clean) <= max_ems {
        return clean;
    }
    let mut out = String::new();
    let mut used = ems("…");
    for c in clean.chars() {
        let w = ems(c.encode_utf8(&mut [0; 4]));
        if used + w > max_ems {
            break;
        }
        used += w;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// The comment ticker: the newest few viewer comments, newest at the bottom, older ones pushed up and out.
#[derive(Resource, Default, Debug, Clone)]
pub struct Ticker {
    /// (name, text), oldest first.
    pub entries: VecDeque<(String, String)>,
    /// Stage time (seconds) of the newest entry, for its slide-in.
    pub pushed_at: f32,
    /// Bumped on every push, so the strip redraws only when something changed.
    pub version: u64,
}

impl Ticker {
    /// Comments kept on screen.
    pub const ROWS: usize = 3;
    /// How long a new comment takes to slide in.
    pub const SLIDE_SECS: f32 = 0.25;

    pub fn push(&mut self, user_name: &str, text: &str, now: f32) {
        self.entries.push_back((user_name.to_string(), text.to_string()));
        while self.entries.len() > Ticker::ROWS {
            self.entries.pop_front();
        }
        self.pushed_at = now;
        self.version += 1;
    }
}

/// One ticker row, "name: text", cut with an ellipsis to fit `max_ems` (names at most 16 characters).
pub fn ticker_line(user_name: &str, text: &str, max_ems: f32) -> String {
    let name: String = user_name.chars().filter(|c| model::displayable(*c)).take(16).collect();
    let body: String =
        text.chars().map(|c| if c.is_control() { ' ' } else { c }).filter(|c| model::displayable(*c)).collect();
    fit_ems(&format!("{name}: {}", body.trim()), max_ems)
}

/// The ticker strip; its rows are rebuilt when the ticker changes.
#[derive(Component)]
pub struct TickerStrip {
    /// How many of the newest comments fit.
    rows: usize,
    row_px: f32,
    font_px: f32,
    max_ems: f32,
    shown_version: u64,
}

/// The column of rows inside the strip, offset downward while a new row slides in.
#[derive(Component)]
pub struct TickerRows;

fn spawn_ticker(commands: &mut Commands, scene: &Scene, frame: &FrameSize) {
    let rect = scene.layout.ticker;
    let (_, _, w, h) = frame.px(&rect);
    // Rows at 0.62 of their height fit the CJK font's tall lines; a strip too low for three legible rows (12 px
    // text at least) shows fewer.
    let rows = ((h * 0.62 / 12.0).floor() as usize).clamp(1, Ticker::ROWS);
    let row_px = h / rows as f32;
    let font_px = (row_px * 0.62).max(12.0);
    let pad = font_px * 0.4;
    commands
        .spawn((
            TickerStrip { rows, row_px, font_px, max_ems: (w - 2.0 * pad) / font_px, shown_version: u64::MAX },
            SceneBound,
            Node {
                overflow: Overflow::clip(),
                padding: UiRect::horizontal(Val::Px(pad)),
                border_radius: BorderRadius::all(Val::Px(pad)),
                ..absolute(frame, &rect)
            },
            BackgroundColor(colour(scene.theme.panel)),
            Visibility::Hidden,
            GlobalZIndex(45),
        ))
        .with_child((
            TickerRows,
            Node {
                position_type: PositionType::Absolute,
                left: Val::Px(pad),
                right: Val::Px(pad),
                bottom: Val::Px(0.0),
                flex_direction: FlexDirection::Column,
                justify_content: JustifyContent::FlexEnd,
                ..default()
            },
        ));
}

/// Rebuilds the ticker rows when a comment arrives and slides the newest in from below.
fn show_ticker(
    mut commands: Commands,
    time: Res<Time>,
    ticker: Res<Ticker>,
    scene: Res<CurrentScene>,
    font: Res<StageFont>,
    mut strips: Query<(&mut TickerStrip, &mut Visibility, &Children)>,
    mut rows: Query<(Entity, &mut Node), With<TickerRows>>,
) {
    let now = time.elapsed_secs();
    let slide = 1.0 - crate::avatar::ease_in_out((now - ticker.pushed_at) / Ticker::SLIDE_SECS);
    for (mut strip, mut visibility, children) in &mut strips {
        visibility.set_if_neq(if ticker.entries.is_empty() { Visibility::Hidden } else { Visibility::Inherited });
        for child in children.iter() {
            let Ok((entity, mut node)) = rows.get_mut(child) else {
                continue;
            };
            let offset = Val::Px(-strip.row_px * slide);
            if node.bottom != offset {
                node.bottom = offset;
            }
            if strip.shown_version == ticker.version {
                continue;
            }
            commands.entity(entity).despawn_children();
            for (name, text) in ticker.entries.iter().skip(ticker.entries.len().saturating_sub(strip.rows)) {
                commands.entity(entity).with_child((
                    TickerRow,
                    Text::new(ticker_line(name, text, strip.max_ems)),
                    text_font(&font, strip.font_px),
                    TextColor(colour(scene.0.theme.text)),
                    TextLayout::new(Justify::Left, LineBreak::NoWrap),
                    Node { height: Val::Px(strip.row_px), flex_shrink: 0.0, ..default() },
                ));
            }
        }
        strip.shown_version = ticker.version;
    }
}

/// One comment in the ticker.
#[derive(Component)]
pub struct TickerRow;

/// Starts decoding a product picture on the async compute pool and returns its handle at once (the image fills it
/// when decoded) with its shape for the layout. Only the header is read here, on the frame's thread: a missing
/// file, an unreadable header or a picture too large to decode in reasonable memory is refused before anything is
/// decoded (`shopcast check` reports those too), and the card is laid out without it.
fn start_decoding(
    cache: &mut ImageCache,
    images: &mut Assets<Image>,
    path: &Path,
    max_w: u32,
    max_h: u32,
) -> Option<Picture> {
    let (w, h) = picture_size(path)?;
    let handle = images.reserve_handle();
    let decode = cache.decode.clone();
    let file = path.to_path_buf();
    let task = AsyncComputeTaskPool::get().spawn(async move { decode(&file, max_w, max_h) });
    cache.decoding.push(Decoding { path: path.to_path_buf(), handle: handle.clone(), task });
    Some(Picture { handle, aspect: w as f32 / h.max(1) as f32 })
}

/// A picture's size from its header, or `None` (with a warning naming the file) when it cannot be shown.
fn picture_size(path: &Path) -> Option<(u32, u32)> {
    match image::ImageReader::open(path).and_then(|r| r.with_guessed_format()).map(|r| r.into_dimensions()) {
        Ok(Ok((w, h))) if w > model::MAX_PICTURE_SIDE || h > model::MAX_PICTURE_SIDE => {
            warn!(
                "product image {} is {w}x{h}, larger than {} px a side; showing the card without it",
                path.display(),
                model::MAX_PICTURE_SIDE
            );
            None
        }
        Ok(Ok(size)) => Some(size),
        Ok(Err(e)) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            None
        }
        Err(e) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            None
        }
    }
}

/// Puts decoded pictures into their handles. A picture whose body turned out broken is forgotten, and a card
/// showing it is laid out again without it.
#[allow(clippy::too_many_arguments)]
fn show_decoded_pictures(
    mut commands: Commands,
    mut cache: ResMut<ImageCache>,
    mut images: ResMut<Assets<Image>>,
    wait: Option<Res<WaitForPictures>>,
    state: Res<OverlayState>,
    cards: Query<Entity, With<OfferCardRoot>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    font: Res<StageFont>,
) {
    if cache.decoding.is_empty() {
        return;
    }
    let mut broken = Vec::new();
    let mut still = Vec::new();
    for mut job in std::mem::take(&mut cache.decoding) {
        let done =
            if wait.is_some() { Some(block_on(&mut job.task)) } else { block_on(future::poll_once(&mut job.task)) };
        match done {
            None => still.push(job),
            Some(Some(image)) => {
                if let Err(e) = images.insert(job.handle.id(), image) {
                    warn!("product image {} could not be shown: {e}", job.path.display());
                }
            }
            Some(None) => broken.push(job.path),
        }
    }
    cache.decoding = still;
    for path in broken {
        cache.pictures.insert(path.clone(), None);
        if let Some((card, ends_at)) = &state.pinned
            && card.image.as_deref() == Some(path.as_path())
        {
            for entity in &cards {
                commands.entity(entity).despawn();
            }
            spawn_offer_card(&mut commands, card, *ends_at, &scene.0, &frame, &font, &mut images, &mut cache);
        }
    }
}

/// Decodes a product picture (PNG, JPEG) and shrinks it to fit `max_w` x `max_h`. A missing or broken file gives
/// a card without a picture and a warning naming the file, never a crash. Heavy (a picture may be 8192 px a side):
/// the stage runs it on the async compute pool.
pub fn load_picture(path: &Path, max_w: u32, max_h: u32) -> Option<Image> {
    picture_size(path)?;
    let decoded = match image::ImageReader::open(path).and_then(|r| r.with_guessed_format()).map(|r| r.decode()) {
        Ok(Ok(img)) => img,
        Ok(Err(e)) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            return None;
        }
        Err(e) => {
            warn!("product image {} could not be loaded: {e}; showing the card without it", path.display());
            return None;
        }
    };
    let fitted = if decoded.width() > max_w.max(1) || decoded.height() > max_h.max(1) {
        decoded.resize(max_w.max(1), max_h.max(1), image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    Some(Image::from_dynamic(fitted, true, RenderAssetUsages::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_shrink_and_short_ones_keep_the_base_size() {
        assert_eq!(fit_font_size("Tea set", 500.0, 2, 30.0, 16.0), 30.0);
        let long = "Hand-thrown celadon porcelain tea set with six cups, a bamboo tray and a linen travel bag";
        let size = fit_font_size(long, 500.0, 2, 30.0, 16.0);
        assert!((16.0..30.0).contains(&size), "{size}");
        // 34 square characters need 1,020 px at 30 px: more than two 500 px lines hold.
        let zh = "手工拉坯青瓷茶具套装六杯竹制茶盘亚麻旅行收纳袋限量版送礼佳品包装精美";
        assert!(fit_font_size(zh, 500.0, 2, 30.0, 16.0) < 30.0);
        assert_eq!(fit_font_size(&"x".repeat(10_000), 500.0, 2, 30.0, 16.0), 16.0);
    }

    #[test]
    fn the_price_row_shrinks_to_fit_a_narrow_card() {
        let card = OfferCard {
            product: model::ProductId("p".into()),
            title: "Tea".into(),
            price: "¥12,199.00".into(),
            compare_at: Some("¥15,259.00".into()),
            discount: Some("省23%".into()),
            stock: None,
            stock_level: None,
            image: None,
            url: None,
            ends_in_ms: None,
            lang: model::Lang::En,
        };
        let wide = CardSizes::fit(&card, 1000.0, 400.0, 0.0);
        let narrow = CardSizes::fit(&card, 400.0, 400.0, 0.0);
        assert_eq!(wide.price, 400.0 * 0.13);
        assert!(narrow.price < wide.price);
        let row = ems(&card.price) * 1.05 * narrow.price + (ems("¥15,259.00") + 0.6) * narrow.compare_at;
        assert!(row < 400.0, "the row ({row} px) must fit the card");
    }

    #[test]
    fn a_card_with_every_element_fits_its_height() {
        // The 1280x720 studio card (about 537 x 415 px) with a picture, a two-line title, stock, the stock bar and a
        // countdown: every row must fit, so the stock line is never cut off at the bottom.
        let card = OfferCard {
            product: model::ProductId("kettle".into()),
            title: "Brushed Steel Kettle".into(),
            price: "$34.99".into(),
            compare_at: Some("$49.00".into()),
            discount: Some("-28%".into()),
            stock: Some("7 left".into()),
            stock_level: Some(model::StockLevel { left: 7, start: 20 }),
            image: Some("kettle.png".into()),
            url: None,
            ends_in_ms: Some(3_600_000),
            lang: model::Lang::En,
        };
        let (inner_w, card_h) = (537.0 - 2.0 * 415.0 * 0.05, 415.0);
        let sizes = CardSizes::fit(&card, inner_w, card_h, 0.0);
        let (needed, _) = sizes.height_needed(&card, inner_w, card_h, 0.0);
        assert!(needed <= card_h + 0.5, "{needed} px needed in a {card_h} px card: {sizes:?}");
        assert!(sizes.stock >= 12.0 && sizes.price > sizes.stock, "still readable: {sizes:?}");
        // A card with little on it keeps the full sizes.
        let plain = OfferCard { stock: None, stock_level: None, image: None, ends_in_ms: None, ..card.clone() };
        assert_eq!(CardSizes::fit(&plain, inner_w, card_h, 0.0).price, 415.0 * 0.13);
        // A large QR code in the picture's place: everything else shrinks so the rows still fit.
        let linked = OfferCard { image: None, url: Some("https://shop.example/kettle".into()), ..card };
        let sizes = CardSizes::fit(&linked, inner_w, card_h, 180.0);
        let (needed, _) = sizes.height_needed(&linked, inner_w, card_h, 180.0);
        assert!(needed <= card_h + 0.5, "{needed} px needed in a {card_h} px card with the code on top: {sizes:?}");
    }

    #[test]
    fn long_comments_are_cut_and_control_characters_dropped() {
        assert_eq!(comment_text("anna", "how much?"), "anna: how much?");
        let long = comment_text("bob", &"x".repeat(500));
        assert!(long.ends_with('…') && long.chars().count() == "bob: ".len() + MAX_COMMENT_CHARS + 1);
        assert_eq!(comment_text("c", "a\u{7}b\nc"), "c: abc");
    }

    /// Whatever rectangle a scene gives the label and whatever the frame size, the whole label fits its panel, the
    /// panel lies inside the frame and the text is at least 12 px.
    #[test]
    fn the_ai_label_is_never_cut_off() {
        let rects = [
            model::Rect { x: 0.02, y: 0.02, w: 0.16, h: 0.06 },
            model::Rect { x: 0.0, y: 0.0, w: 0.03, h: 0.2 },
            model::Rect { x: 0.97, y: 0.97, w: 0.03, h: 0.03 },
            model::Rect { x: 0.5, y: 0.5, w: 0.5, h: 0.5 },
        ];
        for (fw, fh) in [(1280, 720), (320, 180), (1080, 1920), (7680, 4320), (200, 200)] {
            let frame = FrameSize { width: fw, height: fh };
            for rect in &rects {
                let (left, top, width, height, size) = label_box(&frame, rect);
                let case = format!("{fw}x{fh} {rect:?}");
                assert!(size >= 12.0, "{case}: {size} px text");
                assert!(ems(AI_LABEL) * size <= width, "{case}: the label is wider than its panel");
                assert!(left >= 0.0 && top >= 0.0, "{case}");
                assert!(left + width <= fw as f32 + 0.5 && top + height <= fh as f32 + 0.5, "{case}: off the frame");
            }
        }
        // The studio scene's label keeps its own rectangle and half its height for the text.
        let (_, _, w, h, size) = label_box(&FrameSize { width: 1280, height: 720 }, &Scene::studio().layout.label);
        assert_eq!((w, h, size), (1280.0 * 0.16, 720.0 * 0.06, 720.0 * 0.06 * 0.5));
    }

    #[test]
    fn qr_codes_have_whole_pixel_modules_and_a_quiet_zone() {
        let (image, side) = qr_image("https://shop.example.com/p/celadon-tea-set", 120).unwrap();
        assert_eq!(image.size(), UVec2::splat(side));
        // 29 modules and the quiet zone (37 in all) at 3 whole pixels each: 111, the most that fits in 120.
        assert_eq!(side, 111);
        // Never larger than the room given: a long link in a small card gets no code rather than one that covers
        // the card (the catalog check warns about such links).
        for (len, room) in [(30, 70), (145, 63), (300, 125), (1000, 200), (2000, 400)] {
            let url = format!("https://shop.example/{}", "k".repeat(len));
            if let Some((_, side)) = qr_image(&url, room) {
                assert!(side <= room, "a {len}-character link drew {side} px in {room}");
            }
        }
        assert!(qr_image(&format!("https://shop.example/{}", "k".repeat(300)), 125).is_none(), "too dense");
        // The corner is quiet (white); a finder pattern's dark module sits four modules in.
        let data = image.data.as_ref().unwrap();
        assert_eq!(&data[0..4], &[255, 255, 255, 255]);
        let scale = side as usize / (29 + 8);
        let at = |x: usize, y: usize| data[(y * side as usize + x) * 4];
        assert_eq!(at(4 * scale, 4 * scale), 0);
        assert!(qr_image(&"x".repeat(5000), 120).is_none(), "too long to encode is None, not a panic");
    }

    #[test]
    fn the_countdown_reads_like_a_shop_clock() {
        assert_eq!(countdown_text(2.0 * 3600.0 + 5.0 * 60.0 + 0.2, model::Lang::En), "Ends in 2:05:01");
        assert_eq!(countdown_text(59.0, model::Lang::Zh), "距结束 0:59");
        assert_eq!(countdown_text(0.0, model::Lang::En), "Offer ended");
    }

    #[test]
    fn the_stock_bar_needs_both_numbers_and_a_real_start() {
        assert_eq!(stock_fraction(None), None);
        assert_eq!(stock_fraction(Some(StockLevel { left: 5, start: 0 })), None);
        assert_eq!(stock_fraction(Some(StockLevel { left: 25, start: 100 })), Some(0.25));
        assert_eq!(stock_fraction(Some(StockLevel { left: 0, start: 100 })), Some(0.0));
        assert_eq!(stock_fraction(Some(StockLevel { left: 130, start: 100 })), Some(1.0), "restocked past the start");
    }

    #[test]
    fn titles_too_long_even_at_the_smallest_size_are_cut_with_an_ellipsis() {
        assert_eq!(fit_title("Celadon tea set", 400.0, 20.0), "Celadon tea set");
        let long = fit_title(&"Celadon tea set ".repeat(40), 400.0, 20.0);
        assert!(long.ends_with('…') && ems(&long) * 20.0 <= 400.0 * 2.0 * 0.85, "{long}");
        let zh = fit_title(&"青瓷茶具".repeat(40), 400.0, 20.0);
        assert!(zh.ends_with('…') && zh.chars().count() < 40, "{zh}");
    }

    #[test]
    fn ticker_rows_fit_their_width_and_cut_cjk_on_characters() {
        assert_eq!(ticker_line("anna", "how much?", 30.0), "anna: how much?");
        let zh = ticker_line("小明", &"这个茶具有没有礼盒包装".repeat(5), 20.0);
        assert!(zh.ends_with('…') && ems(&zh) <= 20.0, "{zh} is {} ems", ems(&zh));
        assert!(zh.starts_with("小明: 这个"), "{zh}");
        assert_eq!(ticker_line("b\u{7}ob", "line one\nline two", 40.0), "bob: line one line two");
        let mut ticker = Ticker::default();
        for i in 0..5 {
            ticker.push(&format!("u{i}"), "hi", i as f32);
        }
        let names: Vec<&str> = ticker.entries.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["u2", "u3", "u4"], "the newest three, oldest first");
        assert_eq!((ticker.version, ticker.pushed_at), (5, 4.0));
    }

    #[test]
    fn captions_never_drop_below_four_percent_of_the_frame() {
        let frame = FrameSize { width: 1920, height: 1080 };
        let mut scene = Scene::studio();
        assert_eq!(caption_px(&scene, &frame), 0.05 * 1080.0);
        scene.caption_size = 0.01;
        assert!(caption_px(&scene, &frame) >= 0.04 * 1080.0 - 0.01);
    }

    #[test]
    fn a_missing_picture_gives_none_not_a_crash() {
        assert!(load_picture(Path::new("/nonexistent/picture.png"), 100, 100).is_none());
    }

    /// A stage app with just what the offer card needs, and a product picture of `side` px written to disk.
    fn card_app(side: u32, name: &str) -> (App, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("shopcast-picture-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("big.png");
        image::RgbaImage::from_pixel(side, side, image::Rgba([200, 40, 40, 255])).save(&path).unwrap();
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, bevy::asset::AssetPlugin::default()))
            .init_asset::<Image>()
            .add_message::<Command>()
            .init_resource::<ImageCache>()
            .init_resource::<OverlayState>()
            .init_resource::<Ticker>()
            .insert_resource(CurrentScene(Scene::studio()))
            .insert_resource(FrameSize { width: 1280, height: 720 })
            .insert_resource(pick_font(&Scene::studio(), None))
            .add_systems(Update, (apply_offer_commands, show_decoded_pictures).chain());
        let card = OfferCard {
            product: model::ProductId("rug".into()),
            title: "Rug".into(),
            price: "$40.00".into(),
            compare_at: None,
            discount: None,
            stock: None,
            stock_level: None,
            image: Some(path.clone()),
            url: None,
            ends_in_ms: None,
            lang: model::Lang::En,
        };
        app.world_mut().write_message(Command(StageCommand::PinOffer(card)));
        (app, dir)
    }

    fn shown_picture(app: &mut App) -> Handle<Image> {
        let mut nodes = app.world_mut().query::<&ImageNode>();
        let nodes: Vec<_> = nodes.iter(app.world()).map(|n| n.image.clone()).collect();
        assert_eq!(nodes.len(), 1, "the card shows one picture");
        nodes[0].clone()
    }

    /// A large picture is decoded on the task pool: the frame that pins the card finishes while the decoder is
    /// still busy (here held until the test lets it go), with the card laid out and its picture to come; a later
    /// frame shows the picture, fitted to the card.
    #[test]
    fn a_large_picture_does_not_hold_up_the_frame_that_pins_its_card() {
        let (mut app, dir) = card_app(4096, "async");
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = std::sync::Mutex::new(held);
        app.world_mut().resource_mut::<ImageCache>().decode = std::sync::Arc::new(move |path, w, h| {
            let _ = held.lock().unwrap().recv();
            load_picture(path, w, h)
        });
        app.update();
        assert_eq!(app.world_mut().query::<&OfferCardRoot>().iter(app.world()).count(), 1, "the card is up");
        let handle = shown_picture(&mut app);
        assert!(app.world().resource::<Assets<Image>>().get(&handle).is_none(), "the picture is still decoding");
        assert_eq!(app.world().resource::<ImageCache>().decoding(), 1);
        for _ in 0..3 {
            app.update();
        }
        assert_eq!(app.world().resource::<ImageCache>().decoding(), 1, "frames go on while the decoder is busy");

        release.send(()).unwrap();
        let mut frames = 0;
        while app.world().resource::<ImageCache>().decoding() > 0 {
            assert!(frames < 100_000, "the decode never finished");
            frames += 1;
            std::thread::sleep(std::time::Duration::from_millis(1));
            app.update();
        }
        let images = app.world().resource::<Assets<Image>>();
        let picture = images.get(&handle).expect("the decoded picture fills the card's handle");
        assert!(
            picture.width() < 4096 && picture.width() == picture.height(),
            "fitted to the card: {:?}",
            picture.size()
        );
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Offline rendering waits for the picture within the frame, so frame 0 of a render always has it.
    #[test]
    fn an_offline_frame_waits_for_its_picture() {
        let (mut app, dir) = card_app(512, "offline");
        app.insert_resource(WaitForPictures);
        app.update();
        let handle = shown_picture(&mut app);
        assert!(app.world().resource::<Assets<Image>>().get(&handle).is_some());
        let _ = std::fs::remove_dir_all(dir);
    }
}
