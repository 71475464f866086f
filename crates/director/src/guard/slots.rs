//! Slots as models write them (`{ Price }`, `{{price}}`), normalised, and the slot names a sentence uses.

/// `{ Price }` and `{{price}}` to `{price}`: models add spaces, capitals and doubled braces.
pub(super) fn normalise_slots(text: &str) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let text = text.replace("{{", "{").replace("}}", "}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let (before, after_open) = rest.split_at(open);
        out.push_str(before);
        let inner_and_more = &after_open[1..];
        match inner_and_more.find('}') {
            Some(close) if close <= 32 => {
                let name = inner_and_more[..close].trim().to_ascii_lowercase();
                out.push('{');
                out.push_str(&name);
                out.push('}');
                rest = &inner_and_more[close + 1..];
            }
            _ => {
                out.push('{');
                rest = inner_and_more;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The slot names in `text`, in order.
pub(super) fn slot_names(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}
