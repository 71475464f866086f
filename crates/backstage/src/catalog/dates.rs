//! Offer dates as product files write them (RFC 3339, "YYYY-MM-DD[ HH:MM[:SS]]", ISO 8601 offsets like "+0100"),
//! read into [`UnixMs`].
//!
//! `jiff` reads the ISO 8601 text and knows the calendar, so a date that does not exist (2025-02-29, 2025-04-31) is
//! refused with the reason. A time without a zone is read in the caller's default offset (UTC unless the file says
//! otherwise): WooCommerce writes the store's local time without saying which zone.

use crate::chat::time::unix_ms;
use jiff::civil::Time;
use jiff::fmt::temporal::Pieces;
use model::UnixMs;

/// Reads one moment; a time without a zone is taken to be at `default_offset_minutes` from UTC. The error says
/// what was expected.
pub fn parse_moment(text: &str, default_offset_minutes: i32) -> Result<UnixMs, String> {
    let text = text.trim();
    let shapes = "write it like \"2025-06-18\", \"2025-06-18 20:00:00\" or \"2025-06-18T20:00:00+08:00\"";
    let bad = || format!("\"{text}\" is not a date; {shapes}");
    // A trailing "UTC" or "GMT" (with or without a space) is a zone jiff's ISO 8601 reader does not know.
    let (iso, named_utc) = match text.strip_suffix("UTC").or_else(|| text.strip_suffix("GMT")) {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    };
    // WooCommerce writes midnight with a one-digit hour ("2025-06-18 0:00:00"): pad it for the ISO reader.
    let padded;
    let iso = match (iso.get(10..11), iso.get(11..12), iso.get(12..13)) {
        (Some(" " | "T"), Some(h), Some(":")) if h.bytes().all(|b| b.is_ascii_digit()) => {
            padded = format!("{}0{}", &iso[..11], &iso[11..]);
            padded.as_str()
        }
        _ => iso,
    };
    // The date is written in full ("2025-06-18"), and a time has at least hours and minutes: ISO 8601's "T20" alone
    // is more likely a typo than an hour.
    let b = iso.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || (b.len() > 10 && b.get(13) != Some(&b':')) {
        return Err(bad());
    }
    let pieces = Pieces::parse(iso).map_err(|e| format!("\"{text}\" is not a date ({e}); {shapes}"))?;
    if pieces.time_zone_annotation().is_some() {
        return Err(format!("\"{text}\" names a time zone; write its offset instead, like \"+08:00\""));
    }
    let offset_seconds = match (pieces.to_numeric_offset(), named_utc) {
        (Some(_), true) => return Err(bad()),
        (Some(offset), false) => i64::from(offset.seconds()),
        (None, true) => 0,
        (None, false) => i64::from(default_offset_minutes) * 60,
    };
    Ok(UnixMs(unix_ms(pieces.date(), pieces.time().unwrap_or(Time::midnight()), offset_seconds)))
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
        assert_eq!(parse_moment("2024-02-29 12:30:15 UTC", 480), Ok(UnixMs(1_709_209_815_000)));
        assert_eq!(parse_moment("2024-02-29T12:30:15GMT", 480), Ok(UnixMs(1_709_209_815_000)));
        assert_eq!(parse_moment("2024-02-29T04:30:15-08:00", 0), Ok(UnixMs(1_709_209_815_000)));
    }

    #[test]
    fn a_day_the_month_lacks_is_refused_with_the_reason() {
        let error = parse_moment("2024-02-31", 0).unwrap_err();
        assert!(error.contains("2024-02-31") && error.contains("day"), "{error}");
        assert!(parse_moment("2100-02-29", 0).is_err() && parse_moment("2000-02-29", 0).is_ok());
    }

    #[test]
    fn a_one_digit_hour_as_woocommerce_writes_midnight_is_read() {
        let padded = parse_moment("2025-06-18 00:00:00", 0).expect("a date");
        assert_eq!(parse_moment("2025-06-18 0:00:00", 0), Ok(padded));
        assert_eq!(parse_moment("2025-06-18 9:30", 0), parse_moment("2025-06-18 09:30", 0));
        assert!(parse_moment("2025-06-18 0:0", 0).is_err());
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
            "2024-02-31",
            "2024-02-29T12:00 UTC+01:00",
            "2024-02-29T12:00+01:00[Europe/Paris]",
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
