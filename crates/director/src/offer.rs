//! The pinned offer card's text, formatted from the product data alone.

use model::{Lang, OfferCard, Product};

/// Builds what the offer card shows for `product` in `lang`. A discount badge appears only when the compare-at
/// price is really above the price, and stock only when the data states it.
pub fn offer_card(product: &Product, lang: Lang) -> OfferCard {
    let compare_at =
        product.compare_at.as_ref().filter(|was| product.price.percent_off_from(was).is_some()).map(|m| m.display());
    let discount = product.percent_off().filter(|p| *p > 0).map(|p| match lang {
        Lang::En => format!("-{p}%"),
        Lang::Zh => format!("省{p}%"),
    });
    let stock = product.stock.map(|n| match lang {
        Lang::En if n == 0 => "Sold out".to_string(),
        Lang::En => format!("{n} left"),
        Lang::Zh if n == 0 => "已售罄".to_string(),
        Lang::Zh => format!("仅剩 {n} 件"),
    });
    OfferCard {
        product: product.id.clone(),
        title: product.title(lang).to_string(),
        price: product.price.display(),
        compare_at,
        discount,
        stock,
        image: product.image.clone(),
        url: product.url.clone(),
    }
}
