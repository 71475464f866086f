//! Shop descriptions written in HTML (Shopify's "Body (HTML)", WooCommerce's descriptions), turned into the plain
//! text the host reads and captions.
//!
//! This is deliberately small: product descriptions are fragments of simple markup, not documents, so tags are
//! dropped, block ends become line breaks, entities are decoded and whitespace is collapsed. Script and style
//! contents are dropped entirely so no code ever reaches a caption.

/// Plain text of an HTML fragment: tags removed, entities decoded, runs of spaces collapsed, one line per block.
pub fn to_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let (before, from_tag) = rest.split_at(lt);
        decode_entities_into(before, &mut raw);
        if let Some(after_comment) = from_tag.strip_prefix("<!--") {
            rest = after_comment.find("-->").and_then(|end| after_comment.get(end + 3..)).unwrap_or("");
            continue;
        }
        let Some(gt) = from_tag.find('>') else {
            // A lone "<" (as in "price < 20") is text, not a tag.
            decode_entities_into(from_tag, &mut raw);
            rest = "";
            break;
        };
        let tag = from_tag.get(1..gt).unwrap_or("");
        rest = from_tag.get(gt + 1..).unwrap_or("");
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.is_empty() {
            // "<" followed by something that is not a tag name, such as "< 20 >": keep it as written.
            if !tag.starts_with(['/', '!', '?']) {
                raw.push('<');
                decode_entities_into(tag, &mut raw);
                raw.push('>');
            }
            continue;
        }
        if (name == "script" || name == "style") && !tag.starts_with('/') {
            let closing = format!("</{name}");
            rest = find_ignore_case(rest, &closing)
                .and_then(|at| rest.get(at..))
                .and_then(|from| from.find('>').and_then(|gt| from.get(gt + 1..)))
                .unwrap_or("");
            continue;
        }
        if is_block(&name) {
            raw.push('\n');
        } else if name == "li" || name == "td" || name == "th" {
            raw.push(' ');
        }
    }
    decode_entities_into(rest, &mut raw);
    collapse(&raw)
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "section"
            | "article"
            | "hr"
            | "dd"
            | "dt"
            | "pre"
    )
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// Collapses spaces within each line and drops empty lines.
fn collapse(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for line in raw.split('\n') {
        let mut words = line.split_whitespace().peekable();
        if words.peek().is_none() {
            continue;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Appends `text` with its character and entity references decoded. An unknown or unterminated reference stays
/// as written, as browsers do.
pub fn decode_entities_into(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        let (before, from_amp) = rest.split_at(amp);
        out.push_str(before);
        // Entity names are short; a ";" far away belongs to the text, not to this "&".
        let decoded = from_amp.get(1..).and_then(|after| {
            let end = after.find(';').filter(|end| *end <= 10)?;
            Some((decode_reference(after.get(..end)?)?, end))
        });
        match decoded {
            Some((decoded, end)) => {
                out.push_str(&decoded);
                rest = from_amp.get(end + 2..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = from_amp.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

/// Decodes the entity references that plain text in a shop description actually uses.
fn decode_reference(name: &str) -> Option<String> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        // A non-breaking space is a plain space to the host.
        return char::from_u32(code).map(|c| if c == '\u{a0}' { ' ' } else { c }.to_string());
    }
    let text = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "bull" => "•",
        "middot" => "·",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "deg" => "°",
        "times" => "×",
        "divide" => "÷",
        "plusmn" => "±",
        "frac12" => "½",
        "frac14" => "¼",
        "frac34" => "¾",
        "yen" => "¥",
        "euro" => "€",
        "pound" => "£",
        "cent" => "¢",
        "sup2" => "²",
        "sup3" => "³",
        "micro" => "µ",
        "eacute" => "é",
        "egrave" => "è",
        "agrave" => "à",
        "ccedil" => "ç",
        "uuml" => "ü",
        "ouml" => "ö",
        "auml" => "ä",
        "szlig" => "ß",
        _ => return None,
    };
    Some(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_tags_and_decodes_entities() {
        assert_eq!(
            to_text("<p>This t-shirt is <b>simple</b> &amp; comfy.</p><p>Made&nbsp;here.</p>"),
            "This t-shirt is simple & comfy.\nMade here."
        );
        assert_eq!(to_text("<ul><li>Cotton</li><li>Machine wash</li></ul>"), "Cotton\nMachine wash");
        assert_eq!(to_text("Line one<br/>Line two<br>"), "Line one\nLine two");
        assert_eq!(to_text("&#47; &#x4E2D; &rsquo;s &unknown; & more"), "/ 中 ’s &unknown; & more");
    }

    #[test]
    fn drops_scripts_styles_and_comments_and_keeps_a_lone_angle_bracket() {
        assert_eq!(to_text("<style>p{color:red}</style>Hi<!-- note --><SCRIPT>alert(1)</SCRIPT> there"), "Hi there");
        assert_eq!(to_text("price < 20"), "price < 20");
        assert_eq!(to_text("a < 20 > b"), "a < 20 > b");
        assert_eq!(to_text("<p>unclosed <b"), "unclosed <b");
        assert_eq!(to_text("<script>never closed"), "");
        assert_eq!(to_text("&#xFFFFFFFF; &#;"), "&#xFFFFFFFF; &#;");
    }
}
