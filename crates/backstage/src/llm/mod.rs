//! The OpenAI-compatible chat-completions client with SSE streaming.
//!
//! Works with OpenAI, DeepSeek, Ollama's `/v1`, the llama.cpp server and vLLM: anything that answers
//! `POST {base}/chat/completions` with `"stream": true` as server-sent events. Wire formats stop here: the rest of
//! shopcast sees text deltas and [`LlmError`].

mod client;
mod error;
pub mod sse;

pub use client::{LlmClient, LlmConfig, LlmStream};
pub use error::LlmError;

#[cfg(test)]
pub(crate) mod fake_server;
#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod real_server_tests;
