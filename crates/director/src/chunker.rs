//! The sentence chunker: streaming writer deltas to speakable sentences.
//!
//! The voice starts on a sentence as soon as it is complete, so the first sentence is released the moment its
//! terminator is known to end it. Chinese terminators (。！？；) end a sentence at once. The ASCII ones (. ! ?) only
//! end a sentence when followed by a space, a newline or Chinese text, because "19.99", "e.g.", "No. 5",
//! "example.com/a?b" and "..." must never be cut; a terminator at the very end of the buffered text therefore
//! waits for the next delta (or [`SentenceChunker::finish`]). A run with no terminator is split at a comma once it
//! grows past the maximum length, so the voice never waits on a model that forgot to stop a sentence.

/// Sentences longer than this (in characters) are split at the last comma before the limit.
pub const DEFAULT_MAX_CHARS: usize = 160;

/// Abbreviations whose trailing period never ends a sentence (compared lower-case, without that period).
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "eg", "ie", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "vs", "approx", "incl", "excl",
    "dept", "est", "fig", "no", "nos", "vol", "ca", "cf", "al", "a.m", "p.m", "u.s", "u.k", "oz", "lbs", "min", "max",
    "mt", "ft", "in", "pt", "qty", "rs",
];

/// Abbreviations that only continue the sentence when a lower-case word or a digit follows ("etc. and", "No. 5").
const SOFT_ABBREVIATIONS: &[&str] = &["etc", "no", "nos", "in", "min", "max", "pt", "st"];

/// Turns a stream of text deltas into whole sentences.
#[derive(Clone, Debug)]
pub struct SentenceChunker {
    buffer: String,
    /// Byte offset in `buffer` up to which no boundary exists; scanning resumes here.
    scanned: usize,
    max_chars: usize,
    /// Whether a sentence was just released at a Chinese terminator, so closing quotes and repeated marks that
    /// arrive next belong to it and are dropped rather than starting a new sentence.
    after_hard_stop: bool,
}

impl Default for SentenceChunker {
    fn default() -> SentenceChunker {
        SentenceChunker::new()
    }
}

impl SentenceChunker {
    pub fn new() -> SentenceChunker {
        SentenceChunker::with_max_chars(DEFAULT_MAX_CHARS)
    }

    /// A chunker that force-splits runs longer than `max_chars` characters (at least 16).
    pub fn with_max_chars(max_chars: usize) -> SentenceChunker {
        SentenceChunker { buffer: String::new(), scanned: 0, max_chars: max_chars.max(16), after_hard_stop: false }
    }

    /// Adds a delta and returns every sentence it completed, in order.
    pub fn push(&mut self, delta: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.push_into(delta, &mut out);
        out
    }

    /// Like [`SentenceChunker::push`], appending to `out` so a hot loop can reuse one vector.
    pub fn push_into(&mut self, delta: &str, out: &mut Vec<String>) {
        self.buffer.push_str(delta);
        if self.after_hard_stop {
            let trimmed = self.buffer.trim_start_matches(|c: char| CLOSERS.contains(c) || HARD_STOPS.contains(c));
            if trimmed.len() != self.buffer.len() {
                let cut = self.buffer.len() - trimmed.len();
                self.buffer.drain(..cut);
                self.scanned = self.scanned.saturating_sub(cut);
            }
            if !self.buffer.is_empty() {
                self.after_hard_stop = false;
            }
        }
        while let Some((end, hard)) = self.next_boundary(false) {
            // A mark released at the very end of the buffer may be followed by more marks or a closing quote in
            // the next delta ("Really?" then "!\""): those belong to it and are dropped like a Chinese stop's.
            let eager = end == self.buffer.len();
            self.release(end, out);
            self.after_hard_stop = hard || eager;
        }
        self.force_split_long_runs(out);
    }

    /// Ends the stream: returns what is left as the last sentence(s).
    pub fn finish(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        while let Some((end, _)) = self.next_boundary(true) {
            self.release(end, &mut out);
        }
        self.force_split_long_runs(&mut out);
        let rest = std::mem::take(&mut self.buffer);
        self.scanned = 0;
        self.after_hard_stop = false;
        push_sentence(&rest, &mut out);
        out
    }

    /// Text received but not yet released.
    pub fn pending(&self) -> &str {
        &self.buffer
    }

    fn release(&mut self, end: usize, out: &mut Vec<String>) {
        let end = end.min(self.buffer.len());
        let sentence: String = self.buffer.drain(..end).collect();
        self.scanned = 0;
        push_sentence(&sentence, out);
    }

    /// The byte offset just past the next sentence end, and whether it was a Chinese (hard) stop. With `at_end`,
    /// the end of the buffer counts as whitespace, so a final "Thanks." is complete.
    fn next_boundary(&mut self, at_end: bool) -> Option<(usize, bool)> {
        let buffer = self.buffer.as_str();
        let mut iter = buffer.get(self.scanned..)?.char_indices().map(|(i, c)| (i + self.scanned, c)).peekable();
        while let Some((i, c)) = iter.next() {
            let next = iter.peek().map(|&(_, n)| n);
            if c == '\n' {
                if buffer.get(..i).is_some_and(|s| s.trim().is_empty()) {
                    continue;
                }
                return Some((i + 1, false));
            }
            if HARD_STOPS.contains(c) {
                // Take the whole run of marks and closing quotes that is already here: "真的吗？！」".
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = iter.peek() {
                    if HARD_STOPS.contains(n) || CLOSERS.contains(n) || SOFT_STOPS.contains(n) {
                        end = j + n.len_utf8();
                        iter.next();
                    } else {
                        break;
                    }
                }
                return Some((end, true));
            }
            if SOFT_STOPS.contains(c) {
                let Some(next) = next else {
                    if at_end || ends_plainly(buffer.get(..i).unwrap_or(""), c) {
                        return Some((buffer.len(), false));
                    }
                    // The next delta decides: "19." may become "19.99", "No." may go on with " 5".
                    self.scanned = i;
                    return None;
                };
                if SOFT_STOPS.contains(next) || CLOSERS.contains(next) {
                    // Part of a run ("?!", "...", ".\"") handled at its last mark.
                    if c == '.' && next == '.' {
                        // An ellipsis is a pause inside the sentence, never an end.
                        while iter.peek().is_some_and(|&(_, n)| n == '.') {
                            iter.next();
                        }
                    }
                    continue;
                }
                if c == '.' && buffer.get(..i).is_some_and(|s| s.ends_with('.')) {
                    continue;
                }
                let ends = next.is_whitespace() || is_cjk(next);
                if !ends {
                    continue;
                }
                let (before, after) = (buffer.get(..i).unwrap_or(""), buffer.get(i + 1..).unwrap_or(""));
                if c == '.' && is_abbreviation(before, after) {
                    continue;
                }
                if c == '.' && !at_end && after.trim_start().is_empty() && is_soft_abbreviation(before) {
                    // "No. " might go on with "5": wait for the next word.
                    self.scanned = i;
                    return None;
                }
                return Some((i + c.len_utf8(), false));
            }
            if CLOSERS.contains(c) {
                // A closing quote after a soft stop: `He said "hi." Then` ends after the quote.
                let prev = buffer.get(..i).and_then(|s| s.chars().next_back());
                if prev.is_some_and(|p| SOFT_STOPS.contains(p)) {
                    match next {
                        Some(n) if n.is_whitespace() || is_cjk(n) => return Some((i + c.len_utf8(), false)),
                        None if at_end => return Some((buffer.len(), false)),
                        None => {
                            self.scanned = i;
                            return None;
                        }
                        _ => {}
                    }
                }
            }
        }
        self.scanned = if at_end { 0 } else { self.buffer.len() };
        None
    }

    /// Splits runs that grew past the maximum length at the last comma (or space) before the limit.
    fn force_split_long_runs(&mut self, out: &mut Vec<String>) {
        while self.buffer.chars().count() > self.max_chars {
            let limit = self.buffer.char_indices().nth(self.max_chars).map_or(self.buffer.len(), |(i, _)| i);
            let head = self.buffer.get(..limit).unwrap_or("");
            let cut = head
                .char_indices()
                .rev()
                .find(|&(_, c)| COMMAS.contains(c))
                .map(|(i, c)| i + c.len_utf8())
                .or_else(|| head.rfind(' ').filter(|&i| i > 0))
                .unwrap_or(limit);
            self.release(cut, out);
        }
    }
}

const HARD_STOPS: &str = "。！？；";
const SOFT_STOPS: &str = ".!?";
const CLOSERS: &str = "\"'”’」』）)]】》";
const COMMAS: &str = ",，、:：;—";

/// Whether a terminator at the very end of the buffer certainly ends the sentence, so it can be released without
/// waiting for the next token: an "!" or "?" after a word (or closing quote) that does not look like part of a
/// web address, in a sentence that holds no URL.
fn ends_plainly(before: &str, mark: char) -> bool {
    let Some(prev) = before.chars().next_back() else { return false };
    if !(prev.is_alphabetic() || CLOSERS.contains(prev)) {
        return false;
    }
    if before.contains("://") || before.contains("www.") {
        return false;
    }
    let word: String = before.chars().rev().take_while(|c| !c.is_whitespace()).collect();
    if word.contains(['.', '/', '@', ':', '=', '&']) {
        return false;
    }
    // A period waits: "19." may become "19.99", "example." may become "example.com", "No." may go on with " 5".
    // It costs one token interval on English sentences that end in a period; "!" and "?" go at once.
    mark != '.'
}

/// Chinese (and Japanese) text, after which no space is written.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// The word before a period, lower-case, with its inner periods ("e.g").
fn word_before(before: &str) -> String {
    before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<String>()
        .chars()
        .rev()
        .collect::<String>()
        .to_lowercase()
}

fn is_soft_abbreviation(before: &str) -> bool {
    SOFT_ABBREVIATIONS.contains(&word_before(before).as_str())
}

/// Whether the period at the end of `before` belongs to an abbreviation ("Mr. Lee", "Rs. 199", "No. 5") rather than
/// ending the sentence.
pub(crate) fn is_abbreviation(before: &str, after: &str) -> bool {
    if closes_list_number(before, after) {
        return true;
    }
    let word = word_before(before);
    if word.is_empty() {
        return false;
    }
    let next_word = after.trim_start();
    let next_starts_low = next_word.chars().next().is_some_and(|c| c.is_lowercase() || c.is_ascii_digit());
    // A single capital letter is an initial ("J. Smith").
    let mut letters = word.chars();
    if let (Some(only), None) = (letters.next(), letters.next())
        && only.is_alphabetic()
        && before.ends_with(|c: char| c.is_uppercase())
    {
        return true;
    }
    if SOFT_ABBREVIATIONS.contains(&word.as_str()) {
        return next_starts_low;
    }
    ABBREVIATIONS.contains(&word.as_str())
}

/// Whether the period after `before` closes the number of an item in a list written on one line ("1. ¥199 2. 满199
/// 减30 3. …"): a number of one or two digits standing alone, with the list's next number after it or its previous
/// one before it. Such a list is one sentence (the gate lays it out for the ear).
fn closes_list_number(before: &str, after: &str) -> bool {
    let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || digits > 2 {
        return false;
    }
    let lead = &before[..before.len() - digits];
    let Ok(n) = before[lead.len()..].parse::<u32>() else { return false };
    lead.chars().next_back().is_none_or(char::is_whitespace)
        && (after.contains(&format!(" {}. ", n + 1)) || (n > 1 && lead.contains(&format!("{}. ", n - 1))))
}

/// Trims a released sentence and keeps it only if it has something to say.
fn push_sentence(raw: &str, out: &mut Vec<String>) {
    let sentence = raw.trim();
    if sentence.chars().any(char::is_alphanumeric) {
        out.push(sentence.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `deltas` one by one and records after which delta each sentence came out.
    fn stream(deltas: &[&str]) -> Vec<(usize, String)> {
        let mut chunker = SentenceChunker::new();
        let mut out = Vec::new();
        for (n, delta) in deltas.iter().enumerate() {
            out.extend(chunker.push(delta).into_iter().map(|s| (n, s)));
        }
        out.extend(chunker.finish().into_iter().map(|s| (deltas.len(), s)));
        out
    }

    fn sentences(text: &str) -> Vec<String> {
        // Character by character: the worst case for a streaming splitter.
        let deltas: Vec<String> = text.chars().map(String::from).collect();
        let refs: Vec<&str> = deltas.iter().map(String::as_str).collect();
        stream(&refs).into_iter().map(|(_, s)| s).collect()
    }

    #[test]
    fn the_first_chinese_sentence_is_released_the_moment_it_ends() {
        let out = stream(&["欢迎来到直播间", "。今天", "看茶具！", "好"]);
        assert_eq!(out[0], (1, "欢迎来到直播间。".to_string()));
        assert_eq!(out[1], (2, "今天看茶具！".to_string()));
        assert_eq!(out[2], (4, "好".to_string()));
    }

    #[test]
    fn an_english_sentence_is_released_as_soon_as_it_plainly_ends() {
        let out =
            stream(&["Welcome in!", " Today", " it's tea.", " Costs 19.", "99 now?", "!", " Mr.", " Lee", " agrees."]);
        assert_eq!(out[0], (0, "Welcome in!".to_string()), "released with the delta that ended it");
        assert_eq!(out[1], (3, "Today it's tea.".to_string()), "a period waits for the next delta");
        assert_eq!(out[2], (4, "Costs 19.99 now?".to_string()), "the stray mark that follows is dropped");
        assert_eq!(out[3], (9, "Mr. Lee agrees.".to_string()));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn decimals_abbreviations_urls_and_ellipses_are_never_split() {
        assert_eq!(
            sentences("It costs {price}, e.g. 19.99 or 3.5 in data. Mr. Lee likes No. 5 at example.com/a?b=1 too."),
            vec!["It costs {price}, e.g. 19.99 or 3.5 in data.", "Mr. Lee likes No. 5 at example.com/a?b=1 too."]
        );
        assert_eq!(sentences("Well... it depends. Yes!"), vec!["Well... it depends.", "Yes!"]);
        assert_eq!(sentences("稍等……马上就好。好的"), vec!["稍等……马上就好。", "好的"]);
    }

    #[test]
    fn mixed_marks_quotes_and_newlines() {
        // Streamed mark by mark, the first mark releases the sentence and the stragglers are dropped; arriving
        // together, they stay with it.
        assert_eq!(sentences("真的吗？！」对。"), vec!["真的吗？", "对。"]);
        assert_eq!(SentenceChunker::new().push("真的吗？！」对。"), vec!["真的吗？！」", "对。"]);
        assert_eq!(sentences("He said \"wow.\" Then left."), vec!["He said \"wow.\"", "Then left."]);
        assert_eq!(sentences("Line one\nLine two\n\nLine three"), vec!["Line one", "Line two", "Line three"]);
        assert_eq!(sentences("Really?! Yes."), vec!["Really?", "Yes."]);
        assert_eq!(SentenceChunker::new().push("Really?! Yes. "), vec!["Really?!", "Yes."]);
        assert_eq!(sentences("价格是{price}.现在下单"), vec!["价格是{price}.", "现在下单"]);
    }

    #[test]
    fn a_closing_quote_arriving_later_is_not_a_sentence_of_its_own() {
        let out = stream(&["好用。", "”", "再看"]);
        assert_eq!(out, vec![(0, "好用。".to_string()), (3, "再看".to_string())]);
    }

    #[test]
    fn very_long_runs_are_split_at_a_comma() {
        let long = "This kettle has a wide mouth, a cool-touch handle, a quiet boil, a clear window, ".repeat(4);
        let mut chunker = SentenceChunker::with_max_chars(80);
        let out = chunker.push(&long);
        assert!(!out.is_empty());
        for sentence in &out {
            assert!(sentence.chars().count() <= 80, "{sentence}");
            assert!(sentence.ends_with(','), "{sentence}");
        }
        let mut zh = SentenceChunker::with_max_chars(20);
        let out = zh.push(&"这款茶具很好看，".repeat(6));
        assert!(out.iter().all(|s| s.ends_with('，') && s.chars().count() <= 20), "{out:?}");
    }

    #[test]
    fn finish_flushes_the_rest_and_empty_bits_are_dropped() {
        let mut chunker = SentenceChunker::new();
        assert!(chunker.push("  ...  ").is_empty());
        assert_eq!(chunker.push("The end."), Vec::<String>::new(), "a final period waits for finish");
        assert_eq!(chunker.finish(), vec!["...  The end.".to_string()]);
        assert!(chunker.finish().is_empty());
    }
}
