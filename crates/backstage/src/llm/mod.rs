//! The OpenAI-compatible chat-completions client with SSE streaming.
