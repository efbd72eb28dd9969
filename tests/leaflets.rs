//! Leaflets, QR codes, short links and the printed-URL registry (issue: printable leaflets with
//! QR codes that scan from paper, and URLs that never die). Every QR code is decoded with an
//! independent decoder (rqrr); print tests need Chromium and poppler-utils (pdfinfo, pdftoppm).

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, attrs, one, select, text};

/// Decodes the one QR code in a grey image.
fn decode(image: image::GrayImage) -> Vec<(String, usize)> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok())
        .map(|(meta, content)| (content, meta.version.0))
        .collect()
}

fn decode_png(bytes: &[u8]) -> String {
    let image = image::load_from_memory(bytes).expect("PNG").to_luma8();
    let found = decode(image);
    assert_eq!(found.len(), 1, "exactly one QR code expected");
    found[0].0.clone()
}

/// Rasterises an SVG (resvg) at 8 pixels a module, on white, and decodes it.
fn decode_svg(svg: &str) -> (String, usize) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = tree.size();
    let scale = 8.0;
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new((size.width() * scale) as u32, (size.height() * scale) as u32).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let rgba = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec()).unwrap();
    let found = decode(image::DynamicImage::ImageRgba8(rgba).to_luma8());
    assert_eq!(found.len(), 1, "exactly one QR code expected");
    found[0].clone()
}

/// The redirect target of a short-link page (its meta refresh).
fn refresh_target(html: &scraper::Html) -> String {
    let content = one(html, r#"meta[http-equiv="refresh"]"#).value().attr("content").unwrap().to_string();
    content.split_once("url=").expect("url= in refresh").1.to_string()
}

/// The short link printed on a print page, read from its QR code.
fn printed_url(site: &TestSite, page_dir: &str) -> String {
    decode_png(&std::fs::read(site.path(&format!("{page_dir}qr-in.png"))).unwrap())
}

#[test]
fn every_qr_code_decodes_to_its_url() {
    let site = TestSite::new("leaflets");
    site.build();
    let article = "https://canhbao.test/canh-bao/gia-danh-cong-an/";
    assert_eq!(decode_png(&std::fs::read(site.path("canh-bao/gia-danh-cong-an/qr.png")).unwrap()), article);
    assert_eq!(decode_svg(&site.read("canh-bao/gia-danh-cong-an/qr.svg")).0, article);
    assert_eq!(
        decode_png(&std::fs::read(site.path("to-roi/ong-ba/qr.png")).unwrap()),
        "https://canhbao.test/to-roi/ong-ba/"
    );
    for page in ["to-roi/ong-ba/", "to-roi/ong-ba/phuong-1/", "to-roi/ong-ba/phuong-2/"] {
        let printed = printed_url(&site, page);
        assert!(printed.starts_with("https://canhbao.test/q/"), "{printed}");
        let (from_svg, version) = decode_svg(&site.read(&format!("{page}qr-in.svg")));
        assert_eq!(from_svg, printed);
        assert!(version <= 4, "printed code is version {version}, over 4");
        // The print page shows the same code inline and says its URL.
        let html = site.html(&format!("{page}index.html"));
        let inline = one(&html, ".qr svg").html();
        assert_eq!(decode_svg(&inline).0, printed);
        // Issue 11: the address is printed without its scheme.
        let address = one(&html, ".short-url").text().collect::<String>();
        assert_eq!(address, printed.strip_prefix("https://").unwrap());
    }
    let article_html = site.html("canh-bao/gia-danh-cong-an/index.html");
    assert_eq!(attrs(&article_html, ".qr-share img", "src"), ["qr.svg"]);
    assert_eq!(attrs(&article_html, ".qr-share a", "href"), ["qr.png"]);
}

#[test]
fn short_links_redirect_to_the_article_with_the_variant_tag() {
    let site = TestSite::new("leaflets");
    site.build();
    let mut codes = Vec::new();
    for (page, tag) in
        [("to-roi/ong-ba/", "ong-ba"), ("to-roi/ong-ba/phuong-1/", "phuong-1"), ("to-roi/ong-ba/phuong-2/", "phuong-2")]
    {
        let printed = printed_url(&site, page);
        let path = printed.strip_prefix("https://canhbao.test").unwrap();
        codes.push(path.to_string());
        let redirect = site.html(&common::file_of(path));
        let target = refresh_target(&redirect);
        assert_eq!(target, format!("https://canhbao.test/canh-bao/gia-danh-cong-an/?src={tag}"));
        assert_eq!(
            attrs(&redirect, r#"link[rel="canonical"]"#, "href"),
            ["https://canhbao.test/canh-bao/gia-danh-cong-an/"]
        );
        // The redirect reaches a page that exists.
        let article_path = target.strip_prefix("https://canhbao.test").unwrap().split('?').next().unwrap();
        assert!(site.exists(&common::file_of(article_path)), "{article_path}");
    }
    codes.sort();
    codes.dedup();
    assert_eq!(codes.len(), 3, "each variant has its own short link");
}

#[test]
fn the_registry_records_printed_urls_and_renaming_the_article_keeps_them_working() {
    let site = TestSite::new("leaflets");
    site.build();
    let registry = std::fs::read_to_string(site.root.join("printed-urls.txt")).unwrap();
    // The leaflet's prints (issue 14 adds the article's short link and the SMS short links).
    let leaflet_prints = |l: &&str| l.contains(" # content/leaflets/") && !l.ends_with(" (SMS)");
    let urls: Vec<&str> = registry.lines().filter(leaflet_prints).map(|l| l.split(" #").next().unwrap()).collect();
    assert_eq!(urls.len(), 3);
    let mut sorted = urls.clone();
    sorted.sort();
    assert_eq!(urls, sorted, "one URL a line, sorted");
    assert!(registry.contains(" # content/leaflets/ong-ba.md (variant phuong-1)\n"));

    // Rename the article: the printed short links follow it. (Its old address as an alias keeps
    // the article's own short links, issue 14.)
    site.write(
        "content/articles/gia-danh-cong-an.md",
        "---\ntitle: \"Giả danh công an gọi điện\"\ndate: 2024-05-08\nslug: cuoc-goi-gia-danh\naliases: [/canh-bao/gia-danh-cong-an/]\n---\nNội dung.\n",
    );
    site.build();
    for url in &urls {
        let path = url.strip_prefix("https://canhbao.test").unwrap();
        let target = refresh_target(&site.html(&common::file_of(path)));
        assert!(target.starts_with("https://canhbao.test/canh-bao/cuoc-goi-gia-danh/?src="), "{target}");
        assert!(site.exists("canh-bao/cuoc-goi-gia-danh/index.html"));
    }
    let after = std::fs::read_to_string(site.root.join("printed-urls.txt")).unwrap();
    assert!(registry.lines().all(|l| after.lines().any(|a| a == l)), "every line is kept:\n{after}");
    assert_eq!(after.lines().filter(leaflet_prints).count(), 3, "no new leaflet print to record");
}

#[test]
fn removing_a_printed_leaflet_fails_naming_the_url_and_keeps_the_output() {
    let site = TestSite::new("leaflets");
    site.build();
    let before = site.output();
    let registry = std::fs::read_to_string(site.root.join("printed-urls.txt")).unwrap();
    let variant_url = registry.lines().find(|l| l.contains("variant phuong-2")).unwrap().split(" #").next().unwrap();
    // Drop one variant: its printed URL must still resolve.
    site.write(
        "content/leaflets/ong-ba.md",
        "---\ntitle: \"Ông bà\"\npaper: A5\nlayout: single\ntarget: ../articles/gia-danh-cong-an.md\nvariants:\n  - { id: phuong-1, label: \"Phường 1\" }\n---\nChữ.\n",
    );
    let stderr = site.fail();
    assert!(
        stderr.contains(&format!(
            "printed-urls.txt:5:1: printed URL `{variant_url}` (printed on content/leaflets/ong-ba.md (variant phuong-2)) no longer resolves"
        )),
        "{stderr}"
    );
    assert_eq!(site.output(), before, "the failed build left the output as it was");
    // Remove the whole leaflet: all three URLs are reported, and its SMS short link (issue 14).
    std::fs::remove_file(site.root.join("content/leaflets/ong-ba.md")).unwrap();
    let stderr = site.fail();
    assert_eq!(stderr.matches("no longer resolves").count(), 4, "{stderr}");
    assert_eq!(stderr.matches("(printed on content/leaflets/ong-ba.md (SMS))").count(), 1, "{stderr}");
    // A build for another host (a preview) does not write the registry, but still checks it.
    assert_eq!(std::fs::read_to_string(site.root.join("printed-urls.txt")).unwrap(), registry);
}

#[test]
fn leaflet_errors_name_the_file_and_line() {
    let site = TestSite::new("leaflets");
    site.write(
        "content/leaflets/sai.md",
        "---\ntitle: \"Sai\"\npaper: A3\nlayout: single\ntarget: ../articles/khong-co.md\n---\n",
    );
    let stderr = site.fail();
    assert!(stderr.contains("content/leaflets/sai.md:3:8: unknown variant `A3`, expected one of A4, A5"), "{stderr}");
    site.write(
        "content/leaflets/sai.md",
        "---\ntitle: \"Sai\"\npaper: A5\nlayout: trifold\ntarget: ../articles/khong-co.md\nvariants:\n  - { id: \"Phường 1\", label: x }\n---\n",
    );
    let stderr = site.fail();
    assert!(stderr.contains("content/leaflets/sai.md: a trifold leaflet is printed on A4 landscape"), "{stderr}");
    assert!(
        stderr.contains("content/leaflets/sai.md:7:11: variant id `Phường 1` must be lower-case letters"),
        "{stderr}"
    );
    site.write(
        "content/leaflets/sai.md",
        "---\ntitle: \"Sai\"\npaper: A5\nlayout: single\ntarget: ../articles/khong-co.md\n---\n",
    );
    let stderr = site.fail();
    assert!(
        stderr.contains("content/leaflets/sai.md:5:9: target `content/articles/khong-co.md` does not exist"),
        "{stderr}"
    );
}

#[test]
fn leaflets_index_lists_print_pages_and_variants() {
    let site = TestSite::new("leaflets");
    site.build();
    let html = site.html("to-roi/index.html");
    let links = attrs(&html, ".leaflet-item a", "href");
    assert!(links.contains(&"/to-roi/ong-ba/".to_string()), "{links:?}");
    assert!(links.contains(&"/to-roi/ong-ba/phuong-1/".to_string()));
    assert!(links.contains(&"/to-roi/ong-ba/phuong-2/".to_string()));
    assert!(one(&html, ".leaflet-item .meta").text().collect::<String>().contains("A5, một mặt"));
    // Issue 11: the preview is the print page without its toolbar (`#xem-truoc`).
    assert_eq!(attrs(&html, ".leaflet-preview iframe", "src"), ["/to-roi/ong-ba/#xem-truoc"]);
}

// ---- Printing: Chromium and poppler-utils are installed by scripts/install-test-deps.sh. ----

fn pdf_info(pdf: &Path) -> (usize, f64, f64) {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) must be installed");
    let text = String::from_utf8_lossy(&out.stdout);
    let pages = text.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    let size = text.lines().find_map(|l| l.strip_prefix("Page size:")).unwrap();
    let nums: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    let mm = |pt: f64| pt * 25.4 / 72.0;
    (pages, mm(nums[0]), mm(nums[1]))
}

/// Renders every page of a PDF at 150 dpi (as a phone sees paper) and decodes the QR codes.
fn qr_codes_on_paper(pdf: &Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let status = Command::new("pdftoppm").args(["-r", "150", "-gray", "-png"]).arg(pdf).arg(&prefix).status();
    assert!(status.expect("pdftoppm (poppler-utils) must be installed").success());
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let image = image::open(entry.unwrap().path()).unwrap().to_luma8();
        found.extend(decode(image).into_iter().map(|(url, _)| url));
    }
    found
}

/// The example site built once with `--pdf` (a minute of Chromium), then checked twice.
#[test]
fn example_leaflets_printed_with_pdf() {
    let out = tempfile::tempdir().unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["build", "--pdf", "--root", common::REPO, "--output"])
        .arg(out.path().join("public"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("Chromium was not found"), "Chromium must be installed for the print tests: {stderr}");
    let public = out.path().join("public");
    print_on_the_right_paper_and_their_qr_codes_scan_from_paper(&public);
    issue_11_fill_their_paper_and_survive_a_photocopy(&public);
}

/// The example leaflets print on the right paper and their QR codes scan from paper.
fn print_on_the_right_paper_and_their_qr_codes_scan_from_paper(public: &Path) {
    // (print page, pdf, expected pages, width mm, height mm)
    let expected = [
        ("to-roi/10-thu-doan-lua-dao/", "10-thu-doan-lua-dao.pdf", 1, 210.0, 297.0),
        ("to-roi/10-thu-doan-lua-dao/phuong-ben-nghe/", "10-thu-doan-lua-dao-phuong-ben-nghe.pdf", 1, 210.0, 297.0),
        ("to-roi/canh-bao-nguoi-cao-tuoi/", "canh-bao-nguoi-cao-tuoi.pdf", 2, 148.0, 210.0),
        ("to-roi/cong-nhan-khu-cong-nghiep/", "cong-nhan-khu-cong-nghiep.pdf", 2, 297.0, 210.0),
        (
            "to-roi/cong-nhan-khu-cong-nghiep/kcn-tan-binh/",
            "cong-nhan-khu-cong-nghiep-kcn-tan-binh.pdf",
            2,
            297.0,
            210.0,
        ),
    ];
    for (page, pdf, pages, w, h) in expected {
        let pdf = public.join(page).join(pdf);
        let (n, width, height) = pdf_info(&pdf);
        assert_eq!(n, pages, "{}", pdf.display());
        assert!((width - w).abs() < 1.0 && (height - h).abs() < 1.0, "{}: {width:.1}×{height:.1} mm", pdf.display());
        let printed = decode_png(&std::fs::read(public.join(page).join("qr-in.png")).unwrap());
        assert_eq!(qr_codes_on_paper(&pdf), [printed], "{}", pdf.display());
    }
    // The leaflets index links every PDF.
    let index = scraper::Html::parse_document(&std::fs::read_to_string(public.join("to-roi/index.html")).unwrap());
    let pdf_links: Vec<String> =
        attrs(&index, ".leaflet-item a", "href").into_iter().filter(|h| h.ends_with(".pdf")).collect();
    assert_eq!(pdf_links.len(), 7, "{pdf_links:?}");
}

#[test]
fn a_leaflet_that_does_not_fit_fails_the_pdf_build() {
    let site = TestSite::new("leaflets");
    site.build();
    let before = site.output();
    let long: String = (1..=60).map(|i| format!("- Dòng cảnh báo số {i}: không chuyển tiền cho người lạ.\n")).collect();
    site.write(
        "content/leaflets/ong-ba.md",
        format!(
            "---\ntitle: \"Ông bà\"\npaper: A5\nlayout: single\ntarget: ../articles/gia-danh-cong-an.md\nvariants:\n  - {{ id: phuong-1, label: \"P1\" }}\n  - {{ id: phuong-2, label: \"P2\" }}\n---\n## Dài quá\n\n{long}"
        ),
    );
    // Without Chromium's measurement, an estimate warns and the build goes on.
    let output = site.cmd_to(&site.dir.join("preview")).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("warning: content/leaflets/ong-ba.md: the leaflet probably does not fit on A5, một mặt"),
        "{stderr}"
    );
    let output = site.cmd().arg("--pdf").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    // Issue 11: the type shrinks first; only what does not fit at the smallest size is refused.
    assert!(
        stderr.contains(
            "content/leaflets/ong-ba.md: the leaflet does not fit on A5, một mặt even at the smallest type (10 pt): \
             too much content in noi-dung"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("the leaflet (variant phuong-1) does not fit"), "{stderr}");
    assert_eq!(site.output(), before);
    // `check --pdf` reports it too, and writes nothing.
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["check", "--pdf", "--root"])
        .arg(&site.root)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("does not fit on A5, một mặt even at the smallest type (10 pt)"), "{stderr}");
    assert_eq!(site.output(), before);
}

#[test]
fn without_chromium_the_build_says_so_and_builds_the_rest() {
    let site = TestSite::new("leaflets");
    let empty = tempfile::tempdir().unwrap();
    let output = site.cmd().arg("--pdf").env("PATH", empty.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning: Chromium was not found, so the leaflets were not printed to PDF"), "{stderr}");
    assert!(site.exists("to-roi/ong-ba/index.html"));
    assert!(!site.exists("to-roi/ong-ba/ong-ba.pdf"));
    // An explicit --chromium that does not exist is an error.
    let output = site.cmd().args(["--pdf", "--chromium", "/khong/co/chromium"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--chromium `/khong/co/chromium` does not exist"));
}

#[test]
fn bleed_adds_three_millimetres_on_every_side() {
    let site = TestSite::new("leaflets");
    let source = std::fs::read_to_string(site.root.join("content/leaflets/ong-ba.md")).unwrap();
    site.write("content/leaflets/ong-ba.md", source.replacen("layout: single\n", "layout: single\nbleed: true\n", 1));
    site.build();
    let page = site.read("to-roi/ong-ba/index.html");
    assert!(page.contains("@page { size: 154mm 216mm; margin: 0; }"), "A5 148×210 plus 2×3 mm");
    assert!(page.contains("--bleed: 3mm;"));
}

// ---- Issue 11: leaflets that fill the paper, name their issuer and survive a photocopy ----

const ISSUER: &str = "issuer:\n  name: \"Công an phường Thử\"\n  logo: /anh/huy-hieu.svg\n  contact: \"Số 1 đường Thử · 028 0000 0000\"\n";
const EMBLEM: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4" fill="#a1001a"/></svg>"##;

/// The fixture's site.yaml with `extra` appended.
fn with_config(site: &TestSite, extra: &str) {
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}{extra}"));
}

#[test]
fn issue_11_every_print_page_names_the_issuer_with_its_logo() {
    let site = TestSite::new("leaflets");
    with_config(&site, ISSUER);
    site.write("static/anh/huy-hieu.svg", EMBLEM);
    site.build();
    for page in ["to-roi/ong-ba/", "to-roi/ong-ba/phuong-1/"] {
        let html = site.html(&format!("{page}index.html"));
        assert_eq!(text(one(&html, ".masthead .issuer strong")), "Công an phường Thử");
        assert_eq!(text(one(&html, ".masthead .issuer-contact")), "Số 1 đường Thử · 028 0000 0000");
        // The logo is linked relative to the page, so the page prints the same from a file.
        let src = attrs(&html, ".masthead .issuer img", "src");
        assert_eq!(src.len(), 1);
        assert!(src[0].starts_with("../"), "{src:?}");
        let logo = site.out.join(page).join(&src[0]);
        assert_eq!(std::fs::read_to_string(&logo).unwrap(), EMBLEM, "{}", logo.display());
    }
    // Without `issuer:`, the organisation is the issuer (no logo).
    let site = TestSite::new("leaflets");
    with_config(&site, "organisation: \"Công an quận Thử\"\n");
    site.build();
    let html = site.html("to-roi/ong-ba/index.html");
    assert_eq!(text(one(&html, ".masthead .issuer strong")), "Công an quận Thử");
    assert!(select(&html, ".masthead .issuer img").is_empty());
}

#[test]
fn issue_11_a_bad_issuer_logo_is_reported_at_its_line() {
    let site = TestSite::new("leaflets");
    with_config(&site, ISSUER);
    let stderr = site.fail();
    assert!(
        stderr.contains("site.yaml:15:9: issuer logo `/anh/huy-hieu.svg` not found: no file `static/anh/huy-hieu.svg`"),
        "{stderr}"
    );
    assert!(stderr.contains("logo: /huy-hieu.svg"), "the help shows how: {stderr}");
    for (logo, column) in [("https://example.com/logo.png", 9), ("../huy-hieu.svg", 9), ("/../../etc/passwd", 9)] {
        let site = TestSite::new("leaflets");
        with_config(&site, &format!("issuer:\n  name: \"X\"\n  logo: \"{logo}\"\n"));
        let stderr = site.fail();
        assert!(
            stderr.contains(&format!(
                "site.yaml:15:{column}: issuer logo `{logo}` must be a file of static/, written from there with a leading `/`"
            )),
            "{logo}: {stderr}"
        );
    }
    let site = TestSite::new("leaflets");
    with_config(&site, "issuer:\n  name: \" \"\n");
    assert!(site.fail().contains("site.yaml: `issuer.name` is empty"));
}

#[test]
fn issue_11_type_bounds_are_larger_for_the_elderly() {
    let site = TestSite::new("leaflets");
    site.build();
    // The fixture's leaflet is for `nguoi-cao-tuoi`: large type.
    let html = site.html("to-roi/ong-ba/index.html");
    let root = one(&html, "html");
    assert_eq!(root.value().attr("data-type-min"), Some("13.0"));
    assert_eq!(root.value().attr("data-type-max"), Some("24.0"));
    assert!(site.read("to-roi/ong-ba/index.html").contains("--type: 14.0pt;"), "the size without JavaScript");
    // An audience can say otherwise.
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config.replace("    name: \"Người cao tuổi\"\n", "    name: \"Người cao tuổi\"\n    large_type: false\n"),
    );
    site.build();
    let html = site.html("to-roi/ong-ba/index.html");
    assert_eq!(one(&html, "html").value().attr("data-type-min"), Some("10.0"));
    assert_eq!(one(&html, "html").value().attr("data-type-max"), Some("20.0"));
}

#[test]
fn issue_11_the_print_page_says_how_to_print_and_has_a_favicon() {
    let site = TestSite::new("leaflets");
    site.build();
    let html = site.html("to-roi/ong-ba/index.html");
    let howto = text(one(&html, ".toolbar .how-to-print"));
    assert!(howto.contains("Giấy A5 (148 × 210 mm, đặt dọc)"), "{howto}");
    assert!(howto.contains("In một mặt"), "{howto}");
    assert!(howto.contains("Tỷ lệ 100 %"), "{howto}");
    assert_eq!(attrs(&html, "link[rel=icon]", "href"), ["/favicon.svg"]);
    assert!(select(&html, ".fold-mark").is_empty(), "no fold marks on a single sheet");
    let source = std::fs::read_to_string(site.root.join("content/leaflets/ong-ba.md")).unwrap();
    site.write("content/leaflets/ong-ba.md", source.replacen("layout: single", "layout: duplex", 1));
    site.build();
    let howto = text(one(&site.html("to-roi/ong-ba/index.html"), ".how-to-print"));
    assert!(howto.contains("In hai mặt, lật theo cạnh dài"), "{howto}");
    let source = source.replacen("layout: single", "layout: trifold", 1).replacen("paper: A5", "paper: A4", 1);
    site.write("content/leaflets/ong-ba.md", source);
    site.build();
    let html = site.html("to-roi/ong-ba/index.html");
    let howto = text(one(&html, ".how-to-print"));
    assert!(howto.contains("Giấy A4 (297 × 210 mm, đặt ngang)"), "{howto}");
    assert!(howto.contains("In hai mặt, lật theo cạnh ngắn"), "{howto}");
    assert!(howto.contains("Gấp làm ba theo các vạch"), "{howto}");
    assert_eq!(select(&html, ".sheet .fold-mark").len(), 4, "two folds on each side");
}

#[test]
fn issue_11_an_address_that_cannot_fit_one_line_is_refused() {
    let site = TestSite::new("leaflets");
    let config = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    // A 56-character host: the QR code still fits (version 6), the address (65 characters) does not.
    let long = "https://canh-bao-lua-dao-cong-an-thanh-pho-thu-nghiem.example.vn";
    site.write("site.yaml", config.replace("https://canhbao.test", long));
    let stderr = site.fail();
    assert!(
        stderr.contains(
            "content/leaflets/ong-ba.md: the short address `canh-bao-lua-dao-cong-an-thanh-pho-thu-nghiem.example.vn/q/"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("does not fit on one line of A5, một mặt at 11 pt"), "{stderr}");
    assert!(stderr.contains("shorten `base_url`"), "{stderr}");
}

/// One page of a PDF rasterised in grey at `dpi`.
fn raster(pdf: &Path, page: usize, dpi: u32) -> image::GrayImage {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let page = page.to_string();
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-png", "-singlefile", "-f", &page, "-l", &page])
        .arg(pdf)
        .arg(&prefix)
        .status();
    assert!(status.expect("pdftoppm (poppler-utils) must be installed").success());
    image::open(dir.path().join("page.png")).unwrap().to_luma8()
}

/// A word of a PDF page and its box in millimetres (`pdftotext -bbox`).
#[derive(Debug, Clone)]
struct Word {
    text: String,
    x0: f64,
    y0: f64,
    y1: f64,
}

impl Word {
    /// The font size in points: Noto Sans' boxes are 1.362 em tall (ascent + descent).
    fn pt(&self) -> f64 {
        (self.y1 - self.y0) * 72.0 / 25.4 / 1.362
    }
}

/// The words of each page of a PDF, in the order they were drawn.
fn pdf_words(pdf: &Path) -> Vec<Vec<Word>> {
    let out = Command::new("pdftotext").args(["-bbox"]).arg(pdf).arg("-").output().expect("pdftotext");
    let html = String::from_utf8(out.stdout).unwrap();
    let mm = |pt: &str| pt.parse::<f64>().unwrap() * 25.4 / 72.0;
    let mut pages = Vec::new();
    for page in html.split("<page ").skip(1) {
        let mut words = Vec::new();
        for line in page.lines().filter(|l| l.trim_start().starts_with("<word ")) {
            let attr = |name: &str| {
                let from = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                mm(&line[from..from + line[from..].find('"').unwrap()])
            };
            let text = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"");
            words.push(Word { text, x0: attr("xMin"), y0: attr("yMin"), y1: attr("yMax") });
        }
        pages.push(words);
    }
    pages
}

/// A rectangle of a page in millimetres: x, y, width, height.
type Area = (f64, f64, f64, f64);

/// How much of an area's height is used: the ink's vertical extent, and the tallest band with no
/// ink, as fractions of the height (raster at `dpi`).
fn ink_use(image: &image::GrayImage, dpi: u32, (x, y, w, h): Area) -> (f64, f64) {
    let px = |mm: f64| (mm / 25.4 * dpi as f64).round() as u32;
    let (x0, x1, y0, y1) = (px(x), px(x + w).min(image.width()), px(y), px(y + h).min(image.height()));
    let inked: Vec<bool> = (y0..y1).map(|row| (x0..x1).any(|col| image.get_pixel(col, row).0[0] < 140)).collect();
    let first = inked.iter().position(|&i| i).unwrap_or(inked.len());
    let last = inked.iter().rposition(|&i| i).unwrap_or(0);
    let extent = if last >= first { (last - first + 1) as f64 / inked.len() as f64 } else { 0.0 };
    let mut gap = 0;
    let mut run = 0;
    for &i in &inked[first.min(inked.len())..] {
        run = if i { 0 } else { run + 1 };
        gap = gap.max(run);
    }
    (extent, gap as f64 / inked.len() as f64)
}

/// Decodes the QR codes of a raster; with each, its printed module size in mm.
fn qr_modules(image: image::GrayImage, dpi: u32) -> Vec<(String, f64)> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| {
            let [a, b, _, d] = grid.bounds;
            let side = |p: rqrr::Point, q: rqrr::Point| (((p.x - q.x).pow(2) + (p.y - q.y).pow(2)) as f64).sqrt();
            let px = (side(a, b) + side(a, d)) / 2.0;
            let (meta, content) = grid.decode().ok()?;
            let modules = 17.0 + 4.0 * meta.version.0 as f64;
            Some((content, px / modules * 25.4 / dpi as f64))
        })
        .collect()
}

/// A photocopy of a page (a 150 dpi raster) as a phone sees it: blurred (by 0.1 mm), reduced
/// to 72 dpi by a cheap copier, then seen by the phone's camera at three times that. Codes with
/// 0.73 mm modules (the 30 mm codes before issue 11) mostly fail this; 0.9 mm ones pass.
fn photocopy(page: &image::GrayImage) -> image::GrayImage {
    let blurred = image::imageops::blur(page, 0.6);
    let (w, h) = (page.width() * 72 / 150, page.height() * 72 / 150);
    let copy = image::imageops::resize(&blurred, w, h, image::imageops::FilterType::Triangle);
    image::imageops::resize(&copy, w * 3, h * 3, image::imageops::FilterType::Triangle)
}

/// Issue 11: the example leaflets fill their paper and survive a photocopy.
fn issue_11_fill_their_paper_and_survive_a_photocopy(public: &Path) {
    let pdfs: Vec<std::path::PathBuf> = walk_pdfs(&public.join("to-roi"));
    assert_eq!(pdfs.len(), 7, "{pdfs:?}");
    // Every page and panel is used: ink over at least 70 % of its height, no blank band over 20 %.
    let a4 = "to-roi/10-thu-doan-lua-dao/10-thu-doan-lua-dao.pdf";
    let a5 = "to-roi/canh-bao-nguoi-cao-tuoi/canh-bao-nguoi-cao-tuoi.pdf";
    let trifold = "to-roi/cong-nhan-khu-cong-nghiep/cong-nhan-khu-cong-nghiep.pdf";
    let portrait = |w: f64, h: f64, pad: f64| vec![(pad, pad, w - 2.0 * pad, h - 2.0 * pad)];
    let outside = vec![(7.0, 8.0, 83.0, 194.0), (104.0, 8.0, 86.0, 194.0), (204.0, 8.0, 86.0, 194.0)];
    let inside = vec![(7.0, 8.0, 86.0, 194.0), (107.0, 8.0, 86.0, 194.0), (207.0, 8.0, 83.0, 194.0)];
    let cases = [
        (a4, vec![portrait(210.0, 297.0, 12.0)]),
        (a5, vec![portrait(148.0, 210.0, 9.0), portrait(148.0, 210.0, 9.0)]),
        (trifold, vec![outside, inside]),
    ];
    for (pdf, pages) in cases {
        let pdf = public.join(pdf);
        for (i, areas) in pages.iter().enumerate() {
            let image = raster(&pdf, i + 1, 50);
            for &area in areas {
                let (extent, gap) = ink_use(&image, 50, area);
                assert!(extent >= 0.7, "{} page {} {area:?}: ink over {:.0} %", pdf.display(), i + 1, extent * 100.0);
                assert!(gap <= 0.2, "{} page {} {area:?}: a blank band of {:.0} %", pdf.display(), i + 1, gap * 100.0);
            }
        }
    }
    // The elderly leaflet's body is in large type (at least 13 pt).
    let words = pdf_words(&public.join(a5));
    let body = words[1].iter().find(|w| w.text == "Cúp").expect("a word of the back");
    assert!(body.pt() >= 13.0, "{:.1} pt", body.pt());
    // The A4 leaflet: every heading is in the same column as the line after it, right above it;
    // the two columns end at about the same height (balanced).
    let words = &pdf_words(&public.join(a4))[0];
    let source = std::fs::read_to_string(Path::new(common::REPO).join("content/leaflets/10-thu-doan-lua-dao.md"));
    let contact_top = words.iter().find(|w| w.text == "Quét").expect("the QR caption").y0;
    for heading in source.unwrap().lines().filter_map(|l| l.strip_prefix("## ")) {
        let parts: Vec<&str> = heading.split_whitespace().collect();
        let at = words
            .windows(parts.len())
            .position(|w| w.iter().map(|w| w.text.as_str()).eq(parts.iter().copied()))
            .unwrap_or_else(|| panic!("heading `{heading}` not found"));
        let last = &words[at + parts.len() - 1];
        let first = &words[at];
        let next = words[at + parts.len()..].iter().find(|w| w.y0 > last.y0 + 1.0).unwrap();
        let column = |w: &Word| (w.x0 > 105.0) as u8;
        assert_eq!(column(next), column(first), "heading `{heading}` is cut from its text ({next:?})");
        assert!(next.y0 - last.y1 < 15.0, "heading `{heading}` is far from its text ({next:?})");
    }
    let bottom = |right: bool| {
        words.iter().filter(|w| w.y1 < contact_top && (w.x0 > 105.0) == right).map(|w| w.y1).fold(0.0, f64::max)
    };
    let (left, right) = (bottom(false), bottom(true));
    assert!((left - right).abs() < 15.0, "columns end at {left:.0} and {right:.0} mm");
    // Fold marks at the folds of both sides of the trifold, nothing beside them.
    let pdf = public.join(trifold);
    for (page, folds) in [(1, [97.0, 197.0]), (2, [100.0, 200.0])] {
        let image = raster(&pdf, page, 150);
        let dark_rows = |x: f64, y: f64, h: f64| {
            let px = |mm: f64| (mm / 25.4 * 150.0).round() as u32;
            (px(y)..px(y + h))
                .filter(|&row| (px(x - 0.6)..=px(x + 0.6)).any(|col| image.get_pixel(col, row).0[0] < 160))
                .count() as f64
                / (px(y + h) - px(y)) as f64
        };
        for x in folds {
            assert!(dark_rows(x, 2.5, 8.0) > 0.3, "page {page}: no fold mark at the top at {x} mm");
            assert!(dark_rows(x, 199.5, 8.0) > 0.3, "page {page}: no fold mark at the bottom at {x} mm");
            assert_eq!(dark_rows(x + 3.0, 2.5, 8.0), 0.0, "page {page}: ink beside the fold at {x} mm");
        }
    }
    for pdf in &pdfs {
        let page_dir = pdf.parent().unwrap();
        let printed = decode_png(&std::fs::read(page_dir.join("qr-in.png")).unwrap());
        let address = printed.strip_prefix("https://").unwrap();
        let name = pdf.display();
        let (pages, width, _) = pdf_info(pdf);
        // The QR code: modules of at least 0.8 mm, and it still decodes from a blurred 72 dpi copy.
        // The code is on the back: the last page, or the outside of a trifold (its first).
        let page = raster(pdf, if width > 250.0 { 1 } else { pages }, 150);
        let copied: Vec<String> = decode(photocopy(&page)).into_iter().map(|(url, _)| url).collect();
        let found = qr_modules(page, 150);
        assert_eq!(found.len(), 1, "{name}: {found:?}");
        assert_eq!(found[0].0, printed, "{name}");
        assert!(found[0].1 >= 0.8, "{name}: modules of {:.2} mm", found[0].1);
        assert_eq!(copied, std::slice::from_ref(&printed), "{name}: the photocopy does not scan");
        // The short address: without `https://`, on one line.
        let layout = Command::new("pdftotext").args(["-layout"]).arg(pdf).arg("-").output().unwrap();
        let layout = String::from_utf8(layout.stdout).unwrap();
        assert!(layout.lines().any(|l| l.contains(address)), "{name}: `{address}` is not on one line:\n{layout}");
        assert!(!layout.contains("https://"), "{name}");
        let words = pdf_words(pdf);
        let address_word = words.iter().flatten().find(|w| w.text == address).expect("the address is one word");
        assert!(address_word.pt() >= 11.0, "{name}: address at {:.1} pt", address_word.pt());
        // The hotline in large type on the front (a trifold's front is its cover, the right panel).
        let front_min_x = if width > 250.0 { 197.0 } else { 0.0 };
        let hotline = words[0].iter().find(|w| w.text == "113" && w.x0 >= front_min_x);
        let hotline = hotline.unwrap_or_else(|| panic!("{name}: no hotline on the front"));
        assert!(hotline.pt() >= 28.0, "{name}: hotline at {:.1} pt", hotline.pt());
        // The issuer on the front.
        let front: String = words[0].iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ");
        assert!(front.contains("Công an thành phố – Phòng An ninh mạng"), "{name}: {front}");
    }
}

/// Every PDF under `dir`.
/// The leaflets' PDFs under `dir` (not the posters of issue 14 in `ap-phich/`).
fn walk_pdfs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() && path.file_name().is_some_and(|n| n == "ap-phich") {
            continue;
        }
        if path.is_dir() {
            found.extend(walk_pdfs(&path));
        } else if path.extension().is_some_and(|e| e == "pdf") {
            found.push(path);
        }
    }
    found.sort();
    found
}
