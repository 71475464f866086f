//! The store actor: one thread owns the SQLite connection, and everything else holds a [`StoreHandle`] and sends
//! it work. A live show opens the database once, and nothing on the director's path waits for it: the viewer gate
//! answers from an in-memory copy of the viewers table and queues the write.

use super::viewers::Viewers;
use super::{BlockedViewer, Store, StoreError, Visit};
use director::{Input, ResumePoint};
use model::{ConsoleEvent, Intent, ModerationMode, UnixMs};
use std::sync::{Arc, Mutex, MutexGuard};

/// Work for the store's thread: a closure run with the connection.
type Job = Box<dyn FnOnce(&Store) + Send>;

/// How many jobs may wait for the store. When a slow disk fills the queue, the audit writer waits (and falls
/// behind on the console broadcast, which it reports), and a viewer-memory write is dropped with a warning (the
/// in-memory copy the show answers from stays right).
pub const QUEUE: usize = 4096;

/// A clone-able way to the store's thread.
#[derive(Clone)]
pub struct StoreHandle {
    /// Sent by every holder of a handle; received by the store's thread, which runs the jobs in order. Closing it
    /// ([`StoreThread::finish`]) lets the thread write what is queued and end.
    jobs: async_channel::Sender<Job>,
    /// The viewers table as it will be once the queue is written; changed together with queueing the write, under
    /// this lock, so memory and database see changes in the same order.
    viewers: Arc<Mutex<Viewers>>,
}

/// The store's thread, to wait for at the end of the show.
pub struct StoreThread {
    jobs: async_channel::Sender<Job>,
    thread: std::thread::JoinHandle<()>,
}

impl StoreThread {
    /// Closes the queue, lets the thread write everything already in it, and waits for it to end.
    pub fn finish(self) {
        self.jobs.close();
        if self.thread.join().is_err() {
            tracing::error!("the audit log's thread panicked while closing");
        }
    }
}

impl StoreHandle {
    /// Gives `store` to a thread of its own, after reading the viewers table into memory.
    pub fn spawn(store: Store) -> Result<(StoreHandle, StoreThread), StoreError> {
        let viewers = Viewers::new(store.viewers()?);
        let (jobs, queue) = async_channel::bounded::<Job>(QUEUE);
        let thread = std::thread::Builder::new()
            .name("store".into())
            .spawn(move || {
                while let Ok(job) = queue.recv_blocking() {
                    // One bad request must not close the audit log for the rest of the show.
                    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&store))).is_err() {
                        tracing::error!("a request to the audit log panicked; the store goes on");
                    }
                }
            })
            .map_err(StoreError::Thread)?;
        let handle = StoreHandle { jobs: jobs.clone(), viewers: Arc::new(Mutex::new(viewers)) };
        Ok((handle, StoreThread { jobs, thread }))
    }

    /// Runs `work` on the store's thread and waits, without blocking the runtime, for its answer.
    pub async fn call<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move |store| {
            let _ = reply.send(work(store));
        });
        self.jobs.send(job).await.map_err(|_| StoreError::Stopped)?;
        answer.await.map_err(|_| StoreError::Stopped)?
    }

    /// [`StoreHandle::call`] for callers that are not async (start-up, the console's routes). It blocks the
    /// calling thread, so it never belongs on the director's path.
    pub fn call_blocking<R: Send + 'static>(
        &self,
        work: impl FnOnce(&Store) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, StoreError> {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        let job: Job = Box::new(move |store| {
            let _ = reply.send(work(store));
        });
        self.jobs.send_blocking(job).map_err(|_| StoreError::Stopped)?;
        answer.recv().map_err(|_| StoreError::Stopped)?
    }

    /// Queues a write nobody waits for, waiting only for room in the queue; a failed write is logged as `what`.
    pub async fn submit(
        &self,
        what: &'static str,
        work: impl FnOnce(&Store) -> Result<(), StoreError> + Send + 'static,
    ) {
        if self.jobs.send(logged(what, work)).await.is_err() {
            tracing::warn!("{what}: the audit log is closed");
        }
    }

    /// Queues a write nobody waits for and returns at once; when the queue is full the write is dropped and logged.
    pub fn try_submit(&self, what: &'static str, work: impl FnOnce(&Store) -> Result<(), StoreError> + Send + 'static) {
        if let Err(e) = self.jobs.try_send(logged(what, work)) {
            let why = if e.is_full() { "the store is behind" } else { "the audit log is closed" };
            tracing::warn!("{what}: not saved ({why})");
        }
    }

    fn viewers(&self) -> MutexGuard<'_, Viewers> {
        self.viewers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Notes a viewer's comment and says whether they are back after a while, from memory and at once; the write
    /// follows in the background ([`Store::remember_viewer`] makes the same change to the row).
    pub fn remember_viewer(&self, user_id: &str, name: &str, now: UnixMs) -> Visit {
        let mut viewers = self.viewers();
        let visit = viewers.visit(user_id, name, now);
        if visit != Visit::OptedOut {
            let (user_id, name) = (user_id.to_string(), name.to_string());
            self.try_submit("viewer memory", move |store| store.remember_viewer(&user_id, &name, now).map(drop));
        }
        visit
    }

    /// A viewer's "don't remember me" (or its withdrawal): forgotten in memory at once, and the answer says
    /// whether the database took it.
    pub async fn set_viewer_opt_out(&self, user_id: &str, opted_out: bool) -> Result<(), StoreError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        {
            let mut viewers = self.viewers();
            viewers.set_opt_out(user_id, opted_out);
            let user_id = user_id.to_string();
            let job: Job = Box::new(move |store| {
                let _ = reply.send(store.set_viewer_opt_out(&user_id, opted_out));
            });
            // Queued under the lock, so no remembered visit slips between the memory and the database.
            self.jobs.try_send(job).map_err(|e| if e.is_full() { StoreError::Behind } else { StoreError::Stopped })?;
        }
        answer.await.map_err(|_| StoreError::Stopped)?
    }

    /// The console's writes mirror [`Store`]'s methods of the same name, on the store's thread; the caller awaits
    /// the answer without holding up a runtime thread.
    pub async fn record(&self, event: &ConsoleEvent, now: UnixMs) -> Result<(), StoreError> {
        let event = event.clone();
        self.call(move |store| store.record(&event, now)).await
    }

    /// A moderator's step on an escalation: the note every page reads and the typed row the show report counts,
    /// written together.
    pub async fn record_escalation_step(
        &self,
        note: &ConsoleEvent,
        step: super::EscalationStep,
        now: UnixMs,
    ) -> Result<(), StoreError> {
        let note = note.clone();
        self.call(move |store| {
            store.record(&note, now)?;
            store.record_escalation_step(&step, now)
        })
        .await
    }

    pub async fn block_viewer(
        &self,
        user_id: &str,
        user_name: &str,
        until: Option<UnixMs>,
        now: UnixMs,
    ) -> Result<(), StoreError> {
        let (user_id, user_name) = (user_id.to_string(), user_name.to_string());
        self.call(move |store| store.block_viewer(&user_id, &user_name, until, now)).await
    }

    pub async fn unblock_viewer(&self, user_id: &str) -> Result<bool, StoreError> {
        let user_id = user_id.to_string();
        self.call(move |store| store.unblock_viewer(&user_id)).await
    }

    pub async fn set_moderation_mode(
        &self,
        intent: Intent,
        mode: ModerationMode,
        now: UnixMs,
    ) -> Result<(), StoreError> {
        self.call(move |store| store.set_moderation_mode(intent, mode, now)).await
    }

    // Start-up reads: the caller (building the console, resuming the show) blocks until the store answers, so
    // these never belong on a runtime thread.

    pub fn moderation_modes(&self) -> Result<Vec<(Intent, ModerationMode)>, StoreError> {
        self.call_blocking(|store| store.moderation_modes())
    }

    pub fn blocked_viewers(&self, now: UnixMs) -> Result<Vec<BlockedViewer>, StoreError> {
        self.call_blocking(move |store| store.blocked_viewers(now))
    }

    pub fn restore_moderation(&self, now: UnixMs) -> Result<Vec<Input>, StoreError> {
        self.call_blocking(move |store| store.restore_moderation(now))
    }

    pub fn resume_point(&self, now: UnixMs, within_ms: i64) -> Result<ResumePoint, StoreError> {
        self.call_blocking(move |store| store.resume_point(now, within_ms))
    }
}

fn logged(what: &'static str, work: impl FnOnce(&Store) -> Result<(), StoreError> + Send + 'static) -> Job {
    Box::new(move |store| {
        if let Err(e) = work(store) {
            tracing::warn!("{what}: {e}");
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("shopcast-actor-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("audit.db")
    }

    /// A store that stops at its first job until the test lets it go: a disk that does not answer.
    fn stalled(handle: &StoreHandle) -> std::sync::mpsc::Sender<()> {
        let (release, stalled) = std::sync::mpsc::channel::<()>();
        handle.try_submit("stall", move |_| {
            let _ = stalled.recv();
            Ok(())
        });
        release
    }

    const HOUR: i64 = 3_600_000;

    /// The same comments and opt-outs, in the same order, through the old path (a SELECT and an UPSERT per comment
    /// on the connection) and through the handle: the same answers, and the same rows once the queue is written.
    #[test]
    fn visits_from_memory_match_the_database_and_end_in_the_same_rows() {
        let (old_path, new_path) = (scratch("old"), scratch("new"));
        let old = Store::open(&old_path, 1).unwrap();
        let seeded = Store::open(&new_path, 1).unwrap();
        for store in [&old, &seeded] {
            store.remember_viewer("u-anna", "Anna", UnixMs(0)).unwrap();
            store.set_viewer_opt_out("u-quiet", true).unwrap();
        }
        let (handle, thread) = StoreHandle::spawn(seeded).unwrap();
        enum Step {
            Comment(&'static str, i64),
            OptOut(&'static str, bool),
        }
        let steps = [
            Step::Comment("u-anna", HOUR),
            Step::Comment("u-anna", 8 * HOUR),
            Step::Comment("u-quiet", 9 * HOUR),
            Step::Comment("u-new", 9 * HOUR),
            Step::Comment("u-new", 10 * HOUR),
            Step::OptOut("u-new", true),
            Step::Comment("u-new", 30 * HOUR),
            Step::OptOut("u-new", false),
            Step::Comment("u-new", 31 * HOUR),
            Step::OptOut("u-quiet", false),
            Step::Comment("u-quiet", 32 * HOUR),
            Step::Comment("u-anna", 40 * HOUR),
        ];
        for step in steps {
            match step {
                Step::Comment(user, at) => {
                    let name = user.trim_start_matches("u-");
                    let was = old.remember_viewer(user, name, UnixMs(at)).unwrap();
                    assert_eq!(handle.remember_viewer(user, name, UnixMs(at)), was, "{user} at {at}");
                }
                Step::OptOut(user, on) => {
                    old.set_viewer_opt_out(user, on).unwrap();
                    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
                    runtime.block_on(handle.set_viewer_opt_out(user, on)).unwrap();
                }
            }
        }
        drop(handle);
        thread.finish();
        let mut want = old.viewers().unwrap();
        let mut got = Store::open(&new_path, 1).unwrap().viewers().unwrap();
        want.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        got.sort_by(|a, b| a.user_id.cmp(&b.user_id));
        assert_eq!(got, want);
    }

    /// While the store's thread is stuck, the viewer gate's questions are still answered, from memory; the writes
    /// wait in the queue and land once the disk answers again.
    #[test]
    fn a_stuck_store_does_not_hold_up_a_visit() {
        let path = scratch("stuck");
        let seeded = Store::open(&path, 1).unwrap();
        seeded.remember_viewer("u-mei", "Mei", UnixMs(0)).unwrap();
        let (handle, thread) = StoreHandle::spawn(seeded).unwrap();
        let release = stalled(&handle);
        let returning = handle.remember_viewer("u-mei", "Mei", UnixMs(26 * HOUR));
        assert!(matches!(returning, Visit::Returning { visits: 2, .. }), "{returning:?}");
        for i in 0..100 {
            assert_eq!(handle.remember_viewer(&format!("u-{i}"), "x", UnixMs(26 * HOUR)), Visit::First);
        }
        assert_eq!(handle.viewers().get("u-mei").map(|v| v.visits), Some(2));
        // Nothing reached the file yet: every answer above came while the store was stuck.
        assert_eq!(Store::open(&path, 1).unwrap().viewer("u-0").unwrap(), None);
        release.send(()).unwrap();
        drop(handle);
        thread.finish();
        let store = Store::open(&path, 1).unwrap();
        assert_eq!(store.viewer("u-mei").unwrap().map(|v| v.visits), Some(2));
        assert_eq!(store.viewers().unwrap().len(), 101);
    }

    /// A locked database (another connection holds the write lock past the busy timeout) fails the queued write
    /// with a warning; the show's answers come from memory meanwhile, and stay right.
    #[test]
    fn a_locked_database_fails_writes_not_visits() {
        let path = scratch("locked");
        let (handle, thread) = StoreHandle::spawn(Store::open(&path, 1).unwrap()).unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(handle.remember_viewer("u-kim", "Kim", UnixMs(0)), Visit::First);
        assert_eq!(handle.remember_viewer("u-kim", "Kim", UnixMs(HOUR)), Visit::SameVisit);
        // Both writes waited out the busy timeout and failed (readers still read in WAL mode).
        let kept = handle.call_blocking(|store| store.viewer("u-kim")).unwrap();
        assert_eq!(kept, None, "the lock held, so nothing was written");
        other.execute_batch("ROLLBACK").unwrap();
        let back = handle.remember_viewer("u-kim", "Kim", UnixMs(30 * HOUR));
        assert_eq!(back, Visit::Returning { name: "Kim".into(), last_seen: UnixMs(HOUR), visits: 2 });
        drop(handle);
        thread.finish();
        assert!(Store::open(&path, 1).unwrap().viewer("u-kim").unwrap().is_some(), "written once the lock went");
    }

    #[tokio::test]
    async fn calls_answer_across_the_thread_and_fail_cleanly_once_it_is_closed() {
        let path = scratch("calls");
        let (handle, thread) = StoreHandle::spawn(Store::open(&path, 1).unwrap()).unwrap();
        handle.set_moderation_mode(Intent::Greeting, ModerationMode::HumanOnly, UnixMs(1)).await.unwrap();
        let modes = handle.call(|store| store.moderation_modes()).await.unwrap();
        assert_eq!(modes, [(Intent::Greeting, ModerationMode::HumanOnly)]);
        let later = handle.clone();
        thread.finish();
        assert!(matches!(later.call(|store| store.line_count()).await, Err(StoreError::Stopped)));
    }
}
