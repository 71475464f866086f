//! The pinned offer card's text, formatted from the product data alone.

use model::{Lang, OfferCard, Product, StockLevel, UnixMs};

/// Builds what the offer card shows for `product` in `lang` at wall time `now`. A discount badge appears only when
/// the compare-at price is really above the price, stock only when the data states it, and a countdown only when
/// the offer has an end still ahead. `stock_start` is the stock the offer started with (for the stock bar).
pub fn offer_card(product: &Product, lang: Lang, now: UnixMs, stock_start: Option<u32>) -> OfferCard {
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
        stock_level: product
            .stock
            .zip(stock_start)
            .map(|(left, start)| StockLevel { left, start: start.max(left) })
            .filter(|level| level.start > 0),
        image: product.image.clone(),
        url: product.url.clone(),
        ends_in_ms: product.offer.and_then(|w| w.ends_at).filter(|end| *end > now).map(|end| (end.0 - now.0) as u64),
        lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::{Currency, Localized, Money, OfferWindow};

    #[test]
    fn the_card_counts_down_only_to_an_end_still_ahead() {
        let usd = Currency::parse("USD").unwrap();
        let mut p = Product::new("p", Localized::one(Lang::En, "P".into()), Money::parse_decimal("9", usd).unwrap());
        assert_eq!(offer_card(&p, Lang::En, UnixMs(0), None).ends_in_ms, None);
        p.offer = Some(OfferWindow { starts_at: None, ends_at: Some(UnixMs(90_000)) });
        assert_eq!(offer_card(&p, Lang::En, UnixMs(30_000), None).ends_in_ms, Some(60_000));
        assert_eq!(offer_card(&p, Lang::En, UnixMs(90_000), None).ends_in_ms, None);
    }
}
