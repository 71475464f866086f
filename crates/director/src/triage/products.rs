//! Which product a comment is about, from the products' titles and tags, or from "link 2" / "2号" references.
//!
//! The index is rebuilt only when the product list changes (its ids and titles hash differently), so labelling a
//! comment costs a pass over the comment, not over the catalogue.

use super::normalize::{normalize, text_hash};
use model::{Product, ProductId};

struct Entry {
    id: ProductId,
    /// Distinctive Latin words of the title and tags (three letters or more, no function words).
    words: Vec<String>,
    /// Pairs of adjacent Han characters in the title and tags.
    bigrams: Vec<String>,
}

/// The products as triage matches against them.
#[derive(Default)]
pub struct ProductIndex {
    fingerprint: u64,
    entries: Vec<Entry>,
    /// Every distinct word and bigram of every entry in one automaton, so a comment is read in one pass however
    /// many products there are.
    terms: Option<aho_corasick::AhoCorasick>,
    /// For each term of `terms`: the entries that have it, and whether it is a word (a bigram otherwise).
    owners: Vec<Vec<(usize, bool)>>,
}

fn fingerprint(products: &[Product]) -> u64 {
    let mut hash = products.len() as u64;
    for product in products {
        hash = hash.rotate_left(7) ^ text_hash(&product.id.0);
        hash = hash.wrapping_add(product.title.en.as_ref().map_or(0, |t| t.len() as u64));
        hash = hash.wrapping_mul(31).wrapping_add(product.title.zh.as_ref().map_or(0, |t| t.len() as u64));
    }
    hash
}

fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "and"
            | "for"
            | "with"
            | "set"
            | "pack"
            | "new"
            | "pro"
            | "mini"
            | "max"
            | "plus"
            | "one"
            | "edition"
            | "version"
            | "size"
            | "color"
            | "colour"
    )
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

fn add_terms(text: &str, words: &mut Vec<String>, bigrams: &mut Vec<String>) {
    let text = normalize(text).text;
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        if word.len() >= 3 && word.chars().any(|c| c.is_ascii_alphabetic()) && !is_filler(word) {
            let word = word.to_string();
            if !words.contains(&word) {
                words.push(word);
            }
        }
    }
    let han: Vec<char> = text.chars().collect();
    for pair in han.windows(2) {
        if let [a, b] = pair
            && is_han(*a)
            && is_han(*b)
        {
            let bigram: String = [*a, *b].iter().collect();
            if !bigrams.contains(&bigram) {
                bigrams.push(bigram);
            }
        }
    }
}

impl ProductIndex {
    /// Makes sure the index describes `products`, rebuilding it only when they changed.
    pub fn refresh(&mut self, products: &[Product]) {
        let fp = fingerprint(products);
        if fp == self.fingerprint && self.entries.len() == products.len() {
            return;
        }
        self.fingerprint = fp;
        self.entries = products
            .iter()
            .map(|product| {
                let (mut words, mut bigrams) = (Vec::new(), Vec::new());
                for title in [&product.title.en, &product.title.zh].into_iter().flatten() {
                    add_terms(title, &mut words, &mut bigrams);
                }
                for tag in &product.tags {
                    add_terms(tag, &mut words, &mut bigrams);
                }
                Entry { id: product.id.clone(), words, bigrams }
            })
            .collect();
        let mut terms: Vec<&str> = Vec::new();
        let mut owners: Vec<Vec<(usize, bool)>> = Vec::new();
        let mut place = std::collections::HashMap::new();
        for (i, entry) in self.entries.iter().enumerate() {
            let words = entry.words.iter().map(|w| (w, true));
            for (term, is_word) in words.chain(entry.bigrams.iter().map(|b| (b, false))) {
                let at = *place.entry(term.as_str()).or_insert_with(|| {
                    terms.push(term.as_str());
                    owners.push(Vec::new());
                    terms.len() - 1
                });
                owners[at].push((i, is_word));
            }
        }
        self.terms = aho_corasick::AhoCorasick::new(&terms).ok();
        self.owners = owners;
    }

    /// The product the normalised comment names, when exactly one matches best.
    pub fn find(&self, normalized: &str) -> Option<ProductId> {
        if let Some(n) = ordinal_reference(normalized) {
            return self.entries.get(n.checked_sub(1)?).map(|e| e.id.clone());
        }
        let scores = self.scores(normalized);
        let mut best: Option<(u32, &ProductId)> = None;
        let mut tied = false;
        for (entry, &score) in self.entries.iter().zip(&scores) {
            if score == 0 {
                continue;
            }
            match best {
                Some((s, _)) if s == score => tied = true,
                Some((s, _)) if s > score => {}
                _ => {
                    best = Some((score, &entry.id));
                    tied = false;
                }
            }
        }
        // A single shared bigram ("保温") is weak evidence, but it is the only evidence short comments give.
        best.filter(|_| !tied).map(|(_, id)| id.clone())
    }
}

impl ProductIndex {
    /// Each entry's score for the comment: 2 for each of its words the comment holds as a word, 1 for each of its
    /// bigrams the comment holds.
    fn scores(&self, normalized: &str) -> Vec<u32> {
        let mut scores = vec![0u32; self.entries.len()];
        let Some(terms) = &self.terms else {
            for (entry, score) in self.entries.iter().zip(scores.iter_mut()) {
                *score = 2 * entry.words.iter().filter(|w| contains_word(normalized, w)).count() as u32
                    + entry.bigrams.iter().filter(|b| normalized.contains(b.as_str())).count() as u32;
            }
            return scores;
        };
        // Each term counts once, however often it occurs.
        let mut counted = vec![false; self.owners.len()];
        for m in terms.find_overlapping_iter(normalized) {
            let term = m.pattern().as_usize();
            if counted[term] {
                continue;
            }
            let is_word = self.owners[term].first().is_some_and(|(_, w)| *w);
            if is_word && !stands_as_word(normalized, m.start(), m.end()) {
                continue;
            }
            counted[term] = true;
            for &(entry, is_word) in &self.owners[term] {
                scores[entry] += if is_word { 2 } else { 1 };
            }
        }
        scores
    }
}

/// Whether the word at `start..end` of `text` stands alone (a plural "s" may follow: "mugs" names the mug).
fn stands_as_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|t| t.chars().next_back());
    let after = text.get(end..).and_then(|t| t.chars().next());
    !before.is_some_and(|c| c.is_ascii_alphanumeric()) && !after.is_some_and(|c| c.is_ascii_alphanumeric() && c != 's')
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text.get(..at).and_then(|t| t.chars().next_back());
        let after = text.get(at + word.len()..).and_then(|t| t.chars().next());
        // Plural "s" still names the product ("mugs" for "mug").
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && !after.is_some_and(|c| c.is_ascii_alphanumeric() && c != 's')
    })
}

/// "link 2", "#2", "no. 2", "item 2", "2号", "2号链接", "第2个" and "二号" name a product by its place in the queue.
fn ordinal_reference(text: &str) -> Option<usize> {
    for marker in ["link ", "#", "no.", "no ", "item ", "number "] {
        if let Some(at) = text.find(marker) {
            let digits: String =
                text.get(at + marker.len()..)?.trim_start().chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>()
                && (1..=99).contains(&n)
            {
                return Some(n);
            }
        }
    }
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if *c != '号' {
            continue;
        }
        let mut n = 0usize;
        let mut place = 1usize;
        let mut j = i;
        while j > 0 {
            j -= 1;
            let Some(d) = chars.get(j).and_then(|d| han_or_ascii_digit(*d)) else { break };
            n += d * place;
            place *= 10;
            if place > 100 {
                break;
            }
        }
        if (1..=99).contains(&n) {
            return Some(n);
        }
    }
    None
}

fn han_or_ascii_digit(c: char) -> Option<usize> {
    Some(match c {
        '0'..='9' => c as usize - '0' as usize,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Currency, Lang, Localized, Money};

    fn product(id: &str, en: &str, zh: &str) -> Product {
        let price = Money { minor: 9900, currency: Currency::parse("CNY").unwrap_or_else(|| unreachable!()) };
        let mut p = Product::new(id, Localized::one(Lang::En, en.to_string()), price);
        p.title.zh = Some(zh.to_string());
        p
    }

    #[test]
    fn comments_name_products_by_title_word_bigram_or_place() {
        let products = [product("mug", "Thermal Travel Mug", "保温杯"), product("tee", "Cotton T-Shirt", "纯棉T恤")];
        let mut index = ProductIndex::default();
        index.refresh(&products);
        assert_eq!(index.find("how hot does the mug stay?"), Some(ProductId("mug".into())));
        assert_eq!(index.find("do the mugs come in blue"), Some(ProductId("mug".into())));
        assert_eq!(index.find("保温杯多少钱"), Some(ProductId("mug".into())));
        assert_eq!(index.find("纯棉的吗"), Some(ProductId("tee".into())));
        assert_eq!(index.find("2号链接还有吗"), Some(ProductId("tee".into())));
        assert_eq!(index.find("link 1 please"), Some(ProductId("mug".into())));
        assert_eq!(index.find("hello everyone"), None);
        assert_eq!(index.find("9号"), None);
    }
}
