//! shopcast's integration tests: one binary, a module per area.

mod adversary_llm;
mod chat_cli;
mod check_cli;
mod console_cli;
mod doctor;
mod fleet;
mod latency;
mod obs_capture;
mod package;
mod rehearse;
mod render;
mod rtmp;
mod run_cli;
mod show;
mod support;
mod tidy;
mod transcripts;
mod window_fit;
