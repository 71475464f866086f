//! Whole rehearsals as transcript snapshots (insta): a change in what the host says, or when, or why, shows up in
//! review as a diff of tests/it/snapshots/*.snap. Rehearsals run the real director, template writer and guard on a
//! virtual clock, so a transcript repeats exactly. To accept an intended change: `cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the diff before committing.

use super::support::{repo, scratch, shopcast_command, testdata, text};

/// One rehearsal's transcript: a line per aired line with its time, kind, source, guard verdict, product and the
/// comment it answers, then the text.
fn transcript(name: &str, args: &[&str]) -> String {
    let dir = scratch(&format!("transcript-{name}"));
    let out = dir.join("report.json");
    let output = shopcast_command()
        .arg("rehearse")
        .args(args)
        .arg("--out")
        .arg(&out)
        .current_dir(repo())
        .env("SHOPCAST_LOG", "warn")
        .output()
        .expect("run shopcast rehearse");
    assert!(output.status.success(), "{}\n{}", text(&output.stdout), text(&output.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the report")).expect("the report is JSON");
    let _ = std::fs::remove_dir_all(&dir);
    let field = |line: &serde_json::Value, key: &str| line[key].as_str().unwrap_or("-").to_string();
    let mut shown = String::new();
    for line in report["lines"].as_array().expect("lines") {
        let ms = line["t_ms"].as_u64().unwrap_or(0);
        let decision = line["guard"]["decision"].as_str().unwrap_or("?");
        let rules: Vec<&str> = line["guard"]["rules"]
            .as_array()
            .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let guard = if rules.is_empty() { decision.to_string() } else { format!("{decision}({})", rules.join(",")) };
        shown.push_str(&format!(
            "{:02}:{:02}.{:03} {} {} {} product={} comment={}\n    {}\n",
            ms / 60_000,
            ms / 1000 % 60,
            ms % 1000,
            field(line, "kind"),
            field(line, "source"),
            guard,
            field(line, "product_id"),
            field(line, "comment_id"),
            field(line, "text"),
        ));
        // A pitch cut short at a sentence end for an answer: what was heard of it.
        if let Some(heard) = line["heard"].as_str() {
            shown.push_str(&format!("    (cut for an answer; heard: {heard})\n"));
        }
    }
    let stats = &report["stats"];
    shown.push_str(&format!(
        "stats: lines {} answers {} handoffs {} disclosures {} max_silence_ms {} repeated {}\n",
        stats["lines"],
        stats["answers"],
        stats["handoffs"],
        stats["disclosures"],
        stats["max_silence_ms"],
        stats["repeated_lines"]
    ));
    shown
}

#[test]
fn the_demo_show_in_english_with_a_mixed_room() {
    let chat = testdata("chat/own/mixed_room.jsonl");
    let chat = chat.to_str().expect("a UTF-8 path");
    let shown = transcript("en-room", &["--duration", "10m", "--chat", chat, "--chat-format", "jsonl"]);
    insta::assert_snapshot!("demo_en_mixed_room", shown);
}

#[test]
fn the_demo_show_in_chinese_without_chat() {
    let shown = transcript("zh", &["--duration", "6m", "--lang", "zh"]);
    insta::assert_snapshot!("demo_zh_quiet", shown);
}

#[test]
fn the_demo_show_with_recorded_twitch_chat() {
    let chat = testdata("chat/twitch-irc/irc_lines.txt");
    let chat = chat.to_str().expect("a UTF-8 path");
    let shown = transcript("twitch", &["--duration", "5m", "--chat", chat, "--chat-format", "twitch-irc"]);
    insta::assert_snapshot!("demo_en_twitch_log", shown);
}
