//! Products as the merchandiser describes them, already validated: the host states nothing that is not here.

use crate::{Money, ProductId};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// The languages the host speaks and captions. Chinese and English are both first-class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" | "cmn" | "chinese" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
}

/// Text the merchandiser may give in several languages. The host prefers the show's language and falls back to
/// whichever one exists, so a product with only a Chinese title still gets pitched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized<T> {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zh: Option<T>,
}

impl<T> Localized<T> {
    /// Text in one language only.
    pub fn one(lang: Lang, value: T) -> Localized<T> {
        match lang {
            Lang::En => Localized { en: Some(value), zh: None },
            Lang::Zh => Localized { en: None, zh: Some(value) },
        }
    }

    pub fn get(&self, lang: Lang) -> Option<&T> {
        let (first, second) = match lang {
            Lang::En => (&self.en, &self.zh),
            Lang::Zh => (&self.zh, &self.en),
        };
        first.as_ref().or(second.as_ref())
    }

    /// The same texts, transformed.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Localized<U> {
        Localized { en: self.en.map(&mut f), zh: self.zh.map(&mut f) }
    }

    /// Only the text written in exactly this language, with no fallback.
    pub fn exact(&self, lang: Lang) -> Option<&T> {
        match lang {
            Lang::En => self.en.as_ref(),
            Lang::Zh => self.zh.as_ref(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.en.is_none() && self.zh.is_none()
    }
}

/// The parts of a pitch, in the order the host walks through them for each product.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facet {
    Hook,
    Features,
    Usage,
    Offer,
    /// A question buyers often ask, answered from the product's FAQ.
    Faq,
}

impl Facet {
    /// A product's segment, in order: hook, features, usage, offer and call to action, then an FAQ.
    pub const PITCH_ORDER: [Facet; 5] = [Facet::Hook, Facet::Features, Facet::Usage, Facet::Offer, Facet::Faq];
}

/// A moment in time as Unix milliseconds (UTC). Product files write RFC 3339; backstage converts at the edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UnixMs(pub i64);

/// When an offer (a flash sale, a launch price) is valid. Either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferWindow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<UnixMs>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<UnixMs>,
}

impl OfferWindow {
    pub fn is_open_at(&self, now: UnixMs) -> bool {
        self.starts_at.is_none_or(|s| now >= s) && self.ends_at.is_none_or(|e| now < e)
    }
}

/// One purchasable version of a product (a size, a colour), with its own price and stock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// The option values that make this variant, e.g. [("Size", "M"), ("Colour", "Red")].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<(String, String)>,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

impl Variant {
    /// "M / Red": the option values joined, as a shop shows them.
    pub fn title(&self) -> String {
        self.options.iter().map(|(_, v)| v.as_str()).collect::<Vec<_>>().join(" / ")
    }
}

/// A named specification ("Capacity": "450 ml").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub name: String,
    pub value: String,
}

/// A question viewers often ask, with the merchandiser's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Faq {
    pub question: String,
    pub answer: String,
}

/// One product in the queue, validated: it has an id, a title in at least one language and a price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub title: Localized<String>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub description: Localized<String>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub features: Localized<Vec<String>>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub usage: Localized<String>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub guarantee: Localized<String>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub specs: Localized<Vec<Spec>>,
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub faq: Localized<Vec<Faq>>,
    /// The selling price (for products with variants: the first variant's).
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    /// Units in stock (for products with variants: the sum over variants that state it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    /// The local picture shown on the offer card, resolved against the product file's folder.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PathBuf>,
    /// Every picture reference as the file gives it (local paths or URLs), main picture first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offer: Option<OfferWindow>,
    /// Higher pins earlier; 0 is the queue's own order.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub pin_priority: i32,
    /// How long to stay on this product, when the merchandiser sets it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwell_secs: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

impl Product {
    /// A product with only the required fields; importers and tests fill in the rest.
    pub fn new(id: impl Into<String>, title: Localized<String>, price: Money) -> Product {
        Product {
            id: ProductId(id.into()),
            title,
            description: Localized::default(),
            features: Localized::default(),
            usage: Localized::default(),
            guarantee: Localized::default(),
            specs: Localized::default(),
            faq: Localized::default(),
            price,
            compare_at: None,
            stock: None,
            image: None,
            images: Vec::new(),
            url: None,
            variants: Vec::new(),
            offer: None,
            pin_priority: 0,
            dwell_secs: None,
            tags: Vec::new(),
        }
    }

    /// The title in the show's language, or in whichever language exists.
    pub fn title(&self, lang: Lang) -> &str {
        self.title.get(lang).map(String::as_str).unwrap_or(self.id.0.as_str())
    }

    /// Whole percent off, only when the compare-at price is really higher (a claim the data backs).
    pub fn percent_off(&self) -> Option<u32> {
        self.compare_at.as_ref().and_then(|was| self.price.percent_off_from(was))
    }
}
