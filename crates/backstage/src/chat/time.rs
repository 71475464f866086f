//! RFC 3339 times for chat logs: written with millisecond precision in UTC, read with any offset.
//!
//! The catalog's date reader reads offer dates leniently; chat logs need the strict machine format in both
//! directions. The calendar arithmetic here is shared by both, and by the audit log's timestamps.

use model::UnixMs;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day count since 1970-01-01 (`civil_from_days`).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `2024-05-01T12:00:00Z`, or `2024-05-01T12:00:00.250Z` when there are milliseconds.
pub fn format_rfc3339(t: UnixMs) -> String {
    let ms = t.0.rem_euclid(1000);
    let secs = t.0.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (hh, mm, ss) = (rem / 3600, rem % 3600 / 60, rem % 60);
    if ms == 0 {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{ms:03}Z")
    }
}

fn number(text: &str, range: std::ops::Range<usize>) -> Option<i64> {
    let part = text.get(range)?;
    if !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

/// Reads `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; the error says what was expected.
pub fn parse_rfc3339(text: &str) -> Result<UnixMs, String> {
    let text = text.trim();
    let bad = || format!("\"{text}\" is not an RFC 3339 time like 2024-05-01T12:00:00Z");
    let b = text.as_bytes();
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(13) != Some(&b':') {
        return Err(bad());
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(16) != Some(&b':') {
        return Err(bad());
    }
    let (year, month, day) = (number(text, 0..4), number(text, 5..7), number(text, 8..10));
    let (hour, minute, second) = (number(text, 11..13), number(text, 14..16), number(text, 17..19));
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) =
        (year, month, day, hour, minute, second)
    else {
        return Err(bad());
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return Err(bad());
    }
    let mut rest = text.get(19..).ok_or_else(bad)?;
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(bad());
        }
        let kept: String = fraction.chars().take(3).collect::<String>();
        let kept = kept.get(..digits.min(3)).unwrap_or("0");
        millis = kept.parse::<i64>().map_err(|_| bad())? * 10i64.pow(3 - digits.min(3) as u32);
        rest = fraction.get(digits..).ok_or_else(bad)?;
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(bad()),
            };
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return Err(bad());
            }
            let (Some(h), Some(m)) = (number(rest, 1..3), number(rest, 4..6)) else { return Err(bad()) };
            sign * (h * 60 + m)
        }
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset_minutes * 60;
    Ok(UnixMs(secs * 1000 + millis))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_rfc3339() {
        for ms in [0, 1_662_206_235_860, 1_569_940_638_420, 951_782_400_000, -86_400_000] {
            assert_eq!(parse_rfc3339(&format_rfc3339(UnixMs(ms))), Ok(UnixMs(ms)), "{ms}");
        }
        assert_eq!(format_rfc3339(UnixMs(1_662_206_235_860)), "2022-09-03T11:57:15.860Z");
        assert_eq!(parse_rfc3339("2022-09-03T13:57:15.86+02:00"), Ok(UnixMs(1_662_206_235_860)));
        assert_eq!(parse_rfc3339("2019-10-01T14:37:18.420061Z"), Ok(UnixMs(1_569_940_638_420)));
        for bad in
            ["", "2022-09-03", "2022-13-03T00:00:00Z", "2022-09-03T00:00:00", "2022-09-03T00:00:00+2", "２０２２"]
        {
            assert!(parse_rfc3339(bad).is_err(), "{bad}");
        }
    }
}
