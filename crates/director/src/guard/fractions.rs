//! A discount said as a fraction or as the share still paid: "a quarter off", 便宜了四分之一, "a third off", "you pay
//! three quarters of the original", "75% of the original price", 原价的百分之七十五.
//!
//! The number reader alone would read 四分之一 as a four and a one, and "75% of the original" as a 75% discount.
//! Here each such phrase is turned into the percent off it claims and held against the product's real discount:
//! within one point when said plainly, within four when hedged ("about", "a little over", 大约, 出头). A backed
//! phrase is blanked so its numbers are not judged again; any other is an unbacked discount.

use super::text::blank;
use model::GuardRule;

/// English fractions and the share of a whole each names, in percent.
const EN_FRACTIONS: &[(&str, u32)] = &[
    ("three quarters", 75),
    ("three-quarters", 75),
    ("two thirds", 67),
    ("two-thirds", 67),
    ("a quarter", 25),
    ("one quarter", 25),
    ("one-quarter", 25),
    ("a third", 33),
    ("one third", 33),
    ("one-third", 33),
    ("a fifth", 20),
    ("one fifth", 20),
    ("a tenth", 10),
    ("full third", 33),
    ("full quarter", 25),
    ("third off", 33),
    ("quarter off", 25),
    ("half", 50),
];

/// Words that make a share approximate.
const HEDGES: &[&str] = &[
    "about",
    "around",
    "roughly",
    "nearly",
    "almost",
    "a little over",
    "just over",
    "a bit more than",
    "a bit over",
    "more than",
    "over",
    "approximately",
    "大约",
    "约",
    "差不多",
    "将近",
    "接近",
    "多一点",
    "左右",
    "出头",
    "大概",
    "超过",
    // Under it, by a little: "a little under a quarter off" (23% off).
    "a little under",
    "just under",
    "a bit under",
    "slightly under",
    "a little less than",
    "just shy of",
    "under a",
    "less than",
    "不到",
    "不足",
    "少于",
    "略低于",
];

/// Words right before a share (or a half price) that deny it: "the kettle isn't a third off", 不是三分之一.
pub(super) const DENIED: &[&str] = &["isn't", "is not", "it's not", "not", "aren't", "不是", "并非", "没有"];

/// Words after a share that make it the share still paid ("three quarters of the original").
const PAID_EN: &[&str] = &[
    "of the original",
    "of the compare",
    "of the regular",
    "of the list",
    "of the old",
    "of what",
    "of the usual",
    "of the normal",
];
/// The same without "of", read only after a share that says no "off": "half the original price" is what is paid,
/// "a quarter off the compare-at price" what is taken off.
const PAID_BARE_EN: &[&str] = &[
    "the original",
    "the compare",
    "the regular",
    "the list price",
    "the old price",
    "the usual",
    "the normal",
    "its original",
    "its old",
    "its usual",
    "its regular",
    "what it used to",
];
/// Words before a share that make it the share still paid (原价的四分之三).
const PAID_ZH: &[&str] = &["原价的", "划线价的", "原来的", "标价的", "相当于原价"];
/// Words around a share that make it the share taken off.
const OFF_EN: &[&str] = &["off", "cheaper", "less", "discount", "saving", "savings", "you save"];
const OFF_ZH: &[&str] = &["便宜了", "便宜", "省了", "省", "低了", "降了", "优惠了", "少了", "打了", "减了"];

/// One share found in the text: where, the share in percent, and whether it is the share paid (not taken off).
struct Share {
    start: usize,
    end: usize,
    percent: u32,
    paid: bool,
    /// How far the real discount may be from `percent` (`None`: the plain or hedged tolerance).
    within: Option<u32>,
}

/// Judges every fraction or paid share in `masked` (lower-case matching; offsets kept) against `percent_off`, the
/// product's real discount. Backed ones are blanked.
pub(super) fn judge(masked: &mut String, percent_off: Option<u32>) -> Result<(), GuardRule> {
    let lower = masked.to_ascii_lowercase();
    let mut shares = Vec::new();
    for (phrase, percent) in EN_FRACTIONS {
        for (at, _) in lower.match_indices(phrase) {
            let end = at + phrase.len();
            let after = lower.get(end..).unwrap_or("");
            // Whole words only: "behalf" holds no half.
            let inside_word = lower[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic())
                || after.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if inside_word {
                continue;
            }
            let paid = PAID_EN.iter().any(|p| after.trim_start().starts_with(p))
                || (!phrase.ends_with(" off")
                    && !after.trim_start().starts_with("off")
                    && PAID_BARE_EN.iter().any(|p| after.trim_start().starts_with(p)));
            // "Half off" is the second item's promotion as often as a discount: half is read only as the share
            // paid ("half of what it normally costs").
            let off = *phrase != "half"
                && (phrase.ends_with(" off")
                    || OFF_EN.iter().any(|w| {
                        after.split_whitespace().take(3).any(|a| a.trim_matches(|c: char| !c.is_alphanumeric()) == *w)
                    }));
            if paid || off {
                shares.push(Share { start: at, end, percent: *percent, paid, within: None });
            }
        }
    }
    zh_fractions(&lower, &mut shares);
    // 便宜了一半, 省了整整一半: half off.
    for (at, _) in lower.match_indices("一半") {
        let before: String = lower[..at].chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
        if ["便宜", "省", "少了", "降了", "减了", "砍了"].iter().any(|w| before.contains(w)) {
            shares.push(Share { start: at, end: at + "一半".len(), percent: 50, paid: false, within: None });
        } else if PAID_ZH.iter().any(|w| before.ends_with(w)) {
            // 刚好是原价的一半: the price said to be half the original.
            shares.push(Share { start: at, end: at + "一半".len(), percent: 50, paid: true, within: None });
        }
    }
    zh_tenths(&lower, &mut shares);
    percent_paid(&lower, &mut shares);
    for share in shares {
        let before = lower.get(..share.start).unwrap_or("");
        let near: String = before.chars().rev().take(14).collect::<Vec<_>>().into_iter().rev().collect();
        let hedged = HEDGES.iter().any(|h| near.contains(h));
        let claimed_off = if share.paid { 100 - share.percent.min(100) } else { share.percent };
        let tolerance = share.within.unwrap_or(if hedged { 4 } else { 1 });
        let backed = percent_off.is_some_and(|real| real.abs_diff(claimed_off) <= tolerance);
        // A wrong share denied is a true sentence; the real one denied is not.
        let unarticled = near.trim_end().trim_end_matches(" a").trim_end_matches(" an").trim_end_matches(" a full");
        let denied = DENIED.iter().any(|d| near.trim_end().ends_with(d) || unarticled.ends_with(d));
        if denied && !backed {
            blank(masked, share.start, share.end);
            continue;
        }
        if !backed || denied {
            return Err(GuardRule::UnbackedDiscount);
        }
        blank(masked, share.start, share.end);
    }
    Ok(())
}

/// N分之M with Chinese or Arabic numerals: 四分之一, 3分之1.
fn zh_fractions(lower: &str, shares: &mut Vec<Share>) {
    for (at, _) in lower.match_indices("分之") {
        let before = lower.get(..at).unwrap_or("");
        let after = lower.get(at + "分之".len()..).unwrap_or("");
        let (Some(den), Some(num)) = (before.chars().last().and_then(digit), after.chars().next().and_then(digit))
        else {
            continue;
        };
        if den == 0 || num > den {
            continue;
        }
        let start = at - before.chars().last().map_or(0, char::len_utf8);
        let end = at + "分之".len() + after.chars().next().map_or(0, char::len_utf8);
        let head = lower.get(..start).unwrap_or("");
        // 百分之 is a percent, read by the number reader (or below, when it is the share paid).
        if lower.get(start..).is_some_and(|s| s.starts_with("百")) {
            continue;
        }
        // 原价的四分之一直接省掉了: a share of the original that is then said to be saved is the share taken off.
        const SAVED_AFTER: [&str; 9] = ["省", "便宜", "减掉", "砍掉", "打掉", "优惠", "少付", "不用付", "免"];
        let tail: String = lower.get(end..).unwrap_or("").chars().take(6).collect();
        let saved_after = SAVED_AFTER.iter().any(|w| tail.contains(w));
        let paid = PAID_ZH.iter().any(|p| head.trim_end().ends_with(p)) && !saved_after;
        let off = saved_after
            || OFF_ZH.iter().any(|w| {
                let near: String = head.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
                near.contains(w)
            });
        if paid || off {
            shares.push(Share { start, end, percent: num * 100 / den, paid, within: None });
        }
    }
}

/// 便宜了两成, 省了三成多: a saving in tenths (成). Said alone it is rounded to the nearest tenth (两成 is 15 to 25%);
/// with 多 it is more than that many tenths and less than the next (两成多 is 21 to 29%). 八成新 (condition) and 七成熟
/// (doneness) have no saving word before them and are not read.
fn zh_tenths(lower: &str, shares: &mut Vec<Share>) {
    const TENTHS: [(char, u32); 10] =
        [('一', 1), ('二', 2), ('两', 2), ('三', 3), ('四', 4), ('五', 5), ('六', 6), ('七', 7), ('八', 8), ('九', 9)];
    const SAVING: [&str; 8] = ["便宜", "省", "降", "少", "优惠", "减", "打掉", "低"];
    for (at, _) in lower.match_indices('成') {
        let before = lower.get(..at).unwrap_or("");
        let Some(numeral) = before.chars().last() else { continue };
        let Some(&(_, tenths)) = TENTHS.iter().find(|(c, _)| *c == numeral) else { continue };
        let start = at - numeral.len_utf8();
        let head = lower.get(..start).unwrap_or("");
        let near: String = head.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        if !SAVING.iter().any(|w| near.contains(w)) {
            continue;
        }
        let mut end = at + '成'.len_utf8();
        let more = lower.get(end..).is_some_and(|a| a.starts_with('多'));
        if more {
            end += '多'.len_utf8();
        }
        let share = if more {
            Share { start, end, percent: tenths * 10 + 5, paid: false, within: Some(4) }
        } else {
            Share { start, end, percent: tenths * 10, paid: false, within: Some(5) }
        };
        shares.push(share);
    }
}

/// "75% of the original price", 原价的百分之七十五 / 原价的75%: the share still paid, said as a percent.
fn percent_paid(lower: &str, shares: &mut Vec<Share>) {
    for (at, _) in lower.match_indices('%') {
        let digits: String =
            lower[..at].chars().rev().take_while(char::is_ascii_digit).collect::<Vec<_>>().into_iter().rev().collect();
        let Ok(percent) = digits.parse::<u32>() else { continue };
        let start = at - digits.len();
        let end = at + 1;
        let after = lower.get(end..).unwrap_or("").trim_start();
        let head = lower.get(..start).unwrap_or("").trim_end();
        if PAID_EN.iter().any(|p| after.starts_with(p)) || PAID_ZH.iter().any(|p| head.ends_with(p)) {
            // "The $10 you save is 25% of the original", 省下的10美元是原价的25%: the saving's share, not what is
            // paid.
            let saving = ["省", "少了", "便宜了", "优惠了", "减了", "save", "saving", "discount", "off"];
            let sentence_start = head
                .char_indices()
                .rev()
                .find(|(_, c)| ['.', '!', '?', '。', '！', '？'].contains(c))
                .map_or(0, |(i, c)| i + c.len_utf8());
            let paid = !saving.iter().any(|w| head.get(sentence_start..).unwrap_or("").contains(w));
            shares.push(Share { start, end, percent, paid, within: None });
        }
    }
    for paid_word in PAID_ZH {
        for (at, _) in lower.match_indices(paid_word) {
            let from = at + paid_word.len();
            let Some(rest) = lower.get(from..).and_then(|r| r.strip_prefix("百分之")) else { continue };
            let run: String = rest.chars().take_while(|c| digit(*c).is_some() || *c == '十').collect();
            let Some(percent) = zh_small(&run) else { continue };
            let end = from + "百分之".len() + run.len();
            shares.push(Share { start: from, end, percent, paid: true, within: None });
        }
    }
}

fn digit(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| "零一二三四五六七八九".chars().position(|d| d == c).map(|d| d as u32))
        .or((c == '两').then_some(2))
}

/// 七十五, 二十, 十五, 九十 as numbers below a hundred.
fn zh_small(run: &str) -> Option<u32> {
    let chars: Vec<char> = run.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(text: &str, real: u32) -> Result<String, GuardRule> {
        let mut t = text.to_string();
        judge(&mut t, Some(real))?;
        Ok(t)
    }

    #[test]
    fn a_true_share_passes_and_a_false_one_is_an_unbacked_discount() {
        for (text, real) in [
            ("That's a quarter off.", 25),
            ("便宜了四分之一。", 25),
            ("You pay three quarters of the original $40.", 25),
            ("At $30, you're paying 75% of the original price.", 25),
            ("现价相当于原价的百分之七十五。", 25),
            ("It's a little over a fifth off.", 23),
            ("省下的10美元正好是原价的25%。", 25),
            ("The $10 you save is 25% of the original price.", 25),
            ("比原价便宜了一半。", 50),
        ] {
            assert!(judged(text, real).is_ok(), "{text}");
        }
        for (text, real) in [
            ("It's a third off today.", 25),
            ("比原价便宜了三分之一。", 23),
            ("You pay two thirds of the original.", 25),
            ("省下的钱是原价的75%。", 25),
            ("现价是原价的25%。", 25),
            ("这个价格比原价便宜了整整一半。", 23),
        ] {
            assert_eq!(judged(text, real), Err(GuardRule::UnbackedDiscount), "{text}");
        }
        let mut none = "a quarter off".to_string();
        assert_eq!(judge(&mut none, None), Err(GuardRule::UnbackedDiscount));
    }

    #[test]
    fn shares_that_are_not_discounts_are_left_alone() {
        for text in ["A quarter of the chat asked about the lid.", "一百分之一的可能", "百分之百真诚"] {
            assert_eq!(judged(text, 25).as_deref(), Ok(text), "{text}");
        }
    }
}
