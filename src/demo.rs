//! The embedded defaults: the demo product queue and the built-in scene, so `cargo run --release` needs no files.

use anyhow::{Context, Result, bail};
use backstage::{catalog, scene};
use model::{Currency, Product, Scene};
use std::path::{Path, PathBuf};

/// The demo queue is compiled in, pictures included: a binary copied to a server runs the same show as
/// `cargo run --release` in the checkout, and nothing at run time reads the build's source folder.
const DEMO_PRODUCTS: &str = include_str!("../assets/demo/products.toml");

/// The demo products' text without their local pictures, for rooms of a fleet (whose pictures are URLs).
pub fn products_without_pictures() -> String {
    DEMO_PRODUCTS.lines().filter(|l| !l.trim_start().starts_with("image")).map(|l| format!("{l}\n")).collect()
}

/// The demo queue's pictures, by the path products.toml gives them.
const DEMO_PICTURES: &[(&str, &[u8])] = &[
    ("images/tea-set.png", include_bytes!("../assets/demo/images/tea-set.png")),
    ("images/scarf.png", include_bytes!("../assets/demo/images/scarf.png")),
    ("images/lamp.png", include_bytes!("../assets/demo/images/lamp.png")),
];

/// The folder the demo queue is read against: its pictures unpacked from the binary into the user's cache
/// (`$XDG_CACHE_HOME/shopcast` or `~/.cache/shopcast`), or the temp folder where there is no home to write to.
/// The folder is named by a hash of the pictures, so a newer binary never shows an older one's files, and files
/// already there are checked byte for byte and rewritten when they differ.
fn demo_dir() -> Result<PathBuf> {
    let folder = format!("demo-{:016x}", pictures_hash());
    let mut tried = Vec::new();
    for base in cache_bases() {
        let dir = base.join(&folder);
        match unpack_pictures(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) => tried.push(format!("{}: {e}", dir.display())),
        }
    }
    bail!(
        "cannot unpack the demo queue's pictures ({}); set XDG_CACHE_HOME to a folder this user can write",
        tried.join("; ")
    )
}

/// Where to unpack, best first: the cache under the user's home, then a per-user folder in the temp dir.
fn cache_bases() -> Vec<PathBuf> {
    let env = |key: &str| std::env::var_os(key).filter(|v| !v.is_empty()).map(PathBuf::from);
    let mut bases = Vec::new();
    if let Some(xdg) = env("XDG_CACHE_HOME").filter(|p| p.is_absolute()) {
        bases.push(xdg.join("shopcast"));
    }
    if let Some(home) = env("HOME").filter(|p| p.is_absolute()) {
        bases.push(home.join(".cache/shopcast"));
    }
    bases.push(std::env::temp_dir().join(format!("shopcast-{}", user_tag())));
    bases
}

#[cfg(unix)]
fn user_tag() -> String {
    format!("uid{}", rustix::process::getuid().as_raw())
}

#[cfg(not(unix))]
fn user_tag() -> String {
    std::env::var("USERNAME").unwrap_or_else(|_| "user".into())
}

/// FNV-1a over the pictures' names and bytes.
fn pictures_hash() -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, bytes) in DEMO_PICTURES {
        for b in name.bytes().chain([0]).chain(bytes.iter().copied()) {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// Writes each picture under `dir` unless the same bytes are already there. A new file is written beside its
/// place and renamed into it, so two shows starting at once never read half a picture.
fn unpack_pictures(dir: &Path) -> std::io::Result<()> {
    for (name, bytes) in DEMO_PICTURES {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|have| have == *bytes) {
            continue;
        }
        let parent = path.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)?;
        let partial =
            parent.join(format!(".{}.{}", std::process::id(), path.file_name().unwrap_or_default().display()));
        std::fs::write(&partial, bytes)?;
        std::fs::rename(&partial, &path)?;
    }
    Ok(())
}

/// The products to show: the given file's valid products (errors printed, the file refused if none is valid),
/// or the demo queue.
pub fn products(path: Option<&Path>, currency: Option<&Currency>) -> Result<Vec<Product>> {
    Ok(catalog(path, currency)?.products)
}

/// The product file as the show reads it, diagnostics included (printed here; the live show also hands them to
/// the console's catalog panel). `shopcast check` and the hot reload read files with the same
/// [`catalog::load_file_as`] and the same currency, so the three agree warning for warning.
pub fn catalog(path: Option<&Path>, currency: Option<&Currency>) -> Result<catalog::CatalogLoad> {
    let load = load_catalog(path, currency)?;
    for d in &load.diagnostics {
        eprintln!("{d}");
    }
    if load.products.is_empty() {
        bail!("no valid products to show; fix the errors above (shopcast check FILE lists them)");
    }
    Ok(load)
}

/// The product file (or the demo queue) read, nothing printed: `doctor` reports it in its own words. Fails only
/// when the demo's pictures cannot be unpacked; a file's problems are in the load's diagnostics.
pub fn load_catalog(path: Option<&Path>, currency: Option<&Currency>) -> Result<catalog::CatalogLoad> {
    Ok(match path {
        Some(path) => catalog::load_file_as(path, None, currency.cloned()),
        None => catalog::parse(DEMO_PRODUCTS_NAME, DEMO_PRODUCTS, &demo_dir()?),
    })
}

/// How the embedded demo queue is named in messages and in the console's catalog panel.
pub const DEMO_PRODUCTS_NAME: &str = "assets/demo/products.toml (embedded)";

/// The scene to draw: the given file (refused on any error) or the built-in studio scene.
pub fn scene(path: Option<&Path>) -> Result<Scene> {
    let Some(path) = path else {
        return Ok(Scene::studio());
    };
    let load = scene::load_file(path);
    for d in &load.diagnostics {
        eprintln!("{d}");
    }
    match load.scene {
        Some(scene) => Ok(scene),
        None => bail!("the scene file {} has errors; fix them and try again", path.display()),
    }
}

/// The `--currency` flag: an ISO code such as CNY, for prices that name none (Shopify and WooCommerce exports).
pub fn currency_arg(code: Option<&str>) -> Result<Option<model::Currency>> {
    code.map(|code| {
        model::Currency::parse(code).with_context(|| format!("--currency {code:?} is not a 3-letter ISO code"))
    })
    .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_the_demo_queue_names_is_compiled_in() {
        let named: Vec<&str> = DEMO_PRODUCTS
            .lines()
            .filter_map(|line| line.trim().strip_prefix("image = \""))
            .map(|rest| rest.trim_end_matches('"'))
            .collect();
        assert!(!named.is_empty());
        for name in &named {
            assert!(DEMO_PICTURES.iter().any(|(have, _)| have == name), "{name} is not in DEMO_PICTURES");
        }
        assert_eq!(named.len(), DEMO_PICTURES.len(), "a compiled-in picture the queue does not use");
    }

    #[test]
    fn the_pictures_unpack_once_and_a_damaged_copy_is_rewritten() {
        let dir = std::env::temp_dir().join(format!("shopcast-demo-unpack-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        unpack_pictures(&dir).unwrap();
        let tea = dir.join("images/tea-set.png");
        assert_eq!(std::fs::read(&tea).unwrap(), DEMO_PICTURES[0].1);
        std::fs::write(&tea, b"not a picture").unwrap();
        unpack_pictures(&dir).unwrap();
        assert_eq!(std::fs::read(&tea).unwrap(), DEMO_PICTURES[0].1);
        let load = catalog::parse(DEMO_PRODUCTS_NAME, DEMO_PRODUCTS, &dir);
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        assert!(load.products.iter().all(|p| p.image.as_ref().is_some_and(|i| i.starts_with(&dir))));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
