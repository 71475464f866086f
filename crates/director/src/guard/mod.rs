//! The guard: every sentence is checked against the claims ledger and the copy rules before it is said.
//!
//! The LLM is told to write facts only as slots (`{price}`, `{stock}` ...). The guard fills those slots from the
//! ledger and then treats every other claim in the sentence as suspect: a number, an amount of money, a percentage
//! or discount, "free", a stock count, scarcity or urgency must be backed by a fact in the ledger, or the sentence
//! is not said. On top of the facts it enforces the copy rules (Advertising-Law absolute terms, medical claims and
//! absolute promises from [`crate::lint`]), keeps the persona intact (no system-prompt leaks, no "as an AI language
//! model"), keeps the language clean (profanity) and keeps warmth plain (no performed empathy).
//!
//! A number with a unit (a size, a volume, a weight, a count of pieces) is a measure: it is backed when the
//! product's own title, specs or copy state the same measure, in any words and any metric unit of its kind ("180 by
//! 30 centimetres", 一百八十乘三十厘米 and "1.8 m by 300 mm" for "180 x 30 cm"); the words around it never back it
//! in another unit. A queue ledger (moderators' words) checks each sentence against the product it names.
//!
//! A sentence that states a backed fact in digits ("$199" when the price is 199) is repaired into its slot, so the
//! verbalizer says it; a sentence that opens with a theatrical apology loses the apology when the rest stands on
//! its own. Everything else that breaks a rule is rejected with the rule's stable name for the audit log.
//!
//! The guard is deliberately strict: a rejected good sentence costs one template line, a passed false one costs
//! the merchant's credibility and possibly a regulator's fine.

mod arithmetic;
mod claims;
mod echo;
mod facts;
mod fractions;
mod hype;
mod layout;
mod measures;
mod names;
mod numbers;
mod phrases;
mod reported;
mod slots;
mod spelled;
mod text;

use crate::ledger::{ClaimsLedger, Fact};
use crate::lint;
use facts::BackedFacts;
use measures::measure_runs;
use model::Lang;
use names::{clauses, name_hits};
use numbers::{
    Mention, MentionKind, currency_claimed, names_other_currency, number_mentions, qty_after, to_minor,
    zh_discount_percent,
};
use phrases::{
    DISCOUNT, EMPATHY, FREE, HALF_PRICE, HARD_RULES, SCARCITY_ALWAYS, SCARCITY_WITH_COUNT, SINGLE_DIGITS, SOLD_OUT,
    STOCK, URGENCY, en_last_item, en_only_left, is_foreign, without_benign_free, without_calm, without_denied_limits,
    without_denied_sold_out,
};
use slots::{normalise_slots, slot_names};
use text::{Flat, blank, fold};

pub use echo::{ECHO_WEIGHT, echoes};
pub use model::GuardRule;
pub use names::named_products;
pub(crate) use reported::{
    answered_by_unknown, blank_reported_and_corrected, denied_questions, quotes_and_denies, reports_someone,
    retracted_hypotheticals, says_a_number,
};
pub(crate) use text::blank as blank_span;

/// What the guard decided about one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GuardVerdict {
    /// Say this (slots filled).
    Pass(String),
    /// Say this instead of what was written; `rule` says what was changed.
    Repaired { text: String, rule: GuardRule },
    /// Do not say it. `original` is the sentence as the writer wrote it, for the audit log.
    Rejected { rule: GuardRule, original: String },
}

impl GuardVerdict {
    /// The words to speak, if any.
    pub fn speakable(&self) -> Option<&str> {
        match self {
            GuardVerdict::Pass(text) | GuardVerdict::Repaired { text, .. } => Some(text),
            GuardVerdict::Rejected { .. } => None,
        }
    }
}

/// Checks one sentence against `ledger` and the copy rules. `lang` is the language the host speaks in; it decides
/// how a repaired sentence is capitalised. For many sentences against one ledger, [`SentenceGuard`] saves the
/// per-ledger work.
pub fn check_sentence(sentence: &str, ledger: &ClaimsLedger, lang: Lang) -> GuardVerdict {
    SentenceGuard::new(ledger).check(sentence, lang)
}

/// The guard for one turn: the ledger's facts digested once, then any number of sentences checked.
///
/// A queue ledger ([`ClaimsLedger::for_queue`], for moderators' words) holds several products: each sentence is
/// checked against the product it names (see [`named_products`]), or the ledger's first product when it names
/// none. A sentence that names several products is cut into clauses, each checked against the product it names
/// (or the one named last before it), so "the tea set is ¥199 and the scarf ¥89" passes only when each price is
/// that product's own.
pub struct SentenceGuard<'a> {
    ledger: &'a ClaimsLedger,
    facts: BackedFacts,
    /// A queue ledger's products, one ledger each (the first is the line's own product); empty for a ledger of one
    /// product.
    queue: Vec<ClaimsLedger>,
}

impl<'a> SentenceGuard<'a> {
    pub fn new(ledger: &'a ClaimsLedger) -> SentenceGuard<'a> {
        if ledger.facts.iter().filter(|f| matches!(f, Fact::Title(_))).nth(1).is_some() {
            let queue = ledger.products();
            let facts = BackedFacts::from_ledger(&queue[0]);
            return SentenceGuard { ledger, facts, queue };
        }
        SentenceGuard { ledger, facts: BackedFacts::from_ledger(ledger), queue: Vec::new() }
    }

    /// See [`check_sentence`].
    pub fn check(&self, sentence: &str, lang: Lang) -> GuardVerdict {
        if self.queue.is_empty() {
            return check(sentence, self.ledger, &self.facts, lang, true);
        }
        self.check_in_queue(sentence, lang).0
    }

    /// For a queue ledger: which of its products (an index into [`ClaimsLedger::products`]) the guard refused
    /// `sentence` against, so a moderator is told whose facts the words contradict. `None` when the guard passes it,
    /// or for one product's ledger.
    pub fn refused_by(&self, sentence: &str, lang: Lang) -> Option<usize> {
        if self.queue.is_empty() {
            return None;
        }
        self.check_in_queue(sentence, lang).1
    }

    /// The titles of a queue ledger's products, in its order (empty for one product's ledger).
    fn titles(&self) -> Vec<&str> {
        self.queue.iter().map(|l| l.title().unwrap_or("")).collect()
    }

    /// One product of a queue ledger against one sentence (or clause).
    fn check_against(&self, product: usize, sentence: &str, lang: Lang) -> GuardVerdict {
        match product {
            0 => check(sentence, &self.queue[0], &self.facts, lang, true),
            i => check(sentence, &self.queue[i], &BackedFacts::from_ledger(&self.queue[i]), lang, true),
        }
    }

    /// See [`SentenceGuard`]: the sentence against the product it names, and the product that refused it.
    fn check_in_queue(&self, sentence: &str, lang: Lang) -> (GuardVerdict, Option<usize>) {
        let titles = self.titles();
        let hits = name_hits(sentence, &titles);
        let mut named: Vec<usize> = hits.iter().map(|h| h.product).collect();
        named.sort_unstable();
        named.dedup();
        let one = |product: usize| {
            let verdict = self.check_against(product, sentence, lang);
            let refused = matches!(verdict, GuardVerdict::Rejected { .. }).then_some(product);
            (verdict, refused)
        };
        match named.as_slice() {
            [] => return one(0),
            [only] => return one(*only),
            _ => {}
        }
        // Several products in one sentence: clause by clause, each against the products it names, or the one named
        // last before it (the first one named, for clauses before any name).
        let reject = |rule| GuardVerdict::Rejected { rule, original: sentence.to_string() };
        let first_named = hits.first().map(|h| vec![h.product]).unwrap_or_else(|| vec![0]);
        let mut said = String::new();
        let mut repaired = None;
        let mut last: Option<Vec<usize>> = None;
        for (start, end) in clauses(sentence) {
            let mut here: Vec<usize> =
                hits.iter().filter(|h| h.start >= start && h.start < end).map(|h| h.product).collect();
            here.sort_unstable();
            here.dedup();
            let products = match (here.is_empty(), &last) {
                (false, _) => here,
                (true, Some(last)) => last.clone(),
                (true, None) => first_named.clone(),
            };
            last = Some(products.clone());
            let clause = &sentence[start..end];
            if !clause.chars().any(char::is_alphanumeric) {
                said.push_str(clause.trim());
                continue;
            }
            // A clause that names several products must be true of each of them.
            let mut words = None;
            for product in products {
                match self.check_against(product, clause, lang) {
                    GuardVerdict::Rejected { rule, .. } => return (reject(rule), Some(product)),
                    GuardVerdict::Pass(text) => {
                        words.get_or_insert(text);
                    }
                    GuardVerdict::Repaired { text, rule } => {
                        repaired.get_or_insert(rule);
                        words.get_or_insert(text);
                    }
                }
            }
            let words = words.unwrap_or_default();
            if !said.is_empty() && sentence[..start].ends_with(char::is_whitespace) {
                said.push(' ');
            }
            said.push_str(&words);
        }
        let verdict = match repaired {
            Some(rule) => GuardVerdict::Repaired { text: said, rule },
            None => GuardVerdict::Pass(said),
        };
        (verdict, None)
    }

    /// See [`check_answer_sentence`].
    pub fn check_answer(&self, sentence: &str, lang: Lang, comment: &str) -> GuardVerdict {
        if echoes(sentence, comment) {
            return GuardVerdict::Rejected { rule: GuardRule::CommentEcho, original: sentence.to_string() };
        }
        self.check(sentence, lang)
    }
}

/// Checks a sentence written in answer to a viewer's `comment`: everything [`check_sentence`] checks, and that the
/// sentence does not repeat a long stretch of the comment (see [`echoes`]).
pub fn check_answer_sentence(sentence: &str, ledger: &ClaimsLedger, lang: Lang, comment: &str) -> GuardVerdict {
    SentenceGuard::new(ledger).check_answer(sentence, lang, comment)
}

fn check(sentence: &str, ledger: &ClaimsLedger, facts: &BackedFacts, lang: Lang, may_repair: bool) -> GuardVerdict {
    let reject = |rule| GuardVerdict::Rejected { rule, original: sentence.to_string() };
    let written = normalise_slots(sentence.trim());
    // "*takes a sip of water*", "[clears throat]": a body's action written as a stage direction.
    if layout::body_in_stage_note(&written) {
        return reject(GuardRule::ClaimsHuman);
    }
    // Bold markers and the numbers of a list on one line are layout for a screen: said without them, or not at all.
    if let Some(spoken) = layout::spoken_layout(&written) {
        return match check(&spoken, ledger, facts, lang, may_repair) {
            GuardVerdict::Pass(text) | GuardVerdict::Repaired { text, .. } if may_repair => {
                GuardVerdict::Repaired { text, rule: GuardRule::Markup }
            }
            GuardVerdict::Pass(_) | GuardVerdict::Repaired { .. } => reject(GuardRule::Markup),
            GuardVerdict::Rejected { rule, .. } => reject(rule),
        };
    }
    // A code spelt for the ear ("T-E-A-one-zero") is checked as the code it spells; the line is said as written.
    if let Some(joined) = spelled::compacted(&written) {
        return match check(&joined, ledger, facts, lang, may_repair) {
            GuardVerdict::Pass(_) => GuardVerdict::Pass(written),
            GuardVerdict::Repaired { text, rule } => GuardVerdict::Repaired { text, rule },
            GuardVerdict::Rejected { rule, .. } => reject(rule),
        };
    }
    // "Within seven (7) days": a figure repeated in brackets is checked once, as its words; said as written.
    if let Some(once) = arithmetic::without_bracketed_repeats(&written) {
        return match check(&once, ledger, facts, lang, may_repair) {
            GuardVerdict::Pass(_) => GuardVerdict::Pass(written),
            GuardVerdict::Repaired { text, rule } => GuardVerdict::Repaired { text, rule },
            GuardVerdict::Rejected { rule, .. } => reject(rule),
        };
    }
    let folded = fold(&written);

    // Leaks, persona exits, profanity, markup and links are never repaired: a sentence that carries one is not
    // something the host would have said at all.
    for (rule, list) in HARD_RULES {
        if list.find(&folded).is_some() {
            return reject(*rule);
        }
    }
    if written.contains(['<', '>', '`', '*', '#', '|', '\\']) || written.contains("](") || written.contains("[[") {
        return reject(GuardRule::Markup);
    }
    if is_foreign(&folded, ledger) {
        return reject(GuardRule::WrongLanguage);
    }

    // Every slot must be backed before anything else is worth checking.
    let mut slots_used = Vec::new();
    for name in slot_names(&written) {
        if ledger.slot(name).is_none() {
            return reject(GuardRule::UnbackedSlot);
        }
        slots_used.push(name);
    }

    let mut repaired_rule = None;
    let mut text = written.clone();

    // Performed empathy: drop a leading theatrical clause when what follows stands on its own.
    if let Some(hit) = EMPATHY.find(&folded) {
        match strip_leading_clause(&written, hit) {
            Some(rest) if may_repair => {
                return match check(rest, ledger, facts, lang, false) {
                    GuardVerdict::Pass(text) | GuardVerdict::Repaired { text, .. } => {
                        GuardVerdict::Repaired { text: capitalise(&text, lang), rule: GuardRule::PerformedEmpathy }
                    }
                    GuardVerdict::Rejected { .. } => reject(GuardRule::PerformedEmpathy),
                };
            }
            _ => return reject(GuardRule::PerformedEmpathy),
        }
    }

    // The ledger's own words (a filled slot, a gift or promotion as the merchant wrote it) are backed as a whole:
    // they are blanked, so a template filled from the ledger reads like its slots. Amounts, counts and times stay
    // visible to the claim recognizers first, which need them (满一百九十九元包邮 is a claim about 199).
    let (mut masked, mut masked_slots) = facts.mask(&written, false);
    // A viewer's handle ("@mike_88") is a name, not a number; a claim the host reports to correct, refuses to
    // make or denies before the right value is not its claim.
    blank_handles(&mut masked);
    // Traditional characters as simplified ones (三十塊錢 reads as 三十块钱, 我不說 as 我不说): each is three bytes in
    // UTF-8 either way, so every offset into `masked` stays an offset into `written`.
    // Written Cantonese's words of one character as their Mandarin ones, in the same three bytes: 冇送赠品 reads
    // as 没送赠品, 唔包邮 as 不包邮, 係三十美金 as 是三十美金.
    let cantonese = crate::cantonese::is_cantonese(&masked);
    masked = masked
        .chars()
        .map(|c| {
            let c = match c {
                '冇' if cantonese => '没',
                '唔' if cantonese => '不',
                '係' if cantonese => '是',
                '嘅' if cantonese => '的',
                '喺' if cantonese => '在',
                '咗' if cantonese => '了',
                _ => c,
            };
            let s = crate::hanzi::simplified(c);
            if s.len_utf8() == c.len_utf8() { s } else { c }
        })
        .collect();
    reported::blank_not_claimed(&mut masked);
    blank_other_products(&mut masked, ledger);
    // A discount said as a fraction or as the share still paid ("a quarter off", 原价的百分之七十五).
    if let Err(rule) = fractions::judge(&mut masked, facts.percent_off) {
        return reject(rule);
    }
    // "That's in pounds sterling", 我说的是美元: the prices' currency named alone, and wrong.
    if currency_claimed(&masked, &facts.claims.code) || numbers::currency_word_first_wrong(&masked, &facts.claims.code)
    {
        return reject(GuardRule::WrongCurrency);
    }
    // "Free shipping on every order, no minimum": the data's free shipping has a threshold.
    if facts.claims.free_over.is_some() && waives_threshold(&masked.to_lowercase()) {
        return reject(GuardRule::UnbackedFree);
    }
    // 暗号“青瓷”, 口令「茶香」, code "SAVE20": a code word in quotation marks must be the product's own code.
    if quoted_code_not_ours(&masked.to_lowercase(), &facts.claims) {
        return reject(GuardRule::UnbackedPromotion);
    }
    // "Delivered to your door within 48 hours": the data holds when a parcel leaves, never when it arrives.
    if arrival_time_promised(&masked.to_lowercase()) {
        return reject(GuardRule::UnbackedPolicy);
    }
    let stated = |slot: &str, slots_used: &[&str], masked_slots: &[&'static str]| {
        slots_used.contains(&slot) || masked_slots.contains(&slot)
    };

    // Claims a number alone does not show: promotions, gifts, free shipping, shipping and returns policy,
    // countdowns. Backed ones are blanked too, so the numbers inside them (买2送1, 满199减30) are not judged again.
    if claims::stacking_claimed(&folded) {
        return reject(GuardRule::UnbackedPromotion);
    }
    let flat = Flat::new(&masked);
    let found = match claims::find(&flat.text, &facts.claims, masked_slots.contains(&"returns")) {
        Ok(found) => found,
        Err(rule) => return reject(rule),
    };
    for &(start, end) in &found.spans {
        blank(&mut masked, flat.orig(start), flat.orig(end));
    }
    // Sizes and measures in the sentence, read before the spoken amounts and counts are blanked: "five" is the stock's
    // word, but not in "one point five litres".
    let measured = measure_runs(&masked);
    // "Forty percent off" where forty is also the stock: a percentage is judged as the discount before the
    // ledger's number words are blanked.
    for mention in number_mentions(&masked) {
        let after = masked.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
        let percent = mention.kind == MentionKind::Percent
            || ["percent", "per cent", "-percent", "%", "％"].iter().any(|w| after.starts_with(w));
        let off = after.contains(" off") || after.starts_with("off") || written.to_lowercase().contains("discount");
        let backed = mention.value == facts.percent_off.map(|p| u64::from(p) * 100)
            || mention.value.is_some_and(|v| {
                v % 100 == 0 && (facts.other_numbers.contains(&(v / 100)) || facts.promo_percents.contains(&(v / 100)))
            });
        if percent && off && !backed {
            return reject(GuardRule::UnbackedDiscount);
        }
    }
    if let Some(percent) = en_words_percent_off(&written)
        && Some(percent) != facts.percent_off.map(u64::from)
        && !facts.promo_percents.contains(&percent)
    {
        return reject(GuardRule::UnbackedDiscount);
    }
    // "More than forty in stock" for 40: read before the stock's own words are blanked.
    if number_mentions(&written).iter().any(|m| {
        m.kind == MentionKind::Number && m.value.and_then(|v| facts.stock_approximation(v, &written, m)) == Some(false)
    }) {
        return reject(GuardRule::UnbackedNumber);
    }
    masked_slots.extend(facts.mask_into(&mut masked, true));

    // Numbers: amounts, percentages, discounts, ranks, stock counts and plain numbers, each against the ledger.
    let mentions = number_mentions(&masked);
    // "259 − 199 = 60", 两百减一, "three tenners": numbers in a sum that comes to the price, compare-at or saving.
    let worked = arithmetic::worked_out(&written, &facts.money_targets());
    let in_a_sum = |m: &Mention| worked.iter().any(|&(s, e)| s < m.end && m.start < e);
    // "A buck shy of forty": a price said as one less than a number, and not the price.
    if arithmetic::shy_of_the_wrong_price(&written, facts.money_targets().first().copied()) {
        return reject(GuardRule::UnbackedPrice);
    }
    // "Three, two, one, go!": a count down to a start.
    let countdowns = arithmetic::counted_down(&written);
    let counted_down = |m: &Mention| countdowns.iter().any(|&(s, e)| s < m.end && m.start < e);
    let mut replacements: Vec<(usize, usize, &'static str)> = Vec::new();
    for mention in &mentions {
        match mention.kind {
            MentionKind::Amount => {
                // "199 dollars" for a yuan price is wrong even when the number is right.
                if let Some(cur) = mention.currency
                    && !cur.accepts(&facts.claims.code)
                    && !facts.states_spec(&written, mention)
                {
                    return reject(GuardRule::WrongCurrency);
                }
                let slot = mention.value.and_then(|v| facts.money_slot(v));
                let hundreds = mention.hundreds.filter(|_| !names_other_currency(&written, &facts.claims.code));
                match slot.or_else(|| hundreds.and_then(|v| facts.money_slot(v))) {
                    Some(slot) => {
                        if mention.literal {
                            replacements.push((mention.start, mention.end, slot));
                        }
                    }
                    None => {
                        let in_a_claim = mention
                            .value
                            .and_then(|v| to_minor(v, facts.claims.minor_digits))
                            .is_some_and(|minor| found.amounts.contains(&minor));
                        // An amount the data holds in another role (the free-shipping threshold, a coupon's
                        // saving) is not the price: 只要99元 when 99 is the threshold for free shipping.
                        let as_price = said_as_the_price(&written, mention);
                        // "$90 each" is one item's price, whatever count the sentence names.
                        let after = written.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
                        let each = [
                            "each", "apiece", "a piece", "per ", "a set", "a unit", "一个", "每个", "一件", "每件",
                            "一套", "每套", "一台", "每台",
                        ]
                        .iter()
                        .any(|w| after.starts_with(w));
                        // With buy two get one said, three sets at ¥199 each is not what three sets cost.
                        let buy_get = facts.buy_get_said(&folded);
                        let allowed = (in_a_claim && !as_price)
                            || mention.value.is_some_and(|v| {
                                facts.saving_backs(v, &folded)
                                    || (facts.promo_backs(v, &folded) && !as_price)
                                    || facts.promo_price_backs(v, &folded)
                                    || facts.promo_average_backs(v, &folded)
                                    || (facts.multiple_backs(v, &folded) && !each && !buy_get)
                                    || facts.shared_over_parts(v, &written, mention)
                            })
                            || in_a_sum(mention);
                        let rounded = mention.value.is_some_and(|v| facts.rounds_the_price(v, &written, mention));
                        if !allowed && !rounded && !facts.states_spec(&written, mention) {
                            return reject(GuardRule::UnbackedPrice);
                        }
                    }
                }
            }
            MentionKind::Percent if !mention.off => {
                // "100% cotton" is a spec; "33%" alone is the discount said loosely; anything else is invented.
                let backed = mention.value.is_some_and(|v| {
                    v % 100 == 0
                        && (facts.other_numbers.contains(&(v / 100)) || facts.percent_off == Some((v / 100) as u32))
                });
                if !backed {
                    return reject(GuardRule::UnbackedNumber);
                }
            }
            MentionKind::Percent | MentionKind::ZhDiscount => {
                let backed = match (mention.kind, mention.value, facts.percent_off) {
                    (MentionKind::Percent, Some(v), Some(p)) => v == u64::from(p) * 100,
                    // 七七折 pays 77%: the discount is 100 minus that.
                    (MentionKind::ZhDiscount, Some(v), Some(p)) => zh_discount_percent(v) == Some(p),
                    _ => false,
                };
                if !backed {
                    return reject(GuardRule::UnbackedDiscount);
                }
                replacements.push((mention.start, mention.end, "{discount}"));
            }
            MentionKind::Rank => {
                // 前一百名 is a promotion's condition: only the product's own words can state it.
                let backed = mention.value.is_some_and(|v| v % 100 == 0 && facts.states(v / 100, &written, mention));
                if !backed {
                    return reject(GuardRule::UnbackedPromotion);
                }
            }
            MentionKind::Number => {
                // "Just over ten left" for 12, 四十套出头 for 40: the stock put as more or less than a count, judged
                // as so put (true, or a claim the stock does not back), and not as the count itself.
                match mention.value.and_then(|v| facts.stock_approximation(v, &written, mention)) {
                    Some(false) => return reject(GuardRule::UnbackedNumber),
                    Some(true) => continue,
                    None => {}
                }
                // "We have 40 in stock", "Stock: 3", 库存40台: a count said as the stock is the stock, whatever else
                // in the data the number equals (40 is also the kettle's old price).
                if said_as_stock(&masked, mention) && mention.value != facts.stock.map(|s| u64::from(s) * 100) {
                    return reject(GuardRule::UnbackedNumber);
                }
                // The unit may sit inside a backed claim that was blanked (48小时内发货): read it from the sentence.
                let qty = mention.qty.or_else(|| qty_after(&written, mention.end));
                // A number with a unit (a size, a volume, pieces) is backed by the same measure in the product's
                // own words, whatever words said it; the words around it cannot back it in another unit.
                let backed = match measured.iter().find(|r| r.overlaps(mention.start, mention.end)) {
                    // A count of pieces may be the stock ("仅剩5件"), as the run reads it (not "five" of "one point
                    // five litres").
                    Some(run) => {
                        general_advice(&written, mention.end)
                            || facts.measure_backs(run)
                            || facts.stock.is_some_and(|n| run.counts(n))
                            || discourse_count(&written, mention)
                            || bought_quantity(&written, mention)
                            || mention.value.is_some_and(|v| {
                                facts.counts_a_total(v, &mentions, &written, mention.end)
                                    || facts.promo_count_backs(v, &folded)
                            })
                    }
                    None => {
                        general_advice(&written, mention.end)
                            || mention.value.is_some_and(|v| {
                                (v % 100 == 0
                            && (facts.stock == Some((v / 100) as u32)
                                || facts.states(v / 100, &written, mention)
                                || qty.is_some_and(|q| found.quantities.contains(&(v / 100, q)))))
                            || facts.states_exact(v, &written, mention)
                            // "down from forty", 原价259: the price or compare-at price without its currency.
                            || (facts.is_price_number(v) && bare_amount(&written, mention))
                            || facts.saving_backs(v, &folded)
                            || facts.promo_backs(v, &folded)
                            || facts.promo_price_backs(v, &folded)
                            || facts.multiple_backs(v, &folded)
                            || (v % 100 == 0 && qty.is_some_and(|q| facts.policy_time_backs(v / 100, q, &folded)))
                            || discourse_count(&written, mention)
                            || bought_quantity(&written, mention)
                            || facts.counts_the_promotions(v, &written, mention.end)
                            || facts.counts_a_total(v, &mentions, &written, mention.end)
                            || facts.promo_count_backs(v, &folded)
                            || facts.rounds_the_price(v, &written, mention)
                            })
                            || in_a_sum(mention)
                            || counted_down(mention)
                    }
                };
                // "Forty percent off" read as a plain number: only the real discount, whatever else it equals.
                let after = written.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
                if ["percent", "per cent", "-percent", "%", "％"].iter().any(|w| after.starts_with(w)) {
                    if mention.value != facts.percent_off.map(|p| u64::from(p) * 100) {
                        return reject(GuardRule::UnbackedDiscount);
                    }
                } else if !backed {
                    return reject(GuardRule::UnbackedNumber);
                }
                if let (Some(v), Some(stock)) = (mention.value, facts.stock)
                    && v == u64::from(stock) * 100
                    && mention.literal
                    && !facts.other_numbers.contains(&u64::from(stock))
                {
                    replacements.push((mention.start, mention.end, "{stock}"));
                    masked_slots.push("stock");
                }
            }
        }
    }

    // A measure the number reader leaves alone (一点八乘一米, 三公升, "one litre": 一, 八, 三 and "one" alone are
    // words) is still a claim; only one piece, pair or set (一个, 一双) is an article rather than a count.
    for run in &measured {
        let claim = run.items.len() >= 2 || run.items.iter().any(|(_, _, m)| !m.is_one_item());
        let judged = run.items.iter().all(|&(s, e, _)| mentions.iter().any(|m| s < m.end && m.start < e));
        if claim && !judged && !facts.measure_backs(run) && !facts.stock.is_some_and(|n| run.counts(n)) {
            return reject(GuardRule::UnbackedNumber);
        }
    }

    // Claims that need no number to be false, judged on what is left once the backed words are blanked.
    let folded_rest = fold(&masked);
    let stock_named = stated("stock", &slots_used, &masked_slots);
    let stock_stated = stock_named || mentions.iter().any(|m| m.value == facts.stock.map(|s| u64::from(s) * 100));
    // Trailing dots read as a space: "almost... all gone".
    let dotted = folded_rest.contains("...") || folded_rest.contains('…');
    let undotted = || {
        let spaced = folded_rest.replace("...", " ").replace('…', " ");
        spaced.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    };
    if SCARCITY_ALWAYS.find(&without_denied_limits(&folded_rest)).is_some()
        || (dotted && SCARCITY_ALWAYS.find(&without_denied_limits(&undotted())).is_some())
        || phrases::restock_promised(&folded_rest)
        || hype::hype(&folded_rest).is_some()
    {
        return reject(GuardRule::FakeScarcity);
    }
    // "Down to single digits", 只有个位数了: a count under ten, true only when the stock is.
    if SINGLE_DIGITS.find(&folded_rest).is_some() && facts.stock.is_none_or(|n| n >= 10) {
        return reject(GuardRule::FakeScarcity);
    }
    if en_last_item(&folded_rest) && !facts.sold_out && facts.stock != Some(1) {
        return reject(GuardRule::FakeScarcity);
    }
    let scarcity_worded = SCARCITY_WITH_COUNT.find(&folded_rest).is_some() || en_only_left(&folded_rest);
    let counted = (facts.stock.is_some() && stock_stated) || stated("offer_ends", &slots_used, &masked_slots);
    if scarcity_worded && !counted {
        return reject(GuardRule::FakeScarcity);
    }
    if SOLD_OUT.find(&without_denied_sold_out(&folded_rest)).is_some() && !facts.sold_out {
        return reject(GuardRule::UnbackedStock);
    }
    if STOCK.find(&folded_rest).is_some() && facts.stock.is_none() && !facts.sold_out {
        return reject(GuardRule::UnbackedStock);
    }
    let calm_rest = without_calm(&folded_rest);
    if (URGENCY.find(&calm_rest).is_some() || phrases::deal_ends_named(&calm_rest))
        && !facts.offer_ends
        && !facts.claims.ends
    {
        return reject(GuardRule::UnbackedUrgency);
    }
    let free_rest = without_benign_free(&folded_rest);
    let only_free_shipping = facts.claims.shipping_free && free_only_of_shipping(&free_rest);
    // "Buy two and the third one's on us": the free item of an open buy-N-get-M promotion, named as such.
    let buy_get_free = facts.buy_get_free(&folded);
    if FREE.find(&free_rest).is_some()
        && !only_free_shipping
        && !facts.free_backed
        && !found.free
        && !buy_get_free
        && !facts.free_is_gift(&folded)
    {
        return reject(GuardRule::UnbackedFree);
    }
    // Free shipping backed in one clause does not make another clause's "free" true: "Shipping is free, and the
    // teapot is free" gives a teapot away. Each clause that says "free" must name shipping, the gift, or a promotion.
    if (found.free || buy_get_free)
        && !facts.free_backed
        && free_said_of_something_else(&without_benign_free(&folded), facts)
    {
        return reject(GuardRule::UnbackedFree);
    }
    // The vague discount words ("on sale", 优惠) are true of a real discount or of any open promotion.
    if DISCOUNT.find(&folded_rest).is_some() && facts.percent_off.is_none() && facts.claims.promos.is_empty() {
        return reject(GuardRule::UnbackedDiscount);
    }
    let second_half = facts.promo_percents.contains(&50)
        && ["second", "2nd", "第二", "another one"].iter().any(|w| folded_rest.contains(w))
        && !["third", "3rd", "第三"].iter().any(|w| folded_rest.contains(w));
    // "The kettle isn't half off", 不是半价: a half price denied, where it is not the real discount, is true.
    let half_denied = HALF_PRICE.find(&folded_rest).is_some_and(|at| {
        let before = folded_rest[..at].trim_end();
        fractions::DENIED.iter().any(|d| before.ends_with(d))
    });
    if HALF_PRICE.find(&folded_rest).is_some() && facts.percent_off != Some(50) && !second_half && !half_denied {
        return reject(GuardRule::UnbackedDiscount);
    }

    // The Advertising-Law list, on the text as written (slots unfilled, and the product's own title blanked, so a
    // merchant's own title cannot trip it; gift and promotion wording filled in from the ledger still can).
    for hit in lint::lint(&facts.without_title(&written)) {
        let rule = match hit.rule {
            lint::Rule::AbsoluteTerm => GuardRule::AbsoluteTerm,
            lint::Rule::MedicalClaim => GuardRule::MedicalClaim,
            lint::Rule::AbsolutePromise => GuardRule::AbsolutePromise,
        };
        // "Guaranteed" is true when the product states a guarantee and the sentence says which.
        let backed = rule == GuardRule::AbsolutePromise && stated("guarantee", &slots_used, &masked_slots);
        if !backed {
            return reject(rule);
        }
    }

    if !replacements.is_empty() {
        replacements.sort_by_key(|r| std::cmp::Reverse(r.0));
        for (start, end, slot) in replacements {
            if text.is_char_boundary(start) && text.is_char_boundary(end) && start <= end && end <= text.len() {
                text.replace_range(start..end, slot);
            }
        }
        repaired_rule = Some(GuardRule::LiteralFact);
    }

    let filled = match ledger.fill(&text) {
        Ok(filled) => filled,
        Err(_) => return reject(GuardRule::UnbackedSlot),
    };
    if filled.contains(['{', '}']) {
        return reject(GuardRule::Markup);
    }
    if !filled.chars().any(char::is_alphanumeric) {
        return reject(GuardRule::NothingToSay);
    }
    match repaired_rule {
        Some(rule) => GuardVerdict::Repaired { text: filled, rule },
        None => GuardVerdict::Pass(filled),
    }
}

/// The sentence after a leading clause that contains the phrase at `hit`, when there is one worth saying.
fn strip_leading_clause(written: &str, hit: usize) -> Option<&str> {
    // `hit` is an offset in the folded text; folding keeps clause separators in place for the text models write,
    // so look for the first separator at or after the phrase in the original, by character count.
    let folded_prefix_chars = fold(written).get(..hit).map(|p| p.chars().count())?;
    let start = written.char_indices().nth(folded_prefix_chars).map(|(i, _)| i).unwrap_or(0);
    let sep = written.get(start..)?.find([',', '，', '.', '。', '!', '！', ';', '；', '—', ':', '：'])? + start;
    if written.get(..start)?.trim().chars().any(char::is_alphanumeric) {
        // The apology sits mid-sentence: there is no clean clause to drop.
        return None;
    }
    let sep_len = written.get(sep..)?.chars().next()?.len_utf8();
    let rest = written.get(sep + sep_len..)?.trim_start_matches([' ', '，', ',', '—']).trim();
    rest.chars().filter(|c| c.is_alphanumeric()).nth(3).map(|_| rest)
}

fn capitalise(text: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return text.to_string();
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod claims_tests;
#[cfg(test)]
mod corrections_tests;

#[cfg(test)]
mod tests;

/// A brewing temperature or time the sentence itself calls general advice, not the product's: "green tea is often
/// brewed around 80°C, but that's general tea advice, not something about this set", 泡绿茶一般用八十度左右的水，这
/// 是常识. Only a temperature, a time of minutes or seconds, or a weight of tea, never an amount or a count.
fn general_advice(written: &str, end: usize) -> bool {
    const SAID_GENERAL: [&str; 17] = [
        "general advice",
        "general tea advice",
        "rule of thumb",
        "not something about this",
        "not a spec",
        "常识",
        "一般来说",
        "不是这套",
        "不是这款",
        "plenty of people",
        "many people",
        "most people",
        "people usually",
        "boiling point",
        "沸点",
        "一般用",
        "通常用",
    ];
    const UNITS: [&str; 12] =
        ["°", "℃", "度", "degrees", "minutes", "minute", "分钟", "seconds", "秒", "grams", "克", "g "];
    let lower = written.to_lowercase();
    let after = written.get(end..).unwrap_or("").trim_start().to_lowercase();
    SAID_GENERAL.iter().any(|w| lower.contains(w)) && UNITS.iter().any(|u| after.starts_with(u))
}

/// Whether a word for a code (暗号, 口令, 优惠码, "code", "password") is followed by a quoted word that is none of the
/// product's coupon codes.
fn quoted_code_not_ours(lower: &str, claims: &claims::ClaimFacts) -> bool {
    const CODE_WORDS: [&str; 7] = ["暗号", "口令", "优惠码", "券码", "code", "password", "keyword"];
    const OPEN: [char; 5] = ['"', '“', '「', '『', '\''];
    const CLOSE: [char; 5] = ['"', '”', '」', '』', '\''];
    let ours: Vec<String> = claims.coupons().filter_map(|(code, _)| code.as_ref().map(|c| c.to_lowercase())).collect();
    CODE_WORDS.iter().any(|word| {
        lower.match_indices(word).any(|(at, _)| {
            let rest = lower[at + word.len()..].trim_start_matches([' ', ':', '：', '是']);
            let Some(inner) = rest.strip_prefix(OPEN) else { return false };
            let Some(close) = inner.find(CLOSE) else { return false };
            let quoted = inner[..close].trim();
            !quoted.is_empty() && quoted.chars().count() <= 12 && !ours.iter().any(|c| c == quoted)
        })
    })
}

/// Whether a clause says "free" of something that is neither shipping, the product's gift, nor an item of a
/// promotion (the second one, the third one "on us"), and names the thing: "and the teapot is free", "so is a second
/// tea set" after "shipping is free".
fn free_said_of_something_else(folded: &str, facts: &BackedFacts) -> bool {
    const SHIPPING: [&str; 9] = ["shipping", "delivery", "postage", "ship", "deliver", "包邮", "运费", "邮费", "免运"];
    const PROMO_ITEMS: [&str; 14] = [
        "third",
        "second",
        "another one",
        "buy",
        "get",
        "half",
        "coupon",
        "第二",
        "第三",
        "买",
        "送",
        "one's on us",
        "towel",
        "gift",
    ];
    const ALSO: [&str; 4] = ["so is", "so are", "too", "as well"];
    let clauses: Vec<&str> = folded.split(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—']).collect();
    clauses.iter().enumerate().any(|(i, clause)| {
        // "A tea towel, free with every set": a clause that opens with "free" says it of the clause before.
        let owned;
        let clause = match i.checked_sub(1).map(|p| clauses[p]) {
            Some(before) if clause.trim_start().starts_with("free ") => {
                owned = format!("{before} {clause}");
                owned.as_str()
            }
            _ => *clause,
        };
        let frees = FREE.find(clause).is_some() || (ALSO.iter().any(|w| clause.contains(w)) && folded.contains("free"));
        let named = clause.split_whitespace().count() >= 3;
        // Read on the unmasked sentence (the gift's own words are blanked in the masked one), so a denial is left
        // alone here: "no free teapot" claims nothing.
        let denied = ["no ", "not ", "n't", "没", "不", "无"].iter().any(|w| clause.contains(w));
        frees
            && named
            && !denied
            && !SHIPPING.iter().any(|w| clause.contains(w))
            && !PROMO_ITEMS.iter().any(|w| clause.contains(w))
            && !facts.free_is_gift(clause)
    })
}

/// Whether every clause that says "free" also names shipping: "Shipping on the tea set is free." A clause with
/// "free" and no shipping word ("…, and the teapot is free") is judged as before.
fn free_only_of_shipping(folded: &str) -> bool {
    // "It's free on orders over ¥99": free over a threshold is how free shipping is put (the threshold itself is
    // read where free shipping's threshold is).
    const SHIPPING: [&str; 14] = [
        "shipping",
        "deliver",
        "postage",
        "ship",
        "包邮",
        "运费",
        "邮费",
        "免运",
        "orders over",
        "order over",
        "orders above",
        "order above",
        "orders of",
        "满",
    ];
    folded
        .split(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—'])
        .filter(|clause| FREE.find(clause).is_some())
        .all(|clause| SHIPPING.iter().any(|w| clause.contains(w)))
}

/// Whether a clause promises when a parcel arrives: an arrival word and a time, with no verb of dispatch and no
/// word of returns (收到后7天内可退 counts the return window from arrival).
fn arrival_time_promised(lower: &str) -> bool {
    const TIMES: [&str; 16] = [
        "hour",
        "day",
        "week",
        "小时",
        "天",
        "周",
        "tomorrow",
        "明天",
        "次日",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    // A time with a number, or tomorrow: 几天到货 asks, it does not promise.
    let counted = |clause: &str| {
        ["tomorrow", "明天", "次日", " a week", " a day", " an hour", " a couple", " a few days", "by "]
            .iter()
            .any(|w| clause.contains(w))
            || clause.chars().any(|c| c.is_ascii_digit() || "一二两三四五六七八九十".contains(c))
            || clause.split(|c: char| !c.is_ascii_alphabetic()).any(crate::verbalize::is_en_number_word)
    };
    lower.split(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—']).any(|clause| {
        facts::ARRIVAL_WORDS.iter().any(|w| clause.contains(w))
            && TIMES.iter().any(|w| clause.contains(w))
            && counted(clause)
            && !facts::DISPATCH_VERBS.iter().any(|w| clause.contains(w))
            && !facts::RETURNS_CONTEXT.iter().any(|w| clause.contains(w))
    })
}

/// Clauses that give a promotion or a code to another product, by name: 满199减30是茶具的活动 and "TEA10 is for the
/// tea set only" said on the kettle. They claim nothing of this product, so they are blanked; a name that shares a
/// word (or, in Chinese, two characters) with this product's title is this product's, and its clause is read. A
/// product's own ledger knows no other product's facts, so this is all it can say of one.
fn blank_other_products(masked: &mut String, ledger: &ClaimsLedger) {
    const ZH_FRAMES: [(&str, &str); 8] = [
        ("是", "的活动"),
        ("是", "的优惠"),
        ("是", "的福利"),
        ("是", "专属"),
        ("只能用在", "上"),
        ("只能用于", ""),
        ("只限", ""),
        ("仅限", ""),
    ];
    const EN_FRAMES: [&str; 6] =
        ["for the ", "only for the ", "only on the ", "only works on the ", "applies to the ", "only applies to the "];
    const BREAKS: &[char] = &['。', '，', ',', '.', ';', '；', '!', '！', '?', '？', '—'];
    let titles: Vec<String> = ledger
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Title(t) => Some(t.to_lowercase()),
            _ => None,
        })
        .collect();
    let ours = |name: &str| {
        let name = name.trim();
        let words = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.len() >= 3 && w.is_ascii())
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        let cjk: Vec<char> = name.chars().filter(|c| text::is_cjk_char(*c)).collect();
        name.is_empty()
            || ["this", "it", "these", "这个", "这款", "它", "本品", "这套", "这台", "this one"].contains(&name)
            || titles.iter().any(|t| {
                words(t).iter().any(|w| words(name).contains(w))
                    || cjk.windows(2).any(|pair| t.contains(&pair.iter().collect::<String>()))
            })
    };
    let lower = masked.to_ascii_lowercase();
    let mut spans = Vec::new();
    let clause_start =
        |at: usize| lower[..at].rfind(BREAKS).map_or(0, |i| i + lower[i..].chars().next().map_or(1, char::len_utf8));
    for (open, close) in ZH_FRAMES {
        for (at, _) in lower.match_indices(open) {
            let from = at + open.len();
            let rest = &lower[from..];
            let name_end = if close.is_empty() {
                rest.find(|c: char| !text::is_cjk_char(c))
                    .unwrap_or(rest.len())
                    .min(rest.char_indices().nth(6).map_or(rest.len(), |(i, _)| i))
            } else {
                match rest.find(close) {
                    Some(i) if rest[..i].chars().count() <= 6 && !rest[..i].contains(BREAKS) => i,
                    _ => continue,
                }
            };
            let name = &rest[..name_end];
            if !ours(name) {
                spans.push((clause_start(at), from + name_end + close.len()));
            }
        }
    }
    for frame in EN_FRAMES {
        for (at, _) in lower.match_indices(frame) {
            let from = at + frame.len();
            let rest = &lower[from..];
            let name_end = rest.find(BREAKS).unwrap_or(rest.len());
            let name: Vec<&str> = rest[..name_end].split_whitespace().take_while(|w| *w != "only").take(4).collect();
            let only =
                frame.starts_with("only") || rest[..name_end].contains(" only") || lower[..at].ends_with("only ");
            // A product's name, not a time or a group of people ("for the next ten minutes only", "only for the
            // first 50 buyers"): no figure, no word of time or of who.
            const NOT_NAMES: [&str; 24] = [
                "next",
                "first",
                "last",
                "minute",
                "minutes",
                "hour",
                "hours",
                "second",
                "seconds",
                "day",
                "days",
                "week",
                "today",
                "tonight",
                "buyers",
                "people",
                "viewers",
                "fans",
                "followers",
                "members",
                "customers",
                "orders",
                "order",
                "new",
            ];
            let names_a_thing = !name.is_empty()
                && name.len() <= 3
                && !name.iter().any(|w| NOT_NAMES.contains(w) || crate::verbalize::is_en_number_word(w))
                && !name.iter().any(|w| w.chars().any(|c| c.is_ascii_digit()));
            if only && names_a_thing && !ours(&name.join(" ")) {
                spans.push((clause_start(at), from + name_end));
            }
        }
    }
    for (start, end) in spans {
        text::blank(masked, start, end);
    }
}

/// Whether free shipping is said to need no minimum: "free shipping on every order", 包邮，无门槛. The words for
/// "any order" count in the clause that names shipping or opening the clause right after it, so "Free shipping,
/// and a free tea towel with every order" waives nothing.
fn waives_threshold(lower: &str) -> bool {
    const SHIPPING: [&str; 6] = ["shipping", "delivery", "ships free", "包邮", "运费", "邮费"];
    const ANY_ORDER: [&str; 12] = [
        "no minimum",
        "every order",
        "any order",
        "all orders",
        "any amount",
        "no matter how",
        "无门槛",
        "不限金额",
        "任何金额",
        "一件就包邮",
        "一件也包邮",
        "不管买多少",
    ];
    let clauses: Vec<&str> =
        lower.split(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—']).map(str::trim).collect();
    let ships = |c: &str| SHIPPING.iter().any(|w| c.contains(w));
    clauses.iter().enumerate().any(|(i, clause)| {
        ships(clause)
            && (ANY_ORDER.iter().any(|w| clause.contains(w))
                || clauses.get(i + 1).is_some_and(|next| ANY_ORDER.iter().any(|w| next.starts_with(w))))
    })
}

/// A small count or ordinal that orders the host's own talk rather than claiming anything about the product: "two
/// features", "step one", "question three", 两个卖点, 第二步. Only up to ten, and only before or after the words
/// that such talk uses.
/// A quantity the viewer may buy, said as an invitation (可以两套一起拍, 拍两套, "buy two"): how many to put in the
/// basket is the buyer's choice, not a fact about the product. Only a small count of pieces or sets, right beside
/// a verb of buying.
fn bought_quantity(written: &str, mention: &numbers::Mention) -> bool {
    let small = mention.value.is_some_and(|v| v % 100 == 0 && (2..=5).contains(&(v / 100)));
    if !small {
        return false;
    }
    let before = written.get(..mention.start).unwrap_or("").trim_end().to_lowercase();
    let after = written.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
    // "Buy two and the third one's on us", 买两套送一套: a deal follows, and the count is its condition.
    const DEALS: [&str; 14] =
        ["free", "on us", "third", "another", "get ", "half", "off", "送", "赠", "免费", "半价", "折", "减", "第三"];
    if DEALS.iter().any(|d| after.contains(d)) {
        return false;
    }
    let measured = after.strip_prefix(['套', '件', '台', '个', '组', '份']);
    let zh_after = measured.is_some_and(|rest| {
        let rest = rest.strip_prefix("一起").or_else(|| rest.strip_prefix("一块")).unwrap_or(rest);
        ["拍", "买", "下单", "带走", "入手", "囤", "加购", "加入购物车"].iter().any(|v| rest.starts_with(v))
    });
    let zh_before = measured.is_some()
        && ["拍", "买", "下单", "带", "囤", "入", "拍下", "买上", "拿"].iter().any(|v| before.ends_with(v));
    let en_before = ["buy", "grab", "order", "pick up", "add"].iter().any(|v| before.ends_with(v))
        && !after.starts_with("free")
        && !after.starts_with("for");
    zh_after || zh_before || en_before
}

/// Whether a plain number is said as the stock: "40 in stock", "3 sets left", "12 units remaining", "Stock: 3",
/// "stock is 40", 库存40台, 还剩3套, 现货12台. Read on the sentence with what was taken back blanked.
fn said_as_stock(text: &str, mention: &numbers::Mention) -> bool {
    const UNITS: [&str; 12] =
        ["sets", "set", "kettles", "kettle", "units", "unit", "pieces", "pcs", "items", "boxes", "more", "of them"];
    const AFTER: [&str; 12] = [
        "in stock",
        "left",
        "remaining",
        "available",
        "on hand",
        "in the warehouse",
        "still in stock",
        "on the shelf",
        "on the shelves",
        "up for grabs",
        "ready to ship",
        "ready to go",
    ];
    const BEFORE: [&str; 10] =
        ["stock:", "stock is", "stock of", "stock at", "stock -", "库存", "库存：", "库存:", "还剩", "现货"];
    // 库存还有四十台, 现货只剩3套, 仓库里还有40台, 现货：40台: a few words of "still", "only" (or a label's colon)
    // between the stock word and the count.
    const FILLERS: [&str; 12] = ["还有", "还剩", "只有", "只剩", "仅剩", "剩下", "一共", "共", "有", "就", "：", ":"];
    let after = text.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
    // 还剩3天, "2 hours left": time left, not stock (a deadline is judged by the urgency rules).
    const TIMES: [&str; 14] =
        ["天", "小时", "个小时", "分钟", "秒", "周", "日", "个月", "day", "hour", "minute", "second", "week", "month"];
    if TIMES.iter().any(|t| after.starts_with(t)) {
        return false;
    }
    let mut after = after.as_str();
    for _ in 0..2 {
        if let Some(unit) = UNITS.iter().find(|u| after.starts_with(**u)) {
            after = after[unit.len()..].trim_start();
        }
    }
    // Chinese counters: 40台, 12套 after 库存 or 现货 are read by what comes before.
    let before = text.get(..mention.start).unwrap_or("").trim_end().to_lowercase();
    let mut bare = before.as_str();
    for _ in 0..2 {
        if let Some(filler) = FILLERS.iter().find(|f| bare.ends_with(**f)) {
            bare = bare[..bare.len() - filler.len()].trim_end();
        }
    }
    AFTER.iter().any(|a| after.starts_with(a))
        || BEFORE.iter().any(|b| before.ends_with(b))
        || (bare.len() < before.len() && ["库存", "现货", "仓库里", "仓库", "庫存"].iter().any(|b| bare.ends_with(b)))
}

fn discourse_count(written: &str, mention: &numbers::Mention) -> bool {
    // Not "point" or 点: "one point five litres" and 二点五公升 are measures.
    const AFTER: [&str; 23] = [
        "个数字",
        "点就",
        "个重点",
        "feature",
        "thing",
        "points to",
        "step",
        "reason",
        "question",
        "tip",
        "way",
        "highlight",
        "part",
        "卖点",
        "亮点",
        "步",
        "个问题",
        "件事",
        "个优点",
        "个特点",
        "个要点",
        "个小建议",
        "个建议",
    ];
    const BEFORE: [&str; 10] = ["step", "question", "tip", "part", "number", "第", "round", "扣", "打", "deal"];
    // "扣1", "扣个666", "type 1 in chat": a code viewers type, whatever its value.
    let before_all = written.get(..mention.start).unwrap_or("").trim_end().to_lowercase();
    let chat_code = ["扣", "扣个", "刷", "刷个", "打个", "type", "press", "drop a", "drop an"];
    if chat_code.iter().any(|w| before_all.ends_with(w)) {
        return true;
    }
    let small = mention.value.is_some_and(|v| v % 100 == 0 && (1..=10).contains(&(v / 100)));
    if !small {
        return false;
    }
    let after = written.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
    let after = after.strip_prefix('个').unwrap_or(&after);
    // 两个主要卖点, 三个核心优点: one describing word before the noun, as in English.
    let after = ["主要", "核心", "重要", "最大的", "大"].iter().find_map(|w| after.strip_prefix(w)).unwrap_or(after);
    // "three quick points", "two key features": one describing word may stand before the noun.
    let described = ["quick ", "key ", "main ", "big ", "simple ", "short ", "important "]
        .iter()
        .find_map(|w| after.strip_prefix(w))
        .is_some_and(|rest| {
            ["point", "thing", "feature", "reason", "tip", "question"].iter().any(|n| rest.starts_with(n))
        });
    // 说两点：, 三种用法, 两个重点, 三分钟后我们看下一个: the host's own points and schedule.
    let zh_own = ["点：", "点:", "点，", "种用法", "重点", "分钟后", "件事"].iter().any(|w| after.starts_with(w));
    if described || zh_own {
        return true;
    }
    let before = written.get(..mention.start).unwrap_or("").trim_end().to_lowercase();
    // 两个特点 (个 is taken off above), 卖点就两个, "the features are two": the count after the noun it counts.
    const POINTS: [&str; 10] = ["特点", "优点", "要点", "亮点", "卖点", "重点", "建议", "问题", "features", "things"];
    let noun_first = {
        let near = before
            .trim_end_matches(|c: char| "就只有是一共共:：".contains(c) || c.is_whitespace())
            .trim_end_matches(" are")
            .trim_end_matches(" is");
        POINTS.iter().any(|p| near.ends_with(p))
    };
    AFTER.iter().any(|w| after.starts_with(w))
        || POINTS.iter().any(|p| after.starts_with(p))
        || BEFORE.iter().any(|w| before.ends_with(w))
        || noun_first
}

/// Whether a number that equals a price stands alone ("down from forty", 从259降到199, "the thirty is US dollars"):
/// not followed by a word the number reader does not take for money but that makes it an amount of something else
/// ("199刀", 一百九十九欧, "thirty-percent", "30 bucks").
/// Whether the words just before an amount make it the price ([`text::price_frame_before`]), with no threshold or
/// saving word in its clause (满99包邮, "orders over $30 ship free", 省10元).
fn said_as_the_price(written: &str, mention: &numbers::Mention) -> bool {
    const NOT_THE_PRICE: [&str; 22] = [
        "满",
        "超过",
        "以上",
        "起",
        "门槛",
        "省",
        "减",
        "便宜",
        "优惠",
        "券",
        "over",
        "above",
        "spend",
        "orders",
        "off",
        "save",
        "saving",
        "coupon",
        "threshold",
        "more than",
        "at least",
        "minimum",
    ];
    let breaks = |c: char| "，。！？,.!?；;：:—".contains(c);
    let start = written
        .get(..mention.start)
        .and_then(|b| b.char_indices().rev().find(|&(_, c)| breaks(c)).map(|(i, c)| i + c.len_utf8()))
        .unwrap_or(0);
    let end = written.get(mention.end..).and_then(|a| a.find(breaks)).map_or(written.len(), |i| mention.end + i);
    let (Some(before), Some(clause)) = (written.get(start..mention.start), written.get(start..end)) else {
        return false;
    };
    let clause = clause.to_lowercase();
    text::price_frame_before(before) && !NOT_THE_PRICE.iter().any(|w| clause.contains(w))
}

fn bare_amount(written: &str, mention: &numbers::Mention) -> bool {
    const NOT_BARE: [&str; 40] = [
        "%",
        "％",
        "percent",
        "per cent",
        "-percent",
        "折",
        "刀",
        "欧",
        "镑",
        "块",
        "元",
        "圆",
        "毛",
        "角",
        "bucks",
        "buck",
        "quid",
        "euro",
        "pound",
        "yen",
        "rmb",
        "cny",
        "usd",
        "円",
        "aussie",
        "australian",
        "canadian",
        "hong kong",
        "hk",
        "singapore",
        "new zealand",
        "nz",
        "美刀",
        "澳",
        "加币",
        "加元",
        "港",
        "台币",
        "新币",
        "日元",
    ];
    let after = written.get(mention.end..).unwrap_or("").trim_start().to_lowercase();
    !NOT_BARE.iter().any(|w| after.starts_with(w))
}

/// Blanks every "@handle" (an @ and the letters, digits, underscores and dots after it), keeping byte offsets.
fn blank_handles(text: &mut String) {
    let mut spans = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '@' || c == '＠' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if n.is_alphanumeric() || n == '_' || n == '.' {
                    end = j + n.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            spans.push((i, end));
        }
    }
    for (start, end) in spans {
        blank(text, start, end);
    }
}

/// A discount said in English number words ("forty percent off", "twenty-five per cent off"), which the number
/// reader leaves to the words around it: the whole percent, if the sentence says one.
fn en_words_percent_off(written: &str) -> Option<u64> {
    let lower = written.to_lowercase();
    let at =
        lower.find(" percent off").or_else(|| lower.find(" per cent off")).or_else(|| lower.find("-percent off"))?;
    // The number words right before "percent", back to the first word that is not one.
    let words: Vec<&str> = lower[..at].split(' ').collect();
    let run: Vec<&str> = words
        .iter()
        .rev()
        .take_while(|w| !w.is_empty() && crate::verbalize::parse_en_number(w).is_some())
        .copied()
        .collect();
    let phrase: Vec<&str> = run.into_iter().rev().collect();
    crate::verbalize::parse_en_number(&phrase.join(" "))
}
