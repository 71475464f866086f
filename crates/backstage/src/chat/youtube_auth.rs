//! YouTube's OAuth 2.0 access tokens, renewed from a refresh token so a show can read its chat for days (an access
//! token lasts an hour), and the live chat's id found from a video id or the channel's active broadcast.
//!
//! The refresh follows Google's OAuth 2.0 for installed and web-server applications: `POST` to the token endpoint
//! with `grant_type=refresh_token`, the client id and secret and the refresh token, form-encoded; the answer is
//! JSON with `access_token` and `expires_in` (seconds), or `error` (`invalid_grant` when the refresh token was
//! revoked or expired, `invalid_client` for a wrong client). Nothing here logs a secret.

use serde_json::Value;
use std::fmt;
use std::time::Duration;
// Tokio's clock, so a test on a paused clock can let an hour pass.
use tokio::time::Instant;

/// Google's token endpoint; tests point [`OAuthRefresh::token_url`] at 127.0.0.1.
pub const GOOGLE_TOKEN_URL: &str = "https://oauth2.googleapis.com/token";

/// A token is renewed this long before it expires, so a poll never goes out with one about to lapse.
const RENEW_BEFORE: Duration = Duration::from_secs(120);

/// What renews the access token: the OAuth client and the refresh token the broadcaster granted it.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthRefresh {
    pub token_url: String,
    pub client_id: String,
    pub client_secret: String,
    pub refresh_token: String,
}

impl fmt::Debug for OAuthRefresh {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthRefresh")
            .field("token_url", &self.token_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .finish()
    }
}

/// Why no access token could be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Google refused the refresh token or the client: waiting will not help.
    Refused(String),
    /// The endpoint could not be reached or failed: try again later.
    Retry(String),
}

/// The access token in use and when it lapses, renewed on demand.
#[derive(Debug)]
pub struct AccessTokens {
    refresh: OAuthRefresh,
    /// The token and when it lapses.
    current: Option<(String, Instant)>,
}

impl AccessTokens {
    pub fn new(refresh: OAuthRefresh) -> AccessTokens {
        AccessTokens { refresh, current: None }
    }

    /// Forgets the token (YouTube answered 401 with it): the next [`AccessTokens::token`] renews.
    pub fn invalidate(&mut self) {
        self.current = None;
    }

    /// A token good for at least a couple of minutes, renewing it first when needed.
    pub async fn token(&mut self, client: &reqwest::Client, timeout: Duration) -> Result<String, TokenProblem> {
        if let Some((token, until)) = &self.current
            && until.saturating_duration_since(Instant::now()) > RENEW_BEFORE
        {
            return Ok(token.clone());
        }
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.refresh.client_id.as_str()),
            ("client_secret", self.refresh.client_secret.as_str()),
            ("refresh_token", self.refresh.refresh_token.as_str()),
        ];
        let response =
            client.post(&self.refresh.token_url).form(&form).timeout(timeout).send().await.map_err(|e| {
                TokenProblem::Retry(format!("cannot reach Google's token endpoint: {}", e.without_url()))
            })?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| TokenProblem::Retry(format!("reading the token answer failed: {}", e.without_url())))?;
        let (token, lifetime) = read_token_answer(status, &body)?;
        self.current = Some((token.clone(), Instant::now() + lifetime));
        Ok(token)
    }
}

/// Reads the token endpoint's answer. Pure, so every branch is tested without a server.
pub fn read_token_answer(status: u16, body: &[u8]) -> Result<(String, Duration), TokenProblem> {
    let json: Option<Value> = serde_json::from_slice(body).ok();
    if (200..300).contains(&status) {
        let Some(json) = json else {
            return Err(TokenProblem::Retry(format!(
                "the token endpoint answered {status} with a body that is not JSON"
            )));
        };
        let token = json["access_token"].as_str().filter(|t| !t.is_empty());
        let Some(token) = token else {
            return Err(TokenProblem::Retry("the token endpoint's answer has no access_token".into()));
        };
        // A missing or silly lifetime is taken as the usual hour, never less than the renewal margin.
        let seconds = json["expires_in"].as_u64().filter(|s| *s > 0).unwrap_or(3600);
        return Ok((token.to_string(), Duration::from_secs(seconds).max(RENEW_BEFORE + Duration::from_secs(30))));
    }
    let error = json.as_ref().and_then(|j| j["error"].as_str()).unwrap_or("");
    let description = json.as_ref().and_then(|j| j["error_description"].as_str()).unwrap_or("");
    let said = if description.is_empty() { error.to_string() } else { format!("{error}: {description}") };
    match (status, error) {
        (
            _,
            "invalid_grant" | "invalid_client" | "unauthorized_client" | "invalid_request" | "unsupported_grant_type",
        )
        | (400 | 401 | 403, _) => Err(TokenProblem::Refused(format!(
            "Google refused to renew the YouTube access token ({status} {said}). Check SHOPCAST_YOUTUBE_CLIENT_ID, \
             SHOPCAST_YOUTUBE_CLIENT_SECRET and SHOPCAST_YOUTUBE_REFRESH_TOKEN (a revoked or expired refresh token \
             needs the broadcaster to grant access again)"
        ))),
        _ => Err(TokenProblem::Retry(format!("the token endpoint answered {status} {said}"))),
    }
}

/// Where the chat to read is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChatTarget {
    /// A `liveChatId` given as it is.
    ChatId(String),
    /// A live video's id: its `liveStreamingDetails.activeLiveChatId` (`videos.list`, 1 quota unit).
    Video(String),
    /// The authenticated channel's active broadcast: its `snippet.liveChatId` (`liveBroadcasts.list` with
    /// `broadcastStatus=active`, 1 unit; needs OAuth).
    ActiveBroadcast,
}

/// Reads the live chat id out of a `videos.list` or `liveBroadcasts.list` answer.
pub fn chat_id_from(target: &ChatTarget, json: &Value) -> Result<String, String> {
    let items = json["items"].as_array().cloned().unwrap_or_default();
    match target {
        ChatTarget::ChatId(id) => Ok(id.clone()),
        ChatTarget::Video(video) => {
            let Some(item) = items.first() else {
                return Err(format!(
                    "YouTube has no video {video:?} (or it is private); check [chat] youtube_video_id"
                ));
            };
            item.pointer("/liveStreamingDetails/activeLiveChatId")
                .and_then(Value::as_str)
                .filter(|id| !id.is_empty())
                .map(str::to_string)
                .ok_or_else(|| {
                    format!(
                        "video {video:?} has no active live chat: it is not live (yet, or any more), or its chat is off"
                    )
                })
        }
        ChatTarget::ActiveBroadcast => items
            .iter()
            .find_map(|item| item.pointer("/snippet/liveChatId").and_then(Value::as_str).filter(|id| !id.is_empty()))
            .map(str::to_string)
            .ok_or_else(|| {
                "the channel has no active broadcast with a live chat; go live first (or give a video id)".into()
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_token_answer_gives_the_token_and_its_lifetime() {
        let body = json!({"access_token": "ya29.a0", "expires_in": 3599, "token_type": "Bearer"}).to_string();
        let (token, lifetime) = read_token_answer(200, body.as_bytes()).unwrap();
        assert_eq!((token.as_str(), lifetime.as_secs()), ("ya29.a0", 3599));
        let odd = json!({"access_token": "t", "expires_in": 0}).to_string();
        assert_eq!(read_token_answer(200, odd.as_bytes()).unwrap().1.as_secs(), 3600, "no lifetime: the usual hour");
        assert!(matches!(read_token_answer(200, b"<html>"), Err(TokenProblem::Retry(_))));
        assert!(matches!(read_token_answer(200, b"{}"), Err(TokenProblem::Retry(_))));
    }

    #[test]
    fn a_revoked_grant_is_refused_naming_the_variables_and_a_server_error_is_retried() {
        let revoked = json!({"error": "invalid_grant", "error_description": "Token has been expired or revoked."});
        let Err(TokenProblem::Refused(why)) = read_token_answer(400, revoked.to_string().as_bytes()) else {
            panic!("refused");
        };
        assert!(why.contains("SHOPCAST_YOUTUBE_REFRESH_TOKEN") && why.contains("expired or revoked"), "{why}");
        assert!(!why.contains("ya29"), "no secret in the message");
        assert!(matches!(read_token_answer(503, b"busy"), Err(TokenProblem::Retry(_))));
        assert!(matches!(read_token_answer(500, b"{\"error\":\"internal_failure\"}"), Err(TokenProblem::Retry(_))));
        let secret = OAuthRefresh {
            token_url: GOOGLE_TOKEN_URL.into(),
            client_id: "id".into(),
            client_secret: "shh".into(),
            refresh_token: "1//refresh".into(),
        };
        let shown = format!("{secret:?}");
        assert!(!shown.contains("shh") && !shown.contains("1//refresh"), "{shown}");
    }

    #[test]
    fn the_chat_id_comes_from_the_video_or_the_active_broadcast_with_clear_errors() {
        let video = json!({"items": [{"id": "v1", "liveStreamingDetails": {"activeLiveChatId": "Cg0KC3YxKicKGFVD"}}]});
        assert_eq!(chat_id_from(&ChatTarget::Video("v1".into()), &video).unwrap(), "Cg0KC3YxKicKGFVD");
        let ended = json!({"items": [{"id": "v1", "liveStreamingDetails": {"actualEndTime": "2026-12-05T10:00:00Z"}}]});
        let err = chat_id_from(&ChatTarget::Video("v1".into()), &ended).unwrap_err();
        assert!(err.contains("not live"), "{err}");
        let none = json!({"items": []});
        assert!(chat_id_from(&ChatTarget::Video("nope".into()), &none).unwrap_err().contains("youtube_video_id"));
        let broadcasts = json!({"items": [{"snippet": {"title": "no chat"}}, {"snippet": {"liveChatId": "KicK"}}]});
        assert_eq!(chat_id_from(&ChatTarget::ActiveBroadcast, &broadcasts).unwrap(), "KicK");
        assert!(chat_id_from(&ChatTarget::ActiveBroadcast, &none).unwrap_err().contains("go live first"));
    }
}
