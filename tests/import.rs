//! `canhbao import` (issue 13): Blogger, WordPress, Hugo, Jekyll and Zola sources imported into
//! fresh sites made by `canhbao init`, then built: the Markdown written, the mapping file, the
//! report, every old URL's alias page pointing to the new page, no broken link, dry runs,
//! repeated runs, files that are never overwritten, and `--fetch-images` against a local server.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};

use canhbao::BuildOptions;
use common::{REPO, attrs, file_of, html_files, one, snapshot, text};

const BASE: &str = "https://canhbao.example.vn";

/// A new site (`canhbao init`) in a temp folder, its output folder beside it.
struct Site {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    root: PathBuf,
    out: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().canonicalize().unwrap();
        let root = dir.join("site");
        canhbao::scaffold::init(&root).unwrap();
        Site { _tmp: tmp, out: dir.join("public"), root, dir }
    }

    /// Runs `canhbao import SOURCE --into <site> ARGS` (English, no colour): exit code, stdout, stderr.
    fn import(&self, source: &Path, args: &[&str]) -> (i32, String, String) {
        let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
            .arg("import")
            .arg(source)
            .arg("--into")
            .arg(&self.root)
            .args(args)
            .current_dir(&self.dir)
            .env("LC_ALL", "C")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8(output.stdout).unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        (output.status.code().unwrap_or(-1), stdout, stderr)
    }

    /// Imports and asserts success.
    fn import_ok(&self, source: &Path, args: &[&str]) -> String {
        let (code, stdout, stderr) = self.import(source, args);
        assert_eq!(code, 0, "import failed\nstdout:\n{stdout}\nstderr:\n{stderr}");
        stdout
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("cannot read `{rel}`: {e}"))
    }

    fn build(&self, drafts: bool) {
        let options =
            BuildOptions { root: self.root.clone(), output: Some(self.out.clone()), drafts, ..Default::default() };
        canhbao::build(&options).unwrap_or_else(|e| panic!("build failed:\n{e:#}"));
        assert_no_broken_link(&self.out);
    }

    /// The page an alias of the built site sends to (its canonical link).
    fn alias_target(&self, old: &str) -> String {
        let path = self.out.join(file_of(old));
        let html = fs::read_to_string(&path).unwrap_or_else(|_| panic!("no alias page for `{old}`"));
        let html = scraper::Html::parse_document(&html);
        let target = attrs(&html, "link[rel=canonical]", "href");
        assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex"], "`{old}` is not an alias page");
        target[0].strip_prefix(BASE).unwrap().to_string()
    }

    fn page_title(&self, path: &str) -> String {
        text(one(&scraper::Html::parse_document(&fs::read_to_string(self.out.join(file_of(path))).unwrap()), "h1"))
    }

    fn files(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.root)
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(REPO).join("tests/fixtures/import").join(name)
}

/// Every link and picture of every page that points into the site names a file of the output.
fn assert_no_broken_link(out: &Path) {
    let files = snapshot(out);
    for (page, html) in html_files(&files) {
        for (css, attr) in
            [("a[href]", "href"), ("img[src]", "src"), ("link[href]", "href"), ("source[srcset]", "srcset")]
        {
            for value in attrs(&html, css, attr) {
                let url = value.split_whitespace().next().unwrap_or("");
                let Some(path) = url.strip_prefix(BASE).or_else(|| url.starts_with('/').then_some(url)) else {
                    continue;
                };
                let path = path.split(['#', '?']).next().unwrap();
                let decoded = canhbao::urls::percent_decode(path);
                let target = file_of(&decoded);
                assert!(files.contains_key(&target), "{page}: broken link `{value}` (no `{target}`)");
            }
        }
    }
}

/// Front matter and body of a Markdown file.
fn split(markdown: &str) -> (&str, &str) {
    let rest = markdown.strip_prefix("---\n").expect("front matter");
    rest.split_once("\n---\n").expect("closed front matter")
}

#[test]
fn issue_13_blogger_export_becomes_articles_pages_and_aliases() {
    let site = Site::new();
    let stdout = site.import_ok(&fixture("blogger/blog.xml"), &[]);
    assert!(stdout.contains("Blogger source: 3 article(s) and 1 page(s), 1 of them draft(s)"), "{stdout}");
    assert!(stdout.contains("created   content/articles/gia-danh-ngan-hang.md"), "{stdout}");
    assert!(stdout.contains("label \"Tin tức\" (1 post(s)) is not mapped to a scam type or audience"), "{stdout}");
    assert!(
        stdout.contains(
            "content/articles/gia-danh-ngan-hang.md: picture on another host: https://blogger.googleusercontent.com/img/b/R29v/s320/tin-nhan-gia.png"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("canhbao check: no problems, the site builds"), "{stdout}");

    let article = site.read("content/articles/gia-danh-ngan-hang.md");
    let (front, body) = split(&article);
    assert_eq!(
        front,
        "title: \"Giả danh ngân hàng gọi điện \\\"nâng hạn mức\\\" thẻ\"\ndate: 2024-05-08T09:30:00+07:00\n\
         updated: 2024-05-10T08:00:00+07:00\nscams: [\"gia-danh-ngan-hang\"]\naliases:\n  - \"/2024/05/gia-danh-ngan-hang.html\""
    );
    assert!(
        body.starts_with("Kẻ gian gọi điện **giả danh ngân hàng**.\n\n<!-- more -->\n\n## Dấu hiệu nhận biết\n"),
        "{body}"
    );
    assert!(body.contains("- Yêu cầu đọc mã OTP\n- Gửi đường link lạ\n"), "{body}");
    assert!(body.contains("| Ngân hàng A | 1900 0000 |"), "{body}");
    assert!(body.contains("Xem thêm: [cảnh báo SIM rác](@/articles/sim-rac.md)."), "{body}");
    // Scripts, styles, inline styles, the tracking pixel, the link to the big picture and empty paragraphs are gone.
    for gone in [
        "<p",
        "<div",
        "<img",
        "<script",
        "<style",
        "alert",
        "color",
        "tracker",
        "s1600",
        "font-family",
        "&nbsp;",
        "\n\n\n",
    ] {
        assert!(!body.contains(gone), "`{gone}` left in:\n{body}");
    }
    // A time zone is converted, not dropped: 20:15 at UTC-5 is 08:15 the next day in Vietnam.
    let sim = site.read("content/articles/sim-rac.md");
    assert!(sim.contains("date: 2024-04-21T08:15:00+07:00\naudiences: [\"nguoi-cao-tuoi\"]\n"), "{sim}");
    assert!(sim.contains("[bài về ngân hàng](@/articles/gia-danh-ngan-hang.md#dau-hieu-nhan-biet)"), "{sim}");
    // The draft's NFD title is NFC.
    let draft = site.read("content/articles/lua-dao-qua-tin-nhan-ban-nhap.md");
    assert!(
        draft.starts_with("---\ntitle: \"Lừa đảo qua tin nhắn (bản nháp)\"\n") && draft.contains("\ndraft: true\n"),
        "{draft}"
    );
    assert!(site.read("content/pages/duong-day-nong.md").contains("Gọi **113**."));
    assert!(!site.root.join("content/articles/cam-on.md").exists(), "comments are not posts");

    let map = site.read("import-map.yaml");
    assert!(map.contains("  \"Giả danh ngân hàng\": \"scams/gia-danh-ngan-hang\"   # suggested, 1 post(s)\n"), "{map}");
    assert!(map.contains("  \"Người cao tuổi\": \"audiences/nguoi-cao-tuoi\"   # suggested, 1 post(s)\n"), "{map}");
    assert!(map.contains("  \"Tin tức\": \"\"   # no match, 1 post(s)\n"), "{map}");

    site.build(false);
    assert_eq!(site.alias_target("/2024/05/gia-danh-ngan-hang.html"), "/canh-bao/gia-danh-ngan-hang/");
    assert_eq!(site.alias_target("/2024/04/sim-rac.html"), "/canh-bao/sim-rac/");
    assert_eq!(site.alias_target("/p/duong-day-nong.html"), "/duong-day-nong/");
    assert_eq!(site.page_title("/canh-bao/gia-danh-ngan-hang/"), "Giả danh ngân hàng gọi điện \"nâng hạn mức\" thẻ");
    let page =
        scraper::Html::parse_document(&fs::read_to_string(site.out.join("canh-bao/sim-rac/index.html")).unwrap());
    assert!(attrs(&page, "article a", "href").iter().any(|h| h == "/canh-bao/gia-danh-ngan-hang/#dau-hieu-nhan-biet"));
    assert!(!site.out.join("canh-bao/lua-dao-qua-tin-nhan-ban-nhap").exists(), "drafts stay out of the build");
}

#[test]
fn issue_13_wordpress_export_with_categories_tags_drafts_and_attachments() {
    let site = Site::new();
    let page_before = site.read("content/pages/gioi-thieu.md");
    let stdout = site.import_ok(&fixture("wordpress/export.xml"), &[]);
    assert!(stdout.contains("WordPress source: 2 article(s) and 2 page(s), 1 of them draft(s)"), "{stdout}");
    assert!(
        stdout.contains(
            "kept      content/pages/gioi-thieu.md (already there, not written by the import; not overwritten)"
        ),
        "{stdout}"
    );
    assert_eq!(site.read("content/pages/gioi-thieu.md"), page_before, "an existing file is never overwritten");
    assert!(stdout.contains("label \"Việc làm online\" (1 post(s)) is not mapped"), "{stdout}");
    assert!(stdout.contains("6 old address(es) with a query string (/?p=123) cannot be static pages"), "{stdout}");

    let article = site.read("content/articles/sinh-trac-hoc/index.md");
    let (front, body) = split(&article);
    assert_eq!(
        front,
        "title: \"Cảnh giác cuộc gọi \\\"hỗ trợ sinh trắc học\\\"\"\ndate: 2024-05-08T09:30:00+07:00\n\
         updated: 2024-05-20T15:00:00+07:00\nsummary: \"Kẻ gian giả danh ngân hàng để lấy mã OTP.\"\n\
         scams: [\"gia-danh-ngan-hang\"]\naudiences: [\"nguoi-cao-tuoi\"]\naliases:\n  - \"/2024/05/08/sinh-trac-hoc/\""
    );
    assert!(body.contains("## Cách phòng tránh\n\n1. Không cài ứng dụng lạ.\n2. Gọi tổng đài chính thức.\n"), "{body}");
    assert_eq!(body.matches("![Tin nhắn giả mạo ngân hàng](tin-nhan.png)").count(), 1, "{body}");
    assert!(body.contains("[bài về việc làm online](@/articles/viec-nhe-luong-cao-nhiem-vu-online.md)"), "{body}");
    assert!(!body.contains("pixel.wp.com") && !body.contains("wp:") && !body.contains("text-align"), "{body}");
    // The attachment, found in the export's `uploads/` folder, is copied beside the article.
    assert_eq!(
        fs::read(site.root.join("content/articles/sinh-trac-hoc/tin-nhan.png")).unwrap(),
        fs::read(fixture("wordpress/uploads/2024/05/tin-nhan.png")).unwrap()
    );
    let draft = site.read("content/articles/viec-nhe-luong-cao-nhiem-vu-online.md");
    assert!(draft.contains("date: 2024-06-02T14:00:00+07:00\ndraft: true\n"), "{draft}");
    assert!(
        draft.contains("Tuyển cộng tác viên làm \"nhiệm vụ\" online.\nYêu cầu nạp tiền trước.\n\nĐừng chuyển tiền"),
        "{draft}"
    );
    assert!(!site.root.join("content/pages/trang-chu.md").exists(), "menu items are not pages");
    let redirects = site.read("import-redirects.txt");
    assert!(redirects.contains("\n/ p=12 /canh-bao/sinh-trac-hoc/ 301\n"), "{redirects}");
    assert!(redirects.contains("# if ($arg_page_id = \"8\") { return 301 /lien-he/; }\n"), "{redirects}");

    site.build(true);
    assert_eq!(site.alias_target("/2024/05/08/sinh-trac-hoc/"), "/canh-bao/sinh-trac-hoc/");
    assert_eq!(site.alias_target("/lien-he-cu/"), "/lien-he/");
    let page =
        scraper::Html::parse_document(&fs::read_to_string(site.out.join("canh-bao/sinh-trac-hoc/index.html")).unwrap());
    let images = attrs(&page, "article img", "src");
    assert!(images.iter().any(|s| s.starts_with("tin-nhan")), "{images:?}");
    assert!(!images.iter().any(|s| s.contains("://")), "{images:?}");
}

#[test]
fn issue_13_hugo_folder_with_bundles_static_images_refs_and_aliases() {
    let site = Site::new();
    let (code, stdout, stderr) = site.import(&fixture("hugo"), &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("Hugo source: 2 article(s) and 1 page(s), 1 of them draft(s)"), "{stdout}");
    assert!(stderr.contains("content/_index.md: a section page (`_index.md`): not imported"), "{stderr}");
    assert!(
        stderr.contains(
            "warning: content/articles/otp-gia/index.md:12:1: a shortcode of the old site is left here, rewrite it by hand: {{< youtube abc123 >}}"
        ),
        "{stderr}"
    );
    let main = site.read("content/articles/gia-danh-ngan-hang/index.md");
    assert!(main.contains("summary: \"Không đọc mã OTP cho bất kỳ ai.\"\nscams: [\"gia-danh-ngan-hang\"]\n"), "{main}");
    assert!(main.contains("aliases:\n  - \"/posts/gia-danh-ngan-hang/\"\n  - \"/tin-cu/otp/\"\n"), "{main}");
    assert!(main.contains("![Cảnh báo](canh-bao.png)"), "{main}");
    assert!(main.contains("[OTP giả](@/articles/otp-gia/index.md) và [giới thiệu](@/pages/about.md)"), "{main}");
    assert_eq!(
        fs::read(site.root.join("content/articles/gia-danh-ngan-hang/canh-bao.png")).unwrap(),
        fs::read(fixture("hugo/static/images/canh-bao.png")).unwrap()
    );
    let bundle = site.read("content/articles/otp-gia/index.md");
    assert!(bundle.starts_with("---\ntitle: \"Tin nhắn OTP giả\"\ndate: 2024-06-01\ndraft: true\n"), "{bundle}");
    assert!(bundle.contains("[bài chính](@/articles/gia-danh-ngan-hang/index.md)"), "{bundle}");
    assert!(site.root.join("content/articles/otp-gia/anh.png").is_file());

    site.build(true);
    assert_eq!(site.alias_target("/posts/gia-danh-ngan-hang/"), "/canh-bao/gia-danh-ngan-hang/");
    assert_eq!(site.alias_target("/tin-cu/otp/"), "/canh-bao/gia-danh-ngan-hang/");
    assert_eq!(site.alias_target("/posts/otp-gia/"), "/canh-bao/otp-gia/");
    assert_eq!(site.page_title("/about/"), "Về chúng tôi");
}

#[test]
fn issue_13_jekyll_folder_with_permalinks_redirects_and_drafts() {
    let site = Site::new();
    let stdout = site.import_ok(&fixture("jekyll"), &[]);
    assert!(stdout.contains("Jekyll source: 3 article(s) and 1 page(s), 2 of them draft(s)"), "{stdout}");
    let app = site.read("content/articles/app-vay-tien/index.md");
    assert!(app.contains("date: 2024-05-08\naudiences: [\"nguoi-cao-tuoi\"]\n"), "{app}");
    assert!(app.contains("aliases:\n  - \"/canh-bao/2024/05/08/app-vay-tien/\"\n  - \"/vay-tien/\"\n"), "{app}");
    assert!(
        app.contains("[đầu tư tiền ảo](@/articles/dau-tu.md)") && app.contains("![Ứng dụng vay tiền](app.png)"),
        "{app}"
    );
    let unpublished = site.read("content/articles/dau-tu.md");
    assert!(unpublished.contains("date: 2024-06-01T09:30:00+07:00\ndraft: true\n"), "{unpublished}");
    let draft = site.read("content/articles/sim-rac.md");
    assert!(draft.contains("draft: true\n") && !draft.contains("aliases"), "{draft}");
    assert!(site.read("content/pages/about.md").contains("aliases:\n  - \"/lien-he/\"\n"));
    assert!(!site.root.join("content/pages/readme.md").exists());

    site.build(true);
    assert_eq!(site.alias_target("/canh-bao/2024/05/08/app-vay-tien/"), "/canh-bao/app-vay-tien/");
    assert_eq!(site.alias_target("/vay-tien/"), "/canh-bao/app-vay-tien/");
    assert_eq!(site.alias_target("/lien-he/"), "/about/");
}

#[test]
fn issue_13_zola_folder_and_one_bad_post_that_does_not_stop_the_others() {
    let site = Site::new();
    let (code, stdout, stderr) = site.import(&fixture("zola"), &[]);
    assert_eq!(code, 1, "a post was not imported\n{stdout}\n{stderr}");
    assert!(
        stderr.contains("zola/content/blog/hong.md:3:8: TOML front matter error: extra `=`, expected nothing"),
        "{stderr}"
    );
    assert!(stdout.contains("1 post(s) could not be imported (see above); the others were"), "{stdout}");
    assert!(stdout.contains("Zola source: 2 article(s) and 0 page(s)"), "{stdout}");
    let sim = site.read("content/articles/sim-rac.md");
    assert!(sim.contains("date: 2024-05-08\naudiences: [\"nguoi-cao-tuoi\"]\n"), "{sim}");
    assert!(sim.contains("aliases:\n  - \"/blog/sim-rac/\"\n  - \"/cu/sim-rac/\"\n"), "{sim}");
    assert!(sim.contains("[tiền ảo](@/articles/tien-ao/index.md#dau-hieu)"), "{sim}");
    let bundle = site.read("content/articles/tien-ao/index.md");
    assert!(
        bundle.contains("date: 2024-06-01T15:00:00+07:00\nsummary: \"Lãi suất hứa hẹn không có thật.\"\n"),
        "{bundle}"
    );
    assert!(site.root.join("content/articles/tien-ao/bieu-do.png").is_file());
    assert!(!site.root.join("content/articles/hong.md").exists());

    site.build(false);
    assert_eq!(site.alias_target("/cu/sim-rac/"), "/canh-bao/sim-rac/");
    assert_eq!(site.alias_target("/blog/tien-ao/"), "/canh-bao/tien-ao/");
}

#[test]
fn issue_13_malformed_xml_is_an_error_at_its_line_and_nothing_is_written() {
    let site = Site::new();
    let export = site.dir.join("broken.xml");
    fs::write(&export, "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n<title>A</titel>\n</entry>\n</feed>\n")
        .unwrap();
    let before = site.files();
    let (code, _, stderr) = site.import(&export, &[]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error: broken.xml:4:"), "{stderr}");
    assert!(stderr.contains("the export is not well-formed XML"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(site.files(), before);

    let folder = site.dir.join("empty");
    fs::create_dir(&folder).unwrap();
    let (code, _, stderr) = site.import(&folder, &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("`empty` is not a Blogger export (Atom .xml), a WordPress export (WXR .xml) or a Hugo"),
        "{stderr}"
    );
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["import", "broken.xml", "--into", "empty"])
        .current_dir(&site.dir)
        .env("LC_ALL", "C")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`empty` holds no site (no site.yaml)"));
}

#[test]
fn issue_13_dry_run_writes_nothing() {
    let site = Site::new();
    let before = site.files();
    let stdout = site.import_ok(&fixture("wordpress/export.xml"), &["--dry-run"]);
    assert!(stdout.contains("dry run: nothing was written; this is what the import would do"), "{stdout}");
    assert!(stdout.contains("created   content/articles/sinh-trac-hoc/index.md"), "{stdout}");
    assert!(stdout.contains("created   content/articles/sinh-trac-hoc/tin-nhan.png"), "{stdout}");
    assert!(!stdout.contains("canhbao check"), "{stdout}");
    assert_eq!(site.files(), before);
    // The report speaks Vietnamese to a Vietnamese locale.
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .arg("import")
        .arg(fixture("wordpress/export.xml"))
        .args(["--into", "site", "--dry-run"])
        .current_dir(&site.dir)
        .env("LC_ALL", "vi_VN.UTF-8")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.starts_with("Nguồn WordPress: 2 bài cảnh báo và 2 trang, trong đó 1 bản nháp\nchạy thử: chưa ghi gì cả"),
        "{stdout}"
    );
    assert!(stdout.contains("giữ nguyên content/pages/gioi-thieu.md (tệp có sẵn"), "{stdout}");
    assert_eq!(site.files(), before);
}

#[test]
fn issue_13_a_second_run_updates_only_what_it_wrote() {
    let site = Site::new();
    let export = fixture("blogger/blog.xml");
    site.import_ok(&export, &[]);
    let first = site.files();
    assert!(first.contains_key(".canhbao-import.json"));
    let stdout = site.import_ok(&export, &[]);
    assert!(stdout.contains("5 file(s) written by an earlier import are unchanged"), "{stdout}");
    assert!(!stdout.contains("created") && !stdout.contains("updated"), "{stdout}");
    assert_eq!(site.files(), first, "a second run changes nothing");

    // The editor maps a label and edits one article by hand.
    let map = site.read("import-map.yaml").replace("\"Tin tức\": \"\"", "\"Tin tức\": \"scams/viec-nhe-luong-cao\"");
    fs::write(site.root.join("import-map.yaml"), map).unwrap();
    let edited = site.read("content/articles/sim-rac.md").replace("Không mua SIM", "Tuyệt đối không mua SIM");
    fs::write(site.root.join("content/articles/sim-rac.md"), &edited).unwrap();
    let stdout = site.import_ok(&export, &[]);
    assert!(stdout.contains("updated   content/articles/gia-danh-ngan-hang.md"), "{stdout}");
    assert!(
        stdout.contains("kept      content/articles/sim-rac.md (changed since the import wrote it; not overwritten)"),
        "{stdout}"
    );
    assert!(stdout.contains("kept      import-map.yaml (changed since"), "{stdout}");
    assert!(!stdout.contains("not mapped"), "{stdout}");
    assert!(
        site.read("content/articles/gia-danh-ngan-hang.md")
            .contains("scams: [\"gia-danh-ngan-hang\", \"viec-nhe-luong-cao\"]\n")
    );
    assert_eq!(site.read("content/articles/sim-rac.md"), edited);
}

/// Serves `tests/fixtures/import/fetch/anh.png` at `/anh.png` and 404 for anything else.
fn serve_picture() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let png = fs::read(fixture("fetch/anh.png")).unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 2048];
            let n = stream.read(&mut request).unwrap_or(0);
            let request = String::from_utf8_lossy(&request[..n]);
            let head = if request.starts_with("GET /anh.png ") {
                format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    png.len()
                )
            } else {
                "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string()
            };
            let _ = stream.write_all(head.as_bytes());
            if head.starts_with("HTTP/1.1 200") {
                let _ = stream.write_all(&png);
            }
        }
    });
    port
}

#[test]
fn issue_13_fetch_images_downloads_pictures_beside_the_article() {
    let port = serve_picture();
    let site = Site::new();
    let export = site.dir.join("blog.xml");
    let content = format!(
        "&lt;p&gt;Ảnh: &lt;img src=\"http://127.0.0.1:{port}/anh.png\" alt=\"Tin nhắn\"&gt; \
         &lt;img src=\"http://127.0.0.1:{port}/mat.png\" alt=\"Mất\"&gt;&lt;/p&gt;"
    );
    fs::write(
        &export,
        format!(
            "<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n\
             <link rel='alternate' type='text/html' href='https://cu.blogspot.com/'/>\n<entry>\n\
             <published>2024-05-08T09:30:00.000+07:00</published>\n\
             <category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>\n\
             <title type='text'>Ảnh tải về</title>\n<content type='html'>{content}</content>\n\
             <link rel='alternate' type='text/html' href='https://cu.blogspot.com/2024/05/anh.html'/>\n</entry>\n</feed>\n"
        ),
    )
    .unwrap();

    // Without --fetch-images the pictures are only listed.
    let stdout = site.import_ok(&export, &["--dry-run"]);
    assert!(stdout.contains(&format!("picture on another host: http://127.0.0.1:{port}/anh.png")), "{stdout}");

    let (code, stdout, stderr) = site.import(&export, &["--fetch-images"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("downloaded 1 picture(s) beside their articles"), "{stdout}");
    assert!(stdout.contains(&format!("could not download http://127.0.0.1:{port}/mat.png")), "{stdout}");
    let article = site.read("content/articles/anh/index.md");
    assert!(article.contains("![Tin nhắn](anh.png)"), "{article}");
    assert_eq!(
        fs::read(site.root.join("content/articles/anh/anh.png")).unwrap(),
        fs::read(fixture("fetch/anh.png")).unwrap()
    );

    // The picture left remote is dropped from the page by hand; the site then builds with no remote picture.
    fs::write(
        site.root.join("content/articles/anh/index.md"),
        article.replace(&format!(" ![Mất](http://127.0.0.1:{port}/mat.png)"), ""),
    )
    .unwrap();
    site.build(false);
    let page = fs::read_to_string(site.out.join("canh-bao/anh/index.html")).unwrap();
    assert!(!page.contains("127.0.0.1"), "{page}");
}

#[test]
fn issue_13_the_report_lists_what_check_still_finds() {
    let site = Site::new();
    let old = site.dir.join("zola-cu");
    fs::create_dir_all(old.join("content/blog")).unwrap();
    fs::write(old.join("config.toml"), "base_url = \"https://cu.example.vn\"\n").unwrap();
    fs::write(
        old.join("content/blog/a.md"),
        "+++\ntitle = \"A\"\ndate = 2024-05-08\n+++\nMột đoạn.\n\nXem [bài đã xoá](@/blog/da-xoa.md).\n",
    )
    .unwrap();
    let (code, stdout, stderr) = site.import(&old, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("canhbao check: 1 problem(s) left for the editor:"), "{stdout}");
    assert!(stderr.contains("error: content/articles/a.md:9:5: broken link `@/blog/da-xoa.md`"), "{stderr}");
}
