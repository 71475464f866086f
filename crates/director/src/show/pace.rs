//! The host's pace. A moderator can switch the host to a slow, plain way of speaking from the console, and the host
//! switches itself for a while when a viewer asks it to slow down or to repeat. In plain pace:
//! - the voice speaks slower (the driver reads [`Pace`] on every [`Output::Speak`]);
//! - long sentences are cut at their clause breaks into short ones, before the gate reads them;
//! - a line that states the product's price says it again, in words built from the product data, and the gate
//!   reads the line with the repeat;
//! - the LLM is asked for short sentences, plain words and no idioms.
//!
//! What is promised on air follows what is done: the answer to a viewer who asked the host to slow down says so
//! only when the pace did change (see `templates`).

use super::Show;
use super::protocol::Output;
use crate::verbalize;
use model::{ConsoleEvent, Lang, Pace, Product, ShowTime, UnixMs};

/// How long the host keeps the plain pace after a viewer asked for it (each new request starts it again).
pub const PLAIN_FOR_VIEWER_MS: i64 = 10 * 60 * 1000;

/// Sentences longer than this (words in English, characters in Chinese) are cut at their clause breaks.
const LONGEST_EN_WORDS: usize = 12;
const LONGEST_ZH_CHARS: usize = 16;

impl Show {
    /// The pace the host speaks at now.
    pub fn pace(&self) -> Pace {
        self.pace
    }

    /// A moderator's switch: it holds until a moderator switches back.
    pub(super) fn set_pace_by_moderator(&mut self, pace: Pace) {
        let was = (self.pace, self.plain_until);
        self.pace = pace;
        self.plain_until = None;
        let words = match pace {
            Pace::Plain => "slow, plain speech is on until a moderator switches it off",
            Pace::Usual => "the host speaks at its usual pace",
        };
        if was == (pace, None) {
            self.moderator_note(format!("pace: {words} (it already was)"));
            return;
        }
        self.moderator_note(format!("pace: {words}"));
        self.outputs.push_back(Output::Console(ConsoleEvent::PaceChanged {
            pace,
            until: None,
            why: "a moderator switched it".into(),
        }));
    }

    /// A viewer asked the host to slow down or to repeat: plain pace for [`PLAIN_FOR_VIEWER_MS`] from now, unless
    /// a moderator already switched it on for good. Returns whether the host now speaks plainly.
    pub(super) fn plain_for_viewer(&mut self, wall: UnixMs, viewer: &str) -> bool {
        if self.pace == Pace::Plain && self.plain_until.is_none() {
            return true;
        }
        let until = UnixMs(wall.0 + PLAIN_FOR_VIEWER_MS);
        self.pace = Pace::Plain;
        self.plain_until = Some(until);
        self.outputs.push_back(Output::Console(ConsoleEvent::PaceChanged {
            pace: Pace::Plain,
            until: Some(until),
            why: format!("{viewer} asked the host to slow down"),
        }));
        true
    }

    /// Back to the usual pace once a viewer's plain pace has run its time.
    pub(super) fn pace_due(&mut self, now: ShowTime) {
        if let Some(until) = self.plain_until
            && until <= self.wall(now)
        {
            self.pace = Pace::Usual;
            self.plain_until = None;
            self.outputs.push_back(Output::Console(ConsoleEvent::PaceChanged {
                pace: Pace::Usual,
                until: None,
                why: "the slow pace a viewer asked for ran its time".into(),
            }));
        }
    }

    /// When a viewer's plain pace ends, in show time (for [`Show::poll_timeout`]).
    pub(super) fn pace_deadline(&self) -> Option<ShowTime> {
        self.plain_until.map(|until| self.show_time_of(until))
    }
}

/// `text` with every sentence longer than a short one cut at its clause breaks (commas, semicolons, dashes) into
/// sentences of its own. Pieces too short to stand alone stay with the piece before them.
pub fn shortened(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => shortened_en(text),
        Lang::Zh => shortened_zh(text),
    }
}

fn shortened_en(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for sentence in split_keeping(text, &['.', '!', '?']) {
        let trimmed = sentence.trim();
        if trimmed.is_empty() {
            continue;
        }
        if trimmed.split_whitespace().count() <= LONGEST_EN_WORDS {
            push_sentence(&mut out, trimmed);
            continue;
        }
        let end = trimmed.chars().last().filter(|c| matches!(c, '.' | '!' | '?')).unwrap_or('.');
        let body = trimmed.trim_end_matches(['.', '!', '?']);
        // A piece of one or two words ("so", "and yes") cannot stand as a sentence.
        let pieces = clauses(body, &[',', ';', '—', '–'], ", ", |p| p.split_whitespace().count() < 3);
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut piece = capitalised(&piece);
            piece.push(if i + 1 == count { end } else { '.' });
            push_sentence(&mut out, &piece);
        }
    }
    out
}

fn shortened_zh(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for sentence in split_keeping(text, &['。', '！', '？', '!', '?']) {
        let trimmed = sentence.trim();
        if trimmed.chars().count() <= LONGEST_ZH_CHARS {
            out.push_str(trimmed);
            continue;
        }
        let end = trimmed.chars().last().filter(|c| "。！？!?".contains(*c)).unwrap_or('。');
        let body = trimmed.trim_end_matches(['。', '！', '？', '!', '?']);
        let pieces = clauses(body, &['，', '；', ',', ';', '—'], "，", |p| p.chars().count() < 4);
        let count = pieces.len();
        for (i, piece) in pieces.into_iter().enumerate() {
            out.push_str(&piece);
            out.push(if i + 1 == count { end } else { '。' });
        }
    }
    out
}

/// `body` cut at `breaks` into clauses; a clause `too_short` to stand alone stays with the one before it, joined
/// by `joiner`.
fn clauses(body: &str, breaks: &[char], joiner: &str, too_short: impl Fn(&str) -> bool) -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for piece in body.split(breaks).map(str::trim).filter(|p| !p.is_empty()) {
        match pieces.last_mut() {
            Some(last) if too_short(piece) => {
                last.push_str(joiner);
                last.push_str(piece);
            }
            _ => pieces.push(piece.to_string()),
        }
    }
    pieces
}

/// `text` split after each of `ends`, the ends kept with their sentence.
fn split_keeping<'a>(text: &'a str, ends: &[char]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        // A point inside a number ($29.99) ends nothing.
        let inside_number = c == '.' && text[at + 1..].starts_with(|n: char| n.is_ascii_digit());
        if ends.contains(&c) && !inside_number {
            out.push(&text[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn push_sentence(out: &mut String, sentence: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(sentence);
}

fn capitalised(piece: &str) -> String {
    let mut chars = piece.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `text` states `product`'s price: in the words the voice says it in, or as its figure beside a currency.
pub fn states_price(text: &str, product: &Product, lang: Lang) -> bool {
    let spoken = verbalize::money(&product.price, lang);
    if text.contains(&spoken) {
        return true;
    }
    let figure = product.price.amount_text();
    let digits: String = figure.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
    let digits = digits.trim_end_matches(".00").trim_matches('.');
    const CURRENCY: &[&str] =
        &["$", "¥", "￥", "€", "£", "元", "块", "美元", "美金", "dollar", "yuan", "rmb", "usd", "cny", "刀"];
    let lower = text.to_lowercase();
    !digits.is_empty()
        && lower.match_indices(digits).any(|(at, _)| {
            let before = lower[..at].chars().next_back();
            let after = lower[at + digits.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_digit()) && !after.is_some_and(|c| c.is_ascii_digit())
        })
        && CURRENCY.iter().any(|c| lower.contains(c))
}

/// The price said again, from the product data: "Again, thirty dollars." / "再说一遍，三十美元。"
pub fn price_again(product: &Product, lang: Lang) -> String {
    let spoken = verbalize::money(&product.price, lang);
    match lang {
        Lang::En => format!("Again, {spoken}."),
        Lang::Zh => format!("再说一遍，{spoken}。"),
    }
}

/// What the LLM is told in plain pace, after its other instructions.
pub fn plain_instruction(lang: Lang) -> &'static str {
    match lang {
        Lang::En => {
            "A viewer needs the host to speak slowly and plainly: use short sentences of at most twelve words, \
             everyday words, no idioms, no slang."
        }
        Lang::Zh => "有观众需要主播说得慢一点、简单一点：每句话不超过十六个字，用日常说法，不用成语和网络用语。",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_products::{kettle, tea_set};

    #[test]
    fn long_sentences_are_cut_at_their_clause_breaks_and_short_ones_stay() {
        let long = "It boils a full litre in a few minutes, the handle stays cool to the touch, and it is thirty \
                    dollars today.";
        assert_eq!(
            shortened(long, Lang::En),
            "It boils a full litre in a few minutes. The handle stays cool to the touch. And it is thirty dollars \
             today."
        );
        assert_eq!(shortened("It's thirty dollars, was forty.", Lang::En), "It's thirty dollars, was forty.");
        // A two-word clause stays with the one before it; a price's decimal point ends no sentence.
        let prices = "The set is $29.99 today, so yes, which is less than it was last week and less than anywhere.";
        assert_eq!(
            shortened(prices, Lang::En),
            "The set is $29.99 today, so yes. Which is less than it was last week and less than anywhere."
        );
        assert_eq!(
            shortened("这套茶具是手工拉坯的，釉色是柔和的青瓷色，今天一百九十九元。", Lang::Zh),
            "这套茶具是手工拉坯的。釉色是柔和的青瓷色。今天一百九十九元。"
        );
        assert_eq!(shortened("三十美元，原价四十。", Lang::Zh), "三十美元，原价四十。");
    }

    /// What the host says when it slows down for a viewer passes the gate untouched in both languages (a number
    /// such as 两遍 would be an unbacked claim, so the Chinese lines say 重复说).
    #[test]
    fn the_lines_that_announce_plain_pace_pass_the_gate() {
        use crate::air::Gate;
        use crate::ledger::ClaimsLedger;
        let mut product = kettle();
        product.title = model::Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) };
        for lang in [Lang::En, Lang::Zh] {
            let ledger = ClaimsLedger::for_product(&product, lang, UnixMs(0));
            for line in crate::templates::plain_pace_lines(lang) {
                let gated = Gate::new(&ledger, lang, None).clear(line);
                assert!(gated.notes.is_empty(), "{line}: {:?}", gated.notes);
                assert_eq!(gated.cleared.map(|c| c.into_string()).as_deref(), Some(*line));
            }
        }
    }

    #[test]
    fn the_price_is_found_in_words_or_figures_and_said_again_from_the_data() {
        let kettle = kettle();
        assert!(states_price("It's thirty dollars today.", &kettle, Lang::En));
        assert!(states_price("Only $30 today.", &kettle, Lang::En));
        assert!(!states_price("It boils in 30 seconds flat.", &kettle, Lang::En));
        assert!(!states_price("Down from $40.", &kettle, Lang::En));
        assert_eq!(price_again(&kettle, Lang::En), "Again, thirty dollars.");
        let tea = tea_set();
        assert!(states_price("今天199元。", &tea, Lang::Zh));
        assert!(!states_price("今天1990元。", &tea, Lang::Zh));
        assert!(price_again(&tea, Lang::Zh).starts_with("再说一遍，"));
    }
}
