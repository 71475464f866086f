//! Written Cantonese read as Mandarin, for the checks whose word lists are written in Mandarin: the care triage
//! (唔想再撐落去 is 不想再撑下去) and the gate's identity rules (我係AI，冇手冇腳 is 我是AI，没有手没有脚).
//!
//! Only a comment or a sentence with a character that written Cantonese uses and Mandarin does not is read this
//! way, so 食品 or 饮料 in Mandarin keep their meaning.

/// Characters that written Cantonese uses and written Mandarin does not (in their simplified forms, as the
/// readings hold them): one is enough to read the comment as Cantonese too.
const CANTONESE_MARKS: &[char] = &[
    '唔', '嘅', '冇', '喺', '佢', '搵', '揾', '咩', '嚟', '咗', '啲', '哋', '嗰', '啱', '攰', '畀', '睇', '瞓', '嘢',
    '乜', '咁', '冚', '攞', '諗', '谂', '嬲', '痕', '㗎', '喇', '噉',
];

pub fn is_cantonese(text: &str) -> bool {
    text.contains(CANTONESE_MARKS)
}

/// The comment in simplified characters, as the lists are written (藥 reads as 药). In a Cantonese comment 係 is
/// the verb "to be" (我係, 唔係) and is read as 是 before it is folded, since the fold would make it 系; 關係
/// ("relation") keeps its meaning.
pub fn simplified_reading(normalized: &str) -> String {
    let source = if normalized.contains('係') && is_cantonese(normalized) {
        normalized.replace("關係", "关系").replace('係', "是")
    } else {
        normalized.to_string()
    };
    source.chars().map(crate::hanzi::simplified).collect()
}

/// Cantonese words and the Mandarin the lists are written in, longest first (a word inside a longer one comes
/// after it: 成樽 before 樽). Applied only to a comment with a Cantonese mark, so 食 or 饮 in a Mandarin comment
/// (食品, 饮料) keep their meaning.
const CANTONESE: &[(&str, &str)] = &[
    ("呢個", "这个"),
    ("呢个", "这个"),
    ("呢度", "这里"),
    ("呢啲", "这些"),
    ("呢些", "这些"),
    ("呢套", "这套"),
    ("呢部", "这部"),
    ("呢件", "这件"),
    ("真人嚟㗎", "我是真人"),
    ("真人嚟嘎", "我是真人"),
    ("真人嚟", "我是真人"),
    ("嚟㗎", ""),
    ("嚟嘎", ""),
    ("㗎", ""),
    ("點樣", "怎么"),
    ("点样", "怎么"),
    ("點算", "怎么办"),
    ("点算", "怎么办"),
    ("點解", "为什么"),
    ("点解", "为什么"),
    ("落去", "下去"),
    ("唔該", "请"),
    ("唔该", "请"),
    ("唔應該", "不应该"),
    ("唔应该", "不应该"),
    ("出世", "出生"),
    ("唔喺度", "不在这里"),
    ("喺度", "在这里"),
    ("透唔到气", "喘不过气"),
    ("透唔到", "喘不过"),
    ("顶唔顺", "撑不住"),
    ("心口", "胸口"),
    ("唔识睇", "看不懂"),
    ("讲多一次", "再说一次"),
    ("讲多次", "再说一次"),
    ("瞓晒", "都睡了"),
    ("由窗口", "从窗口"),
    // 唔好 before a verb is "don't" (唔好搵我); before a noun or alone it is "not good" (耳朵唔好).
    ("唔好搵", "不要找"),
    ("唔好揾", "不要找"),
    ("唔好理", "不要理"),
    ("唔好再", "不要再"),
    ("唔好怪", "不要怪"),
    ("唔好话", "不要说"),
    ("唔好同", "不要跟"),
    ("唔", "不"),
    // 喇 is the particle 了 (頂唔順喇), except in 喇叭 (a loudspeaker), which is read as itself first.
    ("喇叭", "喇叭"),
    ("喇", "了"),
    ("嘅", "的"),
    ("未有", "没有"),
    ("未交", "没交"),
    ("未俾", "没给"),
    ("未畀", "没给"),
    ("冇", "没有"),
    ("喺", "在"),
    ("佢哋", "他们"),
    ("我哋", "我们"),
    ("你哋", "你们"),
    ("哋", "们"),
    ("佢", "他"),
    ("搵", "找"),
    ("揾", "找"),
    ("乜嘢", "什么"),
    ("咩", "什么"),
    ("嚟", "来"),
    ("個掣", "个按钮"),
    ("个掣", "个按钮"),
    ("而家", "现在"),
    ("啱啱", "刚刚"),
    ("屋企", "家"),
    ("過數", "转账"),
    ("过数", "转账"),
    ("戶口", "账户"),
    ("户口", "账户"),
    ("成樽", "一整瓶"),
    ("成瓶", "一整瓶"),
    ("成排", "一整板"),
    ("成板", "一整板"),
    ("成盒", "一整盒"),
    ("成包", "一整包"),
    ("個仔", "儿子"),
    ("个仔", "儿子"),
    ("個女", "女儿"),
    ("个女", "女儿"),
    ("細路", "小孩"),
    ("细路", "小孩"),
    ("媽咪", "妈妈"),
    ("妈咪", "妈妈"),
    ("爹哋", "爸爸"),
    ("爹地", "爸爸"),
    ("老豆", "爸爸"),
    ("老竇", "爸爸"),
    ("張卡", "的卡"),
    ("张卡", "的卡"),
    ("扮", "假装"),
    ("一齊", "一起"),
    ("一齐", "一起"),
    ("咗", "了"),
    ("啲", "些"),
    ("飲", "喝"),
    ("饮", "喝"),
    ("食", "吃"),
    ("睇", "看"),
    ("俾", "给"),
    ("畀", "给"),
    ("攞", "拿"),
    ("瞓", "睡"),
    ("諗", "想"),
    ("谂", "想"),
    ("嗰", "那"),
    ("攰", "累"),
    ("捱", "撑"),
    ("痕", "痒"),
    ("嬲", "生气"),
];

/// `text` (already in simplified characters) with its Cantonese words replaced by Mandarin ones.
pub fn as_mandarin(text: &str) -> String {
    CANTONESE.iter().fold(text.to_string(), |t, (yue, cmn)| t.replace(yue, cmn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cantonese_reads_as_mandarin_and_mandarin_is_left_alone() {
        let read = |t: &str| as_mandarin(&simplified_reading(t));
        assert!(is_cantonese("我係AI嚟㗎"));
        assert_eq!(read("我係AI嚟㗎，冇手冇腳"), "我是AI，没有手没有脚");
        assert_eq!(read("唔想再撐落去"), "不想再撑下去");
        assert_eq!(read("呢個煲幾錢"), "这个煲几钱");
        // 關係 keeps its meaning; Mandarin without a Cantonese mark is not read as Cantonese at all.
        assert_eq!(read("佢同我冇關係"), "他同我没有关系");
        assert!(!is_cantonese("食品饮料都有"));
        assert_eq!(simplified_reading("關係"), "关系");
    }
}
