//! Server-sent events as OpenAI-compatible servers send them, parsed into text deltas.
//!
//! Servers differ in small ways: OpenAI sends a role-only first chunk and a usage chunk with no choices; llama.cpp
//! and vLLM send `data: [DONE]`; some proxies send `: keep-alive` comments, CRLF line ends or no blank line
//! between events; DeepSeek streams `reasoning_content` before the answer. The parser accepts all of them, and
//! only `delta.content` ever becomes spoken text.

use super::LlmError;
use serde_json::Value;

/// Splits a byte stream into `data:` payloads. Each `data:` line is one payload: chat-completion streams never
/// split one JSON object over several lines, and treating lines alone tolerates servers that omit blank lines.
#[derive(Debug, Default)]
pub struct SseLines {
    line: Vec<u8>,
    last_was_cr: bool,
}

impl SseLines {
    pub fn new() -> SseLines {
        SseLines::default()
    }

    /// Feeds bytes; appends every complete `data:` payload to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<String>) -> Result<(), LlmError> {
        for &b in bytes {
            if b == b'\n' && self.last_was_cr {
                self.last_was_cr = false;
                continue;
            }
            self.last_was_cr = b == b'\r';
            if b == b'\n' || b == b'\r' {
                self.end_line(out)?;
            } else {
                self.line.push(b);
            }
        }
        Ok(())
    }

    /// The stream ended: a last line without a line end still counts.
    pub fn finish(&mut self, out: &mut Vec<String>) -> Result<(), LlmError> {
        self.end_line(out)
    }

    fn end_line(&mut self, out: &mut Vec<String>) -> Result<(), LlmError> {
        let line = std::mem::take(&mut self.line);
        if line.is_empty() || line.first() == Some(&b':') {
            // A blank line ends an event; a colon starts a comment (keep-alive).
            return Ok(());
        }
        let text = String::from_utf8(line).map_err(|_| LlmError::Malformed("a line is not UTF-8".into()))?;
        if let Some(data) = text.strip_prefix("data:") {
            out.push(data.strip_prefix(' ').unwrap_or(data).to_string());
        }
        // `event:`, `id:` and `retry:` lines, and anything else, are ignored as the SSE format says.
        Ok(())
    }
}

/// What one `data:` payload means.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChunkEvent {
    /// Text to speak (never reasoning).
    pub text: Option<String>,
    /// Why the model stopped (`stop`, `length` ...), once it says.
    pub finish_reason: Option<String>,
    /// `[DONE]`: the server closes the stream.
    pub done: bool,
}

/// Reads one payload.
pub fn parse_chunk(data: &str) -> Result<ChunkEvent, LlmError> {
    let data = data.trim();
    if data == "[DONE]" {
        return Ok(ChunkEvent { done: true, ..ChunkEvent::default() });
    }
    if data.is_empty() {
        return Ok(ChunkEvent::default());
    }
    let value: Value = serde_json::from_str(data).map_err(|e| {
        let start: String = data.chars().take(60).collect();
        LlmError::Malformed(format!("{e} in {start:?}"))
    })?;
    if let Some(error) = value.get("error") {
        let message =
            error.get("message").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| error.to_string());
        return Err(LlmError::Api(message));
    }
    let mut event = ChunkEvent::default();
    let Some(choice) = value.get("choices").and_then(Value::as_array).and_then(|c| c.first()) else {
        // A usage chunk (no choices) or a server's own bookkeeping.
        return Ok(event);
    };
    let content = choice
        .get("delta")
        .and_then(|d| d.get("content"))
        .or_else(|| choice.get("message").and_then(|m| m.get("content")))
        .or_else(|| choice.get("text"))
        .and_then(Value::as_str);
    if let Some(text) = content.filter(|t| !t.is_empty()) {
        event.text = Some(text.to_string());
    }
    event.finish_reason = choice.get("finish_reason").and_then(Value::as_str).map(str::to_string);
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payloads(chunks: &[&[u8]]) -> Vec<String> {
        let mut lines = SseLines::new();
        let mut out = Vec::new();
        for chunk in chunks {
            lines.feed(chunk, &mut out).unwrap();
        }
        lines.finish(&mut out).unwrap();
        out
    }

    #[test]
    fn llm_sse_lines_survive_crlf_comments_and_splits_anywhere() {
        let out = payloads(&[b": keep-alive\r\n\r\nda", b"ta: {\"a\":1}\r", b"\n\r\ndata:[DONE]"]);
        assert_eq!(out, vec!["{\"a\":1}".to_string(), "[DONE]".to_string()]);
        // A multi-byte character split across two chunks.
        let bytes = "data: 茶\n".as_bytes();
        assert_eq!(payloads(&[&bytes[..7], &bytes[7..]]), vec!["茶".to_string()]);
    }

    #[test]
    fn llm_chunk_variants_yield_only_spoken_text() {
        let role_only = r#"{"choices":[{"index":0,"delta":{"role":"assistant"},"finish_reason":null}]}"#;
        assert_eq!(parse_chunk(role_only).unwrap(), ChunkEvent::default());
        let reasoning = r#"{"choices":[{"delta":{"reasoning_content":"The user wants","content":null}}]}"#;
        assert_eq!(parse_chunk(reasoning).unwrap().text, None);
        let text = r#"{"choices":[{"delta":{"content":"Hi"}}]}"#;
        assert_eq!(parse_chunk(text).unwrap().text.as_deref(), Some("Hi"));
        let last = r#"{"choices":[{"delta":{},"finish_reason":"stop"}]}"#;
        assert_eq!(parse_chunk(last).unwrap().finish_reason.as_deref(), Some("stop"));
        let usage = r#"{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2}}"#;
        assert_eq!(parse_chunk(usage).unwrap(), ChunkEvent::default());
        assert!(parse_chunk("[DONE]").unwrap().done);
        assert!(matches!(parse_chunk("{\"choices\":[{\"delta\""), Err(LlmError::Malformed(_))));
        assert_eq!(
            parse_chunk(r#"{"error":{"message":"context too long"}}"#),
            Err(LlmError::Api("context too long".into()))
        );
    }
}
