//! Twitch chat through EventSub over WebSocket, the path Twitch now recommends (its chat documentation calls IRC
//! the historical interface). Facts and sources: ../shared/PLATFORMS.md §6.3 (Twitch's EventSub WebSocket guide and
//! reference; no client library's code is used).
//!
//! [`run`] needs only the channel and a user access token with the `user:read:chat` scope:
//!
//! 1. `GET {id}/validate` names the token's client id and user, and its scopes (Twitch asks clients to validate
//!    at start and hourly; a refused token stops the source with an error naming `SHOPCAST_TWITCH_TOKEN`);
//! 2. `GET {helix}/users?login=<channel>` gives the broadcaster's id;
//! 3. the socket's first message, `session_welcome`, gives the session id, within whose keepalive the
//!    subscriptions must be made: `POST {helix}/eventsub/subscriptions` for `channel.chat.message` (required) and
//!    `channel.chat.message_delete`, `channel.chat.clear_user_messages`, `channel.chat.clear` (a moderator's
//!    deletions, bans and clears; a refusal of these is logged and the show goes on without them);
//! 4. `notification`s become comments (bits as paid in US cents, badges as moderator and subscriber flags, a
//!    user's first message, the message replied to), deletions, bans and clears, each once (EventSub delivers at
//!    least once; a resend keeps its `message_id`; with replies posted as the same account, its own messages are
//!    the host's and never comments); `session_keepalive` proves the socket alive, and a socket silent
//!    for longer than the keepalive is taken as lost; `session_reconnect` moves to its `reconnect_url`, whose
//!    welcome carries the same subscriptions, and what the old socket still brings is delivered before it is let
//!    go; a `revocation` of the chat subscription stops the source with its reason.

use super::connector::{Health, SeenIds, SourceEvent, Tls, now_ms, open_websocket};
use super::time::parse_rfc3339;
use super::{BanViewer, ChatEvent};
use crate::backoff::{Backoff, Jitter};
use futures_util::StreamExt;
use model::{Comment, CommentFlags, CommentId, Currency, Money, Platform, UnixMs};
use serde_json::{Value, json};
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

/// Twitch's EventSub WebSocket.
pub const EVENTSUB_WS: &str = "wss://eventsub.wss.twitch.tv/ws";
/// The Twitch API (Helix).
pub const HELIX: &str = "https://api.twitch.tv/helix";
/// Twitch's OAuth server (token validation).
pub const TWITCH_ID: &str = "https://id.twitch.tv/oauth2";

/// The scope reading chat needs.
pub const READ_SCOPE: &str = "user:read:chat";
/// The scope posting replies into chat needs ([`super::replies`]).
pub const WRITE_SCOPE: &str = "user:write:chat";

/// Where and how to connect.
#[derive(Clone)]
pub struct EventSubConfig {
    /// The channel to read (its login, with or without `#`).
    pub channel: String,
    /// A user access token (with or without `oauth:`) carrying [`READ_SCOPE`].
    pub token: String,
    pub ws_url: String,
    pub helix: String,
    pub id_api: String,
    /// TLS for `wss://` (the Mozilla roots, or a private authority in tests).
    pub tls: Tls,
    /// How often the token is validated again while the source runs.
    pub validate_every: Duration,
    /// How much longer than the session's keepalive a silent socket is trusted (network delay).
    pub keepalive_grace: Duration,
    /// Leave out the reading account's own messages: on when replies are posted as that account
    /// ([`super::replies`]), so the host never answers itself.
    pub skip_own: bool,
    /// First reconnect delay; doubles each failed attempt up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// Message ids remembered, so a resent notification is delivered once.
    pub dedupe_ids: usize,
}

impl fmt::Debug for EventSubConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventSubConfig")
            .field("channel", &self.channel)
            .field("ws_url", &self.ws_url)
            .field("helix", &self.helix)
            .finish_non_exhaustive()
    }
}

impl EventSubConfig {
    pub fn new(channel: impl Into<String>, token: impl Into<String>) -> EventSubConfig {
        EventSubConfig {
            channel: channel.into(),
            token: token.into(),
            ws_url: EVENTSUB_WS.into(),
            helix: HELIX.into(),
            id_api: TWITCH_ID.into(),
            tls: Tls::default(),
            validate_every: Duration::from_secs(3600),
            keepalive_grace: Duration::from_secs(5),
            skip_own: false,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(60),
            dedupe_ids: 4096,
        }
    }

    fn bare_token(&self) -> &str {
        let token = self.token.trim();
        token.strip_prefix("oauth:").unwrap_or(token)
    }
}

/// Why [`run`] stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum EventSubError {
    #[error(
        "Twitch refused the token: {0}. Check SHOPCAST_TWITCH_TOKEN (a user access token with the user:read:chat \
         scope, with or without \"oauth:\")"
    )]
    TokenRefused(String),
    #[error(
        "the token in SHOPCAST_TWITCH_TOKEN lacks the {0} scope (user:read:chat to read chat through EventSub, \
         user:write:chat to post replies): make a new one that grants it"
    )]
    MissingScope(&'static str),
    #[error("Twitch has no channel named \"{0}\": check [chat] twitch_channel")]
    NoChannel(String),
    #[error("Twitch refused the chat subscription: HTTP {status} {message}. {hint}")]
    SubscriptionRefused { status: u16, message: String, hint: &'static str },
    #[error("Twitch revoked the chat subscription ({0}): the token's grant was withdrawn or the user removed")]
    Revoked(String),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

/// One message from the socket.
#[derive(Debug, Clone, PartialEq)]
pub enum Frame {
    Welcome {
        session_id: String,
        keepalive: Duration,
    },
    Keepalive,
    /// `event` is `None` for a subscription type the show does not use.
    Notification {
        message_id: String,
        event: Option<ChatEvent>,
    },
    Reconnect {
        url: String,
    },
    Revocation {
        /// The subscription type revoked (`channel.chat.message`, or one of the moderation ones).
        kind: String,
        status: String,
    },
}

fn text_of<'a>(value: &'a Value, path: &str) -> Option<&'a str> {
    value.pointer(path).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Reads one socket message. The error says what the message lacks.
pub fn parse_frame(text: &str, now: UnixMs) -> Result<Frame, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let kind = text_of(&value, "/metadata/message_type").ok_or("no metadata.message_type")?;
    match kind {
        "session_welcome" => {
            let session_id = text_of(&value, "/payload/session/id").ok_or("a welcome without payload.session.id")?;
            let seconds = value.pointer("/payload/session/keepalive_timeout_seconds").and_then(Value::as_u64);
            Ok(Frame::Welcome {
                session_id: session_id.to_string(),
                keepalive: Duration::from_secs(seconds.unwrap_or(10).clamp(1, 600)),
            })
        }
        "session_keepalive" => Ok(Frame::Keepalive),
        "session_reconnect" => {
            let url = text_of(&value, "/payload/session/reconnect_url").ok_or("a reconnect without reconnect_url")?;
            Ok(Frame::Reconnect { url: url.to_string() })
        }
        "revocation" => Ok(Frame::Revocation {
            kind: text_of(&value, "/payload/subscription/type")
                .or_else(|| text_of(&value, "/metadata/subscription_type"))
                .unwrap_or("")
                .to_string(),
            status: text_of(&value, "/payload/subscription/status").unwrap_or("").to_string(),
        }),
        "notification" => {
            let message_id = text_of(&value, "/metadata/message_id").ok_or("a notification without message_id")?;
            let time =
                text_of(&value, "/metadata/message_timestamp").and_then(|t| parse_rfc3339(t).ok()).unwrap_or(now);
            let kind = text_of(&value, "/metadata/subscription_type")
                .or_else(|| text_of(&value, "/payload/subscription/type"))
                .ok_or("a notification without subscription_type")?;
            let event = value.pointer("/payload/event").ok_or("a notification without payload.event")?;
            let event = match kind {
                "channel.chat.message" => Some(ChatEvent::Comment(chat_message(event, time)?)),
                "channel.chat.message_delete" => Some(ChatEvent::DeleteComment {
                    platform: Platform::Twitch,
                    id: CommentId(text_of(event, "/message_id").ok_or("a deletion without message_id")?.to_string()),
                }),
                "channel.chat.clear_user_messages" => Some(ChatEvent::BanViewer(BanViewer {
                    platform: Platform::Twitch,
                    user_id: text_of(event, "/target_user_id").ok_or("a clear without target_user_id")?.to_string(),
                    user_name: text_of(event, "/target_user_name").unwrap_or("").to_string(),
                    duration_secs: None,
                })),
                "channel.chat.clear" => Some(ChatEvent::ClearChat { platform: Platform::Twitch }),
                _ => None,
            };
            Ok(Frame::Notification { message_id: message_id.to_string(), event })
        }
        other => Err(format!("an unknown message_type \"{other}\"")),
    }
}

/// A `channel.chat.message` event as a comment.
fn chat_message(event: &Value, time: UnixMs) -> Result<Comment, String> {
    let id = text_of(event, "/message_id").ok_or("a chat message without message_id")?;
    let user_id = text_of(event, "/chatter_user_id").ok_or("a chat message without chatter_user_id")?;
    let text = event.pointer("/message/text").and_then(Value::as_str).ok_or("a chat message without message.text")?;
    let name =
        text_of(event, "/chatter_user_name").or_else(|| text_of(event, "/chatter_user_login")).unwrap_or(user_id);
    let badges: Vec<&str> = event
        .get("badges")
        .and_then(Value::as_array)
        .map(|b| b.iter().filter_map(|b| b.get("set_id").and_then(Value::as_str)).collect())
        .unwrap_or_default();
    let has = |set: &str| badges.contains(&set);
    let bits = event.pointer("/cheer/bits").and_then(Value::as_i64).filter(|b| *b > 0);
    Ok(Comment {
        platform: Platform::Twitch,
        id: CommentId(id.to_string()),
        user_id: user_id.to_string(),
        user_name: name.to_string(),
        text: text.to_string(),
        time,
        // 1 bit is one US cent.
        paid: bits.and_then(|bits| Some(Money { minor: bits, currency: Currency::parse("USD")? })),
        flags: CommentFlags {
            first_message: text_of(event, "/message_type") == Some("user_intro"),
            moderator: has("moderator") || has("broadcaster"),
            subscriber: has("subscriber") || has("founder"),
            reply_to: text_of(event, "/reply/parent_message_id").map(|p| CommentId(p.to_string())),
            ..CommentFlags::default()
        },
    })
}

/// Why one connection ended.
enum Ended {
    Shutdown,
    ReceiverGone,
    Lost(String),
    Refused(EventSubError),
}

/// A failed call: worth retrying, or not.
enum CallError {
    Retry(String),
    Fatal(EventSubError),
}

impl From<CallError> for Ended {
    fn from(e: CallError) -> Ended {
        match e {
            CallError::Retry(why) => Ended::Lost(why),
            CallError::Fatal(e) => Ended::Refused(e),
        }
    }
}

/// What the token says about itself.
pub(super) struct Identity {
    pub(super) client_id: String,
    pub(super) user_id: String,
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallError::Retry(why) => f.write_str(why),
            CallError::Fatal(e) => write!(f, "{e}"),
        }
    }
}

/// The token's identity, when it carries `scope` (for posting replies): the error in words, and whether it is for
/// good (a refused token, a missing scope) rather than worth trying again.
pub(super) async fn validate_for(
    client: &reqwest::Client,
    config: &EventSubConfig,
    scope: &'static str,
) -> Result<Identity, (String, bool)> {
    validate_scope(client, config, scope).await.map_err(|e| {
        let fatal = matches!(e, CallError::Fatal(_));
        (e.to_string(), fatal)
    })
}

/// The channel's user id (for posting replies; the error in words).
pub(super) async fn lookup_broadcaster(
    client: &reqwest::Client,
    config: &EventSubConfig,
    who: &Identity,
) -> Result<String, String> {
    broadcaster_id(client, config, who).await.map_err(|e| e.to_string())
}

async fn validate(client: &reqwest::Client, config: &EventSubConfig) -> Result<Identity, CallError> {
    validate_scope(client, config, READ_SCOPE).await
}

async fn validate_scope(
    client: &reqwest::Client,
    config: &EventSubConfig,
    scope: &'static str,
) -> Result<Identity, CallError> {
    let url = format!("{}/validate", config.id_api.trim_end_matches('/'));
    let response = client
        .get(&url)
        .header("authorization", format!("OAuth {}", config.bare_token()))
        .send()
        .await
        .map_err(|e| CallError::Retry(format!("validating the token: {e}")))?;
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    if status.as_u16() == 401 {
        let message = text_of(&body, "/message").unwrap_or("invalid access token").to_string();
        return Err(CallError::Fatal(EventSubError::TokenRefused(message)));
    }
    if !status.is_success() {
        return Err(CallError::Retry(format!("validating the token: HTTP {status}")));
    }
    let scopes: Vec<&str> = body
        .get("scopes")
        .and_then(Value::as_array)
        .map(|s| s.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !scopes.contains(&scope) {
        return Err(CallError::Fatal(EventSubError::MissingScope(scope)));
    }
    match (text_of(&body, "/client_id"), text_of(&body, "/user_id")) {
        (Some(client_id), Some(user_id)) => Ok(Identity { client_id: client_id.into(), user_id: user_id.into() }),
        _ => Err(CallError::Fatal(EventSubError::TokenRefused(
            "the token belongs to no user (an app token cannot read chat)".into(),
        ))),
    }
}

pub(super) fn helix_request(
    client: &reqwest::Client,
    config: &EventSubConfig,
    who: &Identity,
    method: reqwest::Method,
    path: &str,
) -> reqwest::RequestBuilder {
    client
        .request(method, format!("{}{path}", config.helix.trim_end_matches('/')))
        .bearer_auth(config.bare_token())
        .header("client-id", &who.client_id)
}

async fn broadcaster_id(
    client: &reqwest::Client,
    config: &EventSubConfig,
    who: &Identity,
) -> Result<String, CallError> {
    let login = config.channel.trim().trim_start_matches('#').to_ascii_lowercase();
    let response = helix_request(client, config, who, reqwest::Method::GET, "/users")
        .query(&[("login", login.as_str())])
        .send()
        .await
        .map_err(|e| CallError::Retry(format!("looking up the channel: {e}")))?;
    let status = response.status();
    if status.as_u16() == 401 {
        return Err(CallError::Fatal(EventSubError::TokenRefused("Helix answered 401".into())));
    }
    if !status.is_success() {
        return Err(CallError::Retry(format!("looking up the channel: HTTP {status}")));
    }
    let body: Value = response.json().await.map_err(|e| CallError::Retry(format!("looking up the channel: {e}")))?;
    match text_of(&body, "/data/0/id") {
        Some(id) => Ok(id.to_string()),
        None => Err(CallError::Fatal(EventSubError::NoChannel(login))),
    }
}

/// The subscriptions made on each new session: the first is required, the others are welcome.
const SUBSCRIPTIONS: [(&str, bool); 4] = [
    ("channel.chat.message", true),
    ("channel.chat.message_delete", false),
    ("channel.chat.clear_user_messages", false),
    ("channel.chat.clear", false),
];

async fn subscribe(
    client: &reqwest::Client,
    config: &EventSubConfig,
    who: &Identity,
    broadcaster: &str,
    session_id: &str,
) -> Result<(), CallError> {
    for (kind, required) in SUBSCRIPTIONS {
        let body = json!({
            "type": kind,
            "version": "1",
            "condition": { "broadcaster_user_id": broadcaster, "user_id": who.user_id },
            "transport": { "method": "websocket", "session_id": session_id },
        });
        let response = helix_request(client, config, who, reqwest::Method::POST, "/eventsub/subscriptions")
            .json(&body)
            .send()
            .await
            .map_err(|e| CallError::Retry(format!("subscribing to {kind}: {e}")))?;
        let status = response.status().as_u16();
        // 409: the subscription exists already (a resubscription after a reconnect).
        if response.status().is_success() || status == 409 {
            continue;
        }
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        let message = text_of(&answer, "/message").unwrap_or("").to_string();
        let hint = match status {
            401 => "Check SHOPCAST_TWITCH_TOKEN",
            403 => "The token's user may not read this channel's chat (the user:read:chat scope, or a ban)",
            _ => "",
        };
        match (status, required) {
            (401 | 403 | 400, true) => {
                return Err(CallError::Fatal(EventSubError::SubscriptionRefused { status, message, hint }));
            }
            (_, true) => return Err(CallError::Retry(format!("subscribing to {kind}: HTTP {status} {message}"))),
            (_, false) => {
                tracing::warn!(kind, status, %message, "a Twitch EventSub subscription was refused; the show goes on without it")
            }
        }
    }
    Ok(())
}

/// Runs until `shutdown` completes, the receiver of `tx` is dropped, or Twitch refuses in a way only the operator
/// can fix.
pub async fn run(
    config: EventSubConfig,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), EventSubError> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .map_err(|e| EventSubError::Client(e.to_string()))?;
    tokio::pin!(shutdown);
    let mut jitter = Jitter::new();
    let mut state = State { seen: SeenIds::new(config.dedupe_ids), failures: 0, ever_connected: false };
    loop {
        let ended = tokio::select! {
            _ = &mut shutdown => Ended::Shutdown,
            ended = session(&client, &config, &tx, &mut state) => ended,
        };
        let reason = match ended {
            Ended::Shutdown | Ended::ReceiverGone => return Ok(()),
            Ended::Refused(e) => return Err(e),
            Ended::Lost(reason) => reason,
        };
        let retry_in = Backoff::new(config.initial_backoff, config.max_backoff).jittered(state.failures, &mut jitter);
        state.failures = state.failures.saturating_add(1);
        tracing::warn!(%reason, ?retry_in, "twitch eventsub connection lost");
        if tx.send(SourceEvent::Health(Health::Lost { reason, retry_in })).await.is_err() {
            return Ok(());
        }
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            _ = tokio::time::sleep(retry_in) => {}
        }
    }
}

struct State {
    seen: SeenIds,
    failures: u32,
    ever_connected: bool,
}

/// Reads the welcome, the socket's first message.
async fn welcome(socket: &mut super::connector::WebSocket) -> Result<(String, Duration), String> {
    let first = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => return Ok(text),
                Some(Ok(Message::Close(_))) | None => return Err("the socket closed before its welcome".to_string()),
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e.to_string()),
            }
        }
    })
    .await
    .map_err(|_| "no welcome within 10 s".to_string())??;
    match parse_frame(&first, now_ms()) {
        Ok(Frame::Welcome { session_id, keepalive }) => Ok((session_id, keepalive)),
        Ok(other) => Err(format!("the socket's first message was not its welcome: {other:?}")),
        Err(e) => Err(format!("the socket's first message cannot be read: {e}")),
    }
}

/// One session, from the token's validation to a loss; a `session_reconnect` moves sockets within it.
async fn session(
    client: &reqwest::Client,
    config: &EventSubConfig,
    tx: &mpsc::Sender<SourceEvent>,
    state: &mut State,
) -> Ended {
    let who = match validate(client, config).await {
        Ok(who) => who,
        Err(e) => return e.into(),
    };
    let broadcaster = match broadcaster_id(client, config, &who).await {
        Ok(id) => id,
        Err(e) => return e.into(),
    };
    let mut socket = match open_websocket(&config.ws_url, &config.tls).await {
        Ok(socket) => socket,
        Err(e) => return Ended::Lost(e),
    };
    let (session_id, mut keepalive) = match welcome(&mut socket).await {
        Ok(w) => w,
        Err(e) => return Ended::Lost(e),
    };
    if let Err(e) = subscribe(client, config, &who, &broadcaster, &session_id).await {
        return e.into();
    }
    let health = if state.ever_connected { Health::Restored { attempts: state.failures } } else { Health::Connected };
    state.ever_connected = true;
    state.failures = 0;
    if tx.send(SourceEvent::Health(health)).await.is_err() {
        return Ended::ReceiverGone;
    }
    let mut revalidate =
        tokio::time::interval_at(tokio::time::Instant::now() + config.validate_every, config.validate_every);
    loop {
        // Twitch sends a keepalive when nothing else went out for `keepalive`: silence past it (and a margin for the
        // network) means the socket is gone.
        let silence = keepalive + config.keepalive_grace;
        let message = tokio::select! {
            message = tokio::time::timeout(silence, socket.next()) => message,
            _ = revalidate.tick() => {
                match validate(client, config).await {
                    Ok(_) | Err(CallError::Retry(_)) => continue,
                    Err(CallError::Fatal(e)) => return Ended::Refused(e),
                }
            }
        };
        let text = match message {
            Err(_) => return Ended::Lost(format!("no message or keepalive for {:.1} s", silence.as_secs_f64())),
            Ok(None) | Ok(Some(Ok(Message::Close(_)))) => return Ended::Lost("the socket closed".into()),
            Ok(Some(Err(e))) => return Ended::Lost(format!("reading the socket failed: {e}")),
            Ok(Some(Ok(Message::Text(text)))) => text,
            Ok(Some(Ok(_))) => continue,
        };
        match parse_frame(&text, now_ms()) {
            Err(reason) => tracing::debug!(%reason, "an unreadable EventSub message was skipped"),
            Ok(Frame::Keepalive | Frame::Welcome { .. }) => {}
            Ok(Frame::Notification { message_id, event }) => {
                if !state.seen.first_time(&message_id) {
                    continue;
                }
                // When replies are posted as the reading account, its own messages are the host's, not a viewer's,
                // and are never answered.
                if let Some(ChatEvent::Comment(c)) = &event
                    && config.skip_own
                    && c.user_id == who.user_id
                {
                    continue;
                }
                if let Some(event) = event
                    && tx.send(SourceEvent::Chat(event)).await.is_err()
                {
                    return Ended::ReceiverGone;
                }
            }
            Ok(Frame::Reconnect { url }) => {
                // The new socket's welcome carries the subscriptions over; the old one is let go only then, so no
                // notification falls between them.
                let mut moved = match open_websocket(&url, &config.tls).await {
                    Ok(socket) => socket,
                    Err(e) => return Ended::Lost(format!("moving to the reconnect address failed: {e}")),
                };
                match welcome(&mut moved).await {
                    Ok((_, new_keepalive)) => keepalive = new_keepalive,
                    Err(e) => return Ended::Lost(format!("the reconnect address gave no welcome: {e}")),
                }
                // What reached the old socket meanwhile is still delivered (a resend on the new one is absorbed by
                // the ids remembered); Twitch closes the old socket once the new one is welcomed.
                let drain = async {
                    while let Some(Ok(message)) = socket.next().await {
                        if let Message::Text(text) = message
                            && let Ok(Frame::Notification { message_id, event: Some(event) }) =
                                parse_frame(&text, now_ms())
                            && state.seen.first_time(&message_id)
                            && tx.send(SourceEvent::Chat(event)).await.is_err()
                        {
                            return false;
                        }
                    }
                    true
                };
                if !tokio::time::timeout(Duration::from_secs(2), drain).await.unwrap_or(true) {
                    return Ended::ReceiverGone;
                }
                let _ = socket.close(None).await;
                socket = moved;
                tracing::info!("twitch eventsub moved to its reconnect address");
            }
            // Only the chat itself ends the source; a moderation subscription revoked leaves the comments coming.
            Ok(Frame::Revocation { kind, status }) if kind == "channel.chat.message" || kind.is_empty() => {
                return Ended::Refused(EventSubError::Revoked(status));
            }
            Ok(Frame::Revocation { kind, status }) => {
                tracing::warn!(kind, status, "Twitch revoked a moderation subscription; chat goes on without it");
            }
        }
    }
}

#[cfg(test)]
#[path = "twitch_eventsub_tests.rs"]
mod tests;
