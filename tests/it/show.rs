//! The demo show end to end without I/O: the shipped demo queue, the director and templates on a virtual clock.

use backstage::catalog;
use director::{Rehearsal, ShowConfig};
use model::{Facet, Lang, LineKind, ShowTime, UnixMs};

fn demo_products() -> Vec<model::Product> {
    let dir = super::support::repo().join("assets/demo");
    let load = catalog::load_file(&dir.join("products.toml"));
    assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
    load.products
}

#[test]
fn the_director_pitches_the_demo_products_in_order_on_a_virtual_clock() {
    let products = demo_products();
    assert!(products.len() >= 3);
    let mut show = Rehearsal::new(ShowConfig::default(), products.clone(), UnixMs(0));
    show.advance_to(ShowTime(10 * 60 * 1000 - 1));
    let pitched: Vec<String> = show
        .transcript()
        .iter()
        .filter(|l| l.kind == LineKind::Pitch(Facet::Hook))
        .map(|l| l.product.as_ref().unwrap().0.clone())
        .collect();
    let ids: Vec<String> = products.iter().map(|p| p.id.0.clone()).collect();
    assert!(pitched.len() >= ids.len() * 2, "only {} hooks in ten minutes", pitched.len());
    for (i, id) in pitched.iter().enumerate() {
        assert_eq!(id, &ids[i % ids.len()], "hook #{i} is out of order: {pitched:?}");
    }
    // Every price said comes from the data.
    let offer = show.transcript().iter().find(|l| l.kind == LineKind::Pitch(Facet::Offer)).unwrap();
    assert!(
        offer.text.contains("¥199.00") && offer.text.contains("¥259.00") && offer.text.contains("23% off"),
        "{}",
        offer.text
    );
}

#[test]
fn the_chinese_show_speaks_chinese_titles_and_prices() {
    let mut show = Rehearsal::new(ShowConfig { lang: Lang::Zh, ..ShowConfig::default() }, demo_products(), UnixMs(0));
    show.advance_to(ShowTime(60_000));
    let text: Vec<&str> = show.transcript().iter().map(|l| l.text.as_str()).collect();
    assert!(text.iter().any(|t| t.contains("青瓷茶具套装")), "{text:?}");
    assert!(text.iter().any(|t| t.contains("¥199.00") && t.contains("省23%")), "{text:?}");
}
