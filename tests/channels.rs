//! One warning, every channel (issue 12): the SMS, loudspeaker script and social posts of every
//! article and leaflet, the page for officials, the SMS short links, the campaign kits (ZIPs)
//! and the bulk-SMS CSV. Fixture: `fixtures/channels/`; the example site is checked for every
//! text's limits.

mod common;

use std::io::Read;
use std::path::Path;

use canhbao::channels::gsm;
use canhbao::shortlinks::derived_sms_path as sms_short_path;
use common::{REPO, TestSite, attrs, one, select, text};

const ARTICLE: &str = "canh-bao/gia-danh-cong-an/";
const OVERRIDDEN: &str = "canh-bao/viec-nhe-luong-cao/";
const LEAFLET: &str = "to-roi/to-roi/";

/// The SMS short link of the item at `dir` in the fixture.
fn sms_link(dir: &str) -> String {
    format!("https://canhbao.test{}", sms_short_path("q", &format!("/{dir}")))
}

/// The files of a ZIP archive, by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().to_string(), content)
        })
        .collect()
}

fn decode_png(bytes: &[u8]) -> String {
    let image = image::load_from_memory(bytes).expect("PNG").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(image);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "exactly one QR code expected");
    grids[0].decode().expect("a readable QR code").1
}

#[test]
fn the_derived_sms_is_one_gsm_message_with_the_hotline_and_a_tagged_short_link_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let link = sms_link(ARTICLE);
    let expected =
        format!("KHAN CAP: Gia danh cong an goi dien doi chuyen tien. Binh tinh cup may. Goi 113 neu nghi ngo. {link}");
    assert_eq!(site.read(&format!("{ARTICLE}kenh/sms.txt")), format!("{expected}\n"));
    assert_eq!(
        site.read(&format!("{ARTICLE}kenh/sms-co-dau.txt")),
        format!(
            "KHẨN CẤP: Giả danh công an gọi điện đòi chuyển tiền. Bình tĩnh cúp máy. Gọi 113 nếu nghi ngờ. {link}\n"
        )
    );
    // The short link redirects to the article, tagged `?src=sms`.
    let short = site.html(&common::file_of(link.strip_prefix("https://canhbao.test").unwrap()));
    assert_eq!(attrs(&short, "link[rel=canonical]", "href"), [format!("https://canhbao.test/{ARTICLE}")]);
    assert_eq!(attrs(&short, "body a", "href"), [format!("https://canhbao.test/{ARTICLE}?src=sms")]);
    assert_eq!(attrs(&short, "meta[name=robots]", "content"), ["noindex"]);
}

#[test]
fn sms_and_radio_overrides_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let sms = site.read(&format!("{OVERRIDDEN}kenh/sms.txt"));
    assert_eq!(sms, format!("Canh giac viec nhe luong cao! Goi 113. {}\n", sms_link(OVERRIDDEN)));
    let radio = site.read(&format!("{OVERRIDDEN}kenh/loa.txt"));
    assert!(
        radio.contains(
            "Từ đầu năm, mười sáu nghìn chín trăm người đã bị lừa với lãi hai phẩy năm phần trăm một ngày. \
             Bà con gọi không chín không một, hai ba bốn, năm sáu bảy nếu cần."
        ),
        "{radio}"
    );
    // The theme's opening and closing lines frame the editor's text.
    assert!(
        radio.contains(
            "\n\nKính thưa bà con! Sau đây là thông tin cảnh báo lừa đảo của Công an phường Thử.\n\nTừ đầu năm"
        ),
        "{radio}"
    );
    assert!(radio.ends_with("Xin cảm ơn bà con đã lắng nghe.\n"), "{radio}");
}

#[test]
fn the_loudspeaker_script_is_spoken_text_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let radio = site.read(&format!("{ARTICLE}kenh/loa.txt"));
    let (note, script) = radio.split_once("\n\n").unwrap();
    assert!(note.starts_with("[Ghi chú, không đọc: bài đọc khoảng ") && note.ends_with("tiếng một phút).]"), "{note}");
    assert!(
        script.contains(
            "Kẻ gian gọi từ số không chín không một, hai ba bốn, năm sáu bảy, đòi chuyển năm trăm nghìn đồng"
        ),
        "{script}"
    );
    assert!(script.contains("Đòi đặt cọc ba mươi phần trăm số tiền trong tài khoản trước ngày mười lăm tháng tư năm hai nghìn không trăm hai mươi lăm"), "{script}");
    assert!(script.contains("Cách phòng tránh: Bình tĩnh cúp máy; Không chuyển tiền cho bất kỳ ai; Gọi lại Công an phường theo số bạn tự tìm."), "{script}");
    assert!(script.contains("gọi ngay Công an, số một một ba."), "{script}");
    // No digit, no URL, no Markdown, no quoted scam address.
    assert!(!script.chars().any(|c| c.is_ascii_digit()), "{script}");
    for absent in ["http", "hxxp", "[.]", "canhbao.test", "**", "## "] {
        assert!(!script.contains(absent), "`{absent}` in {script}");
    }
}

#[test]
fn social_posts_have_the_tagged_link_and_hashtags_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    for (file, tag, limit) in [("facebook.txt", "facebook", 63_206), ("zalo.txt", "zalo", 2_000)] {
        let post = site.read(&format!("{ARTICLE}kenh/{file}"));
        assert!(post.starts_with("⚠️ KHẨN CẤP: Giả danh công an gọi điện đòi chuyển tiền\n\n"), "{post}");
        assert!(post.contains("🔎 Dấu hiệu nhận biết:\n- Người gọi đọc đúng họ tên, số căn cước của bạn\n"), "{post}");
        assert!(post.contains("✅ Cách phòng tránh:\n- Bình tĩnh cúp máy\n"), "{post}");
        assert!(post.contains("☎️ Nếu nghi ngờ, gọi ngay Công an: 113."), "{post}");
        assert!(post.contains(&format!("👉 Đọc đầy đủ: https://canhbao.test/{ARTICLE}?src={tag}\n")), "{post}");
        assert!(post.trim_end().ends_with("#CanhBaoLuaDao #GiaDanhCoQuanChucNang"), "{post}");
        assert!(post.chars().count() <= limit);
    }
    // A leaflet's posts take the hashtags of the article it leads to, and link to it.
    let post = site.read(&format!("{LEAFLET}kenh/zalo.txt"));
    assert!(post.contains(&format!("https://canhbao.test/{ARTICLE}?src=zalo")), "{post}");
    assert!(post.contains("#GiaDanhCoQuanChucNang"), "{post}");
}

#[test]
fn the_page_for_officials_shows_every_text_with_copy_buttons_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let html = site.html(&format!("{ARTICLE}kenh/index.html"));
    assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex, nofollow"]);
    assert_eq!(text(one(&html, "h1")), "Giả danh công an gọi điện đòi chuyển tiền");
    // Every copy button names a text shown on the page, and that text is the file's.
    let buttons = attrs(&html, "button[data-copy]", "data-copy");
    assert_eq!(buttons, ["cb-sms", "cb-sms-co-dau", "cb-loa", "cb-facebook", "cb-zalo"]);
    let shown = |id: &str| one(&html, &format!("pre#{id}")).text().collect::<String>();
    assert_eq!(format!("{}\n", shown("cb-sms")), site.read(&format!("{ARTICLE}kenh/sms.txt")));
    assert_eq!(format!("{}\n", shown("cb-zalo")), site.read(&format!("{ARTICLE}kenh/zalo.txt")));
    assert!(site.read(&format!("{ARTICLE}kenh/loa.txt")).ends_with(&format!("{}\n", shown("cb-loa"))));
    let downloads = attrs(&html, "a[download]", "href");
    for file in ["sms.txt", "sms-co-dau.txt", "loa.txt", "facebook.txt", "zalo.txt"] {
        assert!(downloads.contains(&format!("/{ARTICLE}kenh/{file}")), "{file}: {downloads:?}");
    }
    // The QR code of the article, the leaflet that leads to it and its kits.
    assert_eq!(attrs(&html, ".channel-qr img", "src"), [format!("/{ARTICLE}qr.svg")]);
    assert!(downloads.contains(&"/kenh/bo-tai-lieu/to-roi.zip".to_string()), "{downloads:?}");
    assert!(downloads.contains(&"/kenh/bo-tai-lieu/to-roi-phuong-1.zip".to_string()), "{downloads:?}");
    assert_eq!(attrs(&html, "script[src]", "src").iter().filter(|s| s.contains("assets/share.js")).count(), 1);
    assert!(site.exists("assets/share.js"));
    // The article links to it from its footer; the sitemap does not list it.
    let article = site.html(&format!("{ARTICLE}index.html"));
    assert_eq!(attrs(&article, ".editor-link a", "href"), ["kenh/"]);
    assert!(!site.read("sitemap.xml").contains("/kenh/"));
    // A leaflet's page shows the printed QR code of each print.
    let html = site.html(&format!("{LEAFLET}kenh/index.html"));
    assert_eq!(
        attrs(&html, ".channel-qr img", "src"),
        [format!("/{LEAFLET}qr-in.svg"), format!("/{LEAFLET}phuong-1/qr-in.svg")]
    );
}

#[test]
fn kits_hold_the_qr_code_texts_and_a_readme_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let index = site.html("kenh/index.html");
    assert_eq!(attrs(&index, "meta[name=robots]", "content"), ["noindex, nofollow"]);
    let kits = attrs(&index, "a[download][href$='.zip']", "href");
    assert_eq!(kits, ["/kenh/bo-tai-lieu/to-roi.zip", "/kenh/bo-tai-lieu/to-roi-phuong-1.zip"]);
    let files = unzip(&std::fs::read(site.path("kenh/bo-tai-lieu/to-roi-phuong-1.zip")).unwrap());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "DOC-TRUOC.txt",
            "ma-qr.png",
            "ma-qr.svg",
            "tin-nhan-sms.txt",
            "tin-nhan-sms-co-dau.txt",
            "loa-phat-thanh.txt",
            "facebook.txt",
            "zalo.txt"
        ]
    );
    let file = |name: &str| files.iter().find(|(n, _)| n == name).map(|(_, b)| b.clone()).unwrap();
    // The QR code of the kit is the variant's printed code: it scans to the variant's short link.
    let printed = decode_png(&file("ma-qr.png"));
    let page = site.html(&format!("{LEAFLET}phuong-1/index.html"));
    assert!(
        printed.starts_with("https://canhbao.test/q/")
            && site.read(&format!("{LEAFLET}phuong-1/index.html")).contains(&printed)
    );
    assert_eq!(file("ma-qr.png"), std::fs::read(site.path(&format!("{LEAFLET}phuong-1/qr-in.png"))).unwrap());
    assert!(!select(&page, "svg").is_empty());
    assert_eq!(file("tin-nhan-sms.txt"), std::fs::read(site.path(&format!("{LEAFLET}kenh/sms.txt"))).unwrap());
    let readme = String::from_utf8(file("DOC-TRUOC.txt")).unwrap();
    assert!(
        readme.starts_with("BỘ TÀI LIỆU TUYÊN TRUYỀN: Cảnh giác cuộc gọi giả danh công an\nĐiểm phát: Phường 1\n"),
        "{readme}"
    );
    assert!(readme.contains("Chưa có tệp PDF"), "a build without --pdf says so: {readme}");
    for name in &names[1..] {
        assert!(readme.contains(name), "the README explains {name}");
    }
    // Reproducible: a second build gives the same bytes.
    let again = TestSite::new("channels");
    again.build();
    assert_eq!(again.output()["kenh/bo-tai-lieu/to-roi.zip"], site.output()["kenh/bo-tai-lieu/to-roi.zip"]);
}

#[test]
fn a_kit_of_a_pdf_build_holds_the_pdf_issue_12() {
    let site = TestSite::new("channels");
    let output = site.cmd().arg("--pdf").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let files = unzip(&std::fs::read(site.path("kenh/bo-tai-lieu/to-roi-phuong-1.zip")).unwrap());
    let pdf = files.iter().find(|(n, _)| n == "to-roi-phuong-1.pdf").expect("the PDF is in the kit");
    assert_eq!(pdf.1, std::fs::read(site.path(&format!("{LEAFLET}phuong-1/to-roi-phuong-1.pdf"))).unwrap());
    assert!(pdf.1.starts_with(b"%PDF"));
    let readme = String::from_utf8(files.iter().find(|(n, _)| n == "DOC-TRUOC.txt").unwrap().1.clone()).unwrap();
    assert!(
        readme.contains("- to-roi-phuong-1.pdf: tờ rơi để in, đúng khổ giấy (A4).") && !readme.contains("Chưa có"),
        "{readme}"
    );
    let index = site.html("kenh/index.html");
    assert!(attrs(&index, "a", "href").contains(&format!("/{LEAFLET}phuong-1/to-roi-phuong-1.pdf")));
}

#[test]
fn the_bulk_sms_csv_has_one_row_per_item_issue_12() {
    let site = TestSite::new("channels");
    site.build();
    let csv = site.read("kenh/sms.csv");
    let rows: Vec<&str> = csv.split_terminator("\r\n").collect();
    assert_eq!(rows[0], "key,text,length,segments");
    assert_eq!(rows.len(), 4, "two articles and one leaflet: {csv}");
    let row = rows.iter().find(|r| r.starts_with("\"canh-bao/gia-danh-cong-an\",")).unwrap();
    let sms = site.read(&format!("{ARTICLE}kenh/sms.txt"));
    let sms = sms.trim_end();
    assert_eq!(*row, format!("\"canh-bao/gia-danh-cong-an\",\"{sms}\",{},1", sms.chars().count()));
    assert!(
        rows.iter().any(|r| r.starts_with("\"to-roi/to-roi\",\"CANH BAO: Canh giac cuoc goi gia danh cong an.")),
        "{csv}"
    );
}

#[test]
fn check_reports_an_sms_over_160_characters_at_its_line_issue_12() {
    let site = TestSite::new("channels");
    let long = "Canh bao ".repeat(20);
    site.write(
        "content/articles/dai.md",
        format!("---\ntitle: \"Dài\"\ndate: 2024-06-02\nsms: \"{long}{{link}}\"\n---\nNội dung.\n"),
    );
    let stderr = site.check_fails();
    let septets = long.trim_end().len() + 1 + sms_link("canh-bao/dai/").len();
    assert!(
        stderr.contains(&format!(
            "content/articles/dai.md:4:1: the SMS is {septets} characters long without diacritics, over the 160 of one message: cut {} characters",
            septets - 160
        )),
        "{stderr}"
    );
    assert!(stderr.contains("help: shorten `sms:`"), "{stderr}");
    // The build still makes it, in two messages.
    site.build();
    let csv = site.read("kenh/sms.csv");
    assert!(csv.contains(&format!(",{septets},2\r\n")), "{csv}");
}

#[test]
fn check_warns_about_a_long_loudspeaker_script_issue_12() {
    let site = TestSite::new("channels");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}channels:\n  radio_max_seconds: 20\n"));
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["check", "--root"])
        .arg(&site.root)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(output.status.success(), "a long script is a warning, not an error:\n{stderr}");
    assert!(
        stderr.contains("content/articles/viec-nhe-luong-cao.md:7:1: the loudspeaker script takes about"),
        "{stderr}"
    );
    assert!(stderr.contains("s to read, more than 20 s"), "{stderr}");
    assert!(stderr.contains("help: write a shorter `radio:`"), "{stderr}");
    // A derived script is made to fit; when even its title, hotline and frame lines do not, it
    // is reported at line 1, with only them.
    assert!(
        stderr.contains("content/articles/gia-danh-cong-an.md:1:1: the loudspeaker script takes about"),
        "{stderr}"
    );
    site.build();
    let radio = site.read(&format!("{ARTICLE}kenh/loa.txt"));
    assert!(!radio.contains("Dấu hiệu nhận biết"), "no room for the signs in 20 s: {radio}");
}

#[test]
fn every_channel_text_of_the_example_site_is_within_its_limits_issue_12() {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let options = canhbao::BuildOptions { root: REPO.into(), output: Some(public.clone()), ..Default::default() };
    let report = canhbao::build(&options).unwrap_or_else(|e| panic!("{e:#}"));
    let csv = std::fs::read_to_string(public.join("kenh/sms.csv")).unwrap();
    let rows: Vec<&str> = csv.split_terminator("\r\n").skip(1).collect();
    assert_eq!(rows.len(), report.articles + report.leaflets);
    for row in rows {
        let key = row.split('"').nth(1).unwrap();
        let dir = Path::new(&public).join(key).join("kenh");
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{key}/{name}: {e}"));
        let sms = read("sms.txt");
        let sms = sms.trim_end();
        assert!(gsm::is_gsm(sms) && gsm::septets(sms) <= 160, "{key}: {sms}");
        assert!(sms.contains("https://canhbao.example.vn/q/") && sms.contains("113"), "{key}: {sms}");
        assert!(row.ends_with(&format!(",{},1", gsm::septets(sms))), "{row}");
        let radio = read("loa.txt");
        let seconds: usize =
            radio.split(" tiếng, đọc ").next().unwrap().rsplit(" (").next().unwrap().parse::<usize>().unwrap() * 60
                / 160;
        assert!(seconds <= 90, "{key}: {seconds} s");
        assert!(!radio.split_once("\n\n").unwrap().1.chars().any(|c| c.is_ascii_digit()), "{key}: {radio}");
        assert!(!radio.contains("http"), "{key}");
        for (file, tag, limit) in [("facebook.txt", "facebook", 63_206), ("zalo.txt", "zalo", 2_000)] {
            let post = read(file);
            assert!(post.chars().count() <= limit, "{key}/{file}");
            assert!(post.contains(&format!("?src={tag}")) && post.contains("#CanhBaoLuaDao"), "{key}/{file}: {post}");
        }
    }
    let kits = std::fs::read_dir(public.join("kenh/bo-tai-lieu")).unwrap().count();
    assert_eq!(kits, 7, "3 leaflets and 4 variants");
}

#[test]
fn a_page_cannot_take_the_kits_index_issue_12() {
    let site = TestSite::new("channels");
    site.write("content/pages/kenh.md", "---\ntitle: \"Kênh\"\n---\nTrang.\n");
    let stderr = site.fail();
    assert!(
        stderr.contains(
            "URL `/kenh/index.html` is used by both `content/pages/kenh.md` and `the generated `/kenh/index.html``"
        ),
        "{stderr}"
    );
}

#[test]
fn an_edited_article_remakes_only_its_own_channel_texts_and_material_issue_10() {
    // Issue 10: channel texts and presenters' material are one job per item, showing that item;
    // the kits index and bulk-SMS file (which list every item) are the only site-wide ones.
    let site = TestSite::new("channels");
    site.build();
    let model = canhbao::pipeline::load_site(&site.options()).unwrap();
    let canhbao::site::Affected::Files(files) =
        model.affected(&[site.root.join("content/articles/gia-danh-cong-an.md")])
    else {
        panic!("everything affected")
    };
    let own = ["kenh/index.html", "kenh/sms.txt", "kenh/loa.txt", "kenh/zalo.txt", "ap-phich/index.html"];
    for file in own.iter().map(|f| format!("{ARTICLE}{f}")).chain([
        format!("{ARTICLE}ap-phich/man-hinh.png"),
        format!("{ARTICLE}trinh-chieu/index.html"),
        common::file_of(&sms_short_path("q", &format!("/{ARTICLE}"))),
        "kenh/index.html".into(),
        "kenh/sms.csv".into(),
    ]) {
        assert!(files.contains(&file), "{file} missing from {files:?}");
    }
    for other in [OVERRIDDEN, LEAFLET] {
        let theirs: Vec<&String> = files.iter().filter(|f| f.starts_with(other)).collect();
        assert!(theirs.is_empty(), "another item's outputs: {theirs:?}");
    }
    assert!(!files.contains(&common::file_of(&sms_short_path("q", &format!("/{OVERRIDDEN}")))));
    // Every file the table gives those jobs was written by them.
    for file in &files {
        if !file.ends_with('/') && !file.ends_with(".pdf") && !file.ends_with(".zip") {
            assert!(site.exists(file), "{file} claimed, not written");
        }
    }
}
