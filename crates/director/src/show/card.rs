//! The offer card: what is on screen is what is said, and a product's live changes show at once.

use super::Show;
use super::protocol::Output;
use crate::offer;
use crate::queue::is_eligible;
use model::{Product, ProductId, ShowTime, StageCommand};

impl Show {
    /// A product file was loaded: it becomes the queue, with the shop's latest values on top.
    pub(super) fn load_products(&mut self, now: ShowTime, products: Vec<Product>) {
        let products = self.remember_file(products);
        self.replace_products(now, products, "the product file");
    }

    /// `products` replace the queue; `from` names where their new values came from (the product file, a shop) in
    /// what the moderators are told about conflicts with their changes.
    pub(super) fn replace_products(&mut self, now: ShowTime, products: Vec<Product>, from: &str) {
        let wall = self.wall(now);
        let card_before = self.pinned.as_ref().and_then(|id| self.queue.get(id)).cloned();
        for p in &products {
            if let Some(n) = p.stock {
                let start = self.stock_start.entry(p.id.clone()).or_insert(n);
                *start = (*start).max(n);
            }
        }
        self.note_file_conflicts(&products, from);
        self.queue.replace(products, wall);
        // The console's prices, stock and flash sales hold over a reload.
        self.reapply_overrides();
        // The card goes up at once, so viewers see the offer even while the host greets them; a reload that changed
        // the pinned product's data (price, stock, picture) shows the new data.
        self.pin_card(now);
        self.note_sell_out(card_before.clone());
        if let Some(before) = card_before
            && self.pinned.as_ref() == Some(&before.id)
            && let Some(after) = self.queue.get(&before.id).filter(|after| **after != before).cloned()
        {
            self.show_card(now, &after);
        }
        if self.on_air.is_none() && self.next.is_none() {
            self.quiet_since = now;
        }
    }

    pub(super) fn show_card(&mut self, now: ShowTime, product: &Product) {
        if self.standby {
            self.outputs.push_back(Output::Stage(StageCommand::Standby { on: false }));
            self.standby = false;
        }
        let start = self.stock_start.get(&product.id).copied();
        let wall = self.wall(now);
        let mut card = offer::offer_card(product, self.config.lang, wall, start);
        let variant = self.config.links.variant_at(wall);
        card.url = card.url.map(|url| self.config.links.tracked(&url, &product.id, variant));
        self.card_variant = variant;
        self.outputs.push_back(Output::Stage(StageCommand::PinOffer(card)));
        self.pinned = Some(product.id.clone());
    }

    /// Puts up the card that belongs on screen, unless it is already showing: the product of the line on air
    /// (what is on screen is what is said); between lines, the card already up while it may still be sold,
    /// else the queue's current product or the first eligible one. Takes the card down when the line on air is
    /// about a product that may no longer be sold, or nothing may be pitched.
    pub(super) fn pin_card(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        let eligible = |id: &ProductId| self.queue.get(id).filter(|p| is_eligible(p, wall)).cloned();
        let wanted = match self.on_air.as_ref().and_then(|a| a.product.as_ref()) {
            Some(speaking) => eligible(speaking),
            None => self.pinned.as_ref().and_then(eligible).or_else(|| {
                let products = self.queue.products();
                self.queue
                    .current()
                    .filter(|p| is_eligible(p, wall))
                    .or_else(|| products.iter().find(|p| is_eligible(p, wall)))
                    .cloned()
            }),
        };
        let any_eligible = self.queue.products().iter().any(|p| is_eligible(p, wall));
        match wanted {
            Some(product) if self.pinned.as_ref() != Some(&product.id) => self.show_card(now, &product),
            Some(_) => {}
            None => {
                if self.pinned.take().is_some() {
                    self.outputs.push_back(Output::Stage(StageCommand::UnpinOffer));
                }
                if !self.standby && !self.queue.is_empty() && !any_eligible {
                    self.outputs.push_back(Output::Stage(StageCommand::Standby { on: true }));
                    self.standby = true;
                }
            }
        }
    }

    /// A product's data changed live: the card shows the new data at once, and a line already prepared about the
    /// product (which may state the old price or stock) is dropped and written again.
    /// A new pitch-variant slot began: the card on screen gets the new variant's link (nothing else changes).
    pub(super) fn follow_variant(&mut self, now: ShowTime) {
        let wall = self.wall(now);
        if self.config.links.variant_at(wall) == self.card_variant {
            return;
        }
        if let Some(product) = self.pinned.as_ref().and_then(|id| self.queue.get(id)).filter(|p| is_eligible(p, wall)) {
            let product = product.clone();
            self.show_card(now, &product);
        }
    }

    pub(super) fn refresh_card(&mut self, now: ShowTime, id: &ProductId) {
        if self.pinned.as_ref() == Some(id) {
            let wall = self.wall(now);
            match self.queue.get(id).filter(|p| is_eligible(p, wall)).cloned() {
                Some(product) => self.show_card(now, &product),
                None => self.pin_card(now),
            }
        }
        if self.next.as_ref().and_then(|n| n.product.as_ref()).is_some_and(|p| &p.id == id) {
            self.drop_prepared_pitch();
        }
    }

    /// Forgets a prepared pitch line (its product changed, or the moderator moved the show on); the next step
    /// plans a fresh one. Results for it that arrive later are dropped as stale.
    pub(super) fn drop_prepared_pitch(&mut self) {
        if self.next.as_ref().is_some_and(|n| n.product.is_some()) {
            self.discard_next();
        }
    }
}
