//! The OpenAI-compatible speech client against a local HTTP server started by each test. The server answers with
//! speech the real espeak-ng engine made (raw PCM or WAV), or with the faults a real server shows: 500, 401, a
//! slow answer, the wrong content type, an empty body, nobody listening.

use super::espeak_tests::{EN_SENTENCE, espeak};
use super::*;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use director::lipsync::{self, ENVELOPE_FRAME_MS};
use model::Lang;
use std::sync::{Arc, Mutex};

/// What the test server answers to every request.
#[derive(Clone)]
enum Answer {
    Audio { content_type: &'static str, body: Vec<u8> },
    Status { status: u16, content_type: &'static str, body: &'static str },
    Slow(Duration),
}

/// Every request's Authorization header and JSON body, in order.
type Seen = Arc<Mutex<Vec<(Option<String>, serde_json::Value)>>>;

#[derive(Clone)]
struct ServerState {
    answer: Answer,
    seen: Seen,
}

struct TestServer {
    base_url: String,
    seen: Seen,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn speech_endpoint(State(state): State<ServerState>, headers: HeaderMap, body: Bytes) -> Response {
    let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    state.seen.lock().unwrap().push((auth, json));
    match state.answer {
        Answer::Audio { content_type, body } => ([(header::CONTENT_TYPE, content_type)], body).into_response(),
        Answer::Status { status, content_type, body } => {
            (StatusCode::from_u16(status).unwrap(), [(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Answer::Slow(pause) => {
            tokio::time::sleep(pause).await;
            ([(header::CONTENT_TYPE, "audio/pcm")], vec![0u8; 4800]).into_response()
        }
    }
}

async fn serve(answer: Answer) -> TestServer {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let state = ServerState { answer, seen: seen.clone() };
    let app = axum::Router::new().route("/v1/audio/speech", axum::routing::post(speech_endpoint)).with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    TestServer { base_url, seen, task }
}

fn pcm_bytes(samples: &[i16]) -> Vec<u8> {
    samples.iter().flat_map(|s| s.to_le_bytes()).collect()
}

fn wav_bytes(samples: &[i16], rate: u32) -> Vec<u8> {
    let data = pcm_bytes(samples);
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&data);
    out
}

fn options(server: &TestServer) -> OpenAiTtsOptions {
    OpenAiTtsOptions::new(&server.base_url, "tts-1", "alloy").with_api_key("sk-test")
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn speaks_pcm_made_by_real_espeak_with_a_mouth_that_follows_its_loudness() {
    let speech = espeak().synthesize(EN_SENTENCE, Lang::En).await.unwrap();
    let server = serve(Answer::Audio { content_type: "audio/pcm", body: pcm_bytes(&speech.samples) }).await;
    // This server's PCM is at espeak's rate, not OpenAI's 24 kHz.
    let voice = Voice::openai(OpenAiTtsOptions { pcm_sample_rate: 22_050, ..options(&server) }).unwrap();
    assert_eq!(voice.name(), "openai");
    let clip = voice.speak(EN_SENTENCE, Lang::En).await.unwrap();
    let audio = clip.audio.as_ref().unwrap();
    assert_eq!(audio.sample_rate, 22_050);
    assert_eq!(&audio.samples[..], &speech.samples[..], "the samples arrive untouched");
    assert_eq!(clip.duration_ms, speech.duration_ms());

    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].0.as_deref(), Some("Bearer sk-test"));
    let body = &seen[0].1;
    assert_eq!(body["model"], "tts-1");
    assert_eq!(body["voice"], "alloy");
    assert_eq!(body["input"], EN_SENTENCE);
    assert_eq!(body["response_format"], "pcm");

    // No timings from this API: the mouth follows the loudness, and lines up with it.
    mouth_follows_loudness(&clip, "envelope lip sync");
}

/// A clip's mouth opens and closes with its sound: the visemes start at 0 and end at rest, move, and their
/// openness lines up with the audio's loudness within 40 ms (r above 0.5). Printed under `label`.
pub(super) fn mouth_follows_loudness(clip: &Clip, label: &str) {
    let audio = clip.audio.as_ref().expect("the clip has audio");
    let keys = &clip.visemes;
    assert_eq!(keys[0].t_ms, 0);
    assert_eq!(keys.last().unwrap().viseme, model::Viseme::Rest);
    assert!(keys.len() > 10, "the mouth moves: {keys:?}");
    let sound = lipsync::rms_envelope(&audio.samples, audio.sample_rate, ENVELOPE_FRAME_MS);
    let mouth = lipsync::openness_track(keys, clip.duration_ms, ENVELOPE_FRAME_MS);
    let (lag, r) = lipsync::best_lag_ms(&mouth, &sound, ENVELOPE_FRAME_MS, 200);
    eprintln!("{label}: {} ms of audio, best lag {lag:+} ms (r = {r:.2})", clip.duration_ms);
    assert!(lag.abs() <= 40 && r > 0.5, "lag {lag} ms, r = {r:.2}");
}

#[tokio::test]
#[ignore = "needs espeak-ng (packages espeak-ng libespeak-ng1)"]
async fn a_wav_answer_is_read_at_its_own_sample_rate() {
    let speech = espeak().synthesize("Thank you for watching.", Lang::En).await.unwrap();
    let server = serve(Answer::Audio { content_type: "audio/wav", body: wav_bytes(&speech.samples, 22_050) }).await;
    let voice = Voice::openai(options(&server)).unwrap();
    let clip = voice.speak("Thank you for watching.", Lang::En).await.unwrap();
    let audio = clip.audio.unwrap();
    assert_eq!(audio.sample_rate, 22_050, "the WAV header wins over the 24 kHz PCM default");
    assert_eq!(&audio.samples[..], &speech.samples[..]);
}

#[tokio::test]
async fn server_errors_carry_their_status_and_body() {
    let overloaded = r#"{"error":{"message":"The server is overloaded","type":"server_error"}}"#;
    let server = serve(Answer::Status { status: 500, content_type: "application/json", body: overloaded }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert!(matches!(&err, VoiceError::Http { status: 500, body } if body.contains("overloaded")), "{err:?}");
    assert!(err.is_retryable());
    assert!(err.to_string().contains("HTTP 500"), "{err}");

    let bad_key = r#"{"error":{"message":"Incorrect API key provided: sk-test","code":"invalid_api_key"}}"#;
    let server = serve(Answer::Status { status: 401, content_type: "application/json", body: bad_key }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert!(matches!(&err, VoiceError::Http { status: 401, body } if body.contains("Incorrect API key")), "{err:?}");
    assert!(!err.is_retryable(), "a bad key stays bad");
}

#[tokio::test]
async fn a_slow_server_times_out_instead_of_holding_the_line() {
    let server = serve(Answer::Slow(Duration::from_secs(10))).await;
    let timeout = Duration::from_millis(300);
    let voice = Voice::openai(OpenAiTtsOptions { timeout, ..options(&server) }).unwrap();
    let started = std::time::Instant::now();
    let err = voice.speak("Hello.", Lang::En).await.unwrap_err();
    assert_eq!(err, VoiceError::Timeout(timeout));
    assert!(started.elapsed() < Duration::from_secs(2), "waited {:?}", started.elapsed());
}

#[tokio::test]
async fn the_wrong_content_type_and_an_empty_body_are_refused() {
    let html = "<html><body>Welcome to the captive portal</body></html>";
    let server = serve(Answer::Status { status: 200, content_type: "text/html", body: html }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    match &err {
        VoiceError::WrongContentType { content_type, body } => {
            assert_eq!(content_type, "text/html");
            assert!(body.contains("captive portal"), "{body}");
        }
        other => panic!("expected WrongContentType, got {other:?}"),
    }

    let server = serve(Answer::Audio { content_type: "audio/pcm", body: Vec::new() }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert!(matches!(&err, VoiceError::BadAudio(why) if why.contains("empty")), "{err:?}");

    let server = serve(Answer::Audio { content_type: "audio/pcm", body: vec![0; 48_000] }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert_eq!(err, VoiceError::NoSpeech, "a second of silence is no speech");

    let server = serve(Answer::Audio { content_type: "audio/pcm", body: vec![1; 4_801] }).await;
    let err = Voice::openai(options(&server)).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert!(matches!(&err, VoiceError::BadAudio(why) if why.contains("16-bit")), "{err:?}");
}

#[tokio::test]
async fn nobody_listening_is_a_connect_error_naming_the_endpoint() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let options = OpenAiTtsOptions::new(format!("http://{addr}/v1"), "tts-1", "alloy");
    let err = Voice::openai(options).unwrap().speak("Hello.", Lang::En).await.unwrap_err();
    assert!(matches!(&err, VoiceError::Connect(why) if why.contains(&addr.to_string())), "{err:?}");
    assert!(err.is_retryable());
    // Text the server would refuse anyway never leaves the machine.
    let server = serve(Answer::Slow(Duration::from_secs(10))).await;
    let voice = Voice::openai(options_for_limits(&server)).unwrap();
    let long = "x".repeat(MAX_CHARS + 1);
    assert!(matches!(voice.speak(&long, Lang::En).await, Err(VoiceError::TooLong { .. })));
    assert!(server.seen.lock().unwrap().is_empty());
}

fn options_for_limits(server: &TestServer) -> OpenAiTtsOptions {
    OpenAiTtsOptions { timeout: Duration::from_millis(200), ..options(server) }
}

/// Plain pace asks the server for a slower voice (`speed`); the usual pace sends no speed at all, so servers that
/// do not know the field see the same request as before.
#[tokio::test]
async fn plain_pace_asks_the_server_for_a_slower_voice() {
    // A fifth of a second of a tone: sound, not silence (which the client refuses as no speech).
    let tone: Vec<i16> = (0..4_800).map(|i| ((i as f32 * 0.115).sin() * 8_000.0) as i16).collect();
    let server = serve(Answer::Audio { content_type: "audio/pcm", body: pcm_bytes(&tone) }).await;
    let voice = Voice::openai(options(&server)).unwrap();
    voice.speak_at("Hello.", Lang::En, model::Pace::Usual).await.unwrap();
    voice.speak_at("Hello.", Lang::En, model::Pace::Plain).await.unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].1.get("speed").is_none(), "{}", seen[0].1);
    assert_eq!(seen[1].1["speed"], super::openai::PLAIN_SPEED);
}
