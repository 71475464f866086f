//! The show as a sans-IO state machine: products and results go in, writing, speaking and stage work come out.
//!
//! The driver calls [`Show::handle_input`] for every input, [`Show::handle_timeout`] when the time from
//! [`Show::poll_timeout`] arrives, and carries out everything [`Show::poll_output`] returns. One line is on air
//! at a time while the next one is prepared (written, then voiced), so there is no gap between lines beyond the
//! natural pause. When anything upstream fails or stalls, the show falls back down the ladder: writer, then a
//! template line, then a holding line, so silence on air never exceeds the configured limit.

use crate::air::{self, Cleared, Gate};
pub use crate::brief::Brief;
use crate::guard::{self, GuardVerdict};
use crate::ledger::ClaimsLedger;
use crate::prompt::{self, AnswerBrief, ChatMessage, Persona};
use crate::queue::{ProductQueue, is_eligible};
use crate::templates::LineHistory;
use crate::triage::{Picker, PickerConfig, Triage, TriageConfig};
use crate::{chunker, offer, templates, timing};
use model::{
    AiredLine, AudioClip, Comment, CommentId, ConsoleEvent, Expression, Facet, Gesture, GuardNote, GuardRule, Intent,
    Lang, LineId, LineKind, LineSource, ModerationMode, Money, OfferWindow, Product, ProductId, ReplyOutcome, ShowTime,
    StageCommand, StageEvent, TurnId, UnixMs, VisemeKey,
};
use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The director's knobs, validated by the caller.
#[derive(Clone, Debug, PartialEq)]
pub struct ShowConfig {
    /// The language the host speaks and captions in.
    pub lang: Lang,
    /// How often the host says out loud that it is an AI (the on-screen label is permanent).
    pub disclosure_every_ms: u64,
    /// The natural pause between two lines.
    pub gap_ms: u64,
    /// How long the writer may take before the director uses a template line instead.
    pub writer_timeout_ms: u64,
    /// How long the voice may take before the line goes on air as a silent captioned line.
    pub voice_timeout_ms: u64,
    /// Silence after which a holding line goes on air, whatever else is late. Must stay under 3 s.
    pub hold_after_ms: u64,
    /// A viewer question older than this is dropped unanswered (the moment has passed); the console is told.
    pub max_question_age_ms: u64,
    /// A reply waiting for a moderator's approval expires after this long.
    pub approval_timeout_ms: u64,
    /// How replies to each kind of comment reach the air; intents not listed are answered automatically.
    pub moderation: Vec<(Intent, ModerationMode)>,
    /// Who the host is, for the LLM's instructions (the gate compares what the model says with them).
    pub persona: Persona,
}

impl Default for ShowConfig {
    fn default() -> ShowConfig {
        ShowConfig {
            lang: Lang::En,
            disclosure_every_ms: 10 * 60 * 1000,
            gap_ms: 400,
            writer_timeout_ms: 1500,
            voice_timeout_ms: 1500,
            hold_after_ms: 2500,
            max_question_age_ms: 5 * 60 * 1000,
            approval_timeout_ms: 3 * 60 * 1000,
            moderation: Vec::new(),
            persona: Persona::default(),
        }
    }
}

/// Where a stopped show was, as its audit log records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumePoint {
    pub pitching: Option<(ProductId, Facet)>,
    pub last_disclosure: Option<UnixMs>,
}

/// Sizes of the show's queues and memories (see [`Show::footprint`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub queued_questions: usize,
    pub pending_replies: usize,
    pub approved_lines: usize,
    pub handoffs: usize,
    pub history: usize,
    pub outputs: usize,
    pub flash_sales: usize,
}

/// Everything that can happen to the show.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A validated product queue replaced the previous one.
    ProductsLoaded(Vec<Product>),
    WriterDone {
        turn: TurnId,
        text: String,
        /// Who wrote it: the LLM or the templates. The words are raw: the show's gate checks them.
        source: LineSource,
    },
    /// One sentence of a turn the writer is still writing (streaming writers). The first goes on air as soon as
    /// it is voiced; the rest follow as lines of the same turn. Streaming writers end the turn with `WriterDone`
    /// carrying the whole text, which the director uses only when it did not stream the turn (a reply that waits
    /// for a moderator's approval is shown whole).
    WriterSentence {
        turn: TurnId,
        text: String,
        source: LineSource,
    },
    WriterFailed {
        turn: TurnId,
        reason: String,
    },
    VoiceReady {
        line: LineId,
        duration_ms: u32,
        visemes: Vec<VisemeKey>,
        /// The speech itself, when the voice engine makes audio (the silent voice does not).
        audio: Option<AudioClip>,
    },
    VoiceFailed {
        line: LineId,
        reason: String,
    },
    Stage(StageEvent),
    /// A live stock update (from the console or a shop webhook); `None` means unknown.
    StockChanged {
        product: ProductId,
        stock: Option<u32>,
    },
    /// A live price update, already validated and confirmed by a moderator.
    PriceChanged {
        product: ProductId,
        price: Money,
        compare_at: Option<Money>,
    },
    /// Hold the host on this product from the next line on.
    PinProduct(ProductId),
    UnpinProduct,
    /// Move on to the next (or back to the previous) product at the next line.
    SkipProduct {
        forward: bool,
    },
    /// A viewer comment from any chat source.
    Comment(Comment),
    /// A moderator or the platform deleted this comment: it is never answered.
    DeleteComment(CommentId),
    /// A viewer was banned or timed out: their queued comments vanish.
    BanViewer {
        user_id: String,
    },
    /// A moderator hands the show to a human host: the line on air finishes, then the AI host stays quiet.
    HandOverToHuman,
    /// The human hands back: the AI host picks up the pitch where it left it.
    TakeBack,
    /// A moderator approves the pending reply `line` as written.
    ApproveReply {
        line: LineId,
    },
    /// A moderator approves the pending reply `line` with new words (checked by the guard like any line).
    EditReply {
        line: LineId,
        text: String,
    },
    /// A moderator rejects the pending reply `line`; it is never said.
    RejectReply {
        line: LineId,
    },
    /// A moderator's words go on air next, before anything else (after the line on air finishes its sentence).
    SayNow {
        text: String,
        lang: Option<Lang>,
    },
    /// Stop the line on air at once.
    AbortLine,
    /// Throw away the line being prepared; the host prepares a fresh one.
    CancelNext,
    /// How replies to comments with this intent reach the air.
    SetModeration {
        intent: Intent,
        mode: ModerationMode,
    },
    /// A flash sale: `product` sells at `price` until `ends_at` (validated and confirmed by a moderator).
    StartFlashSale {
        product: ProductId,
        price: Money,
        ends_at: UnixMs,
    },
    /// End the flash sale on `product` now; its regular price is back.
    StopFlashSale {
        product: ProductId,
    },
    /// A chat source, the LLM, the voice or OBS changed health (passed to the console, and the director keeps
    /// quiet about it on air).
    SourceHealth {
        source: String,
        healthy: bool,
        detail: String,
    },
}

/// Work for the driver.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Ask the writer for a line; answer with `WriterDone` or `WriterFailed` carrying the same turn (streaming
    /// writers send `WriterSentence`s first).
    Write(Box<Brief>),
    /// The director no longer wants this turn (the show moved on): stop writing it. Late results are dropped
    /// anyway; this only saves the work.
    CancelWrite {
        turn: TurnId,
    },
    /// Synthesise a line; answer with `VoiceReady` or `VoiceFailed` carrying the same line. The words passed the
    /// gate: [`Cleared`] cannot be made anywhere else.
    Speak {
        line: LineId,
        text: Cleared,
        lang: Lang,
    },
    Stage(StageCommand),
    Console(ConsoleEvent),
}

/// The line being prepared while another is on air.
#[derive(Clone, Debug)]
struct NextLine {
    kind: LineKind,
    /// A copy, so a reload that reorders the queue cannot change what this line is about.
    product: Option<Product>,
    lang: Lang,
    variant: u32,
    /// The comment being answered, shown on screen while the answer plays.
    comment: Option<Comment>,
    asked_by: usize,
    /// Approved by a moderator or written by one: it airs without waiting for approval again.
    moderated: bool,
    /// The instructions the writer was given for this line (see [`Brief::prompt`]).
    prompt: Vec<ChatMessage>,
    /// A template line already stood in for refused words in this turn: the next refusal is only dropped.
    substituted: bool,
    /// What the gate refused on the way to this line, carried to the line that airs (for the audit log).
    refused: Vec<GuardNote>,
    step: Step,
}

#[derive(Clone, Debug)]
enum Step {
    Writing {
        turn: TurnId,
        deadline: ShowTime,
    },
    Voicing {
        line: LineId,
        text: Cleared,
        source: LineSource,
        note: Option<String>,
        guard: Vec<GuardNote>,
        deadline: ShowTime,
    },
    Ready(ReadyLine),
}

#[derive(Clone, Debug)]
struct ReadyLine {
    line: LineId,
    text: Cleared,
    source: LineSource,
    note: Option<String>,
    guard: Vec<GuardNote>,
    duration_ms: u32,
    visemes: Vec<VisemeKey>,
    audio: Option<AudioClip>,
}

#[derive(Clone, Debug)]
struct OnAir {
    line: LineId,
    ends_at: ShowTime,
    /// The product the line is about: while it airs, the offer card shows this product and no other.
    product: Option<ProductId>,
}

/// A written reply waiting for a moderator (approve-first mode), or approved and waiting for its turn.
#[derive(Clone, Debug)]
struct HeldReply {
    line: LineId,
    kind: LineKind,
    product: Option<Product>,
    lang: Lang,
    text: String,
    source: LineSource,
    note: Option<String>,
    guard: Vec<GuardNote>,
    comment: Option<Comment>,
    asked_by: usize,
    since: ShowTime,
}

/// A product's own price and window, kept while a flash sale overrides them.
#[derive(Clone, Debug)]
struct FlashSale {
    regular_price: Money,
    regular_compare_at: Option<Money>,
    regular_offer: Option<OfferWindow>,
    ends_at: UnixMs,
}

/// The director's state for one show.
pub struct Show {
    config: ShowConfig,
    queue: ProductQueue,
    /// Wall-clock time at show time zero, for offer windows (which are written as dates).
    wall_at_start: UnixMs,
    /// The latest `now` seen, so boundaries already handled are not polled again.
    last_now: ShowTime,
    next: Option<NextLine>,
    on_air: Option<OnAir>,
    /// When the last line ended (or the show started): silence is measured from here.
    quiet_since: ShowTime,
    /// When the host last said it is an AI, on the wall clock (so a restarted show knows too).
    last_disclosure: Option<UnixMs>,
    /// The first line goes on air as soon as it is ready; after that, lines keep the natural gap.
    aired_any: bool,
    pinned: Option<ProductId>,
    next_turn: u64,
    next_line: u64,
    variant: u32,
    outputs: VecDeque<Output>,
    triage: Triage,
    picker: Picker,
    /// Comments that need a human, waiting for their one hand-off line (bounded).
    handoffs: VecDeque<(Comment, Intent)>,
    /// Answers said since the last pitch line: pitching resumes after [`MAX_ANSWERS_IN_A_ROW`], so a busy chat
    /// never stops the show from selling, and questions never wait behind a whole pitch.
    answers_in_a_row: u32,
    showing_comment: bool,
    /// The standby card is up (nothing may be pitched).
    standby: bool,
    /// A human host has the show: the AI says nothing until it is handed back.
    human_live: bool,
    /// The most stock each product has had since it was loaded: the stock bar's full length.
    stock_start: HashMap<ProductId, u32>,
    moderation: HashMap<Intent, ModerationMode>,
    /// Replies waiting for a moderator's decision, oldest first (bounded).
    pending: VecDeque<HeldReply>,
    /// Replies approved (or written) by moderators, waiting for their turn: they go before anything else.
    approved: VecDeque<HeldReply>,
    flash_sales: HashMap<ProductId, FlashSale>,
    /// What was said, per product, so no identical line repeats within 30 minutes.
    history: LineHistory,
    /// The face the host is wearing, so the stage is told only about changes.
    expression: Expression,
    /// A turn whose first sentence is on its way to the air while the writer streams the rest.
    streaming: Option<Streaming>,
    /// Facets skipped in a row because every phrasing was said within 30 minutes.
    exhausted_in_a_row: u32,
    /// A line of the host's own that was being prepared when moderators' words went first: it is planned again
    /// once they are said, so the segment resumes with the facet it was about to say (the queue's cursor had
    /// already moved past it), and a picked question is still answered.
    resume: Option<Resume>,
}

/// A line to plan again (see [`Show::resume`]).
#[derive(Clone, Debug)]
struct Resume {
    kind: LineKind,
    product: Option<ProductId>,
    lang: Lang,
    comment: Option<Comment>,
    asked_by: usize,
}

/// Why a moderator's words were refused (see [`ConsoleEvent::ModeratorLineRefused`]).
#[derive(Clone, Debug)]
struct Refusal {
    sentence: String,
    rule: Option<GuardRule>,
    reason: String,
    product: Option<ProductId>,
    repaired: Option<String>,
}

impl Refusal {
    /// A refusal of the text as a whole (empty, too long, too many waiting).
    fn whole(text: &str, reason: &str) -> Refusal {
        Refusal { sentence: text.to_string(), rule: None, reason: reason.to_string(), product: None, repaired: None }
    }
}

/// The rest of a streamed turn: its sentences follow the first as lines of their own, in order.
#[derive(Clone, Debug)]
struct Streaming {
    turn: TurnId,
    /// The turn's line as planned (kind, product, comment), for the follow-up lines.
    context: NextLine,
    sentences: VecDeque<(String, LineSource)>,
    done: bool,
    /// If the writer stalls, the turn ends here with what was said.
    deadline: ShowTime,
}

/// At most this many replies wait for approval; the oldest expires when another arrives.
const MAX_PENDING_REPLIES: usize = 16;
/// At most this many moderator lines wait for their turn.
const MAX_APPROVED: usize = 16;

/// At most this many facets in a row are skipped for having no unsaid phrasing left.
const MAX_EXHAUSTED_IN_A_ROW: u32 = 4;

/// At most this many answers before one pitch line.
pub const MAX_ANSWERS_IN_A_ROW: u32 = 2;
/// At most this many comments wait for a hand-off line; beyond that the moderators' queue still has them.
const MAX_PENDING_HANDOFFS: usize = 8;

impl Show {
    /// A show whose time zero is `now`, when the wall clock reads `wall`.
    pub fn new(config: ShowConfig, now: ShowTime, wall: UnixMs) -> Show {
        Show {
            queue: ProductQueue::default(),
            wall_at_start: UnixMs(wall.0 - now.ms() as i64),
            last_now: now,
            next: None,
            on_air: None,
            quiet_since: now,
            last_disclosure: None,
            aired_any: false,
            pinned: None,
            next_turn: 1,
            next_line: 1,
            variant: 0,
            outputs: VecDeque::new(),
            triage: Triage::new(TriageConfig::default()),
            picker: Picker::new(PickerConfig {
                max_wait_ms: config.max_question_age_ms.min(i64::MAX as u64) as i64,
                ..PickerConfig::default()
            }),
            handoffs: VecDeque::new(),
            answers_in_a_row: 0,
            showing_comment: false,
            standby: false,
            human_live: false,
            stock_start: HashMap::new(),
            moderation: config.moderation.iter().copied().collect(),
            pending: VecDeque::new(),
            approved: VecDeque::new(),
            flash_sales: HashMap::new(),
            history: LineHistory::default(),
            expression: Expression::Neutral,
            streaming: None,
            exhausted_in_a_row: 0,
            resume: None,
            config,
        }
    }

    /// Picks up where a show that stopped (a crash, a restart) left off: the product and facet it was pitching,
    /// and when it last disclosed being an AI. Call before the products are loaded.
    pub fn resume(&mut self, point: ResumePoint) {
        if let Some((product, facet)) = point.pitching {
            self.queue.resume_at(product, facet);
        }
        self.last_disclosure = point.last_disclosure;
    }

    pub fn config(&self) -> &ShowConfig {
        &self.config
    }

    /// The products the show is working through.
    pub fn queue(&self) -> &[Product] {
        self.queue.products()
    }

    /// How much the show is holding, for soak tests and metrics: every collection here is bounded.
    pub fn footprint(&self) -> Footprint {
        Footprint {
            queued_questions: self.picker.len(),
            pending_replies: self.pending.len(),
            approved_lines: self.approved.len(),
            handoffs: self.handoffs.len(),
            history: self.history.len(),
            outputs: self.outputs.len(),
            flash_sales: self.flash_sales.len(),
        }
    }

    /// The wall clock at show time `now`.
    pub fn wall(&self, now: ShowTime) -> UnixMs {
        UnixMs(self.wall_at_start.0 + now.ms() as i64)
    }

    fn show_time_of(&self, wall: UnixMs) -> ShowTime {
        ShowTime((wall.0 - self.wall_at_start.0).max(0) as u64)
    }

    /// Takes one input. Never panics: should anything in the director panic on the way (a bug that some input
    /// reaches), the line being prepared is dropped, the console is told with the input that caused it, and the
    /// show goes on (a holding line fills the gap if nothing else can).
    pub fn handle_input(&mut self, now: ShowTime, input: Input) {
        let what = summary(&input);
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.take_input(now, input))) {
            self.recover(now, what, &*panic);
        }
    }

    /// Moves the show on at `now` (see [`Show::poll_timeout`]). Never panics, like [`Show::handle_input`].
    pub fn handle_timeout(&mut self, now: ShowTime) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.take_timeout(now))) {
            self.recover(now, "a timer".into(), &*panic);
        }
    }

    /// After a panic: forget the line being prepared (its state may be half-changed; its late results are
    /// dropped as stale), tell the console, and step on; if stepping panics too, air a holding line so the show is
    /// never silent.
    fn recover(&mut self, now: ShowTime, what: String, panic: &(dyn Any + Send)) {
        let reason = panic_text(panic);
        self.streaming = None;
        self.next = None;
        self.outputs.push_back(Output::Console(ConsoleEvent::TurnFailed { what, reason }));
        if catch_unwind(AssertUnwindSafe(|| self.step(now))).is_err() {
            self.streaming = None;
            self.next = None;
            if self.on_air.is_none() && !self.human_live {
                let _ = catch_unwind(AssertUnwindSafe(|| self.air_holding_line(now)));
            }
        }
    }

    fn take_input(&mut self, now: ShowTime, input: Input) {
        self.last_now = self.last_now.max(now);
        match input {
            Input::ApproveReply { line } => self.approve(now, line, None),
            Input::EditReply { line, text } => self.approve(now, line, Some(text)),
            Input::RejectReply { line } => {
                if let Some(i) = self.pending.iter().position(|p| p.line == line) {
                    self.pending.remove(i);
                    self.resolved(line, ReplyOutcome::Rejected);
                } else {
                    self.moderator_note(format!("reject {line}: no such reply is waiting (it may have expired)"));
                }
            }
            Input::SayNow { text, lang } => self.say_now(now, text, lang),
            Input::AbortLine => {
                if let Some(on_air) = self.on_air.take() {
                    self.outputs.push_back(Output::Stage(StageCommand::StopLine { line: on_air.line }));
                    self.quiet_since = now;
                    self.moderator_note(format!("aborted {}", on_air.line));
                }
            }
            Input::CancelNext => {
                if let Some(next) = self.discard_next() {
                    // An approved or moderator line is the moderators' own decision: cancelling it drops it too.
                    self.moderator_note(format!("cancelled the prepared {}", kind_name(next.kind)));
                }
            }
            Input::SetModeration { intent, mode } => {
                self.moderation.insert(intent, mode);
                self.moderator_note(format!("{intent:?} replies: {}", mode.as_str()));
            }
            Input::StartFlashSale { product, price, ends_at } => self.start_flash_sale(now, product, price, ends_at),
            Input::StopFlashSale { product } => {
                if self.end_flash_sale(now, &product) {
                    self.moderator_note(format!("flash sale on {} stopped", product.0));
                }
            }
            Input::SourceHealth { source, healthy, detail } => {
                self.outputs.push_back(Output::Console(ConsoleEvent::SourceHealth { source, healthy, detail }));
            }
            Input::ProductsLoaded(products) => self.load_products(now, products),
            Input::WriterDone { turn, text, source } => {
                if let Some(streaming) = self.streaming.as_mut().filter(|s| s.turn == turn) {
                    // Every sentence already came as a `WriterSentence`; this only ends the turn.
                    let _ = (text, source);
                    streaming.done = true;
                    return self.step(now);
                }
                if self.writing_turn() != Some(turn) {
                    return self.drop_stale(format!("writer result for {turn}"));
                }
                let text = text.trim().to_string();
                let product = self.next.as_ref().and_then(|n| n.product.as_ref()).map(|p| p.id.clone());
                if text.is_empty() {
                    self.fall_back_to_template(now, "the writer returned an empty line".into());
                } else if self.history.said_recently(product.as_ref(), &text, self.wall(now)) {
                    self.fall_back_to_template(now, "the writer repeated a line said within 30 minutes".into());
                } else if self.next.as_ref().is_some_and(|n| self.needs_approval(n)) {
                    self.hold_for_approval(now, text, source, None);
                } else {
                    self.voice(now, text, source, None);
                }
            }
            Input::WriterSentence { turn, text, source } => self.take_sentence(now, turn, text, source),
            Input::WriterFailed { turn, reason } => {
                if let Some(streaming) = self.streaming.as_mut().filter(|s| s.turn == turn) {
                    // Sentences already out stand; the turn ends with them.
                    streaming.done = true;
                    return self.step(now);
                }
                if self.writing_turn() != Some(turn) {
                    return self.drop_stale(format!("writer failure for {turn}"));
                }
                self.fall_back_to_template(now, format!("the writer failed: {reason}"));
            }
            Input::VoiceReady { line, duration_ms, visemes, audio } => {
                if self.voicing_line() != Some(line) {
                    return self.drop_stale(format!("voice for {line}"));
                }
                self.make_ready(Some((duration_ms, visemes, audio)), None);
            }
            Input::VoiceFailed { line, reason } => {
                if self.voicing_line() != Some(line) {
                    return self.drop_stale(format!("voice failure for {line}"));
                }
                self.make_ready(None, Some(format!("the voice failed, captions only: {reason}")));
            }
            // The director's own timer decides when a line ends, so a slow or absent stage cannot stall the show.
            Input::Stage(StageEvent::LineStarted { .. } | StageEvent::LineFinished { .. }) => {}
            Input::StockChanged { product, stock } => {
                if let Some(n) = stock {
                    let start = self.stock_start.entry(product.clone()).or_insert(n);
                    *start = (*start).max(n);
                }
                if self.queue.set_stock(&product, stock).is_some() {
                    self.refresh_card(now, &product);
                }
            }
            Input::PriceChanged { product, price, compare_at } => {
                if self.queue.set_price(&product, price, compare_at).is_some() {
                    self.refresh_card(now, &product);
                }
            }
            Input::PinProduct(product) => {
                if self.queue.pin(&product) {
                    self.forget_resumed_pitch();
                    self.drop_prepared_pitch();
                }
            }
            Input::UnpinProduct => self.queue.unpin(),
            Input::SkipProduct { forward } => {
                self.forget_resumed_pitch();
                let wall = self.wall(now);
                self.queue.skip(forward, wall);
                self.drop_prepared_pitch();
            }
            Input::Comment(comment) => self.take_comment(now, comment),
            Input::DeleteComment(id) => {
                if self.resume.as_ref().and_then(|r| r.comment.as_ref()).is_some_and(|c| c.id == id) {
                    self.resume = None;
                }
                self.picker.remove_comment(&id);
                self.handoffs.retain(|(c, _)| c.id != id);
            }
            Input::BanViewer { user_id } => {
                if self.resume.as_ref().and_then(|r| r.comment.as_ref()).is_some_and(|c| c.user_id == user_id) {
                    self.resume = None;
                }
                self.picker.remove_viewer(&user_id);
                self.handoffs.retain(|(c, _)| c.user_id != user_id);
            }
            Input::HandOverToHuman => {
                if !self.human_live {
                    self.human_live = true;
                    // Whatever was prepared is dropped; its late results are stale.
                    self.discard_next();
                    self.outputs.push_back(Output::Stage(StageCommand::HumanHost { on: true }));
                }
            }
            Input::TakeBack => {
                if self.human_live {
                    self.human_live = false;
                    self.quiet_since = now;
                    self.outputs.push_back(Output::Stage(StageCommand::HumanHost { on: false }));
                }
            }
        }
        self.step(now);
    }

    fn take_timeout(&mut self, now: ShowTime) {
        self.last_now = self.last_now.max(now);
        let late = |deadline: ShowTime| deadline <= now;
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Writing { deadline, .. }) if late(*deadline) => {
                self.fall_back_to_template(now, "the writer took too long".into());
            }
            Some(Step::Voicing { deadline, .. }) if late(*deadline) => {
                self.make_ready(None, Some("the voice took too long, captions only".into()));
            }
            _ => {}
        }
        self.step(now);
    }

    /// The next moment the show needs [`Show::handle_timeout`], if any.
    pub fn poll_timeout(&self) -> Option<ShowTime> {
        let mut earliest: Option<ShowTime> = None;
        let mut consider = |t: ShowTime| earliest = Some(earliest.map_or(t, |e| e.min(t)));
        if let Some(on_air) = &self.on_air {
            consider(on_air.ends_at);
        }
        // Offer windows still open and close while a human hosts, so the card follows them.
        if let Some(boundary) = self.queue.next_boundary(self.wall(self.last_now)) {
            consider(self.show_time_of(boundary));
        }
        if let Some(held) = self.pending.front() {
            consider(held.since.plus_ms(self.config.approval_timeout_ms));
        }
        if let Some(end) = self.flash_sales.values().map(|f| f.ends_at).min() {
            consider(self.show_time_of(end));
        }
        if let Some(expiry) = self.picker.next_expiry() {
            consider(self.show_time_of(expiry));
        }
        if self.human_live {
            // Nothing else is due: the AI neither prepares nor fills silence until it is handed back.
            return earliest;
        }
        if let Some(streaming) = self.streaming.as_ref().filter(|s| !s.done && s.sentences.is_empty()) {
            consider(streaming.deadline);
        }
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Writing { deadline, .. } | Step::Voicing { deadline, .. }) => consider(*deadline),
            Some(Step::Ready(_)) if self.on_air.is_none() => consider(self.quiet_since.plus_ms(self.config.gap_ms)),
            _ => {}
        }
        if self.on_air.is_none() && !self.queue.is_empty() {
            consider(self.quiet_since.plus_ms(self.config.hold_after_ms));
        }
        earliest
    }

    pub fn poll_output(&mut self) -> Option<Output> {
        self.outputs.pop_front()
    }

    fn load_products(&mut self, now: ShowTime, products: Vec<Product>) {
        let wall = self.wall(now);
        let card_before = self.pinned.as_ref().and_then(|id| self.queue.get(id)).cloned();
        for p in &products {
            if let Some(n) = p.stock {
                let start = self.stock_start.entry(p.id.clone()).or_insert(n);
                *start = (*start).max(n);
            }
        }
        self.queue.replace(products, wall);
        // The card goes up at once, so viewers see the offer even while the host greets them; a reload that changed
        // the pinned product's data (price, stock, picture) shows the new data.
        self.pin_card(now);
        if let Some(before) = card_before
            && self.pinned.as_ref() == Some(&before.id)
            && let Some(after) = self.queue.get(&before.id).filter(|after| **after != before).cloned()
        {
            self.show_card(now, &after);
        }
        if self.on_air.is_none() && self.next.is_none() {
            self.quiet_since = now;
        }
    }

    fn show_card(&mut self, now: ShowTime, product: &Product) {
        if self.standby {
            self.outputs.push_back(Output::Stage(StageCommand::Standby { on: false }));
            self.standby = false;
        }
        let start = self.stock_start.get(&product.id).copied();
        let card = offer::offer_card(product, self.config.lang, self.wall(now), start);
        self.outputs.push_back(Output::Stage(StageCommand::PinOffer(card)));
        self.pinned = Some(product.id.clone());
    }

    /// Puts up the card that belongs on screen, unless it is already showing: the product of the line on air
    /// (what is on screen is what is said); between lines, the card already up while it may still be sold,
    /// else the queue's current product or the first eligible one. Takes the card down when the line on air is
    /// about a product that may no longer be sold, or nothing may be pitched.
    fn pin_card(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        let eligible = |id: &ProductId| self.queue.get(id).filter(|p| is_eligible(p, wall)).cloned();
        let wanted = match self.on_air.as_ref().and_then(|a| a.product.as_ref()) {
            Some(speaking) => eligible(speaking),
            None => self.pinned.as_ref().and_then(eligible).or_else(|| {
                let products = self.queue.products();
                self.queue
                    .current()
                    .filter(|p| is_eligible(p, wall))
                    .or_else(|| products.iter().find(|p| is_eligible(p, wall)))
                    .cloned()
            }),
        };
        let any_eligible = self.queue.products().iter().any(|p| is_eligible(p, wall));
        match wanted {
            Some(product) if self.pinned.as_ref() != Some(&product.id) => self.show_card(now, &product),
            Some(_) => {}
            None => {
                if self.pinned.take().is_some() {
                    self.outputs.push_back(Output::Stage(StageCommand::UnpinOffer));
                }
                if !self.standby && !self.queue.is_empty() && !any_eligible {
                    self.outputs.push_back(Output::Stage(StageCommand::Standby { on: true }));
                    self.standby = true;
                }
            }
        }
    }

    /// A product's data changed live: the card shows the new data at once, and a line already prepared about the
    /// product (which may state the old price or stock) is dropped and written again.
    fn refresh_card(&mut self, now: ShowTime, id: &ProductId) {
        if self.pinned.as_ref() == Some(id) {
            let wall = self.wall(now);
            match self.queue.get(id).filter(|p| is_eligible(p, wall)).cloned() {
                Some(product) => self.show_card(now, &product),
                None => self.pin_card(now),
            }
        }
        if self.next.as_ref().and_then(|n| n.product.as_ref()).is_some_and(|p| &p.id == id) {
            self.drop_prepared_pitch();
        }
    }

    /// Forgets a prepared pitch line (its product changed, or the moderator moved the show on); the next step
    /// plans a fresh one. Results for it that arrive later are dropped as stale.
    fn drop_prepared_pitch(&mut self) {
        if self.next.as_ref().is_some_and(|n| n.product.is_some()) {
            self.discard_next();
        }
    }

    /// Moves the show forward as far as it can at `now`: ends the line on air, airs the next one, and starts
    /// preparing the one after.
    fn step(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        self.expire(now, wall);
        if self.pinned.as_ref().is_some_and(|id| self.queue.get(id).is_none_or(|p| !is_eligible(p, wall))) {
            // The offer on the card closed or sold out: never leave an expired price on screen.
            self.pin_card(now);
        }
        let stale =
            self.next.as_ref().and_then(|n| n.product.as_ref()).is_some_and(|p| {
                self.queue.get(&p.id).is_none_or(|current| current != p || !is_eligible(current, wall))
            });
        if stale {
            // The prepared line is about a product that changed, closed or left the queue.
            if let Some(next) = self.discard_next()
                && next.moderated
            {
                self.moderator_note(format!(
                    "a moderator's {} was dropped: its product changed before it aired; send it again if it still holds",
                    kind_name(next.kind)
                ));
            }
        }
        if let Some(on_air) = &self.on_air
            && on_air.ends_at <= now
        {
            self.quiet_since = on_air.ends_at;
            self.on_air = None;
        }
        if self.human_live {
            // The human host speaks; the AI keeps its state and says nothing, holding lines included.
            return;
        }
        if self.on_air.is_none() {
            let ready = matches!(self.next.as_ref().map(|n| &n.step), Some(Step::Ready(_)));
            if ready && (!self.aired_any || now >= self.quiet_since.plus_ms(self.config.gap_ms)) {
                self.air_next(now);
            } else if !ready && !self.queue.is_empty() && now >= self.quiet_since.plus_ms(self.config.hold_after_ms) {
                self.air_holding_line(now);
            }
        }
        if self.next.is_none() {
            self.plan_next(now);
        }
    }

    fn plan_next(&mut self, now: ShowTime) {
        while let Some(streaming) = self.streaming.as_mut() {
            let Some((text, source)) = streaming.sentences.pop_front() else { break };
            let mut next = streaming.context.clone();
            // Notes of sentences refused since the last one aired ride on this one.
            streaming.context.refused.clear();
            next.moderated = true;
            self.next = Some(next);
            self.voice(now, text, source, None);
            if self.next.is_some() {
                return;
            }
            // The gate dropped that sentence: the turn goes on with the next one.
        }
        if let Some(streaming) = self.streaming.as_mut() {
            if !streaming.done && now < streaming.deadline {
                // The rest of the turn is still being written: wait for it rather than start another subject.
                return;
            }
            let turn = streaming.turn;
            if !streaming.done {
                self.outputs.push_back(Output::CancelWrite { turn });
            }
            self.streaming = None;
        }
        if let Some(held) = self.approved.pop_front() {
            // A moderator's decision goes first: written already, it only needs a voice.
            self.next = Some(NextLine {
                kind: held.kind,
                product: held.product,
                lang: held.lang,
                variant: self.variant,
                comment: held.comment,
                asked_by: held.asked_by,
                moderated: true,
                prompt: Vec::new(),
                substituted: true,
                refused: held.guard,
                step: Step::Writing { turn: TurnId(0), deadline: now },
            });
            self.voice_as(now, held.line, held.text, held.source, held.note);
            return;
        }
        if self.queue.is_empty() {
            return;
        }
        let mut lang = self.config.lang;
        let wall_now = self.wall(now);
        let disclosure_due = self
            .last_disclosure
            .is_none_or(|last| wall_now.0.saturating_sub(last.0) >= self.config.disclosure_every_ms as i64);
        let wall = self.wall(now);
        let mut comment = None;
        let mut asked_by = 0;
        let resumed = self.resume.take().and_then(|r| self.resumable(r, wall));
        let (kind, product) = if let Some(resume) = resumed {
            // The line the moderators' words displaced, planned again as it was.
            lang = resume.lang;
            comment = resume.comment;
            asked_by = resume.asked_by;
            if matches!(resume.kind, LineKind::Pitch(_)) {
                self.answers_in_a_row = 0;
            }
            (resume.kind, resume.product.and_then(|id| self.queue.get(&id)).cloned())
        } else if disclosure_due {
            // Counted from when it is planned, so a slow writer cannot make it fire twice.
            self.last_disclosure = Some(wall_now);
            (LineKind::Disclosure, None)
        } else if let Some((c, intent)) = self.handoffs.pop_front() {
            // A viewer handed to a human is answered in their own language, like any other answer.
            lang = crate::prompt::reply_lang(&c.text, lang);
            comment = Some(c);
            asked_by = 1;
            (LineKind::Handoff(intent), self.queue.current().cloned())
        } else if let Some(picked) = self.pick_question(wall) {
            self.answers_in_a_row += 1;
            let about = picked.label.product.as_ref().and_then(|id| self.queue.get(id));
            let product = about.or_else(|| self.queue.current()).cloned();
            asked_by = picked.asked_by;
            // Answer in the viewer's language when triage could tell it.
            lang = picked.label.lang.unwrap_or(lang);
            let intent = picked.label.intent;
            comment = Some(picked.comment);
            (LineKind::Answer(intent), product)
        } else {
            self.answers_in_a_row = 0;
            match self.queue.next_pitch(now, wall, lang) {
                Some((product, facet)) => (LineKind::Pitch(facet), Some(product)),
                // Nothing may be pitched (all sold out or outside their windows): the holding line fills in.
                None => return,
            }
        };
        self.variant = self.variant.wrapping_add(1);
        let turn = TurnId(self.next_turn);
        self.next_turn += 1;
        let prompt = self.prompt_for(turn, kind, product.as_ref(), lang, comment.as_ref(), wall);
        let brief = Brief {
            turn,
            kind,
            product: product.clone(),
            lang,
            variant: self.variant,
            comment: comment.clone(),
            asked_by,
            prompt: prompt.clone(),
        };
        self.next = Some(NextLine {
            kind,
            product,
            lang,
            variant: self.variant,
            comment,
            asked_by,
            moderated: false,
            prompt,
            substituted: false,
            refused: Vec::new(),
            step: Step::Writing { turn, deadline: now.plus_ms(self.config.writer_timeout_ms) },
        });
        self.outputs.push_back(Output::Write(Box::new(brief)));
    }

    fn writing_turn(&self) -> Option<TurnId> {
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Writing { turn, .. }) => Some(*turn),
            _ => None,
        }
    }

    fn voicing_line(&self) -> Option<LineId> {
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Voicing { line, .. }) => Some(*line),
            _ => None,
        }
    }

    fn brief_for(next: &NextLine, turn: TurnId) -> Brief {
        Brief {
            turn,
            kind: next.kind,
            product: next.product.clone(),
            lang: next.lang,
            variant: next.variant,
            comment: next.comment.clone(),
            asked_by: next.asked_by,
            prompt: next.prompt.clone(),
        }
    }

    /// The LLM's instructions for a line: pitches and answers are written by the model; every other kind is said
    /// in fixed words.
    fn prompt_for(
        &self,
        turn: TurnId,
        kind: LineKind,
        product: Option<&Product>,
        lang: Lang,
        comment: Option<&Comment>,
        wall: UnixMs,
    ) -> Vec<ChatMessage> {
        let persona = &self.config.persona;
        let ledger = |p: &Product| ClaimsLedger::for_product(p, lang, wall);
        match (kind, product, comment) {
            (LineKind::Pitch(facet), Some(p), _) => prompt::pitch_messages(persona, &ledger(p), p, facet),
            (LineKind::Answer(intent), _, Some(c)) => {
                let ledger = product.map(ledger).unwrap_or_else(|| ClaimsLedger {
                    product: ProductId(String::new()),
                    lang,
                    now: wall,
                    facts: Vec::new(),
                });
                let brief = AnswerBrief { turn, comment: c.clone(), intent, product: product.cloned(), lang };
                prompt::answer_messages(persona, &ledger, &brief)
            }
            _ => Vec::new(),
        }
    }

    /// Triage labels the comment (the console sees every label); comments that need a human go to the
    /// moderators and get one hand-off line; the rest wait in the fair picker for an answer.
    fn take_comment(&mut self, now: ShowTime, comment: Comment) {
        let wall = self.wall(now);
        let assessment = self.triage.assess(&comment, wall, self.queue.products());
        let label = assessment.label.clone();
        self.outputs.push_back(Output::Console(ConsoleEvent::CommentTriaged {
            comment: comment.clone(),
            label: label.clone(),
        }));
        if label.flood {
            return;
        }
        if !matches!(label.intent, Intent::Spam | Intent::Abuse | Intent::InjectionAttempt) {
            self.outputs.push_back(Output::Stage(StageCommand::Ticker {
                user_name: comment.user_name.clone(),
                text: comment.text.clone(),
            }));
        }
        if self.mode(label.intent) == ModerationMode::HumanOnly {
            // The moderators answer this kind themselves; the host stays out of it.
            self.outputs.push_back(Output::Console(ConsoleEvent::Escalated { comment, intent: label.intent }));
            return;
        }
        match label.intent {
            Intent::ComplaintOrRefund | Intent::HealthOrSafety => {
                self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                    comment: comment.clone(),
                    intent: label.intent,
                }));
                let already = self.handoffs.iter().any(|(c, _)| c.user_id == comment.user_id);
                if !already && self.handoffs.len() < MAX_PENDING_HANDOFFS {
                    self.handoffs.push_back((comment, label.intent));
                }
            }
            _ => {
                if label.intent == Intent::AccessibilityNeed {
                    // Answered on air, and a moderator is told too: someone may need more than a line.
                    self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                        comment: comment.clone(),
                        intent: label.intent,
                    }));
                }
                self.picker.push(comment, &assessment, wall);
            }
        }
    }

    /// The next question to answer, unless enough answers were said since the last pitch line.
    fn pick_question(&mut self, wall: UnixMs) -> Option<crate::triage::PickedQuestion> {
        if self.answers_in_a_row >= MAX_ANSWERS_IN_A_ROW {
            return None;
        }
        self.picker.pick(wall)
    }

    fn fall_back_to_template(&mut self, now: ShowTime, why: String) {
        let Some(next) = self.next.clone() else {
            return;
        };
        let Some(turn) = self.writing_turn() else {
            return;
        };
        let wall = self.wall(now);
        let text = match templates::render_fresh(&Show::brief_for(&next, turn), &self.history, wall) {
            Some(text) => {
                self.exhausted_in_a_row = 0;
                text
            }
            // Every phrasing of this facet was said within 30 minutes: move on to the next facet rather than
            // repeat. A few in a row (a tiny catalog late in a long show) and a holding line fills in instead.
            None if matches!(next.kind, LineKind::Pitch(_)) && self.exhausted_in_a_row < MAX_EXHAUSTED_IN_A_ROW => {
                self.exhausted_in_a_row += 1;
                self.discard_next();
                return;
            }
            // A viewer's question is answered even if the words were said before: a repeat beats ignoring them.
            None if matches!(next.kind, LineKind::Answer(_) | LineKind::Handoff(_))
                && let Some(text) = templates::render(&Show::brief_for(&next, turn)) =>
            {
                text
            }
            None => {
                self.exhausted_in_a_row = 0;
                if let Some(next) = self.next.as_mut().filter(|n| matches!(n.kind, LineKind::Pitch(_))) {
                    // Not about the product any more: a holding line is the show's, not the product's.
                    next.kind = LineKind::Filler;
                    next.product = None;
                }
                templates::fresh_holding_line(next.lang, next.variant, &self.history, wall)
                    .unwrap_or_else(|| templates::holding_line(next.lang, next.variant))
            }
        };
        if self.needs_approval(&next) {
            self.hold_for_approval(now, text, LineSource::Template, Some(why));
        } else {
            self.voice(now, text, LineSource::Template, Some(why));
        }
    }

    fn voice(&mut self, now: ShowTime, text: String, source: LineSource, note: Option<String>) {
        let line = LineId(self.next_line);
        self.next_line += 1;
        self.voice_as(now, line, text, source, note);
    }

    /// The claims ledger for the line being prepared: its product's facts now, or none. Moderators' words may be
    /// about any product in the queue: their ledger holds every product, the line's own first.
    fn ledger_for(&self, now: ShowTime, next: &NextLine, source: LineSource) -> ClaimsLedger {
        let wall = self.wall(now);
        if source == LineSource::Moderator {
            return ClaimsLedger::for_queue(self.queue.products(), next.product.as_ref(), next.lang, wall);
        }
        match next.product.as_ref() {
            Some(p) => ClaimsLedger::for_product(p, next.lang, wall),
            None => ClaimsLedger { product: ProductId(String::new()), lang: next.lang, now: wall, facts: Vec::new() },
        }
    }

    /// Runs `text`, written by `source`, through the gate for the line being prepared.
    fn gate_text(&self, now: ShowTime, next: &NextLine, text: &str, source: LineSource) -> air::Gated {
        let ledger = self.ledger_for(now, next, source);
        let comment = next.comment.as_ref().map(|c| c.text.as_str());
        let gate = Gate::new(&ledger, next.lang, comment).with_instructions(&next.prompt, next.product.as_ref());
        match source {
            LineSource::Template => gate.keeping_written_facts().clear(text),
            _ => gate.clear(text),
        }
    }

    /// The one way to the voice: `text` passes the gate, or what the gate refused is replaced. The writer's refused
    /// words are replaced by a template line (once a turn); refused template words by a holding line; a refused
    /// moderator line is dropped and the moderator told. A later refusal in a turn that already had its template
    /// line is dropped. Every refusal is noted on the line that airs in its place.
    fn voice_as(&mut self, now: ShowTime, line: LineId, text: String, source: LineSource, note: Option<String>) {
        let Some(next) = self.next.as_ref() else {
            return;
        };
        let gated = self.gate_text(now, next, &text, source);
        // What the gate left may repeat a line said lately even when the writer's words did not (a sentence of a
        // longer phrasing was dropped): a repeat is refused like any other failure, except a moderator's, an
        // answer's and a holding line's (refusing the last resort would leave the host silent).
        let repeat = gated.cleared.as_ref().is_some_and(|c| {
            source != LineSource::Moderator
                // A viewer's answer beats silence even if said before, and so does the last-resort holding line.
                && !matches!(next.kind, LineKind::Answer(_) | LineKind::Handoff(_) | LineKind::Filler)
                && self.history.said_recently(next.product.as_ref().map(|p| &p.id), c.as_str(), self.wall(now))
        });
        let Some(next) = self.next.as_mut() else {
            return;
        };
        let lang = next.lang;
        match gated.cleared.filter(|_| !repeat) {
            Some(cleared) => {
                let mut guard = std::mem::take(&mut next.refused);
                guard.extend(gated.notes);
                next.step = Step::Voicing {
                    line,
                    text: cleared.clone(),
                    source,
                    note,
                    guard,
                    deadline: now.plus_ms(self.config.voice_timeout_ms),
                };
                self.outputs.push_back(Output::Speak { line, text: cleared, lang });
            }
            None => {
                next.refused.extend(gated.notes);
                self.replace_refused(now, line, &text, source);
            }
        }
    }

    /// Nothing of the words for the line being prepared passed the gate: see [`Show::voice_as`].
    fn replace_refused(&mut self, now: ShowTime, line: LineId, text: &str, source: LineSource) {
        let Some(next) = self.next.as_mut() else { return };
        let from_stream = next.moderated && self.streaming.is_some() && source != LineSource::Moderator;
        match source {
            LineSource::Moderator => {
                // Checked when it was sent, refused now: the product's data changed in between. Said as precisely.
                let action = if next.kind == LineKind::Moderator { "say_now" } else { "edit" };
                let first = next.refused.iter().find(|n| n.action != model::GuardAction::Repaired).cloned();
                let (own, lang) = (next.product.clone(), next.lang);
                self.next = None;
                let product = first.as_ref().and_then(|n| self.blame(now, &n.original, own.as_ref(), lang));
                if let Some(refused) = first {
                    self.outputs.push_back(Output::Console(ConsoleEvent::ModeratorLineRefused {
                        action: action.into(),
                        line: Some(line),
                        text: text.to_string(),
                        reason: format!(
                            "{line} was not said: \"{}\" breaks the rule {}",
                            refused.original.trim(),
                            refused.rule.name()
                        ),
                        sentence: refused.original,
                        rule: Some(refused.rule),
                        product,
                        repaired: None,
                    }));
                }
                self.moderator_note(format!("{line} was not said: the gate refused its words"));
            }
            LineSource::Llm if !next.substituted => {
                next.substituted = true;
                next.refused = air::replaced(std::mem::take(&mut next.refused));
                if let Some(streaming) = self.streaming.as_mut() {
                    streaming.context.substituted = true;
                }
                let next = next.clone();
                let wall = self.wall(now);
                let brief = Show::brief_for(&next, TurnId(0));
                let text = templates::render_fresh(&brief, &self.history, wall).or_else(|| templates::render(&brief));
                match text {
                    Some(text) => self.voice_as(
                        now,
                        line,
                        text,
                        LineSource::Template,
                        Some("the gate refused the writer's words; template line".into()),
                    ),
                    None => self.replace_with_holding_line(now, line),
                }
            }
            // A later sentence of a streamed turn: dropped; the turn goes on with its next sentence.
            LineSource::Llm if from_stream => {
                let refused = std::mem::take(&mut next.refused);
                if let Some(streaming) = self.streaming.as_mut() {
                    streaming.context.refused.extend(refused);
                }
                self.next = None;
            }
            LineSource::Llm | LineSource::Template => self.replace_with_holding_line(now, line),
        }
    }

    /// A holding line in place of refused words, about the show rather than the product.
    fn replace_with_holding_line(&mut self, now: ShowTime, line: LineId) {
        let wall = self.wall(now);
        let Some(next) = self.next.as_mut() else { return };
        if matches!(next.kind, LineKind::Filler) {
            // Even the holding line was refused (it cannot be, see the templates' tests): give up on this line.
            self.next = None;
            return;
        }
        next.kind = LineKind::Filler;
        next.product = None;
        next.comment = None;
        next.prompt = Vec::new();
        let (lang, variant) = (next.lang, next.variant);
        let text = templates::fresh_holding_line(lang, variant, &self.history, wall)
            .unwrap_or_else(|| templates::holding_line(lang, variant));
        self.voice_as(
            now,
            line,
            text,
            LineSource::Template,
            Some("the gate refused the line's words; holding line".into()),
        );
    }

    /// The voiced (or, on failure, silent) line is ready to go on air.
    fn make_ready(&mut self, voiced: Option<(u32, Vec<VisemeKey>, Option<AudioClip>)>, failure: Option<String>) {
        let Some(next) = self.next.as_mut() else {
            return;
        };
        let Step::Voicing { line, text, source, note, guard, .. } = &next.step else {
            return;
        };
        let (duration_ms, visemes, audio) = voiced.unwrap_or_else(|| {
            (timing::estimate_duration_ms(text.as_str()), timing::estimate_visemes(text.as_str()), None)
        });
        let note = match (note.clone(), failure) {
            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
            (a, b) => a.or(b),
        };
        next.step = Step::Ready(ReadyLine {
            line: *line,
            text: text.clone(),
            source: *source,
            note,
            guard: guard.clone(),
            duration_ms,
            visemes,
            audio,
        });
    }

    fn air_next(&mut self, now: ShowTime) {
        let Some(next) = self.next.take() else { return };
        let Step::Ready(ready) = next.step else {
            self.next = Some(next);
            return;
        };
        if let Some(product) = next.product.as_ref()
            && self.pinned.as_ref() != Some(&product.id)
        {
            self.show_card(now, product);
        }
        match &next.comment {
            Some(c) => {
                self.outputs.push_back(Output::Stage(StageCommand::ShowComment {
                    user_name: c.user_name.clone(),
                    text: c.text.clone(),
                }));
                self.showing_comment = true;
            }
            None if self.showing_comment => {
                self.outputs.push_back(Output::Stage(StageCommand::ClearComment));
                self.showing_comment = false;
            }
            None => {}
        }
        let product = next.product.as_ref();
        let product_id = product.map(|p| p.id.clone());
        self.put_on_air(now, next.kind, product_id, next.lang, ready, next.comment);
    }

    /// Nothing is ready and silence is about to become dead air: say a short holding line with captions now.
    /// The line being prepared keeps going and airs after it.
    fn air_holding_line(&mut self, now: ShowTime) {
        if self.showing_comment {
            self.outputs.push_back(Output::Stage(StageCommand::ClearComment));
            self.showing_comment = false;
        }
        self.variant = self.variant.wrapping_add(1);
        let lang = self.config.lang;
        let text = templates::fresh_holding_line(lang, self.variant, &self.history, self.wall(now))
            .unwrap_or_else(|| templates::holding_line(lang, self.variant));
        let ledger = ClaimsLedger { product: ProductId(String::new()), lang, now: self.wall(now), facts: Vec::new() };
        let gated = Gate::new(&ledger, lang, None).clear(&text);
        let Some(text) = gated.cleared else {
            // Holding lines are plain words that always pass (the templates' tests hold them to it); should one
            // ever fail, try again after another pause rather than spin.
            self.quiet_since = now;
            return;
        };
        let line = LineId(self.next_line);
        self.next_line += 1;
        let ready = ReadyLine {
            line,
            duration_ms: timing::estimate_duration_ms(text.as_str()),
            visemes: timing::estimate_visemes(text.as_str()),
            audio: None,
            text,
            source: LineSource::Template,
            note: Some("nothing else was ready; holding line to avoid dead air".into()),
            guard: gated.notes,
        };
        self.put_on_air(now, LineKind::Filler, None, lang, ready, None);
    }

    fn put_on_air(
        &mut self,
        now: ShowTime,
        kind: LineKind,
        product: Option<ProductId>,
        lang: Lang,
        ready: ReadyLine,
        trigger: Option<Comment>,
    ) {
        let (expression, gesture) = body_language(kind);
        if expression != self.expression {
            self.expression = expression;
            self.outputs.push_back(Output::Stage(StageCommand::Expression(expression)));
        }
        if let Some(gesture) = gesture {
            self.outputs.push_back(Output::Stage(StageCommand::Gesture(gesture)));
        }
        self.history.record(product.as_ref(), ready.text.as_str(), self.wall(now));
        // The words leave the director here, as the gate cleared them: the only `PlayLine` and `LineAired` built
        // anywhere (tests/it/tidy.rs checks that no other code builds them).
        let text = ready.text.into_string();
        self.outputs.push_back(Output::Stage(StageCommand::PlayLine {
            line: ready.line,
            text: text.clone(),
            lang,
            duration_ms: ready.duration_ms,
            visemes: ready.visemes,
            audio: ready.audio,
        }));
        self.outputs.push_back(Output::Console(ConsoleEvent::LineAired(AiredLine {
            line: ready.line,
            t_ms: now.ms(),
            kind,
            product: product.clone(),
            text,
            lang,
            source: ready.source,
            duration_ms: ready.duration_ms,
            note: ready.note,
            trigger,
            wall: self.wall(now),
            guard: ready.guard,
        })));
        self.on_air = Some(OnAir { line: ready.line, ends_at: now.plus_ms(ready.duration_ms as u64), product });
        self.aired_any = true;
    }

    fn drop_stale(&mut self, what: String) {
        self.outputs.push_back(Output::Console(ConsoleEvent::StaleResultDropped { what }));
    }

    /// Drops the line being prepared (and the rest of a streamed turn), telling the writer to stop.
    fn discard_next(&mut self) -> Option<NextLine> {
        if let Some(streaming) = self.streaming.take()
            && !streaming.done
        {
            self.outputs.push_back(Output::CancelWrite { turn: streaming.turn });
        }
        let next = self.next.take()?;
        if let Step::Writing { turn, .. } = next.step {
            self.outputs.push_back(Output::CancelWrite { turn });
        }
        Some(next)
    }

    /// A sentence from a streaming writer: the first of the turn is voiced at once, the rest wait their turn.
    fn take_sentence(&mut self, now: ShowTime, turn: TurnId, text: String, source: LineSource) {
        let text = text.trim().to_string();
        let gap = self.config.writer_timeout_ms;
        if let Some(streaming) = self.streaming.as_mut().filter(|s| s.turn == turn) {
            if !text.is_empty() {
                streaming.sentences.push_back((text, source));
            }
            streaming.deadline = now.plus_ms(gap);
            return self.step(now);
        }
        if self.writing_turn() != Some(turn) {
            return self.drop_stale(format!("writer sentence for {turn}"));
        }
        let Some(next) = self.next.as_ref() else { return };
        if text.is_empty() || self.needs_approval(next) {
            // An approve-first reply is shown to the moderator whole: it waits for `WriterDone`. (Streaming writers
            // send the whole text again at the end for exactly this case.)
            return;
        }
        let product = next.product.as_ref().map(|p| p.id.clone());
        if self.history.said_recently(product.as_ref(), &text, self.wall(now)) {
            return self.fall_back_to_template(now, "the writer repeated a line said within 30 minutes".into());
        }
        let mut context = next.clone();
        context.moderated = true;
        self.streaming =
            Some(Streaming { turn, context, sentences: VecDeque::new(), done: false, deadline: now.plus_ms(gap) });
        self.voice(now, text, source, None);
        self.step(now);
    }

    fn mode(&self, intent: Intent) -> ModerationMode {
        self.moderation.get(&intent).copied().unwrap_or_default()
    }

    /// Whether a reply must wait for a moderator before it airs.
    fn needs_approval(&self, next: &NextLine) -> bool {
        match next.kind {
            LineKind::Answer(intent) | LineKind::Handoff(intent) => {
                !next.moderated && self.mode(intent) == ModerationMode::ApproveFirst
            }
            _ => false,
        }
    }

    /// The written reply goes to the moderators' queue instead of the air, and the host moves on.
    ///
    /// The moderator sees the words as they would air: the gate runs first, and words it refuses are replaced by
    /// a template line before anyone is asked (approval is for tone and judgement, not for catching lies).
    fn hold_for_approval(&mut self, now: ShowTime, text: String, source: LineSource, note: Option<String>) {
        let Some(next) = self.next.as_ref() else { return };
        let mut gated = self.gate_text(now, next, &text, source);
        let (mut source, mut note) = (source, note);
        if gated.cleared.is_none()
            && source != LineSource::Template
            && let Some(template) = templates::render(&Show::brief_for(next, TurnId(0)))
        {
            let again = self.gate_text(now, next, &template, LineSource::Template);
            let mut notes = air::replaced(gated.notes);
            notes.extend(again.notes);
            gated = air::Gated { cleared: again.cleared, notes };
            source = LineSource::Template;
            note = Some("the gate refused the writer's words; template line".into());
        }
        let Some(next) = self.next.take() else { return };
        // Nothing speakable: the host moves on, and nobody is asked to approve nothing.
        let Some(text) = gated.cleared.map(Cleared::into_string) else { return };
        let guard = gated.notes;
        let line = LineId(self.next_line);
        self.next_line += 1;
        if self.pending.len() >= MAX_PENDING_REPLIES
            && let Some(oldest) = self.pending.pop_front()
        {
            self.resolved(oldest.line, ReplyOutcome::Expired);
        }
        self.outputs.push_back(Output::Console(ConsoleEvent::ReplyPending {
            line,
            kind: next.kind,
            product: next.product.as_ref().map(|p| p.id.clone()),
            text: text.clone(),
            lang: next.lang,
            trigger: next.comment.clone(),
        }));
        self.pending.push_back(HeldReply {
            line,
            kind: next.kind,
            product: next.product,
            lang: next.lang,
            text,
            source,
            note,
            guard,
            comment: next.comment,
            asked_by: next.asked_by,
            since: now,
        });
    }

    /// A moderator approved a pending reply, with their own words when `edited`.
    fn approve(&mut self, now: ShowTime, line: LineId, edited: Option<String>) {
        let Some(i) = self.pending.iter().position(|p| p.line == line) else {
            return self.moderator_note(format!("approve {line}: no such reply is waiting (it may have expired)"));
        };
        let mut held = self.pending[i].clone();
        let outcome = match edited {
            Some(text) => {
                let product = self.moderator_subject(now, &text, held.lang, held.product.as_ref());
                match self.guard_moderator_text(now, &text, product.as_ref(), held.lang) {
                    Ok(words) => {
                        held.text = words;
                        held.product = product;
                        held.source = LineSource::Moderator;
                        held.note = Some("edited by a moderator".into());
                        ReplyOutcome::Edited
                    }
                    Err(refusal) => {
                        // The reply stays pending: the moderator can fix the words or approve the original.
                        return self.refuse_moderator_line("edit", Some(line), &text, refusal);
                    }
                }
            }
            None => ReplyOutcome::Approved,
        };
        self.pending.remove(i);
        self.resolved(line, outcome);
        if self.approved.len() < MAX_APPROVED {
            self.approved.push_back(held);
        }
        self.make_room_for_moderators();
    }

    /// "Say this now": the words go on air as soon as the line on air ends.
    fn say_now(&mut self, now: ShowTime, text: String, lang: Option<Lang>) {
        let lang = lang.unwrap_or(self.config.lang);
        // The product on screen, unless the words are about another one.
        let on_screen =
            self.pinned.as_ref().and_then(|id| self.queue.get(id)).or_else(|| self.queue.current()).cloned();
        let product = self.moderator_subject(now, &text, lang, on_screen.as_ref());
        let said = match self.guard_moderator_text(now, &text, product.as_ref(), lang) {
            Ok(said) => said,
            Err(refusal) => return self.refuse_moderator_line("say_now", None, &text, refusal),
        };
        if self.approved.len() >= MAX_APPROVED {
            let refusal = Refusal::whole(&text, "too many moderator lines are already waiting");
            return self.refuse_moderator_line("say_now", None, &text, refusal);
        }
        let text = said;
        let line = LineId(self.next_line);
        self.next_line += 1;
        self.moderator_note(format!("say now as {line}: {text}"));
        self.approved.push_back(HeldReply {
            line,
            kind: LineKind::Moderator,
            product,
            lang,
            text,
            source: LineSource::Moderator,
            note: Some("a moderator's words".into()),
            guard: Vec::new(),
            comment: None,
            asked_by: 0,
            since: now,
        });
        self.make_room_for_moderators();
    }

    /// Moderator lines go next: a prepared line of the host's own is dropped, and planned again once they are said
    /// (see [`Show::resume`]).
    fn make_room_for_moderators(&mut self) {
        if self.next.as_ref().is_some_and(|n| !n.moderated)
            && let Some(next) = self.discard_next()
            && matches!(
                next.kind,
                LineKind::Pitch(_) | LineKind::Answer(_) | LineKind::Handoff(_) | LineKind::Disclosure
            )
        {
            self.resume = Some(Resume {
                kind: next.kind,
                product: next.product.map(|p| p.id),
                lang: next.lang,
                comment: next.comment,
                asked_by: next.asked_by,
            });
        }
    }

    /// A displaced line, if it may still be said: a pitch only while its product may be sold and no pin or skip
    /// moved the show elsewhere (those forget it); an answer or hand-off while its comment stands.
    fn resumable(&self, resume: Resume, wall: UnixMs) -> Option<Resume> {
        let eligible = |id: &ProductId| self.queue.get(id).is_some_and(|p| is_eligible(p, wall));
        match resume.kind {
            LineKind::Pitch(_) => {
                let id = resume.product.as_ref()?;
                let pinned_elsewhere = self.queue.pinned().is_some_and(|pin| pin != id);
                (eligible(id) && !pinned_elsewhere).then_some(resume)
            }
            LineKind::Answer(_) | LineKind::Handoff(_) => resume.comment.is_some().then_some(resume),
            LineKind::Disclosure => Some(resume),
            LineKind::Filler | LineKind::Moderator => None,
        }
    }

    /// A pin or a skip moves the show: a displaced pitch is not resumed.
    fn forget_resumed_pitch(&mut self) {
        if self.resume.as_ref().is_some_and(|r| matches!(r.kind, LineKind::Pitch(_))) {
            self.resume = None;
        }
    }

    /// The product whose facts a refused moderator's `sentence` contradicts: the one the guard refused it against,
    /// else the one it names, else the line's own (`own`).
    fn blame(&self, now: ShowTime, sentence: &str, own: Option<&Product>, lang: Lang) -> Option<ProductId> {
        // The queue ledger's order: the line's own product, then the rest in queue order.
        let rest = self.queue.products().iter().filter(|p| own.is_none_or(|o| o.id != p.id));
        let order: Vec<&Product> = own.into_iter().chain(rest).collect();
        let ledger = ClaimsLedger::for_queue(self.queue.products(), own, lang, self.wall(now));
        let titles: Vec<&str> = order.iter().map(|p| p.title(lang)).collect();
        guard::SentenceGuard::new(&ledger)
            .refused_by(sentence, lang)
            .or_else(|| guard::named_products(sentence, &titles).first().copied())
            .and_then(|i| order.get(i).copied())
            .or(own)
            .map(|p| p.id.clone())
    }

    /// What a moderator's words are about: the one product they name when they name exactly one that may be sold
    /// now (the card shows it while they are said), else `fallback` (the product on screen, or the reply's).
    fn moderator_subject(&self, now: ShowTime, text: &str, lang: Lang, fallback: Option<&Product>) -> Option<Product> {
        let wall = self.wall(now);
        let products = self.queue.products();
        let titles: Vec<&str> = products.iter().map(|p| p.title(lang)).collect();
        match guard::named_products(text, &titles).as_slice() {
            [only] if is_eligible(&products[*only], wall) => Some(products[*only].clone()),
            _ => fallback.cloned(),
        }
    }

    /// Moderators are people, but what airs is still checked: their words pass the same gate as the writer's,
    /// sentence by sentence, each against the facts of the product it names (any product in the queue), or of
    /// `product` (the line's own) when it names none. A sentence the gate refuses refuses the whole text, and the
    /// refusal says which sentence, which rule, and what would pass without it; repairs are kept.
    fn guard_moderator_text(
        &self,
        now: ShowTime,
        text: &str,
        product: Option<&Product>,
        lang: Lang,
    ) -> Result<String, Refusal> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Refusal::whole(text, "the text is empty"));
        }
        if text.chars().count() > 500 {
            return Err(Refusal::whole(text, "the text is longer than 500 characters; split it into shorter lines"));
        }
        let wall = self.wall(now);
        let ledger = ClaimsLedger::for_queue(self.queue.products(), product, lang, wall);
        let gate = Gate::new(&ledger, lang, None);
        let mut chunker = chunker::SentenceChunker::new();
        let mut sentences = chunker.push(text);
        sentences.extend(chunker.finish());
        let mut out = String::new();
        let mut refused: Option<Refusal> = None;
        for sentence in sentences {
            match gate.check(&sentence) {
                GuardVerdict::Pass(s) | GuardVerdict::Repaired { text: s, .. } => {
                    if !out.is_empty() && lang == Lang::En {
                        out.push(' ');
                    }
                    out.push_str(&s);
                }
                GuardVerdict::Rejected { rule, original } => {
                    if refused.is_none() {
                        refused = Some(Refusal {
                            reason: format!("\"{}\" breaks the rule {}", original.trim(), rule.name()),
                            sentence: original.trim().to_string(),
                            rule: Some(rule),
                            product: self.blame(now, &original, product, lang),
                            repaired: None,
                        });
                    }
                }
            }
        }
        match refused {
            Some(mut refusal) => {
                refusal.repaired = out.chars().any(char::is_alphanumeric).then_some(out);
                Err(refusal)
            }
            None => Ok(out),
        }
    }

    /// A moderator's words were refused: the console gets the typed refusal, then the same reason as a note in
    /// words (`say-now refused: "<sentence>" breaks the rule <rule>`, or `edit of line-N refused: ...`), which
    /// pages and scripts that read notes still understand.
    fn refuse_moderator_line(&mut self, action: &str, line: Option<LineId>, text: &str, refusal: Refusal) {
        let what = match line {
            Some(line) => format!("edit of {line}"),
            None => "say-now".to_string(),
        };
        let note = format!("{what} refused: {}", refusal.reason);
        self.outputs.push_back(Output::Console(ConsoleEvent::ModeratorLineRefused {
            action: action.to_string(),
            line,
            text: text.to_string(),
            sentence: refusal.sentence,
            rule: refusal.rule,
            reason: refusal.reason,
            product: refusal.product,
            repaired: refusal.repaired,
        }));
        self.moderator_note(note);
    }

    fn resolved(&mut self, line: LineId, outcome: ReplyOutcome) {
        self.outputs.push_back(Output::Console(ConsoleEvent::ReplyResolved { line, outcome }));
    }

    fn moderator_note(&mut self, action: String) {
        self.outputs.push_back(Output::Console(ConsoleEvent::ModeratorAction { action }));
    }

    fn start_flash_sale(&mut self, now: ShowTime, id: ProductId, price: Money, ends_at: UnixMs) {
        let wall = self.wall(now);
        let Some(product) = self.queue.get(&id).cloned() else {
            return self.moderator_note(format!("flash sale refused: no product {} in the queue", id.0));
        };
        if ends_at <= wall {
            return self.moderator_note("flash sale refused: its end is not in the future".into());
        }
        let regular = self.flash_sales.get(&id).map_or(product.price.clone(), |f| f.regular_price.clone());
        if price.percent_off_from(&regular).is_none() {
            return self.moderator_note(format!(
                "flash sale refused: {} is not below the regular price {}",
                price.display(),
                regular.display()
            ));
        }
        let sale = self.flash_sales.entry(id.clone()).or_insert_with(|| FlashSale {
            regular_price: product.price.clone(),
            regular_compare_at: product.compare_at.clone(),
            regular_offer: product.offer,
            ends_at,
        });
        sale.ends_at = ends_at;
        let was = sale.regular_price.clone();
        self.queue.set_price(&id, price.clone(), Some(was));
        self.queue.set_offer(&id, Some(OfferWindow { starts_at: None, ends_at: Some(ends_at) }));
        self.moderator_note(format!("flash sale on {}: {} until {}", id.0, price.display(), ends_at.0));
        self.refresh_card(now, &id);
    }

    /// Puts the regular price and window back; false when no flash sale was running on `id`.
    fn end_flash_sale(&mut self, now: ShowTime, id: &ProductId) -> bool {
        let Some(sale) = self.flash_sales.remove(id) else { return false };
        self.queue.set_price(id, sale.regular_price, sale.regular_compare_at);
        self.queue.set_offer(id, sale.regular_offer);
        self.refresh_card(now, id);
        true
    }

    /// Drops what waited too long: pending replies nobody decided on, questions whose moment passed, flash sales
    /// that ended.
    fn expire(&mut self, now: ShowTime, wall: UnixMs) {
        while self.pending.front().is_some_and(|p| now.since(p.since) >= self.config.approval_timeout_ms) {
            if let Some(held) = self.pending.pop_front() {
                self.resolved(held.line, ReplyOutcome::Expired);
            }
        }
        for (comment, waited) in self.picker.expire(wall) {
            self.outputs
                .push_back(Output::Console(ConsoleEvent::QuestionDropped { comment, waited_ms: waited.max(0) as u64 }));
        }
        let ended: Vec<ProductId> =
            self.flash_sales.iter().filter(|(_, f)| f.ends_at <= wall).map(|(id, _)| id.clone()).collect();
        for id in ended {
            self.end_flash_sale(now, &id);
            self.moderator_note(format!("flash sale on {} ended", id.0));
        }
    }
}

/// A panic's message, for the console and the log.
pub fn panic_text(panic: &(dyn Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(s), _) => format!("panicked: {s}"),
        (_, Some(s)) => format!("panicked: {s}"),
        _ => "panicked".to_string(),
    }
}

/// An input in a few words, for the console when handling it failed: which input, and its text cut short.
fn summary(input: &Input) -> String {
    let cut = |text: &str| -> String {
        let mut out: String = text.chars().take(200).collect();
        if text.chars().nth(200).is_some() {
            out.push('…');
        }
        out
    };
    match input {
        Input::Comment(c) => format!("comment {} from {}: {}", c.id.0, cut(&c.user_name), cut(&c.text)),
        Input::WriterDone { turn, text, .. } => format!("writer result for {turn}: {}", cut(text)),
        Input::WriterSentence { turn, text, .. } => format!("writer sentence for {turn}: {}", cut(text)),
        Input::WriterFailed { turn, reason } => format!("writer failure for {turn}: {}", cut(reason)),
        Input::VoiceReady { line, duration_ms, .. } => format!("voice for {line} ({duration_ms} ms)"),
        Input::VoiceFailed { line, reason } => format!("voice failure for {line}: {}", cut(reason)),
        Input::SayNow { text, .. } => format!("say-now: {}", cut(text)),
        Input::EditReply { line, text } => format!("edit of {line}: {}", cut(text)),
        Input::ProductsLoaded(products) => format!("a product queue of {}", products.len()),
        other => cut(&format!("{other:?}")),
    }
}

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Pitch(_) => "pitch line",
        LineKind::Answer(_) => "answer",
        LineKind::Handoff(_) => "hand-off line",
        LineKind::Disclosure => "disclosure",
        LineKind::Filler => "holding line",
        LineKind::Moderator => "moderator line",
    }
}

/// The face and the movement that suit a line: excited for a product's hook, a warm smile and a point at the card
/// for the offer, calm concern for a hand-off, a wave for a greeting, a nod for an answer.
fn body_language(kind: LineKind) -> (Expression, Option<Gesture>) {
    match kind {
        LineKind::Pitch(Facet::Hook) => (Expression::Excited, Some(Gesture::Present)),
        LineKind::Pitch(Facet::Offer) => (Expression::WarmSmile, Some(Gesture::PointAtOffer)),
        LineKind::Pitch(_) => (Expression::WarmSmile, None),
        LineKind::Answer(Intent::Greeting | Intent::Praise) => (Expression::WarmSmile, Some(Gesture::Wave)),
        LineKind::Answer(Intent::AccessibilityNeed) => (Expression::CalmConcerned, Some(Gesture::Nod)),
        LineKind::Answer(_) => (Expression::WarmSmile, Some(Gesture::Nod)),
        LineKind::Handoff(_) => (Expression::CalmConcerned, Some(Gesture::Nod)),
        LineKind::Disclosure | LineKind::Moderator => (Expression::Neutral, None),
        LineKind::Filler => (Expression::Thinking, None),
    }
}
