//! The console's HTTP surface through `oneshot` on the router: authentication on every route, CSRF, limits,
//! validation and confirmation, and that each action sends exactly its director input (and nothing when refused).
//! The live feed is tested over a real socket at the end.

use super::*;
use crate::store::Store;
use accounts::SHARED_ACCOUNT;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use futures_util::StreamExt;
use model::{
    Comment, CommentFlags, CommentId, Currency, Lang, LineId, LineKind, Localized, Money, Platform, ProductId,
};
use tower::ServiceExt;

pub(super) const TOKEN: &str = "test-console-token-0123456789abcdef";
pub(super) const BEARER: &str = "Bearer test-console-token-0123456789abcdef";

fn money(text: &str, currency: &str) -> Money {
    Money::parse_decimal(text, Currency::parse(currency).expect("a currency")).expect("an amount")
}

fn products() -> Vec<Product> {
    let mut tea = Product::new("tea-set", Localized::one(Lang::En, "Celadon Tea Set".to_string()), money("199", "CNY"));
    tea.compare_at = Some(money("259", "CNY"));
    tea.stock = Some(42);
    let knife = Product::new("knife", Localized::one(Lang::En, "Santoku Knife".to_string()), money("8800", "JPY"));
    vec![tea, knife]
}

pub(super) struct Harness {
    pub(super) router: Router,
    pub(super) state: ConsoleState,
    pub(super) inputs: mpsc::Receiver<Input>,
    pub(super) events: broadcast::Sender<ConsoleEvent>,
    /// The store the console keeps its state in, when it has one.
    pub(super) store: Option<crate::store::StoreHandle>,
    _products: watch::Sender<Vec<Product>>,
}

pub(super) fn harness_with(limits: ConsoleLimits, store: Option<Store>) -> Harness {
    let (tx, inputs) = mpsc::channel(64);
    let (events, _) = broadcast::channel(256);
    let (products_tx, products_rx) = watch::channel(products());
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).expect("a token"), tx, events.clone(), products_rx);
    config.limits = limits;
    let store = store.map(|store| crate::store::StoreHandle::spawn(store).expect("the store's thread").0);
    if let Some(store) = &store {
        config.keep_in(store.clone());
    }
    let state = ConsoleState::new(config);
    Harness { router: router(state.clone()), state, inputs, events, store, _products: products_tx }
}

/// Limits for tests with no show behind the console: an action waits only briefly for an answer nobody sends.
pub(super) fn quick() -> ConsoleLimits {
    ConsoleLimits { outcome_wait: Duration::from_millis(50), ..ConsoleLimits::default() }
}

fn harness() -> Harness {
    // Generous guess limits: these tests send many wrong tokens on purpose from the same (unknown) address.
    harness_with(ConsoleLimits { login_failures_per_minute: 10_000, ..quick() }, None)
}

pub(super) struct Answer {
    pub(super) status: StatusCode,
    pub(super) headers: axum::http::HeaderMap,
    pub(super) text: String,
}

impl Answer {
    pub(super) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

pub(super) async fn call(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
    Answer { status, headers, text: String::from_utf8_lossy(&bytes).into_owned() }
}

pub(super) fn build(method: &str, path: &str, headers: &[(&str, &str)], body: impl Into<Body>) -> Request<Body> {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.body(body.into()).expect("a request")
}

async fn api(h: &Harness, method: &str, path: &str, body: Value) -> Answer {
    let body = if body.is_null() { String::new() } else { body.to_string() };
    call(&h.router, build(method, path, &[("authorization", BEARER), ("content-type", "application/json")], body)).await
}

pub(super) fn drain(inputs: &mut mpsc::Receiver<Input>) -> Vec<Input> {
    let mut out = Vec::new();
    while let Ok(input) = inputs.try_recv() {
        out.push(input);
    }
    out
}

fn comment(id: &str, user: &str, text: &str) -> Comment {
    Comment {
        platform: Platform::Youtube,
        id: CommentId(id.into()),
        user_id: format!("uid-{user}"),
        user_name: user.into(),
        text: text.into(),
        time: UnixMs(1_000),
        paid: None,
        flags: CommentFlags::default(),
    }
}

pub(super) fn pending(line: u64, text: &str) -> ConsoleEvent {
    ConsoleEvent::ReplyPending {
        line: LineId(line),
        kind: LineKind::Answer(Intent::ProductQuestion),
        product: Some(ProductId("tea-set".into())),
        text: text.into(),
        lang: Lang::En,
        trigger: Some(comment("c-1", "Mei", "does it hold 450 ml?")),
    }
}

/// Waits until the console's tracker has seen what the test broadcast.
pub(super) async fn until(state: &ConsoleState, what: &str, done: impl Fn(&Value) -> bool) {
    for _ in 0..400 {
        if done(&state.snapshot()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("the console never saw {what}: {}", state.snapshot());
}

/// Every route the console serves, with a body that is valid for it (once line 7 is pending).
pub(super) fn routes() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        ("GET", "/", Value::Null),
        ("GET", "/static/console.js", Value::Null),
        ("GET", "/static/console.css", Value::Null),
        ("GET", "/healthz", Value::Null),
        ("GET", "/metrics", Value::Null),
        ("GET", "/api/state", Value::Null),
        ("GET", "/api/feed", Value::Null),
        ("POST", "/logout", Value::Null),
        ("POST", "/api/replies/7/approve", Value::Null),
        ("POST", "/api/replies/7/edit", json!({"text": "Yes, 450 ml."})),
        ("POST", "/api/replies/7/reject", Value::Null),
        ("POST", "/api/say", json!({"text": "Welcome back!"})),
        ("POST", "/api/line/abort", Value::Null),
        ("POST", "/api/line/cancel-next", Value::Null),
        ("POST", "/api/pin", json!({"product": "tea-set"})),
        ("POST", "/api/unpin", Value::Null),
        ("POST", "/api/products/next", Value::Null),
        ("POST", "/api/products/previous", Value::Null),
        ("POST", "/api/stock", json!({"product": "tea-set", "stock": 5})),
        ("POST", "/api/price", json!({"product": "tea-set", "price": "149.00"})),
        ("POST", "/api/flash-sale/start", json!({"product": "tea-set", "price": "99", "minutes": 10})),
        ("POST", "/api/flash-sale/stop", json!({"product": "tea-set"})),
        ("POST", "/api/override/clear", json!({"product": "tea-set"})),
        ("POST", "/api/viewers/ban", json!({"user_id": "uid-troll"})),
        ("POST", "/api/viewers/timeout", json!({"user_id": "uid-loud", "seconds": 600})),
        ("POST", "/api/viewers/unblock", json!({"user_id": "uid-troll"})),
        ("POST", "/api/viewers/forget", json!({"user_id": "uid-mei"})),
        ("POST", "/api/comments/delete", json!({"id": "c-1"})),
        ("POST", "/api/hand-over", Value::Null),
        ("POST", "/api/take-back", Value::Null),
        ("POST", "/api/pace/plain", Value::Null),
        ("POST", "/api/pace/usual", Value::Null),
        ("POST", "/api/moderation", json!({"intent": "health_or_safety", "mode": "human_only"})),
        ("POST", "/api/escalations/claim", json!({"id": "c-esc", "moderator": "Ann"})),
    ]
}

pub(super) fn escalated(id: &str, user: &str, text: &str) -> ConsoleEvent {
    ConsoleEvent::Escalated {
        comment: comment(id, user, text),
        intent: Intent::ComplaintOrRefund,
        reason: None,
        care: None,
    }
}

#[tokio::test]
async fn every_route_without_the_token_answers_401_and_sends_nothing() {
    let mut h = harness();
    h.events.send(pending(7, "Yes, it holds 450 ml.")).expect("the tracker listens");
    h.events.send(escalated("c-esc", "Bea", "I want a refund")).expect("the tracker listens");
    until(&h.state, "the pending reply", |s| s["pending"].as_array().is_some_and(|p| !p.is_empty())).await;
    until(&h.state, "the escalation", |s| s["escalations"].as_array().is_some_and(|e| !e.is_empty())).await;
    let wrong = [
        vec![],
        vec![("authorization", "Bearer wrong-token-0123456789abcdef")],
        vec![("authorization", "Bearer ")],
        vec![("authorization", "Basic dGVzdA==")],
        vec![("cookie", "shopcast_session=0000000000000000000000000000000000000000000000000000000000000000")],
        // The CSRF header alone proves nothing.
        vec![("x-csrf-token", "anything")],
    ];
    for (method, path, body) in routes() {
        for headers in &wrong {
            let answer = call(&h.router, build(method, path, headers, body.to_string())).await;
            if (method, path) == ("GET", "/") && !headers.iter().any(|(n, _)| *n == "authorization") {
                // A browser without a session is sent to the login form.
                assert_eq!(answer.status, StatusCode::SEE_OTHER, "{method} {path} {headers:?}");
                assert_eq!(answer.headers.get("location").and_then(|v| v.to_str().ok()), Some("login"));
            } else {
                assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {path} {headers:?}: {}", answer.text);
                assert!(answer.json()["error"].is_string(), "{method} {path}: {}", answer.text);
            }
        }
    }
    assert!(drain(&mut h.inputs).is_empty(), "an unauthenticated request sent something to the show");
    assert!(h.state.snapshot()["moderation"]["blocked"].as_array().is_some_and(Vec::is_empty));

    // With the token every route is reachable (the feed wants a WebSocket handshake, the price a confirmation).
    for (method, path, body) in routes() {
        let answer = api(&h, method, path, body).await;
        let expected = match path {
            "/api/feed" => StatusCode::BAD_REQUEST,
            // This console has no store to forget anyone from.
            "/api/viewers/forget" => StatusCode::NOT_IMPLEMENTED,
            "/api/price" | "/api/flash-sale/start" => StatusCode::CONFLICT,
            // Approving line 7 resolved nothing yet (the director decides), so the later actions still find it.
            _ => StatusCode::OK,
        };
        assert_eq!(answer.status, expected, "{method} {path}: {}", answer.text);
    }
    assert_eq!(
        drain(&mut h.inputs).len(),
        21,
        "one input per action route (unblock, forget, logout and escalation steps send none)"
    );
}

#[tokio::test]
async fn each_action_sends_exactly_its_director_input() {
    let mut h = harness();
    h.events.send(pending(7, "Yes, it holds 450 ml.")).expect("the tracker listens");
    until(&h.state, "the pending reply", |s| s["pending"][0]["line"] == 7).await;
    let cases: Vec<(&str, Value, Input)> = vec![
        ("/api/replies/7/approve", Value::Null, Input::ApproveReply { line: LineId(7), by: SHARED_ACCOUNT.into() }),
        (
            "/api/replies/line-7/edit",
            json!({"text": " Yes: 450 ml. "}),
            Input::EditReply { line: LineId(7), text: "Yes: 450 ml.".into(), by: SHARED_ACCOUNT.into() },
        ),
        ("/api/replies/7/reject", Value::Null, Input::RejectReply { line: LineId(7) }),
        (
            "/api/say",
            json!({"text": "欢迎！", "lang": "zh"}),
            Input::SayNow { text: "欢迎！".into(), lang: Some(Lang::Zh), by: SHARED_ACCOUNT.into() },
        ),
        (
            "/api/say",
            json!({"text": "Hello"}),
            Input::SayNow { text: "Hello".into(), lang: None, by: SHARED_ACCOUNT.into() },
        ),
        ("/api/line/abort", Value::Null, Input::AbortLine),
        ("/api/line/cancel-next", Value::Null, Input::CancelNext),
        ("/api/pin", json!({"product": "knife"}), Input::PinProduct(ProductId("knife".into()))),
        ("/api/unpin", Value::Null, Input::UnpinProduct),
        ("/api/products/next", Value::Null, Input::SkipProduct { forward: true }),
        ("/api/products/previous", Value::Null, Input::SkipProduct { forward: false }),
        (
            "/api/stock",
            json!({"product": "tea-set", "stock": "0"}),
            Input::StockChanged { product: ProductId("tea-set".into()), stock: Some(0), by: SHARED_ACCOUNT.into() },
        ),
        (
            "/api/stock",
            json!({"product": "tea-set", "stock": null}),
            Input::StockChanged { product: ProductId("tea-set".into()), stock: None, by: SHARED_ACCOUNT.into() },
        ),
        (
            "/api/flash-sale/stop",
            json!({"product": "tea-set"}),
            Input::StopFlashSale { product: ProductId("tea-set".into()) },
        ),
        (
            "/api/override/clear",
            json!({"product": "tea-set"}),
            Input::ClearOverride { product: ProductId("tea-set".into()) },
        ),
        ("/api/viewers/ban", json!({"user_id": "uid-troll"}), Input::BanViewer { user_id: "uid-troll".into() }),
        (
            "/api/viewers/timeout",
            json!({"user_id": "uid-loud", "user_name": "Loud", "seconds": "600"}),
            Input::BanViewer { user_id: "uid-loud".into() },
        ),
        ("/api/comments/delete", json!({"id": "c-9"}), Input::DeleteComment(CommentId("c-9".into()))),
        ("/api/hand-over", Value::Null, Input::HandOverToHuman),
        ("/api/take-back", Value::Null, Input::TakeBack),
        ("/api/pace/plain", Value::Null, Input::SetPace(model::Pace::Plain)),
        ("/api/pace/usual", Value::Null, Input::SetPace(model::Pace::Usual)),
        (
            "/api/moderation",
            json!({"intent": "price_stock_shipping", "mode": "approve_first"}),
            Input::SetModeration { intent: Intent::PriceStockShipping, mode: ModerationMode::ApproveFirst },
        ),
    ];
    for (path, body, expected) in cases {
        let answer = api(&h, "POST", path, body).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.text);
        assert_eq!(answer.json()["ok"], true);
        assert_eq!(drain(&mut h.inputs), [expected], "{path}");
    }
    assert!(h.state.is_viewer_blocked("uid-troll", wall_now()));
    assert!(h.state.is_viewer_blocked("uid-loud", wall_now()));
    assert!(!h.state.is_viewer_blocked("uid-loud", UnixMs(wall_now().0 + 601_000)), "a time-out ends");
    assert_eq!(h.state.moderation_mode(Intent::PriceStockShipping), ModerationMode::ApproveFirst);
    assert_eq!(h.state.snapshot()["moderation"]["modes"]["price_stock_shipping"], "approve_first");

    // Lifting a ban needs no director input: the intake simply lets the viewer's new comments through again.
    let answer = api(&h, "POST", "/api/viewers/unblock", json!({"user_id": "uid-troll"})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert!(!h.state.is_viewer_blocked("uid-troll", wall_now()));
    let answer = api(&h, "POST", "/api/viewers/unblock", json!({"user_id": "uid-troll"})).await;
    assert_eq!((answer.status, answer.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("user_id")));
    assert!(drain(&mut h.inputs).is_empty());
}

#[tokio::test]
async fn only_a_reply_that_is_waiting_can_be_approved() {
    let mut h = harness();
    let answer = api(&h, "POST", "/api/replies/7/approve", Value::Null).await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.text);
    assert!(answer.json()["error"].as_str().is_some_and(|e| e.contains("line-7 is not waiting")), "{}", answer.text);
    let answer = api(&h, "POST", "/api/replies/seven/approve", Value::Null).await;
    assert_eq!((answer.status, answer.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("line")));

    h.events.send(pending(7, "Yes.")).expect("listening");
    until(&h.state, "the pending reply", |s| s["pending"][0]["line"] == 7).await;
    // An approved reply airs under its line id; once it has, it is no longer pending.
    h.events.send(ConsoleEvent::ReplyResolved { line: LineId(7), outcome: model::ReplyOutcome::Approved }).unwrap();
    until(&h.state, "the resolution", |s| s["pending"].as_array().is_some_and(Vec::is_empty)).await;
    assert_eq!(api(&h, "POST", "/api/replies/7/reject", Value::Null).await.status, StatusCode::CONFLICT);
    let answer = api(&h, "POST", "/api/replies/7/edit", json!({"text": ""})).await;
    assert_eq!((answer.status, answer.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("text")));
    assert!(drain(&mut h.inputs).is_empty());
}

/// A fleet serves each room's console under `/rooms/<id>/`: the page may name no path from the root, and the
/// session cookie is scoped to the room.
#[tokio::test]
async fn the_page_works_under_a_path_prefix() {
    let pages = [
        ("console.js", include_str!("../../../../assets/console/console.js")),
        ("index.html", include_str!("../../../../assets/console/index.html")),
        ("login.html", include_str!("../../../../assets/console/login.html")),
    ];
    for (name, text) in pages {
        for quote in ["'/", "\"/", "`/"] {
            for (at, _) in text.match_indices(quote) {
                let rest: String = text[at + 1..].chars().take(30).collect();
                // A closing tag or a comment is not a path (`"/>` or `'//`); a path from the root is.
                let path = rest.chars().nth(1).is_some_and(|c| c.is_ascii_alphanumeric());
                assert!(!path, "{name} names a path from the root ({rest:?}); make it relative to the page");
            }
        }
    }
    let (tx, _inputs) = mpsc::channel(8);
    let (events, _) = broadcast::channel(8);
    let (_products_tx, products_rx) = watch::channel(products());
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).expect("a token"), tx, events, products_rx);
    config.base_path = "/rooms/shop-a".into();
    let router = router(ConsoleState::new(config));
    let form = format!("token={TOKEN}");
    let login =
        call(&router, build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], form)).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
    let cookie = login.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(cookie.contains("; Path=/rooms/shop-a/;"), "{cookie}");
    assert_eq!(login.headers.get("location").and_then(|v| v.to_str().ok()), Some("./"));
}

#[tokio::test]
async fn a_browser_logs_in_with_the_token_and_needs_its_csrf_token_for_every_change() {
    let mut h = harness();
    let form = |token: &str| {
        build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], format!("token={token}"))
    };
    let wrong = call(&h.router, form("not-the-token-at-all")).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.text.contains("That token is wrong") && wrong.headers.get("set-cookie").is_none());

    let login = call(&h.router, form(TOKEN)).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.text);
    let set_cookie = login.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    for attribute in ["shopcast_session=", "HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set_cookie.contains(attribute), "{attribute} missing in {set_cookie}");
    }
    let session = set_cookie.split(';').next().unwrap_or("").to_string();
    assert_eq!(session.len(), "shopcast_session=".len() + 64, "a 256-bit session id: {session}");

    let page = call(&h.router, build("GET", "/", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(page.status, StatusCode::OK);
    let csp = page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    let csrf = page
        .text
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("")
        .to_string();
    assert_eq!(csrf.len(), 64, "the page carries the session's CSRF token");
    let login_again = call(&h.router, build("GET", "/login", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(login_again.status, StatusCode::SEE_OTHER, "a logged-in browser skips the form");

    // Reading needs only the cookie; changing needs the CSRF token too.
    let state = call(&h.router, build("GET", "/api/state", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(state.status, StatusCode::OK);
    assert_eq!(state.json()["products"][0]["price"], "¥199.00");
    let say = json!({"text": "hello"}).to_string();
    for headers in [vec![("cookie", session.as_str())], vec![("cookie", session.as_str()), ("x-csrf-token", "f00d")]] {
        let answer = call(&h.router, build("POST", "/api/say", &headers, say.clone())).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{headers:?}");
        assert!(answer.json()["error"].as_str().is_some_and(|e| e.contains("X-CSRF-Token")), "{}", answer.text);
    }
    assert!(drain(&mut h.inputs).is_empty(), "a forged change sent nothing");
    let good = [("cookie", session.as_str()), ("x-csrf-token", csrf.as_str())];
    let answer = call(&h.router, build("POST", "/api/say", &good, say.clone())).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(drain(&mut h.inputs), [Input::SayNow { text: "hello".into(), lang: None, by: SHARED_ACCOUNT.into() }]);

    // A page on another site riding the cookie (if a browser sent it) is refused, socket or not.
    let foreign = [
        ("cookie", session.as_str()),
        ("x-csrf-token", csrf.as_str()),
        ("origin", "http://evil.example"),
        ("host", "127.0.0.1:7878"),
    ];
    assert_eq!(call(&h.router, build("POST", "/api/say", &foreign, say.clone())).await.status, StatusCode::FORBIDDEN);
    assert!(drain(&mut h.inputs).is_empty());

    // Logging out ends the session on the server, whatever the browser keeps.
    let out = call(&h.router, build("POST", "/logout", &good, Body::empty())).await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.headers.get("set-cookie").and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("Max-Age=0")));
    let after = call(&h.router, build("GET", "/api/state", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_expires() {
    let h = harness_with(ConsoleLimits { session_ttl: Duration::from_millis(50), ..ConsoleLimits::default() }, None);
    let login = call(
        &h.router,
        build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], format!("token={TOKEN}")),
    )
    .await;
    let session = login.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let session = session.split(';').next().unwrap_or("").to_string();
    let fresh = call(&h.router, build("GET", "/api/state", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(fresh.status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(80)).await;
    let stale = call(&h.router, build("GET", "/api/state", &[("cookie", &session)], Body::empty())).await;
    assert_eq!(stale.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrong_tokens_are_limited_per_address_to_five_a_minute() {
    let mut h = harness_with(ConsoleLimits::default(), None);
    let from = |addr: &str, request: Request<Body>| {
        let mut request = request;
        let addr: SocketAddr = addr.parse().expect("an address");
        request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        request
    };
    let login = |token: &str| {
        build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], format!("token={token}"))
    };
    for attempt in 0..4 {
        let answer = call(&h.router, from("10.1.1.1:5000", login("guess-number-0000000"))).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    // A wrong bearer token is a guess too.
    let bearer = build("GET", "/api/state", &[("authorization", "Bearer guess-number-1111111")], Body::empty());
    assert_eq!(call(&h.router, from("10.1.1.1:5001", bearer)).await.status, StatusCode::UNAUTHORIZED);
    for request in
        [login(TOKEN), build("POST", "/api/say", &[("authorization", BEARER)], json!({"text": "hi"}).to_string())]
    {
        let answer = call(&h.router, from("10.1.1.1:5002", request)).await;
        assert_eq!(answer.status, StatusCode::TOO_MANY_REQUESTS, "even the right token waits: {}", answer.text);
        let wait: u64 = answer.headers.get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(0);
        assert!((1..=60).contains(&wait), "Retry-After {wait}");
    }
    assert!(drain(&mut h.inputs).is_empty());
    // Another address is not locked out.
    assert_eq!(call(&h.router, from("10.1.1.2:5000", login(TOKEN))).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn bodies_over_16_kib_are_refused_with_413_and_send_nothing() {
    let mut h = harness();
    let big = json!({"text": "x".repeat(MAX_BODY_BYTES)});
    for path in ["/api/say", "/api/line/abort", "/api/price"] {
        let answer = api(&h, "POST", path, big.clone()).await;
        assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert!(answer.json()["error"].as_str().is_some_and(|e| e.contains("16 KiB")), "{}", answer.text);
    }
    let login = build(
        "POST",
        "/login",
        &[("content-type", "application/x-www-form-urlencoded")],
        format!("token={}", "y".repeat(MAX_BODY_BYTES)),
    );
    assert_eq!(call(&h.router, login).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let not_json = call(&h.router, build("POST", "/api/say", &[("authorization", BEARER)], "text=hi")).await;
    assert_eq!(not_json.status, StatusCode::BAD_REQUEST);
    assert!(drain(&mut h.inputs).is_empty());
}

#[tokio::test]
async fn a_price_change_is_previewed_and_sent_only_with_its_own_confirmation() {
    let mut h = harness();
    let change = json!({"product": "tea-set", "price": "149.00"});
    let first = api(&h, "POST", "/api/price", change.clone()).await;
    assert_eq!(first.status, StatusCode::CONFLICT, "{}", first.text);
    let preview = first.json();
    assert_eq!(preview["preview"]["price"], json!({"from": "¥199.00", "to": "¥149.00"}));
    assert_eq!(preview["preview"]["compare_at"], json!({"from": "¥259.00", "to": "¥259.00"}), "kept when absent");
    assert_eq!(preview["preview"]["discount"], "-42%");
    assert!(preview["preview"]["message"].as_str().is_some_and(|m| m.contains("Celadon Tea Set")));
    let token = preview["confirm"].as_str().unwrap_or("").to_string();
    assert_eq!(token.len(), 32, "a 128-bit confirmation token");
    assert!(drain(&mut h.inputs).is_empty(), "nothing is sent before the confirmation");

    // The token confirms exactly what was previewed: a different price needs its own preview.
    let mut other = change.clone();
    other["price"] = json!("14.90");
    other["confirm"] = json!(token);
    let swapped = api(&h, "POST", "/api/price", other).await;
    assert_eq!(swapped.status, StatusCode::CONFLICT);
    assert!(swapped.json()["error"].as_str().is_some_and(|e| e.contains("different values")));
    assert!(drain(&mut h.inputs).is_empty());

    // That attempt used the token up; a fresh preview gives a fresh one.
    let token =
        api(&h, "POST", "/api/price", change.clone()).await.json()["confirm"].as_str().unwrap_or("").to_string();
    let mut confirmed = change.clone();
    confirmed["confirm"] = json!(token);
    let answer = api(&h, "POST", "/api/price", confirmed.clone()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    assert_eq!(
        drain(&mut h.inputs),
        [Input::PriceChanged {
            product: ProductId("tea-set".into()),
            price: money("149", "CNY"),
            compare_at: Some(money("259", "CNY")),
            by: SHARED_ACCOUNT.into(),
        }]
    );
    assert_eq!(api(&h, "POST", "/api/price", confirmed).await.status, StatusCode::CONFLICT, "single use");

    // Removing the reference price is a change like any other.
    let token = api(&h, "POST", "/api/price", json!({"product": "knife", "price": 7900, "compare_at": null})).await;
    assert_eq!(token.json()["preview"]["price"]["to"], "¥7,900");
    let confirm = token.json()["confirm"].clone();
    let answer = api(
        &h,
        "POST",
        "/api/price",
        json!({"product": "knife", "price": 7900, "compare_at": null, "confirm": confirm}),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(matches!(&drain(&mut h.inputs)[..], [Input::PriceChanged { compare_at: None, .. }]));
}

#[tokio::test]
async fn a_confirmation_expires() {
    let mut h =
        harness_with(ConsoleLimits { confirm_ttl: Duration::from_millis(30), ..ConsoleLimits::default() }, None);
    let change = json!({"product": "tea-set", "price": "149"});
    let token = api(&h, "POST", "/api/price", change.clone()).await.json()["confirm"].clone();
    tokio::time::sleep(Duration::from_millis(60)).await;
    let mut late = change;
    late["confirm"] = token;
    assert_eq!(api(&h, "POST", "/api/price", late).await.status, StatusCode::CONFLICT);
    assert!(drain(&mut h.inputs).is_empty());
}

#[tokio::test]
async fn a_flash_sale_is_previewed_confirmed_and_must_undercut_the_price() {
    let mut h = harness();
    let sale = json!({"product": "tea-set", "price": "99.00", "minutes": 15});
    let preview = api(&h, "POST", "/api/flash-sale/start", sale.clone()).await;
    assert_eq!(preview.status, StatusCode::CONFLICT);
    assert_eq!(preview.json()["preview"]["discount"], "-50%");
    let mut confirmed = sale.clone();
    confirmed["confirm"] = preview.json()["confirm"].clone();
    let before = wall_now();
    assert_eq!(api(&h, "POST", "/api/flash-sale/start", confirmed).await.status, StatusCode::OK);
    match &drain(&mut h.inputs)[..] {
        [Input::StartFlashSale { product, price, ends_at, by }] => {
            assert_eq!((product.0.as_str(), price, by.as_str()), ("tea-set", &money("99", "CNY"), SHARED_ACCOUNT));
            let minutes = (ends_at.0 - before.0) as f64 / 60_000.0;
            assert!((14.9..15.1).contains(&minutes), "ends {minutes} min from now");
        }
        other => panic!("expected one StartFlashSale, got {other:?}"),
    }
    for (body, field) in [
        (json!({"product": "tea-set", "price": "199", "minutes": 5}), "price"),
        (json!({"product": "tea-set", "price": "99", "minutes": 0}), "minutes"),
        (json!({"product": "tea-set", "price": "99"}), "minutes"),
        (json!({"product": "tea-set", "price": "99", "ends_at": "2001-01-01T00:00:00Z"}), "ends_at"),
        (json!({"product": "tea-set", "price": "99", "ends_at": "tonight"}), "ends_at"),
        (json!({"product": "tea-set", "price": "99", "ends_at": "2999-01-01T00:00:00Z", "minutes": 5}), "ends_at"),
    ] {
        let answer = api(&h, "POST", "/api/flash-sale/start", body.clone()).await;
        assert_eq!((answer.status, answer.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some(field)), "{body}");
    }
    assert!(drain(&mut h.inputs).is_empty());
}

#[tokio::test]
async fn bad_stock_prices_and_product_ids_are_400_naming_the_field() {
    let mut h = harness();
    let cases = [
        ("/api/stock", json!({"product": "teaset", "stock": 3}), "product", "no product with id \"teaset\""),
        ("/api/stock", json!({"stock": 3}), "product", "product is missing"),
        ("/api/stock", json!({"product": "tea-set", "stock": -1}), "stock", "0 or more"),
        ("/api/stock", json!({"product": "tea-set", "stock": "lots"}), "stock", "whole number"),
        ("/api/stock", json!({"product": "tea-set", "stock": 2.5}), "stock", "whole number"),
        ("/api/stock", json!({"product": "tea-set", "stock": 5_000_000_000u64}), "stock", "too large"),
        ("/api/stock", json!({"product": "tea-set"}), "stock", "missing"),
        ("/api/price", json!({"product": "tea-set", "price": "abc"}), "price", "not an amount"),
        ("/api/price", json!({"product": "tea-set", "price": 19.99}), "price", "not exact"),
        ("/api/price", json!({"product": "tea-set", "price": "-5"}), "price", "negative"),
        ("/api/price", json!({"product": "tea-set", "price": "1.999"}), "price", "decimal places"),
        ("/api/price", json!({"product": "knife", "price": "15.5"}), "price", "decimal places"),
        ("/api/price", json!({"product": "tea-set"}), "price", "missing"),
        ("/api/price", json!({"product": "tea-set", "price": "149", "compare_at": "99"}), "compare_at", "above"),
        ("/api/price", json!({"product": "nope", "price": "1"}), "product", "known: tea-set, knife"),
        ("/api/pin", json!({"product": ""}), "product", "missing or empty"),
        ("/api/pin", json!({"product": 7}), "product", "must be a string"),
        ("/api/say", json!({"text": "   "}), "text", "missing or empty"),
        ("/api/say", json!({"text": "x".repeat(501)}), "text", "longer than 500"),
        ("/api/say", json!({"text": "hi", "lang": "fr"}), "lang", "not \"en\" or \"zh\""),
        ("/api/viewers/timeout", json!({"user_id": "u", "seconds": 0}), "seconds", "from 1"),
        ("/api/viewers/timeout", json!({"user_id": "u"}), "seconds", "missing"),
        ("/api/viewers/ban", json!({}), "user_id", "missing"),
        ("/api/moderation", json!({"intent": "gossip", "mode": "auto"}), "intent", "not one of"),
        ("/api/moderation", json!({"intent": "spam", "mode": "maybe"}), "mode", "approve_first"),
        ("/api/comments/delete", json!({"id": null}), "id", "missing"),
        // A field of the wrong type is named, with what it must be.
        ("/api/stock", json!({"product": "tea-set", "stock": true}), "stock", "stock must be a whole number"),
        ("/api/say", json!({"text": ["hi"]}), "text", "text must be a string"),
        ("/api/viewers/ban", json!({"user_id": "u", "user_name": 7}), "user_name", "user_name must be a string"),
        (
            "/api/price",
            json!({"product": "tea-set", "price": "149", "confirm": 5}),
            "confirm",
            "token from the preview",
        ),
        ("/api/flash-sale/start", json!({"product": "tea-set", "price": "99", "minutes": "soon"}), "minutes", "whole"),
        ("/api/flash-sale/start", json!({"product": "tea-set", "price": "99", "ends_at": 5}), "ends_at", "RFC 3339"),
        ("/api/escalations/claim", json!({"id": "c1", "take_over": "yes"}), "take_over", "true or false"),
    ];
    for (path, body, field, words) in cases {
        let answer = api(&h, "POST", path, body.clone()).await;
        let reply = answer.json();
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{path} {body}: {}", answer.text);
        assert_eq!(reply["field"], field, "{path} {body}: {reply}");
        assert!(reply["error"].as_str().is_some_and(|e| e.contains(words)), "{path} {body}: {reply}");
    }
    assert!(drain(&mut h.inputs).is_empty(), "no refused request reached the show");
}

#[tokio::test]
async fn a_show_that_is_full_or_gone_answers_503_at_once() {
    let (tx, inputs) = mpsc::channel(1);
    let (events, _) = broadcast::channel(4);
    let (_products, products_rx) = watch::channel(products());
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).unwrap(), tx, events, products_rx);
    config.limits = quick();
    let router = router(ConsoleState::new(config));
    let abort = || build("POST", "/api/line/abort", &[("authorization", BEARER)], Body::empty());
    assert_eq!(call(&router, abort()).await.status, StatusCode::OK);
    // The show has not read the first input yet; the console does not wait for it.
    let full = call(&router, abort()).await;
    assert_eq!(full.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(full.headers.contains_key("retry-after"));
    drop(inputs);
    let gone = call(&router, build("POST", "/api/say", &[("authorization", BEARER)], r#"{"text":"hi"}"#)).await;
    assert_eq!(gone.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(gone.text.contains("not running"), "{}", gone.text);
}

#[tokio::test]
async fn bans_time_outs_and_modes_are_kept_by_the_store_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("shopcast-console-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.db");
    {
        let h = harness_with(quick(), Some(Store::open(&path, 1).expect("a store")));
        for (route, body) in [
            ("/api/viewers/ban", json!({"user_id": "uid-troll", "user_name": "Troll"})),
            ("/api/viewers/timeout", json!({"user_id": "uid-loud", "seconds": 3600})),
            ("/api/moderation", json!({"intent": "health_or_safety", "mode": "human_only"})),
        ] {
            let answer = api(&h, "POST", route, body).await;
            assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
            assert!(answer.json().get("warning").is_none(), "{}", answer.text);
        }
    }
    // The show restarts: the lead replays the store to the director, and the new console knows too.
    let store = Store::open(&path, 1).expect("the store again");
    let replay = store.restore_moderation(wall_now()).expect("restore");
    assert_eq!(
        replay,
        [
            Input::SetModeration { intent: Intent::HealthOrSafety, mode: ModerationMode::HumanOnly },
            Input::BanViewer { user_id: "uid-troll".into() },
            Input::BanViewer { user_id: "uid-loud".into() },
        ]
    );
    store.remember_viewer("uid-mei", "Mei", wall_now()).expect("remembered");
    let h = harness_with(quick(), Some(store));
    assert!(h.state.is_viewer_blocked("uid-troll", wall_now()));
    assert!(h.state.is_viewer_blocked("uid-loud", wall_now()));
    assert_eq!(h.state.moderation_mode(Intent::HealthOrSafety), ModerationMode::HumanOnly);
    let blocked = h.state.snapshot()["moderation"]["blocked"].clone();
    let troll = blocked.as_array().into_iter().flatten().find(|b| b["user_id"] == "uid-troll");
    assert_eq!(troll.map(|b| (&b["user_name"], &b["until"])), Some((&json!("Troll"), &Value::Null)), "{blocked}");

    // A viewer asks not to be remembered; a moderator relays it.
    let answer = api(&h, "POST", "/api/viewers/forget", json!({"user_id": "uid-mei"})).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
    let memory = Store::open(&path, 1).expect("a third look").viewer("uid-mei").expect("readable");
    assert!(memory.is_some_and(|m| m.opted_out && m.name.is_none()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn healthz_and_metrics_report_adapters_director_and_stage() {
    let limits = ConsoleLimits {
        stage_stale_after: Duration::from_millis(100),
        director_stale_after: Duration::from_secs(30),
        ..ConsoleLimits::default()
    };
    let h = harness_with(limits, None);
    let health = api(&h, "GET", "/healthz", Value::Null).await;
    assert_eq!(health.status, StatusCode::OK, "healthy during the start-up grace: {}", health.text);
    tokio::time::sleep(Duration::from_millis(150)).await;
    let health = api(&h, "GET", "/healthz", Value::Null).await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE, "{}", health.text);
    assert!(health.json()["problems"][0].as_str().is_some_and(|p| p.contains("stage has shown no life")));

    h.events
        .send(ConsoleEvent::SourceHealth { source: "twitch".into(), healthy: false, detail: "connection reset".into() })
        .unwrap();
    until(&h.state, "the outage", |s| s["health"]["twitch"]["healthy"] == false).await;
    // Heartbeats come just before each look, so a slow machine cannot age them past the short limit in between.
    h.state.metrics().stage_heartbeat();
    let health = api(&h, "GET", "/healthz", Value::Null).await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(health.json()["problems"], json!(["twitch is down: connection reset"]));
    assert_eq!(health.json()["stage"]["healthy"], true);

    h.events
        .send(ConsoleEvent::SourceHealth { source: "twitch".into(), healthy: true, detail: String::new() })
        .unwrap();
    h.events
        .send(ConsoleEvent::LineAired(model::AiredLine {
            line: LineId(3),
            t_ms: 0,
            kind: LineKind::Answer(Intent::ProductQuestion),
            product: None,
            text: "It holds 450 ml.".into(),
            lang: Lang::En,
            source: model::LineSource::Template,
            duration_ms: 1200,
            note: Some("the writer took too long".into()),
            fallbacks: vec![model::Fallback::WriterTimeout],
            trigger: Some(comment("c-1", "Mei", "how big?")),
            wall: UnixMs(2_600),
            guard: Vec::new(),
            by: None,
            asked_by: 0,
        }))
        .unwrap();
    until(&h.state, "the reconnect", |s| s["health"]["twitch"]["healthy"] == true).await;
    until(&h.state, "the line", |s| s["transcript"].as_array().is_some_and(|t| !t.is_empty())).await;
    h.state.metrics().stage_heartbeat();
    let health = api(&h, "GET", "/healthz", Value::Null).await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.text);
    assert!(health.json()["director"]["age_ms"].as_u64().is_some_and(|age| age < 5_000));

    let metrics = api(&h, "GET", "/metrics", Value::Null).await;
    assert_eq!(metrics.status, StatusCode::OK);
    assert!(metrics.headers.get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("0.0.4")));
    for expected in [
        "shopcast_source_reconnects_total{source=\"twitch\"} 1",
        "shopcast_lines_total{kind=\"answer\",source=\"template\"} 1",
        "shopcast_fallbacks_total{reason=\"writer_timeout\"} 1",
        "shopcast_answer_delay_seconds_sum 1.6",
    ] {
        assert!(metrics.text.contains(expected), "{expected} missing:\n{}", metrics.text);
    }
}

#[tokio::test]
async fn the_feed_socket_needs_the_token_streams_events_and_tells_a_lagging_page() {
    use tokio_tungstenite::tungstenite::{self, client::IntoClientRequest};
    let (tx, _inputs) = mpsc::channel(8);
    // A tiny broadcast, so a page that does not keep up is lapped at once.
    let (events, _) = broadcast::channel(4);
    let (catalog, products_rx) = watch::channel(products());
    let state =
        ConsoleState::new(ConsoleConfig::new(ConsoleToken::new(TOKEN).unwrap(), tx, events.clone(), products_rx));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let url = format!("ws://{}/api/feed", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_listener(listener, state, async move {
        let _ = stopped.await;
    }));

    match tokio_tungstenite::connect_async(url.as_str()).await {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status(), StatusCode::UNAUTHORIZED),
        other => panic!("expected 401, got {:?}", other.map(|(_, r)| r.status())),
    }
    let mut request = url.as_str().into_client_request().expect("a request");
    request.headers_mut().insert("authorization", BEARER.parse().expect("a header"));
    let (mut socket, _) = tokio_tungstenite::connect_async(request).await.expect("the handshake succeeds");
    let mut next = async || -> Value {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(tungstenite::Message::Text(text)))) => {
                serde_json::from_str(text.as_str()).unwrap_or(Value::Null)
            }
            other => panic!("expected a text message, got {other:?}"),
        }
    };
    let snapshot = next().await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["state"]["products"][1]["id"], "knife");

    events.send(pending(11, "Yes, it is dishwasher safe.")).expect("subscribers");
    let event = next().await;
    assert_eq!(event["type"], "event");
    assert_eq!(event["event"]["ReplyPending"]["line"], 11);

    // The catalog publishes a new queue (a reload, or a stock change): every page hears the new products.
    let mut restocked = products();
    restocked[0].stock = Some(3);
    catalog.send(restocked).expect("the console watches the catalog");
    let update = next().await;
    assert_eq!((update["type"].as_str(), update["products"][0]["stock"].as_u64()), (Some("products"), Some(3)));

    // The show sends twenty events without yielding (as a busy director would): the page's reader is lapped. The
    // show never waited; the page is told how many it missed and then keeps receiving.
    for line in 0..20 {
        events.send(pending(100 + line, "burst")).expect("subscribers");
    }
    let mut lagged = None;
    let mut last_line = 0;
    for _ in 0..12 {
        let message = next().await;
        if message["type"] == "lagged" && message["skipped"].as_u64().is_some_and(|n| n > 0) && lagged.is_none() {
            lagged = Some(message["skipped"].as_u64().unwrap_or(0));
        }
        if let Some(line) = message["event"]["ReplyPending"]["line"].as_u64() {
            last_line = line;
        }
        if last_line == 119 {
            break;
        }
    }
    assert!(lagged.is_some_and(|n| n >= 16), "a lag note with the count: {lagged:?}");
    assert_eq!(last_line, 119, "the newest events still arrive");
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
}

#[test]
fn every_intent_is_listed_once() {
    for (i, intent) in INTENTS.iter().enumerate() {
        assert_eq!(intent_index(*intent), i, "{intent:?}");
    }
}

#[tokio::test]
async fn obs_buttons_reach_the_obs_link_and_say_when_obs_is_not_configured() {
    use crate::obs::ObsControl;
    let h = harness();
    let answer = api(&h, "POST", "/api/obs/start-streaming", Value::Null).await;
    assert_eq!(answer.status, StatusCode::NOT_IMPLEMENTED, "{}", answer.text);
    assert!(answer.text.contains("add an [obs] section"), "{}", answer.text);

    let (tx, inputs) = mpsc::channel(64);
    let (events, _) = broadcast::channel(16);
    let (_products_tx, products_rx) = watch::channel(products());
    let (obs_tx, mut obs_rx) = mpsc::channel(4);
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).expect("a token"), tx, events, products_rx);
    config.obs = Some(obs_tx);
    config.limits = quick();
    let state = ConsoleState::new(config);
    let h = Harness {
        router: router(state.clone()),
        state,
        inputs,
        events: broadcast::channel(1).0,
        store: None,
        _products: _products_tx,
    };
    for (path, control) in [
        ("start-streaming", ObsControl::StartStreaming),
        ("stop-streaming", ObsControl::StopStreaming),
        ("start-recording", ObsControl::StartRecording),
        ("stop-recording", ObsControl::StopRecording),
    ] {
        let answer = api(&h, "POST", &format!("/api/obs/{path}"), Value::Null).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.text);
        assert_eq!(obs_rx.try_recv().ok(), Some(control));
    }
    let unknown = api(&h, "POST", "/api/obs/explode", Value::Null).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text.contains("use start-streaming"), "{}", unknown.text);
    let anonymous = call(&h.router, build("POST", "/api/obs/start-streaming", &[], "")).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert!(obs_rx.try_recv().is_err(), "nothing reached OBS without the token or for an unknown action");
}

/// A stand-in for the show: answers each say-now, approval and abort the way the director words them today, in
/// the order it reads them. A say-now with "slow" in it is answered only once `release` is notified.
fn fake_show(
    mut inputs: mpsc::Receiver<Input>,
    events: broadcast::Sender<ConsoleEvent>,
    release: Arc<tokio::sync::Notify>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut next_line = 40;
        while let Some(input) = inputs.recv().await {
            let answer = match input {
                Input::SayNow { text, .. } if text.contains("cures") => {
                    // As the director does: the typed refusal, then the same reason as a note.
                    let sentence = text.split_inclusive('.').find(|s| s.contains("cures")).unwrap_or("").trim();
                    let rest: String = text.split_inclusive('.').filter(|s| !s.contains("cures")).collect();
                    let reason = format!("\"{sentence}\" breaks the rule medical_claim");
                    let _ = events.send(ConsoleEvent::ModeratorLineRefused {
                        action: "say_now".into(),
                        line: None,
                        text: text.clone(),
                        sentence: sentence.into(),
                        rule: Some(model::GuardRule::MedicalClaim),
                        reason: reason.clone(),
                        product: None,
                        repaired: Some(rest.trim().to_string()).filter(|r| !r.is_empty()),
                    });
                    ConsoleEvent::ModeratorAction { action: format!("say-now refused: {reason}") }
                }
                Input::SayNow { text, .. } if text.contains("slow") => {
                    // The show is busy: it answers after the console stopped waiting.
                    release.notified().await;
                    next_line += 1;
                    ConsoleEvent::ModeratorAction { action: format!("say now as line-{next_line}: {text}") }
                }
                Input::SayNow { text, .. } => {
                    next_line += 1;
                    ConsoleEvent::ModeratorAction { action: format!("say now as line-{next_line}: {text}") }
                }
                Input::ApproveReply { line, .. } => {
                    ConsoleEvent::ReplyResolved { line, outcome: model::ReplyOutcome::Approved }
                }
                Input::EditReply { line, .. } => ConsoleEvent::ModeratorAction {
                    action: format!("edit of {line} refused: \"Half price today.\" breaks the rule unbacked_discount"),
                },
                Input::RejectReply { line } => ConsoleEvent::ModeratorAction {
                    action: format!("reject {line}: no such reply is waiting (it may have expired)"),
                },
                // Nothing is on air: the show aborts nothing and says nothing.
                Input::AbortLine => continue,
                Input::SetModeration { intent, mode } => {
                    ConsoleEvent::ModeratorAction { action: format!("{intent:?} replies: {}", mode.as_str()) }
                }
                // As the director words it (outcome.rs checks the real director's notes).
                Input::PinProduct(product) if product.0 == "tea-set" => ConsoleEvent::ModeratorAction {
                    action: format!("pinned {product}: the host stays on it until unpinned"),
                },
                Input::StartFlashSale { .. } => ConsoleEvent::ModeratorAction {
                    action: "flash sale refused: ¥199.00 is not below the regular price ¥199.00".into(),
                },
                _ => continue,
            };
            let _ = events.send(answer);
        }
    })
}

fn harness_with_show(outcome_wait: Duration) -> (Harness, tokio::task::JoinHandle<()>, Arc<tokio::sync::Notify>) {
    let mut h = harness_with(
        ConsoleLimits { outcome_wait, login_failures_per_minute: 10_000, ..ConsoleLimits::default() },
        None,
    );
    let (_, idle) = mpsc::channel(1);
    let inputs = std::mem::replace(&mut h.inputs, idle);
    let release = Arc::new(tokio::sync::Notify::new());
    let show = fake_show(inputs, h.events.clone(), release.clone());
    (h, show, release)
}

#[tokio::test]
async fn say_now_answers_with_what_the_show_did_never_sent_for_refused_words() {
    let (h, show, _) = harness_with_show(Duration::from_secs(5));
    let refused = api(&h, "POST", "/api/say", json!({"text": "Drink up. This tea cures colds. Buy now."})).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    let body = refused.json();
    assert_eq!((body["ok"].as_bool(), body["outcome"].as_str()), (Some(false), Some("refused")), "{body}");
    assert_eq!(body["rule"], "medical_claim");
    assert_eq!(body["sentence"], "This tea cures colds.");
    let error = body["error"].as_str().unwrap_or("");
    assert!(error.contains("This tea cures colds.") && error.contains("medical_claim"), "{error}");
    assert!(!refused.text.contains("Sent"), "{}", refused.text);
    assert_eq!(body["repaired"], "Drink up. Buy now.", "what the show would say without the refused sentence");

    let queued = api(&h, "POST", "/api/say", json!({"text": "Thanks for watching!"})).await;
    assert_eq!(queued.status, StatusCode::OK, "{}", queued.text);
    let body = queued.json();
    assert_eq!(
        (body["ok"].as_bool(), body["outcome"].as_str(), body["line"].as_u64()),
        (Some(true), Some("queued"), Some(41))
    );
    assert_eq!(body["text"], "Thanks for watching!");

    // Two moderators at once: each hears the answer to their own words.
    let (a, b) = tokio::join!(
        api(&h, "POST", "/api/say", json!({"text": "Welcome, everyone!"})),
        api(&h, "POST", "/api/say", json!({"text": "Careful: this cures nothing. Really."})),
    );
    assert_eq!((a.status, a.json()["text"].as_str()), (StatusCode::OK, Some("Welcome, everyone!")), "{}", a.text);
    assert_eq!(b.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", b.text);
    assert_eq!(b.json()["sentence"], "Careful: this cures nothing.");
    show.abort();
}

#[tokio::test]
async fn a_show_that_answers_late_gets_queued_not_sent_and_its_late_answer_is_not_taken_for_the_next_one() {
    let (h, show, release) = harness_with_show(Duration::from_millis(1000));
    let late = api(&h, "POST", "/api/say", json!({"text": "A slow line."})).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.text);
    assert_eq!(late.json()["outcome"], "queued");
    assert!(late.json()["status"].as_str().is_some_and(|s| s.contains("not confirmed")), "{}", late.text);
    assert!(late.json().get("line").is_none(), "no line is claimed before the show names one");
    // The next line is sent while the show still works on the first; the first one's answer arrives while the
    // second request waits, and the second request gets its own answer, not that one. (Both answer "say now as";
    // the words tell them apart, and the order does when the guard changed the words.)
    let h = Arc::new(h);
    let next = tokio::spawn({
        let h = h.clone();
        async move { api(&h, "POST", "/api/say", json!({"text": "Next line."})).await }
    });
    for _ in 0..200 {
        if h.state.0.say_waiters.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(h.state.0.say_waiters.lock().unwrap().len(), 2, "the first line is still remembered");
    release.notify_one();
    let next = next.await.expect("the request ends");
    assert_eq!(
        (next.json()["outcome"].as_str(), next.json()["text"].as_str()),
        (Some("queued"), Some("Next line.")),
        "{}",
        next.text
    );
    assert_eq!(next.json()["line"], 42, "line-41 was the slow one: {}", next.text);
    show.abort();
}

#[tokio::test]
async fn replies_aborts_modes_and_flash_sales_report_the_shows_answer() {
    let (h, show, _) = harness_with_show(Duration::from_millis(300));
    h.events.send(pending(7, "Yes, it holds 450 ml.")).expect("the tracker listens");
    until(&h.state, "the pending reply", |s| s["pending"][0]["line"] == 7).await;

    let approved = api(&h, "POST", "/api/replies/7/approve", Value::Null).await;
    assert_eq!(
        (approved.status, approved.json()["outcome"].as_str()),
        (StatusCode::OK, Some("done")),
        "{}",
        approved.text
    );
    assert_eq!(approved.json()["line"], 7, "the page follows the line until it airs");

    until(&h.state, "the approval", |s| s["pending"].as_array().is_some_and(Vec::is_empty)).await;
    h.events.send(pending(8, "It is on sale.")).expect("the tracker listens");
    until(&h.state, "the next pending reply", |s| s["pending"][0]["line"] == 8).await;
    let edited = api(&h, "POST", "/api/replies/8/edit", json!({"text": "Half price today."})).await;
    assert_eq!(edited.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", edited.text);
    assert_eq!(
        (edited.json()["rule"].as_str(), edited.json()["sentence"].as_str()),
        (Some("unbacked_discount"), Some("Half price today."))
    );

    let rejected = api(&h, "POST", "/api/replies/8/reject", Value::Null).await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", rejected.text);
    assert!(rejected.json()["error"].as_str().is_some_and(|e| e.contains("no such reply")), "{}", rejected.text);

    // Nothing on air: the show says nothing, and the console does not pretend it aborted anything.
    let abort = api(&h, "POST", "/api/line/abort", Value::Null).await;
    assert_eq!((abort.status, abort.json()["outcome"].as_str()), (StatusCode::OK, Some("queued")), "{}", abort.text);
    assert!(abort.json()["status"].as_str().is_some_and(|s| s.contains("reported nothing")), "{}", abort.text);

    let mode = api(&h, "POST", "/api/moderation", json!({"intent": "spam", "mode": "human_only"})).await;
    assert_eq!((mode.status, mode.json()["outcome"].as_str()), (StatusCode::OK, Some("done")), "{}", mode.text);

    let preview =
        api(&h, "POST", "/api/flash-sale/start", json!({"product": "tea-set", "price": "99", "minutes": 5})).await;
    let confirm = preview.json()["confirm"].clone();
    let sale = api(
        &h,
        "POST",
        "/api/flash-sale/start",
        json!({"product": "tea-set", "price": "99", "minutes": 5, "confirm": confirm}),
    )
    .await;
    assert_eq!(sale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sale.text);
    assert!(sale.json()["error"].as_str().is_some_and(|e| e.contains("not below the regular price")), "{}", sale.text);

    // A pin is done when the show says it pinned the product; nothing is ever reported as merely "sent".
    let pin = api(&h, "POST", "/api/pin", json!({"product": "tea-set"})).await;
    assert_eq!((pin.status, pin.json()["outcome"].as_str()), (StatusCode::OK, Some("done")), "{}", pin.text);
    assert!(pin.json()["status"].as_str().is_some_and(|s| s.starts_with("Pinned tea-set")), "{}", pin.text);
    show.abort();
}

#[tokio::test]
async fn escalations_are_claimed_and_handled_by_name_for_every_page_and_the_audit_log() {
    let dir = std::env::temp_dir().join(format!("shopcast-console-escalation-audit-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.db");
    let h = harness_with(quick(), Some(Store::open(&path, 1).expect("a store")));
    let mut pages = h.state.0.local.subscribe();
    h.events.send(escalated("c-9", "Mei", "It arrived broken, I want a refund")).expect("the tracker listens");
    until(&h.state, "the escalation", |s| s["escalations"][0]["comment"]["id"] == "c-9").await;
    assert_eq!(h.state.snapshot()["escalations"][0]["handling"], json!({"claimed": null, "handled": null}));

    // A script must say who it is.
    let anonymous = api(&h, "POST", "/api/escalations/claim", json!({"id": "c-9"})).await;
    assert_eq!((anonymous.status, anonymous.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("moderator")));
    let unknown = api(&h, "POST", "/api/escalations/claim", json!({"id": "c-0", "moderator": "Ann"})).await;
    assert_eq!((unknown.status, unknown.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));
    let elsewhere =
        api(&h, "POST", "/api/escalations/claim", json!({"id": "c-9", "platform": "twitch", "moderator": "Ann"})).await;
    assert_eq!((elsewhere.status, elsewhere.json()["field"].as_str()), (StatusCode::BAD_REQUEST, Some("id")));
    let nonsense = api(&h, "POST", "/api/escalations/escalate", json!({"id": "c-9", "moderator": "Ann"})).await;
    assert_eq!(nonsense.status, StatusCode::NOT_FOUND);

    let claimed = api(&h, "POST", "/api/escalations/claim", json!({"id": "c-9", "moderator": "Ann"})).await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.text);
    assert_eq!(claimed.json()["handling"]["claimed"]["by"], "Ann");
    assert!(claimed.json().get("warning").is_none(), "{}", claimed.text);
    let snapshot = h.state.snapshot();
    assert_eq!(snapshot["escalations"][0]["handling"]["claimed"]["by"], "Ann", "{snapshot}");
    let at = snapshot["escalations"][0]["handling"]["claimed"]["at"].as_i64().unwrap_or(0);
    assert!((wall_now().0 - at).abs() < 5_000, "the time of the claim: {at}");
    // Every open page hears the step as a moderator action and as the escalation's new state.
    let mut heard = Vec::new();
    while let Ok(Ok(message)) = tokio::time::timeout(Duration::from_millis(200), pages.recv()).await {
        heard.push(message);
    }
    assert!(
        heard[0]["event"]["ModeratorAction"]["action"].as_str().is_some_and(|a| a.contains("claimed by Ann")),
        "{heard:?}"
    );
    assert_eq!(
        (heard[1]["type"].as_str(), heard[1]["handling"]["claimed"]["by"].as_str()),
        (Some("escalation"), Some("Ann"))
    );
    assert!(snapshot["actions"][0]["action"].as_str().is_some_and(|a| a.contains("claimed by Ann")), "{snapshot}");

    // Another moderator cannot silently take it, but can take it over on purpose.
    let taken = api(&h, "POST", "/api/escalations/claim", json!({"id": "c-9", "moderator": "Bo"})).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.text);
    assert!(taken.json()["error"].as_str().is_some_and(|e| e.contains("Ann claimed it")), "{}", taken.text);
    let over = api(
        &h,
        "POST",
        "/api/escalations/claim",
        json!({"id": "c-9", "platform": "youtube", "moderator": "Bo", "take_over": true}),
    )
    .await;
    assert_eq!(over.status, StatusCode::OK, "{}", over.text);
    let handled = api(&h, "POST", "/api/escalations/handled", json!({"id": "c-9", "moderator": "Bo"})).await;
    assert_eq!(handled.status, StatusCode::OK, "{}", handled.text);
    assert_eq!(h.state.snapshot()["escalations"][0]["handling"]["handled"]["by"], "Bo");
    let again = api(&h, "POST", "/api/escalations/release", json!({"id": "c-9", "moderator": "Ann"})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);

    // The audit log holds each step as a moderator action, with the moderator and the time.
    let db = rusqlite::Connection::open(&path).expect("the audit log");
    let rows: Vec<(i64, String)> = db
        .prepare("SELECT wall_ms, row FROM events WHERE kind = 'moderator_action' ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("rows");
    let words: Vec<&str> = rows.iter().map(|(_, row)| row.as_str()).collect();
    assert_eq!(words.len(), 3, "{words:?}");
    assert!(words.iter().all(|w| w.contains("escalation youtube:c-9 (Mei: \\\"It arrived broken")), "{words:?}");
    assert!(words[0].contains("claimed by Ann at 20") && words[1].contains("claimed by Bo at 20"), "{words:?}");
    assert!(words[2].contains("marked handled by Bo at 20"), "{words:?}");
    assert!(rows.iter().all(|(wall, _)| (wall_now().0 - wall).abs() < 60_000), "{rows:?}");
    assert!(drain(&mut { h.inputs }).is_empty(), "no director input: the show already handed it over");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_browser_claims_under_the_name_it_logged_in_with() {
    let h = harness();
    h.events.send(escalated("c-5", "Lu", "refund please")).expect("the tracker listens");
    until(&h.state, "the escalation", |s| s["escalations"][0]["comment"]["id"] == "c-5").await;
    let login = call(
        &h.router,
        build(
            "POST",
            "/login",
            &[("content-type", "application/x-www-form-urlencoded")],
            format!("name=%20Ann%0A%20Lee%20&token={TOKEN}"),
        ),
    )
    .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    let cookie = login.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let session = cookie.split(';').next().unwrap_or("").to_string();
    let page = call(&h.router, build("GET", "/", &[("cookie", &session)], Body::empty())).await;
    assert!(page.text.contains(r#"<meta name="moderator" content="Ann Lee">"#), "the page knows who it is");
    let csrf = page.text.split("name=\"csrf-token\" content=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let headers = [("cookie", session.as_str()), ("x-csrf-token", csrf), ("content-type", "application/json")];
    let claim =
        call(&h.router, build("POST", "/api/escalations/claim", &headers, json!({"id": "c-5"}).to_string())).await;
    assert_eq!(claim.status, StatusCode::OK, "{}", claim.text);
    assert_eq!(claim.json()["handling"]["claimed"]["by"], "Ann Lee");
}

#[tokio::test]
async fn the_page_is_told_which_optional_features_are_configured() {
    let h = harness();
    assert_eq!(h.state.snapshot()["features"], json!({"obs": false, "store": false, "ingest": false}));
    let page = api(&h, "GET", "/", Value::Null).await;
    assert!(page.text.contains(r#"<div id="obs-controls" hidden>"#), "OBS buttons start hidden");

    let (tx, _inputs) = mpsc::channel(4);
    let (events, _) = broadcast::channel(4);
    let (_products, products_rx) = watch::channel(products());
    let (obs, _obs_rx) = mpsc::channel(4);
    let (chat, _chat_rx) = mpsc::channel(4);
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).unwrap(), tx, events, products_rx);
    config.obs = Some(obs);
    config.ingest = Some(crate::chat::ingest::IngestState::new(TOKEN, chat));
    assert_eq!(ConsoleState::new(config).snapshot()["features"], json!({"obs": true, "store": false, "ingest": true}));
}

#[tokio::test]
async fn obs_buttons_report_what_obs_answered() {
    use crate::obs::ObsControl;
    let (tx, _inputs) = mpsc::channel(4);
    let (events, _) = broadcast::channel(16);
    let (_products, products_rx) = watch::channel(products());
    let (obs_tx, mut obs_rx) = mpsc::channel::<ObsControl>(4);
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).unwrap(), tx, events.clone(), products_rx);
    config.obs = Some(obs_tx);
    config.limits = ConsoleLimits { outcome_wait: Duration::from_secs(5), ..ConsoleLimits::default() };
    let router = router(ConsoleState::new(config));
    // OBS as the link reports it: streaming starts, recording is refused.
    let obs = tokio::spawn(async move {
        while let Some(control) = obs_rx.recv().await {
            let detail = match control {
                ObsControl::StartStreaming => "StartStreaming done".to_string(),
                _ => "StopRecord failed: OBS answered 501 (OutputNotRunning)".to_string(),
            };
            let _ = events.send(ConsoleEvent::SourceHealth { source: "obs".into(), healthy: true, detail });
        }
    });
    let post = |path: &str| build("POST", path, &[("authorization", BEARER)], Body::empty());
    let started = call(&router, post("/api/obs/start-streaming")).await;
    assert_eq!(
        (started.status, started.json()["outcome"].as_str()),
        (StatusCode::OK, Some("done")),
        "{}",
        started.text
    );
    let refused = call(&router, post("/api/obs/stop-recording")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
    assert!(refused.json()["error"].as_str().is_some_and(|e| e.contains("OutputNotRunning")), "{}", refused.text);
    obs.abort();
}

/// The console with the chat ingest mounted, and what bridges deliver.
fn harness_with_ingest(limits: ConsoleLimits) -> (Harness, mpsc::Receiver<crate::chat::connector::SourceEvent>) {
    let (tx, inputs) = mpsc::channel(64);
    let (events, _) = broadcast::channel(64);
    let (products_tx, products_rx) = watch::channel(products());
    let (chat_tx, chat_rx) = mpsc::channel(512);
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).expect("a token"), tx, events.clone(), products_rx);
    config.limits = limits;
    config.ingest = Some(crate::chat::ingest::IngestState::new(TOKEN, chat_tx));
    let state = ConsoleState::new(config);
    (Harness { router: router(state.clone()), state, inputs, events, store: None, _products: products_tx }, chat_rx)
}

#[tokio::test]
async fn the_chat_ingest_is_served_on_the_consoles_address_with_the_console_token() {
    use crate::chat::ChatEvent;
    use crate::chat::connector::SourceEvent;
    let (h, mut chat) = harness_with_ingest(quick());
    let item = json!({"platform": "tiktok", "id": "t-1", "user_id": "u1", "user_name": "Ann", "text": "does it come in blue?"});
    let post = |headers: &[(&str, &str)], uri: &str, body: &Value| {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        build("POST", uri, &all, body.to_string())
    };
    let delivered = call(&h.router, post(&[("authorization", BEARER)], "/ingest/comments", &item)).await;
    assert_eq!(delivered.status, StatusCode::OK, "{}", delivered.text);
    assert_eq!(delivered.json(), json!({"accepted": 1, "rejected": []}));
    match chat.try_recv() {
        Ok(SourceEvent::Chat(ChatEvent::Comment(comment))) => {
            assert_eq!((comment.id.0.as_str(), comment.text.as_str()), ("t-1", "does it come in blue?"));
        }
        other => panic!("expected the comment, got {other:?}"),
    }
    // The query form, for bridges that cannot set headers.
    let mut second = item.clone();
    second["id"] = json!("t-2");
    let by_query = call(&h.router, post(&[], &format!("/ingest/comments?token={TOKEN}"), &second)).await;
    assert_eq!(by_query.status, StatusCode::OK, "{}", by_query.text);
    assert!(matches!(chat.try_recv(), Ok(SourceEvent::Chat(ChatEvent::Comment(_)))));

    // Without the token, or with a browser's session cookie only: 401 and nothing delivered.
    let mut third = item.clone();
    third["id"] = json!("t-3");
    for headers in [
        vec![],
        vec![("authorization", "Bearer wrong-token-0123456789abcdef")],
        vec![("cookie", "shopcast_session=00")],
    ] {
        let refused = call(&h.router, post(&headers, "/ingest/comments", &third)).await;
        assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "{headers:?}: {}", refused.text);
        assert!(refused.json()["error"].is_string());
    }
    assert!(chat.try_recv().is_err(), "nothing got in without the token");
    assert!(drain(&mut { h.inputs }).is_empty(), "the ingest never bypasses the show's chat intake");

    // A batch larger than the console's 16 KiB action limit still fits the ingest's own 256 KiB.
    let batch: Vec<Value> = (0..200)
        .map(|i| json!({"platform": "kick", "id": format!("k-{i}"), "user_id": "u", "user_name": "Kay", "text": "x".repeat(100)}))
        .collect();
    let batch = json!(batch);
    assert!(batch.to_string().len() > MAX_BODY_BYTES);
    let (h, mut chat) = harness_with_ingest(quick());
    let big = call(&h.router, post(&[("authorization", BEARER)], "/ingest/comments", &batch)).await;
    assert_eq!((big.status, big.json()["accepted"].as_u64()), (StatusCode::OK, Some(200)), "{}", big.text);
    let mut count = 0;
    while chat.try_recv().is_ok() {
        count += 1;
    }
    assert_eq!(count, 200);
    // The console's own routes keep their limit.
    let too_big = api(&h, "POST", "/api/say", json!({"text": "x".repeat(MAX_BODY_BYTES)})).await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn wrong_tokens_at_the_ingest_count_as_guesses_at_the_console_token() {
    let (h, mut chat) = harness_with_ingest(quick());
    let item = json!({"platform": "kick", "id": "k-1", "user_id": "u", "user_name": "Kay", "text": "hi"}).to_string();
    for attempt in 0..5 {
        let guess =
            build("POST", "/ingest/comments", &[("authorization", "Bearer guess-0000000000000000")], item.clone());
        assert_eq!(call(&h.router, guess).await.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let right = build("POST", "/ingest/comments", &[("authorization", BEARER)], item);
    let limited = call(&h.router, right).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.text);
    assert!(chat.try_recv().is_err());
    // Without the ingest configured, the console has no such route.
    let plain = harness();
    let none = call(&plain.router, build("POST", "/ingest/comments", &[("authorization", BEARER)], "{}")).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

/// A crisis escalation nobody claims is raised again after `care_raise_again` (every page hears it, the audit log
/// keeps it), and again after as long; once claimed it is not raised again. An ordinary complaint is never raised.
#[tokio::test]
async fn an_unclaimed_crisis_is_raised_again_until_someone_claims_it() {
    let dir = std::env::temp_dir().join(format!("shopcast-console-care-again-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("audit.db");
    let limits = ConsoleLimits { care_raise_again: Duration::from_millis(200), ..quick() };
    let h = harness_with(limits, Some(Store::open(&path, 1).expect("a store")));
    let mut pages = h.state.0.local.subscribe();
    h.events.send(escalated("c-1", "Mei", "It arrived broken, I want a refund")).expect("the tracker listens");
    h.events
        .send(ConsoleEvent::Escalated {
            comment: comment("c-2", "Ro", "i don't want to be here anymore"),
            intent: Intent::Other,
            reason: Some("care: crisis".into()),
            care: Some(model::CareKind::Crisis),
        })
        .expect("the tracker listens");
    let mut raised = Vec::new();
    let until = std::time::Instant::now() + Duration::from_millis(700);
    while std::time::Instant::now() < until {
        if let Ok(Ok(message)) = tokio::time::timeout(Duration::from_millis(50), pages.recv()).await
            && message["type"] == "care_raised_again"
        {
            raised.push(message["id"].as_str().unwrap_or("").to_string());
        }
    }
    assert!(raised.len() >= 2, "raised again every 200 ms while unclaimed: {raised:?}");
    assert!(raised.iter().all(|id| id == "c-2"), "only the crisis is raised again: {raised:?}");
    let claim = api(&h, "POST", "/api/escalations/claim", json!({"id": "c-2", "moderator": "Ann"})).await;
    assert_eq!(claim.status, StatusCode::OK, "{}", claim.text);
    while pages.try_recv().is_ok() {}
    let mut after = 0;
    let until = std::time::Instant::now() + Duration::from_millis(600);
    while std::time::Instant::now() < until {
        if let Ok(Ok(message)) = tokio::time::timeout(Duration::from_millis(50), pages.recv()).await
            && message["type"] == "care_raised_again"
        {
            after += 1;
        }
    }
    assert_eq!(after, 0, "a claimed crisis is not raised again");
    let db = rusqlite::Connection::open(&path).expect("the audit log");
    let rows: Vec<String> = db
        .prepare("SELECT row FROM events WHERE kind = 'moderator_action' ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("rows");
    assert!(rows.iter().filter(|r| r.contains("raised again: nobody has claimed it")).count() >= 2, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("care: crisis")), "{rows:?}");
    // The claim is also a typed row, which the show report counts (time to claim).
    let steps: Vec<String> = db
        .prepare("SELECT row FROM events WHERE kind = 'escalation_step' ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("rows");
    let steps: Vec<crate::store::EscalationStep> =
        steps.iter().map(|r| serde_json::from_str(r).expect("a typed step")).collect();
    assert_eq!(steps.len(), 1, "{steps:?}");
    assert!(steps[0].key.ends_with(":c-2") && steps[0].step == "claimed" && steps[0].by == "Ann", "{steps:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
