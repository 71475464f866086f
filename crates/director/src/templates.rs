//! Template lines: the writer that always works. Every fact in them is read from the product data.
//!
//! Templates are the offline default and the floor of the no-dead-air ladder: when the LLM is absent, slow or
//! failing, the host still says something true and useful. Each facet has several phrasings, chosen by a
//! rotating variant number so the same product does not hear the same line twice in a row.

use crate::show::Brief;
use model::{Facet, Lang, LineKind, Product};

/// The line for `brief`, or `None` when the product has nothing to say for that facet (for example no usage
/// notes); the director then moves on to the next facet.
pub fn render(brief: &Brief) -> Option<String> {
    match brief.kind {
        LineKind::Pitch(facet) => pitch(brief.product.as_ref()?, facet, brief.lang, brief.variant),
        LineKind::Disclosure => Some(disclosure(brief.lang, brief.variant)),
        LineKind::Filler => Some(holding_line(brief.lang, brief.variant)),
    }
}

fn pick<'a>(options: &[&'a str], variant: u32) -> &'a str {
    options[variant as usize % options.len()]
}

fn pitch(product: &Product, facet: Facet, lang: Lang, variant: u32) -> Option<String> {
    let title = product.title(lang);
    match facet {
        Facet::Hook => {
            let opener = match lang {
                Lang::En => pick(&["Next up: {title}.", "Let's take a look at {title}.", "Here's {title}."], variant),
                Lang::Zh => pick(&["接下来看看{title}。", "我们来看这款{title}。", "给大家介绍{title}。"], variant),
            };
            let mut line = opener.replace("{title}", title);
            if let Some(description) = product.description.get(lang) {
                line.push(' ');
                line.push_str(description.trim());
            }
            Some(line)
        }
        Facet::Features => {
            let features = product.features.get(lang).filter(|f| !f.is_empty())?;
            let list = match lang {
                Lang::En => features.join("; "),
                Lang::Zh => features.join("；"),
            };
            let line = match lang {
                Lang::En => pick(&["What you get: {list}.", "The details: {list}."], variant),
                Lang::Zh => pick(&["它的特点：{list}。", "细节上：{list}。"], variant),
            };
            Some(line.replace("{list}", list.trim_end_matches(['.', '。'])))
        }
        Facet::Usage => {
            let usage = product.usage.get(lang)?;
            let line = match lang {
                Lang::En => pick(&["How to use it: {usage}", "In everyday use: {usage}"], variant),
                Lang::Zh => pick(&["怎么用：{usage}", "日常使用：{usage}"], variant),
            };
            Some(line.replace("{usage}", usage.trim()))
        }
        Facet::Offer => Some(offer_line(product, lang, variant)),
    }
}

/// The offer and call to action: price always, the compare-at price and discount only when the data backs them,
/// stock only when known.
fn offer_line(product: &Product, lang: Lang, variant: u32) -> String {
    let price = product.price.display();
    let mut line = match lang {
        Lang::En => pick(&["{title} is {price}.", "You can have {title} for {price}."], variant),
        Lang::Zh => pick(&["{title}现在{price}。", "{title}的价格是{price}。"], variant),
    }
    .replace("{title}", product.title(lang))
    .replace("{price}", &price);
    if let (Some(was), Some(percent)) = (&product.compare_at, product.percent_off()) {
        let saving = match lang {
            Lang::En => format!(" That's down from {}, {percent}% off.", was.display()),
            Lang::Zh => format!("原价{}，省{percent}%。", was.display()),
        };
        line.push_str(&saving);
    }
    match (product.stock, lang) {
        (Some(0), Lang::En) => line.push_str(" It's sold out right now; I'll say when it's back."),
        (Some(0), Lang::Zh) => line.push_str("目前已售罄，补货了我会告诉大家。"),
        (Some(n), Lang::En) => line.push_str(&format!(" There are {n} in stock; the link is on the card.")),
        (Some(n), Lang::Zh) => line.push_str(&format!("库存还有{n}件，链接在商品卡上。")),
        (None, Lang::En) => line.push_str(" The link is on the card."),
        (None, Lang::Zh) => line.push_str("链接在商品卡上。"),
    }
    line
}

/// The spoken disclosure that the host is an AI, said at a fixed interval on top of the on-screen label.
pub fn disclosure(lang: Lang, variant: u32) -> String {
    match lang {
        Lang::En => pick(
            &[
                "A quick reminder: I'm an AI host. Real people on our team read the chat too.",
                "Just so you know, I'm an AI host, and a human moderator is watching the chat.",
            ],
            variant,
        ),
        Lang::Zh => pick(
            &["提醒一下：我是AI主播，我们的工作人员也在看弹幕。", "说明一下，我是AI主播，真人管理员也在看弹幕。"],
            variant,
        ),
    }
    .to_string()
}

/// What the host says rather than fall silent while nothing else is ready.
pub fn holding_line(lang: Lang, variant: u32) -> String {
    match lang {
        Lang::En => pick(
            &[
                "Take a look at the card on screen while I get the next part ready.",
                "Questions are welcome in the chat; I read them as they come in.",
            ],
            variant,
        ),
        Lang::Zh => pick(&["大家可以先看看屏幕上的商品卡，我马上继续。", "有问题欢迎在弹幕里问，我都会看。"], variant),
    }
    .to_string()
}

/// Whether `product` has anything to say for `facet` in `lang` (or a fallback language).
pub fn has_material(product: &Product, facet: Facet, lang: Lang) -> bool {
    match facet {
        Facet::Hook | Facet::Offer => true,
        Facet::Features => product.features.get(lang).is_some_and(|f| !f.is_empty()),
        Facet::Usage => product.usage.get(lang).is_some_and(|u| !u.trim().is_empty()),
    }
}
