//! `shopcast chat import` on the real recorded logs in testdata/chat.

use super::support::{shopcast, text};
use serde_json::Value;

fn fixture(rel: &str) -> String {
    super::support::testdata("chat").join(rel).display().to_string()
}

fn import(format: &str, file: &str) -> (Vec<Value>, String) {
    let out = shopcast(&["chat", "import", "--format", format, file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines = text(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("every line is JSON")).collect();
    (lines, text(&out.stderr))
}

#[test]
fn twitch_irc_lines_become_normalised_comments_with_labels() {
    let (comments, stderr) = import("twitch-irc", &fixture("twitch-irc/irc_lines.txt"));
    assert_eq!(comments.len(), 35, "{stderr}");
    for c in &comments {
        assert_eq!(c["platform"], "twitch");
        for field in ["id", "user_id", "user_name", "text", "time"] {
            assert!(c[field].is_string(), "{field} missing in {c}");
        }
        assert!(c["triage"]["intent"].is_string(), "{c}");
    }
    assert!(comments.iter().any(|c| c["paid"]["amount_minor"].is_number()), "bits become paid messages");
}

#[test]
fn youtube_super_chats_carry_their_amount_and_currency() {
    let (comments, _) = import("youtube-json", &fixture("youtube/superchat.json"));
    let paid: Vec<&Value> = comments.iter().filter(|c| c["paid"].is_object()).collect();
    assert!(!paid.is_empty());
    assert!(paid.iter().all(|c| c["paid"]["currency"].as_str().is_some_and(|s| s.len() == 3)));
}

#[test]
fn a_truncated_bilibili_file_keeps_what_was_read_and_names_the_line() {
    let (comments, stderr) = import("bilibili-xml", &fixture("bilibili/no_closing.xml"));
    assert!(stderr.contains("no_closing.xml:"), "{stderr}");
    assert!(stderr.contains("error") || stderr.contains("warning"), "{stderr}");
    // The comments before the damage are kept.
    assert!(comments.iter().any(|c| c["text"] == "[2]路过"), "{comments:?}");
    let (good, _) = import("bilibili-xml", &fixture("bilibili/BilibiliFormat.xml"));
    assert!(!good.is_empty());
}

#[test]
fn jsonl_output_reads_back_as_jsonl_input() {
    let out = shopcast(&["chat", "import", "--format", "twitch-irc", &fixture("twitch-irc/irc_lines.txt")]);
    let dir = super::support::scratch("chat-roundtrip");
    let file = dir.join("comments.jsonl");
    std::fs::write(&file, &out.stdout).unwrap();
    let again = shopcast(&["chat", "import", "--format", "jsonl", &file.display().to_string()]);
    assert!(again.status.success());
    assert_eq!(text(&again.stdout).lines().count(), text(&out.stdout).lines().count());
    let first: Value = serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    let back: Value = serde_json::from_str(text(&again.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(first["id"], back["id"]);
    assert_eq!(first["text"], back["text"]);
}

#[test]
fn an_unknown_format_is_a_clear_error() {
    let out = shopcast(&["chat", "import", "--format", "msn", "x.txt"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--format \"msn\" must be one of"), "{}", text(&out.stderr));
}
