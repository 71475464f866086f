//! Measures: numbers with units (sizes, volumes, weights, counts of pieces), read in any words and converted to
//! one base unit per kind, so "1.8 m" and 一百八十厘米 are the same length.

use super::numbers::{en_words_value, is_zh_numeral, read_digits, zh_digit, zh_value};
use super::text::fold_char;
use crate::verbalize;

/// What a unit measures. Amounts of one class compare in its base unit, so "1.8 m" is "180 cm".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum UnitClass {
    /// Millimetres.
    Length,
    Inch,
    /// Millilitres.
    Volume,
    /// Grams.
    Mass,
    Piece,
    Set,
    Pair,
    Pack,
    Bottle,
    BoxOf,
    /// Watts.
    Power,
    Voltage,
    /// Milliampere-hours.
    Charge,
}

/// A number with a unit: the class and the amount in the class's base unit, in hundredths.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Measure {
    class: UnitClass,
    base: u64,
}

/// Unit words after a number (folded: lower-case), with the class and how many base units one is. Currencies are
/// not here: an amount of money is a price, backed only by the price fields.
const UNITS: [(&str, UnitClass, u64); 84] = [
    ("millimetres", UnitClass::Length, 1),
    ("millimeters", UnitClass::Length, 1),
    ("millimetre", UnitClass::Length, 1),
    ("millimeter", UnitClass::Length, 1),
    ("mm", UnitClass::Length, 1),
    ("毫米", UnitClass::Length, 1),
    ("centimetres", UnitClass::Length, 10),
    ("centimeters", UnitClass::Length, 10),
    ("centimetre", UnitClass::Length, 10),
    ("centimeter", UnitClass::Length, 10),
    ("cm", UnitClass::Length, 10),
    ("厘米", UnitClass::Length, 10),
    ("公分", UnitClass::Length, 10),
    ("metres", UnitClass::Length, 1000),
    ("meters", UnitClass::Length, 1000),
    ("metre", UnitClass::Length, 1000),
    ("meter", UnitClass::Length, 1000),
    ("m", UnitClass::Length, 1000),
    ("米", UnitClass::Length, 1000),
    ("kilometres", UnitClass::Length, 1_000_000),
    ("kilometers", UnitClass::Length, 1_000_000),
    ("km", UnitClass::Length, 1_000_000),
    ("公里", UnitClass::Length, 1_000_000),
    ("inches", UnitClass::Inch, 1),
    ("inch", UnitClass::Inch, 1),
    ("英寸", UnitClass::Inch, 1),
    ("millilitres", UnitClass::Volume, 1),
    ("milliliters", UnitClass::Volume, 1),
    ("millilitre", UnitClass::Volume, 1),
    ("milliliter", UnitClass::Volume, 1),
    ("ml", UnitClass::Volume, 1),
    ("cc", UnitClass::Volume, 1),
    ("毫升", UnitClass::Volume, 1),
    ("litres", UnitClass::Volume, 1000),
    ("liters", UnitClass::Volume, 1000),
    ("litre", UnitClass::Volume, 1000),
    ("liter", UnitClass::Volume, 1000),
    ("l", UnitClass::Volume, 1000),
    ("升", UnitClass::Volume, 1000),
    ("公升", UnitClass::Volume, 1000),
    ("grams", UnitClass::Mass, 1),
    ("gram", UnitClass::Mass, 1),
    ("grammes", UnitClass::Mass, 1),
    ("g", UnitClass::Mass, 1),
    ("克", UnitClass::Mass, 1),
    ("kilograms", UnitClass::Mass, 1000),
    ("kilogram", UnitClass::Mass, 1000),
    ("kilos", UnitClass::Mass, 1000),
    ("kilo", UnitClass::Mass, 1000),
    ("kg", UnitClass::Mass, 1000),
    ("千克", UnitClass::Mass, 1000),
    ("公斤", UnitClass::Mass, 1000),
    ("斤", UnitClass::Mass, 500),
    ("pieces", UnitClass::Piece, 1),
    ("piece", UnitClass::Piece, 1),
    ("pcs", UnitClass::Piece, 1),
    ("pc", UnitClass::Piece, 1),
    ("件", UnitClass::Piece, 1),
    ("片", UnitClass::Piece, 1),
    ("个", UnitClass::Piece, 1),
    ("只", UnitClass::Piece, 1),
    ("支", UnitClass::Piece, 1),
    ("sets", UnitClass::Set, 1),
    ("set", UnitClass::Set, 1),
    ("套", UnitClass::Set, 1),
    ("pairs", UnitClass::Pair, 1),
    ("pair", UnitClass::Pair, 1),
    ("双", UnitClass::Pair, 1),
    ("packs", UnitClass::Pack, 1),
    ("pack", UnitClass::Pack, 1),
    ("包", UnitClass::Pack, 1),
    ("bottles", UnitClass::Bottle, 1),
    ("bottle", UnitClass::Bottle, 1),
    ("瓶", UnitClass::Bottle, 1),
    ("boxes", UnitClass::BoxOf, 1),
    ("盒", UnitClass::BoxOf, 1),
    ("watts", UnitClass::Power, 1),
    ("watt", UnitClass::Power, 1),
    ("w", UnitClass::Power, 1),
    ("瓦", UnitClass::Power, 1),
    ("kw", UnitClass::Power, 1000),
    ("千瓦", UnitClass::Power, 1000),
    ("volts", UnitClass::Voltage, 1),
    ("mah", UnitClass::Charge, 1),
];

/// What joins the numbers of a size: "180 x 30", 180×30, "180 by 30", 180乘30.
const SIZE_JOINS: [&str; 6] = ["乘以", "乘", "by", "x", "×", "*"];

/// Characters after 个 that make it part of a time or a person count (三个小时, 两个月, 五个人), not pieces.
const GE_NOT_PIECES: &str = "小月星礼钟人";

/// A size or one measure in a text: its numbers (byte spans in the text) with what each measures. "180 x 30 cm"
/// is one run of two numbers, both in centimetres.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct MeasureRun {
    pub(super) items: Vec<(usize, usize, Measure)>,
}

impl UnitClass {
    /// Whether it counts things rather than measuring them.
    fn is_count(self) -> bool {
        matches!(
            self,
            UnitClass::Piece
                | UnitClass::Set
                | UnitClass::Pair
                | UnitClass::Pack
                | UnitClass::Bottle
                | UnitClass::BoxOf
        )
    }
}

impl Measure {
    /// `n` pieces.
    pub(super) fn pieces(n: u64) -> Measure {
        Measure { class: UnitClass::Piece, base: n.saturating_mul(100) }
    }

    /// One piece, set, pair, pack, bottle or box: 一个, 一双, "one piece" say "a", not a count.
    pub(super) fn is_one_item(&self) -> bool {
        self.base == 100 && self.class.is_count()
    }
}

impl MeasureRun {
    /// Whether it is a count of `n` things (pieces, sets, pairs ...).
    pub(super) fn counts(&self, n: u32) -> bool {
        matches!(self.items.as_slice(), [(_, _, m)] if m.base == u64::from(n) * 100 && m.class.is_count())
    }

    /// Whether one of its numbers (with its unit) overlaps the byte span `start..end`.
    pub(super) fn overlaps(&self, start: usize, end: usize) -> bool {
        self.items.iter().any(|&(s, e, _)| s < end && start < e)
    }
}

/// A number token for [`measure_runs`]: char indices and the value in hundredths.
struct MeasureTok {
    from: usize,
    to: usize,
    value: Option<u64>,
}

/// Every number with a unit in `text`, grouped into sizes. Numbers are read in digits ("1.5"), Chinese numerals
/// (一百八十, 一点五) and English words ("one hundred eighty", "one point five").
pub(super) fn measure_runs(text: &str) -> Vec<MeasureRun> {
    let chars: Vec<(usize, char)> = text.char_indices().map(|(i, c)| (i, fold_char(c).to_ascii_lowercase())).collect();
    let cs: Vec<char> = chars.iter().map(|(_, c)| *c).collect();
    let byte = |k: usize| chars.get(k).map_or(text.len(), |(b, _)| *b);
    let toks = measure_tokens(&chars, &cs);
    // The unit right after char index `k` (spaces and a hyphen skipped): its class, factor and end.
    let unit_at = |k: usize| -> Option<(UnitClass, u64, usize)> {
        let mut k = k;
        while cs.get(k).is_some_and(|c| *c == ' ' || *c == '-') {
            k += 1;
        }
        let mut best: Option<(UnitClass, u64, usize)> = None;
        for (alias, class, factor) in UNITS {
            let n = alias.chars().count();
            if k + n > cs.len() || !cs[k..k + n].iter().copied().eq(alias.chars()) {
                continue;
            }
            let wordy = alias.is_ascii();
            if wordy && cs.get(k + n).is_some_and(|c| c.is_ascii_alphabetic() || *c == '/') {
                continue;
            }
            if alias == "个" && cs.get(k + n).is_some_and(|c| GE_NOT_PIECES.contains(*c)) {
                continue;
            }
            if best.is_none_or(|(_, _, end)| k + n > end) {
                best = Some((class, factor, k + n));
            }
        }
        best
    };
    // A size join right after char index `k` leading to the token `next`.
    let joined = |k: usize, next: &MeasureTok| -> bool {
        let mut k = k;
        while cs.get(k).is_some_and(|c| *c == ' ') {
            k += 1;
        }
        SIZE_JOINS.iter().any(|j| {
            let n = j.chars().count();
            if k + n > cs.len() || !cs[k..k + n].iter().copied().eq(j.chars()) {
                return false;
            }
            let mut m = k + n;
            while cs.get(m).is_some_and(|c| *c == ' ') {
                m += 1;
            }
            m == next.from && (*j != "by" || m > k + n)
        })
    };
    let mut runs = Vec::new();
    let mut i = 0;
    // Where the last unit read ends: a numeral inside it (千 in 2千克) is part of the unit, not a number.
    let mut unit_end = 0;
    while i < toks.len() {
        if toks[i].from < unit_end {
            i += 1;
            continue;
        }
        // The run: numbers joined by size joins, each with its own unit or the run's last one.
        // 第二套, 第3件: an ordinal names one item, it does not count them.
        if toks[i].from > 0 && cs[toks[i].from - 1] == '第' {
            i += 1;
            continue;
        }
        // 这两个: things already named, pointed at, not counted.
        if toks[i].to == toks[i].from + 1 && super::numbers::points_back(&text[..byte(toks[i].from)]) {
            i += 1;
            continue;
        }
        let mut members = vec![(i, unit_at(toks[i].to))];
        let mut j = i;
        loop {
            let after = members.last().and_then(|(_, u)| u.map(|u| u.2)).unwrap_or(toks[j].to);
            match toks.get(j + 1) {
                Some(next) if joined(after, next) => {
                    j += 1;
                    members.push((j, unit_at(toks[j].to)));
                }
                _ => break,
            }
        }
        i = j + 1;
        let Some(last_unit) = members.iter().rev().find_map(|(_, u)| *u) else { continue };
        unit_end = last_unit.2;
        let mut items = Vec::new();
        for (t, unit) in members {
            // A number's span covers its own unit, so a numeral the sentence reader finds inside it belongs to it.
            let end = unit.map_or(toks[t].to, |u| u.2);
            let (class, factor, _) = unit.unwrap_or(last_unit);
            if let Some(base) = toks[t].value.and_then(|v| v.checked_mul(factor)) {
                items.push((byte(toks[t].from), byte(end), Measure { class, base }));
            }
        }
        if !items.is_empty() {
            runs.push(MeasureRun { items });
        }
    }
    runs
}

/// The numbers in a text for [`measure_runs`].
fn measure_tokens(chars: &[(usize, char)], cs: &[char]) -> Vec<MeasureTok> {
    let mut toks = Vec::new();
    let mut i = 0;
    let zh_digits = |from: usize| -> (u64, usize, usize) {
        // Digits after 点, one by one: 一点五 (1.5), 零点七五 (0.75). Returns hundredths, count, end.
        let mut k = from;
        let mut frac = 0u64;
        let mut n = 0usize;
        while let Some(d) = cs.get(k).and_then(|c| zh_digit(*c)) {
            if n < 2 {
                frac = frac * 10 + d;
            }
            n += 1;
            k += 1;
        }
        if n == 1 {
            frac *= 10;
        }
        (frac, n, k)
    };
    while i < cs.len() {
        let c = cs[i];
        if c.is_ascii_digit() {
            let (value, next) = read_digits(chars, i);
            toks.push(MeasureTok { from: i, to: next, value });
            i = next.max(i + 1);
            continue;
        }
        if is_zh_numeral(c) {
            let mut next = i;
            while next < cs.len() && is_zh_numeral(cs[next]) {
                next += 1;
            }
            let run: String = cs[i..next].iter().collect();
            // 零件, 零食, 零钱, 零售 are words (parts, snacks, change, retail), not "zero pieces".
            if run == "零" && cs.get(next).is_some_and(|n| "件食钱花售碎星头用部".contains(*n)) {
                i = next;
                continue;
            }
            let mut value = zh_value(&run).and_then(|v| v.checked_mul(100));
            if cs.get(next) == Some(&'点') {
                let (frac, n, end) = zh_digits(next + 1);
                if n > 0 {
                    value = value.and_then(|v| v.checked_add(frac));
                    next = end;
                }
            }
            toks.push(MeasureTok { from: i, to: next, value });
            i = next;
            continue;
        }
        if c.is_ascii_alphabetic() && !(i > 0 && cs[i - 1].is_ascii_alphanumeric()) {
            let word_end = |from: usize| {
                let mut m = from;
                while m < cs.len() && cs[m].is_ascii_alphabetic() {
                    m += 1;
                }
                m
            };
            let next = word_end(i);
            let word: String = cs[i..next].iter().collect();
            if !verbalize::is_en_number_word(word.as_str()) {
                i = next;
                continue;
            }
            let mut words = vec![word];
            let mut last_end = next;
            let mut k = next;
            loop {
                let mut m = k;
                while m < cs.len() && matches!(cs[m], ' ' | '-') {
                    m += 1;
                }
                let e = word_end(m);
                let w: String = cs[m..e].iter().collect();
                if m > k && e > m && (verbalize::is_en_number_word(w.as_str()) || w == "and" && words.len() < 8) {
                    words.push(w);
                    last_end = e;
                    k = e;
                } else {
                    break;
                }
            }
            while words.last().is_some_and(|w| w == "and") {
                words.pop();
            }
            let phrase = words.join(" ");
            let (mut value, presenter) = en_words_value(&phrase);
            if presenter {
                value = None;
            }
            // "one point five": digits after "point", one word each.
            let mut m = last_end;
            while cs.get(m) == Some(&' ') {
                m += 1;
            }
            if cs[m.min(cs.len())..].starts_with(&['p', 'o', 'i', 'n', 't', ' ']) {
                let mut k = m + 6;
                let mut frac = 0u64;
                let mut n = 0;
                loop {
                    let e = word_end(k);
                    let w: String = cs[k.min(e)..e].iter().collect();
                    match verbalize::parse_en_number(&w).filter(|d| *d < 10 && e > k) {
                        Some(d) => {
                            if n < 2 {
                                frac = frac * 10 + d;
                            }
                            n += 1;
                            last_end = e;
                            k = e;
                            while cs.get(k) == Some(&' ') {
                                k += 1;
                            }
                            if k == e {
                                break;
                            }
                        }
                        None => break,
                    }
                }
                if n > 0 {
                    value = value.and_then(|v| v.checked_add(if n == 1 { frac * 10 } else { frac }));
                }
            }
            toks.push(MeasureTok { from: i, to: last_end, value });
            i = last_end;
            continue;
        }
        i += 1;
    }
    toks
}
