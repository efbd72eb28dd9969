//! Messages for editors in their language: Vietnamese when the locale says so (`LC_ALL`,
//! `LC_MESSAGES` or `LANG` starting with `vi`), English otherwise.
//!
//! Every sentence the command line prints is here, in both languages, so a translation is never
//! forgotten in a corner of the code. Diagnostics come from the library in English; the most
//! common ones are translated by [`Lang::diagnostic`] and the rest are shown as they are.

use std::time::Duration;

/// The language of the messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Vi,
}

impl Lang {
    /// From the process environment (POSIX order: `LC_ALL`, then `LC_MESSAGES`, then `LANG`).
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        Lang::detect(var("LC_ALL").as_deref(), var("LC_MESSAGES").as_deref(), var("LANG").as_deref())
    }

    /// The first non-empty of the three variables decides: `vi`, `vi_VN.UTF-8`, `vi-VN` are
    /// Vietnamese; anything else (or nothing) is English.
    pub fn detect(lc_all: Option<&str>, lc_messages: Option<&str>, lang: Option<&str>) -> Lang {
        let locale = [lc_all, lc_messages, lang].into_iter().flatten().find(|v| !v.is_empty()).unwrap_or("");
        let language = locale.split(['_', '-', '.', '@']).next().unwrap_or("");
        if language.eq_ignore_ascii_case("vi") { Lang::Vi } else { Lang::En }
    }

    fn pick(self, en: &'static str, vi: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Vi => vi,
        }
    }

    /// The word before an error: `error`.
    pub fn error(self) -> &'static str {
        self.pick("error", "lỗi")
    }

    pub fn help(self) -> &'static str {
        self.pick("help", "gợi ý")
    }

    pub fn caused_by(self) -> &'static str {
        self.pick("caused by", "nguyên nhân")
    }

    /// Shown while a build runs for longer than a moment.
    pub fn building(self) -> &'static str {
        self.pick("Building", "Đang build")
    }

    /// Seconds with two decimals, Vietnamese with a decimal comma: `0.42 s` / `0,42 giây`.
    pub fn seconds(self, d: Duration) -> String {
        let s = format!("{:.2}", d.as_secs_f64());
        match self {
            Lang::En => format!("{s} s"),
            Lang::Vi => format!("{} giây", s.replace('.', ",")),
        }
    }

    /// `15 articles, 2 pages and 1 leaflet` / `15 bài cảnh báo, 2 trang và 1 tờ rơi`.
    pub fn counts(self, articles: usize, pages: usize, leaflets: usize) -> String {
        match self {
            Lang::En => format!(
                "{articles} {}, {pages} {} and {leaflets} {}",
                plural(articles, "article"),
                plural(pages, "page"),
                plural(leaflets, "leaflet")
            ),
            Lang::Vi => format!("{articles} bài cảnh báo, {pages} trang và {leaflets} tờ rơi"),
        }
    }

    /// `, 3 PDFs` after the number of files, when leaflets were printed.
    pub fn pdfs(self, pdfs: usize) -> String {
        match (self, pdfs) {
            (_, 0) => String::new(),
            (Lang::En, n) => format!(", {n} {}", if n == 1 { "PDF" } else { "PDFs" }),
            (Lang::Vi, n) => format!(", {n} tệp PDF"),
        }
    }

    /// `, 17 QR codes` after the number of files.
    pub fn qr_codes(self, codes: usize) -> String {
        match (self, codes) {
            (_, 0) => String::new(),
            (Lang::En, n) => format!(", {n} QR {}", if n == 1 { "code" } else { "codes" }),
            (Lang::Vi, n) => format!(", {n} mã QR"),
        }
    }

    pub fn warning(self) -> &'static str {
        self.pick("warning", "lưu ý")
    }

    pub fn registered(self, url: &str, file: &str) -> String {
        match self {
            Lang::En => format!("registered printed URL {url} in {file}"),
            Lang::Vi => format!("đã ghi địa chỉ in trên tờ rơi {url} vào {file}"),
        }
    }

    /// The one-line summary of a build report.
    pub fn build_summary(self, r: &crate::BuildReport) -> String {
        let counts = self.counts(r.articles, r.pages, r.leaflets);
        let output = crate::report::display_path(&r.output);
        let extras = format!("{}{}", self.qr_codes(r.qr_codes), self.pdfs(r.pdfs));
        self.built(&counts, r.files, &extras, &output, [r.load, r.render, r.write])
    }

    /// The one-line summary of a finished build, with where the time went (reading and
    /// Markdown, templates and QR codes, writing). `extras` follows the number of files
    /// ([`Lang::qr_codes`], [`Lang::pdfs`]).
    pub fn built(self, counts: &str, files: usize, extras: &str, output: &str, phases: [Duration; 3]) -> String {
        let time = self.seconds(phases.iter().sum());
        let [content, templates, write] = phases.map(|d| self.seconds(d));
        match self {
            Lang::En => format!(
                "Built {counts} ({files} files{extras}) into `{output}` in {time} (content {content}, templates {templates}, write {write})"
            ),
            Lang::Vi => format!(
                "Đã build {counts} ({files} tệp{extras}) vào `{output}` trong {time} (nội dung {content}, giao diện {templates}, ghi {write})"
            ),
        }
    }

    pub fn build_failed(self, problems: usize) -> String {
        match self {
            Lang::En => {
                format!("build failed with {problems} {}; the output folder was not changed", problem(problems))
            }
            Lang::Vi => format!("build không thành công: {problems} lỗi; thư mục kết quả không bị thay đổi"),
        }
    }

    pub fn checked(self, counts: &str, time: Duration) -> String {
        let time = self.seconds(time);
        match self {
            Lang::En => format!("Checked {counts} in {time}: no problems found"),
            Lang::Vi => format!("Đã kiểm tra {counts} trong {time}: không có lỗi"),
        }
    }

    pub fn check_failed(self, problems: usize) -> String {
        match self {
            Lang::En => format!("check found {problems} {}", problem(problems)),
            Lang::Vi => format!("kiểm tra phát hiện {problems} lỗi"),
        }
    }

    /// `new` cannot read the site's settings.
    pub fn fix_first(self, problems: usize) -> String {
        match self {
            Lang::En => format!(
                "{problems} {} in the site's settings: fix {} first",
                problem(problems),
                if problems == 1 { "it" } else { "them" }
            ),
            Lang::Vi => format!("cấu hình trang có {problems} lỗi: hãy sửa trước"),
        }
    }

    /// After `canhbao new`; `draft` when the file has `draft: true`.
    pub fn created(self, path: &str, draft: bool) -> String {
        match (self, draft) {
            (Lang::En, true) => format!("Created `{path}` (a draft: set `draft: false` to publish it)"),
            (Lang::Vi, true) => format!("Đã tạo `{path}` (bản nháp: đổi thành `draft: false` để đăng)"),
            (Lang::En, false) => format!("Created `{path}`"),
            (Lang::Vi, false) => format!("Đã tạo `{path}`"),
        }
    }

    pub fn exists(self, path: &str) -> String {
        match self {
            Lang::En => format!("`{path}` already exists; it was not overwritten"),
            Lang::Vi => format!("`{path}` đã có; tệp không bị ghi đè"),
        }
    }

    pub fn exists_help(self) -> &'static str {
        self.pick(
            "choose another title, or pass --slug with another file name",
            "chọn tiêu đề khác, hoặc dùng --slug với tên tệp khác",
        )
    }

    pub fn no_slug(self, title: &str) -> String {
        match self {
            Lang::En => format!("cannot make a file name from the title \"{title}\": pass --slug, e.g. --slug lua-dao"),
            Lang::Vi => format!("không tạo được tên tệp từ tiêu đề \"{title}\": dùng --slug, ví dụ --slug lua-dao"),
        }
    }

    /// After `canhbao init`.
    pub fn initialised(self, dir: &str) -> String {
        match self {
            Lang::En => format!(
                "Created a new site in `{dir}`.\nNext: cd {dir} && canhbao serve   (then open the address it prints)"
            ),
            Lang::Vi => format!(
                "Đã tạo trang mới trong `{dir}`.\nTiếp theo: cd {dir} && canhbao serve   (rồi mở địa chỉ được in ra)"
            ),
        }
    }

    pub fn init_refused(self, dir: &str) -> String {
        match self {
            Lang::En => format!("`{dir}` already holds a site (site.yaml or content/); nothing was written"),
            Lang::Vi => format!("`{dir}` đã có một trang (site.yaml hoặc content/); không ghi gì cả"),
        }
    }

    /// `init` refused because one of the files it would write is there already.
    pub fn init_nothing_written(self, dir: &str) -> String {
        match self {
            Lang::En => format!(
                "nothing was written; move that file away, or create the site in an empty folder (canhbao init NEW-FOLDER) instead of `{dir}`"
            ),
            Lang::Vi => format!(
                "chưa ghi gì cả; hãy chuyển tệp đó đi chỗ khác, hoặc tạo trang trong một thư mục trống (canhbao init THU-MUC-MOI) thay cho `{dir}`"
            ),
        }
    }

    pub fn no_site(self, dir: &str) -> String {
        match self {
            Lang::En => format!("no site.yaml in `{dir}`: is this a canhbao site? (use --root DIR, or canhbao init)"),
            Lang::Vi => {
                format!(
                    "không có site.yaml trong `{dir}`: đây có phải thư mục trang? (dùng --root DIR, hoặc canhbao init)"
                )
            }
        }
    }

    /// `canhbao serve` is listening.
    pub fn serving(self, url: &str) -> String {
        match self {
            Lang::En => format!("Serving the site at {url}  (drafts included; press Ctrl-C to stop)"),
            Lang::Vi => format!("Đang chạy trang tại {url}  (có cả bản nháp; bấm Ctrl-C để dừng)"),
        }
    }

    pub fn serving_lan(self, url: &str) -> String {
        match self {
            Lang::En => format!("On a phone on the same Wi-Fi network, open {url}"),
            Lang::Vi => format!("Trên điện thoại dùng cùng mạng Wi-Fi, mở {url}"),
        }
    }

    /// `--bind` with an address other than loopback.
    pub fn serve_exposed(self) -> &'static str {
        self.pick(
            "the preview, drafts included, is visible to every device on the network that can reach this computer; \
             use --bind 127.0.0.1 to keep it to yourself",
            "bản xem trước, kể cả bản nháp, hiển thị với mọi thiết bị trong mạng truy cập được máy này; \
             dùng --bind 127.0.0.1 để chỉ mình bạn xem",
        )
    }

    /// The site's `content/` folder is gone while serving.
    pub fn content_missing(self, dir: &str) -> String {
        match self {
            Lang::En => {
                format!("the content folder `{dir}` is missing: restore it (or create it) to rebuild the preview")
            }
            Lang::Vi => {
                format!("thiếu thư mục nội dung `{dir}`: hãy khôi phục (hoặc tạo lại) để build lại bản xem trước")
            }
        }
    }

    pub fn rebuilding(self, what: &str) -> String {
        match self {
            Lang::En => format!("Changed: {what}; rebuilding"),
            Lang::Vi => format!("Có thay đổi: {what}; đang build lại"),
        }
    }

    pub fn serve_kept(self) -> &'static str {
        self.pick(
            "the browser shows this error; the last good version is still served",
            "trình duyệt hiển thị lỗi này; phiên bản tốt gần nhất vẫn được phục vụ",
        )
    }

    pub fn port_in_use(self, addr: &str, port: u16) -> String {
        let next = port.saturating_add(1);
        match self {
            Lang::En => format!("cannot listen on {addr}: the port is in use or not allowed; try --port {next}"),
            Lang::Vi => format!("không mở được {addr}: cổng đang bận hoặc không được phép; thử --port {next}"),
        }
    }

    pub fn stopped(self) -> &'static str {
        self.pick("Stopped.", "Đã dừng.")
    }

    /// A diagnostic message from the library, translated when it is one of the common ones.
    pub fn diagnostic(self, message: &str) -> String {
        if self == Lang::En {
            return message.to_string();
        }
        translate_vi(message).unwrap_or_else(|| message.to_string())
    }
}

/// `content/a.md:5:1: rest` -> (`content/a.md:5:1`, `rest`): a file path without spaces, then a
/// line and an optional column.
fn split_location(message: &str) -> Option<(&str, &str)> {
    let (location, rest) = message.split_once(": ")?;
    let mut parts = location.rsplitn(3, ':');
    let numbers: Vec<&str> =
        parts.by_ref().take_while(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())).collect();
    let valid = !numbers.is_empty() && !location.contains(' ') && location.split(':').count() == numbers.len() + 1;
    valid.then_some((location, rest))
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_string() } else { format!("{word}s") }
}

fn problem(n: usize) -> &'static str {
    if n == 1 { "problem" } else { "problems" }
}

/// Vietnamese for the library's most common diagnostics (and their help lines). A message that is
/// not listed stays in English. Names, paths and keys inside a message are kept as they are.
fn translate_vi(message: &str) -> Option<String> {
    // Whole sentences.
    const SENTENCES: &[(&str, &str)] = &[
        ("title is empty", "tiêu đề (title) đang trống"),
        (
            "missing front matter: the file must start with a line `---`, then the YAML fields, then `---`",
            "thiếu phần đầu (front matter): tệp phải bắt đầu bằng một dòng `---`, rồi các trường YAML, rồi một dòng `---`",
        ),
        (
            "front matter is not closed: add a line `---` after the YAML fields",
            "phần đầu (front matter) chưa được đóng: thêm một dòng `---` sau các trường YAML",
        ),
        (
            "front matter is empty: `title` and the other fields are missing",
            "phần đầu (front matter) đang trống: thiếu `title` và các trường khác",
        ),
        (
            "write dates as YYYY-MM-DD, e.g. 2024-05-08, or 2024-05-08T09:30:00+07:00",
            "viết ngày theo dạng năm-tháng-ngày, ví dụ 2024-05-08, hoặc 2024-05-08T09:30:00+07:00",
        ),
        (
            "the target is a draft: publish it, or build with --drafts",
            "trang đích là bản nháp: hãy đăng nó (draft: false), hoặc build với --drafts",
        ),
        ("that page has no headings", "trang đó không có tiêu đề mục nào"),
        ("`cover` is set without `cover_alt`", "có ảnh bìa (`cover`) nhưng thiếu lời mô tả ảnh (`cover_alt`)"),
        (
            "describe the picture in `cover_alt` for readers who cannot see it",
            "viết lời mô tả ảnh vào `cover_alt` cho người không xem được ảnh",
        ),
        (
            "check the file name (capital letters and accents count), put the picture next to the article, \
             or in static/ and write its path from there, e.g. /anh/tin-nhan.png",
            "kiểm tra tên tệp (chữ hoa và dấu cũng phải đúng), đặt ảnh cạnh bài viết, \
             hoặc trong static/ và viết đường dẫn từ đó, ví dụ /anh/tin-nhan.png",
        ),
        (
            "put the picture next to the file (or in a folder beside it), or in static/ and write its path from there, e.g. /anh/tin-nhan.png",
            "đặt ảnh cạnh tệp (hoặc trong một thư mục bên cạnh), hoặc trong static/ và viết đường dẫn từ đó, ví dụ /anh/tin-nhan.png",
        ),
        (
            "open the file in an image viewer: it may be damaged, or not a JPEG or PNG picture; save it again",
            "mở tệp bằng trình xem ảnh: tệp có thể bị hỏng, hoặc không phải ảnh JPEG hay PNG; hãy lưu lại",
        ),
        (
            "shorten the sections, or choose a larger layout (duplex or trifold)",
            "rút gọn các mục, hoặc chọn cách in rộng hơn (duplex hoặc trifold)",
        ),
        (
            "Chromium was not found, so the leaflets were not printed to PDF: install chromium, or pass --chromium PATH",
            "không tìm thấy Chromium nên tờ rơi chưa được in ra PDF: cài chromium, hoặc dùng --chromium ĐƯỜNG_DẪN",
        ),
        (
            "give one of them another `slug` (or remove the alias)",
            "đặt `slug` khác cho một trong hai (hoặc bỏ địa chỉ cũ trong aliases)",
        ),
    ];
    // (English prefix, Vietnamese prefix): the rest of the message (names, keys) is kept.
    const PREFIXES: &[(&str, &str)] = &[
        ("unknown scam type ", "thủ đoạn không có trong site.yaml: "),
        ("unknown audience ", "đối tượng không có trong site.yaml: "),
        ("did you mean ", "có phải ý bạn là "),
        ("known scam types: ", "các thủ đoạn đã khai báo: "),
        ("known audiences: ", "các đối tượng đã khai báo: "),
        ("valid fields are: ", "các trường hợp lệ: "),
        ("headings there: ", "các mục trong trang đó: "),
        ("missing field ", "thiếu trường "),
        (
            "describe the picture between the brackets for readers who cannot see it, e.g. ",
            "viết lời mô tả ảnh vào giữa hai dấu ngoặc vuông cho người không xem được ảnh, ví dụ ",
        ),
    ];
    if let Some((_, vi)) = SENTENCES.iter().find(|(en, _)| *en == message) {
        return Some((*vi).to_string());
    }
    // A warning carries its place: `content/articles/x.md:5:1: image `a.jpg` has no alt text`.
    if let Some((location, rest)) = split_location(message) {
        return translate_vi(rest).map(|vi| format!("{location}: {vi}"));
    }
    if let Some(rest) = message.strip_prefix("no site.yaml in ") {
        let dir = rest.split(": is this a canhbao site?").next().unwrap_or(rest);
        return Some(format!(
            "không có site.yaml trong {dir}: đây có phải thư mục trang? (dùng --root DIR, hoặc canhbao init)"
        ));
    }
    if let Some(found) = PREFIXES.iter().find_map(|(en, vi)| message.strip_prefix(en).map(|rest| format!("{vi}{rest}")))
    {
        return Some(found);
    }
    // "<A> <separator> <B>" sentences whose parts are names or paths.
    let two = |prefix: &str, separator: &str| {
        let (a, b) = message.strip_prefix(prefix)?.split_once(separator)?;
        Some((a.to_string(), b.to_string()))
    };
    if let Some((field, expected)) = two("unknown field ", ", expected ") {
        let expected = expected.trim_start_matches("one of ");
        return Some(format!("trường {field} không hợp lệ; các trường hợp lệ: {expected}"));
    }
    if let Some((link, target)) = two("broken link ", ": no article or page at ") {
        return Some(format!("liên kết hỏng {link}: không có bài viết hay trang nào ở {target}"));
    }
    if let Some((link, rest)) = two("broken anchor ", ": no heading ") {
        let (heading, page) = rest.split_once(" in ")?;
        return Some(format!("liên kết tới mục không có {link}: không có tiêu đề {heading} trong {page}"));
    }
    if let Some((image, file)) = two("image ", " not found: no file ") {
        return Some(format!("không tìm thấy ảnh {image}: không có tệp {file}"));
    }
    if let Some((image, file)) = two("cover image ", " not found: no file ") {
        return Some(format!("không tìm thấy ảnh bìa {image}: không có tệp {file}"));
    }
    if let Some(image) =
        message.strip_prefix("image ").and_then(|r| r.strip_suffix(" is outside the folder of the Markdown file"))
    {
        return Some(format!("ảnh {image} nằm ngoài thư mục của tệp Markdown"));
    }
    if let Some((file, reason)) = two("cannot read the image ", ": ") {
        return Some(format!("không đọc được ảnh {file}: {reason}"));
    }
    if let Some(image) = message.strip_prefix("image ").and_then(|r| r.strip_suffix(" has no alt text")) {
        return Some(format!("ảnh {image} không có lời mô tả (alt)"));
    }
    if let Some((which, rest)) = two("the leaflet", " does not fit on ") {
        let (paper, areas) = rest.split_once(": too much content in ")?;
        return Some(format!("tờ rơi{which} không vừa khổ {paper}: quá nhiều nội dung ở {areas}"));
    }
    if let Some((path, rest)) = message.split_once(": the leaflet probably does not fit on ") {
        let (paper, rest) = rest.split_once(" (about ")?;
        let (words, rest) = rest.split_once(" words where about ")?;
        let capacity = rest.split_once(" fit)")?.0;
        return Some(format!(
            "{path}: tờ rơi có lẽ không vừa khổ {paper} (khoảng {words} chữ, trong khi chỉ vừa khoảng {capacity}); \
             kiểm tra bằng `canhbao check --pdf` hoặc xem bản xem trước"
        ));
    }
    if let Some((url, owners)) = two("URL ", " is used by both ") {
        let (a, b) = owners.split_once(" and ")?;
        return Some(format!("địa chỉ {url} bị dùng cho cả {a} và {b}"));
    }
    let (field, value) = message.split_once(' ')?;
    let value = value.strip_suffix(" is not a valid date")?;
    Some(format!("{field} {value} không phải là ngày hợp lệ"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_vietnamese_locales_in_posix_order() {
        assert_eq!(Lang::detect(None, None, Some("vi_VN.UTF-8")), Lang::Vi);
        assert_eq!(Lang::detect(None, None, Some("vi")), Lang::Vi);
        assert_eq!(Lang::detect(Some(""), Some("vi-VN"), Some("en_US.UTF-8")), Lang::Vi);
        assert_eq!(Lang::detect(Some("C"), None, Some("vi_VN.UTF-8")), Lang::En, "LC_ALL wins");
        assert_eq!(Lang::detect(None, None, Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::detect(None, None, Some("vit")), Lang::En);
        assert_eq!(Lang::detect(None, None, None), Lang::En);
    }

    #[test]
    fn translates_common_diagnostics_and_keeps_the_rest() {
        let vi = Lang::Vi;
        assert_eq!(
            vi.diagnostic("unknown scam type \"gia-danh-cong-ann\""),
            "thủ đoạn không có trong site.yaml: \"gia-danh-cong-ann\""
        );
        assert_eq!(
            vi.diagnostic("date `2024-13-01` is not a valid date"),
            "date `2024-13-01` không phải là ngày hợp lệ"
        );
        assert_eq!(vi.diagnostic("image `a.png` has no alt text"), "ảnh `a.png` không có lời mô tả (alt)");
        assert_eq!(vi.diagnostic("something else"), "something else");
        assert_eq!(
            vi.diagnostic("image `a.png` not found: no file `content/a.png`"),
            "không tìm thấy ảnh `a.png`: không có tệp `content/a.png`"
        );
        assert_eq!(
            vi.diagnostic("unknown field `summry`, expected one of title, summary"),
            "trường `summry` không hợp lệ; các trường hợp lệ: title, summary"
        );
        assert_eq!(
            vi.diagnostic("broken link `x.md`: no article or page at `content/articles/x.md`"),
            "liên kết hỏng `x.md`: không có bài viết hay trang nào ở `content/articles/x.md`"
        );
        assert_eq!(
            vi.diagnostic("content/leaflets/a.md: the leaflet probably does not fit on A5, một mặt (about 900 words where about 120 fit); check it with `canhbao build --pdf` or in its preview"),
            "content/leaflets/a.md: tờ rơi có lẽ không vừa khổ A5, một mặt (khoảng 900 chữ, trong khi chỉ vừa khoảng 120); kiểm tra bằng `canhbao check --pdf` hoặc xem bản xem trước"
        );
        assert_eq!(
            vi.diagnostic("the leaflet (variant q1) does not fit on A5, một mặt: too much content in noi-dung"),
            "tờ rơi (variant q1) không vừa khổ A5, một mặt: quá nhiều nội dung ở noi-dung"
        );
        assert_eq!(Lang::En.diagnostic("title is empty"), "title is empty");
        assert_eq!(
            vi.diagnostic("content/articles/x.md:7:1: image `a.jpg` has no alt text"),
            "content/articles/x.md:7:1: ảnh `a.jpg` không có lời mô tả (alt)"
        );
        assert_eq!(
            vi.diagnostic("content/articles/x.md:9: `cover` is set without `cover_alt`"),
            "content/articles/x.md:9: có ảnh bìa (`cover`) nhưng thiếu lời mô tả ảnh (`cover_alt`)"
        );
        assert_eq!(vi.diagnostic("a b:1: something else"), "a b:1: something else");
    }

    #[test]
    fn seconds_use_the_local_decimal_mark() {
        assert_eq!(Lang::En.seconds(Duration::from_millis(420)), "0.42 s");
        assert_eq!(Lang::Vi.seconds(Duration::from_millis(420)), "0,42 giây");
    }
}
