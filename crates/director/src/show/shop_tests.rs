//! A live shop's values over the product file's: what the shop says reaches the queue, the card and what is said;
//! a file reload does not undo it; a console change wins and the conflict is told; the product on offer that sells
//! out gets one plain line and is not pitched again; a withdrawn product leaves quietly.

use super::moderation_tests::notes;
use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{
    Currency, Facet, Lang, LineKind, Localized, Money, Product, ProductId, ShopFacts, ShopStatus, ShopVariant,
    ShowTime, StageCommand, UnixMs, Variant,
};

fn money(amount: &str, code: &str) -> Money {
    Money::parse_decimal(amount, Currency::parse(code).unwrap()).unwrap()
}

fn usd(amount: &str) -> Money {
    money(amount, "USD")
}

fn product(id: &str, price: &str, stock: u32) -> Product {
    let mut p = Product::new(id, Localized::one(Lang::En, format!("The {id}")), usd(price));
    p.description = Localized::one(Lang::En, format!("A good {id}."));
    p.stock = Some(stock);
    p
}

fn id(name: &str) -> ProductId {
    ProductId(name.into())
}

fn facts(name: &str, price: &str, compare_at: Option<&str>, stock: Option<u32>, status: ShopStatus) -> ShopFacts {
    ShopFacts {
        product: id(name),
        price: usd(price),
        compare_at: compare_at.map(usd),
        stock,
        status,
        variants: Vec::new(),
    }
}

fn shop(list: Vec<ShopFacts>) -> Input {
    Input::ShopUpdate { shop: "shopify".into(), facts: list }
}

fn queued(show: &Rehearsal, name: &str) -> Product {
    show.show().queue().iter().find(|p| p.id.0 == name).cloned().expect("in the queue")
}

/// The cards put up between `from` and `to` (every 250 ms), as (time, product, price, stock shown).
fn cards(show: &mut Rehearsal, from: u64, to: u64) -> Vec<(u64, String, String, Option<String>)> {
    let mut out = Vec::new();
    for t in (from..=to).step_by(250) {
        for c in show.advance_to(ShowTime(t)) {
            if let StageCommand::PinOffer(card) = c {
                out.push((t, card.product.0.clone(), card.price.clone(), card.stock.clone()));
            }
        }
    }
    out
}

#[test]
fn the_shops_price_and_stock_reach_the_card_and_the_words_and_a_file_reload_keeps_them() {
    let file = vec![product("kettle", "30", 12), product("scarf", "12", 5)];
    let mut show = Rehearsal::new(ShowConfig::default(), file.clone(), UnixMs(0));
    show.advance_to(ShowTime(2_000));
    show.input(shop(vec![facts("kettle", "27", Some("30"), Some(9), ShopStatus::ForSale)]));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price.clone(), kettle.compare_at.clone(), kettle.stock), (usd("27"), Some(usd("30")), Some(9)));
    assert!(notes(&show).iter().any(|n| n.contains("shopify: kettle now price $27.00 (was $30.00), stock 9")));
    // The card on screen changed at once (the kettle is the first product).
    let shown = cards(&mut show, 2_000, 2_500);
    assert!(shown.iter().any(|c| c.1 == "kettle" && c.2 == "$27.00"), "{shown:?}");

    // The merchandiser saves the file again (with the old price): the shop's values stay.
    show.input(Input::ProductsLoaded(file));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.stock), (usd("27"), Some(9)), "a file reload must not undo the shop");

    // Every price said about the kettle is the shop's.
    show.advance_to(ShowTime(240_000));
    let offers: Vec<String> = show
        .transcript()
        .iter()
        .filter(|l| l.kind == LineKind::Pitch(Facet::Offer) && l.product == Some(id("kettle")))
        .map(|l| l.text.clone())
        .collect();
    assert!(!offers.is_empty(), "the kettle's offer was never pitched");
    assert!(offers.iter().all(|t| !t.contains("$30.00") || t.contains("$27.00")), "{offers:?}");
    assert!(offers.iter().any(|t| t.contains("$27.00")), "{offers:?}");
}

#[test]
fn a_console_change_wins_over_the_shop_and_the_conflict_is_told() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12)], UnixMs(0));
    show.advance_to(ShowTime(2_000));
    show.input(Input::PriceChanged { product: id("kettle"), price: usd("25"), compare_at: None, by: "lin".into() });
    show.input(Input::StockChanged { product: id("kettle"), stock: Some(4), by: "lin".into() });
    show.input(shop(vec![facts("kettle", "28", None, Some(40), ShopStatus::ForSale)]));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.stock), (usd("25"), Some(4)), "the console's values stay");
    let said = notes(&show);
    assert!(said.iter().any(|n| n.contains("shopify now says $28.00 for kettle") && n.contains("$25.00 stays")));
    assert!(said.iter().any(|n| n.contains("shopify now says stock 40 for kettle")), "{said:?}");
    // The same shop values again are no new conflict.
    let before = notes(&show).len();
    show.input(shop(vec![facts("kettle", "28", None, Some(40), ShopStatus::ForSale)]));
    assert_eq!(notes(&show).len(), before, "{:?}", &notes(&show)[before..]);
    // Cleared: the shop's values are back, not the file's.
    show.input(Input::ClearOverride { product: id("kettle") });
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.stock), (usd("28"), Some(40)));
}

#[test]
fn a_flash_sales_regular_price_follows_the_shop() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12)], UnixMs(0));
    show.advance_to(ShowTime(2_000));
    show.input(Input::StartFlashSale {
        product: id("kettle"),
        price: usd("24"),
        ends_at: UnixMs(60_000),
        by: "m".into(),
    });
    show.input(shop(vec![facts("kettle", "35", None, Some(12), ShopStatus::ForSale)]));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.compare_at), (usd("24"), Some(usd("35"))));
    show.advance_to(ShowTime(61_000));
    assert_eq!(queued(&show, "kettle").price, usd("35"), "after the sale, the shop's price");
    // A shop price at or below the sale's ends the sale, and says so.
    show.input(Input::StartFlashSale {
        product: id("kettle"),
        price: usd("30"),
        ends_at: UnixMs(120_000),
        by: "m".into(),
    });
    show.input(shop(vec![facts("kettle", "29", None, Some(12), ShopStatus::ForSale)]));
    assert_eq!(queued(&show, "kettle").price, usd("29"));
    assert!(notes(&show).iter().any(|n| n.contains("flash sale on kettle ended")), "{:?}", notes(&show));
}

/// The product on offer sells out in the shop: one plain line says so, its card comes down, and the host moves
/// on to the next product without pitching it again.
#[test]
fn the_product_on_offer_selling_out_gets_one_plain_line_and_is_not_pitched_again() {
    for lang in [Lang::En, Lang::Zh] {
        let mut file = vec![product("kettle", "30", 12), product("scarf", "12", 5)];
        if lang == Lang::Zh {
            for (p, (title, about)) in file.iter_mut().zip([("水壶", "一把好水壶。"), ("围巾", "一条好围巾。")])
            {
                p.title = Localized::one(lang, title.to_string());
                p.description = Localized::one(lang, about.to_string());
            }
        }
        let config = ShowConfig { lang, ..ShowConfig::default() };
        let mut show = Rehearsal::new(config, file, UnixMs(0));
        // Whichever product is on the card at 15 s sells out.
        let early = cards(&mut show, 0, 15_000);
        let on_card = early.last().map(|c| c.1.clone()).expect("a card went up");
        let other = if on_card == "kettle" { "scarf" } else { "kettle" };
        let before = queued(&show, &on_card);
        show.input(shop(vec![facts(&on_card, &before.price.display()[1..], None, Some(0), ShopStatus::ForSale)]));
        let t_sold = show.now();
        let shown = cards(&mut show, t_sold.ms(), 200_000);
        let lines: Vec<_> = show.transcript().iter().filter(|l| l.started_at() >= t_sold).cloned().collect();
        let sold: Vec<_> = lines.iter().filter(|l| l.kind == LineKind::SoldOut).collect();
        assert_eq!(sold.len(), 1, "{lang:?}: {:?}", lines.iter().map(|l| (&l.kind, &l.text)).collect::<Vec<_>>());
        let said = &sold[0].text;
        assert!(said.contains("sold out") || said.contains("卖完") || said.contains("售罄"), "{said:?}");
        assert!(said.contains(before.title(lang)), "{said:?}");
        assert_eq!(sold[0].product, Some(id(&on_card)));
        // Said soon after the change (after the line on air and the one already prepared).
        assert!(sold[0].started_at().ms() - t_sold.ms() < 30_000, "{:?}", sold[0].started_at());
        let after: Vec<_> = lines.iter().filter(|l| l.started_at() > sold[0].started_at()).collect();
        assert!(after.iter().all(|l| l.product != Some(id(&on_card))), "pitched after selling out: {after:?}");
        assert!(after.iter().any(|l| l.product == Some(id(other))), "the show moved on");
        // Its card is up again only while the line says it sold out, and then it says "sold out" too.
        let again: Vec<_> = shown.iter().filter(|c| c.1 == on_card).collect();
        assert!(again.len() <= 1, "{shown:?}");
        assert!(again.iter().all(|c| c.0 >= sold[0].started_at().ms() && c.3.is_some()), "{shown:?}");
    }
}

#[test]
fn a_moderator_setting_the_stock_on_offer_to_zero_gets_the_same_line_and_other_products_sell_out_quietly() {
    let file = vec![product("kettle", "30", 12), product("scarf", "12", 5), product("lamp", "40", 3)];
    let mut show = Rehearsal::new(ShowConfig::default(), file, UnixMs(0));
    show.advance_to(ShowTime(15_000));
    // Not on the card: no line about it.
    show.input(shop(vec![facts("lamp", "40", None, Some(0), ShopStatus::ForSale)]));
    show.input(Input::StockChanged { product: id("kettle"), stock: Some(0), by: "lin".into() });
    show.advance_to(ShowTime(200_000));
    let sold: Vec<_> = show.transcript().iter().filter(|l| l.kind == LineKind::SoldOut).collect();
    assert_eq!(sold.len(), 1, "{sold:?}");
    assert_eq!(sold[0].product, Some(id("kettle")));
    assert!(show.transcript().iter().all(|l| l.product != Some(id("lamp"))), "the sold-out lamp was pitched");
}

#[test]
fn a_withdrawn_product_leaves_the_rotation_without_being_called_sold_out_and_comes_back() {
    let file = vec![product("kettle", "30", 12), product("scarf", "12", 5)];
    let mut show = Rehearsal::new(ShowConfig::default(), file, UnixMs(0));
    show.advance_to(ShowTime(15_000));
    show.input(shop(vec![facts("kettle", "30", None, Some(12), ShopStatus::Withdrawn)]));
    assert!(notes(&show).iter().any(|n| n.contains("kettle now no longer for sale")), "{:?}", notes(&show));
    let t = show.now();
    show.advance_to(ShowTime(150_000));
    let lines: Vec<_> = show.transcript().iter().filter(|l| l.started_at() > t).collect();
    assert!(lines.iter().all(|l| l.kind != LineKind::SoldOut), "a withdrawn product is not sold out");
    // The line already prepared may still air; after it, the kettle is not pitched.
    let kettle_lines = lines.iter().filter(|l| l.product == Some(id("kettle"))).count();
    assert!(kettle_lines <= 1, "{lines:?}");
    show.input(shop(vec![facts("kettle", "30", None, Some(12), ShopStatus::ForSale)]));
    assert!(notes(&show).iter().any(|n| n.contains("kettle now for sale again")));
    let t = show.now();
    show.advance_to(ShowTime(600_000));
    assert!(show.transcript().iter().any(|l| l.started_at() > t && l.product == Some(id("kettle"))), "not back");
}

#[test]
fn shop_facts_in_another_currency_or_without_a_price_are_refused_and_the_last_good_values_stay() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12)], UnixMs(0));
    show.advance_to(ShowTime(2_000));
    let mut eur = facts("kettle", "20", None, Some(3), ShopStatus::ForSale);
    eur.price = money("20", "EUR");
    show.input(shop(vec![eur]));
    assert!(notes(&show).iter().any(|n| n.contains("in EUR") && n.contains("last good values stay")));
    show.input(shop(vec![facts("kettle", "0", None, Some(3), ShopStatus::ForSale)]));
    assert!(notes(&show).iter().any(|n| n.contains("not a price")), "{:?}", notes(&show));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.stock), (usd("30"), Some(12)));
    // A product the queue does not have is ignored, and a compare-at price not above the price is not shown.
    show.input(shop(vec![
        facts("ghost", "5", None, Some(1), ShopStatus::ForSale),
        facts("kettle", "26", Some("26"), Some(12), ShopStatus::ForSale),
    ]));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.compare_at), (usd("26"), None));
    assert!(show.show().queue().iter().all(|p| p.id.0 != "ghost"));
}

#[test]
fn variants_follow_the_shop_by_sku() {
    let mut kettle = product("kettle", "30", 12);
    let variant = |sku: &str, price: &str, stock: u32| Variant {
        sku: Some(sku.into()),
        options: vec![("Colour".into(), sku.into())],
        price: usd(price),
        compare_at: None,
        stock: Some(stock),
        image: None,
    };
    kettle.variants = vec![variant("red", "30", 6), variant("blue", "32", 6)];
    let mut show = Rehearsal::new(ShowConfig::default(), vec![kettle], UnixMs(0));
    let mut update = facts("kettle", "28", None, Some(7), ShopStatus::ForSale);
    update.variants = vec![
        ShopVariant { sku: "blue".into(), price: usd("29"), compare_at: Some(usd("32")), stock: Some(2) },
        ShopVariant { sku: "green".into(), price: usd("1"), compare_at: None, stock: Some(1) },
    ];
    show.input(shop(vec![update]));
    let kettle = queued(&show, "kettle");
    let vs: Vec<_> = kettle.variants.iter().map(|v| (v.price.clone(), v.compare_at.clone(), v.stock)).collect();
    assert_eq!(vs, vec![(usd("30"), None, Some(6)), (usd("29"), Some(usd("32")), Some(2))], "unknown SKUs ignored");
}

/// Any order of shop updates, file reloads and console changes: the queue always holds the console's value where
/// one stands, else the shop's, else the file's.
#[test]
fn any_order_of_shop_updates_reloads_and_console_changes_keeps_the_layers() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let names = ["kettle", "scarf", "lamp"];
    for round in 0..20 {
        let mut file: Vec<Product> = names.iter().map(|n| product(n, "30", 10)).collect();
        let mut show = Rehearsal::new(ShowConfig::default(), file.clone(), UnixMs(0));
        let mut shop_price: [Option<(Money, Option<u32>)>; 3] = [None, None, None];
        let mut console_price: [Option<Money>; 3] = [None, None, None];
        let mut t = 1_000;
        for step in 0..60 {
            t += 900;
            show.advance_to(ShowTime(t));
            let i = next(3) as usize;
            match next(4) {
                0 => {
                    let price = usd(&(10 + next(40)).to_string());
                    let stock = Some(1 + next(20) as u32);
                    show.input(shop(vec![facts(names[i], &price.display()[1..], None, stock, ShopStatus::ForSale)]));
                    shop_price[i] = Some((price, stock));
                }
                1 => {
                    let price = usd(&(10 + next(40)).to_string());
                    show.input(Input::PriceChanged {
                        product: id(names[i]),
                        price: price.clone(),
                        compare_at: None,
                        by: "m".into(),
                    });
                    console_price[i] = Some(price);
                }
                2 => {
                    show.input(Input::ClearOverride { product: id(names[i]) });
                    console_price[i] = None;
                }
                _ => {
                    file[i].price = usd(&(10 + next(40)).to_string());
                    file[i].stock = Some(1 + next(20) as u32);
                    show.input(Input::ProductsLoaded(file.clone()));
                }
            }
            for (k, name) in names.iter().enumerate() {
                let q = queued(&show, name);
                let base = shop_price[k].clone().unwrap_or((file[k].price.clone(), file[k].stock));
                let want = console_price[k].clone().unwrap_or(base.0.clone());
                assert_eq!((q.price, q.stock), (want, base.1), "round {round} step {step} {name}");
            }
        }
    }
}
