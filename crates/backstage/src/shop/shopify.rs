//! Shopify's Admin GraphQL API: the queue's products by handle, their variants' prices, compare-at prices,
//! inventory and availability, and the shop's currency, in pages of [`PAGE`] products.
//!
//! Rate limits are Shopify's calculated query cost: every answer reports the bucket (`extensions.cost.
//! throttleStatus`: what is available and how fast it refills), and the next query waits until the bucket holds
//! what the last one asked for. A `THROTTLED` error or an HTTP 429 waits as long as the bucket (or `Retry-After`)
//! says. GraphQL POSTs cannot be conditional; the budget is what keeps the polling polite.

use super::{ShopConfig, ShopError, ShopRead, read_body, retry_after, status_error};
use model::{Currency, Money, Product, ProductId, ShopFacts, ShopStatus, ShopVariant};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

/// Products per page. With [`VARIANTS`] variants each, a page's requested cost stays well under Shopify's limit of
/// 1000 points for one query.
pub const PAGE: usize = 10;
/// Variants read per product; a product with more is read without the rest (and the console is told).
pub const VARIANTS: usize = 25;

/// Connections are asked for as `edges { node }`, the form every Admin API version and client knows; answers in
/// the newer `nodes` form are read too.
const QUERY: &str = "query ShopcastSync($query: String!, $after: String) {
  shop { currencyCode }
  products(first: 10, after: $after, query: $query) {
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        handle
        status
        variants(first: 25) {
          pageInfo { hasNextPage }
          edges { node { sku price compareAtPrice inventoryQuantity availableForSale inventoryItem { tracked } } }
        }
      }
    }
  }
}";

/// A connection's items, from `edges[].node` or `nodes`.
fn items(connection: &Value) -> Option<Vec<&Value>> {
    if let Some(nodes) = connection["nodes"].as_array() {
        return Some(nodes.iter().collect());
    }
    let edges = connection["edges"].as_array()?;
    edges.iter().map(|edge| edge.get("node")).collect()
}

/// The query cost bucket as the last answer reported it.
#[derive(Default)]
pub struct Budget {
    /// When the next query may go, so that the bucket holds what it will ask for.
    ready_at: Option<Instant>,
}

impl Budget {
    /// Reads `extensions.cost` of an answer: when the bucket will hold `requestedQueryCost` again.
    fn observe(&mut self, answer: &Value) {
        let cost = &answer["extensions"]["cost"];
        let requested = cost["requestedQueryCost"].as_f64().unwrap_or(0.0);
        let status = &cost["throttleStatus"];
        let (Some(available), Some(rate)) = (status["currentlyAvailable"].as_f64(), status["restoreRate"].as_f64())
        else {
            return;
        };
        self.ready_at = Some(Instant::now() + refill_time(requested, available, rate));
    }
}

/// How long until a bucket holding `available` and refilling at `rate` per second holds `needed`.
pub fn refill_time(needed: f64, available: f64, rate: f64) -> Duration {
    if !(needed.is_finite() && available.is_finite() && rate.is_finite()) || available >= needed {
        return Duration::ZERO;
    }
    if rate <= 0.0 {
        return super::MAX_WAIT;
    }
    Duration::from_secs_f64(((needed - available) / rate).min(super::MAX_WAIT.as_secs_f64()))
}

/// The search query for a batch of handles: `handle:"a" OR handle:"b"` (quotes escaped).
pub fn handle_query(handles: &[&str]) -> String {
    handles
        .iter()
        .map(|h| format!("handle:\"{}\"", h.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// Reads the shop once for the queue's `products` (by handle).
pub async fn read(
    client: &reqwest::Client,
    config: &ShopConfig,
    token: &str,
    api_version: &str,
    products: &[Product],
    budget: &mut Budget,
) -> Result<ShopRead, ShopError> {
    let url = format!("{}/admin/api/{api_version}/graphql.json", config.url.trim_end_matches('/'));
    let handles: Vec<&str> = products.iter().map(|p| p.id.0.as_str()).collect();
    let mut found = Vec::new();
    // Batches of handles, each paged: the search is for these products only, never the whole shop.
    for batch in handles.chunks(50) {
        let query = handle_query(batch);
        let mut after: Option<String> = None;
        loop {
            if let Some(at) = budget.ready_at.take() {
                tokio::time::sleep_until(at).await;
            }
            let body = json!({ "query": QUERY, "variables": { "query": query, "after": after } });
            let response = client
                .post(&url)
                .header("X-Shopify-Access-Token", token)
                .json(&body)
                .send()
                .await
                .map_err(|e| ShopError::Unavailable(e.without_url().to_string()))?;
            let status = response.status().as_u16();
            let wait = retry_after(response.headers());
            let bytes = read_body(response).await?;
            if status == 429 {
                return Err(ShopError::Throttled {
                    wait: wait.unwrap_or(Duration::from_secs(2)),
                    detail: "HTTP 429".into(),
                });
            }
            if !(200..300).contains(&status) {
                return Err(status_error(status, &bytes));
            }
            let answer: Value =
                serde_json::from_slice(&bytes).map_err(|e| ShopError::Malformed(format!("not JSON ({e})")))?;
            budget.observe(&answer);
            if let Some(errors) = answer["errors"].as_array().filter(|e| !e.is_empty()) {
                let throttled = errors.iter().any(|e| e["extensions"]["code"] == "THROTTLED");
                let message = errors.iter().filter_map(|e| e["message"].as_str()).collect::<Vec<_>>().join("; ");
                if throttled {
                    let wait = budget.ready_at.take().map_or(Duration::from_secs(2), |at| at - Instant::now());
                    return Err(ShopError::Throttled { wait, detail: "THROTTLED".into() });
                }
                if answer["data"].is_null() {
                    return Err(ShopError::Refused(format!("GraphQL: {message}")));
                }
            }
            let page = parse_page(&answer["data"], products)?;
            found.extend(page.facts);
            match page.next {
                Some(cursor) => after = Some(cursor),
                None => break,
            }
        }
    }
    let missing = products.iter().filter(|p| !found.iter().any(|f| f.product == p.id)).map(|p| p.id.clone()).collect();
    Ok(ShopRead { facts: found, missing })
}

/// One page of the answer: the facts of its products (those in the queue) and the cursor of the next page.
pub struct Page {
    pub facts: Vec<ShopFacts>,
    pub next: Option<String>,
}

/// Reads one page's `data` as the Admin API documents it.
pub fn parse_page(data: &Value, products: &[Product]) -> Result<Page, ShopError> {
    let bad = |what: &str| ShopError::Malformed(format!("Shopify answer: {what}"));
    let code = data["shop"]["currencyCode"].as_str().ok_or_else(|| bad("no shop.currencyCode"))?;
    let currency = Currency::parse(code).ok_or_else(|| bad(&format!("currency {code:?} is not an ISO 4217 code")))?;
    let connection = &data["products"];
    let nodes = items(connection).ok_or_else(|| bad("no products.edges (or nodes)"))?;
    let mut facts = Vec::new();
    for node in nodes {
        let handle = node["handle"].as_str().ok_or_else(|| bad("a product without a handle"))?;
        // The search may match more than asked (a handle search is a prefix match on some stores).
        let Some(product) = products.iter().find(|p| p.id.0 == handle) else { continue };
        facts.push(product_facts(node, product, &currency).map_err(|why| bad(&format!("product {handle}: {why}")))?);
    }
    let info = &connection["pageInfo"];
    let next = match info["hasNextPage"].as_bool() {
        Some(true) => Some(info["endCursor"].as_str().ok_or_else(|| bad("hasNextPage without an endCursor"))?.into()),
        _ => None,
    };
    Ok(Page { facts, next })
}

fn money(value: &Value, currency: &Currency, field: &str) -> Result<Option<Money>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(text) => {
            Money::parse_decimal(text, currency.clone()).map(Some).map_err(|e| format!("{field} {text:?}: {e}"))
        }
        other => Err(format!("{field} is {other}, not a decimal string")),
    }
}

fn product_facts(node: &Value, product: &Product, currency: &Currency) -> Result<ShopFacts, String> {
    let variants = items(&node["variants"]).ok_or("no variants.edges (or nodes)")?;
    if variants.is_empty() {
        return Err("no variants (every Shopify product has at least one)".into());
    }
    if node["variants"]["pageInfo"]["hasNextPage"].as_bool() == Some(true) {
        tracing::warn!("{}: more than {VARIANTS} variants; the rest are not read", product.id);
    }
    let mut read = Vec::new();
    for v in variants {
        let price = money(&v["price"], currency, "price")?.ok_or("a variant without a price")?;
        let compare_at = money(&v["compareAtPrice"], currency, "compareAtPrice")?;
        let tracked = v["inventoryItem"]["tracked"].as_bool().unwrap_or(true);
        let stock = match v["inventoryQuantity"].as_i64() {
            // Oversold stock is negative: none left.
            Some(n) if tracked => Some(n.clamp(0, i64::from(u32::MAX)) as u32),
            _ => None,
        };
        let sku = v["sku"].as_str().filter(|s| !s.is_empty()).map(str::to_string);
        let available = v["availableForSale"].as_bool().unwrap_or(true);
        read.push((sku, price, compare_at, stock, available));
    }
    // The product's price is its first variant's, as the importer takes it: the queue's first variant by SKU when
    // the shop has it, else the shop's first.
    let first_sku = product.variants.first().and_then(|v| v.sku.as_deref());
    let lead = read.iter().find(|r| r.0.is_some() && r.0.as_deref() == first_sku).unwrap_or(&read[0]);
    let counted: Vec<u32> = read.iter().filter_map(|r| r.3).collect();
    let stock = (!counted.is_empty()).then(|| counted.iter().fold(0u32, |a, n| a.saturating_add(*n)));
    let status = match node["status"].as_str() {
        Some("ACTIVE") if read.iter().any(|r| r.4) => ShopStatus::ForSale,
        Some("ACTIVE") => ShopStatus::OutOfStock,
        Some(_) => ShopStatus::Withdrawn,
        None => return Err("no status".into()),
    };
    Ok(ShopFacts {
        product: ProductId(product.id.0.clone()),
        price: lead.1.clone(),
        compare_at: lead.2.clone(),
        stock,
        status,
        variants: read
            .iter()
            .filter_map(|(sku, price, compare_at, stock, _)| {
                Some(ShopVariant {
                    sku: sku.clone()?,
                    price: price.clone(),
                    compare_at: compare_at.clone(),
                    stock: *stock,
                })
            })
            .collect(),
    })
}
