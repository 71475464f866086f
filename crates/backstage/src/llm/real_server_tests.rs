//! The client and the LLM writer against a real llama.cpp server (PyPI xllamacpp) serving SmolLM2-135M.
//!
//! The model is tiny and its answers are poor: these tests check the protocol (streaming, [DONE], cancellation,
//! errors from a real server) and that whatever it says is guarded, not what it says. Setup:
//! `bash crates/backstage/tests-support/setup-llm.sh`. Ignored by default; run with `--include-ignored` (as
//! .ci/run does), where a missing xllamacpp or model file fails the test.

use super::{LlmClient, LlmConfig, LlmError};
use crate::writer::{LlmWriter, Writer};
use director::Brief;
use director::prompt::{ChatMessage, Persona, Role};
use model::{Currency, Facet, Lang, LineKind, LineSource, Localized, Money, Product, TurnId, UnixMs};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// A llama.cpp server child process; killed when dropped.
struct LlamaServer {
    base_url: String,
    _child: Child,
}

fn model_path() -> PathBuf {
    if let Ok(path) = std::env::var("SHOPCAST_LLM_MODEL") {
        return PathBuf::from(path);
    }
    let home = std::env::var("HOME").unwrap_or_else(|_| "/root".into());
    PathBuf::from(home).join(".cache/shopcast-llm/SmolLM2-135M-Instruct.Q4_1.gguf")
}

/// The server cannot run: the test was asked for (it is ignored by default), so this fails it with the reason.
fn cannot_run(why: &str) -> ! {
    panic!("the real LLM server cannot run: {why}. Run: bash crates/backstage/tests-support/setup-llm.sh");
}

async fn start_llama() -> LlamaServer {
    let model = model_path();
    if !model.is_file() {
        cannot_run(&format!("model file {} is missing", model.display()));
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests-support/llama_server.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = match Command::new(&python)
        .arg(&script)
        .arg("--model")
        .arg(&model)
        .arg("--threads")
        .arg("2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
    {
        Ok(child) => child,
        Err(e) => cannot_run(&format!("cannot run {python}: {e}")),
    };
    match crate::ready_line::ready_port(&mut child, Duration::from_secs(90)).await {
        Ok(port) => LlamaServer { base_url: format!("http://127.0.0.1:{port}/v1"), _child: child },
        Err(why) => cannot_run(&why),
    }
}

fn config(server: &LlamaServer) -> LlmConfig {
    let mut config = LlmConfig::new(server.base_url.clone(), "smollm2-135m");
    // A cold CPU model: generous first-token budget, short answers.
    config.first_token_timeout = Duration::from_secs(20);
    config.chunk_gap_timeout = Duration::from_secs(10);
    config.total_timeout = Duration::from_secs(60);
    config.max_tokens = Some(32);
    // Greedy decoding: the same prompt gets the same words on every run, so a pass here is not luck.
    config.temperature = Some(0.0);
    config
}

#[tokio::test]
#[ignore = "needs a llama.cpp server and model (crates/backstage/tests-support/setup-llm.sh)"]
async fn llm_real_llama_cpp_streams_cancels_and_feeds_the_guarded_writer() {
    let server = start_llama().await;
    let client = LlmClient::new(config(&server)).unwrap();

    // 1. A plain streamed completion ends cleanly with text.
    let messages = vec![ChatMessage { role: Role::User, content: "Say hello to the viewers in one sentence.".into() }];
    let mut stream = client.stream(&messages).unwrap();
    let mut text = String::new();
    let mut deltas = 0;
    while let Some(item) = stream.next_delta().await {
        text.push_str(&item.unwrap());
        deltas += 1;
    }
    assert!(deltas >= 2 && !text.trim().is_empty(), "{deltas} deltas: {text:?}");

    // 2. Cancelling mid-stream leaves the server healthy for the next turn.
    let mut stream = client.stream(&messages).unwrap();
    assert!(matches!(stream.next_delta().await, Some(Ok(_))));
    stream.cancel();
    let mut again = client.stream(&messages).unwrap();
    assert!(matches!(again.next_delta().await, Some(Ok(_))), "the server still answers after a cancel");
    drop(again);

    // 3. The real prompt, as the show builds it, through the writer and the show's gate: what the model wrote comes
    // out in sentences, and only what the gate clears could be said.
    let usd = Currency::parse("USD").unwrap();
    let mut kettle =
        Product::new("kettle", Localized::one(Lang::En, "Kettle".into()), Money::parse_decimal("30", usd).unwrap());
    kettle.features = Localized::one(Lang::En, vec!["boils a litre fast".into()]);
    let ledger = director::ledger::ClaimsLedger::for_product(&kettle, Lang::En, UnixMs(0));
    // Room for whole sentences: a model cut off by its token limit says nothing of the half sentence, and 32
    // tokens may not reach the first full stop after the prompt's preamble.
    let mut roomy = config(&server);
    roomy.max_tokens = Some(160);
    let writer = Writer::Llm(LlmWriter::new(LlmClient::new(roomy).unwrap()));
    let brief = Brief {
        turn: TurnId(1),
        kind: LineKind::Pitch(Facet::Offer),
        product: Some(kettle.clone()),
        lang: Lang::En,
        variant: 0,
        comment: None,
        asked_by: 0,
        basis: None,
        prompt: director::prompt::pitch_messages(&Persona::default(), &ledger, &kettle, Facet::Offer),
        pace: model::Pace::Usual,
    };
    let mut sentences = writer.stream(&brief);
    let mut said = Vec::new();
    while let Some(item) = sentences.next().await {
        match item {
            Ok(s) => said.push(s),
            Err(e) => panic!("writer failed against the real server: {e}"),
        }
    }
    assert!(!said.is_empty());
    let gate = director::air::Gate::new(&ledger, Lang::En, None);
    for s in &said {
        assert_eq!(s.source, LineSource::Llm);
        let gated = gate.clear(&s.text);
        eprintln!("wrote: {} | cleared: {:?} | notes: {:?}", s.text, gated.cleared, gated.notes);
        if let Some(cleared) = gated.cleared {
            assert!(!cleared.as_str().contains(['{', '}']), "a slot left unfilled: {cleared}");
        }
    }

    // 4. A real server's HTTP error for a wrong path is a typed, non-retryable rejection.
    let mut wrong = config(&server);
    wrong.base_url = server.base_url.replace("/v1", "/nope");
    let error = LlmClient::new(wrong).unwrap().stream(&messages).unwrap().next_delta().await;
    assert!(matches!(&error, Some(Err(LlmError::Rejected { status: 404, .. }))), "{error:?}");
}
