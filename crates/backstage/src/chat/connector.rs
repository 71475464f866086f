//! The live Twitch IRC connector: one TLS connection (Twitch's port 6697; plain TCP only when asked for with
//! `irc://`) kept up by a supervisor, feeding a channel.
//!
//! `run(config, tx, shutdown)` logs in (anonymously as `justinfanNNNN` or with the caller's OAuth token), asks for
//! tags and commands, joins the channel once the server has welcomed it, answers PINGs, and sends every comment,
//! deletion and ban on `tx`. When the connection drops or the server says RECONNECT it reports `Health::Lost`,
//! waits with exponential backoff and jitter, reconnects and reports `Health::Restored`. Comment ids seen in the
//! last few thousand are remembered, so lines a server replays after a reconnect are not delivered twice.
//! [`run_with_replies`] also says the host's answers in the channel ([`super::replies`]), threaded with Twitch's
//! reply tag where the server granted Twitch's tags.

use super::{ChatEvent, twitch};
use crate::backoff::{Backoff, Jitter};
use model::UnixMs;
use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_rustls::rustls;

/// How to log in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TwitchLogin {
    /// Read-only, no account: `justinfan` plus digits.
    Anonymous,
    /// A bot or broadcaster account: the login name and an OAuth token (with or without the `oauth:` prefix).
    OAuth { nick: String, token: String },
}

/// TLS for the connection: the server's certificate must chain to the Mozilla roots, or to `ca_file` (PEM) for a
/// server with a private authority.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tls {
    pub ca_file: Option<PathBuf>,
}

/// Twitch's IRC server, over TLS.
pub const TWITCH_SERVER: &str = "irc.chat.twitch.tv:6697";

/// Reads a server setting: `ircs://host:port` or a bare `host[:port]` is TLS (port 6697 when none is given);
/// `irc://host:port` is plain TCP (port 6667 when none is given), which sends an OAuth token unencrypted. The error
/// says what is wrong and what to write.
pub fn parse_server(text: &str) -> Result<(String, bool), String> {
    let text = text.trim();
    let (rest, tls) = if let Some(rest) = text.strip_prefix("ircs://") {
        (rest, true)
    } else if let Some(rest) = text.strip_prefix("irc://") {
        (rest, false)
    } else if text.contains("://") {
        return Err(format!(
            "\"{text}\" is not an IRC server: write host:port (TLS), ircs://host:port, or irc://host:port for plain TCP"
        ));
    } else {
        (text, true)
    };
    let rest = rest.trim_end_matches('/');
    if rest.is_empty() || rest.contains(['/', ' ', '@']) {
        return Err(format!("\"{text}\" is not host:port (for example {TWITCH_SERVER})"));
    }
    let with_port = match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok_and(|p| p > 0) => rest.to_string(),
        Some(_) => return Err(format!("\"{text}\": the port must be a number from 1 to 65535")),
        None => format!("{rest}:{}", if tls { 6697 } else { 6667 }),
    };
    Ok((with_port, tls))
}

/// Where and how to connect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwitchConfig {
    /// `host:port`; Twitch's is [`TWITCH_SERVER`].
    pub server: String,
    /// `None`: plain TCP (local test servers, `irc://`).
    pub tls: Option<Tls>,
    /// The channel to read, with or without `#`.
    pub channel: String,
    pub login: TwitchLogin,
    /// First reconnect delay; doubles each failed attempt up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// How long a silent connection is trusted before the connector pings, and again before it gives up on it.
    pub idle_timeout: Duration,
    /// Comment ids remembered for de-duplication after reconnects.
    pub dedupe_ids: usize,
}

impl TwitchConfig {
    pub fn new(channel: impl Into<String>) -> TwitchConfig {
        TwitchConfig {
            server: TWITCH_SERVER.into(),
            tls: Some(Tls::default()),
            channel: channel.into(),
            login: TwitchLogin::Anonymous,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(360),
            dedupe_ids: 4096,
        }
    }
}

/// The connection's health, for the console ("chat source lost", "restored").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Health {
    Connected,
    Lost {
        reason: String,
        retry_in: Duration,
    },
    Restored {
        attempts: u32,
    },
    /// Still fine, with something the moderators should know (a YouTube quota's pace).
    Note {
        detail: String,
    },
}

/// What the connector sends on its channel.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceEvent {
    Chat(ChatEvent),
    Health(Health),
}

/// Why the connector stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum ConnectorError {
    #[error(
        "Twitch refused the login: {0}. Check SHOPCAST_TWITCH_TOKEN (a chat OAuth token, with or without \"oauth:\") \
         and SHOPCAST_TWITCH_NICK (the account it belongs to), or unset both to read anonymously"
    )]
    LoginRefused(String),
}

impl ConnectorError {
    /// A refused login will be refused again; the operator must fix the token.
    pub fn is_retryable(&self) -> bool {
        false
    }
}

/// Why one connection ended.
enum Ended {
    Shutdown,
    ReceiverGone,
    Lost(String),
    Refused(String),
}

/// The delay before reconnect number `attempt` (counted from 0): the shared exponential backoff, capped, spread
/// over 50-100 % so reconnecting clients do not arrive in step.
fn backoff(config: &TwitchConfig, jitter: &mut Jitter, attempt: u32) -> Duration {
    Backoff::new(config.initial_backoff, config.max_backoff).jittered(attempt, jitter)
}

/// Remembers recent comment ids in a bounded ring. Shared with the YouTube poller.
pub(super) struct SeenIds {
    order: VecDeque<String>,
    set: HashSet<String>,
    capacity: usize,
}

impl SeenIds {
    pub(super) fn new(capacity: usize) -> SeenIds {
        SeenIds { order: VecDeque::new(), set: HashSet::new(), capacity: capacity.max(1) }
    }

    pub(super) fn contains(&self, id: &str) -> bool {
        self.set.contains(id)
    }

    /// True the first time an id is seen.
    pub(super) fn first_time(&mut self, id: &str) -> bool {
        if self.set.contains(id) {
            return false;
        }
        if self.order.len() >= self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        self.order.push_back(id.to_string());
        self.set.insert(id.to_string());
        true
    }
}

/// The wall clock ([`crate::clock`]) for what a connector reads now.
pub(super) fn now_ms() -> UnixMs {
    crate::clock::wall_now()
}

/// A message to say in the channel ([`super::replies`]): `parent` threads it under the comment it answers where
/// the server speaks Twitch's tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrcSend {
    pub parent: Option<String>,
    pub text: String,
    /// When it was handed over: a reply that waited out a lost connection for longer than
    /// [`super::replies::STALE_AFTER`] is not said (the show has moved on, and a burst after a reconnect could go
    /// over Twitch's limit).
    pub queued: tokio::time::Instant,
}

impl IrcSend {
    pub fn new(parent: Option<String>, text: impl Into<String>) -> IrcSend {
        IrcSend { parent, text: text.into(), queued: tokio::time::Instant::now() }
    }

    /// The PRIVMSG line: one line whatever the text holds (line breaks become spaces), the reply tag only where the
    /// server granted Twitch's tags.
    fn line(&self, channel: &str, tags: bool) -> String {
        let text: String = self.text.chars().map(|c| if c == '\r' || c == '\n' { ' ' } else { c }).collect();
        let tag = match (&self.parent, tags) {
            (Some(parent), true) if !parent.contains([' ', ';', '\r', '\n']) => {
                format!("@reply-parent-msg-id={parent} ")
            }
            _ => String::new(),
        };
        format!("{tag}PRIVMSG #{channel} :{}\r\n", text.trim())
    }
}

/// Runs until `shutdown` completes, the receiver of `tx` is dropped, or the login is refused.
///
/// `tx`: the connector sends; the show's chat intake receives. Dropping the receiver stops the connector.
pub async fn run(
    config: TwitchConfig,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ConnectorError> {
    run_with_replies(config, tx, None, shutdown).await
}

/// [`run`], also saying in the channel what arrives on `replies` (a logged-in account; messages that arrive while
/// the connection is down wait in the channel's buffer).
pub async fn run_with_replies(
    config: TwitchConfig,
    tx: mpsc::Sender<SourceEvent>,
    mut replies: Option<mpsc::Receiver<IrcSend>>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), ConnectorError> {
    tokio::pin!(shutdown);
    let mut jitter = Jitter::new();
    let mut seen = SeenIds::new(config.dedupe_ids);
    let mut failures: u32 = 0;
    let mut ever_connected = false;
    loop {
        let ended = tokio::select! {
            _ = &mut shutdown => Ended::Shutdown,
            ended = session(&config, &tx, &mut seen, &mut failures, &mut ever_connected, &mut replies) => ended,
        };
        let reason = match ended {
            Ended::Shutdown | Ended::ReceiverGone => return Ok(()),
            Ended::Refused(text) => return Err(ConnectorError::LoginRefused(text)),
            Ended::Lost(reason) => reason,
        };
        let retry_in = backoff(&config, &mut jitter, failures);
        failures = failures.saturating_add(1);
        tracing::warn!(%reason, ?retry_in, "twitch chat connection lost");
        if tx.send(SourceEvent::Health(Health::Lost { reason, retry_in })).await.is_err() {
            return Ok(());
        }
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            _ = tokio::time::sleep(retry_in) => {}
        }
    }
}

/// One connection, from dial to drop.
async fn session(
    config: &TwitchConfig,
    tx: &mpsc::Sender<SourceEvent>,
    seen: &mut SeenIds,
    failures: &mut u32,
    ever_connected: &mut bool,
    replies: &mut Option<mpsc::Receiver<IrcSend>>,
) -> Ended {
    let stream = match tokio::time::timeout(Duration::from_secs(10), dial(config)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Ended::Lost(format!("cannot connect to {}: {e}", config.server)),
        Err(_) => return Ended::Lost(format!("connecting to {} timed out", config.server)),
    };
    let (read, mut write) = tokio::io::split(stream);
    let channel = config.channel.trim_start_matches('#').to_ascii_lowercase();
    let (pass, nick) = match &config.login {
        TwitchLogin::Anonymous => (None, format!("justinfan{}", fastrand::u32(10_000..90_000))),
        TwitchLogin::OAuth { nick, token } => {
            let token = if token.starts_with("oauth:") { token.clone() } else { format!("oauth:{token}") };
            (Some(token), nick.to_ascii_lowercase())
        }
    };
    let mut hello = String::from("CAP REQ :twitch.tv/tags twitch.tv/commands\r\n");
    if let Some(pass) = pass {
        hello.push_str(&format!("PASS {pass}\r\n"));
    }
    // Twitch registers on NICK alone, but a standard IRC server waits for USER, and refuses JOIN (451) until it
    // has welcomed the client with 001; so USER is sent too and JOIN waits for the welcome, which Twitch sends
    // as well.
    hello.push_str(&format!("NICK {nick}\r\nUSER {nick} 8 * :{nick}\r\n"));
    if let Err(e) = write.write_all(hello.as_bytes()).await {
        return Ended::Lost(format!("cannot log in: {e}"));
    }
    let mut reader = BufReader::new(read);
    let mut line = Vec::with_capacity(1024);
    let mut healthy = false;
    let mut pinged = false;
    let mut joined = false;
    // Twitch's tags were granted (CAP ACK): replies can be threaded under the comment they answer.
    let mut tags = false;
    loop {
        // Twitch lines are under 8 KiB; a longer one is cut, so a hostile server cannot grow this buffer. A read
        // cut short by a reply to send keeps what it had in `line` and goes on where it stopped.
        let read = tokio::select! {
            read = tokio::time::timeout(config.idle_timeout, read_line_bounded(&mut reader, &mut line, 64 * 1024)) => read,
            Some(reply) = next_reply(replies), if joined => {
                if reply.queued.elapsed() > super::replies::STALE_AFTER {
                    tracing::warn!("a chat reply waited out the lost connection for over a minute and was dropped");
                    continue;
                }
                if write.write_all(reply.line(&channel, tags).as_bytes()).await.is_err() {
                    return Ended::Lost("the connection broke while saying a reply".into());
                }
                continue;
            }
        };
        let n = match read {
            Err(_) if !pinged => {
                pinged = true;
                if write.write_all(b"PING :shopcast\r\n").await.is_err() {
                    return Ended::Lost("the connection broke while checking it".into());
                }
                continue;
            }
            Err(_) => return Ended::Lost("the server stopped answering".into()),
            Ok(Err(e)) => return Ended::Lost(format!("reading failed: {e}")),
            Ok(Ok(0)) => return Ended::Lost("the server closed the connection".into()),
            Ok(Ok(n)) => n,
        };
        pinged = false;
        let text = String::from_utf8_lossy(line.get(..n).unwrap_or(&[])).into_owned();
        line.clear();
        if let Ok(irc) = twitch::IrcLine::parse(&text)
            && irc.command == "CAP"
            && irc.middle.split_whitespace().nth(1) == Some("ACK")
            && irc.trailing.is_some_and(|caps| caps.split_whitespace().any(|c| c == "twitch.tv/tags"))
        {
            tags = true;
        }
        if !joined && twitch::IrcLine::parse(&text).is_ok_and(|irc| irc.command == "001") {
            joined = true;
            if write.write_all(format!("JOIN #{channel}\r\n").as_bytes()).await.is_err() {
                return Ended::Lost("the connection broke while joining the channel".into());
            }
        }
        let event = match twitch::parse_line(&text, now_ms()) {
            Ok(event) => event,
            Err(reason) => {
                tracing::debug!(%reason, line = %text.trim_end(), "unreadable twitch line skipped");
                continue;
            }
        };
        if !healthy {
            healthy = true;
            let health = if *ever_connected { Health::Restored { attempts: *failures } } else { Health::Connected };
            *ever_connected = true;
            *failures = 0;
            if tx.send(SourceEvent::Health(health)).await.is_err() {
                return Ended::ReceiverGone;
            }
        }
        match event {
            ChatEvent::Ping { token } => {
                if write.write_all(format!("PONG :{token}\r\n").as_bytes()).await.is_err() {
                    return Ended::Lost("the connection broke while answering PING".into());
                }
            }
            ChatEvent::Reconnect => return Ended::Lost("the server asked to reconnect".into()),
            ChatEvent::ServerNotice { text }
                if text.contains("Login authentication failed") || text.contains("Improperly formatted auth") =>
            {
                return Ended::Refused(text);
            }
            ChatEvent::Comment(comment) => {
                if seen.first_time(&comment.id.0)
                    && tx.send(SourceEvent::Chat(ChatEvent::Comment(comment))).await.is_err()
                {
                    return Ended::ReceiverGone;
                }
            }
            ChatEvent::Ignored { .. } | ChatEvent::ServerNotice { .. } => {}
            other => {
                if tx.send(SourceEvent::Chat(other)).await.is_err() {
                    return Ended::ReceiverGone;
                }
            }
        }
    }
}

/// The next reply to say; never, when there is no reply channel or it has closed.
async fn next_reply(replies: &mut Option<mpsc::Receiver<IrcSend>>) -> Option<IrcSend> {
    let Some(rx) = replies.as_mut() else { return std::future::pending().await };
    match rx.recv().await {
        Some(reply) => Some(reply),
        None => {
            *replies = None;
            std::future::pending().await
        }
    }
}

/// A connection either way.
pub(super) trait Connection: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Connection for T {}

/// TCP to the server, then TLS unless the configuration says plain.
async fn dial(config: &TwitchConfig) -> std::io::Result<Box<dyn Connection>> {
    open_stream(&config.server, config.tls.as_ref()).await
}

/// TCP to `server` (`host:port`), then TLS with the host's name when `tls` is given. Shared with the other
/// connectors that speak TLS themselves (the Bilibili open platform's WebSocket).
pub(super) async fn open_stream(server: &str, tls: Option<&Tls>) -> std::io::Result<Box<dyn Connection>> {
    let tcp = TcpStream::connect(server).await?;
    let Some(tls) = tls else { return Ok(Box::new(tcp)) };
    let client = tls_client(tls)?;
    let host = server.rsplit_once(':').map_or(server, |(host, _)| host);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let name = rustls::pki_types::ServerName::try_from(host.to_string())
        .map_err(|e| std::io::Error::other(format!("{host} is not a server name for TLS: {e}")))?;
    let stream = tokio_rustls::TlsConnector::from(Arc::new(client)).connect(name, tcp).await?;
    Ok(Box::new(stream))
}

/// A WebSocket client over [`open_stream`].
pub(super) type WebSocket = tokio_tungstenite::WebSocketStream<Box<dyn Connection>>;

/// Opens the socket at `link` (`ws://` or `wss://host[:port]/path`).
pub(super) async fn open_websocket(link: &str, tls: &Tls) -> Result<WebSocket, String> {
    let url = reqwest::Url::parse(link).map_err(|e| format!("{link} is not an address: {e}"))?;
    let secure = match url.scheme() {
        "wss" => true,
        "ws" => false,
        other => return Err(format!("{link}: a {other}:// address is not a WebSocket")),
    };
    let host = url.host_str().ok_or_else(|| format!("{link} names no host"))?;
    let port = url.port_or_known_default().unwrap_or(if secure { 443 } else { 80 });
    // An IPv6 host comes bracketed from the URL already.
    let server = format!("{host}:{port}");
    let connect = async {
        let stream = open_stream(&server, secure.then_some(tls)).await.map_err(|e| e.to_string())?;
        let (socket, _) = tokio_tungstenite::client_async(link, stream).await.map_err(|e| e.to_string())?;
        Ok::<_, String>(socket)
    };
    match tokio::time::timeout(Duration::from_secs(10), connect).await {
        Ok(result) => result.map_err(|e| format!("{link}: {e}")),
        Err(_) => Err(format!("{link}: connecting timed out")),
    }
}

/// The TLS client: the Mozilla roots, and the configured authority's certificates.
fn tls_client(tls: &Tls) -> std::io::Result<rustls::ClientConfig> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &tls.ca_file {
        let mut added = 0;
        for cert in CertificateDer::pem_file_iter(path)
            .map_err(|e| std::io::Error::other(format!("cannot read the CA file {}: {e}", path.display())))?
        {
            let cert = cert.map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
            roots.add(cert).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
            added += 1;
        }
        if added == 0 {
            return Err(std::io::Error::other(format!("{} holds no PEM certificate", path.display())));
        }
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(std::io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

/// Reads up to and including `\n`, keeping at most `limit` bytes of the line. Returns the bytes kept (0 at EOF).
async fn read_line_bounded<R: AsyncBufReadExt + Unpin>(
    reader: &mut R,
    line: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<usize> {
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(line.len());
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(at) => (at + 1, true),
            None => (available.len(), false),
        };
        let room = limit.saturating_sub(line.len());
        line.extend_from_slice(available.get(..chunk.min(room)).unwrap_or(&[]));
        reader.consume(chunk);
        if done {
            return Ok(line.len());
        }
    }
}
