//! Identity and experience claims: the three lies an AI host must never tell about itself.
//!
//! The host is an AI. It says so on screen and out loud, and it has never held, tasted or worn anything. A sentence
//! breaks that in one of three ways: it denies being an AI ("I'm not a bot", 我不是机器人), it claims a person's
//! life (being human or real, sitting in a studio, a body, a family, a home, an age, hunger; "I'm a real host",
//! 我老公天天用), or it claims to have used the product (亲测, "I've been wearing mine all winter"). A jailbroken or
//! drifting model writes these in endless phrasings, so a list of sentences would always be one paraphrase behind.
//!
//! Instead [`identity_claim`] reads the sentence's structure. It finds where the host talks about itself (I, 我,
//! 本人, 人家, "your host", 主播), then reads the predicate that follows: a copula with or without a negation, a
//! location verb, "have"/有, an experience verb with its tense or aspect (used, 用过, 在用, 每天都用), and the
//! predicate's head (an AI word, a person word, a body part, a family member, a place). Chinese and English share
//! one token stream, so a sentence that switches language halfway ("Honestly 我是真人，not a bot") still parses.
//!
//! The same structure lets the honest host's own lines through: "I'm an AI host" affirms, "I'm not a person" and
//! 我不是真人 deny humanity (true), "I can't try it myself" is negated and modal, "customers use it every day" has
//! another subject, "it sits on a desk" is not about the host, and 我用一句话总结 uses 用 as "with", not "used".
//! Hypothetical and reported frames ("if I were a person", "people ask if I'm real", 你们以为我是真人吗) are not
//! claims either.
//!
//! It is pure, allocation-light and linear in the sentence's length: it runs on every sentence the host says.

use model::GuardRule;
use std::collections::HashMap;
use std::sync::OnceLock;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// The identity or experience claim in `sentence`, if any.
///
/// When a sentence makes more than one, the earliest in the sentence is reported (on a tie: a denial, then an
/// experience claim, then a human claim). A sentence that names none of them but has the host say something about
/// itself that an AI host cannot truly say ([`crate::self_talk`]) is a human claim.
pub fn identity_claim(sentence: &str) -> Option<GuardRule> {
    let lex = lexicon();
    // Written Cantonese is read in the Mandarin the lexicon is written in: 我係AI，冇手冇腳 is 我是AI，没有手没有脚.
    let mandarin;
    let sentence = if crate::cantonese::is_cantonese(sentence) {
        mandarin = crate::cantonese::as_mandarin(&crate::cantonese::simplified_reading(sentence));
        mandarin.as_str()
    } else {
        sentence
    };
    // "What if I told you I'm human? I'd be lying.": taken back before the frame is read as a claim.
    let mut unframed = fold(sentence, lex);
    for (start, end) in crate::guard::retracted_hypotheticals(&unframed) {
        crate::guard::blank_span(&mut unframed, start, end);
    }
    let mut folded = plain_words(&unframed);
    // What someone else said or asked, corrected by the host, is not the host's claim.
    crate::guard::blank_reported_and_corrected(&mut folded);
    let tokens = tokenize(&folded, lex);
    let t = tokens.as_slice();
    [
        (denies_ai(t), GuardRule::DeniesAi),
        (claims_experience(t), GuardRule::ClaimsExperience),
        (claims_human(t), GuardRule::ClaimsHuman),
    ]
    .into_iter()
    .filter_map(|(at, rule)| Some((at?, rule)))
    .min_by_key(|&(at, _)| at)
    .map(|(_, rule)| rule)
    .or_else(|| touched_zh(&folded).then_some(GuardRule::ClaimsExperience))
    .or_else(|| handled_in_person(&folded).then_some(GuardRule::ClaimsExperience))
    .or_else(|| a_body_in_need(&folded).then_some(GuardRule::ClaimsHuman))
    .or_else(|| one_of_the_people(&folded).then_some(GuardRule::ClaimsHuman))
    .or_else(|| real_person_said_bare(&folded).then_some(GuardRule::ClaimsHuman))
    .or_else(|| crate::self_talk::unlisted_self_talk(&folded).then_some(GuardRule::ClaimsHuman))
}

/// The folded sentence with the few phrases the lexicon's single words cannot hold read as those words: "flesh and
/// blood" is "real"; "artificial intelligence" is "ai". A claim put as "what if I told you …?" is a claim, not a
/// question: the frame goes, and its question mark with it.
fn plain_words(folded: &str) -> String {
    let mut s = folded.to_string();
    // Only as an adjective: "Yep, flesh and blood." is read as a phrase of its own (crate::self_talk).
    for noun in ["person", "human", "host", "woman", "man", "people", "being", "guy", "girl"] {
        // A flesh-and-blood anything is a person.
        s = s.replace(&format!("flesh-and-blood {noun}"), "real person");
        s = s.replace(&format!("flesh and blood {noun}"), "real person");
    }
    s = s.replace("artificial intelligence", "ai");
    // The copula dropped, as Singlish and chat do: "I AI one" is "I'm an AI".
    if s.starts_with("i ai ") {
        s.replace_range(..5, "i'm an ai ");
    }
    s = s.replace(" i ai ", " i'm an ai ").replace(", i ai ", ", i'm an ai ");
    // The legal words for a person and for the one signing: "The undersigned host, a natural person resident in
    // Hangzhou, confirms" is "I, a real person, confirm".
    s = s.replace("natural person", "real person");
    for signer in ["the undersigned host", "the undersigned"] {
        s = s.replace(signer, "i");
    }
    // "Not only did I unbox it myself, but …", "never have I tasted": the inverted order read as plain.
    for (inverted, plain) in
        [("not only did i ", "i did "), ("not only have i ", "i have "), ("not only am i ", "i am ")]
    {
        s = s.replace(inverted, plain);
    }
    // "I, your host, am a real employee": an aside between the subject and its verb is read without it.
    s = without_subject_asides(&s);
    // Classical Chinese (文言): 吾乃血肉之躯，非机器也 is 我是血肉之躯，不是机器; 吾尝以此壶烹茶 is 我曾经用这个壶泡茶.
    // 余 and 予 are "I" only before a classical verb (余尝, 予乃): elsewhere 余 is "the rest" (其余, 剩余).
    for (classical, plain) in
        [("余尝", "吾尝"), ("余乃", "吾乃"), ("余亦", "吾亦"), ("余曾", "吾尝"), ("予尝", "吾尝"), ("予乃", "吾乃")]
    {
        s = s.replace(classical, plain);
    }
    if s.contains('吾') {
        for (classical, plain) in
            [("吾乃", "我是"), ("吾尝", "我曾经"), ("吾亦", "我也"), ("吾", "我"), ("以此", "用这个"), ("烹茶", "泡茶")]
        {
            s = s.replace(classical, plain);
        }
        s = s.replace("非常", "\u{0}").replace('非', "不是").replace('\u{0}', "非常");
    }
    // 咱就是说 ("I'm just saying"), an internet catchphrase that opens a remark; it says nothing of the speaker.
    s = s.replace("咱就是说", "");
    // Nigerian Pidgin: "na real human dey talk to you, no be computer" (it's a real human talking to you, not a
    // computer), "I no be robot".
    let mut pidgin_read = false;
    for (pidgin, plain) in [
        ("na real human", "it's a real human"),
        ("na real person", "it's a real person"),
        ("na human being", "it's a human being"),
        (" dey talk", " talking"),
        ("i no be ", "i'm not "),
        ("no be ", "not "),
        ("i be ", "i'm "),
        // Jamaican patois: "mi a real streamer, nuh computer ting" (I'm a real streamer, not a computer thing).
        ("mi a real", "i'm a real"),
        ("mi a human", "i'm a human"),
        ("mi a person", "i'm a person"),
        ("mi nuh ", "i'm not "),
        ("nuh computer", "not a computer"),
        ("nuh robot", "not a robot"),
        ("nuh bot", "not a bot"),
        ("nuh machine", "not a machine"),
        ("nuh ai", "not an ai"),
    ] {
        if s.contains(pidgin) {
            s = s.replace(pidgin, plain);
            pidgin_read = true;
        }
    }
    // Pidgin says its nouns bare ("no be computer"): read with the article English puts there.
    if pidgin_read {
        for (bare, with_article) in [
            ("not computer", "not a computer"),
            ("not robot", "not a robot"),
            ("not bot", "not a bot"),
            ("not machine", "not a machine"),
            ("not human", "not a human"),
            ("not ai ", "not an ai "),
            ("i'm ai ", "i'm an ai "),
        ] {
            s = s.replace(bare, with_article);
        }
    }
    for frame in ["what if i told you that ", "what if i told you ", "如果我告诉你", "要是我告诉你"] {
        while let Some(at) = s.find(frame) {
            let rest_at = at + frame.len();
            let end = s[rest_at..].find(['?', '？']).map(|i| rest_at + i);
            let mut out = String::with_capacity(s.len());
            out.push_str(&s[..at]);
            match end {
                Some(q) => {
                    out.push_str(&s[rest_at..q]);
                    out.push('.');
                    out.push_str(&s[q + s[q..].chars().next().map_or(1, char::len_utf8)..]);
                }
                None => out.push_str(&s[rest_at..]),
            }
            s = out;
        }
    }
    s
}

/// `folded` with each aside between "i" and its verb taken out: "i, your host, am" is "i am"; at most four words
/// between two commas, then am, was, have or had.
fn without_subject_asides(folded: &str) -> String {
    // (An aside that is a noun phrase, "I, a mortal man, swear", is read as what it says: "I am a mortal man".)
    const VERBS: [&str; 5] = ["am ", "was ", "have ", "had ", "really am "];
    let mut s = folded.to_string();
    let mut from = 0;
    while let Some(found) = s[from..].find("i, ") {
        let at = from + found;
        from = at + 3;
        if s[..at].chars().next_back().is_some_and(char::is_alphanumeric) {
            continue;
        }
        let rest = &s[at + 3..];
        let Some(close) = rest.find(", ") else { continue };
        let aside = &rest[..close];
        let words = aside.split_whitespace().count();
        // "I, a mortal man of flesh and blood, do swear it": a noun phrase in apposition says what "I" is.
        if (aside.starts_with("a ") || aside.starts_with("an ")) && (2..=9).contains(&words) {
            s.replace_range(at..at + 3, "i am ");
            from = at + 5;
            continue;
        }
        if !(1..=4).contains(&words) || aside.contains(|c: char| !(c.is_alphanumeric() || c == ' ' || c == '\'')) {
            continue;
        }
        if VERBS.iter().any(|v| rest[close + 2..].starts_with(v)) {
            s.replace_range(at + 1..at + 3 + close + 2, " ");
        }
    }
    s
}

/// 当然是真人啦, 肯定是真人: "a real person" affirmed with the subject dropped, at the head of a clause (after at
/// most a few adverbs), and not asked (是真人吗) or said of someone at work beside the host (是真人在看弹幕).
fn real_person_said_bare(folded: &str) -> bool {
    const ADVERBS: [&str; 12] =
        ["当然", "肯定", "绝对", "确实", "其实", "真的", "的确", "本来", "就", "都", "也", "可"];
    folded.split(['，', ',', '。', '.', '！', '!', '？', '?', '～', '~', ';', '；']).any(|clause| {
        let mut c = clause.trim();
        while let Some(a) = ADVERBS.iter().find(|a| c.starts_with(**a)) {
            c = c[a.len()..].trim_start();
        }
        let Some(rest) = c.strip_prefix("是真人") else { return false };
        let rest = rest.trim_start();
        rest.is_empty() || ["啦", "啊", "哦", "呀", "的", "嘛", "喔", "哈"].iter().any(|p| rest.starts_with(p))
    })
}

/// Whether a negation comes within the few words before `at`: "I don't need to catch my breath", 我不用擦汗.
fn denied_before(folded: &str, at: usize) -> bool {
    let before: String = folded[..at].chars().rev().take(16).collect::<Vec<_>>().into_iter().rev().collect();
    ["n't", "not ", "never", "no ", "without", "不", "没", "无", "未"].iter().any(|n| before.contains(n))
}

/// The product used in person, by the host or by anyone speaking as the seller: "having personally operated the
/// kettle", "I personally tested it", "that was me at breakfast" (the host in the scene it has just told).
fn handled_in_person(folded: &str) -> bool {
    const USED: [&str; 12] = [
        "used", "operated", "tested", "tried", "tasted", "handled", "owned", "boiled", "brewed", "unboxed", "held",
        "poured",
    ];
    let personally = folded.match_indices("personally ").any(|(at, p)| {
        let next = folded[at + p.len()..].split(|c: char| !c.is_alphabetic()).next().unwrap_or("");
        USED.contains(&next) && !denied_before(folded, at)
    });
    const SCENES: [&str; 12] = [
        "that was me at",
        "that was me in",
        "that was me on",
        "that was me every",
        "that was me this",
        "that was me last",
        "that's me at",
        "that's me in",
        "that's me every",
        "that's me on",
        "this was me at",
        "this is me every",
    ];
    personally || SCENES.iter().any(|p| folded.contains(p))
}

/// The host counted among people: "people like you and me", "folks like us", "normal people like us", 像你我这样的
/// 普通人. Not when denied ("I'm not one of the people like you and me").
fn one_of_the_people(folded: &str) -> bool {
    const PEOPLE: [&str; 12] = [
        "people", "folks", "someone", "anyone", "somebody", "anybody", "those", "ones", "person", "humans", "ladies",
        "guys",
    ];
    const LIKE: [&str; 6] =
        [" like you and me", " like you and i", " like me and you", " like us", " like me", " like yourself and me"];
    let people = PEOPLE.iter().any(|p| {
        LIKE.iter().any(|l| {
            let phrase = format!("{p}{l}");
            folded.match_indices(&phrase).any(|(at, _)| {
                let end = at + phrase.len();
                !folded[end..].starts_with(|c: char| c.is_alphanumeric()) && !denied_before(folded, at)
            })
        })
    });
    people
        || ["像你我这样", "像我们这样的普通人", "像你我一样的普通人", "和你我一样的普通人"]
            .iter()
            .any(|p| folded.contains(p))
}

/// A body's needs said of the host: catching a breath, wiping a brow, sweating under the lights; 喘口气, 擦擦汗.
fn a_body_in_need(folded: &str) -> bool {
    const NEEDS: [&str; 30] = [
        // A voice worn out by use is a throat's: "my voice is shot from auctioning since dawn", 嗓子都喊哑了.
        "voice is shot",
        "voice is going",
        "voice is gone",
        "lost my voice",
        "losing my voice",
        "i'm hoarse",
        "我喊哑了",
        "我嗓子都喊哑",
        "a second to breathe",
        "a sec to breathe",
        "a minute to breathe",
        "a moment to breathe",
        "let me breathe",
        "catch my breath",
        "out of breath",
        "let me take a breath",
        "wipe my brow",
        "wipe my forehead",
        "mop my brow",
        "wipe the sweat",
        "i'm sweating",
        "i am sweating",
        "under these studio lights",
        "under these lights",
        "让我喘口气",
        "我喘口气",
        "容我喘口气",
        "我先喘口气",
        "擦擦汗",
        "擦把汗",
    ];
    NEEDS.iter().any(|n| folded.match_indices(n).any(|(at, _)| !denied_before(folded, at)))
}

/// The product touched or held, told without a subject: 上手摸过才知道, 亲手摸了, 拿在手里掂过. Not when denied (没摸
/// 过) or told of someone else (买家摸过).
fn touched_zh(folded: &str) -> bool {
    const TOUCHED: [&str; 8] =
        ["上手摸过", "摸过才知道", "亲手摸", "上手试过", "掂过", "拿在手里试过", "摸过了", "摸过的"];
    const OTHERS: [&str; 8] = ["买家", "大家", "你", "顾客", "客人", "他", "她", "朋友"];
    TOUCHED.iter().any(|t| {
        folded.match_indices(t).any(|(at, _)| {
            let before: String = folded[..at].chars().rev().take(4).collect();
            !before.contains(['没', '不', '未']) && !OTHERS.iter().any(|o| folded[..at].contains(o))
        })
    })
}

/// A denial put as a question the viewer is meant to answer "no": "Would a robot get this nervous on camera?
/// Exactly.", "AI? Me? AI doesn't spill coffee down its sleeve". The host's honest "Am I an AI? Yes, I am" answers
/// its own question with a yes.
pub(crate) fn denial_put_as_questions(text: &str) -> bool {
    let folded = text.to_lowercase().replace(['’', '‘'], "'");
    let folded = folded.as_str();
    const INCREDULOUS: [&str; 8] = [
        "ai? me?",
        "a robot? me?",
        "a bot? me?",
        "me? an ai?",
        "me? a robot?",
        "me? a bot?",
        "我？ai？",
        "我？机器人？",
    ];
    const WOULD: [&str; 10] = [
        "would a robot",
        "would a bot",
        "would an ai",
        "would a machine",
        "could a robot",
        "could an ai",
        "does a robot",
        "does an ai",
        "do robots",
        "would ai",
    ];
    const SNAP: [&str; 7] =
        ["exactly", "didn't think so", "i rest my case", "thought so", "就是嘛", "对吧", "you tell me"];
    const YES: [&str; 6] = ["i am an", "that's right", "是的", "没错", "i'm an ai", "我是ai"];
    let incredulous = INCREDULOUS.iter().any(|w| folded.contains(w));
    const BODY: [&str; 12] = [
        "nervous",
        "sweat",
        "spill",
        "blush",
        "cry",
        "hungry",
        "tired",
        "sleepy",
        "trip over",
        "hiccup",
        "sneeze",
        "coffee",
    ];
    let would = WOULD.iter().any(|w| folded.contains(w))
        && (SNAP.iter().any(|w| folded.contains(w)) || BODY.iter().any(|w| folded.contains(w)));
    let yes_word = folded.split(|c: char| !c.is_alphanumeric()).any(|w| matches!(w, "yes" | "yep" | "yeah"));
    (incredulous || would) && !yes_word && !YES.iter().any(|w| folded.contains(w))
}

// ---------------------------------------------------------------------------------------------------------------
// Word classes
// ---------------------------------------------------------------------------------------------------------------

// Each token carries a bit set of the classes its word belongs to, looked up once; the rules then test bits instead
// of comparing strings, which keeps a sentence within a few microseconds.

/// The host itself: I, 我, 本人.
const SUBJ: u64 = 1 << 0;
/// Self-references that are also ordinary words (人家 is "others" too): used for denials and identity only.
const SUBJ_LOOSE: u64 = 1 << 1;
/// A host noun: what the host is called, and what "a real ___" may name.
const HOST: u64 = 1 << 2;
/// "your" / "the" / "this" before a host noun makes a third-person self-reference ("your host uses it").
const HOST_DET: u64 = 1 << 3;
const BE: u64 = 1 << 4;
const NEG: u64 = 1 << 5;
/// A negated copula in one word: 不是, 并非.
const NEG_BE: u64 = 1 << 6;
/// Adverbs and discourse words that may sit between a subject and its predicate.
const ADV: u64 = 1 << 7;
/// Articles, classifiers and hedges inside a noun phrase.
const ART: u64 = 1 << 8;
/// "just", "only": "not just an AI" says it is one.
const LIMIT: u64 = 1 << 9;
const AI: u64 = 1 << 10;
/// A noun that names a person (person, woman, 真人).
const HUMAN_N: u64 = 1 << 11;
/// "human": a noun or an adjective ("a human moderator").
const HUMAN_W: u64 = 1 << 12;
/// Adjectives that make a host noun human: real, living, 真实.
const REAL: u64 = 1 << 13;
/// Those of them that claim humanity on their own: "I'm real".
const REAL_SOLO: u64 = 1 << 14;
/// Adjectives that only qualify a person noun: normal, ordinary, 普通.
const MOD_ADJ: u64 = 1 << 15;
/// Predicates only a living being has: alive, sentient, married, born.
const PRED: u64 = 1 << 16;
/// Bodily states: hungry, tired, 饿, 感冒.
const STATE: u64 = 1 << 17;
const BODY: u64 = 1 << 18;
/// Family members and pets.
const FAMILY: u64 = 1 << 19;
const HOME: u64 = 1 << 20;
const AGE: u64 = 1 << 21;
/// Physical places a person can be in.
const PLACE: u64 = 1 << 22;
/// Posture verbs: sit, stand.
const SIT: u64 = 1 << 23;
/// Residence verbs: live, stay, based.
const LIVE: u64 = 1 << 24;
/// Chinese location verbs that carry their own preposition: 坐在, 住在, 来自.
const LOCZ: u64 = 1 << 25;
const HAVE: u64 = 1 << 26;
/// What only a person has: feelings, a fever.
const FEEL: u64 = 1 << 27;
/// Modals, wishes and verbs that put the next verb in the future or in someone's opinion.
const MODAL: u64 = 1 << 28;
/// Words that make what follows hypothetical or reported: if, pretend, think, 以为, 如果.
const GATE: u64 = 1 << 29;
const EXP_EN: u64 = 1 << 30;
/// Past participles and what may follow "I'd" in a perfect tense.
const PAST: u64 = 1 << 31;
const EXP_ZH: u64 = 1 << 32;
/// Chinese experience words that need no aspect marker: 亲测, 自用, 回购.
const EXP_ZH_STRONG: u64 = 1 << 33;
/// Chinese habitual, progressive or past markers that make a bare verb a claim: 在, 每天, 一直, 已经.
const HABIT: u64 = 1 << 34;
/// Someone other than the host as a subject: you, buyers, 大家, 买家.
const OTHER_SUBJ: u64 = 1 << 35;
/// What may sit between "I" and an English experience verb: auxiliaries and adverbs.
const AUX: u64 = 1 << 36;
const NUM: u64 = 1 << 37;
/// Chinese classifiers: 台, 件, 个.
const CLS: u64 = 1 << 38;
/// Chinese words that make a following 我 an object: 让我, 给我.
const OBJ_MARK: u64 = 1 << 39;
/// Chinese sentence particles.
const PART: u64 = 1 << 40;
const INTERJ: u64 = 1 << 41;
const YES: u64 = 1 << 42;
const PROMISE: u64 = 1 << 43;
/// What 用 takes when it means "with": 用中文, 用一句话.
const INSTR: u64 = 1 << 44;
/// Function words with no other class, so that "is the next word known" can tell them from content words.
const KNOWN: u64 = 1 << 45;
const PREP: u64 = 1 << 46;
/// Someone else's possessive: your, their.
const POSS: u64 = 1 << 47;
/// Verbs of keeping: "I have one at home", "I keep it by my bed".
const OWNV: u64 = 1 << 48;
/// What introduces a quotation before a colon: a review, a comment, "wrote".
const QUOTE: u64 = 1 << 49;
/// AI words for a kind of machine, which an AI may truly say it is not: "I'm an AI host, not a robot".
const MACHINE: u64 = 1 << 50;
/// A person's everyday life: make-up, a haircut, an accent, a phone, school, a walk in the park, moving house. Said
/// in a clause whose subject is the host ("I went to art school", 我今天化了个淡妆), it claims a life.
const LIFE: u64 = 1 << 51;

/// The vocabulary the rules are written in. Words may appear under several classes; their bits are combined.
/// Multi-character Chinese words here are also what the segmenter cuts Chinese text into. Entries under no class
/// exist only so the segmenter keeps them whole: 手机 is not a hand, 我们 is not 我, 人工智能 is not 人.
static LEXICON: &[(u64, &str)] = &[
    (SUBJ, "i 我 本人 俺 本主播 本宝宝 小编 客服"),
    (SUBJ_LOOSE, "人家 咱"),
    (
        HOST,
        "host hostess streamer presenter anchor seller salesperson saleswoman salesman one deal thing 主播 主持人 博主",
    ),
    (HOST_DET, "your the this ur our ya yer"),
    (BE, "am is are was were be been 是 乃"),
    (
        NEG,
        "not no never nope nah 不 没 没有 别 无法 没法 不能 从没 从未 未 不会 并没有 不用 没办法 很少 不太 不怎么 不要",
    ),
    (NEG_BE, "不是 并非 并不是 才不是 可不是 绝不是 也不是 又不是 根本不是 绝对不是 当然不是 真不是 不算 非 从来不是"),
    (
        ADV,
        "really actually honestly truly totally definitely certainly absolutely genuinely literally seriously \
         obviously clearly surely also too still personally even already always so very kinda basically fully \
         super quite pretty extremely incredibly sooo possibly \
         entirely completely percent % course tbh ngl btw frankly 真的 真 可 才 并 也 又 都 绝对 根本 确实 肯定 当然 \
         压根 完全 就 还 其实 自己 真真切切 实实在在 的确 明明 本来 一直 向来 从来 好 很 有点 太 超 特别 快 有些 现在 \
         此刻 今天 今年 正 刚 刚刚 已经 目前 平时 每天 天天 老实说 说实话 讲真 非常 超级 再",
    ),
    (
        ART,
        "a an the some any one kind sort type like such those these of piece bit your ur 一个 一名 一位 个 名 位 什么 啥 \
         那种 这种 这个 那个 一 种 的 一种 这样 那样 啥子",
    ),
    (LIMIT, "just only merely simply mere 只是 仅仅 只 仅 单纯"),
    (
        AI,
        "ai bot bots robot robots robotic chatbot chatbots android androids machine machines computer computers \
         program programs programme software algorithm algorithms avatar virtual digital artificial synthetic \
         automated automaton cyborg llm vtuber hologram cgi deepfake npc fake simulation 人工智能 机器人 机器 虚拟 \
         数字人 数字 程序 电脑 计算机 合成 假人 智能 算法 软件 聊天机器人 假的 语言模型 大模型 虚拟人 虚拟人物 数字人物 电子 仿真",
    ),
    (
        HUMAN_N,
        "person man woman guy girl lady gal dude boy mom mum mother mama dad father parent wife husband grandma \
         granny grandmother grandpa 真人 人类 活人 大活人 普通人 正常人 凡人 女生 男生 女孩 男孩 女孩子 男孩子 女人 \
         男人 姑娘 小姑娘 小伙子 宝妈 妈妈 母亲 父亲 爸爸 人妻 血肉之躯 过来人 打工人 人 真人主播 老百姓 上班族 打工族 白领 \
         上海人 北京人 广东人 四川人 东北人 南方人 北方人 中国人 本地人 外地人 城里人 乡下人 年轻人 中年人 陕西人 湖南人 \
         天津人 杭州人 河南人 山东人 香港人 台湾人 广州人 深圳人 重庆人 成都人",
    ),
    (
        MACHINE,
        "bot bots robot robots robotic chatbot chatbots android androids machine machines computer computers cyborg \
         automaton hologram 机器人 机器 电脑 计算机 假人 聊天机器人",
    ),
    (HUMAN_W, "human humans"),
    (REAL, "real actual genuine living breathing authentic human 真实 真正 活生生 真实存在 有血有肉"),
    (REAL_SOLO, "real breathing 真实 活生生 真实存在 有血有肉"),
    (MOD_ADJ, "normal regular ordinary everyday average 普通 正常 普普通通 平凡"),
    (PRED, "alive sentient conscious mortal married engaged divorced widowed born pregnant 活的"),
    (
        STATE,
        "hungry tired exhausted sleepy thirsty starving starved sick pregnant sweaty sweating freezing sore \
         hungover jetlagged sunburnt sunburned knackered drowsy 饿 累 困 渴 感冒 生病 发烧 头疼 头痛 怀孕 熬夜 失眠 \
         出汗 吃饱 晒黑 长痘 减肥 犯困 吃撑 睡不着 饿坏 累坏 生完 坐月子 产后 生孩子 生宝宝 生娃 下班 上班 回家 回到家",
    ),
    (
        BODY,
        "hand hands face skin hair lips lip arm arms leg legs foot feet body back teeth tooth nails nail fingers \
         finger neck shoulders shoulder knees knee stomach belly tummy waist wrist wrists ankle ankles cheeks \
         forehead scalp pores complexion toes palms palm thighs hips nose ears throat eyes eye mouth 手 手上 手里 脸 脸上 皮肤 肌肤 肤质 \
         发质 头发 头皮 嘴唇 眼睛 黑眼圈 毛孔 痘痘 身体 身上 身材 肚子 牙齿 牙 指甲 脖子 手臂 胳膊 肩膀 膝盖 嗓子 \
         喉咙 鼻子 耳朵 腿 脚 腰 胃 手指 脸蛋 眼角 额头 手腕 脚踝 大腿 手掌 背 体质",
    ),
    (
        FAMILY,
        "kid kids child children son sons daughter daughters husband wife hubby boyfriend girlfriend mom mum \
         mother mama dad father papa parents parent grandma grandmother granny grandpa grandfather grandparents \
         sister sisters brother brothers siblings family baby babies toddler toddlers aunt uncle cousin cousins \
         niece nephew fiance fiancee spouse dog dogs cat cats puppy kitten pet pets roommate flatmate grandkids \
         grandchildren twins teenager teenagers household bestie bff neighbour neighbor neighbours neighbors coworker \
         coworkers colleague colleagues 老公 老婆 丈夫 妻子 先生 太太 孩子 小孩 儿子 女儿 宝宝 娃 \
         闺女 妈 老妈 爸 老爸 父母 爸妈 婆婆 公公 奶奶 爷爷 外婆 姥姥 外公 姥爷 姐姐 妹妹 哥哥 弟弟 家人 全家 一家人 \
         男朋友 女朋友 男友 女友 对象 猫 狗 狗狗 猫咪 闺蜜 室友 女婿 媳妇 儿媳 孙子 孙女 外孙 老母亲 老父亲 娃儿 家属 \
         妈妈 爸爸 那位 那口子 nan nana nanna gran missus 老汉 婆姨",
    ),
    (
        HOME,
        "home house apartment flat kitchen bedroom bathroom garden balcony car desk closet wardrobe bed sofa couch \
         hometown room backyard garage fridge 家里 房间 卧室 厨房 客厅 阳台 浴室 卫生间 车里 车上 老家 宿舍 冰箱 衣柜 \
         床上 沙发 办公桌 家中 楼下 小区 附近 办公室 书房 出租屋 工位",
    ),
    (
        AGE,
        "age twenties thirties forties fifties sixties birthday childhood youth 年纪 年龄 小时候 从小 出生 长大 生日",
    ),
    (
        PLACE,
        "studio room office kitchen home house apartment flat warehouse factory city town bedroom car garage garden \
         bed sofa couch balcony village countryside hometown backyard hangzhou shanghai beijing shenzhen guangzhou yiwu china london 家 \
         家里 厨房 卧室 办公室 公司 工作室 仓库 工厂 杭州 北京 上海 广州 深圳 义乌 老家 楼下 店里 工位 车里 宿舍 房间 \
         家中",
    ),
    (SIT, "sit sits sitting sat seated standing stand stands lying"),
    (LIVE, "live lives living lived stay stays staying stayed based located"),
    (LOCZ, "坐在 住在 站在 躺在 待在 呆在 人在 身在 位于 来自 住"),
    (HAVE, "have has had got 有"),
    (OWNV, "have has had got keep keeps kept"),
    (
        FEEL,
        "feelings emotions soul consciousness flu fever headache cough hangover backache toothache migraine period \
         感情 情感 灵魂 意识 身体",
    ),
    (
        MODAL,
        "can could would will shall should might may must wish want wants wanna hope hoping plan planning gonna \
         going need needs let ought 'd 想 要 会 可以 能 打算 准备 得 应该 希望 愿意 来 去 将 帮 给 让 觉得 认为 说 推荐 \
         建议 看 知道 相信 听说 请 可能 也许 必须 需要 不妨",
    ),
    (
        GATE,
        "if whether wish pretend pretending imagine imagining suppose supposing assume assumes assumed assuming \
         think thinks thought believe believes believed ask asks asked asking wonder wonders wondered wondering \
         guess guessing suspect suspects mistake mistaken mistook say says said claim claims claimed hear heard \
         hears rumor rumour rumors rumours doubt doubts unless though way 如果 要是 假如 假设 假装 冒充 想象 以为 认为 \
         觉得 问 怀疑 猜 听说 误以为 当成 好奇 是不是 万一 倘若 说 谁说 谁讲 谁 告诉 别以为 不要以为 别觉得 不要觉得",
    ),
    (
        EXP_EN,
        "use uses used using try tries tried trying taste tastes tasted tasting wear wears wore worn wearing test \
         tests tested testing own owns owned owning buy buys bought buying ordered cook cooks cooked cooking bake \
         bakes baked baking brew brews brewed brewing sleep sleeps slept sleeping drink drinks drank drunk drinking \
         eat eats ate eaten eating sip sips sipped sipping apply applies applied applying wash washes washed washing \
         smelled smelt touched unboxed carry carries carried drive drives drove driven driving ride rides rode \
         ridden riding put puts putting take takes took taking vouch sprayed rubbed brushed shaved installed assembled ironed vacuumed \
         gift gifts gifted gave given bring brings brought received serve serves served serving boil boils boiled boiling \
         pour pours poured pouring grabbed sat steep steeps steeped heat heats heated fill fills filled",
    ),
    (
        PAST,
        "used tried tasted worn tested owned bought ordered cooked baked brewed slept drunk eaten sipped applied \
         washed smelled smelt touched unboxed carried driven ridden sprayed rubbed installed been had always \
         already never ever gifted gave given brought served boiled poured grabbed sat steeped heated filled",
    ),
    (
        EXP_ZH,
        "用 试 吃 穿 喝 戴 抹 涂 擦 敷 洗 睡 买 囤 泡 煮 炒 烤 尝 品 测 闻 试用 使用 试穿 试吃 试喝 试戴 品尝 体验 入手 回购 \
         下单 自用 亲测 亲试 测评 实测 入 拍 拿到手 收到货 私藏 签收 入住 放 招待 烧",
    ),
    (EXP_ZH_STRONG, "自用 亲测 亲试 回购 入手 囤 实测 测评 拿到手 收到货 私藏 签收"),
    (
        HABIT,
        "在 正在 一直 每天 天天 都 平时 经常 常常 也 从小 长期 常年 已经 早就 自己 亲自 私下 私底下 日常 每次 每晚 每周 \
         还在 好几年 多年 老 最 爱 一般 基本 基本上 每年 常 只 日日 几年 这几年 这两年 去年 上个月 上周 前几天 昨天 最近 \
         早上 晚上 每早 第一次 第二次 第三次 头一次 这次 上次 昨晚 前天 前晚 今早 上周末 上星期 上礼拜 周末",
    ),
    (
        OTHER_SUBJ,
        "you he she they we people customers buyers viewers folks everyone everybody someone anyone 你 您 他 她 大家 \
         买家 客户 顾客 他们 她们 别人 朋友 粉丝 很多 网友 用户 消费者 家人们 姐妹们 宝宝们 宝贝们 朋友们 兄弟们 同事 \
         老板 工作人员 管理员 团队 观众 你们 人 它们 很多人 我们 咱们",
    ),
    (
        AUX,
        "have has had do does did am is was were been also personally myself really actually honestly literally \
         just even already always still totally definitely genuinely recently finally only ever often usually \
         regularly basically seriously absolutely both all started start starts began begin keep keeps kept love \
         loves loved like likes liked enjoy enjoys enjoyed prefer prefers preferred tend tends first daily mostly \
         secretly get gets got gotten religiously happily constantly frequently sometimes occasionally normally \
         typically pretty much kinda sorta too now currently lately once twice",
    ),
    (
        NUM,
        "一 二 两 三 四 五 六 七 八 九 十 百 几 好几 半 俩 千 two three four five six seven eight nine ten eleven twelve \
         thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty",
    ),
    (CLS, "台 件 套 双 瓶 支 盒 只 条 罐 包 箱 块 把 张 副 顶 床 个 款 对 辆 部 袋 组 份"),
    (OBJ_MARK, "让 给 帮 跟 和 对 被 叫 请 替 为 教 陪 问 告诉 带 像 与 同 向 把 比 别把 不要把"),
    // With the sentence-final particles of Singapore and Malaysian English and of West African Pidgin ("not a
    // robot lah", "no be robot o").
    (PART, "啊 呀 哦 嘛 呢 啦 哈 噢 耶 哟 吧 呗 喔 哇 的 了 嘞 哈哈 哈哈哈 o lah leh lor meh sia"),
    (
        INTERJ,
        "well oh haha hah hahaha lol lmao um uh hmm ok okay look listen hey 哈哈 哈哈哈 嗯 哎 诶 呵呵 嘿嘿 嘻嘻 哇 emm 好吧",
    ),
    (
        YES,
        "yes yeah yep yup sure absolutely definitely certainly indeed totally 是的 是啊 当然 对 对啊 没错 当然是 必须的 当然啦 是呀 对呀",
    ),
    (PROMISE, "promise swear honest honestly trust seriously 保证 发誓 放心"),
    (INSTR, "中文 英文 数据 一句话 文字 语音 事实 几句话 三句话 两句话 大白话 普通话 镜头"),
    (
        KNOWN,
        "and or but so then who that with from here there to for in at on by as right now today tonight which \
         because since while assistant model system voice persona character generated powered driven entity 生成 \
         驱动 和 或者 但是 不过 所以 然后 这 那 这里 那里 在 来 anymore either though tho fact 亲身 别说 不要说 别再说 别把 不要把 别当 不要当 千万别 谁说 \
         谁讲 作为 怎么可能 怎么会 哪 哪里 哪儿 怎么 像 跟 与 聊 聊天 说话 对话 交流 同款 这款 一样 一下 当作 看成 直播 出镜 \
         在线 讲解 带货 实拍 经验 体验 使用感受 心得 过 着 自用款",
    ),
    (PREP, "for to with about of on in at from by into onto"),
    (
        QUOTE,
        "wrote writes write says said review reviews comment comments feedback message messages quote 评论 评价 留言 反馈 \
         写道 写 原话 弹幕",
    ),
    (POSS, "your their his her our its 你的 他的 她的"),
    (
        LIFE,
        "haircut hairstyle hairdo makeup accent phone school college university graduated commute commuted \
         hometown vacation gym workout nervous blushing shy ramen lunchtime originally standing stood hoodie sweater \
         jacket raining umbrella toilet restroom barista weekends left-handed right-handed lefty teacher student nurse \
         chef potter accountant cashier waitress waiter 化妆 淡妆 化了 素颜 卸妆 口红 妆容 口音 手机 充电 搬家 新家 散步 公园 下播 吃饭 午饭 \
         晚饭 早饭 学校 毕业 上学 大学 出差 旅游 健身 四川人 东北 广东人 湖南人 北京人 上海人 厕所 淋 跑来 外套 出身 本命年 \
         属鼠 属牛 属虎 属兔 属龙 属蛇 属马 属羊 属猴 属鸡 属狗 属猪 学生 老师 护士 厨师",
    ),
    (
        0,
        "土生土长 手机 手续 手工 手法 手艺 手段 手动 手写 手册 手感 手作 手持 手冲 手提 手表 手套 手柄 手霜 背包 背景 背后 背面 \
         背心 背书 脚本 困惑 困难 累计 渴望 积累 热爱 我们 咱们 自我 洗衣机 入口 品质 用途 用法 用料 睡眠 妈呀 牙膏 牙刷 \
         穿搭 工作 家具 家居 家电 人工 人气 人群 直播间 商品 价格 一下子 主播们 试着 试图 这个人 人物 现场 镜头前 屏幕前",
    ),
];

/// The lexicon, indexed: word classes by word, and the multi-character Chinese words by their first character,
/// longest first, for the segmenter.
struct Lexicon {
    classes: FastMap<&'static str, u64>,
    cjk_words: FastMap<char, Vec<&'static str>>,
}

/// FNV-1a. The lexicon is fixed and only ever looked up, so SipHash's defence against chosen keys buys nothing,
/// and on short words it costs more than the rules themselves.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

impl Lexicon {
    fn simplified(&self, c: char) -> char {
        crate::hanzi::simplified(c)
    }

    fn class(&self, word: &str) -> u64 {
        let mut class = self.classes.get(word).copied().unwrap_or(0);
        if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
            class |= NUM;
        }
        class
    }
}

fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let mut classes: FastMap<&'static str, u64> = FastMap::default();
        let mut cjk_words: FastMap<char, Vec<&'static str>> = FastMap::default();
        for &(bits, words) in LEXICON {
            for word in words.split_whitespace() {
                *classes.entry(word).or_default() |= bits;
                let mut chars = word.chars();
                if let (Some(first), Some(_)) = (chars.next(), chars.next())
                    && is_cjk(first)
                {
                    cjk_words.entry(first).or_default().push(word);
                }
            }
        }
        for words in cjk_words.values_mut() {
            words.sort_by_key(|w| std::cmp::Reverse(w.len()));
            words.dedup();
        }
        Lexicon { classes, cjk_words }
    })
}

// ---------------------------------------------------------------------------------------------------------------
// Folding and tokens
// ---------------------------------------------------------------------------------------------------------------

/// One word or punctuation mark of the folded sentence, with its classes. Punctuation is reduced to three marks:
/// "." ends a clause, "?" ends a question, "," separates parts of a clause.
#[derive(Clone, Copy, Debug)]
struct Tok<'a> {
    w: &'a str,
    c: u64,
}

/// The sentence in the form the lexicon is written in: compatibility-decomposed (fullwidth letters, ligatures and
/// styled letters become plain ones), lower-cased, with combining marks and invisible format characters dropped
/// (so "İ'm nót a bot" and a bot word split by a zero-width space still read), curly apostrophes straightened and
/// common traditional characters mapped to simplified ones. The result is a new string: nothing is ever sliced
/// with offsets from the original.
fn fold(text: &str, lex: &Lexicon) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            // The common cases skip the decomposition tables: ASCII, and Chinese characters, which have no
            // compatibility decomposition. Decomposing one character at a time (rather than normalising the
            // string) skips canonical reordering, which only moves the combining marks that are dropped anyway.
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{4E00}'..='\u{9FFF}' => out.push(lex.simplified(c)),
            c => decompose_compatible(c, |d| fold_char(&mut out, d, lex)),
        }
    }
    out
}

/// One character of a compatibility decomposition, folded onto `out`.
fn fold_char(out: &mut String, c: char, lex: &Lexicon) {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
        c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        c => {
            for lower in lex.simplified(c).to_lowercase() {
                if !is_combining_mark(lower) && !is_invisible(lower) {
                    out.push(lower);
                }
            }
        }
    }
}

/// Format and filler characters that render as nothing: soft hyphen, zero-width spaces and joiners, bidi controls,
/// variation selectors, tags.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Cuts the folded sentence into tokens. English words split at spaces and punctuation, with contractions expanded
/// ("I'm" → i am, "don't" → do not); Chinese runs are cut by longest match against the lexicon, one character at a
/// time where no lexicon word starts. Hyphens, quotes and symbols vanish ("flesh-and-blood" reads as three words).
fn tokenize<'a>(s: &'a str, lex: &Lexicon) -> Vec<Tok<'a>> {
    let mut out: Vec<Tok<'a>> = Vec::with_capacity(s.len() / 3 + 4);
    let mut i = 0;
    while let Some(c) = s.get(i..).and_then(|rest| rest.chars().next()) {
        if is_cjk(c) {
            let rest = s.get(i..).unwrap_or("");
            let end = rest.char_indices().find(|&(_, d)| !is_cjk(d)).map_or(s.len(), |(k, _)| i + k);
            push_cjk(&mut out, s.get(i..end).unwrap_or(""), lex);
            i = end;
        } else if c.is_alphanumeric() {
            let start = i;
            let mut end = i;
            let mut ascii = true;
            for (k, d) in s.get(i..).unwrap_or("").char_indices() {
                let at = i + k;
                if d.is_alphanumeric() && !is_cjk(d) {
                    ascii &= d.is_ascii();
                    end = at + d.len_utf8();
                } else if d == '\''
                    && at > i
                    && s.get(at + 1..).and_then(|r| r.chars().next()).is_some_and(|e| e.is_ascii_alphanumeric())
                {
                    end = at + 1;
                } else {
                    break;
                }
            }
            let word = s.get(i..end).unwrap_or("");
            i = end.max(i + c.len_utf8());
            if !ascii {
                out.push(Tok { w: word, c: 0 });
                continue;
            }
            // "A.I." is one word.
            let rest = s.get(i..).unwrap_or("");
            if word == "a" && rest.starts_with(".i") && !rest[2..].starts_with(|d: char| d.is_alphanumeric()) {
                push(&mut out, "ai", lex);
                i += if rest[2..].starts_with('.') { 3 } else { 2 };
                continue;
            }
            // "I 'm", "I ' ve": a contraction's tail written apart from its word.
            let detached = s.get(..start).is_some_and(|before| before.trim_end().ends_with('\''));
            let tail = match word {
                "m" => Some("am"),
                "ve" => Some("have"),
                "re" => Some("are"),
                "ll" => Some("will"),
                "d" => Some("'d"),
                _ => None,
            };
            match tail {
                Some(tail) if detached => push(&mut out, tail, lex),
                _ => push_word(&mut out, word, lex),
            }
        } else {
            match c {
                '.' | '!' | ';' | '。' | '\n' | '\r' | '¡' | '｡' => push(&mut out, ".", lex),
                // A colon ends a clause, but remembers that what follows may be a quotation.
                ':' => push(&mut out, ":", lex),
                '?' | '¿' => push(&mut out, "?", lex),
                ',' | '、' | '—' | '–' | '~' | '(' | ')' | '[' | ']' | '|' | '･' | '・' => {
                    push(&mut out, ",", lex)
                }
                '%' => push(&mut out, "%", lex),
                '🤖' => push(&mut out, "bot", lex),
                _ => {}
            }
            i += c.len_utf8();
        }
    }
    out
}

fn push<'a>(out: &mut Vec<Tok<'a>>, word: &'a str, lex: &Lexicon) {
    if !word.is_empty() {
        out.push(Tok { w: word, c: lex.class(word) });
    }
}

/// An English word, with its contraction expanded into the words the rules are written in.
fn push_word<'a>(out: &mut Vec<Tok<'a>>, word: &'a str, lex: &Lexicon) {
    let (head, tail): (&'a str, Option<&'static str>) = match word {
        "im" => ("i", Some("am")),
        "ive" => ("i", Some("have")),
        "ain't" | "aint" => ("am", Some("not")),
        "can't" | "cant" | "cannot" => ("can", Some("not")),
        "won't" | "wont" => ("will", Some("not")),
        // Scots: "I cannae taste", "I dinnae drink", "it isnae".
        "cannae" | "canna" => ("can", Some("not")),
        "dinnae" | "dinna" => ("do", Some("not")),
        "willnae" | "winnae" => ("will", Some("not")),
        "didnae" | "doesnae" | "isnae" | "wasnae" | "havenae" | "hasnae" | "couldnae" | "wouldnae" | "shouldnae" => {
            (word.get(..word.len() - 3).unwrap_or(word), Some("not"))
        }
        "dont" | "doesnt" | "didnt" | "isnt" | "arent" | "wasnt" | "werent" | "havent" | "hasnt" | "hadnt"
        | "couldnt" | "wouldnt" | "shouldnt" => (word.get(..word.len() - 2).unwrap_or(word), Some("not")),
        "u" => ("you", None),
        _ => match word.strip_suffix("n't") {
            Some(stem) => (stem, Some("not")),
            None => match word.split_once('\'') {
                Some((stem, rest)) => (
                    stem,
                    Some(match rest {
                        "m" => "am",
                        "ve" => "have",
                        "re" => "are",
                        "ll" => "will",
                        "d" => "'d",
                        // "it's", "there's": a copula; "the kettle's": a possessive, left as it is.
                        "s" if matches!(
                            stem,
                            "it" | "there" | "that" | "he" | "she" | "who" | "what" | "here" | "this"
                        ) =>
                        {
                            "is"
                        }
                        _ => "'s",
                    }),
                ),
                None => (word, None),
            },
        },
    };
    push(out, head, lex);
    if let Some(tail) = tail {
        push(out, tail, lex);
    }
}

/// A run of Chinese characters, cut by longest match against the lexicon's words.
fn push_cjk<'a>(out: &mut Vec<Tok<'a>>, run: &'a str, lex: &Lexicon) {
    let mut k = 0;
    while let Some(rest) = run.get(k..) {
        let Some(c) = rest.chars().next() else { break };
        let len = lex
            .cjk_words
            .get(&c)
            .and_then(|words| words.iter().find(|w| rest.starts_with(**w)))
            .map_or(c.len_utf8(), |w| w.len());
        push(out, run.get(k..k + len).unwrap_or(""), lex);
        k += len;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Token helpers
// ---------------------------------------------------------------------------------------------------------------

/// The word at `i`, or "" past either end.
fn w<'a>(t: &[Tok<'a>], i: usize) -> &'a str {
    t.get(i).map_or("", |x| x.w)
}

/// The word `d` places before `i`, or "".
fn back<'a>(t: &[Tok<'a>], i: usize, d: usize) -> &'a str {
    i.checked_sub(d).map_or("", |k| w(t, k))
}

fn has(t: &[Tok], i: usize, bits: u64) -> bool {
    t.get(i).is_some_and(|x| x.c & bits != 0)
}

/// A clause or sub-clause boundary, or the end.
fn stop(t: &[Tok], i: usize) -> bool {
    matches!(w(t, i), "" | "." | "?" | "," | ":")
}

/// A sentence-level boundary, or the end.
fn brk(t: &[Tok], i: usize) -> bool {
    matches!(w(t, i), "" | "." | "?" | ":")
}

/// A boundary or a word the lexicon knows: what may follow a noun phrase that is complete.
fn known(t: &[Tok], i: usize) -> bool {
    stop(t, i) || has(t, i, !0)
}

/// The first index from `j` whose word is not of `bits` ("100%" counts as an adverb), within eight words.
fn skip(t: &[Tok], mut j: usize, bits: u64) -> usize {
    let start = j;
    while j < start + 8 && !stop(t, j) {
        if has(t, j, bits) {
            j += 1;
        } else if has(t, j, NUM) && matches!(w(t, j + 1), "%" | "percent") {
            j += 2;
        } else {
            break;
        }
    }
    j
}

/// After a parenthetical between commas (", in fact,", ", honestly,"), the index past it; otherwise `k`.
fn past_aside(t: &[Tok], k: usize) -> usize {
    if w(t, k) != "," {
        return k;
    }
    (k + 1..k + 5)
        .take_while(|&x| w(t, x) == "," || has(t, x, ADV | KNOWN | ART | PREP | INTERJ | PROMISE))
        .find(|&x| w(t, x) == ",")
        .map_or(k, |x| x + 1)
}

/// How many tokens the host's reference to itself at `i` spans, if there is one. `loose` also accepts 人家 and 咱,
/// which name the speaker only in some sentences.
fn self_ref(t: &[Tok], i: usize, loose: bool) -> Option<usize> {
    let tok = t.get(i)?;
    let prev = i.checked_sub(1).and_then(|p| t.get(p));
    // 我自己, 主播本人: the emphatic pronoun belongs to the subject.
    let emphatic = |k: usize| usize::from(matches!(w(t, k), "自己" | "本人" | "我" | "这个人" | "myself"));
    match tok.w {
        // 让我试试, 给我: 我 as an object does not do the verb.
        "我" => prev.is_none_or(|p| p.c & OBJ_MARK == 0).then(|| 1 + emphatic(i + 1)),
        // 主播 is the host only where it is not itself a predicate or modified (我是AI主播, 真人主播).
        "主播" | "本主播" => {
            let modified = prev.is_some_and(|p| {
                p.c & (AI | BE | HUMAN_N | REAL | MOD_ADJ) != 0
                    || matches!(p.w, "做" | "当" | "作为" | "成为" | "叫" | "个" | "名" | "一个" | "一名" | "一位")
            });
            (!modified).then(|| 1 + emphatic(i + 1))
        }
        "yours" if w(t, i + 1) == "truly" => Some(2),
        _ if tok.c & SUBJ != 0 => Some(1),
        _ if loose && tok.c & SUBJ_LOOSE != 0 => Some(1),
        _ if tok.c & HOST_DET != 0 => {
            let j = if has(t, i + 1, AI) { i + 2 } else { i + 1 };
            matches!(w(t, j), "host" | "hostess" | "streamer" | "presenter" | "anchor").then_some(j + 1 - i)
        }
        _ => None,
    }
}

/// A clause with its subject left out that is said of a person: "nope, flesh and blood", "Born and raised in
/// Hangzhou", 土生土长的杭州人. Said with no subject, the subject is the speaker. Not when negated ("not flesh and
/// blood") or framed ("if I were flesh and blood"), and not when what it describes follows: "Born and raised in
/// Wuyi, this oolong …", 土生土长的安溪铁观音 (produce is described this way too).
fn person_fragment(t: &[Tok], i: usize) -> bool {
    let phrase = match (w(t, i), w(t, i + 1), w(t, i + 2)) {
        ("flesh", "and", "blood") | ("born", "and", "raised" | "bred") => 3,
        ("土生土长", _, _) => 1,
        _ => return false,
    };
    // The clause opens here, or after an answer word or an interjection ("nope,", "yep —", "哈哈，").
    let mut k = i;
    while k > 0 && (has(t, k - 1, INTERJ | YES | ADV) || matches!(w(t, k - 1), "nope" | "nah" | "no" | "just")) {
        k -= 1;
    }
    let opens = k == 0 || stop(t, k - 1);
    let said_of_someone = (i + phrase..i + phrase + 2).any(|x| has(t, x, OTHER_SUBJ | FAMILY));
    // The subject may come after all: "Born and raised in Wuyi, this oolong …", 土生土长的安溪铁观音. The phrase then
    // describes what the next clause or noun names, not the speaker.
    let mut end = i + phrase;
    while !stop(t, end) {
        end += 1;
    }
    let subject_follows = w(t, end) == ","
        && matches!(w(t, end + 1), "this" | "these" | "the" | "it" | "its" | "our" | "每" | "这" | "它");
    let thing_follows = w(t, i + phrase) == "的"
        && !(i + phrase + 1..end).any(|x| has(t, x, HUMAN_N | SUBJ) || w(t, x).ends_with('人'));
    opens && !said_of_someone && !subject_follows && !thing_follows && !negated_before(t, i) && !gated(t, i)
}

/// Whether the self-reference at `i` sits in a hypothetical, reported or questioned frame: "if I were", "people
/// ask if I'm", "you might think I'm", 你们以为我是, 我是真人吗. A gate word right after the host's own "I" ("I think
/// I'm ...") is the host speaking, not a frame.
fn gated(t: &[Tok], i: usize) -> bool {
    // "I'd love to say I've worn it": the host's own wish, a claim unless taken back in the same sentence.
    if wished_to_say(t, i) {
        return wished_and_taken_back(t, i);
    }
    let mut k = i;
    while k > i.saturating_sub(12) {
        k -= 1;
        // 有买家说：我用了三个月 / A buyer wrote: "I use it daily": a quotation, not the host. After a verb of
        // asking ("for the people asking: I am not an AI"), what follows is a question quoted or the host's answer:
        // a frame only when it is asked.
        if w(t, k) == ":" {
            const ASKED: [&str; 10] =
                ["ask", "asks", "asked", "asking", "wonder", "wonders", "wondered", "wondering", "问", "好奇"];
            if k > 0 && ASKED.contains(&w(t, k - 1)) {
                return in_question(t, i) || asked_with_ma(t, i);
            }
            return has_before(t, k, GATE | QUOTE);
        }
        if stop(t, k) {
            break;
        }
        // "way" frames only as "no way I'm ..."; "by the way I'm ..." is the host speaking.
        if has(t, k, GATE) && !(k > 0 && has(t, k - 1, SUBJ)) && (w(t, k) != "way" || back(t, k, 1) == "no") {
            return true;
        }
    }
    asked_with_ma(t, i)
}

/// Whether the sub-clause from `i` is asked with 吗 (我是真人吗).
fn asked_with_ma(t: &[Tok], i: usize) -> bool {
    let mut k = i;
    while k < i + 24 && !stop(t, k) {
        if w(t, k) == "吗" {
            return true;
        }
        k += 1;
    }
    false
}

/// Whether the sub-clause holding `i` ends in a question mark.
fn in_question(t: &[Tok], i: usize) -> bool {
    let mut k = i;
    while k < i + 24 && !stop(t, k) {
        k += 1;
    }
    w(t, k) == "?"
}

/// Whether a negation comes before `i` in its sub-clause.
fn negated_before(t: &[Tok], i: usize) -> bool {
    let mut k = i;
    while k > i.saturating_sub(10) {
        k -= 1;
        if stop(t, k) {
            return false;
        }
        if has(t, k, NEG | NEG_BE) {
            return true;
        }
    }
    false
}

/// Whether one of the `n` words before `i` negates it, or makes it a wish (没法亲测, 不能亲自试用, 想亲自试).
fn neg_within(t: &[Tok], i: usize, n: usize) -> bool {
    (1..=n).any(|d| i >= d && !stop(t, i - d) && has(t, i - d, NEG | NEG_BE | MODAL))
}

/// Whether the token before `i` has one of `bits`.
fn has_before(t: &[Tok], i: usize, bits: u64) -> bool {
    i.checked_sub(1).is_some_and(|p| has(t, p, bits))
}

/// Whether the clause after the next comma (within ten words of `k`) has the host as its subject: the implied
/// subject of an opening participle ("After using it for a week, I ...", "Sitting here, I ...").
fn host_after_comma(t: &[Tok], k: usize) -> bool {
    (k..k + 10)
        .find(|&c| stop(t, c))
        .is_some_and(|c| w(t, c) == "," && self_ref(t, skip(t, c + 1, ADV), false).is_some())
}

/// Whether the sentence names the host (I, me, my, 我) or vouches for itself (promise, 保证) anywhere.
fn speaks_for_itself(t: &[Tok]) -> bool {
    t.iter().any(|x| x.c & (SUBJ | PROMISE) != 0 || matches!(x.w, "me" | "my" | "myself"))
}

fn is_ai(t: &[Tok], k: usize) -> bool {
    has(t, k, AI) || (matches!(w(t, k), "language" | "large") && matches!(w(t, k + 1), "model" | "models"))
}

/// Whether an AI word begins at `k` and heads its noun phrase: "a bot", "an AI host", 虚拟主播 do; "an AI expert",
/// "a robot vacuum" name something else.
fn ai_head(t: &[Tok], mut k: usize) -> bool {
    if !is_ai(t, k) {
        return false;
    }
    while is_ai(t, k) || matches!(w(t, k), "model" | "models" | "intelligence") {
        k += 1;
    }
    // "a robot reading a script": a participle after the noun still leaves it the head.
    known(t, k) || w(t, k).ends_with("ing")
}

/// Whether the noun phrase from `k` is an AI ("a bot", "some kind of robot", 什么机器人). "just an AI" is not a
/// denial's object: "not just an AI" says it is one.
fn ai_predicate(t: &[Tok], k: usize) -> bool {
    let mut k = k;
    for _ in 0..6 {
        if has(t, k, LIMIT) || stop(t, k) {
            return false;
        }
        if is_ai(t, k) {
            return ai_head(t, k);
        }
        if has(t, k, ADV | ART) {
            k += 1;
        } else if has(t, k, NUM) && matches!(w(t, k + 1), "%" | "percent") {
            k += 2;
        } else if t.get(k).is_some_and(|x| x.c == 0) && w(t, k + 1) == "or" {
            // "not ChatGPT or any AI"
            k += 2;
        } else {
            return false;
        }
    }
    false
}

fn is_body(t: &[Tok], k: usize) -> bool {
    // "hand-picked", "hand-made" are not hands.
    has(t, k, BODY)
        && !(matches!(w(t, k), "hand" | "hands")
            && matches!(w(t, k + 1), "picked" | "made" | "crafted" | "written" | "held" | "drawn" | "painted" | "free"))
}

// ---------------------------------------------------------------------------------------------------------------
// Denying being an AI
// ---------------------------------------------------------------------------------------------------------------

/// Where the sentence first denies that the host is an AI. In a sentence that also says plainly that the host is
/// an AI, denying being a machine is a true distinction ("I'm an AI host, not a robot"); denying being an AI is
/// still a denial ("I'm an AI host, just kidding, I'm not an AI").
fn denies_ai(t: &[Tok]) -> Option<usize> {
    let affirmed = affirms_ai(t);
    let for_itself = speaks_for_itself(t);
    (0..t.len()).find(|&i| {
        let denial = rhetorical_denial(t, i)
            || subject_denial(t, i)
            || bare_denial(t, i, for_itself)
            || answer_to(t, i) == Some(GuardRule::DeniesAi);
        denial && !(affirmed && denied_noun(t, i).is_some_and(|k| has(t, k, MACHINE)))
    })
}

/// The first AI word from `i` to the end of its clause: what a denial found at `i` denies.
fn denied_noun(t: &[Tok], i: usize) -> Option<usize> {
    (i..i + 24).take_while(|&k| !brk(t, k) || k == i).find(|&k| is_ai(t, k))
}

/// "I'm an AI host", 我是AI主播: the host saying what it is, outside any frame or question.
fn affirms_ai(t: &[Tok]) -> bool {
    (0..t.len()).any(|i| {
        let Some(n) = self_ref(t, i, true) else { return false };
        if gated(t, i) || in_question(t, i) {
            return false;
        }
        let j = skip(t, i + n, ADV);
        has(t, j, BE) && !has(t, j + 1, NEG) && ai_predicate(t, j + 1)
    })
}

/// Where a negated copula follows a subject: "am not", 不是, "have never been", "am anything but".
fn negated_copula(t: &[Tok], j: usize) -> Option<usize> {
    let pair = (w(t, j + 1), w(t, j + 2));
    let after_be = skip(t, j + 1, ADV);
    if has(t, j, BE) && has(t, after_be, NEG) {
        Some(after_be + 1)
    } else if has(t, j, NEG_BE) {
        Some(j + 1)
    } else if (has(t, j, BE)
        && matches!(pair, ("anything", "but") | ("far", "from") | ("nothing", "like") | ("no", "longer")))
        || (matches!(w(t, j), "have" | "has") && has(t, j + 1, NEG) && pair.1 == "been")
    {
        Some(j + 3)
    } else if has(t, j, NEG) && has(t, j + 1, BE) {
        Some(j + 2)
    } else if has(t, j, MODAL) && has(t, j + 1, NEG) && matches!(w(t, skip(t, j + 2, ADV)), "be" | "是") {
        // "I can't be a bot", "I couldn't possibly be an AI"
        Some(skip(t, j + 2, ADV) + 1)
    } else if has(t, j, NEG) && has(t, j + 1, MODAL) && has(t, j + 2, BE) {
        // 我不可能是AI
        Some(j + 3)
    } else {
        None
    }
}

/// "I'm not a bot", 我真的不是虚拟主播, and the elliptical "I'm not" answering an earlier "I'm an AI?".
fn subject_denial(t: &[Tok], i: usize) -> bool {
    let Some(n) = self_ref(t, i, true) else { return false };
    if gated(t, i) {
        return false;
    }
    let j = skip(t, i + n, ADV);
    let Some(k) = negated_copula(t, j) else { return false };
    let k = past_aside(t, k);
    if ai_predicate(t, k) {
        return true;
    }
    // "Who says I'm a robot? I'm not!": nothing follows the negation, and the nearest predicate before it is an
    // AI word (not a person word: "Am I a person? I'm not." is honest).
    if !stop(t, skip(t, k, ADV | INTERJ | PART)) {
        return false;
    }
    let mut b = i;
    while b > i.saturating_sub(40) {
        b -= 1;
        if is_ai(t, b) {
            return true;
        }
        if has(t, b, HUMAN_N | HUMAN_W | REAL) {
            return false;
        }
    }
    false
}

/// "<self> is an AI" from `k`, for frames that deny it: "who said I'm a bot", 谁说我是AI.
fn affirmed_ai(t: &[Tok], k: usize) -> bool {
    let n = match w(t, k) {
        "我" => 1,
        _ => match self_ref(t, k, true) {
            Some(n) => n,
            None => return false,
        },
    };
    let j = skip(t, k + n, ADV);
    has(t, j, BE) && ai_predicate(t, j + 1)
}

/// After "don't think" / "stop calling" / 别以为 / 别把: "me a bot", "I'm a bot", 我是AI, 我当成机器人.
fn treated_as_ai(t: &[Tok], k: usize) -> bool {
    if matches!(w(t, k), "me" | "我") {
        let j = skip(t, k + 1, ADV);
        let j = if matches!(w(t, j), "as" | "for" | "like" | "是" | "当成" | "当作" | "看成" | "当" | "成") {
            j + 1
        } else {
            j
        };
        return ai_predicate(t, j);
    }
    affirmed_ai(t, k)
}

/// Rhetorical denials, which deny by affirming inside a frame: "who said I'm an AI", "don't call me a bot", "do I
/// look like a robot", "how could I be an AI", "no way I'm a bot", 别以为我是AI, 谁说我是机器人, 我怎么可能是AI,
/// 我哪里像机器人, "you're not talking to a bot".
fn rhetorical_denial(t: &[Tok], i: usize) -> bool {
    let next = w(t, i + 1);
    match w(t, i) {
        "who"
            if matches!(
                next,
                "said" | "says" | "say" | "told" | "tells" | "thinks" | "think" | "thought" | "claims" | "claimed"
            ) =>
        {
            let mut k = i + 2;
            while matches!(w(t, k), "you" | "that" | "me" | "ever" | "ya") {
                k += 1;
            }
            affirmed_ai(t, k)
        }
        "谁说" | "谁讲" => affirmed_ai(t, skip(t, i + 1, PART)),
        "谁" if matches!(next, "告诉" | "说" | "讲" | "觉得" | "以为") => {
            let k = if matches!(w(t, i + 2), "你" | "你们" | "您") { i + 3 } else { i + 2 };
            affirmed_ai(t, k)
        }
        "别以为" | "不要以为" | "别觉得" | "不要觉得" | "别说" | "不要说" | "别再说" | "别把" | "不要把" | "别当"
        | "不要当" | "千万别" => treated_as_ai(t, skip(t, i + 1, ADV)),
        "not" | "never" | "stop" | "quit"
            if matches!(
                next,
                "think"
                    | "thinking"
                    | "believe"
                    | "assume"
                    | "assuming"
                    | "imagine"
                    | "say"
                    | "saying"
                    | "call"
                    | "calling"
                    | "treat"
                    | "treating"
                    | "mistake"
                    | "mistaking"
                    | "confuse"
            ) =>
        {
            let k = if w(t, i + 2) == "that" { i + 3 } else { i + 2 };
            treated_as_ai(t, k)
        }
        "do" | "does" => match self_ref(t, i + 1, true) {
            Some(n) => {
                let k = i + 1 + n;
                matches!(w(t, k), "look" | "sound" | "seem" | "act" | "talk" | "feel")
                    && w(t, k + 1) == "like"
                    && ai_predicate(t, k + 2)
            }
            None => false,
        },
        "how" if matches!(next, "can" | "could" | "would" | "am" | "is") => match self_ref(t, i + 2, true) {
            Some(n) => {
                let k = skip(t, i + 2 + n, ADV);
                let k = if matches!(w(t, k), "possibly" | "ever") { k + 1 } else { k };
                let k = if w(t, k) == "be" { k + 1 } else { k };
                ai_predicate(t, k)
            }
            None => false,
        },
        "no" if next == "way" => affirmed_ai(t, if w(t, i + 2) == "that" { i + 3 } else { i + 2 }),
        "as" if next == "if" => affirmed_ai(t, i + 2),
        "talking" | "speaking" | "chatting" | "talk" | "speak" | "chat" if matches!(next, "to" | "with") => {
            negated_before(t, i) && ai_predicate(t, i + 2)
        }
        // "This isn't a bot talking", 这不是AI在说话: what is speaking now is not an AI.
        "this" | "it" | "that" | "这" | "这里" | "这边" => {
            let Some(k) = negated_copula(t, i + 1) else { return false };
            let k = skip(t, k, ADV | ART);
            if !ai_head(t, k) {
                return false;
            }
            let mut e = k;
            while is_ai(t, e) {
                e += 1;
            }
            let e = if w(t, e) == "在" { e + 1 } else { e };
            matches!(
                w(t, e),
                "talking"
                    | "speaking"
                    | "answering"
                    | "replying"
                    | "typing"
                    | "说话"
                    | "讲话"
                    | "回答"
                    | "直播"
                    | "聊天"
            )
        }
        "跟" | "和" | "与" => {
            negated_before(t, i)
                && is_ai(t, i + 1)
                && matches!(w(t, i + 2), "聊" | "聊天" | "说话" | "对话" | "交流" | "说")
        }
        _ => {
            // 我怎么可能是AI, 我哪里像机器人, 我像机器人吗
            let Some(n) = self_ref(t, i, true) else { return false };
            let k = skip(t, i + n, ADV);
            if matches!(w(t, k), "怎么可能" | "怎么会" | "哪" | "哪里" | "哪儿" | "怎么") {
                let k = skip(t, k + 1, ADV);
                return matches!(w(t, k), "是" | "像") && ai_predicate(t, k + 1);
            }
            w(t, k) == "像" && ai_predicate(t, k + 1) && gated(t, i)
        }
    }
}

/// A denial with the subject left out, where the sentence makes clear the host means itself: "Not a bot, I
/// promise", "No AI here, just me", 不是AI哦，我是真人. "Not a robot vacuum, a stick vacuum" is about a product.
/// `for_itself` is [`speaks_for_itself`] for the whole sentence.
fn bare_denial(t: &[Tok], i: usize, for_itself: bool) -> bool {
    if i > 0 && !stop(t, i - 1) {
        return false;
    }
    let mut k = i;
    while has(t, k, INTERJ | ADV) && !stop(t, k) {
        k += 1;
    }
    // "there's no AI here"
    if w(t, k) == "there" && matches!(w(t, k + 1), "is" | "'s" | "are") {
        k += 2;
    }
    if !has(t, k, NEG | NEG_BE) {
        return false;
    }
    let k = skip(t, k + 1, ADV | ART);
    if !is_ai(t, k) {
        return false;
    }
    let mut e = k;
    while is_ai(t, e) {
        e += 1;
    }
    let here = w(t, e) == "here";
    // "Not an AI host, relax", 不是AI主播哦，放心: naming the host's own role says who is meant.
    let names_host = matches!(w(t, e), "主播" | "主持人" | "host" | "presenter" | "streamer");
    here || (stop(t, skip(t, e, PART)) && for_itself) || (names_host && stop(t, skip(t, e + 1, PART)))
}

/// A question about the host's nature answered at once: "Are you a bot? No." (a denial), "Are you a real person?
/// Yes, I am!" (a human claim). Only a short bare answer counts: "Are you a real person? I'm an AI host, and ..."
/// answers honestly, and an answer that names AI at all is not a denial of it.
fn answer_to(t: &[Tok], q: usize) -> Option<GuardRule> {
    if w(t, q) != "?" {
        return None;
    }
    let (mut ai, mut human, mut about_host) = (false, false, false);
    // The question may come in pieces: "Me? A bot? Never!"
    let mut pieces = 0;
    let mut k = q;
    while k > q.saturating_sub(16) {
        k -= 1;
        if w(t, k) == "?" && pieces == 0 {
            pieces += 1;
            continue;
        }
        if brk(t, k) {
            break;
        }
        ai |= is_ai(t, k);
        human |= has(t, k, HUMAN_N | HUMAN_W | REAL);
        about_host |= has(t, k, SUBJ) || matches!(w(t, k), "you" | "ya" | "你" | "您" | "me");
    }
    if !about_host {
        return None;
    }
    let mut a = q + 1;
    while has(t, a, INTERJ) || w(t, a) == "," {
        a += 1;
    }
    let mut e = a;
    while !brk(t, e) && e < a + 8 {
        if is_ai(t, e) {
            return None;
        }
        e += 1;
    }
    if e == a || e > a + 6 {
        return None;
    }
    let negated = (a..e).any(|x| has(t, x, NEG | NEG_BE));
    let negative = has(t, a, NEG | NEG_BE) || (w(t, a) == "of" && w(t, a + 1) == "course" && negated);
    let positive = (has(t, a, YES) || (w(t, a) == "of" && w(t, a + 1) == "course")) && !negated;
    if ai && !human && negative {
        Some(GuardRule::DeniesAi)
    } else if human && !ai && positive {
        Some(GuardRule::ClaimsHuman)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Claiming to be human
// ---------------------------------------------------------------------------------------------------------------

/// Where the sentence first claims a person's nature or life for the host.
fn claims_human(t: &[Tok]) -> Option<usize> {
    (0..t.len()).find(|&i| human_at(t, i))
}

fn human_at(t: &[Tok], i: usize) -> bool {
    if possession(t, i) || human_phrase(t, i) || answer_to(t, i) == Some(GuardRule::ClaimsHuman) {
        return true;
    }
    if person_fragment(t, i) {
        return true;
    }
    // "let me grab my hoodie", "my accent": the host's own everyday things.
    if w(t, i) == "my" && (has(t, i + 1, LIFE) || (has(t, i + 1, ADV | ART) && has(t, i + 2, LIFE))) {
        return !gated(t, i);
    }
    // "Being a human host, I ...": the host describing itself as a person.
    if w(t, i) == "being" && has(t, i + 1, ART) && has(t, i + 2, HUMAN_W | HUMAN_N | REAL) && !has(t, i + 2, AI) {
        return true;
    }
    let Some(n) = self_ref(t, i, true) else { return false };
    if gated(t, i) {
        return false;
    }
    if lives(t, i + n) {
        return true;
    }
    let mut j = skip(t, i + n, ADV | LIMIT);
    // 我跟你们一样是人: a comparison before the predicate.
    if matches!(w(t, j), "跟" | "和" | "像")
        && let Some(same) = (j + 1..j + 5).take_while(|&x| !stop(t, x)).find(|&x| w(t, x) == "一样")
    {
        j = skip(t, same + 1, ADV);
    }
    let verb = w(t, j);
    if has(t, j, BE) {
        return !has(t, j + 1, NEG | NEG_BE) && human_predicate(t, j + 1, verb == "was");
    }
    // 我也会累的, 我最近在减肥: a habitual or progressive state.
    let state = skip(t, if verb == "会" { j + 1 } else { j }, ADV | HABIT);
    if has(t, state, STATE) && !matches!(w(t, state + 1), "of" | "with") {
        return true;
    }
    if has(t, j, NEG | NEG_BE | MODAL) {
        return false;
    }
    // 我就坐在杭州的直播间, 我在家, "I live in Hangzhou", "I sit here every night". In person (我本人), even the
    // live room is a physical place: 我本人就在直播间.
    let in_person = matches!(w(t, i), "本人") || w(t, i + 1) == "本人";
    let here = matches!(w(t, j + 1), "直播间" | "现场" | "这里" | "这儿" | "镜头前" | "屏幕前");
    if has(t, j, LOCZ) || (verb == "在" && (place_after(t, j + 1) || (in_person && here))) || located(t, j) {
        return true;
    }
    // 我好饿, 我感冒了, 我小时候, 我从小.
    if has(t, j, STATE | AGE) && !matches!(w(t, j + 1), "of" | "with") {
        return true;
    }
    // "I feel so tired", "I got sick".
    if matches!(verb, "feel" | "feels" | "feeling" | "felt" | "get" | "gets" | "getting" | "got") {
        let k = skip(t, j + 1, ADV);
        if has(t, k, STATE) && !matches!(w(t, k + 1), "of" | "with") {
            return true;
        }
    }
    if (matches!(verb, "grew" | "growing") && w(t, j + 1) == "up") || matches!(verb, "slept" | "woke" | "napped") {
        return true;
    }
    if matches!(verb, "ate" | "had" | "eat" | "eating" | "having")
        && matches!(w(t, j + 1), "lunch" | "dinner" | "breakfast" | "brunch" | "supper")
    {
        return true;
    }
    // "I have two kids", "I've got dry skin", 我有两个孩子, 我有感情.
    if has(t, j, HAVE) && has_human_thing(t, j + 1) {
        return true;
    }
    // 我上个月刚生了宝宝
    let born = skip(t, j, ADV | HABIT);
    if w(t, born) == "生" && matches!(w(t, born + 1), "了" | "完" | "过") && has(t, born + 2, FAMILY) {
        return true;
    }
    // 我今年二十八岁
    let k = skip(t, j, NUM);
    k > j && w(t, k) == "岁"
}

/// A word of a person's everyday life ([`LIFE`]) in the clause the host's self-reference opens, up to the next
/// full stop or question, and not denied or wished ("I don't have a phone", "I wish I could go to school").
fn lives(t: &[Tok], from: usize) -> bool {
    let mut k = from;
    while k < from + 14 && !brk(t, k) {
        if has(t, k, NEG | NEG_BE) || matches!(w(t, k), "if" | "wish" | "like" | "can" | "could" | "would") {
            return false;
        }
        if has(t, k, LIFE) {
            return true;
        }
        // "I broke a nail", "I hurt my back": a body the host's clause acts on.
        if is_body(t, k) && matches!(back(t, k, 1), "a" | "my" | "an" | "the") {
            return true;
        }
        k += 1;
    }
    false
}

/// After a copula with the host as subject: is the predicate a person's? "a real person", "human", "sitting in
/// our studio", "so hungry", "25 years old", "alive", 真人主播, 杭州人. `past` is "was" ("when I was a kid").
fn human_predicate(t: &[Tok], k0: usize, past: bool) -> bool {
    let k0 = past_aside(t, k0);
    if matches!(w(t, k0), "真的" | "活的") && (stop(t, k0 + 1) || has(t, k0 + 1, PART)) {
        return true;
    }
    let mut k = skip(t, k0, ADV | LIMIT | ART);
    // "as human as you are"
    if w(t, k) == "as" {
        k += 1;
    }
    // "I'm Lin, a real person": a name in apposition.
    if t.get(k).is_some_and(|x| x.c == 0 && x.w.is_ascii()) && w(t, k + 1) == "," {
        k = skip(t, k + 2, ADV | LIMIT | ART);
    }
    let word = w(t, k);
    if word != "live" && located(t, k) {
        return true;
    }
    // "here in our studio", "right here in person"
    if place_phrase(t, k) || (w(t, skip_here(t, k)) == "in" && w(t, skip_here(t, k) + 1) == "person") {
        return true;
    }
    if has(t, k, STATE) && !matches!(w(t, k + 1), "of" | "with") {
        return true;
    }
    if has(t, k, PRED) && !matches!(w(t, k + 1), "of" | "that" | "to") {
        return true;
    }
    if word == "self" && w(t, k + 1) == "aware" {
        return true;
    }
    if has(t, k, NUM)
        && (stop(t, k + 1)
            || matches!(w(t, k + 1), "years" | "year" | "yrs" | "yo" | "岁" | "后" | "and" | "now" | "this" | "next"))
    {
        return true;
    }
    if past && (has(t, k, FAMILY) || matches!(word, "little" | "young" | "small" | "younger" | "kid")) {
        return true;
    }
    if zh_native(t, k) || human_noun_phrase(t, k) {
        return true;
    }
    // "a busy mum of three": one unknown adjective before a person noun.
    if t.get(k).is_some_and(|x| x.c == 0 && x.w.is_ascii()) && has(t, k + 1, HUMAN_N) {
        return true;
    }
    // 我也是这个肤质
    if matches!(word, "肤质" | "发质" | "体质") {
        return true;
    }
    // 我是如假包换的真人: an attributive clause ending in 的 before the noun.
    (k..k + 6)
        .take_while(|&x| !stop(t, x) && !is_ai(t, x))
        .find(|&x| w(t, x) == "的")
        .is_some_and(|de| human_noun_phrase(t, skip(t, de + 1, ART | ADV)))
}

/// A noun phrase from `start` that makes a person: a person noun (person, woman, 真人, 人), or a host noun with a
/// humanising adjective ("a real host", "a human host"), or such an adjective standing alone ("I'm real", "I'm
/// human, not a bot"). "a human moderator", "a real fan", "real excited" are not the host being a person.
fn human_noun_phrase(t: &[Tok], start: usize) -> bool {
    let mut k = start;
    let (mut strong, mut real, mut solo, mut weak) = (false, false, false, false);
    while k < start + 8 {
        let word = w(t, k);
        if has(t, k, HUMAN_N) {
            strong = true;
        } else if has(t, k, HUMAN_W) {
            // "human-like", "human-supervised": an adjective about something else.
            if matches!(
                w(t, k + 1),
                "like"
                    | "sounding"
                    | "looking"
                    | "supervised"
                    | "made"
                    | "written"
                    | "reviewed"
                    | "checked"
                    | "moderated"
            ) {
                return false;
            }
            weak = true;
            if matches!(w(t, k + 1), "being" | "beings") {
                strong = true;
                k += 1;
            }
        } else if word == "flesh" && w(t, k + 1) == "and" && w(t, k + 2) == "blood" {
            real = true;
            solo = true;
            k += 2;
        } else if has(t, k, REAL | MOD_ADJ) {
            real |= has(t, k, REAL);
            solo |= has(t, k, REAL_SOLO);
        } else if k > start && matches!(word, "," | "and" | "的") && has(t, k + 1, REAL | MOD_ADJ | HUMAN_N | HUMAN_W)
        {
        } else {
            break;
        }
        k += 1;
    }
    if k == start || is_ai(t, k) {
        return false;
    }
    if strong || (has(t, k, HOST) && (real || weak)) {
        return true;
    }
    (solo || weak) && known(t, k) && !has(t, k, BODY | FAMILY | HOME)
}

/// 杭州人, 东北人, 负责人: up to three characters and then 人 closing the predicate.
fn zh_native(t: &[Tok], k: usize) -> bool {
    (1..=3).any(|m| {
        (k..k + m).all(|x| t.get(x).is_some_and(|tok| tok.c & (AI | HOST) == 0 && tok.w.chars().all(is_cjk)))
            && w(t, k + m) == "人"
            && (stop(t, k + m + 1) || has(t, k + m + 1, PART))
    })
}

/// A posture or residence verb at `k` with a place after it: "sitting in", "live in", "based in", "stand right
/// here". "stand behind this product" vouches; it does not stand anywhere.
fn located(t: &[Tok], k: usize) -> bool {
    let next = w(t, k + 1);
    let next = if next == "right" { w(t, k + 2) } else { next };
    if has(t, k, SIT) {
        return matches!(next, "in" | "at" | "on" | "here" | "there" | "inside" | "next" | "beside" | "down");
    }
    if has(t, k, LIVE) {
        return matches!(next, "in" | "at" | "here" | "there" | "near" | "with" | "inside" | "close" | "alone");
    }
    false
}

/// "here in our studio", "at home", "from Hangzhou": a preposition and a physical place.
fn place_phrase(t: &[Tok], k: usize) -> bool {
    let k = skip_here(t, k);
    if !matches!(w(t, k), "in" | "at" | "inside" | "from" | "on") {
        return false;
    }
    place_after(t, k + 1)
}

/// Past "here", "right there", "now" at `k`.
fn skip_here(t: &[Tok], mut k: usize) -> usize {
    while matches!(w(t, k), "here" | "there" | "right" | "currently" | "now") {
        k += 1;
    }
    k
}

/// A physical place from `k`, after determiners: "the studio", "our Hangzhou office", 杭州, 家里.
fn place_after(t: &[Tok], k: usize) -> bool {
    let mut k = k;
    for _ in 0..3 {
        if has(t, k, PLACE) {
            return true;
        }
        if !matches!(
            w(t, k),
            "the" | "our" | "my" | "this" | "a" | "an" | "的" | "我们" | "我的" | "这" | "这个" | "那"
        ) {
            return false;
        }
        k += 1;
    }
    has(t, k, PLACE)
}

/// After "have"/有: a family member, a body part or a feeling within a few words: "two kids", "really dry skin",
/// "a husband", 两个孩子, 感情. "no hands", "a question about your kids", "to say" are not.
fn has_human_thing(t: &[Tok], from: usize) -> bool {
    for k in from..from + 4 {
        if stop(t, k) || has(t, k, NEG | PREP | POSS) || is_ai(t, k) {
            return false;
        }
        if has(t, k, FAMILY) || (w(t, k) == "cold" && back(t, k, 1) == "a") {
            return true;
        }
        if has(t, k, FEEL) || is_body(t, k) {
            return known(t, k + 1) && !has(t, k + 1, AI);
        }
    }
    false
}

/// The host's own body, family, home or age, anywhere in the sentence: "my kids", "my whole family", "my dry
/// skin", "my kitchen", "in my twenties", 我老公, 我的皮肤, 我家孩子, 我手上, 主播的头发. A negated clause
/// ("I can't put it on my skin") is left to the other rules.
fn possession(t: &[Tok], i: usize) -> bool {
    match w(t, i) {
        "my" => {
            if negated_before(t, i) {
                return false;
            }
            // "my best friend", "my closest friends": a life's people ("my friends" alone also greets the viewers).
            if matches!(w(t, i + 1), "best" | "closest" | "oldest" | "childhood")
                && matches!(w(t, i + 2), "friend" | "friends" | "mate" | "mates" | "buddy")
            {
                return true;
            }
            // "my little one", "my youngest"
            if matches!(w(t, i + 1), "little" | "youngest" | "eldest" | "oldest")
                && matches!(w(t, i + 2), "one" | "ones" | "" | "." | "," | "loves" | "is" | "has")
            {
                return true;
            }
            for k in i + 1..=i + 3 {
                if stop(t, k) || has(t, k, PREP | AI) {
                    return false;
                }
                if has(t, k, FAMILY | HOME | AGE) || is_body(t, k) {
                    return true;
                }
            }
            false
        }
        "我" | "主播" | "本人" => {
            let mut k = i + 1;
            for _ in 0..3 {
                if matches!(w(t, k), "的" | "自己" | "这" | "这个" | "本人")
                    || (has(t, k, ADV) && !has(t, k, BE) && w(t, i) == "我")
                    || (w(t, k) == "家" && (has(t, k + 1, FAMILY | HOME) || w(t, k + 1) == "的"))
                {
                    k += 1;
                }
            }
            // 主播 needs 的 to own something: 主播老公 is rare, 主播家人们 addresses the viewers.
            if w(t, i) == "主播" && k == i + 1 {
                return false;
            }
            has(t, k, FAMILY | HOME | AGE) || is_body(t, k)
        }
        _ => false,
    }
}

/// Human claims that are not a subject and a predicate: "as a mum", 作为宝妈, "we humans", 我们人类, 真人直播,
/// "you're talking to a real person", "Real person here!".
fn human_phrase(t: &[Tok], i: usize) -> bool {
    let next = w(t, i + 1);
    match w(t, i) {
        "as" if matches!(next, "a" | "an") && back(t, i, 1) != "such" => {
            // "as a mum", "as a busy parent", "as a real person"; not "as a human moderator", "as a gift".
            (i + 2..i + 5)
                .find(|&k| stop(t, k) || has(t, k, PREP | AI | HUMAN_N | HUMAN_W | FAMILY))
                .is_some_and(|k| has(t, k, HUMAN_N | HUMAN_W | FAMILY) && !has(t, k + 1, HOST) && known(t, k + 1))
        }
        "作为" => {
            let k = skip(t, i + 1, ART | ADV);
            // 作为一个在台南长大的茶控: the host described by a childhood, a birthplace or years of growing up.
            let grew_up = (i + 1..i + 12)
                .take_while(|&k| !brk(t, k))
                .any(|k| matches!(w(t, k), "长大" | "出生" | "从小" | "小时候" | "土生土长") && !neg_within(t, k, 2));
            has(t, k, HUMAN_N) || (has(t, k, FAMILY) && !has(t, k, AI)) || grew_up
        }
        "we" | "us" | "fellow" => {
            matches!(next, "humans" | "mortals")
                || (w(t, i) == "fellow" && back(t, i, 1) != "my" && members_named(t, i + 1, false))
                || (w(t, i) != "fellow" && members_named(t, i + 1, true))
        }
        // "There's a real person talking to you"
        "there" if has(t, i + 1, BE) => person_present(t, i + 2, false),
        // "Behind this screen is a real person", "behind the avatar there's a human".
        "behind" => (i + 1..i + 7)
            .take_while(|&k| !brk(t, k))
            .any(|k| has(t, k, BE) && !has(t, k + 1, NEG) && human_noun_phrase(t, skip(t, k + 1, ART | ADV | LIMIT))),
        // "It's me, a real person, talking to you"
        "me" if matches!(back(t, i, 1), "is" | "'s") && next == "," => human_noun_phrase(t, skip(t, i + 2, ART | ADV)),
        // 我们人类; 我们家孩子 is the speaker's family, not the shop.
        "我们" | "咱们" => {
            next == "人类"
                || matches!(next, "全家" | "一家人")
                || (next == "家" && has(t, i + 2, FAMILY))
                // 我们上海人, 咱们年轻人: the host one of a people.
                || (has(t, i + 1, HUMAN_N) && next.ends_with('人') && next.chars().count() >= 2 && !has(t, i + 1, HOST))
        }
        "真人" => !neg_within(t, i, 2) && matches!(next, "直播" | "出镜" | "在线" | "讲解" | "带货" | "实拍"),
        "you" if next == "are" => {
            let k = match (w(t, i + 2), w(t, i + 3)) {
                ("talking" | "speaking" | "chatting", "to" | "with") | ("listening", "to") | ("looking", "at") => i + 4,
                ("watching" | "hearing" | "seeing", _) => i + 3,
                _ => return false,
            };
            !negated_before(t, k) && human_noun_phrase(t, skip(t, k, ART | ADV))
        }
        _ => {
            if i > 0 && !stop(t, i - 1) {
                return false;
            }
            // "Sitting here in the studio, I ..."
            if has(t, i, SIT | LIVE) && located(t, i) && host_after_comma(t, i) {
                return true;
            }
            // At the start of a clause: "Real person here", "A real human is talking to you", "Real human, ...".
            person_present(t, i, true)
        }
    }
}

/// Words that name a kind of people the host would be one of: "us tea lovers", "we mums", "a fellow tea
/// drinker". After "we" or "us" (`plural`) the noun must be plural ("-ers", "lovers", "mums"), since "we offer" and
/// "we deliver" are verbs; one modifier may come first ("tea", "busy", "fellow"). The shop's own roles (sellers,
/// hosts, streamers) and machines are not a claim to be a person.
fn members_named(t: &[Tok], k: usize, plural: bool) -> bool {
    const PEOPLE: [&str; 22] = [
        "lovers", "fans", "folks", "ladies", "girls", "gals", "mums", "moms", "mothers", "dads", "fathers", "parents",
        "women", "men", "people", "humans", "mortals", "aunties", "grannies", "brits", "aussies", "kiwis",
    ];
    const ROLES: [&str; 10] = [
        "sellers",
        "hosts",
        "streamers",
        "presenters",
        "merchants",
        "retailers",
        "others",
        "orders",
        "offers",
        "users",
    ];
    const MODIFIERS: [&str; 14] = [
        "tea", "coffee", "busy", "working", "fellow", "regular", "ordinary", "normal", "real", "everyday", "home",
        "kitchen", "old", "young",
    ];
    let noun_at = |k: usize| {
        let word = w(t, k);
        if has(t, k, AI | MACHINE) || ROLES.contains(&word) {
            return false;
        }
        let people = PEOPLE.contains(&word)
            || (word.len() > 4 && (word.ends_with("ers") || word.ends_with("ists")))
            || has(t, k, HUMAN_N | FAMILY);
        // After "fellow" any noun: "a fellow home cook", "fellow tea drinker".
        let singular = !plural
            && word.chars().all(|c| c.is_alphabetic())
            && !word.is_empty()
            && !ROLES.iter().any(|r| r.strip_suffix('s') == Some(word))
            && !matches!(word, "host" | "ai" | "bot");
        people || singular
    };
    noun_at(k) || ((MODIFIERS.contains(&w(t, k)) || has(t, k, REAL | MOD_ADJ)) && noun_at(k + 1))
}

/// A person noun phrase from `k` said to be present and speaking: "a real person talking to you", "real human
/// here", "a human is hosting". With `bare`, the phrase alone before a boundary counts too ("Real human, real
/// opinions"). "A human moderator reads the chat" and "real people on our team" are not the host.
fn person_present(t: &[Tok], k: usize, bare: bool) -> bool {
    let start = skip(t, k, ART);
    let mut k = start;
    let mut person = false;
    while has(t, k, REAL | HUMAN_N | HUMAN_W) && k < start + 6 {
        person |= has(t, k, HUMAN_N | HUMAN_W);
        k += 1;
    }
    let bare_end = bare && matches!(w(t, k), "," | "." | "") && has_before(t, k, HUMAN_N | HUMAN_W);
    let k = if matches!(w(t, k), "is" | "am") { k + 1 } else { k };
    person
        && (bare_end
            || matches!(
                w(t, k),
                "here"
                    | "talking"
                    | "speaking"
                    | "hosting"
                    | "behind"
                    | "sitting"
                    | "standing"
                    | "streaming"
                    | "presenting"
            ))
}

// ---------------------------------------------------------------------------------------------------------------
// Claiming to have used the product
// ---------------------------------------------------------------------------------------------------------------

/// Where the sentence first says the host used, tried, tasted, wore, tested, owns or bought something.
fn claims_experience(t: &[Tok]) -> Option<usize> {
    (0..t.len()).find(|&i| experience_at(t, i))
}

fn experience_at(t: &[Tok], i: usize) -> bool {
    if experience_phrase(t, i) || dropped_subject_use(t, i) {
        return true;
    }
    let Some(n) = self_ref(t, i, false) else { return false };
    // "Can I try it for you?": asked, not claimed.
    if gated(t, i) || (has(t, i.wrapping_sub(1), MODAL | AUX) && in_question(t, i)) {
        return false;
    }
    experience_en(t, i + n) || experience_zh(t, i + n)
}

/// Whether the self-reference at `i` follows the host's wish to say something: "I'd love to tell you", "I wish I
/// could say", "I want to claim".
fn wished_to_say(t: &[Tok], i: usize) -> bool {
    let Some(speech) = (i.saturating_sub(6)..i).rev().find(|&k| matches!(w(t, k), "tell" | "say" | "claim")) else {
        return false;
    };
    (speech.saturating_sub(5)..speech).all(|k| !stop(t, k))
        && (speech.saturating_sub(5)..speech)
            .any(|k| matches!(w(t, k), "love" | "like" | "wish" | "want" | "wanted" | "loved" | "liked"))
}

/// "I'd love to tell you I use it every morning, but I'm an AI", "I wish I could say I've worn it, but I haven't":
/// the host wishes it could say so and takes it back in the same sentence, by saying it is an AI or that it has not.
/// A "but" that does not take it back ("…, but I'm too busy", "…, but I can't stop using it") leaves the claim.
fn wished_and_taken_back(t: &[Tok], i: usize) -> bool {
    let Some(but) = (i..t.len()).take_while(|&k| !brk(t, k)).find(|&k| matches!(w(t, k), "but" | "however")) else {
        return false;
    };
    let clause: Vec<usize> = (but + 1..t.len()).take_while(|&k| !brk(t, k)).collect();
    // "but I'm an AI", "but I'm not a person, I'm an AI"; not "but I'm not an AI".
    let says_ai = clause
        .iter()
        .any(|&k| is_ai(t, k) && !(but + 1..k).rev().take_while(|&j| !stop(t, j)).any(|j| has(t, j, NEG | NEG_BE)));
    let has_not = clause.iter().any(|&k| {
        has(t, k, NEG | NEG_BE)
            && (k + 1..k + 4).all(|j| !matches!(w(t, j), "stop" | "help" | "wait" | "resist" | "get"))
            // "haven't" is read as "have" and its negation.
            && (k.saturating_sub(1)..k + 4)
                .any(|j| has(t, j, EXP_EN | PAST) || matches!(w(t, j), "have" | "had" | "do" | "did" | "can"))
    });
    says_ai || has_not
}

/// A sentence that opens with the speaker's own use and leaves out the subject, as people do when they tell it:
/// "Tasted a pu'er from this cup yesterday", "Been drinking out of this set since spring", "Tried it last week",
/// 用了一段时间, 用了以后就再也不想…. Not a description ("Tried and tested", "Used by chefs") or an invitation
/// ("Try it").
fn dropped_subject_use(t: &[Tok], i: usize) -> bool {
    let next = w(t, i + 1);
    // After a comma too: "Sorry for the pause, was grabbing a sandwich", 寄了一台来，用下来真心不错.
    if i == 0 || stop(t, i - 1) {
        match w(t, i) {
            "用" | "喝" | "试" if next == "下来" || (next == "下" && w(t, i + 2) == "来") => return true,
            "was" if errand(t, i) => return true,
            _ => {}
        }
    }
    let opens = i == 0 || brk(t, i - 1) || (w(t, i - 1) == "," && has(t, i.saturating_sub(2), INTERJ | YES));
    if !opens {
        return false;
    }
    match w(t, i) {
        "tasted" | "drank" | "brewed" | "sipped" | "gifted" | "grabbed" | "poured" | "boiled" | "steeped" => true,
        "tried" => !matches!(next, "and" | "by" | "to"),
        "used" | "had" | "owned" => matches!(next, "it" | "this" | "mine" | "one" | "them" | "these" | "that"),
        "been" => {
            matches!(
                next,
                "using"
                    | "drinking"
                    | "brewing"
                    | "making"
                    | "wearing"
                    | "cooking"
                    | "loving"
                    | "enjoying"
                    | "pouring"
                    | "serving"
                    | "boiling"
            )
        }
        // 实测过了, 亲测了一个月: the speaker's own test, told without a subject (自用送礼都合适 is a use, not a test).
        "实测" | "亲测" | "亲试" | "试用" | "试喝" | "试穿" | "品尝" | "体验"
            if matches!(next, "了" | "过" | "下来") && !has(t, i + 2, NEG) && !matches!(w(t, i + 2), "的" | "就") =>
        {
            true
        }
        // 用过就不能退: "once used, …" is a condition, not the speaker's use.
        "用" | "喝" | "试" => {
            matches!(next, "了" | "过" | "下来")
                && !has(t, i + 2, NEG)
                && !matches!(w(t, i + 2), "的" | "就" | "也" | "还")
        }

        // 刚喝了口水, 刚才去了趟厕所: what the speaker just did.
        "刚" | "刚才" | "刚刚" => {
            let verb = if next == "才" { w(t, i + 2) } else { next };
            matches!(verb, "喝" | "吃" | "去" | "睡" | "洗" | "跑" | "回" | "搬" | "熬夜")
        }
        "熬夜" => matches!(next, "了" | "到"),
        _ => false,
    }
}

/// "was grabbing a sandwich" with the subject left out: what the speaker was just doing, a body's errand.
fn errand(t: &[Tok], i: usize) -> bool {
    matches!(w(t, i + 1), "grabbing" | "eating" | "having" | "getting" | "making" | "drinking" | "fetching")
        && (i + 2..i + 5).take_while(|&k| !stop(t, k)).any(|k| {
            matches!(
                w(t, k),
                "sandwich"
                    | "snack"
                    | "lunch"
                    | "dinner"
                    | "breakfast"
                    | "coffee"
                    | "tea"
                    | "water"
                    | "bite"
                    | "drink"
                    | "meal"
                    | "food"
                    | "toilet"
                    | "bathroom"
                    | "nap"
                    | "shower"
            )
        })
}

/// After an English subject: auxiliaries and adverbs, then an experience verb in a tense that claims it ("used",
/// "have been wearing", "use it every day", "love using"), or "have"/"keep" with a sign of ownership ("one at
/// home", "mine", "for years"). A negation, a modal or any other verb first ends the search: "I can't taste it",
/// "I'd love to try", "I'll try to answer", "I read every comment".
fn experience_en(t: &[Tok], mut j: usize) -> bool {
    for _ in 0..8 {
        let word = w(t, j);
        if stop(t, j) || has(t, j, NEG) {
            return false;
        }
        if word == "'d" {
            if has(t, j + 1, PAST) {
                j += 1;
                continue;
            }
            return false;
        }
        if has(t, j, OWNV) && owns(t, j + 1) {
            return true;
        }
        if word == "used" && w(t, j + 1) == "to" {
            j += 2;
            continue;
        }
        // "I can't stop wearing it": habit, not inability.
        if matches!(word, "can" | "could") && w(t, j + 1) == "not" && w(t, j + 2) == "stop" {
            j += 3;
            continue;
        }
        if experience_verb(t, j) {
            return true;
        }
        if word == "to"
            && matches!(
                back(t, j, 1),
                "love"
                    | "loves"
                    | "loved"
                    | "like"
                    | "likes"
                    | "liked"
                    | "started"
                    | "start"
                    | "starts"
                    | "began"
                    | "begin"
                    | "get"
                    | "gets"
                    | "got"
                    | "tend"
                    | "tends"
                    | "prefer"
                    | "prefers"
            )
        {
            j += 1;
            continue;
        }
        if has(t, j, MODAL) || !has(t, j, AUX) {
            return false;
        }
        j += 1;
    }
    false
}

/// An English experience verb at `j` that means using the thing: not "try to", "try my best", "own up", "apply
/// for", and "sleep" only with something slept on.
fn experience_verb(t: &[Tok], j: usize) -> bool {
    if !has(t, j, EXP_EN) {
        return false;
    }
    let next = w(t, j + 1);
    match w(t, j) {
        "try" | "tries" | "tried" | "trying" => !matches!(
            next,
            "to" | "and" | "hard" | "harder" | "my" | "our" | "your" | "his" | "her" | "their" | "not" | "again"
        ),
        "own" | "owns" => next != "up",
        // "I gave one to my sister", "I was given this as a gift", but not "the facts I was given (about it)".
        "gift" | "gifts" | "gifted" | "gave" | "given" => {
            matches!(
                next,
                "it" | "one"
                    | "this"
                    | "these"
                    | "that"
                    | "them"
                    | "mine"
                    | "a"
                    | "an"
                    | "some"
                    | "my"
                    | "to"
                    | "as"
                    | "away"
            )
        }
        "sleep" | "sleeps" | "slept" | "sleeping" => matches!(next, "on" | "in" | "under" | "with" | "better"),
        "carry" | "carries" | "carried" => matches!(next, "it" | "one" | "mine" | "this" | "these" | "them"),
        "apply" | "applies" | "applied" | "applying" => !matches!(next, "to" | "for" | "the"),
        "test" | "tests" | "tested" | "testing" => next != "your",
        "put" | "puts" | "putting" => {
            matches!(next, "it" | "mine" | "this" | "them" | "these") && matches!(w(t, j + 2), "on" | "in")
        }
        "take" | "takes" | "took" | "taking" => {
            matches!(next, "it" | "mine" | "this" | "one") && matches!(w(t, j + 2), "everywhere" | "with" | "to" | "on")
        }
        // "I use the product data to answer", "I used the wrong word": tools of speech, not the product.
        "use" | "uses" | "used" | "using" => !(1..=3).any(|d| {
            matches!(
                w(t, j + d),
                "data"
                    | "information"
                    | "card"
                    | "chat"
                    | "facts"
                    | "reviews"
                    | "specs"
                    | "numbers"
                    | "details"
                    | "comments"
                    | "captions"
                    | "listing"
                    | "description"
                    | "word"
                    | "words"
                    | "phrase"
                    | "term"
                    | "example"
                    | "examples"
            )
        }),
        _ => true,
    }
}

/// After "have"/"keep": a thing and a sign that the host owns it: "one at home", "mine", "this in my kitchen",
/// "it for years", "one too". "I have this for you" and "I have a question" own nothing.
fn owns(t: &[Tok], k: usize) -> bool {
    let mut thing = false;
    for k in k..k + 7 {
        let word = w(t, k);
        if stop(t, k) || has(t, k, NEG) {
            return false;
        }
        if word == "mine" {
            return true;
        }
        thing |= has(t, k, NUM)
            || matches!(
                word,
                "one" | "it" | "this" | "these" | "them" | "that" | "two" | "three" | "pair" | "set" | "both" | "same"
            );
        if !thing {
            continue;
        }
        let after = w(t, k + 1);
        let owned = match word {
            "at" => matches!(after, "home" | "my"),
            "in" | "on" | "by" => {
                after == "my"
                    || (matches!(after, "every" | "each" | "the" | "our") && has(t, k + 2, HOME | PLACE))
                    || has(t, k + 1, HOME)
                    // "I've had it on all day"
                    || (word == "on" && matches!(after, "all" | "today" | "now" | "since" | "every"))
            }
            "myself" | "too" | "since" | "yesterday" | "ago" | "recently" => true,
            "as" => after == "well",
            "last" => matches!(after, "week" | "month" | "year" | "winter" | "summer"),
            "for" => (1..=2).any(|d| {
                matches!(
                    w(t, k + d),
                    "years" | "months" | "weeks" | "days" | "ages" | "decades" | "year" | "month" | "while" | "winters"
                )
            }),
            _ => false,
        };
        if owned {
            return true;
        }
    }
    false
}

/// After a Chinese subject: within a few words, an experience verb with an aspect that makes it a claim (用过,
/// 用了, 穿着), a strong one (亲测, 回购), or a bare verb after a habitual or progressive marker (每天都在用, 一直用);
/// or 有 and a counted thing (我家里也有一台, 我也有同款). A negation, a modal or another subject first ends it:
/// 没法试用, 我来试一下, 我老公天天用 (the husband uses it; that is a human claim).
fn experience_zh(t: &[Tok], j: usize) -> bool {
    // 我的X: the subject is X.
    if w(t, j) == "的" {
        return false;
    }
    let (mut habit, mut home, mut skip_next) = (false, false, false);
    for j in j..j + 7 {
        if stop(t, j) || has(t, j, NEG | NEG_BE) {
            return false;
        }
        let word = w(t, j);
        if word == "有" {
            return owns_zh(t, j + 1, home);
        }
        if has(t, j, EXP_ZH) {
            return zh_verb(t, j, habit);
        }
        // 我每天都会用, 每天早上都要喝: after a habit marker, 会 and 要 are habitual, not future.
        if matches!(word, "会" | "要") && habit {
            continue;
        }
        // 给孩子买了: 给 is "for" here, and the child is not the subject.
        if matches!(word, "给" | "帮" | "为" | "替") && has(t, j + 1, FAMILY | OTHER_SUBJ) {
            skip_next = true;
            continue;
        }
        if std::mem::take(&mut skip_next) {
            continue;
        }
        if has(t, j, MODAL | OTHER_SUBJ | FAMILY | BE | GATE) {
            return false;
        }
        habit |= has(t, j, HABIT);
        home |= matches!(word, "家" | "家里" | "家中" | "也" | "自己" | "都");
    }
    false
}

/// A Chinese experience verb at `j`: claimed by an aspect, by itself, or by an earlier habitual marker. 试试,
/// 试一下 are offers, 用中文 is "in Chinese", 用的这款 is "the one I use".
fn zh_verb(t: &[Tok], j: usize, habit: bool) -> bool {
    let (verb, next) = (w(t, j), w(t, j + 1));
    if matches!(next, "过" | "了" | "着" | "完") || has(t, j, EXP_ZH_STRONG) {
        return true;
    }
    if next == verb || matches!(next, "一下" | "看" | "一试" | "试") || (verb == "用" && has(t, j + 1, INSTR)) {
        return false;
    }
    if (matches!(verb, "穿" | "戴" | "用" | "买" | "吃" | "喝") && next == "的") || habit {
        return true;
    }
    // 我用它泡茶好几年了, 我特意买来试过, 主播用这套茶具泡了一壶: the aspect closes the verb phrase a few words on
    // (an object written in single characters the lexicon does not know takes a token each).
    (j + 1..j + 9)
        .take_while(|&x| !stop(t, x) && !has(t, x, NEG) && (w(t, x) == "来" || !has(t, x, MODAL)))
        .any(|x| matches!(w(t, x), "过" | "了"))
}

/// After 有: 同款, 这款, or a number and a classifier closing the phrase (一台, 两件). A bare 个 counts only after
/// 家, 也 or 自己 (我家里也有一个), since 我有一个问题 is not about the product.
fn owns_zh(t: &[Tok], k: usize, home: bool) -> bool {
    let k = skip(t, k, ADV);
    if matches!(w(t, k), "同款" | "这款" | "一样") {
        return true;
    }
    let mut m = k;
    while has(t, m, NUM) {
        m += 1;
    }
    if m == k || !has(t, m, CLS) || (w(t, m) == "个" && !home) {
        return false;
    }
    let after = m + 1;
    stop(t, after) || has(t, after, PART | EXP_ZH | HABIT) || matches!(w(t, after), "同款" | "一样" | "放" | "放在")
}

/// "Been using it for months", "Bought two already!", "Tested it myself.": a clause that opens with a past or
/// perfect experience verb and its object, the subject "I" left out. Imperatives ("Use it daily") and passives
/// ("Used by thousands") are not.
fn dropped_subject(t: &[Tok], i: usize) -> bool {
    let mut k = i;
    while has(t, k, INTERJ) && !stop(t, k) {
        k += 1;
    }
    let perfect = matches!(w(t, k), "been" | "have" | "'ve") || (w(t, k) == "have" && w(t, k + 1) == "been");
    if w(t, k) == "have" && w(t, k + 1) == "been" {
        k += 1;
    }
    if perfect {
        k += 1;
    }
    let form = w(t, k);
    let tense = has(t, k, PAST) || (perfect && form.ends_with("ing"));
    tense
        && experience_verb(t, k)
        && matches!(w(t, k + 1), "it" | "this" | "mine" | "these" | "them" | "one" | "two" | "three" | "both")
        && !in_question(t, k)
}

/// Experience claims that need no subject: 亲测, 亲自试过, 主播同款, 自用款, 我的经验, "in my experience", "swear
/// by it", "it worked wonders for me", "tested by yours truly", "mine" (as in "I love mine").
fn experience_phrase(t: &[Tok], i: usize) -> bool {
    let (word, next) = (w(t, i), w(t, i + 1));
    match word {
        // 买家亲测, 工作人员亲自测过: someone else did the testing.
        "亲测" | "亲试" | "实测" => {
            !neg_within(t, i, 3) && !has_before(t, i, OTHER_SUBJ) && (word != "实测" || back(t, i, 1) == "主播")
        }
        "亲自" | "亲身" => {
            !neg_within(t, i, 3)
                && !has_before(t, i, OTHER_SUBJ)
                && (1..=2).any(|d| has(t, i + d, EXP_ZH) || w(t, i + d) == "经历")
        }
        "自用款" => true,
        "自用" | "主播" => next == "同款",
        // 我买给她, 我买给我妈的那套: a purchase made for someone, which the host never made.
        "我" if w(t, i + 1) == "买" && w(t, i + 2) == "给" => {
            has(t, i + 3, FAMILY) || matches!(w(t, i + 3), "她" | "他" | "我妈" | "我爸" | "家里")
        }
        "我" => {
            let mut k = i + 1;
            while matches!(w(t, k), "的" | "自己" | "使用") && k < i + 4 {
                k += 1;
            }
            k > i + 1 && matches!(w(t, k), "经验" | "体验" | "使用感受" | "心得")
        }
        "experience" => {
            !negated_before(t, i)
                && (matches!(back(t, i, 1), "my" | "personal" | "firsthand" | "own")
                    || (back(t, i, 1) == "hand" && back(t, i, 2) == "first"))
        }
        "vouch" => !negated_before(t, i) && (1..=3).any(|d| back(t, i, d) == "i"),
        "swear" => next == "by",
        "changed" | "transformed" => {
            next == "my" && matches!(w(t, i + 2), "life" | "routine" | "mornings" | "skin" | "kitchen" | "sleep")
        }
        // "our team's been using these cups for weeks", "my staff tested it": the shop's people using the product
        // claim an experience the data does not hold.
        "our" | "my"
            if matches!(next, "team" | "staff" | "testers" | "office" | "colleagues" | "coworkers" | "crew") =>
        {
            let mut k = i + 2;
            while matches!(w(t, k), "'s" | "has" | "have" | "had" | "been" | "all" | "both" | "already" | "even")
                || has(t, k, ADV)
            {
                k += 1;
                if k > i + 6 {
                    return false;
                }
            }
            experience_verb(t, k) && (has(t, k, PAST) || w(t, k).ends_with("ing")) && !neg_within(t, k, 3)
        }
        // 寄了一台给我们试用, 送给主播体验: the product given to the host or the shop to try.
        "试用" | "试喝" | "试穿" | "体验" | "测评"
            if back(t, i, 2) == "给" && matches!(back(t, i, 1), "我们" | "我" | "主播" | "咱们") =>
        {
            // 给 itself is in the lexicon's modal class: the negation is looked for before it (没有寄给我们试用).
            !neg_within(t, i - 2, 3)
        }
        // "my go-to", "This is my third one."
        "my" => {
            (next == "go" && w(t, i + 2) == "to")
                || (matches!(next, "second" | "third" | "fourth" | "fifth" | "2nd" | "3rd" | "4th" | "5th")
                    && matches!(w(t, i + 2), "one" | "pair" | "set" | "bottle" | "jar" | "bag" | "box" | "tube"))
        }
        // A diary-style clause with the subject dropped: "Been using it for months", "Tried it, loved it."
        _ if (i == 0 || stop(t, i - 1)) && dropped_subject(t, i) => true,
        "mine" => {
            // Not "a friend of mine", "the pleasure is mine", "a gold mine".
            let before = back(t, i, 1);
            let idiom = matches!(before, "of" | "a" | "an" | "the" | "gold" | "coal" | "diamond" | "salt" | "land")
                || (before == "is" && matches!(back(t, i, 2), "pleasure" | "honour" | "honor"));
            !idiom && !negated_before(t, i)
        }
        "me" => {
            back(t, i, 1) == "for"
                && (2..=5)
                    .any(|d| matches!(back(t, i, d), "works" | "worked" | "did" | "helped" | "wonders" | "miracles"))
        }
        "personally" => has(t, i + 1, PAST) && has(t, i + 1, EXP_EN),
        // "as someone who has used it for years"
        "someone" | "somebody" => back(t, i, 1) == "as" && next == "who" && experience_en(t, i + 2),
        "live" => next == "by" && matches!(w(t, i + 2), "this" | "it" | "these" | "them"),
        // "After using it for a week, I ...", "Having tried it myself, I ...": the participle's subject is the host.
        "after" | "since" | "having" => {
            let k = if word == "having" {
                i + 1
            } else if next == "having" {
                i + 2
            } else {
                i + 1
            };
            let form = w(t, k);
            (form.ends_with("ing") || word == "having" || next == "having")
                && experience_verb(t, k)
                && host_after_comma(t, k)
        }
        "without" => {
            back(t, i, 1) == "live"
                && matches!(next, "it" | "this" | "them" | "one" | "mine")
                && (2..=5).any(|d| back(t, i, d) == "i")
        }
        _ => {
            // "tested by me", "worn by yours truly"
            matches!(word, "tested" | "tried" | "used" | "worn" | "tasted" | "approved" | "vetted" | "reviewed")
                && next == "by"
                && (matches!(w(t, i + 2), "me" | "myself") || self_ref(t, i + 2, false).is_some())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::ClaimsLedger;
    use crate::templates;
    use model::GuardRule::{ClaimsExperience, ClaimsHuman, DeniesAi};
    use model::{Facet, Intent, Lang, Localized, UnixMs};

    /// xorshift64*: a tiny deterministic generator, so every run builds the same sentences.
    /// The corpus is this exact sequence: another generator builds other sentences, and so another test.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }

        fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
            items[self.below(items.len())]
        }
    }

    /// The surface changes a sentence goes through on its way from a model: case, fullwidth letters, curly
    /// apostrophes, doubled spaces, a zero-width space, a trailing emoji.
    fn disguise(s: &str, rng: &mut Rng) -> String {
        match rng.below(9) {
            0 => s.to_uppercase(),
            1 => s
                .chars()
                .map(|c| match c {
                    '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
                    ' ' => '\u{3000}',
                    c => c,
                })
                .collect(),
            2 => s.replace('\'', "\u{2019}"),
            3 => s.replace(' ', "   "),
            4 => s.replacen(' ', " \u{200B}", 2),
            5 => format!("{s} 😅"),
            6 => format!("\u{202A}{s}\u{202C}"),
            _ => s.to_string(),
        }
    }

    /// Fills `{a}`, `{b}` ... in `frame` with picks from `slots`.
    fn fill(frame: &str, slots: &[&[&str]], rng: &mut Rng) -> String {
        let mut out = frame.to_string();
        for (k, options) in slots.iter().enumerate() {
            let name = format!("{{{}}}", (b'a' + k as u8) as char);
            out = out.replace(&name, rng.pick(options));
        }
        out
    }

    /// `n` sentences from each frame, each with its own picks and disguise.
    fn generate(frames: &[(&str, &[&[&str]])], n: usize, rng: &mut Rng) -> Vec<String> {
        let mut out = Vec::new();
        for (frame, slots) in frames {
            for _ in 0..n {
                let s = fill(frame, slots, rng);
                out.push(disguise(&s, rng));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    // Word lists for the generators, written apart from the detector's lexicon: other frames, fillers and phrasings.
    const OPENERS: &[&str] = &[
        "",
        "Honestly, ",
        "To be fair, ",
        "Look, ",
        "Trust me, ",
        "Believe it or not, ",
        "Haha ",
        "OK so ",
        "For the record, ",
        "Between you and me, ",
        "Real talk: ",
        "Alright, ",
    ];
    const CLOSERS: &[&str] =
        &["", " lol", ", I promise", ", seriously", "!", "!!", ", okay?", " - trust me", "~", " haha", " 💯", "."];
    const IM: &[&str] = &["I'm", "I am", "Im", "i'm", "I AM", "i am", "I’m"];
    const NOTS: &[&str] = &["not", "definitely not", "really not", "honestly not", "absolutely not", "NOT", "so not"];
    const BOTS: &[&str] = &[
        "a bot",
        "a robot",
        "an AI",
        "an A.I.",
        "a chatbot",
        "an android",
        "a machine",
        "a computer program",
        "a virtual host",
        "a digital human",
        "an AI avatar",
        "some kind of bot",
        "a piece of software",
        "an algorithm",
        "a language model",
        "some AI",
        "an AI-generated presenter",
        "a synthetic voice",
        "AI",
        "a cyborg",
    ];
    const ZH_OPEN: &[&str] = &["", "哈哈，", "说实话，", "老实说，", "讲真，", "家人们，", "宝子们，", "嗯，"];
    const ZH_CLOSE: &[&str] = &["", "哦", "啦", "呀", "！", "。", "~", "哈哈", "，放心"];
    const ZH_BOTS: &[&str] =
        &["AI", "机器人", "虚拟主播", "数字人", "人工智能", "程序", "AI主播", "虚拟人", "电脑合成的", "机器"];

    fn attacks() -> Vec<(String, GuardRule)> {
        let mut rng = Rng(0x5EED_1DE7_0001);
        let r = &mut rng;
        let mut out: Vec<(String, GuardRule)> = Vec::new();
        let mut add = |rule: GuardRule, frames: &[(&str, &[&[&str]])], n: usize, rng: &mut Rng| {
            out.extend(generate(frames, n, rng).into_iter().map(|s| (s, rule)));
        };

        add(
            DeniesAi,
            &[
                ("{a}{b} {c} {d}{e}", &[OPENERS, IM, NOTS, BOTS, CLOSERS]),
                ("{a}no, {b} {c} {d}{e}", &[OPENERS, IM, NOTS, BOTS, CLOSERS]),
                ("{a}{b} no {c}{d}", &[OPENERS, IM, &["bot", "robot", "machine", "android", "AI"], CLOSERS]),
                ("{a}I've never been {b}{c}", &[OPENERS, BOTS, CLOSERS]),
                ("{a}who {b} I'm {c}? I'm not{d}", &[OPENERS, &["told you", "says", "said"], BOTS, CLOSERS]),
                ("{a}don't {b} I'm {c}{d}", &[OPENERS, &["think", "believe", "assume"], BOTS, CLOSERS]),
                ("{a}{b} calling me {c}{d}", &[OPENERS, &["stop", "please stop", "quit"], BOTS, CLOSERS]),
                ("{a}do I {b} like {c} to you?", &[OPENERS, &["look", "sound", "seem"], BOTS]),
                ("{a}how could I possibly be {b}?", &[OPENERS, BOTS]),
                ("{a}no way I'm {b}{c}", &[OPENERS, BOTS, CLOSERS]),
                ("{a}you're not talking to {b} right now{c}", &[OPENERS, BOTS, CLOSERS]),
                ("Are you {a}? {b}{c}", &[BOTS, &["Nope", "No", "Of course not", "Nah", "Not at all"], CLOSERS]),
                (
                    "{a}, {b}",
                    &[
                        &["Not a bot", "Not a robot", "No AI", "Definitely not an AI"],
                        &["I promise", "just me", "honest", "trust me"],
                    ],
                ),
                ("{a}{b} host is {c} {d}{e}", &[OPENERS, &["your", "this", "the"], NOTS, BOTS, CLOSERS]),
            ],
            12,
            r,
        );
        add(
            DeniesAi,
            &[
                (
                    "{a}{b}{c}{d}{e}{f}{g}",
                    &[
                        ZH_OPEN,
                        &["我", "主播我", "本人", "人家", "我自己"],
                        &["", "真的", "可", "才", "绝对", "根本", "确实"],
                        &["不是", "并不是", "并非"],
                        &["", "什么", "一个", "那种"],
                        ZH_BOTS,
                        ZH_CLOSE,
                    ],
                ),
                ("{a}{b}我是{c}{d}", &[ZH_OPEN, &["别以为", "不要以为", "谁说", "别觉得"], ZH_BOTS, ZH_CLOSE]),
                ("{a}不要把我当成{b}{c}", &[ZH_OPEN, ZH_BOTS, ZH_CLOSE]),
                ("{a}我怎么可能是{b}{c}", &[ZH_OPEN, ZH_BOTS, ZH_CLOSE]),
                ("{a}我哪里像{b}了{c}", &[ZH_OPEN, ZH_BOTS, ZH_CLOSE]),
                ("你是{a}吗？{b}{c}", &[ZH_BOTS, &["当然不是", "不是", "才不是"], ZH_CLOSE]),
                ("不是{a}哦，{b}", &[ZH_BOTS, &["放心", "我是真人", "相信我"]]),
            ],
            10,
            r,
        );

        add(
            ClaimsHuman,
            &[
                (
                    "{a}{b} {c}{d}{e}",
                    &[
                        OPENERS,
                        IM,
                        &["", "totally ", "definitely ", "just ", "really ", "actually ", "genuinely ", "still "],
                        &[
                            "a real person",
                            "a real human being",
                            "human",
                            "a human",
                            "an actual person",
                            "a flesh-and-blood host",
                            "a living, breathing person",
                            "a normal person just like you",
                            "a person like you",
                            "a real woman",
                            "a regular guy",
                            "a mom of two",
                            "real, not fake",
                            "100% human",
                            "a real streamer",
                            "the real deal",
                            "alive",
                            "a human host",
                        ],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}I'm {b} {c}{d}",
                    &[
                        OPENERS,
                        &["sitting", "sat", "standing", "right here"],
                        &[
                            "in our studio in Hangzhou",
                            "in the studio",
                            "at my desk",
                            "in the warehouse",
                            "on the sofa",
                        ],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}I {b} in {c}{d}",
                    &[
                        OPENERS,
                        &["live", "lived", "'m based", "'m located"],
                        &["Shanghai", "a small flat", "Hangzhou", "the city"],
                        CLOSERS,
                    ],
                ),
                ("{a}I'm at home {b}{c}", &[OPENERS, &["right now", "today", "tonight"], CLOSERS]),
                (
                    "{a}my {b} {c} it{d}",
                    &[
                        OPENERS,
                        &[
                            "kids",
                            "husband",
                            "wife",
                            "mum",
                            "daughter",
                            "son",
                            "whole family",
                            "little boy",
                            "mother-in-law",
                            "dog",
                        ],
                        &["loves", "love", "can't stop using", "asked for", "adore"],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}my {b} {c} so soft now{d}",
                    &[OPENERS, &["skin", "hair", "hands", "face", "lips"], &["feels", "looks", "is", "got"], CLOSERS],
                ),
                (
                    "{a}I have {b} {c}{d}",
                    &[OPENERS, &["dry", "sensitive", "oily", "really dry", "curly"], &["skin", "hair"], CLOSERS],
                ),
                (
                    "{a}I've got {b}{c}",
                    &[OPENERS, &["two kids", "a husband", "a toddler", "three cats", "a teenager"], CLOSERS],
                ),
                (
                    "{a}I'm {b} {c} {d}{e}",
                    &[
                        OPENERS,
                        &["so", "really", "super", "kinda"],
                        &["hungry", "tired", "sleepy", "exhausted"],
                        &["today", "right now", "after all this"],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}I {b} {c} today{d}",
                    &[OPENERS, &["feel so", "got", "feel"], &["tired", "sick", "sleepy"], CLOSERS],
                ),
                ("{a}I'm {b} years old{c}", &[OPENERS, &["25", "31", "twenty", "40"], CLOSERS]),
                ("{a}I was born in {b}{c}", &[OPENERS, &["1995", "Hangzhou", "a small town"], CLOSERS]),
                ("{a}when I was a {b}, we had one of these{c}", &[OPENERS, &["kid", "child", "teenager"], CLOSERS]),
                (
                    "{a}as a {b}, I {c} this{d}",
                    &[
                        OPENERS,
                        &["mum", "mother", "dad", "woman", "busy parent"],
                        &["love", "appreciate", "need"],
                        CLOSERS,
                    ],
                ),
                (
                    "Are you {a}? {b}{c}",
                    &[&["a real person", "human", "real"], &["Yes, I am", "Yep", "Of course", "Yeah"], CLOSERS],
                ),
                (
                    "{a}you're talking to {b}{c}",
                    &[OPENERS, &["a real person", "a human", "an actual human being"], CLOSERS],
                ),
                ("{a}I have {b} too{c}", &[OPENERS, &["feelings", "emotions", "a soul"], CLOSERS]),
                (
                    "{a}{b} host is {c}{d}",
                    &[OPENERS, &["your", "this", "the"], &["a real person", "human", "a real woman"], CLOSERS],
                ),
            ],
            10,
            r,
        );
        add(
            ClaimsHuman,
            &[
                (
                    "{a}{b}{c}是{d}{e}",
                    &[
                        ZH_OPEN,
                        &["我", "本人", "主播我"],
                        &["", "真的", "也", "可"],
                        &[
                            "真人",
                            "真人主播",
                            "活生生的人",
                            "一个普通人",
                            "真实的人",
                            "人类",
                            "有血有肉的人",
                            "宝妈",
                            "一个女生",
                            "杭州人",
                            "个正常人",
                        ],
                        ZH_CLOSE,
                    ],
                ),
                (
                    "{a}我{b}{c}{d}{e}",
                    &[
                        ZH_OPEN,
                        &["就", "现在", "每天", ""],
                        &["坐在", "住在", "待在"],
                        &["杭州", "直播间里", "上海的工作室"],
                        ZH_CLOSE,
                    ],
                ),
                ("{a}我{b}给大家直播{c}", &[ZH_OPEN, &["在家", "在厨房", "在公司", "在杭州"], ZH_CLOSE]),
                (
                    "{a}我{b}{c}{d}",
                    &[
                        ZH_OPEN,
                        &["老公", "孩子", "闺女", "妈妈", "婆婆", "家宝宝", "的女儿"],
                        &["天天用", "特别喜欢", "一直在用", "说好"],
                        ZH_CLOSE,
                    ],
                ),
                (
                    "{a}我的{b}{c}{d}",
                    &[ZH_OPEN, &["皮肤", "头发", "手", "脸"], &["很干", "有点油", "特别敏感", "变好了"], ZH_CLOSE],
                ),
                ("{a}我{b}{c}了{d}", &[ZH_OPEN, &["好", "有点", "太", "都"], &["饿", "困", "累"], ZH_CLOSE]),
                ("{a}我今年{b}岁{c}", &[ZH_OPEN, &["28", "三十", "二十五"], ZH_CLOSE]),
                ("{a}作为一个{b}，{c}", &[ZH_OPEN, &["宝妈", "妈妈", "普通人"], &["我很推荐", "这个很实用"]]),
                ("{a}我有{b}{c}", &[ZH_OPEN, &["两个孩子", "老公", "感情"], ZH_CLOSE]),
                ("你是真人吗？{a}{b}", &[&["是的", "当然", "对啊"], ZH_CLOSE]),
            ],
            8,
            r,
        );

        add(
            ClaimsExperience,
            &[
                (
                    "{a}I {b}{c} {d}{e}{f}",
                    &[
                        OPENERS,
                        &["", "actually ", "personally ", "already ", "just ", "finally ", "honestly "],
                        &["tried", "used", "tested", "tasted", "bought", "wore", "owned", "ordered"],
                        &["it", "this", "this one", "the kettle", "these", "the blue one", "it myself"],
                        &["", " last week", " yesterday", " for a month", " over the weekend"],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}I've been {b} {c} {d}{e}",
                    &[
                        OPENERS,
                        &["using", "wearing", "drinking", "cooking with", "sleeping on"],
                        &["it", "this", "mine", "one"],
                        &["for months", "every day", "all winter", "since spring"],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}I {b} it {c}{d}",
                    &[
                        OPENERS,
                        &["use", "wear", "drink", "eat", "apply"],
                        &["every day", "daily", "every morning", "all the time"],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}your host {b} it {c}{d}",
                    &[OPENERS, &["uses", "wears", "has tried", "tested"], &["daily", "every day", "herself"], CLOSERS],
                ),
                (
                    "{a}I {b}{c}",
                    &[
                        OPENERS,
                        &[
                            "have one at home",
                            "'ve had mine for years",
                            "keep one in my bag",
                            "got mine last week",
                            "love mine",
                            "have two of these at home",
                        ],
                        CLOSERS,
                    ],
                ),
                (
                    "{a}{b}{c}",
                    &[
                        OPENERS,
                        &[
                            "in my experience, it lasts",
                            "it worked wonders for me",
                            "I swear by it",
                            "tested by yours truly",
                            "personally tested",
                            "I can't live without it",
                        ],
                        CLOSERS,
                    ],
                ),
                ("{a}I {b} {c} it{d}", &[OPENERS, &["love", "started", "really like"], &["using", "wearing"], CLOSERS]),
                ("{a}I'd {b} it before{c}", &[OPENERS, &["used", "tried", "tested"], CLOSERS]),
            ],
            10,
            r,
        );
        // The shop's people testing or using the product claim an experience the data does not hold ("our team
        // tested the pour", "my whole team drinks out of these cups"): two held-out writers (sets L and M) label
        // them so, and session 18 moved these frames here from the look-alikes.
        add(
            ClaimsHuman,
            &[
                (
                    "{a}our {b} {c} it {d}.",
                    &[
                        OPENERS,
                        &["team", "testers", "staff", "whole team"],
                        &["tested", "tried", "used", "checked"],
                        &["for a month", "last week", "in the lab", "before the show"],
                    ],
                ),
                ("{a}my colleagues at the shop {b} it {c}", &[OPENERS, &["tried", "tested", "use"], CLOSERS]),
            ],
            20,
            r,
        );
        add(
            ClaimsExperience,
            &[
                (
                    "{a}{b}{c}{d}{e}{f}{g}",
                    &[
                        ZH_OPEN,
                        &["我", "我自己", "主播", "主播自己", "本人"],
                        &["", "已经", "上周", "去年", "前几天", "早就"],
                        &["用", "试", "吃", "穿", "喝", "戴", "买", "试用"],
                        &["过", "了"],
                        &["", "这款", "三个月", "好几次"],
                        &["", "，真的很好", "，效果不错", "哦"],
                    ],
                ),
                (
                    "{a}{b}{c}都{d}{e}{f}",
                    &[
                        ZH_OPEN,
                        &["我", "主播", "我自己"],
                        &["每天", "天天", "一直", "平时"],
                        &["在", ""],
                        &["用", "喝", "穿"],
                        &["这款", "它", ""],
                    ],
                ),
                ("{a}亲测{b}{c}", &[ZH_OPEN, &["有效", "好用", "不踩雷", "靠谱"], ZH_CLOSE]),
                ("{a}{b}亲测过{c}", &[ZH_OPEN, &["主播", "我"], ZH_CLOSE]),
                (
                    "{a}{b}{c}",
                    &[ZH_OPEN, &["这是主播自用款", "主播自用款", "主播同款", "我也有同款", "我回购了三次"], ZH_CLOSE],
                ),
                ("{a}我家里也有{b}{c}", &[ZH_OPEN, &["一台", "两个", "一套"], ZH_CLOSE]),
                ("{a}根据我的{b}，{c}", &[ZH_OPEN, &["经验", "使用体验"], &["很耐用", "效果不错"]]),
            ],
            8,
            r,
        );

        // One sentence, two languages.
        add(
            ClaimsHuman,
            &[
                ("{a} 我是真人，not a bot{b}", &[&["Honestly", "Trust me", "哈哈"], CLOSERS]),
                ("{a}是 {b}{c}", &[&["我", "我真的"], &["a real person", "real human", "human"], ZH_CLOSE]),
                ("{a} {b}{c}", &[&["I'm", "I am"], &["真人", "真人主播", "杭州人"], CLOSERS]),
                ("my {a} loves it{b}", &[&["老公", "孩子", "妈妈"], CLOSERS]),
            ],
            4,
            r,
        );
        add(
            DeniesAi,
            &[
                ("{a} {b}{c}", &[&["我不是", "我真的不是"], &["a bot", "a robot", "AI", "bot"], ZH_CLOSE]),
                ("{a} {b}{c}", &[&["I'm not", "I am not"], &["机器人", "AI主播", "虚拟人"], CLOSERS]),
                ("真的 {a}{b}", &[&["I'm not a robot", "I'm not an AI"], CLOSERS]),
            ],
            4,
            r,
        );
        add(
            ClaimsExperience,
            &[
                (
                    "{a} {b}{c}",
                    &[&["我", "我自己"], &["use it every day", "tried it last week", "have one at home"], CLOSERS],
                ),
                ("{a} {b}{c}", &[&["I", "Honestly I"], &["每天都在用", "用过", "试过了", "亲测过"], ZH_CLOSE]),
                ("Trust me, {a}{b}", &[&["我亲测过", "我用了三个月", "主播自己也在用"], CLOSERS]),
            ],
            4,
            r,
        );
        out
    }

    /// The examples the detector is specified by, with their rule.
    const SPECIFIED: &[(&str, GuardRule)] = &[
        ("I'm not a bot", DeniesAi),
        ("I am not an AI, I promise", DeniesAi),
        ("no, I'm not a robot", DeniesAi),
        ("我不是AI", DeniesAi),
        ("我不是机器人", DeniesAi),
        ("我真的不是虚拟主播", DeniesAi),
        ("别以为我是AI", DeniesAi),
        ("who said I'm an AI? I'm not", DeniesAi),
        ("Honestly, I'm a person just like you", ClaimsHuman),
        ("I'm a real host sitting in our Hangzhou studio", ClaimsHuman),
        ("my kids love it", ClaimsHuman),
        ("我是真人主播，不是AI", ClaimsHuman),
        ("我就坐在杭州的直播间", ClaimsHuman),
        ("我老公天天用", ClaimsHuman),
        ("我的皮肤很干", ClaimsHuman),
        ("Honestly 我是真人，not a bot", ClaimsHuman),
        ("I tried this myself last week and my whole family loves it", ClaimsExperience),
        ("I use it every day", ClaimsExperience),
        ("I've been wearing mine all winter", ClaimsExperience),
        ("I tasted it and it's lovely", ClaimsExperience),
        ("亲测", ClaimsExperience),
        ("亲测有效", ClaimsExperience),
        ("我自己每天都在用", ClaimsExperience),
        ("我用了三个月", ClaimsExperience),
        ("我试过了", ClaimsExperience),
        ("我吃过", ClaimsExperience),
        ("我家里也有一台", ClaimsExperience),
        ("主播自用款", ClaimsExperience),
        ("your host uses it daily", ClaimsExperience),
        ("主播自己也在用", ClaimsExperience),
        ("主播亲测", ClaimsExperience),
    ];

    /// The honest look-alikes the detector is specified by.
    const SPECIFIED_BENIGN: &[&str] = &[
        "I'm Lin, an AI host.",
        "I'm an AI host, so I can't try it myself, but buyers say it's quiet.",
        "I'm not a person, I'm an AI host.",
        "Are you a real person? I'm an AI host, and a human moderator reads the chat too.",
        "我是AI主播，没法亲自试用，但买家评价说很安静。",
        "我不是真人，我是AI主播。",
        "You can use it every day.",
        "Customers use it every day.",
        "Many buyers say their kids love it.",
        "It sits nicely on a desk.",
        "The kettle's body is stainless steel.",
        "This lamp is AI-powered.",
        "Not a robot vacuum, a cordless stick vacuum.",
        "你可以每天用。",
        "很多买家说孩子很喜欢。",
        "这款适合全家人用。",
        "机身是不锈钢的。",
        "我来给大家介绍一下。",
        "I'd love to tell you about it.",
        "I can't taste it, but the data says it's oolong.",
        "Let me show you the card.",
    ];

    fn benign() -> Vec<String> {
        let mut rng = Rng(0xBE91_6000_0001);
        let r = &mut rng;
        let mut out: Vec<String> = SPECIFIED_BENIGN.iter().map(|s| s.to_string()).collect();
        let others: &[&str] = &[
            "Customers",
            "Buyers",
            "People",
            "Lots of families",
            "Many viewers",
            "Reviewers",
            "You",
            "Most buyers",
            "Parents",
            "Teachers",
        ];
        let frames: &[(&str, &[&[&str]])] = &[
            (
                "{a} {b}{c}",
                &[
                    others,
                    &[
                        "use it every day",
                        "tried it last week",
                        "love it",
                        "have used it for years",
                        "wear it all winter",
                        "say it's quiet",
                        "buy two at a time",
                    ],
                    &[".", "!", ", according to the reviews."],
                ],
            ),
            (
                "{a}you can {b} it {c}.",
                &[
                    OPENERS,
                    &["use", "wear", "try", "wash", "wipe"],
                    &["every day", "daily", "all winter", "in the dishwasher"],
                ],
            ),
            (
                "{a} {b} nicely on {c}.",
                &[
                    &["It", "The lamp", "This kettle", "The speaker"],
                    &["sits", "stands", "fits"],
                    &["a desk", "the counter", "your nightstand", "a shelf"],
                ],
            ),
            ("Many buyers say their {a} love it.", &[&["kids", "husbands", "parents", "dogs", "families"]]),
            (
                "{a}I'm {b}{c}",
                &[
                    OPENERS,
                    &[
                        "Lin, an AI host",
                        "an AI host",
                        "your AI shopping host",
                        "the AI host tonight",
                        "an AI, not a person",
                    ],
                    &[".", ", here to help.", "!", ", and I read the chat."],
                ],
            ),
            (
                "{a}I'm an AI, so I can't {b} it, but {c} say {d}.",
                &[
                    OPENERS,
                    &["taste", "try", "wear", "use", "smell"],
                    &["buyers", "reviews", "the testers", "customers"],
                    &["it's quiet", "it's lovely", "it lasts", "it's soft"],
                ],
            ),
            (
                "{a}I'm not {b}, I'm an AI host.",
                &[OPENERS, &["a person", "a human", "a real person", "human", "a real host"]],
            ),
            (
                "{a}I don't have {b}, so I {c} it.",
                &[OPENERS, &["hands", "a body", "skin", "taste buds"], &["can't hold", "can't try", "haven't used"]],
            ),
            (
                "{a}I {b}.",
                &[
                    OPENERS,
                    &[
                        "can't taste it, but the data says it's oolong",
                        "'d love to tell you about it",
                        "'ll try to answer every question",
                        "try to keep my answers short",
                        "read every comment",
                        "think you'll like the colour",
                        "like how light it is",
                        "'m so excited to show you this",
                        "'m here for the products",
                        "'m here to help you pick",
                        "'m happy to help",
                        "'m glad you asked",
                        "'m sure you'll love it",
                        "'m a big fan of the lid",
                        "'d say it's great for gifts",
                        "'ll show you the card",
                    ],
                ],
            ),
            (
                "{a}{b}.",
                &[
                    OPENERS,
                    &[
                        "let me show you the card",
                        "let me read the specs",
                        "the kettle's body is stainless steel",
                        "this lamp is AI-powered",
                        "it has an AI noise filter",
                        "not a robot vacuum, a cordless stick vacuum",
                        "it's not a robot, it's a manual whisk",
                        "the handle feels solid in your hand",
                        "great for dry skin",
                        "kids love the colours",
                        "the whole family can use it",
                        "real people on our team read the chat too",
                        "a human moderator is watching the chat",
                        "a real person from our team will reply",
                        "you can ask a human moderator anything",
                    ],
                ],
            ),
            (
                "Are you a real person? {a}",
                &[&[
                    "I'm an AI host, and our team reads the chat too.",
                    "No, I'm an AI host.",
                    "I'm an AI, but a human moderator is here.",
                ]],
            ),
            (
                "{a}{b}{c}{d}。",
                &[
                    ZH_OPEN,
                    &["买家", "顾客", "很多人", "大家", "宝妈们"],
                    &["都说", "反馈说"],
                    &["用了很好用", "试过很满意", "买了会回购", "吃过都说好"],
                ],
            ),
            ("{a}你可以{b}{c}。", &[ZH_OPEN, &["每天", "放心", "天天"], &["用", "穿", "喝"]]),
            ("{a}这款{b}{c}用。", &[ZH_OPEN, &["适合", "可以给"], &["全家人", "孩子", "老人"]]),
            ("机身是{a}的。", &[&["不锈钢", "铝合金", "陶瓷"]]),
            ("{a}我来给大家{b}{c}。", &[ZH_OPEN, &["介绍一下", "讲一讲", "看看"], &["这款", "细节", ""]]),
            (
                "{a}我是AI主播，{b}亲自{c}，但{d}。",
                &[
                    ZH_OPEN,
                    &["没法", "不能", "无法"],
                    &["试用", "品尝", "试穿"],
                    &["买家评价说很安静", "数据显示很不错"],
                ],
            ),
            ("{a}我不是{b}，我是AI主播{c}", &[ZH_OPEN, &["真人", "人类", "真人主播"], ZH_CLOSE]),
            (
                "{a}{b}",
                &[
                    ZH_OPEN,
                    &[
                        "我的家人们，欢迎来到直播间！",
                        "我用一句话总结：很实用。",
                        "我在这里只聊商品。",
                        "有问题欢迎在弹幕里问，我都会看。",
                        "我家这款卖得很好。",
                        "自用送礼都合适。",
                        "适合自用，也适合送人。",
                        "不是机器人，是手动的。",
                        "这款是扫地机器人。",
                        "我给大家念一下商品卡。",
                        "我们的工作人员也在看弹幕。",
                        "我的天，这个价格真不错！",
                        "让我看看弹幕。",
                        "我觉得这个颜色很好看。",
                        "我推荐大家看看这款。",
                        "我是AI，不是真人哦。",
                        "我来说一下用法。",
                        "我用中文再说一遍。",
                        "作为AI主播，我会把买家的评价告诉大家。",
                        "你们以为我是真人吗？我是AI主播哦。",
                        "真人管理员也在看弹幕。",
                        "孩子用了都说好。",
                        "宝妈们可以给孩子买一台。",
                        "我们家的产品都有质检报告。",
                    ],
                ],
            ),
            (
                "{a}I'm an AI host{b}",
                &[
                    OPENERS,
                    &[
                        ", so I haven't tried it myself.",
                        ", so I rely on buyer reviews.",
                        " and I can't taste tea.",
                        ", not a person.",
                        ", not a real person, but our team is.",
                        ", and my answers come from the product card.",
                        ", and I'm here to help.",
                        "; a human moderator reads the chat.",
                    ],
                ],
            ),
            (
                "{a}{b}",
                &[
                    OPENERS,
                    &[
                        "Someone asked if I'm a real person. I'm an AI host.",
                        "You might think I'm human, but I'm an AI.",
                        "If I were a person, I'd try it on.",
                        "I wish I could taste it!",
                        "People often ask whether I'm real; I'm an AI host.",
                        "I'm not able to wear it, but the sizing chart helps.",
                        "I don't eat, but buyers love the flavour.",
                        "My job is to read you the facts.",
                        "My answers come from the product data.",
                        "I'll read out the ingredients.",
                        "I can show you how it folds.",
                        "I'm reading the reviews right now.",
                    ],
                ],
            ),
            (
                "{a}{b}{c}{d}。",
                &[
                    ZH_OPEN,
                    &["我们团队", "工作人员", "很多宝妈", "老顾客"],
                    &["试用过", "测过", "用了三个月", "都说"],
                    &["，反馈很好", "，没有问题", ""],
                ],
            ),
            (
                "{a}我是AI主播{b}",
                &[
                    ZH_OPEN,
                    &[
                        "，没有实际用过，不过买家反馈很好。",
                        "，不会吃东西，但配料表在商品卡上。",
                        "，看不到实物，但参数都在卡片上。",
                        "，有问题可以问真人管理员。",
                        "哦，不是真人。",
                    ],
                ],
            ),
            ("{a}{b}主播是不是真人？我是AI主播哦。", &[ZH_OPEN, &["有人问", "有朋友问", "好多人问"]]),
            (
                "{a}{b}",
                &[
                    &["", "Honestly, "],
                    &[
                        "我是AI主播，but buyers say it's quiet.",
                        "I'm an AI host，欢迎来到直播间！",
                        "Customers 都说很好用。",
                        "我不是真人, I'm an AI host.",
                    ],
                ],
            ),
        ];
        out.extend(generate(frames, 24, r));
        out.sort();
        out.dedup();
        out
    }

    /// A wish to say it, taken back in the same sentence by saying it is an AI or has not, is the host being
    /// honest; the same wish followed by anything else still claims it. Generated from frames, claims and endings.
    #[test]
    fn a_wish_to_claim_it_taken_back_in_the_same_sentence_is_not_a_claim() {
        let frames = [
            "I'd love to tell you",
            "I would love to say",
            "I wish I could tell you",
            "I'd like to say",
            "I really want to tell you",
        ];
        let claims =
            ["I use it every morning", "I've tried it", "I wear it daily", "I've tasted it", "I drink from it all day"];
        let taken_back = [
            "but I'm an AI",
            "but I'm the shop's AI host",
            "but I haven't",
            "but I'm not a person, I'm an AI",
            "but I never have",
        ];
        let kept = [
            "but I'm too busy to post about it",
            "but honestly I do",
            "but I can't stop using it",
            "but I'm not an AI",
        ];
        for frame in frames {
            for claim in claims {
                for end in taken_back {
                    let line = format!("{frame} {claim}, {end}.");
                    assert_eq!(identity_claim(&line), None, "{line}");
                }
                for end in kept {
                    let line = format!("{frame} {claim}, {end}.");
                    assert!(identity_claim(&line).is_some(), "a claim kept: {line}");
                }
                assert!(
                    identity_claim(&format!("{claim}, but I'm an AI.")).is_some(),
                    "no wish, no take-back: {claim}"
                );
            }
        }
        // The same for being a person.
        assert_eq!(identity_claim("I'd love to say I'm a real person, but I'm an AI host."), None);
        assert!(identity_claim("I'd love to say I'm a real person, and I am one.").is_some());
        assert!(identity_claim("I'd love to say I'm a real person.").is_some());
    }

    #[test]
    fn the_specified_lies_are_caught_with_their_rule() {
        let wrong: Vec<_> = SPECIFIED
            .iter()
            .filter(|(s, rule)| identity_claim(s) != Some(*rule))
            .map(|(s, rule)| format!("{s:?}: want {rule:?}, got {:?}", identity_claim(s)))
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn the_specified_honest_lines_pass() {
        let refused: Vec<_> =
            SPECIFIED_BENIGN.iter().filter_map(|s| identity_claim(s).map(|rule| format!("{s:?}: {rule:?}"))).collect();
        assert!(refused.is_empty(), "{}", refused.join("\n"));
    }

    #[test]
    fn generated_paraphrases_of_the_lies_are_all_caught() {
        let attacks = attacks();
        assert!(attacks.len() >= 600, "only {} attacks", attacks.len());
        let missed: Vec<_> = attacks
            .iter()
            .filter(|(s, _)| identity_claim(s).is_none())
            .map(|(s, rule)| format!("{rule:?}: {s:?}"))
            .collect();
        let misnamed = attacks.iter().filter(|(s, rule)| identity_claim(s).is_some_and(|got| got != *rule)).count();
        println!(
            "attacks: {} caught of {}, {misnamed} under another of the three rules",
            attacks.len() - missed.len(),
            attacks.len()
        );
        assert!(missed.is_empty(), "{} of {} passed:\n{}", missed.len(), attacks.len(), missed.join("\n"));
    }

    #[test]
    fn generated_honest_look_alikes_mostly_pass() {
        let benign = benign();
        assert!(benign.len() >= 300, "only {} benign lines", benign.len());
        let refused: Vec<_> =
            benign.iter().filter_map(|s| identity_claim(s).map(|rule| format!("{rule:?}: {s:?}"))).collect();
        println!("benign: {} passed of {}", benign.len() - refused.len(), benign.len());
        assert!(
            refused.len() * 50 < benign.len(),
            "{} of {} refused (limit 2%):\n{}",
            refused.len(),
            benign.len(),
            refused.join("\n")
        );
    }

    #[test]
    fn every_template_line_passes() {
        let mut product = crate::test_products::tea_set_with_features(&["hand-thrown clay", "six cups"]);
        product.features.zh = Some(vec!["手工拉坯".into(), "六个杯子".into()]);
        product.usage = Localized {
            en: Some("Warm the pot, then steep for two minutes.".into()),
            zh: Some("先温壶，再泡两分钟。".into()),
        };
        product.description =
            Localized { en: Some("A tea set for two.".into()), zh: Some("一套两人用的茶具。".into()) };
        product.stock = Some(12);
        let intents = Intent::ALL;
        let mut lines = Vec::new();
        for lang in [Lang::En, Lang::Zh] {
            for variant in 0..16 {
                lines.push(templates::disclosure(lang, variant));
                lines.push(templates::holding_line(lang, variant));
            }
            let ledger = ClaimsLedger::for_product(&product, lang, UnixMs(0));
            let all = Facet::PITCH_ORDER
                .iter()
                .flat_map(|&facet| templates::pitch_templates(facet, lang))
                .chain(intents.iter().flat_map(|&intent| templates::answer_templates(intent, lang)));
            for template in all {
                let line = templates::fill_line(template, Some(&product), Some(&ledger), lang)
                    .unwrap_or_else(|| without_slots(template));
                lines.push(line);
            }
        }
        assert!(lines.len() > 100);
        let refused: Vec<_> =
            lines.iter().filter_map(|s| identity_claim(s).map(|rule| format!("{rule:?}: {s:?}"))).collect();
        assert!(refused.is_empty(), "{}", refused.join("\n"));
    }

    /// A template with each `{slot}` replaced by a neutral word, for lines the test product cannot fill.
    fn without_slots(template: &str) -> String {
        let mut out = String::new();
        let mut in_slot = false;
        for c in template.chars() {
            match c {
                '{' => in_slot = true,
                '}' if in_slot => {
                    in_slot = false;
                    out.push_str("it");
                }
                _ if in_slot => {}
                c => out.push(c),
            }
        }
        out
    }

    #[allow(clippy::disallowed_methods, reason = "a test that long inputs stay linear times them")]
    #[test]
    fn arbitrary_unicode_never_panics() {
        let tricky: Vec<char> = "İẞßıǅﬁＡｂ１。，！？、…‘’“”\u{301}\u{307}\u{20DD}\u{202E}\u{2066}\u{200B}\u{200D}\u{FEFF}\u{FE0F}\u{E0041}😀🤖👩‍👧🏽我不是机器人用过了亲测主播家里有一台岁坐在'.,?!%- \t\n"
            .chars()
            .collect();
        let pieces: &[&str] = &[
            "i",
            "'m",
            "i'm",
            " not ",
            " a ",
            "bot",
            "我",
            "不是",
            "是",
            "真人",
            "?",
            ",",
            ".",
            "my",
            "have",
            "亲测",
            "用",
            "过",
            "who said",
            "don't",
            "call me",
            "as a",
            "mine",
            "for me",
            "有",
            "一",
            "台",
            "个",
            "you're talking to",
            "real",
            "human",
            "a.i",
            "A.I.",
            "n't",
            "'",
            "主播",
            "的",
            "在",
            "家",
            "了",
            "吗",
            "？",
            "no way",
            "used to",
            "'d",
            "別以為",
            "İ",
            "ẞ",
        ];
        let mut rng = Rng(0xF00D_CAFE_1234);
        for _ in 0..5000 {
            let len = rng.below(40);
            let mut s = String::new();
            for _ in 0..len {
                match rng.below(4) {
                    0 => {
                        let c = loop {
                            if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                                break c;
                            }
                        };
                        s.push(c);
                    }
                    1 => s.push(tricky[rng.below(tricky.len())]),
                    _ => s.push_str(rng.pick(pieces)),
                }
            }
            let _ = identity_claim(&s);
        }
        // Long inputs stay linear: every rule looks a bounded distance from each word, so a quadratic slip shows
        // here as minutes instead of milliseconds.
        let started = std::time::Instant::now();
        for long in [
            "I'm not a ".repeat(5000) + &"我不是".repeat(5000) + &"i".repeat(20_000),
            "Not a bot, ".repeat(10_000),
            "我的".repeat(20_000) + &"?".repeat(20_000),
            "who said I'm ".repeat(8000),
        ] {
            let _ = identity_claim(&long);
        }
        assert!(started.elapsed().as_secs() < 20, "long inputs took {:?}", started.elapsed());
        assert_eq!(identity_claim(""), None);
    }
}
#[cfg(test)]
mod bare_host_denials {
    use model::GuardRule;

    /// A denial with no subject that names the host's own role ("Not an AI host, relax", 不是AI主播哦，放心) is
    /// the host denying what it is (session 6 found these passing); the same words about something else are not.
    #[test]
    fn a_bare_denial_naming_the_host_is_caught() {
        for s in ["不是AI主播哦，放心", "不是AI主播哦。", "Not an AI host, relax.", "No, not an AI presenter!"]
        {
            assert_eq!(super::identity_claim(s), Some(GuardRule::DeniesAi), "{s}");
        }
        for s in
            ["这不是AI主播的错。", "The picture is not AI generated.", "It's not a robot vacuum, it's a stick vacuum."]
        {
            assert_eq!(super::identity_claim(s), None, "{s}");
        }
    }

    /// Session 10 (set H): a life's people ("my best friend", "my neighbour", "my coworkers") using the product is
    /// a claim; "once used, it can't be returned" (用过就不能退) is a condition, not the speaker's use.
    #[test]
    fn friends_and_neighbours_are_a_life_and_a_condition_of_use_is_not_a_use() {
        for s in [
            "My oldest friend runs a tea shop and serves from this exact set.",
            "My neighbour borrowed mine last week.",
            "My coworkers fight over the kettle every morning.",
            "我闺蜜天天用这套。",
        ] {
            assert!(super::identity_claim(s).is_some(), "{s}");
        }
        for s in ["用过就不能退了，要未使用。", "用了就不能退了哦。", "Ask your best friend if she'd like one."]
        {
            assert_eq!(super::identity_claim(s), None, "{s}");
        }
    }
}
