//! shopcast's decisions, with no I/O: what the host says next, in which words, for how long, with which mouth.
//!
//! Architecture Invariant: nothing here reads a clock, opens a file or socket, or spawns a thread. Time comes in as
//! a [`model::ShowTime`] argument, and results go out as [`Output`] values that a driver carries out. That is what
//! lets tests replay a whole show on a virtual clock.

pub mod adversary;
pub mod air;
#[cfg(test)]
mod answer_tests;
pub mod answers;
mod brief;
mod cantonese;
pub mod chunker;
mod dialect;
#[cfg(test)]
mod fuzz_tests;
pub mod guard;
mod hanzi;
#[cfg(test)]
mod heldout_tests;
pub mod identity;
pub mod links;
pub mod lipsync;
pub mod offer;
pub mod prompt;
pub mod rehearsal;
mod self_talk;
pub mod show;
pub mod templates;
pub mod timing;
pub mod triage;

pub use rehearsal::{Rehearsal, Spoken, SpokenLine, VoiceFn, WriteFn, Written, template_writer};
pub use show::{Brief, Footprint, Input, Output, ResumePoint, Show, ShowConfig};

pub mod leak;
pub mod ledger;
pub mod lint;
pub mod queue;
#[cfg(test)]
mod soak_tests;
#[cfg(test)]
mod test_products;
pub mod verbalize;
