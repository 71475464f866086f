//! The console's JSON API: one route per moderator action, `/api/state` for what a page shows, `/healthz` and
//! `/metrics`. Every action reads its body as its own request type ([`super::request`]) and validates its fields
//! first (a bad one is 400 naming the field), then sends one director input; nothing is sent when anything is
//! wrong. Where the show reports what became of the input (a say-now line queued or refused, a reply approved), the
//! action waits briefly for that report and answers with it (see [`super::outcome`]):
//! `{"ok": true, "outcome": "queued", "status": ...}`, or 422
//! `{"ok": false, "outcome": "refused", "error": ..., "rule": ..., "sentence": ...}`.

use super::accounts::Actor;
use super::auth::Principal;
use super::escalations::{self, Step};
use super::outcome::{Awaited, Kind, Outcome, outcome_of};
use super::request::{self, Amount, Body, ConfirmToken, Field, NoFields, Text, read};
use super::{Confirmation, ConsoleState, INTENTS, intent_code, wall_now};
use crate::store::BlockedViewer;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use director::Input;
use model::{CommentId, ConsoleEvent, Currency, Lang, LineId, ModerationMode, Money, Product, UnixMs};
use serde_json::{Value, json};
use std::borrow::Cow;
use tokio::sync::broadcast::{self, error::RecvError};
use tokio::sync::mpsc::error::TrySendError;

/// Longer than anything a host should say in one go; the guard and the voice deal in sentences.
pub(crate) const MAX_SAY_CHARS: usize = 500;
pub(crate) const MAX_ID_CHARS: usize = 256;
/// A moderator's name, as shown to the others.
pub(crate) const MAX_NAME_CHARS: usize = 64;
/// The longest time-out; longer is a ban.
const MAX_TIMEOUT_SECS: u64 = 7 * 86_400;
/// The longest flash sale the console starts (a day), and how far ahead its end may be.
const MAX_FLASH_SALE_SECS: i64 = 86_400;

/// A refused request: the status, a message a moderator can act on, and the field at fault.
#[derive(Debug)]
pub(crate) struct ApiError {
    status: StatusCode,
    message: String,
    /// The request's field at fault: a name from the code, or one the body used (see [`request::read`]).
    field: Option<Cow<'static, str>>,
}

impl ApiError {
    pub(crate) fn field(field: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message: message.into(), field: Some(Cow::Borrowed(field)) }
    }

    /// A 400 for a field named by the request body itself.
    pub(crate) fn named(message: String, field: String) -> ApiError {
        ApiError { status: StatusCode::BAD_REQUEST, message, field: Some(Cow::Owned(field)) }
    }

    pub(crate) fn status(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError { status, message: message.into(), field: None }
    }

    #[cfg(test)]
    pub(crate) fn status_code(&self) -> StatusCode {
        self.status
    }

    #[cfg(test)]
    pub(crate) fn field_name(&self) -> Option<&str> {
        self.field.as_deref()
    }

    #[cfg(test)]
    pub(crate) fn message(&self) -> &str {
        &self.message
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

type Answer = Result<Response, ApiError>;

/// An amount in `currency`, read exactly (see [`Amount`]).
fn money(amount: Amount, field: &'static str, currency: &Currency) -> Result<Money, ApiError> {
    Money::parse_decimal(&amount.0, currency.clone()).map_err(|e| ApiError::field(field, format!("{field}: {e}")))
}

/// The live catalog's product named by the request's `product` field.
fn product(state: &ConsoleState, field: Field<Text<MAX_ID_CHARS>>) -> Result<Product, ApiError> {
    let id = field.required_text("product")?;
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

/// [`send`], listening to the show from just before, so its answer about this input cannot be missed.
fn send_watching(state: &ConsoleState, input: Input) -> Result<broadcast::Receiver<ConsoleEvent>, ApiError> {
    let events = state.0.events.subscribe();
    send(state, input)?;
    Ok(events)
}

/// Waits (at most [`super::ConsoleLimits::outcome_wait`]) for the show to say what became of the awaited action.
async fn hear(state: &ConsoleState, mut events: broadcast::Receiver<ConsoleEvent>, awaited: &Awaited) -> Outcome {
    let deadline = tokio::time::Instant::now() + state.0.limits.outcome_wait;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(event)) => {
                if let Some(outcome) = outcome_of(awaited, &event) {
                    return outcome;
                }
            }
            Ok(Err(RecvError::Lagged(_))) => continue,
            Ok(Err(RecvError::Closed)) | Err(_) => return awaited.not_answered(),
        }
    }
}

/// The answer for an action whose outcome is known (or known to be unknown): 200 with the outcome, or 422 when
/// the show refused it.
fn heard(what: impl Into<String>, outcome: &Outcome, warning: Option<String>) -> Response {
    let mut body = outcome.fields();
    body["sent"] = json!(what.into());
    if let Some(warning) = warning {
        body["warning"] = json!(warning);
    }
    if outcome.kind == Kind::Refused {
        body["ok"] = json!(false);
        body["error"] = json!(outcome.message);
        (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
    } else {
        body["ok"] = json!(true);
        axum::Json(body).into_response()
    }
}

/// Sends `input`, then waits for the show's answer about it.
async fn send_and_hear(state: &ConsoleState, input: Input, awaited: Awaited, what: String) -> Response {
    match send_watching(state, input) {
        Ok(events) => heard(what, &hear(state, events, &awaited).await, None),
        Err(e) => e.into_response(),
    }
}

/// `POST /api/obs/{start-streaming|stop-streaming|start-recording|stop-recording}`: OBS's outputs. OBS's own
/// answer comes back as the OBS link's health report; the action waits briefly for it.
pub(crate) async fn obs_control(
    State(state): State<ConsoleState>,
    axum::extract::Path(action): axum::extract::Path<String>,
    body: Body,
) -> Response {
    use crate::obs::ObsControl;
    let sent = (|| {
        read::<NoFields>(body)?;
        let (control, name, request) = match action.as_str() {
            "start-streaming" => (ObsControl::StartStreaming, "StartStreaming", "StartStream"),
            "stop-streaming" => (ObsControl::StopStreaming, "StopStreaming", "StopStream"),
            "start-recording" => (ObsControl::StartRecording, "StartRecording", "StartRecord"),
            "stop-recording" => (ObsControl::StopRecording, "StopRecording", "StopRecord"),
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
        let events = state.0.events.subscribe();
        match obs.try_send(control) {
            Ok(()) => Ok((events, Awaited::Obs { name, request })),
            Err(TrySendError::Full(_)) => {
                Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "OBS is busy with earlier requests; try again"))
            }
            Err(TrySendError::Closed(_)) => {
                Err(ApiError::status(StatusCode::SERVICE_UNAVAILABLE, "the OBS link has stopped; nothing was sent"))
            }
        }
    })();
    match sent {
        Ok((events, awaited)) => heard(format!("OBS: {action}"), &hear(&state, events, &awaited).await, None),
        Err(e) => e.into_response(),
    }
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
            field: Some(Cow::Borrowed("line")),
        });
    }
    Ok(id)
}

pub(crate) async fn approve(
    State(state): State<ConsoleState>,
    Extension(actor): Extension<Actor>,
    Path(line): Path<String>,
    body: Body,
) -> Response {
    let line = match read::<NoFields>(body).and_then(|_| pending_line(&state, &line)) {
        Ok(line) => line,
        Err(e) => return e.into_response(),
    };
    let input = Input::ApproveReply { line, by: actor.account().to_string() };
    send_and_hear(&state, input, Awaited::Approve(line), format!("approve {line}")).await
}

pub(crate) async fn edit(
    State(state): State<ConsoleState>,
    Extension(actor): Extension<Actor>,
    Path(line): Path<String>,
    body: Body,
) -> Response {
    let checked = (|| -> Result<_, ApiError> {
        let text = read::<request::Edit>(body)?.text.required_text("text")?;
        Ok((pending_line(&state, &line)?, text))
    })();
    let (line, text) = match checked {
        Ok(checked) => checked,
        Err(e) => return e.into_response(),
    };
    let input = Input::EditReply { line, text, by: actor.account().to_string() };
    send_and_hear(&state, input, Awaited::Edit(line), format!("edit {line}")).await
}

pub(crate) async fn reject(State(state): State<ConsoleState>, Path(line): Path<String>, body: Body) -> Response {
    let line = match read::<NoFields>(body).and_then(|_| pending_line(&state, &line)) {
        Ok(line) => line,
        Err(e) => return e.into_response(),
    };
    send_and_hear(&state, Input::RejectReply { line }, Awaited::Reject(line), format!("reject {line}")).await
}

/// "Say this now". The show checks the words like any other line and answers every say-now, in order: queued
/// as a line (it airs after the current sentence) or refused with the words and the rule that failed.
pub(crate) async fn say(State(state): State<ConsoleState>, Extension(actor): Extension<Actor>, body: Body) -> Response {
    let checked = (|| {
        let say = read::<request::Say>(body)?;
        let text = say.text.required_text("text")?;
        let lang = match say.lang.text().as_deref() {
            None => None,
            Some("en") => Some(Lang::En),
            Some("zh") => Some(Lang::Zh),
            Some(other) => return Err(ApiError::field("lang", format!("lang {other:?} is not \"en\" or \"zh\""))),
        };
        // The waiter joins the queue under the same lock as the send, so answers are matched in the show's order.
        let mut waiters = state.0.say_waiters.lock().unwrap_or_else(|p| p.into_inner());
        send(&state, Input::SayNow { text: text.clone(), lang, by: actor.account().to_string() })?;
        Ok((waiters.push(text.clone()), text))
    })();
    let (answer, text) = match checked {
        Ok(waiting) => waiting,
        Err(e) => return e.into_response(),
    };
    let outcome = match tokio::time::timeout(state.0.limits.outcome_wait, answer).await {
        Ok(Ok(outcome)) => outcome,
        _ => Awaited::SayNow { text }.not_answered(),
    };
    heard("say now", &outcome, None)
}

/// An action with no fields (the body is still read, so the size limit and JSON check hold everywhere): sends
/// `input` and waits for the show's report of it.
async fn simple_heard(state: &ConsoleState, body: Body, input: Input, awaited: Awaited, what: &str) -> Response {
    if let Err(e) = read::<NoFields>(body) {
        return e.into_response();
    }
    send_and_hear(state, input, awaited, what.to_string()).await
}

pub(crate) async fn abort_line(State(state): State<ConsoleState>, body: Body) -> Response {
    simple_heard(&state, body, Input::AbortLine, Awaited::Abort, "abort the line on air").await
}

pub(crate) async fn cancel_next(State(state): State<ConsoleState>, body: Body) -> Response {
    simple_heard(&state, body, Input::CancelNext, Awaited::CancelNext, "cancel the next line").await
}

pub(crate) async fn unpin(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("unpin", "unpin refused: ");
    simple_heard(&state, body, Input::UnpinProduct, awaited, "unpin").await
}

pub(crate) async fn next_product(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("next product: ", "next product refused: ");
    simple_heard(&state, body, Input::SkipProduct { forward: true }, awaited, "next product").await
}

pub(crate) async fn previous_product(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("previous product: ", "previous product refused: ");
    simple_heard(&state, body, Input::SkipProduct { forward: false }, awaited, "previous product").await
}

pub(crate) async fn hand_over(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("hand-over: ", "hand-over refused: ");
    simple_heard(&state, body, Input::HandOverToHuman, awaited, "hand over to a human host").await
}

pub(crate) async fn pace_plain(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("pace: ", "pace refused: ");
    simple_heard(&state, body, Input::SetPace(model::Pace::Plain), awaited, "slow, plain speech").await
}

pub(crate) async fn pace_usual(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("pace: ", "pace refused: ");
    simple_heard(&state, body, Input::SetPace(model::Pace::Usual), awaited, "the usual pace").await
}

pub(crate) async fn take_back(State(state): State<ConsoleState>, body: Body) -> Response {
    let awaited = Awaited::note("take-back: ", "take-back refused: ");
    simple_heard(&state, body, Input::TakeBack, awaited, "the AI host takes back").await
}

pub(crate) async fn pin(State(state): State<ConsoleState>, body: Body) -> Response {
    let product = match read::<request::ForProduct>(body).and_then(|r| product(&state, r.product)) {
        Ok(product) => product.id,
        Err(e) => return e.into_response(),
    };
    let awaited = Awaited::note(format!("pinned {product}: "), format!("pin {product} refused: "));
    send_and_hear(&state, Input::PinProduct(product.clone()), awaited, format!("pin {product}")).await
}

/// `POST /api/override/clear`: the console's price and stock on a product give way to the product file's again.
pub(crate) async fn clear_override(State(state): State<ConsoleState>, body: Body) -> Response {
    let product = match read::<request::ForProduct>(body).and_then(|r| product(&state, r.product)) {
        Ok(product) => product.id,
        Err(e) => return e.into_response(),
    };
    let awaited = Awaited::note(
        format!("cleared the console's changes to {product}: "),
        format!("nothing to clear on {product}: "),
    );
    let what = format!("clear the console's changes to {product}");
    send_and_hear(&state, Input::ClearOverride { product: product.clone() }, awaited, what).await
}

pub(crate) async fn stock(
    State(state): State<ConsoleState>,
    Extension(actor): Extension<Actor>,
    body: Body,
) -> Response {
    let checked = (|| -> Result<(Input, Awaited, String), ApiError> {
        let request = read::<request::Stock>(body)?;
        let product = product(&state, request.product)?;
        let stock = match request.stock {
            Field::Absent => {
                return Err(ApiError::field("stock", "stock is missing; send a whole number, or null when unknown"));
            }
            Field::Empty => None,
            Field::Given(n) => {
                Some(u32::try_from(n.0).map_err(|_| ApiError::field("stock", format!("stock {} is too large", n.0)))?)
            }
        };
        let shown = stock.map_or("unknown".to_string(), |s| s.to_string());
        let what = format!("stock of {} is {shown}", product.id);
        let awaited = Awaited::note(format!("stock of {}: ", product.id), format!("stock of {} refused: ", product.id));
        Ok((Input::StockChanged { product: product.id.clone(), stock, by: actor.account().to_string() }, awaited, what))
    })();
    match checked {
        Ok((input, awaited, what)) => send_and_hear(&state, input, awaited, what).await,
        Err(e) => e.into_response(),
    }
}

/// The `confirm` step shared by price changes and flash sales. Without `confirm` (or with one that is expired,
/// unknown or for different values) the answer is `Some` 409 with a preview and a fresh single-use token; with
/// the token of exactly this change it is `None`, and the caller sends the input.
fn confirmed(
    state: &ConsoleState,
    confirm: Field<ConfirmToken>,
    fingerprint: String,
    preview: Value,
) -> Result<Option<Response>, ApiError> {
    let presented = confirm.given().map(|token| token.0);
    let now = std::time::Instant::now();
    let mut confirmations = state.0.confirmations.lock().unwrap_or_else(|p| p.into_inner());
    confirmations.retain(|_, c| c.expires > now);
    let stale = match presented {
        Some(token) => match confirmations.remove(&token) {
            Some(c) if c.fingerprint == fingerprint => return Ok(None),
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
    Ok(Some((StatusCode::CONFLICT, axum::Json(body)).into_response()))
}

fn shown(money: Option<&Money>) -> Value {
    money.map_or(Value::Null, |m| json!(m.display()))
}

pub(crate) async fn price(
    State(state): State<ConsoleState>,
    Extension(actor): Extension<Actor>,
    body: Body,
) -> Response {
    let checked = (|| -> Result<Result<(Input, Awaited, String), Response>, ApiError> {
        let request = read::<request::Price>(body)?;
        let product = product(&state, request.product)?;
        let currency = &product.price.currency;
        let price = match request.price.given() {
            None => return Err(ApiError::field("price", "price is missing; send it like \"149.00\"")),
            Some(amount) => money(amount, "price", currency)?,
        };
        // Absent keeps the reference price the product has; null or "" removes it.
        let compare_at = match request.compare_at {
            Field::Absent => product.compare_at.clone(),
            Field::Empty => None,
            Field::Given(amount) => Some(money(amount, "compare_at", currency)?),
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
        if let Some(preview) = confirmed(&state, request.confirm, fingerprint, preview)? {
            return Ok(Err(preview));
        }
        let what = format!("price of {} is {}", product.id, price.display());
        let awaited = Awaited::note(format!("price of {}: ", product.id), format!("price of {} refused: ", product.id));
        let by = actor.account().to_string();
        Ok(Ok((Input::PriceChanged { product: product.id.clone(), price, compare_at, by }, awaited, what)))
    })();
    match checked {
        Ok(Ok((input, awaited, what))) => send_and_hear(&state, input, awaited, what).await,
        Ok(Err(preview)) => preview,
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn start_flash_sale(
    State(state): State<ConsoleState>,
    Extension(actor): Extension<Actor>,
    body: Body,
) -> Response {
    let checked = (|| {
        let request = read::<request::FlashSale>(body)?;
        let product = product(&state, request.product)?;
        let price = match request.price.given() {
            None => return Err(ApiError::field("price", "price is missing; send the sale price like \"99.00\"")),
            Some(amount) => money(amount, "price", &product.price.currency)?,
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
        // What the moderator asked for, as they wrote it: the same request again confirms the same sale.
        let when;
        let (ends_at, how_long) = match (request.ends_at.given(), request.minutes.given()) {
            (Some(ends), None) => {
                when = format!("ends_at {}", ends.text);
                (ends.at, format!("until {}", ends.text))
            }
            (None, Some(minutes)) => {
                let minutes = minutes.0;
                if minutes == 0 || minutes as i64 * 60 > MAX_FLASH_SALE_SECS {
                    return Err(ApiError::field("minutes", "minutes must be from 1 to 1440"));
                }
                when = format!("minutes {minutes}");
                (UnixMs(now.0 + minutes as i64 * 60_000), format!("for {minutes} min"))
            }
            (Some(_), Some(_)) => return Err(ApiError::field("ends_at", "send ends_at or minutes, not both")),
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
        let fingerprint = format!("flash|{}|{}|{when}", product.id.0, price.minor);
        if let Some(preview) = confirmed(&state, request.confirm, fingerprint, preview)? {
            return Ok(Err(preview));
        }
        let what = format!("flash sale on {} at {}", product.id, price.display());
        let input =
            Input::StartFlashSale { product: product.id.clone(), price, ends_at, by: actor.account().to_string() };
        Ok(Ok((input, Awaited::FlashSaleStart(product.id.clone()), what)))
    })();
    match checked {
        Ok(Ok((input, awaited, what))) => send_and_hear(&state, input, awaited, what).await,
        Ok(Err(preview)) => preview,
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn stop_flash_sale(State(state): State<ConsoleState>, body: Body) -> Response {
    let product = match read::<request::ForProduct>(body).and_then(|r| product(&state, r.product)) {
        Ok(product) => product.id,
        Err(e) => return e.into_response(),
    };
    let what = format!("stop the flash sale on {product}");
    send_and_hear(&state, Input::StopFlashSale { product: product.clone() }, Awaited::FlashSaleStop(product), what)
        .await
}

/// Sends the ban, then records it. A ban that reached the show but could not be saved still stands for this
/// show; the answer says it will not survive a restart.
async fn block(state: &ConsoleState, viewer: request::Viewer, until: Option<UnixMs>) -> Answer {
    let user_id = viewer.user_id.required_text("user_id")?;
    let user_name = viewer.user_name.text().unwrap_or_else(|| user_id.clone());
    send(state, Input::BanViewer { user_id: user_id.clone() })?;
    let now = wall_now();
    let saved = match state.0.store.as_ref() {
        Some(store) => store.block_viewer(&user_id, &user_name, until, now).await,
        None => Ok(()),
    };
    let warning = saved.err().map(|e| {
        tracing::warn!("a ban could not be saved: {e}");
        format!("the ban holds for this show but was not saved ({e}); it ends when the show restarts")
    });
    let viewer = BlockedViewer { user_id: user_id.clone(), user_name, since: now, until };
    state.moderation().blocked.insert(user_id.clone(), viewer);
    state.announce_moderation();
    // The console keeps the ban itself (the viewer gate reads it), so it is done once recorded here.
    let (what, message) = match until {
        None => (format!("ban {user_id}"), format!("Banned {user_id}: their comments no longer reach the host")),
        Some(u) => {
            let until = crate::store::rfc3339(u);
            (format!("time out {user_id} until {until}"), format!("Timed out {user_id} until {until}"))
        }
    };
    Ok(heard(what, &Outcome::done(message), warning))
}

pub(crate) async fn ban(State(state): State<ConsoleState>, body: Body) -> Response {
    let viewer = match read::<request::Viewer>(body) {
        Ok(viewer) => viewer,
        Err(e) => return e.into_response(),
    };
    finish(block(&state, viewer, None).await)
}

pub(crate) async fn timeout(State(state): State<ConsoleState>, body: Body) -> Response {
    let checked = (|| {
        let request = read::<request::Timeout>(body)?;
        let Some(seconds) = request.seconds.given().map(|s| s.0) else {
            return Err(ApiError::field("seconds", "seconds is missing; say how long the time-out lasts"));
        };
        if seconds == 0 || seconds > MAX_TIMEOUT_SECS {
            return Err(ApiError::field("seconds", format!("seconds must be from 1 to {MAX_TIMEOUT_SECS} (7 days)")));
        }
        Ok((request::Viewer { user_id: request.user_id, user_name: request.user_name }, seconds))
    })();
    match checked {
        Ok((viewer, seconds)) => {
            finish(block(&state, viewer, Some(UnixMs(wall_now().0 + seconds as i64 * 1000))).await)
        }
        Err(e) => e.into_response(),
    }
}

pub(crate) async fn unblock(State(state): State<ConsoleState>, body: Body) -> Response {
    let user_id = match read::<request::Viewer>(body).and_then(|r| r.user_id.required_text("user_id")) {
        Ok(user_id) => user_id,
        Err(e) => return e.into_response(),
    };
    let was = state.moderation().blocked.remove(&user_id).is_some();
    let saved = match state.0.store.as_ref() {
        Some(store) => match store.unblock_viewer(&user_id).await {
            Ok(saved) => saved,
            Err(e) => {
                let why = format!("the store refused the change: {e}");
                return ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, why).into_response();
            }
        },
        None => false,
    };
    if !was && !saved {
        return ApiError::field("user_id", format!("{user_id:?} is neither banned nor timed out")).into_response();
    }
    state.announce_moderation();
    // The director has no "unban": its ban only cleared the queue, and new comments pass the intake again.
    axum::Json(json!({ "ok": true, "sent": Value::Null, "unblocked": user_id })).into_response()
}

/// A viewer's "don't remember me", relayed by a moderator: the store forgets them and keeps only the refusal.
pub(crate) async fn forget_viewer(State(state): State<ConsoleState>, body: Body) -> Response {
    let user_id = match read::<request::Viewer>(body).and_then(|r| r.user_id.required_text("user_id")) {
        Ok(user_id) => user_id,
        Err(e) => return e.into_response(),
    };
    let Some(store) = state.0.store.as_ref() else {
        return ApiError::status(
            StatusCode::NOT_IMPLEMENTED,
            "this console runs without a store, so it remembers no viewers",
        )
        .into_response();
    };
    if let Err(e) = store.forget_viewer(&user_id).await {
        let why = format!("the store refused the change: {e}");
        return ApiError::status(StatusCode::INTERNAL_SERVER_ERROR, why).into_response();
    }
    axum::Json(json!({ "ok": true, "sent": Value::Null, "forgotten": user_id })).into_response()
}

pub(crate) async fn delete_comment(State(state): State<ConsoleState>, body: Body) -> Response {
    finish((|| {
        let id = CommentId(read::<request::DeleteComment>(body)?.id.required_text("id")?);
        send(&state, Input::DeleteComment(id.clone()))?;
        state.0.live.lock().unwrap_or_else(|p| p.into_inner()).mark_deleted(&id);
        let _ = state.0.local.send(json!({ "type": "comment_deleted", "id": id.0 }));
        let message = format!("Deleted comment {}: it is off the page and out of the host's questions", id.0);
        Ok(heard(format!("delete comment {}", id.0), &Outcome::done(message), None))
    })())
}

pub(crate) async fn set_moderation(State(state): State<ConsoleState>, body: Body) -> Response {
    let checked = (|| -> Result<_, ApiError> {
        let request = read::<request::SetModeration>(body)?;
        let code = request.intent.required_text("intent")?;
        let intent = INTENTS.iter().copied().find(|&i| intent_code(i) == code).ok_or_else(|| {
            let all: Vec<String> = INTENTS.iter().map(|&i| intent_code(i)).collect();
            ApiError::field("intent", format!("intent {code:?} is not one of {}", all.join(", ")))
        })?;
        let mode_text = request.mode.required_text("mode")?;
        let mode = ModerationMode::parse(&mode_text).ok_or_else(|| {
            ApiError::field("mode", format!("mode {mode_text:?} is not auto, approve_first or human_only"))
        })?;
        let events = send_watching(&state, Input::SetModeration { intent, mode })?;
        Ok((events, intent, mode, format!("{code} replies are {}", mode.as_str())))
    })();
    let (events, intent, mode, what) = match checked {
        Ok(checked) => checked,
        Err(e) => return e.into_response(),
    };
    let saved = match state.0.store.as_ref() {
        Some(store) => store.set_moderation_mode(intent, mode, wall_now()).await,
        None => Ok(()),
    };
    let warning = saved
        .err()
        .map(|e| format!("the mode holds for this show but was not saved ({e}); it resets when the show restarts"));
    state.moderation().modes.insert(super::intent_index(intent), mode);
    state.announce_moderation();
    heard(what, &hear(&state, events, &Awaited::Moderation(intent)).await, warning)
}

/// Who is acting: a named account is itself (a `moderator` field naming someone else is refused); on the shared
/// token, the `moderator` field or the name the browser session logged in with.
fn moderator(
    state: &ConsoleState,
    principal: &Principal,
    actor: &Actor,
    named: Field<Text<MAX_NAME_CHARS>>,
) -> Result<String, ApiError> {
    let named = named.text();
    if !actor.is_shared() {
        return match named {
            Some(other) if other != actor.account() => Err(ApiError::field(
                "moderator",
                format!("you are logged in as {}; act as yourself (leave \"moderator\" out)", actor.account()),
            )),
            _ => Ok(actor.account().to_string()),
        };
    }
    let session = match principal {
        Principal::Session { id, .. } => state.session_name(id),
        Principal::Bearer => None,
    };
    named.or(session).ok_or_else(|| {
        ApiError::field("moderator", "say who you are: log in with your name, or send \"moderator\": \"your name\"")
    })
}

/// `POST /api/escalations/{claim|release|handled}` with `{"id": "comment id", "platform"?, "moderator"?,
/// "take_over"?}`: a moderator takes an escalated comment, lets it go, or marks it handled. The step, the moderator
/// and the time go to the audit log as a moderator action and to every open page.
pub(crate) async fn escalation(
    State(state): State<ConsoleState>,
    Path(action): Path<String>,
    Extension(principal): Extension<Principal>,
    Extension(actor): Extension<Actor>,
    body: Body,
) -> Response {
    finish(
        async {
            let request = read::<request::Escalation>(body)?;
            let step = match action.as_str() {
                "claim" => Step::Claim { take_over: request.take_over.given().is_some_and(|flag| flag.0) },
                "release" => Step::Release,
                "handled" => Step::Handled,
                other => {
                    return Err(ApiError::status(
                        StatusCode::NOT_FOUND,
                        format!("no escalation action `{other}`; use claim, release or handled"),
                    ));
                }
            };
            let id = request.id.required_text("id")?;
            let platform = request.platform.text();
            let by = moderator(&state, &principal, &actor, request.moderator)?;
            let (comment, listed) = {
                let live = state.0.live.lock().unwrap_or_else(|p| p.into_inner());
                let matching: Vec<&model::Comment> = live
                    .escalations
                    .iter()
                    .map(|e| &e.comment)
                    .filter(|c| c.id.0 == id)
                    .filter(|c| platform.as_ref().is_none_or(|p| escalations::key(c).starts_with(&format!("{p}:"))))
                    .collect();
                let comment = match matching[..] {
                    [one] => one.clone(),
                    [] => {
                        return Err(ApiError::field(
                            "id",
                            format!("no escalated comment with id {id:?} (the console lists the last 100)"),
                        ));
                    }
                    _ => {
                        return Err(ApiError::field(
                            "platform",
                            format!("comments on several platforms have id {id:?}; say which platform"),
                        ));
                    }
                };
                let listed: Vec<String> = live.escalations.iter().map(|e| escalations::key(&e.comment)).collect();
                (comment, listed)
            };
            let key = escalations::key(&comment);
            let now = wall_now();
            let handling = {
                let mut handling = state.0.escalations.lock().unwrap_or_else(|p| p.into_inner());
                let result = handling.apply(&key, step, &by, now);
                handling.keep_only(&listed);
                result.map_err(|why| ApiError::status(StatusCode::CONFLICT, why))?
            };
            let words: String = comment.text.chars().take(80).collect();
            let action = format!(
                "escalation {key} ({}: \"{words}\") {} by {by} at {}",
                comment.user_name,
                step.verb(),
                crate::store::rfc3339(now)
            );
            // The step is a moderator action like the show's own notes: written to the audit log (through the
            // console's own connection, not the director's broadcast, so it never passes for a sign of the director's
            // life in /healthz), listed with the moderator actions, and sent to every open page.
            let note = ConsoleEvent::ModeratorAction { action: action.clone() };
            let typed = crate::store::EscalationStep { key: key.clone(), step: step.code().into(), by: by.clone() };
            let warning = match state.0.store.as_ref() {
                Some(store) => store.record_escalation_step(&note, typed, now).await.err().map(|e| {
                    tracing::warn!("an escalation step could not be written to the audit log: {e}");
                    format!("the step holds, but the audit log refused it ({e})")
                }),
                None => Some("this console runs without a store, so the step is not in the audit log".to_string()),
            };
            state.0.live.lock().unwrap_or_else(|p| p.into_inner()).apply(&note, now);
            let _ = state.0.local.send(json!({ "type": "event", "event": note }));
            let _ = state.0.local.send(json!({
                "type": "escalation", "platform": comment.platform, "id": comment.id.0, "handling": handling,
            }));
            let done = match step {
                Step::Claim { .. } => "Claimed",
                Step::Release => "Released",
                Step::Handled => "Marked handled",
            };
            let outcome = Outcome::done(format!("{done} by {by}"));
            let mut body = outcome.fields();
            body["ok"] = json!(true);
            body["sent"] = json!(action);
            body["handling"] = json!(handling);
            if let Some(warning) = warning {
                body["warning"] = json!(warning);
            }
            Ok::<_, ApiError>(axum::Json(body).into_response())
        }
        .await,
    )
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
