//! Live chat sources for `shopcast run`: Twitch IRC, YouTube Live Chat and the generic ingest, each supervised
//! by its own task, all feeding the director through one bridge. The generic ingest is always served on the
//! console's address ([`ingest`]) and also on `[chat] ingest_bind` when that is set.

use anyhow::{Context, Result};
use backstage::chat::bilibili_open::{self, OpenLiveConfig, OpenLiveCredentials};
use backstage::chat::connector::{self, Health, SourceEvent, TwitchConfig, TwitchLogin};
use backstage::chat::ingest::{IngestState, ingest_router};
use backstage::chat::replies::{self, PostRoute, Poster, SendWindow, YoutubePoster};
use backstage::chat::twitch_eventsub::{self, EventSubConfig};
use backstage::chat::youtube_auth::GOOGLE_TOKEN_URL;
use backstage::chat::youtube_poll::{self, ChatTarget, OAuthRefresh, QuotaBudget, YoutubeAuth, YoutubeConfig};
use backstage::chat::{BanViewer, ChatEvent, Notice, NoticeKind};
use director::Input;
use model::ConsoleEvent;
use std::net::SocketAddr;
use tokio::sync::{broadcast, mpsc, watch};
use tokio_util::sync::CancellationToken;

/// Where comments come from, validated from show.toml and the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChatSettings {
    /// A Twitch channel to read (anonymously unless SHOPCAST_TWITCH_NICK and SHOPCAST_TWITCH_TOKEN are set).
    pub twitch_channel: Option<String>,
    /// The IRC server (Twitch's by default): `host:port` or `ircs://host:port` over TLS, `irc://host:port` plain.
    pub twitch_server: Option<String>,
    /// A PEM file of the authority that signed a private IRC server's certificate (besides the Mozilla roots).
    pub twitch_ca_file: Option<std::path::PathBuf>,
    /// Read Twitch through EventSub over WebSocket (needs SHOPCAST_TWITCH_TOKEN with the user:read:chat scope)
    /// instead of IRC.
    pub twitch_eventsub: bool,
    /// A YouTube live chat id (credentials come from the environment: SHOPCAST_YOUTUBE_API_KEY, or
    /// SHOPCAST_YOUTUBE_TOKEN, or the refresh grant SHOPCAST_YOUTUBE_REFRESH_TOKEN with SHOPCAST_YOUTUBE_CLIENT_ID
    /// and SHOPCAST_YOUTUBE_CLIENT_SECRET).
    pub youtube_live_chat_id: Option<String>,
    /// Or a live video's id: its chat is found when the show starts (or when the video goes live).
    pub youtube_video_id: Option<String>,
    /// Or the authenticated channel's active broadcast (needs OAuth).
    pub youtube_active_broadcast: bool,
    /// The project's daily YouTube Data API quota (default 10,000 units).
    pub youtube_daily_quota: Option<u32>,
    /// How many hours the quota must last (default 24): the polls are spaced for it.
    pub youtube_quota_hours: Option<u32>,
    /// Bilibili live through the open platform (credentials from the environment: SHOPCAST_BILIBILI_APP_ID,
    /// SHOPCAST_BILIBILI_ACCESS_KEY_ID, SHOPCAST_BILIBILI_ACCESS_KEY_SECRET and SHOPCAST_BILIBILI_IDENTITY_CODE).
    pub bilibili_open_live: bool,
    /// The open platform's API address (default https://live-open.biliapi.com).
    pub bilibili_api: Option<String>,
    /// Post each answer into the chat it answers, too (Twitch and YouTube; the text that aired).
    pub post_replies: bool,
    /// Twitch's send limit for the posting account: 20 messages in 30 s, 100 when it is a moderator or the
    /// broadcaster (going over silences the account for 30 minutes).
    pub twitch_messages_per_30s: Option<u32>,
    /// Quota units a day kept for replies posted to YouTube (20 each); the polls get the rest.
    pub youtube_reply_units: Option<u32>,
    /// A second address for the generic ingest (it is always on the console's address too); bridges send the
    /// console token.
    pub ingest_bind: Option<SocketAddr>,
}

/// The generic ingest: what bridges send (docs/INGEST.md) reaches the director as comments, deletions and bans.
/// The console serves it on its own address; [`start`] serves the same state on `[chat] ingest_bind` too, so a
/// comment a bridge sends to both is delivered once. `None` without a token, since nobody could get in. Call it
/// inside the tokio runtime (it starts the task that hands items to the director).
pub fn ingest(token: &str, inputs: mpsc::Sender<Input>) -> Option<IngestState> {
    if token.trim().is_empty() {
        return None;
    }
    let (tx, mut rx) = mpsc::channel::<SourceEvent>(256);
    tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            let Some(input) = to_input("ingest", event) else { continue };
            if inputs.send(input).await.is_err() {
                break;
            }
        }
    });
    Some(IngestState::new(token, tx))
}

/// Quota units one `liveChatMessages.list` costs (YouTube Data API quota table).
const YOUTUBE_POLL_COST: u32 = 5;

/// Quota units a day kept for posted replies by default: 100 replies at 20 units, a fifth of the default quota.
const DEFAULT_YOUTUBE_REPLY_UNITS: u32 = 2_000;

/// shopcast's own pace for YouTube replies (YouTube publishes no number; `rateLimitExceeded` is the signal).
const YOUTUBE_REPLIES_PER_30S: usize = 10;

/// The YouTube credentials in the environment: the refresh grant first (a show of days), then a fixed access
/// token, then an API key.
fn youtube_auth(env: &dyn Fn(&str) -> Option<String>) -> Result<YoutubeAuth> {
    let refresh = env("SHOPCAST_YOUTUBE_REFRESH_TOKEN");
    let (id, secret) = (env("SHOPCAST_YOUTUBE_CLIENT_ID"), env("SHOPCAST_YOUTUBE_CLIENT_SECRET"));
    Ok(match (refresh, id, secret, env("SHOPCAST_YOUTUBE_TOKEN"), env("SHOPCAST_YOUTUBE_API_KEY")) {
        (Some(refresh_token), Some(client_id), Some(client_secret), _, _) => YoutubeAuth::Refresh(OAuthRefresh {
            token_url: env("SHOPCAST_YOUTUBE_TOKEN_URL").unwrap_or_else(|| GOOGLE_TOKEN_URL.to_string()),
            client_id,
            client_secret,
            refresh_token,
        }),
        (Some(_), id, secret, _, _) => {
            let missing: Vec<&str> = [("SHOPCAST_YOUTUBE_CLIENT_ID", id), ("SHOPCAST_YOUTUBE_CLIENT_SECRET", secret)]
                .into_iter()
                .filter(|(_, v)| v.is_none())
                .map(|(name, _)| name)
                .collect();
            anyhow::bail!(
                "SHOPCAST_YOUTUBE_REFRESH_TOKEN is set but {} is not: the refresh grant needs the OAuth client too",
                missing.join(" and ")
            )
        }
        (None, _, _, Some(token), _) => YoutubeAuth::Bearer(token),
        (None, _, _, None, Some(key)) => YoutubeAuth::ApiKey(key),
        (None, _, _, None, None) => anyhow::bail!(
            "a YouTube chat is configured but no credentials are: set SHOPCAST_YOUTUBE_API_KEY, or \
             SHOPCAST_YOUTUBE_REFRESH_TOKEN with SHOPCAST_YOUTUBE_CLIENT_ID and SHOPCAST_YOUTUBE_CLIENT_SECRET"
        ),
    })
}

/// The Bilibili open platform's credentials from the environment; the error names every variable missing.
fn bilibili_credentials(env: &dyn Fn(&str) -> Option<String>) -> Result<OpenLiveCredentials> {
    let value = |name: &str| env(name).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
    let app_id = value("SHOPCAST_BILIBILI_APP_ID");
    let key_id = value("SHOPCAST_BILIBILI_ACCESS_KEY_ID");
    let secret = value("SHOPCAST_BILIBILI_ACCESS_KEY_SECRET");
    let code = value("SHOPCAST_BILIBILI_IDENTITY_CODE");
    match (app_id, key_id, secret, code) {
        (Some(app_id), Some(access_key_id), Some(access_key_secret), Some(code)) => {
            let app_id = app_id.parse().map_err(|_| {
                anyhow::anyhow!("SHOPCAST_BILIBILI_APP_ID \"{app_id}\" must be the project's id, a number")
            })?;
            Ok(OpenLiveCredentials { app_id, access_key_id, access_key_secret, code })
        }
        (app_id, key_id, secret, code) => {
            let missing: Vec<&str> = [
                ("SHOPCAST_BILIBILI_APP_ID", app_id.is_none()),
                ("SHOPCAST_BILIBILI_ACCESS_KEY_ID", key_id.is_none()),
                ("SHOPCAST_BILIBILI_ACCESS_KEY_SECRET", secret.is_none()),
                ("SHOPCAST_BILIBILI_IDENTITY_CODE", code.is_none()),
            ]
            .into_iter()
            .filter_map(|(name, missing)| missing.then_some(name))
            .collect();
            anyhow::bail!(
                "[chat] bilibili_open_live needs {} in the environment (the open platform project's id and keys, \
                 and the streamer's 身份码 from the live client)",
                missing.join(", ")
            )
        }
    }
}

/// What the director hears about a source's event, if anything.
fn to_input(source: &'static str, event: SourceEvent) -> Option<Input> {
    Some(match event {
        SourceEvent::Chat(ChatEvent::Comment(comment)) => Input::Comment(comment),
        SourceEvent::Chat(ChatEvent::DeleteComment { id, .. }) => Input::DeleteComment(id),
        SourceEvent::Chat(ChatEvent::BanViewer(BanViewer { user_id, .. })) => Input::BanViewer { user_id },
        SourceEvent::Chat(ChatEvent::Support(support)) => Input::Support(support),
        // Subscriptions and memberships are support the host thanks; raids and announcements are not.
        SourceEvent::Chat(ChatEvent::Notice(Notice {
            platform,
            kind: NoticeKind::Subscription | NoticeKind::Membership,
            user_id,
            user_name,
            text,
        })) => Input::Support(model::Support {
            platform,
            user_id,
            user_name,
            kind: model::SupportKind::Membership,
            amount: None,
            text,
            time: backstage::clock::wall_now(),
        }),
        SourceEvent::Chat(ChatEvent::ChatEnded) => {
            tracing::info!(source, "a chat source reports the live chat has ended");
            return None;
        }
        SourceEvent::Chat(_) => return None,
        SourceEvent::Health(Health::Lost { reason, retry_in }) => {
            tracing::warn!(source, ?retry_in, "chat source lost: {reason}");
            let detail = format!("chat source lost: {reason}; retrying in {:.0} s", retry_in.as_secs_f64());
            Input::SourceHealth { source: source.into(), healthy: false, detail }
        }
        SourceEvent::Health(Health::Restored { attempts }) => {
            tracing::info!(source, attempts, "chat source restored");
            let detail = format!("restored after {attempts} attempt(s)");
            Input::SourceHealth { source: source.into(), healthy: true, detail }
        }
        SourceEvent::Health(Health::Note { detail }) => {
            tracing::info!(source, "{detail}");
            Input::SourceHealth { source: source.into(), healthy: true, detail }
        }
        SourceEvent::Health(Health::Connected) => {
            tracing::info!(source, "chat source connected");
            Input::SourceHealth { source: source.into(), healthy: true, detail: "connected".into() }
        }
    })
}

/// Starts every configured source on the current tokio runtime. Chat events become director inputs; health
/// changes are logged (and, with the console, shown to moderators). `ingest` (from [`ingest`]) is served on
/// `[chat] ingest_bind` when that is set.
pub fn start(
    settings: &ChatSettings,
    env: &dyn Fn(&str) -> Option<String>,
    ingest: Option<IngestState>,
    inputs: mpsc::Sender<Input>,
    aired: &broadcast::Sender<ConsoleEvent>,
    shutdown: &CancellationToken,
) -> Result<()> {
    let stopped = || shutdown.clone().cancelled_owned();
    // Where answers are posted when [chat] post_replies is on, one route per platform that can take them.
    let mut routes: Vec<PostRoute> = Vec::new();
    let twitch_window =
        || SendWindow::new(settings.twitch_messages_per_30s.unwrap_or(20) as usize, std::time::Duration::from_secs(30));
    let (tagged_tx, mut rx) = mpsc::channel::<(&'static str, SourceEvent)>(1024);
    // Each source gets its own sender; its events reach the director tagged with its name, so moderators see
    // which source was lost and restored.
    let tag = |name: &'static str| {
        let (tx, mut source_rx) = mpsc::channel::<SourceEvent>(256);
        let tagged = tagged_tx.clone();
        tokio::spawn(async move {
            while let Some(event) = source_rx.recv().await {
                if tagged.send((name, event)).await.is_err() {
                    break;
                }
            }
        });
        tx
    };
    if let (Some(channel), true) = (&settings.twitch_channel, settings.twitch_eventsub) {
        let Some(token) = env("SHOPCAST_TWITCH_TOKEN").filter(|t| !t.trim().is_empty()) else {
            anyhow::bail!(
                "[chat] twitch_transport = \"eventsub\" needs SHOPCAST_TWITCH_TOKEN: a user access token with the \
                 user:read:chat scope (EventSub has no anonymous reading; IRC does)"
            );
        };
        let mut config = EventSubConfig::new(channel.clone(), token);
        // The account that reads is the one that posts: its own messages are the host's replies, not comments.
        config.skip_own = settings.post_replies;
        if settings.post_replies {
            routes.push(PostRoute { poster: Poster::TwitchHelix(Box::new(config.clone())), window: twitch_window() });
        }
        let (tx, stop) = (tag("twitch"), stopped());
        tokio::spawn(async move {
            if let Err(e) = twitch_eventsub::run(config, tx, stop).await {
                tracing::error!("Twitch chat stopped: {e}");
            }
        });
    } else if let Some(channel) = &settings.twitch_channel {
        let mut config = TwitchConfig::new(channel.clone());
        if let Some(server) = &settings.twitch_server {
            let (address, tls) =
                connector::parse_server(server).map_err(|e| anyhow::anyhow!("[chat] twitch_server: {e}"))?;
            config.server = address;
            if !tls {
                config.tls = None;
                tracing::warn!("Twitch chat over plain TCP ({server}): a login token would travel unencrypted");
            }
        }
        if let (Some(tls), Some(ca)) = (config.tls.as_mut(), &settings.twitch_ca_file) {
            tls.ca_file = Some(ca.clone());
        }
        if let (Some(nick), Some(token)) = (env("SHOPCAST_TWITCH_NICK"), env("SHOPCAST_TWITCH_TOKEN")) {
            config.login = TwitchLogin::OAuth { nick, token };
        }
        let replies = match (settings.post_replies, &config.login) {
            (true, TwitchLogin::OAuth { .. }) => {
                let (say, said) = mpsc::channel(8);
                routes.push(PostRoute { poster: Poster::TwitchIrc(say), window: twitch_window() });
                Some(said)
            }
            (true, TwitchLogin::Anonymous) => {
                tracing::warn!(
                    "[chat] post_replies: Twitch is read anonymously, which cannot post; set SHOPCAST_TWITCH_NICK and \
                     SHOPCAST_TWITCH_TOKEN to post answers in the Twitch chat"
                );
                None
            }
            (false, _) => None,
        };
        let (tx, stop) = (tag("twitch"), stopped());
        tokio::spawn(async move {
            if let Err(e) = connector::run_with_replies(config, tx, replies, stop).await {
                tracing::error!("Twitch chat stopped: {e}");
            }
        });
    }
    let youtube = match (&settings.youtube_live_chat_id, &settings.youtube_video_id) {
        (Some(id), _) => Some(ChatTarget::ChatId(id.clone())),
        (None, Some(video)) => Some(ChatTarget::Video(video.clone())),
        (None, None) => settings.youtube_active_broadcast.then_some(ChatTarget::ActiveBroadcast),
    };
    if let Some(target) = youtube {
        let auth = youtube_auth(env)?;
        if target == ChatTarget::ActiveBroadcast && matches!(auth, YoutubeAuth::ApiKey(_)) {
            anyhow::bail!(
                "[chat] youtube_active_broadcast needs the channel's OAuth grant (SHOPCAST_YOUTUBE_REFRESH_TOKEN with \
                 SHOPCAST_YOUTUBE_CLIENT_ID and SHOPCAST_YOUTUBE_CLIENT_SECRET), not an API key; or give \
                 [chat] youtube_video_id"
            );
        }
        let mut config = match &target {
            ChatTarget::ChatId(id) => YoutubeConfig::new(id.clone(), auth.clone()),
            other => {
                let mut config = YoutubeConfig::new(String::new(), auth.clone());
                config.find_chat = Some(other.clone());
                config
            }
        };
        let hours = settings.youtube_quota_hours.unwrap_or(24);
        let must_last = std::time::Duration::from_secs(u64::from(hours) * 3600);
        let daily = settings.youtube_daily_quota.unwrap_or(10_000);
        // Replies get their own share of the quota, taken from the polls' so the two never spend the same units.
        let mut for_replies = 0;
        if settings.post_replies {
            let reserved = settings.youtube_reply_units.unwrap_or(DEFAULT_YOUTUBE_REPLY_UNITS).min(daily / 2);
            let (chat_found, chat_id) = watch::channel(None);
            let (own_tx, own_rx) = watch::channel(None);
            match YoutubePoster::new(auth.clone(), chat_id, own_tx, reserved, must_last) {
                Ok(poster) => {
                    config.chat_found = Some(chat_found);
                    config.own_channel = Some(own_rx);
                    for_replies = reserved;
                    let window = SendWindow::new(YOUTUBE_REPLIES_PER_30S, std::time::Duration::from_secs(30));
                    routes.push(PostRoute { poster: Poster::Youtube(Box::new(poster)), window });
                }
                Err(why) => tracing::warn!("[chat] post_replies: answers are not posted to YouTube: {why}"),
            }
        }
        config.quota = Some(QuotaBudget::new(daily - for_replies, YOUTUBE_POLL_COST, must_last));
        let (tx, stop) = (tag("youtube"), stopped());
        tokio::spawn(async move {
            if let Err(e) = youtube_poll::run(config, tx, stop).await {
                tracing::error!("YouTube chat stopped: {e}");
            }
        });
    }
    if settings.bilibili_open_live {
        let mut config = OpenLiveConfig::new(bilibili_credentials(env)?);
        if let Some(api) = &settings.bilibili_api {
            config.api = api.clone();
        }
        let (tx, stop) = (tag("bilibili"), stopped());
        tokio::spawn(async move {
            if let Err(e) = bilibili_open::run(config, tx, stop).await {
                tracing::error!("Bilibili live chat stopped: {e}");
            }
        });
    }
    if let Some(addr) = settings.ingest_bind {
        let Some(ingest) = ingest else {
            anyhow::bail!("the chat ingest needs the console token (bridges send it as a Bearer token)");
        };
        let router = ingest_router(ingest);
        let listener = std::net::TcpListener::bind(addr).with_context(|| format!("cannot listen on {addr}"))?;
        listener.set_nonblocking(true)?;
        let listener = tokio::net::TcpListener::from_std(listener)?;
        tracing::info!(%addr, "chat ingest listening: POST /ingest/comments, WebSocket /ingest/ws");
        let stop = stopped();
        tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, router).with_graceful_shutdown(stop).await {
                tracing::error!("chat ingest stopped: {e}");
            }
        });
    }
    if !routes.is_empty() {
        tokio::spawn(replies::run(aired.subscribe(), routes, stopped()));
    }
    drop(tagged_tx);
    tokio::spawn(async move {
        while let Some((source, event)) = rx.recv().await {
            let Some(input) = to_input(source, event) else { continue };
            if inputs.send(input).await.is_err() {
                break;
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| v.to_string())
    }

    /// Subscriptions, memberships and bridge gifts reach the show as support to thank; raids and announcements do
    /// not, and nothing else about them is lost (the console still has the notice in the log).
    #[test]
    fn memberships_and_gifts_become_support_and_raids_do_not() {
        let notice = |kind| {
            SourceEvent::Chat(ChatEvent::Notice(Notice {
                platform: model::Platform::Twitch,
                kind,
                user_id: "42".into(),
                user_name: "ana".into(),
                text: "ana subscribed for 6 months!".into(),
            }))
        };
        for kind in [NoticeKind::Subscription, NoticeKind::Membership] {
            match to_input("twitch", notice(kind)) {
                Some(Input::Support(s)) => {
                    assert_eq!((s.user_id.as_str(), s.kind.clone()), ("42", model::SupportKind::Membership));
                    assert!(s.text.contains("6 months"));
                }
                other => panic!("{kind:?}: {other:?}"),
            }
        }
        for kind in [NoticeKind::Raid, NoticeKind::Announcement, NoticeKind::Other] {
            assert!(to_input("twitch", notice(kind)).is_none(), "{kind:?}");
        }
        let gift = model::Support {
            platform: model::Platform::Douyin,
            user_id: "9".into(),
            user_name: "老王".into(),
            kind: model::SupportKind::Gift { name: "小心心".into(), count: 10 },
            amount: None,
            text: "老王 sent 小心心 x10".into(),
            time: model::UnixMs(0),
        };
        let input = to_input("ingest", SourceEvent::Chat(ChatEvent::Support(gift.clone())));
        assert!(matches!(input, Some(Input::Support(s)) if s == gift));
    }

    #[test]
    fn bilibili_credentials_come_from_the_environment_and_missing_ones_are_named() {
        let full = env_of(&[
            ("SHOPCAST_BILIBILI_APP_ID", " 1650000000000 "),
            ("SHOPCAST_BILIBILI_ACCESS_KEY_ID", "AK"),
            ("SHOPCAST_BILIBILI_ACCESS_KEY_SECRET", "SK"),
            ("SHOPCAST_BILIBILI_IDENTITY_CODE", "CODE"),
        ]);
        let creds = bilibili_credentials(&full).unwrap();
        assert_eq!((creds.app_id, creds.code.as_str()), (1_650_000_000_000, "CODE"));
        let half = env_of(&[("SHOPCAST_BILIBILI_APP_ID", "1"), ("SHOPCAST_BILIBILI_ACCESS_KEY_SECRET", "SK")]);
        let err = bilibili_credentials(&half).unwrap_err().to_string();
        assert!(err.contains("SHOPCAST_BILIBILI_ACCESS_KEY_ID, SHOPCAST_BILIBILI_IDENTITY_CODE"), "{err}");
        assert!(!err.contains("APP_ID") && !err.contains("KEY_SECRET"), "{err}");
        let bad = env_of(&[
            ("SHOPCAST_BILIBILI_APP_ID", "my-app"),
            ("SHOPCAST_BILIBILI_ACCESS_KEY_ID", "AK"),
            ("SHOPCAST_BILIBILI_ACCESS_KEY_SECRET", "SK"),
            ("SHOPCAST_BILIBILI_IDENTITY_CODE", "CODE"),
        ]);
        assert!(bilibili_credentials(&bad).unwrap_err().to_string().contains("\"my-app\""));
    }

    #[test]
    fn youtube_credentials_prefer_the_refresh_grant_and_say_what_is_missing() {
        let full = env_of(&[
            ("SHOPCAST_YOUTUBE_REFRESH_TOKEN", "1//r"),
            ("SHOPCAST_YOUTUBE_CLIENT_ID", "id"),
            ("SHOPCAST_YOUTUBE_CLIENT_SECRET", "s"),
            ("SHOPCAST_YOUTUBE_API_KEY", "k"),
        ]);
        match youtube_auth(&full).unwrap() {
            YoutubeAuth::Refresh(r) => {
                assert_eq!((r.token_url.as_str(), r.client_id.as_str()), (GOOGLE_TOKEN_URL, "id"))
            }
            other => panic!("the refresh grant wins: {other:?}"),
        }
        let half = env_of(&[("SHOPCAST_YOUTUBE_REFRESH_TOKEN", "1//r"), ("SHOPCAST_YOUTUBE_CLIENT_ID", "id")]);
        let err = youtube_auth(&half).unwrap_err().to_string();
        assert!(err.contains("SHOPCAST_YOUTUBE_CLIENT_SECRET") && !err.contains("CLIENT_ID and"), "{err}");
        assert!(matches!(youtube_auth(&env_of(&[("SHOPCAST_YOUTUBE_TOKEN", "t")])).unwrap(), YoutubeAuth::Bearer(_)));
        assert!(matches!(youtube_auth(&env_of(&[("SHOPCAST_YOUTUBE_API_KEY", "k")])).unwrap(), YoutubeAuth::ApiKey(_)));
        assert!(youtube_auth(&env_of(&[])).unwrap_err().to_string().contains("SHOPCAST_YOUTUBE_API_KEY"));
    }
}
