//! What a moderator's action came to. Most console actions only hand the show an input; whether the show did it
//! (said the words, refused them and why, approved the reply) comes back later as a [`ConsoleEvent`] on the
//! broadcast. The API waits briefly for that event ([`super::ConsoleLimits::outcome_wait`]) and answers with the
//! [`Outcome`], so neither a script nor the page ever reports "sent" for words the show refused.
//!
//! [`outcome_of`] is the one place that reads an event as the answer to an action. The show reports most outcomes
//! as prose (`ModeratorAction { action: "aborted line-4" }`); refused moderator words come as a typed
//! [`ConsoleEvent::ModeratorLineRefused`] (the rule, the failing sentence, a repaired version) followed by the same
//! reason as a note (`"say-now refused: ..."`). Both are read; the note alone is enough when no typed event comes.
//!
//! Say-now lines are matched to their requests in the order the show takes them ([`SayNowWaiters`]): the show
//! answers every say-now once and in order, but the answers carry no request id.

use model::{ConsoleEvent, Intent, LineId, ProductId, ReplyOutcome};
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// How an action ended, as far as the console knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Accepted but not done yet (a say-now line waits for the line on air to end), or sent and the show has not
    /// answered yet.
    Queued,
    /// The show reported it done.
    Done,
    /// The show refused it; the message says why.
    Refused,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Queued => "queued",
            Kind::Done => "done",
            Kind::Refused => "refused",
        }
    }
}

/// What a moderator is told about an action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub kind: Kind,
    /// One sentence for the moderator.
    pub message: String,
    /// The line the action made or concerns (a say-now line once queued).
    pub line: Option<LineId>,
    /// The guard rule that refused the words, when the show names it.
    pub rule: Option<String>,
    /// The sentence that failed, when the show gives it.
    pub sentence: Option<String>,
    /// A version of the words the show would accept, when it offers one.
    pub repaired: Option<String>,
    /// The words as the show will say them (a say-now line once queued; the guard may have repaired them).
    pub text: Option<String>,
}

impl Outcome {
    fn new(kind: Kind, message: impl Into<String>) -> Outcome {
        Outcome { kind, message: message.into(), line: None, rule: None, sentence: None, repaired: None, text: None }
    }

    pub fn queued(message: impl Into<String>) -> Outcome {
        Outcome::new(Kind::Queued, message)
    }

    pub fn done(message: impl Into<String>) -> Outcome {
        Outcome::new(Kind::Done, message)
    }

    pub fn refused(message: impl Into<String>) -> Outcome {
        Outcome::new(Kind::Refused, message)
    }

    /// The show refused words: `sentence` broke `rule`; `repaired` is what it would say instead, if anything.
    pub fn refused_words(what: &str, rule: &str, sentence: &str, repaired: Option<&str>) -> Outcome {
        let mut message = format!("Refused: the show will not {what} \"{sentence}\" (rule {rule})");
        if let Some(repaired) = repaired {
            message.push_str(&format!("; it would accept \"{repaired}\""));
        }
        Outcome {
            rule: Some(rule.to_string()),
            sentence: Some(sentence.to_string()),
            repaired: repaired.map(str::to_string),
            ..Outcome::refused(message)
        }
    }

    /// The outcome's fields for an API answer: `outcome`, `status` and, when known, `line`, `rule`, `sentence`,
    /// `repaired`.
    pub fn fields(&self) -> Value {
        let mut out = json!({ "outcome": self.kind.as_str(), "status": self.message });
        if let Some(line) = self.line {
            out["line"] = json!(line.0);
        }
        let optional =
            [("rule", &self.rule), ("sentence", &self.sentence), ("repaired", &self.repaired), ("text", &self.text)];
        for (key, value) in optional {
            if let Some(value) = value {
                out[key] = json!(value);
            }
        }
        out
    }
}

/// What an action waits to hear from the show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Awaited {
    /// "Say this now" with these words (matched by [`SayNowWaiters`], not one by one).
    SayNow {
        text: String,
    },
    Approve(LineId),
    Edit(LineId),
    Reject(LineId),
    Abort,
    CancelNext,
    Moderation(Intent),
    FlashSaleStart(ProductId),
    FlashSaleStop(ProductId),
    /// An action the show reports with a note: one starting with `done` says it happened, one starting with
    /// `refused` says why it did not (`"pinned mug: "`, `"pin mug refused: "`).
    Note {
        done: String,
        refused: String,
    },
    /// An OBS output button: the control's name as the OBS link reports success (`StartStreaming`) and OBS's
    /// request type its errors start with (`StartStream`).
    Obs {
        name: &'static str,
        request: &'static str,
    },
}

impl Awaited {
    pub fn note(done: impl Into<String>, refused: impl Into<String>) -> Awaited {
        Awaited::Note { done: done.into(), refused: refused.into() }
    }

    /// What the moderator is told when the show has not answered within the wait. Some actions the show reports
    /// only when they did something (nothing was on air to abort), so the words say what silence may mean.
    pub fn not_answered(&self) -> Outcome {
        match self {
            Awaited::SayNow { .. } => {
                Outcome::queued("Queued: the show has not confirmed the line yet; watch the transcript")
            }
            Awaited::Abort => Outcome::queued("Sent; the show reported nothing aborted (maybe no line was on air)"),
            Awaited::CancelNext => Outcome::queued("Sent; the show reported nothing cancelled (maybe none was ready)"),
            Awaited::FlashSaleStop(product) => Outcome::queued(format!(
                "Sent; the show reported no flash sale on {} stopped (maybe none ran)",
                product.0
            )),
            Awaited::Obs { .. } => Outcome::queued("Sent to OBS; its answer has not come yet (see Health)"),
            _ => Outcome::queued("Queued: the show has not answered yet; watch this page"),
        }
    }
}

/// `text` with its first letter in capitals, as a status line starts.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

/// The words and rule from the show's wording of a guard refusal: `"<sentence>" breaks the rule <rule>`.
fn broken_rule(why: &str) -> Option<(&str, &str)> {
    let rest = why.strip_prefix('"')?;
    let (sentence, rule) = rest.rsplit_once("\" breaks the rule ")?;
    Some((sentence, rule.trim()))
}

/// A refusal of words, worded by the show as `why`.
fn refused_text(what: &str, why: &str) -> Outcome {
    match broken_rule(why) {
        Some((sentence, rule)) => Outcome::refused_words(what, rule, sentence, None),
        None => Outcome::refused(format!("Refused: {why}")),
    }
}

fn line_id(text: &str) -> Option<LineId> {
    text.strip_prefix("line-")?.parse().ok().map(LineId)
}

/// The typed refusal of a moderator's words, as the moderator is told it.
fn refused_line(sentence: &str, rule: Option<&model::GuardRule>, reason: &str, repaired: Option<&str>) -> Outcome {
    match rule {
        Some(rule) => Outcome::refused_words("say", rule.name(), sentence.trim(), repaired),
        // The text as a whole was refused (empty, too long, too many lines waiting): the reason says it all.
        None => Outcome { repaired: repaired.map(str::to_string), ..Outcome::refused(format!("Refused: {reason}")) },
    }
}

/// Whether `event` is the note in words that follows a typed say-now refusal.
fn say_now_refusal_note(event: &ConsoleEvent) -> bool {
    matches!(event, ConsoleEvent::ModeratorAction { action } if action.starts_with("say-now refused: "))
}

/// Whether `event` is a typed refusal of a say-now line that was never queued.
fn typed_say_now_refusal(event: &ConsoleEvent) -> bool {
    matches!(event, ConsoleEvent::ModeratorLineRefused { action, line: None, .. } if action == "say_now")
}

/// The answer to a say-now in `event`, whoever sent it. (A say-now line refused later, at air time, carries its
/// line id and is not an answer: that request was answered "queued" already.)
pub(crate) fn say_now_outcome(event: &ConsoleEvent) -> Option<Outcome> {
    match event {
        ConsoleEvent::ModeratorLineRefused { sentence, rule, reason, repaired, .. } if typed_say_now_refusal(event) => {
            Some(refused_line(sentence, rule.as_ref(), reason, repaired.as_deref()))
        }
        ConsoleEvent::ModeratorAction { action } => {
            if let Some(why) = action.strip_prefix("say-now refused: ") {
                return Some(refused_text("say", why));
            }
            let (line, text) = action.strip_prefix("say now as ")?.split_once(": ")?;
            let line = line_id(line)?;
            Some(Outcome {
                line: Some(line),
                text: Some(text.to_string()),
                ..Outcome::queued(format!("Queued as {line}: the host says \"{text}\" after the current sentence"))
            })
        }
        ConsoleEvent::TurnFailed { what, reason } if what.starts_with("say-now") => {
            Some(Outcome::refused(format!("Refused: the show failed on it ({reason})")))
        }
        _ => None,
    }
}

/// Whether `text` contains `word` with no letter or digit right after it.
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| text[at + word.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric()))
}

/// The outcome `event` reports for the awaited action, or `None` when the event is about something else.
pub(crate) fn outcome_of(awaited: &Awaited, event: &ConsoleEvent) -> Option<Outcome> {
    let note = match event {
        ConsoleEvent::ModeratorAction { action } => Some(action.as_str()),
        _ => None,
    };
    match awaited {
        Awaited::SayNow { .. } => say_now_outcome(event),
        Awaited::Approve(line) | Awaited::Edit(line) | Awaited::Reject(line) => {
            if let ConsoleEvent::ReplyResolved { line: resolved, outcome } = event {
                if resolved != line {
                    return None;
                }
                // An approved reply airs under its own line id; the page follows it until it does.
                let airs = |message: String| Outcome { line: Some(*line), ..Outcome::done(message) };
                return Some(match outcome {
                    ReplyOutcome::Approved => airs(format!("Approved {line}; it airs next")),
                    ReplyOutcome::Edited => airs(format!("Approved {line} with your words; it airs next")),
                    ReplyOutcome::Rejected => Outcome::done(format!("Rejected {line}; it will not be said")),
                    ReplyOutcome::Expired => Outcome::refused(format!("Too late: {line} expired before your decision")),
                });
            }
            if let ConsoleEvent::TurnFailed { what, reason } = event
                && (what.starts_with(&format!("edit of {line}:")) || names(what, &format!("LineId({})", line.0)))
            {
                return Some(Outcome::refused(format!("Refused: the show failed on it ({reason})")));
            }
            if let (
                Awaited::Edit(_),
                ConsoleEvent::ModeratorLineRefused {
                    action,
                    line: Some(refused),
                    sentence,
                    rule,
                    reason,
                    repaired,
                    ..
                },
            ) = (awaited, event)
                && action == "edit"
                && refused == line
            {
                return Some(refused_line(sentence, rule.as_ref(), reason, repaired.as_deref()));
            }
            let note = note?;
            if let Some(why) = note.strip_prefix(&format!("edit of {line} refused: ")) {
                return Some(refused_text("say", why));
            }
            for verb in ["approve", "reject"] {
                if let Some(why) = note.strip_prefix(&format!("{verb} {line}: ")) {
                    return Some(Outcome::refused(format!("Refused: {why}")));
                }
            }
            None
        }
        Awaited::Abort => note
            .and_then(|n| n.strip_prefix("aborted "))
            .map(|line| Outcome::done(format!("Aborted {line}; the host stopped mid-line"))),
        Awaited::CancelNext => note
            .and_then(|n| n.strip_prefix("cancelled the prepared "))
            .map(|what| Outcome::done(format!("Cancelled the prepared {what}"))),
        Awaited::Moderation(intent) => note
            .and_then(|n| n.strip_prefix(&format!("{intent:?} replies: ")))
            .map(|mode| Outcome::done(format!("The show now handles these replies as: {}", mode.replace('_', " ")))),
        Awaited::FlashSaleStart(product) => {
            let note = note?;
            if let Some(why) = note.strip_prefix("flash sale refused: ") {
                return Some(Outcome::refused(format!("Refused: {why}")));
            }
            note.strip_prefix(&format!("flash sale on {}: ", product.0))
                .map(|_| Outcome::done(format!("The flash sale on {} is on", product.0)))
        }
        Awaited::FlashSaleStop(product) => (note? == format!("flash sale on {} stopped", product.0))
            .then(|| Outcome::done(format!("The flash sale on {} stopped", product.0))),
        Awaited::Note { done, refused } => {
            let note = note?;
            if let Some(why) = note.strip_prefix(refused.as_str()) {
                return Some(Outcome::refused(format!("Refused: {why}")));
            }
            note.starts_with(done.as_str()).then(|| Outcome::done(capitalised(note)))
        }
        Awaited::Obs { name, request } => match event {
            ConsoleEvent::SourceHealth { source, detail, .. } if source == "obs" => {
                if *detail == format!("{name} done") {
                    Some(Outcome::done(format!("OBS did it: {name}")))
                } else if names(detail, request) {
                    Some(Outcome::refused(format!("OBS refused: {detail}")))
                } else {
                    None
                }
            }
            _ => None,
        },
    }
}

/// Say-now requests waiting for the show's answer, in the order their inputs went into the show's queue.
#[derive(Default)]
pub(crate) struct SayNowWaiters {
    waiting: VecDeque<SayNowWaiter>,
    /// The last answer was a typed refusal, so the note in words that follows it answers nobody.
    note_follows: bool,
}

struct SayNowWaiter {
    text: String,
    since: Instant,
    /// `None` once the request stopped waiting (it answered "queued"); the entry stays so the show's late answer
    /// to it is not taken for the answer to a later line.
    reply: Option<oneshot::Sender<Outcome>>,
}

/// How long an unanswered say-now is remembered; the show answers in milliseconds unless it is stuck.
const FORGET_AFTER: Duration = Duration::from_secs(60);

impl SayNowWaiters {
    /// Registers a say-now whose input was just put into the show's queue (call it under the same lock as the
    /// send, so the order here is the order the show reads them).
    pub fn push(&mut self, text: String) -> oneshot::Receiver<Outcome> {
        let now = Instant::now();
        while self.waiting.front().is_some_and(|w| now.duration_since(w.since) > FORGET_AFTER) {
            self.waiting.pop_front();
        }
        let (tx, rx) = oneshot::channel();
        self.waiting.push_back(SayNowWaiter { text, since: now, reply: Some(tx) });
        rx
    }

    /// Reads one event off the show's broadcast: a say-now answer goes to the request it answers. The show answers
    /// each say-now once, except that a typed refusal is followed by the same reason as a note; that note is
    /// skipped (a show that sends only the note is answered by the note).
    pub fn hear(&mut self, event: &ConsoleEvent) {
        let Some(outcome) = say_now_outcome(event) else { return };
        if std::mem::take(&mut self.note_follows) && say_now_refusal_note(event) {
            return;
        }
        self.note_follows = typed_say_now_refusal(event);
        self.answer(outcome);
    }

    /// Hands a say-now answer to the request it answers: the oldest one whose words it names, or else the
    /// oldest one.
    pub fn answer(&mut self, outcome: Outcome) {
        let about = |w: &SayNowWaiter| {
            outcome.text.as_deref().is_some_and(|said| said == w.text.trim())
                || outcome.sentence.as_deref().is_some_and(|s| !s.trim().is_empty() && w.text.contains(s.trim()))
        };
        let at = self.waiting.iter().position(about).unwrap_or(0);
        if let Some(waiter) = self.waiting.remove(at)
            && let Some(reply) = waiter.reply
        {
            let _ = reply.send(outcome);
        }
    }

    /// The console missed events: which answer belongs to which request is unknown now, so nobody waits for one.
    pub fn forget_all(&mut self) {
        self.waiting.clear();
        self.note_follows = false;
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.waiting.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(action: &str) -> ConsoleEvent {
        ConsoleEvent::ModeratorAction { action: action.into() }
    }

    #[test]
    fn say_now_answers_read_as_queued_or_refused_with_the_failing_words() {
        let queued = say_now_outcome(&note("say now as line-12: Thanks for watching!")).expect("an answer");
        assert_eq!((queued.kind, queued.line), (Kind::Queued, Some(LineId(12))));
        assert!(queued.message.contains("Thanks for watching!"), "{}", queued.message);

        let refused =
            say_now_outcome(&note("say-now refused: \"This tea cures colds.\" breaks the rule medical_claim"))
                .expect("an answer");
        assert_eq!(refused.kind, Kind::Refused);
        assert_eq!(refused.rule.as_deref(), Some("medical_claim"));
        assert_eq!(refused.sentence.as_deref(), Some("This tea cures colds."));
        assert!(refused.message.contains("\"This tea cures colds.\"") && refused.message.contains("medical_claim"));
        let fields = refused.fields();
        assert_eq!((fields["outcome"].as_str(), fields["rule"].as_str()), (Some("refused"), Some("medical_claim")));

        let full =
            say_now_outcome(&note("say-now refused: too many moderator lines are already waiting")).expect("an answer");
        assert_eq!(full.kind, Kind::Refused);
        assert!(full.message.contains("too many moderator lines"), "{}", full.message);
        assert!(full.rule.is_none());

        let failed = ConsoleEvent::TurnFailed { what: "say-now: hi".into(), reason: "boom".into() };
        assert_eq!(say_now_outcome(&failed).map(|o| o.kind), Some(Kind::Refused));
        for other in
            [note("aborted line-3"), note("say-nowhere"), note("edit of line-3 refused: \"x\" breaks the rule y")]
        {
            assert_eq!(say_now_outcome(&other), None, "{other:?}");
        }
    }

    fn typed_refusal(line: Option<u64>, action: &str, sentence: &str, repaired: Option<&str>) -> ConsoleEvent {
        ConsoleEvent::ModeratorLineRefused {
            action: action.into(),
            line: line.map(LineId),
            text: format!("Drink up. {sentence}"),
            sentence: sentence.into(),
            rule: Some(model::GuardRule::MedicalClaim),
            reason: format!("\"{sentence}\" breaks the rule medical_claim"),
            product: None,
            repaired: repaired.map(str::to_string),
        }
    }

    #[test]
    fn a_typed_refusal_gives_the_rule_the_words_and_what_would_pass() {
        let refused = say_now_outcome(&typed_refusal(None, "say_now", "This tea cures colds.", Some("Drink up.")))
            .expect("an answer");
        assert_eq!(refused.kind, Kind::Refused);
        assert_eq!(refused.rule.as_deref(), Some("medical_claim"));
        assert_eq!(refused.sentence.as_deref(), Some("This tea cures colds."));
        assert_eq!(refused.repaired.as_deref(), Some("Drink up."));
        assert!(refused.message.contains("Drink up."), "{}", refused.message);
        // Refused at air time, after the request heard "queued": not an answer to any say-now request.
        assert_eq!(say_now_outcome(&typed_refusal(Some(9), "say_now", "x", None)), None);
        let whole = ConsoleEvent::ModeratorLineRefused {
            action: "say_now".into(),
            line: None,
            text: "hi".into(),
            sentence: "hi".into(),
            rule: None,
            reason: "too many moderator lines are already waiting".into(),
            product: None,
            repaired: None,
        };
        let whole = say_now_outcome(&whole).expect("an answer");
        assert_eq!((whole.kind, whole.sentence), (Kind::Refused, None));
        assert!(whole.message.contains("too many moderator lines"));
        let edit = outcome_of(&Awaited::Edit(LineId(7)), &typed_refusal(Some(7), "edit", "It cures colds.", None));
        assert_eq!(edit.and_then(|o| o.rule), Some("medical_claim".into()));
        assert_eq!(outcome_of(&Awaited::Edit(LineId(8)), &typed_refusal(Some(7), "edit", "x", None)), None);
    }

    #[test]
    fn the_note_after_a_typed_refusal_answers_nobody() {
        let mut waiters = SayNowWaiters::default();
        let mut refused = waiters.push("Drink up. This tea cures colds.".into());
        let mut next = waiters.push("Welcome!".into());
        waiters.hear(&typed_refusal(None, "say_now", "This tea cures colds.", Some("Drink up.")));
        waiters.hear(&note("say-now refused: \"This tea cures colds.\" breaks the rule medical_claim"));
        assert_eq!(refused.try_recv().map(|o| o.repaired), Ok(Some("Drink up.".into())));
        assert!(next.try_recv().is_err(), "the companion note is not the next request's answer");
        waiters.hear(&note("say now as line-3: Welcome!"));
        assert_eq!(next.try_recv().map(|o| o.line), Ok(Some(LineId(3))));
        // A show that sends only the note is answered by it.
        let mut alone = waiters.push("It cures colds.".into());
        waiters.hear(&note("say-now refused: \"It cures colds.\" breaks the rule medical_claim"));
        assert_eq!(alone.try_recv().map(|o| o.kind), Ok(Kind::Refused));
        assert_eq!(waiters.len(), 0);
    }

    #[test]
    fn replies_are_matched_by_their_line() {
        let approved = ConsoleEvent::ReplyResolved { line: LineId(7), outcome: ReplyOutcome::Approved };
        assert_eq!(outcome_of(&Awaited::Approve(LineId(7)), &approved).map(|o| o.kind), Some(Kind::Done));
        assert_eq!(outcome_of(&Awaited::Approve(LineId(8)), &approved), None, "another line's decision");
        let expired = ConsoleEvent::ReplyResolved { line: LineId(7), outcome: ReplyOutcome::Expired };
        assert_eq!(outcome_of(&Awaited::Reject(LineId(7)), &expired).map(|o| o.kind), Some(Kind::Refused));
        let edit = outcome_of(
            &Awaited::Edit(LineId(7)),
            &note("edit of line-7 refused: \"It is 50% off today.\" breaks the rule unbacked_discount"),
        )
        .expect("an answer");
        assert_eq!((edit.kind, edit.rule.as_deref()), (Kind::Refused, Some("unbacked_discount")));
        assert_eq!(edit.sentence.as_deref(), Some("It is 50% off today."));
        assert_eq!(outcome_of(&Awaited::Edit(LineId(17)), &note("edit of line-7 refused: x")), None);
        let gone = outcome_of(&Awaited::Approve(LineId(7)), &note("approve line-7: no such reply is waiting"));
        assert_eq!(gone.map(|o| o.kind), Some(Kind::Refused));
        let failed = ConsoleEvent::TurnFailed { what: "ApproveReply { line: LineId(7) }".into(), reason: "x".into() };
        assert_eq!(outcome_of(&Awaited::Approve(LineId(7)), &failed).map(|o| o.kind), Some(Kind::Refused));
        assert_eq!(outcome_of(&Awaited::Approve(LineId(70)), &failed), None);
    }

    /// The notes the real director writes for pins, skips, stock and price changes and hand-overs are read as
    /// what happened, each by its own action only: a change of wording on either side fails here.
    #[test]
    fn the_directors_own_notes_answer_the_actions_that_caused_them() {
        use director::rehearsal::Rehearsal;
        use director::show::{Input, ShowConfig};
        use model::{Currency, Localized, Money, Product, ShowTime, UnixMs};
        let product = |id: &str, stock: u32| {
            let price = Money::parse_decimal("20", Currency::parse("USD").expect("USD")).expect("a price");
            let mut p = Product::new(id, Localized { en: Some(format!("Product {id}")), zh: None }, price);
            p.stock = Some(stock);
            p
        };
        let mut show = Rehearsal::new(ShowConfig::default(), vec![product("mug", 5), product("gone", 0)], UnixMs(0));
        show.advance_to(ShowTime(5_000));
        let id = |s: &str| ProductId(s.into());
        let cases: Vec<(Input, Awaited, Kind, &str)> = vec![
            (
                Input::PinProduct(id("mug")),
                Awaited::note("pinned mug: ", "pin mug refused: "),
                Kind::Done,
                "Pinned mug",
            ),
            (
                Input::PinProduct(id("gone")),
                Awaited::note("pinned gone: ", "pin gone refused: "),
                Kind::Refused,
                "sold out",
            ),
            (
                Input::PinProduct(id("nope")),
                Awaited::note("pinned nope: ", "pin nope refused: "),
                Kind::Refused,
                "no such",
            ),
            (Input::UnpinProduct, Awaited::note("unpin", "unpin refused: "), Kind::Done, "Unpinned mug"),
            (Input::UnpinProduct, Awaited::note("unpin", "unpin refused: "), Kind::Done, "nothing was pinned"),
            (
                Input::SkipProduct { forward: true },
                Awaited::note("next product: ", "next product refused: "),
                Kind::Done,
                "Next product: mug",
            ),
            (
                Input::StockChanged { product: id("mug"), stock: Some(3), by: "mod".into() },
                Awaited::note("stock of mug: ", "stock of mug refused: "),
                Kind::Done,
                "Stock of mug: 3",
            ),
            (
                Input::StockChanged { product: id("nope"), stock: Some(3), by: "mod".into() },
                Awaited::note("stock of nope: ", "stock of nope refused: "),
                Kind::Refused,
                "no such product",
            ),
            (Input::HandOverToHuman, Awaited::note("hand-over: ", "hand-over refused: "), Kind::Done, "human host has"),
            (Input::TakeBack, Awaited::note("take-back: ", "take-back refused: "), Kind::Done, "AI host is back"),
        ];
        for (input, awaited, kind, words) in cases {
            let before = show.events().len();
            show.input(input);
            let answers: Vec<Outcome> =
                show.events()[before..].iter().filter_map(|e| outcome_of(&awaited, e)).collect();
            assert_eq!(answers.len(), 1, "{awaited:?}: {:?}", &show.events()[before..]);
            assert_eq!(answers[0].kind, kind, "{:?}", answers[0]);
            assert!(answers[0].message.contains(words), "{:?} lacks {words:?}", answers[0]);
            // Another product's action does not take this answer.
            let other = Awaited::note("pinned cup: ", "pin cup refused: ");
            assert!(show.events()[before..].iter().all(|e| outcome_of(&other, e).is_none()));
        }
    }

    #[test]
    fn other_actions_read_their_own_notes_only() {
        let cases: Vec<(Awaited, ConsoleEvent, Option<Kind>)> = vec![
            (Awaited::Abort, note("aborted line-4"), Some(Kind::Done)),
            (Awaited::Abort, note("cancelled the prepared pitch line"), None),
            (Awaited::CancelNext, note("cancelled the prepared pitch line"), Some(Kind::Done)),
            (
                Awaited::Moderation(Intent::PriceStockShipping),
                note("PriceStockShipping replies: auto"),
                Some(Kind::Done),
            ),
            (Awaited::Moderation(Intent::Spam), note("PriceStockShipping replies: auto"), None),
            (
                Awaited::FlashSaleStart(ProductId("tea".into())),
                note("flash sale on tea: ¥99.00 until 1"),
                Some(Kind::Done),
            ),
            (
                Awaited::FlashSaleStart(ProductId("tea".into())),
                note("flash sale refused: its end is not in the future"),
                Some(Kind::Refused),
            ),
            (Awaited::FlashSaleStop(ProductId("tea".into())), note("flash sale on tea stopped"), Some(Kind::Done)),
            (Awaited::FlashSaleStop(ProductId("tea".into())), note("flash sale on tea ended"), None),
        ];
        for (awaited, event, kind) in cases {
            assert_eq!(outcome_of(&awaited, &event).map(|o| o.kind), kind, "{awaited:?} {event:?}");
        }
        let obs = Awaited::Obs { name: "StartStreaming", request: "StartStream" };
        let health =
            |detail: &str| ConsoleEvent::SourceHealth { source: "obs".into(), healthy: true, detail: detail.into() };
        assert_eq!(outcome_of(&obs, &health("StartStreaming done")).map(|o| o.kind), Some(Kind::Done));
        let refused = outcome_of(&obs, &health("StartStream failed: OBS answered 500 (OutputRunning)"));
        assert!(refused.is_some_and(|o| o.kind == Kind::Refused && o.message.contains("OutputRunning")));
        assert_eq!(outcome_of(&obs, &health("connected")), None);
        assert_eq!(outcome_of(&obs, &health("StartRecording done")), None);
    }

    #[test]
    fn say_now_answers_go_to_their_own_request_in_order() {
        let mut waiters = SayNowWaiters::default();
        let mut first = waiters.push("Welcome, everyone!".into());
        let mut second = waiters.push("This tea cures colds. Buy it now.".into());
        let mut third = waiters.push("Last call!".into());
        // The second line's refusal names its words, so it finds its request even if it came first.
        waiters.answer(
            say_now_outcome(&note("say-now refused: \"This tea cures colds.\" breaks the rule medical_claim"))
                .expect("an answer"),
        );
        assert_eq!(second.try_recv().map(|o| o.kind), Ok(Kind::Refused));
        assert!(first.try_recv().is_err(), "not the first request's answer");
        // An answer that names nobody's words goes to the oldest request.
        waiters.answer(Outcome::refused("Refused: too many moderator lines are already waiting"));
        assert_eq!(first.try_recv().map(|o| o.kind), Ok(Kind::Refused));
        waiters.answer(say_now_outcome(&note("say now as line-9: Last call!")).expect("an answer"));
        assert_eq!(third.try_recv().map(|o| o.line), Ok(Some(LineId(9))));
        assert_eq!(waiters.len(), 0);
    }
}
