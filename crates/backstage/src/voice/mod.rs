//! Voices turn a line's text into speech: audio, how long it lasts and how the mouth moves.
//!
//! Three engines sit behind [`Voice`]: espeak-ng in process (audio with phoneme timings, so the mouth follows
//! the sounds), an OpenAI-compatible `/v1/audio/speech` server (audio only; the mouth follows the loudness), and
//! the silent voice (no audio; durations and mouth shapes estimated from the text). Every failure is a
//! [`VoiceError`], never a hang: the show loop turns it into `VoiceFailed`, and the director airs the line as
//! captions with estimated timing.

mod espeak;
mod espeak_ffi;
mod openai;
mod runs;

#[cfg(test)]
mod espeak_tests;
#[cfg(test)]
mod openai_tests;
#[cfg(test)]
mod piper_tests;

pub use espeak::{EspeakOptions, EspeakVoice, MAX_CHARS, RATE_MAX_WPM, RATE_MIN_WPM, Speech};
pub use openai::{OpenAiTts, OpenAiTtsOptions};
pub use runs::language_runs;

use director::{lipsync, timing};
use model::{AudioClip, Lang, VisemeKey};
use std::time::Duration;

/// A synthesised line: how long it lasts, how the mouth moves (relative to the clip's start), and the audio when
/// the engine makes some.
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub duration_ms: u32,
    pub visemes: Vec<VisemeKey>,
    pub audio: Option<AudioClip>,
}

/// Why a line has no voice. Each says what to do about it; the show carries on with captions either way.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VoiceError {
    #[error("the line has no text to speak")]
    EmptyLine,
    #[error("the line has {chars} characters; a voice speaks at most {max} at once")]
    TooLong { chars: usize, max: usize },
    #[error("the line made no audible speech (only symbols or emoji?)")]
    NoSpeech,
    #[error("invalid voice configuration: {0}")]
    Config(String),
    #[error("the speech engine is unavailable: {0}")]
    Unavailable(String),
    #[error("espeak-ng has no voice {0:?}; `espeak-ng --voices` lists the installed ones")]
    VoiceNotFound(String),
    #[error("speech synthesis failed: {0}")]
    Synthesis(String),
    #[error("the speech engine already has {0} lines waiting; this one is dropped")]
    Busy(usize),
    #[error("the speech engine's thread has stopped")]
    EngineGone,
    #[error("speech took longer than {0:?}")]
    Timeout(Duration),
    #[error("cannot connect to the TTS server: {0}")]
    Connect(String),
    #[error("network error talking to the TTS server: {0}")]
    Network(String),
    #[error("the TTS server answered HTTP {status}: {body}")]
    Http { status: u16, body: String },
    #[error("expected audio from the TTS server, got content type {content_type:?}: {body}")]
    WrongContentType { content_type: String, body: String },
    #[error("the TTS server sent unusable audio: {0}")]
    BadAudio(String),
}

impl VoiceError {
    /// Whether asking again later may work. The show does not retry a line (the next one comes along), but a
    /// supervisor may use this to tell an outage from a misconfiguration.
    pub fn is_retryable(&self) -> bool {
        match self {
            VoiceError::Busy(_) | VoiceError::Timeout(_) | VoiceError::Connect(_) | VoiceError::Network(_) => true,
            VoiceError::Http { status, .. } => *status == 429 || *status >= 500,
            VoiceError::EmptyLine
            | VoiceError::TooLong { .. }
            | VoiceError::NoSpeech
            | VoiceError::Config(_)
            | VoiceError::Unavailable(_)
            | VoiceError::VoiceNotFound(_)
            | VoiceError::Synthesis(_)
            | VoiceError::EngineGone
            | VoiceError::WrongContentType { .. }
            | VoiceError::BadAudio(_) => false,
        }
    }
}

/// The configured voice engine.
#[derive(Debug, Clone, Default)]
pub enum Voice {
    /// No audio: captions only, with durations and visemes estimated from the text.
    #[default]
    Silent,
    /// espeak-ng in process: audio and phoneme-timed visemes.
    Espeak(EspeakVoice),
    /// An OpenAI-compatible speech endpoint: audio, visemes from its loudness.
    OpenAi(OpenAiTts),
}

impl Voice {
    /// The espeak-ng voice. Fails at once (not on the first line) when the library's data or a voice is missing.
    pub fn espeak(options: EspeakOptions) -> Result<Voice, VoiceError> {
        EspeakVoice::new(options).map(Voice::Espeak)
    }

    /// An OpenAI-compatible speech server. Checks the options; does not contact the server.
    pub fn openai(options: OpenAiTtsOptions) -> Result<Voice, VoiceError> {
        OpenAiTts::new(options).map(Voice::OpenAi)
    }

    pub async fn speak(&self, text: &str, lang: Lang) -> Result<Clip, VoiceError> {
        self.speak_at(text, lang, model::Pace::Usual).await
    }

    /// Speaks `text` at `pace`: plain pace is slower (espeak-ng at three quarters of its rate, an
    /// OpenAI-compatible server asked for speed 0.8).
    pub async fn speak_at(&self, text: &str, lang: Lang, pace: model::Pace) -> Result<Clip, VoiceError> {
        if text.trim().is_empty() {
            return Err(VoiceError::EmptyLine);
        }
        match self {
            Voice::Silent => Ok(Clip {
                duration_ms: timing::estimate_duration_ms(text),
                visemes: timing::estimate_visemes(text),
                audio: None,
            }),
            Voice::Espeak(espeak) => {
                let speech = speak_in_runs(espeak, text, lang, pace).await?;
                let duration_ms = speech.duration_ms();
                let visemes = lipsync::visemes_from_phonemes(&speech.phonemes, duration_ms);
                let audio = AudioClip { sample_rate: speech.sample_rate, samples: speech.samples.into() };
                Ok(Clip { duration_ms, visemes, audio: Some(audio) })
            }
            Voice::OpenAi(tts) => {
                let audio = tts.synthesize_at(text, pace).await?;
                let visemes = lipsync::visemes_from_envelope(&audio.samples, audio.sample_rate);
                Ok(Clip { duration_ms: audio.duration_ms(), visemes, audio: Some(audio) })
            }
        }
    }

    pub fn name(&self) -> &'static str {
        match self {
            Voice::Silent => "silent",
            Voice::Espeak(_) => "espeak",
            Voice::OpenAi(_) => "openai",
        }
    }
}

/// Speaks each language run of `text` with its own espeak voice (a Chinese title inside an English line in the
/// Mandarin voice, an English brand inside a Chinese line in the English voice) and joins them into one clip, the
/// phoneme times of each run moved to where its audio starts. The caption stays one line; only the voice changes.
async fn speak_in_runs(espeak: &EspeakVoice, text: &str, lang: Lang, pace: model::Pace) -> Result<Speech, VoiceError> {
    let runs = language_runs(text, lang);
    if runs.len() <= 1 {
        return espeak.synthesize_at(text, lang, pace).await;
    }
    let mut joined: Option<Speech> = None;
    for (run_lang, run) in runs {
        let speech = match espeak.synthesize_at(run, run_lang, pace).await {
            Ok(speech) => speech,
            // A run of symbols alone (a dash between two titles) says nothing; the rest of the line still does.
            Err(VoiceError::NoSpeech | VoiceError::EmptyLine) => continue,
            Err(e) => return Err(e),
        };
        match joined.as_mut() {
            None => joined = Some(speech),
            Some(line) => {
                let offset = line.duration_ms();
                line.phonemes.extend(speech.phonemes.into_iter().map(|mut p| {
                    p.t_ms = p.t_ms.saturating_add(offset);
                    p
                }));
                line.samples.extend(speech.samples);
                line.marks += speech.marks;
            }
        }
    }
    joined.ok_or(VoiceError::NoSpeech)
}
