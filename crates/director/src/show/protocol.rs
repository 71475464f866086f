//! What the driver and the show exchange: the inputs it feeds in, the outputs it carries out, where a stopped
//! show was, and how much the show holds.

use crate::air::Cleared;
use crate::brief::Brief;
use model::{
    AudioClip, Comment, CommentId, ConsoleEvent, Facet, Intent, Lang, LineId, LineSource, ModerationMode, Money,
    Product, ProductId, StageCommand, StageEvent, TurnId, UnixMs, VisemeKey,
};

/// Where a stopped show was, as its audit log records it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResumePoint {
    pub pitching: Option<(ProductId, Facet)>,
    pub last_disclosure: Option<UnixMs>,
}

/// Sizes of the show's queues and memories (see [`Show::footprint`](super::Show::footprint)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Footprint {
    pub queued_questions: usize,
    pub pending_replies: usize,
    pub approved_lines: usize,
    pub handoffs: usize,
    pub history: usize,
    pub outputs: usize,
    pub flash_sales: usize,
}

/// Everything that can happen to the show.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    /// A validated product queue replaced the previous one.
    ProductsLoaded(Vec<Product>),
    WriterDone {
        turn: TurnId,
        text: String,
        /// Who wrote it: the LLM or the templates. The words are raw: the show's gate checks them.
        source: LineSource,
    },
    /// One sentence of a turn the writer is still writing (streaming writers). The first goes on air as soon as
    /// it is voiced; the rest follow as lines of the same turn. Streaming writers end the turn with `WriterDone`
    /// carrying the whole text, which the director uses only when it did not stream the turn (a reply that waits
    /// for a moderator's approval is shown whole).
    WriterSentence {
        turn: TurnId,
        text: String,
        source: LineSource,
    },
    WriterFailed {
        turn: TurnId,
        reason: String,
    },
    VoiceReady {
        line: LineId,
        duration_ms: u32,
        visemes: Vec<VisemeKey>,
        /// The speech itself, when the voice engine makes audio (the silent voice does not).
        audio: Option<AudioClip>,
    },
    VoiceFailed {
        line: LineId,
        reason: String,
    },
    Stage(StageEvent),
    /// What a shop system says about products now (a poll or a webhook of a shop connector): laid over the
    /// product file's values, under the console's changes (see `show::shop`). `shop` names the shop in notes.
    ShopUpdate {
        shop: String,
        facts: Vec<model::ShopFacts>,
    },
    /// A live stock update from the console; `None` means unknown.
    StockChanged {
        product: ProductId,
        stock: Option<u32>,
        /// Who set it: the console account, shown with the override it becomes.
        by: String,
    },
    /// A live price update, already validated and confirmed by a moderator.
    PriceChanged {
        product: ProductId,
        price: Money,
        compare_at: Option<Money>,
        by: String,
    },
    /// Hold the host on this product from the next line on.
    PinProduct(ProductId),
    UnpinProduct,
    /// Move on to the next (or back to the previous) product at the next line.
    SkipProduct {
        forward: bool,
    },
    /// A viewer comment from any chat source.
    Comment(Comment),
    /// A viewer's gift, membership or paid message (a paid message's words come separately, as a comment).
    Support(model::Support),
    /// A moderator or the platform deleted this comment: it is never answered.
    DeleteComment(CommentId),
    /// A viewer was banned or timed out: their queued comments vanish.
    BanViewer {
        user_id: String,
    },
    /// A moderator switches the host's pace (see [`super::pace`]); it holds until a moderator switches it back.
    SetPace(model::Pace),
    /// A moderator hands the show to a human host: the line on air finishes, then the AI host stays quiet.
    HandOverToHuman,
    /// The human hands back: the AI host picks up the pitch where it left it.
    TakeBack,
    /// A moderator approves the pending reply `line` as written. `by` is the console account (see
    /// [`model::AiredLine::by`]): the audit log says on whose authority the line aired.
    ApproveReply {
        line: LineId,
        by: String,
    },
    /// A moderator approves the pending reply `line` with new words (checked by the guard like any line).
    EditReply {
        line: LineId,
        text: String,
        by: String,
    },
    /// A moderator rejects the pending reply `line`; it is never said.
    RejectReply {
        line: LineId,
    },
    /// A moderator's words go on air next, before anything else (after the line on air finishes its sentence).
    SayNow {
        text: String,
        lang: Option<Lang>,
        /// The console account that typed the words.
        by: String,
    },
    /// Stop the line on air at once.
    AbortLine,
    /// Throw away the line being prepared; the host prepares a fresh one.
    CancelNext,
    /// How replies to comments with this intent reach the air.
    SetModeration {
        intent: Intent,
        mode: ModerationMode,
    },
    /// A flash sale: `product` sells at `price` until `ends_at` (validated and confirmed by a moderator).
    StartFlashSale {
        product: ProductId,
        price: Money,
        ends_at: UnixMs,
        by: String,
    },
    /// End the flash sale on `product` now; its regular price is back.
    StopFlashSale {
        product: ProductId,
    },
    /// Drop the console's price and stock on `product`: the product file's values are back (a running flash sale
    /// is stopped separately).
    ClearOverride {
        product: ProductId,
    },
    /// After a restart: the moderators' changes as the store kept them, applied over the products just loaded.
    RestoreOverrides(model::StandingOverrides),
    /// After a restart: the replies that waited for approval and the moderators' lines that waited for their turn.
    RestoreHeldLines(Vec<model::HeldLine>),
    /// A chat source, the LLM, the voice or OBS changed health (passed to the console, and the director keeps
    /// quiet about it on air).
    SourceHealth {
        source: String,
        healthy: bool,
        detail: String,
    },
}

/// Work for the driver.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    /// Ask the writer for a line; answer with `WriterDone` or `WriterFailed` carrying the same turn (streaming
    /// writers send `WriterSentence`s first).
    Write(Box<Brief>),
    /// The director no longer wants this turn (the show moved on): stop writing it. Late results are dropped
    /// anyway; this only saves the work.
    CancelWrite {
        turn: TurnId,
    },
    /// Synthesise a line; answer with `VoiceReady` or `VoiceFailed` carrying the same line. The words passed the
    /// gate: [`Cleared`] cannot be made anywhere else.
    Speak {
        line: LineId,
        text: Cleared,
        lang: Lang,
        /// How fast the voice speaks it (plain: slower).
        pace: model::Pace,
    },
    Stage(StageCommand),
    Console(ConsoleEvent),
}
