//! Products shared by the director's unit tests, so each test module adds only the facts it is about.

use model::{Currency, Lang, Localized, Money, Product};

/// A tea set at ¥199, down from ¥259, titled in English and Chinese; nothing else is stated.
pub fn tea_set() -> Product {
    let cny = Currency::parse("CNY").unwrap();
    let mut p = Product::new(
        "tea",
        Localized { en: Some("Tea Set".into()), zh: Some("茶具".into()) },
        Money::parse_decimal("199", cny.clone()).unwrap(),
    );
    p.compare_at = Some(Money::parse_decimal("259", cny).unwrap());
    p
}

/// A kettle at $30 (was $40) with 12 in stock, and nothing else: no deadline, shipping, returns, coupon or gift.
/// The held-out sets' kettle, before its features.
pub fn kettle() -> Product {
    let usd = Currency::parse("USD").unwrap();
    let mut p = Product::new(
        "kettle",
        Localized { en: Some("Kettle".into()), zh: Some("电水壶".into()) },
        Money::parse_decimal("30", usd.clone()).unwrap(),
    );
    p.compare_at = Some(Money::parse_decimal("40", usd).unwrap());
    p.stock = Some(12);
    p
}

/// The tea set with English features.
pub fn tea_set_with_features(features: &[&str]) -> Product {
    let mut p = tea_set();
    p.features = Localized::one(Lang::En, features.iter().map(|f| f.to_string()).collect());
    p
}

/// The tea set with everything a merchant may state beyond price and stock: free shipping (free over ¥99 too),
/// dispatch within 48 hours by SF Express, 7-day returns, a gift, and one promotion of each kind, none of them
/// windowed.
pub fn tea_set_with_policies() -> Product {
    use model::{Promotion, PromotionKind, Returns, Shipping, ShippingCost};
    let cny = Currency::parse("CNY").unwrap();
    let money = |text: &str| Money::parse_decimal(text, cny.clone()).unwrap();
    let mut p = tea_set();
    p.shipping = Some(Shipping {
        cost: Some(ShippingCost::Free),
        free_over: Some(money("99")),
        dispatch_hours: Some(48),
        carrier: Localized { en: Some("SF Express".into()), zh: Some("顺丰快递".into()) },
    });
    p.returns = Some(Returns {
        days: Some(7),
        conditions: Localized { en: Some("unused and in the box".into()), zh: Some("未使用且包装完好".into()) },
    });
    p.gifts = Localized { en: Some(vec!["a tea towel".into()]), zh: Some(vec!["一条茶巾".into()]) };
    let promotion = |kind| Promotion { kind, text: Localized::default(), starts_at: None, ends_at: None };
    p.promotions = vec![
        promotion(PromotionKind::BuyXGetY { buy: 2, get: 1 }),
        promotion(PromotionKind::NthItemPercentOff { n: 2, percent: 50 }),
        promotion(PromotionKind::SpendAndSave { spend: money("199"), save: money("30") }),
        promotion(PromotionKind::Coupon { code: Some("TEA10".into()), save: Some(money("10")) }),
    ];
    p
}
