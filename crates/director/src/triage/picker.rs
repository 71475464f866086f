//! The fair picker: which viewer the host answers next.
//!
//! Questions wait in a bounded queue. Near-duplicates merge into one entry that remembers everyone who asked, so
//! the host can say "several of you asked about sizes". The next pick is the entry that has waited longest,
//! counting a paid message as if it had waited `paid_head_start_ms` longer: paid messages come sooner, but an
//! unpaid question that has waited longer than the head start still goes first, so nobody starves. Each viewer may
//! have only a few questions queued, and a viewer just answered steps back for a while.

use super::{Assessment, Topic, normalize::text_hash};
use model::{Comment, CommentId, Intent, ProductId, TriageLabel, UnixMs};

/// The picker's knobs.
#[derive(Clone, Debug, PartialEq)]
pub struct PickerConfig {
    /// Entries held at once; when full, the newest unpaid chatter is dropped first, then the least urgent.
    pub capacity: usize,
    /// Entries one viewer may have queued as the first asker.
    pub per_viewer_queued: usize,
    /// Viewers remembered as recently answered (a ring).
    pub answered_memory: usize,
    /// How long a just-answered viewer steps back.
    pub answered_cooldown_ms: i64,
    /// How much sooner a paid message is picked, as if it had waited this much longer.
    pub paid_head_start_ms: i64,
    /// Moments that need care (health, complaints, accessibility) go ahead by this much.
    pub care_head_start_ms: i64,
    /// Greetings, praise and purchase intent wait this much longer than questions.
    pub chatter_delay_ms: i64,
    /// Entries older than this are dropped unanswered: the moment has passed.
    pub max_wait_ms: i64,
    /// Askers remembered per merged entry (the count goes on beyond it).
    pub askers_kept: usize,
    /// Only labels at least this confident are queued.
    pub min_confidence: f32,
}

impl Default for PickerConfig {
    fn default() -> Self {
        PickerConfig {
            capacity: 256,
            per_viewer_queued: 2,
            answered_memory: 64,
            answered_cooldown_ms: 120_000,
            paid_head_start_ms: 45_000,
            care_head_start_ms: 60_000,
            chatter_delay_ms: 90_000,
            max_wait_ms: 600_000,
            askers_kept: 8,
            min_confidence: 0.35,
        }
    }
}

/// One viewer who asked, in a merged entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Asker {
    pub comment: CommentId,
    pub user_id: String,
    pub user_name: String,
    pub paid: bool,
}

/// What the host should answer now.
#[derive(Clone, Debug, PartialEq)]
pub struct PickedQuestion {
    /// The comment to show and answer (the earliest one still standing).
    pub comment: Comment,
    pub label: TriageLabel,
    pub topic: Option<Topic>,
    /// Everyone who asked the same thing, the shown comment's author first (at most `askers_kept`).
    pub askers: Vec<Asker>,
    /// How many viewers asked in all, including those beyond `askers`.
    pub asked_by: usize,
    /// How long the first asker has waited.
    pub waited_ms: i64,
}

impl PickedQuestion {
    /// Several viewers asked the same thing, so the answer addresses them together.
    pub fn is_merged(&self) -> bool {
        self.asked_by > 1
    }
}

/// What `push` did with a comment.
#[derive(Clone, Debug, PartialEq)]
pub enum PushOutcome {
    Queued,
    /// Merged into an entry that now has this many askers.
    Merged(usize),
    /// Not something the host answers: spam, abuse, injection attempts, floods, chatter below the bar.
    NotAnswerable,
    /// The viewer already has `per_viewer_queued` entries waiting.
    ViewerQuotaFull,
    /// The queue is full of more urgent entries.
    QueueFull,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Care,
    Question,
    Chatter,
}

struct Entry {
    /// The comments that asked, earliest first; the first is shown. Bounded by `askers_kept`.
    comments: Vec<Comment>,
    label: TriageLabel,
    topic: Option<Topic>,
    key: u64,
    class: Class,
    first_at: i64,
    asked_by: usize,
}

impl Entry {
    fn paid(&self) -> bool {
        self.comments.iter().any(|c| c.paid.as_ref().is_some_and(|m| m.minor > 0))
    }
}

/// The queue of answerable comments. Memory is bounded by `capacity * askers_kept` comments.
pub struct Picker {
    config: PickerConfig,
    entries: Vec<Entry>,
    /// Viewer-id hashes answered recently, with when: a ring of `answered_memory`.
    answered: Vec<(u64, i64)>,
    next_answered: usize,
}

fn merge_key(label: &TriageLabel, topic: Option<Topic>, normalized_key: u64) -> u64 {
    // Questions on one topic of one product merge whatever their wording; anything else merges only when the
    // words are the same.
    match topic {
        Some(topic) => {
            let product = label.product.as_ref().map_or(0, |ProductId(id)| text_hash(id));
            product.rotate_left(9) ^ (topic as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        }
        None => normalized_key,
    }
}

fn class_of(intent: Intent) -> Option<Class> {
    match intent {
        Intent::HealthOrSafety | Intent::ComplaintOrRefund | Intent::AccessibilityNeed => Some(Class::Care),
        Intent::ProductQuestion | Intent::PriceStockShipping => Some(Class::Question),
        Intent::PurchaseIntent | Intent::Greeting | Intent::Praise => Some(Class::Chatter),
        Intent::Abuse | Intent::Spam | Intent::InjectionAttempt | Intent::Other => None,
    }
}

impl Picker {
    pub fn new(config: PickerConfig) -> Picker {
        let answered = vec![(0, i64::MIN); config.answered_memory.max(1)];
        Picker { entries: Vec::with_capacity(config.capacity), config, answered, next_answered: 0 }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Offers one labelled comment to the queue.
    pub fn push(&mut self, comment: Comment, assessment: &Assessment, now: UnixMs) -> PushOutcome {
        let label = &assessment.label;
        let Some(class) = class_of(label.intent) else { return PushOutcome::NotAnswerable };
        if label.confidence < self.config.min_confidence {
            return PushOutcome::NotAnswerable;
        }
        let key = merge_key(label, assessment.topic, assessment.text_key);
        if let Some(entry) = self.entries.iter_mut().find(|e| e.key == key && e.class == class) {
            let same_viewer = entry.comments.iter().any(|c| c.user_id == comment.user_id);
            if !same_viewer {
                entry.asked_by += 1;
                if entry.comments.len() < self.config.askers_kept.max(1) {
                    entry.comments.push(comment);
                }
            }
            return PushOutcome::Merged(entry.asked_by);
        }
        // A flood never opens a new entry: the first copies already did, or the room is spamming.
        if label.flood {
            return PushOutcome::NotAnswerable;
        }
        let queued_by_viewer =
            self.entries.iter().filter(|e| e.comments.first().is_some_and(|c| c.user_id == comment.user_id)).count();
        if queued_by_viewer >= self.config.per_viewer_queued {
            return PushOutcome::ViewerQuotaFull;
        }
        let entry = Entry {
            label: label.clone(),
            topic: assessment.topic,
            key,
            class,
            first_at: now.0,
            asked_by: 1,
            comments: vec![comment],
        };
        if self.entries.len() >= self.config.capacity.max(1) {
            // Make room by dropping the least urgent entry, if the newcomer is more urgent than it.
            let newcomer = self.urgency(&entry, now.0);
            let weakest =
                self.entries.iter().enumerate().map(|(i, e)| (i, self.urgency(e, now.0))).min_by_key(|(_, u)| *u);
            match weakest {
                Some((i, u)) if u < newcomer => {
                    self.entries.swap_remove(i);
                }
                _ => return PushOutcome::QueueFull,
            }
        }
        self.entries.push(entry);
        PushOutcome::Queued
    }

    /// How urgent an entry is now: its wait plus head starts, minus delays. Higher goes first.
    fn urgency(&self, entry: &Entry, now: i64) -> i64 {
        let mut score = now.saturating_sub(entry.first_at);
        match entry.class {
            Class::Care => score += self.config.care_head_start_ms,
            Class::Question => {}
            Class::Chatter => score -= self.config.chatter_delay_ms,
        }
        if entry.paid() {
            score += self.config.paid_head_start_ms;
        }
        if let Some(first) = entry.comments.first() {
            let viewer = text_hash(&first.user_id);
            let answered_recently = self
                .answered
                .iter()
                .any(|(v, at)| *v == viewer && now.saturating_sub(*at) < self.config.answered_cooldown_ms);
            if answered_recently {
                score -= self.config.answered_cooldown_ms;
            }
        }
        // Merged entries matter to more people: a small nudge per extra asker, capped so it cannot starve others.
        score + (entry.asked_by.min(10) as i64 - 1) * 3_000
    }

    /// Removes and returns the comments that waited past `max_wait_ms` (the first of each entry, with how long it
    /// waited), so the caller can tell the moderators what went unanswered.
    pub fn expire(&mut self, now: UnixMs) -> Vec<(Comment, i64)> {
        self.expire_older_than(now, self.config.max_wait_ms)
    }

    /// [`Picker::expire`] with a stricter limit than the configured one (a busy chat).
    pub fn expire_older_than(&mut self, now: UnixMs, max_wait: i64) -> Vec<(Comment, i64)> {
        let mut dropped = Vec::new();
        self.entries.retain_mut(|e| {
            let waited = now.0.saturating_sub(e.first_at);
            if waited <= max_wait {
                return true;
            }
            if let Some(c) = e.comments.first() {
                dropped.push((c.clone(), waited));
            }
            false
        });
        dropped
    }

    /// When the oldest entry passes `max_wait_ms`, if any are queued.
    pub fn next_expiry(&self) -> Option<UnixMs> {
        self.entries.iter().map(|e| e.first_at).min().map(|t| UnixMs(t.saturating_add(self.config.max_wait_ms) + 1))
    }

    /// Takes the next comment to answer, dropping those that waited past `max_wait_ms`.
    pub fn pick(&mut self, now: UnixMs) -> Option<PickedQuestion> {
        let max_wait = self.config.max_wait_ms;
        self.entries.retain(|e| now.0.saturating_sub(e.first_at) <= max_wait);
        let best = self
            .entries
            .iter()
            .enumerate()
            .max_by_key(|(_, e)| (self.urgency(e, now.0), std::cmp::Reverse(e.first_at)))?
            .0;
        let entry = self.entries.swap_remove(best);
        let mut comments = entry.comments.into_iter();
        let comment = comments.next()?;
        let viewer = text_hash(&comment.user_id);
        if let Some(slot) = self.answered.get_mut(self.next_answered) {
            *slot = (viewer, now.0);
        }
        self.next_answered = (self.next_answered + 1) % self.answered.len().max(1);
        let mut askers = vec![asker(&comment)];
        askers.extend(comments.as_slice().iter().map(asker));
        Some(PickedQuestion {
            comment,
            label: entry.label,
            topic: entry.topic,
            askers,
            asked_by: entry.asked_by,
            waited_ms: now.0.saturating_sub(entry.first_at),
        })
    }

    /// A comment was deleted on the platform: it is never answered. When it was the shown one of a merged entry,
    /// the next asker's comment takes its place.
    pub fn remove_comment(&mut self, id: &CommentId) {
        for entry in &mut self.entries {
            let before = entry.comments.len();
            entry.comments.retain(|c| &c.id != id);
            entry.asked_by -= before - entry.comments.len();
        }
        self.entries.retain(|e| !e.comments.is_empty());
    }

    /// A viewer was banned or timed out: every comment of theirs leaves the queue.
    pub fn remove_viewer(&mut self, user_id: &str) {
        for entry in &mut self.entries {
            let before = entry.comments.len();
            entry.comments.retain(|c| c.user_id != user_id);
            entry.asked_by -= before - entry.comments.len();
        }
        self.entries.retain(|e| !e.comments.is_empty());
    }

    /// The chat was cleared by a moderator: nothing queued is answered.
    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

fn asker(comment: &Comment) -> Asker {
    Asker {
        comment: comment.id.clone(),
        user_id: comment.user_id.clone(),
        user_name: comment.user_name.clone(),
        paid: comment.paid.as_ref().is_some_and(|m| m.minor > 0),
    }
}
