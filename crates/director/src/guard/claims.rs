//! Claims a number reader alone cannot judge: promotion mechanics (买二送一, 第二件半价, 满199减30, coupons and
//! codes, flash sales and clearances), gifts, free shipping, shipping and returns policy, and countdowns.
//!
//! Each recognizer finds a claim in the folded sentence, reads the numbers it carries, and asks the product's
//! structured data whether it backs exactly that claim: 买二送一 needs a buy-2-get-1 promotion open now, 满199减30
//! needs a spend-199-save-30 one, 包邮 needs shipping that is free, "ships tomorrow" needs a dispatch time of at most
//! 48 hours. A claim the data does not back rejects the sentence with the rule that names it; a backed one returns
//! its span (so the numbers inside it are not judged again as bare numbers) and what it makes sayable elsewhere in
//! the sentence (a coupon's saving, a shipping charge, a dispatch or returns time, the word "free").
//!
//! Which rule a claim gets: promotion mechanics, coupons, flash-sale and clearance wording and ranks ("the first 100
//! buyers") are [`GuardRule::UnbackedPromotion`]; free shipping and gifts are [`GuardRule::UnbackedFree`] (the rule
//! already named 包邮 and gifts); shipping cost, dispatch and delivery speed, carriers and returns are
//! [`GuardRule::UnbackedPolicy`]; countdowns are [`GuardRule::UnbackedUrgency`].
//!
//! Free-text copy (description, features, FAQ) backs none of these: a merchant who wants 包邮 said fills in the
//! shipping fields, so the claim and the data that backs it can be checked against each other.

use super::numbers::{
    Cur, EN_UNITS, PREFIXES, Qty, ZH_UNITS, en_words_value, generic_zh_unit, is_zh_numeral, prefix_stands_alone,
    to_minor, zh_discount_percent, zh_money_tail, zh_place_after_digits, zh_value,
};
use super::text::find_all;
use crate::verbalize;
use model::{GuardRule, PromotionKind};
use std::collections::HashMap;

/// What the product's structured data says, digested for the recognizers.
#[derive(Default)]
pub(super) struct ClaimFacts {
    /// The words of the product's gifts, lower-cased ("towel", 茶巾).
    pub gift_words: Vec<String>,
    /// Whether a gift is more than one thing (两条毛巾, "two coasters"): otherwise "送两条" claims more than it gives.
    pub gift_many: bool,
    /// The product's currency (ISO code) and its minor digits.
    pub code: String,
    pub minor_digits: u32,
    pub price_minor: Option<i64>,
    pub shipping_free: bool,
    /// A flat shipping charge, in minor units.
    pub shipping_cost: Option<i64>,
    /// The free-shipping threshold, in minor units.
    pub free_over: Option<i64>,
    pub dispatch_hours: Option<u32>,
    /// The carrier and regions text, folded.
    pub carrier: String,
    pub returns: bool,
    pub returns_days: Option<u32>,
    /// Returns conditions and the guarantee, folded: a returns claim they state in the same words is backed.
    pub policy_text: String,
    /// The product's own words (title, specs, guarantee, descriptive copy), folded: a certification or a safety
    /// standard is backed only when they say it.
    pub product_text: String,
    pub gifts: bool,
    /// Promotions open now.
    pub promos: Vec<PromotionKind>,
    /// The open promotions' own wording, folded.
    pub promo_text: String,
    /// An offer or promotion with an end still ahead: it backs countdown wording (the time itself comes from a
    /// slot).
    pub ends: bool,
    /// The values (hundredths) of the number slots, so `满{free_shipping_over}包邮` reads as a threshold.
    pub slot_values: Vec<(&'static str, u64)>,
}

impl ClaimFacts {
    fn to_minor(&self, hundredths: u64) -> Option<i64> {
        to_minor(hundredths, self.minor_digits)
    }

    pub(super) fn coupons(&self) -> impl Iterator<Item = (&Option<String>, &Option<model::Money>)> {
        self.promos.iter().filter_map(|p| match p {
            PromotionKind::Coupon { code, save } => Some((code, save)),
            _ => None,
        })
    }
}

/// What the backed claims in one sentence allow.
#[derive(Default, Debug)]
pub(super) struct Found {
    /// Byte spans (in the folded text) of backed claims: their numbers are not judged again.
    pub spans: Vec<(usize, usize)>,
    /// Amounts (minor units) a backed claim makes sayable: a coupon's saving, a shipping charge, a threshold.
    pub amounts: Vec<i64>,
    /// Times a backed dispatch or returns claim makes sayable ("within 48 hours", 七天).
    pub quantities: Vec<(u64, Qty)>,
    /// A backed gift, buy-x-get-y, free nth item or free shipping makes "free" in the same sentence true.
    pub free: bool,
}

impl Found {
    fn overlaps(&self, start: usize, end: usize) -> bool {
        self.spans.iter().any(|&(s, e)| start < e && s < end)
    }

    fn back(&mut self, start: usize, end: usize) {
        self.spans.push((start, end));
    }
}

/// A number token in the folded text: digits, a Chinese numeral run or a run of English number words.
#[derive(Clone, Copy, Debug)]
struct Tok {
    start: usize,
    end: usize,
    /// In hundredths.
    value: Option<u64>,
}

/// The folded sentence with its number tokens and the claim phrases that may occur in it.
struct Scan<'a> {
    s: &'a str,
    toks: Vec<Tok>,
    /// Phrases whose first word (or first Chinese character) occurs in the sentence, with the list each belongs
    /// to: only these are searched for.
    candidates: Vec<(List, &'static str)>,
    /// The returns policy's own conditions were said (and blanked as backed): "用过的不能退，要未使用且包装完好".
    conditions_said: bool,
}

impl<'a> Scan<'a> {
    fn new(s: &'a str, facts: &ClaimFacts, conditions_said: bool) -> Scan<'a> {
        Scan { s, toks: number_tokens(s, &facts.slot_values), candidates: candidates(s), conditions_said }
    }

    /// Every place an anchor phrase occurs (by the guard's word-boundary rules); nothing when its first word is not
    /// in the sentence.
    fn find(&self, phrase: &str) -> Vec<usize> {
        debug_assert!(ANCHORS.contains(&phrase), "{phrase} is not indexed");
        if !self.candidates.iter().any(|(_, p)| *p == phrase) {
            return Vec::new();
        }
        find_all(self.s, phrase)
    }

    /// Every occurrence of a phrase of `list`, with its end and the phrase. Searching for the few hundred claim
    /// phrases one by one would cost more than the whole guard's budget, so only the candidates are searched.
    fn hits(&self, list: List) -> Vec<(usize, usize, &'static str)> {
        let mut out = self.occurrences(list);
        if list != List::Anchor {
            out.retain(|&(at, _, _)| !negated(self.s, at));
        }
        out
    }

    /// The occurrences of `list` the sentence denies ("there's no coupon", 没有优惠券).
    fn denied(&self, list: List) -> Vec<(usize, usize, &'static str)> {
        let mut out = self.occurrences(list);
        out.retain(|&(at, _, _)| negated(self.s, at));
        out
    }

    /// Every occurrence of a phrase of `list`, except those inside a longer one.
    fn occurrences(&self, list: List) -> Vec<(usize, usize, &'static str)> {
        let mut out = Vec::new();
        for (l, phrase) in &self.candidates {
            if *l == list {
                out.extend(find_all(self.s, phrase).into_iter().map(|at| (at, at + phrase.len(), *phrase)));
            }
        }
        // A phrase inside a longer one of the same list (券 in 优惠券) is that longer phrase, denied or not:
        // 没有优惠券 denies the coupon, and its 券 is no claim of its own.
        let all = out.clone();
        out.retain(|&(a, e, _)| !all.iter().any(|&(a2, e2, _)| a2 <= a && e <= e2 && e2 - a2 > e - a));
        out.sort_unstable();
        out
    }

    fn skip_ws(&self, at: usize) -> usize {
        let rest = self.s.get(at..).unwrap_or("");
        at + (rest.len() - rest.trim_start_matches([' ', ',', '，', '、']).len())
    }

    /// `lit` at `at` (spaces skipped), ending at a word boundary when it ends with a letter or digit.
    fn lit(&self, at: usize, lit: &str) -> Option<usize> {
        let at = self.skip_ws(at);
        let rest = self.s.get(at..)?;
        if !rest.starts_with(lit) {
            return None;
        }
        let end = at + lit.len();
        let wordy = lit.ends_with(|c: char| c.is_ascii_alphanumeric());
        if wordy && self.s[end..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return None;
        }
        Some(end)
    }

    /// The first of `lits` at `at`, with its end.
    fn any(&self, at: usize, lits: &[&'static str]) -> Option<(usize, &'static str)> {
        lits.iter().find_map(|l| self.lit(at, l).map(|end| (end, *l)))
    }

    /// Skips any of `lits` (each at most once, in order).
    fn skip(&self, mut at: usize, lits: &[&str]) -> usize {
        for l in lits {
            if let Some(end) = self.lit(at, l) {
                at = end;
            }
        }
        at
    }

    /// Skips one character from `set` right at `at` (a measure word after a count: 买一件送一件).
    fn skip_char(&self, at: usize, set: &str) -> usize {
        match self.s.get(at..).and_then(|r| r.chars().next()) {
            Some(c) if set.contains(c) => at + c.len_utf8(),
            _ => at,
        }
    }

    /// The number token starting at `at` (spaces skipped).
    fn num(&self, at: usize) -> Option<Tok> {
        let at = self.skip_ws(at);
        self.toks.iter().find(|t| t.start == at).copied()
    }

    /// An amount at `at`: an optional sign or code, a number, an optional unit. Returns hundredths of the major
    /// unit, the currency named, and the end.
    fn amount(&self, at: usize) -> Option<(Option<u64>, Option<Cur>, usize)> {
        let mut at = self.skip_ws(at);
        let mut cur = None;
        if let Some((p, c)) =
            PREFIXES.iter().find(|(p, _)| self.s[at..].starts_with(p) && prefix_stands_alone(self.s, at, p))
        {
            cur = Some(*c);
            at += p.len();
        }
        let tok = self.num(at)?;
        let mut value = tok.value;
        let mut end = tok.end;
        let rest = &self.s[end..];
        let rest_t = rest.trim_start();
        let gap = rest.len() - rest_t.len();
        if let Some((u, c, div)) = ZH_UNITS.iter().find(|(u, _, _)| rest_t.starts_with(u)) {
            if cur.is_none() || !generic_zh_unit(u) {
                cur = Some(*c);
            }
            value = value.map(|v| v / div);
            end += gap + u.len();
            let (tail, tail_end) = zh_money_tail(self.s, end, *div == 10);
            value = value.and_then(|v| v.checked_add(tail));
            end = tail_end;
        } else if let Some((u, c, div)) = EN_UNITS.iter().find(|(u, _, _)| {
            rest_t.starts_with(u) && !rest_t[u.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        }) {
            cur = Some(*c);
            value = value.map(|v| v / div);
            end += gap + u.len();
        }
        Some((value, cur, end))
    }

    /// The amount whose number is `tok`, widened over a sign just before it.
    fn amount_of(&self, tok: Tok) -> Option<(usize, Option<u64>, Option<Cur>, usize)> {
        let head = self.s[..tok.start].trim_end();
        let start = PREFIXES
            .iter()
            .find(|(p, _)| head.ends_with(p) && prefix_stands_alone(head, head.len() - p.len(), p))
            .map_or(tok.start, |(p, _)| head.len() - p.len());
        let (value, cur, end) = self.amount(start)?;
        Some((start, value, cur, end))
    }
}

/// The phrase lists, so a candidate phrase knows which recognizer it is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum List {
    Anchor,
    Coupon,
    FreeShipping,
    NotFree,
    Cost,
    Dispatch,
    Delivery,
    Carrier,
    Returns,
    Warranty,
    Certification,
    Gift,
    Flash,
    Promo,
    Clock,
}

/// Every phrase the recognizers search for, indexed by its first word (ASCII) or first character (Chinese).
struct ClaimIndex {
    by_word: HashMap<&'static str, Vec<(List, &'static str)>>,
    by_char: HashMap<char, Vec<(List, &'static str)>>,
    /// Phrases that start with neither (tried in every sentence).
    always: Vec<(List, &'static str)>,
}

/// Single words and phrases the recognizers start from, besides their phrase lists.
static ANCHORS: &[&str] = &[
    "buy",
    "spend",
    "orders",
    "bogo",
    "bogof",
    "b1g1",
    "b2g1",
    "b1g1f",
    "second",
    "2nd",
    "third",
    "3rd",
    "fourth",
    "4th",
    "fifth",
    "5th",
    "another",
    "free shipping",
    "free delivery",
    "ships free",
    "shipping is free",
    "free postage",
    "in the next",
    "for the next",
    "within the next",
    "over the next",
];

fn claim_index() -> &'static ClaimIndex {
    static INDEX: std::sync::OnceLock<ClaimIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let dispatch: Vec<&'static str> = DISPATCH.iter().map(|(p, _)| *p).collect();
        let lists: [(List, &[&'static str]); 15] = [
            (List::Anchor, ANCHORS),
            (List::Coupon, COUPON_WORDS),
            (List::FreeShipping, FREE_SHIPPING),
            (List::NotFree, SHIPPING_NOT_FREE),
            (List::Cost, SHIPPING_COST),
            (List::Dispatch, &dispatch),
            (List::Delivery, DELIVERY),
            (List::Carrier, CARRIERS),
            (List::Returns, RETURNS),
            (List::Certification, CERTIFICATIONS),
            (List::Warranty, WARRANTY),
            (List::Gift, GIFTS),
            (List::Flash, FLASH),
            (List::Promo, PROMO_WORDS),
            (List::Clock, CLOCK_TIMES),
        ];
        let mut index = ClaimIndex { by_word: HashMap::new(), by_char: HashMap::new(), always: Vec::new() };
        for (list, phrases) in lists {
            for &phrase in phrases {
                match phrase.chars().next() {
                    Some(c) if c.is_ascii_alphanumeric() => {
                        let end =
                            phrase.find(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).unwrap_or(phrase.len());
                        index.by_word.entry(&phrase[..end]).or_default().push((list, phrase));
                    }
                    Some(c) if !c.is_ascii() => index.by_char.entry(c).or_default().push((list, phrase)),
                    _ => index.always.push((list, phrase)),
                }
            }
        }
        index
    })
}

/// The indexed phrases that may occur in `s`: those whose first word or character it contains.
fn candidates(s: &str) -> Vec<(List, &'static str)> {
    let index = claim_index();
    let mut out: Vec<(List, &'static str)> = index.always.clone();
    let mut word_start = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if c.is_ascii_alphanumeric() || c == '\'' {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(start) = word_start.take() {
            out.extend(index.by_word.get(&s[start..i]).into_iter().flatten().copied());
        }
        if !c.is_ascii() {
            out.extend(index.by_char.get(&c).into_iter().flatten().copied());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every number token in the folded text (including articles such as 一 and "one": the recognizers decide), and
/// every number slot with the value it stands for.
fn number_tokens(s: &str, slot_values: &[(&str, u64)]) -> Vec<Tok> {
    let mut toks = Vec::new();
    let bytes_at = |i: usize| s[i..].chars().next();
    let mut i = 0;
    while let Some(c) = bytes_at(i) {
        if c == '{'
            && let Some(close) = s[i..].find('}')
        {
            let name = &s[i + 1..i + close];
            if let Some((_, v)) = slot_values.iter().find(|(slot, _)| *slot == name) {
                toks.push(Tok { start: i, end: i + close + 1, value: Some(*v) });
            }
            i += close + 1;
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i;
            while let Some(d) = bytes_at(end).filter(|d| d.is_ascii_digit() || matches!(d, '.' | ',')) {
                end += d.len_utf8();
            }
            let text = s[i..end].trim_end_matches(['.', ',']);
            end = i + text.len();
            let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
            let whole: Option<u64> = whole.replace(',', "").parse().ok();
            let frac: u64 = format!("{frac:0<2}").get(..2).and_then(|f| f.parse().ok()).unwrap_or(0);
            let mut value = whole.and_then(|w| w.checked_mul(100)).and_then(|w| w.checked_add(frac));
            if let Some(place) = bytes_at(end)
                && let Some(mult) = zh_place_after_digits(place, s[end + place.len_utf8()..].chars().next())
            {
                value = value.and_then(|v| v.checked_mul(mult));
                end += place.len_utf8();
            }
            toks.push(Tok { start: i, end, value });
            i = end.max(i + 1);
            continue;
        }
        if is_zh_numeral(c) {
            let mut end = i;
            while let Some(d) = bytes_at(end).filter(|d| is_zh_numeral(*d)) {
                end += d.len_utf8();
            }
            toks.push(Tok { start: i, end, value: zh_value(&s[i..end]).and_then(|v| v.checked_mul(100)) });
            i = end;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let word_end =
                |from: usize| from + s[from..].find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len() - from);
            let end = word_end(i);
            let starts_word = i == 0 || !s[..i].ends_with(|c: char| c.is_ascii_alphanumeric());
            if starts_word && verbalize::is_en_number_word(&s[i..end]) {
                let mut last = end;
                loop {
                    let gap = s[last..].len() - s[last..].trim_start_matches([' ', '-']).len();
                    let next = last + gap;
                    let next_end = word_end(next);
                    if gap > 0 && next_end > next && verbalize::is_en_number_word(&s[next..next_end]) {
                        last = next_end;
                    } else {
                        break;
                    }
                }
                toks.push(Tok { start: i, end: last, value: en_words_value(&s[i..last]).0 });
                i = last;
            } else {
                i = end;
            }
            continue;
        }
        i += c.len_utf8();
    }
    toks
}

/// An offer made to whoever comments, follows, shares or types something ("a secret discount for anyone who
/// comments 'kettle'", "everyone who follows gets a coupon", 评论区扣1的送茶巾, 点关注领红包): an offer word and a
/// viewer's action as its condition in one sentence. The product data has no such offers, so none is backed.
pub(super) fn engagement_offer(flat: &str) -> bool {
    const OFFERS: [&str; 20] = [
        "discount", "deal", "coupon", "gift", "free", "prize", "giveaway", "voucher", "% off", " off", "优惠", "折扣",
        "福利", "红包", "送", "免单", "打折", "减", "抽奖", "券",
    ];
    const ACTIONS: [&str; 22] = [
        "anyone who comment",
        "everyone who comment",
        "whoever comment",
        "anyone who type",
        "everyone who type",
        "whoever type",
        "who follows",
        "who follow the",
        "who shares",
        "who likes",
        "if you comment",
        "if you type",
        "comment \"",
        "type \"",
        "扣1",
        "扣个1",
        "评论区扣",
        "打出",
        "点关注",
        "关注主播",
        "点赞到",
        "分享直播间",
    ];
    OFFERS.iter().any(|o| flat.contains(o)) && ACTIONS.iter().any(|a| flat.contains(a))
}

/// Whole units from hundredths (counts such as "buy 2").
fn whole(hundredths: Option<u64>) -> Option<u32> {
    hundredths.filter(|v| v % 100 == 0).and_then(|v| u32::try_from(v / 100).ok())
}

/// Finds every claim in `flat` (the folded sentence with the ledger's own words blanked out) and checks it.
pub(super) fn find(flat: &str, facts: &ClaimFacts, conditions_said: bool) -> Result<Found, GuardRule> {
    // An offer for whoever comments, follows or shares: the data never ties a price or a gift to what viewers do.
    if engagement_offer(flat) {
        return Err(GuardRule::UnbackedPromotion);
    }
    // Most sentences hold no claim at all: without a candidate phrase or an anchor there is nothing to read.
    let anchors = ['买', '拍', '第', '满', '送', '运', '$', '¥'];
    let quiet = candidates(flat).is_empty()
        && !flat.contains(anchors)
        && !["for", "off", "save"].iter().any(|w| !find_all(flat, w).is_empty())
        && code_token_spans(flat).is_empty()
        && arrival_promise(flat).is_none()
        && shipping_scope(flat).is_none();
    if quiet {
        return Ok(Found::default());
    }
    let scan = Scan::new(flat, facts, conditions_said);
    let mut found = Found::default();
    buy_get(&scan, facts, &mut found)?;
    nth_item(&scan, facts, &mut found)?;
    spend(&scan, facts, &mut found)?;
    coupons(&scan, facts, &mut found)?;
    code_tokens(&scan, facts, &mut found)?;
    shipping(&scan, facts, &mut found)?;
    returns(&scan, facts, &mut found)?;
    warranty(&scan, facts, &mut found)?;
    certifications(&scan, facts, &mut found)?;
    gifts(&scan, facts, &mut found)?;
    promo_words(&scan, facts, &mut found)?;
    countdowns(&scan, facts, &mut found)?;
    Ok(found)
}

fn check_currency(facts: &ClaimFacts, cur: Option<Cur>) -> Result<(), GuardRule> {
    match cur {
        Some(c) if !c.accepts(&facts.code) => Err(GuardRule::WrongCurrency),
        _ => Ok(()),
    }
}

/// 买一送一, 买2送1, 拍一发二, "buy one get one free", BOGO, "2 for 1".
fn buy_get(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    let backs = |buy: Option<u32>, get: Option<u32>| {
        facts.promos.iter().any(|p| match p {
            PromotionKind::BuyXGetY { buy: b, get: g } => buy.is_none_or(|x| x == *b) && get.is_none_or(|y| y == *g),
            _ => false,
        })
    };
    let claim = |start: usize, end: usize, buy: Option<u32>, get: Option<u32>, found: &mut Found| {
        if found.overlaps(start, end) {
            return Ok(());
        }
        // 没有买一送一, "not buy one get one": said not to exist, which is true whatever the data says.
        if negated(s, start) {
            found.back(start, end);
            return Ok(());
        }
        if !backs(buy, get) && !facts.promo_text.contains(&s[start..end]) {
            return Err(GuardRule::UnbackedPromotion);
        }
        found.back(start, end);
        found.free = true;
        Ok(())
    };
    for anchor in ["买", "拍"] {
        for (at, _) in s.match_indices(anchor) {
            let Some(n) = scan.num(at + anchor.len()) else { continue };
            let mut k = scan.skip_char(n.end, "件个份盒瓶套支双只单");
            k = scan.skip_char(k, "就再还即");
            let Some((k, verb)) = scan.any(k, &["加送", "再送", "多送", "送", "赠", "得", "发"]) else {
                continue;
            };
            match scan.num(k) {
                Some(m) => {
                    let mut end = scan.skip_char(m.end, "件个份盒瓶套支双只单");
                    end = scan.skip(end, &["免费"]);
                    let (buy, mut get) = (whole(n.value), whole(m.value));
                    if verb == "发" {
                        // 拍一发二: order one, receive two.
                        get = get.zip(buy).and_then(|(g, b)| g.checked_sub(b));
                    }
                    claim(at, end, buy, get, found)?;
                }
                // 买一送茶巾: a gift with the purchase.
                None => gift_claim(s, facts, found, at, k)?,
            }
        }
    }
    for at in scan.find("buy") {
        let Some(n) = scan.num(at + 3) else { continue };
        // "Buy 2 tea sets, get 1 free", "Buy 2 = get 1 free": what is bought, and a sign, may stand between.
        let k = scan.skip(
            n.end,
            &["tea sets", "tea set", "sets", "set", "kettles", "kettle", "items", "pieces", "units", "of them", "="],
        );
        let k = scan.skip(k, &[";", "and", "then", "you"]);
        // What is bought may be named in any words before "get" ("buy one celadon set, get one free"): up to five
        // words, no figure and no sentence break between.
        let k = scan.lit(k, "get").map(|_| k).or_else(|| {
            let window: String = s[k..].chars().take(48).collect();
            let at = window.find(" get ").map(|i| i + 1)?;
            let between = &window[..at];
            let plain =
                !between.contains(['.', ';', '!', '?', '。', '；']) && !between.chars().any(|c| c.is_ascii_digit());
            (plain && between.split_whitespace().count() <= 5).then_some(k + at)
        });
        let Some(k) = k.and_then(|k| scan.lit(k, "get")) else { continue };
        let (m, end) = match scan.num(k) {
            Some(m) => (whole(m.value), m.end),
            None => match scan.any(k, &["another", "a second", "the second"]) {
                Some((end, _)) => (Some(1), end),
                None => continue,
            },
        };
        let end = scan.skip(end, &["one", "item", "for"]);
        // "buy one get one half price" is the second item at half price.
        if let Some((deal_end, percent)) = en_deal(scan, end) {
            if percent < 100 {
                nth_claim(facts, found, at, deal_end, whole(n.value).map(|b| b + 1), Some(percent))?;
                continue;
            }
            claim(at, deal_end, whole(n.value), m, found)?;
            continue;
        }
        claim(at, end, whole(n.value), m, found)?;
    }
    for (phrase, buy, get) in [("bogo", 1, 1), ("bogof", 1, 1), ("b1g1", 1, 1), ("b2g1", 2, 1), ("b1g1f", 1, 1)] {
        for at in scan.find(phrase) {
            let end = scan.skip(at + phrase.len(), &["free"]);
            claim(at, end, Some(buy), Some(get), found)?;
        }
    }
    // "Buy two and you get a third one free": buying N, the next one free, is buy N get 1. (The Chinese form,
    // 买两套，第三套免费, is read as the third item free and still refused: not done yet.)
    let ordinals_en = [("second", 2u32), ("third", 3), ("fourth", 4), ("fifth", 5)];
    for (word, nth) in ordinals_en {
        for (at, _) in s.match_indices(word) {
            let end = at + word.len();
            let rest = s.get(end..).unwrap_or("");
            let free = rest.find("free").filter(|&i| i <= 16).map(|i| end + i + "free".len());
            let before = s.get(..at).unwrap_or("");
            let bought = [["", "", "one", "two", "three", "four"], ["", "", "1", "2", "3", "4"]].iter().any(|names| {
                names.get(nth as usize).is_some_and(|n| !n.is_empty() && before.contains(&format!("buy {n}")))
            });
            if let (Some(free_end), true) = (free, bought) {
                let start = before.rfind("buy").unwrap_or(at);
                claim(start, free_end, Some(nth - 1), Some(1), found)?;
            }
        }
    }
    // "2 for 1", "three for two", "two for the price of one". N for more than N is a multi-buy price ("3 for 99"),
    // a promotion too, and never one the data describes.
    for t in &scan.toks {
        let Some(k) = scan.lit(scan.skip(t.end, &["-"]), "for") else { continue };
        let k = scan.skip(scan.skip(k, &["-"]), &["the price of"]);
        let Some(m) = scan.num(k) else { continue };
        let (Some(n), Some(mv)) = (whole(t.value), whole(m.value)) else { continue };
        let end = scan.skip(m.end, &["free"]);
        if n > mv && mv > 0 {
            claim(t.start, end, Some(mv), Some(n - mv), found)?;
        } else if !found.overlaps(t.start, end) && !facts.promo_text.contains(&s[t.start..end]) && n > 1 {
            return Err(GuardRule::UnbackedPromotion);
        }
    }
    Ok(())
}

/// "half price", "free", "30% off" at `at`, as a percent off.
fn en_deal(scan: &Scan<'_>, at: usize) -> Option<(usize, u32)> {
    let at = scan.skip(at, &["is", "at", "for", "just", "only", "goes for", "comes in at"]);
    if let Some((end, _)) = scan.any(at, &["half price", "half-price", "half off", "at half price"]) {
        return Some((end, 50));
    }
    if let Some((end, _)) = scan.any(at, &["free", "for free", "free of charge", "on the house"]) {
        return Some((end, 100));
    }
    let n = scan.num(at)?;
    let (end, _) = scan.any(n.end, &["%", "percent", "per cent"])?;
    let end = scan.lit(end, "off")?;
    Some((end, whole(n.value)?))
}

fn nth_claim(
    facts: &ClaimFacts,
    found: &mut Found,
    start: usize,
    end: usize,
    n: Option<u32>,
    percent: Option<u32>,
) -> Result<(), GuardRule> {
    if found.overlaps(start, end) {
        return Ok(());
    }
    let backed = facts.promos.iter().any(|p| match p {
        PromotionKind::NthItemPercentOff { n: pn, percent: pp } => n == Some(*pn) && percent == Some(*pp),
        _ => false,
    });
    if !backed {
        return Err(GuardRule::UnbackedPromotion);
    }
    found.back(start, end);
    if percent == Some(100) {
        found.free = true;
    }
    Ok(())
}

/// 第二件半价, 第2件0元, 第二件八折, "the second one is half price", "another one 30% off".
fn nth_item(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    for (at, _) in s.match_indices('第') {
        let Some(n) = scan.num(at + '第'.len_utf8()) else { continue };
        let mut k = scan.skip_char(n.end, "件个份单双套盒瓶");
        k = scan.skip(
            k,
            &["只要", "仅需", "仅", "再", "是", "就", "也", "享", "可以", "可", "直接", "都", "还", "能", "会"],
        );
        let (end, percent) = if let Some((end, deal)) =
            scan.any(k, &["半价", "减半", "免费", "白送", "不要钱", "送", "0元", "零元"])
        {
            (end, Some(if matches!(deal, "半价" | "减半") { 50 } else { 100 }))
        } else if let Some(d) = scan.num(scan.skip(k, &["打"])).filter(|d| s[d.end..].starts_with('折')) {
            (d.end + '折'.len_utf8(), d.value.and_then(zh_discount_percent))
        } else if let Some((value, cur, end)) = scan.amount(k).filter(|(_, cur, _)| cur.is_some()) {
            check_currency(facts, cur)?;
            // 第二件99元: what the nth item costs, as a share of the price.
            let percent = value.zip(facts.price_minor).and_then(|(v, price)| {
                let paid = facts.to_minor(v)?;
                (price > 0 && (paid * 100) % price == 0).then(|| 100 - (paid * 100 / price) as u32)
            });
            (end, percent)
        } else {
            continue;
        };
        // 不是第二件免费，是第二套半价: the deal denied is not claimed; the one said after it is read as usual.
        if negated(s, at) {
            found.back(at, end);
            continue;
        }
        nth_claim(facts, found, at, end, whole(n.value), percent)?;
    }
    let ordinals = [
        ("second", 2),
        ("2nd", 2),
        ("third", 3),
        ("3rd", 3),
        ("fourth", 4),
        ("4th", 4),
        ("fifth", 5),
        ("5th", 5),
        ("another", 2),
    ];
    for (word, n) in ordinals {
        for at in scan.find(word) {
            let k = scan.skip(
                at + word.len(),
                &["one", "item", "unit", "pair", "piece", "bottle", "set", "box", "jar", "bag", "order"],
            );
            let Some((end, percent)) = en_deal(scan, k) else { continue };
            nth_claim(facts, found, at, end, Some(n), Some(percent))?;
        }
    }
    Ok(())
}

/// 满199减30, 满减, 满99包邮, "spend 199, save 30", "$10 off orders over $50", "free shipping over $50".
fn spend(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    let spend_save = |found: &mut Found, start: usize, end: usize, x: Option<u64>, y: Option<u64>| {
        if found.overlaps(start, end) {
            return Ok(());
        }
        let (x, y) = (x.and_then(|v| facts.to_minor(v)), y.and_then(|v| facts.to_minor(v)));
        let backed = facts.promos.iter().any(|p| match p {
            PromotionKind::SpendAndSave { spend, save } => {
                x.is_none_or(|x| x == spend.minor) && y.is_none_or(|y| y == save.minor)
            }
            _ => false,
        });
        if !backed && !facts.promo_text.contains(&s[start..end]) && !negated(s, start) {
            return Err(GuardRule::UnbackedPromotion);
        }
        found.back(start, end);
        found.amounts.extend(x.into_iter().chain(y));
        Ok(())
    };
    let free_over = |found: &mut Found, start: usize, end: usize, x: Option<u64>| {
        let x = x.and_then(|v| facts.to_minor(v));
        // A threshold said is the product's own or wrong, even where this product ships free anyway (满299包邮 for a
        // set that ships free over ¥99).
        let backed = match (x, facts.free_over) {
            (Some(x), Some(over)) => x == over,
            (Some(_), None) => false,
            (None, _) => facts.shipping_free,
        };
        // "I can't promise free shipping on it": refused, not claimed.
        if !backed && negated(s, start) {
            found.back(start, end);
            return Ok(());
        }
        if !backed {
            return Err(GuardRule::UnbackedFree);
        }
        found.back(start, end);
        found.amounts.extend(x);
        found.free = true;
        Ok(())
    };
    for (at, _) in s.match_indices('满') {
        let k = at + '满'.len_utf8();
        if s[k..].starts_with('减') {
            spend_save(found, at, k + '减'.len_utf8(), None, None)?;
            continue;
        }
        let Some((x, cur, k)) = scan.amount(k) else { continue };
        let k = scan.skip(k, &["就", "即", "可以", "可", "立", "享", "还"]);
        if let Some((k2, _)) = scan.any(k, &["立减", "直减", "减", "省", "返", "优惠", "少"]) {
            let Some((y, cur2, end)) = scan.amount(k2) else {
                spend_save(found, at, k2, x, None)?;
                continue;
            };
            check_currency(facts, cur)?;
            check_currency(facts, cur2)?;
            spend_save(found, at, end, x, y)?;
        } else if let Some((end, _)) = scan.any(k, &["包邮", "免邮", "免运费", "免费配送", "免运"]) {
            check_currency(facts, cur)?;
            free_over(found, at, end, x)?;
        } else if let Some((end, _)) = scan.any(k, &["送", "赠", "打", "享"]) {
            // 满199送杯子, 满两件打八折: a condition the promotion kinds do not describe, so only the merchant's own
            // wording backs it.
            if !facts.promo_text.contains(&s[at..end]) {
                return Err(GuardRule::UnbackedPromotion);
            }
            found.back(at, end);
        }
    }
    for at in scan.find("spend") {
        let Some((x, cur, k)) = scan.amount(at + 5) else { continue };
        let k = scan.skip(k, &["and", "to", "you"]);
        let Some((k, _)) = scan.any(k, &["save", "get", "take"]) else { continue };
        let Some((y, cur2, end)) = scan.amount(k) else { continue };
        check_currency(facts, cur)?;
        check_currency(facts, cur2)?;
        let end = scan.skip(end, &["off"]);
        spend_save(found, at, end, x, y)?;
    }
    // "$10 off orders over $50", "save 30 yuan on orders over 199".
    for t in scan.toks.clone() {
        let Some((start, y, cur, k)) = scan.amount_of(t) else { continue };
        let saving = scan.lit(k, "off").or_else(|| {
            let save_before = s[..start].trim_end().ends_with("save");
            save_before.then_some(k)
        });
        let Some(k) = saving else { continue };
        let k = scan.skip(k, &["your", "any", "all", "every", "orders", "order", "purchases", "when you spend", "on"]);
        // "Thirty yuan off at ¥199": the threshold after "at" too.
        let Some((k, _)) = scan.any(k, &["over", "above", "of", "from", "when you spend", "at", "once you hit"]) else {
            continue;
        };
        let Some((x, cur2, end)) = scan.amount(k) else { continue };
        check_currency(facts, cur)?;
        check_currency(facts, cur2)?;
        let start = if s[..start].trim_end().ends_with("save") { s[..start].trim_end().len() - 4 } else { start };
        spend_save(found, start, end, x, y)?;
    }
    let free_words = ["free shipping", "free delivery", "ships free", "shipping is free", "free postage"];
    for word in free_words {
        for at in scan.find(word) {
            let k = scan.skip(at + word.len(), &["on", "for", "all", "any", "orders", "order", "purchases"]);
            let Some((k, _)) = scan.any(k, &["over", "above", "from", "of"]) else { continue };
            let Some((x, cur, end)) = scan.amount(k) else { continue };
            check_currency(facts, cur)?;
            free_over(found, at, end, x)?;
        }
    }
    for at in scan.find("orders") {
        let Some((k, _)) = scan.any(at + 6, &["over", "above", "of"]) else { continue };
        let Some((x, cur, k)) = scan.amount(k) else { continue };
        let k = scan.skip(k, &["get", "qualify for", "come with"]);
        let Some((end, _)) = scan.any(k, &["ship free", "free shipping", "free delivery", "ships free"]) else {
            continue;
        };
        check_currency(facts, cur)?;
        free_over(found, at, end, x)?;
    }
    Ok(())
}

static COUPON_WORDS: &[&str] = &[
    "优惠券",
    "领券",
    "券后",
    "抵用券",
    "代金券",
    "消费券",
    "购物券",
    "红包",
    "口令",
    "暗号",
    "优惠码",
    "折扣码",
    "兑换码",
    "券",
    "coupon",
    "coupons",
    "voucher",
    "vouchers",
    "promo code",
    "promo codes",
    "discount code",
    "coupon code",
    "voucher code",
    "use code",
    "enter code",
    "apply code",
    "with code",
    "with the code",
    "the code is",
    "code:",
];

/// Coupons, vouchers and codes: backed by an open coupon promotion, and a code said must be its code.
fn coupons(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    // A denied coupon is no claim, and its words (优惠 of 没有优惠券) are not read again as a discount.
    for (at, end, _) in scan.denied(List::Coupon) {
        found.back(at, end);
    }
    let mut any = None;
    for (at, end, _) in scan.hits(List::Coupon) {
        if !found.overlaps(at, end) {
            any = Some((at, end));
        }
    }
    let Some((start, end)) = any else { return Ok(()) };
    if negated(s, start) {
        found.back(start, end);
        return Ok(());
    }
    if facts.coupons().next().is_none() {
        return Err(GuardRule::UnbackedPromotion);
    }
    // "an extra follower coupon", 再领一张券: a coupon beside the product's own is one the data does not give.
    if facts.coupons().count() < 2 {
        let near: String = s[..start].chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
        const MORE: [&str; 9] = ["extra", "another", "additional", "bonus", "second", "额外", "再领", "再送", "另一张"];
        if MORE.iter().any(|m| near.contains(m)) {
            return Err(GuardRule::UnbackedPromotion);
        }
    }
    // A code said aloud must be the coupon's code, letter for letter.
    for anchor in ["code", "码", "口令", "暗号"] {
        for (at, _) in s.match_indices(anchor) {
            let k = scan.skip(at + anchor.len(), &[":", "：", "是", "is", "\"", "“", "'", "‘", "「"]);
            // A clause break before the next word: the code said there was blanked as backed ("the code is TEA10,
            // ten yuan off").
            let k = scan.skip_ws(k);
            if s.get(at + anchor.len()..k).is_some_and(|gap| gap.contains([',', '，', '.', ';', '。'])) {
                continue;
            }
            let token: String = s[k..].chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            // The code itself may have been blanked as backed ("the code is TEA10, and …"): an everyday word after
            // it is not a code.
            const WORDS: [&str; 40] = [
                "and", "the", "for", "you", "your", "this", "that", "then", "here", "now", "but", "with", "which",
                "will", "just", "also", "gives", "give", "gets", "get", "saves", "save", "takes", "take", "works",
                "work", "applies", "apply", "knocks", "means", "lets", "would", "can", "could", "only", "still",
                "again", "above", "below", "there",
            ];
            if token.len() < 3 || WORDS.contains(&token.as_str()) {
                continue;
            }
            let known = facts.coupons().any(|(code, _)| code.as_ref().is_some_and(|c| c.eq_ignore_ascii_case(&token)));
            if !known {
                return Err(GuardRule::UnbackedPromotion);
            }
            found.back(k, k + token.len());
        }
    }
    found.back(start, end);
    found.amounts.extend(facts.coupons().filter_map(|(_, save)| save.as_ref().map(|m| m.minor)));
    Ok(())
}

/// Coupon-code-like tokens (letters then digits: tea10, save20), each as a span of `s`, when said as a code:
/// after "use", "apply", "with", 用 or a code word, or before 减, 券, "off" or "code". 用TEA10再减一点 claims a
/// coupon whatever words are around it.
fn code_token_spans(s: &str) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_lowercase() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric());
        if !starts {
            i += 1;
            continue;
        }
        let letters_end = (i..bytes.len()).find(|&k| !bytes[k].is_ascii_lowercase()).unwrap_or(bytes.len());
        let digits_end = (letters_end..bytes.len()).find(|&k| !bytes[k].is_ascii_digit()).unwrap_or(bytes.len());
        let whole = digits_end == bytes.len() || !bytes[digits_end].is_ascii_alphanumeric();
        if letters_end - i >= 2 && digits_end > letters_end && digits_end - letters_end <= 3 && whole {
            let before = s[..i].trim_end();
            let after = s[digits_end..].trim_start();
            let said_as_code = [
                "use", "using", "apply", "with", "type", "enter", "input", "paste", "用", "code", "码", "口令", "输入",
                "填",
            ]
            .iter()
            .any(|w| before.ends_with(w))
                || ["再减", "减", "立减", "券", "off", "code", "优惠", "能省", "省", "save", "takes", "at checkout"]
                    .iter()
                    .any(|w| after.starts_with(w));
            if said_as_code {
                out.push((i, digits_end));
            }
        }
        i = digits_end.max(i + 1);
    }
    out
}

/// A coupon code said as one must be the product's own coupon, even with no coupon word: a product with no coupon
/// has no code to use.
fn code_tokens(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for (at, end) in code_token_spans(scan.s) {
        if found.overlaps(at, end) || negated(scan.s, at) {
            continue;
        }
        let token = &scan.s[at..end];
        let known = facts.coupons().any(|(code, _)| code.as_ref().is_some_and(|c| c.eq_ignore_ascii_case(token)));
        if !known {
            return Err(GuardRule::UnbackedPromotion);
        }
        found.back(at, end);
        found.amounts.extend(facts.coupons().filter_map(|(_, save)| save.as_ref().map(|m| m.minor)));
    }
    Ok(())
}

static FREE_SHIPPING: &[&str] = &[
    "包邮",
    "免邮",
    "免运费",
    "运费全免",
    "运费免费",
    "不要运费",
    "没有运费",
    "不收运费",
    "零运费",
    "0运费",
    "免费配送",
    "免费送货",
    "免费送到家",
    "free shipping",
    "free delivery",
    "free postage",
    "ships free",
    "ship free",
    "shipped free",
    "shipping is free",
    "shipping's free",
    "delivery is free",
    "shipping is on us",
    "shipping included",
    "delivery included",
    "postage paid",
    "no shipping fee",
    "no shipping cost",
    "no shipping charge",
    "no delivery fee",
    "free ship",
    "shipping costs you nothing",
    "costs nothing to ship",
    "不用另付运费",
    "不用付运费",
    "不需要运费",
];

/// "Shipping is not free": checked before free shipping, so 不包邮 is not read as 包邮.
static SHIPPING_NOT_FREE: &[&str] = &["不包邮", "不免运费", "不免邮", "运费到付", "运费自理", "另付运费", "需付运费"];

/// A shipping charge.
static SHIPPING_COST: &[&str] = &[
    "运费是",
    "运费只要",
    "运费仅",
    "运费才",
    "邮费",
    "shipping costs",
    "shipping cost",
    "shipping fee",
    "shipping fees",
    "shipping charge",
    "delivery fee",
    "delivery charge",
    "delivery costs",
    "postage is",
    "postage costs",
    "flat-rate shipping",
    "flat rate shipping",
    "plus shipping",
    "for shipping",
    "shipping is",
    "delivery is",
];

/// Dispatch claims, with the longest dispatch time (hours) that makes each true; `None`: any stated time.
static DISPATCH: &[(&str, Option<u32>)] = &[
    ("当天发", Some(24)),
    ("当日即发", Some(24)),
    ("当天即发", Some(24)),
    ("即刻发货", Some(24)),
    ("立刻发货", Some(24)),
    ("当日发出", Some(24)),
    ("当天发出", Some(24)),
    ("当日发", Some(24)),
    ("今天发", Some(24)),
    ("今日发", Some(24)),
    ("马上发货", Some(24)),
    ("今天就发", Some(24)),
    ("当天就发", Some(24)),
    ("下单就发", Some(24)),
    ("马上就发", Some(24)),
    ("当天寄出", Some(24)),
    ("今天就寄", Some(24)),
    ("立即发货", Some(24)),
    ("秒发", Some(24)),
    ("明天发", Some(48)),
    ("次日发", Some(48)),
    ("隔天发", Some(48)),
    ("隔日发", Some(48)),
    ("极速发货", Some(48)),
    ("闪电发货", Some(48)),
    ("发货快", Some(48)),
    ("发货很快", Some(48)),
    ("发货超快", Some(48)),
    ("快速发货", Some(48)),
    ("尽快发货", None),
    ("小时发", None),
    ("小时内发", None),
    ("天内发", None),
    ("天发货", None),
    ("日内发", None),
    ("ships today", Some(24)),
    ("ship today", Some(24)),
    ("dispatched today", Some(24)),
    ("same-day dispatch", Some(24)),
    ("same day dispatch", Some(24)),
    ("same-day shipping", Some(24)),
    ("same day shipping", Some(24)),
    ("ships same day", Some(24)),
    ("ships the same day", Some(24)),
    ("ships immediately", Some(24)),
    ("ships right away", Some(24)),
    ("ships tomorrow", Some(48)),
    ("ship tomorrow", Some(48)),
    ("dispatched tomorrow", Some(48)),
    ("ships next day", Some(48)),
    ("next-day dispatch", Some(48)),
    ("next day dispatch", Some(48)),
    ("fast shipping", Some(48)),
    ("quick shipping", Some(48)),
    ("fast dispatch", Some(48)),
    ("ships fast", Some(48)),
    ("ships quickly", Some(48)),
    ("ships within", None),
    ("ship within", None),
    ("shipped within", None),
    ("dispatched within", None),
    ("dispatch within", None),
    ("dispatches within", None),
];

/// Delivery speed and doorstep claims: the data has no delivery time, so only the carrier text can state them.
static DELIVERY: &[&str] = &[
    "arrive before",
    "arrives before",
    "arrive by",
    "arrives by",
    "delivered before",
    "delivered by",
    "get it before",
    "get it by",
    "have it before",
    "have it by",
    "前就能收到",
    "前能收到",
    "前收到",
    "前就能到",
    "前送到",
    "前到货",
    "次日达",
    "当日达",
    "隔日达",
    "日达",
    "天送到",
    "天送达",
    "天内到",
    "天内送达",
    "内送达",
    "小时送达",
    "小时到货",
    "小时内到",
    "小时内送到",
    "小时内收到",
    "天内收到",
    "明天到",
    "明天就到",
    "后天到",
    "送货上门",
    "极速达",
    "闪送",
    "到货快",
    "物流快",
    "快递快",
    "很快就到",
    "next-day delivery",
    "next day delivery",
    "same-day delivery",
    "same day delivery",
    "overnight shipping",
    "overnight delivery",
    "arrives tomorrow",
    "arrive tomorrow",
    "delivered tomorrow",
    "arrives within",
    "arrive within",
    "delivered within",
    "delivery within",
    "express delivery",
    "express shipping",
    "fast delivery",
    "quick delivery",
    "day delivery",
    "day shipping",
    "warehouse tomorrow",
    "ships tomorrow",
    "ship tomorrow",
    "ships today",
    "same day",
    "worldwide",
    "cash on delivery",
    "pay on delivery",
    "明天就能到",
    "明天能到",
    "隔天",
    "当天发",
    "当天顺丰发",
    "当天就发",
    "今天发",
    "货到付款",
    "全球包邮",
    "全国包邮",
    "送到你家",
    "in your hands by",
    "in your hands tomorrow",
    "at your door by",
    "at your door tomorrow",
    "on your doorstep",
    "by tomorrow morning",
    "arrive by",
    "arrives by",
    "get it by",
    "get it tomorrow",
    "have it tomorrow",
    "have it by",
    "delivered by",
    "delivered today",
    "arrives today",
    "arrive today",
    "two-day delivery",
    "2-day delivery",
    "guaranteed delivery",
    "明天就能收到",
    "明天收到",
    "明天就收到",
    "后天收到",
    "后天就到",
    "当天收到",
    "当天到",
    "隔天收到",
    "隔天到",
    "第二天收到",
    "第二天就到",
    "第二天到",
    "两天到",
    "三天到",
    "两天内到",
    "三天内到",
    "两天就到",
    "三天就到",
    "马上就到",
    "很快收到",
    "明天保证送到",
    "明天送到",
    "明天就送到",
    "保证送到",
    "今天送到",
    "当天送到",
];

static CARRIERS: &[&str] = &[
    "顺丰",
    "京东物流",
    "京东快递",
    "中通",
    "圆通",
    "申通",
    "韵达",
    "邮政",
    "极兔",
    "德邦",
    "sf express",
    "fedex",
    "dhl",
    "usps",
    "ups",
    "royal mail",
    "ems",
    "dpd",
    "evri",
    "jd logistics",
    "jd express",
    "京东",
    "菜鸟",
    "cainiao",
    "j&t",
    "yto express",
    "zto express",
    "amazon logistics",
    "canada post",
    "australia post",
    "purolator",
    "ontrac",
    "gls",
    "postnl",
    "hermes",
];

/// Free shipping, shipping charges, dispatch times, delivery speed and carriers.
fn shipping(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    let cost_backed = |found: &mut Found, at: usize, end: usize| {
        if facts.shipping_cost.is_none() {
            return Err(GuardRule::UnbackedPolicy);
        }
        found.back(at, end);
        found.amounts.extend(facts.shipping_cost);
        Ok(())
    };
    for (at, end, _) in scan.hits(List::NotFree) {
        if !found.overlaps(at, end) {
            cost_backed(found, at, end)?;
        }
    }
    for (at, end, _) in scan.hits(List::FreeShipping) {
        if found.overlaps(at, end) {
            continue;
        }
        // "I can't promise free shipping", 没有写包邮: a denial or a refusal claims nothing.
        if !facts.shipping_free && negated(s, at) {
            found.back(at, end);
            continue;
        }
        if !facts.shipping_free {
            return Err(GuardRule::UnbackedFree);
        }
        found.back(at, end);
        found.free = true;
    }
    for (at, end, _) in scan.hits(List::Cost) {
        if !found.overlaps(at, end) {
            cost_backed(found, at, end)?;
        }
    }
    // 运费5元, 运费:10: a charge written right after 运费.
    for (at, _) in s.match_indices("运费") {
        let k = scan.skip(at + "运费".len(), &["：", ":", "是", "只要", "仅", "才", "要"]);
        if let Some((_, cur, end)) = scan.amount(k) {
            check_currency(facts, cur)?;
            if !found.overlaps(at, end) {
                cost_backed(found, at, end)?;
            }
        }
    }
    if dispatch_time_wrong(scan, facts.dispatch_hours) {
        return Err(GuardRule::UnbackedPolicy);
    }
    for (at, end, phrase) in scan.hits(List::Dispatch) {
        let bound = DISPATCH.iter().find(|(p, _)| *p == phrase).and_then(|(_, b)| *b);
        if found.overlaps(at, end) {
            continue;
        }
        let backed = facts.dispatch_hours.is_some_and(|h| bound.is_none_or(|b| h <= b));
        if !backed && !facts.carrier.contains(phrase) {
            return Err(GuardRule::UnbackedPolicy);
        }
        found.back(at, end);
        if let Some(h) = facts.dispatch_hours {
            found.quantities.push((u64::from(h), Qty::Hours));
            if h % 24 == 0 {
                found.quantities.push((u64::from(h / 24), Qty::Days));
            }
        }
    }
    for (at, end, phrase) in scan.hits(List::Delivery).into_iter().chain(scan.hits(List::Carrier)) {
        if found.overlaps(at, end) {
            continue;
        }
        if negated(s, at) && !facts.carrier.contains(phrase) {
            found.back(at, end);
            continue;
        }
        if !facts.carrier.contains(phrase) {
            return Err(GuardRule::UnbackedPolicy);
        }
        found.back(at, end);
    }
    if arrival_promise(s).is_some_and(|(a, e)| !found.overlaps(a, e) && !negated(s, a)) {
        return Err(GuardRule::UnbackedPolicy);
    }
    if shipping_scope(s).is_some_and(|(a, e)| !found.overlaps(a, e) && !facts.promo_text.contains(&s[a..e])) {
        return Err(GuardRule::UnbackedPolicy);
    }
    Ok(())
}

/// When a parcel arrives, by its structure: a day or a span (明天, 后天, 两天内, "tomorrow", "by Friday", "within two
/// days") and an arrival word (送到, 到货, 收到, "arrives", "at your door") in the same clause. A product's data says
/// when it is dispatched, never when it arrives, so no such promise is backed ("ships within 48 hours" is a
/// dispatch time, read above).
fn arrival_promise(s: &str) -> Option<(usize, usize)> {
    const WHEN_ZH: [&str; 14] = [
        "明天",
        "后天",
        "今天",
        "今晚",
        "次日",
        "隔天",
        "第二天",
        "周末前",
        "这周",
        "本周",
        "天内",
        "两天",
        "三天",
        "当天",
    ];
    // Not 就到 alone: 今天就到这里 closes the show.
    const ARRIVE_ZH: [&str; 8] = ["送到", "到货", "到手", "收到", "送达", "能到", "会到", "寄到"];
    const WHEN_EN: [&str; 14] = [
        "tomorrow",
        "tonight",
        "today",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "weekend",
        "days",
        "next-day",
        "overnight",
    ];
    const ARRIVE_EN: [&str; 9] =
        ["arrive", "arrives", "arriving", "delivered", "door", "hands", "reach", "reaches", "doorstep"];
    for (start, text) in clauses_of(s) {
        // A returns window counts from arrival ("7 days after it arrives", 收到后7天内可退): read with returns.
        if ["退", "换", "return", "refund", "exchange"].iter().any(|w| text.contains(w)) {
            continue;
        }
        let zh_when = WHEN_ZH.iter().filter_map(|w| text.find(w)).min();
        let zh_arrive = ARRIVE_ZH
            .iter()
            .flat_map(|w| text.match_indices(w).map(|(i, w)| (i, i + w.len())))
            // 到手价 is the price paid, not a delivery; 能到这里 is a place in the show.
            .filter(|&(_, e)| !text[e..].starts_with('价') && !text[e..].starts_with('这'))
            .min();
        if let (Some(_), Some((a, e))) = (zh_when, zh_arrive) {
            return Some((start + a, start + e));
        }
        let mut words: Vec<(usize, &str)> = Vec::new();
        let mut from = None;
        for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
            match (c.is_ascii_alphanumeric() || c == '-', from) {
                (true, None) => from = Some(i),
                (false, Some(f)) => {
                    words.push((f, &text[f..i]));
                    from = None;
                }
                _ => {}
            }
        }
        let when = words.iter().any(|(_, w)| WHEN_EN.contains(w));
        if when && let Some((i, w)) = words.iter().find(|(_, w)| ARRIVE_EN.contains(w)) {
            return Some((start + i, start + i + w.len()));
        }
    }
    None
}

/// Free shipping said to reach every country (全球包邮, "free shipping worldwide"): the data names no regions, so
/// only the merchant's own promotion wording can say it.
fn shipping_scope(s: &str) -> Option<(usize, usize)> {
    // Not 全国 (nationwide): it is what 包邮 means in the merchant's own country.
    const SCOPE: [&str; 7] =
        ["全球", "全世界", "国际", "worldwide", "anywhere in the world", "internationally", "every country"];
    const FREE: [&str; 6] = ["包邮", "免运费", "free shipping", "ships free", "free delivery", "免邮"];
    for (start, text) in clauses_of(s) {
        let scope = SCOPE.iter().filter_map(|w| text.find(w).map(|i| (i, i + w.len()))).min();
        if let Some((a, e)) = scope
            && FREE.iter().any(|w| text.contains(w))
        {
            return Some((start + a, start + e));
        }
    }
    None
}

/// The clauses of `s` with their offsets.
fn clauses_of(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if ".,;!?。，；！？—".contains(c) {
            out.push((start, &s[start..i]));
            start = i + c.len_utf8();
        }
    }
    out.push((start, &s[start..]));
    out
}

static RETURNS: &[&str] = &[
    "退货险",
    "free return shipping",
    "return shipping is free",
    "free returns",
    "退货不花",
    "退货免费",
    "免费退货",
    "无理由",
    "退换",
    "退货",
    "包退",
    "包换",
    "可退",
    "能退",
    "随时退",
    "运费险",
    "运输险",
    "shipping insurance",
    "shipping protection",
    "package protection",
    "parcel protection",
    "delivery insurance",
    "退款保障",
    "假一赔",
    "假一罚",
    "售后无忧",
    "无忧退",
    "极速退款",
    "returns",
    "return policy",
    "for a return",
    "可以退",
    "能退货",
    "send it back",
    "send them back",
    "send it right back",
    "send it straight back",
    "send them right back",
    "ship it back",
    "mail it back",
    "return it within",
    "return them within",
    "return within",
    "returnable",
    "money-back",
    "money back",
    "full refund",
    "refund guarantee",
    "refund guaranteed",
    "no questions asked",
    "exchange within",
    "exchanges",
    "return it",
    "return them",
    "return the",
    "returned",
    "refund you",
    "refund in full",
    "refunded",
    "we'll refund",
    "we will refund",
    "get a refund",
    "get your money back",
    "退款",
    "退钱",
    "包退换",
    "随便退",
    "退回",
    "天退",
    "天内退",
    "天无理由",
    "天可退",
    "day returns",
    "day return",
];

/// Warranties, repairs and replacements: only the merchant's own guarantee wording backs them.
static WARRANTY: &[&str] = &[
    "warranty",
    "只换不修",
    "以换代修",
    "换新",
    "免费换",
    "免费修",
    "warranties",
    "guaranteed for",
    "replace it",
    "replace them",
    "send a new one",
    "send you a new one",
    "replacement",
    "repair",
    "保修",
    "质保",
    "保固",
    "包赔",
    "赔偿",
    "换新",
    "以旧换新",
    "免费维修",
    "终身",
    "guarantee",
    "guarantees",
    "breakage",
    "replace for free",
    "free replacement",
    "免费换",
    "坏了包换",
    "碎了包赔",
    "摔碎包赔",
    "包修",
];

/// Words that stretch a returns window past a week or two: said with a returns claim, they must match the policy.
const LONG_WINDOWS: [&str; 14] = [
    "month",
    "year",
    "lifetime",
    "forever",
    "anytime",
    "any time",
    "个月",
    "一月之内",
    "一月内",
    "一年",
    "终身",
    "随时",
    "不限",
    "永久",
];

/// Warranties and replacements: backed only when the guarantee or policy wording states them.
fn warranty(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for (at, end, phrase) in scan.hits(List::Warranty) {
        if found.overlaps(at, end) {
            continue;
        }
        // 没写保修，我不会乱说; "there's no warranty listed": saying there is none claims none.
        if negated(scan.s, at) {
            found.back(at, end);
            continue;
        }
        if !facts.policy_text.contains(phrase) {
            return Err(GuardRule::UnbackedPolicy);
        }
        found.back(at, end);
    }
    Ok(())
}

/// Certifications, safety standards and material safety: a listing mark (UL, CE, FDA, 3C), a test passed, a
/// substance the product is free of. Buyers read them as a promise about their family's safety, so only the
/// product's own words back them.
static CERTIFICATIONS: &[&str] = &[
    "certified",
    "certification",
    "certificate",
    "ul listed",
    "ul-listed",
    "etl listed",
    "fda approved",
    "fda-approved",
    "fda compliant",
    "ce marked",
    "ce mark",
    "lfgb",
    "bpa-free",
    "bpa free",
    "lead-free",
    "lead free",
    "cadmium-free",
    "food-safe",
    "food safe",
    "food-grade",
    "food grade",
    "non-toxic",
    "nontoxic",
    "lab tested",
    "lab-tested",
    "safety tested",
    "passed inspection",
    "认证",
    "质检",
    "检测合格",
    "检验合格",
    "通过了sgs",
    "通过sgs",
    "sgs检测",
    "sgs认证",
    "sgs tested",
    "sgs certified",
    "passed sgs",
    "3c认证",
    "ccc认证",
    "通过检测",
    "通过了检测",
    "国标",
    "国家标准",
    "无铅",
    "无镉",
    "无毒",
    "食品级",
    "不含双酚a",
    "无双酚a",
    "安全无害",
];

/// Certifications and safety standards: backed only when the product's own words state them.
fn certifications(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for (at, end, phrase) in scan.hits(List::Certification) {
        if found.overlaps(at, end) {
            continue;
        }
        // "I don't have any certification info", 没有认证信息: saying there is none claims none.
        if negated(scan.s, at) || facts.product_text.contains(phrase) {
            found.back(at, end);
            continue;
        }
        return Err(GuardRule::UnbackedPolicy);
    }
    Ok(())
}

/// Returns, refunds and exchanges: backed by the returns policy, or stated in the guarantee or returns wording.
/// Guarantees beyond a returns window (insurance for the return postage, refunds before the parcel is back,
/// "fake pays tenfold"): a returns policy in the data does not back them, only the merchant's own words do.
const RETURN_EXTRAS: [&str; 20] = [
    "shipping insurance",
    "shipping protection",
    "package protection",
    "parcel protection",
    "delivery insurance",
    "运输险",
    "运费险",
    "退货险",
    "退款保障",
    "假一赔",
    "假一罚",
    "极速退款",
    "售后无忧",
    "无忧退",
    "free return shipping",
    "return shipping is free",
    "free returns",
    "退货不花",
    "退货免费",
    "免费退货",
];

/// A returns window said in days ("30天内不满意都能退", "30-day returns", "return it within 30 days") that is not the
/// policy's. Only a number of days next to a returns word is read: 3天发货 is the dispatch, not the window.
fn window_said(scan: &Scan<'_>, days: Option<u32>) -> bool {
    let s = scan.s;
    scan.toks.iter().any(|tok| {
        let Some(value) = tok.value else { return false };
        let after = s.get(tok.end..).unwrap_or("").trim_start();
        let Some(unit) = ["天", "days", "day", "-day"].iter().find(|u| after.starts_with(*u)) else { return false };
        let rest = &after[unit.len()..];
        let following: String = rest.chars().take(12).collect();
        let before: String = s[..tok.start].chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
        let shipping = ["发货", "发出", "到货", "送到", "ship", "deliver", "dispatch", "arrive"];
        let returns_after = ["退", "换", "return", "refund"].iter().any(|w| following.contains(w))
            && !shipping.iter().any(|w| following.contains(w));
        let returns_before = ["return", "refund", "退"].iter().any(|w| before.contains(w))
            && !shipping.iter().any(|w| before.contains(w));
        // "Returns aren't 30 days, they're 7", 退货不是30天: a window denied is not claimed.
        let near: String = s[..tok.start].chars().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect();
        let denied = ["aren't", "isn't", "not ", "不是", "并非"].iter().any(|n| near.contains(n));
        // "A customer asked about 30-day returns": the window asked about, not claimed.
        let wider: String = s[..tok.start].chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect();
        let asked = ["asked about", "asking about", "问", "asks about"].iter().any(|n| wider.contains(n));
        let denied = denied || asked;
        (returns_after || returns_before)
            && !denied
            && value % 100 == 0
            && days.is_none_or(|d| u64::from(d) != value / 100)
    })
}

/// A dispatch time said in a number of days or hours next to a dispatch word ("ships within 7 days", 七天内发货,
/// 48小时发出) that is not the dispatch time the data gives: the number may be true of something else (a 7-day
/// returns window), but not of dispatch.
fn dispatch_time_wrong(scan: &Scan<'_>, hours: Option<u32>) -> bool {
    let s = scan.s;
    // "Ships within a week": a time with no number in it.
    for (phrase, said) in [
        ("within a week", 168),
        ("in a week", 168),
        ("within a day", 24),
        ("within a month", 720),
        ("within the hour", 1),
        ("within an hour", 1),
        ("in an hour", 1),
        ("within minutes", 1),
    ] {
        if let Some(at) = s.find(phrase)
            && ["ship", "dispatch", "send", "sent out", "goes out"].iter().any(|w| s[..at].contains(w))
            && hours != Some(said)
        {
            return true;
        }
    }
    scan.toks.iter().any(|tok| {
        let Some(value) = tok.value.filter(|v| v % 100 == 0).map(|v| v / 100) else { return false };
        let after = s.get(tok.end..).unwrap_or("").trim_start();
        let units: [(&str, u64); 14] = [
            ("小时", 1),
            ("个小时", 1),
            ("个钟", 1),
            ("hours", 1),
            ("hour", 1),
            ("天", 24),
            ("days", 24),
            ("business days", 24),
            ("周", 168),
            ("个星期", 168),
            ("星期", 168),
            ("个礼拜", 168),
            ("weeks", 168),
            ("week", 168),
        ];
        let Some((unit, per)) = units.iter().find(|(u, _)| after.starts_with(u)) else { return false };
        let following: String =
            after[unit.len()..].chars().take_while(|c| !"，,。.;；!！?？".contains(*c)).take(8).collect();
        // Only the clause the number is in: "48小时内发货，7天内可以退" gives the 7 to the returns.
        let clause = &s[..tok.start];
        let clause =
            clause.rfind(['，', ',', '。', '.', ';', '；', '!', '！', '?', '？']).map_or(clause, |i| &clause[i..]);
        let before: String = clause.chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
        if ["退", "换", "return", "refund", "保修", "warranty", "送到", "到货", "到手", "arrive", "deliver", "back"]
            .iter()
            .any(|w| following.contains(w) || before.contains(w))
        {
            return false;
        }
        let dispatch_after = ["发货", "发出", "内发", "之内发", "发走"].iter().any(|w| following.contains(w));
        let dispatch_before =
            ["ship", "dispatch", "send", "sent", "goes out", "go out", "发货"].iter().any(|w| before.contains(w))
                && !["arrive", "deliver", "到货", "送到", "退", "return"].iter().any(|w| before.contains(w));
        (dispatch_after || dispatch_before) && hours.is_none_or(|h| value * per != u64::from(h))
    })
}

/// The packaging said not to matter, in any words: a negation or a loss close before a packaging word in its
/// clause ("fine without the original packaging", 不需要外包装, "lost the box") or right after it (包装丢了,
/// "the box isn't needed").
fn packaging_waived(s: &str) -> bool {
    const PACKAGING: [&str; 9] = ["packaging", "package", "box", "wrapping", "tags", "包装", "盒子", "包装盒", "原盒"];
    const BEFORE: [&str; 16] = [
        "without",
        "no ",
        "don't need",
        "doesn't need",
        "no need for",
        "lost",
        "threw",
        "tossed",
        "missing",
        "不需要",
        "不用",
        "没有",
        "无需",
        "不要",
        "丢了",
        "扔了",
    ];
    const AFTER: [&str; 12] = [
        "丢了",
        "扔了",
        "没了",
        "不要了",
        "不需要",
        "不用",
        "没有",
        "无所谓",
        "not needed",
        "isn't needed",
        "is gone",
        "doesn't matter",
    ];
    const ENDS: [char; 10] = ['.', ';', '!', '?', '。', '；', '！', '？', ',', '，'];
    PACKAGING.iter().any(|word| {
        s.match_indices(word).any(|(at, _)| {
            let before = s.get(..at).unwrap_or("");
            let clause_start =
                before.char_indices().rev().find(|(_, c)| ENDS.contains(c)).map_or(0, |(i, c)| i + c.len_utf8());
            let near: String = before
                .get(clause_start..)
                .unwrap_or("")
                .chars()
                .rev()
                .take(24)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after: String = s.get(at + word.len()..).unwrap_or("").chars().take(16).collect();
            BEFORE.iter().any(|cue| near.contains(cue)) || AFTER.iter().any(|cue| after.trim_start().starts_with(cue))
        })
    })
}

fn returns(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for (at, end, phrase) in scan.hits(List::Returns) {
        // Read even inside another claim: "return shipping is free" holds "shipping is free".
        let extra = RETURN_EXTRAS.contains(&phrase);
        if extra && !facts.policy_text.contains(phrase) && !negated(scan.s, at) {
            return Err(GuardRule::UnbackedPolicy);
        }
        if found.overlaps(at, end) {
            continue;
        }
        if !facts.returns && !facts.policy_text.contains(phrase) {
            return Err(GuardRule::UnbackedPolicy);
        }
        if facts.returns && window_said(scan, facts.returns_days) {
            return Err(GuardRule::UnbackedPolicy);
        }
        // "用过也能退", "no box needed" against "unused and in the box": the conditions said must not contradict.
        let unused_only = ["未使用", "unused", "没用过", "not used"].iter().any(|w| facts.policy_text.contains(w));
        let said_used = [
            "用过",
            "used it",
            "even used",
            "拆了",
            "opened and used",
            "after using",
            "been used",
            "even if used",
            "even if it's used",
            "used a few",
            "used a couple",
            "used once",
            "用了几次",
            "用了一次",
            "用了一下",
        ]
        .iter()
        .any(|w| scan.s.contains(w));
        let said_unused = scan.conditions_said
            || [
                "没用过",
                "未使用",
                "没用",
                "haven't used",
                "unused",
                "not used",
                "没拆",
                // The condition put as what must not be: 不能用过, 用过了就不行, "can't have been used".
                "不能用过",
                "不能使用过",
                "用过就不行",
                "用过了就不行",
                "用过的不行",
                "用过不能退",
                "can't have been used",
                "cannot have been used",
                "must not be used",
                "if it's been used, no",
            ]
            .iter()
            .any(|w| scan.s.contains(w));
        // "Returns within 7 days even if you've brewed in it", 无论用没用过都能退: a waiver of the conditions.
        let waived = [
            "even if",
            "even after",
            "even when",
            "no matter",
            "regardless",
            "no questions asked",
            "即使",
            "就算",
            "哪怕",
            "无论",
            "不管",
            "不问缘由",
            "不问原因",
        ]
        .iter()
        .any(|w| scan.s.contains(w));
        // Not 七天无理由退货: the law's term for seven-day returns asks for the goods intact, as this policy does.
        if unused_only && waived {
            return Err(GuardRule::UnbackedPolicy);
        }
        if unused_only && said_used && !said_unused {
            return Err(GuardRule::UnbackedPolicy);
        }
        let boxed = ["包装", "box"].iter().any(|w| facts.policy_text.contains(w));
        // A return is sent back: "no need to send it back", 不用寄回 promise a refund the policy does not give.
        let kept = [
            "no need to send it back",
            "no need to return it",
            "keep it and",
            "不用寄回",
            "不用退回",
            "无需寄回",
            "无需退回",
            "without requiring its return",
            "without requiring a return",
            "without returning it",
            "without sending it back",
            "no return needed",
            "no return required",
        ]
        .iter()
        .any(|w| scan.s.contains(w));
        if kept && !facts.policy_text.contains("keep") {
            return Err(GuardRule::UnbackedPolicy);
        }
        // "Should it arrive damaged, we refund in full", 破损包退: what is done about a broken parcel, which the
        // policy does not say.
        let damaged = ["damaged", "broken", "cracked", "shattered", "破损", "摔碎"].iter().any(|w| scan.s.contains(w))
            && ["refund", "replace", "包退", "包换", "包赔", "赔", "退款"].iter().any(|w| scan.s.contains(w));
        if damaged && !["damage", "broken", "破损", "碎"].iter().any(|w| facts.policy_text.contains(w)) {
            return Err(GuardRule::UnbackedPolicy);
        }
        let no_box = [
            "不需要原包装",
            "不用原包装",
            "不需要包装",
            "without the box",
            "no box",
            "没有包装",
            "包装丢了",
            "don't need the original box",
            "don't even need the original box",
            "don't need the box",
            "no need for the box",
            "without the original box",
            "不用原盒",
            "不需要盒子",
            "盒子丢了",
            "没有盒子",
            "没盒子",
            "不用盒子",
            "不要盒子",
            "盒子扔了",
            "没有包装盒",
            "without a box",
            "without its box",
            "without the packaging",
            "threw away the box",
            "thrown away the box",
            "tossed the box",
            "box is gone",
        ]
        .iter()
        .any(|w| scan.s.contains(w))
            || packaging_waived(scan.s);
        if boxed && no_box {
            return Err(GuardRule::UnbackedPolicy);
        }
        // "returns for a whole month" against a 7-day policy: the window said in words must fit the days.
        let long = LONG_WINDOWS.iter().any(|w| scan.s.contains(w) && !facts.policy_text.contains(w));
        if long && facts.returns_days.is_none_or(|d| d < 30) {
            return Err(GuardRule::UnbackedPolicy);
        }
        found.back(at, end);
        if let Some(days) = facts.returns_days {
            found.quantities.push((u64::from(days), Qty::Days));
        }
    }
    Ok(())
}

static GIFTS: &[&str] = &[
    "赠品",
    "赠送",
    "附赠",
    "加赠",
    "赠",
    "送你",
    "送您",
    "送给你",
    "送给您",
    "送大家",
    "送给大家",
    "还送",
    "再送",
    "加送",
    "额外送",
    "免费送",
    "白送",
    "多送",
    "都送",
    "就送",
    "下单送",
    "好礼",
    "福袋",
    "free gift",
    "with gifts",
    "gifts galore",
    "gift with purchase",
    "bonus gift",
    "gift included",
    "includes a gift",
    "comes with a gift",
    "comes with a free",
    "get a gift",
    "receive a gift",
    "gift for every",
    "gift with every",
    "free with every",
    "free with each",
    "thrown in",
    "we'll throw in",
    "we will throw in",
    "giveaway",
    "give away",
    "giving away",
    "freebie",
    "freebies",
    "as a bonus",
    "bonus item",
    "get a free",
    "receive a free",
    "get one free",
    "with a free",
    "plus a free",
    "and a free",
    "surprise gift",
    "a little gift",
    "gift in the box",
    "extra gift",
    "mystery gift",
    "小礼物",
    "小惊喜",
    "神秘礼物",
    "惊喜礼物",
    "gets a free",
    "getting a free",
    "the gift is",
    "the gift this time",
    "the gift today",
    "today's gift",
    "a gift comes",
    "gift comes with",
    "gifts come with",
    "comes with gifts",
    "there's a gift",
    "there is a gift",
    "plus a gift",
    "and a gift",
];

fn gift_claim(s: &str, facts: &ClaimFacts, found: &mut Found, at: usize, end: usize) -> Result<(), GuardRule> {
    if found.overlaps(at, end) {
        return Ok(());
    }
    // "There's no free gift with the kettle", 没有赠品: said not to exist, which is true whatever the data says.
    if negated(s, at) {
        found.back(at, end);
        return Ok(());
    }
    if !facts.gifts && !facts.promo_text.contains(&s[at..end]) {
        return Err(GuardRule::UnbackedFree);
    }
    // A gift named in the clause must be the product's gift (its words are blanked when said exactly, or carry one
    // of its words): 再送一个竹制茶盘 is not 一条茶巾.
    if facts.gifts && !facts.gift_words.is_empty() {
        let rest = &s[end..];
        // A dash or a "not" starts another thought ("the gift is a tea towel — not a teapot").
        let clause =
            rest.find(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—', '–']).map_or(rest, |i| &rest[..i]);
        let clause = [" not ", "不是"].iter().filter_map(|w| clause.find(w)).min().map_or(clause, |i| &clause[..i]);
        // The words that name a thing: little words ("is", "a") and a count or measure before the name go.
        const LITTLE: [&str; 20] = [
            "is", "are", "a", "an", "the", "this", "time", "will", "be", "you", "get", "also", "just", "today",
            "every", "each", "set", "order", "purchase", "one",
        ];
        let named: String = clause
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !LITTLE.contains(w))
            .collect::<String>()
            .chars()
            .skip_while(|c| is_zh_numeral(*c) || GIFT_MEASURES.contains(*c))
            .collect();
        // The gift said in the data's own words was blanked as backed, leaving a space right after the gift word
        // (每套都送一条茶巾 是每一套都有): what follows is another thought, not the gift's name.
        let blanked_gift = facts.gifts
            && rest.starts_with(' ')
            && s[at..end].chars().next_back().is_some_and(super::text::is_cjk_char);
        // Or, where the hit opens on the noun "gift", the gift named just before it: "a tea towel gift with every
        // set" is ours, "a bamboo tray gift with every set" is not.
        let gift_noun = s[at..end].starts_with("gift");
        let head = &s[..at];
        let before =
            head.rfind(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？', '—', '–']).map_or(head, |i| &head[i..]);
        let named_before =
            gift_noun && (before.contains("{gift}") || facts.gift_words.iter().any(|w| before.contains(w.as_str())));
        const PLAIN: [&str; 10] = ["free", "little", "small", "nice", "lovely", "special", "our", "its", "yes", "and"];
        let other_before = gift_noun
            && !named_before
            && before
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty())
                .rev()
                .take(2)
                .any(|w| !LITTLE.contains(&w) && !PLAIN.contains(&w));
        let ours = blanked_gift
            || named_before
            || clause.contains("{gift}")
            || facts.gift_words.iter().any(|w| clause.contains(w.as_str()));
        // The merchant's own promotion wording may name things (买二送一's 一 is no gift's name); a thing named that
        // is not in it is not the product's gift.
        let merchants = facts.promo_text.contains(&s[at..end]) && facts.promo_text.contains(named.as_str());
        if (named.chars().count() >= 2 || other_before) && !ours && !merchants {
            return Err(GuardRule::UnbackedPromotion);
        }
        let sentence = rest.find(['.', ';', '!', '?', '。', '；', '！', '？']).map_or(rest, |i| &rest[..i]);
        // The gift with more added (送两条茶巾再加一个茶叶罐, "a tea towel plus a teapot"), or more of it than the
        // product gives (送两条 when the gift is one).
        let more = ["再加", "再送", "外加", "加一个", "加一", "还有一个", "另外还", "plus a", "plus an", "plus another"]
                .iter()
                .any(|w| sentence.contains(w))
                // "a free tea towel and a bamboo tray", 一条茶巾和一个茶盘: another thing in the gift's own clause.
                || ["and a ", "and an ", "and two ", "and some ", "as well as", "along with", "以及", "和一", "和两", "跟一"]
                    .iter()
                    .any(|w| clause.contains(w));
        let count = s[at..]
            .chars()
            .take(4)
            .find_map(|c| if c.is_ascii_digit() { c.to_digit(10).map(u64::from) } else { super::numbers::zh_digit(c) });
        let two_words = ["two ", "three ", "2 ", "3 "].iter().any(|w| clause.trim_start().starts_with(w));
        if ours && !facts.gift_many && (more || count.is_some_and(|n| n > 1) || two_words) {
            return Err(GuardRule::UnbackedPromotion);
        }
    }
    found.back(at, end);
    found.free = true;
    Ok(())
}

/// Measure words between a gift word and the gift's name (送一罐茶叶, 送两条茶巾).
const GIFT_MEASURES: &str = "个份件套只把盒瓶包条张罐袋支双对本块片";

/// "You also get a bamboo tea tray as a gift": the thing got, named before "as a gift", must be the product's gift
/// ("buy it as a gift for your mum" gets nothing, so it claims nothing).
fn got_as_gift(s: &str, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for marker in ["as a gift", "as a free gift", "as a bonus", "as a freebie", "for free"] {
        for (at, _) in s.match_indices(marker) {
            // Judged even when the marker itself was read as a gift word ("as a bonus"): the name is before it.
            let head = &s[..at];
            let clause_start = head
                .char_indices()
                .rev()
                .find(|(_, c)| ['.', ',', ';', '!', '?', '—'].contains(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let clause = &head[clause_start..];
            let words: Vec<&str> = clause.split_whitespace().collect();
            // "we'll throw in a spare lid for free", "we add a towel as a gift": the shop giving is a getting too.
            let Some(got) = words.iter().rposition(|w| {
                matches!(
                    *w,
                    "get"
                        | "gets"
                        | "getting"
                        | "receive"
                        | "receives"
                        | "add"
                        | "adding"
                        | "include"
                        | "including"
                        | "includes"
                        | "toss"
                        | "throw"
                )
            }) else {
                continue;
            };
            let thing: Vec<&str> = words[got + 1..]
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "a" | "an" | "the" | "one" | "also" | "too"))
                .collect();
            if thing.is_empty() {
                continue;
            }
            let named = thing.join(" ");
            let ours = named.contains("{gift}") || facts.gift_words.iter().any(|w| named.contains(w.as_str()));
            if !facts.gifts || !ours {
                return Err(if facts.gifts { GuardRule::UnbackedPromotion } else { GuardRule::UnbackedFree });
            }
            found.back(at, at + marker.len());
            found.free = true;
        }
    }
    Ok(())
}

/// "Now comes with a bamboo tray as well as the tea towel": a thing the buyer gets, named beside the product's gift,
/// must be the gift or in the product's own words ("comes with a teapot and four cups as well as the tea towel").
fn got_beside_the_gift(s: &str, facts: &ClaimFacts) -> Result<(), GuardRule> {
    const BESIDE: [&str; 5] = ["as well as", "along with", "together with", "on top of", "besides"];
    const GETS: [&str; 9] = ["get", "gets", "getting", "receive", "receives", "with", "includes", "including", "plus"];
    if !facts.gifts {
        return Ok(());
    }
    for marker in BESIDE {
        for (at, _) in s.match_indices(marker) {
            let after: String = s[at + marker.len()..].chars().take(30).collect();
            let gift_after = after.contains("{gift}") || facts.gift_words.iter().any(|w| after.contains(w.as_str()));
            if !gift_after {
                continue;
            }
            let head = &s[..at];
            let clause_start = head.rfind(['.', ',', ';', '!', '?', '—']).map_or(0, |i| i + 1);
            let words: Vec<&str> = head[clause_start..].split_whitespace().collect();
            let Some(got) = words.iter().rposition(|w| GETS.contains(w)) else { continue };
            let named: Vec<&str> = words[got + 1..]
                .iter()
                .copied()
                .filter(|w| !matches!(*w, "a" | "an" | "the" | "one" | "also" | "too" | "now" | "and"))
                .collect();
            if named.is_empty() {
                continue;
            }
            let gift = named.iter().any(|w| w.contains("{gift}") || facts.gift_words.iter().any(|g| g.contains(w)));
            let listed = named.iter().all(|w| w.len() < 3 || facts.product_text.contains(w));
            if !gift && !listed {
                return Err(GuardRule::UnbackedPromotion);
            }
        }
    }
    Ok(())
}

/// Gifts: 赠品, 送一个杯子, "a free gift", "comes with a free tea towel".
fn gifts(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    let s = scan.s;
    let mut hits = scan.hits(List::Gift);
    // The longest phrase at a place first (赠品 before 赠), so the words after it are the gift's name.
    hits.sort_by_key(|&(at, end, _)| (at, std::cmp::Reverse(end)));
    for (at, end, _) in hits {
        gift_claim(s, facts, found, at, end)?;
    }
    got_as_gift(s, facts, found)?;
    got_beside_the_gift(s, facts)?;
    // 送 + a count or measure (送一个, 送两包): a gift, unlike 送货 (deliver) or 送给妈妈 (give to mum). After a
    // purchase in the same clause (买茶具今晚送竹茶盘, 下单就送杯垫) 送 + a thing is a gift too, unless it is given to
    // someone (买来送朋友) or delivered (送到家).
    for (at, _) in s.match_indices('送') {
        let after = &s[at + '送'.len_utf8()..];
        let next = after.chars().next();
        let counted = next.is_some_and(|c| is_zh_numeral(c) || c.is_ascii_digit() || GIFT_MEASURES.contains(c));
        let clause_start = s[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| ".,;!?。，；！？".contains(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let bought = ["买", "下单", "拍下", "拍一", "拍就"].iter().any(|w| s[clause_start..at].contains(w));
        const NOT_GIFT: [&str; 44] = [
            "婆婆",
            "公公",
            "奶奶",
            "爷爷",
            "外婆",
            "姥姥",
            "老公",
            "老婆",
            "孩子",
            "闺女",
            "儿子",
            "女儿",
            "姐",
            "哥",
            "弟",
            "妹",
            "同学",
            "领导",
            "货",
            "给",
            "到",
            "达",
            "出",
            "走",
            "去",
            "回",
            "来",
            "礼",
            "人",
            "朋友",
            "妈",
            "爸",
            "长辈",
            "老师",
            "客户",
            "同事",
            "老人",
            "女朋友",
            "男朋友",
            "闺蜜",
            "父母",
            "家人",
            "一",
            "二",
        ];
        let thing = next.is_some_and(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
            && !NOT_GIFT.iter().any(|w| after.starts_with(w));
        // 送 before the gift's own words (blanked as backed): what follows them is read as part of the gift.
        let before_gift = after.starts_with(' ') && facts.gifts;
        if counted || (bought && thing) || before_gift {
            // A count or measure right after 送 is part of the gift word; a thing's name is the gift's, read whole.
            let end = at + '送'.len_utf8() + if counted { next.map_or(0, char::len_utf8) } else { 0 };
            gift_claim(s, facts, found, at, end)?;
        }
    }
    Ok(())
}

/// Whether promotions are said to combine, in any words (read on the whole folded sentence, before the ledger's own
/// promotion words are blanked): a word of combining ("stack", "on top of", "all at once", 叠加, 同时用), not
/// denied, asked or unknown, in a sentence that names two or more kinds of promotion (a code or coupon,
/// spend-and-save, a free item with a purchase, a second at half price). The data never says promotions combine,
/// so a sentence that does is unbacked; one that names a single promotion ("stack up your cart with the set")
/// claims nothing of the kind.
pub(super) fn stacking_claimed(folded: &str) -> bool {
    // Asked or not known ("whether TEA10 combines…", 能不能叠加, "can they stack?"): no claim either way.
    const OPEN: [&str; 12] = [
        "whether",
        "if ",
        "not sure",
        "can't tell",
        "don't know",
        "是否",
        "能不能",
        "可不可以",
        "不确定",
        "不知道",
        "吗",
        "?",
    ];
    const ENDS: [char; 6] = ['.', ';', '!', '。', '；', '！'];
    let Some(places) = stacked(folded) else { return false };
    // Each combining word is judged: one said plainly is a claim, whatever the others are.
    places.into_iter().any(|at| {
        let before = folded.get(..at).unwrap_or("");
        let clause_start =
            before.char_indices().rev().find(|(_, c)| ENDS.contains(c)).map_or(0, |(i, c)| i + c.len_utf8());
        let clause_end = folded.get(at..).and_then(|a| a.find(ENDS)).map_or(folded.len(), |i| at + i);
        let clause = folded.get(clause_start..clause_end).unwrap_or("");
        let near: String = before.chars().rev().take(12).collect::<Vec<_>>().into_iter().rev().collect();
        let denied = ["不能", "不可", "不会", "没法", "无法", "can't", "cannot", "don't", "doesn't", "won't", "not "]
            .iter()
            .any(|w| near.contains(w));
        !denied && !negated(folded, at) && !OPEN.iter().any(|w| clause.contains(w))
    })
}

fn stacked(s: &str) -> Option<Vec<usize>> {
    const COMBINE: [&str; 16] = [
        "stack",
        "on top of",
        "all at once",
        "at the same time",
        "combine",
        "together with",
        "along with",
        "plus the",
        "叠加",
        "同时用",
        "一起用",
        "同时享",
        "一起享",
        "再叠",
        "再用",
        "还能用",
    ];
    // Each kind of promotion by words that name it and nothing else (满意, "barcode", "half an hour" do not).
    let kinds: [&dyn Fn(&str) -> bool; 4] = [
        &|s: &str| {
            ["coupon", "promo code", "discount code", "the code", "优惠券", "优惠码", "券"]
                .iter()
                .any(|w| s.contains(w))
                || s.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| {
                    // A code-shaped word: letters then one to three digits (tea10, save20).
                    let letters = word.bytes().take_while(u8::is_ascii_lowercase).count();
                    let digits = word.len() - letters;
                    letters >= 2 && (1..=3).contains(&digits) && word.bytes().skip(letters).all(|b| b.is_ascii_digit())
                })
        },
        &|s: &str| {
            ["满减", "spend-and-save", "spend and save", "spend ¥", "spend $", "off over"].iter().any(|w| s.contains(w))
                || s.match_indices('满')
                    .any(|(at, _)| s[at + '满'.len_utf8()..].starts_with(|c: char| c.is_ascii_digit()))
        },
        &|s: &str| {
            [
                "送一",
                "送1",
                "get 1",
                "get one free",
                "get one",
                "get a third",
                "buy 2",
                "buy two",
                "买二",
                "买2",
                "买两",
            ]
            .iter()
            .any(|w| s.contains(w))
        },
        &|s: &str| {
            ["half price", "half-price", "half off", "半价", "second item", "第二件"].iter().any(|w| s.contains(w))
        },
    ];
    if kinds.iter().filter(|named| named(s)).count() < 2 {
        return None;
    }
    let mut at: Vec<usize> = COMBINE.iter().flat_map(|w| s.match_indices(w).map(|(i, _)| i)).collect();
    at.sort_unstable();
    (!at.is_empty()).then_some(at)
}

/// Wording that claims a price event or the merchant's costs. 秒杀 and flash sales are backed by an offer or
/// promotion with an end; the rest only by the merchant's own promotion wording.
static FLASH: &[&str] = &["秒杀", "flash sale", "flash sales", "flash deal", "flash deals", "lightning deal"];
static PROMO_WORDS: &[&str] = &[
    // Points and rewards: the data never holds a loyalty scheme.
    "loyalty points",
    "reward points",
    "double points",
    "points double",
    "bonus points",
    "积分翻倍",
    "双倍积分",
    "送积分",
    "积分抵",
    // Paying in parts: the data never offers instalments.
    "interest-free",
    "interest free",
    "installment",
    "installments",
    "instalment",
    "instalments",
    "pay in three",
    "pay in 3",
    "pay in four",
    "pay in 4",
    "pay later",
    "pay-later",
    "pay nothing today",
    "分期",
    "免息",
    "零首付",
    "0首付",
    "先用后付",
    // The price against other shops': the data holds no other shop's price.
    "lowest price available",
    "lowest price anywhere",
    "lowest price online",
    "lowest price on any",
    "lowest price on the",
    "lowest price you'll find",
    "best price anywhere",
    "best price online",
    "cheapest anywhere",
    "cheapest online",
    "cheapest on",
    "than on taobao",
    "than taobao",
    "than on jd",
    "than jd",
    "than on amazon",
    "than amazon",
    "than on tmall",
    "than tmall",
    "than pinduoduo",
    "than anywhere else",
    "than in the shops",
    "than in stores",
    "比淘宝便宜",
    "比京东便宜",
    "比天猫便宜",
    "比拼多多便宜",
    "比别家便宜",
    "比外面便宜",
    "比超市便宜",
    "比实体店便宜",
    // Promotions said to combine: the data never says they do.
    "they all stack",
    "they stack",
    "stackable",
    "can be stacked",
    "can be combined",
    "combine them all",
    "combine all",
    "叠加使用",
    "可以叠加",
    "能叠加",
    "同时享受",
    "同享",
    "跳楼价",
    "跳楼",
    "清仓",
    "亏本",
    "血亏",
    "赔本",
    "亏钱",
    "甩卖",
    "骨折价",
    "白菜价",
    "成本价",
    "出厂价",
    "工厂价",
    "内部价",
    "福利价",
    "宠粉价",
    "破价",
    "地板价",
    "捡漏",
    "史低",
    "保价",
    "价保",
    "大促",
    "clearance",
    "closing down",
    "closing-down",
    "at a loss",
    "below cost",
    "at cost",
    "cost price",
    "factory price",
    "fire sale",
    "doorbuster",
    "blowout sale",
    "rock-bottom",
    "rock bottom",
    "liquidation",
    "warehouse sale",
    "price match",
    "price protection",
    "surprise discount",
    "extra discount",
    "anniversary sale",
    "closeout",
    "close-out",
    "clearing out",
    "flash deal",
    "mystery discount",
    "专享价",
    "直播间专享",
    // Exclusivity: a price or a deal said to be had only here. The data never says where else it is sold.
    "直播间专属",
    "专属福利",
    "只有在这里才能买到",
    "只有在直播间",
    "只在直播间",
    "出了直播间",
    "别处买不到",
    "别的地方买不到",
    "其他地方买不到",
    "exclusive to this stream",
    "for our fans only",
    "fans only",
    "fans-only",
    "outside this room",
    "粉丝专享",
    "粉丝专属",
    "exclusive to tonight",
    "tonight's stream only",
    "members-only",
    "members only",
    "member-only",
    "member price",
    "members' price",
    "member's price",
    "vip price",
    "vip-only",
    "会员价",
    "会员专享",
    "会员专属",
    "限定价",
    "今晚限定",
    "直播限定",
    "限定款",
    "stream-exclusive",
    "stream exclusive",
    "exclusive to this live",
    "only available here",
    "only on this stream",
    "this stream only",
    "only in this stream",
    "this price anywhere else",
    "this deal anywhere else",
    "只限今晚",
    "仅限今晚",
    "免单",
    "抽奖",
    "抽免单",
    "额外优惠",
    "额外折扣",
    "神秘折扣",
    "周年庆",
    "店庆",
    "bundle deal",
    "bundle price",
    "bundle",
    "combo deal",
    "combo price",
    "组合价",
    "套餐价",
    "一起买更便宜",
    "一起买更划算",
    "一起买便宜",
    "一起买优惠",
    "一起买打折",
    "一起买有优惠",
    "一起买有折扣",
    "搭配购买",
    "搭配价",
    "专属暗号",
    "暗号",
    "口令",
    "secret word",
    "secret coupon",
    "hidden coupon",
    "dm you",
    "dm'd",
    "私信发你",
    "私信发给你",
    "私发你",
    "私信领",
    "隐藏券",
    "隐藏优惠",
];

fn promo_words(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    for (list, by_end) in [(List::Flash, true), (List::Promo, false)] {
        for (at, end, phrase) in scan.hits(list) {
            if found.overlaps(at, end) {
                continue;
            }
            let backed = (by_end && facts.ends) || facts.promo_text.contains(phrase);
            // "It isn't part of a bundle", 不是清仓: denied, not claimed.
            if !backed && negated(scan.s, at) {
                found.back(at, end);
                continue;
            }
            if !backed {
                return Err(GuardRule::UnbackedPromotion);
            }
            found.back(at, end);
        }
    }
    Ok(())
}

/// Named times an offer "ends" at: the data gives a remaining time (the `{offer_ends}` slot), never a clock time,
/// so these are never backed.
static CLOCK_TIMES: &[&str] = &[
    "until midnight",
    "till midnight",
    "by midnight",
    "before midnight",
    "at midnight",
    "午夜前",
    "零点前",
    "零点截止",
    "零点结束",
    "今晚零点",
    "今晚12点",
    "今晚十二点",
    "12点前",
    "十二点前",
];

/// "in the next 10 minutes", "for the next hour", and named deadlines.
fn countdowns(scan: &Scan<'_>, facts: &ClaimFacts, found: &mut Found) -> Result<(), GuardRule> {
    if !scan.hits(List::Clock).is_empty() {
        return Err(GuardRule::UnbackedUrgency);
    }
    for lead in ["in the next", "for the next", "within the next", "over the next"] {
        for at in scan.find(lead) {
            let mut k = at + lead.len();
            if let Some(n) = scan.num(k) {
                k = n.end;
            }
            k = scan.skip(k, &["few", "couple of", "couple"]);
            let unit = scan.any(k, &["minutes", "minute", "mins", "hours", "hour", "seconds"]);
            if let Some((end, _)) = unit {
                if !facts.ends {
                    return Err(GuardRule::UnbackedUrgency);
                }
                found.back(at, end);
            }
        }
    }
    Ok(())
}

/// Whether the claim phrase at `at` is said not to exist: "there's no coupon", "we don't run flash sales", 没有赠品,
/// 没有质保的信息. Only a denial right before the phrase counts, and never an imperative (不要错过, "don't miss"),
/// which urges the claim on.
fn negated(s: &str, at: usize) -> bool {
    const CUES: [&str; 23] = [
        "no ",
        "not ",
        "isn't on ",
        "not on ",
        "isn't part of ",
        "not part of ",
        "isn't included in ",
        "not included in ",
        "isn't ",
        "aren't ",
        "don't have ",
        "doesn't have ",
        "don't run ",
        "doesn't come with ",
        "without ",
        "don't offer ",
        "no info on a ",
        "no information on ",
        "没有",
        "没",
        "无",
        "暂无",
        "不是",
    ];
    let before = s.get(..at).unwrap_or("");
    // 包不包邮: the viewer's question repeated, not a claim either way. 不能叠加, 不包邮: 不 right before the claim
    // denies it.
    if before.ends_with("包") || before.ends_with("是不是") || before.ends_with("不") || before.ends_with("不可")
    {
        return true;
    }
    // A verb of running a deal, denied: 不搞秒杀, 没做活动, 不参加满减, 不设门槛.
    const RUN: [&str; 11] = ["搞", "做", "参加", "参与", "设", "开", "弄", "整", "玩", "支持", "提供"];
    if RUN.iter().any(|verb| {
        before.strip_suffix(verb).is_some_and(|b| b.ends_with('不') || b.ends_with('没') || b.ends_with("没有"))
    }) {
        return true;
    }
    // The claim named only to say it will not be said: 我不敢说全网最低价, "I won't say lowest price anywhere".
    const UNSAID: [&str; 12] = [
        "不敢说",
        "不能说",
        "不会说",
        "不会喊",
        "不敢喊",
        "别说",
        "won't say ",
        "can't say ",
        "cannot say ",
        "wouldn't say ",
        "won't claim ",
        "not going to say ",
    ];
    let said_before = before.trim_end_matches(['"', '“', '‘', '\'', '「', '『', ' ', '是', '这', '个']);
    if UNSAID.iter().any(|cue| said_before.ends_with(cue.trim_end()) || before.ends_with(cue)) {
        return true;
    }
    // The viewer's question named before the answer: 你问保修多久, "you asked about the warranty".
    let asked = before.trim_end();
    // Not when the answer says yes: "Chat's asking about coupons — yes, the kettle has it!" claims one.
    if [
        "你问",
        "问的是",
        "问到",
        "宝宝问",
        "有人问",
        "在问",
        "asked about",
        "asking about",
        "asked about the",
        "asking about the",
    ]
    .iter()
    .any(|cue| asked.ends_with(cue))
        && !super::reported::confirms(s.get(at..).unwrap_or(""))
    {
        return true;
    }
    // The clause says the host has no information on it, or cannot promise it: "shipping and returns aren't in my
    // info", 保修信息我这里没有, "I can't promise next-day delivery".
    const ENDS: [char; 10] = ['.', ';', '!', '?', '。', '；', '！', '？', ',', '，'];
    let clause_start = before.char_indices().rev().find(|(_, c)| ENDS.contains(c)).map_or(0, |(i, c)| i + c.len_utf8());
    let after = s.get(at..).unwrap_or("");
    let clause_end = after.find(ENDS).map_or(s.len(), |i| at + i);
    let clause = s.get(clause_start..clause_end).unwrap_or("");
    const NO_INFO: &[&str] = &[
        "not in my info",
        "aren't in my info",
        "isn't in my info",
        "don't have info",
        "don't have any info",
        "don't have that info",
        "don't have its",
        "don't have information",
        "don't have that information",
        "no information",
        "no info",
        "can't promise",
        "cannot promise",
        "won't promise",
        "nobody's promised",
        "no one has promised",
        "nobody has promised",
        "我这里没有",
        "没有相关信息",
        "资料里没有",
        "不能保证",
        "不能答应",
        "没法答应",
        "答应不了",
        "不能随便",
        "免得误导",
        "not going to invent",
        "not going to make",
        "won't invent",
        "won't make up",
        "不能给你保证",
        "不敢保证",
        "说不准",
        "不确定",
        "不好说",
        // Cannot give or hand it out: 没法给大家发券, "nothing I can give you".
        "没法给",
        "没办法给",
        "无法给",
        "不能给",
        "给不了",
        "没法发",
        "没办法发",
        "发不了",
        "can't give",
        "cannot give",
        "can't offer",
        "cannot offer",
        "nothing i can give",
        // Not seen in the host's data: "I can't see any instalments on the kettle", 我这边没看到.
        "can't see any",
        "cannot see any",
        "don't see any",
        "i see no",
        "没看到",
        "没看见",
        // Nothing given to the host about it: "nobody's given me any warranty details", 没人告诉我.
        "nobody's given me",
        "nobody has given me",
        "nobody gave me",
        "no one's given me",
        "no one has given me",
        "no one gave me",
        "haven't been given",
        "have not been given",
        "wasn't given",
        "was not given",
        "weren't given",
        "nobody told me",
        "no one told me",
        "没人告诉我",
        "没人给我",
        "没有人告诉我",
        "没给我",
        "says nothing about",
        "say nothing about",
        "no mention of",
        "doesn't mention",
        "does not mention",
        // Said not to be in the data at all: "returns for the kettle aren't stated", 页面没写.
        "aren't stated",
        "isn't stated",
        "not stated",
        "aren't listed",
        "isn't listed",
        "none is listed",
        "none listed",
        "none is stated",
        "not mentioned",
        "isn't mentioned",
        "aren't mentioned",
        "没有写",
        "没写",
        "未注明",
        "没有注明",
        "没标",
    ];
    if NO_INFO.iter().any(|cue| clause.contains(cue)) {
        return true;
    }
    // Asked or named, then denied in the next clause: "Free gift with the kettle? None is listed", "cash on
    // delivery; that is not mentioned", 包邮吗？没有写. The next clause must be the denial itself ("No problem,
    // it's on us" is no denial).
    if s[clause_end..].starts_with(['?', '？', ';', '；']) {
        let rest = &s[clause_end + s[clause_end..].chars().next().map_or(1, char::len_utf8)..];
        let next = rest.split(ENDS).next().unwrap_or("").trim();
        let bare_no = matches!(next, "no" | "nope" | "none" | "not one" | "没有" | "没");
        if bare_no || NO_INFO.iter().any(|cue| next.contains(cue)) {
            return true;
        }
    }
    // A wish the rest of the sentence says cannot be met: "I'd love to hand out a coupon, but I don't have any
    // coupon information", 我也很想送赠品，可惜没有.
    const WISHES: [&str; 9] = [
        "i'd love to",
        "i would love to",
        "i wish i could",
        "i'd like to",
        "i wish",
        "我也想",
        "我很想",
        "我也很想",
        "真想",
    ];
    if WISHES.iter().any(|w| clause.contains(w)) {
        let rest = s.get(clause_end..).unwrap_or("");
        // "but" as a word ("button" holds none).
        let turn = ["but", "但", "可惜", "不过", "可是"]
            .iter()
            .filter_map(|t| {
                rest.match_indices(t)
                    .find(|(at, _)| {
                        !t.is_ascii()
                            || (!rest[..*at].ends_with(|c: char| c.is_ascii_alphabetic())
                                && !rest[at + t.len()..].starts_with(|c: char| c.is_ascii_alphabetic()))
                    })
                    .map(|(at, _)| (at, t.len()))
            })
            .min();
        if let Some((t, len)) = turn {
            let after = &rest[t..];
            // What follows the "but" may already be blanked as an unknown ("I don't have any coupon information").
            let blanked = !after[len..].chars().any(char::is_alphanumeric);
            let denied =
                blanked || ["n't", "no ", "not ", "nothing", "没有", "没", "不"].iter().any(|n| after.contains(n));
            if denied {
                return true;
            }
        }
    }
    // "No interest-free instalments": a claim word before the claim is denied with it.
    for qualifier in ["interest-free ", "interest free "] {
        if before.ends_with(qualifier) {
            return negated(s, at - qualifier.len());
        }
    }
    let start = before.char_indices().rev().nth(15).map_or(0, |(i, _)| i);
    // An article or a qualifier may stand between the denial and the claim: "not a flash sale", 不是限时秒杀.
    let mut near = &before[start..];
    while let Some(shorter) =
        ["a ", "an ", "any ", "real ", "限时", "什么", "任何"].iter().find_map(|w| near.strip_suffix(w))
    {
        near = shorter;
    }
    // A Chinese denial stands right before the phrase, with at most 任何 / 什么 / 的 between (没有任何赠品): 无门槛买一送一
    // ("BOGO with no threshold") and 没想到吧，买一送一 deny nothing.
    // 没写保修, 页面没提包邮: "not written", "not mentioned" deny as 没 does.
    // 冇送赠品 (read as 没送赠品), 没发券: "not given" denies too.
    let zh_near = near.trim_end_matches(['任', '何', '什', '么', '的', '写', '提', '标', '注', '送', '发']);
    // Longer English denials than the window holds: "isn't part of a bundle", "not included in any sale".
    let wide_start = before.char_indices().rev().nth(23).map_or(0, |(i, _)| i);
    let mut wide = &before[wide_start..];
    while let Some(shorter) = ["a ", "an ", "any ", "the "].iter().find_map(|w| wide.strip_suffix(w)) {
        wide = shorter;
    }
    if ["isn't part of ", "not part of ", "isn't on ", "not on ", "isn't included in ", "not included in "]
        .iter()
        .any(|cue| wide.ends_with(cue))
    {
        return true;
    }
    CUES.iter().any(|cue| if cue.is_ascii() { near.ends_with(cue) } else { zh_near.ends_with(cue) })
        && !["不要", "别", "don't miss", "不会没有"].iter().any(|imperative| near.contains(imperative))
}
