//! Viewers' comments: triage, hand-offs to the moderators, and the fair picker of questions to answer.

use super::Show;
use super::protocol::Output;
use model::{Comment, ConsoleEvent, Intent, ModerationMode, ShowTime, StageCommand, UnixMs};

/// At most this many answers before one pitch line.
pub const MAX_ANSWERS_IN_A_ROW: u32 = 2;

/// At most this many comments wait for a hand-off line; beyond that the moderators' queue still has them.
const MAX_PENDING_HANDOFFS: usize = 8;

impl Show {
    /// Triage labels the comment (the console sees every label); comments that need a human go to the
    /// moderators and get one hand-off line; the rest wait in the fair picker for an answer.
    pub(super) fn take_comment(&mut self, now: ShowTime, comment: Comment) {
        let wall = self.wall(now);
        let assessment = self.triage.assess(&comment, wall, self.queue.products());
        let label = assessment.label.clone();
        self.outputs.push_back(Output::Console(ConsoleEvent::CommentTriaged {
            comment: comment.clone(),
            label: label.clone(),
        }));
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
            self.outputs.push_back(Output::Console(ConsoleEvent::Escalated { comment, intent: label.intent }));
            return;
        }
        match label.intent {
            Intent::ComplaintOrRefund | Intent::HealthOrSafety => {
                self.outputs.push_back(Output::Console(ConsoleEvent::Escalated {
                    comment: comment.clone(),
                    intent: label.intent,
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
                    }));
                }
                self.picker.push(comment, &assessment, wall);
            }
        }
    }

    /// The next question to answer, unless enough answers were said since the last pitch line.
    pub(super) fn pick_question(&mut self, wall: UnixMs) -> Option<crate::triage::PickedQuestion> {
        if self.answers_in_a_row >= MAX_ANSWERS_IN_A_ROW {
            return None;
        }
        self.picker.pick(wall)
    }
}
