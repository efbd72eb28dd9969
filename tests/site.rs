//! The pages around the articles: term pages and indexes, aliases, drafts, copied files, template
//! overrides, feeds, sitemap, robots.txt, 404, and `--base-url`.

mod common;

use common::{TestSite, attrs, file_of, html_files, one, select, text, texts, xml};

const ATOM: &str = "http://www.w3.org/2005/Atom";
const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

#[test]
fn term_index_in_vietnamese_alphabetical_order_with_counts() {
    let site = TestSite::new("terms");
    site.build();
    let scams = site.html("thu-doan/index.html");
    assert_eq!(
        texts(&scams, ".term-list h2"),
        ["An toàn", "Ăn cắp", "Ấn tượng giả", "Bẫy việc làm", "Dụ dỗ", "Đánh cắp", "Ép buộc", "Êm ái"],
        "a ă â b d đ e ê"
    );
    assert_eq!(
        attrs(&scams, ".term-list h2 a", "href")[..3],
        ["/thu-doan/an-toan/", "/thu-doan/an-cap/", "/thu-doan/an-tuong/"]
    );
    let counts = texts(&scams, ".term-list .meta");
    assert!(counts.iter().all(|c| c.ends_with(" cảnh báo")), "{counts:?}");
    let counts: Vec<&str> = counts.iter().map(|c| c.trim_end_matches(" cảnh báo")).collect();
    assert_eq!(counts, ["1", "3", "0", "0", "1", "0", "1", "0"]);
    assert!(texts(&scams, ".term-list p").contains(&"Thông tin an toàn.".to_string()), "descriptions are shown");

    let audiences = site.html("doi-tuong/index.html");
    assert_eq!(texts(&audiences, ".term-list h2"), ["Cá nhân", "Dân văn phòng", "Đoàn thể"]);
    assert_eq!(texts(&audiences, ".term-list .meta"), ["2 cảnh báo", "1 cảnh báo", "0 cảnh báo"]);
}

#[test]
fn term_pages_list_their_articles_newest_first_and_paginate() {
    let site = TestSite::new("terms");
    site.build();
    let page1 = site.html("thu-doan/an-cap/index.html");
    assert_eq!(text(one(&page1, "h1")), "Thủ đoạn: Ăn cắp");
    assert!(text(one(&page1, ".term-header .meta")).starts_with("3 cảnh báo"));
    assert_eq!(texts(&page1, ".card-title"), ["Bài một", "Bài hai"], "paginate_by: 2");
    assert_eq!(attrs(&page1, ".pagination a[rel=next]", "href"), ["/thu-doan/an-cap/trang/2/"]);
    assert_eq!(attrs(&page1, "link[rel=alternate][href$=\"an-cap/atom.xml\"]", "href"), ["/thu-doan/an-cap/atom.xml"]);

    let page2 = site.html("thu-doan/an-cap/trang/2/index.html");
    assert_eq!(texts(&page2, ".card-title"), ["Bài ba"]);
    assert_eq!(attrs(&page2, ".pagination a[rel=prev]", "href"), ["/thu-doan/an-cap/"]);

    let empty = site.html("thu-doan/danh-cap/index.html");
    assert!(select(&empty, ".card").is_empty());
    assert!(text(one(&empty, "main")).contains("Chưa có cảnh báo nào."));

    let audience = site.html("doi-tuong/ca-nhan/index.html");
    assert_eq!(text(one(&audience, "h1")), "Đối tượng: Cá nhân");
    assert_eq!(texts(&audience, ".card-title"), ["Bài một", "Bài hai"]);
    assert!(!site.exists("doi-tuong/ca-nhan/atom.xml"), "feeds are per scam type only");
}

#[test]
fn a_site_without_articles_builds() {
    let site = TestSite::new("minimal");
    std::fs::remove_dir_all(site.root.join("content")).unwrap();
    let report = site.build();
    assert_eq!(report.articles, 0);
    assert!(text(one(&site.html("index.html"), ".latest")).contains("Chưa có cảnh báo nào."));
    assert!(feed_entries(&site.read("atom.xml"), "https://canhbao.test/atom.xml").is_empty());
    assert!(
        feed_entries(&site.read("thu-doan/lua-dao/atom.xml"), "https://canhbao.test/thu-doan/lua-dao/atom.xml")
            .is_empty()
    );
    let sitemap = site.read("sitemap.xml");
    assert!(xml(&sitemap).descendants().any(|n| n.text() == Some("https://canhbao.test/")));
}

#[test]
fn aliases_redirect_to_the_absolute_target() {
    let site = TestSite::new("aliases");
    site.build();
    for (alias, target) in [
        ("bai-viet/gia-danh-cong-an.html", "https://canhbao.test/canh-bao/gia-danh-cong-an/"),
        ("tin-cu/cong-an/index.html", "https://canhbao.test/canh-bao/gia-danh-cong-an/"),
        ("lien-he/index.html", "https://canhbao.test/duong-day-nong/"),
    ] {
        let html = site.html(alias);
        assert_eq!(attrs(&html, "link[rel=canonical]", "href"), [target], "{alias}");
        assert_eq!(attrs(&html, "meta[http-equiv=refresh]", "content"), [format!("0; url={target}")], "{alias}");
        assert_eq!(attrs(&html, "meta[name=robots]", "content"), ["noindex"]);
        assert!(text(one(&html, "script")).contains("location.replace("), "{alias}");
        assert_eq!(attrs(&html, "body a", "href"), [target], "a link for browsers without refresh");
    }
    assert!(site.exists("canh-bao/gia-danh-cong-an/index.html"));
    assert!(site.exists("duong-day-nong/index.html"), "the page's `slug:` wins over its file name");
}

#[test]
fn drafts_excluded_by_default() {
    let site = TestSite::new("drafts");
    let report = site.build();
    assert_eq!((report.articles, report.pages), (1, 0));
    assert!(site.exists("canh-bao/da-dang/index.html"));
    assert!(!site.exists("canh-bao/ban-nhap/index.html"));
    assert!(!site.exists("trang-nhap/index.html"));
    for file in ["index.html", "atom.xml", "sitemap.xml"] {
        let text = site.read(file);
        assert!(!text.contains("ban-nhap") && !text.contains("Bài nháp"), "{file} mentions the draft");
        assert!(!text.contains("trang-nhap"), "{file} mentions the draft page");
    }
}

#[test]
fn drafts_included_with_the_drafts_flag() {
    let site = TestSite::new("drafts");
    let report = site.build_with(canhbao::BuildOptions { drafts: true, ..site.options() });
    assert_eq!((report.articles, report.pages), (2, 1));
    assert!(site.exists("canh-bao/ban-nhap/index.html"));
    assert!(site.exists("trang-nhap/index.html"));
    assert_eq!(texts(&site.html("index.html"), ".latest .card-title"), ["Bài nháp chưa đăng", "Bài đã đăng"]);
    assert!(site.read("sitemap.xml").contains("https://canhbao.test/canh-bao/ban-nhap/"));

    // The same through the binary.
    let other = TestSite::new("drafts");
    other.cmd().arg("--drafts").assert().success();
    assert!(other.exists("canh-bao/ban-nhap/index.html"));
}

#[test]
fn bundle_files_are_copied_next_to_the_article() {
    let site = TestSite::new("article");
    site.build();
    let source = std::fs::read(site.root.join("content/articles/cuoc-goi-deepfake/anh-bia.svg")).unwrap();
    assert_eq!(std::fs::read(site.path("canh-bao/cuoc-goi-deepfake/anh-bia.svg")).unwrap(), source);
    let html = site.html("canh-bao/cuoc-goi-deepfake/index.html");
    let cover = one(&html, ".cover img");
    assert_eq!(cover.value().attr("src"), Some("/canh-bao/cuoc-goi-deepfake/anh-bia.svg"));
    assert_eq!(cover.value().attr("alt"), Some("Điện thoại có cuộc gọi video giả"));
    assert_eq!(attrs(&html, ".content img", "src"), ["anh-bia.svg"], "relative to the article's page");
    assert!(!site.exists("canh-bao/cuoc-goi-deepfake/index.md"), "Markdown sources are not copied");
}

#[test]
fn image_beside_a_flat_article_is_copied_or_reported() {
    let site = TestSite::new("minimal");
    site.write("content/articles/phang.md", "---\ntitle: \"Phẳng\"\ndate: 2024-05-01\n---\nẢnh:\n\n![Ảnh](anh.svg)\n");
    site.write("content/articles/anh.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    match canhbao::build(&site.options()) {
        Ok(_) => {
            assert_eq!(attrs(&site.html("canh-bao/phang/index.html"), ".content img", "src"), ["anh.svg"]);
            assert!(site.exists("canh-bao/phang/anh.svg"), "the page's image is missing from the output");
        }
        Err(e) => assert!(format!("{e:#}").contains("content/articles/phang.md:7:"), "{e:#}"),
    }
}

#[test]
fn static_files_are_copied() {
    let site = TestSite::new("article");
    site.build();
    for rel in ["favicon.svg", "tai-lieu/huong-dan.txt"] {
        let source = std::fs::read(site.root.join("static").join(rel)).unwrap();
        assert_eq!(std::fs::read(site.path(rel)).unwrap(), source, "{rel}");
    }
    let theme_css = std::fs::read(site.root.join("themes/default/static/assets/style.css")).unwrap();
    assert_eq!(std::fs::read(site.path("assets/style.css")).unwrap(), theme_css, "the theme's static files too");
    let stylesheet = attrs(&site.html("index.html"), "link[rel=stylesheet]", "href");
    assert_eq!(stylesheet.len(), 1);
    assert!(stylesheet[0].starts_with("/assets/style.css?h="), "{stylesheet:?}");
}

#[test]
fn site_template_overrides_the_theme() {
    let site = TestSite::new("template_override");
    site.build();
    let html = site.html("canh-bao/bai/index.html");
    assert_eq!(texts(&html, "article.mau-rieng[data-template=site] h1"), ["Bài có mẫu riêng"]);
    assert!(select(&html, ".article-header").is_empty(), "the theme's article.html is not used");
    assert!(!select(&html, "a[href=\"tel:113\"]").is_empty(), "the theme's base.html still is");
    assert_eq!(select(&site.html("index.html"), ".latest .card").len(), 1, "other templates are the theme's");
}

/// (title, alternate link, id) of each entry of an Atom feed, after checking the feed itself.
fn feed_entries(text: &str, feed_url: &str) -> Vec<(String, String, String)> {
    let doc = xml(text);
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().namespace(), Some(ATOM));
    assert_eq!(feed.tag_name().name(), "feed");
    let child = |node: roxmltree::Node<'_, '_>, name: &str| {
        node.children().find(|c| c.has_tag_name((ATOM, name))).map(|c| c.text().unwrap_or("").to_string())
    };
    assert_eq!(child(feed, "id").as_deref(), Some(feed_url));
    let self_link = feed.children().find(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self"));
    assert_eq!(self_link.and_then(|l| l.attribute("href")), Some(feed_url));
    assert!(child(feed, "updated").is_some_and(|u| u.len() == 25), "RFC 3339 `updated`");
    feed.children()
        .filter(|c| c.has_tag_name((ATOM, "entry")))
        .map(|entry| {
            let link = entry.children().find(|c| c.has_tag_name((ATOM, "link"))).unwrap();
            (child(entry, "title").unwrap(), link.attribute("href").unwrap().to_string(), child(entry, "id").unwrap())
        })
        .collect()
}

#[test]
fn atom_feeds_for_the_site_and_each_scam_type() {
    let site = TestSite::new("article");
    site.build();
    let entries = feed_entries(&site.read("atom.xml"), "https://canhbao.test/atom.xml");
    let links: Vec<&str> = entries.iter().map(|(_, link, _)| link.as_str()).collect();
    assert_eq!(
        links,
        [
            "https://canhbao.test/canh-bao/gia-danh-cong-an/",
            "https://canhbao.test/canh-bao/cuoc-goi-deepfake/",
            "https://canhbao.test/canh-bao/ngan/"
        ],
        "every article, newest first, absolute links"
    );
    assert!(entries.iter().all(|(_, link, id)| link == id));
    assert_eq!(entries[0].0, "Giả danh công an gọi điện yêu cầu chuyển tiền");

    let deepfake =
        feed_entries(&site.read("thu-doan/deepfake/atom.xml"), "https://canhbao.test/thu-doan/deepfake/atom.xml");
    assert_eq!(deepfake.len(), 3);
    let police = feed_entries(
        &site.read("thu-doan/gia-danh-cong-an/atom.xml"),
        "https://canhbao.test/thu-doan/gia-danh-cong-an/atom.xml",
    );
    assert_eq!(police.len(), 1);
    assert_eq!(police[0].1, "https://canhbao.test/canh-bao/gia-danh-cong-an/");
}

#[test]
fn sitemap_lists_every_article_and_robots_names_it() {
    let site = TestSite::new("article");
    site.build();
    let text = site.read("sitemap.xml");
    let doc = xml(&text);
    assert_eq!(doc.root_element().tag_name().namespace(), Some(SITEMAP));
    let urls: Vec<(String, Option<String>)> = doc
        .descendants()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .map(|url| {
            let child = |name| url.children().find(|c| c.has_tag_name((SITEMAP, name))).and_then(|c| c.text());
            (child("loc").unwrap().to_string(), child("lastmod").map(str::to_string))
        })
        .collect();
    let has = |loc: &str, lastmod: Option<&str>| urls.iter().any(|(l, m)| l == loc && m.as_deref() == lastmod);
    assert!(has("https://canhbao.test/", Some("2024-06-01")), "{urls:?}");
    assert!(has("https://canhbao.test/canh-bao/gia-danh-cong-an/", Some("2024-06-01")), "updated wins");
    assert!(has("https://canhbao.test/canh-bao/cuoc-goi-deepfake/", Some("2024-04-20")));
    assert!(has("https://canhbao.test/canh-bao/ngan/", Some("2024-03-02")));
    assert!(has("https://canhbao.test/duong-day-nong/", None));
    assert!(has("https://canhbao.test/thu-doan/deepfake/", None));
    assert!(has("https://canhbao.test/doi-tuong/", None));
    // Every listed URL is served by a generated file.
    for (loc, _) in &urls {
        let path = loc.strip_prefix("https://canhbao.test").unwrap();
        assert!(site.exists(&file_of(path)), "{loc} has no file");
    }

    let robots = site.read("robots.txt");
    assert!(robots.lines().any(|l| l == "Sitemap: https://canhbao.test/sitemap.xml"), "{robots}");
}

#[test]
fn not_found_page() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html("404.html");
    assert_eq!(text(one(&html, "h1")), "Không tìm thấy trang");
    assert_eq!(attrs(&html, ".not-found a", "href"), ["/"]);
    assert!(!select(&html, "a[href=\"tel:113\"]").is_empty());
}

#[test]
fn base_url_with_a_sub_path() {
    let site = TestSite::new("article");
    site.cmd().args(["--base-url", "https://example.org/sub/"]).assert().success();
    let files = site.output();
    let mut checked = 0;
    for (path, html) in html_files(&files) {
        for url in attrs(&html, "[href], [src]", "href").into_iter().chain(attrs(&html, "[src]", "src")) {
            if url.starts_with('/') {
                assert!(url.starts_with("/sub/"), "{path}: `{url}` is not under /sub/");
                checked += 1;
            } else if url.starts_with("http") {
                assert!(url.starts_with("https://example.org/sub/") || !url.contains("canhbao.test"), "{path}: {url}");
            }
        }
        for canonical in attrs(&html, "link[rel=canonical]", "href") {
            assert!(canonical.starts_with("https://example.org/sub/"), "{path}: canonical {canonical}");
        }
    }
    assert!(checked > 50, "only {checked} root-relative links");

    let article = site.html("canh-bao/gia-danh-cong-an/index.html");
    assert_eq!(attrs(&article, "link[rel=canonical]", "href"), ["https://example.org/sub/canh-bao/gia-danh-cong-an/"]);
    assert!(attrs(&article, ".content a", "href").contains(&"/sub/canh-bao/cuoc-goi-deepfake/#dau-hieu".to_string()));
    assert_eq!(attrs(&site.html("404.html"), ".not-found a", "href"), ["/sub/"]);
    let feed = feed_entries(&site.read("atom.xml"), "https://example.org/sub/atom.xml");
    assert!(feed.iter().all(|(_, link, _)| link.starts_with("https://example.org/sub/canh-bao/")));
    assert!(site.read("robots.txt").contains("Sitemap: https://example.org/sub/sitemap.xml"));
    let sitemap = site.read("sitemap.xml");
    let doc = xml(&sitemap);
    for loc in doc.descendants().filter(|n| n.has_tag_name((SITEMAP, "loc"))) {
        assert!(loc.text().unwrap().starts_with("https://example.org/sub/"), "{:?}", loc.text());
    }
    assert!(site.exists("canh-bao/gia-danh-cong-an/index.html"), "files are not moved under sub/");
}

#[test]

fn root_relative_markdown_links_get_the_base_path() {
    let site = TestSite::new("article");
    site.write(
        "content/articles/goc.md",
        "---\ntitle: \"Gốc\"\ndate: 2024-01-01\n---\n[Hướng dẫn](/tai-lieu/huong-dan.txt), [trang chủ](/), ![](/favicon.svg)\n",
    );
    site.cmd().args(["--base-url", "https://example.org/sub/"]).assert().success();
    let html = site.html("canh-bao/goc/index.html");
    assert_eq!(attrs(&html, ".content a", "href"), ["/sub/tai-lieu/huong-dan.txt", "/sub/"]);
    assert_eq!(attrs(&html, ".content img", "src"), ["/sub/favicon.svg"]);
}
