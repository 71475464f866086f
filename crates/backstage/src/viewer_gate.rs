//! The viewer gate: each comment meets it before the director does. Comments of viewers the moderators banned or
//! timed out are dropped, and viewers the show remembers from an earlier visit (unless they opted out) are marked,
//! so the host can welcome them back by name. It answers from memory (the console's bans, the store's in-memory
//! viewers), so the show loop never waits on the disk; the store writes the visit in the background.

use crate::clock::wall_now;
use crate::console::ConsoleState;
use crate::show_loop::CommentGate;
use crate::store::{StoreHandle, Visit};
use model::Comment;

pub struct ViewerGate {
    console: ConsoleState,
    store: StoreHandle,
}

impl ViewerGate {
    pub fn new(console: ConsoleState, store: StoreHandle) -> ViewerGate {
        ViewerGate { console, store }
    }
}

impl CommentGate for ViewerGate {
    fn admit(&self, comment: &mut Comment) -> bool {
        let now = wall_now();
        if self.console.is_viewer_blocked(&comment.user_id, now) {
            return false;
        }
        if let Visit::Returning { .. } = self.store.remember_viewer(&comment.user_id, &comment.user_name, now) {
            comment.flags.returning = true;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::console::{ConsoleConfig, ConsoleToken};
    use crate::store::Store;
    use tokio::sync::{broadcast, mpsc, watch};

    fn comment(user: &str) -> Comment {
        Comment {
            platform: model::Platform::Twitch,
            id: model::CommentId(format!("c-{user}")),
            user_id: format!("uid-{user}"),
            user_name: user.into(),
            text: "hello".into(),
            time: wall_now(),
            paid: None,
            flags: model::CommentFlags::default(),
        }
    }

    /// The gate's decisions while the store's thread is stuck on a disk that does not answer: the same decisions
    /// the gate made when it asked SQLite for every comment, and none of them waits for the store.
    #[tokio::test]
    async fn the_gate_drops_banned_viewers_and_marks_returning_ones_while_the_store_is_stuck() {
        let dir = std::env::temp_dir().join(format!("shopcast-gate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("audit.db");
        let now = wall_now();
        let seed = Store::open(&path, 30).unwrap();
        seed.block_viewer("uid-troll", "troll", None, now).unwrap();
        let seven_hours_ago = model::UnixMs(now.0 - 7 * 3_600_000);
        seed.remember_viewer("uid-anna", "anna", seven_hours_ago).unwrap();
        seed.remember_viewer("uid-quiet", "quiet", seven_hours_ago).unwrap();
        seed.set_viewer_opt_out("uid-quiet", true).unwrap();

        let (store, thread) = StoreHandle::spawn(seed).unwrap();
        let (inputs, _rx) = mpsc::channel(8);
        let (events, _) = broadcast::channel(8);
        let (_products_tx, products) = watch::channel(Vec::new());
        let token = ConsoleToken::new("gate-test-token-0123456789").unwrap();
        let mut config = ConsoleConfig::new(token, inputs, events, products);
        config.keep_in(store.clone());
        let gate = ViewerGate::new(ConsoleState::new(config), store.clone());

        // From here on the store answers nothing until released.
        let (release, stalled) = std::sync::mpsc::channel::<()>();
        store.try_submit("stall", move |_| {
            let _ = stalled.recv();
            Ok(())
        });
        assert!(!gate.admit(&mut comment("troll")), "a banned viewer's comment never reaches the director");
        let mut anna = comment("anna");
        assert!(gate.admit(&mut anna) && anna.flags.returning, "anna was here seven hours ago");
        let mut again = comment("anna");
        assert!(gate.admit(&mut again) && !again.flags.returning, "the same visit is not a return");
        let mut quiet = comment("quiet");
        assert!(gate.admit(&mut quiet) && !quiet.flags.returning, "a viewer who opted out is not remembered");
        let mut new = comment("newcomer");
        assert!(gate.admit(&mut new) && !new.flags.returning);

        release.send(()).unwrap();
        drop((gate, store));
        thread.finish();
        let saved = Store::open(&path, 30).unwrap();
        assert_eq!(saved.viewer("uid-anna").unwrap().map(|v| v.visits), Some(2), "the return was written after");
        assert!(saved.viewer("uid-newcomer").unwrap().is_some());
        assert!(saved.viewer("uid-quiet").unwrap().is_some_and(|v| v.opted_out && v.name.is_none()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
