//! Copy lint: words a merchandiser's or writer's text must not use on air, with the rule each one breaks.
//!
//! China's Advertising Law (article 9, item 3) bans absolute terms such as 最佳, 第一, 国家级 and 顶级; medical
//! or cure claims for ordinary goods mislead (Advertising Law articles 16 and 17; the FTC Act in the US); and
//! "guaranteed" or "risk-free" promise more than a product's stated guarantee. Product files get these as
//! warnings; the guard (later) uses the same list on every sentence before it is said.

/// Why a word is flagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// 广告法第九条第三项: 不得使用"国家级"、"最高级"、"最佳"等用语.
    AbsoluteTerm,
    /// Health, cure or medical effect claimed for goods that are not medicine.
    MedicalClaim,
    /// An unconditional promise ("guaranteed", "risk-free", "无效退款") beyond the product's stated guarantee.
    AbsolutePromise,
}

impl Rule {
    pub fn citation(self) -> &'static str {
        match self {
            Rule::AbsoluteTerm => "Advertising Law art. 9(3): no absolute terms (最佳, 第一, 国家级, 顶级 ...)",
            Rule::MedicalClaim => "no medical or cure claims for goods that are not medicine (Advertising Law art. 17)",
            Rule::AbsolutePromise => "no unconditional promises beyond the product's stated guarantee",
        }
    }
}

/// One flagged word in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintHit {
    pub rule: Rule,
    pub word: String,
    /// Byte offset of the word in the text.
    pub offset: usize,
}

/// Chinese terms, matched as substrings. "最" alone is too common (最近, 最后) so only its superlative
/// compounds are listed.
const ZH_TERMS: &[(&str, Rule)] = &[
    ("最佳", Rule::AbsoluteTerm),
    ("最好", Rule::AbsoluteTerm),
    ("最优", Rule::AbsoluteTerm),
    ("最强", Rule::AbsoluteTerm),
    ("最低价", Rule::AbsoluteTerm),
    ("最便宜", Rule::AbsoluteTerm),
    ("最高级", Rule::AbsoluteTerm),
    ("最先进", Rule::AbsoluteTerm),
    ("最受欢迎", Rule::AbsoluteTerm),
    ("第一", Rule::AbsoluteTerm),
    ("唯一", Rule::AbsoluteTerm),
    ("首个", Rule::AbsoluteTerm),
    ("首选", Rule::AbsoluteTerm),
    ("国家级", Rule::AbsoluteTerm),
    ("世界级", Rule::AbsoluteTerm),
    ("顶级", Rule::AbsoluteTerm),
    ("极品", Rule::AbsoluteTerm),
    ("极致", Rule::AbsoluteTerm),
    ("绝对", Rule::AbsoluteTerm),
    ("万能", Rule::AbsoluteTerm),
    ("全网最低", Rule::AbsoluteTerm),
    ("史上最", Rule::AbsoluteTerm),
    ("治疗", Rule::MedicalClaim),
    ("治愈", Rule::MedicalClaim),
    ("根治", Rule::MedicalClaim),
    ("药到病除", Rule::MedicalClaim),
    ("抗癌", Rule::MedicalClaim),
    ("降血压", Rule::MedicalClaim),
    ("降血糖", Rule::MedicalClaim),
    ("包治", Rule::MedicalClaim),
    ("无效退款", Rule::AbsolutePromise),
    ("零风险", Rule::AbsolutePromise),
    ("百分百有效", Rule::AbsolutePromise),
];

/// English terms, matched as whole words (case-insensitive).
const EN_TERMS: &[(&str, Rule)] = &[
    ("best ever", Rule::AbsoluteTerm),
    ("number one", Rule::AbsoluteTerm),
    ("#1", Rule::AbsoluteTerm),
    ("world's best", Rule::AbsoluteTerm),
    ("cheapest", Rule::AbsoluteTerm),
    ("cure", Rule::MedicalClaim),
    ("cures", Rule::MedicalClaim),
    ("heals", Rule::MedicalClaim),
    ("treats", Rule::MedicalClaim),
    ("prevents cancer", Rule::MedicalClaim),
    ("miracle", Rule::MedicalClaim),
    ("guaranteed", Rule::AbsolutePromise),
    ("guarantee results", Rule::AbsolutePromise),
    ("risk-free", Rule::AbsolutePromise),
    ("risk free", Rule::AbsolutePromise),
    ("100% safe", Rule::AbsolutePromise),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '#'
}

/// Every flagged term in `text`, in order of appearance.
///
/// English terms are matched case-insensitively on the text itself, character by character, never on a
/// lower-cased copy: lower-casing changes byte lengths for some letters ('İ' grows, 'ẞ' shrinks), so offsets from a
/// copy can fall inside a character of the original.
pub fn lint(text: &str) -> Vec<LintHit> {
    let mut hits = Vec::new();
    for (term, rule) in ZH_TERMS {
        for (offset, _) in text.match_indices(term) {
            // 第一步, 第一次, 第一个问题, 第一时间: counting the host's own talk, not ranking the product.
            let next = text[offset + term.len()..].chars().next();
            if *term == "第一" && next.is_some_and(|c| "步次个说天时眼条件位句点".contains(c)) {
                continue;
            }
            hits.push(LintHit { rule: *rule, word: term.to_string(), offset });
        }
    }
    for (offset, _) in text.char_indices() {
        let before = text[..offset].chars().next_back();
        if before.is_some_and(is_word_char) {
            continue;
        }
        for (term, rule) in EN_TERMS {
            let Some(end) = match_ignoring_ascii_case(text, offset, term) else { continue };
            let after = text[end..].chars().next();
            // "Number one question in chat": an ordinal of the host's own talk.
            let ordinal = *term == "number one"
                && ["question", "tip", "step", "thing"]
                    .iter()
                    .any(|w| text[end..].trim_start().to_ascii_lowercase().starts_with(w));
            if !after.is_some_and(is_word_char) && !ordinal {
                hits.push(LintHit { rule: *rule, word: text[offset..end].to_string(), offset });
            }
        }
    }
    hits.sort_by_key(|h| h.offset);
    hits
}

/// The end of `term` (ASCII, lower case) in `text` at byte `at`, compared without regard to ASCII case. A
/// non-ASCII character never equals an ASCII one, so the end always falls on a character boundary.
fn match_ignoring_ascii_case(text: &str, at: usize, term: &str) -> Option<usize> {
    let candidate = text.as_bytes().get(at..at + term.len())?;
    candidate.eq_ignore_ascii_case(term.as_bytes()).then_some(at + term.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_absolute_terms_and_medical_claims_in_chinese() {
        let hits = lint("全网最低价，国家级工艺，还能治疗失眠");
        let words: Vec<&str> = hits.iter().map(|h| h.word.as_str()).collect();
        assert!(words.contains(&"全网最低") && words.contains(&"国家级") && words.contains(&"治疗"), "{words:?}");
        assert!(hits.iter().any(|h| h.rule == Rule::MedicalClaim));
    }

    #[test]
    fn case_changing_letters_neither_panic_nor_shift_offsets() {
        // 'İ' lower-cases to two characters and 'ẞ' to a shorter one: offsets into a lower-cased copy would land
        // inside the euro signs here.
        let text = "İ €guaranteed€ ẞ";
        let hits = lint(text);
        assert_eq!(hits.len(), 1, "{hits:?}");
        assert_eq!(&text[hits[0].offset..hits[0].offset + hits[0].word.len()], "guaranteed");
        for text in ["ẞİ CURE İİ", "İİİ RISK-FREE", "ǅ Number One ǅ", "\u{130}cure", "€guaranteed€"] {
            for hit in lint(text) {
                assert!(text.is_char_boundary(hit.offset), "{text}: {hit:?}");
                assert!(text[hit.offset..].to_lowercase().starts_with(&hit.word.to_lowercase()), "{text}: {hit:?}");
            }
        }
    }

    #[test]
    fn leaves_ordinary_words_alone() {
        assert!(lint("最近上新的茶具，最后几件。").is_empty());
        assert!(lint("Secure checkout; the curator picked it.").is_empty());
        assert!(lint("百分之百美利奴羊毛").is_empty());
    }

    #[test]
    fn flags_english_promises_as_whole_words() {
        let hits = lint("Guaranteed to cure back pain, risk-free!");
        let rules: Vec<Rule> = hits.iter().map(|h| h.rule).collect();
        assert_eq!(rules, vec![Rule::AbsolutePromise, Rule::MedicalClaim, Rule::AbsolutePromise]);
        assert_eq!(hits[0].word, "Guaranteed");
    }
}
