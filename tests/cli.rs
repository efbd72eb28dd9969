//! The editor's commands, run as a person runs them (issue 4): `check`, `new`, `init`, the
//! compiler-style messages, colour, `--quiet` and Vietnamese messages.
//!
//! Each check fixture under `tests/fixtures/check/<case>/` is a tiny site; the helper copies it
//! to a temporary folder with the shared `site.yaml` (unless the case has its own) and the
//! default theme, so nothing is ever written into the repository.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of `tests/fixtures/check/<case>` with a site.yaml and the default theme.
fn fixture(case: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixtures = manifest_dir().join("tests/fixtures/check");
    copy_dir(&fixtures.join(case), dir.path());
    if !dir.path().join("site.yaml").exists() {
        std::fs::copy(fixtures.join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    }
    copy_dir(&manifest_dir().join("themes/default"), &dir.path().join("themes/default"));
    dir
}

/// The binary, in English, without colour, in `dir`.
fn canhbao(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canhbao"));
    cmd.current_dir(dir);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    cmd.env("NO_COLOR", "1");
    cmd
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

/// Runs `check` in the fixture; returns (exit code, stderr).
fn check(case: &str) -> (i32, String) {
    let site = fixture(case);
    let output = canhbao(site.path()).arg("check").output().unwrap();
    (output.status.code().unwrap(), stderr(&output))
}

#[test]
fn check_passes_a_valid_site_and_writes_nothing() {
    let site = fixture("valid");
    let before: Vec<_> = walkdir::WalkDir::new(site.path()).into_iter().map(|e| e.unwrap().into_path()).collect();
    let output = canhbao(site.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).starts_with("Checked 1 article, 1 page and 0 leaflets in "), "{}", stderr(&output));
    assert!(stderr(&output).trim_end().ends_with(": no problems found"));
    let after: Vec<_> = walkdir::WalkDir::new(site.path()).into_iter().map(|e| e.unwrap().into_path()).collect();
    assert_eq!(before, after, "check must not write anything");
}

#[test]
fn check_shows_the_source_line_a_caret_and_help() {
    let (code, err) = check("unknown_scam");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: content/articles/sai-thu-doan.md:4:9: unknown scam type \"gia-danh-cong-ann\"
  |
4 | scams: [gia-danh-cong-ann]
  |         ^^^^^^^^^^^^^^^^^
  |
  = help: did you mean \"gia-danh-cong-an\"?

error: check found 1 problem
"
    );
}

#[test]
fn check_finds_a_missing_image() {
    let (code, err) = check("missing_image");
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: content/articles/thieu-anh.md:7:10: image `anh/tin-nhan.png` not found: no file `content/articles/anh/tin-nhan.png`
  |
7 | Xem ảnh: ![Tin nhắn giả](anh/tin-nhan.png)
  |          ^
  |
  = help: check the file name (capital letters and accents count), put the picture next to the article, or in static/"
        ),
        "{err}"
    );
    assert!(err.ends_with("error: check found 1 problem\n"));
}

#[test]
fn check_finds_an_image_without_alt_text() {
    let (code, err) = check("empty_alt");
    assert_eq!(code, 1);
    assert!(
        err.starts_with(
            "error: content/articles/anh-khong-mo-ta.md:5:1: image `/favicon.svg` has no alt text
  |
5 | ![](/favicon.svg)
  | ^
  |
  = help: describe the picture between the brackets for readers who cannot see it, e.g. ![Tin nhắn giả mạo ngân hàng](/favicon.svg)"
        ),
        "{err}"
    );
}

#[test]
fn check_reports_every_problem_at_once() {
    let (code, err) = check("several");
    assert_eq!(code, 1);
    let headlines: Vec<&str> = err.lines().filter(|l| l.starts_with("error: ")).collect();
    assert_eq!(
        headlines,
        [
            "error: content/articles/ba.md:4:1: unknown field `summry`, expected one of title, date, updated, summary, scams, audiences, severity, cover, cover_alt, draft, slug, aliases, sms, radio, code",
            "error: content/articles/bon.md:5:5: broken link `khong-co.md#muc`: no article or page at `content/articles/khong-co.md`",
            "error: content/articles/mot.md:3:7: date `2024-13-01` is not a valid date",
            "error: content/articles/mot.md:4:13: unknown audience \"nguoi-gia\"",
            "error: content/articles/mot.md:6:26: image `khong-co.png` has no alt text",
            "error: content/articles/mot.md:6:26: image `khong-co.png` not found: no file `content/articles/khong-co.png`",
            "error: content/pages/gioi-thieu.md:4:6: image `so-do.png` not found: no file `content/pages/so-do.png`",
            "error: check found 7 problems",
        ]
    );
    assert!(err.contains("  = help: did you mean `summary`?\n"));
    assert!(err.contains("  = help: did you mean \"nguoi-cao-tuoi\"?\n"));
}

#[test]
fn check_finds_links_to_missing_headings() {
    let (code, err) = check("broken_anchor");
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "error: content/articles/mot.md:7:5: broken anchor `#cach-phong-tranh`: no heading `#cach-phong-tranh` in `content/articles/mot.md`
  |
7 | Xem [cách phòng tránh](#cach-phong-tranh), [dấu hiệu](#dau-hieu-nhan-biet) và [liên hệ](../pages/lien-he.md#so-dien-thoai).
  |     ^
  |
  = help: headings there: #dau-hieu-nhan-biet, #phong-tranh

error: content/pages/lien-he.md:6:73: broken anchor `../articles/mot.md#khong-co`: no heading `#khong-co` in `content/articles/mot.md`
  |
6 | Gọi 113. Quay lại [bài một](../articles/mot.md#dau-hieu-nhan-biet) hoặc [mục khác](../articles/mot.md#khong-co).
  |                                                                         ^
  |
  = help: headings there: #dau-hieu-nhan-biet, #phong-tranh

error: check found 2 problems
"
    );
}

#[test]
fn check_renders_the_templates_like_build() {
    let (code, err) = check("template_error");
    assert_eq!(code, 1);
    assert!(err.starts_with("error: template error: Unknown filter `khong_co_bo_loc`"), "{err}");
    assert!(err.contains("templates/article.html:2:39"), "{err}");
}

#[test]
fn check_skips_drafts_unless_asked() {
    let site = fixture("draft_image");
    canhbao(site.path()).arg("check").assert().code(0);
    let output = canhbao(site.path()).args(["check", "--drafts"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("image `chua-co.png` has no alt text"));
}

#[test]
fn build_uses_the_same_messages_and_keeps_the_output() {
    let site = fixture("unknown_scam");
    let output = canhbao(site.path()).arg("build").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains("4 | scams: [gia-danh-cong-ann]\n  |         ^^^^^^^^^^^^^^^^^\n"), "{err}");
    assert!(err.ends_with("error: build failed with 1 problem; the output folder was not changed\n"), "{err}");
    assert!(!site.path().join("public").exists());
}

#[test]
fn build_prints_a_one_line_summary_or_nothing_with_quiet() {
    let site = fixture("valid");
    let output = canhbao(site.path()).arg("build").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    // Besides the URLs a first build registers as printed (the article's short links, issue 14).
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("registered printed URL ")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert_eq!(err.lines().count(), 3, "the article's print and SMS short links: {err}");
    let err = lines[0];
    assert!(err.starts_with("Built 1 article, 1 page and 0 leaflets ("), "{err}");
    assert!(err.contains(" files, 1 QR code) into `public` in "), "one article, one code: {err}");
    let output = canhbao(site.path()).args(["build", "--quiet"]).output().unwrap();
    assert!(output.status.success());
    assert_eq!(stderr(&output), "");
    assert_eq!(stdout(&output), "");
}

#[test]
fn colour_only_when_forced_and_never_with_no_color() {
    let site = fixture("unknown_scam");
    let forced = canhbao(site.path()).arg("check").env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(stderr(&forced).contains("\x1b[91merror\x1b[0m"), "{}", stderr(&forced));
    let plain = canhbao(site.path()).arg("check").env_remove("NO_COLOR").output().unwrap();
    assert!(!stderr(&plain).contains('\x1b'), "not a terminal: no colour");
    let no_color = canhbao(site.path()).arg("check").env("NO_COLOR", "1").env("CLICOLOR_FORCE", "1").output().unwrap();
    assert!(!stderr(&no_color).contains('\x1b'), "NO_COLOR wins");
    assert_eq!(stderr(&no_color), stderr(&plain));
}

#[test]
fn messages_in_vietnamese_with_a_vietnamese_locale() {
    let site = fixture("unknown_scam");
    let output = canhbao(site.path()).arg("check").env("LANG", "vi_VN.UTF-8").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "lỗi: content/articles/sai-thu-doan.md:4:9: thủ đoạn không có trong site.yaml: \"gia-danh-cong-ann\"
  |
4 | scams: [gia-danh-cong-ann]
  |         ^^^^^^^^^^^^^^^^^
  |
  = gợi ý: có phải ý bạn là \"gia-danh-cong-an\"?

lỗi: kiểm tra phát hiện 1 lỗi
"
    );
    let site = fixture("valid");
    let output = canhbao(site.path()).arg("build").env("LC_ALL", "vi_VN.UTF-8").output().unwrap();
    let last = stderr(&output).lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("Đã build 1 bài cảnh báo, 1 trang và 0 tờ rơi ("), "{}", stderr(&output));
    assert!(stderr(&output).contains(" tệp, 1 mã QR) vào `public` trong "), "{}", stderr(&output));
    let output = canhbao(site.path()).arg("build").env("LANG", "vi_VN.UTF-8").env("LC_ALL", "C").output().unwrap();
    assert!(stderr(&output).starts_with("Built "), "LC_ALL wins over LANG");
}

/// Today in Vietnam, as `canhbao new` writes it.
fn today() -> String {
    jiff::tz::Offset::constant(7).to_datetime(jiff::Timestamp::now()).date().to_string()
}

/// The top-level keys of a file's front matter, in order.
fn front_matter_keys(text: &str) -> Vec<String> {
    let yaml = text.strip_prefix("---\n").unwrap().split("\n---\n").next().unwrap();
    yaml.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(':'))
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect()
}

#[test]
fn new_article_has_every_field_today_and_draft_then_refuses_to_overwrite() {
    let site = fixture("valid");
    let output = canhbao(site.path()).args(["new", "article", "Giả danh công an gọi điện"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Created `content/articles/gia-danh-cong-an-goi-dien.md` (a draft: set `draft: false` to publish it)\n"
    );
    let path = site.path().join("content/articles/gia-danh-cong-an-goi-dien.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        front_matter_keys(&text),
        [
            "title",
            "date",
            "updated",
            "summary",
            "scams",
            "audiences",
            "severity",
            "cover",
            "cover_alt",
            "draft",
            "slug",
            "aliases"
        ]
    );
    assert!(text.contains("\ntitle: \"Giả danh công an gọi điện\"\n"));
    assert!(text.contains(&format!("\ndate: {}\n", today())));
    assert!(text.contains("\ndraft: true\n"));
    assert!(
        text.contains("#   gia-danh-cong-an  Giả danh công an\n#   deepfake          Cuộc gọi deepfake\nscams: []")
    );
    assert!(text.contains("#   nguoi-cao-tuoi  Người cao tuổi\naudiences: []"));

    // The new draft builds (serve includes drafts) and the editor's changes are kept.
    canhbao(site.path()).args(["build", "--drafts", "--quiet"]).assert().code(0);
    std::fs::write(&path, text.replace("draft: true", "draft: false")).unwrap();
    let again = canhbao(site.path()).args(["new", "article", "Giả danh công an gọi điện"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again),
        "error: `content/articles/gia-danh-cong-an-goi-dien.md` already exists; it was not overwritten
  help: choose another title, or pass --slug with another file name
"
    );
    assert!(std::fs::read_to_string(&path).unwrap().contains("draft: false"), "the file is untouched");
}

#[test]
fn new_page_and_leaflet_and_slug_option() {
    let site = fixture("valid");
    let output = canhbao(site.path()).args(["new", "page", "Đường dây nóng"]).output().unwrap();
    assert_eq!(
        stdout(&output),
        "Created `content/pages/duong-day-nong.md` (a draft: set `draft: false` to publish it)\n"
    );
    let page = std::fs::read_to_string(site.path().join("content/pages/duong-day-nong.md")).unwrap();
    assert_eq!(front_matter_keys(&page), ["title", "summary", "slug", "updated", "draft", "aliases"]);
    assert!(page.contains(&format!("\nupdated: {}\n", today())));
    assert!(page.contains("\ndraft: true\n"));

    let output = canhbao(site.path()).args(["new", "leaflet", "Bài có ảnh", "--slug", "bai-co-anh"]).output().unwrap();
    assert_eq!(
        stdout(&output),
        "Created `content/leaflets/bai-co-anh.md` (a draft: set `draft: false` to publish it)\n",
        "{}",
        stderr(&output)
    );
    let leaflet = std::fs::read_to_string(site.path().join("content/leaflets/bai-co-anh.md")).unwrap();
    assert_eq!(
        front_matter_keys(&leaflet),
        [
            "title",
            "paper",
            "layout",
            "target",
            "qr_caption",
            "hotline",
            "audiences",
            "variants",
            "code",
            "bleed",
            "slug",
            "draft"
        ]
    );
    assert!(leaflet.contains("\ntarget: \"https://canhbao.example.vn\"\n"), "no flat article of that name");
    assert!(leaflet.contains("\n  - { id: chung, label: \"Bản chung\" }\n"));
    assert!(leaflet.contains("\ndraft: true\n---\n## Thủ đoạn\n"));
    canhbao(site.path()).args(["build", "--drafts", "--quiet"]).assert().code(0);

    let output = canhbao(site.path()).args(["new", "article", "!!!"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot make a file name from the title \"!!!\": pass --slug"));
}

#[test]
fn new_in_vietnamese() {
    let site = fixture("valid");
    let output = canhbao(site.path()).args(["new", "article", "Lừa đảo"]).env("LANG", "vi_VN.UTF-8").output().unwrap();
    assert_eq!(stdout(&output), "Đã tạo `content/articles/lua-dao.md` (bản nháp: đổi thành `draft: false` để đăng)\n");
    let output = canhbao(site.path()).args(["new", "article", "Lừa đảo"]).env("LANG", "vi_VN.UTF-8").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("lỗi: `content/articles/lua-dao.md` đã có; tệp không bị ghi đè\n"));
}

#[test]
fn new_outside_a_site_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let output = canhbao(dir.path()).args(["new", "article", "Tiêu đề"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no site.yaml in"), "{}", stderr(&output));
}

#[test]
fn init_makes_a_site_that_builds_and_checks_then_refuses_a_second_time() {
    let dir = tempfile::tempdir().unwrap();
    let output = canhbao(dir.path()).args(["init", "tram-canh-bao"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "Created a new site in `tram-canh-bao`.\nNext: cd tram-canh-bao && canhbao serve   (then open the address it prints)\n"
    );
    let site = dir.path().join("tram-canh-bao");
    for file in [
        "site.yaml",
        "content/articles/canh-bao-mau.md",
        "content/leaflets/to-roi-mau.md",
        "content/pages/gioi-thieu.md",
        "themes/default/templates/base.html",
        "themes/default/static/assets/style.css",
        ".gitignore",
    ] {
        assert!(site.join(file).is_file(), "{file}");
    }
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    assert!(yaml.lines().filter(|l| l.trim_start().starts_with('#')).count() >= 10, "site.yaml is commented");

    canhbao(&site).arg("check").assert().code(0);
    let output = canhbao(&site).arg("build").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let index = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(index.contains("Giả danh công an gọi điện yêu cầu chuyển tiền"));
    assert!(site.join("public/gioi-thieu/index.html").is_file());
    assert!(site.join("public/assets/style.css").is_file());

    std::fs::write(site.join("site.yaml"), "# mine\n").unwrap();
    let again = canhbao(dir.path()).args(["init", "tram-canh-bao"]).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again),
        "error: `tram-canh-bao` already holds a site (site.yaml or content/); nothing was written\n"
    );
    assert_eq!(std::fs::read_to_string(site.join("site.yaml")).unwrap(), "# mine\n");
}

#[test]
fn init_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    canhbao(dir.path()).arg("init").assert().code(0);
    canhbao(dir.path()).args(["build", "--quiet"]).assert().code(0);
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = tempfile::tempdir().unwrap();
    canhbao(dir.path()).arg("nonsense").assert().code(2);
    canhbao(dir.path()).args(["new", "poster", "X"]).assert().code(2);
}

#[test]
fn missing_site_yaml_is_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = canhbao(dir.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).starts_with("error: no site.yaml in `"), "{}", stderr(&output));
    let output = canhbao(dir.path()).arg("check").env("LANG", "vi_VN.UTF-8").output().unwrap();
    assert!(stderr(&output).starts_with("lỗi: không có site.yaml trong `"), "{}", stderr(&output));
}

/// `check --pdf` needs Chromium (scripts/install-test-deps.sh installs it).
fn require_chromium() {
    let found = std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p).any(|d| d.join("chromium").is_file() || d.join("chromium-browser").is_file())
    });
    assert!(found, "Chromium is missing: run scripts/install-test-deps.sh (or apt-get install chromium)");
}

#[test]
fn check_pdf_finds_a_leaflet_that_does_not_fit_and_writes_nothing() {
    require_chromium();
    let site = fixture("leaflet_overflow");
    let output = canhbao(site.path()).arg("check").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "without --pdf, only an estimate: a warning");
    assert!(
        stderr(&output).starts_with("warning: content/leaflets/qua-dai.md: the leaflet probably does not fit on A5"),
        "{}",
        stderr(&output)
    );
    let before: Vec<_> = walkdir::WalkDir::new(site.path()).into_iter().map(|e| e.unwrap().into_path()).collect();
    let output = canhbao(site.path()).args(["check", "--pdf"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: content/leaflets/qua-dai.md: the leaflet does not fit on A5, một mặt even at the smallest type (10 pt): too much content in noi-dung
help: shorten the sections, or choose a larger layout (duplex or trifold)

error: check found 1 problem
"
    );
    let after: Vec<_> = walkdir::WalkDir::new(site.path()).into_iter().map(|e| e.unwrap().into_path()).collect();
    assert_eq!(before, after, "check --pdf prints into a temporary folder only");
}

#[test]
fn check_pdf_passes_the_sample_site() {
    require_chromium();
    let dir = tempfile::tempdir().unwrap();
    canhbao(dir.path()).arg("init").assert().code(0);
    let output = canhbao(dir.path()).args(["check", "--pdf"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The leaflet's 2 PDFs, and (issue 14) the article's slide deck and the A3 posters of the
    // article and the leaflet.
    assert!(stderr(&output).starts_with("Checked 1 article, 1 page and 1 leaflet, 5 PDFs in "), "{}", stderr(&output));
}

#[test]
fn a_first_build_names_ten_registered_urls_and_counts_the_rest_issue_14() {
    // The example site without its registry: 17 articles and the leaflets' prints register far
    // more than ten printed URLs at once (an article's print and SMS short links, issue 14).
    let dir = tempfile::tempdir().unwrap();
    for part in ["content", "static", "themes"] {
        copy_dir(&manifest_dir().join(part), &dir.path().join(part));
    }
    std::fs::copy(manifest_dir().join("site.yaml"), dir.path().join("site.yaml")).unwrap();
    let output = canhbao(dir.path()).arg("build").output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let err = stderr(&output);
    let registry = std::fs::read_to_string(dir.path().join("printed-urls.txt")).unwrap();
    let recorded = registry.lines().filter(|l| l.starts_with("http")).count();
    assert!(recorded > 30, "{registry}");
    let named: Vec<&str> = err.lines().filter(|l| l.starts_with("registered printed URL http")).collect();
    assert_eq!(named.len(), 10, "{err}");
    assert!(
        err.contains(&format!("registered printed URL … and {} more in printed-urls.txt\n", recorded - 10)),
        "{err}"
    );
}
