//! Flash sales: a moderator's temporary price and window over a product's own, put back when the sale ends.

use super::Show;
use model::{Money, OfferWindow, ProductId, ShowTime, UnixMs};

/// A product's own price and window, kept while a flash sale overrides them, and the sale's own.
#[derive(Clone, Debug)]
pub(super) struct FlashSale {
    regular_price: Money,
    regular_compare_at: Option<Money>,
    regular_offer: Option<OfferWindow>,
    /// The sale's price.
    pub(super) price: Money,
    pub(super) ends_at: UnixMs,
    /// When it started.
    pub(super) since: UnixMs,
    /// The console account that started (or last changed) it.
    pub(super) by: Option<String>,
}

impl FlashSale {
    /// The price and reference price the product has without the sale.
    pub(super) fn regular(&self) -> (Money, Option<Money>) {
        (self.regular_price.clone(), self.regular_compare_at.clone())
    }

    pub(super) fn set_regular(&mut self, price: Money, compare_at: Option<Money>) {
        self.regular_price = price;
        self.regular_compare_at = compare_at;
    }

    /// The product was reloaded (its price possibly overridden again): what it has without the sale is this now.
    pub(super) fn reload(&mut self, product: &model::Product) {
        self.regular_price = product.price.clone();
        self.regular_compare_at = product.compare_at.clone();
        self.regular_offer = product.offer;
    }

    /// The offer window the sale puts on the product.
    pub(super) fn window(&self) -> OfferWindow {
        OfferWindow { starts_at: None, ends_at: Some(self.ends_at) }
    }
}

impl Show {
    pub(super) fn start_flash_sale(
        &mut self,
        now: ShowTime,
        id: ProductId,
        price: Money,
        ends_at: UnixMs,
        by: Option<String>,
    ) {
        let wall = self.wall(now);
        if let Some(until) = self.calm_until.filter(|until| wall < *until) {
            let minutes = (until.0 - wall.0 + 59_999) / 60_000;
            return self.moderator_note(format!(
                "flash sale refused: a viewer in crisis wrote in the last minutes; the show stays calm for about \
                 {minutes} more minute(s)"
            ));
        }
        let Some(product) = self.queue.get(&id).cloned() else {
            return self.moderator_note(format!("flash sale refused: no product {} in the queue", id.0));
        };
        if ends_at <= wall {
            return self.moderator_note("flash sale refused: its end is not in the future".into());
        }
        let regular = self.flash_sales.get(&id).map_or(product.price.clone(), |f| f.regular_price.clone());
        if price.percent_off_from(&regular).is_none() {
            return self.moderator_note(format!(
                "flash sale refused: {} is not below the regular price {}",
                price.display(),
                regular.display()
            ));
        }
        let sale = self.flash_sales.entry(id.clone()).or_insert_with(|| FlashSale {
            regular_price: product.price.clone(),
            regular_compare_at: product.compare_at.clone(),
            regular_offer: product.offer,
            price: price.clone(),
            ends_at,
            since: wall,
            by: None,
        });
        sale.by = by;
        sale.ends_at = ends_at;
        sale.price = price.clone();
        let was = sale.regular_price.clone();
        self.queue.set_price(&id, price.clone(), Some(was));
        self.queue.set_offer(&id, Some(OfferWindow { starts_at: None, ends_at: Some(ends_at) }));
        self.moderator_note(format!("flash sale on {}: {} until {}", id.0, price.display(), ends_at.0));
        self.refresh_card(now, &id);
        self.report_overrides();
    }

    /// Puts the regular price and window back; false when no flash sale was running on `id`.
    pub(super) fn end_flash_sale(&mut self, now: ShowTime, id: &ProductId) -> bool {
        let Some(sale) = self.flash_sales.remove(id) else { return false };
        self.queue.set_price(id, sale.regular_price, sale.regular_compare_at);
        self.queue.set_offer(id, sale.regular_offer);
        self.refresh_card(now, id);
        self.report_overrides();
        true
    }
}
