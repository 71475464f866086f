//! The tokio task that owns the director's [`Show`] and carries out its outputs.
//!
//! It never awaits the network inside the loop: writer and voice work runs in spawned tasks whose results come
//! back as inputs carrying their turn or line id, so a slow adapter delays only its own result and the director
//! drops it if it arrives too late.

use crate::console::Metrics;
use crate::voice::Voice;
use crate::writer::Writer;
use director::{Input, Output, Show};
use futures_util::FutureExt;
use model::{Comment, Product};
use model::{ConsoleEvent, ShowTime, StageCommand};
use model::{LineSource, TurnId};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::watch;
use tokio::sync::{broadcast, mpsc};
use tokio::task::AbortHandle;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// The show task's connections to the rest of the process.
pub struct ShowLinks {
    /// Inputs from the catalog, the console and the stage bridge. Results of spawned writer and voice tasks come
    /// back through a clone of `input_tx`. The loop ends when every sender is gone.
    pub inputs: mpsc::Receiver<Input>,
    /// A sender for the same channel, handed to spawned tasks.
    pub input_tx: mpsc::Sender<Input>,
    /// Commands for the stage. Bevy drains it each frame; if it falls behind by the whole capacity, commands are
    /// dropped with a warning rather than stalling the show.
    pub stage: async_channel::Sender<StageCommand>,
    /// Everything said, for the console feed and the audit log. Sending never blocks; slow readers lag.
    pub console: broadcast::Sender<ConsoleEvent>,
    /// Optional companions of the live show (the console, OBS, viewer memory); tests leave them out.
    pub extras: ShowExtras,
}

/// What the live show connects besides the stage and the console feed.
#[derive(Default)]
pub struct ShowExtras {
    /// The product queue as the director holds it (with live stock and price changes), for the console.
    pub products: Option<watch::Sender<Vec<Product>>>,
    /// Latencies and heartbeats for /healthz and /metrics.
    pub metrics: Option<Metrics>,
    /// Looks at each viewer comment before the director does: drops those of banned viewers, marks returning ones.
    pub gate: Option<Arc<dyn CommentGate>>,
    /// A copy of every stage command (OBS follows the show's moments from them).
    pub stage_tap: Option<broadcast::Sender<StageCommand>>,
    /// Writes each aired line to the audit log before the stage plays it (see [`crate::store::audit::WriteAhead`]).
    pub write_ahead: Option<crate::store::audit::WriteAhead>,
}

/// Decides whether a comment reaches the director, and may annotate it (see [`ShowExtras::gate`]).
pub trait CommentGate: Send + Sync {
    /// False drops the comment.
    fn admit(&self, comment: &mut Comment) -> bool;
}

/// How often the loop reports it is alive when nothing else wakes it.
const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(5);

/// Runs the show until `shutdown` is cancelled or every input sender is dropped.
pub async fn run(mut show: Show, writer: Writer, voice: Voice, mut links: ShowLinks, shutdown: CancellationToken) {
    let start = Instant::now();
    let now = move || ShowTime(Instant::now().saturating_duration_since(start).as_millis() as u64);
    let mut tasks = JoinSet::new();
    let mut turns: HashMap<TurnId, AbortHandle> = HashMap::new();
    loop {
        let outputs: Vec<Output> = std::iter::from_fn(|| show.poll_output()).collect();
        // A line's record goes first: the director hands out its `PlayLine` before its `LineAired`, and the stage
        // must not play a line the audit log does not have yet.
        if let Some(ahead) = &links.extras.write_ahead {
            for output in &outputs {
                if let Output::Console(ConsoleEvent::LineAired(line)) = output {
                    ahead.line(line).await;
                }
            }
        }
        for output in outputs {
            dispatch(output, &writer, &voice, &links, &mut tasks, &mut turns);
        }
        // Reap finished tasks so the set does not grow over a 24-hour show.
        while tasks.try_join_next().is_some() {}
        turns.retain(|_, handle| !handle.is_finished());
        // Never sleep until a moment already past: that would spin. The director guarantees progress; the
        // floor keeps a violation from burning a core.
        let floor = Instant::now() + std::time::Duration::from_millis(1);
        let deadline = show.poll_timeout().map(|t| (start + std::time::Duration::from_millis(t.ms())).max(floor));
        let sleep = async {
            match deadline {
                Some(d) => tokio::time::sleep_until(d).await,
                None => std::future::pending().await,
            }
        };
        let heartbeat = tokio::time::sleep(HEARTBEAT);
        tokio::select! {
            _ = shutdown.cancelled() => break,
            input = links.inputs.recv() => match input {
                Some(mut input) => {
                    if let Input::Comment(comment) = &mut input
                        && let Some(gate) = &links.extras.gate
                        && !gate.admit(comment)
                    {
                        continue;
                    }
                    let changes_products = matches!(
                        input,
                        Input::ProductsLoaded(_)
                            | Input::ShopUpdate { .. }
                            | Input::StockChanged { .. }
                            | Input::PriceChanged { .. }
                            | Input::StartFlashSale { .. }
                            | Input::StopFlashSale { .. }
                            | Input::ClearOverride { .. }
                            | Input::RestoreOverrides(_)
                    );
                    show.handle_input(now(), input);
                    if changes_products && let Some(products) = &links.extras.products {
                        products.send_replace(show.queue().to_vec());
                    }
                }
                None => break,
            },
            _ = sleep => show.handle_timeout(now()),
            // The director is alive even when nothing is due (a human host on air): say so.
            _ = heartbeat => {}
        }
        if let Some(metrics) = &links.extras.metrics {
            metrics.director_heartbeat();
        }
    }
    tasks.abort_all();
}

fn dispatch(
    output: Output,
    writer: &Writer,
    voice: &Voice,
    links: &ShowLinks,
    tasks: &mut JoinSet<()>,
    turns: &mut HashMap<TurnId, AbortHandle>,
) {
    match output {
        Output::Write(brief) => {
            let writer = writer.clone();
            let tx = links.input_tx.clone();
            let turn = brief.turn;
            let metrics = links.extras.metrics.clone();
            let handle = tasks.spawn(async move {
                let started = std::time::Instant::now();
                // The show may have ended; then nobody needs the results, and sends fail quietly.
                let work = async {
                    match writer {
                        // Template lines are ready at once: one whole line, as rehearsals say it.
                        Writer::Templates => {
                            let input = match writer.write(&brief).await {
                                Ok(w) => Input::WriterDone { turn, text: w.text, source: w.source },
                                Err(e) => Input::WriterFailed { turn, reason: e.to_string() },
                            };
                            let _ = tx.send(input).await;
                        }
                        // The LLM streams: each sentence goes to the director the moment it is written.
                        Writer::Llm(_) => {
                            stream_turn(&writer, &brief, &tx).await;
                            if let Some(metrics) = metrics {
                                metrics.observe_llm_ms(started.elapsed().as_secs_f64() * 1000.0);
                            }
                        }
                    }
                };
                // A writer that panics fails its turn at once: the show goes on with a template line now rather
                // than waiting out the writer's timeout.
                if let Err(panic) = std::panic::AssertUnwindSafe(work).catch_unwind().await {
                    let reason = director::show::panic_text(&*panic);
                    tracing::error!("the writer {reason} on {turn}; a template line fills in");
                    let _ = tx.send(Input::WriterFailed { turn, reason }).await;
                }
            });
            turns.insert(turn, handle);
        }
        Output::CancelWrite { turn } => {
            // Aborting the task drops the writer's stream, which cancels the LLM request.
            if let Some(handle) = turns.remove(&turn) {
                handle.abort();
            }
        }
        Output::Speak { line, text, lang, pace } => {
            let voice = voice.clone();
            let tx = links.input_tx.clone();
            let metrics = links.extras.metrics.clone();
            tasks.spawn(async move {
                let started = std::time::Instant::now();
                // A voice that panics fails its line at once: it airs captioned and silent.
                let spoken = match std::panic::AssertUnwindSafe(voice.speak_at(text.as_str(), lang, pace))
                    .catch_unwind()
                    .await
                {
                    Ok(spoken) => spoken.map_err(|e| e.to_string()),
                    Err(panic) => {
                        let reason = director::show::panic_text(&*panic);
                        tracing::error!("the voice {reason} on {line}; the line airs with captions only");
                        Err(reason)
                    }
                };
                if let Some(metrics) = metrics
                    && !matches!(voice, Voice::Silent)
                {
                    metrics.observe_tts_ms(started.elapsed().as_secs_f64() * 1000.0);
                }
                let input = match spoken {
                    Ok(clip) => Input::VoiceReady {
                        line,
                        duration_ms: clip.duration_ms,
                        visemes: clip.visemes,
                        audio: clip.audio,
                    },
                    Err(reason) => Input::VoiceFailed { line, reason },
                };
                let _ = tx.send(input).await;
            });
        }
        Output::Stage(command) => {
            if let Some(tap) = &links.extras.stage_tap {
                let _ = tap.send(command.clone());
            }
            if let Err(e) = links.stage.try_send(command) {
                tracing::warn!("stage is not keeping up; dropped a command: {e}");
            }
        }
        Output::Console(event) => {
            if let ConsoleEvent::LineAired(line) = &event {
                let product = line.product.as_ref().map_or("-", |p| p.0.as_str());
                tracing::info!(line = %line.line, kind = ?line.kind, product, source = ?line.source, "said: {}", line.text);
            }
            let _ = links.console.send(event);
        }
    }
}

/// Sends each sentence of a turn as `WriterSentence`, then `WriterDone` with the whole text (or `WriterFailed`
/// when not one sentence was written).
async fn stream_turn(writer: &Writer, brief: &director::Brief, tx: &mpsc::Sender<Input>) {
    let turn = brief.turn;
    let mut stream = writer.stream(brief);
    let mut said: Vec<String> = Vec::new();
    let mut from_llm = false;
    while let Some(item) = stream.next().await {
        match item {
            Ok(sentence) => {
                from_llm |= sentence.source == LineSource::Llm;
                said.push(sentence.text.clone());
                let input = Input::WriterSentence { turn, text: sentence.text, source: sentence.source };
                if tx.send(input).await.is_err() {
                    return;
                }
            }
            Err(e) if said.is_empty() => {
                let _ = tx.send(Input::WriterFailed { turn, reason: e.to_string() }).await;
                return;
            }
            // The LLM failed after some sentences were out: they stand, and the turn ends with them.
            Err(e) => {
                tracing::warn!("the writer failed mid-turn ({e}); the sentences already said stand");
                break;
            }
        }
    }
    if said.is_empty() {
        let _ = tx.send(Input::WriterFailed { turn, reason: "the writer had nothing to say".into() }).await;
        return;
    }
    let separator = if brief.lang == model::Lang::Zh { "" } else { " " };
    let source = if from_llm { LineSource::Llm } else { LineSource::Template };
    let _ = tx.send(Input::WriterDone { turn, text: said.join(separator), source }).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use director::ShowConfig;
    use model::{Currency, Localized, Money, Product};

    /// A shutdown that comes after `after` (on tokio's clock, so paused tests skip ahead to it).
    pub(super) fn cancelled_after(after: std::time::Duration) -> CancellationToken {
        let shutdown = CancellationToken::new();
        let cancel = shutdown.clone();
        tokio::spawn(async move {
            tokio::time::sleep(after).await;
            cancel.cancel();
        });
        shutdown
    }

    /// With the audit log's write-ahead, the stage never receives a line the log does not hold yet: each `PlayLine`
    /// is checked against the log the moment the stage reads it (real time: the store is a real thread).
    #[tokio::test]
    async fn every_line_is_in_the_audit_log_before_the_stage_plays_it() {
        use crate::store::audit::{Provenance, WriteAhead};
        use crate::store::{Store, StoreHandle};
        let dir = std::env::temp_dir().join(format!("shopcast-write-ahead-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (store, _thread) = StoreHandle::spawn(Store::open(&dir.join("audit.db"), 30).unwrap()).unwrap();
        let show_id = Provenance {
            show_id: "show-ahead".into(),
            producer: "shopcast/test".into(),
            model: None,
            voice: "silent".into(),
        };
        let (input_tx, inputs) = mpsc::channel(64);
        let (stage_tx, stage_rx) = async_channel::bounded(256);
        let (console, _) = broadcast::channel(256);
        input_tx.send(Input::ProductsLoaded(vec![kettle()])).await.unwrap();
        let extras = ShowExtras {
            write_ahead: Some(WriteAhead::new(store.clone(), Arc::new(show_id))),
            ..ShowExtras::default()
        };
        let links = ShowLinks { inputs, input_tx: input_tx.clone(), stage: stage_tx, console, extras };
        // A quick show: short lines back to back.
        let config = ShowConfig { gap_ms: 50, ..ShowConfig::default() };
        let show = Show::new(config, ShowTime(0), model::UnixMs(0));
        let checker = {
            let store = store.clone();
            tokio::spawn(async move {
                let mut checked = 0;
                while let Ok(command) = stage_rx.recv().await {
                    if let StageCommand::PlayLine { text, .. } = command {
                        let lines = store.call(|s| s.lines_since(model::UnixMs(0))).await.unwrap();
                        assert!(
                            lines.iter().any(|l| l.line.text == text),
                            "the stage got {text:?} before the audit log had it"
                        );
                        checked += 1;
                    }
                }
                checked
            })
        };
        run(show, Writer::Templates, Voice::Silent, links, cancelled_after(std::time::Duration::from_secs(8))).await;
        let checked = checker.await.unwrap();
        assert!(checked >= 2, "only {checked} line(s) aired in 8 s");
        // Nothing was written twice by the broadcast (nobody listened here) or the write-ahead.
        assert_eq!(store.call(|s| s.line_count()).await.unwrap(), checked);
        std::fs::remove_dir_all(&dir).ok();
    }

    fn kettle() -> Product {
        let price = Money::parse_decimal("30", Currency::parse("USD").unwrap()).unwrap();
        Product::new("kettle", Localized::one(model::Lang::En, "Kettle".to_string()), price)
    }

    /// The real loop with the template writer and silent voice, on tokio's paused clock: a minute of show.
    #[tokio::test(start_paused = true)]
    async fn the_loop_airs_lines_and_sends_stage_commands() {
        let (input_tx, inputs) = mpsc::channel(64);
        let (stage_tx, stage_rx) = async_channel::bounded(256);
        let (console, mut console_rx) = broadcast::channel(256);
        input_tx.send(Input::ProductsLoaded(vec![kettle()])).await.unwrap();
        let links =
            ShowLinks { inputs, input_tx: input_tx.clone(), stage: stage_tx, console, extras: ShowExtras::default() };
        let show = Show::new(ShowConfig::default(), ShowTime(0), model::UnixMs(0));
        run(show, Writer::Templates, Voice::Silent, links, cancelled_after(std::time::Duration::from_secs(60))).await;

        let mut aired = Vec::new();
        while let Ok(event) = console_rx.try_recv() {
            if let ConsoleEvent::LineAired(line) = event {
                aired.push(line);
            }
        }
        assert!(aired.len() >= 8, "only {} lines in a minute", aired.len());
        assert!(aired.iter().any(|l| l.text.contains("$30.00")));
        let mut commands = Vec::new();
        while let Ok(c) = stage_rx.try_recv() {
            commands.push(c);
        }
        assert!(matches!(&commands[0], StageCommand::PinOffer(card) if card.price == "$30.00"));
        let plays = commands.iter().filter(|c| matches!(c, StageCommand::PlayLine { .. })).count();
        assert_eq!(plays, aired.len());
    }
}

/// The loop with an LLM that streams slowly: the first sentence is on air long before the turn is finished.
#[cfg(test)]
mod streaming_tests {
    use super::*;
    use crate::llm::fake_server::{FakeServer, Reply, Step, content_chunk, finish_chunk, role_chunk};
    use crate::llm::{LlmClient, LlmConfig};
    use crate::writer::LlmWriter;
    use director::ShowConfig;
    use model::{Currency, Localized, Money, Product, UnixMs};
    use std::time::Duration;

    #[tokio::test]
    async fn the_first_sentence_airs_while_the_llm_is_still_writing() {
        let server = FakeServer::start(|_, _| {
            Reply::sse(vec![
                Step::Send(role_chunk()),
                Step::Send(content_chunk("It boils a litre in minutes. ")),
                Step::Sleep(Duration::from_millis(1200)),
                Step::Send(content_chunk("The handle stays cool.")),
                Step::Send(finish_chunk()),
                Step::Send("data: [DONE]\n\n".into()),
            ])
        })
        .await;
        let mut config = LlmConfig::new(server.base_url.clone(), "fake");
        config.max_retries = 0;
        config.chunk_gap_timeout = Duration::from_secs(3);
        let writer = Writer::Llm(LlmWriter::new(LlmClient::new(config).unwrap()));
        let mut kettle = Product::new(
            "kettle",
            Localized::one(model::Lang::En, "Kettle".into()),
            Money::parse_decimal("30", Currency::parse("USD").unwrap()).unwrap(),
        );
        kettle.features = Localized::one(model::Lang::En, vec!["boils a litre fast".into()]);
        let (input_tx, inputs) = mpsc::channel(64);
        let (stage_tx, _stage_rx) = async_channel::bounded(256);
        let (console, mut console_rx) = broadcast::channel(256);
        input_tx.send(Input::ProductsLoaded(vec![kettle])).await.unwrap();
        let links =
            ShowLinks { inputs, input_tx: input_tx.clone(), stage: stage_tx, console, extras: ShowExtras::default() };
        let mut show = Show::new(ShowConfig::default(), ShowTime(0), UnixMs(1_000_000));
        show.resume(director::ResumePoint { pitching: None, last_disclosure: Some(UnixMs(1_000_000)) });
        run(show, writer, Voice::Silent, links, super::tests::cancelled_after(Duration::from_millis(2500))).await;

        let mut aired = Vec::new();
        while let Ok(event) = console_rx.try_recv() {
            if let ConsoleEvent::LineAired(line) = event {
                aired.push(line);
            }
        }
        let first = aired.iter().find(|l| l.text.starts_with("It boils")).expect("the first sentence aired");
        assert!(first.t_ms < 1000, "on air at {} ms, before the second sentence was written", first.t_ms);
        assert_eq!(first.source, LineSource::Llm);
        assert!(
            aired.iter().all(|l| !l.text.contains("It boils a litre in minutes. The handle")),
            "sentences air as they come, not as one block at the end: {aired:?}"
        );
    }
}
