//! Money as integer minor units plus an ISO 4217 currency code: prices are never floats anywhere in shopcast.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An ISO 4217 currency code such as `CNY` or `USD`, always upper case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Currency(String);

impl Currency {
    /// Accepts three ASCII letters in any case; returns `None` for anything else.
    pub fn parse(code: &str) -> Option<Currency> {
        let code = code.trim();
        (code.len() == 3 && code.bytes().all(|b| b.is_ascii_alphabetic())).then(|| Currency(code.to_ascii_uppercase()))
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// Digits after the decimal point in this currency's minor unit (ISO 4217; 2 for everything not listed).
    pub fn minor_digits(&self) -> u32 {
        match self.0.as_str() {
            "JPY" | "KRW" | "VND" | "CLP" | "ISK" | "UGX" | "XAF" | "XOF" | "PYG" => 0,
            "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "IQD" | "LYD" => 3,
            _ => 2,
        }
    }

    /// The symbol shown on screen, or the code itself with a trailing space when there is no common symbol.
    pub fn symbol(&self) -> &str {
        match self.0.as_str() {
            "CNY" | "JPY" => "¥",
            "USD" | "CAD" | "AUD" | "NZD" | "HKD" | "SGD" | "TWD" => "$",
            "EUR" => "€",
            "GBP" => "£",
            "KRW" => "₩",
            "INR" => "₹",
            _ => "",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount in the currency's minor unit (cents, fen): `Money { minor: 19900, currency: CNY }` is ¥199.00.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[serde(rename = "amount_minor")]
    pub minor: i64,
    pub currency: Currency,
}

/// Why a decimal amount could not be read exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MoneyError {
    Empty,
    NotANumber(String),
    TooManyDecimals { text: String, allowed: u32 },
    Negative(String),
    TooLarge(String),
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::Empty => write!(f, "the amount is empty; write it like \"199.00\""),
            MoneyError::NotANumber(t) => {
                write!(f, "\"{t}\" is not an amount; write it like \"199.00\"")
            }
            MoneyError::TooManyDecimals { text, allowed } => {
                write!(f, "\"{text}\" has more than {allowed} decimal places for this currency")
            }
            MoneyError::Negative(t) => {
                write!(f, "\"{t}\" is negative; prices must be zero or more")
            }
            MoneyError::TooLarge(t) => write!(f, "\"{t}\" is too large to be a price"),
        }
    }
}

impl Money {
    /// Parses a plain decimal amount such as `199`, `199.5`, `1,299.00` exactly, without going through floats.
    /// Thousands separators (`,`) are allowed in the integer part; currency symbols are not (the currency is
    /// given separately).
    pub fn parse_decimal(text: &str, currency: Currency) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        if trimmed.starts_with('-') {
            return Err(MoneyError::Negative(trimmed.to_string()));
        }
        let digits = currency.minor_digits();
        let (int_part, frac_part) = match trimmed.split_once('.') {
            Some((i, f)) => (i, f),
            None => (trimmed, ""),
        };
        let int_clean: String = int_part.chars().filter(|c| *c != ',').collect();
        let valid_int = !int_clean.is_empty() && int_clean.bytes().all(|b| b.is_ascii_digit());
        let valid_commas = !int_part.starts_with(',') && !int_part.ends_with(',') && !int_part.contains(",,");
        let valid_frac =
            frac_part.bytes().all(|b| b.is_ascii_digit()) && !(trimmed.contains('.') && frac_part.is_empty());
        if !valid_int || !valid_commas || !valid_frac {
            return Err(MoneyError::NotANumber(trimmed.to_string()));
        }
        // Trailing zeros beyond the minor unit carry no value ("19.990" is fine for USD).
        let frac_significant = frac_part.trim_end_matches('0');
        if frac_significant.len() > digits as usize {
            return Err(MoneyError::TooManyDecimals { text: trimmed.to_string(), allowed: digits });
        }
        let too_large = || MoneyError::TooLarge(trimmed.to_string());
        let whole: i64 = int_clean.parse().map_err(|_| too_large())?;
        let mut frac_digits = frac_significant.to_string();
        while frac_digits.len() < digits as usize {
            frac_digits.push('0');
        }
        let frac: i64 = if frac_digits.is_empty() { 0 } else { frac_digits.parse().map_err(|_| too_large())? };
        let minor = whole.checked_mul(10i64.pow(digits)).and_then(|w| w.checked_add(frac)).ok_or_else(too_large)?;
        Ok(Money { minor, currency })
    }

    /// The amount as digits with the currency's decimal places and thousands separators: `1,299.00`.
    pub fn amount_text(&self) -> String {
        let digits = self.currency.minor_digits();
        let scale = 10i64.pow(digits);
        let sign = if self.minor < 0 { "-" } else { "" };
        let abs = self.minor.unsigned_abs();
        let whole = abs / scale as u64;
        let frac = abs % scale as u64;
        let mut grouped = String::new();
        let whole_text = whole.to_string();
        for (i, ch) in whole_text.chars().enumerate() {
            if i > 0 && (whole_text.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        if digits == 0 {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}.{frac:0width$}", width = digits as usize)
        }
    }

    /// The price as a viewer reads it on screen: `¥199.00`, `$19.99`, `CHF 12.50`.
    pub fn display(&self) -> String {
        let symbol = self.currency.symbol();
        if symbol.is_empty() {
            format!("{} {}", self.currency.code(), self.amount_text())
        } else {
            format!("{symbol}{}", self.amount_text())
        }
    }

    /// Whole percent saved against a higher compare-at price, rounded down so the host never overstates a
    /// discount. `None` when the currencies differ or there is no saving.
    pub fn percent_off_from(&self, compare_at: &Money) -> Option<u32> {
        if self.currency != compare_at.currency || compare_at.minor <= self.minor || compare_at.minor <= 0 {
            return None;
        }
        let saved = (compare_at.minor - self.minor) as i128;
        Some((saved * 100 / compare_at.minor as i128) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cny() -> Currency {
        Currency::parse("cny").unwrap()
    }

    #[test]
    fn parses_decimal_amounts_exactly() {
        assert_eq!(Money::parse_decimal("199", cny()).unwrap().minor, 19900);
        assert_eq!(Money::parse_decimal("1,299.00", cny()).unwrap().minor, 129900);
        assert_eq!(Money::parse_decimal(" 19.9 ", cny()).unwrap().minor, 1990);
        assert_eq!(Money::parse_decimal("0.07", cny()).unwrap().minor, 7);
        let jpy = Currency::parse("JPY").unwrap();
        assert_eq!(Money::parse_decimal("1500", jpy.clone()).unwrap().minor, 1500);
        assert!(matches!(Money::parse_decimal("15.5", jpy), Err(MoneyError::TooManyDecimals { .. })));
    }

    #[test]
    fn rejects_what_is_not_an_amount() {
        for bad in ["", "abc", "1.2.3", "12.", ",100", "1,,000", "¥199", "1e5"] {
            assert!(Money::parse_decimal(bad, cny()).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(Money::parse_decimal("-5", cny()), Err(MoneyError::Negative(_))));
        assert!(matches!(Money::parse_decimal("99999999999999999999", cny()), Err(MoneyError::TooLarge(_))));
    }

    #[test]
    fn displays_with_symbol_and_grouping() {
        assert_eq!(Money::parse_decimal("1299", cny()).unwrap().display(), "¥1,299.00");
        let chf = Currency::parse("CHF").unwrap();
        assert_eq!(Money::parse_decimal("12.5", chf).unwrap().display(), "CHF 12.50");
    }

    #[test]
    fn discount_rounds_down_and_needs_a_higher_compare_at() {
        let price = Money::parse_decimal("199", cny()).unwrap();
        let was = Money::parse_decimal("299", cny()).unwrap();
        assert_eq!(price.percent_off_from(&was), Some(33));
        assert_eq!(was.percent_off_from(&price), None);
        assert_eq!(price.percent_off_from(&price), None);
    }
}
