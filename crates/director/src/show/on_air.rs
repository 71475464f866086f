//! Putting a ready line on air: the card and the comment it is about, the holding line against dead air, and
//! the only place that builds `PlayLine` and `LineAired`, from the gate's cleared text.

use super::Show;
use super::expressions::body_language;
use super::flow::{ReadyLine, Step};
use super::note::Note;
use super::protocol::Output;
use crate::air::Gate;
use crate::ledger::ClaimsLedger;
use crate::{templates, timing};
use model::{
    AiredLine, Comment, ConsoleEvent, Fallback, Lang, LineId, LineKind, LineSource, ProductId, ShowTime, StageCommand,
    VisemeKey,
};

#[derive(Clone, Debug)]
pub(super) struct OnAir {
    pub(super) line: LineId,
    pub(super) ends_at: ShowTime,
    /// The product the line is about: while it airs, the offer card shows this product and no other.
    pub(super) product: Option<ProductId>,
    /// For a pitch: where it may be cut short for a viewer's answer, each sentence end but the last as the moment
    /// it is heard and the length of the words said up to it.
    pub(super) cuts: Vec<(ShowTime, usize)>,
    /// The words on air, for the audit of a cut.
    pub(super) text: String,
    /// Set once the line is to end early: the length of its words that are heard.
    pub(super) cut: Option<usize>,
    pub(super) started: ShowTime,
}

/// Where a line's sentences end, as moments on air (see [`crate::timing::sentence_ends`]).
pub(super) fn sentence_cuts(
    text: &str,
    duration_ms: u32,
    visemes: &[VisemeKey],
    start: ShowTime,
) -> Vec<(ShowTime, usize)> {
    crate::timing::sentence_ends(text, duration_ms, visemes)
        .into_iter()
        .map(|(t, end)| (start.plus_ms(u64::from(t)), end))
        .collect()
}

impl Show {
    pub(super) fn air_next(&mut self, now: ShowTime) {
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
    pub(super) fn air_holding_line(&mut self, now: ShowTime) {
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
            note: Some(Note::fallback(Fallback::HoldingLine)),
            guard: gated.notes,
            by: None,
            asked_by: 0,
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
        // A pitch may be cut at a sentence end for a viewer's answer; answers, care lines, the AI disclosure and a
        // moderator's words are always said whole.
        // A pitch owed after the answers in a row is the pitch's share of airtime under a busy chat: said whole.
        let cuts = match kind {
            LineKind::Pitch(_) if !self.owed_pitch => sentence_cuts(&text, ready.duration_ms, &ready.visemes, now),
            _ => Vec::new(),
        };
        self.outputs.push_back(Output::Stage(StageCommand::PlayLine {
            line: ready.line,
            text: text.clone(),
            lang,
            duration_ms: ready.duration_ms,
            visemes: ready.visemes,
            audio: ready.audio,
        }));
        let said_text = if cuts.is_empty() { String::new() } else { text.clone() };
        self.outputs.push_back(Output::Console(ConsoleEvent::LineAired(AiredLine {
            line: ready.line,
            t_ms: now.ms(),
            kind,
            product: product.clone(),
            text,
            lang,
            source: ready.source,
            duration_ms: ready.duration_ms,
            note: ready.note.as_ref().map(|n| n.text.clone()),
            fallbacks: ready.note.map(|n| n.fallbacks).unwrap_or_default(),
            trigger,
            wall: self.wall(now),
            guard: ready.guard,
            by: ready.by,
            asked_by: if matches!(kind, LineKind::Answer(_) | LineKind::Handoff(_)) { ready.asked_by } else { 0 },
        })));
        self.on_air = Some(OnAir {
            line: ready.line,
            ends_at: now.plus_ms(ready.duration_ms as u64),
            product,
            cuts,
            text: said_text,
            cut: None,
            started: now,
        });
        self.aired_any = true;
    }
}
