//! Product files, read into validated [`Product`]s with diagnostics: shopcast's own TOML and JSON, generic CSV
//! sheets, Shopify and WooCommerce exports, and Google Merchant Center feeds (XML and TSV).
//!
//! A problem in one product drops only that product (with an error naming its line and field); the rest of the
//! queue still loads. Only an unreadable file or a syntax error loses the whole file, and then the caller keeps
//! whatever queue it had.

mod csv_generic;
mod dates;
mod html;
mod json;
mod merchant;
mod own_toml;
pub mod price_text;
mod sheet;
mod shopify;
mod validate;
pub mod watch;
mod woocommerce;

pub use own_toml::parse;

use model::{Currency, Diagnostic, Product};
use std::fmt;
use std::path::Path;

/// What reading one product file gave: the products that passed, and every problem found.
#[derive(Debug, Default)]
pub struct CatalogLoad {
    pub products: Vec<Product>,
    pub diagnostics: Vec<Diagnostic>,
    /// Prices named no currency and none was given: reading again with a default currency may succeed.
    pub missing_currency: bool,
}

impl CatalogLoad {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn failed(path: &str, message: String) -> CatalogLoad {
        CatalogLoad { diagnostics: vec![Diagnostic::error(path, 0, 0, message)], ..CatalogLoad::default() }
    }
}

/// The product file formats shopcast reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// shopcast's own TOML (assets/demo/products.toml).
    Toml,
    /// shopcast's own format as JSON: `{"currency": "CNY", "products": [...]}`.
    Json,
    /// A hand-made sheet, one product per row, columns recognised by name.
    Csv,
    /// Shopify's product CSV export (rows grouped by Handle).
    Shopify,
    /// WooCommerce's product CSV export (variations attached to their parents).
    WooCommerce,
    /// A Google Merchant Center feed in RSS 2.0 or Atom.
    MerchantXml,
    /// A Google Merchant Center feed as tab-separated text.
    MerchantTsv,
}

impl Format {
    /// Every format with the name `parse_name` accepts, for help texts and error messages.
    pub const NAMES: [(&'static str, Format); 7] = [
        ("toml", Format::Toml),
        ("json", Format::Json),
        ("csv", Format::Csv),
        ("shopify", Format::Shopify),
        ("woocommerce", Format::WooCommerce),
        ("google-merchant", Format::MerchantXml),
        ("merchant-tsv", Format::MerchantTsv),
    ];

    /// Reads a format name as written on the command line or in show.toml (case and `_`/`-` ignored).
    pub fn parse_name(name: &str) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase().replace('_', "-");
        match name.as_str() {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "shopify" => Some(Format::Shopify),
            "woocommerce" | "woo" => Some(Format::WooCommerce),
            "google-merchant" | "merchant-xml" | "merchant" | "gmc" => Some(Format::MerchantXml),
            "merchant-tsv" | "google-merchant-tsv" => Some(Format::MerchantTsv),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        Format::NAMES.iter().find(|(_, f)| *f == self).map_or("toml", |(n, _)| n)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The format a file's content shows on its own, or `None` when the content alone does not tell (TOML, and
/// CSV sheets without a known export header, are then told apart by the file name).
pub fn sniff(text: &str) -> Option<Format> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let body = text.trim_start();
    if body.starts_with('<') {
        return Some(Format::MerchantXml);
    }
    if body.starts_with('{') {
        return Some(Format::Json);
    }
    if let Some(rest) = body.strip_prefix('[')
        && rest.trim_start().starts_with(['{', ']'])
    {
        return Some(Format::Json);
    }
    let first_line = body.lines().next().unwrap_or("");
    let tabbed = first_line.contains('\t');
    let cells: Vec<String> = first_line
        .split(if tabbed { '\t' } else { ',' })
        .map(|c| c.trim().trim_matches('"').trim().to_ascii_lowercase())
        .collect();
    let has = |name: &str| cells.iter().any(|c| c == name);
    if has("handle") && has("variant price") {
        return Some(Format::Shopify);
    }
    if has("type") && has("sku") && has("regular price") {
        return Some(Format::WooCommerce);
    }
    if tabbed && has("id") && has("title") && has("price") {
        return Some(Format::MerchantTsv);
    }
    None
}

/// Tells a product file's format from its content first, then its extension. A file that shows neither is
/// read as shopcast's TOML, whose errors then explain what a product file looks like.
pub fn detect(path: &Path, text: &str) -> Format {
    if let Some(format) = sniff(text) {
        return format;
    }
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("toml") => return Format::Toml,
        Some("json") => return Format::Json,
        Some("csv") => return Format::Csv,
        Some("tsv") => return Format::MerchantTsv,
        Some("xml" | "rss" | "atom") => return Format::MerchantXml,
        _ => {}
    }
    // A first line of comma-separated names with no `=` is a sheet, not TOML.
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first_line = text.trim_start().lines().next().unwrap_or("");
    if first_line.contains(',') && !first_line.contains('=') && !first_line.starts_with(['[', '#']) {
        return Format::Csv;
    }
    Format::Toml
}

/// Reads and validates a product file from disk, telling its format from its content and name.
pub fn load_file(path: &Path) -> CatalogLoad {
    load_file_as(path, None, None)
}

/// Reads and validates a product file from disk. `format` overrides detection; `default_currency` prices
/// whatever the file leaves without a currency (Shopify and WooCommerce exports never state one). shopcast's
/// TOML names its own currency and ignores the default.
pub fn load_file_as(path: &Path, format: Option<Format>, default_currency: Option<Currency>) -> CatalogLoad {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return CatalogLoad::failed(&shown, format!("cannot read the product file: {e}")),
    };
    let text = match decode(&shown, bytes) {
        Ok(text) => text,
        Err(diagnostic) => return CatalogLoad { diagnostics: vec![diagnostic], ..CatalogLoad::default() },
    };
    let format = format.unwrap_or_else(|| detect(path, &text));
    let base_dir = path.parent().unwrap_or(Path::new("."));
    parse_as(&shown, &text, base_dir, format, default_currency.as_ref())
}

/// Parses product text already in memory in the given format. `base_dir` resolves local picture paths.
pub fn parse_as(
    shown_path: &str,
    text: &str,
    base_dir: &Path,
    format: Format,
    default_currency: Option<&Currency>,
) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    match format {
        Format::Toml => own_toml::parse(shown_path, text, base_dir),
        Format::Json => json::parse(shown_path, text, base_dir, default_currency),
        Format::Csv => csv_generic::parse(shown_path, text, base_dir, default_currency),
        Format::Shopify => shopify::parse(shown_path, text, base_dir, default_currency),
        Format::WooCommerce => woocommerce::parse(shown_path, text, base_dir, default_currency),
        Format::MerchantXml => merchant::parse(shown_path, text, base_dir, default_currency),
        Format::MerchantTsv => merchant::parse_tsv(shown_path, text, base_dir, default_currency),
    }
}

/// The file's bytes as text: UTF-8 (a byte-order mark is dropped) or UTF-16 with a byte-order mark, as Excel's
/// "Unicode text" writes it. Anything else is one error naming the first bad byte's offset, line and column,
/// because a guessed encoding could turn a price or a name into something the merchandiser never wrote.
pub fn decode(shown_path: &str, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    let utf16 = |bytes: &[u8], little: bool| -> Result<String, Diagnostic> {
        let units = bytes.chunks(2).map(|pair| match (pair.first(), pair.get(1)) {
            (Some(&a), Some(&b)) if little => u16::from_le_bytes([a, b]),
            (Some(&a), Some(&b)) => u16::from_be_bytes([a, b]),
            // An odd trailing byte cannot be a UTF-16 unit; let it decode as a replacement and fail below.
            _ => 0xD800,
        });
        char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| {
            Diagnostic::error(
                shown_path,
                0,
                0,
                "the file starts like UTF-16 text but is not valid UTF-16; save it as UTF-8 (in Excel: Save As > \
                 CSV UTF-8)",
            )
        })
    };
    match bytes.as_slice() {
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, true),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, false),
        _ => {}
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{FEFF}') {
                text.drain(..'\u{FEFF}'.len_utf8());
            }
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let valid = std::str::from_utf8(bytes.get(..offset).unwrap_or_default()).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let col = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let byte = bytes.get(offset).copied().unwrap_or(0);
            Err(Diagnostic::error(
                shown_path,
                line,
                col,
                format!(
                    "the file is not UTF-8 text: byte 0x{byte:02X} at offset {offset} (line {line}, column {col}) \
                     is not valid UTF-8; it was probably saved as Windows-1252 or GBK. Save it as UTF-8 (in Excel: \
                     Save As > CSV UTF-8) and load it again"
                ),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_round_trip() {
        for (name, format) in Format::NAMES {
            assert_eq!(Format::parse_name(name), Some(format));
            assert_eq!(format.name(), name);
        }
        assert_eq!(Format::parse_name("Merchant_XML"), Some(Format::MerchantXml));
        assert_eq!(Format::parse_name("WooCommerce"), Some(Format::WooCommerce));
        assert_eq!(Format::parse_name("xlsx"), None);
    }

    #[test]
    fn detection_reads_content_before_the_file_name() {
        let p = Path::new;
        assert_eq!(detect(p("a.csv"), "Handle,Title,Variant Price\n"), Format::Shopify);
        assert_eq!(detect(p("a.txt"), "\u{FEFF}ID,Type,SKU,Name,\"Regular price\"\r\n"), Format::WooCommerce);
        assert_eq!(detect(p("feed.txt"), "id\ttitle\tprice\n"), Format::MerchantTsv);
        assert_eq!(detect(p("feed"), "<?xml version=\"1.0\"?><rss/>"), Format::MerchantXml);
        assert_eq!(detect(p("a.toml"), "  {\"products\": []}"), Format::Json);
        assert_eq!(detect(p("a.json"), "[ {\"id\": 1} ]"), Format::Json);
        assert_eq!(detect(p("a"), "[[product]]\nid = \"x\""), Format::Toml);
        assert_eq!(detect(p("products.toml"), "id,title,price\n"), Format::Toml);
        assert_eq!(detect(p("sheet.CSV"), "x"), Format::Csv);
        assert_eq!(detect(p("sheet"), "id,title,price\n"), Format::Csv);
        assert_eq!(detect(p("sheet"), "currency = \"CNY\", # x\n"), Format::Toml);
    }

    #[test]
    fn text_in_another_encoding_is_one_error_at_its_byte() {
        // "Café" in Windows-1252 on the second line.
        let bytes = b"id,title,price\ncafe,Caf\xE9,5\n".to_vec();
        let err = decode("menu.csv", bytes).unwrap_err();
        assert_eq!((err.line, err.col), (2, 9));
        assert!(err.message.contains("byte 0xE9 at offset 23 (line 2, column 9)"), "{}", err.message);
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("id\t价".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode("feed.txt", utf16).unwrap(), "id\t价");
        assert_eq!(decode("x", b"\xEF\xBB\xBFid".to_vec()).unwrap(), "id");
        assert!(decode("x", vec![0xFF, 0xFE, 0x00]).is_err());
    }

    /// Cuts every text at many places and sprinkles markup characters in, then reads each result in every
    /// format: whatever the input, an importer reports and returns, never panics.
    fn no_importer_panics_on_any_cut_of(mut texts: Vec<String>) {
        texts.push("{\"currency\": \"CNY\", \"products\": [{\"id\": \"a\", \"title\": {\"zh\": \"茶\"}, \"price\": \"1\", \"variants\": [{\"price\": 2}]}]}".into());
        texts.push("id\ttitle\tprice\titem_group_id\nx\t茶\t1 CNY\tg\n".into());
        let usd = Currency::parse("USD");
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for text in &texts {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            for step in 0..120 {
                let cut = boundaries[(next() as usize) % boundaries.len()];
                let mut mutated = text[..cut].to_string();
                if step % 2 == 0 {
                    let extra = ["\"", "<", ">", ",", "\t", "{", "}", "[", "&", "&#x", "\r\n", "\u{FEFF}", "¥", "-"];
                    mutated.push_str(extra[(next() as usize) % extra.len()]);
                    mutated.push_str(&text[cut..]);
                }
                for (_, format) in Format::NAMES {
                    let _ = parse_as("fuzz", &mutated, Path::new("."), format, usd.as_ref());
                }
            }
        }
    }

    /// Our own Shopify and WooCommerce exports and the copied Merchant feed (testdata/), in every checkout.
    #[test]
    fn no_input_makes_an_importer_panic() {
        let texts = [
            "catalogs/shopify/tea_shop_export.csv",
            "catalogs/woocommerce/kitchen_export.csv",
            "catalogs/google-merchant/product_feed_example.xml",
        ]
        .map(testkit::testdata_text);
        no_importer_panics_on_any_cut_of(texts.to_vec());
    }

    /// The platforms' own samples, which may not be copied into the repository, from the outside corpus.
    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn no_corpus_export_makes_an_importer_panic() {
        let texts = ["catalogs/shopify/product_template.csv", "catalogs/woocommerce/sample_products.csv"]
            .map(testkit::corpus_text);
        no_importer_panics_on_any_cut_of(texts.to_vec());
    }
}
