//! `shopcast doctor`: everything the configured show needs from this machine, checked one by one, each finding
//! with the command that fixes it. `shopcast run` runs the local checks at start ([`Depth::Start`]) and refuses
//! with the same words when one fails, instead of failing deep in a run.
//!
//! A check fails ([`Status::Fail`]) only when the show as configured cannot run (no renderer, a Chinese show
//! without a Chinese font, ffmpeg missing for a configured stream, a store it cannot write, an address in use).
//! What the show survives (the LLM down: templates; the voice down: captions; OBS or a chat source away: retried)
//! is a warning, because the show goes on air without it.

use crate::config::{Settings, VoiceSettings, WriterSettings};
use anyhow::Result;
use model::Lang;
use serde::Serialize;
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(clap::Args, Debug, Default)]
pub struct DoctorArgs {
    /// The show configuration to check (as `run --config`). Without it, the embedded defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Check for `run --headless` (a server without a display). Without it, both modes are considered.
    #[arg(long)]
    headless: bool,
    /// Print the findings as JSON for scripts.
    #[arg(long)]
    json: bool,
}

/// How a check came out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Present and working.
    Ok,
    /// Not needed by this configuration.
    Skip,
    /// The show runs without it, less well (the finding says how).
    Warn,
    /// The show as configured cannot run.
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Skip => "--",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

/// One check's result: what was found and, when something is wrong, the command or setting that fixes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    fn ok(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding { check, status: Status::Ok, detail: detail.into(), fix: None }
    }
    fn skip(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding { check, status: Status::Skip, detail: detail.into(), fix: None }
    }
    fn warn(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding { check, status: Status::Warn, detail: detail.into(), fix: Some(fix.into()) }
    }
    fn fail(check: &'static str, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
        Finding { check, status: Status::Fail, detail: detail.into(), fix: Some(fix.into()) }
    }
    /// A warning that becomes a failure when the configuration needs the thing.
    fn missing(check: &'static str, needed: bool, detail: impl Into<String>, fix: impl Into<String>) -> Finding {
        if needed { Finding::fail(check, detail, fix) } else { Finding::warn(check, detail, fix) }
    }
}

/// Which display the show will use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Headless,
    Window,
    /// `doctor` without `--headless`: a missing display is a warning (only `--headless` runs).
    Either,
}

/// How far the checks go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// `doctor`: everything, servers included (the LLM asked for a word, the voice speaking a line).
    Full,
    /// `run` at start: what is on this machine; the servers are left to the show's own supervisors, which retry
    /// them and report them on the console.
    Start,
}

/// The findings for one configuration, in the order they are printed.
#[derive(Debug, Serialize)]
pub struct Report {
    pub config: String,
    pub mode: Mode,
    pub can_run: bool,
    pub checks: Vec<Finding>,
}

impl Report {
    fn new(config: String, mode: Mode, checks: Vec<Finding>) -> Report {
        let can_run = checks.iter().all(|f| f.status != Status::Fail);
        Report { config, mode, can_run, checks }
    }

    /// The findings as one screen of text.
    pub fn text(&self) -> String {
        let mut out = format!("shopcast doctor: {} ({})\n\n", self.config, mode_words(self.mode));
        for finding in &self.checks {
            out.push_str(&finding_text(finding));
        }
        let count = |s| self.checks.iter().filter(|f| f.status == s).count();
        let (fails, warns) = (count(Status::Fail), count(Status::Warn));
        out.push('\n');
        out.push_str(&match (fails, warns) {
            (0, 0) => "The show can run, and everything it is configured to use is here.\n".to_string(),
            (0, w) => format!("The show can run; {w} warning(s) above say what it would run without.\n"),
            (f, _) => format!("The show cannot run: fix the {f} failure(s) marked FAIL above.\n"),
        });
        out
    }
}

fn mode_words(mode: Mode) -> &'static str {
    match mode {
        Mode::Headless => "headless",
        Mode::Window => "in a window",
        Mode::Either => "window or --headless",
    }
}

fn finding_text(f: &Finding) -> String {
    let mut out = format!("  {:<4}  {:<9} {}\n", f.status.label(), f.check, f.detail);
    if let Some(fix) = &f.fix {
        out.push_str(&format!("  {:<4}  {:<9} fix: {fix}\n", "", ""));
    }
    out
}

/// `shopcast doctor`: exit status 0 when the configured show can run, 1 when it cannot.
pub fn run(args: DoctorArgs) -> Result<std::process::ExitCode> {
    let settings = crate::config::load(args.config.as_deref(), &|k| std::env::var(k).ok())?;
    let config = match &args.config {
        Some(path) => path.display().to_string(),
        None => "the embedded defaults".to_string(),
    };
    let mode = if args.headless { Mode::Headless } else { Mode::Either };
    let report = examine(&settings, config, mode, Depth::Full);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.text());
    }
    Ok(if report.can_run { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE })
}

/// `run`'s start: the local checks; warnings go to the log, and any failure stops the start with its words.
pub fn before_run(settings: &Settings, headless: bool) -> Result<()> {
    let mode = if headless { Mode::Headless } else { Mode::Window };
    let report = examine(settings, "the show".into(), mode, Depth::Start);
    for finding in report.checks.iter().filter(|f| f.status == Status::Warn) {
        let fix = finding.fix.as_deref().unwrap_or("");
        tracing::warn!("{}: {} (fix: {fix})", finding.check, finding.detail);
    }
    if report.can_run {
        return Ok(());
    }
    let failures: String = report.checks.iter().filter(|f| f.status == Status::Fail).map(finding_text).collect();
    anyhow::bail!("the show cannot start on this machine (`shopcast doctor` checks everything):\n{failures}")
}

/// Runs every check for `settings`.
pub fn examine(settings: &Settings, config: String, mode: Mode, depth: Depth) -> Report {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            let finding = Finding::fail("runtime", format!("cannot start the async runtime: {e}"), "free memory");
            return Report::new(config, mode, vec![finding]);
        }
    };
    let mut checks = Vec::new();
    let scene = match depth {
        Depth::Full => {
            let (found, scene) = show_files(settings);
            checks.extend(found);
            scene
        }
        // `run` loads the files itself right after, with the same words.
        Depth::Start => None,
    }
    .unwrap_or_else(model::Scene::studio);
    checks.push(runtime.block_on(renderer()));
    checks.push(display(mode));
    checks.push(fonts(&scene, settings.show.lang));
    checks.push(runtime.block_on(voice(&settings.voice, settings.show.lang, depth)));
    checks.push(ffmpeg(settings.output.any()));
    if depth == Depth::Full {
        checks.push(runtime.block_on(llm(&settings.writer)));
        checks.push(runtime.block_on(obs(settings.obs.as_ref())));
        checks.extend(runtime.block_on(chat_sources(&settings.chat)));
        checks.push(runtime.block_on(shop(settings.shop.as_ref(), &|k| std::env::var(k).ok())));
    }
    if let Some(bind) = settings.chat.ingest_bind {
        checks.push(bindable("ingest", bind, "[chat] ingest_bind or SHOPCAST_INGEST_BIND"));
    }
    checks.push(console(settings.console_bind));
    checks.push(store());
    if let Some(dir) = &settings.output.record {
        checks.push(recording(dir));
    }
    checks.push(clock());
    Report::new(config, mode, checks)
}

/// The product file and the scene file, read as the show reads them.
fn show_files(settings: &Settings) -> (Vec<Finding>, Option<model::Scene>) {
    let mut found = Vec::new();
    let products = settings.products.as_deref();
    let name = products.map_or_else(|| crate::demo::DEMO_PRODUCTS_NAME.to_string(), |p| p.display().to_string());
    let fix_products = match products {
        Some(path) => format!("shopcast check {} lists each problem with its line", path.display()),
        None => "rebuild shopcast: the embedded demo queue should always load".to_string(),
    };
    match crate::demo::load_catalog(products, settings.currency.as_ref()) {
        Ok(load) if load.products.is_empty() => {
            found.push(Finding::fail("products", format!("{name}: no valid products to show"), fix_products))
        }
        Ok(load) => {
            let problems = load.diagnostics.len();
            let detail = format!("{name}: {} product(s)", load.products.len());
            found.push(if problems == 0 {
                Finding::ok("products", detail)
            } else {
                Finding::warn("products", format!("{detail}, {problems} problem(s) skipped"), fix_products)
            });
        }
        Err(e) => found.push(Finding::fail("products", format!("{name}: {e:#}"), fix_products)),
    }
    let scene = match &settings.scene {
        None => {
            found.push(Finding::ok("scene", "the built-in studio scene"));
            Some(model::Scene::studio())
        }
        Some(path) => {
            let load = backstage::scene::load_file(path);
            match load.scene {
                Some(scene) => {
                    found.push(Finding::ok("scene", format!("{}: {}x{}", path.display(), scene.width, scene.height)));
                    Some(scene)
                }
                None => {
                    let first = load.diagnostics.first().map(ToString::to_string).unwrap_or_default();
                    let fix = format!("shopcast check {} lists each problem with its line", path.display());
                    found.push(Finding::fail("scene", format!("{} has errors: {first}", path.display()), fix));
                    None
                }
            }
        }
    };
    (found, scene)
}

const VULKAN_FIX: &str = "sudo apt-get install mesa-vulkan-drivers libvulkan1 (software Vulkan), or the GPU's \
                          driver (for NVIDIA: nvidia-driver and libnvidia-gl)";

/// The adapter Bevy would render with (wgpu's, with the same backends and the same WGPU_* environment).
async fn renderer() -> Finding {
    use wgpu::{Backends, DeviceType, Instance, InstanceDescriptor};
    let instance = Instance::new(InstanceDescriptor::new_without_display_handle_from_env());
    let backends = Backends::from_env().unwrap_or(Backends::all());
    let mut adapters: Vec<wgpu::AdapterInfo> =
        instance.enumerate_adapters(backends).await.iter().map(wgpu::Adapter::get_info).collect();
    let rank = |t: DeviceType| match t {
        DeviceType::DiscreteGpu => 0,
        DeviceType::IntegratedGpu => 1,
        DeviceType::VirtualGpu => 2,
        DeviceType::Other => 3,
        DeviceType::Cpu => 4,
    };
    adapters.sort_by_key(|a| (rank(a.device_type), a.backend != wgpu::Backend::Vulkan));
    match adapters.first() {
        None => Finding::fail(
            "renderer",
            "no graphics adapter: Vulkan finds no device, not even a software one",
            VULKAN_FIX,
        ),
        Some(best) => {
            let what = format!("{} ({}, {})", best.name, best.backend, best.driver_info.trim());
            if best.device_type == DeviceType::Cpu {
                Finding::ok(
                    "renderer",
                    format!("{what}: software rendering on the CPU; 1280x720 at 30 frames/s fits (BENCHMARKS.md)"),
                )
            } else {
                Finding::ok("renderer", format!("{what}: a GPU"))
            }
        }
    }
}

fn display(mode: Mode) -> Finding {
    let has_display = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()));
    let fix = "run with --headless, or under xvfb-run (xvfb-run shopcast run); headless, the show streams itself with \
               --rtmp, --video or --record";
    match (mode, has_display) {
        (Mode::Headless, _) => Finding::skip("display", "headless: no window"),
        (_, true) => Finding::ok("display", "a display for the show window (DISPLAY or WAYLAND_DISPLAY is set)"),
        (Mode::Window, false) => Finding::fail("display", "no display to open the show window on", fix),
        (Mode::Either, false) => {
            Finding::warn("display", "no display: only `shopcast run --headless` can run here", fix)
        }
    }
}

/// The scene's fonts as the stage looks them up (fontconfig through Bevy's font collection).
fn fonts(scene: &model::Scene, lang: Lang) -> Finding {
    // fontique panics when fontconfig knows no font at all, and the stage would too, on its first frame: that is
    // a finding here, not a crash.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let found = std::panic::catch_unwind(|| {
        let mut cx = bevy::text::FontCx::default();
        scene.fonts.iter().find(|family| cx.collection.family_id(family).is_some()).cloned()
    });
    std::panic::set_hook(hook);
    let Ok(found) = found else {
        return Finding::fail(
            "fonts",
            "fontconfig finds no font at all: the stage cannot draw text (and stops on its first frame)",
            "sudo apt-get install fontconfig fonts-noto-cjk",
        );
    };
    match found {
        Some(family) => Finding::ok("fonts", format!("{family} (Chinese and English text)")),
        None => Finding::missing(
            "fonts",
            lang == Lang::Zh,
            format!(
                "none of the scene's fonts {:?} is installed: Chinese text (titles, comments{}) would not render",
                scene.fonts,
                if lang == Lang::Zh { ", every caption" } else { "" }
            ),
            "sudo apt-get install fonts-noto-cjk (then fc-list :lang=zh shows it)",
        ),
    }
}

async fn voice(settings: &VoiceSettings, lang: Lang, depth: Depth) -> Finding {
    let timeout = Duration::from_secs(10);
    let (fix, what) = match settings {
        VoiceSettings::Silent => return Finding::ok("voice", "captions only ([voice] kind = \"silent\")"),
        VoiceSettings::Espeak { voice_en, voice_zh, .. } => (
            "sudo apt-get install espeak-ng libespeak-ng1 (Mandarin is in espeak-ng-data), or set [voice] kind = \
             \"silent\""
                .to_string(),
            format!("espeak-ng, voices {voice_en} and {voice_zh}"),
        ),
        VoiceSettings::OpenAi { base_url, model, .. } => (
            format!(
                "start the speech server at {base_url} or fix [voice] base_url and model (key in SHOPCAST_TTS_API_KEY), \
                 or set [voice] kind = \"espeak\""
            ),
            format!("{model} at {base_url}"),
        ),
    };
    let settings = settings.clone();
    let built = tokio::task::spawn_blocking(move || crate::wiring::build_voice(&settings, timeout)).await;
    let voice = match built {
        Ok(Ok(voice)) => voice,
        Ok(Err(e)) => {
            return Finding::warn("voice", format!("{what} cannot start ({e}); the show would be captions only"), fix);
        }
        Err(e) => return Finding::warn("voice", format!("{what} cannot start ({e})"), fix),
    };
    if depth == Depth::Start && voice.name() == "openai" {
        return Finding::ok("voice", format!("{what} (asked on the first line)"));
    }
    let line = match lang {
        Lang::En => "Hello, I am the AI host.",
        Lang::Zh => "大家好，我是AI主播。",
    };
    let started = Instant::now();
    match tokio::time::timeout(timeout, voice.speak(line, lang)).await {
        Ok(Ok(clip)) if clip.audio.is_some() => Finding::ok(
            "voice",
            format!("{what}: a {} ms line spoken in {} ms", clip.duration_ms, started.elapsed().as_millis()),
        ),
        Ok(Ok(_)) => Finding::warn("voice", format!("{what} returned no audio for a test line"), fix),
        Ok(Err(e)) => {
            Finding::warn("voice", format!("{what} failed on a test line ({e}); lines would air as captions"), fix)
        }
        Err(_) => Finding::warn("voice", format!("{what} did not speak a test line within {timeout:?}"), fix),
    }
}

/// What `ffmpeg -encoders` lists that the show uses.
#[derive(Debug, Default, PartialEq, Eq)]
struct Encoders {
    x264: bool,
    aac: bool,
    gpu: Vec<String>,
}

fn parse_encoders(listing: &str) -> Encoders {
    let mut found = Encoders::default();
    for line in listing.lines() {
        // " V....D libx264              libx264 H.264 ..." : flags, then the encoder's name.
        let mut words = line.split_whitespace();
        let (Some(flags), Some(name)) = (words.next(), words.next()) else { continue };
        if flags.len() != 6 || !flags.starts_with(['V', 'A']) {
            continue;
        }
        match name {
            "libx264" => found.x264 = true,
            "aac" => found.aac = true,
            "h264_nvenc" | "h264_vaapi" | "h264_qsv" | "h264_amf" => found.gpu.push(name.to_string()),
            _ => {}
        }
    }
    found
}

fn ffmpeg(needed: bool) -> Finding {
    let fix = "sudo apt-get install ffmpeg";
    let why = if needed {
        "the configured outputs need it"
    } else {
        "needed only to stream or record (--rtmp, --video, --record)"
    };
    let listing = match std::process::Command::new("ffmpeg").args(["-hide_banner", "-encoders"]).output() {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).into_owned(),
        Ok(out) => {
            let detail = format!("ffmpeg -encoders failed ({}); {why}", out.status);
            return Finding::missing("ffmpeg", needed, detail, fix);
        }
        Err(e) => return Finding::missing("ffmpeg", needed, format!("ffmpeg is not installed ({e}); {why}"), fix),
    };
    let encoders = parse_encoders(&listing);
    let mut lacking = Vec::new();
    if !encoders.x264 {
        lacking.push("libx264 (H.264)");
    }
    if !encoders.aac {
        lacking.push("aac");
    }
    if !lacking.is_empty() {
        let detail = format!("ffmpeg lacks {}; {why}", lacking.join(" and "));
        return Finding::missing("ffmpeg", needed, detail, "install a full ffmpeg build: sudo apt-get install ffmpeg");
    }
    let gpu = if encoders.gpu.is_empty() {
        String::new()
    } else {
        format!("; built with GPU encoders {}", encoders.gpu.join(", "))
    };
    Finding::ok("ffmpeg", format!("libx264 and aac{gpu}"))
}

async fn llm(writer: &WriterSettings) -> Finding {
    let WriterSettings::Llm { base_url, model } = writer else {
        return Finding::skip("llm", "[writer] kind = \"templates\": lines come from the product data");
    };
    let fix = format!(
        "start the OpenAI-compatible server at {base_url} serving {model:?} (for example `llama-server -m MODEL.gguf \
         --port 8080`), check [writer] base_url and model, put a hosted service's key in SHOPCAST_LLM_API_KEY, or set \
         [writer] kind = \"templates\""
    );
    let mut config = crate::wiring::llm_config(base_url, model);
    config.first_token_timeout = Duration::from_secs(8);
    config.total_timeout = Duration::from_secs(10);
    config.max_retries = 0;
    config.max_tokens = Some(8);
    let client = match backstage::llm::LlmClient::new(config) {
        Ok(client) => client,
        Err(e) => return Finding::fail("llm", format!("[writer] is invalid: {e}"), fix),
    };
    use director::prompt::{ChatMessage, Role};
    let messages = [
        ChatMessage { role: Role::System, content: "Answer with one word.".into() },
        ChatMessage { role: Role::User, content: "Say OK.".into() },
    ];
    let started = Instant::now();
    let first = async {
        let mut stream = client.stream(&messages)?;
        loop {
            match stream.next_delta().await {
                Some(Ok(delta)) if delta.trim().is_empty() => continue,
                Some(Ok(_)) => return Ok(Some(started.elapsed())),
                Some(Err(e)) => return Err(e),
                None => return Ok(None),
            }
        }
    };
    let down = |why: String| {
        Finding::warn("llm", format!("{model} at {base_url}: {why}; the show would use templates"), fix.clone())
    };
    match tokio::time::timeout(Duration::from_secs(12), first).await {
        Ok(Ok(Some(ttft))) => {
            Finding::ok("llm", format!("{model} at {base_url}: first token in {} ms", ttft.as_millis()))
        }
        Ok(Ok(None)) => down("the server answered with no words".into()),
        Ok(Err(e)) => down(e.to_string()),
        Err(_) => down("no answer within 12 s".into()),
    }
}

async fn obs(config: Option<&backstage::obs::ObsConfig>) -> Finding {
    let Some(config) = config else {
        return Finding::skip(
            "obs",
            "no [obs] section: shopcast does not steer OBS (OBS can still capture the window)",
        );
    };
    let fix = format!(
        "start OBS Studio 28 or newer, enable Tools > WebSocket Server Settings on {}, and put its password in \
         SHOPCAST_OBS_PASSWORD",
        config.url
    );
    let link = backstage::obs::ObsLink::start(config.link_options());
    let mut health = link.health();
    let connected = tokio::time::timeout(Duration::from_secs(4), health.wait_for(|h| h.healthy)).await;
    if !matches!(connected, Ok(Ok(_))) {
        let detail = link.health().borrow().detail.clone();
        return Finding::warn("obs", format!("{}: {detail}; the show would run without OBS control", config.url), fix);
    }
    match link.request("GetVersion", serde_json::Value::Null).await {
        Ok(version) => Finding::ok(
            "obs",
            format!(
                "OBS {} with obs-websocket {} at {}",
                version["obsVersion"].as_str().unwrap_or("?"),
                version["obsWebSocketVersion"].as_str().unwrap_or("?"),
                config.url
            ),
        ),
        Err(e) => Finding::warn("obs", format!("{}: connected, but GetVersion failed: {e}", config.url), fix),
    }
}

/// Live shop sync: the credentials are in the environment and the shop answers them.
async fn shop(settings: Option<&crate::config::ShopSettings>, env: &dyn Fn(&str) -> Option<String>) -> Finding {
    let Some(settings) = settings else {
        return Finding::skip("shop", "no [shop] section: prices and stock come from the product file only");
    };
    let config = match settings.config(env) {
        Ok(config) => config,
        Err(why) => return Finding::warn("shop", why, "set the variable it names (see show.example.toml [shop])"),
    };
    let hooks = match env(settings.webhook_secret_var()).filter(|s| !s.is_empty()) {
        Some(_) => "webhooks on".to_string(),
        None => format!("webhooks off (no {})", settings.webhook_secret_var()),
    };
    match backstage::shop::probe(&config).await {
        Ok(()) => Finding::ok(
            "shop",
            format!("{} at {} answers; read every {} s, {hooks}", settings.kind, settings.url, settings.poll.as_secs()),
        ),
        Err(e) => Finding::warn(
            "shop",
            format!("{} at {}: {e}", settings.kind, settings.url),
            "check the shop's address and the credentials' permissions (read products and inventory)",
        ),
    }
}

/// Whether a TCP connection to `host:port` opens within a few seconds.
async fn reachable(address: &str) -> Result<Duration, String> {
    let started = Instant::now();
    match tokio::time::timeout(Duration::from_secs(4), tokio::net::TcpStream::connect(address)).await {
        Ok(Ok(_)) => Ok(started.elapsed()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("no answer within 4 s".into()),
    }
}

async fn chat_sources(chat: &crate::chat_sources::ChatSettings) -> Vec<Finding> {
    let mut found = Vec::new();
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
    if let Some(channel) = &chat.twitch_channel {
        let setting = chat.twitch_server.clone().unwrap_or_else(|| backstage::chat::connector::TWITCH_SERVER.into());
        let (server, tls) = backstage::chat::connector::parse_server(&setting).unwrap_or((setting.clone(), true));
        if chat.twitch_eventsub {
            found.push(match (env("SHOPCAST_TWITCH_TOKEN"), reachable("eventsub.wss.twitch.tv:443").await) {
                (None, _) => Finding::fail(
                    "twitch",
                    format!("#{channel} through EventSub needs SHOPCAST_TWITCH_TOKEN"),
                    "set a user access token with the user:read:chat scope, or use twitch_transport = \"irc\"",
                ),
                (Some(_), Ok(t)) => Finding::ok(
                    "twitch",
                    format!("#{channel} through EventSub; eventsub.wss.twitch.tv answers in {} ms", t.as_millis()),
                ),
                (Some(_), Err(e)) => Finding::warn(
                    "twitch",
                    format!("#{channel}: eventsub.wss.twitch.tv cannot be reached ({e}); the show would retry"),
                    "check the network",
                ),
            });
        } else {
            let transport = if tls { "TLS" } else { "plain TCP: a token would travel unencrypted" };
            let login = match (env("SHOPCAST_TWITCH_NICK"), env("SHOPCAST_TWITCH_TOKEN")) {
                (Some(nick), Some(_)) => format!("as {nick}"),
                _ => "anonymously (read only)".into(),
            };
            found.push(match reachable(&server).await {
                Ok(t) => Finding::ok(
                    "twitch",
                    format!("#{channel} on {server} ({transport}) {login}, connected in {} ms", t.as_millis()),
                ),
                Err(e) => Finding::warn(
                    "twitch",
                    format!("#{channel}: {server} cannot be reached ({e}); the show would retry"),
                    "check the network and [chat] twitch_server",
                ),
            });
        }
    }
    if chat.youtube_live_chat_id.is_some() || chat.youtube_video_id.is_some() || chat.youtube_active_broadcast {
        let credentials = if env("SHOPCAST_YOUTUBE_REFRESH_TOKEN").is_some() {
            "an OAuth refresh grant (SHOPCAST_YOUTUBE_REFRESH_TOKEN)"
        } else if env("SHOPCAST_YOUTUBE_TOKEN").is_some() {
            "an OAuth token (SHOPCAST_YOUTUBE_TOKEN, which lapses after an hour)"
        } else {
            "an API key (SHOPCAST_YOUTUBE_API_KEY)"
        };
        found.push(match reachable("www.googleapis.com:443").await {
            Ok(t) => Finding::ok("youtube", format!("{credentials}; the API answers in {} ms", t.as_millis())),
            Err(e) => Finding::warn(
                "youtube",
                format!("www.googleapis.com cannot be reached ({e}); the show would retry"),
                "check the network, DNS and any proxy",
            ),
        });
    }
    if chat.bilibili_open_live {
        let missing: Vec<&str> = [
            "SHOPCAST_BILIBILI_APP_ID",
            "SHOPCAST_BILIBILI_ACCESS_KEY_ID",
            "SHOPCAST_BILIBILI_ACCESS_KEY_SECRET",
            "SHOPCAST_BILIBILI_IDENTITY_CODE",
        ]
        .into_iter()
        .filter(|name| env(name).is_none_or(|v| v.trim().is_empty()))
        .collect();
        let api = chat.bilibili_api.as_deref().unwrap_or(backstage::chat::bilibili_open::OPEN_LIVE_API);
        let host = api.split("://").nth(1).unwrap_or(api).split('/').next().unwrap_or(api);
        let port = if api.starts_with("http://") { 80 } else { 443 };
        let server = if host.contains(':') { host.to_string() } else { format!("{host}:{port}") };
        found.push(if !missing.is_empty() {
            Finding::fail(
                "bilibili",
                format!("the open platform needs {} in the environment", missing.join(", ")),
                "set the project's id and keys (from Bilibili's developer console) and the streamer's 身份码",
            )
        } else {
            match reachable(&server).await {
                Ok(t) => Finding::ok("bilibili", format!("open platform at {api}, reached in {} ms", t.as_millis())),
                Err(e) => Finding::warn(
                    "bilibili",
                    format!("{api} cannot be reached ({e}); the show would retry"),
                    "check the network and [chat] bilibili_api",
                ),
            }
        });
    }
    if found.is_empty() && chat.ingest_bind.is_none() {
        found.push(Finding::skip("chat", "no chat source in [chat]: bridges can still post to the console's ingest"));
    }
    found
}

/// Whether the show can listen on `bind` (nothing else holds it, and the address is this machine's).
fn bindable(check: &'static str, bind: SocketAddr, setting: &str) -> Finding {
    if bind.port() == 0 {
        return Finding::ok(check, format!("{bind}: a free port picked at start"));
    }
    match TcpListener::bind(bind) {
        Ok(_) => {
            let detail = format!("{bind} is free");
            if bind.ip().is_loopback() {
                Finding::ok(check, detail)
            } else {
                Finding::warn(
                    check,
                    format!("{detail}, and open beyond this machine"),
                    format!("keep {setting} on 127.0.0.1 and reach it through an SSH tunnel or a TLS reverse proxy"),
                )
            }
        }
        Err(e) => Finding::fail(
            check,
            format!("cannot listen on {bind}: {e}"),
            format!("stop what holds the port (ss -ltnp 'sport = :{}'), or choose another in {setting}", bind.port()),
        ),
    }
}

fn console(bind: SocketAddr) -> Finding {
    let mut finding = bindable("console", bind, "[console] bind, --console-bind or SHOPCAST_CONSOLE_BIND");
    if finding.status == Status::Fail {
        return finding;
    }
    let env = |k: &str| std::env::var(k).ok();
    let token = if env("SHOPCAST_CONSOLE_TOKEN").is_some_and(|t| !t.trim().is_empty()) {
        "token from SHOPCAST_CONSOLE_TOKEN".to_string()
    } else {
        let path = backstage::console::token::default_path(&env);
        if path.exists() {
            format!("token kept in {}", path.display())
        } else {
            match writable_dir(path.parent().unwrap_or(Path::new("."))) {
                Ok(()) => format!("a token is made at first start, printed once and kept in {}", path.display()),
                Err(e) => {
                    return Finding::fail(
                        "console",
                        format!("no console token, and {} cannot be written: {e}", path.display()),
                        "set SHOPCAST_CONSOLE_TOKEN (a long random secret) in the environment",
                    );
                }
            }
        }
    };
    finding.detail = format!("{}; {token}; {}", finding.detail, console_accounts(&env));
    finding
}

/// Who can log in besides the shared token: the named accounts in the audit log (read only when the log exists, so
/// the doctor never creates one).
fn console_accounts(env: &dyn Fn(&str) -> Option<String>) -> String {
    let none = "no named accounts: everyone acts as the shared token (add them with `shopcast console add-user NAME \
                --role moderator`)";
    let path = backstage::store::path(None, env);
    if !path.is_file() {
        return none.to_string();
    }
    let accounts = backstage::store::Store::open(&path, backstage::store::DEFAULT_RETENTION_DAYS)
        .and_then(|store| store.accounts());
    match accounts {
        Ok(accounts) if accounts.is_empty() => none.to_string(),
        Ok(accounts) => {
            let count = |role: backstage::console::Role| accounts.iter().filter(|a| a.role == role).count();
            let roles: Vec<String> = backstage::console::Role::ALL
                .into_iter()
                .filter(|r| count(*r) > 0)
                .map(|r| format!("{} {}", count(r), r.as_str()))
                .collect();
            format!("{} named account(s): {}", accounts.len(), roles.join(", "))
        }
        Err(e) => format!("the accounts in {} cannot be read: {e}", path.display()),
    }
}

/// Creates `dir` if needed and writes and removes a probe file in it.
fn writable_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let probe = dir.join(format!(".shopcast-doctor-{}", std::process::id()));
    std::fs::write(&probe, b"probe")?;
    std::fs::remove_file(&probe)
}

/// Free bytes for this user on the file system that holds `dir`.
fn free_bytes(dir: &Path) -> Option<u64> {
    #[cfg(unix)]
    {
        let stat = rustix::fs::statvfs(dir).ok()?;
        Some(stat.f_bavail.saturating_mul(stat.f_frsize))
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        None
    }
}

const MIB: u64 = 1 << 20;
const GIB: u64 = 1 << 30;

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / GIB as f64)
}

fn store() -> Finding {
    let path = backstage::store::path(None, &|k| std::env::var(k).ok());
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let fix = "set SHOPCAST_STORE to a file in a folder this user can write (the service uses /var/lib/shopcast)";
    if let Err(e) = writable_dir(&dir) {
        return Finding::fail("store", format!("the audit log's folder {} cannot be written: {e}", dir.display()), fix);
    }
    match free_bytes(&dir) {
        Some(free) if free < 200 * MIB => Finding::fail(
            "store",
            format!("{}: only {} free; the audit log needs room to write", path.display(), gib(free)),
            "free disk space, or set SHOPCAST_STORE to a file on a larger disk",
        ),
        Some(free) if free < 2 * GIB => Finding::warn(
            "store",
            format!("{}: {} free", path.display(), gib(free)),
            "free disk space: the audit log keeps three years of lines",
        ),
        Some(free) => Finding::ok("store", format!("{} (writable, {} free)", path.display(), gib(free))),
        None => Finding::ok("store", format!("{} (writable)", path.display())),
    }
}

fn recording(dir: &Path) -> Finding {
    let fix = format!(
        "make {} writable by this user, or choose another folder (--record DIR or [output] record)",
        dir.display()
    );
    if let Err(e) = writable_dir(dir) {
        return Finding::fail("recording", format!("cannot write to {}: {e}", dir.display()), fix);
    }
    match free_bytes(dir) {
        // An hour of 720p at the default bit rate is about 1.3 GiB.
        Some(free) if free < 2 * GIB => Finding::warn(
            "recording",
            format!("{}: {} free, about an hour of video", dir.display(), gib(free)),
            "free disk space or record to a larger disk; a full disk stops the recording, never the show",
        ),
        Some(free) => Finding::ok("recording", format!("{} (writable, {} free)", dir.display(), gib(free))),
        None => Finding::ok("recording", format!("{} (writable)", dir.display())),
    }
}

/// The wall clock: the audit log, offers' end times and YouTube's tokens all trust it.
fn clock() -> Finding {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    // 2025-01-01T00:00:00Z: a clock before it has never been set.
    if now < 1_735_689_600 {
        return Finding::fail(
            "clock",
            format!("the clock reads {} s after 1970, before 2025: it has not been set", now),
            "sudo timedatectl set-ntp true (or install chrony)",
        );
    }
    let synced = if Path::new("/run/systemd/timesync/synchronized").exists() {
        Some(true)
    } else {
        std::process::Command::new("timedatectl")
            .args(["show", "--property=NTPSynchronized", "--value"])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "yes")
    };
    let at = backstage::store::rfc3339(model::UnixMs(now as i64 * 1000));
    match synced {
        Some(true) => Finding::ok("clock", format!("{at}, synchronised")),
        Some(false) => Finding::warn(
            "clock",
            format!("{at}, not synchronised: offer countdowns and the audit log's times may drift"),
            "sudo timedatectl set-ntp true (or install chrony)",
        ),
        None => Finding::ok("clock", format!("{at} (synchronisation not known: no systemd here)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoders_are_read_from_ffmpegs_listing() {
        let listing = "Encoders:\n V..... = Video\n ------\n V....D libx264              libx264 H.264 / AVC\n \
                       V....D h264_nvenc           NVIDIA NVENC H.264 encoder\n A....D aac                  AAC \
                       (Advanced Audio Coding)\n A....D libopus              libopus Opus\n";
        assert_eq!(parse_encoders(listing), Encoders { x264: true, aac: true, gpu: vec!["h264_nvenc".to_string()] });
        // The legend's lines ("V..... = Video") and other encoders do not count.
        let bare = parse_encoders(" V..... = Video\n A....D libopus  Opus\n V....D libx265  H.265\n");
        assert_eq!(bare, Encoders::default());
    }

    #[test]
    fn a_missing_thing_fails_only_when_the_configuration_needs_it() {
        assert_eq!(Finding::missing("ffmpeg", true, "gone", "install").status, Status::Fail);
        assert_eq!(Finding::missing("ffmpeg", false, "gone", "install").status, Status::Warn);
    }

    #[test]
    fn the_report_can_run_only_without_failures_and_says_so() {
        let ok = Finding::ok("store", "fine");
        let warn = Finding::warn("llm", "down", "start it");
        let fail = Finding::fail("fonts", "no CJK font", "sudo apt-get install fonts-noto-cjk");
        let report = Report::new("x".into(), Mode::Headless, vec![ok.clone(), warn.clone()]);
        assert!(report.can_run);
        assert!(report.text().contains("The show can run; 1 warning(s)"), "{}", report.text());
        let report = Report::new("x".into(), Mode::Headless, vec![ok, warn, fail]);
        assert!(!report.can_run);
        let text = report.text();
        assert!(text.contains("FAIL  fonts     no CJK font"), "{text}");
        assert!(text.contains("fix: sudo apt-get install fonts-noto-cjk"), "{text}");
        assert!(text.contains("cannot run: fix the 1 failure(s)"), "{text}");
        let json: serde_json::Value = serde_json::to_value(&report).unwrap();
        assert_eq!(json["can_run"], false);
        assert_eq!(json["checks"][2]["status"], "fail");
        assert_eq!(json["checks"][0].get("fix"), None);
    }

    #[test]
    fn an_address_in_use_fails_and_names_the_setting() {
        let held = TcpListener::bind("127.0.0.1:0").unwrap();
        let bind = held.local_addr().unwrap();
        let finding = bindable("console", bind, "[console] bind");
        assert_eq!(finding.status, Status::Fail, "{finding:?}");
        assert!(finding.fix.as_deref().unwrap().contains("[console] bind"), "{finding:?}");
        drop(held);
        assert_eq!(bindable("console", bind, "[console] bind").status, Status::Ok);
        let open = bindable("ingest", "0.0.0.0:0".parse().unwrap(), "[chat] ingest_bind");
        assert_eq!(open.status, Status::Ok, "port 0 is picked at start");
    }

    #[test]
    fn the_shop_check_names_a_missing_credential_and_an_unreachable_shop() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let skipped = runtime.block_on(shop(None, &|_| None));
        assert_eq!(skipped.status, Status::Skip);
        let settings = crate::config::ShopSettings {
            kind: "woocommerce".into(),
            url: "http://127.0.0.1:9".into(),
            poll: Duration::from_secs(5),
            api_version: crate::config::SHOPIFY_API_VERSION.into(),
        };
        let missing = runtime.block_on(shop(Some(&settings), &|_| None));
        assert_eq!(missing.status, Status::Warn);
        assert!(missing.detail.contains("SHOPCAST_WOO_KEY"), "{missing:?}");
        let env = |k: &str| matches!(k, "SHOPCAST_WOO_KEY" | "SHOPCAST_WOO_SECRET").then(|| "x".to_string());
        let unreachable = runtime.block_on(shop(Some(&settings), &env));
        assert_eq!(unreachable.status, Status::Warn);
        assert!(unreachable.detail.contains("cannot be reached"), "{unreachable:?}");
    }

    #[test]
    fn the_console_says_who_can_log_in_without_creating_an_audit_log() {
        let dir = std::env::temp_dir().join(format!("shopcast-doctor-accounts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("audit.db");
        let db_text = db.display().to_string();
        let env = |k: &str| (k == "SHOPCAST_STORE").then(|| db_text.clone());
        assert!(console_accounts(&env).starts_with("no named accounts"));
        assert!(!db.exists(), "the doctor created no audit log");
        let store = backstage::store::Store::open(&db, 30).unwrap();
        let hash = backstage::console::accounts::hash_password("a long password").unwrap();
        for (name, role) in [("lin", backstage::console::Role::Moderator), ("root", backstage::console::Role::Admin)] {
            assert!(store.add_account(name, role, &hash, model::UnixMs(0)).unwrap());
        }
        assert_eq!(console_accounts(&env), "2 named account(s): 1 moderator, 1 admin");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_folder_that_cannot_be_written_fails_the_recording() {
        let file = std::env::temp_dir().join(format!("shopcast-doctor-file-{}", std::process::id()));
        std::fs::write(&file, b"not a folder").unwrap();
        let finding = recording(&file.join("inside"));
        assert_eq!(finding.status, Status::Fail, "{finding:?}");
        std::fs::remove_file(&file).unwrap();
        let dir = std::env::temp_dir().join(format!("shopcast-doctor-dir-{}", std::process::id()));
        assert_ne!(recording(&dir).status, Status::Fail);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_window_needs_a_display_and_headless_does_not() {
        assert_eq!(display(Mode::Headless).status, Status::Skip);
        let has = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|k| std::env::var_os(k).is_some_and(|v| !v.is_empty()));
        let window = display(Mode::Window).status;
        let either = display(Mode::Either).status;
        if has {
            assert_eq!((window, either), (Status::Ok, Status::Ok));
        } else {
            assert_eq!((window, either), (Status::Fail, Status::Warn));
        }
    }
}
