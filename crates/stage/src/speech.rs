//! The line being spoken: its caption text, its viseme timeline, its voice and its clock.
//!
//! Without audio the line clock starts when the stage receives `PlayLine` and runs on Bevy's virtual time, so
//! offline renders step it exactly frame by frame. With audio (and a sound device) the clock is the audio sink's
//! playback position: the mouth, the captions and `LineFinished` follow what viewers hear, not when the command
//! arrived. Without a device (CI, headless) the line falls back to its own clock after a short wait, once, quietly.

use crate::inbox::{Command, StageLink};
use bevy::audio::{AudioPlayer, AudioSink, AudioSinkPlayback, AudioSource, PlaybackSettings};
use bevy::prelude::*;
use model::{AudioClip, Lang, LineId, StageCommand, StageEvent, Viseme, VisemeKey};

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
    /// The entity playing the line's voice, while it may still be playing.
    pub audio: Option<Entity>,
    pub clock: LineClock,
    /// Virtual time when the command arrived, for the fallback to the line clock.
    pub received: f32,
}

/// Which clock a line runs on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineClock {
    /// Virtual time since the command arrived (no audio, or no device to play it).
    Line,
    /// Audio is queued but not yet playing: the line holds at its start.
    WaitingForAudio,
    /// The audio sink's playback position.
    Audio,
}

/// Whether lines can be heard here. Once a voice never started playing (no sound device), later lines skip
/// audio entirely instead of each waiting for it.
#[derive(Resource, Debug, Default)]
pub struct AudioOutputState {
    pub unavailable: bool,
}

/// How long a line waits for its audio to start before it runs on its own clock (a device normally starts
/// within a frame or two).
pub const AUDIO_START_GRACE_SECS: f32 = 0.3;

/// Marks the entity playing a line's voice.
#[derive(Component)]
pub struct LineAudio;

/// The clip as an in-memory WAV file (RIFF, PCM 16-bit, mono), the format Bevy's audio decodes.
pub fn wav_bytes(clip: &AudioClip) -> Vec<u8> {
    let data_len = (clip.samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&clip.sample_rate.to_le_bytes());
    out.extend_from_slice(&(clip.sample_rate * 2).to_le_bytes()); // bytes per second
    out.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in clip.samples.iter() {
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
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
    app.init_resource::<Speaking>().init_resource::<AudioOutputState>();
}

pub(crate) fn apply_line_commands(
    mut messages: MessageReader<Command>,
    mut commands: Commands,
    mut speaking: ResMut<Speaking>,
    time: Res<Time>,
    link: Res<StageLink>,
    output: Res<AudioOutputState>,
    // Absent when the app runs without Bevy's audio plugin (headless renders): lines then run on their own clock.
    mut sources: Option<ResMut<Assets<AudioSource>>>,
    voices: Query<Entity, With<LineAudio>>,
) {
    for Command(command) in messages.read() {
        match command {
            StageCommand::PlayLine { line, text, lang, duration_ms, visemes, audio } => {
                // A new line cuts off any voice still playing (a line's audio can outlast its caption).
                for entity in &voices {
                    commands.entity(entity).try_despawn();
                }
                let now = time.elapsed_secs();
                let playable = audio.as_ref().filter(|a| a.sample_rate > 0 && !a.samples.is_empty());
                let audio = match (playable, sources.as_deref_mut()) {
                    (Some(clip), Some(sources)) if !output.unavailable => {
                        let handle = sources.add(AudioSource { bytes: wav_bytes(clip).into() });
                        Some(commands.spawn((LineAudio, AudioPlayer(handle), PlaybackSettings::DESPAWN)).id())
                    }
                    _ => None,
                };
                speaking.line = Some(SpokenLine {
                    id: *line,
                    text: text.clone(),
                    lang: *lang,
                    started: now,
                    duration: *duration_ms as f32 / 1000.0,
                    visemes: visemes.clone(),
                    finished_reported: false,
                    clock: if audio.is_some() { LineClock::WaitingForAudio } else { LineClock::Line },
                    audio,
                    received: now,
                });
                link.report(StageEvent::LineStarted { line: *line });
            }
            StageCommand::StopLine { line } => {
                if speaking.line.as_ref().is_some_and(|l| l.id == *line) {
                    for entity in &voices {
                        commands.entity(entity).try_despawn();
                    }
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

/// Keeps the line's clock on its audio: while the voice plays, the line's start is set so that its elapsed time is
/// the sink's playback position. Audio that never starts (no device) hands the line back to its own clock.
pub(crate) fn follow_audio_clock(
    mut commands: Commands,
    mut speaking: ResMut<Speaking>,
    mut output: ResMut<AudioOutputState>,
    time: Res<Time>,
    sinks: Query<&AudioSink, With<LineAudio>>,
    players: Query<(), With<LineAudio>>,
) {
    let now = time.elapsed_secs();
    let Some(line) = speaking.line.as_mut() else {
        return;
    };
    let Some(entity) = line.audio else {
        return;
    };
    if let Ok(sink) = sinks.get(entity) {
        line.clock = LineClock::Audio;
        if !sink.empty() {
            line.started = now - sink.position().as_secs_f32();
        }
        return;
    }
    match line.clock {
        LineClock::WaitingForAudio if now - line.received < AUDIO_START_GRACE_SECS => line.started = now,
        LineClock::WaitingForAudio => {
            // No sink appeared: nothing can play here. Say so once and stop trying for later lines.
            info!("no audio device is playing the voice; lines run on the stage clock without sound");
            output.unavailable = true;
            line.clock = LineClock::Line;
            line.started = line.received;
            line.audio = None;
            if players.contains(entity) {
                commands.entity(entity).try_despawn();
            }
        }
        // The voice finished and its entity went (PlaybackSettings::DESPAWN); the clock runs on from there.
        LineClock::Audio | LineClock::Line => line.audio = None,
    }
}

/// Reports the end of a line once, and clears its caption after a short linger.
pub(crate) fn finish_lines(mut speaking: ResMut<Speaking>, time: Res<Time>, link: Res<StageLink>) {
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

    #[test]
    fn the_wav_header_describes_mono_16_bit_pcm_and_bevy_decodes_it() {
        use bevy::audio::Decodable;
        use bevy::audio::Source as _;
        let samples: Vec<i16> = (0..2205).map(|i| ((i as f32 * 0.1).sin() * 8000.0) as i16).collect();
        let clip = AudioClip { sample_rate: 22050, samples: samples.clone().into() };
        let bytes = wav_bytes(&clip);
        assert_eq!(bytes.len(), 44 + 2 * samples.len());
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(u32::from_le_bytes(bytes[24..28].try_into().unwrap()), 22050);
        let source = AudioSource { bytes: bytes.into() };
        let decoder = source.decoder();
        assert_eq!((decoder.channels().get(), decoder.sample_rate().get()), (1, 22050));
        let decoded: Vec<f32> = decoder.collect();
        assert_eq!(decoded.len(), samples.len());
        assert!((decoded[100] - samples[100] as f32 / 32768.0).abs() < 1e-3, "{} vs {}", decoded[100], samples[100]);
    }

    fn audio_app() -> (App, async_channel::Sender<StageCommand>, async_channel::Receiver<StageEvent>) {
        let (link, commands, events) = StageLink::new(8);
        let mut app = App::new();
        app.add_plugins((MinimalPlugins, bevy::asset::AssetPlugin::default(), bevy::audio::AudioPlugin::default()))
            .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)))
            .insert_resource(link)
            .add_plugins(crate::speech_plugin);
        app.update();
        (app, commands, events)
    }

    fn voiced_line(id: u64) -> StageCommand {
        StageCommand::PlayLine {
            line: LineId(id),
            text: "Hi".into(),
            lang: Lang::En,
            duration_ms: 1000,
            visemes: vec![VisemeKey { t_ms: 0, viseme: Viseme::A }, VisemeKey { t_ms: 900, viseme: Viseme::Rest }],
            audio: Some(AudioClip { sample_rate: 16000, samples: vec![0i16; 16000].into() }),
        }
    }

    /// With Bevy's audio plugin but no sound device (as on CI), a voiced line waits briefly for playback, then runs
    /// on its own clock and still finishes; later lines do not wait again, and StopLine removes the voice.
    #[test]
    fn without_a_sound_device_voiced_lines_fall_back_to_the_line_clock() {
        let (mut app, commands, events) = audio_app();
        commands.try_send(voiced_line(1)).unwrap();
        app.update();
        assert_eq!(events.try_recv().unwrap(), StageEvent::LineStarted { line: LineId(1) });
        let voices = |app: &mut App| app.world_mut().query_filtered::<(), With<LineAudio>>().iter(app.world()).count();
        let has_device = app.world_mut().query::<&AudioSink>().iter(app.world()).count() > 0;
        if has_device {
            // A machine with a sound card plays the voice instead: the line follows the sink.
            app.update();
            assert_eq!(app.world().resource::<Speaking>().line.as_ref().map(|l| l.clock), Some(LineClock::Audio));
            return;
        }
        for _ in 0..5 {
            app.update();
        }
        let speaking = app.world().resource::<Speaking>();
        assert_eq!(speaking.line.as_ref().map(|l| l.clock), Some(LineClock::Line));
        assert!(app.world().resource::<AudioOutputState>().unavailable);
        assert_eq!(voices(&mut app), 0, "the voice that never played is gone");
        // The line clock kept counting from the command: 0.6 s in, the mouth is open.
        let now = app.world().resource::<Time>().elapsed_secs();
        assert!(current_mouth(app.world().resource::<Speaking>(), now).0 > 0.9);
        for _ in 0..5 {
            app.update();
        }
        assert_eq!(events.try_recv().unwrap(), StageEvent::LineFinished { line: LineId(1) });
        // The next voiced line does not wait or spawn a player.
        commands.try_send(voiced_line(2)).unwrap();
        app.update();
        assert_eq!(app.world().resource::<Speaking>().line.as_ref().map(|l| l.clock), Some(LineClock::Line));
        assert_eq!(voices(&mut app), 0);
        commands.try_send(StageCommand::StopLine { line: LineId(2) }).unwrap();
        app.update();
        assert!(app.world().resource::<Speaking>().line.is_none());
    }

    /// A voiced line's player is removed by StopLine while the sink is still pending.
    #[test]
    fn stop_line_removes_a_pending_voice() {
        let (mut app, commands, _events) = audio_app();
        commands.try_send(voiced_line(3)).unwrap();
        app.update();
        let count = |app: &mut App| app.world_mut().query_filtered::<(), With<LineAudio>>().iter(app.world()).count();
        assert_eq!(count(&mut app), 1, "a player for the voice");
        commands.try_send(StageCommand::StopLine { line: LineId(3) }).unwrap();
        app.update();
        assert_eq!(count(&mut app), 0);
        assert!(app.world().resource::<Speaking>().line.is_none());
    }

    /// A line plays on the virtual clock: started, mouth open mid-line, finished and cleared after the linger.
    #[test]
    fn a_line_plays_on_virtual_time_and_reports_its_end() {
        let (link, commands, events) = StageLink::new(8);
        let mut app = App::new();
        app.add_plugins(MinimalPlugins)
            .insert_resource(TimeUpdateStrategy::ManualDuration(Duration::from_millis(100)))
            .insert_resource(link)
            .add_plugins(crate::speech_plugin);
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
