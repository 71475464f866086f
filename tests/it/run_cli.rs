//! `shopcast run` as a streamer starts it: headless on a server, and with a window (under a virtual display).

use super::support::{available, repo, text};
use std::process::Command;

fn said_lines(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.contains("said: ")).count()
}

#[test]
fn the_headless_show_runs_on_the_embedded_defaults_and_stops_cleanly() {
    if !available("a Vulkan driver (mesa-vulkan-drivers)", stage::capture::vulkan_available()) {
        return;
    }
    let out = Command::new(env!("CARGO_BIN_EXE_shopcast"))
        .args(["run", "--headless", "--seconds", "7"])
        .current_dir(repo())
        .env("SHOPCAST_LOG", "info")
        .output()
        .expect("run shopcast");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(said_lines(&stderr) >= 2, "the host should have spoken at least twice in 7 s:\n{stderr}");
    assert!(stderr.contains("I'm an AI host"), "the show opens with the AI disclosure:\n{stderr}");
}

#[test]
fn the_window_opens_under_a_virtual_display() {
    let xvfb = std::path::Path::new("/usr/bin/xvfb-run").is_file();
    if !available("xvfb-run (package xvfb)", xvfb)
        || !available("a Vulkan driver (mesa-vulkan-drivers)", stage::capture::vulkan_available())
    {
        return;
    }
    let out = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1400x900x24", env!("CARGO_BIN_EXE_shopcast"), "run", "--seconds", "5"])
        .current_dir(repo())
        .env("SHOPCAST_LOG", "info")
        .output()
        .expect("run xvfb-run");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("the show is on") && stderr.contains("headless=false"), "{stderr}");
    assert!(said_lines(&stderr) >= 1, "{stderr}");
}

#[test]
fn without_a_display_the_window_mode_says_what_to_do() {
    let out = Command::new(env!("CARGO_BIN_EXE_shopcast"))
        .args(["run", "--seconds", "1"])
        .current_dir(repo())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("run shopcast");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("run with --headless, or under xvfb-run"), "{}", text(&out.stderr));
}

/// The LLM is configured but unreachable: the host keeps talking from templates, and says so in the log.
#[test]
fn an_unreachable_llm_never_silences_the_show() {
    if !available("a Vulkan driver (mesa-vulkan-drivers)", stage::capture::vulkan_available()) {
        return;
    }
    // A port nothing listens on: bind, note the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = Command::new(env!("CARGO_BIN_EXE_shopcast"))
        .args(["run", "--headless", "--seconds", "9"])
        .current_dir(repo())
        .env("SHOPCAST_LOG", "info")
        .env("SHOPCAST_LLM_BASE_URL", format!("http://127.0.0.1:{port}/v1"))
        .env("SHOPCAST_LLM_MODEL", "any")
        .output()
        .expect("run shopcast");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("writer: LLM behind the guard"), "{stderr}");
    assert!(said_lines(&stderr) >= 2, "the show must keep talking:\n{stderr}");
    assert!(stderr.contains("source=Template"), "lines fell back to templates:\n{stderr}");
}
