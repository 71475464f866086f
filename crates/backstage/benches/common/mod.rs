//! What the audit benchmarks write: an offer line as the show airs one every 4–6 s.

use model::{AiredLine, Lang, LineId, LineKind, LineSource, ProductId, UnixMs};

/// Line `id` of a long show, about one of forty products, starting at `wall`.
pub fn offer_line(id: u64, wall: i64) -> AiredLine {
    AiredLine {
        line: LineId(id),
        t_ms: id * 4_000,
        kind: LineKind::Pitch(model::Facet::Offer),
        product: Some(ProductId(format!("sku-{}", id % 40))),
        text: format!("Celadon Tea Set {id} is yours for ¥199.00. The regular price is ¥259.00, so you save 23%."),
        lang: Lang::En,
        source: LineSource::Template,
        duration_ms: 6_000,
        note: None,
        fallbacks: Vec::new(),
        trigger: None,
        guard: Vec::new(),
        wall: UnixMs(wall),
        by: None,
        asked_by: 0,
    }
}
