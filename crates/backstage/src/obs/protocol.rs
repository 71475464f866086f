//! obs-websocket v5 on the wire: op codes, the salted SHA-256 answer to OBS's challenge, event subscription bits
//! and the names of OBS's status and close codes (so errors say what OBS meant, not only a number).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sha2::{Digest, Sha256};

/// The only RPC version obs-websocket 5.x speaks.
pub const RPC_VERSION: u32 = 1;

/// Message op codes (the `op` field of every frame).
pub mod op {
    pub const HELLO: u64 = 0;
    pub const IDENTIFY: u64 = 1;
    pub const IDENTIFIED: u64 = 2;
    pub const EVENT: u64 = 5;
    pub const REQUEST: u64 = 6;
    pub const REQUEST_RESPONSE: u64 = 7;
}

/// Event categories a session subscribes to in Identify (`eventSubscriptions`).
pub mod events {
    pub const GENERAL: u32 = 1 << 0;
    pub const CONFIG: u32 = 1 << 1;
    pub const SCENES: u32 = 1 << 2;
    pub const INPUTS: u32 = 1 << 3;
    pub const TRANSITIONS: u32 = 1 << 4;
    pub const FILTERS: u32 = 1 << 5;
    pub const OUTPUTS: u32 = 1 << 6;
    pub const SCENE_ITEMS: u32 = 1 << 7;
    pub const MEDIA_INPUTS: u32 = 1 << 8;
    pub const VENDORS: u32 = 1 << 9;
    pub const UI: u32 = 1 << 10;
    /// Every category that is not high-volume (OBS's own `All`).
    pub const ALL: u32 = (1 << 11) - 1;
}

/// The Identify `authentication` string: base64(sha256(base64(sha256(password + salt)) + challenge)).
pub fn auth_response(password: &str, salt: &str, challenge: &str) -> String {
    let secret = B64.encode(Sha256::digest(format!("{password}{salt}").as_bytes()));
    B64.encode(Sha256::digest(format!("{secret}{challenge}").as_bytes()))
}

/// OBS's name for a request status code, for error messages.
pub fn status_name(code: u16) -> &'static str {
    match code {
        100 => "Success",
        203 => "MissingRequestType",
        204 => "UnknownRequestType",
        205 => "GenericError",
        207 => "NotReady",
        300 => "MissingRequestField",
        301 => "MissingRequestData",
        400 => "InvalidRequestField",
        401 => "InvalidRequestFieldType",
        402 => "RequestFieldOutOfRange",
        403 => "RequestFieldEmpty",
        404 => "TooManyRequestFields",
        500 => "OutputRunning",
        501 => "OutputNotRunning",
        502 => "OutputPaused",
        503 => "OutputNotPaused",
        504 => "OutputDisabled",
        505 => "StudioModeActive",
        506 => "StudioModeNotActive",
        600 => "ResourceNotFound",
        601 => "ResourceAlreadyExists",
        602 => "InvalidResourceType",
        603 => "NotEnoughResources",
        604 => "InvalidResourceState",
        605 => "InvalidInputKind",
        606 => "ResourceNotConfigurable",
        607 => "InvalidFilterKind",
        700 => "ResourceCreationFailed",
        701 => "ResourceActionFailed",
        702 => "RequestProcessingFailed",
        703 => "CannotAct",
        _ => "unknown status",
    }
}

/// OBS's name for a WebSocket close code it sends, for error messages.
pub fn close_name(code: u16) -> &'static str {
    match code {
        1000 => "normal closure",
        1001 => "going away (OBS is shutting down)",
        4000 => "UnknownReason",
        4002 => "MessageDecodeError",
        4003 => "MissingDataField",
        4004 => "InvalidDataFieldType",
        4005 => "InvalidDataFieldValue",
        4006 => "UnknownOpCode",
        4007 => "NotIdentified",
        4008 => "AlreadyIdentified",
        4009 => "AuthenticationFailed",
        4010 => "UnsupportedRpcVersion",
        4011 => "SessionInvalidated",
        4012 => "UnsupportedFeature",
        _ => "unknown close code",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example in obs-websocket's protocol document (password "supersecretpassword").
    #[test]
    fn the_auth_answer_matches_the_protocol_documents_example() {
        let answer = auth_response(
            "supersecretpassword",
            "lM1GncleQOaCu9lT1yeUZhFYnqhsLLP1G5lAGo3ixaI=",
            "+IxH4CnCiqpX1rM9scsNynZzbOe4KhDeYcTNS3PDaeY=",
        );
        assert_eq!(answer, "1Ct943GAT+6YQUUX47Ia/ncufilbe6+oD6lY+5kaCu4=");
    }
}
