//! The live YouTube chat poller: `liveChatMessages.list` asked again and again, feeding a channel.
//!
//! `run(config, tx, shutdown)` asks for a page, sends every comment, deletion, ban and membership on `tx`, then
//! waits as long as the page's `pollingIntervalMillis` says (kept within the configured bounds) and asks for the
//! next page with the page's `nextPageToken`. Quota, rate-limit, network and server errors do not stop it: it
//! reports `Health::Lost`, waits with exponential backoff and jitter, asks for the same page again and reports
//! `Health::Restored` once a page arrives. Comment ids seen recently are remembered, so a page served twice is
//! not delivered twice. It stops for good when the chat ends (sending `ChatEvent::ChatEnded`), on shutdown, when
//! the receiver goes away, or when YouTube refuses the credentials or the chat id, which waiting will not fix.
//!
//! The caller reads the API key, OAuth token or refresh grant from the environment and passes it in; this module
//! never logs them. With a refresh grant ([`YoutubeAuth::Refresh`]) the access token is renewed before it lapses
//! (and at once when YouTube answers 401), so a show reads its chat for days. The chat can be named by its
//! `liveChatId`, or found from a video id or the channel's active broadcast ([`YoutubeConfig::find_chat`]). With a
//! [`QuotaBudget`] the polls are spaced to keep the daily quota for the hours asked, and the console hears how long
//! it lasts at the current pace.

use super::ChatEvent;
use super::connector::{Health, SeenIds, SourceEvent};
use super::youtube::{YoutubeError, YoutubePage, parse_response};
use super::youtube_auth::{AccessTokens, TokenProblem, chat_id_from};
pub use super::youtube_auth::{ChatTarget, OAuthRefresh};
pub use super::youtube_quota::QuotaBudget;
use crate::backoff::{Backoff, Jitter};
use std::fmt;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;

/// YouTube's API host; tests point [`YoutubeConfig::base_url`] at 127.0.0.1 instead.
pub const YOUTUBE_API_BASE: &str = "https://www.googleapis.com";

/// A page larger than this is not a chat page; reading stops there so a broken proxy cannot fill memory.
const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// How the poller proves who it is.
#[derive(Clone, PartialEq, Eq)]
pub enum YoutubeAuth {
    /// A Data API key (`key=` query parameter); enough to read a public stream's chat.
    ApiKey(String),
    /// An OAuth 2.0 access token (`Authorization: Bearer`), for the broadcaster's own or unlisted streams. It
    /// lapses after an hour: use [`YoutubeAuth::Refresh`] for a show longer than that.
    Bearer(String),
    /// A refresh grant: access tokens are had from it and renewed as they lapse.
    Refresh(OAuthRefresh),
}

// Secrets stay out of logs and panic messages, so Debug names the kind only.
impl fmt::Debug for YoutubeAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            YoutubeAuth::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            YoutubeAuth::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            YoutubeAuth::Refresh(refresh) => write!(f, "Refresh({refresh:?})"),
        }
    }
}

/// What to poll and how patiently.
#[derive(Debug)]
pub struct YoutubeConfig {
    /// Scheme and host, without a trailing path: [`YOUTUBE_API_BASE`] in production.
    pub base_url: String,
    /// The broadcast's `liveChatId` (from `liveBroadcasts.list` or `videos.list?part=liveStreamingDetails`).
    pub live_chat_id: String,
    pub auth: YoutubeAuth,
    /// Used when a page gives no `pollingIntervalMillis`.
    pub default_poll_interval: Duration,
    /// The page's interval is honoured within these bounds: the floor keeps a server saying "0" from making the
    /// poller spin and burn quota, the ceiling keeps a confused one from silencing chat for an hour.
    pub min_poll_interval: Duration,
    pub max_poll_interval: Duration,
    /// First retry delay after an error; doubles each failed attempt up to `max_backoff`.
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// How long one request may take, connection included.
    pub request_timeout: Duration,
    /// Comment ids remembered for de-duplication when pages are served again.
    pub dedupe_ids: usize,
    /// Find the chat first (from a video or the active broadcast); its id replaces `live_chat_id`.
    pub find_chat: Option<ChatTarget>,
    /// Space the polls to keep the daily quota (`None`: as fast as the pages ask).
    pub quota: Option<QuotaBudget>,
    /// Told the chat's id once it is known (given or found), for the reply poster ([`super::replies`]).
    pub chat_found: Option<tokio::sync::watch::Sender<Option<String>>>,
    /// The channel replies are posted as: its messages are the host's own and never delivered as comments.
    pub own_channel: Option<tokio::sync::watch::Receiver<Option<String>>>,
}

impl YoutubeConfig {
    pub fn new(live_chat_id: impl Into<String>, auth: YoutubeAuth) -> YoutubeConfig {
        YoutubeConfig {
            base_url: YOUTUBE_API_BASE.into(),
            live_chat_id: live_chat_id.into(),
            auth,
            default_poll_interval: Duration::from_secs(5),
            min_poll_interval: Duration::from_millis(500),
            max_poll_interval: Duration::from_secs(30),
            initial_backoff: Duration::from_secs(1),
            // Quota resets once a day; a few-minute ceiling keeps retries cheap while the show runs on templates.
            max_backoff: Duration::from_secs(300),
            request_timeout: Duration::from_secs(10),
            dedupe_ids: 4096,
            find_chat: None,
            quota: None,
            chat_found: None,
            own_channel: None,
        }
    }
}

/// Why the poller stopped for good.
#[derive(Debug, thiserror::Error)]
pub enum YoutubePollError {
    #[error(
        "YouTube refused to read the live chat ({0}). Check the API key or OAuth token in the environment and the \
         live chat id"
    )]
    Refused(YoutubeError),
    #[error("cannot build the HTTP client: {0}")]
    Client(String),
}

impl YoutubePollError {
    /// Refused credentials and a broken TLS setup stay broken until the operator fixes them.
    pub fn is_retryable(&self) -> bool {
        false
    }
}

/// What one request came to.
#[derive(Debug, PartialEq)]
enum Poll {
    Page(YoutubePage),
    /// YouTube says the chat is over (`liveChatEnded`).
    Ended,
    /// Worth asking again after a pause: the reason for the console.
    Retry(String),
    Refused(YoutubeError),
}

/// Reads one HTTP answer. Pure, so every branch is tested without a server.
fn classify(status: u16, body: &[u8]) -> Poll {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let outcome = match (&json, (200..300).contains(&status)) {
        (Some(json), true) => parse_response(json),
        (None, true) => return Poll::Retry(format!("YouTube answered {status} with a body that is not JSON")),
        (json, false) => Err(json.as_ref().and_then(|j| parse_response(j).err()).map_or_else(
            || YoutubeError { code: status, reason: "httpError".into(), message: format!("HTTP {status}") },
            |mut e| {
                // The status line is the truth when the error object forgot its code.
                if e.code == 0 {
                    e.code = status;
                }
                e
            },
        )),
    };
    match outcome {
        Ok(page) => Poll::Page(page),
        Err(e) if e.reason == "liveChatEnded" => Poll::Ended,
        // Quota comes back (daily); rate limits and backend errors come back sooner. Code 0 is a 200 whose body
        // was not a chat page, which a proxy can produce for a moment.
        Err(e)
            if e.is_retryable()
                || e.code == 0
                || matches!(
                    e.reason.as_str(),
                    "quotaExceeded" | "dailyLimitExceeded" | "userRateLimitExceeded" | "backendError"
                ) =>
        {
            Poll::Retry(e.to_string())
        }
        Err(e) => Poll::Refused(e),
    }
}

/// How long to wait before the next page: the page's own hint, kept within the configured bounds.
fn poll_delay(config: &YoutubeConfig, hint_ms: Option<u64>) -> Duration {
    // max-then-min rather than `clamp`, which panics when a caller sets the bounds the wrong way round.
    hint_ms
        .map_or(config.default_poll_interval, Duration::from_millis)
        .max(config.min_poll_interval)
        .min(config.max_poll_interval)
}

/// The delay before retry number `attempt` (counted from 0): the shared exponential backoff, capped, spread over
/// 50-100 % so pollers that failed together do not retry together.
fn backoff(config: &YoutubeConfig, jitter: &mut Jitter, attempt: u32) -> Duration {
    Backoff::new(config.initial_backoff, config.max_backoff).jittered(attempt, jitter)
}

/// How one request proves itself: the API key, or the access token in hand.
enum Credential<'a> {
    Key(&'a str),
    Token(String),
}

impl Credential<'_> {
    fn apply(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Credential::Key(key) => request.query(&[("key", *key)]),
            Credential::Token(token) => request.bearer_auth(token),
        }
    }
}

/// The credential for the next request: the key, the fixed token, or one from the refresh grant (renewed when it is
/// about to lapse).
async fn credential<'a>(
    client: &reqwest::Client,
    config: &'a YoutubeConfig,
    tokens: &mut Option<AccessTokens>,
) -> Result<Credential<'a>, TokenProblem> {
    Ok(match (&config.auth, tokens) {
        (YoutubeAuth::ApiKey(key), _) => Credential::Key(key),
        (_, Some(tokens)) => Credential::Token(tokens.token(client, config.request_timeout).await?),
        (YoutubeAuth::Bearer(token), None) => Credential::Token(token.clone()),
        (YoutubeAuth::Refresh(_), None) => return Err(TokenProblem::Refused("no token source".into())),
    })
}

/// Reads an answer's body, at most [`MAX_RESPONSE_BYTES`].
async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if body.len() + chunk.len() > MAX_RESPONSE_BYTES => {
                return Err(format!("YouTube's answer passed {MAX_RESPONSE_BYTES} bytes and was cut off"));
            }
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok(body),
            Err(e) => return Err(format!("reading YouTube's answer failed: {}", e.without_url())),
        }
    }
}

/// Finds the live chat's id from a video or the active broadcast (1 quota unit).
async fn find_chat_id(
    client: &reqwest::Client,
    config: &YoutubeConfig,
    target: &ChatTarget,
    credential: &Credential<'_>,
) -> Result<String, Poll> {
    let base = config.base_url.trim_end_matches('/');
    let request = match target {
        ChatTarget::ChatId(id) => return Ok(id.clone()),
        ChatTarget::Video(video) => client
            .get(format!("{base}/youtube/v3/videos"))
            .query(&[("part", "liveStreamingDetails"), ("id", video.as_str())]),
        ChatTarget::ActiveBroadcast => client.get(format!("{base}/youtube/v3/liveBroadcasts")).query(&[
            ("part", "snippet"),
            ("broadcastStatus", "active"),
            ("broadcastType", "all"),
        ]),
    };
    let request = credential.apply(request.timeout(config.request_timeout));
    let response =
        request.send().await.map_err(|e| Poll::Retry(format!("cannot reach YouTube: {}", e.without_url())))?;
    let status = response.status().as_u16();
    let body = read_body(response).await.map_err(Poll::Retry)?;
    let json: serde_json::Value = match classify(status, &body) {
        // A listing is not a chat page: read it here; errors are classified as for chat pages.
        Poll::Page(_) | Poll::Ended => serde_json::from_slice(&body).unwrap_or_default(),
        other => return Err(other),
    };
    chat_id_from(target, &json).map_err(|why| {
        // Not live yet: worth asking again (the operator may start shopcast before going live).
        if why.contains("not live") || why.contains("go live first") {
            Poll::Retry(why)
        } else {
            Poll::Refused(YoutubeError { code: 404, reason: "notFound".into(), message: why })
        }
    })
}

/// Asks for one page.
async fn poll_once(
    client: &reqwest::Client,
    config: &YoutubeConfig,
    chat_id: &str,
    credential: &Credential<'_>,
    page_token: Option<&str>,
) -> Poll {
    let url = format!("{}/youtube/v3/liveChat/messages", config.base_url.trim_end_matches('/'));
    let mut request = client
        .get(url)
        .query(&[("liveChatId", chat_id), ("part", "snippet,authorDetails"), ("maxResults", "2000")])
        .timeout(config.request_timeout);
    if let Some(token) = page_token {
        request = request.query(&[("pageToken", token)]);
    }
    request = credential.apply(request);
    // reqwest's errors quote the URL, which carries the API key: `without_url` keeps it out of the console.
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Poll::Retry(format!("cannot reach YouTube: {}", e.without_url())),
    };
    let status = response.status().as_u16();
    match read_body(response).await {
        Ok(body) => classify(status, &body),
        Err(why) => Poll::Retry(why),
    }
}

/// Why the loop stopped.
enum Stop {
    Done,
    Refused(YoutubeError),
}

/// Runs until the chat ends, `shutdown` completes, the receiver of `tx` is dropped, or YouTube refuses.
///
/// `tx`: the poller sends; the show's chat intake receives. Dropping the receiver stops the poller.
pub async fn run(
    mut config: YoutubeConfig,
    tx: mpsc::Sender<SourceEvent>,
    shutdown: impl Future<Output = ()>,
) -> Result<(), YoutubePollError> {
    let client = reqwest::Client::builder().build().map_err(|e| YoutubePollError::Client(e.to_string()))?;
    tokio::select! {
        _ = shutdown => Ok(()),
        stop = poll_loop(&client, &mut config, &tx) => match stop {
            Stop::Done => Ok(()),
            Stop::Refused(e) => Err(YoutubePollError::Refused(e)),
        },
    }
}

async fn poll_loop(client: &reqwest::Client, config: &mut YoutubeConfig, tx: &mpsc::Sender<SourceEvent>) -> Stop {
    let mut jitter = Jitter::new();
    let mut seen = SeenIds::new(config.dedupe_ids);
    let mut page_token: Option<String> = None;
    let mut failures: u32 = 0;
    let mut ever_read = false;
    let mut tokens = match &config.auth {
        YoutubeAuth::Refresh(refresh) => Some(AccessTokens::new(refresh.clone())),
        _ => None,
    };
    let mut chat_id = config.find_chat.is_none().then(|| config.live_chat_id.clone());
    let mut quota = config.quota.take();
    let mut last_note: Option<tokio::time::Instant> = None;
    // Set when a 401 made the poller renew its token; a second 401 in a row means the grant itself is refused.
    let mut renewed_for_401 = false;
    loop {
        let outcome = match credential(client, config, &mut tokens).await {
            Err(TokenProblem::Refused(why)) => {
                Poll::Refused(YoutubeError { code: 401, reason: "tokenRefused".into(), message: why })
            }
            Err(TokenProblem::Retry(why)) => Poll::Retry(why),
            Ok(credential) => match (&chat_id, &config.find_chat) {
                (Some(id), _) => {
                    if let Some(found) = &config.chat_found
                        && found.borrow().as_deref() != Some(id.as_str())
                    {
                        found.send_replace(Some(id.clone()));
                    }
                    if let Some(quota) = quota.as_mut() {
                        quota.spend(tokio::time::Instant::now().into_std());
                    }
                    poll_once(client, config, id, &credential, page_token.as_deref()).await
                }
                (None, Some(target)) => match find_chat_id(client, config, target, &credential).await {
                    Ok(id) => {
                        tracing::info!(chat = %id, ?target, "youtube live chat found");
                        chat_id = Some(id);
                        // Straight on to the first page.
                        continue;
                    }
                    Err(poll) => poll,
                },
                (None, None) => Poll::Refused(YoutubeError {
                    code: 400,
                    reason: "noChat".into(),
                    message: "no live chat id and nothing to find it from".into(),
                }),
            },
        };
        let delay = match outcome {
            Poll::Page(page) => {
                let health = match (ever_read, failures) {
                    (false, _) => Some(Health::Connected),
                    (true, 0) => None,
                    (true, attempts) => Some(Health::Restored { attempts }),
                };
                ever_read = true;
                failures = 0;
                renewed_for_401 = false;
                if let Some(health) = health
                    && tx.send(SourceEvent::Health(health)).await.is_err()
                {
                    return Stop::Done;
                }
                for (index, reason) in &page.problems {
                    tracing::debug!(index, %reason, "unusable youtube chat item skipped");
                }
                let own = config.own_channel.as_ref().and_then(|own| own.borrow().clone());
                for event in page.events {
                    let deliver = match &event {
                        // The host's own posts come back on the next page: they are not a viewer's.
                        ChatEvent::Comment(comment) if own.as_deref() == Some(comment.user_id.as_str()) => false,
                        ChatEvent::Comment(comment) => seen.first_time(&comment.id.0),
                        // The end is sent once, after everything else on the page.
                        ChatEvent::ChatEnded | ChatEvent::Ignored { .. } => false,
                        _ => true,
                    };
                    if deliver && tx.send(SourceEvent::Chat(event)).await.is_err() {
                        return Stop::Done;
                    }
                }
                if page.ended {
                    let _ = tx.send(SourceEvent::Chat(ChatEvent::ChatEnded)).await;
                    return Stop::Done;
                }
                // Without a new token the same page is asked for again, which the de-duplication absorbs.
                if page.next_page_token.is_some() {
                    page_token = page.next_page_token;
                }
                let mut delay = poll_delay(config, page.polling_interval_ms);
                if let Some(quota) = quota.as_mut() {
                    // The quota's pace wins over the page's hint (and over the ceiling: the quota is the law).
                    delay = delay.max(quota.min_interval());
                    let now = tokio::time::Instant::now();
                    if last_note.is_none_or(|t| now.duration_since(t) >= QUOTA_NOTE_EVERY) {
                        last_note = Some(now);
                        let detail = quota.describe(now.into_std(), delay);
                        if tx.send(SourceEvent::Health(Health::Note { detail })).await.is_err() {
                            return Stop::Done;
                        }
                    }
                }
                delay
            }
            Poll::Ended => {
                let _ = tx.send(SourceEvent::Chat(ChatEvent::ChatEnded)).await;
                return Stop::Done;
            }
            // YouTube refused the access token: it lapsed early (or was revoked server-side). Renew it once; a 401
            // with the renewed token too means the grant itself is refused.
            Poll::Refused(e) if e.code == 401 && e.reason != "tokenRefused" && tokens.is_some() && !renewed_for_401 => {
                if let Some(tokens) = tokens.as_mut() {
                    tokens.invalidate();
                }
                renewed_for_401 = true;
                tracing::info!("youtube access token refused; renewing it");
                continue;
            }
            Poll::Refused(e) => {
                tracing::error!(error = %e, "youtube refused the live chat request");
                return Stop::Refused(e);
            }
            Poll::Retry(reason) => {
                let retry_in = backoff(config, &mut jitter, failures);
                failures = failures.saturating_add(1);
                tracing::warn!(%reason, ?retry_in, "youtube chat poll failed");
                if tx.send(SourceEvent::Health(Health::Lost { reason, retry_in })).await.is_err() {
                    return Stop::Done;
                }
                retry_in
            }
        };
        tokio::time::sleep(delay).await;
    }
}

/// How often the console hears the quota's pace.
const QUOTA_NOTE_EVERY: Duration = Duration::from_secs(15 * 60);

#[cfg(test)]
mod tests {
    use super::*;
    use axum::extract::{Query, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::IntoResponse;
    use axum::routing::get;
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    /// A recorded YouTube page, copied into testdata/chat/youtube under its MIT licence (testdata/THIRD_PARTY.md).
    fn fixture(name: &str) -> String {
        testkit::testdata_text(&format!("chat/youtube/{name}"))
    }

    /// The continuation token a recorded web-client page hands on.
    fn continuation(page: &str) -> String {
        let json: serde_json::Value = serde_json::from_str(page).unwrap_or_default();
        json.pointer("/continuationContents/liveChatContinuation/continuations/0/timedContinuationData/continuation")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("")
            .to_string()
    }

    /// One request the fake API saw: its page token, key and authorization header.
    #[derive(Clone, Debug, PartialEq)]
    struct Heard {
        page_token: Option<String>,
        key: Option<String>,
        bearer: Option<String>,
        chat: Option<String>,
    }

    #[derive(Default)]
    struct Script {
        answers: Vec<(StatusCode, String)>,
        heard: Vec<Heard>,
    }

    async fn messages(
        State(script): State<Arc<Mutex<Script>>>,
        Query(params): Query<HashMap<String, String>>,
        headers: HeaderMap,
    ) -> axum::response::Response {
        let Ok(mut script) = script.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
        script.heard.push(Heard {
            page_token: params.get("pageToken").cloned(),
            key: params.get("key").cloned(),
            bearer: headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string),
            chat: params.get("liveChatId").cloned(),
        });
        if script.answers.is_empty() {
            // A poller that asks after the chat ended would read this as a server error and say so.
            return (StatusCode::GONE, "the script is over").into_response();
        }
        let (status, body) = script.answers.remove(0);
        (status, [("content-type", "application/json")], body).into_response()
    }

    async fn fake_api(answers: Vec<(StatusCode, String)>) -> (String, Arc<Mutex<Script>>) {
        let script = Arc::new(Mutex::new(Script { answers, heard: Vec::new() }));
        let app = axum::Router::new().route("/youtube/v3/liveChat/messages", get(messages)).with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), script)
    }

    fn quick(base_url: String, auth: YoutubeAuth) -> YoutubeConfig {
        let mut config = YoutubeConfig::new("chat-42", auth);
        config.base_url = base_url;
        // The recorded pages ask for 5-9 s between polls; the ceiling keeps the story short.
        config.max_poll_interval = Duration::from_millis(10);
        config.min_poll_interval = Duration::from_millis(1);
        config.initial_backoff = Duration::from_millis(10);
        config.max_backoff = Duration::from_millis(40);
        config
    }

    fn tell(event: SourceEvent) -> String {
        match event {
            SourceEvent::Health(Health::Connected) => "connected".into(),
            SourceEvent::Health(Health::Lost { reason, .. }) => format!("lost: {reason}"),
            SourceEvent::Health(Health::Restored { attempts }) => format!("restored after {attempts}"),
            SourceEvent::Health(Health::Note { detail }) => format!("note: {detail}"),
            SourceEvent::Chat(ChatEvent::Comment(c)) => match c.paid {
                Some(m) => format!("comment {} paid {} {}", c.text, m.minor, m.currency.code()),
                None => format!("comment {}", c.text),
            },
            SourceEvent::Chat(ChatEvent::DeleteComment { id, .. }) => format!("delete {}", id.0),
            SourceEvent::Chat(ChatEvent::ChatEnded) => "ended".into(),
            SourceEvent::Chat(other) => format!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn the_poller_follows_page_tokens_rides_out_quota_and_server_errors_and_stops_when_the_chat_ends() {
        let (text_page, super_chat_page) = (fixture("textmessage.json"), fixture("superchat.json"));
        let (first_token, second_token) = (continuation(&text_page), continuation(&super_chat_page));
        let quota = r#"{"error": {"code": 403, "message": "The request cannot be completed because you have exceeded your quota.", "errors": [{"reason": "quotaExceeded", "domain": "youtube.quota"}]}}"#;
        // The server serves the Super Chat page again after its own trouble, plus one new message and a deletion.
        let replay = serde_json::json!({
            "kind": "youtube#liveChatMessageListResponse", "nextPageToken": "tok-3", "pollingIntervalMillis": 2000,
            "items": [
                {"id": "ChwKGkNOblpoTXFrLS1RQ0ZRSU9ZQW9kclhrRXNn", "snippet": {"type": "superChatEvent",
                  "publishedAt": "2019-10-01T14:37:18.420Z",
                  "superChatDetails": {"amountMicros": "846000000", "currency": "JPY",
                    "userComment": "ボルガ博士お許しください代"}},
                 "authorDetails": {"channelId": "UCsuper", "displayName": "九十九 万"}},
                {"id": "m-new", "snippet": {"type": "textMessageEvent", "publishedAt": "2019-10-01T14:38:00Z",
                  "textMessageDetails": {"messageText": "does it come in blue?"}},
                 "authorDetails": {"channelId": "UCblue", "displayName": "Blue"}},
                {"id": "m-del", "snippet": {"type": "messageDeletedEvent",
                  "messageDeletedDetails": {"deletedMessageId": "m-new"}}}
            ]
        });
        let ended = serde_json::json!({
            "kind": "youtube#liveChatMessageListResponse", "offlineAt": "2019-10-01T15:00:00Z", "items": [
                {"id": "m-end", "snippet": {"type": "chatEndedEvent", "publishedAt": "2019-10-01T15:00:00Z"}}
            ]
        });
        let (base, script) = fake_api(vec![
            (StatusCode::OK, text_page),
            (StatusCode::FORBIDDEN, quota.to_string()),
            (StatusCode::INTERNAL_SERVER_ERROR, "<html>backend trouble</html>".into()),
            (StatusCode::OK, super_chat_page),
            (StatusCode::OK, replay.to_string()),
            (StatusCode::OK, ended.to_string()),
        ])
        .await;

        let (tx, mut rx) = mpsc::channel(64);
        let poller = tokio::spawn(run(quick(base, YoutubeAuth::ApiKey("k-123".into())), tx, std::future::pending()));
        let mut story = Vec::new();
        while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            story.push(tell(event));
        }
        let quota_lost = "lost: YouTube API error 403: quotaExceeded (The request cannot be completed because you \
                          have exceeded your quota.)";
        assert_eq!(
            story,
            [
                "connected",
                "comment text",
                quota_lost,
                "lost: YouTube API error 500: httpError (HTTP 500)",
                "restored after 2",
                "comment ボルガ博士お許しください代 paid 846 JPY",
                "comment does it come in blue?",
                "delete m-new",
                "ended",
            ],
            "the replayed Super Chat is delivered once, and the chat's end closes the channel"
        );
        let stopped = tokio::time::timeout(Duration::from_secs(5), poller).await;
        assert!(matches!(stopped, Ok(Ok(Ok(())))), "the poller stops by itself when the chat ends: {stopped:?}");

        let heard = script.lock().map(|s| s.heard.clone()).unwrap_or_default();
        let tokens: Vec<Option<&str>> = heard.iter().map(|h| h.page_token.as_deref()).collect();
        assert_eq!(
            tokens,
            [
                None,
                Some(first_token.as_str()),
                Some(first_token.as_str()),
                Some(first_token.as_str()),
                Some(second_token.as_str()),
                Some("tok-3")
            ],
            "each page's token is sent with the next request, and a failed request is retried with the same one"
        );
        assert!(heard.iter().all(|h| h.key.as_deref() == Some("k-123") && h.bearer.is_none()));
        assert!(heard.iter().all(|h| h.chat.as_deref() == Some("chat-42")));
    }

    #[tokio::test]
    async fn a_refused_token_stops_the_poller_with_a_typed_error_and_the_token_travels_as_a_bearer_header() {
        let unauthorized =
            r#"{"error": {"code": 401, "message": "Invalid Credentials", "errors": [{"reason": "authError"}]}}"#;
        let (base, script) = fake_api(vec![(StatusCode::UNAUTHORIZED, unauthorized.into())]).await;
        let (tx, mut rx) = mpsc::channel(8);
        let outcome = tokio::time::timeout(
            Duration::from_secs(10),
            run(quick(base, YoutubeAuth::Bearer("ya29.secret".into())), tx, std::future::pending()),
        )
        .await;
        match outcome {
            Ok(Err(YoutubePollError::Refused(e))) => assert_eq!((e.code, e.reason.as_str()), (401, "authError")),
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(rx.recv().await.is_none(), "nothing was delivered and the channel is closed");
        let heard = script.lock().map(|s| s.heard.clone()).unwrap_or_default();
        assert_eq!(heard.len(), 1, "a refusal is not retried");
        assert_eq!(heard[0].bearer.as_deref(), Some("Bearer ya29.secret"));
        assert_eq!(heard[0].key, None);
    }

    #[tokio::test]
    async fn an_ended_chat_error_ends_and_shutdown_stops_a_poller_that_is_waiting() {
        let ended = r#"{"error": {"code": 403, "message": "The live chat is no longer live.", "errors": [{"reason": "liveChatEnded"}]}}"#;
        let (base, _script) = fake_api(vec![(StatusCode::FORBIDDEN, ended.into())]).await;
        let (tx, mut rx) = mpsc::channel(8);
        let outcome = run(quick(base, YoutubeAuth::ApiKey("k".into())), tx, std::future::pending()).await;
        assert!(outcome.is_ok());
        assert_eq!(rx.recv().await.map(tell).as_deref(), Some("ended"));

        // A server that never answers: shutdown still stops the poller.
        let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let mut config =
            quick(format!("http://{}", silent.local_addr().expect("its address")), YoutubeAuth::ApiKey("k".into()));
        config.request_timeout = Duration::from_secs(600);
        let (tx, _rx) = mpsc::channel(8);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let poller = tokio::spawn(run(config, tx, async move {
            let _ = stopped.await;
        }));
        // Once the request has arrived the poller is waiting on an answer that will never come.
        let arrived = tokio::time::timeout(Duration::from_secs(10), silent.accept()).await;
        assert!(matches!(arrived, Ok(Ok(_))), "the poller asked: {arrived:?}");
        let _ = stop.send(());
        let outcome = tokio::time::timeout(Duration::from_secs(5), poller).await;
        assert!(matches!(outcome, Ok(Ok(Ok(())))), "{outcome:?}");
    }

    #[test]
    fn answers_are_read_as_pages_retries_endings_or_refusals() {
        assert!(
            matches!(classify(200, br#"{"items": [], "nextPageToken": "t"}"#), Poll::Page(p) if p.next_page_token.as_deref() == Some("t"))
        );
        assert!(matches!(classify(200, b"<html>"), Poll::Retry(_)));
        assert!(matches!(classify(200, b"{}"), Poll::Retry(_)), "a 200 that is no chat page is a passing fault");
        assert!(matches!(classify(503, b""), Poll::Retry(_)));
        assert!(matches!(classify(429, b"slow down"), Poll::Retry(_)));
        let error = |code: u16, reason: &str| {
            format!(r#"{{"error": {{"code": {code}, "message": "m", "errors": [{{"reason": "{reason}"}}]}}}}"#)
        };
        assert!(matches!(classify(403, error(403, "quotaExceeded").as_bytes()), Poll::Retry(_)));
        assert!(matches!(classify(403, error(403, "rateLimitExceeded").as_bytes()), Poll::Retry(_)));
        assert_eq!(classify(403, error(403, "liveChatEnded").as_bytes()), Poll::Ended);
        assert!(matches!(classify(404, error(404, "liveChatNotFound").as_bytes()), Poll::Refused(e) if e.code == 404));
        assert!(matches!(classify(403, error(403, "forbidden").as_bytes()), Poll::Refused(_)));
        assert!(matches!(classify(400, b"bad"), Poll::Refused(e) if e.code == 400));
    }

    #[test]
    fn the_page_sets_the_pace_within_bounds() {
        let config = YoutubeConfig::new("c", YoutubeAuth::ApiKey("k".into()));
        assert_eq!(poll_delay(&config, Some(2500)), Duration::from_millis(2500));
        assert_eq!(poll_delay(&config, None), Duration::from_secs(5));
        assert_eq!(poll_delay(&config, Some(0)), Duration::from_millis(500), "a zero interval would spin");
        assert_eq!(poll_delay(&config, Some(3_600_000)), Duration::from_secs(30));
        let mut backwards = YoutubeConfig::new("c", YoutubeAuth::ApiKey("k".into()));
        (backwards.min_poll_interval, backwards.max_poll_interval) = (Duration::from_secs(9), Duration::from_secs(1));
        assert_eq!(poll_delay(&backwards, Some(5000)), Duration::from_secs(1), "bounds set backwards do not panic");
        assert_eq!(format!("{:?}", YoutubeAuth::ApiKey("secret".into())), "ApiKey(<redacted>)");

        let mut jitter = Jitter::new();
        for attempt in [0, 1, 5, 40, u32::MAX] {
            let delay = backoff(&config, &mut jitter, attempt);
            assert!(delay <= config.max_backoff && delay >= config.initial_backoff / 2, "{attempt}: {delay:?}");
        }
    }

    /// A fake Google: the token endpoint hands out `tok-1`, `tok-2` ...; the API takes only the newest token (an
    /// older one is "expired": 401), and `videos.list` names the live chat of video `v-live`.
    #[derive(Default)]
    struct Google {
        issued: u32,
        revoked: bool,
        pages: Vec<String>,
        heard_tokens: Vec<String>,
        heard_chats: Vec<String>,
        video_lookups: u32,
    }

    async fn google() -> (String, Arc<Mutex<Google>>) {
        use axum::routing::post;
        let state = Arc::new(Mutex::new(Google::default()));
        let token = |State(g): State<Arc<Mutex<Google>>>, body: String| async move {
            let Ok(mut g) = g.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
            let form: HashMap<String, String> =
                body.split('&').filter_map(|p| p.split_once('=')).map(|(k, v)| (k.into(), v.into())).collect();
            let right = form.get("grant_type").map(String::as_str) == Some("refresh_token")
                && form.get("refresh_token").map(String::as_str) == Some("1%2F%2Frefresh")
                && form.get("client_secret").map(String::as_str) == Some("shh");
            if g.revoked || !right {
                let body = r#"{"error": "invalid_grant", "error_description": "Token has been expired or revoked."}"#;
                return (StatusCode::BAD_REQUEST, body).into_response();
            }
            g.issued += 1;
            let body = serde_json::json!({"access_token": format!("tok-{}", g.issued), "expires_in": 3599});
            axum::Json(body).into_response()
        };
        let messages = |State(g): State<Arc<Mutex<Google>>>,
                        Query(params): Query<HashMap<String, String>>,
                        headers: HeaderMap| async move {
            let Ok(mut g) = g.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
            let bearer = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            g.heard_tokens.push(bearer.clone());
            g.heard_chats.push(params.get("liveChatId").cloned().unwrap_or_default());
            if bearer != format!("Bearer tok-{}", g.issued) {
                let body = r#"{"error": {"code": 401, "message": "Request had invalid authentication credentials.", "errors": [{"reason": "authError"}]}}"#;
                return (StatusCode::UNAUTHORIZED, body).into_response();
            }
            if g.pages.is_empty() {
                let ended = r#"{"items": [{"id": "end", "snippet": {"type": "chatEndedEvent"}}]}"#;
                return (StatusCode::OK, ended).into_response();
            }
            let page = g.pages.remove(0);
            (StatusCode::OK, page).into_response()
        };
        let videos = |State(g): State<Arc<Mutex<Google>>>, Query(params): Query<HashMap<String, String>>| async move {
            let Ok(mut g) = g.lock() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
            g.video_lookups += 1;
            let body = match params.get("id").map(String::as_str) {
                Some("v-live") => serde_json::json!({"items": [{"id": "v-live",
                    "liveStreamingDetails": {"activeLiveChatId": "chat-from-video"}}]}),
                _ => serde_json::json!({"items": []}),
            };
            axum::Json(body).into_response()
        };
        let app = axum::Router::new()
            .route("/token", post(token))
            .route("/youtube/v3/liveChat/messages", get(messages))
            .route("/youtube/v3/videos", get(videos))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a local port");
        let addr = listener.local_addr().expect("its address");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}"), state)
    }

    fn page(id: &str, text: &str) -> String {
        serde_json::json!({"nextPageToken": format!("after-{id}"), "pollingIntervalMillis": 1, "items": [
            {"id": id, "snippet": {"type": "textMessageEvent", "publishedAt": "2026-12-05T10:00:00Z",
              "textMessageDetails": {"messageText": text}},
             "authorDetails": {"channelId": format!("UC{id}"), "displayName": "viewer"}}]})
        .to_string()
    }

    fn refreshing(base: &str, refresh_token: &str) -> YoutubeAuth {
        YoutubeAuth::Refresh(OAuthRefresh {
            token_url: format!("{base}/token"),
            client_id: "client".into(),
            client_secret: "shh".into(),
            refresh_token: refresh_token.into(),
        })
    }

    #[tokio::test]
    async fn an_expired_access_token_is_renewed_and_the_chat_is_found_from_the_video() {
        let (base, state) = google().await;
        if let Ok(mut g) = state.lock() {
            g.pages = vec![page("m1", "first"), page("m2", "second"), page("m3", "third")];
        }
        let mut config = quick(base.clone(), refreshing(&base, "1//refresh"));
        config.find_chat = Some(ChatTarget::Video("v-live".into()));
        let (tx, mut rx) = mpsc::channel(64);
        let poller = tokio::spawn(run(config, tx, std::future::pending()));
        let mut story = Vec::new();
        let mut expired = false;
        while let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
            let told = tell(event);
            // After the first comment the token "expires": Google would answer 401 to it from now on.
            if told == "comment first" && !expired {
                expired = true;
                if let Ok(mut g) = state.lock() {
                    g.issued += 1;
                }
            }
            story.push(told);
        }
        assert_eq!(story, ["connected", "comment first", "comment second", "comment third", "ended"], "{story:?}");
        assert!(matches!(tokio::time::timeout(Duration::from_secs(5), poller).await, Ok(Ok(Ok(())))));
        let g = state.lock().map(|g| (g.heard_chats.clone(), g.heard_tokens.clone(), g.video_lookups));
        let (chats, tokens, lookups) = g.unwrap_or_default();
        assert!(chats.iter().all(|c| c == "chat-from-video"), "{chats:?}");
        assert_eq!(lookups, 1);
        assert_eq!(tokens.first().map(String::as_str), Some("Bearer tok-1"));
        assert!(tokens.iter().any(|t| t == "Bearer tok-1") && tokens.iter().any(|t| t == "Bearer tok-3"), "{tokens:?}");
    }

    #[tokio::test]
    async fn a_revoked_refresh_token_stops_the_poller_naming_the_variable() {
        let (base, _state) = google().await;
        let (tx, _rx) = mpsc::channel(64);
        let config = quick(base.clone(), refreshing(&base, "revoked"));
        let stopped = tokio::time::timeout(Duration::from_secs(10), run(config, tx, std::future::pending())).await;
        let Ok(Err(e)) = stopped else { panic!("the poller should stop with an error: {stopped:?}") };
        let said = e.to_string();
        assert!(said.contains("SHOPCAST_YOUTUBE_REFRESH_TOKEN") && said.contains("revoked"), "{said}");
        assert!(!said.contains("shh"), "{said}");
    }

    #[tokio::test]
    async fn a_video_that_does_not_exist_is_refused_at_once() {
        let (base, state) = google().await;
        let mut config = quick(base.clone(), YoutubeAuth::ApiKey("k".into()));
        config.find_chat = Some(ChatTarget::Video("no-such-video".into()));
        let (tx, _rx) = mpsc::channel(64);
        let stopped = tokio::time::timeout(Duration::from_secs(10), run(config, tx, std::future::pending())).await;
        let Ok(Err(e)) = stopped else { panic!("refused: {stopped:?}") };
        assert!(e.to_string().contains("youtube_video_id"), "{e}");
        assert!(state.lock().map(|g| g.heard_chats.is_empty()).unwrap_or(false), "no chat was polled");
    }

    /// With a small quota the poller spaces its polls to last the hours asked, and tells the console the pace.
    #[tokio::test(start_paused = true)]
    async fn the_quota_sets_the_pace_and_the_console_hears_how_long_it_lasts() {
        let pages: Vec<(StatusCode, String)> =
            (0..4).map(|i| (StatusCode::OK, page(&format!("q{i}"), &format!("q{i}")))).collect();
        let (base, script) = fake_api(pages).await;
        let mut config = quick(base, YoutubeAuth::ApiKey("k".into()));
        config.max_poll_interval = Duration::from_secs(3600);
        // 100 units at 5 a poll = 20 polls, to last an hour: one poll every 3 minutes.
        config.quota = Some(QuotaBudget::new(100, 5, Duration::from_secs(3600)));
        let (tx, mut rx) = mpsc::channel(64);
        let started = tokio::time::Instant::now();
        tokio::spawn(run(config, tx, std::future::pending()));
        let mut notes = Vec::new();
        let mut comments = 0;
        while comments < 4 {
            match tokio::time::timeout(Duration::from_secs(3600), rx.recv()).await {
                Ok(Some(SourceEvent::Health(Health::Note { detail }))) => notes.push(detail),
                Ok(Some(SourceEvent::Chat(ChatEvent::Comment(_)))) => comments += 1,
                Ok(Some(_)) => {}
                _ => break,
            }
        }
        assert_eq!(comments, 4);
        assert!(started.elapsed() >= Duration::from_secs(3 * 180), "three waits of 3 min: {:?}", started.elapsed());
        assert!(notes.iter().any(|n| n.contains("of 100 units") && n.contains("every 180.0 s")), "{notes:?}");
        drop(script);
    }
}
