//! WooCommerce's product CSV export: simple, variable, grouped and external products, with each variation row
//! attached to its parent as a variant.
//!
//! WooCommerce writes a BOM and CRLF line ends, marks drafts and private products in "Published" (-1, 0, 1),
//! gives a sale price next to the regular price with optional sale dates, and names a variation's parent by
//! "id:123" or by SKU. A grouped product has no price of its own (its members are listed separately), so it is
//! skipped with a warning. The export never states the currency, so it comes from the caller's default.

use super::CatalogLoad;
use super::dates;
use super::html;
use super::sheet::Sheet;
use super::validate::{self, Draft, Intake, Labels, Spot};
use model::{Currency, Localized, Money, OfferWindow, Spec, Variant};
use std::collections::HashMap;
use std::path::Path;

const LABELS: Labels<'static> = Labels { id: "SKU", title: "Name", price: "Regular price" };

/// How many "Attribute N" column groups are read.
const MAX_ATTRIBUTES: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Simple,
    Variable,
    Variation,
    Grouped,
    External,
}

impl Kind {
    /// "simple, downloadable, virtual" is a simple product with extra flags.
    fn parse(text: &str) -> Option<Kind> {
        text.split(',').find_map(|part| match part.trim().to_ascii_lowercase().as_str() {
            "simple" => Some(Kind::Simple),
            "variable" => Some(Kind::Variable),
            "variation" => Some(Kind::Variation),
            "grouped" => Some(Kind::Grouped),
            "external" => Some(Kind::External),
            _ => None,
        })
    }
}

struct Columns {
    id: Option<usize>,
    kind: Option<usize>,
    sku: Option<usize>,
    name: Option<usize>,
    published: Option<usize>,
    short_description: Option<usize>,
    description: Option<usize>,
    sale_starts: Option<usize>,
    sale_ends: Option<usize>,
    in_stock: Option<usize>,
    stock: Option<usize>,
    sale_price: Option<usize>,
    regular_price: Option<usize>,
    tags: Option<usize>,
    images: Option<usize>,
    parent: Option<usize>,
    external_url: Option<usize>,
    position: Option<usize>,
    attributes: Vec<(Option<usize>, Option<usize>)>,
}

impl Columns {
    fn find(sheet: &Sheet<'_>) -> Columns {
        let c = |name: &str| sheet.column(name);
        Columns {
            id: c("ID"),
            kind: c("Type"),
            sku: c("SKU"),
            name: c("Name"),
            published: c("Published"),
            short_description: c("Short description"),
            description: c("Description"),
            sale_starts: c("Date sale price starts"),
            sale_ends: c("Date sale price ends"),
            in_stock: c("In stock?"),
            stock: c("Stock"),
            sale_price: c("Sale price"),
            regular_price: c("Regular price"),
            tags: c("Tags"),
            images: c("Images"),
            parent: c("Parent"),
            external_url: c("External URL"),
            position: c("Position"),
            attributes: (1..=MAX_ATTRIBUTES)
                .map(|n| (c(&format!("Attribute {n} name")), c(&format!("Attribute {n} value(s)"))))
                .take_while(|(name, _)| name.is_some())
                .collect(),
        }
    }
}

/// A product row (simple, variable, external; grouped ones are skipped) while variations are still being found.
struct Parent {
    kind: Kind,
    draft: Draft,
    woo_id: Option<String>,
    sku: Option<String>,
    variations: Vec<(i64, usize, Variant)>,
}

/// Parses a WooCommerce product CSV export.
pub fn parse(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "WooCommerce exports do not state the store's currency; pass it as `--currency USD` (or set `currency` \
         under [show] in show.toml)",
    );
    let Some(mut sheet) = Sheet::open(text, b',') else {
        intake.error(Spot::line(1), "the file is empty; export the products from WooCommerce again");
        return intake.finish();
    };
    let c = Columns::find(&sheet);
    let missing: Vec<&str> = [("Type", c.kind), ("Name", c.name), ("Regular price", c.regular_price)]
        .into_iter()
        .filter(|(_, col)| col.is_none())
        .map(|(name, _)| name)
        .collect();
    if !missing.is_empty() {
        intake.error(
            Spot::line(sheet.header_line),
            format!(
                "this is not a WooCommerce product export: the header has no {} column; export the products \
                 again, or read the file as a generic CSV",
                missing.join(", no ")
            ),
        );
        return intake.finish();
    }

    let mut parents: Vec<Parent> = Vec::new();
    // Variations may come before their parent, so they wait here until every row is read.
    let mut orphans: Vec<(Spot, String, i64, Result<Variant, ()>)> = Vec::new();
    while let Some(row) = sheet.next_row() {
        if let Err(problem) = row {
            intake.error(problem.at, problem.message);
            continue;
        }
        let at = sheet.row_spot();
        let kind_text = sheet.get(c.kind).unwrap_or("");
        let Some(kind) = Kind::parse(kind_text) else {
            intake.error(
                sheet.spot(c.kind),
                format!(
                    "`Type` \"{kind_text}\" is not a WooCommerce product type; use simple, variable, variation, \
                     grouped or external"
                ),
            );
            continue;
        };
        let mut draft = Draft::at(at);
        draft.id = sheet.get(c.sku).or(sheet.get(c.id)).map(str::to_string);
        let published = sheet.get(c.published).unwrap_or("1");
        let hidden = match published {
            "1" => None,
            "0" => Some("it is private (Published is 0)"),
            "-1" => Some("it is a draft (Published is -1)"),
            _ => None,
        };
        if let Some(reason) = hidden {
            let what = if kind == Kind::Variation { "variation" } else { "product" };
            let name = draft.id.as_deref().unwrap_or("");
            intake.warning(at, format!("{what} \"{name}\" skipped because {reason}"));
            continue;
        }
        if kind == Kind::Grouped {
            intake.warning(
                at,
                format!(
                    "{}: skipped because a grouped product has no price of its own; its products are read from \
                     their own rows",
                    draft.context()
                ),
            );
            continue;
        }
        read_prices(&sheet, &c, &mut draft, &mut intake, default_currency);
        if kind == Kind::Variation {
            let parent = sheet.get(c.parent).unwrap_or("").to_string();
            let position = sheet.get(c.position).and_then(|p| p.parse().ok()).unwrap_or(0);
            let variant = variation(&sheet, &c, draft, &mut intake);
            orphans.push((at, parent, position, variant));
            continue;
        }
        read_details(&sheet, &c, kind, &mut draft, &mut intake);
        parents.push(Parent {
            kind,
            draft,
            woo_id: sheet.get(c.id).map(str::to_string),
            sku: sheet.get(c.sku).map(str::to_string),
            variations: Vec::new(),
        });
    }

    let mut by_ref: HashMap<String, usize> = HashMap::new();
    for (index, parent) in parents.iter().enumerate() {
        if let Some(id) = &parent.woo_id {
            by_ref.entry(format!("id:{id}")).or_insert(index);
        }
        if let Some(sku) = &parent.sku {
            by_ref.entry(sku.clone()).or_insert(index);
        }
    }
    for (order, (at, parent_ref, position, variant)) in orphans.into_iter().enumerate() {
        let Some(parent) = by_ref.get(parent_ref.trim()).and_then(|&i| parents.get_mut(i)) else {
            intake.error(
                at,
                format!(
                    "this variation's `Parent` \"{parent_ref}\" is not a product in this file; write the parent's \
                     SKU or id:<ID>"
                ),
            );
            continue;
        };
        if parent.kind != Kind::Variable {
            intake.error(
                at,
                format!(
                    "this variation's `Parent` \"{parent_ref}\" is not a variable product; make the parent \
                     variable or the row a simple product"
                ),
            );
            continue;
        }
        match variant {
            Ok(variant) => parent.variations.push((position, order, variant)),
            // The variation's own error is already reported; a product with a broken variant is not pitched.
            Err(()) => parent.draft.failed = true,
        }
    }

    for mut parent in parents {
        if parent.kind == Kind::Variable {
            let draft = &mut parent.draft;
            // WooCommerce lists variations by their Position (menu order), then as they were created.
            parent.variations.sort_by_key(|(position, order, _)| (*position, *order));
            let variants: Vec<Variant> = parent.variations.into_iter().map(|(_, _, v)| v).collect();
            match variants.first() {
                Some(first) => {
                    draft.price = Some(first.price.clone());
                    draft.compare_at = first.compare_at.clone();
                }
                None if !draft.failed && draft.price.is_none() => {
                    draft.failed = true;
                    let context = draft.context();
                    intake.error(
                        draft.at,
                        format!(
                            "{context}: a variable product needs at least one published variation with a price; add \
                             variation rows whose Parent is this product"
                        ),
                    );
                }
                None => {}
            }
            if let Some(total) = validate::stock_of_variants(&variants) {
                draft.stock = Some(total);
            }
            for image in variants.iter().filter_map(|v| v.image.as_deref()) {
                intake.add_checked_image(draft, image);
            }
            draft.variants = variants;
        }
        intake.admit(parent.draft, &LABELS);
    }
    intake.finish()
}

/// Sale price, regular price, stock and sale dates, which products and variations share.
fn read_prices(
    sheet: &Sheet<'_>,
    c: &Columns,
    draft: &mut Draft,
    intake: &mut Intake<'_>,
    currency: Option<&Currency>,
) {
    let regular_text = sheet.get(c.regular_price);
    let sale_text = sheet.get(c.sale_price);
    let regular =
        regular_text.and_then(|t| intake.money(draft, "Regular price", t, currency, || sheet.spot(c.regular_price)));
    let sale = sale_text.and_then(|t| intake.money(draft, "Sale price", t, currency, || sheet.spot(c.sale_price)));
    if regular.is_none() && regular_text.is_some() || sale.is_none() && sale_text.is_some() {
        draft.price_failed = true;
    }
    let (price, compare_at): (Option<Money>, Option<Money>) = match (sale, regular) {
        (Some(sale), Some(regular)) => (Some(sale), Some(regular)),
        (Some(sale), None) => (Some(sale), None),
        (None, regular) => (regular, None),
    };
    draft.price = price;
    draft.compare_at = compare_at;
    let has_sale = sale_text.is_some();
    let mut moment = |column: Option<usize>, field: &str, draft: &mut Draft| {
        let text = sheet.get(column)?;
        match dates::parse_moment(text, 0) {
            Ok(t) => Some(t),
            Err(message) => {
                draft.failed = true;
                intake.error(sheet.spot(column), format!("{}: `{field}`: {message}", draft.context()));
                None
            }
        }
    };
    let starts_at = moment(c.sale_starts, "Date sale price starts", draft);
    let ends_at = moment(c.sale_ends, "Date sale price ends", draft);
    if (starts_at.is_some() || ends_at.is_some()) && has_sale {
        draft.offer = Some(OfferWindow { starts_at, ends_at });
    }
    if let Some(text) = sheet.get(c.stock) {
        // A variation whose stock the parent product manages says "parent": it has no count of its own, and the
        // product's count is the parent's.
        draft.stock = if text.trim().eq_ignore_ascii_case("parent") {
            None
        } else {
            intake.stock(draft, "Stock", text, || sheet.spot(c.stock))
        };
    } else if sheet.get(c.in_stock) == Some("0") {
        // Out of stock without a count: zero is what the shop would say.
        draft.stock = Some(0);
    }
}

/// A variation row as a variant of its parent; `Err` when its problems are already reported.
fn variation(sheet: &Sheet<'_>, c: &Columns, mut draft: Draft, intake: &mut Intake<'_>) -> Result<Variant, ()> {
    let options: Vec<(String, String)> = c
        .attributes
        .iter()
        .filter_map(|(name, value)| Some((sheet.get(*name)?.to_string(), sheet.get(*value)?.to_string())))
        .collect();
    let image = sheet.get(c.images).and_then(|list| list.split(',').map(str::trim).find(|s| !s.is_empty()));
    let image = image.and_then(|img| intake.variant_image(&mut draft, "Images", img, || sheet.spot(c.images)));
    if draft.price.is_none() && !draft.price_failed {
        intake.error(
            sheet.spot(c.regular_price),
            format!("{}: this variation has no `Regular price`; fill in its price (or unpublish it)", draft.context()),
        );
        return Err(());
    }
    match (draft.failed, draft.price) {
        (false, Some(price)) => Ok(Variant {
            sku: sheet.get(c.sku).map(str::to_string),
            options,
            price,
            compare_at: draft.compare_at,
            stock: draft.stock,
            image,
        }),
        _ => Err(()),
    }
}

/// Titles, descriptions, pictures, tags, links and attributes of a product row.
fn read_details(sheet: &Sheet<'_>, c: &Columns, kind: Kind, draft: &mut Draft, intake: &mut Intake<'_>) {
    if let Some(name) = sheet.get(c.name) {
        draft.title = validate::detected(name);
    }
    let description = sheet.get(c.description).or(sheet.get(c.short_description));
    if let Some(text) = description {
        draft.description = validate::detected(&html::to_text(&line_breaks(text)));
    }
    if let Some(list) = sheet.get(c.images) {
        for reference in list.split(',') {
            intake.image(draft, "Images", reference, || sheet.spot(c.images));
        }
    }
    if let Some(tags) = sheet.get(c.tags) {
        draft.tags = validate::split_list(tags, &[',']);
    }
    if let Some(url) = sheet.get(c.external_url).filter(|u| validate::is_url(u)) {
        draft.url = Some(url.to_string());
    }
    // A simple product's attributes are facts about it ("Color: Blue"); a variable product's list the choices
    // its variations make, which the variants already carry.
    if kind != Kind::Variable {
        let mut specs: Localized<Vec<Spec>> = Localized::default();
        for (name, value) in &c.attributes {
            let (Some(name), Some(value)) = (sheet.get(*name), sheet.get(*value)) else { continue };
            let lang = director::timing::detect_lang(&format!("{name}{value}"));
            let list = match lang {
                model::Lang::En => specs.en.get_or_insert_with(Vec::new),
                model::Lang::Zh => specs.zh.get_or_insert_with(Vec::new),
            };
            list.push(Spec { name: name.to_string(), value: value.to_string() });
        }
        draft.specs = specs;
    }
}

/// WooCommerce's exporter writes a description's line breaks as the two characters `\n` (and `\r\n`); they are
/// line breaks, not text the host should read out.
fn line_breaks(text: &str) -> String {
    text.replace("\\r\\n", "\n").replace("\\n", "\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Format, detect, load_file_as};
    use model::Product;
    use std::path::PathBuf;

    #[test]
    fn a_variation_whose_stock_the_parent_manages_is_read() {
        let text = kitchen_text().replace(",taxable,,1,9,0,0,", ",taxable,,1,parent,0,0,");
        assert!(text.contains(",parent,"), "the fixture row changed");
        let load = load_kitchen(&text);
        assert!(errors(&load).is_empty(), "{:?}", errors(&load));
        let skillet = product(&load, "KS-SKILLET");
        let thirty = skillet.variants.iter().find(|v| v.sku.as_deref() == Some("KS-SKILLET-30")).expect("the 30 cm");
        assert_eq!(thirty.stock, None, "its count is the parent's");
        // One variation without a count of its own: the product's total is not the others' sum.
        assert_ne!(skillet.stock, Some(6));
    }

    #[test]
    fn escaped_line_breaks_in_descriptions_are_line_breaks() {
        assert_eq!(line_breaks("Sharp.\\nHand wash only.\\r\\nGift boxed."), "Sharp.\nHand wash only.\nGift boxed.");
        let text = html::to_text(&line_breaks("<p>Sharp.</p>\\n<p>Hand wash only.</p>"));
        assert!(!text.contains('\\') && text.contains("Sharp.") && text.contains("Hand wash only."), "{text:?}");
    }

    /// Our own kitchen store's export (testdata/THIRD_PARTY.md, "Our own"), so these tests run in every checkout.
    const KITCHEN: &str = "catalogs/woocommerce/kitchen_export.csv";

    /// WooCommerce's sample products, under the GPL and so kept in the outside corpus (`SHOPCAST_CORPUS`).
    const SAMPLE: &str = "catalogs/woocommerce/sample_products.csv";

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    fn usd() -> Currency {
        Currency::parse("USD").unwrap()
    }

    fn kitchen_text() -> String {
        testkit::testdata_text(KITCHEN)
    }

    fn load_kitchen(text: &str) -> CatalogLoad {
        parse("kitchen_export.csv", text, Path::new("."), Some(&eur()))
    }

    fn fixture() -> PathBuf {
        testkit::corpus(SAMPLE)
    }

    fn fixture_text() -> String {
        testkit::corpus_text(SAMPLE)
    }

    fn load(text: &str) -> CatalogLoad {
        parse("sample_products.csv", text, Path::new("."), Some(&usd()))
    }

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    fn errors(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect()
    }

    fn product<'a>(load: &'a CatalogLoad, id: &str) -> &'a Product {
        load.products.iter().find(|p| p.id.0 == id).unwrap_or_else(|| panic!("no product {id}"))
    }

    fn ids(load: &CatalogLoad) -> Vec<&str> {
        load.products.iter().map(|p| p.id.0.as_str()).collect()
    }

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn minor(money: Option<&Money>) -> Option<i64> {
        money.map(|m| m.minor)
    }

    /// A variation as a merchandiser checks it: SKU, title, price, compare-at and stock.
    type VariantRow<'a> = (Option<&'a str>, String, i64, Option<i64>, Option<u32>);

    const UPLOADS: &str = "https://shop.example.com/wp-content/uploads/2026/10/";

    #[test]
    fn the_kitchen_export_gives_five_products_with_variations_attached_and_skips_grouped_and_draft() {
        let path = testkit::testdata(KITCHEN);
        let text = kitchen_text();
        assert!(text.starts_with('\u{FEFF}') && text.contains("\r\n"), "WooCommerce writes a BOM and CRLF line ends");
        assert_eq!(detect(&path, &text), Format::WooCommerce);
        let load = load_file_as(&path, None, Some(eur()));
        // The apron has no SKU, so WooCommerce's own ID names it (its variations point at it as "id:306").
        assert_eq!(ids(&load), ["KS-CHEF-20", "KS-SKILLET", "306", "KS-WHETSTONE", "KS-PASTA-EXT"]);
        let path = path.display().to_string();
        assert_eq!(
            shown(&load),
            [
                format!(
                    "{path}:17:1: warning: product \"KS-CARE-SET\": skipped because a grouped product has no price of \
                     its own; its products are read from their own rows"
                ),
                format!("{path}:19:1: warning: product \"KS-STEAMER\" skipped because it is a draft (Published is -1)"),
            ]
        );
        assert!(load.products.iter().all(|p| p.price.currency.code() == "EUR" && p.image.is_none()));

        // A simple product on sale: the sale price is the price and the regular price the compare-at.
        let knife = product(&load, "KS-CHEF-20");
        assert_eq!(knife.title.en.as_deref(), Some("Chef's Knife 20 cm"));
        assert_eq!(
            knife.description.en.as_deref(),
            Some("A full-tang chef's knife for everyday chopping.\nBlade: 20 cm, VG-10 steel\nHandle: oiled walnut")
        );
        assert_eq!((knife.price.minor, minor(knife.compare_at.as_ref())), (5900, Some(7900)));
        assert_eq!(knife.percent_off(), Some(25));
        assert_eq!(knife.stock, Some(14));
        assert_eq!(knife.tags, ["knife", "gift"]);
        assert_eq!(knife.images, [format!("{UPLOADS}chef-knife-1.jpg"), format!("{UPLOADS}chef-knife-2.jpg")]);
        let specs = knife.specs.en.as_deref().unwrap();
        assert_eq!(
            specs,
            [
                Spec { name: "Blade steel".into(), value: "VG-10".into() },
                Spec { name: "Handle".into(), value: "Walnut".into() }
            ]
        );
        assert!(knife.variants.is_empty());

        // Variations are listed by their Position (menu order), not by the order the rows were written in.
        let skillet = product(&load, "KS-SKILLET");
        assert_eq!(
            skillet.description.en.as_deref(),
            Some(
                "Heavy cast iron that holds its heat for searing.\nPre-seasoned with flaxseed oil; oven-safe to 260 °C."
            )
        );
        let variants: Vec<VariantRow<'_>> = skillet
            .variants
            .iter()
            .map(|v| (v.sku.as_deref(), v.title(), v.price.minor, minor(v.compare_at.as_ref()), v.stock))
            .collect();
        assert_eq!(
            variants,
            [
                (Some("KS-SKILLET-20"), "20 cm".to_string(), 3400, None, Some(6)),
                (Some("KS-SKILLET-26"), "26 cm".to_string(), 3900, Some(4500), Some(0)),
                (Some("KS-SKILLET-30"), "30 cm".to_string(), 5500, None, Some(9)),
            ]
        );
        assert_eq!(skillet.variants[0].options, opts(&[("Size", "20 cm")]));
        // The product's price is its first variation's; every variation counts its stock, so the stock is the sum.
        assert_eq!((skillet.price.minor, skillet.compare_at.clone()), (3400, None));
        assert_eq!(skillet.stock, Some(15), "6 + 0 + 9");
        assert_eq!(
            skillet.images,
            [
                format!("{UPLOADS}skillet-1.jpg"),
                format!("{UPLOADS}skillet-20.jpg"),
                format!("{UPLOADS}skillet-26.jpg"),
                format!("{UPLOADS}skillet-30.jpg"),
            ]
        );
        assert_eq!(skillet.specs.en, None, "a variable product's attributes are its variations' choices");

        // Variations whose parent is named "id:306", with two attributes each; none counts its stock.
        let apron = product(&load, "306");
        assert_eq!(apron.title.en.as_deref(), Some("Linen Apron"));
        assert_eq!(
            apron.description.en.as_deref(),
            Some("Stonewashed linen with a cross-back strap & two deep pockets.")
        );
        let options: Vec<Vec<(String, String)>> = apron.variants.iter().map(|v| v.options.clone()).collect();
        assert_eq!(
            options,
            [
                opts(&[("Color", "Sage"), ("Size", "S/M")]),
                opts(&[("Color", "Sage"), ("Size", "L/XL")]),
                opts(&[("Color", "Rust"), ("Size", "S/M")]),
            ]
        );
        let prices: Vec<(i64, Option<i64>)> =
            apron.variants.iter().map(|v| (v.price.minor, minor(v.compare_at.as_ref()))).collect();
        assert_eq!(prices, [(3200, None), (3200, None), (2600, Some(3200))]);
        assert!(apron.variants.iter().all(|v| v.stock.is_none() && v.image.is_none()));
        assert_eq!((apron.price.minor, apron.stock), (3200, None));
        assert_eq!(apron.images, [format!("{UPLOADS}apron-sage.jpg"), format!("{UPLOADS}apron-rust.jpg")]);

        // Out of stock with a count of 0; a simple product's attribute is a fact about it.
        let stone = product(&load, "KS-WHETSTONE");
        assert_eq!((stone.price.minor, stone.compare_at.clone(), stone.stock), (3250, None, Some(0)));
        assert_eq!(stone.specs.en.as_deref().unwrap(), [Spec { name: "Grit".into(), value: "1000/6000".into() }]);

        // An external product is sold elsewhere: its link is where the viewer buys it. Its stock is not counted.
        let pasta = product(&load, "KS-PASTA-EXT");
        assert_eq!(pasta.url.as_deref(), Some("https://maker.example.com/pasta-machine?ref=kitchen"));
        assert_eq!((pasta.price.minor, pasta.stock), (8999, None));
        assert_eq!(pasta.description.en.as_deref(), Some("Rolls and cuts fresh pasta; sold by its maker."));
    }

    #[test]
    fn the_knife_sale_runs_in_its_window_and_a_sale_without_dates_has_none() {
        let load = load_kitchen(&kitchen_text());
        let offer = product(&load, "KS-CHEF-20").offer.unwrap();
        // "2026-11-27 10:00:00" and "2026-11-30 23:59:59", store time read as UTC.
        assert_eq!(offer.starts_at, Some(model::UnixMs(1_795_773_600_000)));
        assert_eq!(offer.ends_at, Some(model::UnixMs(1_796_083_199_000)));
        assert_eq!(product(&load, "306").offer, None);
        assert_eq!(product(&load, "KS-SKILLET").offer, None);
    }

    #[test]
    fn broken_kitchen_rows_are_reported_at_their_lines_and_drop_only_their_product() {
        let broken = kitchen_text()
            // A sale price a spreadsheet mangled on the knife, whose cell is on line 6 after its long description.
            .replacen(",59,79,", ",5 9,79,", 1)
            // The pasta machine (line 18) reuses the whetstone's SKU (line 16).
            .replacen("312,external,KS-PASTA-EXT,", "312,external,KS-WHETSTONE,", 1)
            // The 30 cm skillet (line 9) points at a parent that is not in the file.
            .replacen(",KS-SKILLET,,,,,,2,Size", ",KS-SKILLET-OLD,,,,,,2,Size", 1);
        let load = load_kitchen(&broken);
        assert_eq!(
            errors(&load),
            [
                "kitchen_export.csv:6:83: error: product \"KS-CHEF-20\": `Sale price`: \"5 9\" has a space inside the \
                 number; write it like \"1299.00\" or \"1 299.00\"",
                "kitchen_export.csv:9:1: error: this variation's `Parent` \"KS-SKILLET-OLD\" is not a product in this \
                 file; write the parent's SKU or id:<ID>",
                "kitchen_export.csv:18:1: error: product \"KS-WHETSTONE\": duplicate id (first used at line 16); give \
                 each product its own id",
            ]
        );
        assert_eq!(ids(&load), ["KS-SKILLET", "306", "KS-WHETSTONE"]);
        let skillet = product(&load, "KS-SKILLET");
        let skus: Vec<&str> = skillet.variants.iter().filter_map(|v| v.sku.as_deref()).collect();
        assert_eq!(skus, ["KS-SKILLET-20", "KS-SKILLET-26"]);
        assert_eq!(skillet.stock, Some(6));
        assert_eq!(product(&load, "KS-WHETSTONE").price.minor, 3250, "the first product with the SKU is kept");
    }

    #[test]
    fn a_cut_off_kitchen_export_keeps_the_rows_before_the_cut() {
        let text = kitchen_text();
        // The download stopped inside the whetstone's description (line 16).
        let cut = text.find("Soak for ten minutes").unwrap();
        let load = load_kitchen(&text[..cut]);
        assert_eq!(ids(&load), ["KS-CHEF-20", "KS-SKILLET", "306"]);
        assert_eq!(product(&load, "KS-SKILLET").variants.len(), 3);
        assert_eq!(
            shown(&load),
            ["kitchen_export.csv:16:1: error: this row has 9 of the header's 51 columns (it stops after \
              \"Description\"); it looks cut short: restore the missing values or export the file again"]
        );
    }

    #[test]
    fn the_kitchen_export_needs_the_store_currency() {
        let load = parse("k.csv", &kitchen_text(), Path::new("."), None);
        assert!(load.products.is_empty() && load.missing_currency);
        // The fix is said once, first. Each variable product then also gets "missing `Regular price`", which
        // misleads (a variable product's prices are on its variations, and they failed only for the currency);
        // that is left unasserted rather than pinned down.
        assert_eq!(
            errors(&load)[0],
            "k.csv:0:0: error: WooCommerce exports do not state the store's currency; pass it as `--currency USD` (or \
             set `currency` under [show] in show.toml)"
        );
    }

    // WooCommerce's own sample products, read where CI keeps them: the importer meets the real rows as they are.

    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn the_woocommerce_sample_gives_seventeen_products_with_variations_attached() {
        let text = fixture_text();
        assert!(text.starts_with('\u{FEFF}') && text.contains("\r\n"), "the sample has a BOM and CRLF line ends");
        assert_eq!(detect(&fixture(), &text), Format::WooCommerce);
        let load = load_file_as(&fixture(), None, Some(usd()));
        let ids: Vec<&str> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(
            ids,
            [
                "woo-vneck-tee",
                "woo-hoodie",
                "woo-hoodie-with-logo",
                "woo-tshirt",
                "woo-beanie",
                "woo-belt",
                "woo-cap",
                "woo-sunglasses",
                "woo-hoodie-with-pocket",
                "woo-hoodie-with-zipper",
                "woo-long-sleeve-tee",
                "woo-polo",
                "woo-album",
                "woo-single",
                "Woo-tshirt-logo",
                "Woo-beanie-logo",
                "wp-pennant",
            ]
        );
        let path = fixture().display().to_string();
        assert_eq!(
            shown(&load),
            [format!(
                "{path}:24:1: warning: product \"logo-collection\": skipped because a grouped product has no price \
                 of its own; its products are read from their own rows"
            )]
        );

        let tee = product(&load, "woo-vneck-tee");
        assert_eq!(tee.title.en.as_deref(), Some("V-Neck T-Shirt"));
        assert_eq!((tee.price.minor, tee.compare_at.clone()), (2000, None));
        assert_eq!(tee.variants.len(), 3);
        let tee_variants: Vec<(Option<&str>, i64, &str)> = tee
            .variants
            .iter()
            .map(|v| (v.sku.as_deref(), v.price.minor, v.title()))
            .map(|(s, p, t)| (s, p, leak(t)))
            .collect();
        assert_eq!(
            tee_variants,
            [
                (Some("woo-vneck-tee-red"), 2000, "Red"),
                (Some("woo-vneck-tee-green"), 2000, "Green"),
                (Some("woo-vneck-tee-blue"), 1500, "Blue")
            ]
        );
        assert_eq!(tee.images.len(), 3);
        assert_eq!(
            tee.images[0],
            "https://woocommercecore.mystagingwebsite.com/wp-content/uploads/2017/12/vneck-tee-2.jpg"
        );
        assert_eq!(tee.stock, None);
        assert!(tee.description.en.as_deref().unwrap().starts_with("Pellentesque habitant morbi tristique"));

        // The hoodie's variations follow WooCommerce's Position order: the Blue/Yes one (position 0) first.
        let hoodie = product(&load, "woo-hoodie");
        assert_eq!((hoodie.price.minor, hoodie.compare_at.clone()), (4500, None));
        let skus: Vec<&str> = hoodie.variants.iter().filter_map(|v| v.sku.as_deref()).collect();
        assert_eq!(skus, ["woo-hoodie-blue-logo", "woo-hoodie-red", "woo-hoodie-green", "woo-hoodie-blue"]);
        assert_eq!(hoodie.variants[0].options, opts(&[("Color", "Blue"), ("Logo", "Yes")]));
        assert_eq!(hoodie.variants[1].options, opts(&[("Color", "Red"), ("Logo", "No")]));
        assert_eq!(
            (hoodie.variants[1].price.minor, hoodie.variants[1].compare_at.as_ref().map(|m| m.minor)),
            (4200, Some(4500))
        );
        assert_eq!(hoodie.images.len(), 4);

        let beanie = product(&load, "woo-beanie");
        assert_eq!((beanie.price.minor, beanie.compare_at.as_ref().map(|m| m.minor)), (1800, Some(2000)));
        assert_eq!(beanie.percent_off(), Some(10));
        assert_eq!(beanie.specs.en.as_ref().unwrap()[0], Spec { name: "Color".into(), value: "Red".into() });
        assert!(beanie.variants.is_empty());
        let single = product(&load, "woo-single");
        assert_eq!((single.price.minor, single.compare_at.as_ref().map(|m| m.minor)), (200, Some(300)));
        let pennant = product(&load, "wp-pennant");
        assert_eq!(pennant.price.minor, 1105);
        assert_eq!(pennant.url.as_deref(), Some("https://mercantile.wordpress.org/product/wordpress-pennant/"));
        assert_eq!(product(&load, "woo-album").price.minor, 1500);
        assert_eq!(product(&load, "woo-sunglasses").price.minor, 9000);
        assert!(load.products.iter().all(|p| p.price.currency.code() == "USD" && p.image.is_none()));
    }

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn broken_rows_are_reported_at_their_lines_and_drop_only_their_product() {
        let text = fixture_text();
        let broken = text
            // A sale price a spreadsheet mangled on the belt (line 7).
            .replacen(",,55,65,", ",,5 5,65,", 1)
            // The cap (line 8) reuses the beanie's SKU.
            .replacen("60,simple,woo-cap,", "60,simple,woo-beanie,", 1)
            // The red V-neck variation (line 16) points at a parent that is not in the file.
            .replacen(",woo-vneck-tee,,,,,,0,Color,Red", ",woo-vneck-missing,,,,,,0,Color,Red", 1);
        let load = load(&broken);
        let errors: Vec<String> = load.diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
        assert_eq!(
            errors,
            [
                "sample_products.csv:7:380: error: product \"woo-belt\": `Sale price`: \"5 5\" has a space inside the \
                 number; write it like \"1299.00\" or \"1 299.00\"",
                "sample_products.csv:16:1: error: this variation's `Parent` \"woo-vneck-missing\" is not a product in \
                 this file; write the parent's SKU or id:<ID>",
                "sample_products.csv:8:1: error: product \"woo-beanie\": duplicate id (first used at line 6); give \
                 each product its own id",
            ]
        );
        assert_eq!(load.products.len(), 15);
        assert!(!load.products.iter().any(|p| p.id.0 == "woo-belt"));
        assert_eq!(product(&load, "woo-vneck-tee").variants.len(), 2);
    }

    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn a_cut_off_export_keeps_the_rows_before_the_cut() {
        let text = fixture_text();
        // The download stopped inside the Album's long description (line 14).
        let cut = text.find("Vestibulum sagittis orci").unwrap();
        let load = load(&text[..cut]);
        // The two variable products lose their variations with the cut, so they are refused as well.
        assert_eq!(load.products.len(), 10);
        assert_eq!(
            shown(&load)[0],
            "sample_products.csv:14:1: error: this row has 9 of the header's 51 columns (it stops after \
             \"Description\"); it looks cut short: restore the missing values or export the file again"
        );
    }

    #[test]
    #[ignore = "needs SHOPCAST_CORPUS (the outside fixtures; CI sets it)"]
    fn sale_dates_become_the_offer_window_and_drafts_are_skipped() {
        let text = fixture_text()
            .replacen(
                "48,simple,woo-beanie,Beanie,1,0,visible,\"This is a simple product.\",\"Pellentesque",
                "48,simple,woo-beanie,Beanie,1,0,visible,\"This is a simple product.\",\"<p>Pellentesque",
                1,
            )
            .replacen(
                "eleifend leo.\",,,taxable,,1,,0,0,.2,4,5,.5,1,,18,20",
                "eleifend leo.</p>\",2025-06-01,2025-06-18 23:59:59,taxable,,1,7,0,0,.2,4,5,.5,1,,18,20",
                1,
            )
            .replacen("47,simple,woo-tshirt,T-Shirt,1,", "47,simple,woo-tshirt,T-Shirt,-1,", 1);
        let load = load(&text);
        let beanie = product(&load, "woo-beanie");
        let offer = beanie.offer.unwrap();
        assert_eq!(offer.starts_at, Some(model::UnixMs(1_748_736_000_000)));
        assert_eq!(offer.ends_at, Some(model::UnixMs(1_750_291_199_000)));
        assert_eq!(beanie.stock, Some(7));
        assert!(beanie.description.en.as_deref().unwrap().ends_with("eleifend leo."));
        assert!(!load.products.iter().any(|p| p.id.0 == "woo-tshirt"));
        assert!(shown(&load).contains(&"sample_products.csv:5:1: warning: product \"woo-tshirt\" skipped because it is a draft (Published is -1)".to_string()));
    }
}
