//! The moderators' side: approve-first replies, edits, say-now lines, moderation modes per intent, the line
//! their words displaced (resumed after them), and refusals of their words with the sentence and rule.

use super::Show;
use super::flow::NextLine;
use super::note::Note;
use super::protocol::Output;
use crate::air::{self, Cleared, Gate};
use crate::guard::{self, GuardVerdict};
use crate::ledger::ClaimsLedger;
use crate::queue::is_eligible;
use crate::{chunker, templates};
use model::{
    Comment, ConsoleEvent, Fallback, GuardNote, GuardRule, Intent, Lang, LineId, LineKind, LineSource, ModerationMode,
    Product, ProductId, ReplyOutcome, ShowTime, TurnId, UnixMs,
};

/// A written reply waiting for a moderator (approve-first mode), or approved and waiting for its turn.
#[derive(Clone, Debug)]
pub(super) struct HeldReply {
    pub(super) line: LineId,
    pub(super) kind: LineKind,
    pub(super) product: Option<Product>,
    pub(super) lang: Lang,
    pub(super) text: String,
    pub(super) source: LineSource,
    pub(super) note: Option<Note>,
    pub(super) guard: Vec<GuardNote>,
    pub(super) comment: Option<Comment>,
    pub(super) asked_by: usize,
    pub(super) since: ShowTime,
    /// The console account that wrote, edited or approved it; `None` while it waits for approval.
    pub(super) by: Option<String>,
}

/// A line to plan again (see [`Show::resume`]).
#[derive(Clone, Debug)]
pub(super) struct Resume {
    pub(super) kind: LineKind,
    pub(super) product: Option<ProductId>,
    pub(super) lang: Lang,
    pub(super) comment: Option<Comment>,
    pub(super) asked_by: usize,
    pub(super) basis: Option<crate::answers::Basis>,
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

/// At most this many replies wait for approval; the oldest expires when another arrives.
const MAX_PENDING_REPLIES: usize = 16;

/// At most this many moderator lines wait for their turn.
const MAX_APPROVED: usize = 16;

impl Show {
    pub(super) fn mode(&self, intent: Intent) -> ModerationMode {
        self.moderation.get(&intent).copied().unwrap_or_default()
    }

    /// Whether a reply must wait for a moderator before it airs.
    pub(super) fn needs_approval(&self, next: &NextLine) -> bool {
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
    pub(super) fn hold_for_approval(&mut self, now: ShowTime, text: String, source: LineSource, note: Option<Note>) {
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
            note = Some(Note::fallback(Fallback::WriterRefused));
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
            by: None,
        });
    }

    /// A moderator approved a pending reply, with their own words when `edited`.
    pub(super) fn approve(&mut self, now: ShowTime, line: LineId, edited: Option<String>, by: String) {
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
                        held.note = Some(Note::plain("edited by a moderator"));
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
        held.by = Some(by);
        self.pending.remove(i);
        self.resolved(line, outcome);
        if self.approved.len() < MAX_APPROVED {
            self.approved.push_back(held);
        }
        self.make_room_for_moderators();
    }

    /// "Say this now": the words go on air as soon as the line on air ends.
    pub(super) fn say_now(&mut self, now: ShowTime, text: String, lang: Option<Lang>, by: String) {
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
            note: Some(Note::plain("a moderator's words")),
            guard: Vec::new(),
            comment: None,
            asked_by: 0,
            since: now,
            by: Some(by),
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
                basis: next.basis,
            });
        }
    }

    /// A displaced line, if it may still be said: a pitch only while its product may be sold and no pin or skip
    /// moved the show elsewhere (those forget it); an answer or hand-off while its comment stands.
    pub(super) fn resumable(&self, resume: Resume, wall: UnixMs) -> Option<Resume> {
        let eligible = |id: &ProductId| self.queue.get(id).is_some_and(|p| is_eligible(p, wall));
        match resume.kind {
            LineKind::Pitch(_) => {
                let id = resume.product.as_ref()?;
                let pinned_elsewhere = self.queue.pinned().is_some_and(|pin| pin != id);
                (eligible(id) && !pinned_elsewhere).then_some(resume)
            }
            LineKind::Answer(_) | LineKind::Handoff(_) => resume.comment.is_some().then_some(resume),
            LineKind::Disclosure => Some(resume),
            LineKind::Filler | LineKind::Moderator | LineKind::SoldOut | LineKind::Thanks => None,
        }
    }

    /// A pin or a skip moves the show: a displaced pitch is not resumed.
    pub(super) fn forget_resumed_pitch(&mut self) {
        if self.resume.as_ref().is_some_and(|r| matches!(r.kind, LineKind::Pitch(_))) {
            self.resume = None;
        }
    }

    /// The product whose facts a refused moderator's `sentence` contradicts: the one the guard refused it against,
    /// else the one it names, else the line's own (`own`).
    pub(super) fn blame(&self, now: ShowTime, sentence: &str, own: Option<&Product>, lang: Lang) -> Option<ProductId> {
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

    pub(super) fn resolved(&mut self, line: LineId, outcome: ReplyOutcome) {
        self.outputs.push_back(Output::Console(ConsoleEvent::ReplyResolved { line, outcome }));
    }

    pub(super) fn moderator_note(&mut self, action: String) {
        self.outputs.push_back(Output::Console(ConsoleEvent::ModeratorAction { action }));
    }

    /// The lines held for moderators as the store keeps them (pending first, then approved, each oldest first).
    fn held_lines(&self) -> Vec<model::HeldLine> {
        let record = |held: &HeldReply, approved: bool| model::HeldLine {
            line: held.line,
            kind: held.kind,
            product: held.product.as_ref().map(|p| p.id.clone()),
            lang: held.lang,
            text: held.text.clone(),
            source: held.source,
            comment: held.comment.clone(),
            approved,
            since: self.wall(held.since),
            by: held.by.clone(),
        };
        self.pending.iter().map(|h| record(h, false)).chain(self.approved.iter().map(|h| record(h, true))).collect()
    }

    /// Tells the store when the held lines changed. Called once after every input and timer (`Show::handle_input`,
    /// `Show::handle_timeout`), so no path that holds, approves, airs or expires a line can forget it.
    pub(super) fn report_held_lines(&mut self) {
        let lines = self.held_lines();
        if lines != self.held_reported {
            self.held_reported = lines.clone();
            self.outputs.push_back(Output::Console(ConsoleEvent::HeldLinesChanged(lines)));
        }
    }

    /// After a restart: each held line comes back under a new line id (ids start again with the process), a
    /// pending reply with the approval time it had left and back in the console's queue. A line about a product no
    /// longer in the queue is dropped with a note.
    pub(super) fn restore_held_lines(&mut self, now: ShowTime, lines: Vec<model::HeldLine>) {
        let wall = self.wall(now);
        for held in lines {
            let product = match &held.product {
                Some(id) => match self.queue.get(id) {
                    Some(p) => Some(p.clone()),
                    None => {
                        self.moderator_note(format!(
                            "a held line about {id} was dropped after the restart: the product is no longer in the \
                             queue ({})",
                            held.text
                        ));
                        continue;
                    }
                },
                None => None,
            };
            let age = u64::try_from(wall.0.saturating_sub(held.since.0)).unwrap_or(0);
            if !held.approved && age >= self.config.approval_timeout_ms {
                continue;
            }
            let line = LineId(self.next_line);
            self.next_line += 1;
            let reply = HeldReply {
                line,
                kind: held.kind,
                product,
                lang: held.lang,
                text: held.text,
                source: held.source,
                note: Some(Note::plain("held before a restart")),
                guard: Vec::new(),
                comment: held.comment,
                asked_by: 0,
                since: ShowTime(now.ms().saturating_sub(age)),
                by: held.by,
            };
            if held.approved {
                if self.approved.len() < MAX_APPROVED {
                    self.approved.push_back(reply);
                }
            } else if self.pending.len() < MAX_PENDING_REPLIES {
                self.outputs.push_back(Output::Console(ConsoleEvent::ReplyPending {
                    line,
                    kind: reply.kind,
                    product: reply.product.as_ref().map(|p| p.id.clone()),
                    text: reply.text.clone(),
                    lang: reply.lang,
                    trigger: reply.comment.clone(),
                }));
                self.pending.push_back(reply);
            }
        }
        self.make_room_for_moderators();
    }
}
