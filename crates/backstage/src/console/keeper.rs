//! Where the console keeps what must outlive it: named accounts, standing moderation (modes per intent, bans and
//! time-outs, viewers who asked to be forgotten) and the audit rows of what moderators did.
//!
//! The single-machine show keeps them in its SQLite file through the store actor ([`StoreHandle`]); a fleet room
//! keeps them in PostgreSQL (the `fleet` crate), scoped to the room. The console's routes only see this trait, so
//! the same page and API serve both.

use super::accounts::Account;
use super::audit::ConsoleAction;
use crate::store::{BlockedViewer, EscalationStep, StoreHandle};
use model::{ConsoleEvent, Intent, ModerationMode, UnixMs};
use std::future::Future;
use std::pin::Pin;

/// A keeper's answer: the value, or why it could not be kept or read, in words for the moderator.
pub type Kept<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send + 'a>>;

/// The standing decisions a console starts with.
#[derive(Clone, Debug, Default)]
pub struct Standing {
    pub modes: Vec<(Intent, ModerationMode)>,
    pub blocked: Vec<BlockedViewer>,
}

/// See the module's documentation. Every method may fail (a database away); the console then says the change holds
/// for this show but was not kept.
pub trait ConsoleStore: Send + Sync {
    /// The decisions standing when the console starts (read once, before it serves anything).
    fn standing(&self, now: UnixMs) -> Result<Standing, String>;
    /// The named account `name` as it is now, if it may use this console.
    fn account<'a>(&'a self, name: &'a str) -> Kept<'a, Option<Account>>;
    /// A note of the console's own (a care escalation raised again) in the audit log.
    fn record<'a>(&'a self, note: &'a ConsoleEvent, now: UnixMs) -> Kept<'a, ()>;
    /// What a moderator did, with the answer they got.
    fn record_console_action(&self, action: ConsoleAction, now: UnixMs) -> Kept<'_, ()>;
    /// A claim, release or hand-off of an escalation: its note and its typed step, together.
    fn record_escalation_step<'a>(&'a self, note: &'a ConsoleEvent, step: EscalationStep, now: UnixMs) -> Kept<'a, ()>;
    fn block_viewer<'a>(
        &'a self,
        user_id: &'a str,
        user_name: &'a str,
        until: Option<UnixMs>,
        now: UnixMs,
    ) -> Kept<'a, ()>;
    /// Whether a ban or time-out was kept for `user_id`.
    fn unblock_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, bool>;
    /// A viewer's "don't remember me": forget them and keep only the refusal.
    fn forget_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, ()>;
    fn set_moderation_mode(&self, intent: Intent, mode: ModerationMode, now: UnixMs) -> Kept<'_, ()>;
}

fn words(e: impl std::fmt::Display) -> String {
    e.to_string()
}

impl ConsoleStore for StoreHandle {
    fn standing(&self, now: UnixMs) -> Result<Standing, String> {
        Ok(Standing {
            modes: self.moderation_modes().map_err(words)?,
            blocked: self.blocked_viewers(now).map_err(words)?,
        })
    }

    fn account<'a>(&'a self, name: &'a str) -> Kept<'a, Option<Account>> {
        let name = name.to_string();
        Box::pin(async move { self.call(move |s| s.account(&name)).await.map_err(words) })
    }

    fn record<'a>(&'a self, note: &'a ConsoleEvent, now: UnixMs) -> Kept<'a, ()> {
        Box::pin(async move { StoreHandle::record(self, note, now).await.map_err(words) })
    }

    fn record_console_action(&self, action: ConsoleAction, now: UnixMs) -> Kept<'_, ()> {
        Box::pin(async move { self.call(move |s| s.record_console_action(&action, now)).await.map_err(words) })
    }

    fn record_escalation_step<'a>(&'a self, note: &'a ConsoleEvent, step: EscalationStep, now: UnixMs) -> Kept<'a, ()> {
        Box::pin(async move { StoreHandle::record_escalation_step(self, note, step, now).await.map_err(words) })
    }

    fn block_viewer<'a>(
        &'a self,
        user_id: &'a str,
        user_name: &'a str,
        until: Option<UnixMs>,
        now: UnixMs,
    ) -> Kept<'a, ()> {
        Box::pin(async move { StoreHandle::block_viewer(self, user_id, user_name, until, now).await.map_err(words) })
    }

    fn unblock_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, bool> {
        Box::pin(async move { StoreHandle::unblock_viewer(self, user_id).await.map_err(words) })
    }

    fn forget_viewer<'a>(&'a self, user_id: &'a str) -> Kept<'a, ()> {
        Box::pin(async move { self.set_viewer_opt_out(user_id, true).await.map_err(words) })
    }

    fn set_moderation_mode(&self, intent: Intent, mode: ModerationMode, now: UnixMs) -> Kept<'_, ()> {
        Box::pin(async move { StoreHandle::set_moderation_mode(self, intent, mode, now).await.map_err(words) })
    }
}
