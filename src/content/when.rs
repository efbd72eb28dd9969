//! Dates of articles: written as `YYYY-MM-DD` or an RFC 3339 date-time, shown in Vietnam time.

use jiff::Timestamp;
use jiff::civil::{Date, DateTime};
use jiff::tz::Offset;

/// Vietnam has no daylight saving time: UTC+7 all year.
pub const VIETNAM: Offset = Offset::constant(7);

/// A point in time and the calendar day it falls on in Vietnam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    pub timestamp: Timestamp,
    pub day: Date,
}

impl When {
    /// Accepts `2024-05-08`, `2024-05-08 09:30`, `2024-05-08T09:30:00` (Vietnam time) and
    /// `2024-05-08T09:30:00+07:00` / `...Z`.
    pub fn parse(s: &str) -> Option<When> {
        let s = s.trim();
        if let Ok(timestamp) = s.parse::<Timestamp>() {
            return Some(When { timestamp, day: VIETNAM.to_datetime(timestamp).date() });
        }
        // A civil date-time parses before a bare date, which would silently drop the time.
        if let Ok(datetime) = s.parse::<DateTime>() {
            return Self::from_civil(datetime);
        }
        s.parse::<Date>().ok().and_then(|day| Self::from_civil(day.to_datetime(jiff::civil::Time::midnight())))
    }

    fn from_civil(datetime: DateTime) -> Option<When> {
        let timestamp = VIETNAM.to_timestamp(datetime).ok()?;
        Some(When { timestamp, day: datetime.date() })
    }

    /// RFC 3339 in Vietnam time: `2024-05-08T00:00:00+07:00`.
    pub fn rfc3339(&self) -> String {
        self.timestamp.display_with_offset(VIETNAM).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_datetimes() {
        let d = When::parse("2024-05-08").unwrap();
        assert_eq!(d.rfc3339(), "2024-05-08T00:00:00+07:00");
        assert_eq!(d.day.to_string(), "2024-05-08");
        let t = When::parse("2024-05-08T20:00:00Z").unwrap();
        assert_eq!(t.day.to_string(), "2024-05-09", "20:00 UTC is the next morning in Vietnam");
        assert_eq!(When::parse("2024-05-08 09:30").unwrap().rfc3339(), "2024-05-08T09:30:00+07:00");
        assert!(When::parse("2024-02-30").is_none());
        assert!(When::parse("08/05/2024").is_none());
    }
}
