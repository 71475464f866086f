//! The comment ticker: the newest few viewer comments, newest at the bottom, older ones pushed up and out.

use super::{SceneBound, StageFont, absolute, fit_ems, text_font};
use crate::CurrentScene;
use crate::inbox::Command;
use crate::layout::{FrameSize, colour};
use bevy::prelude::*;
use model::{Scene, StageCommand};
use std::collections::VecDeque;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Ticker>();
}

/// Adds each comment the show sends for the ticker.
pub(crate) fn push_comments(mut messages: MessageReader<Command>, mut ticker: ResMut<Ticker>, time: Res<Time>) {
    for Command(command) in messages.read() {
        if let StageCommand::Ticker { user_name, text } = command {
            ticker.push(user_name, text, time.elapsed_secs());
        }
    }
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

pub(super) fn spawn_ticker(commands: &mut Commands, scene: &Scene, frame: &FrameSize) {
    let rect = scene.layout.ticker;
    let (_, _, w, h) = frame.px(&rect);
    // Rows at 0.62 of their height fit the CJK font's tall lines; a strip too low for three rows of text at the
    // captions' minimum size shows fewer, down to one (`check` refuses a strip too low for that one).
    let min = frame.min_text_px();
    let rows = ((h * 0.62 / min).floor() as usize).clamp(1, Ticker::ROWS);
    let row_px = h / rows as f32;
    let font_px = (row_px * 0.62).max(min);
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
pub(crate) fn show_ticker(
    mut commands: Commands,
    time: Res<Time>,
    ticker: Res<Ticker>,
    scene: Res<CurrentScene>,
    font: Res<StageFont>,
    mut strips: Query<(&mut TickerStrip, &mut Visibility, &Children)>,
    mut rows: Query<(Entity, &mut Node), With<TickerRows>>,
) {
    let now = time.elapsed_secs();
    let slide = 1.0 - crate::layout::ease_in_out((now - ticker.pushed_at) / Ticker::SLIDE_SECS);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::overlays::fit::ems;

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
}
