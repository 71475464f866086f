//! The process's stop signals: Ctrl-C everywhere, and SIGTERM on Unix (systemd, docker, a supervisor). The show
//! and `render` both end on them through one cancellation token, so the line on air is logged, the audit log is
//! written out and a stream gets its trailer before the process exits.

use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Waits for the next Ctrl-C or SIGTERM. A signal whose handler cannot be installed is logged and never reported.
pub async fn stop_requested() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!("Ctrl-C cannot be caught ({e}); stop the show another way");
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = ctrl_c => {}
        _ = terminated() => {}
    }
}

#[cfg(unix)]
async fn terminated() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut signal) => {
            signal.recv().await;
        }
        Err(e) => {
            tracing::warn!("SIGTERM cannot be caught ({e}); it will stop the show without its last lines");
            std::future::pending::<()>().await;
        }
    }
}

/// No SIGTERM outside Unix; Ctrl-C alone stops the show there.
#[cfg(not(unix))]
async fn terminated() {
    std::future::pending::<()>().await;
}

/// Cancels `shutdown` at the first stop signal or once `limit` has passed (when given); returns as soon as
/// `shutdown` is cancelled, by this or by anyone else.
pub async fn cancel_on_signal(shutdown: CancellationToken, limit: Option<Duration>) {
    cancel_after_start(shutdown, limit, std::future::ready(())).await;
}

/// Like [`cancel_on_signal`], with `limit` counted from when `started` resolves rather than from now: `run
/// --seconds 60` is a minute on air, however long a busy machine takes to draw the first frame. A stop signal
/// works from the first moment.
pub async fn cancel_after_start(
    shutdown: CancellationToken,
    limit: Option<Duration>,
    started: impl std::future::Future<Output = ()>,
) {
    let deadline = async {
        match limit {
            Some(limit) => {
                started.await;
                tokio::time::sleep(limit).await;
            }
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = stop_requested() => tracing::info!("stopping: a stop signal came"),
        _ = deadline => tracing::info!("stopping: the time limit is up"),
    }
    shutdown.cancel();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn the_time_limit_cancels_the_token() {
        let shutdown = CancellationToken::new();
        let waiting = tokio::spawn(cancel_on_signal(shutdown.clone(), Some(Duration::from_secs(30))));
        tokio::time::sleep(Duration::from_secs(29)).await;
        assert!(!shutdown.is_cancelled(), "cancelled before the limit");
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert!(shutdown.is_cancelled(), "not cancelled at the limit");
        waiting.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn the_time_limit_counts_from_the_start() {
        let shutdown = CancellationToken::new();
        let started = tokio::time::sleep(Duration::from_secs(20));
        let waiting = tokio::spawn(cancel_after_start(shutdown.clone(), Some(Duration::from_secs(30)), started));
        tokio::time::sleep(Duration::from_secs(45)).await;
        assert!(!shutdown.is_cancelled(), "cancelled 25 s after the start, before the 30 s limit");
        tokio::time::sleep(Duration::from_secs(6)).await;
        assert!(shutdown.is_cancelled(), "not cancelled 30 s after the start");
        waiting.await.unwrap();
    }

    #[tokio::test]
    async fn a_shutdown_from_elsewhere_ends_the_wait() {
        let shutdown = CancellationToken::new();
        let waiting = tokio::spawn(cancel_on_signal(shutdown.clone(), None));
        shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(5), waiting).await.expect("the wait ended").unwrap();
    }
}
