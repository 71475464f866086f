//! Product files, read into validated [`Product`]s with diagnostics.
//!
//! A problem in one product drops only that product (with an error naming its line and field); the rest of the
//! queue still loads. Only an unreadable file or a syntax error loses the whole file, and then the caller keeps
//! whatever queue it had.

mod own_toml;

pub use own_toml::parse;

use model::{Diagnostic, Product};
use std::path::Path;

/// What reading one product file gave: the products that passed, and every problem found.
#[derive(Debug, Default)]
pub struct CatalogLoad {
    pub products: Vec<Product>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CatalogLoad {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn failed(path: &str, message: String) -> CatalogLoad {
        CatalogLoad {
            products: Vec::new(),
            diagnostics: vec![Diagnostic::error(path, 0, 0, message)],
        }
    }
}

/// Reads and validates a product file from disk.
pub fn load_file(path: &Path) -> CatalogLoad {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return CatalogLoad::failed(&shown, format!("cannot read the product file: {e}")),
    };
    match String::from_utf8(bytes) {
        Ok(text) => parse(&shown, &text, path.parent().unwrap_or(Path::new("."))),
        Err(e) => CatalogLoad::failed(
            &shown,
            format!(
                "the file is not UTF-8 text (first bad byte at offset {}); save it as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        ),
    }
}
