//! Twitch IRC lines with IRCv3 tags, parsed into [`ChatEvent`]s without panicking on any input.
//!
//! Parsing is in two steps: [`IrcLine::parse`] splits a line into borrowed tags, prefix, command and parameters
//! (no allocation), and [`to_event`] reads the Twitch tags it needs in one pass over them and builds the owned
//! event. Twitch omits tags freely (historical lines, other servers), so only what a comment cannot exist without
//! is required: a sender (user-id or the prefix's login) and the text.

use super::{BanViewer, ChatEvent, Notice, NoticeKind};
use model::{Comment, CommentFlags, CommentId, Currency, Money, Platform, UnixMs};
use std::borrow::Cow;

/// One IRC line, split but not interpreted. Everything borrows from the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IrcLine<'a> {
    /// The raw tag block without the leading `@` (empty when absent).
    pub tags: &'a str,
    /// The prefix without the leading `:` (`nick!user@host` or a server name).
    pub prefix: Option<&'a str>,
    pub command: &'a str,
    /// The middle parameters, space separated (the channel, usually).
    pub middle: &'a str,
    /// The trailing parameter after ` :`, the message text.
    pub trailing: Option<&'a str>,
}

impl<'a> IrcLine<'a> {
    /// Splits one line (without or with its CR LF). The error says what is missing.
    pub fn parse(line: &'a str) -> Result<IrcLine<'a>, &'static str> {
        let mut rest = line.trim_end_matches(['\r', '\n']);
        if rest.trim().is_empty() {
            return Err("the line is empty");
        }
        let mut tags = "";
        if let Some(after) = rest.strip_prefix('@') {
            let (t, r) = after.split_once(' ').ok_or("the line has tags but no command after them")?;
            tags = t;
            rest = r.trim_start_matches(' ');
        }
        let mut prefix = None;
        if let Some(after) = rest.strip_prefix(':') {
            let (p, r) = after.split_once(' ').ok_or("the line has a prefix but no command after it")?;
            prefix = Some(p);
            rest = r.trim_start_matches(' ');
        }
        let (head, trailing) = match rest.find(" :") {
            Some(at) => (rest.get(..at).unwrap_or(""), rest.get(at + 2..)),
            None => match rest.strip_prefix(':') {
                Some(t) => ("", Some(t)),
                None => (rest, None),
            },
        };
        let (command, middle) = match head.split_once(' ') {
            Some((c, m)) => (c, m.trim()),
            None => (head, ""),
        };
        if command.is_empty() || !command.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err("the line has no IRC command (a word such as PRIVMSG or a three-digit number)");
        }
        Ok(IrcLine { tags, prefix, command, middle, trailing })
    }

    /// The login in a `nick!user@host` prefix.
    pub fn login(&self) -> Option<&'a str> {
        let prefix = self.prefix?;
        let nick = prefix.split(['!', '@']).next().unwrap_or("");
        (!nick.is_empty() && prefix.contains('!')).then_some(nick)
    }

    /// Every tag as a (key, raw value) pair, in order.
    pub fn tag_pairs(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.tags.split(';').filter(|t| !t.is_empty()).map(|t| t.split_once('=').unwrap_or((t, "")))
    }
}

/// Undoes IRCv3 tag escaping: `\s` space, `\:` semicolon, `\\` backslash, `\r`, `\n`; a lone trailing `\` drops.
pub fn unescape_tag(value: &str) -> Cow<'_, str> {
    if !value.contains('\\') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('s') => out.push(' '),
            Some(':') => out.push(';'),
            Some('r') => out.push('\r'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

/// The Twitch tags a comment uses, read in one pass.
#[derive(Default)]
struct Tags<'a> {
    id: &'a str,
    user_id: &'a str,
    login: &'a str,
    display_name: &'a str,
    badges: &'a str,
    bits: &'a str,
    first_msg: bool,
    moderator: bool,
    subscriber: bool,
    reply_parent: &'a str,
    sent_ts: &'a str,
    paid_amount: &'a str,
    paid_currency: &'a str,
    paid_exponent: &'a str,
    msg_id: &'a str,
    system_msg: &'a str,
    target_user_id: &'a str,
    target_msg_id: &'a str,
    ban_duration: &'a str,
}

impl<'a> Tags<'a> {
    fn read(line: &IrcLine<'a>) -> Tags<'a> {
        let mut tags = Tags::default();
        for (key, value) in line.tag_pairs() {
            match key {
                "id" => tags.id = value,
                "user-id" => tags.user_id = value,
                "login" => tags.login = value,
                "display-name" => tags.display_name = value,
                "badges" => tags.badges = value,
                "bits" => tags.bits = value,
                "first-msg" => tags.first_msg = value == "1",
                "mod" => tags.moderator = value == "1",
                "subscriber" => tags.subscriber = value == "1",
                "reply-parent-msg-id" => tags.reply_parent = value,
                "tmi-sent-ts" => tags.sent_ts = value,
                "pinned-chat-paid-amount" => tags.paid_amount = value,
                "pinned-chat-paid-currency" => tags.paid_currency = value,
                "pinned-chat-paid-exponent" => tags.paid_exponent = value,
                "msg-id" => tags.msg_id = value,
                "system-msg" => tags.system_msg = value,
                "target-user-id" => tags.target_user_id = value,
                "target-msg-id" => tags.target_msg_id = value,
                "ban-duration" => tags.ban_duration = value,
                _ => {}
            }
        }
        tags
    }

    fn has_badge(&self, name: &str) -> bool {
        self.badges.split(',').any(|b| b.split('/').next() == Some(name))
    }

    /// Bits (1 bit is one US cent) or a Hype Chat amount, whichever the line carries.
    fn paid(&self) -> Option<Money> {
        if let Ok(bits) = self.bits.parse::<i64>()
            && bits > 0
        {
            return Some(Money { minor: bits, currency: Currency::parse("USD")? });
        }
        let amount: i64 = self.paid_amount.parse().ok().filter(|a| *a > 0)?;
        let currency = Currency::parse(self.paid_currency)?;
        let exponent: u32 = self.paid_exponent.parse().unwrap_or(currency.minor_digits());
        let digits = currency.minor_digits();
        let minor = if digits >= exponent {
            amount.checked_mul(10i64.checked_pow(digits - exponent)?)?
        } else {
            amount / 10i64.checked_pow(exponent - digits)?
        };
        Some(Money { minor, currency })
    }
}

/// Reads one Twitch IRC line into an event. `received` stamps lines that carry no `tmi-sent-ts`.
pub fn parse_line(line: &str, received: UnixMs) -> Result<ChatEvent, String> {
    let irc = IrcLine::parse(line).map_err(str::to_string)?;
    to_event(&irc, received)
}

/// Interprets a split line as a Twitch event.
pub fn to_event(irc: &IrcLine<'_>, received: UnixMs) -> Result<ChatEvent, String> {
    match irc.command {
        "PRIVMSG" => {
            let text = irc.trailing.ok_or("PRIVMSG has no message text (nothing after \" :\")")?;
            let tags = Tags::read(irc);
            comment(irc, &tags, strip_action(text), received).map(ChatEvent::Comment)
        }
        "USERNOTICE" => {
            let tags = Tags::read(irc);
            let kind = match tags.msg_id {
                "sub"
                | "resub"
                | "subgift"
                | "submysterygift"
                | "giftpaidupgrade"
                | "primepaidupgrade"
                | "anongiftpaidupgrade" => NoticeKind::Subscription,
                "raid" => NoticeKind::Raid,
                "announcement" => NoticeKind::Announcement,
                _ => NoticeKind::Other,
            };
            // A resub or announcement may carry the viewer's own words: those are a comment like any other.
            if let Some(text) = irc.trailing.filter(|t| !t.trim().is_empty()) {
                let mut c = comment(irc, &tags, text, received)?;
                c.flags.subscriber |= kind == NoticeKind::Subscription;
                return Ok(ChatEvent::Comment(c));
            }
            let user_name = name_of(irc, &tags);
            Ok(ChatEvent::Notice(Notice {
                platform: Platform::Twitch,
                kind,
                user_id: tags.user_id.to_string(),
                user_name,
                text: unescape_tag(tags.system_msg).trim().to_string(),
            }))
        }
        "CLEARCHAT" => {
            let tags = Tags::read(irc);
            // Twitch sends the login as the trailing parameter; some logs write it as a second middle one.
            let target = irc.trailing.or_else(|| irc.middle.split_whitespace().nth(1));
            match target.map(str::trim).filter(|t| !t.is_empty()) {
                Some(login) => Ok(ChatEvent::BanViewer(BanViewer {
                    platform: Platform::Twitch,
                    user_id: if tags.target_user_id.is_empty() {
                        login.to_string()
                    } else {
                        tags.target_user_id.to_string()
                    },
                    user_name: login.to_string(),
                    duration_secs: tags.ban_duration.parse().ok(),
                })),
                None => Ok(ChatEvent::ClearChat { platform: Platform::Twitch }),
            }
        }
        "CLEARMSG" => {
            let tags = Tags::read(irc);
            if tags.target_msg_id.is_empty() {
                return Err("CLEARMSG has no target-msg-id tag, so the deleted comment is unknown".into());
            }
            Ok(ChatEvent::DeleteComment { platform: Platform::Twitch, id: CommentId(tags.target_msg_id.to_string()) })
        }
        "PING" => Ok(ChatEvent::Ping { token: irc.trailing.unwrap_or(irc.middle).to_string() }),
        "RECONNECT" => Ok(ChatEvent::Reconnect),
        "NOTICE" => Ok(ChatEvent::ServerNotice { text: irc.trailing.unwrap_or("").to_string() }),
        other => Ok(ChatEvent::Ignored { what: other.to_string() }),
    }
}

/// CTCP ACTION ("/me waves") arrives as `\x01ACTION waves\x01`; the viewer's words are "waves".
fn strip_action(text: &str) -> &str {
    match text.strip_prefix("\u{1}ACTION ") {
        Some(rest) => rest.strip_suffix('\u{1}').unwrap_or(rest),
        None => text,
    }
}

fn name_of(irc: &IrcLine<'_>, tags: &Tags<'_>) -> String {
    let display = unescape_tag(tags.display_name);
    let display = display.trim();
    if !display.is_empty() {
        return display.to_string();
    }
    irc.login().or(Some(tags.login).filter(|l| !l.is_empty())).unwrap_or("").to_string()
}

fn comment(irc: &IrcLine<'_>, tags: &Tags<'_>, text: &str, received: UnixMs) -> Result<Comment, String> {
    let login = irc.login().or(Some(tags.login).filter(|l| !l.is_empty()));
    let user_id = match (tags.user_id, login) {
        (id, _) if !id.is_empty() => id.to_string(),
        (_, Some(login)) => login.to_string(),
        _ => return Err("the message names no sender (no user-id tag and no login in the prefix)".into()),
    };
    let time = tags.sent_ts.parse::<i64>().map(UnixMs).unwrap_or(received);
    // Lines without an id (other servers, old logs) get one from sender and time, stable across re-imports.
    let id = if tags.id.is_empty() { format!("{user_id}-{}", time.0) } else { tags.id.to_string() };
    let moderator = tags.moderator || tags.has_badge("moderator") || tags.has_badge("broadcaster");
    Ok(Comment {
        platform: Platform::Twitch,
        id: CommentId(id),
        user_name: name_of(irc, tags),
        user_id,
        text: text.to_string(),
        time,
        paid: tags.paid(),
        flags: CommentFlags {
            first_message: tags.first_msg,
            moderator,
            subscriber: tags.subscriber || tags.has_badge("subscriber") || tags.has_badge("founder"),
            member: false,
            reply_to: (!tags.reply_parent.is_empty()).then(|| CommentId(tags.reply_parent.to_string())),
            returning: false,
            paid_amount_text: None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_privmsg_becomes_a_comment_with_flags_and_bits() {
        let line = "@badge-info=;badges=moderator/1,bits/1;bits=10;display-name=EXDE\\sHUN;first-msg=1;id=abc;\
                    reply-parent-msg-id=parent;tmi-sent-ts=1566654664248;user-id=129793695 \
                    :exde_hun!exde_hun@exde_hun.tmi.twitch.tv PRIVMSG #shop :PogChamp10 how much?\r\n";
        let Ok(ChatEvent::Comment(c)) = parse_line(line, UnixMs(0)) else { panic!("a comment") };
        assert_eq!(c.id, CommentId("abc".into()));
        assert_eq!(c.user_id, "129793695");
        assert_eq!(c.user_name, "EXDE HUN");
        assert_eq!(c.text, "PogChamp10 how much?");
        assert_eq!(c.time, UnixMs(1_566_654_664_248));
        assert_eq!(c.paid.as_ref().map(|m| (m.minor, m.currency.code().to_string())), Some((10, "USD".into())));
        assert!(c.flags.first_message && c.flags.moderator);
        assert_eq!(c.flags.reply_to, Some(CommentId("parent".into())));
    }

    #[test]
    fn moderation_lines_become_deletions_bans_and_clears() {
        let ban = "@ban-duration=600;target-user-id=141981764 :tmi.twitch.tv CLEARCHAT #shop twitchdev";
        assert!(
            matches!(parse_line(ban, UnixMs(0)), Ok(ChatEvent::BanViewer(b)) if b.user_id == "141981764" && b.duration_secs == Some(600))
        );
        assert!(matches!(parse_line(":tmi.twitch.tv CLEARCHAT #shop", UnixMs(0)), Ok(ChatEvent::ClearChat { .. })));
        let del = "@login=x;target-msg-id=ee43 :tmi.twitch.tv CLEARMSG #shop :bad words";
        assert!(matches!(parse_line(del, UnixMs(0)), Ok(ChatEvent::DeleteComment { id, .. }) if id.0 == "ee43"));
        assert_eq!(parse_line("PING :tmi.twitch.tv", UnixMs(0)), Ok(ChatEvent::Ping { token: "tmi.twitch.tv".into() }));
        assert_eq!(parse_line(":tmi.twitch.tv RECONNECT", UnixMs(0)), Ok(ChatEvent::Reconnect));
    }

    #[test]
    fn broken_lines_are_rejected_with_a_reason() {
        for bad in [
            "",
            "@tags-only",
            ":prefix-only",
            "@a=b :p",
            "@a=b :p!u@h PRIVMSG #c",
            ":p!u@h PRI-VMSG #c :x",
            "@k :tmi CLEARMSG #c",
        ] {
            assert!(parse_line(bad, UnixMs(0)).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn hype_chat_amounts_convert_to_the_currency_minor_unit() {
        let line = "@pinned-chat-paid-amount=500;pinned-chat-paid-currency=JPY;pinned-chat-paid-exponent=2;user-id=1 :a!a@a PRIVMSG #c :hi";
        let Ok(ChatEvent::Comment(c)) = parse_line(line, UnixMs(0)) else { panic!("a comment") };
        assert_eq!(c.paid.map(|m| m.minor), Some(5));
    }
}
