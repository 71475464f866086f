//! shopcast's own product format written as JSON: the same fields as the TOML format (own_toml.rs), for tools
//! and shop back-ends that emit JSON more easily than TOML.
//!
//! serde_json reads the document (its syntax errors carry line and column); a small scanner then finds where
//! each product and each of its keys starts in the text, so per-product problems name a line too. The scanner
//! only runs on text serde_json has already accepted, and never indexes past the end of it.

use super::CatalogLoad;
use super::dates;
use super::price_text;
use super::validate::{self, Draft, Intake, Labels, LineIndex, Spot};
use crate::time_text::parse_duration_ms;
use model::{Currency, Faq, Lang, Localized, OfferWindow, Spec, Variant};
use serde_json::{Map, Value};
use std::path::Path;

const LABELS: Labels<'static> = Labels { id: "id", title: "title", price: "price" };

const PRODUCT_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "features",
    "usage",
    "guarantee",
    "specs",
    "faq",
    "currency",
    "price",
    "compare_at",
    "stock",
    "image",
    "images",
    "url",
    "variants",
    "offer_starts",
    "offer_ends",
    "pin_priority",
    "dwell",
    "tags",
];

const VARIANT_KEYS: &[&str] = &["sku", "options", "price", "compare_at", "stock", "image"];

/// Parses a shopcast product JSON document: `{"currency": ..., "utc_offset": ..., "products": [...]}` or a bare
/// array of products.
pub fn parse(shown_path: &str, text: &str, base_dir: &Path, default_currency: Option<&Currency>) -> CatalogLoad {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut intake = Intake::new(shown_path, base_dir).with_no_currency_hint(
        "no currency: add \"currency\": \"CNY\" at the top of the file or to each product, or pass `--currency \
         CODE` (or set `currency` under [show] in show.toml)",
    );
    let lines = LineIndex::new(text);
    let document: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => {
            let message = e.to_string();
            // serde_json appends " at line L column C"; the diagnostic carries the position already.
            let message = message.split(" at line ").next().unwrap_or(&message);
            intake.error(
                Spot { line: e.line().max(1), col: e.column().max(1) },
                format!("this is not valid JSON: {message}"),
            );
            return intake.finish();
        }
    };
    let scan = Scanner { bytes: text.as_bytes() };
    let root_at = scan.skip_ws(0);
    let (products, products_at, file_currency, utc_offset) = match &document {
        Value::Array(products) => (products, root_at, None, None),
        Value::Object(root) => {
            let members = scan.members(root_at);
            let spot_of =
                |key: &str| members.iter().find(|(k, _)| *k == key).map_or(Spot::line(1), |(_, at)| lines.spot(*at));
            for key in root.keys() {
                if !["currency", "utc_offset", "products"].contains(&key.as_str()) {
                    intake.warning(spot_of(key), format!("unknown key `{key}` at the top of the file; shopcast reads currency, utc_offset and products"));
                }
            }
            let currency = match root.get("currency") {
                Some(Value::String(code)) => match Currency::parse(code) {
                    Some(c) => Some(c),
                    None => {
                        intake.error(
                            spot_of("currency"),
                            format!("`currency` \"{code}\" is not a 3-letter ISO code like CNY or USD"),
                        );
                        None
                    }
                },
                Some(_) => {
                    intake.error(spot_of("currency"), "`currency` must be a string like \"CNY\"");
                    None
                }
                None => None,
            };
            let offset = match root.get("utc_offset") {
                Some(Value::String(o)) => match parse_utc_offset(o) {
                    Some(minutes) => Some(minutes),
                    None => {
                        intake.error(
                            spot_of("utc_offset"),
                            format!("`utc_offset` \"{o}\" must look like \"+08:00\" or \"-05:00\""),
                        );
                        None
                    }
                },
                Some(_) => {
                    intake.error(spot_of("utc_offset"), "`utc_offset` must be a string like \"+08:00\"");
                    None
                }
                None => None,
            };
            match root.get("products") {
                Some(Value::Array(products)) => {
                    let at = members.iter().find(|(k, _)| *k == "products").map_or(root_at, |(_, at)| *at);
                    (products, at, currency, offset)
                }
                Some(_) => {
                    intake.error(spot_of("products"), "`products` must be a list: \"products\": [{\"id\": ...}, ...]");
                    return intake.finish();
                }
                None => {
                    intake.error(Spot::line(1), "the file has no products; add \"products\": [{\"id\": \"tea-set\", \"title\": ..., \"price\": \"199.00\"}]");
                    return intake.finish();
                }
            }
        }
        _ => {
            intake.error(
                Spot::line(1),
                "a product file is a JSON object with \"products\": [...] (or a list of products)",
            );
            return intake.finish();
        }
    };
    let currency = file_currency.as_ref().or(default_currency);
    let starts = scan.elements(products_at);
    for (index, product) in products.iter().enumerate() {
        let at = starts.get(index).copied().unwrap_or(products_at);
        let reader = ObjectAt { members: scan.members(at), lines: &lines, at };
        let Value::Object(fields) = product else {
            intake.error(
                reader.spot(),
                format!(
                    "product {} is not an object; write it as {{\"id\": ..., \"title\": ..., \"price\": ...}}",
                    index + 1
                ),
            );
            continue;
        };
        let draft = read_product(fields, &reader, &scan, &mut intake, currency, utc_offset);
        intake.admit(draft, &LABELS);
    }
    intake.finish()
}

/// Where an object and each of its keys start in the text.
struct ObjectAt<'l, 't> {
    members: Vec<(&'t str, usize)>,
    lines: &'l LineIndex<'t>,
    at: usize,
}

impl ObjectAt<'_, '_> {
    fn spot(&self) -> Spot {
        self.lines.spot(self.at)
    }

    /// Where the value of `key` starts, or the object itself when the key is absent.
    fn spot_of(&self, key: &str) -> Spot {
        self.offset_of(key).map_or_else(|| self.spot(), |at| self.lines.spot(at))
    }

    fn offset_of(&self, key: &str) -> Option<usize> {
        self.members.iter().find(|(k, _)| *k == key).map(|(_, at)| *at)
    }
}

fn read_product(
    fields: &Map<String, Value>,
    at: &ObjectAt<'_, '_>,
    scan: &Scanner<'_>,
    intake: &mut Intake<'_>,
    file_currency: Option<&Currency>,
    utc_offset: Option<i32>,
) -> Draft {
    let mut draft = Draft::at(at.spot());
    draft.id = match fields.get("id") {
        Some(Value::String(id)) => Some(id.trim().to_string()).filter(|id| !id.is_empty()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(_) => {
            draft.failed = true;
            intake.error(at.spot_of("id"), "`id` must be a string like \"tea-set\"");
            None
        }
        None => None,
    };
    let context = draft.context();
    for key in fields.keys() {
        if !PRODUCT_KEYS.contains(&key.as_str()) {
            intake.warning(at.spot_of(key), format!("{context}: unknown key `{key}` (a typo?); it is ignored"));
        }
    }
    let mut text_field = |key: &str, draft: &mut Draft| -> Localized<String> {
        match localized_text(fields.get(key)) {
            Ok(text) => text,
            Err(()) => {
                draft.failed = true;
                intake.error(
                    at.spot_of(key),
                    format!("{context}: `{key}` must be a string or {{\"en\": \"...\", \"zh\": \"...\"}}"),
                );
                Localized::default()
            }
        }
    };
    draft.title = text_field("title", &mut draft);
    draft.description = text_field("description", &mut draft);
    draft.usage = text_field("usage", &mut draft);
    draft.guarantee = text_field("guarantee", &mut draft);
    match localized(fields.get("features"), |v| string_list(Some(v))) {
        Ok(features) => draft.features = features,
        Err(()) => {
            draft.failed = true;
            intake.error(
                at.spot_of("features"),
                format!("{context}: `features` must be a list of strings or {{\"en\": [...], \"zh\": [...]}}"),
            );
        }
    }
    match localized(fields.get("specs"), |v| pairs(v, ("name", "value"))) {
        Ok(specs) => {
            draft.specs = Localized {
                en: specs.en.map(|l| l.into_iter().map(|(name, value)| Spec { name, value }).collect()),
                zh: specs.zh.map(|l| l.into_iter().map(|(name, value)| Spec { name, value }).collect()),
            }
        }
        Err(()) => {
            draft.failed = true;
            intake.error(
                at.spot_of("specs"),
                format!(
                    "{context}: `specs` must be {{\"en\": [{{\"name\": \"...\", \"value\": \"...\"}}], \"zh\": [...]}}"
                ),
            );
        }
    }
    match localized(fields.get("faq"), |v| pairs(v, ("q", "a"))) {
        Ok(faq) => {
            draft.faq = Localized {
                en: faq.en.map(|l| l.into_iter().map(|(question, answer)| Faq { question, answer }).collect()),
                zh: faq.zh.map(|l| l.into_iter().map(|(question, answer)| Faq { question, answer }).collect()),
            }
        }
        Err(()) => {
            draft.failed = true;
            intake.error(
                at.spot_of("faq"),
                format!("{context}: `faq` must be {{\"en\": [{{\"q\": \"...\", \"a\": \"...\"}}], \"zh\": [...]}}"),
            );
        }
    }

    let own_currency = match fields.get("currency") {
        Some(Value::String(code)) => match Currency::parse(code) {
            Some(c) => Some(c),
            None => {
                draft.failed = true;
                intake.error(
                    at.spot_of("currency"),
                    format!("{context}: `currency` \"{code}\" is not a 3-letter ISO code like CNY or USD"),
                );
                None
            }
        },
        Some(_) => {
            draft.failed = true;
            intake.error(at.spot_of("currency"), format!("{context}: `currency` must be a string like \"CNY\""));
            None
        }
        None => None,
    };
    let currency = own_currency.as_ref().or(file_currency);
    match fields.get("price").map(amount_text) {
        Some(Some(text)) => intake.price(&mut draft, "price", &text, currency, || at.spot_of("price")),
        Some(None) => {
            draft.failed = true;
            draft.price_failed = true;
            intake.error(at.spot_of("price"), format!("{context}: `price` must be a string like \"199.00\""));
        }
        None => {}
    }
    match fields.get("compare_at").map(amount_text) {
        Some(Some(text)) => {
            draft.compare_at = intake.money(&mut draft, "compare_at", &text, currency, || at.spot_of("compare_at"));
        }
        Some(None) => {
            draft.failed = true;
            intake.error(at.spot_of("compare_at"), format!("{context}: `compare_at` must be a string like \"259.00\""));
        }
        None => {}
    }
    if let Some(stock) = fields.get("stock") {
        draft.stock = match stock_text(stock) {
            Some(text) => intake.stock(&mut draft, "stock", &text, || at.spot_of("stock")),
            None => {
                draft.failed = true;
                intake.error(at.spot_of("stock"), format!("{context}: `stock` must be a whole number like 25"));
                None
            }
        };
    }
    match fields.get("image") {
        Some(Value::String(reference)) => {
            intake.image(&mut draft, "image", reference, || at.spot_of("image"));
        }
        Some(_) => {
            draft.failed = true;
            intake.error(at.spot_of("image"), format!("{context}: `image` must be a path or URL string"));
        }
        None => {}
    }
    match string_list(fields.get("images")) {
        Ok(Some(list)) => {
            for reference in &list {
                intake.image(&mut draft, "images", reference, || at.spot_of("images"));
            }
        }
        Ok(None) => {}
        Err(()) => {
            draft.failed = true;
            intake.error(at.spot_of("images"), format!("{context}: `images` must be a list of paths or URLs"));
        }
    }
    match fields.get("url") {
        Some(Value::String(url)) if validate::is_url(url.trim()) => draft.url = Some(url.trim().to_string()),
        Some(_) => {
            draft.failed = true;
            intake.error(at.spot_of("url"), format!("{context}: `url` must start with https:// or http://"));
        }
        None => {}
    }
    match string_list(fields.get("tags")) {
        Ok(tags) => draft.tags = tags.unwrap_or_default(),
        Err(()) => {
            draft.failed = true;
            intake.error(at.spot_of("tags"), format!("{context}: `tags` must be a list of strings"));
        }
    }
    match fields.get("pin_priority") {
        Some(Value::Number(n)) if n.as_i64().is_some_and(|p| (-1000..=1000).contains(&p)) => {
            draft.pin_priority = n.as_i64().and_then(|p| i32::try_from(p).ok()).unwrap_or(0);
        }
        Some(_) => {
            draft.failed = true;
            intake.error(at.spot_of("pin_priority"), format!("{context}: `pin_priority` must be from -1000 to 1000"));
        }
        None => {}
    }
    match fields.get("dwell") {
        Some(Value::String(d)) if parse_duration_ms(d).is_some_and(|ms| (10_000..=3_600_000).contains(&ms)) => {
            draft.dwell_secs = parse_duration_ms(d).map(|ms| (ms / 1000) as u32);
        }
        Some(_) => {
            draft.failed = true;
            intake.error(
                at.spot_of("dwell"),
                format!("{context}: `dwell` must be a duration from \"10s\" to \"1h\", like \"90s\" or \"5m\""),
            );
        }
        None => {}
    }
    let mut moment = |key: &str, draft: &mut Draft| {
        let value = fields.get(key)?;
        let Value::String(text) = value else {
            draft.failed = true;
            intake.error(
                at.spot_of(key),
                format!("{context}: `{key}` must be a date string like \"2026-11-26T20:00:00+08:00\""),
            );
            return None;
        };
        if utc_offset.is_none() && !dates::has_zone(text) {
            intake.warning(
                at.spot_of(key),
                format!(
                    "{context}: `{key}` has no time zone; read as UTC. Add an offset (\"+08:00\") or \"utc_offset\" \
                     at the top of the file"
                ),
            );
        }
        match dates::parse_moment(text, utc_offset.unwrap_or(0)) {
            Ok(t) => Some(t),
            Err(message) => {
                draft.failed = true;
                intake.error(at.spot_of(key), format!("{context}: `{key}`: {message}"));
                None
            }
        }
    };
    let starts_at = moment("offer_starts", &mut draft);
    let ends_at = moment("offer_ends", &mut draft);
    if starts_at.is_some() || ends_at.is_some() {
        draft.offer = Some(OfferWindow { starts_at, ends_at });
    }
    if let Some(variants) = fields.get("variants") {
        read_variants(variants, at, scan, intake, &mut draft, currency);
    }
    draft
}

fn read_variants(
    variants: &Value,
    at: &ObjectAt<'_, '_>,
    scan: &Scanner<'_>,
    intake: &mut Intake<'_>,
    draft: &mut Draft,
    currency: Option<&Currency>,
) {
    let context = draft.context();
    let Value::Array(list) = variants else {
        draft.failed = true;
        intake.error(at.spot_of("variants"), format!("{context}: `variants` must be a list of objects"));
        return;
    };
    let starts = at.offset_of("variants").map(|v| scan.elements(v)).unwrap_or_default();
    for (index, variant) in list.iter().enumerate() {
        let offset = starts.get(index).copied().unwrap_or(at.at);
        let vat = ObjectAt { members: scan.members(offset), lines: at.lines, at: offset };
        let Value::Object(fields) = variant else {
            draft.failed = true;
            intake.error(vat.spot(), format!("{context}: variant {} must be an object", index + 1));
            continue;
        };
        for key in fields.keys() {
            if !VARIANT_KEYS.contains(&key.as_str()) {
                intake.warning(
                    vat.spot_of(key),
                    format!("{context}: variant {}: unknown key `{key}`; it is ignored", index + 1),
                );
            }
        }
        let sku = match fields.get("sku") {
            Some(Value::String(s)) => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        let options: Option<Vec<(String, String)>> = match fields.get("options") {
            None => Some(Vec::new()),
            // An object keeps the writer's order only by convention, so pairs are also accepted: [["Size", "M"]].
            Some(Value::Object(map)) => {
                map.iter().map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string()))).collect()
            }
            Some(Value::Array(list)) => list
                .iter()
                .map(|pair| match pair.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), Value::String(v)]) => Some((k.clone(), v.clone())),
                    _ => None,
                })
                .collect(),
            Some(_) => None,
        };
        let Some(options) = options else {
            draft.failed = true;
            intake.error(
                vat.spot_of("options"),
                format!(
                    "{context}: variant {}: `options` must be like {{\"Size\": \"M\", \"Color\": \"Red\"}}",
                    index + 1
                ),
            );
            continue;
        };
        let price = match fields.get("price").map(amount_text) {
            Some(Some(text)) => intake.money(draft, "variants.price", &text, currency, || vat.spot_of("price")),
            _ => {
                draft.failed = true;
                intake.error(
                    vat.spot_of("price"),
                    format!("{context}: variant {} needs a `price` like \"199.00\"", index + 1),
                );
                None
            }
        };
        let compare_at = match fields.get("compare_at").map(amount_text) {
            Some(Some(text)) => {
                intake.money(draft, "variants.compare_at", &text, currency, || vat.spot_of("compare_at"))
            }
            _ => None,
        };
        let stock = match fields.get("stock").map(stock_text) {
            Some(Some(text)) => intake.stock(draft, "variants.stock", &text, || vat.spot_of("stock")),
            Some(None) => {
                draft.failed = true;
                intake.error(
                    vat.spot_of("stock"),
                    format!("{context}: variant {}: `stock` must be a whole number", index + 1),
                );
                None
            }
            None => None,
        };
        let image = match fields.get("image") {
            Some(Value::String(reference)) => {
                intake.variant_image(draft, "variants.image", reference, || vat.spot_of("image"))
            }
            _ => None,
        };
        if let Some(price) = price {
            draft.variants.push(Variant { sku, options, price, compare_at, stock, image });
        }
    }
    if let Some(first) = draft.variants.first() {
        // The product's price and stock follow its variants when it has them, as in the other formats.
        if draft.price.is_none() && !draft.price_failed {
            draft.price = Some(first.price.clone());
            draft.compare_at = first.compare_at.clone();
        }
        if draft.stock.is_none() {
            draft.stock = validate::stock_of_variants(&draft.variants);
        }
        let images: Vec<String> = draft.variants.iter().filter_map(|v| v.image.clone()).collect();
        for image in images {
            intake.add_checked_image(draft, &image);
        }
    }
}

/// A price written as a string ("199.00", "¥199") or a plain number (199, 19.9). A number is taken as its
/// shortest exact decimal text, so 19.9 stays 19.9 and never becomes 19.899999.
fn amount_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => {
            let text = n.to_string();
            // "1e3" is as exact as "1000"; the price reader handles it like spreadsheet notation.
            Some(text)
        }
        _ => None,
    }
}

fn stock_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(price_text::strip_quotes(s).to_string()),
        _ => None,
    }
}

/// A string whose language is detected, or `{"en": ..., "zh": ...}`.
fn localized_text(value: Option<&Value>) -> Result<Localized<String>, ()> {
    match value {
        None | Some(Value::Null) => Ok(Localized::default()),
        Some(Value::String(text)) => Ok(validate::detected(text)),
        Some(Value::Object(map)) => {
            let mut out = Localized::default();
            for (lang, text) in map {
                let lang = Lang::parse(lang).ok_or(())?;
                let text = text.as_str().ok_or(())?;
                validate::set_text(&mut out, Some(lang), text);
            }
            Ok(out)
        }
        Some(_) => Err(()),
    }
}

/// A per-language value `{"en": X, "zh": X}` or one X whose language is detected from its text.
fn localized<T>(
    value: Option<&Value>,
    read: impl Fn(&Value) -> Result<Option<Vec<T>>, ()>,
) -> Result<Localized<Vec<T>>, ()>
where
    T: LangText,
{
    let mut out = Localized::default();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (lang, list) in map {
                let list = read(list)?;
                match Lang::parse(lang).ok_or(())? {
                    Lang::En => out.en = list,
                    Lang::Zh => out.zh = list,
                }
            }
        }
        Some(other) => {
            let Some(list) = read(other)? else { return Ok(out) };
            let zh = list.iter().any(|item| director::timing::detect_lang(&item.text()) == Lang::Zh);
            if zh {
                out.zh = Some(list);
            } else {
                out.en = Some(list);
            }
        }
    }
    Ok(out)
}

/// Text to detect an item's language from.
trait LangText {
    fn text(&self) -> String;
}

impl LangText for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl LangText for (String, String) {
    fn text(&self) -> String {
        format!("{}{}", self.0, self.1)
    }
}

fn string_list(value: Option<&Value>) -> Result<Option<Vec<String>>, ()> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().map(|s| s.trim().to_string()).ok_or(()))
            .collect::<Result<Vec<_>, _>>()
            .map(|l| Some(l.into_iter().filter(|s| !s.is_empty()).collect())),
        Some(_) => Err(()),
    }
}

fn pairs(value: &Value, (first, second): (&str, &str)) -> Result<Option<Vec<(String, String)>>, ()> {
    let Value::Array(items) = value else { return Err(()) };
    items
        .iter()
        .map(|item| {
            let a = item.get(first).and_then(Value::as_str).ok_or(())?;
            let b = item.get(second).and_then(Value::as_str).ok_or(())?;
            Ok((a.trim().to_string(), b.trim().to_string()))
        })
        .collect::<Result<Vec<_>, ()>>()
        .map(Some)
}

/// "+08:00", "-05:00", "+0800", "Z" as minutes east of UTC.
fn parse_utc_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    if text == "Z" || text == "UTC" {
        return Some(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i32 = digits.get(..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..)?.parse().ok()?;
    (hours <= 14 && minutes < 60).then_some(sign * (hours * 60 + minutes))
}

/// Finds where values start in JSON text that serde_json has already accepted.
struct Scanner<'t> {
    bytes: &'t [u8],
}

impl<'t> Scanner<'t> {
    fn skip_ws(&self, mut i: usize) -> usize {
        while self.bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    }

    /// Index just past the string starting at `i` (which holds its opening quote).
    fn skip_string(&self, mut i: usize) -> usize {
        i += 1;
        while let Some(&b) = self.bytes.get(i) {
            match b {
                b'\\' => i += 2,
                b'"' => return i + 1,
                _ => i += 1,
            }
        }
        i
    }

    /// Index just past the value starting at `i`.
    fn skip_value(&self, i: usize) -> usize {
        match self.bytes.get(i) {
            Some(b'"') => self.skip_string(i),
            Some(b'{' | b'[') => {
                let mut depth = 0usize;
                let mut j = i;
                while let Some(&b) = self.bytes.get(j) {
                    match b {
                        b'"' => {
                            j = self.skip_string(j);
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth = depth.saturating_sub(1);
                            if depth == 0 {
                                return j + 1;
                            }
                        }
                        _ => {}
                    }
                    j += 1;
                }
                j
            }
            _ => {
                let mut j = i;
                while self.bytes.get(j).is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()) {
                    j += 1;
                }
                j.max(i + 1)
            }
        }
    }

    /// The keys of the object at `i`, each with where its value starts.
    fn members(&self, i: usize) -> Vec<(&'t str, usize)> {
        let mut out = Vec::new();
        if self.bytes.get(i) != Some(&b'{') {
            return out;
        }
        let mut j = self.skip_ws(i + 1);
        while self.bytes.get(j) == Some(&b'"') {
            let end = self.skip_string(j);
            let key =
                self.bytes.get(j + 1..end.saturating_sub(1)).and_then(|k| std::str::from_utf8(k).ok()).unwrap_or("");
            j = self.skip_ws(end);
            if self.bytes.get(j) != Some(&b':') {
                break;
            }
            let value = self.skip_ws(j + 1);
            out.push((key, value));
            j = self.skip_ws(self.skip_value(value));
            if self.bytes.get(j) != Some(&b',') {
                break;
            }
            j = self.skip_ws(j + 1);
        }
        out
    }

    /// Where each element of the array at `i` starts.
    fn elements(&self, i: usize) -> Vec<usize> {
        let mut out = Vec::new();
        if self.bytes.get(i) != Some(&b'[') {
            return out;
        }
        let mut j = self.skip_ws(i + 1);
        while j < self.bytes.len() && self.bytes.get(j) != Some(&b']') {
            out.push(j);
            j = self.skip_ws(self.skip_value(j));
            if self.bytes.get(j) != Some(&b',') {
                break;
            }
            j = self.skip_ws(j + 1);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(load: &CatalogLoad) -> Vec<String> {
        load.diagnostics.iter().map(ToString::to_string).collect()
    }

    const QUEUE: &str = r#"{
  "currency": "CNY",
  "utc_offset": "+08:00",
  "products": [
    {
      "id": "celadon-tea-set",
      "title": {"en": "Celadon Tea Set", "zh": "青瓷茶具套装"},
      "description": "一把茶壶配四只茶杯。",
      "features": {"en": ["hand-thrown porcelain", "holds 450 ml"]},
      "specs": {"en": [{"name": "Capacity", "value": "450 ml"}]},
      "faq": [{"q": "能用洗碗机吗？", "a": "可以。"}],
      "price": "199.00",
      "compare_at": 259,
      "stock": 42,
      "images": ["https://cdn.example.com/tea.jpg"],
      "url": "https://shop.example.com/p/tea",
      "offer_starts": "2026-11-26 20:00",
      "offer_ends": "2026-11-26T23:00:00+08:00",
      "pin_priority": 5,
      "dwell": "90s",
      "tags": ["tea"]
    },
    {
      "id": "wool-scarf",
      "title": "Striped Merino Scarf",
      "currency": "USD",
      "variants": [
        {"sku": "scarf-red", "options": {"Colour": "Red"}, "price": 19.9, "stock": 3},
        {"sku": "scarf-gold", "options": [["Colour", "Gold"]], "price": "$21", "stock": 4}
      ]
    }
  ]
}"#;

    #[test]
    fn reads_every_field_of_the_own_format_as_json() {
        let load = parse("queue.json", QUEUE, Path::new("."), None);
        assert!(load.diagnostics.is_empty(), "{:?}", shown(&load));
        assert_eq!(load.products.len(), 2);
        let tea = &load.products[0];
        assert_eq!(tea.title.zh.as_deref(), Some("青瓷茶具套装"));
        assert_eq!(tea.description.zh.as_deref(), Some("一把茶壶配四只茶杯。"));
        assert_eq!(
            (tea.price.minor, tea.compare_at.as_ref().map(|m| m.minor), tea.stock),
            (19900, Some(25900), Some(42))
        );
        assert_eq!(tea.specs.en.as_ref().unwrap()[0].value, "450 ml");
        assert_eq!(tea.faq.zh.as_ref().unwrap()[0].answer, "可以。");
        assert_eq!((tea.pin_priority, tea.dwell_secs), (5, Some(90)));
        let offer = tea.offer.unwrap();
        // 20:00 at the file's +08:00 is 12:00 UTC; the end states its own offset.
        assert_eq!(offer.starts_at, Some(model::UnixMs(1_795_694_400_000)));
        assert_eq!(offer.ends_at, Some(model::UnixMs(1_795_705_200_000)));
        let scarf = &load.products[1];
        assert_eq!((scarf.price.minor, scarf.price.currency.code(), scarf.stock), (1990, "USD", Some(7)));
        assert_eq!(scarf.variants[1].options, [("Colour".to_string(), "Gold".to_string())]);
        assert_eq!(scarf.variants[1].price.minor, 2100);
    }

    #[test]
    fn syntax_errors_carry_serde_json_positions() {
        let broken = QUEUE.replacen("\"price\": \"199.00\",", "\"price\": \"199.00\"", 1);
        let load = parse("queue.json", &broken, Path::new("."), None);
        assert_eq!(shown(&load), ["queue.json:13:7: error: this is not valid JSON: expected `,` or `}`"]);
    }

    #[test]
    fn product_problems_are_reported_at_the_product_and_key_lines() {
        let broken = QUEUE
            .replacen("\"price\": \"199.00\"", "\"price\": \"19.9.9\"", 1)
            .replacen("\"id\": \"wool-scarf\"", "\"id\": \"celadon-tea-set\"", 1)
            .replacen("\"stock\": 3", "\"stock\": -3", 1)
            .replacen("\"tags\"", "\"tgas\"", 1);
        let load = parse("queue.json", &broken, Path::new("."), None);
        assert!(load.products.is_empty());
        assert_eq!(
            shown(&load),
            [
                "queue.json:21:15: warning: product \"celadon-tea-set\": unknown key `tgas` (a typo?); it is ignored",
                "queue.json:12:16: error: product \"celadon-tea-set\": `price`: \"19.9.9\" is not a price; write it like \
                 \"1299.00\" (digits, one decimal point, no letters)",
                "queue.json:28:84: error: product \"celadon-tea-set\": `variants.stock`: stock -3 is negative; write 0 \
                 when the product is sold out",
                "queue.json:23:5: error: product \"celadon-tea-set\": duplicate id (first used at line 5); give each \
                 product its own id",
            ]
        );
    }

    #[test]
    fn a_bare_list_with_a_default_currency_and_no_products_key() {
        let load = parse(
            "l.json",
            r#"[{"id": 7, "title": "Mug", "price": 5}]"#,
            Path::new("."),
            Currency::parse("EUR").as_ref(),
        );
        assert_eq!((load.products[0].id.0.as_str(), load.products[0].price.minor), ("7", 500));
        let load = parse("e.json", r#"{"currency": "CNY"}"#, Path::new("."), None);
        assert!(shown(&load)[0].starts_with("e.json:1:1: error: the file has no products"));
        let load = parse("n.json", r#"[{"id": "x", "title": "Mug", "price": "5"}]"#, Path::new("."), None);
        assert_eq!(
            shown(&load),
            [
                "n.json:0:0: error: no currency: add \"currency\": \"CNY\" at the top of the file or to each product, or \
              pass `--currency CODE` (or set `currency` under [show] in show.toml)"
            ]
        );
    }
}
