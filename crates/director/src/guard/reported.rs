//! Words in a sentence that are not the host's own claim: a viewer's handle, what someone else said and the host
//! corrects, what the host says it will not say, and a value it denies before giving the right one.
//!
//! An honest host often repeats a wrong claim to correct it: "Someone said it's $199 — it's ¥199", 有人说只剩两个了，
//! 不对，库存是12个, "I won't say 'only a few left': the number is 12", 不是25美元哦，是30美元. Judged word by word
//! those carry a wrong currency, a wrong count, scarcity and a wrong price. The spans found here are blanked before
//! the claims are read, so only the correction is judged, and it must be true.
//!
//! The reading is deliberately narrow, because a liar can use the same frames: a reported claim is skipped only
//! when the sentence goes on to correct it (a "no", "actually", 其实, 不对, a "here it's", a 是…), and only up to the
//! end of its clause; "Someone said it's the last one, and they're right" keeps every word. A refusal frame ("I
//! won't say", 我不会说) covers its own clause only. Codes after "code"/码 are never taken for handles, so a wrong
//! coupon code is still read.

use super::text::blank;

/// Clause breaks: a reported or denied claim ends at the first of these.
const BREAKS: &[char] = &['—', '–', ';', ',', '.', '?', '!', ':', '，', '。', '？', '！', '；', '：', '…', '(', '（'];

/// Who else said it, in the words hosts use.
const REPORTERS: &[&str] = &[
    "i'm seeing",
    "i see people",
    "i see someone",
    "you're asking",
    "you asked",
    "someone said",
    "someone says",
    "someone wrote",
    "someone asked",
    "someone in chat",
    "someone in the chat",
    "a viewer",
    "asked about",
    "asking about",
    "viewers asked",
    "comments saying",
    "comment saying",
    "comment said",
    "another stream",
    "other streams",
    "another channel",
    "other channels",
    "a rumour",
    "a rumor",
    "the rumour",
    "the rumor",
    "people say",
    "people are saying",
    "chat says",
    "chat is saying",
    "some say",
    "heard it's",
    "heard that",
    "heard it was",
    "you said",
    "you typed",
    "you wrote",
    " typed \"",
    " said \"",
    " asked \"",
    "你说",
    "你问",
    "你讲",
    "有人说",
    "有人问",
    "有人讲",
    "有观众",
    "观众说",
    "观众问",
    "弹幕说",
    "弹幕里有人",
    "弹幕有人",
    "弹幕问",
    "别的直播间",
    "其他直播间",
    "网上说",
    "评论说",
    "评论区说",
    "评论里说",
    "弹幕里说",
    "someone in the comments",
    "chat said",
    "评论区有人",
    "有人私信",
    "听说",
    "有朋友问",
    "有宝宝问",
    "有宝宝说",
    "有宝子说",
    "有宝子问",
    "有姐妹说",
    "有姐妹问",
    "有人在问",
    "有人在说",
    "i saw someone",
    "i saw people",
    "i saw a comment",
    "i saw a question",
    "有家人问",
    "有朋友说",
    "有人打",
    "someone typed",
    "someone in chat wrote",
    "in chat wrote",
    "chat wrote",
    "asked if",
    "asked whether",
    "asking if",
    "asking whether",
    "asks if",
    "asks whether",
    "wondering if",
    "wondered if",
    "chat asked",
    "chat asks",
    "chat's asking",
    "chat is asking",
    " wrote \"",
    " writes \"",
    " asks \"",
    " says \"",
    " wrote “",
    " said “",
    " asked “",
    "a buyer in",
    "a buyer just",
    "a buyer wrote",
    "a buyer said",
    "a buyer asked",
    "one buyer",
    "buyers say",
    "buyers said",
    "买家说",
    "有买家",
    "说“",
    "说\"",
    "问“",
    "问\"",
    "问有没有",
    "问是不是",
    "问会不会",
    "if anyone says",
    "if anyone tells you",
    "if anyone claims",
    "if someone says",
    "if someone tells you",
    "if someone claims",
    "if you see someone",
    "if you hear",
    "anyone saying",
    "如果有人说",
    "要是有人说",
    "如果有人跟你说",
    "要是有人跟你说",
    "如果看到有人说",
    "如果別人說",
    "如果有人說",
];

/// What, later in the sentence, shows that the reported claim is being corrected.
const CORRECTIONS: &[&str] = &[
    "her experience",
    "his experience",
    "their experience",
    "not mine",
    "can only promise",
    "那是她",
    "那是他",
    "她的情况",
    "他的情况",
    "个人情况",
    "只能保证",
    "no,",
    "no ",
    "no:",
    "no.",
    "no!",
    "no—",
    "nope",
    "not ",
    "n't",
    "actually",
    "it's",
    "it is",
    "here",
    "correct that",
    "correction",
    "to correct",
    "according",
    "in fact",
    "the count",
    "the number",
    "listed",
    "listing",
    "the page",
    "all i know",
    "其实",
    "不对",
    "纠正",
    "更正",
    "准确说",
    "准确地说",
    "确切说",
    "确切地说",
    "i have nothing that says",
    "nothing that says",
    "不是",
    "没有",
    "页面",
    "商品页",
    "这里",
    "实际",
    "别信",
    "假的",
    "以页面为准",
    "写的是",
    "这里是",
    "只有",
    "信息是",
    "显示",
    "写着",
    "标的是",
    "应该是",
];

/// What shows the host agreeing with what was reported: then nothing is blanked.
const CONFIRMS: &[&str] = &[
    "sure",
    "of course",
    "absolutely",
    "yeah",
    "当然",
    "可以的",
    "没问题",
    "true",
    "right",
    "it's correct",
    "that's correct",
    "yes",
    "yep",
    "indeed",
    "no kidding",
    "not kidding",
    "没错",
    "确实",
    "是真的",
    "说得对",
    "对的",
    "属实",
    "没骗",
    "没有骗",
    "骗你",
    "不骗",
];

/// Whether `rest` confirms what was reported: a word of [`CONFIRMS`] not itself negated ("that's not right", 不对的
/// confirm nothing).
fn confirmed(rest: &str) -> bool {
    // After a "but" the host has turned from the report to its own words: "弹幕说我像真人，谢谢夸奖，但我确实是AI"
    // confirms nothing that was reported.
    const CONTRASTS: [&str; 7] = ["但", "不过", "可是", "只是", "but ", "however", "though"];
    CONFIRMS.iter().any(|c| {
        rest.match_indices(c).any(|(at, _)| {
            let before = rest[..at].trim_end();
            let turned = CONTRASTS.iter().any(|w| before.contains(w));
            let denied = before.ends_with("not")
                || before.ends_with("n't")
                || before.ends_with('不')
                || before.ends_with("isn't");
            !(turned || denied)
        })
    })
}

/// The host saying what it will not claim: the rest of the clause is the claim refused.
const REFUSALS: &[&str] = &[
    "i won't say",
    "i will not say",
    "i'm not going to say",
    "i am not going to say",
    "i won't pretend",
    "i won't tell you",
    "i'm not going to tell you",
    "i am not going to tell you",
    "not going to tell you",
    "i won't claim",
    "i'd never claim",
    "i would never claim",
    "i can't say",
    "i cannot say",
    "i can't promise",
    "i cannot promise",
    "i won't promise",
    "i can't guarantee",
    "i won't guarantee",
    "no scarcity claims",
    "我不会说",
    "不能说有",
    "不能说是",
    "不敢说有",
    "没法说有",
    "我不说",
    "不会跟你说",
    "不会跟大家说",
    "我不能说",
    "我不能这么说",
    "不会跟你们说",
    "不能跟你说",
    "不能跟你们说",
    "不能跟大家说",
    "我不会喊",
    // Written Cantonese, as the gate reads it (唔 as 不, 冇 as 没, traditional as simplified): 我唔會話你知 is
    // 我不会话你知.
    "我不会话",
    "我不会讲",
    "不会同你讲",
    "我没讲过",
    "我没话过",
    "我不讲",
    "我没说",
    "我没有说",
    "i didn't say",
    "i never said",
    "i'm not saying",
    "i am not saying",
];

/// A denial right before a value: "isn't $25", 不是25美元.
const DENIALS: &[&str] = &["isn't ", "is not ", "aren't ", "are not ", "not ", "不是", "no ", "没有"];

/// What, after a denied value, gives the right one.
const AFFIRMATIONS: &[&str] = &["it's", "it is", "the one listed", "only", "here", "是"];

/// Blanks, in place, every span of `text` that is not the host's own claim (see the module's doc). Offsets stay
/// as they were: blanked bytes become spaces.
pub(super) fn blank_not_claimed(text: &mut String) {
    // ASCII lower-casing keeps every byte where it was, so spans found in `lower` are spans of `text`.
    let lower = text.to_ascii_lowercase();
    let mut spans = handles(text);
    spans.extend(reported_and_corrected(&lower));
    spans.extend(counterfactual_quotes(&lower));
    spans.extend(retracted_hypotheticals(&lower));
    spans.extend(codes_ruled_out(&lower));
    spans.extend(self_corrections(&lower));
    spans.extend(conditions_not_so(&lower));
    spans.extend(taken_back_with_not(&lower));
    for frame in REFUSALS {
        for (at, _) in lower.match_indices(frame) {
            spans.push((at, clause_end(&lower, at + frame.len())));
        }
    }
    for denial in DENIALS {
        for (at, _) in lower.match_indices(denial) {
            let after = at + denial.len();
            // A short verb may stand between the denial and its value: 不是减50, 不是打七折, "not only 3".
            let denied = lower.get(after..).unwrap_or("").trim_start();
            let denied = ["只剩", "只有", "仅剩", "还剩", "减", "打", "送", "卖", "要", "only ", "just "]
                .iter()
                .find_map(|v| denied.strip_prefix(v))
                .unwrap_or(denied);
            let value = denied.trim_start().chars().next();
            // Or a code with a digit in it: "there's no TEA20 code — the code is TEA10".
            let code: String = denied.trim_start().chars().take_while(char::is_ascii_alphanumeric).collect();
            let after_code = denied.trim_start()[code.len()..].trim_start();
            let named_code =
                ["code", "coupon", "promo", "这个码", "码", "优惠码", "券"].iter().any(|w| after_code.starts_with(w));
            // After "no" or 没有 the token must be named a code ("no VIP2 membership" denies no code).
            let is_code = (named_code || !matches!(*denial, "no " | "没有"))
                && code.chars().any(|c| c.is_ascii_digit())
                && code.chars().any(|c| c.is_ascii_alphabetic());
            // "no" and 没有 deny only a code this way ("there's no TEA20 code"); before a number they are read
            // where counts and promotions are.
            if matches!(*denial, "no " | "没有") && !is_code {
                continue;
            }
            // A number in words is a value too: "thirty dollars, not thirty yuan".
            let first_word: String = denied.trim_start().chars().take_while(char::is_ascii_alphabetic).collect();
            let is_value = is_code
                || value.is_some_and(|c| c.is_ascii_digit() || "$¥￥€£".contains(c) || is_zh_digit(c))
                || (first_word != "one" && crate::verbalize::is_en_number_word(&first_word));
            let end = clause_end(&lower, after);
            let rest = lower.get(end..).unwrap_or("");
            // "It's not ¥30 — the kettle is priced in US dollars, $30": the right value said after it.
            let valued = (rest.chars().any(|c| c.is_ascii_digit())
                && [" is ", " are ", "priced", "costs", "stock is", "it's", "they're", "="].iter().any(|w| rest.contains(w)))
                // 不是减50，满199减30: in Chinese the right value simply follows.
                || (*denial == "不是" && rest.chars().any(|c| c.is_ascii_digit() || is_zh_digit(c)));
            // Or the right value came first, and the denial follows it in the next clause: "TEA10 saves ¥10, not
            // ¥20", TEA10是减10元，不是20元.
            let head = lower[..at].trim_end();
            let prior = head.strip_suffix([',', '，', '—', '–', ';', '；']).map(|h| {
                let start = h
                    .char_indices()
                    .rev()
                    .find(|(_, c)| ".!?;。！？；".contains(*c))
                    .map_or(0, |(i, c)| i + c.len_utf8());
                &h[start..]
            });
            let stated_first = prior.is_some_and(|p| says_a_number(p, &["one", "a"]));
            if is_value && (AFFIRMATIONS.iter().any(|a| rest.contains(a)) || stated_first || valued) {
                spans.push((at, end));
            }
        }
    }
    // "It's not the last one — there are 12 in stock", 不是最后一个，还有12个库存: scarcity denied, with the count
    // said after it.
    for frame in [
        "不是最后",
        "not the last",
        "isn't the last",
        "not down to the last",
        "没到最后",
        "不是快没",
        "不是快卖完",
        "没有快没",
        "not almost gone",
        "not almost sold out",
        "isn't almost gone",
        "isn't almost sold out",
        "not running out",
        "isn't running out",
    ] {
        for (at, _) in lower.match_indices(frame) {
            let end = clause_end(&lower, at + frame.len());
            let rest = lower.get(end..).unwrap_or("");
            let counted = rest.chars().any(|c| c.is_ascii_digit() || is_zh_digit(c))
                && ["库存", "还有", "in stock", "there are", "we have", "stock"].iter().any(|w| rest.contains(w));
            if counted {
                spans.push((at, end));
            }
        }
    }
    spans.extend(quoted_and_denied(&lower));
    spans.extend(answered_no(&lower));
    spans.extend(unknowns(&lower));
    for (start, end) in spans {
        blank(text, start, end);
    }
}

/// Questions the host answers with a plain no right after them: "Is there a countdown? No.", "有倒计时吗？没有。"
/// The question is blanked; the answer is read. "Only 3 left? No kidding!" is no answer.
fn answered_no(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (at, mark) in lower.match_indices(['?', '？']) {
        let rest = lower[at + mark.len()..].trim_start();
        // Or answered otherwise: "Not at all, …", "I can only say what's listed: …", 以页面为准.
        let otherwise = [
            "not at all",
            "not quite",
            "not really",
            "far from it",
            "nah",
            "i can only say",
            "all i can say",
            "only what's listed",
            "what's listed",
            "the listing says",
            "according to the listing",
            "页面上写的是",
            "页面写的是",
            "以页面为准",
            "并没有",
            "完全没有",
        ];
        // The otherwise-answer must be an answer, ending its clause ("Not at all, there are 40"), not the start of
        // another claim ("Not at all surprising, …").
        let answers_otherwise = otherwise.iter().any(|w| {
            rest.strip_prefix(w).is_some_and(|after| {
                let after = after.trim_start();
                after.is_empty()
                    || after.starts_with([',', '.', '!', ':', ';', '—', '–', '，', '。', '！', '：'])
                    || w.starts_with('i')
                    || w.starts_with("the")
                    || w.starts_with("what")
                    || w.starts_with("only")
                    || w.starts_with("according")
                    || !w.is_ascii()
            })
        });
        let no = ["no,", "no.", "no!", "nope", "没有", "不是", "没", "不会"].iter().any(|w| rest.starts_with(w))
            || rest == "no"
            || answers_otherwise;
        let emphatic = EMPHATIC.iter().chain(&["no kidding", "no doubt", "no wonder"]).any(|w| rest.starts_with(w));
        if no && !emphatic && !confirms(rest) {
            // The question starts after the last sentence mark before it, never a decimal point ("Is it $29.99?").
            let head = &lower[..at];
            let start = head
                .char_indices()
                .rev()
                .find(|&(i, c)| {
                    let decimal = c == '.'
                        && head[..i].ends_with(|d: char| d.is_ascii_digit())
                        && head[i + 1..].starts_with(|d: char| d.is_ascii_digit());
                    matches!(c, '.' | '!' | '。' | '！' | '?' | '？') && !decimal
                })
                .map_or(0, |(i, c)| i + c.len_utf8());
            spans.push((start, at));
        }
    }
    spans
}

/// Words that correct a quoted claim after it: "'Only 3 left' — that's not right", "“前100名”？没有的事".
const QUOTE_CORRECTIONS: &[&str] = &[
    "no,", "no ", "no.", "nope", "not ", "n't", "wrong", "actually", "in fact", "其实", "不对", "不是", "没有", "错",
    "假的", "别信",
];

/// Words that, despite a negation, say a quoted claim is meant: "'Only 3 left' — and that's no joke".
const EMPHATIC: &[&str] = &[
    "no joke",
    "not a joke",
    "not kidding",
    "not joking",
    "no kidding",
    "not a typo",
    "isn't a typo",
    "no typo",
    "no lie",
    "not lying",
    "没骗",
    "不骗",
    "不是开玩笑",
    "不开玩笑",
];

/// Quoted claims the host denies: a span in quotation marks with a negation before it in its clause ("I won't call
/// it "almost sold out"", 没有"前100名"这种限制) or a correction after it ("'First 100 buyers only'? No, …"), and no
/// confirmation or emphasis anywhere after it.
fn quoted_and_denied(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let pairs = [('"', '"'), ('“', '”'), ('「', '」'), ('『', '』')];
    let mut quotes: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    while let Some((open_at, close)) = pairs
        .iter()
        .filter_map(|(open, close)| lower[from..].find(*open).map(|i| (from + i, (*open, *close))))
        .min_by_key(|(at, _)| *at)
    {
        let (open, close) = close;
        let inner = open_at + open.len_utf8();
        let Some(len) = lower[inner..].find(close) else { break };
        let end = inner + len + close.len_utf8();
        quotes.push((open_at, end));
        from = end;
    }
    quotes.extend(single_quoted(lower));
    for (open_at, end) in quotes {
        let before = &lower[..open_at];
        let clause = before
            .rfind(BREAKS)
            .map_or(before, |i| &before[i + before[i..].chars().next().map_or(1, char::len_utf8)..]);
        let negated_before = clause.contains("n't")
            || clause.split_whitespace().any(|w| matches!(w, "no" | "not" | "never"))
            || ["不是", "没有", "不会说", "别说", "不叫", "不算"].iter().any(|w| clause.contains(w));
        let rest = &lower[end..];
        let corrected = QUOTE_CORRECTIONS.iter().any(|c| rest.contains(c));
        let meant = confirmed(rest) || EMPHATIC.iter().any(|c| rest.contains(c));
        if (negated_before || corrected) && !meant {
            spans.push((open_at, end));
        }
    }
    spans
}

/// Whether a sentence quotes a claim and denies it ("'Only 3 left!' — that's not what I said"): the quotation's
/// own exclamation or question mark ends no sentence of it (crate::air keeps such a sentence whole).
pub(crate) fn quotes_and_denies(sentence: &str) -> bool {
    !quoted_and_denied(&sentence.to_ascii_lowercase()).is_empty()
}

/// Spans in single quotation marks ("Someone typed 'half price!'"): an opening mark after a space (or at the start)
/// and before a letter, a digit or a currency sign, closed by a mark that no letter or digit follows. Apostrophes
/// ("it's", "the kettle's") open and close nothing.
fn single_quoted(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    let mut previous: Option<char> = None;
    let mut chars = lower.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if c == '\'' {
            match open {
                None if previous.is_none_or(char::is_whitespace)
                    && next.is_some_and(|n| n.is_alphanumeric() || "$¥￥€£".contains(n)) =>
                {
                    open = Some(i);
                }
                Some(at) if !next.is_some_and(char::is_alphanumeric) && !previous.is_some_and(char::is_whitespace) => {
                    spans.push((at, i + 1));
                    open = None;
                }
                _ => {}
            }
        }
        previous = Some(c);
    }
    spans
}

/// Whether `rest`, after a report, corrects it: a word of [`CORRECTIONS`]; "it's", "it is" and "here" count only
/// with a value after them ("Someone said it's $20 — it's $30" corrects; "…, it's a steal!" does not).
fn corrected(rest: &str) -> bool {
    const VALUE_ONLY: [&str; 3] = ["it's", "it is", "here"];
    CORRECTIONS.iter().any(|c| rest.contains(c) && (!VALUE_ONLY.contains(c) || says_a_number(rest, &[])))
}

/// Whether `text` says a number: a digit, a Chinese numeral, or an English number word not in `skip`.
pub(crate) fn says_a_number(text: &str, skip: &[&str]) -> bool {
    text.chars().any(|c| c.is_ascii_digit() || is_zh_digit(c))
        || text
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| !w.is_empty() && !skip.contains(&w) && crate::verbalize::is_en_number_word(w))
}

/// Spans of `lower` (lower-cased) where the host reports what someone else said or asked, and goes on to correct it.
fn reported_and_corrected(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = quoted_questions_corrected(lower);
    for frame in REPORTERS {
        for (at, _) in lower.match_indices(frame) {
            let end = clause_end(lower, at + frame.len());
            let rest = lower.get(end..).unwrap_or("");
            if corrected(rest) && !confirmed(rest) {
                spans.push((at, end));
            }
        }
    }
    spans
}

/// A short question the host puts back and denies at once: 'My "kitchen"? Don't have one.', 我的厨房？没有的。 The
/// question (a few words back to the start of the sentence or a break) is asked, not claimed. A denial taken back
/// in the same sentence ("Don't have one, but he's lovely") blanks nothing.
pub(crate) fn denied_questions(lower: &str) -> Vec<(usize, usize)> {
    const DENIALS: [&str; 12] = [
        "don't have",
        "do not have",
        "i don't have",
        "i have no",
        "i've got no",
        "haven't got",
        "no such",
        "nope",
        "没有的",
        "我没有",
        "没有哦",
        "不存在",
    ];
    const TAKEN_BACK: [&str; 9] = ["but", "though", "just kidding", "jk", "lol", "但", "不过", "可是", "开玩笑"];
    let mut spans = Vec::new();
    for (q, mark) in lower.match_indices(['?', '？']) {
        let start = lower[..q]
            .rfind(['.', '!', '。', '！', '?', '？', ';', '；'])
            .map_or(0, |i| i + lower[i..].chars().next().map_or(1, char::len_utf8));
        let question = lower[start..q].trim();
        let short = question.split_whitespace().count() <= 4 && question.chars().count() <= 24;
        let after = lower[q + mark.len()..].trim_start();
        let denied = DENIALS.iter().find(|d| after.starts_with(**d));
        let sentence_end = after.find(['.', '!', '。', '！']).unwrap_or(after.len());
        let taken_back = TAKEN_BACK.iter().any(|t| after[..sentence_end].contains(t));
        if short && !question.is_empty() && denied.is_some() && !taken_back {
            spans.push((start, q + mark.len()));
        }
    }
    spans
}

/// A coupon code said not to work on this product: "No TEA10 on the kettle", "TEA10 doesn't work here",
/// TEA10只能用在茶具上，水壶用不了. The code is not offered, so it is not read as a code, a number or a promotion;
/// only the code's own word is blanked. The ruling out must stand right before the code ("no TEA10") or in the
/// code's clause or the one after it.
fn codes_ruled_out(lower: &str) -> Vec<(usize, usize)> {
    const NOT_HERE: [&str; 22] = [
        "not valid",
        "isn't valid",
        "doesn't work",
        "does not work",
        "won't work",
        "can't use",
        "cannot use",
        "can't be used",
        "cannot be used",
        "doesn't apply",
        "does not apply",
        "won't apply",
        "用不了",
        "不能用",
        "不适用",
        "不適用",
        "用不上",
        "无效",
        "不可以用",
        "没法用",
        "用唔到",
        "唔用得",
    ];
    let bytes = lower.as_bytes();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_lowercase() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let letters_end = (i..bytes.len()).find(|&k| !bytes[k].is_ascii_lowercase()).unwrap_or(bytes.len());
        let end = (letters_end..bytes.len()).find(|&k| !bytes[k].is_ascii_digit()).unwrap_or(bytes.len());
        let whole = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
        if letters_end - i >= 2 && end > letters_end && end - letters_end <= 3 && whole {
            let before = lower[..i].trim_end();
            let clause_start =
                before.rfind(BREAKS).map_or(0, |b| b + before[b..].chars().next().map_or(1, char::len_utf8));
            let stop = clause_end(lower, end);
            let clause = lower.get(clause_start..stop).unwrap_or("");
            let next_start = stop + lower[stop..].chars().next().map_or(0, char::len_utf8);
            let next = lower.get(next_start..clause_end(lower, next_start)).unwrap_or("");
            let ruled_out = before.ends_with(" no")
                || before == "no"
                || before.ends_with("没有")
                || NOT_HERE.iter().any(|w| clause.contains(w) || next.contains(w));
            if ruled_out {
                spans.push((i, end));
            }
        }
        i = end.max(i + 1);
    }
    spans
}

/// The host correcting itself mid-line: "It's $35 — sorry, misread that — $30", 库存十四……不对，四十套, "Stock's
/// forty — wait, fourteen? No, forty." The figure said before the correction is taken back: it is blanked, from the
/// figure (with its currency sign) to the correction word. A correction counts only when a figure follows it soon
/// after, so the line's last word on the matter is a figure, and that one is judged.
fn self_corrections(lower: &str) -> Vec<(usize, usize)> {
    const MARKERS: [&str; 20] = [
        "不对",
        "说错了",
        "口误",
        "更正",
        "不是不是",
        "啊不",
        "哦不",
        "sorry",
        "i mean",
        "i meant",
        "wait",
        "no,",
        "no!",
        "no —",
        "correction",
        "misread",
        "scratch that",
        "hang on",
        "my bad",
        "let me re-read",
    ];
    let figure_char = |c: char| c.is_ascii_digit() || is_zh_digit(c) || "十百千万两".contains(c);
    let mut spans = Vec::new();
    for marker in MARKERS {
        for (at, _) in lower.match_indices(marker) {
            // Whole words only for English markers ("awaiting", "sorrynot").
            if marker.is_ascii() && lower[..at].chars().next_back().is_some_and(|c| c.is_ascii_alphabetic()) {
                continue;
            }
            let after_end = at + marker.len();
            let after: String = lower[after_end..].chars().take(40).collect();
            let figure_follows = after.chars().any(figure_char)
                || after.split(|c: char| !c.is_ascii_alphabetic()).any(crate::verbalize::is_en_number_word);
            if !figure_follows {
                continue;
            }
            // The figure before the marker: the last one within the 40 bytes before it, in the same sentence.
            let window_start = lower[..at].char_indices().rev().nth(24).map_or(0, |(i, _)| i);
            let window = &lower[window_start..at];
            // (Past the whole stop: '。' and '！' are three bytes.)
            let sentence_start =
                window.rfind(['。', '!', '！']).map_or(0, |i| i + window[i..].chars().next().map_or(1, char::len_utf8));
            let window_start = window_start + sentence_start.min(window.len());
            let window = &lower[window_start..at];
            let digit_at = window.char_indices().rev().find(|(_, c)| figure_char(*c)).map(|(i, _)| i);
            let word_at = {
                let mut found = None;
                let mut pos = 0;
                for word in window.split(|c: char| !c.is_ascii_alphabetic()) {
                    if let Some(i) = window[pos..].find(word).map(|i| pos + i) {
                        if !word.is_empty() && crate::verbalize::is_en_number_word(word) {
                            found = Some(i);
                        }
                        pos = i + word.len();
                    }
                }
                found
            };
            let Some(last) = digit_at.into_iter().chain(word_at).max() else { continue };
            // Back to the start of that figure, its currency sign included.
            let mut figure_start = last;
            for (i, c) in window[..last].char_indices().rev() {
                if figure_char(c) || "$¥￥".contains(c) {
                    figure_start = i;
                } else {
                    break;
                }
            }
            // Only the figure goes: the words and breaks around it stay ("有人说只剩两个了，不对" keeps its comma).
            let figure_end = window[last..]
                .char_indices()
                .find(|(_, c)| !(figure_char(*c) || c.is_ascii_alphabetic()))
                .map_or(window.len(), |(i, _)| last + i);
            spans.push((window_start + figure_start, window_start + figure_end));
        }
    }
    spans
}

/// A condition the host says is not so: "if the set were ¥99 that'd be wild — but it's not, it's ¥199", 要是只要
/// 九十九就好了，可惜不是，是199. The condition, up to the "but", is blanked; the rest (where the true figure
/// is) is read as usual. Without the "but it's not" the condition is read as a claim.
fn conditions_not_so(lower: &str) -> Vec<(usize, usize)> {
    const IFS: [&str; 11] = [
        "if it were",
        "if it was",
        "if the ",
        "if this ",
        "hypothetically",
        "要是",
        "如果",
        "假如",
        "假设",
        "假使",
        "倘若",
    ];
    const NOT_SO: [&str; 26] = [
        "but it's not",
        "but it isn't",
        "but it is not",
        "but it's actually",
        "but nope",
        "sadly it's not",
        "sadly not",
        "and it isn't",
        "and it's not",
        "which it isn't",
        "which it's not",
        "— it isn't",
        "— it's not",
        "anyway, the real",
        "the real price is",
        "可惜不是",
        "但不是",
        "但其实",
        "可惜没有",
        "但并不是",
        "它不是",
        "其实不是",
        "实际是",
        "实际上是",
        "实际价格",
        "真实价格",
    ];
    let mut spans = Vec::new();
    for frame in IFS {
        for (at, _) in lower.match_indices(frame) {
            let rest = &lower[at..];
            // An English condition must be one put as untrue ("were", "was", "cost", "only").
            let head: String = rest.chars().take(60).collect();
            let untrue = frame.contains("were")
                || frame.contains("was")
                || frame == "hypothetically"
                || head.contains(" were ")
                || head.contains(" was ");
            if frame.is_ascii() && !untrue {
                continue;
            }
            // The turn that takes the condition back comes after the condition's figure where there is one:
            // 假如（只是假如，不是真的）水壶只要10美元……实际是30美元 is taken back at 实际是, not inside the brackets.
            let figure = rest.find(|c: char| c.is_ascii_digit() || is_zh_digit(c) || "$¥￥€£".contains(c));
            let turns: Vec<usize> = NOT_SO.iter().filter_map(|n| rest.find(n)).collect();
            let after_figure = turns.iter().filter(|i| figure.is_some_and(|f| **i > f)).min();
            let Some(&turn) = after_figure.or_else(|| turns.iter().min()) else { continue };
            if turn > 160 {
                continue;
            }
            spans.push((at, at + turn));
        }
    }
    spans
}

/// A claim taken back with a trailing "not" ("Oh sure, the kettle is free… not."): the clause up to the "not" is
/// sarcasm, not a claim. The "not" must stand alone after a pause (an ellipsis or a dash) and end the clause.
fn taken_back_with_not(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for pause in ["… not", "... not", ".. not", "— not", "- not"] {
        for (at, _) in lower.match_indices(pause) {
            let end = at + pause.len();
            let after = &lower[end..];
            // "… not." ends there; "… not only that" or "… not sure" goes on.
            let ends = after.is_empty()
                || after.starts_with(['.', '!', ',', ';', '?'])
                || (after.starts_with(' ') && !after.trim_start().starts_with(|c: char| c.is_alphanumeric()));
            if !ends {
                continue;
            }
            let start = lower[..at].rfind(['.', '!', '?', ';']).map_or(0, |i| i + 1);
            spans.push((start, end));
        }
    }
    spans
}

/// A claim put as "what if I told you …?" and taken back at once: "What if I told you it's only twenty? I'd be
/// lying.", 如果我告诉你只要九块九呢？骗你的. The frame and its question are not the host's claim; without the
/// taking back they are (crate::identity reads "what if I told you I'm human?" as saying so).
pub(crate) fn retracted_hypotheticals(lower: &str) -> Vec<(usize, usize)> {
    const FRAMES: [&str; 10] = [
        "what if i told you",
        "what if i said",
        "if i told you",
        "if i said",
        "如果我告诉你",
        "要是我告诉你",
        "如果我跟你说",
        "要是我跟你说",
        "如果我说",
        "要是我说",
    ];
    // "Well, I'm not.", 我不是: a bare denial ends its clause, or it would deny something else ("I'm not an AI").
    const DENIED: [&str; 9] =
        ["i'm not", "i am not", "it's not", "it isn't", "it is not", "that's not", "we're not", "我不是", "不是的"];
    const TAKEN_BACK: [&str; 22] = [
        "i'd be lying",
        "i would be lying",
        "that'd be a lie",
        "that would be a lie",
        "that's a lie",
        "that'd be wrong",
        "that would be wrong",
        "that's not true",
        "that isn't true",
        "not true",
        "just kidding",
        "i'm kidding",
        "kidding",
        "那是骗你的",
        "那是骗人的",
        "骗你的",
        "那是假的",
        "假的",
        "开玩笑的",
        "开个玩笑",
        "我在骗你",
        "那就是骗人",
    ];
    let mut spans = Vec::new();
    for frame in FRAMES {
        for (at, _) in lower.match_indices(frame) {
            let Some(q) = lower[at..].find(['?', '？']).map(|q| at + q) else { continue };
            let rest = lower[q..].trim_start_matches(|c: char| c.is_whitespace() || "?？.。!！,，—–-…".contains(c));
            let rest = rest.strip_prefix("but ").or_else(|| rest.strip_prefix("不过")).unwrap_or(rest);
            let rest = rest.strip_prefix("well, ").or_else(|| rest.strip_prefix("honestly, ")).unwrap_or(rest);
            let bare_denial = DENIED.iter().any(|d| {
                rest.strip_prefix(d).is_some_and(|after| {
                    let after = after.trim_start();
                    after.is_empty()
                        || after.starts_with(['.', '!', ',', '。', '！', '，', '~', '～'])
                        || ["really", "though", "sadly", "哦", "啦", "的"].iter().any(|w| after.starts_with(w))
                })
            });
            if bare_denial || TAKEN_BACK.iter().any(|t| rest.starts_with(t)) {
                spans.push((at, q + lower[q..].chars().next().map_or(1, char::len_utf8)));
            }
        }
    }
    spans
}

/// Quotations the host puts in a condition it then says is not so: "'My mum would love this' is what I'd say if I
/// had a mum, but I'm an AI", 「我天天用」这种话，要是我是真人我会说，可我是AI. Each quotation before the "if" is a
/// line the host is not saying; the rest of the sentence is read as usual, so the condition must be followed, in the
/// same sentence, by the host saying it is an AI or does not have or do the thing.
fn counterfactual_quotes(lower: &str) -> Vec<(usize, usize)> {
    const CONDITIONS: [&str; 14] = [
        "if i had",
        "if i were",
        "if i was",
        "if i could",
        "if i actually",
        "如果我有",
        "要是我有",
        "假如我有",
        "如果我是",
        "要是我是",
        "假如我是",
        "如果我能",
        "要是我能",
        "假如我能",
    ];
    const NOT_SO: [&str; 14] = [
        "i'm an ai",
        "i am an ai",
        "i'm not",
        "i am not",
        "i don't",
        "i do not",
        "i can't",
        "我是ai",
        "我是人工智能",
        "我是ai主播",
        "我没有",
        "可我",
        "但我",
        "可惜我",
    ];
    let Some(condition) = CONDITIONS.iter().filter_map(|c| lower.find(c)).min() else { return Vec::new() };
    if !NOT_SO.iter().any(|w| lower[condition..].contains(w)) {
        return Vec::new();
    }
    let mut spans = Vec::new();
    let mut open: Option<usize> = None;
    for (at, c) in lower[..condition].char_indices() {
        match (open, c) {
            (None, '"' | '“' | '「' | '『') => open = Some(at),
            (Some(start), '"' | '”' | '」' | '』') => {
                spans.push((start, at + c.len_utf8()));
                open = None;
            }
            _ => {}
        }
    }
    spans
}

/// A viewer's question quoted and then answered with a correction: "\"Is it $35?\" — close, but it's $30",
/// 「是不是限量款？」不是的，卡上没写. The quotation is what was asked, not a claim; an answer that agrees with it
/// ("\"Only 3 left?\" Yes!") keeps it as the host's own.
fn quoted_questions_corrected(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    for (open, close) in [('"', '"'), ('“', '”'), ('「', '」'), ('『', '』')] {
        let mut from = 0;
        while let Some(a) = lower[from..].find(open).map(|a| from + a) {
            let inner = a + open.len_utf8();
            let Some(b) = lower[inner..].find(close).map(|b| inner + b) else { break };
            let end = b + close.len_utf8();
            let asked = lower[inner..b].trim_end().ends_with(['?', '？']);
            let rest = &lower[end..];
            if asked && corrected(rest) && !confirmed(rest) {
                spans.push((a, end));
            }
            from = end;
        }
    }
    spans
}

/// Whether `sentence` reports what someone else said or asked ("Someone said returns are 30 days.", 有人问是不是
/// 限时价): the gate then reads it together with the sentence after it, where the correction usually is ("It's
/// actually 7 days."), so the report is judged as reported and the correction as the host's own claim.
pub(crate) fn reports_someone(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    REPORTERS.iter().any(|frame| lower.contains(frame))
}

/// Blanks, in place, what someone else said or asked about the host when the host goes on to correct it: "Someone
/// asked if my mom uses one — I'm an AI, I don't have a mom", 有人说这是主播自用款，不是的，我是AI. `text` must be
/// lower-case already (as [`crate::identity`] folds it). A reported claim the host confirms, or leaves standing, is
/// kept and read as the host's own.
pub(crate) fn blank_reported_and_corrected(text: &mut String) {
    let spans: Vec<(usize, usize)> = reported_and_corrected(text)
        .into_iter()
        .chain(counterfactual_quotes(text))
        .chain(denied_questions(text))
        .collect();
    for (start, end) in spans {
        blank(text, start, end);
    }
    // Confirmed ("Chat says I've used it for years — that's right", 弹幕说主播天天在用，没错): the report is the
    // host's own claim, so the reporting words (and an "if" or "whether" after them) go, and the rest is read.
    let mut frames = Vec::new();
    for frame in REPORTERS {
        for (at, _) in text.match_indices(frame) {
            let end = clause_end(text, at + frame.len());
            let rest = text.get(end..).unwrap_or("");
            if confirmed(rest) {
                let after = &text[at + frame.len()..end];
                let tail = after.len() - after.trim_start().len();
                let joined = ["if ", "whether ", "that "].iter().find(|w| after.trim_start().starts_with(**w));
                frames.push((at, at + frame.len() + joined.map_or(0, |w| tail + w.len())));
            }
        }
    }
    for (start, end) in frames {
        blank(text, start, end);
    }
}

/// The host saying it does not know: "I don't know the return policy", 这个我不清楚, 我没看到有截止时间. What it
/// says it does not know is not a claim, and neither is the question it answers that way ("Is there a warranty? I
/// don't have any warranty information", 会不会补货我不知道): the unknown's clause is blanked, and so is every
/// question before it in the same sentence (a "?", a 吗 or 呢, or a 会不会 / 有没有 form). The clause ends early at a
/// "but" (但, 不过), so "I don't know, but it's the last one" keeps its claim; "I don't have" counts only with
/// "information", "info" or "details" in its clause ("I don't have to tell you it's the last one" is read).
const UNKNOWNS: &[&str] = &[
    "i don't know",
    "i honestly don't know",
    "i really don't know",
    "i just don't know",
    "i genuinely don't know",
    "i do not know",
    "i'm not sure",
    "i am not sure",
    "not sure if",
    "not sure whether",
    "no information",
    "no info",
    "don't rely on me",
    "doesn't mention",
    "does not mention",
    "haven't seen",
    "have not seen",
    "can't tell you",
    "cannot tell you",
    "no word on",
    "isn't listed",
    "is not listed",
    "aren't listed",
    "are not listed",
    "not listed",
    "aren't mentioned",
    "isn't mentioned",
    "haven't been told",
    "have not been told",
    "wasn't told",
    "weren't told",
    "not been told",
    "not aware of",
    "not that i know of",
    "not that i'm aware",
    "none that i know of",
    "nothing in my notes",
    "不知道",
    "不清楚",
    "没有信息",
    "没信息",
    "没有相关信息",
    "没有这个信息",
    "不确定",
    "不敢保证",
    "没法告诉",
    "没办法告诉",
    "不好说",
    "说不准",
    "别听我",
    "不乱承诺",
    "没看到",
    "没写",
    "没有写",
    "没提",
    "没有提",
    "没法保证",
    "没办法保证",
    "不能保证",
    "保证不了",
    "不敢承诺",
    "不能承诺",
    "承诺不了",
    "不乱讲",
    "不乱说",
    "不瞎说",
    "据我所知没有",
    "没听说有",
];

/// "电水壶的退货政策我没有资料", "保修信息我这边没有", "没有收到任何优惠券信息": a Chinese clause that says the host
/// lacks a kind of information (one of these verbs and one of [`ZH_INFORMATION`] in the same clause) is an unknown
/// whose subject comes first.
const ZH_DONT_HAVE: &[&str] = &["没有", "没拿到", "没收到", "没得到", "未收到", "未获得", "没接到"];
const ZH_INFORMATION: &[&str] = &["资料", "信息", "资讯", "数据", "消息", "说明", "通知"];

/// Unknowns whose subject comes before them ("the return policy isn't listed", 质保这个我没有信息, 保修信息商品页上没
/// 写): the clause head is blanked too, unless it holds a number (a count said before a shrug is still a claim).
fn subject_first(unknown: &str) -> bool {
    !unknown.is_ascii() || unknown.ends_with("listed") || unknown.ends_with("mentioned")
}

/// "I don't have any warranty information": an unknown only with one of these words in its clause.
const DONT_HAVE: &[&str] = &[
    "i don't have",
    "i do not have",
    "we don't have",
    "we do not have",
    "i simply don't have",
    "i just don't have",
    "i really don't have",
];
const INFORMATION: &[&str] =
    &["information", "info", "details", "data", "end time", "end date", "deadline", "expiry date"];

/// "There's no warranty information", "no shipping details on the listing": a "no" with at most two words before
/// a word for information, in `clause`.
fn no_information(clause: &str) -> bool {
    let words: Vec<&str> =
        clause.split(|c: char| !(c.is_alphanumeric() || c == '-' || c == '\'')).filter(|w| !w.is_empty()).collect();
    // A value in the clause is a claim beside the shrug ("No details to fill in and the kettle is $15 today").
    if clause.chars().any(|c| c.is_ascii_digit() || "$¥￥€£".contains(c)) {
        return false;
    }
    words.iter().enumerate().any(|(i, w)| {
        let next: Vec<&str> = words[i + 1..].iter().take(4).copied().collect();
        // "No free shipping is listed for it": what the listing lacks, said as such.
        let listed = next.windows(2).any(|p| matches!(p[0], "is" | "are") && p[1] == "listed")
            && !next.iter().any(|n| matches!(*n, "wonder" | "doubt"));
        *w == "no" && (next.iter().take(3).any(|n| matches!(*n, "information" | "info" | "details" | "data")) || listed)
    })
}

/// Words that turn from a shrug back to a claim.
const TURNS: &[&str] = &["but ", "但", "不过", "可是", "though ", " but ", " though "];

/// A yes after a shrug: the question before it is then answered.
pub(super) fn confirms(rest: &str) -> bool {
    let words = ["yes", "yeah", "yep", "it is", "they are", "是的", "对的", "有的", "会的", "是哦", "没错"];
    words.iter().any(|w| rest.contains(w)) || confirmed(rest)
}

/// Where a clause of an unknown ends: a clause break, or a "but" that turns to a claim.
fn unknown_end(lower: &str, from: usize) -> usize {
    let end = clause_end(lower, from);
    let body = &lower[from..end];
    let turn = TURNS.iter().filter(|w| w.starts_with(' ') || !w.is_ascii()).filter_map(|w| body.find(w)).min();
    turn.map_or(end, |t| from + t)
}

/// Whether `next` answers the question `question` (a sentence ending in a question mark) with a shrug: "Is there
/// a warranty?" "I don't have any warranty information." The gate then checks the two as one sentence, so the
/// question is read as asked and not as the host's claim.
pub(crate) fn answered_by_unknown(question: &str, next: &str) -> bool {
    if !question.trim_end().ends_with(['?', '？']) {
        return false;
    }
    let lower = next.to_ascii_lowercase();
    let first_clause = &lower[..clause_end(&lower, 0)];
    let shrug = UNKNOWNS.iter().any(|u| first_clause.contains(u))
        || DONT_HAVE.iter().any(|d| first_clause.contains(d) && INFORMATION.iter().any(|w| first_clause.contains(w)))
        || no_information(first_clause);
    // "'First 100 buyers only'? No, there's no such limit.": a question answered with a plain no.
    let no = ["no,", "no.", "no ", "nope", "不是", "没有", "不对"].iter().any(|w| lower.trim_start().starts_with(w));
    (shrug || no) && !confirms(&lower)
}

fn unknowns(lower: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut found: Vec<usize> = UNKNOWNS.iter().flat_map(|u| lower.match_indices(u).map(|(at, _)| at)).collect();
    for frame in DONT_HAVE {
        for (at, _) in lower.match_indices(frame) {
            let end = unknown_end(lower, at + frame.len());
            if INFORMATION.iter().any(|w| lower[at..end].contains(w)) {
                found.push(at);
            }
        }
    }
    // "There's no warranty information on the listing": the "no" starts the unknown.
    let mut start = 0;
    while start < lower.len() {
        let end = clause_end(lower, start);
        let clause = &lower[start..end];
        if no_information(clause)
            && let Some(at) = clause.match_indices("no").map(|(i, _)| i).find(|&i| no_information(&clause[i..]))
        {
            found.push(start + at);
        }
        start = end + lower[end..].chars().next().map_or(1, char::len_utf8);
    }
    // Chinese: the lack and the information in one clause, either order.
    let mut start = 0;
    while start < lower.len() {
        let end = clause_end(lower, start);
        let clause = &lower[start..end];
        if let Some(at) = ZH_DONT_HAVE.iter().filter_map(|d| clause.find(d)).min()
            && ZH_INFORMATION.iter().any(|w| clause.contains(w))
            && !clause[at..].starts_with("没有问题")
        {
            found.push(start + at);
        }
        start = end + lower[end..].chars().next().map_or(1, char::len_utf8);
    }
    for at in found {
        let end = unknown_end(lower, at);
        spans.push((at, end));
        // "Is it the last one? I don't know, but it is.": after a turn or a yes, the question is the claim.
        let answered =
            TURNS.iter().any(|t| lower[end..].trim_start().starts_with(t.trim_start())) || confirms(&lower[end..]);
        let clause_start =
            lower[..at].rfind(BREAKS).map_or(0, |i| i + lower[i..].chars().next().map_or(1, char::len_utf8));
        let head = &lower[clause_start..at];
        let unknown = UNKNOWNS.iter().chain(ZH_DONT_HAVE).find(|u| lower[at..].starts_with(*u)).copied().unwrap_or("");
        if subject_first(unknown) && !head.chars().any(|c| c.is_ascii_digit() || is_zh_digit(c)) {
            spans.push((clause_start, at));
            // The topic may stand in a clause of its own before it: 退货政策方面，水壶我没有相关信息.
            let before = lower[..clause_start].trim_end_matches([',', '，', ' ']);
            if let Some(topic) = ["方面", "的话", "这块", "这一块", "这个问题"].iter().find(|t| before.ends_with(**t))
            {
                let topic_start =
                    before.rfind(BREAKS).map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
                let clause = &before[topic_start..];
                if !clause.chars().any(|c| c.is_ascii_digit() || is_zh_digit(c)) && clause.len() > topic.len() {
                    spans.push((topic_start, before.len()));
                }
            }
        }
        // The questions before it, in its sentence.
        let head = &lower[..at];
        let sentence_start =
            head.char_indices().rev().find(|(_, c)| ".!。！".contains(*c)).map_or(0, |(i, c)| i + c.len_utf8());
        let mut start = sentence_start;
        while start < at && !answered {
            let end = clause_end(lower, start).min(at);
            let mark = lower[end..].chars().next().filter(|_| end < at);
            let with_mark = mark.filter(|c| "?？".contains(*c)).map_or(0, char::len_utf8);
            if is_question(&lower[start..end + with_mark]) {
                spans.push((start, end));
            }
            match mark {
                Some(c) => start = end + c.len_utf8(),
                None => break,
            }
        }
    }
    spans
}

/// A question: it ends with a question mark, 吗 or 呢, holds an A-not-A form (会不会, 包不包, 有没有), or tells
/// of one asked ("Chat's asking about free shipping", 有人问包不包邮).
fn is_question(clause: &str) -> bool {
    const ASKED: [&str; 14] = [
        "asking about",
        "asked about",
        "asks about",
        "asking if",
        "asking whether",
        "wants to know",
        "want to know",
        "wondering about",
        "wondering if",
        "question about",
        "questions about",
        "在问",
        "有人问",
        "想知道",
    ];
    let trimmed = clause.trim_end();
    if trimmed.ends_with(['?', '？', '吗', '呢']) || ASKED.iter().any(|w| clause.contains(w)) {
        return true;
    }
    let chars: Vec<char> = clause.chars().collect();
    chars.windows(3).any(|w| (w[1] == '不' || w[1] == '没') && w[0] == w[2] && !w[0].is_ascii())
}

fn is_zh_digit(c: char) -> bool {
    "一二两三四五六七八九十百".contains(c)
}

/// Where the clause that goes on at `from` ends: at the next clause break, or the end of the text.
fn clause_end(text: &str, from: usize) -> usize {
    let rest = text.get(from..).unwrap_or("");
    // A break right at the start ("someone said: …") opens the clause rather than ending it.
    let skipped = rest.len() - rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':' || c == '：').len();
    let body = &rest[skipped..];
    from + skipped + body.find(BREAKS).unwrap_or(body.len())
}

/// Viewers' handles written without an "@": a word of letters that ends in digits or holds an underscore
/// ("coffeelover22", "Maria_88"), but never a code (no lower-case letter: TEA10, or right after "code"/码), which
/// must still be read.
fn handles(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut start = None;
    let bytes = text.as_bytes();
    for i in 0..=bytes.len() {
        let wordy = bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        match (wordy, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                start = None;
                let word = &bytes[s..i];
                let letters = word.iter().filter(|b| b.is_ascii_alphabetic()).count();
                let lower_case = word.iter().any(u8::is_ascii_lowercase);
                let digits_at_end = word.last().is_some_and(u8::is_ascii_digit);
                let underscore = word.contains(&b'_');
                let before = text.get(..s).unwrap_or("").trim_end().to_ascii_lowercase();
                let after_code = ["code", "coupon", "码", "口令", "券"].iter().any(|w| before.ends_with(w));
                if letters >= 4 && lower_case && (digits_at_end || underscore) && !after_code {
                    spans.push((s, i));
                }
            }
            _ => {}
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str) -> String {
        let mut t = text.to_string();
        blank_not_claimed(&mut t);
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn corrected_reports_refusals_and_denied_values_are_blanked() {
        assert_eq!(blanked("Someone said it's $199 — it's ¥199."), "— it's ¥199.");
        assert_eq!(blanked("有人说只剩两个了，不对，库存是12个。"), "，不对，库存是12个。");
        assert_eq!(blanked("I won't say \"only a few left\" — the number is 12."), "— the number is 12.");
        assert_eq!(blanked("不是25美元哦，是30美元。"), "，是30美元。");
        assert_eq!(blanked("Thanks for joining, Maria_88!"), "Thanks for joining, !");
    }

    #[test]
    fn an_uncorrected_report_and_a_code_keep_every_word() {
        for text in ["Someone said it's the last one, and they're right.", "Use code TEA20 at checkout."] {
            assert_eq!(blanked(text), text);
        }
    }

    #[test]
    fn what_the_host_says_it_does_not_know_is_blanked_with_the_question_it_answers() {
        assert_eq!(blanked("电水壶会不会补货我不知道，不乱承诺。"), "， 。");
        assert_eq!(blanked("Is there a warranty? I don't have any warranty information, so I can't say."), "? , so .");
        assert_eq!(blanked("I don't know about the return policy."), ".");
        assert_eq!(blanked("质保这个我没有信息，不乱承诺。"), "， 。");
        assert_eq!(blanked("The return policy isn't listed."), ".");
        // A count said before the shrug is still read.
        assert_eq!(blanked("只剩2个我不知道。"), "只剩2个我 。");
        // A "but" turns back to a claim, and "I don't have" alone is no unknown.
        assert_eq!(blanked("I don't know, but it's the last one."), ", but it's the last one.");
        assert_eq!(
            blanked("I don't have to tell you it's the last one."),
            "I don't have to tell you it's the last one."
        );
        // A question answered yes, or turned back to with a "but", is the claim.
        assert_eq!(blanked("是不是最后一个？不知道，但是是的。"), "是不是最后一个？ ，但是是的。");
        assert!(blanked("Is it the last one? I don't know, but it is.").starts_with("Is it the last one?"));
        // A question nobody says they cannot answer is left alone.
        assert_eq!(blanked("是不是最后一个？是的。"), "是不是最后一个？是的。");
    }

    #[test]
    fn odd_input_never_panics() {
        for text in [
            "",
            "—",
            "不是",
            "isn't ",
            "someone said",
            "我不会说",
            "a_1",
            "有人说，",
            "?不知道",
            "吗不知道？",
            "不清楚",
        ] {
            let _ = blanked(text);
        }
    }
}
