//! The show's numbers for `/metrics` (Prometheus text format) and the liveness ages behind `/healthz`.
//!
//! Most counters are derived from the console feed (lines, guard actions, comments, answer delays, reconnects), so
//! the director stays free of I/O. Latencies the feed cannot see (LLM, TTS, frame time) and the stage's heartbeat
//! are reported through a [`Metrics`] handle: cheap to clone, lock-free for histograms, and safe to call from the
//! Bevy thread every frame.
//!
//! Every label value comes typed from the event (a line's kind, source, guard notes and [`model::Fallback`]s, a
//! comment's intent): nothing here reads English prose, so rewording a note never changes a number.
//!
//! The text is written here rather than with the `prometheus-client` crate. Adding that crate changes no feature of
//! any crate already built (checked with `cargo tree -e features` and `cargo metadata`), but its only text encoder
//! writes OpenMetrics 1.0, not the Prometheus text format 0.0.4 that `/metrics` promises: counter families are
//! declared without their `_total` suffix, bucket bounds read `le="2.0"`, and the body ends in `# EOF`. Scrapers
//! configured for this endpoint, and the console's tests, read 0.0.4.

use model::{AiredLine, ConsoleEvent, LineKind, LineSource, ReplyOutcome};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A Prometheus histogram over milliseconds, exposed in seconds. Buckets are upper bounds in ms.
struct Histogram {
    bounds_ms: &'static [u64],
    /// One count per bound (not cumulative; summed when exposed), then +Inf.
    counts: Vec<AtomicU64>,
    sum_us: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    fn new(bounds_ms: &'static [u64]) -> Histogram {
        Histogram {
            bounds_ms,
            counts: (0..=bounds_ms.len()).map(|_| AtomicU64::new(0)).collect(),
            sum_us: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    fn observe_ms(&self, ms: f64) {
        // NaN, negative or infinite measurements are a caller's bug; they must not poison the sums.
        if !ms.is_finite() || ms < 0.0 {
            return;
        }
        let index = self.bounds_ms.iter().position(|&b| ms <= b as f64).unwrap_or(self.bounds_ms.len());
        self.counts[index].fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add((ms * 1000.0).round() as u64, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn expose(&self, out: &mut String, name: &str, help: &str) {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} histogram");
        let mut cumulative = 0;
        for (i, bound) in self.bounds_ms.iter().enumerate() {
            cumulative += self.counts[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "{name}_bucket{{le=\"{}\"}} {cumulative}", seconds(*bound as f64));
        }
        cumulative += self.counts[self.bounds_ms.len()].load(Ordering::Relaxed);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {cumulative}");
        let _ = writeln!(out, "{name}_sum {}", seconds(self.sum_us.load(Ordering::Relaxed) as f64 / 1000.0));
        let _ = writeln!(out, "{name}_count {}", self.count.load(Ordering::Relaxed));
    }
}

fn seconds(ms: f64) -> String {
    let text = format!("{:.6}", ms / 1000.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text.is_empty() { "0".into() } else { text.to_string() }
}

const DELAY_BUCKETS_MS: &[u64] = &[500, 1000, 2000, 3000, 5000, 10_000, 20_000, 30_000, 60_000, 120_000];
const LATENCY_BUCKETS_MS: &[u64] = &[50, 100, 250, 500, 1000, 1500, 2500, 5000, 10_000];
const FRAME_BUCKETS_MS: &[u64] = &[5, 10, 17, 25, 33, 50, 100, 250, 1000];

/// Counters keyed by their label values, in a stable order for readable output.
#[derive(Default)]
struct Counters {
    lines: BTreeMap<(String, String), u64>,
    guard: BTreeMap<(String, String), u64>,
    /// By [`model::Fallback::name`], and `turn_failed` for [`ConsoleEvent::TurnFailed`].
    fallbacks: BTreeMap<&'static str, u64>,
    comments: BTreeMap<String, u64>,
    /// Paid messages (Super Chats, Bilibili super chats, paid bridge items) by platform and currency: how many and
    /// how much in minor units.
    paid: BTreeMap<(String, String), (u64, i64)>,
    /// Gifts (counted by items) and memberships, by platform and kind.
    support: BTreeMap<(String, &'static str), u64>,
    escalations: BTreeMap<String, u64>,
    replies: BTreeMap<String, u64>,
    questions_dropped: u64,
    stale_results: u64,
    lines_cut: u64,
    reconnects: BTreeMap<String, u64>,
    /// The last health each source reported.
    healthy: BTreeMap<String, bool>,
    feed_skipped: u64,
    /// The live output's frame clock: rendered frames never sent, and ticks that repeated the last frame.
    output_dropped: u64,
    output_duplicated: u64,
    /// ffmpeg restarts after a failure, by output.
    output_restarts: BTreeMap<String, u64>,
}

struct Inner {
    started: Instant,
    counters: Mutex<Counters>,
    answer_delay: Histogram,
    llm: Histogram,
    tts: Histogram,
    frame: Histogram,
    /// Milliseconds after `started` of the last stage heartbeat and the last sign of life from the director;
    /// 0 means never (a real one is stored as at least 1).
    stage_beat_ms: AtomicU64,
    director_beat_ms: AtomicU64,
}

/// The handle the lead hands to the LLM client, the voice, the stage and the console. Clones share one set of
/// numbers.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        Metrics(Arc::new(Inner {
            started: Instant::now(),
            counters: Mutex::default(),
            answer_delay: Histogram::new(DELAY_BUCKETS_MS),
            llm: Histogram::new(LATENCY_BUCKETS_MS),
            tts: Histogram::new(LATENCY_BUCKETS_MS),
            frame: Histogram::new(FRAME_BUCKETS_MS),
            stage_beat_ms: AtomicU64::new(0),
            director_beat_ms: AtomicU64::new(0),
        }))
    }

    /// How long an LLM turn took to its first sentence (or to failure), in milliseconds.
    pub fn observe_llm_ms(&self, ms: f64) {
        self.0.llm.observe_ms(ms);
    }

    /// How long the voice took to synthesise a line, in milliseconds.
    pub fn observe_tts_ms(&self, ms: f64) {
        self.0.tts.observe_ms(ms);
    }

    /// One rendered frame's time, in milliseconds (call it every frame, or every Nth).
    pub fn observe_frame_ms(&self, ms: f64) {
        self.0.frame.observe_ms(ms);
    }

    /// The stage is alive (call it from a Bevy system, every frame or every second).
    pub fn stage_heartbeat(&self) {
        self.0.stage_beat_ms.store(self.since_start_ms(), Ordering::Relaxed);
    }

    /// The director's loop is alive. Every console event counts as one too, but a show handed to a human host
    /// says nothing for minutes, so the show loop should also call this on every turn of its loop or on a tick.
    pub fn director_heartbeat(&self) {
        self.0.director_beat_ms.store(self.since_start_ms(), Ordering::Relaxed);
    }

    fn since_start_ms(&self) -> u64 {
        (self.0.started.elapsed().as_millis() as u64).max(1)
    }

    /// Milliseconds since the last stage heartbeat; `None` when there has never been one.
    pub fn stage_heartbeat_age_ms(&self) -> Option<u64> {
        self.age(&self.0.stage_beat_ms)
    }

    /// Milliseconds since the director last showed life; `None` when it never has.
    pub fn director_age_ms(&self) -> Option<u64> {
        self.age(&self.0.director_beat_ms)
    }

    /// Milliseconds since this handle was made (a grace period before the first heartbeats).
    pub fn uptime_ms(&self) -> u64 {
        self.0.started.elapsed().as_millis() as u64
    }

    fn age(&self, beat: &AtomicU64) -> Option<u64> {
        match beat.load(Ordering::Relaxed) {
            0 => None,
            at => Some((self.0.started.elapsed().as_millis() as u64).saturating_sub(at)),
        }
    }

    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        // Counters are plain numbers: a panic elsewhere while holding the lock leaves nothing inconsistent.
        self.0.counters.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The live output's frame clock dropped `dropped` rendered frames (the renderer ran ahead) and repeated the
    /// last frame `duplicated` times (it fell behind).
    pub fn output_frames(&self, dropped: u64, duplicated: u64) {
        if dropped > 0 || duplicated > 0 {
            let mut c = self.counters();
            c.output_dropped += dropped;
            c.output_duplicated += duplicated;
        }
    }

    /// An output's ffmpeg was started again after a failure.
    pub fn output_restarted(&self, output: &str) {
        *self.counters().output_restarts.entry(output.to_string()).or_default() += 1;
    }

    /// The console's feed skipped `n` events because it fell behind.
    pub(crate) fn feed_skipped(&self, n: u64) {
        self.counters().feed_skipped += n;
    }

    /// Counts what one console event says about the show.
    pub fn record_event(&self, event: &ConsoleEvent) {
        self.director_heartbeat();
        let mut c = self.counters();
        match event {
            ConsoleEvent::LineAired(line) => {
                *c.lines.entry((kind_label(line.kind).into(), source_label(line.source).into())).or_default() += 1;
                for note in &line.guard {
                    let action = match note.action {
                        model::GuardAction::Repaired => "repaired",
                        model::GuardAction::Replaced => "replaced",
                        model::GuardAction::Dropped => "dropped",
                    };
                    *c.guard.entry((note.rule.name().to_string(), action.into())).or_default() += 1;
                }
                for reason in &line.fallbacks {
                    *c.fallbacks.entry(reason.name()).or_default() += 1;
                }
                drop(c);
                if let Some(delay) = answer_delay_ms(line) {
                    self.0.answer_delay.observe_ms(delay as f64);
                }
            }
            ConsoleEvent::CommentTriaged { comment, label } => {
                *c.comments.entry(snake(&label.intent)).or_default() += 1;
                if let Some(money) = &comment.paid {
                    let key = (snake(&comment.platform), money.currency.code().to_string());
                    let (count, minor) = c.paid.entry(key).or_default();
                    *count += 1;
                    *minor = minor.saturating_add(money.minor);
                }
            }
            ConsoleEvent::Support(support) => {
                let (kind, n) = match &support.kind {
                    model::SupportKind::Gift { count, .. } => ("gift", (*count).max(1)),
                    model::SupportKind::Membership => ("membership", 1),
                    // Paid messages are counted with their amounts from the comment (shopcast_paid_messages_total).
                    model::SupportKind::PaidMessage => ("paid_message", 1),
                };
                let total = c.support.entry((snake(&support.platform), kind)).or_default();
                *total = total.saturating_add(n);
            }
            ConsoleEvent::Escalated { intent, .. } => *c.escalations.entry(snake(intent)).or_default() += 1,
            ConsoleEvent::ReplyResolved { outcome, .. } => {
                let outcome = match outcome {
                    ReplyOutcome::Approved => "approved",
                    ReplyOutcome::Edited => "edited",
                    ReplyOutcome::Rejected => "rejected",
                    ReplyOutcome::Expired => "expired",
                };
                *c.replies.entry(outcome.into()).or_default() += 1;
            }
            // A moderator's words the gate refused count with the guard's other decisions.
            ConsoleEvent::ModeratorLineRefused { rule: Some(rule), .. } => {
                *c.guard.entry((rule.name().to_string(), "moderator_refused".into())).or_default() += 1;
            }
            ConsoleEvent::QuestionDropped { .. } => c.questions_dropped += 1,
            ConsoleEvent::StaleResultDropped { .. } => c.stale_results += 1,
            ConsoleEvent::LineCut { .. } => c.lines_cut += 1,
            ConsoleEvent::TurnFailed { .. } => *c.fallbacks.entry("turn_failed").or_default() += 1,
            ConsoleEvent::SourceHealth { source, healthy, .. } => {
                let was = c.healthy.insert(source.clone(), *healthy);
                if *healthy && was == Some(false) {
                    *c.reconnects.entry(source.clone()).or_default() += 1;
                }
            }
            ConsoleEvent::CatalogLoaded { .. }
            | ConsoleEvent::OverridesChanged(_)
            | ConsoleEvent::HeldLinesChanged(_)
            | ConsoleEvent::PaceChanged { .. }
            | ConsoleEvent::CatalogRejected { .. }
            | ConsoleEvent::ReplyPending { .. }
            | ConsoleEvent::ModeratorLineRefused { rule: None, .. }
            | ConsoleEvent::ModeratorAction { .. } => {}
        }
    }

    /// The Prometheus text exposition (version 0.0.4).
    pub fn render(&self) -> String {
        let mut out = String::new();
        {
            let c = self.counters();
            let family = |out: &mut String, name: &str, help: &str, kind: &str| {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
            };
            family(&mut out, "shopcast_lines_total", "Lines aired, by kind and source.", "counter");
            for ((kind, source), n) in &c.lines {
                let _ = writeln!(out, "shopcast_lines_total{{kind=\"{kind}\",source=\"{source}\"}} {n}");
            }
            family(
                &mut out,
                "shopcast_guard_actions_total",
                "Sentences the guard repaired, replaced or dropped, by rule and action.",
                "counter",
            );
            for ((rule, action), n) in &c.guard {
                let _ = writeln!(out, "shopcast_guard_actions_total{{rule=\"{rule}\",action=\"{action}\"}} {n}");
            }
            family(&mut out, "shopcast_fallbacks_total", "Lines that fell back down the ladder, by reason.", "counter");
            for (reason, n) in &c.fallbacks {
                let _ = writeln!(out, "shopcast_fallbacks_total{{reason=\"{reason}\"}} {n}");
            }
            family(&mut out, "shopcast_comments_total", "Viewer comments triaged, by intent.", "counter");
            for (intent, n) in &c.comments {
                let _ = writeln!(out, "shopcast_comments_total{{intent=\"{intent}\"}} {n}");
            }
            family(
                &mut out,
                "shopcast_support_total",
                "Gifts (items) and memberships, by platform and kind.",
                "counter",
            );
            for ((platform, kind), n) in &c.support {
                let platform = escape(platform);
                let _ = writeln!(out, "shopcast_support_total{{platform=\"{platform}\",kind=\"{kind}\"}} {n}");
            }
            family(&mut out, "shopcast_paid_messages_total", "Paid messages, by platform and currency.", "counter");
            for ((platform, currency), (count, _)) in &c.paid {
                let (platform, currency) = (escape(platform), escape(currency));
                let _ = writeln!(
                    out,
                    "shopcast_paid_messages_total{{platform=\"{platform}\",currency=\"{currency}\"}} {count}"
                );
            }
            family(
                &mut out,
                "shopcast_paid_amount_minor_total",
                "What paid messages paid, in the currency's minor units (cents, fen, yen), by platform and currency.",
                "counter",
            );
            for ((platform, currency), (_, minor)) in &c.paid {
                let (platform, currency) = (escape(platform), escape(currency));
                let _ = writeln!(
                    out,
                    "shopcast_paid_amount_minor_total{{platform=\"{platform}\",currency=\"{currency}\"}} {minor}"
                );
            }
            family(&mut out, "shopcast_escalations_total", "Comments sent to the moderators, by intent.", "counter");
            for (intent, n) in &c.escalations {
                let _ = writeln!(out, "shopcast_escalations_total{{intent=\"{intent}\"}} {n}");
            }
            family(&mut out, "shopcast_replies_resolved_total", "Approve-first replies, by outcome.", "counter");
            for (outcome, n) in &c.replies {
                let _ = writeln!(out, "shopcast_replies_resolved_total{{outcome=\"{outcome}\"}} {n}");
            }
            family(&mut out, "shopcast_questions_dropped_total", "Questions dropped unanswered.", "counter");
            let _ = writeln!(out, "shopcast_questions_dropped_total {}", c.questions_dropped);
            family(&mut out, "shopcast_stale_results_total", "Late writer or voice results dropped.", "counter");
            let _ = writeln!(out, "shopcast_stale_results_total {}", c.stale_results);
            family(
                &mut out,
                "shopcast_lines_cut_total",
                "Pitch lines cut short at a sentence end so that an answer could air.",
                "counter",
            );
            let _ = writeln!(out, "shopcast_lines_cut_total {}", c.lines_cut);
            family(
                &mut out,
                "shopcast_source_reconnects_total",
                "Times a source came back after being down.",
                "counter",
            );
            for (source, n) in &c.reconnects {
                let _ = writeln!(out, "shopcast_source_reconnects_total{{source=\"{}\"}} {n}", escape(source));
            }
            family(&mut out, "shopcast_source_healthy", "1 when the source last reported healthy.", "gauge");
            for (source, healthy) in &c.healthy {
                let _ =
                    writeln!(out, "shopcast_source_healthy{{source=\"{}\"}} {}", escape(source), u8::from(*healthy));
            }
            family(
                &mut out,
                "shopcast_console_feed_skipped_total",
                "Events the console's own tracker skipped because it fell behind.",
                "counter",
            );
            let _ = writeln!(out, "shopcast_console_feed_skipped_total {}", c.feed_skipped);
            family(
                &mut out,
                "shopcast_output_frames_dropped_total",
                "Rendered frames the live output's clock never sent (the renderer ran ahead).",
                "counter",
            );
            let _ = writeln!(out, "shopcast_output_frames_dropped_total {}", c.output_dropped);
            family(
                &mut out,
                "shopcast_output_frames_duplicated_total",
                "Ticks of the live output's clock that repeated the last frame (the renderer fell behind).",
                "counter",
            );
            let _ = writeln!(out, "shopcast_output_frames_duplicated_total {}", c.output_duplicated);
            family(
                &mut out,
                "shopcast_output_restarts_total",
                "ffmpeg restarts after a failure, by output.",
                "counter",
            );
            for (output, n) in &c.output_restarts {
                let _ = writeln!(out, "shopcast_output_restarts_total{{output=\"{}\"}} {n}", escape(output));
            }
        }
        self.0.answer_delay.expose(
            &mut out,
            "shopcast_answer_delay_seconds",
            "From a viewer's comment to the start of the line answering it.",
        );
        self.0.llm.expose(&mut out, "shopcast_llm_latency_seconds", "LLM turn latency.");
        self.0.tts.expose(&mut out, "shopcast_tts_latency_seconds", "Speech synthesis latency per line.");
        self.0.frame.expose(&mut out, "shopcast_frame_time_seconds", "Stage frame time.");
        for (name, help, age) in [
            (
                "shopcast_stage_heartbeat_age_seconds",
                "Seconds since the stage's last heartbeat.",
                self.stage_heartbeat_age_ms(),
            ),
            ("shopcast_director_age_seconds", "Seconds since the director last showed life.", self.director_age_ms()),
        ] {
            if let Some(age) = age {
                let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}", seconds(age as f64));
            }
        }
        out
    }
}

/// Label values come from code, except source names (they come from adapters and could hold anything).
fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "other".into(),
    }
}

pub(crate) fn kind_label(kind: LineKind) -> &'static str {
    kind.label()
}

fn source_label(source: LineSource) -> &'static str {
    match source {
        LineSource::Llm => "llm",
        LineSource::Template => "template",
        LineSource::Moderator => "moderator",
    }
}

/// From the viewer's comment to the line that answers it, by the wall clock. Clocks on chat platforms can run
/// ahead of ours; a negative delay is clamped to zero rather than dropped, so answers are still counted.
fn answer_delay_ms(line: &AiredLine) -> Option<u64> {
    let trigger = line.trigger.as_ref()?;
    matches!(line.kind, LineKind::Answer(_) | LineKind::Handoff(_))
        .then(|| (line.wall.0 - trigger.time.0).max(0) as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{
        Comment, CommentFlags, CommentId, Fallback, GuardRule, Intent, Lang, LineId, Platform, TriageLabel, UnixMs,
    };

    fn comment(time: i64) -> Comment {
        Comment {
            platform: Platform::Twitch,
            id: CommentId("c1".into()),
            user_id: "u1".into(),
            user_name: "Ann".into(),
            text: "how big?".into(),
            time: UnixMs(time),
            paid: None,
            flags: CommentFlags::default(),
        }
    }

    fn aired(kind: LineKind, source: LineSource, fallbacks: &[Fallback], trigger: Option<Comment>) -> ConsoleEvent {
        ConsoleEvent::LineAired(AiredLine {
            line: LineId(1),
            t_ms: 0,
            kind,
            product: None,
            text: "x".into(),
            lang: Lang::En,
            source,
            duration_ms: 1000,
            // The words as the director writes them; they must never matter to a number.
            note: (!fallbacks.is_empty()).then(|| "the voice failed, captions only; holding line".into()),
            fallbacks: fallbacks.to_vec(),
            trigger,
            wall: UnixMs(10_000),
            guard: Vec::new(),
            by: None,
            asked_by: 0,
        })
    }

    #[test]
    fn fallbacks_are_counted_by_their_typed_reason_whatever_the_note_says() {
        let metrics = Metrics::new();
        let pitch = LineKind::Pitch(model::Facet::Hook);
        metrics.record_event(&aired(pitch, LineSource::Template, &[Fallback::WriterTimeout], None));
        metrics.record_event(&aired(
            pitch,
            LineSource::Template,
            &[Fallback::WriterFailed, Fallback::WriterRefused, Fallback::VoiceTimeout],
            None,
        ));
        metrics.record_event(&aired(LineKind::Filler, LineSource::Template, &[Fallback::WriterRepeated], None));
        metrics.record_event(&aired(pitch, LineSource::Llm, &[], None));
        metrics.record_event(&ConsoleEvent::TurnFailed { what: "a comment".into(), reason: "panicked".into() });
        let text = metrics.render();
        let counted: Vec<&str> = text.lines().filter(|l| l.starts_with("shopcast_fallbacks_total{")).collect();
        assert_eq!(
            counted,
            [
                "shopcast_fallbacks_total{reason=\"turn_failed\"} 1",
                "shopcast_fallbacks_total{reason=\"voice_timeout\"} 1",
                "shopcast_fallbacks_total{reason=\"writer_failed\"} 1",
                "shopcast_fallbacks_total{reason=\"writer_refused\"} 1",
                "shopcast_fallbacks_total{reason=\"writer_repeated\"} 1",
                "shopcast_fallbacks_total{reason=\"writer_timeout\"} 1",
            ],
            "each typed reason once; the notes (which name other reasons in words) count nothing:\n{text}"
        );
    }

    #[test]
    fn events_become_prometheus_counters_and_histograms() {
        let metrics = Metrics::new();
        assert_eq!(metrics.director_age_ms(), None);
        metrics.record_event(&aired(LineKind::Disclosure, LineSource::Template, &[], None));
        let mut answer = aired(
            LineKind::Answer(Intent::ProductQuestion),
            LineSource::Template,
            &[Fallback::WriterFailed],
            Some(comment(7_500)),
        );
        if let ConsoleEvent::LineAired(line) = &mut answer {
            line.guard = vec![model::GuardNote {
                rule: GuardRule::MedicalClaim,
                action: model::GuardAction::Replaced,
                original: "It cures colds.".into(),
            }];
        }
        metrics.record_event(&answer);
        let mut label = TriageLabel::new(Intent::PriceStockShipping, 0.9);
        label.lang = Some(Lang::En);
        metrics.record_event(&ConsoleEvent::CommentTriaged { comment: comment(0), label: label.clone() });
        for amount in ["30", "5.50"] {
            let mut paid = comment(0);
            paid.paid = Some(model::Money::parse_decimal(amount, model::Currency::parse("CNY").unwrap()).unwrap());
            metrics.record_event(&ConsoleEvent::CommentTriaged { comment: paid, label: label.clone() });
        }
        let support = |platform: Platform, kind: model::SupportKind| {
            ConsoleEvent::Support(model::Support {
                platform,
                user_id: "u".into(),
                user_name: "u".into(),
                kind,
                amount: None,
                text: String::new(),
                time: model::UnixMs(0),
            })
        };
        for count in [3, 1, 0] {
            let gift = model::SupportKind::Gift { name: "Rose".into(), count };
            metrics.record_event(&support(Platform::Douyin, gift));
        }
        metrics.record_event(&support(Platform::Youtube, model::SupportKind::Membership));
        for healthy in [true, false, true, false, true] {
            metrics.record_event(&ConsoleEvent::SourceHealth {
                source: "twitch \"main\"".into(),
                healthy,
                detail: String::new(),
            });
        }
        metrics.observe_llm_ms(120.0);
        metrics.observe_llm_ms(f64::NAN);
        metrics.observe_frame_ms(16.0);
        metrics.stage_heartbeat();
        metrics.output_frames(2, 5);
        metrics.output_frames(1, 0);
        metrics.output_restarted("output");
        let text = metrics.render();
        for expected in [
            "shopcast_support_total{platform=\"douyin\",kind=\"gift\"} 5",
            "shopcast_support_total{platform=\"youtube\",kind=\"membership\"} 1",
            "shopcast_output_frames_dropped_total 3",
            "shopcast_output_frames_duplicated_total 5",
            "shopcast_output_restarts_total{output=\"output\"} 1",
            "shopcast_lines_total{kind=\"disclosure\",source=\"template\"} 1",
            "shopcast_lines_total{kind=\"answer\",source=\"template\"} 1",
            "shopcast_guard_actions_total{rule=\"medical_claim\",action=\"replaced\"} 1",
            "shopcast_fallbacks_total{reason=\"writer_failed\"} 1",
            "shopcast_comments_total{intent=\"price_stock_shipping\"} 3",
            "shopcast_paid_messages_total{platform=\"twitch\",currency=\"CNY\"} 2",
            "shopcast_paid_amount_minor_total{platform=\"twitch\",currency=\"CNY\"} 3550",
            "shopcast_source_reconnects_total{source=\"twitch \\\"main\\\"\"} 2",
            "shopcast_source_healthy{source=\"twitch \\\"main\\\"\"} 1",
            "shopcast_answer_delay_seconds_bucket{le=\"2\"} 0",
            "shopcast_answer_delay_seconds_bucket{le=\"3\"} 1",
            "shopcast_answer_delay_seconds_sum 2.5",
            "shopcast_answer_delay_seconds_count 1",
            "shopcast_llm_latency_seconds_bucket{le=\"0.1\"} 0",
            "shopcast_llm_latency_seconds_bucket{le=\"0.25\"} 1",
            "shopcast_llm_latency_seconds_count 1",
            "shopcast_frame_time_seconds_bucket{le=\"0.017\"} 1",
            "shopcast_tts_latency_seconds_count 0",
            "# TYPE shopcast_answer_delay_seconds histogram",
            "shopcast_stage_heartbeat_age_seconds ",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in\n{text}");
        }
        assert!(metrics.director_age_ms().is_some_and(|age| age < 5_000));
    }
}
