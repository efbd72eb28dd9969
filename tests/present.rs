//! Material for presenters (issue 14): slide decks made from articles and from hand-written
//! decks. The HTML is parsed (scraper), QR codes are decoded (rqrr) from the SVG drawn on the
//! slide and from the rasterised PDF (pdftoppm); print tests need Chromium and poppler-utils.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, attrs, one, select, text, texts};

const ARTICLE_DECK: &str = "canh-bao/gia-danh-cong-an/trinh-chieu/index.html";
const HAND_DECK: &str = "trinh-chieu/buoi-noi-chuyen/index.html";

/// Decodes every QR code in a grey image.
fn decode(image: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared.detect_grids().into_iter().filter_map(|grid| grid.decode().ok()).map(|(_, content)| content).collect()
}

/// Rasterises an SVG (resvg) at 6 pixels a module, on white, and decodes it.
fn decode_svg(svg: &str) -> Vec<String> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let scale = 6.0;
    let size = tree.size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new((size.width() * scale) as u32, (size.height() * scale) as u32).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let rgba = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec()).unwrap();
    decode(image::DynamicImage::ImageRgba8(rgba).to_luma8())
}

/// The kinds of the slides of a deck, in order (`title`, `bullets`, `table`, `closing`, `part`).
fn kinds(html: &scraper::Html) -> Vec<String> {
    select(html, "section.slide")
        .into_iter()
        .map(|s| {
            let class = s.value().attr("class").unwrap();
            class.split_whitespace().find_map(|c| c.strip_prefix("slide-")).unwrap().to_string()
        })
        .collect()
}

#[test]
fn an_article_becomes_a_deck_of_title_sections_script_table_and_closing_qr() {
    // issue 14
    let site = TestSite::new("present");
    site.build();
    let html = site.html(ARTICLE_DECK);
    assert_eq!(kinds(&html), ["title", "bullets", "bullets", "table", "bullets", "closing"]);
    let slides = select(&html, "section.slide");
    // Title slide: the issuer (the site's organisation) and the audiences.
    assert_eq!(text(one(&html, ".slide-title h1")), "Giả danh công an gọi điện");
    assert_eq!(text(one(&html, ".slide-title .issuer")), "Công an thành phố thử");
    assert_eq!(text(one(&html, ".slide-title .subtitle")), "Dành cho: Người cao tuổi");
    // The intro is said, not shown: it is the title slide's note.
    assert!(text(one(&html, r#".notes[data-for="trang-1"]"#)).contains("Kẻ gian gọi điện xưng là công an"));
    // Eight steps over two slides, in order, the second marked as continued, nothing lost.
    let headings = texts(&html, "section.slide h2");
    assert_eq!(headings[0], "Thủ đoạn");
    assert_eq!(headings[1], "Thủ đoạn (tiếp)");
    let steps: Vec<String> = [&slides[1], &slides[2]]
        .iter()
        .flat_map(|s| s.select(&scraper::Selector::parse("li").unwrap()).map(text).collect::<Vec<_>>())
        .collect();
    assert_eq!(steps.len(), 8, "{steps:?}");
    assert_eq!(steps[0], "Gọi từ số lạ, xưng là cán bộ điều tra.");
    // The scam's address stays defanged, never a link.
    assert!(steps[7].contains("cong-an-gia[.]example"), "{}", steps[7]);
    assert!(select(&html, "section.slide a[href*=\"cong-an-gia\"]").is_empty());
    // The script table: two columns under their own header.
    assert_eq!(texts(&html, "table.script th"), ["Lời kẻ gian nói", "Sự thật"]);
    assert_eq!(select(&html, "table.script tbody tr").len(), 3);
    assert_eq!(texts(&html, "table.script tbody tr:first-child td")[1], "Công an làm việc tại trụ sở, có giấy mời.");
    // The paragraph under the table is the presenter's note of that slide.
    assert!(text(one(&html, r#".notes[data-for="trang-4"]"#)).contains("lệnh bắt không bao giờ được gửi qua Zalo"));
    // A section of paragraphs shows them.
    assert_eq!(
        texts(&html, "#trang-5 li"),
        ["Gọi ngay ngân hàng để phong toả tài khoản.", "Trình báo công an nơi gần nhất."]
    );
    // Closing slide: a QR code that decodes to the article's short link (its `code:`), the link
    // and the hotline.
    let svg = one(&html, ".slide-closing .qr svg").html();
    assert_eq!(decode_svg(&svg), ["https://canhbao.test/q/congan/"]);
    assert_eq!(text(one(&html, ".slide-closing .link")), "canhbao.test/q/congan");
    assert_eq!(attrs(&html, ".slide-closing .hotline a", "href"), ["tel:113"]);
    // Every slide is numbered.
    assert_eq!(text(one(&html, "#trang-6 .number")), "6/6");
}

#[test]
fn every_article_and_leaflet_gets_a_poster_with_three_signs_and_a_qr_code() {
    // issue 14
    let site = TestSite::new("present");
    site.build();
    let article = site.html("canh-bao/gia-danh-cong-an/ap-phich/index.html");
    assert_eq!(text(one(&article, "h1")), "Giả danh công an gọi điện");
    // The "Dấu hiệu" section is a script table: the poster lists what the scammer says.
    assert_eq!(
        texts(&article, ".signs li"),
        [
            "“Anh phải làm việc ngay qua điện thoại.”",
            "“Chuyển tiền vào tài khoản tạm giữ.”",
            "“Không được nói với ai.”"
        ]
    );
    let svg = one(&article, ".qr svg").html();
    assert_eq!(decode_svg(&svg), ["https://canhbao.test/q/congan/"]);
    assert_eq!(text(one(&article, ".link")), "canhbao.test/q/congan");
    assert_eq!(attrs(&article, ".hotline a", "href"), ["tel:113"]);
    // A leaflet's poster: its first three items, its short link, its own hotline.
    let leaflet = site.html("to-roi/ong-ba/ap-phich/index.html");
    assert_eq!(
        texts(&leaflet, ".signs li"),
        ["Người lạ gọi đòi chuyển tiền", "Yêu cầu đọc mã OTP", "Doạ bắt giam ngay trong ngày"]
    );
    assert_eq!(decode_svg(&one(&leaflet, ".qr svg").html()), ["https://canhbao.test/q/ongba/"]);
    assert_eq!(text(one(&leaflet, ".link")), "canhbao.test/q/ongba");
    assert_eq!(attrs(&leaflet, ".hotline a", "href"), ["tel:0243999999"]);
    assert!(site.exists("to-roi/ong-ba/ap-phich/man-hinh.png"));
}

/// What a phone camera sees of a projected screen card from the back of a meeting room.
///
/// Assumed: the 1920×1080 card fills a screen 2 m wide; the phone has a 12 MP camera (4000×3000
/// px) with a 70° horizontal field of view, held 5 m from the screen. Its picture is
/// 2 × 5 m × tan(35°) = 7.0 m wide, so the screen spans 4000 × 2 / 7.0 ≈ 1143 px. The card is
/// scaled to that, blurred (focus, hand shake: Gaussian σ = 1.5 px) and washed out (a projector's
/// black is grey, its white not white).
fn photo_at(card: &image::GrayImage, distance_m: f64) -> image::GrayImage {
    let (screen_m, sensor_px, fov_deg) = (2.0, 4000.0, 70.0f64);
    let seen_m = 2.0 * distance_m * (fov_deg / 2.0).to_radians().tan();
    let width = (sensor_px * screen_m / seen_m).round() as u32;
    let height = width * card.height() / card.width();
    let small = image::imageops::resize(card, width, height, image::imageops::FilterType::Triangle);
    let mut blurred = image::imageops::blur(&small, 1.5);
    for p in blurred.pixels_mut() {
        p.0[0] = 60 + (p.0[0] as u32 * 150 / 255) as u8;
    }
    blurred
}

#[test]
fn the_screen_card_qr_code_scans_from_a_photo_at_5_m() {
    // issue 14
    let site = TestSite::new("present");
    site.build();
    for (file, url) in [
        ("canh-bao/gia-danh-cong-an/ap-phich/man-hinh.png", "https://canhbao.test/q/congan/"),
        ("to-roi/ong-ba/ap-phich/man-hinh.png", "https://canhbao.test/q/ongba/"),
    ] {
        let card = image::open(site.path(file)).unwrap().to_luma8();
        assert_eq!(card.dimensions(), (1920, 1080), "{file}");
        let photo = photo_at(&card, 5.0);
        assert_eq!(photo.width(), 1143, "the screen spans 1143 px of the photo");
        assert_eq!(decode(photo), [url], "{file} at 5 m");
    }
}

#[test]
fn a_handbook_has_a_cover_contents_chapters_with_qr_codes_and_a_back_cover() {
    // issue 14
    let site = TestSite::new("present");
    site.build();
    let html = site.html("cam-nang/cam-nang/index.html");
    assert_eq!(text(one(&html, ".cover h1")), "Cẩm nang thử");
    assert_eq!(text(one(&html, ".cover .issuer")), "Công an thành phố thử");
    assert_eq!(select(&html, ".cover .emblem").len(), 1);
    assert_eq!(texts(&html, ".toc .t"), ["1. Giả danh công an gọi điện"]);
    assert_eq!(text(one(&html, "h1.chapter")), "Giả danh công an gọi điện");
    assert_eq!(text(one(&html, ".intro")), "Chương về cuộc gọi giả danh công an.");
    // The chapter keeps the article's order: its sections, list, table.
    assert_eq!(texts(&html, "[data-part=chapter] h2"), ["Thủ đoạn", "Dấu hiệu nhận biết", "Nếu đã bị lừa"]);
    assert_eq!(select(&html, "[data-part=chapter] ol li").len(), 8);
    assert_eq!(select(&html, "[data-part=chapter] table tbody tr").len(), 3);
    let qr = one(&html, ".read-more .qr svg").html();
    assert_eq!(decode_svg(&qr), ["https://canhbao.test/q/congan/"]);
    assert_eq!(attrs(&html, ".back .hotline a", "href"), ["tel:113"]);
    // The imposed version is the same booklet, marked to be laid out two pages a side.
    let imposed = site.html("cam-nang/cam-nang/in-ghep/index.html");
    assert!(one(&imposed, "html").value().attr("class").unwrap().contains("impose"));
    assert_eq!(texts(&imposed, "h1.chapter"), ["Giả danh công an gọi điện"]);
}

#[test]
fn decks_are_self_contained_for_a_usb_stick() {
    // issue 14: works offline from a file, nothing from another host
    let site = TestSite::new("present");
    site.build();
    for deck in [ARTICLE_DECK, HAND_DECK] {
        let html = site.html(deck);
        assert!(select(&html, "link[rel=stylesheet], script[src], img, iframe").is_empty(), "{deck}");
        assert_eq!(select(&html, "style").len(), 1, "{deck}: inline CSS");
        assert_eq!(select(&html, "body script").len(), 1, "{deck}: inline script");
        for href in attrs(&html, "[href]", "href") {
            assert!(href.starts_with("tel:") || href.starts_with("https://canhbao.test/"), "{deck}: {href}");
        }
        // Text is never drawn with an inline size of its own: the theme's sizes apply.
        assert!(select(&html, "section.slide [style]").is_empty(), "{deck}");
    }
}

#[test]
fn a_hand_written_deck_has_its_own_slides_then_those_of_its_articles() {
    // issue 14
    let site = TestSite::new("present");
    site.build();
    let html = site.html(HAND_DECK);
    assert_eq!(
        kinds(&html),
        ["title", "bullets", "part", "bullets", "bullets", "table", "bullets", "closing"],
        "own title and section, then a divider and the article's slides"
    );
    assert_eq!(text(one(&html, ".slide-title h1")), "Buổi nói chuyện ở tổ dân phố");
    assert_eq!(text(one(&html, ".slide-title .subtitle")), "Dành cho: Người cao tuổi");
    assert_eq!(texts(&html, "#trang-2 li").len(), 3);
    assert!(text(one(&html, r#".notes[data-for="trang-2"]"#)).contains("ghi lại số đường dây nóng"));
    assert_eq!(text(one(&html, ".slide-part h2")), "Giả danh công an gọi điện");
    // `notes_pages: true`: the PDF has a notes page after each slide.
    assert!(one(&html, "html").value().attr("data-notes-pages").is_some());
    let article = site.html(ARTICLE_DECK);
    assert!(one(&article, "html").value().attr("data-notes-pages").is_none());
}

#[test]
fn deck_errors_name_the_file_and_line() {
    // issue 14
    let site = TestSite::new("present");
    site.write("content/slides/sai.md", "---\ntitle: \"Sai\"\narticles:\n  - ../articles/khong-co.md\n---\n");
    site.write(
        "content/slides/url.md",
        "---\ntitle: \"Url\"\narticles:\n  - ../articles/gia-danh-cong-an.md\n  - https://example.com/\n---\n",
    );
    site.write("content/slides/thua.md", "---\ntitle: \"Thừa\"\narticle: []\n---\n");
    let stderr = site.check_fails();
    assert!(stderr.contains("content/slides/sai.md:4:5"), "{stderr}");
    assert!(stderr.contains("draws on `content/articles/khong-co.md`, which is not an article"), "{stderr}");
    assert!(stderr.contains("content/slides/url.md:5:5"), "{stderr}");
    assert!(stderr.contains("`https://example.com/` in `articles:` is not a Markdown file"), "{stderr}");
    assert!(stderr.contains("content/slides/thua.md:3"), "{stderr}");
}

#[test]
fn a_deck_cannot_take_the_url_of_another() {
    // issue 14: two decks with one slug are one error naming both files
    let site = TestSite::new("present");
    site.write("content/slides/khac.md", "---\ntitle: \"Khác\"\nslug: buoi-noi-chuyen\n---\n");
    let stderr = site.check_fails();
    assert!(stderr.contains("/trinh-chieu/buoi-noi-chuyen/"), "{stderr}");
    assert!(
        stderr.contains("content/slides/khac.md") && stderr.contains("content/slides/buoi-noi-chuyen.md"),
        "{stderr}"
    );
}

// ---- Printing: Chromium and poppler-utils are installed by scripts/install-test-deps.sh. ----

/// Pages and page size (in points) of a PDF.
fn pdf_info(pdf: &Path) -> (usize, f64, f64) {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let pages = text.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = text.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap();
    let nums: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    (pages, nums[0], nums[1])
}

/// Rasterises page `page` (1-based) of a PDF at `dpi` in grey.
fn raster(pdf: &Path, page: usize, dpi: u32) -> image::GrayImage {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let n = page.to_string();
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile", "-f", &n, "-l", &n])
        .arg(pdf)
        .arg(&prefix)
        .status();
    assert!(status.expect("pdftoppm (poppler-utils) must be installed").success());
    image::open(dir.path().join("page.png")).unwrap().to_luma8()
}

#[test]
fn with_pdf_every_deck_prints_one_slide_a_page_and_its_qr_code_scans() {
    // issue 14
    let site = TestSite::new("present");
    let output = site.cmd().arg("--pdf").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let pdf = site.path("canh-bao/gia-danh-cong-an/trinh-chieu/gia-danh-cong-an.pdf");
    let slides = select(&site.html(ARTICLE_DECK), "section.slide").len();
    let (pages, w, h) = pdf_info(&pdf);
    assert_eq!(pages, slides);
    // 1280×720 CSS pixels: 960×540 pt, 16:9.
    assert!((w - 960.0).abs() < 1.0 && (h - 540.0).abs() < 1.0, "{w}×{h} pt");
    // The closing slide, seen at a projector's 1280 px width (96 dpi), scans.
    assert_eq!(decode(raster(&pdf, pages, 96)), ["https://canhbao.test/q/congan/"]);
    // The title slide is not blank.
    let first = raster(&pdf, 1, 48);
    assert!(first.pixels().filter(|p| p.0[0] < 128).count() > 500);
    // The hand-written deck asked for notes pages: one after every slide.
    let hand = site.path("trinh-chieu/buoi-noi-chuyen/buoi-noi-chuyen.pdf");
    let slides = select(&site.html(HAND_DECK), "section.slide").len();
    assert_eq!(pdf_info(&hand).0, 2 * slides);
    // The posters: one A3 page (297×420 mm), the QR code at least 60 mm wide on paper, scanning.
    for (poster, url) in [
        ("canh-bao/gia-danh-cong-an/ap-phich/gia-danh-cong-an-a3.pdf", "https://canhbao.test/q/congan/"),
        ("to-roi/ong-ba/ap-phich/ong-ba-a3.pdf", "https://canhbao.test/q/ongba/"),
    ] {
        let pdf = site.path(poster);
        let (pages, w, h) = pdf_info(&pdf);
        let mm = |pt: f64| pt * 25.4 / 72.0;
        assert_eq!(pages, 1, "{poster}");
        assert!((mm(w) - 297.0).abs() < 1.0 && (mm(h) - 420.0).abs() < 1.0, "{poster}: {w}×{h} pt");
        let page = raster(&pdf, 1, 100);
        let mut prepared = rqrr::PreparedImage::prepare(page);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "{poster}");
        assert_eq!(grids[0].decode().unwrap().1, url);
        // The symbol itself (without its quiet zone) is at least 60 mm wide at 100 dpi.
        let b = grids[0].bounds;
        let width_px = ((b[1].x - b[0].x) as f64).hypot((b[1].y - b[0].y) as f64);
        assert!(width_px / 100.0 * 25.4 >= 60.0, "{poster}: QR {:.1} mm", width_px / 100.0 * 25.4);
    }
    // The handbook: A5, a multiple of 4 pages, every QR code scanning, the contents right.
    let reading = site.path("cam-nang/cam-nang/cam-nang.pdf");
    let (n, w, h) = pdf_info(&reading);
    assert!(n >= 8 && n % 4 == 0, "{n} pages");
    assert!((w - 419.5).abs() < 1.5 && (h - 595.3).abs() < 1.5, "A5: {w}×{h} pt");
    let mut codes: Vec<String> = (1..=n).flat_map(|p| decode(raster(&reading, p, 200))).collect();
    codes.sort();
    assert_eq!(codes, ["https://canhbao.test/", "https://canhbao.test/q/congan/"]);
    let page_text = |pdf: &Path, page: usize, crop: Option<(u32, u32)>| {
        let p = page.to_string();
        let mut cmd = Command::new("pdftotext");
        cmd.args(["-f", &p, "-l", &p]);
        if let Some((x, w)) = crop {
            cmd.args(["-x", &x.to_string(), "-y", "0", "-W", &w.to_string(), "-H", "600"]);
        }
        let out = cmd.arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
        String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let reading_pages: Vec<String> = (1..=n).map(|p| page_text(&reading, p, None)).collect();
    let chapter = reading_pages.iter().position(|t| t.contains("CHƯƠNG 1")).unwrap() + 1;
    let toc = reading_pages.iter().find(|t| t.starts_with("Mục lục")).unwrap();
    assert!(toc.contains(&format!("1. Giả danh công an gọi điện {chapter}")), "{toc}");
    assert!(reading_pages[chapter].ends_with(&(chapter + 1).to_string()), "page numbers: {}", reading_pages[chapter]);
    // The imposed version: half as many A4 landscape sides, each half the right reading page.
    let imposed = site.path("cam-nang/cam-nang/in-ghep/cam-nang-in-ghep.pdf");
    let (sides, w, h) = pdf_info(&imposed);
    assert_eq!(sides, n / 2);
    assert!((w - 841.9).abs() < 1.5 && (h - 595.3).abs() < 1.5, "A4 landscape: {w}×{h} pt");
    for (sheet, order) in canhbao::present::handbook::imposition(n).iter().enumerate() {
        for (side, [left, right]) in [[order[0], order[1]], [order[2], order[3]]].into_iter().enumerate() {
            let at = 2 * sheet + side + 1;
            assert_eq!(
                page_text(&imposed, at, Some((0, 421))),
                reading_pages[left - 1],
                "side {at}, left: page {left}"
            );
            assert_eq!(
                page_text(&imposed, at, Some((421, 421))),
                reading_pages[right - 1],
                "side {at}, right: page {right}"
            );
        }
    }
    // The deck links its PDF.
    assert_eq!(
        attrs(&site.html(ARTICLE_DECK), ".deck-help a", "href"),
        ["/canh-bao/gia-danh-cong-an/trinh-chieu/gia-danh-cong-an.pdf"]
    );
}

#[test]
fn a_slide_whose_text_does_not_fit_fails_the_pdf_build() {
    // issue 14: text is never shrunk; what cannot be split is refused, naming the slide
    let site = TestSite::new("present");
    let cell = "Kẻ gian nói rất dài ".repeat(60);
    site.write(
        "content/articles/dai.md",
        format!("---\ntitle: \"Dài\"\ndate: 2025-01-01\n---\n## Bảng\n\n| Lời kẻ gian nói | Sự thật |\n|---|---|\n| {cell} | Không. |\n"),
    );
    let output = site.cmd().arg("--pdf").env("LC_ALL", "C").env("NO_COLOR", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("content/articles/dai.md"), "{stderr}");
    assert!(stderr.contains("the text of these slides does not fit (it is never made smaller): trang-2"), "{stderr}");
}

/// The cache entries of a site, by kind (`.canhbao-cache/<kind>/…`).
fn cache_entries(root: &Path) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut entries = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
    let cache = root.join(".canhbao-cache");
    for (file, _) in common::snapshot(&cache) {
        let (kind, rest) = file.split_once('/').unwrap_or(("", &file));
        entries.entry(kind.to_string()).or_default().insert(rest.to_string());
    }
    entries
}

#[test]
fn screen_cards_and_posters_show_the_published_address_whatever_the_base_url_issue_10() {
    // Issue 10: a preview or staging build (`serve`, `--base-url`) draws no screen card again; the
    // card and the poster lead to the published site.
    let site = TestSite::new("present");
    site.build();
    let before = cache_entries(&site.root);
    assert!(before.get("screen-card").is_some_and(|c| c.len() == 2), "{before:?}");
    for base in ["http://localhost:1111", "https://staging.example.org/thu"] {
        let out = site.dir.join("staging");
        site.cmd_to(&out).arg("--base-url").arg(base).arg("--force").assert().success();
        let after = cache_entries(&site.root);
        let none = Default::default();
        for (kind, files) in &after {
            let new: Vec<&String> = files.difference(before.get(kind).unwrap_or(&none)).collect();
            // Only the QR codes beside the pages (their links are on the preview host) are new.
            assert!(new.is_empty() || kind == "qr-svg" || kind == "qr-png", "{base}: new {kind} entries {new:?}");
        }
        for (file, url) in [
            // The article's printed short link (issue 14), the leaflet's short link.
            ("canh-bao/gia-danh-cong-an/ap-phich/man-hinh.png", "https://canhbao.test/q/congan/"),
            ("to-roi/ong-ba/ap-phich/man-hinh.png", "https://canhbao.test/q/ongba/"),
        ] {
            let card = image::open(out.join(file)).unwrap().to_luma8();
            assert_eq!(decode(card), [url], "{base}: {file}");
        }
        let poster = scraper::Html::parse_document(
            &std::fs::read_to_string(out.join("canh-bao/gia-danh-cong-an/ap-phich/index.html")).unwrap(),
        );
        assert_eq!(decode_svg(&one(&poster, ".qr svg").html()), ["https://canhbao.test/q/congan/"]);
        assert_eq!(text(one(&poster, ".link")), "canhbao.test/q/congan");
        // The page's own links stay on the build's host.
        let own = one(&poster, "link[rel=canonical]").value().attr("href").unwrap_or_default().to_string();
        assert!(own.starts_with(base), "{base}: {own}");
    }
}
