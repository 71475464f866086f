//! shopcast's Twitch IRC parser against the twitch-irc crate's, over the same lines in the same process.
//!
//! The chat issue asks for at least 1,000,000 lines/s, measured beside twitch-irc with the ratio reported. A ratio
//! from two separate runs would mostly measure the load of the shared machine, so both parsers take turns here,
//! round after round, and the order flips every round. Real lines come from the shared fixture (read in place);
//! because it holds only a few dozen, lines of the same shapes are synthesised to give the branch predictor and the
//! caches a realistic variety of lengths, tags and commands.
//!
//! Work per line, as close to equal as the two designs allow:
//! - shopcast: `backstage::chat::twitch::parse_line`: split into tags, prefix, command and parameters, one pass
//!   over the tags for the ones a comment uses, then an owned `ChatEvent` (a `Comment` with id, names, text, time,
//!   money and flags; a notice, ban, deletion, ping...; other commands become `Ignored`).
//! - twitch-irc: `IRCMessage::parse` (every tag unescaped into an owned `HashMap`, prefix and parameters owned)
//!   then `ServerMessage::try_from` (a typed message: for PRIVMSG the sender, badges, emotes, colour, bits, reply
//!   parent and timestamp, keeping the `IRCMessage` as its source; unknown commands become `Generic`).
//!
//! Run with `cargo run --release` in this folder (see README.md).

use backstage::chat::ChatEvent;
use backstage::chat::twitch::{IrcLine, parse_line, unescape_tag};
use model::UnixMs;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use twitch_irc::message::{IRCMessage, ServerMessage, ServerMessageParseError};

/// The fixture, relative to this crate: tools/irc-bench → the repository → the folder beside it.
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/chat/twitch-irc/irc_lines.txt");

/// The tags twitch-irc's PRIVMSG conversion cannot do without.
const TWITCH_IRC_PRIVMSG_TAGS: [&str; 5] = ["room-id", "user-id", "display-name", "id", "tmi-sent-ts"];

struct Options {
    fixture: Option<PathBuf>,
    synthetic: usize,
    rounds: usize,
    per_round: usize,
}

const USAGE: &str = "usage: irc-bench [--fixture PATH | --no-fixture] [--synthetic N] [--rounds N] [--per-round N]
  --fixture PATH   real Twitch IRC lines, one a line (default: testdata/chat/twitch-irc/irc_lines.txt)
  --no-fixture     synthesised lines only
  --synthetic N    lines synthesised in the fixture's shapes (default 20000)
  --rounds N       timed rounds per parser (default 9)
  --per-round N    lines parsed per round (default 1000000)";

fn options() -> Result<Options, String> {
    let mut o = Options { fixture: Some(PathBuf::from(FIXTURE)), synthetic: 20_000, rounds: 9, per_round: 1_000_000 };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<usize, String> {
            let value = args.next().ok_or(format!("{name} needs a number after it"))?;
            value.parse().map_err(|_| format!("{name} {value:?}: not a whole number"))
        };
        match arg.as_str() {
            "--fixture" => o.fixture = Some(PathBuf::from(args.next().ok_or("--fixture needs a path after it")?)),
            "--no-fixture" => o.fixture = None,
            "--synthetic" => o.synthetic = number("--synthetic")?,
            "--rounds" => o.rounds = number("--rounds")?.max(1),
            "--per-round" => o.per_round = number("--per-round")?.max(1),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let o = match options() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("irc-bench: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let fixture = match &o.fixture {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) => {
                eprintln!(
                    "irc-bench: cannot read the fixture {}: {e}. Pass --fixture PATH to a file of Twitch IRC lines, \
                     or --no-fixture to measure synthesised lines only.",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
        None => String::new(),
    };
    // CR LF is the wire's line end, not part of a message: twitch-irc refuses a line that still carries it.
    let real: Vec<&str> = fixture.lines().map(|l| l.trim_end_matches('\r')).filter(|l| !l.trim().is_empty()).collect();
    let synthetic = synthesise(o.synthetic);
    let mut corpus: Vec<&str> = real.clone();
    corpus.extend(synthetic.iter().map(String::as_str));
    if corpus.is_empty() {
        eprintln!("irc-bench: no lines to parse (empty fixture and --synthetic 0)");
        return ExitCode::from(2);
    }

    machine_notes("start");
    let bytes: usize = corpus.iter().map(|l| l.len()).sum();
    println!(
        "corpus: {} lines ({} real from {}, {} synthesised), {} bytes, mean {:.0} bytes/line",
        corpus.len(),
        real.len(),
        o.fixture.as_ref().map_or("no fixture".into(), |p| p.display().to_string()),
        synthetic.len(),
        bytes,
        bytes as f64 / corpus.len() as f64
    );
    let passes = o.per_round.div_ceil(corpus.len());
    let per_round = passes * corpus.len();
    println!("each round: {passes} passes over the corpus = {per_round} lines; {} rounds per parser\n", o.rounds);

    acceptance("real lines (fixture)", &real, true);
    let synthetic_refs: Vec<&str> = synthetic.iter().map(String::as_str).collect();
    acceptance("synthesised lines", &synthetic_refs, false);

    println!("\n== to a typed message (the comparison the issue asks for)");
    compare(
        &corpus,
        passes,
        o.rounds,
        [("shopcast parse_line", shopcast_full), ("twitch-irc parse+try_from", twitch_full)],
    );
    println!("\n== split and read every tag (no typed message)");
    compare(
        &corpus,
        passes,
        o.rounds,
        [("shopcast IrcLine+tags", shopcast_split), ("twitch-irc IRCMessage::parse", twitch_split)],
    );
    println!();
    machine_notes("end");
    ExitCode::SUCCESS
}

/// One pass of shopcast's full parse; the count of accepted lines keeps the work observable.
fn shopcast_full(lines: &[&str]) -> usize {
    let mut ok = 0;
    for line in lines {
        let event = parse_line(black_box(line), UnixMs(0));
        ok += usize::from(event.is_ok());
        let _ = black_box(event);
    }
    ok
}

fn twitch_full(lines: &[&str]) -> usize {
    let mut ok = 0;
    for line in lines {
        let message = IRCMessage::parse(black_box(line)).ok().map(ServerMessage::try_from);
        ok += usize::from(matches!(message, Some(Ok(_))));
        let _ = black_box(message);
    }
    ok
}

/// shopcast's split reads no tag; to match twitch-irc's split, every tag value is unescaped here as well.
fn shopcast_split(lines: &[&str]) -> usize {
    let mut ok = 0;
    for line in lines {
        if let Ok(irc) = IrcLine::parse(black_box(line)) {
            for (key, value) in irc.tag_pairs() {
                black_box((key, unescape_tag(value)));
            }
            ok += 1;
            black_box(irc);
        }
    }
    ok
}

fn twitch_split(lines: &[&str]) -> usize {
    let mut ok = 0;
    for line in lines {
        let message = IRCMessage::parse(black_box(line));
        ok += usize::from(message.is_ok());
        let _ = black_box(message);
    }
    ok
}

type Pass = fn(&[&str]) -> usize;

/// Alternates the two parsers round by round (A B, then B A, ...) and prints lines/s and the ratio.
fn compare(corpus: &[&str], passes: usize, rounds: usize, parsers: [(&str, Pass); 2]) {
    for (_, pass) in parsers {
        black_box(pass(corpus)); // warm caches and allocator
    }
    let mut rates: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut accepted = [0usize; 2];
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for which in order {
            let started = Instant::now();
            let mut ok = 0;
            for _ in 0..passes {
                ok += parsers[which].1(corpus);
            }
            let seconds = started.elapsed().as_secs_f64();
            rates[which].push((passes * corpus.len()) as f64 / seconds);
            accepted[which] = ok / passes;
        }
    }
    let mut best = [0.0; 2];
    let mut median = [0.0; 2];
    for which in 0..2 {
        let mut sorted = rates[which].clone();
        sorted.sort_by(f64::total_cmp);
        best[which] = sorted[sorted.len() - 1];
        median[which] = sorted[sorted.len() / 2];
        println!(
            "{:<30} best {:>10.0} lines/s  median {:>10.0} lines/s  worst {:>10.0}  ({} of {} lines accepted per pass)",
            parsers[which].0,
            best[which],
            median[which],
            sorted[0],
            accepted[which],
            corpus.len()
        );
    }
    println!(
        "ratio shopcast/twitch-irc: best {:.2}x, median {:.2}x; per-round ratios (same round): {}",
        best[0] / best[1],
        median[0] / median[1],
        rates[0].iter().zip(&rates[1]).map(|(a, b)| format!("{:.2}", a / b)).collect::<Vec<_>>().join(" ")
    );
}

fn event_kind(event: &ChatEvent) -> String {
    match event {
        ChatEvent::Comment(_) => "Comment".into(),
        ChatEvent::DeleteComment { .. } => "DeleteComment".into(),
        ChatEvent::BanViewer(_) => "BanViewer".into(),
        ChatEvent::ClearChat { .. } => "ClearChat".into(),
        ChatEvent::Notice(_) => "Notice".into(),
        ChatEvent::Ping { .. } => "Ping".into(),
        ChatEvent::Reconnect => "Reconnect".into(),
        ChatEvent::ChatEnded => "ChatEnded".into(),
        ChatEvent::ServerNotice { .. } => "ServerNotice".into(),
        ChatEvent::Ignored { what } => format!("Ignored({what})"),
    }
}

fn server_kind(message: &ServerMessage) -> String {
    match message {
        ServerMessage::Generic(_) => format!("Generic({})", message.source().command),
        other => format!("{other:?}").split('(').next().unwrap_or("?").to_string(),
    }
}

/// twitch-irc's error messages repeat the whole line; this keeps only the reason.
fn refusal(e: &ServerMessageParseError) -> String {
    use ServerMessageParseError as E;
    match e {
        E::MismatchedCommand(_) => "command not handled".into(),
        E::MissingTag(_, key) => format!("no `{key}` tag"),
        E::MissingTagValue(_, key) => format!("`{key}` tag has no value"),
        E::MalformedTagValue(_, key, value) => format!("malformed `{key}` tag: {value:?}"),
        E::MissingParameter(_, n) => format!("no parameter {n}"),
        E::MalformedChannel(_) => "malformed channel parameter".into(),
        E::MalformedParameter(_, n) => format!("malformed parameter {n}"),
        E::MissingPrefix(_) => "no prefix".into(),
        E::MissingNickname(_) => "no nickname in the prefix".into(),
    }
}

fn tag<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    IrcLine::parse(line).ok()?.tag_pairs().find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// Counts what each parser makes of the lines; for real lines, explains every line either parser refuses.
fn acceptance(title: &str, lines: &[&str], explain: bool) {
    let mut ours: BTreeMap<String, usize> = BTreeMap::new();
    let mut theirs: BTreeMap<String, usize> = BTreeMap::new();
    let mut notes = Vec::new();
    let mut refusals: BTreeMap<String, usize> = BTreeMap::new();
    for (i, line) in lines.iter().enumerate() {
        let our = parse_line(line, UnixMs(0));
        let their = IRCMessage::parse(line)
            .map_err(|e| format!("IRC syntax: {e}"))
            .and_then(|m| ServerMessage::try_from(m).map_err(|e| refusal(&e)));
        *ours
            .entry(match &our {
                Ok(e) => format!("ok {}", event_kind(e)),
                Err(_) => "rejected".into(),
            })
            .or_default() += 1;
        *theirs
            .entry(match &their {
                Ok(m) => format!("ok {}", server_kind(m)),
                Err(_) => "rejected".into(),
            })
            .or_default() += 1;
        if let Err(e) = &their {
            *refusals.entry(format!("twitch-irc refuses: {e}")).or_default() += 1;
        }
        if let Err(e) = &our {
            *refusals.entry(format!("shopcast rejects: {e}")).or_default() += 1;
        }
        if explain && (our.is_err() || their.is_err()) {
            let command = IrcLine::parse(line).map(|l| l.command).unwrap_or("?");
            let missing: Vec<&str> =
                TWITCH_IRC_PRIVMSG_TAGS.into_iter().filter(|k| tag(line, k).is_none_or(str::is_empty)).collect();
            let our_text = match &our {
                Ok(ChatEvent::Comment(c)) => format!(
                    "accepted: Comment from user_id {:?} name {:?}, id {} ({}), time {} ({})",
                    c.user_id,
                    c.user_name,
                    c.id.0,
                    if tag(line, "id").is_some_and(|v| !v.is_empty()) {
                        "its id tag"
                    } else {
                        "made from user-id and time"
                    },
                    c.time.0,
                    if tag(line, "tmi-sent-ts").is_some() { "tmi-sent-ts" } else { "the receive time" },
                ),
                Ok(e) => format!("accepted: {}", event_kind(e)),
                Err(e) => format!("rejected: {e}"),
            };
            notes.push(format!(
                "  line {:>2} {command}: twitch-irc {}; its required PRIVMSG tags missing or empty: {}\n           shopcast {our_text}",
                i + 1,
                match &their {
                    Ok(m) => format!("accepted as {}", server_kind(m)),
                    Err(e) => format!("refuses ({e})"),
                },
                if missing.is_empty() { "none".into() } else { missing.join(", ") },
            ));
        }
    }
    let show = |m: &BTreeMap<String, usize>| m.iter().map(|(k, v)| format!("{k} {v}")).collect::<Vec<_>>().join(", ");
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    println!("{title}: {} lines, mean {:.0} bytes/line", lines.len(), bytes as f64 / lines.len().max(1) as f64);
    println!("  shopcast:   {}", show(&ours));
    println!("  twitch-irc: {}", show(&theirs));
    for (reason, n) in &refusals {
        println!("  {reason}: {n} lines");
    }
    for note in notes {
        println!("{note}");
    }
}

fn machine_notes(when: &str) {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!("machine at {when}: {cores} cores available, {cpu}; load average {}", load.trim());
}

/// A small deterministic generator (xorshift64*), so every run parses the same synthesised lines.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn uuid(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }
}

const WORDS: &[&str] = &[
    "how",
    "much",
    "is",
    "the",
    "thermal",
    "mug",
    "does",
    "it",
    "ship",
    "to",
    "Canada",
    "Kappa",
    "PogChamp",
    "LUL",
    "what",
    "size",
    "colour",
    "price",
    "discount",
    "code",
    "love",
    "this",
    "one",
    "can",
    "you",
    "show",
    "back",
    "again",
    "保温杯",
    "多少钱",
    "包邮吗",
    "颜色",
    "😂",
    "👍",
    "@host",
    "lol",
    "nice",
    "please",
    "link",
    "stock",
];
const LOGINS: &[&str] = &["viewer", "mug_fan", "nerixyz", "snoopy", "ronni", "cspice", "club_reg", "gunny_q", "tww2"];
const DISPLAY: &[&str] =
    &["Viewer", "Mug_Fan", "nerixyz", "SnoopyTheBot", "ronni", "cspice", "테스트계정420", "买家小王"];
const BADGES: &[&str] =
    &["", "subscriber/0", "subscriber/12,premium/1", "moderator/1,subscriber/24", "vip/1,bits/100", "broadcaster/1"];

fn text(rng: &mut Rng) -> String {
    let n = 1 + rng.below(20) as usize;
    (0..n).map(|_| rng.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

/// The user tags Twitch puts on PRIVMSG and USERNOTICE, in its alphabetical order.
fn user_tags(rng: &mut Rng, extra: &str, ts: u64) -> (String, String) {
    let login = rng.pick(LOGINS);
    let display = rng.pick(DISPLAY);
    let badges = rng.pick(BADGES);
    let months = 1 + rng.below(40);
    let tags = format!(
        "badge-info={};badges={badges};color=#{:06X};display-name={display};emotes=;first-msg={};flags=;id={};mod={};\
         returning-chatter=0;room-id=36340781;subscriber={};tmi-sent-ts={ts};turbo=0;user-id={};user-type={extra}",
        if badges.contains("subscriber") { format!("subscriber/{months}") } else { String::new() },
        rng.below(0x100_0000),
        u8::from(rng.below(20) == 0),
        rng.uuid(),
        u8::from(badges.contains("moderator")),
        u8::from(badges.contains("subscriber")),
        100_000 + rng.below(900_000_000),
    );
    (tags, login.to_string())
}

/// Lines in the fixture's shapes, in rough live-chat proportions (mostly comments).
fn synthesise(count: usize) -> Vec<String> {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let mut ts = 1_764_000_000_000u64;
    (0..count)
        .map(|_| {
            ts += rng.below(400);
            let kind = rng.below(100);
            let (tags, login) = user_tags(&mut rng, "", ts);
            let prefix = format!(":{login}!{login}@{login}.tmi.twitch.tv");
            match kind {
                0..=69 => format!("@{tags} {prefix} PRIVMSG #shop :{}", text(&mut rng)),
                70..=77 => format!(
                    "@{tags};reply-parent-display-name=Viewer;reply-parent-msg-body=how\\smuch?;reply-parent-msg-id={};\
                     reply-parent-user-id=136881249;reply-parent-user-login=viewer {prefix} PRIVMSG #shop :@Viewer {}",
                    rng.uuid(),
                    text(&mut rng)
                ),
                78..=81 => {
                    let bits = 1 + rng.below(500);
                    format!("@bits={bits};{tags} {prefix} PRIVMSG #shop :Cheer{bits} {}", text(&mut rng))
                }
                82..=84 => format!("@{tags} {prefix} PRIVMSG #shop :\u{1}ACTION {}\u{1}", text(&mut rng)),
                85..=89 => {
                    let months = 2 + rng.below(30);
                    let words = if rng.below(2) == 0 { format!(" :{}", text(&mut rng)) } else { String::new() };
                    format!(
                        "@{tags};login={login};msg-id=resub;msg-param-cumulative-months={months};msg-param-months=0;\
                         msg-param-multimonth-duration=1;msg-param-multimonth-tenure=0;msg-param-should-share-streak=0;\
                         msg-param-sub-plan-name=Channel\\sSubscription\\s(shop);msg-param-sub-plan=1000;\
                         msg-param-was-gifted=false;system-msg={login}\\ssubscribed\\sat\\sTier\\s1.\\sThey've\\ssubscribed\\sfor\\s{months}\\smonths! \
                         :tmi.twitch.tv USERNOTICE #shop{words}"
                    )
                }
                90..=92 => format!(
                    "@login={login};room-id=36340781;target-msg-id={};tmi-sent-ts={ts} :tmi.twitch.tv CLEARMSG #shop :{}",
                    rng.uuid(),
                    text(&mut rng)
                ),
                93..=95 => format!(
                    "@ban-duration={};room-id=36340781;target-user-id={};tmi-sent-ts={ts} :tmi.twitch.tv CLEARCHAT #shop {login}",
                    60 * (1 + rng.below(10)),
                    100_000 + rng.below(900_000_000)
                ),
                96..=97 => "PING :tmi.twitch.tv".to_string(),
                _ => "@emote-only=0;followers-only=-1;r9k=0;room-id=36340781;slow=0;subs-only=0 :tmi.twitch.tv ROOMSTATE #shop"
                    .to_string(),
            }
        })
        .collect()
}
