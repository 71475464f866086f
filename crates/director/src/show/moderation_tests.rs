//! Moderators steering the show: approve-first replies, "say this now", abort, cancel, modes, flash sales.

use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{
    Comment, CommentFlags, CommentId, ConsoleEvent, Currency, Facet, Intent, Lang, LineKind, LineSource, Localized,
    ModerationMode, Money, Pace, Platform, Product, ProductId, ReplyOutcome, ShowTime, StageCommand, UnixMs,
};

fn kettle() -> Product {
    let usd = Currency::parse("USD").unwrap();
    let mut p =
        Product::new("kettle", Localized::one(Lang::En, "Kettle".into()), Money::parse_decimal("30", usd).unwrap());
    p.description = Localized::one(Lang::En, "A steel kettle.".into());
    p.stock = Some(12);
    p
}

fn usd(amount: &str) -> Money {
    Money::parse_decimal(amount, Currency::parse("USD").unwrap()).unwrap()
}

fn comment(id: &str, user: &str, text: &str) -> Comment {
    Comment {
        platform: Platform::Twitch,
        id: CommentId(id.into()),
        user_id: format!("uid-{user}"),
        user_name: user.into(),
        text: text.into(),
        time: UnixMs(0),
        paid: None,
        flags: CommentFlags::default(),
    }
}

fn approve_first_for_price_questions() -> ShowConfig {
    ShowConfig { moderation: vec![(Intent::PriceStockShipping, ModerationMode::ApproveFirst)], ..ShowConfig::default() }
}

fn pending(show: &Rehearsal) -> Vec<(model::LineId, String)> {
    show.events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::ReplyPending { line, text, .. } => Some((*line, text.clone())),
            _ => None,
        })
        .collect()
}

fn outcome(show: &Rehearsal, line: model::LineId) -> Option<ReplyOutcome> {
    show.events().iter().find_map(|e| match e {
        ConsoleEvent::ReplyResolved { line: l, outcome } if *l == line => Some(*outcome),
        _ => None,
    })
}

/// What the show told the moderators, in order (shared with the other moderator-side tests).
pub(super) fn notes(show: &Rehearsal) -> Vec<String> {
    show.events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::ModeratorAction { action } => Some(action.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_approve_first_reply_waits_for_the_moderator_and_airs_under_its_announced_id() {
    let mut show = Rehearsal::new(approve_first_for_price_questions(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.advance_to(ShowTime(60_000));
    let answered = |show: &Rehearsal| show.transcript().iter().any(|l| matches!(l.kind, LineKind::Answer(_)));
    assert!(!answered(&show), "nothing airs before a moderator approves");
    let waiting = pending(&show);
    assert_eq!(waiting.len(), 1, "{waiting:?}");
    let (line, text) = waiting[0].clone();
    assert!(text.contains("$30.00"), "{text}");
    // The show went on pitching meanwhile.
    assert!(show.transcript().iter().filter(|l| l.t_ms > 6_000).count() >= 5);

    show.input(Input::ApproveReply { line, by: "lin".into() });
    show.advance_to(ShowTime(80_000));
    let aired = show.transcript().iter().find(|l| l.line == line).expect("the approved reply aired");
    assert_eq!(aired.text, text);
    assert_eq!(aired.by.as_deref(), Some("lin"), "the line aired on the approving account's authority");
    assert_eq!(aired.source, LineSource::Template, "approved as written: the words stay the writer's");
    assert!(matches!(aired.kind, LineKind::Answer(Intent::PriceStockShipping)));
    assert_eq!(aired.trigger.as_ref().map(|c| c.user_name.as_str()), Some("anna"));
    assert_eq!(outcome(&show, line), Some(ReplyOutcome::Approved));
    // Approved at 60 s, on air within the line on air plus the gap.
    assert!(aired.t_ms < 60_000 + 15_000, "{}", aired.t_ms);
}

#[test]
fn an_edited_reply_airs_in_the_moderators_words_unless_the_guard_refuses_them() {
    let mut show = Rehearsal::new(approve_first_for_price_questions(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.advance_to(ShowTime(30_000));
    let (line, _) = pending(&show)[0].clone();

    // A false price is refused and the reply keeps waiting.
    show.input(Input::EditReply {
        line,
        text: "Anna, it's only $5 today, everything is free!".into(),
        by: "mod".into(),
    });
    assert!(notes(&show).iter().any(|n| n.contains("refused")), "{:?}", notes(&show));
    assert_eq!(outcome(&show, line), None);

    show.input(Input::EditReply {
        line,
        text: "Anna, the kettle is $30.00 and the link is on the card.".into(),
        by: "wei".into(),
    });
    show.advance_to(ShowTime(60_000));
    let aired = show.transcript().iter().find(|l| l.line == line).expect("the edited reply aired");
    assert!(aired.text.contains("thirty dollars"), "the guard speaks the price in words: {}", aired.text);
    assert_eq!(aired.source, LineSource::Moderator);
    assert_eq!(aired.by.as_deref(), Some("wei"));
    assert_eq!(outcome(&show, line), Some(ReplyOutcome::Edited));
}

#[test]
fn rejected_and_expired_replies_are_never_said() {
    let config = ShowConfig { approval_timeout_ms: 20_000, ..approve_first_for_price_questions() };
    let mut show = Rehearsal::new(config, vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.input(Input::Comment(comment("c2", "bo", "is the kettle in stock?")));
    show.advance_to(ShowTime(15_000));
    let waiting = pending(&show);
    assert!(!waiting.is_empty());
    let first = waiting[0].0;
    show.input(Input::RejectReply { line: first });
    assert_eq!(outcome(&show, first), Some(ReplyOutcome::Rejected));
    show.advance_to(ShowTime(120_000));
    for (line, _) in pending(&show) {
        assert!(show.transcript().iter().all(|l| l.line != line), "{line} was never approved");
        assert!(outcome(&show, line).is_some(), "{line} was resolved (rejected or expired)");
    }
    assert!(pending(&show).iter().any(|(l, _)| outcome(&show, *l) == Some(ReplyOutcome::Expired)));
    // Approving an expired reply changes nothing and says so.
    show.input(Input::ApproveReply { line: first, by: "mod".into() });
    assert!(notes(&show).iter().any(|n| n.contains("no such reply")));
}

#[test]
fn say_now_goes_on_air_next_and_a_false_claim_is_refused() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(10_000));
    show.input(Input::SayNow { text: "Everything is 90% off right now!".into(), lang: None, by: "mod".into() });
    assert!(notes(&show).iter().any(|n| n.contains("say-now refused")), "{:?}", notes(&show));
    show.input(Input::SayNow {
        text: "We ship to Canada too. Thanks for asking, everyone.".into(),
        lang: None,
        by: "sam".into(),
    });
    let asked_at = 10_000;
    show.advance_to(ShowTime(40_000));
    let after: Vec<_> = show.transcript().iter().filter(|l| l.t_ms >= asked_at).collect();
    let said = after.iter().position(|l| l.kind == LineKind::Moderator).expect("the moderator's line aired");
    assert!(said <= 1, "at most the line on air finished first: {said}");
    assert_eq!(after[said].text, "We ship to Canada too. Thanks for asking, everyone.");
    assert_eq!(after[said].source, LineSource::Moderator);
    assert_eq!(after[said].by.as_deref(), Some("sam"));
    assert!(show.transcript().iter().filter(|l| l.kind != LineKind::Moderator).all(|l| l.by.is_none()));
    assert!(show.transcript().iter().all(|l| !l.text.contains("90%")));
}

#[test]
fn abort_stops_the_line_on_air_and_cancel_drops_the_prepared_one() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(8_000));
    let on_air = show.transcript().last().unwrap().clone();
    show.input(Input::AbortLine);
    let commands = show.advance_to(ShowTime(8_000));
    assert!(
        commands.iter().any(|c| matches!(c, StageCommand::StopLine { line } if *line == on_air.line)),
        "{commands:?}"
    );
    show.input(Input::CancelNext);
    assert!(notes(&show).iter().any(|n| n.contains("cancelled")), "{:?}", notes(&show));
    // The host keeps talking: the next line comes within the dead-air limit.
    show.advance_to(ShowTime(12_000));
    let next = show.transcript().iter().find(|l| l.t_ms >= 8_000).expect("a line after the abort");
    assert!(next.t_ms <= 8_000 + 3_000, "{}", next.t_ms);
}

#[test]
fn human_only_comments_go_to_the_moderators_and_are_never_answered_on_air() {
    let config = ShowConfig {
        moderation: vec![(Intent::PriceStockShipping, ModerationMode::HumanOnly)],
        ..ShowConfig::default()
    };
    let mut show = Rehearsal::new(config, vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.advance_to(ShowTime(60_000));
    assert!(show.transcript().iter().all(|l| !matches!(l.kind, LineKind::Answer(_))));
    assert!(
        show.escalations()
            .iter()
            .any(|e| matches!(e, ConsoleEvent::Escalated { comment, .. } if comment.user_name == "anna"))
    );
    // Switching back to auto at runtime: the next such question is answered.
    show.input(Input::SetModeration { intent: Intent::PriceStockShipping, mode: ModerationMode::Auto });
    show.input(Input::Comment(comment("c2", "bo", "how much is the kettle?")));
    show.advance_to(ShowTime(100_000));
    assert!(show.transcript().iter().any(|l| matches!(l.kind, LineKind::Answer(_))));
}

#[test]
fn a_flash_sale_changes_the_card_and_the_words_then_ends_on_time() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(5_000));
    // Not below the regular price: refused.
    show.input(Input::StartFlashSale {
        product: ProductId("kettle".into()),
        price: usd("35"),
        ends_at: UnixMs(65_000),
        by: "mod".into(),
    });
    assert!(notes(&show).iter().any(|n| n.contains("not below")), "{:?}", notes(&show));
    show.input(Input::StartFlashSale {
        product: ProductId("kettle".into()),
        price: usd("24"),
        ends_at: UnixMs(65_000),
        by: "mod".into(),
    });
    let mut cards = Vec::new();
    for t in (5_000..=120_000).step_by(500) {
        for c in show.advance_to(ShowTime(t)) {
            if let StageCommand::PinOffer(card) = c {
                cards.push((t, card.price, card.compare_at, card.ends_in_ms));
            }
        }
    }
    let sale = cards.iter().find(|c| c.1 == "$24.00").expect("the card shows the sale price");
    assert_eq!(sale.2.as_deref(), Some("$30.00"), "struck through: the regular price");
    assert!(sale.3.is_some(), "with a countdown");
    let back = cards.iter().find(|c| c.0 >= 65_000 && c.1 == "$30.00").expect("the regular price is back");
    assert!(back.0 <= 66_000, "{}", back.0);
    let offers: Vec<_> = show.transcript().iter().filter(|l| l.kind == LineKind::Pitch(model::Facet::Offer)).collect();
    assert!(offers.iter().any(|l| l.t_ms < 65_000 && l.text.contains("$24.00")), "{offers:?}");
    assert!(offers.iter().filter(|l| l.t_ms > 66_000).all(|l| !l.text.contains("$24.00")), "{offers:?}");
}

#[test]
fn old_questions_are_dropped_with_a_note_and_health_reaches_the_console() {
    let config = ShowConfig { max_question_age_ms: 10_000, ..ShowConfig::default() };
    let mut show = Rehearsal::new(config, vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::HandOverToHuman);
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.advance_to(ShowTime(30_000));
    show.input(Input::TakeBack);
    show.advance_to(ShowTime(60_000));
    assert!(
        show.events().iter().any(|e| matches!(e, ConsoleEvent::QuestionDropped { comment, waited_ms } if comment.user_name == "anna" && *waited_ms > 10_000)),
        "{:?}",
        show.events()
    );
    assert!(show.transcript().iter().all(|l| !matches!(l.kind, LineKind::Answer(_))));
    show.input(Input::SourceHealth { source: "twitch".into(), healthy: false, detail: "connection reset".into() });
    assert!(show.events().iter().any(|e| matches!(e, ConsoleEvent::SourceHealth { healthy: false, .. })));
}

#[test]
fn the_face_and_hands_follow_the_line_and_comments_reach_the_ticker() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    let mut commands = show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "hello everyone!")));
    show.input(Input::Comment(comment("c2", "spam", "buy followers at cheap-followers dot com http://x.y")));
    commands.extend(show.advance_to(ShowTime(60_000)));
    assert!(commands.iter().any(|c| matches!(c, StageCommand::Expression(model::Expression::Excited))));
    assert!(commands.iter().any(|c| matches!(c, StageCommand::Gesture(model::Gesture::PointAtOffer))));
    let ticker: Vec<_> = commands
        .iter()
        .filter_map(|c| match c {
            StageCommand::Ticker { user_name, .. } => Some(user_name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(ticker, ["anna"], "spam stays off the screen");
    // Expressions are sent only when they change.
    let faces: Vec<_> = commands.iter().filter(|c| matches!(c, StageCommand::Expression(_))).collect();
    assert!(faces.windows(2).all(|w| w[0] != w[1]), "{faces:?}");
}

// ---------------------------------------------------------------------------------------------------------------
// Say-now and edits about any product in the queue; typed refusals; the segment resumes after a say-now
// ---------------------------------------------------------------------------------------------------------------

/// A silk scarf at $12, 180 x 30 cm, second in the queue after the kettle.
fn scarf() -> Product {
    let mut p = Product::new("scarf", Localized::one(Lang::En, "Silk Scarf".into()), usd("12"));
    p.features = Localized::one(Lang::En, vec!["180 x 30 cm of mulberry silk".into(), "a 3-piece gift box".into()]);
    p.stock = Some(7);
    p
}

/// The refusals the console was told about: (action, line, sentence, rule, product, repaired).
type Refused = (String, Option<model::LineId>, String, Option<model::GuardRule>, Option<ProductId>, Option<String>);

fn refusals(show: &Rehearsal) -> Vec<Refused> {
    show.events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::ModeratorLineRefused { action, line, sentence, rule, product, repaired, .. } => {
                Some((action.clone(), *line, sentence.clone(), *rule, product.clone(), repaired.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Says `text` now at 4 s (the kettle on screen) and returns the show 30 s later.
fn say_now_at_start(products: Vec<Product>, lang: Lang, text: &str) -> Rehearsal {
    let mut show = Rehearsal::new(ShowConfig { lang, ..ShowConfig::default() }, products, UnixMs(0));
    show.advance_to(ShowTime(4_000));
    show.input(Input::SayNow { text: text.into(), lang: None, by: "mod".into() });
    show.advance_to(ShowTime(34_000));
    show
}

fn moderator_lines(show: &Rehearsal) -> Vec<String> {
    show.transcript().iter().filter(|l| l.kind == LineKind::Moderator).map(|l| l.text.clone()).collect()
}

/// While the kettle is on screen, true words about the scarf (its price in every form, its size in digits and
/// words, its pieces) go on air, with the scarf's card; the kettle's price, or a price or size true of no product,
/// said of the scarf is refused with a typed event naming the rule, the sentence and the scarf.
#[test]
fn say_now_about_another_product_in_the_queue_passes_when_true_and_is_refused_precisely_when_not() {
    let names = ["The scarf", "The silk scarf", "Our Silk Scarf"];
    let true_claims = [
        "is $12",
        "is 12 dollars",
        "is only twelve dollars",
        "is 180 by 30 centimetres",
        "is one hundred eighty by thirty centimetres",
        "measures 180 x 30 cm",
        "is 1.8 metres long",
        "comes as three pieces",
    ];
    let mut aired = 0;
    for name in names {
        for claim in true_claims {
            let text = format!("{name} {claim}.");
            let show = say_now_at_start(vec![kettle(), scarf()], Lang::En, &text);
            assert!(refusals(&show).is_empty(), "{text}: {:?}", refusals(&show));
            let line = show.transcript().iter().find(|l| l.kind == LineKind::Moderator).expect("aired");
            assert_eq!(line.product, Some(ProductId("scarf".into())), "{text}: the scarf's card is up");
            aired += 1;
        }
    }
    let false_claims = [
        ("is $30", model::GuardRule::UnbackedPrice),
        ("is thirty dollars", model::GuardRule::UnbackedPrice),
        ("is $55", model::GuardRule::UnbackedPrice),
        ("is 200 by 30 centimetres", model::GuardRule::UnbackedNumber),
        ("is 180 by 180 cm", model::GuardRule::UnbackedNumber),
        ("holds 450 ml", model::GuardRule::UnbackedNumber),
        ("comes as four pieces", model::GuardRule::UnbackedNumber),
    ];
    let mut refused = 0;
    for name in names {
        for (claim, rule) in false_claims {
            let text = format!("{name} {claim}.");
            let show = say_now_at_start(vec![kettle(), scarf()], Lang::En, &text);
            assert!(moderator_lines(&show).is_empty(), "{text} aired");
            let got = refusals(&show);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            let (action, line, sentence, got_rule, product, repaired) = got[0].clone();
            assert_eq!(action, "say_now");
            assert_eq!(line, None);
            assert_eq!(sentence, text);
            assert_eq!(got_rule, Some(rule), "{text}");
            assert_eq!(product, Some(ProductId("scarf".into())), "{text}");
            assert_eq!(repaired, None, "nothing of it stands");
            assert!(notes(&show).iter().any(|n| n.contains("say-now refused") && n.contains(rule.name())));
            refused += 1;
        }
    }
    eprintln!("say-now about the other product: {aired} true lines aired, {refused} false ones refused");
}

/// In a Chinese show, the tea set's true price passes while the scarf is on screen; the scarf's price said of the
/// tea set, or a price that is no product's, is refused as a price.
#[test]
fn a_chinese_say_now_about_the_tea_set_passes_while_another_product_is_on_screen() {
    let cny = |s: &str| Money::parse_decimal(s, Currency::parse("CNY").unwrap()).unwrap();
    let mut scarf = Product::new("scarf", Localized::one(Lang::Zh, "真丝围巾".into()), cny("89"));
    scarf.features = Localized::one(Lang::Zh, vec!["长一百八十厘米，宽三十厘米".into()]);
    scarf.stock = Some(9);
    let products = || vec![scarf.clone(), crate::test_products::tea_set()];
    for form in ["199", "一百九十九"] {
        for text in [format!("这款茶具只要{form}元。"), format!("茶具现在{form}元，原价二百五十九元。")]
        {
            let show = say_now_at_start(products(), Lang::Zh, &text);
            assert!(refusals(&show).is_empty(), "{text}: {:?}", refusals(&show));
            let said = moderator_lines(&show);
            assert_eq!(said.len(), 1, "{text}");
            assert!(said[0].contains("一百九十九元"), "{said:?}");
        }
    }
    for text in ["围巾一百八十乘三十厘米。", "这条围巾180×30厘米。"] {
        let show = say_now_at_start(products(), Lang::Zh, text);
        assert!(refusals(&show).is_empty(), "{text}: {:?}", refusals(&show));
    }
    for (text, product) in [("这款茶具只要89元。", "tea"), ("茶具只要九十九元。", "tea"), ("只要199元。", "scarf")]
    {
        let show = say_now_at_start(products(), Lang::Zh, text);
        let got = refusals(&show);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(got[0].3, Some(model::GuardRule::UnbackedPrice), "{text}");
        assert_eq!(got[0].4, Some(ProductId(product.into())), "{text}");
    }
}

/// A text with a false sentence among true ones is refused whole; the event names the false sentence and offers
/// the rest, which goes on air when sent as offered.
#[test]
fn a_refusal_offers_the_words_that_would_pass() {
    let text = "The scarf is 180 by 30 centimetres. It is only $5 today! The link is on the card.";
    let mut show = say_now_at_start(vec![kettle(), scarf()], Lang::En, text);
    let got = refusals(&show);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].2, "It is only $5 today!");
    assert_eq!(got[0].3, Some(model::GuardRule::UnbackedPrice));
    let offered = got[0].5.clone().expect("the true sentences are offered");
    assert_eq!(offered, "The scarf is 180 by 30 centimetres. The link is on the card.");
    show.input(Input::SayNow { text: offered.clone(), lang: None, by: "mod".into() });
    show.advance_to(ShowTime(70_000));
    assert_eq!(moderator_lines(&show), [offered]);
    // The event travels to the console and the audit log as JSON, and back.
    let event = show.events().iter().find(|e| matches!(e, ConsoleEvent::ModeratorLineRefused { .. })).unwrap();
    let json = serde_json::to_string(event).unwrap();
    assert!(json.contains("\"rule\":\"unbacked_price\""), "{json}");
    assert_eq!(&serde_json::from_str::<ConsoleEvent>(&json).unwrap(), event);
    // Refusals of the text as a whole say so, without a rule.
    show.input(Input::SayNow { text: "   ".into(), lang: None, by: "mod".into() });
    let last = refusals(&show).pop().unwrap();
    assert_eq!((last.0.as_str(), last.3), ("say_now", None));
}

/// A refused edit of a pending reply: typed, with the reply's id, and the reply keeps waiting.
#[test]
fn a_refused_edit_is_reported_with_its_reply() {
    let mut show = Rehearsal::new(approve_first_for_price_questions(), vec![kettle(), scarf()], UnixMs(0));
    show.advance_to(ShowTime(6_000));
    show.input(Input::Comment(comment("c1", "anna", "how much is the kettle?")));
    show.advance_to(ShowTime(30_000));
    let (line, _) = pending(&show)[0].clone();
    show.input(Input::EditReply { line, text: "Anna, the kettle is $12.".into(), by: "mod".into() });
    let got = refusals(&show);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0.as_str(), got[0].1), ("edit", Some(line)));
    assert_eq!(got[0].3, Some(model::GuardRule::UnbackedPrice), "the scarf's price is not the kettle's");
    assert_eq!(got[0].4, Some(ProductId("kettle".into())));
    assert_eq!(outcome(&show, line), None, "still pending");
    // The scarf's price said of the scarf is a fine edit.
    show.input(Input::EditReply {
        line,
        text: "Anna, the kettle is $30.00, and the silk scarf is $12.".into(),
        by: "mod".into(),
    });
    show.advance_to(ShowTime(60_000));
    assert_eq!(outcome(&show, line), Some(ReplyOutcome::Edited));
}

/// A product with material for every facet of its segment.
fn lamp() -> Product {
    let mut p = Product::new("lamp", Localized::one(Lang::En, "Reading Lamp".into()), usd("40"));
    p.compare_at = Some(usd("50"));
    p.description = Localized::one(Lang::En, "A small desk lamp with a warm light.".into());
    p.features = Localized::one(Lang::En, vec!["three brightness levels".into(), "an adjustable arm".into()]);
    p.usage = Localized::one(Lang::En, "Plug it in and touch the base.".into());
    p.faq = Localized::one(
        Lang::En,
        vec![model::Faq { question: "Does it get hot?".into(), answer: "No, the LED stays cool.".into() }],
    );
    p.stock = Some(20);
    p
}

/// A line the show asked its writer for: its kind and product.
type Planned = (LineKind, Option<ProductId>);

/// A say-now waits for the sentence on air, and then the host goes on with the very line it had prepared: the same
/// product and facet, then the rest of that product's segment in order. Tried at every second of the first two
/// products' segments.
#[test]
fn after_a_say_now_the_segment_resumes_with_the_facet_it_was_about_to_say() {
    use std::cell::RefCell;
    use std::rc::Rc;
    let mut checked = 0;
    for at in (3..=90).map(|s| s * 1_000) {
        let planned: Rc<RefCell<Vec<Planned>>> = Rc::default();
        let log = planned.clone();
        let mut templates = crate::rehearsal::template_writer();
        let writer: crate::rehearsal::WriteFn = Box::new(move |brief| {
            log.borrow_mut().push((brief.kind, brief.product.as_ref().map(|p| p.id.clone())));
            templates(brief)
        });
        let mut show =
            Rehearsal::with_writer(ShowConfig::default(), vec![lamp(), kettle(), scarf()], UnixMs(0), writer);
        show.advance_to(ShowTime(at));
        let on_air = show.transcript().last().map(|l| l.line);
        // The line being prepared: the last one planned, unless it is the one on air already.
        let aired_kinds: Vec<Planned> = show.transcript().iter().map(|l| (l.kind, l.product.clone())).collect();
        let prepared = planned.borrow().last().cloned().filter(|_| planned.borrow().len() > aired_kinds.len());
        let Some((kind, product)) = prepared.filter(|(k, _)| matches!(k, LineKind::Pitch(_))) else { continue };
        show.input(Input::SayNow { text: "Thanks for joining us, everyone.".into(), lang: None, by: "mod".into() });
        show.advance_to(ShowTime(at + 60_000));
        let after: Vec<_> = show.transcript().iter().skip_while(|l| Some(l.line) != on_air).skip(1).cloned().collect();
        assert_eq!(after[0].kind, LineKind::Moderator, "at {at}: the moderator's words come next: {after:?}");
        let next_own = after.iter().skip(1).find(|l| l.kind != LineKind::Disclosure).expect("the host goes on");
        assert_eq!(
            (next_own.kind, next_own.product.clone()),
            (kind, product.clone()),
            "at {at}: the prepared line comes back after the say-now"
        );
        // The rest of the segment follows in order, on the same product.
        let LineKind::Pitch(facet) = kind else { unreachable!() };
        let start = Facet::PITCH_ORDER.iter().position(|f| *f == facet).unwrap();
        let segment: Vec<Facet> = after
            .iter()
            .skip(1)
            .filter(|l| l.kind != LineKind::Disclosure)
            .take_while(|l| l.product == product)
            .filter_map(|l| match l.kind {
                LineKind::Pitch(f) => Some(f),
                _ => None,
            })
            .collect();
        let order: Vec<usize> =
            segment.iter().map(|f| Facet::PITCH_ORDER.iter().position(|o| o == f).unwrap()).collect();
        assert_eq!(order.first(), Some(&start), "at {at}");
        assert!(order.windows(2).all(|w| w[0] < w[1]), "at {at}: the segment goes on in order: {segment:?}");
        if product.as_ref().is_some_and(|id| id.0 == "lamp") {
            // Every facet has material: none is skipped.
            assert_eq!(segment, Facet::PITCH_ORDER[start..], "at {at}: the lamp's segment goes on where it was");
        }
        checked += 1;
    }
    eprintln!("say-now resumes the segment: checked at {checked} moments");
    assert!(checked >= 20, "{checked}");
}

/// Words checked when they were sent are checked again when their turn comes: a price that changed in between
/// refuses them then, with the same typed event (and the line id the moderator was given).
#[test]
fn a_moderator_line_refused_at_its_turn_is_reported_precisely() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle(), scarf()], UnixMs(0));
    show.advance_to(ShowTime(4_000));
    show.input(Input::SayNow { text: "Thanks for joining us, everyone.".into(), lang: None, by: "mod".into() });
    show.input(Input::SayNow {
        text: "The kettle is $30.00 and the silk scarf is $12.".into(),
        lang: None,
        by: "mod".into(),
    });
    assert!(refusals(&show).is_empty(), "{:?}", refusals(&show));
    // The scarf's price changes while the second line waits for its turn (the card is the kettle's).
    show.input(Input::PriceChanged {
        product: ProductId("scarf".into()),
        price: usd("15"),
        compare_at: None,
        by: "mod".into(),
    });
    show.advance_to(ShowTime(60_000));
    let said = moderator_lines(&show);
    assert_eq!(said, ["Thanks for joining us, everyone."], "the old price is never said");
    let got = refusals(&show);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "say_now");
    assert!(got[0].1.is_some(), "the line id the moderator was given");
    assert_eq!(got[0].3, Some(model::GuardRule::UnbackedPrice));
    assert!(got[0].2.contains("twelve dollars"), "{:?}", got[0]);
    assert_eq!(got[0].4, Some(ProductId("scarf".into())), "checked against the scarf it names");
}

/// A moderator switches the host to plain pace: every line after is voiced at it, cut into short sentences, and
/// a line that states the price says it again; switching back restores the usual pace. The console hears each
/// change once.
#[test]
fn a_moderator_switches_the_host_to_a_slow_plain_pace_and_back() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(30_000));
    let usual_lines = show.transcript().len();
    assert!(show.paces().iter().all(|(_, p)| *p == Pace::Usual));
    show.input(Input::SetPace(Pace::Plain));
    assert_eq!(show.show().pace(), Pace::Plain);
    show.advance_to(ShowTime(240_000));
    let plain: Vec<_> = show.transcript()[usual_lines + 1..].to_vec();
    assert!(plain.len() >= 4, "{plain:?}");
    // The line on air when the switch came finishes at its pace; every line planned after is plain.
    let planned_after = &show.paces()[show.paces().len() - plain.len()..];
    assert!(planned_after.iter().all(|(_, p)| *p == Pace::Plain), "{planned_after:?}");
    for line in &plain {
        for sentence in line.text.split(['.', '!', '?']).filter(|s| !s.trim().is_empty()) {
            assert!(sentence.split_whitespace().count() <= 14, "a long sentence in plain pace: {:?}", line.text);
        }
    }
    // The price is said as the template writes it ("$30.00"), then again in words from the data.
    let said = |text: &str| text.matches("$30.00").count() + text.matches("thirty dollars").count();
    let with_price: Vec<_> = plain.iter().filter(|l| said(&l.text) > 0).collect();
    assert!(!with_price.is_empty(), "{plain:?}");
    assert!(
        with_price.iter().all(|l| said(&l.text) >= 2 && l.text.ends_with("Again, thirty dollars.")),
        "{with_price:?}"
    );
    show.input(Input::SetPace(Pace::Usual));
    assert_eq!(show.show().pace(), Pace::Usual);
    let changes: Vec<Pace> = show
        .events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::PaceChanged { pace, until: None, .. } => Some(*pace),
            _ => None,
        })
        .collect();
    assert_eq!(changes, [Pace::Plain, Pace::Usual]);
    // Switching to the pace the host already has changes nothing and says so.
    show.input(Input::SetPace(Pace::Usual));
    assert!(notes(&show).last().is_some_and(|n| n.contains("it already was")), "{:?}", notes(&show));
}

/// A viewer who asks the host to slow down (in either language) gets plain pace for ten minutes, and the answer
/// says what the host now does; the pace then goes back by itself. A viewer who says only that they are hard of
/// hearing is answered without a promise of slower speech, and the pace stays.
#[test]
fn a_viewer_who_asks_to_slow_down_gets_plain_pace_for_a_while() {
    for (lang, ask, promise) in [
        (Lang::En, "please speak slower, I can't follow", "speak more slowly"),
        (Lang::En, "too fast!! can you slow down", "speak more slowly"),
        (Lang::Zh, "主播说慢一点好吗 跟不上", "说慢一点"),
    ] {
        let config = ShowConfig { lang, ..ShowConfig::default() };
        let mut both = kettle();
        both.title = Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) };
        both.description = Localized { en: Some("A steel kettle.".into()), zh: Some("不锈钢电水壶。".into()) };
        let mut show = Rehearsal::new(config, vec![both], UnixMs(0));
        show.advance_to(ShowTime(10_000));
        show.input(Input::Comment(comment("c1", "mei", ask)));
        assert_eq!(show.show().pace(), Pace::Plain, "{ask}");
        show.advance_to(ShowTime(60_000));
        let answer = show.transcript().iter().find(|l| l.kind == LineKind::Answer(Intent::AccessibilityNeed));
        let slower = ["speak more slowly", "slowing down", "说慢一点", "放慢语速"];
        assert!(answer.is_some_and(|a| slower.iter().any(|s| a.text.contains(s))), "{ask}: {answer:?} ({promise})");
        show.advance_to(ShowTime(10_000 + super::pace::PLAIN_FOR_VIEWER_MS as u64 + 30_000));
        assert_eq!(show.show().pace(), Pace::Usual, "{ask}: the viewer's plain pace ran its time");
        let changes: Vec<(Pace, bool)> = show
            .events()
            .iter()
            .filter_map(|e| match e {
                ConsoleEvent::PaceChanged { pace, until, .. } => Some((*pace, until.is_some())),
                _ => None,
            })
            .collect();
        assert_eq!(changes, [(Pace::Plain, true), (Pace::Usual, false)], "{ask}");
    }
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(10_000));
    show.input(Input::Comment(comment("c1", "ana", "i'm hard of hearing, is the price on the card?")));
    show.advance_to(ShowTime(60_000));
    assert_eq!(show.show().pace(), Pace::Usual);
    let answers: Vec<_> = show.transcript().iter().filter(|l| matches!(l.kind, LineKind::Answer(_))).collect();
    assert!(!answers.is_empty());
    assert!(answers.iter().all(|a| !a.text.contains("slow") && !a.text.contains("short sentences")), "{answers:?}");
}

/// A viewer who asks to hear the offer again ("what was the price again?", 再说一遍价格) is answered with the card's
/// facts: the price and what is in stock, from the product data.
#[test]
fn a_viewer_who_asks_for_the_offer_again_hears_the_cards_facts() {
    for (lang, ask) in [
        (Lang::En, "sorry what was the price again?"),
        (Lang::En, "can you repeat the offer please"),
        (Lang::En, "missed it, how much and how many left?"),
        (Lang::Zh, "再说一遍价格"),
        (Lang::Zh, "刚才没听清，多少钱来着"),
        (Lang::Zh, "优惠再讲一下"),
    ] {
        let config = ShowConfig { lang, ..ShowConfig::default() };
        let mut both = kettle();
        both.title = Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) };
        both.description = Localized { en: Some("A steel kettle.".into()), zh: Some("不锈钢电水壶。".into()) };
        both.compare_at = Some(usd("40"));
        let mut show = Rehearsal::new(config, vec![both], UnixMs(0));
        show.advance_to(ShowTime(10_000));
        show.input(Input::Comment(comment("c1", "wei", ask)));
        show.advance_to(ShowTime(60_000));
        let answer = show.transcript().iter().find(|l| matches!(l.kind, LineKind::Answer(_)));
        let price = ["$30", "thirty dollars", "30美元", "三十美元"];
        assert!(answer.is_some_and(|a| price.iter().any(|p| a.text.contains(p))), "{ask}: {answer:?}");
    }
}
