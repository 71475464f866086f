//! `shopcast bench-latency`: the comment-to-first-audio benchmark times real comments through the show's parts.

use super::support::{scratch, shopcast_command, text};

#[test]
fn the_latency_benchmark_times_each_stage_of_a_comments_answer() {
    let dir = scratch("latency");
    let json = dir.join("timings.json");
    let out = shopcast_command()
        .args(["bench-latency", "--comments", "2", "--voice", "openai", "--tts-ms", "50", "--first-token-ms", "300"])
        .arg("--json")
        .arg(&json)
        .env("SHOPCAST_LOG", "warn")
        .output()
        .expect("run shopcast bench-latency");
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("2 of 2 comments timed") && stdout.contains("shopcast's own share"), "{stdout}");
    let timings: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(timings.len(), 2, "{timings:#?}");
    for t in &timings {
        let get = |k: &str| t[k].as_f64().unwrap_or_else(|| panic!("{k} missing: {t}"));
        // The local servers' schedule shows through: 300 ms to the first token, 50 ms for the speech server.
        assert!((300.0..1000.0).contains(&get("first_token")), "{t}");
        assert!(get("tts") >= 50.0, "{t}");
        let stages = ["ingest", "triage", "prompt", "first_token", "first_sentence_llm", "first_sentence_own", "tts"];
        let before_air: f64 = stages.iter().map(|k| get(k)).sum();
        let after = get("waiting_for_line_end") + get("scheduling") + get("mixer");
        // The stages follow one another and add up to the whole wait.
        assert!((get("end_to_end") - (before_air + after)).abs() < 50.0, "{t}");
        assert!(get("end_to_end") >= get("first_token") + get("tts"), "{t}");
        assert!(get("own") >= 0.0 && get("own") < get("end_to_end"), "{t}");
    }
}
