//! Live chat sources for `shopcast run`: Twitch IRC, YouTube Live Chat and the generic ingest, each supervised
//! by its own task, all feeding the director through one bridge. The generic ingest is always served on the
//! console's address ([`ingest`]) and also on `[chat] ingest_bind` when that is set.

use anyhow::{Context, Result};
use backstage::chat::connector::{self, Health, SourceEvent, TwitchConfig, TwitchLogin};
use backstage::chat::ingest::{IngestState, ingest_router};
use backstage::chat::youtube_poll::{self, YoutubeAuth, YoutubeConfig};
use backstage::chat::{BanViewer, ChatEvent};
use director::Input;
use std::net::SocketAddr;
use tokio::sync::mpsc;
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
    /// A YouTube live chat id (the key comes from SHOPCAST_YOUTUBE_API_KEY or SHOPCAST_YOUTUBE_TOKEN).
    pub youtube_live_chat_id: Option<String>,
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

/// What the director hears about a source's event, if anything.
fn to_input(source: &'static str, event: SourceEvent) -> Option<Input> {
    Some(match event {
        SourceEvent::Chat(ChatEvent::Comment(comment)) => Input::Comment(comment),
        SourceEvent::Chat(ChatEvent::DeleteComment { id, .. }) => Input::DeleteComment(id),
        SourceEvent::Chat(ChatEvent::BanViewer(BanViewer { user_id, .. })) => Input::BanViewer { user_id },
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
    shutdown: &CancellationToken,
) -> Result<()> {
    let stopped = || shutdown.clone().cancelled_owned();
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
    if let Some(channel) = &settings.twitch_channel {
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
        let (tx, stop) = (tag("twitch"), stopped());
        tokio::spawn(async move {
            if let Err(e) = connector::run(config, tx, stop).await {
                tracing::error!("Twitch chat stopped: {e}");
            }
        });
    }
    if let Some(chat_id) = &settings.youtube_live_chat_id {
        let auth = match (env("SHOPCAST_YOUTUBE_TOKEN"), env("SHOPCAST_YOUTUBE_API_KEY")) {
            (Some(token), _) => YoutubeAuth::Bearer(token),
            (None, Some(key)) => YoutubeAuth::ApiKey(key),
            (None, None) => anyhow::bail!(
                "[chat] youtube_live_chat_id is set but neither SHOPCAST_YOUTUBE_API_KEY nor SHOPCAST_YOUTUBE_TOKEN is"
            ),
        };
        let config = YoutubeConfig::new(chat_id.clone(), auth);
        let (tx, stop) = (tag("youtube"), stopped());
        tokio::spawn(async move {
            if let Err(e) = youtube_poll::run(config, tx, stop).await {
                tracing::error!("YouTube chat stopped: {e}");
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
