//! The phone half of issue 11 in the built HTML: the home page opens with the urgent warnings
//! changed most recently and lists nothing twice; phone numbers are `tel:` links and official
//! sites named in text are links (never a scam's number or a look-alike domain); table cells
//! carry their column's header as `data-label`; the header names the site compactly.
//! What a browser shows (cards, the sticky hotline bar, 200 % text) is in
//! `browser/site.test.mjs`.

mod common;
use common::{TestSite, attrs, one, select, text, texts};

#[test]
fn home_page_opens_with_current_urgent_warnings_and_lists_nothing_twice_issue_11() {
    let site = TestSite::new("phone");
    site.build();
    let home = site.html("index.html");
    // Urgent first, the most recently changed first: updated 2025-05-01 before published 2024-06-01.
    assert_eq!(
        texts(&home, ".urgent .card-title"),
        ["Khẩn cấp đăng sớm, cập nhật gần đây", "Khẩn cấp cũ, không cập nhật"]
    );
    assert_eq!(texts(&home, ".latest .card-title"), ["Bài mới nhất"], "paginate_by 3: the urgent box takes two");
    let page2 = site.html("trang/2/index.html");
    assert_eq!(texts(&page2, ".latest .card-title"), ["Bài thông tin", "Số điện thoại và trang chính thức"]);
    let mut listed: Vec<String> = [&home, &page2].iter().flat_map(|page| texts(page, ".card-title")).collect();
    let count = listed.len();
    listed.sort();
    listed.dedup();
    assert_eq!((listed.len(), count), (5, 5), "every article once over the home pages: {listed:?}");
    // The updated date is on the card.
    let first = select(&home, ".urgent .card .meta")[0];
    assert!(text(first).contains("Cập nhật ngày 01 tháng 5 năm 2025"), "{}", text(first));

    // No big block repeating the site's name, no description above the warnings: the h1 is
    // for screen readers, the description is in the footer only.
    assert_eq!(attrs(&home, "main h1", "class"), ["vh"]);
    assert_eq!(text(one(&home, "main h1")), "Cảnh báo thử");
    let description = "Trang thử nghiệm của canhbao";
    assert!(!text(one(&home, "main")).contains(description));
    assert!(text(one(&home, "footer")).contains(description));
    assert_eq!(text(one(&page2, "main h1")), "Cảnh báo thử – Trang 2");
    // The header says who issues the site (`organisation` until `issuer` is set).
    assert_eq!(texts(&home, ".site-header .site-issuer"), ["Công an thành phố thử"]);
}

#[test]
fn term_pages_list_urgent_warnings_first_and_speak_plainly_issue_11() {
    let site = TestSite::new("phone");
    site.build();
    let term = site.html("thu-doan/gia-danh/index.html");
    assert_eq!(
        texts(&term, ".card-title"),
        ["Khẩn cấp đăng sớm, cập nhật gần đây", "Khẩn cấp cũ, không cập nhật", "Bài mới nhất"]
    );
    assert_eq!(texts(&term, ".card .badge"), ["Khẩn cấp", "Khẩn cấp", "Cần cảnh giác"], "three distinct levels");
    // No format names in the interface: what the link is for.
    for page in [&term, &site.html("canh-bao/so-dien-thoai/index.html")] {
        let all = text(one(page, "body"));
        for jargon in ["Atom", "RSS", "PNG"] {
            assert!(!all.contains(jargon), "`{jargon}` in: {all}");
        }
    }
    assert_eq!(texts(&term, "footer a[href='/atom.xml']"), ["Nhận tin cảnh báo mới bằng ứng dụng đọc tin"]);
}

#[test]
fn phone_numbers_become_tel_links_but_not_a_scams_number_or_other_numbers_issue_11() {
    let site = TestSite::new("phone");
    site.build();
    let html = site.html("canh-bao/so-dien-thoai/index.html");
    let tel: Vec<(String, String)> = select(&html, ".content a[href^='tel:']")
        .into_iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    let expected =
        [("tel:113", "113"), ("tel:18001567", "1800 1567"), ("tel:02438251234", "024 3825 1234"), ("tel:113", "113")];
    let expected: Vec<(String, String)> = expected.iter().map(|(h, t)| (h.to_string(), t.to_string())).collect();
    assert_eq!(tel, expected);
    // A scam's number quoted as [[…]] stays a marked, unlinked address.
    assert_eq!(texts(&html, ".content .scam-address"), ["0912 345 678"]);
    let content = text(one(&html, ".content"));
    assert!(content.contains("300.000.000 đồng") && content.contains("Điều 113 của Bộ luật"));
    // The site's hotline bar calls the site's hotline.
    assert_eq!(attrs(&html, ".hotline-bar a", "href"), ["tel:113"]);
}

#[test]
fn official_sites_named_in_text_become_links_look_alikes_do_not_issue_11() {
    let site = TestSite::new("phone");
    site.build();
    let html = site.html("canh-bao/so-dien-thoai/index.html");
    let links: Vec<(String, String)> = select(&html, ".content a[href^='https:']")
        .into_iter()
        .map(|a| (a.value().attr("href").unwrap().to_string(), text(a)))
        .collect();
    let expected = [
        ("https://dichvucong.gov.vn/p/home", "dichvucong.gov.vn/p/home"),
        ("https://canhbao.ncsc.gov.vn", "https://canhbao.ncsc.gov.vn"),
        // From `official_sites` in site.yaml.
        ("https://congan.example.gov.vn", "congan.example.gov.vn"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(h, t)| (h.to_string(), t.to_string())).collect();
    assert_eq!(links, expected);
    for a in select(&html, ".content a[href^='https:']") {
        assert_eq!(a.value().attr("rel"), Some("noopener noreferrer"));
    }
    assert!(text(one(&html, ".content")).contains("gdt.gov.vn.xyz không phải"), "a look-alike stays text");
}

#[test]
fn table_cells_carry_their_column_header_issue_11() {
    let site = TestSite::new("phone");
    site.build();
    let html = site.html("canh-bao/so-dien-thoai/index.html");
    assert_eq!(texts(&html, ".content th"), ["Lời kẻ gian nói", "Sự thật"]);
    assert_eq!(
        attrs(&html, ".content tbody td", "data-label"),
        ["Lời kẻ gian nói", "Sự thật", "Lời kẻ gian nói", "Sự thật"]
    );
    let page = site.html("duong-day-nong/index.html");
    assert_eq!(attrs(&page, ".content tbody td", "data-label"), ["Số", "Dùng khi", "Số", "Dùng khi"]);
    assert_eq!(attrs(&page, ".content td a", "href"), ["tel:113", "tel:156"], "a number alone in its cell is called");
}

#[test]
fn a_bad_official_site_is_an_error_in_site_yaml_issue_11() {
    let site = TestSite::new("invalid/bad_official_site");
    let stderr = site.fail();
    assert!(
        stderr.contains("site.yaml:9:5: official_sites: `https://congan.example.gov.vn/trang` is not a domain name"),
        "{stderr}"
    );
    assert!(stderr.contains("help: write only the domain, e.g. `congan.example.gov.vn`"), "{stderr}");
}
