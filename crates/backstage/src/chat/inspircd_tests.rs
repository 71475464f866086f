//! The Twitch connector's transport against a real IRC server: InspIRCd, started by the test on 127.0.0.1.
//!
//! InspIRCd strips Twitch's own tags (room-id, user-id, tmi-sent-ts, badges), so this proves only what a real
//! server exercises: registration, joining after the welcome, reading another client's PRIVMSG, noticing that the
//! server died and rejoining when it is back. Twitch's tags and events are tested against the scripted server in
//! tests.rs. Needs the Debian package `inspircd`: ignored by default, run with `--include-ignored` (as .ci/run does).

use super::ChatEvent;
use super::connector::{Health, SourceEvent, TwitchConfig, run};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

const INSPIRCD: &str = "/usr/sbin/inspircd";

/// A scratch folder for the server's config, log and pid file, removed when the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One InspIRCd process; killed when dropped, so a failing test leaves no server behind.
struct Ircd {
    child: Child,
}

impl Ircd {
    /// Writes a minimal config (one plain-text listener, no DNS or ident lookups that would slow registration,
    /// room for several connections from 127.0.0.1) and starts the server in the foreground.
    async fn start(dir: &Path, port: u16) -> Ircd {
        let d = dir.display();
        let config = format!(
            r#"<server name="irc.shopcast.test" description="shopcast transport test" network="ShopcastTest">
<admin name="shopcast" nick="shopcast" email="shopcast@localhost">
<path configdir="{d}" datadir="{d}" logdir="{d}">
<bind address="127.0.0.1" port="{port}" type="clients">
<connect allow="*" timeout="20" threshold="100" pingfreq="120" hardsendq="262144" softsendq="8192"
         recvq="8192" localmax="50" globalmax="50" resolvehostnames="no" useident="no">
<pid file="{d}/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="{d}/ircd.log">
<files motd="{d}/motd.txt">
"#
        );
        let written = std::fs::write(dir.join("inspircd.conf"), config)
            .and_then(|()| std::fs::write(dir.join("motd.txt"), "shopcast transport test\n"));
        assert!(written.is_ok(), "cannot write the InspIRCd config into {d}: {written:?}");
        let output = std::fs::File::create(dir.join("stdout.txt")).ok();
        let mut command = Command::new(INSPIRCD);
        // --runasroot: test containers often run as root, which InspIRCd otherwise refuses.
        command.arg("--config").arg(dir.join("inspircd.conf")).args(["--nofork", "--runasroot"]).kill_on_drop(true);
        if let Some(output) = output.and_then(|f| f.try_clone().ok().map(|g| (f, g))) {
            command.stdout(output.0).stderr(output.1);
        }
        let child = match command.spawn() {
            Ok(child) => child,
            Err(e) => panic!("cannot start {INSPIRCD}: {e}"),
        };
        // InspIRCd keeps running when its listener fails to bind, so readiness is the port accepting, not the
        // process being alive.
        let listening = tokio::time::timeout(Duration::from_secs(15), async {
            while TcpStream::connect(("127.0.0.1", port)).await.is_err() {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        })
        .await;
        if listening.is_err() {
            let said = std::fs::read_to_string(dir.join("stdout.txt")).unwrap_or_default();
            panic!("InspIRCd did not listen on 127.0.0.1:{port} within 15 s; it said:\n{said}");
        }
        Ircd { child }
    }

    async fn kill(mut self) {
        let _ = self.child.kill().await;
    }
}

/// A second, ordinary IRC client: registers as `nick`, joins `#shop`, waits until the connector is in the
/// channel too, and says `text`. Returns the connection so it stays open while the test reads.
async fn viewer_says(port: u16, nick: &str, text: &str) -> TcpStream {
    let said = tokio::time::timeout(Duration::from_secs(15), async {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let mut stream = BufReader::new(stream);
        stream.get_mut().write_all(format!("NICK {nick}\r\nUSER {nick} 0 * :{nick}\r\n").as_bytes()).await?;
        let mut joined = false;
        let mut line = String::new();
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::other("InspIRCd closed the viewer's connection"));
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.first() == Some(&"PING") {
                let token = words.get(1).copied().unwrap_or(":x");
                stream.get_mut().write_all(format!("PONG {token}\r\n").as_bytes()).await?;
            } else if words.get(1) == Some(&"001") && !joined {
                joined = true;
                stream.get_mut().write_all(b"JOIN #shop\r\n").await?;
            } else if (words.get(1) == Some(&"353") || words.get(1) == Some(&"JOIN")) && line.contains("justinfan") {
                // The names list, or a later JOIN, shows the connector in the channel: now it will hear us.
                stream.get_mut().write_all(format!("PRIVMSG #shop :{text}\r\n").as_bytes()).await?;
                return Ok(stream.into_inner());
            }
        }
    })
    .await;
    match said {
        Ok(Ok(stream)) => stream,
        other => panic!("the viewer {nick} could not speak in #shop: {other:?}"),
    }
}

/// Reads events until one matches, skipping the rest; fails after a generous bound.
async fn wait_for(
    rx: &mut mpsc::Receiver<SourceEvent>,
    what: &str,
    wanted: impl Fn(&SourceEvent) -> bool,
) -> SourceEvent {
    let mut skipped = Vec::new();
    let found = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(event) = rx.recv().await {
            if wanted(&event) {
                return Some(event);
            }
            skipped.push(event);
        }
        None
    })
    .await;
    match found {
        Ok(Some(event)) => event,
        other => panic!("no {what} arrived ({other:?}); skipped on the way: {skipped:?}"),
    }
}

fn comment_text(event: &SourceEvent) -> Option<&str> {
    match event {
        SourceEvent::Chat(ChatEvent::Comment(c)) => Some(c.text.as_str()),
        _ => None,
    }
}

#[tokio::test]
#[ignore = "needs InspIRCd (package inspircd)"]
async fn the_connector_hears_a_real_irc_server_and_rejoins_after_it_restarts() {
    testkit::need(&format!("{INSPIRCD} (package inspircd)"), Path::new(INSPIRCD).exists());
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "shopcast-inspircd-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    )));
    assert!(std::fs::create_dir_all(&scratch.0).is_ok(), "cannot create {}", scratch.0.display());
    let port = testkit::free_port();
    let ircd = Ircd::start(&scratch.0, port).await;

    let mut config = TwitchConfig::new("#shop");
    config.server = format!("127.0.0.1:{port}");
    config.tls = None;
    config.initial_backoff = Duration::from_millis(50);
    config.max_backoff = Duration::from_millis(400);
    let (tx, mut rx) = mpsc::channel(256);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let connector = tokio::spawn(run(config, tx, async move {
        let _ = stopped.await;
    }));
    wait_for(&mut rx, "connection", |e| matches!(e, SourceEvent::Health(Health::Connected))).await;

    // A viewer on another connection asks a question; the connector delivers it as a comment.
    let _viewer = viewer_says(port, "viewer", "does the mug come in blue?").await;
    let heard = wait_for(&mut rx, "the viewer's comment", |e| comment_text(e).is_some()).await;
    match &heard {
        SourceEvent::Chat(ChatEvent::Comment(c)) => {
            assert_eq!(c.text, "does the mug come in blue?");
            assert_eq!((c.user_name.as_str(), c.user_id.as_str()), ("viewer", "viewer"), "no tags: the login");
            assert_eq!(c.platform, model::Platform::Twitch);
        }
        other => panic!("expected a comment, got {other:?}"),
    }

    // The server dies: the connector notices and says so.
    ircd.kill().await;
    let lost = wait_for(&mut rx, "a lost connection", |e| matches!(e, SourceEvent::Health(Health::Lost { .. }))).await;
    println!("reported: {lost:?}");

    // It comes back on the same port: the connector reconnects, rejoins, and hears the channel again.
    let ircd = Ircd::start(&scratch.0, port).await;
    let restored =
        wait_for(&mut rx, "a restored connection", |e| matches!(e, SourceEvent::Health(Health::Restored { .. }))).await;
    println!("reported: {restored:?}");
    let _viewer = viewer_says(port, "viewer2", "still there?").await;
    let heard = wait_for(&mut rx, "a comment after the restart", |e| comment_text(e).is_some()).await;
    assert_eq!(comment_text(&heard), Some("still there?"));

    let _ = stop.send(());
    let ended = tokio::time::timeout(Duration::from_secs(5), connector).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "the connector stops cleanly on shutdown: {ended:?}");
    ircd.kill().await;
}

/// A reply said through the connector (`[chat] post_replies` on IRC) reaches another client in the channel as a
/// PRIVMSG from the host's account; InspIRCd grants no Twitch tags, so no reply tag is sent that it would refuse.
#[tokio::test]
#[ignore = "needs InspIRCd (package inspircd)"]
async fn a_reply_said_through_the_connector_reaches_another_client_in_the_channel() {
    use super::connector::{IrcSend, TwitchLogin, run_with_replies};
    testkit::need(&format!("{INSPIRCD} (package inspircd)"), Path::new(INSPIRCD).exists());
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "shopcast-inspircd-reply-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
    )));
    assert!(std::fs::create_dir_all(&scratch.0).is_ok(), "cannot create {}", scratch.0.display());
    let port = testkit::free_port();
    let ircd = Ircd::start(&scratch.0, port).await;

    let mut config = TwitchConfig::new("#shop");
    config.server = format!("127.0.0.1:{port}");
    config.tls = None;
    config.login = TwitchLogin::OAuth { nick: "shopbot".into(), token: "unused-by-inspircd".into() };
    let (tx, mut rx) = mpsc::channel(256);
    let (replies, replies_rx) = mpsc::channel(4);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let connector = tokio::spawn(run_with_replies(config, tx, Some(replies_rx), async move {
        let _ = stopped.await;
    }));
    wait_for(&mut rx, "connection", |e| matches!(e, SourceEvent::Health(Health::Connected))).await;

    let heard = tokio::time::timeout(Duration::from_secs(20), async {
        let stream = TcpStream::connect(("127.0.0.1", port)).await?;
        let mut stream = BufReader::new(stream);
        stream.get_mut().write_all(b"NICK viewer\r\nUSER viewer 0 * :viewer\r\n").await?;
        let mut line = String::new();
        let mut asked = false;
        loop {
            line.clear();
            if stream.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::other("InspIRCd closed the viewer's connection"));
            }
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.first() == Some(&"PING") {
                let token = words.get(1).copied().unwrap_or(":x");
                stream.get_mut().write_all(format!("PONG {token}\r\n").as_bytes()).await?;
            } else if words.get(1) == Some(&"001") {
                stream.get_mut().write_all(b"JOIN #shop\r\n").await?;
            } else if words.get(1) == Some(&"353") && line.contains("shopbot") && !asked {
                // The host is in the channel with us: now its reply has someone to reach.
                asked = true;
                let reply = IrcSend::new(Some("m-1".into()), "Yes, the blue mug holds 450 ml.");
                replies.send(reply).await.map_err(|_| std::io::Error::other("the connector stopped"))?;
            } else if words.get(1) == Some(&"PRIVMSG") {
                return Ok(line.trim_end().to_string());
            }
        }
    })
    .await;
    let heard = match heard {
        Ok(Ok(line)) => line,
        other => panic!("the viewer never heard the reply: {other:?}"),
    };
    assert!(heard.starts_with(":shopbot!"), "from the host's account: {heard}");
    assert!(heard.ends_with("PRIVMSG #shop :Yes, the blue mug holds 450 ml."), "{heard}");

    let _ = stop.send(());
    let ended = tokio::time::timeout(Duration::from_secs(5), connector).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "the connector stops cleanly on shutdown: {ended:?}");
    ircd.kill().await;
}
