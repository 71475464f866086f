//! The claims ledger: per product, the facts the host may state, each typed, with their spoken forms.
//!
//! Writers (templates now, the LLM later) write facts as slots such as `{price}` or `{stock}`; the ledger fills
//! them through the verbalizer. A slot the ledger cannot back (no compare-at price, unknown stock, an offer
//! window that has closed, no shipping data) stays unfilled, and the sentence that needs it is not said.
//!
//! Shipping, returns, gifts and promotions are facts like the price: each backs its slot (`{shipping}`,
//! `{free_shipping_over}`, `{dispatch}`, `{returns}`, `{gift}`, `{promotion}`) and lets the guard pass the matching
//! claim (包邮, "ships within two days", 七天内可退货, 买二送一) and nothing beyond it. The merchant's descriptive
//! copy (description, features, usage, FAQ) is kept as [`Fact::Copy`]: its numbers may be repeated in the same
//! words ("holds 450 ml"), and its measures (sizes, volumes, weights, counts of pieces: "180 x 30 cm", "1.5升") in
//! any words and units ("one hundred eighty by thirty centimetres", 一点五升), but it backs no price, promotion or
//! policy, because those have fields of their own.
//!
//! Moderators may speak about any product in the queue: their words are checked against a queue ledger
//! ([`ClaimsLedger::for_queue`]), each sentence against the product it names.

use crate::verbalize;
use model::{Lang, Localized, Money, Product, ProductId, PromotionKind, ShippingCost, UnixMs};

/// One fact the host may state about a product.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fact {
    Title(String),
    Price(Money),
    CompareAt(Money),
    /// Whole percent off, rounded down, only when the compare-at price is really higher.
    PercentOff(u32),
    Stock(u32),
    SoldOut,
    /// The offer ends at this moment (still in the future when the ledger was built).
    OfferEnds(UnixMs),
    Guarantee(String),
    Spec {
        name: String,
        value: String,
    },
    /// What delivery costs (free, or a flat charge).
    Shipping(ShippingCost),
    /// Orders at or above this amount ship free.
    FreeShippingOver(Money),
    /// The longest time from order to dispatch, in hours.
    Dispatch(u32),
    /// The carrier and regions, in the merchant's words.
    Carrier(String),
    /// The returns policy: a window in days and/or conditions in the merchant's words.
    Returns {
        days: Option<u32>,
        conditions: Option<String>,
    },
    /// A gift that comes with the product, in the merchant's words.
    Gift(String),
    /// A promotion open when the ledger was built, with the merchant's wording when there is one.
    Promotion {
        kind: PromotionKind,
        text: Option<String>,
        ends_at: Option<UnixMs>,
    },
    /// Descriptive copy (description, a feature, usage notes, an FAQ question or answer). It backs the numbers it
    /// states in its own words, and its measures in any words, and nothing else.
    Copy(String),
    /// The help line the operator set for viewers in crisis (`[care] helpline`): not product data, added only to
    /// the ledger of a care line. It backs `{helpline}` and exactly its own words (a phone number in it is not a
    /// price), nothing else.
    Helpline(String),
    /// The product's own words in the other language, read only for the sizes and measures they state: a litre is
    /// a litre in every language ("boils a litre fast" backs 一升). They back no other number and no claim.
    Measures(String),
}

impl Fact {
    /// The merchant's own words in this fact, if it carries any (titles, guarantees, specs, copy, gifts, carrier,
    /// returns conditions, promotion wording).
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Fact::Title(t) | Fact::Guarantee(t) | Fact::Carrier(t) | Fact::Gift(t) | Fact::Copy(t) => vec![t],
            Fact::Spec { name, value } => vec![name, value],
            Fact::Returns { conditions: Some(c), .. } => vec![c],
            Fact::Promotion { text: Some(t), .. } => vec![t],
            _ => Vec::new(),
        }
    }
}

/// Every slot name a ledger may fill, in the order the guard looks for their spoken forms.
pub const SLOT_NAMES: [&str; 14] = [
    "title",
    "price",
    "compare_at",
    "discount",
    "stock",
    "offer_ends",
    "guarantee",
    "shipping",
    "free_shipping_over",
    "dispatch",
    "returns",
    "gift",
    "promotion",
    "helpline",
];

/// The facts for one product at one moment, in one language.
///
/// `facts` begin with the product's [`Fact::Title`]. A queue ledger ([`ClaimsLedger::for_queue`], for moderators'
/// words) lists several products' facts one after the other, each beginning with its own title: the first product
/// is the one the line is about, and [`ClaimsLedger::products`] splits the ledger back into one ledger per product.
/// Numbers with units in a product's own texts (specs, description, features, usage, FAQ: "180 x 30 cm", "1.5升",
/// "3 pieces") back the same measures said in any form ("one hundred eighty by thirty centimetres", 一百八十乘三十厘米);
/// see the guard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimsLedger {
    pub product: ProductId,
    pub lang: Lang,
    pub now: UnixMs,
    pub facts: Vec<Fact>,
}

impl ClaimsLedger {
    /// Everything the data backs for `product` at `now`. An offer window that has not opened or has closed
    /// backs no discount and no deadline.
    pub fn for_product(product: &Product, lang: Lang, now: UnixMs) -> ClaimsLedger {
        let mut facts = vec![Fact::Title(product.title(lang).to_string()), Fact::Price(product.price.clone())];
        let offer_open = product.offer.is_none_or(|w| w.is_open_at(now));
        // A discount that rounds down to nothing is not a discount to announce.
        let percent_off = product.percent_off().filter(|p| *p > 0);
        if offer_open && let (Some(was), Some(percent)) = (&product.compare_at, percent_off) {
            facts.push(Fact::CompareAt(was.clone()));
            facts.push(Fact::PercentOff(percent));
        }
        match product.stock {
            Some(0) => facts.push(Fact::SoldOut),
            Some(n) => facts.push(Fact::Stock(n)),
            None => {}
        }
        if offer_open
            && let Some(end) = product.offer.and_then(|w| w.ends_at)
            && end > now
        {
            facts.push(Fact::OfferEnds(end));
        }
        if let Some(g) = product.guarantee.get(lang) {
            facts.push(Fact::Guarantee(g.clone()));
        }
        for spec in product.specs.get(lang).into_iter().flatten() {
            facts.push(Fact::Spec { name: spec.name.clone(), value: spec.value.clone() });
        }
        if let Some(shipping) = &product.shipping {
            if let Some(cost) = &shipping.cost {
                facts.push(Fact::Shipping(cost.clone()));
            }
            if let Some(over) = &shipping.free_over {
                facts.push(Fact::FreeShippingOver(over.clone()));
            }
            if let Some(hours) = shipping.dispatch_hours.filter(|h| *h > 0) {
                facts.push(Fact::Dispatch(hours));
            }
            if let Some(carrier) = shipping.carrier.get(lang).filter(|c| !c.trim().is_empty()) {
                facts.push(Fact::Carrier(carrier.trim().to_string()));
            }
            // A carrier is a name, said as the merchant wrote it in either language: "顺丰快递" and "SF Express" in a
            // Chinese stream alike. The stream's own language comes first (templates use the first).
            let other = match lang {
                Lang::En => Lang::Zh,
                Lang::Zh => Lang::En,
            };
            if let Some(carrier) = shipping.carrier.get(other).map(|c| c.trim()).filter(|c| !c.is_empty())
                && shipping.carrier.get(lang).is_none_or(|own| own.trim() != carrier)
            {
                facts.push(Fact::Carrier(carrier.to_string()));
            }
        }
        if let Some(returns) = &product.returns {
            let conditions = returns.conditions.get(lang).map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
            let days = returns.days.filter(|d| *d > 0);
            if days.is_some() || conditions.is_some() {
                facts.push(Fact::Returns { days, conditions });
            }
        }
        for gift in product.gifts.get(lang).into_iter().flatten().filter(|g| !g.trim().is_empty()) {
            facts.push(Fact::Gift(gift.trim().to_string()));
        }
        // A promotion outside its window backs nothing, exactly like a closed offer.
        for promotion in product.promotions.iter().filter(|p| p.is_open_at(now)) {
            let text = promotion.text.get(lang).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
            facts.push(Fact::Promotion { kind: promotion.kind.clone(), text, ends_at: promotion.ends_at });
        }
        let copy = product.description.get(lang).into_iter().chain(product.usage.get(lang));
        let features = product.features.get(lang).into_iter().flatten();
        let faq = product.faq.get(lang).into_iter().flatten().flat_map(|f| [&f.question, &f.answer]);
        for text in copy.chain(features).chain(faq).filter(|t| !t.trim().is_empty()) {
            facts.push(Fact::Copy(text.trim().to_string()));
        }
        let other = match lang {
            Lang::En => Lang::Zh,
            Lang::Zh => Lang::En,
        };
        let own = |l: &Localized<Vec<String>>| match other {
            Lang::En => l.en.clone(),
            Lang::Zh => l.zh.clone(),
        };
        let own_text = |l: &Localized<String>| match other {
            Lang::En => l.en.clone(),
            Lang::Zh => l.zh.clone(),
        };
        let specs = match other {
            Lang::En => product.specs.en.as_ref(),
            Lang::Zh => product.specs.zh.as_ref(),
        };
        let elsewhere = own(&product.features)
            .into_iter()
            .flatten()
            .chain(own_text(&product.description))
            .chain(own_text(&product.usage))
            .chain(specs.into_iter().flatten().map(|s| format!("{} {}", s.name, s.value)));
        for text in elsewhere.filter(|t| !t.trim().is_empty()) {
            facts.push(Fact::Measures(text.trim().to_string()));
        }
        ClaimsLedger { product: product.id.clone(), lang, now, facts }
    }

    /// The facts of every product in `products` for moderators' words, which may be about any of them: `first` (the
    /// product the line is about, whose facts fill slots and back a sentence that names no product) leads, then
    /// every other product in queue order. The guard checks each sentence against the product it names (see
    /// [`crate::guard::named_products`]), so a price is true only of the product it is said about.
    pub fn for_queue(products: &[Product], first: Option<&Product>, lang: Lang, now: UnixMs) -> ClaimsLedger {
        let mut ledger = match first {
            Some(p) => ClaimsLedger::for_product(p, lang, now),
            None => ClaimsLedger { product: ProductId(String::new()), lang, now, facts: Vec::new() },
        };
        for p in products.iter().filter(|p| first.is_none_or(|f| f.id != p.id)) {
            ledger.facts.extend(ClaimsLedger::for_product(p, lang, now).facts);
        }
        ledger
    }

    /// One ledger per product this ledger holds (one for a product's own ledger, one per product for a queue
    /// ledger), in order, split at each title. Only the first keeps the ledger's product id: the others are known
    /// by their titles.
    pub fn products(&self) -> Vec<ClaimsLedger> {
        let mut out: Vec<ClaimsLedger> = Vec::new();
        for fact in &self.facts {
            if matches!(fact, Fact::Title(_)) || out.is_empty() {
                let product = if out.is_empty() { self.product.clone() } else { ProductId(String::new()) };
                out.push(ClaimsLedger { product, lang: self.lang, now: self.now, facts: Vec::new() });
            }
            if let Some(last) = out.last_mut() {
                last.facts.push(fact.clone());
            }
        }
        out
    }

    /// The product's title (the first product's, for a queue ledger).
    pub fn title(&self) -> Option<&str> {
        self.find(|f| if let Fact::Title(t) = f { Some(t.as_str()) } else { None })
    }

    fn find<'a, T>(&'a self, pick: impl Fn(&'a Fact) -> Option<T>) -> Option<T> {
        self.facts.iter().find_map(pick)
    }

    /// The spoken words for a slot name (without braces), or `None` when the data does not back it.
    pub fn slot(&self, name: &str) -> Option<String> {
        let lang = self.lang;
        match name {
            "title" => self.find(|f| if let Fact::Title(t) = f { Some(t.clone()) } else { None }),
            "price" => self.find(|f| if let Fact::Price(m) = f { Some(verbalize::money(m, lang)) } else { None }),
            "compare_at" => {
                self.find(|f| if let Fact::CompareAt(m) = f { Some(verbalize::money(m, lang)) } else { None })
            }
            "discount" => {
                self.find(|f| if let Fact::PercentOff(p) = f { Some(verbalize::percent_off(*p, lang)) } else { None })
            }
            "stock" => {
                self.find(|f| if let Fact::Stock(n) = f { Some(verbalize::count(*n as u64, lang)) } else { None })
            }
            "offer_ends" => self.find(|f| match f {
                Fact::OfferEnds(end) => {
                    let secs = ((end.0 - self.now.0).max(0) / 1000) as u64;
                    Some(verbalize::duration(secs, lang))
                }
                _ => None,
            }),
            "guarantee" => self.find(|f| if let Fact::Guarantee(g) = f { Some(g.clone()) } else { None }),
            "shipping" => self.shipping_words(),
            "free_shipping_over" => {
                self.find(|f| if let Fact::FreeShippingOver(m) = f { Some(verbalize::money(m, lang)) } else { None })
            }
            "dispatch" => {
                self.find(|f| if let Fact::Dispatch(h) = f { Some(verbalize::dispatch(*h, lang)) } else { None })
            }
            "returns" => self.find(|f| match f {
                Fact::Returns { days, conditions } => Some(match (days, conditions, lang) {
                    (Some(d), Some(c), Lang::En) => format!("{}, {c}", verbalize::returns(*d, lang)),
                    (Some(d), Some(c), Lang::Zh) => format!("{}，{c}", verbalize::returns(*d, lang)),
                    (Some(d), None, _) => verbalize::returns(*d, lang),
                    (None, Some(c), Lang::En) => format!("returns on these terms: {c}"),
                    (None, Some(c), Lang::Zh) => format!("退货条件：{c}"),
                    (None, None, _) => return None,
                }),
                _ => None,
            }),
            "gift" => self.find(|f| if let Fact::Gift(g) = f { Some(g.clone()) } else { None }),
            "promotion" => self.find(|f| match f {
                Fact::Promotion { text: Some(text), .. } => Some(text.clone()),
                Fact::Promotion { kind, text: None, .. } => Some(verbalize::promotion(kind, lang)),
                _ => None,
            }),
            "helpline" => self.find(|f| if let Fact::Helpline(h) = f { Some(h.clone()) } else { None }),
            _ => None,
        }
    }

    /// `{shipping}`: the cost ("shipping is free" / 包邮) and the carrier when the merchant names one ("shipping is
    /// free, via SF Express" / 包邮，顺丰快递); the carrier alone when no cost is stated.
    fn shipping_words(&self) -> Option<String> {
        let lang = self.lang;
        let cost =
            self.find(|f| if let Fact::Shipping(c) = f { Some(verbalize::shipping_cost(c, lang)) } else { None });
        let carrier = self.find(|f| if let Fact::Carrier(c) = f { Some(c.clone()) } else { None });
        match (cost, carrier, lang) {
            (Some(cost), Some(carrier), Lang::En) => Some(format!("{cost}, via {carrier}")),
            (Some(cost), Some(carrier), Lang::Zh) => Some(format!("{cost}，{carrier}")),
            (Some(cost), None, _) => Some(cost),
            (None, Some(carrier), Lang::En) => Some(format!("it ships via {carrier}")),
            (None, Some(carrier), Lang::Zh) => Some(format!("{carrier}发货")),
            (None, None, _) => None,
        }
    }

    /// Fills every `{slot}` in `text`. Fails with the first slot the ledger cannot back, so the caller can drop or
    /// replace the sentence rather than say something the data does not support.
    pub fn fill(&self, text: &str) -> Result<String, UnbackedSlot> {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let Some(close) = after.find('}') else {
                out.push_str(&rest[open..]);
                return Ok(out);
            };
            let name = &after[..close];
            match self.slot(name) {
                Some(words) => out.push_str(&words),
                None => return Err(UnbackedSlot(name.to_string())),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A slot the ledger has no fact for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnbackedSlot(pub String);

impl std::fmt::Display for UnbackedSlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the product data does not back {{{}}}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::OfferWindow;

    fn tea_set() -> Product {
        let mut p = crate::test_products::tea_set();
        p.stock = Some(42);
        p
    }

    #[test]
    fn fills_slots_from_the_data_in_both_languages() {
        let ledger = ClaimsLedger::for_product(&tea_set(), Lang::Zh, UnixMs(0));
        assert_eq!(
            ledger.fill("{title}现在{price}，原价{compare_at}，库存{stock}。").unwrap(),
            "茶具现在一百九十九元，原价二百五十九元，库存四十二件。"
        );
        let en = ClaimsLedger::for_product(&tea_set(), Lang::En, UnixMs(0));
        assert_eq!(
            en.fill("Only {price}, {discount}.").unwrap(),
            "Only one hundred ninety-nine yuan, twenty-three percent off."
        );
    }

    #[test]
    fn refuses_slots_the_data_does_not_back() {
        let mut p = tea_set();
        p.compare_at = None;
        p.stock = None;
        let ledger = ClaimsLedger::for_product(&p, Lang::En, UnixMs(0));
        assert_eq!(ledger.fill("Now {discount}!"), Err(UnbackedSlot("discount".into())));
        assert_eq!(ledger.fill("{stock} left"), Err(UnbackedSlot("stock".into())));
        assert_eq!(ledger.fill("{made_up}"), Err(UnbackedSlot("made_up".into())));
    }

    #[test]
    fn a_closed_offer_window_backs_no_discount_or_deadline() {
        let mut p = tea_set();
        p.offer = Some(OfferWindow { starts_at: Some(UnixMs(1_000)), ends_at: Some(UnixMs(10_000_000)) });
        let during = ClaimsLedger::for_product(&p, Lang::En, UnixMs(2_000));
        assert!(during.slot("discount").is_some());
        assert_eq!(during.slot("offer_ends").as_deref(), Some("two hours and forty-six minutes"));
        let after = ClaimsLedger::for_product(&p, Lang::En, UnixMs(10_000_000));
        assert_eq!(after.slot("discount"), None);
        assert_eq!(after.slot("offer_ends"), None);
        let before = ClaimsLedger::for_product(&p, Lang::En, UnixMs(0));
        assert_eq!(before.slot("discount"), None);
    }

    #[test]
    fn sold_out_backs_no_stock_count() {
        let mut p = tea_set();
        p.stock = Some(0);
        let ledger = ClaimsLedger::for_product(&p, Lang::En, UnixMs(0));
        assert!(ledger.facts.contains(&Fact::SoldOut));
        assert_eq!(ledger.slot("stock"), None);
    }
}
