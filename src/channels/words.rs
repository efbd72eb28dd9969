//! Numbers written out in Vietnamese words, as an announcer reads them on a ward loudspeaker:
//! "113" → "một một ba" (a phone number, digit by digit), "30%" → "ba mươi phần trăm",
//! "500.000 đồng" → "năm trăm nghìn đồng" (dots separate thousands), "2,5" → "hai phẩy năm",
//! "08/5/2024" → "ngày mùng tám tháng năm năm hai nghìn không trăm hai mươi tư".
//!
//! [`integer`] reads a whole number (northern usage: "linh" for a zero ten, "nghìn", "tỷ");
//! [`read_aloud`] finds the numbers in a text and replaces each by its words.

/// Digit words.
const DIGITS: [&str; 10] = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];

/// Short numbers read digit by digit wherever they appear: the national emergency lines.
pub const EMERGENCY_NUMBERS: [&str; 5] = ["111", "112", "113", "114", "115"];

/// A whole number in words: 0 "không", 15 "mười lăm", 21 "hai mươi mốt", 105 "một trăm linh năm",
/// 2024 "hai nghìn không trăm hai mươi tư", 1.000.005 "một triệu không trăm linh năm".
pub fn integer(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut out = Vec::new();
    words(n, false, &mut out);
    out.join(" ")
}

/// `n` > 0; `full` reads a leading zero hundred ("không trăm"), as inside a larger number.
fn words(n: u64, full: bool, out: &mut Vec<&'static str>) {
    const BILLION: u64 = 1_000_000_000;
    if n >= BILLION {
        words(n / BILLION, full, out);
        out.push("tỷ");
        if !n.is_multiple_of(BILLION) {
            below_billion(n % BILLION, true, out);
        }
    } else {
        below_billion(n, full, out);
    }
}

fn below_billion(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let groups = [(n / 1_000_000, "triệu"), (n / 1_000 % 1_000, "nghìn"), (n % 1_000, "")];
    let mut first = true;
    for (group, unit) in groups {
        if group == 0 {
            continue;
        }
        triple(group, full || !first, out);
        if !unit.is_empty() {
            out.push(unit);
        }
        first = false;
    }
}

/// 1..=999; `full`: "không trăm" and "linh" even without hundreds.
fn triple(n: u64, full: bool, out: &mut Vec<&'static str>) {
    let (h, t, u) = ((n / 100) as usize, (n / 10 % 10) as usize, (n % 10) as usize);
    if full || h > 0 {
        out.extend([DIGITS[h], "trăm"]);
    }
    match t {
        0 if u > 0 => {
            if full || h > 0 {
                out.push("linh");
            }
            out.push(DIGITS[u]);
        }
        0 => {}
        1 => {
            out.push("mười");
            match u {
                0 => {}
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
        _ => {
            out.extend([DIGITS[t], "mươi"]);
            match u {
                0 => {}
                1 => out.push("mốt"),
                4 => out.push("tư"),
                5 => out.push("lăm"),
                _ => out.push(DIGITS[u]),
            }
        }
    }
}

/// Digits read one by one; a group of a written phone number (`0901 234 567`) is followed by a
/// comma, where the announcer pauses.
pub fn digits(text: &str) -> String {
    let groups: Vec<String> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(|g| g.bytes().map(|b| DIGITS[(b - b'0') as usize]).collect::<Vec<_>>().join(" "))
        .collect();
    groups.join(", ")
}

/// A decimal written with a comma (or a dot not followed by exactly three digits): `2,5` →
/// "hai phẩy năm", `0,05` → "không phẩy không năm".
fn decimal(whole: u64, fraction: &str) -> String {
    let zeros = fraction.len() - fraction.trim_start_matches('0').len();
    let mut out = vec![integer(whole), "phẩy".to_string()];
    out.extend(std::iter::repeat_n(DIGITS[0].to_string(), zeros));
    let rest = fraction.trim_start_matches('0');
    if !rest.is_empty() {
        // Long fractions are read digit by digit (a number of 19 digits does not fit a u64).
        match rest.parse::<u64>() {
            Ok(n) if rest.len() <= 3 => out.push(integer(n)),
            _ => out.push(digits(rest).replace(", ", " ")),
        }
    }
    out.join(" ")
}

/// `text` with every number written out in words. `phones` are numbers read digit by digit
/// wherever they stand alone (the site's hotlines), besides [`EMERGENCY_NUMBERS`] and what
/// looks like a phone number: starting with `0` or `+84` and 8 digits or more (`0901 234 567`,
/// `024.3942.4242`), `1800`/`1900` numbers, and any run of 8 digits or more.
pub fn read_aloud(text: &str, phones: &[String]) -> String {
    // Only a digit or a `+` starts a number: most paragraphs have neither.
    if !text.bytes().any(|b| b.is_ascii_digit() || b == b'+') {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // A `+` starts a number only as the start of a phone number (`+84 …`).
        let starts_number = c.is_ascii_digit() || (c == '+' && phone_end(&chars, i).is_some());
        // A digit glued to a letter before it (`H5N1`, `4G` aside) is part of a word: read it too.
        if !starts_number {
            out.push(c);
            i += 1;
            continue;
        }
        let (words, end) = number_at(&chars, i, &out, phones);
        push_word(&mut out, &words);
        i = end;
        // A range: `15-20%` → "mười lăm đến hai mươi phần trăm".
        if i + 1 < chars.len() && matches!(chars[i], '-' | '–') && chars[i + 1].is_ascii_digit() {
            out.push_str(" đến");
            i += 1;
        }
    }
    out
}

/// Appends `word` with a space before it when the text so far does not end in one.
fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() && !out.ends_with([' ', '\n', '(', '“', '"', '/']) {
        out.push(' ');
    }
    out.push_str(word);
}

/// The words of the number starting at `start`, and where it ends.
fn number_at(chars: &[char], start: usize, before: &str, phones: &[String]) -> (String, usize) {
    let run = |from: usize| chars[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let text = |from: usize, to: usize| chars[from..to].iter().collect::<String>();
    let previous_word = before.trim_end().rsplit([' ', '\n']).next().unwrap_or("").to_lowercase();

    if let Some(end) = phone_end(chars, start) {
        return (digits(&text(start, end)), end);
    }
    let first = run(start);
    let end = start + first;
    let value = |s: &str| s.parse::<u64>().ok();
    let digits_text = text(start, end);
    let after = |k: usize| chars.get(end + k).copied();
    let letter_after = |k: usize| chars.get(end + k).is_some_and(|c| c.is_alphanumeric());

    // A date, `08/5/2024` or `5/2024` or (after "ngày") `8/5`; ISO `2024-05-08`.
    if after(0) == Some('/') && first <= 2 && run(end + 1) > 0 {
        let second = run(end + 1);
        let m_end = end + 1 + second;
        let n1 = value(&digits_text).unwrap_or(0);
        let n2 = value(&text(end + 1, m_end)).unwrap_or(0);
        if chars.get(m_end) == Some(&'/') && second <= 2 && run(m_end + 1) == 4 {
            let year = value(&text(m_end + 1, m_end + 5)).unwrap_or(0);
            if (1..=31).contains(&n1) && (1..=12).contains(&n2) {
                return (date_words(Some(n1), Some(n2), Some(year), &previous_word), m_end + 5);
            }
        } else if second == 4 && (1..=12).contains(&n1) {
            return (date_words(None, Some(n1), value(&text(end + 1, m_end)), &previous_word), m_end);
        } else if second <= 2 && previous_word == "ngày" && (1..=31).contains(&n1) && (1..=12).contains(&n2) {
            return (date_words(Some(n1), Some(n2), None, &previous_word), m_end);
        }
    }
    if first == 4 && after(0) == Some('-') && run(end + 1) == 2 && chars.get(end + 3) == Some(&'-') && run(end + 4) == 2
    {
        let (y, m, d) = (value(&digits_text), value(&text(end + 1, end + 3)), value(&text(end + 4, end + 6)));
        if m.is_some_and(|m| (1..=12).contains(&m)) && d.is_some_and(|d| (1..=31).contains(&d)) {
            return (date_words(d, m, y, &previous_word), end + 6);
        }
    }
    // A time: `9:30`, `9h30`, `9h`.
    if first <= 2 && matches!(after(0), Some(':' | 'h' | 'g')) {
        let minutes = run(end + 1);
        let hour = value(&digits_text).unwrap_or(0);
        if after(0) == Some(':') && minutes == 2 && hour <= 24 {
            let m = value(&text(end + 1, end + 3)).unwrap_or(0);
            return (time_words(hour, m), end + 3);
        }
        if after(0) != Some(':') && hour <= 24 {
            if minutes == 2 && !letter_after(3) {
                let m = value(&text(end + 1, end + 3)).unwrap_or(0);
                return (time_words(hour, m), end + 3);
            }
            if minutes == 0 && !letter_after(1) {
                return (time_words(hour, 0), end + 1);
            }
        }
    }
    // A whole number with dots between thousands: `500.000`, `1.000.000.000`.
    let mut whole = digits_text.clone();
    let mut pos = end;
    if first <= 3 {
        while chars.get(pos) == Some(&'.') && run(pos + 1) == 3 && !chars.get(pos + 4).is_some_and(char::is_ascii_digit)
        {
            whole.push_str(&text(pos + 1, pos + 4));
            pos += 4;
        }
    }
    let standalone = pos == end;
    let fraction_follows = matches!(after(0), Some(',' | '.')) && chars.get(end + 1).is_some_and(char::is_ascii_digit);
    // A leading zero (a code, a room number) or a known phone: digit by digit.
    if standalone
        && !fraction_follows
        && (phones.contains(&digits_text)
            || EMERGENCY_NUMBERS.contains(&digits_text.as_str())
            || (first > 1 && digits_text.starts_with('0') && !matches!(previous_word.as_str(), "ngày" | "tháng")))
    {
        return (digits(&digits_text), end);
    }
    let Some(n) = value(&whole) else {
        // Too large for a number: read it as digits.
        return (digits(&whole), pos);
    };
    // A decimal: `2,5`, `0,05`, or a dot not followed by exactly three digits (`1.5`).
    let mut words = if matches!(chars.get(pos), Some(',' | '.')) && run(pos + 1) > 0 {
        let fraction = text(pos + 1, pos + 1 + run(pos + 1));
        pos += 1 + fraction.len();
        decimal(n, &fraction)
    } else {
        match (previous_word.as_str(), n) {
            ("thứ", 1) => "nhất".to_string(),
            ("thứ" | "tháng", 4) => "tư".to_string(),
            _ => integer(n),
        }
    };
    // What follows: `%`, `đ`/`₫`, `k` (thousand), `VND`.
    let rest: String = chars[pos..chars.len().min(pos + 5)].iter().collect();
    let letter_at = |k: usize| chars.get(pos + k).is_some_and(|c| c.is_alphanumeric());
    if rest.starts_with('%') {
        words.push_str(" phần trăm");
        pos += 1;
    } else if (rest.starts_with('đ') || rest.starts_with('₫')) && !letter_at(1) {
        words.push_str(" đồng");
        pos += 1;
    } else if (rest.starts_with('k') || rest.starts_with('K')) && !letter_at(1) {
        words.push_str(" nghìn");
        pos += 1;
    } else {
        let spaced = rest.strip_prefix(' ').unwrap_or(&rest);
        let skip = rest.len() - spaced.len();
        for unit in ["VNĐ", "VND", "vnđ", "vnd"] {
            if spaced.starts_with(unit) && !letter_at(skip + 3) {
                words.push_str(" đồng");
                pos += skip + 3;
                break;
            }
        }
    }
    (words, pos)
}

/// The end of a phone number starting at `start`: `0` or `+84` then digits, or `1800`/`1900`,
/// with single spaces, dots or dashes between groups, 8 digits or more in all; or a run of 8
/// digits or more.
fn phone_end(chars: &[char], start: usize) -> Option<usize> {
    let mut end = start;
    let mut count = 0;
    if chars[start] == '+' {
        end += 1;
    }
    let plain: usize = chars[end..].iter().take_while(|c| c.is_ascii_digit()).count();
    let first: String = chars[end..end + plain].iter().collect();
    let prefixed =
        chars[start] == '+' || first.starts_with('0') || first.starts_with("1800") || first.starts_with("1900");
    if !prefixed {
        return (plain >= 8).then_some(end + plain);
    }
    // A decimal such as `0,5` is not a phone number.
    loop {
        let group = chars[end..].iter().take_while(|c| c.is_ascii_digit()).count();
        if group == 0 {
            break;
        }
        end += group;
        count += group;
        let separated = matches!(chars.get(end), Some(' ' | '.' | '-'));
        let next = chars.get(end + 1..).map_or(0, |rest| rest.iter().take_while(|c| c.is_ascii_digit()).count());
        if separated && (2..=4).contains(&next) && count < 11 {
            end += 1;
        } else {
            break;
        }
    }
    (count >= 8).then_some(end)
}

fn date_words(day: Option<u64>, month: Option<u64>, year: Option<u64>, previous_word: &str) -> String {
    let mut out = Vec::new();
    if let Some(d) = day {
        if previous_word != "ngày" {
            out.push("ngày".to_string());
        }
        if d <= 10 {
            out.push("mùng".to_string());
        }
        out.push(integer(d));
    }
    if let Some(m) = month {
        if day.is_some() || previous_word != "tháng" {
            out.push("tháng".to_string());
        }
        out.push(if m == 4 { "tư".to_string() } else { integer(m) });
    }
    if let Some(y) = year {
        out.push("năm".to_string());
        out.push(integer(y));
    }
    out.join(" ")
}

fn time_words(hour: u64, minute: u64) -> String {
    match minute {
        0 => format!("{} giờ", integer(hour)),
        m => format!("{} giờ {}", integer(hour), integer(m)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aloud(text: &str) -> String {
        read_aloud(text, &["19001234".to_string()])
    }

    #[test]
    fn whole_numbers_issue_12() {
        for (n, words) in [
            (0, "không"),
            (5, "năm"),
            (10, "mười"),
            (11, "mười một"),
            (15, "mười lăm"),
            (20, "hai mươi"),
            (21, "hai mươi mốt"),
            (24, "hai mươi tư"),
            (25, "hai mươi lăm"),
            (30, "ba mươi"),
            (100, "một trăm"),
            (105, "một trăm linh năm"),
            (110, "một trăm mười"),
            (115, "một trăm mười lăm"),
            (999, "chín trăm chín mươi chín"),
            (1_000, "một nghìn"),
            (1_050, "một nghìn không trăm năm mươi"),
            (16_900, "mười sáu nghìn chín trăm"),
            (500_000, "năm trăm nghìn"),
            (1_000_005, "một triệu không trăm linh năm"),
            (2_005_000, "hai triệu không trăm linh năm nghìn"),
            (1_500_000_000, "một tỷ năm trăm triệu"),
            (3_000_000_000_000, "ba nghìn tỷ"),
        ] {
            assert_eq!(integer(n), words, "{n}");
        }
    }

    #[test]
    fn years_issue_12() {
        assert_eq!(integer(2024), "hai nghìn không trăm hai mươi tư");
        assert_eq!(integer(2000), "hai nghìn");
        assert_eq!(integer(2005), "hai nghìn không trăm linh năm");
        assert_eq!(integer(1990), "một nghìn chín trăm chín mươi");
        assert_eq!(aloud("năm 2025"), "năm hai nghìn không trăm hai mươi lăm");
    }

    #[test]
    fn phone_numbers_digit_by_digit_issue_12() {
        assert_eq!(aloud("Gọi 113 ngay."), "Gọi một một ba ngay.");
        assert_eq!(aloud("gọi 0901 234 567."), "gọi không chín không một, hai ba bốn, năm sáu bảy.");
        assert_eq!(aloud("số 0901234567"), "số không chín không một hai ba bốn năm sáu bảy");
        assert_eq!(aloud("024.3942.4242"), "không hai bốn, ba chín bốn hai, bốn hai bốn hai");
        assert_eq!(aloud("+84 901 234 567"), "tám bốn, chín không một, hai ba bốn, năm sáu bảy");
        assert_eq!(aloud("tổng đài 1900 1234"), "tổng đài một chín không không, một hai ba bốn");
        assert_eq!(aloud("đường dây 19001234"), "đường dây một chín không không một hai ba bốn");
        // A number that is not a phone is read as a number.
        assert_eq!(aloud("113 người"), "một một ba người", "emergency numbers are always digits");
        assert_eq!(aloud("116 người"), "một trăm mười sáu người");
    }

    #[test]
    fn percentages_and_decimals_issue_12() {
        assert_eq!(aloud("30%"), "ba mươi phần trăm");
        assert_eq!(aloud("lãi 2,5% một ngày"), "lãi hai phẩy năm phần trăm một ngày");
        assert_eq!(aloud("0,05"), "không phẩy không năm");
        assert_eq!(aloud("3,14"), "ba phẩy mười bốn");
        assert_eq!(aloud("1.5 lần"), "một phẩy năm lần");
        assert_eq!(aloud("15-20%"), "mười lăm đến hai mươi phần trăm");
    }

    #[test]
    fn money_with_dots_between_thousands_issue_12() {
        assert_eq!(aloud("500.000 đồng"), "năm trăm nghìn đồng");
        assert_eq!(aloud("nộp 500.000đ."), "nộp năm trăm nghìn đồng.");
        assert_eq!(aloud("1.000.000.000 đồng"), "một tỷ đồng");
        assert_eq!(aloud("2.500.000 VNĐ"), "hai triệu năm trăm nghìn đồng");
        assert_eq!(aloud("50k"), "năm mươi nghìn");
        assert_eq!(aloud("1,5 tỷ"), "một phẩy năm tỷ");
        assert_eq!(aloud("mất 16.900 lượt"), "mất mười sáu nghìn chín trăm lượt");
    }

    #[test]
    fn dates_and_times_issue_12() {
        assert_eq!(aloud("08/5/2024"), "ngày mùng tám tháng năm năm hai nghìn không trăm hai mươi tư");
        assert_eq!(aloud("ngày 15/4/2025"), "ngày mười lăm tháng tư năm hai nghìn không trăm hai mươi lăm");
        assert_eq!(aloud("ngày 8/5"), "ngày mùng tám tháng năm");
        assert_eq!(aloud("tháng 5/2024"), "tháng năm năm hai nghìn không trăm hai mươi tư");
        assert_eq!(aloud("2024-05-08"), "ngày mùng tám tháng năm năm hai nghìn không trăm hai mươi tư");
        assert_eq!(aloud("lúc 9:30"), "lúc chín giờ ba mươi");
        assert_eq!(aloud("từ 7h đến 17h30"), "từ bảy giờ đến mười bảy giờ ba mươi");
        assert_eq!(aloud("ngày 08 tháng 4 năm 2024"), "ngày tám tháng tư năm hai nghìn không trăm hai mươi tư");
        // Not a date without a year or "ngày" before it.
        assert_eq!(aloud("24/7"), "hai mươi tư/bảy");
    }

    proptest::proptest! {
        /// Whatever the numbers look like, reading them never panics and leaves no digit.
        #[test]
        fn every_digit_is_read_issue_12(text in "[0-9 .,/:%hđkK+–-]{0,40}|[0-9a-zđ .,%]{0,60}") {
            let spoken = read_aloud(&text, &["113".to_string()]);
            proptest::prop_assert!(!spoken.chars().any(|c| c.is_ascii_digit()), "{text:?} → {spoken:?}");
        }
    }

    #[test]
    fn the_rest_is_left_alone_issue_12() {
        assert_eq!(aloud("Không chuyển tiền."), "Không chuyển tiền.");
        assert_eq!(aloud("lần thứ 1, thứ 4"), "lần thứ nhất, thứ tư");
        assert_eq!(aloud("mã 007"), "mã không không bảy");
        assert_eq!(aloud("+5 điểm"), "+ năm điểm", "a `+` that starts no phone number stays");
        assert_eq!(
            aloud("99999999999999999999999"),
            "chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín chín"
        );
    }
}
