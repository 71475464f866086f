//! A live shop's values (Shopify, WooCommerce) over the product file's: prices, compare-at prices, stock and
//! whether the product is sold at all, kept current by backstage's connectors through `Input::ShopUpdate`.
//!
//! The layers, bottom to top: the product file, the shop's latest facts, the moderators' console changes (and
//! flash sales). A shop update rebuilds the queue from the last file with the facts on top, through the same path
//! as a file reload, so a shop value that conflicts with a console change is told to the moderators and not
//! applied, and a flash sale's regular price follows the shop. A file reload keeps the shop's values: the shop is
//! live, the file is a snapshot.

use super::Show;
use model::{LineKind, OfferWindow, Product, ProductId, ShopFacts, ShopStatus, ShowTime, UnixMs};
use std::collections::BTreeMap;

/// The shop's latest facts per product, and the product file they are laid over.
#[derive(Clone, Debug, Default)]
pub(super) struct ShopLayer {
    facts: BTreeMap<ProductId, ShopFacts>,
    /// The last product file as loaded, before any shop facts.
    file: Vec<Product>,
}

impl ShopLayer {
    /// The file's products with the shop's facts on top.
    fn over(&self, mut products: Vec<Product>) -> Vec<Product> {
        for product in &mut products {
            if let Some(facts) = self.facts.get(&product.id) {
                overlay(product, facts);
            }
        }
        products
    }
}

/// A withdrawn product's offer: closed since the epoch, so the queue skips it and the card comes down, without
/// the product being called sold out.
const WITHDRAWN: OfferWindow = OfferWindow { starts_at: None, ends_at: Some(UnixMs(0)) };

/// Puts the shop's facts on one product: price, a compare-at price only when above it, stock, variants matched by
/// SKU, and a closed offer when the shop no longer sells it.
fn overlay(product: &mut Product, facts: &ShopFacts) {
    product.price = facts.price.clone();
    product.compare_at = facts.compare_at.clone().filter(|was| was.minor > facts.price.minor);
    product.stock = facts.sellable_stock();
    for shop in &facts.variants {
        if let Some(variant) = product.variants.iter_mut().find(|v| v.sku.as_deref() == Some(shop.sku.as_str())) {
            variant.price = shop.price.clone();
            variant.compare_at = shop.compare_at.clone().filter(|was| was.minor > shop.price.minor);
            variant.stock = if facts.status == ShopStatus::OutOfStock { Some(0) } else { shop.stock };
        }
    }
    if facts.status == ShopStatus::Withdrawn {
        product.offer = Some(WITHDRAWN);
    }
}

/// Why a shop's facts for a product cannot be used (the product keeps its last good values).
fn unusable(facts: &ShopFacts, product: &Product) -> Option<String> {
    if facts.price.currency != product.price.currency {
        return Some(format!(
            "the shop prices {} in {}, the product file in {}: check the shop's currency or the file's",
            product.id, facts.price.currency, product.price.currency
        ));
    }
    if facts.price.minor <= 0 && facts.status != ShopStatus::Withdrawn {
        return Some(format!(
            "the shop gives {} a price of {}, which is not a price",
            product.id,
            facts.price.display()
        ));
    }
    None
}

impl Show {
    /// A product file replaced the queue: keep it as the layer under the shop's facts, and return it with them on.
    pub(super) fn remember_file(&mut self, products: Vec<Product>) -> Vec<Product> {
        self.shop.file = products.clone();
        self.shop.over(products)
    }

    /// The shop's latest facts: the products they change are rebuilt from the file with every fact on top, and
    /// the moderators hear what changed.
    pub(super) fn shop_update(&mut self, now: ShowTime, shop: &str, facts: Vec<ShopFacts>) {
        let mut changed = false;
        for facts in facts {
            let Some(product) = self.queue.get(&facts.product) else { continue };
            if let Some(why) = unusable(&facts, product) {
                self.moderator_note(format!("{shop}: {why}; the last good values stay"));
                continue;
            }
            if self.shop.facts.get(&facts.product) != Some(&facts) {
                self.shop.facts.insert(facts.product.clone(), facts);
                changed = true;
            }
        }
        if !changed || self.shop.file.is_empty() {
            return;
        }
        let before: Vec<Product> = self.queue.products().to_vec();
        let products = self.shop.over(self.shop.file.clone());
        self.replace_products(now, products, shop);
        for old in before {
            let Some(new) = self.queue.get(&old.id) else { continue };
            let mut parts = Vec::new();
            if new.price != old.price || new.compare_at != old.compare_at {
                let was = new.compare_at.as_ref().map_or(String::new(), |c| format!(" (was {})", c.display()));
                parts.push(format!("price {}{was}", new.price.display()));
            }
            if new.stock != old.stock {
                parts.push(format!("stock {}", new.stock.map_or("unknown".to_string(), |n| n.to_string())));
            }
            let withdrawn = |p: &Product| p.offer == Some(WITHDRAWN);
            if withdrawn(new) != withdrawn(&old) {
                parts.push(if withdrawn(new) { "no longer for sale" } else { "for sale again" }.to_string());
            }
            if !parts.is_empty() {
                self.moderator_note(format!("{shop}: {} now {}", old.id, parts.join(", ")));
            }
        }
    }

    /// The product on the card ran out (its stock went to zero): one plain line says so, once, and the show moves
    /// on. `before` is the card's product before the change.
    pub(super) fn note_sell_out(&mut self, before: Option<Product>) {
        let Some(before) = before.filter(|p| p.stock != Some(0)) else { return };
        let sold_out = self.queue.get(&before.id).is_some_and(|p| p.stock == Some(0));
        if sold_out && !self.sold_out_lines.contains(&before.id) {
            self.sold_out_lines.push_back(before.id);
        }
    }

    /// The product a sold-out line is due for, if it is still sold out and nothing said it yet.
    pub(super) fn sold_out_due(&mut self) -> Option<Product> {
        while let Some(id) = self.sold_out_lines.pop_front() {
            if let Some(product) = self.queue.get(&id).filter(|p| p.stock == Some(0)) {
                return Some(product.clone());
            }
        }
        None
    }

    /// Whether `kind` is the line that says its product sold out (it airs although the product may not be sold).
    pub(super) fn says_sold_out(kind: LineKind) -> bool {
        kind == LineKind::SoldOut
    }
}
