//! The acceptance run of the console: `shopcast run --headless` with SHOPCAST_CONSOLE_TOKEN set, every kind of
//! route probed with and without the token, a moderator's line said through the API and heard on air.

use super::support::{need, repo, scratch, shopcast_command};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "test-console-token-0123456789abcdef";

/// Kills the show if the test fails half-way.
struct Show(Child);

impl Drop for Show {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One HTTP/1.1 request; returns the status code and the body.
fn request(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).expect("connect to the console");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let body = body.unwrap_or("");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
}

#[test]
#[ignore = "needs a Vulkan driver (see .ci/run for the packages)"]
fn the_running_show_serves_its_console_only_with_the_token_and_a_moderators_line_goes_on_air() {
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
    let dir = scratch("console-cli");
    let mut child = shopcast_command()
        .args(["run", "--headless", "--seconds", "40", "--console-bind", "127.0.0.1:0"])
        .current_dir(repo())
        .env("SHOPCAST_LOG", "info")
        .env("SHOPCAST_CONSOLE_TOKEN", TOKEN)
        .env("SHOPCAST_STORE", dir.join("audit.db"))
        .env("SHOPCAST_VOICE", "silent")
        .stderr(Stdio::piped())
        .spawn()
        .expect("start shopcast");
    let stderr = child.stderr.take().unwrap();
    let _show = Show(child);
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = Vec::new();
    let wait_for = |log: &mut Vec<String>, what: &dyn Fn(&str) -> bool, within: Duration| -> Option<String> {
        let until = Instant::now() + within;
        while Instant::now() < until {
            if let Ok(line) = lines.recv_timeout(Duration::from_millis(200)) {
                log.push(line.clone());
                if what(&line) {
                    return Some(line);
                }
            }
        }
        None
    };
    let announced = wait_for(&mut log, &|l| l.contains("moderators' console on http://"), Duration::from_secs(30))
        .unwrap_or_else(|| panic!("the console never said where it listens:\n{}", log.join("\n")));
    let addr: SocketAddr = announced
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .expect("an address in the log line");
    assert!(addr.ip().is_loopback());

    // Without the token (or with a wrong one): 401 everywhere, and nothing is said.
    for (method, path, body) in [
        ("GET", "/api/state", None),
        ("GET", "/healthz", None),
        ("GET", "/metrics", None),
        ("POST", "/api/say", Some(r#"{"text":"Nobody may say this."}"#)),
        ("POST", "/api/hand-over", None),
    ] {
        assert_eq!(request(addr, method, path, None, body).0, 401, "{method} {path} without the token");
    }
    assert_eq!(request(addr, "POST", "/api/say", Some("wrong-token"), Some(r#"{"text":"Nope."}"#)).0, 401);
    // The page sends a browser to the login form.
    assert_eq!(request(addr, "GET", "/", None, None).0, 303);

    // With the token: state, health and metrics answer.
    let (status, state) = request(addr, "GET", "/api/state", Some(TOKEN), None);
    assert_eq!(status, 200, "{state}");
    assert!(state.contains("celadon-tea-set"), "the live products are listed: {state}");
    // The show starts talking; its lines reach the console's transcript.
    let until = Instant::now() + Duration::from_secs(20);
    let mut state = String::new();
    while Instant::now() < until && !state.contains("\"transcript\":[{") {
        std::thread::sleep(Duration::from_millis(300));
        state = request(addr, "GET", "/api/state", Some(TOKEN), None).1;
    }
    assert!(state.contains("\"transcript\":[{"), "no line reached the console's transcript: {state}");
    let (status, health) = request(addr, "GET", "/healthz", Some(TOKEN), None);
    assert!(status == 200, "{status} {health}");
    let (status, metrics) = request(addr, "GET", "/metrics", Some(TOKEN), None);
    assert_eq!(status, 200);
    assert!(metrics.contains("# TYPE"), "{metrics}");

    // A moderator's line goes on air.
    let (status, body) = request(addr, "POST", "/api/say", Some(TOKEN), Some(r#"{"text":"We ship to Canada too."}"#));
    assert!((200..300).contains(&status), "{status} {body}");
    let said = wait_for(&mut log, &|l| l.contains("said: We ship to Canada too."), Duration::from_secs(20));
    assert!(said.is_some(), "the moderator's line was not said:\n{}", log.join("\n"));
    assert!(log.iter().all(|l| !l.contains("Nobody may say this")));
    let (_, metrics) = request(addr, "GET", "/metrics", Some(TOKEN), None);
    assert!(metrics.contains("moderator"), "lines by source count the moderator's line:\n{metrics}");
    std::fs::remove_dir_all(dir).ok();
}
