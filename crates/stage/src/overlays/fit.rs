//! Fitting text into a box: widths estimated per character (Han characters are square, Latin letters about half
//! as wide), so titles, ticker rows and comments shrink or are cut instead of overflowing.

use bevy::prelude::*;

/// A text's width in ems, estimated per character (Han characters are square, Latin letters and digits about
/// half to two thirds as wide).
pub(super) fn ems(text: &str) -> f32 {
    text.chars()
        .map(|c| match c as u32 {
            0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFF60 | 0x20000..=0x2FFFF => 1.0,
            _ if c.is_ascii_digit() || c == '$' || c == '¥' || c == '€' || c == '£' => 0.6,
            _ if c.is_uppercase() => 0.66,
            _ => 0.55,
        })
        .sum()
}

/// The largest font size, from `base` down to `min`, at which `text` fits in `max_lines` lines of `width` px.
/// Widths are estimated per character (Han characters are square, Latin letters about half as wide), which
/// is conservative enough that titles wrap or shrink instead of overflowing the card.
pub fn fit_font_size(text: &str, width: f32, max_lines: u32, base: f32, min: f32) -> f32 {
    let ems = ems(text);
    let mut size = base;
    // Wrapping wastes part of each line; allow for it with a 0.85 fill factor.
    while size > min && ems * size > width * max_lines as f32 * 0.85 {
        size -= 1.0;
    }
    size.max(min)
}

/// The title as shown at `size` px: whole when it fits two lines of `width`, else cut with an ellipsis so a very
/// long title never runs off the card even at the smallest size. Cuts on characters, so CJK text stays whole.
pub fn fit_title(title: &str, width: f32, size: f32) -> String {
    fit_ems(title, width * 2.0 * 0.85 / size.max(1.0))
}

/// `text` cut (with an ellipsis) to at most `max_ems` estimated ems; control characters are dropped.
pub fn fit_ems(text: &str, max_ems: f32) -> String {
    let clean: String = text.chars().filter(|c| model::displayable(*c)).collect();
    if ems(&clean) <= max_ems {
        return clean;
    }
    let mut out = String::new();
    let mut used = ems("…");
    for c in clean.chars() {
        let w = ems(c.encode_utf8(&mut [0; 4]));
        if used + w > max_ems {
            break;
        }
        used += w;
        out.push(c);
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_shrink_and_short_ones_keep_the_base_size() {
        assert_eq!(fit_font_size("Tea set", 500.0, 2, 30.0, 16.0), 30.0);
        let long = "Hand-thrown celadon porcelain tea set with six cups, a bamboo tray and a linen travel bag";
        let size = fit_font_size(long, 500.0, 2, 30.0, 16.0);
        assert!((16.0..30.0).contains(&size), "{size}");
        // 34 square characters need 1,020 px at 30 px: more than two 500 px lines hold.
        let zh = "手工拉坯青瓷茶具套装六杯竹制茶盘亚麻旅行收纳袋限量版送礼佳品包装精美";
        assert!(fit_font_size(zh, 500.0, 2, 30.0, 16.0) < 30.0);
        assert_eq!(fit_font_size(&"x".repeat(10_000), 500.0, 2, 30.0, 16.0), 16.0);
    }

    #[test]
    fn titles_too_long_even_at_the_smallest_size_are_cut_with_an_ellipsis() {
        assert_eq!(fit_title("Celadon tea set", 400.0, 20.0), "Celadon tea set");
        let long = fit_title(&"Celadon tea set ".repeat(40), 400.0, 20.0);
        assert!(long.ends_with('…') && ems(&long) * 20.0 <= 400.0 * 2.0 * 0.85, "{long}");
        let zh = fit_title(&"青瓷茶具".repeat(40), 400.0, 20.0);
        assert!(zh.ends_with('…') && zh.chars().count() < 40, "{zh}");
    }
}
