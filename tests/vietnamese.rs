//! Vietnamese text as volunteers' editors save it: decomposed (NFD) letters in the text and in
//! file names, a UTF-8 BOM, CRLF line endings. The output is always NFC, with the same URLs.

mod common;

use common::{TestSite, attrs, html_files, one, text};

/// "Lừa đảo qua mạng" decomposed: base letters followed by combining marks.
const NFD_TITLE: &str = "Lu\u{031b}\u{0300}a đa\u{0309}o qua ma\u{0323}ng";
const NFC_TITLE: &str = "Lừa đảo qua mạng";
/// "Dấu hiệu" decomposed (marks in canonical order).
const NFD_HEADING: &str = "Da\u{0302}\u{0301}u hie\u{0323}\u{0302}u";
const NFC_HEADING: &str = "Dấu hiệu";
/// "Lừa-đảo" decomposed, as a file name.
const NFD_NAME: &str = "Lu\u{031b}\u{0300}a-đa\u{0309}o";
const NFC_NAME: &str = "Lừa-đảo";

fn article(title: &str, heading: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: 2024-05-08\n---\nĐoạn đầu.\n\n## {heading}\n\nNội dung.\n")
}

fn has_combining_marks(s: &str) -> bool {
    s.chars().any(|c| ('\u{0300}'..='\u{036f}').contains(&c))
}

#[test]
fn literals_are_what_they_claim() {
    assert_ne!(NFD_TITLE, NFC_TITLE);
    assert!(has_combining_marks(NFD_TITLE) && has_combining_marks(NFD_HEADING) && has_combining_marks(NFD_NAME));
    assert!(!has_combining_marks(NFC_TITLE) && !has_combining_marks(NFC_HEADING) && !has_combining_marks(NFC_NAME));
}

#[test]
fn nfd_text_becomes_nfc() {
    let site = TestSite::new("minimal");
    site.write("content/articles/nfd.md", article(NFD_TITLE, NFD_HEADING));
    site.build();
    let html = site.html("canh-bao/nfd/index.html");
    assert_eq!(text(one(&html, "h1")), NFC_TITLE);
    assert_eq!(text(one(&html, "title")), NFC_TITLE);
    assert_eq!(attrs(&html, ".content h2", "id"), ["dau-hieu"]);
    assert_eq!(text(one(&html, ".content h2")), NFC_HEADING);
    for (path, bytes) in site.output() {
        if let Ok(text) = String::from_utf8(bytes) {
            assert!(!has_combining_marks(&text), "{path} has combining marks");
        }
    }
}

#[test]
fn nfd_slug_and_file_name_give_the_same_url_as_nfc() {
    let site = TestSite::new("minimal");
    site.write(&format!("content/articles/{NFD_NAME}.md"), article("Tên tệp NFD", "Mục"));
    site.write(
        "content/articles/slug-nfd.md",
        format!("---\ntitle: \"Slug NFD\"\ndate: 2024-05-07\nslug: \"{NFD_TITLE}\"\n---\nNội dung.\n"),
    );
    site.build();
    assert!(site.exists("canh-bao/lua-dao/index.html"), "{:?}", site.output().keys().collect::<Vec<_>>());
    assert!(site.exists("canh-bao/lua-dao-qua-mang/index.html"));
}

#[test]
fn links_to_an_nfd_file_name_resolve_whatever_the_spelling() {
    let site = TestSite::new("minimal");
    site.write(&format!("content/articles/{NFD_NAME}.md"), article("Tên tệp NFD", "Mục"));
    site.write(
        "content/articles/lien-ket.md",
        format!(
            "---\ntitle: \"Liên kết\"\ndate: 2024-05-07\n---\n[nfc]({NFC_NAME}.md) [nfd]({NFD_NAME}.md#muc) \
             [mã hoá](L%E1%BB%ABa-%C4%91%E1%BA%A3o.md)\n"
        ),
    );
    site.build();
    let html = site.html("canh-bao/lien-ket/index.html");
    assert_eq!(
        attrs(&html, ".content a", "href"),
        ["/canh-bao/lua-dao/", "/canh-bao/lua-dao/#muc", "/canh-bao/lua-dao/"]
    );
}

#[test]
fn nfd_and_nfc_sources_build_the_same_site() {
    let build = |title: &str, heading: &str, name: &str| {
        let site = TestSite::new("minimal");
        site.write(&format!("content/articles/{name}.md"), article(title, heading));
        let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
        site.write("site.yaml", yaml.replace("\"Cảnh báo thử\"", &format!("\"{title}\"")));
        site.build();
        site.output()
    };
    let nfd = build(NFD_TITLE, NFD_HEADING, NFD_NAME);
    let nfc = build(NFC_TITLE, NFC_HEADING, NFC_NAME);
    assert_eq!(nfd.keys().collect::<Vec<_>>(), nfc.keys().collect::<Vec<_>>());
    for (path, bytes) in &nfd {
        assert!(bytes == &nfc[path], "{path} differs");
    }
    assert!(String::from_utf8_lossy(&nfc["index.html"]).contains(&format!("<title>{NFC_TITLE}</title>")));
}

#[test]
fn bom_and_crlf_are_accepted() {
    let site = TestSite::new("minimal");
    let source = "\u{feff}---\r\ntitle: \"Có BOM và CRLF\"\r\ndate: 2024-05-08\r\nsummary: \"Tóm tắt.\"\r\n---\r\n\
                  Đoạn một\r\ndòng hai.\r\n\r\n## Mục một\r\n\r\n- ý một\r\n- ý hai\r\n";
    site.write("content/articles/bom-crlf.md", source);
    // site.yaml with a BOM and CRLF too.
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", format!("\u{feff}{}", yaml.replace('\n', "\r\n")));
    site.build();
    let html = site.html("canh-bao/bom-crlf/index.html");
    assert_eq!(text(one(&html, "h1")), "Có BOM và CRLF");
    assert_eq!(attrs(&html, ".content h2", "id"), ["muc-mot"]);
    assert_eq!(text(one(&html, ".content ul")), "ý một ý hai");
    assert_eq!(text(one(&html, "title")), "Có BOM và CRLF");
    for (path, html) in html_files(&site.output()) {
        let raw = html.html();
        assert!(!raw.contains('\r') && !raw.contains('\u{feff}'), "{path} has a CR or a BOM");
    }
}

#[test]
fn crlf_does_not_shift_error_lines() {
    let site = TestSite::new("minimal");
    let source =
        "\u{feff}---\r\ntitle: \"CRLF\"\r\ndate: 2024-05-08\r\n---\r\nĐoạn một.\r\n\r\nXem [bài](khong-co.md).\r\n";
    site.write("content/articles/crlf.md", source);
    let stderr = site.fail();
    assert!(
        stderr.contains(
            "error: content/articles/crlf.md:7:5: broken link `khong-co.md`: no article or page at `content/articles/khong-co.md`"
        ),
        "{stderr}"
    );
}

#[test]
fn nfd_bundle_folder_and_file_names_are_copied_under_nfc_names() {
    let site = TestSite::new("minimal");
    site.write(
        &format!("content/articles/{NFD_NAME}/index.md"),
        "---\ntitle: \"Gói\"\ndate: 2024-05-08\n---\n![Ảnh](ảnh.svg)\n",
    );
    site.write(&format!("content/articles/{NFD_NAME}/a\u{0309}nh.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build();
    assert!(site.exists("canh-bao/lua-dao/ảnh.svg"), "{:?}", site.output().keys().collect::<Vec<_>>());
    let html = site.html("canh-bao/lua-dao/index.html");
    assert_eq!(attrs(&html, ".content img", "src"), ["%E1%BA%A3nh.svg"], "the NFC name, percent-encoded");
}

#[test]

fn cover_with_an_nfd_file_name() {
    let site = TestSite::new("minimal");
    let body = "---\ntitle: \"Gói\"\ndate: 2024-05-08\ncover: \"ảnh.svg\"\ncover_alt: \"Ảnh\"\n---\nNội dung.\n";
    site.write(&format!("content/articles/{NFD_NAME}/index.md"), body);
    site.write(&format!("content/articles/{NFD_NAME}/a\u{0309}nh.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.build();
    assert!(site.exists("canh-bao/lua-dao/ảnh.svg"));
    let html = site.html("canh-bao/lua-dao/index.html");
    assert_eq!(attrs(&html, ".cover img", "src"), ["/canh-bao/lua-dao/ảnh.svg"]);
}
