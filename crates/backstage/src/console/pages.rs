//! The browser side: the login form, the console page and its script and style, all compiled into the binary
//! (assets/console/) so the console works from any working directory.

use super::ConsoleState;
use super::accounts::{self, Actor};
use super::api::MAX_NAME_CHARS;
use super::auth::{self, Principal, SESSION_COOKIE};
use axum::Extension;
use axum::extract::{Form, FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};

const INDEX_HTML: &str = include_str!("../../../../assets/console/index.html");
const LOGIN_HTML: &str = include_str!("../../../../assets/console/login.html");
const CONSOLE_JS: &str = include_str!("../../../../assets/console/console.js");
const CONSOLE_CSS: &str = include_str!("../../../../assets/console/console.css");

/// Scripts and styles only from the console itself, connections only back to it, no frames, no inline script:
/// comment text from viewers is shown on this page, and this is the second wall against it ever running.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; \
                        base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/// The login page has no script at all; its small style sheet is inline so it needs no unauthenticated asset.
const LOGIN_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn with_csp(mut response: Response, csp: &'static str) -> Response {
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    response
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn login_page(status: StatusCode, message: &str) -> Response {
    let message = if message.is_empty() {
        String::new()
    } else {
        format!("<p class=\"error\" role=\"alert\">{}</p>", escape_html(message))
    };
    with_csp((status, Html(LOGIN_HTML.replace("{{MESSAGE}}", &message))).into_response(), LOGIN_CSP)
}

pub(crate) async fn login_form(State(state): State<ConsoleState>, request: Request) -> Response {
    let logged_in = auth::cookie(request.headers(), SESSION_COOKIE)
        .is_some_and(|id| state.0.sessions.lock().unwrap_or_else(|p| p.into_inner()).get(&id).is_some());
    if logged_in {
        return Redirect::to("./").into_response();
    }
    login_page(StatusCode::OK, "")
}

#[derive(serde::Deserialize)]
pub(crate) struct LoginForm {
    /// A named account (`shopcast console add-user`) and its password; when empty, the console token below.
    #[serde(default)]
    user: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
    /// The moderator's name, shown to the others with what they claim and handle, and kept in the audit log.
    #[serde(default)]
    name: String,
}

/// A name as other moderators see it: one line, no control characters, at most [`MAX_NAME_CHARS`] characters.
fn clean_name(name: &str) -> Option<String> {
    let name: String =
        name.chars().map(|c| if c.is_control() { ' ' } else { c }).take(MAX_NAME_CHARS).collect::<String>();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

fn limited_page(wait: u64) -> Response {
    let mut page =
        login_page(StatusCode::TOO_MANY_REQUESTS, "Too many wrong guesses from this address; wait a minute.");
    if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
        page.headers_mut().insert(header::RETRY_AFTER, value);
    }
    page
}

/// A named account's password, checked against the store: the actor, or the page to answer with. Wrong names and
/// wrong passwords count against the address like wrong tokens, and take the same time.
async fn account_login(
    state: &ConsoleState,
    addr: std::net::IpAddr,
    user: &str,
    password: String,
) -> Result<Actor, Response> {
    let limit = state.0.limits.login_failures_per_minute;
    if let Err(wait) = state.0.limiter.lock().unwrap_or_else(|p| p.into_inner()).check(addr, limit) {
        return Err(limited_page(wait));
    }
    let Some(store) = state.0.store.as_ref() else {
        return Err(login_page(
            StatusCode::UNAUTHORIZED,
            "This console keeps no accounts (it runs without an audit log); log in with the console token.",
        ));
    };
    let account = match accounts::check_name(user) {
        Ok(name) => match store.account(&name).await {
            Ok(account) => account,
            Err(e) => {
                return Err(login_page(StatusCode::SERVICE_UNAVAILABLE, &format!("The accounts cannot be read: {e}")));
            }
        },
        Err(_) => None,
    };
    // Argon2 takes tens of milliseconds of CPU: off the runtime's threads.
    let checked = tokio::task::spawn_blocking(move || match account {
        Some(account) if accounts::verify_password(&account.password_hash, &password) => Some(account),
        Some(_) => None,
        None => {
            accounts::verify_nobody(&password);
            None
        }
    })
    .await
    .ok()
    .flatten();
    let mut limiter = state.0.limiter.lock().unwrap_or_else(|p| p.into_inner());
    match checked {
        Some(account) => {
            limiter.succeed(addr);
            Ok(Actor::named(account.name, account.role))
        }
        None => {
            limiter.fail(addr);
            Err(login_page(
                StatusCode::UNAUTHORIZED,
                "That name or password is wrong. An admin creates accounts with `shopcast console add-user`.",
            ))
        }
    }
}

/// A named account's password or the console token, posted from the form, becomes a session cookie. No CSRF token
/// is needed here: a forged login would have to know the password or the token already.
pub(crate) async fn login(State(state): State<ConsoleState>, request: Request) -> Response {
    let addr = auth::client_addr(&request);
    let form = match Form::<LoginForm>::from_request(request, &state).await {
        Ok(Form(form)) => form,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return login_page(StatusCode::PAYLOAD_TOO_LARGE, "That was far too long to be a password or the token.");
        }
        Err(_) => {
            return login_page(
                StatusCode::BAD_REQUEST,
                "Enter your name and password (or the console token) and log in.",
            );
        }
    };
    let (actor, display) = if form.user.trim().is_empty() {
        match auth::check_token(&state, addr, form.token.trim()) {
            Ok(()) => (Actor::shared(), clean_name(&form.name)),
            Err(auth::Refusal::Limited(wait)) => return limited_page(wait),
            Err(auth::Refusal::Wrong) => {
                return login_page(
                    StatusCode::UNAUTHORIZED,
                    "That token is wrong. The console token is printed at the first start and kept in the token file.",
                );
            }
        }
    } else {
        match account_login(&state, addr, &form.user, form.password).await {
            // A named account is shown under its own name: nobody can claim to be someone else.
            Ok(actor) => {
                let name = actor.account().to_string();
                (actor, Some(name))
            }
            Err(page) => return page,
        }
    };
    let limits = &state.0.limits;
    let created = {
        let mut sessions = state.0.sessions.lock().unwrap_or_else(|p| p.into_inner());
        let created = sessions.create(limits.session_ttl, limits.max_sessions, actor);
        // Names of sessions that ended go with them.
        state.0.names.lock().unwrap_or_else(|p| p.into_inner()).retain(|id, _| sessions.get(id).is_some());
        created
    };
    let (id, _) = match created {
        Ok(session) => session,
        Err(e) => return login_page(StatusCode::INTERNAL_SERVER_ERROR, &format!("No session could be made: {e}")),
    };
    if let Some(name) = display {
        state.0.names.lock().unwrap_or_else(|p| p.into_inner()).insert(id.clone(), name);
    }
    let cookie = format!(
        "{SESSION_COOKIE}={id}; Path={}; HttpOnly; SameSite=Strict; Max-Age={}",
        state.0.cookie_path,
        limits.session_ttl.as_secs()
    );
    // Relative, like every link of the console: it may be served under a fleet's /rooms/<id>/.
    let mut response = Redirect::to("./").into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

pub(crate) async fn logout(State(state): State<ConsoleState>, Extension(principal): Extension<Principal>) -> Response {
    if let Principal::Session { id, .. } = principal {
        state.0.sessions.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
        state.0.names.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
    }
    let mut response = axum::Json(serde_json::json!({ "ok": true })).into_response();
    let cookie = format!("{SESSION_COOKIE}=; Path={}; HttpOnly; SameSite=Strict; Max-Age=0", state.0.cookie_path);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

pub(crate) async fn index(
    State(state): State<ConsoleState>,
    Extension(principal): Extension<Principal>,
    Extension(actor): Extension<Actor>,
) -> Response {
    // A script with a bearer token can fetch the page, but only a browser session has a CSRF token to act with.
    let (csrf, name) = match principal {
        Principal::Session { id, csrf } => (csrf, state.session_name(&id).unwrap_or_default()),
        Principal::Bearer => (String::new(), String::new()),
    };
    let page = INDEX_HTML
        .replace("{{CSRF}}", &escape_html(&csrf))
        .replace("{{MODERATOR}}", &escape_html(&name))
        .replace("{{ROLE}}", actor.role().as_str())
        .replace("{{ACCOUNT}}", &escape_html(actor.account()));
    with_csp(Html(page).into_response(), PAGE_CSP)
}

pub(crate) async fn script() -> Response {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], CONSOLE_JS).into_response()
}

pub(crate) async fn style() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CONSOLE_CSS).into_response()
}
