//! WooCommerce's REST API v3: the queue's products by SKU (or `id:<ID>` for products without one), their
//! variations for variable products, and the store's currency.
//!
//! Requests are conditional: a validator the server gave (`ETag`, `Last-Modified`) goes back as `If-None-Match` /
//! `If-Modified-Since`, and a 304 reuses the last answer for that address. Lists are paged (`per_page=100`, the
//! API's maximum) and followed to `X-WP-TotalPages`. Credentials go as HTTP Basic authentication, which
//! WooCommerce accepts over HTTPS (see [`super::ShopConfig::check_url`]).

use super::{ShopConfig, ShopError, ShopRead, read_body, retry_after, status_error};
use model::{Currency, Money, Product, ProductId, ShopFacts, ShopStatus, ShopVariant};
use serde_json::Value;
use std::collections::HashMap;
use std::time::Duration;

/// Items per page: the REST API's maximum.
pub const PER_PAGE: usize = 100;
/// Pages followed at most for one list (100 × 100 items is far past any live queue).
const MAX_PAGES: usize = 100;

/// The validators and answers of earlier requests, by address.
#[derive(Default)]
pub struct Validators {
    seen: HashMap<String, Cached>,
}

struct Cached {
    etag: Option<String>,
    last_modified: Option<String>,
    body: Vec<u8>,
    total_pages: usize,
}

/// One conditional GET: the body (fresh, or the last one on 304) and the total pages the server reports.
async fn get(
    client: &reqwest::Client,
    url: &str,
    (key, secret): (&str, &str),
    validators: &mut Validators,
) -> Result<(Vec<u8>, usize), ShopError> {
    let mut request = client.get(url).basic_auth(key, Some(secret));
    if let Some(cached) = validators.seen.get(url) {
        if let Some(etag) = &cached.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &cached.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, date);
        }
    }
    let response = request.send().await.map_err(|e| ShopError::Unavailable(e.without_url().to_string()))?;
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    if status == 304
        && let Some(cached) = validators.seen.get(url)
    {
        return Ok((cached.body.clone(), cached.total_pages));
    }
    let body = read_body(response).await?;
    if status == 429 {
        let wait = retry_after(&headers).unwrap_or(Duration::from_secs(5));
        return Err(ShopError::Throttled { wait, detail: "HTTP 429".into() });
    }
    if !(200..300).contains(&status) {
        return Err(status_error(status, &body));
    }
    let text = |name: reqwest::header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok()).map(String::from);
    let total_pages = headers
        .get("X-WP-TotalPages")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1);
    let (etag, last_modified) = (text(reqwest::header::ETAG), text(reqwest::header::LAST_MODIFIED));
    if etag.is_some() || last_modified.is_some() {
        validators.seen.insert(url.to_string(), Cached { etag, last_modified, body: body.clone(), total_pages });
    }
    Ok((body, total_pages))
}

fn json_array(body: &[u8], what: &str) -> Result<Vec<Value>, ShopError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(other) => Err(ShopError::Malformed(format!("{what}: expected a JSON list, got {}", kind(&other)))),
        Err(e) => Err(ShopError::Malformed(format!("{what}: not JSON ({e})"))),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Every page of a list.
async fn get_all(
    client: &reqwest::Client,
    base: &str,
    credentials: (&str, &str),
    validators: &mut Validators,
    what: &str,
) -> Result<Vec<Value>, ShopError> {
    let mut items = Vec::new();
    let mut page = 1;
    loop {
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}per_page={PER_PAGE}&page={page}");
        let (body, total) = get(client, &url, credentials, validators).await?;
        items.extend(json_array(&body, what)?);
        if page >= total.min(MAX_PAGES) {
            return Ok(items);
        }
        page += 1;
    }
}

/// The queue product a WooCommerce product is: by SKU, else by `id:<ID>`.
fn queue_id(item: &Value) -> Option<String> {
    match item["sku"].as_str().filter(|s| !s.trim().is_empty()) {
        Some(sku) => Some(sku.trim().to_string()),
        None => item["id"].as_u64().map(|id| format!("id:{id}")),
    }
}

/// Reads the shop once for the queue's `products`.
pub async fn read(
    client: &reqwest::Client,
    config: &ShopConfig,
    key: &str,
    secret: &str,
    products: &[Product],
    validators: &mut Validators,
) -> Result<ShopRead, ShopError> {
    let api = format!("{}/wp-json/wc/v3", config.url.trim_end_matches('/'));
    let credentials = (key, secret);
    let (body, _) = get(client, &format!("{api}/data/currencies/current"), credentials, validators).await?;
    let currency: Value = serde_json::from_slice(&body)
        .map_err(|e| ShopError::Malformed(format!("the store's currency: not JSON ({e})")))?;
    let code = currency["code"].as_str().ok_or_else(|| ShopError::Malformed("the store's currency: no code".into()))?;
    let currency = Currency::parse(code)
        .ok_or_else(|| ShopError::Malformed(format!("the store's currency {code:?} is not an ISO 4217 code")))?;

    let (by_id, by_sku): (Vec<&Product>, Vec<&Product>) = products.iter().partition(|p| p.id.0.starts_with("id:"));
    let mut items = Vec::new();
    for batch in by_sku.chunks(PER_PAGE) {
        let skus: Vec<String> = batch.iter().map(|p| encode(&p.id.0)).collect();
        items.extend(
            get_all(client, &format!("{api}/products?sku={}", skus.join(",")), credentials, validators, "products")
                .await?,
        );
    }
    for batch in by_id.chunks(PER_PAGE) {
        let ids: Vec<&str> =
            batch.iter().map(|p| &p.id.0[3..]).filter(|id| id.bytes().all(|b| b.is_ascii_digit())).collect();
        if ids.is_empty() {
            continue;
        }
        items.extend(
            get_all(client, &format!("{api}/products?include={}", ids.join(",")), credentials, validators, "products")
                .await?,
        );
    }
    let mut facts = Vec::new();
    for item in &items {
        let Some(id) = queue_id(item) else { continue };
        let Some(product) = products.iter().find(|p| p.id.0 == id) else { continue };
        if facts.iter().any(|f: &ShopFacts| f.product == product.id) {
            continue;
        }
        let variations = if item["type"] == "variable" {
            let parent = item["id"].as_u64().ok_or_else(|| ShopError::Malformed(format!("product {id}: no id")))?;
            get_all(client, &format!("{api}/products/{parent}/variations"), credentials, validators, "variations")
                .await?
        } else {
            Vec::new()
        };
        let read = product_facts(item, &variations, product, &currency)
            .map_err(|why| ShopError::Malformed(format!("WooCommerce product {id}: {why}")))?;
        facts.push(read);
    }
    let missing = products.iter().filter(|p| !facts.iter().any(|f| f.product == p.id)).map(|p| p.id.clone()).collect();
    Ok(ShopRead { facts, missing })
}

/// Percent-encodes a SKU for the query string (commas separate SKUs, so they are encoded too).
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn money(item: &Value, field: &str, currency: &Currency) -> Result<Option<Money>, String> {
    match &item[field] {
        Value::Null => Ok(None),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        Value::String(text) => {
            Money::parse_decimal(text, currency.clone()).map(Some).map_err(|e| format!("{field} {text:?}: {e}"))
        }
        other => Err(format!("{field} is {}, not a decimal string", kind(other))),
    }
}

/// A product's or variation's price now and its reference price (the regular price while on sale).
fn prices(item: &Value, currency: &Currency) -> Result<(Money, Option<Money>), String> {
    let price = money(item, "price", currency)?.ok_or("no price")?;
    let regular = money(item, "regular_price", currency)?;
    Ok((price.clone(), regular.filter(|r| r.minor > price.minor)))
}

fn stock(item: &Value) -> Result<Option<u32>, String> {
    if item["manage_stock"] != Value::Bool(true) {
        return Ok(None);
    }
    match &item["stock_quantity"] {
        Value::Null => Ok(None),
        Value::Number(n) => {
            Ok(Some(n.as_i64().ok_or("stock_quantity is not a whole number")?.clamp(0, u32::MAX as i64) as u32))
        }
        other => Err(format!("stock_quantity is {}, not a number", kind(other))),
    }
}

fn product_facts(
    item: &Value,
    variations: &[Value],
    product: &Product,
    currency: &Currency,
) -> Result<ShopFacts, String> {
    let mut variants = Vec::new();
    for v in variations {
        let (price, compare_at) = prices(v, currency)?;
        let out = v["stock_status"] == "outofstock";
        let stock = if out { Some(0) } else { stock(v)? };
        if let Some(sku) = v["sku"].as_str().filter(|s| !s.trim().is_empty()) {
            variants.push(ShopVariant { sku: sku.trim().to_string(), price, compare_at, stock });
        }
    }
    // The product's price: the queue's first variant's (by SKU) when the shop has it, else the product's own.
    let first_sku = product.variants.first().and_then(|v| v.sku.as_deref());
    let (price, compare_at) = match variants.iter().find(|v| Some(v.sku.as_str()) == first_sku) {
        Some(v) => (v.price.clone(), v.compare_at.clone()),
        None => prices(item, currency)?,
    };
    let stock = if variations.is_empty() {
        stock(item)?
    } else {
        let counted: Vec<u32> = variants.iter().filter_map(|v| v.stock).collect();
        (!counted.is_empty()).then(|| counted.iter().fold(0u32, |a, n| a.saturating_add(*n)))
    };
    let status = match (item["status"].as_str(), item["stock_status"].as_str()) {
        (Some("publish"), Some("outofstock")) => ShopStatus::OutOfStock,
        (Some("publish"), _) => ShopStatus::ForSale,
        (Some(_), _) => ShopStatus::Withdrawn,
        (None, _) => return Err("no status".into()),
    };
    Ok(ShopFacts { product: ProductId(product.id.0.clone()), price, compare_at, stock, status, variants })
}
