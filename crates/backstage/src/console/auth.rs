//! Who may use the console: the bearer token for automation, a login session for browsers, CSRF tokens for
//! browser state changes, and a limit on wrong guesses.
//!
//! Automation sends `Authorization: Bearer TOKEN` on every request; such a request carries no ambient credential a
//! hostile page could borrow, so it needs no CSRF token, and acts as the shared account
//! ([`super::accounts::SHARED_ACCOUNT`]). A browser posts a named account's password (or the token) once to
//! `/login` and gets a random session id in an HttpOnly, SameSite=Strict cookie; the server keeps the session (its
//! account and its CSRF token) in memory with an expiry, and checks on every request that a named account still
//! exists, with the role it has now. Every browser request that changes something must echo the session's CSRF
//! token in `X-CSRF-Token`, and a browser's WebSocket must come from the console's own origin. Wrong tokens (at the login
//! form or as a bearer) are counted per client address; past the limit that address hears 429 until a minute has
//! passed since its oldest counted failure.

use super::ConsoleState;
use super::accounts::{Actor, Right};
pub(crate) use super::login_limiter::LoginLimiter;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use serde_json::json;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "shopcast_session";
/// The header a browser echoes its CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Compares in time that depends only on the lengths (`subtle`'s constant-time equality), so response timing does
/// not tell an attacker how many leading bytes of a guess were right. An empty secret admits nobody.
pub(crate) fn same_secret(expected: &[u8], presented: &[u8]) -> bool {
    !expected.is_empty() && bool::from(expected.ct_eq(presented))
}

/// One browser login.
#[derive(Clone, Debug)]
pub(crate) struct Session {
    pub csrf: String,
    pub actor: Actor,
    expires: Instant,
}

/// Sessions by id. Bounded: when full, the session closest to expiry goes first.
#[derive(Default)]
pub(crate) struct Sessions {
    by_id: HashMap<String, Session>,
}

impl Sessions {
    pub fn create(&mut self, ttl: Duration, max: usize, actor: Actor) -> std::io::Result<(String, Session)> {
        let now = Instant::now();
        self.by_id.retain(|_, s| s.expires > now);
        while self.by_id.len() >= max.max(1) {
            let Some(oldest) = self.by_id.iter().min_by_key(|(_, s)| s.expires).map(|(id, _)| id.clone()) else {
                break;
            };
            self.by_id.remove(&oldest);
        }
        let id = super::token::random_hex(32)?;
        let session = Session { csrf: super::token::random_hex(32)?, actor, expires: now + ttl };
        self.by_id.insert(id.clone(), session.clone());
        Ok((id, session))
    }

    /// The live session with this id. The id is looked up by hash, which leaks nothing useful: ids are 256 random
    /// bits, so there is no prefix to guess towards.
    pub fn get(&mut self, id: &str) -> Option<Session> {
        let now = Instant::now();
        match self.by_id.get(id) {
            Some(s) if s.expires > now => Some(s.clone()),
            Some(_) => {
                self.by_id.remove(id);
                None
            }
            None => None,
        }
    }

    pub fn remove(&mut self, id: &str) {
        self.by_id.remove(id);
    }
}

/// How a request proved itself. Who it acts as is the [`Actor`] beside it in the request's extensions.
#[derive(Clone, Debug)]
pub(crate) enum Principal {
    Bearer,
    Session { id: String, csrf: String },
}

/// The client's address (from the listener), or the unspecified address when the router runs without one
/// (tests calling it directly). All such requests share one failure count.
pub(crate) fn client_addr(request: &Request) -> IpAddr {
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip())
        .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn bearer(headers: &HeaderMap) -> Option<Option<String>> {
    let value = headers.get(header::AUTHORIZATION)?;
    let token = value
        .to_str()
        .ok()
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_string());
    Some(token)
}

pub(crate) fn json_error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({ "error": message.into() }))).into_response()
}

pub(crate) fn too_many(wait_secs: u64) -> Response {
    let mut response = json_error(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many wrong tokens from this address; try again in {wait_secs} s"),
    );
    if let Ok(value) = HeaderValue::from_str(&wait_secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// A page (HTML) request: a browser without a session is sent to the login form instead of a bare 401.
fn wants_page(request: &Request) -> bool {
    request.method() == Method::GET && request.uri().path() == "/"
}

fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser's WebSocket (or any request) must come from the console's own origin when it rides on the cookie.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Browsers always send Origin on WebSocket handshakes; a client that does not is not a browser page.
        return true;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let origin_host = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")).unwrap_or("");
    !host.is_empty() && origin_host.eq_ignore_ascii_case(host)
}

/// Why a presented token was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    Wrong,
    /// Too many wrong guesses from this address; try again in this many seconds.
    Limited(u64),
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Wrong => json_error(StatusCode::UNAUTHORIZED, "the token is wrong; use the console token"),
            Refusal::Limited(wait) => too_many(wait),
        }
    }
}

/// Checks a presented token against the console token, counting a wrong one against the client's address. An
/// address over its limit is refused before the comparison, so it learns nothing even from the right token.
pub(crate) fn check_token(state: &ConsoleState, addr: IpAddr, presented: &str) -> Result<(), Refusal> {
    let inner = &state.0;
    let limit = inner.limits.login_failures_per_minute;
    let mut limiter = inner.limiter.lock().unwrap_or_else(|p| p.into_inner());
    limiter.check(addr, limit).map_err(Refusal::Limited)?;
    if same_secret(inner.token.secret().as_bytes(), presented.as_bytes()) {
        limiter.succeed(addr);
        Ok(())
    } else {
        limiter.fail(addr);
        Err(Refusal::Wrong)
    }
}

/// The middleware in front of every route except the login form: nothing runs, no body is read and no socket
/// is upgraded until the request has proved itself.
pub(crate) async fn require_auth(State(state): State<ConsoleState>, mut request: Request, next: Next) -> Response {
    let addr = client_addr(&request);
    let (principal, actor) = match bearer(request.headers()) {
        Some(Some(token)) => match check_token(&state, addr, &token) {
            Ok(()) => (Principal::Bearer, Actor::shared()),
            Err(refusal) => return refusal.into_response(),
        },
        Some(None) => {
            return json_error(
                StatusCode::UNAUTHORIZED,
                "the Authorization header must be \"Bearer TOKEN\" with the console token",
            );
        }
        None => {
            let session = cookie(request.headers(), SESSION_COOKIE)
                .and_then(|id| state.0.sessions.lock().unwrap_or_else(|p| p.into_inner()).get(&id).map(|s| (id, s)));
            match session {
                Some((id, session)) => {
                    let actor = match current(&state, &id, session.actor).await {
                        Ok(actor) => actor,
                        Err(response) => return response,
                    };
                    (Principal::Session { id, csrf: session.csrf }, actor)
                }
                None if wants_page(&request) => return Redirect::to("login").into_response(),
                None => {
                    return json_error(
                        StatusCode::UNAUTHORIZED,
                        "not logged in; send \"Authorization: Bearer TOKEN\" with the console token, or log in at \
                         /login",
                    );
                }
            }
        }
    };
    if let Principal::Session { csrf, .. } = &principal {
        if changes_state(request.method()) {
            let presented = request.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if presented.is_empty() || !same_secret(csrf.as_bytes(), presented.as_bytes()) {
                return json_error(
                    StatusCode::FORBIDDEN,
                    "missing or wrong X-CSRF-Token; reload the console page (or use a Bearer token for scripts)",
                );
            }
        }
        if !same_origin(request.headers()) {
            return json_error(StatusCode::FORBIDDEN, "this request comes from another site's page");
        }
    }
    request.extensions_mut().insert(principal);
    request.extensions_mut().insert(actor);
    next.run(request).await
}

/// A named account's session acts with the account as the store has it now: a removed account's session ends at
/// its next request, and a changed role applies at once. The shared token's sessions need no look-up.
async fn current(state: &ConsoleState, session: &str, actor: Actor) -> Result<Actor, Response> {
    if actor.is_shared() {
        return Ok(actor);
    }
    let gone = |why: &str| {
        state.0.sessions.lock().unwrap_or_else(|p| p.into_inner()).remove(session);
        json_error(StatusCode::UNAUTHORIZED, format!("{why}; log in again"))
    };
    let Some(store) = state.0.store.as_ref() else {
        return Err(gone("this console has no account store any more"));
    };
    let name = actor.account().to_string();
    match store.account(&name).await {
        Ok(Some(account)) => Ok(Actor::named(account.name, account.role)),
        Ok(None) => Err(gone(&format!("the account {} was removed", actor.account()))),
        Err(e) => Err(json_error(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("the account store cannot be read ({e}); try again"),
        )),
    }
}

/// The guard in front of one group of routes (see [`super::router`]): the acting account's role must hold `right`,
/// or the request is refused with 403 before its body is read.
pub(crate) async fn require_right(State(right): State<Right>, request: Request, next: Next) -> Response {
    let Some(actor) = request.extensions().get::<Actor>() else {
        return json_error(StatusCode::UNAUTHORIZED, "not logged in");
    };
    if !actor.role().may(right) {
        return json_error(
            StatusCode::FORBIDDEN,
            format!(
                "the account {} is a {}; this needs a {} account",
                actor.account(),
                actor.role().as_str(),
                right.holders()
            ),
        );
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"ab"));
        assert!(!same_secret(b"", b""), "an empty secret admits nobody");
    }

    #[test]
    fn the_limiter_counts_failures_per_address_in_a_window() {
        let mut limiter = LoginLimiter::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..5 {
            assert!(limiter.check(a, 5).is_ok());
            limiter.fail(a);
        }
        let wait = limiter.check(a, 5).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(limiter.check(b, 5).is_ok(), "another address is not affected");
    }

    #[test]
    fn sessions_expire_and_are_bounded() {
        let mut sessions = Sessions::default();
        let (id, session) = sessions.create(Duration::from_secs(60), 2, Actor::shared()).unwrap();
        assert_eq!((id.len(), session.csrf.len()), (64, 64));
        assert!(sessions.get(&id).is_some());
        let (second, _) = sessions.create(Duration::from_secs(120), 2, Actor::shared()).unwrap();
        let (third, _) = sessions.create(Duration::from_secs(180), 2, Actor::shared()).unwrap();
        assert!(sessions.get(&id).is_none(), "the session closest to expiry made room");
        assert!(sessions.get(&second).is_some() && sessions.get(&third).is_some());
        let (gone, _) = sessions.create(Duration::ZERO, 8, Actor::shared()).unwrap();
        assert!(sessions.get(&gone).is_none(), "an expired session is refused");
    }

    #[test]
    fn origins_must_match_the_host() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:7878"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:7878"));
        assert!(same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&headers));
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&headers));
    }
}
