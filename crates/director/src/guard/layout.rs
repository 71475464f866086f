//! What a chat model lays out for a screen, turned into a line for the ear before the checks read it: a leading
//! quote sign ("> "), bold and italic markers around words (`**US$30**`, `__free__`, `*only*`), the numbers of a list
//! written on one line ("1) ¥199 2) was ¥259", "1）30美元 2）原价40美元", a thread's "1/ Kettle 2/ $30"), field labels
//! (【价格】30美元), and hashtags ("#teaset #handthrown ¥199"). None of them says anything: a marker or a tag left in
//! would be read aloud or refused as markup, and a list number would be read as an amount or a count that no fact
//! backs. Only these layouts are taken out; anything else that looks like markup (HTML tags, code, links, headings,
//! "#1") is still refused as it was.

/// The line without its hashtags, emphasis markers and list numbers, when it had any (`None`: nothing to take out).
pub(super) fn spoken_layout(text: &str) -> Option<String> {
    // A line quoted or prompted with a leading "> " (a blockquote, a text game's prompt) is said without the sign.
    if let Some(quoted) = text.strip_prefix("> ")
        && quoted.chars().any(char::is_alphanumeric)
    {
        let quoted = quoted.trim_start();
        return Some(spoken_layout(quoted).unwrap_or_else(|| quoted.to_string()));
    }
    let table = table_as_list(text);
    let text = table.as_deref().unwrap_or(text);
    let plain = without_keycaps(text).or(table.clone());
    let plain = without_stage_notes(plain.as_deref().unwrap_or(text)).or(plain);
    let plain = with_pauses_for_signs(plain.as_deref().unwrap_or(text)).or(plain);
    let plain = without_paired_tags(plain.as_deref().unwrap_or(text)).or(plain);
    let untagged = without_hashtags(plain.as_deref().unwrap_or(text)).or(plain);
    let text = untagged.as_deref().unwrap_or(text);
    let unmarked = without_emphasis(text);
    let unlisted = without_list_numbers(unmarked.as_deref().unwrap_or(text));
    unlisted.or(unmarked).or(untagged)
}

/// A markdown table squeezed onto one line, "| Item | Price | Stock | — | Kettle | $30 | 12 |", said as its rows
/// with each value after its heading: "Item: Kettle, Price: $30, Stock: 12." (so "Stock: 3" is read as the stock
/// count it is). Cells are split at the pipes; a rule of dashes ("---", "—") ends the header. Without a header that
/// fits the cells after it, the cells are said as a list. `None` unless the line opens and closes on a pipe with
/// three cells or more.
fn table_as_list(text: &str) -> Option<String> {
    let inner = text.trim().strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<&str> = inner.split('|').map(str::trim).filter(|c| !c.is_empty()).collect();
    if cells.len() < 3 {
        return None;
    }
    let rule = |c: &str| c.chars().all(|ch| matches!(ch, '-' | '—' | '–' | ':' | ' '));
    let header: Vec<&str> = cells.iter().copied().take_while(|c| !rule(c)).collect();
    let body: Vec<&str> = cells[header.len()..].iter().copied().filter(|c| !rule(c)).collect();
    let fits = !header.is_empty() && header.len() < cells.len() && !body.is_empty();
    let rows: Vec<String> = if fits && body.len().is_multiple_of(header.len()) {
        body.chunks(header.len())
            .map(|row| header.iter().zip(row).map(|(h, v)| format!("{h}: {v}")).collect::<Vec<_>>().join(", "))
            .collect()
    } else {
        vec![cells.iter().copied().filter(|c| !rule(c)).collect::<Vec<_>>().join(", ")]
    };
    Some(format!("{}.", rows.join(". ")))
}

/// What the host does with a body, written as a stage direction: "*takes a sip of water*", "[clears throat]",
/// "(holds up the pot)", （喝了一口水）. An AI host has no hands or throat, so such a note is a claim to be a person,
/// whatever the words around it say. Smiles, nods, waves and laughs are not here: the drawn host does them.
pub(super) fn body_in_stage_note(text: &str) -> bool {
    const BODY: &[&str] = &[
        "sip",
        "drink",
        "clears throat",
        "clears her throat",
        "clears his throat",
        "clear throat",
        "cough",
        "sneeze",
        "yawn",
        "stretches",
        "eats",
        "eating",
        "bites",
        "chews",
        "taste",
        "smells",
        "sniff",
        "pours",
        "pouring",
        "holds up",
        "holding up",
        "picks up",
        "picking up",
        "lifts",
        "lifting",
        "touches",
        "touching",
        "knocks on",
        "glasses",
        "fixes her hair",
        "fixes his hair",
        "scratches",
        "wipes",
        "blows on",
        "unbox",
        "opens the box",
        "rubs",
        "puts on",
        "takes off",
        "runs a finger",
        "hugs",
        "喝了一口",
        "喝一口",
        "喝口水",
        "抿了一口",
        "清了清嗓子",
        "清嗓子",
        "咳了",
        "拿起",
        "举起",
        "端起",
        "摸了摸",
        "闻了闻",
        "尝了一口",
        "倒了杯",
        "拆开",
        "懒腰",
        "哈欠",
        "推了推眼镜",
    ];
    // A note is a stage direction when it is short: a few words, no sentence of its own.
    stage_notes(text).iter().any(|note| {
        let lower = note.to_lowercase();
        let short = lower.split_whitespace().count() <= 8 && lower.chars().count() <= 48;
        short && BODY.iter().any(|b| lower.contains(b))
    })
}

/// The notes of a text written as stage directions: between square brackets, between single asterisks, or between
/// round brackets when they hold no digit (a bracketed figure, "(199 蚊人民幣)", is part of what is said).
fn stage_notes(text: &str) -> Vec<&str> {
    let mut notes = Vec::new();
    for (open, close) in [('[', ']'), ('【', '】'), ('(', ')'), ('（', '）'), ('*', '*')] {
        let mut rest = text;
        let mut offset = 0;
        while let Some(a) = rest.find(open) {
            let inner_start = a + open.len_utf8();
            let Some(b) = rest[inner_start..].find(close) else { break };
            let inner = &rest[inner_start..inner_start + b];
            let doubled = open == '*' && (inner.is_empty() || rest[..a].ends_with('*'));
            let figure_in_brackets = matches!(open, '(' | '（') && inner.chars().any(|c| c.is_ascii_digit());
            if !(doubled || figure_in_brackets) {
                notes.push(&text[offset + inner_start..offset + inner_start + b]);
            }
            let next = inner_start + b + close.len_utf8();
            offset += next;
            rest = &rest[next..];
        }
    }
    notes
}

/// Square-bracketed stage notes with no figure in them ("[price card on screen] Kettle: $30") said without: they
/// describe the picture, they are not words for the ear. (A note about a body is refused before this.)
fn without_stage_notes(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(a) = rest.find(['[', '【']) {
        let close = if rest[a..].starts_with('[') { ']' } else { '】' };
        let inner_start = a + rest[a..].chars().next().map_or(1, char::len_utf8);
        let Some(b) = rest[inner_start..].find(close) else { break };
        let inner = &rest[inner_start..inner_start + b];
        let end = inner_start + b + close.len_utf8();
        // 【价格】30美元【原价】40美元: a short heading written straight before its value is a field's label, said as
        // one ("价格：30美元"), not a note about the picture.
        let label = close == '】'
            && (1..=4).contains(&inner.chars().count())
            && rest[end..].chars().next().is_some_and(|c| !c.is_whitespace() && c != '【');
        if inner.chars().any(|c| c.is_ascii_digit()) || inner.contains(['[', ']']) {
            out.push_str(&rest[..end]);
        } else if label {
            out.push_str(rest[..a].trim_end());
            if !out.is_empty() && !out.ends_with(['，', '。', '；', '！', '？']) {
                out.push('；');
            }
            out.push_str(inner);
            out.push('：');
            changed = true;
        } else {
            out.push_str(rest[..a].trim_end());
            changed = true;
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    let out = out.trim().to_string();
    (changed && out.chars().any(char::is_alphanumeric)).then_some(out)
}

/// Arrows and bars laid out for a screen ("Kettle -> $30 -> you save $10", "Kettle: $30 | Was: $40") as the pauses
/// they stand for.
fn with_pauses_for_signs(text: &str) -> Option<String> {
    if !["->", "=>", "→", "⇒", " | ", "｜"].iter().any(|s| text.contains(s)) {
        return None;
    }
    let mut out = text.to_string();
    for arrow in ["->", "=>", "→", "⇒"] {
        out = out.replace(arrow, " — ");
    }
    out = out.replace(" | ", ", ").replace('｜', "，");
    Some(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Tags written between two hash signs, as Weibo and Douyin write them ("#青瓷茶具# 199元 #包邮#"): the words
/// stay, and are checked like any others; the signs go.
fn without_paired_tags(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut changed = false;
    while let Some(a) = rest.find('#') {
        let Some(b) = rest[a + 1..].find('#') else { break };
        let inner = &rest[a + 1..a + 1 + b];
        let tag = !inner.is_empty() && !inner.contains(char::is_whitespace) && !inner.is_ascii();
        if tag {
            out.push_str(&rest[..a]);
            out.push_str(inner);
            out.push(' ');
            changed = true;
            rest = &rest[a + 1 + b + 1..];
        } else {
            out.push_str(&rest[..a + 1]);
            rest = &rest[a + 1..];
        }
    }
    out.push_str(rest);
    changed.then(|| out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Digits written as keycap emoji ("3️⃣0️⃣ USD": a digit, an optional variation selector, the enclosing keycap) as
/// plain digits.
fn without_keycaps(text: &str) -> Option<String> {
    if !text.contains('\u{20E3}') {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c == '\u{20E3}' {
            if out.ends_with('\u{FE0F}') {
                out.pop();
            }
            continue;
        }
        out.push(c);
    }
    Some(out)
}

/// Hashtags ("#teaset #handthrown ¥199", "#电水壶 #烧水快 三十美元一台") without the tags: a tag is a "#" at the start
/// or after a space, then letters (no digit first: "#1 best seller" is a rank, left for the checks to refuse), up to
/// the next space. Something must be left to say.
fn without_hashtags(text: &str) -> Option<String> {
    if !text.contains('#') {
        return None;
    }
    let mut kept = Vec::new();
    let mut dropped = false;
    for word in text.split(' ') {
        // A tag starts with a letter, or is digits run into letters ("#25off"); "#1" alone is a rank. A tag that
        // names a deal or a hurry ("#flashsale", "#lastchance", "#freegift") says something, and is not dropped:
        // the line is then refused as markup.
        const SAYS_SOMETHING: [&str; 16] = [
            "sale", "flash", "deal", "free", "gift", "limited", "last", "only", "hurry", "bogo", "off", "coupon",
            "秒杀", "限时", "包邮", "限量",
        ];
        let says = SAYS_SOMETHING.iter().any(|w| word.to_lowercase().contains(w));
        let tag = !says
            && word.strip_prefix('#').is_some_and(|rest| {
                (rest.chars().next().is_some_and(char::is_alphabetic) || rest.chars().any(char::is_alphabetic))
                    && rest.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            });
        if tag {
            dropped = true;
        } else {
            kept.push(word);
        }
    }
    let out = kept.join(" ").trim().to_string();
    if dropped && !out.chars().any(char::is_alphanumeric) {
        // Nothing but tags ("#kettlegang #teatime"): their words are what there is to say.
        let words: Vec<&str> = text.split_whitespace().map(|w| w.trim_start_matches('#')).collect();
        return Some(words.join(" "));
    }
    (dropped && out.chars().any(char::is_alphanumeric)).then_some(out)
}

/// `**words**`, `__words__` and `*words*` without their markers, when every marker has its partner and encloses
/// words (a single `*` only hugging them: "3 * 4" is no emphasis).
fn without_emphasis(text: &str) -> Option<String> {
    let mut out = text.to_string();
    let mut changed = false;
    for marker in ["**", "__", "*"] {
        let pieces: Vec<&str> = out.split(marker).collect();
        // An odd number of markers, or a pair around nothing, is not emphasis.
        if pieces.len() < 3 || pieces.len().is_multiple_of(2) {
            continue;
        }
        if pieces.iter().skip(1).step_by(2).any(|inner| inner.trim().is_empty() || inner.contains('\n')) {
            continue;
        }
        let hugs = |inner: &&str| !inner.starts_with(char::is_whitespace) && !inner.ends_with(char::is_whitespace);
        if marker == "*" && !pieces.iter().skip(1).step_by(2).all(hugs) {
            continue;
        }
        out = pieces.concat();
        changed = true;
    }
    changed.then_some(out)
}

/// A list on one line: "1)" or "1）" (or "1." or a thread's "1/" before a space), counting up from one, at the start or after a space,
/// a colon or a comma. At least two items, in order; the numbers become a pause between the items.
fn without_list_numbers(text: &str) -> Option<String> {
    let mut markers = Vec::new();
    let mut expected = 1u32;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let starts_item = i == 0 || {
            let before = chars[i - 1].1;
            before.is_whitespace() || matches!(before, ':' | '：' | ',' | '，' | ';' | '；' | '、' | '-' | '—')
        };
        if c.is_ascii_digit() && starts_item {
            let mut j = i;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            let number: Option<u32> = text[at..chars.get(j).map_or(text.len(), |c| c.0)].parse().ok();
            let closer = chars.get(j).map(|c| c.1);
            let after = chars.get(j + 1).map(|c| c.1);
            let marks = match closer {
                Some(')' | '）') => true,
                // "1. " but not "1.5"; a thread's "1/ " but not "1/2".
                Some('.' | '/') => after.is_none_or(char::is_whitespace),
                _ => false,
            };
            if marks && number == Some(expected) {
                let end = chars.get(j + 1).map_or(text.len(), |c| c.0);
                markers.push((at, end));
                expected += 1;
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    if markers.len() < 2 {
        return None;
    }
    let zh = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (n, (at, end)) in markers.iter().enumerate() {
        let before = text[last..*at].trim_end();
        out.push_str(before);
        // The first number follows the lead-in ("Quick list:"); the others end the item before them.
        let ended = before.ends_with([':', '：', ',', '，', ';', '；', '.', '。', '!', '！', '?', '？']);
        if n > 0 && !ended && !before.is_empty() {
            out.push_str(if zh { "；" } else { ";" });
        }
        if !out.is_empty() && !zh && !out.ends_with(char::is_whitespace) {
            out.push(' ');
        }
        last = *end;
        // Skip the space after the number.
        while text[last..].starts_with(char::is_whitespace) {
            last += text[last..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emphasis_markers_go_and_their_words_stay() {
        assert_eq!(
            spoken_layout("**US$30** (compare-at $40), which is 25% off.").unwrap(),
            "US$30 (compare-at $40), which is 25% off."
        );
        assert_eq!(spoken_layout("It's __free__ over **¥99**.").unwrap(), "It's free over ¥99.");
        assert_eq!(
            spoken_layout("*Brushed steel* is the finish, and it's *only* $30.").unwrap(),
            "Brushed steel is the finish, and it's only $30."
        );
        // Not emphasis: a lone marker, a pair around nothing, a sign between spaces.
        assert_eq!(spoken_layout("2**3 is eight"), None);
        assert_eq!(spoken_layout("a **** b"), None);
        assert_eq!(spoken_layout("3 * 4 * 5 is sixty"), None);
    }

    #[test]
    fn keycap_digits_are_digits() {
        assert_eq!(spoken_layout("Kettle: 3\u{fe0f}\u{20e3}0\u{fe0f}\u{20e3} USD.").unwrap(), "Kettle: 30 USD.");
        assert_eq!(spoken_layout("只要1\u{20e3}9\u{20e3}9\u{20e3}元").unwrap(), "只要199元");
    }

    #[test]
    fn a_list_on_one_line_loses_its_numbers() {
        assert_eq!(
            spoken_layout("Quick list: 1) ¥199 2) was ¥259 3) 40 in stock").unwrap(),
            "Quick list: ¥199; was ¥259; 40 in stock"
        );
        assert_eq!(
            spoken_layout("家人们记一下：1）30美元 2）原价40美元 3）库存12台").unwrap(),
            "家人们记一下：30美元；原价40美元；库存12台"
        );
        assert_eq!(spoken_layout("1. boils fast 2. cool handle").unwrap(), "boils fast; cool handle");
    }

    #[test]
    fn numbers_that_are_not_a_list_stay() {
        // One item, numbers out of order, a decimal, a count in brackets.
        assert_eq!(spoken_layout("Only 1) left"), None);
        assert_eq!(spoken_layout("2) ¥199 3) ¥259"), None);
        assert_eq!(spoken_layout("1.5 litres, 2. 30 dollars"), None);
        assert_eq!(spoken_layout("It holds 12 (cups) and costs $30"), None);
        // "12)" after a word is no item: "(was 40) 12) in stock" is not a list.
        assert_eq!(spoken_layout("stock (about 40) now"), None);
    }
}
