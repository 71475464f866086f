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

/// The tea set with English features.
pub fn tea_set_with_features(features: &[&str]) -> Product {
    let mut p = tea_set();
    p.features = Localized::one(Lang::En, features.iter().map(|f| f.to_string()).collect());
    p
}
