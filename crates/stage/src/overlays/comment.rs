//! The comment bubble: the viewer comment being answered, shown while its answer plays.

use super::{OverlayState, SceneBound, StageFont, absolute, text_font};
use crate::inbox::Command;
use crate::layout::{FrameSize, colour};
use bevy::prelude::*;
use model::{Scene, StageCommand};

/// Shows the comment being answered, or hides the bubble, as the show says.
pub(crate) fn show_or_clear(
    mut messages: MessageReader<Command>,
    mut state: ResMut<OverlayState>,
    mut bubbles: Query<(&mut Visibility, &Children), With<CommentBubble>>,
    mut texts: Query<&mut Text, With<CommentBubbleText>>,
) {
    for Command(command) in messages.read() {
        match command {
            StageCommand::ShowComment { user_name, text } => {
                let shown = comment_text(user_name, text);
                for (mut visibility, children) in &mut bubbles {
                    visibility.set_if_neq(Visibility::Inherited);
                    for child in children.iter() {
                        if let Ok(mut t) = texts.get_mut(child) {
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
            _ => {}
        }
    }
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

pub(super) fn spawn_comment_bubble(
    commands: &mut Commands,
    scene: &Scene,
    frame: &FrameSize,
    font: &StageFont,
    state: &OverlayState,
) {
    let theme = scene.theme;
    let rect = scene.layout.comment;
    let (_, _, _, height) = frame.px(&rect);
    let size = (height * 0.3).max(frame.min_text_px());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_comments_are_cut_and_control_characters_dropped() {
        assert_eq!(comment_text("anna", "how much?"), "anna: how much?");
        let long = comment_text("bob", &"x".repeat(500));
        assert!(long.ends_with('…') && long.chars().count() == "bob: ".len() + MAX_COMMENT_CHARS + 1);
        assert_eq!(comment_text("c", "a\u{7}b\nc"), "c: abc");
    }
}
