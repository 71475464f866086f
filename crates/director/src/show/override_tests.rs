//! Edits that stick: the console's prices, stock, flash sales and pin hold over product-file reloads and restarts
//! until a moderator clears them, and a file that now says otherwise is shown as a conflict, not applied.

use super::moderation_tests::notes;
use crate::rehearsal::Rehearsal;
use crate::show::{Input, ShowConfig};
use model::{
    ConsoleEvent, Currency, Lang, LineKind, Localized, Money, Product, ProductId, ShowTime, StageCommand,
    StandingOverrides, UnixMs,
};

fn usd(amount: &str) -> Money {
    Money::parse_decimal(amount, Currency::parse("USD").unwrap()).unwrap()
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

fn standing(show: &Rehearsal) -> StandingOverrides {
    show.events()
        .iter()
        .rev()
        .find_map(|e| match e {
            ConsoleEvent::OverridesChanged(state) => Some(state.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

fn queued(show: &Rehearsal, name: &str) -> Product {
    show.show().queue().iter().find(|p| p.id.0 == name).cloned().expect("in the queue")
}

#[test]
fn a_console_price_and_stock_hold_over_a_reload_until_cleared() {
    let mut show =
        Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12), product("scarf", "12", 5)], UnixMs(0));
    show.advance_to(ShowTime(3_000));
    show.input(Input::PriceChanged {
        product: id("kettle"),
        price: usd("25"),
        compare_at: Some(usd("30")),
        by: "lin".into(),
    });
    show.input(Input::StockChanged { product: id("kettle"), stock: Some(3), by: "wei".into() });
    let state = standing(&show);
    assert_eq!(state.products.len(), 1);
    let kettle = &state.products[0];
    assert_eq!(kettle.price.as_ref().map(|p| (&p.price, &p.file_price)), Some((&usd("25"), &usd("30"))));
    assert_eq!(kettle.stock.as_ref().map(|s| (s.stock, s.file_stock)), Some((Some(3), Some(12))));
    let by = (kettle.price.as_ref().and_then(|p| p.by.as_deref()), kettle.stock.as_ref().and_then(|s| s.by.as_deref()));
    assert_eq!(by, (Some("lin"), Some("wei")), "each value says who set it");

    // The merchandiser saves the file with a new price and stock for the kettle.
    show.input(Input::ProductsLoaded(vec![product("kettle", "32", 20), product("scarf", "12", 5)]));
    let after = queued(&show, "kettle");
    assert_eq!((after.price.clone(), after.stock), (usd("25"), Some(3)), "the console's values stay");
    let said = notes(&show);
    assert!(said.iter().any(|n| n.contains("now says $32.00 for kettle") && n.contains("$25.00 stays")), "{said:?}");
    assert!(said.iter().any(|n| n.contains("now says stock 20 for kettle")), "{said:?}");
    assert_eq!(standing(&show).products[0].price.as_ref().map(|p| p.file_price.clone()), Some(usd("32")));
    // The same file again is no new conflict.
    let before = notes(&show).len();
    show.input(Input::ProductsLoaded(vec![product("kettle", "32", 20), product("scarf", "12", 5)]));
    assert_eq!(notes(&show).len(), before, "{:?}", &notes(&show)[before..]);
    // What is said follows the console's price.
    show.advance_to(ShowTime(200_000));
    let offers: Vec<String> = show
        .transcript()
        .iter()
        .filter(|l| l.kind == LineKind::Pitch(model::Facet::Offer) && l.product == Some(id("kettle")))
        .map(|l| l.text.clone())
        .collect();
    assert!(!offers.is_empty() && offers.iter().all(|t| t.contains("$25.00") && !t.contains("$32.00")), "{offers:?}");

    show.input(Input::ClearOverride { product: id("kettle") });
    let cleared = queued(&show, "kettle");
    assert_eq!((cleared.price, cleared.stock), (usd("32"), Some(20)), "the file's values are back");
    assert!(standing(&show).products.is_empty());
    show.input(Input::ClearOverride { product: id("kettle") });
    assert!(notes(&show).last().is_some_and(|n| n.contains("nothing to clear")), "{:?}", notes(&show).last());
}

#[test]
fn a_flash_sale_survives_a_reload_over_the_new_regular_price() {
    let mut show = Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12)], UnixMs(0));
    show.advance_to(ShowTime(3_000));
    show.input(Input::StartFlashSale {
        product: id("kettle"),
        price: usd("24"),
        ends_at: UnixMs(120_000),
        by: "mod".into(),
    });
    show.input(Input::ProductsLoaded(vec![product("kettle", "35", 12)]));
    let kettle = queued(&show, "kettle");
    assert_eq!((kettle.price, kettle.compare_at), (usd("24"), Some(usd("35"))), "still on sale, below the new price");
    let mut cards = Vec::new();
    for t in (3_000..=130_000).step_by(500) {
        for c in show.advance_to(ShowTime(t)) {
            if let StageCommand::PinOffer(card) = c {
                cards.push((t, card.price, card.compare_at));
            }
        }
    }
    assert!(cards.iter().all(|c| c.0 >= 120_000 || c.1 == "$24.00"), "{cards:?}");
    assert!(cards.iter().any(|c| c.0 >= 120_000 && c.1 == "$35.00"), "the file's new price after the sale: {cards:?}");

    // A reload that puts the regular price at or below the sale's ends the sale, and says so.
    let mut show = Rehearsal::new(ShowConfig::default(), vec![product("kettle", "30", 12)], UnixMs(0));
    show.advance_to(ShowTime(3_000));
    show.input(Input::StartFlashSale {
        product: id("kettle"),
        price: usd("24"),
        ends_at: UnixMs(120_000),
        by: "mod".into(),
    });
    show.input(Input::ProductsLoaded(vec![product("kettle", "20", 12)]));
    assert_eq!(queued(&show, "kettle").price, usd("20"));
    assert!(notes(&show).iter().any(|n| n.contains("flash sale on kettle ended")), "{:?}", notes(&show));
    assert!(standing(&show).products.is_empty());
}

#[test]
fn the_standing_changes_come_back_after_a_restart_and_an_ended_sale_does_not() {
    let file = || vec![product("kettle", "30", 12), product("scarf", "12", 5), product("lamp", "40", 7)];
    let mut before = Rehearsal::new(ShowConfig::default(), file(), UnixMs(1_000_000));
    before.advance_to(ShowTime(3_000));
    before.input(Input::PriceChanged { product: id("kettle"), price: usd("25"), compare_at: None, by: "mod".into() });
    before.input(Input::StockChanged { product: id("scarf"), stock: None, by: "mod".into() });
    before.input(Input::StartFlashSale {
        product: id("lamp"),
        price: usd("33"),
        ends_at: UnixMs(1_600_000),
        by: "kim".into(),
    });
    before.input(Input::PinProduct(id("scarf")));
    let state = standing(&before);
    assert_eq!(state.pinned, Some(id("scarf")));
    assert_eq!(state.products.len(), 3, "{state:?}");
    // Through JSON, as the store keeps it.
    let kept: StandingOverrides = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();

    // Five minutes later a new process loads the file (the scarf's stock changed meanwhile) and the kept state.
    let mut changed = file();
    changed[1].stock = Some(9);
    let mut after = Rehearsal::new(ShowConfig::default(), changed, UnixMs(1_300_000));
    after.input(Input::RestoreOverrides(kept.clone()));
    for name in ["kettle", "scarf", "lamp"] {
        let (a, b) = (queued(&before, name), queued(&after, name));
        assert_eq!((a.price, a.compare_at, a.stock), (b.price, b.compare_at, b.stock), "{name}");
    }
    let restored = standing(&after);
    assert_eq!(restored.pinned, Some(id("scarf")));
    assert_eq!(
        restored.products.iter().map(|p| p.product.clone()).collect::<Vec<_>>(),
        [id("kettle"), id("lamp"), id("scarf")]
    );
    assert!(notes(&after).iter().any(|n| n.contains("now says stock 9 for scarf")), "{:?}", notes(&after));
    let lamp = restored.products.iter().find(|p| p.product == id("lamp")).and_then(|p| p.flash_sale.as_ref());
    assert_eq!(lamp.and_then(|s| s.by.as_deref()), Some("kim"), "who started the sale survives the restart");

    // After the sale's end, a restart does not bring it back.
    let mut late = Rehearsal::new(ShowConfig::default(), file(), UnixMs(1_700_000));
    late.input(Input::RestoreOverrides(kept));
    assert_eq!(queued(&late, "lamp").price, usd("40"));
    assert!(standing(&late).products.iter().all(|p| p.flash_sale.is_none()));
}

/// Random moderators and merchandisers: prices, stock, clears, flash sales and reloads in any order. After every
/// step the queue holds the console's value where one stands and the file's otherwise, and the standing state says
/// exactly which.
#[test]
fn any_order_of_edits_and_reloads_keeps_the_console_values_until_cleared() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for round in 0..20 {
        let names = ["kettle", "scarf", "lamp"];
        let mut file: Vec<Product> = names.iter().map(|n| product(n, "30", 10)).collect();
        let mut show = Rehearsal::new(ShowConfig::default(), file.clone(), UnixMs(0));
        // The model: the console's price and stock per product, if any.
        let mut price: [Option<Money>; 3] = [None, None, None];
        let mut stock: [Option<Option<u32>>; 3] = [None, None, None];
        let mut t = 1_000;
        for step in 0..60 {
            t += 700;
            show.advance_to(ShowTime(t));
            let i = next(3) as usize;
            let p = id(names[i]);
            match next(5) {
                0 => {
                    let amount = usd(&(10 + next(40)).to_string());
                    show.input(Input::PriceChanged {
                        product: p,
                        price: amount.clone(),
                        compare_at: None,
                        by: "mod".into(),
                    });
                    price[i] = Some(amount);
                }
                1 => {
                    let n = (next(4) > 0).then(|| next(50) as u32);
                    show.input(Input::StockChanged { product: p, stock: n, by: "mod".into() });
                    stock[i] = Some(n);
                }
                2 => {
                    show.input(Input::ClearOverride { product: p });
                    price[i] = None;
                    stock[i] = None;
                }
                _ => {
                    file[i].price = usd(&(10 + next(40)).to_string());
                    file[i].stock = Some(next(50) as u32);
                    show.input(Input::ProductsLoaded(file.clone()));
                }
            }
            for (k, name) in names.iter().enumerate() {
                let q = queued(&show, name);
                let want_price = price[k].clone().unwrap_or(file[k].price.clone());
                let want_stock = stock[k].unwrap_or(file[k].stock);
                assert_eq!((q.price, q.stock), (want_price, want_stock), "round {round} step {step} {name}");
            }
            let state = standing(&show);
            for (k, name) in names.iter().enumerate() {
                let held = state.products.iter().find(|o| o.product.0 == *name);
                assert_eq!(
                    held.and_then(|h| h.price.as_ref()).map(|p| p.price.clone()),
                    price[k],
                    "round {round} {name}"
                );
                assert_eq!(held.and_then(|h| h.stock.as_ref()).map(|s| s.stock), stock[k], "round {round} {name}");
                if let Some(p) = held.and_then(|h| h.price.as_ref()) {
                    assert_eq!(p.file_price, file[k].price, "the file's value is tracked for the clear");
                }
            }
        }
    }
}

/// Replies waiting for approval and moderators' lines waiting for their turn come back after a restart (even
/// kill -9): the pending reply is in the console's queue again under a new id and airs once approved; the say-now
/// line airs; a pending reply whose approval time ran out while the show was down does not come back.
#[test]
fn held_lines_come_back_after_a_restart() {
    use model::{Comment, CommentFlags, CommentId, HeldLine, Intent, ModerationMode, Platform};
    let config = || ShowConfig {
        moderation: vec![(Intent::PriceStockShipping, ModerationMode::ApproveFirst)],
        ..ShowConfig::default()
    };
    let file = || vec![product("kettle", "30", 12)];
    let mut before = Rehearsal::new(config(), file(), UnixMs(1_000_000));
    before.advance_to(ShowTime(2_000));
    before.input(Input::Comment(Comment {
        platform: Platform::Twitch,
        id: CommentId("c1".into()),
        user_id: "uid-ann".into(),
        user_name: "ann".into(),
        text: "how much is the kettle?".into(),
        time: UnixMs(1_002_000),
        paid: None,
        flags: CommentFlags::default(),
    }));
    before.advance_to(ShowTime(8_000));
    // Two moderator lines: the first may go on air at once, the second waits for its turn.
    before.input(Input::SayNow { text: "Hello from the team.".into(), lang: None, by: "mod".into() });
    before.input(Input::SayNow { text: "Thanks for being here, everyone.".into(), lang: None, by: "kim".into() });
    let held: Vec<HeldLine> = before
        .events()
        .iter()
        .rev()
        .find_map(|e| match e {
            ConsoleEvent::HeldLinesChanged(lines) => Some(lines.clone()),
            _ => None,
        })
        .expect("the held lines were reported");
    assert!(held.iter().any(|h| !h.approved && h.text.contains("$30.00")), "{held:?}");
    assert!(
        held.iter()
            .any(|h| h.approved && h.text == "Thanks for being here, everyone." && h.by.as_deref() == Some("kim")),
        "{held:?}"
    );
    let kept: Vec<HeldLine> = serde_json::from_str(&serde_json::to_string(&held).unwrap()).unwrap();

    // The show was killed at once; a new process starts with the kept lines.
    let mut after = Rehearsal::new(config(), file(), UnixMs(1_010_000));
    after.input(Input::RestoreHeldLines(kept.clone()));
    let pending = after
        .events()
        .iter()
        .find_map(|e| match e {
            ConsoleEvent::ReplyPending { line, text, .. } if text.contains("$30.00") => Some(*line),
            _ => None,
        })
        .expect("the reply waits in the console again");
    after.input(Input::ApproveReply { line: pending, by: "mod".into() });
    after.advance_to(ShowTime(60_000));
    let said: Vec<String> = after.transcript().iter().map(|l| l.text.clone()).collect();
    assert!(said.iter().any(|t| t == "Thanks for being here, everyone."), "{said:?}");
    let kims = after.transcript().iter().find(|l| l.text == "Thanks for being here, everyone.").map(|l| l.by.clone());
    assert_eq!(kims, Some(Some("kim".to_string())), "the account behind a held line survives the restart");
    assert!(said.iter().any(|t| t.contains("$30.00") && t.contains("ann")), "{said:?}");

    // Ten minutes later the pending reply has expired; the moderator's line still comes back.
    let mut late = Rehearsal::new(config(), file(), UnixMs(1_000_000 + 3_600_000));
    late.input(Input::RestoreHeldLines(kept));
    assert!(!late.events().iter().any(|e| matches!(e, ConsoleEvent::ReplyPending { .. })));
    late.advance_to(ShowTime(30_000));
    assert!(late.transcript().iter().any(|l| l.text == "Thanks for being here, everyone."));
}
