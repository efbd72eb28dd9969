//! Leaflets, QR codes, short links and the printed-URL registry (issue: printable leaflets with
//! QR codes that scan from paper, and URLs that never die). Every QR code is decoded with an
//! independent decoder (rqrr); print tests need Chromium and poppler-utils (pdfinfo, pdftoppm).

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestSite, attrs, one};

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
        assert!(one(&html, ".short-url").text().collect::<String>().contains(&printed));
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
    let urls: Vec<&str> =
        registry.lines().filter(|l| !l.starts_with('#')).map(|l| l.split(" #").next().unwrap()).collect();
    assert_eq!(urls.len(), 3);
    let mut sorted = urls.clone();
    sorted.sort();
    assert_eq!(urls, sorted, "one URL a line, sorted");
    assert!(registry.contains(" # content/leaflets/ong-ba.md (variant phuong-1)\n"));

    // Rename the article: the printed short links follow it.
    site.write(
        "content/articles/gia-danh-cong-an.md",
        "---\ntitle: \"Giả danh công an gọi điện\"\ndate: 2024-05-08\nslug: cuoc-goi-gia-danh\n---\nNội dung.\n",
    );
    site.build();
    for url in &urls {
        let path = url.strip_prefix("https://canhbao.test").unwrap();
        let target = refresh_target(&site.html(&common::file_of(path)));
        assert!(target.starts_with("https://canhbao.test/canh-bao/cuoc-goi-gia-danh/?src="), "{target}");
        assert!(site.exists("canh-bao/cuoc-goi-gia-danh/index.html"));
    }
    assert_eq!(std::fs::read_to_string(site.root.join("printed-urls.txt")).unwrap(), registry, "nothing new to record");
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
    // Remove the whole leaflet: all three URLs are reported.
    std::fs::remove_file(site.root.join("content/leaflets/ong-ba.md")).unwrap();
    let stderr = site.fail();
    assert_eq!(stderr.matches("no longer resolves").count(), 3, "{stderr}");
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
    assert_eq!(attrs(&html, ".leaflet-preview iframe", "src"), ["/to-roi/ong-ba/"]);
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

#[test]
fn example_leaflets_print_on_the_right_paper_and_their_qr_codes_scan_from_paper() {
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
    assert!(
        stderr.contains(
            "content/leaflets/ong-ba.md: the leaflet does not fit on A5, một mặt: too much content in noi-dung"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("the leaflet (variant phuong-1) does not fit"), "{stderr}");
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
