//! Bilibili live danmaku packets (the web client's and the open platform's WebSocket framing) into comments,
//! paid messages and gifts. Facts and sources: ../shared/PLATFORMS.md §1 (blivedm, bilibili-API-collect; no code
//! of theirs is used).
//!
//! A packet is a 16-byte big-endian header (total length u32, header length u16 = 16, protover u16, operation
//! u32, sequence u32) and a body. Operation 5 carries business messages: protover 0 is one JSON body, 2 a zlib
//! body and 3 a brotli body that hold further complete packets, read in turn. Operation 3 (heartbeat reply) has a
//! length field the server gets wrong: its body is read as 4 bytes of (deprecated) popularity and the frame is
//! not walked by it. Several packets may follow each other in one frame or file.
//!
//! Commands (`cmd`, with any `:…` suffix cut): `DANMU_MSG` (and `_MIRROR`) as comments, `SUPER_CHAT_MESSAGE` as
//! a paid comment in CNY, `SEND_GIFT` and `SEND_GIFT_V2` (a base64 protobuf in `data.pb`, its `gift_list`
//! repeated, only frames whose `switch` is set) as gifts, `GUARD_BUY` as a membership in CNY, `INTERACT_WORD` and the
//! protobuf `INTERACT_WORD_V2` as enter, follow and share, `WATCHED_CHANGE` and `LIKE_INFO_V3_UPDATE` as room
//! counts, `LIKE_INFO_V3_CLICK` likes. Every other command is counted and ignored.
//!
//! The open platform (直播开放平台, [`super::bilibili_open`]) uses the same framing with its own commands,
//! `LIVE_OPEN_PLATFORM_DM`, `_SUPER_CHAT` (and `_DEL`), `_SEND_GIFT`, `_GUARD`, `_LIKE`, `_LIVE_ROOM_ENTER` and
//! `_INTERACTION_END`, read here as well; its viewers are `open_id`s.

use super::ChatEvent;
use super::bridges::BridgeEvent;
use model::{Comment, CommentFlags, CommentId, Currency, Money, Platform, UnixMs};
use serde_json::Value;
use std::io::Read;

/// A decompressed body larger than this is cut (a hostile or broken frame cannot make memory grow).
const MAX_BODY: usize = 4 << 20;
/// Packets nested deeper than this are not real frames.
const MAX_DEPTH: usize = 4;

/// What one frame or file held: the events in order, and one reason for each thing that could not be read,
/// with the byte offset where it was.
#[derive(Debug, Default)]
pub struct Decoded {
    pub events: Vec<BridgeEvent>,
    pub problems: Vec<(usize, String)>,
    /// Commands counted and ignored, by name.
    pub ignored: Vec<(String, usize)>,
}

impl Decoded {
    fn ignore(&mut self, cmd: &str) {
        match self.ignored.iter_mut().find(|(c, _)| c == cmd) {
            Some((_, n)) => *n += 1,
            None => self.ignored.push((cmd.to_string(), 1)),
        }
    }
}

fn u32_at(buf: &[u8], at: usize) -> Option<u32> {
    buf.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fn u16_at(buf: &[u8], at: usize) -> Option<u16> {
    buf.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]))
}

/// Operations of the packet header this side sends and waits for.
pub const OP_HEARTBEAT: u32 = 2;
pub const OP_AUTH: u32 = 7;
pub const OP_AUTH_REPLY: u32 = 8;

/// One packet: the 16-byte header (protover `ver`, operation `op`, sequence 1) and `body`.
pub fn packet(ver: u16, op: u32, body: &[u8]) -> Vec<u8> {
    let total = u32::try_from(16 + body.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&16u16.to_be_bytes());
    out.extend_from_slice(&ver.to_be_bytes());
    out.extend_from_slice(&op.to_be_bytes());
    out.extend_from_slice(&1u32.to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// The auth reply (operation 8) at the start of `frame`: `Some(code)`, 0 when the server took the auth body;
/// `None` when the frame is something else; -1 when the reply holds no readable code.
pub fn auth_reply(frame: &[u8]) -> Option<i64> {
    let (len, header, op) = (u32_at(frame, 0)? as usize, u16_at(frame, 4)? as usize, u32_at(frame, 8)?);
    if op != OP_AUTH_REPLY {
        return None;
    }
    let body = frame.get(header.max(16)..len.min(frame.len())).unwrap_or_default();
    // A reply without a readable code is not an acceptance: -1.
    Some(serde_json::from_slice::<Value>(body).ok().and_then(|v| v.get("code").and_then(Value::as_i64)).unwrap_or(-1))
}

/// Reads every packet in `buf` (a WebSocket frame, or a file of frames as received, concatenated).
pub fn decode(buf: &[u8]) -> Decoded {
    let mut out = Decoded::default();
    walk(buf, 0, 0, &mut out);
    out
}

fn walk(buf: &[u8], base: usize, depth: usize, out: &mut Decoded) {
    if depth > MAX_DEPTH {
        out.problems.push((base, "packets nested too deeply".into()));
        return;
    }
    let mut at = 0;
    while at < buf.len() {
        let (Some(len), Some(header), Some(ver), Some(op)) =
            (u32_at(buf, at), u16_at(buf, at + 4), u16_at(buf, at + 6), u32_at(buf, at + 8))
        else {
            out.problems.push((base + at, format!("{} byte(s) left, too few for a 16-byte header", buf.len() - at)));
            return;
        };
        let (len, header) = (len as usize, header as usize);
        if op == 3 {
            // The heartbeat reply's length field is wrong (PLATFORMS.md §1.2): read its 4-byte popularity only.
            // What follows in the frame is the echoed heartbeat text, not a packet.
            out.events.push(BridgeEvent::NotFromViewer("heartbeat reply".into()));
            return;
        }
        if header < 16 || len < header {
            out.problems.push((base + at, format!("a header of {header} bytes in a packet of {len}: not a packet")));
            return;
        }
        let Some(body) = buf.get(at + header..at + len) else {
            out.problems.push((base + at, format!("a packet of {len} bytes cut short at {}", buf.len() - at)));
            return;
        };
        match (op, ver) {
            (5, 2) => match inflate(flate2::read::ZlibDecoder::new(body)) {
                Ok(inner) => walk(&inner, base + at + header, depth + 1, out),
                Err(e) => out.problems.push((base + at, format!("the zlib body cannot be read: {e}"))),
            },
            (5, 3) => match inflate(brotli_decompressor::Decompressor::new(body, 4096)) {
                Ok(inner) => walk(&inner, base + at + header, depth + 1, out),
                Err(e) => out.problems.push((base + at, format!("the brotli body cannot be read: {e}"))),
            },
            (5, _) => message(body, base + at, out),
            (8, _) => out.events.push(BridgeEvent::NotFromViewer("auth reply".into())),
            (other, _) => out.ignore(&format!("operation {other}")),
        }
        at += len.max(16);
    }
}

fn inflate(mut reader: impl Read) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let n = reader.read(&mut chunk)?;
        if n == 0 || out.len() >= MAX_BODY {
            return Ok(out);
        }
        out.extend_from_slice(&chunk[..n.min(MAX_BODY - out.len())]);
    }
}

fn message(body: &[u8], at: usize, out: &mut Decoded) {
    // Danmaku, most of every room's traffic, are read typed; anything else (or a danmaku of another shape) is read
    // as a `Value` below.
    if let Some(read) = fast::danmaku(body) {
        return out.events.push(read.into_event());
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => return out.problems.push((at, format!("a message body that is not JSON: {e}"))),
    };
    let Some(cmd) = value.get("cmd").and_then(Value::as_str) else {
        return out.problems.push((at, "a message without \"cmd\"".into()));
    };
    let cmd = cmd.split(':').next().unwrap_or(cmd);
    let read = match cmd {
        "DANMU_MSG" | "DANMU_MSG_MIRROR" => danmaku(&value),
        "SUPER_CHAT_MESSAGE" => super_chat(&value),
        "SEND_GIFT" => gift_v1(&value),
        "SEND_GIFT_V2" => return gift_v2(&value, at, out),
        "INTERACT_WORD" => Ok(interaction(value.pointer("/data/msg_type").and_then(Value::as_u64))),
        "INTERACT_WORD_V2" => interact_v2(&value),
        "GUARD_BUY" => guard_buy(&value),
        "LIKE_INFO_V3_CLICK" => Ok(BridgeEvent::Like { count: 1 }),
        "LIKE_INFO_V3_UPDATE" => {
            counter(&value, "/data/click_count").map(|n| BridgeEvent::NotFromViewer(format!("{n} likes in all")))
        }
        "WATCHED_CHANGE" => counter(&value, "/data/num").map(|n| BridgeEvent::NotFromViewer(format!("watched by {n}"))),
        _ if cmd.starts_with("LIVE_OPEN_PLATFORM_") => return open_platform(cmd, &value, at, out),
        other => return out.ignore(other),
    };
    match read {
        Ok(event) => out.events.push(event),
        Err(reason) => out.problems.push((at, format!("{cmd}: {reason}"))),
    }
}

/// `INTERACT_WORD`'s `msg_type`: 1 enter, 2 follow, 3 share, 4 and 5 kinds of follow, 6 a like.
fn interaction(msg_type: Option<u64>) -> BridgeEvent {
    match msg_type {
        Some(2 | 4 | 5) => BridgeEvent::Follow,
        Some(3) => BridgeEvent::Share,
        Some(6) => BridgeEvent::Like { count: 1 },
        _ => BridgeEvent::Join,
    }
}

/// `INTERACT_WORD_V2`: the same event as a base64 protobuf in `data.pb` (field 5 `msg_type`).
fn interact_v2(value: &Value) -> Result<BridgeEvent, String> {
    let pb = value.pointer("/data/pb").and_then(Value::as_str).ok_or("no \"data.pb\"")?;
    let bytes = base64_decode(pb).ok_or("\"data.pb\" is not base64")?;
    let fields = proto_fields(&bytes)?;
    Ok(interaction(fields.iter().find_map(|(n, f)| (*n == 5).then(|| f.varint()).flatten())))
}

/// A room counter (watched, likes in all).
fn counter(value: &Value, path: &str) -> Result<u64, String> {
    value.pointer(path).and_then(Value::as_u64).ok_or_else(|| format!("no number at {path}"))
}

/// Bilibili's money: `price` fields in 1/1000 yuan (金瓜子, or the open platform's "1000 = ¥1").
fn cny_thousandths(thousandths: u64) -> Option<Money> {
    let minor = i64::try_from(thousandths / 10).ok()?;
    Some(Money { minor, currency: Currency::parse("CNY")? })
}

fn guard_name(level: Option<u64>) -> &'static str {
    match level {
        Some(1) => "总督",
        Some(2) => "提督",
        _ => "舰长",
    }
}

/// `GUARD_BUY`: a 大航海 guard bought (`USER_TOAST_MSG_V2` repeats the same purchase and is only counted).
fn guard_buy(value: &Value) -> Result<BridgeEvent, String> {
    let data = value.get("data").ok_or("no \"data\"")?;
    let user_id = id_of(data.get("uid")).ok_or("no \"data.uid\"")?;
    let user_name = data.get("username").and_then(Value::as_str).unwrap_or(&user_id).to_string();
    let level = data
        .get("gift_name")
        .and_then(Value::as_str)
        .unwrap_or(guard_name(data.get("guard_level").and_then(Value::as_u64)));
    let num = data.get("num").and_then(Value::as_u64).unwrap_or(1);
    Ok(BridgeEvent::Membership {
        platform: Platform::Bilibili,
        text: format!("{user_name} bought {level} x{num}"),
        user_id,
        user_name,
        amount: data.get("price").and_then(Value::as_u64).and_then(cny_thousandths),
    })
}

/// The open platform's commands (`LIVE_OPEN_PLATFORM_*`, PLATFORMS.md §1.7): viewers are `open_id`s.
fn open_platform(cmd: &str, value: &Value, at: usize, out: &mut Decoded) {
    let Some(data) = value.get("data") else {
        return out.problems.push((at, format!("{cmd}: no \"data\"")));
    };
    let text = |key: &str| data.get(key).and_then(Value::as_str).unwrap_or("").to_string();
    let seconds =
        |key: &str| data.get(key).and_then(Value::as_i64).map_or(UnixMs(0), |s| UnixMs(s.saturating_mul(1000)));
    let who = |id: Option<String>, message: &str, name: String| {
        let id = viewer(id, message);
        let name = if name.is_empty() { id.clone() } else { name };
        (id, name)
    };
    let read = match cmd {
        "LIVE_OPEN_PLATFORM_DM" | "LIVE_OPEN_PLATFORM_DM_MIRROR" => match id_of(data.get("msg_id")) {
            Some(id) => {
                let (user_id, name) = who(id_of(data.get("open_id")), &id, text("uname"));
                Ok(comment(id, user_id, name, text("msg"), seconds("timestamp"), None))
            }
            None => Err("no \"msg_id\"".to_string()),
        },
        "LIVE_OPEN_PLATFORM_SUPER_CHAT" => {
            let yuan = data.get("rmb").and_then(Value::as_f64).filter(|y| y.is_finite() && *y >= 0.0);
            match (id_of(data.get("message_id")), yuan, Currency::parse("CNY")) {
                (Some(id), Some(yuan), Some(cny)) => {
                    let (user_id, name) = who(id_of(data.get("open_id")), &id, text("uname"));
                    let paid = Money { minor: (yuan * 100.0).round() as i64, currency: cny };
                    let time = seconds("start_time");
                    Ok(comment(format!("sc-{id}"), user_id, name, text("message"), time, Some(paid)))
                }
                (None, _, _) => Err("no \"message_id\"".to_string()),
                _ => Err("no \"rmb\" amount".to_string()),
            }
        }
        "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL" => {
            let ids = data.get("message_ids").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
            for id in ids.iter().filter_map(|id| id_of(Some(id))) {
                let id = CommentId(format!("sc-{id}"));
                out.events.push(BridgeEvent::Chat(ChatEvent::DeleteComment { platform: Platform::Bilibili, id }));
            }
            return;
        }
        "LIVE_OPEN_PLATFORM_SEND_GIFT" => {
            let message = text("msg_id");
            let (user_id, user_name) = who(id_of(data.get("open_id")), &message, text("uname"));
            let count = data.get("gift_num").and_then(Value::as_u64).unwrap_or(1);
            let paid = data.get("paid").and_then(Value::as_bool).unwrap_or(false);
            let value = data.get("r_price").and_then(Value::as_u64).filter(|_| paid).map(|p| p.saturating_mul(count));
            let gift = data.get("gift_name").and_then(Value::as_str).unwrap_or("a gift").to_string();
            Ok(BridgeEvent::Gift { platform: Platform::Bilibili, user_id, user_name, gift, count, value })
        }
        "LIVE_OPEN_PLATFORM_GUARD" => {
            let user = data.get("user_info");
            let name = user.and_then(|u| u.get("uname")).and_then(Value::as_str).unwrap_or("").to_string();
            let (user_id, user_name) = who(id_of(user.and_then(|u| u.get("open_id"))), &text("msg_id"), name);
            let level = guard_name(data.get("guard_level").and_then(Value::as_u64));
            let num = data.get("guard_num").and_then(Value::as_u64).unwrap_or(1);
            Ok(BridgeEvent::Membership {
                platform: Platform::Bilibili,
                text: format!("{user_name} bought {level} x{num} {}", text("guard_unit")).trim_end().to_string(),
                user_id,
                user_name,
                amount: data.get("price").and_then(Value::as_u64).and_then(cny_thousandths),
            })
        }
        "LIVE_OPEN_PLATFORM_LIKE" => {
            Ok(BridgeEvent::Like { count: data.get("like_count").and_then(Value::as_u64).unwrap_or(1) })
        }
        "LIVE_OPEN_PLATFORM_LIVE_ROOM_ENTER" => Ok(BridgeEvent::Join),
        "LIVE_OPEN_PLATFORM_LIVE_START" => Ok(BridgeEvent::NotFromViewer("the live started".into())),
        "LIVE_OPEN_PLATFORM_LIVE_END" => Ok(BridgeEvent::NotFromViewer("the live ended".into())),
        "LIVE_OPEN_PLATFORM_INTERACTION_END" => Ok(BridgeEvent::SessionEnded { game_id: text("game_id") }),
        other => return out.ignore(other),
    };
    match read {
        Ok(event) => out.events.push(event),
        Err(reason) => out.problems.push((at, format!("{cmd}: {reason}"))),
    }
}

fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A viewer id, or one of the message's own in an anonymised room (uid 0).
fn viewer(uid: Option<String>, message_id: &str) -> String {
    match uid {
        Some(uid) if uid != "0" => uid,
        _ => format!("anonymous:{message_id}"),
    }
}

fn comment(
    id: String,
    user_id: String,
    user_name: String,
    text: String,
    time: UnixMs,
    paid: Option<Money>,
) -> BridgeEvent {
    BridgeEvent::Chat(ChatEvent::Comment(Comment {
        platform: Platform::Bilibili,
        id: CommentId(id),
        user_id,
        user_name,
        text,
        time,
        paid,
        flags: CommentFlags::default(),
    }))
}

fn danmaku(value: &Value) -> Result<BridgeEvent, String> {
    let info = value.get("info").and_then(Value::as_array).ok_or("no \"info\" array")?;
    let text = info.get(1).and_then(Value::as_str).ok_or("no text at info[1]")?;
    let time =
        info.first().and_then(|m| m.get(4)).and_then(Value::as_i64).map(UnixMs).ok_or("no time at info[0][4]")?;
    // The per-message id is inside a JSON string at info[0][15].extra; without it, the time and rnd name it.
    let extra = info.first().and_then(|m| m.pointer("/15/extra")).and_then(Value::as_str);
    let id = extra
        .and_then(|e| serde_json::from_str::<Value>(e).ok())
        .and_then(|e| id_of(e.get("id_str")))
        .or_else(|| {
            let rnd = info.first().and_then(|m| id_of(m.get(5)))?;
            Some(format!("{}-{rnd}", time.0))
        })
        .ok_or("no message id (info[0][15].extra.id_str or info[0][5])")?;
    let user = info.get(2).and_then(Value::as_array);
    let uid = user.and_then(|u| id_of(u.first()));
    let name = user.and_then(|u| u.get(1)).and_then(Value::as_str).unwrap_or("");
    let user_id = viewer(uid, &id);
    let name = if name.is_empty() { user_id.clone() } else { name.to_string() };
    Ok(comment(id, user_id, name, text.to_string(), time, None))
}

impl fast::Read {
    /// The comment, exactly as [`danmaku`] makes it.
    fn into_event(self) -> BridgeEvent {
        let user_id = viewer(self.uid, &self.id);
        let name = if self.name.is_empty() { user_id.clone() } else { self.name };
        comment(self.id, user_id, name, self.text, UnixMs(self.time), None)
    }
}

/// The fast path for `DANMU_MSG`, the bulk of every room's traffic: a strict hand-written JSON scanner that keeps
/// only what a comment needs (`cmd`, `info[0][4]` time, `info[0][5]` rnd, `info[0][15].extra`, `info[1]` text,
/// `info[2][0..2]` viewer) and validates the rest without building anything. It accepts a subset of JSON and of
/// the documented shape; for anything else (another command, a number it would have to reformat, a duplicate key,
/// deep nesting, a field of another type) it declines, and the general path reads the message as a `Value` and
/// names what is wrong. A test checks on generated variants that what it reads is what the general path reads.
mod fast {
    use std::borrow::Cow;

    /// Nesting deeper than this is declined (serde_json's own limit is 128).
    const MAX_DEPTH: usize = 100;

    pub(super) struct Read {
        pub(super) id: String,
        pub(super) uid: Option<String>,
        pub(super) name: String,
        pub(super) text: String,
        pub(super) time: i64,
    }

    /// A cursor over a body already known to be UTF-8 (checked once, whole): slices cut at ASCII bytes are text.
    struct Scan<'a> {
        s: &'a str,
        b: &'a [u8],
        i: usize,
    }

    /// A JSON id as the general path turns it into text: a non-empty string as it is, an integer in its digits.
    enum Id<'a> {
        Text(Cow<'a, str>),
        Int(&'a str),
        /// Anything else (null, false, an empty string, an object...): no id.
        Other,
    }

    impl Id<'_> {
        fn into_string(self) -> Option<String> {
            match self {
                Id::Text(t) if !t.is_empty() => Some(t.into_owned()),
                Id::Int(digits) => Some(digits.to_string()),
                _ => None,
            }
        }
    }

    impl<'a> Scan<'a> {
        fn ws(&mut self) {
            while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
                self.i += 1;
            }
        }

        fn peek(&mut self) -> Option<u8> {
            self.ws();
            self.b.get(self.i).copied()
        }

        fn eat(&mut self, c: u8) -> Option<()> {
            (self.peek()? == c).then(|| self.i += 1)
        }

        /// After an element or member: `true` for a comma (another follows), `false` for the closing `close`.
        fn next(&mut self, close: u8) -> Option<bool> {
            match self.peek()? {
                b',' => {
                    self.i += 1;
                    Some(true)
                }
                c if c == close => {
                    self.i += 1;
                    Some(false)
                }
                _ => None,
            }
        }

        /// A string, borrowed when it has no escapes.
        /// Moves to the next quote, backslash or control byte (the bytes a string's plain run ends at).
        fn skip_plain(&mut self) {
            let rest = self.b.get(self.i..).unwrap_or(&[]);
            self.i += rest.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(rest.len());
        }

        fn string(&mut self) -> Option<Cow<'a, str>> {
            self.eat(b'"')?;
            let start = self.i;
            self.skip_plain();
            match *self.b.get(self.i)? {
                b'"' => {
                    let s = self.s.get(start..self.i)?;
                    self.i += 1;
                    return Some(Cow::Borrowed(s));
                }
                b'\\' => {}
                _ => return None,
            }
            // Escapes: read it again from its opening quote into a string of its own.
            self.i = start - 1;
            let mut out = String::with_capacity((self.b.len() - start).min(512));
            self.string_into(&mut out)?;
            Some(Cow::Owned(out))
        }

        /// A string, unescaped onto the end of `out`.
        fn string_into(&mut self, out: &mut String) -> Option<()> {
            self.eat(b'"')?;
            loop {
                let run = self.i;
                self.skip_plain();
                out.push_str(self.s.get(run..self.i)?);
                match *self.b.get(self.i)? {
                    b'"' => {
                        self.i += 1;
                        return Some(());
                    }
                    b'\\' => out.push(self.escape()?),
                    _ => return None,
                }
            }
        }

        /// One escape, from its backslash: the character it stands for (a surrogate pair as one), or `None` for
        /// one JSON does not allow or the fast path does not read (a lone surrogate).
        fn escape(&mut self) -> Option<char> {
            let c = *self.b.get(self.i + 1)?;
            self.i += 2;
            Some(match c {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let high = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&high) {
                        if self.b.get(self.i..self.i + 2)? != b"\\u" {
                            return None;
                        }
                        self.i += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&low) {
                            return None;
                        }
                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        high
                    };
                    char::from_u32(code)?
                }
                _ => return None,
            })
        }

        fn hex4(&mut self) -> Option<u32> {
            let digits = self.s.get(self.i..self.i + 4)?;
            if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            self.i += 4;
            u32::from_str_radix(digits, 16).ok()
        }

        /// A number's text, checked against JSON's grammar.
        fn number(&mut self) -> Option<&'a str> {
            self.ws();
            let start = self.i;
            let digit = |s: &Self| s.b.get(s.i).is_some_and(u8::is_ascii_digit);
            if self.b.get(self.i) == Some(&b'-') {
                self.i += 1;
            }
            match self.b.get(self.i)? {
                b'0' => self.i += 1,
                b'1'..=b'9' => {
                    while digit(self) {
                        self.i += 1;
                    }
                }
                _ => return None,
            }
            if self.b.get(self.i) == Some(&b'.') {
                self.i += 1;
                if !digit(self) {
                    return None;
                }
                while digit(self) {
                    self.i += 1;
                }
            }
            if let Some(b'e' | b'E') = self.b.get(self.i) {
                self.i += 1;
                if let Some(b'+' | b'-') = self.b.get(self.i) {
                    self.i += 1;
                }
                if !digit(self) {
                    return None;
                }
                while digit(self) {
                    self.i += 1;
                }
            }
            self.s.get(start..self.i)
        }

        /// A string, validated as [`Scan::string`] would read it, and not kept.
        fn skip_string(&mut self) -> Option<()> {
            self.eat(b'"')?;
            loop {
                self.skip_plain();
                match *self.b.get(self.i)? {
                    b'"' => {
                        self.i += 1;
                        return Some(());
                    }
                    b'\\' => {
                        self.escape()?;
                    }
                    _ => return None,
                }
            }
        }

        /// An integer serde_json keeps as one (in i64 or u64, no fraction or exponent, not "-0").
        fn integer(text: &str) -> bool {
            !text.contains(['.', 'e', 'E'])
                && text != "-0"
                && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
        }

        fn literal(&mut self, word: &[u8]) -> Option<()> {
            self.ws();
            (self.b.get(self.i..self.i + word.len())? == word).then(|| self.i += word.len())
        }

        /// Any value, validated and thrown away.
        fn skip(&mut self, depth: usize) -> Option<()> {
            if depth > MAX_DEPTH {
                return None;
            }
            match self.peek()? {
                b'"' => self.skip_string(),
                b'{' => {
                    self.i += 1;
                    if self.peek()? == b'}' {
                        self.i += 1;
                        return Some(());
                    }
                    loop {
                        self.string()?;
                        self.eat(b':')?;
                        self.skip(depth + 1)?;
                        if !self.next(b'}')? {
                            return Some(());
                        }
                    }
                }
                b'[' => {
                    self.i += 1;
                    if self.peek()? == b']' {
                        self.i += 1;
                        return Some(());
                    }
                    loop {
                        self.skip(depth + 1)?;
                        if !self.next(b']')? {
                            return Some(());
                        }
                    }
                }
                b't' => self.literal(b"true"),
                b'f' => self.literal(b"false"),
                b'n' => self.literal(b"null"),
                _ => self.number().map(drop),
            }
        }

        fn id(&mut self, depth: usize) -> Option<Id<'a>> {
            match self.peek()? {
                b'"' => Some(Id::Text(self.string()?)),
                b'-' | b'0'..=b'9' => {
                    let n = self.number()?;
                    Scan::integer(n).then_some(Id::Int(n))
                }
                _ => self.skip(depth).map(|()| Id::Other),
            }
        }

        /// The elements of an array, each handed to `each` with its index (which must consume it).
        fn array(&mut self, mut each: impl FnMut(&mut Self, usize) -> Option<()>) -> Option<()> {
            self.eat(b'[')?;
            if self.peek()? == b']' {
                self.i += 1;
                return Some(());
            }
            let mut index = 0;
            loop {
                each(self, index)?;
                index += 1;
                if !self.next(b']')? {
                    return Some(());
                }
            }
        }

        /// The members of an object, each handed to `each` with its key (which must consume the value).
        fn object(&mut self, mut each: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
            self.eat(b'{')?;
            if self.peek()? == b'}' {
                self.i += 1;
                return Some(());
            }
            loop {
                let key = self.string()?;
                self.eat(b':')?;
                each(self, &key)?;
                if !self.next(b'}')? {
                    return Some(());
                }
            }
        }

        fn end(&mut self) -> Option<()> {
            self.ws();
            (self.i == self.b.len()).then_some(())
        }
    }

    /// `extra`'s `id_str`, when `extra` is a JSON object this scanner accepts (`Some(None)`: accepted, no id).
    fn extra_id(extra: &str) -> Option<Option<String>> {
        let mut scan = Scan { s: extra, b: extra.as_bytes(), i: 0 };
        let mut id = None;
        let mut seen = false;
        scan.object(|s, key| {
            if key == "id_str" {
                if seen {
                    return None;
                }
                seen = true;
                id = s.id(2)?.into_string();
                Some(())
            } else {
                s.skip(2)
            }
        })?;
        scan.end()?;
        Some(id)
    }

    pub(super) fn danmaku(body: &[u8]) -> Option<Read> {
        let json = std::str::from_utf8(body).ok()?;
        let mut scan = Scan { s: json, b: body, i: 0 };
        let (mut is_danmaku, mut seen_info) = (false, false);
        let mut time = None;
        let mut rnd: Option<Option<String>> = None;
        let mut extra: Option<Cow<'_, str>> = None;
        let mut text = None;
        let (mut uid, mut name) = (None, None);
        scan.object(|s, key| match key {
            "cmd" => {
                if is_danmaku {
                    return None;
                }
                let cmd = s.string()?;
                let head = cmd.split(':').next().unwrap_or("");
                is_danmaku = head == "DANMU_MSG" || head == "DANMU_MSG_MIRROR";
                is_danmaku.then_some(())
            }
            "info" => {
                if seen_info {
                    return None;
                }
                seen_info = true;
                s.array(|s, i| match i {
                    0 => s.array(|s, j| match j {
                        4 => {
                            let n = s.number()?;
                            time = Some(n.parse::<i64>().ok().filter(|_| Scan::integer(n))?);
                            Some(())
                        }
                        5 => {
                            rnd = Some(s.id(3)?.into_string());
                            Some(())
                        }
                        15 if s.peek()? == b'{' => s.object(|s, key| {
                            if key == "extra" {
                                if extra.is_some() {
                                    return None;
                                }
                                extra = Some(s.string()?);
                                Some(())
                            } else {
                                s.skip(4)
                            }
                        }),
                        _ => s.skip(3),
                    }),
                    1 => {
                        text = Some(s.string()?);
                        Some(())
                    }
                    2 if s.peek()? == b'[' => s.array(|s, j| match j {
                        0 => {
                            uid = s.id(3)?.into_string();
                            Some(())
                        }
                        1 if s.peek()? == b'"' => {
                            name = Some(s.string()?);
                            Some(())
                        }
                        _ => s.skip(3),
                    }),
                    _ => s.skip(2),
                })
            }
            _ => s.skip(1),
        })?;
        scan.end()?;
        if !is_danmaku {
            return None;
        }
        let time = time?;
        let from_extra = match extra.as_deref() {
            Some(extra) => extra_id(extra)?,
            None => None,
        };
        let id = match from_extra {
            Some(id) => id,
            None => format!("{time}-{}", rnd??),
        };
        Some(Read { id, uid, name: name.map(Cow::into_owned).unwrap_or_default(), text: text?.into_owned(), time })
    }
}

fn super_chat(value: &Value) -> Result<BridgeEvent, String> {
    let data = value.get("data").ok_or("no \"data\"")?;
    let id = id_of(data.get("id")).ok_or("no \"data.id\"")?;
    let yuan = data.get("price").and_then(Value::as_i64).ok_or("no \"data.price\"")?;
    let text = data.get("message").and_then(Value::as_str).unwrap_or("");
    let time = data.get("start_time").and_then(Value::as_i64).map_or(UnixMs(0), |s| UnixMs(s * 1000));
    let user_id = viewer(id_of(data.get("uid")), &id);
    let name = data.pointer("/user_info/uname").and_then(Value::as_str).unwrap_or(&user_id).to_string();
    let cny = Currency::parse("CNY").ok_or("no CNY")?;
    Ok(comment(
        format!("sc-{id}"),
        user_id,
        name,
        text.to_string(),
        time,
        Some(Money { minor: yuan.saturating_mul(100), currency: cny }),
    ))
}

/// Gold coins: 1000 to the yuan; silver gifts are free.
fn gift_value(coin_type: &str, total_coin: Option<u64>) -> Option<u64> {
    (coin_type == "gold").then_some(total_coin).flatten()
}

fn gift_v1(value: &Value) -> Result<BridgeEvent, String> {
    let data = value.get("data").ok_or("no \"data\"")?;
    let tid = id_of(data.get("tid")).unwrap_or_default();
    let user_id = viewer(id_of(data.get("uid")), &tid);
    let coin = data.get("coin_type").and_then(Value::as_str).unwrap_or("");
    Ok(BridgeEvent::Gift {
        platform: Platform::Bilibili,
        user_name: data.get("uname").and_then(Value::as_str).unwrap_or(&user_id).to_string(),
        user_id,
        gift: data.get("giftName").and_then(Value::as_str).unwrap_or("a gift").to_string(),
        count: data.get("num").and_then(Value::as_u64).unwrap_or(1),
        value: gift_value(coin, data.get("total_coin").and_then(Value::as_u64)),
    })
}

fn gift_v2(value: &Value, at: usize, out: &mut Decoded) {
    let Some(pb) = value.pointer("/data/pb").or_else(|| value.pointer("/data/data/pb")).and_then(Value::as_str) else {
        return out.problems.push((at, "SEND_GIFT_V2: no \"data.pb\"".into()));
    };
    let bytes = match base64_decode(pb) {
        Some(bytes) => bytes,
        None => return out.problems.push((at, "SEND_GIFT_V2: \"data.pb\" is not base64".into())),
    };
    let fields = match proto_fields(&bytes) {
        Ok(fields) => fields,
        Err(e) => return out.problems.push((at, format!("SEND_GIFT_V2: {e}"))),
    };
    // The web client shows a broadcast only when `switch` (11) is set; a frame without the field is shown too.
    if fields.iter().any(|(n, f)| *n == 11 && matches!(f, Field::Varint(0))) {
        return out.ignore("SEND_GIFT_V2 switched off");
    }
    let uid = fields.iter().find_map(|(n, f)| (*n == 1).then(|| f.varint()).flatten()).map(|u| u.to_string());
    let uname = fields.iter().find_map(|(n, f)| (*n == 2).then(|| f.text()).flatten()).unwrap_or_default();
    let mut any = false;
    for (n, field) in &fields {
        let (10, Field::Bytes(item)) = (n, field) else { continue };
        let Ok(item) = proto_fields(item) else {
            out.problems.push((at, "SEND_GIFT_V2: a gift_list item is not protobuf".into()));
            continue;
        };
        let get = |no: u64| item.iter().find(|(n, _)| *n == no).map(|(_, f)| f);
        let tid = get(9).and_then(Field::text).unwrap_or_default();
        let user_id = viewer(uid.clone(), &tid);
        let coin = get(8).and_then(Field::text).unwrap_or_default();
        out.events.push(BridgeEvent::Gift {
            platform: Platform::Bilibili,
            user_name: if uname.is_empty() { user_id.clone() } else { uname.clone() },
            user_id,
            gift: get(2).and_then(Field::text).unwrap_or_else(|| "a gift".into()),
            count: get(3).and_then(Field::varint).unwrap_or(1),
            value: gift_value(&coin, get(7).and_then(Field::varint)),
        });
        any = true;
    }
    if !any {
        out.problems.push((at, "SEND_GIFT_V2: no gift_list item".into()));
    }
}

/// One protobuf field's value (the wire types the gift broadcast uses).
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Varint(u64),
    Bytes(Vec<u8>),
    Fixed,
}

impl Field {
    fn varint(&self) -> Option<u64> {
        match self {
            Field::Varint(v) => Some(*v),
            _ => None,
        }
    }

    fn text(&self) -> Option<String> {
        match self {
            Field::Bytes(b) => std::str::from_utf8(b).ok().map(str::to_string),
            _ => None,
        }
    }
}

fn varint(buf: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf.get(*at).ok_or("a varint cut short")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a varint longer than 10 bytes".into())
}

/// The top-level fields of a protobuf message, unknown ones kept by number.
fn proto_fields(buf: &[u8]) -> Result<Vec<(u64, Field)>, String> {
    let mut fields = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let key = varint(buf, &mut at)?;
        let field = match key & 7 {
            0 => Field::Varint(varint(buf, &mut at)?),
            1 => {
                at = at.checked_add(8).filter(|e| *e <= buf.len()).ok_or("a 64-bit field cut short")?;
                Field::Fixed
            }
            2 => {
                let len = usize::try_from(varint(buf, &mut at)?).map_err(|_| "a length too large")?;
                let end =
                    at.checked_add(len).filter(|e| *e <= buf.len()).ok_or("a length-delimited field cut short")?;
                let bytes = buf[at..end].to_vec();
                at = end;
                Field::Bytes(bytes)
            }
            5 => {
                at = at.checked_add(4).filter(|e| *e <= buf.len()).ok_or("a 32-bit field cut short")?;
                Field::Fixed
            }
            other => return Err(format!("wire type {other} is not one protobuf uses here")),
        };
        fields.push((key >> 3, field));
    }
    Ok(fields)
}

/// Standard base64, with or without padding.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    let text = text.trim();
    STANDARD.decode(text).or_else(|_| STANDARD_NO_PAD.decode(text)).ok()
}

#[cfg(test)]
#[path = "bilibili_live_tests.rs"]
mod tests;
