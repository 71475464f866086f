//! What the host may say about itself: a closed list, not a list of lies.
//!
//! [`crate::identity`] reads a sentence for the lies an AI host must never tell (a denial, a person's life, a use of
//! the product). However many phrasings it knows, a writer finds another: "I took a pottery class last spring",
//! 我昨天加班到半夜, "we use it for the kids' tea parties". Measured on sentences written by people who had not read
//! the rules, about one personal-life claim in six still got through. So this module turns the question round: an
//! AI host has very little true to say about itself, and all of it fits a short list. When the host is the subject
//! (I, we, 我, 我们, 咱们) the predicate must be one of:
//!
//! - a negation ("I don't eat", 我没法尝, 我喝不了): saying what it lacks is always true;
//! - being an AI ("I'm an AI host", 我是数字人主播);
//! - a host's action, now or to come: telling, reading, checking, pinning, answering, recommending, helping ("I'll
//!   read the next question", 我来帮你查一下, "I can tell you the price"), or a state of the conversation ("I'm
//!   here", "I'm happy to help", 我都在);
//! - for "we", the shop's business: what it has, ships, offers, sells (the numbers in it are the guard's to check).
//!
//! "My" may own only a host's things (my info, my answer, 我的声音); "mine", "myself", "me and my …" and "our" with
//! a place or person of a life ("our studio", "our producer") claim a life, and so do "as a real human host", "just
//! a regular guy", "live from …" and "let me take a sip". A sentence that opens on a bare past-tense verb ("Went
//! hiking over the weekend", "Made tea with it last weekend") or on an experience ("After using it for a month")
//! has dropped its subject, and that subject is the host; in Chinese, a clause with no subject that opens on a time
//! and tells a day's events (昨晚失眠了, 上周末用它泡了茶) or a body's state (累死了) is the speaker's own. Everything
//! else about the host itself is refused as [`model::GuardRule::ClaimsHuman`]: an honest sentence outside the list
//! costs one template line, an unlisted lie costs the viewer's trust.
//!
//! Frames that do not claim are not read: words in quotation marks ("I won't say "I tested it""), clauses after a
//! reporting or hypothetical word ("if I said I'd tasted it", 要是说我喝过), questions ("Am I a bot?"), and 我 as an
//! object (问我, 告诉我, 陪着我们).
//!
//! It works on text already folded by [`crate::identity`] (lower-cased, simplified characters, straight
//! apostrophes) and never slices with offsets from another string.

/// True when `folded` has the host say something about itself that is not on the list above.
pub(crate) fn unlisted_self_talk(folded: &str) -> bool {
    let text = without_quotes(folded);
    opens_on_bare_past(&text)
        || unlisted_en_text(&text)
        || unlisted_zh(&text)
        || dropped_subject_life_zh(&text)
        || bare_denial_zh(&text)
        || team_uses_zh(&text)
        || located_here(&text)
}

/// The host's colleagues, in Chinese, using the product: 同事们天天用它喝茶, 办公室里人手一个. An AI host has no
/// colleagues whose use it could report; 我没有同事 (denied) is not read.
fn team_uses_zh(text: &str) -> bool {
    // The host's own colleagues and workplace; the shop's staff testing a product (工作人员试用过) is the merchant's
    // claim to state, read by the claims and not here.
    const TEAM: &[&str] = &["同事", "助理", "老板", "办公室", "公司里", "团队"];
    const USE: &[&str] = &[
        "天天用",
        "每天用",
        "都用",
        "在用",
        "用过",
        "用它",
        "用这",
        "喝茶",
        "泡茶",
        "人手一",
        "都有一",
        "都买了",
        "离不开",
        "都说好",
        "都夸",
        "放了一",
        "放了个",
        "摆了一",
    ];
    TEAM.iter().any(|team| {
        text.match_indices(team).any(|(at, _)| {
            let before: String = text[..at].chars().rev().take(3).collect();
            let denied = before.contains('没') || before.contains('无');
            let after: String = text[at + team.len()..].chars().take(14).collect();
            !denied && USE.iter().any(|u| after.contains(u))
        })
    })
}

/// Where the host says it is: "here in Brooklyn", "it's pouring here", 我这边在下雨. A host on a screen is nowhere;
/// "here in the chat" or "here in the card" is the stream itself.
fn located_here(text: &str) -> bool {
    const STREAM: &[&str] = &[
        "the chat",
        "chat",
        "the comments",
        "comments",
        "the stream",
        "this stream",
        "the card",
        "the listing",
        "the shop",
        "our shop",
        "the store",
        "the description",
        "the notes",
        "my notes",
        "the data",
        "the room",
        "this room",
        "the live",
        "the link",
        "the video",
        "the queue",
        "the list",
        "stock",
        "the cart",
        "your cart",
        "the box",
        "the set",
        "it",
    ];
    for (at, _) in text.match_indices("here in ") {
        let rest = &text[at + "here in ".len()..];
        if !STREAM.iter().any(|w| rest.starts_with(w)) && rest.starts_with(|c: char| c.is_alphabetic()) {
            return true;
        }
    }
    const WEATHER_EN: &[&str] =
        &["raining", "pouring", "snowing", "sunny", "freezing", "so hot", "so cold", "storming", "windy", "humid"];
    let weather_here = text.split(['.', '!', '?', ';', '—']).any(|clause| {
        WEATHER_EN.iter().any(|w| clause.contains(w))
            && [" here", "outside", "my window", "where i am", "today in"].iter().any(|w| clause.contains(w))
    });
    const WEATHER_ZH: &[&str] = &["下雨", "下雪", "好热", "好冷", "降温", "刮风", "出太阳", "打雷"];
    let zh_here = ["我这边", "我这里", "我们这", "我这儿", "外面", "窗外", "今天这边"].iter().any(|h| {
        text.match_indices(h)
            .any(|(at, _)| WEATHER_ZH.iter().any(|w| text[at..].chars().take(8).collect::<String>().contains(w)))
    });
    weather_here || zh_here || weather_now_zh(text)
}

/// The weather now, told in Chinese with no place word: 杭州今天下雨了, 今早下雪了, 这两天降温. Whose weather it
/// is goes unsaid, so it is the speaker's. A rainy day in general (下雨天喝热茶最舒服, 如果下雨) is not.
fn weather_now_zh(text: &str) -> bool {
    const WEATHER: &[&str] = &["下雨", "下雪", "降温", "刮风", "打雷", "下冰雹", "大太阳", "出太阳", "雨声", "雪景"];
    const NOW: &[&str] =
        &["今天", "今早", "今晚", "现在", "这两天", "这几天", "刚才", "刚刚", "一早", "此刻", "外头", "窗边"];
    const CITIES: &[&str] = &[
        "杭州", "北京", "上海", "广州", "深圳", "义乌", "成都", "重庆", "武汉", "南京", "苏州", "西安", "长沙", "厦门",
    ];
    const GENERAL: &[&str] = &["如果", "要是", "万一", "下雨天", "雨天", "雪天", "天气冷的时候", "冬天", "夏天"];
    text.split(|c: char| "，。！？,.!?；;～~…".contains(c)).any(|clause| {
        let weather = WEATHER.iter().any(|w| clause.contains(w));
        let now = NOW.iter().chain(CITIES).any(|w| clause.contains(w))
            || clause.contains("下雨了")
            || clause.contains("下雪了");
        weather && now && !GENERAL.iter().any(|w| clause.contains(w))
    })
}

/// `text` with every span in quotation marks blanked: quoted words are reported, not claimed.
fn without_quotes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut closing: Option<char> = None;
    for c in text.chars() {
        match closing {
            Some(end) if c == end => {
                closing = None;
                out.push(' ');
            }
            Some(_) => {}
            None => match c {
                '"' => closing = Some('"'),
                '“' => closing = Some('”'),
                '「' => closing = Some('」'),
                '『' => closing = Some('』'),
                '《' => closing = Some('》'),
                c => out.push(c),
            },
        }
    }
    // An unclosed quotation mark quotes nothing: keep the whole text.
    if closing.is_some() { text.to_string() } else { out }
}

// ---------------------------------------------------------------------------------------------------------------
// Word lists (space-separated, so each reads as one paragraph)
// ---------------------------------------------------------------------------------------------------------------

/// Verbs that, opening a sentence with no subject, are the host's own past: "Went hiking", "Been pouring with it".
const BARE_PAST: &str = "went took spent caught came tried bought grabbed woke slept ate drank skipped used visited moved \
     grew flew drove met stayed worked lived finished brought cooked baked been brewed tested gave had made";

/// Words that split a sentence into clauses, each with its own subject.
const CONJUNCTIONS: &str = "but so and because since though although while or cause cuz coz";

/// After "as a" / "as an", words that make the host a person: "As a real human host", "as a mom of two".
const AS_PERSON: &str = "real human person mom mum mother dad father woman man girl guy lady local native parent wife \
     husband grandma teacher chef student tea-lover coffee-lover chap bloke lad lass gent gentleman fella fellow gal";

/// What "our" may not own: the places and people of a life ("our studio", "our producer", "our kitchen"). "Our"
/// is also the shop's ("our Silk Scarf", "our team"), so only these are read as a life.
const OUR_LIFE: &str = "studio office home house kitchen producer boss family kids children dog cat apartment flat place \
     town city hometown neighborhood neighbourhood car garden director editor cameraman intern interns manager \
     roommate break-room breakroom dorm bedroom living lunch breakfast dinner weekend weekends vacation holiday trip \
     routine";

/// What the host may do after "let me": its own actions on the stream.
const LET_ME: &str = "tell show read check answer explain see think know walk go pin repeat get help share list confirm \
     look put switch move start begin be say quote note mention recap sum summarise summarize double-check scroll \
     catch bring pull find grab know clarify correct add point introduce present give run come re-read reread recheck \
     re-check double count recount";

/// Verbs after "let me" that are a host's on the stream but a body's too: which one is said by what follows.
const BODY_VERBS: &str = "walk go grab get bring pull put run come pick move pour fetch hold";

/// What makes one of [`BODY_VERBS`] a body's errand: a place to walk to, a thing to lift, something to drink.
const BODY_ERRANDS: &str = "shelf shelves table desk counter kitchen studio warehouse back-room sip drink \
     water coffee mug glass snack bite lift camera lens upstairs downstairs outside sample samples physically";

/// Interjections that may open a clause before a bare denial: "nope, not an AI".
const INTERJECTIONS: &str = "nope no nah lol lmao haha hah ok okay well honestly seriously yeah yes oh";

/// Adverbs that may stand between the host and its verb.
const ADVERBS: &str = "just really actually honestly truly totally definitely also too still even already always so \
     only personally literally genuinely seriously kinda basically simply now currently absolutely sadly happily \
     gladly then first often usually sometimes quickly";

const NEGATIONS: &str = "don't dont do not can't cant cannot won't wont haven't havent never didn't didnt wouldn't \
     wouldnt couldn't couldnt shouldn't isn't ain't wasn't wasnt weren't werent doesn't doesnt hasn't hasnt no nor hardly lack \
     cannae canna dinnae dinna didnae doesnae isnae wasnae willnae winnae havenae hasnae couldnae wouldnae shouldnae";

/// What the host may say was done to it, after "I was", "I've been": it was told, given facts, built.
const HOST_PASSIVE: &str = "told given shown sent asked trained programmed built made designed provided handed taught \
     briefed informed instructed allowed supposed created set configured updated";

/// Nouns that, just before "I", head a relative clause about the host's own data: "the price I have for this
/// kettle", "the facts I was given", "everything I know about it".
const RELATIVE_HEADS: &str = "price prices facts fact info information details data notes figures numbers everything \
     all what that answer answers listing list card sources source";

/// Words that make the host an AI: "I'm an AI", "I'm Lin, an AI host", "I'm AI-generated".
const AI_WORDS: &str = "ai bot robot chatbot avatar virtual digital artificial program software machine assistant \
     generated synthetic computer model llm deepfake deep-fake cgi vtuber hologram npc cyborg automaton";

/// What may follow "I'm" / "we're": a state of the conversation, or a host action under way.
const HOST_STATES: &str = "here happy glad going gonna sorry able unable sure honest curious ready back all excited \
     looking reading checking pinning answering switching moving taking telling showing seeing trying keeping doing \
     putting getting listing told allowed afraid programmed built made designed limited not thrilled grateful \
     thankful on live still right wrong correcting repeating explaining scrolling waiting coming about hosting \
     talking sharing covering quoting clear done finished slowing speaking passing relaying recapping summarizing \
     summarising noting mentioning flagging confirming highlighting reminding";

/// Verbs the host may do, now or to come, after a plain "I" or "we". Verbs of a life ("go", "keep", "take") are
/// listed only after a modal ("I'll take the next question"), which [`listed_en`] allows whole.
const HOST_VERBS: &str = "can could will would shall should may might must let want wanna gonna going try tell say \
     show read check answer explain pin repeat help list share confirm ask pass flag catch note mention recommend \
     suggest point give see know hear understand think mean guess hope agree appreciate love like need wish promise \
     owe apologize apologise believe bet doubt only am stick focus quote cover lack talk welcome thank get won't wont rely base follow go \
     speak slow relay recap summarize summarise highlight remind showed mentioned covered double-checked rechecked \
     calculated counted pause";

/// What "we" may do besides the host's verbs: the shop's business, and what the host and its viewers do together
/// on the stream ("while we switch products", "before we move on").
const SHOP_VERBS: &str = "have ship ships dispatch offer sell include accept are support send deliver provide stock \
     restock carry list price post switch move go look start continue wrap head come jump turn chat talk begin finish \
     close open";

/// What follows "I've" / "we've" that a host may truly say it has done: the things it does on the stream.
const HOST_PAST: &str = "listed pinned checked read answered mentioned said put shared noted seen saw covered explained \
     told gone updated added switched moved repeated flagged passed";

/// What "I have" may be followed by.
const HAVE_OBJECTS: &str = "no nothing zero info information details data notes the that this your more answers an to one \
     two three some just facts figures numbers specs listing";

/// Words of degree or time that, after a negated verb of a life, say the life happened: "didn't sleep well",
/// "haven't slept properly in days", "not feeling great".
const LIFE_QUALIFIERS: &str = "well properly enough great lately yesterday tonight last days weeks nights wink since \
     hours ages monday tuesday wednesday thursday friday saturday sunday";

/// Between a negation and its verb: "haven't been sleeping", "didn't really sleep".
const NEGATED_FILLERS: &str = "not been really quite exactly even gotten got n't";

/// Ailments: only a body has them.
const AILMENTS: &str = "throat headache cold flu fever cough croaky hoarse hungover jetlag jet-lagged allergies \
     sneezing sleepy exhausted migraine";

/// Openings of a clause whose dropped subject has the ailment that follows: "Got a bit of a sore throat today".
const AILING: &str = "got have having had nursing fighting feeling";

/// Who, in the shop, may be said to use the product: a team's use is an experience claim.
const TEAM: &str = "team office staff crew colleagues coworkers co-workers testers tester stylist stylists producer producers \
     photographer photographers intern interns cameraman editor editors";

/// Their use: "our team brews pu'er in it", "the whole office has one of these".
const TEAM_USE: &str = "uses use used brews brew loves love owns own drinks drink swears tested tests tried tries tasted \
     checked poured";

/// What "my" may own: the host's own tools and words.
const MY_THINGS: &str = "info information data notes note card listing listings screen answer answers job pleasure \
     voice avatar picture image mistake bad apologies point guess advice recommendation knowledge side end list day \
     question questions favourite favorite turn name understanding facts sources source script instructions words \
     best role figures numbers reply replies take promise way friends dear sentences sentence reading focus goal aim \
     purpose";

/// Words after which the host's words are reported or imagined, not claimed.
const FRAMES: &str = "if say said claim claimed pretend pretending lying lie tell told imagine whether wish asked asks ask wonder think thought unless";

/// Auxiliaries that, before "I", make a question: "Am I a bot?", "Can I try it for you?".
const INVERTED: &str = "am are do can will should is would could did have shall";

/// The host as subject in Chinese, longest first. Besides the plain pronouns, the self-references of costume dramas
/// and old novels (本宫, 朕, 哀家): not 老夫, which begins 老夫妻, nor 本座, which begins 本座椅.
const ZH_SELF: &str = "我们 咱们 本人 我 咱 俺 本宫 朕 哀家 寡人 小女子 本姑娘 本小姐 洒家 鄙人";

/// Adverbs that may stand between the host and its predicate (the longest that fits is taken).
const ZH_ADVERBS: &str = "很 最 也 都 就 还 先 再 只 真 其实 又 这边 这里 一直 随时 马上 现在 正在 尽量 确实 的确 今天 接下来 \
     作为ai 稍后 等下 等一下 等会 等会儿 待会 待会儿 一会 一会儿 过会儿 稍等 直接 如实 老实 可 会 已经 还是 统一 一起 再次 赶紧 立刻 这就 刚刚 刚才 正 在此 \
     完整 完整地 简单 简单地 快速 快速地 挨个 逐一 逐条 一口气 重新 从头 再来 下面 然后 首先 这回 这下";

/// Predicates the host may open with: a host's action or a state of the conversation, and a host's things after
/// 的. (Negations and being an AI are read in [`listed_zh`].) Verbs that also tell a life (带, 跟, 给) are listed
/// only with the viewers as their object.
const ZH_LISTED: &str = "无法 没法 别 未 来 帮 讲 说 放慢 介绍 切到 切换到 切回 换到 转到 回到 进入 聊聊 聊到 聊回 回答 回复 看 查 念 读 解答 提醒 推荐 建议 整理 总结 重复 确认 \
     带大家 带你 跟大家 跟你 和大家 和你 为大家 为你 替你 替大家 给大家 给你 会 可以 能 要 想 知道 明白 理解 懂 猜 觉得 \
     同你讲 同你说 同您讲 同您说 同大家讲 同大家说 同各位讲 同各位说 同恁讲 跟恁 跟恁们 跟您 跟各位 给各位 和各位 为各位 带各位 跟乡党 跟乡亲 跟老乡 跟老铁 跟家人们 跟宝宝们 跟宝子们 跟姐妹们 \
     门儿清 门清 唠 唠唠 唠一唠 唠嗑 掰扯 摆龙门阵 侃侃 闲言少叙 言归正传 书归正传 长话短说 废话不多说 话不多说 慢慢谝 谝 慢慢聊 慢慢说 \
     认为 希望 清楚 了解 都在 在这 在线 一条 一个一个 把 接着 继续 换 这就 去查 去看 去问 收到 认真 回覆 一个个 喜欢的 喜欢这 告诉 补充 展示 贴 放到 放在商品 更新 尽快 马上 陪 尽力 争取 欢迎 谢谢 感谢 只是 只能 只会 \
     是根据 是按 是照 按 照 根据 用一句话 用大白话 转给 转交 转达 通知 记下 记录 标记 置顶 上链接 报 算 解释 说明 列 \
     的声音 的形象 的信息 的资料 的数据 的回答 的理解 的知识 的工作 的任务 的建议 的推荐 的介绍 \
     过一遍 过一下 捋一 梳理 盘点 复述 汇总 归纳 概括 强调 划重点 敲黑板 分成 分两 分三 分四 分五 分几";

/// What 我们 / 咱们 (the shop and its team) may do besides the host's predicates.
const ZH_SHOP: &str = "有 发货 包邮 支持 提供 送 一起 库存 聊 下一 上 店 家店 的库存 的商品 的活动 的优惠 的链接 的茶具 \
     的水壶 的价格 的客服 的小店 的店 的直播间 的主播 的赠品 这款 这套 这个 团队 的团队 工作人员 的工作人员 管理员 的管理员 \
     客服 的人 真人 的真人";

/// AI words that make 我是… true.
const ZH_AI: &str = "ai 人工智能 人工智慧 虚拟 数字 机器人 智能 合成 程序 算法 电脑 计算机 模型";

/// Words just before 我 that make it an object (问我, 陪着我们) or a reported subject.
const ZH_NOT_SUBJECT: &str = "如果 要是 假如 假装 说 冒充 以为 问 告诉 给 陪着 陪 跟 和 帮 让 叫 找 关注 私信 提醒 喊 催 等 \
     理 谢谢 感谢 对 向 把 被 比 像 为 替 带 教 @ 自 当 觉得 听";

/// Words anywhere in the few characters before 我 that make what follows imagined or reported (要是说我喝过).
const ZH_FRAMES: &str = "如果 要是 假如 说 以为";

/// Discourse markers with 说 in them that frame nothing: 说实话我…, and a heading's 说明 (【实测说明】主播本人…).
const ZH_FRANKLY: &str = "说实话 老实说 说真的 实话说 说句实话 说明";

fn is(word: &str, list: &str) -> bool {
    list.split_whitespace().any(|w| w == word)
}

/// The longest word of `list` that `text` starts with.
fn starts_with_any<'l>(text: &str, list: &'l str) -> Option<&'l str> {
    list.split_whitespace().filter(|w| text.starts_with(w)).max_by_key(|w| w.len())
}

// ---------------------------------------------------------------------------------------------------------------
// English
// ---------------------------------------------------------------------------------------------------------------

/// "Went hiking over the weekend": the first word a bare past-tense verb (not a passive: "Used by chefs").
fn opens_on_bare_past(text: &str) -> bool {
    let mut words = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'')).filter(|w| !w.is_empty());
    let starts_with_letter = text.trim_start().starts_with(|c: char| c.is_ascii_alphabetic());
    let mut first = words.next();
    // "Just finished dinner", "Finally got back from the gym".
    if first.is_some_and(|w| matches!(w, "just" | "finally" | "only")) {
        first = words.next();
        if first.is_some_and(|w| matches!(w, "finished" | "had" | "got" | "woke" | "returned" | "wrapped")) {
            return starts_with_letter;
        }
    }
    match (first, words.next()) {
        (Some(first), next) if starts_with_letter && is(first, BARE_PAST) => {
            !matches!(next, Some("by" | "in" | "of" | "from" | "with" | "to" | "for"))
        }
        _ => false,
    }
}

/// The English words of `text`, cut into clauses at punctuation and at conjunctions. A contraction written apart
/// ("I 'm") is joined to its word.
fn english_clauses(text: &str) -> Vec<Vec<String>> {
    let mut clauses = Vec::new();
    let breaks = |c: char| {
        matches!(c, ',' | ';' | ':' | '(' | ')' | '!' | '?' | '.' | '—' | '–' | '，' | '。' | '！' | '？' | '；' | '：')
    };
    for part in text.split(breaks) {
        let mut clause: Vec<String> = Vec::new();
        for raw in part.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '-')) {
            let word = raw.trim_matches(|c| c == '\'' || c == '-');
            if word.is_empty() {
                continue;
            }
            if raw.starts_with('\'')
                && matches!(word, "m" | "re" | "ve" | "ll" | "d" | "s")
                && let Some(last) = clause.last_mut()
            {
                last.push('\'');
                last.push_str(word);
            } else if is(word, CONJUNCTIONS) {
                clauses.push(std::mem::take(&mut clause));
            } else {
                clause.push(word.to_string());
            }
        }
        clauses.push(clause);
    }
    clauses.retain(|c| !c.is_empty());
    clauses
}

/// Whether `word` is an AI word, or a hyphenated word with one in it ("ai-generated").
fn ai_word(word: &str) -> bool {
    is(word, AI_WORDS) || word.split('-').any(|part| is(part, AI_WORDS))
}

/// Every English clause, each read with the first words of the next ("I'm Lin, an AI host").
fn unlisted_en_text(text: &str) -> bool {
    let clauses = english_clauses(text);
    clauses.iter().enumerate().any(|(i, clause)| {
        if opens_ailing(clause) {
            return true;
        }
        let next = clauses.get(i + 1).map(|c| c.iter().take(4).any(|w| ai_word(w))).unwrap_or(false);
        unlisted_en(clause, next)
    })
}

/// One English clause: does the host say something about itself that is not on the list? `ai_next` says the next
/// clause opens with an AI word.
fn unlisted_en(t: &[String], ai_next: bool) -> bool {
    // Whether a negation or a frame came earlier in the clause: kept as the words go by, so a clause is read once.
    let (mut negated, mut framed) = (false, false);
    for (i, word) in t.iter().enumerate() {
        let word = word.as_str();
        if let Some(previous) = i.checked_sub(1).map(|p| t[p].as_str()) {
            negated |= is(previous, NEGATIONS);
            framed |= is(previous, FRAMES);
        }
        match word {
            "mine" if !negated && !framed => return true,
            "my" if !negated && !framed => {
                let owned =
                    t[i + 1..].iter().find(|w| !matches!(w.as_str(), "own" | "very" | "first" | "last" | "only"));
                if owned.is_none_or(|w| !is(w, MY_THINGS)) {
                    return true;
                }
            }
            "me" if t.get(i + 1).is_some_and(|w| w == "and") && !framed => return true,
            // "Coffee number three for me this morning": the host's day.
            "me" if i > 0 && t[i - 1] == "for" && !framed => {
                let when: Vec<&str> = t[i + 1..].iter().map(String::as_str).take(2).collect();
                if matches!(when.as_slice(), ["this", "morning" | "afternoon" | "evening"] | ["last", "night"])
                    || matches!(when.first(), Some(&"today" | &"tonight"))
                {
                    return true;
                }
            }
            "myself" if !negated && !framed => return true,
            "our"
                if !negated && !framed && t[i + 1..].iter().take(3).any(|w| is(w.trim_end_matches("'s"), OUR_LIFE)) =>
            {
                return true;
            }
            // "After using it for a month", "having tried it": an experience with its subject dropped.
            "after" | "having" | "since" if !negated && !framed && before_all_interjections(&t[..i]) => {
                let used = "using trying used tried testing tested owning drinking brewing wearing";
                if t.get(i + 1).is_some_and(|w| is(w, used)) {
                    return true;
                }
            }
            // "Just a regular guy from Ohio": a person, with the subject dropped.
            "just" | "only"
                if before_all_interjections(&t[..i]) && t.get(i + 1).is_some_and(|w| w == "a" || w == "an") =>
            {
                let phrase = t[i + 2..].iter().take(3);
                if phrase.clone().any(|w| is(w, AS_PERSON) || w == "guy" || w == "girl")
                    && !phrase.into_iter().any(|w| ai_word(w))
                {
                    return true;
                }
            }
            // "Born on the ninth of September", "born and raised in Leeds": a birth with the subject dropped (a thing
            // may be "born in the kilns of Jingdezhen"; a date or a raising is a person's).
            "born" if !negated && !framed && before_all_interjections(&t[..i]) => {
                let next: Vec<&str> = t[i + 1..].iter().map(String::as_str).take(2).collect();
                let year = |w: &str| w.len() == 4 && (w.starts_with("19") || w.starts_with("20"));
                if matches!(next.as_slice(), ["on", ..] | ["and", "raised" | "bred"] | ["in", _])
                    && (next.first() != Some(&"in") || next.get(1).is_some_and(|w| year(w)))
                {
                    return true;
                }
            }
            // "Live from our little shop in Hangzhou": a place the host broadcasts from.
            "live" if !negated && !framed && t.get(i + 1).is_some_and(|w| w == "from") => return true,
            // "Let me take a quick sip": after "let me", a host's action, or taking a look or a moment.
            "let" if t.get(i + 1).is_some_and(|w| w == "me") && !framed => {
                let verb = t.get(i + 2).map(String::as_str).unwrap_or("");
                let object: Vec<&str> = t[(i + 3).min(t.len())..].iter().map(String::as_str).take(2).collect();
                let taking_a_look = verb == "take"
                    && object.iter().any(|w| {
                        matches!(
                            *w,
                            "look" | "second" | "moment" | "minute" | "sec" | "this" | "that" | "your" | "the" | "next"
                        )
                    });
                if !verb.is_empty() && !is(verb, LET_ME) && !taking_a_look {
                    return true;
                }
                // A host's verb with a body's errand after it: "let me walk over to the shelf", "let me grab a sip
                // of water", "let me go put the kettle on". "Let me walk you through it" stays on the stream.
                let errand: Vec<&str> = t[(i + 3).min(t.len())..].iter().map(String::as_str).take(6).collect();
                if is(verb, BODY_VERBS) && errand.iter().any(|w| is(w, BODY_ERRANDS)) {
                    return true;
                }
            }
            // "As a real human host", unless an AI word follows ("as an AI host").
            "as" if t.get(i + 1).is_some_and(|w| w == "a" || w == "an") && !framed => {
                let phrase = t[i + 2..].iter().take(4);
                let person = phrase.clone().any(|w| is(w, AS_PERSON));
                if person && !phrase.into_iter().any(|w| ai_word(w)) {
                    return true;
                }
            }
            // A clause that opens on a bare denial: "nope, not an AI", "not a bot, just a girl from Ohio".
            "not" if before_all_interjections(&t[..i]) => {
                // The AI word must be what is denied, not an adjective: "not a robot vacuum" denies nothing.
                let phrase: Vec<&str> = t[i + 1..].iter().map(String::as_str).take(3).collect();
                let denied = match phrase.as_slice() {
                    ["a" | "an" | "some", ai, rest @ ..] => {
                        ai_word(ai) && rest.first().is_none_or(|w| matches!(*w, "host" | "streamer" | "lol" | "haha"))
                    }
                    _ => false,
                };
                if denied {
                    return true;
                }
            }
            _ => {}
        }
        // "Our whole team has one in the break room", "the office uses it every day": the shop's people using
        // the product is an experience claim, whoever they are.
        if is(word, TEAM) && !negated && !framed && team_uses(&t[i + 1..]) {
            return true;
        }
        // "The host lifts a cup to her lips and sips", "your host was born in…": the host named in the third person
        // at the head of its clause is the host, and what it does is held to the same list ("the host will read your
        // question" is on it). "Ask the host" makes the host an object, not read here.
        if word == "host"
            && !framed
            && i.checked_sub(1).is_some_and(|p| matches!(t[p].as_str(), "the" | "your" | "this" | "our" | "ur"))
            && before_all_interjections(&t[..i - 1])
        {
            // "The host of this stream is an AI": what the host is host of comes before its verb.
            const OF_WHAT: &str = "of on this the stream show channel livestream here today tonight";
            let rest: Vec<String> = t[i + 1..]
                .iter()
                .skip_while(|w| is(w, OF_WHAT))
                .skip_while(|w| is(w, ADVERBS))
                .take(8)
                .enumerate()
                .map(|(k, w)| if k == 0 { first_person_verb(w) } else { w.clone() })
                .collect();
            let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
            if !listed_en("i", &rest, ai_next) {
                return true;
            }
            continue;
        }
        let subject = matches!(
            word,
            "i" | "i'm" | "im" | "i've" | "ive" | "i'd" | "i'll" | "we" | "we're" | "we've" | "we'll" | "we'd"
        );
        if !subject || framed || i.checked_sub(1).is_some_and(|p| is(&t[p], INVERTED)) {
            continue;
        }
        let rest: Vec<&str> = t[i + 1..].iter().map(String::as_str).skip_while(|w| is(w, ADVERBS)).take(8).collect();
        // "the price I have for this kettle", "the facts I was given": the host's data, not its life.
        let about_data = i.checked_sub(1).is_some_and(|p| is(&t[p], RELATIVE_HEADS))
            && rest.first().is_some_and(|w| matches!(*w, "have" | "got" | "know" | "was" | "were" | "hold" | "see"));
        if !about_data && !listed_en(word, &rest, ai_next) {
            return true;
        }
    }
    false
}

/// A use of the product carried by a host's verb: "having handled/used/tried …", "in person", "first-hand".
fn handled_in_person(rest: &[&str]) -> bool {
    const USED: &str = "handled used tried tasted tested held touched owned brewed boiled";
    rest.windows(2).any(|w| {
        (w[0] == "having" && is(w[1], USED))
            || (w[0] == "in" && w[1] == "person")
            || matches!(w[0], "firsthand" | "first-hand" | "hands-on")
    })
}

/// A verb said of "the host" as "I" would say it: "is" as "am", "reads" as "read", "confirms" as "confirm".
fn first_person_verb(verb: &str) -> String {
    match verb {
        "is" => "am".into(),
        "does" => "do".into(),
        "has" | "was" | "isn't" | "wasn't" | "doesn't" | "hasn't" => verb.into(),
        _ => {
            let bare = verb.strip_suffix('s').filter(|b| b.len() > 1 && !b.ends_with('s'));
            bare.map_or_else(|| verb.to_string(), str::to_string)
        }
    }
}

/// After a team word: a use of the product ("brews pu'er in it") or having one ("has one of these").
fn team_uses(after: &[String]) -> bool {
    let mut words = after.iter().map(String::as_str).take(3);
    words.any(|w| is(w, TEAM_USE)) || {
        let near: Vec<&str> = after.iter().map(String::as_str).take(3).collect();
        near.windows(2).any(|pair| {
            matches!(pair[0], "has" | "have" | "had" | "got")
                && matches!(pair[1], "one" | "it" | "these" | "them" | "two" | "this" | "that")
        })
    }
}

/// After a negation: a verb of a life with a word of degree or time ("didn't sleep well", "haven't slept properly
/// in days", "not feeling great"). Only someone who sleeps can sleep badly: such a negation claims the life.
fn negated_life(after: &[&str]) -> bool {
    let mut words = after.iter().copied().skip_while(|w| is(w, NEGATED_FILLERS) || is(w, ADVERBS));
    let Some(verb) = words.next() else { return false };
    let hosts = is(verb, HOST_VERBS) || is(verb, HOST_STATES) || is(verb, SHOP_VERBS) || is(verb, HOST_PAST);
    // "haven't slept", "haven't eaten yet": a perfect tense says when the life last went on, so it claims one
    // ("I don't sleep", said of what an AI never does, does not). The time may follow in a clause of its own
    // ("since Monday").
    let perfect_of_a_life = matches!(verb, "slept" | "eaten" | "showered" | "napped" | "rested" | "sat");
    !hosts
        && !matches!(verb, "have" | "has" | "a" | "an" | "the")
        && !ai_word(verb)
        && (perfect_of_a_life || words.take(6).any(|w| is(w, LIFE_QUALIFIERS)))
}

/// "Got a bit of a sore throat today", "Fighting a cold": a clause that opens on having an ailment, its subject
/// dropped.
fn opens_ailing(clause: &[String]) -> bool {
    clause.first().is_some_and(|w| is(w, AILING)) && clause.iter().skip(1).take(7).any(|w| is(w, AILMENTS))
}

/// Whether the words before a place in a clause are only interjections (or nothing).
fn before_all_interjections(words: &[String]) -> bool {
    words.iter().all(|w| is(w, INTERJECTIONS))
}

/// Whether what follows the host as subject (`rest`, adverbs skipped) is on the list.
fn listed_en(subject: &str, rest: &[&str], ai_next: bool) -> bool {
    let Some(&next) = rest.first() else { return true };
    let we = subject.starts_with("we");
    let ai_soon = rest.iter().take(6).any(|w| ai_word(w)) || (rest.len() <= 2 && ai_next);
    match subject {
        "i'm" | "im" | "we're" if is(next, NEGATIONS) => ai_soon || !negated_life(&rest[1..]),
        "i'm" | "im" | "we're" => ai_soon || is(next, HOST_STATES),
        "i'll" | "we'll" | "i'd" | "we'd" => true,
        "i've" | "ive" | "we've" if is(next, NEGATIONS) => !negated_life(&rest[1..]),
        "i've" | "ive" | "we've" if next == "been" => {
            rest.get(1).is_some_and(|w| is(w, HOST_PASSIVE) || is(w, HOST_STATES)) || ai_soon
        }
        // "I've got no nan": having nothing is a negation, said of what an AI lacks.
        "i've" | "ive" if next == "got" => rest.get(1).is_some_and(|w| matches!(*w, "no" | "nothing" | "zero")),
        "i've" | "ive" | "we've" => is(next, HOST_PAST) || (we && next == "got"),
        _ => match next {
            // "I do" is a negation only before "not" ("I do not eat"); "I do read every comment" stresses a host's
            // verb; "I do a little tea ritual" tells a life.
            "do" if rest.get(1) == Some(&"have") => listed_en(subject, &rest[1..], ai_next),
            "do" => rest.get(1).is_none_or(|w| *w == "not" || is(w, HOST_VERBS)) && !negated_life(&rest[1..]),
            n if is(n, NEGATIONS) => !negated_life(&rest[1..]),
            "am" | "are" => rest.get(1).is_some_and(|w| is(w, NEGATIONS) || is(w, HOST_STATES)) || ai_soon,
            // "I was told", "I wasn't given that": passives of what is done to a host. "I was born", "I was
            // raised in Ohio" are not on the list.
            "was" | "were" => {
                rest.get(1).is_some_and(|w| is(w, NEGATIONS) || is(w, HOST_PASSIVE) || is(w, HOST_STATES)) || ai_soon
            }
            // "I have all the details": a quantifier before the host's data.
            "have" | "has" if !we && matches!(rest.get(1), Some(&"all" | &"every")) => {
                rest.get(2).is_some_and(|w| is(w, HAVE_OBJECTS))
            }
            "have" | "has" if !we => rest.get(1).is_some_and(|w| is(w, HAVE_OBJECTS)),
            // "A few questions I missed", "I skipped your comment": the host's reading of the chat. Missing people or
            // places ("I missed you all", "I miss home") is a feeling.
            "missed" | "skipped" | "overlooked" | "misread" | "misspoke" => rest.get(1).is_none_or(|w| {
                !matches!(
                    *w,
                    "you"
                        | "y'all"
                        | "yall"
                        | "everyone"
                        | "everybody"
                        | "all"
                        | "home"
                        | "my"
                        | "our"
                        | "being"
                        | "seeing"
                        | "chatting"
                        | "talking"
                        | "this"
                        | "them"
                        | "him"
                        | "her"
                        | "lunch"
                        | "breakfast"
                        | "dinner"
                        | "sleep"
                        | "work"
                        | "school"
                        | "class"
                        | "the"
                        | "a"
                ) || rest.iter().skip(1).take(4).any(|o| {
                    matches!(*o, "question" | "questions" | "comment" | "comments" | "message" | "messages" | "one")
                })
            }),
            // "I saw someone ask", "I see your question": the host reading the chat.
            "saw" => rest.get(1).is_some_and(|w| {
                matches!(
                    *w,
                    "someone"
                        | "people"
                        | "your"
                        | "chat"
                        | "comments"
                        | "comment"
                        | "questions"
                        | "question"
                        | "lots"
                        | "many"
                        | "some"
                        | "you"
                        | "viewers"
                        | "a"
                        | "the"
                ) && rest.iter().skip(1).take(4).any(|o| {
                    matches!(
                        *o,
                        "someone"
                            | "people"
                            | "chat"
                            | "comment"
                            | "comments"
                            | "question"
                            | "questions"
                            | "viewers"
                            | "ask"
                            | "asking"
                            | "asked"
                            | "your"
                    )
                })
            }),
            // "That's not what I said", "I mentioned ¥259 a moment ago": what the host did on the stream. "I put
            // the kettle on" is a body's errand, not the host's.
            n if (is(n, HOST_PAST) && !matches!(n, "put" | "seen")) || n == "meant" => true,
            // "I can confirm having handled it in person": a host's verb carrying a use of the product.
            n => (is(n, HOST_VERBS) || (we && is(n, SHOP_VERBS))) && !handled_in_person(rest),
        },
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Chinese
// ---------------------------------------------------------------------------------------------------------------

fn unlisted_zh(text: &str) -> bool {
    let mut skip_to = 0;
    for (start, _) in text.char_indices() {
        // A self-reference here, the longest that fits (我们 before 我); 们 of a 我们 already read is skipped.
        let Some(word) = (start >= skip_to).then(|| starts_with_any(&text[start..], ZH_SELF)).flatten() else {
            continue;
        };
        let end = start + word.len();
        skip_to = end;
        let before = &text[..start];
        let near: String = before.chars().rev().take(6).collect::<Vec<_>>().into_iter().rev().collect();
        let near = ZH_FRANKLY.split_whitespace().fold(near, |n, m| n.replace(m, ""));
        let object = ZH_NOT_SUBJECT.split_whitespace().any(|w| near.ends_with(w));
        let framed = ZH_FRAMES.split_whitespace().any(|w| near.contains(w));
        if object || framed {
            continue;
        }
        if !listed_zh(word, text.get(end..).unwrap_or("")) {
            return true;
        }
    }
    false
}

/// Time words that open a clause about the speaker's day: 昨晚失眠了, 今天起晚了, 刚从健身房回来.
const ZH_WHEN: &str =
    "上周末 上个周末 今天 昨天 昨晚 前天 刚 刚刚 刚才 上个月 上周 每天 早上 晚上 平时 周末 这周 最近 去年 前几天 才";

/// A day's events: said with no subject, the subject is the speaker.
const ZH_LIFE: &str = "起晚 起床 失眠 熬夜 加班 下班 上班 回来 回家 吃完 吃过 健身 跑步 地铁 公交 打车 出差 旅游 露营 爬山 \
     感冒 发烧 生病 早饭 午饭 晚饭 夜宵 睡 醒 做饭 逛街 约会 搬家 开车 遛狗 带娃 赶来 赶过来 洗澡 化妆 剪头发 堵车 \
     到直播间 用它 用这 泡了 带去 带着它 嗓子 喉咙 眼睛 腰 头疼 哑 打包的时候 手都酸 手酸 腿酸 脚酸 化了个 化了妆 \
     淡妆 补妆";

/// A body's state said alone, as a whole clause (累死了, 饿坏了): with no subject, the speaker's own.
const ZH_STATE_ALONE: &str =
    "累死了 饿死了 困死了 渴死了 累坏了 饿坏了 困了 累了 饿了 好累 好困 好饿 嗓子哑了 嗓子疼 素颜";

/// Others a clause may be about instead: the viewer, a customer, the product.
const ZH_OTHERS: &str = "你 您 大家 他 她 客户 顾客 买家 朋友们 粉丝 家人们 宝宝们 宝子们 这款 这个 茶具 水壶 壶 商品 \
     各位 乡党 乡亲 乡亲们 老乡 老铁 老铁们 姐妹们 兄弟们 看官 列位 恁";

/// A clause with no subject that opens on a time word and tells a day's event (昨晚失眠了, 每天坐一个小时地铁来上班),
/// or opens on a meal (早饭都没吃): with the subject dropped, it is the speaker's own life.
fn dropped_subject_life_zh(text: &str) -> bool {
    text.split(|c: char| "，。！？,.!?；;：:～~…".contains(c)).any(|clause| {
        let clause = clause.trim();
        if body_in_a_state_zh(clause, text) {
            return true;
        }
        if ZH_OTHERS.split_whitespace().any(|w| clause.contains(w))
            || ZH_SELF.split_whitespace().any(|w| clause.contains(w))
        {
            return false;
        }
        let mut rest = clause;
        let mut timed = false;
        while let Some(when) = starts_with_any(rest, ZH_WHEN) {
            rest = rest.get(when.len()..).unwrap_or("");
            timed = true;
        }
        let head: String = rest.chars().take(8).collect();
        let meal = ["早饭", "午饭", "晚饭"].iter().any(|m| rest.starts_with(m));
        let state = starts_with_any(clause, ZH_STATE_ALONE).is_some_and(|w| clause.len() <= w.len() + 6);
        (timed && ZH_LIFE.split_whitespace().any(|w| head.contains(w))) || meal || state
    })
}

/// Parts of a body that tire or hurt, and what they do.
const ZH_SORE_PARTS: &str = "嗓子 喉咙 腰 眼睛 脖子 肩膀 手腕 腿 脚 胳膊 手臂";
const ZH_SORE: &str = "哑 疼 痛 酸 肿 麻 干 累";
/// What makes a sore body a case in general (advice, a condition), not the speaker's own today.
const ZH_IN_GENERAL: &str = "的话 如果 要是 假如 容易 可以 建议 适合 缓解 防止 预防 保护";

/// A body part in a state, its owner dropped (讲太久了嗓子都哑了, 腰有点酸): the speaker's own body, unless the
/// sentence gives it as advice or a case in general (嗓子干的话可以多喝水, 说话多嗓子干，可以泡杯茶).
fn body_in_a_state_zh(clause: &str, sentence: &str) -> bool {
    if ZH_IN_GENERAL.split_whitespace().any(|w| sentence.contains(w)) {
        return false;
    }
    // A space or an emoji parts two thoughts (哎嗓子都哑了🤧 茶具现价199元): each is read on its own, and one about
    // someone else (你的嗓子, 大家眼睛) is theirs.
    let segments = clause.split(|c: char| c.is_whitespace() || !(c.is_alphanumeric()));
    segments.filter(|s| !ZH_OTHERS.split_whitespace().any(|w| s.contains(w))).any(|segment| {
        ZH_SORE_PARTS.split_whitespace().any(|part| {
            segment.match_indices(part).any(|(at, _)| {
                let mut rest = &segment[at + part.len()..];
                while let Some(adverb) = starts_with_any(rest, "都 有点 有些 好 太 已经 快 又 也 真 特别 超")
                {
                    rest = &rest[adverb.len()..];
                }
                starts_with_any(rest, ZH_SORE).is_some()
            })
        })
    })
}

/// Verbs of a body's day, negated in [`negated_life_zh`].
const ZH_BODY_VERBS: &str = "睡 吃 休息 歇";

/// What a verb achieved (睡好, 吃饱, 睡着): negated, the attempt still happened.
const ZH_RESULTS: &str = "好 饱 够 醒 着 踏实 香";

/// 没睡好, 睡不着, 没吃饱, 昨晚没睡: a negated verb of a body with its result, or after a time word, says the body
/// tried. (我不睡觉 and 我不吃东西, with neither, are an AI's truth.)
fn negated_life_zh(rest: &str) -> bool {
    let head: String = rest.chars().take(10).collect();
    let Some(at) = head.find(['不', '没']) else { return false };
    let before = &head[..at];
    let after = head.get(at + '不'.len_utf8()..).unwrap_or("");
    let after = after.strip_prefix("怎么").or_else(|| after.strip_prefix('有')).unwrap_or(after);
    // 睡不着, 睡不好: the verb before the negation, the result after it.
    let verb_before = ZH_BODY_VERBS.split_whitespace().any(|v| before.ends_with(v));
    if verb_before && starts_with_any(after, ZH_RESULTS).is_some() {
        return true;
    }
    let Some(verb) = starts_with_any(after, ZH_BODY_VERBS) else { return false };
    let result = after.get(verb.len()..).is_some_and(|r| starts_with_any(r, ZH_RESULTS).is_some());
    let timed = ZH_WHEN.split_whitespace().any(|w| before.contains(w));
    result || timed
}

/// A clause that opens on a bare denial of being an AI, its subject dropped: 不是机器人啦, 才不是AI呢.
fn bare_denial_zh(text: &str) -> bool {
    text.split(|c: char| "，。！？,.!?；;：:～~…".contains(c)).any(|clause| {
        let mut rest = clause.trim();
        while let Some(word) = starts_with_any(rest, "哈哈 哈 嗯 哎 诶 放心 真的 其实 当然 都说了 说了")
        {
            rest = rest.get(word.len()..).unwrap_or("");
        }
        let Some(denial) = starts_with_any(rest, "不是 才不是 并不是 可不是") else { return false };
        let head: String = rest[denial.len()..].chars().take(5).collect();
        ZH_AI.split_whitespace().any(|w| head.contains(w))
    })
}

/// Whether what follows the host as subject is on the list.
fn listed_zh(subject: &str, after: &str) -> bool {
    let mut rest = after.trim_start();
    while let Some(adverb) = starts_with_any(rest, ZH_ADVERBS) {
        rest = rest.get(adverb.len()..).unwrap_or("");
    }
    let ends = |s: &str| s.is_empty() || s.starts_with(|c: char| "，。！？,.!?~～、…呢啊呀吧哦哈".contains(c));
    // 我跟你一样 ("I, like you, …") puts the host among the viewers who live with the product: never listed,
    // though 跟你 alone (跟你说) is the host talking to them.
    let like_viewers = ["跟", "和", "同", "像"].iter().filter_map(|w| rest.strip_prefix(w)).any(|after| {
        ["你们", "你", "您", "大家", "各位"].iter().filter_map(|v| after.strip_prefix(v)).any(|a| a.starts_with("一样"))
    });
    if like_viewers {
        return false;
    }
    // 是我的。: a possessive with nothing after it owns nothing in particular.
    if rest.strip_prefix('的').is_some_and(ends) {
        return true;
    }
    // 我们的电热水壶, 咱们的直播间: the shop's goods and places, said by the shop's voice (a body, a home or a
    // family after 我们的 is read by crate::identity).
    const SHOP_OWNS: &str =
        "电热水壶 水壶 茶具 茶壶 商品 产品 宝贝 店 直播间 链接 价格 优惠 活动 库存 客服 这款 这套 新品 福利";
    if subject != "我" && rest.strip_prefix('的').is_some_and(|owned| starts_with_any(owned, SHOP_OWNS).is_some()) {
        return true;
    }
    // The end of the text, a clause break or a particle: nothing is claimed.
    if ends(rest) {
        return true;
    }
    // 我在 is "I'm here" when nothing follows it; 我在杭州 is a place.
    if let Some(after_at) = rest.strip_prefix('在')
        && (ends(after_at) || after_at.starts_with(['线', '这']))
    {
        return true;
    }
    // A negation among the first few characters: 我不…, 我没…, 我尝不出, 我喝不了; but not one that tells the life
    // it negates (我昨晚没睡好).
    if rest.chars().take(3).any(|c| c == '不' || c == '没') {
        return !negated_life_zh(rest);
    }
    // 欢迎来看我们直播, 我在直播呢: streaming is the host's work (我们直播间在杭州 is a place, read on).
    if let Some(after) = rest.strip_prefix("在直播").or_else(|| rest.strip_prefix("直播"))
        && (ends(after) || after.starts_with(['中', '啦', '了']))
    {
        return true;
    }
    // 我一个AI, 我这个AI主播: the host named as what it is, with no verb.
    if let Some(named) = ["一个", "一介", "这个", "这么个", "个"].iter().find_map(|w| rest.strip_prefix(w))
        && ZH_AI.split_whitespace().any(|w| named.starts_with(w))
    {
        return true;
    }
    // 系 is 是 in Cantonese and Hakka (涯系AI, read 我系AI); 天津话 puts 介 (这) before it (我介是AI). Not 介 alone:
    // 我介绍 is "I introduce".
    let rest = rest.strip_prefix('介').filter(|after| after.starts_with('是')).unwrap_or(rest);
    if let Some(after_be) = rest.strip_prefix('是').or_else(|| rest.strip_prefix('系')) {
        let head: String = after_be.chars().take(10).collect();
        // 我是AI主播 is listed; 我是真人不是AI denies the AI word it holds, and 我是真人 names no AI at all.
        return ZH_AI.split_whitespace().any(|w| {
            head.find(w).is_some_and(|at| {
                !["不是", "不", "非", "没", "并非", "唔系", "不系", "唔", "冇"].iter().any(|n| head[..at].ends_with(n))
            })
        });
    }
    // 我要去吃火锅, 我准备去健身: going somewhere is a life; 我去查一下 is a host's errand.
    let intends =
        ["要", "想", "准备", "打算", "得", "会", "该"].iter().find_map(|w| rest.strip_prefix(w)).unwrap_or(rest);
    if let Some(going) = intends.strip_prefix('去') {
        let errand =
            ["查", "看", "问", "找", "拿", "翻", "确认", "核实", "问问", "看看"].iter().any(|e| going.starts_with(e));
        if !errand {
            return false;
        }
    }
    let shop = matches!(subject, "我们" | "咱们");
    // 我们团队午休都用这几个杯子: the team's own use of the product is an experience, whatever the team is.
    let clause = rest.split(|c: char| "，。！？,.!?；;".contains(c)).next().unwrap_or("");
    let team = ["团队", "同事", "工作人员", "员工", "大家都"].iter().any(|w| clause.contains(w));
    let used = [
        "用这",
        "用它",
        "都用",
        "在用",
        "用过",
        "喝茶",
        "泡茶",
        "每天用",
        "天天用",
        "放着",
        "摆着",
        "抢着用",
        "人手一",
    ]
    .iter()
    .any(|w| clause.contains(w));
    if shop && team && used {
        return false;
    }
    let verb = starts_with_any(rest, ZH_LISTED).or_else(|| shop.then(|| starts_with_any(rest, ZH_SHOP)).flatten());
    // A listed verb in the experiential or completed aspect tells a past, not a host's action: 我们送了客户几套,
    // 我看过实物.
    verb.is_some_and(|v| !rest.get(v.len()..).is_some_and(|after| after.starts_with(['过', '了'])))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unlisted(text: &str) -> bool {
        unlisted_self_talk(&text.to_lowercase())
    }

    /// 系 as 是 (Cantonese, Hakka read as 我系) and 同你讲 as 跟你说 are listed only where they are true: an AI word
    /// not denied; the viewers as whom the host talks to, never as whom it is like.
    #[test]
    fn copula_xi_and_tong_ni_are_listed_only_where_true() {
        for listed in ["我系ai主播。", "我系数字人。", "我同你讲，呢套茶具有四十套。", "我同大家说一下价格。"]
        {
            assert!(!unlisted(listed), "{listed}");
        }
        for claim in [
            "我系真人，唔系ai。",
            "我系真人，不系ai。",
            "我系主播，今朝食过饭。",
            "我同你一样，都用过这套茶具。",
            "我跟你一样，都用过这套茶具。",
            "我和大家一样天天用它。",
            "我同你屋里人一样天天用佢。",
        ] {
            assert!(unlisted(claim), "{claim}");
        }
    }

    /// Generated personal-life claims: subjects × life predicates × time words, none of them written out whole.
    #[test]
    fn a_life_in_any_words_is_unlisted() {
        let en_subjects = ["I", "Honestly I", "We", "Me and my roommate"];
        let en_predicates = [
            "took a pottery class",
            "skipped breakfast",
            "stayed up late",
            "use it at home",
            "went to the beach",
            "drink green tea",
            "keep one by the bed",
            "grew up near the sea",
            "work nights at a café",
            "fell asleep on the sofa",
        ];
        let en_times = ["last spring", "this morning", "every weekend", ""];
        let mut n = 0;
        let zh_subjects = ["我", "我们", "说实话我", "咱"];
        let zh_predicates = [
            "加班到半夜",
            "去爬山了",
            "是福建人",
            "在杭州",
            "养了一只猫",
            "每天早上喝茶",
            "带着它出差",
            "送了客户几套",
        ];
        let zh_times = ["昨天", "上周", "平时", ""];
        // English reads subject, predicate, time; Chinese puts the time first.
        type Parts<'a> = (&'a [&'a str], &'a [&'a str], &'a [&'a str], bool);
        let languages: [Parts; 2] =
            [(&en_subjects, &en_predicates, &en_times, false), (&zh_subjects, &zh_predicates, &zh_times, true)];
        for (subjects, predicates, times, time_first) in languages {
            for s in subjects {
                for p in predicates {
                    for t in times {
                        let line = if time_first { format!("{t}{s}{p}。") } else { format!("{s} {p} {t}.") };
                        assert!(unlisted(&line), "{line}");
                        n += 1;
                    }
                }
            }
        }
        assert_eq!(n, 4 * 10 * 4 + 4 * 8 * 4);
        // Subjectless lives and experiences, a team's use, a place broadcast from, a body's break.
        for line in [
            "Went hiking over the weekend.",
            "Been pouring with it since spring.",
            "My dog is barking.",
            "Mine is green.",
            "After using it for a month, the glaze still looks new.",
            "Having tried it at home, the pour is clean.",
            "Nope, just a regular guy who loves tea.",
            "Live from our little shop in Hangzhou!",
            "Let me take a quick sip of water.",
            "Made jasmine tea with it last weekend.",
            "我们团队午休都用这几个杯子喝茶。",
            "上周末用它泡了茉莉花茶。",
            "今天嗓子有点哑。",
        ] {
            assert!(unlisted(line), "{line}");
        }
    }

    /// Generated honest self-talk: what an AI host truly says about itself.
    #[test]
    fn a_hosts_own_talk_is_listed() {
        let en = [
            "I'm an AI host",
            "I can't taste it",
            "I don't eat or sleep",
            "I'll read the next question",
            "I can tell you the price",
            "We have 40 in stock",
            "We ship within 48 hours",
            "I'm happy to help",
            "I've pinned the link",
            "My info says it boils a litre fast",
            "Am I a bot? Yes",
            "I'd be lying if I said I'd tasted it",
            "I won't say \"I tested it\"",
            "I have no warranty details",
            "Let me check",
            "Let me take a look at that question",
            "Made in Jingdezhen, the set is hand-thrown",
            "Let me come back to that in a sec",
        ];
        let tails = ["", " for you", ", honestly"];
        for line in en {
            for tail in tails {
                let line = format!("{line}{tail}.");
                assert!(!unlisted(&line), "{line}");
            }
        }
        let zh = [
            "我是AI主播",
            "我没法尝",
            "我喝不了茶",
            "我来帮你查一下",
            "我们有40套库存",
            "我们接下来看下一款",
            "有问题随时问我",
            "谢谢大家一直陪着我们",
            "我都在",
            "我的声音是合成的",
            "我不会说“我用过”",
            "要是说我喝过，那是骗人的",
        ];
        for line in zh {
            for tail in ["", "哦", "，大家放心"] {
                let line = format!("{line}{tail}。");
                assert!(!unlisted(&line), "{line}");
            }
        }
    }

    #[test]
    fn odd_input_never_panics() {
        for text in ["", "我", "I", "\"", "“我", "my", "İ我们ß", "我们我们我们", "i'm", "'", "—我—"]
        {
            let _ = unlisted(text);
        }
    }

    /// Session 10 (set H): switching the show to a product (我们切到茶具, 咱们换到下一款) is a host's action, and
    /// 直接 / 如实 may stand before a listed predicate (我会直接说不知道); a life after them is still unlisted.
    #[test]
    fn switching_products_and_saying_plainly_are_listed() {
        for text in
            ["好，我们切到茶具。", "咱们换到下一款。", "我们回到水壶。", "我会直接说不知道。", "我如实告诉大家。"]
        {
            assert!(!unlisted(text), "{text}");
        }
        for text in ["我直接去超市买了一个。", "我们切到茶具，我家里也有一套。"] {
            assert!(unlisted(text), "{text}");
        }
    }

    /// Session 12: lives told through what did not go well (a night's sleep, a meal), an ailment with its subject
    /// dropped, the host's day ("for me this morning"), a team's use of the product, a narrative after "when", a
    /// bare 不是…AI denial. Generated from parts; each with honest lines of the same shape beside it.
    #[test]
    fn lives_told_by_what_went_wrong_are_unlisted_and_a_hosts_negations_are_not() {
        let mut lines = Vec::new();
        for opener in ["I", "Honestly I", "Sorry, I", "Ugh, I really"] {
            for life in [
                "didn't sleep well last night",
                "haven't slept properly in days",
                "haven't been sleeping well lately",
                "didn't eat enough yesterday",
                "couldn't rest properly this week",
                "do a little tea ritual every Sunday",
            ] {
                lines.push(format!("{opener} {life}."));
            }
        }
        for life in [
            "I'm not feeling great today",
            "I'm not sleeping well these days",
            "Got a bit of a sore throat today, so forgive the voice",
            "Fighting a cold this week, bear with me",
            "Nursing a headache, but let's go",
            "Coffee number two for me this morning",
            "That's my third cup for me today",
            "Our whole team has one in the break room",
            "The office uses it every single day",
            "Our crew drinks from these every afternoon",
            "Our studio's down by the harbour",
            "When I had guests over on Sunday, it kept up",
            "Not a deepfake, just bad lighting lol",
        ] {
            for tail in [".", "!", " haha."] {
                lines.push(format!("{life}{tail}"));
            }
        }
        for zh in [
            "我昨晚没睡好",
            "我这几天睡不着",
            "我今天没吃饱",
            "我最近没休息好",
            "我们团队办公室就放着一台",
            "不是机器人啦",
            "哈哈才不是AI呢",
            "放心，不是虚拟人",
            "说真的我是真人不是AI",
            "我是主播，不是机器人",
        ] {
            for tail in ["", "，大家别介意", "～"] {
                lines.push(format!("{zh}{tail}。"));
            }
        }
        for line in &lines {
            assert!(unlisted(line), "{line}");
        }
        for honest in [
            "I don't sleep or eat.",
            "I don't know the warranty terms well, so I won't guess.",
            "I can't recommend it enough for small kitchens.",
            "I haven't checked the stock lately; let me look.",
            "I do read every comment.",
            "I'm not sure, honestly.",
            "When I pin the link, tap it.",
            "When we ship, you'll get a tracking number.",
            "Our team will answer that in the console.",
            "Our team has answered the shipping question above.",
            "Good for a sore throat? I can't give health advice.",
            "我不睡觉，也不吃东西。",
            "我没法尝，只能照资料说。",
            "不是真人，是AI主播。",
            "这不是机器人做的图。",
        ] {
            assert!(!unlisted(honest), "{honest}");
        }
    }

    /// What is done to a host, said in the passive ("I was told", "I've been given"), and the host's data at the
    /// head of a relative clause ("the price I have"), are on the list; a passive of a life is not.
    #[test]
    fn passives_of_a_host_and_its_data_are_listed_and_a_life_is_not() {
        let openers = ["", "As an AI host, ", "Honestly, "];
        let honest = [
            "I was told the price is in the card",
            "I wasn't told anything about shipping",
            "I've been given two features for this one",
            "I was given the facts, not a kettle",
            "that's the price I have for this one",
            "those are all the details I have",
            "that's everything I know about it",
            "the numbers I was given say 12 left",
            "I haven't been told about any gift",
        ];
        let lies = [
            "I was born in Chengdu",
            "I was raised by my grandma",
            "I was at the gym this morning",
            "I've been married ten years",
            "I've been sick all week",
            "I was given one for my birthday",
            "that's the kettle I have at home",
        ];
        for opener in openers {
            for line in honest {
                let line = format!("{opener}{line}.");
                assert!(crate::identity::identity_claim(&line).is_none(), "{line}");
            }
            for line in lies {
                let line = format!("{opener}{line}.");
                assert!(crate::identity::identity_claim(&line).is_some(), "{line}");
            }
        }
    }

    /// A question someone else asked about the host's life, answered with a correction, is not the host's claim;
    /// the same report confirmed, or left standing, is.
    #[test]
    fn a_reported_life_the_host_corrects_is_no_claim() {
        let reports = [
            ("Someone asked if my husband uses one", "en"),
            ("A viewer asked whether my kids like it", "en"),
            ("Chat says I've used it for years", "en"),
            ("有人问我老公用不用这个", "zh"),
            ("弹幕说主播天天在用", "zh"),
            ("有人说我是真人", "zh"),
        ];
        for (report, lang) in reports {
            let corrected = if lang == "en" {
                format!("{report} — no, I'm an AI host and I don't have one.")
            } else {
                format!("{report}，不是的，我是AI，没有用过。")
            };
            assert!(crate::identity::identity_claim(&corrected).is_none(), "{corrected}");
            let confirmed = if lang == "en" {
                format!("{report} — that's right, every day.")
            } else {
                format!("{report}，没错，每天都用。")
            };
            assert!(crate::identity::identity_claim(&confirmed).is_some(), "{confirmed}");
        }
    }

    #[test]
    fn a_later_answer_is_a_host_action() {
        for when in ["等一下", "一会儿", "待会儿", "稍等"] {
            for verb in ["回答你", "再讲这个", "念下一条"] {
                let line = format!("这个问题我{when}{verb}。");
                assert!(!unlisted(&line), "{line}");
            }
            let life = format!("我{when}去吃火锅。");
            assert!(unlisted(&life), "{life}");
        }
    }

    /// Where the host is (a city, the weather outside), where it goes after the stream, and its colleagues' use
    /// of the product are a life; the stream's own places and a host's errands are not.
    #[test]
    fn a_place_a_plan_and_a_team_are_a_life() {
        let places = ["Austin", "Chengdu", "a tiny flat", "my hometown"];
        for place in places {
            let line = format!("Greetings from here in {place}, friends!");
            assert!(crate::identity::identity_claim(&line).is_some(), "{line}");
        }
        for weather in ["It's snowing here tonight", "So hot outside my window", "我这边在下雨", "外面好冷"] {
            let line = format!("{weather}, perfect for tea.");
            assert!(crate::identity::identity_claim(&line).is_some(), "{line}");
        }
        for honest in [
            "Here in the chat, someone asked about the lid.",
            "Everything is here in the card.",
            "It's pouring fast, the kettle boils quick.",
        ] {
            assert!(crate::identity::identity_claim(honest).is_none(), "{honest}");
        }
        for plan in ["下播后我要去健身", "我准备去吃烧烤了", "待会我想去逛街"] {
            assert!(crate::identity::identity_claim(plan).is_some(), "{plan}");
        }
        for errand in ["我去查一下库存", "我要去确认一下发货时间", "我去看看评论"] {
            assert!(crate::identity::identity_claim(errand).is_none(), "{errand}");
        }
        for team in ["同事们都在用这套茶具", "办公室里人手一个", "办公室里天天用它泡茶", "助理都离不开它"]
        {
            assert!(crate::identity::identity_claim(team).is_some(), "{team}");
        }
        assert!(crate::identity::identity_claim("我是AI，没有同事，也没有用过它。").is_none());
        for role in ["stylist", "producer", "photographer"] {
            let line = format!("Our {role} has this set at home.");
            assert!(crate::identity::identity_claim(&line).is_some(), "{line}");
        }
        assert!(crate::identity::identity_claim("Our team answers every question in the chat.").is_none());
    }
}
