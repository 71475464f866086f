//! Offer dates as product files write them (RFC 3339, "YYYY-MM-DD[ HH:MM[:SS]]", ISO 8601 offsets like "+0100"),
//! read into [`UnixMs`].
//!
//! A dozen lines of calendar arithmetic cover every date these formats use, so no date crate is pulled in. A
//! time without a zone is read in the caller's default offset (UTC unless the file says otherwise): WooCommerce
//! writes the store's local time without saying which zone.

use crate::chat::time::days_from_civil;
use model::UnixMs;

/// Reads one moment; a time without a zone is taken to be at `default_offset_minutes` from UTC. The error says
/// what was expected.
pub fn parse_moment(text: &str, default_offset_minutes: i32) -> Result<UnixMs, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "\"{text}\" is not a date; write it like \"2025-06-18\", \"2025-06-18 20:00:00\" or \
             \"2025-06-18T20:00:00+08:00\""
        )
    };
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
    };
    if bytes.len() < 10 || bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return Err(bad());
    }
    let (year, month, day) = match (number(0..4), number(5..7), number(8..10)) {
        (Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad()),
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return Err(format!("\"{text}\" is not a real date (month {month}, day {day})"));
    }
    let mut seconds = 0i64;
    let mut millis = 0i64;
    let mut rest = text.get(10..).unwrap_or("");
    if let Some(time) = rest.strip_prefix(['T', 't', ' ']) {
        let tb = time.as_bytes();
        if tb.len() < 5 || tb.get(2) != Some(&b':') {
            return Err(bad());
        }
        let field = |range: std::ops::Range<usize>| -> Option<i64> {
            let part = time.get(range)?;
            (part.len() == 2 && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok()).flatten()
        };
        let (hour, minute) = match (field(0..2), field(3..5)) {
            (Some(h), Some(m)) if h < 24 && m < 60 => (h, m),
            _ => return Err(bad()),
        };
        let mut used = 5;
        let mut second = 0;
        if tb.get(5) == Some(&b':') {
            second = match field(6..8) {
                Some(s) if s < 60 => s,
                _ => return Err(bad()),
            };
            used = 8;
            if tb.get(8) == Some(&b'.') || tb.get(8) == Some(&b',') {
                let fraction: String = time.get(9..).unwrap_or("").chars().take_while(char::is_ascii_digit).collect();
                if fraction.is_empty() {
                    return Err(bad());
                }
                used = 9 + fraction.len();
                let ms: String = fraction.chars().chain("000".chars()).take(3).collect();
                millis = ms.parse().map_err(|_| bad())?;
            }
        }
        seconds = hour * 3600 + minute * 60 + second;
        rest = time.get(used..).unwrap_or("");
    }
    let offset_seconds = match rest.trim() {
        "" => i64::from(default_offset_minutes) * 60,
        "Z" | "z" | "UTC" | "GMT" => 0,
        zone => {
            let (sign, digits) = match zone.as_bytes().first() {
                Some(b'+') => (1, zone.get(1..).unwrap_or("")),
                Some(b'-') => (-1, zone.get(1..).unwrap_or("")),
                _ => return Err(bad()),
            };
            let digits: String = digits.chars().filter(|c| *c != ':').collect();
            let (h, m) = match digits.len() {
                2 => (digits.parse::<i64>().map_err(|_| bad())?, 0),
                4 => (
                    digits.get(..2).and_then(|h| h.parse::<i64>().ok()).ok_or_else(bad)?,
                    digits.get(2..).and_then(|m| m.parse::<i64>().ok()).ok_or_else(bad)?,
                ),
                _ => return Err(bad()),
            };
            if h > 23 || m > 59 {
                return Err(bad());
            }
            sign * (h * 3600 + m * 60)
        }
    };
    let days = days_from_civil(year, month, day);
    Ok(UnixMs((days * 86_400 + seconds - offset_seconds) * 1000 + millis))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Whether a moment names its own zone, so a caller can warn when a local time is being guessed.
pub fn has_zone(text: &str) -> bool {
    let text = text.trim();
    let time = text.get(10..).unwrap_or("");
    time.ends_with(['Z', 'z'])
        || time.ends_with("UTC")
        || time.ends_with("GMT")
        || time.get(1..).is_some_and(|t| t.contains(['+', '-']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_date_shapes_shops_write() {
        assert_eq!(parse_moment("1970-01-01", 0), Ok(UnixMs(0)));
        assert_eq!(parse_moment("2000-03-01", 0), Ok(UnixMs(951_868_800_000)));
        assert_eq!(parse_moment("2024-02-29 12:30:15", 0), Ok(UnixMs(1_709_209_815_000)));
        assert_eq!(parse_moment("2024-02-29T20:30:15+08:00", 0), Ok(UnixMs(1_709_209_815_000)));
        assert_eq!(parse_moment("2024-02-29T12:30:15.250Z", 0), Ok(UnixMs(1_709_209_815_250)));
        assert_eq!(parse_moment("2016-02-24T11:07+0100", 0), Ok(UnixMs(1_456_308_420_000)));
    }

    #[test]
    fn a_time_without_a_zone_is_read_in_the_default_offset() {
        assert_eq!(parse_moment("2024-02-29 20:30:15", 480), Ok(UnixMs(1_709_209_815_000)));
        assert!(has_zone("2024-02-29T20:30:15+08:00") && has_zone("2024-02-29T20:30Z"));
        assert!(!has_zone("2024-02-29 20:30:15") && !has_zone("2024-02-29"));
    }

    #[test]
    fn refuses_dates_that_are_not_real() {
        for bad in [
            "",
            "tomorrow",
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024-01-01T25:00",
            "2024-01-01T10",
            "2024-01-01 10:00 +99:00",
            "2024-01-01T10:00:00.",
            "２０２４-01-01",
        ] {
            assert!(parse_moment(bad, 0).is_err(), "{bad:?} should be refused");
        }
    }
}
