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
    if let Some(total) = validate::stock_of_variants(&draft.variants) {
        draft.stock = Some(total);
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
    use std::path::PathBuf;

    /// Our own tea shop's export (testdata/THIRD_PARTY.md, "Our own"), so these tests run in every checkout.
    const TEA_SHOP: &str = "catalogs/shopify/tea_shop_export.csv";

    /// Shopify's own sample, which has no licence and so stays in the outside corpus (`SHOPCAST_CORPUS`).
    const TEMPLATE: &str = "catalogs/shopify/product_template.csv";

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn tea_shop_text() -> String {
        testkit::testdata_text(TEA_SHOP)
    }

    fn load_tea_shop(text: &str) -> CatalogLoad {
        parse("tea_shop_export.csv", text, Path::new("."), Some(&usd()))
    }

    fn fixture() -> PathBuf {
        testkit::corpus(TEMPLATE)
    }

    fn fixture_text() -> String {
        testkit::corpus_text(TEMPLATE)
    }

    fn load(text: &str) -> CatalogLoad {
        parse("product_template.csv", text, Path::new("."), Some(&usd()))
    }

    /// `text` with " café" after the first `after`, saved in Windows-1252 (the é as the one byte 0xE9) and loaded
    /// from a file; returns the load and the byte's offset.
    fn load_in_windows_1252(text: &str, after: &str) -> (CatalogLoad, usize) {
        let dir = std::env::temp_dir().join(format!("shopcast-shopify-1252-{}-{}", std::process::id(), after.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("export.csv");
        let bytes = text.replacen(after, &format!("{after} caf\u{e9}"), 1).into_bytes();
        let at = bytes.windows(2).position(|w| w == [0xC3, 0xA9]).unwrap();
        let mut cp1252 = bytes[..at].to_vec();
        cp1252.push(0xE9);
        cp1252.extend_from_slice(&bytes[at + 2..]);
        std::fs::write(&path, &cp1252).unwrap();
        let load = load_file_as(&path, None, Some(usd()));
        std::fs::remove_dir_all(&dir).ok();
        (load, at)
    }

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    fn product<'a>(load: &'a CatalogLoad, id: &str) -> &'a model::Product {
        load.products.iter().find(|p| p.id.0 == id).unwrap_or_else(|| panic!("no product {id}: {:?}", shown(load)))
    }

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// A variant as a merchandiser checks it: SKU, title, price, compare-at, stock and picture.
    type VariantRow<'a> = (&'a str, String, i64, Option<i64>, Option<u32>, &'a str);

    const CDN: &str = "https://cdn.shopify.com/s/files/1/0000/0001/files/";

    #[test]
    fn the_tea_shop_export_groups_variants_by_handle_and_skips_the_draft_and_the_archived_product() {
        let path = testkit::testdata(TEA_SHOP);
        let text = tea_shop_text();
        assert!(text.contains("\r\n"), "Shopify writes CRLF line ends");
        let load = load_file_as(&path, None, Some(usd()));
        let ids: Vec<&str> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(ids, ["dragon-well-green-tea", "lapsang-souchong", "xi-shi-clay-teapot", "linen-tea-towel"]);
        // The draft and the archived product are named at the line their handle starts on; the Dragon Well's
        // description runs over lines 2 to 6, so the lines are physical lines, not row numbers.
        let path = path.display().to_string();
        assert_eq!(
            shown(&load),
            [
                format!(
                    "{path}:12:1: warning: product \"jasmine-pearls\": skipped because its Status is draft; set \
                     Status to active to show it"
                ),
                format!(
                    "{path}:18:1: warning: product \"aged-puerh-cake-2015\": skipped because its Status is archived; \
                     set Status to active to show it"
                ),
            ]
        );
        assert!(load.products.iter().all(|p| p.price.currency.code() == "USD" && p.image.is_none()));

        // Six rows of one handle are one tea with six variants over two options, in the file's order.
        let tea = product(&load, "dragon-well-green-tea");
        assert_eq!(tea.title.en.as_deref(), Some("Dragon Well Green Tea"));
        assert!(tea.title.zh.is_none());
        assert_eq!(
            tea.description.en.as_deref(),
            Some(
                "Flat, jade-green leaves from the hills above West Lake, pan-fired by hand in early April.\nBrew at \
                 80 °C for 2 minutes\nThree infusions from one spoonful"
            )
        );
        assert_eq!(tea.tags, ["green tea", "spring harvest", "Zhejiang"]);
        let tin = format!("{CDN}dragon-well-tin.jpg?v=1730000001");
        let pouch = format!("{CDN}dragon-well-pouch.jpg?v=1730000002");
        let variants: Vec<VariantRow<'_>> = tea
            .variants
            .iter()
            .map(|v| {
                let sku = v.sku.as_deref().unwrap_or("");
                let was = v.compare_at.as_ref().map(|m| m.minor);
                (sku, v.title(), v.price.minor, was, v.stock, v.image.as_deref().unwrap_or(""))
            })
            .collect();
        assert_eq!(
            variants,
            [
                ("DW-050-TIN", "50 g / Tin".to_string(), 1400, None, Some(24), tin.as_str()),
                ("DW-050-REF", "50 g / Refill pouch".to_string(), 1150, None, Some(31), pouch.as_str()),
                ("DW-100-TIN", "100 g / Tin".to_string(), 2500, None, Some(12), tin.as_str()),
                ("DW-100-REF", "100 g / Refill pouch".to_string(), 2100, None, Some(0), pouch.as_str()),
                ("DW-250-TIN", "250 g / Tin".to_string(), 5200, Some(5800), Some(5), tin.as_str()),
                ("DW-250-REF", "250 g / Refill pouch".to_string(), 4500, Some(5000), Some(9), pouch.as_str()),
            ]
        );
        assert_eq!(tea.variants[0].options, opts(&[("Weight", "50 g"), ("Packaging", "Tin")]));
        // The product's price is its first variant's; every variant is tracked, so the stock is their sum.
        assert_eq!((tea.price.minor, tea.compare_at.clone()), (1400, None));
        assert_eq!(tea.stock, Some(81), "24 + 31 + 12 + 0 + 5 + 9");
        // Pictures in Image Position order; the variants' own pictures are among them and are not repeated.
        assert_eq!(
            tea.images,
            [
                format!("{CDN}dragon-well-leaves.jpg?v=1730000000"),
                tin.clone(),
                pouch.clone(),
                format!("{CDN}dragon-well-cup.jpg?v=1730000003"),
            ]
        );

        // A Chinese title, description and option are read as Chinese.
        let lapsang = product(&load, "lapsang-souchong");
        assert_eq!((lapsang.title.zh.as_deref(), lapsang.title.en.as_deref()), (Some("正山小种红茶"), None));
        assert_eq!(lapsang.description.zh.as_deref(), Some("武夷山桐木关的松烟红茶，带桂圆香。"));
        assert_eq!((lapsang.price.minor, lapsang.compare_at.as_ref().map(|m| m.minor)), (1600, Some(2000)));
        assert_eq!(lapsang.percent_off(), Some(20));
        assert_eq!(lapsang.stock, Some(25));
        assert_eq!(lapsang.variants[1].options, opts(&[("规格", "200克")]));
        assert_eq!(
            (lapsang.variants[1].price.minor, lapsang.variants[1].compare_at.as_ref().map(|m| m.minor)),
            (2900, Some(3600))
        );

        // The linen towels are not counted by Shopify (no Inventory Tracker): the "0" beside them claims nothing.
        let towel = product(&load, "linen-tea-towel");
        assert_eq!(towel.description.en.as_deref(), Some("Stonewashed linen, 50 × 70 cm, with a hanging loop."));
        assert_eq!(towel.stock, None);
        assert!(towel.variants.iter().all(|v| v.stock.is_none() && v.price.minor == 1200 && v.compare_at.is_none()));
        assert_eq!(
            towel.images,
            [format!("{CDN}towel-indigo.jpg?v=1730000040"), format!("{CDN}towel-natural.jpg?v=1730000041")]
        );
    }

    #[test]
    fn a_product_with_one_default_variant_has_no_variants_and_its_tracked_stock() {
        let load = load_tea_shop(&tea_shop_text());
        let teapot = product(&load, "xi-shi-clay-teapot");
        // The title was a quoted cell with a comma and doubled quotes in it.
        assert_eq!(teapot.title.en.as_deref(), Some("Yixing Clay Teapot, \"Xi Shi\" Shape"));
        assert_eq!(
            teapot.description.en.as_deref(),
            Some("Hand-built from purple clay & fired twice.\nHolds 200 ml: two small cups.")
        );
        // Shopify's "Title: Default Title" variant is the product itself: its price, compare-at and stock.
        assert!(teapot.variants.is_empty());
        assert_eq!((teapot.price.minor, teapot.compare_at.as_ref().map(|m| m.minor)), (6800, Some(8500)));
        assert_eq!(teapot.percent_off(), Some(20));
        assert_eq!(teapot.stock, Some(7));
        // The second picture comes on a row of its own that carries nothing else.
        assert_eq!(
            teapot.images,
            [format!("{CDN}xi-shi-front.jpg?v=1730000020"), format!("{CDN}xi-shi-lid.jpg?v=1730000021")]
        );
    }

    #[test]
    fn the_tea_shop_export_is_detected_as_shopify_and_needs_the_store_currency() {
        let text = tea_shop_text();
        assert_eq!(crate::catalog::detect(Path::new("x.csv"), &text), Format::Shopify);
        let load = parse_as("t.csv", &text, Path::new("."), Format::Shopify, None);
        assert!(load.products.is_empty());
        assert!(load.missing_currency);
        assert_eq!(
            shown(&load),
            [
                "t.csv:0:0: error: Shopify exports do not state the store's currency; pass it as `--currency USD` (or \
                 set `currency` under [show] in show.toml)",
                "t.csv:12:1: warning: product \"jasmine-pearls\": skipped because its Status is draft; set Status to \
                 active to show it",
                "t.csv:18:1: warning: product \"aged-puerh-cake-2015\": skipped because its Status is archived; set \
                 Status to active to show it",
            ]
        );
    }

    #[test]
    fn a_bad_variant_price_drops_only_its_product_with_the_cell_named() {
        let text = tea_shop_text().replacen(
            "DW-100-TIN,230,shopify,12,deny,manual,25.00,",
            "DW-100-TIN,230,shopify,12,deny,manual,25..00,",
            1,
        );
        let load = load_tea_shop(&text);
        let ids: Vec<&str> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(ids, ["lapsang-souchong", "xi-shi-clay-teapot", "linen-tea-towel"]);
        // Line 8 is the 100 g tin's row; column 82 is where its Variant Price cell starts.
        assert_eq!(
            shown(&load)[0],
            "tea_shop_export.csv:8:82: error: product \"dragon-well-green-tea\": `Variant Price`: \"25..00\" is not a \
             price; write it like \"1299.00\" (digits, one decimal point, no letters)"
        );
        assert_eq!(shown(&load).len(), 3, "the error, then the draft and the archived product: {:?}", shown(&load));
    }

    #[test]
    fn a_cut_row_and_a_pasted_product_row_are_reported_at_their_lines() {
        let text = tea_shop_text();
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        // Line 10 (the 250 g tin) cut after its SKU, as a failed copy would leave it, and the Lapsang's product row
        // (line 14) pasted again at the end, as line 21.
        let cut = lines[9].find("DW-250-TIN").unwrap() + "DW-250-TIN".len();
        let broken = format!("{}{}\n{}{}", lines[..9].concat(), &lines[9][..cut], lines[10..].concat(), lines[13]);
        let load = load_tea_shop(&broken);
        let shown = shown(&load);
        assert_eq!(
            shown[0],
            "tea_shop_export.csv:10:1: error: this row has 15 of the header's 48 columns (it stops after \"Variant \
             SKU\"); it looks cut short: restore the missing values or export the file again"
        );
        assert_eq!(
            shown[1],
            "tea_shop_export.csv:21:18: error: product \"lapsang-souchong\": duplicate id (first used at line 14); a \
             second product row with the same `Handle` is ignored: give each product its own handle"
        );
        // Only the cut row is lost: the tea keeps its other five variants, the Lapsang its two.
        let tea = product(&load, "dragon-well-green-tea");
        assert_eq!(tea.variants.len(), 5);
        assert!(!tea.variants.iter().any(|v| v.sku.as_deref() == Some("DW-250-TIN")));
        assert_eq!(tea.stock, Some(76), "81 less the 5 tins on the cut row");
        assert_eq!(product(&load, "lapsang-souchong").variants.len(), 2);
        assert_eq!(load.products.len(), 4);
    }

    #[test]
    fn a_tea_shop_export_in_windows_1252_is_one_error_naming_the_byte() {
        let (load, at) = load_in_windows_1252(&tea_shop_text(), "Linen Tea Towel");
        assert!(load.products.is_empty());
        assert_eq!(load.diagnostics.len(), 1);
        let d = &load.diagnostics[0];
        // The towel's title on line 19: "linen-tea-towel,Linen Tea Towel caf" is 35 characters, so the byte is at 36.
        assert_eq!((d.line, d.col), (19, 36));
        assert!(d.message.contains(&format!("byte 0xE9 at offset {at} (line 19, column 36)")), "{}", d.message);
    }

    // Shopify's own sample, read where CI keeps it. It shows the importer meets the real export byte for byte.

    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn the_shopify_template_gives_one_shirt_with_twelve_variants_and_skips_draft_and_archived() {
        let load = load_file_as(&fixture(), None, Some(usd()));
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
        let path = fixture().display().to_string();
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
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
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
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
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
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
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
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
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
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn a_file_in_windows_1252_is_one_error_naming_the_byte() {
        let (load, at) = load_in_windows_1252(&fixture_text(), "Example T-Shirt");
        assert!(load.products.is_empty());
        assert_eq!(load.diagnostics.len(), 1);
        let d = &load.diagnostics[0];
        assert_eq!((d.line, d.col), (2, 34));
        assert!(d.message.contains(&format!("byte 0xE9 at offset {at} (line 2, column 34)")), "{}", d.message);
    }
}
