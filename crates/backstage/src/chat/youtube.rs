//! YouTube live-chat responses into [`ChatEvent`]s: the Data API's `liveChatMessages.list` and the web client's
//! `get_live_chat` (InnerTube) form that recorded logs and the fixtures use.
//!
//! Each response yields its events, the page token and polling interval the next request must honour, and one
//! problem per item it could not use; an API error object becomes a typed [`YoutubeError`].

use super::time::parse_rfc3339;
use super::{BanViewer, ChatEvent, Notice, NoticeKind};
use model::{Comment, CommentFlags, CommentId, Currency, Money, Platform, UnixMs};
use serde_json::Value;

/// One response, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct YoutubePage {
    pub events: Vec<ChatEvent>,
    /// The token for the next poll (`nextPageToken`, or the web client's continuation).
    pub next_page_token: Option<String>,
    /// How long to wait before the next poll (`pollingIntervalMillis`, or the continuation's `timeoutMs`).
    pub polling_interval_ms: Option<u64>,
    /// The stream ended (`offlineAt` set, or a `chatEndedEvent`).
    pub ended: bool,
    /// Items that could not be used: (index within the response's list, reason).
    pub problems: Vec<(usize, String)>,
}

/// An error object the API returned instead of messages.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("YouTube API error {code}: {reason} ({message})")]
pub struct YoutubeError {
    pub code: u16,
    /// The first error's `reason`, e.g. `quotaExceeded`, `rateLimitExceeded`, `liveChatEnded`.
    pub reason: String,
    pub message: String,
}

impl YoutubeError {
    /// Worth polling again later: rate limits and server trouble. Quota, auth and a finished chat are not.
    pub fn is_retryable(&self) -> bool {
        self.reason == "rateLimitExceeded" || self.code >= 500 || self.code == 429
    }
}

/// Reads one response body.
pub fn parse_response(body: &Value) -> Result<YoutubePage, YoutubeError> {
    if let Some(error) = body.get("error") {
        let first = error.get("errors").and_then(|e| e.get(0));
        return Err(YoutubeError {
            code: error.get("code").and_then(Value::as_u64).unwrap_or(0).min(u64::from(u16::MAX)) as u16,
            reason: first.and_then(|e| e.get("reason")).and_then(Value::as_str).unwrap_or("unknown").to_string(),
            message: error.get("message").and_then(Value::as_str).unwrap_or("").to_string(),
        });
    }
    let mut page = YoutubePage::default();
    if let Some(items) = body.get("items").and_then(Value::as_array) {
        page.next_page_token = body.get("nextPageToken").and_then(Value::as_str).map(str::to_string);
        page.polling_interval_ms = body.get("pollingIntervalMillis").and_then(Value::as_u64);
        page.ended = body.get("offlineAt").is_some_and(|v| !v.is_null());
        for (i, item) in items.iter().enumerate() {
            match data_api_item(item) {
                Ok(Some(ChatEvent::ChatEnded)) => {
                    page.ended = true;
                    page.events.push(ChatEvent::ChatEnded);
                }
                Ok(Some(event)) => page.events.push(event),
                Ok(None) => {}
                Err(reason) => page.problems.push((i, reason)),
            }
        }
        return Ok(page);
    }
    let continuation = body
        .pointer("/continuationContents/liveChatContinuation")
        .or_else(|| body.pointer("/response/continuationContents/liveChatContinuation"));
    if let Some(live) = continuation {
        for c in live.get("continuations").and_then(Value::as_array).into_iter().flatten() {
            let data = ["timedContinuationData", "invalidationContinuationData", "reloadContinuationData"]
                .iter()
                .find_map(|k| c.get(*k));
            if let Some(data) = data {
                page.next_page_token = data.get("continuation").and_then(Value::as_str).map(str::to_string);
                page.polling_interval_ms = data.get("timeoutMs").and_then(Value::as_u64);
            }
        }
        let actions = live.get("actions").and_then(Value::as_array);
        for (i, action) in actions.into_iter().flatten().enumerate() {
            web_action(action, i, &mut page, 0, None);
        }
        return Ok(page);
    }
    Err(YoutubeError {
        code: 0,
        reason: "notLiveChat".into(),
        message: "the JSON has neither \"items\" (Data API) nor \"continuationContents\" (web client)".into(),
    })
}

fn text_of(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

fn data_api_item(item: &Value) -> Result<Option<ChatEvent>, String> {
    let snippet = item.get("snippet").ok_or("the item has no snippet")?;
    let kind = snippet.get("type").and_then(Value::as_str).ok_or("the item's snippet has no type")?;
    let author = item.get("authorDetails");
    let channel = author
        .and_then(|a| a.get("channelId"))
        .or_else(|| snippet.get("authorChannelId"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let name = author.and_then(|a| a.get("displayName")).and_then(Value::as_str).unwrap_or(channel);
    let flag = |key: &str| author.and_then(|a| a.get(key)).and_then(Value::as_bool).unwrap_or(false);
    let build = |text: String, paid: Option<Money>| -> Result<Option<ChatEvent>, String> {
        let id = item.get("id").and_then(Value::as_str).ok_or("the message has no id")?;
        if channel.is_empty() {
            return Err(format!("message {id} has no author channel id"));
        }
        let published = snippet.get("publishedAt").and_then(Value::as_str).ok_or("the message has no publishedAt")?;
        let time = parse_rfc3339(published)?;
        Ok(Some(ChatEvent::Comment(Comment {
            platform: Platform::Youtube,
            id: CommentId(id.to_string()),
            user_id: channel.to_string(),
            user_name: name.to_string(),
            text,
            time,
            paid,
            flags: CommentFlags {
                first_message: false,
                moderator: flag("isChatModerator") || flag("isChatOwner"),
                subscriber: false,
                member: flag("isChatSponsor"),
                reply_to: None,
                returning: false,
                paid_amount_text: None,
            },
        })))
    };
    let display = || text_of(snippet.get("displayMessage")).unwrap_or_default();
    match kind {
        "textMessageEvent" => {
            let text = text_of(snippet.pointer("/textMessageDetails/messageText")).unwrap_or_else(display);
            build(text, None)
        }
        "superChatEvent" | "superStickerEvent" => {
            let details = snippet.get("superChatDetails").or_else(|| snippet.get("superStickerDetails"));
            let micros = details
                .and_then(|d| d.get("amountMicros"))
                .and_then(|v| v.as_str().and_then(|s| s.parse::<i64>().ok()).or_else(|| v.as_i64()));
            let code = details.and_then(|d| d.get("currency")).and_then(Value::as_str);
            let currency = code.and_then(Currency::parse);
            let paid = match (micros, currency) {
                (Some(micros), Some(currency)) => {
                    let scale = 10i64.pow(6u32.saturating_sub(currency.minor_digits()));
                    Some(Money { minor: micros / scale, currency })
                }
                // A currency shopcast does not know: the message is kept, its amount as YouTube wrote it.
                (Some(_), None) => None,
                _ => return Err("the Super Chat has no amountMicros or currency".into()),
            };
            let text = details
                .and_then(|d| d.get("userComment"))
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| text_of(details.and_then(|d| d.pointer("/superStickerMetadata/altText"))))
                .unwrap_or_else(display);
            let unknown = paid.is_none();
            let mut event = build(text, paid)?;
            if unknown && let Some(ChatEvent::Comment(c)) = event.as_mut() {
                let shown = details.and_then(|d| d.get("amountDisplayString")).and_then(Value::as_str);
                let raw = shown
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{} {}", micros.map_or(0.0, |m| m as f64 / 1e6), code.unwrap_or("?")));
                c.flags.paid_amount_text = Some(raw);
            }
            Ok(event)
        }
        "memberMilestoneChatEvent" => {
            let text = text_of(snippet.pointer("/memberMilestoneChatDetails/userComment")).unwrap_or_else(display);
            let mut event = build(text, None)?;
            if let Some(ChatEvent::Comment(c)) = event.as_mut() {
                c.flags.member = true;
            }
            Ok(event)
        }
        "newSponsorEvent" | "membershipGiftingEvent" | "giftMembershipReceivedEvent" => {
            Ok(Some(ChatEvent::Notice(Notice {
                platform: Platform::Youtube,
                kind: NoticeKind::Membership,
                user_id: channel.to_string(),
                user_name: name.to_string(),
                text: display(),
            })))
        }
        "messageDeletedEvent" => {
            let id = snippet
                .pointer("/messageDeletedDetails/deletedMessageId")
                .and_then(Value::as_str)
                .ok_or("messageDeletedEvent has no deletedMessageId")?;
            Ok(Some(ChatEvent::DeleteComment { platform: Platform::Youtube, id: CommentId(id.to_string()) }))
        }
        "userBannedEvent" => {
            let details = snippet.get("userBannedDetails").ok_or("userBannedEvent has no userBannedDetails")?;
            let user = details
                .pointer("/bannedUserDetails/channelId")
                .and_then(Value::as_str)
                .ok_or("userBannedEvent names no banned channel")?;
            let duration = details
                .get("banDurationSeconds")
                .and_then(|v| v.as_str().and_then(|s| s.parse::<u64>().ok()).or_else(|| v.as_u64()));
            let temporary = details.get("banType").and_then(Value::as_str) == Some("temporary");
            Ok(Some(ChatEvent::BanViewer(BanViewer {
                platform: Platform::Youtube,
                user_id: user.to_string(),
                user_name: text_of(details.pointer("/bannedUserDetails/displayName"))
                    .unwrap_or_else(|| user.to_string()),
                duration_secs: if temporary { duration } else { None },
            })))
        }
        "chatEndedEvent" => Ok(Some(ChatEvent::ChatEnded)),
        other => Ok(Some(ChatEvent::Ignored { what: other.to_string() })),
    }
}

/// The web client's message "runs": text runs as they are, emoji as their character or first shortcut.
fn runs_text(message: Option<&Value>) -> String {
    let Some(message) = message else { return String::new() };
    if let Some(simple) = message.get("simpleText").and_then(Value::as_str) {
        return simple.to_string();
    }
    let mut out = String::new();
    for run in message.get("runs").and_then(Value::as_array).into_iter().flatten() {
        if let Some(text) = run.get("text").and_then(Value::as_str) {
            out.push_str(text);
        } else if let Some(emoji) = run.get("emoji") {
            let id = emoji.get("emojiId").and_then(Value::as_str).filter(|id| id.chars().count() <= 8);
            let shortcut = emoji.pointer("/shortcuts/0").and_then(Value::as_str);
            out.push_str(id.or(shortcut).unwrap_or(""));
        }
    }
    out
}

/// "￥846", "$5.00", "CA$10.00", "€2,00", "NT$75" as money. `None` when the symbol is not one YouTube uses.
pub fn parse_amount_text(text: &str) -> Option<Money> {
    let text = text.trim();
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (symbol, number) = (text.get(..split)?.trim(), text.get(split..)?.trim());
    let code = match symbol {
        "$" | "US$" => "USD",
        "CA$" => "CAD",
        "A$" => "AUD",
        "NZ$" => "NZD",
        "HK$" => "HKD",
        "NT$" => "TWD",
        "MX$" => "MXN",
        "R$" => "BRL",
        "SGD" | "S$" => "SGD",
        "¥" | "￥" | "JP¥" => "JPY",
        "CN¥" => "CNY",
        "€" => "EUR",
        "£" => "GBP",
        "₩" => "KRW",
        "₹" => "INR",
        "₱" | "PHP" => "PHP",
        "₫" => "VND",
        "₪" => "ILS",
        code if code.len() == 3 => code,
        _ => return None,
    };
    let currency = Currency::parse(code)?;
    // Some locales write a decimal comma ("2,00"): a comma followed by exactly two digits at the end.
    let number = match number.rsplit_once(',') {
        Some((whole, frac)) if frac.len() == 2 && !number.contains('.') => format!("{whole}.{frac}"),
        _ => number.to_string(),
    };
    Money::parse_decimal(&number, currency).ok()
}

/// `offset`: the replay's position (ms into the video) of the actions inside a `replayChatItemAction`.
fn web_action(action: &Value, index: usize, page: &mut YoutubePage, depth: usize, offset: Option<i64>) {
    // Replays wrap actions in replayChatItemAction; nesting deeper than a few levels is not a real response.
    if depth > 4 {
        page.problems.push((index, "actions nested too deeply".into()));
        return;
    }
    if let Some(replayed) = action.pointer("/replayChatItemAction/actions").and_then(Value::as_array) {
        let at = action.pointer("/replayChatItemAction/videoOffsetTimeMsec");
        let at = at.and_then(|v| v.as_str().and_then(|s| s.parse::<i64>().ok()).or_else(|| v.as_i64())).or(offset);
        for inner in replayed {
            web_action(inner, index, page, depth + 1, at);
        }
        return;
    }
    if let Some(id) = action.pointer("/markChatItemAsDeletedAction/targetItemId").and_then(Value::as_str) {
        page.events.push(ChatEvent::DeleteComment { platform: Platform::Youtube, id: CommentId(id.to_string()) });
        return;
    }
    if let Some(channel) =
        action.pointer("/markChatItemsByAuthorAsDeletedAction/externalChannelId").and_then(Value::as_str)
    {
        page.events.push(ChatEvent::BanViewer(BanViewer {
            platform: Platform::Youtube,
            user_id: channel.to_string(),
            user_name: channel.to_string(),
            duration_secs: None,
        }));
        return;
    }
    let Some(item) = action.pointer("/addChatItemAction/item").and_then(Value::as_object) else {
        // Tickers repeat a message already added; banners, polls and the like carry no viewer comment.
        let what = action.as_object().and_then(|o| o.keys().next().cloned()).unwrap_or_else(|| "non-object".into());
        page.events.push(ChatEvent::Ignored { what });
        return;
    };
    for (renderer, body) in item {
        match web_renderer(renderer, body, offset) {
            Ok(event) => page.events.push(event),
            Err(reason) => page.problems.push((index, reason)),
        }
    }
}

/// One chat item. Its time is `timestampUsec`; an item without one (some replays and exports drop it) takes the
/// replay's offset (ms into the video) or else the time it was read, never an error.
fn web_renderer(renderer: &str, body: &Value, offset: Option<i64>) -> Result<ChatEvent, String> {
    let known = matches!(
        renderer,
        "liveChatTextMessageRenderer"
            | "liveChatPaidMessageRenderer"
            | "liveChatPaidStickerRenderer"
            | "liveChatMembershipItemRenderer"
    );
    if !known {
        return Ok(ChatEvent::Ignored { what: renderer.to_string() });
    }
    let id = body.get("id").and_then(Value::as_str).ok_or_else(|| format!("{renderer} has no id"))?;
    let channel = body
        .get("authorExternalChannelId")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{renderer} {id} has no authorExternalChannelId"))?;
    let name = body.pointer("/authorName/simpleText").and_then(Value::as_str).unwrap_or(channel);
    let usec = body.get("timestampUsec").and_then(Value::as_str).and_then(|s| s.parse::<i64>().ok());
    let time = match (usec, offset) {
        (Some(usec), _) => UnixMs(usec / 1000),
        (None, Some(offset)) => UnixMs(offset),
        (None, None) => super::connector::now_ms(),
    };
    let badges: Vec<&str> = body
        .get("authorBadges")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|b| b.pointer("/liveChatAuthorBadgeRenderer/tooltip").and_then(Value::as_str))
        .collect();
    let has_badge = |word: &str| badges.iter().any(|b| b.to_ascii_lowercase().contains(word));
    let mut text = runs_text(body.get("message"));
    let mut paid = None;
    let mut paid_amount_text = None;
    match renderer {
        "liveChatPaidMessageRenderer" | "liveChatPaidStickerRenderer" => {
            let amount = body.pointer("/purchaseAmountText/simpleText").and_then(Value::as_str).unwrap_or("");
            // A currency shopcast does not know keeps the viewer's message, with the amount as the platform wrote
            // it: a paying viewer is never dropped.
            paid = parse_amount_text(amount);
            if paid.is_none() {
                paid_amount_text = Some(amount.trim().to_string());
            }
            if text.is_empty() {
                text = body
                    .pointer("/sticker/accessibility/accessibilityData/label")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
            }
        }
        "liveChatMembershipItemRenderer" if text.is_empty() => {
            return Ok(ChatEvent::Notice(Notice {
                platform: Platform::Youtube,
                kind: NoticeKind::Membership,
                user_id: channel.to_string(),
                user_name: name.to_string(),
                text: runs_text(body.get("headerSubtext")),
            }));
        }
        _ => {}
    }
    Ok(ChatEvent::Comment(Comment {
        platform: Platform::Youtube,
        id: CommentId(id.to_string()),
        user_id: channel.to_string(),
        user_name: name.to_string(),
        text,
        time,
        paid,
        flags: CommentFlags {
            first_message: false,
            moderator: has_badge("moderator") || has_badge("owner"),
            subscriber: false,
            member: has_badge("member") || renderer == "liveChatMembershipItemRenderer",
            reply_to: None,
            returning: false,
            paid_amount_text,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_data_api_page_yields_messages_super_chats_deletions_bans_and_its_polling_hints() {
        let body = json!({
            "kind": "youtube#liveChatMessageListResponse",
            "pollingIntervalMillis": 2500, "nextPageToken": "tok2",
            "items": [
                {"id": "m1", "snippet": {"type": "textMessageEvent", "publishedAt": "2024-05-01T12:00:00.5Z",
                  "textMessageDetails": {"messageText": "how much?"}},
                 "authorDetails": {"channelId": "UC1", "displayName": "Ann", "isChatSponsor": true}},
                {"id": "m2", "snippet": {"type": "superChatEvent", "publishedAt": "2024-05-01T12:00:01Z",
                  "superChatDetails": {"amountMicros": "5000000", "currency": "USD", "userComment": "love it"}},
                 "authorDetails": {"channelId": "UC2", "displayName": "Bob"}},
                {"id": "m3", "snippet": {"type": "messageDeletedEvent", "messageDeletedDetails": {"deletedMessageId": "m1"}}},
                {"id": "m4", "snippet": {"type": "userBannedEvent", "userBannedDetails": {"banType": "temporary",
                  "banDurationSeconds": "300", "bannedUserDetails": {"channelId": "UC9", "displayName": "Troll"}}}},
                {"id": "m5", "snippet": {"type": "textMessageEvent"}},
                {"id": "m6", "snippet": {"type": "chatEndedEvent", "publishedAt": "2024-05-01T13:00:00Z"}}
            ]
        });
        let page = parse_response(&body).expect("a page");
        assert_eq!(page.polling_interval_ms, Some(2500));
        assert_eq!(page.next_page_token.as_deref(), Some("tok2"));
        assert!(page.ended);
        assert_eq!(page.events.len(), 5);
        assert!(
            matches!(&page.events[0], ChatEvent::Comment(c) if c.text == "how much?" && c.flags.member && c.time == UnixMs(1_714_564_800_500))
        );
        assert!(matches!(&page.events[1], ChatEvent::Comment(c) if c.paid.as_ref().map(|m| m.minor) == Some(500)));
        assert!(matches!(&page.events[2], ChatEvent::DeleteComment { id, .. } if id.0 == "m1"));
        assert!(
            matches!(&page.events[3], ChatEvent::BanViewer(b) if b.user_id == "UC9" && b.duration_secs == Some(300))
        );
        assert_eq!(page.problems.len(), 1, "the item without an author or time is reported");
    }

    /// Recorded chat nobody here wrote drops `timestampUsec` and pays in currencies shopcast has no symbol for:
    /// the items stay, timed by the replay's offset or their arrival, the amount kept as written and flagged.
    #[test]
    fn items_without_a_time_or_a_known_currency_are_kept() {
        let item = |id: &str, renderer: &str, extra: Value| {
            let mut body = serde_json::json!({"id": id, "authorExternalChannelId": "UC1",
                "authorName": {"simpleText": "Olena"}, "message": {"runs": [{"text": "for the kettle"}]}});
            if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
                body.extend(extra.clone());
            }
            serde_json::json!({"addChatItemAction": {"item": {renderer: body}}})
        };
        let paid =
            serde_json::json!({"purchaseAmountText": {"simpleText": "₴50.00"}, "timestampUsec": "1700000000000000"});
        let body = serde_json::json!({"continuationContents": {"liveChatContinuation": {"actions": [
            {"replayChatItemAction": {"videoOffsetTimeMsec": "93500",
                "actions": [item("r1", "liveChatTextMessageRenderer", serde_json::json!({}))]}},
            item("live1", "liveChatTextMessageRenderer", serde_json::json!({})),
            item("p1", "liveChatPaidMessageRenderer", paid),
        ]}}});
        let before = crate::clock::wall_now();
        let page = parse_response(&body).expect("a page");
        assert!(page.problems.is_empty(), "{:?}", page.problems);
        let comments: Vec<&Comment> =
            page.events.iter().filter_map(|e| if let ChatEvent::Comment(c) = e { Some(c) } else { None }).collect();
        assert_eq!(comments.len(), 3, "{:?}", page.events);
        assert_eq!(comments[0].time, UnixMs(93_500), "a replayed item takes its offset into the video");
        assert!(comments[1].time >= before, "a live item without a time takes its arrival");
        assert!(comments[2].paid.is_none() && comments[2].text == "for the kettle");
        assert_eq!(comments[2].flags.paid_amount_text.as_deref(), Some("₴50.00"));
        // The Data API: a currency field that is no ISO code keeps the message and YouTube's display string.
        let body = serde_json::json!({"items": [{"id": "s1", "authorDetails": {"channelId": "UC2", "displayName": "K"},
            "snippet": {"type": "superChatEvent", "publishedAt": "2024-05-01T12:00:01Z", "superChatDetails":
            {"amountMicros": "5000000", "currency": "??", "amountDisplayString": "5.00 ??", "userComment": "hi"}}}]});
        let page = parse_response(&body).expect("a page");
        assert!(
            matches!(&page.events[..], [ChatEvent::Comment(c)] if c.paid.is_none() && c.flags.paid_amount_text.as_deref() == Some("5.00 ??")),
            "{:?}",
            page.events
        );
    }

    #[test]
    fn quota_errors_are_typed_and_not_retryable() {
        let body = json!({"error": {"code": 403, "message": "quota", "errors": [{"reason": "quotaExceeded"}]}});
        let err = parse_response(&body).expect_err("an error");
        assert_eq!(err.reason, "quotaExceeded");
        assert!(!err.is_retryable());
    }

    #[test]
    fn amounts_as_youtube_writes_them() {
        assert_eq!(
            parse_amount_text("￥846").map(|m| (m.minor, m.currency.code().to_string())),
            Some((846, "JPY".into()))
        );
        assert_eq!(parse_amount_text("$5.00").map(|m| m.minor), Some(500));
        assert_eq!(parse_amount_text("CA$1,000.00").map(|m| m.minor), Some(100_000));
        assert_eq!(parse_amount_text("€2,50").map(|m| m.minor), Some(250));
        assert_eq!(parse_amount_text("§5"), None);
        assert_eq!(parse_amount_text(""), None);
    }
}
