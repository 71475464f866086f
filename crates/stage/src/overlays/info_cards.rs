//! Cards that stand in for the show's usual content: the standby card over the offer card while nothing may be
//! pitched, and the "human host joining" card over the avatar while a person hosts.

use super::{OverlayState, SceneBound, StageFont, absolute, text_font};
use crate::inbox::Command;
use crate::layout::{FrameSize, colour};
use bevy::prelude::*;
use model::{Scene, StageCommand};

/// While a person hosts, the drawn host is not shown at all (the card over its rectangle says a person is joining):
/// no arm or shoulder of the AI host shows round the card. Checked every frame, so a host drawn again after a
/// scene reload is hidden too; `set_if_neq` leaves a settled frame untouched.
pub(crate) fn hide_the_host_while_a_person_hosts(
    state: Res<OverlayState>,
    mut hosts: Query<&mut Visibility, With<crate::avatar::AvatarRoot>>,
) {
    let wanted = if state.human_host { Visibility::Hidden } else { Visibility::Inherited };
    for mut visibility in &mut hosts {
        visibility.set_if_neq(wanted);
    }
}

/// Raises or lowers the standby and human-host cards as the show says.
pub(crate) fn raise_or_lower(
    mut messages: MessageReader<Command>,
    mut state: ResMut<OverlayState>,
    mut cards: Query<(&mut Visibility, &InfoCard)>,
) {
    for Command(command) in messages.read() {
        let (which, on) = match command {
            StageCommand::Standby { on } => {
                state.standby = *on;
                (InfoCard::Standby, *on)
            }
            StageCommand::HumanHost { on } => {
                state.human_host = *on;
                (InfoCard::HumanHost, *on)
            }
            _ => continue,
        };
        for (mut visibility, card) in &mut cards {
            if *card == which {
                visibility.set_if_neq(if on { Visibility::Inherited } else { Visibility::Hidden });
            }
        }
    }
}

/// A card that stands in for the show's usual content: the standby card over the offer card while nothing may be
/// pitched, and the "human host joining" card over the avatar while a person hosts.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoCard {
    Standby,
    HumanHost,
}

pub(super) fn spawn_info_cards(
    commands: &mut Commands,
    scene: &Scene,
    frame: &FrameSize,
    font: &StageFont,
    state: &OverlayState,
) {
    let theme = scene.theme;
    let cards = [
        (InfoCard::Standby, scene.layout.offer_card, ["More products coming up", "更多好物马上来"], state.standby),
        (InfoCard::HumanHost, scene.layout.avatar, ["A human host is joining", "真人主播马上来"], state.human_host),
    ];
    for (card, rect, lines, on) in cards {
        let (_, _, _, height) = frame.px(&rect);
        let size = (height * 0.07).max(frame.min_text_px());
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
