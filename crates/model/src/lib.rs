//! shopcast's vocabulary: the types every other crate speaks, with no I/O and no heavy dependencies.
//!
//! Backstage parses wire formats into these types at its edge; the director decides with them; the stage draws
//! them. Keeping them here means no crate has to know another crate's internals to talk to it.

mod comment;
mod console;
mod diagnostic;
mod fallback;
mod guard;
mod ids;
mod money;
mod product;
mod scene;
mod shop;
mod stage;

pub use comment::{CareKind, Comment, CommentFlags, CommentId, Intent, Platform, Support, SupportKind, TriageLabel};
pub use console::{
    AiredLine, ConsoleEvent, FlashSaleOverride, GuardAction, GuardNote, HeldLine, LineSource, ModerationMode, Pace,
    PriceOverride, ProductOverride, ReplyOutcome, StandingOverrides, StockOverride,
};
pub use diagnostic::{Diagnostic, Severity};
pub use fallback::Fallback;
pub use guard::GuardRule;
pub use ids::{LineId, ProductId, TurnId};
pub use money::{Currency, Money, MoneyError};
pub use product::{
    Facet, Faq, Lang, Localized, OfferWindow, Product, Promotion, PromotionKind, Returns, Shipping, ShippingCost, Spec,
    UnixMs, Variant,
};
pub use scene::{
    AvatarKind, Background, ChromaKey, LAYER_FILES, MAX_LAYER_SIDE, Rect, Rgba, Scene, SceneLayout, Theme,
};
pub use shop::{ShopFacts, ShopStatus, ShopVariant};
pub use stage::{
    AudioClip, Expression, Gesture, LineKind, OfferCard, ShowTime, StageCommand, StageEvent, StockLevel, Viseme,
    VisemeKey,
};

/// The largest width or height a product picture may have: far more than the offer card shows (it is scaled down
/// to a few hundred pixels), and small enough to decode in reasonable memory (at most 256 MB).
pub const MAX_PICTURE_SIDE: u32 = 8192;

/// Whether `c` may be drawn on screen as it is: not a control character, and not an invisible formatting character
/// that changes how the text around it is shown (bidirectional overrides and isolates, which can make "Copper
/// Kettle" read "elttek reppoC", zero-width characters, the byte-order mark). Text from catalogs and chat is
/// filtered through this before the stage draws it.
pub fn displayable(c: char) -> bool {
    !c.is_control()
        && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod displayable_tests {
    #[test]
    fn controls_and_direction_overrides_are_not_drawn_but_letters_marks_and_cjk_are() {
        let text = "\u{202E}Kettle\u{202C} \u{7}e\u{301}水壶\u{200B}!";
        let kept: String = text.chars().filter(|c| super::displayable(*c)).collect();
        assert_eq!(kept, "Kettle e\u{301}水壶!");
    }
}
