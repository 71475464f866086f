//! A synchronous driver for [`Show`] on a virtual clock, with the template writer and the silent voice.
//!
//! Offline rendering, tests and (later) `shopcast rehearse` use it: the same director decisions as the live show,
//! with writer and voice answering instantly, so hours of show replay in milliseconds and exactly.

use crate::show::{Brief, Input, Output, Show, ShowConfig};
use crate::{templates, timing};
use model::{AiredLine, ConsoleEvent, Lang, LineSource, Product, ShowTime, StageCommand, UnixMs};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// A writer for rehearsals: the line's text and what the guard did, or why it failed. It runs to completion on
/// the spot; the virtual clock does not move while it works.
pub type WriteFn = Box<dyn FnMut(&Brief) -> Result<Written, String>>;

/// The template writer, as a rehearsal writer.
pub fn template_writer() -> WriteFn {
    Box::new(|brief: &Brief| {
        templates::render(brief)
            .map(|text| Written { text, source: LineSource::Template })
            .ok_or_else(|| "no template for this brief".into())
    })
}

/// A rehearsal voice: the line's duration, mouth shapes and audio, or why it could not be spoken (the line then
/// airs captioned and silent, as in the live show).
pub type VoiceFn = Box<dyn FnMut(&str, Lang) -> Result<Spoken, String>>;

/// A line as a rehearsal voice spoke it.
#[derive(Clone, Debug, PartialEq)]
pub struct Spoken {
    pub duration_ms: u32,
    pub visemes: Vec<model::VisemeKey>,
    pub audio: Option<model::AudioClip>,
}

/// A rehearsal writer's line: its words (raw: the show's gate checks them) and who wrote them.
#[derive(Clone, Debug, PartialEq)]
pub struct Written {
    pub text: String,
    pub source: LineSource,
}

/// A line as it went on air, for transcripts.
pub type SpokenLine = AiredLine;

/// More writer or voice requests than this in one instant means the show is looping (see `Rehearsal::drain`).
const MAX_ASKS_PER_INSTANT: u32 = 1_000;

pub struct Rehearsal {
    show: Show,
    writer: WriteFn,
    /// `None`: the silent voice (estimated timing), which keeps renders exactly repeatable.
    voice: Option<VoiceFn>,
    now: ShowTime,
    transcript: Vec<SpokenLine>,
    stage: Vec<StageCommand>,
    /// Escalations to the moderators (complaints, refunds, health questions), in order.
    escalations: Vec<ConsoleEvent>,
    /// The latest other console events (moderator actions, pending replies, dropped questions...), bounded.
    events: Vec<ConsoleEvent>,
    /// The pace each of the latest lines was voiced at, bounded like `events`.
    paces: Vec<(model::LineId, model::Pace)>,
}

/// How many console events a rehearsal keeps (the newest).
const MAX_EVENTS_KEPT: usize = 4096;

impl Rehearsal {
    /// A show at time zero, when the wall clock reads `wall` (offer windows are judged by it), with `products`
    /// loaded.
    pub fn new(config: ShowConfig, products: Vec<Product>, wall: UnixMs) -> Rehearsal {
        Rehearsal::with_writer(config, products, wall, template_writer())
    }

    /// Like [`Rehearsal::new`], with `writer` writing every line (an LLM, or a fault-injecting writer in tests).
    pub fn with_writer(config: ShowConfig, products: Vec<Product>, wall: UnixMs, writer: WriteFn) -> Rehearsal {
        Rehearsal::with_writer_and_voice(config, products, wall, writer, None)
    }

    /// Like [`Rehearsal::with_writer`], with `voice` speaking every line from the first (`None`: the silent
    /// voice's estimated timing).
    pub fn with_writer_and_voice(
        config: ShowConfig,
        products: Vec<Product>,
        wall: UnixMs,
        writer: WriteFn,
        voice: Option<VoiceFn>,
    ) -> Rehearsal {
        let mut show = Show::new(config, ShowTime(0), wall);
        show.handle_input(ShowTime(0), Input::ProductsLoaded(products));
        let mut rehearsal = Rehearsal {
            show,
            writer,
            voice,
            now: ShowTime(0),
            transcript: Vec::new(),
            stage: Vec::new(),
            escalations: Vec::new(),
            events: Vec::new(),
            paces: Vec::new(),
        };
        rehearsal.drain();
        rehearsal
    }

    pub fn now(&self) -> ShowTime {
        self.now
    }

    /// Every comment escalated to the moderators so far (`ConsoleEvent::Escalated`).
    pub fn escalations(&self) -> &[ConsoleEvent] {
        &self.escalations
    }

    /// The newest console events other than aired lines, triage labels and escalations.
    /// The pace each of the latest lines was sent to the voice at.
    pub fn paces(&self) -> &[(model::LineId, model::Pace)] {
        &self.paces
    }

    pub fn events(&self) -> &[ConsoleEvent] {
        &self.events
    }

    /// Every line aired so far.
    pub fn transcript(&self) -> &[SpokenLine] {
        &self.transcript
    }

    /// Runs the show up to `until` and returns the stage commands issued since the last call, in order.
    pub fn advance_to(&mut self, until: ShowTime) -> Vec<StageCommand> {
        // A show that asks for the same instant over and over would hang the rehearsal; the director guarantees
        // progress, and this bound turns a violation into a stopped rehearsal instead of a hang.
        let mut same_instant = 0;
        while let Some(t) = self.show.poll_timeout() {
            if t > until {
                break;
            }
            same_instant = if t <= self.now { same_instant + 1 } else { 0 };
            if same_instant > 1000 {
                break;
            }
            self.now = self.now.max(t);
            self.show.handle_timeout(self.now);
            self.drain();
        }
        self.now = self.now.max(until);
        std::mem::take(&mut self.stage)
    }

    /// The show itself, for inspecting its state (see [`Show::footprint`]).
    pub fn show(&self) -> &Show {
        &self.show
    }

    /// Forgets the transcript and events collected so far (long rehearsals keep only what they need).
    pub fn take_transcript(&mut self) -> Vec<SpokenLine> {
        std::mem::take(&mut self.transcript)
    }

    /// Feeds one input (for tests that inject products, failures or stage events).
    pub fn input(&mut self, input: Input) {
        self.show.handle_input(self.now, input);
        self.drain();
    }

    /// Carries out the show's outputs: the template writer and the silent voice answer at once.
    fn drain(&mut self) {
        // The rehearsal's writer and voice answer at once, so a show that keeps asking within one instant without
        // ever airing is spinning (a live one would busy-loop its writer): stop with a failure, not a hang.
        let mut asked = 0u32;
        while let Some(output) = self.show.poll_output() {
            if matches!(output, Output::Write(_) | Output::Speak { .. }) {
                asked += 1;
                assert!(
                    asked <= MAX_ASKS_PER_INSTANT,
                    "the show asked for {asked} lines at {:?} without time passing: it is looping",
                    self.now
                );
            }
            let reply = match output {
                // A writer or voice that panics fails its own turn or line, as a live one's task would: the show
                // goes on down its ladder.
                Output::Write(brief) => Some(match catch_unwind(AssertUnwindSafe(|| (self.writer)(&brief))) {
                    Ok(Ok(w)) => Input::WriterDone { turn: brief.turn, text: w.text, source: w.source },
                    Ok(Err(reason)) => Input::WriterFailed { turn: brief.turn, reason },
                    Err(panic) => Input::WriterFailed { turn: brief.turn, reason: crate::show::panic_text(&*panic) },
                }),
                Output::Speak { line, text, lang, pace } => Some({
                    if self.paces.len() >= MAX_EVENTS_KEPT {
                        self.paces.drain(..MAX_EVENTS_KEPT / 2);
                    }
                    self.paces.push((line, pace));
                    match self.voice.as_mut() {
                        Some(voice) => match catch_unwind(AssertUnwindSafe(|| voice(text.as_str(), lang)))
                            .unwrap_or_else(|panic| Err(crate::show::panic_text(&*panic)))
                        {
                            Ok(spoken) => Input::VoiceReady {
                                line,
                                duration_ms: spoken.duration_ms,
                                visemes: spoken.visemes,
                                audio: spoken.audio,
                            },
                            Err(reason) => Input::VoiceFailed { line, reason },
                        },
                        None => Input::VoiceReady {
                            line,
                            duration_ms: timing::estimate_duration_ms(text.as_str()),
                            visemes: timing::estimate_visemes(text.as_str()),
                            audio: None,
                        },
                    }
                }),
                Output::Stage(command) => {
                    self.stage.push(command);
                    None
                }
                // The rehearsal's writer finishes each turn on the spot: nothing is left to cancel.
                Output::CancelWrite { .. } => None,
                Output::Console(ConsoleEvent::LineAired(line)) => {
                    self.transcript.push(line);
                    None
                }
                Output::Console(event @ ConsoleEvent::Escalated { .. }) => {
                    self.escalations.push(event);
                    None
                }
                Output::Console(ConsoleEvent::CommentTriaged { .. }) => None,
                Output::Console(event) => {
                    if self.events.len() >= MAX_EVENTS_KEPT {
                        self.events.remove(0);
                    }
                    self.events.push(event);
                    None
                }
            };
            if let Some(input) = reply {
                self.show.handle_input(self.now, input);
            }
        }
    }
}
