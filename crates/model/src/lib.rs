//! shopcast's vocabulary: the types every other crate speaks, with no I/O and no heavy dependencies.
//!
//! Backstage parses wire formats into these types at its edge; the director decides with them; the stage draws
//! them. Keeping them here means no crate has to know another crate's internals to talk to it.

mod comment;
mod console;
mod diagnostic;
mod ids;
mod money;
mod product;
mod scene;
mod stage;

pub use comment::{Comment, CommentFlags, CommentId, Intent, Platform, TriageLabel};
pub use console::{AiredLine, ConsoleEvent, GuardAction, GuardNote, LineSource, ModerationMode, ReplyOutcome};
pub use diagnostic::{Diagnostic, Severity};
pub use ids::{LineId, ProductId, TurnId};
pub use money::{Currency, Money, MoneyError};
pub use product::{Facet, Faq, Lang, Localized, OfferWindow, Product, Spec, UnixMs, Variant};
pub use scene::{AvatarKind, Background, LAYER_FILES, MAX_LAYER_SIDE, Rect, Rgba, Scene, SceneLayout, Theme};
pub use stage::{
    AudioClip, Expression, Gesture, LineKind, OfferCard, ShowTime, StageCommand, StageEvent, StockLevel, Viseme,
    VisemeKey,
};
