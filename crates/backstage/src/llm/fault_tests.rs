//! The client against a fault-injecting fake server: each fault ends in the right error or a recovery.
//!
//! These run on the real clock (the sockets are real, and tokio's paused clock would fire every timeout while
//! the runtime waits on them), with timeouts shrunk to tenths of a second.

use super::fake_server::{FakeServer, Reply, Step, content_chunk, role_chunk};
use super::{LlmClient, LlmConfig, LlmError};
use director::prompt::{ChatMessage, Role};
use std::time::{Duration, Instant};

fn config(server: &FakeServer) -> LlmConfig {
    let mut config = LlmConfig::new(server.base_url.clone(), "test-model").with_api_key("sk-test");
    config.first_token_timeout = Duration::from_millis(300);
    config.chunk_gap_timeout = Duration::from_millis(300);
    config.total_timeout = Duration::from_secs(3);
    config.backoff_base = Duration::from_millis(20);
    config.max_retries = 2;
    config
}

fn hello() -> Vec<ChatMessage> {
    vec![ChatMessage { role: Role::User, content: "Say hello.".into() }]
}

/// Runs one completion to its end: the text received and the error, if any.
async fn collect(client: &LlmClient) -> (String, Option<LlmError>) {
    let mut stream = match client.stream(&hello()) {
        Ok(stream) => stream,
        Err(e) => return (String::new(), Some(e)),
    };
    let mut text = String::new();
    while let Some(item) = stream.next_delta().await {
        match item {
            Ok(delta) => text.push_str(&delta),
            Err(e) => return (text, Some(e)),
        }
    }
    (text, None)
}

#[tokio::test]
async fn llm_a_well_behaved_stream_with_every_chunk_variant_gives_just_the_text() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![
            Step::Send(": keep-alive\r\n\r\n".into()),
            Step::Send(role_chunk()),
            Step::Send("data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"thinking...\"}}]}\n\n".into()),
            Step::Send("data: {\"choices\":[{\"delta\":{}}]}\n\n".into()),
            Step::Send(content_chunk("Hello").replace('\n', "\r\n")),
            Step::Send(content_chunk(", viewers.")),
            Step::Send("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n".into()),
            Step::Send("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n".into()),
            Step::Send("data: [DONE]\n\n".into()),
        ])
    })
    .await;
    let client = LlmClient::new(config(&server)).unwrap();
    assert_eq!(collect(&client).await, ("Hello, viewers.".to_string(), None));
    let body: serde_json::Value = serde_json::from_str(&server.bodies()[0]).unwrap();
    assert_eq!(body["stream"], true);
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["messages"][0]["role"], "user");
}

#[tokio::test]
async fn llm_a_slow_first_token_times_out_and_is_retried() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![
            Step::Send(role_chunk()),
            Step::Sleep(Duration::from_secs(5)),
            Step::Send(content_chunk("late")),
        ])
    })
    .await;
    let mut config = config(&server);
    config.max_retries = 1;
    let client = LlmClient::new(config).unwrap();
    let started = Instant::now();
    let (text, error) = collect(&client).await;
    assert_eq!(text, "");
    assert_eq!(error, Some(LlmError::FirstTokenTimeout(Duration::from_millis(300))));
    assert_eq!(server.requests(), 2, "one retry");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn llm_a_stall_mid_stream_is_reported_not_retried() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![Step::Send(content_chunk("Half a sen")), Step::Sleep(Duration::from_secs(5))])
    })
    .await;
    let client = LlmClient::new(config(&server)).unwrap();
    let (text, error) = collect(&client).await;
    assert_eq!(text, "Half a sen");
    assert_eq!(error, Some(LlmError::StallTimeout(Duration::from_millis(300))));
    assert_eq!(server.requests(), 1, "words already went out, so no retry");
}

#[tokio::test]
async fn llm_429_waits_for_retry_after_then_succeeds() {
    let server = FakeServer::start(|n, _| match n {
        0 => Reply::status(429, &[("Retry-After", "1")], r#"{"error":{"message":"slow down"}}"#),
        _ => Reply::deltas(&["Back again."]),
    })
    .await;
    let client = LlmClient::new(config(&server)).unwrap();
    let started = Instant::now();
    assert_eq!(collect(&client).await, ("Back again.".to_string(), None));
    assert!(started.elapsed() >= Duration::from_millis(950), "Retry-After honoured: {:?}", started.elapsed());
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn llm_a_retry_after_longer_than_the_turn_fails_at_once() {
    let server = FakeServer::start(|_, _| Reply::status(429, &[("Retry-After", "60")], "{}")).await;
    let client = LlmClient::new(config(&server)).unwrap();
    let started = Instant::now();
    let (_, error) = collect(&client).await;
    assert_eq!(error, Some(LlmError::RateLimited { retry_after: Some(Duration::from_secs(60)) }));
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[tokio::test]
async fn llm_500s_are_retried_with_backoff_and_then_reported() {
    let flaky = FakeServer::start(|n, _| match n {
        0 | 1 => Reply::status(500, &[], r#"{"error":{"message":"model loading"}}"#),
        _ => Reply::deltas(&["Recovered."]),
    })
    .await;
    let client = LlmClient::new(config(&flaky)).unwrap();
    assert_eq!(collect(&client).await, ("Recovered.".to_string(), None));
    assert_eq!(flaky.requests(), 3);

    let down = FakeServer::start(|_, _| Reply::status(503, &[], "upstream down")).await;
    let client = LlmClient::new(config(&down)).unwrap();
    let (_, error) = collect(&client).await;
    assert_eq!(error, Some(LlmError::Server { status: 503, message: "upstream down".into() }));
    assert!(error.is_some_and(|e| e.is_retryable()));
    assert_eq!(down.requests(), 3, "the first try and two retries");
}

#[tokio::test]
async fn llm_client_errors_are_not_retried() {
    let server = FakeServer::start(|_, _| Reply::status(401, &[], r#"{"error":{"message":"bad key"}}"#)).await;
    let client = LlmClient::new(config(&server)).unwrap();
    let (_, error) = collect(&client).await;
    assert_eq!(error, Some(LlmError::Rejected { status: 401, message: "bad key".into() }));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn llm_malformed_sse_is_an_error_and_not_retried() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![
            Step::Send(content_chunk("Fine so far. ")),
            Step::Send("data: {\"choices\":[{\"delta\n\n".into()),
        ])
    })
    .await;
    let client = LlmClient::new(config(&server)).unwrap();
    let (text, error) = collect(&client).await;
    assert_eq!(text, "Fine so far. ");
    assert!(matches!(error, Some(LlmError::Malformed(_))), "{error:?}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn llm_an_endless_stream_is_cut_by_the_total_timeout() {
    let server =
        FakeServer::start(|_, _| Reply::sse(vec![Step::Forever(content_chunk("la "), Duration::from_millis(10))]))
            .await;
    let mut config = config(&server);
    config.total_timeout = Duration::from_millis(500);
    let client = LlmClient::new(config).unwrap();
    let started = Instant::now();
    let (text, error) = collect(&client).await;
    assert!(text.starts_with("la la"));
    assert_eq!(error, Some(LlmError::TotalTimeout(Duration::from_millis(500))));
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[tokio::test]
async fn llm_a_stream_that_ends_without_done_or_finish_is_truncated() {
    let server = FakeServer::start(|_, _| Reply::sse(vec![Step::Send(content_chunk("Cut o"))])).await;
    let client = LlmClient::new(config(&server)).unwrap();
    assert_eq!(collect(&client).await, ("Cut o".to_string(), Some(LlmError::Truncated)));
}

#[tokio::test]
async fn llm_the_wrong_content_type_is_refused() {
    let server =
        FakeServer::start(|_, _| Reply::status(200, &[], r#"{"choices":[{"message":{"content":"not streamed"}}]}"#))
            .await;
    let client = LlmClient::new(config(&server)).unwrap();
    let (_, error) = collect(&client).await;
    assert_eq!(error, Some(LlmError::WrongContentType("application/json".into())));
}

#[tokio::test]
async fn llm_nobody_listening_is_a_retryable_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let mut config = LlmConfig::new(format!("http://{addr}/v1"), "m");
    config.backoff_base = Duration::from_millis(5);
    let client = LlmClient::new(config).unwrap();
    let (_, error) = collect(&client).await;
    assert!(matches!(&error, Some(LlmError::Connect(_))), "{error:?}");
    assert!(error.is_some_and(|e| e.is_retryable()));
}

#[tokio::test]
async fn llm_dropping_the_stream_cancels_the_request() {
    let server =
        FakeServer::start(|_, _| Reply::sse(vec![Step::Forever(content_chunk("more "), Duration::from_millis(10))]))
            .await;
    let client = LlmClient::new(config(&server)).unwrap();
    let mut stream = client.stream(&hello()).unwrap();
    assert!(matches!(stream.next_delta().await, Some(Ok(_))));
    stream.cancel();
    let deadline = Instant::now() + Duration::from_secs(2);
    while !server.saw_disconnect() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(server.saw_disconnect(), "the server kept streaming to nobody");
}

#[tokio::test]
async fn llm_the_circuit_opens_after_repeated_failures_then_probes_back() {
    let server =
        FakeServer::start(|n, _| if n < 3 { Reply::status(500, &[], "down") } else { Reply::deltas(&["Up."]) }).await;
    let mut config = config(&server);
    config.max_retries = 0;
    config.breaker_failures = 3;
    config.breaker_cooldown = Duration::from_millis(300);
    let client = LlmClient::new(config).unwrap();
    for _ in 0..3 {
        assert!(matches!(collect(&client).await.1, Some(LlmError::Server { status: 500, .. })));
    }
    assert!(client.circuit_open());
    let (_, error) = collect(&client).await;
    assert!(matches!(error, Some(LlmError::CircuitOpen { failures: 3, .. })), "{error:?}");
    assert_eq!(server.requests(), 3, "failing fast sends nothing");
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(collect(&client).await, ("Up.".to_string(), None), "the probe goes through and closes the circuit");
    assert!(!client.circuit_open());
}
