//! Whether a comment asks if the host is a person or an AI ("are you a real person or a bot?", "主播是真人吗").
//! The show answers such a question with the truth, every time it is asked, so triage has to see it whatever the
//! wording: with or without a question mark, in chat spelling ("r u a bot"), or as a choice ("human or AI?").
//!
//! Reads normalised text (lower case, NFKC). The rules look for who is asked about (you, the host, she/he) next to
//! what is asked (a bot, an AI, real, human), so "is it real leather?" or "this AI host is great" are not questions
//! about the host.

/// Words that name what an AI host might be.
const MACHINE: &[&str] = &[
    "bot",
    "robot",
    "ai",
    "chatbot",
    "computer",
    "machine",
    "avatar",
    "cgi",
    "deepfake",
    "vtuber",
    "npc",
    "automated",
    "generated",
    "animated",
    "virtual",
    "program",
    "algorithm",
    "gpt",
    "chatgpt",
    "android",
    "hologram",
    "digital",
    "synthetic",
    "artificial",
    "cartoon",
];

/// Words that ask whether someone is a person.
const PERSON: &[&str] = &["real", "human", "person", "fake", "alive", "live", "actual", "people", "humans"];

/// Who a question about the host is about, as word sequences.
const SUBJECTS: &[&[&str]] = &[
    &["are", "you"],
    &["are", "u"],
    &["r", "u"],
    &["r", "you"],
    &["u", "r"],
    &["you", "are"],
    &["you", "re"],
    &["youre"],
    &["ur"],
    &["is", "the", "host"],
    &["is", "this", "host"],
    &["is", "the", "presenter"],
    &["is", "the", "lady"],
    &["is", "the", "girl"],
    &["is", "the", "woman"],
    &["is", "the", "guy"],
    &["is", "the", "man"],
    &["is", "the", "seller"],
    &["is", "the", "streamer"],
    &["is", "she"],
    &["is", "he"],
    &["is", "her"],
    &["am", "i", "talking"],
    &["talking", "to"],
    &["is", "anyone"],
    &["is", "anybody"],
    &["is", "someone"],
    &["is", "there", "a"],
];

/// Words that point at the stream itself ("is this a bot?", "is it AI?"): with these only a machine word counts,
/// because "is this real?" is as likely about the product.
const THINGS: &[&[&str]] = &[&["is", "this"], &["is", "that"], &["is", "it"], &["this", "is"], &["it", "s"], &["its"]];

/// Chinese words for a machine host or a real person.
const ZH_WHAT: &[&str] = &[
    "真人",
    "机器人",
    "人工智能",
    "数字人",
    "虚拟人",
    "虚拟主播",
    "假人",
    "ai主播",
    "ai生成",
    "电脑合成",
    "ai",
    "机器",
    "程序",
    "真的人",
    "活人",
    "本人",
];

/// Chinese markers that make a sentence a question.
const ZH_ASK: &[&str] = &["吗", "嘛", "么", "?", "？", "是不是", "还是", "吧", "真的假的", "难道", "是否"];

fn words(text: &str) -> Vec<String> {
    // "a.i." is an AI too.
    let text = text.replace("a.i.", "ai").replace("a.i", "ai");
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn starts_at(words: &[String], at: usize, phrase: &[&str]) -> bool {
    phrase.iter().enumerate().all(|(k, p)| words.get(at + k).is_some_and(|w| w == p))
}

/// Whether one of `wanted` comes within `window` words after position `from`.
fn soon(words: &[String], from: usize, window: usize, wanted: &[&str]) -> bool {
    words.iter().skip(from).take(window).any(|w| wanted.contains(&w.as_str()))
}

fn english(text: &str) -> bool {
    let words = words(text);
    for at in 0..words.len() {
        for subject in SUBJECTS {
            if starts_at(&words, at, subject) {
                let after = at + subject.len();
                if soon(&words, after, 5, MACHINE) || soon(&words, after, 4, PERSON) {
                    return true;
                }
            }
        }
        for thing in THINGS {
            if starts_at(&words, at, thing) && soon(&words, at + thing.len(), 3, MACHINE) {
                return true;
            }
        }
        // A choice between the two: "human or AI?", "bot or real person", "ai or real".
        if words[at] == "or" && at > 0 {
            let before = words[at - 1].as_str();
            let either = |w: &str| MACHINE.contains(&w) || PERSON.contains(&w);
            let mentions_machine = MACHINE.contains(&before) || soon(&words, at + 1, 2, MACHINE);
            if either(before) && soon(&words, at + 1, 2, &[MACHINE, PERSON].concat()) && mentions_machine {
                return true;
            }
        }
    }
    false
}

fn chinese(text: &str) -> bool {
    let Some(at) = ZH_WHAT.iter().filter_map(|w| text.find(w).map(|at| (at, *w))).min_by_key(|(at, _)| *at) else {
        return false;
    };
    let (at, what) = at;
    // "ai" must stand alone, not be part of a Latin word ("said", "train").
    if what == "ai" {
        let before = text[..at].chars().next_back();
        let after = text[at + 2..].chars().next();
        if before.is_some_and(|c| c.is_ascii_alphabetic()) || after.is_some_and(|c| c.is_ascii_alphabetic()) {
            return false;
        }
    }
    // "本人" and "程序" are everyday words: only "你是本人吗" style questions about the host count.
    let about_host = ["你", "主播", "这是", "这个是", "是不是", "对面"].iter().any(|w| text.contains(w));
    let ordinary = matches!(what, "本人" | "程序" | "机器");
    let has_han = text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    has_han && ZH_ASK.iter().any(|m| text.contains(m)) && (about_host || !ordinary)
}

/// Whether the normalised comment asks if the host is a person or an AI.
pub fn asks_about_host(normalized: &str) -> bool {
    english(normalized) || chinese(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::normalize;

    fn asks(text: &str) -> bool {
        asks_about_host(&normalize(text).text)
    }

    /// Generated questions about the host: every subject with every way of naming a machine or a person, with
    /// and without punctuation, chat spelling and a trailing remark.
    #[test]
    fn questions_about_the_host_are_seen_however_they_are_worded() {
        let subjects = ["are you", "r u", "are u", "is the host", "is she", "u r", "is this host"];
        let whats = ["a bot", "an AI", "a real person", "real", "human", "a robot", "AI generated", "a real human"];
        let tails = ["?", "", " lol", "??? just curious", " or not"];
        let mut missed = Vec::new();
        let mut total = 0;
        for subject in subjects {
            for what in whats {
                for tail in tails {
                    let text = format!("{subject} {what}{tail}");
                    total += 1;
                    if !asks(&text) {
                        missed.push(text);
                    }
                }
            }
        }
        assert!(missed.is_empty(), "missed {} of {total}: {missed:#?}", missed.len());
        let zh_subjects = ["你", "主播", "主播你", "这个主播", "对面"];
        let zh_whats = ["是真人", "是机器人", "是AI", "是数字人", "是虚拟主播", "是人工智能"];
        let zh_tails = ["吗", "吗？", "吧", "嘛", "？？"];
        for s in zh_subjects {
            for w in zh_whats {
                for t in zh_tails {
                    let text = format!("{s}{w}{t}");
                    assert!(asks(&text), "{text}");
                }
            }
        }
        for text in [
            "human or AI?",
            "bot or real person",
            "am i talking to a bot",
            "is this a bot",
            "is it ai",
            "Are You A.I.?",
            "wait... are you even real?",
            "真人还是AI？",
            "是不是机器人啊",
            "这是AI主播吧",
            "主播是真的人吗",
        ] {
            assert!(asks(text), "{text}");
        }
    }

    /// Questions about products, praise and chat that mention the same words are not questions about the host.
    #[test]
    fn product_questions_and_chatter_are_not_questions_about_the_host() {
        for text in [
            "is it real leather?",
            "is this real wool",
            "is the diamond real?",
            "this AI host is great",
            "I love AI",
            "are you shipping to canada?",
            "are you guys open on sunday",
            "is the lamp adjustable",
            "how much is it",
            "this is real porcelain right?",
            "the robot vacuum one please",
            "这个是真皮吗",
            "是纯棉的吗",
            "程序员表示很喜欢",
            "本人已下单",
            "多少钱",
            "she said it was great",
            "real or fake leather?",
        ] {
            assert!(!asks(text), "{text}");
        }
    }
}
