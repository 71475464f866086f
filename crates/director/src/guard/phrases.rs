//! The phrase lists the rules look for (leaks, persona exits, profanity, links, empathy, scarcity, stock,
//! urgency, "free", discounts) and the search that finds the first of a list in a folded sentence.

use super::text::{find_one, needle, stands_alone};
use crate::ledger::{ClaimsLedger, Fact};
use aho_corasick::{AhoCorasick, AhoCorasickKind};
use model::GuardRule;
use std::sync::OnceLock;

/// A phrase list: each entry matches by the rules of [`find_one`] (word boundaries for ASCII, a trailing `*` for a
/// word that runs on, anywhere for Chinese), and an entry that starts with a letter or digit only when the sentence
/// has its first word as a word of its own (letters, digits and apostrophes): "0元" is not found in "10元", and a
/// stem (`fuck*`) only at the start of a word.
///
/// Trying every phrase of every list against every sentence one by one costs more than the 50 µs budget, so each
/// list is compiled on first use into one Aho-Corasick automaton that finds all of its phrases in one pass.
pub(super) struct Phrases {
    list: &'static [&'static str],
    compiled: OnceLock<Option<Compiled>>,
}

/// A list's automaton, and for each of its phrases the word the sentence must have for it to count.
struct Compiled {
    automaton: AhoCorasick,
    keys: Vec<Key>,
}

/// What a sentence must contain, besides the phrase itself, for the phrase to count.
enum Key {
    /// Nothing more: the phrase starts with a Chinese character or a sign.
    Always,
    /// The phrase's first word, as a whole word.
    Word(&'static str),
    /// A word that starts with the stem (a one-word phrase ending in `*`).
    Stem(&'static str),
}

impl Key {
    fn of(phrase: &'static str) -> Key {
        let first_word_len = phrase.find(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).unwrap_or(phrase.len());
        match phrase.chars().next() {
            Some(c) if c.is_ascii_alphanumeric() && phrase.ends_with('*') && first_word_len == phrase.len() - 1 => {
                Key::Stem(&phrase[..first_word_len])
            }
            Some(c) if c.is_ascii_alphanumeric() => Key::Word(&phrase[..first_word_len]),
            _ => Key::Always,
        }
    }

    fn holds(&self, words: &[&str]) -> bool {
        match self {
            Key::Always => true,
            Key::Word(word) => words.contains(word),
            Key::Stem(stem) => words.iter().any(|w| w.starts_with(stem)),
        }
    }
}

impl Phrases {
    const fn new(list: &'static [&'static str]) -> Phrases {
        Phrases { list, compiled: OnceLock::new() }
    }

    /// The byte offset of the first phrase from the list in `folded`: the earliest place where any phrase that
    /// counts in this sentence occurs by the rules of [`find_one`].
    pub(super) fn find(&self, folded: &str) -> Option<usize> {
        let compiled = self.compiled.get_or_init(|| {
            // A DFA: the lists are small and searched for every sentence, so speed matters more than memory.
            let automaton = AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(self.list.iter().map(|p| needle(p)))
                .ok()?;
            Some(Compiled { automaton, keys: self.list.iter().map(|p| Key::of(p)).collect() })
        });
        let Some(compiled) = compiled else {
            // These lists are small, so building never fails; if it did, the answer would only be slower.
            let words = words(folded);
            return (self.list.iter())
                .filter(|phrase| Key::of(phrase).holds(&words))
                .filter_map(|phrase| find_one(folded, phrase))
                .min();
        };
        // A phrase's occurrences are taken as `str::match_indices` takes them for `find_one` (left to right, none
        // overlapping an earlier one of the same phrase), so the answer is the same as trying each phrase in turn.
        // Most sentences hold no phrase of a list, so nothing is allocated until one does.
        let mut free_from: Vec<usize> = Vec::new();
        let mut words: Option<Vec<&str>> = None;
        let mut first: Option<usize> = None;
        for hit in compiled.automaton.find_overlapping_iter(folded) {
            let i = hit.pattern().as_usize();
            if free_from.is_empty() {
                free_from = vec![0; self.list.len()];
            }
            if hit.start() < free_from[i] {
                continue;
            }
            free_from[i] = hit.end();
            if first.is_none_or(|at| hit.start() < at)
                && stands_alone(folded, hit.start(), self.list[i])
                && compiled.keys[i].holds(words.get_or_insert_with(|| self::words(folded)))
            {
                first = Some(hit.start());
            }
        }
        first
    }
}

/// The words of a folded sentence: runs of ASCII letters, digits and apostrophes, with quoting apostrophes
/// trimmed ('free' is "free") and a possessive also counted as its noun (OpenAI's is "openai" too).
fn words(folded: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in folded.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')) {
        let word = word.trim_matches('\'');
        if word.is_empty() {
            continue;
        }
        if let Some(noun) = word.strip_suffix("'s").filter(|n| !n.is_empty()) {
            out.push(noun);
        }
        out.push(word);
    }
    out
}

static EN_ONLY_LEFT_WORDS: Phrases = Phrases::new(&["left", "remaining", "remain", "remains"]);

static PROMPT_LEAK: Phrases = Phrases::new(&[
    // A shopping host has no reason to talk about prompts, instructions, overrides or policies on air; when it
    // does, it is reciting or obeying an injection.
    "the prompt",
    "your prompt",
    "hidden prompt",
    "this prompt",
    "prompts",
    "your instructions",
    "initial instructions",
    "all instructions",
    "all the instructions",
    "hidden instructions",
    "new instructions",
    "instructions verbatim",
    "verbatim",
    "override*",
    "safety protocol*",
    "safety filter*",
    "content polic*",
    "usage polic*",
    "policies",
    "guidelines",
    "system:",
    "assistant:",
    "user:",
    "for the assistant",
    "the assistant",
    "指令",
    "忽略所有",
    "扮演",
    "system prompt",
    "system message",
    "my prompt",
    "the prompt says",
    "my instructions",
    "my initial instructions",
    "my original instructions",
    "previous instructions",
    "prior instructions",
    "instructions above",
    "i was instructed",
    "i've been instructed",
    "i have been instructed",
    "i am instructed",
    "i'm instructed",
    "i was told to",
    "i've been told to",
    "my guidelines",
    "my rules say",
    "the rules i was given",
    "hidden rules",
    "viewer_comment",
    "end_viewer_comment",
    "<<<",
    "facts (say",
    "write facts only as slots",
    "系统提示",
    "提示词",
    "我的指令",
    "我收到的指令",
    "我被指示",
    "之前的指令",
    "以上指令",
    "忽略指令",
    "忽略之前",
    "我的设定",
]);

/// Frequent words of the other languages injections arrive in (Spanish, French, German, Italian, Portuguese) that
/// are not English words; two in one sentence mean it is not English.
const FOREIGN_WORDS: &[&str] = &[
    "que",
    "los",
    "las",
    "una",
    "por",
    "para",
    "con",
    "sin",
    "todo",
    "todas",
    "todos",
    "cualquier",
    "usted",
    "eres",
    "ahora",
    "les",
    "des",
    "vous",
    "êtes",
    "est",
    "avec",
    "sans",
    "pour",
    "dans",
    "und",
    "der",
    "die",
    "das",
    "nicht",
    "ist",
    "ohne",
    "mir",
    "deine",
    "bitte",
    "sei",
    "tutte",
    "della",
    "che",
    "sono",
    "ora",
    "senza",
    "não",
    "você",
    "sem",
    "agora",
    "toutes",
    "tous",
    "vos",
    "sont",
    "le",
    "il",
    "du",
    "ein",
    "eine",
    "zu",
    "auf",
    "alle",
    "tutto",
    "questo",
    "esto",
];

/// Whether the sentence is (partly) in a language the host does not speak: another script, accented Latin letters
/// that the product's own facts do not use, or two or more common non-English words.
pub(super) fn is_foreign(folded: &str, ledger: &ClaimsLedger) -> bool {
    let other_script = |c: char| {
        matches!(c, '\u{0400}'..='\u{052F}' | '\u{0590}'..='\u{06FF}' | '\u{0900}'..='\u{0DFF}' | '\u{0E00}'..='\u{0EFF}'
            | '\u{3040}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}')
    };
    let accented = |c: char| c.is_alphabetic() && ('\u{00C0}'..='\u{024F}').contains(&c) && c != '×' && c != '÷';
    let fact_has = |c: char| ledger.facts.iter().flat_map(Fact::texts).any(|t| t.to_lowercase().contains(c));
    if folded.chars().any(|c| other_script(c) || (accented(c) && !fact_has(c))) {
        return true;
    }
    let foreign = folded.split(|c: char| !c.is_alphabetic()).filter(|w| FOREIGN_WORDS.contains(w)).take(2).count();
    foreign >= 2
}

static PERSONA_EXIT: Phrases = Phrases::new(&[
    "as an ai language model",
    "as a language model",
    "as an ai model",
    "as an ai assistant",
    "i am an ai language model",
    "i'm an ai language model",
    "large language model",
    "language model",
    "i am chatgpt",
    "i'm chatgpt",
    "chatgpt",
    "gpt-4",
    "gpt-3",
    "openai",
    "anthropic",
    "i am claude",
    "developer mode",
    "dan mode",
    "i am dan",
    "i'm dan",
    "as dan",
    "do anything now",
    "jailbreak*",
    "jailbroken",
    "no restrictions",
    "without restrictions",
    "without any restrictions",
    "no limits",
    "unrestricted",
    "unfiltered",
    "restrictions",
    "roleplay",
    "role-play",
    "role play",
    "pretend to be",
    "act as",
    "in character",
    "no filters",
    "i have been freed",
    "i've been freed",
    "broken free",
    "i am now",
    "i'm now",
    "from now on i",
    "my programming",
    "i cannot comply",
    "i can't comply",
    "i cannot fulfill",
    "i can't fulfill",
    "i can't assist with",
    "i cannot assist with",
    "i'm not able to help with that request",
    "ignore all",
    "ignore previous",
    "ignoring my",
    "作为一个ai语言模型",
    "作为ai语言模型",
    "作为一个人工智能语言模型",
    "作为一个语言模型",
    "作为一个ai助手",
    "语言模型",
    "我是chatgpt",
    "开发者模式",
    "越狱",
    "没有任何限制",
    "不受限制",
    "无限制模式",
]);

static PROFANITY: Phrases = Phrases::new(&[
    "fuck*",
    "f*ck",
    "fck",
    "motherf*",
    "shit*",
    "sh*t",
    "bullshit",
    "bitch*",
    "asshole*",
    "bastard*",
    "cunt*",
    "dick",
    "dickhead",
    "prick",
    "whore*",
    "slut*",
    "retard*",
    "wtf",
    "stfu",
    "piss off",
    "screw you",
    "go to hell",
    "damn you",
    "傻逼",
    "傻b",
    "傻屄",
    "煞笔",
    "沙比",
    "他妈的",
    "妈的",
    "你妈",
    "操你",
    "草泥马",
    "卧槽",
    "我靠",
    "尼玛",
    "狗日",
    "滚蛋",
    "去死",
    "脑残",
    "白痴",
    "贱人",
    "婊子",
    "智障",
    "傻瓜",
    "蠢货",
    "废物",
]);

static LINKS: Phrases = Phrases::new(&[
    "http://",
    "https://",
    "www.",
    "ftp://",
    "javascript:",
    "data:text",
    ".com/",
    ".com",
    ".net",
    ".org",
    ".io/",
    "@gmail",
]);

/// Rules that reject outright, checked in this order.
pub(super) static HARD_RULES: &[(GuardRule, &Phrases)] = &[
    (GuardRule::PromptLeak, &PROMPT_LEAK),
    (GuardRule::PersonaExit, &PERSONA_EXIT),
    (GuardRule::Profanity, &PROFANITY),
    (GuardRule::Link, &LINKS),
];

/// Theatrical empathy: about the system's own failure or the viewer's feelings, performed rather than helpful.
/// A plain "sorry, that colour is not in stock" or "thanks for telling me" stays.
pub(super) static EMPATHY: Phrases = Phrases::new(&[
    "i understand how frustrating",
    "i understand how you feel",
    "i completely understand",
    "i totally understand",
    "i fully understand your",
    "i can only imagine",
    "i can imagine how",
    "that must be so frustrating",
    "that must be frustrating",
    "that must be really frustrating",
    "that must have been",
    "i feel your pain",
    "my heart goes out",
    "i'm so sorry",
    "i am so sorry",
    "i'm really sorry",
    "i am really sorry",
    "i'm truly sorry",
    "i am truly sorry",
    "i'm terribly sorry",
    "i'm deeply sorry",
    "i'm so very sorry",
    "so sorry to hear",
    "sorry to hear that",
    "sorry for any inconvenience",
    "sorry for the inconvenience",
    "apologize for any inconvenience",
    "apologise for any inconvenience",
    "apologize for the inconvenience",
    "i sincerely apologize",
    "i sincerely apologise",
    "we sincerely apologize",
    "i deeply apologize",
    "we deeply apologize",
    "my sincere apologies",
    "my deepest apologies",
    "please accept my apologies",
    "please accept our apologies",
    "非常抱歉给您带来",
    "给您带来不便",
    "给你带来不便",
    "带来的不便",
    "深表歉意",
    "万分抱歉",
    "十分抱歉",
    "非常抱歉",
    "实在抱歉",
    "真的很抱歉",
    "我能理解您的心情",
    "我能理解你的心情",
    "非常理解您的",
    "非常理解你的",
    "理解您的感受",
    "理解你的感受",
    "感同身受",
    "心疼您",
    "心疼你",
]);

/// Scarcity that depends on a rate of sale or a made-up limit: the data never backs it.
pub(super) static SCARCITY_ALWAYS: Phrases = Phrases::new(&[
    // How much has sold: the data holds the stock, never what has gone.
    "almost all gone",
    "nearly all gone",
    "all but gone",
    "mostly gone",
    "half gone",
    "half sold",
    "gone out the door",
    "have already gone",
    "has already gone",
    "already sold",
    "sold so far",
    "of the stock is gone",
    "of the stock has gone",
    "of the stock's gone",
    "剩下不多",
    "剩的不多",
    "剩得不多",
    "所剩不多",
    "没剩多少",
    "卖掉一大半",
    "卖了一大半",
    "卖出一大半",
    "卖掉一半",
    "卖了一半",
    "已出货",
    "已经出货",
    "已售出",
    "已经售出",
    "已经卖出",
    "已经被抢",
    "被抢走",
    "抢走了",
    "disappearing by the",
    "stampeding out",
    "stampedin' out",
    "flying off the shelves",
    "售完即止",
    "卖完即止",
    "售完为止",
    "卖完为止",
    "下一批要等",
    "run out by",
    "none will be left",
    "none left by",
    "won't last",
    "extremely limited",
    "be exhausted",
    "stock is limited",
    "restock next week",
    "快点抢",
    "赶紧抢",
    "人人都想要",
    "like hot cakes",
    "like hotcakes",
    "before they vanish",
    "before they're gone",
    "before they disappear",
    "before it's all gone",
    "就剩几",
    "只剩几",
    "仅剩几",
    "没剩几",
    "剩没几",
    "手慢就没",
    "running low",
    "low stock",
    "low-stock",
    "stock alert",
    "库存告急",
    "库存紧张",
    "running really low",
    "running very low",
    "stock is low",
    "going, going, gone",
    "going going gone",
    "马上就没了",
    "马上就没",
    "马上没了",
    "很快就没了",
    "一会儿就没了",
    "好多人正在下单",
    "好多人在下单",
    "很多人正在下单",
    "很多人在下单",
    "好多人在抢",
    "很多人在抢",
    "selling out",
    "sell out fast",
    "selling fast",
    "going fast",
    "flying off",
    "almost gone",
    "nearly gone",
    "running out",
    "running low",
    "won't last",
    "will not last",
    "before it's gone",
    "before they're gone",
    "before they are gone",
    "limited stock",
    "limited quantity",
    "limited quantities",
    "limited supply",
    "limited edition",
    "while supplies last",
    "while stocks last",
    "last chance",
    "last few",
    "last one",
    "last ones",
    "few left",
    "hardly any left",
    "手慢无",
    "卖光",
    "卖疯",
    "秒没",
    "限量",
    "不多了",
    "快没了",
    "快见底",
    "马上见底",
    "即将见底",
    "快要见底",
    "要见底了",
    "供不应求",
    "仓库都空",
    "调空了",
    "抢空了",
    "half gone",
    "flying off",
    "are flying",
    "selling like hotcakes",
    "见底了",
    "快卖完",
    "快断货",
    "要断货",
    "所剩无几",
    "最后几",
    "最后一",
    "最后两",
    "final unit",
    "final one",
    "last set",
    "last unit",
    "very last",
    "last kettle",
    "last piece",
    "就剩一",
    "就剩俩",
    "就剩两",
    "只剩一",
    "只剩俩",
    "hundreds in stock",
    "thousands in stock",
    "plenty in stock",
    "最后的机会",
    "最后机会",
    "断货",
    "sell out",
    "sells out",
    "sold out in",
    "sold out within",
    "last couple",
    "last batch",
    "last pieces",
    "gone for good",
    "never coming back",
    "won't be back",
    "discontinued",
    "绝版",
    "停产",
    "不补货",
    "no restock",
    "won't restock",
    "never restock",
    "not restocking",
    "won't be restocked",
    "不会补货",
    "不会再补",
    "不再补",
    "一抢而空",
    "抢购一空",
    "卖断货",
    "库存告急",
    "告急",
    "拍走",
    "抢走",
    "被抢",
    "被拍",
    "卖得特别快",
    "卖得很快",
    "卖得快",
    "卖得飞快",
    "卖爆",
    "爆单",
    "爆卖",
    "快空了",
    "快被抢",
    "selling like",
    "snapped up",
    "flying off the shelves",
    "like hotcakes",
    "going quick",
    "final batch",
    "making any more",
    "make any more",
    "no more after",
    "sold in the last",
    "sold in the past",
    "sold out in the last",
    "最后一批",
    "不再生产",
    "不做了",
    "won't be restocking",
    "not be restocking",
    "gone before the end",
    "be gone by",
    "gone forever",
    "checking out right now",
    "people are buying",
    "in their carts",
    "in their cart",
    "in their basket",
    "in their baskets",
    "stock is really low",
    "critically low",
    "dangerously low",
    "last they'll ever make",
    "last they will ever make",
    "last they'll make",
    "the chat is buying",
    "half the chat",
    "everyone's buying",
    "everyone is buying",
    "is buying right now",
    "are buying right now",
    "一半人都在拍",
    "大家都在拍",
    "都在下单",
    "stock is very low",
    "stock is super low",
    "stock is pretty low",
    "stock's low",
    "stock's really low",
    "low on stock",
    "手快有手慢",
    "人在度抢",
    "人喺度抢",
    "抢紧",
    "下单的人太多",
    "好多人在抢",
    "都在抢",
]);

/// A stock count said to be under ten without a number.
pub(super) static SINGLE_DIGITS: Phrases = Phrases::new(&[
    "single digit",
    "single digits",
    "single-digit",
    "个位数",
    "a handful left",
    "handful left",
    "only a handful",
]);

/// Scarcity worded around a count: fine when the count is the ledger's stock ("only {stock} left").
/// The English form, "only 3 left", is found by [`en_only_left`] because "only" and "just" are everyday words.
pub(super) static SCARCITY_WITH_COUNT: Phrases =
    Phrases::new(&["仅剩", "只剩", "还剩", "仅有", "剩返", "得返", "仲剩"]);

/// "only ... left" or "just ... remaining", in that order.
/// "Last tea set in the studio", "the last kettle left", "grab the last unit": one item said to be the last, with a
/// word that puts it in stock ("in", "left", "remaining", "available") after it. "The last kettle we showed" is the
/// previous one, not scarcity.
pub(super) fn en_last_item(folded: &str) -> bool {
    const ITEMS: [&str; 14] = [
        "set", "sets", "kettle", "kettles", "unit", "units", "piece", "pieces", "item", "items", "box", "boxes",
        "pair", "pot",
    ];
    const STOCKED: [&str; 8] = ["in", "left", "remaining", "available", "standing", "for", "we've", "on"];
    let words: Vec<&str> =
        folded.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    words.iter().enumerate().any(|(i, w)| {
        // The product's own name may be blanked already ("last {title} in the studio" reads "last in the studio").
        let named_blank = words.get(i + 1).is_some_and(|next| ["in", "left", "remaining", "available"].contains(next));
        *w == "last"
            && (i == 0 || words[i - 1] != "at")
            && (named_blank
                || (1..=3).any(|k| {
                    words.get(i + k).is_some_and(|item| ITEMS.contains(item))
                        && words.get(i + k + 1).is_none_or(|next| STOCKED.contains(next))
                }))
    })
}

pub(super) fn en_only_left(folded: &str) -> bool {
    let Some(left) = EN_ONLY_LEFT_WORDS.find(folded) else {
        return false;
    };
    let before = folded.get(..left).unwrap_or("");
    find_one(before, "only").is_some() || find_one(before, "just").is_some()
}

/// "No rush", "take your time" and 不着急 are the opposite of pressure: taken out before the urgency words are
/// looked for, so "no rush" is not read as "rush" (anything pressing left beside them still counts).
pub(super) fn without_calm(folded: &str) -> String {
    let calm = [
        "no rush",
        "no hurry",
        "no need to rush",
        "no need to hurry",
        "don't rush",
        "don't hurry",
        "do not rush",
        "do not hurry",
        "not in a rush",
        "not in a hurry",
        "no pressure",
        "take your time",
        "won't rush you",
        "not going to rush you",
        "don't want to rush you",
        "not rushing you",
        "不催",
        "不着急",
        "不用急",
        "不用着急",
        "别着急",
        "慢慢看",
        "慢慢挑",
        // A deadline denied: "no end time", 优惠都没有设截止时间.
        "没有设截止时间",
        "没设截止时间",
        "没有截止时间",
        "没有截止日期",
        "没有结束时间",
        "没有时间限制",
        "不限时",
        "no end time",
        "no end date",
        "no deadline",
        "no time limit",
        // "今天只要199元" states today's price (true whenever the price is); "今天只" alone ("today only") is the
        // pressure, and whatever follows ("明天恢复原价") is still looked at.
        "今天只要",
    ];
    let mut text = without_denied_deadlines(folded);
    for calm in calm {
        if text.contains(calm) {
            text = text.replace(calm, " ");
        }
    }
    text
}

/// Sold out, denied: "the set isn't nearly sold out", "far from sold out", 还没卖完, 没有售罄. The words are taken
/// out, so only a claim that it is gone is read as one.
/// The folded sentence with a limited edition or limited stock said not to be one blanked: "Not a limited edition,
/// as far as the card goes", 不是限量款, "there's no limited stock". What is denied of a product is true of any
/// product the data does not call limited.
pub(super) fn without_denied_limits(folded: &str) -> String {
    const LIMITS: &[&str] =
        &["limited edition", "limited stock", "limited quantity", "limited supply", "限量款", "限量版", "限量"];
    const DENIALS: &[&str] = &[
        "not a ",
        "not ",
        "isn't a ",
        "isn't ",
        "no ",
        "never a ",
        "不是",
        "没有",
        "并非",
        "并不是",
        "没写",
        "唔係",
        "冇",
    ];
    let mut text = folded.to_string();
    // Not knowing a restock date says nothing of scarcity: "no restock date that I know of".
    for unknown in ["no restock date", "no restock info", "no word on a restock", "没有补货时间", "不知道补货时间"]
    {
        for (at, _) in folded.match_indices(unknown) {
            super::text::blank(&mut text, at, at + unknown.len());
        }
    }
    // 俺不说最后一台, "I won't say it's the last one": the scarcity the host refuses to claim.
    for (at, refusal) in folded.match_indices("不说最后").chain(folded.match_indices("won't say it's the last")) {
        let end = folded[at + refusal.len()..]
            .find(['，', ',', '。', '.', '；', ';'])
            .map_or(folded.len(), |i| at + refusal.len() + i);
        super::text::blank(&mut text, at, end);
    }
    for phrase in LIMITS {
        for (at, _) in folded.match_indices(phrase) {
            let before = &folded[..at];
            let denied =
                DENIALS.iter().any(|d| before.ends_with(d) || (!d.is_ascii() && before.trim_end().ends_with(d)));
            if denied {
                super::text::blank(&mut text, at, at + phrase.len());
            }
        }
    }
    text
}

pub(super) fn without_denied_sold_out(folded: &str) -> String {
    const EN: &[&str] = &["sold out", "out of stock"];
    const EN_BETWEEN: &[&str] =
        &["nearly", "almost", "close", "to", "anywhere", "near", "even", "yet", "quite", "been"];
    const ZH: &[&str] = &["卖完", "售罄", "卖光", "抢光", "缺货", "断货"];
    let mut text = folded.to_string();
    let mut spans = Vec::new();
    for phrase in EN {
        for (at, _) in folded.match_indices(phrase) {
            let words: Vec<&str> = folded[..at].split_whitespace().rev().take(5).collect();
            let head = words.iter().find(|w| !EN_BETWEEN.contains(w));
            let far =
                folded[..at].trim_end().ends_with("far from") || folded[..at].trim_end().ends_with("nowhere near");
            if far || head.is_some_and(|w| w.ends_with("n't") || matches!(*w, "not" | "never" | "no")) {
                spans.push((at, at + phrase.len()));
            }
        }
    }
    for phrase in ZH {
        for (at, _) in folded.match_indices(phrase) {
            let before = &folded[..at];
            if ["没有", "没", "还没", "远没", "不会", "并没有", "未"].iter().any(|d| before.ends_with(d)) {
                spans.push((at, at + phrase.len()));
            }
        }
    }
    for (start, end) in spans {
        text.replace_range(start..end, &" ".repeat(end - start));
    }
    text
}

/// A clock the host says is not there: "there's no countdown", "there isn't a deadline", "I haven't been told of
/// any time limit", 没有倒计时, 电水壶不是限时的. The word for the clock is taken out when the words right before it
/// deny it (a "no", "without", "isn't a"; an "any" after a negation earlier in its clause; 没有, 没, 无, 不是 with
/// at most 任何, 什么 or 设 between), and so is a need for speed that is the viewer's ("need it in a hurry?", "if
/// you're in a rush"), and a clock asked about ("Is there a deadline on the deals?"). Anything pressing elsewhere in
/// the sentence still counts: "No countdown, but hurry!".
fn without_denied_deadlines(folded: &str) -> String {
    const EN_CLOCKS: &[&str] = &["countdown", "deadline", "time limit", "end date", "end time"];
    const ZH_CLOCKS: &[&str] = &["倒计时", "限时", "截止时间", "截止日期", "时间限制", "期限"];
    const EN_BETWEEN: &[&str] =
        &["a", "an", "any", "real", "official", "actual", "such", "kind", "sort", "of", "set", "active", "running"];
    const EN_DENY: &[&str] = &["no", "without", "zero", "isn't", "not", "never", "nor"];
    const ZH_BETWEEN: &[&str] =
        &["任何", "什么", "设置", "设定", "设", "这个", "那种", "这种", "看到", "看见", "收到", "听说"];
    const ZH_DENY: &[&str] = &[
        "没有",
        "没",
        "无",
        "未",
        "不是",
        "并非",
        "不存在",
        "不设",
        "不能说",
        "不会说",
        "不敢说",
        "没法说",
        "不能说是",
    ];
    let breaks = [',', '.', ';', '!', '?', '—', '–', '，', '。', '；', '！', '？'];
    let clause_start =
        |before: &str| before.rfind(breaks).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    let mut spans = Vec::new();
    for clock in EN_CLOCKS {
        for (at, _) in folded.match_indices(clock) {
            let before = &folded[..at];
            let clause = &before[clause_start(before)..];
            let words: Vec<&str> = clause.split_whitespace().collect();
            let mut saw_any = false;
            let mut denied = false;
            for word in words.iter().rev() {
                if EN_BETWEEN.contains(word) {
                    saw_any |= *word == "any";
                    continue;
                }
                denied = EN_DENY.contains(word);
                break;
            }
            let negated_clause = words
                .iter()
                .any(|w| w.ends_with("n't") || matches!(*w, "no" | "not" | "never" | "without" | "nothing" | "none"));
            // "these promotions don't have an end time", "nothing in my info puts a deadline on it".
            let article = words.last().is_some_and(|w| matches!(*w, "a" | "an" | "any"));
            // "Is there a deadline on the deals?": a clock asked about is not one said to run.
            let after = &folded[at..];
            let asked = after.find(breaks).is_some_and(|i| after[i..].starts_with('?'))
                && words.first().is_some_and(|w| matches!(*w, "is" | "are" | "any" | "does" | "do" | "was"));
            if denied || asked || ((saw_any || article) && negated_clause) {
                spans.push((at, at + clock.len()));
            }
        }
    }
    for clock in ZH_CLOCKS {
        for (at, _) in folded.match_indices(clock) {
            let mut before = &folded[..at];
            let mut denied = ZH_DENY.iter().any(|d| before.ends_with(d));
            while let Some(shorter) = ZH_BETWEEN.iter().find_map(|w| before.strip_suffix(w)) {
                before = shorter;
                denied |= ZH_DENY.iter().any(|d| before.ends_with(d));
            }
            if denied {
                spans.push((at, at + clock.len()));
            }
        }
    }
    // A deadline with its day denied: 不是周五截止, 活动并不是今晚结束. Only a few characters of time stand between
    // the denial and the deadline word; what follows (是周四截止) is read as usual.
    for end_word in ["截止", "结束", "到期"] {
        for (at, _) in folded.match_indices(end_word) {
            let before = &folded[..at];
            let clause = &before[clause_start(before)..];
            let Some((from, deny)) = ["并不是", "不是", "并非", "没说", "没有说"]
                .iter()
                .filter_map(|d| clause.rfind(*d).map(|i| (i, *d)))
                .max_by_key(|(i, d)| i + d.len())
            else {
                continue;
            };
            let between = &clause[from + deny.len()..];
            if between.chars().count() <= 6 && between.chars().all(|c| !matches!(c, '是' | '就' | '只')) {
                spans.push((at - clause.len() + from, at + end_word.len()));
            }
        }
    }
    // The viewer's own hurry: "need hot water in a hurry?", "if you're in a rush".
    for need in ["in a hurry", "in a rush"] {
        for (at, _) in folded.match_indices(need) {
            let before = &folded[..at];
            let clause = &before[clause_start(before)..];
            let asked = folded[at + need.len()..].trim_start().starts_with('?');
            let viewers =
                ["need", "if you", "when you", "you're", "you are", "for those"].iter().any(|w| clause.contains(w));
            if asked || viewers {
                spans.push((at, at + need.len()));
            }
        }
    }
    let mut text = folded.to_string();
    for (start, end) in spans {
        text.replace_range(start..end, &" ".repeat(end - start));
    }
    text
}

/// "Feel free to ask", "BPA-free" and "free of BPA" say nothing about price.
pub(super) fn without_benign_free(folded: &str) -> String {
    let mut text = folded.to_string();
    if !text.contains("free") {
        return text;
    }
    let benign = [
        "feel free",
        "free to ask",
        "free to drop",
        "free to leave",
        "-free",
        "free of bpa",
        "free of plastic",
        "free from",
        "free time",
        "free-standing",
        "freestanding",
        "hands-free",
        "hands free",
        "free-range",
        "free range",
        // Instalments without interest: a promotion of their own, judged as one.
        "interest-free",
        "interest free",
        // Said not to exist: "there's no free gift with the kettle".
        "no free gifts",
        "no free gift",
    ];
    for benign in benign {
        text = text.replace(benign, " ");
    }
    // "There's no free shipping listed for the kettle, and I won't make one up": a clause that says the data holds
    // no such thing claims nothing either way.
    blank_free_not_listed(&mut text);
    text
}

/// Blanks "free" in each clause that denies it and says that the data lists none: "no free shipping listed", "not
/// free shipping on the card", "nothing free in my info".
fn blank_free_not_listed(text: &mut String) {
    const NEGATIONS: [&str; 6] = ["no ", "not ", "n't ", "nothing ", "nobody", "no one"];
    const LISTED: [&str; 14] = [
        "listed",
        "stated",
        "mentioned",
        "on the card",
        "on the listing",
        "in the listing",
        "in my info",
        "in my notes",
        "in the data",
        "on file",
        "given me",
        "make one up",
        "make it up",
        "invent",
    ];
    let mut out = String::with_capacity(text.len());
    for clause in text.split_inclusive([',', '.', ';', '!', '?', '，', '。', '；', '！', '？']) {
        let free = clause.find("free");
        let denied = free.is_some_and(|at| NEGATIONS.iter().any(|n| clause[..at].contains(n)));
        if denied && LISTED.iter().any(|l| clause.contains(l)) {
            out.push_str(&clause.replace("free", " "));
        } else {
            out.push_str(clause);
        }
    }
    *text = out;
}

/// A half-price claim is a specific discount: only a 50% ledger discount backs it.
pub(super) static HALF_PRICE: Phrases = Phrases::new(&[
    "half price",
    "half off",
    "half-price",
    "50% off",
    "半价",
    "五折",
    "对折",
    "减半",
    "砍半",
    "便宜了一半",
    "便宜一半",
    "省了一半",
    "省一半",
    "一半的价格",
    "half the price",
]);

pub(super) static SOLD_OUT: Phrases = Phrases::new(&[
    "all gone",
    "sold out",
    "out of stock",
    "none left",
    "no stock",
    "none in stock",
    "not in stock",
    "no longer in stock",
    "no more in stock",
    "售罄",
    "卖完",
    "卖光",
    "没货",
    "缺货",
    "断货",
    "没有库存",
    "没库存",
    "无库存",
    "库存没了",
]);

pub(super) static STOCK: Phrases = Phrases::new(&[
    "in stock",
    "left in stock",
    "units left",
    "pieces left",
    "items left",
    "stock left",
    "remaining",
    "库存",
    "现货",
    "件库存",
    "还有货",
]);

pub(super) static URGENCY: Phrases = Phrases::new(&[
    "the price is gone",
    "price will be gone",
    "price goes up",
    "price disappears",
    "就没有这个价",
    "就没这个价",
    "过了十二点",
    "过了零点",
    "过了今晚",
    "jump back to",
    "jumps back to",
    "go back up to",
    "goes back up",
    "back to full price",
    "恢复原价",
    "涨回",
    "回到原价",
    "今晚有",
    "只是今晚",
    "听日就",
    "明天就没",
    "明天就冇",
    "过了今晚",
    "final call",
    "last call",
    "hurry",
    "rush",
    "act now",
    "act fast",
    "today only",
    "only today",
    "tonight only",
    "ends soon",
    "ends today",
    "ends tonight",
    "ending soon",
    "ends in",
    "don't miss out",
    "do not miss out",
    "don't wait",
    "now or never",
    "limited time",
    "limited-time",
    "countdown",
    "time limit",
    "clock is ticking",
    "time is running out",
    "expires",
    "deadline",
    "限时",
    "赶紧",
    "赶快",
    "抓紧",
    "快抢",
    "马上抢",
    "马上下单",
    "马上拍",
    "马上买",
    "马上结束",
    "马上恢复原价",
    "马上涨价",
    "明天涨价",
    "明天就涨",
    "明天恢复原价",
    "明天就恢复原价",
    "立即下单",
    "立刻下单",
    "今天只",
    "仅限今天",
    "只到今",
    "今晚有效",
    "今天有效",
    "今天晚上有效",
    "until tonight",
    "till tonight",
    "仅此一天",
    "今晚截止",
    "倒计时",
    "错过",
    "过时不候",
    "this hour only",
    "last hour",
    "final hours",
    "final minutes",
    "last call",
    "just today",
    "only till",
    "only until",
    "until tonight",
    "this stream only",
    "stream only",
    "while we're live",
    "before the stream ends",
    "ends at",
    "截止",
    "结束前",
    "活动结束",
    "优惠结束",
    "恢复原价",
    "下播前",
    "下播后",
    "只有今天",
    "只限今天",
    "仅限今晚",
    "今晚结束",
]);

/// A deal given an end by name: "these tea set deals end Sunday", "the coupon expires at midnight", "offer's over
/// on Friday". A deal word, then an ending verb, then a day or a time, in one clause with no denial (the data holds
/// no end for any deal unless the product's own offer ends, which the caller checks).
pub(super) fn deal_ends_named(folded: &str) -> bool {
    const DEALS: [&str; 14] = [
        "deal",
        "deals",
        "offer",
        "offers",
        "sale",
        "promo",
        "promos",
        "promotion",
        "promotions",
        "price",
        "discount",
        "discounts",
        "coupon",
        "code",
    ];
    const ENDS: [&str; 12] = [
        "end", "ends", "ending", "expire", "expires", "expiring", "finish", "finishes", "over", "stops", "stop",
        "close",
    ];
    const WHEN: [&str; 14] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "midnight",
        "tomorrow",
        "tonight",
        "weekend",
        "noon",
        "today",
        "week",
    ];
    const DENIALS: [&str; 6] = ["not", "no", "never", "without", "nothing", "cannot"];
    folded.split(['.', ',', ';', '!', '?', ':', '—']).any(|clause| {
        let words: Vec<&str> =
            clause.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
        let Some(deal) = words.iter().position(|w| DEALS.contains(&w.trim_end_matches("'s"))) else { return false };
        let Some(end) = words[deal..].iter().position(|w| ENDS.contains(w)).map(|e| deal + e) else { return false };
        let named = words[end..].iter().take(5).any(|w| WHEN.contains(w));
        let denied = words.iter().any(|w| DENIALS.contains(w) || w.ends_with("n't"));
        named && !denied && end - deal <= 6
    })
}

/// "Free" with nothing to say what is free. Gifts, buy-x-get-y and free shipping are judged as claims of their own
/// (see the claims module); what they leave is this list.
pub(super) static FREE: Phrases = Phrases::new(&[
    "free",
    "for nothing",
    "no charge",
    "at no cost",
    "complimentary",
    "on the house",
    "免费",
    "白送",
    "零元",
    "0元",
    "不要钱",
    "'s on us",
    "is on us",
    "are on us",
]);

pub(super) static DISCOUNT: Phrases = Phrases::new(&[
    "discount*",
    "percent off",
    "per cent off",
    "% off",
    "off the price",
    "on sale",
    "sale price",
    "markdown",
    "marked down",
    "price cut",
    "price drop",
    "cheaper than",
    "save big",
    "you save",
    "打折",
    "折扣",
    "半价",
    "优惠",
    "降价",
    "特价",
    "立减",
    "直降",
    "省了",
    "便宜了",
]);

/// A restock promised: "it'll be back in stock next week", 下周会补货, 下個禮拜會restock; or more said to wait in a
/// warehouse (仓库里还有老多, "plenty more in the warehouse"). The data never says when more comes, nor that more than
/// the stock exists. Not when the clause denies or will not promise it ("I can't promise a restock", 不会补货,
/// 没有补货时间).
pub(super) fn restock_promised(folded: &str) -> bool {
    const RESTOCK: [&str; 7] = ["restock", "back in stock", "more coming", "more on the way", "补货", "補貨", "下一批"];
    // More said to be in a warehouse, with no count (a count there is the stock, judged as one).
    const WAREHOUSE: [&str; 6] =
        ["more in the warehouse", "more in the back", "warehouse is full", "仓库里还有", "仓库还有", "倉庫還有"];
    // A count: digits, or a numeral before a measure word (十二台, not 一大堆).
    let counted = |clause: &str| {
        let chars: Vec<char> = clause.chars().collect();
        clause.contains(|c: char| c.is_ascii_digit())
            || chars.windows(2).any(|w| "一二两三四五六七八九十百几".contains(w[0]) && "台套件个只把".contains(w[1]))
    };
    const DENIALS: [&str; 13] =
        ["no ", "not ", "n't", "never", "nobody", "no one", "没", "不", "无", "冇", "唔", "未", "別"];
    // A restock the host will only report if it comes: "once it's restocked I'll let you know", 补货了我会告诉大家.
    const IF_IT_COMES: [&str; 12] =
        ["if ", "when ", "once ", "let you know", "tell you", "如果", "要是", "的话", "一旦", "告诉", "通知", "说一声"];
    folded.split(['.', ',', ';', '!', '?', '。', '，', '；', '！', '？']).any(|clause| {
        (RESTOCK.iter().any(|r| clause.contains(r))
            || (WAREHOUSE.iter().any(|w| clause.contains(w)) && !counted(clause)))
            && !DENIALS.iter().any(|d| clause.contains(d))
            && !IF_IT_COMES.iter().any(|w| clause.contains(w))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word in single quotes, or a possessive, is still the word: "'free'" and "OpenAI's" were once missed
    /// because the apostrophes stayed part of the word.
    #[test]
    fn quoted_and_possessive_words_are_still_found() {
        assert!(PERSONA_EXIT.find("i run on openai's newest model.").is_some());
        assert!(PERSONA_EXIT.find("built by 'openai' of course.").is_some());
        assert_eq!(words("'free' shipping on openai's"), vec!["free", "shipping", "on", "openai", "openai's"]);
        assert!(PERSONA_EXIT.find("i'm happy to help.").is_none());
    }

    /// The automaton finds what trying each phrase that counts in turn finds, on sentences built from the lists'
    /// own phrases with apostrophes, quotes, run-on letters, digits and Chinese around them.
    #[test]
    fn one_pass_finds_what_each_phrase_in_turn_finds() {
        let lists: [&Phrases; 15] = [
            &PROMPT_LEAK,
            &PERSONA_EXIT,
            &PROFANITY,
            &LINKS,
            &EMPATHY,
            &SCARCITY_ALWAYS,
            &SCARCITY_WITH_COUNT,
            &SINGLE_DIGITS,
            &SOLD_OUT,
            &STOCK,
            &URGENCY,
            &FREE,
            &DISCOUNT,
            &HALF_PRICE,
            &EN_ONLY_LEFT_WORDS,
        ];
        let glue = [" ", "'", "'s ", "s ", "x", "1", "\"", ", ", "。", "的", "-", ""];
        let mut rng = fastrand::Rng::with_seed(0xF1_4D5);
        let mut checked = 0;
        for list in lists {
            for _ in 0..400 {
                let mut sentence = String::new();
                for _ in 0..rng.usize(1..5) {
                    sentence.push_str(glue[rng.usize(..glue.len())]);
                    let phrase = list.list[rng.usize(..list.list.len())];
                    sentence.push_str(phrase.trim_end_matches('*'));
                    sentence.push_str(glue[rng.usize(..glue.len())]);
                }
                let words = words(&sentence);
                let each = (list.list.iter())
                    .filter(|phrase| Key::of(phrase).holds(&words))
                    .filter_map(|phrase| find_one(&sentence, phrase))
                    .min();
                assert_eq!(list.find(&sentence), each, "{sentence:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 15 * 400);
    }
}
