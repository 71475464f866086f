//! The shop connectors against local servers that speak the documented JSON (see `fake`): pages, variants,
//! conditional requests, rate limits, refusals and malformed answers; the sync task end to end with a signed
//! webhook; and the show's card following a price changed in the shop.

use super::fake::{FakeItem, FakeShop, FakeVariant, Fault, KEY, SECRET, TOKEN};
use super::webhook::{WebhookState, sign, verify, webhook_router};
use super::*;
use model::{Currency, Lang, Localized, Money, Variant};
use serde_json::json;
use std::time::Duration;

fn usd(amount: &str) -> Money {
    Money::parse_decimal(amount, Currency::parse("USD").unwrap()).unwrap()
}

fn queued(id: &str, price: &str) -> Product {
    let mut p = Product::new(id, Localized::one(Lang::En, format!("The {id}")), usd(price));
    p.stock = Some(5);
    p
}

fn shopify(url: &str) -> ShopConfig {
    ShopConfig {
        kind: ShopKind::Shopify { token: TOKEN.into(), api_version: "2025-01".into() },
        url: url.into(),
        poll: Duration::from_secs(60),
        request_timeout: Duration::from_secs(5),
    }
}

fn woo(url: &str) -> ShopConfig {
    ShopConfig { kind: ShopKind::WooCommerce { key: KEY.into(), secret: SECRET.into() }, ..shopify(url) }
}

async fn read_once(config: &ShopConfig, products: &[Product], state: &mut ReadState) -> Result<ShopRead, ShopError> {
    let client = reqwest::Client::new();
    read(&client, config, products, state).await
}

fn facts_of<'a>(read: &'a ShopRead, id: &str) -> &'a ShopFacts {
    read.facts.iter().find(|f| f.product.0 == id).unwrap_or_else(|| panic!("no facts for {id}: {read:?}"))
}

/// Twelve products (two pages of ten), a product with two variants, one untracked, one archived, one sold out, and
/// one the shop does not have.
fn catalog() -> Vec<FakeItem> {
    let mut items: Vec<FakeItem> = (0..12).map(|i| FakeItem::simple(&format!("mug-{i}"), "8.50", 3)).collect();
    items.push(FakeItem {
        key: "kettle".into(),
        status: "ACTIVE",
        variants: vec![
            FakeVariant {
                sku: "k-red".into(),
                price: "27.00".into(),
                compare_at: Some("30.00".into()),
                qty: Some(4),
                available: true,
            },
            FakeVariant {
                sku: "k-blue".into(),
                price: "29.00".into(),
                compare_at: None,
                qty: Some(-2),
                available: false,
            },
        ],
    });
    let mut untracked = FakeItem::simple("poster", "12.00", 0);
    untracked.variants[0].qty = None;
    untracked.variants[0].available = true;
    items.push(untracked);
    let mut archived = FakeItem::simple("lamp", "40.00", 9);
    archived.status = "ARCHIVED";
    items.push(archived);
    items.push(FakeItem::simple("scarf", "12.00", 0));
    items
}

fn queue() -> Vec<Product> {
    let mut products: Vec<Product> = (0..12).map(|i| queued(&format!("mug-{i}"), "9.00")).collect();
    let mut kettle = queued("kettle", "30");
    let variant = |sku: &str| Variant {
        sku: Some(sku.into()),
        options: vec![("Colour".into(), sku.into())],
        price: usd("30"),
        compare_at: None,
        stock: Some(1),
        image: None,
    };
    kettle.variants = vec![variant("k-red"), variant("k-blue")];
    products.push(kettle);
    for id in ["poster", "lamp", "scarf", "ghost"] {
        products.push(queued(id, "10"));
    }
    products
}

#[tokio::test]
async fn shopify_pages_variants_inventory_and_status_are_read_as_documented() {
    let shop = FakeShop::start(catalog()).await;
    let read = read_once(&shopify(&shop.url), &queue(), &mut ReadState::default()).await.unwrap();
    assert_eq!(read.facts.len(), 16, "every product the shop has, over two pages: {read:?}");
    assert_eq!(shop.with(|s| s.requests), 2, "one query per page of ten");
    assert_eq!(facts_of(&read, "mug-11").price, usd("8.50"));
    let kettle = facts_of(&read, "kettle");
    assert_eq!((kettle.price.clone(), kettle.compare_at.clone()), (usd("27"), Some(usd("30"))), "the first variant's");
    assert_eq!(kettle.stock, Some(4), "oversold stock (-2) counts as none");
    assert_eq!(kettle.status, ShopStatus::ForSale);
    assert_eq!(kettle.variants.len(), 2);
    assert_eq!(facts_of(&read, "poster").stock, None, "untracked inventory is unknown, not zero");
    assert_eq!(facts_of(&read, "lamp").status, ShopStatus::Withdrawn);
    assert_eq!(facts_of(&read, "scarf").status, ShopStatus::OutOfStock);
    assert_eq!(read.missing, vec![ProductId("ghost".into())]);
}

#[tokio::test]
async fn shopify_faults_are_classified_and_a_429_says_how_long_to_wait() {
    let shop = FakeShop::start(catalog()).await;
    let config = shopify(&shop.url);
    let products = queue();
    let mut state = ReadState::default();
    shop.with(|s| s.faults.push_back(Fault::Status(429, Some("7"))));
    let error = read_once(&config, &products, &mut state).await.unwrap_err();
    assert!(matches!(error, ShopError::Throttled { wait, .. } if wait == Duration::from_secs(7)), "{error:?}");
    shop.with(|s| s.faults.push_back(Fault::Throttled));
    let error = read_once(&config, &products, &mut state).await.unwrap_err();
    // The bucket held 200 of the 300 asked for, refilling at 100 a second: one second.
    assert!(matches!(&error, ShopError::Throttled { wait, .. } if wait.as_millis().abs_diff(1000) < 100), "{error:?}");
    shop.with(|s| s.faults.push_back(Fault::Malformed));
    let error = read_once(&config, &products, &mut state).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("not JSON")), "{error:?}");
    shop.with(|s| s.faults.push_back(Fault::Status(503, None)));
    assert!(matches!(read_once(&config, &products, &mut state).await, Err(ShopError::Unavailable(_))));
    let mut wrong = config.clone();
    wrong.kind = ShopKind::Shopify { token: "nope".into(), api_version: "2025-01".into() };
    assert!(matches!(read_once(&wrong, &products, &mut state).await, Err(ShopError::Refused(_))));
    // A price that is not a price is a malformed answer, not a zero.
    shop.with(|s| s.items[0].variants[0].price = "eight".into());
    let error = read_once(&config, &products, &mut ReadState::default()).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("mug-0")), "{error:?}");
}

#[tokio::test]
async fn shopify_queries_wait_for_the_cost_bucket() {
    let shop = FakeShop::start(catalog()).await;
    // After each query the bucket holds 52 points, refilling at 400 a second; each query asks for 252: the next
    // one waits half a second.
    shop.with(|s| s.bucket = (52.0, 400.0));
    let started = tokio::time::Instant::now();
    read_once(&shopify(&shop.url), &queue(), &mut ReadState::default()).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(450), "the second page did not wait: {:?}", started.elapsed());
    assert_eq!(refill_check(), Duration::from_secs(2));
}

fn refill_check() -> Duration {
    shopify::refill_time(300.0, 100.0, 100.0)
}

/// Shopify answers a connection as `edges { node }` or as `nodes`, as the query asks: both read the same.
#[test]
fn both_connection_forms_read_the_same() {
    let variant = json!({ "sku": "k-1", "price": "27.00", "compareAtPrice": "30.00", "inventoryQuantity": 4,
        "availableForSale": true, "inventoryItem": { "tracked": true } });
    let product = |variants: serde_json::Value| json!({ "handle": "kettle", "status": "ACTIVE", "variants": variants });
    let page = |mut products: serde_json::Value| {
        products["pageInfo"] = json!({ "hasNextPage": false, "endCursor": null });
        json!({ "shop": { "currencyCode": "USD" }, "products": products })
    };
    let edges = page(json!({ "edges": [{ "node": product(json!({ "edges": [{ "node": variant }] })) }] }));
    let nodes = page(json!({ "nodes": [product(json!({ "nodes": [variant] }))] }));
    let queue = [queued("kettle", "30")];
    let (a, b) = (shopify::parse_page(&edges, &queue).unwrap(), shopify::parse_page(&nodes, &queue).unwrap());
    assert_eq!(a.facts, b.facts);
    assert_eq!(a.facts[0].price, usd("27"));
    assert!(shopify::parse_page(&page(json!({ "list": [] })), &queue).is_err(), "neither form is an error");
}

#[test]
fn the_query_asks_for_the_page_sizes_its_cost_was_planned_for_and_handles_are_quoted() {
    assert_eq!(shopify::handle_query(&["a", "b\"c"]), "handle:\"a\" OR handle:\"b\\\"c\"");
    assert_eq!(shopify::refill_time(10.0, 50.0, 1.0), Duration::ZERO);
    assert_eq!(shopify::refill_time(10.0, 0.0, 0.0), MAX_WAIT);
    assert_eq!(shopify::refill_time(f64::NAN, 0.0, 1.0), Duration::ZERO);
}

#[tokio::test]
async fn woocommerce_reads_skus_ids_variations_and_pages_and_asks_conditionally() {
    let mut items = catalog();
    items.push(FakeItem::simple("id:306", "15.00", 2));
    let shop = FakeShop::start(items).await;
    shop.with(|s| s.page_size = 5);
    let mut products = queue();
    products.push(queued("id:306", "16"));
    let config = woo(&shop.url);
    let mut state = ReadState::default();
    let read = read_once(&config, &products, &mut state).await.unwrap();
    assert_eq!(read.facts.len(), 17, "{read:?}");
    let kettle = facts_of(&read, "kettle");
    assert_eq!((kettle.price.clone(), kettle.compare_at.clone()), (usd("27"), Some(usd("30"))));
    assert_eq!(kettle.stock, Some(4), "variations summed; the out-of-stock one counts none");
    assert_eq!(facts_of(&read, "id:306").price, usd("15"));
    assert_eq!(facts_of(&read, "lamp").status, ShopStatus::Withdrawn);
    assert_eq!(facts_of(&read, "scarf").status, ShopStatus::OutOfStock);
    assert_eq!(facts_of(&read, "poster").stock, None);
    assert_eq!(read.missing, vec![ProductId("ghost".into())]);
    // Nothing changed: the second read is all 304s and finds the same.
    let first_requests = shop.with(|s| s.requests);
    let again = read_once(&config, &products, &mut state).await.unwrap();
    assert_eq!(again, read);
    assert_eq!(shop.with(|s| s.not_modified), first_requests, "every request was answered 304");
    // A change is seen.
    shop.with(|s| s.items[0].variants[0].price = "7.25".into());
    let changed = read_once(&config, &products, &mut state).await.unwrap();
    assert_eq!(
        facts_of(&changed, "mug-0").price,
        Money::parse_decimal("7.25", Currency::parse("USD").unwrap()).unwrap()
    );
}

#[tokio::test]
async fn woocommerce_faults_are_classified() {
    let shop = FakeShop::start(catalog()).await;
    let config = woo(&shop.url);
    let products = queue();
    shop.with(|s| s.faults.push_back(Fault::Status(429, Some("3"))));
    let error = read_once(&config, &products, &mut ReadState::default()).await.unwrap_err();
    assert!(matches!(error, ShopError::Throttled { wait, .. } if wait == Duration::from_secs(3)), "{error:?}");
    // A malformed currency answer, then a malformed product list (after a good currency answer).
    shop.with(|s| s.faults.push_back(Fault::Malformed));
    let error = read_once(&config, &products, &mut ReadState::default()).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("currency")), "{error:?}");
    let mut state = ReadState::default();
    read_once(&config, &products, &mut state).await.unwrap();
    shop.with(|s| s.items[1].variants[0].price = "changed".into());
    let error = read_once(&config, &products, &mut state).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("mug-1")), "{error:?}");
    shop.with(|s| s.items[1].variants[0].price = "8.50".into());
    shop.with(|s| s.faults.extend([Fault::Pass, Fault::Malformed]));
    let error = read_once(&config, &products, &mut ReadState::default()).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("products: not JSON")), "{error:?}");
    assert!(shop.with(|s| s.faults.is_empty()));
    let mut wrong = config.clone();
    wrong.kind = ShopKind::WooCommerce { key: KEY.into(), secret: "wrong".into() };
    assert!(matches!(read_once(&wrong, &products, &mut ReadState::default()).await, Err(ShopError::Refused(_))));
    shop.with(|s| s.currency = "DOLLARS".into());
    let error = read_once(&config, &products, &mut ReadState::default()).await.unwrap_err();
    assert!(matches!(&error, ShopError::Malformed(why) if why.contains("currency")), "{error:?}");
}

#[tokio::test]
async fn the_doctors_probe_tells_good_credentials_from_bad() {
    let shop = FakeShop::start(catalog()).await;
    assert_eq!(probe(&shopify(&shop.url)).await, Ok(()));
    assert_eq!(probe(&woo(&shop.url)).await, Ok(()));
    let mut wrong = woo(&shop.url);
    wrong.kind = ShopKind::WooCommerce { key: "ck_other".into(), secret: SECRET.into() };
    assert!(matches!(probe(&wrong).await, Err(ShopError::Refused(_))));
    assert!(matches!(probe(&shopify("http://127.0.0.1:9")).await, Err(ShopError::Unavailable(_))));
}

#[test]
fn credentials_travel_only_over_tls_except_to_this_machine() {
    assert!(shopify("https://demo.myshopify.com").check_url().is_ok());
    assert!(shopify("http://127.0.0.1:8080").check_url().is_ok());
    let plain = shopify("http://shop.example.com").check_url().unwrap_err();
    assert!(plain.contains("https://"), "{plain}");
    assert!(shopify("not a url").check_url().is_err());
}

#[test]
fn webhook_signatures_are_checked_over_the_raw_body() {
    let body = br#"{"id":788032119674292922,"title":"Example T-Shirt"}"#;
    let signature = sign(b"hush", body);
    assert!(verify(b"hush", body, &signature));
    assert!(!verify(b"hush", b"{\"id\":1}", &signature), "another body");
    assert!(!verify(b"other", body, &signature), "another secret");
    assert!(!verify(b"", body, &sign(b"", body)), "an empty secret admits nothing");
    assert!(!verify(b"hush", body, "not base64!"));
    assert!(!verify(b"hush", body, ""));
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

async fn next_update(rx: &mut mpsc::Receiver<Input>, within: Duration) -> Option<Vec<ShopFacts>> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(Input::ShopUpdate { facts, .. })) => return Some(facts),
            Ok(Some(_)) => continue,
            _ => return None,
        }
    }
}

/// The sync task with a signed webhook: the first read sends everything, a webhook makes the next read happen at
/// once (the poll is a minute), only what changed is sent, a forged webhook wakes nothing, and a failing shop is
/// reported once and keeps the last good values until it answers again.
#[tokio::test]
async fn a_signed_webhook_brings_a_shop_change_at_once_and_a_failing_shop_is_reported_once() {
    for config in [shopify as fn(&str) -> ShopConfig, woo] {
        let shop = FakeShop::start(catalog()).await;
        let config = config(&shop.url);
        let name = config.kind.name();
        let nudge = Arc::new(Notify::new());
        let hooks = serve(webhook_router(WebhookState::new(name, b"hook-secret".to_vec(), nudge.clone()))).await;
        let (_products_tx, products) = watch::channel(queue());
        let (inputs, mut rx) = mpsc::channel(64);
        let stop = CancellationToken::new();
        let task = tokio::spawn(run(config, ShopLinks { products, inputs, nudge }, stop.clone()));
        let first = next_update(&mut rx, Duration::from_secs(10)).await.expect("a first read");
        assert_eq!(first.len(), 16);

        let client = reqwest::Client::new();
        let post = |signature: Option<String>, body: &'static str| {
            let mut request = client.post(format!("{hooks}/ingest/shop/{name}")).body(body);
            if let Some(signature) = signature {
                let header = if name == "shopify" { "X-Shopify-Hmac-Sha256" } else { "X-WC-Webhook-Signature" };
                request = request.header(header, signature);
            }
            request.send()
        };
        // The price changes in the shop; a forged webhook wakes nothing.
        shop.with(|s| s.items[12].variants[0].price = "24.00".into());
        let body = r#"{"id":632910392,"handle":"kettle"}"#;
        assert_eq!(post(Some(sign(b"wrong", body.as_bytes())), body).await.unwrap().status(), 401);
        assert_eq!(post(None, body).await.unwrap().status(), 401);
        assert!(next_update(&mut rx, Duration::from_millis(1500)).await.is_none(), "{name}: woken by a forgery");
        assert_eq!(post(Some(sign(b"hook-secret", body.as_bytes())), body).await.unwrap().status(), 200);
        // The poll is a minute away: an update within 10 s is the webhook's doing.
        let update = next_update(&mut rx, Duration::from_secs(10)).await.expect("the webhook woke no read");
        assert_eq!(update.len(), 1, "{name}: only what changed: {update:?}");
        assert_eq!((update[0].product.0.as_str(), update[0].price.clone()), ("kettle", usd("24")));
        if name == "woocommerce" {
            assert_eq!(post(None, "webhook_id=12").await.unwrap().status(), 200, "the creation ping");
        }
        let other = if name == "shopify" { "woocommerce" } else { "shopify" };
        let status = client.post(format!("{hooks}/ingest/shop/{other}")).body("{}").send().await.unwrap().status();
        assert_eq!(status, 404);

        // The shop fails: one unhealthy report, no update; then it answers again.
        shop.with(|s| s.faults.extend(std::iter::repeat_n(Fault::Status(500, None), 3)));
        shop.with(|s| s.items[0].variants[0].price = "6.00".into());
        let mut unhealthy = 0;
        let mut recovered = None;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
        while recovered.is_none() {
            // Reads come on the backoff; the webhook only hurries the first.
            nudge_once(&hooks, name, &client).await;
            match tokio::time::timeout_at(deadline, rx.recv()).await.expect("the shop came back in time") {
                Some(Input::SourceHealth { healthy: false, detail, .. }) => {
                    assert!(detail.contains("last good values stay"), "{detail}");
                    unhealthy += 1;
                }
                Some(Input::ShopUpdate { facts, .. }) => recovered = Some(facts),
                Some(_) => {}
                None => panic!("the sync stopped"),
            }
        }
        assert_eq!(unhealthy, 1, "{name}: a failing shop is reported once");
        assert_eq!(recovered.unwrap()[0].price, usd("6"));
        stop.cancel();
        task.await.unwrap();
    }
}

async fn nudge_once(hooks: &str, name: &str, client: &reqwest::Client) {
    let body = "{}";
    let header = if name == "shopify" { "X-Shopify-Hmac-Sha256" } else { "X-WC-Webhook-Signature" };
    let _ = client
        .post(format!("{hooks}/ingest/shop/{name}"))
        .header(header, sign(b"hook-secret", body.as_bytes()))
        .body(body)
        .send()
        .await;
}

/// The whole path: a price changed in the shop reaches the card on the stage within 10 s of the webhook, through
/// the sync task, the show loop and the director.
#[tokio::test]
async fn a_price_changed_in_the_shop_reaches_the_card_within_ten_seconds() {
    use crate::show_loop::{ShowExtras, ShowLinks};
    use director::{Show, ShowConfig};
    use model::{ShowTime, StageCommand};
    let shop = FakeShop::start(vec![FakeItem::simple("kettle", "30.00", 7)]).await;
    let nudge = Arc::new(Notify::new());
    let hooks = serve(webhook_router(WebhookState::new("shopify", b"s3cret".to_vec(), nudge.clone()))).await;
    let (input_tx, inputs) = mpsc::channel(64);
    let (stage_tx, stage_rx) = async_channel::bounded(1024);
    let (console, _) = tokio::sync::broadcast::channel(256);
    let (products_tx, products) = watch::channel(Vec::new());
    input_tx.send(Input::ProductsLoaded(vec![queued("kettle", "30")])).await.unwrap();
    let extras = ShowExtras { products: Some(products_tx), ..ShowExtras::default() };
    let links = ShowLinks { inputs, input_tx: input_tx.clone(), stage: stage_tx, console, extras };
    let stop = CancellationToken::new();
    let show = Show::new(ShowConfig::default(), ShowTime(0), model::UnixMs(0));
    let show_task = tokio::spawn(crate::show_loop::run(
        show,
        crate::writer::Writer::Templates,
        crate::voice::Voice::Silent,
        links,
        stop.clone(),
    ));
    let sync =
        tokio::spawn(run(shopify(&shop.url), ShopLinks { products, inputs: input_tx.clone(), nudge }, stop.clone()));
    let card_price = |command: &StageCommand| match command {
        StageCommand::PinOffer(card) => Some(card.price.clone()),
        _ => None,
    };
    let wait_for = |price: &'static str| {
        let stage_rx = stage_rx.clone();
        async move {
            let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
            while let Ok(Ok(command)) = tokio::time::timeout_at(deadline, stage_rx.recv()).await {
                if card_price(&command).as_deref() == Some(price) {
                    return true;
                }
            }
            false
        }
    };
    assert!(wait_for("$30.00").await, "the first card");
    shop.with(|s| s.items[0].variants[0].price = "26.00".into());
    let body = r#"{"handle":"kettle"}"#;
    let changed_at = tokio::time::Instant::now();
    let status = reqwest::Client::new()
        .post(format!("{hooks}/ingest/shop/shopify"))
        .header("X-Shopify-Hmac-Sha256", sign(b"s3cret", body.as_bytes()))
        .body(body)
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 200);
    assert!(wait_for("$26.00").await, "the shop's price did not reach the card within 10 s");
    eprintln!("shop change to card: {:?}", changed_at.elapsed());
    stop.cancel();
    let _ = tokio::join!(show_task, sync);
}
