//! Coupon codes spelt out for the ear: "T-E-A-one-zero", "T-E-A-1-0", "T E A 2 0". Read letter by letter they
//! are no code at all, so a wrong one would slip past the coupon check and its digits would be read as stray
//! numbers. The checks read the line with each spelt code written as one ("TEA10"); the line is said as written.

/// Digit words a code's digits are spelt with.
const DIGIT_WORDS: [(&str, char); 12] = [
    ("zero", '0'),
    ("oh", '0'),
    ("one", '1'),
    ("two", '2'),
    ("three", '3'),
    ("four", '4'),
    ("five", '5'),
    ("six", '6'),
    ("seven", '7'),
    ("eight", '8'),
    ("nine", '9'),
    ("o", '0'),
];

/// `text` with every spelt code written as one, or `None` when it spells none. A spelt code is at least two single
/// letters, then one to three digits (each a digit or a digit word) or one number of up to three digits, all
/// joined by single hyphens, dots or spaces; letters joined by spaces must be capitals ("T E A 1 0"), so that
/// "a 1" or "I a 2" in a sentence is never taken for one.
pub(super) fn compacted(text: &str) -> Option<String> {
    if !text.contains(['-', ' ', '.']) {
        return None;
    }
    // Maximal runs of ASCII letters and digits, with where they start and end.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (start, c.is_ascii_alphanumeric()) {
            (None, true) => start = Some(at),
            (Some(s), false) => {
                runs.push((s, at));
                start = None;
            }
            _ => {}
        }
    }
    let gap = |a: (usize, usize), b: (usize, usize)| text.get(a.1..b.0).unwrap_or("");
    let letter = |r: (usize, usize)| {
        let w = &text[r.0..r.1];
        (w.len() == 1 && w.as_bytes()[0].is_ascii_alphabetic()).then(|| w.as_bytes()[0])
    };
    let digit = |r: (usize, usize)| -> Option<String> {
        let w = &text[r.0..r.1];
        if w.bytes().all(|b| b.is_ascii_digit()) && w.len() <= 3 {
            return Some(w.to_string());
        }
        let lower = w.to_ascii_lowercase();
        DIGIT_WORDS.iter().find(|(word, _)| *word == lower).map(|(_, d)| d.to_string())
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < runs.len() {
        // Letters first.
        let mut letters = String::new();
        // Whether every letter so far was written as a capital: only capitals may be joined by spaces.
        let mut capitals = true;
        let mut k = i;
        while k < runs.len() {
            let Some(l) = letter(runs[k]) else { break };
            if k > i {
                let g = gap(runs[k - 1], runs[k]);
                let joined = matches!(g, "-" | "." | "·") || (g == " " && l.is_ascii_uppercase() && capitals);
                if !joined {
                    break;
                }
            }
            capitals &= l.is_ascii_uppercase();
            letters.push(char::from(l.to_ascii_uppercase()));
            k += 1;
        }
        // Then digits, joined to the letters and to each other the same way.
        let mut digits = String::new();
        let mut d = k;
        while letters.len() >= 2 && d < runs.len() && d - k < 3 {
            if !matches!(gap(runs[d - 1], runs[d]), "-" | "." | " " | "·") {
                break;
            }
            let Some(spelt) = digit(runs[d]) else { break };
            // One number ("T-E-A-10") or single digits ("T-E-A-1-0"), not both.
            if spelt.len() > 1 && d > k {
                break;
            }
            // A lone "o" or "oh" is a digit only among other digits ("T-E-A-one-oh"), never the first.
            let word = text[runs[d].0..runs[d].1].to_ascii_lowercase();
            if d == k && matches!(word.as_str(), "o" | "oh") {
                break;
            }
            digits.push_str(&spelt);
            d += 1;
            if spelt.len() > 1 {
                break;
            }
        }
        // A code ends where the spelling does: "T-E-A-1-0-x" is something else.
        let spelt = letters.len() >= 2 && !digits.is_empty();
        let ends_clean = || runs.get(d).is_none_or(|next| gap(runs[d - 1], *next) != "-");
        if spelt && ends_clean() {
            let (from, to) = (runs[i].0, runs[d - 1].1);
            out.push_str(&text[copied..from]);
            out.push_str(&letters);
            out.push_str(&digits);
            copied = to;
            i = d;
        } else {
            i = k.max(i + 1);
        }
    }
    out.push_str(&text[copied..]);
    let joined = spelt_numbers(&out);
    let changed = copied > 0 || joined.is_some();
    let spelt = joined.unwrap_or(out);
    match roman_figures(&spelt) {
        Some(read) => Some(read),
        None => changed.then_some(spelt),
    }
}

/// Words after a figure that make it a price or a count: "XXV dollars", "IV sets remaining".
const FIGURE_UNITS: [&str; 31] = [
    "dollars",
    "dollar",
    "bucks",
    "quid",
    "yuan",
    "rmb",
    "usd",
    "cny",
    "pounds",
    "euros",
    "sets",
    "set",
    "kettles",
    "kettle",
    "units",
    "unit",
    "pieces",
    "pcs",
    "cups",
    "pots",
    "teapots",
    "items",
    "left",
    "remaining",
    "stock",
    "percent",
    "off",
    "per",
    "orders",
    "people",
    "days",
];

/// Roman numerals used as figures, written as digits: "XXV dollars" (25), "IV sets remaining" (4), "$XXX" (30).
/// Only numerals of two letters or more in capitals, written the one way Roman numerals are (so "MIX" or "IIII"
/// stay words), with a currency sign before them or a unit or count word after them; "XL" is a size.
fn roman_figures(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut start = None;
    for (at, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if c.is_ascii_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        let Some(from) = start.take() else { continue };
        let word = &text[from..at];
        let Some(value) = roman_value(word) else { continue };
        let before = text[..from].trim_end();
        let signed = before.ends_with(['$', '¥', '£', '€']);
        let after = text[at..].trim_start();
        // "IV in stock": the count's word comes after "in".
        let after = after.strip_prefix("in ").unwrap_or(after);
        let next: String =
            after.chars().take_while(|c| c.is_alphabetic() || *c == '%').flat_map(char::to_lowercase).collect();
        if signed || next == "%" || FIGURE_UNITS.contains(&next.as_str()) {
            out.push_str(&text[copied..from]);
            out.push_str(&value.to_string());
            copied = at;
        }
    }
    (copied > 0).then(|| {
        out.push_str(&text[copied..]);
        out
    })
}

/// The value of a Roman numeral of at least two capitals written in its one standard form, 2 to 3999; not "XL".
fn roman_value(word: &str) -> Option<u32> {
    if word.len() < 2 || word == "XL" || !word.bytes().all(|b| b"IVXLCDM".contains(&b)) {
        return None;
    }
    let digit = |b: u8| -> i64 {
        match b {
            b'I' => 1,
            b'V' => 5,
            b'X' => 10,
            b'L' => 50,
            b'C' => 100,
            b'D' => 500,
            _ => 1000,
        }
    };
    let bytes = word.as_bytes();
    let mut value: i64 = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let d = digit(b);
        // A smaller numeral before a larger one is taken away from it (IV, XC).
        if bytes.get(i + 1).is_some_and(|&n| digit(n) > d) { value -= d } else { value += d }
    }
    let value = u32::try_from(value).ok().filter(|v| (2..=3999).contains(v))?;
    (roman(value) == word).then_some(value)
}

/// `value` (1 to 3999) written as a Roman numeral in its standard form.
fn roman(mut value: u32) -> String {
    const PARTS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (worth, letters) in PARTS {
        while value >= worth {
            out.push_str(letters);
            value -= worth;
        }
    }
    out
}

/// Figures spelt digit by digit with hyphens, as a host reads a price out slowly: "1-9-9 yuan", "Three-zero
/// dollars", "four-zero" (199, 30, 40). Three digits or more, or two with a zero among them ("one-two" and "1-2
/// days" stay as they are); each part one digit or one digit word.
fn spelt_numbers(text: &str) -> Option<String> {
    let digit_of = |word: &str| -> Option<char> {
        let lower = word.to_ascii_lowercase();
        if lower.len() == 1 && lower.as_bytes()[0].is_ascii_digit() {
            return lower.chars().next();
        }
        DIGIT_WORDS.iter().find(|(w, _)| *w == lower && *w != "o").map(|(_, d)| *d)
    };
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (n, word) in text.split(' ').enumerate() {
        if n > 0 {
            out.push(' ');
        }
        // The word without what trails it ("2-5-9." keeps its full stop).
        let core_end = word.rfind(|c: char| c.is_ascii_alphanumeric()).map_or(0, |i| i + 1);
        let lead = word.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(core_end).min(core_end);
        let (head, core, tail) = (&word[..lead], &word[lead..core_end], &word[core_end..]);
        let parts: Vec<&str> = core.split('-').collect();
        let digits: Option<String> = (parts.len() >= 2).then(|| parts.iter().map(|p| digit_of(p)).collect()).flatten();
        match digits {
            Some(d) if d.len() >= 3 || d.contains('0') => {
                out.push_str(head);
                out.push_str(&d);
                out.push_str(tail);
                changed = true;
            }
            _ => out.push_str(word),
        }
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{compacted, roman, roman_value};

    #[test]
    fn spelt_codes_are_read_as_one_and_words_are_left_alone() {
        for (spelt, code) in [
            ("That's T-E-A-one-zero.", "That's TEA10."),
            ("Use T-E-A-1-0 at checkout", "Use TEA10 at checkout"),
            ("code T E A 2 0, twenty off", "code TEA20, twenty off"),
            ("t.e.a.1.0 works", "TEA10 works"),
            ("It's S-A-V-E-10.", "It's SAVE10."),
            ("K-E-T-T-L-E-five-oh!", "KETTLE50!"),
        ] {
            assert_eq!(compacted(spelt).as_deref(), Some(code), "{spelt}");
        }
        for (spelt, figure) in [
            ("1-9-9 yuan, was 2-5-9.", "199 yuan, was 259."),
            ("Three-zero dollars.", "30 dollars."),
            ("Stock: four-zero!", "Stock: 40!"),
        ] {
            assert_eq!(compacted(spelt).as_deref(), Some(figure), "{spelt}");
        }
        for plain in [
            "Ships in 1-2 days",
            "A one-two punch",
            "ninety-nine and twenty-one",
            "I have a 1 in 3 chance",
            "A 2-in-1 kettle",
            "Buy 2 get 1 free",
            "the U.S. price is 30 dollars",
            "It's a USB-C port",
            "No code, no T-shirt",
            "Grade A 1 quality",
        ] {
            assert_eq!(compacted(plain), None, "{plain}");
        }
    }

    #[test]
    fn roman_figures_beside_a_unit_or_a_sign_are_read_as_digits() {
        // Every numeral from 2 to 3999 reads back as its value, and no other spelling of it does.
        for value in 2..=3999 {
            let written = roman(value);
            if written != "XL" && written.len() > 1 {
                assert_eq!(roman_value(&written), Some(value), "{written}");
            }
        }
        for odd in ["IIII", "VV", "IC", "XM", "CIVIC", "I", "V", "xxv", "XL", "MMMM"] {
            assert_eq!(roman_value(odd), None, "{odd}");
        }
        let units = ["dollars", "bucks", "yuan", "sets", "units", "pcs", "left", "remaining", "percent", "%"];
        for (n, unit) in units.iter().enumerate() {
            let value = 2 + n as u32 * 37;
            let line = format!("Only {} {unit} today.", roman(value));
            let read = compacted(&line).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(read, format!("Only {value} {unit} today."), "{line}");
        }
        assert_eq!(compacted("Just $XXV, folks").as_deref(), Some("Just $25, folks"));
        for plain in [
            "Chapter IV of the story",
            "Henry VIII liked tea",
            "An XL box for the kettle",
            "Washington DC in the spring",
            "Mix it with MD notes",
            "World War II was long ago",
            "the CD player",
        ] {
            assert_eq!(compacted(plain), None, "{plain}");
        }
    }
}
