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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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

/// What delivery costs, as the merchant states it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShippingCost {
    /// Delivery is free on every order: the only thing that lets the host say 包邮 or "free shipping" outright.
    Free,
    /// A flat delivery charge per order.
    Flat(Money),
}

/// How the product ships. Every part is optional: the host states only the parts that are here, and a shipping,
/// delivery-speed or carrier claim the data lacks is refused on air.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shipping {
    /// What delivery costs; `None` when the merchant did not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<ShippingCost>,
    /// Orders at or above this amount ship free (满X包邮), in the product's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub free_over: Option<Money>,
    /// The longest time between order and dispatch, in hours (48 = "ships within two days"). It says when the
    /// parcel leaves, not when it arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispatch_hours: Option<u32>,
    /// The carrier and the regions served, in the merchant's words ("SF Express, mainland China"). Delivery-speed
    /// claims such as 次日达 are said only when this text states them.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub carrier: Localized<String>,
}

impl Shipping {
    /// Whether nothing is stated at all (the same as no shipping data).
    pub fn is_empty(&self) -> bool {
        self.cost.is_none() && self.free_over.is_none() && self.dispatch_hours.is_none() && self.carrier.is_empty()
    }
}

/// The returns policy, as the merchant states it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Returns {
    /// Days after delivery within which the product may be returned (7 = 七天无理由退货 in China).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<u32>,
    /// Conditions in the merchant's words ("unworn, with tags"), said together with the days.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub conditions: Localized<String>,
}

/// The mechanics of a promotion: the typed form lets the guard check a claim such as 买二送一 or 满199减30 against
/// exactly what the merchant set up, number by number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromotionKind {
    /// Buy `buy`, get `get` more free: 买一送一 is { buy: 1, get: 1 }.
    BuyXGetY { buy: u32, get: u32 },
    /// The `n`th item of an order is `percent` off: 第二件半价 is { n: 2, percent: 50 }; 100 makes it free.
    NthItemPercentOff { n: u32, percent: u32 },
    /// Spend at least `spend`, save `save` (满199减30).
    SpendAndSave { spend: Money, save: Money },
    /// A coupon: a code to enter (`None` for a platform coupon the viewer claims with a tap, 领券) and what it
    /// saves, when the merchant says.
    Coupon {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        save: Option<Money>,
    },
}

/// One promotion on a product, open during its window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Promotion {
    pub kind: PromotionKind,
    /// The merchant's own wording ("买二送一，送完即止"), said as written; without it the host says the mechanics
    /// in its own standard words.
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub text: Localized<String>,
    /// When it opens; `None` for already open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_at: Option<UnixMs>,
    /// When it closes; `None` for open until the merchant removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_at: Option<UnixMs>,
}

impl Promotion {
    /// The window as an [`OfferWindow`], so both kinds of window are judged by one rule.
    pub fn window(&self) -> OfferWindow {
        OfferWindow { starts_at: self.starts_at, ends_at: self.ends_at }
    }

    pub fn is_open_at(&self, now: UnixMs) -> bool {
        self.window().is_open_at(now)
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
    /// Delivery cost, free-shipping threshold, dispatch time and carrier; `None` when the merchant states none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipping: Option<Shipping>,
    /// The returns policy; `None` when the merchant states none (the host then makes no returns claim).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub returns: Option<Returns>,
    /// Gifts that come with the product, in the merchant's words ("a tea towel with every set").
    #[serde(default, skip_serializing_if = "Localized::is_empty")]
    pub gifts: Localized<Vec<String>>,
    /// Promotions (buy-x-get-y, nth item off, spend-and-save, coupons), each with its own window.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub promotions: Vec<Promotion>,
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
            shipping: None,
            returns: None,
            gifts: Localized::default(),
            promotions: Vec::new(),
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
