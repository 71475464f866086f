//! show.toml: read raw, overlaid by environment variables, then validated into typed settings.
//!
//! Every key is optional (show.example.toml lists them with their defaults). Problems are reported as
//! `path:line:col: error: message` naming the key, and the show refuses to start on any error, because a
//! half-applied configuration on a live stream is worse than a clear refusal.

use crate::chat_sources::ChatSettings;
use anyhow::{Context, Result, bail};
use backstage::time_text::parse_duration_ms;
use backstage::tomlfile::{Fields, Source};
use director::ShowConfig;
use model::{Currency, Diagnostic, Lang};
use std::path::{Path, PathBuf};

/// Where the host's words come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriterSettings {
    Templates,
    /// An OpenAI-compatible server; the API key is read from SHOPCAST_LLM_API_KEY at start-up.
    Llm {
        base_url: String,
        model: String,
    },
}

/// How the host's lines are spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoiceSettings {
    /// Captions only, with durations estimated from the text.
    Silent,
    /// espeak-ng in process (English `voice_en`, Mandarin `voice_zh`).
    Espeak { rate_wpm: u32, voice_en: String, voice_zh: String },
    /// An OpenAI-compatible /v1/audio/speech server; the key comes from SHOPCAST_TTS_API_KEY. `clone` when its
    /// voice is a clone of a person's.
    OpenAi { base_url: String, model: String, voice: String, clone: Option<VoiceClone> },
}

/// A voice cloned from a real person's (`[voice] cloned_from` and `consent`): whose voice it is, and where their
/// written consent to it is kept. The show does not start with one without the other, and both go into the
/// audit log with the show's provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceClone {
    /// The person whose voice was cloned.
    pub of: String,
    /// Where their written consent is kept: a file, a document id or an address.
    pub consent: String,
}

impl Default for VoiceSettings {
    fn default() -> VoiceSettings {
        VoiceSettings::Espeak { rate_wpm: 165, voice_en: "en-us".into(), voice_zh: "cmn-latn-pinyin".into() }
    }
}

/// Where `run --headless` sends the show itself (`[output]`, and `--rtmp`, `--video`, `--out -`, `--record`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputSettings {
    /// RTMP(S) ingest URLs, one stream each (keys from SHOPCAST_STREAM_KEY, or SHOPCAST_STREAM_KEY_1, _2 ...).
    pub rtmp: Vec<String>,
    /// A video file (H.264 + AAC; the container follows the extension).
    pub video: Option<PathBuf>,
    /// Raw RGBA frames on stdout.
    pub raw_stdout: bool,
    /// A folder for the local recording, in segments that each play on their own.
    pub record: Option<PathBuf>,
    /// How long each recording file runs before the next starts (an hour unless set for tests).
    pub record_segment: std::time::Duration,
}

impl Default for OutputSettings {
    fn default() -> OutputSettings {
        OutputSettings {
            rtmp: Vec::new(),
            video: None,
            raw_stdout: false,
            record: None,
            record_segment: std::time::Duration::from_secs(3600),
        }
    }
}

impl OutputSettings {
    pub fn any(&self) -> bool {
        !self.rtmp.is_empty() || self.video.is_some() || self.raw_stdout || self.record.is_some()
    }
}

/// The shortest and longest recording segment `record_segment_seconds` accepts.
pub const RECORD_SEGMENT_SECONDS: std::ops::RangeInclusive<u64> = 2..=86_400;

/// The validated settings for one run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub show: ShowConfig,
    /// The product file; `None` means the embedded demo queue.
    pub products: Option<PathBuf>,
    /// The scene file; `None` means the built-in studio scene.
    pub scene: Option<PathBuf>,
    /// The currency of prices that name none (Shopify and WooCommerce exports).
    pub currency: Option<Currency>,
    pub writer: WriterSettings,
    pub voice: VoiceSettings,
    pub chat: ChatSettings,
    /// Where the moderators' console listens (127.0.0.1 only unless set otherwise).
    pub console_bind: std::net::SocketAddr,
    /// OBS control over obs-websocket, when `[obs]` is configured.
    pub obs: Option<backstage::obs::ObsConfig>,
    /// `[care] webhook`: where care escalations are posted for the moderators' group chat.
    pub care_webhook: Option<String>,
    /// `[care] raise_again_minutes`: an unclaimed crisis or medical escalation is raised again this often.
    pub care_raise_again: std::time::Duration,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fps: u32,
    pub output: OutputSettings,
    /// `[audit] retain`: how long the audit log keeps what was said, in days (three years by default and at least).
    pub audit_retention_days: u32,
    /// `[shop]`: live prices and stock from Shopify or WooCommerce (credentials come from the environment).
    pub shop: Option<ShopSettings>,
}

/// `[shop]` as written; the credentials are read from the environment when the show starts (see
/// [`ShopSettings::config`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ShopSettings {
    /// "shopify" or "woocommerce".
    pub kind: String,
    pub url: String,
    pub poll: std::time::Duration,
    /// Shopify's Admin API version, like "2025-01".
    pub api_version: String,
}

/// Shopify's Admin API version used unless `[shop] api_version` says otherwise (a stable, supported release).
pub const SHOPIFY_API_VERSION: &str = "2025-01";

impl ShopSettings {
    /// The environment variable holding each shop's webhook secret.
    pub fn webhook_secret_var(&self) -> &'static str {
        if self.kind == "shopify" { "SHOPCAST_SHOPIFY_WEBHOOK_SECRET" } else { "SHOPCAST_WOO_WEBHOOK_SECRET" }
    }

    /// The connector's configuration with credentials from `env`, or what is missing.
    pub fn config(&self, env: impl Fn(&str) -> Option<String>) -> Result<backstage::shop::ShopConfig, String> {
        let need = |name: &str| {
            env(name).filter(|v| !v.trim().is_empty()).ok_or_else(|| {
                format!("[shop] kind \"{}\" needs {name} in the environment; live shop sync is off", self.kind)
            })
        };
        let kind = if self.kind == "shopify" {
            backstage::shop::ShopKind::Shopify {
                token: need("SHOPCAST_SHOPIFY_TOKEN")?,
                api_version: self.api_version.clone(),
            }
        } else {
            backstage::shop::ShopKind::WooCommerce {
                key: need("SHOPCAST_WOO_KEY")?,
                secret: need("SHOPCAST_WOO_SECRET")?,
            }
        };
        let config = backstage::shop::ShopConfig {
            kind,
            url: self.url.clone(),
            poll: self.poll,
            request_timeout: std::time::Duration::from_secs(10),
        };
        config.check_url()?;
        Ok(config)
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            show: ShowConfig::default(),
            products: None,
            scene: None,
            currency: None,
            writer: WriterSettings::Templates,
            voice: VoiceSettings::default(),
            chat: ChatSettings::default(),
            console_bind: backstage::console::DEFAULT_BIND.parse().expect("the default console address parses"),
            obs: None,
            care_webhook: None,
            care_raise_again: std::time::Duration::from_secs(3 * 60),
            shop: None,
            audit_retention_days: backstage::store::DEFAULT_RETENTION_DAYS,
            width: None,
            height: None,
            fps: 30,
            output: OutputSettings::default(),
        }
    }
}

/// Reads `path` (when given), then applies `SHOPCAST_*` environment overrides, then validates.
pub fn load(path: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> Result<Settings> {
    let mut settings = Settings::default();
    if let Some(path) = path {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("cannot read the config file {}", path.display()))?;
        let diags =
            parse_into(&mut settings, &path.display().to_string(), &text, path.parent().unwrap_or(Path::new(".")));
        report(&diags)?;
    }
    let mut diags = Vec::new();
    if let Some(lang) = env("SHOPCAST_LANGUAGE") {
        match Lang::parse(&lang) {
            Some(l) => settings.show.lang = l,
            None => diags.push(Diagnostic::error(
                "environment",
                0,
                0,
                format!("SHOPCAST_LANGUAGE={lang:?} must be \"en\" or \"zh\""),
            )),
        }
    }
    if let Some(products) = env("SHOPCAST_PRODUCTS") {
        settings.products = Some(PathBuf::from(products));
    }
    if let (Some(base_url), Some(model)) = (env("SHOPCAST_LLM_BASE_URL"), env("SHOPCAST_LLM_MODEL")) {
        settings.writer = WriterSettings::Llm { base_url, model };
    }
    if let Some(bind) = env("SHOPCAST_INGEST_BIND") {
        match bind.parse() {
            Ok(addr) => settings.chat.ingest_bind = Some(addr),
            Err(_) => diags.push(Diagnostic::error(
                "environment",
                0,
                0,
                format!("SHOPCAST_INGEST_BIND={bind:?} must be an address like 127.0.0.1:8640"),
            )),
        }
    }
    if let Some(scene) = env("SHOPCAST_SCENE") {
        settings.scene = Some(PathBuf::from(scene));
    }
    if let (Some(obs), Some(password)) = (settings.obs.as_mut(), env("SHOPCAST_OBS_PASSWORD")) {
        obs.password = Some(password);
    }
    if let Some(bind) = env("SHOPCAST_CONSOLE_BIND") {
        match bind.parse() {
            Ok(addr) => settings.console_bind = addr,
            Err(_) => diags.push(Diagnostic::error(
                "environment",
                0,
                0,
                format!("SHOPCAST_CONSOLE_BIND={bind:?} must be an address like 127.0.0.1:7878"),
            )),
        }
    }
    if let Some(kind) = env("SHOPCAST_VOICE") {
        match kind.as_str() {
            "silent" => settings.voice = VoiceSettings::Silent,
            "espeak" if !matches!(settings.voice, VoiceSettings::Espeak { .. }) => {
                settings.voice = VoiceSettings::default()
            }
            "espeak" => {}
            _ => diags.push(Diagnostic::error(
                "environment",
                0,
                0,
                format!("SHOPCAST_VOICE={kind:?} must be \"silent\" or \"espeak\" (configure \"openai\" in [voice])"),
            )),
        }
    }
    report(&diags)?;
    Ok(settings)
}

/// Shopify's API versions are named by quarter: "2025-01", "2025-04", ...
fn is_api_version(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit())
}

fn report(diags: &[Diagnostic]) -> Result<()> {
    for d in diags {
        eprintln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    if errors > 0 {
        bail!("the configuration has {errors} error(s); fix them and start again (see show.example.toml)");
    }
    Ok(())
}

/// Applies a show.toml's keys onto `settings`; returns every problem found.
pub fn parse_into(settings: &mut Settings, path: &str, text: &str, base: &Path) -> Vec<Diagnostic> {
    let src = Source::new(path, text);
    let mut diags = Vec::new();
    let doc = match src.parse() {
        Ok(doc) => doc,
        Err(d) => return vec![d],
    };
    let mut root = Fields::new(&src, &doc, "show.toml");
    if let Some(mut show) = root.table("show", &mut diags) {
        show.set_context("[show]");
        if let Some(lang) = show.string("language", &mut diags) {
            match Lang::parse(lang.get_ref()) {
                Some(l) => settings.show.lang = l,
                None => {
                    diags.push(src.error(
                        &lang.span(),
                        format!("[show] `language` \"{}\" must be \"en\" or \"zh\"", lang.get_ref()),
                    ))
                }
            }
        }
        if let Some(code) = show.string("currency", &mut diags) {
            match Currency::parse(code.get_ref()) {
                Some(c) => settings.currency = Some(c),
                None => diags.push(src.error(
                    &code.span(),
                    format!("[show] `currency` \"{}\" is not a 3-letter ISO code like CNY or USD", code.get_ref()),
                )),
            }
        }
        for key in ["products", "scene"] {
            if let Some(p) = show.string(key, &mut diags) {
                let resolved = base.join(p.get_ref());
                if !resolved.is_file() {
                    diags.push(src.error(&p.span(), format!("[show] `{key}`: file {} not found", resolved.display())));
                } else if key == "products" {
                    settings.products = Some(resolved);
                } else {
                    settings.scene = Some(resolved);
                }
            }
        }
        let durations: [(&str, &mut u64, u64, u64); 7] = [
            ("disclosure_every", &mut settings.show.disclosure_every_ms, 60_000, 3_600_000),
            ("gap", &mut settings.show.gap_ms, 0, 2_000),
            ("writer_timeout", &mut settings.show.writer_timeout_ms, 200, 2_400),
            ("voice_timeout", &mut settings.show.voice_timeout_ms, 200, 2_400),
            ("max_question_age", &mut settings.show.max_question_age_ms, 10_000, 3_600_000),
            ("busy_question_age", &mut settings.show.busy_question_age_ms, 5_000, 3_600_000),
            ("approval_timeout", &mut settings.show.approval_timeout_ms, 10_000, 3_600_000),
        ];
        for (key, slot, min, max) in durations {
            if let Some(v) = show.string(key, &mut diags) {
                match parse_duration_ms(v.get_ref()) {
                    Some(ms) if (min..=max).contains(&ms) => *slot = ms,
                    Some(_) => {
                        diags.push(src.error(&v.span(), format!("[show] `{key}` must be from {min} ms to {max} ms")))
                    }
                    None => diags.push(src.error(
                        &v.span(),
                        format!("[show] `{key}` \"{}\" is not a duration like \"90s\" or \"10m\"", v.get_ref()),
                    )),
                }
            }
        }
        show.finish(&mut diags);
    }
    if let Some(mut stage) = root.table("stage", &mut diags) {
        stage.set_context("[stage]");
        for (key, min, max) in [("width", 16, 7680), ("height", 16, 7680), ("fps", 1, 120)] {
            if let Some(v) = stage.integer(key, &mut diags) {
                let n = *v.get_ref();
                if n < min || n > max {
                    diags.push(src.error(&v.span(), format!("[stage] `{key}` {n} must be from {min} to {max}")));
                    continue;
                }
                let n = n as u32;
                match key {
                    "width" => settings.width = Some(n),
                    "height" => settings.height = Some(n),
                    _ => settings.fps = n,
                }
            }
        }
        stage.finish(&mut diags);
    }
    if let Some(mut writer) = root.table("writer", &mut diags) {
        writer.set_context("[writer]");
        let kind = writer.string("kind", &mut diags);
        let base_url = writer.string("base_url", &mut diags);
        let model = writer.string("model", &mut diags);
        match kind.as_ref().map(|k| k.get_ref().as_str()) {
            None | Some("templates") => settings.writer = WriterSettings::Templates,
            Some("llm") => match (base_url, model) {
                (Some(url), Some(model)) => {
                    let url_text = url.get_ref().trim().trim_end_matches('/').to_string();
                    if url_text.starts_with("http://") || url_text.starts_with("https://") {
                        settings.writer = WriterSettings::Llm { base_url: url_text, model: model.get_ref().clone() };
                    } else {
                        diags.push(src.error(
                            &url.span(),
                            "[writer] `base_url` must start with http:// or https://, like \"http://127.0.0.1:8080/v1\"",
                        ));
                    }
                }
                _ => diags.push(src.error(
                    &writer.span(),
                    "[writer] kind \"llm\" needs base_url (with /v1) and model; the key comes from SHOPCAST_LLM_API_KEY",
                )),
            },
            Some(other) => diags.push(src.error(
                &kind.as_ref().map_or(writer.span(), |k| k.span()),
                format!("[writer] `kind` \"{other}\" must be \"templates\" or \"llm\""),
            )),
        }
        writer.finish(&mut diags);
    }
    if let Some(mut chat) = root.table("chat", &mut diags) {
        chat.set_context("[chat]");
        let text =
            |v: Option<toml::Spanned<String>>| v.map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty());
        settings.chat.twitch_channel = text(chat.string("twitch_channel", &mut diags));
        if let Some(server) = chat.string("twitch_server", &mut diags) {
            match backstage::chat::connector::parse_server(server.get_ref()) {
                Ok(_) => settings.chat.twitch_server = Some(server.get_ref().trim().to_string()),
                Err(e) => diags.push(src.error(&server.span(), format!("[chat] `twitch_server`: {e}"))),
            }
        }
        settings.chat.twitch_ca_file = text(chat.string("twitch_ca_file", &mut diags)).map(|p| base.join(p));
        if let Some(transport) = chat.string("twitch_transport", &mut diags) {
            match transport.get_ref().trim() {
                "irc" => settings.chat.twitch_eventsub = false,
                "eventsub" => settings.chat.twitch_eventsub = true,
                other => diags.push(src.error(
                    &transport.span(),
                    format!("[chat] `twitch_transport` \"{other}\" must be \"irc\" or \"eventsub\""),
                )),
            }
        }
        let chat_id = chat.string("youtube_live_chat_id", &mut diags);
        let mut last_span = chat_id.as_ref().map(|v| v.span());
        settings.chat.youtube_live_chat_id = text(chat_id);
        let video = chat.string("youtube_video_id", &mut diags);
        last_span = video.as_ref().map(|v| v.span()).or(last_span);
        settings.chat.youtube_video_id = text(video);
        if let Some(active) = chat.boolean("youtube_active_broadcast", &mut diags) {
            settings.chat.youtube_active_broadcast = *active.get_ref();
            last_span = Some(active.span());
        }
        let chosen = [
            settings.chat.youtube_live_chat_id.is_some(),
            settings.chat.youtube_video_id.is_some(),
            settings.chat.youtube_active_broadcast,
        ];
        if chosen.iter().filter(|c| **c).count() > 1 {
            diags.push(src.error(
                &last_span.unwrap_or(0..0),
                "[chat] give one of `youtube_live_chat_id`, `youtube_video_id` and `youtube_active_broadcast`",
            ));
        }
        for (key, min, max) in [
            ("youtube_daily_quota", 100, 100_000_000),
            ("youtube_quota_hours", 1, 24),
            ("youtube_reply_units", 20, 50_000_000),
        ] {
            if let Some(v) = chat.integer(key, &mut diags) {
                match u32::try_from(*v.get_ref()) {
                    Ok(n) if (min..=max).contains(&n) => match key {
                        "youtube_daily_quota" => settings.chat.youtube_daily_quota = Some(n),
                        "youtube_quota_hours" => settings.chat.youtube_quota_hours = Some(n),
                        _ => settings.chat.youtube_reply_units = Some(n),
                    },
                    _ => diags.push(
                        src.error(&v.span(), format!("[chat] `{key}` {} must be from {min} to {max}", v.get_ref())),
                    ),
                }
            }
        }
        if let Some(on) = chat.boolean("post_replies", &mut diags) {
            settings.chat.post_replies = *on.get_ref();
        }
        if let Some(v) = chat.integer("twitch_messages_per_30s", &mut diags) {
            match u32::try_from(*v.get_ref()) {
                Ok(n) if (1..=100).contains(&n) => settings.chat.twitch_messages_per_30s = Some(n),
                _ => diags.push(src.error(
                    &v.span(),
                    format!(
                        "[chat] `twitch_messages_per_30s` {} must be from 1 to 100 (20 for an ordinary account, 100 \
                         for a moderator or the broadcaster)",
                        v.get_ref()
                    ),
                )),
            }
        }
        if let Some(on) = chat.boolean("bilibili_open_live", &mut diags) {
            settings.chat.bilibili_open_live = *on.get_ref();
        }
        if let Some(api) = chat.string("bilibili_api", &mut diags) {
            let url = api.get_ref().trim().trim_end_matches('/');
            // The keys sign requests but the identity code travels in the body: https only, except to this machine.
            // The host is what comes before the path and the port; an address with a user part
            // ("http://127.0.0.1:1@elsewhere/") names another host than it seems to, and is refused.
            let authority = |rest: &str| rest.split(['/', '?', '#']).next().unwrap_or("").to_string();
            let local = url
                .strip_prefix("http://")
                .map(authority)
                .is_some_and(|a| !a.contains('@') && matches!(a.split(':').next(), Some("127.0.0.1" | "localhost")));
            let secure = url.strip_prefix("https://").map(authority).is_some_and(|a| !a.is_empty() && !a.contains('@'));
            if secure || local {
                settings.chat.bilibili_api = Some(url.to_string());
            } else {
                diags.push(src.error(
                    &api.span(),
                    format!("[chat] `bilibili_api` \"{url}\" must be an https:// address without a user part (http only to 127.0.0.1)"),
                ));
            }
        }
        if let Some(bind) = chat.string("ingest_bind", &mut diags) {
            match bind.get_ref().parse() {
                Ok(addr) => settings.chat.ingest_bind = Some(addr),
                Err(_) => diags.push(src.error(
                    &bind.span(),
                    format!("[chat] `ingest_bind` \"{}\" must be an address like \"127.0.0.1:8640\"", bind.get_ref()),
                )),
            }
        }
        chat.finish(&mut diags);
    }
    if let Some(mut voice) = root.table("voice", &mut diags) {
        voice.set_context("[voice]");
        let kind = voice.string("kind", &mut diags);
        let rate = voice.integer("rate_wpm", &mut diags);
        let text = |v: Option<toml::Spanned<String>>, default: &str| {
            v.map(|s| s.into_inner().trim().to_string()).filter(|s| !s.is_empty()).unwrap_or(default.to_string())
        };
        let voice_en = text(voice.string("voice_en", &mut diags), "en-us");
        let voice_zh = text(voice.string("voice_zh", &mut diags), "cmn-latn-pinyin");
        let base_url = voice.string("base_url", &mut diags);
        let model = text(voice.string("model", &mut diags), "gpt-4o-mini-tts");
        let openai_voice = text(voice.string("voice", &mut diags), "alloy");
        // A cloned voice is a person's: whose, and their written consent, or the show does not start.
        let cloned_from = voice.string("cloned_from", &mut diags);
        let consent = voice.string("consent", &mut diags);
        let given = |v: &Option<toml::Spanned<String>>| v.as_ref().map(|s| s.get_ref().trim().to_string());
        let clone = match (given(&cloned_from), given(&consent)) {
            (Some(of), Some(consent)) if !of.is_empty() && !consent.is_empty() => Some(VoiceClone { of, consent }),
            (Some(of), _) if of.is_empty() => {
                diags.push(src.error(
                    &cloned_from.as_ref().map_or(voice.span(), |c| c.span()),
                    "[voice] `cloned_from` is empty: name the person whose voice this is",
                ));
                None
            }
            (Some(of), _) => {
                diags.push(src.error(
                    &cloned_from.as_ref().map_or(voice.span(), |c| c.span()),
                    format!(
                        "[voice] `cloned_from` \"{of}\" needs `consent`: where {of}'s written consent to this voice is \
                         kept (a file, a document id or an address); without it the show does not start"
                    ),
                ));
                None
            }
            (None, Some(_)) => {
                diags.push(src.error(
                    &consent.as_ref().map_or(voice.span(), |c| c.span()),
                    "[voice] `consent` without `cloned_from`: name the person whose voice was cloned",
                ));
                None
            }
            (None, None) => None,
        };
        let rate_wpm = match rate {
            Some(r) if (80..=450).contains(r.get_ref()) => *r.get_ref() as u32,
            Some(r) => {
                diags.push(src.error(&r.span(), format!("[voice] `rate_wpm` {} must be from 80 to 450", r.get_ref())));
                165
            }
            None => 165,
        };
        match kind.as_ref().map(|k| k.get_ref().as_str()) {
            Some(kind @ ("silent" | "espeak")) if cloned_from.is_some() => diags.push(src.error(
                &cloned_from.as_ref().map_or(voice.span(), |c| c.span()),
                format!("[voice] `cloned_from` is for a speech server's voice (kind \"openai\"), not kind \"{kind}\""),
            )),
            Some("silent") => settings.voice = VoiceSettings::Silent,
            None | Some("espeak") => settings.voice = VoiceSettings::Espeak { rate_wpm, voice_en, voice_zh },
            Some("openai") => match base_url {
                Some(url) if url.get_ref().starts_with("http://") || url.get_ref().starts_with("https://") => {
                    settings.voice = VoiceSettings::OpenAi {
                        base_url: url.get_ref().trim_end_matches('/').to_string(),
                        model,
                        voice: openai_voice,
                        clone,
                    }
                }
                Some(url) => diags.push(src.error(
                    &url.span(),
                    "[voice] `base_url` must start with http:// or https://, like \"https://api.openai.com/v1\"",
                )),
                None => diags.push(src.error(
                    &voice.span(),
                    "[voice] kind \"openai\" needs base_url (with /v1); the key comes from SHOPCAST_TTS_API_KEY",
                )),
            },
            Some(other) => diags.push(src.error(
                &kind.as_ref().map_or(voice.span(), |k| k.span()),
                format!("[voice] `kind` \"{other}\" must be \"espeak\", \"openai\" or \"silent\""),
            )),
        }
        voice.finish(&mut diags);
    }
    if root.has("obs") {
        // The [obs] section has its own reader (backstage::obs), with the same positioned errors.
        let _ = root.table("obs", &mut diags);
        let (obs, obs_diags) = backstage::obs::ObsConfig::from_show_toml(path, text);
        diags.extend(obs_diags);
        settings.obs = obs;
    }
    if let Some(mut console) = root.table("console", &mut diags) {
        console.set_context("[console]");
        if let Some(bind) = console.string("bind", &mut diags) {
            match bind.get_ref().parse() {
                Ok(addr) => settings.console_bind = addr,
                Err(_) => diags.push(src.error(
                    &bind.span(),
                    format!("[console] `bind` \"{}\" must be an address like \"127.0.0.1:7878\"", bind.get_ref()),
                )),
            }
        }
        console.finish(&mut diags);
    }
    if let Some(mut shop) = root.table("shop", &mut diags) {
        shop.set_context("[shop]");
        let kind = shop.string("kind", &mut diags);
        let url = shop.string("url", &mut diags);
        let mut poll = std::time::Duration::from_secs(5);
        if let Some(seconds) = shop.integer("poll_seconds", &mut diags) {
            match u64::try_from(*seconds.get_ref()) {
                Ok(n @ 2..=3600) => poll = std::time::Duration::from_secs(n),
                _ => diags.push(src.error(
                    &seconds.span(),
                    format!(
                        "[shop] `poll_seconds` {} must be from 2 to 3600 (5 keeps a change on screen within 10 s)",
                        seconds.get_ref()
                    ),
                )),
            }
        }
        let api_version = match shop.string("api_version", &mut diags) {
            Some(v) if is_api_version(v.get_ref()) => v.get_ref().clone(),
            Some(v) => {
                diags.push(src.error(
                    &v.span(),
                    format!("[shop] `api_version` \"{}\" must look like \"{SHOPIFY_API_VERSION}\"", v.get_ref()),
                ));
                SHOPIFY_API_VERSION.to_string()
            }
            None => SHOPIFY_API_VERSION.to_string(),
        };
        match (kind, url) {
            (Some(kind), Some(url)) if ["shopify", "woocommerce"].contains(&kind.get_ref().as_str()) => {
                let settings_shop = ShopSettings {
                    kind: kind.get_ref().clone(),
                    url: url.get_ref().trim_end_matches('/').to_string(),
                    poll,
                    api_version,
                };
                let probe = backstage::shop::ShopConfig {
                    kind: backstage::shop::ShopKind::WooCommerce { key: String::new(), secret: String::new() },
                    url: settings_shop.url.clone(),
                    poll,
                    request_timeout: std::time::Duration::from_secs(10),
                };
                match probe.check_url() {
                    Ok(()) => settings.shop = Some(settings_shop),
                    Err(why) => diags.push(src.error(&url.span(), format!("[shop] {why}"))),
                }
            }
            (Some(kind), _) if !["shopify", "woocommerce"].contains(&kind.get_ref().as_str()) => diags.push(src.error(
                &kind.span(),
                format!("[shop] `kind` \"{}\" must be \"shopify\" or \"woocommerce\"", kind.get_ref()),
            )),
            _ => diags.push(src.error(
                &shop.span(),
                "[shop] needs `kind` (\"shopify\" or \"woocommerce\") and `url` (like \"https://NAME.myshopify.com\")",
            )),
        }
        shop.finish(&mut diags);
    }
    if let Some(mut audit) = root.table("audit", &mut diags) {
        audit.set_context("[audit]");
        if let Some(retain) = audit.string("retain", &mut diags) {
            use backstage::store::{MIN_RETENTION_DAYS, parse_retention_days};
            match parse_retention_days(retain.get_ref()) {
                Some(days) if days >= MIN_RETENTION_DAYS => settings.audit_retention_days = days,
                Some(days) => diags.push(src.error(
                    &retain.span(),
                    format!(
                        "[audit] `retain` \"{}\" is {days} days, shorter than the three years live-commerce records \
                         must be kept (China's E-Commerce Law art. 31 and 直播电商监督管理办法); use \"3y\" or more",
                        retain.get_ref()
                    ),
                )),
                None => diags.push(src.error(
                    &retain.span(),
                    format!(
                        "[audit] `retain` \"{}\" must be years or days, like \"3y\", \"5y\" or \"1200d\"",
                        retain.get_ref()
                    ),
                )),
            }
        }
        audit.finish(&mut diags);
    }
    if let Some(mut links) = root.table("links", &mut diags) {
        links.set_context("[links]");
        let tracking = &mut settings.show.links;
        if let Some(on) = links.boolean("utm", &mut diags) {
            tracking.utm = *on.get_ref();
        }
        for key in ["source", "medium", "campaign"] {
            if let Some(value) = links.string(key, &mut diags) {
                let text = value.get_ref().trim();
                if text.is_empty() || text.chars().count() > 64 || text.chars().any(char::is_control) {
                    diags.push(src.error(
                        &value.span(),
                        format!("[links] `{key}` must be 1 to 64 characters on one line (it goes into every link)"),
                    ));
                    continue;
                }
                let slot = match key {
                    "source" => &mut tracking.source,
                    "medium" => &mut tracking.medium,
                    _ => &mut tracking.campaign,
                };
                *slot = text.to_string();
            }
        }
        if let Some(minutes) = links.integer("variant_minutes", &mut diags) {
            match u32::try_from(*minutes.get_ref()) {
                Ok(m) if m <= 24 * 60 => tracking.variant_minutes = m,
                _ => diags.push(src.error(
                    &minutes.span(),
                    format!(
                        "[links] `variant_minutes` {} must be from 0 (one pitch) to 1440 (variants A and B take turns \
                         this many minutes each)",
                        minutes.get_ref()
                    ),
                )),
            }
        }
        links.finish(&mut diags);
    }
    if let Some(mut care) = root.table("care", &mut diags) {
        care.set_context("[care]");
        if let Some(url) = care.string("webhook", &mut diags) {
            let ok = url.get_ref().starts_with("https://") || url.get_ref().starts_with("http://");
            if ok {
                settings.care_webhook = Some(url.get_ref().trim().to_string());
            } else {
                diags.push(src.error(
                    &url.span(),
                    "[care] `webhook` must be an http:// or https:// address, like the WeCom, DingTalk, Feishu or \
                     Slack group robot's webhook URL",
                ));
            }
        }
        if let Some(minutes) = care.integer("calm_minutes", &mut diags) {
            match u64::try_from(*minutes.get_ref()) {
                Ok(m) if m <= 60 => settings.show.care_calm_ms = m * 60 * 1000,
                _ => diags.push(src.error(
                    &minutes.span(),
                    format!(
                        "[care] `calm_minutes` {} must be from 0 to 60 (how long the pitch stays calm after a \
                         viewer in crisis writes)",
                        minutes.get_ref()
                    ),
                )),
            }
        }
        if let Some(minutes) = care.integer("raise_again_minutes", &mut diags) {
            match u64::try_from(*minutes.get_ref()) {
                Ok(m) if (1..=60).contains(&m) => settings.care_raise_again = std::time::Duration::from_secs(m * 60),
                _ => diags.push(src.error(
                    &minutes.span(),
                    format!(
                        "[care] `raise_again_minutes` {} must be from 1 to 60 (how long an unclaimed crisis waits \
                         before it is raised again)",
                        minutes.get_ref()
                    ),
                )),
            }
        }
        // One help line for both languages, or `[care.helpline]` with `en` and `zh` (each country its own number).
        let mut helplines: Vec<(Option<model::Lang>, toml::Spanned<String>)> = Vec::new();
        if care.is_table("helpline") {
            if let Some(mut table) = care.table("helpline", &mut diags) {
                table.set_context("[care.helpline]");
                for lang in [model::Lang::En, model::Lang::Zh] {
                    if let Some(text) = table.string(lang.code(), &mut diags) {
                        helplines.push((Some(lang), text));
                    }
                }
                table.finish(&mut diags);
            }
        } else if let Some(text) = care.string("helpline", &mut diags) {
            helplines.push((None, text));
        }
        for (only, text) in helplines {
            for lang in [model::Lang::En, model::Lang::Zh].into_iter().filter(|l| only.is_none_or(|o| o == *l)) {
                match director::templates::check_helpline(text.get_ref(), lang) {
                    Ok(_) => {
                        let slot = match lang {
                            model::Lang::En => &mut settings.show.care_helpline.en,
                            model::Lang::Zh => &mut settings.show.care_helpline.zh,
                        };
                        *slot = Some(text.get_ref().trim().to_string());
                    }
                    Err(rule) => diags.push(src.error(
                        &text.span(),
                        format!(
                            "[care] `helpline` {:?} cannot be said in the {} crisis line: the guard refuses it \
                             ({}). Give the service's name and its phone number only, like \"988 Suicide and Crisis \
                             Lifeline\" or \"希望24热线 400-161-9995\"",
                            text.get_ref(),
                            match lang {
                                model::Lang::En => "English",
                                model::Lang::Zh => "Chinese",
                            },
                            rule.name()
                        ),
                    )),
                }
            }
        }
        care.finish(&mut diags);
    }
    if let Some(mut output) = root.table("output", &mut diags) {
        output.set_context("[output]");
        if let Some(urls) = output.string_list("rtmp", &mut diags) {
            for url in urls.get_ref() {
                if let Err(e) = backstage::output::Destination::rtmp(url, None) {
                    diags.push(
                        src.error(&urls.span(), format!("[output] `rtmp`: {}", e.to_string().replace("--rtmp ", ""))),
                    );
                }
            }
            settings.output.rtmp = urls.into_inner();
        }
        if let Some(video) = output.string("video", &mut diags) {
            settings.output.video = Some(base.join(video.get_ref()));
        }
        if let Some(record) = output.string("record", &mut diags) {
            if record.get_ref().trim().is_empty() {
                diags.push(src.error(&record.span(), "[output] `record` must name a folder, like \"recordings\""));
            } else {
                settings.output.record = Some(base.join(record.get_ref()));
            }
        }
        if let Some(seconds) = output.integer("record_segment_seconds", &mut diags) {
            match u64::try_from(*seconds.get_ref()) {
                Ok(s) if RECORD_SEGMENT_SECONDS.contains(&s) => {
                    settings.output.record_segment = std::time::Duration::from_secs(s)
                }
                _ => diags.push(src.error(
                    &seconds.span(),
                    format!(
                        "[output] `record_segment_seconds` {} must be from {} to {} (3600: a new file every hour)",
                        seconds.get_ref(),
                        RECORD_SEGMENT_SECONDS.start(),
                        RECORD_SEGMENT_SECONDS.end()
                    ),
                )),
            }
        }
        output.finish(&mut diags);
    }
    if let Some(mut moderation) = root.table("moderation", &mut diags) {
        moderation.set_context("[moderation]");
        for intent in moderation.keys() {
            let Some(mode) = moderation.string(&intent, &mut diags) else { continue };
            let parsed_intent = serde_json::from_value::<model::Intent>(serde_json::Value::String(intent.clone()));
            match (parsed_intent, model::ModerationMode::parse(mode.get_ref())) {
                (Ok(intent), Some(mode)) => settings.show.moderation.push((intent, mode)),
                (Err(_), _) => diags.push(src.error(
                    &mode.span(),
                    format!(
                        "[moderation] `{intent}` is not a comment intent; use one of product_question, \
                         price_stock_shipping, purchase_intent, greeting, praise, complaint_or_refund, \
                         health_or_safety, accessibility_need, other"
                    ),
                )),
                (_, None) => diags.push(src.error(
                    &mode.span(),
                    format!(
                        "[moderation] `{intent}` = \"{}\" must be \"auto\", \"approve_first\" or \"human_only\"",
                        mode.get_ref()
                    ),
                )),
            }
        }
        moderation.finish(&mut diags);
    }
    root.finish(&mut diags);
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_key_and_its_line() {
        let mut settings = Settings::default();
        let text = "[show]\nlanguage = \"fr\"\ndisclosure_every = \"5s\"\n[stage]\nfsp = 30\n";
        let diags: Vec<String> =
            parse_into(&mut settings, "show.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
        assert!(diags.iter().any(|d| d.starts_with("show.toml:2:12: error: [show] `language` \"fr\"")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("show.toml:3:20: error: [show] `disclosure_every`")), "{diags:?}");
        assert!(
            diags
                .iter()
                .any(|d| d.starts_with("show.toml:5:1: error: [stage]: unknown key `fsp`; did you mean `fps`?")),
            "{diags:?}"
        );
    }

    /// Twitch over TLS unless `irc://` says otherwise; a URL of another kind is refused with its line.
    #[test]
    fn the_twitch_server_is_checked_and_a_ca_file_is_relative_to_the_config() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> = parse_into(&mut settings, "show.toml", text, Path::new("/etc/shopcast"))
                .iter()
                .map(|d| d.to_string())
                .collect();
            (settings, diags)
        };
        let (settings, diags) = parse(
            "[chat]\ntwitch_channel = \"shop\"\ntwitch_server = \"ircs://irc.example.org\"\ntwitch_ca_file = \"ca.pem\"\n",
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(settings.chat.twitch_server.as_deref(), Some("ircs://irc.example.org"));
        assert_eq!(settings.chat.twitch_ca_file, Some(PathBuf::from("/etc/shopcast/ca.pem")));
        let (settings, diags) = parse("[chat]\ntwitch_server = \"https://irc.chat.twitch.tv\"\n");
        assert!(settings.chat.twitch_server.is_none());
        assert!(
            diags
                .iter()
                .any(|d| d.starts_with("show.toml:2:17: error: [chat] `twitch_server`") && d.contains("irc://")),
            "{diags:?}"
        );
    }

    #[test]
    fn the_example_config_is_valid_and_matches_the_defaults() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("show.example.toml")).unwrap();
        let mut settings = Settings::default();
        let diags = parse_into(&mut settings, "show.example.toml", &text, root);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(settings.show, ShowConfig::default());
        assert_eq!(settings.fps, 30);
    }

    #[test]
    fn the_care_help_line_is_checked_by_the_guard_for_each_language() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> =
                parse_into(&mut settings, "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
            (settings, diags)
        };
        let (settings, diags) = parse("[care]\nhelpline = \"988 Suicide and Crisis Lifeline\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(settings.show.care_helpline.en.as_deref(), Some("988 Suicide and Crisis Lifeline"));
        assert_eq!(settings.show.care_helpline.zh.as_deref(), Some("988 Suicide and Crisis Lifeline"));
        let (settings, diags) =
            parse("[care.helpline]\nen = \"Samaritans 116 123\"\nzh = \"希望24热线 400-161-9995\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(settings.show.care_helpline.en.as_deref(), Some("Samaritans 116 123"));
        assert_eq!(settings.show.care_helpline.zh.as_deref(), Some("希望24热线 400-161-9995"));
        let (settings, diags) = parse("[care.helpline]\nen = \"988, and 50% off everything today\"\nfr = \"3114\"\n");
        assert!(settings.show.care_helpline.en.is_none());
        assert!(
            diags.iter().any(|d| d.starts_with("s.toml:2:6: error: [care] `helpline`") && d.contains("English")),
            "{diags:?}"
        );
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:1") && d.contains("fr")), "{diags:?}");
    }

    #[test]
    fn a_youtube_chat_is_named_one_way_and_its_quota_within_bounds() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> =
                parse_into(&mut settings, "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
            (settings, diags)
        };
        let (settings, diags) = parse("[chat]\nyoutube_video_id = \"dQw4w9WgXcQ\"\nyoutube_quota_hours = 4\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(settings.chat.youtube_video_id.as_deref(), Some("dQw4w9WgXcQ"));
        assert_eq!(settings.chat.youtube_quota_hours, Some(4));
        let (_, diags) = parse(
            "[chat]\nyoutube_live_chat_id = \"Cg0\"\nyoutube_active_broadcast = true\nyoutube_quota_hours = 48\n",
        );
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:28: error: [chat] give one of")), "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("`youtube_quota_hours` 48 must be from 1 to 24")), "{diags:?}");
        let (settings, diags) = parse("[chat]\npost_replies = true\ntwitch_messages_per_30s = 100\n");
        assert!(diags.is_empty() && settings.chat.post_replies, "{diags:?}");
        assert_eq!(settings.chat.twitch_messages_per_30s, Some(100));
        let (_, diags) = parse("[chat]\ntwitch_messages_per_30s = 101\n");
        assert!(diags.iter().any(|d| d.contains("`twitch_messages_per_30s` 101 must be from 1 to 100")), "{diags:?}");
        let (settings, diags) = parse("[chat]\ntwitch_channel = \"shop\"\ntwitch_transport = \"eventsub\"\n");
        assert!(diags.is_empty() && settings.chat.twitch_eventsub, "{diags:?}");
        let (_, diags) = parse("[chat]\ntwitch_transport = \"helix\"\n");
        assert!(
            diags.iter().any(|d| d.contains("2:20: error: [chat] `twitch_transport` \"helix\" must be")),
            "{diags:?}"
        );
        let (settings, diags) = parse("[chat]\nbilibili_open_live = true\nbilibili_api = \"http://127.0.0.1:9/\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert!(settings.chat.bilibili_open_live);
        assert_eq!(settings.chat.bilibili_api.as_deref(), Some("http://127.0.0.1:9"));
        for elsewhere in ["http://127.0.0.1.example.com/x", "http://127.0.0.1:1@evil.example/", "https://u@h.example/"]
        {
            let (_, diags) = parse(&format!("[chat]\nbilibili_api = \"{elsewhere}\"\n"));
            assert!(diags.iter().any(|d| d.contains("`bilibili_api`")), "{elsewhere}: {diags:?}");
        }
        let (_, diags) = parse("[chat]\nbilibili_open_live = true\nbilibili_api = \"http://example.com\"\n");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:16: error: [chat] `bilibili_api`")), "{diags:?}");
    }

    #[test]
    fn shop_takes_a_kind_an_address_and_a_poll_with_errors_at_the_key_and_credentials_from_the_environment() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> =
                parse_into(&mut settings, "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
            (settings, diags)
        };
        let (settings, diags) = parse("[shop]\nkind = \"shopify\"\nurl = \"https://demo.myshopify.com/\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        let shop = settings.shop.expect("[shop] read");
        assert_eq!(
            (shop.url.as_str(), shop.poll.as_secs(), shop.api_version.as_str()),
            ("https://demo.myshopify.com", 5, SHOPIFY_API_VERSION)
        );
        let missing = shop.config(|_| None).unwrap_err();
        assert!(missing.contains("SHOPCAST_SHOPIFY_TOKEN"), "{missing}");
        let config = shop.config(|k| (k == "SHOPCAST_SHOPIFY_TOKEN").then(|| "shpat_x".to_string())).unwrap();
        assert_eq!(config.kind.name(), "shopify");
        assert!(!format!("{config:?}").contains("shpat_x"), "credentials stay out of logs");

        let (settings, diags) =
            parse("[shop]\nkind = \"woocommerce\"\nurl = \"https://example.com\"\npoll_seconds = 30\n");
        let shop = settings.shop.expect("woo read");
        assert!(diags.is_empty() && shop.poll.as_secs() == 30, "{diags:?}");
        let env = |k: &str| (k == "SHOPCAST_WOO_KEY").then(|| "ck".to_string());
        assert!(shop.config(env).unwrap_err().contains("SHOPCAST_WOO_SECRET"));
        assert_eq!(shop.webhook_secret_var(), "SHOPCAST_WOO_WEBHOOK_SECRET");

        let (settings, diags) =
            parse("[shop]\nkind = \"magento\"\nurl = \"https://x\"\npoll_seconds = 1\napi_version = \"latest\"\n");
        assert!(settings.shop.is_none());
        assert!(diags.iter().any(|d| d.starts_with("s.toml:2:8: error: [shop] `kind` \"magento\"")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:4:16: error: [shop] `poll_seconds` 1")), "{diags:?}");
        assert!(
            diags.iter().any(|d| d.starts_with("s.toml:5:15: error: [shop] `api_version` \"latest\"")),
            "{diags:?}"
        );
        let (settings, diags) = parse("[shop]\nkind = \"shopify\"\nurl = \"http://demo.myshopify.com\"\n");
        assert!(settings.shop.is_none());
        assert!(
            diags.iter().any(|d| d.starts_with("s.toml:3:7: error: [shop] shop url") && d.contains("https://")),
            "{diags:?}"
        );
        let (_, diags) = parse("[shop]\nkind = \"shopify\"\n");
        assert!(diags.iter().any(|d| d.contains("[shop] needs `kind`")), "{diags:?}");
    }

    #[test]
    fn links_take_utm_names_and_variant_slots_with_errors_at_the_key() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> =
                parse_into(&mut settings, "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
            (settings, diags)
        };
        let (settings, diags) = parse("[links]\ncampaign = \"双十二\"\nvariant_minutes = 30\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!((settings.show.links.campaign.as_str(), settings.show.links.variant_minutes), ("双十二", 30));
        assert!(settings.show.links.utm, "on unless turned off");
        let (settings, diags) = parse("[links]\nutm = false\n");
        assert!(diags.is_empty() && !settings.show.links.utm, "{diags:?}");
        let (settings, diags) = parse("[links]\nsource = \"\"\nvariant_minutes = -5\nutms = true\n");
        assert_eq!(settings.show.links.source, "shopcast", "a bad value leaves the default");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:2:10: error: [links] `source`")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:19: error: [links] `variant_minutes` -5")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:4:1") && d.contains("utms")), "{diags:?}");
    }

    #[test]
    fn audit_retention_is_years_or_days_and_never_under_three_years() {
        let parse = |text: &str| {
            let mut settings = Settings::default();
            let diags: Vec<String> =
                parse_into(&mut settings, "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect();
            (settings.audit_retention_days, diags)
        };
        assert_eq!(parse(""), (3 * 365, vec![]));
        assert_eq!(parse("[audit]\nretain = \"5y\"\n"), (5 * 365, vec![]));
        assert_eq!(parse("[audit]\nretain = \"3y30d\"\n"), (3 * 365 + 30, vec![]));
        assert_eq!(parse("[audit]\nretain = \"1200d\"\n"), (1200, vec![]));
        let (days, diags) = parse("[audit]\nretain = \"2y\"\n");
        assert_eq!(days, 3 * 365, "a refused value keeps the default");
        assert!(
            diags[0]
                .starts_with("s.toml:2:10: error: [audit] `retain` \"2y\" is 730 days, shorter than the three years"),
            "{diags:?}"
        );
        for bad in ["3 years", "y", "-3y", "3m", "99999999y", ""] {
            let (_, diags) = parse(&format!("[audit]\nretain = \"{bad}\"\n"));
            assert!(diags.iter().any(|d| d.contains("must be years or days")), "{bad}: {diags:?}");
        }
        let (_, diags) = parse("[audit]\nkeep = \"3y\"\n");
        assert!(diags.iter().any(|d| d.contains("unknown key `keep`")), "{diags:?}");
    }

    #[test]
    fn the_care_section_sets_the_webhook_and_the_calm_and_refuses_bad_values() {
        let mut settings = Settings::default();
        let ok = "[care]\nwebhook = \"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k\"\ncalm_minutes = 10\n";
        assert!(parse_into(&mut settings, "s.toml", ok, Path::new(".")).is_empty());
        assert_eq!(settings.care_webhook.as_deref(), Some("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"));
        assert_eq!(settings.show.care_calm_ms, 10 * 60 * 1000);
        let bad = "[care]\nwebhook = \"ftp://x\"\ncalm_minutes = 600\nhelp_line = \"x\"\n";
        let diags: Vec<String> =
            parse_into(&mut settings, "s.toml", bad, Path::new(".")).iter().map(|d| d.to_string()).collect();
        assert!(diags.iter().any(|d| d.starts_with("s.toml:2:11: error: [care] `webhook` must be")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:16: error: [care] `calm_minutes` 600")), "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("unknown key `help_line`")), "{diags:?}");
    }

    #[test]
    fn an_llm_writer_needs_a_url_and_a_model() {
        let mut settings = Settings::default();
        let ok = "[writer]\nkind = \"llm\"\nbase_url = \"http://127.0.0.1:8080/v1/\"\nmodel = \"smol\"\n";
        assert!(parse_into(&mut settings, "s.toml", ok, Path::new(".")).is_empty());
        assert_eq!(
            settings.writer,
            WriterSettings::Llm { base_url: "http://127.0.0.1:8080/v1".into(), model: "smol".into() }
        );
        let missing = "[writer]\nkind = \"llm\"\n";
        let diags = parse_into(&mut Settings::default(), "s.toml", missing, Path::new("."));
        assert!(
            diags[0].to_string().starts_with("s.toml:1:1: error: [writer] kind \"llm\" needs base_url"),
            "{diags:?}"
        );
        let bad = "[writer]\nkind = \"gpt\"\n";
        let diags = parse_into(&mut Settings::default(), "s.toml", bad, Path::new("."));
        assert!(diags[0].to_string().starts_with("s.toml:2:8: error: [writer] `kind` \"gpt\""), "{diags:?}");
    }

    #[test]
    fn the_output_section_names_streams_files_and_the_recording_and_refuses_bad_ones() {
        let mut settings = Settings::default();
        let ok = "[output]\nrtmp = [\"rtmp://a.example/live\", \"rtmps://b.example/app\"]\nvideo = \"show.mkv\"\n\
                  record = \"rec\"\nrecord_segment_seconds = 5\n";
        assert!(parse_into(&mut settings, "s.toml", ok, Path::new("/srv")).is_empty());
        assert_eq!(settings.output.rtmp, ["rtmp://a.example/live", "rtmps://b.example/app"]);
        assert_eq!(settings.output.video.as_deref(), Some(Path::new("/srv/show.mkv")));
        assert_eq!(settings.output.record.as_deref(), Some(Path::new("/srv/rec")));
        assert_eq!(settings.output.record_segment, std::time::Duration::from_secs(5));
        assert!(settings.output.any());
        let bad = "[output]\nrtmp = [\"http://x/live\"]\nrecord_segment_seconds = 1\nrecord = \" \"\nout = \"-\"\n";
        let diags: Vec<String> =
            parse_into(&mut Settings::default(), "s.toml", bad, Path::new(".")).iter().map(|d| d.to_string()).collect();
        assert!(
            diags.iter().any(|d| d.starts_with("s.toml:2:8: error: [output] `rtmp`: \"http://x/live\" must start with rtmp://")),
            "{diags:?}"
        );
        assert!(
            diags.iter().any(|d| d.starts_with("s.toml:3:26: error: [output] `record_segment_seconds` 1")),
            "{diags:?}"
        );
        assert!(diags.iter().any(|d| d.contains("[output] `record` must name a folder")), "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("unknown key `out`")), "{diags:?}");
    }

    #[test]
    fn environment_overrides_the_file() {
        let env = |k: &str| (k == "SHOPCAST_LANGUAGE").then(|| "zh".to_string());
        assert_eq!(load(None, &env).unwrap().show.lang, Lang::Zh);
        let bad = |k: &str| (k == "SHOPCAST_LANGUAGE").then(|| "klingon".to_string());
        assert!(load(None, &bad).is_err());
    }

    #[test]
    fn a_cloned_voice_needs_the_persons_consent_named() {
        let server = "[voice]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:8880/v1\"\n";
        let mut settings = Settings::default();
        let text = format!("{server}cloned_from = \"Li Na\"\nconsent = \"consent/li-na-2026-11-02.pdf\"\n");
        assert!(parse_into(&mut settings, "s.toml", &text, Path::new(".")).is_empty());
        let VoiceSettings::OpenAi { clone, .. } = &settings.voice else { panic!("{:?}", settings.voice) };
        let clone = clone.as_ref().expect("the clone is kept");
        assert_eq!((clone.of.as_str(), clone.consent.as_str()), ("Li Na", "consent/li-na-2026-11-02.pdf"));
        let said = crate::wiring::provenance(&settings, "show-1").voice;
        assert!(said.contains("Li Na") && said.contains("consent/li-na-2026-11-02.pdf"), "{said}");

        let errors = |text: &str| -> Vec<String> {
            parse_into(&mut Settings::default(), "s.toml", text, Path::new(".")).iter().map(|d| d.to_string()).collect()
        };
        let missing = errors(&format!("{server}cloned_from = \"Li Na\"\n"));
        assert!(
            missing
                .iter()
                .any(|d| d.starts_with("s.toml:4:15: error: [voice] `cloned_from` \"Li Na\" needs `consent`")),
            "{missing:?}"
        );
        let blank = errors(&format!("{server}cloned_from = \"Li Na\"\nconsent = \"  \"\n"));
        assert!(blank.iter().any(|d| d.contains("needs `consent`")), "{blank:?}");
        let nobody = errors(&format!("{server}consent = \"form.pdf\"\n"));
        assert!(nobody.iter().any(|d| d.contains("`consent` without `cloned_from`")), "{nobody:?}");
        let espeak = errors("[voice]\nkind = \"espeak\"\ncloned_from = \"Li Na\"\nconsent = \"form.pdf\"\n");
        assert!(espeak.iter().any(|d| d.contains("not kind \"espeak\"")), "{espeak:?}");
    }

    #[test]
    fn voices_and_moderation_modes_are_read_and_bad_ones_named() {
        let mut settings = Settings::default();
        let text = "[voice]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:9000/v1/\"\n\
                    [moderation]\nprice_stock_shipping = \"approve_first\"\ngreeting = \"human_only\"\n";
        assert!(parse_into(&mut settings, "s.toml", text, Path::new(".")).is_empty());
        assert_eq!(
            settings.voice,
            VoiceSettings::OpenAi {
                base_url: "http://127.0.0.1:9000/v1".into(),
                model: "gpt-4o-mini-tts".into(),
                voice: "alloy".into(),
                clone: None
            }
        );
        assert_eq!(
            settings.show.moderation,
            vec![
                (model::Intent::Greeting, model::ModerationMode::HumanOnly),
                (model::Intent::PriceStockShipping, model::ModerationMode::ApproveFirst)
            ]
        );
        let bad =
            "[voice]\nkind = \"piper\"\nrate_wpm = 9000\n[moderation]\nweather = \"auto\"\ngreeting = \"maybe\"\n";
        let diags: Vec<String> =
            parse_into(&mut Settings::default(), "s.toml", bad, Path::new(".")).iter().map(|d| d.to_string()).collect();
        assert!(diags.iter().any(|d| d.contains("[voice] `kind` \"piper\" must be")), "{diags:?}");
        assert!(diags.iter().any(|d| d.starts_with("s.toml:3:12: error: [voice] `rate_wpm` 9000")), "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("`weather` is not a comment intent")), "{diags:?}");
        assert!(diags.iter().any(|d| d.contains("`greeting` = \"maybe\" must be")), "{diags:?}");
    }

    #[test]
    fn an_obs_section_is_read_by_the_obs_reader_and_its_password_comes_from_the_environment() {
        let dir = std::env::temp_dir().join(format!("shopcast-config-obs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("show.toml");
        std::fs::write(&path, "[obs]\nurl = \"ws://127.0.0.1:4455\"\ndefault_scene = \"Host\"\n").unwrap();
        let env = |k: &str| (k == "SHOPCAST_OBS_PASSWORD").then(|| "secret-pass".to_string());
        let settings = load(Some(&path), &env).unwrap();
        let obs = settings.obs.expect("[obs] is configured");
        assert_eq!(obs.default_scene.as_deref(), Some("Host"));
        assert_eq!(obs.password.as_deref(), Some("secret-pass"));
        let diags = parse_into(&mut Settings::default(), "s.toml", "[obs]\nscene = \"x\"\n", Path::new("."));
        assert!(diags.iter().any(|d| d.is_error() && d.to_string().contains("scene")), "{diags:?}");
        std::fs::remove_dir_all(dir).ok();
    }
}
