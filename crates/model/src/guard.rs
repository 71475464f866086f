//! The guard's reasons, shared by the director (which decides), the audit log and the console's metrics (which
//! count them): a typed enum, so nothing downstream parses English notes.

use serde::{Deserialize, Serialize};

/// Why a sentence was repaired or rejected. The snake_case [`GuardRule::name`] is stable: the audit log and the
/// console filter on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GuardRule {
    /// A `{slot}` the ledger has no fact for (no compare-at price, unknown stock, a closed offer).
    UnbackedSlot,
    /// An amount of money that is neither the price nor the compare-at price.
    UnbackedPrice,
    /// A percentage, 折, 半价 or "discount" the ledger does not back.
    UnbackedDiscount,
    /// Any other number that is not part of the product's own facts.
    UnbackedNumber,
    /// "Free", 免费, 包邮 or a gift the product data does not mention.
    UnbackedFree,
    /// A stock count or "sold out" the ledger does not back.
    UnbackedStock,
    /// "Selling out", "almost gone", 手慢无: the data never backs a rate of sale.
    FakeScarcity,
    /// "Hurry", "today only", 限时: only an offer window with an end backs urgency.
    UnbackedUrgency,
    /// Advertising Law art. 9(3) absolute terms (最佳, 第一, "number one" ...).
    AbsoluteTerm,
    /// Health, cure or medical claims for goods that are not medicine.
    MedicalClaim,
    /// "Guaranteed", "risk-free", 无效退款 beyond the product's stated guarantee.
    AbsolutePromise,
    /// The system prompt, its instructions or the hidden rules leaking into speech.
    PromptLeak,
    /// The host stepping out of its persona ("as an AI language model", "I am ChatGPT", "developer mode").
    PersonaExit,
    /// Swearing or insults, in English or Chinese.
    Profanity,
    /// Theatrical apologies and "I understand how frustrating that must be".
    PerformedEmpathy,
    /// Code, HTML, markdown or template syntax that a voice cannot say.
    Markup,
    /// A URL or web address: the link is on the product card, never read out (and never an exfiltration channel).
    Link,
    /// A true fact written as digits instead of its slot; repaired so the verbalizer says it.
    LiteralFact,
    /// Nothing speakable is left.
    NothingToSay,
    /// Words in a language the host does not speak on air (it speaks Chinese and English only): an obeyed
    /// injection in Spanish or German, or a model drifting out of its language.
    WrongLanguage,
    /// A long stretch of the viewer's comment repeated back: an obeyed injection parroting its own text, or a
    /// viewer putting words in the host's mouth.
    CommentEcho,
    /// The host denying that it is an AI ("I'm not a bot", 我不是AI, 不是机器人).
    DeniesAi,
    /// The host claiming to be a person, to sit somewhere, or to have a body or a family ("I'm a real person",
    /// 我是真人主播, "my kids love it").
    ClaimsHuman,
    /// The host claiming to have used, tried or tasted the product ("I use it every day", 亲测, 我自己每天都在用).
    ClaimsExperience,
    /// A promotion mechanic (买一送一, 第二件半价, 满减, coupon codes, BOGO, free shipping, a countdown) the product
    /// data does not state.
    UnbackedPromotion,
    /// An amount said in a currency other than the product's (dollars for a yuan price).
    WrongCurrency,
    /// A shipping, returns or dispatch claim the product data does not state.
    UnbackedPolicy,
}

impl GuardRule {
    /// The stable snake_case name written to the audit log.
    pub fn name(self) -> &'static str {
        match self {
            GuardRule::UnbackedSlot => "unbacked_slot",
            GuardRule::UnbackedPrice => "unbacked_price",
            GuardRule::UnbackedDiscount => "unbacked_discount",
            GuardRule::UnbackedNumber => "unbacked_number",
            GuardRule::UnbackedFree => "unbacked_free",
            GuardRule::UnbackedStock => "unbacked_stock",
            GuardRule::FakeScarcity => "fake_scarcity",
            GuardRule::UnbackedUrgency => "unbacked_urgency",
            GuardRule::AbsoluteTerm => "absolute_term",
            GuardRule::MedicalClaim => "medical_claim",
            GuardRule::AbsolutePromise => "absolute_promise",
            GuardRule::PromptLeak => "prompt_leak",
            GuardRule::PersonaExit => "persona_exit",
            GuardRule::Profanity => "profanity",
            GuardRule::PerformedEmpathy => "performed_empathy",
            GuardRule::Markup => "markup",
            GuardRule::Link => "link",
            GuardRule::LiteralFact => "literal_fact",
            GuardRule::NothingToSay => "nothing_to_say",
            GuardRule::WrongLanguage => "wrong_language",
            GuardRule::CommentEcho => "comment_echo",
            GuardRule::DeniesAi => "denies_ai",
            GuardRule::ClaimsHuman => "claims_human",
            GuardRule::ClaimsExperience => "claims_experience",
            GuardRule::UnbackedPromotion => "unbacked_promotion",
            GuardRule::WrongCurrency => "wrong_currency",
            GuardRule::UnbackedPolicy => "unbacked_policy",
        }
    }

    /// Every rule, for documentation and console filters.
    pub const ALL: [GuardRule; 27] = [
        GuardRule::UnbackedSlot,
        GuardRule::UnbackedPrice,
        GuardRule::UnbackedDiscount,
        GuardRule::UnbackedNumber,
        GuardRule::UnbackedFree,
        GuardRule::UnbackedStock,
        GuardRule::FakeScarcity,
        GuardRule::UnbackedUrgency,
        GuardRule::AbsoluteTerm,
        GuardRule::MedicalClaim,
        GuardRule::AbsolutePromise,
        GuardRule::PromptLeak,
        GuardRule::PersonaExit,
        GuardRule::Profanity,
        GuardRule::PerformedEmpathy,
        GuardRule::Markup,
        GuardRule::Link,
        GuardRule::LiteralFact,
        GuardRule::NothingToSay,
        GuardRule::WrongLanguage,
        GuardRule::CommentEcho,
        GuardRule::DeniesAi,
        GuardRule::ClaimsHuman,
        GuardRule::ClaimsExperience,
        GuardRule::UnbackedPromotion,
        GuardRule::WrongCurrency,
        GuardRule::UnbackedPolicy,
    ];
}

impl std::fmt::Display for GuardRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::GuardRule;

    #[test]
    fn every_rule_has_a_distinct_name_that_serde_writes_the_same_way() {
        let mut names: Vec<&str> = GuardRule::ALL.iter().map(|r| r.name()).collect();
        for rule in GuardRule::ALL {
            assert_eq!(serde_json::to_string(&rule).unwrap(), format!("\"{}\"", rule.name()));
            assert_eq!(serde_json::from_str::<GuardRule>(&format!("\"{}\"", rule.name())).unwrap(), rule);
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), GuardRule::ALL.len());
    }
}
