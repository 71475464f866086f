//! A scriptable, fault-injecting OpenAI-compatible server on 127.0.0.1:0, for tests.
//!
//! It speaks just enough HTTP/1.1: it reads one request (headers and a Content-Length body), answers with the
//! scripted status, headers and body steps, and closes the connection. Bodies are written in steps with pauses
//! between them, which is how slow first tokens, stalls and endless streams are made.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// One piece of a scripted response body.
#[derive(Clone, Debug)]
pub enum Step {
    Send(String),
    Sleep(Duration),
    /// Sends the text again and again with this pause, until the client goes away.
    Forever(String, Duration),
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub steps: Vec<Step>,
}

impl Reply {
    /// A 200 event stream with these steps.
    pub fn sse(steps: Vec<Step>) -> Reply {
        Reply { status: 200, headers: vec![("Content-Type".into(), "text/event-stream".into())], steps }
    }

    /// A 200 event stream that sends each text as one content chunk, then a finish chunk and [DONE].
    pub fn deltas(texts: &[&str]) -> Reply {
        let mut steps = vec![Step::Send(role_chunk())];
        steps.extend(texts.iter().map(|t| Step::Send(content_chunk(t))));
        steps.push(Step::Send(finish_chunk()));
        steps.push(Step::Send("data: [DONE]\n\n".into()));
        Reply::sse(steps)
    }

    pub fn status(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut all: Vec<(String, String)> = headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        all.push(("Content-Type".into(), "application/json".into()));
        Reply { status, headers: all, steps: vec![Step::Send(body.to_string())] }
    }
}

pub fn role_chunk() -> String {
    "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
        .to_string()
}

pub fn content_chunk(text: &str) -> String {
    let json = serde_json::json!({"choices": [{"index": 0, "delta": {"content": text}, "finish_reason": null}]});
    format!("data: {json}\n\n")
}

pub fn finish_chunk() -> String {
    "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n".to_string()
}

type Script = dyn Fn(usize, &str) -> Reply + Send + Sync;

/// The running server. Dropping it stops accepting.
pub struct FakeServer {
    pub base_url: String,
    requests: Arc<AtomicUsize>,
    disconnected: Arc<AtomicBool>,
    bodies: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    /// Starts a server whose reply to the n-th request (from 0) with body `body` is `script(n, body)`.
    pub async fn start(script: impl Fn(usize, &str) -> Reply + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let requests = Arc::new(AtomicUsize::new(0));
        let disconnected = Arc::new(AtomicBool::new(false));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let (r, d, b) = (requests.clone(), disconnected.clone(), bodies.clone());
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let (script, r, d, b) = (script.clone(), r.clone(), d.clone(), b.clone());
                tokio::spawn(async move {
                    let _ = serve(socket, script, r, d, b).await;
                });
            }
        });
        FakeServer { base_url: format!("http://{addr}/v1"), requests, disconnected, bodies, task }
    }

    /// Requests answered so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Whether a client hung up while the server was still writing.
    pub fn saw_disconnect(&self) -> bool {
        self.disconnected.load(Ordering::SeqCst)
    }

    /// The request bodies received, in order.
    pub fn bodies(&self) -> Vec<String> {
        self.bodies.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut socket: TcpStream,
    script: Arc<Script>,
    requests: Arc<AtomicUsize>,
    disconnected: Arc<AtomicBool>,
    bodies: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    socket.set_nodelay(true)?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let header_end = loop {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_ascii_lowercase();
    let length: usize =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    while buf.len() < header_end + length {
        let n = socket.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[header_end..]).to_string();
    let n = requests.fetch_add(1, Ordering::SeqCst);
    if let Ok(mut all) = bodies.lock() {
        all.push(body.clone());
    }
    let reply = script(n, &body);
    let mut head = format!("HTTP/1.1 {} Scripted\r\nConnection: close\r\n", reply.status);
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    socket.write_all(head.as_bytes()).await?;
    for step in reply.steps {
        let result = match step {
            Step::Send(text) => socket.write_all(text.as_bytes()).await,
            Step::Sleep(d) => {
                tokio::time::sleep(d).await;
                Ok(())
            }
            Step::Forever(text, every) => loop {
                if let Err(e) = socket.write_all(text.as_bytes()).await {
                    break Err(e);
                }
                tokio::time::sleep(every).await;
            },
        };
        if let Err(e) = result {
            disconnected.store(true, Ordering::SeqCst);
            return Err(e);
        }
    }
    socket.shutdown().await
}
