//! Caption pages: a line too long for the caption panel is shown a few lines at a time, each part while it is
//! being said, instead of spilling out of the panel.
//!
//! The panel's size comes from the scene (its rectangle and the caption text size); how many text lines it holds
//! and how wide they are is worked out here. Widths are estimated per character from the caption face's widest
//! glyphs of each kind (see [`caption_ems`]) and lines are filled to 90%, so the renderer's own wrapping needs no
//! more lines than a page was given; a render test checks real layouts of worst cases. Should an estimate still
//! fall short, the panel clips the last line rather than let it spill over the host.

use crate::layout::FrameSize;
use model::Scene;

/// What one caption page may hold: lines of at most `line_ems` (widths in ems of the caption text), `lines` of
/// them.
#[derive(bevy::prelude::Component, Clone, Copy, Debug, PartialEq)]
pub struct CaptionFit {
    pub line_ems: f32,
    pub lines: usize,
}

/// The line height Bevy gives text (1.2 times its size) and the panel's padding (see `spawn_captions`).
const LINE_HEIGHT: f32 = 1.2;
pub(crate) const PAD_X: f32 = 0.6;
pub(crate) const PAD_Y: f32 = 0.3;
/// Wrapping at word ends leaves part of a line unused, and estimates are estimates: fill lines to 90%.
const FILL: f32 = 0.9;

impl CaptionFit {
    /// The fit of the scene's caption panel at this frame size.
    pub fn of(scene: &Scene, frame: &FrameSize) -> CaptionFit {
        let size = caption_px(scene, frame);
        let (_, _, w, h) = frame.px(&scene.layout.captions);
        let inner_w = (w - 2.0 * PAD_X * size).max(size);
        let inner_h = h - 2.0 * PAD_Y * size;
        let lines = ((inner_h / (size * LINE_HEIGHT)).floor() as usize).max(1);
        CaptionFit { line_ems: (inner_w / size * FILL).max(1.0), lines }
    }
}

/// A caption text's width in ems, per character, erring wide: square for Han, kana, Hangul, full-width forms, CJK
/// punctuation, the ellipsis and curly quotes (the CJK face draws them full width); W and M nearly square, other
/// capitals and m and w wider than the average lowercase letter.
pub fn caption_ems(text: &str) -> f32 {
    text.chars()
        .map(|c| match c {
            _ if breaks_anywhere(c) => 1.0,
            '\u{3000}'..='\u{303F}' | '…' | '‘' | '’' | '“' | '”' => 1.0,
            'W' | 'M' | '@' | '%' => 0.95,
            'm' | 'w' => 0.85,
            _ if c.is_uppercase() => 0.72,
            _ if c.is_ascii_digit() => 0.6,
            ' ' => 0.3,
            _ => 0.55,
        })
        .sum()
}

/// Whether `c` is written without spaces between words (Han, kana, Hangul, full-width forms): a line may break
/// before any of them.
fn breaks_anywhere(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FFFF)
}

/// Closing punctuation that must not start a line (it stays with the character before it).
fn closes(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '！'
            | '？'
            | '；'
            | '：'
            | '）'
            | '」'
            | '』'
            | '》'
            | '…'
            | ','
            | '.'
            | '!'
            | '?'
            | ';'
            | ':'
            | ')'
    )
}

/// The text broken into units a line may end after: a word with the spaces after it, or one CJK character with
/// any closing punctuation after it.
fn units(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let end_here = match next {
            None => true,
            Some(n) => {
                if closes(n) {
                    false
                } else if c.is_whitespace() {
                    !n.is_whitespace()
                } else {
                    breaks_anywhere(c) || breaks_anywhere(n)
                }
            }
        };
        if end_here {
            let end = i + c.len_utf8();
            out.push(&text[start..end]);
            start = end;
        }
    }
    out
}

/// Wraps `text` into lines of at most `line_ems`, whole words kept together (a word longer than a line is broken
/// between characters); each line keeps the spaces that end it.
pub fn wrap_lines(text: &str, line_ems: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for unit in units(text) {
        let w = caption_ems(unit.trim_end());
        if width > 0.0 && width + w > line_ems {
            lines.push(std::mem::take(&mut line));
            width = 0.0;
        }
        if w > line_ems {
            // A word wider than a whole line: break it wherever the line is full.
            for c in unit.chars() {
                let cw = caption_ems(c.encode_utf8(&mut [0; 4]));
                if width > 0.0 && width + cw > line_ems {
                    lines.push(std::mem::take(&mut line));
                    width = 0.0;
                }
                line.push(c);
                width += cw;
            }
        } else {
            line.push_str(unit);
            width += caption_ems(unit);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    // Never a lone word or Chinese character on the last line when the line before can spare one.
    if let [.., before, last] = lines.as_mut_slice()
        && units(last.trim()).len() == 1
    {
        let before_units = units(before.as_str());
        if before_units.len() >= 3 {
            let moved = before_units[before_units.len() - 1];
            if caption_ems(moved) + caption_ems(last.trim_end()) <= line_ems {
                *last = format!("{moved}{last}");
                *before = before_units[..before_units.len() - 1].concat();
            }
        }
    }
    lines
}

/// Where a piece of text ends: after one of `wide` (Chinese marks) unless a closing mark follows it, or after one
/// of `narrow` when a space follows it. `at_end` says whether a mark that ends the whole text ends a piece there.
struct EndMarks {
    wide: &'static [char],
    narrow: &'static [char],
    at_end: bool,
}

/// A sentence ends after `.`, `!` or `?` before a space, or a Chinese full stop, exclamation or question mark.
const SENTENCE_ENDS: EndMarks = EndMarks { wide: &['。', '！', '？'], narrow: &['.', '!', '?'], at_end: true };

/// A phrase ends after a comma, semicolon, colon or dash before a space, or a Chinese comma, enumeration comma,
/// semicolon or colon: where a page may break inside a sentence without cutting a phrase in two.
const PHRASE_ENDS: EndMarks =
    EndMarks { wide: &['，', '、', '；', '：'], narrow: &[',', ';', ':', '—'], at_end: false };

/// The text cut after each sentence's end (see [`SENTENCE_ENDS`]), each piece keeping the spaces after it.
fn sentences(text: &str) -> Vec<&str> {
    cut_after(text, &SENTENCE_ENDS)
}

/// The sentence cut after each phrase's end (see [`PHRASE_ENDS`]), each piece keeping the spaces after it.
fn phrases(sentence: &str) -> Vec<&str> {
    cut_after(sentence, &PHRASE_ENDS)
}

/// `text` cut after every end `marks` allows, each piece keeping the spaces after it; together the pieces are
/// the whole text.
fn cut_after<'a>(text: &'a str, marks: &EndMarks) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let ends = if marks.wide.contains(&c) {
            next.map_or(marks.at_end, |n| !closes(n))
        } else if marks.narrow.contains(&c) {
            next.map_or(marks.at_end, char::is_whitespace)
        } else {
            false
        };
        if ends {
            // The spaces after the piece stay with it.
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = chars.peek() {
                if !n.is_whitespace() {
                    break;
                }
                end = j + n.len_utf8();
                chars.next();
            }
            out.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Splits a line of caption text into pages that each fit `fit`, in order. Every character of `text` is on
/// exactly one page, except the spaces where pages meet. A text that fits is one page.
///
/// Pages end where the speech pauses, where they can: a sentence that does not fit in what is left of a page
/// starts the next one, and so does a phrase of a sentence too long for one page (after a comma, 、 or ；), unless
/// the page is less than half full (a short "Yes." is not left on a page of its own, shown for a blink). A phrase
/// longer than a page runs over as many pages as it needs. The last page is never a lone word or a lone Chinese
/// character cut from the sentence before it: one more is brought along.
pub fn caption_pages(text: &str, fit: CaptionFit) -> Vec<String> {
    let per_page = fit.lines.max(1);
    let capacity = per_page as f32 * fit.line_ems;
    let fits = |page: &str| wrap_lines(page.trim(), fit.line_ems).len() <= per_page;
    let mut pages: Vec<String> = Vec::new();
    let mut page = String::new();
    let flush = |page: &mut String, pages: &mut Vec<String>| {
        let text = page.trim().to_string();
        if !text.is_empty() {
            pages.push(text);
        }
        page.clear();
    };
    // Whether the page is full enough that a pause is a better place to turn it than the end of its space.
    let half_full = |page: &str| caption_ems(page.trim()) >= capacity / 2.0;
    for sentence in sentences(text) {
        let whole = format!("{page}{sentence}");
        if !fits(&whole) && half_full(&page) {
            flush(&mut page, &mut pages);
        }
        for phrase in phrases(sentence) {
            let with = format!("{page}{phrase}");
            if fits(&with) {
                page = with;
                continue;
            }
            if half_full(&page) {
                flush(&mut page, &mut pages);
                if fits(phrase) {
                    page.push_str(phrase);
                    continue;
                }
            }
            // The phrase runs over: word by word (or character by character for Chinese) until each page is full.
            for unit in units(phrase) {
                if !fits(&format!("{page}{unit}")) && !page.trim().is_empty() {
                    flush(&mut page, &mut pages);
                }
                if fits(unit) || !page.is_empty() {
                    page.push_str(unit);
                    continue;
                }
                // One word wider than a whole page (a long link): broken wherever the page is full.
                for c in unit.chars() {
                    if !fits(&format!("{page}{c}")) && !page.is_empty() {
                        flush(&mut page, &mut pages);
                    }
                    page.push(c);
                }
            }
        }
    }
    flush(&mut page, &mut pages);
    bring_company_to_a_lone_last_page(&mut pages, fits);
    if pages.is_empty() { vec![String::new()] } else { pages }
}

/// A last page that is one word or one Chinese character (with its punctuation) cut from the sentence on the page
/// before takes that page's last word or character along, when the result still fits.
fn bring_company_to_a_lone_last_page(pages: &mut [String], fits: impl Fn(&str) -> bool) {
    let [.., before, last] = pages else { return };
    // A one-word English sentence ("Go!") may have its own page; a lone Chinese character never does.
    let ends_sentence = before.trim_end().ends_with(['.', '!', '?', '。', '！', '？']);
    let chinese = last.chars().any(breaks_anywhere);
    if units(last.trim()).len() != 1 || (ends_sentence && !chinese) {
        return;
    }
    let before_units = units(before.as_str());
    if before_units.len() < 3 {
        return;
    }
    // The page before ends at a pause: its last phrase comes along whole when it fits, else its last word or
    // character.
    let at_pause = before.trim_end().ends_with([',', ';', ':', '，', '、', '；', '：']);
    let last_phrase = phrases(before.as_str()).last().map(|p| before.len() - p.len()).filter(|_| at_pause);
    let last_unit = before.len() - before_units[before_units.len() - 1].len();
    for split in last_phrase.into_iter().chain([last_unit]) {
        let (kept, moved) = before.split_at(split);
        // Pages meet at a space between words (trimmed away), and at nothing between Chinese characters.
        let space = !moved.ends_with(breaks_anywhere) && !last.starts_with(breaks_anywhere);
        let joined = if space { format!("{moved} {last}") } else { format!("{moved}{last}") };
        if fits(&joined) && !kept.trim().is_empty() {
            *before = kept.trim().to_string();
            *last = joined.trim().to_string();
            return;
        }
    }
}

/// Which page is being said `progress` (0.0 to 1.0) of the way through the line: pages take their share of the
/// line's time by their share of its characters, so each shows while its words are spoken.
pub fn page_at(pages: &[String], progress: f32) -> usize {
    let counts: Vec<usize> = pages.iter().map(|p| p.chars().count().max(1)).collect();
    let total: usize = counts.iter().sum();
    let mut end = 0;
    for (i, n) in counts.iter().enumerate() {
        end += n;
        if progress < end as f32 / total.max(1) as f32 {
            return i;
        }
    }
    pages.len().saturating_sub(1)
}

/// Caption text height in pixels: the scene's size, never below the 4% accessibility floor (a scene swapped in at
/// run time has not been through `shopcast check`).
pub fn caption_px(scene: &Scene, frame: &FrameSize) -> f32 {
    frame.text_px(scene.caption_size.max(Scene::MIN_CAPTION_SIZE))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The vertical scene's panel at its own size (scenes/vertical.toml: the case that overflowed, 77 px text and
    /// four lines of a long sentence in a panel that holds two).
    fn vertical() -> CaptionFit {
        let mut scene = Scene::studio();
        scene.caption_size = 0.04;
        scene.layout.captions = model::Rect { x: 0.05, y: 0.78, w: 0.90, h: 0.12 };
        CaptionFit::of(&scene, &FrameSize { width: 1080, height: 1920 })
    }

    fn lines_of(page: &str, fit: CaptionFit) -> usize {
        wrap_lines(page, fit.line_ems).len()
    }

    #[test]
    fn the_vertical_panel_holds_two_lines_of_about_ten_ems() {
        // 1080 px wide, 5% margins, 77 px text, padding 0.6 em each side: 11.5 ems, 90% of it used.
        let fit = vertical();
        assert_eq!(fit.lines, 2, "{fit:?}");
        assert!((10.0..10.6).contains(&fit.line_ems), "{fit:?}");
    }

    #[test]
    fn a_long_english_line_is_split_into_pages_that_each_fit_and_keep_every_word() {
        let fit = vertical();
        let text = "Just so you know, I'm an AI host, and a human moderator is watching the chat.";
        let pages = caption_pages(text, fit);
        assert!(pages.len() >= 2, "{pages:?}");
        for p in &pages {
            assert!(lines_of(p, fit) <= fit.lines, "{p:?} needs more than {} lines", fit.lines);
            assert!(!p.starts_with(' ') && !p.ends_with(' '));
        }
        assert_eq!(pages.join(" "), text, "nothing lost, nothing reordered");
    }

    #[test]
    fn chinese_breaks_between_characters_and_keeps_punctuation_with_the_character_before() {
        let fit = CaptionFit { line_ems: 8.0, lines: 2 };
        let text = "这款北欧实木台灯，用的是整块白橡木，灯光柔和不刺眼。现在下单还送灯泡！";
        let pages = caption_pages(text, fit);
        assert!(pages.len() >= 2, "{pages:?}");
        assert_eq!(pages.concat(), text);
        for p in &pages {
            assert!(!p.starts_with(['，', '。', '！']), "a page starts with closing punctuation: {p:?}");
            assert!(lines_of(p, fit) <= 2, "{p:?}");
        }
        // Mixed text: a price and an English brand inside Chinese.
        let mixed = "今天的 Copper Kettle 只要 $64.50，比原价便宜 27%，库存还剩 17 件。";
        let pages = caption_pages(mixed, fit);
        assert_eq!(pages.concat().replace(' ', ""), mixed.replace(' ', ""));
        assert!(pages.iter().all(|p| lines_of(p, fit) <= 2), "{pages:?}");
    }

    #[test]
    fn a_word_longer_than_a_line_is_broken_and_a_short_line_is_one_page() {
        let fit = CaptionFit { line_ems: 5.0, lines: 1 };
        let pages = caption_pages("https://shop.example/a-very-long-link", fit);
        assert!(pages.len() > 3, "{pages:?}");
        assert_eq!(pages.concat(), "https://shop.example/a-very-long-link");
        assert_eq!(caption_pages("Hi!", vertical()), ["Hi!"]);
        assert_eq!(caption_pages("", vertical()), [""]);
        assert_eq!(caption_pages("   ", vertical()), [""]);
    }

    #[test]
    fn pages_end_at_sentence_ends_where_they_can_without_leaving_a_word_alone() {
        let fit = CaptionFit { line_ems: 12.0, lines: 2 };
        // Three sentences, each about a page: each gets its own page.
        let text = "The kettle pours slowly and evenly. It holds a full litre of water. Order now, only nine left!";
        let pages = caption_pages(text, fit);
        assert_eq!(
            pages,
            ["The kettle pours slowly and evenly.", "It holds a full litre of water.", "Order now, only nine left!"]
        );
        // A short first sentence shares its page with the start of the next rather than flash alone.
        let pages = caption_pages("Yes. The strainer is built into the pot and the lid locks when you pour.", fit);
        assert!(pages[0].starts_with("Yes. The"), "{pages:?}");
        assert!(pages.iter().all(|p| lines_of(p, fit) <= 2), "{pages:?}");
        // Chinese sentences end at 。！？ with no space after them.
        let zh = "这款水壶出水很稳。容量一升，够全家用。现在下单只剩九件！";
        let pages = caption_pages(zh, CaptionFit { line_ems: 10.0, lines: 1 });
        assert_eq!(pages, ["这款水壶出水很稳。", "容量一升，够全家用。", "现在下单只剩九件！"]);
        // Decimal points and abbreviations without a space after them do not end a sentence.
        assert_eq!(sentences("Only $64.50 today. Go!"), ["Only $64.50 today. ", "Go!"]);
    }

    /// A seeded generator of caption text made of phrases, so the tests below are not written from their inputs.
    struct Words(u64);

    impl Words {
        fn roll(&mut self, n: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n
        }

        fn english_phrase(&mut self, max_ems: f32) -> String {
            const WORDS: &[&str] = &[
                "the", "kettle", "pours", "slowly", "and", "evenly", "it", "holds", "a", "full", "litre", "of",
                "water", "order", "now", "only", "nine", "left", "our", "scarf", "is", "soft", "warm", "merino",
                "wool", "with", "stripes", "in", "three", "colours", "price", "today", "lamp", "light",
            ];
            loop {
                let n = 1 + self.roll(4) as usize;
                let phrase: Vec<&str> = (0..n).map(|_| WORDS[self.roll(WORDS.len() as u64) as usize]).collect();
                let phrase = phrase.join(" ");
                if caption_ems(&phrase) + 1.0 <= max_ems {
                    return phrase;
                }
            }
        }

        fn chinese_phrase(&mut self) -> String {
            const HAN: &str = "这款茶具用的是青绿釉色温润手感很好容量够全家一起喝茶送礼也合适今天价格实惠";
            let han: Vec<char> = HAN.chars().collect();
            let n = 1 + self.roll(9) as usize;
            (0..n).map(|_| han[self.roll(han.len() as u64) as usize]).collect()
        }
    }

    #[test]
    fn long_sentences_turn_the_page_between_phrases_not_inside_them() {
        let fit = CaptionFit { line_ems: 20.0, lines: 2 };
        let mut words = Words(7);
        for _ in 0..300 {
            // Two to four sentences of one to five phrases, each phrase at most a fifth of a page.
            let mut text = String::new();
            for _ in 0..2 + words.roll(3) {
                let phrases: Vec<String> = (0..1 + words.roll(5)).map(|_| words.english_phrase(8.0)).collect();
                let mut sentence = phrases.join(", ");
                sentence[..1].make_ascii_uppercase();
                text.push_str(&sentence);
                text.push_str(if words.roll(3) == 0 { "! " } else { ". " });
            }
            let text = text.trim_end();
            let pages = caption_pages(text, fit);
            assert_eq!(pages.join(" "), text, "nothing lost, nothing reordered");
            for (i, page) in pages.iter().enumerate() {
                assert!(lines_of(page, fit) <= fit.lines, "{page:?} needs more than {} lines", fit.lines);
                let pause = page.ends_with([',', '.', '!']);
                assert!(pause || i + 1 == pages.len(), "page {i} ends inside a phrase: {pages:#?}");
            }
        }
    }

    #[test]
    fn no_line_or_page_is_a_lone_chinese_character_or_a_dangling_word() {
        let mut words = Words(11);
        for case in 0..400 {
            let fit = CaptionFit { line_ems: 6.0 + words.roll(8) as f32, lines: 1 + words.roll(2) as usize };
            let mut text = String::new();
            for _ in 0..1 + words.roll(4) {
                for k in 0..1 + words.roll(3) {
                    if k > 0 {
                        text.push('，');
                    }
                    text.push_str(&words.chinese_phrase());
                }
                text.push(if words.roll(2) == 0 { '。' } else { '！' });
            }
            let pages = caption_pages(&text, fit);
            assert_eq!(pages.concat(), text);
            let lone = |s: &str| s.chars().filter(|c| breaks_anywhere(*c) && !closes(*c)).count() == 1;
            for page in &pages {
                assert!(lines_of(page, fit) <= fit.lines, "case {case}: {page:?} does not fit {fit:?}");
                if text.chars().filter(|c| !closes(*c)).count() > 1 {
                    assert!(!lone(page), "case {case}: a page of one character in {pages:?}");
                }
                let lines = wrap_lines(page, fit.line_ems);
                if lines.len() > 1 {
                    assert!(!lone(lines.last().unwrap()), "case {case}: a lone character on a line: {lines:?}");
                }
            }
        }
        // English: the last line of a wrapped sentence is never one word cut from the line above.
        let mut words = Words(5);
        for _ in 0..300 {
            let text: Vec<String> = (0..2 + words.roll(4)).map(|_| words.english_phrase(9.0)).collect();
            let text = text.join(" ");
            let lines = wrap_lines(&text, 10.0);
            if lines.len() > 1 && units(lines[lines.len() - 2].as_str()).len() >= 3 {
                let last = lines.last().unwrap().trim();
                let above = units(lines[lines.len() - 2].as_str());
                let spare = above[above.len() - 1];
                assert!(
                    last.contains(' ') || caption_ems(spare) + caption_ems(last) > 10.0,
                    "a dangling word: {lines:?}"
                );
            }
        }
    }

    #[test]
    fn pages_show_in_turn_for_their_share_of_the_line() {
        let pages: Vec<String> = ["aaaa", "bbbbbbbb", "cccc"].map(String::from).to_vec();
        let at: Vec<usize> = [0.0, 0.2, 0.3, 0.7, 0.74, 0.8, 1.0, 2.0].iter().map(|&p| page_at(&pages, p)).collect();
        assert_eq!(at, [0, 0, 1, 1, 1, 2, 2, 2]);
        assert_eq!(page_at(&["only".to_string()], 0.5), 0);
        assert_eq!(page_at(&[], 0.5), 0);
    }
}
