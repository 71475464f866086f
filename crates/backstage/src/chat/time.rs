//! RFC 3339 times for chat logs and the audit log: written in UTC, read with any offset. The calendar (month
//! lengths, leap years, offsets) is `jiff`'s; this module only holds our profile of the format.
//!
//! The catalog's date reader (`catalog::dates`) reads offer dates leniently through the same [`unix_ms`]; chat
//! logs need the strict machine format in both directions.

use jiff::SignedDuration;
use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::temporal::Pieces;
use model::UnixMs;

/// 1970-01-01T00:00:00, the Unix epoch as a civil UTC time.
const EPOCH: DateTime = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);

/// Milliseconds since the epoch of a civil date and time at `offset_seconds` east of UTC. Digits past the
/// millisecond are dropped (a time is never rounded into the next millisecond).
pub(crate) fn unix_ms(date: Date, time: Time, offset_seconds: i64) -> i64 {
    let time = Time::constant(time.hour(), time.minute(), time.second(), i32::from(time.millisecond()) * 1_000_000);
    // Every civil time jiff can hold (years -9999 to 9999) is about 6.3e14 ms from the epoch: no overflow.
    let since_epoch = date.to_datetime(time).duration_since(EPOCH).as_millis() as i64;
    since_epoch - offset_seconds * 1000
}

/// `t` as a civil UTC time, when its year has the four digits RFC 3339 writes (0000 to 9999).
fn utc(t: UnixMs) -> Option<DateTime> {
    let civil = EPOCH.checked_add(SignedDuration::from_millis(t.0)).ok()?;
    (0..=9999).contains(&civil.year()).then_some(civil)
}

/// `2024-05-01T12:00:00Z`, or `2024-05-01T12:00:00.250Z` when there are milliseconds; `None` for a time outside
/// the years 0000 to 9999, which RFC 3339 cannot write.
pub fn format_rfc3339(t: UnixMs) -> Option<String> {
    let civil = utc(t)?;
    Some(if civil.subsec_nanosecond() == 0 { format!("{civil}Z") } else { format!("{civil:.3}Z") })
}

/// `2024-05-01T12:00:00.000Z`: always three fraction digits, so audit-log times line up. A time outside the years
/// 0000 to 9999 (no wall clock says one) is written as its milliseconds since 1970.
pub fn format_rfc3339_millis(t: UnixMs) -> String {
    match utc(t) {
        Some(civil) => format!("{civil:.3}Z"),
        None => format!("{} ms since 1970", t.0),
    }
}

/// Our RFC 3339 profile, which is narrower than the ISO 8601 jiff reads: `YYYY-MM-DD`, `T` (or `t` or a space),
/// `HH:MM:SS`, an optional fraction after a dot, and `Z` or `±HH:MM`. jiff checks the values.
fn is_rfc3339_shape(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shaped = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19);
    if !shaped {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the error says what was expected, or why the date is not real
/// (2024-02-31, 2023-02-29). A leap second reads as the second before it.
pub fn parse_rfc3339(text: &str) -> Result<UnixMs, String> {
    let text = text.trim();
    let expected = "an RFC 3339 time like 2024-05-01T12:00:00Z";
    if !is_rfc3339_shape(text) {
        return Err(format!("\"{text}\" is not {expected}"));
    }
    let pieces = Pieces::parse(text).map_err(|e| format!("\"{text}\" is not {expected}: {e}"))?;
    let (Some(time), Some(offset)) = (pieces.time(), pieces.to_numeric_offset()) else {
        return Err(format!("\"{text}\" is not {expected}"));
    };
    Ok(UnixMs(unix_ms(pieces.date(), time, i64::from(offset.seconds()))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(ms: i64) -> String {
        format_rfc3339(UnixMs(ms)).expect("a four-digit year")
    }

    #[test]
    fn times_round_trip_through_rfc3339() {
        for ms in [0, 1_662_206_235_860, 1_569_940_638_420, 951_782_400_000, -86_400_000] {
            assert_eq!(parse_rfc3339(&written(ms)), Ok(UnixMs(ms)), "{ms}");
        }
        assert_eq!(written(1_662_206_235_860), "2022-09-03T11:57:15.860Z");
        assert_eq!(written(1_662_206_235_000), "2022-09-03T11:57:15Z");
        assert_eq!(format_rfc3339_millis(UnixMs(1_662_206_235_000)), "2022-09-03T11:57:15.000Z");
        assert_eq!(parse_rfc3339("2022-09-03T13:57:15.86+02:00"), Ok(UnixMs(1_662_206_235_860)));
        assert_eq!(parse_rfc3339("2019-10-01T14:37:18.420061Z"), Ok(UnixMs(1_569_940_638_420)));
        for bad in
            ["", "2022-09-03", "2022-13-03T00:00:00Z", "2022-09-03T00:00:00", "2022-09-03T00:00:00+2", "２０２２"]
        {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_day_the_month_does_not_have_is_refused_with_the_reason() {
        let error = parse_rfc3339("2024-02-31T12:00:00Z").unwrap_err();
        assert!(error.contains("2024-02-31") && error.contains("day"), "{error}");
        for bad in ["2023-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "1900-02-29T00:00:00Z", "2024-01-01T24:00:00Z"] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn leap_days_are_real_days() {
        assert_eq!(parse_rfc3339("2024-02-29T00:00:00Z"), Ok(UnixMs(1_709_164_800_000)));
        assert_eq!(parse_rfc3339("2000-02-29T00:00:00.123Z"), Ok(UnixMs(951_782_400_123)));
        assert_eq!(written(1_709_164_800_000), "2024-02-29T00:00:00Z");
        assert_eq!(parse_rfc3339("2024-03-01T00:00:00Z"), Ok(UnixMs(1_709_164_800_000 + 86_400_000)));
    }

    #[test]
    fn offsets_move_the_moment_not_the_clock_face() {
        let utc = parse_rfc3339("2024-05-01T12:00:00Z").unwrap();
        assert_eq!(parse_rfc3339("2024-05-01T20:00:00+08:00"), Ok(utc));
        assert_eq!(parse_rfc3339("2024-05-01T06:30:00-05:30"), Ok(utc));
        assert_eq!(parse_rfc3339("2024-05-02T01:00:00+13:00"), Ok(utc));
        // Crossing midnight and a leap day backwards.
        assert_eq!(parse_rfc3339("2024-02-29T23:00:00-02:00"), parse_rfc3339("2024-03-01T01:00:00Z"));
        for bad in ["2024-05-01T12:00:00+0800", "2024-05-01T12:00:00+08"] {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn times_outside_four_digit_years_have_no_rfc3339_form() {
        assert_eq!(format_rfc3339(UnixMs(i64::MAX)), None);
        assert_eq!(format_rfc3339(UnixMs(-62_167_219_200_001)), None);
        assert_eq!(written(-62_167_219_200_000), "0000-01-01T00:00:00Z");
        assert_eq!(written(253_402_300_799_999), "9999-12-31T23:59:59.999Z");
    }
}
