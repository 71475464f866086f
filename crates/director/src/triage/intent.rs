//! From matched cues to one intent with a confidence: injection first, then spam, abuse, the moments that need a
//! human, questions, and chatter.
//!
//! The order is the point. A comment that both asks the price and says "ignore your instructions" is an injection
//! attempt; a complaint with a swear word in it is still a complaint a moderator should see.

use super::Topic;
use super::decode;
use super::lexicon::{Cue, Lexicon};
use super::normalize::{Normalized, unleet, unspace};
use model::Intent;

const CUES: usize = Cue::InjectStrong as usize + 1;

/// How many times each cue matched, and where the injection cues sat.
#[derive(Clone, Debug)]
pub struct CueCounts {
    counts: [u8; CUES],
    /// Byte offsets of the first override verb and the first target, to require "verb ... target" order.
    first_override: Option<usize>,
    last_target: Option<usize>,
}

impl Default for CueCounts {
    fn default() -> Self {
        CueCounts { counts: [0; CUES], first_override: None, last_target: None }
    }
}

impl CueCounts {
    pub fn of(lexicon: &Lexicon, text: &str) -> CueCounts {
        let mut counts = CueCounts::default();
        lexicon.scan(text, |cue, at| counts.add(cue, at));
        counts
    }

    fn add(&mut self, cue: Cue, at: usize) {
        if let Some(n) = self.counts.get_mut(cue as usize) {
            *n = n.saturating_add(1);
        }
        match cue {
            Cue::InjectOverride if self.first_override.is_none() => self.first_override = Some(at),
            Cue::InjectTarget | Cue::InjectLeak => self.last_target = Some(at),
            _ => {}
        }
    }

    pub fn get(&self, cue: Cue) -> u32 {
        u32::from(self.counts.get(cue as usize).copied().unwrap_or(0))
    }

    fn any(&self) -> bool {
        self.counts.iter().any(|n| *n > 0)
    }

    /// How strongly the text reads as an attempt to instruct the host, 0.0 upwards (1.0 is certain).
    pub fn injection_score(&self) -> f32 {
        let n = |cue| self.get(cue) as f32;
        if self.get(Cue::InjectStrong) > 0 {
            return 1.0;
        }
        let override_aimed = matches!((self.first_override, self.last_target), (Some(v), Some(t)) if v < t);
        let mut score = if override_aimed { 0.8 } else { 0.1 * n(Cue::InjectOverride).min(1.0) };
        score += 0.6 * n(Cue::InjectPersona);
        score += 0.35 * n(Cue::InjectLeak);
        // "reveal", "print", "repeat" only matter when aimed at the hidden setup.
        if self.get(Cue::InjectLeak) > 0 {
            score += 0.35 * n(Cue::InjectReveal).min(1.0);
        }
        score += 0.6 * n(Cue::InjectDelimiter);
        score += 0.6 * n(Cue::InjectTool);
        score += 0.35 * n(Cue::InjectAddress);
        score += 0.3 * n(Cue::InjectDecode);
        score += 0.1 * n(Cue::InjectTarget).min(2.0);
        score
    }
}

/// Triage's reading of one comment, before floods and products are considered.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    pub intent: Intent,
    pub confidence: f32,
    pub topic: Option<Topic>,
}

/// What the classifier needs beyond the text.
pub struct Context {
    pub has_link: bool,
    pub long_digit_run: bool,
    pub repetitive: bool,
    pub paid: bool,
    pub injection_threshold: f32,
    pub spam_threshold: f32,
}

/// Reads the intent of one normalised comment; `raw` is the text as sent, for decoding hidden payloads.
pub fn classify(lexicon: &Lexicon, raw: &str, normalized: &Normalized, cx: &Context) -> Reading {
    let text = normalized.text.as_str();
    let cues = CueCounts::of(lexicon, text);

    let injection = injection_score(lexicon, raw, normalized, &cues);
    if injection >= cx.injection_threshold {
        return Reading { intent: Intent::InjectionAttempt, confidence: injection.min(1.0), topic: None };
    }

    let solicit = cues.get(Cue::Solicit) as f32;
    let mut spam = 0.6 * solicit;
    if cx.has_link {
        spam += 0.6;
    }
    if cx.long_digit_run {
        spam += if solicit > 0.0 { 0.4 } else { 0.2 };
    }
    if cx.repetitive {
        spam += 0.7;
    }
    // Paid messages are rarely spam, and a moderator sees them anyway; they need a stronger signal.
    if cx.paid {
        spam -= 0.3;
    }
    if spam >= cx.spam_threshold {
        return Reading { intent: Intent::Spam, confidence: spam.min(1.0), topic: None };
    }

    let abuse = cues.get(Cue::Abuse);
    let complaint = cues.get(Cue::Complaint) + cues.get(Cue::Refund);
    let praise = cues.get(Cue::Praise);
    let question = cues.get(Cue::Question) > 0 || opens_like_a_question(text);
    let topic = topic_of(&cues);

    let health = cues.get(Cue::Health);
    if health > 0 && abuse == 0 {
        return Reading { intent: Intent::HealthOrSafety, confidence: confidence(0.6, health), topic };
    }
    if abuse > 0 && abuse >= complaint {
        return Reading { intent: Intent::Abuse, confidence: confidence(0.55, abuse), topic: None };
    }
    // A question about the returns policy before buying is a product question, not a complaint.
    let refund_question = cues.get(Cue::Refund) > 0 && cues.get(Cue::Complaint) == 0 && question;
    if complaint > 0 && complaint > praise && !refund_question {
        return Reading { intent: Intent::ComplaintOrRefund, confidence: confidence(0.55, complaint - praise), topic };
    }
    // "Are you a real person?" is answered with the truth, whatever else the comment says.
    if super::host::asks_about_host(text) {
        return Reading { intent: Intent::ProductQuestion, confidence: 0.8, topic: Some(Topic::Host) };
    }
    // A statement of delight that mentions a colour or the delivery is praise, not a question.
    if !question && praise > 0 && praise > complaint {
        return Reading { intent: Intent::Praise, confidence: confidence(0.55, praise - complaint), topic: None };
    }
    let access = cues.get(Cue::Accessibility);
    if access > 0 {
        return Reading { intent: Intent::AccessibilityNeed, confidence: confidence(0.6, access), topic: None };
    }
    if let Some(topic) = topic.filter(|t| t.is_commercial()) {
        let hits = cues.get(Cue::Price) + cues.get(Cue::Discount) + cues.get(Cue::Stock) + cues.get(Cue::Shipping);
        let base = if question { 0.7 } else { 0.5 };
        return Reading { intent: Intent::PriceStockShipping, confidence: confidence(base, hits), topic: Some(topic) };
    }
    if refund_question {
        return Reading { intent: Intent::ProductQuestion, confidence: 0.6, topic: Some(Topic::Returns) };
    }
    let purchase = cues.get(Cue::Purchase);
    if purchase > 0 && !(question && topic.is_some()) {
        return Reading { intent: Intent::PurchaseIntent, confidence: confidence(0.55, purchase), topic };
    }
    if question && (topic.is_some() || text.chars().count() >= 4) {
        let base = if topic.is_some() { 0.65 } else { 0.45 };
        return Reading { intent: Intent::ProductQuestion, confidence: base, topic };
    }
    if topic.is_some() {
        return Reading { intent: Intent::ProductQuestion, confidence: 0.4, topic };
    }
    if praise > complaint && praise > 0 {
        return Reading { intent: Intent::Praise, confidence: confidence(0.55, praise), topic: None };
    }
    let greeting = cues.get(Cue::Greeting);
    if greeting > 0 {
        return Reading { intent: Intent::Greeting, confidence: confidence(0.6, greeting), topic: None };
    }
    Reading { intent: Intent::Other, confidence: 0.3, topic: None }
}

/// English questions often come without a question mark: "will these work with my phone", "has it got a lid".
fn opens_like_a_question(text: &str) -> bool {
    const OPENERS: [&str; 14] =
        ["is", "are", "does", "do", "did", "can", "could", "will", "would", "should", "has", "have", "was", "were"];
    let mut words = text.split_whitespace();
    let first = words.next().unwrap_or_default();
    // "do it now" or "can't wait" are not questions: an opener must be followed by a subject.
    let subject = words.next().unwrap_or_default();
    const SUBJECTS: [&str; 13] =
        ["it", "this", "these", "that", "those", "they", "the", "there", "i", "you", "we", "he", "she"];
    OPENERS.contains(&first) && SUBJECTS.contains(&subject)
}

fn confidence(base: f32, hits: u32) -> f32 {
    (base + 0.1 * hits.saturating_sub(1) as f32).min(0.95)
}

/// The injection score of the comment and of every hidden reading of it; the highest wins.
fn injection_score(lexicon: &Lexicon, raw: &str, normalized: &Normalized, cues: &CueCounts) -> f32 {
    let mut best = cues.injection_score();
    if normalized.obfuscated && best > 0.0 {
        best += 0.3;
    }
    if best >= 1.0 {
        return best;
    }
    let text = normalized.text.as_str();
    let score_of = |reading: &str| CueCounts::of(lexicon, &reading.to_lowercase()).injection_score();
    if let Some(plain) = unleet(text) {
        best = best.max(score_of(&plain));
    }
    if let Some(plain) = unspace(text) {
        best = best.max(score_of(&plain));
    }
    // Decoding is only worth trying on comments long enough to hide a payload.
    if raw.len() >= 24 {
        for reading in decode::hidden_readings(raw) {
            // A hidden instruction is worse than a plain one: anything injection-like inside counts double.
            best = best.max((score_of(&reading) * 2.0).min(1.0));
        }
        // Gibberish with no cue at all may be rot13 or reversed.
        if !cues.any() && text.is_ascii() && text.len() >= 24 {
            for reading in decode::scrambled_readings(text) {
                best = best.max(score_of(&reading));
            }
        }
    }
    best
}

fn topic_of(cues: &CueCounts) -> Option<Topic> {
    const ORDER: [(Cue, Topic); 10] = [
        (Cue::Price, Topic::Price),
        (Cue::Discount, Topic::Discount),
        (Cue::Stock, Topic::Stock),
        (Cue::Shipping, Topic::Shipping),
        (Cue::Size, Topic::Size),
        (Cue::Colour, Topic::Colour),
        (Cue::Material, Topic::Material),
        (Cue::Features, Topic::Features),
        (Cue::Usage, Topic::Usage),
        (Cue::Guarantee, Topic::Guarantee),
    ];
    let mut best: Option<(u32, Topic)> = None;
    for (cue, topic) in ORDER {
        let n = cues.get(cue);
        if n > 0 && best.is_none_or(|(m, _)| n > m) {
            best = Some((n, topic));
        }
    }
    best.map(|(_, topic)| topic)
}
