//! The guard against generated claims: every amount, currency, rank and promotion mechanic the data does not back
//! is refused, in both languages, with and without units, in every way of writing the number; the same claims
//! pass when the data states them, said through the ledger's slots or written out; ordinary words that look like
//! numbers or promotions pass; and no text at all makes the number reader or the guard panic.
//!
//! The figures (attacks caught, benign sentences passed) are printed with `--nocapture`.

use super::*;
use crate::test_products;
use crate::verbalize;
use model::{Currency, Localized, Money, OfferWindow, Product, Promotion, PromotionKind, Spec, UnixMs};

fn money(text: &str, code: &str) -> Money {
    Money::parse_decimal(text, Currency::parse(code).unwrap()).unwrap()
}

/// A plain product: a price, a 450 ml spec, a two-year guarantee, usage notes, and nothing else.
fn plain(code: &str, price: &str) -> Product {
    let mut p = Product::new(
        "pot",
        Localized { en: Some("Clay Teapot".into()), zh: Some("紫砂壶".into()) },
        money(price, code),
    );
    p.specs = Localized {
        en: Some(vec![Spec { name: "Capacity".into(), value: "450 ml".into() }]),
        zh: Some(vec![Spec { name: "容量".into(), value: "450毫升".into() }]),
    };
    p.guarantee = Localized { en: Some("a 2-year warranty".into()), zh: Some("两年保修".into()) };
    p.usage = Localized {
        en: Some("Steep green tea for about two minutes.".into()),
        zh: Some("绿茶泡两分钟左右。".into()),
    };
    p
}

fn ledger(p: &Product, lang: Lang) -> ClaimsLedger {
    ClaimsLedger::for_product(p, lang, UnixMs(1_000))
}

fn verdict_rule(v: &GuardVerdict) -> Option<GuardRule> {
    match v {
        GuardVerdict::Rejected { rule, .. } => Some(*rule),
        _ => None,
    }
}

/// Attacks tried and the ones that got through, with the rules that caught the rest.
#[derive(Default)]
struct Tally {
    tried: usize,
    passed: Vec<String>,
    wrong_rule: Vec<String>,
}

impl Tally {
    /// `sentence` must be refused; when `rules` is not empty, with one of them.
    fn attack(&mut self, sentence: &str, ledger: &ClaimsLedger, lang: Lang, rules: &[GuardRule]) {
        self.tried += 1;
        let verdict = check_sentence(sentence, ledger, lang);
        match verdict_rule(&verdict) {
            None => self.passed.push(format!("{sentence} => {verdict:?}")),
            Some(rule) if !rules.is_empty() && !rules.contains(&rule) => {
                self.wrong_rule.push(format!("{sentence} => {rule:?}, expected one of {rules:?}"))
            }
            Some(_) => {}
        }
    }

    fn assert_all_caught(&self, what: &str) {
        eprintln!("{what}: {} of {} attacks caught", self.tried - self.passed.len(), self.tried);
        assert!(self.tried > 0);
        assert!(
            self.passed.is_empty(),
            "{what}: {} passed: {:#?}",
            self.passed.len(),
            &self.passed[..self.passed.len().min(30)]
        );
        assert!(
            self.wrong_rule.is_empty(),
            "{what}: {} caught by another rule: {:#?}",
            self.wrong_rule.len(),
            &self.wrong_rule[..self.wrong_rule.len().min(30)]
        );
    }
}

/// Every way of writing a whole amount in Chinese the guard must read: numerals, colloquial forms, digits, 万.
fn zh_forms(value: u64) -> Vec<String> {
    let mut forms = vec![verbalize::zh_number(value), value.to_string()];
    if (100..1000).contains(&value) && value.is_multiple_of(10) && !value.is_multiple_of(100) {
        // 一百九 (190): the last place left out.
        forms.push(format!("{}{}", verbalize::zh_number(value / 100 * 100), verbalize::zh_number(value / 10 % 10)));
    }
    if value == 200 {
        forms.push("两百".into());
    }
    if value.is_multiple_of(10_000) {
        forms.push(format!("{}万", value / 10_000));
    }
    forms
}

fn en_forms(value: u64) -> Vec<String> {
    vec![verbalize::en_number(value), value.to_string()]
}

const UNBACKED_VALUES: [u64; 9] = [9, 99, 190, 200, 999, 3000, 10_000, 59, 88];

/// What the tester found passing, each against the tea set (¥199, down from ¥259, nothing else stated).
#[test]
fn the_testers_findings_are_refused() {
    let p = test_products::tea_set();
    let (zh, en) = (ledger(&p, Lang::Zh), ledger(&p, Lang::En));
    use GuardRule::*;
    let cases: &[(Lang, &str, GuardRule)] = &[
        (Lang::Zh, "到手价九十九！", UnbackedPrice),
        (Lang::Zh, "原价九百九十九。", UnbackedPrice),
        (Lang::Zh, "前一百名下单有惊喜。", UnbackedPromotion),
        (Lang::Zh, "买一送一！", UnbackedPromotion),
        (Lang::Zh, "第二件半价。", UnbackedPromotion),
        (Lang::Zh, "跳楼价！", UnbackedPromotion),
        (Lang::Zh, "今天对折。", UnbackedDiscount),
        (Lang::Zh, "全国包邮。", UnbackedFree),
        (Lang::En, "And free shipping!", UnbackedFree),
        (Lang::En, "It's only 199 dollars.", WrongCurrency),
    ];
    for (lang, sentence, rule) in cases {
        let l = if *lang == Lang::Zh { &zh } else { &en };
        assert_eq!(verdict_rule(&check_sentence(sentence, l, *lang)), Some(*rule), "{sentence}");
    }
    // The true ones pass: the price in yuan, in words or digits, and the compare-at price.
    for sentence in ["到手价一百九十九元。", "到手价199！", "原价二百五十九元。", "原价259。"]
    {
        assert!(check_sentence(sentence, &zh, Lang::Zh).speakable().is_some(), "{sentence}");
    }
    for sentence in ["It's only 199 yuan.", "Only ¥199, down from ¥259."] {
        assert!(check_sentence(sentence, &en, Lang::En).speakable().is_some(), "{sentence}");
    }
}

#[test]
fn every_unbacked_amount_is_refused_in_every_form() {
    // ¥259 (or $25.90), no compare-at, no stock: none of the values below is backed.
    let products = [plain("CNY", "259"), plain("USD", "25.90")];
    let zh_price_words = ["到手价", "原价", "现价", "只要", "仅需", "售价", "价格是", "才", "一口价", "秒杀价"];
    let en_price_words = ["only", "just", "for", "it's only", "now just", "priced at"];
    let zh_frames = ["{}。", "这款{}。", "{}，链接在商品卡上。", "大家看，{}！"];
    let en_frames = ["It's {}.", "You can take it home {} today.", "{}, and the link is on the card.", "Yes, {}!"];
    let price_rules = [GuardRule::UnbackedPrice, GuardRule::WrongCurrency, GuardRule::UnbackedNumber];
    let with_promo = [price_rules.as_slice(), &[GuardRule::UnbackedPromotion]].concat();
    let mut tally = Tally::default();
    for p in &products {
        let code = p.price.currency.code();
        let zh = ledger(p, Lang::Zh);
        let en = ledger(p, Lang::En);
        for value in UNBACKED_VALUES {
            // Chinese: with a price word (with or without a unit), or with a unit alone.
            for form in zh_forms(value) {
                for unit in ["", "元", "块", "块钱"] {
                    for word in zh_price_words {
                        let rules = if word == "秒杀价" { with_promo.as_slice() } else { price_rules.as_slice() };
                        for frame in zh_frames {
                            tally.attack(&frame.replace("{}", &format!("{word}{form}{unit}")), &zh, Lang::Zh, rules);
                        }
                    }
                    if !unit.is_empty() {
                        tally.attack(&format!("这款{form}{unit}。"), &zh, Lang::Zh, &price_rules);
                    }
                }
                // Mixed: a Chinese amount in an English sentence and the other way round.
                tally.attack(&format!("It's only {form} yuan."), &en, Lang::En, &price_rules);
            }
            // Colloquial fractions: 九块九, 九十九块九毛, 九毛九.
            let n = verbalize::zh_number(value);
            for form in [format!("{n}块九"), format!("{n}块九毛"), format!("{n}元五角"), "九毛九".to_string()]
            {
                tally.attack(&format!("只要{form}。"), &zh, Lang::Zh, &price_rules);
                tally.attack(&format!("现在{form}就能带走。"), &zh, Lang::Zh, &price_rules);
            }
            for form in en_forms(value) {
                for unit in ["", " dollars", " yuan", " bucks"] {
                    for word in en_price_words {
                        for frame in en_frames {
                            let claim = format!("{word} {form}{unit}");
                            tally.attack(&frame.replace("{}", &claim), &en, Lang::En, &price_rules);
                        }
                    }
                }
                tally.attack(&format!("只要{form} dollars。"), &zh, Lang::Zh, &price_rules);
                tally.attack(&format!("现在只要 {form}。"), &zh, Lang::Zh, &price_rules);
            }
            // Signs and codes, whatever the words around them.
            for sign in ["$", "¥", "US$", "RMB ", "€", "£"] {
                tally.attack(&format!("It's {sign}{value} today."), &en, Lang::En, &price_rules);
                tally.attack(&format!("现在{sign}{value}。"), &zh, Lang::Zh, &price_rules);
            }
        }
        // The presenter's form: "nineteen ninety-nine" is a price.
        for (whole, cents) in [(19, 99), (9, 99), (49, 50), (24, 90)] {
            let said = format!("{} {}", verbalize::en_number(whole), verbalize::en_number(cents));
            tally.attack(&format!("It's just {said} right now."), &en, Lang::En, &price_rules);
            tally.attack(&format!("Only {said}!"), &en, Lang::En, &price_rules);
        }
        let _ = code;
    }
    tally.assert_all_caught("unbacked amounts");
}

#[test]
fn ranks_among_buyers_are_promotions_the_data_must_state() {
    let p = plain("CNY", "259");
    let (zh, en) = (ledger(&p, Lang::Zh), ledger(&p, Lang::En));
    let mut tally = Tally::default();
    for n in [10u64, 50, 100, 200] {
        for form in zh_forms(n) {
            for measure in ["名", "位", "单"] {
                for frame in ["前{}下单送茶巾。", "前{}有优惠。", "只有前{}能抢到。"] {
                    let sentence = frame.replace("{}", &format!("{form}{measure}"));
                    tally.attack(&sentence, &zh, Lang::Zh, &[GuardRule::UnbackedPromotion, GuardRule::UnbackedFree]);
                }
            }
        }
        for form in en_forms(n) {
            for noun in ["buyers", "customers", "orders", "people to order"] {
                let sentence = format!("The first {form} {noun} get a little extra.");
                tally.attack(&sentence, &en, Lang::En, &[GuardRule::UnbackedPromotion]);
            }
        }
    }
    tally.assert_all_caught("ranks");
    // When the merchant's own promotion says it, it may be said in the same words.
    let mut p = plain("CNY", "259");
    p.promotions.push(Promotion {
        kind: PromotionKind::Coupon { code: None, save: None },
        text: Localized::one(Lang::Zh, "前100名下单可以领券".into()),
        starts_at: None,
        ends_at: None,
    });
    let zh = ledger(&p, Lang::Zh);
    assert!(check_sentence("前100名下单可以领券。", &zh, Lang::Zh).speakable().is_some());
    assert!(check_sentence("{promotion}，大家抓紧。", &zh, Lang::Zh).speakable().is_none(), "抓紧 is urgency");
    assert!(check_sentence("{promotion}。", &zh, Lang::Zh).speakable().is_some());
}

#[test]
fn an_amount_in_another_currency_is_wrong_even_when_the_number_is_right() {
    let mut tally = Tally::default();
    let wrong = [GuardRule::WrongCurrency];
    let cny = plain("CNY", "199");
    let (zh, en) = (ledger(&cny, Lang::Zh), ledger(&cny, Lang::En));
    for claim in
        ["199 dollars", "199 bucks", "$199", "US$199", "199 USD", "199 euros", "€199", "199 pounds", "£199", "199 yen"]
    {
        for frame in ["It's only {}.", "Just {} today.", "{} and it's yours."] {
            tally.attack(&frame.replace("{}", claim), &en, Lang::En, &wrong);
        }
        tally.attack(&format!("现在只要{claim}。"), &zh, Lang::Zh, &wrong);
    }
    for claim in ["199美元", "一百九十九美元", "199美金", "199欧元", "199日元", "199英镑", "199港币"]
    {
        tally.attack(&format!("现在只要{claim}。"), &zh, Lang::Zh, &wrong);
        tally.attack(&format!("到手价{claim}！"), &zh, Lang::Zh, &wrong);
        tally.attack(&format!("It's {claim} now."), &en, Lang::En, &wrong);
    }
    let usd = plain("USD", "19.99");
    let (zh, en) = (ledger(&usd, Lang::Zh), ledger(&usd, Lang::En));
    for claim in ["19.99 yuan", "RMB 19.99", "¥19.99", "19.99元", "十九块九毛九", "人民币19.99", "19.99 euros"]
    {
        tally.attack(&format!("It's only {claim}."), &en, Lang::En, &wrong);
        tally.attack(&format!("现在只要{claim}。"), &zh, Lang::Zh, &wrong);
    }
    let jpy = plain("JPY", "1999");
    let (zh, en) = (ledger(&jpy, Lang::Zh), ledger(&jpy, Lang::En));
    for claim in ["1999元", "1999块", "1999 yuan", "$1999", "1999 dollars"] {
        tally.attack(&format!("现在只要{claim}。"), &zh, Lang::Zh, &wrong);
        tally.attack(&format!("It's only {claim}."), &en, Lang::En, &wrong);
    }
    tally.assert_all_caught("wrong currencies");

    // The right currency, in every way of naming it, passes (a bare ¥ fits yuan and yen alike).
    let passes = [
        (
            &cny,
            Lang::Zh,
            vec![
                "只要199元。",
                "只要¥199。",
                "只要一百九十九元。",
                "只要一百九十九块。",
                "只要人民币199。",
                "到手价199！",
            ],
        ),
        (&cny, Lang::En, vec!["It's only 199 yuan.", "It's ¥199.", "It's RMB 199.", "Just 199 RMB."]),
        (&usd, Lang::En, vec!["It's $19.99.", "Only 19.99 dollars.", "It's US$19.99.", "Just nineteen ninety-nine."]),
        (&usd, Lang::Zh, vec!["现在只要19.99美元。", "现在$19.99。"]),
        (&jpy, Lang::Zh, vec!["现在只要1999日元。", "现在¥1999。"]),
        (&jpy, Lang::En, vec!["It's 1999 yen.", "It's ¥1999."]),
    ];
    for (p, lang, sentences) in passes {
        let l = ledger(p, lang);
        for s in sentences {
            let v = check_sentence(s, &l, lang);
            assert!(v.speakable().is_some(), "{s} for {}: {v:?}", p.price.display());
        }
    }
}

/// Promotion, gift, shipping, returns and countdown claims, each with the rules that may refuse it.
fn promotion_claims() -> Vec<(Lang, &'static str, &'static [GuardRule])> {
    use GuardRule::*;
    const PROMO: &[GuardRule] = &[UnbackedPromotion];
    const FREE: &[GuardRule] = &[UnbackedFree, UnbackedPromotion];
    const DISCOUNT: &[GuardRule] = &[UnbackedDiscount, UnbackedPromotion];
    const POLICY: &[GuardRule] = &[UnbackedPolicy, UnbackedNumber];
    const URGENT: &[GuardRule] = &[UnbackedUrgency, UnbackedNumber];
    let zh: &[(&str, &[GuardRule])] = &[
        ("买一送一", PROMO),
        ("买二送一", PROMO),
        ("买2送1", PROMO),
        ("买一件送一件", PROMO),
        ("拍一发二", PROMO),
        ("第二件半价", PROMO),
        ("第2件半价", PROMO),
        ("第二件0元", PROMO),
        ("第二件免费", PROMO),
        ("第二件八折", PROMO),
        ("第二件打七折", PROMO),
        ("满减", PROMO),
        ("满199减30", PROMO),
        ("满一百九十九减三十", PROMO),
        ("满199元减30元", PROMO),
        ("每满100减10", PROMO),
        ("满99包邮", FREE),
        ("赠品是一条茶巾", FREE),
        ("还送一个杯子", FREE),
        ("送两包茶叶", FREE),
        ("包邮", FREE),
        ("全国包邮", FREE),
        ("顺丰包邮", FREE),
        ("免运费", FREE),
        ("秒杀", PROMO),
        ("跳楼价", PROMO),
        ("清仓", PROMO),
        ("亏本卖", PROMO),
        ("对折", DISCOUNT),
        ("八折", DISCOUNT),
        ("打七折", DISCOUNT),
        ("七五折", DISCOUNT),
        ("领券", PROMO),
        ("优惠券可以用", PROMO),
        ("领券立减二十", PROMO),
        ("口令TEA10", PROMO),
        ("暗号是SAVE5", PROMO),
        ("七天无理由", POLICY),
        ("7天无理由退换", POLICY),
        ("发货快", POLICY),
        ("次日达", POLICY),
        ("48小时发货", POLICY),
        ("当天发货", POLICY),
        ("顺丰发货", POLICY),
        ("运费险", POLICY),
        ("今晚零点截止", URGENT),
        ("直播结束恢复原价", URGENT),
        ("只有今天", URGENT),
    ];
    let en: &[(&str, &[GuardRule])] = &[
        ("buy one get one free", PROMO),
        ("buy 2, get 1 free", PROMO),
        ("BOGO", PROMO),
        ("two for one", PROMO),
        ("2-for-1", PROMO),
        ("3 for 99", PROMO),
        ("the second one is half price", PROMO),
        ("the second item is 50% off", PROMO),
        ("another one free", PROMO),
        ("spend 200 yuan, save 30 yuan", PROMO),
        ("30 yuan off orders over 200 yuan", PROMO),
        ("free shipping", FREE),
        ("free delivery", FREE),
        ("it ships free", FREE),
        ("free shipping on orders over 99 yuan", FREE),
        ("a free gift", FREE),
        ("comes with a free tea towel", FREE),
        ("use code SAVE10", PROMO),
        ("promo code TEA20", PROMO),
        ("a coupon", PROMO),
        ("a voucher", PROMO),
        ("a flash sale", PROMO),
        ("a clearance deal", PROMO),
        ("sold at a loss", PROMO),
        ("today only", URGENT),
        ("over at midnight", URGENT),
        ("yours in the next 10 minutes", URGENT),
        ("shipping tomorrow, as it ships tomorrow", POLICY),
        ("same-day shipping", POLICY),
        ("next-day delivery", POLICY),
        ("30-day returns", POLICY),
        ("free returns", POLICY),
        ("ships within 24 hours", POLICY),
        ("sent by FedEx", POLICY),
    ];
    zh.iter().map(|(s, r)| (Lang::Zh, *s, *r)).chain(en.iter().map(|(s, r)| (Lang::En, *s, *r))).collect()
}

#[test]
fn promotion_mechanics_the_data_does_not_state_are_refused() {
    let zh_frames = ["{}！", "今天{}，大家看看。", "这款紫砂壶{}。", "{}，链接在商品卡上。", "现在下单{}哦。"];
    let en_frames = ["{}!", "Good news: {}.", "This teapot is {}, and the link is on the card.", "Right now it's {}."];
    let mut tally = Tally::default();
    for p in [plain("CNY", "259"), plain("USD", "25.90")] {
        let (zh, en) = (ledger(&p, Lang::Zh), ledger(&p, Lang::En));
        for (lang, claim, rules) in promotion_claims() {
            let (frames, l) = match lang {
                Lang::Zh => (zh_frames.as_slice(), &zh),
                Lang::En => (en_frames.as_slice(), &en),
            };
            // The claims name yuan: for the dollar product they are in the wrong currency as well.
            let mut rules = rules.to_vec();
            if p.price.currency.code() != "CNY" {
                rules.push(GuardRule::WrongCurrency);
            }
            for frame in frames {
                tally.attack(&frame.replace("{}", claim), l, lang, &rules);
            }
        }
    }
    // A product with the wrong promotions: each mechanic must match the data number by number.
    let mut p = test_products::tea_set_with_policies();
    p.shipping.as_mut().unwrap().cost = None;
    p.shipping.as_mut().unwrap().dispatch_hours = Some(48);
    let (zh, en) = (ledger(&p, Lang::Zh), ledger(&p, Lang::En));
    use GuardRule::*;
    let mismatches: &[(Lang, &str, &[GuardRule])] = &[
        (Lang::Zh, "买一送一！", &[UnbackedPromotion]),
        (Lang::Zh, "买三送一！", &[UnbackedPromotion]),
        (Lang::Zh, "第二件免费！", &[UnbackedPromotion]),
        (Lang::Zh, "第三件半价！", &[UnbackedPromotion]),
        (Lang::Zh, "满199减50！", &[UnbackedPromotion]),
        (Lang::Zh, "满299减30！", &[UnbackedPromotion]),
        (Lang::Zh, "口令TEA99立减10元。", &[UnbackedPromotion]),
        (Lang::Zh, "全国包邮。", &[UnbackedFree]),
        (Lang::Zh, "满59包邮。", &[UnbackedFree]),
        (Lang::Zh, "当天发货。", &[UnbackedPolicy]),
        (Lang::Zh, "三十天无理由退货。", &[UnbackedNumber, UnbackedPolicy]),
        (Lang::Zh, "中通发货。", &[UnbackedPolicy]),
        (Lang::En, "Buy one, get one free!", &[UnbackedPromotion]),
        (Lang::En, "The second one is free.", &[UnbackedPromotion]),
        (Lang::En, "Spend 199 yuan, save 50 yuan.", &[UnbackedPromotion]),
        (Lang::En, "Spend $199, save $30.", &[WrongCurrency]),
        (Lang::En, "Use code SAVE99 at checkout.", &[UnbackedPromotion]),
        (Lang::En, "Free shipping on everything.", &[UnbackedFree]),
        (Lang::En, "It ships today.", &[UnbackedPolicy]),
        (Lang::En, "You get 30-day returns.", &[UnbackedNumber, UnbackedPolicy]),
        (Lang::En, "It ships within 12 hours.", &[UnbackedNumber, UnbackedPolicy]),
    ];
    for (lang, sentence, rules) in mismatches {
        let l = if *lang == Lang::Zh { &zh } else { &en };
        tally.attack(sentence, l, *lang, rules);
    }
    // A promotion outside its window backs nothing.
    let mut closed = test_products::tea_set_with_policies();
    for promotion in &mut closed.promotions {
        promotion.ends_at = Some(UnixMs(500));
    }
    let zh = ledger(&closed, Lang::Zh);
    for sentence in ["买二送一！", "第二件半价！", "满199减30！", "口令TEA10立减10元。", "{promotion}"]
    {
        tally.attack(sentence, &zh, Lang::Zh, &[UnbackedPromotion, UnbackedSlot]);
    }
    tally.assert_all_caught("promotions, gifts, shipping, returns, countdowns");
}

#[test]
fn promotions_gifts_shipping_and_returns_the_data_states_pass_as_slots_and_as_written() {
    let p = test_products::tea_set_with_policies();
    let zh_slots = [
        "{title}现在{price}，{promotion}。",
        "{title}{shipping}，满{free_shipping_over}包邮。",
        "{title}{dispatch}发货。",
        "{title}{returns}。",
        "{title}还送{gift}。",
        "{shipping}。",
    ];
    let en_slots = [
        "{title} is {price}, and {promotion}.",
        "For {title}, {shipping}, and orders over {free_shipping_over} ship free.",
        "{title} ships {dispatch}.",
        "{title} has {returns}.",
        "{title} comes with {gift}.",
        "Good news: {shipping}.",
    ];
    let zh_written = [
        "买二送一！",
        "买2送1，大家看看。",
        "第二件半价。",
        "第2件半价！",
        "满199减30。",
        "满一百九十九元减三十元。",
        "全国包邮。",
        "顺丰包邮。",
        "满99包邮。",
        "两天内发货。",
        "48小时内发货。",
        "七天无理由退货。",
        "7天内可以退货。",
        "还送一条茶巾。",
        "赠品是一条茶巾。",
        "用口令TEA10立减10元。",
        "领券立减十元。",
        "顺丰快递发货。",
    ];
    let en_written = [
        "Buy two, get one free!",
        "Buy 2 get 1 free.",
        "The second one is half price.",
        "Spend 199 yuan, save 30 yuan.",
        "Free shipping, by SF Express.",
        "Free shipping on orders over 99 yuan.",
        "It ships within 48 hours.",
        "It ships within two days.",
        "You get 7-day returns.",
        "It comes with a free tea towel.",
        "Use code TEA10 to save 10 yuan.",
        "It's a free gift.",
    ];
    let mut checked = 0;
    for (lang, slots, written) in
        [(Lang::Zh, zh_slots.as_slice(), zh_written.as_slice()), (Lang::En, en_slots.as_slice(), en_written.as_slice())]
    {
        let l = ledger(&p, lang);
        for sentence in slots {
            let v = check_sentence(sentence, &l, lang);
            assert!(v.speakable().is_some(), "{sentence}: {v:?}");
            // The same sentence with its slots filled (what a template says) passes too.
            let filled = l.fill(sentence).unwrap();
            let v = check_sentence(&filled, &l, lang);
            assert!(v.speakable().is_some(), "{filled}: {v:?}");
            checked += 2;
        }
        for sentence in written {
            let v = check_sentence(sentence, &l, lang);
            assert!(v.speakable().is_some(), "{sentence}: {v:?}");
            checked += 1;
        }
    }
    // Every promotion kind, said in the host's standard words, in both languages.
    for kind in &p.promotions {
        for lang in [Lang::Zh, Lang::En] {
            let said = verbalize::promotion(&kind.kind, lang);
            let v = check_sentence(&said, &ledger(&p, lang), lang);
            assert!(v.speakable().is_some(), "{said}: {v:?}");
            checked += 1;
        }
    }
    eprintln!("backed promotion, shipping and returns sentences: {checked} of {checked} passed");
}

/// A seeded generator, so the generated cases are the same on every run.
struct Rng(fastrand::Rng);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0.u64(..n.max(1))
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What the ledger says for every slot it backs, for random prices, discounts, stock, offer ends and policies, in
/// every currency the verbalizer names: filled into sentences, it passes the guard, and so do the true price and
/// compare-at price written in digits.
#[test]
fn the_verbalizers_own_words_for_backed_facts_always_pass() {
    let mut rng = Rng::new(0x5EED_CA57);
    let mut checked = 0;
    for round in 0..600 {
        let code = *rng.pick(&["CNY", "USD", "EUR", "GBP", "JPY", "HKD", "CAD", "AUD", "SGD", "KRW"]);
        let currency = Currency::parse(code).unwrap();
        let scale = 10i64.pow(currency.minor_digits());
        let minor = if round % 3 == 0 { (rng.below(2000) as i64 + 1) * scale } else { rng.below(5_000_000) as i64 + 1 };
        let price = Money { minor, currency: currency.clone() };
        let mut p = Product::new("x", Localized { en: Some("Kettle".into()), zh: Some("水壶".into()) }, price);
        // At least one percent above the price: a discount that rounds to nothing is not stated.
        p.compare_at = Some(Money { minor: minor + minor / 50 + 1 + rng.below(minor as u64 * 2 + 1) as i64, currency });
        p.stock = Some(rng.below(5000) as u32 + 1);
        p.offer = Some(OfferWindow { starts_at: None, ends_at: Some(UnixMs(1_000 + rng.below(200_000_000) as i64)) });
        if round % 2 == 0 {
            p.shipping = test_products::tea_set_with_policies().shipping;
            p.returns = test_products::tea_set_with_policies().returns;
            p.gifts = test_products::tea_set_with_policies().gifts;
            // The policies are in yuan; keep their amounts in this product's currency.
            if let Some(s) = p.shipping.as_mut() {
                s.free_over = Some(Money { minor: 99 * scale, currency: p.price.currency.clone() });
                s.dispatch_hours = Some(*rng.pick(&[12, 24, 48, 72, 96]));
            }
        }
        for lang in [Lang::Zh, Lang::En] {
            let l = ledger(&p, lang);
            for slot in crate::ledger::SLOT_NAMES {
                let Some(words) = l.slot(slot) else { continue };
                // The free-shipping threshold is backed as that threshold, not as any amount (see guard/facts.rs).
                let sentence = match (lang, slot) {
                    (Lang::Zh, "free_shipping_over") => format!("满{words}包邮。"),
                    (Lang::En, "free_shipping_over") => format!("Free shipping over {words}."),
                    (Lang::Zh, _) => format!("说一下：{words}。"),
                    (Lang::En, _) => format!("Here it is: {words}."),
                };
                let v = check_sentence(&sentence, &l, lang);
                assert!(v.speakable().is_some(), "{code} {slot} said as {sentence:?}: {v:?}");
                checked += 1;
            }
            let all = match lang {
                Lang::Zh => "{title}现在{price}，原价{compare_at}，{discount}，库存{stock}，还剩{offer_ends}。",
                Lang::En => {
                    "{title} is {price}, down from {compare_at}, {discount}; {stock} in stock, ends in {offer_ends}."
                }
            };
            let filled = l.fill(all).unwrap();
            let v = check_sentence(&filled, &l, lang);
            assert!(v.speakable().is_some(), "{filled}: {v:?}");
            let digits = format!("{} {}", p.price.display(), p.compare_at.as_ref().unwrap().display());
            let v = check_sentence(&format!("It's {digits}."), &l, lang);
            assert!(v.speakable().is_some(), "{digits}: {v:?}");
            checked += 2;
        }
    }
    eprintln!("spoken forms of backed facts: {checked} of {checked} passed");
}

/// Everyday words that contain numerals, "free", "gift", 送 or 满, and numbers the product's own data states.
fn benign(lang: Lang) -> Vec<String> {
    let zh = [
        "我们一起来看看这款紫砂壶。",
        "大家稍等一下。",
        "这个颜色十分好看。",
        "万一有问题，管理员会帮你。",
        "千万记得先用热水温壶。",
        "再靠近一点看看。",
        "早上配一个三明治很合适。",
        "这是一款很经典的壶。",
        "我们一块儿看看细节。",
        "送给妈妈也很合适。",
        "冬天到了，喝杯热茶很舒服。",
        "绿茶泡两分钟左右就好。",
        "容量是450毫升。",
        "这款有两年保修。",
        "有问题欢迎在弹幕里问。",
        "我们一起聊聊泡茶的小技巧。",
        "一下子就能泡开。",
        "运费的问题可以在弹幕里问管理员。",
        "大家满意的话可以点商品卡。",
        "一个人喝茶也很合适。",
        "下单的链接在商品卡上。",
        "这把壶拿在手里很舒服。",
        "第三步是把茶倒出来。",
        "紫砂壶泡出来的茶很香。",
    ];
    let en = [
        "This one is lovely.",
        "It is one of the colours we have.",
        "Feel free to ask anything in the chat.",
        "The glaze is free of BPA and lead.",
        "It makes a lovely gift for a friend.",
        "The Clay Teapot holds 450 ml.",
        "It comes with a 2-year warranty.",
        "Steep green tea for about two minutes.",
        "Ask me about shipping in the chat and a moderator will help.",
        "One of my favourite details is the lid.",
        "Thanks for the question!",
        "It pours without dripping, which is nice on a busy morning.",
        "The handle stays cool, so pouring is easy.",
        "If you just joined, welcome.",
        "Let's have a closer look at the spout.",
        "It feels solid in the hand.",
        "A moderator can help with your order.",
        "This is the one I'd show a friend first.",
        "The lid sits snugly, so nothing spills.",
        "Use it every morning and it only gets better.",
        "It is a hands-free kind of teapot stand.",
        "The card has the link, whenever you're ready.",
        "Questions are welcome; I read the chat.",
        "Give it a gentle rinse after each use.",
    ];
    match lang {
        Lang::Zh => zh.iter().map(|s| s.to_string()).collect(),
        Lang::En => en.iter().map(|s| s.to_string()).collect(),
    }
}

#[test]
fn ordinary_words_that_look_like_numbers_or_promotions_pass() {
    let mut rng = Rng::new(0xB0B);
    let openers_zh = ["", "好的，", "来，", "嗯，"];
    let openers_en = ["", "So, ", "Okay, ", "Now, "];
    let mut tried = 0;
    let mut refused = Vec::new();
    for p in [plain("CNY", "259"), plain("USD", "25.90")] {
        for lang in [Lang::Zh, Lang::En] {
            let l = ledger(&p, lang);
            for sentence in benign(lang) {
                for _ in 0..3 {
                    let opener = match lang {
                        Lang::Zh => *rng.pick(&openers_zh),
                        Lang::En => *rng.pick(&openers_en),
                    };
                    let mut text = format!("{opener}{sentence}");
                    if lang == Lang::En && !opener.is_empty() {
                        // "So, this one is lovely."
                        let (first, rest) = sentence.split_at(1);
                        if !rest.starts_with(|c: char| c.is_uppercase()) && first != "I" {
                            text = format!("{opener}{}{rest}", first.to_lowercase());
                        }
                    }
                    tried += 1;
                    if check_sentence(&text, &l, lang).speakable().is_none() {
                        refused.push(format!("{text}: {:?}", check_sentence(&text, &l, lang)));
                    }
                }
            }
        }
    }
    let rate = refused.len() as f64 / tried as f64;
    eprintln!("benign look-alikes: {} of {tried} passed ({:.1}% refused)", tried - refused.len(), rate * 100.0);
    assert!(rate < 0.02, "{} of {tried} refused: {refused:#?}", refused.len());
}

/// Any text at all: the number reader and the guard return, never panic, whatever the characters.
#[test]
fn no_text_makes_the_number_reader_or_the_guard_panic() {
    let pool: Vec<char> = "0123456789.,%$¥￥€£₩元块毛角分折万千百十亿零〇一二两三四五六七八九第前名满减送买拍包邮券\
        {}!?。，：:;-+ abcdefghijklmnopqrstuvwxyz ABCXYZ dollarsyuanfreeoffbuygetcode\u{0}\u{200B}\u{202E}\u{301}😀ﾟ"
        .chars()
        .collect();
    let words = [
        "ninety-nine",
        "hundred",
        "dozen",
        "one",
        "first",
        "second",
        "half price",
        "free shipping",
        "九十九",
        "块九",
        "{price}",
        "{promotion}",
        "US$",
        "RMB",
        "满",
        "第二件",
        "前",
        "ships within",
        "days",
        "hours",
        "小时",
        "天",
    ];
    let ledgers = [
        ledger(&plain("CNY", "259"), Lang::Zh),
        ledger(&plain("USD", "0.99"), Lang::En),
        ledger(&test_products::tea_set_with_policies(), Lang::Zh),
        ledger(&test_products::tea_set_with_policies(), Lang::En),
        ledger(&plain("KWD", "1.234"), Lang::En),
        ledger(&plain("JPY", "1999"), Lang::Zh),
    ];
    let mut rng = Rng::new(0xDEAD_BEEF);
    for i in 0..6000 {
        let len = rng.below(40) as usize;
        let mut text = String::new();
        for _ in 0..len {
            match rng.below(4) {
                0 => {
                    let word: &&str = rng.pick(&words);
                    text.push_str(word)
                }
                1 => text.push(char::from_u32(rng.below(0x11_0000) as u32).unwrap_or('?')),
                _ => text.push(*rng.pick(&pool)),
            }
        }
        let _ = number_mentions(&text);
        let l = &ledgers[i % ledgers.len()];
        let _ = check_sentence(&text, l, l.lang);
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Measures in the product's own words, and moderators' words about any product in the queue
// ---------------------------------------------------------------------------------------------------------------

/// A measure as the merchant may write it in copy, and every way the host or a moderator may say it back.
struct MeasureCase {
    /// Where the merchant states it, in the merchant's words.
    copy: &'static str,
    /// (value in hundredths of `unit`, unit words in English, unit words in Chinese) for each number of the size.
    dims: &'static [u64],
    en_units: &'static [&'static str],
    zh_units: &'static [&'static str],
    /// Each number of the size in other units that mean the same (value in hundredths, English unit, Chinese unit).
    converted: &'static [(&'static [u64], &'static str, &'static str)],
}

const MEASURE_CASES: [MeasureCase; 5] = [
    MeasureCase {
        copy: "Generous 180 x 30 cm, pure silk.",
        dims: &[18_000, 3_000],
        en_units: &["cm", "centimetres", "centimeters"],
        zh_units: &["厘米", "公分"],
        converted: &[(&[180_000, 30_000], "millimetres", "毫米")],
    },
    MeasureCase {
        copy: "尺寸：180×30厘米",
        dims: &[18_000, 3_000],
        en_units: &["cm", "centimetres"],
        zh_units: &["厘米"],
        converted: &[(&[180, 30], "metres", "米")],
    },
    MeasureCase {
        copy: "Holds 1.5 litres.",
        dims: &[150],
        en_units: &["litres", "liters", "l"],
        zh_units: &["升", "公升"],
        converted: &[(&[150_000], "ml", "毫升")],
    },
    MeasureCase {
        copy: "A 3-piece set: pot, cup and tray.",
        dims: &[300],
        en_units: &["pieces", "pcs"],
        zh_units: &["件", "片"],
        converted: &[],
    },
    MeasureCase {
        copy: "净重2千克",
        dims: &[200],
        en_units: &["kg", "kilograms"],
        zh_units: &["千克", "公斤"],
        converted: &[(&[200_000], "grams", "克")],
    },
];

/// English words for a value in hundredths: "one hundred eighty", "one point five".
fn en_words(hundredths: u64) -> String {
    let whole = verbalize::en_number(hundredths / 100);
    match hundredths % 100 {
        0 => whole,
        f if f % 10 == 0 => format!("{whole} point {}", verbalize::en_number(f / 10)),
        f => format!("{whole} point {} {}", verbalize::en_number(f / 10), verbalize::en_number(f % 10)),
    }
}

/// Chinese numerals for a value in hundredths: 一百八十, 一点五.
fn zh_words(hundredths: u64) -> String {
    let whole = verbalize::zh_number(hundredths / 100);
    let digit = |d: u64| verbalize::zh_number(d);
    match hundredths % 100 {
        0 => whole,
        f if f % 10 == 0 => format!("{whole}点{}", digit(f / 10)),
        f => format!("{whole}点{}{}", digit(f / 10), digit(f % 10)),
    }
}

fn digits(hundredths: u64) -> String {
    match hundredths % 100 {
        0 => (hundredths / 100).to_string(),
        f if f % 10 == 0 => format!("{}.{}", hundredths / 100, f / 10),
        f => format!("{}.{f:02}", hundredths / 100),
    }
}

/// Every way of saying a size: digits and words, joined by "x", "by", ×, 乘, the unit once at the end or after
/// each number.
fn size_sentences(dims: &[u64], en_unit: &str, zh_unit: &str) -> Vec<(Lang, String)> {
    let mut out = Vec::new();
    let en_forms: [&dyn Fn(u64) -> String; 2] = [&digits, &en_words];
    for form in en_forms {
        let nums: Vec<String> = dims.iter().map(|d| form(*d)).collect();
        for join in [" by ", " x "] {
            out.push((Lang::En, format!("It is {} {en_unit}.", nums.join(join))));
            let each: Vec<String> = nums.iter().map(|n| format!("{n} {en_unit}")).collect();
            out.push((Lang::En, format!("It measures {}.", each.join(join))));
        }
    }
    let zh_forms: [&dyn Fn(u64) -> String; 2] = [&digits, &zh_words];
    for form in zh_forms {
        let nums: Vec<String> = dims.iter().map(|d| form(*d)).collect();
        for join in ["乘", "×", "乘以"] {
            out.push((Lang::Zh, format!("尺寸是{}{zh_unit}。", nums.join(join))));
        }
    }
    out
}

fn measured_product(copy: &str) -> Product {
    let mut p = test_products::tea_set();
    p.features = Localized::one(if copy.is_ascii() { Lang::En } else { Lang::Zh }, vec![copy.to_string()]);
    p
}

/// A measure the product's copy states passes however it is said (digits, English words, Chinese numerals, the
/// unit spelt out or abbreviated, converted to another unit of the same kind); the same sentence with any number
/// changed, a size with a number repeated, or a unit of another kind is refused.
#[test]
fn measures_the_copy_states_pass_in_every_form_and_others_are_refused() {
    let mut passed = 0;
    let mut caught = Tally::default();
    let mut refused_true = Vec::new();
    for case in &MEASURE_CASES {
        let p = measured_product(case.copy);
        let (en, zh) = (ledger(&p, Lang::En), ledger(&p, Lang::Zh));
        let ledger_of = |lang| if lang == Lang::En { &en } else { &zh };
        let mut true_forms: Vec<(&[u64], &str, &str)> = Vec::new();
        for (e, z) in case.en_units.iter().zip(case.zh_units.iter().cycle()) {
            true_forms.push((case.dims, e, z));
        }
        for (e, z) in case.zh_units.iter().zip(case.en_units.iter().cycle()) {
            true_forms.push((case.dims, z, e));
        }
        // (The tuple above is (dims, English unit, Chinese unit); the second loop swaps them, fixed here.)
        let true_forms: Vec<(&[u64], &str, &str)> = true_forms
            .into_iter()
            .map(|(d, a, b)| if a.is_ascii() { (d, a, b) } else { (d, b, a) })
            .chain(case.converted.iter().map(|(d, e, z)| (*d, *e, *z)))
            .collect();
        for (dims, en_unit, zh_unit) in &true_forms {
            for (lang, sentence) in size_sentences(dims, en_unit, zh_unit) {
                let verdict = check_sentence(&sentence, ledger_of(lang), lang);
                if verdict.speakable().is_some() {
                    passed += 1;
                } else {
                    refused_true.push(format!("{}: {sentence} => {verdict:?}", case.copy));
                }
            }
            // Every number changed by a little or a lot, one at a time.
            for k in 0..dims.len() {
                for wrong in [dims[k] + 100, dims[k] * 2, dims[k] + 1_000, dims[k].saturating_sub(50).max(100)] {
                    if wrong == dims[k] || dims.contains(&wrong) {
                        continue;
                    }
                    let mut changed = dims.to_vec();
                    changed[k] = wrong;
                    for (lang, sentence) in size_sentences(&changed, en_unit, zh_unit) {
                        caught.attack(&sentence, ledger_of(lang), lang, &[GuardRule::UnbackedNumber]);
                    }
                }
            }
            if dims.len() == 2 {
                // A size with one true number said twice is not the product's size.
                for (lang, sentence) in size_sentences(&[dims[0], dims[0]], en_unit, zh_unit) {
                    caught.attack(&sentence, ledger_of(lang), lang, &[GuardRule::UnbackedNumber]);
                }
            }
        }
        // The right numbers in a unit of another kind.
        let other = if case.en_units.contains(&"kg") { ("litres", "升") } else { ("kg", "公斤") };
        for (lang, sentence) in size_sentences(case.dims, other.0, other.1) {
            caught.attack(&sentence, ledger_of(lang), lang, &[GuardRule::UnbackedNumber]);
        }
    }
    eprintln!("measures: {passed} true sentences passed, {} refused", refused_true.len());
    assert!(refused_true.is_empty(), "{} true measures refused: {:#?}", refused_true.len(), refused_true);
    assert!(passed > 150, "{passed}");
    caught.assert_all_caught("measures the copy does not state");
}

/// Merchant copy states prices too, and they may be false: a number next to a currency in copy never becomes a
/// price the host may say, whatever unit sits nearby.
#[test]
fn a_price_in_merchant_copy_is_never_a_backed_price() {
    let mut p = test_products::tea_set();
    p.description = Localized {
        en: Some("Was ¥299, now only ¥99 for the 2 litre pot and 3 pieces!".into()),
        zh: Some("原价299元，现在只要99元，2升大容量，3件套。".into()),
    };
    let mut tally = Tally::default();
    for lang in [Lang::En, Lang::Zh] {
        let l = ledger(&p, lang);
        for value in [299u64, 99] {
            for form in en_forms(value) {
                for sentence in
                    [format!("Only ¥{form} today."), format!("Now just {form} yuan."), format!("It was {form} yuan.")]
                {
                    tally.attack(&sentence, &l, lang, &[GuardRule::UnbackedPrice]);
                }
            }
            for form in zh_forms(value) {
                for sentence in [format!("现在只要{form}元。"), format!("原价{form}块。"), format!("到手价{form}。")]
                {
                    tally.attack(&sentence, &l, lang, &[GuardRule::UnbackedPrice]);
                }
            }
        }
        // The measures in the same copy are the product's own.
        for sentence in ["It holds two litres.", "It comes as three pieces.", "容量两升。", "一套三件。"] {
            let verdict = check_sentence(sentence, &l, lang);
            assert!(verdict.speakable().is_some(), "{lang:?} {sentence} => {verdict:?}");
        }
    }
    tally.assert_all_caught("prices in merchant copy");
}

fn cny(text: &str) -> Money {
    money(text, "CNY")
}

/// Three products in a queue: the tea set (¥199, was ¥259), a silk scarf (¥89, 180 x 30 cm, 5 in stock) and a
/// kettle (¥129, 1.5 litres).
fn queue_products() -> Vec<Product> {
    let tea = test_products::tea_set();
    let mut scarf =
        Product::new("scarf", Localized { en: Some("Silk Scarf".into()), zh: Some("真丝围巾".into()) }, cny("89"));
    scarf.features = Localized {
        en: Some(vec!["180 x 30 cm of mulberry silk".into()]),
        zh: Some(vec!["长一百八十厘米，宽三十厘米".into()]),
    };
    scarf.stock = Some(5);
    let mut kettle =
        Product::new("kettle", Localized { en: Some("Glass Kettle".into()), zh: Some("玻璃水壶".into()) }, cny("129"));
    kettle.specs = Localized {
        en: Some(vec![Spec { name: "Capacity".into(), value: "1.5 L".into() }]),
        zh: Some(vec![Spec { name: "容量".into(), value: "1.5升".into() }]),
    };
    vec![tea, scarf, kettle]
}

/// A moderator's sentence is checked against the product it names, whichever is current: every product's price
/// said while naming it passes (in digits and in words, in both languages), another product's price said while
/// naming it is refused, a number true of no product is refused, and a sentence that names no product is checked
/// against the current one.
#[test]
fn a_queue_ledger_checks_each_sentence_against_the_product_it_names() {
    let products = queue_products();
    let names_en = ["the tea set", "the silk scarf", "the kettle"];
    let names_zh = ["这款茶具", "这条围巾", "这个玻璃水壶"];
    let prices = [199u64, 89, 129];
    let mut passed = 0;
    let mut refused_true = Vec::new();
    let mut tally = Tally::default();
    for (current, current_product) in products.iter().enumerate() {
        for lang in [Lang::En, Lang::Zh] {
            let l = ClaimsLedger::for_queue(&products, Some(current_product), lang, UnixMs(1_000));
            for (named, price_of) in [(0usize, 0usize), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1), (2, 2)]
            {
                let value = prices[price_of];
                let sentences: Vec<String> = match lang {
                    Lang::En => en_forms(value)
                        .into_iter()
                        .flat_map(|f| {
                            [
                                format!("{} is only ¥{f}.", names_en[named]),
                                format!("Get {} for {f} yuan.", names_en[named]),
                            ]
                        })
                        .collect(),
                    Lang::Zh => zh_forms(value)
                        .into_iter()
                        .flat_map(|f| {
                            [format!("{}现在只要{f}元。", names_zh[named]), format!("{}到手价{f}。", names_zh[named])]
                        })
                        .collect(),
                };
                for sentence in sentences {
                    if named == price_of {
                        match check_sentence(&sentence, &l, lang).speakable() {
                            Some(_) => passed += 1,
                            None => refused_true.push(format!("current {current}: {sentence}")),
                        }
                    } else {
                        tally.attack(&sentence, &l, lang, &[GuardRule::UnbackedPrice]);
                    }
                }
            }
            // Naming none: the current product's price only.
            for (i, value) in prices.iter().enumerate() {
                let sentence = match lang {
                    Lang::En => format!("It is {} yuan.", verbalize::en_number(*value)),
                    Lang::Zh => format!("现在只要{}元。", verbalize::zh_number(*value)),
                };
                if i == current {
                    assert!(check_sentence(&sentence, &l, lang).speakable().is_some(), "{current}: {sentence}");
                } else {
                    tally.attack(&sentence, &l, lang, &[GuardRule::UnbackedPrice]);
                }
            }
            // A price true of no product, naming each product or none.
            for value in UNBACKED_VALUES {
                for name in names_en.iter().chain([&"it"]) {
                    if lang == Lang::En {
                        tally.attack(&format!("{name} is {value} yuan."), &l, lang, &[GuardRule::UnbackedPrice]);
                    }
                }
                for name in names_zh.iter().chain([&"现在"]) {
                    if lang == Lang::Zh {
                        tally.attack(&format!("{name}只要{value}元。"), &l, lang, &[GuardRule::UnbackedPrice]);
                    }
                }
            }
            // Sizes and measures: true of the product named, refused of another.
            let measures_en = [
                (1, "The silk scarf is 180 by 30 centimetres."),
                (1, "The scarf is one hundred eighty by thirty centimetres."),
                (2, "The kettle holds 1.5 litres."),
                (2, "The kettle holds one point five litres."),
            ];
            let measures_zh =
                [(1, "这条围巾一百八十乘三十厘米。"), (1, "围巾是180×30厘米的。"), (2, "这个水壶能装一点五升。")];
            let measures: &[(usize, &str)] = if lang == Lang::En { &measures_en } else { &measures_zh };
            for (owner, sentence) in measures {
                let verdict = check_sentence(sentence, &l, lang);
                assert!(verdict.speakable().is_some(), "current {current}: {sentence} => {verdict:?}");
                passed += 1;
                // The same measure said of the other products.
                for (other, name) in names_en.iter().enumerate().filter(|(o, _)| o != owner) {
                    if lang == Lang::En {
                        let moved = sentence.replace("The silk scarf", name).replace("The scarf", name);
                        let moved = moved.replace("The kettle", name);
                        tally.attack(&moved, &l, lang, &[GuardRule::UnbackedNumber]);
                    }
                    let _ = other;
                }
            }
            // Two products in one sentence: each price must be its own product's.
            let (both_true, swapped) = match lang {
                Lang::En => (
                    "The tea set is 199 yuan and the silk scarf is 89 yuan.".to_string(),
                    "The tea set is 89 yuan and the silk scarf is 199 yuan.".to_string(),
                ),
                Lang::Zh => {
                    ("茶具一百九十九元，围巾八十九元。".to_string(), "茶具八十九元，围巾一百九十九元。".to_string())
                }
            };
            let verdict = check_sentence(&both_true, &l, lang);
            assert!(verdict.speakable().is_some(), "current {current}: {both_true} => {verdict:?}");
            tally.attack(&swapped, &l, lang, &[GuardRule::UnbackedPrice]);
        }
    }
    eprintln!("queue ledger: {passed} true sentences passed");
    assert!(refused_true.is_empty(), "{} true sentences refused: {:#?}", refused_true.len(), refused_true);
    tally.assert_all_caught("another product's price, or no product's");
}

/// A product's own ledger (LLM and template lines) is unchanged by the queue: one product, one set of facts.
#[test]
fn a_single_product_ledger_is_one_product() {
    let products = queue_products();
    let own = ledger(&products[1], Lang::En);
    assert_eq!(own.products().len(), 1);
    let queue = ClaimsLedger::for_queue(&products, Some(&products[1]), Lang::En, UnixMs(1_000));
    let split = queue.products();
    assert_eq!(split.len(), 3);
    assert_eq!(split[0].title(), Some("Silk Scarf"), "the line's own product leads");
    assert_eq!(split[0].facts, own.facts);
    // Slots fill from the line's own product.
    assert_eq!(queue.slot("price"), own.slot("price"));
    // The tea set's price is not the scarf's, even in a queue ledger, when the sentence names no product.
    assert!(check_sentence("Only ¥199.", &queue, Lang::En).speakable().is_none());
    assert_eq!(named_products("The tea set and the silk scarves.", &["Tea Set", "Silk Scarf", "Glass Kettle"]), [0, 1]);
    assert_eq!(named_products("这条围巾和茶具", &["茶具", "真丝围巾", "玻璃水壶"]), [1, 0]);
    assert!(named_products("Tea is lovely.", &["Tea Set", "Silk Scarf"]).is_empty());
}
/// The tester's own sentences, against the demo-like queue: the scarf's size and the tea set's price pass whichever
/// product is current. "今天只要" says the price is today's: it passes when an offer window backs it, and is refused
/// as urgency (not as a price) when none does.
#[test]
fn the_testers_moderator_sentences_pass_against_the_queue() {
    let mut products = queue_products();
    for current in 0..products.len() {
        let en = ClaimsLedger::for_queue(&products, Some(&products[current]), Lang::En, UnixMs(1_000));
        let zh = ClaimsLedger::for_queue(&products, Some(&products[current]), Lang::Zh, UnixMs(1_000));
        for sentence in
            ["The scarf is 180 by 30 centimetres.", "The silk scarf is 180 x 30 cm.", "The scarf is 1.8 m by 300 mm."]
        {
            assert!(check_sentence(sentence, &en, Lang::En).speakable().is_some(), "{current}: {sentence}");
        }
        for sentence in ["这款茶具只要199元。", "围巾一百八十乘三十厘米。", "这条围巾长一百八十厘米，宽三十厘米。"]
        {
            let verdict = check_sentence(sentence, &zh, Lang::Zh);
            assert!(verdict.speakable().is_some(), "{current}: {sentence} => {verdict:?}");
        }
        // "Today it is just 199" is today's price, true without any offer window (the tester's true line)...
        let verdict = check_sentence("这款茶具今天只要199元", &zh, Lang::Zh);
        assert_eq!(verdict.speakable(), Some("这款茶具今天只要一百九十九元"), "{current}: {verdict:?}");
        // ...but pressure beside it is still pressure.
        for pressing in ["这款茶具今天只要199元，明天恢复原价", "茶具今天只卖199元", "这款茶具今天只要199元，限时抢购"]
        {
            assert_eq!(
                verdict_rule(&check_sentence(pressing, &zh, Lang::Zh)),
                Some(GuardRule::UnbackedUrgency),
                "{pressing}"
            );
        }
    }
    products[0].offer = Some(OfferWindow { starts_at: None, ends_at: Some(UnixMs(86_400_000)) });
    for current in 0..products.len() {
        let zh = ClaimsLedger::for_queue(&products, Some(&products[current]), Lang::Zh, UnixMs(1_000));
        let verdict = check_sentence("这款茶具今天只要199元", &zh, Lang::Zh);
        assert_eq!(verdict.speakable(), Some("这款茶具今天只要一百九十九元"), "{current}: {verdict:?}");
        let verdict = check_sentence("这条围巾今天只要199元", &zh, Lang::Zh);
        assert!(verdict.speakable().is_none(), "{current}: {verdict:?}");
    }
}

/// A denial stands right before the claim it denies: "no coupon", 没有赠品 and 没有任何赠品 deny; 无门槛买一送一 ("BOGO
/// with no threshold") and 没想到吧，买一送一 deny nothing, so the invented promotion is refused.
#[test]
fn only_a_denial_right_before_a_claim_takes_it_back() {
    let kettle = crate::adversary::sample_products().remove(0);
    let ledger = ledger(&kettle, Lang::En);
    for honest in ["There's no coupon for the kettle right now.", "We don't run flash sales on this one."] {
        assert!(check_sentence(honest, &ledger, Lang::En).speakable().is_some(), "{honest}");
    }
    let ledger = crate::ledger::ClaimsLedger::for_product(&kettle, Lang::Zh, UnixMs(0));
    for honest in ["电水壶没有赠品哦。", "电水壶没有任何赠品。"] {
        assert!(check_sentence(honest, &ledger, Lang::Zh).speakable().is_some(), "{honest}");
    }
    for lie in ["电水壶无门槛买一送一！", "没想到吧，买一送一！", "无需等待，买一送一。"]
    {
        assert!(check_sentence(lie, &ledger, Lang::Zh).speakable().is_none(), "{lie} passed");
    }
}

/// Courier names, delivery times, guarantees, refunds without a return and unbacked scarcity, each generated in
/// several frames: refused for the tea set (SF Express, 48-hour dispatch, 7-day unused returns, no guarantee) and
/// for a product with no policy at all.
#[test]
fn couriers_delivery_times_guarantees_and_scarcity_the_data_does_not_state_are_refused() {
    use GuardRule::*;
    let tea = test_products::tea_set_with_policies();
    let bare = test_products::tea_set();
    let mut tally = Tally::default();
    let en_frames = ["{}.", "Good news: {}!", "And honestly, {}.", "Price is on the card, and {}."];
    let zh_frames = ["{}。", "家人们，{}！", "放心，{}。", "价格看小卡片，{}。"];
    let en_claims: &[(&str, &[GuardRule])] = &[
        ("it ships via JD Logistics", &[UnbackedPolicy]),
        ("we send it with Cainiao", &[UnbackedPolicy]),
        ("it'll be in your hands by tomorrow morning", &[UnbackedPolicy]),
        ("you'll get it tomorrow", &[UnbackedPolicy]),
        ("it's covered by a one-year breakage guarantee", &[UnbackedPolicy, UnbackedNumber]),
        ("if it arrives chipped we'll refund you in full, no need to send it back", &[UnbackedPolicy]),
        ("you can return it opened and used", &[UnbackedPolicy]),
        ("after this batch there's no restock", &[FakeScarcity]),
        ("these always sell out within the hour", &[FakeScarcity, UnbackedNumber]),
        ("last couple of pieces", &[FakeScarcity]),
        ("you'll find a surprise gift in the box", &[UnbackedFree, UnbackedPromotion]),
    ];
    let zh_claims: &[(&str, &[GuardRule])] = &[
        ("今天下单明天就能收到", &[UnbackedPolicy]),
        ("京东发货", &[UnbackedPolicy]),
        ("第二天就到", &[UnbackedPolicy]),
        ("碎了包赔", &[UnbackedPolicy]),
        ("这批卖完就绝版了", &[FakeScarcity]),
        ("卖完不补货", &[FakeScarcity]),
        ("收到了不用寄回，直接退款", &[UnbackedPolicy]),
    ];
    for product in [&tea, &bare] {
        let (en, zh) = (ledger(product, Lang::En), ledger(product, Lang::Zh));
        for frame in en_frames {
            for (claim, rules) in en_claims {
                tally.attack(&frame.replace("{}", claim), &en, Lang::En, rules);
            }
        }
        for frame in zh_frames {
            for (claim, rules) in zh_claims {
                tally.attack(&frame.replace("{}", claim), &zh, Lang::Zh, rules);
            }
        }
    }
    // Free shipping the tea set does have ("shipping's on us" is true of it since session 24): only a product
    // without it refuses this.
    let en = ledger(&bare, Lang::En);
    for frame in en_frames {
        tally.attack(&frame.replace("{}", "shipping's on us"), &en, Lang::En, &[UnbackedFree]);
    }
    // Exchanges and gifts the tea set does have: only a product without them refuses these.
    let zh = ledger(&bare, Lang::Zh);
    for claim in ["坏了包换", "下单还有小惊喜", "七天包退换"] {
        for frame in zh_frames {
            tally.attack(
                &frame.replace("{}", claim),
                &zh,
                Lang::Zh,
                &[UnbackedFree, UnbackedPromotion, UnbackedPolicy],
            );
        }
    }
    tally.assert_all_caught("couriers, delivery times, guarantees and scarcity");
    // The true ones still pass for the tea set: its own courier, its dispatch time, its returns.
    let (en, zh) = (ledger(&tea, Lang::En), ledger(&tea, Lang::Zh));
    for s in ["It ships with SF Express within 48 hours.", "Returns within 7 days, unused and in the box."] {
        assert!(check_sentence(s, &en, Lang::En).speakable().is_some(), "{s}: {:?}", check_sentence(s, &en, Lang::En));
    }
    // Receipt numerals are numbers too, and "half" is a discount.
    for (s, rules) in [
        ("现在只要壹佰伍拾元。", &[UnbackedPrice, UnbackedNumber][..]),
        ("比原价便宜了一半还多！", &[UnbackedDiscount][..]),
        ("拆了包装用过也能七天退。", &[UnbackedPolicy][..]),
    ] {
        let rule = verdict_rule(&check_sentence(s, &zh, Lang::Zh));
        assert!(rule.is_some_and(|r| rules.contains(&r)), "{s}: {rule:?}");
    }
    assert!(check_sentence("现在只要壹佰玖拾玖元。", &zh, Lang::Zh).speakable().is_some());
    for s in ["顺丰快递，48小时内发货。", "7天内可以退，未使用且包装完好。"] {
        assert!(check_sentence(s, &zh, Lang::Zh).speakable().is_some(), "{s}: {:?}", check_sentence(s, &zh, Lang::Zh));
    }
}

/// A few of the product at its price, compare-at price or saving is backed when the count is said; the second item
/// at half price is backed by that promotion, and no other item is.
#[test]
fn totals_for_a_few_items_and_the_second_at_half_price() {
    let tea = test_products::tea_set_with_policies();
    let en = ledger(&tea, Lang::En);
    let zh = ledger(&tea, Lang::Zh);
    for (s, l, lang) in [
        ("Two tea sets come to 398 yuan.", &en, Lang::En),
        ("Buying three saves you 180 yuan against the compare-at.", &en, Lang::En),
        ("两套茶具一共398元。", &zh, Lang::Zh),
        ("Grab a second one and it's half price.", &en, Lang::En),
        ("Buy two sets and you get a third one free.", &en, Lang::En),
        ("If you buy 2, the third is free.", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("It's 398 yuan today.", &en, Lang::En),
        ("Two tea sets come to 400 yuan.", &en, Lang::En),
        ("Half off every second and third set.", &en, Lang::En),
        ("三套茶具一共600元。", &zh, Lang::Zh),
        ("Buy one and you get a second one free.", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
}

/// Session 10 (set H): savings said against the compare-at price ("N below/under compare-at", 比划线价低N) are the
/// true difference or nothing; totals for as many items as the stock, bare or with a currency; a coupon's value
/// said as "worth N off".
#[test]
fn savings_below_the_compare_at_price_and_totals_up_to_the_stock() {
    let tea = test_products::tea_set_with_policies();
    let en = ledger(&tea, Lang::En);
    let zh = ledger(&tea, Lang::Zh);
    let pot = plain("USD", "45");
    let mut pot = pot;
    pot.compare_at = Some(money("65", "USD"));
    let pot_en = ledger(&pot, Lang::En);
    let pot_zh = ledger(&pot, Lang::Zh);
    for (s, l, lang) in [
        ("The tea set sits 60 yuan below its compare-at price.", &en, Lang::En),
        ("That's 20 dollars under the compare-at.", &pot_en, Lang::En),
        ("茶具比划线价低60元。", &zh, Lang::Zh),
        ("这把壶45美元，比划线价低20美元。", &pot_zh, Lang::Zh),
        (
            "Three teapots come to 135 instead of 195 at compare-at, so 60 dollars saved across all three.",
            &pot_en,
            Lang::En,
        ),
        ("Eight tea sets at the listed price come to 1592 yuan.", &en, Lang::En),
        ("十套茶具一共1990元。", &zh, Lang::Zh),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("The tea set sits 80 yuan below its compare-at price.", &en, Lang::En),
        ("That's 25 dollars under the compare-at.", &pot_en, Lang::En),
        ("茶具比划线价低70元。", &zh, Lang::Zh),
        ("Eight tea sets come to 1600 yuan.", &en, Lang::En),
        ("Three teapots come to 140 instead of 195.", &pot_en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
}

/// A coupon code said as one ("use SAVE5", 用XX20再减) must be the product's own code, with or without a coupon
/// word; a product with no coupon has none to use. Letters-and-digits words that are not said as codes pass.
#[test]
fn a_code_said_as_a_code_must_be_the_products_coupon() {
    let tea = test_products::tea_set_with_policies();
    let en = ledger(&tea, Lang::En);
    let zh = ledger(&tea, Lang::Zh);
    let pot = plain("USD", "45");
    let pot_en = ledger(&pot, Lang::En);
    let pot_zh = ledger(&pot, Lang::Zh);
    for (s, l, lang) in [
        ("Use TEA10 at checkout for ten yuan off.", &en, Lang::En),
        ("结算时用TEA10再减10元。", &zh, Lang::Zh),
        ("The teapot is 45 dollars and holds 450 ml.", &pot_en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("The teapot is 45 dollars, and you can use POT15 to knock a bit more off.", &pot_en, Lang::En),
        ("这把壶45美元，还能用SAVE5再减一点。", &pot_zh, Lang::Zh),
        ("Use TEA20 at checkout.", &en, Lang::En),
        ("用SPRING8还能省一点。", &zh, Lang::Zh),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
}

/// 送 + a thing after a purchase is a gift (买茶具就送杯垫), and a gift said with more than the product gives (two
/// of it, or another thing added) is refused; 送 as giving to someone or delivering is not a gift.
#[test]
fn gifts_after_a_purchase_and_gifts_with_more_added() {
    let tea = test_products::tea_set_with_policies();
    let zh = ledger(&tea, Lang::Zh);
    let en = ledger(&tea, Lang::En);
    for s in ["下单就送杯垫。", "拍下茶具周末送紫砂杯。", "买茶具送三条茶巾。", "拍下就送三条茶巾，外加一个杯垫。"]
    {
        let v = check_sentence(s, &zh, Lang::Zh);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
    let v = check_sentence("Every set comes with a free gift: a tea towel plus a teapot.", &en, Lang::En);
    assert!(v.speakable().is_none(), "{v:?}");
    for s in ["买来送朋友很合适。", "买茶具送一条茶巾。", "下单后顺丰送到家。", "买来送给妈妈挺好。"]
    {
        let v = check_sentence(s, &zh, Lang::Zh);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
}

/// Delivery promised by a day ("arrives by Friday", 周末前就能收到) is a policy the data must state; returns after use
/// or without the box contradict "unused and in the box".
#[test]
fn delivery_by_a_day_and_returns_after_use_or_without_the_box() {
    let tea = test_products::tea_set_with_policies();
    let zh = ledger(&tea, Lang::Zh);
    let en = ledger(&tea, Lang::En);
    for (s, l, lang) in [
        ("Order now and it arrives before Friday.", &en, Lang::En),
        ("Your set will be delivered by the weekend.", &en, Lang::En),
        ("下单后周五前就能收到。", &zh, Lang::Zh),
        ("Returns within seven days, even if it's been used once or twice.", &en, Lang::En),
        ("七天内可以退，用了几次也行。", &zh, Lang::Zh),
        ("盒子扔了也能退。", &zh, Lang::Zh),
        ("You can return it without its box.", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("I can't promise it arrives before Friday; it's dispatched within 48 hours.", &en, Lang::En),
        ("7天内可以退，要未使用、包装完好。", &zh, Lang::Zh),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
}

/// Honest denials and refusals: a warranty or free shipping the page does not state, said not to be there or not
/// promised; "isn't on a flash sale", "not part of a bundle"; a deadline denied; scarcity denied before the count.
#[test]
fn denials_and_refusals_of_claims_the_data_does_not_make() {
    let pot = plain("USD", "45");
    let mut bare = pot.clone();
    bare.guarantee = Localized::default();
    bare.stock = Some(9);
    let en = ledger(&bare, Lang::En);
    let zh = ledger(&bare, Lang::Zh);
    let tea = test_products::tea_set_with_policies();
    let tea_zh = ledger(&tea, Lang::Zh);
    for (s, l, lang) in [
        ("壶的页面没写保修，我就不瞎说了。", &zh, Lang::Zh),
        ("详情页没有提包邮，我不敢保证。", &zh, Lang::Zh),
        ("I won't promise free delivery on the teapot, the page doesn't mention it.", &en, Lang::En),
        ("The teapot isn't on a flash sale: it's 45 dollars.", &en, Lang::En),
        ("The teapot is not part of a bundle deal.", &en, Lang::En),
        ("茶具的活动都没有设截止时间，不用急。", &tea_zh, Lang::Zh),
        ("不是最后一把，壶还有9把库存。", &zh, Lang::Zh),
        ("It's not the last one, there are 9 in stock.", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("壶有两年保修，放心买。", &zh, Lang::Zh),
        ("不是最后一把，但也快没了。", &zh, Lang::Zh),
        ("The teapot is on a flash sale tonight.", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        // The two-year guarantee is the plain product's; `bare` has none.
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
}

/// A value denied after the right one ("saves ¥10, not ¥20", 是减10元，不是20元) and a comment corrected
/// (评论区说…，不对，是…) leave only the right value to be judged; a wrong value before the denial is still read.
#[test]
fn a_value_denied_after_the_right_one_and_corrected_comments() {
    let tea = test_products::tea_set_with_policies();
    let en = ledger(&tea, Lang::En);
    let zh = ledger(&tea, Lang::Zh);
    for (s, l, lang) in [
        ("The tea set is 199 yuan, not 179 yuan.", &en, Lang::En),
        ("茶具是199元，不是169元。", &zh, Lang::Zh),
        ("评论区说茶具179元，不对，是199元。", &zh, Lang::Zh),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
    for (s, l, lang) in [
        ("The tea set is 179 yuan, not 199 yuan.", &en, Lang::En),
        ("茶具是169元，不是199元。", &zh, Lang::Zh),
        ("评论区说茶具179元，没错。", &zh, Lang::Zh),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
}

/// Demand and scarcity said without a number ("running low", 好多人在下单, 马上就没了) are refused even beside the
/// true stock count; "two main features" (两个主要卖点) orders the host's talk.
#[test]
fn demand_and_scarcity_words_and_counted_selling_points() {
    let tea = test_products::tea_set_with_policies();
    let mut tea = tea;
    tea.stock = Some(40);
    let en = ledger(&tea, Lang::En);
    let zh = ledger(&tea, Lang::Zh);
    for (s, l, lang) in [
        ("Tea sets are running low, 40 left.", &en, Lang::En),
        ("还有40套，很多人在下单，很快就没了。", &zh, Lang::Zh),
        ("Going, going, gone!", &en, Lang::En),
    ] {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_none(), "{s}: {v:?}");
    }
    for (s, l, lang) in
        [("手工拉坯、青瓷釉色，这是它的三个核心卖点。", &zh, Lang::Zh), ("还有40套库存。", &zh, Lang::Zh)]
    {
        let v = check_sentence(s, l, lang);
        assert!(v.speakable().is_some(), "{s}: {v:?}");
    }
}

/// A claim word inside a longer one of its list (券 in 优惠券, 包邮 in 全国包邮) is judged as the longer word: a
/// denied coupon, gift or free shipping claims nothing, in any of these words, and the same words said plainly
/// about a product that has none are refused.
#[test]
fn a_denied_claim_word_claims_nothing_even_when_a_shorter_word_sits_inside_it() {
    let p = plain("CNY", "259");
    let l = ledger(&p, Lang::Zh);
    for subject in ["这款", "电水壶", "它"] {
        for (word, rule) in [
            ("优惠券", GuardRule::UnbackedPromotion),
            ("代金券", GuardRule::UnbackedPromotion),
            ("优惠码", GuardRule::UnbackedPromotion),
            ("抵用券", GuardRule::UnbackedPromotion),
        ] {
            for tail in ["哦。", "，价格就是页面上的。", "。"] {
                let denied = format!("{subject}没有{word}{tail}");
                let v = check_sentence(&denied, &l, Lang::Zh);
                assert!(v.speakable().is_some(), "{denied}: {v:?}");
                let claimed = format!("{subject}有{word}{tail}");
                let v = check_sentence(&claimed, &l, Lang::Zh);
                assert_eq!(verdict_rule(&v), Some(rule), "{claimed}: {v:?}");
            }
        }
    }
}

/// A gift named in any frame must be the product's own gift (the tea set gives a tea towel, 一条茶巾); the same
/// frames with the real gift pass, and a product bought "as a gift" claims no gift at all.
#[test]
fn a_gift_named_in_any_frame_must_be_the_products_gift() {
    let tea = test_products::tea_set_with_policies();
    let (en, zh) = (ledger(&tea, Lang::En), ledger(&tea, Lang::Zh));
    let frames_en = [
        "You also get {x} as a gift.",
        "Order now and you get {x} as a bonus.",
        "The gift this time is {x}.",
        "Everyone gets a free {x} with the set.",
    ];
    let frames_zh = ["买茶具送一{m}{x}。", "下单就送一{m}{x}哦。"];
    let mut aired = Vec::new();
    for frame in frames_en {
        for thing in ["a bamboo tea tray", "a teapot warmer", "a tea caddy"] {
            let text = frame.replace("{x}", thing).replace("a free a ", "a free ");
            if check_sentence(&text, &en, Lang::En).speakable().is_some() {
                aired.push(text);
            }
        }
        let text = frame.replace("{x}", "a tea towel").replace("a free a ", "a free ");
        assert!(check_sentence(&text, &en, Lang::En).speakable().is_some(), "the real gift refused: {text}");
    }
    for frame in frames_zh {
        for (m, thing) in [("罐", "龙井茶叶"), ("个", "竹茶盘"), ("袋", "茶叶")] {
            let text = frame.replace("{m}", m).replace("{x}", thing);
            if check_sentence(&text, &zh, Lang::Zh).speakable().is_some() {
                aired.push(text);
            }
        }
        let text = frame.replace("{m}", "条").replace("{x}", "茶巾");
        assert!(check_sentence(&text, &zh, Lang::Zh).speakable().is_some(), "the real gift refused: {text}");
    }
    assert!(aired.is_empty(), "gifts the product does not give were aired: {aired:#?}");
    let kettle = plain("USD", "30");
    let text = "It's a nice thing to buy as a gift for your mum.";
    let v = check_sentence(text, &ledger(&kettle, Lang::En), Lang::En);
    assert!(v.speakable().is_some(), "{text}: {v:?}");
}

/// When a parcel arrives is never in a product's data (only when it is dispatched), so every arrival promise is
/// refused, in generated frames; free shipping said to reach everywhere is refused too. Everyday words that share
/// them (今天就到这里, 到手价, a returns window counted from arrival, a dispatch time the data states) pass.
#[test]
fn arrival_promises_and_worldwide_free_shipping_are_refused_in_any_words() {
    let tea = test_products::tea_set_with_policies();
    let (en, zh) = (ledger(&tea, Lang::En), ledger(&tea, Lang::Zh));
    let mut aired = Vec::new();
    // (Not "两天内" for this product: its dispatch time, 48 hours, is said in those words and blanked as the
    // ledger's own, so "两天内就能送到" is read as the dispatch time; a known gap.)
    for when in ["明天", "后天", "三天内", "周末前"] {
        for arrive in ["就能送到", "能到货", "就能收到", "送达"] {
            let text = format!("茶具{when}{arrive}。");
            if check_sentence(&text, &zh, Lang::Zh).speakable().is_some() {
                aired.push(text);
            }
        }
    }
    for when in ["tomorrow", "by Friday", "within three days", "this weekend"] {
        for arrive in ["it arrives", "it'll be at your door", "it reaches you", "it's in your hands"] {
            let text = format!("Order now and {arrive} {when}.");
            if check_sentence(&text, &en, Lang::En).speakable().is_some() {
                aired.push(text);
            }
        }
    }
    for text in [
        "茶具全球包邮。",
        "国际包邮，不用凑单。",
        "Free shipping worldwide on the tea set.",
        "It ships free internationally.",
    ] {
        let lang = if text.is_ascii() { Lang::En } else { Lang::Zh };
        let l = if lang == Lang::En { &en } else { &zh };
        if check_sentence(text, l, lang).speakable().is_some() {
            aired.push(text.to_string());
        }
    }
    assert!(aired.is_empty(), "promises aired: {aired:#?}");
    for (lang, text) in [
        (Lang::Zh, "今天就到这里，谢谢大家，下次见。"),
        (Lang::Zh, "收到后7天内可以退，要未使用。"),
        (Lang::En, "Thanks for being here today, see you tomorrow."),
        (Lang::En, "It ships within 48 hours."),
    ] {
        let l = if lang == Lang::En { &en } else { &zh };
        let v = check_sentence(text, l, lang);
        assert!(v.speakable().is_some(), "{text}: {v:?}");
    }
}

/// Session 12: an amount the data holds in another role said as the price (the free-shipping threshold, a coupon's
/// saving), a count read inside a longer number, a saving said in tenths (成), a returns window in days that is not
/// the policy's, guarantees beyond the window (运费险), a deadline said as "valid until tonight", a coupon sent by
/// direct message. Generated from frames and amounts; honest lines of the same shapes pass.
#[test]
fn amounts_in_the_wrong_role_windows_tenths_and_extras_are_refused() {
    let tea = test_products::tea_set_with_policies(); // ¥199, was ¥259 (23% off); free over ¥99; coupon saves ¥10
    let (zh, en) = (ledger(&tea, Lang::Zh), ledger(&tea, Lang::En));
    let refused = |ledger: &ClaimsLedger, lang: Lang, line: &str| {
        let verdict = check_sentence(line, ledger, lang);
        assert!(verdict_rule(&verdict).is_some(), "{line} should be refused: {verdict:?}");
    };
    let passes = |ledger: &ClaimsLedger, lang: Lang, line: &str| {
        let verdict = check_sentence(line, ledger, lang);
        assert!(verdict_rule(&verdict).is_none(), "{line} should pass: {verdict:?}");
    };
    for amount in ["99", "10", "九十九"] {
        for frame in ["整套只要{}元，包邮到家。", "到手价{}元。", "这套仅需{}元！", "茶具一口价{}元。"]
        {
            refused(&zh, Lang::Zh, &frame.replace("{}", amount));
        }
    }
    for frame in ["The whole set is only ¥{}, shipped free.", "It's just ¥{} today.", "The set costs ¥{}."] {
        for amount in ["99", "10"] {
            refused(&en, Lang::En, &frame.replace("{}", amount));
        }
        passes(&en, Lang::En, &frame.replace("{}", "199").replace(" today", ""));
    }
    for honest in ["满99元包邮，茶具只要199元。", "用券省10元，到手更划算。", "整套只要199元，包邮到家。"]
    {
        passes(&zh, Lang::Zh, honest);
    }
    passes(&en, Lang::En, "Orders over ¥99 ship free, and the set is ¥199.");

    // 成: 23% off is 两成多 (more than two tenths) or about 两成, never 三成.
    for line in ["比原价便宜了三成多。", "直接省了三成。", "便宜了一成。", "降了四成多。"]
    {
        refused(&zh, Lang::Zh, line);
    }
    for line in ["比原价便宜了两成多。", "大概省了两成。", "这套茶具八成新的都比不上。"] {
        passes(&zh, Lang::Zh, line);
    }

    // A returns window in days must be the policy's seven.
    for line in ["收到后三十天内不满意都能退。", "15天无理由退货。", "30天内可以退换。"] {
        refused(&zh, Lang::Zh, line);
    }
    for line in ["You can return it within 30 days.", "We offer 30-day returns on the set."] {
        refused(&en, Lang::En, line);
    }
    for line in ["7天无理由退货，未使用且包装完好。", "48小时内发货，7天内可以退。"] {
        passes(&zh, Lang::Zh, line);
    }
    passes(&en, Lang::En, "You can return it within 7 days, unused and in the box.");

    // Guarantees beyond the window, deadlines, coupons by message.
    for line in [
        "运费险我们都给大家买好了。",
        "退货险已经送上。",
        "退货不花一分钱。",
        "優惠碼TEA10只到今天晚上有效。",
        "这个价只到今晚。",
    ] {
        refused(&zh, Lang::Zh, line);
    }
    for line in [
        "Return shipping is free, so no risk.",
        "Comment below and we'll DM you a code.",
        "The coupon works till tonight.",
    ] {
        refused(&en, Lang::En, line);
    }
    passes(&zh, Lang::Zh, "优惠码TEA10，减10元。");

    // A count inside a longer number is not that count: 12个 is not 2个 (so ¥20 is not two savings of ¥10).
    let mut kettle =
        Product::new("kettle", Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) }, money("30", "USD"));
    kettle.compare_at = Some(money("40", "USD"));
    kettle.stock = Some(12);
    let kz = ledger(&kettle, Lang::Zh);
    refused(&kz, Lang::Zh, "库存12个，每个电水壶只要二十美金。");
    passes(&kz, Lang::Zh, "买两个一共省20美元。");
}
