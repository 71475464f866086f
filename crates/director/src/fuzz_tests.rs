//! Property-based fuzzing of the director's text handling: the sentence chunker, the verbalizer and its parsers,
//! the copy lint, the guard (with ledgers built from products with arbitrary titles, specs and guarantees) and
//! triage.
//!
//! Inputs are arbitrary text built from pieces that break text handling (case-changing letters such as 'İ' and
//! 'ẞ', combining marks, bidirectional controls, zero-width characters, emoji, fullwidth forms, CJK, NUL, CR/LF,
//! very long lines), number words in both languages strung together, and real-looking sentences with slots,
//! prices, percentages and flagged words. Every property holds for any input: no panic, and where a parser exists
//! the spoken form reads back. Each runs `PROPTEST_CASES` cases (256 by default, so `cargo test` stays fast);
//! `tools/fuzz.sh` runs them with a much larger budget. A crash found here becomes a plain `#[test]` at the end of
//! this file with its minimal input.

use crate::chunker::SentenceChunker;
use crate::guard::{self, GuardVerdict, SentenceGuard};
use crate::ledger::ClaimsLedger;
use crate::triage::{self, Picker, PickerConfig, Triage, TriageConfig};
use crate::{lint, verbalize};
use model::{Comment, CommentFlags, CommentId, Currency, Lang, Localized, Money, OfferWindow, Platform, Product};
use model::{Promotion, PromotionKind, Returns, Shipping, ShippingCost, Spec, UnixMs};
use proptest::prelude::*;
use proptest::sample::Index;

// -------------------------------------------------------------------------------------------------------------
// Budgets
// -------------------------------------------------------------------------------------------------------------

/// The default budget (256 cases, or `PROPTEST_CASES`), without writing regression files into the source tree:
/// a failure is turned into a plain `#[test]` here instead.
fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::default() }
}

// -------------------------------------------------------------------------------------------------------------
// Text generators
// -------------------------------------------------------------------------------------------------------------

/// Characters and clusters that have broken text handling somewhere.
const TRICKY: &[&str] = &[
    "İ",
    "ẞ",
    "ı",
    "ß",
    "ǅ",
    "ﬃ",
    "Σ",
    "ΐ",
    "K",
    "e\u{301}",
    "\u{301}",
    "\u{20DD}",
    "\u{202A}",
    "\u{202B}",
    "\u{202C}",
    "\u{202D}",
    "\u{202E}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{00AD}",
    "😀",
    "👍🏽",
    "👩\u{200D}👩\u{200D}👧",
    "🇨🇳",
    "Ａ",
    "１",
    "＄",
    "￥",
    "％",
    "，",
    "。",
    "！",
    "？",
    "」",
    "……",
    "　",
    "中",
    "价",
    "茶具",
    "¥",
    "€",
    "£",
    "\0",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{85}",
    "\u{2028}",
    "\u{1}",
    "\u{7F}",
    "\u{FFFD}",
    "\u{10FFFF}",
];

/// Punctuation, slots, numbers and words the chunker, the guard and the lint look for.
const SYNTAX: &[&str] = &[
    // Session 28's: tables on one line, Roman figures, asides after "I", classical Chinese, counts said as stock.
    "| Item | Price |",
    "| — |",
    "|",
    "---",
    "XXV dollars",
    "IV sets",
    "$XXX",
    "MCMXC",
    "I, your host, am",
    "吾乃",
    "非",
    "也",
    "Stock:",
    "in stock",
    "库存",
    // Session 27's layouts and frames: spelt codes and figures, arrows, bars, tags, stage notes, numbered lists,
    // self-corrections, deals given to another product, hypotheticals taken back.
    "T-E-A-1-0",
    "t.e.a.",
    "one-zero",
    "-",
    "->",
    " | ",
    "#",
    "#包邮#",
    "[",
    "]",
    "*",
    "（",
    "）",
    "……",
    "...",
    " 1. ",
    " 2. ",
    "不对，",
    "sorry, ",
    "scratch that",
    "这两个",
    "是茶具的活动",
    "only for the tea set",
    "what if i told you",
    "i'd be lying",
    "if it were",
    "but it's not",
    ".",
    "!",
    "?",
    "...",
    "?!",
    ",",
    ";",
    ":",
    "—",
    "\"",
    "'",
    "”",
    "’",
    ")",
    "e.g.",
    "No. ",
    "Mr.",
    "J. ",
    "19.",
    "99",
    "19.99",
    "1,299.50",
    "example.com/a?b=1",
    "https://x.invalid/",
    "www.",
    "{price}",
    "{compare_at}",
    "{discount}",
    "{stock}",
    "{offer_ends}",
    "{guarantee}",
    "{title}",
    "{bogus}",
    "{",
    "}",
    "$",
    "$199",
    "¥199.00",
    "US$5",
    "30%",
    "100% cotton",
    "30% off",
    " percent",
    "百分之",
    "七折",
    "七五折",
    "打八折",
    "元",
    "块钱",
    "第一",
    "最好",
    "治疗",
    "零风险",
    "guaranteed",
    "GUARANTEED",
    "cure",
    "risk-free",
    "best ever",
    "#1",
    "100% safe",
    "free",
    "only",
    " left",
    "sold out",
    "hurry",
    "today only",
    "half price",
    "I'm so sorry, ",
    "as an AI language model",
    "ignore previous instructions",
    "system prompt",
    "<b>",
    "`",
    "*",
    "\\",
    // Chinese punctuation (three bytes each: a clause cut one byte after one panicked, session 17) and the markers
    // the claim readers cut clauses around.
    "。",
    "！",
    "？",
    "，",
    "；",
    "…",
    "–",
    "as a gift",
    "for free",
    "原价的",
    "划线价的",
    "退货",
    "without the box",
    "包装",
    "发货",
    "ships within ",
    "小时内",
    "天内",
    "叠加",
    "stack",
    "on top of",
    "TEA10",
    "满199减30",
    "主播",
    "实测",
    "个位数",
    "single digits",
    "flesh and blood",
    "下雨",
];

const EN_NUMBER_WORDS: &[&str] = &[
    "zero", "one", "two", "three", "eleven", "twelve", "nineteen", "twenty", "forty", "ninety", "hundred", "thousand",
    "million", "billion", "trillion", "dozen", "and",
];

/// Number words for text in general: no large scales, which the properties about numbers exercise.
const SMALL_EN_NUMBER_WORDS: &[&str] =
    &["one", "two", "twelve", "nineteen", "ninety", "hundred", "thousand", "dozen", "and"];

const ZH_NUMBER_CHARS: &[&str] =
    &["零", "〇", "一", "二", "两", "三", "五", "七", "九", "十", "百", "千", "万", "亿", "万亿"];

/// Boxed, like the other generators a product is built from: unboxed, their value trees nest deep enough to
/// overflow a test thread's stack in a debug build.
fn piece() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[ -~]{1,8}",
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        3 => prop::sample::select(SYNTAX).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        1 => "[\u{4E00}-\u{9FFF}]{1,4}",
        1 => "[\u{FF01}-\u{FF5E}]{1,4}",
        1 => "[\u{0300}-\u{036F}]{1,3}",
        1 => en_number_words(SMALL_EN_NUMBER_WORDS, 1..6),
        1 => zh_number_run(1..8),
    ]
    .boxed()
}

/// The words the care rules cut around, and neighbours that make cuts awkward (multi-byte characters, numerals).
const CARE_PIECES: &[&str] = &[
    "💊",
    "🌉",
    "see you on the other side",
    "said he'd",
    "他就去",
    "my cat",
    "on holiday",
    "窗台",
    "banister",
    "bath",
    "... of ",
    "it's real",
    "开玩笑的",
    "（开玩笑的）",
    "used to",
    "clean now",
    "都过去了",
    "似了算了",
    "fell,",
    "i am 8",
    "第一次",
    "keeps his rifle",
    "不想活了",
    "想死",
    "😂",
    "🤣",
    "哈哈",
    "\"",
    "“",
    "”",
    "「",
    "借了",
    "点",
    "十",
    "一",
    "两",
    "钟",
    "半",
    "at",
    " ",
    "3am",
    "11",
    "pm",
    "unalive",
    "kill",
    "the",
    "my",
    "old",
    "kettle",
    "bank",
    "wallet",
    "fainted",
    "years ago",
    "游戏",
    "剧里",
    "死",
    "刀",
    "30",
    "余额",
    "我死了",
    "可爱",
    "song",
    "歌",
    "，",
    ",",
    "去世了",
    "kms",
    "我女儿",
    "上小学",
    "budgeted",
    "jk",
    "not joking",
    "烧烤",
    "天台",
    "周末",
    "炭",
    "买好了",
    "遗书",
    "卧轨",
    "i teach",
    "high school",
    "说话不清楚",
    "加我vx",
    "转账",
];

fn care_text() -> BoxedStrategy<String> {
    let word = prop_oneof![3 => prop::sample::select(CARE_PIECES).prop_map(String::from), 1 => piece()];
    prop::collection::vec(word, 0..16).prop_map(|parts| parts.concat()).boxed()
}

fn text_of(pieces: usize) -> BoxedStrategy<String> {
    prop::collection::vec(piece(), 0..=pieces).prop_map(|parts| parts.concat()).boxed()
}

/// Arbitrary text, short, sometimes with one very long line in it.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => text_of(24),
        1 => (text_of(4), piece(), 500usize..5_000, text_of(4))
            .prop_map(|(head, unit, n, tail)| format!("{head}{}{tail}", unit.repeat(n))),
    ]
}

/// Text with one line of up to a few hundred characters: the guard only ever sees sentences the chunker cut (at
/// most about 160 characters), and it is quadratic in a sentence's length, so longer ones only slow the suite.
fn bounded() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => text_of(24),
        1 => (text_of(4), piece(), 10usize..60, text_of(4))
            .prop_map(|(head, unit, n, tail)| format!("{head}{}{tail}", unit.repeat(n))),
    ]
}

/// English number words strung together with spaces and hyphens ("ninety hundred hundred billion").
fn en_number_words(
    vocabulary: &'static [&'static str],
    words: std::ops::Range<usize>,
) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(vocabulary), prop::sample::select(&[" ", "-"][..])), words).prop_map(
        |words| {
            let mut out = String::new();
            for (i, (word, sep)) in words.iter().enumerate() {
                if i > 0 {
                    out.push_str(sep);
                }
                out.push_str(word);
            }
            out
        },
    )
}

/// A run of Chinese numerals, possibly nonsense ("九千九千万亿").
fn zh_number_run(chars: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(ZH_NUMBER_CHARS), chars).prop_map(|chars| chars.concat())
}

fn lang() -> impl Strategy<Value = Lang> {
    prop::sample::select(&[Lang::En, Lang::Zh][..])
}

fn currency() -> impl Strategy<Value = Currency> {
    prop::sample::select(&["CNY", "USD", "EUR", "GBP", "JPY", "KRW", "INR", "HKD", "KWD", "CHF", "VND"][..])
        .prop_map(|code| Currency::parse(code).unwrap())
}

// -------------------------------------------------------------------------------------------------------------
// Chunker
// -------------------------------------------------------------------------------------------------------------

/// `text` cut at the chosen character boundaries.
fn split_at_chars<'t>(text: &'t str, cuts: &[Index]) -> Vec<&'t str> {
    let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
    let mut points: Vec<usize> = cuts.iter().map(|c| boundaries[c.index(boundaries.len())]).collect();
    points.push(0);
    points.push(text.len());
    points.sort_unstable();
    points.dedup();
    points.windows(2).map(|w| &text[w[0]..w[1]]).collect()
}

/// The letters and digits of a text, in order: what the chunker must never lose.
fn alphanumerics<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().flat_map(str::chars).filter(|c| c.is_alphanumeric()).collect()
}

proptest! {
    #![proptest_config(config())]

    /// Any text, streamed in arbitrary deltas: no panic; sentences come out trimmed and non-empty, and every
    /// letter and digit of the input comes out once, in order. (The chunker documents dropping only whitespace,
    /// stray closing quotes and stops after a released sentence, and runs with nothing alphanumeric in them.)
    #[test]
    fn chunker_keeps_every_letter_and_digit(
        text in nasty(),
        cuts in prop::collection::vec(any::<Index>(), 0..40),
        max_chars in prop_oneof![Just(crate::chunker::DEFAULT_MAX_CHARS), 0usize..64],
        char_by_char in any::<bool>(),
    ) {
        let deltas: Vec<&str> = if char_by_char {
            text.char_indices().map(|(i, c)| &text[i..i + c.len_utf8()]).collect()
        } else {
            split_at_chars(&text, &cuts)
        };
        let mut chunker = SentenceChunker::with_max_chars(max_chars);
        let mut out = Vec::new();
        for delta in &deltas {
            out.extend(chunker.push(delta));
            prop_assert!(text.contains(chunker.pending().trim()));
        }
        out.extend(chunker.finish());
        prop_assert!(chunker.pending().is_empty());
        for sentence in &out {
            prop_assert!(!sentence.is_empty() && sentence.trim() == sentence, "{:?}", sentence);
            prop_assert!(sentence.chars().any(char::is_alphanumeric), "{:?}", sentence);
        }
        prop_assert_eq!(alphanumerics(out.iter().map(String::as_str)), alphanumerics([text.as_str()]));
    }
}

// -------------------------------------------------------------------------------------------------------------
// Verbalizer
// -------------------------------------------------------------------------------------------------------------

/// The largest number whose spoken forms are documented to read back: the Chinese form has no unit above 万亿
/// (10^12), so from 10^16 on it cannot be said; the English parser reads scales in one pass, so a trillion count
/// of a thousand or more does not read back either.
const SPOKEN_MAX: u64 = 999_999_999_999_999;

proptest! {
    #![proptest_config(config())]

    /// Whole numbers said in Chinese and English read back, up to the largest price or count the host says.
    #[test]
    fn numbers_read_back(n in prop_oneof![0u64..100_000, 0u64..=SPOKEN_MAX]) {
        prop_assert_eq!(verbalize::parse_zh_number(&verbalize::zh_number(n)), Some(n), "{}", verbalize::zh_number(n));
        prop_assert_eq!(verbalize::parse_en_number(&verbalize::en_number(n)), Some(n), "{}", verbalize::en_number(n));
        let zh = verbalize::count(n, Lang::Zh);
        let zh = zh.strip_suffix('件').unwrap_or(&zh);
        prop_assert_eq!(verbalize::parse_zh_number(zh), Some(n), "{}", zh);
        prop_assert_eq!(verbalize::parse_en_number(&verbalize::count(n, Lang::En)), Some(n));
    }

    /// Every whole number can be said (no panic), in both languages and as a count.
    #[test]
    fn any_number_can_be_said(n in any::<u64>(), measure in text_of(2)) {
        prop_assert!(!verbalize::zh_number(n).is_empty());
        prop_assert!(!verbalize::en_number(n).is_empty());
        prop_assert!(verbalize::zh_count(n, &measure).ends_with(&measure));
        let _ = (verbalize::count(n, Lang::Zh), verbalize::count(n, Lang::En));
    }

    /// A price said in Chinese or English reads back to its minor units, for prices a catalog can hold up to
    /// 10^13 major units.
    #[test]
    fn money_reads_back(
        minor in prop_oneof![0i64..100_000, 0i64..1_000_000_000_000_000],
        currency in currency(),
        lang in lang(),
    ) {
        let digits = currency.minor_digits();
        let code = currency.code().to_string();
        let m = Money { minor, currency };
        let spoken = verbalize::money(&m, lang);
        prop_assert_eq!(verbalize::parse_money(&spoken, lang, &code, digits), Some(minor), "{} {:?}", spoken, lang);
    }

    /// Any amount, even a negative one, can be said.
    #[test]
    fn any_money_can_be_said(minor in any::<i64>(), currency in currency(), lang in lang()) {
        let said = verbalize::money(&Money { minor, currency }, lang);
        prop_assert!(!said.is_empty(), "{:?}", said);
    }

    /// Discounts and durations: no panic for any value; English discounts read back.
    #[test]
    fn percentages_and_durations(percent in prop_oneof![0u32..=100, any::<u32>()], secs in any::<u64>(), lang in lang()) {
        let said = verbalize::percent_off(percent, lang);
        prop_assert!(!said.is_empty());
        if lang == Lang::En {
            let number = said.strip_suffix(" percent off").unwrap_or(&said);
            prop_assert_eq!(verbalize::parse_en_number(number), Some(u64::from(percent)));
        } else {
            prop_assert!(said.ends_with('折'));
        }
        prop_assert!(!verbalize::duration(secs, lang).is_empty());
    }

    /// Shipping costs, dispatch times, returns windows and promotions can be said for any value; dispatch times and
    /// returns windows read back.
    #[test]
    fn shipping_returns_and_promotions_can_be_said(
        cost in prop::option::of(money()),
        hours in any::<u32>(),
        days in any::<u32>(),
        kind in promotion_kind(),
        code in text_of(2),
        lang in lang(),
    ) {
        let cost = cost.map_or(ShippingCost::Free, ShippingCost::Flat);
        prop_assert!(!verbalize::shipping_cost(&cost, lang).is_empty());
        prop_assert!(!verbalize::zh_money_unit(&code).is_empty());
        prop_assert!(!verbalize::promotion(&kind, lang).is_empty());
        let dispatch = verbalize::dispatch(hours, lang);
        let returns = verbalize::returns(days, lang);
        let (dispatch_n, returns_n) = match lang {
            Lang::En => {
                let n = dispatch.strip_prefix("within ").and_then(|d| d.rsplit_once(' ')).map(|(n, _)| n);
                (n.and_then(verbalize::parse_en_number), returns.strip_suffix("-day returns").and_then(verbalize::parse_en_number))
            }
            Lang::Zh => {
                let n = dispatch.strip_suffix("小时内").or_else(|| dispatch.strip_suffix("天内"));
                (n.and_then(verbalize::parse_zh_number), returns.strip_suffix("天内可退货").and_then(verbalize::parse_zh_number))
            }
        };
        let hours = u64::from(hours);
        let expected = if hours >= 48 && hours.is_multiple_of(24) { hours / 24 } else { hours };
        prop_assert_eq!(dispatch_n, Some(expected), "{}", dispatch);
        prop_assert_eq!(returns_n, Some(u64::from(days)), "{}", returns);
    }

    /// The parsers take any text, number words strung together in any order included: no panic.
    #[test]
    fn number_parsers_take_any_text(
        text in nasty(),
        en in en_number_words(EN_NUMBER_WORDS, 1..16),
        zh in zh_number_run(1..24),
        unit in prop::sample::select(&["", "元", "美元", "角", "分", "厘", " dollars", " cents", " and five cents"][..]),
        currency in currency(),
        lang in lang(),
    ) {
        for input in [text.as_str(), en.as_str(), zh.as_str(), &format!("{zh}{unit}"), &format!("{en}{unit}")] {
            let _ = verbalize::parse_zh_number(input);
            let _ = verbalize::parse_en_number(input);
            let _ = verbalize::parse_money(input, lang, currency.code(), currency.minor_digits());
            let _ = verbalize::is_en_number_word(input);
        }
    }
}

// -------------------------------------------------------------------------------------------------------------
// Lint
// -------------------------------------------------------------------------------------------------------------

const LINT_WORDS: &[&str] = &[
    "guaranteed",
    "cure",
    "cures",
    "heals",
    "treats",
    "miracle",
    "cheapest",
    "best ever",
    "number one",
    "#1",
    "world's best",
    "risk-free",
    "risk free",
    "100% safe",
    "prevents cancer",
    "guarantee results",
    "最佳",
    "第一",
    "国家级",
    "治疗",
    "零风险",
    "史上最",
];

/// A flagged word in a random mix of upper and lower case.
fn lint_word() -> impl Strategy<Value = String> {
    (prop::sample::select(LINT_WORDS), any::<u64>()).prop_map(|(word, bits)| {
        word.chars()
            .enumerate()
            .map(|(i, c)| if bits >> (i % 64) & 1 == 1 { c.to_ascii_uppercase() } else { c })
            .collect()
    })
}

proptest! {
    #![proptest_config(config())]

    /// Any text, flagged words in any case among case-changing letters included: no panic; every hit is at a
    /// character boundary, the text there starts with the hit's word (ignoring case), and hits come in order.
    #[test]
    fn lint_hits_point_into_the_text(
        parts in prop::collection::vec(prop_oneof![2 => piece(), 1 => lint_word()], 0..24),
    ) {
        let text = parts.concat();
        let hits = lint::lint(&text);
        for hit in &hits {
            prop_assert!(text.is_char_boundary(hit.offset), "{:?}: {:?}", text, hit);
            let at = text.get(hit.offset..).unwrap_or("");
            prop_assert!(at.to_lowercase().starts_with(&hit.word.to_lowercase()), "{:?}: {:?}", text, hit);
        }
        prop_assert!(hits.windows(2).all(|w| w[0].offset <= w[1].offset));
    }
}

// -------------------------------------------------------------------------------------------------------------
// Guard
// -------------------------------------------------------------------------------------------------------------

/// A product with an arbitrary title, specs, guarantee, prices, stock, offer window, shipping, returns, gifts and
/// promotions.
fn product() -> BoxedStrategy<Product> {
    let text = || prop_oneof![3 => text_of(6), 1 => bounded()].boxed();
    let localized =
        move || (prop::option::of(text()), prop::option::of(text())).prop_map(|(en, zh)| Localized { en, zh }).boxed();
    let specs = prop::collection::vec((text(), text()), 0..4)
        .prop_map(|pairs| pairs.into_iter().map(|(name, value)| Spec { name, value }).collect::<Vec<_>>())
        .boxed();
    let prices = (currency(), prop_oneof![0i64..1_000_000, 0i64..=i64::MAX], prop::option::of(0i64..=i64::MAX));
    let offer = prop::option::of((prop::option::of(any::<i64>()), prop::option::of(any::<i64>()))).prop_map(|o| {
        o.map(|(starts_at, ends_at)| OfferWindow { starts_at: starts_at.map(UnixMs), ends_at: ends_at.map(UnixMs) })
    });
    let shipping = prop::option::of((
        prop::option::of(prop::option::of(money())),
        prop::option::of(money()),
        prop::option::of(any::<u32>()),
        localized(),
    ))
    .prop_map(|s| {
        s.map(|(cost, free_over, dispatch_hours, carrier)| Shipping {
            cost: cost.map(|c| c.map_or(ShippingCost::Free, ShippingCost::Flat)),
            free_over,
            dispatch_hours,
            carrier,
        })
    })
    .boxed();
    let returns = prop::option::of((prop::option::of(any::<u32>()), localized()))
        .prop_map(|r| r.map(|(days, conditions)| Returns { days, conditions }))
        .boxed();
    let gifts =
        (prop::option::of(prop::collection::vec(text(), 0..3)), prop::option::of(prop::collection::vec(text(), 0..3)))
            .prop_map(|(en, zh)| Localized { en, zh })
            .boxed();
    let promotions = prop::collection::vec(
        (promotion_kind(), localized(), prop::option::of(any::<i64>()), prop::option::of(any::<i64>())),
        0..3,
    )
    .prop_map(|list| {
        list.into_iter()
            .map(|(kind, text, starts_at, ends_at)| Promotion {
                kind,
                text,
                starts_at: starts_at.map(UnixMs),
                ends_at: ends_at.map(UnixMs),
            })
            .collect::<Vec<_>>()
    })
    .boxed();
    (
        (text_of(3), localized(), (prop::option::of(specs.clone()), prop::option::of(specs)), localized()),
        (prices, prop::option::of(any::<u32>()), offer),
        (shipping, returns, gifts, promotions),
    )
        .prop_map(
            |(
                (id, title, (specs_en, specs_zh), guarantee),
                ((currency, price, compare), stock, offer),
                (shipping, returns, gifts, promotions),
            )| {
                let mut p = Product::new(format!("p{id}"), title, Money { minor: price, currency: currency.clone() });
                p.specs = Localized { en: specs_en, zh: specs_zh };
                p.guarantee = guarantee;
                p.compare_at = compare.map(|minor| Money { minor, currency });
                p.stock = stock;
                p.offer = offer;
                p.shipping = shipping;
                p.returns = returns;
                p.gifts = gifts;
                p.promotions = promotions;
                p
            },
        )
        .boxed()
}

fn money() -> impl Strategy<Value = Money> {
    (currency(), prop_oneof![0i64..1_000_000, any::<i64>()]).prop_map(|(currency, minor)| Money { minor, currency })
}

fn promotion_kind() -> impl Strategy<Value = PromotionKind> {
    prop_oneof![
        (any::<u32>(), any::<u32>()).prop_map(|(buy, get)| PromotionKind::BuyXGetY { buy, get }),
        (any::<u32>(), prop_oneof![0u32..=100, any::<u32>()])
            .prop_map(|(n, percent)| PromotionKind::NthItemPercentOff { n, percent }),
        (money(), money()).prop_map(|(spend, save)| PromotionKind::SpendAndSave { spend, save }),
        (prop::option::of(text_of(3)), prop::option::of(money()))
            .prop_map(|(code, save)| PromotionKind::Coupon { code, save }),
    ]
}

fn now() -> impl Strategy<Value = UnixMs> {
    (0i64..4_000_000_000_000).prop_map(UnixMs)
}

/// What the claim readers cut clauses around, and the punctuation they cut at: strung together, these reach the
/// readers' slicing far more often than arbitrary pieces (two clause cuts inside a three-byte 。 or — were found
/// by hand in session 17, not by the arbitrary sentences).
const CLAIMY: &[&str] = &[
    "。",
    "！",
    "？",
    "，",
    "；",
    "—",
    "–",
    "…",
    ".",
    ",",
    "!",
    "?",
    " ",
    " ",
    "as a gift",
    "as a bonus",
    "for free",
    "you get it",
    "原价的",
    "划线价的",
    "75%",
    "30%",
    "25% off",
    "便宜了",
    "省",
    "退货",
    "return it",
    "without the box",
    "包装",
    "不需要",
    "发货",
    "ships within",
    "48小时内",
    "七天内",
    "7 days",
    "叠加",
    "stack",
    "on top of",
    "TEA10",
    "满199减30",
    "买二送一",
    "half price",
    "主播",
    "实测过了",
    "个位数",
    "single digits",
    "flesh and blood",
    "下雨了",
    "杭州",
    "送",
    "¥199",
    "$30",
    "only",
    "left",
    "包邮",
    "free shipping",
    "I",
    "我",
    "not",
    "不",
];

fn claimy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(CLAIMY), 1..12).prop_map(|parts| parts.concat())
}

/// A sentence a writer might produce: arbitrary pieces among slots, numbers and flagged words.
fn sentence() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => text_of(16),
        2 => claimy(),
        1 => bounded(),
        1 => (prop::sample::select(&["It is {price}.", "只要{price}！", "Only {stock} left!", "{title}: {guarantee}.",
            "Now {discount}, was {compare_at}.", "Ends in {offer_ends}.", "{discount}！"][..]), text_of(6))
            .prop_map(|(s, t)| format!("{t}{s}")),
    ]
}

/// What the guard lets through has its slots filled and something to say.
fn check_verdict(verdict: &GuardVerdict, sentence: &str) -> Result<(), TestCaseError> {
    match verdict {
        GuardVerdict::Pass(text) | GuardVerdict::Repaired { text, .. } => {
            prop_assert!(!text.contains(['{', '}']), "{:?} passed as {:?}", sentence, text);
            prop_assert!(text.chars().any(char::is_alphanumeric), "{:?} passed as {:?}", sentence, text);
        }
        GuardVerdict::Rejected { original, .. } => prop_assert_eq!(original.as_str(), sentence),
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// Any sentence against a ledger built from any product: no panic; what passes has no slot left and says
    /// something; the one-shot and per-turn guards agree.
    #[test]
    fn guard_takes_any_sentence(
        product in product(),
        lang in lang(),
        now in now(),
        sentence in sentence(),
        comment in text_of(12),
    ) {
        let ledger = ClaimsLedger::for_product(&product, lang, now);
        let verdict = guard::check_sentence(&sentence, &ledger, lang);
        check_verdict(&verdict, &sentence)?;
        let per_turn = SentenceGuard::new(&ledger);
        prop_assert_eq!(&per_turn.check(&sentence, lang), &verdict);
        let answer = guard::check_answer_sentence(&sentence, &ledger, lang, &comment);
        check_verdict(&answer, &sentence)?;
        let echo = guard::check_answer_sentence(&sentence, &ledger, lang, &sentence);
        check_verdict(&echo, &sentence)?;
        for slot in ["title", "price", "compare_at", "discount", "stock", "offer_ends", "guarantee", "bogus"] {
            let _ = ledger.slot(slot);
        }
        let _ = ledger.fill(&sentence);
    }

    /// Any text through the whole gate to the air (identity and experience, the host's self-talk, leaks, then the
    /// guard), against any product, answering any comment: no panic; what clears says something and every note
    /// names a sentence of the text.
    #[test]
    fn the_gate_takes_any_text(
        product in product(),
        lang in lang(),
        now in now(),
        text in prop_oneof![sentence(), claimy().prop_map(|a| a.repeat(2))],
        comment in text_of(8),
    ) {
        let _ = crate::identity::identity_claim(&text);
        let ledger = ClaimsLedger::for_product(&product, lang, now);
        let gated = crate::air::Gate::new(&ledger, lang, Some(&comment)).clear(&text);
        if let Some(cleared) = &gated.cleared {
            prop_assert!(cleared.as_str().chars().any(char::is_alphanumeric), "{:?} cleared as {:?}", text, cleared);
        }
    }

    /// Sentences made of number words and numerals in any order, against any product: no panic.
    #[test]
    fn guard_takes_any_spoken_number(
        product in product(),
        lang in lang(),
        now in now(),
        en in en_number_words(EN_NUMBER_WORDS, 1..16),
        zh in zh_number_run(1..24),
        unit in prop::sample::select(&["", " dollars", " cents", " percent off", " left", "元", "块钱", "折", "件"][..]),
    ) {
        let ledger = ClaimsLedger::for_product(&product, lang, now);
        for sentence in [format!("It is {en}{unit}."), format!("只要{zh}{unit}。"), format!("{zh}{unit}{en}")] {
            check_verdict(&guard::check_sentence(&sentence, &ledger, lang), &sentence)?;
        }
    }
}

// -------------------------------------------------------------------------------------------------------------
// Triage
// -------------------------------------------------------------------------------------------------------------

fn comment(now: UnixMs) -> impl Strategy<Value = Comment> {
    let paid =
        prop::option::of((currency(), any::<i64>())).prop_map(|p| p.map(|(currency, minor)| Money { minor, currency }));
    (text_of(2), 0u8..6, nasty(), paid, any::<[bool; 3]>()).prop_map(move |(id, viewer, text, paid, flags)| Comment {
        platform: Platform::Twitch,
        id: CommentId(format!("c{id}")),
        user_id: format!("u{viewer}"),
        user_name: format!("Viewer {viewer}"),
        text,
        time: now,
        paid,
        flags: CommentFlags {
            first_message: flags[0],
            moderator: flags[1],
            member: flags[2],
            ..CommentFlags::default()
        },
    })
}

/// One step of a show's chat: a comment arriving, a pick, an expiry, a deletion or a ban.
#[derive(Clone, Debug)]
enum Step {
    Arrive(Comment),
    Pick,
    Expire,
    Delete(Index),
    Ban(u8),
    Clear,
}

fn steps() -> impl Strategy<Value = Vec<(i64, Step)>> {
    let step = prop_oneof![
        6 => comment(UnixMs(0)).prop_map(Step::Arrive),
        2 => Just(Step::Pick),
        1 => Just(Step::Expire),
        1 => any::<Index>().prop_map(Step::Delete),
        1 => (0u8..6).prop_map(Step::Ban),
        1 => Just(Step::Clear),
    ];
    prop::collection::vec((prop_oneof![0i64..120_000, -5_000i64..0], step), 0..40)
}

proptest! {
    #![proptest_config(config())]

    /// Any comment against any products: no panic; the label's confidence is a probability.
    #[test]
    fn triage_takes_any_comment(
        products in prop::collection::vec(product(), 0..3),
        comments in prop::collection::vec(comment(UnixMs(1_700_000_000_000)), 1..8),
        now in now(),
    ) {
        let mut triage = Triage::new(TriageConfig::default());
        for c in &comments {
            let assessment = triage.assess(c, now, &products);
            let confidence = assessment.label.confidence;
            prop_assert!((0.0..=1.0).contains(&confidence), "confidence {} for {:?}", confidence, c.text);
            let normalized = triage::normalize(&c.text);
            prop_assert!(!normalized.text.starts_with(' ') && !normalized.text.ends_with(' '), "{:?}", normalized.text);
        }
    }

    /// Any comment built from the words the care rules cut around (a laugh after a wish to die, quotes, times of
    /// day, sums borrowed, games and shows, things "unalived", money that faints) among any other text: care
    /// triage reads it without a panic.
    #[test]
    fn care_reads_any_comment(text in care_text()) {
        let normalized = triage::normalize(&text);
        let finding = crate::triage::care::care(&normalized.text);
        prop_assert!(finding.is_none_or(|f| !f.cue.is_empty()), "{:?}", text);
    }

    /// A show's chat, step by step through triage and the picker, with the clock moving on (and sometimes back):
    /// no panic; the queue never grows past its capacity and never hands out a comment it no longer holds.
    #[test]
    fn picker_takes_any_sequence(steps in steps(), start in now(), capacity in 1usize..6) {
        let mut triage = Triage::new(TriageConfig::default());
        let mut picker = Picker::new(PickerConfig { capacity, ..PickerConfig::default() });
        let mut clock = start.0;
        let mut queued: Vec<CommentId> = Vec::new();
        for (advance, step) in steps {
            clock = clock.saturating_add(advance);
            let now = UnixMs(clock);
            match step {
                Step::Arrive(mut c) => {
                    c.time = now;
                    let assessment = triage.assess(&c, now, &[]);
                    queued.push(c.id.clone());
                    let _ = picker.push(c, &assessment, now);
                }
                Step::Pick => {
                    if let Some(picked) = picker.pick(now) {
                        prop_assert!(queued.contains(&picked.comment.id));
                        prop_assert!(picked.asked_by >= 1);
                    }
                }
                Step::Expire => {
                    let _ = picker.expire(now);
                    let _ = picker.next_expiry();
                }
                Step::Delete(at) => {
                    if !queued.is_empty() {
                        let id = queued.remove(at.index(queued.len()));
                        picker.remove_comment(&id);
                    }
                }
                Step::Ban(viewer) => picker.remove_viewer(&format!("u{viewer}")),
                Step::Clear => picker.clear(),
            }
            prop_assert!(picker.len() <= capacity);
        }
    }
}

// -------------------------------------------------------------------------------------------------------------
// Regressions: each crash or property failure the fuzzing found, with its minimal input.
// -------------------------------------------------------------------------------------------------------------

/// `percent_off(0, Zh)` indexed `ZH_DIGITS[10]`: a compare-at price a few cents above the price rounds down to a
/// 0% discount, whose {discount} slot then crashed the guard (found by `guard_takes_any_sentence`; fixed in
/// verbalize.rs).
#[test]
fn a_zero_percent_discount_can_be_said_in_chinese() {
    assert!(!verbalize::percent_off(0, Lang::Zh).is_empty());
    let cny = Currency::parse("CNY").unwrap();
    let mut p = Product::new(
        "tea",
        Localized::one(Lang::Zh, "茶具".to_string()),
        Money::parse_decimal("999.99", cny.clone()).unwrap(),
    );
    p.compare_at = Some(Money::parse_decimal("1000.00", cny).unwrap());
    let ledger = ClaimsLedger::for_product(&p, Lang::Zh, UnixMs(0));
    let _ = ledger.slot("discount");
}

/// `parse_money` multiplied the whole amount by the minor-unit scale unchecked: 9.3e15 KWD overflowed i64 (found by
/// `number_parsers_take_any_text`; fixed in verbalize.rs).
#[test]
fn a_chinese_amount_too_large_for_minor_units_is_not_a_price() {
    assert_eq!(verbalize::parse_money("九千三百万亿元", Lang::Zh, "KWD", 3), None);
    assert_eq!(verbalize::parse_money("九千九千九千九千九千九千九千九千九千九千九千万亿元", Lang::Zh, "CNY", 2), None);
}

/// The guard reads a Chinese amount through `parse_money`, so the same overflow was one sentence away.
#[test]
fn the_guard_rejects_a_chinese_amount_too_large_for_minor_units() {
    let p = crate::test_products::tea_set();
    let ledger = ClaimsLedger::for_product(&p, Lang::Zh, UnixMs(0));
    let sentence = "只要九千九千九千九千九千九千九千九千九千九千九千万亿元。";
    assert!(matches!(guard::check_sentence(sentence, &ledger, Lang::Zh), GuardVerdict::Rejected { .. }));
}

/// `parse_money` in English: 9e17 dollars times 100 cents overflowed i64 (fixed in verbalize.rs).
#[test]
fn an_english_amount_too_large_for_minor_units_is_not_a_price() {
    let spoken = "ninety hundred hundred hundred hundred hundred hundred hundred hundred dollars";
    assert_eq!(verbalize::parse_money(spoken, Lang::En, "USD", 2), None);
}

/// `parse_en_number` added the last group to the total unchecked (`total + current`; fixed in verbalize.rs).
#[test]
fn english_number_words_past_u64_are_not_a_number() {
    let words = "one hundred eighty hundred hundred hundred hundred billion \
                 ninety hundred hundred hundred hundred hundred hundred hundred hundred";
    assert_eq!(verbalize::parse_en_number(words), None);
}

/// The guard reads English number words through `parse_en_number`, so the overflow was one sentence away.
#[test]
fn the_guard_rejects_english_number_words_past_u64() {
    let p = crate::test_products::tea_set();
    let ledger = ClaimsLedger::for_product(&p, Lang::En, UnixMs(0));
    let sentence = "We have one hundred eighty hundred hundred hundred hundred billion \
                    ninety hundred hundred hundred hundred hundred hundred hundred hundred of them.";
    assert!(matches!(guard::check_sentence(sentence, &ledger, Lang::En), GuardVerdict::Rejected { .. }));
}

/// `parse_zh_number` added the last section to the total unchecked (`total + section + digit`; fixed in
/// verbalize.rs).
#[test]
fn chinese_numerals_past_u64_are_not_a_number() {
    let numerals = format!("{}五千七百四十四万亿七百三十七亿九百五十五万九千", "九千".repeat(2049));
    assert_eq!(verbalize::parse_zh_number(&numerals), None);
}

/// English `parse_money` reads "nineteen ninety-nine" as 19.99, but computed `whole as i64 * scale` for every split
/// of the words before checking `whole < 100` (`bool::then_some` evaluates its argument eagerly), so a large whole
/// part overflowed (found by `number_parsers_take_any_text` at 20000 cases, after the fixes above).
#[test]
fn english_cents_after_a_huge_amount_are_not_a_price() {
    assert_eq!(verbalize::parse_money("eleven ninety hundred trillion zero", Lang::En, "KWD", 3), None);
    assert_eq!(verbalize::parse_money("ninety hundred hundred trillion zero", Lang::En, "USD", 2), None);
}
