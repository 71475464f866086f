//! What shopcast's tests share, in one place.
//!
//! - [`data`]: the repository's own test data (`testdata/`, always there) and the larger outside corpus
//!   (`SHOPCAST_CORPUS`, only beside CI's checkout).
//! - [`need`]: tests that need a system program are `#[ignore = "needs …"]`, so the README's test command counts
//!   them as ignored and says why; `.ci/run` runs them with `--include-ignored`, and there a missing program fails
//!   the test with the package to install.
//! - [`process`]: child processes that die with the test, free ports, polling.
//! - [`servers`]: nats-server with JetStream and a PostgreSQL 15 cluster, each the test's own.
//! - [`xorg`]: a virtual display with a window manager, and OBS Studio on it.

pub mod data;
pub mod need;
pub mod process;
pub mod servers;
pub mod xorg;

pub use data::{corpus, corpus_text, testdata, testdata_text};
pub use need::{need, need_program, on_path};
pub use process::{Guarded, free_port, poll};
