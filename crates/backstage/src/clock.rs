//! The wall clock: the one place the show's processes read the time of day. The director never does (time
//! arrives as an argument); the console, the chat connectors and the binary's commands ask here.

use model::UnixMs;

/// The wall clock now, as Unix milliseconds (offer windows, comment times, the audit log). A clock set before 1970
/// reads as 1970 rather than failing.
pub fn wall_now() -> UnixMs {
    let since_epoch = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    UnixMs(since_epoch.as_millis() as i64)
}
