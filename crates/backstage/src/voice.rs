//! Voices turn a line's text into speech timing (and, for real engines, audio). Today: the silent voice, which
//! estimates how long the line takes to say so captions and the mouth keep a natural pace.

use director::timing;
use model::{Lang, VisemeKey};
use std::fmt;

/// A synthesised line: how long it lasts and how the mouth moves, relative to the clip's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub duration_ms: u32,
    pub visemes: Vec<VisemeKey>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceError {
    EmptyLine,
}

impl VoiceError {
    pub fn is_retryable(&self) -> bool {
        false
    }
}

impl fmt::Display for VoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VoiceError::EmptyLine => f.write_str("the line has no text to speak"),
        }
    }
}

impl std::error::Error for VoiceError {}

/// The configured voice engine.
#[derive(Debug, Clone, Default)]
pub enum Voice {
    /// No audio: captions only, with durations and visemes estimated from the text.
    #[default]
    Silent,
}

impl Voice {
    pub async fn speak(&self, text: &str, _lang: Lang) -> Result<Clip, VoiceError> {
        if text.trim().is_empty() {
            return Err(VoiceError::EmptyLine);
        }
        match self {
            Voice::Silent => {
                Ok(Clip { duration_ms: timing::estimate_duration_ms(text), visemes: timing::estimate_visemes(text) })
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Voice::Silent => "silent",
        }
    }
}
