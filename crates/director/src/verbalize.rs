//! Spoken forms of numbers, money, percentages, counts and durations, in Chinese and English.
//!
//! The guard fills fact slots with these words, so they must be exact: every form here parses back to the value
//! it came from (see the `parse_*` functions and the property tests). Chinese uses the formal 元角分 money units;
//! English says small prices the way presenters do ("nineteen ninety-nine").

use model::{Lang, Money, PromotionKind, ShippingCost};

const ZH_DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const ZH_SMALL_UNITS: [&str; 4] = ["", "十", "百", "千"];
const ZH_BIG_UNITS: [&str; 4] = ["", "万", "亿", "万亿"];

/// A whole number in Chinese: 1299 -> 一千二百九十九, 10005 -> 一万零五, 15 -> 十五.
pub fn zh_number(n: u64) -> String {
    if n == 0 {
        return ZH_DIGITS[0].to_string();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut need_zero = false;
    for (i, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            need_zero = !out.is_empty();
            continue;
        }
        if need_zero || (!out.is_empty() && group < 1000) {
            out.push_str(ZH_DIGITS[0]);
        }
        need_zero = false;
        out.push_str(&zh_group(group));
        // Groups beyond 万亿 do not occur for prices or counts; clamp rather than index out of range.
        out.push_str(ZH_BIG_UNITS[i.min(3)]);
    }
    if out.starts_with("一十") {
        out = out.replacen("一十", "十", 1);
    }
    out
}

/// 0..=9999 without a big unit: 1005 -> 一千零五.
fn zh_group(group: usize) -> String {
    let digits = [group / 1000, group / 100 % 10, group / 10 % 10, group % 10];
    let mut out = String::new();
    let mut pending_zero = false;
    for (pos, &d) in digits.iter().enumerate() {
        let unit = ZH_SMALL_UNITS[3 - pos];
        if d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push_str(ZH_DIGITS[0]);
            pending_zero = false;
        }
        out.push_str(ZH_DIGITS[d]);
        out.push_str(unit);
    }
    out
}

/// A count before a measure word: 2 -> 两件, 12 -> 十二件.
pub fn zh_count(n: u64, measure: &str) -> String {
    let number = if n == 2 { "两".to_string() } else { zh_number(n) };
    format!("{number}{measure}")
}

const EN_ONES: [&str; 20] = [
    "zero",
    "one",
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
];
const EN_TENS: [&str; 10] = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const EN_SCALES: [(u64, &str); 4] =
    [(1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand")];

/// Whether `word` is an English number word the guard must treat as a stated number: the ones and tens the
/// verbalizer says, their scales, and "dozen".
pub fn is_en_number_word(word: &str) -> bool {
    EN_ONES.contains(&word)
        || EN_TENS.iter().any(|t| !t.is_empty() && *t == word)
        || matches!(word, "hundred" | "thousand" | "million" | "billion" | "dozen")
}

/// A whole number in English words: 1299 -> "one thousand two hundred ninety-nine".
pub fn en_number(n: u64) -> String {
    if n < 20 {
        return EN_ONES[n as usize].to_string();
    }
    if n < 100 {
        let (tens, ones) = (n / 10, n % 10);
        return if ones == 0 {
            EN_TENS[tens as usize].to_string()
        } else {
            format!("{}-{}", EN_TENS[tens as usize], EN_ONES[ones as usize])
        };
    }
    if n < 1000 {
        let rest = n % 100;
        let head = format!("{} hundred", EN_ONES[(n / 100) as usize]);
        return if rest == 0 { head } else { format!("{head} {}", en_number(rest)) };
    }
    for (scale, name) in EN_SCALES {
        if n >= scale {
            let rest = n % scale;
            let head = format!("{} {name}", en_number(n / scale));
            return if rest == 0 { head } else { format!("{head} {}", en_number(rest)) };
        }
    }
    unreachable!("every n >= 1000 is at least one thousand")
}

/// The unit names of a currency in English: (one, many, minor one, minor many).
fn en_units(code: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match code {
        "USD" | "CAD" | "AUD" | "NZD" | "HKD" | "SGD" | "TWD" => ("dollar", "dollars", "cent", "cents"),
        "EUR" => ("euro", "euros", "cent", "cents"),
        "GBP" => ("pound", "pounds", "penny", "pence"),
        "JPY" => ("yen", "yen", "sen", "sen"),
        "CNY" => ("yuan", "yuan", "fen", "fen"),
        "KRW" => ("won", "won", "jeon", "jeon"),
        "INR" => ("rupee", "rupees", "paisa", "paise"),
        _ => ("unit", "units", "hundredth", "hundredths"),
    }
}

/// A price as the host says it.
/// - zh: ¥1,299.00 -> 一千二百九十九元; ¥19.99 -> 十九元九角九分; ¥10.05 -> 十元零五分.
/// - en: $19.99 -> "nineteen ninety-nine"; $5.00 -> "five dollars"; $1,299.50 -> "one thousand two hundred
///   ninety-nine dollars and fifty cents".
pub fn money(m: &Money, lang: Lang) -> String {
    let digits = m.currency.minor_digits();
    let scale = 10u64.pow(digits);
    let minor = m.minor.max(0) as u64;
    let (whole, frac) = (minor / scale, minor % scale);
    match lang {
        Lang::Zh => zh_money(whole, frac, digits, m.currency.code()),
        Lang::En => en_money(whole, frac, digits, m.currency.code()),
    }
}

/// The Chinese names of currencies' major units, longest first so a reader that looks for them finds 新加坡元
/// before 元. A currency not listed is said with a bare 元.
const ZH_CURRENCY_UNITS: [(&str, &str); 13] = [
    ("NZD", "新西兰元"),
    ("SGD", "新加坡元"),
    ("CHF", "瑞士法郎"),
    ("TWD", "新台币"),
    ("USD", "美元"),
    ("EUR", "欧元"),
    ("GBP", "英镑"),
    ("JPY", "日元"),
    ("HKD", "港元"),
    ("CAD", "加元"),
    ("AUD", "澳元"),
    ("KRW", "韩元"),
    ("CNY", "元"),
];

/// The Chinese name of a currency's major unit: 元 for CNY, 美元 for USD, 元 for any currency without a common
/// Chinese name.
pub fn zh_money_unit(code: &str) -> &'static str {
    ZH_CURRENCY_UNITS.iter().find(|(c, _)| *c == code).map_or("元", |(_, unit)| unit)
}

fn zh_money(whole: u64, frac: u64, digits: u32, code: &str) -> String {
    let unit = zh_money_unit(code);
    let mut out = String::new();
    if whole > 0 || frac == 0 {
        out.push_str(&zh_number(whole));
        out.push_str(unit);
    }
    if digits == 2 && frac > 0 {
        let (jiao, fen) = (frac / 10, frac % 10);
        if jiao > 0 {
            out.push_str(ZH_DIGITS[jiao as usize]);
            out.push('角');
        } else if whole > 0 {
            out.push_str(ZH_DIGITS[0]);
        }
        if fen > 0 {
            out.push_str(ZH_DIGITS[fen as usize]);
            out.push('分');
        }
    } else if frac > 0 {
        // Three-decimal currencies: say the minor amount as a number of thousandths.
        out.push_str(&format!("{}厘", zh_number(frac)));
    }
    out
}

fn en_money(whole: u64, frac: u64, digits: u32, code: &str) -> String {
    let (one, many, minor_one, minor_many) = en_units(code);
    let major = |n: u64| format!("{} {}", en_number(n), if n == 1 { one } else { many });
    let minor = |n: u64| format!("{} {}", en_number(n), if n == 1 { minor_one } else { minor_many });
    match (whole, frac) {
        (w, 0) => major(w),
        (0, f) => minor(f),
        // "nineteen ninety-nine": the presenter's form, only where it cannot be misheard.
        (w, f) if digits == 2 && w < 100 && f >= 10 => format!("{} {}", en_number(w), en_number(f)),
        (w, f) => format!("{} and {}", major(w), minor(f)),
    }
}

/// A discount as the host says it: 30 -> 七折 / "thirty percent off"; 25 -> 七五折. Nothing off (a compare-at
/// price a few cents above the price rounds down to 0%) is 不打折 in Chinese.
pub fn percent_off(percent: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} percent off", en_number(percent as u64)),
        Lang::Zh => {
            let pay = 100u32.saturating_sub(percent.min(100));
            if pay == 100 {
                "不打折".to_string()
            } else if pay.is_multiple_of(10) {
                format!("{}折", ZH_DIGITS[(pay / 10) as usize])
            } else if pay < 10 {
                format!("零{}折", ZH_DIGITS[pay as usize])
            } else {
                format!("{}{}折", ZH_DIGITS[(pay / 10) as usize], ZH_DIGITS[(pay % 10) as usize])
            }
        }
    }
}

/// A stock count: 42 -> "forty-two" / 四十二件; 1 -> "one".
pub fn count(n: u64, lang: Lang) -> String {
    match lang {
        Lang::En => en_number(n),
        Lang::Zh => zh_count(n, "件"),
    }
}

/// A remaining time, to the minute (seconds only under a minute): "two hours and five minutes" / 两小时五分钟.
pub fn duration(total_secs: u64, lang: Lang) -> String {
    let (hours, minutes, seconds) = (total_secs / 3600, total_secs % 3600 / 60, total_secs % 60);
    match lang {
        Lang::En => {
            let part = |n: u64, unit: &str| format!("{} {unit}{}", en_number(n), if n == 1 { "" } else { "s" });
            match (hours, minutes) {
                (0, 0) => part(seconds, "second"),
                (0, m) => part(m, "minute"),
                (h, 0) => part(h, "hour"),
                (h, m) => format!("{} and {}", part(h, "hour"), part(m, "minute")),
            }
        }
        Lang::Zh => match (hours, minutes) {
            (0, 0) => format!("{}秒", zh_counted(seconds)),
            (0, m) => format!("{}分钟", zh_counted(m)),
            (h, 0) => format!("{}小时", zh_counted(h)),
            (h, m) => format!("{}小时{}分钟", zh_counted(h), zh_counted(m)),
        },
    }
}

/// A count said before a Chinese measure or unit: 两 for 2 (两天, 两小时), the plain number otherwise.
fn zh_counted(n: u64) -> String {
    if n == 2 { "两".to_string() } else { zh_number(n) }
}

/// What delivery costs: "shipping is free" / 包邮, "shipping is five dollars" / 运费五美元.
pub fn shipping_cost(cost: &ShippingCost, lang: Lang) -> String {
    match (cost, lang) {
        (ShippingCost::Free, Lang::En) => "shipping is free".to_string(),
        (ShippingCost::Free, Lang::Zh) => "包邮".to_string(),
        (ShippingCost::Flat(m), Lang::En) => format!("shipping is {}", money(m, lang)),
        (ShippingCost::Flat(m), Lang::Zh) => format!("运费{}", money(m, lang)),
    }
}

/// How soon an order leaves: "within twelve hours" / 十二小时内; whole days from two days up: "within three days"
/// / 三天内. The phrase fits after "ships" and before 发货.
pub fn dispatch(hours: u32, lang: Lang) -> String {
    let hours = u64::from(hours);
    let (n, unit_en, unit_zh) =
        if hours >= 48 && hours.is_multiple_of(24) { (hours / 24, "day", "天") } else { (hours, "hour", "小时") };
    match lang {
        Lang::En => format!("within {} {unit_en}{}", en_number(n), if n == 1 { "" } else { "s" }),
        Lang::Zh => format!("{}{unit_zh}内", zh_counted(n)),
    }
}

/// A returns window: "seven-day returns" / 七天内可退货.
pub fn returns(days: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{}-day returns", en_number(u64::from(days))),
        Lang::Zh => format!("{}天内可退货", zh_counted(u64::from(days))),
    }
}

/// An ordinal for the nth item: "second", "third" ... "tenth", then "number eleven".
fn en_ordinal(n: u32) -> String {
    const ORDINALS: [&str; 11] =
        ["zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    ORDINALS.get(n as usize).map_or_else(|| format!("number {}", en_number(u64::from(n))), |o| o.to_string())
}

/// A promotion's mechanics in the host's standard words, for promotions the merchant gave no wording for:
/// "buy two, get one free" / 买二送一; "the second one is half price" / 第二件半价; "spend two hundred yuan, save
/// thirty yuan" / 满二百元减三十元; "use code TEA10 to save ten yuan" / 用口令TEA10立减十元.
pub fn promotion(kind: &PromotionKind, lang: Lang) -> String {
    match (kind, lang) {
        (PromotionKind::BuyXGetY { buy, get }, Lang::En) => {
            format!("buy {}, get {} free", en_number(u64::from(*buy)), en_number(u64::from(*get)))
        }
        (PromotionKind::BuyXGetY { buy, get }, Lang::Zh) => {
            format!("买{}送{}", zh_number(u64::from(*buy)), zh_number(u64::from(*get)))
        }
        (PromotionKind::NthItemPercentOff { n, percent }, Lang::En) => {
            let deal = match percent {
                50 => "half price".to_string(),
                p if *p >= 100 => "free".to_string(),
                p => percent_off(*p, lang),
            };
            format!("the {} one is {deal}", en_ordinal(*n))
        }
        (PromotionKind::NthItemPercentOff { n, percent }, Lang::Zh) => {
            let deal = match percent {
                50 => "半价".to_string(),
                p if *p >= 100 => "免费".to_string(),
                p => percent_off(*p, lang),
            };
            format!("第{}件{deal}", zh_number(u64::from(*n)))
        }
        (PromotionKind::SpendAndSave { spend, save }, Lang::En) => {
            format!("spend {}, save {}", money(spend, lang), money(save, lang))
        }
        (PromotionKind::SpendAndSave { spend, save }, Lang::Zh) => {
            format!("满{}减{}", money(spend, lang), money(save, lang))
        }
        (PromotionKind::Coupon { code, save }, Lang::En) => match (code, save) {
            (Some(code), Some(save)) => format!("use code {code} to save {}", money(save, lang)),
            (Some(code), None) => format!("use code {code} at checkout"),
            (None, Some(save)) => format!("a coupon takes off {}", money(save, lang)),
            (None, None) => "there is a coupon to claim".to_string(),
        },
        (PromotionKind::Coupon { code, save }, Lang::Zh) => match (code, save) {
            (Some(code), Some(save)) => format!("用口令{code}立减{}", money(save, lang)),
            (Some(code), None) => format!("下单用口令{code}"),
            (None, Some(save)) => format!("领券立减{}", money(save, lang)),
            (None, None) => "可以领券".to_string(),
        },
    }
}

/// Reads a Chinese number back (一千零五 -> 1005, 两 -> 2). `None` for anything else.
pub fn parse_zh_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            // A zero only marks a gap (一千零五); it adds nothing.
            '零' => {}
            '两' => digit = Some(2),
            c if ZH_DIGITS.iter().any(|z| z.starts_with(c)) => {
                digit = ZH_DIGITS.iter().position(|z| z.starts_with(c)).map(|d| d as u64);
            }
            '十' | '百' | '千' => {
                let mult = match c {
                    '十' => 10,
                    '百' => 100,
                    _ => 1000,
                };
                let d = match digit.take() {
                    Some(d) => d,
                    // 十五: a bare 十 means one ten; a bare 百 or 千 is not a number.
                    None if c == '十' => 1,
                    None => return None,
                };
                // Checked throughout: a viewer can type 九千九千九千... and the guard reads it.
                section = section.checked_add(d.checked_mul(mult)?)?;
            }
            '万' | '亿' => {
                // 万亿 is one unit: 10^12.
                let mult = if c == '万' && chars.get(i + 1) == Some(&'亿') {
                    i += 1;
                    1_000_000_000_000
                } else if c == '万' {
                    10_000
                } else {
                    100_000_000
                };
                section = section.checked_add(digit.take().unwrap_or(0))?;
                if section == 0 {
                    return None;
                }
                total = total.checked_add(section.checked_mul(mult)?)?;
                section = 0;
            }
            _ => return None,
        }
        i += 1;
    }
    if text == "零" {
        return Some(0);
    }
    total.checked_add(section)?.checked_add(digit.unwrap_or(0))
}

/// Reads English number words back ("one thousand two hundred ninety-nine" -> 1299).
pub fn parse_en_number(text: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut any = false;
    for word in text.split([' ', '-']).filter(|w| !w.is_empty()) {
        any = true;
        if let Some(n) = EN_ONES.iter().position(|w| *w == word) {
            current = current.checked_add(n as u64)?;
        } else if let Some(n) = EN_TENS.iter().position(|w| !w.is_empty() && *w == word) {
            current = current.checked_add(n as u64 * 10)?;
        } else if word == "hundred" {
            current = current.checked_mul(100)?;
        } else if let Some((scale, _)) = EN_SCALES.iter().find(|(_, name)| *name == word) {
            total = total.checked_add(current.checked_mul(*scale)?)?;
            current = 0;
        } else {
            return None;
        }
    }
    if any { total.checked_add(current) } else { None }
}

/// Reads a spoken price back into minor units, for checking the verbalizer (and later the guard).
pub fn parse_money(text: &str, lang: Lang, currency_code: &str, minor_digits: u32) -> Option<i64> {
    let scale = 10i64.pow(minor_digits);
    match lang {
        Lang::Zh => {
            let unit = ZH_CURRENCY_UNITS.iter().map(|(_, u)| *u).find(|u| text.contains(u));
            let (whole, rest) = match unit {
                Some(u) => text.split_once(u)?,
                None => ("", text),
            };
            let whole = if whole.is_empty() { 0 } else { i64::try_from(parse_zh_number(whole)?).ok()? };
            let mut minor = 0i64;
            let mut rest = rest.trim_start_matches('零');
            // Jiao, fen and li are single digits (or a thousandths count): anything larger is not a price.
            let small = |text: &str| parse_zh_number(text).filter(|n| *n < 1000).map(|n| n as i64);
            if let Some((jiao, after)) = rest.split_once('角') {
                minor += small(jiao)? * 10;
                rest = after;
            }
            if let Some((fen, after)) = rest.split_once('分') {
                minor += small(fen)?;
                rest = after;
            }
            if let Some((li, after)) = rest.split_once('厘') {
                minor += small(li)?;
                rest = after;
            }
            if !rest.is_empty() {
                return None;
            }
            whole.checked_mul(scale)?.checked_add(minor)
        }
        Lang::En => {
            let (one, many, minor_one, minor_many) = en_units(currency_code);
            let words: Vec<&str> = text.split(' ').collect();
            let is_major = |w: &str| w == one || w == many;
            let is_minor = |w: &str| w == minor_one || w == minor_many;
            let number = |words: &[&str]| i64::try_from(parse_en_number(&words.join(" "))?).ok();
            if let Some(pos) = words.iter().position(|w| is_major(w)) {
                let whole = number(&words[..pos])?.checked_mul(scale)?;
                let rest = &words[pos + 1..];
                if rest.is_empty() {
                    return Some(whole);
                }
                if rest.first() != Some(&"and") || !rest.last().is_some_and(|w| is_minor(w)) {
                    return None;
                }
                return whole.checked_add(number(&rest[1..rest.len() - 1])?);
            }
            if words.last().is_some_and(|w| is_minor(w)) {
                return number(&words[..words.len() - 1]);
            }
            // "nineteen ninety-nine": two numbers, the second the cents.
            (2..=words.len()).rev().find_map(|split| {
                let whole = parse_en_number(&words[..words.len() - split + 1].join(" "))?;
                let frac = parse_en_number(&words[words.len() - split + 1..].join(" "))?;
                // Checked before multiplying: a huge `whole` is not a price in this reading.
                (whole < 100 && (10..100).contains(&frac)).then(|| whole as i64 * scale + frac as i64)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::Currency;

    fn m(text: &str, code: &str) -> Money {
        Money::parse_decimal(text, Currency::parse(code).unwrap()).unwrap()
    }

    #[test]
    fn chinese_numbers_read_naturally() {
        let cases = [
            (0, "零"),
            (10, "十"),
            (15, "十五"),
            (20, "二十"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1299, "一千二百九十九"),
            (1005, "一千零五"),
            (10005, "一万零五"),
            (100_000, "十万"),
            (120_000_000, "一亿二千万"),
            (100_000_001, "一亿零一"),
        ];
        for (n, zh) in cases {
            assert_eq!(zh_number(n), zh, "{n}");
            assert_eq!(parse_zh_number(zh), Some(n), "{zh}");
        }
    }

    #[test]
    fn english_numbers_read_naturally() {
        assert_eq!(en_number(1299), "one thousand two hundred ninety-nine");
        assert_eq!(en_number(40), "forty");
        assert_eq!(en_number(1_000_005), "one million five");
        assert_eq!(parse_en_number("one thousand two hundred ninety-nine"), Some(1299));
    }

    #[test]
    fn prices_are_said_the_way_presenters_say_them() {
        assert_eq!(money(&m("1,299", "CNY"), Lang::Zh), "一千二百九十九元");
        assert_eq!(money(&m("19.99", "CNY"), Lang::Zh), "十九元九角九分");
        assert_eq!(money(&m("10.05", "CNY"), Lang::Zh), "十元零五分");
        assert_eq!(money(&m("0.5", "CNY"), Lang::Zh), "五角");
        assert_eq!(money(&m("19.99", "USD"), Lang::En), "nineteen ninety-nine");
        assert_eq!(money(&m("5", "USD"), Lang::En), "five dollars");
        assert_eq!(money(&m("1", "USD"), Lang::En), "one dollar");
        assert_eq!(money(&m("5.05", "USD"), Lang::En), "five dollars and five cents");
        assert_eq!(money(&m("0.99", "USD"), Lang::En), "ninety-nine cents");
        assert_eq!(money(&m("199", "CNY"), Lang::En), "one hundred ninety-nine yuan");
    }

    #[test]
    fn discounts_counts_and_durations() {
        assert_eq!(percent_off(30, Lang::Zh), "七折");
        assert_eq!(percent_off(25, Lang::Zh), "七五折");
        assert_eq!(percent_off(95, Lang::Zh), "零五折");
        assert_eq!(percent_off(30, Lang::En), "thirty percent off");
        assert_eq!(count(2, Lang::Zh), "两件");
        assert_eq!(count(42, Lang::En), "forty-two");
        assert_eq!(duration(2 * 3600 + 5 * 60, Lang::En), "two hours and five minutes");
        assert_eq!(duration(2 * 3600 + 5 * 60, Lang::Zh), "两小时五分钟");
        assert_eq!(duration(45, Lang::Zh), "四十五秒");
    }

    /// Counts, discounts and durations parse back too: whatever the host says matches the ledger's number.
    #[test]
    fn every_spoken_count_discount_and_duration_parses_back() {
        for n in (0..20_000u64).chain([99_999, 100_000, 1_000_001, 123_456_789]) {
            assert_eq!(parse_en_number(&count(n, Lang::En)), Some(n), "{n}");
            let zh = count(n, Lang::Zh);
            let digits = zh.trim_end_matches('件');
            let back = if digits == "两" { Some(2) } else { parse_zh_number(digits) };
            assert_eq!(back, Some(n), "{n} said as {zh}");
        }
        for percent in 1..100u32 {
            let en = percent_off(percent, Lang::En);
            assert_eq!(parse_en_number(en.trim_end_matches(" percent off")), Some(percent as u64), "{en}");
            // 折 names what is paid, in tenths: 七五折 = pays 75% = 25% off.
            let zh = percent_off(percent, Lang::Zh);
            let paid: String = zh
                .trim_end_matches('折')
                .chars()
                .map(|c| ZH_DIGITS.iter().position(|d| d.starts_with(c)).map_or('?', |d| char::from(b'0' + d as u8)))
                .collect();
            let paid: u32 = if paid.len() == 1 { paid.parse::<u32>().unwrap() * 10 } else { paid.parse().unwrap() };
            assert_eq!(100 - paid, percent, "{percent} said as {zh}");
        }
        for secs in (0..86_400u64).step_by(7) {
            let (h, m) = (secs / 3600, secs % 3600 / 60);
            let en = duration(secs, Lang::En);
            let words: Vec<&str> = en.split(" and ").collect();
            let mut total = 0;
            for part in words {
                let (number, unit) = part.rsplit_once(' ').unwrap();
                let n = parse_en_number(number).unwrap();
                total += match unit.trim_end_matches('s') {
                    "hour" => n * 3600,
                    "minute" => n * 60,
                    _ => n,
                };
            }
            let expected = if h == 0 && m == 0 { secs } else { h * 3600 + m * 60 };
            assert_eq!(total, expected, "{secs} said as {en}");
        }
    }

    /// Every price, in both languages and several currencies, parses back to exactly the value it came from.
    #[test]
    fn every_spoken_price_parses_back_to_its_value() {
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for code in ["CNY", "USD", "EUR", "GBP", "JPY"] {
            let currency = Currency::parse(code).unwrap();
            for i in 0..4000u64 {
                // Small prices exhaustively, then random ones up to a hundred million.
                let minor = if i < 2000 { i as i64 } else { (next() % 10_000_000_000) as i64 };
                let value = Money { minor, currency: currency.clone() };
                for lang in [Lang::Zh, Lang::En] {
                    let said = money(&value, lang);
                    let back = parse_money(&said, lang, code, currency.minor_digits());
                    assert_eq!(back, Some(minor), "{code} {minor} said as {said:?}");
                }
            }
        }
    }
}
