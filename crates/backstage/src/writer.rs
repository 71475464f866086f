//! Writers turn a director's [`Brief`] into words: templates, the offline default, or an LLM.
//!
//! Writers are plain text sources. They do not judge what they write: the director's [`director::Show`] runs every
//! sentence through its gate (`director::air`) before anyone hears it, and decides what a refused sentence turns
//! into. So a writer that lies, leaks or is talked round by a viewer changes nothing on air.
//!
//! Writers are an enum rather than a trait object: the set is closed and small and dispatch stays obvious. The LLM
//! writer sends exactly the messages the brief carries ([`Brief::prompt`], built by the show, so the gate knows
//! what instructions must never be said back), streams the reply through the sentence chunker and releases each
//! complete sentence as soon as it is written. Lines the show says in fixed words (disclosures, hand-offs, holding
//! lines: an empty prompt) come from the templates whichever writer is configured.

use crate::llm::{LlmClient, LlmError};
use director::chunker::SentenceChunker;
use director::{Brief, Written, templates};
use model::{Lang, LineSource};
use std::fmt;
use tokio::sync::mpsc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriterError {
    /// The brief asks for something this writer has no words for.
    NothingToSay(String),
    /// The LLM failed before a single sentence could be said.
    Llm(LlmError),
}

impl WriterError {
    /// Whether trying the same brief again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            WriterError::NothingToSay(_) => false,
            WriterError::Llm(e) => e.is_retryable(),
        }
    }
}

impl fmt::Display for WriterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriterError::NothingToSay(what) => write!(f, "no words for {what}"),
            WriterError::Llm(e) => write!(f, "LLM writer: {e}"),
        }
    }
}

impl std::error::Error for WriterError {}

/// One sentence as the writer wrote it (unchecked: the show's gate checks it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub text: String,
    pub source: LineSource,
}

/// The sentences of one turn as they are written. Dropping it cancels the turn (and the LLM request).
#[derive(Debug)]
pub struct SentenceStream {
    rx: mpsc::Receiver<Result<Sentence, WriterError>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SentenceStream {
    /// The next sentence; `None` when the turn is complete. An error, if any, is the last item.
    pub async fn next(&mut self) -> Option<Result<Sentence, WriterError>> {
        self.rx.recv().await
    }

    fn ready(item: Result<Sentence, WriterError>) -> SentenceStream {
        let (tx, rx) = mpsc::channel(1);
        // The channel has room for this one item, so this cannot fail.
        let _ = tx.try_send(item);
        SentenceStream { rx, task: None }
    }
}

impl Drop for SentenceStream {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// The LLM writer's settings. Cheap to clone (clones share the client and its circuit breaker).
#[derive(Clone, Debug)]
pub struct LlmWriter {
    client: LlmClient,
    /// Sentences per turn; the host keeps it short, and stopping early frees the server.
    max_sentences: usize,
}

impl LlmWriter {
    pub fn new(client: LlmClient) -> LlmWriter {
        LlmWriter { client, max_sentences: 4 }
    }

    pub fn with_max_sentences(mut self, max: usize) -> LlmWriter {
        self.max_sentences = max.max(1);
        self
    }

    pub fn client(&self) -> &LlmClient {
        &self.client
    }

    /// Runs one turn, sending sentences to `tx` until the LLM finishes, fails or the receiver goes away.
    async fn run(self, brief: Brief, tx: mpsc::Sender<Result<Sentence, WriterError>>) {
        let mut llm = match self.client.stream(&brief.prompt) {
            Ok(llm) => llm,
            Err(e) => {
                let _ = tx.send(Err(WriterError::Llm(e))).await;
                return;
            }
        };
        let mut chunker = SentenceChunker::new();
        let mut sentences = Vec::new();
        let mut said = 0;
        loop {
            let item = llm.next_delta().await;
            let finished = item.is_none();
            match item {
                Some(Ok(delta)) => chunker.push_into(&delta, &mut sentences),
                Some(Err(e)) => {
                    // The unfinished tail is not said: half a sentence may change its meaning. Sentences already
                    // out stand; the show decides what fills the rest of the turn.
                    let _ = tx.send(Err(WriterError::Llm(e))).await;
                    return;
                }
                None => {
                    let rest = chunker.finish();
                    // A model cut off by its token limit leaves half a sentence: only complete ones are said.
                    let cut_off = llm.finish_reason().as_deref() == Some("length");
                    sentences.extend(rest.into_iter().filter(|s| !cut_off || ends_complete(s)));
                }
            }
            for text in sentences.drain(..) {
                if tx.send(Ok(Sentence { text, source: LineSource::Llm })).await.is_err() {
                    return;
                }
                said += 1;
                if said >= self.max_sentences {
                    // Enough for one turn: dropping `llm` cancels the rest of the generation.
                    return;
                }
            }
            if finished {
                break;
            }
        }
        if said == 0 {
            let _ = tx.send(Err(WriterError::NothingToSay("anything: the model wrote no sentence".into()))).await;
        }
    }
}

/// Whether a sentence ends the way a finished sentence does.
fn ends_complete(sentence: &str) -> bool {
    sentence
        .trim_end_matches(['"', '\'', '”', '’', '」', ')', '）'])
        .ends_with(['.', '!', '?', '。', '！', '？', '；', '…'])
}

/// The template writer's whole turn.
fn template_turn(brief: &Brief) -> Result<Sentence, WriterError> {
    match templates::render(brief) {
        Some(text) => Ok(Sentence { text, source: LineSource::Template }),
        None => Err(WriterError::NothingToSay(format!("{:?} of this product", brief.kind))),
    }
}

/// The configured writer.
#[derive(Debug, Clone, Default)]
pub enum Writer {
    /// Template lines from the product data: always available.
    #[default]
    Templates,
    /// An OpenAI-compatible LLM.
    Llm(LlmWriter),
}

impl Writer {
    /// The whole turn: its sentences joined, and who wrote them (the LLM when any sentence is the model's).
    pub async fn write(&self, brief: &Brief) -> Result<Written, WriterError> {
        let mut stream = self.stream(brief);
        let mut said: Vec<String> = Vec::new();
        let mut source = LineSource::Template;
        while let Some(item) = stream.next().await {
            match item {
                Ok(sentence) => {
                    if sentence.source == LineSource::Llm {
                        source = LineSource::Llm;
                    }
                    said.push(sentence.text);
                }
                Err(e) if said.is_empty() => return Err(e),
                // The LLM failed after some sentences: they stand, and the turn ends with them.
                Err(_) => break,
            }
        }
        let separator = if brief.lang == Lang::Zh { "" } else { " " };
        let text = said.join(separator);
        if text.trim().is_empty() {
            return Err(WriterError::NothingToSay("this turn".into()));
        }
        Ok(Written { text, source })
    }

    /// The turn's sentences as they are written, for speaking each one as soon as it is ready. Must be called
    /// inside a tokio runtime (the LLM writer spawns the turn).
    pub fn stream(&self, brief: &Brief) -> SentenceStream {
        match self {
            Writer::Llm(llm) if !brief.prompt.is_empty() => {
                let (tx, rx) = mpsc::channel(16);
                let task = tokio::spawn(llm.clone().run(brief.clone(), tx));
                SentenceStream { rx, task: Some(task) }
            }
            // Fixed wording, or no model configured.
            _ => SentenceStream::ready(template_turn(brief)),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Writer::Templates => "templates",
            Writer::Llm(_) => "llm",
        }
    }
}

#[cfg(test)]
#[path = "llm/writer_tests.rs"]
mod tests;
