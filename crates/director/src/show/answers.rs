//! Viewers' comments: triage, hand-offs to the moderators, and the fair picker of questions to answer.

use super::Show;
use super::flow::NextLine;
use super::protocol::Output;
use crate::triage::Topic;
use crate::triage::care::{CareFinding, CareKind};
use model::{Comment, ConsoleEvent, Intent, LineKind, ModerationMode, ShowTime, StageCommand, UnixMs};

/// At most this many answers before one pitch line.
pub const MAX_ANSWERS_IN_A_ROW: u32 = 2;

/// At least this many questions waiting is a busy chat, where [`super::ShowConfig::busy_question_age_ms`] holds;
/// with fewer, a question may wait up to [`super::ShowConfig::max_question_age_ms`].
pub const BUSY_QUEUE: usize = 2;

/// The pitch's least share of airtime under the busiest chat: with at most [`MAX_ANSWERS_IN_A_ROW`] answers
/// between pitch lines, a pitch line is about a third of what is said even when every gap could be an answer.
pub const MIN_PITCH_SHARE: f64 = 0.3;

/// At most this many comments wait for a hand-off line; beyond that the moderators' queue still has them.
const MAX_PENDING_HANDOFFS: usize = 8;

/// At most one general care line of each kind this often, however many such comments arrive.
const CARE_LINE_EVERY_MS: i64 = 3 * 60 * 1000;

impl Show {
    /// Triage labels the comment (the console sees every label); comments that need a human go to the
    /// moderators and get one hand-off line; the rest wait in the fair picker for an answer.
    pub(super) fn take_comment(&mut self, now: ShowTime, comment: Comment) {
        let wall = self.wall(now);
        let mut assessment = self.triage.assess(&comment, wall, self.queue.products());
        // A question that names no product by its title is about the product its words point to in the data
        // ("the teapot"), else the one on screen when it was asked, not whatever is on screen when it is answered.
        let about_a_product = matches!(
            assessment.label.intent,
            Intent::ProductQuestion | Intent::PriceStockShipping | Intent::PurchaseIntent
        ) && assessment.topic != Some(Topic::Host);
        if about_a_product && assessment.label.product.is_none() {
            let by_data = crate::answers::named_by_data(self.queue.products(), &comment.text, self.pinned.as_ref());
            assessment.label.product = by_data.map(|p| p.id.clone()).or_else(|| self.pinned.clone());
        }
        // Someone who cannot follow the show is answered on air (slowly, plainly) and a moderator is told.
        if assessment.care.is_some_and(|c| c.kind == CareKind::Access)
            && matches!(assessment.label.intent, Intent::ProductQuestion | Intent::PriceStockShipping | Intent::Other)
        {
            assessment.label.intent = Intent::AccessibilityNeed;
        }
        // One who asks the host to slow down gets it: plain pace for a while, said in the answer.
        if assessment.label.intent == Intent::AccessibilityNeed
            && crate::triage::care::asks_to_slow_down(&crate::triage::normalize::normalize(&comment.text).text)
        {
            self.plain_for_viewer(wall, &comment.user_name);
        }
        let label = assessment.label.clone();
        self.outputs.push_back(Output::Console(ConsoleEvent::CommentTriaged {
            comment: comment.clone(),
            label: label.clone(),
        }));
        // Care comes before everything else, floods included: the viewer gets a person, never a pitch.
        if let Some(found) = assessment.care.filter(|c| c.kind.is_private()) {
            return self.take_care(wall, comment, label.intent, found);
        }
        // A paid message is thanked (once a minute per viewer, merged in floods), unless it is abuse or an attack.
        // The console lists it with the gifts and memberships (one model for every platform's support).
        // A paid message in a currency shopcast does not know has only its amount as text: still paid.
        let paid = comment.paid.is_some() || comment.flags.paid_amount_text.is_some();
        if paid && !matches!(label.intent, Intent::Spam | Intent::Abuse | Intent::InjectionAttempt) {
            let text = comment.flags.paid_amount_text.clone().map_or(comment.text.clone(), |raw| {
                if comment.text.is_empty() { raw } else { format!("{raw}: {}", comment.text) }
            });
            self.outputs.push_back(Output::Console(ConsoleEvent::Support(model::Support {
                platform: comment.platform,
                user_id: comment.user_id.clone(),
                user_name: comment.user_name.clone(),
                kind: model::SupportKind::PaidMessage,
                amount: comment.paid.clone(),
                text,
                time: comment.time,
            })));
            let (platform, user_id, name) = (comment.platform, comment.user_id.clone(), comment.user_name.clone());
            self.owe_thanks(wall, platform, user_id, name, crate::templates::ThanksFor::Message);
        }
        if label.flood {
            return;
        }
        if !matches!(label.intent, Intent::Spam | Intent::Abuse | Intent::InjectionAttempt) {
            self.outputs.push_back(Output::Stage(StageCommand::Ticker {
                user_name: comment.user_name.clone(),
                text: comment.text.clone(),
            }));
        }
        if self.mode(label.intent) == ModerationMode::HumanOnly {
            // The moderators answer this kind themselves; the host stays out of it.
            self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                comment,
                intent: label.intent,
                reason: None,
                care: None,
            }));
            return;
        }
        match label.intent {
            Intent::ComplaintOrRefund | Intent::HealthOrSafety => {
                self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                    comment: comment.clone(),
                    intent: label.intent,
                    reason: None,
                    care: None,
                }));
                let already = self.handoffs.iter().any(|(c, _)| c.user_id == comment.user_id);
                if !already && self.handoffs.len() < MAX_PENDING_HANDOFFS {
                    self.handoffs.push_back((comment, label.intent));
                }
            }
            _ => {
                if label.intent == Intent::AccessibilityNeed {
                    // Answered on air, and a moderator is told too: someone may need more than a line.
                    self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                        comment: comment.clone(),
                        intent: label.intent,
                        reason: None,
                        care: None,
                    }));
                }
                let waiting = self.picker.len();
                self.picker.push(comment, &assessment, wall);
                if self.picker.len() > waiting {
                    self.answer_before_the_next_pitch();
                }
            }
        }
    }

    /// A new question waits and the next line is a pitch not yet on air (or the rest of a pitch turn still being
    /// said): the pitch gives way, so the viewer hears the answer after the line on air instead of after one more
    /// pitch (BENCHMARKS.md, "Comment to first audio"). The pitch is planned again afterwards, and the limit on
    /// answers in a row still keeps its share of the airtime.
    fn answer_before_the_next_pitch(&mut self) {
        if self.owed_pitch || self.answers_in_a_row >= MAX_ANSWERS_IN_A_ROW || self.human_live {
            return;
        }
        let streaming_pitch = self.streaming.as_ref().is_some_and(|s| matches!(s.context.kind, LineKind::Pitch(_)));
        let next_pitch = match &self.next {
            Some(next) => matches!(next.kind, LineKind::Pitch(_)) && (!next.moderated || streaming_pitch),
            None => streaming_pitch,
        };
        if next_pitch && let Some(NextLine { place: Some(place), .. }) = self.discard_next() {
            // Not on air yet: the same pitch comes after the answer instead of being skipped.
            self.queue.give_back(place);
        }
    }

    /// A comment from someone who needs a person: it goes to the moderators marked as care, and is never shown on
    /// screen (no ticker, no bubble), never read aloud, never answered about a product; the viewer is never named.
    /// The host may say one general line for that kind of need, at most once every few minutes however many such
    /// comments come; a crisis or medical emergency also keeps the pitch calm for a while.
    fn take_care(&mut self, wall: UnixMs, comment: Comment, intent: Intent, found: CareFinding) {
        let kind = found.kind;
        self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
            comment,
            intent,
            reason: Some(format!("care: {kind} (the words \"{}\")", found.cue)),
            care: Some(kind),
        }));
        let recently = self.care_said.get(&kind).is_some_and(|at| wall.0.saturating_sub(at.0) < CARE_LINE_EVERY_MS);
        if !recently && !self.care_lines.contains(&kind) {
            self.care_lines.push_back(kind);
            self.care_said.insert(kind, wall);
        }
        if matches!(kind, CareKind::Crisis | CareKind::Medical) {
            let until = UnixMs(wall.0 + self.config.care_calm_ms as i64);
            self.calm_until = Some(self.calm_until.map_or(until, |u| u.max(until)));
            // A pitch already prepared may be the offer line with its price and countdown: it is planned again.
            self.drop_prepared_pitch();
        }
    }

    /// Whether the pitch must stay calm now (see [`super::ShowConfig::care_calm_ms`]).
    pub(super) fn calm(&self, wall: UnixMs) -> bool {
        self.calm_until.is_some_and(|until| wall < until)
    }

    /// The next question to answer, unless enough answers were said since the last pitch line.
    ///
    /// A line is planned while the one before it is still on air, so a question picked now is heard only when that
    /// line ends: questions that will be past [`super::ShowConfig::max_question_age_ms`] by then go to the
    /// moderators now (a `QuestionDropped` each) instead of being answered late.
    pub(super) fn pick_question(&mut self, now: ShowTime) -> Option<crate::triage::PickedQuestion> {
        if self.answers_in_a_row >= MAX_ANSWERS_IN_A_ROW {
            return None;
        }
        // An answer follows the line on air without the gap between lines (see `gap_before_next`).
        let airs_at = self.on_air.as_ref().map_or(now, |on_air| on_air.ends_at.max(now));
        // Only a busy chat needs the strict limit: with a question or two waiting, answering one that waited half a
        // minute beats handing it to the moderators.
        let busy = self.picker.len() >= BUSY_QUEUE;
        let quiet = self.config.max_question_age_ms;
        let limit = if busy { self.config.busy_question_age_ms.min(quiet) } else { quiet };
        for (comment, waited) in self.picker.expire_older_than(self.wall(airs_at), limit.min(i64::MAX as u64) as i64) {
            let waited_ms = waited.saturating_sub(airs_at.since(now) as i64).max(0) as u64;
            self.outputs.push_back(Output::Console(ConsoleEvent::QuestionDropped { comment, waited_ms }));
        }
        self.picker.pick(self.wall(now))
    }
}
