//! Replies posted to chat: which aired lines make one, the sliding send window, splitting long lines (on generated
//! English and Chinese text), Twitch's Send Chat Message against a scripted Helix, and PRIVMSG through the IRC
//! connector against a scripted server (threaded with Twitch's reply tag only where the server granted tags).
//! InspIRCd carries a reply to another client in inspircd_tests.rs.

use super::*;
use crate::chat::ChatEvent;
use crate::chat::connector::{SourceEvent, TwitchConfig, TwitchLogin, run_with_replies};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use model::{Comment, CommentFlags, ConsoleEvent, Facet, Intent, Lang, LineId, LineSource, UnixMs};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

fn comment(platform: Platform, id: &str) -> Comment {
    Comment {
        platform,
        id: CommentId(id.into()),
        user_id: "4145994".into(),
        user_name: "Ana".into(),
        text: "is the blue one in stock?".into(),
        time: UnixMs(0),
        paid: None,
        flags: CommentFlags::default(),
    }
}

fn aired(id: u64, kind: LineKind, text: &str, trigger: Option<Comment>) -> ConsoleEvent {
    ConsoleEvent::LineAired(AiredLine {
        line: LineId(id),
        t_ms: 0,
        kind,
        product: None,
        text: text.into(),
        lang: Lang::En,
        source: LineSource::Template,
        duration_ms: 1000,
        note: None,
        fallbacks: Vec::new(),
        trigger,
        wall: UnixMs(0),
        guard: Vec::new(),
        by: None,
        asked_by: 1,
    })
}

fn line_of(event: &ConsoleEvent) -> &AiredLine {
    match event {
        ConsoleEvent::LineAired(line) => line,
        other => panic!("{other:?}"),
    }
}

#[test]
fn only_answers_and_hand_offs_to_a_comment_make_a_reply_with_the_aired_text() {
    let answer = aired(
        1,
        LineKind::Answer(Intent::PriceStockShipping),
        " Ana, yes: 12 left. ",
        Some(comment(Platform::Twitch, "m-1")),
    );
    let reply = ChatReply::from_aired(line_of(&answer)).expect("an answer");
    assert_eq!(
        (reply.platform, reply.parent.0.as_str(), reply.text.as_str()),
        (Platform::Twitch, "m-1", "Ana, yes: 12 left.")
    );
    let handoff = aired(
        2,
        LineKind::Handoff(Intent::ComplaintOrRefund),
        "A person will help.",
        Some(comment(Platform::Youtube, "y")),
    );
    assert_eq!(ChatReply::from_aired(line_of(&handoff)).map(|r| r.platform), Some(Platform::Youtube));
    for not in [
        aired(3, LineKind::Pitch(Facet::Hook), "Look at this mug.", Some(comment(Platform::Twitch, "m-2"))),
        aired(4, LineKind::Thanks, "Thanks, Ana.", Some(comment(Platform::Twitch, "m-3"))),
        aired(5, LineKind::Answer(Intent::Greeting), "Hello!", None),
        aired(6, LineKind::Answer(Intent::Greeting), "   ", Some(comment(Platform::Twitch, "m-4"))),
    ] {
        assert_eq!(ChatReply::from_aired(line_of(&not)), None, "{not:?}");
    }
}

#[test]
fn the_window_lets_the_limit_through_then_waits_for_the_oldest_to_leave() {
    let start = Instant::now();
    let mut window = SendWindow::new(20, Duration::from_secs(30));
    for i in 0..20 {
        let at = start + Duration::from_millis(i * 100);
        assert_eq!(window.delay(at), Duration::ZERO, "send {i}");
        window.record(at);
    }
    let at = start + Duration::from_secs(5);
    assert_eq!(window.delay(at), Duration::from_secs(25), "the 21st waits until the first is 30 s old");
    assert_eq!(window.delay(start + Duration::from_secs(30)), Duration::ZERO);
    window.record(start + Duration::from_secs(30));
    assert_eq!(window.delay(start + Duration::from_secs(30)), Duration::from_millis(100), "then the second");
}

/// Generated lines of English and Chinese sentences (some far longer than a message): every part fits, nothing is
/// lost or reordered, and sentences that fit are never cut.
#[test]
fn long_lines_split_at_sentence_ends_into_parts_that_fit() {
    let words = ["blue", "mug", "ceramic", "holds", "450ml", "dishwasher-safe", "yes", "twelve", "left", "today"];
    let hanzi = ['杯', '子', '有', '蓝', '色', '的', '还', '剩', '十', '二', '个'];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for case in 0..300 {
        let mut text = String::new();
        for _ in 0..1 + next(8) {
            if next(2) == 0 {
                let n = 1 + next(if case % 10 == 0 { 120 } else { 14 });
                let sentence: Vec<&str> = (0..n).map(|_| words[next(words.len() as u64) as usize]).collect();
                text.push_str(&sentence.join(" "));
                text.push_str(if next(2) == 0 { ". " } else { "? " });
            } else {
                let n = 1 + next(if case % 10 == 0 { 300 } else { 30 });
                text.extend((0..n).map(|_| hanzi[next(hanzi.len() as u64) as usize]));
                text.push('。');
            }
        }
        let max = [40, 200, 500][case % 3];
        let parts = split_message(&text, max);
        assert!(!parts.is_empty());
        for part in &parts {
            assert!(part.chars().count() <= max && !part.trim().is_empty(), "{part:?} in {max}");
        }
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        assert_eq!(squeeze(&parts.concat()), squeeze(&text), "case {case}");
        if text.chars().count() <= max {
            assert_eq!(parts, [text.trim()], "a line that fits is one message");
        }
    }
    assert_eq!(split_message("One. Two. Three.", 10), ["One. Two.", "Three."]);
    // A decimal point is no sentence end: a price is never cut in two.
    assert_eq!(split_message("It costs $3.5 a box today.", 12), ["It costs", "$3.5 a box", "today."]);
}

/// What the scripted Helix received.
#[derive(Default)]
struct Helix {
    posts: Mutex<Vec<(Instant, Value)>>,
    drop_next: Mutex<bool>,
}

async fn validate_call() -> Json<Value> {
    Json(
        json!({"client_id": "cid", "login": "shopbot", "scopes": ["user:read:chat", "user:write:chat"], "user_id": "900"}),
    )
}

async fn users_call() -> Json<Value> {
    Json(json!({"data": [{"id": "141981764", "login": "shopchannel"}]}))
}

async fn post_call(
    State(h): State<Arc<Helix>>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    assert_eq!(headers.get("client-id").unwrap(), "cid");
    assert_eq!(headers.get("authorization").unwrap(), "Bearer tok");
    h.posts.lock().unwrap().push((Instant::now(), body));
    if std::mem::take(&mut *h.drop_next.lock().unwrap()) {
        return (
            StatusCode::OK,
            Json(
                json!({"data": [{"message_id": "", "is_sent": false, "drop_reason": {"code": "msg_duplicate", "message": "duplicate"}}]}),
            ),
        );
    }
    (StatusCode::OK, Json(json!({"data": [{"message_id": "sent-1", "is_sent": true, "drop_reason": null}]})))
}

#[tokio::test]
async fn answers_to_twitch_comments_are_posted_through_helix_threaded_and_paced() {
    let helix = Arc::new(Helix::default());
    *helix.drop_next.lock().unwrap() = true;
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", api.local_addr().unwrap());
    let router = Router::new()
        .route("/oauth2/validate", get(validate_call))
        .route("/helix/users", get(users_call))
        .route("/helix/chat/messages", post(post_call))
        .with_state(helix.clone());
    tokio::spawn(async move { axum::serve(api, router).await.unwrap() });
    let mut config = EventSubConfig::new("shopchannel", "oauth:tok");
    config.helix = format!("{base}/helix");
    config.id_api = format!("{base}/oauth2");
    let (console, rx) = broadcast::channel(64);
    let window = Duration::from_millis(400);
    let routes = vec![PostRoute { poster: Poster::TwitchHelix(Box::new(config)), window: SendWindow::new(2, window) }];
    let stop = tokio_util::sync::CancellationToken::new();
    let poster = tokio::spawn(run(rx, routes, stop.clone().cancelled_owned()));
    let answer = |id: u64, parent: &str, text: &str| {
        aired(id, LineKind::Answer(Intent::ProductQuestion), text, Some(comment(Platform::Twitch, parent)))
    };
    console.send(answer(1, "m-0", "This one Twitch drops.")).unwrap();
    console.send(aired(2, LineKind::Pitch(Facet::Hook), "A pitch is not posted.", None)).unwrap();
    console.send(answer(9, "m-9", "   ")).unwrap();
    console
        .send(aired(
            4,
            LineKind::Answer(Intent::ProductQuestion),
            "Not for Twitch.",
            Some(comment(Platform::Youtube, "y-2")),
        ))
        .unwrap();
    for i in 0..3 {
        console.send(answer(10 + i, &format!("m-{}", i + 1), &format!("Answer number {i}."))).unwrap();
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    while helix.posts.lock().unwrap().len() < 4 {
        assert!(Instant::now() < deadline, "posts: {:?}", helix.posts.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    stop.cancel();
    poster.await.unwrap();
    let posts = helix.posts.lock().unwrap().clone();
    let said: Vec<(&str, &str)> = posts
        .iter()
        .map(|(_, b)| (b["reply_parent_message_id"].as_str().unwrap(), b["message"].as_str().unwrap()))
        .collect();
    assert_eq!(
        said,
        [
            ("m-0", "This one Twitch drops."),
            ("m-1", "Answer number 0."),
            ("m-2", "Answer number 1."),
            ("m-3", "Answer number 2.")
        ],
        "only Twitch answers, in order; a dropped one does not stop the rest"
    );
    assert!(posts.iter().all(|(_, b)| b["broadcaster_id"] == "141981764" && b["sender_id"] == "900"));
    // Two sends per 400 ms: the third waited for the first to leave the window.
    assert!(
        posts[2].0.duration_since(posts[0].0) >= window - Duration::from_millis(20),
        "{:?}",
        posts[2].0 - posts[0].0
    );
}

/// A token without user:write:chat: the first reply finds out, and the rest are not tried (Twitch is asked once).
#[tokio::test]
async fn a_token_that_may_not_post_turns_twitch_replies_off_after_one_try() {
    let validations = Arc::new(Mutex::new(0));
    let counted = validations.clone();
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", api.local_addr().unwrap());
    let router = Router::new().route(
        "/oauth2/validate",
        get(move || {
            *counted.lock().unwrap() += 1;
            async { Json(json!({"client_id": "cid", "login": "bot", "scopes": ["user:read:chat"], "user_id": "900"})) }
        }),
    );
    tokio::spawn(async move { axum::serve(api, router).await.unwrap() });
    let mut config = EventSubConfig::new("shopchannel", "tok");
    config.helix = format!("{base}/helix");
    config.id_api = format!("{base}/oauth2");
    let (console, rx) = broadcast::channel(16);
    let routes = vec![PostRoute {
        poster: Poster::TwitchHelix(Box::new(config)),
        window: SendWindow::new(20, Duration::from_secs(30)),
    }];
    let stop = tokio_util::sync::CancellationToken::new();
    let poster = tokio::spawn(run(rx, routes, stop.clone().cancelled_owned()));
    for i in 0..3 {
        let line = aired(i, LineKind::Answer(Intent::Greeting), "Hi, welcome!", Some(comment(Platform::Twitch, "m")));
        console.send(line).unwrap();
    }
    tokio::time::sleep(Duration::from_millis(400)).await;
    stop.cancel();
    poster.await.unwrap();
    assert_eq!(*validations.lock().unwrap(), 1, "asked once, then off");
}

#[tokio::test]
async fn the_irc_connector_says_replies_threaded_where_twitch_tags_were_granted() {
    for granted in [true, false] {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            for _ in 0..4 {
                lines.next_line().await.unwrap();
            }
            if granted {
                write.write_all(b":tmi.twitch.tv CAP * ACK :twitch.tv/tags twitch.tv/commands\r\n").await.unwrap();
            } else {
                write.write_all(b":irc.example CAP * NAK :twitch.tv/tags twitch.tv/commands\r\n").await.unwrap();
            }
            write.write_all(b":tmi.twitch.tv 001 shopbot :Welcome, GLHF!\r\n").await.unwrap();
            let mut heard = Vec::new();
            while let Ok(Some(line)) = lines.next_line().await {
                let done = line.contains("PRIVMSG");
                heard.push(line);
                if done {
                    break;
                }
            }
            heard
        });
        let mut config = TwitchConfig::new("#Shop");
        config.server = addr.to_string();
        config.tls = None;
        config.login = TwitchLogin::OAuth { nick: "shopbot".into(), token: "tok".into() };
        let (tx, mut events) = mpsc::channel::<SourceEvent>(16);
        let (replies_tx, replies_rx) = mpsc::channel(4);
        let stop = tokio_util::sync::CancellationToken::new();
        let connector = tokio::spawn(run_with_replies(config, tx, Some(replies_rx), stop.clone().cancelled_owned()));
        let _ = tokio::time::timeout(Duration::from_secs(5), events.recv()).await;
        replies_tx.send(IrcSend::new(Some("m-7".into()), "Yes,\r\nJOIN #evil 12 left.")).await.unwrap();
        let heard = tokio::time::timeout(Duration::from_secs(5), server).await.unwrap().unwrap();
        stop.cancel();
        let _ = connector.await;
        let said = heard.last().unwrap();
        let expected = if granted {
            "@reply-parent-msg-id=m-7 PRIVMSG #shop :Yes,  JOIN #evil 12 left."
        } else {
            "PRIVMSG #shop :Yes,  JOIN #evil 12 left."
        };
        assert_eq!(said, expected, "one line, whatever the text held; tags granted: {granted}");
        assert!(heard.iter().any(|l| l == "JOIN #shop"), "{heard:?}");
    }
}

/// The scripted YouTube: the poller's pages, the channel lookup and `liveChatMessages.insert`.
#[derive(Default)]
struct Youtube {
    inserts: Mutex<Vec<Value>>,
    lookups: Mutex<u32>,
    served_second: Mutex<bool>,
}

fn yt_item(id: &str, channel: &str, name: &str, text: &str) -> Value {
    json!({"id": id, "snippet": {"type": "textMessageEvent", "publishedAt": "2026-12-06T10:00:00Z",
        "textMessageDetails": {"messageText": text}},
        "authorDetails": {"channelId": channel, "displayName": name}})
}

async fn yt_list(State(y): State<Arc<Youtube>>) -> Json<Value> {
    let page = |items: Vec<Value>, token: &str| {
        Json(json!({"kind": "youtube#liveChatMessageListResponse", "nextPageToken": token, "pollingIntervalMillis": 10,
            "items": items}))
    };
    if y.inserts.lock().unwrap().is_empty() {
        return page(vec![yt_item("m-1", "UCviewer", "Ana", "does it come in blue?")], "t1");
    }
    if !std::mem::replace(&mut *y.served_second.lock().unwrap(), true) {
        // The host's own post comes back with the next page, beside a viewer's new question.
        let own = y.inserts.lock().unwrap()[0]["snippet"]["textMessageDetails"]["messageText"].clone();
        return page(
            vec![
                yt_item("own-1", "UCbot", "Shop Host", own.as_str().unwrap()),
                yt_item("m-2", "UCother", "Bo", "and in red?"),
            ],
            "t2",
        );
    }
    page(Vec::new(), "t3")
}

async fn yt_channels(State(y): State<Arc<Youtube>>, headers: HeaderMap) -> Json<Value> {
    assert_eq!(headers.get("authorization").unwrap(), "Bearer yt-token");
    *y.lookups.lock().unwrap() += 1;
    Json(json!({"items": [{"kind": "youtube#channel", "id": "UCbot"}]}))
}

async fn yt_insert(State(y): State<Arc<Youtube>>, headers: HeaderMap, Json(body): Json<Value>) -> Json<Value> {
    assert_eq!(headers.get("authorization").unwrap(), "Bearer yt-token");
    y.inserts.lock().unwrap().push(body.clone());
    Json(json!({"kind": "youtube#liveChatMessage", "id": "own-1", "snippet": body["snippet"]}))
}

#[tokio::test]
async fn answers_to_youtube_comments_are_posted_named_within_the_quota_kept_for_them_and_never_read_back() {
    use crate::chat::youtube_poll::{self, YoutubeAuth, YoutubeConfig};
    let youtube = Arc::new(Youtube::default());
    let api = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", api.local_addr().unwrap());
    let router = Router::new()
        .route("/youtube/v3/liveChat/messages", get(yt_list).post(yt_insert))
        .route("/youtube/v3/channels", get(yt_channels))
        .with_state(youtube.clone());
    tokio::spawn(async move { axum::serve(api, router).await.unwrap() });

    let (chat_found, chat_id) = watch::channel(None);
    let (own_tx, own_rx) = watch::channel(None);
    let mut config = YoutubeConfig::new("chat-42", YoutubeAuth::Bearer("yt-token".into()));
    config.base_url = base.clone();
    config.min_poll_interval = Duration::from_millis(5);
    config.max_poll_interval = Duration::from_millis(20);
    config.chat_found = Some(chat_found);
    config.own_channel = Some(own_rx);
    let (tx, mut events) = mpsc::channel(64);
    let stop = tokio_util::sync::CancellationToken::new();
    let poller = tokio::spawn(youtube_poll::run(config, tx, stop.clone().cancelled_owned()));

    // 60 units: the channel lookup (counted as 20) and two posts; the third answer is dropped.
    let mut poster =
        YoutubePoster::new(YoutubeAuth::Bearer("yt-token".into()), chat_id, own_tx, 60, Duration::from_secs(86_400))
            .expect("OAuth can post");
    poster.base_url = base;
    let routes = vec![PostRoute {
        poster: Poster::Youtube(Box::new(poster)),
        window: SendWindow::new(10, Duration::from_secs(30)),
    }];
    let (console, rx) = broadcast::channel(64);
    let replies = tokio::spawn(run(rx, routes, stop.clone().cancelled_owned()));

    let mut heard: Vec<String> = Vec::new();
    let mut next_comment = async || loop {
        match tokio::time::timeout(Duration::from_secs(10), events.recv()).await {
            Ok(Some(SourceEvent::Chat(ChatEvent::Comment(c)))) => return c,
            Ok(Some(_)) => continue,
            other => panic!("no comment: {other:?}"),
        }
    };
    let first = next_comment().await;
    heard.push(first.id.0.clone());
    let answer = |c: &Comment, text: &str| aired(1, LineKind::Answer(Intent::ProductQuestion), text, Some(c.clone()));
    console.send(answer(&first, "Yes, it comes in blue and navy.")).unwrap();
    let second = next_comment().await;
    heard.push(second.id.0.clone());
    console.send(answer(&second, "Bo, red is sold out today.")).unwrap();
    console.send(answer(&second, "One more answer the quota has no room for.")).unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    while let Ok(event) = events.try_recv() {
        if let SourceEvent::Chat(ChatEvent::Comment(c)) = event {
            heard.push(c.id.0);
        }
    }
    stop.cancel();
    let _ = poller.await;
    let _ = replies.await;

    assert_eq!(heard, ["m-1", "m-2"], "the host's own post is never read back as a viewer's comment");
    let inserts = youtube.inserts.lock().unwrap().clone();
    let texts: Vec<&str> =
        inserts.iter().map(|b| b["snippet"]["textMessageDetails"]["messageText"].as_str().unwrap()).collect();
    assert_eq!(texts, ["@Ana Yes, it comes in blue and navy.", "Bo, red is sold out today."], "named unless already");
    assert!(
        inserts.iter().all(|b| b["snippet"]["liveChatId"] == "chat-42" && b["snippet"]["type"] == "textMessageEvent")
    );
    assert_eq!(*youtube.lookups.lock().unwrap(), 1, "the posting channel is looked up once");
    let key = YoutubePoster::new(
        YoutubeAuth::ApiKey("k".into()),
        watch::channel(None).1,
        watch::channel(None).0,
        60,
        Duration::from_secs(60),
    );
    assert!(key.is_err_and(|e| e.contains("SHOPCAST_YOUTUBE_REFRESH_TOKEN")), "an API key cannot post");
}
