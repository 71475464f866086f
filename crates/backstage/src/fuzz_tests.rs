//! Property-based fuzzing of every parser that meets outside input: the catalog importers (through
//! `catalog::parse_as`, `sniff`, `detect` and `decode`), the price reader, and the chat parsers (Twitch IRC,
//! YouTube, Bilibili, JSONL, RFC 3339 times).
//!
//! Inputs are either arbitrary text built from pieces that break parsers (case-changing letters such as 'İ' and
//! 'ẞ', combining marks, bidirectional controls, zero-width characters, emoji, fullwidth forms, CJK, NUL, CR/LF,
//! markup and number edge cases, very long lines), arbitrary bytes where bytes come in, or real-looking inputs
//! with one part mutated (a CSV cell, an IRC tag value, a JSON field of the wrong type, a TOML value swapped).
//!
//! Every property holds for any input: no panic, and every diagnostic says where (a line, or the whole file with a
//! message). Some also check a round trip. Each runs `PROPTEST_CASES` cases (256 by default, so `cargo test` stays
//! fast); `tools/fuzz.sh` runs them with a much larger budget. A crash found here becomes a plain `#[test]` at the
//! end of this file with its minimal input.

use crate::catalog::{self, Format, price_text};
use crate::chat::{self, ChatEvent, ImportFormat, bilibili, time, twitch, twitch_eventsub, youtube};
use model::{Comment, CommentFlags, CommentId, Currency, Diagnostic, Intent, Lang, Money, Platform, ProductId};
use model::{TriageLabel, UnixMs};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{Value, json};
use std::path::Path;

// -------------------------------------------------------------------------------------------------------------
// Budgets
// -------------------------------------------------------------------------------------------------------------

/// The default budget (256 cases, or `PROPTEST_CASES`), without writing regression files into the source tree:
/// a failure is turned into a plain `#[test]` here instead.
fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: None, ..ProptestConfig::default() }
}

/// A quarter of the budget, for properties that parse a whole file in every format per case.
fn config_heavy() -> ProptestConfig {
    let base = config();
    ProptestConfig { cases: (base.cases / 4).max(1), ..base }
}

// -------------------------------------------------------------------------------------------------------------
// Text generators
// -------------------------------------------------------------------------------------------------------------

/// Characters and clusters that have broken text handling somewhere: case mappings that change byte length,
/// combining marks, bidi controls and isolates, zero-width and invisible characters, emoji sequences, fullwidth
/// forms, CJK, currency signs, controls and line breaks of every kind.
const TRICKY: &[&str] = &[
    "İ",
    "ẞ",
    "ı",
    "ß",
    "ǅ",
    "ﬃ",
    "Σ",
    "ΐ",
    "K",
    "e\u{301}",
    "\u{301}",
    "\u{20DD}",
    "\u{0E33}",
    "\u{202A}",
    "\u{202B}",
    "\u{202C}",
    "\u{202D}",
    "\u{202E}",
    "\u{2066}",
    "\u{2067}",
    "\u{2068}",
    "\u{2069}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{200E}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{00AD}",
    "😀",
    "👍🏽",
    "👩\u{200D}👩\u{200D}👧",
    "🇨🇳",
    "Ａ",
    "１",
    "＄",
    "￥",
    "，",
    "。",
    "　",
    "中",
    "价",
    "茶具",
    "零",
    "¥",
    "€",
    "£",
    "₩",
    "\0",
    "\r",
    "\n",
    "\r\n",
    "\t",
    "\u{B}",
    "\u{C}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\u{1}",
    "\u{1}ACTION ",
    "\u{7F}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{E000}",
    "\u{D7FF}",
];

/// Pieces of syntax and number edge cases for the formats read here.
const SYNTAX: &[&str] = &[
    "\"",
    "'",
    "“",
    "”",
    ",",
    ";",
    ":",
    "=",
    "<",
    ">",
    "/>",
    "</",
    "&",
    "&amp;",
    "&lt;",
    "&#x0;",
    "&#1114112;",
    "&#xD800;",
    "&bogus;",
    "&#",
    "<![CDATA[",
    "]]>",
    "<!--",
    "<?xml",
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    "\\",
    "\\s",
    "\\:",
    "\\n",
    "\\u0000",
    "\\ud800",
    "@",
    "!",
    "#",
    " :",
    ".",
    "..",
    "-",
    "+",
    "e",
    "E+",
    "1e309",
    "1.2E+3",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "18446744073709551616",
    "99999999999999999999999999",
    "0",
    "-0",
    "-1",
    "0.001",
    "1,299.00",
    "1.299,00",
    "1 299",
    "NaN",
    "inf",
    "true",
    "null",
    "2024-05-01T12:00:00Z",
    "9999-12-31T23:59:60.999+23:59",
    "0000-00-00",
    "USD",
    "cny",
    "US$",
    "CA$",
    "http://",
    "https://x.invalid/",
    "data:",
    "//",
    "../",
    "/",
    "PRIVMSG",
    "USERNOTICE",
    "CLEARCHAT",
];

/// One piece of an arbitrary text.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[ -~]{1,8}",
        3 => prop::sample::select(TRICKY).prop_map(String::from),
        3 => prop::sample::select(SYNTAX).prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        1 => "[\u{4E00}-\u{9FFF}]{1,4}",
        1 => "[\u{FF01}-\u{FF5E}]{1,4}",
        1 => "[\u{0300}-\u{036F}]{1,3}",
        1 => "[\u{1F300}-\u{1FAFF}]{1,3}",
    ]
}

/// Arbitrary text of up to `pieces` pieces.
fn text_of(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..=pieces).prop_map(|parts| parts.concat())
}

/// Arbitrary text, short, sometimes with one very long line in it.
fn nasty() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => text_of(24),
        1 => (text_of(4), piece(), 2_000usize..20_000, text_of(4))
            .prop_map(|(head, unit, n, tail)| format!("{head}{}{tail}", unit.repeat(n))),
    ]
}

/// Text without the characters that end a CSV cell, an IRC token or a line.
fn inline_text() -> impl Strategy<Value = String> {
    text_of(12).prop_map(|t| t.chars().filter(|c| !matches!(c, '\r' | '\n')).collect())
}

/// Any byte string, UTF-8 text with a bad byte dropped in, or text behind a byte-order mark (UTF-8, UTF-16).
fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        2 => prop::collection::vec(any::<u8>(), 0..256),
        2 => (text_of(16), any::<Index>(), prop::sample::select(&[0x80u8, 0xC0, 0xE9, 0xED, 0xF5, 0xFF, 0xFE][..]))
            .prop_map(|(text, at, bad)| {
                let mut b = text.into_bytes();
                let i = at.index(b.len() + 1);
                b.insert(i, bad);
                b
            }),
        1 => (prop::sample::select(BOMS),
              prop::collection::vec(any::<u8>(), 0..128))
            .prop_map(|(bom, rest)| [bom, &rest[..]].concat()),
        1 => (text_of(16), any::<bool>()).prop_map(|(text, little)| utf16_with_bom(&text, little)),
    ]
}

/// The byte-order marks of UTF-8, UTF-16 LE and UTF-16 BE.
const BOMS: &[&[u8]] = &[&[0xEF, 0xBB, 0xBF], &[0xFF, 0xFE], &[0xFE, 0xFF]];

fn utf16_with_bom(text: &str, little: bool) -> Vec<u8> {
    let bom: [u8; 2] = if little { [0xFF, 0xFE] } else { [0xFE, 0xFF] };
    let units = text.encode_utf16().flat_map(|u| if little { u.to_le_bytes() } else { u.to_be_bytes() });
    bom.into_iter().chain(units).collect()
}

// -------------------------------------------------------------------------------------------------------------
// Checks shared by the properties
// -------------------------------------------------------------------------------------------------------------

/// The most lines a diagnostic may name in `text`: every kind of line break counted, plus one for the last line.
fn max_line(text: &str) -> usize {
    text.bytes().filter(|b| matches!(b, b'\n' | b'\r')).count() + 1
}

/// A catalog diagnostic names the file it was given and says where: a 1-based line and column, or line and column
/// 0 for a problem with the file as a whole. Its message is not empty.
fn check_catalog_diagnostic(d: &Diagnostic, shown: &str, text: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(&d.path, shown, "diagnostic names another file: {}", d);
    prop_assert!(!d.message.trim().is_empty(), "diagnostic without a message: {:?}", d);
    prop_assert!(d.line <= max_line(text), "diagnostic names line {} of a {}-line text: {}", d.line, max_line(text), d);
    if d.line == 0 {
        prop_assert_eq!(d.col, 0, "a whole-file diagnostic with a column: {}", d);
    } else {
        prop_assert!(d.col >= 1, "a diagnostic on line {} without a column: {}", d.line, d);
    }
    Ok(())
}

/// Products that passed validation are fit for air: an id, a visible title and a price of zero or more.
fn check_products(load: &catalog::CatalogLoad) -> Result<(), TestCaseError> {
    for p in &load.products {
        prop_assert!(!p.id.0.trim().is_empty(), "a product without an id: {:?}", p.id);
        prop_assert!(!p.title.is_empty(), "product {} has no title", p.id);
        prop_assert!(p.price.minor >= 0, "product {} has a negative price {:?}", p.id, p.price);
        if let Some(was) = &p.compare_at {
            prop_assert!(was.minor >= 0, "product {} has a negative compare-at price {:?}", p.id, was);
        }
    }
    Ok(())
}

/// Parses `text` in `format` and checks every diagnostic and product.
fn parse_checked(
    text: &str,
    format: Format,
    currency: Option<&Currency>,
) -> Result<catalog::CatalogLoad, TestCaseError> {
    let shown = "fuzz/products.file";
    let load = catalog::parse_as(shown, text, fuzz_dir(), format, currency);
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for d in &load.diagnostics {
        check_catalog_diagnostic(d, shown, text)?;
    }
    check_products(&load)?;
    Ok(load)
}

/// A folder that does not exist, so picture paths never resolve to files on the test machine.
fn fuzz_dir() -> &'static Path {
    Path::new("/nonexistent/shopcast-fuzz")
}

fn all_formats() -> impl Iterator<Item = Format> {
    Format::NAMES.into_iter().map(|(_, f)| f)
}

fn currency_choice() -> impl Strategy<Value = Option<Currency>> {
    prop::sample::select(&[None, Some("CNY"), Some("USD"), Some("JPY"), Some("KWD")][..])
        .prop_map(|c| c.and_then(Currency::parse))
}

// -------------------------------------------------------------------------------------------------------------
// Catalog samples, mutated structurally
// -------------------------------------------------------------------------------------------------------------

const GENERIC_CSV: &[&[&str]] = &[
    &["id", "title_en", "title_zh", "price", "compare_at", "stock", "currency", "url", "tags", "offer_ends"],
    &[
        "tea-set",
        "Celadon Tea Set",
        "青瓷茶具套装",
        "199.00",
        "259.00",
        "42",
        "CNY",
        "https://shop.example.com/p/tea",
        "tea, gift",
        "2030-01-01T00:00:00Z",
    ],
    &["scarf", "Striped Merino Scarf", "美利奴羊毛围巾", "¥129", "", "10", "CNY", "", "", ""],
    &["kettle", "Copper Kettle", "", "1,299.00", "1,599.00", "0", "CNY", "", "kitchen", ""],
    &["mug", "", "马克杯", "39", "", "1,200", "CNY", "", "", ""],
];

const SHOPIFY_CSV: &[&[&str]] = &[
    &[
        "Handle",
        "Title",
        "Body (HTML)",
        "Tags",
        "Published",
        "Option1 Name",
        "Option1 Value",
        "Variant SKU",
        "Variant Inventory Tracker",
        "Variant Inventory Qty",
        "Variant Price",
        "Variant Compare At Price",
        "Image Src",
        "Status",
    ],
    &[
        "shirt",
        "Example T-Shirt",
        "<p>Soft &amp; light</p>",
        "Shirt, Tee",
        "TRUE",
        "Size",
        "S",
        "SH-S",
        "shopify",
        "5",
        "25.00",
        "30.00",
        "https://cdn.example.com/s.jpg",
        "active",
    ],
    &["shirt", "", "", "", "", "", "M", "SH-M", "shopify", "3", "25.00", "", "", ""],
    &["hat", "Wool Hat", "<b>Warm</b>", "", "TRUE", "Title", "Default Title", "HAT", "", "", "15", "", "", "active"],
];

const WOO_CSV: &[&[&str]] = &[
    &[
        "ID",
        "Type",
        "SKU",
        "Name",
        "Published",
        "Description",
        "In stock?",
        "Stock",
        "Sale price",
        "Regular price",
        "Images",
        "Parent",
        "Attribute 1 name",
        "Attribute 1 value(s)",
    ],
    &[
        "44",
        "variable",
        "vneck",
        "V-Neck T-Shirt",
        "1",
        "A <em>tee</em>",
        "1",
        "",
        "",
        "",
        "",
        "",
        "Color",
        "Blue, Red",
    ],
    &["45", "variation", "vneck-blue", "V-Neck - Blue", "1", "", "1", "4", "15", "20", "", "id:44", "Color", "Blue"],
    &["46", "variation", "vneck-red", "V-Neck - Red", "1", "", "1", "2", "", "20", "", "vneck", "Color", "Red"],
    &["47", "simple", "beanie", "Beanie", "1", "Warm", "1", "10", "", "18", "", "", "", ""],
];

const MERCHANT_TSV: &[&[&str]] = &[
    &["id", "title", "description", "price", "sale_price", "availability", "item_group_id", "color", "link"],
    &["w1", "Diesel Watch", "Black dial", "105.29 USD", "", "in stock", "dz1", "Black", "https://example.com/w1"],
    &["w2", "Diesel Watch", "Brown dial", "105.29 USD", "99.00 USD", "in stock", "dz1", "Brown", ""],
    &["t1", "茶具", "青瓷", "199 CNY", "", "out of stock", "", "", ""],
];

const MERCHANT_XML: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
  <channel>
    <title>Feed</title>
    <item>
      <g:id>w1</g:id>
      <title>Diesel Watch</title>
      <description>Black dial &amp; strap</description>
      <link>https://example.com/w1?a=1&amp;b=2</link>
      <g:price>105.29 USD</g:price>
      <g:availability>in stock</g:availability>
      <g:item_group_id>dz1</g:item_group_id>
      <g:color>Black</g:color>
      <g:shipping><g:country>US</g:country><g:price>0.00 USD</g:price></g:shipping>
    </item>
    <item>
      <g:id>w2</g:id>
      <title>Diesel Watch</title>
      <g:price>105.29 USD</g:price>
      <g:sale_price>99.00 USD</g:sale_price>
      <g:sale_price_effective_date>2030-01-01T00:00+08:00/2030-02-01T00:00+08:00</g:sale_price_effective_date>
      <g:availability>in stock</g:availability>
      <g:item_group_id>dz1</g:item_group_id>
      <g:color>Brown</g:color>
    </item>
    <item>
      <g:id>t1</g:id>
      <title><![CDATA[青瓷茶具]]></title>
      <g:price>199 CNY</g:price>
      <g:availability>out of stock</g:availability>
    </item>
  </channel>
</rss>
"#;

const OWN_TOML: &str = r#"# Products
currency = "CNY"

[[product]]
id = "tea-set"
title.en = "Celadon Tea Set"
title.zh = "青瓷茶具套装"
description.en = "A teapot and four cups."
features.en = ["hand-thrown porcelain", "holds 450 ml"]
faq.en = [{ q = "Strainer?", a = "Yes." }]
specs.en = [{ name = "Capacity", value = "450 ml" }]
guarantee.en = "Two-year warranty"
price = "199.00"
compare_at = "259.00"
stock = 42
url = "https://shop.example.com/p/tea"
tags = ["tea", "gift"]
offer_ends = "2030-01-01T00:00:00+08:00"

[[product]]
id = "scarf"
title.en = "Striped Merino Scarf"
price = "129"
stock = 0
pin_priority = 2
dwell = "90s"

[[product]]
id = "kettle"
title.zh = "铜壶"
price = "1299"
"#;

fn own_json() -> Value {
    serde_json::json!({
        "currency": "CNY",
        "utc_offset": "+08:00",
        "products": [
            {
                "id": "tea-set",
                "title": {"en": "Celadon Tea Set", "zh": "青瓷茶具套装"},
                "features": {"en": ["hand-thrown porcelain", "holds 450 ml"]},
                "specs": {"en": [{"name": "Capacity", "value": "450 ml"}]},
                "faq": {"en": [{"q": "Strainer?", "a": "Yes."}]},
                "price": "199.00",
                "compare_at": 259,
                "stock": 42,
                "tags": ["tea"],
                "offer_ends": "2030-01-01T00:00:00",
                "dwell": "2m"
            },
            {
                "id": "shirt",
                "title": "Example T-Shirt",
                "currency": "USD",
                "price": "25",
                "variants": [
                    {"sku": "S", "options": [["Size", "S"]], "price": "25.00", "stock": 3},
                    {"sku": "M", "options": {"Size": "M"}, "price": 26, "compare_at": "30", "stock": 1}
                ]
            },
            {"id": "kettle", "title": {"zh": "铜壶"}, "price": 1299, "pin_priority": 1}
        ]
    })
}

/// A CSV cell as a spreadsheet writes it: quoted when it holds the delimiter, a quote or a line break.
fn csv_cell(cell: &str, delimiter: char) -> String {
    if cell.contains([delimiter, '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

/// A sheet with one cell replaced; `quoted` decides whether the new cell is written the way a spreadsheet would
/// (so the rows stay rows) or dropped in raw (so it may break the row structure).
fn sheet_text(rows: &[&[&str]], delimiter: char, at: (usize, usize), value: &str, quoted: bool, crlf: bool) -> String {
    let line_end = if crlf { "\r\n" } else { "\n" };
    let mut out = String::new();
    for (r, row) in rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                if (r, c) == at {
                    if quoted { csv_cell(value, delimiter) } else { value.to_string() }
                } else {
                    csv_cell(cell, delimiter)
                }
            })
            .collect();
        out.push_str(&cells.join(&delimiter.to_string()));
        out.push_str(line_end);
    }
    out
}

/// A value in any TOML type (or not TOML at all), to swap in for a product's value.
fn toml_value() -> impl Strategy<Value = String> {
    let string = || inline_text().prop_map(|s| toml_string(&s));
    prop_oneof![
        3 => string(),
        2 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|f| if f.is_finite() { format!("{f:?}") } else { "nan".into() }),
        1 => any::<bool>().prop_map(|b| b.to_string()),
        1 => Just("1979-05-27T07:32:00Z".to_string()),
        1 => prop::collection::vec(string(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
        1 => (string(), string()).prop_map(|(a, b)| format!("{{ en = {a}, zh = {b} }}")),
        1 => Just("[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]".to_string()),
        1 => inline_text(),
    ]
}

/// A TOML basic string holding `s` exactly.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Any JSON value, nested a few levels.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text_of(8).prop_map(Value::String),
        prop::sample::select(SYNTAX).prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text_of(3), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

/// Every JSON pointer into `value` (the root as "").
fn pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{at}/{i}"), out);
                }
            }
            Value::Object(members) => {
                for (k, v) in members {
                    walk(v, format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out);
                }
            }
            _ => {}
        }
        out.push(at);
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// `value` with the node at the chosen pointer replaced (or, when the pointer is the root, the new value itself).
fn mutate_json(mut value: Value, at: Index, new: Value) -> (Value, String) {
    let all = pointers(&value);
    let pointer = all[at.index(all.len())].clone();
    if let Some(slot) = value.pointer_mut(&pointer) {
        *slot = new;
    }
    (value, pointer)
}

// -------------------------------------------------------------------------------------------------------------
// Catalog properties
// -------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config_heavy())]

    /// Any text in every format: no panic, every diagnostic placed, every product fit for air.
    #[test]
    fn any_text_in_every_catalog_format(text in nasty(), currency in currency_choice()) {
        for format in all_formats() {
            parse_checked(&text, format, currency.as_ref())?;
        }
    }

    /// A generic sheet with one data cell replaced (written as a spreadsheet would) loses at most that row's
    /// product; raw cells, CRLF rows and header cells may break more but never panic.
    #[test]
    fn generic_csv_with_a_cell_replaced(
        row in 0..GENERIC_CSV.len(),
        col in 0..GENERIC_CSV[0].len(),
        value in nasty(),
        quoted in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let original = sheet_text(GENERIC_CSV, ',', (usize::MAX, 0), "", true, crlf);
        let before = parse_checked(&original, Format::Csv, None)?.products.len();
        prop_assert_eq!(before, GENERIC_CSV.len() - 1, "the unmutated sample loads whole");
        let text = sheet_text(GENERIC_CSV, ',', (row, col), &value, quoted, crlf);
        let after = parse_checked(&text, Format::Csv, None)?.products.len();
        if quoted && row > 0 {
            prop_assert!(after + 1 >= before, "one replaced cell cost {} products:\n{}", before - after, text);
        }
        let detected = catalog::detect(Path::new("sheet.csv"), &text);
        parse_checked(&text, detected, None)?;
    }

    /// Shopify, WooCommerce and Merchant TSV exports with one cell replaced.
    #[test]
    fn export_sheets_with_a_cell_replaced(
        which in 0..3usize,
        row in any::<Index>(),
        col in any::<Index>(),
        value in nasty(),
        quoted in any::<bool>(),
        crlf in any::<bool>(),
        currency in currency_choice(),
    ) {
        let (rows, delimiter, format) = match which {
            0 => (SHOPIFY_CSV, ',', Format::Shopify),
            1 => (WOO_CSV, ',', Format::WooCommerce),
            _ => (MERCHANT_TSV, '\t', Format::MerchantTsv),
        };
        let at = (row.index(rows.len()), col.index(rows[0].len()));
        let text = sheet_text(rows, delimiter, at, &value, quoted, crlf);
        parse_checked(&text, format, currency.as_ref())?;
        let detected = catalog::detect(Path::new("export"), &text);
        parse_checked(&text, detected, currency.as_ref())?;
    }

    /// A Merchant XML feed with one element's text replaced, escaped or raw, or the feed cut anywhere.
    #[test]
    fn merchant_xml_with_an_element_replaced(
        at in any::<Index>(),
        value in nasty(),
        escaped in any::<bool>(),
        cut in any::<Index>(),
        truncate in any::<bool>(),
    ) {
        let spans: Vec<(usize, usize)> = MERCHANT_XML
            .match_indices('>')
            .filter_map(|(open, _)| {
                let start = open + 1;
                let len = MERCHANT_XML[start..].find('<')?;
                (len > 0 && !MERCHANT_XML[start..start + len].trim().is_empty()).then_some((start, start + len))
            })
            .collect();
        let (start, end) = spans[at.index(spans.len())];
        let value = if escaped {
            value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
        } else {
            value
        };
        let mut text = format!("{}{}{}", &MERCHANT_XML[..start], value, &MERCHANT_XML[end..]);
        if truncate {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            text.truncate(boundaries[cut.index(boundaries.len())]);
        }
        parse_checked(&text, Format::MerchantXml, None)?;
        prop_assert_eq!(catalog::detect(Path::new("feed"), MERCHANT_XML), Format::MerchantXml);
    }

    /// shopcast's TOML with one product value swapped for a value of any type: only that product may be lost
    /// when the result is still TOML.
    #[test]
    fn own_toml_with_a_value_swapped(at in any::<Index>(), value in toml_value()) {
        let lines: Vec<&str> = OWN_TOML.lines().collect();
        let first_product = lines.iter().position(|l| l.starts_with("[[product]]")).unwrap_or(0);
        let candidates: Vec<usize> =
            (first_product..lines.len()).filter(|i| lines[*i].contains(" = ")).collect();
        let line = candidates[at.index(candidates.len())];
        let (key, _) = lines[line].split_once(" = ").unwrap_or((lines[line], ""));
        let mut mutated: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        mutated[line] = format!("{key} = {value}");
        let text = mutated.join("\n");
        let before = parse_checked(OWN_TOML, Format::Toml, None)?.products.len();
        prop_assert_eq!(before, 3, "the unmutated sample loads whole");
        let load = parse_checked(&text, Format::Toml, None)?;
        let still_toml = toml::from_str::<toml::Table>(&text).is_ok();
        if still_toml {
            prop_assert!(load.products.len() + 1 >= before, "one swapped value cost more than its product:\n{}\n{:?}",
                mutated[line], load.diagnostics);
        }
    }

    /// shopcast's JSON with any node replaced by a value of any type: a change inside one product loses at most
    /// that product.
    #[test]
    fn own_json_with_a_node_replaced(at in any::<Index>(), new in json_value(), pretty in any::<bool>()) {
        let before = parse_checked(&own_json().to_string(), Format::Json, None)?.products.len();
        prop_assert_eq!(before, 3, "the unmutated sample loads whole");
        let (doc, pointer) = mutate_json(own_json(), at, new);
        let text = if pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) };
        let text = text.unwrap_or_default();
        let load = parse_checked(&text, Format::Json, None)?;
        if doc.is_object() {
            prop_assert_eq!(catalog::sniff(&text), Some(Format::Json));
        }
        if pointer.starts_with("/products/") {
            prop_assert!(load.products.len() + 1 >= before, "replacing {} cost more than one product: {:?}",
                pointer, load.diagnostics);
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// `sniff` and `detect` take any text and any file name; what the content shows wins over the name.
    #[test]
    fn sniff_and_detect_any_text(text in nasty(), name in text_of(4), ext in prop::sample::select(
        &["", ".toml", ".json", ".csv", ".tsv", ".xml", ".CSV", ".txt", ".İ", ".ẞ"][..])) {
        let path = format!("{name}{ext}");
        let sniffed = catalog::sniff(&text);
        let detected = catalog::detect(Path::new(&path), &text);
        if let Some(format) = sniffed {
            prop_assert_eq!(detected, format);
        }
    }

    /// `decode` takes any bytes: valid UTF-8 comes back as it was (less a byte-order mark), UTF-16 with a
    /// byte-order mark is read, and anything else is one error that names its line and column (or, for broken
    /// UTF-16, the whole file).
    #[test]
    fn decode_any_bytes(bytes in bytes()) {
        let result = catalog::decode("fuzz.csv", bytes.clone());
        let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
        match (&result, std::str::from_utf8(&bytes)) {
            (Ok(text), Ok(original)) if !utf16 => {
                prop_assert_eq!(text.as_str(), original.strip_prefix('\u{FEFF}').unwrap_or(original));
            }
            (Err(_), Ok(_)) if !utf16 => prop_assert!(false, "valid UTF-8 was refused"),
            (Err(d), _) => {
                prop_assert_eq!(d.path.as_str(), "fuzz.csv");
                prop_assert!(!d.message.is_empty());
                if utf16 {
                    prop_assert_eq!((d.line, d.col), (0, 0));
                } else {
                    prop_assert!(d.line >= 1 && d.col >= 1, "{}", d);
                    prop_assert!(d.line <= max_line(&String::from_utf8_lossy(&bytes)), "{}", d);
                }
            }
            _ => {}
        }
    }

    /// UTF-16 text with its byte-order mark decodes to exactly the text, in either byte order.
    #[test]
    fn decode_reads_utf16_back(text in text_of(24), little in any::<bool>()) {
        let decoded = catalog::decode("feed.txt", utf16_with_bom(&text, little));
        prop_assert_eq!(decoded.as_deref(), Ok(text.as_str()));
    }

    /// Any price text, with or without a default currency: no panic, and a price read is never negative.
    #[test]
    fn price_text_never_panics(text in nasty(), currency in currency_choice()) {
        if let Ok(m) = price_text::parse_price(&text, currency.as_ref()) {
            prop_assert!(m.minor >= 0, "{:?} read as {:?}", text, m);
        }
        let _ = price_text::names_currency(&text);
        let stripped = price_text::strip_quotes(&text);
        prop_assert!(text.contains(stripped));
    }

    /// A price written the way the card shows it (`¥199.00`, `CHF 12.50`) or with its code reads back exactly.
    #[test]
    fn prices_read_back_as_written(
        minor in prop_oneof![0i64..1_000_000, 0i64..=i64::MAX],
        code in prop::sample::select(&["CNY", "USD", "EUR", "GBP", "JPY", "KRW", "INR", "CAD", "CHF", "KWD", "VND"][..]),
        quote in prop::sample::select(&["", "\"", "“", " "][..]),
    ) {
        let money = Money { minor, currency: Currency::parse(code).unwrap() };
        let shown = format!("{quote}{}{quote}", money.display());
        prop_assert_eq!(price_text::parse_price(&shown, Some(&money.currency)), Ok(money.clone()), "{}", shown);
        let coded = format!("{} {}", money.amount_text(), code);
        prop_assert_eq!(price_text::parse_price(&coded, None), Ok(money.clone()), "{}", coded);
        prop_assert!(price_text::names_currency(&coded));
    }
}

// -------------------------------------------------------------------------------------------------------------
// Chat samples and generators
// -------------------------------------------------------------------------------------------------------------

const IRC_LINES: &[&str] = &[
    "@badge-info=;badges=moderator/1,bits/1;bits=10;color=#FF0000;display-name=EXDE\\sHUN;first-msg=1;id=abc;\
     reply-parent-msg-id=parent;tmi-sent-ts=1566654664248;user-id=129793695 \
     :exde_hun!exde_hun@exde_hun.tmi.twitch.tv PRIVMSG #shop :PogChamp10 how much?",
    "@pinned-chat-paid-amount=500;pinned-chat-paid-currency=JPY;pinned-chat-paid-exponent=2;display-name=Ann;\
     user-id=1;id=p1;tmi-sent-ts=1700000000000 :ann!ann@ann.tmi.twitch.tv PRIVMSG #shop :\u{1}ACTION waves\u{1}",
    "@badges=subscriber/6;display-name=Bob;id=u1;login=bob;msg-id=resub;system-msg=Bob\\ssubscribed\\sfor\\s6\\smonths!;\
     tmi-sent-ts=1700000000001;user-id=2 :tmi.twitch.tv USERNOTICE #shop :love the tea",
    "@display-name=Cy;login=cy;msg-id=raid;system-msg=5\\sraiders;user-id=3 :tmi.twitch.tv USERNOTICE #shop",
    "@ban-duration=600;room-id=1;target-user-id=141981764;tmi-sent-ts=1700000000002 :tmi.twitch.tv CLEARCHAT #shop :twitchdev",
    "@login=x;target-msg-id=ee43;tmi-sent-ts=1700000000003 :tmi.twitch.tv CLEARMSG #shop :bad words",
    "PING :tmi.twitch.tv",
    ":tmi.twitch.tv NOTICE #shop :Login authentication failed",
];

/// The IRCv3 escaped form of a tag value.
fn escape_tag(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            ' ' => out.push_str("\\s"),
            ';' => out.push_str("\\:"),
            '\\' => out.push_str("\\\\"),
            '\r' => out.push_str("\\r"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// An IRC sample line with one tag value replaced (escaped, or raw with whatever it holds).
fn irc_with_tag(line: &str, at: Index, value: &str, escaped: bool) -> (String, String) {
    let Some(rest) = line.strip_prefix('@') else { return (line.to_string(), String::new()) };
    let (tags, tail) = rest.split_once(' ').unwrap_or((rest, ""));
    let mut pairs: Vec<(String, String)> = tags
        .split(';')
        .map(|t| t.split_once('=').unwrap_or((t, "")))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let i = at.index(pairs.len());
    pairs[i].1 = if escaped { escape_tag(value) } else { value.to_string() };
    let key = pairs[i].0.clone();
    let tags: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    (format!("@{} {tail}", tags.join(";")), key)
}

fn youtube_data_page() -> Value {
    serde_json::json!({
        "kind": "youtube#liveChatMessageListResponse",
        "pollingIntervalMillis": 2500, "nextPageToken": "tok2",
        "items": [
            {"id": "m1", "snippet": {"type": "textMessageEvent", "publishedAt": "2024-05-01T12:00:00.5Z",
              "textMessageDetails": {"messageText": "how much?"}},
             "authorDetails": {"channelId": "UC1", "displayName": "Ann", "isChatSponsor": true}},
            {"id": "m2", "snippet": {"type": "superChatEvent", "publishedAt": "2024-05-01T12:00:01Z",
              "superChatDetails": {"amountMicros": "5000000", "currency": "USD", "userComment": "love it"}},
             "authorDetails": {"channelId": "UC2", "displayName": "Bob"}},
            {"id": "m3", "snippet": {"type": "messageDeletedEvent", "messageDeletedDetails": {"deletedMessageId": "m1"}}},
            {"id": "m4", "snippet": {"type": "userBannedEvent", "userBannedDetails": {"banType": "temporary",
              "banDurationSeconds": "300", "bannedUserDetails": {"channelId": "UC9", "displayName": "Troll"}}}},
            {"id": "m5", "snippet": {"type": "memberMilestoneChatEvent", "publishedAt": "2024-05-01T12:00:02+08:00",
              "memberMilestoneChatDetails": {"userComment": "a year!"}}, "authorDetails": {"channelId": "UC3"}},
            {"id": "m6", "snippet": {"type": "chatEndedEvent", "publishedAt": "2024-05-01T13:00:00Z"}}
        ]
    })
}

fn youtube_web_page() -> Value {
    serde_json::json!({
        "continuationContents": {"liveChatContinuation": {
            "continuations": [{"timedContinuationData": {"continuation": "abc", "timeoutMs": 5000}}],
            "actions": [
                {"addChatItemAction": {"item": {"liveChatTextMessageRenderer": {
                    "id": "w1", "authorExternalChannelId": "UCw", "authorName": {"simpleText": "Wen"},
                    "timestampUsec": "1714564800000000",
                    "message": {"runs": [{"text": "多少钱 "}, {"emoji": {"emojiId": "😀", "shortcuts": [":smile:"]}}]},
                    "authorBadges": [{"liveChatAuthorBadgeRenderer": {"tooltip": "Moderator"}}]}}}},
                {"addChatItemAction": {"item": {"liveChatPaidMessageRenderer": {
                    "id": "w2", "authorExternalChannelId": "UCp", "timestampUsec": "1714564801000000",
                    "purchaseAmountText": {"simpleText": "￥846"}, "message": {"simpleText": "支持"}}}}},
                {"replayChatItemAction": {"actions": [
                    {"markChatItemAsDeletedAction": {"targetItemId": "w1"}},
                    {"markChatItemsByAuthorAsDeletedAction": {"externalChannelId": "UCbad"}}
                ]}},
                {"addLiveChatTickerItemAction": {}}
            ]
        }}
    })
}

const BILIBILI_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><i>\n\
    <chatserver>chat.bilibili.com</chatserver>\n\
    <d p=\"0,1,25,16777215,1296965347,0,c4c06db0,14089276\">路过</d>\n\
    <d p=\"3,1,25,1,1299993365,0,Dea1a7cd,18515460\">音响坏了？&amp;&#x41;</d>\n\
    <d p=\"4,1,25,1,1309012585,0,D75a006c,32875515\"><![CDATA[G_<]]></d>\n\
    </i>\n";

fn platform() -> impl Strategy<Value = Platform> {
    prop::sample::select(
        &[
            Platform::Twitch,
            Platform::Youtube,
            Platform::Bilibili,
            Platform::Tiktok,
            Platform::Douyin,
            Platform::Kuaishou,
            Platform::Kick,
            Platform::Generic,
        ][..],
    )
}

/// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: the times RFC 3339 can write with a four-digit year.
const FIRST_RFC3339_MS: i64 = -62_167_219_200_000;
const LAST_RFC3339_MS: i64 = 253_402_300_799_999;

fn rfc3339_time() -> impl Strategy<Value = i64> {
    prop_oneof![FIRST_RFC3339_MS..=LAST_RFC3339_MS, 1_600_000_000_000i64..1_800_000_000_000]
}

fn comment() -> impl Strategy<Value = Comment> {
    let paid = prop::option::of((0i64..=i64::MAX, "[A-Za-z]{3}"))
        .prop_map(|p| p.and_then(|(minor, code)| Currency::parse(&code).map(|currency| Money { minor, currency })));
    let flags = (any::<[bool; 5]>(), prop::option::of(text_of(3)), prop::option::of(text_of(2))).prop_map(
        |(b, reply, amount)| CommentFlags {
            first_message: b[0],
            moderator: b[1],
            subscriber: b[2],
            member: b[3],
            reply_to: reply.map(CommentId),
            returning: b[4],
            paid_amount_text: amount,
        },
    );
    // Any time at all: a Twitch line's tmi-sent-ts is whatever the line says.
    let time = prop_oneof![4 => rfc3339_time(), 1 => any::<i64>()];
    (platform(), text_of(4), text_of(4), text_of(4), nasty(), time, paid, flags).prop_map(
        |(platform, id, user_id, user_name, text, time, paid, flags)| Comment {
            platform,
            id: CommentId(format!("c{id}")),
            user_id,
            user_name,
            text,
            time: UnixMs(time),
            paid,
            flags,
        },
    )
}

fn label() -> impl Strategy<Value = Option<TriageLabel>> {
    let intent = prop::sample::select(&Intent::ALL[..]);
    let lang = prop::option::of(prop::sample::select(&[Lang::En, Lang::Zh][..]));
    prop::option::of((intent, 0.0f32..=1.0, lang, prop::option::of(text_of(3)), any::<bool>())).prop_map(|l| {
        l.map(|(intent, confidence, lang, product, flood)| TriageLabel {
            intent,
            confidence,
            lang,
            product: product.map(ProductId),
            flood,
        })
    })
}

/// Chat-import diagnostics name a 1-based line of the log and say what is wrong.
fn check_chat_diagnostic(d: &Diagnostic, text: &str) -> Result<(), TestCaseError> {
    prop_assert!(!d.message.trim().is_empty(), "diagnostic without a message: {:?}", d);
    prop_assert!(d.line >= 1, "diagnostic names no line: {:?}", d);
    prop_assert!(
        d.line <= max_line(text),
        "diagnostic names line {} of a {}-line log: {:?}",
        d.line,
        max_line(text),
        d
    );
    Ok(())
}

fn check_import(format: ImportFormat, text: &str) -> Result<(), TestCaseError> {
    let (comments, problems) = chat::import(format, text);
    for d in &problems {
        check_chat_diagnostic(d, text)?;
    }
    let mut seen = std::collections::HashSet::new();
    for (c, _) in &comments {
        prop_assert!(seen.insert((c.platform, c.id.clone())), "comment id {:?} imported twice", c.id);
    }
    Ok(())
}

const IMPORT_FORMATS: [ImportFormat; 4] =
    [ImportFormat::TwitchIrc, ImportFormat::YoutubeJson, ImportFormat::BilibiliXml, ImportFormat::Jsonl];

// -------------------------------------------------------------------------------------------------------------
// Chat properties
// -------------------------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// Any line through the IRC splitter and the Twitch reader: no panic; a split line has a command word.
    #[test]
    fn any_irc_line(line in nasty(), received in any::<i64>()) {
        if let Ok(irc) = twitch::IrcLine::parse(&line) {
            prop_assert!(!irc.command.is_empty() && irc.command.bytes().all(|b| b.is_ascii_alphanumeric()));
            let _ = irc.login();
            for (key, value) in irc.tag_pairs() {
                let _ = twitch::unescape_tag(value);
                prop_assert!(!key.contains(';'));
            }
        }
        let _ = twitch::parse_line(&line, UnixMs(received));
    }

    /// Real Twitch lines with one tag value replaced: still a comment (when it was one), and an escaped
    /// display name or send time comes through exactly.
    #[test]
    fn twitch_lines_with_a_tag_mangled(
        which in 0..IRC_LINES.len(),
        at in any::<Index>(),
        value in inline_text(),
        escaped in any::<bool>(),
    ) {
        let original = IRC_LINES[which];
        let (line, key) = irc_with_tag(original, at, &value, escaped);
        let before = twitch::parse_line(original, UnixMs(7));
        prop_assert!(before.is_ok(), "the sample parses: {:?}", before);
        let after = twitch::parse_line(&line, UnixMs(7));
        if escaped && matches!(before, Ok(ChatEvent::Comment(_))) {
            let Ok(ChatEvent::Comment(c)) = &after else {
                return Err(TestCaseError::fail(format!("a mangled {key} lost the comment: {after:?}\n{line}")));
            };
            if key == "display-name" && !value.trim().is_empty() {
                prop_assert_eq!(&c.user_name, value.trim());
            }
            if key == "tmi-sent-ts" {
                prop_assert_eq!(c.time, UnixMs(value.parse().unwrap_or(7)));
            }
            if let Some(paid) = &c.paid {
                prop_assert!(paid.minor >= 0, "{:?}", paid);
            }
        }
    }

    /// Escaping then unescaping a tag value gives it back; unescaping anything never panics.
    #[test]
    fn tag_escaping_round_trips(value in nasty(), raw in nasty()) {
        let escaped = escape_tag(&value);
        prop_assert_eq!(twitch::unescape_tag(&escaped), value.as_str());
        let _ = twitch::unescape_tag(&raw);
    }

    /// Any JSON value as a YouTube response: no panic; problems point at items that exist.
    #[test]
    fn any_json_as_a_youtube_response(body in json_value()) {
        if let Ok(page) = youtube::parse_response(&body) {
            let items = body.get("items").and_then(Value::as_array).map(Vec::len);
            let actions = body.pointer("/continuationContents/liveChatContinuation/actions")
                .or_else(|| body.pointer("/response/continuationContents/liveChatContinuation/actions"))
                .and_then(Value::as_array).map(Vec::len);
            for (index, reason) in &page.problems {
                prop_assert!(!reason.is_empty());
                prop_assert!(items.or(actions).is_some_and(|n| *index < n), "problem at item {} of {:?}", index, items.or(actions));
            }
        }
    }

    /// Real YouTube responses (Data API and web client) with one node replaced by any JSON value.
    #[test]
    fn youtube_responses_with_a_node_replaced(web in any::<bool>(), at in any::<Index>(), new in json_value()) {
        let sample = if web { youtube_web_page() } else { youtube_data_page() };
        prop_assert!(youtube::parse_response(&sample).is_ok_and(|p| p.problems.is_empty()));
        let (body, _) = mutate_json(sample, at, new);
        let _ = youtube::parse_response(&body);
        let text = body.to_string();
        check_import(ImportFormat::YoutubeJson, &text)?;
    }

    /// Any amount text YouTube might show: no panic, and nothing negative.
    #[test]
    fn any_youtube_amount_text(text in nasty()) {
        if let Some(m) = youtube::parse_amount_text(&text) {
            prop_assert!(m.minor >= 0, "{:?} read as {:?}", text, m);
        }
    }

    /// Amounts written as YouTube writes them read back exactly.
    #[test]
    fn youtube_amounts_read_back(
        minor in prop_oneof![0i64..10_000_000, 0i64..=i64::MAX],
        symbol in prop::sample::select(&[("$", "USD"), ("CA$", "CAD"), ("€", "EUR"), ("£", "GBP"), ("￥", "JPY"),
            ("CN¥", "CNY"), ("₩", "KRW"), ("₹", "INR"), ("NT$", "TWD"), ("CHF ", "CHF"), ("SEK", "SEK")][..]),
    ) {
        let money = Money { minor, currency: Currency::parse(symbol.1).unwrap() };
        let text = format!("{}{}", symbol.0, money.amount_text());
        prop_assert_eq!(youtube::parse_amount_text(&text), Some(money), "{}", text);
    }

    /// Any text as a Bilibili danmaku file, and the sample with a `p` attribute or a text replaced: no panic;
    /// comments have text; every problem names a line.
    #[test]
    fn bilibili_xml(text in nasty(), at in any::<Index>(), value in nasty(), in_attribute in any::<bool>()) {
        let xml = if in_attribute {
            let spots: Vec<usize> = BILIBILI_XML.match_indices("p=\"").map(|(i, _)| i + 3).collect();
            let start = spots[at.index(spots.len())];
            let end = start + BILIBILI_XML[start..].find('"').unwrap_or(0);
            format!("{}{}{}", &BILIBILI_XML[..start], value.replace('"', "&quot;"), &BILIBILI_XML[end..])
        } else {
            let spots: Vec<usize> = BILIBILI_XML.match_indices("\">").map(|(i, _)| i + 2).collect();
            let start = spots[at.index(spots.len())];
            let end = start + BILIBILI_XML[start..].find("</d>").unwrap_or(0);
            format!("{}{}{}", &BILIBILI_XML[..start], value, &BILIBILI_XML[end..])
        };
        for input in [text.as_str(), xml.as_str()] {
            let (comments, problems) = bilibili::parse(input);
            for (line, c) in &comments {
                prop_assert!(*line >= 1 && *line <= max_line(input));
                prop_assert!(!c.text.is_empty() && c.text.trim() == c.text);
            }
            for d in &problems {
                check_chat_diagnostic(d, input)?;
            }
            check_import(ImportFormat::BilibiliXml, input)?;
        }
    }

    /// Any text through `chat::import` in every format: every problem names a line, and no comment id twice.
    #[test]
    fn any_log_in_every_import_format(text in nasty(), lines in prop::collection::vec(nasty(), 0..6)) {
        let joined = lines.join("\n");
        for format in IMPORT_FORMATS {
            check_import(format, &text)?;
            check_import(format, &joined)?;
        }
        let sample_log = IRC_LINES.join("\r\n");
        check_import(ImportFormat::TwitchIrc, &format!("{sample_log}\n{text}\n{sample_log}"))?;
    }

    /// A comment written as a JSONL line reads back as the same comment and label.
    #[test]
    fn jsonl_lines_round_trip(comment in comment(), label in label()) {
        let line = chat::to_jsonl_line(&comment, label.as_ref());
        prop_assert!(!line.contains('\n'), "a JSONL line with a line break: {}", line);
        let back = chat::from_jsonl_line(&line);
        prop_assert_eq!(back, Ok((comment, label)), "{}", line);
    }

    /// Any line, and a real line with one field replaced by a value of any type: no panic, and a refusal says why.
    #[test]
    fn jsonl_lines_with_a_field_replaced(comment in comment(), at in any::<Index>(), new in json_value(), raw in nasty()) {
        if let Err(reason) = chat::from_jsonl_line(&raw) {
            prop_assert!(!reason.is_empty());
        }
        let line = chat::to_jsonl_line(&comment, None);
        let value: Value = serde_json::from_str(&line).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let (mutated, _) = mutate_json(value, at, new);
        let text = mutated.to_string();
        if let Err(reason) = chat::from_jsonl_line(&text) {
            prop_assert!(!reason.is_empty());
        }
        check_import(ImportFormat::Jsonl, &format!("{line}\n{text}\n{line}"))?;
    }

    /// Any text as an RFC 3339 time: no panic; a time read is written back the same way it reads.
    #[test]
    fn any_rfc3339_text(text in nasty(), at in any::<Index>(), replacement in piece()) {
        // Offsets can carry a time read at year 0000 or 9999 just outside the four-digit years RFC 3339 writes.
        if let Ok(t) = time::parse_rfc3339(&text)
            && (FIRST_RFC3339_MS..=LAST_RFC3339_MS).contains(&t.0)
        {
            prop_assert_eq!(time::parse_rfc3339(&time::format_rfc3339(t).unwrap_or_default()), Ok(t));
        }
        // A valid time with one character replaced.
        let valid = "2024-05-01T12:00:00.250+08:00";
        let i = at.index(valid.len());
        let mutated = format!("{}{}{}", &valid[..i], replacement, &valid[i + 1..]);
        let _ = time::parse_rfc3339(&mutated);
    }

    /// Every time with a four-digit year writes as RFC 3339 and reads back exactly; any time at all formats.
    #[test]
    fn rfc3339_round_trips(ms in rfc3339_time(), any_ms in any::<i64>()) {
        let written = time::format_rfc3339(UnixMs(ms)).unwrap_or_default();
        prop_assert_eq!(time::parse_rfc3339(&written), Ok(UnixMs(ms)), "{}", written);
        let _ = time::format_rfc3339(UnixMs(any_ms));
    }
}

// -------------------------------------------------------------------------------------------------------------
// Regressions: each crash or property failure the fuzzing found, with its minimal input.
// -------------------------------------------------------------------------------------------------------------

/// A Twitch line's tmi-sent-ts can be any number; `to_jsonl_line` wrote such a time as an RFC 3339 text with a year
/// of more than four digits (or a negative one) that `from_jsonl_line` then refused, so `chat import` wrote logs it
/// could not read back. Fixed in chat/mod.rs: those times are written as milliseconds.
#[test]
fn a_time_outside_rfc3339_years_survives_a_jsonl_round_trip() {
    for ms in [i64::MAX, i64::MIN, LAST_RFC3339_MS + 1, FIRST_RFC3339_MS - 1] {
        let line = format!("@id=x;user-id=1;tmi-sent-ts={ms} :a!a@a PRIVMSG #c :hi");
        let Ok(ChatEvent::Comment(comment)) = twitch::parse_line(&line, UnixMs(0)) else { panic!("a comment: {line}") };
        assert_eq!(comment.time, UnixMs(ms));
        let written = chat::to_jsonl_line(&comment, None);
        assert_eq!(chat::from_jsonl_line(&written), Ok((comment, None)), "{written}");
    }
}

/// Documents nested far deeper than any product file: no format may overflow the stack.
#[test]
fn deeply_nested_documents_are_refused_without_overflowing_the_stack() {
    for depth in [100, 10_000, 200_000] {
        let (open, close) = ("[".repeat(depth), "]".repeat(depth));
        let texts = [
            format!("[[product]]\nid = \"a\"\ntitle.en = \"A\"\nprice = \"1\"\nx = {open}1{close}\n"),
            format!("x = {}1{}\n", "{ a = ".repeat(depth), " }".repeat(depth)),
            format!("{{\"products\": [{{\"id\": \"a\", \"title\": \"A\", \"price\": 1, \"x\": {open}1{close}}}]}}"),
            format!("<rss><channel><item>{}</item></channel></rss>", "<g:x>".repeat(depth)),
            format!("<i>{}<d p=\"0,1,25,1,1,0,u,1\">a</d>", "<x>".repeat(depth)),
        ];
        for text in &texts {
            for format in all_formats() {
                let load = catalog::parse_as("deep", text, fuzz_dir(), format, None);
                assert!(load.diagnostics.iter().all(|d| !d.message.is_empty()));
            }
            let _ = catalog::sniff(text);
            for format in IMPORT_FORMATS {
                let _ = chat::import(format, text);
            }
            let _ = serde_json::from_str::<Value>(text).map(|v| youtube::parse_response(&v));
        }
    }
}

/// A real EventSub chat notification (the documented shape), for mutation.
fn eventsub_notification() -> Value {
    json!({
        "metadata": {"message_id": "n-1", "message_type": "notification", "message_timestamp": "2026-12-06T10:00:01.123456789Z",
            "subscription_type": "channel.chat.message", "subscription_version": "1"},
        "payload": {"subscription": {"id": "s", "status": "enabled", "type": "channel.chat.message", "version": "1"},
            "event": {"broadcaster_user_id": "1", "broadcaster_user_login": "shop", "broadcaster_user_name": "Shop",
                "chatter_user_id": "4145994", "chatter_user_login": "ana", "chatter_user_name": "Ana",
                "message_id": "m-1", "message": {"text": "is it blue?", "fragments": [{"type": "text", "text": "is it blue?"}]},
                "message_type": "text", "badges": [{"set_id": "subscriber", "id": "12", "info": "16"}],
                "cheer": {"bits": 100}, "color": "", "reply": null, "channel_points_custom_reward_id": null}}
    })
}

/// A Bilibili open-platform message of each kind shopcast reads, for mutation.
fn open_platform_messages() -> Vec<Value> {
    vec![
        json!({"cmd": "LIVE_OPEN_PLATFORM_DM", "data": {"uname": "猫", "open_id": "o-1", "msg": "多少钱", "msg_id": "d-1",
            "timestamp": 1_733_450_001, "room_id": 1, "dm_type": 0}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT", "data": {"rmb": 30, "message": "有优惠吗", "message_id": 6_522_809,
            "uname": "界", "open_id": "o-2", "start_time": 1_733_450_002}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SUPER_CHAT_DEL", "data": {"message_ids": [6_522_809]}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_SEND_GIFT", "data": {"open_id": "o-3", "uname": "不", "gift_name": "小花花",
            "gift_num": 5, "r_price": 100, "paid": true, "msg_id": "g-1"}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_GUARD", "data": {"user_info": {"open_id": "o-4", "uname": "你"}, "guard_level": 3,
            "guard_num": 1, "guard_unit": "月", "price": 198_000, "msg_id": "gd-1"}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_LIKE", "data": {"open_id": "o-5", "like_count": 12}}),
        json!({"cmd": "LIVE_OPEN_PLATFORM_INTERACTION_END", "data": {"game_id": "g"}}),
        json!({"cmd": "GUARD_BUY", "data": {"uid": 616_066, "username": "你", "guard_level": 3, "num": 1, "price": 198_000}}),
    ]
}

fn bilibili_packet(body: &[u8]) -> Vec<u8> {
    crate::chat::bilibili_live::packet(0, 5, body)
}

proptest! {
    #![proptest_config(config())]

    /// Any text and any JSON as an EventSub socket message, and the real notification with one node replaced: no
    /// panic; a comment read from it has an id, a sender and a paid amount that is not negative.
    #[test]
    fn eventsub_messages_never_panic(text in nasty(), body in json_value(), at in any::<Index>(), new in json_value()) {
        let _ = twitch_eventsub::parse_frame(&text, UnixMs(0));
        let _ = twitch_eventsub::parse_frame(&body.to_string(), UnixMs(0));
        let sample = eventsub_notification();
        prop_assert!(twitch_eventsub::parse_frame(&sample.to_string(), UnixMs(0)).is_ok());
        let (mutated, _) = mutate_json(sample, at, new);
        if let Ok(twitch_eventsub::Frame::Notification { event: Some(ChatEvent::Comment(c)), message_id }) =
            twitch_eventsub::parse_frame(&mutated.to_string(), UnixMs(0))
        {
            prop_assert!(!c.id.0.is_empty() && !c.user_id.is_empty() && !message_id.is_empty());
            prop_assert!(c.paid.as_ref().is_none_or(|m| m.minor > 0), "{:?}", c.paid);
        }
    }

    /// The open platform's messages with one node replaced by any JSON value, in a packet: no panic; comments have
    /// ids; amounts are never negative; every problem names where it was.
    #[test]
    fn bilibili_open_platform_messages_with_a_node_replaced(which in any::<Index>(), at in any::<Index>(), new in json_value()) {
        let messages = open_platform_messages();
        let sample = messages[which.index(messages.len())].clone();
        let (mutated, _) = mutate_json(sample, at, new);
        let frame = bilibili_packet(mutated.to_string().as_bytes());
        let decoded = crate::chat::bilibili_live::decode(&frame);
        for event in &decoded.events {
            match event {
                crate::chat::bridges::BridgeEvent::Chat(ChatEvent::Comment(c)) => {
                    prop_assert!(!c.id.0.is_empty() && !c.user_id.is_empty());
                    prop_assert!(c.paid.as_ref().is_none_or(|m| m.minor >= 0), "{:?}", c.paid);
                }
                crate::chat::bridges::BridgeEvent::Membership { amount, .. } => {
                    prop_assert!(amount.as_ref().is_none_or(|m| m.minor >= 0), "{:?}", amount);
                }
                _ => {}
            }
        }
        for (offset, reason) in &decoded.problems {
            prop_assert!(*offset < frame.len() && !reason.is_empty());
        }
    }

    /// Any text split for a chat message of any length: every part fits and has words; nothing is lost or
    /// reordered (whitespace at the cuts aside).
    #[test]
    fn any_reply_splits_into_parts_that_fit(text in nasty(), max in 1usize..600) {
        let parts = crate::chat::replies::split_message(&text, max);
        for part in &parts {
            prop_assert!(part.chars().count() <= max && !part.trim().is_empty(), "{:?} in {}", part, max);
        }
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        prop_assert_eq!(squeeze(&parts.concat()), squeeze(&text));
    }
}
