//! Writers turn a director's [`Brief`] (or a viewer's [`AnswerBrief`]) into words: templates, the offline default,
//! or an LLM whose every sentence passes the guard before anyone hears it.
//!
//! Writers are an enum rather than a trait object: the set is closed and small and dispatch stays obvious. The LLM
//! writer streams: deltas go through the sentence chunker, each complete sentence through the guard (with a claims
//! ledger built from the brief's product), and a sentence the guard rejects is replaced by a template line (once
//! per turn; later rejections are dropped), with the rule and the original text kept for the audit log.

use crate::llm::{LlmClient, LlmError};
use director::Brief;
use director::chunker::SentenceChunker;
use director::guard::{GuardRule, GuardVerdict, SentenceGuard};
use director::ledger::ClaimsLedger;
use director::prompt::{self, AnswerBrief, Persona};
use director::templates::{self, LineHistory};
use model::{Lang, LineKind, Product, UnixMs};
use std::fmt;
use std::sync::{Arc, Mutex};
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

/// What a writer is asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteTask {
    Pitch(Brief),
    Answer(AnswerBrief),
}

impl WriteTask {
    fn lang(&self) -> Lang {
        match self {
            WriteTask::Pitch(b) => b.lang,
            WriteTask::Answer(a) => a.lang,
        }
    }

    fn product(&self) -> Option<&Product> {
        match self {
            WriteTask::Pitch(b) => b.product.as_ref(),
            WriteTask::Answer(a) => a.product.as_ref(),
        }
    }

    fn variant(&self) -> u32 {
        match self {
            WriteTask::Pitch(b) => b.variant,
            WriteTask::Answer(a) => a.turn.0 as u32,
        }
    }
}

/// Where a spoken sentence came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentenceSource {
    Llm,
    Template,
}

/// What the guard did, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardAction {
    /// Said in a corrected form.
    Repaired,
    /// Not said; a template line was said instead.
    ReplacedByTemplate,
    /// Not said, and nothing in its place.
    Dropped,
}

/// An audit record: which rule fired on which text, and what was done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardAudit {
    pub rule: GuardRule,
    pub original: String,
    pub action: GuardAction,
}

/// A sentence cleared to be spoken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuardedSentence {
    pub text: String,
    pub source: SentenceSource,
    /// Set when the guard repaired the writer's sentence or replaced it.
    pub audit: Option<GuardAudit>,
}

/// One item of a writer's stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriterEvent {
    /// Speak this now.
    Say(GuardedSentence),
    /// A sentence that will not be said (the audit log wants it anyway).
    Dropped(GuardAudit),
}

/// A whole turn, collected: the text to speak and what the guard did on the way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenLine {
    pub text: String,
    pub sentences: Vec<GuardedSentence>,
    pub dropped: Vec<GuardAudit>,
    /// The LLM failed after some sentences were already out; those stand.
    pub late_error: Option<LlmError>,
}

/// The sentences of one turn as they clear the guard. Dropping it cancels the turn (and the LLM request).
#[derive(Debug)]
pub struct SentenceStream {
    rx: mpsc::Receiver<Result<WriterEvent, WriterError>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SentenceStream {
    /// The next event; `None` when the turn is complete. An error, if any, is the last item.
    pub async fn next(&mut self) -> Option<Result<WriterEvent, WriterError>> {
        self.rx.recv().await
    }

    fn ready(items: Vec<Result<WriterEvent, WriterError>>) -> SentenceStream {
        let (tx, rx) = mpsc::channel(items.len().max(1));
        for item in items {
            // The channel was sized for every item, so this cannot fail.
            let _ = tx.try_send(item);
        }
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

/// The LLM writer's settings and shared state. Cheap to clone (clones share the client, its circuit breaker and
/// the template history).
#[derive(Clone)]
pub struct LlmWriter {
    client: LlmClient,
    persona: Persona,
    /// Sentences per turn; the host keeps it short, and stopping early frees the server.
    max_sentences: usize,
    history: Arc<Mutex<LineHistory>>,
    clock: Arc<dyn Fn() -> UnixMs + Send + Sync>,
}

impl fmt::Debug for LlmWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LlmWriter")
            .field("client", &self.client)
            .field("persona", &self.persona)
            .finish_non_exhaustive()
    }
}

impl LlmWriter {
    pub fn new(client: LlmClient, persona: Persona) -> LlmWriter {
        LlmWriter {
            client,
            persona,
            max_sentences: 4,
            history: Arc::new(Mutex::new(LineHistory::default())),
            clock: Arc::new(wall_clock),
        }
    }

    pub fn with_max_sentences(mut self, max: usize) -> LlmWriter {
        self.max_sentences = max.max(1);
        self
    }

    /// Replaces the wall clock (offer windows and the no-repeat window are judged by it), for rehearsals and tests.
    pub fn with_clock(mut self, clock: impl Fn() -> UnixMs + Send + Sync + 'static) -> LlmWriter {
        self.clock = Arc::new(clock);
        self
    }

    pub fn client(&self) -> &LlmClient {
        &self.client
    }

    /// Runs one turn, sending events to `tx` until the LLM finishes, fails or the receiver goes away.
    async fn run(self, task: WriteTask, tx: mpsc::Sender<Result<WriterEvent, WriterError>>) {
        let lang = task.lang();
        let now = (self.clock)();
        let ledger = match task.product() {
            Some(product) => ClaimsLedger::for_product(product, lang, now),
            None => empty_ledger(lang, now),
        };
        let messages = match &task {
            WriteTask::Pitch(brief) => match (brief.kind, brief.product.as_ref()) {
                (LineKind::Pitch(facet), Some(product)) => {
                    prompt::pitch_messages(&self.persona, &ledger, product, facet)
                }
                // Disclosures and holding lines are fixed wording: no model needed, nothing to guard.
                _ => {
                    for item in template_turn(brief) {
                        let _ = tx.send(item).await;
                    }
                    return;
                }
            },
            WriteTask::Answer(answer) => prompt::answer_messages(&self.persona, &ledger, answer),
        };

        let mut llm = match self.client.stream(&messages) {
            Ok(llm) => llm,
            Err(e) => {
                let _ = tx.send(Err(WriterError::Llm(e))).await;
                return;
            }
        };
        let guard = SentenceGuard::new(&ledger);
        let mut turn = Turn { writer: &self, task: &task, ledger: &ledger, guard, now, said: 0, substituted: false };
        let mut chunker = SentenceChunker::new();
        let mut sentences = Vec::new();
        loop {
            let item = llm.next_delta().await;
            let finished = item.is_none();
            match item {
                Some(Ok(delta)) => chunker.push_into(&delta, &mut sentences),
                Some(Err(e)) => {
                    // The unfinished tail is not said: half a sentence may change its meaning. Sentences already
                    // out stand; the caller decides what fills the rest of the turn.
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
            for sentence in sentences.drain(..) {
                for event in turn.guard(&sentence) {
                    if tx.send(Ok(event)).await.is_err() {
                        return;
                    }
                }
                if turn.said >= self.max_sentences {
                    // Enough for one turn: dropping `llm` cancels the rest of the generation.
                    return;
                }
            }
            if finished {
                break;
            }
        }
        if turn.said == 0 {
            // Everything was rejected or the model said nothing: one template line keeps the air filled.
            if let Some(event) = turn.template_line(None) {
                let _ = tx.send(Ok(event)).await;
            } else {
                let _ = tx.send(Err(WriterError::NothingToSay("any guarded sentence".into()))).await;
            }
        }
    }
}

/// The state of one LLM turn while its sentences are guarded.
struct Turn<'a> {
    writer: &'a LlmWriter,
    task: &'a WriteTask,
    ledger: &'a ClaimsLedger,
    guard: SentenceGuard<'a>,
    now: UnixMs,
    said: usize,
    substituted: bool,
}

impl Turn<'_> {
    fn guard(&mut self, sentence: &str) -> Vec<WriterEvent> {
        let lang = self.task.lang();
        let verdict = match self.task {
            WriteTask::Answer(answer) => self.guard.check_answer(sentence, lang, &answer.comment.text),
            WriteTask::Pitch(_) => self.guard.check(sentence, lang),
        };
        match verdict {
            GuardVerdict::Pass(text) => {
                self.said += 1;
                vec![WriterEvent::Say(GuardedSentence { text, source: SentenceSource::Llm, audit: None })]
            }
            GuardVerdict::Repaired { text, rule } => {
                self.said += 1;
                let audit = GuardAudit { rule, original: sentence.to_string(), action: GuardAction::Repaired };
                vec![WriterEvent::Say(GuardedSentence { text, source: SentenceSource::Llm, audit: Some(audit) })]
            }
            GuardVerdict::Rejected { rule, original } => {
                tracing::info!(rule = rule.name(), "guard rejected a sentence: {original}");
                let audit = GuardAudit { rule, original, action: GuardAction::Dropped };
                if !self.substituted
                    && let Some(event) = self.template_line(Some(audit.clone()))
                {
                    return vec![event];
                }
                vec![WriterEvent::Dropped(audit)]
            }
        }
    }

    /// A template line for this turn (at most one per turn), carrying the audit of the sentence it replaces.
    fn template_line(&mut self, replaces: Option<GuardAudit>) -> Option<WriterEvent> {
        if self.substituted {
            return None;
        }
        let lang = self.task.lang();
        let product = self.task.product();
        let lines = match self.task {
            WriteTask::Pitch(brief) => match brief.kind {
                LineKind::Pitch(facet) => templates::pitch_templates(facet, lang),
                _ => &[],
            },
            WriteTask::Answer(answer) => templates::answer_templates(answer.intent, lang),
        };
        let mut history = self.writer.history.lock().ok()?;
        let text =
            templates::pick_line(lines, product, Some(self.ledger), lang, self.task.variant(), self.now, &mut history)?;
        self.substituted = true;
        self.said += 1;
        let audit = replaces.map(|a| GuardAudit { action: GuardAction::ReplacedByTemplate, ..a });
        Some(WriterEvent::Say(GuardedSentence { text, source: SentenceSource::Template, audit }))
    }
}

/// Whether a sentence ends the way a finished sentence does.
fn ends_complete(sentence: &str) -> bool {
    sentence
        .trim_end_matches(['"', '\'', '”', '’', '」', ')', '）'])
        .ends_with(['.', '!', '?', '。', '！', '？', '；', '…'])
}

/// A ledger with no product: every fact slot is unbacked, so only plain sentences pass.
fn empty_ledger(lang: Lang, now: UnixMs) -> ClaimsLedger {
    ClaimsLedger { product: model::ProductId(String::new()), lang, now, facts: Vec::new() }
}

fn wall_clock() -> UnixMs {
    let ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    UnixMs(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// The template writer's whole turn as stream items.
fn template_turn(brief: &Brief) -> Vec<Result<WriterEvent, WriterError>> {
    match templates::render(brief) {
        Some(text) => {
            vec![Ok(WriterEvent::Say(GuardedSentence { text, source: SentenceSource::Template, audit: None }))]
        }
        None => vec![Err(WriterError::NothingToSay(format!("{:?} of this product", brief.kind)))],
    }
}

/// The configured writer.
#[derive(Debug, Clone, Default)]
pub enum Writer {
    /// Template lines from the product data: always available, never wrong about a fact.
    #[default]
    Templates,
    /// An OpenAI-compatible LLM behind the chunker and the guard.
    Llm(LlmWriter),
}

impl Writer {
    /// The whole line for a brief with what the guard did on the way, as the show loop and rehearsals use it.
    pub async fn write_guarded(&self, brief: &Brief) -> Result<director::Written, WriterError> {
        let line = self.write_line(self.task_for(brief)).await?;
        // A line is the LLM's when any of its sentences is; a turn the LLM writer answered entirely from
        // templates (fixed wording, or every sentence replaced) is a template line.
        let source = if line.sentences.iter().any(|s| s.source == SentenceSource::Llm) {
            model::LineSource::Llm
        } else {
            model::LineSource::Template
        };
        let notes =
            line.sentences.iter().filter_map(|s| s.audit.as_ref()).chain(line.dropped.iter()).map(guard_note).collect();
        Ok(director::Written { text: line.text, source, guard: notes })
    }

    /// The whole line for a brief: guarded sentences joined.
    pub async fn write(&self, brief: &Brief) -> Result<String, WriterError> {
        self.write_line(self.task_for(brief)).await.map(|line| line.text)
    }

    /// The task for a brief: answers go to the model with the comment quoted as data; the rest as pitches.
    pub fn task_for(&self, brief: &Brief) -> WriteTask {
        match (brief.kind, &brief.comment) {
            // An answer goes to the model with the comment quoted as data; hand-offs keep their fixed wording.
            (LineKind::Answer(intent), Some(comment)) if matches!(self, Writer::Llm(_)) => {
                WriteTask::Answer(AnswerBrief {
                    turn: brief.turn,
                    comment: comment.clone(),
                    intent,
                    product: brief.product.clone(),
                    lang: brief.lang,
                })
            }
            _ => WriteTask::Pitch(brief.clone()),
        }
    }

    /// A whole turn with its audit records. Fails only when not one sentence could be said.
    pub async fn write_line(&self, task: WriteTask) -> Result<WrittenLine, WriterError> {
        let lang = task.lang();
        let mut stream = self.stream(task);
        let mut line =
            WrittenLine { text: String::new(), sentences: Vec::new(), dropped: Vec::new(), late_error: None };
        while let Some(item) = stream.next().await {
            match item {
                Ok(WriterEvent::Say(sentence)) => line.sentences.push(sentence),
                Ok(WriterEvent::Dropped(audit)) => line.dropped.push(audit),
                Err(e) if line.sentences.is_empty() => return Err(e),
                Err(WriterError::Llm(e)) => line.late_error = Some(e),
                Err(e) => return Err(e),
            }
        }
        let separator = if lang == Lang::Zh { "" } else { " " };
        line.text = line.sentences.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join(separator);
        if line.text.is_empty() {
            return Err(WriterError::NothingToSay("this turn".into()));
        }
        Ok(line)
    }

    /// The turn's sentences as they clear the guard, for speaking each one as soon as it is ready. Must be called
    /// inside a tokio runtime (the LLM writer spawns the turn).
    pub fn stream(&self, task: WriteTask) -> SentenceStream {
        match self {
            Writer::Templates => SentenceStream::ready(match &task {
                WriteTask::Pitch(brief) => template_turn(brief),
                WriteTask::Answer(answer) => template_answer(answer),
            }),
            Writer::Llm(llm) => {
                let (tx, rx) = mpsc::channel(16);
                let task = tokio::spawn(llm.clone().run(task, tx));
                SentenceStream { rx, task: Some(task) }
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Writer::Templates => "templates",
            Writer::Llm(_) => "llm",
        }
    }
}

/// The template writer's answer to a comment. It has no history across turns, so it rotates by turn id.
fn template_answer(answer: &AnswerBrief) -> Vec<Result<WriterEvent, WriterError>> {
    let product = answer.product.as_ref();
    let ledger = product.map(|p| ClaimsLedger::for_product(p, answer.lang, answer.comment.time));
    let mut history = LineHistory::with_capacity(1);
    let lines = templates::answer_templates(answer.intent, answer.lang);
    let time = answer.comment.time;
    match templates::pick_line(lines, product, ledger.as_ref(), answer.lang, answer.turn.0 as u32, time, &mut history) {
        Some(text) => {
            vec![Ok(WriterEvent::Say(GuardedSentence { text, source: SentenceSource::Template, audit: None }))]
        }
        None => vec![Err(WriterError::NothingToSay(format!("a {:?} comment", answer.intent)))],
    }
}

/// A guard audit as the audit log and the console keep it.
pub fn guard_note(audit: &GuardAudit) -> model::GuardNote {
    model::GuardNote {
        rule: audit.rule,
        action: match audit.action {
            GuardAction::Repaired => model::GuardAction::Repaired,
            GuardAction::ReplacedByTemplate => model::GuardAction::Replaced,
            GuardAction::Dropped => model::GuardAction::Dropped,
        },
        original: audit.original.clone(),
    }
}

#[cfg(test)]
#[path = "llm/writer_tests.rs"]
mod tests;
