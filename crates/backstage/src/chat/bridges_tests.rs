//! Each bridge format read from frames shaped as the bridges' own documentation and sources give them
//! (../shared/PLATFORMS.md §2, §3), both TikTok field generations, double-encoded Douyin frames, anonymous rooms,
//! gift streaks counted once, and broken input named, never a panic.

use super::*;

const NOW: UnixMs = UnixMs(1_700_000_000_000);

fn one(bridge: Bridge, line: &str) -> BridgeEvent {
    let mut events = read(bridge, line, 7, NOW).unwrap_or_else(|e| panic!("{line}: {e}"));
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}

fn comment_of(event: &BridgeEvent) -> &Comment {
    match event {
        BridgeEvent::Chat(ChatEvent::Comment(c)) => c,
        other => panic!("not a comment: {other:?}"),
    }
}

#[test]
fn douyin_barrage_grab_frames_are_read_twice_and_big_ids_kept_exact() {
    let chat = r#"{"Type":1,"ProcessName":"chrome","Data":"{\"MsgId\":7402001234567890123,\"User\":{\"FollowingCount\":12,\"Id\":98765432101,\"ShortId\":0,\"DisplayId\":\"shop_fan01\",\"Nickname\":\"小明\",\"Level\":0},\"Onwer\":{\"UserId\":\"1234567890\",\"Nickname\":\"店铺主播\"},\"Content\":\"这个杯子多少钱？\",\"RoomId\":\"7402000000000000000\",\"WebRoomId\":\"512345678901\"}"}"#;
    let event = one(Bridge::DouyinBarrageGrab, chat);
    let c = comment_of(&event);
    assert_eq!(
        (c.platform, c.id.0.as_str(), c.user_id.as_str()),
        (Platform::Douyin, "7402001234567890123", "98765432101")
    );
    assert_eq!((c.user_name.as_str(), c.text.as_str()), ("小明", "这个杯子多少钱？"));
    let gift = r#"{"Type":5,"Data":"{\"MsgId\":1,\"User\":{\"Id\":5,\"Nickname\":\"小红\"},\"Content\":\"小红 送出 小心心(可连击) x 3个，增量1个\",\"GiftId\":9,\"GiftName\":\"小心心\",\"GiftCount\":1,\"RepeatCount\":3,\"DiamondCount\":1,\"Combo\":true}"}"#;
    assert!(
        matches!(one(Bridge::DouyinBarrageGrab, gift), BridgeEvent::Gift { count: 1, value: Some(1), ref gift, .. } if gift == "小心心")
    );
    let like = r#"{"Type":2,"Data":"{\"MsgId\":2,\"Count\":15,\"Total\":300}"}"#;
    assert_eq!(one(Bridge::DouyinBarrageGrab, like), BridgeEvent::Like { count: 15 });
    assert_eq!(one(Bridge::DouyinBarrageGrab, r#"{"Type":9,"Data":"{}"}"#), BridgeEvent::Chat(ChatEvent::ChatEnded));
}

#[test]
fn anonymous_rooms_never_make_one_viewer_of_everyone() {
    let frame = |id: u64, text: &str| {
        format!(
            r#"{{"Type":1,"Data":"{{\"MsgId\":{id},\"User\":{{\"Id\":111111,\"Nickname\":\"用***\"}},\"Content\":\"{text}\"}}"}}"#
        )
    };
    let a = one(Bridge::DouyinBarrageGrab, &frame(10, "多少钱"));
    let b = one(Bridge::DouyinBarrageGrab, &frame(11, "有货吗"));
    assert_ne!(comment_of(&a).user_id, comment_of(&b).user_id);
    assert!(comment_of(&a).user_id.starts_with("anonymous:"));
}

#[test]
fn streamhawk_pushes_carry_several_platforms_and_messages() {
    let push = r#"{"platform":"douyin","messages":[
        {"type":"text","platform":"douyin","content":"这个杯子多少钱？","roomId":"512345678901","userId":"","userName":"饭饭","gift":{"id":"","name":"","price":0,"comboCount":1}},
        {"type":"gift","platform":"kuaishou","content":"","userId":"u9","userName":"阿强","gift":{"id":"g1","name":"棒棒糖","price":1,"comboCount":5}},
        {"type":"text","platform":"tiktok","content":"is it dishwasher safe?","userId":"t1","userName":"Amy"},
        {"type":"streamer","content":"大家好"},
        {"type":"entrance","userId":"u3","userName":"路人"}]}"#;
    let events = read(Bridge::Streamhawk, push, 42, NOW).expect("a push");
    assert_eq!(events.len(), 5);
    let first = comment_of(&events[0]);
    assert_eq!((first.platform, first.id.0.as_str()), (Platform::Douyin, "streamhawk-42-0"));
    assert!(first.user_id.starts_with("anonymous:"), "an empty userId is an anonymous viewer");
    assert!(matches!(&events[1], BridgeEvent::Gift { platform: Platform::Kuaishou, count: 5, .. }));
    assert_eq!(comment_of(&events[2]).platform, Platform::Tiktok);
    assert!(matches!(events[3], BridgeEvent::NotFromViewer(_)), "the host's own speech is no viewer comment");
    assert_eq!(events[4], BridgeEvent::Join);
}

#[test]
fn douyin_webcast_messages_by_method() {
    let chat = r#"{"method":"WebcastChatMessage","payload":{"common":{"msgId":"7400000000000000001","createTime":"1700000001000"},"user":{"uid":"123","nickname":"茶友"},"content":"包邮吗"}}"#;
    let event = one(Bridge::DouyinWebcast, chat);
    let c = comment_of(&event);
    assert_eq!(
        (c.id.0.as_str(), c.user_id.as_str(), c.time),
        ("7400000000000000001", "123", UnixMs(1_700_000_001_000))
    );
    let streaking = r#"{"method":"WebcastGiftMessage","payload":{"user":{"id":"5"},"repeatEnd":0,"gift":{"name":"玫瑰","combo":true,"diamondCount":1},"comboCount":3}}"#;
    assert_eq!(one(Bridge::DouyinWebcast, streaking), BridgeEvent::GiftStreak);
    let ended = r#"{"method":"WebcastGiftMessage","payload":{"user":{"id":"5","nickname":"K"},"repeatEnd":1,"gift":{"name":"玫瑰","combo":true,"diamondCount":1},"comboCount":4}}"#;
    assert!(matches!(one(Bridge::DouyinWebcast, ended), BridgeEvent::Gift { count: 4, value: Some(4), .. }));
    assert_eq!(
        one(Bridge::DouyinWebcast, r#"{"method":"WebcastLikeMessage","payload":{"count":8}}"#),
        BridgeEvent::Like { count: 8 }
    );
    assert!(matches!(
        one(Bridge::DouyinWebcast, r#"{"method":"WebcastRoomUserSeqMessage","payload":{}}"#),
        BridgeEvent::NotFromViewer(_)
    ));
}

#[test]
fn tiktok_both_field_generations_bare_and_wrapped() {
    let legacy = r#"{"comment":"How are you?","userId":"6813181309701719620","secUid":"x","uniqueId":"zerodytester","nickname":"Zerody Tester","isModerator":false,"msgId":"7137750790064065286","createTime":"1661887134718"}"#;
    let event = one(Bridge::TiktokLiveConnector, legacy);
    let c = comment_of(&event);
    assert_eq!(
        (c.id.0.as_str(), c.user_id.as_str(), c.user_name.as_str()),
        ("7137750790064065286", "6813181309701719620", "Zerody Tester")
    );
    assert_eq!(c.time, UnixMs(1_661_887_134_718));
    let v3 = r#"{"event":"chat","data":{"content":"price?","user":{"id":"1","idStr":"6813181309701719620","displayId":"zt","nickname":"ZT"},"common":{"msgId":"99","createTime":"1661887134718"}}}"#;
    let event = one(Bridge::TiktokLiveConnector, v3);
    assert_eq!(
        (comment_of(&event).text.as_str(), comment_of(&event).user_id.as_str()),
        ("price?", "6813181309701719620")
    );
    // A streakable gift fires during its streak and once more at the end: counted once, at the end.
    let mid = r#"{"giftId":5655,"giftName":"Rose","repeatCount":3,"repeatEnd":false,"diamondCount":1,"giftType":1,"userId":"7","uniqueId":"a"}"#;
    let end = r#"{"giftId":5655,"giftName":"Rose","repeatCount":5,"repeatEnd":true,"diamondCount":1,"giftType":1,"userId":"7","uniqueId":"a"}"#;
    assert_eq!(one(Bridge::TiktokLiveConnector, mid), BridgeEvent::GiftStreak);
    assert!(matches!(one(Bridge::TiktokLiveConnector, end), BridgeEvent::Gift { count: 5, value: Some(5), .. }));
    let like = r#"{"event":"like","data":{"count":12,"total":400,"user":{"idStr":"3"}}}"#;
    assert_eq!(one(Bridge::TiktokLiveConnector, like), BridgeEvent::Like { count: 12 });
}

#[test]
fn broken_input_is_named_and_never_panics() {
    for (bridge, line, says) in [
        (Bridge::DouyinBarrageGrab, "{", "not JSON"),
        (Bridge::DouyinBarrageGrab, r#"{"Type":1,"Data":"{not json"}"#, "\"Data\" is not JSON"),
        (Bridge::DouyinBarrageGrab, r#"{"Type":1,"Data":"{\"MsgId\":1}"}"#, "Content"),
        (Bridge::DouyinBarrageGrab, r#"{"Type":42,"Data":"{}"}"#, "Type"),
        (Bridge::Streamhawk, r#"{"platform":"douyin"}"#, "messages"),
        (Bridge::Streamhawk, r#"{"messages":[{"type":"poll"}]}"#, "poll"),
        (Bridge::DouyinWebcast, r#"{"payload":{}}"#, "method"),
        (Bridge::DouyinWebcast, r#"{"method":"WebcastChatMessage","payload":{"content":"x"}}"#, "msgId"),
        (Bridge::TiktokLiveConnector, r#"{"foo":1}"#, "neither"),
        (Bridge::TiktokLiveConnector, r#"{"comment":"x"}"#, "msgId"),
    ] {
        let error = read(bridge, line, 1, NOW).expect_err(line);
        assert!(error.contains(says), "{line}: {error}");
    }
    let samples = [r#"{"Type":"1","Data":{"MsgId":"1","Content":"hi"}}"#, "[]", "null", "7", r#"{"messages":[null]}"#];
    for bridge in [Bridge::DouyinBarrageGrab, Bridge::Streamhawk, Bridge::DouyinWebcast, Bridge::TiktokLiveConnector] {
        for sample in samples {
            let _ = read(bridge, sample, 1, NOW);
            for cut in 0..sample.len() {
                if sample.is_char_boundary(cut) {
                    let _ = read(bridge, &sample[..cut], 1, NOW);
                }
            }
        }
    }
}
