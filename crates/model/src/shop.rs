//! What a shop system (Shopify, WooCommerce) says about a product now: the facts a live sync carries into the show.
//!
//! Backstage's connectors read them from the shop's API and map each shop item to a queue product by id (a
//! Shopify handle, a WooCommerce SKU or `id:<ID>`, as the catalog importers name products); the director lays them
//! over the product file's values, under the moderators' console changes.

use crate::{Money, ProductId};
use serde::{Deserialize, Serialize};

/// Whether the shop sells the product at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShopStatus {
    /// Published and for sale (its stock may still be zero).
    ForSale,
    /// Published but marked out of stock (WooCommerce `outofstock`, Shopify with no variant available for sale).
    OutOfStock,
    /// Not sold any more, or not yet: a draft, archived, private or deleted product. The host stops pitching it
    /// without calling it sold out.
    Withdrawn,
}

/// One variant as the shop gives it, matched to the queue's variant by SKU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopVariant {
    pub sku: String,
    pub price: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    /// `None` when the shop does not count this variant's stock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
}

/// One product as the shop gives it now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopFacts {
    pub product: ProductId,
    /// The price a buyer pays now (for products with variants: the first variant's, as the importers do).
    pub price: Money,
    /// The reference price, only when it is above `price`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compare_at: Option<Money>,
    /// Units the shop can sell (summed over the variants that count it); `None` when it counts none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock: Option<u32>,
    pub status: ShopStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<ShopVariant>,
}

impl ShopFacts {
    /// The stock the show should state: a product the shop marks out of stock has none, whatever count it gives.
    pub fn sellable_stock(&self) -> Option<u32> {
        match self.status {
            ShopStatus::OutOfStock => Some(0),
            _ => self.stock,
        }
    }
}
