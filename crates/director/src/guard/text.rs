//! The forms a sentence takes on its way through the rules: folded (the form every phrase list is written in),
//! matched at word boundaries, and blanked (backed words replaced by spaces, so every offset still holds).

/// Lower-case ASCII, fullwidth forms folded to ASCII, curly apostrophes straightened, runs of spaces collapsed:
/// the form every phrase list is written in.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last_space = false;
    for c in text.chars() {
        let c = fold_char(c);
        if c.is_whitespace() {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
            continue;
        }
        last_space = false;
        out.extend(c.to_lowercase());
    }
    out
}

pub(super) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{00A5}' | '\u{FFE5}' => '¥',
        // Cantonese 慳 ("save", 慳六十蚊) is read as 省.
        '慳' => '省',
        '\u{4E00}'..='\u{9FFF}' => crate::hanzi::simplified(c),
        c => c,
    }
}

/// The first place `phrase` occurs in `folded`: ASCII phrases only at word boundaries, a trailing `*` letting the
/// last word run on (`fuck*` matches "fucking"); phrases with Chinese characters anywhere.
pub(super) fn find_one(folded: &str, phrase: &str) -> Option<usize> {
    matches_of(folded, phrase).next()
}

/// Every place `phrase` occurs in `folded`, by the rules of [`find_one`].
pub(super) fn find_all(folded: &str, phrase: &str) -> Vec<usize> {
    matches_of(folded, phrase).collect()
}

fn matches_of<'a>(folded: &'a str, phrase: &'a str) -> impl Iterator<Item = usize> + 'a {
    folded.match_indices(needle(phrase)).map(|(at, _)| at).filter(move |&at| stands_alone(folded, at, phrase))
}

/// The text a phrase entry looks for: the entry without its trailing `*`.
pub(super) fn needle(phrase: &str) -> &str {
    phrase.strip_suffix('*').unwrap_or(phrase)
}

/// Whether `phrase`, whose text ([`needle`]) occurs at `at` in `folded`, counts there by the rules of
/// [`find_one`].
pub(super) fn stands_alone(folded: &str, at: usize, phrase: &str) -> bool {
    let (needle, stem) = (needle(phrase), phrase.ends_with('*'));
    if needle.is_empty() {
        return false;
    }
    let wordy = needle.bytes().any(|b| b.is_ascii_alphanumeric());
    if !wordy || !needle.is_ascii() {
        return true;
    }
    // An apostrophe ends a word here, so "OpenAI's" still names OpenAI.
    let is_word = |c: char| c.is_ascii_alphanumeric();
    let before = folded.get(..at).and_then(|s| s.chars().next_back());
    let after = folded.get(at + needle.len()..).and_then(|s| s.chars().next());
    let starts_clean = !(needle.starts_with(|c: char| c.is_ascii_alphanumeric()) && before.is_some_and(is_word));
    let ends_clean = stem || !(needle.ends_with(|c: char| c.is_ascii_alphanumeric()) && after.is_some_and(is_word));
    starts_clean && ends_clean
}

/// Blanks (with spaces, byte for byte) every occurrence of `needle` in `text` that stands on word boundaries and
/// is not already blanked; ASCII letters compare without case. Whether any was blanked.
pub(super) fn blank_all(text: &mut String, needle: &str) -> bool {
    blank_all_unless(text, needle, |_| false)
}

/// Words that, just before an amount, make it the price: "only ¥99", "just $30", 只要99元, 到手价99.
pub(super) const PRICE_FRAMES: [&str; 16] = [
    "只要",
    "只需",
    "仅需",
    "仅售",
    "仅要",
    "只卖",
    "售价",
    "现价",
    "到手价",
    "一口价",
    "才",
    "only",
    "just",
    "costs",
    "priced at",
    "price is",
];

/// Whether `before` (the text before an amount) ends with a word that makes the amount the price, currency signs
/// and spaces aside.
pub(super) fn price_frame_before(before: &str) -> bool {
    let before = before.to_lowercase();
    let near = before.trim_end_matches(|c: char| c.is_whitespace() || "¥￥$€£".contains(c));
    PRICE_FRAMES.iter().any(|f| near.ends_with(f))
}

/// [`blank_all`], leaving the places where `keep` says yes to the text before them.
pub(super) fn blank_all_unless(text: &mut String, needle: &str, keep: impl Fn(&str) -> bool) -> bool {
    if needle.trim().is_empty() {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let wordy_start = needle.starts_with(|c: char| c.is_ascii_alphanumeric());
    let wordy_end = needle.ends_with(|c: char| c.is_ascii_alphanumeric());
    let mut spans = Vec::new();
    for (at, _) in lower.match_indices(needle) {
        let end = at + needle.len();
        let clean_start = !wordy_start || !lower[..at].ends_with(|c: char| c.is_ascii_alphanumeric());
        // A word joined on by a hyphen, or a number word followed by another ("forty" in "forty-eight" or
        // "forty eight"), is part of a longer word or number: not this needle.
        let rest = &lower[end..];
        let joined = rest.strip_prefix('-').is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphanumeric()));
        let next_word: String =
            rest.trim_start_matches([' ', '-']).chars().take_while(char::is_ascii_alphabetic).collect();
        let longer_number = crate::verbalize::is_en_number_word(needle.trim())
            && rest.starts_with([' ', '-'])
            && crate::verbalize::is_en_number_word(next_word.as_str())
            && !matches!(next_word.as_str(), "and" | "a");
        let clean_end =
            !wordy_end || (!rest.starts_with(|c: char| c.is_ascii_alphanumeric()) && !joined && !longer_number);
        if clean_start && clean_end && !keep(&text[..at]) {
            spans.push((at, end));
        }
    }
    for &(start, end) in &spans {
        blank(text, start, end);
    }
    !spans.is_empty()
}

/// Replaces `text[start..end]` with as many spaces, keeping every other offset where it was.
pub(crate) fn blank(text: &mut String, start: usize, end: usize) {
    if start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
        text.replace_range(start..end, &" ".repeat(end - start));
    }
}

/// A folded copy of a text (as [`fold`] makes it) that remembers where each of its bytes came from, so a span
/// found in the folded text can be blanked in the original.
pub(super) struct Flat {
    pub(super) text: String,
    from: Vec<usize>,
    len: usize,
}

impl Flat {
    pub(super) fn new(original: &str) -> Flat {
        let mut text = String::with_capacity(original.len());
        let mut from = Vec::with_capacity(original.len() + 1);
        let mut last_space = false;
        for (i, c) in original.char_indices() {
            let c = fold_char(c);
            if c.is_whitespace() {
                if !last_space {
                    text.push(' ');
                    from.push(i);
                }
                last_space = true;
                continue;
            }
            last_space = false;
            for lower in c.to_lowercase() {
                let before = text.len();
                text.push(lower);
                from.extend(std::iter::repeat_n(i, text.len() - before));
            }
        }
        Flat { text, from, len: original.len() }
    }

    /// The original offset of a folded offset (the end maps to the end).
    pub(super) fn orig(&self, folded: usize) -> usize {
        match self.from.get(folded) {
            Some(&i) => i,
            None => self.len,
        }
    }
}

/// The word just before and just after a span, folded: an ASCII word, or one Chinese character.
pub(super) fn neighbours(text: &str, start: usize, end: usize) -> (String, String) {
    let word = |chars: &mut dyn Iterator<Item = char>| -> String {
        let mut out = String::new();
        for c in chars.map(fold_char).skip_while(|c| matches!(c, ' ' | '-' | ':' | '：')) {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else {
                if out.is_empty() && !c.is_ascii() {
                    out.push(c);
                }
                break;
            }
        }
        out
    };
    let before: String = word(&mut text.get(..start).unwrap_or("").chars().rev()).chars().rev().collect();
    let after = word(&mut text.get(end..).unwrap_or("").chars());
    (before, after)
}

/// Whether `c` is a CJK ideograph (the unified blocks and the compatibility block).
pub(super) fn is_cjk_char(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}
