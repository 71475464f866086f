//! Answers posted into the platform chat too (`[chat] post_replies = true`): a viewer who asked in chat sees the
//! answer where they asked, as well as hearing it. Twitch through Send Chat Message (with EventSub) or IRC
//! PRIVMSG (with the IRC connector), threaded under the comment; YouTube through `liveChatMessages.insert`, the
//! viewer named, within a share of the daily quota kept for replies.
//!
//! What is posted is exactly what aired: the text of an [`AiredLine`] the director built from guarded sentences,
//! for an answer or a hand-off to a viewer's comment, on that comment's platform. Nothing else can reach a poster:
//! [`ChatReply`] is made only from an aired line, so a path that skipped the guard would have nothing to post.
//!
//! Each platform has its own task and queue, so a slow platform never holds another. Sends keep to the platform's
//! limit over a sliding window ([`SendWindow`]; Twitch: 20 messages in 30 s, 100 for a moderator or the
//! broadcaster, and going over silences the account for 30 minutes), a long line is split at sentence ends into
//! the platform's message length, and a reply that waited past [`STALE_AFTER`] is dropped (the show has moved on).
//! Every drop is logged with its reason.

use super::connector::IrcSend;
use super::twitch_eventsub::{self, EventSubConfig};
use super::youtube_auth::{AccessTokens, TokenProblem};
use super::youtube_poll::{YOUTUBE_API_BASE, YoutubeAuth};
use super::youtube_quota::QuotaBudget;
use model::{AiredLine, CommentId, LineKind, Platform};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

/// A reply that waited this long for the rate limit is not posted.
pub const STALE_AFTER: Duration = Duration::from_secs(60);

/// One aired answer, to be posted to the chat it answers.
#[derive(Clone, Debug, PartialEq)]
pub struct ChatReply {
    pub platform: Platform,
    /// The comment answered (Twitch threads the reply under it).
    pub parent: CommentId,
    /// Who asked (YouTube has no threads: the reply names them).
    pub user_name: String,
    pub text: String,
    /// When it aired.
    queued: Instant,
}

impl ChatReply {
    /// The reply an aired line makes: answers and hand-offs to a viewer's comment, with their aired text.
    pub fn from_aired(line: &AiredLine) -> Option<ChatReply> {
        if !matches!(line.kind, LineKind::Answer(_) | LineKind::Handoff(_)) {
            return None;
        }
        let trigger = line.trigger.as_ref()?;
        let text = line.text.trim();
        if text.is_empty() {
            return None;
        }
        Some(ChatReply {
            platform: trigger.platform,
            parent: trigger.id.clone(),
            user_name: trigger.user_name.clone(),
            text: text.to_string(),
            queued: Instant::now(),
        })
    }
}

/// At most `limit` sends in any `window`: a sliding window, since the platforms do not say when their bucket
/// refills.
#[derive(Debug)]
pub struct SendWindow {
    limit: usize,
    window: Duration,
    sent: VecDeque<Instant>,
}

impl SendWindow {
    pub fn new(limit: usize, window: Duration) -> SendWindow {
        SendWindow { limit: limit.max(1), window, sent: VecDeque::new() }
    }

    /// How long to wait before the next send may go at `now` (zero when it may go at once).
    pub fn delay(&mut self, now: Instant) -> Duration {
        while self.sent.front().is_some_and(|t| now.saturating_duration_since(*t) >= self.window) {
            self.sent.pop_front();
        }
        match self.sent.front() {
            Some(oldest) if self.sent.len() >= self.limit => (*oldest + self.window).saturating_duration_since(now),
            _ => Duration::ZERO,
        }
    }

    /// A send went at `now`.
    pub fn record(&mut self, now: Instant) {
        self.sent.push_back(now);
        while self.sent.len() > self.limit {
            self.sent.pop_front();
        }
    }
}

/// `text` in messages of at most `max_chars` characters: each message ends at the last sentence end that fits,
/// or, for a sentence longer than a message, at the last space (or, for text without spaces such as Chinese, at
/// the character limit). The text is never rewritten: only the whitespace at a cut goes.
pub fn split_message(text: &str, max_chars: usize) -> Vec<String> {
    let max_chars = max_chars.max(1);
    let ends_sentence = |c: char| matches!(c, '.' | '!' | '?' | '。' | '！' | '？' | '…');
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max_chars {
        let limit = rest.char_indices().nth(max_chars).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..limit];
        // A full stop ends a sentence only before a space or the end: "$3.5 a box" is one price, not two sentences.
        let stands = |i: usize, c: char| {
            // The next character in the whole text: the window may end right after the point.
            let next = rest.get(i + c.len_utf8()..).and_then(|r| r.chars().next());
            !matches!(c, '.' | '!' | '?') || next.is_none_or(char::is_whitespace)
        };
        let cut = window
            .char_indices()
            .filter(|&(i, c)| ends_sentence(c) && stands(i, c))
            .map(|(i, c)| i + c.len_utf8())
            .next_back()
            .or_else(|| window.rfind(char::is_whitespace).filter(|i| *i > 0))
            .unwrap_or(limit);
        parts.push(rest[..cut].trim_end().to_string());
        rest = rest[cut..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

/// Where one platform's replies go.
pub enum Poster {
    /// Twitch's Send Chat Message API (`POST /helix/chat/messages`; the token needs `user:write:chat`).
    TwitchHelix(Box<EventSubConfig>),
    /// IRC PRIVMSG on the Twitch connector's own connection (a logged-in account; anonymous readers cannot send).
    TwitchIrc(mpsc::Sender<IrcSend>),
    /// YouTube's `liveChatMessages.insert` as the broadcaster's channel.
    Youtube(Box<YoutubePoster>),
}

impl Poster {
    fn platform(&self) -> Platform {
        match self {
            Poster::TwitchHelix(_) | Poster::TwitchIrc(_) => Platform::Twitch,
            Poster::Youtube(_) => Platform::Youtube,
        }
    }

    /// The platform's message length, in characters.
    fn max_chars(&self) -> usize {
        match self {
            Poster::TwitchHelix(_) | Poster::TwitchIrc(_) => 500,
            Poster::Youtube(_) => 200,
        }
    }

    /// The words posted for `reply`: Twitch threads a reply under the comment; YouTube has no threads, so its reply
    /// starts with the viewer's name unless the host already began with it.
    fn words(&self, reply: &ChatReply) -> String {
        match self {
            Poster::Youtube(_) if !reply.user_name.is_empty() && !reply.text.starts_with(&reply.user_name) => {
                format!("@{} {}", reply.user_name, reply.text)
            }
            _ => reply.text.clone(),
        }
    }
}

/// Quota units one `liveChatMessages.insert` costs (and what the channel lookup is counted as, to be safe).
pub const YOUTUBE_INSERT_COST: u32 = 20;

/// Posting to a YouTube live chat: OAuth only (an API key cannot post), the chat's id from the poller once it
/// knows it, and a share of the daily quota kept for replies, so posting never leaves the poller deaf.
pub struct YoutubePoster {
    pub base_url: String,
    auth: YoutubeAuth,
    tokens: Option<AccessTokens>,
    chat_id: watch::Receiver<Option<String>>,
    /// Told the channel posting is done as, before the first post, so the poller never delivers the host's own
    /// messages as comments.
    own_channel: watch::Sender<Option<String>>,
    budget: QuotaBudget,
}

impl YoutubePoster {
    /// `reserved_units` of the daily quota are kept for replies, over `must_last`. The error says why it cannot post.
    pub fn new(
        auth: YoutubeAuth,
        chat_id: watch::Receiver<Option<String>>,
        own_channel: watch::Sender<Option<String>>,
        reserved_units: u32,
        must_last: Duration,
    ) -> Result<YoutubePoster, String> {
        let tokens = match &auth {
            YoutubeAuth::ApiKey(_) => {
                return Err("an API key can read a public chat but not post in it: set the broadcaster's OAuth grant \
                            (SHOPCAST_YOUTUBE_REFRESH_TOKEN with SHOPCAST_YOUTUBE_CLIENT_ID and \
                            SHOPCAST_YOUTUBE_CLIENT_SECRET)"
                    .into());
            }
            YoutubeAuth::Bearer(_) => None,
            YoutubeAuth::Refresh(refresh) => Some(AccessTokens::new(refresh.clone())),
        };
        Ok(YoutubePoster {
            base_url: YOUTUBE_API_BASE.into(),
            auth,
            tokens,
            chat_id,
            own_channel,
            budget: QuotaBudget::new(reserved_units, YOUTUBE_INSERT_COST, must_last),
        })
    }

    async fn token(&mut self, client: &reqwest::Client) -> Result<String, String> {
        match (&self.auth, self.tokens.as_mut()) {
            (_, Some(tokens)) => tokens.token(client, Duration::from_secs(10)).await.map_err(|e| match e {
                TokenProblem::Refused(why) => format!("Google refused the OAuth grant: {why}"),
                TokenProblem::Retry(why) => why,
            }),
            (YoutubeAuth::Bearer(token), None) => Ok(token.clone()),
            _ => Err("no OAuth credentials".into()),
        }
    }

    /// Spends one call of the replies' quota, or says it is spent.
    fn spend(&mut self) -> Result<(), String> {
        let now = std::time::Instant::now();
        if self.budget.used(now) + YOUTUBE_INSERT_COST > self.budget.daily_units {
            return Err(format!(
                "the {} quota units kept for replies are spent for today (raise [chat] youtube_reply_units)",
                self.budget.daily_units
            ));
        }
        self.budget.spend(now);
        Ok(())
    }

    /// YouTube's reason for a refusal (`error.errors[0].reason`), or the status.
    fn refusal(status: reqwest::StatusCode, answer: &Value) -> String {
        let reason = answer.pointer("/error/errors/0/reason").and_then(Value::as_str).unwrap_or("");
        let message = answer.pointer("/error/message").and_then(Value::as_str).unwrap_or("");
        format!("YouTube answered HTTP {status} {reason}: {message}")
    }

    async fn post(&mut self, client: &reqwest::Client, text: &str) -> Result<(), String> {
        let chat = self.chat_id.borrow().clone().ok_or("the live chat is not known yet")?;
        let base = self.base_url.trim_end_matches('/').to_string();
        if self.own_channel.borrow().is_none() {
            self.spend()?;
            let token = self.token(client).await?;
            let response = client
                .get(format!("{base}/youtube/v3/channels"))
                .query(&[("part", "id"), ("mine", "true")])
                .bearer_auth(token)
                .send()
                .await
                .map_err(|e| format!("YouTube cannot be reached: {}", e.without_url()))?;
            let status = response.status();
            let answer: Value = response.json().await.unwrap_or(Value::Null);
            let Some(id) = answer.pointer("/items/0/id").and_then(Value::as_str).filter(|_| status.is_success()) else {
                return Err(format!("the posting channel is not known: {}", Self::refusal(status, &answer)));
            };
            self.own_channel.send_replace(Some(id.to_string()));
        }
        self.spend()?;
        let token = self.token(client).await?;
        let body = json!({"snippet": {"liveChatId": chat, "type": "textMessageEvent",
            "textMessageDetails": {"messageText": text}}});
        let response = client
            .post(format!("{base}/youtube/v3/liveChat/messages"))
            .query(&[("part", "snippet")])
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .map_err(|e| format!("YouTube cannot be reached: {}", e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(());
        }
        if status.as_u16() == 401
            && let Some(tokens) = self.tokens.as_mut()
        {
            tokens.invalidate();
        }
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        Err(Self::refusal(status, &answer))
    }
}

/// A platform's poster with its limit.
pub struct PostRoute {
    pub poster: Poster,
    pub window: SendWindow,
}

/// Routes every aired answer to its platform's poster until `console` closes or `shutdown` completes. Replies to
/// platforms without a poster are skipped.
pub async fn run(
    mut console: broadcast::Receiver<model::ConsoleEvent>,
    routes: Vec<PostRoute>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let mut queues: Vec<(Platform, mpsc::Sender<ChatReply>)> = Vec::new();
    let mut tasks = tokio::task::JoinSet::new();
    for route in routes {
        let (tx, rx) = mpsc::channel(32);
        queues.push((route.poster.platform(), tx));
        tasks.spawn(post_loop(route, rx));
    }
    tokio::pin!(shutdown);
    loop {
        let event = tokio::select! {
            _ = &mut shutdown => break,
            event = console.recv() => event,
        };
        let line = match event {
            Ok(model::ConsoleEvent::LineAired(line)) => line,
            Ok(_) => continue,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "the chat reply poster fell behind the show; {n} event(s) were not seen");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => break,
        };
        let Some(reply) = ChatReply::from_aired(&line) else { continue };
        let Some((_, queue)) = queues.iter().find(|(p, _)| *p == reply.platform) else { continue };
        if let Err(e) = queue.try_send(reply) {
            tracing::warn!(line = %line.line, "a chat reply was not posted: the queue is full ({e})");
        }
    }
    tasks.abort_all();
}

/// One platform's queue: wait for the window, drop what went stale, post each part.
async fn post_loop(mut route: PostRoute, mut rx: mpsc::Receiver<ChatReply>) {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(client) => client,
        Err(e) => return tracing::error!("chat replies are off: cannot build the HTTP client: {e}"),
    };
    let mut helix: Option<HelixIds> = None;
    // Set when Twitch refused the token for posting for good (no user:write:chat): said once, then replies stop.
    let mut helix_off = false;
    while let Some(reply) = rx.recv().await {
        for part in split_message(&route.poster.words(&reply), route.poster.max_chars()) {
            let wait = route.window.delay(Instant::now());
            if reply.queued.elapsed() + wait > STALE_AFTER {
                tracing::warn!(parent = %reply.parent.0, "a chat reply was dropped: the rate limit held it past a minute");
                break;
            }
            tokio::time::sleep(wait).await;
            route.window.record(Instant::now());
            let posted = match &mut route.poster {
                Poster::TwitchIrc(irc) => irc
                    .try_send(IrcSend::new(Some(reply.parent.0.clone()), part))
                    .map_err(|e| format!("the IRC connection is not taking messages ({e})")),
                Poster::TwitchHelix(_) if helix_off => break,
                Poster::TwitchHelix(config) => {
                    post_helix(&client, config, &mut helix, &mut helix_off, &reply.parent, &part).await
                }
                Poster::Youtube(youtube) => youtube.post(&client, &part).await,
            };
            if let Err(why) = posted {
                tracing::warn!(parent = %reply.parent.0, "a chat reply was not posted: {why}");
                break;
            }
        }
    }
}

/// What Send Chat Message needs besides the token: the ids of the channel and of the account posting.
struct HelixIds {
    who: twitch_eventsub::Identity,
    broadcaster: String,
}

async fn post_helix(
    client: &reqwest::Client,
    config: &EventSubConfig,
    ids: &mut Option<HelixIds>,
    off: &mut bool,
    parent: &CommentId,
    text: &str,
) -> Result<(), String> {
    if ids.is_none() {
        let who = match twitch_eventsub::validate_for(client, config, twitch_eventsub::WRITE_SCOPE).await {
            Ok(who) => who,
            Err((why, fatal)) => {
                if fatal {
                    *off = true;
                    tracing::error!("answers are not posted to Twitch chat for the rest of the show: {why}");
                }
                return Err(why);
            }
        };
        let broadcaster = twitch_eventsub::lookup_broadcaster(client, config, &who).await?;
        *ids = Some(HelixIds { who, broadcaster });
    }
    let Some(HelixIds { who, broadcaster }) = ids.as_ref() else { return Err("no ids".into()) };
    let body = json!({
        "broadcaster_id": broadcaster,
        "sender_id": who.user_id,
        "message": text,
        "reply_parent_message_id": parent.0,
    });
    let response = twitch_eventsub::helix_request(client, config, who, reqwest::Method::POST, "/chat/messages")
        .json(&body)
        .send()
        .await
        .map_err(|e| format!("Twitch cannot be reached: {}", e.without_url()))?;
    let status = response.status();
    let answer: Value = response.json().await.unwrap_or(Value::Null);
    if status.as_u16() == 401 {
        // A token renewed or revoked: look again next time.
        *ids = None;
    }
    if !status.is_success() {
        let message = answer.get("message").and_then(Value::as_str).unwrap_or("");
        return Err(format!("Twitch answered HTTP {status} {message}"));
    }
    match answer.pointer("/data/0/is_sent").and_then(Value::as_bool) {
        Some(true) => Ok(()),
        _ => {
            let reason =
                answer.pointer("/data/0/drop_reason/message").and_then(Value::as_str).unwrap_or("no reason given");
            Err(format!("Twitch dropped the message: {reason}"))
        }
    }
}

#[cfg(test)]
#[path = "replies_tests.rs"]
mod tests;
