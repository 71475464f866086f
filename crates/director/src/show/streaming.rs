//! Streaming writers: the first sentence of a turn airs as soon as it is voiced, the rest follow as lines.

use super::Show;
use super::flow::NextLine;
use super::note::Note;
use model::{Fallback, LineSource, ShowTime, TurnId};
use std::collections::VecDeque;

/// The rest of a streamed turn: its sentences follow the first as lines of their own, in order.
#[derive(Clone, Debug)]
pub(super) struct Streaming {
    pub(super) turn: TurnId,
    /// The turn's line as planned (kind, product, comment), for the follow-up lines.
    pub(super) context: NextLine,
    pub(super) sentences: VecDeque<(String, LineSource)>,
    pub(super) done: bool,
    /// If the writer stalls, the turn ends here with what was said.
    pub(super) deadline: ShowTime,
}

impl Show {
    /// A sentence from a streaming writer: the first of the turn is voiced at once, the rest wait their turn.
    pub(super) fn take_sentence(&mut self, now: ShowTime, turn: TurnId, text: String, source: LineSource) {
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
            return self.fall_back_to_template(now, Note::fallback(Fallback::WriterRepeated));
        }
        let mut context = next.clone();
        context.moderated = true;
        // Its first sentence is going on air: the pitch is said, never given back to the queue.
        context.place = None;
        self.streaming =
            Some(Streaming { turn, context, sentences: VecDeque::new(), done: false, deadline: now.plus_ms(gap) });
        self.voice(now, text, source, None);
        self.step(now);
    }
}
