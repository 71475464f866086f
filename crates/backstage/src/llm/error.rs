//! What can go wrong talking to an OpenAI-compatible server, and which of it is worth another try.

use std::time::Duration;

/// One error type for the LLM adapter. Every variant says what happened in words an operator can act on.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LlmError {
    #[error("invalid LLM configuration: {0}")]
    Config(String),
    #[error("cannot connect to the LLM server: {0}")]
    Connect(String),
    #[error("network error talking to the LLM server: {0}")]
    Network(String),
    #[error("the LLM server sent no text within {0:?}")]
    FirstTokenTimeout(Duration),
    #[error("the LLM stream stalled: nothing for {0:?}")]
    StallTimeout(Duration),
    #[error("the LLM took longer than {0:?} in total")]
    TotalTimeout(Duration),
    #[error("the LLM server is rate limiting (429){}", retry_after.map(|d| format!("; retry after {d:?}")).unwrap_or_default())]
    RateLimited { retry_after: Option<Duration> },
    #[error("the LLM server failed with HTTP {status}: {message}")]
    Server { status: u16, message: String },
    #[error("the LLM server rejected the request with HTTP {status}: {message}")]
    Rejected { status: u16, message: String },
    #[error("expected an event stream from the LLM server, got content type {0:?}")]
    WrongContentType(String),
    #[error("malformed event stream from the LLM server: {0}")]
    Malformed(String),
    #[error("the LLM server reported an error mid-stream: {0}")]
    Api(String),
    #[error("the LLM stream ended without [DONE] or a finish reason")]
    Truncated,
    #[error("the LLM response grew past {0} bytes")]
    TooLarge(usize),
    #[error("the LLM circuit is open after {failures} failures in a row; next try in {retry_in:?}")]
    CircuitOpen { failures: u32, retry_in: Duration },
}

impl LlmError {
    /// Whether the same request may succeed if tried again (after a pause). Client mistakes, bad content and
    /// an open circuit are not retried: they would fail the same way.
    pub fn is_retryable(&self) -> bool {
        match self {
            LlmError::Connect(_)
            | LlmError::Network(_)
            | LlmError::FirstTokenTimeout(_)
            | LlmError::StallTimeout(_)
            | LlmError::RateLimited { .. }
            | LlmError::Server { .. }
            | LlmError::Truncated => true,
            LlmError::Config(_)
            | LlmError::TotalTimeout(_)
            | LlmError::Rejected { .. }
            | LlmError::WrongContentType(_)
            | LlmError::Malformed(_)
            | LlmError::Api(_)
            | LlmError::TooLarge(_)
            | LlmError::CircuitOpen { .. } => false,
        }
    }
}
