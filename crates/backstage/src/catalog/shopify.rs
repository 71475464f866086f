//! Shopify's product CSV export: rows grouped by Handle into one product with its variants and pictures.
//!
//! In Shopify's layout the first row of a handle carries the product (title, body, options' names, status) and
//! every row may add a variant (option values, SKU, price, stock) and a picture (Image Src at Image Position).
//! Drafts and archived products are skipped with a warning, so a show never pitches what the shop does not
//! sell. The export never states the currency, so it comes from the caller's default.

use super::CatalogLoad;
use super::html;
use super::sheet::Sheet;
use super::validate::{self, Draft, Intake, Labels, Spot};
use model::{Currency, Variant};
use std::collections::HashMap;
use std::path::Path;

const LABELS: Labels<'static> = Labels { id: "Handle", title: "Title", price: "Variant Price" };

/// The columns this importer reads, by Shopify's header names.
struct Columns {
    handle: Option<usize>,
    title: Option<usize>,
    body: Option<usize>,
    tags: Option<usize>,
    published: Option<usize>,
    status: Option<usize>,
    option_names: [Option<usize>; 3],
    option_values: [Option<usize>; 3],
    sku: Option<usize>,
    tracker: Option<usize>,
    qty: Option<usize>,
    price: Option<usize>,
    compare_at: Option<usize>,
    image_src: Option<usize>,
    image_position: Option<usize>,
    variant_image: Option<usize>,
}

impl Columns {
    fn find(sheet: &Sheet<'_>) -> Columns {
        let c = |name: &str| sheet.column(name);
        Columns {
            handle: c("Handle"),
            title: c("Title"),
            body: c("Body (HTML)"),
            tags: c("Tags"),
            published: c("Published"),
            status: c("Status"),
            option_names: [c("Option1 Name"), c("Option2 Name"), c("Option3 Name")],
            option_values: [c("Option1 Value"), c("Option2 Value"), c("Option3 Value")],
            sku: c("Variant SKU"),
            tracker: c("Variant Inventory Tracker"),
            qty: c("Variant Inventory Qty"),
            price: c("Variant Price"),
            compare_at: c("Variant Compare At Price"),
            image_src: c("Image Src"),
            image_position: c("Image Position"),
            variant_image: c("Variant Image"),
        }
    }
}

/// One handle's rows, gathered before the product is judged as a whole.
struct Group {
    draft: Draft,
    option_names: [Option<String>; 3],
    /// Why the shop would not sell it (draft, archived, unpublished), if so.
    not_for_sale: Option<String>,
    /// Pictures with their Image Position (rows without one keep file order after those with one).
    pictures: Vec<(u32, String)>,
    variant_pictures: Vec<String>,
}

/// Parses a Shopify product CSV export.
pub fn parse(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "Shopify exports do not state the store's currency; pass it as `--currency USD` (or set `currency` under \
         [show] in show.toml)",
    );
    let Some(mut sheet) = Sheet::open(text, b',') else {
        intake.error(Spot::line(1), "the file is empty; export the products from Shopify again");
        return intake.finish();
    };
    let c = Columns::find(&sheet);
    let missing: Vec<&str> = [("Handle", c.handle), ("Title", c.title), ("Variant Price", c.price)]
        .into_iter()
        .filter(|(_, col)| col.is_none())
        .map(|(name, _)| name)
        .collect();
    if !missing.is_empty() {
        intake.error(
            Spot::line(sheet.header_line),
            format!(
                "this is not a Shopify product export: the header has no {} column; export the products from \
                 Shopify again, or read the file as a generic CSV",
                missing.join(", no ")
            ),
        );
        return intake.finish();
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut by_handle: HashMap<String, usize> = HashMap::new();
    while let Some(row) = sheet.next_row() {
        if let Err(problem) = row {
            intake.error(problem.at, problem.message);
            continue;
        }
        let Some(handle) = sheet.get(c.handle) else {
            intake.error(
                sheet.row_spot(),
                "this row has no `Handle`, so it belongs to no product; fill in the product's handle",
            );
            continue;
        };
        let index = match by_handle.get(handle) {
            Some(&index) => {
                if sheet.get(c.title).is_some() && groups.get(index).is_some_and(|g| !g.draft.title.is_empty()) {
                    let first = groups.get(index).map_or(0, |g| g.draft.at.line);
                    intake.error(
                        sheet.spot(c.title),
                        format!(
                            "product \"{handle}\": duplicate id (first used at line {first}); a second product row \
                             with the same `Handle` is ignored: give each product its own handle"
                        ),
                    );
                    continue;
                }
                index
            }
            None => {
                by_handle.insert(handle.to_string(), groups.len());
                groups.push(start_group(&sheet, &c, handle));
                groups.len() - 1
            }
        };
        let Some(group) = groups.get_mut(index) else { continue };
        read_row(&sheet, &c, group, &mut intake, default_currency);
    }

    for group in groups {
        finish_group(group, &mut intake);
    }
    intake.finish()
}

fn start_group(sheet: &Sheet<'_>, c: &Columns, handle: &str) -> Group {
    let mut draft = Draft::at(sheet.row_spot());
    draft.id = Some(handle.to_string());
    if let Some(title) = sheet.get(c.title) {
        draft.title = validate::detected(title);
    }
    if let Some(body) = sheet.get(c.body) {
        draft.description = validate::detected(&html::to_text(body));
    }
    if let Some(tags) = sheet.get(c.tags) {
        draft.tags = validate::split_list(tags, &[',']);
    }
    let status = sheet.get(c.status).map(str::to_ascii_lowercase);
    let published = sheet.get(c.published).and_then(validate::parse_flag);
    let not_for_sale = match (status.as_deref(), published) {
        (Some("active"), _) => None,
        (Some(other), _) => Some(format!("its Status is {other}")),
        (None, Some(false)) => Some("it is not published (Published is FALSE)".to_string()),
        (None, _) => None,
    };
    Group {
        draft,
        option_names: c.option_names.map(|col| sheet.get(col).map(str::to_string)),
        not_for_sale,
        pictures: Vec::new(),
        variant_pictures: Vec::new(),
    }
}

fn read_row(
    sheet: &Sheet<'_>,
    c: &Columns,
    group: &mut Group,
    intake: &mut Intake<'_>,
    default_currency: Option<&Currency>,
) {
    // The first row of a handle names the product; later ones may fill a title in that it lacked.
    if group.draft.title.is_empty()
        && let Some(title) = sheet.get(c.title)
    {
        group.draft.title = validate::detected(title);
    }
    if let Some(src) = sheet.get(c.image_src) {
        let position = sheet.get(c.image_position).and_then(|p| p.parse().ok()).unwrap_or(u32::MAX);
        if let Some(reference) = intake.variant_image(&mut group.draft, "Image Src", src, || sheet.spot(c.image_src)) {
            group.pictures.push((position, reference));
        }
    }

    let mut options = Vec::new();
    for (name, value) in group.option_names.iter().zip(c.option_values) {
        let Some(value) = sheet.get(value) else { continue };
        let name = name.clone().unwrap_or_default();
        // Shopify's products without options have one variant called "Title: Default Title".
        if name == "Title" && value == "Default Title" {
            continue;
        }
        options.push((name, value.to_string()));
    }
    let sku = sheet.get(c.sku);
    let price_text = sheet.get(c.price);
    let is_variant = price_text.is_some() || sku.is_some() || !options.is_empty() || sheet.get(c.qty).is_some();
    if !is_variant {
        return;
    }
    let draft = &mut group.draft;
    let price = match price_text {
        Some(text) => intake.money(draft, "Variant Price", text, default_currency, || sheet.spot(c.price)),
        None => {
            draft.failed = true;
            let context = draft.context();
            intake.error(
                sheet.spot(c.price),
                format!(
                    "{context}: variant {} has no `Variant Price`; fill in its price",
                    sku.unwrap_or("on this row")
                ),
            );
            None
        }
    };
    let Some(price) = price else {
        draft.price_failed = true;
        return;
    };
    let compare_at = sheet.get(c.compare_at).and_then(|text| {
        intake.money(draft, "Variant Compare At Price", text, default_currency, || sheet.spot(c.compare_at))
    });
    // An empty Inventory Tracker means Shopify does not count this variant, so its quantity means nothing.
    let tracked = c.tracker.is_none() || sheet.get(c.tracker).is_some();
    let stock = match sheet.get(c.qty) {
        Some(text) if tracked => intake.stock(draft, "Variant Inventory Qty", text, || sheet.spot(c.qty)),
        _ => None,
    };
    let image = sheet
        .get(c.variant_image)
        .and_then(|src| intake.variant_image(draft, "Variant Image", src, || sheet.spot(c.variant_image)));
    if let Some(image) = &image {
        group.variant_pictures.push(image.clone());
    }
    draft.variants.push(Variant { sku: sku.map(str::to_string), options, price, compare_at, stock, image });
}

fn finish_group(mut group: Group, intake: &mut Intake<'_>) {
    if let Some(reason) = group.not_for_sale {
        intake.warning(
            group.draft.at,
            format!("{}: skipped because {reason}; set Status to active to show it", group.draft.context()),
        );
        return;
    }
    let draft = &mut group.draft;
    if let Some(first) = draft.variants.first() {
        draft.price = Some(first.price.clone());
        draft.compare_at = first.compare_at.clone();
    }
    let stated: Vec<u32> = draft.variants.iter().filter_map(|v| v.stock).collect();
    if !stated.is_empty() {
        draft.stock = Some(stated.iter().fold(0u32, |sum, n| sum.saturating_add(*n)));
    }
    // A product without options is one variant in Shopify's layout: its SKU, price and stock are the product's.
    if draft.variants.len() == 1 && draft.variants.iter().all(|v| v.options.is_empty()) {
        draft.variants.clear();
    }
    group.pictures.sort_by_key(|(position, _)| *position);
    for reference in group.pictures.iter().map(|(_, r)| r).chain(&group.variant_pictures) {
        intake.add_checked_image(draft, reference);
    }
    intake.admit(group.draft, &LABELS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Format, load_file_as, parse_as};

    const FIXTURE: &str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/catalogs/shopify/product_template.csv");

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn fixture_text() -> String {
        std::fs::read_to_string(FIXTURE).unwrap()
    }

    fn load(text: &str) -> CatalogLoad {
        parse("product_template.csv", text, Path::new("."), Some(&usd()))
    }

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn the_shopify_template_gives_one_shirt_with_twelve_variants_and_skips_draft_and_archived() {
        let load = load_file_as(Path::new(FIXTURE), None, Some(usd()));
        assert_eq!(load.products.len(), 1, "{:?}", load.diagnostics);
        let shirt = &load.products[0];
        assert_eq!(shirt.id.0, "example-shirt");
        assert_eq!(shirt.title.en.as_deref(), Some("Example T-Shirt"));
        assert!(shirt.title.zh.is_none());
        assert_eq!(
            shirt.description.en.as_deref(),
            Some(
                "This t-shirt is as simple as it gets. Easy to wear and insanely comfortable. Plus, it's made right \
                 here in our store for that extra special touch. Order a custom design or keep it blank for a \
                 classic look you can print on."
            )
        );
        assert_eq!((shirt.price.minor, shirt.price.currency.code()), (2500, "USD"));
        assert_eq!(shirt.compare_at, None);
        // The shirt's variants have no Inventory Tracker, so Shopify does not count them: no stock is claimed.
        assert_eq!(shirt.stock, None);
        assert_eq!(shirt.tags, ["Made to Order", "Shirt Tag"]);
        assert_eq!(shirt.variants.len(), 12);
        let first = &shirt.variants[0];
        assert_eq!(first.sku.as_deref(), Some("SRT_COT_111"));
        assert_eq!(first.options, [("Color".to_string(), "Green".to_string()), ("Size".to_string(), "S".to_string())]);
        assert_eq!(first.price.minor, 2500);
        assert_eq!(first.image.as_deref(), Some("https://burst.shopifycdn.com/photos/green-t-shirt.jpg?width=1500"));
        let last = &shirt.variants[11];
        assert_eq!(last.sku.as_deref(), Some("SRT_COT_433"));
        assert_eq!(last.title(), "Purple / L");
        assert_eq!(last.image.as_deref(), Some("https://burst.shopifycdn.com/photos/purple-t-shirt.jpg?width=1500"));
        assert!(shirt.variants.iter().all(|v| v.price.minor == 2500 && v.stock.is_none()));
        let pictures: Vec<&str> = shirt.images.iter().map(|s| s.trim_end_matches("?width=1500")).collect();
        assert_eq!(
            pictures,
            [
                "https://burst.shopifycdn.com/photos/tshirts.jpg",
                "https://burst.shopifycdn.com/photos/blank-colored-t-shirts.jpg",
                "https://burst.shopifycdn.com/photos/green-t-shirt.jpg",
                "https://burst.shopifycdn.com/photos/cobalt-blue-t-shirt.jpg",
                "https://burst.shopifycdn.com/photos/grey-t-shirt.jpg",
                "https://burst.shopifycdn.com/photos/purple-t-shirt.jpg",
            ]
        );
        assert_eq!(shirt.image, None, "URLs are never the local offer-card picture");
        let path = Path::new(FIXTURE).display().to_string();
        assert_eq!(
            shown(&load),
            [
                format!(
                    "{path}:14:1: warning: product \"example-pants\": skipped because its Status is draft; set Status \
                     to active to show it"
                ),
                format!(
                    "{path}:18:1: warning: product \"example-hat\": skipped because its Status is archived; set \
                     Status to active to show it"
                ),
            ]
        );
    }

    #[test]
    fn the_template_is_detected_as_shopify_and_needs_the_store_currency() {
        let text = fixture_text();
        assert_eq!(crate::catalog::detect(Path::new("x.csv"), &text), Format::Shopify);
        let load = parse_as("t.csv", &text, Path::new("."), Format::Shopify, None);
        assert!(load.products.is_empty());
        assert_eq!(
            shown(&load),
            [
                "t.csv:0:0: error: Shopify exports do not state the store's currency; pass it as `--currency USD` (or \
                 set `currency` under [show] in show.toml)",
                "t.csv:14:1: warning: product \"example-pants\": skipped because its Status is draft; set Status to \
                 active to show it",
                "t.csv:18:1: warning: product \"example-hat\": skipped because its Status is archived; set Status to \
                 active to show it",
            ]
        );
    }

    #[test]
    fn an_active_product_with_one_default_variant_has_no_variants_and_a_tracked_stock() {
        // The beanie made active: Shopify's "Title: Default Title" variant becomes the product's own price.
        let text = fixture_text().replace(",archived", ",active");
        let load = load(&text);
        let hat = load.products.iter().find(|p| p.id.0 == "example-hat").unwrap();
        assert_eq!((hat.price.minor, hat.compare_at.as_ref().map(|m| m.minor)), (1799, Some(2299)));
        assert_eq!(hat.stock, Some(50));
        assert!(hat.variants.is_empty());
        assert_eq!(hat.images, ["https://burst.shopifycdn.com/photos/kids-beanie.jpg?width=1500"]);
    }

    #[test]
    fn a_bad_variant_price_drops_the_shirt_with_the_cell_named() {
        let text =
            fixture_text().replacen("SRT_COT_122,145,,0,deny,manual,25,", "SRT_COT_122,145,,0,deny,manual,25..0,", 1);
        let load = load(&text);
        assert!(load.products.is_empty());
        assert_eq!(
            shown(&load)[0],
            "product_template.csv:3:65: error: product \"example-shirt\": `Variant Price`: \"25..0\" is not a price; \
             write it like \"1299.00\" (digits, one decimal point, no letters)"
        );
    }

    #[test]
    fn a_truncated_row_and_a_duplicate_handle_are_reported_at_their_lines() {
        let text = fixture_text();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // Line 10 cut after its SKU, as a failed copy would leave it, then a second product row for the shirt.
        let cut = lines[9].find("SRT_COT_333").unwrap() + "SRT_COT_333".len();
        let broken = format!("{}{}\n{}{}", lines[..9].concat(), &lines[9][..cut], lines[10..].concat(), lines[1]);
        let load = load(&broken);
        let shown = shown(&load);
        assert_eq!(
            shown[0],
            "product_template.csv:10:1: error: this row has 15 of the header's 48 columns (it stops after \"Variant \
             SKU\"); it looks cut short: restore the missing values or export the file again"
        );
        assert!(
            shown[1].starts_with(
                "product_template.csv:19:15: error: product \"example-shirt\": duplicate id (first used at line 2)"
            ),
            "{shown:?}"
        );
        assert_eq!(load.products.len(), 1);
        assert_eq!(load.products[0].variants.len(), 11);
    }

    #[test]
    fn a_file_in_windows_1252_is_one_error_naming_the_byte() {
        let dir = std::env::temp_dir().join(format!("shopcast-shopify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("export.csv");
        let bytes = fixture_text().replacen("Example T-Shirt", "Example T-Shirt caf\u{e9}", 1).into_bytes();
        // Re-encode the é as Windows-1252 writes it (one byte, 0xE9).
        let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
        let mut cp1252 = bytes[..at].to_vec();
        cp1252.push(0xE9);
        cp1252.extend_from_slice(&bytes[at + 2..]);
        std::fs::write(&path, &cp1252).unwrap();
        let load = load_file_as(&path, None, Some(usd()));
        std::fs::remove_dir_all(&dir).ok();
        assert!(load.products.is_empty());
        assert_eq!(load.diagnostics.len(), 1);
        let d = &load.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 34));
        assert!(d.message.contains(&format!("byte 0xE9 at offset {at} (line 2, column 34)")), "{}", d.message);
    }
}
