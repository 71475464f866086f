//! Benchmark: Twitch IRC lines parsed per second, split only and all the way to `ChatEvent`s.
//!
//! Run with `cargo bench -p backstage --bench irc_parse`. The goal is 1,000,000 lines/s. Lines come from the
//! copied Twitch log in testdata/chat (real Twitch shapes), else from a built-in tagged PRIVMSG.

use backstage::chat::twitch::{IrcLine, to_event};
use model::UnixMs;
use std::time::Instant;

const BUILT_IN: &str = "@badge-info=subscriber/3;badges=subscriber/0,bits-charity/1;color=#0000FF;display-name=Viewer;\
emotes=;first-msg=0;flags=;id=8779a9e5-cf1b-47b3-b9fe-67a5b1b605f6;mod=0;returning-chatter=0;room-id=36340781;\
subscriber=1;tmi-sent-ts=1664505974154;turbo=0;user-id=136881249;user-type= \
:viewer!viewer@viewer.tmi.twitch.tv PRIVMSG #shop :how much is the thermal mug?";

fn main() {
    let path = testkit::testdata("chat/twitch-irc/irc_lines.txt");
    let fixture = std::fs::read_to_string(&path).unwrap_or_default();
    let mut lines: Vec<&str> = fixture.lines().filter(|l| !l.trim().is_empty()).collect();
    if lines.is_empty() {
        eprintln!("fixture {} missing; using the built-in line", path.display());
        lines.push(BUILT_IN);
    }
    let total = 1_000_000usize;
    let bytes: usize = (0..total).map(|i| lines[i % lines.len()].len()).sum();

    let started = Instant::now();
    let mut ok = 0usize;
    for i in 0..total {
        ok += usize::from(IrcLine::parse(lines[i % lines.len()]).is_ok());
    }
    let split = started.elapsed();
    println!(
        "split: {total} lines ({} MB) in {split:?} = {:.0} lines/s ({ok} ok)",
        bytes / 1_000_000,
        total as f64 / split.as_secs_f64()
    );

    let started = Instant::now();
    let mut events = 0usize;
    for i in 0..total {
        if let Ok(line) = IrcLine::parse(lines[i % lines.len()]) {
            events += usize::from(to_event(&line, UnixMs(0)).is_ok());
        }
    }
    let full = started.elapsed();
    println!(
        "to ChatEvent: {total} lines in {full:?} = {:.0} lines/s ({events} events); goal 1,000,000 lines/s",
        total as f64 / full.as_secs_f64()
    );
}
