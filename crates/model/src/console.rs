//! Events for the moderators' console and the audit log: what was said, when, and why.

use crate::{CareKind, Comment, Diagnostic, Intent, Lang, LineId, LineKind, ProductId, ShowTime, TriageLabel, UnixMs};
use serde::{Deserialize, Serialize};

/// Where a line's words came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSource {
    /// Written by the LLM (every sentence passed the guard).
    Llm,
    /// A template line: the template writer's, or one the director fell back to because the LLM failed or was too
    /// slow (the line's `fallbacks` say why, and its note in words).
    Template,
    /// Words a moderator typed ("say this now") or edited before approving.
    Moderator,
}

/// How replies to one kind of comment reach the air.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModerationMode {
    /// The host answers on its own (every line still passes the guard).
    #[default]
    Auto,
    /// The written reply waits in the console's queue until a moderator approves (or edits, or rejects) it.
    ApproveFirst,
    /// The host does not answer; the comment goes straight to the moderators' queue.
    HumanOnly,
}

impl ModerationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ModerationMode::Auto => "auto",
            ModerationMode::ApproveFirst => "approve_first",
            ModerationMode::HumanOnly => "human_only",
        }
    }

    pub fn parse(s: &str) -> Option<ModerationMode> {
        match s {
            "auto" => Some(ModerationMode::Auto),
            "approve_first" => Some(ModerationMode::ApproveFirst),
            "human_only" => Some(ModerationMode::HumanOnly),
            _ => None,
        }
    }
}

/// How the host speaks. `Plain` is for viewers who cannot follow the usual pace (hard of hearing, learning the
/// language, older): a slower voice, short sentences, the price said twice, no idioms asked of the writer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    #[default]
    Usual,
    Plain,
}

impl Pace {
    pub fn as_str(self) -> &'static str {
        match self {
            Pace::Usual => "usual",
            Pace::Plain => "plain",
        }
    }

    pub fn parse(s: &str) -> Option<Pace> {
        match s {
            "usual" => Some(Pace::Usual),
            "plain" => Some(Pace::Plain),
            _ => None,
        }
    }
}

/// What became of a reply that waited for a moderator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplyOutcome {
    Approved,
    Edited,
    Rejected,
    /// Nobody decided in time; the host moved on.
    Expired,
}

/// What the guard did to a sentence on its way to the air.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardAction {
    /// Said in a corrected form (for example a price filled in from the data).
    Repaired,
    /// Not said; a template line was said in its place.
    Replaced,
    /// Not said, and nothing in its place.
    Dropped,
}

/// One guard decision, for the audit log and the console's metrics: the rule that fired and the writer's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardNote {
    /// The rule that fired; serialised as its snake_case name, e.g. `unbacked_price`.
    pub rule: crate::GuardRule,
    pub action: GuardAction,
    pub original: String,
}

/// One line that went on air.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiredLine {
    pub line: LineId,
    pub t_ms: u64,
    pub kind: LineKind,
    pub product: Option<ProductId>,
    pub text: String,
    pub lang: Lang,
    pub source: LineSource,
    pub duration_ms: u32,
    /// Why the line is what it is, in words for people: why the director fell back, or that a moderator wrote it
    /// (for the audit log and the console's transcript). Never parsed: [`AiredLine::fallbacks`] says it typed.
    pub note: Option<String>,
    /// Each step down the no-dead-air ladder this line took, in order (the writer was late, then the voice failed);
    /// empty when it aired as planned. The note says the same in words.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fallbacks: Vec<crate::Fallback>,
    /// The viewer comment this line answers, when it is an answer or a hand-off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<Comment>,
    /// The wall clock when the line started.
    pub wall: UnixMs,
    /// What the guard changed or refused on the way (empty when every sentence passed as written).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub guard: Vec<GuardNote>,
    /// The console account that wrote, edited or approved the line (a moderator's name, or the shared console
    /// token's name for scripts); `None` when the host aired it on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// For an answer: how many viewers asked what it answers (several who asked the same thing are answered
    /// together); 0 for other lines.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub asked_by: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl AiredLine {
    pub fn started_at(&self) -> ShowTime {
        ShowTime(self.t_ms)
    }
}

/// Everything the director tells the console and the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConsoleEvent {
    LineAired(AiredLine),
    /// A viewer's gift, membership or paid message arrived (shown in the feed, counted in /metrics).
    Support(crate::Support),
    /// A pitch line was cut short at the end of a sentence so that a viewer's answer could go on air: `said` is
    /// what of it was heard (the audit log keeps both).
    LineCut {
        line: LineId,
        said: String,
        /// How long of the line was heard before the cut.
        heard_ms: u64,
    },
    /// A result arrived for a turn or line the director no longer waits for, and was dropped.
    StaleResultDropped {
        what: String,
    },
    /// A product file was (re)loaded: `products` valid products are now live; `diagnostics` lists what was dropped
    /// or warned about.
    CatalogLoaded {
        path: String,
        products: usize,
        diagnostics: Vec<Diagnostic>,
    },
    /// A viewer comment arrived and was labelled (the console's live chat shows it with its label).
    CommentTriaged {
        comment: Comment,
        label: TriageLabel,
    },
    /// A comment needs a human (a complaint, a refund, a health question): it goes to the moderators' queue.
    Escalated {
        comment: Comment,
        intent: Intent,
        /// Why, when the intent alone does not say: a question the product data does not answer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
        /// Set when the viewer needs a person for their own sake (a crisis, a child, a scam...): the console puts
        /// these first, and the comment is never shown or said on air.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        care: Option<CareKind>,
    },
    /// A changed product file had no usable products; the last good queue stays live.
    CatalogRejected {
        path: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A reply is written and waits for a moderator (approve-first mode). It airs as `line` once approved.
    ReplyPending {
        line: LineId,
        kind: LineKind,
        product: Option<ProductId>,
        text: String,
        lang: Lang,
        trigger: Option<Comment>,
    },
    /// A pending reply was approved, edited, rejected or expired.
    ReplyResolved {
        line: LineId,
        outcome: ReplyOutcome,
    },
    /// A viewer question waited longer than the backlog allows and was dropped unanswered.
    QuestionDropped {
        comment: Comment,
        waited_ms: u64,
    },
    /// A moderator did something (for the audit log and the other moderators' screens).
    ModeratorAction {
        action: String,
    },
    /// A moderator's words were refused on their way to the air: nothing of them is said. It says exactly why, so
    /// the moderator can fix the words (a `ModeratorAction` with the same reason in a sentence goes with it).
    ModeratorLineRefused {
        /// What the moderator was doing: `say_now` ("say this now") or `edit` (approving a pending reply in their
        /// own words).
        action: String,
        /// The pending reply being edited; `None` for say-now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        line: Option<LineId>,
        /// The words as the moderator sent them.
        text: String,
        /// The words that failed: the sentence that broke a rule, or the whole text when the text itself was refused
        /// (empty, too long, too many lines already waiting).
        sentence: String,
        /// The rule the sentence broke; `None` when the text as a whole was refused.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rule: Option<crate::GuardRule>,
        /// Why, in words a moderator can act on.
        reason: String,
        /// The product whose facts the sentence was checked against (the product it names, else the line's own).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        product: Option<ProductId>,
        /// What would air if the refused sentences were left out (with the guard's repairs), when anything is left:
        /// the moderator can send it as it is.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        repaired: Option<String>,
    },
    /// A chat source, the LLM, the voice or OBS went down or came back.
    SourceHealth {
        source: String,
        healthy: bool,
        detail: String,
    },
    /// Handling an input failed inside the director (a bug reached by input): the line being prepared was dropped
    /// and the show went on. `what` names the input, `reason` the failure.
    TurnFailed {
        what: String,
        reason: String,
    },
    /// What moderators changed in the console and still holds (prices, stock, flash sales, the pin), after every
    /// change: the console shows it, and the store keeps it so that a restart puts it back.
    OverridesChanged(StandingOverrides),
    /// The replies waiting for a moderator's decision and the moderators' lines waiting for their turn, after
    /// every change: the store keeps them so that a restart (even after kill -9) puts them back.
    HeldLinesChanged(Vec<HeldLine>),
    /// The host's pace changed: a moderator switched it, a viewer asked the host to slow down (then `until` says
    /// when the host goes back to its usual pace unless asked again), or that time came.
    PaceChanged {
        pace: Pace,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<UnixMs>,
        /// Why, in words for the moderators and the audit log.
        why: String,
    },
}

/// A line held for moderators: a reply waiting for approval (`approved: false`) or an approved reply or "say this
/// now" line waiting for its turn on air (`approved: true`). Its words were guarded when written and are guarded
/// again when their turn comes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldLine {
    pub line: LineId,
    pub kind: LineKind,
    pub product: Option<ProductId>,
    pub lang: Lang,
    pub text: String,
    pub source: LineSource,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<Comment>,
    pub approved: bool,
    /// When it was written (a pending reply's approval time runs from here).
    pub since: UnixMs,
    /// The console account that wrote, edited or approved it (see [`AiredLine::by`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

/// The moderators' changes that hold over product-file reloads and restarts until a moderator clears them (or, for
/// a flash sale, until it ends).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandingOverrides {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<ProductId>,
}

/// One product's console values, with what the product file says for them (a difference is a conflict the console
/// shows: the console's value stays until cleared).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductOverride {
    pub product: ProductId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<PriceOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<StockOverride>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flash_sale: Option<FlashSaleOverride>,
    /// When a moderator first changed this product.
    pub since: UnixMs,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceOverride {
    pub price: crate::Money,
    pub compare_at: Option<crate::Money>,
    /// The product file's price and reference price (as last loaded).
    pub file_price: crate::Money,
    pub file_compare_at: Option<crate::Money>,
    /// The console account that set it (absent in changes stored before accounts were recorded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockOverride {
    /// `None`: the moderator set the stock to unknown.
    pub stock: Option<u32>,
    pub file_stock: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlashSaleOverride {
    pub price: crate::Money,
    pub ends_at: UnixMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_written_before_fallbacks_were_typed_still_read_and_plain_lines_write_no_fallbacks() {
        let old = r#"{"line":7,"t_ms":0,"kind":"disclosure","product":null,"text":"I am an AI host.","lang":"en",
            "source":"template","duration_ms":900,"note":"the writer took too long","wall":1000}"#;
        let line: AiredLine = serde_json::from_str(old).expect("an audit row from before");
        assert!(line.fallbacks.is_empty());
        // A line with nothing to say about fall-backs is written exactly as before (the audit log's hash chain
        // covers the JSON).
        assert!(!serde_json::to_string(&line).expect("json").contains("fallbacks"));
        let late = AiredLine { fallbacks: vec![crate::Fallback::WriterTimeout], ..line };
        assert!(serde_json::to_string(&late).expect("json").contains(r#""fallbacks":["writer_timeout"]"#));
    }
}
