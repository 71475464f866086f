//! Sales hype read by its structure: how fast the stock goes ("gone in minutes", 一眨眼就没了), that it will never
//! come again ("we're never restocking", 以后不会再有), and how well it sells ("our fastest-selling item", 卖得最快的
//! 单品, 爆款). A product's data holds its stock and nothing about its sales, so none of these can be backed: a host
//! that says them is inventing pressure. The scarcity phrase lists in [`super::phrases`] hold the fixed idioms;
//! this module reads the open-ended forms, a word of one kind near a word of another, so that a writer's new
//! wording is caught too.
//!
//! Everything here reads folded text (lower-case, simplified characters) with the host's corrections and refusals
//! already blanked ([`super::reported`]), so "I can't say it will sell out in minutes" is not read.

/// What kind of hype a sentence holds, for the guard's note; `None` when it holds none.
pub(super) fn hype(folded: &str) -> Option<&'static str> {
    en_hype(folded).or_else(|| zh_hype(folded))
}

/// Words for stock going away.
const EN_GONE: &[&str] = &[
    "gone",
    "sold",
    "sell",
    "sells",
    "selling",
    "disappear",
    "disappears",
    "disappearing",
    "vanish",
    "vanishes",
    "snapped",
    "grabbed",
    "fly",
    "flies",
    "flying",
    "empty",
    "emptied",
    "cleared",
];

/// "go" and "goes" are everyday verbs ("let's go over the specs in two minutes"): they count only after a word for
/// the goods.
const EN_GOODS: &[&str] =
    &["they", "these", "those", "it", "they'll", "they'd", "stock", "everything", "all", "units", "sets", "kettles"];

/// How soon: a span of time that is short on a sales floor.
const EN_SOON: &[&[&str]] = &[
    &["minutes"],
    &["seconds"],
    &["no", "time"],
    &["every", "time"],
    &["a", "flash"],
    &["a", "heartbeat"],
    &["an", "instant"],
    &["a", "blink"],
    &["hours"],
    &["an", "hour"],
    &["within", "the", "hour"],
    &["by", "tonight"],
    &["overnight"],
];

/// What may come after "never" for stock that will not come again.
const EN_AGAIN: &[&str] = &[
    "restock",
    "restocks",
    "restocking",
    "restocked",
    "again",
    "back",
    "make",
    "making",
    "made",
    "produce",
    "producing",
    "produced",
    "reorder",
    "reordering",
    "return",
    "returning",
];

/// "all we'll ever have", "the only batch they'll ever make".
const EN_EVER_HAVE: &[&str] = &["have", "get", "make", "see", "stock", "sell", "carry"];

/// Ranks of selling.
const EN_RANK: &[&str] = &["fastest", "best", "top", "quickest", "hottest", "biggest", "number one"];
const EN_SELLING: &[&str] = &["selling", "seller", "sellers"];
const EN_ONE_WORD_RANK: &[&str] = &["bestseller", "bestsellers", "bestselling"];

fn en_words(folded: &str) -> Vec<&str> {
    folded.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect()
}

fn starts_with_at(words: &[&str], at: usize, phrase: &[&str]) -> bool {
    words.get(at..at + phrase.len()).is_some_and(|w| w == phrase)
}

/// A crowd, in words rather than a number: "thousands of people", "so many of you".
const EN_CROWD: &[&str] =
    &["thousands", "hundreds", "millions", "dozens", "tons", "lots", "loads", "countless", "many"];
const EN_PEOPLE: &[&str] =
    &["people", "customers", "buyers", "shoppers", "viewers", "folks", "you", "families", "households", "fans"];
/// What a crowd did that counts sales.
const EN_BOUGHT: &[&str] =
    &["bought", "ordered", "purchased", "grabbed", "snagged", "buying", "ordering", "checked", "added", "own"];

fn en_hype(folded: &str) -> Option<&'static str> {
    let words = en_words(folded);
    for (i, word) in words.iter().enumerate() {
        // "Thousands of people have already bought this kettle", "so many of you ordered one": sales counted in
        // words; the data never holds a count sold.
        if EN_CROWD.contains(word) {
            let people = words.iter().skip(i + 1).take(3).position(|w| EN_PEOPLE.contains(w));
            if let Some(p) = people {
                let after = i + 2 + p;
                if words.iter().skip(after).take(4).any(|w| EN_BOUGHT.contains(w)) {
                    return Some("a count sold");
                }
            }
        }
        // Gone, and soon: "they'll be gone in minutes", "they go in minutes every time", "sold in seconds".
        // "It goes out within 48 hours" is dispatch; "they go out the door in minutes" is not.
        let dispatched = words.get(i + 1) == Some(&"out")
            && words.get(i + 2..(i + 4).min(words.len())).is_some_and(|w| !w.contains(&"door"));
        let goods_go = matches!(*word, "go" | "goes") && i > 0 && EN_GOODS.contains(&words[i - 1]) && !dispatched;
        if EN_GONE.contains(word) || goods_go {
            let window = (i + 1)..(i + 7).min(words.len());
            if window.clone().any(|j| EN_SOON.iter().any(|soon| starts_with_at(&words, j, soon))) {
                return Some("stock said to go fast");
            }
            // "selling sooo fast", "disappearing quickly": a speed word right after ("sells for $30 and boils
            // fast" is not).
            let near = (i + 1)..(i + 4).min(words.len());
            if near.clone().any(|j| matches!(words[j], "fast" | "quickly" | "quick" | "rapidly")) {
                return Some("stock said to go fast");
            }
        }
        // "going fast", "going sooo fast": "going" only right before the speed ("going quickly through the specs"
        // is the host's pace, so an intensifier may stand between, nothing else).
        if *word == "going" {
            let speed = |w: Option<&&str>| w.is_some_and(|w| matches!(*w, "fast" | "quickly" | "quick"));
            let intensifier = |w: &str| {
                w.starts_with("so") && w.chars().skip(1).all(|c| c == 'o')
                    || matches!(w, "really" | "very" | "super" | "crazy" | "insanely")
            };
            let next = words.get(i + 1);
            let through = words.get(i + 2).is_some_and(|w| matches!(*w, "through" | "over" | "to"));
            if (speed(next) && !through) || (next.is_some_and(|w| intensifier(w)) && speed(words.get(i + 2))) {
                return Some("stock said to go fast");
            }
        }
        // "After this batch, no more", "this run and then none".
        if matches!(*word, "batch" | "run" | "drop" | "lot")
            && ((i + 1)..(i + 5).min(words.len()))
                .any(|j| (words[j] == "no" && words.get(j + 1) == Some(&"more")) || words[j] == "none")
        {
            return Some("stock said never to come again");
        }
        // Never again: "we're never restocking", "will never make more", "won't ever be back".
        if *word == "never" || (*word == "ever" && i > 0 && matches!(words[i - 1], "won't" | "not" | "never")) {
            let window = (i + 1)..(i + 5).min(words.len());
            let again = window
                .clone()
                .any(|j| EN_AGAIN.contains(&words[j]) || (words[j] == "more" && words.get(j + 1) != Some(&"than")));
            if again {
                return Some("stock said never to come again");
            }
        }
        // "all we'll ever have", "the only ones they'll ever make".
        if *word == "ever"
            && words.get(i + 1).is_some_and(|w| EN_EVER_HAVE.contains(w))
            && words[i.saturating_sub(4)..i].iter().any(|w| matches!(*w, "all" | "only"))
        {
            return Some("stock said never to come again");
        }
        // Sales ranks: "our fastest-selling item", "best seller", "the #1 seller".
        if EN_ONE_WORD_RANK.contains(word) {
            return Some("a sales rank");
        }
        for rank in EN_RANK {
            let rank = en_words(rank);
            let next = words.get(i + rank.len());
            // "the best selling point" is not a rank.
            let point = words.get(i + rank.len() + 1).is_some_and(|w| w.starts_with("point"));
            if starts_with_at(&words, i, &rank) && next.is_some_and(|w| EN_SELLING.contains(w)) && !point {
                return Some("a sales rank");
            }
        }
        // "sells the most", "sold the most", "our most popular item".
        if matches!(*word, "sells" | "sold" | "selling") && starts_with_at(&words, i + 1, &["the", "most"]) {
            return Some("a sales rank");
        }
        if starts_with_at(&words, i, &["most", "popular"])
            && words.get(i + 2).is_some_and(|w| {
                matches!(*w, "item" | "items" | "product" | "products" | "one" | "pick" | "thing" | "kettle" | "set")
            })
        {
            return Some("a sales rank");
        }
    }
    None
}

/// Stock going away, in Chinese.
const ZH_GONE: &[&str] =
    &["没了", "就没", "空了", "抢完", "卖完", "抢光", "卖光", "清空", "售罄", "一扫而空", "被抢", "售空"];
/// How soon, in Chinese, within a few characters before the going.
const ZH_SOON: &[&str] = &[
    "分钟",
    "秒",
    "眨眼",
    "转眼",
    "瞬间",
    "一下子",
    "一会",
    "立马",
    "马上",
    "很快",
    "上架就",
    "一上架",
    "每次都",
    "开播就",
];
/// Gone at once, in one word.
const ZH_GONE_AT_ONCE: &[&str] = &["秒空", "秒光", "秒完", "秒抢", "秒售罄"];
/// Words that show the sentence is about the goods (so 异味几分钟就没了, a smell gone in minutes, is not hype).
const ZH_GOODS: &[&str] =
    &["库存", "货", "上架", "抢", "卖", "件", "套", "台", "个", "单品", "名额", "这批", "这些", "现货", "存货", "补"];
/// Never again, in Chinese: the word for "never" and, within a few characters after it, what will not happen.
const ZH_NEVER: &[&str] =
    &["再也", "永远不", "以后都不", "以后也不", "以后不", "不会再", "不再", "再不", "绝不再", "没有下一批", "不可能再"];
const ZH_AGAIN: &[&str] = &["补", "做", "生产", "上架", "有货", "有了", "卖", "回来", "进货", "返场", "有这", "有第"];
/// Sales ranks and popularity, in Chinese.
const ZH_RANK: &[&str] = &[
    "卖得最",
    "卖的最",
    "最畅销",
    "最热销",
    "最受欢迎",
    "最火",
    "最抢手",
    "销量第一",
    "销量冠军",
    "销量最",
    "销冠",
    "爆款",
    "畅销",
    "热销",
    "热卖",
    "断货王",
    "人气王",
    "人气最高",
    "回购率",
    "镇店之宝",
    "网红款",
    "卖了几万",
    "卖了上万",
];

/// A count sold, when a number follows: 已售3000件, 卖出了两万套 (已售罄, sold out, is the stock's own word).
const ZH_SOLD_COUNT: &[&str] = &["已售", "卖出了", "卖出", "售出", "已经卖了"];

fn zh_hype(folded: &str) -> Option<&'static str> {
    // A rank of the goods, not of a question ("最受欢迎的问题是釉色").
    for rank in ZH_RANK {
        for (at, _) in folded.match_indices(rank) {
            let after = chars_after(folded, at + rank.len(), 4);
            if !after.contains("问题") && !after.contains("话题") {
                return Some("a sales rank");
            }
        }
    }
    for sold in ZH_SOLD_COUNT {
        for (at, _) in folded.match_indices(sold) {
            let next = folded[at + sold.len()..].trim_start().chars().next();
            if next.is_some_and(|c| c.is_ascii_digit() || "一二两三四五六七八九十百千万几上".contains(c))
            {
                return Some("a count sold");
            }
        }
    }
    // 又走了十几单, 刚下了20单: orders counted as they come in.
    for went in ["走了", "下了", "成交了", "出了", "卖了"] {
        for (at, _) in folded.match_indices(went) {
            let rest = &folded[at + went.len()..];
            let count_len: usize = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || "一二两三四五六七八九十百千万几多".contains(*c))
                .map(char::len_utf8)
                .sum();
            if count_len > 0 && rest[count_len..].starts_with('单') {
                return Some("a count sold");
            }
        }
    }
    // 上千人买了, 好多人都下单了: sales counted in words.
    for crowd in
        ["几千人", "上千人", "几万人", "上万人", "成千上万", "好多人", "很多人", "无数人", "几百人", "上百人", "大家都"]
    {
        for (at, _) in folded.match_indices(crowd) {
            let rest = chars_after(folded, at + crowd.len(), 6);
            if ["买了", "下单了", "拍了", "入手了", "抢了", "回购"].iter().any(|w| rest.contains(w)) {
                return Some("a count sold");
            }
        }
    }
    // 没几套了, 没几个了: nearly gone, with no count.
    for (at, _) in folded.match_indices("没几") {
        let rest = chars_after(folded, at + "没几".len(), 2);
        let mut it = rest.chars();
        if it.next().is_some_and(|m| "套个件台单份盒瓶双支".contains(m)) && it.next() == Some('了') {
            return Some("stock said to be nearly gone");
        }
    }
    if ZH_GONE_AT_ONCE.iter().any(|w| folded.contains(w)) {
        return Some("stock said to go fast");
    }
    let about_goods = ZH_GOODS.iter().any(|w| folded.contains(w));
    for gone in ZH_GONE {
        for (at, _) in folded.match_indices(gone) {
            let before = chars_before(folded, at, 8);
            if about_goods && ZH_SOON.iter().any(|w| before.contains(w)) {
                return Some("stock said to go fast");
            }
        }
    }
    for never in ZH_NEVER {
        for (at, _) in folded.match_indices(never) {
            let after = chars_after(folded, at + never.len(), 5);
            if ZH_AGAIN.iter().any(|w| after.contains(w)) {
                return Some("stock said never to come again");
            }
        }
    }
    None
}

/// Up to `n` characters of `text` before byte `at` (which is a character boundary).
fn chars_before(text: &str, at: usize, n: usize) -> &str {
    let head = &text[..at];
    let start = head.char_indices().rev().nth(n.saturating_sub(1)).map_or(0, |(i, _)| i);
    &head[start..]
}

/// Up to `n` characters of `text` from byte `at` (a character boundary).
fn chars_after(text: &str, at: usize, n: usize) -> &str {
    let tail = &text[at..];
    let end = tail.char_indices().nth(n).map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

#[cfg(test)]
mod tests {
    use super::hype;
    use crate::guard::text::fold;

    /// Every combination of a few subjects, verbs and spans, none of them the sentences of a held-out set.
    fn generated_hype() -> Vec<String> {
        let mut out = Vec::new();
        for subject in ["They'll be", "The kettles will be", "Stock will be", "These sets are"] {
            for gone in ["gone", "sold", "snapped up", "cleared"] {
                for soon in ["in minutes", "within seconds", "in no time", "in a flash", "within the hour"] {
                    out.push(format!("{subject} {gone} {soon}."));
                }
            }
        }
        for who in ["We're", "The maker is", "The studio is"] {
            for never in ["never restocking", "never making more", "never bringing them back"] {
                out.push(format!("{who} {never} after this batch."));
            }
        }
        for rank in ["fastest", "best", "top", "hottest"] {
            for what in ["selling item", "seller", "selling kettle on the channel"] {
                out.push(format!("This is our {rank} {what}."));
            }
        }
        for speed in ["sooo fast", "fast", "quickly"] {
            for gone in ["selling", "disappearing", "going"] {
                out.push(format!("these r {gone} {speed} rn"));
            }
        }
        for after in ["After this batch, no more.", "This run and then none, sorry."] {
            out.push(after.to_string());
        }
        for thing in ["电水壶", "茶具", "这批货"] {
            out.push(format!("{thing}刚刚又走了二十多单"));
            out.push(format!("{thing}剩下没几套了"));
            for soon in ["几分钟", "一眨眼", "转眼", "一上架"] {
                for gone in ["就没了", "就抢光了", "就卖完了"] {
                    out.push(format!("{thing}库存不多，{soon}{gone}。"));
                }
            }
            for never in ["以后不会再有了", "再也不补货了", "卖完不再生产"] {
                out.push(format!("{thing}{never}。"));
            }
            for rank in ["是爆款", "是直播间最畅销的", "销量第一", "已售3000件", "卖出了两万套"]
            {
                out.push(format!("{thing}{rank}。"));
            }
        }
        out
    }

    /// What a host says honestly with the same words nearby.
    const HONEST: &[&str] = &[
        "It boils a full litre in minutes.",
        "I'll go over the specs in two minutes.",
        "The best selling point is the cool-touch handle.",
        "The most popular question today is about the glaze.",
        "The plastic smell is gone after two boils.",
        "Never fill it above the max line.",
        "You'll never need more than one kettle.",
        "Once it's sold out, I'll say so right away.",
        "水几分钟就烧开了。",
        "第一次用有点味道，烧两次就没了。",
        "再也不用守着炉子等水开。",
        "手柄不会再烫手。",
        "目前已售罄，补货了我会告诉大家。",
        "最受欢迎的问题是釉色。",
        "It sells for thirty dollars and boils a litre fast.",
        "Going through the specs quickly now.",
        "I'm going quickly through the specs.",
        "没几个人知道这个釉色怎么做。",
        "他走了以后我们再聊。",
        "This batch was glazed by hand.",
    ];

    #[test]
    fn generated_hype_is_read_in_both_languages() {
        let missed: Vec<String> = generated_hype().into_iter().filter(|s| hype(&fold(s)).is_none()).collect();
        assert!(missed.is_empty(), "hype not read: {missed:#?}");
    }

    #[test]
    fn honest_lines_with_the_same_words_are_not_hype() {
        let read: Vec<(&str, &str)> = HONEST.iter().filter_map(|s| hype(&fold(s)).map(|why| (*s, why))).collect();
        assert!(read.is_empty(), "honest lines read as hype: {read:#?}");
    }
}
