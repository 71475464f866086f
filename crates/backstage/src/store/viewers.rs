//! The in-memory copy of the viewers table: the viewer gate answers "is this a returning viewer?" from it on the
//! director's path, and the database catches up in the background.

use super::{ViewerMemory, Visit, classify_visit};
use model::UnixMs;
use std::collections::HashMap;

/// Every viewer the store remembers, by user id, as the database will hold them once its queue is written (the
/// SQLite store's, or a fleet room's in PostgreSQL).
#[derive(Debug, Default)]
pub struct Viewers(HashMap<String, ViewerMemory>);

impl Viewers {
    pub fn new(rows: Vec<ViewerMemory>) -> Viewers {
        Viewers(rows.into_iter().map(|v| (v.user_id.clone(), v)).collect())
    }

    /// The same change [`super::Store::remember_viewer`] makes to its row, made here.
    pub fn visit(&mut self, user_id: &str, name: &str, now: UnixMs) -> Visit {
        let visit = classify_visit(self.0.get(user_id), name, now);
        if visit == Visit::OptedOut {
            return visit;
        }
        let new_visit = matches!(visit, Visit::First | Visit::Returning { .. });
        let row = self.0.entry(user_id.to_string()).or_insert_with(|| ViewerMemory {
            user_id: user_id.to_string(),
            name: None,
            first_seen: None,
            last_seen: None,
            visits: 0,
            opted_out: false,
        });
        row.name = Some(name.to_string());
        row.last_seen = Some(now);
        row.first_seen = row.first_seen.or(Some(now));
        row.visits = row.visits.saturating_add(u32::from(new_visit));
        visit
    }

    /// The same change [`super::Store::set_viewer_opt_out`] makes.
    pub fn set_opt_out(&mut self, user_id: &str, opted_out: bool) {
        if opted_out {
            self.0.insert(
                user_id.to_string(),
                ViewerMemory {
                    user_id: user_id.to_string(),
                    name: None,
                    first_seen: None,
                    last_seen: None,
                    visits: 0,
                    opted_out: true,
                },
            );
        } else if self.0.get(user_id).is_some_and(|v| v.opted_out) {
            self.0.remove(user_id);
        }
    }

    /// What is remembered of `user_id`, after the last change made here.
    pub fn get(&self, user_id: &str) -> Option<&ViewerMemory> {
        self.0.get(user_id)
    }
}
