//! shopcast's own product format in TOML (assets/demo/products.toml is the documented example).

use super::CatalogLoad;
use crate::tomlfile::{Fields, Source};
use model::{Currency, Diagnostic, Localized, Money, Product};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    let default_currency =
        root.string("currency", diags)
            .and_then(|c| match Currency::parse(c.get_ref()) {
                Some(currency) => Some(currency),
                None => {
                    diags.push(src.error(
                        &c.span(),
                        format!(
                            "`currency` \"{}\" is not a 3-letter ISO code like CNY or USD",
                            c.get_ref()
                        ),
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
        let product = read_product(
            &src,
            &mut fields,
            default_currency.as_ref(),
            base_dir,
            diags,
        );
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
                format!("product \"{}\": duplicate id (first used at line {first}); give each product its own id", product.id),
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
            diags.push(src.error(
                &id.span(),
                format!(
                    "{}: `id` is empty; give the product a short unique id",
                    f.context()
                ),
            ));
            None
        }
        None => {
            diags.push(src.error(
                &f.span(),
                format!(
                    "{}: missing `id`; add a short unique id like id = \"tea-set\"",
                    f.context()
                ),
            ));
            None
        }
    };
    let title = localized_text(src, f, "title", diags);
    if title.is_empty() {
        diags.push(src.error(
            &f.span_of("title"),
            format!(
                "{}: missing `title`; add title.en = \"...\" and/or title.zh = \"...\"",
                f.context()
            ),
        ));
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
            format!(
                "{}: no currency; add currency = \"CNY\" to the product or at the top of the file",
                f.context()
            ),
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
    if price.is_none() && !f.has("price") {
        diags.push(src.error(
            &f.span(),
            format!("{}: missing `price`; add price = \"199.00\"", f.context()),
        ));
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

    let stock = f
        .integer("stock", diags)
        .and_then(|n| match u32::try_from(*n.get_ref()) {
            Ok(stock) => Some(stock),
            Err(_) => {
                diags.push(src.error(
                    &n.span(),
                    format!(
                        "{}: `stock` {} must be zero or a positive whole number",
                        f.context(),
                        n.get_ref()
                    ),
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
            Some(text.to_string())
        } else {
            diags.push(src.error(
                &u.span(),
                format!("{}: `url` must start with https:// or http://", f.context()),
            ));
            None
        }
    });

    let mut product = Product::new(id?, title, price?);
    product.description = description;
    product.features = features;
    product.usage = usage;
    product.compare_at = compare_at;
    product.stock = stock;
    product.images = image.iter().map(|p| p.display().to_string()).collect();
    product.image = image;
    product.url = url;
    Some(product)
}

fn resolve(base_dir: &Path, path: &str) -> PathBuf {
    let p = Path::new(path);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base_dir.join(p)
    }
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
        out.en = table
            .string("en", diags)
            .map(|s| s.into_inner().trim().to_string())
            .filter(|s| !s.is_empty());
        out.zh = table
            .string("zh", diags)
            .map(|s| s.into_inner().trim().to_string())
            .filter(|s| !s.is_empty());
        table.finish(diags);
    } else if let Some(text) = f.string(key, diags) {
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
    _src: &Source<'_>,
    f: &mut Fields<'_, '_>,
    key: &str,
    diags: &mut Vec<Diagnostic>,
) -> Localized<Vec<String>> {
    let mut out = Localized::default();
    if !f.has(key) {
        return out;
    }
    if let Some(mut table) = try_table(f, key) {
        out.en = table.string_list("en", diags).map(|s| s.into_inner());
        out.zh = table.string_list("zh", diags).map(|s| s.into_inner());
        table.finish(diags);
    } else if let Some(list) = f.string_list(key, diags) {
        let list = list.into_inner();
        if list
            .iter()
            .any(|s| director::timing::detect_lang(s) == model::Lang::Zh)
        {
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
