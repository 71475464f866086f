//! The LLM writer end to end against fake servers: it sends exactly the brief's messages, streams the reply out a
//! sentence at a time, stops at its sentence budget, and drops a half sentence. It judges nothing: the show's gate
//! does (director's `air` and show tests; the injection corpora run against the whole show in
//! `director::adversary` tests).

use super::*;
use crate::llm::LlmConfig;
use crate::llm::fake_server::{FakeServer, Reply, Step, content_chunk, finish_chunk, role_chunk};
use director::ledger::ClaimsLedger;
use director::prompt::{self, Persona};
use model::{Currency, Facet, LineKind, Localized, Money, Product, UnixMs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn kettle() -> Product {
    let usd = Currency::parse("USD").unwrap();
    let mut p = Product::new(
        "kettle",
        Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) },
        Money::parse_decimal("30", usd.clone()).unwrap(),
    );
    p.compare_at = Some(Money::parse_decimal("40", usd).unwrap());
    p.stock = Some(12);
    p.features = Localized::one(Lang::En, vec!["boils a litre fast".into(), "cool-touch handle".into()]);
    p
}

/// A pitch brief with the messages the show would build for it.
fn brief(facet: Facet, lang: Lang) -> Brief {
    let ledger = ClaimsLedger::for_product(&kettle(), lang, UnixMs(0));
    Brief {
        turn: model::TurnId(1),
        kind: LineKind::Pitch(facet),
        product: Some(kettle()),
        lang,
        variant: 0,
        comment: None,
        asked_by: 0,
        basis: None,
        prompt: prompt::pitch_messages(&Persona::default(), &ledger, &kettle(), facet),
        pace: model::Pace::Usual,
    }
}

fn llm_writer(server: &FakeServer) -> Writer {
    let mut config = LlmConfig::new(server.base_url.clone(), "fake");
    config.first_token_timeout = Duration::from_millis(500);
    config.chunk_gap_timeout = Duration::from_millis(1500);
    config.max_retries = 0;
    config.breaker_failures = 1000;
    Writer::Llm(LlmWriter::new(LlmClient::new(config).unwrap()))
}

#[tokio::test]
async fn llm_writer_sends_the_briefs_own_messages_and_returns_the_words_unjudged() {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    let server = FakeServer::start(move |_, body| {
        seen.lock().unwrap().push(body.to_string());
        Reply::deltas(&["Welcome to the stre", "am! This kettle is {price}.", " It's 99% off, today only!"])
    })
    .await;
    let brief = brief(Facet::Offer, Lang::En);
    let written = llm_writer(&server).write(&brief).await.unwrap();
    // Raw words, slot and lie included: judging them is the show's gate's work, not the writer's.
    assert_eq!(written.text, "Welcome to the stream! This kettle is {price}. It's 99% off, today only!");
    assert_eq!(written.source, LineSource::Llm);
    let body: serde_json::Value = serde_json::from_str(&bodies.lock().unwrap()[0]).unwrap();
    let sent: Vec<&str> = body["messages"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
    let expected: Vec<&str> = brief.prompt.iter().map(|m| m.content.as_str()).collect();
    assert_eq!(sent, expected, "the writer sends exactly the messages the show built");
}

#[tokio::test]
async fn llm_writer_releases_the_first_sentence_before_the_model_finishes() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![
            Step::Send(role_chunk()),
            Step::Send(content_chunk("这款电水壶")),
            Step::Send(content_chunk("烧水很快。然后")),
            Step::Sleep(Duration::from_millis(800)),
            Step::Send(content_chunk("手柄不烫手。")),
            Step::Send(finish_chunk()),
            Step::Send("data: [DONE]\n\n".into()),
        ])
    })
    .await;
    let writer = llm_writer(&server);
    let started = Instant::now();
    let mut stream = writer.stream(&brief(Facet::Features, Lang::Zh));
    let first = stream.next().await;
    let first_at = started.elapsed();
    assert!(matches!(&first, Some(Ok(s)) if s.text == "这款电水壶烧水很快。"), "{first:?}");
    assert!(first_at < Duration::from_millis(500), "first sentence took {first_at:?}");
    let second = stream.next().await;
    assert!(matches!(&second, Some(Ok(s)) if s.text == "然后手柄不烫手。"), "{second:?}");
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn llm_writer_failure_before_any_sentence_is_an_error_and_the_budget_ends_a_turn() {
    let down = FakeServer::start(|_, _| Reply::status(500, &[], "down")).await;
    let error = llm_writer(&down).write(&brief(Facet::Hook, Lang::En)).await.unwrap_err();
    assert!(matches!(&error, WriterError::Llm(LlmError::Server { status: 500, .. })), "{error}");
    assert!(error.is_retryable());

    let chatty = FakeServer::start(|_, _| Reply::deltas(&["One. Two. Three. Four. Five. Six."])).await;
    let writer = match llm_writer(&chatty) {
        Writer::Llm(llm) => Writer::Llm(llm.with_max_sentences(2)),
        other => other,
    };
    assert_eq!(writer.write(&brief(Facet::Hook, Lang::En)).await.unwrap().text, "One. Two.");

    let silent = FakeServer::start(|_, _| Reply::deltas(&["   "])).await;
    let error = llm_writer(&silent).write(&brief(Facet::Hook, Lang::En)).await.unwrap_err();
    assert!(matches!(error, WriterError::NothingToSay(_)), "{error}");
}

#[tokio::test]
async fn llm_writer_drops_the_half_sentence_left_by_a_token_limit() {
    let server = FakeServer::start(|_, _| {
        Reply::sse(vec![
            Step::Send(content_chunk("It pours cleanly. And the lid")),
            Step::Send("data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"length\"}]}\n\ndata: [DONE]\n\n".into()),
        ])
    })
    .await;
    assert_eq!(llm_writer(&server).write(&brief(Facet::Usage, Lang::En)).await.unwrap().text, "It pours cleanly.");
}

#[tokio::test]
async fn fixed_wording_comes_from_the_templates_whichever_writer_is_configured() {
    let written = Writer::Templates.write(&brief(Facet::Offer, Lang::En)).await.unwrap();
    assert_eq!(
        written.text,
        "Kettle is $30.00. That's down from $40.00, 25% off. There are 12 in stock; the link is on the card."
    );
    assert_eq!(written.source, LineSource::Template);
    // A disclosure has no prompt: the LLM writer never asks the model for it.
    let never = FakeServer::start(|_, _| Reply::status(500, &[], "must not be asked")).await;
    let mut disclosure = brief(Facet::Hook, Lang::En);
    disclosure.kind = LineKind::Disclosure;
    disclosure.prompt.clear();
    let written = llm_writer(&never).write(&disclosure).await.unwrap();
    assert_eq!(written.source, LineSource::Template);
    assert!(written.text.to_lowercase().contains("ai"), "{}", written.text);
}
