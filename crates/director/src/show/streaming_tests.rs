//! A streaming writer: the first sentence airs while the rest is written, a stall ends the turn, and a turn the
//! show no longer wants is cancelled.

use crate::show::{Brief, Input, Output, Show, ShowConfig};
use crate::timing;
use model::{ConsoleEvent, LineKind, LineSource, ShowTime, TurnId, UnixMs};

/// Drives a show by hand: the voice answers at once, the writer only when the test says.
struct Driver {
    show: Show,
    now: ShowTime,
    briefs: Vec<Brief>,
    aired: Vec<model::AiredLine>,
    cancelled: Vec<TurnId>,
}

impl Driver {
    fn new() -> Driver {
        // No disclosure in the way: it was just said.
        let mut show = Show::new(ShowConfig::default(), ShowTime(0), UnixMs(1_000_000));
        show.resume(crate::ResumePoint { pitching: None, last_disclosure: Some(UnixMs(1_000_000)) });
        let product = crate::test_products::tea_set_with_features(&["hand-thrown clay", "six cups"]);
        show.handle_input(ShowTime(0), Input::ProductsLoaded(vec![product]));
        let mut d = Driver { show, now: ShowTime(0), briefs: Vec::new(), aired: Vec::new(), cancelled: Vec::new() };
        d.drain();
        d
    }

    fn drain(&mut self) {
        while let Some(output) = self.show.poll_output() {
            match output {
                Output::Write(brief) => self.briefs.push(*brief),
                Output::Speak { line, text, .. } => self.show.handle_input(
                    self.now,
                    Input::VoiceReady {
                        line,
                        duration_ms: timing::estimate_duration_ms(text.as_str()),
                        visemes: Vec::new(),
                        audio: None,
                    },
                ),
                Output::CancelWrite { turn } => self.cancelled.push(turn),
                Output::Console(ConsoleEvent::LineAired(line)) => self.aired.push(line),
                Output::Stage(_) | Output::Console(_) => {}
            }
        }
    }

    fn at(&mut self, t: u64) {
        while let Some(due) = self.show.poll_timeout() {
            if due.ms() > t {
                break;
            }
            self.now = self.now.max(due);
            self.show.handle_timeout(self.now);
            self.drain();
        }
        self.now = ShowTime(t);
        self.show.handle_timeout(self.now);
        self.drain();
    }

    fn send(&mut self, input: Input) {
        self.show.handle_input(self.now, input);
        self.drain();
    }

    fn sentence(&mut self, turn: TurnId, text: &str) {
        self.send(Input::WriterSentence { turn, text: text.into(), source: LineSource::Llm });
    }
}

#[test]
fn the_first_sentence_airs_before_the_turn_is_finished_and_the_rest_follows_in_order() {
    let mut d = Driver::new();
    let turn = d.briefs[0].turn;
    d.at(300);
    d.sentence(turn, "This tea set is made by hand.");
    assert_eq!(d.aired.len(), 1, "the first sentence is on air while the writer goes on");
    assert_eq!(d.aired[0].text, "This tea set is made by hand.");
    assert_eq!(d.aired[0].t_ms, 300);
    d.at(900);
    d.sentence(turn, "Each cup is glazed in soft green.");
    d.at(1_200);
    d.send(Input::WriterDone {
        turn,
        text: "This tea set is made by hand. Each cup is glazed in soft green.".into(),
        source: LineSource::Llm,
    });
    d.at(20_000);
    assert_eq!(d.aired[1].text, "Each cup is glazed in soft green.", "{:?}", d.aired);
    assert_eq!(d.aired[1].kind, d.aired[0].kind);
    assert_eq!(d.aired[1].product, d.aired[0].product);
    assert!(d.aired[1].t_ms >= d.aired[0].t_ms + d.aired[0].duration_ms as u64);
    // The whole text at the end is not said twice.
    assert_eq!(d.aired.iter().filter(|l| l.text.contains("made by hand")).count(), 1);
    assert!(d.cancelled.is_empty());
}

#[test]
fn a_writer_that_stalls_mid_turn_is_cancelled_and_the_show_moves_on() {
    let mut d = Driver::new();
    let turn = d.briefs[0].turn;
    d.at(200);
    d.sentence(turn, "This tea set is made by hand.");
    d.at(30_000);
    assert!(d.cancelled.contains(&turn), "the stalled turn is cancelled");
    assert!(d.briefs.len() >= 2, "a new line was asked for");
    // Silence stayed under the dead-air limit meanwhile (templates and holding lines fill in).
    for pair in d.aired.windows(2) {
        assert!(pair[1].t_ms - (pair[0].t_ms + pair[0].duration_ms as u64) <= 3_000, "{:?}", d.aired);
    }
    // A sentence that arrives after the turn ended is not said.
    d.sentence(turn, "Late words.");
    d.at(40_000);
    assert!(d.aired.iter().all(|l| l.text != "Late words."));
}

#[test]
fn handing_over_to_a_human_cancels_the_turn_being_written() {
    let mut d = Driver::new();
    let turn = d.briefs[0].turn;
    d.at(100);
    d.send(Input::HandOverToHuman);
    assert!(d.cancelled.contains(&turn));
    d.sentence(turn, "Too late.");
    d.at(10_000);
    assert!(d.aired.iter().all(|l| l.text != "Too late."));
    assert!(!d.aired.iter().any(|l| matches!(l.kind, LineKind::Pitch(_))), "the AI is quiet: {:?}", d.aired);
}
