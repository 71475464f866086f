//! The show as a sans-IO state machine: products and results go in, writing, speaking and stage work come out.
//!
//! The driver calls [`Show::handle_input`] for every input, [`Show::handle_timeout`] when the time from
//! [`Show::poll_timeout`] arrives, and carries out everything [`Show::poll_output`] returns. One line is on air
//! at a time while the next one is prepared (written, then voiced), so there is no gap between lines beyond the
//! natural pause. When anything upstream fails or stalls, the show falls back down the ladder: writer, then a
//! template line, then a holding line, so silence on air never exceeds the configured limit.
//!
//! The state machine is one [`Show`], its `impl` split by concern: the flow of lines (`flow`), the gate on the
//! way to the voice (`gating`), airing (`on_air`), the offer card (`card`), viewers' comments (`answers`),
//! streaming writers (`streaming`), the moderators' side (`moderation`), flash sales (`flash_sales`), the host's
//! face (`expressions`) and panic recovery (`recovery`).

mod answers;
mod card;
mod expressions;
mod flash_sales;
mod flow;
mod gating;
mod moderation;
mod note;
mod on_air;
mod overrides;
pub mod pace;
mod protocol;
mod recovery;
mod shop;
mod streaming;
mod thanks;

pub use crate::brief::Brief;
use crate::prompt::Persona;
use crate::queue::ProductQueue;
use crate::templates::LineHistory;
use crate::triage::{Picker, PickerConfig, Triage, TriageConfig};
pub use answers::{MAX_ANSWERS_IN_A_ROW, MIN_PITCH_SHARE};
use flash_sales::FlashSale;
use flow::{NextLine, Step};
use model::{
    Comment, ConsoleEvent, Expression, Fallback, Intent, Lang, LineKind, ModerationMode, Pace, Product, ProductId,
    ReplyOutcome, ShowTime, StageCommand, StageEvent, UnixMs,
};
use moderation::{HeldReply, Resume};
use note::Note;
use on_air::OnAir;
pub use protocol::{Footprint, Input, Output, ResumePoint};
pub use recovery::panic_text;
use recovery::summary;
use std::collections::{HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use streaming::Streaming;

/// The director's knobs, validated by the caller.
#[derive(Clone, Debug, PartialEq)]
pub struct ShowConfig {
    /// The language the host speaks and captions in.
    pub lang: Lang,
    /// How often the host says out loud that it is an AI (the on-screen label is permanent).
    pub disclosure_every_ms: u64,
    /// The natural pause between two lines, added to the voice's own closing pause. A viewer's answer does not
    /// wait it.
    pub gap_ms: u64,
    /// How long the writer may take before the director uses a template line instead.
    pub writer_timeout_ms: u64,
    /// How long the voice may take before the line goes on air as a silent captioned line.
    pub voice_timeout_ms: u64,
    /// Silence after which a holding line goes on air, whatever else is late. Must stay under 3 s.
    pub hold_after_ms: u64,
    /// A viewer question older than this when its answer would start is not answered (the moment has passed): it
    /// goes to the moderators' console as `QuestionDropped`.
    pub max_question_age_ms: u64,
    /// The same limit while the chat is busy (at least `BUSY_QUEUE` questions waiting); never above
    /// `max_question_age_ms`. 18 s keeps answers to a busy chat (a question every 5 s) under 20 s at the 95th
    /// percentile (`delay_tests`), while a question in a quiet chat may still wait its minute.
    pub busy_question_age_ms: u64,
    /// A reply waiting for a moderator's approval expires after this long.
    pub approval_timeout_ms: u64,
    /// How replies to each kind of comment reach the air; intents not listed are answered automatically.
    pub moderation: Vec<(Intent, ModerationMode)>,
    /// Who the host is, for the LLM's instructions (the gate compares what the model says with them).
    pub persona: Persona,
    /// After a viewer in crisis or with a medical emergency writes, the pitch stays calm this long: no offer line
    /// (price, stock, countdown) and no new flash sale.
    pub care_calm_ms: u64,
    /// The help line the crisis line names, per language (`[care] helpline`); none: the line says "a local
    /// helpline". Check it with [`crate::templates::check_helpline`] when it is configured.
    pub care_helpline: model::Localized<String>,
    /// The card's product links: UTM parameters and pitch variants per time slot (`[links]`).
    pub links: crate::links::LinkTracking,
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
            max_question_age_ms: 60_000,
            busy_question_age_ms: 18_000,
            approval_timeout_ms: 3 * 60 * 1000,
            moderation: Vec::new(),
            persona: Persona::default(),
            care_calm_ms: 5 * 60 * 1000,
            care_helpline: model::Localized::default(),
            links: crate::links::LinkTracking::default(),
        }
    }
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
    /// The pitch variant whose link the card on screen carries (see [`crate::links`]).
    card_variant: Option<crate::links::Variant>,
    next_turn: u64,
    next_line: u64,
    variant: u32,
    outputs: VecDeque<Output>,
    triage: Triage,
    picker: Picker,
    /// Comments that need a human, waiting for their one hand-off line (bounded).
    handoffs: VecDeque<(Comment, Intent)>,
    /// Care lines to say (one general line per kind of need, no name, no words of the viewer's).
    care_lines: VecDeque<model::CareKind>,
    /// When each kind of care line was last planned, so a flood of such comments gets one line, not one each.
    care_said: HashMap<model::CareKind, UnixMs>,
    /// The pitch stays calm until then (see [`ShowConfig::care_calm_ms`]).
    calm_until: Option<UnixMs>,
    /// Answers said since the last pitch line: pitching resumes after [`MAX_ANSWERS_IN_A_ROW`], so a busy chat
    /// never stops the show from selling, and questions never wait behind a whole pitch.
    answers_in_a_row: u32,
    /// The next pitch was planned because the answers in a row reached their limit: a new question does not
    /// push it aside (see `answer_before_the_next_pitch`).
    owed_pitch: bool,
    showing_comment: bool,
    /// The standby card is up (nothing may be pitched).
    standby: bool,
    /// A human host has the show: the AI says nothing until it is handed back.
    human_live: bool,
    /// How the host speaks (see [`pace`]); `plain_until` is set when a viewer's request switched it.
    pace: Pace,
    plain_until: Option<UnixMs>,
    /// The most stock each product has had since it was loaded: the stock bar's full length.
    stock_start: HashMap<ProductId, u32>,
    moderation: HashMap<Intent, ModerationMode>,
    /// Replies waiting for a moderator's decision, oldest first (bounded).
    pending: VecDeque<HeldReply>,
    /// Replies approved (or written) by moderators, waiting for their turn: they go before anything else.
    approved: VecDeque<HeldReply>,
    flash_sales: HashMap<ProductId, FlashSale>,
    /// The console's prices and stock that hold over reloads until cleared (see `overrides`).
    overrides: overrides::Overrides,
    /// The standing changes as the console and the store were last told (none at start).
    overrides_reported: model::StandingOverrides,
    /// The held lines as the store was last told (none at start).
    held_reported: Vec<model::HeldLine>,
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
    /// The shop's live values over the product file's (see `shop`).
    shop: shop::ShopLayer,
    /// Products on the card that just sold out, each owed one plain line saying so.
    sold_out_lines: VecDeque<ProductId>,
    /// Viewers owed thanks for gifts, memberships and paid messages, and who was thanked when (see `thanks`).
    thanks: thanks::Thanks,
}

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
            card_variant: None,
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
            care_lines: VecDeque::new(),
            care_said: HashMap::new(),
            calm_until: None,
            answers_in_a_row: 0,
            owed_pitch: false,
            showing_comment: false,
            standby: false,
            human_live: false,
            pace: Pace::Usual,
            plain_until: None,
            stock_start: HashMap::new(),
            moderation: config.moderation.iter().copied().collect(),
            pending: VecDeque::new(),
            approved: VecDeque::new(),
            flash_sales: HashMap::new(),
            overrides: overrides::Overrides::new(),
            // Nothing to report until a moderator changes something (a restart's restore included): an empty
            // state written at start could otherwise replace the stored one before it is restored.
            overrides_reported: model::StandingOverrides::default(),
            held_reported: Vec::new(),
            history: LineHistory::default(),
            expression: Expression::Neutral,
            streaming: None,
            exhausted_in_a_row: 0,
            resume: None,
            shop: shop::ShopLayer::default(),
            sold_out_lines: VecDeque::new(),
            thanks: thanks::Thanks::default(),
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
        self.report_held_lines();
    }

    /// Moves the show on at `now` (see [`Show::poll_timeout`]). Never panics, like [`Show::handle_input`].
    pub fn handle_timeout(&mut self, now: ShowTime) {
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| self.take_timeout(now))) {
            self.recover(now, "a timer".into(), &*panic);
        }
        self.report_held_lines();
    }

    fn take_input(&mut self, now: ShowTime, input: Input) {
        self.last_now = self.last_now.max(now);
        match input {
            Input::ApproveReply { line, by } => self.approve(now, line, None, by),
            Input::EditReply { line, text, by } => self.approve(now, line, Some(text), by),
            Input::RejectReply { line } => {
                if let Some(i) = self.pending.iter().position(|p| p.line == line) {
                    self.pending.remove(i);
                    self.resolved(line, ReplyOutcome::Rejected);
                } else {
                    self.moderator_note(format!("reject {line}: no such reply is waiting (it may have expired)"));
                }
            }
            Input::SayNow { text, lang, by } => self.say_now(now, text, lang, by),
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
            Input::StartFlashSale { product, price, ends_at, by } => {
                self.start_flash_sale(now, product, price, ends_at, Some(by))
            }
            Input::StopFlashSale { product } => {
                if self.end_flash_sale(now, &product) {
                    self.moderator_note(format!("flash sale on {} stopped", product.0));
                }
            }
            Input::SourceHealth { source, healthy, detail } => {
                self.outputs.push_back(Output::Console(ConsoleEvent::SourceHealth { source, healthy, detail }));
            }
            Input::ProductsLoaded(products) => self.load_products(now, products),
            Input::ShopUpdate { shop, facts } => self.shop_update(now, &shop, facts),
            Input::Support(support) => self.support(now, support),
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
                    self.fall_back_to_template(now, Note::fallback(Fallback::WriterEmpty));
                } else if self.history.said_recently(product.as_ref(), &text, self.wall(now)) {
                    self.fall_back_to_template(now, Note::fallback(Fallback::WriterRepeated));
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
                self.fall_back_to_template(now, Note::fallback_because(Fallback::WriterFailed, &reason));
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
                self.make_ready(None, Some(Note::fallback_because(Fallback::VoiceFailed, &reason)));
            }
            // The director's own timer decides when a line ends, so a slow or absent stage cannot stall the show.
            Input::Stage(StageEvent::LineStarted { .. } | StageEvent::LineFinished { .. }) => {}
            // Every moderator action below reports what it came to (see [`Show::moderator_note`]), so the console
            // never says "sent" for something the show did not do.
            Input::StockChanged { product, stock, by } => {
                if let Some(n) = stock {
                    let start = self.stock_start.entry(product.clone()).or_insert(n);
                    *start = (*start).max(n);
                }
                let before = self.queue.get(&product).cloned();
                let on_card = before.clone().filter(|_| self.pinned.as_ref() == Some(&product));
                if let Some(before) = before
                    && self.queue.set_stock(&product, stock).is_some()
                {
                    self.note_sell_out(on_card);
                    self.refresh_card(now, &product);
                    let shown = stock.map_or("unknown".to_string(), |n| n.to_string());
                    self.moderator_note(format!("stock of {product}: {shown}"));
                    self.hold_stock(now, &product, &before, stock, by);
                } else {
                    self.moderator_note(format!("stock of {product} refused: no such product in the queue"));
                }
            }
            Input::PriceChanged { product, price, compare_at, by } => {
                let shown = price.display();
                let before = self.queue.get(&product).cloned();
                if let Some(before) = before
                    && self.queue.set_price(&product, price.clone(), compare_at.clone()).is_some()
                {
                    self.refresh_card(now, &product);
                    self.moderator_note(format!("price of {product}: {shown}"));
                    self.hold_price(now, &product, &before, (price, compare_at), by);
                } else {
                    self.moderator_note(format!("price of {product} refused: no such product in the queue"));
                }
            }
            Input::ClearOverride { product } => self.clear_override(now, &product),
            Input::RestoreOverrides(state) => self.restore_overrides(now, state),
            Input::RestoreHeldLines(lines) => self.restore_held_lines(now, lines),
            Input::PinProduct(product) => self.pin_product(now, product),
            Input::UnpinProduct => match self.queue.pinned().cloned() {
                Some(was) => {
                    self.queue.unpin();
                    self.moderator_note(format!("unpinned {was}: the queue moves on as usual"));
                    self.report_overrides();
                }
                None => self.moderator_note("unpin: nothing was pinned".into()),
            },
            Input::SkipProduct { forward } => {
                self.forget_resumed_pitch();
                let wall = self.wall(now);
                let direction = if forward { "next" } else { "previous" };
                match self.queue.skip(forward, wall) {
                    Some(to) => self.moderator_note(format!("{direction} product: {to}")),
                    None => self.moderator_note(format!("{direction} product refused: no product can be sold now")),
                }
                self.drop_prepared_pitch();
            }
            Input::Comment(comment) => self.take_comment(now, comment),
            Input::DeleteComment(id) => {
                if self.resume.as_ref().and_then(|r| r.comment.as_ref()).is_some_and(|c| c.id == id) {
                    self.resume = None;
                }
                self.picker.remove_comment(&id);
                self.handoffs.retain(|(c, _)| c.id != id);
                // An answer already planned for it is dropped too (answers are planned as soon as they come).
                if self.next.as_ref().and_then(|n| n.comment.as_ref()).is_some_and(|c| c.id == id) {
                    self.discard_next();
                }
            }
            Input::BanViewer { user_id } => {
                if self.resume.as_ref().and_then(|r| r.comment.as_ref()).is_some_and(|c| c.user_id == user_id) {
                    self.resume = None;
                }
                self.picker.remove_viewer(&user_id);
                self.handoffs.retain(|(c, _)| c.user_id != user_id);
                if self.next.as_ref().and_then(|n| n.comment.as_ref()).is_some_and(|c| c.user_id == user_id) {
                    self.discard_next();
                }
            }
            Input::SetPace(pace) => self.set_pace_by_moderator(pace),
            Input::HandOverToHuman => {
                if !self.human_live {
                    self.human_live = true;
                    // Whatever was prepared is dropped; its late results are stale.
                    self.discard_next();
                    self.outputs.push_back(Output::Stage(StageCommand::HumanHost { on: true }));
                    self.moderator_note("hand-over: a human host has the show".into());
                } else {
                    self.moderator_note("hand-over: a human host already had the show".into());
                }
            }
            Input::TakeBack => {
                if self.human_live {
                    self.human_live = false;
                    self.quiet_since = now;
                    self.outputs.push_back(Output::Stage(StageCommand::HumanHost { on: false }));
                    self.moderator_note("take-back: the AI host is back on air".into());
                } else {
                    self.moderator_note("take-back: the AI host was already on air".into());
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
                self.fall_back_to_template(now, Note::fallback(Fallback::WriterTimeout));
            }
            Some(Step::Voicing { deadline, .. }) if late(*deadline) => {
                self.make_ready(None, Some(Note::fallback(Fallback::VoiceTimeout)));
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
        if let Some(end) = self.pace_deadline() {
            consider(end);
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
            Some(Step::Ready(_)) if self.on_air.is_none() => consider(self.quiet_since.plus_ms(self.gap_before_next())),
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
}

fn kind_name(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Pitch(_) => "pitch line",
        LineKind::Answer(_) => "answer",
        LineKind::Handoff(_) => "hand-off line",
        LineKind::Disclosure => "disclosure",
        LineKind::Filler => "holding line",
        LineKind::Moderator => "moderator line",
        LineKind::SoldOut => "sold-out line",
        LineKind::Thanks => "thanks line",
    }
}

#[cfg(test)]
mod cut_tests;
#[cfg(test)]
mod delay_tests;
#[cfg(test)]
mod moderation_tests;
#[cfg(test)]
mod override_tests;
#[cfg(test)]
mod shop_tests;
#[cfg(test)]
mod streaming_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod thanks_tests;
