//! `canhbao new` and `canhbao init`: files written from templates, so editors never have to
//! remember the front-matter fields or the layout of a site.
//!
//! The default theme and the sample site are embedded in the binary (`include_bytes!`, `include_str!`), so `init`
//! works wherever the binary is, without the canhbao repository. A unit test keeps the embedded
//! theme in step with `themes/default/`.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::cli::NewKind;
use crate::config::{CONFIG_FILE, Config, Term};
use crate::content::page::SlugError;
use crate::messages::Message;
use crate::{content, fs_util, text};

macro_rules! embed {
    ($prefix:literal; $($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!($prefix, $path)))),*]
    };
}

/// The default theme, as `(path under themes/default/, bytes)`.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed!["../themes/default/";
    "fonts/NotoSans-Bold.ttf",
    "fonts/NotoSans-Regular.ttf",
    "fonts/OFL.txt",
    "static/assets/search.js",
    "static/assets/share.js",
    "static/assets/style.css",
    "templates/404.html",
    "templates/alias.html",
    "templates/article.html",
    "templates/atom.xml",
    "templates/base.html",
    "templates/channels/radio_closing.txt",
    "templates/channels/radio_opening.txt",
    "templates/index.html",
    "templates/kits.html",
    "templates/handbook.html",
    "templates/leaflet.html",
    "templates/leaflets.html",
    "templates/officials.html",
    "templates/page.html",
    "templates/poster.html",
    "templates/partials/article_card.html",
    "templates/partials/badge.html",
    "templates/partials/copyable.html",
    "templates/partials/hotline.html",
    "templates/partials/hotline_bar.html",
    "templates/partials/leaflet.css",
    "templates/partials/leaflet_blocks.html",
    "templates/partials/leaflet_contact.html",
    "templates/partials/leaflet_hotline.html",
    "templates/partials/leaflet_howto.html",
    "templates/partials/leaflet_masthead.html",
    "templates/partials/pagination.html",
    "templates/partials/search_box.html",
    "templates/partials/share.html",
    "templates/partials/site_footer.html",
    "templates/partials/site_header.html",
    "templates/partials/slides.css",
    "templates/partials/social_meta.html",
    "templates/partials/toc.html",
    "templates/robots.txt",
    "templates/screen_card.svg",
    "templates/search.html",
    "templates/shortlink.html",
    "templates/sitemap.xml",
    "templates/slides.html",
    "templates/social_card.svg",
    "templates/term.html",
    "templates/terms.html",
];

/// The files of a new site besides the theme, as `(path under the site root, text)`.
const SAMPLE_SITE: &[(&str, &str)] = &[
    (CONFIG_FILE, include_str!("scaffold/site.yaml")),
    ("content/articles/canh-bao-mau.md", include_str!("scaffold/article.md")),
    ("content/leaflets/to-roi-mau.md", include_str!("scaffold/leaflet.md")),
    ("content/pages/gioi-thieu.md", include_str!("scaffold/page.md")),
    ("static/favicon.svg", include_str!("../static/favicon.svg")),
    (".gitignore", include_str!("scaffold/gitignore")),
];

/// Why `new` or `init` wrote nothing.
#[derive(Debug)]
pub enum Refusal {
    /// The file to create is already there (its path relative to the site root).
    Exists(String),
    /// No slug can be made from the title.
    NoSlug,
    /// `init` into a folder that already holds a site.
    SiteExists,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Exists(path) => write!(f, "`{path}` already exists"),
            Refusal::NoSlug => write!(f, "cannot make a file name from the title"),
            Refusal::SiteExists => write!(f, "the folder already holds a site"),
        }
    }
}

impl std::error::Error for Refusal {}

/// Today in Vietnam (UTC+7 all year; there is no daylight saving time).
pub fn today() -> jiff::civil::Date {
    let offset = jiff::tz::Offset::constant(7);
    offset.to_datetime(jiff::Timestamp::now()).date()
}

/// The longest file name `canhbao new` makes or accepts with `--slug`, in bytes: short enough
/// to read and type from a printed URL (the build itself accepts up to
/// [`content::page::MAX_NAME_BYTES`]).
pub const NEW_SLUG_BYTES: usize = 80;

/// Writes a new draft from its template into the site at `root`; returns its path relative
/// to the root (`content/articles/<slug>.md`).
pub fn new_item(
    root: &Path,
    kind: NewKind,
    title: &str,
    slug: Option<&str>,
    date: jiff::civil::Date,
) -> Result<String> {
    let config = Config::load(root, None, true)?;
    let title = text::nfc(title.trim());
    // The build's own slug check (`content::page::slug_of`), with the shorter limit of names
    // `new` makes; a title too long for it is cut at a word first.
    let slug = match slug {
        Some(explicit) => content::page::slug_of(explicit, NEW_SLUG_BYTES),
        None => content::page::slug_of(cut_at_word(&text::slugify(&title), NEW_SLUG_BYTES), NEW_SLUG_BYTES),
    };
    let slug = match slug {
        Ok(slug) => slug,
        Err(SlugError::Empty) => return Err(Refusal::NoSlug.into()),
        Err(SlugError::TooLong(length)) => {
            return Err(Message::SlugTooLong { length, max: NEW_SLUG_BYTES }.into());
        }
    };
    let folder = match kind {
        NewKind::Article => "articles",
        NewKind::Leaflet => "leaflets",
        NewKind::Page => "pages",
    };
    let rel = format!("content/{folder}/{slug}.md");
    let bundle = config.content_dir.join(folder).join(&slug).join("index.md");
    if bundle.exists() {
        return Err(Refusal::Exists(format!("content/{folder}/{slug}/index.md")).into());
    }
    let body = match kind {
        NewKind::Article => article(&config, &title, &slug, date),
        NewKind::Leaflet => leaflet(&config, &title, &slug),
        NewKind::Page => page(&title, &slug, date),
    };
    create_new(&config.root, &rel, body.as_bytes())?;
    Ok(rel)
}

/// `slug` (ASCII, words joined by `-`) cut to at most `max` bytes at a word boundary; a first
/// word longer than `max` is cut inside.
fn cut_at_word(slug: &str, max: usize) -> &str {
    if slug.len() <= max {
        return slug;
    }
    match slug[..=max].rfind('-') {
        Some(i) if i > 0 => &slug[..i],
        _ => &slug[..max],
    }
}

/// Creates `root/rel` only if it does not exist yet (atomically: two editors cannot both win).
fn create_new(root: &Path, rel: &str, bytes: &[u8]) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        fs_util::create_dir_all(parent)?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Err(Refusal::Exists(rel.to_string()).into()),
        Err(e) => return Err(e).with_context(|| format!("cannot create `{}`", path.display())),
    };
    file.write_all(bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Comment lines listing a vocabulary: `#   key   Name`.
fn vocabulary(terms: &[Term]) -> String {
    if terms.is_empty() {
        return "#   (site.yaml chưa có mục nào)\n".into();
    }
    let width = terms.iter().map(|t| t.key.len()).max().unwrap_or(0);
    terms.iter().map(|t| format!("#   {:width$}  {}\n", t.key, t.name)).collect()
}

fn article(config: &Config, title: &str, slug: &str, date: jiff::civil::Date) -> String {
    format!(
        "---
# Tiêu đề cảnh báo: hiện trên trang, trong danh sách và khi chia sẻ lên Facebook, Zalo.
title: {title}
# Ngày đăng (năm-tháng-ngày). `updated`: ngày cập nhật gần nhất, để trống nếu chưa có.
date: {date}
updated:
# Tóm tắt một, hai câu. Để trống (\"\") thì dùng đoạn văn đầu tiên của bài.
summary: \"\"
# Thủ đoạn: một hoặc nhiều khoá dưới đây, ví dụ [{example_scam}]
{scams}scams: []
# Đối tượng cần cảnh báo: một hoặc nhiều khoá dưới đây, ví dụ [{example_audience}]
{audiences}audiences: []
# Mức độ: info (thông tin), warning (cảnh báo) hoặc urgent (khẩn cấp).
severity: warning
# Ảnh bìa: tên tệp ảnh đặt cạnh bài viết, và lời mô tả ảnh cho người không xem được ảnh.
cover:
cover_alt:
# true: bản nháp, chỉ hiện khi xem thử bằng `canhbao serve`. Đổi thành false để đăng.
draft: true
# Địa chỉ của bài: /{section}/{slug}/
slug: {slug}
# Địa chỉ cũ cần chuyển về bài này, ví dụ [\"/bai-viet/cu.html\"].
aliases: []
---
Mở đầu: chuyện gì đang xảy ra, ai đang bị nhắm tới (một, hai câu).

<!-- more -->

## Thủ đoạn

1. 

## Dấu hiệu nhận biết

- 

## Cách phòng tránh

- 

## Nếu đã bị lừa

Gọi ngay số {hotline} và ngân hàng của bạn để phong toả tài khoản.
",
        title = quoted(title),
        scams = vocabulary(&config.scams),
        audiences = vocabulary(&config.audiences),
        example_scam = config.scams.first().map_or("gia-danh-co-quan-chuc-nang", |t| t.key.as_str()),
        example_audience = config.audiences.first().map_or("nguoi-cao-tuoi", |t| t.key.as_str()),
        section = config.sections.articles,
        hotline = config.hotline.number,
    )
}

fn leaflet(config: &Config, title: &str, slug: &str) -> String {
    // The QR code points at the article of the same name if there is one, else the home page.
    let article = config.content_dir.join("articles").join(format!("{slug}.md"));
    let target = if article.is_file() { format!("../articles/{slug}.md") } else { config.base_url() };
    format!(
        "---
# Tờ rơi in. Tiêu đề in to ở đầu tờ rơi.
title: {title}
# Khổ giấy: A4 hoặc A5.
paper: A4
# Cách in: single (một mặt), duplex (hai mặt) hoặc trifold (khổ A4 ngang, gấp ba).
layout: single
# Mã QR dẫn tới: đường dẫn tới bài viết (ví dụ \"../articles/ten-bai.md\") hoặc một địa chỉ https://...
target: {target}
# Dòng chữ in dưới mã QR.
qr_caption: \"Quét mã để đọc cảnh báo đầy đủ\"
# Đường dây nóng riêng cho tờ rơi, ví dụ {{ number: \"0123 456 789\", label: \"Công an phường\" }};
# để trống thì dùng số trong site.yaml ({hotline}).
hotline:
# Đối tượng: một hoặc nhiều khoá dưới đây.
{audiences}audiences: []
# Các phiên bản của tờ rơi (ví dụ theo phường, xã, trường học), mỗi bản có mã QR riêng:
# id là khoá (chữ thường không dấu), label là tên hiển thị.
variants:
  - {{ id: chung, label: \"Bản chung\" }}
# Mã đường dẫn ngắn in trên tờ rơi; để trống thì tự tạo.
code:
# true: in tràn lề (cho nhà in).
bleed: false
# Địa chỉ của tờ rơi trên trang.
slug: {slug}
# true: bản nháp, chỉ hiện khi xem thử bằng `canhbao serve`. Đổi thành false để đăng.
draft: true
---
## Thủ đoạn

## Dấu hiệu

## Cách phòng tránh
",
        title = quoted(title),
        target = quoted(&target),
        hotline = config.hotline.number,
        audiences = vocabulary(&config.audiences),
    )
}

fn page(title: &str, slug: &str, date: jiff::civil::Date) -> String {
    format!(
        "---
# Tiêu đề trang.
title: {title}
# Tóm tắt một câu (hiện trên Google, Facebook, Zalo).
summary: \"\"
# Địa chỉ của trang: /{slug}/
slug: {slug}
# Ngày cập nhật gần nhất (năm-tháng-ngày).
updated: {date}
# true: bản nháp, chỉ hiện khi xem thử bằng `canhbao serve`. Đổi thành false để đăng.
draft: true
# Địa chỉ cũ cần chuyển về trang này, ví dụ [\"/lien-he.html\"].
aliases: []
---
Nội dung trang.
",
        title = quoted(title),
    )
}

/// Creates a new site in `dir`: site.yaml, a sample article, leaflet and page, and the default
/// theme. Refuses a folder that already holds a site, or one where any of these files already
/// exists, before writing anything; never overwrites a file. Returns the files written,
/// relative to `dir`.
pub fn init(dir: &Path) -> Result<Vec<String>> {
    if dir.join(CONFIG_FILE).exists() || dir.join("content").exists() {
        return Err(Refusal::SiteExists.into());
    }
    let theme = DEFAULT_THEME.iter().map(|(path, bytes)| (format!("themes/default/{path}"), *bytes));
    let files: Vec<(String, &[u8])> =
        SAMPLE_SITE.iter().map(|(path, text)| (path.to_string(), text.as_bytes())).chain(theme).collect();
    // Every file is checked first (a dangling link counts as existing), so a refusal writes nothing.
    if let Some((rel, _)) = files.iter().find(|(rel, _)| std::fs::symlink_metadata(dir.join(rel)).is_ok()) {
        return Err(Refusal::Exists(rel.clone()).into());
    }
    fs_util::create_dir_all(dir)?;
    for (rel, bytes) in &files {
        create_new(dir, rel, bytes)?;
    }
    Ok(files.into_iter().map(|(rel, _)| rel).collect())
}

/// The files of the theme folder on disk, for the test that keeps the embedded copy in step.
#[doc(hidden)]
pub fn theme_files_on_disk(theme_dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(theme_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| Some((content::slash_path(e.path().strip_prefix(theme_dir).ok()?), e.into_path())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_theme_matches_themes_default() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk = theme_files_on_disk(&dir);
        let names: Vec<&str> = on_disk.iter().map(|(rel, _)| rel.as_str()).collect();
        let mut embedded: Vec<&str> = DEFAULT_THEME.iter().map(|(rel, _)| *rel).collect();
        embedded.sort();
        assert_eq!(names, embedded, "add or remove the file in DEFAULT_THEME (src/scaffold.rs)");
    }

    #[test]
    fn long_slugs_are_cut_at_a_word() {
        assert_eq!(cut_at_word("lua-dao-qua-mang", 80), "lua-dao-qua-mang");
        assert_eq!(cut_at_word("lua-dao-qua-mang", 11), "lua-dao-qua");
        assert_eq!(cut_at_word("lua-dao-qua-mang", 10), "lua-dao");
        assert_eq!(cut_at_word(&"a".repeat(5000), 80), "a".repeat(80));
        let long = "canh-bao-".repeat(600);
        assert!(cut_at_word(&long, NEW_SLUG_BYTES).len() <= NEW_SLUG_BYTES);
        assert!(!cut_at_word(&long, NEW_SLUG_BYTES).ends_with('-'));
    }

    #[test]
    fn quotes_yaml_strings() {
        assert_eq!(quoted(r#"Cảnh báo "nóng" \ mới"#), r#""Cảnh báo \"nóng\" \\ mới""#);
    }
}
