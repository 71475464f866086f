//! The "AI host" label: spawned with every layout and removed by no command, so viewers always know the host is
//! an AI, sized and kept inside the frame so no scene can cut it off.

use super::fit::ems;
use super::{SceneBound, StageFont, text_font};
use crate::layout::{FrameSize, colour};
use bevy::prelude::*;
use model::Scene;

/// The label text, in both languages the show speaks.
pub const AI_LABEL: &str = "AI host · AI主播";

#[derive(Component)]
pub struct AiLabel;

/// Where the "AI host" label goes and how large its text is: (left, top, width, height, text size) in pixels.
/// The text is half the rectangle's height, smaller if the rectangle is too narrow for it, never below the
/// captions' minimum ([`FrameSize::min_text_px`]); and
/// the panel grows to hold the whole label and is kept inside the frame, so no scene and no frame size can cut the
/// disclosure off.
pub fn label_box(frame: &FrameSize, rect: &model::Rect) -> (f32, f32, f32, f32, f32) {
    let (x, y, w, h) = frame.px(rect);
    let label_ems = ems(AI_LABEL);
    // The per-character estimate already errs wide (spaces and the dot count as letters), so no further margin.
    let size = (h * 0.5).min(w / label_ems).max(frame.min_text_px());
    let width = w.max(label_ems * size);
    let height = h.max(size * 1.5);
    let (fw, fh) = (frame.width as f32, frame.height as f32);
    let left = x.min(fw - width).max(0.0);
    let top = y.min(fh - height).max(0.0);
    (left, top, width, height, size)
}

pub(super) fn spawn_label(commands: &mut Commands, scene: &Scene, frame: &FrameSize, font: &StageFont) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlays::fit::ems;

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
                assert!(size >= frame.min_text_px(), "{case}: {size} px text");
                assert!(ems(AI_LABEL) * size <= width, "{case}: the label is wider than its panel");
                assert!(left >= 0.0 && top >= 0.0, "{case}");
                assert!(left + width <= fw as f32 + 0.5 && top + height <= fh as f32 + 0.5, "{case}: off the frame");
            }
        }
        // The studio scene's label keeps its own rectangle, with text at the captions' minimum.
        let (_, _, w, h, size) = label_box(&FrameSize { width: 1280, height: 720 }, &Scene::studio().layout.label);
        assert_eq!((w, h, size), (1280.0 * 0.21, 720.0 * 0.06, 720.0 * 0.04));
    }
}
