//! The console's request bodies: one derived type per action, and the one adapter ([`read`]) that turns a body
//! into it or into the 400 the console always answers, `{"error": "...", "field": "<name>"}`.
//!
//! Every field is a [`Field`], so a missing field is the handler's to word ("price is missing; send it like
//! \"149.00\"") and a field serde refuses is named from the path it failed at: the field types below word their
//! own refusals ("must be a whole number"), and [`read`] puts the field's name in front. Unknown fields are
//! ignored, so pages and scripts may send more than an action reads.

use super::MAX_BODY_BYTES;
use super::api::{ApiError, MAX_ID_CHARS, MAX_NAME_CHARS, MAX_SAY_CHARS};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::StatusCode;
use model::UnixMs;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A request body as axum hands it over: the bytes, or why they could not be read (too large).
pub(crate) type Body = Result<Bytes, BytesRejection>;

/// Reads `body` as the request `T`: within the size limit, a JSON object (an empty body is `{}`, for actions
/// without fields), and every field `T` reads of the right type. A field of the wrong type is a 400 naming it.
pub(crate) fn read<T: DeserializeOwned>(body: Body) -> Result<T, ApiError> {
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
    let value = if bytes.iter().all(u8::is_ascii_whitespace) {
        Value::Object(serde_json::Map::new())
    } else {
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value @ Value::Object(_)) => value,
            Ok(_) => return Err(ApiError::status(StatusCode::BAD_REQUEST, "the body must be a JSON object")),
            Err(e) => return Err(ApiError::status(StatusCode::BAD_REQUEST, format!("the body is not JSON: {e}"))),
        }
    };
    // Deserialising from a `Value` (not the bytes) keeps serde's "at line 1 column 9" out of the messages.
    serde_path_to_error::deserialize(value).map_err(|e| {
        let message = e.inner().to_string();
        match e.path().iter().next() {
            Some(serde_path_to_error::Segment::Map { key }) => {
                let field = key.clone();
                ApiError::named(format!("{field} {message}"), field)
            }
            // Every request type reads only named fields of an object, so this is a bug in a request type.
            _ => ApiError::status(StatusCode::BAD_REQUEST, format!("the body does not fit this action: {message}")),
        }
    })
}

/// One field of a request, told apart in three: left out, sent empty (`null` or a blank string), or given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Field<T> {
    #[default]
    Absent,
    Empty,
    Given(T),
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Field<T>, D::Error> {
        let value = Value::deserialize(deserializer)?;
        match &value {
            Value::Null => Ok(Field::Empty),
            Value::String(s) if s.trim().is_empty() => Ok(Field::Empty),
            _ => T::deserialize(value).map(Field::Given).map_err(D::Error::custom),
        }
    }
}

impl<T> Field<T> {
    /// The value, when one was given.
    pub(crate) fn given(self) -> Option<T> {
        match self {
            Field::Given(value) => Some(value),
            Field::Absent | Field::Empty => None,
        }
    }

    /// The value, or a 400 for `field` saying it is missing.
    pub(crate) fn required(self, field: &'static str) -> Result<T, ApiError> {
        self.given().ok_or_else(|| ApiError::field(field, format!("{field} is missing or empty")))
    }
}

impl<const MAX: usize> Field<Text<MAX>> {
    /// The trimmed text, when any was given.
    pub(crate) fn text(self) -> Option<String> {
        self.given().map(|t| t.0)
    }

    /// The trimmed text, or a 400 for `field` saying it is missing.
    pub(crate) fn required_text(self, field: &'static str) -> Result<String, ApiError> {
        self.required(field).map(|t| t.0)
    }
}

/// Reads the whole value as JSON first, so a field type words its own refusal instead of serde's "invalid type:
/// integer `7`, expected a string".
fn value<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
    Value::deserialize(deserializer)
}

/// A string of at most `MAX` characters, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Text<const MAX: usize>(pub(crate) String);

impl<'de, const MAX: usize> Deserialize<'de> for Text<MAX> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text<MAX>, D::Error> {
        match value(deserializer)? {
            Value::String(text) if text.trim().chars().count() > MAX => {
                Err(D::Error::custom(format!("is longer than {MAX} characters")))
            }
            Value::String(text) => Ok(Text(text.trim().to_string())),
            _ => Err(D::Error::custom("must be a string")),
        }
    }
}

/// A whole number, from a JSON number or a string of digits (HTML inputs send strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Whole(pub(crate) u64);

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Whole, D::Error> {
        let text = match value(deserializer)? {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => return Err(D::Error::custom("must be a whole number")),
        };
        if text.starts_with('-') {
            return Err(D::Error::custom(format!("is {text}; it must be 0 or more")));
        }
        text.parse::<u64>().map(Whole).map_err(|_| D::Error::custom(format!("is {text:?}; it must be a whole number")))
    }
}

/// An amount of money as the moderator wrote it, before the product's currency reads it exactly: a decimal string
/// (`"149.00"`) or a whole JSON number. A fractional JSON number is refused: it went through a float on its way
/// here and may not be the amount the moderator typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Amount(pub(crate) String);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Amount, D::Error> {
        match value(deserializer)? {
            Value::String(s) => Ok(Amount(s)),
            Value::Number(n) if n.is_u64() => Ok(Amount(n.to_string())),
            Value::Number(_) => {
                Err(D::Error::custom("must be a decimal string like \"199.00\"; fractional JSON numbers are not exact"))
            }
            _ => Err(D::Error::custom("must be an amount like \"199.00\"")),
        }
    }
}

/// A point in time written in RFC 3339, with the words it was written in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Time {
    pub(crate) at: UnixMs,
    pub(crate) text: String,
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Time, D::Error> {
        match value(deserializer)? {
            Value::String(text) => match crate::chat::time::parse_rfc3339(&text) {
                Ok(at) => Ok(Time { at, text }),
                // "\"tonight\" is not an RFC 3339 time like ...", after the field's name.
                Err(reason) => Err(D::Error::custom(reason)),
            },
            _ => Err(D::Error::custom("must be an RFC 3339 time like 2026-11-26T21:00:00+08:00")),
        }
    }
}

/// A yes or no.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Flag(pub(crate) bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Flag, D::Error> {
        match value(deserializer)? {
            Value::Bool(yes) => Ok(Flag(yes)),
            _ => Err(D::Error::custom("must be true or false")),
        }
    }
}

/// The single-use token a preview answered with (`confirm`), sent back to carry the change out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConfirmToken(pub(crate) String);

impl<'de> Deserialize<'de> for ConfirmToken {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<ConfirmToken, D::Error> {
        match value(deserializer)? {
            Value::String(token) => Ok(ConfirmToken(token.trim().to_string())),
            _ => Err(D::Error::custom("must be the token from the preview")),
        }
    }
}

/// An action without fields (abort, cancel, unpin, skip, hand over, take back, approve, reject, OBS): the body is
/// still read, so the size limit and the JSON-object check hold everywhere.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoFields {}

/// `POST /api/say`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Say {
    pub(crate) text: Field<Text<MAX_SAY_CHARS>>,
    pub(crate) lang: Field<Text<8>>,
}

/// `POST /api/replies/{line}/edit`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Edit {
    pub(crate) text: Field<Text<MAX_SAY_CHARS>>,
}

/// `POST /api/pin`, `/api/flash-sale/stop` and `/api/override/clear`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct ForProduct {
    pub(crate) product: Field<Text<MAX_ID_CHARS>>,
}

/// `POST /api/stock`: `stock` null (or blank) when unknown.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Stock {
    pub(crate) product: Field<Text<MAX_ID_CHARS>>,
    pub(crate) stock: Field<Whole>,
}

/// `POST /api/price`: `compare_at` left out keeps the product's reference price, null (or blank) removes it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Price {
    pub(crate) product: Field<Text<MAX_ID_CHARS>>,
    pub(crate) price: Field<Amount>,
    pub(crate) compare_at: Field<Amount>,
    pub(crate) confirm: Field<ConfirmToken>,
}

/// `POST /api/flash-sale/start`: an end (`ends_at`) or a length (`minutes`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct FlashSale {
    pub(crate) product: Field<Text<MAX_ID_CHARS>>,
    pub(crate) price: Field<Amount>,
    pub(crate) ends_at: Field<Time>,
    pub(crate) minutes: Field<Whole>,
    pub(crate) confirm: Field<ConfirmToken>,
}

/// `POST /api/viewers/ban`, `/api/viewers/unblock`, `/api/viewers/forget` (only `user_id` is read there).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Viewer {
    pub(crate) user_id: Field<Text<MAX_ID_CHARS>>,
    pub(crate) user_name: Field<Text<MAX_ID_CHARS>>,
}

/// `POST /api/viewers/timeout`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Timeout {
    pub(crate) user_id: Field<Text<MAX_ID_CHARS>>,
    pub(crate) user_name: Field<Text<MAX_ID_CHARS>>,
    pub(crate) seconds: Field<Whole>,
}

/// `POST /api/comments/delete`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct DeleteComment {
    pub(crate) id: Field<Text<MAX_ID_CHARS>>,
}

/// `POST /api/moderation`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SetModeration {
    pub(crate) intent: Field<Text<64>>,
    pub(crate) mode: Field<Text<32>>,
}

/// `POST /api/escalations/{claim|release|handled}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Escalation {
    pub(crate) id: Field<Text<MAX_ID_CHARS>>,
    pub(crate) platform: Field<Text<32>>,
    pub(crate) moderator: Field<Text<MAX_NAME_CHARS>>,
    pub(crate) take_over: Field<Flag>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> Body {
        Ok(Bytes::from(json.to_string()))
    }

    /// The 400 a request type's refusal becomes, as `(field, message)`.
    fn refusal<T: DeserializeOwned + std::fmt::Debug>(json: &str) -> (Option<String>, String) {
        let error = read::<T>(body(json)).expect_err(json);
        assert_eq!(error.status_code(), StatusCode::BAD_REQUEST, "{json}");
        (error.field_name().map(str::to_string), error.message().to_string())
    }

    #[test]
    fn a_field_of_the_wrong_type_is_named_with_a_message_that_says_how_to_fix_it() {
        for (json, field, words) in [
            (r#"{"text": 7}"#, "text", "text must be a string"),
            (r#"{"text": "hi", "lang": ["en"]}"#, "lang", "lang must be a string"),
        ] {
            assert_eq!(refusal::<Say>(json), (Some(field.to_string()), words.to_string()), "{json}");
        }
        for (json, field, words) in [
            (r#"{"product": "p", "stock": true}"#, "stock", "stock must be a whole number"),
            (r#"{"product": "p", "stock": -3}"#, "stock", "stock is -3; it must be 0 or more"),
            (r#"{"product": "p", "stock": "lots"}"#, "stock", "stock is \"lots\"; it must be a whole number"),
            (r#"{"product": {"id": "p"}}"#, "product", "product must be a string"),
        ] {
            assert_eq!(refusal::<Stock>(json), (Some(field.to_string()), words.to_string()), "{json}");
        }
        let (field, message) = refusal::<Price>(r#"{"product": "p", "price": 19.99}"#);
        assert_eq!(field.as_deref(), Some("price"));
        assert!(message.starts_with("price must be a decimal string like \"199.00\""), "{message}");
        let (field, message) = refusal::<FlashSale>(r#"{"ends_at": "tonight"}"#);
        assert_eq!(field.as_deref(), Some("ends_at"));
        assert!(message.contains("RFC 3339"), "{message}");
        assert_eq!(
            refusal::<Escalation>(r#"{"id": "c1", "take_over": "yes"}"#),
            (Some("take_over".into()), "take_over must be true or false".into())
        );
        let (field, message) = refusal::<Say>(&format!(r#"{{"text": "{}"}}"#, "x".repeat(501)));
        assert_eq!((field.as_deref(), message.as_str()), (Some("text"), "text is longer than 500 characters"));
    }

    #[test]
    fn fields_are_left_out_sent_empty_or_given_and_unknown_fields_are_ignored() {
        let stock: Stock = read(body(r#"{"product": " tea-set ", "stock": "12", "note": "extra"}"#)).unwrap();
        assert_eq!(stock.product.text().as_deref(), Some("tea-set"));
        assert_eq!(stock.stock, Field::Given(Whole(12)));
        assert_eq!(read::<Stock>(body(r#"{"stock": null}"#)).unwrap().stock, Field::Empty);
        assert_eq!(read::<Stock>(body(r#"{"stock": "  "}"#)).unwrap().stock, Field::Empty);
        assert_eq!(read::<Stock>(body("{}")).unwrap().stock, Field::Absent);
        // An empty body is an action without fields.
        assert_eq!(read::<Say>(body(" \n")).unwrap().text, Field::Absent);
        let missing = read::<Say>(body(r#"{"text": "   "}"#)).unwrap().text.required_text("text").unwrap_err();
        assert_eq!((missing.field_name(), missing.message()), (Some("text"), "text is missing or empty"));
    }

    #[test]
    fn a_body_that_is_not_a_json_object_is_refused_whole() {
        for json in ["[1, 2]", "\"say\"", "{\"text\": "] {
            let error = read::<Say>(body(json)).expect_err(json);
            assert_eq!((error.status_code(), error.field_name()), (StatusCode::BAD_REQUEST, None), "{json}");
        }
    }
}
