//! Why a line came from further down the no-dead-air ladder than the show planned, shared by the director (which
//! falls back), the audit log and the console's metrics (which count it): a typed enum, so nothing downstream
//! parses a line's note.

use serde::{Deserialize, Serialize};

/// One step down the ladder (writer, template line, captions only, holding line) and what caused it. The snake_case
/// [`Fallback::name`] is stable: the audit log stores it and the console's `shopcast_fallbacks_total` counts by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// The writer did not finish within `writer_timeout`: a template line was said instead.
    WriterTimeout,
    /// The writer failed (the LLM answered with an error, the connection dropped, the task panicked): a template
    /// line.
    WriterFailed,
    /// The writer returned nothing to say: a template line.
    WriterEmpty,
    /// The writer repeated a line said within 30 minutes: a template line.
    WriterRepeated,
    /// The gate refused every word the writer wrote: a template line in their place.
    WriterRefused,
    /// The gate refused a line's words and no template line could stand in (or one already had, this turn): a
    /// holding line.
    LineRefused,
    /// The voice failed: the line aired with captions only.
    VoiceFailed,
    /// The voice did not finish within `voice_timeout`: captions only.
    VoiceTimeout,
    /// Nothing else was ready when the silence reached `hold_after`: a holding line against dead air.
    HoldingLine,
}

impl Fallback {
    /// The stable snake_case name (the metrics' `reason` label and the audit log's value).
    pub fn name(self) -> &'static str {
        match self {
            Fallback::WriterTimeout => "writer_timeout",
            Fallback::WriterFailed => "writer_failed",
            Fallback::WriterEmpty => "writer_empty",
            Fallback::WriterRepeated => "writer_repeated",
            Fallback::WriterRefused => "writer_refused",
            Fallback::LineRefused => "line_refused",
            Fallback::VoiceFailed => "voice_failed",
            Fallback::VoiceTimeout => "voice_timeout",
            Fallback::HoldingLine => "holding_line",
        }
    }

    /// Every reason, in declaration order.
    pub const ALL: [Fallback; 9] = [
        Fallback::WriterTimeout,
        Fallback::WriterFailed,
        Fallback::WriterEmpty,
        Fallback::WriterRepeated,
        Fallback::WriterRefused,
        Fallback::LineRefused,
        Fallback::VoiceFailed,
        Fallback::VoiceTimeout,
        Fallback::HoldingLine,
    ];
}

impl std::fmt::Display for Fallback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::Fallback;

    #[test]
    fn every_reason_has_a_distinct_name_that_serde_writes_the_same_way() {
        let mut names: Vec<&str> = Fallback::ALL.iter().map(|r| r.name()).collect();
        for reason in Fallback::ALL {
            assert_eq!(serde_json::to_string(&reason).unwrap(), format!("\"{}\"", reason.name()));
            assert_eq!(serde_json::from_str::<Fallback>(&format!("\"{}\"", reason.name())).unwrap(), reason);
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Fallback::ALL.len());
    }
}
