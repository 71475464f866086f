//! The claims ledger: per product, the facts the host may state, each typed, with their spoken forms.
//!
//! Writers (templates now, the LLM later) write facts as slots such as `{price}` or `{stock}`; the ledger fills
//! them through the verbalizer. A slot the ledger cannot back (no compare-at price, unknown stock, an offer
//! window that has closed) stays unfilled, and the sentence that needs it is not said.

use crate::verbalize;
use model::{Lang, Money, Product, ProductId, UnixMs};

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
}

/// The facts for one product at one moment, in one language.
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
        if offer_open && let (Some(was), Some(percent)) = (&product.compare_at, product.percent_off()) {
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
        ClaimsLedger { product: product.id.clone(), lang, now, facts }
    }

    fn find<T>(&self, pick: impl Fn(&Fact) -> Option<T>) -> Option<T> {
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
            _ => None,
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
