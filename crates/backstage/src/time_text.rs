//! Times and durations as people write them in files: RFC 3339 timestamps and "90s" / "10m" / "1h30m".

use model::UnixMs;

/// Reads a duration written like "90s", "10m", "1h30m" or "500ms" into milliseconds.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: u64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_len] {
            "ms" => 1,
            "s" => 1000,
            "m" | "min" => 60_000,
            "h" => 3_600_000,
            _ => return None,
        };
        total = total.checked_add(n.checked_mul(factor)?)?;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// Reads an RFC 3339 timestamp ("2026-11-26T20:00:00+08:00", "2026-11-26T12:00:00Z"), also accepting a space for
/// the T and a missing seconds field. A time without an offset is read in `default_offset_minutes` (the show's
/// time zone), because merchandisers write local times.
pub fn parse_timestamp(text: &str, default_offset_minutes: i32) -> Option<UnixMs> {
    let text = text.trim();
    let num = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
    };
    let (date, rest) = match text.find(['T', 't', ' ']) {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    let mut parts = date.split('-');
    let year = num(parts.next()?)? as i64;
    let month = num(parts.next()?)?;
    let day = num(parts.next()?)?;
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    let (clock, offset_minutes) = if rest.is_empty() {
        ("00:00", default_offset_minutes)
    } else if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        (clock, 0)
    } else if let Some(i) = rest.rfind(['+', '-']) {
        let sign = if rest.as_bytes()[i] == b'-' { -1 } else { 1 };
        let (h, m) = rest[i + 1..].split_once(':')?;
        let (h, m) = (num(h)? as i32, num(m)? as i32);
        if h > 23 || m > 59 {
            return None;
        }
        (&rest[..i], sign * (h * 60 + m))
    } else {
        (rest, default_offset_minutes)
    };
    let mut hms = clock.split(':');
    let hour = num(hms.next()?)?;
    let minute = num(hms.next()?)?;
    let (second, millis) = match hms.next() {
        Some(s) => match s.split_once('.') {
            Some((whole, frac)) => {
                let frac3: String = frac.chars().chain("000".chars()).take(3).collect();
                (num(whole)?, num(&frac3)?)
            }
            None => (num(s)?, 0),
        },
        None => (0, 0),
    };
    if hms.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64
        - offset_minutes as i64 * 60;
    Some(UnixMs(secs * 1000 + millis as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(parse_duration_ms("10m"), Some(600_000));
        assert_eq!(parse_duration_ms("1h30m"), Some(5_400_000));
        assert_eq!(parse_duration_ms("500ms"), Some(500));
        assert_eq!(parse_duration_ms("ten minutes"), None);
        assert_eq!(parse_duration_ms("10"), None);
    }

    #[test]
    fn timestamps_with_offsets_zones_and_local_times() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z", 0), Some(UnixMs(0)));
        assert_eq!(
            parse_timestamp("2026-11-26T12:00:00Z", 0),
            Some(UnixMs(1_795_694_400_000))
        );
        assert_eq!(
            parse_timestamp("2026-11-26T20:00:00+08:00", 0),
            Some(UnixMs(1_795_694_400_000))
        );
        assert_eq!(
            parse_timestamp("2026-11-26 20:00", 480),
            Some(UnixMs(1_795_694_400_000))
        );
        assert_eq!(
            parse_timestamp("2024-02-29", 0).map(|t| t.0 % 86_400_000),
            Some(0)
        );
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "tomorrow",
            "2026-11-26T25:00",
            "2026-11-26T12:00+99:00",
            "",
        ] {
            assert_eq!(parse_timestamp(bad, 0), None, "{bad}");
        }
    }
}
