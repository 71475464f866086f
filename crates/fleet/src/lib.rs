//! The fleet: many rooms across machines, on engines built for it rather than a cluster of our own.
//!
//! - [`lease`]: which worker runs which room. A room is held through a key in a JetStream key-value bucket whose
//!   entries expire (`max_age`); a worker takes a free room with a create (it fails if the key exists) and keeps
//!   it by updating the key with the revision it last wrote (compare-and-set) well inside the expiry. A worker that
//!   dies stops updating; its keys expire and another worker's create succeeds.
//! - [`bus`]: the JetStream streams. Comments in (`shopcast.room.<id>.comments`, the ingest's JSON), console
//!   commands in (`shopcast.room.<id>.commands`), the room's events out (`shopcast.room.<id>.events`, aired lines
//!   with a message id made of the room, the lease and the line, so a retried publish is stored once).
//! - [`pg`]: what must be kept, in PostgreSQL: the rooms (show config, products, scene), the audit log with the
//!   single-machine store's columns and hash chain (one chain per room, partitioned by month, append-only by a
//!   trigger), migrations run at start.
//! - [`room`]: one room on a worker: the director's show loop with a templates or LLM writer, no stage (voice,
//!   captions and events only), comments from its durable consumer, the audit written to PostgreSQL behind an
//!   in-memory queue that outlives a database outage.
//! - [`worker`]: the loop that takes rooms up to `--max-rooms`, renews their leases, and stops those it lost.
//! - [`console`]: one page for the whole fleet: every room's health, viewers, line on air and last escalation, and
//!   the kill switch.
//! - [`keeper`]: what a room's own console keeps in PostgreSQL: the fleet's named accounts, scoped to rooms, and
//!   each room's moderation (modes, bans, time-outs).
//! - [`room_console`]: each room's own console (the single-machine page and API) on its worker, under
//!   `/rooms/<id>/`, relayed by the fleet console to whichever worker holds the room.
//! - [`stage_feed`]: a room's stage commands (captions, offer, visemes, the voice's audio) for renderers
//!   elsewhere (`shopcast fleet render`), and what is on screen for one that joins late.
//! - [`bench`]: how many rooms one worker keeps in real time, and what each costs.
//!
//! The director knows nothing of this: a room is the same `Show` the single-machine show runs.

/// The NATS client the fleet is built on, for tools and tests that read its subjects.
pub use async_nats;

pub mod bench;
pub mod bus;
pub mod console;
pub mod keeper;
pub mod lease;
pub mod pg;
mod relay;
pub mod retention;
pub mod room;
pub mod room_console;
pub mod stage_feed;
pub mod worker;

use std::fmt;

/// A room's name: 1 to 64 of `a-z`, `0-9`, `-` and `_`, so it is a valid NATS subject token and key-value key
/// as it stands.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RoomId(String);

impl RoomId {
    pub fn parse(text: &str) -> Result<RoomId, String> {
        let ok = (1..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
        if ok {
            Ok(RoomId(text.to_string()))
        } else {
            Err(format!(
                "room id {text:?} is not allowed: use 1 to 64 lower-case letters, digits, '-' or '_' (it becomes \
                 part of NATS subjects)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for RoomId {
    type Error = String;
    fn try_from(text: String) -> Result<RoomId, String> {
        RoomId::parse(&text)
    }
}

impl From<RoomId> for String {
    fn from(id: RoomId) -> String {
        id.0
    }
}

impl fmt::Display for RoomId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Connects to NATS (retrying while the server is not up yet) and opens JetStream.
pub async fn jetstream(url: &str, name: &str) -> Result<async_nats::jetstream::Context, FleetError> {
    let client = async_nats::ConnectOptions::new()
        .name(name)
        .connect(url)
        .await
        .map_err(|e| FleetError::nats(format!("{url}: {e}")))?;
    Ok(async_nats::jetstream::new(client))
}

/// What went wrong talking to NATS or PostgreSQL, in words for the operator's log.
#[derive(Debug, thiserror::Error)]
pub enum FleetError {
    #[error("NATS: {0}")]
    Nats(String),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("{0}")]
    Other(String),
}

impl FleetError {
    pub(crate) fn nats(e: impl fmt::Display) -> FleetError {
        FleetError::Nats(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_ids_are_subject_tokens() {
        for good in ["a", "room-1", "shop_2024", &"x".repeat(64)] {
            assert!(RoomId::parse(good).is_ok(), "{good}");
        }
        for bad in ["", "Room", "a.b", "a b", "a*", "a>", "房间", &"x".repeat(65)] {
            let e = RoomId::parse(bad).unwrap_err();
            assert!(e.contains("lower-case"), "{bad}: {e}");
        }
    }
}
