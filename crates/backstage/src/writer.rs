//! Writers turn a director's [`Brief`] into words. Today: the template writer, the offline default.
//!
//! Writers are an enum rather than a trait object: the set is closed and small, dispatch stays obvious, and an
//! LLM client joins as one more variant.

use director::{Brief, templates};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriterError {
    /// The brief asks for something this writer has no words for.
    NothingToSay(String),
}

impl WriterError {
    /// Whether trying the same brief again may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            WriterError::NothingToSay(_) => false,
        }
    }
}

impl fmt::Display for WriterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriterError::NothingToSay(what) => write!(f, "no words for {what}"),
        }
    }
}

impl std::error::Error for WriterError {}

/// The configured writer.
#[derive(Debug, Clone, Default)]
pub enum Writer {
    /// Template lines from the product data: always available, never wrong about a fact.
    #[default]
    Templates,
}

impl Writer {
    pub async fn write(&self, brief: &Brief) -> Result<String, WriterError> {
        match self {
            Writer::Templates => templates::render(brief)
                .ok_or_else(|| WriterError::NothingToSay(format!("{:?} of this product", brief.kind))),
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Writer::Templates => "templates",
        }
    }
}
