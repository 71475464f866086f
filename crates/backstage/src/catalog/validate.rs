//! The rules every product file shares, whatever its format: required fields, honest discounts, sane stock and
//! offer windows, unique ids and pictures that exist.
//!
//! Importers read their format into a [`Draft`] per product and hand it to [`Intake::admit`], which reports what
//! is wrong with the product's line and either keeps it or drops it. Dropping is per product: one bad row never
//! costs the rest of the file.

use super::CatalogLoad;
use super::price_text::{self, PriceError};
use model::{Currency, Diagnostic, Faq, Lang, Localized, Money, OfferWindow, Product, Spec, Variant};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A place in the file: 1-based line and column (0 means the whole file).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    pub col: usize,
}

impl Spot {
    pub fn line(line: usize) -> Spot {
        Spot { line, col: 1 }
    }
}

/// Turns byte offsets into lines and columns, for formats whose parsers report offsets (XML, JSON).
pub struct LineIndex<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    /// The 1-based line and character column of a byte offset (clamped to the text).
    pub fn spot(&self, offset: usize) -> Spot {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|start| *start <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Spot { line, col }
    }
}

/// What a format calls the required fields, so messages name the column the merchandiser actually sees.
pub struct Labels<'l> {
    pub id: &'l str,
    pub title: &'l str,
    pub price: &'l str,
}

/// One product as read from the file, before the shared rules decide whether it may go on air.
#[derive(Debug, Default)]
pub struct Draft {
    /// Where the product starts (its row, element or object), for messages and duplicate ids.
    pub at: Spot,
    /// A field error was already reported; the product is dropped after the remaining checks.
    pub failed: bool,
    /// The price was written but could not be read (already reported), so "missing price" would mislead.
    pub price_failed: bool,
    pub id: Option<String>,
    pub title: Localized<String>,
    pub description: Localized<String>,
    pub features: Localized<Vec<String>>,
    pub usage: Localized<String>,
    pub guarantee: Localized<String>,
    pub specs: Localized<Vec<Spec>>,
    pub faq: Localized<Vec<Faq>>,
    pub price: Option<Money>,
    pub compare_at: Option<Money>,
    pub stock: Option<u32>,
    pub image: Option<PathBuf>,
    pub images: Vec<String>,
    pub url: Option<String>,
    pub variants: Vec<Variant>,
    pub offer: Option<OfferWindow>,
    pub pin_priority: i32,
    pub dwell_secs: Option<u32>,
    pub tags: Vec<String>,
    pub shipping: Option<model::Shipping>,
    pub returns: Option<model::Returns>,
    pub gifts: Localized<Vec<String>>,
    pub promotions: Vec<model::Promotion>,
}

impl Draft {
    pub fn at(at: Spot) -> Draft {
        Draft { at, ..Draft::default() }
    }

    /// How messages name this product: by id once it has one.
    pub fn context(&self) -> String {
        match &self.id {
            Some(id) => format!("product \"{id}\""),
            None => "product".to_string(),
        }
    }

    /// Adds a picture reference once, keeping the first as the main one.
    pub fn add_image_ref(&mut self, reference: &str) {
        if !self.images.iter().any(|r| r == reference) {
            self.images.push(reference.to_string());
        }
    }
}

/// Collects one file's products and diagnostics, applying the shared rules.
pub struct Intake<'a> {
    pub path: &'a str,
    base_dir: &'a Path,
    load: CatalogLoad,
    /// Ids already used, with the line that used them first.
    seen: HashMap<String, usize>,
    /// Said once per file when prices carry no currency and none was given, instead of once per row.
    no_currency_hint: Option<&'static str>,
    no_currency_said: bool,
}

impl<'a> Intake<'a> {
    pub fn new(path: &'a str, base_dir: &'a Path) -> Intake<'a> {
        Intake {
            path,
            base_dir,
            load: CatalogLoad::default(),
            seen: HashMap::new(),
            no_currency_hint: None,
            no_currency_said: false,
        }
    }

    /// Formats whose exports never state the currency (Shopify, WooCommerce) say how to give one, once per file.
    pub fn with_no_currency_hint(mut self, hint: &'static str) -> Intake<'a> {
        self.no_currency_hint = Some(hint);
        self
    }

    pub fn error(&mut self, at: Spot, message: impl Into<String>) {
        self.load.diagnostics.push(Diagnostic::error(self.path, at.line, at.col, message));
    }

    pub fn warning(&mut self, at: Spot, message: impl Into<String>) {
        self.load.diagnostics.push(Diagnostic::warning(self.path, at.line, at.col, message));
    }

    pub fn finish(self) -> CatalogLoad {
        self.load
    }

    /// Reads a price field. On failure the error is reported (at `spot`, computed only then) and the draft is
    /// marked failed.
    pub fn money(
        &mut self,
        draft: &mut Draft,
        field: &str,
        text: &str,
        currency: Option<&Currency>,
        spot: impl FnOnce() -> Spot,
    ) -> Option<Money> {
        match price_text::parse_price(text, currency) {
            Ok(money) => Some(money),
            Err(PriceError { message, missing_currency }) => {
                draft.failed = true;
                if missing_currency && let Some(hint) = self.no_currency_hint {
                    if !self.no_currency_said {
                        self.no_currency_said = true;
                        self.load.missing_currency = true;
                        self.error(Spot::default(), hint);
                    }
                } else {
                    let context = draft.context();
                    self.error(spot(), format!("{context}: `{field}`: {message}"));
                }
                None
            }
        }
    }

    /// Reads the product's own price into the draft.
    pub fn price(
        &mut self,
        draft: &mut Draft,
        field: &str,
        text: &str,
        currency: Option<&Currency>,
        spot: impl FnOnce() -> Spot,
    ) {
        match self.money(draft, field, text, currency, spot) {
            Some(price) => draft.price = Some(price),
            None => draft.price_failed = true,
        }
    }

    /// Reads a stock count; a bad or negative count is reported and fails the draft.
    pub fn stock(&mut self, draft: &mut Draft, field: &str, text: &str, spot: impl FnOnce() -> Spot) -> Option<u32> {
        match parse_stock(text) {
            Ok(stock) => Some(stock),
            Err(message) => {
                draft.failed = true;
                let context = draft.context();
                self.error(spot(), format!("{context}: `{field}`: {message}"));
                None
            }
        }
    }

    /// Records a picture reference. URLs are kept as written without checking; a local path must exist, and the
    /// first local picture that does becomes the offer card's image.
    pub fn image(&mut self, draft: &mut Draft, field: &str, reference: &str, spot: impl FnOnce() -> Spot) -> bool {
        let reference = reference.trim();
        if reference.is_empty() {
            return true;
        }
        match check_image(self.base_dir, reference) {
            Ok(local) => {
                if draft.image.is_none() {
                    draft.image = local;
                }
                draft.add_image_ref(reference);
                true
            }
            Err(message) => {
                draft.failed = true;
                let context = draft.context();
                self.error(spot(), format!("{context}: `{field}`: {message}"));
                false
            }
        }
    }

    /// Checks a variant's own picture (which must exist when local) without making it the product's picture.
    pub fn variant_image(
        &mut self,
        draft: &mut Draft,
        field: &str,
        reference: &str,
        spot: impl FnOnce() -> Spot,
    ) -> Option<String> {
        let reference = reference.trim();
        if reference.is_empty() {
            return None;
        }
        match check_image(self.base_dir, reference) {
            Ok(_) => Some(reference.to_string()),
            Err(message) => {
                draft.failed = true;
                let context = draft.context();
                self.error(spot(), format!("{context}: `{field}`: {message}"));
                None
            }
        }
    }

    /// Adds a picture reference that was already checked (by [`Intake::variant_image`]) to the product's pictures;
    /// the first local one becomes the offer card's image.
    pub fn add_checked_image(&self, draft: &mut Draft, reference: &str) {
        if draft.image.is_none()
            && let Some(local) = local_path(self.base_dir, reference)
        {
            draft.image = Some(local);
        }
        draft.add_image_ref(reference);
    }

    /// Applies the shared rules and keeps the product if nothing is wrong with it.
    pub fn admit(&mut self, mut draft: Draft, labels: &Labels<'_>) {
        let at = draft.at;
        let context = draft.context();
        let mut ok = !draft.failed;
        let id = draft.id.take().filter(|id| !id.trim().is_empty());
        if id.is_none() {
            ok = false;
            self.error(
                at,
                format!("{context}: missing `{}`; give the product a short unique id like tea-set", labels.id),
            );
        }
        if draft.title.is_empty() {
            ok = false;
            self.error(at, format!("{context}: missing `{}`; give the product a title", labels.title));
        }
        for problem in invisible_titles(&draft.title) {
            ok = false;
            self.error(at, format!("{context}: {problem}"));
        }
        if draft.price.as_ref().is_some_and(|p| p.minor == 0) {
            self.warning(at, format!("{context}: {FREE_PRICE}"));
        }
        if let Some(warning) = draft.url.as_deref().and_then(long_link) {
            self.warning(at, format!("{context}: {warning}"));
        }
        if draft.price.is_none() && !draft.price_failed {
            ok = false;
            self.error(at, format!("{context}: missing `{}`; write the price like 199.00", labels.price));
        }
        // Copy the host must not say (absolute terms, medical claims) is flagged so the merchandiser can reword
        // it before the show; the product still loads, and the guard refuses those words on air.
        let copy = [&draft.title, &draft.description, &draft.usage, &draft.guarantee];
        let texts = copy
            .iter()
            .flat_map(|l| [l.en.as_deref(), l.zh.as_deref()])
            .flatten()
            .chain([&draft.features.en, &draft.features.zh].into_iter().flatten().flatten().map(String::as_str))
            .chain([&draft.gifts.en, &draft.gifts.zh].into_iter().flatten().flatten().map(String::as_str))
            .chain(draft.promotions.iter().flat_map(|p| [p.text.en.as_deref(), p.text.zh.as_deref()]).flatten());
        let mut flagged: Vec<String> = Vec::new();
        for text in texts {
            for hit in director::lint::lint(text) {
                if !flagged.contains(&hit.word) {
                    flagged.push(hit.word.clone());
                    self.warning(
                        at,
                        format!(
                            "{context}: \"{}\" breaks a copy rule ({}); reword it, the host will not say it",
                            hit.word,
                            hit.rule.citation()
                        ),
                    );
                }
            }
        }
        if let Some(offer) = draft.offer
            && let (Some(starts), Some(ends)) = (offer.starts_at, offer.ends_at)
            && ends <= starts
        {
            ok = false;
            self.error(
                at,
                format!("{context}: the offer ends before it starts; check the offer's start and end dates"),
            );
        }
        if let (Some(price), Some(was)) = (&draft.price, &draft.compare_at) {
            if price.currency != was.currency {
                ok = false;
                self.error(
                    at,
                    format!(
                        "{context}: the compare-at price is in {} but the price is in {}; write both in one currency",
                        was.currency, price.currency
                    ),
                );
            } else if was.minor <= price.minor {
                self.warning(
                    at,
                    format!(
                        "{context}: the compare-at price {} is not above the price {}, so no discount will be \
                         claimed; raise it or remove it",
                        was.display(),
                        price.display()
                    ),
                );
                draft.compare_at = None;
            }
        }
        let policies = draft.price.as_ref().map(|price| {
            let shipping = draft.shipping.iter().flat_map(|s| shipping_problems(s, &price.currency));
            let returns = draft.returns.iter().flat_map(returns_problems);
            let promotions = draft.promotions.iter().flat_map(|p| promotion_problems(p, &price.currency));
            shipping.chain(returns).chain(promotions).collect::<Vec<_>>()
        });
        for problem in policies.unwrap_or_default() {
            ok = false;
            self.error(at, format!("{context}: {problem}"));
        }
        let mut flat_variants = 0;
        for variant in &mut draft.variants {
            if variant
                .compare_at
                .as_ref()
                .is_some_and(|was| was.currency != variant.price.currency || was.minor <= variant.price.minor)
            {
                variant.compare_at = None;
                flat_variants += 1;
            }
        }
        if flat_variants > 0 {
            self.warning(
                at,
                format!(
                    "{context}: {flat_variants} variant(s) have a compare-at price that is not above their price, \
                     so no discount will be claimed for them"
                ),
            );
        }
        if let Some(id) = &id {
            if let Some(first) = self.seen.get(id) {
                ok = false;
                self.error(
                    at,
                    format!("{context}: duplicate id (first used at line {first}); give each product its own id"),
                );
            } else {
                self.seen.insert(id.clone(), at.line);
            }
        }
        let (Some(id), Some(price), true) = (id, draft.price, ok) else {
            return;
        };
        let mut product = Product::new(id, draft.title, price);
        product.description = draft.description;
        product.features = draft.features;
        product.usage = draft.usage;
        product.guarantee = draft.guarantee;
        product.specs = draft.specs;
        product.faq = draft.faq;
        product.compare_at = draft.compare_at;
        product.stock = draft.stock;
        product.image = draft.image;
        product.images = draft.images;
        product.url = draft.url;
        product.variants = draft.variants;
        product.offer = draft.offer;
        product.pin_priority = draft.pin_priority;
        product.dwell_secs = draft.dwell_secs;
        product.tags = draft.tags;
        product.shipping = draft.shipping;
        product.returns = draft.returns;
        product.gifts = draft.gifts;
        product.promotions = draft.promotions;
        self.load.products.push(product);
    }
}

/// Titles (per language) with nothing the card can show: only control, direction or zero-width characters.
pub fn invisible_titles(title: &model::Localized<String>) -> Vec<String> {
    [("en", title.en.as_deref()), ("zh", title.zh.as_deref())]
        .into_iter()
        .filter_map(|(lang, text)| {
            let text = text?;
            let blank = !text.is_empty() && !text.chars().any(|c| model::displayable(c) && !c.is_whitespace());
            blank.then(|| format!("the {lang} title has no visible characters; write the product's name"))
        })
        .collect()
}

/// What is wrong with a shipping policy, if anything. The host states every part it is given, so a part that
/// cannot be true (a negative threshold, a dispatch time of zero) is an error rather than something to say.
pub fn shipping_problems(shipping: &model::Shipping, currency: &Currency) -> Vec<String> {
    let mut problems = Vec::new();
    if let Some(model::ShippingCost::Flat(cost)) = &shipping.cost {
        if cost.currency != *currency {
            problems.push(format!("the shipping cost is in {} but the price is in {currency}", cost.currency));
        }
        if cost.minor == 0 {
            problems.push("a shipping cost of 0 is free shipping: write cost = \"free\"".to_string());
        }
    }
    if let Some(over) = &shipping.free_over {
        if over.currency != *currency {
            problems.push(format!("`free_over` is in {} but the price is in {currency}", over.currency));
        }
        if over.minor <= 0 {
            problems
                .push("`free_over` must be above 0 (for free shipping on every order, write cost = \"free\")".into());
        }
    }
    if shipping.dispatch_hours.is_some_and(|h| h == 0 || h > 60 * 24) {
        problems.push("`dispatch` must be from 1 hour to 60 days, like \"48h\" or \"2d\"".to_string());
    }
    problems
}

/// What is wrong with a returns policy, if anything.
pub fn returns_problems(returns: &model::Returns) -> Vec<String> {
    let mut problems = Vec::new();
    if returns.days.is_some_and(|d| d == 0 || d > 365) {
        problems.push("returns `days` must be from 1 to 365".to_string());
    }
    if returns.days.is_none() && returns.conditions.is_empty() {
        problems.push("returns need `days`, `conditions` or both".to_string());
    }
    problems
}

/// The longest coupon code the host reads out: anything longer is a link or a secret, not a code to say.
pub const MAX_COUPON_CODE: usize = 24;

/// What is wrong with a promotion, if anything. The guard checks every promotion claim against these numbers, so a
/// promotion that cannot be true (get 0, 0% off, save more than the spend) is an error that drops the product: a
/// wrong deal would otherwise be said on air.
pub fn promotion_problems(promotion: &model::Promotion, currency: &Currency) -> Vec<String> {
    use model::PromotionKind;
    let mut problems = Vec::new();
    let money_in = |m: &Money, what: &str, problems: &mut Vec<String>| {
        if m.currency != *currency {
            problems.push(format!("`{what}` is in {} but the price is in {currency}", m.currency));
        }
        if m.minor <= 0 {
            problems.push(format!("`{what}` must be above 0"));
        }
    };
    match &promotion.kind {
        PromotionKind::BuyXGetY { buy, get } => {
            if !(1..=99).contains(buy) || !(1..=99).contains(get) {
                problems.push("`buy` and `get` must be from 1 to 99 (buy = 2, get = 1 is 买二送一)".to_string());
            }
        }
        PromotionKind::NthItemPercentOff { n, percent } => {
            if !(2..=99).contains(n) {
                problems.push("`n` must be from 2 to 99 (n = 2 is the second item)".to_string());
            }
            if !(1..=100).contains(percent) {
                problems.push("`percent` must be from 1 to 100 (50 is half price, 100 is free)".to_string());
            }
        }
        PromotionKind::SpendAndSave { spend, save } => {
            money_in(spend, "spend", &mut problems);
            money_in(save, "save", &mut problems);
            if save.currency == spend.currency && save.minor >= spend.minor {
                problems.push("`save` must be less than `spend`".to_string());
            }
        }
        PromotionKind::Coupon { code, save } => {
            if let Some(code) = code
                && (code.len() < 3 || code.len() > MAX_COUPON_CODE || !code.bytes().all(|b| b.is_ascii_alphanumeric()))
            {
                problems.push(format!(
                    "coupon `code` \"{code}\" must be 3 to {MAX_COUPON_CODE} letters and digits, so the host can say it"
                ));
            }
            if let Some(save) = save {
                money_in(save, "save", &mut problems);
            }
        }
    }
    if let (Some(starts), Some(ends)) = (promotion.starts_at, promotion.ends_at)
        && ends <= starts
    {
        problems.push("the promotion ends before it starts; check `starts` and `ends`".to_string());
    }
    problems
}

/// The warning for a price of 0.
pub const FREE_PRICE: &str =
    "the price is 0, so the card shows it as free (and a compare-at price as a 100% discount); check the price";

/// Links longer than this make QR codes too dense for the offer card at smaller sizes.
pub const LONG_LINK_CHARS: usize = 150;

/// The warning for a purchase link too long for a QR code on the card, if it is.
pub fn long_link(url: &str) -> Option<String> {
    let n = url.chars().count();
    (n > LONG_LINK_CHARS).then(|| {
        format!(
            "the link is {n} characters long; its QR code is too dense to fit the offer card at smaller sizes and \
             is then left off: use a short link"
        )
    })
}

/// A stock count: a whole number, zero or more. Spreadsheets sometimes write "12.0" or "1,200", which are exact.
pub fn parse_stock(text: &str) -> Result<u32, String> {
    let text = price_text::strip_quotes(text);
    let digits = text.strip_suffix(".0").or_else(|| text.strip_suffix(".00")).unwrap_or(text);
    if let Some(negative) = digits.strip_prefix('-')
        && !negative.is_empty()
        && negative.bytes().all(|b| b.is_ascii_digit())
    {
        return Err(format!("stock {text} is negative; write 0 when the product is sold out"));
    }
    let grouped_ok = !digits.contains(',')
        || digits.split(',').enumerate().all(|(i, g)| if i == 0 { (1..=3).contains(&g.len()) } else { g.len() == 3 });
    let plain: String = digits.chars().filter(|c| *c != ',').collect();
    if plain.is_empty() || !grouped_ok || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("\"{text}\" is not a stock count; write a whole number like 25 (0 when sold out)"));
    }
    plain.parse().map_err(|_| format!("stock \"{text}\" is too large"))
}

/// Whether a picture reference is a URL (kept as written) rather than a path on this machine.
pub fn is_url(reference: &str) -> bool {
    let starts = |prefix: &str| reference.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    starts("http://") || starts("https://") || starts("data:") || reference.starts_with("//")
}

/// Where a picture reference points on this machine (relative to the product file's folder); `None` for URLs.
/// Resolves only: [`check_image`] checks the file.
pub fn local_path(base_dir: &Path, reference: &str) -> Option<PathBuf> {
    if is_url(reference) {
        return None;
    }
    let path = Path::new(reference);
    Some(if path.is_absolute() { path.to_path_buf() } else { base_dir.join(path) })
}

/// A local picture resolved against the product file's folder and checked to be a picture; `Ok(None)` for URLs.
pub fn check_image(base_dir: &Path, reference: &str) -> Result<Option<PathBuf>, String> {
    let Some(resolved) = local_path(base_dir, reference) else {
        return Ok(None);
    };
    if resolved.is_file() {
        // The header is enough to tell a picture from anything else, and its size, without decoding it.
        let size = image::ImageReader::open(&resolved)
            .and_then(|r| r.with_guessed_format())
            .map_err(image::ImageError::IoError)
            .and_then(|r| r.into_dimensions());
        match size {
            Err(e) => Err(format!(
                "image \"{reference}\" ({}) cannot be read as a picture ({e}); export it as JPEG, PNG or WebP",
                resolved.display()
            )),
            Ok((w, h)) if w > model::MAX_PICTURE_SIDE || h > model::MAX_PICTURE_SIDE => Err(format!(
                "image \"{reference}\" is {w}x{h}; pictures may be at most {} pixels wide and high: scale it down",
                model::MAX_PICTURE_SIDE
            )),
            Ok((0, _)) | Ok((_, 0)) => Err(format!("image \"{reference}\" has no pixels; export the picture again")),
            Ok(_) => Ok(Some(resolved)),
        }
    } else {
        Err(format!(
            "image \"{reference}\" not found (looked at {}); fix the path, relative to the product file, or use a \
             full https:// URL",
            resolved.display()
        ))
    }
}

/// Text whose language is not stated: any Han character makes it Chinese.
pub fn detected(text: &str) -> Localized<String> {
    let text = text.trim();
    if text.is_empty() {
        return Localized::default();
    }
    Localized::one(director::timing::detect_lang(text), text.to_string())
}

/// Sets one language of a localized text, or the detected one when `lang` is `None`; empty text changes nothing.
pub fn set_text(target: &mut Localized<String>, lang: Option<Lang>, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    let lang = lang.unwrap_or_else(|| director::timing::detect_lang(text));
    match lang {
        Lang::En => target.en = Some(text.to_string()),
        Lang::Zh => target.zh = Some(text.to_string()),
    }
}

/// TRUE/FALSE as exports write it (also 1/0, yes/no); `None` when it is neither.
pub fn parse_flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "t" => Some(true),
        "false" | "0" | "no" | "n" | "f" | "-1" => Some(false),
        _ => None,
    }
}

/// Splits a list cell ("Made to Order, Shirt Tag") into its trimmed, non-empty items.
/// A product's stock from its variants: their sum when every variant states a count, otherwise unknown. A variant
/// whose stock is not tracked could hold any number, so a sum of the others would understate the product ("only 3
/// left" when the untracked size has plenty) and the host would say it.
pub fn stock_of_variants(variants: &[Variant]) -> Option<u32> {
    if variants.is_empty() {
        return None;
    }
    variants.iter().try_fold(0u32, |sum, v| v.stock.map(|n| sum.saturating_add(n)))
}

pub fn split_list(text: &str, separators: &[char]) -> Vec<String> {
    text.split(separators).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny(text: &str) -> Money {
        price_text::parse_price(text, Currency::parse("CNY").as_ref()).unwrap()
    }

    const LABELS: Labels<'static> = Labels { id: "id", title: "title", price: "price" };

    fn draft(line: usize, id: &str) -> Draft {
        let mut d = Draft::at(Spot::line(line));
        d.id = Some(id.to_string());
        d.title = detected("Tea set");
        d.price = Some(cny("199"));
        d
    }

    #[test]
    fn drops_only_the_bad_product_and_names_the_first_use_of_a_duplicate_id() {
        let mut intake = Intake::new("p.csv", Path::new("."));
        intake.admit(draft(2, "tea"), &LABELS);
        let mut no_price = draft(3, "cup");
        no_price.price = None;
        intake.admit(no_price, &LABELS);
        intake.admit(draft(4, "tea"), &LABELS);
        let mut flat = draft(5, "pot");
        flat.compare_at = Some(cny("150"));
        intake.admit(flat, &LABELS);
        let mut backwards = draft(6, "mug");
        backwards.offer =
            Some(OfferWindow { starts_at: Some(model::UnixMs(2000)), ends_at: Some(model::UnixMs(1000)) });
        intake.admit(backwards, &LABELS);
        let load = intake.finish();
        let ids: Vec<_> = load.products.iter().map(|p| p.id.0.as_str()).collect();
        assert_eq!(ids, ["tea", "pot"]);
        assert_eq!(load.products[1].compare_at, None);
        let shown: Vec<String> = load.diagnostics.iter().map(ToString::to_string).collect();
        assert_eq!(
            shown,
            [
                "p.csv:3:1: error: product \"cup\": missing `price`; write the price like 199.00",
                "p.csv:4:1: error: product \"tea\": duplicate id (first used at line 2); give each product its own id",
                "p.csv:5:1: warning: product \"pot\": the compare-at price ¥150.00 is not above the price ¥199.00, so \
                 no discount will be claimed; raise it or remove it",
                "p.csv:6:1: error: product \"mug\": the offer ends before it starts; check the offer's start and end \
                 dates",
            ]
        );
    }

    #[test]
    fn reads_stock_counts_and_refuses_negative_ones() {
        assert_eq!(parse_stock("25"), Ok(25));
        assert_eq!(parse_stock("12.0"), Ok(12));
        assert_eq!(parse_stock("1,200"), Ok(1200));
        assert!(parse_stock("-3").unwrap_err().contains("negative"));
        for bad in ["", "abc", "1.5", "12,34", "99999999999"] {
            assert!(parse_stock(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn keeps_urls_and_requires_local_pictures_to_exist() {
        let here = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert_eq!(check_image(here, "https://cdn.example.com/a.jpg"), Ok(None));
        let picture = "../../assets/demo/images/tea-set.png";
        assert_eq!(check_image(here, picture), Ok(Some(here.join(picture))));
        assert!(check_image(here, "missing.png").unwrap_err().contains("not found"));
        // A file that is there but is no picture, or a picture too large to decode, is named with what to do.
        let e = check_image(here, "Cargo.toml").unwrap_err();
        assert!(e.contains("\"Cargo.toml\"") && e.contains("cannot be read as a picture") && e.contains("JPEG"), "{e}");
        let dir = std::env::temp_dir().join(format!("shopcast-check-image-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        image::RgbaImage::new(model::MAX_PICTURE_SIDE + 1, 1).save(dir.join("wide.png")).unwrap();
        let e = check_image(&dir, "wide.png").unwrap_err();
        assert!(e.contains("8193x1") && e.contains("at most 8192"), "{e}");
        // A JPEG named .png is still a picture: the format comes from the file's own bytes.
        std::fs::copy(here.join(picture), dir.join("really-a-png.jpg")).unwrap();
        assert!(check_image(&dir, "really-a-png.jpg").is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
