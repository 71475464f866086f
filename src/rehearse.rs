//! `shopcast rehearse`: a whole show on a virtual clock, before going live. The real director, writer (templates
//! or an LLM) and guard decide every line; voice timing is estimated. Recorded chat can be replayed into it. The
//! report says what would be said, when, why, and how the show held up (silence, answers, repeats).

use crate::demo;
use anyhow::{Context, Result, bail};
use backstage::chat::{self, ImportFormat};
use backstage::llm::{LlmClient, LlmConfig};
use backstage::writer::{LlmWriter, Writer};
use director::{Brief, Input, Rehearsal, ShowConfig, WriteFn};
use model::{AiredLine, Comment, ConsoleEvent, GuardAction, Intent, Lang, LineKind, LineSource, ShowTime, UnixMs};
use serde::Serialize;
use std::collections::HashMap;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RehearseArgs {
    /// The product file; default: the embedded demo queue.
    #[arg(long)]
    products: Option<PathBuf>,
    /// A recorded chat log to replay into the show at its own pace.
    #[arg(long, requires = "chat_format")]
    chat: Option<PathBuf>,
    /// The chat log's format: twitch-irc, youtube-json, bilibili-xml or jsonl.
    #[arg(long)]
    chat_format: Option<String>,
    /// How much show to rehearse, e.g. 90s, 45m, 2h.
    #[arg(long, default_value = "1h")]
    duration: String,
    /// `max` runs as fast as the machine can; a number runs that many times faster than real time.
    #[arg(long, default_value = "max")]
    speed: String,
    /// An OpenAI-compatible server (e.g. http://127.0.0.1:8080/v1) to write the lines; default: templates.
    #[arg(long)]
    llm_url: Option<String>,
    /// The model name the LLM server expects.
    #[arg(long, default_value = "default")]
    llm_model: String,
    /// The host's language: en or zh.
    #[arg(long, default_value = "en")]
    lang: String,
    /// The currency of prices that name none (Shopify and WooCommerce exports), e.g. CNY.
    #[arg(long)]
    currency: Option<String>,
    /// Where to write the JSON report.
    #[arg(long)]
    out: PathBuf,
}

/// One line of the report.
#[derive(Debug, Serialize)]
pub struct ReportLine {
    pub t_ms: u64,
    pub kind: &'static str,
    pub text: String,
    pub lang: Lang,
    pub product_id: Option<String>,
    pub comment_id: Option<String>,
    pub source: &'static str,
    pub guard: GuardSummary,
    /// For a pitch cut short at a sentence end so that an answer could air: the words that were heard.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heard: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct GuardSummary {
    /// pass, repaired or replaced.
    pub decision: &'static str,
    /// The rules that fired, when any did.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
}

#[derive(Debug, Default, Serialize)]
pub struct Stats {
    pub duration_ms: u64,
    pub max_silence_ms: u64,
    pub disclosures: usize,
    pub answers: usize,
    pub handoffs: usize,
    pub repeated_lines: usize,
    pub p95_answer_delay_ms: Option<u64>,
    pub comments_replayed: usize,
    pub lines: usize,
}

/// A viewer who needed a person, and what the show did about it.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CareEntry {
    pub comment_id: String,
    /// crisis, medical, minor, money, scam, access or complaint.
    pub category: &'static str,
    pub action: &'static str,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub lines: Vec<ReportLine>,
    /// Every comment that went to the moderators as care (or as a complaint), in order.
    pub care: Vec<CareEntry>,
    pub stats: Stats,
}

/// The care entries among the show's escalations.
pub fn care_entries(escalations: &[ConsoleEvent]) -> Vec<CareEntry> {
    escalations
        .iter()
        .filter_map(|event| match event {
            ConsoleEvent::Escalated { comment, care: Some(kind), .. } => Some(CareEntry {
                comment_id: comment.id.0.clone(),
                category: kind.code(),
                action: if kind.is_private() {
                    "sent to the moderators first; kept off screen and off air; one general line without their name"
                } else {
                    "answered on air slowly and plainly; sent to the moderators"
                },
            }),
            ConsoleEvent::Escalated { comment, intent: Intent::ComplaintOrRefund, care: None, .. } => Some(CareEntry {
                comment_id: comment.id.0.clone(),
                category: "complaint",
                action: "sent to the moderators; one plain hand-off line",
            }),
            _ => None,
        })
        .collect()
}

/// Reads `90s`, `45m`, `2h` or `1h30m` (plain numbers are seconds).
pub fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return secs.checked_mul(1000);
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3_600_000,
            'm' => 60_000,
            's' => 1_000,
            _ => return None,
        };
        let n: u64 = number.parse().ok()?;
        total = total.checked_add(n.checked_mul(unit)?)?;
        number.clear();
    }
    (number.is_empty() && total > 0).then_some(total)
}

pub fn rehearse(args: RehearseArgs) -> Result<()> {
    let Some(lang) = Lang::parse(&args.lang) else { bail!("--lang {:?} must be en or zh", args.lang) };
    let Some(duration_ms) = parse_duration(&args.duration).filter(|d| *d <= 7 * 24 * 3_600_000) else {
        bail!("--duration {:?} must look like 90s, 45m, 2h or 1h30m (at most a week)", args.duration);
    };
    let speed = match args.speed.as_str() {
        "max" => None,
        other => match other.parse::<f64>() {
            Ok(x) if x.is_finite() && x > 0.0 => Some(x),
            _ => bail!("--speed {other:?} must be `max` or a positive number (times real time)"),
        },
    };
    let currency = demo::currency_arg(args.currency.as_deref())?;
    let products = demo::products(args.products.as_deref(), currency.as_ref())?;
    let comments = match (&args.chat, &args.chat_format) {
        (Some(path), Some(format)) => load_chat(path, format, &products)?,
        _ => Vec::new(),
    };

    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let writer: WriteFn = match &args.llm_url {
        None => blocking_writer(Writer::Templates, runtime),
        Some(url) => {
            let client = {
                let _guard = runtime.enter();
                LlmClient::new(LlmConfig::new(url.clone(), args.llm_model.clone()))
                    .with_context(|| format!("--llm-url {url:?} is not a usable LLM server address"))?
            };
            blocking_writer(Writer::Llm(LlmWriter::new(client)), runtime)
        }
    };

    let wall = backstage::clock::wall_now();
    let config = ShowConfig { lang, ..ShowConfig::default() };
    let mut show = Rehearsal::with_writer(config, products, wall, writer);
    let mut arrivals: HashMap<String, u64> = HashMap::new();
    let started = std::time::Instant::now();
    for (at, mut comment) in comments.iter().cloned() {
        if at > duration_ms {
            break;
        }
        pace(speed, started, at);
        show.advance_to(ShowTime(at));
        comment.time = UnixMs(wall.0 + at as i64);
        arrivals.insert(comment.id.0.clone(), at);
        show.input(Input::Comment(comment));
    }
    pace(speed, started, duration_ms);
    show.advance_to(ShowTime(duration_ms));

    let transcript = show.transcript();
    let cuts: HashMap<model::LineId, (String, u64)> = show
        .events()
        .iter()
        .filter_map(|e| match e {
            model::ConsoleEvent::LineCut { line, said, heard_ms } => Some((*line, (said.clone(), *heard_ms))),
            _ => None,
        })
        .collect();
    let mut report = build_report(transcript, &cuts, &arrivals, duration_ms, comments.len());
    report.care = care_entries(show.escalations());
    let json = serde_json::to_string_pretty(&report)?;
    std::fs::write(&args.out, json).with_context(|| format!("cannot write the report to {}", args.out.display()))?;
    print_summary(&report, &args.out);
    Ok(())
}

/// Sleeps until virtual time `at` when rehearsing at a set speed.
fn pace(speed: Option<f64>, started: std::time::Instant, at: u64) {
    if let Some(speed) = speed {
        let due = std::time::Duration::from_secs_f64(at as f64 / 1000.0 / speed);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            std::thread::sleep(wait);
        }
    }
}

/// The writer, run to completion for each brief: the virtual clock waits for it.
fn blocking_writer(writer: Writer, runtime: tokio::runtime::Runtime) -> WriteFn {
    Box::new(move |brief: &Brief| runtime.block_on(writer.write(brief)).map_err(|e| e.to_string()))
}

/// The recorded comments with the show time each arrives at: their own spacing, starting 5 s in; comments without
/// a time come one every 3 s.
fn load_chat(path: &PathBuf, format: &str, products: &[model::Product]) -> Result<Vec<(u64, Comment)>> {
    let Some(format) = ImportFormat::parse(format) else {
        bail!("--chat-format {format:?} must be one of twitch-irc, youtube-json, bilibili-xml, jsonl");
    };
    let bytes = std::fs::read(path).with_context(|| format!("cannot read the chat log {}", path.display()))?;
    let (comments, diagnostics) = chat::import_labelled(format, &bytes, products);
    for mut d in diagnostics {
        d.path = path.display().to_string();
        eprintln!("{d}");
    }
    let first = comments.iter().map(|(c, _)| c.time.0).filter(|t| *t > 0).min();
    let mut out = Vec::with_capacity(comments.len());
    for (i, (comment, _)) in comments.into_iter().enumerate() {
        let offset = match first {
            Some(first) if comment.time.0 > 0 => (comment.time.0 - first) as u64,
            _ => i as u64 * 3_000,
        };
        out.push((5_000 + offset, comment));
    }
    out.sort_by_key(|(t, _)| *t);
    Ok(out)
}

/// The report of a rehearsal: `cuts` holds, for each pitch cut short, the words heard and for how long.
pub fn build_report(
    transcript: &[AiredLine],
    cuts: &HashMap<model::LineId, (String, u64)>,
    arrivals: &HashMap<String, u64>,
    duration_ms: u64,
    comments_replayed: usize,
) -> Report {
    let mut stats = Stats { duration_ms, comments_replayed, lines: transcript.len(), ..Stats::default() };
    let mut last_end = 0u64;
    let mut delays = Vec::new();
    let mut lines = Vec::with_capacity(transcript.len());
    for (i, line) in transcript.iter().enumerate() {
        stats.max_silence_ms = stats.max_silence_ms.max(line.t_ms.saturating_sub(last_end));
        let cut = cuts.get(&line.line);
        last_end = line.t_ms + cut.map_or(line.duration_ms as u64, |(_, heard_ms)| *heard_ms);
        match line.kind {
            LineKind::Disclosure => stats.disclosures += 1,
            LineKind::Answer(_) => stats.answers += 1,
            LineKind::Handoff(_) => stats.handoffs += 1,
            _ => {}
        }
        if let LineKind::Answer(_) | LineKind::Handoff(_) = line.kind
            && let Some(asked) = line.trigger.as_ref().and_then(|c| arrivals.get(&c.id.0))
        {
            delays.push(line.t_ms.saturating_sub(*asked));
        }
        let repeated = transcript[..i]
            .iter()
            .rev()
            .take_while(|earlier| line.t_ms - earlier.t_ms < director::templates::NO_REPEAT_MS as u64)
            .any(|earlier| earlier.text == line.text && earlier.product == line.product);
        stats.repeated_lines += usize::from(repeated);
        let source = match line.source {
            LineSource::Llm => "llm",
            LineSource::Template => "template",
            LineSource::Moderator => "moderator",
        };
        let replaced = line.guard.iter().any(|g| g.action != GuardAction::Repaired);
        let decision = match (line.guard.is_empty(), replaced) {
            (true, _) => "pass",
            (false, true) => "replaced",
            (false, false) => "repaired",
        };
        lines.push(ReportLine {
            t_ms: line.t_ms,
            kind: line.kind.label(),
            text: line.text.clone(),
            lang: line.lang,
            product_id: line.product.as_ref().map(|p| p.0.clone()),
            comment_id: line.trigger.as_ref().map(|c| c.id.0.clone()),
            source,
            guard: GuardSummary { decision, rules: line.guard.iter().map(|g| g.rule.name().to_string()).collect() },
            heard: cut.map(|(said, _)| said.clone()),
        });
    }
    stats.max_silence_ms = stats.max_silence_ms.max(duration_ms.saturating_sub(last_end).min(duration_ms));
    delays.sort_unstable();
    stats.p95_answer_delay_ms = (!delays.is_empty()).then(|| delays[(delays.len() * 95).div_ceil(100) - 1]);
    Report { lines, care: Vec::new(), stats }
}

fn print_summary(report: &Report, out: &std::path::Path) {
    let s = &report.stats;
    let minutes = s.duration_ms as f64 / 60_000.0;
    println!(
        "rehearsed {minutes:.1} min: {} lines, {} answers, {} hand-offs, {} disclosures",
        s.lines, s.answers, s.handoffs, s.disclosures
    );
    println!(
        "longest silence {:.1} s; repeated lines within 30 min: {}; p95 answer delay: {}",
        s.max_silence_ms as f64 / 1000.0,
        s.repeated_lines,
        s.p95_answer_delay_ms.map_or("no answers".to_string(), |d| format!("{:.1} s", d as f64 / 1000.0))
    );
    let guarded = report.lines.iter().filter(|l| l.guard.decision != "pass").count();
    println!("guard: {guarded} line(s) repaired or replaced; {} comment(s) replayed", s.comments_replayed);
    println!("report: {}", out.display());
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration("90s"), Some(90_000));
        assert_eq!(parse_duration("45m"), Some(2_700_000));
        assert_eq!(parse_duration("2h"), Some(7_200_000));
        assert_eq!(parse_duration("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration("120"), Some(120_000));
        assert_eq!(parse_duration("2x"), None);
        assert_eq!(parse_duration("h"), None);
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("99999999999999999999h"), None);
    }
}
