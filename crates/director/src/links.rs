//! Which pitch sold: each product link on the card (and in its QR code) carries UTM parameters naming the show,
//! the product and, when pitch variants are on, the variant of the time slot, so the shop's own analytics can
//! count clicks and orders per product and per variant. The merchant's own parameters are kept as they are.

use model::{Facet, ProductId, UnixMs};

/// `[links]` in show.toml.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkTracking {
    /// Add the UTM parameters (on by default; off leaves links exactly as the product file gives them).
    pub utm: bool,
    pub source: String,
    pub medium: String,
    pub campaign: String,
    /// Pitch variants: 0 for one pitch; otherwise variant A and variant B take turns, each for this many minutes.
    /// A pitches a product in the usual order (hook, features, usage, offer); B puts the offer right after the
    /// hook. The links name the variant so the shop's analytics can compare them by clicks.
    pub variant_minutes: u32,
}

impl Default for LinkTracking {
    fn default() -> LinkTracking {
        LinkTracking {
            utm: true,
            source: "shopcast".into(),
            medium: "live".into(),
            campaign: "shopcast-live".into(),
            variant_minutes: 0,
        }
    }
}

/// A pitch variant (see [`LinkTracking::variant_minutes`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    A,
    B,
}

impl Variant {
    pub fn code(self) -> &'static str {
        match self {
            Variant::A => "a",
            Variant::B => "b",
        }
    }

    /// The order a product's segment is pitched in.
    pub fn pitch_order(self) -> [Facet; 5] {
        match self {
            Variant::A => Facet::PITCH_ORDER,
            Variant::B => [Facet::Hook, Facet::Offer, Facet::Features, Facet::Usage, Facet::Faq],
        }
    }
}

impl LinkTracking {
    /// The variant of the time slot `wall` falls in; `None` when variants are off.
    pub fn variant_at(&self, wall: UnixMs) -> Option<Variant> {
        if self.variant_minutes == 0 {
            return None;
        }
        let slot = wall.0.div_euclid(i64::from(self.variant_minutes) * 60_000);
        Some(if slot.rem_euclid(2) == 0 { Variant::A } else { Variant::B })
    }

    /// `url` with the show's UTM parameters added: `utm_content` is the product, `utm_term` the variant. Parameters
    /// the link already has (any `utm_*` the merchant set) win; a fragment stays at the end.
    pub fn tracked(&self, url: &str, product: &ProductId, variant: Option<Variant>) -> String {
        if !self.utm {
            return url.to_string();
        }
        let (base, fragment) = match url.split_once('#') {
            Some((base, fragment)) => (base, Some(fragment)),
            None => (url, None),
        };
        let existing: Vec<&str> = base
            .split_once('?')
            .map(|(_, query)| query.split('&').filter_map(|pair| pair.split('=').next()).collect())
            .unwrap_or_default();
        let mut params = vec![
            ("utm_source", self.source.as_str()),
            ("utm_medium", self.medium.as_str()),
            ("utm_campaign", self.campaign.as_str()),
            ("utm_content", product.0.as_str()),
        ];
        if let Some(variant) = variant {
            params.push(("utm_term", variant.code()));
        }
        let added: Vec<String> = params
            .into_iter()
            .filter(|(key, value)| !value.is_empty() && !existing.contains(key))
            .map(|(key, value)| format!("{key}={}", encode(value)))
            .collect();
        let mut out = base.to_string();
        if !added.is_empty() {
            out.push_str(match base.split_once('?') {
                Some((_, query)) if query.is_empty() || query.ends_with('&') => "",
                Some(_) => "&",
                None => "?",
            });
            out.push_str(&added.join("&"));
        }
        if let Some(fragment) = fragment {
            out.push('#');
            out.push_str(fragment);
        }
        out
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn id(s: &str) -> ProductId {
        ProductId(s.into())
    }

    #[test]
    fn links_get_the_shows_parameters_and_keep_the_merchants() {
        let links = LinkTracking::default();
        assert_eq!(
            links.tracked("https://shop.example.com/p/tea", &id("tea"), None),
            "https://shop.example.com/p/tea?utm_source=shopcast&utm_medium=live&utm_campaign=shopcast-live&utm_content=tea"
        );
        assert_eq!(
            links.tracked("https://s.example/p?id=7&utm_source=wechat#buy", &id("tea set"), Some(Variant::B)),
            "https://s.example/p?id=7&utm_source=wechat&utm_medium=live&utm_campaign=shopcast-live&utm_content=tea%20set\
             &utm_term=b#buy"
        );
        assert_eq!(links.tracked("https://s.example/p?", &id("t"), None).matches('?').count(), 1);
        let campaign = LinkTracking { campaign: "双十二 sale".into(), ..LinkTracking::default() };
        assert!(
            campaign
                .tracked("https://s.example/p", &id("t"), None)
                .contains("utm_campaign=%E5%8F%8C%E5%8D%81%E4%BA%8C%20sale")
        );
        let off = LinkTracking { utm: false, ..LinkTracking::default() };
        assert_eq!(off.tracked("https://s.example/p?x=1", &id("t"), Some(Variant::A)), "https://s.example/p?x=1");
    }

    #[test]
    fn variants_take_turns_per_slot() {
        let off = LinkTracking::default();
        assert_eq!(off.variant_at(UnixMs(0)), None);
        let on = LinkTracking { variant_minutes: 30, ..LinkTracking::default() };
        let slot = 30 * 60_000;
        assert_eq!(on.variant_at(UnixMs(0)), Some(Variant::A));
        assert_eq!(on.variant_at(UnixMs(slot - 1)), Some(Variant::A));
        assert_eq!(on.variant_at(UnixMs(slot)), Some(Variant::B));
        assert_eq!(on.variant_at(UnixMs(2 * slot)), Some(Variant::A));
        assert_eq!(on.variant_at(UnixMs(-1)), Some(Variant::B), "before 1970 still alternates");
        let b = Variant::B.pitch_order();
        assert_eq!((b[0], b[1]), (Facet::Hook, Facet::Offer));
        let mut sorted_a = Variant::A.pitch_order().map(|f| f as u8);
        let mut sorted_b = b.map(|f| f as u8);
        sorted_a.sort_unstable();
        sorted_b.sort_unstable();
        assert_eq!(sorted_a, sorted_b, "both variants pitch every facet once");
    }

    proptest! {
        /// Any link and product: the result starts with the link's base, has one `?` at most before any `#`, keeps
        /// the fragment, and names the product once, readable back by decoding.
        #[test]
        fn any_link_stays_one_valid_link(
            path in "[a-z/]{0,12}",
            query in proptest::option::of("[a-z]{1,4}=[a-z0-9]{0,4}(&[a-z]{1,4}=[a-z0-9]{0,4}){0,2}"),
            fragment in proptest::option::of("[a-z]{0,6}"),
            product in "\\PC{1,12}",
        ) {
            let mut url = format!("https://shop.example/{path}");
            if let Some(q) = &query { url.push('?'); url.push_str(q); }
            if let Some(f) = &fragment { url.push('#'); url.push_str(f); }
            let out = LinkTracking::default().tracked(&url, &id(&product), Some(Variant::A));
            let (before, after) = out.split_once('#').map_or((out.as_str(), None), |(b, a)| (b, Some(a)));
            prop_assert_eq!(after, fragment.as_deref());
            prop_assert!(before.matches('?').count() == 1, "{}", out);
            let prefix = format!("https://shop.example/{path}");
            prop_assert!(before.starts_with(&prefix));
            let content: Vec<&str> = before.split(['?', '&']).filter(|p| p.starts_with("utm_content=")).collect();
            prop_assert_eq!(content.len(), 1);
            let encoded = content[0].trim_start_matches("utm_content=");
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)), "{}", encoded);
            let bytes: Vec<u8> = {
                let mut bytes = Vec::new();
                let mut it = encoded.bytes();
                while let Some(b) = it.next() {
                    if b == b'%' {
                        let hex: String = [it.next().unwrap_or(b'0') as char, it.next().unwrap_or(b'0') as char].iter().collect();
                        bytes.push(u8::from_str_radix(&hex, 16).unwrap_or(0));
                    } else {
                        bytes.push(b);
                    }
                }
                bytes
            };
            prop_assert_eq!(String::from_utf8(bytes).ok(), Some(product));
        }
    }
}
