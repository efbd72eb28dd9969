//! Images for phones (issue 5, "What citizens get", Images): photos and screenshots re-encoded at
//! a few widths with `srcset`, upright, without EXIF or GPS, cached by content hash; missing
//! images are errors with file and line; missing alt text is a build warning and a check error.
//!
//! Every picture is made here with the `image` crate, so the test knows what went in.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;

use common::{TestSite, attrs, one, select};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A text that must never reach the output: it stands for the GPS position in the EXIF block.
const GPS_MARKER: &[u8] = b"CANHBAO-GPS-10.7769N-106.7009E";

/// A photo-like picture: four coloured quarters (red top left) and a gradient.
fn photo(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, y| {
        let (left, top) = (x < width / 2, y < height / 2);
        let shade = ((x + y) % 32) as u8;
        match (left, top) {
            (true, true) => Rgb([220, 20 + shade, 20]),
            (false, true) => Rgb([20, 200 + shade / 2, 20]),
            (true, false) => Rgb([20, 20 + shade, 220]),
            (false, false) => Rgb([230, 230, 20 + shade]),
        }
    })
}

fn encode(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image.clone()).write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// An EXIF block (APP1 payload) with an orientation and a GPS IFD whose map datum holds
/// [`GPS_MARKER`], little-endian TIFF.
fn exif(orientation: u16) -> Vec<u8> {
    fn entry(out: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: u32) {
        out.extend(tag.to_le_bytes());
        out.extend(kind.to_le_bytes());
        out.extend(count.to_le_bytes());
        out.extend(value.to_le_bytes());
    }
    const ASCII: u16 = 2;
    const SHORT: u16 = 3;
    const LONG: u16 = 4;
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes());
    // IFD0 at 8: 2 entries (2 + 24 + 4 = 30 bytes), then the GPS IFD at 38.
    let gps_ifd = 8 + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    entry(&mut tiff, 0x0112, SHORT, 1, u32::from(orientation));
    entry(&mut tiff, 0x8825, LONG, 1, gps_ifd);
    tiff.extend(0u32.to_le_bytes());
    // GPS IFD: latitude ref "N", map datum at the end.
    let datum_at = gps_ifd + 2 + 2 * 12 + 4;
    tiff.extend(2u16.to_le_bytes());
    entry(&mut tiff, 0x0001, ASCII, 2, u32::from_le_bytes(*b"N\0\0\0"));
    entry(&mut tiff, 0x0012, ASCII, GPS_MARKER.len() as u32 + 1, datum_at);
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(GPS_MARKER);
    tiff.push(0);
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend(tiff);
    payload
}

/// A JPEG of `image` with an EXIF APP1 segment spliced in right after the SOI marker, as a
/// phone's camera writes it.
fn jpeg_with_exif(image: &RgbImage, orientation: u16) -> Vec<u8> {
    let jpeg = encode(image, ImageFormat::Jpeg);
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let payload = exif(orientation);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend((payload.len() as u16 + 2).to_be_bytes());
    out.extend(payload);
    out.extend(&jpeg[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn decode(bytes: &[u8]) -> DynamicImage {
    image::load_from_memory(bytes).expect("a decodable image")
}

/// (URL, width descriptor) of each candidate of a `srcset`.
fn candidates(srcset: &str) -> Vec<(String, u32)> {
    srcset
        .split(", ")
        .map(|c| {
            let (url, w) = c.rsplit_once(' ').expect("url and descriptor");
            (url.to_string(), w.strip_suffix('w').expect("a width descriptor").parse().unwrap())
        })
        .collect()
}

fn article(front: &str, body: &str) -> String {
    format!("---\ntitle: \"Ảnh\"\ndate: 2024-05-08\n{front}---\n{body}")
}

#[test]
fn exif_and_gps_never_reach_the_output_nor_the_original() {
    let site = TestSite::new("minimal");
    let original = jpeg_with_exif(&photo(1600, 1000), 1);
    assert!(contains(&original, b"Exif") && contains(&original, GPS_MARKER), "the fixture carries EXIF and GPS");
    site.write("content/articles/anh/index.md", article("", "Ảnh chụp:\n\n![Tin nhắn giả](chup.jpg)\n"));
    site.write("content/articles/anh/chup.jpg", &original);
    site.write("static/hinh/tinh.jpg", &original);
    site.write("content/articles/tinh.md", article("", "![Ảnh trong static](/hinh/tinh.jpg)\n"));
    site.build();
    let output = site.output();
    for (path, bytes) in &output {
        assert!(!contains(bytes, b"Exif"), "`{path}` carries EXIF");
        assert!(!contains(bytes, GPS_MARKER), "`{path}` carries the GPS position");
        assert_ne!(bytes, &original, "`{path}` is the original");
    }
    assert!(!site.exists("canh-bao/anh/chup.jpg"), "the original beside the article is not published");
    assert!(!site.exists("hinh/tinh.jpg"), "the original under static/ is not published");
    for rel in ["canh-bao/anh/chup-480w.jpg", "canh-bao/anh/chup-1200w.jpg", "hinh/tinh-800w.jpg"] {
        assert_eq!(image::guess_format(&output[rel]).unwrap(), ImageFormat::Jpeg, "{rel}");
    }
    let html = site.html("canh-bao/tinh/index.html");
    assert_eq!(attrs(&html, ".content img", "src"), ["/hinh/tinh-800w.jpg"], "static images keep their site path");
}

#[test]
fn a_sideways_phone_photo_comes_out_upright() {
    let site = TestSite::new("minimal");
    // Stored 1000×600 with orientation 6: the camera was turned; shown 600×1000.
    site.write("content/articles/xoay/index.md", article("", "![Ảnh dọc](doc.jpg)\n"));
    site.write("content/articles/xoay/doc.jpg", jpeg_with_exif(&photo(1000, 600), 6));
    site.build();
    let html = site.html("canh-bao/xoay/index.html");
    let img = one(&html, ".content img");
    let srcset = candidates(img.value().attr("srcset").unwrap());
    assert_eq!(srcset.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 600], "the upright width is 600");
    let largest = decode(&std::fs::read(site.path("canh-bao/xoay/doc-600w.jpg")).unwrap()).to_rgb8();
    assert_eq!(largest.dimensions(), (600, 1000), "width and height swapped");
    // Turned a quarter clockwise: the stored top-left (red) quarter is now top right.
    let top_right = largest.get_pixel(600 - 50, 50);
    assert!(top_right[0] > 150 && top_right[2] < 100, "top right is red: {top_right:?}");
    let top_left = largest.get_pixel(50, 50);
    assert!(top_left[2] > 150, "top left is the stored bottom-left blue: {top_left:?}");
    assert_eq!((img.value().attr("width"), img.value().attr("height")), (Some("600"), Some("1000")));
}

#[test]
fn srcset_widths_and_size_attributes_match_the_files() {
    let site = TestSite::new("minimal");
    site.write("content/articles/co-anh/index.md", article("", "Đoạn.\n\n![Ảnh lớn](lon.jpg \"Chú thích\")\n"));
    site.write("content/articles/co-anh/lon.jpg", encode(&photo(2000, 1500), ImageFormat::Jpeg));
    site.build();
    let html = site.html("canh-bao/co-anh/index.html");
    let img = one(&html, ".content img");
    let attr = |name: &str| img.value().attr(name).unwrap_or_else(|| panic!("no `{name}`")).to_string();
    let srcset = candidates(&attr("srcset"));
    assert_eq!(srcset.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 800, 1200]);
    for (url, width) in &srcset {
        let file = decode(&std::fs::read(site.path(&format!("canh-bao/co-anh/{url}"))).unwrap());
        assert_eq!(file.width(), *width, "{url}");
        assert_eq!(file.height(), width * 3 / 4, "{url} keeps the aspect ratio");
    }
    assert_eq!(attr("src"), "lon-800w.jpg");
    let src = decode(&std::fs::read(site.path("canh-bao/co-anh/lon-800w.jpg")).unwrap());
    assert_eq!((attr("width"), attr("height")), (src.width().to_string(), src.height().to_string()));
    assert_eq!(attr("sizes"), "(max-width: 720px) 100vw, 720px");
    assert_eq!((attr("loading"), attr("decoding")), ("lazy".into(), "async".into()));
    assert_eq!((attr("alt"), attr("title")), ("Ảnh lớn".into(), "Chú thích".into()));
    assert!(select(&html, ".content picture").is_empty(), "photos have no WebP version");
}

#[test]
fn a_small_image_is_never_enlarged() {
    let site = TestSite::new("minimal");
    site.write("content/articles/nho/index.md", article("", "![Ảnh nhỏ](nho.png)\n"));
    site.write("content/articles/nho/nho.png", encode(&photo(300, 200), ImageFormat::Png));
    site.build();
    let made: Vec<String> =
        site.output().into_keys().filter(|p| p.starts_with("canh-bao/nho/") && !p.ends_with(".html")).collect();
    // Not the QR codes, cards, channel texts (issue 12) and poster folder (issue 14) made for
    // every article.
    let made: Vec<&str> = made
        .iter()
        .map(|p| p.as_str())
        .filter(|p| {
            !p.contains("/qr") && !p.ends_with("/social.png") && !p.contains("/kenh/") && !p.contains("/ap-phich/")
        })
        .collect();
    assert_eq!(made, ["canh-bao/nho/nho-300w.png", "canh-bao/nho/nho-300w.webp"]);
    let img = one(&site.html("canh-bao/nho/index.html"), ".content img").value().clone();
    assert_eq!(
        (img.attr("width"), img.attr("height"), img.attr("srcset")),
        (Some("300"), Some("200"), Some("nho-300w.png 300w"))
    );
}

#[test]
fn screenshots_become_png_and_lossless_webp_in_a_picture() {
    let site = TestSite::new("minimal");
    let screenshot = photo(1080, 1920);
    site.write("content/articles/tin-nhan/index.md", article("", "![Tin nhắn SMS giả mạo ngân hàng](sms.png)\n"));
    site.write("content/articles/tin-nhan/sms.png", encode(&screenshot, ImageFormat::Png));
    site.build();
    let html = site.html("canh-bao/tin-nhan/index.html");
    let source = one(&html, ".content picture > source");
    assert_eq!(source.value().attr("type"), Some("image/webp"));
    let img = one(&html, ".content picture > img");
    assert_eq!(img.value().attr("src"), Some("sms-800w.png"));
    let webp = candidates(source.value().attr("srcset").unwrap());
    let png = candidates(img.value().attr("srcset").unwrap());
    assert_eq!(webp.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 800, 1080]);
    assert_eq!(png.iter().map(|c| c.1).collect::<Vec<_>>(), [480, 800, 1080]);
    for ((webp_url, width), (png_url, _)) in webp.iter().zip(&png) {
        let webp_bytes = std::fs::read(site.path(&format!("canh-bao/tin-nhan/{webp_url}"))).unwrap();
        assert_eq!(image::guess_format(&webp_bytes).unwrap(), ImageFormat::WebP);
        let webp_image = decode(&webp_bytes).to_rgba8();
        let png_image = decode(&std::fs::read(site.path(&format!("canh-bao/tin-nhan/{png_url}"))).unwrap()).to_rgba8();
        assert_eq!(webp_image.width(), *width);
        assert!(webp_image == png_image, "the WebP is lossless: the same pixels as the PNG at {width} px");
    }
    // At full width, the PNG is the screenshot itself, pixel for pixel.
    let full = decode(&std::fs::read(site.path("canh-bao/tin-nhan/sms-1080w.png")).unwrap()).to_rgb8();
    assert!(full == screenshot);
}

#[test]
fn the_cover_is_loaded_first_and_svg_or_gif_are_copied_unchanged() {
    let site = TestSite::new("minimal");
    let gif = b"GIF89a not decoded, copied".to_vec();
    site.write(
        "content/articles/bia/index.md",
        article("cover: bia.jpg\ncover_alt: \"Ảnh bìa\"\n", "![Biểu đồ](bieu-do.svg) ![Hoạt hình](dong.gif)\n"),
    );
    site.write("content/articles/bia/bia.jpg", encode(&photo(1400, 700), ImageFormat::Jpeg));
    site.write("content/articles/bia/bieu-do.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("content/articles/bia/dong.gif", &gif);
    site.build();
    let html = site.html("canh-bao/bia/index.html");
    let cover = one(&html, ".cover img").value().clone();
    assert_eq!(cover.attr("src"), Some("/canh-bao/bia/bia-800w.jpg"));
    assert_eq!((cover.attr("width"), cover.attr("height")), (Some("800"), Some("400")));
    assert_eq!(cover.attr("fetchpriority"), Some("high"));
    assert_eq!(cover.attr("loading"), None, "the cover is not lazy");
    let srcset = candidates(cover.attr("srcset").unwrap());
    assert_eq!(srcset[2], ("/canh-bao/bia/bia-1200w.jpg".to_string(), 1200));
    assert_eq!(attrs(&html, ".content img", "src"), ["bieu-do.svg", "dong.gif"]);
    assert_eq!(attrs(&html, ".content img", "loading"), ["lazy", "lazy"]);
    assert_eq!(std::fs::read(site.path("canh-bao/bia/dong.gif")).unwrap(), gif);
    assert!(site.exists("canh-bao/bia/bieu-do.svg"));
    assert!(!site.exists("canh-bao/bia/bia.jpg"));
}

#[test]
fn a_missing_image_or_cover_is_an_error_with_file_and_line() {
    let site = TestSite::new("minimal");
    site.write(
        "content/articles/thieu.md",
        article("cover: khong-co-bia.jpg\ncover_alt: \"Bìa\"\n", "Đoạn một.\n\nẢnh: ![Ảnh](khong-co.jpg)\n"),
    );
    let err = format!("{:#}", canhbao::build(&site.options()).unwrap_err());
    assert!(
        err.contains(
            "content/articles/thieu.md:9:6: image `khong-co.jpg` not found: no file `content/articles/khong-co.jpg`"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/articles/thieu.md:4:1: cover image `khong-co-bia.jpg` not found: no file `content/articles/khong-co-bia.jpg`"),
        "{err}"
    );
}

#[test]
fn a_damaged_image_is_an_error_naming_it() {
    let site = TestSite::new("minimal");
    site.write("content/articles/hong/index.md", article("", "\n![Ảnh hỏng](hong.jpg)\n"));
    site.write("content/articles/hong/hong.jpg", b"\xFF\xD8 this is not a JPEG");
    let err = format!("{:#}", canhbao::build(&site.options()).unwrap_err());
    assert!(
        err.contains("content/articles/hong/index.md:6:1: cannot read the image `content/articles/hong/hong.jpg`"),
        "{err}"
    );
    assert!(!site.out.exists(), "nothing was written");
}

#[test]
fn missing_alt_text_is_a_build_warning_and_a_check_error() {
    let site = TestSite::new("minimal");
    site.write("content/articles/khong-mo-ta/index.md", article("cover: bia.png\n", "Đoạn.\n\n![](anh.png)\n"));
    site.write("content/articles/khong-mo-ta/anh.png", encode(&photo(64, 64), ImageFormat::Png));
    site.write("content/articles/khong-mo-ta/bia.png", encode(&photo(64, 32), ImageFormat::Png));
    let report = site.build();
    let warnings: Vec<String> =
        report.warnings.iter().map(|d| d.to_string().lines().next().unwrap().to_string()).collect();
    assert_eq!(
        warnings,
        [
            "content/articles/khong-mo-ta/index.md:4:1: `cover` is set without `cover_alt`",
            "content/articles/khong-mo-ta/index.md:8:1: image `anh.png` has no alt text",
        ]
    );
    assert!(site.exists("canh-bao/khong-mo-ta/anh-64w.png"), "the page is published all the same");

    // The binary shows them, in Vietnamese too.
    let output = site.cmd().env("LANG", "vi_VN.UTF-8").env("NO_COLOR", "1").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("lưu ý: content/articles/khong-mo-ta/index.md:8:1: ảnh `anh.png` không có lời mô tả (alt)"),
        "{stderr}"
    );

    let err = canhbao::check::check(&site.options()).unwrap_err();
    let problems = &err.downcast_ref::<canhbao::ContentErrors>().expect("content errors").0;
    let lines: Vec<String> = problems.iter().map(|d| d.to_string().lines().next().unwrap().to_string()).collect();
    assert_eq!(lines, warnings, "check refuses what build warns about, once each");
}

#[test]
fn a_second_build_reads_the_renditions_from_the_cache() {
    let site = TestSite::new("minimal");
    site.write("content/articles/bo-nho/index.md", article("", "![Ảnh](a.jpg) ![Ảnh chụp màn hình](b.png)\n"));
    site.write("content/articles/bo-nho/a.jpg", encode(&photo(900, 600), ImageFormat::Jpeg));
    site.write("content/articles/bo-nho/b.png", encode(&photo(500, 900), ImageFormat::Png));
    site.build();
    let first = site.output();
    let cache = site.root.join(".canhbao-cache/img");
    let entries = || -> BTreeMap<String, Vec<u8>> { common::snapshot(&cache) };
    let cached = entries();
    // a.jpg: 480, 800, 900; b.png: 480, 500 in PNG and WebP.
    assert_eq!(cached.len(), 7);
    site.build();
    assert_eq!(site.output(), first, "two builds give the same bytes");
    assert_eq!(entries(), cached, "nothing new was cached");

    // Proof that the cache is read: a doctored entry ends up in the output.
    for rel in cached.keys() {
        std::fs::write(cache.join(rel), format!("from the cache: {rel}")).unwrap();
    }
    site.build();
    let doctored = site.read("canh-bao/bo-nho/a-800w.jpg");
    assert!(doctored.starts_with("from the cache: "), "{doctored}");

    // A changed picture is a new key: encoded again, never served stale.
    site.write("content/articles/bo-nho/a.jpg", encode(&photo(900, 601), ImageFormat::Jpeg));
    site.build();
    let fresh = std::fs::read(site.path("canh-bao/bo-nho/a-800w.jpg")).unwrap();
    assert_eq!(decode(&fresh).width(), 800);
    assert_eq!(entries().len(), 10);
}

#[test]
fn leaflets_keep_their_original_images_for_print() {
    let site = TestSite::new("leaflets");
    let original = encode(&photo(1600, 1000), ImageFormat::Jpeg);
    let leaflet = std::fs::read_to_string(site.root.join("content/leaflets/ong-ba.md")).unwrap();
    site.write(
        "content/leaflets/ong-ba.md",
        leaflet.replace("Kẻ gian xưng là công an.", "Kẻ gian xưng là công an.\n\n![Ảnh in](in.jpg)"),
    );
    site.write("content/leaflets/in.jpg", &original);
    site.build();
    let dir = site
        .output()
        .into_keys()
        .find(|p| p.ends_with("/index.html") && p.contains("ong-ba") && !p.contains("/ap-phich/"))
        .unwrap();
    let dir = dir.trim_end_matches("index.html");
    assert_eq!(std::fs::read(site.path(&format!("{dir}in.jpg"))).unwrap(), original, "the original, for the printer");
    assert!(!site.exists(&format!("{dir}in-800w.jpg")), "no renditions for print");
    assert_eq!(attrs(&site.html(&format!("{dir}index.html")), "img[alt=\"Ảnh in\"]", "src"), ["in.jpg"]);
}
