//! The voice on a real audio output: ALSA's null device (it takes samples like a sound card, silently, though
//! faster than real time), so the line's clock switches to the sink instead of falling back to its own. A test binary of its own, because the ALSA configuration is
//! chosen through the environment before the audio output opens.
#![allow(unsafe_code, reason = "set_var before the test starts any thread, to choose ALSA's null device")]

use bevy::audio::AudioSink;
use bevy::prelude::*;
use model::{AudioClip, Lang, LineId, StageCommand, Viseme, VisemeKey};
use stage::speech::{LineAudio, LineClock, Speaking};
use std::time::{Duration, Instant};

#[test]
fn a_voiced_line_runs_on_the_audio_sinks_playback_clock() {
    let conf = std::env::temp_dir().join(format!("shopcast-alsa-null-{}.conf", std::process::id()));
    std::fs::write(&conf, "pcm.!default { type null }\nctl.!default { type hw card 0 }\n").unwrap();
    // SAFETY: this test binary has one test and sets the variable before any thread (the audio output) reads it.
    unsafe { std::env::set_var("ALSA_CONFIG_PATH", &conf) };

    let (link, commands, _events) = stage::StageLink::new(8);
    let mut app = App::new();
    app.add_plugins((MinimalPlugins, bevy::asset::AssetPlugin::default(), bevy::audio::AudioPlugin::default()))
        .insert_resource(link)
        .add_plugins(stage::speech_plugin);
    app.update();
    // Two seconds of audio for a two-second line: A for the first second, O for the next.
    let visemes = vec![VisemeKey { t_ms: 0, viseme: Viseme::A }, VisemeKey { t_ms: 1000, viseme: Viseme::O }];
    let clip = AudioClip { sample_rate: 16000, samples: vec![0i16; 32000].into() };
    let play = StageCommand::PlayLine {
        line: LineId(1),
        text: "Hi".into(),
        lang: Lang::En,
        duration_ms: 2000,
        visemes,
        audio: Some(clip),
    };
    commands.try_send(play).unwrap();
    let start = Instant::now();
    let (mut sink_seen, mut clocks) = (false, Vec::new());
    while start.elapsed() < Duration::from_millis(600) {
        app.update();
        let world = app.world_mut();
        sink_seen |= world.query_filtered::<&AudioSink, With<LineAudio>>().iter(world).next().is_some();
        let line = world.resource::<Speaking>().line.clone().expect("the line is playing");
        clocks.push(line.clock);
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = std::fs::remove_file(&conf);
    assert!(sink_seen, "the device played the voice");
    // The line waited for playback, then ran on the sink's clock and never fell back to its own.
    assert_eq!(clocks.first(), Some(&LineClock::WaitingForAudio), "{clocks:?}");
    assert_eq!(clocks.last(), Some(&LineClock::Audio), "{clocks:?}");
    assert!(!clocks.contains(&LineClock::Line), "{clocks:?}");
    assert!(!app.world().resource::<stage::speech::AudioOutputState>().unavailable);
    // The finished voice's player despawned itself.
    let world = app.world_mut();
    assert_eq!(world.query_filtered::<(), With<LineAudio>>().iter(world).count(), 0);
}
