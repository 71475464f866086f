//! The pinned offer card: picture, title, price and compare-at price, countdown, stock bar and the purchase link's
//! QR code, every size fitted to the card so nothing overflows it.

use super::fit::ems;
use super::picture::WaitForPictures;
use super::{ImageCache, OverlayState, SceneBound, StageFont, absolute, fit_font_size, fit_title, text_font};
use crate::CurrentScene;
use crate::inbox::Command;
use crate::layout::{FrameSize, colour};
use bevy::asset::RenderAssetUsages;
use bevy::prelude::*;
use model::{OfferCard, Scene, StageCommand, StockLevel};

/// Pins the offer the show names (replacing the card on screen) or takes the card down.
#[allow(clippy::too_many_arguments)]
pub(crate) fn pin_or_unpin(
    mut commands: Commands,
    mut messages: MessageReader<Command>,
    cards: Query<Entity, With<OfferCardRoot>>,
    scene: Res<CurrentScene>,
    frame: Res<FrameSize>,
    font: Res<StageFont>,
    mut images: ResMut<Assets<Image>>,
    mut cache: ResMut<ImageCache>,
    mut state: ResMut<OverlayState>,
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
            _ => {}
        }
    }
}

/// Takes the product pictures decoded since the last frame (waiting for them in offline rendering) and lays the
/// pinned card out again when its picture is among them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn show_decoded_pictures(
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
    // Most frames have nothing on its way; they leave the cache and the images untouched (no change ticks).
    if cache.decoding() == 0 {
        return;
    }
    let ready = cache.collect_decoded(&mut images, wait.is_some());
    let Some((card, ends_at)) = &state.pinned else {
        return;
    };
    if card.image.as_ref().is_some_and(|path| ready.contains(path)) {
        for entity in &cards {
            commands.entity(entity).despawn();
        }
        spawn_offer_card(&mut commands, card, *ends_at, &scene.0, &frame, &font, &mut images, &mut cache);
    }
}

#[derive(Component)]
pub struct OfferCardRoot(pub OfferCard);

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

pub(crate) fn tick_countdowns(time: Res<Time>, mut countdowns: Query<(&Countdown, &mut Text)>) {
    let now = time.elapsed_secs_f64();
    for (countdown, mut text) in &mut countdowns {
        let wanted = countdown_text(countdown.ends_at - now, countdown.lang);
        if text.0 != wanted {
            text.0 = wanted;
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
    ///
    /// `min_text`: no text is smaller than this ([`FrameSize::min_text_px`]).
    pub fn fit(card: &OfferCard, inner_w: f32, card_h: f32, top_qr: f32, min_text: f32) -> CardSizes {
        let title = fit_font_size(&card.title, inner_w, 2, card_h * 0.12, card_h * 0.05);
        let price = card_h * 0.13;
        let (compare_ratio, badge_ratio) = (0.5, 0.45);
        // Widths in ems: digits and symbols are about 0.6 em in this face; the badge has padding; gaps between.
        let row_ems = ems(&card.price) * 1.05
            + card.compare_at.as_deref().map_or(0.0, |t| (ems(t) + 0.6) * compare_ratio)
            + card.discount.as_deref().map_or(0.0, |t| (ems(t) + 1.2) * badge_ratio);
        let price = price.min(inner_w * 0.95 / row_ems.max(1.0));
        let sizes = CardSizes {
            title: title.max(min_text),
            price: price.max(min_text),
            compare_at: (price * compare_ratio).max(min_text),
            badge: (price * badge_ratio).max(min_text),
            stock: (card_h * 0.055).min(title).max(min_text),
            picture: card_h * CardSizes::PICTURE,
        };
        // Everything the data has must fit the card's height too: when the rows (picture, a two-line title, the
        // price row, stock, stock bar, countdown) need more than the card has, they all shrink together.
        let (needed, fixed) = sizes.height_needed(card, inner_w, card_h, top_qr);
        if needed <= card_h {
            return sizes;
        }
        let scale = ((card_h - fixed) / (needed - fixed).max(1.0)).clamp(0.4, 1.0);
        let shrunk = CardSizes {
            title: (sizes.title * scale).max(min_text),
            price: (sizes.price * scale).max(min_text),
            compare_at: (sizes.compare_at * scale).max(min_text),
            badge: (sizes.badge * scale).max(min_text),
            stock: (sizes.stock * scale).max(min_text),
            picture: sizes.picture * scale,
        };
        // Text never goes below the captions' minimum: if the rows then need more than the card has, the picture
        // gives up the difference.
        let (needed, _) = shrunk.height_needed(card, inner_w, card_h, top_qr);
        let over = (needed - card_h).max(0.0);
        CardSizes { picture: (shrunk.picture - over).max(0.0), ..shrunk }
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
        // Rows are half a padding apart.
        let fixed = 2.0 * pad + 0.5 * pad * gaps + qr;
        (fixed + rows.iter().sum::<f32>(), fixed)
    }
}

/// The largest side the offer card's QR code may have: the picture row's height, and under a third of the card's
/// width (a short link's code then fits at two pixels a module or more even on a 640x360 frame).
fn qr_side(card_w: f32, card_h: f32) -> f32 {
    (card_h * CardSizes::PICTURE).min(card_w * 0.3)
}

pub(super) fn spawn_offer_card(
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
    // A picture still being decoded (or one that cannot be shown) lays the card out without it for now;
    // show_decoded_pictures lays it out again once the picture is ready.
    let picture = card
        .image
        .as_deref()
        .and_then(|path| cache.picture(path, picture_w as u32, (card_h * CardSizes::PICTURE) as u32));
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
        let sizes = CardSizes::fit(card, inner_w, card_h, 0.0, frame.min_text_px());
        (sizes, card.url.as_deref().and_then(|url| make_qr(url, qr_target.min(sizes.picture))))
    } else {
        // A picture not (or not yet) shown lays out as a card without one.
        let plain = OfferCard { image: None, ..card.clone() };
        let min = frame.min_text_px();
        let mut qr = card.url.as_deref().and_then(|url| make_qr(url, qr_target));
        let mut qr_px = qr.as_ref().map_or(0.0, |(_, px)| *px as f32);
        let mut sizes = CardSizes::fit(&plain, inner_w, card_h, qr_px, min);
        let (needed, _) = sizes.height_needed(&plain, inner_w, card_h, qr_px);
        if needed > card_h && qr_px > 0.0 {
            // Text at the minimum size comes first: the code gets the room that is left, or is left off.
            let room = qr_px - (needed - card_h);
            qr = card.url.as_deref().filter(|_| room >= 1.0).and_then(|url| make_qr(url, room));
            qr_px = qr.as_ref().map_or(0.0, |(_, px)| *px as f32);
            sizes = CardSizes::fit(&plain, inner_w, card_h, qr_px, min);
        }
        (sizes, qr)
    };
    commands
        .spawn((
            OfferCardRoot(card.clone()),
            SceneBound,
            Node {
                flex_direction: FlexDirection::Column,
                align_items: AlignItems::Center,
                row_gap: Val::Px(pad * 0.5),
                padding: UiRect::all(Val::Px(pad)),
                border_radius: BorderRadius::all(Val::Px(pad)),
                overflow: Overflow::clip(),
                // As tall as its rows, never taller than its rectangle, from the rectangle's top: a card without
                // a picture (or with few rows) leaves no empty panel below them.
                height: Val::Auto,
                max_height: Val::Px(card_h),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlays::fit::ems;
    use crate::overlays::load_picture;

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
        let wide = CardSizes::fit(&card, 1000.0, 400.0, 0.0, 0.0);
        let narrow = CardSizes::fit(&card, 400.0, 400.0, 0.0, 0.0);
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
        let sizes = CardSizes::fit(&card, inner_w, card_h, 0.0, 0.0);
        let (needed, _) = sizes.height_needed(&card, inner_w, card_h, 0.0);
        assert!(needed <= card_h + 0.5, "{needed} px needed in a {card_h} px card: {sizes:?}");
        assert!(sizes.stock >= 12.0 && sizes.price > sizes.stock, "still readable: {sizes:?}");
        // A card with little on it keeps the full sizes.
        let plain = OfferCard { stock: None, stock_level: None, image: None, ends_in_ms: None, ..card.clone() };
        assert_eq!(CardSizes::fit(&plain, inner_w, card_h, 0.0, 0.0).price, 415.0 * 0.13);
        // A large QR code in the picture's place: everything else shrinks so the rows still fit.
        let linked = OfferCard { image: None, url: Some("https://shop.example/kettle".into()), ..card };
        let sizes = CardSizes::fit(&linked, inner_w, card_h, 180.0, 0.0);
        let (needed, _) = sizes.height_needed(&linked, inner_w, card_h, 180.0);
        assert!(needed <= card_h + 0.5, "{needed} px needed in a {card_h} px card with the code on top: {sizes:?}");
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

    /// A stage with just what the offer card needs, and a square product picture of `side` px on disk, pinned.
    fn card_app(side: u32, name: &str) -> (App, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("shopcast-picture-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("rug.png");
        image::RgbaImage::from_pixel(side, side, image::Rgba([200, 40, 40, 255])).save(&path).unwrap();
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, AssetPlugin::default()))
            .init_asset::<Image>()
            .add_message::<Command>()
            .init_resource::<ImageCache>()
            .init_resource::<OverlayState>()
            .insert_resource(CurrentScene(Scene::studio()))
            .insert_resource(FrameSize { width: 1280, height: 720 })
            .insert_resource(super::super::pick_font(&Scene::studio(), None))
            .add_systems(Update, (pin_or_unpin, show_decoded_pictures, tick_countdowns).chain());
        let card = OfferCard {
            product: model::ProductId("rug".into()),
            title: "Rug".into(),
            price: "$40.00".into(),
            compare_at: None,
            discount: None,
            stock: None,
            stock_level: None,
            image: Some(path),
            url: None,
            ends_in_ms: None,
            lang: model::Lang::En,
        };
        app.world_mut().write_message(Command(StageCommand::PinOffer(card)));
        (app, dir)
    }

    fn cards(app: &mut App) -> usize {
        app.world_mut().query::<&OfferCardRoot>().iter(app.world()).count()
    }

    /// The pictures the card shows, as their images (`None` for a handle with no image in it).
    fn pictures(app: &mut App) -> Vec<Option<UVec2>> {
        let handles: Vec<_> =
            app.world_mut().query::<&ImageNode>().iter(app.world()).map(|n| n.image.clone()).collect();
        let images = app.world().resource::<Assets<Image>>();
        handles.iter().map(|h| images.get(h).map(|i| i.size())).collect()
    }

    /// A large picture is decoded on the task pool: the frame that pins the card ends while the decoder is still
    /// busy (held here until the test lets it go; a decoder on the frame's thread would hold the frame for the
    /// whole hold and the card would come up with its picture), with the card up and no picture yet; frames go on;
    /// a later frame lays the card out again with the picture, fitted to it.
    #[test]
    fn a_large_picture_does_not_hold_up_the_frames_while_it_decodes() {
        let (mut app, dir) = card_app(4096, "async");
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = std::sync::Mutex::new(held);
        app.world_mut().resource_mut::<ImageCache>().decode = std::sync::Arc::new(move |path, w, h| {
            let _ = held.lock().unwrap().recv_timeout(std::time::Duration::from_secs(5));
            load_picture(path, w, h)
        });
        let started = std::time::Instant::now();
        app.update();
        assert_eq!(cards(&mut app), 1, "the card is up");
        assert_eq!(pictures(&mut app), Vec::<Option<UVec2>>::new(), "without its picture, still decoding");
        for _ in 0..3 {
            app.update();
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(4), "frames waited for the decoder");
        assert_eq!(app.world().resource::<ImageCache>().decoding(), 1, "frames go on while the decoder is busy");

        release.send(()).unwrap();
        let mut frames = 0;
        while app.world().resource::<ImageCache>().decoding() > 0 {
            assert!(frames < 10_000, "the decode never finished");
            frames += 1;
            std::thread::sleep(std::time::Duration::from_millis(1));
            app.update();
        }
        app.update();
        assert_eq!(cards(&mut app), 1, "the card was laid out again, not doubled");
        let shown = pictures(&mut app);
        assert_eq!(shown.len(), 1, "{shown:?}");
        let size = shown[0].expect("the decoded picture is in the card's image");
        assert!(size.x < 4096 && size.x == size.y, "fitted to the card: {size:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Offline rendering waits for the picture within the frame, so the first frame of a render has it.
    #[test]
    fn an_offline_frame_waits_for_its_picture() {
        let (mut app, dir) = card_app(512, "offline");
        app.insert_resource(WaitForPictures);
        app.update();
        assert_eq!(cards(&mut app), 1);
        let shown = pictures(&mut app);
        assert!(matches!(shown[..], [Some(_)]), "{shown:?}");
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A broken picture file leaves the card up without a picture, and is not tried again at every pin.
    #[test]
    fn a_broken_picture_leaves_the_card_without_one() {
        let (mut app, dir) = card_app(64, "broken");
        std::fs::write(dir.join("rug.png"), b"\x89PNG not really").unwrap();
        app.insert_resource(WaitForPictures);
        app.update();
        assert_eq!(cards(&mut app), 1);
        assert!(pictures(&mut app).is_empty());
        assert_eq!(app.world().resource::<ImageCache>().decoding(), 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_stock_bar_needs_both_numbers_and_a_real_start() {
        assert_eq!(stock_fraction(None), None);
        assert_eq!(stock_fraction(Some(StockLevel { left: 5, start: 0 })), None);
        assert_eq!(stock_fraction(Some(StockLevel { left: 25, start: 100 })), Some(0.25));
        assert_eq!(stock_fraction(Some(StockLevel { left: 0, start: 100 })), Some(0.0));
        assert_eq!(stock_fraction(Some(StockLevel { left: 130, start: 100 })), Some(1.0), "restocked past the start");
    }
}
