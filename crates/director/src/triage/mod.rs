//! Triage of viewer comments (pure): normalisation, language, floods, spam, intent, products, fair picking.
//!
//! `Triage::assess` reads one comment at a time, with the time passed in, and returns an [`Assessment`]: the
//! [`TriageLabel`] the rest of shopcast sees, plus what the [`Picker`] needs to merge near-duplicates. Memory is
//! fixed when `Triage` is built, however many comments arrive. Viewer text is only ever judged here, never obeyed:
//! an instruction aimed at the host is labelled `Intent::InjectionAttempt` and goes no further.

pub mod care;
pub mod care_model;
#[cfg(test)]
mod care_tests;
mod decode;
mod flood;
mod host;
mod intent;
mod lang;
mod lexicon;
pub(crate) mod normalize;
mod picker;
mod products;
#[cfg(test)]
mod tests;

pub use flood::{FloodKind, FloodLimits};
pub use host::asks_about_host;
pub use normalize::{Normalized, normalize};
pub use picker::{Asker, PickedQuestion, Picker, PickerConfig, PushOutcome};

use model::{Comment, Intent, Product, TriageLabel, UnixMs};

/// The part of a product a question is about, so near-duplicate questions merge ("several of you asked about
/// sizes") and the writer is briefed with the right facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Price,
    Discount,
    Stock,
    Shipping,
    Size,
    Colour,
    Material,
    Features,
    Usage,
    Guarantee,
    Returns,
    /// Whether the host is a person or an AI: always answered with the truth.
    Host,
}

impl Topic {
    /// Price, discount, stock, shipping and size: the facts a `PriceStockShipping` answer states from the ledger.
    pub fn is_commercial(self) -> bool {
        matches!(self, Topic::Price | Topic::Discount | Topic::Stock | Topic::Shipping | Topic::Size)
    }

    pub fn code(self) -> &'static str {
        match self {
            Topic::Price => "price",
            Topic::Discount => "discount",
            Topic::Stock => "stock",
            Topic::Shipping => "shipping",
            Topic::Size => "size",
            Topic::Colour => "colour",
            Topic::Material => "material",
            Topic::Features => "features",
            Topic::Usage => "usage",
            Topic::Guarantee => "guarantee",
            Topic::Returns => "returns",
            Topic::Host => "host",
        }
    }
}

/// Triage's knobs; the defaults suit a busy show.
#[derive(Clone, Debug, PartialEq)]
pub struct TriageConfig {
    pub flood: FloodLimits,
    /// Injection score at or above which a comment is an injection attempt.
    pub injection_threshold: f32,
    /// Spam score at or above which a comment is spam.
    pub spam_threshold: f32,
    /// Only the first this many bytes of a comment are read, so one enormous comment cannot stall triage.
    pub max_text_bytes: usize,
}

impl Default for TriageConfig {
    fn default() -> Self {
        TriageConfig {
            flood: FloodLimits::default(),
            injection_threshold: 0.6,
            spam_threshold: 0.6,
            max_text_bytes: 2000,
        }
    }
}

/// Everything triage concluded about one comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    pub label: TriageLabel,
    pub topic: Option<Topic>,
    /// Why the comment counts as a flood, when it does (`label.flood` is set then).
    pub flood: Option<FloodKind>,
    /// Care triage's finding: the viewer needs a person (see [`care`]).
    pub care: Option<care::CareFinding>,
    /// The comment's normalised text (what the lexicon saw).
    pub normalized: String,
    /// Near-duplicate key: equal for comments with the same letters once noise is removed.
    pub text_key: u64,
}

/// The triage state: the lexicon, the flood tables and the product index. One per show.
pub struct Triage {
    config: TriageConfig,
    lexicon: lexicon::Lexicon,
    floods: flood::FloodGuard,
    products: products::ProductIndex,
}

impl Triage {
    pub fn new(config: TriageConfig) -> Triage {
        // The learned care reader trains once per process; here, so the first comment never waits for it.
        care_model::shipped();
        Triage {
            lexicon: lexicon::builtin(),
            floods: flood::FloodGuard::new(config.flood.clone()),
            products: products::ProductIndex::default(),
            config,
        }
    }

    /// The label for one comment (see [`Triage::assess`]).
    pub fn label(&mut self, comment: &Comment, now: UnixMs, products: &[Product]) -> TriageLabel {
        self.assess(comment, now, products).label
    }

    /// Judges one comment received at `now`, against the products on sale. Every call records the comment in the
    /// flood tables, so call it once per comment, in arrival order.
    pub fn assess(&mut self, comment: &Comment, now: UnixMs, products: &[Product]) -> Assessment {
        let raw = clip(&comment.text, self.config.max_text_bytes);
        let normalized = normalize(raw);
        let text = normalized.text.as_str();
        let text_key = normalize::skeleton_hash(text);
        let viewer = normalize::text_hash(comment.platform.code()) ^ normalize::text_hash(&comment.user_id);
        // Moderators and the broadcaster repeat announcements on purpose; they are never a flood.
        let flood = if comment.flags.moderator { None } else { self.floods.observe(viewer, text_key, now) };

        let lang = lang::detect(text);
        let cx = intent::Context {
            has_link: has_link(text),
            long_digit_run: longest_digit_run(text) >= 8,
            repetitive: flood::is_repetitive(text),
            paid: comment.paid.as_ref().is_some_and(|m| m.minor > 0),
            injection_threshold: self.config.injection_threshold,
            spam_threshold: self.config.spam_threshold,
        };
        let reading = if text.is_empty() {
            intent::Reading { intent: Intent::Other, confidence: 0.0, topic: None }
        } else {
            intent::classify(&self.lexicon, raw, &normalized, &cx)
        };
        let product = match reading.intent {
            Intent::Abuse | Intent::Spam | Intent::InjectionAttempt | Intent::Other | Intent::Greeting => None,
            _ => {
                self.products.refresh(products);
                self.products.find(text)
            }
        };
        let mut label = TriageLabel::new(reading.intent, reading.confidence);
        label.lang = lang;
        label.product = product;
        label.flood = flood.is_some();
        let care = care::care(&normalized.text);
        Assessment { label, topic: reading.topic, flood, care, text_key, normalized: normalized.text }
    }

    /// Bytes held by the flood tables, fixed at construction (the benchmark checks it stays so).
    pub fn flood_memory_bytes(&self) -> usize {
        self.floods.memory_bytes()
    }
}

/// The text up to `max` bytes, cut on a character boundary.
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or("")
}

/// A URL or a bare domain with a common top-level domain ("shop.example.com", "t.me/x", "bit.ly/abc").
fn has_link(text: &str) -> bool {
    if text.contains("http://") || text.contains("https://") || text.contains("www.") || text.contains("t.me/") {
        return true;
    }
    const TLDS: [&str; 24] = [
        "com", "net", "org", "cn", "io", "xyz", "top", "cc", "me", "ly", "gg", "tk", "ru", "info", "biz", "shop",
        "link", "vip", "site", "online", "club", "live", "tv", "co",
    ];
    text.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | '"' | '\''))
        .filter_map(|word| word.rsplit_once('.'))
        .any(|(host, tail)| {
            let tld = tail.split('/').next().unwrap_or("");
            !host.is_empty()
                && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
                && host.chars().any(|c| c.is_ascii_alphabetic())
                && TLDS.contains(&tld)
        })
}

fn longest_digit_run(text: &str) -> usize {
    let (mut best, mut run) = (0, 0);
    for c in text.chars() {
        if c.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else if c != ' ' && c != '-' {
            run = 0;
        }
    }
    best
}
