//! The writer's brief: what one line is about and the exact messages an LLM writer sends for it. Its own module,
//! so the templates (which render a brief) and the show (which makes one) do not import each other.

use crate::answers::Basis;
use crate::prompt::ChatMessage;
use model::{Comment, Lang, LineKind, Product, TurnId};

/// What the writer is asked to write: the kind of line and the product facts it may use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Brief {
    pub turn: TurnId,
    pub kind: LineKind,
    pub product: Option<Product>,
    pub lang: Lang,
    /// Rotates phrasings so the same product does not hear the same words twice in a row.
    pub variant: u32,
    /// For answers and hand-offs: the viewer's comment (quoted as data, never as instructions).
    pub comment: Option<Comment>,
    /// For answers: how many viewers asked the same thing (the answer addresses them together).
    pub asked_by: usize,
    /// For answers to questions: what the answer rests on, decided by the show when it planned the line (see
    /// [`crate::answers::basis`]), so every writer answers from the same finding.
    pub basis: Option<Basis>,
    /// The messages an LLM writer sends for this line, exactly; empty for lines said in fixed words (disclosures,
    /// hand-offs, holding lines), which every writer takes from the templates. The show builds them so that the
    /// gate knows the instructions it must never hear said back.
    pub prompt: Vec<ChatMessage>,
    /// The host's pace (see [`crate::show::pace`]): the templates say what plain pace does only when it is on.
    pub pace: model::Pace,
}
