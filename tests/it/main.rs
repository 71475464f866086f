//! shopcast's integration tests: one binary, a module per area.

mod check_cli;
mod render;
mod show;
mod support;
mod tidy;
