//! The espeak-ng voice: speech and phoneme timings from libespeak-ng, in process.
//!
//! libespeak-ng keeps global state and is not thread-safe, so one dedicated thread owns it for the whole process
//! and every [`EspeakVoice`] (whatever its options) sends it jobs over a channel; `synthesize` awaits a oneshot
//! reply. The library runs in synchronous mode: `espeak_Synth` calls back on that thread with audio and events
//! until the text is done, so the callback's buffers are thread-local and need no locking. A job carries a
//! deadline that the callback checks, so a runaway synthesis is cut off and the thread moves on; a caller that
//! stops waiting (its own timeout) is skipped when its job comes up.

use super::VoiceError;
use super::espeak_ffi as ffi;
use director::lipsync::PhonemeAt;
use model::Lang;
use std::cell::RefCell;
use std::ffi::{CString, c_int};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// espeak-ng's own limits for `espeakRATE`.
pub const RATE_MIN_WPM: u32 = 80;
pub const RATE_MAX_WPM: u32 = 450;
/// A line is a sentence or two. Anything longer is refused rather than tying the engine up for minutes; the
/// director then airs it as captions.
pub const MAX_CHARS: usize = 2_000;
/// Jobs that may wait for the engine; more means the show is asking faster than speech can be made.
const QUEUE: usize = 16;
/// Five minutes of audio at most for one line (a safety net under `MAX_CHARS`).
const MAX_SECONDS: usize = 300;

/// How the espeak voice speaks. Voices are espeak-ng voice names (`espeak-ng --voices` lists them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EspeakOptions {
    /// Speaking rate in words per minute, 80 to 450 (espeak's default is 175).
    pub rate_wpm: u32,
    /// The voice for English lines, e.g. `en-us`.
    pub voice_en: String,
    /// The voice for Mandarin lines. `cmn-latn-pinyin` reads Chinese characters as Mandarin (and Latin letters
    /// as pinyin); plain `cmn` reads the pinyin tone digits of its own dictionary as English numbers.
    pub voice_zh: String,
    /// The longest one line may take to synthesise, queueing included. Keep it at the director's
    /// `voice_timeout`: a clip that comes later is dropped as stale anyway.
    pub timeout: Duration,
}

impl Default for EspeakOptions {
    fn default() -> EspeakOptions {
        EspeakOptions {
            rate_wpm: 165,
            voice_en: "en-us".to_string(),
            voice_zh: "cmn-latn-pinyin".to_string(),
            timeout: Duration::from_millis(1_500),
        }
    }
}

/// Synthesised speech with the phoneme timings espeak reported.
#[derive(Clone, Debug)]
pub struct Speech {
    pub sample_rate: u32,
    pub samples: Vec<i16>,
    pub phonemes: Vec<PhonemeAt>,
    /// SSML `<mark>` events seen. Text is never sent as SSML, so this stays 0; tests check exactly that.
    pub marks: u32,
}

impl Speech {
    pub fn duration_ms(&self) -> u32 {
        if self.sample_rate == 0 {
            return 0;
        }
        (self.samples.len() as u64 * 1000 / u64::from(self.sample_rate)).min(u64::from(u32::MAX)) as u32
    }
}

/// A handle on the process's espeak-ng engine with one set of options. Cheap to clone.
#[derive(Clone, Debug)]
pub struct EspeakVoice {
    options: Arc<EspeakOptions>,
    engine: &'static Engine,
}

impl EspeakVoice {
    /// Starts the engine thread on first use and checks that both voices exist, so a typo in the configuration
    /// stops the start-up instead of silencing every line. Blocks briefly (loading the voices): call it at
    /// start-up.
    pub fn new(options: EspeakOptions) -> Result<EspeakVoice, VoiceError> {
        if !(RATE_MIN_WPM..=RATE_MAX_WPM).contains(&options.rate_wpm) {
            return Err(VoiceError::Config(format!(
                "espeak rate_wpm = {} is outside {RATE_MIN_WPM}..={RATE_MAX_WPM}; 165 is a calm presenter's pace",
                options.rate_wpm
            )));
        }
        if options.timeout.is_zero() {
            return Err(VoiceError::Config("espeak timeout must be above zero, e.g. 5s".to_string()));
        }
        let engine = engine()?;
        for name in [&options.voice_en, &options.voice_zh] {
            engine.check_voice(name)?;
        }
        Ok(EspeakVoice { options: Arc::new(options), engine })
    }

    pub fn options(&self) -> &EspeakOptions {
        &self.options
    }

    /// The engine's output rate (22050 Hz for espeak-ng's own voices).
    pub fn sample_rate(&self) -> u32 {
        self.engine.sample_rate
    }

    /// Speaks `text` with the voice for `lang`. Control characters become spaces; angle brackets and `[[` are
    /// read as text, never as SSML or phoneme codes.
    pub async fn synthesize(&self, text: &str, lang: Lang) -> Result<Speech, VoiceError> {
        self.synthesize_at(text, lang, model::Pace::Usual).await
    }

    /// [`EspeakVoice::synthesize`] at `pace`: plain pace speaks at three quarters of the configured rate (never
    /// below espeak's slowest).
    pub async fn synthesize_at(&self, text: &str, lang: Lang, pace: model::Pace) -> Result<Speech, VoiceError> {
        let rate_wpm = match pace {
            model::Pace::Usual => self.options.rate_wpm,
            model::Pace::Plain => (self.options.rate_wpm * 3 / 4).max(RATE_MIN_WPM),
        };
        let text = speakable(text)?;
        let voice = match lang {
            Lang::En => self.options.voice_en.clone(),
            Lang::Zh => self.options.voice_zh.clone(),
        };
        let timeout = self.options.timeout;
        let (reply, answer) = oneshot::channel();
        let deadline = Instant::now() + timeout;
        let job = SynthJob { text, voice, rate_wpm, timeout, deadline, reply };
        self.engine.jobs.try_send(Job::Synth(job)).map_err(|e| match e {
            TrySendError::Full(_) => VoiceError::Busy(QUEUE),
            TrySendError::Disconnected(_) => VoiceError::EngineGone,
        })?;
        match tokio::time::timeout(timeout, answer).await {
            Ok(Ok(result)) => result,
            Ok(Err(_)) => Err(VoiceError::EngineGone),
            Err(_) => Err(VoiceError::Timeout(timeout)),
        }
    }
}

/// Text as espeak should get it: no control characters (a NUL would end the C string early; others confuse the
/// clause reader), within the length limit, and not blank.
fn speakable(text: &str) -> Result<CString, VoiceError> {
    let chars = text.chars().count();
    if chars > MAX_CHARS {
        return Err(VoiceError::TooLong { chars, max: MAX_CHARS });
    }
    let clean: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return Err(VoiceError::EmptyLine);
    }
    // No NUL survives the map above, so this cannot fail; the error arm is for the type, not for input.
    CString::new(clean).map_err(|_| VoiceError::EmptyLine)
}

struct SynthJob {
    text: CString,
    voice: String,
    rate_wpm: u32,
    timeout: Duration,
    deadline: Instant,
    reply: oneshot::Sender<Result<Speech, VoiceError>>,
}

enum Job {
    Synth(SynthJob),
    CheckVoice { name: String, reply: mpsc::Sender<Result<(), VoiceError>> },
}

/// The engine thread's mailbox, and what it found at start-up.
#[derive(Debug)]
struct Engine {
    /// Sent by every `EspeakVoice`; received by the engine thread. Never closed while the process lives.
    jobs: SyncSender<Job>,
    sample_rate: u32,
}

impl Engine {
    fn check_voice(&self, name: &str) -> Result<(), VoiceError> {
        let (reply, answer) = mpsc::channel();
        self.jobs.send(Job::CheckVoice { name: name.to_string(), reply }).map_err(|_| VoiceError::EngineGone)?;
        answer.recv_timeout(Duration::from_secs(30)).map_err(|_| VoiceError::EngineGone)?
    }
}

static ENGINE: OnceLock<Result<Engine, VoiceError>> = OnceLock::new();

fn engine() -> Result<&'static Engine, VoiceError> {
    ENGINE.get_or_init(start_engine).as_ref().map_err(Clone::clone)
}

fn start_engine() -> Result<Engine, VoiceError> {
    let (jobs, inbox) = mpsc::sync_channel(QUEUE);
    let (ready_tx, ready) = mpsc::channel();
    std::thread::Builder::new()
        .name("espeak-ng".to_string())
        .spawn(move || run_engine(inbox, ready_tx))
        .map_err(|e| VoiceError::Unavailable(format!("cannot start the espeak-ng thread: {e}")))?;
    let sample_rate = ready
        .recv_timeout(Duration::from_secs(30))
        .map_err(|_| VoiceError::Unavailable("espeak-ng did not initialise within 30 s".to_string()))??;
    Ok(Engine { jobs, sample_rate })
}

/// The engine thread: initialise, report, then serve jobs until every sender is gone.
fn run_engine(inbox: Receiver<Job>, ready: mpsc::Sender<Result<u32, VoiceError>>) {
    // Loaded here, on the thread that owns the library for the rest of the process.
    let espeak = match ffi::Espeak::load() {
        Ok(espeak) => espeak,
        Err(why) => {
            let _ = ready.send(Err(VoiceError::Unavailable(why)));
            return;
        }
    };
    let rate = espeak.initialize(ffi::INITIALIZE_PHONEME_EVENTS | ffi::INITIALIZE_DONT_EXIT);
    if rate <= 0 {
        let _ = ready.send(Err(VoiceError::Unavailable(format!("espeak_Initialize failed ({rate})"))));
        return;
    }
    if let Err(e) = check_data(&espeak) {
        let _ = ready.send(Err(e));
        return;
    }
    espeak.set_audio_handler(on_audio);
    let _ = ready.send(Ok(rate as u32));

    let mut current: Option<(String, u32)> = None;
    for job in inbox {
        match job {
            Job::CheckVoice { name, reply } => {
                let result = select_voice(&espeak, &name);
                current = None;
                let _ = reply.send(result);
            }
            Job::Synth(job) => {
                // The caller gave up (timeout, cancelled line): do not spend time on speech nobody will play.
                if job.reply.is_closed() {
                    continue;
                }
                let result = synthesize_now(&espeak, &job, &mut current, rate as u32);
                let _ = job.reply.send(result);
            }
        }
    }
}

/// With `DONT_EXIT`, a missing data directory does not end the process but leaves a library that can say
/// nothing; name the directory so the operator knows what to install.
fn check_data(espeak: &ffi::Espeak) -> Result<(), VoiceError> {
    let (version, path) = espeak.info();
    let path = path.unwrap_or_default();
    if path.is_empty() || !std::path::Path::new(&path).join("phontab").exists() {
        let version = version.unwrap_or_else(|| "?".into());
        return Err(VoiceError::Unavailable(format!(
            "espeak-ng {version} found no voice data at {path:?}: install the espeak-ng-data package \
             (or set ESPEAK_DATA_PATH to the directory that contains espeak-ng-data)"
        )));
    }
    Ok(())
}

fn select_voice(espeak: &ffi::Espeak, name: &str) -> Result<(), VoiceError> {
    let not_found = || VoiceError::VoiceNotFound(name.to_string());
    let c_name = CString::new(name).map_err(|_| not_found())?;
    let status = espeak.set_voice_by_name(&c_name);
    match status {
        ffi::EE_OK => Ok(()),
        ffi::EE_NOT_FOUND => Err(not_found()),
        other => Err(VoiceError::Synthesis(format!("espeak_SetVoiceByName({name:?}) failed with {other}"))),
    }
}

fn synthesize_now(
    espeak: &ffi::Espeak,
    job: &SynthJob,
    current: &mut Option<(String, u32)>,
    sample_rate: u32,
) -> Result<Speech, VoiceError> {
    let wanted = (job.voice.clone(), job.rate_wpm);
    if current.as_ref() != Some(&wanted) {
        *current = None;
        select_voice(espeak, &job.voice)?;
        // The rate was validated (80 to 450) when the voice was built.
        let status = espeak.set_rate(job.rate_wpm as c_int);
        if status != ffi::EE_OK {
            return Err(VoiceError::Synthesis(format!(
                "espeak_SetParameter(rate, {}) failed with {status}",
                job.rate_wpm
            )));
        }
        *current = Some(wanted);
    }
    CAPTURE.with(|cell| {
        *cell.borrow_mut() = Some(Capture {
            samples: Vec::new(),
            phonemes: Vec::new(),
            marks: 0,
            deadline: job.deadline,
            max_samples: MAX_SECONDS * sample_rate as usize,
            stop: None,
        })
    });
    let status = espeak.synth(&job.text);
    let capture = CAPTURE.with(|cell| cell.borrow_mut().take());
    let Some(capture) = capture else {
        return Err(VoiceError::Synthesis("the espeak-ng callback lost its buffer".to_string()));
    };
    match capture.stop {
        Some(Stop::Deadline) => return Err(VoiceError::Timeout(job.timeout)),
        Some(Stop::TooLong) => {
            return Err(VoiceError::Synthesis(format!("the line made more than {MAX_SECONDS} s of audio; cut off")));
        }
        None => {}
    }
    if status != ffi::EE_OK {
        return Err(VoiceError::Synthesis(format!("espeak_Synth failed with {status}")));
    }
    // Emoji-only or punctuation-only text can come out as silence: that is no clip, and the director captions it.
    let peak = capture.samples.iter().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    if peak < 64 {
        return Err(VoiceError::NoSpeech);
    }
    Ok(Speech { sample_rate, samples: capture.samples, phonemes: capture.phonemes, marks: capture.marks })
}

/// What the callback collects for the job in progress.
struct Capture {
    samples: Vec<i16>,
    phonemes: Vec<PhonemeAt>,
    marks: u32,
    deadline: Instant,
    max_samples: usize,
    stop: Option<Stop>,
}

enum Stop {
    Deadline,
    TooLong,
}

thread_local! {
    static CAPTURE: RefCell<Option<Capture>> = const { RefCell::new(None) };
}

/// Called during `espeak_Synth`, on the engine thread, with each buffer of audio and the events inside it; `false`
/// stops the synthesis.
fn on_audio(audio: &[i16], events: &[ffi::SynthEvent]) -> bool {
    CAPTURE.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else { return false };
        let Some(capture) = slot.as_mut() else { return false };
        for event in events {
            match event {
                ffi::SynthEvent::Phoneme { t_ms, mnemonic } => {
                    capture.phonemes.push(PhonemeAt { t_ms: *t_ms, phoneme: mnemonic.clone() });
                }
                ffi::SynthEvent::Mark => capture.marks = capture.marks.saturating_add(1),
            }
        }
        capture.samples.extend_from_slice(audio);
        if capture.samples.len() > capture.max_samples {
            capture.stop = Some(Stop::TooLong);
            return false;
        }
        if Instant::now() > capture.deadline {
            capture.stop = Some(Stop::Deadline);
            return false;
        }
        true
    })
}
