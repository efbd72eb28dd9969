//! The report as one self-contained HTML page in Vietnamese, for a campaign officer to attach to
//! a report: inline CSS, an inline SVG bar chart of visits per day (per month beyond a year), a
//! table per leaflet and its variants, the channels, and the lines left out. No script, no
//! third-party host, nothing to download beside it. It holds counts only.

use std::fmt::Write;

use super::report::{duration, number};
use super::{Report, vietnamese_date};
use crate::i18n::Lang;

/// Days beyond which the chart shows months.
const MAX_DAY_BARS: usize = 366;

const CSS: &str = "\
body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;color:#1a1a1a;margin:0;background:#fff;line-height:1.5}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:2px solid #b71c1c;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem}
.site{color:#555;margin:0 0 1rem}
.total{font-size:1.1rem}
.total strong{font-size:2.2rem;color:#b71c1c;margin-right:.3rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
tfoot td{font-weight:bold}
figure{margin:1rem 0}
svg{width:100%;height:auto;max-width:100%}
.bar{fill:#b71c1c}
.axis{stroke:#888;stroke-width:1}
.label{font-size:11px;fill:#333}
.note{color:#555;font-size:.9rem}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}table,figure{break-inside:avoid}}
";

/// Text safe in HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

fn n(v: u64) -> String {
    number(v, Lang::Vi)
}

/// The page.
pub fn page(report: &Report) -> String {
    let mut h = String::new();
    let title = format!("Báo cáo lượt quét mã QR – {}", report.site_title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>\n",
        esc(&title)
    );
    let _ = writeln!(h, "<h1>Báo cáo lượt quét mã QR và liên kết tuyên truyền</h1>");
    let _ = writeln!(h, "<p class=\"site\">{} – {}</p>", esc(&report.site_title), esc(&report.base_url));
    period(&mut h, report);
    let _ = writeln!(
        h,
        "<p class=\"total\"><strong>{}</strong> lượt truy cập được tính</p>\n<p class=\"note\">Tính theo người, \
         không theo số yêu cầu: bỏ qua máy tìm kiếm, chương trình xem trước liên kết (Facebook, Zalo…) và \
         tải trước; cùng một người mở lại cùng một tờ rơi (hoặc cùng một trang từ cùng một kênh) trong vòng {} \
         chỉ tính một lần.</p>",
        n(report.total()),
        duration(report.window, Lang::Vi)
    );
    chart(&mut h, report);
    leaflets(&mut h, report);
    channels(&mut h, report);
    days_table(&mut h, report);
    left_out(&mut h, report);
    let _ = writeln!(
        h,
        "<p class=\"note\">Báo cáo chỉ chứa số liệu đếm: không có địa chỉ IP hay thông tin trình duyệt của người dân. \
         Ngày tính theo giờ Việt Nam (UTC+7). Lập bằng canhbao scans.</p>\n</main>\n</body>\n</html>"
    );
    h
}

fn period(h: &mut String, report: &Report) {
    let files = report.files.len();
    match (report.days.first(), report.days.last()) {
        (Some((first, _)), Some((last, _))) => {
            let _ = writeln!(
                h,
                "<p>Thời gian: từ {} đến {} ({} ngày), theo {} tệp nhật ký truy cập.</p>",
                vietnamese_date(*first),
                vietnamese_date(*last),
                n((last - first + 1) as u64),
                n(files as u64)
            );
        }
        _ => {
            let _ = writeln!(h, "<p>Không đọc được dòng nhật ký hợp lệ nào trong {} tệp.</p>", n(files as u64));
        }
    }
}

/// Bars: (label for the axis, full label, visits).
fn bars(report: &Report) -> (Vec<(String, String, u64)>, &'static str) {
    if report.days.len() <= MAX_DAY_BARS {
        let bars = report
            .days
            .iter()
            .map(|(d, v)| {
                let (_, m, day) = super::log_line::civil_from_days(*d);
                (format!("{day:02}/{m:02}"), vietnamese_date(*d), *v)
            })
            .collect();
        return (bars, "ngày");
    }
    let mut months: Vec<(String, String, u64)> = Vec::new();
    for (d, v) in &report.days {
        let (y, m, _) = super::log_line::civil_from_days(*d);
        let label = format!("{m:02}/{y}");
        match months.last_mut() {
            Some(last) if last.0 == label => last.2 += v,
            _ => months.push((label.clone(), format!("tháng {label}"), *v)),
        }
    }
    (months, "tháng")
}

fn chart(h: &mut String, report: &Report) {
    let (bars, unit) = bars(report);
    let _ = writeln!(h, "<h2>Lượt truy cập theo {unit}</h2>");
    if bars.is_empty() {
        let _ = writeln!(h, "<p>Không có dữ liệu.</p>");
        return;
    }
    let max = bars.iter().map(|b| b.2).max().unwrap_or(0).max(1);
    let (width, height, left, bottom, top) = (720.0_f64, 260.0_f64, 40.0_f64, 30.0_f64, 20.0_f64);
    let plot_w = width - left - 10.0;
    let plot_h = height - bottom - top;
    let step = plot_w / bars.len() as f64;
    let bar_w = (step * 0.8).clamp(0.5, 48.0);
    let summary = format!(
        "Biểu đồ cột: lượt truy cập theo {unit}, từ {} đến {}, cao nhất {} lượt",
        bars[0].1,
        bars[bars.len() - 1].1,
        n(max)
    );
    let _ = writeln!(
        h,
        "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">",
        esc(&summary)
    );
    let base = top + plot_h;
    let _ = writeln!(h, "<line class=\"axis\" x1=\"{left}\" y1=\"{base}\" x2=\"{}\" y2=\"{base}\"/>", width - 10.0);
    let _ = writeln!(h, "<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{base}\"/>");
    let _ = writeln!(
        h,
        "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        left - 4.0,
        top + 4.0,
        n(max)
    );
    let _ = writeln!(h, "<text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>", left - 4.0, base + 4.0);
    // About ten labels along the axis.
    let every = bars.len().div_ceil(10).max(1);
    for (i, (short, long, v)) in bars.iter().enumerate() {
        let x = left + step * i as f64 + (step - bar_w) / 2.0;
        let bar_h = plot_h * (*v as f64) / (max as f64);
        let _ = writeln!(
            h,
            "<rect class=\"bar\" x=\"{x:.2}\" y=\"{:.2}\" width=\"{bar_w:.2}\" height=\"{bar_h:.2}\"><title>{}: {} lượt</title></rect>",
            base - bar_h,
            esc(long),
            n(*v)
        );
        if i % every == 0 {
            let _ = writeln!(
                h,
                "<text class=\"label\" x=\"{:.2}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x + bar_w / 2.0,
                base + 16.0,
                esc(short)
            );
        }
    }
    let _ = writeln!(h, "</svg>\n<figcaption class=\"note\">{}.</figcaption>\n</figure>", esc(&summary));
}

fn leaflets(h: &mut String, report: &Report) {
    let _ = writeln!(h, "<h2>Theo tờ rơi và phiên bản</h2>");
    if report.leaflets.is_empty() {
        let _ = writeln!(h, "<p>Trang chưa có tờ rơi nào được xuất bản.</p>");
        return;
    }
    for l in &report.leaflets {
        let _ = writeln!(h, "<h3>{}</h3>", esc(&l.title));
        let _ = writeln!(
            h,
            "<table>\n<thead><tr><th scope=\"col\">Phiên bản (nơi phát)</th><th scope=\"col\">Mã</th>\
             <th scope=\"col\">Liên kết in trong mã QR</th><th scope=\"col\" class=\"n\">Lượt quét</th></tr></thead>\n<tbody>"
        );
        for p in &l.prints {
            let name = match &p.variant {
                Some(id) if !p.label.is_empty() => format!("{} ({id})", p.label),
                Some(id) => id.clone(),
                None => "Bản chung".to_string(),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
                esc(&name),
                esc(&p.code),
                esc(&p.short_url),
                n(p.scans)
            );
        }
        let _ = writeln!(
            h,
            "</tbody>\n<tfoot><tr><td colspan=\"3\">Tổng</td><td class=\"n\">{}</td></tr></tfoot>\n</table>",
            n(l.scans)
        );
    }
}

fn channel_name(channel: &str) -> &str {
    match channel {
        "qr" => "Mã QR trên tờ rơi",
        "sms" => "Tin nhắn SMS",
        "facebook" => "Facebook",
        "zalo" => "Zalo",
        other => other,
    }
}

fn channels(h: &mut String, report: &Report) {
    let _ = writeln!(
        h,
        "<h2>Theo kênh</h2>\n<table>\n<thead><tr><th scope=\"col\">Kênh</th><th scope=\"col\">Thẻ <code>src</code></th>\
         <th scope=\"col\" class=\"n\">Lượt truy cập</th></tr></thead>\n<tbody>"
    );
    for (channel, v) in &report.channels {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(channel_name(channel)),
            esc(channel),
            n(*v)
        );
    }
    let _ = writeln!(h, "</tbody>\n</table>");
}

fn days_table(h: &mut String, report: &Report) {
    let days: Vec<_> = report.days.iter().filter(|(_, v)| *v > 0).collect();
    if days.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>Chi tiết theo ngày</h2>\n<table>\n<thead><tr><th scope=\"col\">Ngày</th>\
         <th scope=\"col\" class=\"n\">Lượt truy cập</th></tr></thead>\n<tbody>"
    );
    for (day, v) in days {
        let _ = writeln!(h, "<tr><td>{}</td><td class=\"n\">{}</td></tr>", vietnamese_date(*day), n(*v));
    }
    let _ = writeln!(h, "</tbody>\n</table>");
}

fn left_out(h: &mut String, report: &Report) {
    let t = &report.tally;
    let _ = writeln!(
        h,
        "<h2>Các dòng nhật ký không được tính</h2>\n<p>Đã đọc {} dòng; {} dòng là yêu cầu khác (không phải liên kết \
         của chiến dịch); {} dòng bị bỏ qua:</p>\n<table>\n<thead><tr><th scope=\"col\">Lý do</th>\
         <th scope=\"col\" class=\"n\">Số dòng</th></tr></thead>\n<tbody>",
        n(t.lines),
        n(t.other),
        n(report.left_out())
    );
    let window = duration(report.window, Lang::Vi);
    for (reason, v) in [
        ("Dòng sai định dạng".to_string(), t.malformed),
        ("Chương trình tự động: máy tìm kiếm, xem trước liên kết, script".to_string(), t.programs),
        ("Tải trước (prefetch)".to_string(), t.prefetches),
        ("Không phải lượt xem trang (HEAD, POST…)".to_string(), t.methods),
        ("Chuyển hướng hoặc lỗi (mã trạng thái khác 200, 304)".to_string(), t.statuses),
        (format!("Cùng một người quay lại trong vòng {window}"), t.repeats),
    ] {
        let _ = writeln!(h, "<tr><td>{}</td><td class=\"n\">{}</td></tr>", esc(&reason), n(v));
    }
    let _ = writeln!(h, "</tbody>\n</table>");
    for d in &report.damaged {
        let _ = writeln!(
            h,
            "<p class=\"note\">Tệp {} bị hỏng sau dòng {}: phần còn lại không được đọc.</p>",
            esc(&d.file),
            n(d.line)
        );
    }
}
