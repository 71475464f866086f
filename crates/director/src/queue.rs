//! The product queue: which product the host talks about next and which part of its pitch.
//!
//! Order is the merchandiser's (higher `pin_priority` first, then file order). Products that are sold out or
//! outside their offer window are skipped. A flash sale that opens during the show jumps the queue at the next
//! sentence boundary. A moderator's pin holds the host on one product until it is released. A product with a
//! dwell time keeps being pitched (features, usage, offer again) until its dwell has passed.

use crate::templates;
use model::{Facet, Lang, Money, OfferWindow, Product, ProductId, ShowTime, UnixMs};
use std::collections::HashSet;

#[derive(Debug, Default)]
pub struct ProductQueue {
    products: Vec<Product>,
    /// The product being pitched (or next to be) and the facet that comes next for it.
    cursor: usize,
    facet: usize,
    /// When the cursor product's current segment started (its hook was planned).
    segment_started: Option<ShowTime>,
    /// A moderator's pin: the host stays on this product while it is set.
    pinned: Option<ProductId>,
    /// Flash sales whose opening has been announced (or that were already open when loaded).
    opened: HashSet<ProductId>,
    /// Where a restarted show picks up, applied when the products arrive.
    resume: Option<(ProductId, Facet)>,
    /// The order of the current segment's facets (`None`: [`Facet::PITCH_ORDER`]), and the order the next
    /// segment starts with (a pitch variant, see [`crate::links::Variant`]). A segment keeps its order to its end,
    /// so a variant changing mid-segment neither repeats nor skips a facet.
    order: Option<[Facet; 5]>,
    next_order: Option<[Facet; 5]>,
}

/// Where the queue stood before a pitch was planned, so a pitch that never aired can be given back
/// ([`ProductQueue::give_back`]) and is said later instead of skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct QueuePlace {
    product: Option<ProductId>,
    cursor: usize,
    facet: usize,
    segment_started: Option<ShowTime>,
}

/// Whether a product may be pitched at `wall`: in stock (or stock unknown) and inside its offer window.
pub fn is_eligible(product: &Product, wall: UnixMs) -> bool {
    product.stock != Some(0) && product.offer.is_none_or(|w| w.is_open_at(wall))
}

impl ProductQueue {
    /// The facet order the next segment starts with.
    pub fn set_pitch_order(&mut self, order: [Facet; 5]) {
        self.next_order = Some(order).filter(|o| *o != Facet::PITCH_ORDER);
    }

    fn facets(&self) -> [Facet; 5] {
        self.order.unwrap_or(Facet::PITCH_ORDER)
    }

    pub fn products(&self) -> &[Product] {
        &self.products
    }

    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
    }

    pub fn get(&self, id: &ProductId) -> Option<&Product> {
        self.products.iter().find(|p| &p.id == id)
    }

    /// The product at the cursor (being pitched, or next).
    pub fn current(&self) -> Option<&Product> {
        self.products.get(self.cursor)
    }

    /// Replaces the queue. The product at the cursor keeps its place and facet when it is still there, so a
    /// reload never restarts the pitch; offers already open are not announced again.
    pub fn replace(&mut self, mut products: Vec<Product>, wall: UnixMs) {
        // Stable: equal priorities keep the file's order.
        products.sort_by_key(|p| std::cmp::Reverse(p.pin_priority));
        let current = self.current().map(|p| p.id.clone());
        for p in &products {
            if p.offer.is_some_and(|w| w.starts_at.is_some() && w.is_open_at(wall)) {
                self.opened.insert(p.id.clone());
            }
        }
        self.products = products;
        if let Some((id, facet)) = self.resume.take()
            && let Some(idx) = self.products.iter().position(|p| p.id == id)
        {
            self.cursor = idx;
            self.facet = self.facets().iter().position(|f| *f == facet).unwrap_or(0);
            return;
        }
        match current.and_then(|id| self.products.iter().position(|p| p.id == id)) {
            Some(idx) => self.cursor = idx,
            None => {
                self.cursor = 0;
                self.facet = 0;
                self.segment_started = None;
            }
        }
    }

    /// After a restart: continue with `facet` of `product` once the queue is loaded (ignored if it is gone).
    pub fn resume_at(&mut self, product: ProductId, facet: Facet) {
        self.resume = Some((product, facet));
    }

    /// Sets a product's stock (a live update). Returns the updated product, or `None` for an unknown id.
    pub fn set_stock(&mut self, id: &ProductId, stock: Option<u32>) -> Option<&Product> {
        let product = self.products.iter_mut().find(|p| &p.id == id)?;
        product.stock = stock;
        Some(product)
    }

    /// Sets a product's price and compare-at price (a live update).
    pub fn set_price(&mut self, id: &ProductId, price: Money, compare_at: Option<Money>) -> Option<&Product> {
        let product = self.products.iter_mut().find(|p| &p.id == id)?;
        product.price = price;
        product.compare_at = compare_at;
        Some(product)
    }

    /// Sets (or clears) a product's offer window (a flash sale, or its end).
    pub fn set_offer(&mut self, id: &ProductId, offer: Option<OfferWindow>) -> Option<&Product> {
        let product = self.products.iter_mut().find(|p| &p.id == id)?;
        product.offer = offer;
        Some(product)
    }

    /// Holds the host on `id` from the next line on. False for an unknown id.
    pub fn pin(&mut self, id: &ProductId) -> bool {
        let known = self.get(id).is_some();
        if known {
            self.pinned = Some(id.clone());
        }
        known
    }

    pub fn unpin(&mut self) {
        self.pinned = None;
    }

    pub fn pinned(&self) -> Option<&ProductId> {
        self.pinned.as_ref()
    }

    /// Moves to the next (or previous) eligible product, starting at its hook; `None` when no product may be sold.
    pub fn skip(&mut self, forward: bool, wall: UnixMs) -> Option<ProductId> {
        let n = self.products.len();
        for step in 1..=n {
            let idx = if forward { (self.cursor + step) % n } else { (self.cursor + n - step % n) % n };
            if is_eligible(&self.products[idx], wall) {
                self.move_to(idx);
                return Some(self.products[idx].id.clone());
            }
        }
        None
    }

    fn move_to(&mut self, idx: usize) {
        self.cursor = idx;
        self.facet = 0;
        self.segment_started = None;
    }

    /// The next moment an offer window opens or closes after `wall`, so the director wakes up on time.
    pub fn next_boundary(&self, wall: UnixMs) -> Option<UnixMs> {
        self.products
            .iter()
            .filter_map(|p| p.offer)
            .flat_map(|w| [w.starts_at, w.ends_at])
            .flatten()
            .filter(|t| *t > wall)
            .min()
    }

    /// Where the queue stands now (see [`QueuePlace`]).
    pub fn place(&self) -> QueuePlace {
        QueuePlace {
            product: self.current().map(|p| p.id.clone()),
            cursor: self.cursor,
            facet: self.facet,
            segment_started: self.segment_started,
        }
    }

    /// Puts the queue back where it stood at `place`: the pitch planned from there did not air. Ignored when the
    /// queue changed under it since (a reload that moved the product, a pin, a skip), so it never jumps back to
    /// a product the moderators moved away from. True when the queue went back.
    pub fn give_back(&mut self, place: QueuePlace) -> bool {
        let same_product =
            place.product.is_some() && self.products.get(place.cursor).map(|p| &p.id) == place.product.as_ref();
        let pin_allows = self.pinned.as_ref().is_none_or(|pin| Some(pin) == place.product.as_ref());
        if !same_product || !pin_allows {
            return false;
        }
        self.cursor = place.cursor;
        self.facet = place.facet;
        self.segment_started = place.segment_started;
        true
    }

    /// The next product and facet to pitch, advancing the cursor; `None` when no product may be pitched now.
    pub fn next_pitch(&mut self, now: ShowTime, wall: UnixMs, lang: Lang) -> Option<(Product, Facet)> {
        let n = self.products.len();
        if n == 0 {
            return None;
        }
        if let Some(id) = self.pinned.clone() {
            match self.products.iter().position(|p| p.id == id && is_eligible(p, wall)) {
                Some(idx) if idx != self.cursor => self.move_to(idx),
                Some(_) => {}
                // A pinned product that sold out or closed releases the pin.
                None => self.pinned = None,
            }
        }
        if self.pinned.is_none() {
            let just_opened = self.products.iter().position(|p| {
                p.offer.is_some_and(|w| w.starts_at.is_some_and(|s| s <= wall))
                    && is_eligible(p, wall)
                    && !self.opened.contains(&p.id)
            });
            if let Some(idx) = just_opened {
                self.opened.insert(self.products[idx].id.clone());
                self.move_to(idx);
            }
        }
        if !is_eligible(&self.products[self.cursor.min(n - 1)], wall) {
            self.cursor = self.cursor.min(n - 1);
            let before = self.cursor;
            self.skip(true, wall);
            if self.cursor == before && !is_eligible(&self.products[before], wall) {
                return None;
            }
        }
        let facets = Facet::PITCH_ORDER.len();
        // Every facet of every product once, plus a lap: more than enough to find one with material.
        for _ in 0..(n + 1) * facets {
            let idx = self.cursor.min(n - 1);
            if self.facet == 0 {
                self.segment_started = Some(now);
                self.order = self.next_order;
            }
            let order = self.facets();
            let facet = order[self.facet % facets];
            self.facet += 1;
            let product = &self.products[idx];
            let usable = is_eligible(product, wall) && templates::has_material(product, facet, lang);
            // The segment ends with its last facet that has material, so the dwell is judged when that is said.
            let rest_empty =
                order[self.facet.min(facets)..].iter().all(|f| !templates::has_material(product, *f, lang));
            let chosen = usable.then(|| (product.clone(), facet));
            if self.facet >= facets || (usable && rest_empty) {
                self.end_of_facets(now, wall);
            }
            if chosen.is_some() {
                return chosen;
            }
        }
        None
    }

    /// All facets of the cursor product said: stay (pinned, or dwell not yet reached) or move on.
    fn end_of_facets(&mut self, now: ShowTime, wall: UnixMs) {
        let product = &self.products[self.cursor.min(self.products.len() - 1)];
        let dwell_left = product
            .dwell_secs
            .zip(self.segment_started)
            .is_some_and(|(dwell, started)| now.since(started) < dwell as u64 * 1000);
        let pinned_here = self.pinned.as_ref() == Some(&product.id);
        if pinned_here || dwell_left {
            // Stay on the product: go round again from its features (no second hook).
            self.facet = 1;
        } else {
            self.skip(true, wall);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Currency, Localized, OfferWindow};

    fn product(id: &str) -> Product {
        let usd = Currency::parse("USD").unwrap();
        Product::new(id, Localized::one(Lang::En, id.to_string()), Money::parse_decimal("10", usd).unwrap())
    }

    fn pitches(queue: &mut ProductQueue, count: usize, wall: UnixMs) -> Vec<(String, Facet)> {
        (0..count)
            .filter_map(|i| queue.next_pitch(ShowTime(i as u64 * 1000), wall, Lang::En))
            .map(|(p, f)| (p.id.0, f))
            .collect()
    }

    #[test]
    fn orders_by_priority_and_skips_sold_out_products() {
        let mut a = product("a");
        let mut b = product("b");
        b.pin_priority = 10;
        a.stock = Some(0);
        let mut q = ProductQueue::default();
        q.replace(vec![a, b, product("c")], UnixMs(0));
        let said = pitches(&mut q, 4, UnixMs(0));
        assert_eq!(
            said,
            vec![
                ("b".into(), Facet::Hook),
                ("b".into(), Facet::Offer),
                ("c".into(), Facet::Hook),
                ("c".into(), Facet::Offer)
            ]
        );
        // Back in stock: it gets its turn.
        q.set_stock(&ProductId("a".into()), Some(3));
        let said = pitches(&mut q, 4, UnixMs(0));
        assert_eq!(said[2], ("a".into(), Facet::Hook), "{said:?}");
    }

    #[test]
    fn a_flash_sale_enters_when_it_opens_and_leaves_when_it_closes() {
        let mut sale = product("sale");
        sale.offer = Some(OfferWindow { starts_at: Some(UnixMs(60_000)), ends_at: Some(UnixMs(120_000)) });
        let mut q = ProductQueue::default();
        q.replace(vec![product("a"), product("b"), sale], UnixMs(0));
        assert!(pitches(&mut q, 6, UnixMs(0)).iter().all(|(id, _)| id != "sale"));
        assert_eq!(q.next_boundary(UnixMs(0)), Some(UnixMs(60_000)));
        let opened = pitches(&mut q, 1, UnixMs(60_000));
        assert_eq!(opened, vec![("sale".into(), Facet::Hook)], "the sale jumps the queue as it opens");
        assert_eq!(q.next_boundary(UnixMs(60_000)), Some(UnixMs(120_000)));
        assert!(pitches(&mut q, 6, UnixMs(120_000)).iter().all(|(id, _)| id != "sale"));
    }

    #[test]
    fn dwell_keeps_the_host_on_a_product_and_a_pin_holds_it() {
        let mut a = product("a");
        a.dwell_secs = Some(5);
        let mut q = ProductQueue::default();
        q.replace(vec![a, product("b")], UnixMs(0));
        // One line a second: a's facets (hook, offer) repeat until five seconds have passed.
        let said: Vec<String> = pitches(&mut q, 8, UnixMs(0)).into_iter().map(|(id, _)| id).collect();
        assert_eq!(said, vec!["a", "a", "a", "a", "a", "a", "b", "b"]);

        assert!(q.pin(&ProductId("b".into())));
        assert!(!q.pin(&ProductId("nope".into())));
        let held: Vec<String> = pitches(&mut q, 6, UnixMs(0)).into_iter().map(|(id, _)| id).collect();
        assert!(held.iter().all(|id| id == "b"), "{held:?}");
        q.unpin();
        let after: Vec<String> = pitches(&mut q, 4, UnixMs(0)).into_iter().map(|(id, _)| id).collect();
        assert!(after.contains(&"a".to_string()), "{after:?}");
    }

    #[test]
    fn nothing_eligible_means_no_pitch() {
        let mut a = product("a");
        a.stock = Some(0);
        let mut q = ProductQueue::default();
        q.replace(vec![a], UnixMs(0));
        assert_eq!(q.next_pitch(ShowTime(0), UnixMs(0), Lang::En), None);
    }

    #[test]
    fn a_reload_keeps_the_cursor_product() {
        let mut q = ProductQueue::default();
        q.replace(vec![product("a"), product("b"), product("c")], UnixMs(0));
        pitches(&mut q, 3, UnixMs(0)); // a hook, a offer, b hook
        q.replace(vec![product("new"), product("c"), product("b"), product("a")], UnixMs(0));
        assert_eq!(pitches(&mut q, 1, UnixMs(0)), vec![("b".into(), Facet::Offer)]);
    }
}
