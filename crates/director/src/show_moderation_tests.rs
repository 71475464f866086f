//! Moderators steering the show: approve-first replies, "say this now", abort, cancel, modes, flash sales.

use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{
    Comment, CommentFlags, CommentId, ConsoleEvent, Currency, Intent, Lang, LineKind, LineSource, Localized,
    ModerationMode, Money, Platform, Product, ProductId, ReplyOutcome, ShowTime, StageCommand, UnixMs,
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

fn notes(show: &Rehearsal) -> Vec<String> {
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

    show.input(Input::ApproveReply { line });
    show.advance_to(ShowTime(80_000));
    let aired = show.transcript().iter().find(|l| l.line == line).expect("the approved reply aired");
    assert_eq!(aired.text, text);
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
    show.input(Input::EditReply { line, text: "Anna, it's only $5 today, everything is free!".into() });
    assert!(notes(&show).iter().any(|n| n.contains("refused")), "{:?}", notes(&show));
    assert_eq!(outcome(&show, line), None);

    show.input(Input::EditReply { line, text: "Anna, the kettle is $30.00 and the link is on the card.".into() });
    show.advance_to(ShowTime(60_000));
    let aired = show.transcript().iter().find(|l| l.line == line).expect("the edited reply aired");
    assert!(aired.text.contains("thirty dollars"), "the guard speaks the price in words: {}", aired.text);
    assert_eq!(aired.source, LineSource::Moderator);
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
    show.input(Input::ApproveReply { line: first });
    assert!(notes(&show).iter().any(|n| n.contains("no such reply")));
}

#[test]
fn say_now_goes_on_air_next_and_a_false_claim_is_refused() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle()], UnixMs(0));
    show.advance_to(ShowTime(10_000));
    show.input(Input::SayNow { text: "Everything is 90% off right now!".into(), lang: None });
    assert!(notes(&show).iter().any(|n| n.contains("say-now refused")), "{:?}", notes(&show));
    show.input(Input::SayNow { text: "We ship to Canada too. Thanks for asking, everyone.".into(), lang: None });
    let asked_at = 10_000;
    show.advance_to(ShowTime(40_000));
    let after: Vec<_> = show.transcript().iter().filter(|l| l.t_ms >= asked_at).collect();
    let said = after.iter().position(|l| l.kind == LineKind::Moderator).expect("the moderator's line aired");
    assert!(said <= 1, "at most the line on air finished first: {said}");
    assert_eq!(after[said].text, "We ship to Canada too. Thanks for asking, everyone.");
    assert_eq!(after[said].source, LineSource::Moderator);
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
    });
    assert!(notes(&show).iter().any(|n| n.contains("not below")), "{:?}", notes(&show));
    show.input(Input::StartFlashSale {
        product: ProductId("kettle".into()),
        price: usd("24"),
        ends_at: UnixMs(65_000),
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
