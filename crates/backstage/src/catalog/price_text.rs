//! Prices as shops and spreadsheets write them ("¥199", "19.99 USD", "€12,50", "1.2E+3"), read exactly into
//! [`Money`].
//!
//! Exports and hand-made sheets carry currency symbols, codes, thousands separators of either kind, smart quotes
//! and spreadsheet scientific notation. Each is accepted only when the amount it stands for is certain; anything
//! that could be misread becomes an error that says what to write instead, because the host must never state a
//! price the merchandiser did not mean.

use model::{Currency, Money, MoneyError};
use std::fmt;

/// Why a price text could not be read; the message says what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriceError {
    pub message: String,
    /// The amount was fine but nothing said which currency it is in, so a file-wide default would fix it.
    pub missing_currency: bool,
}

impl PriceError {
    fn new(message: String) -> PriceError {
        PriceError { message, missing_currency: false }
    }
}

impl fmt::Display for PriceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PriceError {}

/// Significant digits a spreadsheet keeps when it shows a number in scientific notation ("1.23457E+11").
/// A mantissa this long may have been rounded, so the exact price is unknown.
const SPREADSHEET_SHOWN_DIGITS: usize = 6;

/// Reads a price. A currency symbol or code in the text wins over `default_currency`; `¥` means CNY unless the
/// default is JPY, and `$` means USD unless the default is another dollar.
pub fn parse_price(text: &str, default_currency: Option<&Currency>) -> Result<Money, PriceError> {
    let trimmed = strip_quotes(text);
    // The common case in big sheets, "199" or "19.99" with the currency given elsewhere, skips the rewriting.
    if let Some(currency) = default_currency
        && trimmed.starts_with(|c: char| c.is_ascii_digit())
        && trimmed.ends_with(|c: char| c.is_ascii_digit())
        && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && trimmed.bytes().filter(|b| *b == b'.').count() <= 1
    {
        let code = currency.code().to_string();
        return Money::parse_decimal(trimmed, currency.clone()).map_err(|e| explain(e, trimmed, &code));
    }
    if trimmed.is_empty() {
        return Err(PriceError::new("the price is empty; write it like \"199.00\"".to_string()));
    }
    // Spaces of every kind are only ever padding or thousands separators inside a price ("1 299,00"), and a
    // space between digits must then start a group of three: "5 5" could be 55 or a typo, so it is refused.
    if !spaces_group_thousands(trimmed) {
        return Err(PriceError::new(format!(
            "\"{trimmed}\" has a space inside the number; write it like \"1299.00\" or \"1 299.00\""
        )));
    }
    let compact: String = trimmed.chars().filter(|c| !is_space(*c)).collect();
    let (amount, written_currency) = split_currency(&compact, default_currency).map_err(|e| {
        PriceError::new(format!(
            "\"{trimmed}\": {e}; write the amount like \"199.00\", optionally with a currency code as in \"19.99 USD\""
        ))
    })?;
    let Some(currency) = written_currency.or_else(|| default_currency.cloned()) else {
        return Err(PriceError {
            message: format!(
                "\"{trimmed}\" names no currency and the file sets none; write it like \"19.99 USD\" or add a \
                 currency column (or pass `--currency CODE`)"
            ),
            missing_currency: true,
        });
    };
    if amount.starts_with('-') || amount.starts_with('\u{2212}') {
        return Err(PriceError::new(format!("\"{trimmed}\" is negative; a price must be zero or more")));
    }
    let amount = amount.strip_prefix('+').unwrap_or(amount);
    let plain = if amount.contains(['e', 'E']) {
        expand_scientific(amount, trimmed)?
    } else {
        normalise_separators(amount).ok_or_else(|| {
            PriceError::new(format!(
                "\"{trimmed}\" is not a price; write it like \"1299.00\" (digits, one decimal point, no letters)"
            ))
        })?
    };
    let code = currency.code().to_string();
    Money::parse_decimal(&plain, currency).map_err(|e| explain(e, trimmed, &code))
}

/// Whether the text carries its own currency (a symbol or code), so a caller can tell a stated currency from an
/// assumed one.
pub fn names_currency(text: &str) -> bool {
    let compact: String = strip_quotes(text).chars().filter(|c| !is_space(*c)).collect();
    matches!(split_currency(&compact, None), Ok((_, Some(_))))
}

fn explain(e: MoneyError, written: &str, currency: &str) -> PriceError {
    PriceError::new(match e {
        MoneyError::TooManyDecimals { allowed: 0, .. } => {
            format!("\"{written}\" has decimals, but {currency} prices are whole numbers; write it like \"1500\"")
        }
        MoneyError::TooManyDecimals { allowed, .. } => {
            format!("\"{written}\" has more than {allowed} decimal places for {currency}; round it to {allowed}")
        }
        MoneyError::TooLarge(_) => format!("\"{written}\" is too large to be a price"),
        MoneyError::Negative(_) => format!("\"{written}\" is negative; a price must be zero or more"),
        MoneyError::Empty => "the price is empty; write it like \"199.00\"".to_string(),
        MoneyError::NotANumber(_) => {
            format!("\"{written}\" is not a price; write it like \"1299.00\" (digits, one decimal point)")
        }
    })
}

/// Whether every space between two digits is followed by exactly three digits (a thousands group).
fn spaces_group_thousands(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let space_start = i;
        while chars.get(i).is_some_and(|c| is_space(*c)) {
            i += 1;
        }
        if i > space_start {
            let before = space_start.checked_sub(1).and_then(|j| chars.get(j));
            let after_digits = chars.get(i..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count());
            if before.is_some_and(char::is_ascii_digit) && after_digits > 0 && after_digits != 3 {
                return false;
            }
        } else {
            i += 1;
        }
    }
    true
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{202F}' | '\u{2009}' | '\'')
}

/// Trims spaces and the straight or curly quotes a spreadsheet or word processor left around a value.
pub fn strip_quotes(text: &str) -> &str {
    const QUOTES: [char; 9] = ['"', '\'', '“', '”', '‘', '’', '«', '»', '＂'];
    text.trim_matches(|c: char| c.is_whitespace() || QUOTES.contains(&c) || c == '\u{FEFF}')
}

/// Splits a compacted price into its number and the currency its symbol or code names.
fn split_currency<'a>(
    compact: &'a str,
    default_currency: Option<&Currency>,
) -> Result<(&'a str, Option<Currency>), String> {
    let default_code = default_currency.map(Currency::code);
    // Longer prefixes first, so "US$" is not read as "US" followed by "$".
    const SYMBOLS: [(&str, &str); 17] = [
        ("US$", "USD"),
        ("HK$", "HKD"),
        ("NT$", "TWD"),
        ("CA$", "CAD"),
        ("AU$", "AUD"),
        ("NZ$", "NZD"),
        ("RMB", "CNY"),
        ("C$", "CAD"),
        ("A$", "AUD"),
        ("S$", "SGD"),
        ("R$", "BRL"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("₩", "KRW"),
        ("₹", "INR"),
        ("元", "CNY"),
        ("円", "JPY"),
    ];
    const DOLLARS: [&str; 7] = ["USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD"];
    let symbol_code = |s: &str| -> Option<&'static str> {
        match s {
            "¥" | "￥" => Some(if default_code == Some("JPY") { "JPY" } else { "CNY" }),
            "$" | "＄" => Some(DOLLARS.iter().find(|d| Some(**d) == default_code).copied().unwrap_or("USD")),
            _ => SYMBOLS.iter().find(|(sym, _)| *sym == s).map(|(_, c)| *c),
        }
    };
    let mut rest = compact;
    let mut found: Option<Currency> = None;
    let take = |code: &str, found: &mut Option<Currency>| -> Result<(), String> {
        let currency = Currency::parse(code).ok_or_else(|| format!("\"{code}\" is not a currency"))?;
        match found {
            Some(previous) if *previous != currency => {
                Err(format!("it names two currencies ({previous} and {currency})"))
            }
            _ => {
                *found = Some(currency);
                Ok(())
            }
        }
    };
    // Leading part: letters or symbols before the first digit or sign.
    let lead_len = rest
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | ',' | '\u{2212}'))
        .map_or(rest.len(), |(i, _)| i);
    let (lead, tail) = rest.split_at(lead_len);
    if !lead.is_empty() {
        take(&currency_of(lead, &symbol_code)?, &mut found)?;
        rest = tail;
    }
    // Trailing part: letters or symbols after the last digit.
    let trail_start =
        rest.char_indices().rev().find(|(_, c)| c.is_ascii_digit() || *c == '.').map_or(0, |(i, c)| i + c.len_utf8());
    let (number, trail) = rest.split_at(trail_start);
    if !trail.is_empty() {
        take(&currency_of(trail, &symbol_code)?, &mut found)?;
    }
    if number.is_empty() {
        return Err("it has no digits".to_string());
    }
    Ok((number, found))
}

/// The currency code a symbol, a code or both together ("US$", "$USD") stand for.
fn currency_of(marker: &str, symbol_code: &dyn Fn(&str) -> Option<&'static str>) -> Result<String, String> {
    if let Some(code) = symbol_code(marker) {
        return Ok(code.to_string());
    }
    if marker.len() == 3 && marker.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok(marker.to_ascii_uppercase());
    }
    // A symbol next to a code ("$USD", "USD$"): the code decides.
    for (i, _) in marker.char_indices().skip(1) {
        let (a, b) = marker.split_at(i);
        for (code, symbol) in [(a, b), (b, a)] {
            if code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic()) && symbol_code(symbol).is_some() {
                return Ok(code.to_ascii_uppercase());
            }
        }
    }
    Err(format!("\"{marker}\" is not a currency symbol or code"))
}

/// Rewrites an amount with `,`/`.` separators of either convention as a plain `1299.00`, or `None` when which
/// mark is the decimal point cannot be told for certain.
fn normalise_separators(amount: &str) -> Option<String> {
    if amount.is_empty() || !amount.bytes().all(|b| b.is_ascii_digit() || b == b',' || b == b'.') {
        return None;
    }
    let commas = amount.matches(',').count();
    let dots = amount.matches('.').count();
    let (thousands, decimal) = match (commas, dots) {
        (0, 0) => return Some(amount.to_string()),
        (0, 1) => (None, Some('.')),
        (0, _) => (Some('.'), None),
        (1, 0) => {
            // "1,299" groups thousands; "12,50" or "12,5" can only be a decimal comma.
            let after = amount.rsplit(',').next().map_or(0, str::len);
            if after == 3 { (Some(','), None) } else { (None, Some(',')) }
        }
        (_, 0) => (Some(','), None),
        _ => {
            // Both marks: the last one is the decimal point, and it must appear once.
            let last_comma = amount.rfind(',')?;
            let last_dot = amount.rfind('.')?;
            if last_dot > last_comma { (Some(','), Some('.')) } else { (Some('.'), Some(',')) }
        }
    };
    let (int_part, frac_part) = match decimal {
        Some(mark) => {
            let (i, f) = amount.rsplit_once(mark)?;
            if f.contains([',', '.']) || i.contains(mark) || f.is_empty() {
                return None;
            }
            (i, Some(f))
        }
        None => (amount, None),
    };
    if let Some(sep) = thousands {
        // Thousands groups must be exactly three digits after the first, or the text means something else.
        let mut groups = int_part.split(sep);
        let first = groups.next()?;
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return None;
        }
    }
    let mut plain: String = int_part.chars().filter(char::is_ascii_digit).collect();
    if plain.is_empty() {
        plain.push('0');
    }
    if let Some(frac) = frac_part {
        plain.push('.');
        plain.push_str(frac);
    }
    Some(plain)
}

/// Expands spreadsheet scientific notation ("1.2E+3") to plain digits when no digits can have been lost.
fn expand_scientific(amount: &str, written: &str) -> Result<String, PriceError> {
    let bad = || PriceError::new(format!("\"{written}\" is not a price; write it like \"1200.00\""));
    let (mantissa, exponent) = amount.split_once(['e', 'E']).ok_or_else(bad)?;
    let exponent: i32 = exponent.strip_prefix('+').unwrap_or(exponent).parse().map_err(|_| bad())?;
    let (int_digits, frac_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_digits.is_empty() && frac_digits.is_empty()
        || !int_digits.bytes().all(|b| b.is_ascii_digit())
        || !frac_digits.bytes().all(|b| b.is_ascii_digit())
        || !(-30..=30).contains(&exponent)
    {
        return Err(bad());
    }
    let digits: String = format!("{int_digits}{frac_digits}");
    let significant = digits.trim_start_matches('0').trim_end_matches('0').len();
    if significant >= SPREADSHEET_SHOWN_DIGITS {
        return Err(PriceError::new(format!(
            "\"{written}\" is in scientific notation and may have been rounded by a spreadsheet; format the column \
             as a number with 2 decimals (not General) and export again, or write the full price like \"1299.00\""
        )));
    }
    // Move the decimal point `exponent` places to the right of where it was written.
    let point = int_digits.len() as i32 + exponent;
    let plain = if point <= 0 {
        format!("0.{}{}", "0".repeat(point.unsigned_abs() as usize), digits)
    } else if point as usize >= digits.len() {
        format!("{digits}{}", "0".repeat(point as usize - digits.len()))
    } else {
        let (i, f) = digits.split_at(point as usize);
        format!("{i}.{f}")
    };
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    fn minor(text: &str, default: Option<&str>) -> (i64, String) {
        let default = default.map(code);
        let m = parse_price(text, default.as_ref()).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        (m.minor, m.currency.code().to_string())
    }

    #[test]
    fn reads_prices_as_shops_write_them() {
        assert_eq!(minor("1,299.00", Some("CNY")), (129900, "CNY".into()));
        assert_eq!(minor("¥199", None), (19900, "CNY".into()));
        assert_eq!(minor("¥199", Some("JPY")), (199, "JPY".into()));
        assert_eq!(minor("￥1,500", Some("USD")), (150000, "CNY".into()));
        assert_eq!(minor("$19.99", None), (1999, "USD".into()));
        assert_eq!(minor("$19.99", Some("HKD")), (1999, "HKD".into()));
        assert_eq!(minor("19.99 USD", Some("CNY")), (1999, "USD".into()));
        assert_eq!(minor("USD 19.99", None), (1999, "USD".into()));
        assert_eq!(minor("usd19.99", None), (1999, "USD".into()));
        assert_eq!(minor("€12,50", None), (1250, "EUR".into()));
        assert_eq!(minor("12,5 EUR", None), (1250, "EUR".into()));
        assert_eq!(minor("1.299,00 €", None), (129900, "EUR".into()));
        assert_eq!(minor("1 299,00", Some("EUR")), (129900, "EUR".into()));
        assert_eq!(minor("1\u{a0}299.00", Some("EUR")), (129900, "EUR".into()));
        assert_eq!(minor("  “19.90”  ", Some("CNY")), (1990, "CNY".into()));
        assert_eq!(minor("\"25\"", Some("USD")), (2500, "USD".into()));
        assert_eq!(minor(".5", Some("USD")), (50, "USD".into()));
        assert_eq!(minor("199元", None), (19900, "CNY".into()));
        assert_eq!(minor("US$5", None), (500, "USD".into()));
        assert_eq!(minor("1,299", Some("USD")), (129900, "USD".into()));
        assert_eq!(minor("1,299,000", Some("JPY")), (1299000, "JPY".into()));
    }

    #[test]
    fn accepts_scientific_notation_only_when_exact() {
        assert_eq!(minor("1.2E+3", Some("USD")), (120000, "USD".into()));
        assert_eq!(minor("1.2e3", Some("USD")), (120000, "USD".into()));
        assert_eq!(minor("5E-1", Some("USD")), (50, "USD".into()));
        let rounded = parse_price("1.23457E+11", Some(&code("USD"))).unwrap_err();
        assert!(rounded.message.contains("rounded by a spreadsheet"), "{rounded}");
        let too_fine = parse_price("1.2345E+1", Some(&code("USD"))).unwrap_err();
        assert!(too_fine.message.contains("more than 2 decimal places for USD"), "{too_fine}");
    }

    #[test]
    fn refuses_what_could_be_misread_and_says_what_to_write() {
        let usd = code("USD");
        for bad in [
            "",
            "abc",
            "1.2.3,4",
            "12,34,5",
            "1,2345.00",
            "19.99 USD EUR",
            "$",
            "12..5",
            "1e",
            "-5",
            "−5",
            "19.99 XYZW",
            "5 $ 5",
        ] {
            assert!(parse_price(bad, Some(&usd)).is_err(), "{bad:?} should be refused");
        }
        let negative = parse_price("-5", Some(&usd)).unwrap_err();
        assert!(negative.message.contains("negative"), "{negative}");
        let no_currency = parse_price("19.99", None).unwrap_err();
        assert!(no_currency.message.contains("19.99 USD"), "{no_currency}");
        let two = parse_price("$19.99 EUR", None).unwrap_err();
        assert!(two.message.contains("two currencies"), "{two}");
        assert!(names_currency("19.99 USD") && names_currency("¥5") && !names_currency("19.99"));
    }
}
