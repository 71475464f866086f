//! The OpenAI-compatible speech client: `POST {base}/audio/speech` with `response_format: "pcm"`.
//!
//! OpenAI answers raw 24 kHz mono signed 16-bit little-endian PCM; some compatible servers answer a WAV file
//! instead, so a body that starts with a RIFF header is read as one whatever was asked. The API says nothing
//! about timing, so the mouth follows the audio's loudness (`director::lipsync::visemes_from_envelope`).

use super::{MAX_CHARS, VoiceError};
use model::AudioClip;
use std::time::Duration;

/// How to reach the speech server. The key comes from the caller (which reads it from the environment);
/// `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct OpenAiTtsOptions {
    /// The API root including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    /// e.g. `gpt-4o-mini-tts` or `tts-1`.
    pub model: String,
    /// e.g. `alloy`.
    pub voice: String,
    pub api_key: Option<String>,
    pub connect_timeout: Duration,
    /// The whole request, body included. Keep it at the director's `voice_timeout`: a clip that comes later is
    /// dropped as stale anyway.
    pub timeout: Duration,
    /// The rate of raw PCM answers: 24000 for OpenAI. WAV answers carry their own.
    pub pcm_sample_rate: u32,
    /// A runaway body is cut here (a minute of 24 kHz audio is about 2.9 MB).
    pub max_audio_bytes: usize,
}

/// The speed an OpenAI-compatible server is asked for in plain pace.
pub const PLAIN_SPEED: f64 = 0.8;

impl OpenAiTtsOptions {
    pub fn new(base_url: impl Into<String>, model: impl Into<String>, voice: impl Into<String>) -> OpenAiTtsOptions {
        OpenAiTtsOptions {
            base_url: base_url.into(),
            model: model.into(),
            voice: voice.into(),
            api_key: None,
            connect_timeout: Duration::from_secs(1),
            timeout: Duration::from_millis(2_400),
            pcm_sample_rate: 24_000,
            max_audio_bytes: 16 << 20,
        }
    }

    /// Sets the key; a blank one means none.
    pub fn with_api_key(mut self, key: impl Into<String>) -> OpenAiTtsOptions {
        let key = key.into();
        self.api_key = (!key.trim().is_empty()).then_some(key);
        self
    }

    fn endpoint(&self) -> String {
        format!("{}/audio/speech", self.base_url.trim_end_matches('/'))
    }
}

impl std::fmt::Debug for OpenAiTtsOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiTtsOptions")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("voice", &self.voice)
            .field("api_key", &self.api_key.as_ref().map(|_| "<set>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("pcm_sample_rate", &self.pcm_sample_rate)
            .finish_non_exhaustive()
    }
}

/// A speech client. Cheap to clone; clones share the connection pool.
#[derive(Clone, Debug)]
pub struct OpenAiTts {
    options: std::sync::Arc<OpenAiTtsOptions>,
    http: reqwest::Client,
}

/// How much of an error body goes into the error message.
const SNIPPET: usize = 300;

impl OpenAiTts {
    pub fn new(options: OpenAiTtsOptions) -> Result<OpenAiTts, VoiceError> {
        let base = options.base_url.trim();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(VoiceError::Config(format!(
                "TTS base_url {base:?} must start with http:// or https://, e.g. https://api.openai.com/v1"
            )));
        }
        if reqwest::Url::parse(base).is_err() {
            return Err(VoiceError::Config(format!("TTS base_url {base:?} is not a valid URL")));
        }
        for (field, value) in [("model", &options.model), ("voice", &options.voice)] {
            if value.trim().is_empty() {
                return Err(VoiceError::Config(format!(
                    "TTS {field} is empty; set it, e.g. model = \"tts-1\", voice = \"alloy\""
                )));
            }
        }
        if options.timeout.is_zero() || options.connect_timeout.is_zero() {
            return Err(VoiceError::Config("TTS timeouts must be above zero".to_string()));
        }
        if options.pcm_sample_rate == 0 {
            return Err(VoiceError::Config("TTS pcm_sample_rate must be above zero (OpenAI: 24000)".to_string()));
        }
        let http = reqwest::Client::builder()
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .build()
            .map_err(|e| VoiceError::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(OpenAiTts { options: std::sync::Arc::new(options), http })
    }

    pub fn options(&self) -> &OpenAiTtsOptions {
        &self.options
    }

    /// Asks the server to say `text` and returns mono 16-bit audio.
    pub async fn synthesize(&self, text: &str) -> Result<AudioClip, VoiceError> {
        self.synthesize_at(text, model::Pace::Usual).await
    }

    /// [`OpenAiTts::synthesize`] at `pace`: plain pace asks the server for speed 0.8 (the OpenAI speech API's
    /// `speed`, 0.25 to 4; servers that do not know it ignore it).
    pub async fn synthesize_at(&self, text: &str, pace: model::Pace) -> Result<AudioClip, VoiceError> {
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            return Err(VoiceError::TooLong { chars, max: MAX_CHARS });
        }
        if text.trim().is_empty() {
            return Err(VoiceError::EmptyLine);
        }
        // reqwest's own timeout covers the body too; this outer one also bounds anything it might not.
        let timeout = self.options.timeout;
        match tokio::time::timeout(timeout + Duration::from_millis(250), self.request(text, pace)).await {
            Ok(result) => result,
            Err(_) => Err(VoiceError::Timeout(timeout)),
        }
    }

    async fn request(&self, text: &str, pace: model::Pace) -> Result<AudioClip, VoiceError> {
        let o = &self.options;
        let mut body = serde_json::json!({"model": o.model, "input": text, "voice": o.voice, "response_format": "pcm"});
        if pace == model::Pace::Plain {
            body["speed"] = serde_json::json!(PLAIN_SPEED);
        }
        let mut request = self.http.post(o.endpoint()).json(&body);
        if let Some(key) = &o.api_key {
            request = request.bearer_auth(key);
        }
        let mut response = request.send().await.map_err(|e| self.transport_error(e))?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if !status.is_success() {
            let body = snippet(&read_capped(&mut response, SNIPPET * 4).await.unwrap_or_default());
            return Err(VoiceError::Http { status: status.as_u16(), body });
        }
        let audio_type = content_type.is_empty()
            || content_type.starts_with("audio/")
            || content_type.starts_with("application/octet-stream");
        if !audio_type {
            let body = snippet(&read_capped(&mut response, SNIPPET * 4).await.unwrap_or_default());
            return Err(VoiceError::WrongContentType { content_type, body });
        }
        let bytes = read_capped(&mut response, o.max_audio_bytes).await.map_err(|e| match e {
            ReadError::Transport(e) => self.transport_error(e),
            ReadError::TooLarge => {
                VoiceError::BadAudio(format!("the audio is larger than {} bytes", o.max_audio_bytes))
            }
        })?;
        let clip = if bytes.starts_with(b"RIFF") || content_type.contains("wav") {
            parse_wav(&bytes)?
        } else {
            pcm_clip(&bytes, o.pcm_sample_rate)?
        };
        let peak = clip.samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
        if peak < 64 {
            return Err(VoiceError::NoSpeech);
        }
        Ok(clip)
    }

    fn transport_error(&self, e: reqwest::Error) -> VoiceError {
        if e.is_timeout() {
            VoiceError::Timeout(self.options.timeout)
        } else if e.is_connect() {
            VoiceError::Connect(format!("{}: {}", self.options.endpoint(), error_chain(&e)))
        } else {
            VoiceError::Network(error_chain(&e))
        }
    }
}

fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

enum ReadError {
    Transport(reqwest::Error),
    TooLarge,
}

async fn read_capped(response: &mut reqwest::Response, cap: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if out.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    if text.is_empty() {
        return "(empty body)".to_string();
    }
    let mut cut: String = text.chars().take(SNIPPET).collect();
    if cut.len() < text.len() {
        cut.push('…');
    }
    cut
}

/// Raw mono signed 16-bit little-endian samples.
pub fn pcm_clip(bytes: &[u8], sample_rate: u32) -> Result<AudioClip, VoiceError> {
    if bytes.is_empty() {
        return Err(VoiceError::BadAudio("the response body is empty".to_string()));
    }
    if !bytes.len().is_multiple_of(2) {
        return Err(VoiceError::BadAudio(format!(
            "{} bytes is not a whole number of 16-bit samples; is response_format pcm?",
            bytes.len()
        )));
    }
    let samples: Vec<i16> = bytes.chunks_exact(2).map(|b| i16::from_le_bytes([b[0], b[1]])).collect();
    Ok(AudioClip { sample_rate, samples: samples.into() })
}

/// A RIFF/WAVE file of 16-bit PCM, mono or stereo (mixed down). A data chunk whose size is unknown (0 or
/// 0xFFFFFFFF, as streaming servers write it) runs to the end of the body.
pub fn parse_wav(bytes: &[u8]) -> Result<AudioClip, VoiceError> {
    let bad = |why: &str| VoiceError::BadAudio(format!("WAV: {why}"));
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(bad("no RIFF/WAVE header"));
    }
    let u16_at = |at: usize| u16::from_le_bytes([bytes[at], bytes[at + 1]]);
    let u32_at = |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let mut at = 12;
    let mut format: Option<(u16, u32, u16)> = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32_at(at + 4) as usize;
        let body = at + 8;
        if id == b"fmt " {
            if size < 16 || body + 16 > bytes.len() {
                return Err(bad("the fmt chunk is truncated"));
            }
            let tag = u16_at(body);
            let channels = u16_at(body + 2);
            let rate = u32_at(body + 4);
            let bits = u16_at(body + 14);
            // 1 is PCM; 0xFFFE (extensible) is accepted when its bit depth is 16, as its subformat then is PCM
            // in practice for speech servers.
            if tag != 1 && tag != 0xFFFE {
                return Err(bad(&format!("format tag {tag} is not PCM")));
            }
            if bits != 16 {
                return Err(bad(&format!("{bits}-bit samples; only 16-bit PCM is supported")));
            }
            if channels == 0 || channels > 2 {
                return Err(bad(&format!("{channels} channels; only mono or stereo")));
            }
            if rate == 0 {
                return Err(bad("sample rate 0"));
            }
            format = Some((channels, rate, bits));
        } else if id == b"data" {
            let Some((channels, rate, _)) = format else { return Err(bad("data before fmt")) };
            let end = if size == 0 || size == 0xFFFF_FFFF { bytes.len() } else { (body + size).min(bytes.len()) };
            let data = &bytes[body.min(bytes.len())..end];
            let frame = 2 * channels as usize;
            let samples: Vec<i16> = data
                .chunks_exact(frame)
                .map(|f| {
                    let l = i16::from_le_bytes([f[0], f[1]]);
                    if channels == 2 {
                        let r = i16::from_le_bytes([f[2], f[3]]);
                        ((i32::from(l) + i32::from(r)) / 2) as i16
                    } else {
                        l
                    }
                })
                .collect();
            if samples.is_empty() {
                return Err(bad("no samples"));
            }
            return Ok(AudioClip { sample_rate: rate, samples: samples.into() });
        }
        // Chunks are padded to an even length.
        at = body.saturating_add(size).saturating_add(size & 1);
    }
    Err(bad("no data chunk"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav(channels: u16, rate: u32, frames: &[[i16; 2]], data_size: Option<u32>) -> Vec<u8> {
        let mut data = Vec::new();
        for f in frames {
            for s in &f[..channels as usize] {
                data.extend_from_slice(&s.to_le_bytes());
            }
        }
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
        out.extend_from_slice(b"WAVE");
        out.extend_from_slice(b"LIST");
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(b"abc\0");
        out.extend_from_slice(b"fmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&(rate * 2 * u32::from(channels)).to_le_bytes());
        out.extend_from_slice(&(2 * channels).to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_size.unwrap_or(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&data);
        out
    }

    #[test]
    fn reads_mono_and_stereo_wav_with_odd_chunks_and_streaming_sizes() {
        let mono = parse_wav(&wav(1, 16_000, &[[100, 0], [-200, 0], [300, 0]], None)).unwrap();
        assert_eq!(mono.sample_rate, 16_000);
        assert_eq!(&mono.samples[..], &[100, -200, 300]);
        let stereo = parse_wav(&wav(2, 24_000, &[[100, 300], [-100, -300]], Some(0xFFFF_FFFF))).unwrap();
        assert_eq!(stereo.sample_rate, 24_000);
        assert_eq!(&stereo.samples[..], &[200, -200]);
    }

    #[test]
    fn refuses_broken_wav_and_pcm_with_reasons() {
        let err = |r: Result<AudioClip, VoiceError>| r.unwrap_err().to_string();
        assert!(err(parse_wav(b"RIFF\0\0\0\0WAVE")).contains("no data chunk"));
        assert!(err(parse_wav(b"RIFX")).contains("no RIFF/WAVE header"));
        let mut eight_bit = wav(1, 8000, &[[1, 0]], None);
        eight_bit[12 + 12 + 8 + 14] = 8;
        assert!(err(parse_wav(&eight_bit)).contains("8-bit"));
        let truncated = wav(1, 8000, &[[1, 0]], None);
        assert!(err(parse_wav(&truncated[..40])).contains("truncated"));
        assert!(err(pcm_clip(&[], 24_000)).contains("empty"));
        assert!(err(pcm_clip(&[1, 2, 3], 24_000)).contains("whole number"));
        assert_eq!(&pcm_clip(&[0x34, 0x12, 0xff, 0xff], 24_000).unwrap().samples[..], &[0x1234, -1]);
    }

    #[test]
    fn options_are_checked_and_the_key_never_printed() {
        let ok = OpenAiTtsOptions::new("http://127.0.0.1:1/v1", "tts-1", "alloy").with_api_key("sk-secret");
        assert!(!format!("{ok:?}").contains("sk-secret"));
        assert!(OpenAiTts::new(ok.clone()).is_ok());
        let bad_url = OpenAiTtsOptions { base_url: "127.0.0.1:8080".into(), ..ok.clone() };
        assert!(OpenAiTts::new(bad_url).unwrap_err().to_string().contains("http://"));
        let no_voice = OpenAiTtsOptions { voice: " ".into(), ..ok.clone() };
        assert!(OpenAiTts::new(no_voice).unwrap_err().to_string().contains("voice is empty"));
        assert_eq!(OpenAiTtsOptions::new("x", "m", "v").with_api_key("  ").api_key, None);
    }
}
