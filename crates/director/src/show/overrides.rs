//! Edits that stick: a price or stock a moderator sets in the console holds over product-file reloads (and, through
//! the store, restarts) until a moderator clears it. A reload whose file now says something else for an overridden
//! value is a conflict: the console's value stays, and the moderators are told what the file says. Flash sales
//! survive reloads the same way, over the file's new regular price.
//!
//! Every change is reported as one `ConsoleEvent::OverridesChanged` with the whole standing state, which the console
//! shows and the store keeps; `Input::RestoreOverrides` puts it back after a restart.

use super::Show;
use model::{
    ConsoleEvent, FlashSaleOverride, Money, PriceOverride, Product, ProductId, ProductOverride, ShowTime,
    StandingOverrides, StockOverride, UnixMs,
};
use std::collections::BTreeMap;

/// One product's console values (see [`ProductOverride`]).
#[derive(Clone, Debug, Default)]
pub(super) struct Held {
    price: Option<PriceOverride>,
    stock: Option<StockOverride>,
    since: Option<UnixMs>,
}

pub(super) type Overrides = BTreeMap<ProductId, Held>;

impl Show {
    /// The product's price and reference price as the file gives them: under a flash sale, the sale's regular
    /// price; under a console price, the file's as recorded; else the queue's.
    fn file_price(&self, id: &ProductId, product: &Product) -> (Money, Option<Money>) {
        if let Some(price) = self.overrides.get(id).and_then(|h| h.price.as_ref()) {
            return (price.file_price.clone(), price.file_compare_at.clone());
        }
        match self.flash_sales.get(id) {
            Some(sale) => sale.regular(),
            None => (product.price.clone(), product.compare_at.clone()),
        }
    }

    /// A moderator set the price: it holds until cleared. Called after the queue took it.
    pub(super) fn hold_price(
        &mut self,
        now: ShowTime,
        id: &ProductId,
        before: &Product,
        (price, compare_at): (Money, Option<Money>),
        by: String,
    ) {
        let (file_price, file_compare_at) = self.file_price(id, before);
        let since = self.wall(now);
        let held = self.overrides.entry(id.clone()).or_default();
        held.since.get_or_insert(since);
        held.price = Some(PriceOverride { price, compare_at, file_price, file_compare_at, by: Some(by) });
        self.report_overrides();
    }

    /// A moderator set the stock: it holds until cleared. Called after the queue took it.
    pub(super) fn hold_stock(
        &mut self,
        now: ShowTime,
        id: &ProductId,
        before: &Product,
        stock: Option<u32>,
        by: String,
    ) {
        let since = self.wall(now);
        let held = self.overrides.entry(id.clone()).or_default();
        let file_stock = held.stock.as_ref().map_or(before.stock, |s| s.file_stock);
        held.since.get_or_insert(since);
        held.stock = Some(StockOverride { stock, file_stock, by: Some(by) });
        self.report_overrides();
    }

    /// Before a product file (or a shop update, `from`) replaces the queue: overridden values it now gives
    /// differently are conflicts, told to the moderators once; its values are remembered for when the override is
    /// cleared.
    pub(super) fn note_file_conflicts(&mut self, products: &[Product], from: &str) {
        let mut notes = Vec::new();
        for (id, held) in &mut self.overrides {
            let Some(file) = products.iter().find(|p| &p.id == id) else { continue };
            if let Some(price) = held.price.as_mut()
                && (price.file_price != file.price || price.file_compare_at != file.compare_at)
            {
                notes.push(format!(
                    "{from} now says {} for {id}; the console's {} stays until you clear it",
                    file.price.display(),
                    price.price.display()
                ));
                price.file_price = file.price.clone();
                price.file_compare_at = file.compare_at.clone();
            }
            if let Some(stock) = held.stock.as_mut()
                && stock.file_stock != file.stock
            {
                let shown = |s: Option<u32>| s.map_or("unknown".to_string(), |n| n.to_string());
                notes.push(format!(
                    "{from} now says stock {} for {id}; the console's {} stays until you clear it",
                    shown(file.stock),
                    shown(stock.stock)
                ));
                stock.file_stock = file.stock;
            }
        }
        for note in notes {
            self.moderator_note(note);
        }
    }

    /// After a product file replaced the queue: the console's prices and stock go back on, then running flash sales
    /// over the new regular price (a sale no longer below it ends, and the moderators are told).
    pub(super) fn reapply_overrides(&mut self) {
        let held: Vec<(ProductId, Held)> = self.overrides.iter().map(|(id, h)| (id.clone(), h.clone())).collect();
        for (id, held) in held {
            if let Some(price) = held.price {
                self.queue.set_price(&id, price.price, price.compare_at);
            }
            if let Some(stock) = held.stock {
                self.queue.set_stock(&id, stock.stock);
            }
        }
        let sales: Vec<(ProductId, Money)> =
            self.flash_sales.iter().map(|(id, sale)| (id.clone(), sale.price.clone())).collect();
        for (id, price) in sales {
            let Some(product) = self.queue.get(&id).cloned() else { continue };
            if price.percent_off_from(&product.price).is_none() {
                self.flash_sales.remove(&id);
                self.moderator_note(format!(
                    "flash sale on {id} ended: the product file's price {} is no longer above the sale's {}",
                    product.price.display(),
                    price.display()
                ));
                continue;
            }
            if let Some(sale) = self.flash_sales.get_mut(&id) {
                sale.reload(&product);
                let (window, regular) = (sale.window(), product.price.clone());
                self.queue.set_price(&id, price, Some(regular));
                self.queue.set_offer(&id, Some(window));
            }
        }
        self.report_overrides();
    }

    /// A moderator cleared the console's price and stock on `id`: the file's values are back.
    pub(super) fn clear_override(&mut self, now: ShowTime, id: &ProductId) {
        let Some(held) = self.overrides.remove(id) else {
            return self.moderator_note(format!("nothing to clear on {id}: the console has not changed it"));
        };
        if let Some(price) = held.price {
            match self.flash_sales.get_mut(id) {
                // Under a running sale the file's price becomes its regular price again, and the sale goes on
                // only while it is still below it.
                Some(sale) => {
                    sale.set_regular(price.file_price.clone(), price.file_compare_at.clone());
                    let sale_price = sale.price.clone();
                    if sale_price.percent_off_from(&price.file_price).is_some() {
                        self.queue.set_price(id, sale_price, Some(price.file_price.clone()));
                    } else {
                        self.end_flash_sale(now, id);
                        self.moderator_note(format!(
                            "flash sale on {id} ended: the product file's price {} is not above the sale's",
                            price.file_price.display()
                        ));
                    }
                }
                None => {
                    self.queue.set_price(id, price.file_price.clone(), price.file_compare_at.clone());
                }
            }
        }
        if let Some(stock) = held.stock {
            self.queue.set_stock(id, stock.file_stock);
        }
        self.refresh_card(now, id);
        self.moderator_note(format!("cleared the console's changes to {id}: the product file's values are back"));
        self.report_overrides();
    }

    /// After a restart: the stored changes over the products just loaded (conflicts told as on a reload), flash
    /// sales that have not ended yet, and the pin.
    pub(super) fn restore_overrides(&mut self, now: ShowTime, state: StandingOverrides) {
        let wall = self.wall(now);
        for item in &state.products {
            let held = Held { price: item.price.clone(), stock: item.stock.clone(), since: Some(item.since) };
            if held.price.is_some() || held.stock.is_some() {
                self.overrides.insert(item.product.clone(), held);
            }
        }
        let current: Vec<Product> = self.queue.products().to_vec();
        self.note_file_conflicts(&current, "the product file");
        self.reapply_overrides();
        for item in state.products {
            if let Some(sale) = item.flash_sale.filter(|s| s.ends_at > wall) {
                self.start_flash_sale(now, item.product.clone(), sale.price, sale.ends_at, sale.by);
            }
            self.refresh_card(now, &item.product);
        }
        if let Some(pinned) = state.pinned {
            self.pin_product(now, pinned);
        }
        self.report_overrides();
    }

    /// A moderator pins `id`: the host stays on it until unpinned (refused for a product that cannot be sold now).
    pub(super) fn pin_product(&mut self, now: ShowTime, id: ProductId) {
        let wall = self.wall(now);
        match self.queue.get(&id) {
            None => self.moderator_note(format!("pin {id} refused: no such product in the queue")),
            Some(p) if !crate::queue::is_eligible(p, wall) => self.moderator_note(format!(
                "pin {id} refused: it cannot be sold right now (sold out, or outside its offer window)"
            )),
            Some(_) => {
                self.queue.pin(&id);
                self.forget_resumed_pitch();
                self.drop_prepared_pitch();
                self.moderator_note(format!("pinned {id}: the host stays on it until unpinned"));
                self.report_overrides();
            }
        }
    }

    /// What the console changed and still holds, as the console and the store see it.
    pub(super) fn standing_overrides(&self) -> StandingOverrides {
        let mut ids: Vec<&ProductId> = self.overrides.keys().chain(self.flash_sales.keys()).collect();
        ids.sort();
        ids.dedup();
        let products = ids
            .into_iter()
            .map(|id| {
                let held = self.overrides.get(id);
                let sale = self.flash_sales.get(id);
                ProductOverride {
                    product: id.clone(),
                    price: held.and_then(|h| h.price.clone()),
                    stock: held.and_then(|h| h.stock.clone()),
                    flash_sale: sale.map(|s| FlashSaleOverride {
                        price: s.price.clone(),
                        ends_at: s.ends_at,
                        by: s.by.clone(),
                    }),
                    since: held.and_then(|h| h.since).or(sale.map(|s| s.since)).unwrap_or(UnixMs(0)),
                }
            })
            .collect();
        StandingOverrides { products, pinned: self.queue.pinned().cloned() }
    }

    /// Tells the console and the store, when the standing changes differ from what they were last told.
    pub(super) fn report_overrides(&mut self) {
        let state = self.standing_overrides();
        if self.overrides_reported != state {
            self.overrides_reported = state.clone();
            self.outputs.push_back(super::protocol::Output::Console(ConsoleEvent::OverridesChanged(state)));
        }
    }
}
