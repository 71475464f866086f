//! shopcast's I/O: reading product and scene files, the writer and voice adapters, and the task that drives
//! the director.
//!
//! Architecture Invariant: this is the only crate that touches files, sockets, processes or the wall clock on
//! behalf of the show. Wire and file formats are parsed here into `model` types and never leak inward.

pub mod backoff;
pub mod care_webhook;
pub mod catalog;
pub mod chat;
pub mod clock;
pub mod console;
pub mod file_watch;
#[cfg(test)]
mod fuzz_tests;
pub mod llm;
pub mod obs;
pub mod output;
#[cfg(test)]
mod ready_line;
pub mod scene;
#[cfg(unix)]
pub mod service;
pub mod shop;
pub mod show_loop;
pub mod shutdown;
pub mod store;
pub mod time_text;
pub mod tomlfile;
pub mod viewer_gate;
pub mod voice;
pub mod writer;
