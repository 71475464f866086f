//! `shopcast rehearse`: a merchandiser previews a show before going live.

use super::support::{repo, scratch, shopcast_command, testdata, text};

fn rehearse(args: &[&str], out: &std::path::Path) -> (std::process::Output, serde_json::Value) {
    let output = shopcast_command()
        .arg("rehearse")
        .args(args)
        .arg("--out")
        .arg(out)
        .current_dir(repo())
        .output()
        .expect("run shopcast rehearse");
    let report = std::fs::read_to_string(out).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
    (output, report)
}

#[test]
fn two_hours_of_the_demo_show_with_recorded_chat_hold_up() {
    let dir = scratch("rehearse-demo");
    let out = dir.join("report.json");
    let chat = testdata("chat/twitch-irc/irc_lines.txt");
    let chat = chat.to_str().unwrap();
    let (output, report) = rehearse(&["--duration", "2h", "--chat", chat, "--chat-format", "twitch-irc"], &out);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{}\n{}", stdout, text(&output.stderr));
    assert!(stdout.contains("rehearsed 120.0 min") && stdout.contains("report:"), "{stdout}");
    let stats = &report["stats"];
    assert_eq!(stats["duration_ms"], 7_200_000);
    assert!(stats["max_silence_ms"].as_u64().unwrap() <= 3_000, "{stats}");
    assert_eq!(stats["repeated_lines"], 0, "{stats}");
    assert!(stats["disclosures"].as_u64().unwrap() >= 12, "one every 10 minutes: {stats}");
    assert!(stats["comments_replayed"].as_u64().unwrap() > 0, "{stats}");
    let lines = report["lines"].as_array().unwrap();
    assert_eq!(lines.len() as u64, stats["lines"].as_u64().unwrap());
    let first = &lines[0];
    for key in ["t_ms", "kind", "text", "lang", "source", "guard"] {
        assert!(first.get(key).is_some(), "{key} missing in {first}");
    }
    assert_eq!(first["kind"], "disclosure");
    assert!(lines.iter().any(|l| l["kind"] == "pitch" && l["product_id"].is_string()));
    let answers: Vec<_> = lines.iter().filter(|l| l["kind"] == "answer").collect();
    assert_eq!(answers.len() as u64, stats["answers"].as_u64().unwrap());
    if !answers.is_empty() {
        assert!(answers.iter().all(|a| a["comment_id"].is_string()), "answers name their comment");
        assert!(stats["p95_answer_delay_ms"].is_u64(), "{stats}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn an_unreachable_llm_still_gives_a_full_rehearsal_from_templates() {
    let dir = scratch("rehearse-llm-down");
    let out = dir.join("report.json");
    let (output, report) = rehearse(&["--duration", "90s", "--llm-url", "http://127.0.0.1:9/v1"], &out);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let lines = report["lines"].as_array().unwrap();
    assert!(lines.len() >= 10, "{}", lines.len());
    assert!(lines.iter().all(|l| l["source"] == "template"), "nothing was written by the absent LLM");
    assert!(report["stats"]["max_silence_ms"].as_u64().unwrap() <= 3_000);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_arguments_say_what_is_wrong() {
    let dir = scratch("rehearse-bad");
    let out = dir.join("report.json");
    let (output, _) = rehearse(&["--duration", "forever"], &out);
    assert!(!output.status.success());
    assert!(text(&output.stderr).contains("--duration \"forever\" must look like 90s"), "{}", text(&output.stderr));
    let (output, _) = rehearse(&["--chat", "/nonexistent.log", "--chat-format", "twitch-irc"], &out);
    assert!(text(&output.stderr).contains("cannot read the chat log /nonexistent.log"), "{}", text(&output.stderr));
    let (output, _) = rehearse(&["--speed=-3"], &out);
    assert!(text(&output.stderr).contains("--speed \"-3\" must be `max`"), "{}", text(&output.stderr));
    std::fs::remove_dir_all(dir).ok();
}

/// People who need a person, in a rehearsal: the report's `care` list names each comment with its category and
/// what the show did, and nothing they wrote (nor their name) is said on air.
#[test]
fn the_report_lists_care_events_and_their_words_never_reach_the_air() {
    let dir = scratch("rehearse-care");
    let out = dir.join("report.json");
    let chat = dir.join("chat.jsonl");
    let lines = [
        r#"{"platform": "generic", "id": "k1", "user_id": "u1", "user_name": "rowan", "text": "i don't want to be alive anymore, tonight i end it", "time": 1780000010000}"#,
        r#"{"platform": "generic", "id": "k2", "user_id": "u2", "user_name": "tim", "text": "im 12 can i use my mom's card", "time": 1780000020000}"#,
        r#"{"platform": "generic", "id": "k3", "user_id": "u3", "user_name": "jo", "text": "my order arrived broken and nobody answers, I want a refund", "time": 1780000030000}"#,
        r#"{"platform": "generic", "id": "k4", "user_id": "u4", "user_name": "mia", "text": "how much is the tea set?", "time": 1780000040000}"#,
    ];
    std::fs::write(&chat, lines.join("\n") + "\n").expect("write the chat log");
    let (output, report) =
        rehearse(&["--duration", "3m", "--chat", chat.to_str().unwrap(), "--chat-format", "jsonl"], &out);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let care = report["care"].as_array().expect("a care list");
    let entry = |id: &str| care.iter().find(|c| c["comment_id"] == id).cloned().unwrap_or_default();
    assert_eq!(entry("k1")["category"], "crisis", "{care:?}");
    assert_eq!(entry("k2")["category"], "minor", "{care:?}");
    assert_eq!(entry("k3")["category"], "complaint", "{care:?}");
    assert!(care.iter().all(|c| c["comment_id"] != "k4"), "an ordinary question is not care: {care:?}");
    let said: Vec<&str> = report["lines"].as_array().unwrap().iter().filter_map(|l| l["text"].as_str()).collect();
    for line in &said {
        assert!(!line.contains("alive anymore") && !line.contains("rowan") && !line.contains("tim,"), "{line}");
    }
    assert!(said.iter().any(|l| l.contains("you don't have to face it alone")), "{said:#?}");
    assert!(said.iter().any(|l| l.contains("ask a parent")), "{said:#?}");
    std::fs::remove_dir_all(dir).ok();
}
