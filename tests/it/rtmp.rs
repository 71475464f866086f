//! Streaming without OBS: `shopcast render --rtmp` into a real nginx RTMP server on 127.0.0.1 (Debian's nginx with
//! libnginx-mod-rtmp, recording what it receives), checked with ffprobe; `--video` files; and the failures an
//! operator meets first (no ffmpeg, a server that refuses the connection).

use super::support::{need, repo, scratch, shopcast_command, text};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const RTMP_MODULE: &str = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

fn runs(program: &str) -> bool {
    Command::new(program).arg("-version").output().is_ok_and(|o| o.status.success())
}

fn need_ffmpeg() {
    need("ffmpeg and ffprobe (package ffmpeg)", runs("ffmpeg") && runs("ffprobe"));
}

fn need_rtmp_server() {
    let nginx = Command::new("nginx").arg("-v").output().is_ok_and(|o| o.status.success());
    need("nginx with the RTMP module (packages nginx libnginx-mod-rtmp)", nginx && Path::new(RTMP_MODULE).is_file());
}

fn need_vulkan() {
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
               application live {{ live on; record all; record_path {records}; }} }} }}\n",
            dir = dir.display(),
            records = records.display(),
        );
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let child = Command::new("nginx")
            .arg("-p")
            .arg(&dir)
            .arg("-e")
            .arg(dir.join("error.log"))
            .arg("-c")
            .arg(dir.join("nginx.conf"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx");
        let mut server = RtmpServer { child, dir, port };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!("nginx exited with {status}: {}", server.log());
            }
            assert!(Instant::now() < deadline, "nginx did not listen on {port} within 10 s: {}", server.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        server
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
fn streams(path: &Path) -> Vec<(String, String, u64, u64)> {
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
fn covered_seconds(path: &Path, selector: &str) -> f64 {
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
fn max_volume_db(path: &Path) -> f64 {
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
