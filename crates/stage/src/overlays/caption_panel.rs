//! The burned-in caption panel: shows the page of the line being said (pages from [`crate::captions`]) and hides
//! while nobody speaks.

use super::{SceneBound, StageFont, absolute, text_font};
use crate::captions::{self, CaptionFit, caption_pages, caption_px, page_at};
use crate::layout::{FrameSize, colour};
use crate::speech::Speaking;
use bevy::prelude::*;
use model::{LineId, Scene};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<CaptionPages>();
}

#[derive(Component)]
pub struct CaptionPanel;

#[derive(Component)]
pub struct CaptionText;

pub(super) fn spawn_captions(commands: &mut Commands, scene: &Scene, frame: &FrameSize, font: &StageFont) {
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

/// The current line's caption pages (see [`captions`]), worked out once per line and panel.
#[derive(Resource, Default)]
pub struct CaptionPages {
    key: Option<(LineId, CaptionFit)>,
    pub pages: Vec<String>,
}

/// Shows the page of the current line being said; hides the panel when nobody speaks.
pub(crate) fn update_captions(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_never_drop_below_four_percent_of_the_frame() {
        let frame = FrameSize { width: 1920, height: 1080 };
        let mut scene = Scene::studio();
        assert_eq!(caption_px(&scene, &frame), 0.05 * 1080.0);
        scene.caption_size = 0.01;
        assert!(caption_px(&scene, &frame) >= 0.04 * 1080.0 - 0.01);
    }
}
