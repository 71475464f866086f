//! Room leases in a JetStream key-value bucket (see the crate's documentation for the protocol).

use crate::{FleetError, RoomId};
use async_nats::jetstream::{self, kv, stream};
use std::time::Duration;

/// The bucket that holds one key per running room.
pub const BUCKET: &str = "shopcast_leases";

/// What a lease's value says: which worker holds the room and since when (milliseconds since the epoch).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Holder {
    pub worker: String,
    pub since_ms: i64,
}

/// A room this worker holds: the revision it last wrote, which the next renewal must match. `epoch` is the
/// revision it was taken with: it tells this holding apart from every earlier and later one (line ids are
/// stamped with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub room: RoomId,
    pub revision: u64,
    pub epoch: u64,
}

/// One worker's view of the bucket.
pub struct Leases {
    kv: kv::Store,
    worker: String,
    ttl: Duration,
}

impl Leases {
    /// Opens (or makes) the bucket, whose entries expire `ttl` after they were last written.
    pub async fn open(js: &jetstream::Context, worker: &str, ttl: Duration) -> Result<Leases, FleetError> {
        let kv = match js.get_key_value(BUCKET).await {
            Ok(kv) => kv,
            Err(_) => {
                // The bucket's stream, made as the client's create_key_value would make it. That call first reads
                // the account's limits in a form Debian's server (2.9) does not send, so the stream is made here.
                js.get_or_create_stream(stream::Config {
                    name: format!("KV_{BUCKET}"),
                    description: Some("shopcast: which worker runs which room".to_string()),
                    subjects: vec![format!("$KV.{BUCKET}.>")],
                    max_messages_per_subject: 1,
                    max_age: ttl,
                    // The duplicate window may not be longer than the entries live.
                    duplicate_window: ttl.min(Duration::from_secs(120)),
                    allow_rollup: true,
                    deny_delete: true,
                    allow_direct: true,
                    discard: stream::DiscardPolicy::New,
                    ..Default::default()
                })
                .await
                .map_err(FleetError::nats)?;
                js.get_key_value(BUCKET).await.map_err(FleetError::nats)?
            }
        };
        // The bucket keeps the lease period it was made with: every worker renews on that one, whatever it asked.
        let made_with = kv.status().await.map(|s| s.max_age()).unwrap_or(ttl);
        let ttl = if made_with.is_zero() { ttl } else { made_with };
        Ok(Leases { kv, worker: worker.to_string(), ttl })
    }

    /// The lease period: the bucket's own, which may differ from the one asked for when another worker made it.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    pub fn worker(&self) -> &str {
        &self.worker
    }

    fn value(&self) -> bytes::Bytes {
        let holder = Holder { worker: self.worker.clone(), since_ms: backstage::clock::wall_now().0 };
        serde_json::to_vec(&holder).unwrap_or_default().into()
    }

    /// Takes `room` if nobody holds it. `Ok(None)` when another worker does.
    pub async fn try_acquire(&self, room: &RoomId) -> Result<Option<Lease>, FleetError> {
        match self.kv.create(room.as_str(), self.value()).await {
            Ok(revision) => Ok(Some(Lease { room: room.clone(), revision, epoch: revision })),
            Err(e) if e.kind() == kv::CreateErrorKind::AlreadyExists => Ok(None),
            Err(e) => Err(FleetError::nats(e)),
        }
    }

    /// Keeps `lease` for another `ttl`. `Ok(false)` when it was lost: the key expired and someone else took it,
    /// or it was removed. The room must stop at once then.
    pub async fn renew(&self, lease: &mut Lease) -> Result<bool, FleetError> {
        match self.kv.update(lease.room.as_str(), self.value(), lease.revision).await {
            Ok(revision) => {
                lease.revision = revision;
                Ok(true)
            }
            Err(e) if e.kind() == kv::UpdateErrorKind::WrongLastRevision => Ok(false),
            Err(e) => Err(FleetError::nats(e)),
        }
    }

    /// Gives the room up now, so another worker need not wait for the expiry. Only this holding's key is removed.
    pub async fn release(&self, lease: Lease) -> Result<(), FleetError> {
        self.kv.delete_expect_revision(lease.room.as_str(), Some(lease.revision)).await.map_err(FleetError::nats)
    }

    /// Who holds `room` now, if anyone.
    pub async fn holder(&self, room: &RoomId) -> Result<Option<Holder>, FleetError> {
        match self.kv.entry(room.as_str()).await.map_err(FleetError::nats)? {
            Some(entry) if entry.operation == kv::Operation::Put => Ok(serde_json::from_slice(&entry.value).ok()),
            _ => Ok(None),
        }
    }
}

/// Who holds which room, read without ever making the bucket: for the fleet console and `fleet room list`, which
/// must not make it with a lease period of their own (workers racing them would then find a bucket they did not
/// ask for, or fail to make theirs). Before any worker has made it, nobody holds anything.
pub struct Holders {
    js: jetstream::Context,
    kv: tokio::sync::OnceCell<kv::Store>,
}

impl Holders {
    pub fn new(js: jetstream::Context) -> Holders {
        Holders { js, kv: tokio::sync::OnceCell::new() }
    }

    pub async fn holder(&self, room: &RoomId) -> Result<Option<Holder>, FleetError> {
        let Ok(kv) = self.kv.get_or_try_init(|| self.js.get_key_value(BUCKET)).await else {
            return Ok(None);
        };
        match kv.entry(room.as_str()).await.map_err(FleetError::nats)? {
            Some(entry) if entry.operation == kv::Operation::Put => Ok(serde_json::from_slice(&entry.value).ok()),
            _ => Ok(None),
        }
    }
}
