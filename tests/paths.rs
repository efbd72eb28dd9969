//! Paths that reach the file system stay inside the site and the output (issue 9): image and
//! cover paths that climb out (`/../`, `/%2e%2e/`), symbolic links out of the site, every
//! output file with one owner (aliases against static, theme, card, QR and search-index files),
//! and menu URLs that lead to no page. Errors are asserted as `build` and `check` print them.

mod common;

use std::fs;

use common::{TestSite, snapshot};

/// A PNG file (1x1), for the files the tests try to smuggle out.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d,
    0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Builds with the binary, expecting a failure that wrote nothing anywhere in the temp folder.
fn build_fails_writing_nothing(site: &TestSite) -> String {
    let before = snapshot(&site.dir);
    let stderr = site.fail();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(snapshot(&site.dir) == before, "the failed build wrote files");
    stderr
}

const HELP: &str = "\n  = help: only files inside the site folder are published";

#[test]
fn an_image_path_climbing_out_of_the_site_is_an_error_issue_9() {
    let site = TestSite::new("paths/dotdot_image");
    fs::write(site.dir.join("secret.png"), PNG).unwrap();
    let stderr = build_fails_writing_nothing(&site);
    for expected in [
        "content/articles/anh-ngoai.md:7:1: image `/../../secret.png` points outside the site",
        "content/articles/anh-ngoai.md:9:1: image `/%2e%2e/%2E%2E/secret.png` points outside the site",
        HELP,
    ] {
        assert!(stderr.contains(expected), "expected `{expected}` in:\n{stderr}");
    }
    let stderr = site.check_fails();
    assert!(stderr.contains("content/articles/anh-ngoai.md:7:1: image `/../../secret.png` points outside the site"));
    assert!(stderr.contains("content/articles/anh-ngoai.md:9:1: image `/%2e%2e/%2E%2E/secret.png` points outside"));
}

/// Aliases follow the one rule of image paths and preview requests (`urls::site_path`, issue 9):
/// a `..` written percent-encoded, even twice, is refused as one written plainly.
#[test]
fn an_alias_with_encoded_dot_segments_is_an_error_issue_9() {
    let site = TestSite::new("minimal");
    let bad = ["/%2e%2e/cu/", "/cu/%252E%252E/", "/cu/%2e/", "/100%/"];
    let list: String = bad.iter().map(|a| format!("  - \"{a}\"\n")).collect();
    site.write(
        "content/articles/bi-danh.md",
        format!("---\ntitle: \"Bí danh\"\ndate: 2024-05-08\naliases:\n{list}---\n"),
    );
    let stderr = build_fails_writing_nothing(&site);
    let check = site.check_fails();
    for (i, alias) in bad.iter().enumerate() {
        let expected = format!("content/articles/bi-danh.md:{}:", i + 5);
        let message = format!("alias `{alias}` must be a path on this site");
        for (name, stderr) in [("build", &stderr), ("check", &check)] {
            let line = stderr.lines().find(|l| l.contains(&expected)).unwrap_or_default();
            assert!(line.contains(&message), "{name}: expected `{expected}…{message}` in:\n{stderr}");
        }
    }
}

/// An image path that is not valid percent-encoding is a file name as written (`100%.png`), never
/// half decoded (`giam%2050%.png` is not `giam 50%.png`), and a leading `./` is allowed: the one
/// rule (`urls::site_path`) does not refuse them (issue 9).
#[test]
fn an_image_named_with_a_percent_sign_is_found_issue_9() {
    let site = TestSite::new("minimal");
    site.write(
        "content/articles/phan-tram/index.md",
        "---\ntitle: \"Phần trăm\"\ndate: 2024-05-08\n---\n\n![a](./100%.png)\n\n![b](/anh/giam%2050%.png)\n",
    );
    site.write("content/articles/phan-tram/100%.png", PNG);
    site.write("static/anh/giam%2050%.png", PNG);
    site.build();
    let output = site.output();
    for file in ["canh-bao/phan-tram/100%-1w.png", "anh/giam%2050%-1w.png"] {
        assert!(output.contains_key(file), "{file} in {:?}", output.keys());
    }
}

#[test]
fn a_cover_path_climbing_out_of_the_site_is_an_error_issue_9() {
    let site = TestSite::new("paths/cover_dotdot");
    fs::write(site.dir.join("secret.png"), PNG).unwrap();
    let stderr = build_fails_writing_nothing(&site);
    let expected = "content/articles/bia.md:4:1: cover image `/../secret.png` points outside the site";
    assert!(stderr.contains(expected), "{stderr}");
    assert!(site.check_fails().contains(expected));
}

#[cfg(unix)]
#[test]
fn symbolic_links_out_of_the_site_are_errors_issue_9() {
    use std::os::unix::fs::symlink;
    let site = TestSite::new("minimal");
    let secret = site.dir.join("secret.png");
    fs::write(&secret, PNG).unwrap();
    fs::create_dir_all(site.root.join("static/anh")).unwrap();
    symlink(&secret, site.root.join("static/anh/lien-ket.png")).unwrap();
    fs::create_dir_all(site.root.join("content/articles/goi")).unwrap();
    site.write("content/articles/goi/index.md", "---\ntitle: \"Gói\"\ndate: 2024-05-08\n---\n![Ảnh](anh.png)\n");
    symlink(&secret, site.root.join("content/articles/goi/anh.png")).unwrap();
    symlink(&secret, site.root.join("content/articles/goi/tep.pdf")).unwrap();
    let shown = secret.display();

    let stderr = build_fails_writing_nothing(&site);
    for expected in [
        format!("content/articles/goi/index.md:5:1: image `anh.png` is a link to `{shown}`, outside the site"),
        format!(
            "content/articles/goi/tep.pdf: `content/articles/goi/tep.pdf` is a link to `{shown}`, outside the site"
        ),
    ] {
        assert!(stderr.contains(&expected), "expected `{expected}` in:\n{stderr}");
    }

    // With the bundle fixed, the static link is what is left.
    fs::remove_file(site.root.join("content/articles/goi/anh.png")).unwrap();
    fs::remove_file(site.root.join("content/articles/goi/tep.pdf")).unwrap();
    fs::write(site.root.join("content/articles/goi/anh.png"), PNG).unwrap();
    let stderr = build_fails_writing_nothing(&site);
    let expected =
        format!("static/anh/lien-ket.png: `static/anh/lien-ket.png` is a link to `{shown}`, outside the site");
    assert!(stderr.contains(&expected), "expected `{expected}` in:\n{stderr}");
    assert!(site.check_fails().contains(&expected));

    // A link that stays inside the site is followed.
    fs::remove_file(site.root.join("static/anh/lien-ket.png")).unwrap();
    symlink(site.root.join("content/articles/goi/anh.png"), site.root.join("static/anh/lien-ket.png")).unwrap();
    site.cmd().assert().success();
    assert_eq!(fs::read(site.path("anh/lien-ket.png")).unwrap(), PNG);
}

/// Issue 9 (review): only links are resolved in `static/`, once per link: a folder linking out of
/// the site is one error naming the folder, its files are not read; a folder linking inside the
/// site (or the theme, itself reached through a link in these tests) is followed.
#[cfg(unix)]
#[test]
fn a_static_folder_linked_out_of_the_site_is_one_error_issue_9() {
    use std::os::unix::fs::symlink;
    let site = TestSite::new("minimal");
    let outside = site.dir.join("ngoai");
    fs::create_dir_all(&outside).unwrap();
    fs::write(outside.join("a.png"), PNG).unwrap();
    fs::write(outside.join("b.png"), PNG).unwrap();
    fs::create_dir_all(site.root.join("static")).unwrap();
    symlink(&outside, site.root.join("static/anh")).unwrap();
    let stderr = build_fails_writing_nothing(&site);
    let expected = format!("static/anh: `static/anh` is a link to `{}`, outside the site", outside.display());
    assert_eq!(stderr.matches(&expected).count(), 1, "expected `{expected}` once in:\n{stderr}");
    assert!(!stderr.contains("a.png") && !stderr.contains("b.png"), "{stderr}");
    assert!(site.check_fails().contains(&expected));

    // Linked inside the site, the folder is followed.
    fs::remove_file(site.root.join("static/anh")).unwrap();
    site.write("tai-lieu/a.png", PNG);
    symlink(site.root.join("tai-lieu"), site.root.join("static/anh")).unwrap();
    site.cmd().assert().success();
    assert_eq!(fs::read(site.path("anh/a.png")).unwrap(), PNG);
    // The theme's files (the theme folder is a link in these tests) are there.
    assert!(site.exists("assets/style.css"));
}

#[test]
fn an_alias_cannot_take_the_file_of_another_owner_issue_9() {
    let site = TestSite::new("paths/alias_collisions");
    let stderr = build_fails_writing_nothing(&site);
    let a = "content/articles/bai.md";
    for expected in [
        format!(
            "{a}:5:1: URL `/assets/style.css` is used by both `themes/default/static/assets/style.css` and `{a}:5`"
        ),
        format!("{a}:6:1: URL `/favicon.svg` is used by both `static/favicon.svg` and `{a}:6`"),
        format!("{a}:7:1: URL `/canh-bao/bai/social.png` is used by both `the social card of `{a}`` and `{a}:7`"),
        format!("{a}:8:1: URL `/canh-bao/bai/qr.png` is used by both `the QR code of `{a}`` and `{a}:8`"),
        format!("{a}:9:1: URL `/tim-kiem/index.json` is used by both `the search index` and `{a}:9`"),
    ] {
        assert!(stderr.contains(&expected), "expected `{expected}` in:\n{stderr}");
    }
    assert!(!stderr.contains("/bai-cu/"), "a free alias is fine: {stderr}");
    assert!(stderr.contains("5 problems"), "{stderr}");
}

#[test]
fn a_static_file_cannot_take_a_page_issue_9() {
    let site = TestSite::new("minimal");
    site.write("static/canh-bao/bai-mau/index.html", "<p>shadow</p>");
    site.write("static/robots.txt", "User-agent: *");
    let stderr = build_fails_writing_nothing(&site);
    for expected in [
        "static/canh-bao/bai-mau/index.html: URL `/canh-bao/bai-mau/index.html` is used by both `content/articles/bai-mau.md` and `static/canh-bao/bai-mau/index.html`",
        "static/robots.txt: URL `/robots.txt` is used by both `the generated `/robots.txt`` and `static/robots.txt`",
    ] {
        assert!(stderr.contains(expected), "expected `{expected}` in:\n{stderr}");
    }
}

#[test]
fn menu_urls_must_lead_to_a_page_issue_9() {
    let site = TestSite::new("paths/menu");
    let stderr = build_fails_writing_nothing(&site);
    for expected in [
        "site.yaml:12:26: menu URL `/gioi-thieu-sai/` leads to no page of the site",
        "\n   = help: did you mean `/gioi-thieu/`?",
        "site.yaml:16:10: menu URL `gioi-thieu/` must start with `/` (a page of the site) or `https://`",
    ] {
        assert!(stderr.contains(expected), "expected `{expected}` in:\n{stderr}");
    }
    assert!(stderr.contains("2 problems"), "a page, a static file and an https URL are fine: {stderr}");
    assert!(site.check_fails().contains("menu URL `/gioi-thieu-sai/` leads to no page of the site"));

    // Fixed, the site builds and the menu links where site.yaml says.
    let yaml = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("/gioi-thieu-sai/", "/canh-bao/bai/").replace("\"gioi-thieu/\"", "\"/\""));
    site.cmd().assert().success();
    let html = site.html("index.html");
    let hrefs = common::attrs(&html, "header nav a, nav a", "href");
    for href in ["/gioi-thieu/", "/canh-bao/bai/", "https://example.org/", "/favicon.svg"] {
        assert!(hrefs.iter().any(|h| h == href), "{href} not in {hrefs:?}");
    }
}

#[test]
fn a_theme_outside_themes_is_an_error_issue_9() {
    let site = TestSite::new("minimal");
    let yaml = fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}theme: \"../../khac\"\n"));
    let stderr = build_fails_writing_nothing(&site);
    let expected = "site.yaml: theme `../../khac` must be the name of a folder in themes/ (no `/` or `..`)";
    assert!(stderr.contains(expected), "{stderr}");
}

/// Property tests of the path resolution (issue 9): whatever an editor writes as an image path,
/// a file that is found is inside the site (or its theme) and its output path stays inside the
/// output folder; whatever path reaches the writer, it is refused unless it stays inside.
/// `PROPTEST_CASES=10000 cargo test --test paths prop_` runs more cases.
mod properties {
    use std::path::{Component, Path, PathBuf};

    use canhbao::output::check_output_path;
    use canhbao::pictures::{Location, locate};
    use canhbao::urls::{decode_strict, percent_decode, relative_path, site_path};
    use proptest::prelude::*;

    use super::{PNG, TestSite};

    /// A site with files to find in `static/`, beside an article, a link out of the site, and
    /// a secret next to the site root that must never be found.
    fn site() -> (TestSite, canhbao::Config, PathBuf) {
        let site = TestSite::new("minimal");
        std::fs::write(site.dir.join("secret.png"), PNG).unwrap();
        site.write("static/anh/x.png", PNG);
        site.write("content/articles/goi/index.md", "---\ntitle: \"Gói\"\ndate: 2024-05-08\n---\n");
        site.write("content/articles/goi/anh/y.png", PNG);
        #[cfg(unix)]
        std::os::unix::fs::symlink(site.dir.join("secret.png"), site.root.join("static/anh/ra-ngoai.png")).unwrap();
        let config = canhbao::Config::load(&site.root, None, false).unwrap();
        let source = site.root.join("content/articles/goi/index.md");
        (site, config, source)
    }

    fn segment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("..".to_string()),
            Just(".".to_string()),
            Just("%2e%2e".to_string()),
            Just("%2E%2e".to_string()),
            Just(".%2e".to_string()),
            Just("".to_string()),
            Just("anh".to_string()),
            Just("x.png".to_string()),
            Just("y.png".to_string()),
            Just("ra-ngoai.png".to_string()),
            Just("secret.png".to_string()),
            Just("site".to_string()),
            Just("static".to_string()),
            Just("%2f".to_string()),
            Just("\\..".to_string()),
            "[a-z.%/\\\\]{0,6}",
        ]
    }

    /// Image paths as an editor or an attacker could write them: a start, segments, and a
    /// file name that exists somewhere (so that escapes find something), or any text.
    fn dest() -> impl Strategy<Value = String> {
        let start =
            prop::sample::select(vec!["", "/", "./", "../", "/..", "/../..", "/%2e%2e", "/anh/..", "anh/../.."]);
        let tail = prop::sample::select(vec![
            "static/anh/x.png",
            "anh/x.png",
            "x.png",
            "anh/y.png",
            "goi/anh/y.png",
            "content/articles/goi/anh/y.png",
            "site/static/anh/x.png",
            "secret.png",
            "anh/ra-ngoai.png",
            "",
        ]);
        prop_oneof![
            4 => (start, prop::collection::vec(segment(), 0..4), tail).prop_map(|(start, segments, tail)| {
                let middle: String = segments.iter().map(|s| format!("{s}/")).collect();
                format!("{start}{}{middle}{tail}", if start.is_empty() || start.ends_with('/') { "" } else { "/" })
            }),
            1 => any::<String>(),
        ]
    }

    /// Text made of escapes (valid, invalid, encoded twice) and path characters.
    fn encoded() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "%2e",
            "%2E",
            "%252e",
            "%25252e",
            "%2f",
            "%2F",
            "%252f",
            "%5c",
            "%00",
            "%0a",
            "%",
            "%z",
            "%C3%28",
            "%E1%BA%A3",
            ".",
            "..",
            "/",
            "\\",
            "a",
            "%25",
            "%2",
            "e",
        ]);
        prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
    }

    /// `path` with `.` and `..` resolved lexically (no file system).
    fn lexical(path: &Path) -> PathBuf {
        let mut out = PathBuf::new();
        for c in path.components() {
            match c {
                Component::ParentDir => {
                    out.pop();
                }
                Component::CurDir => {}
                other => out.push(other),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn prop_a_located_file_is_always_inside_the_site(dest in dest()) {
            thread_local! {
                static SITE: (TestSite, canhbao::Config, PathBuf) = site();
            }
            SITE.with(|(site, config, source)| {
                let roots = [site.root.canonicalize().unwrap(), config.theme_dir.canonicalize().unwrap()];
                let (file, out) = match locate(&dest, source, config) {
                    Location::Static { site_path, file } => (file, site_path),
                    Location::Beside { rel, file } => (file, format!("canh-bao/goi/{rel}")),
                    _ => return Ok(()),
                };
                let resolved = file.canonicalize().unwrap();
                prop_assert!(roots.iter().any(|r| resolved.starts_with(r)), "{dest:?} found {}", resolved.display());
                prop_assert!(check_output_path(&out).is_ok(), "{dest:?} would be written at {out:?}");
                Ok(())
            })?;
        }

        #[test]
        fn prop_the_writer_only_accepts_paths_inside_the_output(path in dest()) {
            let staging = Path::new("/tmp/staging");
            if check_output_path(&path).is_ok() {
                let joined = lexical(&staging.join(&path));
                prop_assert!(joined.starts_with(staging) && joined != staging, "{path:?} -> {}", joined.display());
                prop_assert!(!Path::new(&path).is_absolute());
            }
        }

        /// The one rule (`urls::site_path`, issue 9): whatever the text, either an error, or a
        /// decoded path with no `.` or `..` segment, no `\\`, NUL or control character, that
        /// stays inside a root it is joined to; decoding it again (and again) leads to no climb.
        #[test]
        fn prop_a_site_path_stays_inside_issue_9(raw in prop_oneof![dest(), any::<String>(), encoded()]) {
            if let Ok(path) = site_path(&raw) {
                prop_assert!(!path.split('/').any(|s| s == "." || s == ".."), "{raw:?} -> {path:?}");
                prop_assert!(!path.contains(['\\', '\0']) && !path.chars().any(char::is_control), "{raw:?} -> {path:?}");
                prop_assert!(!path.starts_with("//"), "{raw:?} -> {path:?}");
                let root = Path::new("/tmp/site");
                let joined = lexical(&root.join(path.trim_start_matches('/')));
                prop_assert!(joined.starts_with(root), "{raw:?} -> {}", joined.display());
                let mut again = path.clone();
                for _ in 0..4 {
                    again = percent_decode(&again);
                    prop_assert!(!again.split('/').any(|s| s == "." || s == ".."), "{raw:?} decoded again: {again:?}");
                    prop_assert!(!again.contains(['\\', '\0']), "{raw:?} decoded again: {again:?}");
                }
            }
        }

        /// The writer's and the theme's form of the rule (`urls::relative_path`, issue 9).
        #[test]
        fn prop_a_relative_path_stays_inside_issue_9(path in prop_oneof![dest(), any::<String>()]) {
            if relative_path(&path).is_ok() {
                let root = Path::new("/tmp/staging");
                let joined = lexical(&root.join(&path));
                prop_assert!(joined.starts_with(root) && joined != root, "{path:?} -> {}", joined.display());
                prop_assert!(!path.split('/').any(|s| s.is_empty() || s == "." || s == ".."), "{path:?}");
                prop_assert!(!path.contains(['\\', '\0']), "{path:?}");
            }
        }

        /// One decoder (issue 9): the lenient form is the strict one, else the text as written.
        #[test]
        fn prop_lenient_decoding_is_strict_or_as_written_issue_9(raw in prop_oneof![any::<String>(), encoded()]) {
            let expected = decode_strict(&raw).unwrap_or_else(|_| raw.clone());
            prop_assert_eq!(percent_decode(&raw), expected);
        }
    }
}

#[test]
fn paths_out_of_the_site_and_taken_urls_are_reported_in_vietnamese_issue_9() {
    let site = TestSite::new("paths/dotdot_image");
    fs::write(site.dir.join("secret.png"), PNG).unwrap();
    let output = site.cmd().env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "vi_VN.UTF-8").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    for expected in [
        "lỗi: content/articles/anh-ngoai.md:7:1: ảnh `/../../secret.png` trỏ ra ngoài thư mục trang\n",
        "\n  = gợi ý: chỉ các tệp nằm trong thư mục trang mới được đăng: chép tệp vào static/ hoặc đặt cạnh bài viết",
    ] {
        assert!(stderr.contains(expected), "expected `{expected}` in:\n{stderr}");
    }

    let site = TestSite::new("paths/alias_collisions");
    let output = site.cmd().env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", "vi_VN.UTF-8").output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let a = "content/articles/bai.md";
    for expected in [
        format!("{a}:8:1: địa chỉ `/canh-bao/bai/qr.png` bị dùng cho cả mã QR của `{a}` và `{a}:8`\n"),
        format!("{a}:9:1: địa chỉ `/tim-kiem/index.json` bị dùng cho cả chỉ mục tìm kiếm và `{a}:9`\n"),
        "\n  = gợi ý: đặt `slug` khác cho một trong hai (hoặc bỏ địa chỉ cũ trong aliases)\n".to_string(),
    ] {
        assert!(stderr.contains(&expected), "expected `{expected}` in:\n{stderr}");
    }
}
