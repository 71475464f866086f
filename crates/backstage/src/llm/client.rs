//! The streaming chat-completions client: one request per turn, text deltas out on a channel as they arrive.
//!
//! Each call to [`LlmClient::stream`] spawns a task that owns the HTTP request. The director's budget is short (a
//! line must be ready in about a second and a half), so every wait has its own clock: connecting, the first
//! token, the gap between chunks and the whole turn. Failures before any text was delivered are retried with
//! backoff (honouring `Retry-After` on 429); once text has gone out, a retry would repeat words, so the error is
//! reported instead. Dropping the [`LlmStream`] aborts the task and the request: that is how the director
//! cancels a turn it pre-empted. A circuit breaker shared by clones makes the writer fail fast (and the show
//! fall back to templates) while the server is down, then lets a single probe through after a cool-down.

use super::LlmError;
use super::sse::{SseLines, parse_chunk};
use crate::backoff::{Backoff, Jitter};
use director::prompt::ChatMessage;
use futures_util::StreamExt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::time::Instant;

/// How to reach the server and how long to wait for it. Secrets come from the caller (which reads them from the
/// environment); `Debug` never prints the key.
#[derive(Clone)]
pub struct LlmConfig {
    /// The API root including the version, e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`.
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub connect_timeout: Duration,
    /// From sending the request to the first spoken text (reasoning does not count).
    pub first_token_timeout: Duration,
    /// The longest silence between two chunks (keep-alive comments count as chunks).
    pub chunk_gap_timeout: Duration,
    /// The whole turn, retries included.
    pub total_timeout: Duration,
    /// Retries after the first attempt, for retryable failures before any text went out.
    pub max_retries: u32,
    pub backoff_base: Duration,
    pub backoff_max: Duration,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
    /// A runaway stream is cut here.
    pub max_response_bytes: usize,
    /// Consecutive failed turns that open the circuit.
    pub breaker_failures: u32,
    /// How long the circuit stays open before one probe is let through.
    pub breaker_cooldown: Duration,
}

impl LlmConfig {
    /// Defaults tuned for a live show: a line must start within the director's writer timeout.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>) -> LlmConfig {
        LlmConfig {
            base_url: base_url.into(),
            model: model.into(),
            api_key: None,
            connect_timeout: Duration::from_secs(2),
            first_token_timeout: Duration::from_secs(3),
            chunk_gap_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(20),
            max_retries: 2,
            backoff_base: Duration::from_millis(250),
            backoff_max: Duration::from_secs(4),
            max_tokens: Some(200),
            temperature: Some(0.7),
            max_response_bytes: 1 << 20,
            breaker_failures: 3,
            breaker_cooldown: Duration::from_secs(30),
        }
    }

    pub fn with_api_key(mut self, key: impl Into<String>) -> LlmConfig {
        let key = key.into();
        self.api_key = (!key.trim().is_empty()).then_some(key);
        self
    }

    fn endpoint(&self) -> String {
        format!("{}/chat/completions", self.base_url.trim_end_matches('/'))
    }
}

impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("first_token_timeout", &self.first_token_timeout)
            .field("chunk_gap_timeout", &self.chunk_gap_timeout)
            .field("total_timeout", &self.total_timeout)
            .field("max_retries", &self.max_retries)
            .finish_non_exhaustive()
    }
}

/// The circuit breaker's state, shared by every clone of a client.
#[derive(Debug)]
struct Breaker {
    failures: u32,
    state: BreakerState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BreakerState {
    Closed,
    Open {
        until: Instant,
    },
    /// One probe is in flight; everyone else fails fast until it reports.
    Probing,
}

impl Breaker {
    fn admit(&mut self, now: Instant) -> Result<(), LlmError> {
        match self.state {
            BreakerState::Closed => Ok(()),
            BreakerState::Open { until } if now >= until => {
                self.state = BreakerState::Probing;
                Ok(())
            }
            BreakerState::Open { until } => {
                Err(LlmError::CircuitOpen { failures: self.failures, retry_in: until.saturating_duration_since(now) })
            }
            BreakerState::Probing => Err(LlmError::CircuitOpen { failures: self.failures, retry_in: Duration::ZERO }),
        }
    }

    fn record(&mut self, ok: bool, now: Instant, threshold: u32, cooldown: Duration) {
        if ok {
            self.failures = 0;
            self.state = BreakerState::Closed;
            return;
        }
        self.failures = self.failures.saturating_add(1);
        if self.state == BreakerState::Probing || self.failures >= threshold {
            self.state = BreakerState::Open { until: now + cooldown };
        }
    }

    /// A turn was cancelled before it finished: it proves nothing, but a probe slot must be given back.
    fn abandon(&mut self, now: Instant) {
        if self.state == BreakerState::Probing {
            self.state = BreakerState::Open { until: now };
        }
    }
}

/// An OpenAI-compatible chat-completions client. Cheap to clone; clones share the connection pool and breaker.
#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    config: Arc<LlmConfig>,
    breaker: Arc<Mutex<Breaker>>,
}

impl std::fmt::Debug for LlmClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmClient").field("config", &self.config).finish_non_exhaustive()
    }
}

impl LlmClient {
    pub fn new(config: LlmConfig) -> Result<LlmClient, LlmError> {
        if config.model.trim().is_empty() {
            return Err(LlmError::Config("the model name is empty".into()));
        }
        let url = reqwest::Url::parse(&config.endpoint())
            .map_err(|e| LlmError::Config(format!("base URL {:?}: {e}", config.base_url)))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(LlmError::Config(format!("base URL {:?} must be http or https", config.base_url)));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| LlmError::Config(format!("HTTP client: {e}")))?;
        Ok(LlmClient {
            http,
            config: Arc::new(config),
            breaker: Arc::new(Mutex::new(Breaker { failures: 0, state: BreakerState::Closed })),
        })
    }

    pub fn config(&self) -> &LlmConfig {
        &self.config
    }

    /// Whether the breaker would let a request through now (for status displays).
    pub fn circuit_open(&self) -> bool {
        self.breaker.lock().map(|b| !matches!(b.state, BreakerState::Closed)).unwrap_or(false)
    }

    /// Starts a streaming completion. Fails at once when the circuit is open; otherwise text deltas (and at most
    /// one error, last) arrive on the returned stream. Must be called inside a tokio runtime.
    pub fn stream(&self, messages: &[ChatMessage]) -> Result<LlmStream, LlmError> {
        {
            let mut breaker = self.breaker.lock().map_err(|_| LlmError::Config("breaker lock poisoned".into()))?;
            breaker.admit(Instant::now())?;
        }
        let body = self.request_body(messages);
        let (tx, rx) = mpsc::channel(64);
        let client = self.clone();
        let finish_reason = Arc::new(Mutex::new(None));
        let reason = finish_reason.clone();
        let task = tokio::spawn(async move {
            let mut ticket = BreakerTicket { breaker: client.breaker.clone(), settled: false };
            let result = client.run(&body, &tx, &reason).await;
            let ok = result.is_ok();
            if let Err(e) = result {
                // Nobody listening means the turn was cancelled; do not count it either way.
                if tx.send(Err(e)).await.is_err() {
                    return;
                }
            }
            ticket.settle(ok, &client.config);
        });
        Ok(LlmStream { rx, task, finish_reason })
    }

    fn request_body(&self, messages: &[ChatMessage]) -> serde_json::Value {
        let messages: Vec<serde_json::Value> =
            messages.iter().map(|m| serde_json::json!({ "role": m.role.as_str(), "content": m.content })).collect();
        let mut body = serde_json::json!({
            "model": self.config.model,
            "messages": messages,
            "stream": true,
        });
        if let Some(max) = self.config.max_tokens {
            body["max_tokens"] = max.into();
        }
        if let Some(t) = self.config.temperature {
            body["temperature"] = serde_json::json!(t);
        }
        body
    }

    /// All attempts of one turn, under the total deadline.
    async fn run(
        &self,
        body: &serde_json::Value,
        tx: &mpsc::Sender<Result<String, LlmError>>,
        finish_reason: &Mutex<Option<String>>,
    ) -> Result<(), LlmError> {
        let config = &self.config;
        let deadline = Instant::now() + config.total_timeout;
        let mut delivered = false;
        let mut attempt = 0u32;
        loop {
            let outcome =
                match tokio::time::timeout_at(deadline, self.attempt(body, tx, &mut delivered, finish_reason)).await {
                    Ok(outcome) => outcome,
                    Err(_) => Err(LlmError::TotalTimeout(config.total_timeout)),
                };
            let error = match outcome {
                Ok(()) => return Ok(()),
                Err(e) => e,
            };
            if delivered || !error.is_retryable() || attempt >= config.max_retries {
                return Err(error);
            }
            let wait = match &error {
                LlmError::RateLimited { retry_after: Some(after) } => *after,
                _ => backoff(config, attempt),
            };
            if Instant::now() + wait >= deadline {
                // Waiting would outlast the turn: report the real cause now, so the show moves on.
                return Err(error);
            }
            tracing::debug!(attempt, ?wait, "LLM attempt failed, retrying: {error}");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// One HTTP request, streamed into `tx`.
    async fn attempt(
        &self,
        body: &serde_json::Value,
        tx: &mpsc::Sender<Result<String, LlmError>>,
        delivered: &mut bool,
        finish_reason: &Mutex<Option<String>>,
    ) -> Result<(), LlmError> {
        let config = &self.config;
        let started = Instant::now();
        let first_deadline = started + config.first_token_timeout;
        let mut request =
            self.http.post(config.endpoint()).header(reqwest::header::ACCEPT, "text/event-stream").json(body);
        if let Some(key) = &config.api_key {
            request = request.bearer_auth(key);
        }
        let response = match tokio::time::timeout_at(first_deadline, request.send()).await {
            Err(_) => return Err(LlmError::FirstTokenTimeout(config.first_token_timeout)),
            Ok(Err(e)) if e.is_connect() => return Err(LlmError::Connect(e.to_string())),
            Ok(Err(e)) => return Err(LlmError::Network(e.to_string())),
            Ok(Ok(response)) => response,
        };
        let status = response.status();
        if !status.is_success() {
            return Err(status_error(response).await);
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if !content_type.to_ascii_lowercase().starts_with("text/event-stream") {
            return Err(LlmError::WrongContentType(content_type));
        }

        let mut body = response.bytes_stream();
        let mut lines = SseLines::new();
        let mut payloads = Vec::new();
        let mut received = 0usize;
        let mut finished = false;
        let mut got_text = false;
        loop {
            let gap_deadline = Instant::now() + config.chunk_gap_timeout;
            let wait_until = if got_text { gap_deadline } else { gap_deadline.min(first_deadline) };
            let next = match tokio::time::timeout_at(wait_until, body.next()).await {
                Ok(next) => next,
                Err(_) if !got_text && Instant::now() >= first_deadline => {
                    return Err(LlmError::FirstTokenTimeout(config.first_token_timeout));
                }
                Err(_) => return Err(LlmError::StallTimeout(config.chunk_gap_timeout)),
            };
            let eof = next.is_none();
            match next {
                None => lines.finish(&mut payloads)?,
                Some(Err(e)) => return Err(LlmError::Network(e.to_string())),
                Some(Ok(bytes)) => {
                    received = received.saturating_add(bytes.len());
                    if received > config.max_response_bytes {
                        return Err(LlmError::TooLarge(config.max_response_bytes));
                    }
                    lines.feed(&bytes, &mut payloads)?;
                }
            }
            for data in payloads.drain(..) {
                let event = parse_chunk(&data)?;
                if let Some(text) = event.text {
                    got_text = true;
                    *delivered = true;
                    if tx.send(Ok(text)).await.is_err() {
                        // The consumer is gone: the turn was cancelled.
                        return Ok(());
                    }
                }
                if let Some(reason) = event.finish_reason {
                    finished = true;
                    if let Ok(mut slot) = finish_reason.lock() {
                        *slot = Some(reason);
                    }
                }
                if event.done {
                    return Ok(());
                }
            }
            if eof {
                // Some servers close after the finish reason without [DONE]; without either, words are missing.
                return if finished { Ok(()) } else { Err(LlmError::Truncated) };
            }
        }
    }
}

/// The error for a non-2xx response, with the server's own message when it sent one (OpenAI-shaped or not).
async fn status_error(response: reqwest::Response) -> LlmError {
    let status = response.status().as_u16();
    let retry_after = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(|s| Duration::from_secs_f64(s.min(300.0)));
    if status == 429 {
        return LlmError::RateLimited { retry_after };
    }
    // The body is only for the message; a server that trickles it must not hold the turn.
    let body = tokio::time::timeout(Duration::from_millis(500), response.text()).await.ok().and_then(Result::ok);
    let message = body
        .as_deref()
        .map(|b| {
            serde_json::from_str::<serde_json::Value>(b)
                .ok()
                .and_then(|v| {
                    v.get("error").and_then(|e| e.get("message")).and_then(|m| m.as_str()).map(str::to_string)
                })
                .unwrap_or_else(|| b.chars().take(200).collect())
        })
        .unwrap_or_default();
    if status >= 500 { LlmError::Server { status, message } } else { LlmError::Rejected { status, message } }
}

/// The delay before retry number `attempt` (counted from 0): the shared exponential backoff from `backoff_base` up
/// to `backoff_max`, spread over 50-100 % so clients that failed together do not retry together.
fn backoff(config: &LlmConfig, attempt: u32) -> Duration {
    Backoff::new(config.backoff_base, config.backoff_max).jittered(attempt, &mut Jitter::new())
}

/// Settles the breaker when a turn ends, and gives a probe slot back if the task is aborted first.
struct BreakerTicket {
    breaker: Arc<Mutex<Breaker>>,
    settled: bool,
}

impl BreakerTicket {
    fn settle(&mut self, ok: bool, config: &LlmConfig) {
        if let Ok(mut breaker) = self.breaker.lock() {
            breaker.record(ok, Instant::now(), config.breaker_failures.max(1), config.breaker_cooldown);
        }
        self.settled = true;
    }
}

impl Drop for BreakerTicket {
    fn drop(&mut self) {
        if !self.settled
            && let Ok(mut breaker) = self.breaker.lock()
        {
            breaker.abandon(Instant::now());
        }
    }
}

/// The text deltas of one completion. Dropping it cancels the request.
#[derive(Debug)]
pub struct LlmStream {
    rx: mpsc::Receiver<Result<String, LlmError>>,
    task: tokio::task::JoinHandle<()>,
    finish_reason: Arc<Mutex<Option<String>>>,
}

impl LlmStream {
    /// The next text delta; `None` once the completion ended cleanly. An error is always the last item.
    pub async fn next_delta(&mut self) -> Option<Result<String, LlmError>> {
        self.rx.recv().await
    }

    /// Why the model stopped, once the stream has ended: `stop`, or `length` when it ran out of tokens mid-thought.
    pub fn finish_reason(&self) -> Option<String> {
        self.finish_reason.lock().ok().and_then(|r| r.clone())
    }

    /// Stops the request now (the same as dropping the stream).
    pub fn cancel(self) {}
}

impl Drop for LlmStream {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl futures_util::Stream for LlmStream {
    type Item = Result<String, LlmError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llm_breaker_opens_after_repeated_failures_and_lets_one_probe_through() {
        let mut breaker = Breaker { failures: 0, state: BreakerState::Closed };
        let t0 = Instant::now();
        let cooldown = Duration::from_secs(30);
        for _ in 0..3 {
            assert!(breaker.admit(t0).is_ok());
            breaker.record(false, t0, 3, cooldown);
        }
        assert!(matches!(breaker.admit(t0), Err(LlmError::CircuitOpen { failures: 3, .. })));
        let later = t0 + cooldown;
        assert!(breaker.admit(later).is_ok(), "the probe");
        assert!(breaker.admit(later).is_err(), "only one probe at a time");
        breaker.record(false, later, 3, cooldown);
        assert!(breaker.admit(later + Duration::from_secs(1)).is_err(), "a failed probe reopens");
        let again = later + cooldown;
        assert!(breaker.admit(again).is_ok());
        breaker.record(true, again, 3, cooldown);
        assert!(breaker.admit(again).is_ok() && breaker.failures == 0, "a good probe closes it");
    }

    #[test]
    fn llm_config_debug_hides_the_key_and_rejects_bad_urls() {
        let config = LlmConfig::new("http://127.0.0.1:1/v1", "m").with_api_key("sk-secret");
        assert!(!format!("{config:?}").contains("sk-secret"));
        assert!(matches!(LlmClient::new(LlmConfig::new("ftp://x", "m")), Err(LlmError::Config(_))));
        assert!(matches!(LlmClient::new(LlmConfig::new("not a url", "m")), Err(LlmError::Config(_))));
    }

    #[test]
    fn llm_backoff_grows_and_is_capped() {
        let config = LlmConfig::new("http://127.0.0.1:1/v1", "m");
        let first = backoff(&config, 0);
        assert!(first >= Duration::from_millis(125) && first <= Duration::from_millis(250), "{first:?}");
        assert!(backoff(&config, 10) <= Duration::from_secs(4));
    }
}
