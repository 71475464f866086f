//! shopcast's own product format in TOML (assets/demo/products.toml is the documented example).

use super::CatalogLoad;
use super::dates::{has_zone, parse_moment};
use crate::time_text::parse_duration_ms;
use crate::tomlfile::{Fields, Source};
use model::{
    Currency, Diagnostic, Faq, Localized, Money, OfferWindow, Product, Promotion, PromotionKind, Returns, Shipping,
    ShippingCost, Spec, UnixMs, Variant,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// Parses product TOML. `base_dir` resolves relative image paths. Shown paths in diagnostics use `path`.
pub fn parse(path: &str, text: &str, base_dir: &Path) -> CatalogLoad {
    let src = Source::new(path, text);
    let mut load = CatalogLoad::default();
    let doc = match src.parse() {
        Ok(doc) => doc,
        Err(diagnostic) => {
            load.diagnostics.push(diagnostic);
            return load;
        }
    };
    let diags = &mut load.diagnostics;
    let mut root = Fields::new(&src, &doc, "the file");
    let default_currency = root.string("currency", diags).and_then(|c| match Currency::parse(c.get_ref()) {
        Some(currency) => Some(currency),
        None => {
            diags.push(src.error(
                &c.span(),
                format!("`currency` \"{}\" is not a 3-letter ISO code like CNY or USD", c.get_ref()),
            ));
            None
        }
    });
    let utc_offset =
        root.string("utc_offset", diags).and_then(|o| match parse_utc_offset(o.get_ref()) {
            Some(minutes) => Some(minutes),
            None => {
                diags.push(src.error(
                    &o.span(),
                    format!("`utc_offset` \"{}\" must look like \"+08:00\" or \"-05:00\"", o.get_ref()),
                ));
                None
            }
        });
    let tables = root.tables("product", diags);
    if !root.has("product") {
        diags.push(Diagnostic::error(
            path,
            1,
            1,
            "the file has no products; add one with a [[product]] section (see assets/demo/products.toml)",
        ));
    }
    root.finish(diags);

    let mut seen: HashMap<String, usize> = HashMap::new();
    for mut fields in tables {
        let before = diags.iter().filter(|d| d.is_error()).count();
        let product = read_product(&src, &mut fields, default_currency.as_ref(), utc_offset, base_dir, diags);
        let id_offset = fields.span_of("id").start;
        fields.finish(diags);
        let clean = diags.iter().filter(|d| d.is_error()).count() == before;
        let Some(product) = product.filter(|_| clean) else {
            continue;
        };
        let (line, _) = src.position(id_offset);
        if let Some(first) = seen.get(&product.id.0) {
            diags.push(Diagnostic::error(
                path,
                line,
                1,
                format!(
                    "product \"{}\": duplicate id (first used at line {first}); give each product its own id",
                    product.id
                ),
            ));
            continue;
        }
        seen.insert(product.id.0.clone(), line);
        load.products.push(product);
    }
    load
}

fn read_product(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    default_currency: Option<&Currency>,
    utc_offset: Option<i32>,
    base_dir: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Product> {
    let id = f.string("id", diags);
    let id = match id {
        Some(id) if !id.get_ref().trim().is_empty() => {
            f.set_context(format!("product \"{}\"", id.get_ref().trim()));
            Some(id.get_ref().trim().to_string())
        }
        Some(id) => {
            diags.push(
                src.error(&id.span(), format!("{}: `id` is empty; give the product a short unique id", f.context())),
            );
            None
        }
        None => {
            diags.push(src.error(
                &f.span(),
                format!("{}: missing `id`; add a short unique id like id = \"tea-set\"", f.context()),
            ));
            None
        }
    };
    let title = localized_text(src, f, "title", diags);
    if title.is_empty() {
        diags.push(src.error(
            &f.span_of("title"),
            format!("{}: missing `title`; add title.en = \"...\" and/or title.zh = \"...\"", f.context()),
        ));
    }
    for problem in super::validate::invisible_titles(&title) {
        diags.push(src.error(&f.span_of("title"), format!("{}: {problem}", f.context())));
    }
    let description = localized_text(src, f, "description", diags);
    let usage = localized_text(src, f, "usage", diags);
    let features = localized_list(src, f, "features", diags);

    let currency = match f.string("currency", diags) {
        Some(c) => match Currency::parse(c.get_ref()) {
            Some(currency) => Some(currency),
            None => {
                diags.push(src.error(
                    &c.span(),
                    format!(
                        "{}: `currency` \"{}\" is not a 3-letter ISO code like CNY or USD",
                        f.context(),
                        c.get_ref()
                    ),
                ));
                None
            }
        },
        None => default_currency.cloned(),
    };
    if currency.is_none() && !f.has("currency") {
        diags.push(src.error(
            &f.span(),
            format!("{}: no currency; add currency = \"CNY\" to the product or at the top of the file", f.context()),
        ));
    }
    let mut money = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<Money> {
        let number = f.number_text(key, diags)?;
        let currency = currency.clone()?;
        match Money::parse_decimal(&number.text, currency) {
            Ok(m) => Some(m),
            Err(e) => {
                diags.push(src.error(&number.span, format!("{}: `{key}`: {e}", f.context())));
                None
            }
        }
    };
    let price = money("price", diags);
    let compare_at = money("compare_at", diags);
    let variants = read_variants(src, f, currency.as_ref(), diags);
    // A product with variants may leave its own price out: the first variant's is shown.
    let price = price.or_else(|| variants.first().map(|v| v.price.clone()));
    if price.is_none() && !f.has("price") && !f.has("variants") {
        diags.push(src.error(&f.span(), format!("{}: missing `price`; add price = \"199.00\"", f.context())));
    }
    if let (Some(price), Some(was)) = (&price, &compare_at)
        && was.minor <= price.minor
    {
        diags.push(src.warning(
            &f.span_of("compare_at"),
            format!(
                "{}: `compare_at` {} is not above the price {}, so no discount will be shown or said; raise it or remove it",
                f.context(),
                was.display(),
                price.display()
            ),
        ));
    }

    let stock = f.integer("stock", diags).and_then(|n| match u32::try_from(*n.get_ref()) {
        Ok(stock) => Some(stock),
        Err(_) => {
            diags.push(src.error(
                &n.span(),
                format!("{}: `stock` {} must be zero or a positive whole number", f.context(), n.get_ref()),
            ));
            None
        }
    });
    let image = f.string("image", diags).and_then(|img| {
        let resolved = resolve(base_dir, img.get_ref());
        if resolved.is_file() {
            Some(resolved)
        } else {
            diags.push(src.error(
                &img.span(),
                format!(
                    "{}: image \"{}\" not found (looked at {}); fix the path, relative to the product file",
                    f.context(),
                    img.get_ref(),
                    resolved.display()
                ),
            ));
            None
        }
    });
    let url = f.string("url", diags).and_then(|u| {
        let text = u.get_ref().trim();
        if text.starts_with("https://") || text.starts_with("http://") {
            if let Some(warning) = super::validate::long_link(text) {
                diags.push(src.warning(&u.span(), format!("{}: {warning}", f.context())));
            }
            Some(text.to_string())
        } else {
            diags.push(src.error(&u.span(), format!("{}: `url` must start with https:// or http://", f.context())));
            None
        }
    });

    let guarantee = localized_text(src, f, "guarantee", diags);
    let shipping = read_shipping(src, f, currency.as_ref(), diags);
    let returns = read_returns(src, f, diags);
    let gifts = localized_list(src, f, "gifts", diags);
    let promotions = read_promotions(src, f, currency.as_ref(), utc_offset, diags);
    let specs = localized_pairs(src, f, "specs", ("name", "value"), diags)
        .map(|pairs| pairs.into_iter().map(|(name, value)| Spec { name, value }).collect());
    let faq = localized_pairs(src, f, "faq", ("q", "a"), diags)
        .map(|pairs| pairs.into_iter().map(|(question, answer)| Faq { question, answer }).collect());
    let mut images: Vec<String> = image.iter().map(|p| p.display().to_string()).collect();
    if let Some(more) = f.string_list("images", diags) {
        images.extend(more.into_inner().into_iter().filter(|s| !s.trim().is_empty()));
    }
    let pin_priority = f.integer("pin_priority", diags).and_then(|n| match i32::try_from(*n.get_ref()) {
        Ok(p) if (-1000..=1000).contains(&p) => Some(p),
        _ => {
            diags.push(src.error(&n.span(), format!("{}: `pin_priority` must be from -1000 to 1000", f.context())));
            None
        }
    });
    let dwell_secs = f.string("dwell", diags).and_then(|d| match parse_duration_ms(d.get_ref()) {
        Some(ms) if (10_000..=3_600_000).contains(&ms) => Some((ms / 1000) as u32),
        _ => {
            diags.push(src.error(
                &d.span(),
                format!(
                    "{}: `dwell` \"{}\" must be a duration from \"10s\" to \"1h\", like \"90s\" or \"5m\"",
                    f.context(),
                    d.get_ref()
                ),
            ));
            None
        }
    });
    let tags = f.string_list("tags", diags).map(|t| t.into_inner()).unwrap_or_default();
    let mut timestamp = |key: &str, diags: &mut Vec<Diagnostic>| {
        let text = f.string(key, diags)?;
        if utc_offset.is_none() && !has_zone(text.get_ref()) {
            diags.push(src.warning(
                &text.span(),
                format!("{}: `{key}` has no time zone; read as UTC. Add an offset (\"+08:00\") or utc_offset at the top of the file", f.context()),
            ));
        }
        match parse_moment(text.get_ref(), utc_offset.unwrap_or(0)) {
            Ok(t) => Some((t, text.span())),
            Err(why) => {
                diags.push(src.error(&text.span(), format!("{}: `{key}` {why}", f.context())));
                None
            }
        }
    };
    let starts = timestamp("offer_starts", diags);
    let ends = timestamp("offer_ends", diags);
    if let (Some((s, _)), Some((e, span))) = (&starts, &ends)
        && e <= s
    {
        diags.push(src.error(
            span,
            format!("{}: `offer_ends` is not after `offer_starts`; the offer would never be open", f.context()),
        ));
    }
    let offer = (starts.is_some() || ends.is_some())
        .then(|| OfferWindow { starts_at: starts.map(|(t, _)| t), ends_at: ends.map(|(t, _)| t) });

    let stock = stock.or_else(|| super::validate::stock_of_variants(&variants));
    if price.as_ref().is_some_and(|p| p.minor == 0) {
        diags.push(src.warning(&f.span_of("price"), format!("{}: {}", f.context(), super::validate::FREE_PRICE)));
    }
    let mut product = Product::new(id?, title, price?);
    product.variants = variants;
    product.guarantee = guarantee;
    product.specs = specs;
    product.faq = faq;
    product.images = images;
    product.pin_priority = pin_priority.unwrap_or(0);
    product.dwell_secs = dwell_secs;
    product.tags = tags;
    product.offer = offer;
    product.description = description;
    product.features = features;
    product.usage = usage;
    product.compare_at = compare_at;
    product.stock = stock;
    product.image = image;
    product.url = url;
    product.shipping = shipping;
    product.returns = returns;
    product.gifts = gifts;
    product.promotions = promotions;
    Some(product)
}

/// An amount written at `key` in the product's currency, with a positioned error when it is not one.
fn read_money(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    currency: Option<&Currency>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Money> {
    let number = f.number_text(key, diags)?;
    match Money::parse_decimal(&number.text, currency?.clone()) {
        Ok(m) => Some(m),
        Err(e) => {
            diags.push(src.error(&number.span, format!("{}: `{key}`: {e}", f.context())));
            None
        }
    }
}

/// A moment written at `key`, read as `offer_starts` is (RFC 3339, or local time with the file's `utc_offset`).
fn read_moment(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    utc_offset: Option<i32>,
    diags: &mut Vec<Diagnostic>,
) -> Option<UnixMs> {
    let text = f.string(key, diags)?;
    if utc_offset.is_none() && !has_zone(text.get_ref()) {
        diags.push(src.warning(
            &text.span(),
            format!(
                "{}: `{key}` has no time zone; read as UTC. Add an offset (\"+08:00\") or utc_offset at the top of the file",
                f.context()
            ),
        ));
    }
    match parse_moment(text.get_ref(), utc_offset.unwrap_or(0)) {
        Ok(t) => Some(t),
        Err(why) => {
            diags.push(src.error(&text.span(), format!("{}: `{key}` {why}", f.context())));
            None
        }
    }
}

/// "48h" or "2d" -> hours.
fn parse_dispatch(text: &str) -> Option<u32> {
    let text = text.trim();
    let (number, hours_per) = match text.strip_suffix('h') {
        Some(n) => (n, 1),
        None => (text.strip_suffix('d')?, 24),
    };
    number.trim().parse::<u32>().ok()?.checked_mul(hours_per)
}

/// `shipping`: `cost` ("free" or an amount), `free_over` (an amount), `dispatch` ("48h" or "2d") and `carrier`
/// (text, per language or one string). Every part is optional; the host says only the parts given.
fn read_shipping(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    currency: Option<&Currency>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Shipping> {
    if !f.has("shipping") {
        return None;
    }
    let mut t = f.table("shipping", diags)?;
    let cost = match t.number_text("cost", &mut Vec::new()) {
        Some(n) if n.text.trim().eq_ignore_ascii_case("free") => Some(ShippingCost::Free),
        Some(_) => read_money(src, &mut t, "cost", currency, diags).map(ShippingCost::Flat),
        None => {
            // Report a wrong type (a table, a list) with the usual message.
            t.number_text("cost", diags);
            None
        }
    };
    let free_over = read_money(src, &mut t, "free_over", currency, diags);
    let dispatch_hours = t.string("dispatch", diags).and_then(|d| match parse_dispatch(d.get_ref()) {
        Some(hours) => Some(hours),
        None => {
            diags.push(src.error(
                &d.span(),
                format!("{}: `dispatch` \"{}\" must look like \"48h\" or \"2d\"", t.context(), d.get_ref()),
            ));
            None
        }
    });
    let carrier = localized_text(src, &mut t, "carrier", diags);
    let shipping = Shipping { cost, free_over, dispatch_hours, carrier };
    if let Some(currency) = currency {
        for problem in super::validate::shipping_problems(&shipping, currency) {
            diags.push(src.error(&t.span(), format!("{}: {problem}", t.context())));
        }
    }
    t.finish(diags);
    (!shipping.is_empty()).then_some(shipping)
}

/// `returns`: `days` (a whole number) and `conditions` (text, per language or one string).
fn read_returns(src: &Source<'_>, f: &mut Fields<'_, '_>, diags: &mut Vec<Diagnostic>) -> Option<Returns> {
    if !f.has("returns") {
        return None;
    }
    let mut t = f.table("returns", diags)?;
    let days = t.integer("days", diags).and_then(|n| match u32::try_from(*n.get_ref()) {
        Ok(days) => Some(days),
        Err(_) => {
            diags.push(src.error(&n.span(), format!("{}: `days` must be a positive whole number", t.context())));
            None
        }
    });
    let conditions = localized_text(src, &mut t, "conditions", diags);
    let returns = Returns { days, conditions };
    for problem in super::validate::returns_problems(&returns) {
        diags.push(src.error(&t.span(), format!("{}: {problem}", t.context())));
    }
    t.finish(diags);
    Some(returns)
}

/// `[[product.promotions]]`: a `kind` with its numbers (`buy_x_get_y`: `buy`, `get`; `nth_item_percent_off`: `n`,
/// `percent`; `spend_and_save`: `spend`, `save`; `coupon`: `code` and/or `save`), optional `text` (the merchant's
/// own wording) and optional `starts` / `ends`. A broken promotion is an error that drops its product.
fn read_promotions(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    currency: Option<&Currency>,
    utc_offset: Option<i32>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Promotion> {
    let context = f.context().to_string();
    let mut out = Vec::new();
    for (i, mut p) in f.tables("promotions", diags).into_iter().enumerate() {
        p.set_context(format!("{context} promotion #{}", i + 1));
        // Each kind's numbers are required: a promotion without them cannot be checked, so it cannot be said.
        let needs: &[&str] = match p.string("kind", &mut Vec::new()).as_ref().map(|k| k.get_ref().trim()) {
            Some("buy_x_get_y") => &["buy", "get"],
            Some("nth_item_percent_off") => &["n", "percent"],
            Some("spend_and_save") => &["spend", "save"],
            _ => &[],
        };
        for key in needs {
            if !p.has(key) {
                diags.push(src.error(&p.span(), format!("{}: missing `{key}`", p.context())));
            }
        }
        let count = |p: &mut Fields<'_, '_>, key: &str, diags: &mut Vec<Diagnostic>| {
            let n = p.integer(key, diags)?;
            match u32::try_from(*n.get_ref()) {
                Ok(v) => Some(v),
                Err(_) => {
                    let message = format!("{}: `{key}` must be a whole number, 0 or more", p.context());
                    diags.push(src.error(&n.span(), message));
                    None
                }
            }
        };
        let kind = match p.string("kind", diags) {
            None => {
                diags.push(src.error(
                    &p.span(),
                    format!(
                        "{}: missing `kind`; one of buy_x_get_y, nth_item_percent_off, spend_and_save, coupon",
                        p.context()
                    ),
                ));
                None
            }
            Some(kind) => match kind.get_ref().trim() {
                "buy_x_get_y" => match (count(&mut p, "buy", diags), count(&mut p, "get", diags)) {
                    (Some(buy), Some(get)) => Some(PromotionKind::BuyXGetY { buy, get }),
                    _ => None,
                },
                "nth_item_percent_off" => match (count(&mut p, "n", diags), count(&mut p, "percent", diags)) {
                    (Some(n), Some(percent)) => Some(PromotionKind::NthItemPercentOff { n, percent }),
                    _ => None,
                },
                "spend_and_save" => {
                    let spend = read_money(src, &mut p, "spend", currency, diags);
                    let save = read_money(src, &mut p, "save", currency, diags);
                    spend.zip(save).map(|(spend, save)| PromotionKind::SpendAndSave { spend, save })
                }
                "coupon" => {
                    let code = p.string("code", diags).map(|c| c.into_inner().trim().to_string());
                    let save = read_money(src, &mut p, "save", currency, diags);
                    Some(PromotionKind::Coupon { code, save })
                }
                other => {
                    diags.push(src.error(
                        &kind.span(),
                        format!(
                            "{}: `kind` \"{other}\" is not one of buy_x_get_y, nth_item_percent_off, spend_and_save, coupon",
                            p.context()
                        ),
                    ));
                    None
                }
            },
        };
        let text = localized_text(src, &mut p, "text", diags);
        let starts_at = read_moment(src, &mut p, "starts", utc_offset, diags);
        let ends_at = read_moment(src, &mut p, "ends", utc_offset, diags);
        if let Some(kind) = kind {
            let promotion = Promotion { kind, text, starts_at, ends_at };
            let problems = currency.map(|c| super::validate::promotion_problems(&promotion, c)).unwrap_or_default();
            for problem in &problems {
                diags.push(src.error(&p.span(), format!("{}: {problem}", p.context())));
            }
            if problems.is_empty() {
                out.push(promotion);
            }
        }
        p.finish(diags);
    }
    out
}

fn resolve(base_dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() { p.to_path_buf() } else { base_dir.join(p) }
}

/// Text given per language (`title.en`, `title.zh`) or as one string, whose language is then detected.
fn localized_text(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Localized<String> {
    let mut out = Localized::default();
    if !f.has(key) {
        return out;
    }
    if let Some(mut table) = try_table(f, key) {
        for lang in ["en", "zh"] {
            if let Some(text) = table.string(lang, &mut Vec::new()) {
                lint_copy(src, &text, &format!("{} `{key}.{lang}`", f.context()), diags);
            }
        }
        out.en = table.string("en", diags).map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty());
        out.zh = table.string("zh", diags).map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty());
        table.finish(diags);
    } else if let Some(text) = f.string(key, diags) {
        lint_copy(src, &text, &format!("{} `{key}`", f.context()), diags);
        let text_value = text.get_ref().trim().to_string();
        if text_value.is_empty() {
            diags.push(src.warning(&text.span(), format!("{}: `{key}` is empty", f.context())));
        } else if director::timing::detect_lang(&text_value) == model::Lang::Zh {
            out.zh = Some(text_value);
        } else {
            out.en = Some(text_value);
        }
    }
    out
}

fn localized_list(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Localized<Vec<String>> {
    let mut out = Localized::default();
    if !f.has(key) {
        return out;
    }
    if let Some(mut table) = try_table(f, key) {
        for lang in ["en", "zh"] {
            if let Some(list) = table.string_list(lang, &mut Vec::new()) {
                let joined = Spanned::new(list.span(), list.get_ref().join(" / "));
                lint_copy(src, &joined, &format!("{} `{key}.{lang}`", f.context()), diags);
            }
        }
        out.en = table.string_list("en", diags).map(|s| s.into_inner());
        out.zh = table.string_list("zh", diags).map(|s| s.into_inner());
        table.finish(diags);
    } else if let Some(list) = f.string_list(key, diags) {
        let joined = Spanned::new(list.span(), list.get_ref().join(" / "));
        lint_copy(src, &joined, &format!("{} `{key}`", f.context()), diags);
        let list = list.into_inner();
        if list.iter().any(|s| director::timing::detect_lang(s) == model::Lang::Zh) {
            out.zh = Some(list);
        } else {
            out.en = Some(list);
        }
    }
    out
}

/// The key's value as a table when it is one (without reporting a type error when it is not).
fn try_table<'t, 'i>(f: &mut Fields<'t, 'i>, key: &str) -> Option<Fields<'t, 'i>> {
    if f.is_table(key) {
        let mut ignored = Vec::new();
        f.table(key, &mut ignored)
    } else {
        None
    }
}

/// Warns about words the host must not say (absolute terms, medical claims), citing the rule, so the
/// merchandiser can fix the copy before the show; the guard also refuses them on air.
fn lint_copy(src: &Source<'_>, text: &Spanned<String>, what: &str, diags: &mut Vec<Diagnostic>) {
    for hit in director::lint::lint(text.get_ref()) {
        diags.push(src.warning(
            &text.span(),
            format!(
                "{what}: \"{}\" breaks a copy rule ({}); reword it, the host will not say it",
                hit.word,
                hit.rule.citation()
            ),
        ));
    }
}

/// Lists of two-field tables per language, such as `specs.en = [{ name = "Capacity", value = "450 ml" }]` or
/// `faq.zh = [{ q = "...", a = "..." }]`.
fn localized_pairs(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    (first, second): (&str, &str),
    diags: &mut Vec<Diagnostic>,
) -> Localized<Vec<(String, String)>> {
    let mut out = Localized::default();
    let Some(mut table) = f.table(key, diags) else {
        return out;
    };
    for lang in ["en", "zh"] {
        let mut pairs = Vec::new();
        let present = table.has(lang);
        for mut entry in table.tables(lang, diags) {
            entry.set_context(format!("{} `{key}.{lang}`", f.context()));
            let a = entry.string(first, diags);
            let b = entry.string(second, diags);
            match (a, b) {
                (Some(a), Some(b)) => {
                    lint_copy(src, &b, entry.context(), diags);
                    pairs.push((a.into_inner().trim().to_string(), b.into_inner().trim().to_string()));
                }
                _ => diags.push(
                    src.error(&entry.span(), format!("{}: each entry needs `{first}` and `{second}`", entry.context())),
                ),
            }
            entry.finish(diags);
        }
        if present {
            match lang {
                "en" => out.en = Some(pairs),
                _ => out.zh = Some(pairs),
            }
        }
    }
    table.finish(diags);
    out
}

/// "+08:00" -> 480 minutes.
fn parse_utc_offset(text: &str) -> Option<i32> {
    let text = text.trim();
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=14).contains(&h) && (0..60).contains(&m)).then_some(sign * (h * 60 + m))
}

/// `[[product.variants]]`: each with a price (and optionally sku, options such as { Size = "M" }, compare_at,
/// stock and image). A broken variant is an error that drops its product, as a wrong price on one size would
/// otherwise be said on air.
fn read_variants(
    src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    currency: Option<&Currency>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Variant> {
    let context = f.context().to_string();
    let mut out = Vec::new();
    for (i, mut v) in f.tables("variants", diags).into_iter().enumerate() {
        v.set_context(format!("{context} variant #{}", i + 1));
        let sku = v.string("sku", diags).map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty());
        let mut options = Vec::new();
        if let Some(mut table) = v.table("options", diags) {
            table.set_context(format!("{} `options`", v.context()));
            for key in table.keys() {
                if let Some(value) = table.string(&key, diags) {
                    options.push((key, value.into_inner()));
                }
            }
            table.finish(diags);
        }
        let mut money = |key: &str, diags: &mut Vec<Diagnostic>| -> Option<Money> {
            let number = v.number_text(key, diags)?;
            match Money::parse_decimal(&number.text, currency?.clone()) {
                Ok(m) => Some(m),
                Err(e) => {
                    diags.push(src.error(&number.span, format!("{}: `{key}`: {e}", v.context())));
                    None
                }
            }
        };
        let price = money("price", diags);
        let compare_at = money("compare_at", diags);
        let stock = v.integer("stock", diags).and_then(|n| match u32::try_from(*n.get_ref()) {
            Ok(stock) => Some(stock),
            Err(_) => {
                diags.push(src.error(&n.span(), format!("{}: `stock` must be zero or more", v.context())));
                None
            }
        });
        let image = v.string("image", diags).map(|s| s.into_inner());
        match price {
            Some(price) => out.push(Variant { sku, options, price, compare_at, stock, image }),
            None if !v.has("price") => {
                diags.push(src.error(&v.span(), format!("{}: missing `price`; add price = \"199.00\"", v.context())))
            }
            None => {}
        }
        v.finish(diags);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Lang, UnixMs};

    const FULL: &str = r#"currency = "CNY"
utc_offset = "+08:00"

[[product]]
id = "tea"
title.en = "Tea Set"
title.zh = "茶具"
guarantee.en = "30-day returns"
specs.en = [{ name = "Capacity", value = "450 ml" }]
faq.zh = [{ q = "能用洗碗机吗？", a = "可以。" }]
price = 199
compare_at = 259.0
stock = 42
images = ["https://cdn.example.com/tea-2.jpg"]
url = "https://shop.example.com/tea"
offer_starts = "2026-11-26 20:00"
offer_ends = "2026-11-26T22:00:00+08:00"
pin_priority = 5
dwell = "2m"
tags = ["gift"]
"#;

    #[test]
    fn reads_every_field_of_the_format() {
        let load = parse("p.toml", FULL, Path::new("."));
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        let p = &load.products[0];
        assert_eq!(p.price.minor, 19900);
        assert_eq!(p.compare_at.as_ref().unwrap().minor, 25900);
        assert_eq!(p.guarantee.get(Lang::En).unwrap(), "30-day returns");
        assert_eq!(p.specs.get(Lang::En).unwrap()[0].value, "450 ml");
        assert_eq!(p.faq.get(Lang::Zh).unwrap()[0].answer, "可以。");
        assert_eq!(p.images, vec!["https://cdn.example.com/tea-2.jpg".to_string()]);
        let offer = p.offer.unwrap();
        assert_eq!(offer.starts_at, Some(UnixMs(1_795_694_400_000)));
        assert_eq!(offer.ends_at, Some(UnixMs(1_795_694_400_000 + 2 * 3_600_000)));
        assert_eq!((p.pin_priority, p.dwell_secs, p.tags.clone()), (5, Some(120), vec!["gift".to_string()]));
    }

    #[test]
    fn flags_banned_copy_and_impossible_offers_with_positions() {
        let text = "currency = \"CNY\"\n[[product]]\nid = \"x\"\ntitle.zh = \"全网最低价茶具\"\nprice = \"10\"\noffer_starts = \"2026-11-26T20:00:00Z\"\noffer_ends = \"2026-11-26T19:00:00Z\"\n";
        let load = parse("p.toml", text, Path::new("."));
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            lines.iter().any(|l| l.starts_with("p.toml:4:12: warning: product \"x\" `title.zh`: \"全网最低\" breaks a copy rule (Advertising Law art. 9(3)")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("p.toml:7:14: error: product \"x\": `offer_ends` is not after `offer_starts`")),
            "{lines:?}"
        );
        assert!(load.products.is_empty(), "a product with an error is dropped");
    }

    /// What the stage cannot show well is caught before the show: a title with nothing visible in it (control or
    /// direction characters only) is an error; a price of 0 and a link too long for a QR code are warnings.
    #[test]
    fn invisible_titles_free_prices_and_overlong_links_are_reported() {
        let long = format!("https://shop.example/{}", "k".repeat(200));
        let text = format!(
            "currency = \"USD\"\n[[product]]\nid = \"ghost\"\ntitle.en = \"\\u0007\\u202e \\u200b\"\nprice = \"5\"\n\
             [[product]]\nid = \"gift\"\ntitle.en = \"Gift\"\nprice = \"0\"\nurl = \"{long}\"\n"
        );
        let load = parse("p.toml", &text, Path::new("."));
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
        assert!(has("error: product \"ghost\": the en title has no visible characters"), "{lines:?}");
        assert!(has("warning: product \"gift\": the price is 0"), "{lines:?}");
        assert!(has("the link is 221 characters long") && has("use a short link"), "{lines:?}");
        let ids: Vec<&str> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(ids, ["gift"], "warnings keep the product, the error drops it");
    }

    #[test]
    fn variants_carry_their_own_prices_and_stock() {
        let text = "currency = \"USD\"\n[[product]]\nid = \"tee\"\ntitle.en = \"Tee\"\n\n[[product.variants]]\nsku = \"tee-s\"\noptions = { Size = \"S\" }\nprice = \"19.99\"\nstock = 3\n\n[[product.variants]]\nsku = \"tee-m\"\noptions = { Size = \"M\" }\nprice = \"nineteen\"\n";
        let load = parse("v.toml", text, Path::new("."));
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        assert_eq!(lines, vec!["v.toml:15:9: error: product \"tee\" variant #2: `price`: \"nineteen\" is not an amount; write it like \"199.00\"".to_string()]);
        assert!(load.products.is_empty(), "a broken variant drops its product");
        let fixed = text.replace("\"nineteen\"", "\"21.00\"");
        let load = parse("v.toml", &fixed, Path::new("."));
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        let tee = &load.products[0];
        assert_eq!(tee.price.minor, 1999, "the first variant's price");
        // Size M states no stock, so the tee's total is unknown: 3 would be a count the host could say.
        assert_eq!(tee.stock, None);
        let counted = fixed.replace("price = \"21.00\"", "price = \"21.00\"\nstock = 4");
        let load = parse("v.toml", &counted, Path::new("."));
        assert_eq!(load.products[0].stock, Some(7), "every variant counted: their sum");
        assert_eq!(tee.variants[1].options, vec![("Size".to_string(), "M".to_string())]);
        assert_eq!(tee.variants[1].title(), "M");
    }

    /// Shipping, returns, gifts and promotions: every key read into the product, in the product's currency.
    #[test]
    fn reads_shipping_returns_gifts_and_promotions() {
        let text = r#"currency = "CNY"
utc_offset = "+08:00"

[[product]]
id = "tea"
title.zh = "茶具"
price = 199
gifts.zh = ["一条茶巾"]
shipping.cost = "free"
shipping.free_over = 99
shipping.dispatch = "2d"
shipping.carrier.zh = "顺丰快递"
returns.days = 7
returns.conditions.en = "unused, in the box"

[[product.promotions]]
kind = "buy_x_get_y"
buy = 2
get = 1
text.zh = "买二送一"

[[product.promotions]]
kind = "nth_item_percent_off"
n = 2
percent = 50
starts = "2026-11-26 20:00"
ends = "2026-11-26 22:00"

[[product.promotions]]
kind = "spend_and_save"
spend = "199"
save = "30"

[[product.promotions]]
kind = "coupon"
code = "TEA10"
save = 10

[[product]]
id = "lamp"
title.en = "Lamp"
price = "89.90"
shipping.cost = "12.00"
"#;
        let load = parse("p.toml", text, Path::new("."));
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        let tea = &load.products[0];
        let shipping = tea.shipping.as_ref().unwrap();
        assert_eq!(shipping.cost, Some(model::ShippingCost::Free));
        assert_eq!(shipping.free_over.as_ref().map(|m| m.minor), Some(9900));
        assert_eq!(shipping.dispatch_hours, Some(48));
        assert_eq!(shipping.carrier.get(Lang::Zh).map(String::as_str), Some("顺丰快递"));
        let returns = tea.returns.as_ref().unwrap();
        assert_eq!(
            (returns.days, returns.conditions.get(Lang::En).map(String::as_str)),
            (Some(7), Some("unused, in the box"))
        );
        assert_eq!(tea.gifts.get(Lang::Zh).unwrap(), &vec!["一条茶巾".to_string()]);
        let kinds: Vec<&PromotionKind> = tea.promotions.iter().map(|p| &p.kind).collect();
        assert_eq!(kinds[0], &PromotionKind::BuyXGetY { buy: 2, get: 1 });
        assert_eq!(tea.promotions[0].text.get(Lang::Zh).map(String::as_str), Some("买二送一"));
        assert_eq!(kinds[1], &PromotionKind::NthItemPercentOff { n: 2, percent: 50 });
        assert_eq!(tea.promotions[1].starts_at, Some(UnixMs(1_795_694_400_000)));
        assert_eq!(tea.promotions[1].ends_at, Some(UnixMs(1_795_694_400_000 + 2 * 3_600_000)));
        assert!(
            matches!(kinds[2], PromotionKind::SpendAndSave { spend, save } if spend.minor == 19900 && save.minor == 3000)
        );
        assert!(
            matches!(kinds[3], PromotionKind::Coupon { code: Some(c), save: Some(s) } if c == "TEA10" && s.minor == 1000)
        );
        let lamp = &load.products[1];
        assert_eq!(
            lamp.shipping
                .as_ref()
                .unwrap()
                .cost
                .as_ref()
                .map(|c| matches!(c, model::ShippingCost::Flat(m) if m.minor == 1200)),
            Some(true)
        );
        assert!(lamp.returns.is_none() && lamp.promotions.is_empty() && lamp.gifts.is_empty());
    }

    /// A policy or promotion that cannot be true is an error at its line, and drops the product.
    #[test]
    fn broken_shipping_returns_and_promotions_are_reported_with_positions() {
        let text = "currency = \"CNY\"\n[[product]]\nid = \"bad\"\ntitle.en = \"Bad\"\nprice = 10\n\
                    shipping.cost = \"cheap\"\nshipping.dispatch = \"soon\"\nshipping.speed = 1\nreturns.days = 0\n\
                    [[product.promotions]]\nkind = \"nth_item_percent_off\"\nn = 2\npercent = 150\n\
                    [[product.promotions]]\nkind = \"bogo\"\n\
                    [[product.promotions]]\nkind = \"spend_and_save\"\nspend = 50\n\
                    [[product.promotions]]\nkind = \"coupon\"\ncode = \"SAVE 10!\"\n";
        let load = parse("p.toml", text, Path::new("."));
        let lines: Vec<String> = load.diagnostics.iter().map(|d| d.to_string()).collect();
        let has = |needle: &str| lines.iter().any(|l| l.contains(needle));
        assert!(
            has("p.toml:6:17: error: product \"bad\" `shipping`: `cost`: \"cheap\" is not an amount"),
            "{lines:#?}"
        );
        assert!(
            has("p.toml:7:21: error: product \"bad\" `shipping`: `dispatch` \"soon\" must look like \"48h\""),
            "{lines:#?}"
        );
        assert!(has("p.toml:8:10: error: product \"bad\" `shipping`: unknown key `speed`"), "{lines:#?}");
        assert!(has("error: product \"bad\" `returns`: returns `days` must be from 1 to 365"), "{lines:#?}");
        assert!(has("error: product \"bad\" promotion #1: `percent` must be from 1 to 100"), "{lines:#?}");
        assert!(has("p.toml:15:8: error: product \"bad\" promotion #2: `kind` \"bogo\" is not one of"), "{lines:#?}");
        assert!(has("error: product \"bad\" promotion #3: missing `save`"), "{lines:#?}");
        assert!(
            has("error: product \"bad\" promotion #4: coupon `code` \"SAVE 10!\" must be 3 to 24 letters"),
            "{lines:#?}"
        );
        assert!(load.products.is_empty(), "a broken policy drops its product");
    }

    #[test]
    fn the_demo_queue_is_clean() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo");
        let text = std::fs::read_to_string(dir.join("products.toml")).unwrap();
        let load = parse("products.toml", &text, &dir);
        assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
        assert_eq!(load.products.len(), 3);
        assert!(load.products.iter().all(|p| p.image.as_ref().is_some_and(|i| i.is_file())));
    }
}
