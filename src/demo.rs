//! The embedded defaults: the demo product queue and the built-in scene, so `cargo run --release` needs no files.

use anyhow::{Context, Result, bail};
use backstage::{catalog, scene};
use model::{Currency, Product, Scene};
use std::path::{Path, PathBuf};

/// The demo queue's text is compiled in; its pictures are read from assets/demo/images in the source tree.
const DEMO_PRODUCTS: &str = include_str!("../assets/demo/products.toml");

fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo")
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
    let load = match path {
        Some(path) => catalog::load_file_as(path, None, currency.cloned()),
        None => catalog::parse(DEMO_PRODUCTS_NAME, DEMO_PRODUCTS, &demo_dir()),
    };
    for d in &load.diagnostics {
        eprintln!("{d}");
    }
    if load.products.is_empty() {
        bail!("no valid products to show; fix the errors above (shopcast check FILE lists them)");
    }
    Ok(load)
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
