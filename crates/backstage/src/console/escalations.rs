//! Who handles which escalation. A comment the show hands to the moderators (a complaint, a refund, a health
//! question) can be claimed by one moderator, released, and marked handled; each step names the moderator and the
//! time, goes to the audit log as a moderator action, and is shown on every open page. The show itself is not
//! involved: it already told the viewer a human will take it from here.

use model::{Comment, UnixMs};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One moderator's step, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Mark {
    pub by: String,
    pub at: UnixMs,
}

/// Where one escalation stands.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct State {
    pub claimed: Option<Mark>,
    pub handled: Option<Mark>,
}

/// What a moderator does with an escalation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// "I'll take this one." Taking one another moderator claimed needs `take_over`.
    Claim { take_over: bool },
    /// "I'm not on it after all."
    Release,
    /// "Done: the viewer has been helped."
    Handled,
}

impl Step {
    /// The step as the audit log and the other moderators read it.
    pub fn verb(self) -> &'static str {
        match self {
            Step::Claim { .. } => "claimed",
            Step::Release => "released",
            Step::Handled => "marked handled",
        }
    }

    /// The step's name in the audit log's typed row ([`crate::store::EscalationStep`]).
    pub fn code(self) -> &'static str {
        match self {
            Step::Claim { .. } => "claimed",
            Step::Release => "released",
            Step::Handled => "handled",
        }
    }
}

/// The escalation's key: its comment's platform and id (ids are unique within a platform).
pub(crate) fn key(comment: &Comment) -> String {
    crate::store::escalation_key(comment)
}

/// Every escalation's state, by key.
#[derive(Debug, Default)]
pub(crate) struct Handling {
    by_key: BTreeMap<String, State>,
}

fn when(at: UnixMs) -> String {
    crate::store::rfc3339(at)
}

impl Handling {
    /// The state of the escalation `escalation` (as the snapshot writes it: `{"comment": {...}, "intent": ...}`).
    pub fn json_for(&self, escalation: &Value) -> Value {
        let comment = &escalation["comment"];
        let key = format!("{}:{}", comment["platform"].as_str().unwrap_or(""), comment["id"].as_str().unwrap_or(""));
        json!(self.by_key.get(&key).cloned().unwrap_or_default())
    }

    /// Where the escalation `key` stands (open when never touched).
    pub fn state(&self, key: &str) -> State {
        self.by_key.get(key).cloned().unwrap_or_default()
    }

    /// Applies `step` by `by` at `at`; `Err` says why it does not fit where the escalation stands (the state is
    /// unchanged then).
    pub fn apply(&mut self, key: &str, step: Step, by: &str, at: UnixMs) -> Result<State, String> {
        let state = self.by_key.entry(key.to_string()).or_default();
        if let Some(done) = &state.handled {
            return Err(format!("{} already marked it handled at {}", done.by, when(done.at)));
        }
        match step {
            Step::Claim { take_over } => match &state.claimed {
                Some(mine) if mine.by == by => {}
                Some(other) if !take_over => {
                    return Err(format!(
                        "{} claimed it at {}; send \"take_over\": true to take it from them",
                        other.by,
                        when(other.at)
                    ));
                }
                _ => state.claimed = Some(Mark { by: by.to_string(), at }),
            },
            Step::Release => {
                if state.claimed.take().is_none() {
                    return Err("nobody has claimed it".into());
                }
            }
            Step::Handled => state.handled = Some(Mark { by: by.to_string(), at }),
        }
        Ok(state.clone())
    }

    /// Forgets escalations the console no longer lists (it keeps the last 100).
    pub fn keep_only(&mut self, listed: &[String]) {
        self.by_key.retain(|key, _| listed.contains(key));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escalation_is_claimed_released_and_handled_once() {
        let mut handling = Handling::default();
        let claimed = handling.apply("youtube:c-1", Step::Claim { take_over: false }, "Ann", UnixMs(1_000)).unwrap();
        assert_eq!(claimed.claimed, Some(Mark { by: "Ann".into(), at: UnixMs(1_000) }));
        assert!(handling.apply("youtube:c-1", Step::Claim { take_over: false }, "Ann", UnixMs(2_000)).is_ok());
        let taken = handling.apply("youtube:c-1", Step::Claim { take_over: false }, "Bo", UnixMs(3_000));
        assert!(taken.is_err_and(|e| e.contains("Ann claimed it") && e.contains("take_over")));
        let over = handling.apply("youtube:c-1", Step::Claim { take_over: true }, "Bo", UnixMs(4_000)).unwrap();
        assert_eq!(over.claimed.map(|m| m.by), Some("Bo".into()));
        assert!(handling.apply("youtube:c-1", Step::Release, "Bo", UnixMs(5_000)).is_ok_and(|s| s.claimed.is_none()));
        assert!(handling.apply("youtube:c-1", Step::Release, "Bo", UnixMs(5_000)).is_err(), "nothing to release");
        let done = handling.apply("youtube:c-1", Step::Handled, "Cy", UnixMs(6_000)).unwrap();
        assert_eq!(done.handled, Some(Mark { by: "Cy".into(), at: UnixMs(6_000) }));
        for step in [Step::Claim { take_over: true }, Step::Release, Step::Handled] {
            let late = handling.apply("youtube:c-1", step, "Ann", UnixMs(7_000));
            assert!(late.is_err_and(|e| e.contains("Cy already marked it handled")), "{step:?}");
        }
        let escalation = json!({"comment": {"platform": "youtube", "id": "c-1"}});
        assert_eq!(handling.json_for(&escalation)["handled"]["by"], "Cy");
        handling.keep_only(&[]);
        assert_eq!(handling.json_for(&escalation), json!({"claimed": null, "handled": null}));
    }
}
