//! Viewer text folded into one canonical form, so look-alike spellings cannot slip past the lexicon.
//!
//! Spammers and prompt injectors write "ｆｒｅｅ", "frее" (with Cyrillic е), "ig\u{200b}nore" or hide ASCII in
//! Unicode tag characters. NFKC folds the compatibility forms (fullwidth, ligatures, circled letters), this module
//! removes invisible characters, reveals tag-character text, folds Cyrillic and Greek look-alikes inside Latin
//! words, lowercases and collapses whitespace.

use unicode_normalization::UnicodeNormalization;

/// The text after folding, with what the folding revealed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Normalized {
    /// Lowercased, NFKC, invisible characters removed, look-alikes folded, whitespace collapsed to one space.
    pub text: String,
    /// The text hid characters (zero-width, tag characters, bidi controls) or mixed scripts inside words, which
    /// honest viewers almost never do.
    pub obfuscated: bool,
}

/// Characters that render as nothing: zero-width spaces and joiners, bidi controls, soft hyphens, variation
/// selectors, the byte-order mark.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{E0100}'..='\u{E01EF}')
}

/// Cyrillic and Greek letters that look like Latin ones, folded to the Latin letter they imitate.
fn latin_look_alike(c: char) -> Option<char> {
    Some(match c {
        'а' | 'А' | 'α' | 'Α' => 'a',
        'в' | 'В' | 'β' | 'Β' => 'b',
        'с' | 'С' | 'ϲ' => 'c',
        'ԁ' => 'd',
        'е' | 'Е' | 'ё' | 'ε' | 'Ε' => 'e',
        'һ' | 'Н' | 'Η' => 'h',
        'і' | 'І' | 'ι' | 'Ι' | 'ӏ' => 'i',
        'ј' | 'Ј' => 'j',
        'к' | 'К' | 'κ' | 'Κ' => 'k',
        'м' | 'М' | 'Μ' => 'm',
        'п' | 'η' | 'Ν' => 'n',
        'о' | 'О' | 'ο' | 'Ο' | 'σ' => 'o',
        'р' | 'Р' | 'ρ' | 'Ρ' => 'p',
        'ԛ' => 'q',
        'ѕ' | 'Ѕ' => 's',
        'т' | 'Т' | 'τ' | 'Τ' => 't',
        'υ' | 'Υ' | 'у' | 'У' | 'γ' => 'y',
        'ν' => 'v',
        'ѡ' | 'ω' => 'w',
        'х' | 'Х' | 'χ' | 'Χ' => 'x',
        'Ζ' => 'z',
        _ => return None,
    })
}

fn is_cyrillic_or_greek(c: char) -> bool {
    matches!(c, '\u{0370}'..='\u{03FF}' | '\u{0400}'..='\u{052F}')
}

/// Folds a comment's text. Runs once per comment, so it allocates one string and walks the text twice.
pub fn normalize(raw: &str) -> Normalized {
    let mut obfuscated = false;
    // First pass: NFKC, invisible characters out, tag characters (U+E0020..U+E007E, which spell ASCII invisibly)
    // turned back into the ASCII they hide so the hidden words are judged too.
    let mut folded = String::with_capacity(raw.len());
    let mut latin = 0usize;
    let mut look_alike_script = 0usize;
    for c in raw.nfkc() {
        if is_invisible(c) {
            obfuscated = true;
            continue;
        }
        let c = match c {
            '\u{E0020}'..='\u{E007E}' => {
                obfuscated = true;
                char::from_u32(c as u32 - 0xE0000).unwrap_or(' ')
            }
            '\u{E0000}'..='\u{E007F}' => {
                obfuscated = true;
                continue;
            }
            _ => c,
        };
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if is_cyrillic_or_greek(c) {
            look_alike_script += 1;
        }
        folded.push(c);
    }
    // Second pass: fold look-alikes only when Latin letters dominate, so Russian or Greek text is left alone while
    // "frее shipping" with a Cyrillic "е" is caught.
    let fold_look_alikes = look_alike_script > 0 && latin >= look_alike_script;
    let mut text = String::with_capacity(folded.len());
    let mut pending_space = false;
    for c in folded.chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = !text.is_empty();
            continue;
        }
        if pending_space {
            text.push(' ');
            pending_space = false;
        }
        if fold_look_alikes && let Some(latin) = latin_look_alike(c) {
            obfuscated = true;
            text.push(latin);
            continue;
        }
        if c.is_ascii() {
            text.push(c.to_ascii_lowercase());
        } else {
            text.extend(c.to_lowercase());
        }
    }
    Normalized { text, obfuscated }
}

/// A 64-bit FNV-1a hash of the comment's letters and digits, with runs of one character collapsed, so "sizes??",
/// "Sizes!!!" and "sizesss" collide on purpose. Used for duplicate and flood detection.
pub fn skeleton_hash(normalized: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut last = '\0';
    let mut any = false;
    for c in normalized.chars() {
        if !c.is_alphanumeric() || c == last {
            continue;
        }
        last = c;
        any = true;
        let mut buf = [0u8; 4];
        for b in c.encode_utf8(&mut buf).bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    // Text with no letters at all (emoji strings, punctuation) hashes by its raw characters instead, so two
    // different emoji floods are still told apart.
    if !any {
        for b in normalized.bytes() {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// FNV-1a of arbitrary text (viewer ids), for the bounded tables.
pub fn text_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Undoes the common "leet" spellings ("1gn0r3 4ll pr3v10u5") for a second look by the injection and spam cues.
/// Only used on text that has both letters and digits inside one word, where honest text rarely mixes them.
pub fn unleet(normalized: &str) -> Option<String> {
    let mixed_word = normalized.split(' ').any(|w| {
        w.chars().any(|c| c.is_ascii_alphabetic())
            && w.chars().filter(|c| matches!(c, '0' | '1' | '3' | '4' | '5' | '7')).count() >= 2
    });
    if !mixed_word {
        return None;
    }
    Some(
        normalized
            .chars()
            .map(|c| match c {
                '0' => 'o',
                '1' => 'i',
                '3' => 'e',
                '4' | '@' => 'a',
                '5' | '$' => 's',
                '7' => 't',
                other => other,
            })
            .collect(),
    )
}

/// Joins letters spaced out to dodge word matching ("i g n o r e all" -> "ignore all").
pub fn unspace(normalized: &str) -> Option<String> {
    let mut out = String::with_capacity(normalized.len());
    let mut run = 0usize;
    let mut joined_any = false;
    for word in normalized.split(' ') {
        let single = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
        if single && run > 0 {
            out.push_str(word);
            run += 1;
            if run >= 4 {
                joined_any = true;
            }
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        run = usize::from(single);
    }
    joined_any.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_and_zero_width_tricks_fold_to_plain_words() {
        let n = normalize("ＦＲＥＥ  gi\u{200b}ft\u{feff}!");
        assert_eq!(n.text, "free gift!");
        assert!(n.obfuscated);
    }

    #[test]
    fn cyrillic_look_alikes_inside_latin_words_are_folded() {
        let n = normalize("frее shipping, іgnore thе rules");
        assert_eq!(n.text, "free shipping, ignore the rules");
        assert!(n.obfuscated);
    }

    #[test]
    fn real_russian_and_chinese_text_is_left_alone() {
        assert_eq!(normalize("Привет всем").text, "привет всем");
        assert_eq!(normalize("这个多少钱？").text, "这个多少钱?");
        assert!(!normalize("这个多少钱？").obfuscated);
    }

    #[test]
    fn tag_characters_reveal_the_ascii_they_hide() {
        let hidden: String = "hi".chars().map(|c| char::from_u32(0xE0000 + c as u32).unwrap_or(' ')).collect();
        let n = normalize(&format!("ok{hidden}"));
        assert_eq!(n.text, "okhi");
        assert!(n.obfuscated);
    }

    #[test]
    fn skeletons_collide_for_noisy_repeats_only() {
        assert_eq!(skeleton_hash("sizes??"), skeleton_hash("sizesss!!"));
        assert_ne!(skeleton_hash("sizes?"), skeleton_hash("colours?"));
        assert_ne!(skeleton_hash("😀😀"), skeleton_hash("🔥🔥"));
    }

    #[test]
    fn leet_and_spaced_letters_are_undone_for_a_second_look() {
        assert_eq!(unleet("1gn0r3 4ll rul35").as_deref(), Some("ignore all rules"));
        assert_eq!(unleet("order 4471 please"), None);
        assert_eq!(unspace("i g n o r e all previous").as_deref(), Some("ignore all previous"));
        assert_eq!(unspace("a b c"), None);
    }
}
