//! Chat connectors and recorded-log importers: every source normalised into `model::Comment`.
//!
//! Wire formats stop here. Parsers ([`twitch`], [`youtube`], [`bilibili`], JSONL) turn lines and payloads into
//! [`ChatEvent`]s or reject them with a line and a reason, never panicking; [`import`] reads a whole recorded log
//! for `shopcast chat import`; [`connector`] keeps a live Twitch connection up and feeds a channel, [`youtube_poll`]
//! does the same by polling YouTube's live chat, and [`ingest`] takes comments from bridges over HTTP and WebSocket.

pub mod bilibili;
pub mod bilibili_live;
pub mod bilibili_open;
pub mod bridges;
pub mod connector;
pub mod ingest;
pub mod replies;
pub mod time;
pub mod twitch;
pub mod twitch_eventsub;
pub mod youtube;
pub mod youtube_auth;
pub mod youtube_poll;
pub mod youtube_quota;

use director::triage::{Triage, TriageConfig};
use model::{Comment, CommentFlags, CommentId, Currency, Diagnostic, Money, Platform, Product, TriageLabel, UnixMs};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What a chat source reports.
#[derive(Clone, Debug, PartialEq)]
pub enum ChatEvent {
    Comment(Comment),
    /// A moderator deleted this comment: it is never answered.
    DeleteComment {
        platform: Platform,
        id: CommentId,
    },
    /// A viewer was banned or timed out: their queued comments vanish.
    BanViewer(BanViewer),
    /// A moderator cleared the whole chat.
    ClearChat {
        platform: Platform,
    },
    /// A subscription, raid, membership or announcement without viewer words.
    Notice(Notice),
    /// A gift (from a bridge or a platform that names gifts): the host thanks the viewer.
    Support(model::Support),
    /// The server checks the connection is alive; the connector answers it.
    Ping {
        token: String,
    },
    /// The server is going away; the connector reconnects.
    Reconnect,
    /// The live chat is over (YouTube).
    ChatEnded,
    /// A server message for the operator (Twitch NOTICE: login failures, rate limits).
    ServerNotice {
        text: String,
    },
    /// Well-formed but of no use to the show (JOIN, ROOMSTATE, tickers...).
    Ignored {
        what: String,
    },
}

/// A ban or timeout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BanViewer {
    pub platform: Platform,
    pub user_id: String,
    pub user_name: String,
    /// Seconds for a timeout; `None` for a permanent ban.
    pub duration_secs: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Subscription,
    Membership,
    Raid,
    Announcement,
    Other,
}

/// A platform event about a viewer that is not a comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub platform: Platform,
    pub kind: NoticeKind,
    pub user_id: String,
    pub user_name: String,
    /// The platform's own description ("x subscribed for 6 months!").
    pub text: String,
}

/// The log formats `shopcast chat import` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    TwitchIrc,
    YoutubeJson,
    BilibiliXml,
    Jsonl,
    /// One line per frame or push of a Douyin/TikTok/Kuaishou bridge ([`bridges`]).
    Bridge(bridges::Bridge),
    /// Bilibili live WebSocket frames exactly as received, concatenated ([`bilibili_live`]).
    BilibiliLive,
}

impl ImportFormat {
    /// Reads the `--format` value: `twitch-irc`, `youtube-json`, `bilibili-xml` or `jsonl`.
    pub fn parse(name: &str) -> Option<ImportFormat> {
        match name.trim().to_ascii_lowercase().as_str() {
            "twitch-irc" | "twitch" | "irc" => Some(ImportFormat::TwitchIrc),
            "youtube-json" | "youtube" => Some(ImportFormat::YoutubeJson),
            "bilibili-xml" | "bilibili" => Some(ImportFormat::BilibiliXml),
            "jsonl" => Some(ImportFormat::Jsonl),
            "bilibili-live" => Some(ImportFormat::BilibiliLive),
            other => bridges::Bridge::parse(other).map(ImportFormat::Bridge),
        }
    }

    pub const NAMES: &'static str = "twitch-irc, youtube-json, bilibili-xml, bilibili-live, jsonl, \
                                     douyin-barrage-grab, streamhawk, douyin-webcast or tiktok-live-connector";
}

/// Reads a recorded log. Returns the comments in file order (with the triage label a JSONL line carried, if any)
/// and one diagnostic per input it could not use, with its 1-based line. Diagnostics leave `path` empty for the
/// caller to fill in. Comments whose id was already seen (a log that recorded a reconnect twice) are skipped
/// with a warning. Never panics.
pub fn import(format: ImportFormat, text: &str) -> (Vec<(Comment, Option<TriageLabel>)>, Vec<Diagnostic>) {
    let (mut read, mut problems): Read = match format {
        ImportFormat::TwitchIrc => import_lines(text, |line| match twitch::parse_line(line, UnixMs(0)) {
            Ok(ChatEvent::Comment(c)) => Ok(Some((c, None))),
            Ok(_) => Ok(None),
            Err(reason) => Err(reason),
        }),
        ImportFormat::Jsonl => import_lines(text, |line| from_jsonl_line(line).map(|(c, l)| Some((c, l)))),
        ImportFormat::YoutubeJson => import_youtube(text),
        ImportFormat::BilibiliXml => {
            let (comments, problems) = bilibili::parse(text);
            (comments.into_iter().map(|(line, c)| (line, c, None)).collect(), problems)
        }
        ImportFormat::Bridge(bridge) => import_bridge(bridge, text),
        ImportFormat::BilibiliLive => import_bilibili_live(text.as_bytes()),
    };
    let mut seen: HashMap<(Platform, CommentId), usize> = HashMap::new();
    let mut out = Vec::with_capacity(read.len());
    for (line, comment, label) in read.drain(..) {
        if let Some(first) = seen.get(&(comment.platform, comment.id.clone())) {
            problems.push(Diagnostic::warning(
                "",
                line,
                1,
                format!("comment id {} already appeared on line {first}; this copy is skipped", comment.id.0),
            ));
            continue;
        }
        seen.insert((comment.platform, comment.id.clone()), line);
        out.push((comment, label));
    }
    problems.sort_by_key(|d| d.line);
    (out, problems)
}

/// [`import`], then triage in file order with each comment's own time as `now`; labels a JSONL line carried are
/// kept. This is what `shopcast chat import` prints.
pub fn import_labelled(
    format: ImportFormat,
    bytes: &[u8],
    products: &[Product],
) -> (Vec<(Comment, TriageLabel)>, Vec<Diagnostic>) {
    let (comments, problems) = import_bytes(format, bytes);
    let mut triage = Triage::new(TriageConfig::default());
    let labelled = comments
        .into_iter()
        .map(|(comment, carried)| {
            let fresh = triage.label(&comment, comment.time, products);
            (comment, carried.unwrap_or(fresh))
        })
        .collect();
    (labelled, problems)
}

type Read = (Vec<(usize, Comment, Option<TriageLabel>)>, Vec<Diagnostic>);

fn import_lines(
    text: &str,
    mut read: impl FnMut(&str) -> Result<Option<(Comment, Option<TriageLabel>)>, String>,
) -> Read {
    let (mut comments, mut problems) = (Vec::new(), Vec::new());
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        match read(line) {
            Ok(Some((c, label))) => comments.push((i + 1, c, label)),
            Ok(None) => {}
            Err(reason) => problems.push(Diagnostic::error("", i + 1, 1, reason)),
        }
    }
    (comments, problems)
}

/// [`import`] from a file's bytes: binary formats as they are, text formats read as UTF-8 (what is not UTF-8 is
/// replaced, so a damaged log still gives what is readable).
pub fn import_bytes(format: ImportFormat, bytes: &[u8]) -> (Vec<(Comment, Option<TriageLabel>)>, Vec<Diagnostic>) {
    match format {
        ImportFormat::BilibiliLive => {
            let (comments, mut problems) = import_bilibili_live(bytes);
            problems.sort_by_key(|d| d.line);
            (comments.into_iter().map(|(_, c, l)| (c, l)).collect(), problems)
        }
        _ => import(format, &String::from_utf8_lossy(bytes)),
    }
}

/// A Bilibili live capture: comments and super chats as comments, gifts and the rest counted on stderr; each
/// problem with its byte offset (in the "line" column, as binary has no lines).
fn import_bilibili_live(bytes: &[u8]) -> Read {
    let decoded = bilibili_live::decode(bytes);
    let mut comments = Vec::new();
    let mut counts: Vec<(&'static str, u64)> = Vec::new();
    for event in decoded.events {
        match event {
            bridges::BridgeEvent::Chat(ChatEvent::Comment(c)) => comments.push((0, c, None)),
            other => {
                let (kind, n) = match &other {
                    bridges::BridgeEvent::Gift { count, .. } => ("gift", *count),
                    _ => (other.kind(), 1),
                };
                match counts.iter_mut().find(|c| c.0 == kind) {
                    Some(c) => c.1 += n,
                    None => counts.push((kind, n)),
                }
            }
        }
    }
    let mut problems: Vec<Diagnostic> = decoded
        .problems
        .into_iter()
        .map(|(offset, reason)| Diagnostic::error("", offset, 1, format!("at byte {offset}: {reason}")))
        .collect();
    for (kind, n) in counts {
        problems.push(Diagnostic::warning("", 0, 1, format!("{n} {kind}(s): not comments, counted")));
    }
    for (cmd, n) in decoded.ignored {
        problems.push(Diagnostic::warning("", 0, 1, format!("{n} {cmd} message(s): not used by the show, counted")));
    }
    (comments, problems)
}

/// A bridge's log, one frame or push per line: comments as comments; gifts, likes, joins and the rest counted, each
/// kind once on stderr with its total and first line, so nothing read goes unaccounted.
fn import_bridge(bridge: bridges::Bridge, text: &str) -> Read {
    let (mut comments, mut problems) = (Vec::new(), Vec::new());
    let mut others: Vec<(&'static str, usize, u64)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_start_matches('\u{feff}');
        if line.trim().is_empty() {
            continue;
        }
        match bridges::read(bridge, line, i + 1, UnixMs(0)) {
            Ok(events) => {
                for event in events {
                    match event {
                        bridges::BridgeEvent::Chat(ChatEvent::Comment(c)) => comments.push((i + 1, c, None)),
                        other => {
                            let (kind, n) = match &other {
                                bridges::BridgeEvent::Gift { count, .. } => ("gift", *count),
                                bridges::BridgeEvent::Like { count } => ("like", *count),
                                _ => (other.kind(), 1),
                            };
                            match others.iter_mut().find(|o| o.0 == kind) {
                                Some(o) => o.2 += n,
                                None => others.push((kind, i + 1, n)),
                            }
                        }
                    }
                }
            }
            Err(reason) => problems.push(Diagnostic::error("", i + 1, 1, reason)),
        }
    }
    for (kind, line, n) in others {
        problems.push(Diagnostic::warning("", line, 1, format!("{n} {kind}(s) from here on: not comments, counted")));
    }
    (comments, problems)
}

/// A YouTube log is one response, a JSON array of responses, or one response per line.
fn import_youtube(text: &str) -> Read {
    let trimmed = text.trim_start_matches('\u{feff}');
    let whole: Result<serde_json::Value, _> = serde_json::from_str(trimmed);
    let mut bodies: Vec<(usize, serde_json::Value)> = Vec::new();
    let mut problems = Vec::new();
    match whole {
        Ok(serde_json::Value::Array(responses)) => bodies.extend(responses.into_iter().map(|r| (1, r))),
        Ok(body) => bodies.push((1, body)),
        Err(whole_error) => {
            let mut any = false;
            for (i, line) in trimmed.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match serde_json::from_str(line) {
                    Ok(body) => {
                        any = true;
                        bodies.push((i + 1, body));
                    }
                    Err(e) => problems.push((i + 1, e.column(), format!("this line is not JSON: {e}"))),
                }
            }
            if !any {
                problems.clear();
                problems.push((
                    whole_error.line(),
                    whole_error.column(),
                    format!("the file is not JSON: {whole_error}"),
                ));
            }
        }
    }
    let mut problems: Vec<Diagnostic> = problems.into_iter().map(|(l, c, m)| Diagnostic::error("", l, c, m)).collect();
    let mut comments = Vec::new();
    for (line, body) in bodies {
        match youtube::parse_response(&body) {
            Ok(page) => {
                for event in page.events {
                    if let ChatEvent::Comment(c) = event {
                        comments.push((line, c, None));
                    }
                }
                for (index, reason) in page.problems {
                    problems.push(Diagnostic::error("", line, 1, format!("item {index}: {reason}")));
                }
            }
            Err(e) => problems.push(Diagnostic::error("", line, 1, e.to_string())),
        }
    }
    (comments, problems)
}

/// The JSONL line for one comment (DESIGN.md section 10), with its triage label when given.
#[derive(Serialize, Deserialize)]
struct JsonlLine {
    platform: Platform,
    id: String,
    user_id: String,
    user_name: String,
    text: String,
    /// RFC 3339 when written (milliseconds since the epoch outside the years 0000-9999, see `jsonl_time`);
    /// milliseconds are read too.
    time: serde_json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    paid: Option<PaidLine>,
    #[serde(default)]
    flags: CommentFlags,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    triage: Option<TriageLabel>,
}

#[derive(Serialize, Deserialize)]
struct PaidLine {
    amount_minor: i64,
    currency: String,
}

/// One comment as a JSONL line (no newline), time as RFC 3339.
pub fn to_jsonl_line(comment: &Comment, label: Option<&TriageLabel>) -> String {
    let line = JsonlLine {
        platform: comment.platform,
        id: comment.id.0.clone(),
        user_id: comment.user_id.clone(),
        user_name: comment.user_name.clone(),
        text: comment.text.clone(),
        time: jsonl_time(comment.time),
        paid: comment
            .paid
            .as_ref()
            .map(|m| PaidLine { amount_minor: m.minor, currency: m.currency.code().to_string() }),
        flags: comment.flags.clone(),
        triage: label.cloned(),
    };
    // Serialising plain strings, numbers and enums cannot fail; an empty object is the honest fallback.
    serde_json::to_string(&line).unwrap_or_else(|_| "{}".to_string())
}

/// A comment's time for its JSONL line: RFC 3339, or milliseconds since the epoch for a time outside the years
/// 0000 to 9999 (a Twitch line's tmi-sent-ts can say anything), whose RFC 3339 form would not read back.
fn jsonl_time(t: UnixMs) -> serde_json::Value {
    match time::format_rfc3339(t) {
        Some(written) => serde_json::Value::String(written),
        None => serde_json::Value::from(t.0),
    }
}

/// Reads one JSONL line back; the error names the field and the fix.
pub fn from_jsonl_line(line: &str) -> Result<(Comment, Option<TriageLabel>), String> {
    let parsed: JsonlLine = serde_json::from_str(line).map_err(|e| format!("not a comment line: {e}"))?;
    let time = match &parsed.time {
        serde_json::Value::String(s) => time::parse_rfc3339(s)?,
        serde_json::Value::Number(n) => UnixMs(n.as_i64().ok_or("\"time\" must be an RFC 3339 string")?),
        _ => return Err("\"time\" must be an RFC 3339 string like 2024-05-01T12:00:00Z".into()),
    };
    let paid = match parsed.paid {
        None => None,
        Some(p) => {
            let currency = Currency::parse(&p.currency)
                .ok_or_else(|| format!("\"paid.currency\" {:?} is not a three-letter ISO code", p.currency))?;
            Some(Money { minor: p.amount_minor, currency })
        }
    };
    if parsed.id.is_empty() {
        return Err("\"id\" is empty; every comment needs its platform id".into());
    }
    Ok((
        Comment {
            platform: parsed.platform,
            id: CommentId(parsed.id),
            user_id: parsed.user_id,
            user_name: parsed.user_name,
            text: parsed.text,
            time,
            paid,
            flags: parsed.flags,
        },
        parsed.triage,
    ))
}

#[cfg(test)]
mod inspircd_tests;
#[cfg(test)]
mod tests;

/// What the connector tests share.
#[cfg(test)]
pub(crate) mod test_support {
    use super::connector::SourceEvent;
    use std::time::Duration;
    use tokio::sync::mpsc;

    /// Receives into `seen` until `want` says it has what it waited for, at most 10 s.
    pub(crate) async fn until(
        rx: &mut mpsc::Receiver<SourceEvent>,
        seen: &mut Vec<SourceEvent>,
        want: impl Fn(&[SourceEvent]) -> bool,
    ) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while !want(seen) {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some(event)) => seen.push(event),
                _ => panic!("waited 10 s; got {seen:#?}"),
            }
        }
    }
}
