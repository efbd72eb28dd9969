//! One line of a web server's access log, split by hand (no regular expression: a 1 GB log
//! must read at more than 100 MB/s on one core).
//!
//! The formats read are nginx's and Apache's `combined` (the default of both), Apache's
//! `vhost_combined` (the virtual host first) and the older `common` format (no referrer, no user
//! agent):
//!
//! ```text
//! 203.0.113.7 - - [10/Nov/2026:08:15:02 +0700] "GET /q/be555/ HTTP/2.0" 200 812 "-" "Mozilla/5.0 …"
//! canhbao.example.vn:443 203.0.113.7 - - [10/Nov/2026:08:15:02 +0700] "GET /q/be555/ HTTP/1.1" 200 812 "-" "Mozilla/5.0 …"
//! ```
//!
//! Quoted fields may hold escaped quotes (`\"` from Apache, `\x22` from nginx). Fields after the
//! user agent (a custom format that logs `Sec-Purpose`, say) are kept as [`Line::extra`].

/// A parsed line; every slice borrows from the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The client address (`%h`, `$remote_addr`).
    pub client: &'a [u8],
    /// Seconds since 1970-01-01 UTC.
    pub time: i64,
    /// `GET`, `HEAD`… (empty when the request line is not `METHOD TARGET PROTOCOL`).
    pub method: &'a [u8],
    /// The request target as sent: `/q/be555/?src=sms` (empty, like the method, when unreadable).
    pub target: &'a [u8],
    pub status: u16,
    /// The user agent; `None` in the `common` format, which does not log it.
    pub agent: Option<&'a [u8]>,
    /// What follows the user agent (custom formats), trimmed.
    pub extra: &'a [u8],
}

/// Why a line is not a log line of a known format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// No `[date]` where it should be, or a date that does not exist.
    Time,
    /// The request, status or size fields are missing or broken.
    Fields,
    /// The line is longer than [`MAX_LINE`] bytes.
    TooLong,
}

/// Longest line read; a longer one is counted as malformed and skipped without being kept.
pub const MAX_LINE: usize = 64 * 1024;

/// Oldest and newest years accepted in a log date.
const YEARS: std::ops::RangeInclusive<i64> = 1970..=2199;

/// Splits one line (without its line break).
pub fn parse(line: &[u8]) -> Result<Line<'_>, Malformed> {
    let open = memchr::memchr(b'[', line).ok_or(Malformed::Time)?;
    // Before the date: `host ident user` or `vhost host ident user`, separated by spaces.
    let head = line[..open].strip_suffix(b" ").ok_or(Malformed::Fields)?;
    let mut fields = head.split(|&b| b == b' ');
    let (first, second) = (fields.next(), fields.next());
    let count = 2 + fields.count();
    let client = match (count, first, second) {
        (3, Some(host), _) => host,
        (4, _, Some(host)) => host,
        _ => return Err(Malformed::Fields),
    };
    if client.is_empty() {
        return Err(Malformed::Fields);
    }
    let rest = &line[open + 1..];
    let date = rest.get(..26).ok_or(Malformed::Time)?;
    if rest.get(26) != Some(&b']') {
        return Err(Malformed::Time);
    }
    let time = parse_time(date).ok_or(Malformed::Time)?;
    let rest = rest[27..].strip_prefix(b" \"").ok_or(Malformed::Fields)?;
    let (request, rest) = quoted(rest).ok_or(Malformed::Fields)?;
    let rest = rest.strip_prefix(b" ").ok_or(Malformed::Fields)?;
    let (status, rest) = split_space(rest);
    let status = match status {
        [a, b, c] if status.iter().all(u8::is_ascii_digit) => {
            u16::from(a - b'0') * 100 + u16::from(b - b'0') * 10 + u16::from(c - b'0')
        }
        _ => return Err(Malformed::Fields),
    };
    let (size, rest) = split_space(rest);
    if size != b"-" && (size.is_empty() || !size.iter().all(u8::is_ascii_digit)) {
        return Err(Malformed::Fields);
    }
    let (agent, extra) = if rest.is_empty() {
        (None, &b""[..])
    } else {
        // `"referrer" "user agent"`, then anything.
        let rest = rest.strip_prefix(b"\"").ok_or(Malformed::Fields)?;
        let (_referrer, rest) = quoted(rest).ok_or(Malformed::Fields)?;
        let rest = rest.strip_prefix(b" \"").ok_or(Malformed::Fields)?;
        let (agent, rest) = quoted(rest).ok_or(Malformed::Fields)?;
        (Some(agent), rest.trim_ascii())
    };
    let (method, target) = split_request(request);
    Ok(Line { client, time, method, target, status, agent, extra })
}

/// `METHOD TARGET PROTOCOL` -> (method, target); both empty when the request is not of that
/// shape (`-`, or bytes of a TLS handshake sent to a plain HTTP port).
fn split_request(request: &[u8]) -> (&[u8], &[u8]) {
    let mut parts = request.split(|&b| b == b' ');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(method), Some(target), _, None)
            if !method.is_empty() && method.iter().all(u8::is_ascii_uppercase) && !target.is_empty() =>
        {
            (method, target)
        }
        _ => (b"", b""),
    }
}

/// The text up to the closing quote (a quote after an odd number of backslashes is escaped)
/// and what follows the quote.
fn quoted(s: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut from = 0;
    loop {
        let at = from + memchr::memchr(b'"', &s[from..])?;
        let backslashes = s[..at].iter().rev().take_while(|&&b| b == b'\\').count();
        if backslashes % 2 == 0 {
            return Some((&s[..at], &s[at + 1..]));
        }
        from = at + 1;
    }
}

fn split_space(s: &[u8]) -> (&[u8], &[u8]) {
    match memchr::memchr(b' ', s) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, b""),
    }
}

/// `10/Nov/2026:08:15:02 +0700` -> seconds since 1970-01-01 UTC.
pub fn parse_time(d: &[u8]) -> Option<i64> {
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = d.get(range)?;
        digits.iter().try_fold(0i64, |n, &b| b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0')))
    };
    if d.len() != 26 || d[2] != b'/' || d[6] != b'/' || d[11] != b':' || d[14] != b':' || d[17] != b':' {
        return None;
    }
    if d[20] != b' ' {
        return None;
    }
    let day = num(0..2)?;
    let month = month(&d[3..6])?;
    let year = num(7..11)?;
    let (hour, minute, second) = (num(12..14)?, num(15..17)?, num(18..20)?);
    let sign = match d[21] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (off_h, off_m) = (num(22..24)?, num(24..26)?);
    if !YEARS.contains(&year) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 || off_h > 14 || off_m > 59 {
        return None;
    }
    let local = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(local - sign * (off_h * 3600 + off_m * 60))
}

fn month(name: &[u8]) -> Option<i64> {
    const MONTHS: [&[u8; 3]; 12] =
        [b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec"];
    MONTHS.iter().position(|m| m.as_slice() == name).map(|i| i as i64 + 1)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day number of [`days_from_civil`].
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NGINX: &[u8] = br#"203.0.113.7 - - [10/Nov/2026:08:15:02 +0700] "GET /q/be555/?src=sms HTTP/2.0" 200 812 "-" "Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile""#;

    #[test]
    fn reads_a_combined_line() {
        let line = parse(NGINX).unwrap();
        assert_eq!(line.client, b"203.0.113.7");
        assert_eq!(line.method, b"GET");
        assert_eq!(line.target, b"/q/be555/?src=sms");
        assert_eq!(line.status, 200);
        assert_eq!(line.agent, Some(&b"Mozilla/5.0 (Linux; Android 14) Chrome/130.0 Mobile"[..]));
        // 2026-11-10 01:15:02 UTC
        assert_eq!(line.time, days_from_civil(2026, 11, 10) * 86_400 + 3600 + 15 * 60 + 2);
    }

    #[test]
    fn reads_vhost_common_ipv6_and_escaped_quotes() {
        let vhost = br#"canhbao.example.vn:443 2001:db8::1 - - [01/Jan/2027:00:00:00 +0000] "HEAD /x HTTP/1.1" 304 - "https://a.vn/\"q\"" "UA \"quoted\" \\" "prefetch""#;
        let line = parse(vhost).unwrap();
        assert_eq!(line.client, b"2001:db8::1");
        assert_eq!(line.method, b"HEAD");
        assert_eq!(line.status, 304);
        assert_eq!(line.agent, Some(&br#"UA \"quoted\" \\"#[..]));
        assert_eq!(line.extra, br#""prefetch""#);
        let common = br#"198.51.100.2 - alice [29/Feb/2028:23:59:59 -0500] "GET / HTTP/1.0" 404 0"#;
        let line = parse(common).unwrap();
        assert_eq!((line.agent, line.status), (None, 404));
        assert_eq!(line.time, days_from_civil(2028, 3, 1) * 86_400 + 4 * 3600 + 59 * 60 + 59);
    }

    #[test]
    fn an_unreadable_request_is_still_a_line() {
        let tls = br#"192.0.2.1 - - [10/Nov/2026:08:15:02 +0700] "\x16\x03\x01\x02\x00\x01" 400 157 "-" "-""#;
        let line = parse(tls).unwrap();
        assert_eq!((line.method, line.target, line.status), (&b""[..], &b""[..], 400));
    }

    #[test]
    fn malformed_lines_say_why() {
        let cases: [(&[u8], Malformed); 9] = [
            (b"", Malformed::Time),
            (b"garbage without a date", Malformed::Time),
            (br#"1.2.3.4 - - [31/Nov/2026:08:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "x""#, Malformed::Time),
            (br#"1.2.3.4 - - [10/Nox/2026:08:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "x""#, Malformed::Time),
            (br#"1.2.3.4 - - [10/Nov/1969:08:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "x""#, Malformed::Time),
            (br#"1.2.3.4 - - [10/Nov/2026:24:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "x""#, Malformed::Time),
            (br#"1.2.3.4 - - [10/Nov/2026:08:15:02 +0700] "GET / HTTP/1.1" 2000 1 "-" "x""#, Malformed::Fields),
            (br#"1.2.3.4 - - [10/Nov/2026:08:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "cut"#, Malformed::Fields),
            (br#"a b c d e [10/Nov/2026:08:15:02 +0700] "GET / HTTP/1.1" 200 1 "-" "x""#, Malformed::Fields),
        ];
        for (line, why) in cases {
            assert_eq!(parse(line), Err(why), "{}", String::from_utf8_lossy(line));
        }
    }

    #[test]
    fn days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for days in [-1, 0, 59, 11_016, 20_000, 60_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, i64::from(m), i64::from(d)), days);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }
}
