//! Why a line is what it is, carried with it to the air: words for people and, when it fell back, the typed
//! [`Fallback`]s the console counts. A fall-back's words are made from the reason, so the two never disagree.

use model::Fallback;

/// The note a line carries from the moment the show decides what to say until it airs as
/// [`model::AiredLine::note`] and [`model::AiredLine::fallbacks`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Note {
    /// For the audit log and the console's transcript; several reasons are joined with "; ".
    pub(super) text: String,
    /// Each step down the ladder, in the order the line took them.
    pub(super) fallbacks: Vec<Fallback>,
}

impl Note {
    /// The line fell back for `reason`.
    pub(super) fn fallback(reason: Fallback) -> Note {
        Note { text: words(reason).to_string(), fallbacks: vec![reason] }
    }

    /// The line fell back for `reason`, with the error that caused it (the writer's or the voice's), for people.
    pub(super) fn fallback_because(reason: Fallback, detail: &str) -> Note {
        Note { text: format!("{}: {detail}", words(reason)), fallbacks: vec![reason] }
    }

    /// Words only: nothing fell back (a moderator wrote or edited the line).
    pub(super) fn plain(text: &str) -> Note {
        Note { text: text.to_string(), fallbacks: Vec::new() }
    }

    /// This note, then `later`'s reasons.
    pub(super) fn and(mut self, later: Note) -> Note {
        self.text = format!("{}; {}", self.text, later.text);
        self.fallbacks.extend(later.fallbacks);
        self
    }
}

/// `earlier`, then `later`, when either is there.
pub(super) fn join(earlier: Option<Note>, later: Option<Note>) -> Option<Note> {
    match (earlier, later) {
        (Some(a), Some(b)) => Some(a.and(b)),
        (a, b) => a.or(b),
    }
}

/// What the audit log has always said for each reason (scripts and people read these words; only the metrics
/// needed them typed).
fn words(reason: Fallback) -> &'static str {
    match reason {
        Fallback::WriterTimeout => "the writer took too long",
        Fallback::WriterFailed => "the writer failed",
        Fallback::WriterEmpty => "the writer returned an empty line",
        Fallback::WriterRepeated => "the writer repeated a line said within 30 minutes",
        Fallback::WriterRefused => "the gate refused the writer's words; template line",
        Fallback::LineRefused => "the gate refused the line's words; holding line",
        Fallback::VoiceFailed => "the voice failed, captions only",
        Fallback::VoiceTimeout => "the voice took too long, captions only",
        Fallback::HoldingLine => "nothing else was ready; holding line to avoid dead air",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fallback_note_says_its_reason_in_words_and_keeps_it_typed() {
        let writer = Note::fallback_because(Fallback::WriterFailed, "503 from the LLM");
        let voice = Note::fallback(Fallback::VoiceTimeout);
        let both = join(Some(writer), Some(voice)).expect("a note");
        assert_eq!(both.text, "the writer failed: 503 from the LLM; the voice took too long, captions only");
        assert_eq!(both.fallbacks, [Fallback::WriterFailed, Fallback::VoiceTimeout]);
        assert!(Note::plain("a moderator's words").fallbacks.is_empty());
        assert_eq!(join(None, None), None);
    }
}
