//! Google Merchant Center product feeds, in RSS 2.0 or Atom XML with `g:` fields and as tab-separated text:
//! items grouped by `g:item_group_id` into one product with variants.
//!
//! Only an item's direct children are read, so the `g:price` inside `g:shipping` never becomes the product's
//! price. Malformed or truncated XML is reported at its line and the items read before it are kept, because a
//! feed cut off by a failed download still holds good products.

use super::CatalogLoad;
use super::dates;
use super::html;
use super::sheet::Sheet;
use super::validate::{self, Draft, Intake, Labels, LineIndex, Spot};
use model::{Currency, Money, OfferWindow, Variant};
use quick_xml::events::Event;
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::reader::NsReader;
use std::collections::HashMap;
use std::path::Path;

const GOOGLE_NS: &str = "http://base.google.com/ns/1.0";

const LABELS: Labels<'static> = Labels { id: "g:id", title: "title", price: "g:price" };

/// The feed attributes shopcast reads, by their Merchant Center names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    Id,
    Title,
    Description,
    Link,
    ImageLink,
    AdditionalImageLink,
    Price,
    SalePrice,
    SalePriceEffectiveDate,
    Availability,
    ItemGroupId,
    Color,
    Size,
    Material,
}

impl Key {
    /// A Merchant attribute name ("image_link", "g:image_link", "Image Link").
    fn parse(name: &str) -> Option<Key> {
        let name = name.trim().to_ascii_lowercase().replace(' ', "_");
        let name = name.strip_prefix("g:").unwrap_or(&name);
        Some(match name {
            "id" => Key::Id,
            "title" => Key::Title,
            "description" => Key::Description,
            "link" => Key::Link,
            "image_link" => Key::ImageLink,
            "additional_image_link" => Key::AdditionalImageLink,
            "price" => Key::Price,
            "sale_price" => Key::SalePrice,
            "sale_price_effective_date" => Key::SalePriceEffectiveDate,
            "availability" => Key::Availability,
            "item_group_id" => Key::ItemGroupId,
            "color" | "colour" => Key::Color,
            "size" => Key::Size,
            "material" => Key::Material,
            _ => return None,
        })
    }
}

/// One feed item: one purchasable offer, which may be a variant of a group.
#[derive(Debug, Default)]
struct FeedItem {
    at: Spot,
    id: Option<String>,
    title: Option<String>,
    description: Option<String>,
    link: Option<String>,
    images: Vec<(String, Spot)>,
    price: Option<(String, Spot)>,
    sale_price: Option<(String, Spot)>,
    sale_dates: Option<(String, Spot)>,
    availability: Option<String>,
    group: Option<String>,
    options: Vec<(String, String)>,
}

impl FeedItem {
    fn set(&mut self, key: Key, value: String, at: Spot) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        let text = || value.to_string();
        match key {
            Key::Id => self.id = Some(text()),
            Key::Title => self.title = Some(text()),
            Key::Description => self.description = Some(value.split_whitespace().collect::<Vec<_>>().join(" ")),
            Key::Link => self.link = Some(text()),
            // The main picture goes first whatever order the feed writes the attributes in.
            Key::ImageLink => self.images.insert(0, (text(), at)),
            Key::AdditionalImageLink => {
                for link in value.split(',').map(str::trim).filter(|l| !l.is_empty()) {
                    self.images.push((link.to_string(), at));
                }
            }
            Key::Price => self.price = Some((text(), at)),
            Key::SalePrice => self.sale_price = Some((text(), at)),
            Key::SalePriceEffectiveDate => self.sale_dates = Some((text(), at)),
            Key::Availability => self.availability = Some(value.to_ascii_lowercase().replace('_', " ")),
            Key::ItemGroupId => self.group = Some(text()),
            Key::Color => self.options.push(("Color".to_string(), text())),
            Key::Size => self.options.push(("Size".to_string(), text())),
            Key::Material => self.options.push(("Material".to_string(), text())),
        }
    }
}

/// Parses a Merchant Center feed in RSS 2.0 or Atom.
pub fn parse(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "the feed's prices name no currency; write them like \"15.00 USD\" as Merchant Center requires, or pass \
         `--currency CODE` (or set `currency` under [show] in show.toml)",
    );
    let lines = LineIndex::new(text);
    let mut reader = NsReader::from_str(text);
    let mut depth = 0usize;
    // The item being read, with its element's depth; and the field being read inside it.
    let mut item: Option<(FeedItem, usize)> = None;
    let mut field: Option<(Key, Spot, String)> = None;
    let mut items = Vec::new();
    let mut broken = false;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_resolved_event();
        let item_depth = item.as_ref().map(|(_, d)| *d);
        match event {
            Err(e) => {
                let at = lines.spot(reader.error_position() as usize);
                let kept = if items.is_empty() {
                    String::new()
                } else {
                    format!("; the {} items before it are kept", items.len())
                };
                intake.error(
                    at,
                    format!(
                        "the feed is not well-formed XML here: {e}{kept}. Fix the markup or download the feed again"
                    ),
                );
                broken = true;
                break;
            }
            Ok((namespace, Event::Start(start))) => {
                depth += 1;
                let local = start.local_name();
                let local = local.as_ref();
                match item_depth {
                    None if local == "item" || local == "entry" => {
                        item = Some((FeedItem { at: lines.spot(before), ..FeedItem::default() }, depth));
                    }
                    Some(d) if depth == d + 1 => {
                        let google = is_google(&namespace, start.name().as_ref());
                        field = field_key(local, google).map(|key| (key, lines.spot(before), String::new()));
                    }
                    _ => {}
                }
            }
            Ok((namespace, Event::Empty(element))) => {
                // Atom writes the product page as <link href="..."/>.
                if item_depth == Some(depth)
                    && element.local_name().as_ref() == "link"
                    && !is_google(&namespace, element.name().as_ref())
                    && let Some((current, _)) = item.as_mut()
                {
                    let href = element.attributes().flatten().find(|a| a.key.as_ref() == "href").and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
                    });
                    if let Some(href) = href
                        && current.link.is_none()
                    {
                        current.set(Key::Link, href, lines.spot(before));
                    }
                }
            }
            Ok((_, Event::Text(t))) => {
                if let Some((_, _, value)) = field.as_mut().filter(|_| item_depth.is_some_and(|d| depth == d + 1)) {
                    value.push_str(&t.xml10_content());
                }
            }
            Ok((_, Event::CData(c))) => {
                if let Some((_, _, value)) = field.as_mut().filter(|_| item_depth.is_some_and(|d| depth == d + 1)) {
                    value.push_str(&c.xml10_content());
                }
            }
            Ok((_, Event::GeneralRef(r))) => {
                if let Some((_, _, value)) = field.as_mut().filter(|_| item_depth.is_some_and(|d| depth == d + 1)) {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => value.push(c),
                        // Named references: XML's five, and HTML's that feeds copied from web pages carry.
                        _ => html::decode_entities_into(&format!("&{};", &*r), value),
                    }
                }
            }
            Ok((_, Event::End(_))) => {
                match item_depth {
                    Some(d) if depth == d + 1 => {
                        if let (Some((key, at, value)), Some((current, _))) = (field.take(), item.as_mut()) {
                            current.set(key, value, at);
                        }
                    }
                    Some(d) if depth == d => {
                        if let Some((finished, _)) = item.take() {
                            items.push(finished);
                        }
                    }
                    _ => {}
                }
                depth = depth.saturating_sub(1);
            }
            Ok((_, Event::Eof)) => {
                if depth > 0 {
                    let (at, what) = match &item {
                        Some((open, _)) => (open.at, format!("inside the item that starts on line {}", open.at.line)),
                        None => (lines.spot(text.len()), "before its last elements are closed".to_string()),
                    };
                    intake.error(
                        at,
                        format!(
                            "the feed ends {what}; the file looks cut short (the {} complete items before it are \
                             kept). Download or export the feed again",
                            items.len()
                        ),
                    );
                    broken = true;
                }
                break;
            }
            Ok(_) => {}
        }
    }
    if items.is_empty() && !broken {
        intake.error(
            Spot::line(1),
            "the feed has no products: expected <item> (RSS) or <entry> (Atom) elements with g:id, title and g:price",
        );
    }
    assemble(items, &mut intake, default_currency);
    intake.finish()
}

/// Whether an element is in Google's namespace (also when a feed uses the `g:` prefix without declaring it).
fn is_google(namespace: &ResolveResult<'_>, qualified: &str) -> bool {
    match namespace {
        ResolveResult::Bound(Namespace(ns)) => *ns == GOOGLE_NS,
        _ => qualified.starts_with("g:"),
    }
}

/// Which attribute an item's child element holds. Outside Google's namespace only RSS/Atom's own title,
/// description (Atom: summary) and link count, so an Atom <id> (a URL) is never read as the product id.
fn field_key(local: &str, google: bool) -> Option<Key> {
    if google {
        return Key::parse(local);
    }
    match local {
        "title" => Some(Key::Title),
        "description" | "summary" => Some(Key::Description),
        "link" => Some(Key::Link),
        _ => None,
    }
}

/// Parses a Merchant Center feed written as tab-separated text with a header row.
pub fn parse_tsv(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "the feed's prices name no currency; write them like \"15.00 USD\" as Merchant Center requires, or pass \
         `--currency CODE` (or set `currency` under [show] in show.toml)",
    );
    let Some(mut sheet) = Sheet::open(text, b'\t') else {
        intake.error(Spot::line(1), "the feed is empty; the first line must name the columns: id, title, price ...");
        return intake.finish();
    };
    let columns: Vec<(usize, Key)> =
        sheet.headers.iter().enumerate().filter_map(|(i, name)| Some((i, Key::parse(name)?))).collect();
    let missing: Vec<&str> = [("id", Key::Id), ("title", Key::Title), ("price", Key::Price)]
        .into_iter()
        .filter(|(_, key)| !columns.iter().any(|(_, k)| k == key))
        .map(|(name, _)| name)
        .collect();
    if !missing.is_empty() {
        intake.error(
            Spot::line(sheet.header_line),
            format!(
                "the feed's header has no {} column; name the tab-separated columns id, title, price ...",
                missing.join(", no ")
            ),
        );
        return intake.finish();
    }
    let mut items = Vec::new();
    while let Some(row) = sheet.next_row() {
        if let Err(problem) = row {
            intake.error(problem.at, problem.message);
            continue;
        }
        let mut item = FeedItem { at: sheet.row_spot(), ..FeedItem::default() };
        for (column, key) in &columns {
            if let Some(value) = sheet.get(Some(*column)) {
                // Only fields that can be wrong need their exact place.
                let at = match key {
                    Key::Price
                    | Key::SalePrice
                    | Key::SalePriceEffectiveDate
                    | Key::ImageLink
                    | Key::AdditionalImageLink => sheet.spot(Some(*column)),
                    _ => item.at,
                };
                item.set(*key, value.to_string(), at);
            }
        }
        items.push(item);
    }
    assemble(items, &mut intake, default_currency);
    intake.finish()
}

/// Groups items into products (by item group id, in the order groups first appear) and admits them.
fn assemble(items: Vec<FeedItem>, intake: &mut Intake<'_>, currency: Option<&Currency>) {
    let mut groups: Vec<Vec<FeedItem>> = Vec::new();
    let mut by_group: HashMap<String, usize> = HashMap::new();
    let mut first_use: HashMap<String, usize> = HashMap::new();
    for item in items {
        if let Some(id) = &item.id {
            if let Some(first) = first_use.get(id) {
                intake.error(
                    item.at,
                    format!("item \"{id}\": duplicate g:id (first used at line {first}); give each item its own id"),
                );
                continue;
            }
            first_use.insert(id.clone(), item.at.line);
        }
        match item.group.clone() {
            Some(group) => match by_group.get(&group).and_then(|&i| groups.get_mut(i)) {
                Some(members) => members.push(item),
                None => {
                    by_group.insert(group, groups.len());
                    groups.push(vec![item]);
                }
            },
            None => groups.push(vec![item]),
        }
    }
    for members in groups {
        let grouped = members.first().is_some_and(|m| m.group.is_some());
        let Some(first) = members.first() else { continue };
        let mut draft = Draft::at(first.at);
        draft.id = if grouped { first.group.clone() } else { first.id.clone() };
        if let Some(title) = &first.title {
            draft.title = validate::detected(title);
        }
        if let Some(description) = &first.description {
            draft.description = validate::detected(description);
        }
        draft.url = first.link.clone().filter(|l| validate::is_url(l));
        let mut all_out_of_stock = true;
        for member in &members {
            for (reference, at) in &member.images {
                intake.image(&mut draft, "g:image_link", reference, || *at);
            }
            let Some((price, compare_at, offer)) = prices(member, &mut draft, intake, currency) else { continue };
            let out_of_stock = member.availability.as_deref() == Some("out of stock");
            all_out_of_stock &= out_of_stock;
            if !grouped {
                draft.price = Some(price);
                draft.compare_at = compare_at;
                draft.offer = offer;
                draft.stock = out_of_stock.then_some(0);
                continue;
            }
            if draft.variants.is_empty() {
                draft.price = Some(price.clone());
                draft.compare_at = compare_at.clone();
                draft.offer = offer;
            }
            let image = member.images.first().map(|(r, _)| r.clone());
            draft.variants.push(Variant {
                sku: member.id.clone(),
                options: member.options.clone(),
                price,
                compare_at,
                stock: out_of_stock.then_some(0),
                image,
            });
        }
        // "in stock" is not a count, so a group is only known to be sold out when every variant is.
        if grouped && !draft.variants.is_empty() {
            draft.stock = all_out_of_stock.then_some(0);
        }
        intake.admit(draft, &LABELS);
    }
}

/// An item's selling price, the regular price it is compared with when on sale, and the sale's window.
fn prices(
    item: &FeedItem,
    draft: &mut Draft,
    intake: &mut Intake<'_>,
    currency: Option<&Currency>,
) -> Option<(Money, Option<Money>, Option<OfferWindow>)> {
    let Some((price_text, at)) = &item.price else {
        draft.failed = true;
        let name = item.id.as_deref().unwrap_or("");
        intake
            .error(item.at, format!("item \"{name}\": missing `g:price`; write it like <g:price>15.00 USD</g:price>"));
        return None;
    };
    let Some(regular) = intake.money(draft, "g:price", price_text, currency, || *at) else {
        draft.price_failed = true;
        return None;
    };
    let sale = match &item.sale_price {
        Some((text, at)) => Some(intake.money(draft, "g:sale_price", text, currency, || *at)?),
        None => None,
    };
    let offer = match (&item.sale_dates, &sale) {
        (Some((text, at)), Some(_)) => {
            let window = text.split_once('/').ok_or_else(|| {
                "write it as two dates separated by a slash, like 2025-06-01T00:00+08:00/2025-06-18T23:59+08:00"
                    .to_string()
            });
            let read = |part: &str| dates::parse_moment(part, 0);
            match window.and_then(|(s, e)| Ok((read(s)?, read(e)?))) {
                Ok((starts, ends)) => Some(OfferWindow { starts_at: Some(starts), ends_at: Some(ends) }),
                Err(message) => {
                    draft.failed = true;
                    let context = draft.context();
                    intake.error(*at, format!("{context}: `g:sale_price_effective_date` \"{text}\": {message}"));
                    return None;
                }
            }
        }
        _ => None,
    };
    Some(match sale {
        Some(sale) => (sale, Some(regular), offer),
        None => (regular, None, None),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Format, detect, load_file};

    /// Google's example feed, copied under its MIT licence (testdata/THIRD_PARTY.md), so these tests always run.
    const FEED: &str = "catalogs/google-merchant/product_feed_example.xml";

    fn fixture() -> std::path::PathBuf {
        testkit::testdata(FEED)
    }

    fn fixture_text() -> String {
        testkit::testdata_text(FEED)
    }

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    fn opts(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn the_merchant_example_groups_two_watches_into_one_product() {
        assert_eq!(detect(&fixture(), &fixture_text()), Format::MerchantXml);
        // The feed states its currency in every price, so no default is needed.
        let load = load_file(&fixture());
        assert!(load.diagnostics.is_empty(), "{:?}", shown(&load));
        assert_eq!(load.products.len(), 1);
        let watch = &load.products[0];
        assert_eq!(watch.id.0, "dz1");
        assert_eq!(watch.title.en.as_deref(), Some("Diesel Men's Black Stainless-Steel Analog Watch with Black Dial"));
        assert!(watch.description.en.as_deref().unwrap().starts_with("Cutting edge style watch with a matte black"));
        assert_eq!((watch.price.minor, watch.price.currency.code()), (10529, "USD"));
        assert_eq!((watch.compare_at.clone(), watch.stock, watch.offer), (None, None, None));
        assert_eq!(
            watch.url.as_deref(),
            Some("http://www.example.com/shop?products=variants-apparel-upi&color=Black&size=44mm&country=US")
        );
        assert_eq!(
            watch.images,
            ["http://www.example.com/image/watch-black.png", "http://www.example.com/image/watch-white.png"]
        );
        assert_eq!(watch.variants.len(), 2);
        let (black, white) = (&watch.variants[0], &watch.variants[1]);
        assert_eq!(black.sku.as_deref(), Some("celebird-eg-variants-apparel-upi-001"));
        assert_eq!(black.options, opts(&[("Color", "Black"), ("Size", "44mm")]));
        assert_eq!(black.image.as_deref(), Some("http://www.example.com/image/watch-black.png"));
        // "White&#47;Yellow" in the feed; the shipping price (0.00 USD) nested in g:shipping is not the price.
        assert_eq!(white.options, opts(&[("Color", "White/Yellow"), ("Size", "44mm")]));
        assert_eq!((white.price.minor, white.sku.as_deref()), (10529, Some("celebird-eg-variants-apparel-upi-002")));
    }

    #[test]
    fn a_truncated_feed_keeps_the_items_before_the_cut() {
        let text = fixture_text();
        let cut = text.find("<g:gtin>698615086467").unwrap();
        let load = parse("feed.xml", &text[..cut], Path::new("."), None);
        assert_eq!(
            shown(&load),
            ["feed.xml:39:5: error: the feed ends inside the item that starts on line 39; the file looks cut short \
              (the 1 complete items before it are kept). Download or export the feed again"]
        );
        assert_eq!(load.products.len(), 1);
        assert_eq!(load.products[0].variants.len(), 1);
    }

    #[test]
    fn malformed_xml_is_reported_at_its_line() {
        let text = fixture_text().replacen("<g:mpn>DZ1572</g:mpn>", "<g:mpn>DZ1572</g:mpx>", 1);
        let load = parse("feed.xml", &text, Path::new("."), None);
        assert_eq!(load.products.len(), 1, "the first watch is kept");
        assert_eq!(load.diagnostics.len(), 1);
        let d = &load.diagnostics[0];
        assert_eq!((d.line, d.col), (69, 20));
        assert!(d.message.starts_with("the feed is not well-formed XML here: "), "{}", d.message);
        assert!(d.message.contains("the 1 items before it are kept"), "{}", d.message);
    }

    #[test]
    fn bad_prices_duplicates_and_sales_are_judged_per_item() {
        let text = fixture_text()
            .replacen("<g:price>105.29 USD</g:price>", "<g:price>105,29,0 USD</g:price>", 1)
            .replacen("<g:item_group_id>dz1</g:item_group_id>", "", 2)
            .replacen(
                "<g:price>105.29 USD</g:price>",
                "<g:price>105.29 USD</g:price><g:sale_price>99.00 USD</g:sale_price>\
                 <g:sale_price_effective_date>2025-06-01T00:00+08:00/2025-06-18T23:59+08:00</g:sale_price_effective_date>",
                1,
            );
        let load = parse("feed.xml", &text, Path::new("."), None);
        assert_eq!(
            shown(&load),
            ["feed.xml:12:7: error: product \"celebird-eg-variants-apparel-upi-001\": `g:price`: \"105,29,0 USD\" is \
              not a price; write it like \"1299.00\" (digits, one decimal point, no letters)"]
        );
        let white = &load.products[0];
        assert_eq!(white.id.0, "celebird-eg-variants-apparel-upi-002");
        assert_eq!((white.price.minor, white.compare_at.as_ref().map(|m| m.minor)), (9900, Some(10529)));
        assert!(white.variants.is_empty());
        let offer = white.offer.unwrap();
        assert_eq!(offer.starts_at, Some(model::UnixMs(1_748_707_200_000)));
        assert_eq!(offer.ends_at, Some(model::UnixMs(1_750_262_340_000)));

        let twice = fixture_text().replacen("upi-002</g:id>", "upi-001</g:id>", 1);
        let load = parse("feed.xml", &twice, Path::new("."), None);
        assert_eq!(
            shown(&load),
            [
                "feed.xml:39:5: error: item \"celebird-eg-variants-apparel-upi-001\": duplicate g:id (first used at line \
              7); give each item its own id"
            ]
        );
        assert_eq!(load.products[0].variants.len(), 1);
    }

    #[test]
    fn atom_feeds_and_the_tsv_feed_read_the_same_fields() {
        let atom = r#"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">
  <entry>
    <id>https://shop.example.com/feed/1</id>
    <g:id>tea-1</g:id>
    <title>青瓷茶具 <![CDATA[套装]]></title>
    <link href="https://shop.example.com/tea?a=1&amp;b=2" rel="alternate"/>
    <g:price>199.00 CNY</g:price>
    <g:availability>out_of_stock</g:availability>
  </entry>
</feed>"#;
        let load = parse("feed.atom", atom, Path::new("."), None);
        assert!(load.diagnostics.is_empty(), "{:?}", shown(&load));
        let tea = &load.products[0];
        assert_eq!((tea.id.0.as_str(), tea.title.zh.as_deref()), ("tea-1", Some("青瓷茶具 套装")));
        assert_eq!((tea.price.minor, tea.stock), (19900, Some(0)));
        assert_eq!(tea.url.as_deref(), Some("https://shop.example.com/tea?a=1&b=2"));

        let tsv = "id\ttitle\tdescription\tlink\timage_link\tadditional_image_link\tprice\tsale_price\titem_group_id\tcolor\tsize\r\n\
                   s-1\tScarf\tWarm\thttps://x.example/s\thttps://x.example/s1.jpg\thttps://x.example/s2.jpg,https://x.example/s3.jpg\t129.00 CNY\t\tscarf\tRed\tM\r\n\
                   s-2\tScarf\tWarm\thttps://x.example/s\thttps://x.example/s4.jpg\t\t129.00 CNY\t99 CNY\tscarf\tGold\tM\r\n\
                   lamp\tLamp\t\t\t\t\tabc\t\t\t\t\r\n";
        assert_eq!(detect(Path::new("feed.txt"), tsv), Format::MerchantTsv);
        let load = parse_tsv("feed.txt", tsv, Path::new("."), None);
        assert_eq!(
            shown(&load),
            ["feed.txt:4:15: error: product \"lamp\": `g:price`: \"abc\": it has no digits; write the amount like \
              \"199.00\", optionally with a currency code as in \"19.99 USD\""]
        );
        assert_eq!(load.products.len(), 1);
        let scarf = &load.products[0];
        assert_eq!((scarf.id.0.as_str(), scarf.price.minor, scarf.variants.len()), ("scarf", 12900, 2));
        assert_eq!(scarf.images.len(), 4);
        assert_eq!(
            (scarf.variants[1].price.minor, scarf.variants[1].compare_at.as_ref().map(|m| m.minor)),
            (9900, Some(12900))
        );
        assert_eq!(scarf.variants[1].options, opts(&[("Color", "Gold"), ("Size", "M")]));
    }
}
