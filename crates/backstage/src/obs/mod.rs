//! OBS Studio control over obs-websocket 5 (OBS 28 and newer): a thin client on tokio-tungstenite, a supervised
//! link that reconnects and reports its health, and the director task that follows the show in OBS.
//!
//! The `obws` crate is not used: it refuses obs-websocket 5.1 (OBS 29, Debian 12's) and cannot parse its scene
//! list. The protocol is small enough to speak directly: see [`protocol`].
//!
//! Layers: [`session::Session`] is one identified connection; [`link::ObsLink`] keeps one up; [`director`] turns
//! stage commands and console buttons into requests. The tests that prove all this against the real program start
//! a private OBS under a virtual display (`testkit::xorg`).

pub mod config;
pub mod director;
pub mod error;
pub mod link;
pub mod protocol;
pub mod session;

pub use config::ObsConfig;
pub use director::{ObsControl, ObsReport, run_director, run_director_on};
pub use error::ObsError;
pub use link::{LinkOptions, ObsHealth, ObsLink};
pub use session::{ObsEvent, Session};

#[cfg(test)]
mod fault_tests;
#[cfg(test)]
mod real_obs_tests;
