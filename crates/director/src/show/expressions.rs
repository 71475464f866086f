//! The host's face and movement for each kind of line.

use model::{Expression, Facet, Gesture, Intent, LineKind};

/// The face and the movement that suit a line: excited for a product's hook, a warm smile and a point at the card
/// for the offer, calm concern for a hand-off, a wave for a greeting, a nod for an answer.
pub(super) fn body_language(kind: LineKind) -> (Expression, Option<Gesture>) {
    match kind {
        LineKind::Pitch(Facet::Hook) => (Expression::Excited, Some(Gesture::Present)),
        LineKind::Pitch(Facet::Offer) => (Expression::WarmSmile, Some(Gesture::PointAtOffer)),
        LineKind::Pitch(_) => (Expression::WarmSmile, None),
        LineKind::Answer(Intent::Greeting | Intent::Praise) => (Expression::WarmSmile, Some(Gesture::Wave)),
        LineKind::Answer(Intent::AccessibilityNeed) => (Expression::CalmConcerned, Some(Gesture::Nod)),
        LineKind::Answer(_) => (Expression::WarmSmile, Some(Gesture::Nod)),
        LineKind::Handoff(_) => (Expression::CalmConcerned, Some(Gesture::Nod)),
        LineKind::Disclosure | LineKind::Moderator => (Expression::Neutral, None),
        LineKind::Filler => (Expression::Thinking, None),
        LineKind::SoldOut => (Expression::WarmSmile, None),
        LineKind::Thanks => (Expression::WarmSmile, Some(Gesture::Nod)),
    }
}
