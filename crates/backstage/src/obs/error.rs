//! Everything that can go wrong talking to OBS, worded for the person who has to fix it.

use super::protocol::{close_name, status_name};

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ObsError {
    /// The link is down (OBS absent or restarting): the request was refused at once, never queued.
    #[error("OBS is not connected ({detail}); {request} was not sent")]
    NotConnected { request: String, detail: String },
    #[error(
        "cannot reach OBS at {url}: {detail}. Start OBS and enable Tools > WebSocket Server Settings > Enable \
         WebSocket server, with the port in [obs] url"
    )]
    Connect { url: String, detail: String },
    #[error(
        "OBS refused the password (close code 4009 AuthenticationFailed): set SHOPCAST_OBS_PASSWORD to the server \
         password shown in OBS under Tools > WebSocket Server Settings > Show Connect Info"
    )]
    AuthFailed,
    #[error(
        "OBS asks for a password and none is set: set SHOPCAST_OBS_PASSWORD to the server password shown in OBS \
         under Tools > WebSocket Server Settings > Show Connect Info"
    )]
    PasswordRequired,
    #[error("OBS closed the connection (close code {code} {}{})", close_name(*code), fmt_reason(reason))]
    Closed { code: u16, reason: String },
    #[error("OBS sent something obs-websocket 5 does not: {0}")]
    Protocol(String),
    #[error("{request} failed: OBS answered {code} ({}){}", status_name(*code), fmt_reason(comment))]
    Request { request: String, code: u16, comment: String },
    #[error("{request} got no answer from OBS within {ms} ms")]
    Timeout { request: String, ms: u64 },
    #[error("the connection to OBS was lost before {request} was answered")]
    ConnectionLost { request: String },
}

fn fmt_reason(text: &str) -> String {
    if text.is_empty() { String::new() } else { format!(": {text}") }
}

impl ObsError {
    /// Whether trying again later can help without anyone changing a setting.
    pub fn is_retryable(&self) -> bool {
        match self {
            ObsError::NotConnected { .. }
            | ObsError::Connect { .. }
            | ObsError::Closed { .. }
            | ObsError::Timeout { .. }
            | ObsError::ConnectionLost { .. } => true,
            ObsError::Request { code, .. } => *code == 207,
            ObsError::AuthFailed | ObsError::PasswordRequired | ObsError::Protocol(_) => false,
        }
    }

    /// OBS's request status code, when OBS answered with an error.
    pub fn status_code(&self) -> Option<u16> {
        match self {
            ObsError::Request { code, .. } => Some(*code),
            _ => None,
        }
    }
}
