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
use std::ffi::{CStr, CString, c_int, c_short};
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
        let text = speakable(text)?;
        let voice = match lang {
            Lang::En => self.options.voice_en.clone(),
            Lang::Zh => self.options.voice_zh.clone(),
        };
        let timeout = self.options.timeout;
        let (reply, answer) = oneshot::channel();
        let deadline = Instant::now() + timeout;
        let job = SynthJob { text, voice, rate_wpm: self.options.rate_wpm, timeout, deadline, reply };
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
    let options = ffi::INITIALIZE_PHONEME_EVENTS | ffi::INITIALIZE_DONT_EXIT;
    // SAFETY: called once, on the thread that owns the library for the rest of the process.
    let rate = unsafe { ffi::espeak_Initialize(ffi::AUDIO_OUTPUT_SYNCHRONOUS, 100, std::ptr::null(), options) };
    if rate <= 0 {
        let _ = ready.send(Err(VoiceError::Unavailable(format!("espeak_Initialize failed ({rate})"))));
        return;
    }
    if let Err(e) = check_data() {
        let _ = ready.send(Err(e));
        return;
    }
    // SAFETY: `on_audio` matches `t_espeak_callback` and never unwinds.
    unsafe { ffi::espeak_SetSynthCallback(Some(on_audio)) };
    let _ = ready.send(Ok(rate as u32));

    let mut current: Option<(String, u32)> = None;
    for job in inbox {
        match job {
            Job::CheckVoice { name, reply } => {
                let result = select_voice(&name);
                current = None;
                let _ = reply.send(result);
            }
            Job::Synth(job) => {
                // The caller gave up (timeout, cancelled line): do not spend time on speech nobody will play.
                if job.reply.is_closed() {
                    continue;
                }
                let result = synthesize_now(&job, &mut current, rate as u32);
                let _ = job.reply.send(result);
            }
        }
    }
}

/// With `DONT_EXIT`, a missing data directory does not end the process but leaves a library that can say
/// nothing; name the directory so the operator knows what to install.
fn check_data() -> Result<(), VoiceError> {
    let mut path: *const std::ffi::c_char = std::ptr::null();
    // SAFETY: espeak_Info writes a pointer to its static path string and returns its static version string.
    let version = unsafe { ffi::espeak_Info(&mut path) };
    let path = if path.is_null() {
        String::new()
    } else {
        // SAFETY: non-null, zero-terminated, owned by the library for the life of the process.
        unsafe { CStr::from_ptr(path) }.to_string_lossy().into_owned()
    };
    if path.is_empty() || !std::path::Path::new(&path).join("phontab").exists() {
        let version = if version.is_null() {
            "?".into()
        } else {
            // SAFETY: as above.
            unsafe { CStr::from_ptr(version) }.to_string_lossy()
        };
        return Err(VoiceError::Unavailable(format!(
            "espeak-ng {version} found no voice data at {path:?}: install the espeak-ng-data package \
             (or set ESPEAK_DATA_PATH to the directory that contains espeak-ng-data)"
        )));
    }
    Ok(())
}

fn select_voice(name: &str) -> Result<(), VoiceError> {
    let not_found = || VoiceError::VoiceNotFound(name.to_string());
    let c_name = CString::new(name).map_err(|_| not_found())?;
    // SAFETY: on the engine thread, with a valid C string.
    let status = unsafe { ffi::espeak_SetVoiceByName(c_name.as_ptr()) };
    match status {
        ffi::EE_OK => Ok(()),
        ffi::EE_NOT_FOUND => Err(not_found()),
        other => Err(VoiceError::Synthesis(format!("espeak_SetVoiceByName({name:?}) failed with {other}"))),
    }
}

fn synthesize_now(job: &SynthJob, current: &mut Option<(String, u32)>, sample_rate: u32) -> Result<Speech, VoiceError> {
    let wanted = (job.voice.clone(), job.rate_wpm);
    if current.as_ref() != Some(&wanted) {
        *current = None;
        select_voice(&job.voice)?;
        // SAFETY: on the engine thread. The rate was validated when the voice was built.
        let status = unsafe { ffi::espeak_SetParameter(ffi::PARAM_RATE, job.rate_wpm as c_int, 0) };
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
    let bytes = job.text.as_bytes_with_nul();
    // SAFETY: on the engine thread; the text is zero-terminated UTF-8 and outlives the (synchronous) call.
    let status = unsafe {
        ffi::espeak_Synth(
            bytes.as_ptr().cast(),
            bytes.len(),
            0,
            ffi::POS_CHARACTER,
            0,
            ffi::CHARS_UTF8,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
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

/// Called by espeak_Synth, on the engine thread, with each buffer of audio and the events inside it.
unsafe extern "C" fn on_audio(wav: *mut c_short, numsamples: c_int, events: *mut ffi::Event) -> c_int {
    CAPTURE.with(|cell| {
        let Ok(mut slot) = cell.try_borrow_mut() else { return 1 };
        let Some(capture) = slot.as_mut() else { return 1 };
        if !events.is_null() {
            // The list ends with LIST_TERMINATED; the bound only guards against a corrupt list.
            for i in 0..4096 {
                // SAFETY: espeak passes an array terminated by a LIST_TERMINATED event; we stop at it.
                let event = unsafe { *events.add(i) };
                match event.kind {
                    ffi::EVENT_LIST_TERMINATED => break,
                    ffi::EVENT_PHONEME => {
                        // SAFETY: phoneme events carry the mnemonic in `id.string`.
                        let raw = unsafe { event.id.string };
                        let len = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
                        let phoneme = String::from_utf8_lossy(&raw[..len]).into_owned();
                        let t_ms = u32::try_from(event.audio_position).unwrap_or(0);
                        capture.phonemes.push(PhonemeAt { t_ms, phoneme });
                    }
                    ffi::EVENT_MARK => capture.marks = capture.marks.saturating_add(1),
                    _ => {}
                }
            }
        }
        if !wav.is_null() && numsamples > 0 {
            // SAFETY: espeak hands `numsamples` valid samples at `wav` for the duration of the call.
            let audio = unsafe { std::slice::from_raw_parts(wav, numsamples as usize) };
            capture.samples.extend_from_slice(audio);
        }
        if capture.samples.len() > capture.max_samples {
            capture.stop = Some(Stop::TooLong);
            return 1;
        }
        if Instant::now() > capture.deadline {
            capture.stop = Some(Stop::Deadline);
            return 1;
        }
        0
    })
}
