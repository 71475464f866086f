//! Benchmark: the LLM writer's overhead from a chunk's arrival to a released sentence that the show's gate cleared.
//!
//! Run with `cargo bench -p backstage --bench llm_client`. A fake OpenAI-compatible server on 127.0.0.1 streams
//! sentences in three deltas each, 3 ms apart, and notes when it writes each delta; the writer notes when each
//! sentence comes out of its stream. The overhead of a sentence is the time from the last delta written before it
//! came out (the one that made it complete: its "!" or "?", or for a "." the next word's leading space) to its
//! release through the gate: loopback, HTTP, SSE parsing, channel hops, chunking and the gate's checks (which
//! the show runs on each sentence as it arrives). Goal: under 1 ms.

use backstage::llm::{LlmClient, LlmConfig};
use backstage::writer::{LlmWriter, Writer};
use director::Brief;
use director::air::Gate;
use director::ledger::ClaimsLedger;
use director::prompt::{self, Persona};
use model::{Currency, Facet, Lang, LineKind, Localized, Money, Product, TurnId, UnixMs};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const SENTENCES: [&str; 5] = [
    "Welcome back to the stream, everyone!",
    "This kettle is {price} today.",
    "Would you like one for your kitchen?",
    "It boils water quickly on a busy morning.",
    "The link is on the card below.",
];

fn chunk(text: &str) -> String {
    format!("data: {}\n\n", serde_json::json!({"choices": [{"delta": {"content": text}}]}))
}

/// Serves every connection the same five sentences; records when each sentence's last delta was written.
async fn serve(listener: TcpListener, sent: Arc<Mutex<Vec<Instant>>>) {
    while let Ok((mut socket, _)) = listener.accept().await {
        let sent = sent.clone();
        tokio::spawn(async move {
            let _ = socket.set_nodelay(true);
            let mut buf = vec![0u8; 65536];
            let mut got = Vec::new();
            loop {
                let Ok(n) = socket.read(&mut buf).await else { return };
                if n == 0 {
                    return;
                }
                got.extend_from_slice(&buf[..n]);
                if let Some(end) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&got[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    if got.len() >= end + 4 + len {
                        break;
                    }
                }
            }
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
            if socket.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for sentence in SENTENCES {
                let words: Vec<&str> = sentence.split_inclusive(' ').collect();
                let third = words.len().div_ceil(3);
                for (i, part) in words.chunks(third).enumerate() {
                    tokio::time::sleep(Duration::from_millis(3)).await;
                    let mut text = part.concat();
                    if i == 0 && sentence != SENTENCES[0] {
                        text.insert(0, ' ');
                    }
                    if let Ok(mut s) = sent.lock() {
                        s.push(Instant::now());
                    }
                    if socket.write_all(chunk(&text).as_bytes()).await.is_err() {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
            if let Ok(mut s) = sent.lock() {
                s.push(Instant::now());
            }
            let _ = socket.write_all(b"data: [DONE]\n\n").await;
        });
    }
}

fn main() {
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start tokio: {e}");
            return;
        }
    };
    runtime.block_on(async {
        let Ok(listener) = TcpListener::bind("127.0.0.1:0").await else { return };
        let Ok(addr) = listener.local_addr() else { return };
        let sent = Arc::new(Mutex::new(Vec::new()));
        tokio::spawn(serve(listener, sent.clone()));
        let Ok(client) = LlmClient::new(LlmConfig::new(format!("http://{addr}/v1"), "bench")) else { return };
        let writer = Writer::Llm(LlmWriter::new(client).with_max_sentences(10));
        let usd = Currency::parse("USD").expect("USD");
        let kettle = Product::new("kettle", Localized::one(Lang::En, "Kettle".into()), Money::parse_decimal("30", usd).expect("price"));
        let mut overheads = Vec::new();
        for turn in 0..60u64 {
            if let Ok(mut s) = sent.lock() {
                s.clear();
            }
            let ledger = ClaimsLedger::for_product(&kettle, Lang::En, UnixMs(0));
            let messages = prompt::pitch_messages(&Persona::default(), &ledger, &kettle, Facet::Hook);
            let brief = Brief { turn: TurnId(turn), kind: LineKind::Pitch(Facet::Hook), product: Some(kettle.clone()), lang: Lang::En, variant: 0, comment: None, asked_by: 0, basis: None, prompt: messages, pace: model::Pace::Usual };
            let gate = Gate::new(&ledger, Lang::En, None);
            let mut stream = writer.stream(&brief);
            let mut released = Vec::new();
            while let Some(item) = stream.next().await {
                if let Ok(sentence) = item {
                    let gated = gate.clear(&sentence.text);
                    if gated.cleared.is_some() {
                        released.push(Instant::now());
                    }
                }
            }
            let sent_at = sent.lock().map(|s| s.clone()).unwrap_or_default();
            // The first turns warm up the connection pool and caches.
            if turn >= 10 {
                for r in &released {
                    if let Some(s) = sent_at.iter().filter(|s| *s <= r).max() {
                        overheads.push(r.saturating_duration_since(*s));
                    }
                }
            }
        }
        overheads.sort();
        if overheads.is_empty() {
            println!("llm client: no sentences measured");
            return;
        }
        let pick = |q: f64| overheads[((overheads.len() - 1) as f64 * q) as usize];
        println!(
            "llm client, chunk arrival to released sentence: {} sentences, median {:?}, p90 {:?}, p99 {:?}, max {:?}; goal < 1 ms: {}",
            overheads.len(),
            pick(0.5),
            pick(0.9),
            pick(0.99),
            overheads[overheads.len() - 1],
            if pick(0.99) < Duration::from_millis(1) { "met" } else { "MISSED at p99" }
        );
    });
}
