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
//! repeated, only frames whose `switch` is set) as gifts, `GUARD_BUY` as a paid notice, `INTERACT_WORD` enter and
//! follow, `LIKE_INFO_V3_CLICK` likes. Every other command is counted and ignored.

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
        "INTERACT_WORD" => Ok(match value.pointer("/data/msg_type").and_then(Value::as_u64) {
            Some(2) => BridgeEvent::Follow,
            _ => BridgeEvent::Join,
        }),
        "LIKE_INFO_V3_CLICK" => Ok(BridgeEvent::Like { count: 1 }),
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

/// The fast path for `DANMU_MSG`, the bulk of every room's traffic: a typed, borrowing read of only the fields a
/// comment needs (`cmd`, `info[0][4]` time, `info[0][5]` rnd, `info[0][15].extra`, `info[1]` text, `info[2][0..2]`
/// viewer), skipping the rest without building a `Value`. `None` when the message is another command or does not
/// have the documented shape; the general path then reads it (and names what is wrong).
mod fast {
    use serde::Deserialize;
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::borrow::Cow;
    use std::fmt;

    /// A JSON id that may be a number or a string.
    #[derive(Debug)]
    pub(super) enum Id<'a> {
        Number(u64),
        Text(Cow<'a, str>),
    }

    impl Id<'_> {
        pub(super) fn into_string(self) -> Option<String> {
            match self {
                Id::Number(n) => Some(n.to_string()),
                Id::Text(t) if !t.is_empty() => Some(t.into_owned()),
                Id::Text(_) => None,
            }
        }
    }

    impl<'de: 'a, 'a> Deserialize<'de> for Id<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Id<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("an id")
                }
                fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id<'de>, E> {
                    Ok(Id::Number(v))
                }
                fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id<'de>, E> {
                    u64::try_from(v).map(Id::Number).map_err(|_| E::custom("a negative id"))
                }
                fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Id<'de>, E> {
                    Ok(Id::Text(Cow::Borrowed(v)))
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Id<'de>, E> {
                    Ok(Id::Text(Cow::Owned(v.to_string())))
                }
            }
            d.deserialize_any(V)
        }
    }

    /// `info[0][15]`: only `extra`, a JSON document in a string.
    #[derive(Deserialize)]
    struct Modal<'a> {
        #[serde(borrow, default)]
        extra: Option<Cow<'a, str>>,
    }

    /// `info[0]`: the time at 4, the rnd at 5, the modal object at 15.
    #[derive(Default)]
    struct Meta<'a> {
        time: Option<i64>,
        rnd: Option<Id<'a>>,
        extra: Option<Cow<'a, str>>,
    }

    impl<'de: 'a, 'a> Deserialize<'de> for Meta<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Meta<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("info[0], an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Meta<'de>, A::Error> {
                    let mut meta = Meta::default();
                    let mut i = 0;
                    loop {
                        let more = match i {
                            4 => seq.next_element::<i64>()?.map(|t| meta.time = Some(t)).is_some(),
                            5 => seq.next_element::<Id<'de>>()?.map(|r| meta.rnd = Some(r)).is_some(),
                            15 => seq.next_element::<Modal<'de>>()?.map(|m| meta.extra = m.extra).is_some(),
                            _ => seq.next_element::<IgnoredAny>()?.is_some(),
                        };
                        if !more {
                            return Ok(meta);
                        }
                        i += 1;
                    }
                }
            }
            d.deserialize_seq(V)
        }
    }

    /// `info[2]`: the viewer's uid and name.
    #[derive(Default)]
    struct User<'a> {
        uid: Option<Id<'a>>,
        name: Option<Cow<'a, str>>,
    }

    impl<'de: 'a, 'a> Deserialize<'de> for User<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = User<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("info[2], an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<User<'de>, A::Error> {
                    let uid = seq.next_element::<Id<'de>>()?;
                    let name = seq.next_element::<Cow<'de, str>>()?;
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(User { uid, name })
                }
            }
            d.deserialize_seq(V)
        }
    }

    /// `info`: [meta, text, user, ...].
    #[derive(Default)]
    pub(super) struct Info<'a> {
        meta: Meta<'a>,
        text: Option<Cow<'a, str>>,
        user: User<'a>,
    }

    impl<'de: 'a, 'a> Deserialize<'de> for Info<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Info<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("info, an array")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Info<'de>, A::Error> {
                    let meta = seq.next_element::<Meta<'de>>()?.unwrap_or_default();
                    let text = seq.next_element::<Cow<'de, str>>()?;
                    let user = seq.next_element::<User<'de>>()?.unwrap_or_default();
                    while seq.next_element::<IgnoredAny>()?.is_some() {}
                    Ok(Info { meta, text, user })
                }
            }
            d.deserialize_seq(V)
        }
    }

    /// The envelope: `cmd` first (Bilibili sends it first), `info` only for danmaku.
    struct Danmaku<'a>(Option<Info<'a>>);

    impl<'de: 'a, 'a> Deserialize<'de> for Danmaku<'a> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Danmaku<'de>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a message object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Danmaku<'de>, A::Error> {
                    let mut danmaku = None;
                    let mut info = None;
                    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                        match key.as_ref() {
                            "cmd" => {
                                let cmd = map.next_value::<Cow<'de, str>>()?;
                                let name = cmd.split(':').next().unwrap_or("");
                                let is = name == "DANMU_MSG" || name == "DANMU_MSG_MIRROR";
                                if !is {
                                    // Another command: the general path reads it.
                                    return Err(de::Error::custom("not a danmaku"));
                                }
                                danmaku = Some(true);
                            }
                            "info" => info = Some(map.next_value::<Info<'de>>()?),
                            _ => {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                    Ok(Danmaku(if danmaku == Some(true) { info } else { None }))
                }
            }
            d.deserialize_map(V)
        }
    }

    /// `extra`'s message id.
    #[derive(Deserialize)]
    struct Extra<'a> {
        #[serde(borrow, default)]
        id_str: Option<Id<'a>>,
    }

    /// What a comment needs from a danmaku, when the body is one in the documented shape.
    pub(super) struct Read {
        pub(super) id: String,
        pub(super) uid: Option<String>,
        pub(super) name: String,
        pub(super) text: String,
        pub(super) time: i64,
    }

    pub(super) fn danmaku(body: &[u8]) -> Option<Read> {
        let Danmaku(info) = serde_json::from_slice::<Danmaku<'_>>(body).ok()?;
        let info = info?;
        let time = info.meta.time?;
        let text = info.text?.into_owned();
        let id = info
            .meta
            .extra
            .as_deref()
            .and_then(|e| serde_json::from_str::<Extra<'_>>(e).ok())
            .and_then(|e| e.id_str)
            .and_then(Id::into_string)
            .or_else(|| Some(format!("{time}-{}", info.meta.rnd?.into_string()?)))?;
        Some(Read {
            id,
            uid: info.user.uid.and_then(Id::into_string),
            name: info.user.name.map(Cow::into_owned).unwrap_or_default(),
            text,
            time,
        })
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
