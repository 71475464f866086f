//! The one way to the voice: every line's words pass the gate ([`crate::air`]) against the right ledger, and
//! what it refuses is replaced (a template line, a holding line) or dropped.

use super::Show;
use super::flow::{NextLine, Step};
use super::note::{self, Note};
use super::protocol::Output;
use crate::air::{self, Gate};
use crate::ledger::ClaimsLedger;
use crate::templates;
use model::{ConsoleEvent, Fallback, LineId, LineKind, LineSource, Pace, ProductId, ShowTime, TurnId};

impl Show {
    pub(super) fn voice(&mut self, now: ShowTime, text: String, source: LineSource, note: Option<Note>) {
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
        let mut ledger = match next.product.as_ref() {
            Some(p) => ClaimsLedger::for_product(p, next.lang, wall),
            None => ClaimsLedger { product: ProductId(String::new()), lang: next.lang, now: wall, facts: Vec::new() },
        };
        ledger.facts.extend(next.basis.as_ref().and_then(crate::answers::Basis::backs));
        ledger
    }

    /// Runs `text`, written by `source`, through the gate for the line being prepared.
    pub(super) fn gate_text(&self, now: ShowTime, next: &NextLine, text: &str, source: LineSource) -> air::Gated {
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
    pub(super) fn voice_as(
        &mut self,
        now: ShowTime,
        line: LineId,
        text: String,
        source: LineSource,
        note: Option<Note>,
    ) {
        let Some(next) = self.next.as_ref() else {
            return;
        };
        // In plain pace long sentences are cut into short ones before the gate reads them, and a line that states
        // the price says it again (words from the product data, read by the gate with the rest).
        let plain = next.pace == Pace::Plain;
        let text = if plain { super::pace::shortened(&text, next.lang) } else { text };
        let mut gated = self.gate_text(now, next, &text, source);
        if plain
            && let (Some(cleared), Some(product)) = (gated.cleared.as_ref(), next.product.as_ref())
            && super::pace::states_price(cleared.as_str(), product, next.lang)
        {
            let again = format!("{} {}", cleared.as_str(), super::pace::price_again(product, next.lang));
            let repeated = self.gate_text(now, next, &again, source);
            if repeated.cleared.is_some() {
                gated = repeated;
            }
        }
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
                let pace = next.pace;
                self.outputs.push_back(Output::Speak { line, text: cleared, lang, pace });
            }
            None => {
                next.refused.extend(gated.notes);
                self.replace_refused(now, line, &text, source, note);
            }
        }
    }

    /// Nothing of the words for the line being prepared passed the gate: see [`Show::voice_as`]. The line that
    /// airs instead keeps `note` (why the refused words were what they were) and adds why it replaced them.
    fn replace_refused(&mut self, now: ShowTime, line: LineId, text: &str, source: LineSource, note: Option<Note>) {
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
                        note::join(note, Some(Note::fallback(Fallback::WriterRefused))),
                    ),
                    None => self.replace_with_holding_line(now, line, note),
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
            LineSource::Llm | LineSource::Template => self.replace_with_holding_line(now, line, note),
        }
    }

    /// A holding line in place of refused words, about the show rather than the product.
    fn replace_with_holding_line(&mut self, now: ShowTime, line: LineId, note: Option<Note>) {
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
            note::join(note, Some(Note::fallback(Fallback::LineRefused))),
        );
    }
}
