//! Which language a comment is written in: Chinese, English or something else (`None`).
//!
//! Scripts decide most cases (Han characters mean Chinese unless kana or hangul say Japanese or Korean); for Latin
//! text a handful of function words tell English from the European languages viewers also write in.

use model::Lang;

/// The comment's language from its normalised text; `None` for other languages and for text with no words
/// (emoji, numbers).
pub fn detect(text: &str) -> Option<Lang> {
    let (mut han, mut kana, mut hangul, mut latin, mut accented, mut other) = (0usize, 0usize, 0usize, 0usize, 0, 0);
    for c in text.chars() {
        match c {
            'a'..='z' | 'A'..='Z' => latin += 1,
            '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' => han += 1,
            '\u{3040}'..='\u{30FF}' => kana += 1,
            '\u{AC00}'..='\u{D7AF}' | '\u{1100}'..='\u{11FF}' => hangul += 1,
            '\u{00C0}'..='\u{024F}' => accented += 1,
            c if c.is_alphabetic() => other += 1,
            _ => {}
        }
    }
    if kana > 0 || hangul > han {
        return None;
    }
    // Chinese comments often carry Latin brand names ("iPhone 多少钱"); Han characters carry more meaning each.
    if han > 0 && han * 3 >= latin {
        return Some(Lang::Zh);
    }
    if latin + accented == 0 || other > latin {
        return None;
    }
    let (mut english, mut foreign) = (0usize, 0usize);
    for word in text.split(|c: char| !c.is_alphabetic() && c != '\'') {
        if is_english_function_word(word) {
            english += 1;
        } else if is_european_function_word(word) {
            foreign += 1;
        }
    }
    if foreign > english || (accented * 8 > latin && english == 0) {
        return None;
    }
    Some(Lang::En)
}

fn is_english_function_word(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "an"
            | "is"
            | "are"
            | "was"
            | "and"
            | "or"
            | "of"
            | "to"
            | "in"
            | "on"
            | "it"
            | "this"
            | "that"
            | "you"
            | "i"
            | "my"
            | "your"
            | "what"
            | "how"
            | "do"
            | "does"
            | "can"
            | "for"
            | "with"
            | "have"
            | "be"
            | "me"
            | "we"
            | "they"
            | "so"
            | "not"
            | "no"
            | "yes"
            | "at"
            | "from"
            | "will"
            | "would"
            | "much"
    )
}

/// German, French, Spanish and Italian words that English does not use.
fn is_european_function_word(word: &str) -> bool {
    matches!(
        word,
        "der"
            | "die"
            | "das"
            | "und"
            | "ist"
            | "nicht"
            | "ich"
            | "mit"
            | "sie"
            | "ein"
            | "eine"
            | "le"
            | "la"
            | "les"
            | "et"
            | "est"
            | "une"
            | "des"
            | "vous"
            | "pas"
            | "je"
            | "el"
            | "los"
            | "las"
            | "y"
            | "es"
            | "por"
            | "para"
            | "una"
            | "il"
            | "di"
            | "che"
            | "non"
            | "per"
            | "sono"
            | "del"
            | "della"
            | "mi"
            | "tu"
            | "du"
            | "wie"
            | "qué"
            | "cómo"
            | "où"
            | "warum"
            | "perché"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_function_words_tell_languages_apart() {
        assert_eq!(detect("这个多少钱?"), Some(Lang::Zh));
        assert_eq!(detect("iphone 多少钱"), Some(Lang::Zh));
        assert_eq!(detect("how much is the blue one?"), Some(Lang::En));
        assert_eq!(detect("kappa"), Some(Lang::En));
        assert_eq!(detect("ボルガ博士お許しください"), None);
        assert_eq!(detect("wie viel kostet das?"), None);
        assert_eq!(detect("¿cuánto cuesta la camiseta?"), None);
        assert_eq!(detect("😂😂 666"), None);
    }
}
