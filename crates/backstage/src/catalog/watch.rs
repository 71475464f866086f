//! Hot reload: watches a product file and swaps in the new queue only after it validates.
//!
//! The folder is watched rather than the file, because editors and spreadsheet exports replace files by
//! renaming a new one over the old. Only events that can change the file's bytes count (reading the file, our own
//! reload included, must not trigger another reload), events are debounced (a save is often several writes), and a
//! file whose bytes are the same as at the last load (`touch`, a save without changes) is not reloaded. A reload
//! with at least one valid product goes live as `Input::ProductsLoaded`; a file with none (unreadable, a syntax
//! error, every row broken) is rejected with its diagnostics and the last good queue stays live.

use super::{Format, load_file_as};
use director::Input;
use model::{ConsoleEvent, Currency};
use notify::event::{EventKind, ModifyKind};
use notify::{RecursiveMode, Watcher};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// How long the file must stay quiet before it is read: long enough for an export to finish writing.
pub const DEBOUNCE: Duration = Duration::from_millis(300);

/// What to watch and how to read it.
#[derive(Clone, Debug)]
pub struct WatchedCatalog {
    pub path: PathBuf,
    pub format: Option<Format>,
    pub currency: Option<Currency>,
}

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

/// The file's bytes as a digest, or `None` when it cannot be read (then a reload reports why).
fn contents_digest(path: &Path) -> Option<[u8; 32]> {
    std::fs::read(path).ok().map(|bytes| Sha256::digest(&bytes).into())
}

/// Reads the file once and reports the result: `Some(input)` when it has products to go live.
pub fn reload(catalog: &WatchedCatalog, console: &broadcast::Sender<ConsoleEvent>) -> Option<Input> {
    let load = load_file_as(&catalog.path, catalog.format, catalog.currency.clone());
    let path = catalog.path.display().to_string();
    for d in &load.diagnostics {
        tracing::warn!("{d}");
    }
    if load.products.is_empty() {
        tracing::error!("{path}: no valid products; the last good queue stays live");
        let _ = console.send(ConsoleEvent::CatalogRejected { path, diagnostics: load.diagnostics });
        return None;
    }
    tracing::info!("{path}: {} product(s) loaded", load.products.len());
    let _ = console.send(ConsoleEvent::CatalogLoaded {
        path,
        products: load.products.len(),
        diagnostics: load.diagnostics,
    });
    Some(Input::ProductsLoaded(load.products))
}

/// Watches `catalog.path` until `shutdown` resolves or the show's input channel closes, sending each good
/// reload to `inputs`.
pub async fn watch(
    catalog: WatchedCatalog,
    inputs: mpsc::Sender<Input>,
    console: broadcast::Sender<ConsoleEvent>,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), WatchError> {
    let file_name = catalog
        .path
        .file_name()
        .ok_or_else(|| WatchError(format!("{} is not a file path", catalog.path.display())))?
        .to_owned();
    let folder = match catalog.path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // notify calls back on its own thread; forward into tokio without blocking it.
    let (changed_tx, mut changed) = mpsc::unbounded_channel::<()>();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event
            && may_change_contents(&event.kind)
            && event.paths.iter().any(|p| p.file_name() == Some(file_name.as_os_str()))
        {
            let _ = changed_tx.send(());
        }
    })
    .map_err(|e| WatchError(format!("cannot watch product files: {e}")))?;
    watcher
        .watch(Path::new(&folder), RecursiveMode::NonRecursive)
        .map_err(|e| WatchError(format!("cannot watch {}: {e}", folder.display())))?;
    // The bytes the live queue was read from: an event that leaves them unchanged reloads nothing.
    let mut loaded = {
        let path = catalog.path.clone();
        tokio::task::spawn_blocking(move || contents_digest(&path)).await.ok().flatten()
    };
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            _ = &mut shutdown => return Ok(()),
            event = changed.recv() => {
                if event.is_none() {
                    return Ok(());
                }
            }
        }
        // Debounce: wait until the file has been quiet for DEBOUNCE.
        loop {
            tokio::select! {
                _ = &mut shutdown => return Ok(()),
                _ = tokio::time::sleep(DEBOUNCE) => break,
                more = changed.recv() => if more.is_none() { return Ok(()) },
            }
        }
        let job = catalog.clone();
        let console_for_job = console.clone();
        let last = loaded;
        let result = tokio::task::spawn_blocking(move || {
            let now = contents_digest(&job.path);
            if now.is_some() && now == last {
                tracing::debug!("{}: saved without changes; nothing to reload", job.path.display());
                return (now, None);
            }
            (now, reload(&job, &console_for_job))
        })
        .await;
        match result {
            Ok((digest, input)) => {
                loaded = digest;
                if let Some(input) = input
                    && inputs.send(input).await.is_err()
                {
                    return Ok(());
                }
            }
            Err(e) => tracing::error!("reloading {} failed: {e}", catalog.path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "currency = \"USD\"\n[[product]]\nid = \"mug\"\ntitle.en = \"Mug\"\nprice = \"8.50\"\n";
    const BETTER: &str = "currency = \"USD\"\n[[product]]\nid = \"mug\"\ntitle.en = \"Mug\"\nprice = \"7.00\"\n";
    const BROKEN: &str = "currency = \"USD\"\n[[product]\nid = \"mug\"\n";

    async fn next_input(rx: &mut mpsc::Receiver<Input>) -> Option<Input> {
        tokio::time::timeout(Duration::from_secs(10), rx.recv()).await.ok().flatten()
    }

    /// Real files, a real watcher: a good edit goes live, a broken one is refused and the good queue stays.
    #[tokio::test]
    async fn a_good_edit_goes_live_and_a_broken_one_keeps_the_last_good_queue() {
        let dir = std::env::temp_dir().join(format!("shopcast-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("products.toml");
        std::fs::write(&path, GOOD).unwrap();
        let (tx, mut rx) = mpsc::channel(8);
        let (console, mut console_rx) = broadcast::channel(16);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let catalog = WatchedCatalog { path: path.clone(), format: None, currency: None };
        let task = tokio::spawn(watch(catalog, tx, console, async move {
            let _ = stop_rx.await;
        }));
        tokio::time::sleep(Duration::from_millis(200)).await;

        // A broken save: rejected with a diagnostic, nothing goes live.
        std::fs::write(&path, BROKEN).unwrap();
        let rejected = tokio::time::timeout(Duration::from_secs(10), console_rx.recv()).await.unwrap().unwrap();
        match rejected {
            ConsoleEvent::CatalogRejected { diagnostics, .. } => {
                assert!(diagnostics[0].to_string().contains(":2:"), "{diagnostics:?}")
            }
            other => panic!("expected a rejection, got {other:?}"),
        }
        assert!(rx.try_recv().is_err(), "a broken file must not replace the queue");

        // A good save (written as editors do: a new file renamed over the old one) goes live.
        let tmp = dir.join(".products.toml.swp");
        std::fs::write(&tmp, BETTER).unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        match next_input(&mut rx).await {
            Some(Input::ProductsLoaded(products)) => assert_eq!(products[0].price.minor, 700),
            other => panic!("expected the new queue, got {other:?}"),
        }
        let _ = stop_tx.send(());
        task.await.unwrap().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// One reload per real change: reading the file (as every reload does), touching it and saving the same bytes
    /// reload nothing, and a burst of writes is one reload.
    #[tokio::test]
    async fn reads_touches_and_unchanged_saves_reload_nothing_and_a_burst_reloads_once() {
        let dir = std::env::temp_dir().join(format!("shopcast-watch-once-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("products.toml");
        std::fs::write(&path, GOOD).unwrap();
        let (tx, mut rx) = mpsc::channel(64);
        let (console, mut console_rx) = broadcast::channel(64);
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let catalog = WatchedCatalog { path: path.clone(), format: None, currency: None };
        let task = tokio::spawn(watch(catalog, tx, console, async move {
            let _ = stop_rx.await;
        }));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let quiet = Duration::from_millis(DEBOUNCE.as_millis() as u64 * 5);

        for _ in 0..5 {
            let _ = std::fs::read_to_string(&path).unwrap();
        }
        let file = std::fs::OpenOptions::new().append(true).open(&path).unwrap();
        file.set_modified(std::time::SystemTime::now()).unwrap();
        drop(file);
        std::fs::write(&path, GOOD).unwrap();
        tokio::time::sleep(quiet).await;
        assert!(rx.try_recv().is_err(), "nothing changed, yet the queue was reloaded");
        assert!(console_rx.try_recv().is_err(), "nothing changed, yet a reload was reported");

        // A save written in pieces, as exports do: one reload, then quiet (the reload's own read of the file must
        // not start another).
        let mut pieces = BETTER.as_bytes().chunks(16);
        std::fs::write(&path, pieces.next().unwrap()).unwrap();
        for piece in pieces {
            use std::io::Write;
            std::fs::OpenOptions::new().append(true).open(&path).unwrap().write_all(piece).unwrap();
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        match next_input(&mut rx).await {
            Some(Input::ProductsLoaded(products)) => assert_eq!(products[0].price.minor, 700),
            other => panic!("expected the new queue, got {other:?}"),
        }
        tokio::time::sleep(quiet).await;
        let mut reloads = 1;
        while rx.try_recv().is_ok() {
            reloads += 1;
        }
        assert_eq!(reloads, 1, "one save must be one reload");
        let _ = stop_tx.send(());
        task.await.unwrap().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
