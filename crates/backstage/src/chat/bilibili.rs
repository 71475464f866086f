//! Bilibili danmaku XML (`<i><d p="...">text</d></i>`) into comments, keeping what was read when a file is cut
//! short or malformed.
//!
//! The `p` attribute is `offset,mode,size,colour,sent_unix_s,pool,user_hash,dmid[,weight...]`. Only the sent time,
//! the user hash and the id matter here; a `p` that is missing or short still yields the comment, with a warning
//! and an id made from its line.

use model::{Comment, CommentFlags, CommentId, Diagnostic, Platform, UnixMs};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The comments read, and the problems found, each with its 1-based line.
pub fn parse(text: &str) -> (Vec<(usize, Comment)>, Vec<Diagnostic>) {
    let line_of = |offset: usize| text.get(..offset.min(text.len())).map_or(1, |t| t.matches('\n').count() + 1);
    let mut reader = Reader::from_str(text);
    // Truncated files nest a second <d> inside an unclosed one; names are checked by hand instead.
    reader.config_mut().check_end_names = false;
    let mut comments = Vec::new();
    let mut problems = Vec::new();
    // The <d> being read: its line, its p attribute and its text so far.
    let mut open: Option<(usize, String, String)> = None;
    let mut depth = 0usize;
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Err(e) => {
                let line = line_of(reader.error_position() as usize);
                if let Some(d) = open.take() {
                    finish(d, &mut comments, &mut problems);
                }
                problems.push(Diagnostic::error(
                    "",
                    line,
                    1,
                    format!("the XML is malformed here: {e}; the {} comments before it are kept", comments.len()),
                ));
                break;
            }
            Ok(Event::Start(start)) => {
                depth += 1;
                if start.name().as_ref() == "d" {
                    if let Some(d) = open.take() {
                        let line = d.0;
                        finish(d, &mut comments, &mut problems);
                        problems.push(Diagnostic::warning(
                            "",
                            line,
                            1,
                            "this <d> is not closed before the next one starts; its text is kept up to there",
                        ));
                        depth = depth.saturating_sub(1);
                    }
                    let p = start
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == "p")
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok().map(|v| v.into_owned())
                        })
                        .unwrap_or_default();
                    open = Some((line_of(before), p, String::new()));
                }
            }
            Ok(Event::Empty(_)) => {}
            Ok(Event::Text(t)) => {
                if let Some((_, _, body)) = open.as_mut() {
                    body.push_str(&t.xml10_content());
                }
            }
            Ok(Event::CData(c)) => {
                if let Some((_, _, body)) = open.as_mut() {
                    body.push_str(&c.xml10_content());
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Some((_, _, body)) = open.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => body.push(c),
                        _ => body.push_str(match &*r {
                            "lt" => "<",
                            "gt" => ">",
                            "amp" => "&",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "\u{fffd}",
                        }),
                    }
                }
            }
            Ok(Event::End(end)) => {
                depth = depth.saturating_sub(1);
                if end.name().as_ref() == "d" {
                    if let Some(d) = open.take() {
                        finish(d, &mut comments, &mut problems);
                    }
                } else if let Some(d) = open.take() {
                    let line = d.0;
                    finish(d, &mut comments, &mut problems);
                    problems.push(Diagnostic::warning("", line, 1, "this <d> is never closed; its text is kept"));
                }
            }
            Ok(Event::Eof) => {
                if let Some(d) = open.take() {
                    let line = d.0;
                    finish(d, &mut comments, &mut problems);
                    problems.push(Diagnostic::error("", line, 1, "the file ends inside this <d>; it looks cut short"));
                } else if depth > 0 {
                    problems.push(Diagnostic::error(
                        "",
                        line_of(text.len()),
                        1,
                        format!(
                            "the file ends before <i> is closed; it looks cut short (the {} comments read are kept)",
                            comments.len()
                        ),
                    ));
                }
                break;
            }
            Ok(_) => {}
        }
    }
    (comments, problems)
}

/// Turns a finished `<d>` into a comment, or into a problem on its line.
fn finish(open: (usize, String, String), comments: &mut Vec<(usize, Comment)>, problems: &mut Vec<Diagnostic>) {
    let (line, p, body) = open;
    match danmaku(line, &p, body) {
        Ok((comment, warning)) => {
            if let Some(w) = warning {
                problems.push(Diagnostic::warning("", line, 1, w));
            }
            comments.push((line, comment));
        }
        Err(reason) => problems.push(Diagnostic::error("", line, 1, reason)),
    }
}

/// One danmaku from its `p` attribute and text; the warning says what had to be guessed.
fn danmaku(line: usize, p: &str, body: String) -> Result<(Comment, Option<String>), String> {
    let text = body.trim().to_string();
    if text.is_empty() {
        return Err("this <d> has no text".into());
    }
    let fields: Vec<&str> = p.split(',').map(str::trim).collect();
    let sent = fields.get(4).and_then(|s| s.parse::<i64>().ok());
    let user = fields.get(6).filter(|u| !u.is_empty());
    let dmid = fields.get(7).filter(|d| !d.is_empty());
    let warning = match (sent, user, dmid) {
        (Some(_), Some(_), Some(_)) => None,
        _ => Some(format!(
            "p=\"{p}\" lacks the send time, user or id (expected 8 comma-separated fields); they are left unknown"
        )),
    };
    Ok((
        Comment {
            platform: Platform::Bilibili,
            id: CommentId(dmid.map_or_else(|| format!("line-{line}"), |d| d.to_string())),
            user_id: user.map_or_else(String::new, |u| u.to_string()),
            user_name: user.map_or_else(String::new, |u| u.to_string()),
            text,
            time: UnixMs(sent.unwrap_or(0).saturating_mul(1000)),
            paid: None,
            flags: CommentFlags::default(),
        },
        warning,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_file_keeps_every_comment_and_names_the_broken_line() {
        let xml = "<?xml version=\"1.0\"?><i>\n<d p=\"0,1,25,1,1296965347,0,c4c06db0,14089276\">路过</d>\n\
                   <d p=\"3,1,25,1,1299993365,0,Dea1a7cd,18515460\">音响坏了？\n\
                   <d p=\"4,1,25,1,1309012585,0,D75a006c,32875515\">G_&lt;</d>\n</i>";
        let (comments, problems) = parse(xml);
        let texts: Vec<&str> = comments.iter().map(|(_, c)| c.text.as_str()).collect();
        assert_eq!(texts, ["路过", "音响坏了？", "G_<"]);
        assert_eq!(comments[0].1.time, UnixMs(1_296_965_347_000));
        assert_eq!(comments[0].1.user_id, "c4c06db0");
        assert_eq!(comments[0].1.id, CommentId("14089276".into()));
        assert!(problems.iter().any(|d| d.line == 3), "{problems:?}");
    }

    #[test]
    fn cut_off_mid_tag_is_an_error_that_keeps_what_was_read() {
        let (comments, problems) = parse("<i><d p=\"0,1,25,1,5,0,u,1\">a</d><d p=\"0,1");
        assert_eq!(comments.len(), 1);
        assert!(problems.iter().any(Diagnostic::is_error));
    }
}
