//! Watching one file for saves that change it (notify), shared by the product-file and scene hot reloads.
//!
//! The folder is watched rather than the file, because editors and spreadsheet exports replace files by renaming
//! a new one over the old. Only events that can change the file's bytes count (reading the file, a reload
//! included, must not trigger another reload), events are debounced (a save is often several writes), and a file
//! whose bytes are the same as last time (`touch`, a save without changes) is not reported.

use notify::event::{EventKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// How long the file must stay quiet before it is read: long enough for an export to finish writing.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// Why watching could not start.
#[derive(Debug)]
pub struct WatchError(pub String);

impl std::fmt::Display for WatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WatchError {}

/// Whether a file event can have changed the file's bytes: created, written, renamed over or removed. Opening,
/// reading and closing it (what every reload does) and metadata changes (`touch`, `chmod`) cannot.
fn may_change_contents(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}

/// The file's bytes as a digest, or `None` when it cannot be read (then the reload says why).
fn contents_digest(path: &Path) -> Option<[u8; 32]> {
    std::fs::read(path).ok().map(|bytes| Sha256::digest(&bytes).into())
}

/// One watched file. Dropping it stops the watch.
pub struct FileWatch {
    path: PathBuf,
    /// Sent from notify's own thread for each event that may have changed the file; closed when the watcher goes.
    events: mpsc::UnboundedReceiver<()>,
    _watcher: RecommendedWatcher,
    /// The bytes as last reported (or as they were when the watch started).
    digest: Option<[u8; 32]>,
}

impl FileWatch {
    /// Starts watching `path`; `what` names the file kind in errors ("product files", "the scene").
    pub async fn start(path: &Path, what: &str) -> Result<FileWatch, WatchError> {
        let file_name =
            path.file_name().ok_or_else(|| WatchError(format!("{} is not a file path", path.display())))?.to_owned();
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // notify calls back on its own thread; forward into tokio without blocking it.
        let (changed, events) = mpsc::unbounded_channel::<()>();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let Ok(event) = event
                && may_change_contents(&event.kind)
                && event.paths.iter().any(|p| p.file_name() == Some(file_name.as_os_str()))
            {
                let _ = changed.send(());
            }
        })
        .map_err(|e| WatchError(format!("cannot watch {what}: {e}")))?;
        watcher
            .watch(Path::new(&folder), RecursiveMode::NonRecursive)
            .map_err(|e| WatchError(format!("cannot watch {}: {e}", folder.display())))?;
        let digest = {
            let path = path.to_path_buf();
            tokio::task::spawn_blocking(move || contents_digest(&path)).await.ok().flatten()
        };
        Ok(FileWatch { path: path.to_path_buf(), events, _watcher: watcher, digest })
    }

    /// Waits for the next save that changed the file's bytes (or made it unreadable), once it has been quiet for
    /// [`DEBOUNCE`]. `false` when `shutdown` is cancelled or the watch ended.
    pub async fn changed(&mut self, shutdown: &CancellationToken) -> bool {
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => return false,
                event = self.events.recv() => if event.is_none() { return false },
            }
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return false,
                    _ = tokio::time::sleep(DEBOUNCE) => break,
                    more = self.events.recv() => if more.is_none() { return false },
                }
            }
            let path = self.path.clone();
            let now = tokio::task::spawn_blocking(move || contents_digest(&path)).await.ok().flatten();
            if now.is_some() && now == self.digest {
                tracing::debug!("{}: saved without changes; nothing to reload", self.path.display());
                continue;
            }
            self.digest = now;
            return true;
        }
    }
}
