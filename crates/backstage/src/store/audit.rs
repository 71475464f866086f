//! The audit writer: every aired line, escalation and catalog load from the console broadcast goes to the store
//! actor, off the show's path, so a slow disk never delays a line.

use super::StoreHandle;
use crate::clock::wall_now;
use model::ConsoleEvent;
use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};
use tokio_util::sync::CancellationToken;

/// Writes `events` to the store until `shutdown` is cancelled, then writes what is already queued and returns.
/// Cancel it after the show's task has ended, so its last lines are in the queue. Retention is enforced first.
pub async fn run(mut events: broadcast::Receiver<ConsoleEvent>, store: StoreHandle, shutdown: CancellationToken) {
    match store.call(|s| s.purge(wall_now())).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("audit log: {n} row(s) past retention removed"),
        Err(e) => tracing::warn!("audit log: retention purge failed: {e}"),
    }
    loop {
        let event = tokio::select! {
            _ = shutdown.cancelled() => break,
            event = events.recv() => event,
        };
        match event {
            Ok(event) => write(&store, event).await,
            Err(RecvError::Lagged(n)) => tracing::error!("audit log fell behind and missed {n} event(s)"),
            Err(RecvError::Closed) => return,
        }
    }
    loop {
        match events.try_recv() {
            Ok(event) => write(&store, event).await,
            Err(TryRecvError::Lagged(n)) => tracing::error!("audit log fell behind and missed {n} event(s)"),
            Err(TryRecvError::Empty | TryRecvError::Closed) => return,
        }
    }
}

async fn write(store: &StoreHandle, event: ConsoleEvent) {
    let now = wall_now();
    store.submit("audit log write failed", move |s| s.record(&event, now)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use model::{AiredLine, Lang, LineId, LineKind, LineSource, UnixMs};

    fn aired(id: u64) -> ConsoleEvent {
        ConsoleEvent::LineAired(AiredLine {
            line: LineId(id),
            t_ms: 0,
            kind: LineKind::Disclosure,
            product: None,
            text: format!("line {id}"),
            lang: Lang::En,
            source: LineSource::Template,
            duration_ms: 1000,
            note: None,
            fallbacks: Vec::new(),
            trigger: None,
            guard: Vec::new(),
            wall: UnixMs(wall_now().0 + id as i64),
        })
    }

    /// Lines sent before the shutdown are all written, including those still in the broadcast when it came.
    #[tokio::test]
    async fn every_line_sent_before_the_shutdown_is_written() {
        let dir = std::env::temp_dir().join(format!("shopcast-audit-task-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("audit.db");
        let (store, thread) = StoreHandle::spawn(Store::open(&path, 30).unwrap()).unwrap();
        let (console, events) = broadcast::channel(64);
        let shutdown = CancellationToken::new();
        for id in 0..10 {
            console.send(aired(id)).unwrap();
        }
        shutdown.cancel();
        run(events, store.clone(), shutdown).await;
        drop(store);
        thread.finish();
        assert_eq!(Store::open(&path, 30).unwrap().line_count().unwrap(), 10);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
