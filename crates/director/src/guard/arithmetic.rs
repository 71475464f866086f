//! Sums the host works out aloud: "259 − 199 = 60", "two hundred less a yuan", 两百减一, "40 minus 10 is 30",
//! "three tenners", "3 tens gets you the kettle, it used to take 4". The numbers in a sum are not claims of their
//! own when what they work out to is an amount the product's data states (its price, compare-at price or saving):
//! the sum is a way of saying that amount. A sum that works out to anything else backs nothing, and its numbers
//! are judged like any others.

use super::numbers::{Mention, number_mentions};

/// Operators between two numbers, with what they do, after spaces and currency signs are dropped.
const OPERATORS: [(&str, Op); 26] = [
    ("minus", Op::Sub),
    ("less", Op::Sub),
    ("takeaway", Op::Sub),
    ("−", Op::Sub),
    ("-", Op::Sub),
    ("–", Op::Sub),
    ("减去", Op::Sub),
    ("减掉", Op::Sub),
    ("减", Op::Sub),
    ("plus", Op::Add),
    ("+", Op::Add),
    ("加上", Op::Add),
    ("加", Op::Add),
    ("times", Op::Mul),
    ("multipliedby", Op::Mul),
    ("×", Op::Mul),
    ("x", Op::Mul),
    ("*", Op::Mul),
    ("乘以", Op::Mul),
    ("乘", Op::Mul),
    ("dividedby", Op::Div),
    ("/", Op::Div),
    ("÷", Op::Div),
    ("除以", Op::Div),
    ("splitby", Op::Div),
    ("over", Op::Div),
];

/// Banknotes said as a count of them ("three tenners", "3 tens", "six fives", "two twenties"), with their value.
const NOTES: [(&str, u64); 7] =
    [("tenners", 10), ("tens", 10), ("fivers", 5), ("fives", 5), ("twenties", 20), ("fifties", 50), ("hundreds", 100)];

/// Banknotes named by their value in words, read as the one-word names above (padded to the same length, so
/// offsets hold): "three ten-dollar bills" is "three tenners", not "three ten" dollars.
const NOTE_NAMES: [(&str, &str); 8] = [
    ("ten-dollar bills", "tenners"),
    ("ten dollar bills", "tenners"),
    ("ten-dollar notes", "tenners"),
    ("ten-pound notes", "tenners"),
    ("five-dollar bills", "fivers"),
    ("twenty-dollar bills", "twenties"),
    ("fifty-dollar bills", "fifties"),
    ("hundred-dollar bills", "hundreds"),
];

/// Words of a currency that may stand between a number and the operator ("$40 - $10", "two hundred yuan less").
const CURRENCY_WORDS: [&str; 12] =
    ["dollars", "dollar", "bucks", "yuan", "rmb", "usd", "cny", "元", "块钱", "块", "美元", "美金"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

fn apply(op: Op, a: u64, b: u64) -> Option<u64> {
    // Values are in hundredths: a product and a quotient are scaled back by one hundred.
    match op {
        Op::Add => a.checked_add(b),
        Op::Sub => a.checked_sub(b),
        Op::Mul => a.checked_mul(b).map(|p| p / 100),
        Op::Div => (b != 0).then(|| a.saturating_mul(100) / b),
    }
}

/// What stands between two numbers, read as an operator: spaces, currency signs and currency words dropped.
fn operator(between: &str) -> Option<Op> {
    let mut s: String =
        between.to_lowercase().chars().filter(|c| !c.is_whitespace() && !"$¥￥€£".contains(*c)).collect();
    for w in CURRENCY_WORDS {
        if let Some(rest) = s.strip_prefix(w) {
            s = rest.to_string();
        }
    }
    let s = s.trim_end_matches(['a', '$']);
    OPERATORS.iter().find(|(w, _)| s == *w).map(|(_, op)| *op)
}

/// Byte spans of the numbers in `text` that belong to a sum working out to what the data states. `targets` are
/// the price, then the compare-at price and the saving, in hundredths. Backed: the operands of "A op B" that
/// comes to the price, or whose numbers are all targets ("259 − 199 = 60"); "A less a yuan" (两百减一) that comes
/// to the price; a count of banknotes that makes the price; and, once such a count is said, other bare counts of
/// the same notes that make another target ("3 tens gets you the kettle, it used to take 4").
pub(super) fn worked_out(text: &str, targets: &[u64]) -> Vec<(usize, usize)> {
    let Some(&price) = targets.first() else { return Vec::new() };
    let mut named = text.to_string();
    if named.to_lowercase().len() == named.len() {
        let lower = named.to_lowercase();
        for (long, short) in NOTE_NAMES {
            for (at, _) in lower.match_indices(long) {
                let padded = format!("{short:<width$}", width = long.len());
                named.replace_range(at..at + long.len(), &padded);
            }
        }
    }
    let text = named.as_str();
    let mentions: Vec<Mention> = number_mentions(text);
    // Lower-cased piece by piece, after a number: offsets stay offsets into `text`.
    let tail = |at: usize| text.get(at..).unwrap_or("").to_lowercase();
    let hits = |v: Option<u64>| v.is_some_and(|v| targets.contains(&v));
    let mut spans = Vec::new();
    for (k, a) in mentions.iter().enumerate() {
        let Some(av) = a.value else { continue };
        // A op B, B a number read as such.
        // It comes to the price, or every number in it is an amount of the data: "$50 − $10" is not the compare-at
        // price said another way, "$40 − $10 = $30" and "259 − 199" are.
        if let Some(b) = mentions.get(k + 1)
            && let Some(op) = text.get(a.end..b.start).and_then(operator)
            && let Some(result) = b.value.and_then(|bv| apply(op, av, bv))
            && (result == price || (hits(Some(result)) && hits(Some(av)) && hits(b.value)))
        {
            spans.push((a.start, a.end));
            spans.push((b.start, b.end));
            continue;
        }
        // A op one, said as an article: "two hundred less a yuan", 两百减一 (not 两百减一百).
        let after_a = tail(a.end);
        let mut rest = after_a.trim_start();
        if let Some(w) = CURRENCY_WORDS.iter().find(|w| rest.starts_with(**w)) {
            rest = rest[w.len()..].trim_start();
        }
        const ONE: [(&str, Op); 10] = [
            ("less a ", Op::Sub),
            ("less one", Op::Sub),
            ("minus one", Op::Sub),
            ("minus a ", Op::Sub),
            ("plus one", Op::Add),
            ("plus a ", Op::Add),
            ("减一", Op::Sub),
            ("减去一", Op::Sub),
            ("少一", Op::Sub),
            ("加一", Op::Add),
        ];
        if let Some((w, op)) = ONE.iter().find(|(w, _)| rest.starts_with(w))
            && !rest[w.len()..].starts_with(|c: char| super::numbers::is_zh_numeral(c) || c.is_ascii_digit())
            && apply(*op, av, 100) == Some(price)
        {
            spans.push((a.start, a.end));
        }
    }
    // "A buck shy of thirty-one", "a dollar short of 31": one less than the number said.
    for m in &mentions {
        if said_one_short_of(text, m) && m.value.and_then(|v| v.checked_sub(100)) == Some(price) {
            spans.push((m.start, m.end));
        }
    }
    // A ratio of the price to the compare-at price: "3:4, thirty against forty".
    if let Some(&compare) = targets.get(1) {
        for pair in mentions.windows(2) {
            let [a, b] = pair else { continue };
            let colon = text.get(a.end..b.start).is_some_and(|t| matches!(t.trim(), ":" | "：" | "to"));
            let (Some(av), Some(bv)) = (a.value, b.value) else { continue };
            if colon && av.checked_mul(compare) == bv.checked_mul(price) {
                spans.push((a.start, b.end));
            }
        }
    }
    // Banknotes: "three tenners", "3 tens".
    let mut notes_said: Vec<u64> = Vec::new();
    for m in &mentions {
        let Some(count) = m.value else { continue };
        let lowered = tail(m.end);
        let after = lowered.trim_start();
        let Some((word, note)) = NOTES
            .iter()
            .find(|(w, _)| after.strip_prefix(w).is_some_and(|tail| !tail.starts_with(|c: char| c.is_alphanumeric())))
        else {
            continue;
        };
        // A count of notes that makes the price, and nothing added ("three tenners and a fiver" is not $30).
        let word_start = m.end + (lowered.len() - after.len());
        let more = after[word.len()..].trim_start();
        let added = ["and ", "plus ", "+", "&", "加"].iter().any(|w| {
            more.strip_prefix(w).is_some_and(|next| {
                let next = next.trim_start();
                let word = next.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
                next.starts_with(|c: char| c.is_ascii_digit() || "$¥￥€£".contains(c))
                    || matches!(word, "a" | "an" | "another" | "change")
                    || crate::verbalize::parse_en_number(word).is_some()
            })
        });
        if count.checked_mul(*note) == Some(price) && !added {
            spans.push((m.start, word_start + word.len()));
            notes_said.push(*note);
        }
    }
    for note in notes_said {
        for m in &mentions {
            if m.value.and_then(|v| v.checked_mul(note)).is_some_and(|v| targets.contains(&v)) && m.currency.is_none() {
                spans.push((m.start, m.end));
            }
        }
    }
    spans
}

/// Whether the number at `m` is said with one taken off it: "a buck shy of thirty-one", "a dollar short of 31".
fn said_one_short_of(text: &str, m: &Mention) -> bool {
    const SHORT_OF: [&str; 6] =
        ["a buck shy of", "a dollar shy of", "a buck short of", "a dollar short of", "one shy of", "one short of"];
    let head = text.get(..m.start).unwrap_or("").to_lowercase();
    SHORT_OF.iter().any(|w| head.trim_end().ends_with(w))
}

/// Whether `text` puts a figure as one less than a number ("a buck shy of forty") that is not the price: a price
/// said by arithmetic, and wrong.
pub(super) fn shy_of_the_wrong_price(text: &str, price: Option<u64>) -> bool {
    let Some(price) = price else { return false };
    number_mentions(text)
        .iter()
        .any(|m| said_one_short_of(text, m) && m.value.and_then(|v| v.checked_sub(100)) != Some(price))
}

/// A small number said as a word, digits or a Chinese numeral ("three", "3", 三), for counts down.
fn small_number(token: &str) -> Option<u64> {
    let lower = token.to_lowercase();
    if let Ok(n) = lower.parse::<u64>() {
        return Some(n);
    }
    if lower.chars().all(super::numbers::is_zh_numeral) && !lower.is_empty() {
        return super::numbers::zh_value(&lower).or_else(|| crate::verbalize::parse_zh_number(&lower));
    }
    crate::verbalize::parse_en_number(&lower)
}

/// Byte spans of counts down to one ("three, two, one, go!", "5, 4, 3, 2, 1", 3、2、1，上链接): the numbers
/// count time to a start, not anything the product has. Three or more numbers in a row, each one less than the
/// last, ending at one, with only marks and spaces between them.
pub(super) fn counted_down(text: &str) -> Vec<(usize, usize)> {
    const MARKS: &str = " ,、，.。…-–—!！~～";
    let mut tokens: Vec<(usize, usize, Option<u64>)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if MARKS.contains(c) {
            if let Some(s) = start.take() {
                tokens.push((s, i, small_number(&text[s..i])));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    let mut spans = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let mut end = k;
        while let (Some((_, _, Some(a))), Some((_, _, Some(b)))) = (tokens.get(end), tokens.get(end + 1)) {
            if *b + 1 != *a {
                break;
            }
            end += 1;
        }
        if end >= k + 2 && tokens[end].2 == Some(1) {
            spans.push((tokens[k].0, tokens[end].1));
        }
        k = end + 1;
    }
    spans
}

/// `text` without figures repeated in brackets after the same figure in words ("seven (7) days", 七（7）天), or
/// `None` where there are none: the bracketed digits say nothing the words did not, and the words are judged.
pub(super) fn without_bracketed_repeats(text: &str) -> Option<String> {
    let mut out = text.to_string();
    let mut changed = false;
    let mut from = 0;
    while let Some(open) = out[from..].find(['(', '（']).map(|i| from + i) {
        let open_len = out[open..].chars().next().map_or(1, char::len_utf8);
        let inner: String = out[open + open_len..].chars().take_while(char::is_ascii_digit).collect();
        let close_at = open + open_len + inner.len();
        let closes = out[close_at..].starts_with([')', '）']);
        let word: String = out[..open]
            .trim_end()
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let same = !inner.is_empty()
            && !word.chars().all(|c| c.is_ascii_digit())
            && small_number(&word).is_some_and(|n| inner.parse::<u64>().ok() == Some(n));
        if closes && same {
            let close_len = out[close_at..].chars().next().map_or(1, char::len_utf8);
            // The space before the bracket goes with it: "seven (7) days" reads "seven days".
            let start = if out[..open].ends_with(' ') { open - 1 } else { open };
            out.replace_range(start..close_at + close_len, "");
            changed = true;
            from = start;
        } else {
            from = open + open_len;
        }
    }
    changed.then_some(out)
}
