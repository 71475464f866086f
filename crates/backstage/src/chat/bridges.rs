//! What the bridges operators already run for Douyin, TikTok and Kuaishou send, read into comments and the
//! events around them (gifts, likes, joins, follows, shares). No sanctioned free-text chat feed exists for these
//! platforms, so shopcast reads the output of the common open-source bridges rather than the platforms (facts and
//! sources: ../shared/PLATFORMS.md §2 and §3; no code of the bridges is used):
//!
//! - `douyin-barrage-grab`: DouyinBarrageGrab's WebSocket frames `{"Type": n, "Data": "<JSON in a string>"}`
//!   (Data parsed a second time; Type 1 chat, 2 like, 3 enter, 4 follow, 5 gift, 8 share, 9 ended);
//! - `streamhawk`: StreamHawk's HTTP push `{"platform": …, "messages": [{"type": "text"|"gift"|…}]}` (Douyin,
//!   Kuaishou, TikTok, Taobao and more);
//! - `douyin-webcast`: one decoded Webcast message per line, `{"method": "WebcastChatMessage", "payload": {…}}`;
//! - `tiktok-live-connector`: the flat events TikTok-Live-Connector and TikTokLive bridges forward, with the field
//!   names before v2.4 (`comment`, `uniqueId`, `userId`) and after (`content`, `user.displayId`, `user.idStr`),
//!   bare or wrapped as `{"event": "chat", "data": {…}}`.
//!
//! Ids are read as strings (64-bit ids do not survive a JSON double). Anonymous rooms give every viewer the
//! placeholder id 111111 (or none): such a viewer is never one viewer, so each message gets an id of its own.

use super::ChatEvent;
use model::{Comment, CommentFlags, CommentId, Money, Platform, UnixMs};
use serde_json::Value;

/// The bridge formats, by their `--format` / `?format=` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bridge {
    DouyinBarrageGrab,
    Streamhawk,
    DouyinWebcast,
    TiktokLiveConnector,
}

impl Bridge {
    pub fn parse(name: &str) -> Option<Bridge> {
        match name.trim().to_ascii_lowercase().as_str() {
            "douyin-barrage-grab" => Some(Bridge::DouyinBarrageGrab),
            "streamhawk" => Some(Bridge::Streamhawk),
            "douyin-webcast" => Some(Bridge::DouyinWebcast),
            "tiktok-live-connector" | "tiktok" => Some(Bridge::TiktokLiveConnector),
            _ => None,
        }
    }
}

/// One thing a bridge reported.
#[derive(Clone, Debug, PartialEq)]
pub enum BridgeEvent {
    Chat(ChatEvent),
    /// A gift, counted once per gift sent (a streak's frames make one count); `value` in the platform's coins
    /// (抖币, TikTok diamonds) or price units when the bridge says.
    Gift {
        platform: Platform,
        user_id: String,
        user_name: String,
        gift: String,
        count: u64,
        value: Option<u64>,
    },
    /// A frame of a gift streak still going: its count comes with the streak's end.
    GiftStreak,
    /// A membership bought or gifted (a Bilibili 大航海 guard), with what it cost when the platform says.
    Membership {
        platform: Platform,
        user_id: String,
        user_name: String,
        /// The platform's words for it ("小明 bought 舰长 x1 月").
        text: String,
        amount: Option<Money>,
    },
    /// The platform ended this session's feed (Bilibili open platform `LIVE_OPEN_PLATFORM_INTERACTION_END`): the
    /// client starts a new one.
    SessionEnded {
        game_id: String,
    },
    Like {
        count: u64,
    },
    Join,
    Follow,
    Share,
    /// The host's own speech or room statistics: nothing from a viewer.
    NotFromViewer(String),
}

impl BridgeEvent {
    /// A word for counting what was read.
    pub fn kind(&self) -> &'static str {
        match self {
            BridgeEvent::Chat(ChatEvent::Comment(_)) => "comment",
            BridgeEvent::Chat(ChatEvent::ChatEnded) => "end of the live",
            BridgeEvent::Chat(_) => "other chat event",
            BridgeEvent::Gift { .. } => "gift",
            BridgeEvent::GiftStreak => "gift streak frame (counted at its end)",
            BridgeEvent::Membership { .. } => "membership",
            BridgeEvent::SessionEnded { .. } => "end of the platform session",
            BridgeEvent::Like { .. } => "like",
            BridgeEvent::Join => "join",
            BridgeEvent::Follow => "follow",
            BridgeEvent::Share => "share",
            BridgeEvent::NotFromViewer(_) => "host speech or room statistics",
        }
    }
}

impl BridgeEvent {
    /// What the show takes from this event: chat events as they are, gifts and memberships as support the host
    /// thanks (stamped `now`); `None` for what is only counted (likes, joins, follows, statistics).
    pub fn into_chat(self, now: UnixMs) -> Option<ChatEvent> {
        match self {
            BridgeEvent::Chat(event) => Some(event),
            BridgeEvent::Gift { platform, user_id, user_name, gift, count, .. } => {
                Some(ChatEvent::Support(model::Support {
                    platform,
                    user_id,
                    text: format!("{user_name} sent {gift} x{count}"),
                    user_name,
                    kind: model::SupportKind::Gift { name: gift, count },
                    amount: None,
                    time: now,
                }))
            }
            BridgeEvent::Membership { platform, user_id, user_name, text, amount } => {
                Some(ChatEvent::Support(model::Support {
                    platform,
                    user_id,
                    user_name,
                    kind: model::SupportKind::Membership,
                    amount,
                    text,
                    time: now,
                }))
            }
            _ => None,
        }
    }
}

/// A JSON value as a string id: strings as they are, numbers written out exactly.
fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn str_of(value: Option<&Value>) -> Option<&str> {
    value.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn u64_of(value: Option<&Value>) -> Option<u64> {
    match value? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(s) => s.trim().parse().ok(),
        Value::Bool(b) => Some(u64::from(*b)),
        _ => None,
    }
}

/// The first of several paths that holds something.
fn first<'a>(v: &'a Value, paths: &[&str]) -> Option<&'a Value> {
    paths.iter().find_map(|p| v.pointer(p).filter(|x| !x.is_null()))
}

/// The viewer's id, or one of this message's own when the room hides its viewers (111111, empty, 0).
fn viewer_id(id: Option<String>, message_id: &str) -> String {
    match id {
        Some(id) if id != "111111" && id != "0" => id,
        _ => format!("anonymous:{message_id}"),
    }
}

fn comment(
    platform: Platform,
    id: String,
    user_id: String,
    user_name: Option<&str>,
    text: &str,
    time: UnixMs,
) -> BridgeEvent {
    let user_name = user_name.map_or_else(|| user_id.clone(), str::to_string);
    BridgeEvent::Chat(ChatEvent::Comment(Comment {
        platform,
        id: CommentId(id),
        user_id,
        user_name,
        text: text.to_string(),
        time,
        paid: None,
        flags: CommentFlags::default(),
    }))
}

/// A time in ms (or in s, when it is too small to be ms), else `now`.
fn time_of(value: Option<&Value>, now: UnixMs) -> UnixMs {
    match u64_of(value) {
        Some(t) if t > 100_000_000_000 => UnixMs(t as i64),
        Some(t) if t > 1_000_000_000 => UnixMs(t as i64 * 1000),
        _ => now,
    }
}

/// Reads one line (or frame, or HTTP body) of `bridge`'s output. `place` names it for generated ids (the line
/// number in a file, a counter on the ingest). The error says what the line lacks.
pub fn read(bridge: Bridge, text: &str, place: usize, now: UnixMs) -> Result<Vec<BridgeEvent>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    match bridge {
        Bridge::DouyinBarrageGrab => barrage_grab(&value, now).map(|e| vec![e]),
        Bridge::Streamhawk => streamhawk(&value, place, now),
        Bridge::DouyinWebcast => webcast(&value, now).map(|e| vec![e]),
        Bridge::TiktokLiveConnector => tiktok(&value, now).map(|e| vec![e]),
    }
}

fn barrage_grab(frame: &Value, now: UnixMs) -> Result<BridgeEvent, String> {
    let kind = u64_of(frame.get("Type")).ok_or("the frame has no \"Type\"")?;
    // Data is JSON inside a string; some forks send the object itself.
    let data: Value = match frame.get("Data") {
        Some(Value::String(s)) => serde_json::from_str(s).map_err(|e| format!("\"Data\" is not JSON: {e}"))?,
        Some(v @ Value::Object(_)) => v.clone(),
        _ => return Err("the frame has no \"Data\"".into()),
    };
    let msg_id = id_of(data.get("MsgId")).unwrap_or_default();
    let user = data.get("User");
    let user_id = viewer_id(id_of(user.and_then(|u| u.get("Id"))), &msg_id);
    let name = str_of(user.and_then(|u| u.get("Nickname")));
    match kind {
        1 => {
            if msg_id.is_empty() {
                return Err("a chat message without \"MsgId\"".into());
            }
            let content = str_of(data.get("Content")).ok_or("a chat message without \"Content\"")?;
            Ok(comment(Platform::Douyin, msg_id, user_id, name, content, now))
        }
        2 => Ok(BridgeEvent::Like { count: u64_of(data.get("Count")).unwrap_or(1) }),
        3 => Ok(BridgeEvent::Join),
        4 => Ok(BridgeEvent::Follow),
        // The bridge already folds a combo into increments: GiftCount is new gifts since its last frame.
        5 => Ok(BridgeEvent::Gift {
            platform: Platform::Douyin,
            user_name: name.map_or_else(|| user_id.clone(), str::to_string),
            user_id,
            gift: str_of(data.get("GiftName")).unwrap_or("a gift").to_string(),
            count: u64_of(data.get("GiftCount")).unwrap_or(1),
            value: u64_of(data.get("DiamondCount")).map(|d| d * u64_of(data.get("GiftCount")).unwrap_or(1)),
        }),
        8 => Ok(BridgeEvent::Share),
        9 => Ok(BridgeEvent::Chat(ChatEvent::ChatEnded)),
        6 | 7 => Ok(BridgeEvent::NotFromViewer(format!("DouyinBarrageGrab Type {kind}"))),
        other => Err(format!("\"Type\" {other} is not one DouyinBarrageGrab sends (1 to 9)")),
    }
}

fn platform_named(name: &str) -> Platform {
    match name.to_ascii_lowercase().as_str() {
        "douyin" => Platform::Douyin,
        "kuaishou" => Platform::Kuaishou,
        "tiktok" => Platform::Tiktok,
        "bilibili" => Platform::Bilibili,
        _ => Platform::Generic,
    }
}

fn streamhawk(body: &Value, place: usize, now: UnixMs) -> Result<Vec<BridgeEvent>, String> {
    let messages = body.get("messages").and_then(Value::as_array).ok_or("the push has no \"messages\" array")?;
    let outer = str_of(body.get("platform")).unwrap_or("");
    let mut out = Vec::with_capacity(messages.len());
    for (i, m) in messages.iter().enumerate() {
        let platform = platform_named(str_of(m.get("platform")).unwrap_or(outer));
        // StreamHawk gives messages no id: one is made from where the message was read.
        let id = format!("streamhawk-{place}-{i}");
        let user_id = viewer_id(id_of(m.get("userId")), &id);
        let name = str_of(m.get("userName"));
        let event = match str_of(m.get("type")).unwrap_or("") {
            "text" => {
                let content = str_of(m.get("content")).ok_or(format!("message {i}: a text without \"content\""))?;
                comment(platform, id, user_id, name, content, now)
            }
            "gift" => BridgeEvent::Gift {
                platform,
                user_name: name.map_or_else(|| user_id.clone(), str::to_string),
                user_id,
                gift: str_of(m.pointer("/gift/name")).unwrap_or("a gift").to_string(),
                count: u64_of(m.pointer("/gift/comboCount")).unwrap_or(1),
                value: u64_of(m.pointer("/gift/price")),
            },
            "like" => BridgeEvent::Like { count: 1 },
            "entrance" => BridgeEvent::Join,
            "streamer" => BridgeEvent::NotFromViewer("the host's own speech (StreamHawk ASR)".into()),
            other => {
                return Err(format!("message {i}: \"type\" {other:?} is not text, gift, entrance, like or streamer"));
            }
        };
        out.push(event);
    }
    Ok(out)
}

fn webcast(message: &Value, now: UnixMs) -> Result<BridgeEvent, String> {
    let method = str_of(message.get("method")).ok_or("the message has no \"method\"")?;
    let payload = message.get("payload").ok_or("the message has no \"payload\"")?;
    let msg_id = id_of(first(payload, &["/common/msgId", "/msgId"]).or_else(|| message.get("msgId")));
    let user = payload.get("user");
    let uid = id_of(user.and_then(|u| first(u, &["/uid", "/id", "/idStr"])));
    let name = user.and_then(|u| str_of(first(u, &["/nickname", "/nickName"])));
    match method {
        "WebcastChatMessage" | "WebcastEmojiChatMessage" => {
            let msg_id = msg_id.ok_or("a chat message without \"msgId\"")?;
            let content = str_of(payload.get("content")).ok_or("a chat message without \"content\"")?;
            let time = time_of(first(payload, &["/common/createTime", "/createTime"]), now);
            Ok(comment(Platform::Douyin, msg_id.clone(), viewer_id(uid, &msg_id), name, content, time))
        }
        "WebcastGiftMessage" => {
            // A streak's frames repeat until repeatEnd; the count is taken at its end.
            if u64_of(payload.get("repeatEnd")) == Some(0) && u64_of(first(payload, &["/gift/combo"])) == Some(1) {
                return Ok(BridgeEvent::GiftStreak);
            }
            let count = u64_of(payload.get("comboCount")).or_else(|| u64_of(payload.get("repeatCount"))).unwrap_or(1);
            let user_id = viewer_id(uid, msg_id.as_deref().unwrap_or("gift"));
            Ok(BridgeEvent::Gift {
                platform: Platform::Douyin,
                user_name: name.map_or_else(|| user_id.clone(), str::to_string),
                user_id,
                gift: str_of(first(payload, &["/gift/name", "/giftName"])).unwrap_or("a gift").to_string(),
                count,
                value: u64_of(first(payload, &["/gift/diamondCount", "/diamondCount"])).map(|d| d * count),
            })
        }
        "WebcastLikeMessage" => Ok(BridgeEvent::Like { count: u64_of(payload.get("count")).unwrap_or(1) }),
        "WebcastMemberMessage" => Ok(BridgeEvent::Join),
        "WebcastSocialMessage" => {
            Ok(if u64_of(payload.get("action")) == Some(3) { BridgeEvent::Share } else { BridgeEvent::Follow })
        }
        "WebcastControlMessage" if u64_of(payload.get("status")) == Some(3) => {
            Ok(BridgeEvent::Chat(ChatEvent::ChatEnded))
        }
        other => Ok(BridgeEvent::NotFromViewer(other.to_string())),
    }
}

fn tiktok(value: &Value, now: UnixMs) -> Result<BridgeEvent, String> {
    // Wrapped ({"event": "chat", "data": {…}}) or bare; the event named or told by its fields.
    let (named, data) = match (str_of(value.get("event")).or_else(|| str_of(value.get("type"))), value.get("data")) {
        (Some(name), Some(data)) if data.is_object() => (Some(name.to_ascii_lowercase()), data),
        _ => (None, value),
    };
    let has = |k: &str| data.get(k).is_some_and(|v| !v.is_null());
    let kind = named.unwrap_or_else(|| {
        if has("comment") || has("content") {
            "chat".into()
        } else if has("giftId") {
            "gift".into()
        } else if has("likeCount") || (has("count") && has("total")) {
            "like".into()
        } else if data.get("displayType").and_then(Value::as_str).is_some_and(|d| d.contains("follow")) {
            "follow".into()
        } else if data.get("displayType").and_then(Value::as_str).is_some_and(|d| d.contains("share")) {
            "share".into()
        } else if has("actionId") || has("memberCount") {
            "member".into()
        } else if has("viewerCount") {
            "roomuser".into()
        } else {
            String::new()
        }
    });
    let msg_id = id_of(first(data, &["/msgId", "/common/msgId"]));
    let uid = id_of(first(data, &["/userId", "/user/userId", "/user/idStr", "/user/id"]));
    let name = str_of(first(data, &["/nickname", "/user/nickname"]))
        .or_else(|| str_of(first(data, &["/uniqueId", "/user/uniqueId", "/user/displayId"])));
    match kind.as_str() {
        "chat" | "comment" => {
            let msg_id = msg_id.ok_or("a chat event without \"msgId\"")?;
            let text = str_of(first(data, &["/comment", "/content"])).ok_or("a chat event without \"comment\"")?;
            let time = time_of(first(data, &["/createTime", "/common/createTime"]), now);
            Ok(comment(Platform::Tiktok, msg_id.clone(), viewer_id(uid, &msg_id), name, text, time))
        }
        "gift" => {
            let streakable = u64_of(first(data, &["/giftType", "/gift/type", "/giftDetails/giftType"])) == Some(1);
            let ended = u64_of(data.get("repeatEnd")).is_some_and(|e| e != 0);
            if streakable && !ended {
                return Ok(BridgeEvent::GiftStreak);
            }
            let count = u64_of(data.get("repeatCount")).unwrap_or(1).max(1);
            let user_id = viewer_id(uid, msg_id.as_deref().unwrap_or("gift"));
            let diamonds = u64_of(first(data, &["/diamondCount", "/giftDetails/diamondCount", "/gift/diamondCount"]));
            Ok(BridgeEvent::Gift {
                platform: Platform::Tiktok,
                user_name: name.map_or_else(|| user_id.clone(), str::to_string),
                user_id,
                gift: str_of(first(data, &["/giftName", "/giftDetails/giftName", "/gift/name"]))
                    .unwrap_or("a gift")
                    .to_string(),
                count,
                value: diamonds.map(|d| d * count),
            })
        }
        "like" => Ok(BridgeEvent::Like { count: u64_of(first(data, &["/likeCount", "/count"])).unwrap_or(1) }),
        "member" => Ok(BridgeEvent::Join),
        "follow" => Ok(BridgeEvent::Follow),
        "share" => Ok(BridgeEvent::Share),
        "social" => Ok(BridgeEvent::Follow),
        "roomuser" => Ok(BridgeEvent::NotFromViewer("room statistics".into())),
        "streamend" => Ok(BridgeEvent::Chat(ChatEvent::ChatEnded)),
        "" => Err("neither a chat, gift, like, member, social nor room event".into()),
        other => Ok(BridgeEvent::NotFromViewer(other.to_string())),
    }
}

#[cfg(test)]
#[path = "bridges_tests.rs"]
mod tests;
