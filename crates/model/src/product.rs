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
    pub fn get(&self, lang: Lang) -> Option<&T> {
        let (first, second) = match lang {
            Lang::En => (&self.en, &self.zh),
            Lang::Zh => (&self.zh, &self.en),
        };
        first.as_ref().or(second.as_ref())
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
}

impl Facet {
    pub const PITCH_ORDER: [Facet; 4] = [Facet::Hook, Facet::Features, Facet::Usage, Facet::Offer];
}

/// One product in the queue, validated: it has a title in at least one language and a price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub title: Localized<String>,
    #[serde(default)]
    pub description: Localized<String>,
    #[serde(default)]
    pub features: Localized<Vec<String>>,
    #[serde(default)]
    pub usage: Localized<String>,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    /// Absolute path of the product image, resolved against the product file's folder when loaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl Product {
    /// The title in the show's language, or in whichever language exists.
    pub fn title(&self, lang: Lang) -> &str {
        self.title
            .get(lang)
            .map(String::as_str)
            .unwrap_or(self.id.0.as_str())
    }

    /// Whole percent off, only when the compare-at price is really higher (a claim the data backs).
    pub fn percent_off(&self) -> Option<u32> {
        self.compare_at
            .as_ref()
            .and_then(|was| self.price.percent_off_from(was))
    }
}
