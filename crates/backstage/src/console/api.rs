//! The console's JSON API: one route per moderator action, `/api/state` for what a page shows, `/healthz` and
//! `/metrics`. Every action validates its fields first (a bad one is 400 naming the field), then sends one
//! director input and answers `{"ok": true, "sent": ...}`; nothing is sent when anything is wrong.

use super::{Confirmation, ConsoleState, INTENTS, MAX_BODY_BYTES, intent_code, wall_now};
use crate::store::BlockedViewer;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use director::Input;
use model::{CommentId, Currency, Lang, LineId, ModerationMode, Money, Product, UnixMs};
use serde_json::{Map, Value, json};
use tokio::sync::mpsc::error::TrySendError;

/// Longer than anything a host should say in one go; the guard and the voice deal in sentences.
const MAX_SAY_CHARS: usize = 500;
const MAX_ID_CHARS: usize = 256;
/// The longest time-out; longer is a ban.
const MAX_TIMEOUT_SECS: u64 = 7 * 86_400;
/// The longest flash sale the console starts (a day), and how far ahead its end may be.
const MAX_FLASH_SALE_SECS: i64 = 86_400;

/// A refused request: the status, a message a moderator can act on, and the field at fault.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    field: Option<&'static str>,
}

impl ApiError {
    fn field(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into(), field: Some(field) }
    }

    fn status(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), field: None }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "error": self.message });
        if let Some(field) = self.field {
            body["field"] = json!(field);
        }
        let retry = self.status == StatusCode::SERVICE_UNAVAILABLE;
        let mut response = (self.status, axum::Json(body)).into_response();
        if retry {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

type Body = Result<Bytes, BytesRejection>;
type Answer = Result<Response, ApiError>;

/// The body as a JSON object; an empty body is an empty object (actions without fields).
fn object(body: Body) -> Result<Map<String, Value>, ApiError> {
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "the body is larger than {} KiB; console actions are small JSON objects",
                    MAX_BODY_BYTES / 1024
                ),
            ));
        }
        Err(e) => return Err(ApiError::status(e.status(), format!("the body could not be read: {e}"))),
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::status(StatusCode::BAD_REQUEST, "the body must be a JSON object")),
        Err(e) => Err(ApiError::status(StatusCode::BAD_REQUEST, format!("the body is not JSON: {e}"))),
    }
}

fn optional_text(map: &Map<String, Value>, field: &'static str, max: usize) -> Result<Option<String>, ApiError> {
    match map.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => {
            let text = text.trim();
            if text.chars().count() > max {
                Err(ApiError::field(field, format!("{field} is longer than {max} characters")))
            } else if text.is_empty() {
                Ok(None)
            } else {
                Ok(Some(text.to_string()))
            }
        }
        Some(_) => Err(ApiError::field(field, format!("{field} must be a string"))),
    }
}

fn required_text(map: &Map<String, Value>, field: &'static str, max: usize) -> Result<String, ApiError> {
    optional_text(map, field, max)?.ok_or_else(|| ApiError::field(field, format!("{field} is missing or empty")))
}

/// A whole number from a JSON number or a string of digits (HTML inputs send strings).
fn whole_number(value: &Value, field: &'static str) -> Result<u64, ApiError> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_string(),
        _ => return Err(ApiError::field(field, format!("{field} must be a whole number"))),
    };
    if text.starts_with('-') {
        return Err(ApiError::field(field, format!("{field} is {text}; it must be 0 or more")));
    }
    text.parse::<u64>().map_err(|_| ApiError::field(field, format!("{field} is {text:?}; it must be a whole number")))
}

/// An amount in `currency`, read exactly: a decimal string (`"149.00"`) or a whole JSON number. A fractional JSON
/// number is refused: it went through a float on its way here and may not be the amount the moderator typed.
fn money(value: &Value, field: &'static str, currency: &Currency) -> Result<Money, ApiError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        Value::Number(_) => {
            return Err(ApiError::field(
                field,
                format!("write {field} as a decimal string like \"199.00\"; fractional JSON numbers are not exact"),
            ));
        }
        _ => return Err(ApiError::field(field, format!("{field} must be an amount like \"199.00\""))),
    };
    Money::parse_decimal(&text, currency.clone()).map_err(|e| ApiError::field(field, format!("{field}: {e}")))
}

fn product(state: &ConsoleState, map: &Map<String, Value>) -> Result<Product, ApiError> {
    let id = required_text(map, "product", MAX_ID_CHARS)?;
    let products = state.0.products.borrow();
    products.iter().find(|p| p.id.0 == id).cloned().ok_or_else(|| {
        let known: Vec<&str> = products.iter().take(10).map(|p| p.id.0.as_str()).collect();
        let more = if products.len() > known.len() { ", ..." } else { "" };
        ApiError::field(
            "product",
            format!("no product with id {id:?} in the live catalog (known: {}{more})", known.join(", ")),
        )
    })
}

fn title(product: &Product) -> String {
    product.title.get(Lang::En).cloned().unwrap_or_else(|| product.id.0.clone())
}

pub(crate) fn products_json(products: &[Product]) -> Value {
    Value::Array(
        products
            .iter()
            .map(|p| {
                json!({
                    "id": p.id.0,
                    "title": title(p),
                    "title_zh": p.title.zh,
                    "price": p.price.display(),
                    "price_amount": p.price.amount_text(),
                    "currency": p.price.currency.code(),
                    "compare_at": p.compare_at.as_ref().map(Money::display),
                    "stock": p.stock,
                })
            })
            .collect(),
    )
}

/// Sends one input without waiting: the show's intake is never held up by a moderator's browser.
fn send(state: &ConsoleState, input: Input) -> Result<(), ApiError> {
    match state.0.inputs.try_send(input) {
        Ok(()) => Ok(()),
        Err(TrySendError::Full(_)) => {
            Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "the show is busy; nothing was sent, try again"))
        }
        Err(TrySendError::Closed(_)) => {
            Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "the show is not running; nothing was sent"))
        }
    }
}

/// `POST /api/obs/{start-streaming|stop-streaming|start-recording|stop-recording}`: OBS's outputs. The outcome
/// (OBS's own answer) arrives on the feed as a moderator note.
pub(crate) async fn obs_control(
    State(state): State<ConsoleState>,
    axum::extract::Path(action): axum::extract::Path<String>,
    body: Body,
) -> Response {
    use crate::obs::ObsControl;
    finish((|| {
        object(body)?;
        let control = match action.as_str() {
            "start-streaming" => ObsControl::StartStreaming,
            "stop-streaming" => ObsControl::StopStreaming,
            "start-recording" => ObsControl::StartRecording,
            "stop-recording" => ObsControl::StopRecording,
            other => {
                return Err(ApiError::status(
                    StatusCode::NOT_FOUND,
                    format!(
                        "no OBS action `{other}`; use start-streaming, stop-streaming, start-recording or stop-recording"
                    ),
                ));
            }
        };
        let Some(obs) = &state.0.obs else {
            return Err(ApiError::status(
                StatusCode::NOT_IMPLEMENTED,
                "OBS control is not configured; add an [obs] section to show.toml",
            ));
        };
        match obs.try_send(control) {
            Ok(()) => sent(format!("OBS: {action}")),
            Err(TrySendError::Full(_)) => {
                Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "OBS is busy with earlier requests; try again"))
            }
            Err(TrySendError::Closed(_)) => {
                Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "the OBS link has stopped; nothing was sent"))
            }
        }
    })())
}

fn sent(what: impl Into<String>) -> Answer {
    Ok(axum::Json(json!({ "ok": true, "sent": what.into() })).into_response())
}

fn sent_with(what: impl Into<String>, warning: Option<String>) -> Answer {
    let mut body = json!({ "ok": true, "sent": what.into() });
    if let Some(warning) = warning {
        body["warning"] = json!(warning);
    }
    Ok(axum::Json(body).into_response())
}

fn finish(answer: Answer) -> Response {
    answer.unwrap_or_else(IntoResponse::into_response)
}

pub(crate) async fn not_found() -> Response {
    ApiError::status(StatusCode::NOT_FOUND, "no such page or API route; docs/CONSOLE.md lists them").into_response()
}

pub(crate) async fn state(State(state): State<ConsoleState>) -> Response {
    axum::Json(state.snapshot()).into_response()
}

fn pending_line(state: &ConsoleState, line: &str) -> Result<LineId, ApiError> {
    let digits = line.strip_prefix("line-").unwrap_or(line);
    let id = digits.parse::<u64>().map(LineId).map_err(|_| {
        ApiError::field("line", format!("line {line:?} is not a line id; use the number from the reply queue"))
    })?;
    if !state.0.live.lock().unwrap_or_else(|p| p.into_inner()).pending.contains_key(&id) {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            message: format!("{id} is not waiting for approval (already decided, expired, or never queued)"),
            field: Some("line"),
        });
    }
    Ok(id)
}

pub(crate) async fn approve(State(state): State<ConsoleState>, Path(line): Path<String>, body: Body) -> Response {
    finish((|| {
        object(body)?;
        let line = pending_line(&state, &line)?;
        send(&state, Input::ApproveReply { line })?;
        sent(format!("approve {line}"))
    })())
}

pub(crate) async fn edit(State(state): State<ConsoleState>, Path(line): Path<String>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let text = required_text(&map, "text", MAX_SAY_CHARS)?;
        let line = pending_line(&state, &line)?;
        send(&state, Input::EditReply { line, text })?;
        sent(format!("edit {line}"))
    })())
}

pub(crate) async fn reject(State(state): State<ConsoleState>, Path(line): Path<String>, body: Body) -> Response {
    finish((|| {
        object(body)?;
        let line = pending_line(&state, &line)?;
        send(&state, Input::RejectReply { line })?;
        sent(format!("reject {line}"))
    })())
}

pub(crate) async fn say(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let text = required_text(&map, "text", MAX_SAY_CHARS)?;
        let lang = match optional_text(&map, "lang", 8)?.as_deref() {
            None => None,
            Some("en") => Some(Lang::En),
            Some("zh") => Some(Lang::Zh),
            Some(other) => return Err(ApiError::field("lang", format!("lang {other:?} is not \"en\" or \"zh\""))),
        };
        send(&state, Input::SayNow { text, lang })?;
        sent("say now")
    })())
}

/// An action with no fields: the body is still read, so the size limit and JSON check hold everywhere.
fn simple(state: &ConsoleState, body: Body, input: Input, what: &str) -> Response {
    finish((|| {
        object(body)?;
        send(state, input)?;
        sent(what)
    })())
}

pub(crate) async fn abort_line(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::AbortLine, "abort the line on air")
}

pub(crate) async fn cancel_next(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::CancelNext, "cancel the next line")
}

pub(crate) async fn unpin(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::UnpinProduct, "unpin")
}

pub(crate) async fn next_product(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::SkipProduct { forward: true }, "next product")
}

pub(crate) async fn previous_product(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::SkipProduct { forward: false }, "previous product")
}

pub(crate) async fn hand_over(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::HandOverToHuman, "hand over to a human host")
}

pub(crate) async fn take_back(State(state): State<ConsoleState>, body: Body) -> Response {
    simple(&state, body, Input::TakeBack, "the AI host takes back")
}

pub(crate) async fn pin(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let product = product(&state, &map)?;
        send(&state, Input::PinProduct(product.id.clone()))?;
        sent(format!("pin {}", product.id))
    })())
}

pub(crate) async fn stock(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let product = product(&state, &map)?;
        let stock = match map.get("stock") {
            None => {
                return Err(ApiError::field("stock", "stock is missing; send a whole number, or null when unknown"));
            }
            Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(value) => {
                let n = whole_number(value, "stock")?;
                Some(u32::try_from(n).map_err(|_| ApiError::field("stock", format!("stock {n} is too large")))?)
            }
        };
        send(&state, Input::StockChanged { product: product.id.clone(), stock })?;
        let shown = stock.map_or("unknown".to_string(), |s| s.to_string());
        sent(format!("stock of {} is {shown}", product.id))
    })())
}

/// The `confirm` step shared by price changes and flash sales. Without `confirm` (or with one that is expired,
/// unknown or for different values) the answer is 409 with a preview and a fresh single-use token; with the
/// token of exactly this change, the input is sent.
fn confirmed(
    state: &ConsoleState,
    map: &Map<String, Value>,
    fingerprint: String,
    preview: Value,
    input: Input,
    what: String,
) -> Answer {
    let presented = match map.get("confirm") {
        None | Some(Value::Null) => None,
        Some(Value::String(token)) if !token.trim().is_empty() => Some(token.trim().to_string()),
        Some(Value::String(_)) => None,
        Some(_) => return Err(ApiError::field("confirm", "confirm must be the token from the preview")),
    };
    let now = std::time::Instant::now();
    let mut confirmations = state.0.confirmations.lock().unwrap_or_else(|p| p.into_inner());
    confirmations.retain(|_, c| c.expires > now);
    let stale = match presented {
        Some(token) => match confirmations.remove(&token) {
            Some(c) if c.fingerprint == fingerprint => {
                drop(confirmations);
                send(state, input)?;
                return sent(what);
            }
            _ => true,
        },
        None => false,
    };
    while confirmations.len() >= 256 {
        let Some(oldest) = confirmations.iter().min_by_key(|(_, c)| c.expires).map(|(k, _)| k.clone()) else { break };
        confirmations.remove(&oldest);
    }
    let token = super::token::random_hex(16)
        .map_err(|e| ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("no randomness: {e}")))?;
    confirmations.insert(token.clone(), Confirmation { fingerprint, expires: now + state.0.limits.confirm_ttl });
    let message = if stale {
        "that confirmation expired or was for different values; check this preview and confirm again"
    } else {
        "check the preview, then send the same request again with \"confirm\" set to this token"
    };
    let body = json!({
        "error": message,
        "confirm": token,
        "expires_in_secs": state.0.limits.confirm_ttl.as_secs(),
        "preview": preview,
    });
    Ok((StatusCode::CONFLICT, axum::Json(body)).into_response())
}

fn shown(money: Option<&Money>) -> Value {
    money.map_or(Value::Null, |m| json!(m.display()))
}

pub(crate) async fn price(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let product = product(&state, &map)?;
        let currency = &product.price.currency;
        let price = match map.get("price") {
            None | Some(Value::Null) => {
                return Err(ApiError::field("price", "price is missing; send it like \"149.00\""));
            }
            Some(value) => money(value, "price", currency)?,
        };
        // Absent keeps the reference price the product has; null or "" removes it.
        let compare_at = match map.get("compare_at") {
            None => product.compare_at.clone(),
            Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(value) => Some(money(value, "compare_at", currency)?),
        };
        if let Some(was) = &compare_at
            && was.minor <= price.minor
        {
            return Err(ApiError::field(
                "compare_at",
                format!(
                    "compare_at {} must be above the new price {}, or null to show no reference price",
                    was.display(),
                    price.display()
                ),
            ));
        }
        let discount = compare_at.as_ref().and_then(|was| price.percent_off_from(was)).map(|p| format!("-{p}%"));
        let preview = json!({
            "product": product.id.0,
            "title": title(&product),
            "price": { "from": product.price.display(), "to": price.display() },
            "compare_at": { "from": shown(product.compare_at.as_ref()), "to": shown(compare_at.as_ref()) },
            "discount": discount,
            "message": format!(
                "Change the price of {} from {} to {}{}?",
                title(&product),
                product.price.display(),
                price.display(),
                compare_at.as_ref().map_or(String::new(), |c| format!(" (reference price {})", c.display()))
            ),
        });
        let fingerprint = format!("price|{}|{}|{:?}", product.id.0, price.minor, compare_at.as_ref().map(|c| c.minor));
        let what = format!("price of {} is {}", product.id, price.display());
        let input = Input::PriceChanged { product: product.id.clone(), price, compare_at };
        confirmed(&state, &map, fingerprint, preview, input, what)
    })())
}

pub(crate) async fn start_flash_sale(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let product = product(&state, &map)?;
        let price = match map.get("price") {
            None | Some(Value::Null) => {
                return Err(ApiError::field("price", "price is missing; send the sale price like \"99.00\""));
            }
            Some(value) => money(value, "price", &product.price.currency)?,
        };
        if price.minor >= product.price.minor {
            return Err(ApiError::field(
                "price",
                format!(
                    "the flash-sale price {} must be below the regular price {}",
                    price.display(),
                    product.price.display()
                ),
            ));
        }
        let now = wall_now();
        let (ends_at, how_long) = match (map.get("ends_at"), map.get("minutes")) {
            (Some(Value::String(text)), None) => {
                let ends = crate::chat::time::parse_rfc3339(text)
                    .map_err(|reason| ApiError::field("ends_at", format!("ends_at: {reason}")))?;
                (ends, format!("until {text}"))
            }
            (None, Some(value)) => {
                let minutes = whole_number(value, "minutes")?;
                if minutes == 0 || minutes as i64 * 60 > MAX_FLASH_SALE_SECS {
                    return Err(ApiError::field("minutes", "minutes must be from 1 to 1440"));
                }
                (UnixMs(now.0 + minutes as i64 * 60_000), format!("for {minutes} min"))
            }
            (Some(_), Some(_)) => return Err(ApiError::field("ends_at", "send ends_at or minutes, not both")),
            (Some(_), None) => {
                return Err(ApiError::field(
                    "ends_at",
                    "ends_at must be an RFC 3339 time like 2026-11-26T21:00:00+08:00",
                ));
            }
            (None, None) => {
                return Err(ApiError::field("minutes", "say how long: minutes (1 to 1440) or ends_at (RFC 3339)"));
            }
        };
        if ends_at.0 <= now.0 {
            return Err(ApiError::field("ends_at", "ends_at is in the past; a flash sale must end in the future"));
        }
        if ends_at.0 - now.0 > MAX_FLASH_SALE_SECS * 1000 {
            return Err(ApiError::field("ends_at", "a flash sale from the console lasts at most 24 hours"));
        }
        let discount = price.percent_off_from(&product.price).map(|p| format!("-{p}%"));
        let preview = json!({
            "product": product.id.0,
            "title": title(&product),
            "price": { "from": product.price.display(), "to": price.display() },
            "discount": discount,
            "ends_at": crate::store::rfc3339(ends_at),
            "message": format!(
                "Start a flash sale on {} at {} (regular {}) {how_long}?",
                title(&product),
                price.display(),
                product.price.display()
            ),
        });
        let when = map.get("ends_at").or(map.get("minutes")).map(Value::to_string).unwrap_or_default();
        let fingerprint = format!("flash|{}|{}|{when}", product.id.0, price.minor);
        let what = format!("flash sale on {} at {}", product.id, price.display());
        let input = Input::StartFlashSale { product: product.id.clone(), price, ends_at };
        confirmed(&state, &map, fingerprint, preview, input, what)
    })())
}

pub(crate) async fn stop_flash_sale(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let product = product(&state, &map)?;
        send(&state, Input::StopFlashSale { product: product.id.clone() })?;
        sent(format!("stop the flash sale on {}", product.id))
    })())
}

/// Sends the ban, then records it. A ban that reached the show but could not be saved still stands for this
/// show; the answer says it will not survive a restart.
fn block(state: &ConsoleState, map: &Map<String, Value>, until: Option<UnixMs>) -> Answer {
    let user_id = required_text(map, "user_id", MAX_ID_CHARS)?;
    let user_name = optional_text(map, "user_name", MAX_ID_CHARS)?.unwrap_or_else(|| user_id.clone());
    send(state, Input::BanViewer { user_id: user_id.clone() })?;
    let now = wall_now();
    let warning = state.0.store.as_ref().and_then(|store| {
        let store = store.lock().unwrap_or_else(|p| p.into_inner());
        store.block_viewer(&user_id, &user_name, until, now).err().map(|e| {
            tracing::warn!("a ban could not be saved: {e}");
            format!("the ban holds for this show but was not saved ({e}); it ends when the show restarts")
        })
    });
    let viewer = BlockedViewer { user_id: user_id.clone(), user_name, since: now, until };
    state.moderation().blocked.insert(user_id.clone(), viewer);
    state.announce_moderation();
    let what = match until {
        None => format!("ban {user_id}"),
        Some(u) => format!("time out {user_id} until {}", crate::store::rfc3339(u)),
    };
    sent_with(what, warning)
}

pub(crate) async fn ban(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        block(&state, &map, None)
    })())
}

pub(crate) async fn timeout(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let seconds = match map.get("seconds") {
            None | Some(Value::Null) => {
                return Err(ApiError::field("seconds", "seconds is missing; say how long the time-out lasts"));
            }
            Some(value) => whole_number(value, "seconds")?,
        };
        if seconds == 0 || seconds > MAX_TIMEOUT_SECS {
            return Err(ApiError::field("seconds", format!("seconds must be from 1 to {MAX_TIMEOUT_SECS} (7 days)")));
        }
        block(&state, &map, Some(UnixMs(wall_now().0 + seconds as i64 * 1000)))
    })())
}

pub(crate) async fn unblock(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let user_id = required_text(&map, "user_id", MAX_ID_CHARS)?;
        let was = state.moderation().blocked.remove(&user_id).is_some();
        let saved = match state.0.store.as_ref() {
            Some(store) => store.lock().unwrap_or_else(|p| p.into_inner()).unblock_viewer(&user_id).map_err(|e| {
                ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the store refused the change: {e}"))
            })?,
            None => false,
        };
        if !was && !saved {
            return Err(ApiError::field("user_id", format!("{user_id:?} is neither banned nor timed out")));
        }
        state.announce_moderation();
        // The director has no "unban": its ban only cleared the queue, and new comments pass the intake again.
        Ok(axum::Json(json!({ "ok": true, "sent": Value::Null, "unblocked": user_id })).into_response())
    })())
}

/// A viewer's "don't remember me", relayed by a moderator: the store forgets them and keeps only the refusal.
pub(crate) async fn forget_viewer(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let user_id = required_text(&map, "user_id", MAX_ID_CHARS)?;
        let Some(store) = state.0.store.as_ref() else {
            return Err(ApiError::status(
                StatusCode::NOT_IMPLEMENTED,
                "this console runs without a store, so it remembers no viewers",
            ));
        };
        store.lock().unwrap_or_else(|p| p.into_inner()).set_viewer_opt_out(&user_id, true).map_err(|e| {
            ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, format!("the store refused the change: {e}"))
        })?;
        Ok(axum::Json(json!({ "ok": true, "sent": Value::Null, "forgotten": user_id })).into_response())
    })())
}

pub(crate) async fn delete_comment(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let id = CommentId(required_text(&map, "id", MAX_ID_CHARS)?);
        send(&state, Input::DeleteComment(id.clone()))?;
        state.0.live.lock().unwrap_or_else(|p| p.into_inner()).mark_deleted(&id);
        let _ = state.0.local.send(json!({ "type": "comment_deleted", "id": id.0 }));
        sent(format!("delete comment {}", id.0))
    })())
}

pub(crate) async fn set_moderation(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let map = object(body)?;
        let code = required_text(&map, "intent", 64)?;
        let intent = INTENTS.iter().copied().find(|&i| intent_code(i) == code).ok_or_else(|| {
            let all: Vec<String> = INTENTS.iter().map(|&i| intent_code(i)).collect();
            ApiError::field("intent", format!("intent {code:?} is not one of {}", all.join(", ")))
        })?;
        let mode_text = required_text(&map, "mode", 32)?;
        let mode = ModerationMode::parse(&mode_text).ok_or_else(|| {
            ApiError::field("mode", format!("mode {mode_text:?} is not auto, approve_first or human_only"))
        })?;
        send(&state, Input::SetModeration { intent, mode })?;
        let warning = state.0.store.as_ref().and_then(|store| {
            let store = store.lock().unwrap_or_else(|p| p.into_inner());
            store.set_moderation_mode(intent, mode, wall_now()).err().map(|e| {
                format!("the mode holds for this show but was not saved ({e}); it resets when the show restarts")
            })
        });
        state.moderation().modes.insert(super::intent_index(intent), mode);
        state.announce_moderation();
        sent_with(format!("{code} replies are {}", mode.as_str()), warning)
    })())
}

/// `/healthz`: 200 when every adapter last reported healthy, the director showed life recently and the stage's
/// heartbeat is fresh; 503 otherwise, with the reasons.
pub(crate) async fn healthz(State(state): State<ConsoleState>) -> Response {
    let metrics = &state.0.metrics;
    let limits = &state.0.limits;
    let mut problems = Vec::new();
    let adapters = {
        let live = state.0.live.lock().unwrap_or_else(|p| p.into_inner());
        for (source, status) in &live.health {
            if !status.healthy {
                problems.push(format!("{source} is down: {}", status.detail));
            }
        }
        serde_json::to_value(&live.health).unwrap_or(Value::Null)
    };
    let uptime = metrics.uptime_ms();
    let mut part = |name: &str, age: Option<u64>, limit: std::time::Duration| {
        let limit_ms = limit.as_millis() as u64;
        let healthy = match age {
            Some(age) => age <= limit_ms,
            // A grace period after start before the first sign of life is expected.
            None => uptime <= limit_ms,
        };
        if !healthy {
            problems.push(match age {
                Some(age) => format!("the {name} last showed life {} s ago", age / 1000),
                None => format!("the {name} has shown no life since the console started"),
            });
        }
        json!({ "healthy": healthy, "age_ms": age, "stale_after_ms": limit_ms })
    };
    let director = part("director", metrics.director_age_ms(), limits.director_stale_after);
    let stage = part("stage", metrics.stage_heartbeat_age_ms(), limits.stage_stale_after);
    let healthy = problems.is_empty();
    let body = json!({
        "status": if healthy { "ok" } else { "unhealthy" },
        "problems": problems,
        "adapters": adapters,
        "director": director,
        "stage": stage,
    });
    let status = if healthy { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, axum::Json(body)).into_response()
}

pub(crate) async fn metrics(State(state): State<ConsoleState>) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"))],
        state.0.metrics.render(),
    )
        .into_response()
}

impl ConsoleState {
    /// Tells every open page the new modes and blocked viewers.
    fn announce_moderation(&self) {
        let moderation = self.moderation().to_json(wall_now());
        let _ = self.0.local.send(json!({ "type": "moderation", "moderation": moderation }));
    }
}
