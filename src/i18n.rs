//! Messages for editors in their language: Vietnamese when the locale says so (`LC_ALL`,
//! `LC_MESSAGES` or `LANG` starting with `vi`), English otherwise.
//!
//! Every sentence the command line prints is here, in both languages, so a translation is never
//! forgotten in a corner of the code. The library's diagnostics are data ([`crate::messages`]),
//! rendered in the editor's language there, never translated back from English text.

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
            Lang::Vi => format!("đã ghi địa chỉ đã in {url} vào {file}"),
        }
    }

    /// After the first few [`Lang::registered`] lines: how many more were registered.
    pub fn registered_more(self, n: usize, file: &str) -> String {
        match self {
            Lang::En => format!("registered printed URL … and {n} more in {file}"),
            Lang::Vi => format!("đã ghi địa chỉ đã in … và {n} địa chỉ khác vào {file}"),
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
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 { word.to_string() } else { format!("{word}s") }
}

fn problem(n: usize) -> &'static str {
    if n == 1 { "problem" } else { "problems" }
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
    fn seconds_use_the_local_decimal_mark() {
        assert_eq!(Lang::En.seconds(Duration::from_millis(420)), "0.42 s");
        assert_eq!(Lang::Vi.seconds(Duration::from_millis(420)), "0,42 giây");
    }
}
