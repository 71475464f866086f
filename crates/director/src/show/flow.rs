//! The show's flow: what the host says next (a moderator's line, a disclosure, a hand-off, an answer or the
//! pitch), the line prepared while another airs (written, then voiced, then ready), the fall-back ladder when
//! the writer fails, and what expires.

use super::note::{self, Note};
use super::protocol::Output;
use super::{Show, kind_name};
use crate::air::Cleared;
use crate::answers::Basis;
use crate::brief::Brief;
use crate::ledger::ClaimsLedger;
use crate::prompt::{self, AnswerBrief, ChatMessage};
use crate::queue::is_eligible;
use crate::{templates, timing};
use model::{
    AudioClip, Comment, ConsoleEvent, Facet, GuardNote, Intent, Lang, LineId, LineKind, LineSource, Product, ProductId,
    ReplyOutcome, ShowTime, StageCommand, TurnId, UnixMs, VisemeKey,
};

/// The line being prepared while another is on air.
#[derive(Clone, Debug)]
pub(super) struct NextLine {
    pub(super) kind: LineKind,
    /// A copy, so a reload that reorders the queue cannot change what this line is about.
    pub(super) product: Option<Product>,
    pub(super) lang: Lang,
    pub(super) variant: u32,
    /// The comment being answered, shown on screen while the answer plays.
    pub(super) comment: Option<Comment>,
    pub(super) asked_by: usize,
    /// For answers to questions: what the answer rests on (see [`crate::answers::basis`]).
    pub(super) basis: Option<Basis>,
    /// Approved by a moderator or written by one: it airs without waiting for approval again.
    pub(super) moderated: bool,
    /// The console account behind a moderated line (see [`model::AiredLine::by`]).
    pub(super) by: Option<String>,
    /// The instructions the writer was given for this line (see [`Brief::prompt`]).
    pub(super) prompt: Vec<ChatMessage>,
    /// The host's pace when the line was planned: the line is written, shaped and voiced at it.
    pub(super) pace: model::Pace,
    /// A template line already stood in for refused words in this turn: the next refusal is only dropped.
    pub(super) substituted: bool,
    /// What the gate refused on the way to this line, carried to the line that airs (for the audit log).
    pub(super) refused: Vec<GuardNote>,
    /// For a pitch: where the queue stood before it was planned, so it can be given back if it never airs.
    pub(super) place: Option<crate::queue::QueuePlace>,
    pub(super) step: Step,
}

#[derive(Clone, Debug)]
pub(super) enum Step {
    Writing {
        turn: TurnId,
        deadline: ShowTime,
    },
    Voicing {
        line: LineId,
        text: Cleared,
        source: LineSource,
        note: Option<Note>,
        guard: Vec<GuardNote>,
        deadline: ShowTime,
    },
    Ready(ReadyLine),
}

#[derive(Clone, Debug)]
pub(super) struct ReadyLine {
    pub(super) line: LineId,
    pub(super) text: Cleared,
    pub(super) source: LineSource,
    pub(super) note: Option<Note>,
    pub(super) guard: Vec<GuardNote>,
    pub(super) duration_ms: u32,
    pub(super) visemes: Vec<VisemeKey>,
    pub(super) audio: Option<AudioClip>,
    /// The console account behind it (see [`model::AiredLine::by`]).
    pub(super) by: Option<String>,
    /// How many viewers asked what it answers (see [`model::AiredLine::asked_by`]).
    pub(super) asked_by: u32,
}

/// At most this many facets in a row are skipped for having no unsaid phrasing left.
const MAX_EXHAUSTED_IN_A_ROW: u32 = 4;

impl Show {
    /// Moves the show forward as far as it can at `now`: ends the line on air, airs the next one, and starts
    /// preparing the one after.
    pub(super) fn step(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        self.expire(now, wall);
        self.pace_due(now);
        self.follow_variant(now);
        if self.pinned.as_ref().is_some_and(|id| self.queue.get(id).is_none_or(|p| !is_eligible(p, wall))) {
            // The offer on the card closed or sold out: never leave an expired price on screen.
            self.pin_card(now);
        }
        // An answer about a sold-out product stays: it says so ("sold out right now") or states a fact of its data.
        let stale = self.next.as_ref().is_some_and(|n| {
            // So does the line that says the product sold out.
            let answer = matches!(n.kind, LineKind::Answer(_)) || Show::says_sold_out(n.kind);
            n.product.as_ref().is_some_and(|p| {
                self.queue.get(&p.id).is_none_or(|current| {
                    let sold_out = current.stock == Some(0);
                    let may_air = is_eligible(current, wall) || (answer && sold_out);
                    current != p || !may_air
                })
            })
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
        self.cut_for_answer(now);
        if let Some(on_air) = &self.on_air
            && on_air.ends_at <= now
        {
            self.quiet_since = on_air.ends_at;
            if let Some(said) = on_air.cut {
                // The cut falls after the sentence's own pause: the answer follows at once (see `gap_before_next`).
                // Cut at a sentence end: the voice stops in the pause, and the audit keeps what was heard.
                let (line, said) = (on_air.line, on_air.text.get(..said).unwrap_or("").trim_end().to_string());
                let heard_ms = on_air.ends_at.ms().saturating_sub(on_air.started.ms());
                self.outputs.push_back(Output::Stage(StageCommand::StopLine { line }));
                self.outputs.push_back(Output::Console(ConsoleEvent::LineCut { line, said, heard_ms }));
            }
            self.on_air = None;
        }
        if self.human_live {
            // The human host speaks; the AI keeps its state and says nothing, holding lines included.
            return;
        }
        if self.on_air.is_none() {
            let ready = matches!(self.next.as_ref().map(|n| &n.step), Some(Step::Ready(_)));
            if ready && (!self.aired_any || now >= self.quiet_since.plus_ms(self.gap_before_next())) {
                self.air_next(now);
            } else if !ready && !self.queue.is_empty() && now >= self.quiet_since.plus_ms(self.config.hold_after_ms) {
                self.air_holding_line(now);
            }
        }
        if self.next.is_none() {
            self.plan_next(now);
        }
    }

    /// Prepares the one plain line that `product` (on the card until now) sold out.
    fn plan_sold_out(&mut self, now: ShowTime, product: Product) {
        let wall = self.wall(now);
        self.variant = self.variant.wrapping_add(1);
        let turn = TurnId(self.next_turn);
        self.next_turn += 1;
        let lang = self.config.lang;
        let brief = Brief {
            turn,
            kind: LineKind::SoldOut,
            product: Some(product.clone()),
            lang,
            variant: self.variant,
            comment: None,
            asked_by: 0,
            basis: None,
            prompt: Vec::new(),
            pace: self.pace,
        };
        let Some(text) = templates::render_fresh(&brief, &self.history, wall).or_else(|| templates::render(&brief))
        else {
            return;
        };
        self.next = Some(self.own_line(now, turn, LineKind::SoldOut, Some(product)));
        self.voice(now, text, LineSource::Template, None);
    }

    /// A line the show makes itself from the templates (no writer, no comment), in the show's language: the
    /// sold-out line, thanks. Its words go to [`Show::voice`] next.
    pub(super) fn own_line(&self, now: ShowTime, turn: TurnId, kind: LineKind, product: Option<Product>) -> NextLine {
        NextLine {
            kind,
            product,
            lang: self.config.lang,
            variant: self.variant,
            comment: None,
            asked_by: 0,
            basis: None,
            moderated: false,
            by: None,
            prompt: Vec::new(),
            pace: self.pace,
            substituted: true,
            refused: Vec::new(),
            place: None,
            step: Step::Writing { turn, deadline: now.plus_ms(self.config.writer_timeout_ms) },
        }
    }

    /// The silence kept after a line before the next one starts. A viewer's answer does not wait it: the voice's
    /// own closing pause (about 300 ms with espeak-ng) is the breath before it, as after a cut at a sentence end.
    pub(super) fn gap_before_next(&self) -> u64 {
        let answer = self.next.as_ref().is_some_and(|n| matches!(n.kind, LineKind::Answer(_)));
        if answer { 0 } else { self.config.gap_ms }
    }

    /// A viewer's answer is ready while a pitch is on air: the pitch ends at its next sentence end instead of
    /// running to its last word, so the answer is heard after the rest of the current sentence (and the natural
    /// pause), not after the whole turn.
    fn cut_for_answer(&mut self, now: ShowTime) {
        let answer_ready = self
            .next
            .as_ref()
            .is_some_and(|n| matches!(n.kind, LineKind::Answer(_)) && matches!(n.step, Step::Ready(_)));
        let Some(on_air) = self.on_air.as_mut().filter(|o| answer_ready && o.cut.is_none()) else { return };
        if let Some(&(at, said)) = on_air.cuts.iter().find(|(at, _)| *at >= now && *at < on_air.ends_at) {
            on_air.ends_at = at;
            on_air.cut = Some(said);
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
                basis: None,
                moderated: true,
                by: held.by,
                prompt: Vec::new(),
                pace: self.pace,
                substituted: true,
                refused: held.guard,
                place: None,
                step: Step::Writing { turn: TurnId(0), deadline: now },
            });
            self.voice_as(now, held.line, held.text, held.source, held.note);
            return;
        }
        if self.queue.is_empty() {
            return;
        }
        if let Some(product) = self.sold_out_due() {
            // One plain line from the templates: no writer, no pressure, then the queue moves on.
            return self.plan_sold_out(now, product);
        }
        let mut lang = self.config.lang;
        let wall_now = self.wall(now);
        let disclosure_due = self
            .last_disclosure
            .is_none_or(|last| wall_now.0.saturating_sub(last.0) >= self.config.disclosure_every_ms as i64);
        let wall = self.wall(now);
        let mut comment = None;
        let mut asked_by = 0;
        let mut basis = None;
        let mut place = None;
        let resumed = self.resume.take().and_then(|r| self.resumable(r, wall));
        let (kind, product) = if let Some(resume) = resumed {
            // The line the moderators' words displaced, planned again as it was.
            lang = resume.lang;
            comment = resume.comment;
            asked_by = resume.asked_by;
            basis = resume.basis;
            if matches!(resume.kind, LineKind::Pitch(_)) {
                self.answers_in_a_row = 0;
            }
            (resume.kind, resume.product.and_then(|id| self.queue.get(&id)).cloned())
        } else if let Some(kind) = self.care_lines.pop_front() {
            // One general line for a viewer who needs a person: no product, no comment on screen, no name.
            let helpline = match kind {
                // Only the help line set for this language: another language's may be another country's number.
                model::CareKind::Crisis => match lang {
                    Lang::En => self.config.care_helpline.en.clone(),
                    Lang::Zh => self.config.care_helpline.zh.clone(),
                },
                _ => None,
            };
            basis = Some(Basis::Care { kind, helpline });
            let intent = match kind {
                model::CareKind::Scam => Intent::ComplaintOrRefund,
                model::CareKind::Minor | model::CareKind::Money => Intent::PurchaseIntent,
                model::CareKind::Crisis | model::CareKind::Medical | model::CareKind::Access => Intent::HealthOrSafety,
            };
            (LineKind::Handoff(intent), None)
        } else if disclosure_due {
            // Counted from when it is planned, so a slow writer cannot make it fire twice.
            self.last_disclosure = Some(wall_now);
            (LineKind::Disclosure, None)
        } else if self.thanks_due(wall) {
            // Plain thanks for gifts and memberships, between other lines, merged when many gave at once.
            return self.plan_thanks(now);
        } else if let Some((c, intent)) = self.handoffs.pop_front() {
            // A viewer handed to a human is answered in their own language, like any other answer.
            lang = crate::prompt::reply_lang(&c.text, lang);
            comment = Some(c);
            asked_by = 1;
            (LineKind::Handoff(intent), self.queue.current().cloned())
        } else if let Some(picked) = self.pick_question(now) {
            self.answers_in_a_row += 1;
            let about = picked.label.product.as_ref().and_then(|id| self.queue.get(id));
            let product = about.or_else(|| self.queue.current()).cloned();
            asked_by = picked.asked_by;
            // Answer in the viewer's language when triage could tell it.
            lang = picked.label.lang.unwrap_or(lang);
            let intent = picked.label.intent;
            if matches!(intent, Intent::ProductQuestion | Intent::PriceStockShipping) {
                let found = crate::answers::basis(product.as_ref(), &picked.comment.text, picked.topic, lang, wall);
                if found == Basis::Unknown {
                    // The host says it does not know; a moderator may, so the question goes to their queue.
                    let about = product.as_ref().map_or(String::new(), |p| format!(" about {}", p.id));
                    self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                        comment: picked.comment.clone(),
                        intent,
                        reason: Some(format!("the product data{about} does not answer this question")),
                        care: None,
                    }));
                }
                basis = Some(found);
            }
            comment = Some(picked.comment);
            (LineKind::Answer(intent), product)
        } else {
            self.owed_pitch = self.answers_in_a_row >= super::answers::MAX_ANSWERS_IN_A_ROW;
            self.answers_in_a_row = 0;
            place = Some(self.queue.place());
            if let Some(variant) = self.config.links.variant_at(wall) {
                self.queue.set_pitch_order(variant.pitch_order());
            }
            match self.queue.next_pitch(now, wall, lang) {
                // While the show is calm after a crisis, the offer facet (price, stock, countdown) gives way to a
                // plain introduction of the product.
                Some((product, Facet::Offer)) if self.calm(wall) => (LineKind::Pitch(Facet::Hook), Some(product)),
                Some((product, facet)) => (LineKind::Pitch(facet), Some(product)),
                // Nothing may be pitched (all sold out or outside their windows): the holding line fills in.
                None => return,
            }
        };
        self.variant = self.variant.wrapping_add(1);
        let turn = TurnId(self.next_turn);
        self.next_turn += 1;
        let mut brief = Brief {
            turn,
            kind,
            product: product.clone(),
            lang,
            variant: self.variant,
            comment: comment.clone(),
            asked_by,
            basis: basis.clone(),
            prompt: Vec::new(),
            pace: self.pace,
        };
        brief.prompt = self.prompt_for(&brief, wall);
        let prompt = brief.prompt.clone();
        self.next = Some(NextLine {
            kind,
            product,
            lang,
            variant: self.variant,
            comment,
            asked_by,
            basis,
            moderated: false,
            by: None,
            prompt,
            pace: self.pace,
            substituted: false,
            refused: Vec::new(),
            place,
            step: Step::Writing { turn, deadline: now.plus_ms(self.config.writer_timeout_ms) },
        });
        self.outputs.push_back(Output::Write(Box::new(brief)));
    }

    pub(super) fn writing_turn(&self) -> Option<TurnId> {
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Writing { turn, .. }) => Some(*turn),
            _ => None,
        }
    }

    pub(super) fn voicing_line(&self) -> Option<LineId> {
        match self.next.as_ref().map(|n| &n.step) {
            Some(Step::Voicing { line, .. }) => Some(*line),
            _ => None,
        }
    }

    pub(super) fn brief_for(next: &NextLine, turn: TurnId) -> Brief {
        Brief {
            turn,
            kind: next.kind,
            product: next.product.clone(),
            lang: next.lang,
            variant: next.variant,
            comment: next.comment.clone(),
            asked_by: next.asked_by,
            basis: next.basis.clone(),
            prompt: next.prompt.clone(),
            pace: next.pace,
        }
    }

    /// The LLM's instructions for a line: pitches and answers are written by the model; every other kind is said
    /// in fixed words.
    fn prompt_for(&self, brief: &Brief, wall: UnixMs) -> Vec<ChatMessage> {
        let mut messages = self.prompt_at_usual_pace(brief, wall);
        // In plain pace the writer is asked for short, plain sentences (the show cuts long ones anyway).
        if brief.pace == model::Pace::Plain
            && let Some(system) = messages.first_mut()
        {
            system.content.push_str("\n\n");
            system.content.push_str(super::pace::plain_instruction(brief.lang));
        }
        messages
    }

    fn prompt_at_usual_pace(&self, brief: &Brief, wall: UnixMs) -> Vec<ChatMessage> {
        let persona = &self.config.persona;
        let lang = brief.lang;
        let product = brief.product.as_ref();
        let ledger = |p: &Product| ClaimsLedger::for_product(p, lang, wall);
        match (brief.kind, product, brief.comment.as_ref()) {
            (LineKind::Pitch(facet), Some(p), _) => prompt::pitch_messages(persona, &ledger(p), p, facet),
            (LineKind::Answer(intent), _, Some(c)) => {
                let ledger = product.map(ledger).unwrap_or_else(|| ClaimsLedger {
                    product: ProductId(String::new()),
                    lang,
                    now: wall,
                    facts: Vec::new(),
                });
                let brief = AnswerBrief {
                    turn: brief.turn,
                    comment: c.clone(),
                    intent,
                    product: product.cloned(),
                    lang,
                    basis: brief.basis.clone(),
                };
                prompt::answer_messages(persona, &ledger, &brief)
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn fall_back_to_template(&mut self, now: ShowTime, why: Note) {
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

    /// The voiced (or, on failure, silent) line is ready to go on air.
    pub(super) fn make_ready(
        &mut self,
        voiced: Option<(u32, Vec<VisemeKey>, Option<AudioClip>)>,
        failure: Option<Note>,
    ) {
        let Some(next) = self.next.as_mut() else {
            return;
        };
        let Step::Voicing { line, text, source, note, guard, .. } = &next.step else {
            return;
        };
        let (duration_ms, visemes, audio) = voiced.unwrap_or_else(|| {
            (timing::estimate_duration_ms(text.as_str()), timing::estimate_visemes(text.as_str()), None)
        });
        let note = note::join(note.clone(), failure);
        next.step = Step::Ready(ReadyLine {
            line: *line,
            text: text.clone(),
            source: *source,
            note,
            guard: guard.clone(),
            duration_ms,
            visemes,
            audio,
            by: next.by.clone(),
            asked_by: u32::try_from(next.asked_by).unwrap_or(u32::MAX),
        });
    }

    pub(super) fn drop_stale(&mut self, what: String) {
        self.outputs.push_back(Output::Console(ConsoleEvent::StaleResultDropped { what }));
    }

    /// Drops the line being prepared (and the rest of a streamed turn), telling the writer to stop.
    pub(super) fn discard_next(&mut self) -> Option<NextLine> {
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
