//! Named console accounts end to end through the router: logging in with a password, what each role may do,
//! the audit rows every change leaves with its account, and accounts removed or changed while logged in.

use super::accounts::{self, Role, SHARED_ACCOUNT};
use super::tests::{
    Answer, BEARER, Harness, build, call, drain, escalated, harness_with, pending, quick, routes, until,
};
use super::*;
use crate::store::{AuditRow, Store};
use axum::body::Body;
use axum::http::StatusCode;
use serde_json::json;

struct Scratch(std::path::PathBuf);
impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A console with a store holding three accounts, one per role (passwords `<name>-long-password`).
fn with_accounts(name: &str, limits: ConsoleLimits) -> (Harness, Scratch) {
    let dir = std::env::temp_dir().join(format!("shopcast-accounts-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&dir.join("audit.db"), 30).expect("a store");
    for (account, role) in [("lin", Role::Moderator), ("wei", Role::Merchandiser), ("root", Role::Admin)] {
        let hash = accounts::hash_password(&format!("{account}-long-password")).expect("a hash");
        assert!(store.add_account(account, role, &hash, UnixMs(1)).expect("added"));
    }
    (harness_with(limits, Some(store)), Scratch(dir))
}

fn store(h: &Harness) -> crate::store::StoreHandle {
    h.store.clone().expect("a store")
}

async fn login_as(h: &Harness, user: &str, password: &str) -> Answer {
    let form = format!("user={user}&password={password}");
    call(&h.router, build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], form)).await
}

/// Logs in and returns the headers a browser then sends with every change: the cookie and the CSRF token.
async fn session(h: &Harness, user: &str) -> Vec<(String, String)> {
    let login = login_as(h, user, &format!("{user}-long-password")).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{user}: {}", login.text);
    let cookie = login.headers.get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or("");
    let cookie = cookie.split(';').next().unwrap_or("").to_string();
    let page = call(&h.router, build("GET", "/", &[("cookie", &cookie)], Body::empty())).await;
    assert_eq!(page.status, StatusCode::OK, "{user}");
    let csrf = page.text.split("name=\"csrf-token\" content=\"").nth(1).and_then(|r| r.split('"').next());
    let role = page.text.split("name=\"role\" content=\"").nth(1).and_then(|r| r.split('"').next());
    assert!(role.is_some_and(|r| Role::parse(r).is_some()), "the page names the role: {role:?}");
    vec![
        ("cookie".into(), cookie),
        ("x-csrf-token".into(), csrf.unwrap_or("").to_string()),
        ("content-type".into(), "application/json".into()),
    ]
}

async fn post(h: &Harness, headers: &[(String, String)], path: &str, body: Value) -> Answer {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let body = if body.is_null() { String::new() } else { body.to_string() };
    call(&h.router, build("POST", path, &headers, body)).await
}

async fn console_actions(h: &Harness) -> Vec<AuditRow> {
    let rows = store(h).call(|s| s.rows_between(0, i64::MAX)).await.expect("the audit rows");
    rows.into_iter().filter(|r| r.kind == "console_action").collect()
}

/// What each role may not do, written out from the roles' descriptions (not from the router's groups).
fn forbidden(role: Role, path: &str) -> bool {
    let merchandise =
        ["/api/stock", "/api/price", "/api/flash-sale/start", "/api/flash-sale/stop", "/api/override/clear"];
    let steer = ["/api/pin", "/api/unpin", "/api/products/next", "/api/products/previous"];
    let anyone = ["/logout"];
    match role {
        Role::Admin => false,
        Role::Moderator => merchandise.contains(&path) || path.starts_with("/api/obs/"),
        Role::Merchandiser => !(merchandise.contains(&path) || steer.contains(&path) || anyone.contains(&path)),
    }
}

#[tokio::test]
async fn each_role_reaches_exactly_its_routes_and_every_change_is_audited_with_its_account() {
    let limits = ConsoleLimits { login_failures_per_minute: 10_000, ..quick() };
    let (mut h, _dir) = with_accounts("roles", limits);
    h.events.send(pending(7, "Yes, it holds 450 ml.")).expect("the tracker listens");
    h.events.send(escalated("c-esc", "Bea", "I want a refund")).expect("the tracker listens");
    until(&h.state, "the pending reply", |s| s["pending"].as_array().is_some_and(|p| !p.is_empty())).await;
    until(&h.state, "the escalation", |s| s["escalations"].as_array().is_some_and(|e| !e.is_empty())).await;
    let mut expected_rows = 0;
    for (user, role) in [("lin", Role::Moderator), ("wei", Role::Merchandiser), ("root", Role::Admin)] {
        let headers = session(&h, user).await;
        let changes = routes().into_iter().filter(|(method, path, _)| *method == "POST" && *path != "/logout");
        let obs = ("POST", "/api/obs/start-streaming", Value::Null);
        for (_, path, mut body) in changes.chain([obs]) {
            if path.starts_with("/api/escalations/") {
                // A named account acts as itself.
                body = json!({"id": "c-esc"});
            }
            drain(&mut h.inputs);
            let answer = post(&h, &headers, path, body).await;
            expected_rows += 1;
            if forbidden(role, path) {
                assert_eq!(answer.status, StatusCode::FORBIDDEN, "{user} {path}: {}", answer.text);
                let error = answer.json()["error"].as_str().unwrap_or("").to_string();
                assert!(error.contains(user) && error.contains(role.as_str()), "{error}");
                assert!(drain(&mut h.inputs).is_empty(), "{user} {path}: a refused request sent nothing");
            } else {
                assert!(
                    answer.status != StatusCode::FORBIDDEN && answer.status != StatusCode::UNAUTHORIZED,
                    "{user} {path}: {} {}",
                    answer.status,
                    answer.text
                );
                for input in drain(&mut h.inputs) {
                    match input {
                        Input::ApproveReply { by, .. } | Input::EditReply { by, .. } | Input::SayNow { by, .. } => {
                            assert_eq!(by, user, "{path}: the line is on {user}'s authority")
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    // The shared token, for scripts, acts under its own name.
    let bearer = [("authorization", BEARER), ("content-type", "application/json")];
    let said = call(&h.router, build("POST", "/api/say", &bearer, json!({"text": "Hi"}).to_string())).await;
    assert_eq!(said.status, StatusCode::OK, "{}", said.text);
    expected_rows += 1;

    let rows = console_actions(&h).await;
    assert_eq!(rows.len(), expected_rows, "one audit row per state-changing request, refused or not");
    let row_of = |account: &str, path: &str| {
        rows.iter().find(|r| r.row["account"] == account && r.row["path"] == path).map(|r| r.row.clone())
    };
    let refused = row_of("wei", "/api/say").expect("the refused say-now is in the log");
    assert_eq!((refused["role"].as_str(), refused["status"].as_u64()), (Some("merchandiser"), Some(403)));
    let price = row_of("wei", "/api/price").expect("the price preview is in the log");
    assert_eq!(price["status"], 409, "a price change starts with its preview: {price}");
    let say = row_of("lin", "/api/say").expect("lin's say-now is in the log");
    assert_eq!((say["status"].as_u64(), say["sent"].as_str()), (Some(200), Some("say now")), "{say}");
    let claim = row_of("lin", "/api/escalations/claim").expect("lin's claim");
    assert!(claim["sent"].as_str().is_some_and(|s| s.contains("by lin")), "{claim}");
    let script = row_of(SHARED_ACCOUNT, "/api/say").expect("the script's say-now");
    assert_eq!(script["role"], "admin");
    let report = store(&h).call(|s| s.verify_chain()).await.expect("verified");
    assert!(report.holds(), "the console's rows are links of the chain: {report:?}");
}

#[tokio::test]
async fn wrong_passwords_and_unknown_names_are_refused_alike_and_count_as_guesses() {
    let limits = ConsoleLimits { login_failures_per_minute: 4, ..quick() };
    let (h, _dir) = with_accounts("guesses", limits);
    let wrong = login_as(&h, "lin", "wei-long-password").await;
    let unknown = login_as(&h, "nobody", "lin-long-password").await;
    let malformed = login_as(&h, "Lin%20Zhang", "lin-long-password").await;
    for answer in [&wrong, &unknown, &malformed] {
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{}", answer.text);
        assert!(answer.text.contains("That name or password is wrong"), "{}", answer.text);
        assert!(answer.headers.get("set-cookie").is_none());
    }
    // The token form is a guess at the same limit.
    let token = "token=wrong-token-0123456789abcdef";
    let guess =
        call(&h.router, build("POST", "/login", &[("content-type", "application/x-www-form-urlencoded")], token));
    assert_eq!(guess.await.status, StatusCode::UNAUTHORIZED);
    let limited = login_as(&h, "lin", "lin-long-password").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits: {}", limited.text);
    assert!(limited.headers.get("retry-after").is_some());
}

#[tokio::test]
async fn a_removed_account_is_out_at_its_next_request_and_a_new_role_applies_at_once() {
    let (mut h, _dir) = with_accounts("removed", quick());
    let lin = session(&h, "lin").await;
    assert_eq!(post(&h, &lin, "/api/say", json!({"text": "Welcome!"})).await.status, StatusCode::OK);
    drain(&mut h.inputs);

    // An admin makes lin a merchandiser from the command line while lin is logged in.
    let hash = accounts::hash_password("lin-long-password").expect("a hash");
    let changed = store(&h).call(move |s| s.reset_account("lin", Role::Merchandiser, &hash, UnixMs(2))).await;
    assert!(changed.expect("reset"));
    let refused = post(&h, &lin, "/api/say", json!({"text": "Welcome again!"})).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text);
    assert!(refused.text.contains("merchandiser"), "{}", refused.text);
    let stock = post(&h, &lin, "/api/stock", json!({"product": "tea-set", "stock": 3})).await;
    assert_eq!(stock.status, StatusCode::OK, "{}", stock.text);

    assert!(store(&h).call(|s| s.remove_account("lin", UnixMs(3))).await.expect("removed"));
    drain(&mut h.inputs);
    let gone = post(&h, &lin, "/api/stock", json!({"product": "tea-set", "stock": 4})).await;
    assert_eq!(gone.status, StatusCode::UNAUTHORIZED, "{}", gone.text);
    assert!(gone.text.contains("lin was removed"), "{}", gone.text);
    assert!(drain(&mut h.inputs).is_empty());
    let page = call(&h.router, build("GET", "/api/state", &[("cookie", &lin[0].1)], Body::empty())).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "the session itself is gone");
    let kinds: Vec<String> = store(&h)
        .call(|s| s.rows_between(0, i64::MAX))
        .await
        .expect("rows")
        .into_iter()
        .map(|r| r.kind)
        .filter(|k| k.starts_with("account_"))
        .collect();
    assert_eq!(kinds, ["account_added", "account_added", "account_added", "account_reset", "account_removed"]);
}

#[tokio::test]
async fn a_named_account_acts_as_itself_and_the_shared_token_may_name_its_moderator() {
    let (h, _dir) = with_accounts("names", quick());
    h.events.send(escalated("c-1", "Bea", "I want a refund")).expect("the tracker listens");
    h.events.send(escalated("c-2", "Bo", "still no refund")).expect("the tracker listens");
    until(&h.state, "the escalations", |s| s["escalations"].as_array().is_some_and(|e| e.len() == 2)).await;
    let lin = session(&h, "lin").await;
    let posing = post(&h, &lin, "/api/escalations/claim", json!({"id": "c-1", "moderator": "root"})).await;
    assert_eq!(posing.status, StatusCode::BAD_REQUEST, "{}", posing.text);
    assert_eq!(posing.json()["field"], "moderator");
    let claimed = post(&h, &lin, "/api/escalations/claim", json!({"id": "c-1"})).await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.text);
    assert!(claimed.json()["sent"].as_str().is_some_and(|s| s.contains("by lin")), "{}", claimed.text);
    let bearer = [("authorization", BEARER), ("content-type", "application/json")];
    let body = json!({"id": "c-2", "moderator": "Night shift"}).to_string();
    let script = call(&h.router, build("POST", "/api/escalations/claim", &bearer, body)).await;
    assert_eq!(script.status, StatusCode::OK, "{}", script.text);
    assert!(script.json()["sent"].as_str().is_some_and(|s| s.contains("by Night shift")), "{}", script.text);
}
