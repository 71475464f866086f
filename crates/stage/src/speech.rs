//! The line being spoken: its caption text, its viseme timeline and its clock.
//!
//! The line clock starts when the stage receives `PlayLine` and runs on Bevy's virtual time, so offline renders
//! step it exactly frame by frame. (When audio playback arrives, the clock will be the playback position.)

use crate::StageSystems;
use crate::inbox::{Command, StageLink};
use bevy::prelude::*;
use model::{Lang, LineId, StageCommand, StageEvent, Viseme, VisemeKey};

/// Captions stay up this long after the voice stops, so the last words can be read.
pub const CAPTION_LINGER_SECS: f32 = 0.6;

/// The current line, if any.
#[derive(Resource, Default, Debug)]
pub struct Speaking {
    pub line: Option<SpokenLine>,
}

#[derive(Debug, Clone)]
pub struct SpokenLine {
    pub id: LineId,
    pub text: String,
    pub lang: Lang,
    /// Virtual time (seconds) when the line started.
    pub started: f32,
    pub duration: f32,
    pub visemes: Vec<VisemeKey>,
    pub finished_reported: bool,
}

impl SpokenLine {
    /// Seconds into the line at virtual time `now`.
    pub fn elapsed(&self, now: f32) -> f32 {
        (now - self.started).max(0.0)
    }

    pub fn is_talking(&self, now: f32) -> bool {
        self.elapsed(now) < self.duration
    }
}

/// The mouth shape at `t_ms` into a viseme timeline, blended into the next shape over a short transition so the
/// mouth moves smoothly: (openness, width), each 0.0 to 1.0.
pub fn mouth_at(keys: &[VisemeKey], t_ms: f32) -> (f32, f32) {
    const BLEND_MS: f32 = 60.0;
    let idx = keys.partition_point(|k| (k.t_ms as f32) <= t_ms);
    if idx == 0 {
        return (Viseme::Rest.openness(), Viseme::Rest.width());
    }
    let current = keys[idx - 1].viseme;
    let (mut open, mut wide) = (current.openness(), current.width());
    if let Some(next) = keys.get(idx) {
        let until_next = next.t_ms as f32 - t_ms;
        if until_next < BLEND_MS {
            let f = 1.0 - until_next / BLEND_MS;
            open += (next.viseme.openness() - open) * f;
            wide += (next.viseme.width() - wide) * f;
        }
    }
    (open, wide)
}

/// The viseme in effect `t_ms` into a timeline (rest before the first key).
pub fn viseme_at(keys: &[VisemeKey], t_ms: f32) -> Viseme {
    let idx = keys.partition_point(|k| (k.t_ms as f32) <= t_ms);
    if idx == 0 { Viseme::Rest } else { keys[idx - 1].viseme }
}

/// The viseme now: the line's while it plays, rest otherwise (the layered avatar shows one mouth layer at a time).
pub fn current_viseme(speaking: &Speaking, now: f32) -> Viseme {
    match &speaking.line {
        Some(line) if line.is_talking(now) => viseme_at(&line.visemes, line.elapsed(now) * 1000.0),
        _ => Viseme::Rest,
    }
}

/// The mouth now: the line's timeline while it plays, rest otherwise.
pub fn current_mouth(speaking: &Speaking, now: f32) -> (f32, f32) {
    match &speaking.line {
        Some(line) if line.is_talking(now) => mouth_at(&line.visemes, line.elapsed(now) * 1000.0),
        _ => (Viseme::Rest.openness(), Viseme::Rest.width()),
    }
}

pub(crate) fn plugin(app: &mut App) {
    app.init_resource::<Speaking>().add_systems(
        Update,
        (apply_line_commands.in_set(StageSystems::Apply), finish_lines.in_set(StageSystems::Animate)),
    );
}

fn apply_line_commands(
    mut commands: MessageReader<Command>,
    mut speaking: ResMut<Speaking>,
    time: Res<Time>,
    link: Res<StageLink>,
) {
    for Command(command) in commands.read() {
        match command {
            StageCommand::PlayLine { line, text, lang, duration_ms, visemes, .. } => {
                speaking.line = Some(SpokenLine {
                    id: *line,
                    text: text.clone(),
                    lang: *lang,
                    started: time.elapsed_secs(),
                    duration: *duration_ms as f32 / 1000.0,
                    visemes: visemes.clone(),
                    finished_reported: false,
                });
                link.report(StageEvent::LineStarted { line: *line });
            }
            StageCommand::StopLine { line } => {
                if speaking.line.as_ref().is_some_and(|l| l.id == *line) {
                    speaking.line = None;
                    link.report(StageEvent::LineFinished { line: *line });
                }
            }
            StageCommand::PinOffer(_)
            | StageCommand::UnpinOffer
            | StageCommand::ShowComment { .. }
            | StageCommand::ClearComment
            | StageCommand::Standby { .. }
            | StageCommand::HumanHost { .. }
            | StageCommand::Expression(_)
            | StageCommand::Gesture(_)
            | StageCommand::Ticker { .. } => {}
        }
    }
}

/// Reports the end of a line once, and clears its caption after a short linger.
fn finish_lines(mut speaking: ResMut<Speaking>, time: Res<Time>, link: Res<StageLink>) {
    let now = time.elapsed_secs();
    let Some(line) = speaking.line.as_mut() else {
        return;
    };
    if !line.finished_reported && !line.is_talking(now) {
        line.finished_reported = true;
        link.report(StageEvent::LineFinished { line: line.id });
    }
    if line.elapsed(now) > line.duration + CAPTION_LINGER_SECS {
        speaking.line = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::time::TimeUpdateStrategy;
    use std::time::Duration;

    #[test]
    fn mouth_blends_smoothly_into_the_next_shape() {
        let keys = [VisemeKey { t_ms: 0, viseme: Viseme::Mbp }, VisemeKey { t_ms: 100, viseme: Viseme::A }];
        assert_eq!(mouth_at(&keys, 10.0).0, 0.0);
        let halfway = mouth_at(&keys, 70.0).0;
        assert!(halfway > 0.4 && halfway < 0.6, "{halfway}");
        assert_eq!(mouth_at(&keys, 150.0).0, 1.0);
        assert_eq!(mouth_at(&[], 150.0).0, 0.0);
    }

    #[test]
    fn the_viseme_in_effect_is_the_last_key_reached() {
        let keys = [VisemeKey { t_ms: 100, viseme: Viseme::A }, VisemeKey { t_ms: 300, viseme: Viseme::O }];
        assert_eq!(viseme_at(&keys, 50.0), Viseme::Rest);
        assert_eq!(viseme_at(&keys, 100.0), Viseme::A);
        assert_eq!(viseme_at(&keys, 299.0), Viseme::A);
        assert_eq!(viseme_at(&keys, 5000.0), Viseme::O);
        assert_eq!(current_viseme(&Speaking::default(), 1.0), Viseme::Rest);
    }

    /// A line plays on the virtual clock: started, mouth open mid-line, finished and cleared after the linger.
    #[test]
    fn a_line_plays_on_virtual_time_and_reports_its_end() {
        let (link, commands, events) = StageLink::new(8);
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)))
            .insert_resource(link)
            .configure_sets(Update, (StageSystems::Receive, StageSystems::Apply, StageSystems::Animate).chain())
            .add_plugins((crate::inbox::plugin, plugin));
        app.update();
        let visemes = vec![VisemeKey { t_ms: 0, viseme: Viseme::A }, VisemeKey { t_ms: 900, viseme: Viseme::Rest }];
        let play = StageCommand::PlayLine {
            line: LineId(7),
            text: "Hi".into(),
            lang: Lang::En,
            duration_ms: 1000,
            visemes,
            audio: None,
        };
        commands.try_send(play).unwrap();
        app.update();
        assert_eq!(events.try_recv().unwrap(), StageEvent::LineStarted { line: LineId(7) });
        for _ in 0..5 {
            app.update();
        }
        let now = app.world().resource::<Time>().elapsed_secs();
        let open = current_mouth(app.world().resource::<Speaking>(), now).0;
        assert!(open > 0.9, "mouth should be open mid-line, was {open}");
        for _ in 0..6 {
            app.update();
        }
        assert_eq!(events.try_recv().unwrap(), StageEvent::LineFinished { line: LineId(7) });
        assert!(app.world().resource::<Speaking>().line.is_some(), "the caption lingers");
        for _ in 0..8 {
            app.update();
        }
        assert!(app.world().resource::<Speaking>().line.is_none());
    }
}
