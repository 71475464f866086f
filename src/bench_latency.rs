//! `shopcast bench-latency`: how long a viewer waits from posting a comment to hearing the first sample of its
//! answer, through the live show's own parts on 127.0.0.1: the generic ingest (HTTP), the director's triage and
//! brief, the LLM client against a local OpenAI-compatible server that takes `--first-token-ms` to its first token
//! and `--chunk-ms` per chunk after it, the chunker and guard, the voice (espeak-ng in process, or the
//! OpenAI-compatible speech client against a local server taking `--tts-ms`), and the live output's [`Mixer`].
//!
//! Only the stage is simulated: it starts a line when the director says so, reports it started and finished
//! after its duration (as the Bevy stage does), and hands the mixer its track once per frame. Every stage of the
//! wait is timed on one clock; what the servers and the voice take by construction is reported apart from what
//! shopcast itself adds (BENCHMARKS.md, "Comment to first audio").

use crate::config::VoiceSettings;
use anyhow::{Context, Result};
use axum::extract::State;
use axum::routing::post;
use backstage::chat::ChatEvent;
use backstage::chat::connector::SourceEvent;
use backstage::chat::ingest::{IngestState, ingest_router};
use backstage::console::Metrics;
use backstage::llm::{LlmClient, LlmConfig};
use backstage::output::{AUDIO_RATE, Mixer};
use backstage::show_loop::{ShowExtras, ShowLinks};
use backstage::writer::{LlmWriter, Writer};
use director::{Input, Show, ShowConfig};
use model::{ConsoleEvent, LineId, ShowTime, StageCommand, StageEvent};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

#[derive(clap::Args, Debug)]
pub struct LatencyArgs {
    /// How many comments to time (one at a time, each posted at a random moment of the first half of a pitch line).
    #[arg(long, default_value_t = 30)]
    comments: usize,
    /// The voice: `espeak` (in process) or `openai` (the speech client against a local server).
    #[arg(long, default_value = "espeak")]
    voice: String,
    /// The local LLM's time to its first token, in milliseconds.
    #[arg(long, default_value_t = 300)]
    first_token_ms: u64,
    /// The local LLM's time between chunks after the first, in milliseconds.
    #[arg(long, default_value_t = 20)]
    chunk_ms: u64,
    /// The local speech server's time to answer a line (`--voice openai`), in milliseconds.
    #[arg(long, default_value_t = 200)]
    tts_ms: u64,
    /// Frames per second of the simulated stage (the mixer hands out its track once per frame).
    #[arg(long, default_value_t = 30)]
    fps: u32,
    /// Also write every comment's timings as JSON here.
    #[arg(long)]
    json: Option<PathBuf>,
}

/// The answer the local LLM streams, word by word; the first sentence ends with the fourth chunk.
const ANSWER: &[&str] = &["Thanks", " for", " asking", "!", " Have", " a", " look", " at", " the", " card", "."];
/// What it streams for everything else (the pitch).
const PITCH: &[&str] =
    &["Welcome", " in", ",", " everyone", ".", " Take", " your", " time", " with", " the", " card", "."];

/// What the local servers and the show's channels saw, each stamped on one clock.
#[derive(Default)]
struct Seen {
    /// Per LLM request: when it arrived, the comment marker it carried, and when each chunk was sent.
    llm: Vec<LlmRequest>,
    ingested: HashMap<String, Instant>,
    triaged: HashMap<String, Instant>,
    /// The first sentence the writer handed the director, per text, in order.
    sentences: Vec<(Instant, String)>,
    voice_ready: HashMap<LineId, Instant>,
    played: HashMap<LineId, (Instant, u64)>,
    /// The words of each line the stage started.
    aired: HashMap<LineId, String>,
    finished: Vec<Instant>,
    /// Pitch lines as they went on air: when, and how long they were planned to last.
    pitches: Vec<(Instant, u32)>,
    /// Every line the stage started: when, and where its sentences end (and the line itself), as moments.
    sentence_ends: Vec<(Instant, Vec<Instant>)>,
    out: HashMap<LineId, Instant>,
    answered: HashMap<String, (LineId, model::LineSource)>,
}

struct LlmRequest {
    at: Instant,
    marker: Option<String>,
    chunks: Vec<Instant>,
}

type Shared = Arc<Mutex<Seen>>;

fn lock(seen: &Shared) -> std::sync::MutexGuard<'_, Seen> {
    seen.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Clone)]
struct Servers {
    seen: Shared,
    first_token: Duration,
    chunk: Duration,
    tts: Duration,
}

/// The local OpenAI-compatible chat server: SSE chunks on a fixed schedule.
async fn completions(State(servers): State<Servers>, body: String) -> axum::response::Response {
    let marker = body
        .find("Q-")
        .map(|i| body[i..].chars().take_while(|c| *c == 'Q' || *c == '-' || c.is_ascii_digit()).collect());
    let words = if marker.is_some() { ANSWER } else { PITCH };
    let index = {
        let mut seen = lock(&servers.seen);
        seen.llm.push(LlmRequest { at: Instant::now(), marker, chunks: Vec::new() });
        seen.llm.len() - 1
    };
    let (tx, rx) = mpsc::channel::<Result<String, std::convert::Infallible>>(64);
    tokio::spawn(async move {
        tokio::time::sleep(servers.first_token).await;
        for (i, word) in words.iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(servers.chunk).await;
            }
            let chunk = serde_json::json!({"choices": [{"index": 0, "delta": {"content": word}}]});
            lock(&servers.seen).llm[index].chunks.push(Instant::now());
            if tx.send(Ok(format!("data: {chunk}\n\n"))).await.is_err() {
                return;
            }
        }
        let done = serde_json::json!({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]});
        let _ = tx.send(Ok(format!("data: {done}\n\ndata: [DONE]\n\n"))).await;
    });
    let stream = tokio_stream_from(rx);
    axum::response::Response::builder()
        .header("content-type", "text/event-stream")
        .body(axum::body::Body::from_stream(stream))
        .unwrap_or_default()
}

fn tokio_stream_from(
    mut rx: mpsc::Receiver<Result<String, std::convert::Infallible>>,
) -> impl futures_util::Stream<Item = Result<String, std::convert::Infallible>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// The local OpenAI-compatible speech server: 24 kHz PCM after `tts` ms, shaped like speech: 60 ms of tone a
/// character, and silence where a voice pauses (300 ms after a sentence, 120 ms after a comma), so the mouth shapes
/// read from its loudness have their pauses where real speech has them.
async fn speech(State(servers): State<Servers>, body: String) -> Vec<u8> {
    tokio::time::sleep(servers.tts).await;
    let text = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| v["input"].as_str().map(str::to_string))
        .unwrap_or_else(|| "0123456789".into());
    let mut pcm: Vec<u8> = Vec::new();
    let mut i = 0usize;
    for c in text.chars() {
        let (ms, loud) = match c {
            '.' | '!' | '?' | '。' | '！' | '？' => (300, false),
            ',' | '，' | ';' | '；' => (120, false),
            c if c.is_whitespace() => (20, false),
            _ => (60, true),
        };
        for _ in 0..24 * ms {
            let sample = if loud { ((i as f64 * 0.07).sin() * 8000.0) as i16 } else { 0 };
            pcm.extend_from_slice(&sample.to_le_bytes());
            i += 1;
        }
    }
    pcm
}

async fn serve(router: axum::Router) -> Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(address)
}

pub fn run(args: LatencyArgs) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(bench(args))
}

/// One comment's wait, split into stages (milliseconds).
#[derive(Debug, serde::Serialize)]
struct Timing {
    comment: String,
    source: String,
    ingest: f64,
    triage: f64,
    prompt: f64,
    first_token: f64,
    first_sentence_llm: f64,
    first_sentence_own: f64,
    tts: f64,
    tts_own: f64,
    /// The voice alone on the line that aired (the same words, nothing else running), in ms.
    voice_alone: f64,
    /// The words that aired.
    #[serde(skip)]
    aired: String,
    waiting_for_line_end: f64,
    scheduling: f64,
    mixer: f64,
    end_to_end: f64,
    own: f64,
    /// What the issue allows: first token + first sentence + first audio + the rest of the sentence on air when the
    /// answer's voice was ready.
    bound: f64,
}

async fn bench(args: LatencyArgs) -> Result<()> {
    let seen: Shared = Arc::default();
    let servers = Servers {
        seen: seen.clone(),
        first_token: Duration::from_millis(args.first_token_ms),
        chunk: Duration::from_millis(args.chunk_ms),
        tts: Duration::from_millis(args.tts_ms),
    };
    let llm =
        serve(axum::Router::new().route("/v1/chat/completions", post(completions)).with_state(servers.clone())).await?;
    let tts = serve(axum::Router::new().route("/v1/audio/speech", post(speech)).with_state(servers.clone())).await?;

    let voice_settings = match args.voice.as_str() {
        "espeak" => VoiceSettings::default(),
        "openai" => VoiceSettings::OpenAi {
            base_url: format!("http://{tts}/v1"),
            model: "bench".into(),
            voice: "alloy".into(),
            clone: None,
        },
        other => anyhow::bail!("--voice {other:?}: use espeak or openai"),
    };
    let config = ShowConfig::default();
    let voice = crate::wiring::build_voice(&voice_settings, Duration::from_millis(config.voice_timeout_ms))
        .context("the voice cannot start (install espeak-ng, or use --voice openai)")?;
    // The voice's own time on the answer's first sentence, measured alone, to tell its share from shopcast's.
    let synth_alone = {
        let started = Instant::now();
        voice.speak("Thanks for asking!", model::Lang::En).await.context("the voice failed a test line")?;
        started.elapsed()
    };
    let client = LlmClient::new(LlmConfig::new(format!("http://{llm}/v1"), "bench"))?;
    let writer = Writer::Llm(LlmWriter::new(client));

    let shutdown = CancellationToken::new();
    let (final_tx, final_rx) = mpsc::channel::<Input>(256);
    let (relay_tx, mut relay_rx) = mpsc::channel::<Input>(256);
    let (stage_tx, stage_rx) = async_channel::bounded::<StageCommand>(256);
    let (console, mut console_rx) = broadcast::channel::<ConsoleEvent>(1024);
    let products = crate::demo::products(None, None)?;
    final_tx.send(Input::ProductsLoaded(products)).await?;

    // Results of the writer and the voice come back through the relay, which stamps them.
    let relay_seen = seen.clone();
    let forward = final_tx.clone();
    tokio::spawn(async move {
        while let Some(input) = relay_rx.recv().await {
            let now = Instant::now();
            match &input {
                Input::WriterSentence { text, .. } => lock(&relay_seen).sentences.push((now, text.clone())),
                Input::VoiceReady { line, .. } => {
                    lock(&relay_seen).voice_ready.insert(*line, now);
                }
                Input::Comment(comment) => {
                    lock(&relay_seen).ingested.insert(comment.id.0.clone(), now);
                }
                _ => {}
            }
            if forward.send(input).await.is_err() {
                break;
            }
        }
    });

    // The generic ingest, as bridges reach it.
    const TOKEN: &str = "bench-latency-token";
    let (source_tx, mut source_rx) = mpsc::channel::<SourceEvent>(256);
    let ingest = serve(ingest_router(IngestState::new(TOKEN, source_tx))).await?;
    let to_show = relay_tx.clone();
    tokio::spawn(async move {
        while let Some(event) = source_rx.recv().await {
            if let SourceEvent::Chat(ChatEvent::Comment(comment)) = event
                && to_show.send(Input::Comment(comment)).await.is_err()
            {
                break;
            }
        }
    });

    // The console feed: when each comment was triaged, and which line answered it.
    let console_seen = seen.clone();
    tokio::spawn(async move {
        loop {
            match console_rx.recv().await {
                Ok(ConsoleEvent::CommentTriaged { comment, .. }) => {
                    lock(&console_seen).triaged.insert(comment.id.0.clone(), Instant::now());
                }
                Ok(ConsoleEvent::LineAired(line)) => {
                    if matches!(line.kind, model::LineKind::Pitch(_)) {
                        lock(&console_seen).pitches.push((Instant::now(), line.duration_ms));
                    }
                    if let Some(trigger) = &line.trigger {
                        lock(&console_seen).answered.entry(trigger.id.0.clone()).or_insert((line.line, line.source));
                    }
                }
                Ok(_) => {}
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });

    // The stage: starts lines, reports them, and pumps the mixer once a frame.
    let started = Instant::now();
    let sample_at = move |t: Instant| t.duration_since(started).as_micros() as u64 * u64::from(AUDIO_RATE) / 1_000_000;
    let mixer = Arc::new(Mutex::new(Mixer::default()));
    {
        let (mixer, seen, events, shutdown) = (mixer.clone(), seen.clone(), relay_tx.clone(), shutdown.clone());
        tokio::spawn(async move {
            let mut stops: HashMap<LineId, CancellationToken> = HashMap::new();
            while let Ok(command) = stage_rx.recv().await {
                let now = Instant::now();
                let at = sample_at(now);
                mixer.lock().unwrap_or_else(|e| e.into_inner()).hear(&command, at);
                match command {
                    StageCommand::PlayLine { line, duration_ms, text, visemes, .. } => {
                        let stop = CancellationToken::new();
                        {
                            let mut seen_now = lock(&seen);
                            seen_now.played.insert(line, (now, at));
                            let mut ends: Vec<Instant> = director::timing::sentence_ends(&text, duration_ms, &visemes)
                                .into_iter()
                                .map(|(t, _)| now + Duration::from_millis(u64::from(t)))
                                .collect();
                            ends.push(now + Duration::from_millis(u64::from(duration_ms)));
                            seen_now.sentence_ends.push((now, ends));
                            seen_now.aired.insert(line, text);
                        }
                        stops.insert(line, stop.clone());
                        let _ = events.send(Input::Stage(StageEvent::LineStarted { line })).await;
                        let (events, seen, shutdown) = (events.clone(), seen.clone(), shutdown.clone());
                        tokio::spawn(async move {
                            tokio::select! {
                                _ = shutdown.cancelled() => {}
                                // Cut short (at a sentence end, for an answer): its end is stamped where the stop
                                // was heard, before the answer's line is.
                                _ = stop.cancelled() => {}
                                _ = tokio::time::sleep(Duration::from_millis(u64::from(duration_ms))) => {
                                    lock(&seen).finished.push(Instant::now());
                                    let _ = events.send(Input::Stage(StageEvent::LineFinished { line })).await;
                                }
                            }
                        });
                    }
                    StageCommand::StopLine { line } => {
                        if let Some(stop) = stops.remove(&line) {
                            stop.cancel();
                            lock(&seen).finished.push(now);
                        }
                    }
                    _ => {}
                }
            }
        });
    }
    {
        let (mixer, seen, shutdown) = (mixer.clone(), seen.clone(), shutdown.clone());
        let frame = Duration::from_secs(1) / args.fps.max(1);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(frame);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = ticks.tick() => {}
                }
                let now = Instant::now();
                let until = sample_at(now);
                mixer.lock().unwrap_or_else(|e| e.into_inner()).take_until(until);
                let mut seen = lock(&seen);
                let waiting: Vec<LineId> = seen
                    .played
                    .iter()
                    .filter(|(line, (_, at))| *at < until && !seen.out.contains_key(*line))
                    .map(|(line, _)| *line)
                    .collect();
                for line in waiting {
                    seen.out.insert(line, now);
                }
            }
        });
    }

    let links = ShowLinks {
        inputs: final_rx,
        input_tx: relay_tx.clone(),
        stage: stage_tx,
        console,
        extras: ShowExtras { metrics: Some(Metrics::new()), ..ShowExtras::default() },
    };
    let show = Show::new(config.clone(), ShowTime(0), backstage::clock::wall_now());
    let show_task = tokio::spawn(backstage::show_loop::run(show, writer, voice, links, shutdown.clone()));

    let http = reqwest::Client::new();
    let questions =
        ["what is the tea set made of", "how much is the scarf", "tell me about the lamp", "is the tea set green"];
    let mut rng: u64 = 0x5eed;
    let mut timings = Vec::new();
    // Let the first pitch line start.
    tokio::time::sleep(Duration::from_secs(3)).await;
    for n in 0..args.comments {
        // Each comment comes during a pitch (the line an answer may cut into at a sentence end), at a random
        // moment of its first half.
        let pitches_before = lock(&seen).pitches.len();
        let wait_until = Instant::now() + Duration::from_secs(60);
        let pitch = loop {
            tokio::time::sleep(Duration::from_millis(10)).await;
            if let Some(&(_, duration_ms)) = lock(&seen).pitches.get(pitches_before) {
                break Some(duration_ms);
            }
            if Instant::now() > wait_until {
                break None;
            }
        };
        let Some(duration_ms) = pitch else {
            anyhow::bail!("no pitch line went on air for a minute");
        };
        rng = rng.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        tokio::time::sleep(Duration::from_millis((rng >> 33) % u64::from(duration_ms / 2).max(1))).await;
        let id = format!("c{n}");
        let marker = format!("Q-{n}");
        let text = format!("{marker} {}?", questions[n % questions.len()]);
        let item = serde_json::json!({"platform": "generic", "id": id, "user_id": format!("u{n}"), "user_name": format!("viewer{n}"), "text": text});
        let posted = Instant::now();
        let response = http
            .post(format!("http://{ingest}/ingest/comments"))
            .bearer_auth(TOKEN)
            .json(&item)
            .send()
            .await
            .context("the ingest did not answer")?;
        anyhow::ensure!(response.status().is_success(), "the ingest refused the comment: {}", response.status());
        // Wait until its answer has left the mixer (or give up on it after 30 s).
        let deadline = Instant::now() + Duration::from_secs(30);
        let line = loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let seen = lock(&seen);
            if let Some((line, _)) = seen.answered.get(&id)
                && seen.out.contains_key(line)
            {
                break Some(*line);
            }
            if Instant::now() > deadline {
                break None;
            }
        };
        let Some(line) = line else {
            eprintln!("comment {n}: no answer within 30 s");
            continue;
        };
        if let Some(t) =
            timing(&lock(&seen), &id, &marker, line, posted, synth_alone, args.voice == "openai", servers.tts)
        {
            timings.push(t);
        }
    }
    shutdown.cancel();
    let _ = show_task.await;
    if args.voice == "espeak" {
        // The voice's own time is that of the line that aired (often the template answer, longer than the LLM's
        // first sentence), measured alone now that the show has stopped: the fastest of three.
        let timeout = Duration::from_millis(ShowConfig::default().voice_timeout_ms);
        let voice = crate::wiring::build_voice(&voice_settings, timeout)?;
        for t in &mut timings {
            let mut alone = f64::MAX;
            for _ in 0..3 {
                let started = Instant::now();
                voice.speak(&t.aired, model::Lang::En).await.context("the voice failed an aired line alone")?;
                alone = alone.min(ms(started.elapsed()));
            }
            t.voice_alone = alone;
            t.tts_own = (t.tts - alone).max(0.0);
            t.own = t.ingest + t.triage + t.first_sentence_own + t.tts_own + t.scheduling;
        }
    }
    report(&args, &timings, synth_alone)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn since(later: Instant, earlier: Instant) -> f64 {
    ms(later.saturating_duration_since(earlier))
}

/// One comment's stages, from what was seen; `None` when a stamp is missing (the answer did not come from the LLM).
#[allow(clippy::too_many_arguments)]
fn timing(
    seen: &Seen,
    id: &str,
    marker: &str,
    line: LineId,
    posted: Instant,
    synth_alone: Duration,
    remote_tts: bool,
    tts_hold: Duration,
) -> Option<Timing> {
    let ingested = *seen.ingested.get(id)?;
    let triaged = *seen.triaged.get(id)?;
    let request = seen.llm.iter().find(|r| r.marker.as_deref() == Some(marker))?;
    let first_chunk = *request.chunks.first()?;
    // The chunk that completed the first sentence ("Thanks for asking!") and when the director got it.
    let sentence_chunk = *request.chunks.get(3)?;
    let (sentence_at, _) = seen.sentences.iter().find(|(at, text)| *at >= request.at && text.starts_with("Thanks"))?;
    let voice_ready = *seen.voice_ready.get(&line)?;
    let (played, _) = *seen.played.get(&line)?;
    let out = *seen.out.get(&line)?;
    let (_, source) = seen.answered.get(id)?;
    // The line on air before the answer ended at the last finish before the answer started; an answer does not
    // wait the natural gap between lines. The director ends a line on its own clock, and the stage's timer may
    // stamp the same end a few milliseconds after the answer started: a finish within a frame after counts.
    let slack = Duration::from_millis(50);
    let free_at = seen.finished.iter().filter(|t| **t <= played + slack).max().map_or(posted, |end| (*end).min(played));
    let ready_for_air = voice_ready.max(free_at);
    let tts = since(voice_ready, *sentence_at);
    let tts_external = if remote_tts { ms(tts_hold) } else { ms(synth_alone) };
    let tts_own = (tts - tts_external).max(0.0);
    let scheduling = since(played, ready_for_air);
    let t = Timing {
        comment: id.to_string(),
        source: format!("{source:?}"),
        ingest: since(ingested, posted),
        triage: since(triaged, ingested),
        prompt: since(request.at, triaged),
        first_token: since(first_chunk, request.at),
        first_sentence_llm: since(sentence_chunk, first_chunk),
        first_sentence_own: since(*sentence_at, sentence_chunk),
        tts,
        tts_own,
        voice_alone: tts_external,
        aired: seen.aired.get(&line).cloned().unwrap_or_default(),
        waiting_for_line_end: since(free_at, voice_ready),
        scheduling,
        mixer: since(out, played),
        end_to_end: since(out, posted),
        own: 0.0,
        bound: 0.0,
    };
    // The rest of the sentence on air when the answer's voice was ready (the end of the line when no sentence end
    // comes first); nothing when the show was quiet then.
    let on_air = seen.sentence_ends.iter().filter(|(start, _)| *start <= voice_ready).max_by_key(|(start, _)| *start);
    let rest_of_sentence = on_air
        .and_then(|(_, ends)| ends.iter().find(|end| **end >= voice_ready))
        .map_or(0.0, |end| since(*end, voice_ready));
    let bound = t.first_token + t.first_sentence_llm + t.tts + rest_of_sentence;
    // The director's deliberate waits (planning the answer when the writer is next needed, letting the line on
    // air finish) and the servers' and voice's own time are not shopcast's processing; everything else is.
    let own = t.ingest + t.triage + t.first_sentence_own + t.tts_own + t.scheduling;
    Some(Timing { own, bound, ..t })
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * values.len() as f64).ceil() as usize;
    values[rank.clamp(1, values.len()) - 1]
}

/// A printed row: its name and how to read it from one comment's timing.
type Row = (&'static str, fn(&Timing) -> f64);

fn report(args: &LatencyArgs, timings: &[Timing], synth_alone: Duration) -> Result<()> {
    println!(
        "comment -> first audio, {} of {} comments timed; voice {} ({} ms alone on the first sentence), LLM {} ms \
         to first token, {} ms a chunk, stage at {} frames/s",
        timings.len(),
        args.comments,
        args.voice,
        ms(synth_alone).round(),
        args.first_token_ms,
        args.chunk_ms,
        args.fps
    );
    println!("{:<34} {:>8} {:>8} {:>8}", "stage (ms)", "p50", "p95", "p99");
    let rows: [Row; 15] = [
        ("ingest (HTTP POST to the director)", |t| t.ingest),
        ("triage", |t| t.triage),
        ("director plans the answer (wait)", |t| t.prompt),
        ("first token (server)", |t| t.first_token),
        ("first sentence (server)", |t| t.first_sentence_llm),
        ("first sentence (client, chunker)", |t| t.first_sentence_own),
        ("gate + TTS first audio", |t| t.tts),
        ("  of which the voice alone", |t| t.voice_alone),
        ("  of which shopcast", |t| t.tts_own),
        ("waiting for the line on air", |t| t.waiting_for_line_end),
        ("scheduling the line", |t| t.scheduling),
        ("mixer (next frame)", |t| t.mixer),
        ("end to end", |t| t.end_to_end),
        ("shopcast's own share", |t| t.own),
        ("bound: token+audio+line left", |t| t.bound),
    ];
    for (name, get) in rows {
        let mut values: Vec<f64> = timings.iter().map(get).collect();
        let p50 = percentile(&mut values, 50.0);
        let p95 = percentile(&mut values, 95.0);
        let p99 = percentile(&mut values, 99.0);
        println!("{name:<34} {p50:>8.1} {p95:>8.1} {p99:>8.1}");
    }
    let within = timings.iter().filter(|t| t.end_to_end <= t.bound + 1000.0 / f64::from(args.fps)).count();
    println!("answers heard within the bound (plus one frame): {within} of {}", timings.len());
    // The bound counts only the waits; what is left over is the mixer's frame, shopcast's own processing and the
    // director's planning of the answer (under a millisecond).
    let waits_within = timings.iter().filter(|t| t.end_to_end - t.mixer - t.own - t.prompt <= t.bound).count();
    println!(
        "answers within the bound once the mixer's frame, the own share and planning are taken out: {waits_within} of {}",
        timings.len()
    );
    let llm = timings.iter().filter(|t| t.source == "Llm").count();
    println!("answers written by the LLM: {llm} of {}", timings.len());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(timings)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
