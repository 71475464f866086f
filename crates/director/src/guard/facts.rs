//! What one product's ledger backs, digested once per turn for the rule pipeline: amounts, counts, numbers in
//! context, measures, the ledger's own words (masked before the rules read a sentence) and the claim facts.

use super::claims;
use super::measures::{Measure, MeasureRun, measure_runs};
use super::numbers::{Cur, Mention, Qty, number_mentions, to_minor};
use super::phrases::{FREE, without_benign_free};
use super::text::{blank_all, fold, neighbours};
use crate::ledger::{ClaimsLedger, Fact, SLOT_NAMES};
use crate::verbalize;
use model::{PromotionKind, ShippingCost};

/// The facts the sentence may lean on, pre-digested for the checks above.
pub(super) struct BackedFacts {
    /// Each coupon's code (lower-cased) and saving: "TEA10 saves ¥10" names the coupon by its code alone.
    coupon_codes: Vec<(String, i64)>,
    price_minor: Option<i64>,
    compare_minor: Option<i64>,
    pub(super) percent_off: Option<u32>,
    pub(super) stock: Option<u32>,
    pub(super) sold_out: bool,
    pub(super) offer_ends: bool,
    pub(super) free_backed: bool,
    /// Numbers from titles, specs, guarantees and copy ("Model 3", "450 ml", "2-year"), each with the words either
    /// side, so "3" is backed in "Model 3" but not in "boils in 3 minutes".
    in_context: Vec<(u64, String, String)>,
    /// Every number of those texts (and of "spec name value"), whole or not, in hundredths, with its context.
    in_context_exact: Vec<(u64, String, String)>,
    /// The same numbers without their context.
    pub(super) other_numbers: Vec<u64>,
    /// What one item is made of, as the product's own texts count it ("a teapot and four cups": one teapot, four
    /// cups), each part with its noun; a part said again with its count ("1 teapot", 四杯) is backed, and so is
    /// the parts' total said as pieces ("5 pcs", 五件) and the price shared over a part ("about ¥50 a cup").
    parts: Vec<Part>,
    /// How many pieces the parts make, per text that names two or more ("a teapot and four cups": 5).
    part_totals: Vec<u64>,
    /// Weights in pounds the product's own texts state ("2 pounds"): said again, they are a spec, not a price.
    pound_weights: Vec<u64>,
    /// Sizes and measures the product's title, specs and copy state ("180 x 30 cm", "1.5升", "3 pieces"), one list
    /// per text.
    measures: Vec<Vec<Measure>>,
    /// The ledger's own words, lower-cased, longest first, with the slot each one fills: the spoken form of every
    /// backed slot, every gift, every open promotion's wording, the carrier and the returns conditions.
    masks: Vec<(String, &'static str)>,
    /// Shipping, returns, gifts and promotions, for the claim recognizers.
    pub(super) claims: claims::ClaimFacts,
    /// The amounts the open promotions state (a coupon's saving, a spend-and-save threshold and saving, the free
    /// shipping threshold), in minor units: said where the sentence speaks of the promotion, they are backed.
    promo_amounts: Vec<(i64, &'static [&'static str])>,
    /// Hours and days the dispatch and returns policies state, each with the kind of words that must come with it.
    policy_times: Vec<(u64, Qty, &'static [&'static str])>,
    /// The gifts' own words, lower-cased: "the free tea towel" is the gift, not an invented freebie.
    gift_words: Vec<String>,
    /// The percentages the open promotions state ("the second one is thirty percent off").
    pub(super) promo_percents: Vec<u64>,
    /// Counts of items an open promotion works with (buy two, get one: 2, 1 and 3; the second item: 2), each with
    /// the promotion's words.
    /// The flag says the buying must be said too ("buy", 买), not only the getting.
    promo_counts: Vec<(u64, &'static [&'static str], bool)>,
    /// What an open promotion makes a set, or a few, cost (three for ¥398 with buy two get one, ¥169 after
    /// 满199减30, ¥189 with the coupon): said with the promotion's words, each is a price, and may be said as one.
    promo_prices: Vec<(i64, &'static [&'static str])>,
    /// What one item costs on average under an open buy-N-get-M promotion (¥398 for three sets is ¥132.67 each),
    /// in minor units, rounded.
    promo_averages: Vec<i64>,
}

/// Words that speak of each kind of promotion, so an amount it states may be said with them ("TEA10 saves you ten
/// yuan", "spend ¥199, get ¥30 off"), and not with another promotion's words ("TEA10 takes ¥30 off").
const COUPON_CONTEXT: &[&str] = &["code", "coupon", "checkout", "券", "码", "结算", "输入", "填"];
const SPEND_CONTEXT: &[&str] = &["spend", "满", "消费", "when you buy", "order over", "orders over"];
const FREE_OVER_CONTEXT: &[&str] =
    &["free shipping", "free-shipping", "shipping threshold", "ships free", "包邮", "免运费", "over", "满"];
const DISPATCH_CONTEXT: &[&str] = &[
    "ship",
    "dispatch",
    "send",
    "leave",
    "goes out",
    "go out",
    "sf express",
    "发货",
    "发出",
    "寄出",
    "出库",
    "顺丰",
    "发",
];
/// Words of an arrival, which a dispatch time does not back, and the verbs of dispatch that do.
pub(super) const ARRIVAL_WORDS: &[&str] = &[
    "deliver",
    "arrive",
    "arriving",
    "arrival",
    "your door",
    "your hands",
    "your porch",
    "lands on",
    "land on",
    "到货",
    "送达",
    "到家",
    "送到",
    "收到",
];
pub(super) const DISPATCH_VERBS: &[&str] =
    &["ship", "dispatch", "send", "sent", "leave", "leaves", "out the door", "发货", "发出", "寄出", "出库"];
pub(super) const RETURNS_CONTEXT: &[&str] = &["return", "send it back", "refund", "退", "换"];
const BUY_GET_CONTEXT: &[&str] = &["get", "free", "pay for", "on us", "thrown in", "送", "付"];
/// A count of items in a buy-N-get-M promotion needs both sides of it said: the buying and the getting.
const BUY_WORDS: &[&str] = &["buy", "pay for", "paying for", "买", "付", "拍"];
const NTH_CONTEXT: &[&str] =
    &["second", "2nd", "third", "3rd", "half", "% off", "percent off", "第二", "第三", "半价", "折"];

impl BackedFacts {
    pub(super) fn from_ledger(ledger: &ClaimsLedger) -> BackedFacts {
        let mut facts = BackedFacts {
            price_minor: None,
            compare_minor: None,
            percent_off: None,
            stock: None,
            sold_out: false,
            offer_ends: false,
            free_backed: false,
            in_context: Vec::new(),
            in_context_exact: Vec::new(),
            other_numbers: Vec::new(),
            parts: Vec::new(),
            part_totals: Vec::new(),
            pound_weights: Vec::new(),
            measures: Vec::new(),
            masks: Vec::new(),
            claims: claims::ClaimFacts { minor_digits: 2, ..Default::default() },
            promo_amounts: Vec::new(),
            coupon_codes: Vec::new(),
            policy_times: Vec::new(),
            gift_words: Vec::new(),
            promo_percents: Vec::new(),
            promo_counts: Vec::new(),
            promo_prices: Vec::new(),
            promo_averages: Vec::new(),
        };
        let mut masks: Vec<(String, &'static str)> = Vec::new();
        let mut policy_text = String::new();
        let mut promo_text = String::new();
        let mut shipping_cost = None;
        let mut free_over = None;
        // The product's own title words name the product, not its gift: "a tea towel" is named by "towel", and
        // "jasmine tea" is not it.
        let title_words: Vec<String> = ledger
            .facts
            .iter()
            .filter_map(|f| match f {
                Fact::Title(t) => Some(t.to_lowercase()),
                _ => None,
            })
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric()).map(str::to_string).collect::<Vec<_>>())
            .filter(|w| !w.is_empty())
            .collect();
        for fact in &ledger.facts {
            match fact {
                Fact::Price(m) => {
                    facts.price_minor = Some(m.minor);
                    facts.claims.price_minor = Some(m.minor);
                    facts.claims.minor_digits = m.currency.minor_digits();
                    facts.claims.code = m.currency.code().to_string();
                    // A price of zero is the one case where "free" is the price itself.
                    facts.free_backed |= m.minor == 0;
                }
                Fact::CompareAt(m) => facts.compare_minor = Some(m.minor),
                Fact::PercentOff(p) => facts.percent_off = Some(*p),
                Fact::Stock(n) => facts.stock = Some(*n),
                Fact::SoldOut => facts.sold_out = true,
                Fact::OfferEnds(_) => {
                    facts.offer_ends = true;
                    facts.claims.ends = true;
                }
                Fact::Title(t) | Fact::Guarantee(t) | Fact::Spec { value: t, .. } => {
                    facts.claims.product_text.push_str(&fold(t));
                    facts.claims.product_text.push('\n');
                    // A title, spec or guarantee that says "free" (a free case) backs the word.
                    let folded = fold(t);
                    if FREE.find(&folded).is_some() && FREE.find(&without_benign_free(&folded)).is_some() {
                        facts.free_backed = true;
                    }
                    if matches!(fact, Fact::Guarantee(_)) {
                        policy_text.push_str(&fold(t));
                        policy_text.push('\n');
                    }
                }
                Fact::Shipping(ShippingCost::Free) => facts.claims.shipping_free = true,
                Fact::Shipping(ShippingCost::Flat(m)) => shipping_cost = Some(m.clone()),
                Fact::FreeShippingOver(m) => {
                    facts.promo_amounts.push((m.minor, FREE_OVER_CONTEXT));
                    free_over = Some(m.clone());
                }
                Fact::Dispatch(hours) => {
                    facts.claims.dispatch_hours = Some(*hours);
                    facts.policy_times.push((u64::from(*hours), Qty::Hours, DISPATCH_CONTEXT));
                    if hours % 24 == 0 {
                        facts.policy_times.push((u64::from(hours / 24), Qty::Days, DISPATCH_CONTEXT));
                    }
                }
                Fact::Carrier(c) => {
                    if !facts.claims.carrier.is_empty() {
                        facts.claims.carrier.push_str(" | ");
                    }
                    facts.claims.carrier.push_str(&fold(c));
                    masks.push((c.to_ascii_lowercase(), "shipping"));
                }
                Fact::Returns { days, conditions } => {
                    facts.claims.returns = true;
                    if let Some(d) = days {
                        facts.policy_times.push((u64::from(*d), Qty::Days, RETURNS_CONTEXT));
                    }
                    facts.claims.returns_days = *days;
                    if let Some(c) = conditions {
                        policy_text.push_str(&fold(c));
                        policy_text.push('\n');
                        masks.push((c.to_ascii_lowercase(), "returns"));
                    }
                }
                Fact::Gift(g) => {
                    facts.claims.gifts = true;
                    let lower = g.to_lowercase();
                    facts.claims.gift_many |=
                        ["两", "二", "三", "四", "五", "2", "3", "4", "5", "two", "three", "pair", "set of"]
                            .iter()
                            .any(|w| lower.contains(w));
                    for word in g.to_lowercase().split(|c: char| !c.is_alphanumeric()) {
                        // 一条茶巾 is named 茶巾 as often as in full.
                        let word = word.trim_start_matches(|c: char| "一两二三个条份件套只把盒瓶包张".contains(c));
                        let title_word = title_words.iter().any(|t| t == word);
                        if word.chars().count() >= 2 && !matches!(word, "an" | "the" | "with" | "and") && !title_word {
                            facts.gift_words.push(word.to_string());
                            facts.claims.gift_words.push(word.to_string());
                        }
                    }
                    masks.push((g.to_ascii_lowercase(), "gift"));
                }
                Fact::Promotion { kind, text, ends_at } => {
                    facts.claims.promos.push(kind.clone());
                    // A coupon's code is a word, not a number ("TEA10").
                    if let PromotionKind::Coupon { code: Some(code), .. } = kind {
                        let code = code.to_ascii_lowercase();
                        // Spelled out letter by letter: "T-E-A-1-0", "T E A 1 0".
                        for join in ["-", " ", " - "] {
                            let chars: Vec<String> = code.chars().map(String::from).collect();
                            if chars.len() > 1 {
                                masks.push((chars.join(join), "promotion"));
                            }
                        }
                        masks.push((code, "promotion"));
                    }
                    match kind {
                        PromotionKind::Coupon { save: Some(save), code } => {
                            facts.promo_amounts.push((save.minor, COUPON_CONTEXT));
                            if let Some(code) = code {
                                facts.coupon_codes.push((code.to_lowercase(), save.minor));
                            }
                        }
                        PromotionKind::SpendAndSave { spend, save } => {
                            facts.promo_amounts.extend([(spend.minor, SPEND_CONTEXT), (save.minor, SPEND_CONTEXT)])
                        }
                        PromotionKind::NthItemPercentOff { percent, .. } => {
                            facts.promo_percents.push(u64::from(*percent))
                        }
                        _ => {}
                    }
                    facts.claims.ends |= ends_at.is_some_and(|end| end > ledger.now);
                    for words in [text.clone(), Some(verbalize::promotion(kind, ledger.lang))].into_iter().flatten() {
                        promo_text.push_str(&fold(&words));
                        promo_text.push('\n');
                        masks.push((words.to_ascii_lowercase(), "promotion"));
                    }
                }
                // Backed as written through its slot's mask (below), like every slot's words.
                Fact::Copy(t) => {
                    facts.claims.product_text.push_str(&fold(t));
                    facts.claims.product_text.push('\n');
                }
                Fact::Helpline(_) | Fact::Measures(_) => {}
            }
        }
        // Amounts in other currencies than the price's cannot be compared; validation keeps them equal.
        let same_currency = |m: &model::Money| m.currency.code() == facts.claims.code;
        facts.claims.shipping_cost = shipping_cost.filter(same_currency).map(|m| m.minor);
        facts.claims.free_over = free_over.filter(same_currency).map(|m| m.minor);
        facts.claims.promos.retain(|p| match p {
            PromotionKind::SpendAndSave { spend, save } => same_currency(spend) && same_currency(save),
            PromotionKind::Coupon { save: Some(save), .. } => same_currency(save),
            _ => true,
        });
        // What an open promotion works out to, sayable with its words: buy two get one is three items for the
        // price of two (2 x ¥199 = ¥398); the second at half price costs ¥99.50, and two cost ¥298.50.
        if let Some(price) = facts.price_minor {
            for kind in &facts.claims.promos {
                match kind {
                    PromotionKind::BuyXGetY { buy, get } => {
                        let (buy, get) = (u64::from(*buy), u64::from(*get));
                        facts.promo_counts.extend([buy, get, buy + get].map(|n| (n, BUY_GET_CONTEXT, true)));
                        if let Some(total) = i64::try_from(buy).ok().and_then(|b| price.checked_mul(b)) {
                            facts.promo_amounts.push((total, BUY_GET_CONTEXT));
                            facts.promo_prices.push((total, BUY_GET_CONTEXT));
                            if let Ok(items) = i64::try_from(buy + get)
                                && items > 0
                            {
                                facts.promo_averages.push((total + items / 2) / items);
                            }
                        }
                    }
                    PromotionKind::NthItemPercentOff { n, percent } if *percent <= 100 => {
                        facts.promo_counts.push((u64::from(*n), NTH_CONTEXT, false));
                        let paid = price.checked_mul(i64::from(100 - percent));
                        if let Some(paid) = paid.filter(|p| p % 100 == 0) {
                            let nth = paid / 100;
                            let before = price.checked_mul(i64::from(n.saturating_sub(1)));
                            facts.promo_amounts.push((nth, NTH_CONTEXT));
                            facts.promo_prices.push((nth, NTH_CONTEXT));
                            if let Some(total) = before.and_then(|b| b.checked_add(nth)) {
                                facts.promo_amounts.push((total, NTH_CONTEXT));
                                facts.promo_prices.push((total, NTH_CONTEXT));
                            }
                        }
                    }
                    // Checked: a merchant's file can hold any amounts (a negative saving, a huge price).
                    PromotionKind::SpendAndSave { spend, save } if price >= spend.minor && save.minor < price => {
                        if let Some(paid) = price.checked_sub(save.minor) {
                            facts.promo_prices.push((paid, SPEND_CONTEXT));
                        }
                    }
                    PromotionKind::Coupon { save: Some(save), .. } if save.minor < price => {
                        if let Some(paid) = price.checked_sub(save.minor) {
                            facts.promo_prices.push((paid, COUPON_CONTEXT));
                        }
                    }
                    _ => {}
                }
            }
        }
        facts.claims.policy_text = policy_text;
        facts.claims.promo_text = promo_text;
        // What a `{slot}` stands for when a recognizer reads one as a number (满{free_shipping_over}包邮).
        let hundredths = |m: &model::Money| {
            let scale = 10u64.checked_pow(m.currency.minor_digits())?;
            u64::try_from(m.minor).ok()?.checked_mul(100)?.checked_div(scale)
        };
        for fact in &ledger.facts {
            let value = match fact {
                Fact::Price(m) => Some(("price", hundredths(m))),
                Fact::CompareAt(m) => Some(("compare_at", hundredths(m))),
                Fact::FreeShippingOver(m) => Some(("free_shipping_over", hundredths(m))),
                Fact::Stock(n) => Some(("stock", Some(u64::from(*n) * 100))),
                _ => None,
            };
            if let Some((slot, Some(v))) = value {
                facts.claims.slot_values.push((slot, v));
            }
        }
        for fact in &ledger.facts {
            // Sizes and measures come from the product's description of itself, never from policies or gifts.
            let elsewhere = match fact {
                Fact::Measures(text) => vec![text.as_str()],
                _ => Vec::new(),
            };
            if matches!(fact, Fact::Title(_) | Fact::Spec { .. } | Fact::Copy(_) | Fact::Measures(_)) {
                for text in fact.texts().into_iter().chain(elsewhere) {
                    // One text states one set of measures: "长一百八十厘米，宽三十厘米" is a size as much as "180 x 30 cm".
                    let stated: Vec<Measure> = measure_runs(&article_as_one(text))
                        .iter()
                        .flat_map(|r| r.items.iter().map(|(_, _, m)| *m))
                        .collect();
                    if !stated.is_empty() {
                        facts.measures.push(stated);
                    }
                    // "A teapot and four cups": two parts, five pieces in all.
                    let parts = counted_parts(text);
                    if parts.len() >= 2 {
                        let total: u64 = parts.iter().map(|p| p.count).sum();
                        facts.measures.push(vec![Measure::pieces(total)]);
                        if !facts.part_totals.contains(&total) {
                            facts.part_totals.push(total);
                        }
                    }
                    for part in parts {
                        if part.count == 1 {
                            facts.in_context.push((1, String::new(), part.noun.clone()));
                        }
                        if !facts.parts.contains(&part) {
                            facts.parts.push(part);
                        }
                    }
                }
            }
            // A spec's value is read with its name in front ("Bluetooth 5.3"), so the name is its context.
            let spec = match fact {
                Fact::Spec { name, value } => Some(format!("{name} {value}")),
                _ => None,
            };
            for text in fact.texts().into_iter().chain(spec.as_deref()) {
                for mention in number_mentions(text) {
                    if let Some(v) = mention.value {
                        let (before, after) = neighbours(text, mention.start, mention.end);
                        facts.in_context_exact.push((v, before, after));
                    }
                    if mention.currency == Some(Cur::Pound)
                        && let Some(v) = mention.value
                    {
                        facts.pound_weights.push(v);
                    }
                    if let Some(v) = mention.value
                        && v % 100 == 0
                    {
                        let (before, after) = neighbours(text, mention.start, mention.end);
                        facts.other_numbers.push(v / 100);
                        facts
                            .in_context
                            .extend(counted_again(text, mention.end, &after).into_iter().map(|c| (v / 100, c.0, c.1)));
                        facts.in_context.push((v / 100, before, after));
                    }
                }
            }
        }
        for name in SLOT_NAMES {
            if let Some(words) = ledger.slot(name) {
                masks.push((words.to_ascii_lowercase(), name));
            }
        }
        masks.retain(|(words, _)| words.chars().count() >= 2);
        masks.sort_by_key(|(words, _)| std::cmp::Reverse(words.len()));
        masks.dedup();
        facts.masks = masks;
        facts
    }

    /// `written` with the ledger's own words blanked (same length, so offsets still hold), and the slots whose words
    /// were found. Without `numbers`, the spoken amounts, counts and times are left for the claim recognizers.
    pub(super) fn mask(&self, written: &str, numbers: bool) -> (String, Vec<&'static str>) {
        let mut masked = written.to_string();
        let slots = self.mask_into(&mut masked, numbers);
        (masked, slots)
    }

    /// [`BackedFacts::mask`] in place.
    pub(super) fn mask_into(&self, masked: &mut String, numbers: bool) -> Vec<&'static str> {
        let mut slots = Vec::new();
        // The free-shipping threshold's words back it only as that threshold: "只要九十九元" is not "满九十九元包邮".
        let lower = masked.to_lowercase();
        let free_over_said =
            FREE_OVER_CONTEXT.iter().any(|w| *w != "over" && *w != "满" && lower.contains(w)) || lower.contains("运费");
        for (words, slot) in &self.masks {
            if NUMBER_SLOTS.contains(slot) != numbers {
                continue;
            }
            if *slot == "free_shipping_over" {
                // Said as the price (只要99元, "only ¥99"), the threshold's amount stays to be checked as a price.
                if free_over_said && super::text::blank_all_unless(masked, words, super::text::price_frame_before) {
                    slots.push(*slot);
                }
                continue;
            }
            // "A saving of twelve dollars" where twelve is the stock: a sum of money, judged as one, not the stock.
            if *slot == "stock" {
                let as_money = lower.match_indices(words.as_str()).any(|(at, _)| {
                    let after = lower[at + words.len()..].trim_start();
                    let before = lower[..at].trim_end();
                    ["dollar", "buck", "yuan", "元", "块", "美元", "美金", "usd", "rmb"]
                        .iter()
                        .any(|c| after.starts_with(c))
                        || before.ends_with(['$', '¥', '￥'])
                });
                if as_money {
                    continue;
                }
            }
            if blank_all(masked, words) {
                slots.push(*slot);
            }
        }
        slots
    }

    /// `written` with the product's title blanked: the merchant's name for the product is never linted on air.
    pub(super) fn without_title(&self, written: &str) -> String {
        let mut text = written.to_string();
        for (words, slot) in &self.masks {
            if *slot == "title" {
                blank_all(&mut text, words);
            }
        }
        text
    }

    /// [`BackedFacts::states`] for any number, whole or not, in hundredths ("Bluetooth 5.3", "a 2.5 mm jack").
    pub(super) fn states_exact(&self, hundredths: u64, text: &str, mention: &Mention) -> bool {
        let (before, after) = neighbours(text, mention.start, mention.end);
        self.in_context_exact
            .iter()
            .any(|(v, b, a)| *v == hundredths && ((!b.is_empty() && *b == before) || (!a.is_empty() && *a == after)))
    }

    /// Whether `value`, found at `mention` in `text`, is a number the product's facts state in the same words.
    pub(super) fn states(&self, value: u64, text: &str, mention: &Mention) -> bool {
        let (before, after) = neighbours(text, mention.start, mention.end);
        self.in_context
            .iter()
            .any(|(v, b, a)| *v == value && ((!b.is_empty() && *b == before) || (!a.is_empty() && *a == after)))
    }

    /// "2 pounds" that the product's texts state is a weight, not an amount of money.
    pub(super) fn states_spec(&self, _text: &str, mention: &Mention) -> bool {
        mention.currency == Some(Cur::Pound) && mention.value.is_some_and(|v| self.pound_weights.contains(&v))
    }

    /// Whether an amount (in hundredths of the major unit) is what the compare-at price saves ("you save ten
    /// dollars", 立省60元): the difference of two backed prices, backed as a saving only where the sentence speaks of
    /// saving, so it never passes for the price ("only $10").
    pub(super) fn saving_backs(&self, hundredths: u64, folded: &str) -> bool {
        let saving = self.saving_minor();
        // "The difference between the compare-at and the current price is $10": a difference counts only where
        // the prices are named ("only $10 — you'll taste the difference!" is no saving).
        let difference = folded.contains("difference")
            && ["compare", "price", "original", "was $", "from $"].iter().any(|w| folded.contains(w));
        saving.is_some_and(|s| to_minor(hundredths, self.claims.minor_digits) == Some(s))
            && (SAVING_WORDS.iter().any(|w| folded.contains(w)) || difference)
    }

    /// What the compare-at price saves on one item, in minor units.
    fn saving_minor(&self) -> Option<i64> {
        self.price_minor.zip(self.compare_minor).and_then(|(p, c)| c.checked_sub(p)).filter(|s| *s > 0)
    }

    /// One item's price, compare-at price and saving, in minor units, where the ledger states them.
    fn per_item_amounts(&self) -> [Option<i64>; 3] {
        [self.price_minor, self.compare_minor, self.saving_minor()]
    }

    /// Whether an amount is a few of the product at its price, its compare-at price or its saving, and the sentence
    /// says how many: "two kettles come to sixty dollars", 三个电水壶就是90美元, 买两个一共省20美元. The count must be
    /// said, so "$60" alone is still an invented price.
    pub(super) fn multiple_backs(&self, hundredths: u64, folded: &str) -> bool {
        let Some(minor) = to_minor(hundredths, self.claims.minor_digits) else { return false };
        let bases = self.per_item_amounts();
        let padded = format!(" {} ", folded.replace(|c: char| !c.is_alphanumeric(), " "));
        // Up to twenty: "all twelve at thirty each come to 360".
        const EN: [&str; 21] = [
            "",
            "",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ];
        const ZH: [&str; 21] = [
            "", "", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
            "十六", "十七", "十八", "十九", "二十",
        ];
        (2i64..=20).any(|k| {
            // Two is also "a pair", "both of them", 一对, 两个.
            let pair = k == 2 && [" pair ", " both ", " a couple "].iter().any(|w| padded.contains(w));
            let said_en = pair || [EN[k as usize], &k.to_string()].iter().any(|w| padded.contains(&format!(" {w} ")));
            // A whole count: "2个" inside "12个" is not two.
            let whole = |count: &str| {
                folded.match_indices(count).any(|(at, _)| {
                    !folded[..at].ends_with(|c: char| c.is_ascii_digit() || super::numbers::ZH_NUMERALS.contains(c))
                })
            };
            let said_zh = ["个", "套", "台", "件", "只", "把"]
                .iter()
                .any(|m| whole(&format!("{}{m}", ZH[k as usize])) || whole(&format!("{k}{m}")));
            (said_en || said_zh) && bases.iter().flatten().any(|b| b.checked_mul(k) == Some(minor))
        })
    }

    /// Whether a small count (2 to 5, in hundredths) is the number of items a total in the same sentence is for:
    /// "two kettles" beside "$60" when the price is $30.
    pub(super) fn counts_a_total(&self, hundredths: u64, mentions: &[Mention], written: &str, at: usize) -> bool {
        if !hundredths.is_multiple_of(100) || !(2..=20).contains(&(hundredths / 100)) {
            return false;
        }
        // A count of items, not a time ("three days", 三天) that happens to be a multiple too.
        let after = written.get(at..).unwrap_or("").trim_start().to_lowercase();
        let time = ["day", "hour", "minute", "week", "month", "year", "天", "小时", "分钟", "周", "个月", "年"];
        if time.iter().any(|t| after.starts_with(t)) {
            return false;
        }
        let k = (hundredths / 100) as i64;
        let bases = self.per_item_amounts();
        mentions.iter().filter(|m| m.kind == super::numbers::MentionKind::Amount).any(|m| {
            m.value
                .and_then(|v| to_minor(v, self.claims.minor_digits))
                .is_some_and(|minor| bases.iter().flatten().any(|b| b.checked_mul(k) == Some(minor)))
        })
    }

    /// The price, compare-at price and saving of one item, in hundredths of the major unit, the price first: what
    /// a sum worked out aloud may come to. Empty without a price.
    pub(super) fn money_targets(&self) -> Vec<u64> {
        if self.price_minor.is_none() {
            return Vec::new();
        }
        let scale = 10i64.pow(2u32.saturating_sub(self.claims.minor_digits));
        self.per_item_amounts()
            .into_iter()
            .flatten()
            .filter_map(|minor| u64::try_from(minor.checked_mul(scale)?).ok())
            .collect()
    }

    /// Whether an amount is the price shared over one of the item's parts and said as so much each: "about ¥50 a
    /// cup" for ¥199 and four cups, "¥39.80 a piece" for five pieces, 每杯不到50元. The part must be named (its noun,
    /// or pieces for the parts' total), the amount said as each one's share, and it must be the share to the cent
    /// or, where the sentence says it is rounded ("about", "just under", 约, 不到), within a twentieth of it.
    pub(super) fn shared_over_parts(&self, hundredths: u64, written: &str, mention: &Mention) -> bool {
        let (Some(price), Some(minor)) = (self.price_minor, to_minor(hundredths, self.claims.minor_digits)) else {
            return false;
        };
        let lower = written.to_lowercase();
        let after: String = lower.get(mention.end..).unwrap_or("").chars().take(14).collect();
        let before: String = {
            let head = lower.get(..mention.start).unwrap_or("");
            let chars: Vec<char> = head.chars().collect();
            chars[chars.len().saturating_sub(12)..].iter().collect()
        };
        const EACH: [&str; 12] =
            ["each", "apiece", "per ", "a cup", "a piece", "a pc", "/", "每", "一杯", "一只", "一件", "一个"];
        if !EACH.iter().any(|w| after.trim_start().starts_with(w) || before.contains(w)) {
            return false;
        }
        let mut counts: Vec<u64> = Vec::new();
        for part in self.parts.iter().filter(|p| p.count >= 2) {
            let singular = part.noun.trim_end_matches('s');
            if lower.contains(singular) {
                counts.push(part.count);
            }
        }
        if ["piece", "pcs", "pc ", "item", "件"].iter().any(|w| lower.contains(w)) {
            counts.extend(&self.part_totals);
        }
        const ROUNDED: [&str; 16] = [
            "about",
            "around",
            "roughly",
            "under",
            "nearly",
            "almost",
            "approximately",
            "over",
            "~",
            "约",
            "不到",
            "左右",
            "差不多",
            "将近",
            "出头",
            "多一点",
        ];
        let rounded = ROUNDED.iter().any(|w| lower.contains(w));
        // The saving shared the same way where the sentence speaks of it: "that ¥60 saving is ¥15 per cup".
        let saving = self.saving_minor().filter(|_| SAVING_WORDS.iter().any(|w| lower.contains(w)));
        counts.iter().any(|&k| {
            let Ok(k) = i64::try_from(k) else { return false };
            [Some(price), saving].into_iter().flatten().any(|base| {
                let exact = base as f64 / k as f64;
                let off = (minor as f64 - exact).abs();
                off < 1.0 || (rounded && off <= exact / 20.0)
            })
        })
    }

    /// A count said near the stock rather than as it, where the sentence speaks of stock: "just over ten left"
    /// for 12, "less than fifteen in stock", 四十套出头 ("forty-odd") for 40. `Some(true)` where the stock fits the
    /// words, `Some(false)` where it does not ("just over forty" for 40), `None` where the count is not put so.
    pub(super) fn stock_approximation(&self, hundredths: u64, written: &str, mention: &Mention) -> Option<bool> {
        let stock = u64::from(self.stock?) * 100;
        let lower = written.to_lowercase();
        let stock_words = ["stock", "left", "remain", "available", "库存", "还有", "剩", "现货"];
        if !stock_words.iter().any(|w| lower.contains(w)) {
            return None;
        }
        let before: String = {
            let head = written.get(..mention.start).unwrap_or("").to_lowercase();
            let chars: Vec<char> = head.trim_end().chars().collect();
            chars[chars.len().saturating_sub(14)..].iter().collect()
        };
        let after: String = written.get(mention.end..).unwrap_or("").to_lowercase().chars().take(8).collect();
        let after = after.trim_start();
        // A Chinese measure word may stand between the number and 出头 or 多: 四十套出头, 十多个.
        let after_measure = after.trim_start_matches(['套', '个', '台', '件', '只', '把']);
        let n = hundredths;
        let over = ["just over", "over", "more than", "above", "upwards of", "north of", "超过", "多于"]
            .iter()
            .any(|w| before.ends_with(w));
        let under = ["just under", "under", "less than", "fewer than", "below", "不到", "少于"]
            .iter()
            .any(|w| before.ends_with(w));
        let about = [
            "nearly",
            "almost",
            "close to",
            "about",
            "around",
            "roughly",
            "approximately",
            "将近",
            "差不多",
            "大约",
            "约",
        ]
        .iter()
        .any(|w| before.ends_with(w))
            || ["来", "or so", "-ish", "ish"].iter().any(|w| after.starts_with(w));
        let more = ["出头", "多", "odd", "-odd", "plus", "+"]
            .iter()
            .any(|w| after_measure.starts_with(w) || after.starts_with(w));
        if over || more {
            Some(stock > n && stock < n.saturating_mul(2))
        } else if under {
            Some(stock < n && stock.saturating_mul(2) > n)
        } else if about {
            Some(stock.abs_diff(n) <= (n / 5).max(100))
        } else {
            None
        }
    }

    /// Whether an amount is one an open promotion states and the sentence speaks of a promotion.
    pub(super) fn promo_backs(&self, hundredths: u64, folded: &str) -> bool {
        let minor = to_minor(hundredths, self.claims.minor_digits);
        self.promo_amounts.iter().any(|(m, context)| Some(*m) == minor && context.iter().any(|w| folded.contains(w)))
            || self.coupon_codes.iter().any(|(code, m)| Some(*m) == minor && folded.contains(code.as_str()))
    }

    /// Whether an amount is what an open promotion makes the product cost, said with that promotion's words.
    pub(super) fn promo_price_backs(&self, hundredths: u64, folded: &str) -> bool {
        let minor = to_minor(hundredths, self.claims.minor_digits);
        self.promo_prices.iter().any(|(m, context)| Some(*m) == minor && context.iter().any(|w| folded.contains(w)))
            || self.coupon_codes.iter().any(|(code, save)| {
                self.price_minor.zip(minor).is_some_and(|(p, m)| p.checked_sub(*save) == Some(m))
                    && folded.contains(code.as_str())
            })
    }

    /// Whether a count is the number of open promotions, said before a word for them: "all four promotions", 四个
    /// 活动.
    pub(super) fn counts_the_promotions(&self, hundredths: u64, written: &str, end: usize) -> bool {
        const NOUNS: [&str; 12] = [
            "promotions",
            "promos",
            "deals",
            "offers",
            "个活动",
            "种活动",
            "项活动",
            "个优惠",
            "种优惠",
            "项优惠",
            "重优惠",
            "大优惠",
        ];
        let n = self.claims.promos.len() as u64;
        let after = written.get(end..).unwrap_or("").trim_start().to_lowercase();
        let after = after.strip_prefix("active ").or_else(|| after.strip_prefix("open ")).unwrap_or(&after).to_string();
        n > 0 && hundredths == n * 100 && NOUNS.iter().any(|w| after.starts_with(w))
    }

    /// Whether an amount is what one item costs on average under an open buy-N-get-M promotion, said with the
    /// promotion and a word for "each": "with buy 2 get 1 free, each set works out to ¥132.67", 买二送一算下来每套
    /// 大约一百三十三元 (to the nearest whole unit only after a word of approximation).
    pub(super) fn promo_average_backs(&self, hundredths: u64, folded: &str) -> bool {
        const EACH: [&str; 11] =
            ["each", "per set", "per item", "apiece", "works out", "average", "算下来", "平均", "每套", "每个", "每件"];
        const ABOUT: [&str; 9] =
            ["about", "around", "roughly", "approximately", "大约", "约", "左右", "差不多", "大概"];
        let Some(minor) = to_minor(hundredths, self.claims.minor_digits) else { return false };
        let unit = 10i64.pow(self.claims.minor_digits);
        let said = |words: &[&str]| words.iter().any(|w| folded.contains(w));
        let about = said(&ABOUT);
        said(&EACH)
            && self.buy_get_named(folded)
            && self
                .promo_averages
                .iter()
                .any(|avg| *avg == minor || (about && minor % unit == 0 && (minor - avg).abs() * 2 <= unit))
    }

    /// Whether the sentence names an open buy-N-get-M promotion and the item it gives: "buy two and the third one's
    /// on us", 买二，第三套送你.
    pub(super) fn buy_get_free(&self, folded: &str) -> bool {
        const GIVEN: [&str; 8] = ["third", "3rd", "another one", "one more", "extra one", "第三", "多一", "再送一"];
        self.buy_get_named(folded) && GIVEN.iter().any(|w| folded.contains(w))
    }

    /// Whether the sentence names an open buy-N-get-M promotion: its buying and getting words, or the numbers in
    /// the merchants' own shorthand (买二送一, "buy 2 get 1", "B2G1").
    fn buy_get_named(&self, folded: &str) -> bool {
        let said = |words: &[&str]| words.iter().any(|w| folded.contains(w));
        const ZH: [&str; 11] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        const EN: [&str; 11] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
        let compact: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
        let shorthand = self.claims.promos.iter().any(|kind| {
            let PromotionKind::BuyXGetY { buy, get } = kind else { return false };
            let (b, g) = (*buy as usize, *get as usize);
            let mut forms = vec![format!("买{b}送{g}"), format!("buy{b}get{g}"), format!("b{b}g{g}")];
            if let (Some(zb), Some(zg), Some(eb), Some(eg)) = (ZH.get(b), ZH.get(g), EN.get(b), EN.get(g)) {
                forms.push(format!("买{zb}送{zg}"));
                forms.push(format!("buy{eb}get{eg}"));
                if b == 2 {
                    forms.push(format!("买两送{zg}"));
                }
            }
            forms.iter().any(|f| compact.contains(f.as_str()))
        });
        shorthand || self.buy_get_said(folded) || (said(BUY_WORDS) && said(&["on us", "free", "送"]))
    }

    /// Whether the sentence speaks of an open buy-N-get-M promotion (buying and getting both said): a few items at
    /// the full price each is then not what they cost.
    pub(super) fn buy_get_said(&self, folded: &str) -> bool {
        let said = |words: &[&str]| words.iter().any(|w| folded.contains(w));
        self.promo_counts.iter().any(|(_, _, needs_buying)| *needs_buying) && said(BUY_GET_CONTEXT) && said(BUY_WORDS)
    }

    /// Whether a count of items (in hundredths) is one an open promotion works with, said with its words: "you
    /// walk away with three sets when you pay for two", 付两套的钱拿三套.
    pub(super) fn promo_count_backs(&self, hundredths: u64, folded: &str) -> bool {
        let said = |words: &[&str]| words.iter().any(|w| folded.contains(w));
        hundredths.is_multiple_of(100)
            && self.promo_counts.iter().any(|(n, context, needs_buying)| {
                *n == hundredths / 100 && said(context) && (!needs_buying || said(BUY_WORDS))
            })
    }

    /// Whether a time ("48 hours", 七天) is one the dispatch or returns policy states, said with that policy's words.
    pub(super) fn policy_time_backs(&self, whole: u64, qty: Qty, folded: &str) -> bool {
        // A dispatch time said as an arrival ("delivered to your door within 48 hours by SF Express", 48小时送达)
        // is another promise: the courier's name is no dispatch verb.
        let arrival =
            ARRIVAL_WORDS.iter().any(|w| folded.contains(w)) && !DISPATCH_VERBS.iter().any(|w| folded.contains(w));
        self.policy_times.iter().any(|(v, q, context)| {
            *v == whole
                && *q == qty
                && context.iter().any(|w| folded.contains(w))
                && !(arrival && std::ptr::eq(*context, DISPATCH_CONTEXT))
        })
    }

    /// Whether "free" in the sentence is the gift that comes with the product ("the free tea towel").
    pub(super) fn free_is_gift(&self, folded: &str) -> bool {
        self.claims.gifts && self.gift_words.iter().any(|w| folded.contains(w.as_str()))
    }

    /// Whether a bare number (no currency said) is the price or the compare-at price: "thirty dollars, down from
    /// forty", 从259降到199.
    /// "Under two hundred yuan", 不到两百, 将近两百, "two hundred-ish" for a price of 199: a round figure said as an
    /// approximation of the price, just above it (at most 5% and never more than the next round ten, hundred or
    /// thousand), or within 5% of it for "about" and "-ish". An approximation word must stand right before the
    /// figure (or "-ish", 左右, 上下 right after it); a bare round figure is still a wrong price.
    pub(super) fn rounds_the_price(&self, hundredths: u64, text: &str, mention: &Mention) -> bool {
        const BELOW: &[&str] = &[
            "under",
            "just under",
            "below",
            "less than",
            "nearly",
            "almost",
            "not even",
            "不到",
            "将近",
            "接近",
            "快",
            "差不多",
            "还不到",
            "没到",
        ];
        const ABOUT: &[&str] = &["about", "around", "roughly", "approximately", "大约", "大概", "约"];
        const AFTER: &[&str] = &["-ish", "ish", "左右", "上下", "出头"];
        let (Some(price), Some(value)) = (self.price_minor, to_minor(hundredths, self.claims.minor_digits)) else {
            return false;
        };
        let major = 10i64.pow(self.claims.minor_digits);
        // A round figure: whole tens of the major unit at least.
        if price <= 0 || value % (10 * major).max(1) != 0 {
            return false;
        }
        let before = text.get(..mention.start).unwrap_or("").trim_end().to_lowercase();
        let after = text.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
        let word_before = |words: &[&str]| words.iter().any(|w| before.ends_with(w));
        // In i128: a fuzzed figure may be near i64's limit.
        let within = |limit: i128| (i128::from(value) - i128::from(price)).abs() * 100 <= limit * i128::from(price);
        let above = value > price && within(5);
        // 两百不到, "two hundred or less": the word for "under" right after the figure.
        // Cantonese 有找 ("with change back"): 兩百蚊有找 is two hundred or less.
        let below_after =
            ["不到", "都不到", "还不到", "也不到", "以内", "以下", "有找", "or less", "or under", "and under"]
                .iter()
                .any(|w| after.starts_with(w));
        ((word_before(BELOW) || below_after) && above)
            || ((word_before(ABOUT) || AFTER.iter().any(|w| after.starts_with(w))) && within(5))
    }

    pub(super) fn is_price_number(&self, hundredths: u64) -> bool {
        self.money_slot(hundredths).is_some()
    }

    /// Which slot an amount (in hundredths of the major unit) is, if it is one the ledger states.
    pub(super) fn money_slot(&self, hundredths: u64) -> Option<&'static str> {
        let minor = to_minor(hundredths, self.claims.minor_digits)?;
        if Some(minor) == self.price_minor {
            Some("{price}")
        } else if Some(minor) == self.compare_minor {
            Some("{compare_at}")
        } else {
            None
        }
    }
}

/// Words that make an amount a saving rather than a price.
const SAVING_WORDS: [&str; 25] = [
    "平咗",
    "平了",
    "save",
    "saving",
    " off",
    "less",
    "cheaper",
    "knock",
    "discount",
    "省",
    "便宜",
    "减",
    "优惠",
    "少",
    "降",
    "划算",
    "折扣",
    "below",
    "under",
    "低",
    "差价",
    "相差",
    "in your pocket",
    "in your wallet",
    "钱包里",
];

/// Slots whose spoken words are an amount, a count or a time: the claim recognizers read them before they are
/// blanked.
const NUMBER_SLOTS: [&str; 6] = ["price", "compare_at", "free_shipping_over", "stock", "offer_ends", "discount"];

impl BackedFacts {
    /// Whether a measure or size said (a size, a volume, a count of pieces) is one that the product's own texts
    /// state, in any words and units: "180 by 30 centimetres" for "180 x 30 cm", 一点五升 for "1.5 L".
    /// A size said as a whole must be stated in one of the product's texts, number for number, so "180 by 180" is
    /// not backed by "180 x 30 cm".
    pub(super) fn measure_backs(&self, run: &MeasureRun) -> bool {
        let said: Vec<Measure> = run.items.iter().map(|(_, _, m)| *m).collect();
        self.measures.iter().any(|stated| {
            let mut left = stated.clone();
            said.iter().all(|m| match left.iter().position(|s| s == m) {
                Some(k) => {
                    left.swap_remove(k);
                    true
                }
                None => false,
            })
        })
    }
}

/// One part of what an item is made of: "four cups" is four of "cups"; 四只茶杯 is four of 杯 (the noun's last
/// character, which is how a Chinese count says it again: 四杯, 杯四).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Part {
    count: u64,
    noun: String,
}

/// Words that count things but are measures, not parts: "a litre", "one inch", "a day".
const NOT_PARTS: [&str; 22] = [
    "litre", "liter", "kilo", "kilogram", "metre", "meter", "pound", "gallon", "quart", "pint", "foot", "inch",
    "minute", "hour", "day", "week", "month", "year", "time", "lot", "bit", "few",
];

/// The parts a product text counts: "a teapot and four cups", "2 mugs, 1 tray", 一把茶壶配四只茶杯. A part is a count
/// (an article, a number word or digits; a Chinese numeral and classifier) followed by its noun. Only a text that
/// names two or more parts describes what an item is made of; a text with one ("a cool-touch handle") gives that
/// one part and no total.
fn counted_parts(text: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    for pair in words.windows(2) {
        let [count, noun] = pair else { continue };
        let count = match *count {
            "a" | "an" => Some(1),
            w if w.bytes().all(|b| b.is_ascii_digit()) => w.parse::<u64>().ok(),
            w => verbalize::parse_en_number(w),
        };
        let Some(count) = count.filter(|n| (1..=100).contains(n)) else { continue };
        let noun_ok = noun.chars().all(|c| c.is_ascii_alphabetic()) && noun.len() >= 3;
        let singular = noun.trim_end_matches('s');
        if noun_ok && !NOT_PARTS.contains(&singular) && !NOT_PARTS.contains(noun) {
            parts.push(Part { count, noun: (*noun).to_string() });
        }
    }
    // 一把茶壶, 四只茶杯, 两个杯垫: numeral, classifier, then the noun (one or two characters) up to a joining word
    // or a mark.
    const CLASSIFIERS: &str = "只个把套件支张副片块";
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let start = k;
        while k < chars.len() && (super::numbers::is_zh_numeral(chars[k]) || chars[k].is_ascii_digit()) {
            k += 1;
        }
        if k == start {
            k += 1;
            continue;
        }
        let run: String = chars[start..k].iter().collect();
        let count = if run.bytes().all(|b| b.is_ascii_digit()) {
            run.parse::<u64>().ok()
        } else {
            super::numbers::zh_value(&run)
        };
        if let (Some(count), Some(&cl)) = (count, chars.get(k))
            && CLASSIFIERS.contains(cl)
            && (1..=100).contains(&count)
        {
            let noun: String = chars[k + 1..]
                .iter()
                .take_while(|c| super::text::is_cjk_char(**c) && !"配和与及加、".contains(**c))
                .take(2)
                .collect();
            if let Some(last) = noun.chars().last() {
                parts.push(Part { count, noun: last.to_string() });
            }
        }
    }
    parts
}

/// "boils a litre fast" states one litre: the merchant's article before a unit of measure, as the digit 1, so the
/// same measure said as "one litre" or 一升 is backed.
fn article_as_one(text: &str) -> String {
    const UNITS: [&str; 12] =
        ["litre", "liter", "kilo", "kilogram", "metre", "meter", "pound", "gallon", "quart", "pint", "foot", "inch"];
    let mut out = String::with_capacity(text.len());
    let words: Vec<&str> = text.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let next = words.get(i + 1).map(|n| n.to_ascii_lowercase()).unwrap_or_default();
        let unit = UNITS.iter().any(|u| next.trim_end_matches(|c: char| !c.is_alphabetic()) == *u);
        if unit && matches!(word.to_ascii_lowercase().as_str(), "a" | "an") {
            out.push('1');
        } else {
            out.push_str(word);
        }
    }
    out
}

/// Other words that state again a count the product's text gives: 四只茶杯 is also 四杯 (the noun's own measure,
/// as in 一壶四杯), and "four cups" is also "a set of four".
fn counted_again(text: &str, end: usize, after: &str) -> Vec<(String, String)> {
    const CLASSIFIERS: &str = "只个把套件支张";
    const NOUN_MEASURES: &str = "杯壶碗盘碟瓶盒袋包罐";
    let mut out = Vec::new();
    if after.chars().count() == 1 && CLASSIFIERS.contains(after) {
        let noun: String = text.get(end..).unwrap_or("").trim_start().chars().skip(1).take(3).collect();
        for c in noun.chars().take_while(|c| super::text::is_cjk_char(*c)) {
            if NOUN_MEASURES.contains(c) {
                out.push((String::new(), c.to_string()));
            }
        }
    }
    let plural = after.len() > 2 && after.ends_with('s') && after.chars().all(|c| c.is_ascii_lowercase());
    if plural {
        out.push(("of".to_string(), String::new()));
    }
    out
}
