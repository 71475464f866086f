//! Flood and duplicate detection per viewer and across the room, in fixed-size tables.
//!
//! A raid or a bot farm can send a million comments; nothing here grows with them. Both tables are 4-way
//! set-associative caches sized once at start-up: a new viewer or text takes the least recently seen slot of its
//! set, so an attacker inventing ids only evicts other strangers' history, never grows memory.

use model::UnixMs;

const WAYS: usize = 4;
const RECENT_TEXTS: usize = 4;
const BURST_RING: usize = 8;

/// Limits that decide what counts as a flood.
#[derive(Clone, Debug, PartialEq)]
pub struct FloodLimits {
    /// Viewers remembered at once (rounded up to a multiple of 4).
    pub viewer_slots: usize,
    /// Distinct texts remembered across the room at once (rounded up to a multiple of 4).
    pub room_slots: usize,
    /// More than this many comments from one viewer inside `burst_window_ms` is a flood (at most 8).
    pub viewer_burst: usize,
    pub burst_window_ms: i64,
    /// The same text from the same viewer again within this long is a duplicate.
    pub repeat_window_ms: i64,
    /// The same text from anyone more than this many times within `room_window_ms` is a room flood (copypasta).
    pub room_copies: u32,
    pub room_window_ms: i64,
}

impl Default for FloodLimits {
    fn default() -> Self {
        FloodLimits {
            viewer_slots: 4096,
            room_slots: 4096,
            viewer_burst: 5,
            burst_window_ms: 10_000,
            repeat_window_ms: 60_000,
            room_copies: 4,
            room_window_ms: 30_000,
        }
    }
}

#[derive(Clone, Copy, Default)]
struct ViewerSlot {
    /// Hash of the viewer id; 0 marks an empty slot.
    key: u64,
    last_seen: i64,
    texts: [u64; RECENT_TEXTS],
    text_at: [i64; RECENT_TEXTS],
    next_text: usize,
    burst: [i64; BURST_RING],
    next_burst: usize,
}

#[derive(Clone, Copy, Default)]
struct TextSlot {
    key: u64,
    first_at: i64,
    last_seen: i64,
    copies: u32,
}

/// Why a comment counts as a flood.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloodKind {
    /// The viewer sent the same text again.
    Repeat,
    /// The viewer is sending faster than the burst limit.
    Burst,
    /// Many viewers are sending the same text.
    Copypasta,
}

/// The two tables. Memory is `viewer_slots * ~170 bytes + room_slots * 32 bytes`, fixed at construction.
pub struct FloodGuard {
    limits: FloodLimits,
    viewers: Vec<ViewerSlot>,
    texts: Vec<TextSlot>,
}

fn sets(slots: usize) -> usize {
    slots.div_ceil(WAYS).max(1)
}

/// The ways of the set that `key` maps to, as a range of slot indices.
fn set_of(key: u64, set_count: usize) -> std::ops::Range<usize> {
    let set = (key % set_count as u64) as usize;
    set * WAYS..set * WAYS + WAYS
}

impl FloodGuard {
    pub fn new(limits: FloodLimits) -> FloodGuard {
        let viewers = vec![ViewerSlot::default(); sets(limits.viewer_slots) * WAYS];
        let texts = vec![TextSlot::default(); sets(limits.room_slots) * WAYS];
        FloodGuard { limits, viewers, texts }
    }

    /// Bytes held by the tables; constant for the guard's life.
    pub fn memory_bytes(&self) -> usize {
        self.viewers.len() * std::mem::size_of::<ViewerSlot>() + self.texts.len() * std::mem::size_of::<TextSlot>()
    }

    /// Records one comment and says whether it floods. `viewer` and `text` are hashes (never 0 in practice; 0 is
    /// remapped so it cannot collide with the empty marker).
    pub fn observe(&mut self, viewer: u64, text: u64, now: UnixMs) -> Option<FloodKind> {
        let now = now.0;
        let viewer = viewer.max(1);
        let text = text.max(1);
        let limits = &self.limits;

        let set = set_of(viewer, self.viewers.len() / WAYS);
        let slots = self.viewers.get_mut(set).unwrap_or_default();
        let index = match slots.iter().position(|s| s.key == viewer) {
            Some(i) => i,
            None => {
                let oldest = slots.iter().enumerate().min_by_key(|(_, s)| (s.key != 0, s.last_seen)).map(|(i, _)| i);
                let i = oldest.unwrap_or(0);
                if let Some(slot) = slots.get_mut(i) {
                    *slot = ViewerSlot { key: viewer, ..ViewerSlot::default() };
                }
                i
            }
        };
        let mut verdict = None;
        if let Some(slot) = slots.get_mut(index) {
            slot.last_seen = now;
            let repeated =
                slot.texts.iter().zip(slot.text_at).any(|(t, at)| {
                    *t == text && at != 0 && now.saturating_sub(at) <= limits.repeat_window_ms && at <= now
                });
            let window_start = now.saturating_sub(limits.burst_window_ms);
            let recent = slot.burst.iter().filter(|at| **at != 0 && **at > window_start && **at <= now).count();
            if let Some(t) = slot.texts.get_mut(slot.next_text) {
                *t = text;
            }
            if let Some(at) = slot.text_at.get_mut(slot.next_text) {
                *at = now.max(1);
            }
            slot.next_text = (slot.next_text + 1) % RECENT_TEXTS;
            if let Some(at) = slot.burst.get_mut(slot.next_burst) {
                *at = now.max(1);
            }
            slot.next_burst = (slot.next_burst + 1) % BURST_RING;
            if repeated {
                verdict = Some(FloodKind::Repeat);
            } else if recent >= limits.viewer_burst.min(BURST_RING) {
                verdict = Some(FloodKind::Burst);
            }
        }

        let set = set_of(text.rotate_left(17), self.texts.len() / WAYS);
        let slots = self.texts.get_mut(set).unwrap_or_default();
        let index = match slots.iter().position(|s| s.key == text) {
            Some(i) => i,
            None => {
                let oldest = slots.iter().enumerate().min_by_key(|(_, s)| (s.key != 0, s.last_seen)).map(|(i, _)| i);
                let i = oldest.unwrap_or(0);
                if let Some(slot) = slots.get_mut(i) {
                    *slot = TextSlot { key: text, first_at: now, last_seen: now, copies: 0 };
                }
                i
            }
        };
        if let Some(slot) = slots.get_mut(index) {
            if now.saturating_sub(slot.first_at) > limits.room_window_ms {
                slot.first_at = now;
                slot.copies = 0;
            }
            slot.copies = slot.copies.saturating_add(1);
            slot.last_seen = now;
            if slot.copies > limits.room_copies && verdict.is_none() {
                verdict = Some(FloodKind::Copypasta);
            }
        }
        verdict
    }
}

/// Whether one comment repeats itself: "买买买买买买买买", "aaaaaaaaaaaa", "lol lol lol lol lol lol".
pub fn is_repetitive(normalized: &str) -> bool {
    let total = normalized.chars().filter(|c| !c.is_whitespace()).count();
    if total < 12 {
        return false;
    }
    // Few distinct characters for the length: a character or a short word repeated.
    let mut distinct: Vec<char> = Vec::with_capacity(16);
    for c in normalized.chars().filter(|c| !c.is_whitespace()) {
        if !distinct.contains(&c) {
            distinct.push(c);
            if distinct.len() > 16 {
                return false;
            }
        }
    }
    distinct.len() * 5 <= total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_repeating_themselves_is_a_duplicate() {
        let mut guard = FloodGuard::new(FloodLimits::default());
        assert_eq!(guard.observe(7, 100, UnixMs(1_000)), None);
        assert_eq!(guard.observe(7, 100, UnixMs(2_000)), Some(FloodKind::Repeat));
        // After the repeat window the same words are a fresh comment.
        assert_eq!(guard.observe(7, 100, UnixMs(200_000)), None);
    }

    #[test]
    fn a_viewer_typing_faster_than_the_burst_limit_floods() {
        let mut guard = FloodGuard::new(FloodLimits::default());
        let floods: Vec<_> = (0..8).map(|i| guard.observe(9, 1000 + i, UnixMs(1_000 + i as i64 * 100))).collect();
        assert_eq!(floods.iter().filter(|f| f.is_some()).count(), 3);
        assert_eq!(floods.last(), Some(&Some(FloodKind::Burst)));
    }

    #[test]
    fn the_room_pasting_the_same_text_is_copypasta() {
        let mut guard = FloodGuard::new(FloodLimits::default());
        let floods: Vec<_> =
            (0..6).map(|viewer| guard.observe(viewer + 1, 555, UnixMs(1_000 + viewer as i64))).collect();
        assert_eq!(floods[..4], [None, None, None, None]);
        assert_eq!(floods[4], Some(FloodKind::Copypasta));
    }

    #[test]
    fn memory_stays_fixed_however_many_viewers_arrive() {
        let mut guard = FloodGuard::new(FloodLimits::default());
        let before = guard.memory_bytes();
        for i in 0..100_000u64 {
            guard.observe(i.wrapping_mul(0x9E37_79B9_7F4A_7C15), i, UnixMs(i as i64));
        }
        assert_eq!(guard.memory_bytes(), before);
    }

    #[test]
    fn repetition_inside_one_comment_is_spotted() {
        assert!(is_repetitive("买买买买买买买买买买买买"));
        assert!(is_repetitive("lol lol lol lol lol lol lol"));
        assert!(!is_repetitive("is the blue one available in size m?"));
    }
}
