//! A viewer's answer cuts in at the next sentence end of a pitch, never in the middle of a sentence, and never into
//! an answer, a care line or the AI disclosure; the audit keeps what of the pitch was heard.

use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{AiredLine, Comment, CommentFlags, CommentId, ConsoleEvent, LineKind, Platform, ShowTime, UnixMs};

fn question(n: u32, t: u64) -> Comment {
    Comment {
        platform: Platform::Youtube,
        id: CommentId(format!("q{n}")),
        user_id: format!("u{n}"),
        user_name: format!("viewer{n}"),
        text: "how much is the kettle?".into(),
        time: UnixMs(t as i64),
        paid: None,
        flags: CommentFlags::default(),
    }
}

fn sentences(text: &str) -> usize {
    text.matches(['.', '!', '?', '。', '！', '？']).count()
}

#[test]
fn an_answer_cuts_into_a_pitch_at_the_next_sentence_end() {
    let mut show = Rehearsal::new(ShowConfig::default(), crate::adversary::sample_products(), UnixMs(0));
    let mut checked = 0;
    let mut t = 1_000;
    // Questions at many moments of many pitch lines: each one asked early in a pitch of several sentences.
    for n in 0..400u32 {
        t += 250;
        show.advance_to(ShowTime(t));
        let on_air: Option<AiredLine> = show.transcript().last().cloned();
        let Some(line) = on_air.filter(|l| {
            matches!(l.kind, LineKind::Pitch(_))
                && sentences(&l.text) >= 2
                && t < l.t_ms + u64::from(l.duration_ms) / 3
                && t > l.t_ms
        }) else {
            continue;
        };
        show.input(Input::Comment(question(n, t)));
        let end = line.t_ms + u64::from(line.duration_ms);
        t = end + 5_000;
        show.advance_to(ShowTime(t));
        let cut = show.events().iter().find_map(|e| match e {
            ConsoleEvent::LineCut { line: l, said, heard_ms } if *l == line.line => Some((said.clone(), *heard_ms)),
            _ => None,
        });
        let answer = show.transcript().iter().find(|l| l.t_ms > line.t_ms && matches!(l.kind, LineKind::Answer(_)));
        let (Some((said, heard_ms)), Some(answer)) = (cut, answer) else {
            panic!("no cut for {:?} at {t}: {:?}", line.text, show.transcript().last().map(|l| &l.text));
        };
        // What was heard is whole sentences of the line, not all of them.
        assert!(line.text.starts_with(&said) && said.len() < line.text.trim_end().len(), "{said:?} of {:?}", line.text);
        assert!(said.ends_with(['.', '!', '。', '！']), "cut mid-sentence or after a question: {said:?}");
        // The cut comes after the sentence's own pause, and the answer follows it at once, well before the pitch
        // would have ended.
        let cut_at = line.t_ms + heard_ms;
        assert!(answer.t_ms <= cut_at + 50, "answer at {} after a cut at {cut_at}", answer.t_ms);
        assert!(answer.t_ms < end, "the answer waited for the whole pitch");
        checked += 1;
        if checked == 5 {
            break;
        }
    }
    assert!(checked >= 3, "only {checked} pitches were asked about early enough");
}

#[test]
fn answers_disclosures_and_care_lines_are_never_cut() {
    let mut show = Rehearsal::new(ShowConfig::default(), crate::adversary::sample_products(), UnixMs(0));
    // A question every 700 ms for ten minutes: whatever is on air, an answer is always waiting.
    for n in 0..850u32 {
        let t = 2_000 + u64::from(n) * 700;
        show.advance_to(ShowTime(t));
        show.input(Input::Comment(question(n, t)));
    }
    show.advance_to(ShowTime(620_000));
    let cut: Vec<model::LineId> = show
        .events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::LineCut { line, .. } => Some(*line),
            _ => None,
        })
        .collect();
    assert!(!cut.is_empty(), "no line was cut in ten minutes of questions");
    for line in show.transcript().iter().filter(|l| cut.contains(&l.line)) {
        assert!(matches!(line.kind, LineKind::Pitch(_)), "a {:?} line was cut: {:?}", line.kind, line.text);
    }
    assert!(show.transcript().iter().any(|l| l.kind == LineKind::Disclosure), "no disclosure in ten minutes");
}
