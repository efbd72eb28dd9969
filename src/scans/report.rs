//! The report on the terminal (a table, in the user's language) and as CSV (one row per day,
//! print and channel, for a spreadsheet). Both are made from a [`Report`], which holds counts
//! only.

use std::fmt::Write;

use super::{Report, iso_date};
use crate::i18n::Lang;

/// The words of the table, English and Vietnamese side by side.
#[derive(Debug, Clone, Copy)]
enum Word {
    Heading,
    HowCounted,
    Leaflet,
    NoVariant,
    Code,
    Visits,
    Channel,
    Day,
    NoLeaflets,
    NoVisits,
    Read,
    LeftOut,
    Malformed,
    FirstAt,
    Programs,
    Prefetches,
    Methods,
    Statuses,
    Repeats,
    Other,
    Privacy,
}

impl Word {
    fn text(self, lang: Lang) -> &'static str {
        use Word::*;
        let (en, vi) = match self {
            Heading => ("Visits of the campaign's links", "Lượt truy cập từ các liên kết của chiến dịch"),
            HowCounted => (
                "people, not requests: programs and prefetches left out, the same person again within",
                "tính theo người, không theo yêu cầu: bỏ chương trình tự động và tải trước, cùng một người quay lại trong vòng",
            ),
            Leaflet => ("Leaflet / variant", "Tờ rơi / phiên bản"),
            NoVariant => ("(no variant)", "(bản chung)"),
            Code => ("Code", "Mã"),
            Visits => ("Visits", "Lượt"),
            Channel => ("Channel", "Kênh"),
            Day => ("Day", "Ngày"),
            NoLeaflets => ("The site has no published leaflet.", "Trang chưa có tờ rơi nào được xuất bản."),
            NoVisits => ("No visit counted.", "Không có lượt truy cập nào được tính."),
            Read => ("Read", "Đã đọc"),
            LeftOut => ("Left out", "Bỏ qua"),
            Malformed => ("malformed", "dòng sai định dạng"),
            FirstAt => ("first at", "dòng đầu tiên ở"),
            Programs => (
                "programs (crawlers, link previews, scripts)",
                "chương trình tự động (máy tìm kiếm, xem trước liên kết, script)",
            ),
            Prefetches => ("prefetches", "tải trước"),
            Methods => ("not a page view (HEAD, POST…)", "không phải lượt xem trang (HEAD, POST…)"),
            Statuses => (
                "redirects and errors (status other than 200, 304)",
                "chuyển hướng và lỗi (mã trạng thái khác 200, 304)",
            ),
            Repeats => ("repeats of the same person", "lượt lặp lại của cùng một người"),
            Other => ("Other requests (not a campaign link)", "Yêu cầu khác (không phải liên kết chiến dịch)"),
            Privacy => (
                "No IP address or user agent is written anywhere.",
                "Không ghi lại địa chỉ IP hay thông tin trình duyệt ở bất kỳ đâu.",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Vi => vi,
        }
    }
}

/// `1,234` (English) or `1.234` (Vietnamese).
pub fn number(n: u64, lang: Lang) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::Vi => '.',
    };
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `30 min`, `2 h`, `45 s` (the window).
pub fn duration(seconds: u64, lang: Lang) -> String {
    let (minute, hour, second) = match lang {
        Lang::En => ("min", "h", "s"),
        Lang::Vi => ("phút", "giờ", "giây"),
    };
    if seconds >= 3600 && seconds.is_multiple_of(3600) {
        format!("{} {hour}", seconds / 3600)
    } else if seconds >= 60 && seconds.is_multiple_of(60) {
        format!("{} {minute}", seconds / 60)
    } else {
        format!("{seconds} {second}")
    }
}

fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// The table printed by `canhbao scans`.
pub fn table(report: &Report, lang: Lang) -> String {
    let w = |word: Word| word.text(lang);
    let n = |v: u64| number(v, lang);
    let mut out = String::new();
    let window = if report.window > 0 {
        format!("{} {}", w(Word::HowCounted), duration(report.window, lang))
    } else {
        String::new()
    };
    let _ = writeln!(out, "{}: {}", w(Word::Heading), n(report.total()));
    if !window.is_empty() {
        let _ = writeln!(out, "({window})");
    }
    out.push('\n');
    if report.leaflets.is_empty() {
        let _ = writeln!(out, "{}", w(Word::NoLeaflets));
    } else {
        let mut lines: Vec<(String, String, String)> = Vec::new();
        for l in &report.leaflets {
            lines.push((l.title.clone(), String::new(), n(l.scans)));
            for p in &l.prints {
                let name = match &p.variant {
                    Some(id) if !p.label.is_empty() => format!("  {} ({id})", p.label),
                    Some(id) => format!("  {id}"),
                    None => format!("  {}", w(Word::NoVariant)),
                };
                lines.push((name, p.code.clone(), n(p.scans)));
            }
        }
        let first = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0).max(w(Word::Leaflet).chars().count());
        let code = lines.iter().map(|l| l.1.len()).max().unwrap_or(0).max(w(Word::Code).chars().count());
        let _ = writeln!(out, "{}  {}  {}", pad(w(Word::Leaflet), first), pad(w(Word::Code), code), w(Word::Visits));
        for (name, c, v) in lines {
            let _ = writeln!(out, "{}  {}  {v:>6}", pad(&name, first), pad(&c, code));
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{}  {}", pad(w(Word::Channel), 10), w(Word::Visits));
    for (channel, v) in &report.channels {
        let _ = writeln!(out, "{}  {:>6}", pad(channel, 10), n(*v));
    }
    out.push('\n');
    let days: Vec<_> = report.days.iter().filter(|(_, v)| *v > 0).collect();
    if days.is_empty() {
        let _ = writeln!(out, "{}", w(Word::NoVisits));
    } else {
        let _ = writeln!(out, "{}  {}", pad(w(Word::Day), 10), w(Word::Visits));
        for (day, v) in days {
            let _ = writeln!(out, "{}  {:>6}", iso_date(*day), n(*v));
        }
    }
    out.push('\n');
    out.push_str(&summary(report, lang));
    out
}

/// What was read and what was left out, and why (printed under the table, or on standard error
/// beside `--csv`).
pub fn summary(report: &Report, lang: Lang) -> String {
    let w = |word: Word| word.text(lang);
    let n = |v: u64| number(v, lang);
    let t = &report.tally;
    let mut out = String::new();
    let span = match t.span {
        Some((first, last)) => {
            format!(", {} – {}", iso_date(super::count::day(first)), iso_date(super::count::day(last)))
        }
        None => String::new(),
    };
    let lines = match lang {
        Lang::En => {
            let files = report.files.len();
            format!("{} lines in {files} file{}{span}", n(t.lines), if files == 1 { "" } else { "s" })
        }
        Lang::Vi => format!("{} dòng trong {} tệp{span}", n(t.lines), report.files.len()),
    };
    let _ = writeln!(out, "{}: {lines}", w(Word::Read));
    let _ = writeln!(out, "{}: {}", w(Word::LeftOut), n(report.left_out()));
    let mut malformed = format!("{} {}", n(t.malformed), w(Word::Malformed));
    if let Some(first) = &report.first_malformed {
        let _ = write!(malformed, " ({} {}:{})", w(Word::FirstAt), first.file, first.line);
    }
    for item in [
        malformed,
        format!("{} {}", n(t.programs), w(Word::Programs)),
        format!("{} {}", n(t.prefetches), w(Word::Prefetches)),
        format!("{} {}", n(t.methods), w(Word::Methods)),
        format!("{} {}", n(t.statuses), w(Word::Statuses)),
        format!("{} {} ({})", n(t.repeats), w(Word::Repeats), duration(report.window, lang)),
    ] {
        let _ = writeln!(out, "  {item}");
    }
    let _ = writeln!(out, "{}: {}", w(Word::Other), n(t.other));
    let _ = writeln!(out, "{}", w(Word::Privacy));
    out
}

/// The CSV: `date,leaflet,variant,channel,visits`, one row per day, print and channel that had
/// visits (pages opened from a channel text have no leaflet). Dates in Vietnam time.
pub fn csv(report: &Report) -> String {
    let mut out = String::from("date,leaflet,variant,channel,visits\n");
    for row in &report.rows {
        let _ = writeln!(
            out,
            "{},{},{},{},{}",
            iso_date(row.day),
            cell(&row.leaflet),
            cell(&row.variant),
            row.channel,
            row.scans
        );
    }
    out
}

/// A CSV cell: quoted when it holds a comma, a quote or a line break; a leading `=`, `+`, `-`
/// or `@` (a formula to a spreadsheet) is kept as text with a `'`.
fn cell(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@']) { format!("'{value}") } else { value.to_string() };
    if value.contains([',', '"', '\n', '\r']) { format!("\"{}\"", value.replace('"', "\"\"")) } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_durations() {
        assert_eq!(number(0, Lang::En), "0");
        assert_eq!(number(1234567, Lang::En), "1,234,567");
        assert_eq!(number(123456, Lang::Vi), "123.456");
        assert_eq!(duration(1800, Lang::En), "30 min");
        assert_eq!(duration(7200, Lang::Vi), "2 giờ");
        assert_eq!(duration(90, Lang::En), "90 s");
    }

    #[test]
    fn csv_cells_are_quoted_and_defused() {
        assert_eq!(cell("quan-1"), "quan-1");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
