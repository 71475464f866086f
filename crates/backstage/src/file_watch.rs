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

#[cfg(test)]
mod tests {
    use super::*;

    /// A watch on a scratch file, reporting each change it finds on a channel until the test ends.
    struct Watched {
        dir: PathBuf,
        path: PathBuf,
        changes: mpsc::UnboundedReceiver<()>,
        stop: CancellationToken,
    }

    impl Watched {
        async fn start(name: &str, contents: &str) -> Watched {
            let dir = std::env::temp_dir().join(format!("shopcast-file-watch-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join("products.toml");
            std::fs::write(&path, contents).unwrap();
            let mut watch = FileWatch::start(&path, "the test file").await.unwrap();
            let (tx, changes) = mpsc::unbounded_channel();
            let stop = CancellationToken::new();
            let until = stop.clone();
            tokio::spawn(async move {
                while watch.changed(&until).await {
                    let _ = tx.send(());
                }
            });
            Watched { dir, path, changes, stop }
        }

        /// How many changes were reported once the file has been quiet for a while (well past the debounce).
        async fn changes_after_quiet(&mut self) -> usize {
            tokio::time::sleep(DEBOUNCE * 5).await;
            let mut n = 0;
            while self.changes.try_recv().is_ok() {
                n += 1;
            }
            n
        }
    }

    impl Drop for Watched {
        fn drop(&mut self) {
            self.stop.cancel();
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }

    /// Runs a shell command line with the file's path as `$1`, as an operator's editor or script would.
    #[cfg(unix)]
    fn shell(script: &str, path: &Path, stdin: &str) {
        use std::io::Write;
        let mut child = std::process::Command::new("sh")
            .args(["-c", script, "sh"])
            .arg(path)
            .stdin(std::process::Stdio::piped())
            .spawn()
            .expect("sh runs");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        assert!(child.wait().unwrap().success(), "{script}");
    }

    /// `sed -i` writes a new file beside the old one and renames it over; `cat >` truncates the file and writes it
    /// in place. Each save is one change, and the reads after it (a reload) are none.
    #[cfg(unix)]
    #[tokio::test]
    async fn sed_in_place_and_cat_redirection_are_one_change_each() {
        let mut watched = Watched::start("editors", "price = \"8.50\"\n").await;
        shell("sed -i 's/8.50/7.00/' \"$1\"", &watched.path, "");
        assert_eq!(std::fs::read_to_string(&watched.path).unwrap(), "price = \"7.00\"\n");
        assert_eq!(watched.changes_after_quiet().await, 1, "sed -i is one change");

        shell("cat > \"$1\"", &watched.path, "price = \"6.00\"\n# a second line, a second write\n");
        assert_eq!(watched.changes_after_quiet().await, 1, "cat > is one change");

        // The reload that follows reads the file: no change.
        for _ in 0..3 {
            let _ = std::fs::read(&watched.path).unwrap();
        }
        assert_eq!(watched.changes_after_quiet().await, 0, "reading the file is no change");
    }

    /// An editor that writes a new file and renames it over the old one, then a save written in pieces: one
    /// change each. A touch and a save of the same bytes are none.
    #[tokio::test]
    async fn rename_over_and_piecewise_saves_are_one_change_and_same_bytes_are_none() {
        let mut watched = Watched::start("rename", "a = 1\n").await;
        let swap = watched.dir.join(".products.toml.swp");
        std::fs::write(&swap, "a = 2\n").unwrap();
        std::fs::rename(&swap, &watched.path).unwrap();
        assert_eq!(watched.changes_after_quiet().await, 1, "a rename over the file is one change");

        let file = std::fs::OpenOptions::new().append(true).open(&watched.path).unwrap();
        file.set_modified(std::time::SystemTime::now()).unwrap();
        drop(file);
        std::fs::write(&watched.path, "a = 2\n").unwrap();
        assert_eq!(watched.changes_after_quiet().await, 0, "a touch and the same bytes again are no change");

        std::fs::write(&watched.path, "a = ").unwrap();
        for piece in ["3", "\n", "b = 4\n"] {
            use std::io::Write;
            std::fs::OpenOptions::new().append(true).open(&watched.path).unwrap().write_all(piece.as_bytes()).unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(watched.changes_after_quiet().await, 1, "a save in pieces is one change");

        // A file removed is a change (the reload then says it cannot be read); put back with new bytes, another.
        std::fs::remove_file(&watched.path).unwrap();
        assert_eq!(watched.changes_after_quiet().await, 1, "a removed file is one change");
        std::fs::write(&watched.path, "a = 5\n").unwrap();
        assert_eq!(watched.changes_after_quiet().await, 1, "the file back is one change");
    }

    /// The watch ends when the shutdown comes, even with no event in sight.
    #[tokio::test]
    async fn the_shutdown_ends_the_watch() {
        let dir = std::env::temp_dir().join(format!("shopcast-file-watch-stop-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("scene.toml");
        std::fs::write(&path, "x").unwrap();
        let mut watch = FileWatch::start(&path, "the scene").await.unwrap();
        let stop = CancellationToken::new();
        stop.cancel();
        let changed = tokio::time::timeout(Duration::from_secs(5), watch.changed(&stop)).await;
        assert_eq!(changed, Ok(false));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_path_without_a_file_name_is_refused_with_the_path() {
        let error = FileWatch::start(Path::new("/"), "the scene").await.err().expect("not a file");
        assert!(error.to_string().contains("/ is not a file path"), "{error}");
    }
}
