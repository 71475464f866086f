//! libespeak-ng's C API, loaded at run time with `libloading`, and the only unsafe code in the workspace.
//!
//! The declarations are written against `/usr/include/espeak-ng/speak_lib.h` (API revision 12, espeak-ng 1.51).
//! Loading at run time means building shopcast needs no espeak package; a machine without the library gets an
//! error naming the package to install, and the show goes on with another voice. [`Espeak`] wraps each call
//! in a safe method; it is neither `Send` nor `Sync`, because the library keeps global state and is not
//! thread-safe: the one engine thread in `espeak.rs` loads it and is the only caller.
#![allow(unsafe_code, reason = "the voice's FFI to libespeak-ng: loading the library and calling its C API")]

use libloading::Library;
use std::ffi::{CStr, c_char, c_int, c_short, c_uint, c_void};
use std::marker::PhantomData;
use std::sync::OnceLock;

/// `espeak_AUDIO_OUTPUT::AUDIO_OUTPUT_SYNCHRONOUS`: audio and events go to the callback, and `espeak_Synth`
/// returns only when the whole text is synthesised.
pub const AUDIO_OUTPUT_SYNCHRONOUS: c_int = 2;
/// `espeakINITIALIZE_PHONEME_EVENTS`: report every phoneme with its position in the audio.
pub const INITIALIZE_PHONEME_EVENTS: c_int = 0x0001;
/// `espeakINITIALIZE_DONT_EXIT`: without it, a missing data directory makes the library call `exit(1)`.
pub const INITIALIZE_DONT_EXIT: c_int = 0x8000;

/// `espeakCHARS_UTF8`. Deliberately without `espeakSSML` (0x10) and `espeakPHONEMES` (0x100): viewer-derived text
/// must never be read as markup or as raw phoneme codes.
pub const CHARS_UTF8: c_uint = 1;
/// `espeak_POSITION_TYPE::POS_CHARACTER`.
pub const POS_CHARACTER: c_int = 1;
/// `espeak_PARAMETER::espeakRATE`, in words per minute (80 to 450).
pub const PARAM_RATE: c_int = 1;

/// `espeak_ERROR::EE_OK`; the others are -1 (internal error), 1 (buffer full) and 2 (not found).
pub const EE_OK: c_int = 0;
pub const EE_NOT_FOUND: c_int = 2;

/// `espeak_EVENT_TYPE` values the voice reads.
pub const EVENT_LIST_TERMINATED: c_int = 0;
pub const EVENT_MARK: c_int = 3;
pub const EVENT_PHONEME: c_int = 7;

/// `espeak_EVENT.id`: a number for word and sentence events, a name for marks, up to eight bytes of phoneme
/// mnemonic (zero-terminated unless all eight are used) for phoneme events.
#[repr(C)]
#[derive(Clone, Copy)]
pub union EventId {
    pub number: c_int,
    pub name: *const c_char,
    pub string: [u8; 8],
}

/// `espeak_EVENT`, field for field. The C enum `type` is an `int`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct Event {
    pub kind: c_int,
    pub unique_identifier: c_uint,
    pub text_position: c_int,
    pub length: c_int,
    /// Milliseconds from the start of the message's audio.
    pub audio_position: c_int,
    pub sample: c_int,
    pub user_data: *mut c_void,
    pub id: EventId,
}

// The layout the library was compiled with on 64-bit targets: six 4-byte fields, a pointer, an 8-byte union.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Event>() == 40 && std::mem::align_of::<Event>() == 8);

/// `t_espeak_callback`: `wav` is null when synthesis is complete; `events` ends with a `LIST_TERMINATED` event.
/// Returning 1 aborts the synthesis.
type SynthCallback = unsafe extern "C" fn(wav: *mut c_short, numsamples: c_int, events: *mut Event) -> c_int;

type Initialize = unsafe extern "C" fn(output: c_int, buflength: c_int, path: *const c_char, options: c_int) -> c_int;
type SetSynthCallback = unsafe extern "C" fn(callback: Option<SynthCallback>);
type SetVoiceByName = unsafe extern "C" fn(name: *const c_char) -> c_int;
type SetParameter = unsafe extern "C" fn(parameter: c_int, value: c_int, relative: c_int) -> c_int;
type Synth = unsafe extern "C" fn(
    text: *const c_void,
    size: usize,
    position: c_uint,
    position_type: c_int,
    end_position: c_uint,
    flags: c_uint,
    unique_identifier: *mut c_uint,
    user_data: *mut c_void,
) -> c_int;
type Info = unsafe extern "C" fn(path_data: *mut *const c_char) -> *const c_char;

/// The file names tried, in order: the runtime library's soname first (what the distribution package installs),
/// then the development symlink.
#[cfg(target_os = "macos")]
const LIBRARY_NAMES: &[&str] = &["libespeak-ng.1.dylib", "libespeak-ng.dylib"];
#[cfg(windows)]
const LIBRARY_NAMES: &[&str] = &["libespeak-ng.dll", "espeak-ng.dll"];
#[cfg(not(any(target_os = "macos", windows)))]
const LIBRARY_NAMES: &[&str] = &["libespeak-ng.so.1", "libespeak-ng.so"];

/// Where to look first: a directory holding a self-built libespeak-ng.
pub const LIBRARY_DIR_ENV: &str = "SHOPCAST_ESPEAK_LIB_DIR";

/// What the install hint says, per platform.
#[cfg(target_os = "macos")]
const INSTALL_HINT: &str = "install it with `brew install espeak-ng`";
#[cfg(windows)]
const INSTALL_HINT: &str = "install espeak-ng from its releases and put libespeak-ng.dll on PATH";
#[cfg(not(any(target_os = "macos", windows)))]
const INSTALL_HINT: &str = "install the libespeak-ng1 and espeak-ng-data packages (`apt-get install libespeak-ng1 espeak-ng-data` on \
     Debian/Ubuntu, `dnf install espeak-ng` on Fedora)";

/// One event of a synthesis, as the voice reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SynthEvent {
    /// A phoneme starts `t_ms` into the message's audio.
    Phoneme {
        t_ms: u32,
        mnemonic: String,
    },
    Mark,
}

/// Receives each buffer of audio and its events during [`Espeak::synth`]; returns `false` to abort.
pub type AudioHandler = fn(audio: &[i16], events: &[SynthEvent]) -> bool;

static HANDLER: OnceLock<AudioHandler> = OnceLock::new();

/// The loaded library and its functions. Not `Send` or `Sync` (the raw-pointer marker): it stays on the thread
/// that loaded it.
pub struct Espeak {
    initialize: Initialize,
    set_synth_callback: SetSynthCallback,
    set_voice_by_name: SetVoiceByName,
    set_parameter: SetParameter,
    synth: Synth,
    info: Info,
    /// Keeps the functions above mapped.
    _library: Library,
    _one_thread: PhantomData<*const ()>,
}

impl Espeak {
    /// Loads libespeak-ng; the error names the files tried and the package to install.
    pub fn load() -> Result<Espeak, String> {
        let mut candidates: Vec<std::path::PathBuf> = Vec::new();
        if let Some(dir) = std::env::var_os(LIBRARY_DIR_ENV) {
            candidates.extend(LIBRARY_NAMES.iter().map(|name| std::path::Path::new(&dir).join(name)));
        }
        candidates.extend(LIBRARY_NAMES.iter().map(std::path::PathBuf::from));
        let mut last_error = String::new();
        for candidate in &candidates {
            // SAFETY: loading runs the library's initialisers; libespeak-ng's only set up its own globals.
            match unsafe { Library::new(candidate) } {
                Ok(library) => return Espeak::bind(library).map_err(|e| format!("{}: {e}", candidate.display())),
                Err(e) => last_error = e.to_string(),
            }
        }
        Err(format!("libespeak-ng is not installed ({last_error}); {INSTALL_HINT}"))
    }

    fn bind(library: Library) -> Result<Espeak, libloading::Error> {
        // SAFETY: each symbol is read as the type speak_lib.h declares for it; the pointers are copied out and stay
        // valid while `library` (kept in the struct) is loaded.
        let (initialize, set_synth_callback, set_voice_by_name, set_parameter, synth, info) = unsafe {
            (
                *library.get::<Initialize>(b"espeak_Initialize\0")?,
                *library.get::<SetSynthCallback>(b"espeak_SetSynthCallback\0")?,
                *library.get::<SetVoiceByName>(b"espeak_SetVoiceByName\0")?,
                *library.get::<SetParameter>(b"espeak_SetParameter\0")?,
                *library.get::<Synth>(b"espeak_Synth\0")?,
                *library.get::<Info>(b"espeak_Info\0")?,
            )
        };
        Ok(Espeak {
            initialize,
            set_synth_callback,
            set_voice_by_name,
            set_parameter,
            synth,
            info,
            _library: library,
            _one_thread: PhantomData,
        })
    }

    /// `espeak_Initialize` in synchronous mode with the default data directory; the sample rate in Hz, or -1.
    pub fn initialize(&self, options: c_int) -> c_int {
        // SAFETY: a null path means the default data directory; called once, on the owning thread.
        unsafe { (self.initialize)(AUDIO_OUTPUT_SYNCHRONOUS, 100, std::ptr::null(), options) }
    }

    /// Sends every buffer of audio and its events to `handler` (the first handler set stays for the process).
    pub fn set_audio_handler(&self, handler: AudioHandler) {
        let _ = HANDLER.set(handler);
        // SAFETY: `on_audio` matches `t_espeak_callback` and never unwinds.
        unsafe { (self.set_synth_callback)(Some(on_audio)) };
    }

    /// The library's version and the data directory it uses.
    pub fn info(&self) -> (Option<String>, Option<String>) {
        let mut path: *const c_char = std::ptr::null();
        // SAFETY: espeak_Info writes a pointer to its static path string and returns its static version string.
        let version = unsafe { (self.info)(&mut path) };
        // SAFETY: each is null or a zero-terminated string owned by the library for the life of the process.
        let text =
            |p: *const c_char| (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned());
        (text(version), text(path))
    }

    pub fn set_voice_by_name(&self, name: &CStr) -> c_int {
        // SAFETY: a valid C string, on the owning thread.
        unsafe { (self.set_voice_by_name)(name.as_ptr()) }
    }

    /// Sets the speaking rate in words per minute.
    pub fn set_rate(&self, wpm: c_int) -> c_int {
        // SAFETY: plain integers, on the owning thread.
        unsafe { (self.set_parameter)(PARAM_RATE, wpm, 0) }
    }

    /// Synthesises `text` (UTF-8, never read as SSML or phoneme codes), calling the audio handler until done.
    pub fn synth(&self, text: &CStr) -> c_int {
        let bytes = text.to_bytes_with_nul();
        // SAFETY: on the owning thread; the text is zero-terminated UTF-8 and outlives the (synchronous) call.
        unsafe {
            (self.synth)(
                bytes.as_ptr().cast(),
                bytes.len(),
                0,
                POS_CHARACTER,
                0,
                CHARS_UTF8,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        }
    }
}

/// Called by espeak_Synth, on the engine thread, with each buffer of audio and the events inside it.
unsafe extern "C" fn on_audio(wav: *mut c_short, numsamples: c_int, events: *mut Event) -> c_int {
    let mut read = Vec::new();
    if !events.is_null() {
        // The list ends with LIST_TERMINATED; the bound only guards against a corrupt list.
        for i in 0..4096 {
            // SAFETY: espeak passes an array terminated by a LIST_TERMINATED event; we stop at it.
            let event = unsafe { *events.add(i) };
            match event.kind {
                EVENT_LIST_TERMINATED => break,
                EVENT_PHONEME => {
                    // SAFETY: phoneme events carry the mnemonic in `id.string`.
                    let raw = unsafe { event.id.string };
                    let len = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
                    let mnemonic = String::from_utf8_lossy(&raw[..len]).into_owned();
                    let t_ms = u32::try_from(event.audio_position).unwrap_or(0);
                    read.push(SynthEvent::Phoneme { t_ms, mnemonic });
                }
                EVENT_MARK => read.push(SynthEvent::Mark),
                _ => {}
            }
        }
    }
    let audio: &[i16] = if !wav.is_null() && numsamples > 0 {
        // SAFETY: espeak hands `numsamples` valid samples at `wav` for the duration of the call.
        unsafe { std::slice::from_raw_parts(wav, numsamples as usize) }
    } else {
        &[]
    };
    match HANDLER.get() {
        Some(handler) if handler(audio, &read) => 0,
        _ => 1,
    }
}
