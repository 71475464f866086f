//! Test servers started as child processes (the llama.cpp launcher, the Piper speech server) that print one line,
//! `READY <port>`, once they serve: reading that line is shared here.

use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Child;

/// The port `child` reports on its first line of stdout within `within`, or what it said instead.
pub(crate) async fn ready_port(child: &mut Child, within: Duration) -> Result<String, String> {
    let Some(stdout) = child.stdout.take() else { return Err("no stdout from the server".into()) };
    let mut lines = BufReader::new(stdout).lines();
    match tokio::time::timeout(within, lines.next_line()).await {
        Ok(Ok(Some(line))) if line.starts_with("READY ") => Ok(line.trim_start_matches("READY ").trim().to_string()),
        Ok(Ok(Some(line))) => Err(format!("the server said {line:?}")),
        other => Err(format!("the server did not report ready: {other:?}")),
    }
}
