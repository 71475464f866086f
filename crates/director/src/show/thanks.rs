//! Thanks for gifts, memberships and paid messages: plain words, once per viewer per minute, and one line for
//! everyone when many give at once. No performed gratitude ("I'm so touched!"), no pressure to give more.
//!
//! A viewer's support is owed a thank-you unless they were thanked in the last minute. A thanks line goes on air
//! between other lines, at most one every [`THANKS_GAP_MS`]: what arrives in between waits and is merged, so a
//! gift flood is one line ("Thank you, everyone sending gifts") rather than a roll call. Thanks owed for longer
//! than [`THANKS_STALE_MS`] are dropped (a late thank-you to a viewer who has left is noise), as are thanks while
//! the show is calm after a crisis.

use super::Show;
use crate::templates::{self, ThanksFor};
use model::{ConsoleEvent, LineKind, LineSource, Platform, ShowTime, Support, SupportKind, TurnId, UnixMs};
use std::collections::HashMap;

/// A viewer is thanked at most once in this long.
pub const THANKS_PER_VIEWER_MS: i64 = 60_000;
/// At most one thanks line in this long; what arrives in between is merged into the next.
pub const THANKS_GAP_MS: i64 = 20_000;
/// Thanks owed longer than this are not said.
pub const THANKS_STALE_MS: i64 = 120_000;
/// More viewers than this waiting are thanked together, without names.
const NAMED_AT_MOST: usize = 2;
/// Viewers remembered as waiting or recently thanked (a flood is bounded).
const REMEMBERED: usize = 4096;

#[derive(Clone, Debug)]
struct Owed {
    key: (Platform, String),
    name: String,
    what: ThanksFor,
    since: UnixMs,
}

/// Who is owed thanks and who was thanked when.
#[derive(Clone, Debug, Default)]
pub(super) struct Thanks {
    owed: Vec<Owed>,
    thanked: HashMap<(Platform, String), UnixMs>,
    last_line: Option<UnixMs>,
}

impl Thanks {
    fn forget_old(&mut self, wall: UnixMs) {
        self.thanked.retain(|_, at| wall.0 - at.0 < THANKS_PER_VIEWER_MS);
        self.owed.retain(|o| wall.0 - o.since.0 < THANKS_STALE_MS);
    }
}

impl Show {
    /// A gift, membership or paid message: the console hears of it, and the viewer is owed a thank-you.
    pub(super) fn support(&mut self, now: ShowTime, support: Support) {
        let wall = self.wall(now);
        self.outputs.push_back(super::protocol::Output::Console(ConsoleEvent::Support(support.clone())));
        let what = match support.kind {
            SupportKind::Gift { .. } => ThanksFor::Gift,
            SupportKind::Membership => ThanksFor::Membership,
            SupportKind::PaidMessage => ThanksFor::Message,
        };
        self.owe_thanks(wall, support.platform, support.user_id, support.user_name, what);
    }

    pub(super) fn owe_thanks(
        &mut self,
        wall: UnixMs,
        platform: Platform,
        user_id: String,
        name: String,
        what: ThanksFor,
    ) {
        let thanks = &mut self.thanks;
        thanks.forget_old(wall);
        let key = (platform, user_id);
        if thanks.thanked.contains_key(&key) || thanks.owed.iter().any(|o| o.key == key) {
            return;
        }
        if thanks.owed.len() + thanks.thanked.len() >= REMEMBERED {
            // A flood past what is remembered is already one merged line.
            return;
        }
        thanks.owed.push(Owed { key, name, what, since: wall });
    }

    /// Whether a thanks line may be planned now.
    pub(super) fn thanks_due(&mut self, wall: UnixMs) -> bool {
        self.thanks.forget_old(wall);
        !self.thanks.owed.is_empty()
            && !self.calm(wall)
            && self.thanks.last_line.is_none_or(|last| wall.0 - last.0 >= THANKS_GAP_MS)
    }

    /// Prepares the thanks line for everyone owed one, and marks them thanked.
    pub(super) fn plan_thanks(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        let owed = std::mem::take(&mut self.thanks.owed);
        self.thanks.last_line = Some(wall);
        for o in &owed {
            self.thanks.thanked.insert(o.key.clone(), wall);
        }
        let mut what: Vec<ThanksFor> = owed.iter().map(|o| o.what).collect();
        what.dedup();
        let what = if what.len() == 1 { what[0] } else { ThanksFor::Mixed };
        let names: Vec<&str> = if owed.len() <= NAMED_AT_MOST {
            owed.iter().filter_map(|o| templates::speakable_name(&o.name)).collect()
        } else {
            Vec::new()
        };
        // A name that cannot be said leaves the line without names, never with some of them.
        let names = if names.len() == owed.len() { names } else { Vec::new() };
        let lang = self.config.lang;
        self.variant = self.variant.wrapping_add(1);
        let mut text = templates::thanks(&names, owed.len(), what, lang, self.variant);
        let turn = TurnId(self.next_turn);
        self.next_turn += 1;
        self.next = Some(self.own_line(now, turn, LineKind::Thanks, None));
        // A name the guard will not let through (one built to make the host say something) is left out rather
        // than costing the viewer their thanks.
        if !names.is_empty()
            && let Some(next) = self.next.clone()
            && self.gate_text(now, &next, &text, LineSource::Template).cleared.is_none()
        {
            text = templates::thanks(&[], owed.len(), what, lang, self.variant);
        }
        self.voice(now, text, LineSource::Template, None);
    }
}
