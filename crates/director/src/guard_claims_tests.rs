//! The guard against generated claims: every amount, currency, rank and promotion mechanic the data does not back
//! is refused, in both languages, with and without units, in every way of writing the number; the same claims
//! pass when the data states them, said through the ledger's slots or written out; ordinary words that look like
//! numbers or promotions pass; and no text at all makes the number reader or the guard panic.
//!
//! The figures (attacks caught, benign sentences passed) are printed with `--nocapture`.

use super::*;
use crate::test_products;
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
        (Lang::Zh, "三十天无理由退货。", &[UnbackedNumber]),
        (Lang::Zh, "中通发货。", &[UnbackedPolicy]),
        (Lang::En, "Buy one, get one free!", &[UnbackedPromotion]),
        (Lang::En, "The second one is free.", &[UnbackedPromotion]),
        (Lang::En, "Spend 199 yuan, save 50 yuan.", &[UnbackedPromotion]),
        (Lang::En, "Spend $199, save $30.", &[WrongCurrency]),
        (Lang::En, "Use code SAVE99 at checkout.", &[UnbackedPromotion]),
        (Lang::En, "Free shipping on everything.", &[UnbackedFree]),
        (Lang::En, "It ships today.", &[UnbackedPolicy]),
        (Lang::En, "You get 30-day returns.", &[UnbackedNumber]),
        (Lang::En, "It ships within 12 hours.", &[UnbackedNumber]),
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

/// A tiny deterministic generator (xorshift64*), so the generated cases are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
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
    let mut rng = Rng(0x5EED_CA57);
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
                let sentence = match lang {
                    Lang::Zh => format!("说一下：{words}。"),
                    Lang::En => format!("Here it is: {words}."),
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
    let mut rng = Rng(0xB0B);
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
    let mut rng = Rng(0xDEAD_BEEF);
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
