//! Dates as old sites write them (Atom's RFC 3339, WordPress' `2024-05-08 02:30:00` in UTC,
//! Jekyll's `2024-05-08 09:30:00 +0700`, TOML date-times) made into what an article's `date:`
//! accepts: `YYYY-MM-DD` when there is no time, else RFC 3339 in Vietnam time. The instant is
//! kept: a time zone is converted, never dropped.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::Offset;

use crate::content::When;

/// Vietnam time (UTC+7 all year), as `content::When` shows dates.
const VIETNAM: Offset = Offset::constant(7);

/// The date as canhbao writes it, or None if it is not a date.
pub fn normalise(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    // A bare date stays a bare date.
    if s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok() {
        return Some(s.to_string());
    }
    if let Some(when) = When::parse(s) {
        return Some(when.rfc3339());
    }
    // `2024-05-08 09:30:00 +0700`, `2024-05-08 09:30 +07:00`, `2024-05-08T09:30:00.000+0700`.
    for format in ["%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z"] {
        if let Ok(time) = jiff::fmt::strtime::parse(format, s)
            && let Ok(timestamp) = time.to_timestamp()
        {
            return Some(vietnam(timestamp));
        }
    }
    // `2024-05-08 09:30:00 UTC` (Jekyll), `2024-05-08 09:30:00.5` (civil, Vietnam time).
    if let Some(civil) = s.strip_suffix(" UTC").or_else(|| s.strip_suffix('Z'))
        && let Ok(datetime) = civil.trim().parse::<DateTime>()
    {
        return utc(datetime);
    }
    None
}

/// A civil date-time known to be UTC (WordPress' `post_date_gmt`).
pub fn from_utc(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.starts_with("0000") {
        return None;
    }
    s.parse::<DateTime>().ok().and_then(utc)
}

fn utc(datetime: DateTime) -> Option<String> {
    Offset::UTC.to_timestamp(datetime).ok().map(vietnam)
}

fn vietnam(timestamp: Timestamp) -> String {
    timestamp.display_with_offset(VIETNAM).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_dates_keep_their_instant() {
        assert_eq!(normalise("2024-05-08").unwrap(), "2024-05-08");
        assert_eq!(normalise("2024-05-08T09:30:00.000+07:00").unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!(normalise("2024-05-08T02:30:00Z").unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!(normalise("2024-05-08 09:30:00 +0700").unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!(normalise("2024-05-08 20:00:00 -0500").unwrap(), "2024-05-09T08:00:00+07:00");
        assert_eq!(normalise("2024-05-08 09:30:00 UTC").unwrap(), "2024-05-08T16:30:00+07:00");
        assert_eq!(normalise("2024-05-08 09:30").unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!(from_utc("2024-05-08 02:30:00").unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!(from_utc("0000-00-00 00:00:00"), None);
        assert_eq!(normalise("hôm qua"), None);
        assert_eq!(normalise("2024-02-30"), None);
    }
}
