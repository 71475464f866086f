//! Hand-made product spreadsheets saved as CSV: one product per row, columns recognised by name in English or
//! Chinese ("price", "售价", "title_en", "中文标题" ...).
//!
//! Merchandisers name columns however their sheet grew, so headers go through an alias table instead of one
//! fixed spelling. Columns the table does not know are reported once as a warning (usually a typo), never
//! per row. This importer is the one that meets big sheets, so each row is read without building any string
//! that only a diagnostic would need.

use super::CatalogLoad;
use super::dates;
use super::sheet::Sheet;
use super::validate::{self, Draft, Intake, Labels, Spot};
use model::{Currency, Lang};
use std::path::Path;

/// The product fields a generic sheet may carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Field {
    Id,
    Title,
    Description,
    Features,
    Usage,
    Guarantee,
    Price,
    CompareAt,
    Stock,
    Image,
    Images,
    Url,
    Currency,
    Tags,
    OfferStarts,
    OfferEnds,
    PinPriority,
}

/// Header spellings, compared after lower-casing and turning `_`, `-` and `.` into spaces.
const ALIASES: &[(&str, Field)] = &[
    ("id", Field::Id),
    ("sku", Field::Id),
    ("handle", Field::Id),
    ("product id", Field::Id),
    ("item id", Field::Id),
    ("product code", Field::Id),
    ("商品id", Field::Id),
    ("商品编号", Field::Id),
    ("编号", Field::Id),
    ("货号", Field::Id),
    ("title", Field::Title),
    ("name", Field::Title),
    ("product name", Field::Title),
    ("product title", Field::Title),
    ("item name", Field::Title),
    ("标题", Field::Title),
    ("商品名称", Field::Title),
    ("商品名", Field::Title),
    ("商品标题", Field::Title),
    ("名称", Field::Title),
    ("品名", Field::Title),
    ("description", Field::Description),
    ("desc", Field::Description),
    ("body", Field::Description),
    ("details", Field::Description),
    ("描述", Field::Description),
    ("商品描述", Field::Description),
    ("详情", Field::Description),
    ("简介", Field::Description),
    ("features", Field::Features),
    ("highlights", Field::Features),
    ("卖点", Field::Features),
    ("特点", Field::Features),
    ("usage", Field::Usage),
    ("how to use", Field::Usage),
    ("用法", Field::Usage),
    ("使用方法", Field::Usage),
    ("guarantee", Field::Guarantee),
    ("warranty", Field::Guarantee),
    ("保障", Field::Guarantee),
    ("质保", Field::Guarantee),
    ("price", Field::Price),
    ("sale price", Field::Price),
    ("selling price", Field::Price),
    ("售价", Field::Price),
    ("价格", Field::Price),
    ("现价", Field::Price),
    ("销售价", Field::Price),
    ("compare at", Field::CompareAt),
    ("compare at price", Field::CompareAt),
    ("compareat", Field::CompareAt),
    ("original price", Field::CompareAt),
    ("list price", Field::CompareAt),
    ("regular price", Field::CompareAt),
    ("was price", Field::CompareAt),
    ("msrp", Field::CompareAt),
    ("原价", Field::CompareAt),
    ("划线价", Field::CompareAt),
    ("市场价", Field::CompareAt),
    ("stock", Field::Stock),
    ("qty", Field::Stock),
    ("quantity", Field::Stock),
    ("inventory", Field::Stock),
    ("库存", Field::Stock),
    ("库存数量", Field::Stock),
    ("数量", Field::Stock),
    ("image", Field::Image),
    ("image url", Field::Image),
    ("image link", Field::Image),
    ("image path", Field::Image),
    ("main image", Field::Image),
    ("picture", Field::Image),
    ("photo", Field::Image),
    ("图片", Field::Image),
    ("主图", Field::Image),
    ("images", Field::Images),
    ("additional images", Field::Images),
    ("more images", Field::Images),
    ("附图", Field::Images),
    ("url", Field::Url),
    ("link", Field::Url),
    ("product url", Field::Url),
    ("product link", Field::Url),
    ("链接", Field::Url),
    ("商品链接", Field::Url),
    ("currency", Field::Currency),
    ("币种", Field::Currency),
    ("货币", Field::Currency),
    ("tags", Field::Tags),
    ("tag", Field::Tags),
    ("标签", Field::Tags),
    ("offer starts", Field::OfferStarts),
    ("offer starts at", Field::OfferStarts),
    ("sale starts", Field::OfferStarts),
    ("starts at", Field::OfferStarts),
    ("活动开始", Field::OfferStarts),
    ("offer ends", Field::OfferEnds),
    ("offer ends at", Field::OfferEnds),
    ("sale ends", Field::OfferEnds),
    ("ends at", Field::OfferEnds),
    ("活动结束", Field::OfferEnds),
    ("pin priority", Field::PinPriority),
    ("priority", Field::PinPriority),
];

/// Whole-header spellings that carry their language in the name rather than a suffix.
const LANG_ALIASES: &[(&str, Field, Lang)] = &[
    ("英文标题", Field::Title, Lang::En),
    ("中文标题", Field::Title, Lang::Zh),
    ("英文名称", Field::Title, Lang::En),
    ("中文名称", Field::Title, Lang::Zh),
    ("英文描述", Field::Description, Lang::En),
    ("中文描述", Field::Description, Lang::Zh),
];

/// The columns of a text field: one whose language is detected per cell, and one per stated language.
#[derive(Clone, Copy, Debug, Default)]
struct TextColumns {
    any: Option<usize>,
    en: Option<usize>,
    zh: Option<usize>,
}

impl TextColumns {
    fn slot(&mut self, lang: Option<Lang>) -> &mut Option<usize> {
        match lang {
            None => &mut self.any,
            Some(Lang::En) => &mut self.en,
            Some(Lang::Zh) => &mut self.zh,
        }
    }

    fn is_empty(&self) -> bool {
        self.any.is_none() && self.en.is_none() && self.zh.is_none()
    }

    fn first(&self) -> Option<usize> {
        self.any.or(self.en).or(self.zh)
    }
}

/// Which column holds which field.
#[derive(Debug, Default)]
struct Columns {
    id: Option<usize>,
    title: TextColumns,
    description: TextColumns,
    features: TextColumns,
    usage: TextColumns,
    guarantee: TextColumns,
    price: Option<usize>,
    compare_at: Option<usize>,
    stock: Option<usize>,
    image: Option<usize>,
    images: Option<usize>,
    url: Option<usize>,
    currency: Option<usize>,
    tags: Option<usize>,
    offer_starts: Option<usize>,
    offer_ends: Option<usize>,
    pin_priority: Option<usize>,
}

/// Lower-cased, with `_ - .` as spaces and runs of spaces collapsed: "Title_EN" -> "title en".
fn normalise(header: &str) -> String {
    let spaced: String =
        header.chars().map(|c| if matches!(c, '_' | '-' | '.') { ' ' } else { c.to_ascii_lowercase() }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A language stated at the end of a header: "title en", "title (zh)", "title [cn]", "标题(中文)".
fn split_lang(name: &str) -> (&str, Option<Lang>) {
    const SUFFIXES: &[(&str, Lang)] = &[
        (" en", Lang::En),
        (" zh", Lang::Zh),
        (" cn", Lang::Zh),
        ("(en)", Lang::En),
        ("(zh)", Lang::Zh),
        ("(cn)", Lang::Zh),
        ("[en]", Lang::En),
        ("[zh]", Lang::Zh),
        ("(英文)", Lang::En),
        ("(中文)", Lang::Zh),
        ("（英文）", Lang::En),
        ("（中文）", Lang::Zh),
    ];
    for (suffix, lang) in SUFFIXES {
        if let Some(base) = name.strip_suffix(suffix) {
            return (base.trim_end(), Some(*lang));
        }
    }
    (name, None)
}

fn recognise(header: &str) -> Option<(Field, Option<Lang>)> {
    let name = normalise(header);
    if let Some((_, field, lang)) = LANG_ALIASES.iter().find(|(alias, _, _)| *alias == name) {
        return Some((*field, Some(*lang)));
    }
    let find = |n: &str| ALIASES.iter().find(|(alias, _)| *alias == n).map(|(_, f)| *f);
    if let Some(field) = find(&name) {
        return Some((field, None));
    }
    let (base, lang) = split_lang(&name);
    let field = find(base)?;
    let localized =
        matches!(field, Field::Title | Field::Description | Field::Features | Field::Usage | Field::Guarantee);
    (lang.is_some() && localized).then_some((field, lang))
}

/// Parses a generic product CSV. `base_dir` resolves local picture paths; `default_currency` prices the rows
/// that name no currency of their own.
pub fn parse(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "the prices name no currency and the file has no currency column; add a currency column (CNY, USD ...), \
         write prices like \"19.99 USD\", or pass `--currency CODE` (or set `currency` under [show] in \
         show.toml)",
    );
    let Some(mut sheet) = Sheet::open(text, delimiter_of(text)) else {
        intake.error(Spot::line(1), "the file is empty; the first row must name the columns, like id,title,price");
        return intake.finish();
    };
    let header = Spot::line(sheet.header_line);
    let mut columns = Columns::default();
    let mut ignored = Vec::new();
    for (index, name) in sheet.headers.iter().enumerate() {
        let Some((field, lang)) = recognise(name) else {
            if !name.is_empty() {
                ignored.push(format!("\"{name}\""));
            }
            continue;
        };
        let slot = match field {
            Field::Id => &mut columns.id,
            Field::Title => columns.title.slot(lang),
            Field::Description => columns.description.slot(lang),
            Field::Features => columns.features.slot(lang),
            Field::Usage => columns.usage.slot(lang),
            Field::Guarantee => columns.guarantee.slot(lang),
            Field::Price => &mut columns.price,
            Field::CompareAt => &mut columns.compare_at,
            Field::Stock => &mut columns.stock,
            Field::Image => &mut columns.image,
            Field::Images => &mut columns.images,
            Field::Url => &mut columns.url,
            Field::Currency => &mut columns.currency,
            Field::Tags => &mut columns.tags,
            Field::OfferStarts => &mut columns.offer_starts,
            Field::OfferEnds => &mut columns.offer_ends,
            Field::PinPriority => &mut columns.pin_priority,
        };
        match slot {
            Some(first) => ignored.push(format!(
                "\"{name}\" (means the same as \"{}\", which is used)",
                sheet.headers.get(*first).map_or("", String::as_str)
            )),
            None => *slot = Some(index),
        }
    }
    if !ignored.is_empty() {
        intake.warning(
            header,
            format!(
                "columns not read: {}; shopcast reads id, title (title_en, title_zh), price, compare_at, stock, \
                 image, images, url, currency, description, features, usage, guarantee, tags, offer_starts, \
                 offer_ends, pin_priority (or their Chinese names)",
                ignored.join(", ")
            ),
        );
    }
    let mut missing = Vec::new();
    if columns.id.is_none() {
        missing.push("id (or sku, 商品编号)");
    }
    if columns.title.is_empty() {
        missing.push("title (or name, title_en, title_zh, 商品名称)");
    }
    if columns.price.is_none() {
        missing.push("price (or 售价, 价格)");
    }
    if !missing.is_empty() {
        intake.error(
            header,
            format!(
                "the header has no {} column; name the columns in the first row, like id,title,price",
                missing.join(", no ")
            ),
        );
        return intake.finish();
    }
    let column_name = |c: Option<usize>| c.map_or(String::new(), |c| sheet.name(c).to_string());
    let owned_labels = (column_name(columns.id), column_name(columns.title.first()), column_name(columns.price));
    let labels = Labels { id: &owned_labels.0, title: &owned_labels.1, price: &owned_labels.2 };

    while let Some(row) = sheet.next_row() {
        if let Err(problem) = row {
            intake.error(problem.at, problem.message);
            continue;
        }
        let draft = read_row(&sheet, &columns, &mut intake, default_currency);
        intake.admit(draft, &labels);
    }
    intake.finish()
}

/// The separator a sheet uses, judged from its header: a comma unless the header has none and uses semicolons
/// (Excel in locales with a decimal comma) or tabs instead.
fn delimiter_of(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |d: u8| header.bytes().filter(|b| *b == d).count();
    match (count(b','), count(b';'), count(b'\t')) {
        (0, semicolons, tabs) if semicolons > tabs => b';',
        (0, _, tabs) if tabs > 0 => b'\t',
        _ => b',',
    }
}

fn read_row(sheet: &Sheet<'_>, c: &Columns, intake: &mut Intake<'_>, default_currency: Option<&Currency>) -> Draft {
    let mut draft = Draft::at(sheet.row_spot());
    draft.id = sheet.get(c.id).map(str::to_string);
    for (columns, target) in [
        (c.title, &mut draft.title),
        (c.description, &mut draft.description),
        (c.usage, &mut draft.usage),
        (c.guarantee, &mut draft.guarantee),
    ] {
        if let Some(text) = sheet.get(columns.any) {
            validate::set_text(target, None, text);
        }
        if let Some(text) = sheet.get(columns.en) {
            validate::set_text(target, Some(Lang::En), text);
        }
        if let Some(text) = sheet.get(columns.zh) {
            validate::set_text(target, Some(Lang::Zh), text);
        }
    }
    // Features are one cell per language, items separated by "|", ";" or line breaks.
    let features = |column: Option<usize>| sheet.get(column).map(|t| validate::split_list(t, &['|', ';', '\n', '；']));
    if let Some(list) = features(c.features.any).filter(|l| !l.is_empty()) {
        let zh = list.iter().any(|s| director::timing::detect_lang(s) == Lang::Zh);
        if zh {
            draft.features.zh = Some(list);
        } else {
            draft.features.en = Some(list);
        }
    }
    if let Some(list) = features(c.features.en).filter(|l| !l.is_empty()) {
        draft.features.en = Some(list);
    }
    if let Some(list) = features(c.features.zh).filter(|l| !l.is_empty()) {
        draft.features.zh = Some(list);
    }

    let row_currency = match sheet.get(c.currency) {
        Some(code) => match Currency::parse(code) {
            Some(currency) => Some(currency),
            None => {
                draft.failed = true;
                intake.error(
                    sheet.spot(c.currency),
                    format!(
                        "{}: `{}` \"{code}\" is not a 3-letter currency code like CNY or USD",
                        draft.context(),
                        sheet.name(c.currency.unwrap_or(0))
                    ),
                );
                None
            }
        },
        None => None,
    };
    let currency = row_currency.as_ref().or(default_currency);
    let name = |column: Option<usize>| column.map_or("", |i| sheet.name(i));
    if let Some(text) = sheet.get(c.price) {
        intake.price(&mut draft, name(c.price), text, currency, || sheet.spot(c.price));
    }
    if let Some(text) = sheet.get(c.compare_at) {
        draft.compare_at = intake.money(&mut draft, name(c.compare_at), text, currency, || sheet.spot(c.compare_at));
    }
    if let Some(text) = sheet.get(c.stock) {
        draft.stock = intake.stock(&mut draft, name(c.stock), text, || sheet.spot(c.stock));
    }
    if let Some(reference) = sheet.get(c.image) {
        intake.image(&mut draft, name(c.image), reference, || sheet.spot(c.image));
    }
    if let Some(list) = sheet.get(c.images) {
        for reference in list.split([',', '|', ';', '\n']) {
            intake.image(&mut draft, name(c.images), reference, || sheet.spot(c.images));
        }
    }
    if let Some(url) = sheet.get(c.url) {
        if validate::is_url(url) {
            draft.url = Some(url.to_string());
        } else {
            intake.warning(
                sheet.spot(c.url),
                format!("{}: `{}` \"{url}\" is not a web address (https://...); ignored", draft.context(), name(c.url)),
            );
        }
    }
    if let Some(tags) = sheet.get(c.tags) {
        draft.tags = validate::split_list(tags, &[',', '|', ';', '，']);
    }
    let mut moment = |column: Option<usize>, draft: &mut Draft| {
        let text = sheet.get(column)?;
        match dates::parse_moment(text, 0) {
            Ok(t) => Some(t),
            Err(message) => {
                draft.failed = true;
                intake.error(sheet.spot(column), format!("{}: `{}`: {message}", draft.context(), name(column)));
                None
            }
        }
    };
    let starts_at = moment(c.offer_starts, &mut draft);
    let ends_at = moment(c.offer_ends, &mut draft);
    if starts_at.is_some() || ends_at.is_some() {
        draft.offer = Some(model::OfferWindow { starts_at, ends_at });
    }
    if let Some(text) = sheet.get(c.pin_priority) {
        match text.parse::<i32>() {
            Ok(p) if (-1000..=1000).contains(&p) => draft.pin_priority = p,
            _ => {
                draft.failed = true;
                intake.error(
                    sheet.spot(c.pin_priority),
                    format!(
                        "{}: `{}` \"{text}\" must be a whole number from -1000 to 1000",
                        draft.context(),
                        name(c.pin_priority)
                    ),
                );
            }
        }
    }
    draft
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Format, detect, parse_as};

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    fn cny() -> Currency {
        Currency::parse("CNY").unwrap()
    }

    #[test]
    fn reads_chinese_and_english_headers_with_language_columns() {
        let text = "\u{FEFF}商品编号,title_en,中文标题,售价,原价,库存,图片,链接,币种,标签,features_zh\r\n\
                    tea,Celadon Tea Set,青瓷茶具,\"¥1,299.00\",\"1,599\",42,https://cdn.example.com/t.jpg,https://shop.example.com/t,,\"tea, gift\",手工|四只茶杯\r\n\
                    mug,Mug,,19.99 USD,,0,,,,,\r\n\
                    lamp,Lamp,,“89.90”,,,,,JPY,,\r\n";
        assert_eq!(detect(Path::new("q.csv"), text), Format::Csv);
        let load = parse_as("q.csv", text, Path::new("."), Format::Csv, Some(&cny()));
        assert_eq!(
            shown(&load),
            ["q.csv:4:12: error: product \"lamp\": `售价`: \"89.90\" has decimals, but JPY prices are whole numbers; \
              write it like \"1500\""]
        );
        assert_eq!(load.products.len(), 2);
        let tea = &load.products[0];
        assert_eq!((tea.title.en.as_deref(), tea.title.zh.as_deref()), (Some("Celadon Tea Set"), Some("青瓷茶具")));
        assert_eq!(
            (tea.price.minor, tea.compare_at.as_ref().map(|m| m.minor), tea.stock),
            (129900, Some(159900), Some(42))
        );
        assert_eq!(tea.tags, ["tea", "gift"]);
        assert_eq!(tea.features.zh.as_ref().unwrap(), &["手工", "四只茶杯"]);
        assert_eq!(tea.url.as_deref(), Some("https://shop.example.com/t"));
        let mug = &load.products[1];
        assert_eq!((mug.price.minor, mug.price.currency.code(), mug.stock), (1999, "USD", Some(0)));
    }

    #[test]
    fn every_unusable_row_is_reported_at_its_line_and_the_rest_load() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = "id,name,price,compare_at,stock,image,offer_starts,offer_ends,colour\n\
                    a,Tea,199,150,1,../../assets/demo/images/tea-set.png,,,red\n\
                    b,\"Cup\nwith lid\",5,,-2,,,,\n\
                    c,Pot,1.2E+3,,,missing.png,,,\n\
                    a,Tea again,1,,,,,,\n\
                    ,No id,5,,,,,,\n\
                    d,,1.23457E+11,,,,2025-06-18,2025-06-01,\n\
                    e,Short,5\n\
                    f,Kettle,¥88,,,,,,\n";
        let load = parse("p.csv", text, dir, Some(&cny()));
        let ids: Vec<&str> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(ids, ["a", "f"]);
        assert_eq!(load.products[0].image, Some(dir.join("../../assets/demo/images/tea-set.png")));
        assert_eq!(load.products[0].compare_at, None);
        assert_eq!(
            shown(&load),
            [
                "p.csv:1:1: warning: columns not read: \"colour\"; shopcast reads id, title (title_en, title_zh), \
                 price, compare_at, stock, image, images, url, currency, description, features, usage, guarantee, \
                 tags, offer_starts, offer_ends, pin_priority (or their Chinese names)",
                "p.csv:2:1: warning: product \"a\": the compare-at price ¥150.00 is not above the price ¥199.00, so \
                 no discount will be claimed; raise it or remove it",
                "p.csv:4:14: error: product \"b\": `stock`: stock -2 is negative; write 0 when the product is sold out",
                &format!(
                    "p.csv:5:16: error: product \"c\": `image`: image \"missing.png\" not found (looked at {}); fix the \
                     path, relative to the product file, or use a full https:// URL",
                    dir.join("missing.png").display()
                ),
                "p.csv:6:1: error: product \"a\": duplicate id (first used at line 2); give each product its own id",
                "p.csv:7:1: error: product: missing `id`; give the product a short unique id like tea-set",
                "p.csv:8:4: error: product \"d\": `price`: \"1.23457E+11\" is in scientific notation and may have \
                 been rounded by a spreadsheet; format the column as a number with 2 decimals (not General) and \
                 export again, or write the full price like \"1299.00\"",
                "p.csv:8:1: error: product \"d\": missing `name`; give the product a title",
                "p.csv:8:1: error: product \"d\": the offer ends before it starts; check the offer's start and end dates",
                "p.csv:9:1: error: this row has 3 of the header's 9 columns (it stops after \"price\"); it looks cut \
                 short: restore the missing values or export the file again",
            ]
        );
    }

    #[test]
    fn a_semicolon_sheet_with_decimal_commas_reads_too() {
        let load = parse("eu.csv", "id;title;price\ncup;Tasse;\"12,50 €\"\n", Path::new("."), None);
        assert!(load.diagnostics.is_empty(), "{:?}", shown(&load));
        assert_eq!((load.products[0].price.minor, load.products[0].price.currency.code()), (1250, "EUR"));
    }

    #[test]
    fn a_sheet_without_a_price_column_is_one_error() {
        let load = parse("p.csv", "sku,name\nx,Tea\n", Path::new("."), Some(&cny()));
        assert_eq!(
            shown(&load),
            [
                "p.csv:1:1: error: the header has no price (or 售价, 价格) column; name the columns in the first row, like \
              id,title,price"
            ]
        );
    }

    #[test]
    fn banned_copy_is_a_warning_naming_the_rule_and_the_product_still_loads() {
        let load = parse("p.csv", "id,title,price\ntea,顶级茶具 cures colds,99\n", Path::new("."), Some(&cny()));
        assert_eq!(load.products.len(), 1);
        let lines = shown(&load);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with("p.csv:2:1: warning: ")
                && lines[0].contains("\"顶级\"")
                && lines[0].contains("Advertising Law"),
            "{lines:?}"
        );
        assert!(lines[1].contains("\"cures\"") && lines[1].contains("medical"), "{lines:?}");
    }

    /// Correctness at scale; the speed target (under 2 s for 100,000 rows) is measured by the
    /// `catalog_import` benchmark, not asserted here.
    #[test]
    fn a_hundred_thousand_rows_import_exactly() {
        let mut text = String::from("id,title,price,compare_at,stock,image\n");
        for i in 0..100_000 {
            text.push_str(&format!(
                "sku-{i},Product number {i},{}.{:02},{}.00,{},https://cdn.example.com/{i}.jpg\n",
                10 + i % 500,
                i % 100,
                600 + i % 50,
                i % 40
            ));
        }
        let load = parse("big.csv", &text, Path::new("."), Some(&cny()));
        assert_eq!(load.products.len(), 100_000);
        assert!(load.diagnostics.is_empty());
        assert_eq!(load.products[99_999].price.minor, (10 + 99_999 % 500) * 100 + 99);
    }
}
