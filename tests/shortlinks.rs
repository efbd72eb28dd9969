//! Printed short links of articles (issue 14): the poster, screen card, closing slide and
//! handbook chapter of an article encode its short link (QR codes decoded with rqrr from the SVG
//! drawn, resvg, and from the PNG), which redirects to the article; `printed-urls.txt` records
//! it and the SMS short link, and a build that loses one fails until an alias keeps it.

mod common;

use common::{TestSite, file_of, one, text};

const ARTICLE: &str = "/canh-bao/viec-lam-online/";
const SOURCE: &str = "content/articles/viec-lam-online.md";
const BASE: &str = "https://canhbao.test";

/// Decodes every QR code in a grey image.
fn decode(image: image::GrayImage) -> Vec<String> {
    let mut prepared = rqrr::PreparedImage::prepare(image);
    prepared.detect_grids().into_iter().filter_map(|grid| grid.decode().ok()).map(|(_, content)| content).collect()
}

/// Rasterises an SVG (resvg) at 6 pixels a module, on white, and decodes it.
fn decode_svg(svg: &str) -> Vec<String> {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default()).expect("valid SVG");
    let size = tree.size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new((size.width() * 6.0) as u32, (size.height() * 6.0) as u32).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(6.0, 6.0), &mut pixmap.as_mut());
    let rgba = image::RgbaImage::from_raw(pixmap.width(), pixmap.height(), pixmap.data().to_vec()).unwrap();
    decode(image::DynamicImage::ImageRgba8(rgba).to_luma8())
}

/// The target of a redirect page (`<meta http-equiv="refresh">`) and its canonical URL.
fn redirect(site: &TestSite, url: &str) -> (String, String) {
    let path = url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not under {BASE}"));
    let html = site.html(&file_of(path));
    let refresh = one(&html, r#"meta[http-equiv="refresh"]"#).value().attr("content").unwrap().to_string();
    let canonical = one(&html, "link[rel=canonical]").value().attr("href").unwrap().to_string();
    (refresh.split_once("url=").expect("url= in refresh").1.to_string(), canonical)
}

/// The registry's lines (URL, note), comments left out.
fn registry(site: &TestSite) -> Vec<(String, String)> {
    std::fs::read_to_string(site.root.join("printed-urls.txt"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (url, note) = l.split_once(" # ").unwrap();
            (url.to_string(), note.to_string())
        })
        .collect()
}

/// The fixture's article with a `slug:` and `aliases:` added to its front matter.
fn article_text(slug: Option<&str>, aliases: &[&str]) -> String {
    let path = std::path::Path::new(common::REPO).join("tests/fixtures/shortlinks").join(SOURCE);
    let source = std::fs::read_to_string(path).unwrap();
    let mut extra = String::new();
    if let Some(slug) = slug {
        extra.push_str(&format!("slug: {slug}\n"));
    }
    if !aliases.is_empty() {
        extra.push_str(&format!("aliases: [{}]\n", aliases.join(", ")));
    }
    format!("---\n{extra}{}", source.strip_prefix("---\n").unwrap())
}

#[test]
fn an_articles_printed_material_encodes_its_short_link_which_redirects_to_it_issue_14() {
    let site = TestSite::new("shortlinks");
    site.build();
    let poster = site.html("canh-bao/viec-lam-online/ap-phich/index.html");
    let link = text(one(&poster, ".link"));
    let short = format!("https://{link}/");
    assert!(
        short.starts_with("https://canhbao.test/q/") && short.len() == "https://canhbao.test/q/abcde/".len(),
        "a five-character code under /q/: {short}"
    );
    assert_ne!(short, format!("{BASE}{ARTICLE}"), "not the permalink");
    // The poster, the screen card (PNG), the article's deck and the handbook chapter encode it.
    assert_eq!(decode_svg(&one(&poster, ".qr svg").html()), vec![short.clone()], "poster");
    let card = image::open(site.path("canh-bao/viec-lam-online/ap-phich/man-hinh.png")).unwrap().to_luma8();
    assert_eq!(decode(card), vec![short.clone()], "screen card");
    let deck = site.html("canh-bao/viec-lam-online/trinh-chieu/index.html");
    assert_eq!(decode_svg(&one(&deck, ".slide-closing .qr svg").html()), vec![short.clone()], "closing slide");
    assert_eq!(text(one(&deck, ".slide-closing .link")), link);
    let handbook = site.html("cam-nang/cam-nang/index.html");
    assert_eq!(decode_svg(&one(&handbook, ".read-more .qr svg").html()), vec![short.clone()], "handbook chapter");
    // The short link leads to the article, tagged as a scan of paper.
    let permalink = format!("{BASE}{ARTICLE}");
    assert_eq!(redirect(&site, &short), (format!("{permalink}?src=qr"), permalink.clone()));
    // The registry lists it, and the SMS short link (a different one, tagged `sms`).
    let lines = registry(&site);
    assert!(lines.contains(&(short.clone(), SOURCE.to_string())), "{lines:?}");
    let sms: Vec<&String> = lines.iter().filter(|(_, n)| *n == format!("{SOURCE} (SMS)")).map(|(u, _)| u).collect();
    assert_eq!(sms.len(), 1, "{lines:?}");
    assert_ne!(sms[0], &short);
    assert_eq!(redirect(&site, sms[0]), (format!("{permalink}?src=sms"), permalink));
    // The short link is no page for search engines.
    assert!(!site.read("sitemap.xml").contains(&short));
}

#[test]
fn a_code_in_the_front_matter_is_the_printed_short_link_issue_14() {
    let site = TestSite::new("shortlinks");
    site.write(SOURCE, article_text(None, &[]).replacen("---\n", "---\ncode: viec-lam\n", 1));
    site.build();
    let poster = site.html("canh-bao/viec-lam-online/ap-phich/index.html");
    assert_eq!(decode_svg(&one(&poster, ".qr svg").html()), ["https://canhbao.test/q/viec-lam/"]);
    assert_eq!(redirect(&site, "https://canhbao.test/q/viec-lam/").0, format!("{BASE}{ARTICLE}?src=qr"));
    // A code that cannot be a short link is refused at its place.
    site.write(SOURCE, article_text(None, &[]).replacen("---\n", "---\ncode: \"Việc Làm\"\n", 1));
    let stderr = site.check_fails();
    assert!(
        stderr.contains(&format!(
            "{SOURCE}:2:7: short-link code `Việc Làm` must be 1 to 32 lower-case letters, digits or -"
        )),
        "{stderr}"
    );
}

#[test]
fn renaming_an_article_fails_naming_its_printed_short_link_until_an_alias_keeps_it_issue_14() {
    let site = TestSite::new("shortlinks");
    site.build();
    let before = registry(&site);
    let short = before.iter().find(|(_, n)| n == SOURCE).unwrap().0.clone();
    let sms = before.iter().find(|(_, n)| n.ends_with("(SMS)") && n.starts_with(SOURCE)).unwrap().0.clone();
    let output = site.output();

    // A new slug: the article's short links (derived from its address) no longer resolve.
    site.write(SOURCE, article_text(Some("tuyen-cong-tac-vien"), &[]));
    let stderr = site.fail();
    for (url, note) in [(&short, SOURCE.to_string()), (&sms, format!("{SOURCE} (SMS)"))] {
        let line = before.iter().position(|(u, _)| u == url).unwrap() + 4; // after the 3-line header
        assert!(
            stderr.contains(&format!(
                "printed-urls.txt:{line}:1: printed URL `{url}` (printed on {note}) no longer resolves"
            )),
            "{stderr}"
        );
    }
    assert!(stderr.contains("add its old address to `aliases:`"), "{stderr}");
    assert_eq!(site.output(), output, "the failed build left the output as it was");

    // The old address as an alias keeps both links: they lead to the renamed article.
    site.write(SOURCE, article_text(Some("tuyen-cong-tac-vien"), &[ARTICLE]));
    site.build();
    let moved = format!("{BASE}/canh-bao/tuyen-cong-tac-vien/");
    assert_eq!(redirect(&site, &short), (format!("{moved}?src=qr"), moved.clone()));
    assert_eq!(redirect(&site, &sms), (format!("{moved}?src=sms"), moved.clone()));
    // The new material prints the new short link, which the registry adds beside the old ones.
    let poster = site.html("canh-bao/tuyen-cong-tac-vien/ap-phich/index.html");
    let new_short = decode_svg(&one(&poster, ".qr svg").html()).remove(0);
    assert_ne!(new_short, short);
    let after = registry(&site);
    assert!(before.iter().all(|l| after.contains(l)), "old lines kept: {after:?}");
    assert!(after.contains(&(new_short, SOURCE.to_string())), "{after:?}");
}

#[test]
fn canhbao_scans_counts_an_articles_short_link_as_print_and_its_sms_link_as_sms_issue_14() {
    let site = TestSite::new("shortlinks");
    site.build();
    let lines = registry(&site);
    let short = lines.iter().find(|(_, n)| n == SOURCE).unwrap().0.strip_prefix(BASE).unwrap().to_string();
    let sms = lines.iter().find(|(_, n)| n.ends_with("(SMS)")).unwrap().0.strip_prefix(BASE).unwrap().to_string();
    let phone = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36";
    // One person scans the poster (the short link, a page answered 200, then the article it
    // leads to: one visit); another opens the SMS link; a third scans at 11:00.
    let hits = [
        ("10.0.0.1", "10:00:00", short.as_str(), 200),
        ("10.0.0.1", "10:00:01", &format!("{ARTICLE}?src=qr"), 200),
        ("10.0.0.2", "10:05:00", sms.as_str(), 200),
        ("10.0.0.2", "10:05:01", &format!("{ARTICLE}?src=sms"), 200),
        ("10.0.0.3", "11:00:00", short.as_str(), 200),
    ];
    let log: String = hits
        .iter()
        .map(|(ip, time, target, status)| {
            format!("{ip} - - [02/Nov/2026:{time} +0700] \"GET {target} HTTP/1.1\" {status} 512 \"-\" \"{phone}\"\n")
        })
        .collect();
    let path = site.dir.join("access.log");
    std::fs::write(&path, log).unwrap();
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["scans", "--csv", "--root"])
        .arg(&site.root)
        .arg(&path)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let rows: Vec<&str> = stdout.lines().skip(1).collect();
    assert_eq!(rows, ["2026-11-02,viec-lam-online,,qr,2", "2026-11-02,,,sms,1"], "{stdout}");
}

/// Two slugs under `canh-bao/` whose first derived codes with `salt` are the same (`in` for
/// print links, `sms` for SMS links), found by trying slugs as a large site would have them.
fn meeting_slugs(salt: &str) -> (String, String) {
    let mut seen = std::collections::HashMap::new();
    (0..)
        .find_map(|i| {
            let slug = format!("bai-{i}");
            let code = canhbao::content::leaflet::derived_code(&format!("canh-bao/{slug}"), salt);
            seen.insert(code, slug.clone()).map(|other| (other, slug))
        })
        .unwrap()
}

/// Found building 10,000 generated articles: two articles' addresses derived the same
/// five-character code and the build failed (`URL /q/…/ is used by both`). Now the older
/// article keeps the code and the newer one gets another, for print and for SMS links; each
/// prints, redirects to and registers its own.
#[test]
fn articles_whose_derived_codes_meet_each_get_their_own_short_link_issue_14() {
    let site = TestSite::new("shortlinks");
    let article = |slug: &str, date: &str| {
        let text = article_text(Some(slug), &[]).replacen("date: 2025-04-02", &format!("date: {date}"), 1);
        let text = text.replacen("title: \"", &format!("title: \"{slug}: "), 1);
        site.write(&format!("content/articles/{slug}.md"), text);
    };
    let (print_old, print_new) = meeting_slugs("in");
    let (sms_old, sms_new) = meeting_slugs("sms");
    // The newer article sorts first by name in one pair, last in the other: age decides.
    article(&print_old, "2024-01-01");
    article(&print_new, "2024-06-01");
    article(&sms_new, "2023-01-01");
    article(&sms_old, "2023-06-01");
    site.build();
    let registered = registry(&site);
    let print_of = |slug: &str| {
        let poster = site.html(&format!("canh-bao/{slug}/ap-phich/index.html"));
        decode_svg(&one(&poster, ".qr svg").html()).remove(0)
    };
    let sms_of = |slug: &str| {
        let source = format!("content/articles/{slug}.md (SMS)");
        registered.iter().find(|(_, note)| *note == source).unwrap().0.clone()
    };
    let first = |slug: &str, salt: &str| {
        format!("{BASE}/q/{}/", canhbao::content::leaflet::derived_code(&format!("canh-bao/{slug}"), salt))
    };
    for (older, newer, link_of, salt, tag) in [
        (&print_old, &print_new, &print_of as &dyn Fn(&str) -> String, "in", "qr"),
        (&sms_new, &sms_old, &sms_of, "sms", "sms"),
    ] {
        let (old_link, new_link) = (link_of(older), link_of(newer));
        assert_eq!(first(older, salt), first(newer, salt), "the two derive the same code");
        assert_eq!(old_link, first(older, salt), "the older article keeps it");
        assert_ne!(new_link, old_link, "the newer one gets its own");
        for (link, slug) in [(&old_link, older), (&new_link, newer)] {
            let page = format!("{BASE}/canh-bao/{slug}/");
            assert_eq!(redirect(&site, link), (format!("{page}?src={tag}"), page.clone()));
            let note = if tag == "qr" {
                format!("content/articles/{slug}.md")
            } else {
                format!("content/articles/{slug}.md (SMS)")
            };
            assert!(registered.contains(&(link.clone(), note)), "{link} registered: {registered:?}");
        }
    }
    // A later build gives every article the same links (the registry holds them).
    site.build();
    assert_eq!(registry(&site), registered);
}
