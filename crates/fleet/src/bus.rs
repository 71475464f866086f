//! The fleet's JetStream streams and subjects.
//!
//! | stream              | subjects                        | what                                                  |
//! |---------------------|---------------------------------|-------------------------------------------------------|
//! | `SHOPCAST_COMMENTS` | `shopcast.room.<id>.comments`   | viewer comments, one ingest item (docs/INGEST.md) each |
//! | `SHOPCAST_COMMANDS` | `shopcast.room.<id>.commands`   | console commands for a room ([`Command`])              |
//! | `SHOPCAST_EVENTS`   | `shopcast.room.<id>.events`     | the room's console events, aired lines among them      |
//! | (none, plain NATS)  | `shopcast.room.<id>.status`     | how the room is ([`crate::room::RoomStatus`]), every 2 s |
//!
//! Comments and commands are read through a durable consumer per room (`comments-<id>`, `commands-<id>`), so what
//! arrives while no worker holds the room waits for the next one. Events carry a `Nats-Msg-Id`; JetStream drops a
//! second message with the same id inside its duplicate window, so a retried publish is stored once.

use crate::{FleetError, RoomId};
use async_nats::jetstream::{self, consumer, stream};
use std::time::Duration;

pub const COMMENTS_STREAM: &str = "SHOPCAST_COMMENTS";
pub const COMMANDS_STREAM: &str = "SHOPCAST_COMMANDS";
pub const EVENTS_STREAM: &str = "SHOPCAST_EVENTS";

/// How long an unacknowledged comment waits before JetStream hands it out again.
pub const ACK_WAIT: Duration = Duration::from_secs(30);

/// The most comments one room holds unacknowledged.
pub const MAX_IN_HAND: i64 = 20_000;

pub fn comments_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.comments")
}

pub fn commands_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.commands")
}

pub fn events_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.events")
}

/// Where a room says how it is, every few seconds, in plain NATS (no stream: only the latest matters).
pub fn status_subject(room: &RoomId) -> String {
    format!("shopcast.room.{room}.status")
}

/// Every room's status, for the fleet console.
pub const ALL_STATUS: &str = "shopcast.room.*.status";

/// A console command for one room, as JSON on its commands subject.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// The host says these words next (through the gate, like every line).
    SayNow {
        text: String,
        by: String,
    },
    /// The standby card: the AI stops talking and a human takes over (the kill switch sends it to many rooms).
    HandOverToHuman {
        by: String,
    },
    /// The AI host comes back.
    TakeBack {
        by: String,
    },
    /// The stock the host and the card say (`null`: not said), over the file's, until cleared.
    SetStock {
        product: String,
        stock: Option<u32>,
        by: String,
    },
    /// Hold the host on this product.
    Pin {
        product: String,
    },
    Unpin,
}

/// Makes the three streams if they are not there (every worker and tool calls this; it is idempotent).
pub async fn ensure_streams(js: &jetstream::Context) -> Result<(), FleetError> {
    let day = Duration::from_secs(24 * 3600);
    let streams = [
        (COMMENTS_STREAM, "shopcast.room.*.comments", day, "viewer comments per room"),
        (COMMANDS_STREAM, "shopcast.room.*.commands", day, "console commands per room"),
        (EVENTS_STREAM, "shopcast.room.*.events", Duration::from_secs(3600), "what each room said and did"),
    ];
    for (name, subject, max_age, description) in streams {
        js.get_or_create_stream(stream::Config {
            name: name.to_string(),
            description: Some(format!("shopcast: {description}")),
            subjects: vec![subject.to_string()],
            max_age,
            duplicate_window: Duration::from_secs(120),
            ..Default::default()
        })
        .await
        .map_err(|e| FleetError::nats(format!("stream {name}: {e}")))?;
    }
    Ok(())
}

/// The room's durable consumer on `stream` for `subject`: it remembers what was acknowledged across workers.
pub async fn durable(
    js: &jetstream::Context,
    stream: &str,
    name: &str,
    subject: String,
) -> Result<consumer::PullConsumer, FleetError> {
    let stream = js.get_stream(stream).await.map_err(FleetError::nats)?;
    stream
        .get_or_create_consumer(
            name,
            consumer::pull::Config {
                durable_name: Some(name.to_string()),
                filter_subject: subject,
                ack_policy: consumer::AckPolicy::Explicit,
                ack_wait: ACK_WAIT,
                // A room holds each comment until its director is done with it (up to a question's age limit):
                // a busy room has thousands in hand at once. Past this, JetStream waits to deliver more.
                max_ack_pending: MAX_IN_HAND,
                ..Default::default()
            },
        )
        .await
        .map_err(FleetError::nats)
}

/// Publishes a comment (an ingest item, JSON) for `room` and waits for JetStream to store it.
pub async fn publish_comment(
    js: &jetstream::Context,
    room: &RoomId,
    item: &serde_json::Value,
) -> Result<(), FleetError> {
    publish_stored(js, comments_subject(room), item).await
}

/// Publishes a command for `room` and waits for JetStream to store it.
pub async fn publish_command(js: &jetstream::Context, room: &RoomId, command: &Command) -> Result<(), FleetError> {
    publish_stored(js, commands_subject(room), command).await
}

/// `value` as JSON on `subject`, returning once JetStream has stored it.
async fn publish_stored(
    js: &jetstream::Context,
    subject: String,
    value: &impl serde::Serialize,
) -> Result<(), FleetError> {
    let payload = serde_json::to_vec(value).map_err(|e| FleetError::Other(e.to_string()))?;
    js.publish(subject, payload.into()).await.map_err(FleetError::nats)?.await.map_err(FleetError::nats)?;
    Ok(())
}
