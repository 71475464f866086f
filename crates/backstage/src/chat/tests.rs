//! The importers on real chat logs (and cut and mutated copies of them), JSONL round trips, and the Twitch
//! connector against a scripted Twitch-like server that drops the connection once.

use super::connector::{Health, SourceEvent, TwitchConfig, run};
use super::*;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A chat log copied into testdata/chat under its MIT licence (testdata/THIRD_PARTY.md), so these tests always run.
fn fixture(path: &str) -> String {
    testkit::testdata_text(&format!("chat/{path}"))
}

#[test]
fn every_twitch_fixture_line_is_parsed_or_rejected_with_its_line() {
    let text = fixture("twitch-irc/irc_lines.txt");
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let mut events = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        events += usize::from(twitch::parse_line(line, UnixMs(0)).is_ok());
    }
    let (comments, problems) = import(ImportFormat::TwitchIrc, &text);
    println!(
        "twitch fixture: {lines} lines, {events} events, {} comments, {} problems",
        comments.len(),
        problems.len()
    );
    for p in &problems {
        println!("  {p}");
    }
    assert!(events + problems.iter().filter(|d| d.is_error()).count() >= lines);
    assert!(comments.len() >= 30, "most fixture lines are viewer messages");
    let bits = comments.iter().filter(|(c, _)| c.paid.is_some()).count();
    assert!(bits >= 2, "the cheer and Hype Chat lines are paid");
    assert!(comments.iter().any(|(c, _)| c.flags.reply_to.is_some()));
}

#[test]
fn youtube_fixtures_give_their_text_message_and_super_chat() {
    let text = fixture("youtube/textmessage.json");
    let (comments, problems) = import(ImportFormat::YoutubeJson, &text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].0.text, "text");
    let text = fixture("youtube/superchat.json");
    let (comments, problems) = import(ImportFormat::YoutubeJson, &text);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(comments.len(), 1, "the ticker repeats the Super Chat and is not counted twice");
    let paid = comments[0].0.paid.as_ref().map(|m| (m.minor, m.currency.code().to_string()));
    assert_eq!(paid, Some((846, "JPY".into())));
    assert_eq!(comments[0].0.time, UnixMs(1_569_940_638_420));
}

#[test]
fn bilibili_fixtures_keep_what_was_read_from_a_truncated_file() {
    let minimal = fixture("bilibili/BilibiliFormat.xml");
    let (comments, _) = import(ImportFormat::BilibiliXml, &minimal);
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].0.text, "这是一个测试");
    let broken = fixture("bilibili/no_closing.xml");
    let (comments, problems) = import(ImportFormat::BilibiliXml, &broken);
    for p in &problems {
        println!("  {p}");
    }
    assert_eq!(comments.len(), 7, "all seven danmaku survive the unclosed one");
    assert!(problems.iter().any(|d| d.line == 8), "the unclosed <d> on line 8 is named: {problems:?}");
}

#[test]
fn cut_and_mutated_fixtures_never_panic() {
    let files = [
        (ImportFormat::TwitchIrc, "twitch-irc/irc_lines.txt"),
        (ImportFormat::YoutubeJson, "youtube/superchat.json"),
        (ImportFormat::YoutubeJson, "youtube/textmessage.json"),
        (ImportFormat::BilibiliXml, "bilibili/no_closing.xml"),
        (ImportFormat::BilibiliXml, "bilibili/BilibiliFormat.xml"),
    ];
    let mut runs = 0;
    for (format, path) in files {
        let text = fixture(path);
        let bytes = text.as_bytes();
        // Every cut point on a stride, plus byte flips, plus deleted characters.
        let stride = (bytes.len() / 150).max(1);
        for cut in (0..bytes.len()).step_by(stride) {
            let cut_text = String::from_utf8_lossy(bytes.get(..cut).unwrap_or(&[])).into_owned();
            let _ = import(format, &cut_text);
            let mut flipped = bytes.to_vec();
            if let Some(b) = flipped.get_mut(cut) {
                *b = match *b {
                    b'"' => b'<',
                    b'<' => b'"',
                    b';' => b' ',
                    b' ' => b':',
                    other => other ^ 0x20,
                };
            }
            let _ = import(format, &String::from_utf8_lossy(&flipped));
            let mut deleted = bytes.to_vec();
            if cut < deleted.len() {
                deleted.remove(cut);
            }
            let _ = import(format, &String::from_utf8_lossy(&deleted));
            runs += 3;
        }
        let jsonl: String = import(format, &text).0.iter().map(|(c, l)| to_jsonl_line(c, l.as_ref()) + "\n").collect();
        for cut in (0..jsonl.len()).step_by(97) {
            let _ = import(ImportFormat::Jsonl, &String::from_utf8_lossy(jsonl.as_bytes().get(..cut).unwrap_or(&[])));
            runs += 1;
        }
    }
    println!("{runs} mutated imports, none panicked");
}

#[test]
fn jsonl_round_trips_comments_and_labels() {
    let text = fixture("twitch-irc/irc_lines.txt");
    let (labelled, _) = import_labelled(ImportFormat::TwitchIrc, text.as_bytes(), &[]);
    let jsonl: String = labelled.iter().map(|(c, l)| to_jsonl_line(c, Some(l)) + "\n").collect();
    let (back, problems) = import(ImportFormat::Jsonl, &jsonl);
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(back.len(), labelled.len());
    for ((c, l), (c2, l2)) in labelled.iter().zip(&back) {
        assert_eq!(c, c2);
        assert_eq!(Some(l), l2.as_ref());
    }
    let first = jsonl.lines().next().unwrap_or("");
    assert!(first.contains("\"time\":\"2022-09-03T11:57:15.860Z\""), "{first}");
}

#[test]
fn bad_jsonl_lines_are_named_with_reasons() {
    let text = "{\"platform\":\"twitch\",\"id\":\"1\",\"user_id\":\"u\",\"user_name\":\"U\",\"text\":\"hi\",\"time\":\"2024-05-01T12:00:00Z\"}\n\
                not json\n\
                {\"platform\":\"twitch\",\"id\":\"2\",\"user_id\":\"u\",\"user_name\":\"U\",\"text\":\"hi\",\"time\":\"yesterday\"}\n\
                {\"platform\":\"twitch\",\"id\":\"3\",\"user_id\":\"u\",\"user_name\":\"U\",\"text\":\"hi\",\"time\":\"2024-05-01T12:00:00Z\",\"paid\":{\"amount_minor\":5,\"currency\":\"dollars\"}}\n";
    let (comments, problems) = import(ImportFormat::Jsonl, text);
    assert_eq!(comments.len(), 1);
    let lines: Vec<usize> = problems.iter().map(|d| d.line).collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(problems[1].message.contains("RFC 3339"));
}

/// A Twitch-like server: the first connection sends two comments and a PING (and checks the PONG), then drops;
/// the second replays the second comment (as servers do) and sends a third and a deletion.
async fn scripted_twitch(listener: TcpListener) -> Result<Vec<String>, std::io::Error> {
    let mut heard = Vec::new();
    for round in 0..2 {
        let (socket, _) = listener.accept().await?;
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        // The handshake: CAP REQ, NICK, USER; then JOIN once welcomed.
        for _ in 0..3 {
            if let Some(line) = lines.next_line().await? {
                heard.push(line);
            }
        }
        let msg = |id: &str, text: &str| {
            format!(
                "@badges=;display-name=Ann;id={id};tmi-sent-ts=1700000000000;user-id=42 :ann!ann@ann.tmi.twitch.tv PRIVMSG #shop :{text}\r\n"
            )
        };
        write.write_all(b":tmi.twitch.tv 001 justinfan :Welcome, GLHF!\r\n").await?;
        if let Some(join) = lines.next_line().await? {
            heard.push(join);
        }
        if round == 0 {
            write.write_all(msg("a", "how much is the mug?").as_bytes()).await?;
            write.write_all(b"PING :tmi.twitch.tv\r\n").await?;
            if let Some(pong) = lines.next_line().await? {
                heard.push(pong);
            }
            write.write_all(msg("b", "what sizes?").as_bytes()).await?;
            write.flush().await?;
            // Drop the connection without a goodbye, as a network fault would.
        } else {
            write.write_all(msg("b", "what sizes?").as_bytes()).await?;
            write.write_all(msg("c", "love it").as_bytes()).await?;
            write
                .write_all(b"@login=ann;target-msg-id=a :tmi.twitch.tv CLEARMSG #shop :how much is the mug?\r\n")
                .await?;
            write.flush().await?;
            // Hold the connection open until the client goes away.
            while lines.next_line().await?.is_some() {}
        }
    }
    Ok(heard)
}

#[tokio::test]
async fn the_connector_survives_a_dropped_connection_without_duplicates() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a local port");
    let addr = listener.local_addr().expect("its address");
    let server = tokio::spawn(scripted_twitch(listener));
    let mut config = TwitchConfig::new("#Shop");
    config.server = addr.to_string();
    config.tls = None;
    config.initial_backoff = Duration::from_millis(20);
    let (tx, mut rx) = tokio::sync::mpsc::channel(64);
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let connector = tokio::spawn(run(config, tx, async move {
        let _ = stop_rx.await;
    }));

    let mut story = Vec::new();
    while story.len() < 7 {
        let Ok(Some(event)) = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await else { break };
        story.push(match event {
            SourceEvent::Health(Health::Connected) => "connected".to_string(),
            SourceEvent::Health(Health::Lost { .. }) => "lost".to_string(),
            SourceEvent::Health(Health::Restored { .. }) => "restored".to_string(),
            SourceEvent::Health(Health::Note { detail }) => format!("note {detail}"),
            SourceEvent::Chat(ChatEvent::Comment(c)) => format!("comment {}", c.id.0),
            SourceEvent::Chat(ChatEvent::DeleteComment { id, .. }) => format!("delete {}", id.0),
            SourceEvent::Chat(other) => format!("{other:?}"),
        });
    }
    assert_eq!(
        story,
        ["connected", "comment a", "comment b", "lost", "restored", "comment c", "delete a"],
        "comment b, replayed after the reconnect, is delivered once"
    );
    let _ = stop_tx.send(());
    let stopped = tokio::time::timeout(Duration::from_secs(5), connector).await;
    assert!(matches!(stopped, Ok(Ok(Ok(())))), "the connector stops cleanly on shutdown");
    let heard = tokio::time::timeout(Duration::from_secs(5), server).await;
    let heard = match heard {
        Ok(Ok(Ok(heard))) => heard,
        other => panic!("the scripted server failed: {other:?}"),
    };
    assert_eq!(heard[0], "CAP REQ :twitch.tv/tags twitch.tv/commands");
    assert!(heard[1].starts_with("NICK justinfan"));
    assert!(heard[2].starts_with("USER justinfan"));
    assert_eq!(heard[3], "JOIN #shop", "the channel is joined after the welcome");
    assert_eq!(heard[4], "PONG :tmi.twitch.tv");
}

/// The Twitch connector over TLS, against a local TLS server whose certificate a test authority signed
/// (testdata/tls: a CA and a server certificate for 127.0.0.1 and localhost, test use only).
mod tls {
    use super::super::connector::{ConnectorError, Tls, TwitchLogin, parse_server};
    use super::*;
    use std::sync::Arc;
    use tokio_rustls::rustls;

    fn tls_dir() -> std::path::PathBuf {
        testkit::testdata("tls")
    }

    fn acceptor() -> tokio_rustls::TlsAcceptor {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(tls_dir().join("server.pem"))
            .expect("server.pem")
            .collect::<Result<_, _>>()
            .expect("a certificate");
        let key = PrivateKeyDer::from_pem_file(tls_dir().join("server.key")).expect("server.key");
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .expect("the server's certificate and key");
        tokio_rustls::TlsAcceptor::from(Arc::new(config))
    }

    /// A TLS IRC server for one connection: records the client's lines; welcomes it, and after JOIN sends one
    /// comment, or (with `refuse`) answers the login with Twitch's refusal.
    async fn serve_once(listener: TcpListener, refuse: bool) -> std::io::Result<Vec<String>> {
        let (tcp, _) = listener.accept().await?;
        let stream = acceptor().accept(tcp).await?;
        let (read, mut write) = tokio::io::split(stream);
        let mut lines = BufReader::new(read).lines();
        let mut heard = Vec::new();
        while let Some(line) = lines.next_line().await? {
            let user = line.starts_with("USER ");
            heard.push(line);
            if user {
                break;
            }
        }
        if refuse {
            write.write_all(b":tmi.twitch.tv NOTICE * :Login authentication failed\r\n").await?;
            write.flush().await?;
            return Ok(heard);
        }
        write.write_all(b":tmi.twitch.tv 001 justinfan :Welcome, GLHF!\r\n").await?;
        if let Some(join) = lines.next_line().await? {
            heard.push(join);
        }
        write
            .write_all(
                b"@display-name=Ann;id=t1;tmi-sent-ts=1700000000000;user-id=42 :ann!ann@ann.tmi.twitch.tv PRIVMSG #shop :is the kettle in stock?\r\n",
            )
            .await?;
        write.flush().await?;
        // Until the client goes; it may go without TLS's goodbye (close_notify) when the show stops.
        while let Ok(Some(_)) = lines.next_line().await {}
        Ok(heard)
    }

    fn config(port: u16, ca: bool) -> TwitchConfig {
        let mut config = TwitchConfig::new("#shop");
        config.server = format!("127.0.0.1:{port}");
        config.tls = Some(Tls { ca_file: ca.then(|| tls_dir().join("ca.pem")) });
        config.initial_backoff = Duration::from_millis(20);
        config.max_backoff = Duration::from_millis(100);
        config
    }

    #[tokio::test]
    async fn comments_arrive_over_tls_from_a_server_the_authority_vouches_for() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("its address").port();
        let server = tokio::spawn(serve_once(listener, false));
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let connector = tokio::spawn(run(config(port, true), tx, async move {
            let _ = stop_rx.await;
        }));
        let mut text = None;
        while text.is_none() {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Some(SourceEvent::Chat(ChatEvent::Comment(c)))) => text = Some(c.text),
                Ok(Some(SourceEvent::Health(Health::Lost { reason, .. }))) => panic!("the connection failed: {reason}"),
                Ok(Some(_)) => {}
                other => panic!("no comment over TLS: {other:?}"),
            }
        }
        assert_eq!(text.as_deref(), Some("is the kettle in stock?"));
        let _ = stop_tx.send(());
        let _ = tokio::time::timeout(Duration::from_secs(5), connector).await;
        let heard = tokio::time::timeout(Duration::from_secs(5), server).await.expect("the server ends");
        let heard = heard.expect("the server task").expect("the server's TLS session");
        assert!(heard.iter().any(|l| l == "JOIN #shop"), "{heard:?}");
    }

    #[tokio::test]
    async fn a_certificate_no_known_authority_signed_is_refused_and_retried() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("its address").port();
        // The server presents the test certificate; the connector trusts only the Mozilla roots.
        let server = tokio::spawn(async move {
            let (tcp, _) = listener.accept().await?;
            acceptor().accept(tcp).await.map(|_| ())
        });
        let (tx, mut rx) = tokio::sync::mpsc::channel(16);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let connector = tokio::spawn(run(config(port, false), tx, async move {
            let _ = stop_rx.await;
        }));
        let event = tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.expect("an event");
        match event {
            Some(SourceEvent::Health(Health::Lost { reason, .. })) => {
                assert!(reason.contains("certificate"), "{reason}")
            }
            other => panic!("an untrusted server must not be read: {other:?}"),
        }
        let _ = stop_tx.send(());
        let _ = tokio::time::timeout(Duration::from_secs(5), connector).await;
        assert!(tokio::time::timeout(Duration::from_secs(5), server).await.is_ok_and(|r| r.is_ok_and(|s| s.is_err())));
    }

    #[tokio::test]
    async fn a_refused_login_stops_with_the_variables_to_fix_and_the_token_went_encrypted() {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let port = listener.local_addr().expect("its address").port();
        let server = tokio::spawn(serve_once(listener, true));
        let mut config = config(port, true);
        config.login = TwitchLogin::OAuth { nick: "ShopBot".into(), token: "abc123".into() };
        let (tx, _rx) = tokio::sync::mpsc::channel(16);
        let ended = tokio::time::timeout(Duration::from_secs(10), run(config, tx, std::future::pending())).await;
        let error = match ended {
            Ok(Err(e @ ConnectorError::LoginRefused(_))) => e.to_string(),
            other => panic!("a refused login must end the connector: {other:?}"),
        };
        assert!(error.contains("SHOPCAST_TWITCH_TOKEN") && error.contains("Login authentication failed"), "{error}");
        let heard = server.await.expect("the server task").expect("the server's TLS session");
        assert!(heard.iter().any(|l| l == "PASS oauth:abc123"), "the token reached the server inside TLS: {heard:?}");
    }

    #[test]
    fn server_settings_say_tls_unless_irc_is_written() {
        assert_eq!(parse_server("irc.chat.twitch.tv:6697"), Ok(("irc.chat.twitch.tv:6697".into(), true)));
        assert_eq!(parse_server("ircs://irc.example.org"), Ok(("irc.example.org:6697".into(), true)));
        assert_eq!(parse_server("irc.example.org"), Ok(("irc.example.org:6697".into(), true)));
        assert_eq!(parse_server("irc://127.0.0.1:6667"), Ok(("127.0.0.1:6667".into(), false)));
        assert_eq!(parse_server("irc://localhost"), Ok(("localhost:6667".into(), false)));
        for bad in ["https://irc.chat.twitch.tv", "host:99999", "host:", "", "irc://", "a b:1", "user@host:6697"] {
            let error = parse_server(bad).expect_err(bad);
            assert!(error.contains("host:port") || error.contains("port"), "{bad}: {error}");
        }
    }
}
