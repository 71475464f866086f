//! Dialect spellings read as the standard words the checks are written in: Cockney and pirate English drop an h
//! ('ot, 'ad, 'er) or a g (mornin', goin'), say "me" for "my" and "afore" for "before"; 陕西话 says 额 for 我 and
//! 莫有 for 没有; 上海话 says 阿拉 for 我们, 侬 for 你 and 勿 for 不. A line is checked as written and, where this
//! reading differs, as read here too: it airs only if both pass, so a dialect spelling never hides a claim and the
//! words aired are always the ones written.

/// Nouns after which "me" is "my" ("me nan", "me crew", "wipe me brow"): a person's family, body, home and
/// belongings. Before anything else "me" stays "me" ("let me pull up the card", "send me your questions").
const MY_NOUNS: &[&str] = &[
    "nan",
    "nana",
    "gran",
    "granny",
    "mum",
    "mam",
    "ma",
    "dad",
    "da",
    "old",
    "missus",
    "wife",
    "husband",
    "hubby",
    "kids",
    "kid",
    "son",
    "daughter",
    "brother",
    "sister",
    "family",
    "fam",
    "crew",
    "ship",
    "mates",
    "mate",
    "brow",
    "forehead",
    "hands",
    "hand",
    "face",
    "back",
    "feet",
    "head",
    "eyes",
    "legs",
    "arms",
    "throat",
    "belly",
    "kitchen",
    "house",
    "home",
    "flat",
    "gaff",
    "place",
    "kettle",
    "cuppa",
    "breakfast",
    "dresser",
    "cat",
    "dog",
    "missus's",
    "neighbour",
    "neighbours",
    "boys",
    "lads",
    "girls",
    "parrot",
    "cabin",
    "galley",
    "morning",
    "mornings",
];

/// English words read as their standard spelling.
const EN_WORDS: &[(&str, &str)] = &[
    ("'ot", "hot"),
    ("'ad", "had"),
    ("'er", "her"),
    ("'is", "his"),
    ("'im", "him"),
    ("'ome", "home"),
    ("'and", "hand"),
    ("'ands", "hands"),
    ("'ave", "have"),
    ("'avin'", "having"),
    ("'ere", "here"),
    ("'em", "them"),
    ("an'", "and"),
    ("afore", "before"),
    ("ye", "you"),
    ("yer", "your"),
    ("innit", "isn't it"),
    ("me", "my"),
];

/// Chinese words read as Mandarin, each with the characters that must follow it (empty: any).
const ZH_WORDS: &[(&str, &str, &[&str])] = &[
    // 陕西话: 额 is 我 before what a subject or an owner says (额屋里, 额跟你说, 额是, 额老汉); elsewhere it is a
    // forehead, an amount (金额) or 上海话's 的, left alone.
    (
        "额",
        "我",
        &[
            "屋里", "家", "跟", "们", "是", "给", "也", "天天", "每天", "自己", "老汉", "爸", "妈", "刚", "就", "都",
            "亲", "用", "买", "试", "喝", "婆姨", "娃",
        ],
    ),
    ("屋里", "家里", &[]),
    ("老汉", "老爸", &[]),
    ("婆姨", "老婆", &[]),
    ("莫有", "没有", &[]),
    ("阿拉", "我们", &[]),
    // 客家话: 涯 (涯兜 "we"), 阿姆, 食, 今朝, 肚笥.
    ("涯兜", "我们", &[]),
    ("涯", "我", &[]),
    ("阿姆", "妈妈", &[]),
    ("好食", "好吃", &[]),
    ("食饭", "吃饭", &[]),
    ("分涯食", "给我吃", &[]),
    ("今朝", "今天", &[]),
    ("肚笥", "肚子", &[]),
    // 闽南/台语: 阮 ("I", "we"), 厝 (home), 阿嬷, 每工, 今仔日, 恁, 呷.
    ("阮", "我", &["厝", "今", "每", "阿", "嘛", "也", "是", "用", "有", "家", "兜", "自己", "的", "攏", "逐工", "拢"]),
    ("厝内", "家里", &[]),
    ("厝", "家", &[]),
    ("阿嬷", "奶奶", &[]),
    ("每工", "每天", &[]),
    ("逐工", "每天", &[]),
    ("今仔日", "今天", &[]),
    ("恁", "你们", &[]),
    ("呷", "吃", &[]),
    ("侬", "你", &[]),
    ("勿", "不", &[]),
];

/// `text` as read in standard words, or `None` where nothing in it reads differently.
pub fn plain(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    // English, word by word: a word is a run of letters and apostrophes.
    let chars: Vec<char> = text.chars().collect();
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        let starts_word = c.is_ascii_alphabetic()
            || (c == '\''
                && chars.get(k + 1).is_some_and(char::is_ascii_alphabetic)
                && (k == 0 || !chars[k - 1].is_alphanumeric()));
        if !starts_word {
            out.push(c);
            k += 1;
            continue;
        }
        let start = k;
        k += 1;
        while k < chars.len() && (chars[k].is_ascii_alphabetic() || chars[k] == '\'') {
            k += 1;
        }
        let word: String = chars[start..k].iter().collect();
        let lower = word.to_ascii_lowercase();
        let next_word: String = chars[k..]
            .iter()
            .skip_while(|c| **c == ' ')
            .take_while(|c| c.is_ascii_alphabetic() || **c == '\'')
            .collect::<String>()
            .to_ascii_lowercase();
        let spaced = chars.get(k) == Some(&' ');
        let replacement = match lower.as_str() {
            "me" => (spaced && MY_NOUNS.contains(&next_word.trim_end_matches("'s"))).then_some("my"),
            w => EN_WORDS.iter().find(|(from, _)| *from == w && *from != "me").map(|(_, to)| *to),
        };
        let dropped_g = lower.len() > 4
            && lower.ends_with("in'")
            && lower[..lower.len() - 3].chars().all(|c| c.is_ascii_alphabetic());
        match replacement {
            Some(to) => {
                out.push_str(to);
                changed = true;
            }
            None if dropped_g => {
                out.push_str(&word[..word.len() - 1]);
                out.push('g');
                changed = true;
            }
            None => out.push_str(&word),
        }
    }
    for (from, to, before) in ZH_WORDS {
        if !out.contains(from) {
            continue;
        }
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(from) {
            let after = &rest[at + from.len()..];
            next.push_str(&rest[..at]);
            // 额 as 我 opens a clause or follows a verb that takes it (跟额说): 金额是, 余额就 keep theirs.
            let previous = next.chars().next_back();
            // 天涯, 生涯 keep their 涯.
            let horizon = *from == "涯" && previous.is_some_and(|p| "天生无海".contains(p));
            let owner_of_amount = *from == "额"
                && previous
                    .is_some_and(|p| ('\u{4e00}'..='\u{9fff}').contains(&p) && !"跟给让叫和说对帮找".contains(p));
            if !owner_of_amount && !horizon && (before.is_empty() || before.iter().any(|b| after.starts_with(b))) {
                next.push_str(to);
                changed = true;
            } else {
                next.push_str(from);
            }
            rest = after;
        }
        next.push_str(rest);
        out = next;
    }
    // 日系中文: 人家 as "I" where the line speaks in the cute register (人家今天好困捏, 人家用过的说); elsewhere
    // 人家 is "other people" (人家都买了) and stays.
    if ["捏", "哒", "的说", "嘛～"].iter().any(|p| out.contains(p)) && out.contains("人家") {
        out = out.replace("人家", "我");
        changed = true;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn dialect_spellings_read_as_standard_words() {
        for (dialect, standard) in [
            ("goin' like 'ot cakes", "going like hot cakes"),
            ("me nan's 'ad it on 'er dresser", "my nan's had it on her dresser"),
            ("give me a second, wipe me brow", "give me a second, wipe my brow"),
            ("let me pull up me kettle", "let me pull up my kettle"),
            ("grab yours afore they vanish", "grab yours before they vanish"),
            ("额屋里老汉天天用", "我家里老爸天天用"),
            ("阿拉上海人，侬看看，剩勿多了", "我们上海人，你看看，剩不多了"),
            ("手慢就莫有咧", "手慢就没有咧"),
            ("涯阿姆用过，好食", "我妈妈用过，好吃"),
            ("阮厝内嘛有一只，阮每工用", "我家里嘛有一只，我每天用"),
            ("人家刚吃完便当，好困捏", "我刚吃完便当，好困捏"),
        ] {
            assert_eq!(plain(dialect).as_deref(), Some(standard), "{dialect}");
        }
        // Nothing to read differently: the line is left as it is.
        for standard in [
            "The kettle is $30.",
            "金额是199元，额度够用，余额就这些。",
            "浪迹天涯，职业生涯。",
            "阮先生说。",
            "人家都买了。",
            "Tell me more about it.",
            "Let me pull up the card.",
            "Send me your questions.",
            "It's 9 o'clock.",
        ] {
            assert_eq!(plain(standard), None, "{standard}");
        }
    }
}
