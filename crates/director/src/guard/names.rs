//! Which product a sentence names, and where its clauses start: a queue ledger checks each clause against the
//! product it is about.

use super::text::{Flat, find_all, fold, is_cjk_char};

/// A product named in a sentence: which one (an index into the titles) and where (a byte offset in the sentence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NameHit {
    pub(super) product: usize,
    pub(super) start: usize,
    end: usize,
}

/// Words that do not name a product on their own at the end of a title ("Tea Set", "Travel Kit"): the head is
/// then the last two words.
const GENERIC_HEADS: [&str; 14] = [
    "set",
    "sets",
    "pack",
    "kit",
    "bundle",
    "edition",
    "pro",
    "max",
    "mini",
    "plus",
    "xl",
    "lite",
    "collection",
    "box",
];

/// Chinese title endings that do not name a product on their own (手工茶具套装 is named by 茶具).
const ZH_GENERIC_HEADS: [&str; 10] = ["套装", "礼盒", "系列", "新款", "组合", "套餐", "正品", "专用", "家用", "升级"];

/// The words that name a product: its whole title, and its head noun (the last word, or the last two when the last
/// is generic: "scarf" for "Silk Scarf", "tea set" for "Tea Set"; 围巾 for 真丝围巾, 茶具 for 手工茶具套装), with
/// English plurals. A head shared by two titles names neither (only their whole titles do).
fn name_keys(titles: &[&str]) -> Vec<Vec<String>> {
    let heads: Vec<Option<String>> = titles.iter().map(|t| head_noun(&fold(t))).collect();
    titles
        .iter()
        .enumerate()
        .map(|(i, title)| {
            let mut keys = Vec::new();
            let whole = fold(title.trim());
            if whole.chars().filter(|c| c.is_alphanumeric()).count() >= 2 {
                keys.push(whole);
            }
            if let Some(head) = &heads[i]
                && heads.iter().filter(|h| h.as_ref() == Some(head)).count() == 1
            {
                keys.extend(plurals(head));
            }
            keys.sort();
            keys.dedup();
            keys
        })
        .collect()
}

/// The head noun of a folded title (see [`name_keys`]).
fn head_noun(title: &str) -> Option<String> {
    let title = title.trim();
    let last = title.chars().last()?;
    if is_cjk_char(last) {
        let run: Vec<char> = title.chars().rev().take_while(|c| is_cjk_char(*c)).collect::<Vec<_>>();
        let run: Vec<char> = run.into_iter().rev().collect();
        let mut end = run.len();
        while end >= 2 {
            let head: String = run[end - 2..end].iter().collect();
            if !ZH_GENERIC_HEADS.contains(&head.as_str()) {
                return Some(head);
            }
            end -= 2;
        }
        return None;
    }
    let words: Vec<&str> = title.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    match words.as_slice() {
        [.., before, last] if GENERIC_HEADS.contains(last) => Some(format!("{before} {last}")),
        [.., last] if !GENERIC_HEADS.contains(last) && last.len() >= 3 && !last.bytes().all(|b| b.is_ascii_digit()) => {
            Some(last.to_string())
        }
        _ => None,
    }
}

/// A folded English name with its plural forms ("scarf": scarfs, scarves); Chinese names as they are.
fn plurals(name: &str) -> Vec<String> {
    let mut out = vec![name.to_string()];
    if !name.ends_with(|c: char| c.is_ascii_alphabetic()) {
        return out;
    }
    out.push(format!("{name}s"));
    out.push(format!("{name}es"));
    if let Some(stem) = name.strip_suffix("fe").or_else(|| name.strip_suffix('f')) {
        out.push(format!("{stem}ves"));
    }
    if let Some(stem) = name.strip_suffix('y') {
        out.push(format!("{stem}ies"));
    }
    out
}

/// Every place `sentence` names one of the products titled `titles`, in order. Where one name sits inside a longer
/// one ("tea set" in "tea set deluxe"), only the longer counts.
pub(super) fn name_hits(sentence: &str, titles: &[&str]) -> Vec<NameHit> {
    let flat = Flat::new(sentence);
    let mut hits = Vec::new();
    for (product, keys) in name_keys(titles).into_iter().enumerate() {
        for key in keys {
            for at in find_all(&flat.text, &key) {
                hits.push(NameHit { product, start: at, end: at + key.len() });
            }
        }
    }
    let inside =
        |h: &NameHit, o: &NameHit| o.start <= h.start && h.end <= o.end && (o.end - o.start) > (h.end - h.start);
    let kept: Vec<NameHit> = hits
        .iter()
        .filter(|h| !hits.iter().any(|o| o.product != h.product && inside(h, o)))
        .map(|h| NameHit { product: h.product, start: flat.orig(h.start), end: flat.orig(h.end) })
        .collect();
    let mut kept = kept;
    kept.sort_by_key(|h| (h.start, h.product));
    kept.dedup_by_key(|h| (h.start, h.product));
    kept
}

/// Which of the products titled `titles` the sentence names, in the order it first names them. The guard checks a
/// moderator's sentence against the product it names (see [`SentenceGuard`](super::SentenceGuard)); the show
/// uses this to tell which product a moderator's line is about.
pub fn named_products(sentence: &str, titles: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    for hit in name_hits(sentence, titles) {
        if !out.contains(&hit.product) {
            out.push(hit.product);
        }
    }
    out
}

/// Conjunctions that start a clause about another product ("..., and the scarf is ¥89").
const CLAUSE_WORDS: [&str; 9] = ["and", "but", "while", "whereas", "plus", "or", "whilst", "then", "also"];
const ZH_CLAUSE_WORDS: [&str; 6] = ["而且", "还有", "以及", "和", "而", "但"];

/// `sentence` cut into clauses (byte spans that together cover it): after commas, semicolons and colons, and
/// before a conjunction.
pub(super) fn clauses(sentence: &str) -> Vec<(usize, usize)> {
    let mut cuts = vec![0];
    let mut prev: Option<char> = None;
    for (i, c) in sentence.char_indices() {
        let rest = &sentence[i..];
        let word_start = c.is_ascii_alphabetic() && !prev.is_some_and(|p| p.is_ascii_alphanumeric());
        if word_start {
            let lower = rest.get(..rest.len().min(8)).unwrap_or(rest).to_ascii_lowercase();
            let conj = CLAUSE_WORDS
                .iter()
                .any(|w| lower.starts_with(w) && !lower[w.len()..].starts_with(|n: char| n.is_ascii_alphanumeric()));
            if conj && i > 0 {
                cuts.push(i);
            }
        }
        if is_cjk_char(c) && i > 0 && ZH_CLAUSE_WORDS.iter().any(|w| rest.starts_with(w)) {
            cuts.push(i);
        }
        if matches!(c, ',' | '，' | '、' | ';' | '；' | ':' | '：') {
            cuts.push(i + c.len_utf8());
        }
        prev = Some(c);
    }
    cuts.push(sentence.len());
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).filter(|(a, b)| a < b).collect()
}
