//! Messages between the show and the stage: imperative commands in, past-tense events out.

use crate::{Facet, Intent, Lang, LineId, ProductId};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// Milliseconds since the show started: the only clock the director knows. Drivers map it to wall time or to a
/// virtual clock, so the same decisions replay exactly in tests and rehearsals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ShowTime(pub u64);

impl ShowTime {
    pub fn ms(self) -> u64 {
        self.0
    }

    pub fn plus_ms(self, ms: u64) -> ShowTime {
        ShowTime(self.0.saturating_add(ms))
    }

    pub fn since(self, earlier: ShowTime) -> u64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// Mouth shapes the avatar can make. The timeline maps speech sounds to these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Viseme {
    Rest,
    A,
    E,
    I,
    O,
    U,
    /// Lips closed: m, b, p.
    Mbp,
    /// Lower lip to teeth: f, v.
    Fv,
    L,
    /// Wide, teeth showing: s, z, ch, ee.
    Wide,
}

impl Viseme {
    /// How far the mouth opens for this shape (0.0 closed to 1.0 wide open).
    pub fn openness(self) -> f32 {
        match self {
            Viseme::Rest | Viseme::Mbp => 0.0,
            Viseme::Fv => 0.15,
            Viseme::I | Viseme::Wide => 0.35,
            Viseme::E | Viseme::L => 0.5,
            Viseme::U => 0.45,
            Viseme::O => 0.75,
            Viseme::A => 1.0,
        }
    }

    /// Every viseme, in the order of [`Viseme::layer_file`]'s list.
    pub const ALL: [Viseme; 10] = [
        Viseme::Rest,
        Viseme::A,
        Viseme::E,
        Viseme::I,
        Viseme::O,
        Viseme::U,
        Viseme::Mbp,
        Viseme::Fv,
        Viseme::L,
        Viseme::Wide,
    ];

    /// The mouth layer of a layered avatar for this shape, e.g. `mouth_a.png`.
    pub fn layer_file(self) -> &'static str {
        match self {
            Viseme::Rest => "mouth_rest.png",
            Viseme::A => "mouth_a.png",
            Viseme::E => "mouth_e.png",
            Viseme::I => "mouth_i.png",
            Viseme::O => "mouth_o.png",
            Viseme::U => "mouth_u.png",
            Viseme::Mbp => "mouth_mbp.png",
            Viseme::Fv => "mouth_fv.png",
            Viseme::L => "mouth_l.png",
            Viseme::Wide => "mouth_wide.png",
        }
    }

    /// How wide the mouth stretches (0.0 puckered to 1.0 wide).
    pub fn width(self) -> f32 {
        match self {
            Viseme::O | Viseme::U => 0.2,
            Viseme::Rest | Viseme::Mbp => 0.55,
            Viseme::A | Viseme::L | Viseme::Fv => 0.6,
            Viseme::E => 0.8,
            Viseme::I | Viseme::Wide => 1.0,
        }
    }
}

/// A mouth shape that starts `t_ms` after the line starts and holds until the next key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisemeKey {
    pub t_ms: u32,
    pub viseme: Viseme,
}

/// Why a line is said; recorded with every line in the audit trail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    Pitch(Facet),
    /// An answer to a viewer's comment, with what triage judged it to be.
    Answer(Intent),
    /// One short line telling a viewer a human will take it from here (complaints, refunds, health).
    Handoff(Intent),
    Disclosure,
    Filler,
    /// Words a moderator sent with "say this now".
    Moderator,
    /// One plain line that the product on offer just sold out (its stock reached zero in the shop or the console);
    /// the host then moves on to the next product.
    SoldOut,
    /// A plain thank-you for gifts, memberships or paid messages: one viewer by name, or everyone at once in a
    /// flood.
    Thanks,
}

impl LineKind {
    /// The kind's short name in reports and metrics: pitch, answer, handoff, disclosure, filler,
    /// moderator, sold-out or thanks.
    pub fn label(self) -> &'static str {
        match self {
            LineKind::Pitch(_) => "pitch",
            LineKind::Answer(_) => "answer",
            LineKind::Handoff(_) => "handoff",
            LineKind::Disclosure => "disclosure",
            LineKind::Filler => "filler",
            LineKind::Moderator => "moderator",
            LineKind::SoldOut => "sold-out",
            LineKind::Thanks => "thanks",
        }
    }
}

/// What the pinned offer card shows. Every string is already formatted from the product data, so the stage
/// draws exactly what the data says and never computes a price itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferCard {
    pub product: ProductId,
    pub title: String,
    /// The selling price as shown, e.g. `¥199.00`.
    pub price: String,
    /// The higher reference price, shown struck through, only when the data has one above the price.
    pub compare_at: Option<String>,
    /// A badge such as `-33%` or `省33%`, only when the discount is real.
    pub discount: Option<String>,
    /// Stock left, shown as text, when the data has it.
    pub stock: Option<String>,
    /// Stock left and the stock the offer started with, for the stock bar (both known, start > 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_level: Option<StockLevel>,
    pub image: Option<PathBuf>,
    pub url: Option<String>,
    /// Time left in the offer's window when the card went up, for the countdown (the stage counts down on its own
    /// clock from there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_in_ms: Option<u64>,
    /// The language of the card's own words (countdown, "sold out").
    #[serde(default)]
    pub lang: Lang,
}

/// Units left of the units the offer started with; the stage draws `left / start` as a bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StockLevel {
    pub left: u32,
    pub start: u32,
}

/// Synthesised speech for one line: mono 16-bit PCM. Shared, not copied, on its way to the stage.
#[derive(Clone, PartialEq, Eq)]
pub struct AudioClip {
    pub sample_rate: u32,
    pub samples: Arc<[i16]>,
}

impl AudioClip {
    pub fn duration_ms(&self) -> u32 {
        if self.sample_rate == 0 {
            return 0;
        }
        (self.samples.len() as u64 * 1000 / u64::from(self.sample_rate)).min(u64::from(u32::MAX)) as u32
    }
}

impl std::fmt::Debug for AudioClip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AudioClip({} samples at {} Hz)", self.samples.len(), self.sample_rate)
    }
}

/// The host's face: eased into by the stage, held until the next one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expression {
    #[default]
    Neutral,
    WarmSmile,
    Excited,
    Thinking,
    CalmConcerned,
}

impl Expression {
    /// The optional layer a layered avatar shows for this expression (eased in over the eyes), e.g.
    /// `expr_warm_smile.png`; the neutral face has none.
    pub fn layer_file(self) -> Option<&'static str> {
        match self {
            Expression::Neutral => None,
            Expression::WarmSmile => Some("expr_warm_smile.png"),
            Expression::Excited => Some("expr_excited.png"),
            Expression::Thinking => Some("expr_thinking.png"),
            Expression::CalmConcerned => Some("expr_calm_concerned.png"),
        }
    }

    pub const ALL: [Expression; 5] = [
        Expression::Neutral,
        Expression::WarmSmile,
        Expression::Excited,
        Expression::Thinking,
        Expression::CalmConcerned,
    ];
}

/// A one-off movement of the host's arm or head; it plays once and eases back to idle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gesture {
    /// Point toward the pinned offer card.
    PointAtOffer,
    /// Open palm presenting the product.
    Present,
    Wave,
    Nod,
}

/// Instructions to the stage. The stage plays them as they come and never waits on backstage.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StageCommand {
    /// Show this offer on the pinned card (replacing any other).
    PinOffer(OfferCard),
    /// Remove the pinned card.
    UnpinOffer,
    /// Caption this line and move the mouth along its visemes for `duration_ms`. When `audio` is there the stage
    /// plays it and runs the mouth on the audio's playback clock.
    PlayLine {
        line: LineId,
        text: String,
        lang: Lang,
        duration_ms: u32,
        visemes: Vec<VisemeKey>,
        #[serde(skip)]
        audio: Option<AudioClip>,
    },
    /// Show the comment being answered (who asked, and what).
    ShowComment { user_name: String, text: String },
    /// Take the answered comment down.
    ClearComment,
    /// Nothing may be pitched right now (all sold out or between offers): show the standby card, or take it down.
    Standby { on: bool },
    /// A human host is taking over (or has handed back): show the "human host joining" card, or take it down.
    HumanHost { on: bool },
    /// Stop the line now (a moderator abort); the caption clears and the mouth closes.
    StopLine { line: LineId },
    /// Ease the face into this expression.
    Expression(Expression),
    /// Play this gesture once.
    Gesture(Gesture),
    /// A new viewer comment for the scrolling comment ticker (the newest few are shown).
    Ticker { user_name: String, text: String },
}

/// What the stage reports back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum StageEvent {
    LineStarted { line: LineId },
    LineFinished { line: LineId },
}
