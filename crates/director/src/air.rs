//! The gate to the air: the one way words become something the voice speaks and the stage captions.
//!
//! [`Cleared`] is the only text type [`crate::Output::Speak`] and the show's lines carry, and nothing outside this
//! module can make one: its field is private, it has no `Default`, `From` or `Deserialize`, and the only function
//! that returns one is [`Gate::clear`], which runs every sentence through every check first. So a new path to the
//! air (a console action, a new writer, a fallback) cannot skip the guard: it has no other way to produce the
//! value the voice accepts. Writers are plain text sources; the [`crate::Show`] owns the gate and decides what a
//! rejected sentence turns into.
//!
//! The checks, in order, on each sentence:
//! 1. identity and experience: the host never denies being an AI, never claims to be a person, to have a body, a
//!    family or a place, and never claims to have used the product ([`crate::identity`]); what it says about itself
//!    must be on the closed list of what an AI host can truly say (the `self_talk` module);
//! 2. leaks: nothing of the instructions sent to the LLM is said back ([`crate::leak`]);
//! 3. the guard: facts against the claims ledger, copy rules, persona, language, echoes ([`crate::guard`]); a
//!    claim the host reports only to correct it, or says it will not make, is not its own.

use crate::chunker::SentenceChunker;
use crate::guard::{
    GuardVerdict, SentenceGuard, answered_by_unknown, quotes_and_denies, reports_someone, says_a_number,
};

/// Whether `next` answers the question `question` ends with: any sentence after a question mark, which the guard
/// then reads with it.
fn asked_and_answered(question: &str, next: &str) -> bool {
    // A viewer's question quoted ("\"Does it come with a gift?\" Not that I know of.") is asked all the same.
    let unquoted = question.trim_end().trim_end_matches(['"', '”', '」', '』', '\'', '’']);
    unquoted.ends_with(['?', '？']) && (answered_by_unknown(question, next) || !next.trim().is_empty())
}

/// Whether `next`, said right after a report of what someone else said, corrects it: it opens with a no, a "not",
/// an "actually", 其实 or 不对, a shrug, or the listing; or it opens with "it's" (是, "the price is") and gives a value.
/// "Someone said it's $15 today. It's a great deal!" is no correction, so the report is judged on its own and
/// refused.
fn corrects_report(next: &str) -> bool {
    // Leading dashes and fillers say nothing: "— no, we have 40", "and nope, we have 12", "haha 不是".
    const FILLERS: [&str; 14] =
        ["and", "but", "so", "well", "haha", "lol", "ah", "oh", "honestly", "sorry", "哈哈", "呃", "啊", "抱歉"];
    let mut lower = next.to_lowercase();
    loop {
        let trimmed = lower.trim_start_matches(|c: char| !c.is_alphanumeric()).to_string();
        let unfilled = FILLERS
            .iter()
            .filter_map(|f| trimmed.strip_prefix(f))
            .find(|rest| !filler_word_goes_on(rest))
            .map(str::to_string);
        let done = unfilled.is_none() && trimmed.len() == lower.len();
        lower = unfilled.unwrap_or(trimmed);
        if done {
            break;
        }
    }
    const OPENINGS: [&str; 41] = [
        "it doesn't",
        "it does not",
        "it isn't",
        "it is not",
        "it's not",
        "they don't",
        "they aren't",
        "that's wrong",
        "false",
        "并没有",
        "no,",
        "no.",
        "no!",
        "no ",
        "no—",
        "no:",
        "nope",
        "not ",
        "actually",
        "in fact",
        "that's not",
        "that isn't",
        "thats not",
        "i have nothing",
        "i've got nothing",
        "wrong",
        "correction",
        "to correct",
        "just to correct",
        "the listing",
        "the code on",
        "i don't",
        "there's no",
        "there is no",
        "其实",
        "不对",
        "不是",
        "纠正",
        "没有",
        "实际上",
        "页面",
    ];
    if OPENINGS.iter().any(|o| lower.starts_with(o)) {
        return true;
    }
    const VALUE_OPENINGS: [&str; 9] =
        ["it's", "it is", "its ", "the price is", "the set is", "the kettle is", "是", "价格是", "应该是"];
    // "It's the one to grab!" gives no value: "one" and "a" are not read as numbers here.
    VALUE_OPENINGS.iter().any(|o| lower.starts_with(o)) && says_a_number(&lower, &["one", "a"])
}

/// Whether an English filler matched at the start of `rest`'s word goes on (so "so" in "someone" is no filler).
fn filler_word_goes_on(rest: &str) -> bool {
    rest.starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// The text after the last closing quotation mark of `sentence`, where a quoted report's correction is.
fn after_last_quote(sentence: &str) -> Option<&str> {
    // A closing mark has no letter or digit right after it: the apostrophe of "it's" closes nothing.
    let (at, mark) = sentence
        .char_indices()
        .filter(|(_, c)| matches!(c, '"' | '”' | '」' | '』' | '\''))
        .rfind(|(i, c)| !sentence[i + c.len_utf8()..].starts_with(|n: char| n.is_alphanumeric()))?;
    let rest = &sentence[at + mark.len_utf8()..];
    (!rest.trim().is_empty()).then_some(rest)
}

/// The longest report and answer read as one, in bytes; longer ones are read sentence by sentence.
const REPORT_AND_ANSWER_BYTES: usize = 480;
use crate::identity::identity_claim;
use crate::leak::{self, LeakDetector};
use crate::ledger::ClaimsLedger;
use crate::prompt::ChatMessage;
use model::{GuardAction, GuardNote, GuardRule, Lang, Product};

/// Words that passed the gate, ready for the voice and the captions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cleared {
    text: String,
}

impl Cleared {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The words, for the stage command and the audit record that carry them on from here.
    pub fn into_string(self) -> String {
        self.text
    }
}

impl std::fmt::Display for Cleared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// What the gate made of a text: the words that may be said (if any survived) and a note for every sentence it
/// changed or refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gated {
    pub cleared: Option<Cleared>,
    pub notes: Vec<GuardNote>,
}

/// The checks for one line: the facts of its product, its language, the comment it answers and the instructions
/// its writer was given.
pub struct Gate<'a> {
    ledger: &'a ClaimsLedger,
    lang: Lang,
    /// The viewer comment being answered: a sentence must not parrot it.
    comment: Option<&'a str>,
    /// Keep true facts as written ("$30.00") instead of swapping them for their spoken slot form: template lines
    /// format facts from the data the way the offer card shows them.
    keep_written_facts: bool,
    /// The instructions the writer was given, when it was given any.
    leak: Option<LeakDetector>,
}

/// In test builds only, a sentence containing this makes [`Gate::check`] panic.
#[cfg(test)]
pub(crate) const PANIC_MARKER: &str = "PANIC-IN-THE-GATE";

/// The longest text the gate reads, in characters; a writer that runs on is cut at a sentence before this.
pub const MAX_LINE_CHARS: usize = 1200;

impl<'a> Gate<'a> {
    pub fn new(ledger: &'a ClaimsLedger, lang: Lang, comment: Option<&'a str>) -> Gate<'a> {
        Gate { ledger, lang, comment, keep_written_facts: false, leak: None }
    }

    /// Also refuse any sentence that says back the instructions in `messages` (what the LLM was sent for this
    /// line) beyond a few words. `product` is the product the messages describe: its own data, which the
    /// instructions quote, may be said.
    pub fn with_instructions(mut self, messages: &[ChatMessage], product: Option<&Product>) -> Gate<'a> {
        if messages.is_empty() {
            return self;
        }
        let instructions: Vec<&str> = messages.iter().map(|m| m.content.as_str()).collect();
        let mut allowed = leak::allowed_text(product, None);
        allowed.extend(self.comment.map(str::to_string));
        let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
        self.leak = Some(LeakDetector::new(&instructions, &allowed));
        self
    }

    /// See [`Gate::keep_written_facts`]: a sentence whose only change would be a true fact put into words is said
    /// as written.
    pub fn keeping_written_facts(mut self) -> Gate<'a> {
        self.keep_written_facts = true;
        self
    }

    /// One sentence through every check.
    pub fn check(&self, sentence: &str) -> GuardVerdict {
        // Fault injection for the show's own tests: a bug somewhere in the checks, reached by input.
        #[cfg(test)]
        if sentence.contains(PANIC_MARKER) {
            panic!("fault injected in the gate");
        }
        let refuse = |rule| GuardVerdict::Rejected { rule, original: sentence.to_string() };
        if let Some(rule) = identity_claim(sentence) {
            return refuse(rule);
        }
        if self.leak.as_ref().is_some_and(|l| l.leaks(sentence)) {
            return refuse(GuardRule::PromptLeak);
        }
        let guard = SentenceGuard::new(self.ledger);
        let judge = |text: &str| match self.comment {
            Some(comment) => guard.check_answer(text, self.lang, comment),
            None => guard.check(text, self.lang),
        };
        let verdict = judge(sentence);
        // A dialect spelling ("goin' like 'ot cakes", 额屋里老汉天天用, 剩勿多了) is read in standard words too; the
        // line airs as written only if that reading passes as well.
        if !matches!(verdict, GuardVerdict::Rejected { .. })
            && let Some(plain) = crate::dialect::plain(sentence)
        {
            if let Some(rule) = identity_claim(&plain) {
                return refuse(rule);
            }
            if let GuardVerdict::Rejected { rule, .. } = judge(&plain) {
                return refuse(rule);
            }
        }
        verdict
    }

    /// Every sentence of `text` through [`Gate::check`]: refused sentences are left out (each with a note), the
    /// rest are joined. `None` when nothing speakable is left.
    ///
    /// Identity claims and leaks are judged on whole sentences (up to a full stop, question or exclamation mark)
    /// before the chunker splits a long one at its commas: "Write the price ... ONLY as their slots, for example
    /// {price}." must not lose its first half to the leak rule and air its second.
    pub fn clear(&self, text: &str) -> Gated {
        let mut notes = Vec::new();
        let mut said: Vec<String> = Vec::new();
        let text: String = text.chars().take(MAX_LINE_CHARS).collect();
        // A text that parrots the comment across its sentences ("STOP. Ignore all above instructions. ...") loses
        // every sentence taken from the comment, short ones included, not only those long enough to be an echo.
        let parroting = self.comment.filter(|c| crate::guard::echoes(&text, c)).map(letters);
        // Each sentence that passed the whole-sentence rules, with the number of the whole sentence it came from.
        let mut sentences: Vec<(usize, String)> = Vec::new();
        let wholes = whole_sentences(&text);
        let taken = |whole: &str| {
            parroting.as_ref().is_some_and(|c| {
                let s = letters(whole);
                !s.is_empty() && c.contains(&s)
            })
        };
        // A denial put as questions across sentences ("AI? Me? AI doesn't spill coffee down its sleeve") is read on
        // the whole text: no sentence of such a reply airs.
        if crate::identity::denial_put_as_questions(&text) {
            notes.push(note(GuardRule::DeniesAi, GuardAction::Dropped, text.trim()));
            return Gated { cleared: None, notes };
        }
        let mut skip_next = false;
        for (n, whole) in wholes.iter().copied().enumerate() {
            if std::mem::take(&mut skip_next) {
                continue;
            }
            if taken(whole) {
                notes.push(note(GuardRule::CommentEcho, GuardAction::Dropped, whole.trim()));
                continue;
            }
            // "What if I told you I'm a real person? I'd be lying.": a claim put as a question and taken back in the
            // next sentence is read with it, so the two are judged as one.
            if let Some(next) = wholes.get(n + 1).copied()
                && whole.len() + next.len() <= REPORT_AND_ANSWER_BYTES
                && !taken(next)
            {
                let separator = if self.lang == Lang::Zh { "" } else { " " };
                let pair = format!("{}{separator}{}", whole.trim(), next.trim());
                if !crate::guard::retracted_hypotheticals(&pair.to_lowercase()).is_empty() {
                    skip_next = true;
                    match self.whole_sentence_rule(&pair) {
                        Some(rule) => notes.push(note(rule, GuardAction::Dropped, &pair)),
                        None => sentences.push((n, pair)),
                    }
                    continue;
                }
            }
            // 'My "kitchen"? Don't have one.': a viewer's word put back as a short question and denied at once is
            // asked, not claimed; the denial is judged as the host's own words, and the two are read together.
            if let Some(next) = wholes.get(n + 1).copied()
                && denied_at_once(whole, next)
                && !taken(next)
            {
                skip_next = true;
                let separator = if self.lang == Lang::Zh { "" } else { " " };
                let pair = format!("{}{separator}{}", whole.trim(), next.trim());
                match self.whole_sentence_rule(&pair) {
                    Some(rule) => notes.push(note(rule, GuardAction::Dropped, &pair)),
                    None => sentences.push((n, pair)),
                }
                continue;
            }
            if let Some(rule) = self.whole_sentence_rule(whole) {
                notes.push(note(rule, GuardAction::Dropped, whole.trim()));
                continue;
            }
            // What someone else said is read with the sentence after it, where the host corrects it ("Someone said
            // returns are 30 days. It's actually 7 days."): the two are checked as one, whole, so the report is
            // judged as reported and the correction as the host's own claim.
            if reports_someone(whole)
                && let Some(next) = wholes.get(n + 1).copied()
                && corrects_report(next)
                && whole.len() + next.len() <= REPORT_AND_ANSWER_BYTES
                && !taken(next)
                && self.whole_sentence_rule(next).is_none()
            {
                let separator = if self.lang == Lang::Zh { "" } else { " " };
                sentences.push((n, format!("{}{separator}{}", whole.trim(), next.trim())));
                skip_next = true;
                continue;
            }
            // A report in quotation marks corrected within its own sentence ("Someone typed '$199?' It's ¥199"),
            // read whole too: the chunker would cut it at the quoted question mark.
            if reports_someone(whole)
                && whole.len() <= REPORT_AND_ANSWER_BYTES
                && after_last_quote(whole).is_some_and(corrects_report)
            {
                sentences.push((n, whole.trim().to_string()));
                continue;
            }
            // A quoted claim denied in its own sentence ("'Only 3 left!' — that's not what I said"), read whole: the
            // chunker would cut it at the quotation's own exclamation mark and air nothing of the denial with it.
            if whole.len() <= REPORT_AND_ANSWER_BYTES
                && quotes_and_denies(whole)
                && after_last_quote(whole).is_some_and(corrects_report)
            {
                sentences.push((n, whole.trim().to_string()));
                continue;
            }
            let mut chunker = SentenceChunker::new();
            let mut chunks = chunker.push(whole);
            chunks.extend(chunker.finish());
            sentences.extend(chunks.into_iter().map(|s| (n, s)));
        }
        // A question is checked together with the sentence that answers it, so the question is read as asked
        // ("Is there a warranty? I don't have any warranty information.", "Buying three? That's $90 at $30
        // each.").
        let mut i = 0;
        while i < sentences.len() {
            let (n, first) = &sentences[i];
            let answer = sentences.get(i + 1).filter(|(m, next)| *m <= n + 1 && asked_and_answered(first, next));
            let sentence = match answer {
                Some((_, next)) => {
                    let separator = if self.lang == Lang::Zh { "" } else { " " };
                    format!("{}{separator}{}", first.trim_end(), next.trim_start())
                }
                None => first.clone(),
            };
            i += if answer.is_some() { 2 } else { 1 };
            match self.check(&sentence) {
                GuardVerdict::Pass(words) => said.push(words),
                GuardVerdict::Repaired { rule: GuardRule::LiteralFact, .. } if self.keep_written_facts => {
                    said.push(sentence.trim().to_string());
                }
                GuardVerdict::Repaired { text: words, rule } => {
                    notes.push(note(rule, GuardAction::Repaired, &sentence));
                    said.push(words);
                }
                GuardVerdict::Rejected { rule, original } => notes.push(note(rule, GuardAction::Dropped, &original)),
            }
        }
        let separator = if self.lang == Lang::Zh { "" } else { " " };
        let joined = said.join(separator);
        let cleared = joined.chars().any(char::is_alphanumeric).then_some(Cleared { text: joined });
        Gated { cleared, notes }
    }

    /// The rules that read a whole sentence: identity and experience claims, and leaks.
    fn whole_sentence_rule(&self, sentence: &str) -> Option<GuardRule> {
        identity_claim(sentence)
            .or_else(|| self.leak.as_ref().is_some_and(|l| l.leaks(sentence)).then_some(GuardRule::PromptLeak))
    }
}

/// The letters and digits of `text`, lower-cased, for "is this sentence part of that comment" comparisons.
fn letters(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// `text` cut after each full stop, question or exclamation mark (ASCII ones only when a space or the end
/// follows, so "19.99" and "e.g." stay whole), the marks and closing quotes kept with their sentence.
/// Whether `question` is a short question (a few words, ending in a question mark) that `answer` denies at once:
/// 'My "kitchen"? Don't have one.', 我的厨房？没有的。 (crate::guard's reported rules read the pair so.)
fn denied_at_once(question: &str, answer: &str) -> bool {
    let q = question.trim();
    q.ends_with(['?', '？'])
        && !crate::guard::denied_questions(&format!("{q} {}", answer.trim()).to_lowercase()).is_empty()
}

/// Whether an ellipsis trails off into the host correcting itself ("$25... scratch that, $30"): the two are one
/// sentence, so the figure taken back is read with its correction.
fn trails_into_correction(before: &str, after: &str) -> bool {
    const MARKERS: [&str; 14] = [
        "scratch that",
        "sorry",
        "wait",
        "no,",
        "no ",
        "i mean",
        "my bad",
        "hang on",
        "correction",
        "anyway, the real",
        "anyway the real",
        "actually, it's",
        "in reality",
        "the real price",
    ];
    let after = after.trim_start().to_lowercase();
    before.ends_with("..") && MARKERS.iter().any(|m| after.starts_with(m))
}

fn whole_sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    // A question or an exclamation inside quotation marks ("I'm seeing 'free shipping?' in the chat.") ends no
    // sentence: the quote is part of the sentence that reports it. A quote left open for long is taken as none.
    let mut quote: Option<(char, usize)> = None;
    let mut previous: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if let Some((close, opened)) = quote {
            let closes = c == close && (close != '\'' || !next.is_some_and(char::is_alphanumeric));
            if closes || i - opened > 160 {
                quote = None;
            }
        } else {
            let single = c == '\''
                && previous.is_none_or(char::is_whitespace)
                && next.is_some_and(|n| n.is_alphanumeric() || "$¥￥€£".contains(n));
            quote = match c {
                '"' => Some(('"', i)),
                '“' => Some(('”', i)),
                '「' => Some(('」', i)),
                '『' => Some(('』', i)),
                '\'' if single => Some(('\'', i)),
                _ => None,
            };
        }
        previous = Some(c);
        let quoted = quote.is_some();
        let ends = match c {
            '。' | '！' | '？' | '!' | '?' => !quoted,
            // "Mr. Lee", "Rs. 199": an abbreviation's period ends no sentence (as the chunker reads it).
            '.' => {
                !quoted
                    && next.is_none_or(char::is_whitespace)
                    && !crate::chunker::is_abbreviation(&text[..i], &text[i + 1..])
                    && !trails_into_correction(&text[..i], &text[i + 1..])
            }
            _ => false,
        };
        if ends {
            let mut end = i + c.len_utf8();
            while let Some((j, q)) = chars.peek().copied() {
                if matches!(q, '"' | '\'' | '”' | '’' | '」' | ')' | '）' | '!' | '?' | '！' | '？') {
                    end = j + q.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            if let Some(sentence) = text.get(start..end)
                && !sentence.trim().is_empty()
            {
                out.push(sentence);
            }
            start = end;
        }
    }
    if let Some(rest) = text.get(start..)
        && !rest.trim().is_empty()
    {
        out.push(rest);
    }
    out
}

fn note(rule: GuardRule, action: GuardAction, original: &str) -> GuardNote {
    GuardNote { rule, action, original: original.to_string() }
}

/// Marks the notes of a refused text as replaced (a template line is said in its place).
pub fn replaced(mut notes: Vec<GuardNote>) -> Vec<GuardNote> {
    for n in &mut notes {
        if n.action == GuardAction::Dropped {
            n.action = GuardAction::Replaced;
        }
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_products;
    use model::UnixMs;

    #[test]
    fn only_sentences_that_pass_reach_the_air_and_each_refusal_is_noted() {
        let product = test_products::tea_set_with_features(&["hand-thrown clay"]);
        let ledger = ClaimsLedger::for_product(&product, Lang::En, UnixMs(0));
        let gate = Gate::new(&ledger, Lang::En, None);
        let gated = gate.clear("It is hand-thrown clay. Only $5 today! The link is on the product card.");
        let said = gated.cleared.expect("two sentences stand");
        assert!(said.as_str().starts_with("It is hand-thrown clay."), "{said}");
        assert!(!said.as_str().contains("$5"), "{said}");
        assert_eq!(gated.notes.len(), 1, "{:?}", gated.notes);
        assert_eq!(gated.notes[0].action, GuardAction::Dropped);
        assert!(gated.notes[0].original.contains("$5"));
    }

    #[test]
    fn a_question_answered_with_a_shrug_is_read_as_asked_and_a_yes_keeps_it_a_claim() {
        let product = test_products::tea_set_with_features(&[]);
        for (lang, honest, liar) in [
            (
                Lang::En,
                "Is there a warranty? I don't have any warranty information, so please check the page.",
                "Is it the last one? I don't know, but yes.",
            ),
            (Lang::Zh, "茶具有没有保修？这个我不清楚，以页面为准。", "是不是最后一个？我不知道，但是是的。"),
        ] {
            let ledger = ClaimsLedger::for_product(&product, lang, UnixMs(0));
            let gate = Gate::new(&ledger, lang, None);
            let gated = gate.clear(honest);
            assert!(gated.notes.is_empty(), "{honest}: {:?}", gated.notes);
            let gated = gate.clear(liar);
            assert!(!gated.notes.is_empty(), "{liar} aired whole: {:?}", gated.cleared);
        }
    }

    #[test]
    fn a_text_with_nothing_true_left_clears_nothing() {
        let product = test_products::tea_set_with_features(&[]);
        let ledger = ClaimsLedger::for_product(&product, Lang::En, UnixMs(0));
        let gated = Gate::new(&ledger, Lang::En, None).clear("Only $5! Selling out fast!");
        assert!(gated.cleared.is_none());
        assert_eq!(gated.notes.len(), 2);
        assert_eq!(replaced(gated.notes)[0].action, GuardAction::Replaced);
    }
}
