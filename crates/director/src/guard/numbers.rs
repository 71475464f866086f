//! The number lexer: numbers written in digits, Chinese numerals or English words, each classified by what it is
//! attached to (an amount of money, a percentage, a discount, a rank or a plain number).

use super::text::{fold_char, is_cjk_char};
use crate::verbalize;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MentionKind {
    Amount,
    Percent,
    ZhDiscount,
    /// A place among buyers (前一百名, "the first 100 buyers"): the condition of a promotion, not a count of goods.
    Rank,
    Number,
}

/// The unit of time right after a plain number, so a dispatch or returns policy can back "48 hours" or 七天.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Qty {
    Hours,
    Days,
}

/// A number in a sentence and what it is attached to.
#[derive(Clone, Copy, Debug)]
pub(super) struct Mention {
    pub(super) kind: MentionKind,
    /// In hundredths, so "19.99" and "19" compare without floats; `None` when it cannot be read.
    pub(super) value: Option<u64>,
    /// A percentage followed by "off": a discount rather than a share.
    pub(super) off: bool,
    /// Written with digits (so it can be swapped for its slot); number words are left as they are.
    pub(super) literal: bool,
    /// The currency a sign, code or unit names for an amount; `None` when the amount names none ("only 99").
    pub(super) currency: Option<Cur>,
    /// For plain numbers: hours or days right after it.
    pub(super) qty: Option<Qty>,
    /// Byte span in the text, covering the currency sign or unit where there is one.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The other reading of a spoken price of one digit and two ("one ninety-nine", "two fifty-nine"): presenters
    /// say 1.99 and 199 alike, so either may be the data's price. In hundredths.
    pub(super) hundreds: Option<u64>,
}

/// A currency as a sentence names it. Several names fit more than one ISO code: `$` and "dollars" fit every
/// dollar, a bare `¥` fits both yuan and yen, 元 fits yuan and any currency the verbalizer calls plain 元.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Cur {
    /// 元: the renminbi, or a currency without a Chinese name of its own.
    Yuan,
    /// 块, 毛, 人民币, yuan, RMB: only the renminbi.
    Rmb,
    /// `$`, dollars, bucks: any dollar.
    Dollar,
    Usd,
    Hkd,
    Cad,
    Aud,
    Nzd,
    Sgd,
    Twd,
    /// RM, ringgit, 马币, 令吉: the Malaysian ringgit.
    Ringgit,
    /// A bare `¥`: yuan or yen.
    YenOrYuan,
    Yen,
    Euro,
    Pound,
    Won,
    Rupee,
    Franc,
    /// One of the world's other currencies, by the ISO codes its name can mean (pesos: PHP, MXN, ARS ...).
    Of(&'static [&'static str]),
    /// Cents: any dollar, or the euro.
    Cents,
    Pence,
}

impl Cur {
    /// Whether an amount named this way can be an amount in the ISO currency `code`.
    pub(super) fn accepts(self, code: &str) -> bool {
        const DOLLARS: [&str; 7] = ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD"];
        match self {
            Cur::Yuan => code == "CNY" || verbalize::zh_money_unit(code) == "元",
            Cur::Rmb => code == "CNY",
            Cur::Dollar => DOLLARS.contains(&code),
            Cur::Usd => code == "USD",
            Cur::Hkd => code == "HKD",
            Cur::Cad => code == "CAD",
            Cur::Aud => code == "AUD",
            Cur::Nzd => code == "NZD",
            Cur::Sgd => code == "SGD",
            Cur::Twd => code == "TWD",
            Cur::Ringgit => code == "MYR",
            Cur::YenOrYuan => matches!(code, "CNY" | "JPY"),
            Cur::Yen => code == "JPY",
            Cur::Euro => code == "EUR",
            Cur::Pound | Cur::Pence => code == "GBP",
            Cur::Won => code == "KRW",
            Cur::Rupee => RUPEES.contains(&code),
            Cur::Of(codes) => codes.contains(&code),
            Cur::Franc => code == "CHF",
            Cur::Cents => DOLLARS.contains(&code) || code == "EUR",
        }
    }
}

/// The rupees: India's, Pakistan's, Sri Lanka's, Nepal's and Mauritius's.
const RUPEES: [&str; 5] = ["INR", "PKR", "LKR", "NPR", "MUR"];
const PESOS: &[&str] = &["PHP", "MXN", "ARS", "CLP", "COP", "UYU", "DOP", "CUP"];
const NAIRA: &[&str] = &["NGN"];
const BAHT: &[&str] = &["THB"];
const RUPIAH: &[&str] = &["IDR"];
const DONG: &[&str] = &["VND"];
const LIRA: &[&str] = &["TRY"];
const RUBLES: &[&str] = &["RUB", "BYN"];
const REAIS: &[&str] = &["BRL"];
const RAND: &[&str] = &["ZAR"];
const DIRHAMS: &[&str] = &["AED", "MAD"];
const RIYALS: &[&str] = &["SAR", "QAR", "OMR", "YER"];
const SHEKELS: &[&str] = &["ILS"];
const ZLOTY: &[&str] = &["PLN"];
const KRONOR: &[&str] = &["SEK", "NOK", "DKK", "ISK"];
const SHILLINGS: &[&str] = &["KES", "UGX", "TZS"];
const CEDIS: &[&str] = &["GHS"];
const MXN: &[&str] = &["MXN"];

pub(super) const ZH_NUMERALS: &str = "零〇一二两三四五六七八九十百千万亿壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億兩";

/// Chinese units after an amount, each prefix-free of the ones after it, with what divides the amount (毛 is a
/// tenth of a yuan). The major units may be followed by 角/毛 and 分 (十九元九角九分) or a bare tenth (九块九).
pub(super) const ZH_UNITS: &[(&str, Cur, u64)] = &[
    ("新西兰元", Cur::Nzd, 1),
    ("新加坡元", Cur::Sgd, 1),
    ("瑞士法郎", Cur::Franc, 1),
    ("新台币", Cur::Twd, 1),
    ("人民币", Cur::Rmb, 1),
    ("美元", Cur::Usd, 1),
    ("美金", Cur::Usd, 1),
    ("美刀", Cur::Usd, 1),
    ("欧元", Cur::Euro, 1),
    ("英镑", Cur::Pound, 1),
    ("日元", Cur::Yen, 1),
    ("日币", Cur::Yen, 1),
    ("港元", Cur::Hkd, 1),
    ("港币", Cur::Hkd, 1),
    ("加元", Cur::Cad, 1),
    ("加币", Cur::Cad, 1),
    ("澳元", Cur::Aud, 1),
    ("澳币", Cur::Aud, 1),
    ("新币", Cur::Sgd, 1),
    ("台币", Cur::Twd, 1),
    ("韩元", Cur::Won, 1),
    ("卢比", Cur::Rupee, 1),
    ("马币", Cur::Ringgit, 1),
    ("令吉", Cur::Ringgit, 1),
    ("比索", Cur::Of(PESOS), 1),
    ("披索", Cur::Of(PESOS), 1),
    ("奈拉", Cur::Of(NAIRA), 1),
    ("泰铢", Cur::Of(BAHT), 1),
    ("印尼盾", Cur::Of(RUPIAH), 1),
    ("越南盾", Cur::Of(DONG), 1),
    ("里拉", Cur::Of(LIRA), 1),
    ("卢布", Cur::Of(RUBLES), 1),
    ("雷亚尔", Cur::Of(REAIS), 1),
    ("兰特", Cur::Of(RAND), 1),
    ("迪拉姆", Cur::Of(DIRHAMS), 1),
    ("里亚尔", Cur::Of(RIYALS), 1),
    ("谢克尔", Cur::Of(SHEKELS), 1),
    ("兹罗提", Cur::Of(ZLOTY), 1),
    ("克朗", Cur::Of(KRONOR), 1),
    ("法郎", Cur::Franc, 1),
    // 十块美金: 块 is the colloquial unit of whatever currency follows it.
    ("块美金", Cur::Usd, 1),
    ("块美元", Cur::Usd, 1),
    ("块美刀", Cur::Usd, 1),
    ("块港币", Cur::Hkd, 1),
    ("块港元", Cur::Hkd, 1),
    ("块加币", Cur::Cad, 1),
    ("块澳币", Cur::Aud, 1),
    ("块新币", Cur::Sgd, 1),
    ("块台币", Cur::Twd, 1),
    ("块钱", Cur::Rmb, 1),
    // Cantonese 蚊: with a currency after it (三十蚊美金, 三十蚊人仔) that currency; alone, Hong Kong dollars unless
    // the sentence names another currency (see `cantonese_dollars`).
    ("蚊美金", Cur::Usd, 1),
    ("蚊美元", Cur::Usd, 1),
    ("蚊港币", Cur::Hkd, 1),
    ("蚊港元", Cur::Hkd, 1),
    ("蚊人仔", Cur::Rmb, 1),
    ("蚊", Cur::Rmb, 1),
    ("元钱", Cur::Yuan, 1),
    ("毛钱", Cur::Rmb, 10),
    ("块", Cur::Rmb, 1),
    ("元", Cur::Yuan, 1),
    // 圆: 元 as written on banknotes and in formal figures (199圆, 壹佰玖拾玖圆).
    ("圆", Cur::Yuan, 1),
    ("毛", Cur::Rmb, 10),
    ("円", Cur::Yen, 1),
    // Dollars in streamers' slang (三十刀); 刀 as a knife comes after a measure word (一把刀), not a bare amount.
    ("刀", Cur::Usd, 1),
];

/// What a bare Cantonese 蚊 counts: Hong Kong dollars, where it is the everyday word for them, unless the sentence
/// names the renminbi (一百九十九蚊人仔，慳六十蚊) or US dollars (三十蚊美金，慳十蚊) for its amounts.
fn cantonese_dollars(sentence: &str) -> Cur {
    let lower = sentence.to_lowercase();
    if ["美金", "美元", "$", "usd"].iter().any(|w| lower.contains(w)) {
        Cur::Usd
    } else if ["人仔", "人民币", "人民幣", "rmb", "cny", "¥", "￥"].iter().any(|w| lower.contains(w)) {
        Cur::Rmb
    } else {
        Cur::Hkd
    }
}

/// Chinese units that name no currency of their own when one is named before the amount: 元, 块 and 蚊 are what
/// any money is counted in (美金30元, 港币199块).
pub(super) fn generic_zh_unit(unit: &str) -> bool {
    matches!(unit, "元" | "元钱" | "块" | "块钱" | "蚊" | "蚊人仔")
}

/// A currency code written before an amount is one only as a word of its own: "warm 30" and "fraud 30" hold no
/// "rm" or "aud".
pub(super) fn prefix_stands_alone(text: &str, start: usize, prefix: &str) -> bool {
    !prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        || !text.get(..start).unwrap_or("").ends_with(|c: char| c.is_alphanumeric())
}

/// Whether a currency is named in words before an amount ("priced at rupees thirty only", formal Indian English)
/// and it is not the product's: a wrong currency however right the number.
pub(super) fn currency_word_first_wrong(text: &str, code: &str) -> bool {
    const FIRST: [&str; 16] = [
        "rupees", "rupee", "euros", "euro", "yuan", "renminbi", "rmb", "ringgit", "baht", "pesos", "francs", "yen",
        "naira", "rubles", "roubles", "reais",
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    words.windows(2).any(|pair| {
        let [unit, next] = pair else { return false };
        FIRST.contains(unit)
            && (next.bytes().all(|b| b.is_ascii_digit()) || crate::verbalize::parse_en_number(next).is_some())
            && EN_UNITS.iter().find(|(u, _, _)| u == unit).is_some_and(|(_, cur, _)| !cur.accepts(code))
    })
}

/// English currency words after an amount (matched at a word boundary, longest first).
pub(super) const EN_UNITS: &[(&str, Cur, u64)] = &[
    // A currency named with its country's adjective, or in its everyday name ("Sing dollars", "loonies").
    ("new taiwan dollars", Cur::Twd, 1),
    ("american dollars", Cur::Usd, 1),
    ("aussie dollars", Cur::Aud, 1),
    ("kiwi dollars", Cur::Nzd, 1),
    ("nz dollars", Cur::Nzd, 1),
    ("hk dollars", Cur::Hkd, 1),
    ("sing dollars", Cur::Sgd, 1),
    ("sing dollar", Cur::Sgd, 1),
    ("taiwan dollars", Cur::Twd, 1),
    ("nt dollars", Cur::Twd, 1),
    ("loonies", Cur::Cad, 1),
    ("swiss francs", Cur::Franc, 1),
    ("swiss franc", Cur::Franc, 1),
    ("british pounds", Cur::Pound, 1),
    ("indian rupees", Cur::Rupee, 1),
    ("japanese yen", Cur::Yen, 1),
    ("korean won", Cur::Won, 1),
    ("malaysian ringgit", Cur::Ringgit, 1),
    ("chinese yuan", Cur::Rmb, 1),
    ("new zealand dollars", Cur::Nzd, 1),
    ("australian dollars", Cur::Aud, 1),
    ("hong kong dollars", Cur::Hkd, 1),
    ("singapore dollars", Cur::Sgd, 1),
    ("canadian dollars", Cur::Cad, 1),
    ("us dollars", Cur::Usd, 1),
    ("us dollar", Cur::Usd, 1),
    ("dollars", Cur::Dollar, 1),
    ("dollar", Cur::Dollar, 1),
    ("bucks", Cur::Dollar, 1),
    ("buck", Cur::Dollar, 1),
    ("usd", Cur::Usd, 1),
    ("hkd", Cur::Hkd, 1),
    ("cad", Cur::Cad, 1),
    ("aud", Cur::Aud, 1),
    ("sgd", Cur::Sgd, 1),
    ("nzd", Cur::Nzd, 1),
    ("twd", Cur::Twd, 1),
    ("ringgit", Cur::Ringgit, 1),
    ("myr", Cur::Ringgit, 1),
    ("renminbi", Cur::Rmb, 1),
    ("yuan", Cur::Rmb, 1),
    ("kuai", Cur::Rmb, 1),
    ("rmb", Cur::Rmb, 1),
    ("cny", Cur::Rmb, 1),
    ("euros", Cur::Euro, 1),
    ("euro", Cur::Euro, 1),
    ("eur", Cur::Euro, 1),
    ("pounds", Cur::Pound, 1),
    ("pound", Cur::Pound, 1),
    ("quid", Cur::Pound, 1),
    ("gbp", Cur::Pound, 1),
    ("pence", Cur::Pence, 100),
    ("penny", Cur::Pence, 100),
    ("cents", Cur::Cents, 100),
    ("cent", Cur::Cents, 100),
    ("yen", Cur::Yen, 1),
    ("jpy", Cur::Yen, 1),
    ("won", Cur::Won, 1),
    ("krw", Cur::Won, 1),
    ("rupees", Cur::Rupee, 1),
    ("rupee", Cur::Rupee, 1),
    ("inr", Cur::Rupee, 1),
    ("francs", Cur::Franc, 1),
    ("franc", Cur::Franc, 1),
    ("chf", Cur::Franc, 1),
    ("rs", Cur::Rupee, 1),
    ("pkr", Cur::Rupee, 1),
    ("lkr", Cur::Rupee, 1),
    ("pesos", Cur::Of(PESOS), 1),
    ("peso", Cur::Of(PESOS), 1),
    ("php", Cur::Of(PESOS), 1),
    ("mxn", Cur::Of(MXN), 1),
    ("naira", Cur::Of(NAIRA), 1),
    ("ngn", Cur::Of(NAIRA), 1),
    ("baht", Cur::Of(BAHT), 1),
    ("thb", Cur::Of(BAHT), 1),
    ("rupiah", Cur::Of(RUPIAH), 1),
    ("idr", Cur::Of(RUPIAH), 1),
    ("dong", Cur::Of(DONG), 1),
    ("vnd", Cur::Of(DONG), 1),
    ("lira", Cur::Of(LIRA), 1),
    ("liras", Cur::Of(LIRA), 1),
    ("roubles", Cur::Of(RUBLES), 1),
    ("rouble", Cur::Of(RUBLES), 1),
    ("rubles", Cur::Of(RUBLES), 1),
    ("ruble", Cur::Of(RUBLES), 1),
    ("reais", Cur::Of(REAIS), 1),
    ("brl", Cur::Of(REAIS), 1),
    ("rand", Cur::Of(RAND), 1),
    ("zar", Cur::Of(RAND), 1),
    ("dirhams", Cur::Of(DIRHAMS), 1),
    ("dirham", Cur::Of(DIRHAMS), 1),
    ("aed", Cur::Of(DIRHAMS), 1),
    ("riyals", Cur::Of(RIYALS), 1),
    ("riyal", Cur::Of(RIYALS), 1),
    ("sar", Cur::Of(RIYALS), 1),
    ("shekels", Cur::Of(SHEKELS), 1),
    ("shekel", Cur::Of(SHEKELS), 1),
    ("zloty", Cur::Of(ZLOTY), 1),
    ("pln", Cur::Of(ZLOTY), 1),
    ("kronor", Cur::Of(KRONOR), 1),
    ("krona", Cur::Of(KRONOR), 1),
    ("kroner", Cur::Of(KRONOR), 1),
    ("krone", Cur::Of(KRONOR), 1),
    ("shillings", Cur::Of(SHILLINGS), 1),
    ("kes", Cur::Of(SHILLINGS), 1),
    ("cedis", Cur::Of(CEDIS), 1),
    ("cedi", Cur::Of(CEDIS), 1),
];

/// Signs and codes written before an amount ("US$5", "¥199", "RMB 199", 人民币199), longest first.
pub(super) const PREFIXES: &[(&str, Cur)] = &[
    // Formal Indian English puts the currency first in words: "rupees thirty only".
    ("rupees", Cur::Rupee),
    ("人民币", Cur::Rmb),
    ("新台币", Cur::Twd),
    ("台币", Cur::Twd),
    ("港币", Cur::Hkd),
    ("港元", Cur::Hkd),
    ("新币", Cur::Sgd),
    ("马币", Cur::Ringgit),
    ("美金", Cur::Usd),
    ("美元", Cur::Usd),
    ("欧元", Cur::Euro),
    ("日元", Cur::Yen),
    ("us$", Cur::Usd),
    ("hk$", Cur::Hkd),
    ("nz$", Cur::Nzd),
    ("nt$", Cur::Twd),
    ("ca$", Cur::Cad),
    ("au$", Cur::Aud),
    ("c$", Cur::Cad),
    ("a$", Cur::Aud),
    ("s$", Cur::Sgd),
    ("usd", Cur::Usd),
    ("rmb", Cur::Rmb),
    ("cny", Cur::Rmb),
    ("eur", Cur::Euro),
    ("gbp", Cur::Pound),
    ("jpy", Cur::Yen),
    ("hkd", Cur::Hkd),
    ("cad", Cur::Cad),
    ("aud", Cur::Aud),
    ("sgd", Cur::Sgd),
    ("myr", Cur::Ringgit),
    // After "rmb": prefixes are tried in order.
    ("rm", Cur::Ringgit),
    ("$", Cur::Dollar),
    ("¥", Cur::YenOrYuan),
    ("€", Cur::Euro),
    ("£", Cur::Pound),
    ("₩", Cur::Won),
    ("₹", Cur::Rupee),
    ("₨", Cur::Rupee),
    ("rs.", Cur::Rupee),
    ("rs", Cur::Rupee),
    ("inr", Cur::Rupee),
    ("₱", Cur::Of(PESOS)),
    ("php", Cur::Of(PESOS)),
    ("mx$", Cur::Of(MXN)),
    ("mxn", Cur::Of(MXN)),
    ("₦", Cur::Of(NAIRA)),
    ("ngn", Cur::Of(NAIRA)),
    ("฿", Cur::Of(BAHT)),
    ("thb", Cur::Of(BAHT)),
    ("rp", Cur::Of(RUPIAH)),
    ("idr", Cur::Of(RUPIAH)),
    ("₫", Cur::Of(DONG)),
    ("vnd", Cur::Of(DONG)),
    ("₺", Cur::Of(LIRA)),
    ("₽", Cur::Of(RUBLES)),
    ("r$", Cur::Of(REAIS)),
    ("brl", Cur::Of(REAIS)),
    ("zar", Cur::Of(RAND)),
    ("aed", Cur::Of(DIRHAMS)),
    ("sar", Cur::Of(RIYALS)),
    ("₪", Cur::Of(SHEKELS)),
    ("zł", Cur::Of(ZLOTY)),
    ("pln", Cur::Of(ZLOTY)),
    ("chf", Cur::Franc),
    ("ksh", Cur::Of(SHILLINGS)),
];

/// Chinese measure words and units after which a numeral is a stated quantity.
const ZH_MEASURES: &str = "件个台套瓶盒支只份单天日周月年小时分秒号岁斤克升米寸码倍人位名次款种色层张片包袋颗粒条双对度瓦毫厘步遍圈滴勺杯碗口点页颜部樽组";

/// Words that put a price on the number after them (到手价九十九, 只要199, "only 199", "just ninety-nine"). Every
/// word ending in 价 counts (原价, 现价, 秒杀价 ...). After one of these a number is an amount even without a unit,
/// unless a measure word or noun shows it counts something (只要三分钟, "just 3 minutes").
const ZH_PRICE_WORDS: [&str; 24] = [
    "价", "价格", "价钱", "价位", "到手", "只要", "仅需", "只需", "仅要", "只卖", "才", "仅", "卖", "低至", "不到",
    "券后", "折后", "立减", "减", "省", "便宜", "只花", "一共", "总共",
];
const EN_PRICE_WORDS: [&str; 17] = [
    "only",
    "just",
    "for",
    "costs",
    "cost",
    "pay",
    "paying",
    "priced at",
    "at",
    "was",
    "now",
    "down to",
    "price is",
    "price of",
    "price",
    "under",
    "below",
];

/// Words that may follow an amount without making it a count ("only 99 today"); any other word after the number
/// is what it counts ("only 12 left", "just 3 minutes").
const EN_AFTER_AMOUNT: [&str; 45] = [
    "today", "now", "right", "each", "apiece", "per", "only", "tonight", "this", "and", "with", "instead", "flat",
    "total", "off", "on", "at", "in", "so", "which", "that", "is", "was", "for", "a", "an", "the", "if", "or", "but",
    "plus", "when", "while", "until", "till", "before", "after", "here", "there", "it", "you", "we", "everyone",
    "folks", "friends",
];

/// Numeral runs that are words, not numbers: 一一 (one by one), 三三两两 (in twos and threes) ...
const ZH_NUMERAL_WORDS: [&str; 8] =
    ["一一", "一五一十", "三三两两", "七七八八", "万万", "千千万万", "一二", "九九归一"];

/// What a Chinese measure after 前 means a rank: 前一百名, 前100位, 前50单.
const ZH_RANK_MEASURES: &str = "名位单个人件份";
const EN_RANK_NOUNS: [&str; 13] = [
    "buyers",
    "buyer",
    "customers",
    "orders",
    "people",
    "viewers",
    "shoppers",
    "fans",
    "followers",
    "callers",
    "to order",
    "to buy",
    "who order",
];

pub(super) fn is_zh_numeral(c: char) -> bool {
    ZH_NUMERALS.contains(c)
}

/// 1万 is ten thousand: a Chinese place unit right after digits multiplies them (not 千克, kilogram).
pub(super) fn zh_place_after_digits(c: char, next: Option<char>) -> Option<u64> {
    match c {
        '万' => Some(10_000),
        '亿' => Some(100_000_000),
        '千' if !next.is_some_and(|n| "克米瓦卡焦帕赫".contains(n)) => Some(1_000),
        '百' if next != Some('分') => Some(100),
        _ => None,
    }
}

/// The financial numerals of receipts and contracts (叁拾元), and traditional forms, as everyday ones (三十元).
fn common_numeral(c: char) -> char {
    match c {
        '壹' => '一',
        '贰' | '貳' => '二',
        '叁' | '參' => '三',
        '肆' => '四',
        '伍' => '五',
        '陆' | '陸' => '六',
        '柒' => '七',
        '捌' => '八',
        '玖' => '九',
        '拾' => '十',
        '佰' => '百',
        '仟' => '千',
        '萬' => '万',
        '億' => '亿',
        '兩' => '两',
        c => c,
    }
}

pub(super) fn zh_digit(c: char) -> Option<u64> {
    match common_numeral(c) {
        '零' | '〇' => Some(0),
        '两' => Some(2),
        c => "零一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u64),
    }
}

/// The value of a run of Chinese numerals as speakers mean it: 一百九十九 (199), digit by digit 一九九 (199),
/// with the last place left out 一百九 (190), 九千九 (9900), 一万二 (12000), with the leading 一 left out 百九十九
/// (199). `None` for a range such as 两三 ("two
/// or three") or anything unreadable.
pub(super) fn zh_value(run: &str) -> Option<u64> {
    let mut run: String = run.chars().map(common_numeral).collect();
    // 百九十九, 千二: the literary leading 一 left out; a digit must follow, so 千万 ("by all means") stays a word.
    let mut lead = run.chars();
    if let (Some('百' | '千'), Some(next)) = (lead.next(), lead.next())
        && zh_digit(next).is_some_and(|d| d > 0)
    {
        run.insert(0, '一');
    }
    let chars: Vec<char> = run.chars().collect();
    if chars.len() >= 2 && chars.iter().all(|c| zh_digit(*c).is_some()) {
        let digits: Vec<u64> = chars.iter().filter_map(|c| zh_digit(*c)).collect();
        // 两三, 七八: a range, not one number.
        if digits.len() == 2 && digits[1] == digits[0] + 1 {
            return None;
        }
        return digits.iter().try_fold(0u64, |acc, d| acc.checked_mul(10)?.checked_add(*d));
    }
    if let [.., place, last] = chars.as_slice()
        && chars.len() >= 3
        && let Some(d) = zh_digit(*last).filter(|d| *d > 0)
    {
        let unit = match place {
            '百' => Some(10),
            '千' => Some(100),
            '万' => Some(1_000),
            '亿' => Some(10_000_000),
            _ => None,
        };
        if let Some(unit) = unit {
            let head: String = chars[..chars.len() - 1].iter().collect();
            return verbalize::parse_zh_number(&head)?.checked_add(d * unit);
        }
    }
    verbalize::parse_zh_number(&run.replace('〇', "零"))
}

/// The value of a run of English number words, in hundredths, and whether it is the presenter's price form
/// ("nineteen ninety-nine" is 19.99, a price; "one hundred ninety-nine" is 199). "a hundred" is 100 and "two
/// dozen" 24.
pub(super) fn en_words_value(phrase: &str) -> (Option<u64>, bool) {
    let words: Vec<&str> = phrase.split([' ', '-']).filter(|w| !w.is_empty() && *w != "and").collect();
    // Scale words alone read as 0 ("thousand"): they are never the small half of "nineteen ninety-nine".
    let scale = |w: &str| matches!(w, "hundred" | "thousand" | "million" | "billion" | "trillion");
    let small = |w: &str| verbalize::parse_en_number(w).filter(|n| *n < 100 && !scale(w));
    let tens = |w: &str| small(w).is_some_and(|n| n >= 20 && n % 10 == 0);
    for k in 1..words.len() {
        let (prev, cur) = (words[k - 1], words[k]);
        let (Some(_), Some(c)) = (small(prev), small(cur)) else { continue };
        if tens(prev) && (1..10).contains(&c) {
            continue;
        }
        // Two numbers side by side with no scale between: the presenter's "nineteen ninety-nine".
        let left = parse_words(&words[..k]);
        let right = parse_words(&words[k..]);
        return match (left, right) {
            (Some(l), Some(r)) if l < 100 && (10..100).contains(&r) => (Some(l * 100 + r), true),
            _ => (None, false),
        };
    }
    (parse_words(&words).and_then(|v| v.checked_mul(100)), false)
}

/// Whether `text` names, anywhere, a currency that cannot be `code`: "US", "dollars", 美元 for a yuan price. The
/// other reading of a spoken price ([`Mention::hundreds`]) is taken only when none is named: "one ninety-nine US"
/// for a ¥199 set is the wrong currency, not the price.
pub(super) fn names_other_currency(text: &str, code: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let joined = format!(" {} ", words.join(" "));
    let latin = EN_UNITS.iter().any(|(unit, cur, _)| joined.contains(&format!(" {unit} ")) && !cur.accepts(code))
        || (words.contains(&"us") && !Cur::Usd.accepts(code));
    let signs = [("$", Cur::Dollar), ("€", Cur::Euro), ("£", Cur::Pound), ("美元", Cur::Usd), ("美金", Cur::Usd)];
    let zh = ZH_UNITS.iter().any(|(unit, cur, _)| lower.contains(unit) && !cur.accepts(code));
    latin || zh || signs.iter().any(|(sign, cur)| lower.contains(sign) && !cur.accepts(code))
}

/// A currency said to be the prices' with no number beside it ("that's in pounds sterling", "all prices in euros",
/// 我说的是美元): one the product's currency `code` cannot be, not denied ("not in euros", 不是美元) and not asked
/// about, is a claim about the currency, and a wrong one. Amounts with their own unit are judged where they are
/// read; this reads the currency named alone.
pub(super) fn currency_claimed(masked: &str, code: &str) -> bool {
    let lower = masked.to_lowercase();
    let clauses = lower.split_inclusive(['.', '!', '?', ';', ',', '。', '！', '？', '；', '，', '…']);
    for clause in clauses {
        let asked = clause.trim_end().ends_with(['?', '？', '吗']);
        if asked {
            continue;
        }
        let words: Vec<&str> =
            clause.split(|c: char| !c.is_alphanumeric() && c != '\'').filter(|w| !w.is_empty()).collect();
        for (i, word) in words.iter().enumerate() {
            let two = words.get(i + 1).map(|next| format!("{word} {next}"));
            let unit = EN_UNITS
                .iter()
                .find(|(u, _, _)| *u == *word || two.as_deref() == Some(*u))
                .map(|(_, cur, _)| *cur)
                .or_else(|| (*word == "sterling").then_some(Cur::Pound));
            let Some(cur) = unit.filter(|cur| !cur.accepts(code)) else { continue };
            let before = if i > 0 { words[i - 1] } else { "" };
            let framed = matches!(before, "in" | "that's" | "thats" | "it's" | "its" | "are" | "all" | "pounds")
                || *word == "sterling";
            let denied = words[i.saturating_sub(4)..i]
                .iter()
                .any(|w| matches!(*w, "not" | "no" | "never" | "nor" | "isn't" | "aren't") || w.ends_with("n't"));
            if framed && !denied && cur != Cur::Cents {
                return true;
            }
        }
        const ZH_NAMES: [(&str, Cur); 13] = [
            ("美元", Cur::Usd),
            ("美金", Cur::Usd),
            ("人民币", Cur::Rmb),
            ("欧元", Cur::Euro),
            ("英镑", Cur::Pound),
            ("日元", Cur::Yen),
            ("港币", Cur::Hkd),
            ("港元", Cur::Hkd),
            ("加元", Cur::Cad),
            ("澳元", Cur::Aud),
            ("台币", Cur::Twd),
            ("马币", Cur::Ringgit),
            ("令吉", Cur::Ringgit),
        ];
        for (name, cur) in ZH_NAMES {
            if cur.accepts(code) {
                continue;
            }
            for (at, _) in clause.match_indices(name) {
                let before = &clause[..at];
                // 新台币一百九十九元: the name right before an amount (read, or blanked as the ledger's own price).
                let after = &clause[at + name.len()..];
                let names_an_amount = after.starts_with(|c: char| c == ' ' || c.is_ascii_digit() || is_zh_numeral(c));
                let framed = ["是", "按", "用", "以", "算"].iter().any(|w| before.ends_with(w)) || names_an_amount;
                let near: String = before.chars().rev().take(4).collect();
                let denied = near.contains('不') || near.contains('没') || near.contains('别') || near.contains('非');
                if framed && !denied {
                    return true;
                }
            }
        }
    }
    false
}

/// "one ninety-nine" read as 199 (in hundredths: 19900): one digit, then a number from ten to ninety-nine.
pub(super) fn en_words_hundreds(phrase: &str) -> Option<u64> {
    let words: Vec<&str> = phrase.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let (first, rest) = words.split_first()?;
    let digit = verbalize::parse_en_number(first).filter(|d| (1..10).contains(d))?;
    let tail = parse_words(rest).filter(|r| (10..100).contains(r))?;
    Some((digit * 100 + tail) * 100)
}

fn parse_words(words: &[&str]) -> Option<u64> {
    match words {
        [] => None,
        [rest @ .., "dozen"] => Some(if rest.is_empty() { 1 } else { parse_words(rest)? } * 12),
        [first, ..] if matches!(*first, "hundred" | "thousand" | "million" | "billion") => {
            verbalize::parse_en_number(&format!("one {}", words.join(" ")))
        }
        _ => verbalize::parse_en_number(&words.join(" ")),
    }
}

/// Finds numbers written with digits, Chinese numerals or English number words, and classifies each by what it
/// is attached to: a currency sign, code or unit, or a price word before it (amount), `%`/percent/百分之
/// (percentage), 折 (Chinese discount), 前…名 or "first … buyers" (rank), or nothing (a plain number, with hours or
/// days noted). Text inside `{slots}` is skipped.
pub(super) fn number_mentions(text: &str) -> Vec<Mention> {
    let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold_char(c))).collect();
    let end_of = |idx: usize| chars.get(idx).map_or(text.len(), |(i, _)| *i);
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        if c == '{' {
            // Skip the slot; the ledger checks it.
            while i < chars.len() && chars[i].1 != '}' {
                i += 1;
            }
            i += 1;
            continue;
        }
        // 第三步, 第2个问题: an ordinal names a place in a list, it states no quantity. (第二件半价 is a promotion, judged
        // as one before the numbers.)
        if (c.is_ascii_digit() || is_zh_numeral(c)) && i > 0 && chars[i - 1].1 == '第' {
            while i < chars.len() && (chars[i].1.is_ascii_digit() || is_zh_numeral(chars[i].1)) {
                i += 1;
            }
            continue;
        }
        if c.is_ascii_digit() {
            let (mut value, mut next) = read_digits(&chars, i);
            if let Some(&(_, place)) = chars.get(next)
                && let Some(mult) = zh_place_after_digits(place, chars.get(next + 1).map(|c| c.1))
            {
                value = value.and_then(|v| v.checked_mul(mult));
                next += 1;
            }
            mentions.push(classify(text, &chars, start, i, next, value, true, false));
            i = next;
            continue;
        }
        if is_zh_numeral(c) {
            let mut next = i;
            while next < chars.len() && is_zh_numeral(chars[next].1) {
                next += 1;
            }
            let run: String = chars[i..next].iter().map(|(_, c)| *c).collect();
            let after = text.get(end_of(next)..).unwrap_or("");
            let before = text.get(..start).unwrap_or("");
            if zh_run_is_number(&run, before, after) {
                let value = zh_value(&run).and_then(|v| v.checked_mul(100));
                mentions.push(classify(text, &chars, start, i, next, value, false, false));
            }
            i = next;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let mut next = i;
            while next < chars.len() && chars[next].1.is_ascii_alphabetic() {
                next += 1;
            }
            let word = text.get(start..end_of(next)).unwrap_or("").to_ascii_lowercase();
            let before_ok = i == 0 || !chars[i - 1].1.is_ascii_alphanumeric();
            if before_ok && verbalize::is_en_number_word(word.as_str()) {
                // Collect the whole run: "one hundred ninety-nine", "nineteen ninety-nine".
                let mut words = vec![word.clone()];
                let mut last_end = next;
                let mut j = next;
                loop {
                    let mut k = j;
                    while k < chars.len() && matches!(chars[k].1, ' ' | '-') {
                        k += 1;
                    }
                    let mut m = k;
                    while m < chars.len() && chars[m].1.is_ascii_alphabetic() {
                        m += 1;
                    }
                    let w = text.get(end_of(k)..end_of(m)).unwrap_or("").to_ascii_lowercase();
                    if k > j && m > k && (verbalize::is_en_number_word(w.as_str()) || w == "and" && words.len() < 8) {
                        words.push(w);
                        last_end = m;
                        j = m;
                    } else {
                        break;
                    }
                }
                while words.last().is_some_and(|w| w == "and") {
                    words.pop();
                }
                let phrase = words.join(" ");
                let after = text.get(end_of(last_end)..).unwrap_or("").trim_start().to_ascii_lowercase();
                if en_run_is_number(&phrase, &after) {
                    let (value, presenter) = en_words_value(&phrase);
                    let mut mention = classify(text, &chars, start, i, last_end, value, false, presenter);
                    if presenter {
                        mention.hundreds = en_words_hundreds(&phrase);
                    }
                    mentions.push(mention);
                }
                i = last_end;
                continue;
            }
            i = next;
            continue;
        }
        i += 1;
    }
    mentions
}

/// Digits with thousands separators and one decimal point: "1,299.50" -> 129950 hundredths.
pub(super) fn read_digits(chars: &[(usize, char)], from: usize) -> (Option<u64>, usize) {
    let mut whole: Option<u64> = Some(0);
    let mut frac_digits = 0u32;
    let mut frac: u64 = 0;
    let mut in_frac = false;
    let mut grouped = false;
    let mut i = from;
    while i < chars.len() {
        let c = chars[i].1;
        let next_is_digit = chars.get(i + 1).is_some_and(|(_, n)| n.is_ascii_digit());
        match c {
            '0'..='9' => {
                let d = u64::from(c as u8 - b'0');
                if in_frac {
                    frac_digits += 1;
                    if frac_digits <= 2 {
                        frac = frac * 10 + d;
                    }
                } else {
                    whole = whole.and_then(|w| w.checked_mul(10)).and_then(|w| w.checked_add(d));
                }
            }
            // "30,00 $", "1,99 €": a comma before exactly two digits, in a number grouped by no other comma, is a
            // decimal comma; before three ("1,000") it groups thousands.
            ',' if !in_frac && next_is_digit => {
                let digit_at = |k: usize| chars.get(k).is_some_and(|(_, n)| n.is_ascii_digit());
                let decimal =
                    !grouped && digit_at(i + 2) && !digit_at(i + 3) && !matches!(chars.get(i + 3), Some((_, ',')));
                if decimal {
                    in_frac = true;
                }
                grouped = true;
            }
            '.' if !in_frac && next_is_digit => in_frac = true,
            _ => break,
        }
        i += 1;
    }
    if frac_digits == 1 {
        frac *= 10;
    }
    let value = whole.and_then(|w| w.checked_mul(100)).and_then(|w| w.checked_add(frac));
    (value, i)
}

/// Whether the text before a number ends with a word that prices it (到手价, 只要, "only", "just", "for").
fn price_word_before(before: &str) -> bool {
    let trimmed = before.trim_end().trim_end_matches(['是', '：', ':', '为', '就', '都', '也']).trim_end();
    if ZH_PRICE_WORDS.iter().any(|w| trimmed.ends_with(w)) {
        return true;
    }
    let lower = trimmed.to_ascii_lowercase();
    // "you pay for two", "the price of one": what follows counts the items paid for.
    if ["pay for", "paying for", "paid for", "price of", "cost of"].iter().any(|w| lower.ends_with(w)) {
        return false;
    }
    EN_PRICE_WORDS
        .iter()
        .any(|w| lower.ends_with(w) && !lower[..lower.len() - w.len()].ends_with(|c: char| c.is_ascii_alphanumeric()))
}

/// Whether a run of Chinese numerals is a quantity rather than part of a word (一起, 十分, 万一, 千万, 三明治, 一块儿).
/// Whether a numeral right after `before` follows a demonstrative (这两个, 那三款: "these two", things already
/// named, as in 价格信息就是这两个) rather than counting (只剩这两个, 还有那三件 count what is left).
pub(super) fn points_back(before: &str) -> bool {
    const COUNTED: [&str; 9] = ["剩", "剩下", "只有", "还有", "還有", "就", "仅", "只", "最后"];
    let before = before.trim_end();
    let Some(ahead) = before.strip_suffix(['这', '那', '這']) else { return false };
    !COUNTED.iter().any(|w| ahead.ends_with(w))
}

fn zh_run_is_number(run: &str, before: &str, after: &str) -> bool {
    let next = after.chars().next();
    if before.ends_with("百分之") || before.ends_with('打') {
        return true;
    }
    if ZH_NUMERAL_WORDS.contains(&run) {
        return false;
    }
    // 百分之二十五, 千分之五: the 百 of a percent is part of the word, not a hundred.
    if after.starts_with("分之") {
        return false;
    }
    // 一半 is "half"; 一块儿 / 一块来 is "together", not one yuan.
    if run == "一"
        && (next == Some('半')
            || after.strip_prefix('块').is_some_and(|r| r.starts_with(|c| "儿来去走看玩吃聊用做住起".contains(c))))
    {
        return false;
    }
    // 这两个, 那三款: a demonstrative points back at things already named; no amount is said.
    if next.is_some_and(|n| ZH_MEASURES.contains(n) || "个位件种款样项套台".contains(n))
        && run.chars().count() == 1
        && points_back(before)
    {
        return false;
    }
    if (next == Some('折') && !after.starts_with("折叠")) || ZH_UNITS.iter().any(|(u, _, _)| after.starts_with(u)) {
        return true;
    }
    // 三部分 is "three parts": 部 counts machines (仲有五部, 还剩两部) only when it is not 部分.
    if next == Some('部') && after.starts_with("部分") {
        return false;
    }
    // 十分 means "very".
    if run == "十" && next == Some('分') {
        return false;
    }
    // 零件, 零食, 零钱, 零售 are words (parts, snacks, change, retail), not "zero pieces".
    if run == "零" && next.is_some_and(|n| "件食钱花售碎星头用部".contains(n)) {
        return false;
    }
    let measured = next.is_some_and(|n| ZH_MEASURES.contains(n) || n == '%' || n == '％');
    // Runs made only of place units (千万 "by all means", 百搭) are words unless they count something (十万人).
    if run.chars().all(|c| "十百千万亿".contains(c)) {
        return measured || price_word_before(before);
    }
    if run.starts_with('万') || run.starts_with('千') {
        return false;
    }
    if before.trim_end().ends_with('前') && next.is_some_and(|n| ZH_RANK_MEASURES.contains(n)) {
        return true;
    }
    // 一 before a measure word or another character is usually the article "a" (一款, 一个, 一起, 一下).
    if run == "一" {
        return price_word_before(before) && !next.is_some_and(is_cjk_char);
    }
    measured || price_word_before(before) || run.chars().count() >= 2
}

/// Whether an English number word is a stated quantity. "one" is mostly a pronoun ("this one"), so it only
/// counts next to a unit; the other number words always count.
fn en_run_is_number(phrase: &str, after: &str) -> bool {
    if phrase != "one" {
        return true;
    }
    ["dollar", "buck", "yuan", "euro", "pound", "cent", "percent", "per cent", "%", "left", "day", "hour", "unit"]
        .iter()
        .any(|u| after.starts_with(u))
}

/// A currency sign or code written just before `chars[i]` ("$", "US$", "RMB ", 人民币), with where it starts.
fn currency_before(chars: &[(usize, char)], i: usize) -> Option<(Cur, usize)> {
    let mut k = i;
    while k > 0 && chars[k - 1].1 == ' ' {
        k -= 1;
    }
    let from = k.saturating_sub(4);
    let tail: String = chars[from..k].iter().map(|(_, c)| c.to_ascii_lowercase()).collect();
    PREFIXES.iter().find_map(|(p, cur)| {
        if !tail.ends_with(p) {
            return None;
        }
        let first = k.checked_sub(p.chars().count())?;
        let wordy = p.starts_with(|c: char| c.is_ascii_alphabetic());
        if wordy && first > 0 && chars[first - 1].1.is_ascii_alphanumeric() {
            return None;
        }
        Some((*cur, chars[first].0))
    })
}

/// The fraction after a Chinese unit: after 元 or 块, 九角九分 (.99), a bare 九 (九块九, .9) or 零五分 (.05);
/// after 毛, a bare digit or 九分 (九毛九, .09). Returns the hundredths and where the amount ends.
pub(super) fn zh_money_tail(text: &str, from: usize, after_jiao: bool) -> (u64, usize) {
    let rest = text.get(from..).unwrap_or("");
    let zeros = rest.len() - rest.trim_start_matches(['零', '〇']).len();
    let rest = &rest[zeros..];
    let digit = |s: &str| -> Option<(u64, usize)> {
        let c = s.chars().next()?;
        let d = c.to_digit(10).map(u64::from).or_else(|| zh_digit(c))?;
        Some((d, c.len_utf8()))
    };
    let Some((d, len)) = digit(rest) else { return (0, from) };
    let after = &rest[len..];
    let bare_ok =
        zeros == 0 && !after.starts_with(|c: char| is_zh_numeral(c) || c.is_ascii_digit() || ZH_MEASURES.contains(c));
    if after_jiao {
        return match after.strip_prefix('分') {
            Some(_) => (d, from + zeros + len + '分'.len_utf8()),
            None if bare_ok => (d, from + len),
            None => (0, from),
        };
    }
    if let Some(more) = after.strip_prefix(['角', '毛']) {
        let mut end = from + zeros + len + '角'.len_utf8();
        let mut hundredths = d * 10;
        if let Some((f, flen)) = digit(more)
            && more[flen..].starts_with('分')
        {
            hundredths += f;
            end += flen + '分'.len_utf8();
        }
        return (hundredths, end);
    }
    if after.starts_with('分') {
        return (d, from + zeros + len + '分'.len_utf8());
    }
    if bare_ok {
        return (d * 10, from + len);
    }
    (0, from)
}

/// Hours or days written right after a number ("48 hours", "7-day", 七天, 48个小时).
pub(super) fn qty_after(text: &str, end: usize) -> Option<Qty> {
    let after = text.get(end..).unwrap_or("").to_ascii_lowercase();
    let unit = after.trim_start_matches(['-', ' ']).trim_start_matches(['个', '個']);
    let word_end = |w: &str| unit.starts_with(w) && !unit[w.len()..].starts_with(|c: char| c.is_ascii_alphabetic());
    if unit.starts_with("小时")
        || unit.starts_with("小時")
        || unit.starts_with("钟头")
        // Cantonese hours: 四十八個鐘.
        || unit.starts_with('钟')
        || unit.starts_with('鐘')
        || ["hours", "hour", "hrs", "hr", "h"].iter().any(|w| word_end(w))
    {
        Some(Qty::Hours)
    } else if unit.starts_with('天') || unit.starts_with('日') || ["days", "day"].iter().any(|w| word_end(w)) {
        Some(Qty::Days)
    } else {
        None
    }
}

/// Decides what the number between `chars[i..next]` is attached to, and widens its span over the sign or unit.
#[allow(clippy::too_many_arguments)]
fn classify(
    text: &str,
    chars: &[(usize, char)],
    start: usize,
    i: usize,
    next: usize,
    value: Option<u64>,
    literal: bool,
    presenter: bool,
) -> Mention {
    let end = chars.get(next).map_or(text.len(), |(b, _)| *b);
    let mut mention = Mention {
        kind: MentionKind::Number,
        value,
        off: false,
        literal,
        currency: None,
        qty: None,
        start,
        end,
        hundreds: None,
    };
    let before = text.get(..start).unwrap_or("");
    let after = text.get(end..).unwrap_or("");
    let after_trim = after.trim_start();
    let after_lower = after_trim.to_ascii_lowercase();
    let gap = after.len() - after_trim.len();

    if let Some((cur, sign_start)) = currency_before(chars, i) {
        mention.kind = MentionKind::Amount;
        mention.currency = Some(cur);
        mention.start = sign_start;
    }
    if let Some((unit, cur, div)) = ZH_UNITS.iter().find(|(u, _, _)| after_trim.starts_with(u)) {
        mention.kind = MentionKind::Amount;
        // 美金30元: a currency named before the amount is not undone by the plain unit after it.
        if mention.currency.is_none() || !generic_zh_unit(unit) {
            mention.currency = Some(if *unit == "蚊" { cantonese_dollars(text) } else { *cur });
        }
        mention.end = end + gap + unit.len();
        mention.value = value.map(|v| v / div);
        let (tail, tail_end) = zh_money_tail(text, mention.end, *div == 10);
        if tail_end > mention.end {
            // 九十九块九毛, 九毛九: the tail is the tenths and hundredths of a yuan.
            mention.value = mention.value.and_then(|v| v.checked_add(tail));
            mention.end = tail_end;
        }
        return mention;
    }
    let en_unit = EN_UNITS.iter().find(|(u, _, _)| {
        after_lower.starts_with(u) && !after_lower[u.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
    });
    if let Some((unit, cur, div)) = en_unit {
        mention.kind = MentionKind::Amount;
        mention.currency = Some(*cur);
        mention.end = end + gap + unit.len();
        mention.value = value.map(|v| v / div);
        return mention;
    }
    if mention.kind == MentionKind::Amount {
        return mention;
    }
    if after_trim.starts_with('%') || after_lower.starts_with("percent") || after_lower.starts_with("per cent") {
        mention.kind = MentionKind::Percent;
        let unit_len = if after_trim.starts_with('%') {
            1
        } else if after_lower.starts_with("percent") {
            "percent".len()
        } else {
            "per cent".len()
        };
        mention.end = end + gap + unit_len;
        // "30% off": the slot says "thirty percent off", so swallow the "off" too.
        let rest = text.get(mention.end..).unwrap_or("");
        if rest.trim_start().to_ascii_lowercase().starts_with("off") {
            mention.end += rest.len() - rest.trim_start().len() + 3;
            mention.off = true;
        }
        return mention;
    }
    if let Some(head) = before.strip_suffix("百分之") {
        mention.kind = MentionKind::Percent;
        mention.start = start - "百分之".len();
        // 便宜了百分之二十五, 折扣是百分之二十五: the word before says the share is taken off, as "off" after "25%" does.
        let head = head.trim_end();
        const OFF_BEFORE: [&str; 11] =
            ["便宜了", "便宜", "省了", "省", "优惠了", "优惠", "降了", "少了", "减了", "折扣是", "打了"];
        mention.off |= OFF_BEFORE.iter().any(|w| head.ends_with(w));
        return mention;
    }
    if after_trim.starts_with('折') && !after_trim.starts_with("折叠") {
        mention.kind = MentionKind::ZhDiscount;
        mention.off = true;
        mention.end = end + gap + '折'.len_utf8();
        if before.ends_with('打') {
            mention.start = start - '打'.len_utf8();
        }
        // 七五折 is 75, not seven-five: read the digits one by one.
        if !literal {
            let run = text.get(start..end).unwrap_or("");
            let digits: Option<Vec<u64>> = run.chars().map(zh_digit).collect();
            if let Some(digits) = digits.filter(|d| d.len() == 2) {
                mention.value = Some((digits[0] * 10 + digits[1]) * 100);
            }
        }
        return mention;
    }
    let before_lower = before.trim_end().to_ascii_lowercase();
    let en_rank = (before_lower.ends_with("first") || before_lower.ends_with("top"))
        && EN_RANK_NOUNS.iter().any(|n| after_lower.starts_with(n));
    let zh_rank = before.trim_end().ends_with('前') && after_trim.starts_with(|c| ZH_RANK_MEASURES.contains(c));
    if en_rank || zh_rank {
        mention.kind = MentionKind::Rank;
        return mention;
    }
    mention.qty = qty_after(text, end);
    if presenter {
        mention.kind = MentionKind::Amount;
        return mention;
    }
    if price_word_before(before) {
        let next_char = after_trim.chars().next();
        let counts = match next_char {
            Some(c) if c.is_ascii_alphabetic() => {
                let word: String = after_lower.chars().take_while(|c| c.is_ascii_alphabetic()).collect();
                !EN_AFTER_AMOUNT.contains(&word.as_str())
            }
            Some(c) => ZH_MEASURES.contains(c) && gap == 0,
            None => false,
        };
        if !counts {
            mention.kind = MentionKind::Amount;
        }
    }
    mention
}

/// Hundredths of a major unit to a currency's minor units (yen has none, some dinars have three).
pub(super) fn to_minor(hundredths: u64, minor_digits: u32) -> Option<i64> {
    let minor = match minor_digits {
        0 => hundredths.is_multiple_of(100).then_some(hundredths / 100)?,
        2 => hundredths,
        d => hundredths.checked_mul(10u64.checked_pow(d.checked_sub(2)?)?)?,
    };
    i64::try_from(minor).ok()
}

/// 七七折 (value 77 * 100) pays 77%, so 23% off; 五折 (5) pays 50%.
pub(super) fn zh_discount_percent(hundredths: u64) -> Option<u32> {
    if !hundredths.is_multiple_of(100) {
        // 7.5折 pays 75%.
        let pay = hundredths / 10;
        return (pay <= 100 && hundredths.is_multiple_of(10)).then(|| 100 - pay as u32);
    }
    let n = hundredths / 100;
    let pay = if n < 10 { n * 10 } else { n };
    (pay <= 100).then(|| 100 - pay as u32)
}
