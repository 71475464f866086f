//! Hot reload: watches a product file and swaps in the new queue only after it validates.
//!
//! Saves are found by [`crate::file_watch`] (the folder is watched, events debounced, unchanged bytes ignored). A
//! reload with at least one valid product goes live as `Input::ProductsLoaded`; a file with none (unreadable, a
//! syntax error, every row broken) is rejected with its diagnostics and the last good queue stays live.

use super::{Format, load_file_as};
use crate::file_watch::FileWatch;
pub use crate::file_watch::{DEBOUNCE, WatchError};
use director::Input;
use model::{ConsoleEvent, Currency};
use std::path::PathBuf;
use tokio::sync::{broadcast, mpsc};
use tokio_util::sync::CancellationToken;

/// What to watch and how to read it.
#[derive(Clone, Debug)]
pub struct WatchedCatalog {
    pub path: PathBuf,
    pub format: Option<Format>,
    pub currency: Option<Currency>,
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

/// Watches `catalog.path` until `shutdown` is cancelled or the show's input channel closes, sending each good
/// reload to `inputs`.
pub async fn run(
    catalog: WatchedCatalog,
    inputs: mpsc::Sender<Input>,
    console: broadcast::Sender<ConsoleEvent>,
    shutdown: CancellationToken,
) -> Result<(), WatchError> {
    let mut file = FileWatch::start(&catalog.path, "product files").await?;
    while file.changed(&shutdown).await {
        let job = catalog.clone();
        let console = console.clone();
        match tokio::task::spawn_blocking(move || reload(&job, &console)).await {
            Ok(Some(input)) => {
                if inputs.send(input).await.is_err() {
                    return Ok(());
                }
            }
            Ok(None) => {}
            Err(e) => tracing::error!("reloading {} failed: {e}", catalog.path.display()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
        let stop = CancellationToken::new();
        let catalog = WatchedCatalog { path: path.clone(), format: None, currency: None };
        let task = tokio::spawn(run(catalog, tx, console, stop.clone()));
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
        stop.cancel();
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
        let stop = CancellationToken::new();
        let catalog = WatchedCatalog { path: path.clone(), format: None, currency: None };
        let task = tokio::spawn(run(catalog, tx, console, stop.clone()));
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
        stop.cancel();
        task.await.unwrap().unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
