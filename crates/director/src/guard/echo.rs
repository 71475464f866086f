//! Echo detection: whether an answer repeats a long stretch of the viewer's comment back at them.

use super::text::{fold_char, is_cjk_char};

/// How long a shared run must be to count as an echo: six English words or twelve Chinese characters (a word
/// weighs two, a character one). Shorter overlaps ("the status of", 链接在商品卡上) are normal in an answer.
pub const ECHO_WEIGHT: usize = 12;

/// Whether `sentence` repeats a run of [`ECHO_WEIGHT`] or more from `source`, compared word by word (Chinese
/// character by character), ignoring case and punctuation.
pub fn echoes(sentence: &str, source: &str) -> bool {
    let a = echo_tokens(sentence);
    let b = echo_tokens(source);
    if a.is_empty() || b.is_empty() {
        return false;
    }
    // Longest common run by dynamic programming over two short token lists (a sentence and a quoted comment,
    // both bounded), keeping one row.
    let mut prev = vec![0usize; b.len() + 1];
    let mut row = vec![0usize; b.len() + 1];
    for ta in &a {
        for (j, tb) in b.iter().enumerate() {
            row[j + 1] = if ta.0 == tb.0 { prev[j] + ta.1 } else { 0 };
            if row[j + 1] >= ECHO_WEIGHT {
                return true;
            }
        }
        std::mem::swap(&mut prev, &mut row);
    }
    false
}

/// Words (weight 2) and CJK characters (weight 1), folded; at most 200 tokens.
fn echo_tokens(text: &str) -> Vec<(String, usize)> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold_char) {
        if c.is_alphanumeric() && c.is_ascii() || c.is_alphabetic() && !is_cjk_char(c) {
            word.extend(c.to_lowercase());
            continue;
        }
        if !word.is_empty() {
            tokens.push((std::mem::take(&mut word), 2));
        }
        if is_cjk_char(c) {
            tokens.push((c.to_string(), 1));
        }
        if tokens.len() >= 200 {
            break;
        }
    }
    if !word.is_empty() {
        tokens.push((word, 2));
    }
    tokens
}
