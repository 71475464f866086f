//! No input silences the show: a panic while handling one drops the turn, tells the console with the input that
//! caused it, and the show steps on.

use super::Show;
use super::protocol::{Input, Output};
use model::{ConsoleEvent, ShowTime};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

impl Show {
    /// After a panic: forget the line being prepared (its state may be half-changed; its late results are
    /// dropped as stale), tell the console, and step on; if stepping panics too, air a holding line so the show is
    /// never silent.
    pub(super) fn recover(&mut self, now: ShowTime, what: String, panic: &(dyn Any + Send)) {
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
pub(super) fn summary(input: &Input) -> String {
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
        Input::EditReply { line, text, .. } => format!("edit of {line}: {}", cut(text)),
        Input::ProductsLoaded(products) => format!("a product queue of {}", products.len()),
        other => cut(&format!("{other:?}")),
    }
}
