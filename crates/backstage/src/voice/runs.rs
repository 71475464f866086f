//! Language runs: where a line switches between Chinese and English, so each part is spoken by its own voice.

use model::Lang;

/// Which language a character asks for: Chinese characters and full-width punctuation for Mandarin, Latin letters
/// for English; `None` for digits, spaces and ASCII punctuation, which go with the run they are in.
fn wants(c: char) -> Option<Lang> {
    match c as u32 {
        0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FFFF => Some(Lang::Zh),
        _ if c.is_ascii_alphabetic() => Some(Lang::En),
        // Latin letters with accents (café, Über) are read by the English voice too.
        _ if c.is_alphabetic() && (c as u32) < 0x0250 => Some(Lang::En),
        _ => None,
    }
}

/// `text` cut where it changes language, each piece with the language to speak it in, in order; pieces with
/// nothing to say (spaces, a lone dash) are left out. A line in one language is one run in `lang`.
///
/// One Latin letter inside Chinese ("A款", "T恤") stays with the Chinese: the Mandarin voice says a letter name
/// well enough, and cutting the word in two would break its rhythm. Two or more letters (a brand, "AI") go to the
/// English voice.
pub fn language_runs(text: &str, lang: Lang) -> Vec<(Lang, &str)> {
    // First pass: a language per character, neutral characters taking the language of the run they are in.
    let mut cuts: Vec<(usize, Lang)> = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let Some(mut want) = wants(c) else {
            i += 1;
            continue;
        };
        // A Latin word's length decides whether it leaves a Chinese run.
        let mut end = i;
        if want == Lang::En {
            while end + 1 < chars.len() && wants(chars[end + 1].1) == Some(Lang::En) {
                end += 1;
            }
            let letters = end - i + 1;
            let current = cuts.last().map_or(lang, |&(_, l)| l);
            if letters == 1 && current == Lang::Zh {
                want = Lang::Zh;
            }
        }
        if cuts.last().map(|&(_, l)| l) != Some(want) {
            // Neutral characters before the switch (a space, a number) stay with the run before, unless the line
            // starts here.
            cuts.push((if cuts.is_empty() { 0 } else { at }, want));
        }
        i = end + 1;
    }
    if cuts.is_empty() {
        return if text.trim().is_empty() { Vec::new() } else { vec![(lang, text)] };
    }
    let mut runs = Vec::new();
    for (k, &(start, run_lang)) in cuts.iter().enumerate() {
        let end = cuts.get(k + 1).map_or(text.len(), |&(next, _)| next);
        let piece = text[start..end].trim();
        if piece.chars().any(|c| wants(c).is_some() || c.is_ascii_digit()) {
            runs.push((run_lang, piece));
        }
    }
    if runs.is_empty() { vec![(lang, text)] } else { runs }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_language_is_one_run() {
        assert_eq!(
            language_runs("Next up: the kettle, only $30.", Lang::En),
            [(Lang::En, "Next up: the kettle, only $30.")]
        );
        assert_eq!(language_runs("这套茶具今天只要199元。", Lang::Zh), [(Lang::Zh, "这套茶具今天只要199元。")]);
        assert_eq!(language_runs("  ", Lang::En), Vec::<(Lang, &str)>::new());
        assert_eq!(language_runs("199", Lang::Zh), [(Lang::Zh, "199")]);
    }

    #[test]
    fn a_chinese_title_in_an_english_line_and_a_brand_in_a_chinese_line_get_their_own_voice() {
        assert_eq!(
            language_runs("Next up: 暖光阅读台灯. It is bright.", Lang::En),
            [(Lang::En, "Next up:"), (Lang::Zh, "暖光阅读台灯."), (Lang::En, "It is bright.")]
        );
        assert_eq!(
            language_runs("今天的 Copper Kettle 只要六十四块五。", Lang::Zh),
            [(Lang::Zh, "今天的"), (Lang::En, "Copper Kettle"), (Lang::Zh, "只要六十四块五。")]
        );
        // One letter stays in the Chinese run; "AI" is a word.
        assert_eq!(language_runs("这件T恤很软。", Lang::Zh), [(Lang::Zh, "这件T恤很软。")]);
        assert_eq!(
            language_runs("我是AI主播。", Lang::Zh),
            [(Lang::Zh, "我是"), (Lang::En, "AI"), (Lang::Zh, "主播。")]
        );
    }

    /// Generated mixes: every letter and every Chinese character is spoken exactly once, by the right voice.
    #[test]
    fn every_character_is_spoken_once_by_the_voice_of_its_script() {
        let zh = ["茶具", "台灯", "围巾", "今天", "只要", "包邮"];
        let en = ["kettle", "Copper", "lamp", "AI", "Merino", "set"];
        let mut seed = 3u64;
        let mut roll = |n: usize| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) as usize % n
        };
        for _ in 0..500 {
            let mut line = String::new();
            for _ in 0..1 + roll(6) {
                match roll(4) {
                    0 | 1 => line.push_str(zh[roll(zh.len())]),
                    2 => line.push_str(&format!(" {} ", en[roll(en.len())])),
                    _ => line.push_str([", ", "，", " 99 ", "。"][roll(4)]),
                }
            }
            let lang = if roll(2) == 0 { Lang::En } else { Lang::Zh };
            let runs = language_runs(&line, lang);
            let spoken: String = runs.iter().map(|(_, r)| *r).collect();
            let letters = |s: &str| s.chars().filter(|c| wants(*c).is_some()).collect::<String>();
            assert_eq!(letters(&spoken), letters(&line), "{line:?} -> {runs:?}");
            for (run_lang, run) in &runs {
                for c in run.chars() {
                    if let Some(want) = wants(c) {
                        assert_eq!(want, *run_lang, "{c:?} in {run:?} of {line:?}");
                    }
                }
            }
            assert!(runs.windows(2).all(|w| w[0].0 != w[1].0), "runs alternate: {runs:?}");
        }
    }
}
