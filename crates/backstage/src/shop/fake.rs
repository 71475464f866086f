//! Local shops for the tests: an HTTP server that speaks Shopify's Admin GraphQL (the products search by handle,
//! cursor pages, the query-cost extension, `THROTTLED`) and WooCommerce's REST v3 (SKU and id lists, pages with
//! `X-WP-TotalPages`, variations, `ETag` and 304, Basic authentication), built from the two API references, with
//! faults to inject: a status with `Retry-After`, a throttled answer, a malformed body.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

pub const TOKEN: &str = "shpat_test_token";
pub const KEY: &str = "ck_test";
pub const SECRET: &str = "cs_test";

#[derive(Clone, Debug)]
pub struct FakeVariant {
    pub sku: String,
    pub price: String,
    pub compare_at: Option<String>,
    /// `None`: the shop does not count it.
    pub qty: Option<i64>,
    pub available: bool,
}

#[derive(Clone, Debug)]
pub struct FakeItem {
    /// The Shopify handle, or the WooCommerce SKU (`id:N` for a WooCommerce product without one).
    pub key: String,
    /// "ACTIVE", "DRAFT", "ARCHIVED" (WooCommerce: ACTIVE is "publish", the others "draft").
    pub status: &'static str,
    pub variants: Vec<FakeVariant>,
}

impl FakeItem {
    pub fn simple(key: &str, price: &str, qty: i64) -> FakeItem {
        FakeItem {
            key: key.into(),
            status: "ACTIVE",
            variants: vec![FakeVariant {
                sku: format!("{key}-1"),
                price: price.into(),
                compare_at: None,
                qty: Some(qty),
                available: qty > 0,
            }],
        }
    }
}

#[derive(Clone, Debug)]
pub enum Fault {
    Status(u16, Option<&'static str>),
    /// Shopify: a 200 with `errors: THROTTLED`.
    Throttled,
    /// A body that is not the documented JSON.
    Malformed,
    /// Answer this request normally (to put a fault on a later one).
    Pass,
}

#[derive(Default)]
pub struct Shop {
    pub items: Vec<FakeItem>,
    pub currency: String,
    pub faults: VecDeque<Fault>,
    /// Requests answered (faults included).
    pub requests: usize,
    /// 304s answered.
    pub not_modified: usize,
    /// WooCommerce: items per page at most (the real API honours `per_page` up to 100).
    pub page_size: usize,
    /// Shopify: what the bucket reports after each query (available, restore rate).
    pub bucket: (f64, f64),
}

#[derive(Clone)]
pub struct FakeShop {
    pub shop: Arc<Mutex<Shop>>,
    pub url: String,
}

impl FakeShop {
    pub async fn start(items: Vec<FakeItem>) -> FakeShop {
        let shop = Arc::new(Mutex::new(Shop {
            items,
            currency: "USD".into(),
            page_size: 100,
            bucket: (1000.0, 100.0),
            ..Shop::default()
        }));
        let app = Router::new()
            .route("/admin/api/{version}/graphql.json", post(shopify))
            .route("/wp-json/wc/v3/data/currencies/current", get(woo_currency))
            .route("/wp-json/wc/v3/products", get(woo_products))
            .route("/wp-json/wc/v3/products/{id}/variations", get(woo_variations))
            .with_state(shop.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeShop { shop, url }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut Shop) -> T) -> T {
        f(&mut self.shop.lock().unwrap())
    }
}

/// The next injected fault, counted as a request.
fn fault(shop: &mut Shop) -> Option<Response> {
    shop.requests += 1;
    Some(match shop.faults.pop_front()? {
        Fault::Status(code, retry) => {
            let mut response = (StatusCode::from_u16(code).unwrap(), "{\"errors\":\"injected\"}").into_response();
            if let Some(after) = retry {
                response.headers_mut().insert(header::RETRY_AFTER, after.parse().unwrap());
            }
            response
        }
        Fault::Throttled => axum::Json(json!({
            "errors": [{ "message": "Throttled", "extensions": { "code": "THROTTLED" } }],
            "extensions": { "cost": { "requestedQueryCost": 300, "actualQueryCost": null,
                "throttleStatus": { "maximumAvailable": 1000.0, "currentlyAvailable": 200.0, "restoreRate": 100.0 } } }
        }))
        .into_response(),
        Fault::Malformed => (StatusCode::OK, "{\"data\": {\"products\": [unterminated").into_response(),
        Fault::Pass => return None,
    })
}

/// The handles in a search like `handle:"a" OR handle:"b"`.
fn handles(query: &str) -> Vec<String> {
    query
        .split(" OR ")
        .filter_map(|part| part.trim().strip_prefix("handle:\"")?.strip_suffix('"').map(|h| h.replace("\\\"", "\"")))
        .collect()
}

async fn shopify(State(shop): State<Arc<Mutex<Shop>>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut shop = shop.lock().unwrap();
    if let Some(response) = fault(&mut shop) {
        return response;
    }
    if headers.get("x-shopify-access-token").and_then(|v| v.to_str().ok()) != Some(TOKEN) {
        return (StatusCode::UNAUTHORIZED, "{\"errors\":\"[API] Invalid API key or access token\"}").into_response();
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "{\"errors\":\"bad json\"}").into_response();
    };
    let wanted = handles(request["variables"]["query"].as_str().unwrap_or(""));
    // Both connection forms the Admin API answers: `edges { node }` and `nodes`, as the query asks.
    let query_text = request["query"].as_str().unwrap_or("");
    let as_edges = query_text.contains("edges");
    let connection = |list: Vec<Value>| {
        if as_edges {
            Value::Array(list.into_iter().map(|node| json!({ "node": node })).collect())
        } else {
            Value::Array(list)
        }
    };
    let key = if as_edges { "edges" } else { "nodes" };
    let offset: usize = request["variables"]["after"].as_str().and_then(|c| c.parse().ok()).unwrap_or(0);
    let matching: Vec<&FakeItem> = shop.items.iter().filter(|i| wanted.contains(&i.key)).collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(10)
        .map(|item| {
            json!({
                "handle": item.key,
                "status": item.status,
                "variants": { "pageInfo": { "hasNextPage": false }, key: connection(item.variants.iter().map(|v| json!({
                    "sku": v.sku,
                    "price": v.price,
                    "compareAtPrice": v.compare_at,
                    "inventoryQuantity": v.qty.unwrap_or(0),
                    "availableForSale": v.available,
                    "inventoryItem": { "tracked": v.qty.is_some() },
                })).collect()) }
            })
        })
        .collect();
    let more = offset + 10 < matching.len();
    let (available, rate) = shop.bucket;
    axum::Json(json!({
        "data": {
            "shop": { "currencyCode": shop.currency },
            "products": {
                "pageInfo": { "hasNextPage": more, "endCursor": if more { Some((offset + 10).to_string()) } else { None } },
                key: connection(page),
            }
        },
        "extensions": { "cost": { "requestedQueryCost": 252, "actualQueryCost": 12,
            "throttleStatus": { "maximumAvailable": 1000.0, "currentlyAvailable": available, "restoreRate": rate } } }
    }))
    .into_response()
}

fn woo_authorised(headers: &HeaderMap) -> bool {
    use base64::Engine;
    let expected = format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{KEY}:{SECRET}")));
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) == Some(expected.as_str())
}

/// A JSON answer with an `ETag`, or 304 when the client already has it.
fn conditional(shop: &mut Shop, headers: &HeaderMap, body: Value, extra: &[(&'static str, String)]) -> Response {
    let text = body.to_string();
    let etag = format!("\"{:016x}\"", fnv(text.as_bytes()));
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        shop.not_modified += 1;
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mut response = (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], text).into_response();
    response.headers_mut().insert(header::ETAG, etag.parse().unwrap());
    for (name, value) in extra {
        response.headers_mut().insert(*name, value.parse().unwrap());
    }
    response
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3))
}

async fn woo_currency(State(shop): State<Arc<Mutex<Shop>>>, headers: HeaderMap) -> Response {
    let mut shop = shop.lock().unwrap();
    if let Some(response) = fault(&mut shop) {
        return response;
    }
    if !woo_authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, "{\"code\":\"woocommerce_rest_cannot_view\"}").into_response();
    }
    let body = json!({ "code": shop.currency, "name": "Currency", "symbol": "$" });
    conditional(&mut shop, &headers, body, &[])
}

fn woo_id(index: usize, item: &FakeItem) -> u64 {
    item.key.strip_prefix("id:").and_then(|id| id.parse().ok()).unwrap_or(100 + index as u64)
}

fn woo_fields(v: &FakeVariant) -> Value {
    let regular = v.compare_at.clone().unwrap_or_else(|| v.price.clone());
    json!({
        "sku": v.sku,
        "price": v.price,
        "regular_price": regular,
        "sale_price": if v.compare_at.is_some() { v.price.clone() } else { String::new() },
        "on_sale": v.compare_at.is_some(),
        "manage_stock": v.qty.is_some(),
        "stock_quantity": v.qty,
        "stock_status": if v.available { "instock" } else { "outofstock" },
    })
}

fn woo_product(index: usize, item: &FakeItem) -> Value {
    let variable = item.variants.len() > 1;
    let mut product = if variable {
        json!({ "price": item.variants[0].price, "regular_price": "", "sale_price": "", "manage_stock": false,
                "stock_quantity": null,
                "stock_status": if item.variants.iter().any(|v| v.available) { "instock" } else { "outofstock" } })
    } else {
        woo_fields(&item.variants[0])
    };
    let sku = if item.key.starts_with("id:") { String::new() } else { item.key.clone() };
    let fields = product.as_object_mut().unwrap();
    fields.insert("id".into(), json!(woo_id(index, item)));
    fields.insert("sku".into(), json!(sku));
    fields.insert("status".into(), json!(if item.status == "ACTIVE" { "publish" } else { "draft" }));
    fields.insert("type".into(), json!(if variable { "variable" } else { "simple" }));
    product
}

fn paged(shop: &mut Shop, headers: &HeaderMap, items: Vec<Value>, query: &HashMap<String, String>) -> Response {
    let size = query.get("per_page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(10).min(shop.page_size).max(1);
    let page = query.get("page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(1).max(1);
    let total_pages = items.len().div_ceil(size).max(1);
    let slice: Vec<Value> = items.iter().skip((page - 1) * size).take(size).cloned().collect();
    let extra = [("x-wp-total", items.len().to_string()), ("x-wp-totalpages", total_pages.to_string())];
    conditional(shop, headers, Value::Array(slice), &extra)
}

async fn woo_products(
    State(shop): State<Arc<Mutex<Shop>>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut shop = shop.lock().unwrap();
    if let Some(response) = fault(&mut shop) {
        return response;
    }
    if !woo_authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, "{\"code\":\"woocommerce_rest_cannot_view\"}").into_response();
    }
    let skus: Vec<&str> = query.get("sku").map(|s| s.split(',').collect()).unwrap_or_default();
    let ids: Vec<u64> =
        query.get("include").map(|s| s.split(',').filter_map(|i| i.parse().ok()).collect()).unwrap_or_default();
    let items: Vec<Value> = shop
        .items
        .iter()
        .enumerate()
        .filter(|(i, item)| skus.contains(&item.key.as_str()) || ids.contains(&woo_id(*i, item)))
        .map(|(i, item)| woo_product(i, item))
        .collect();
    paged(&mut shop, &headers, items, &query)
}

async fn woo_variations(
    State(shop): State<Arc<Mutex<Shop>>>,
    headers: HeaderMap,
    Path(id): Path<u64>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let mut shop = shop.lock().unwrap();
    if let Some(response) = fault(&mut shop) {
        return response;
    }
    if !woo_authorised(&headers) {
        return (StatusCode::UNAUTHORIZED, "{}").into_response();
    }
    let Some(item) =
        shop.items.iter().enumerate().find(|(i, item)| woo_id(*i, item) == id).map(|(_, item)| item.clone())
    else {
        return (StatusCode::NOT_FOUND, "{\"code\":\"woocommerce_rest_product_invalid_id\"}").into_response();
    };
    let variations: Vec<Value> = item.variants.iter().map(woo_fields).collect();
    paged(&mut shop, &headers, variations, &query)
}
