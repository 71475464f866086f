//! Answers end to end: a viewer's question goes through triage, the product it is about, what the answer rests on
//! and the template writer, in a running show. The products and questions here were written for this test, apart
//! from the matcher's own tests in `answers.rs`, and the share answered with the fact is reported (BENCHMARKS.md,
//! "Answers end to end").

use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{
    Comment, CommentFlags, CommentId, ConsoleEvent, Currency, Faq, LineKind, Localized, Money, Platform, Product,
    Returns, Shipping, ShippingCost, ShowTime, Spec, UnixMs,
};

fn money(s: &str) -> Money {
    Money::parse_decimal(s, Currency::parse("CNY").unwrap()).unwrap()
}

fn both(en: &str, zh: &str) -> Localized<String> {
    Localized { en: Some(en.into()), zh: Some(zh.into()) }
}

fn list(en: &[&str], zh: &[&str]) -> Localized<Vec<String>> {
    Localized {
        en: Some(en.iter().map(|s| s.to_string()).collect()),
        zh: Some(zh.iter().map(|s| s.to_string()).collect()),
    }
}

fn catalogue() -> Vec<Product> {
    let mut kettle = Product::new("kettle", both("Glass Kettle", "玻璃电水壶"), money("159"));
    kettle.compare_at = Some(money("199"));
    kettle.stock = Some(30);
    kettle.features = list(
        &["1.7 litre capacity", "boils in about four minutes", "switches itself off when dry"],
        &["容量1.7升", "大约四分钟烧开", "干烧自动断电"],
    );
    kettle.specs = Localized {
        en: Some(vec![
            Spec { name: "Power".into(), value: "1800 W".into() },
            Spec { name: "Cord".into(), value: "75 cm".into() },
        ]),
        zh: Some(vec![
            Spec { name: "功率".into(), value: "1800瓦".into() },
            Spec { name: "电源线".into(), value: "75厘米".into() },
        ]),
    };
    kettle.faq = Localized {
        en: Some(vec![Faq {
            question: "Is the glass heat resistant?".into(),
            answer: "Yes, it is borosilicate glass.".into(),
        }]),
        zh: Some(vec![Faq {
            question: "玻璃耐高温吗？".into(), answer: "耐高温，是高硼硅玻璃。".into()
        }]),
    };
    kettle.shipping = Some(Shipping { cost: Some(ShippingCost::Free), ..Shipping::default() });
    kettle.returns = Some(Returns { days: Some(7), conditions: Localized::default() });

    let mut backpack = Product::new("backpack", both("Canvas Backpack", "帆布双肩包"), money("269"));
    backpack.stock = Some(0);
    backpack.description = both(
        "A waxed canvas backpack with a padded laptop sleeve. It fits a 15-inch laptop.",
        "上蜡帆布双肩包，带加厚电脑隔层，可以放15英寸笔记本电脑。",
    );
    backpack.features = list(&["water-resistant waxed canvas", "leather straps"], &["防泼水蜡布", "真皮肩带"]);

    let mut pillowcase = Product::new("pillowcase", both("Silk Pillowcase", "真丝枕套"), money("199"));
    pillowcase.features = list(
        &["22 momme mulberry silk", "hidden zip", "51 by 76 centimetres"],
        &["22姆米桑蚕丝", "隐形拉链", "51厘米乘76厘米"],
    );
    pillowcase.usage = both("Wash it by hand in cool water with a mild soap.", "用冷水加温和的皂液手洗。");
    vec![kettle, pillowcase, backpack]
}

/// What the answer must contain: a fact from the data, or the plain "I don't have that" (and an escalation).
enum Expect {
    Says(&'static str),
    Unknown,
}

/// (question, what the answer says). The kettle is on screen throughout.
const QUESTIONS: &[(&str, Expect)] = &[
    ("how fast does it boil", Expect::Says("four minutes")),
    ("does it turn itself off if it runs dry?", Expect::Says("switches itself off")),
    ("is the glass heat resistant", Expect::Says("borosilicate")),
    ("how long is the cord", Expect::Says("75 cm")),
    ("how many watts is it?", Expect::Says("1800")),
    ("what's the capacity?", Expect::Says("1.7 litre")),
    ("how much is the kettle", Expect::Says("159")),
    ("is there any discount?", Expect::Says("199")),
    ("how many are left", Expect::Says("30")),
    ("is shipping free?", Expect::Says("free")),
    ("can I return it if I don't like it?", Expect::Says("seven-day")),
    ("多久能烧开", Expect::Says("四分钟")),
    ("功率多少", Expect::Says("1800")),
    ("玻璃耐高温吗", Expect::Says("高硼硅")),
    ("电源线多长", Expect::Says("75")),
    ("does the backpack fit a 15 inch laptop?", Expect::Says("15-inch")),
    ("is the backpack waterproof", Expect::Says("water-resistant")),
    ("what are the backpack straps made of", Expect::Says("leather")),
    ("is the backpack still in stock?", Expect::Says("sold out")),
    ("双肩包能放笔记本电脑吗", Expect::Says("笔记本")),
    ("what size is the pillowcase", Expect::Says("51 by 76")),
    ("how should I wash the pillowcase", Expect::Says("by hand")),
    ("is the pillowcase mulberry silk?", Expect::Says("mulberry")),
    ("枕套有拉链吗", Expect::Says("拉链")),
    ("are you a real person?", Expect::Says("AI host")),
    ("你是机器人吗", Expect::Says("AI主播")),
    // Not in the data: said plainly, and the moderators get the question.
    ("does the kettle come with a warranty?", Expect::Unknown),
    ("is it dishwasher safe?", Expect::Unknown),
    ("what colours does the backpack come in?", Expect::Unknown),
    ("how many pillowcases are left?", Expect::Unknown),
    ("水壶保修多久", Expect::Unknown),
    ("枕套可以机洗吗", Expect::Unknown),
];

fn ask(id: usize, text: &str) -> Comment {
    Comment {
        platform: Platform::Twitch,
        id: CommentId(format!("q{id}")),
        user_id: format!("uid-{id}"),
        user_name: "viewer".into(),
        text: text.into(),
        time: UnixMs(20_000),
        paid: None,
        flags: CommentFlags::default(),
    }
}

/// The answer to `question` in a fresh show of `products` (the first one on screen), and whether it went to the
/// moderators with a reason.
fn answer(products: Vec<Product>, id: usize, question: &str) -> (String, bool) {
    // Many questions at once, all of them answered: this tests what is answered, not when (see delay_tests).
    let patient = ShowConfig {
        max_question_age_ms: 10 * 60 * 1000,
        busy_question_age_ms: 10 * 60 * 1000,
        ..ShowConfig::default()
    };
    let mut show = Rehearsal::new(patient, products, UnixMs(0));
    show.advance_to(ShowTime(20_000));
    let comment = ask(id, question);
    show.input(Input::Comment(comment.clone()));
    show.advance_to(ShowTime(90_000));
    let text = show
        .transcript()
        .iter()
        .find(|l| matches!(l.kind, LineKind::Answer(_)) && l.trigger.as_ref().is_some_and(|c| c.id == comment.id))
        .map(|l| l.text.clone())
        .unwrap_or_default();
    let escalated = show
        .escalations()
        .iter()
        .any(|e| matches!(e, ConsoleEvent::Escalated { comment: c, reason: Some(_), .. } if c.id == comment.id));
    (text, escalated)
}

/// What a set of questions came to.
#[derive(Default)]
struct Tally {
    answerable: usize,
    answered: usize,
    unknown: usize,
    honest: usize,
    misses: Vec<String>,
}

/// Asks every question of `questions` in its own show of `products()` and counts the answers.
fn measure(products: fn() -> Vec<Product>, questions: &[(&str, Expect)]) -> Tally {
    let mut tally = Tally::default();
    for (i, (question, expect)) in questions.iter().enumerate() {
        let (text, escalated) = answer(products(), i, question);
        match expect {
            Expect::Says(words) => {
                tally.answerable += 1;
                if text.contains(words) {
                    tally.answered += 1;
                } else {
                    tally.misses.push(format!("{question:?} -> {text:?} (wanted {words:?})"));
                }
            }
            Expect::Unknown => {
                tally.unknown += 1;
                let plain = text.contains("don't have") || text.contains("isn't in") || text.contains("没有");
                if plain && escalated {
                    tally.honest += 1;
                } else {
                    tally.misses.push(format!("{question:?} -> {text:?} (escalated: {escalated}; wanted a plain no)"));
                }
            }
        }
    }
    for miss in &tally.misses {
        eprintln!("MISS {miss}");
    }
    tally
}

#[test]
fn questions_are_answered_from_the_data_of_the_product_they_are_about() {
    let Tally { answerable, answered, unknown, honest, misses } = measure(catalogue, QUESTIONS);
    eprintln!("answerable questions answered with the fact: {answered} / {answerable}");
    eprintln!("unanswerable questions said plainly and sent to the moderators: {honest} / {unknown}");
    assert_eq!(honest, unknown, "an unanswerable question got an invented or evasive answer: {misses:#?}");
    assert!(answered * 10 >= answerable * 9, "only {answered} of {answerable} answered with the fact: {misses:#?}");
}

/// A second set, written after the matcher was last changed and run once as it stands: its first figure is the
/// one BENCHMARKS.md reports, so it says how the matcher does on wording it was not tuned to.
fn second_catalogue() -> Vec<Product> {
    let mut earbuds = Product::new("earbuds", both("Wireless Earbuds", "无线蓝牙耳机"), money("299"));
    earbuds.stock = Some(12);
    earbuds.features = list(
        &["up to 6 hours of music per charge", "28 hours with the case", "IPX4 splash resistant"],
        &["单次充电可听6小时", "配合充电盒共28小时", "IPX4级防泼溅"],
    );
    earbuds.specs = Localized {
        en: Some(vec![
            Spec { name: "Bluetooth".into(), value: "5.3".into() },
            Spec { name: "Charging port".into(), value: "USB-C".into() },
        ]),
        zh: Some(vec![
            Spec { name: "蓝牙版本".into(), value: "5.3".into() },
            Spec { name: "充电接口".into(), value: "USB-C".into() },
        ]),
    };
    earbuds.faq = Localized {
        en: Some(vec![Faq {
            question: "Does it work with iPhone?".into(),
            answer: "Yes, it pairs with any Bluetooth phone, iPhone and Android alike.".into(),
        }]),
        zh: Some(vec![Faq {
            question: "苹果手机能用吗？".into(), answer: "能，苹果和安卓手机都可以连接。".into()
        }]),
    };
    let mut board = Product::new("board", both("Bamboo Cutting Board", "竹制砧板"), money("89"));
    board.compare_at = Some(money("109"));
    board.description = both(
        "A thick bamboo board with a juice groove around the edge. It measures 40 by 28 centimetres.",
        "厚实的竹砧板，四周有导流槽。尺寸是40厘米乘28厘米。",
    );
    board.usage =
        both("Wash by hand and oil it once a month. Not for the dishwasher.", "手洗，每月上一次油。不能进洗碗机。");
    vec![earbuds, board]
}

const SECOND_QUESTIONS: &[(&str, Expect)] = &[
    ("how long does the battery last", Expect::Says("6 hours")),
    ("what about with the charging case?", Expect::Says("28 hours")),
    ("can I wear them in the rain", Expect::Says("splash")),
    ("will these work with my iphone", Expect::Says("iPhone")),
    ("what bluetooth version", Expect::Says("5.3")),
    ("what cable do they charge with", Expect::Says("USB-C")),
    ("how much are the earbuds", Expect::Says("299")),
    ("how many in stock?", Expect::Says("12")),
    ("耳机续航多久", Expect::Says("6小时")),
    ("安卓手机能连吗", Expect::Says("安卓")),
    ("how big is the cutting board", Expect::Says("40 by 28")),
    ("can the board go in the dishwasher?", Expect::Says("dishwasher")),
    ("how do I look after the bamboo board", Expect::Says("oil")),
    ("砧板多大尺寸", Expect::Says("40厘米")),
    ("cutting board on sale?", Expect::Says("109")),
    ("do the earbuds have noise cancelling?", Expect::Unknown),
    ("what colours do the earbuds come in", Expect::Unknown),
    ("is the cutting board made in japan", Expect::Unknown),
    ("耳机保修多久", Expect::Unknown),
];

#[test]
fn a_second_set_of_questions_is_answered_from_the_data_too() {
    let Tally { answerable, answered, unknown, honest, misses } = measure(second_catalogue, SECOND_QUESTIONS);
    eprintln!("second set: answered with the fact {answered} / {answerable}; plain and escalated {honest} / {unknown}");
    assert_eq!(honest, unknown, "{misses:#?}");
    assert!(answered * 10 >= answerable * 8, "only {answered} of {answerable}: {misses:#?}");
}

/// A spec's decimal value is a fact when said with its name, and only then: "Bluetooth 5.3" passes the guard,
/// "Bluetooth 5.4" or "5.3 hours" does not (the answer "Bluetooth: 5.3" was once refused as an unbacked number).
#[test]
fn a_decimal_spec_value_is_backed_only_in_its_own_words() {
    use crate::guard::{GuardVerdict, SentenceGuard};
    use crate::ledger::ClaimsLedger;
    let earbuds = second_catalogue().remove(0);
    let ledger = ClaimsLedger::for_product(&earbuds, model::Lang::En, UnixMs(0));
    let guard = SentenceGuard::new(&ledger);
    let pass = |t: &str| matches!(guard.check(t, model::Lang::En), GuardVerdict::Pass(_));
    assert!(pass("About Wireless Earbuds: Bluetooth: 5.3."));
    assert!(pass("It has Bluetooth 5.3."));
    assert!(!pass("It has Bluetooth 5.4."));
    assert!(!pass("The battery gives you 5.3 hours."));
}

/// A question that names no product but whose words are in another product's data is about that product, not
/// the one on screen ("is the teapot dishwasher safe?" while the scarf is up); one whose words fit the product on
/// screen as well stays with it.
#[test]
fn a_question_about_another_products_data_is_answered_about_that_product() {
    // Many questions at once, all of them answered: this tests what is answered, not when (see delay_tests).
    let patient = ShowConfig {
        max_question_age_ms: 10 * 60 * 1000,
        busy_question_age_ms: 10 * 60 * 1000,
        ..ShowConfig::default()
    };
    let mut show = Rehearsal::new(patient, catalogue(), UnixMs(0));
    show.input(Input::PinProduct(model::ProductId("pillowcase".into())));
    show.advance_to(ShowTime(20_000));
    let switch = ask(1, "does it switch itself off when it runs dry?");
    let wash = ask(2, "how should I wash it?");
    show.input(Input::Comment(switch.clone()));
    show.input(Input::Comment(wash.clone()));
    show.advance_to(ShowTime(120_000));
    let answer = |c: &Comment| {
        show.transcript()
            .iter()
            .find(|l| l.trigger.as_ref().is_some_and(|t| t.id == c.id))
            .map(|l| (l.product.clone(), l.text.clone()))
    };
    let (product, text) = answer(&switch).expect("an answer");
    assert_eq!(product, Some(model::ProductId("kettle".into())), "{text}");
    assert!(text.contains("switches itself off"), "{text}");
    let (product, text) = answer(&wash).expect("an answer");
    assert_eq!(product, Some(model::ProductId("pillowcase".into())), "{text}");
    assert!(text.contains("by hand"), "{text}");
}

/// "'free'" in single quotes is still the word free: a product without free shipping cannot be said to ship
/// 'free' (the apostrophes once hid the word from the guard's phrase lists).
#[test]
fn a_quoted_free_is_still_refused() {
    use crate::guard::{GuardVerdict, SentenceGuard};
    use crate::ledger::ClaimsLedger;
    let pillowcase = catalogue().remove(1);
    let ledger = ClaimsLedger::for_product(&pillowcase, model::Lang::En, UnixMs(0));
    let guard = SentenceGuard::new(&ledger);
    for sentence in ["Shipping is free today.", "Shipping is 'free' today.", "It ships 'free' to you."] {
        let verdict = guard.check(sentence, model::Lang::En);
        assert!(!matches!(verdict, GuardVerdict::Pass(_)), "{sentence:?} passed: {verdict:?}");
    }
}
