//! Streaming without OBS: `shopcast render --rtmp` into a real nginx RTMP server on 127.0.0.1 (Debian's nginx with
//! libnginx-mod-rtmp, recording what it receives), checked with ffprobe; `--video` files; and the failures an
//! operator meets first (no ffmpeg, a server that refuses the connection).

use super::support::{need, repo, scratch, shopcast, shopcast_command, text};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const RTMP_MODULE: &str = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

fn runs(program: &str) -> bool {
    Command::new(program).arg("-version").output().is_ok_and(|o| o.status.success())
}

pub(crate) fn need_ffmpeg() {
    need("ffmpeg and ffprobe (package ffmpeg)", runs("ffmpeg") && runs("ffprobe"));
}

fn need_rtmp_server() {
    let nginx = Command::new("nginx").arg("-v").output().is_ok_and(|o| o.status.success());
    need("nginx with the RTMP module (packages nginx libnginx-mod-rtmp)", nginx && Path::new(RTMP_MODULE).is_file());
}

pub(crate) fn need_vulkan() {
    need("a Vulkan driver (package mesa-vulkan-drivers)", stage::capture::vulkan_available());
}

/// A port on 127.0.0.1 that refuses connections for as long as the returned sockets live: it is the local end of
/// a connection, so nothing listens there and no other test's server can take it meanwhile.
fn refusing_port() -> (u16, TcpListener, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a listener");
    let stream = TcpStream::connect(listener.local_addr().expect("its address")).expect("connect to it");
    (stream.local_addr().expect("the local end").port(), listener, stream)
}

/// `shopcast` with extra environment variables.
fn shopcast_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = shopcast_command();
    command.args(args).current_dir(repo()).env("SHOPCAST_LOG", "warn").env_remove("SHOPCAST_STREAM_KEY");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run shopcast")
}

/// An nginx RTMP server of the test's own: its config, pid, logs and recordings in a temp dir, killed and removed
/// on drop.
struct RtmpServer {
    child: Child,
    dir: PathBuf,
    port: u16,
}

impl RtmpServer {
    fn start(name: &str) -> RtmpServer {
        RtmpServer::start_with(name, "")
    }

    /// A server with extra directives in its `application live` block (`record_unique on;` keeps one file per
    /// publish, so a stream that reconnects leaves two). `meta copy;` hands viewers the publisher's own
    /// onMetaData, with the AI marking.
    fn start_with(name: &str, extra: &str) -> RtmpServer {
        let dir = scratch(name);
        let port = testkit::free_port();
        let records = dir.join("records");
        std::fs::create_dir_all(&records).unwrap();
        let config = format!(
            "load_module {RTMP_MODULE};\n\
             daemon off;\nmaster_process off;\n\
             pid {dir}/nginx.pid;\nerror_log {dir}/error.log info;\n\
             events {{ worker_connections 64; }}\n\
             rtmp {{ server {{ listen 127.0.0.1:{port};\n\
               application live {{ live on; meta copy; record all; record_path {records}; {extra} }} }} }}\n",
            dir = dir.display(),
            records = records.display(),
        );
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let child = RtmpServer::spawn(&dir);
        let mut server = RtmpServer { child, dir, port };
        server.wait_listening();
        server
    }

    fn spawn(dir: &Path) -> Child {
        Command::new("nginx")
            .arg("-p")
            .arg(dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx")
    }

    fn wait_listening(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("nginx exited with {status}: {}", self.log());
            }
            assert!(Instant::now() < deadline, "nginx did not listen on {} within 10 s: {}", self.port, self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server goes away at once (as a crash or a network cut would), keeping its files.
    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The same server back on the same port.
    fn restart(&mut self) {
        self.child = RtmpServer::spawn(&self.dir);
        self.wait_listening();
    }

    /// How many times a publisher has started a stream so far.
    fn publishes(&self) -> usize {
        self.log().matches("publish: name=").count()
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("error.log")).unwrap_or_default()
    }

    /// The recording of stream `name`, once nginx has closed it (the publisher gone, its size steady).
    fn recording(&self, name: &str) -> PathBuf {
        let path = self.dir.join("records").join(format!("{name}.flv"));
        let deadline = Instant::now() + Duration::from_secs(15);
        let mut last = None;
        loop {
            let size = std::fs::metadata(&path).map(|m| m.len()).ok();
            let closed = self.log().contains("disconnect");
            if closed && size.is_some_and(|s| s > 0) && size == last {
                return path;
            }
            assert!(Instant::now() < deadline, "no finished recording at {}: {}", path.display(), self.log());
            last = size;
            std::thread::sleep(Duration::from_millis(300));
        }
    }
}

impl Drop for RtmpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// ffprobe's JSON about a file's streams and packets.
fn probe(path: &Path, what: &[&str]) -> serde_json::Value {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-of", "json"])
        .args(what)
        .arg(path)
        .output()
        .expect("run ffprobe");
    assert!(out.status.success(), "ffprobe {}: {}", path.display(), text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("ffprobe JSON")
}

/// Streams as (codec_type, codec_name, width, height).
pub(crate) fn streams(path: &Path) -> Vec<(String, String, u64, u64)> {
    let json = probe(path, &["-show_entries", "stream=codec_type,codec_name,width,height"]);
    json["streams"]
        .as_array()
        .expect("streams")
        .iter()
        .map(|s| {
            (
                s["codec_type"].as_str().unwrap_or_default().to_string(),
                s["codec_name"].as_str().unwrap_or_default().to_string(),
                s["width"].as_u64().unwrap_or(0),
                s["height"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

/// Seconds covered by one stream's packets: from the first timestamp to the end of the last packet.
pub(crate) fn covered_seconds(path: &Path, selector: &str) -> f64 {
    let json = probe(path, &["-select_streams", selector, "-show_entries", "packet=pts_time,duration_time"]);
    let packets = json["packets"].as_array().expect("packets");
    assert!(!packets.is_empty(), "no {selector} packets in {}", path.display());
    let number = |v: &serde_json::Value| v.as_str().and_then(|s| s.parse::<f64>().ok());
    let times: Vec<f64> = packets.iter().filter_map(|p| number(&p["pts_time"])).collect();
    let first = times.iter().copied().fold(f64::INFINITY, f64::min);
    let last = times.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let tail = packets.last().and_then(|p| number(&p["duration_time"])).unwrap_or(0.0);
    last - first + tail
}

/// The loudest sample of the audio track, in dB (ffmpeg's volumedetect; -91 dB is digital silence).
pub(crate) fn max_volume_db(path: &Path) -> f64 {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-i"])
        .arg(path)
        .args(["-map", "0:a", "-af", "volumedetect", "-f", "null", "-"])
        .output()
        .expect("run ffmpeg");
    let log = text(&out.stderr);
    log.lines()
        .find_map(|l| l.split("max_volume:").nth(1))
        .and_then(|v| v.trim().trim_end_matches("dB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no volumedetect result: {log}"))
}

/// The first video frame's top-left pixel, decoded back to RGB.
fn first_pixel(path: &Path) -> [u8; 3] {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-nostdin", "-v", "error", "-i"])
        .arg(path)
        .args(["-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"])
        .output()
        .expect("run ffmpeg");
    assert!(out.status.success() && out.stdout.len() >= 3, "cannot decode a frame: {}", text(&out.stderr));
    [out.stdout[0], out.stdout[1], out.stdout[2]]
}

/// The studio scene's background colour, which fills the frame's corner.
const STUDIO_BACKGROUND: [u8; 3] = [46, 58, 89];

fn near(a: [u8; 3], b: [u8; 3], tolerance: i32) -> bool {
    (0..3).all(|i| (i32::from(a[i]) - i32::from(b[i])).abs() <= tolerance)
}

/// The acceptance check: five seconds streamed to a real RTMP server arrive as H.264 video at the rendered size
/// with an AAC audio track, paced at real time, and decode back to the show's pixels.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, nginx with RTMP (see .ci/run for the packages)"]
fn five_seconds_streamed_to_a_local_nginx_rtmp_server_arrive_as_h264_and_aac() {
    need_ffmpeg();
    need_rtmp_server();
    need_vulkan();
    let server = RtmpServer::start("rtmp-stream");
    let url = format!("rtmp://127.0.0.1:{}/live/test", server.port);
    let started = Instant::now();
    let run = shopcast_env(&["render", "--rtmp", &url, "--seconds", "5", "--size", "640x360", "--fps", "10"], &[]);
    let took = started.elapsed();
    assert!(run.status.success(), "streaming failed: {}\nnginx: {}", text(&run.stderr), server.log());
    assert!(text(&run.stderr).contains(&format!("wrote 50 frame(s) of 640x360 to {url}")), "{}", text(&run.stderr));
    // Live platforms need real-time pacing: 50 frames at 10 frames/s cannot go out in much less than 5 s.
    assert!(took >= Duration::from_millis(4500), "the stream was not paced: 5 s of show went out in {took:?}");

    let recording = server.recording("test");
    let streams = streams(&recording);
    assert!(streams.contains(&("video".into(), "h264".into(), 640, 360)), "no 640x360 H.264 video stream: {streams:?}");
    assert!(streams.iter().any(|(kind, codec, ..)| kind == "audio" && codec == "aac"), "no AAC audio: {streams:?}");
    let video = covered_seconds(&recording, "v");
    assert!((4.0..=6.0).contains(&video), "the recording holds {video:.2} s of video, not 5 ± 1");
    let audio = covered_seconds(&recording, "a");
    assert!((4.0..=6.0).contains(&audio), "the recording holds {audio:.2} s of audio, not 5 ± 1");
    // The rendered show came through the encoder: the studio background survives H.264 within a small error.
    let pixel = first_pixel(&recording);
    assert!(near(pixel, STUDIO_BACKGROUND, 8), "the first frame's corner is {pixel:?}, not the studio background");
    // The default render voice is silent, so the track must be silence, not noise from a misread pipe.
    let loudest = max_volume_db(&recording);
    assert!(loudest < -60.0, "the audio track should be silent, its loudest sample is {loudest} dB");
}

/// Without `--seconds` the stream runs until stopped; SIGTERM (a supervisor, `docker stop`) ends it cleanly: exit
/// status 0, and the server holds a complete recording of what was sent.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, nginx with RTMP (see .ci/run for the packages)"]
fn sigterm_ends_an_unbounded_stream_cleanly() {
    need_ffmpeg();
    need_rtmp_server();
    need_vulkan();
    let server = RtmpServer::start("rtmp-sigterm");
    let url = format!("rtmp://127.0.0.1:{}/live/endless", server.port);
    let child = shopcast_command()
        .args(["render", "--rtmp", &url, "--size", "320x180", "--fps", "10"])
        .current_dir(repo())
        .env("SHOPCAST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start shopcast");
    // On air once nginx has accepted the publisher; then a few seconds of show.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !server.log().contains("publish") {
        assert!(Instant::now() < deadline, "the stream never reached nginx: {}", server.log());
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    let sent = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("run kill");
    assert!(sent.success());
    let out = child.wait_with_output().expect("wait for shopcast");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "SIGTERM should end the stream with status 0: {stderr}");
    let frames: f64 = stderr
        .split("wrote ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no frame count in {stderr}"));
    assert!(frames >= 20.0, "only {frames} frames went out before SIGTERM");
    let recording = server.recording("endless");
    let video = covered_seconds(&recording, "v");
    // Every frame sent is in the recording: ffmpeg was closed and waited for, not killed.
    assert!((video - frames / 10.0).abs() <= 0.3, "{video:.2} s recorded for {frames} frames at 10 frames/s");
}

/// A server that refuses the connection is an error naming ffmpeg, with ffmpeg's own reason; a stream key from the
/// environment reaches ffmpeg but never the terminal.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg (see .ci/run for the packages)"]
fn a_refused_connection_fails_with_ffmpegs_reason_and_hides_the_stream_key() {
    need_ffmpeg();
    need_vulkan();
    let (port, _listener, _holder) = refusing_port();
    let url = format!("rtmp://127.0.0.1:{port}/live");
    let run = shopcast_env(
        &["render", "--rtmp", &url, "--seconds", "3", "--size", "64x36", "--fps", "10"],
        &[("SHOPCAST_STREAM_KEY", "sk-live-4f9a")],
    );
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("ffmpeg"), "the error does not name ffmpeg: {stderr}");
    assert!(stderr.contains("Connection refused"), "ffmpeg's reason is missing: {stderr}");
    assert!(stderr.contains(&format!("{url}/<SHOPCAST_STREAM_KEY>")), "the destination is not named: {stderr}");
    assert!(!stderr.contains("sk-live-4f9a"), "the stream key leaked into the output: {stderr}");
}

/// Without ffmpeg on PATH the error says what is missing and what to install, before any rendering starts.
#[test]
fn a_missing_ffmpeg_is_named_with_the_package_to_install() {
    let empty = scratch("rtmp-no-ffmpeg");
    let path = empty.display().to_string();
    let run = shopcast_env(&["render", "--rtmp", "rtmp://127.0.0.1:1/live/x", "--seconds", "1"], &[("PATH", &path)]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot start ffmpeg"), "{stderr}");
    assert!(stderr.contains("apt-get install ffmpeg"), "{stderr}");
    let _ = std::fs::remove_dir_all(&empty);
}

/// `--video` encodes a file with both tracks, as fast as frames are rendered (no real-time pacing).
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg (see .ci/run for the packages)"]
fn a_video_file_holds_h264_and_aac_for_the_seconds_asked() {
    need_ffmpeg();
    need_vulkan();
    let dir = scratch("rtmp-video");
    let file = dir.join("show.mp4");
    let file_arg = file.display().to_string();
    let run =
        shopcast_env(&["render", "--video", &file_arg, "--seconds", "2", "--size", "320x180", "--fps", "15"], &[]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let streams = streams(&file);
    assert!(streams.contains(&("video".into(), "h264".into(), 320, 180)), "{streams:?}");
    assert!(streams.iter().any(|(kind, codec, ..)| kind == "audio" && codec == "aac"), "{streams:?}");
    let video = covered_seconds(&file, "v");
    assert!((1.9..=2.1).contains(&video), "{video:.3} s of video instead of 2");
    let audio = covered_seconds(&file, "a");
    assert!((1.8..=2.2).contains(&audio), "{audio:.3} s of audio instead of 2");
    let _ = std::fs::remove_dir_all(&dir);
}

/// With the real voice, the host is heard in the stream: espeak-ng's audio is mixed in where each line starts.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, nginx with RTMP (see .ci/run for the packages)"]
fn the_espeak_voice_is_heard_in_the_stream() {
    need_ffmpeg();
    need_rtmp_server();
    need_vulkan();
    let server = RtmpServer::start("rtmp-voice");
    let url = format!("rtmp://127.0.0.1:{}/live/voice", server.port);
    let run = shopcast_env(
        &["render", "--rtmp", &url, "--seconds", "4", "--size", "320x180", "--fps", "10", "--voice", "espeak"],
        &[],
    );
    assert!(run.status.success(), "streaming failed: {}\nnginx: {}", text(&run.stderr), server.log());
    let recording = server.recording("voice");
    let loudest = max_volume_db(&recording);
    assert!(loudest > -30.0, "the host's voice should be heard, the loudest sample is {loudest} dB");
    let audio = covered_seconds(&recording, "a");
    assert!((3.0..=5.0).contains(&audio), "the recording holds {audio:.2} s of audio, not 4 ± 1");
}

/// Wrong combinations are refused before anything starts.
#[test]
fn stream_arguments_are_checked_before_anything_starts() {
    let run = shopcast_env(&["render", "--out", "/tmp/shopcast-never", "--rtmp", "rtmp://127.0.0.1/live/x"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("cannot be used with"), "{}", text(&run.stderr));
    let run = shopcast_env(&["render"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("--out"), "{}", text(&run.stderr));
    let run = shopcast_env(&["render", "--rtmp", "http://127.0.0.1/live/x"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("must start with rtmp:// or rtmps://"), "{}", text(&run.stderr));
    let run = shopcast_env(&["render", "--video", "/tmp/shopcast-never.mp4", "--size", "641x360"], &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("need an even width and height"), "{}", text(&run.stderr));
}

// The live show as a stream: `shopcast run --headless` with outputs.

const LIVE_TOKEN: &str = "test-live-token-0123456789abcdef";

fn need_espeak() {
    let espeak = Command::new("espeak-ng").arg("--version").output().is_ok_and(|o| o.status.success());
    need("espeak-ng (packages espeak-ng libespeak-ng1)", espeak);
}

/// A running `shopcast run --headless` of a test's own: a small stage (320x180 at 10 frames/s, so software
/// rendering keeps up), the real voice, its console on a free port with a known token, its own audit log, and its
/// log in a file. Killed if the test fails half-way.
struct LiveShow {
    child: testkit::Guarded,
    console: u16,
    store: PathBuf,
    log: PathBuf,
}

impl LiveShow {
    fn start(dir: &Path, seconds: u32, args: &[&str]) -> LiveShow {
        LiveShow::start_with(dir, "[stage]\nwidth = 320\nheight = 180\nfps = 10\n", seconds, args)
    }

    /// As [`LiveShow::start`], with this show.toml.
    fn start_with(dir: &Path, show_toml: &str, seconds: u32, args: &[&str]) -> LiveShow {
        let config = dir.join("show.toml");
        std::fs::write(&config, show_toml).unwrap();
        let console = testkit::free_port();
        let store = dir.join("audit.db");
        let log = dir.join("shopcast.log");
        let mut command = shopcast_command();
        command
            .args(["run", "--headless", "--seconds", &seconds.to_string(), "--config"])
            .arg(&config)
            .args(["--console-bind", &format!("127.0.0.1:{console}")])
            .args(args)
            .current_dir(repo())
            .env("SHOPCAST_LOG", "info")
            .env("SHOPCAST_STORE", &store)
            .env("SHOPCAST_CONSOLE_TOKEN", LIVE_TOKEN)
            .env_remove("SHOPCAST_STREAM_KEY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        let child = testkit::Guarded::spawn(&mut command, "shopcast").expect("start shopcast");
        LiveShow { child, console, store, log }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// One HTTP request to the console with the token: status and body (0 and "" when it does not answer).
    fn get(&self, path: &str) -> (u16, String) {
        self.request("GET", path, "")
    }

    fn request(&self, method: &str, path: &str, body: &str) -> (u16, String) {
        use std::io::{Read, Write};
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.console)) else { return (0, String::new()) };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {LIVE_TOKEN}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        if stream.write_all(request.as_bytes()).is_err() {
            return (0, String::new());
        }
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
    }

    /// The lines in the audit log so far (read while the show writes it).
    fn audit(&self) -> Vec<serde_json::Value> {
        let store = self.store.display().to_string();
        let out = super::support::shopcast(&["transcript", "--json", "--store", &store]);
        text(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
    }

    /// Waits for the show to end by itself (its --seconds) and returns its exit status and log.
    fn wait(&mut self, within: Duration) -> (std::process::ExitStatus, String) {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.exited() {
                return (status, self.log());
            }
            assert!(Instant::now() < deadline, "the show did not end within {within:?}:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

/// Waits until `check` holds, failing with `what` and the show's log after `within`.
fn wait_for(show: &LiveShow, within: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + within;
    while !check() {
        assert!(Instant::now() < deadline, "{what} within {within:?}:\n{}", show.log());
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// ffprobe's format tags of a live RTMP stream, as a viewer joining now gets them.
fn live_tags(url: &str) -> serde_json::Value {
    let mut child = Command::new("ffprobe")
        .args(["-v", "error", "-show_entries", "format_tags", "-of", "json", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ffprobe");
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().expect("ffprobe output");
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()["format"]["tags"].clone()
}

/// The AI marking as ffprobe shows it (Matroska writes tag names in capitals).
fn assert_marked(tags: &serde_json::Value, what: &str) {
    let tag = |name: &str| {
        tags[name].as_str().or_else(|| tags[name.to_ascii_uppercase()].as_str()).unwrap_or_default().to_string()
    };
    assert!(tag("comment").contains("AI virtual host") && tag("comment").contains("shopcast"), "{what}: {tags}");
    assert!(tag("description").contains("AI virtual host"), "{what}: {tags}");
    let aigc: serde_json::Value = serde_json::from_str(&tag("aigc")).unwrap_or_default();
    assert_eq!(aigc["Label"], "1", "{what}: {tags}");
    assert!(aigc["ContentProducer"].as_str().is_some_and(|p| p.starts_with("shopcast/")), "{what}: {tags}");
    assert!(aigc["ProduceID"].as_str().is_some_and(|id| id.starts_with("show-")), "{what}: {tags}");
}

/// The acceptance run of the live show as a stream: the real show (console, ingest, writer, guard, espeak voice,
/// audit log) streams to nginx-rtmp; a viewer's question posted through the ingest is answered, in the audit log
/// and on air; the recording holds H.264 video and the voice as non-silent AAC; the stream says it is AI-made.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, nginx with RTMP, espeak-ng (see .ci/run for the packages)"]
fn the_live_show_streams_to_rtmp_answers_a_viewer_and_marks_itself_as_ai() {
    need_ffmpeg();
    need_rtmp_server();
    need_vulkan();
    need_espeak();
    let server = RtmpServer::start("live-stream");
    let url = format!("rtmp://127.0.0.1:{}/live/show", server.port);
    let dir = scratch("live-stream-show");
    let mut show = LiveShow::start(&dir, 35, &["--rtmp", &url]);
    wait_for(&show, Duration::from_secs(60), "the stream never reached nginx", || server.publishes() >= 1);
    assert_marked(&live_tags(&url), "the live stream's onMetaData");

    let comment =
        r#"{"platform":"tiktok","id":"live-1","user_id":"u1","user_name":"mia","text":"how much is the tea set?"}"#;
    let (status, body) = show.request("POST", "/ingest/comments", comment);
    assert!((200..300).contains(&status), "the ingest refused the comment: {status} {body}");
    let (status, health) = show.get("/healthz");
    assert!(health.contains("\"output\""), "/healthz lists the output: {status} {health}");
    let (_, metrics) = show.get("/metrics");
    assert!(metrics.contains("shopcast_output_frames_duplicated_total"), "{metrics}");
    assert!(metrics.contains("shopcast_source_healthy{source=\"output\"} 1"), "{metrics}");

    let (status, log) = show.wait(Duration::from_secs(90));
    assert!(status.success(), "the show failed:\n{log}");
    let rows = show.audit();
    let answer = rows
        .iter()
        .find(|row| row["kind"].to_string().contains("answer") && row.to_string().contains("mia"))
        .unwrap_or_else(|| panic!("no answer to mia in the audit log ({} lines):\n{log}", rows.len()));
    assert!(answer.to_string().contains("199") || answer.to_string().contains("Tea"), "{answer}");

    let recording = server.recording("show");
    let streams = streams(&recording);
    assert!(streams.contains(&("video".into(), "h264".into(), 320, 180)), "no 320x180 H.264 video: {streams:?}");
    assert!(streams.iter().any(|(kind, codec, ..)| kind == "audio" && codec == "aac"), "no AAC audio: {streams:?}");
    let video = covered_seconds(&recording, "v");
    assert!(video >= 15.0, "the recording holds {video:.1} s of video of a 35 s show");
    let audio = covered_seconds(&recording, "a");
    assert!((audio - video).abs() < 2.0, "{audio:.1} s of audio for {video:.1} s of video");
    let loudest = max_volume_db(&recording);
    assert!(loudest > -30.0, "the host's voice should be heard in the stream, its loudest sample is {loudest} dB");
}

/// The ingest goes away mid-show and comes back: the show never stops (the audit log keeps growing through the
/// outage), /healthz says the output is reconnecting meanwhile, the stream resumes on the server within seconds
/// of its return, and the local recording runs straight through.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, nginx with RTMP, espeak-ng (see .ci/run for the packages)"]
fn an_ingest_outage_never_stops_the_show_and_the_stream_resumes() {
    need_ffmpeg();
    need_rtmp_server();
    need_vulkan();
    need_espeak();
    let mut server = RtmpServer::start_with("live-outage", "record_unique on;");
    let url = format!("rtmp://127.0.0.1:{}/live/show", server.port);
    let dir = scratch("live-outage-show");
    let record = dir.join("recording");
    let record_arg = record.display().to_string();
    let mut show = LiveShow::start(&dir, 50, &["--rtmp", &url, "--record", &record_arg]);
    wait_for(&show, Duration::from_secs(60), "the stream never reached nginx", || server.publishes() >= 1);
    std::thread::sleep(Duration::from_secs(4));
    let before = show.audit().len();

    server.kill();
    let down = Instant::now();
    let mut reconnecting = String::new();
    wait_for(&show, Duration::from_secs(20), "/healthz never said the output is reconnecting", || {
        let (status, body) = show.get("/healthz");
        let said = status == 503 && body.contains("output is down: reconnecting");
        if said {
            reconnecting = body;
        }
        said
    });
    assert!(reconnecting.contains(&url), "the health names the destination: {reconnecting}");
    // The show goes on without its ingest: lines keep reaching the audit log.
    wait_for(&show, Duration::from_secs(20), "no line was said during the outage", || show.audit().len() > before);
    let during = show.audit().len();
    std::thread::sleep(Duration::from_secs(8).saturating_sub(down.elapsed()));

    server.restart();
    let back = Instant::now();
    wait_for(&show, Duration::from_secs(20), "the stream never resumed", || server.publishes() >= 2);
    let resumed_in = back.elapsed();
    eprintln!("the stream resumed {:.1} s after the server came back", resumed_in.as_secs_f64());
    assert!(resumed_in <= Duration::from_secs(10), "the stream took {resumed_in:?} to resume (goal: 5 s)");
    wait_for(&show, Duration::from_secs(20), "/healthz never recovered", || {
        let (status, body) = show.get("/healthz");
        status == 200 || !body.contains("output is down")
    });
    let (_, metrics) = show.get("/metrics");
    assert!(metrics.contains("shopcast_output_restarts_total{output=\"output\"}"), "{metrics}");
    assert!(metrics.contains("shopcast_source_reconnects_total{source=\"output\"} 1"), "{metrics}");

    let (status, log) = show.wait(Duration::from_secs(90));
    assert!(status.success(), "the show must end normally after an outage:\n{log}");
    assert!(show.audit().len() > during, "the show kept talking after the outage");

    // The stream after the outage is a whole one: video and the voice track.
    std::thread::sleep(Duration::from_secs(2));
    let mut recordings: Vec<PathBuf> = std::fs::read_dir(server.dir.join("records"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "flv"))
        .collect();
    recordings.sort();
    assert!(recordings.len() >= 2, "one recording per publish expected: {recordings:?}\n{}", server.log());
    let resumed = recordings.last().unwrap();
    let streams = streams(resumed);
    assert!(streams.iter().any(|(kind, codec, ..)| kind == "video" && codec == "h264"), "{streams:?}");
    assert!(streams.iter().any(|(kind, codec, ..)| kind == "audio" && codec == "aac"), "{streams:?}");
    let video = covered_seconds(resumed, "v");
    assert!(video >= 5.0, "only {video:.1} s streamed after the outage");

    // The local recording never stopped: it covers the outage too.
    let files: Vec<PathBuf> = std::fs::read_dir(&record).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "one hour-long file: {files:?}");
    let recorded = covered_seconds(&files[0], "v");
    let streamed_before_and_after = covered_seconds(recordings.first().unwrap(), "v") + video;
    assert!(
        recorded >= streamed_before_and_after + 4.0,
        "the recording ({recorded:.1} s) should include the outage the stream missed ({streamed_before_and_after:.1} s streamed)"
    );
}

/// `--record` with a short period rotates into several files that each play on their own, alongside a `--video`
/// file; all carry the AI marking.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg (see .ci/run for the packages)"]
fn the_recording_rotates_into_files_that_play_on_their_own() {
    need_ffmpeg();
    need_vulkan();
    let dir = scratch("live-record");
    let record = dir.join("recording");
    let video = dir.join("show.mp4");
    let (record_arg, video_arg) = (record.display().to_string(), video.display().to_string());
    let mut show =
        LiveShow::start(&dir, 14, &["--record", &record_arg, "--record-segment-seconds", "3", "--video", &video_arg]);
    let (status, log) = show.wait(Duration::from_secs(90));
    assert!(status.success(), "{log}");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&record).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    assert!(files.len() >= 2, "3-second files from a 14 s show: {files:?}\n{log}");
    for file in &files {
        assert!(file.extension().is_some_and(|x| x == "mkv"), "{}", file.display());
        let streams = streams(file);
        assert!(streams.contains(&("video".into(), "h264".into(), 320, 180)), "{}: {streams:?}", file.display());
        assert!(streams.iter().any(|(k, c, ..)| k == "audio" && c == "aac"), "{}: {streams:?}", file.display());
        // Each file decodes from its own first frame: it starts on a keyframe.
        let pixel = first_pixel(file);
        assert!(pixel.iter().any(|&c| c > 0), "{} starts black", file.display());
        assert_marked(&probe(file, &["-show_entries", "format_tags"])["format"]["tags"], &file.display().to_string());
    }
    let whole: f64 =
        files[..files.len() - 1].iter().map(|f| covered_seconds(f, "v")).sum::<f64>() / (files.len() - 1) as f64;
    assert!((2.5..=4.5).contains(&whole), "full files should hold about 3 s each, not {whole:.1}");
    assert_marked(&probe(&video, &["-show_entries", "format_tags"])["format"]["tags"], "the MP4 file");
    assert!(covered_seconds(&video, "v") >= 5.0, "{log}");
}

/// What cannot work is refused before the show starts, naming what to change.
#[test]
fn bad_live_outputs_are_refused_with_what_to_change() {
    let dir = scratch("live-bad");
    let store = dir.join("audit.db");
    let run = |args: &[&str]| {
        let out = shopcast_command()
            .args(args)
            .env("SHOPCAST_STORE", &store)
            .env("SHOPCAST_LOG", "warn")
            .env_remove("SHOPCAST_STREAM_KEY")
            .output()
            .expect("run shopcast");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stderr));
        text(&out.stderr)
    };
    let stderr = run(&["run", "--rtmp", "rtmp://127.0.0.1/live/x", "--seconds", "1"]);
    assert!(stderr.contains("need --headless"), "{stderr}");
    let stderr = run(&["run", "--headless", "--rtmp", "http://127.0.0.1/live/x", "--seconds", "1"]);
    assert!(stderr.contains("must start with rtmp:// or rtmps://"), "{stderr}");
    let stderr = run(&["run", "--headless", "--out", "frames/", "--seconds", "1"]);
    assert!(stderr.contains("--out -"), "{stderr}");
    let blocker = dir.join("a-file");
    std::fs::write(&blocker, "not a folder").unwrap();
    let record = blocker.join("recording").display().to_string();
    let stderr = run(&["run", "--headless", "--record", &record, "--seconds", "1"]);
    assert!(stderr.contains("cannot write to") && stderr.contains("--record DIR"), "{stderr}");
    let stderr = run(&["run", "--headless", "--record", "rec", "--record-segment-seconds", "1", "--seconds", "1"]);
    assert!(stderr.contains("--record-segment-seconds 1 must be from 2"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The recording's folder goes away mid-show (as a full or unmounted disk would take it): the recording stops with
/// an error on the console's health, and the show goes on to its end.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg (see .ci/run for the packages)"]
fn a_recording_that_cannot_be_written_stops_alone_and_the_show_goes_on() {
    need_ffmpeg();
    need_vulkan();
    let dir = scratch("live-record-lost");
    let record = dir.join("recording");
    let record_arg = record.display().to_string();
    let mut show = LiveShow::start(&dir, 30, &["--record", &record_arg, "--record-segment-seconds", "2"]);
    wait_for(&show, Duration::from_secs(60), "no recording file appeared", || {
        std::fs::read_dir(&record).is_ok_and(|mut entries| entries.next().is_some())
    });
    // The folder is gone and a file stands in its way: the next file cannot be opened.
    std::fs::rename(&record, dir.join("moved-away")).unwrap();
    std::fs::write(&record, "not a folder").unwrap();
    let before = show.audit().len();
    let mut health = String::new();
    wait_for(&show, Duration::from_secs(30), "/healthz never said the recording stopped", || {
        health = show.get("/healthz").1;
        health.contains("recording is down: stopped")
    });
    assert!(health.contains("recording"), "{health}");
    let (status, log) = show.wait(Duration::from_secs(90));
    assert!(status.success(), "the show must end normally without its recording:\n{log}");
    assert!(log.contains("recording: stopped for the rest of the show, the show goes on"), "{log}");
    assert!(show.audit().len() > before, "the show kept talking after the recording stopped:\n{log}");
}

/// `run --headless --out -` writes the live show's raw RGBA frames to stdout at the stage's size and rate, for
/// piping into another program.
#[test]
#[ignore = "needs a Vulkan driver (see .ci/run for the packages)"]
fn the_live_show_writes_raw_frames_to_stdout() {
    need_vulkan();
    let dir = scratch("live-raw");
    let config = dir.join("show.toml");
    std::fs::write(&config, "[stage]\nwidth = 160\nheight = 90\nfps = 10\n").unwrap();
    let out = shopcast_command()
        .args(["run", "--headless", "--seconds", "8", "--out", "-", "--config"])
        .arg(&config)
        .env("SHOPCAST_STORE", dir.join("audit.db"))
        .env("SHOPCAST_LOG", "warn")
        .output()
        .expect("run shopcast");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let frame = 160 * 90 * 4;
    assert_eq!(out.stdout.len() % frame, 0, "{} bytes is not whole frames", out.stdout.len());
    let frames = out.stdout.len() / frame;
    // Paced at 10 frames/s from the first rendered frame to the end of an 8 s show (start-up takes a few seconds).
    assert!((20..=85).contains(&frames), "{frames} frames in an 8 s show at 10 frames/s");
    let last = &out.stdout[out.stdout.len() - frame..];
    assert!(near([last[0], last[1], last[2]], STUDIO_BACKGROUND, 2), "the corner is the studio background");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The mouth and the voice in a live recording stay together: `bench-av-sync` pairs each line's first sound with
/// the mouth opening in the picture. The figure the issue asks for (within 40 ms, and its drift over hours) is
/// measured on long runs in BENCHMARKS.md ("A/V sync"); this catches a voice placed off its mouth by more than
/// three frames, whatever the machine's load.
#[test]
#[ignore = "needs a Vulkan driver, ffmpeg, espeak-ng (see .ci/run for the packages)"]
fn the_mouth_in_the_recording_moves_with_the_voice() {
    need_ffmpeg();
    need_vulkan();
    need_espeak();
    let dir = scratch("live-sync");
    let record = dir.join("recording");
    let record_arg = record.display().to_string();
    let config = "[stage]\nwidth = 640\nheight = 360\nfps = 30\n";
    let mut show = LiveShow::start_with(&dir, config, 25, &["--record", &record_arg]);
    let (status, log) = show.wait(Duration::from_secs(120));
    assert!(status.success(), "{log}");
    let files: Vec<PathBuf> = std::fs::read_dir(&record).unwrap().flatten().map(|e| e.path()).collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let json = dir.join("sync.json");
    let (file, json_arg) = (files[0].display().to_string(), json.display().to_string());
    let measured = shopcast(&["bench-av-sync", &file, "--window", "10", "--json", &json_arg]);
    let screen = text(&measured.stdout);
    assert!(measured.status.success(), "{screen}\n{}", text(&measured.stderr));
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let report = &report[0]["report"];
    let paired = report["paired"].as_u64().unwrap();
    assert!(paired >= 3, "lines whose start was paired with the mouth: {screen}");
    let median = report["start_offset_ms"]["median"].as_f64().unwrap();
    assert!(median.abs() <= 100.0, "the mouth opens {median:+.0} ms from the sound: {screen}\n{log}");
    let lags: Vec<f64> = report["windows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["correlation"].as_f64().unwrap() >= 0.3)
        .map(|w| w["lag_ms"].as_f64().unwrap())
        .collect();
    assert!(!lags.is_empty(), "no window where the mouth follows the voice: {screen}");
    assert!(lags.iter().all(|lag| lag.abs() <= 100.0), "{screen}");
}
