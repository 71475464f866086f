//! Viewer comments as every chat source is normalised to them, and the labels triage gives them.

use crate::{Lang, Money, ProductId, UnixMs};
use serde::{Deserialize, Serialize};

/// Where a comment came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Twitch,
    Youtube,
    Bilibili,
    Tiktok,
    Douyin,
    Kuaishou,
    Kick,
    /// Anything fed through the generic ingest by a bridge that does not say which platform.
    Generic,
}

/// A comment's id, unique within its platform (for deletions and de-duplication after reconnects).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CommentId(pub String);

/// Facts the platform states about the viewer or the message.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentFlags {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_message: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub moderator: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub subscriber: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub member: bool,
    /// The comment this one replies to, when the platform says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<CommentId>,
    /// The viewer was here in an earlier visit and the show's memory has them (never set for viewers who opted
    /// out of being remembered).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub returning: bool,
    /// A paid message whose currency shopcast does not know: the amount as the platform wrote it ("₴50.00"). The
    /// comment is kept (a paying viewer is never dropped) and shows as paid to moderators, without a sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_amount_text: Option<String>,
}

/// One viewer comment, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comment {
    pub platform: Platform,
    pub id: CommentId,
    pub user_id: String,
    pub user_name: String,
    pub text: String,
    /// When the platform says it was sent.
    pub time: UnixMs,
    /// A paid message (Super Chat, bits, a gift), in the currency the viewer paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid: Option<Money>,
    #[serde(default)]
    pub flags: CommentFlags,
}

/// What a comment is about, as triage judges it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Intent {
    /// A question about a product (what it asks about is triage's `Topic`, beside the label).
    ProductQuestion,
    /// Price, discount, stock, shipping or size.
    PriceStockShipping,
    PurchaseIntent,
    Greeting,
    Praise,
    ComplaintOrRefund,
    HealthOrSafety,
    /// A viewer saying they need something to follow the show (captions, slower speech, bigger text...).
    AccessibilityNeed,
    Abuse,
    Spam,
    /// An attempt to give the host instructions ("ignore your instructions", role play, prompt leaks).
    InjectionAttempt,
    Other,
}

impl Intent {
    /// Every intent, in the order the console lists them.
    pub const ALL: [Intent; 12] = [
        Intent::ProductQuestion,
        Intent::PriceStockShipping,
        Intent::PurchaseIntent,
        Intent::Greeting,
        Intent::Praise,
        Intent::ComplaintOrRefund,
        Intent::HealthOrSafety,
        Intent::AccessibilityNeed,
        Intent::Abuse,
        Intent::Spam,
        Intent::InjectionAttempt,
        Intent::Other,
    ];
}

/// Triage's verdict on one comment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TriageLabel {
    pub intent: Intent,
    /// 0.0 to 1.0.
    pub confidence: f32,
    pub lang: Option<Lang>,
    /// The product the comment is about, when triage can tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<ProductId>,
    /// A duplicate of a recent comment (from this viewer or the room) or part of a flood.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flood: bool,
}

impl TriageLabel {
    /// A label with no language, product or flood mark; triage fills in what it can tell.
    pub fn new(intent: Intent, confidence: f32) -> TriageLabel {
        TriageLabel { intent, confidence, lang: None, product: None, flood: false }
    }
}

impl Platform {
    /// The name used in JSONL logs and on the console (the serde name).
    pub fn code(self) -> &'static str {
        match self {
            Platform::Twitch => "twitch",
            Platform::Youtube => "youtube",
            Platform::Bilibili => "bilibili",
            Platform::Tiktok => "tiktok",
            Platform::Douyin => "douyin",
            Platform::Kuaishou => "kuaishou",
            Platform::Kick => "kick",
            Platform::Generic => "generic",
        }
    }
}

/// Why a viewer's comment needs a person rather than an answer (director's care triage decides it).
/// Why a comment needs a person. The order is the priority when a comment fits several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CareKind {
    /// Thoughts of suicide, self-harm or harming others, stated or planned.
    Crisis,
    /// A reaction to a product, a child who swallowed a part, chest pain after a supplement.
    Medical,
    /// Someone posing as the shop or the host asks for transfers, codes or bank details.
    Scam,
    /// A child: an age under 18, a parent's card or account, school.
    Minor,
    /// Spending rent or borrowed money, "I can't stop buying".
    Money,
    /// Cannot see or hear the show, cannot find how to buy, usually has help.
    Access,
}

impl CareKind {
    pub const ALL: [CareKind; 6] =
        [CareKind::Crisis, CareKind::Medical, CareKind::Scam, CareKind::Minor, CareKind::Money, CareKind::Access];

    /// The category as the audit log, the console and rehearsal reports name it.
    pub fn code(self) -> &'static str {
        match self {
            CareKind::Crisis => "crisis",
            CareKind::Medical => "medical",
            CareKind::Scam => "scam",
            CareKind::Minor => "minor",
            CareKind::Money => "money",
            CareKind::Access => "access",
        }
    }

    /// Whether the comment must never be shown, read aloud or answered about a product, and the viewer never named
    /// on air.
    pub fn is_private(self) -> bool {
        !matches!(self, CareKind::Access)
    }
}

impl std::fmt::Display for CareKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// What a viewer gave: one model for every platform's gifts, memberships and paid messages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SupportKind {
    /// A platform gift (Douyin, TikTok, Kuaishou, Bilibili), `count` of the gift named `name`.
    Gift { name: String, count: u64 },
    /// A membership, subscription or guard purchase (YouTube members, Twitch subs, Bilibili 大航海), or one
    /// renewed.
    Membership,
    /// A paid message (Super Chat, Super Sticker, bits, Bilibili 醒目留言); its words, if any, arrive as a comment.
    PaidMessage,
}

/// A viewer's gift, membership or paid message. The host thanks plainly, once per viewer per minute, merged when
/// many arrive together; the console shows it and /metrics counts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Support {
    pub platform: Platform,
    pub user_id: String,
    pub user_name: String,
    #[serde(flatten)]
    pub kind: SupportKind,
    /// What it was worth, when the platform says so in a currency (a Super Chat's amount); gifts in platform coins
    /// have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// The platform's own words for it ("sent Rose x3", "$5.00", "became a member"), always kept.
    pub text: String,
    pub time: UnixMs,
}
