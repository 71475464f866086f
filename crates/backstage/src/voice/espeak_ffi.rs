//! The few libespeak-ng C declarations the espeak voice uses, written against
//! `/usr/include/espeak-ng/speak_lib.h` (API revision 12, espeak-ng 1.51). Only `espeak.rs` calls these, and only
//! from the one thread that owns the engine: the library keeps global state and is not thread-safe.

use std::ffi::{c_char, c_int, c_short, c_uint, c_void};

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
pub type SynthCallback = unsafe extern "C" fn(wav: *mut c_short, numsamples: c_int, events: *mut Event) -> c_int;

#[link(name = "espeak-ng")]
unsafe extern "C" {
    /// Returns the sample rate in Hz, or -1.
    pub fn espeak_Initialize(output: c_int, buflength: c_int, path: *const c_char, options: c_int) -> c_int;
    pub fn espeak_SetSynthCallback(callback: Option<SynthCallback>);
    pub fn espeak_SetVoiceByName(name: *const c_char) -> c_int;
    pub fn espeak_SetParameter(parameter: c_int, value: c_int, relative: c_int) -> c_int;
    pub fn espeak_Synth(
        text: *const c_void,
        size: usize,
        position: c_uint,
        position_type: c_int,
        end_position: c_uint,
        flags: c_uint,
        unique_identifier: *mut c_uint,
        user_data: *mut c_void,
    ) -> c_int;
    /// The version string; `path_data` receives the data directory in use.
    pub fn espeak_Info(path_data: *mut *const c_char) -> *const c_char;
}
