//! Answers while viewers are still watching: a busy chat (one question every 5 s for half an hour, generated from
//! products × asks × wordings, viewers drawn at random) against the whole show on the virtual clock. Every
//! answered question is answered within 20 s at the 95th percentile; a question the host cannot reach in time goes
//! to the moderators (never answered minutes late, never lost silently); the pitch keeps its share of airtime.

use crate::rehearsal::Rehearsal;
use crate::show::{Input, MIN_PITCH_SHARE, ShowConfig};
use model::{Comment, CommentFlags, CommentId, ConsoleEvent, LineKind, Platform, ShowTime, UnixMs};
use std::collections::HashMap;

const ASKS_EN: &[&str] = &[
    "how much is the {}?",
    "is the {} still in stock?",
    "what is the {} made of?",
    "any discount on the {} today?",
    "how many {}s are left?",
    "what does the {} do exactly",
    "can you tell me more about the {}",
    "is the {} good quality??",
    "whats the price of the {} again",
    "how big is the {}",
];

const ASKS_ZH: &[&str] = &["{}多少钱？", "{}还有货吗", "{}是什么材质的？", "{}有优惠吗", "{}还剩几个", "{}好用吗？"];

/// One question every `every_ms` for `minutes`, in English and Chinese, about either product.
fn busy_chat(seed: u64, every_ms: u64, minutes: u64) -> Vec<(u64, Comment)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut out = Vec::new();
    let mut t = 5_000;
    let mut n = 0;
    while t < minutes * 60_000 {
        let zh = rng.u8(0..4) == 0;
        let text = if zh {
            let thing = ["茶具", "电水壶", "这个"][rng.usize(0..3)];
            ASKS_ZH[rng.usize(0..ASKS_ZH.len())].replace("{}", thing)
        } else {
            let thing = ["tea set", "kettle"][rng.usize(0..2)];
            ASKS_EN[rng.usize(0..ASKS_EN.len())].replace("{}", thing)
        };
        let viewer = rng.u32(1..200);
        out.push((
            t,
            Comment {
                platform: Platform::Youtube,
                id: CommentId(format!("q{n}")),
                user_id: format!("u{viewer}"),
                user_name: format!("viewer{viewer}"),
                text,
                time: UnixMs(t as i64),
                paid: None,
                flags: CommentFlags::default(),
            },
        ));
        n += 1;
        // Not a metronome: 60% to 140% of the mean gap.
        t += every_ms * rng.u64(60..=140) / 100;
    }
    out
}

/// What a busy half hour came to.
struct Outcome {
    asked: usize,
    answered: usize,
    dropped: usize,
    p95_delay_ms: u64,
    max_delay_ms: u64,
    pitch_share: f64,
    longest_silence_ms: u64,
}

fn run(seed: u64) -> Outcome {
    let minutes = 30;
    let chat = busy_chat(seed, 5_000, minutes);
    let products = crate::adversary::sample_products();
    let mut show = Rehearsal::new(ShowConfig::default(), products, UnixMs(0));
    let mut arrivals = HashMap::new();
    for (t, comment) in &chat {
        show.advance_to(ShowTime(*t));
        arrivals.insert(comment.id.0.clone(), *t);
        show.input(Input::Comment(comment.clone()));
    }
    show.advance_to(ShowTime(minutes * 60_000 + 30_000));
    let transcript = show.transcript();
    let mut delays: Vec<u64> = transcript
        .iter()
        .filter(|l| matches!(l.kind, LineKind::Answer(_)))
        .filter_map(|l| l.trigger.as_ref().and_then(|c| arrivals.get(&c.id.0)).map(|at| l.t_ms.saturating_sub(*at)))
        .collect();
    delays.sort_unstable();
    let p95 = delays.get((delays.len() * 95).div_ceil(100).saturating_sub(1)).copied().unwrap_or(0);
    // A pitch cut short for an answer was heard only up to its cut.
    let heard: HashMap<model::LineId, u64> = show
        .events()
        .iter()
        .filter_map(|e| match e {
            ConsoleEvent::LineCut { line, heard_ms, .. } => Some((*line, *heard_ms)),
            _ => None,
        })
        .collect();
    let length = |l: &model::AiredLine| heard.get(&l.line).copied().unwrap_or(u64::from(l.duration_ms));
    let total: u64 = transcript.iter().map(length).sum();
    let pitched: u64 = transcript.iter().filter(|l| matches!(l.kind, LineKind::Pitch(_))).map(length).sum();
    let mut longest_silence = 0;
    for pair in transcript.windows(2) {
        let end = pair[0].t_ms + length(&pair[0]);
        longest_silence = longest_silence.max(pair[1].t_ms.saturating_sub(end));
    }
    let dropped = show.events().iter().filter(|e| matches!(e, ConsoleEvent::QuestionDropped { .. })).count();
    Outcome {
        asked: chat.len(),
        answered: delays.len(),
        dropped,
        p95_delay_ms: p95,
        max_delay_ms: delays.last().copied().unwrap_or(0),
        pitch_share: pitched as f64 / total.max(1) as f64,
        longest_silence_ms: longest_silence,
    }
}

#[test]
fn a_busy_chat_is_answered_while_viewers_are_still_watching() {
    for seed in [1, 2, 3] {
        let o = run(seed);
        eprintln!(
            "seed {seed}: {} asked, {} answered, {} to the moderators; answer delay p95 {:.1} s, longest {:.1} s; \
             pitch {:.0}% of airtime; longest silence {:.1} s",
            o.asked,
            o.answered,
            o.dropped,
            o.p95_delay_ms as f64 / 1000.0,
            o.max_delay_ms as f64 / 1000.0,
            o.pitch_share * 100.0,
            o.longest_silence_ms as f64 / 1000.0
        );
        assert!(o.p95_delay_ms <= 20_000, "p95 answer delay {} ms", o.p95_delay_ms);
        assert!(o.pitch_share >= MIN_PITCH_SHARE, "the pitch had {:.0}% of airtime", o.pitch_share * 100.0);
        assert!(o.answered * 3 >= o.asked, "only {} of {} answered", o.answered, o.asked);
        assert!(o.dropped > 0, "a chat this busy leaves questions for the moderators");
        assert!(o.longest_silence_ms <= 3_000, "silent for {} ms", o.longest_silence_ms);
    }
}
