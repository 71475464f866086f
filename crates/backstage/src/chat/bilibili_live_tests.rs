//! The Bilibili live decoder on the published brotli test vector, on packets built here from the documented
//! layouts (zlib bodies holding several packets, the heartbeat reply whose length is wrong, a cut packet, a wrong
//! length, a protobuf gift with two items), and on cut and flipped bytes, which must never panic.

use super::*;
use std::io::Write;

fn packet(ver: u16, op: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + body.len());
    out.extend_from_slice(&((16 + body.len()) as u32).to_be_bytes());
    out.extend_from_slice(&16u16.to_be_bytes());
    out.extend_from_slice(&ver.to_be_bytes());
    out.extend_from_slice(&op.to_be_bytes());
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn zlib(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

const DANMU: &str = r#"{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":[[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"364b06e3c561af3d5921f1253d66c1d575\",\"content\":\"多少钱\"}"}],"多少钱",[2233,"小明",0,0,0,10000,1,""],[],[10,0,9868950,">50000"],["",""],0,0,null,{"ts":1700000000,"ct":"A1"},0,0,null,null,0,13]}"#;
const SUPER_CHAT: &str = r#"{"cmd":"SUPER_CHAT_MESSAGE","data":{"id":6522809,"price":30,"message":"有优惠吗","start_time":1677069035,"end_time":1677069095,"time":60,"uid":294094150,"user_info":{"uname":"界原虚","guard_level":3},"gift":{"gift_id":12000,"gift_name":"醒目留言","num":1}},"roomid":6154037}"#;

#[test]
fn the_published_brotli_frame_decodes_to_its_command() {
    let frame = hex("000000860010000300000005000000008b388000000072001000000000000500
         0000007b22636d64223a22574154434845445f4348414e4745222c2264617461
         223a7b226e756d223a32323039372c22746578745f736d616c6c223a22322e32
         e4b887222c22746578745f6c61726765223a22322e32e4b887e4babae79c8be8
         bf87227d7d03");
    assert_eq!(frame.len(), 134);
    let decoded = decode(&frame);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    assert!(decoded.ignored.is_empty(), "{:?}", decoded.ignored);
    assert_eq!(decoded.events, [BridgeEvent::NotFromViewer("watched by 22097".into())]);
}

#[test]
fn a_zlib_body_holds_several_packets_read_in_order() {
    let mut inner = packet(0, 5, DANMU.as_bytes());
    inner.extend(packet(0, 5, SUPER_CHAT.as_bytes()));
    inner.extend(packet(0, 5, br#"{"cmd":"ONLINE_RANK_COUNT","data":{"count":5}}"#));
    let mut frame = packet(2, 5, &zlib(&inner));
    frame.extend(packet(0, 8, br#"{"code":0}"#));
    let decoded = decode(&frame);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    let comments: Vec<&Comment> = decoded
        .events
        .iter()
        .filter_map(|e| if let BridgeEvent::Chat(ChatEvent::Comment(c)) = e { Some(c) } else { None })
        .collect();
    assert_eq!(comments.len(), 2);
    assert_eq!(
        (
            comments[0].id.0.as_str(),
            comments[0].user_id.as_str(),
            comments[0].user_name.as_str(),
            comments[0].text.as_str()
        ),
        ("364b06e3c561af3d5921f1253d66c1d575", "2233", "小明", "多少钱")
    );
    assert_eq!(comments[0].time, UnixMs(1_700_000_000_123));
    let paid = comments[1].paid.as_ref().expect("a super chat is paid");
    assert_eq!((paid.minor, paid.currency.code(), comments[1].text.as_str()), (3000, "CNY", "有优惠吗"));
    assert_eq!(decoded.ignored, [("ONLINE_RANK_COUNT".to_string(), 1)]);
}

#[test]
fn the_heartbeat_reply_is_not_walked_by_its_wrong_length() {
    // Published: 35 bytes on the wire, pack_len 20.
    let mut frame = hex("00000014 0010 0001 00000003 00000000 000009a2");
    frame.extend_from_slice(b"[object Object]");
    let decoded = decode(&frame);
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    assert!(matches!(decoded.events.as_slice(), [BridgeEvent::NotFromViewer(_)]));
}

#[test]
fn cut_and_wrong_packets_are_named_with_their_offset() {
    let whole = packet(0, 5, DANMU.as_bytes());
    let decoded = decode(&whole[..whole.len() - 10]);
    assert!(decoded.problems[0].1.contains("cut short"), "{:?}", decoded.problems);
    let mut wrong = packet(0, 5, b"{}");
    wrong[4..6].copy_from_slice(&40u16.to_be_bytes());
    assert!(decode(&wrong).problems[0].1.contains("not a packet"));
    let mut two = packet(0, 5, DANMU.as_bytes());
    two.extend_from_slice(&[0, 0, 0]);
    let decoded = decode(&two);
    assert_eq!(decoded.events.len(), 1, "the good packet before the junk is kept");
    assert_eq!(decoded.problems[0].0, whole.len());
    assert!(decode(&packet(2, 5, b"not zlib")).problems[0].1.contains("zlib"));
}

/// A tiny protobuf writer for the test's gift broadcast.
fn pb_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn pb_field_varint(out: &mut Vec<u8>, no: u64, v: u64) {
    pb_varint(out, no << 3);
    pb_varint(out, v);
}

fn pb_field_bytes(out: &mut Vec<u8>, no: u64, b: &[u8]) {
    pb_varint(out, (no << 3) | 2);
    pb_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

fn base64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn gift_item(name: &str, num: u64, coin: &str, total: u64, tid: &str) -> Vec<u8> {
    let mut item = Vec::new();
    pb_field_varint(&mut item, 1, 31036);
    pb_field_bytes(&mut item, 2, name.as_bytes());
    pb_field_varint(&mut item, 3, num);
    pb_field_varint(&mut item, 5, 100);
    pb_field_varint(&mut item, 7, total);
    pb_field_bytes(&mut item, 8, coin.as_bytes());
    pb_field_bytes(&mut item, 9, tid.as_bytes());
    item
}

#[test]
fn a_protobuf_gift_broadcast_gives_every_item_of_its_list() {
    let mut broadcast = Vec::new();
    pb_field_varint(&mut broadcast, 1, 294094150);
    pb_field_bytes(&mut broadcast, 2, "界原虚".as_bytes());
    broadcast.extend_from_slice(&[0x19, 1, 2, 3, 4, 5, 6, 7, 8]); // field 3, a 64-bit value shopcast skips
    pb_field_bytes(&mut broadcast, 10, &gift_item("小花花", 5, "gold", 500, "t1"));
    pb_field_bytes(&mut broadcast, 10, &gift_item("辣条", 10, "silver", 0, "t2"));
    pb_field_varint(&mut broadcast, 11, 1);
    let body = format!(r#"{{"cmd":"SEND_GIFT_V2","data":{{"dmscore":4,"pb":"{}"}}}}"#, base64(&broadcast));
    let decoded = decode(&packet(0, 5, body.as_bytes()));
    assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
    assert_eq!(decoded.events.len(), 2, "{:?}", decoded.events);
    assert!(
        matches!(&decoded.events[0], BridgeEvent::Gift { user_id, gift, count: 5, value: Some(500), .. } if user_id == "294094150" && gift == "小花花")
    );
    assert!(matches!(&decoded.events[1], BridgeEvent::Gift { count: 10, value: None, .. }), "silver gifts are free");
    // Switched off: not shown by the web client, not counted as a gift.
    let mut off = broadcast.clone();
    off.truncate(off.len() - 2);
    pb_field_varint(&mut off, 11, 0);
    let body = format!(r#"{{"cmd":"SEND_GIFT_V2","data":{{"pb":"{}"}}}}"#, base64(&off));
    assert!(decode(&packet(0, 5, body.as_bytes())).events.is_empty());
    let broken = format!(r#"{{"cmd":"SEND_GIFT_V2","data":{{"pb":"{}"}}}}"#, base64(&broadcast[..broadcast.len() / 2]));
    assert!(!decode(&packet(0, 5, broken.as_bytes())).problems.is_empty());
}

#[test]
fn cut_and_flipped_bytes_never_panic() {
    let mut inner = packet(0, 5, DANMU.as_bytes());
    inner.extend(packet(0, 5, SUPER_CHAT.as_bytes()));
    let frame = packet(2, 5, &zlib(&inner));
    for cut in 0..frame.len() {
        let _ = decode(&frame[..cut]);
    }
    let mut rng = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2000 {
        let mut bytes = frame.clone();
        for _ in 0..3 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let at = (rng % bytes.len() as u64) as usize;
            bytes[at] ^= (rng >> 32) as u8;
        }
        let _ = decode(&bytes);
    }
    let _ = decode(&packet(0, 5, DANMU.replace("小明", "").as_bytes()));
    let _ = decode(&[]);
}

#[test]
fn chat_import_reads_a_capture_of_frames_and_counts_the_rest() {
    let mut inner = packet(0, 5, DANMU.as_bytes());
    inner.extend(packet(0, 5, SUPER_CHAT.as_bytes()));
    let mut capture = packet(2, 5, &zlib(&inner));
    capture.extend(packet(0, 5, br#"{"cmd":"INTERACT_WORD","data":{"msg_type":1}}"#));
    capture.extend(packet(0, 5, br#"{"cmd":"STOP_LIVE_ROOM_LIST","data":{}}"#));
    capture.extend(packet(0, 5, b"{broken"));
    let (comments, problems) = super::super::import_bytes(super::super::ImportFormat::BilibiliLive, &capture);
    assert_eq!(comments.len(), 2);
    let said: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
    assert!(said.iter().any(|m| m.contains("1 join(s)")), "{said:?}");
    assert!(said.iter().any(|m| m.contains("1 STOP_LIVE_ROOM_LIST")), "{said:?}");
    assert!(said.iter().any(|m| m.starts_with("at byte") && m.contains("not JSON")), "{said:?}");
}

/// The fast path for danmaku (the scanner) reads exactly what the general path reads, on generated variants of the
/// documented shape (ids as numbers or strings, an anonymous viewer, escapes in the text, `extra` missing, broken
/// or without an id, fields short or of the wrong type, keys in another order): where it answers, the comment is
/// the same; where it declines, the general path decides.
#[test]
fn the_danmaku_fast_path_reads_what_the_general_path_reads() {
    let metas = [
        r#"[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"364b06e3\",\"content\":\"x\"}"}]"#,
        r#"[0,1,25,16777215,1700000000123,"r-77",0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":98765}"}]"#,
        r#"[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"not json"}]"#,
        r#"[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"mode":0}]"#,
        r#"[0,1,25,16777215,1700000000123,1234567]"#,
        r#"[0,1,25,16777215,1700000000123]"#,
        r#"[0,1,25,16777215,"1700000000123",1234567]"#,
        r#"[0,1,25,16777215,-5,1234567]"#,
        r#"[0,1,25,16777215,1700000000123,1234567,0,"abcd",0,0,0,"",0,"{}","{}",{"extra":"{\"id_str\":\"\"}"}]"#,
        r#"{}"#,
    ];
    let texts = [r#""多少钱""#, r#""say \"hi\"\n\u4f60好""#, r#""""#, "42", "null"];
    let users = [
        r#"[2233,"小明",0,0]"#,
        r#"["2233","A\u00e9"]"#,
        r#"[0,"匿名"]"#,
        r#"[0,""]"#,
        r#"[2233]"#,
        r#"[]"#,
        r#"[-1,"x"]"#,
        r#""nobody""#,
    ];
    let mut checked = 0;
    for (m, meta) in metas.iter().enumerate() {
        for text in texts {
            for user in users {
                let info = format!(r#"[{meta},{text},{user},[],[10,0],0,null]"#);
                let bodies = [
                    format!(r#"{{"cmd":"DANMU_MSG:4:0:2:2:2:0","info":{info}}}"#),
                    format!(r#"{{"info":{info},"dm_v2":"","cmd":"DANMU_MSG"}}"#),
                    format!(r#"{{"cmd":"DANMU_MSG_MIRROR","info":{info},"extra":[1,{{"a":2}}]}}"#),
                    format!(r#"{{"cmd":"SEND_GIFT","info":{info}}}"#),
                ];
                for body in bodies {
                    let general = serde_json::from_slice::<Value>(body.as_bytes()).ok().map(|v| {
                        let cmd = v.get("cmd").and_then(Value::as_str).unwrap_or("").split(':').next().unwrap_or("");
                        (cmd == "DANMU_MSG" || cmd == "DANMU_MSG_MIRROR").then(|| danmaku(&v))
                    });
                    match fast::danmaku(body.as_bytes()) {
                        Some(read) => {
                            let event = read.into_event();
                            let Some(Some(Ok(general))) = general else {
                                panic!("meta {m}: the fast path read {body} where the general path did not")
                            };
                            assert_eq!(format!("{event:?}"), format!("{general:?}"), "{body}");
                            checked += 1;
                        }
                        None => {
                            // Declined: either not a danmaku, or one the general path refuses or reads itself.
                        }
                    }
                }
            }
        }
    }
    assert!(checked >= 100, "only {checked} variants went through the fast path");
}

#[test]
fn guards_interactions_counters_and_withdrawn_super_chats_are_read() {
    let guard = r#"{"cmd":"GUARD_BUY","data":{"uid":616066,"username":"你的魔法","guard_level":3,"num":1,"price":198000,"gift_id":10003,"gift_name":"舰长","start_time":1654801753,"end_time":1654801753}}"#;
    let mut interact = Vec::new();
    pb_field_varint(&mut interact, 1, 439367700);
    pb_field_bytes(&mut interact, 2, b"StarSea246");
    let enter = interact.clone();
    pb_field_varint(&mut interact, 5, 2);
    pb_field_varint(&mut interact, 7, 1751716524);
    let v2 = |pb: &[u8]| format!(r#"{{"cmd":"INTERACT_WORD_V2","data":{{"dmscore":3,"pb":"{}"}}}}"#, base64(pb));
    let mut frame = packet(0, 5, guard.as_bytes());
    frame.extend(packet(0, 5, v2(&interact).as_bytes()));
    frame.extend(packet(0, 5, v2(&enter).as_bytes()));
    frame.extend(packet(0, 5, br#"{"cmd":"INTERACT_WORD","data":{"msg_type":3,"uid":1}}"#));
    frame.extend(packet(0, 5, br#"{"cmd":"LIKE_INFO_V3_UPDATE","data":{"click_count":1234}}"#));
    frame.extend(packet(0, 5, br#"{"cmd":"LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL","data":{"message_ids":[6522809,"77"]}}"#));
    frame.extend(packet(0, 5, br#"{"cmd":"USER_TOAST_MSG_V2","data":{"toast_msg":"the same purchase"}}"#));
    frame.extend(packet(0, 5, v2(b"\xff").as_bytes()));
    let decoded = decode(&frame);
    match &decoded.events[0] {
        BridgeEvent::Membership { user_id, text, amount: Some(m), .. } => {
            assert_eq!((user_id.as_str(), m.minor, m.currency.code()), ("616066", 19_800, "CNY"));
            assert!(text.contains("舰长"), "{text}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        decoded.events[1..5],
        [
            BridgeEvent::Follow,
            BridgeEvent::Join,
            BridgeEvent::Share,
            BridgeEvent::NotFromViewer("1234 likes in all".into())
        ]
    );
    let deleted: Vec<&str> = decoded.events[5..]
        .iter()
        .map(|e| match e {
            BridgeEvent::Chat(ChatEvent::DeleteComment { id, .. }) => id.0.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(deleted, ["sc-6522809", "sc-77"], "the ids a super chat was given");
    assert_eq!(decoded.ignored, [("USER_TOAST_MSG_V2".to_string(), 1)]);
    assert_eq!(decoded.problems.len(), 1, "the broken protobuf is named: {:?}", decoded.problems);
    assert!(decoded.problems[0].1.starts_with("INTERACT_WORD_V2"), "{:?}", decoded.problems);
}
