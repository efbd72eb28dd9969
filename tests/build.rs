//! Article pages and their Markdown (headings, links, alerts), summaries, and the home page.

mod common;

use common::{TestSite, attrs, html_files, one, select, text, texts};

const ARTICLE: &str = "canh-bao/gia-danh-cong-an/index.html";

#[test]
fn article_page_structure() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);

    assert_eq!(one(&html, "html").value().attr("lang"), Some("vi"));
    assert_eq!(text(one(&html, "title")), "Giả danh công an gọi điện yêu cầu chuyển tiền");
    assert_eq!(text(one(&html, "h1")), "Giả danh công an gọi điện yêu cầu chuyển tiền");
    assert_eq!(attrs(&html, "link[rel=canonical]", "href"), ["https://canhbao.test/canh-bao/gia-danh-cong-an/"]);

    let times = select(&html, "article .article-header time");
    assert_eq!(times[0].value().attr("datetime"), Some("2024-05-08"));
    assert_eq!(text(times[0]), "ngày 08 tháng 5 năm 2024");
    assert_eq!(times[1].value().attr("datetime"), Some("2024-06-01"), "the `updated` date");
    assert_eq!(text(times[1]), "ngày 01 tháng 6 năm 2024");

    assert_eq!(texts(&html, ".article-header .badge.badge-urgent"), ["Khẩn cấp"]);
    assert_eq!(
        attrs(&html, ".taxonomy a", "href"),
        ["/thu-doan/gia-danh-cong-an/", "/thu-doan/deepfake/", "/doi-tuong/nguoi-cao-tuoi/"],
        "scam types then audiences, in the order written"
    );
    assert_eq!(texts(&html, ".taxonomy a"), ["Giả danh công an", "Cuộc gọi deepfake", "Người cao tuổi"]);
}

#[test]
fn severity_badges_default_to_warning() {
    let site = TestSite::new("article");
    site.build();
    let badge = |rel: &str| texts(&site.html(rel), ".article-header .badge");
    assert_eq!(badge("canh-bao/ngan/index.html"), ["Thông tin"]);
    // Issue 11: "Cần cảnh giác", not "Cảnh báo" like the site's name and the alert box.
    assert_eq!(badge("canh-bao/cuoc-goi-deepfake/index.html"), ["Cần cảnh giác"], "no `severity:` means warning");
}

#[test]
fn hotline_link_on_every_html_page() {
    let site = TestSite::new("article");
    site.build();
    let files = site.output();
    let pages = html_files(&files);
    assert!(pages.len() >= 10, "{} HTML files", pages.len());
    for (path, html) in pages {
        // Redirects (the SMS short links of issue 12) show no page.
        if !select(&html, "meta[http-equiv=refresh]").is_empty() {
            continue;
        }
        assert!(!select(&html, "a[href=\"tel:113\"]").is_empty(), "{path} has no tel:113 link");
    }
}

#[test]
fn table_of_contents_only_from_three_headings() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);
    let toc = attrs(&html, "nav.toc a", "href");
    assert_eq!(toc, ["#dau-hieu-nhan-biet", "#phong-tranh", "#dau-hieu-nhan-biet-1", "#khi-bi-de-doa"]);
    assert_eq!(attrs(&html, "nav.toc li", "class"), ["toc-l2", "toc-l2", "toc-l2", "toc-l3"]);

    let short = site.html("canh-bao/ngan/index.html");
    assert_eq!(select(&short, ".content h2").len(), 2);
    assert!(select(&short, "nav.toc").is_empty(), "no table of contents for two headings");
}

#[test]
fn table_of_contents_threshold_counts_h2_and_h3_only() {
    let site = TestSite::new("minimal");
    let article = |title: &str, body: &str| format!("---\ntitle: \"{title}\"\ndate: 2024-05-01\n---\n{body}");
    site.write("content/articles/ba-muc.md", article("Ba mục", "## Một\n\n### Hai\n\n## Ba\n"));
    site.write(
        "content/articles/hai-muc.md",
        article("Hai mục", "# Tựa\n\n## Một\n\n#### Bốn\n\n##### Năm\n\n## Hai\n"),
    );
    site.build();
    let three = site.html("canh-bao/ba-muc/index.html");
    assert_eq!(attrs(&three, "nav.toc a", "href"), ["#mot", "#hai", "#ba"]);
    let two = site.html("canh-bao/hai-muc/index.html");
    assert!(select(&two, "nav.toc").is_empty(), "h1, h4 and h5 do not count");
    assert_eq!(attrs(&two, ".content h4, .content h5", "id"), ["bon", "nam"], "they still get ids");
}

#[test]
fn heading_ids_slugs_explicit_and_numbered() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);
    let ids = attrs(&html, ".content h2, .content h3", "id");
    assert_eq!(ids, ["dau-hieu-nhan-biet", "phong-tranh", "dau-hieu-nhan-biet-1", "khi-bi-de-doa"]);
    assert_eq!(texts(&html, ".content h2")[1], "Cách phòng tránh", "the `{{#id}}` is not shown");
}

#[test]
fn internal_links_become_pretty_urls() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);
    let links = attrs(&html, ".content a", "href");
    assert_eq!(
        links,
        [
            "/canh-bao/cuoc-goi-deepfake/#dau-hieu",
            "/duong-day-nong/",
            "https://chinhphu.vn/canh-bao",
            "/canh-bao/ngan/",
            "mailto:hotro@canhbao.test"
        ]
    );

    // From a bundle (`cuoc-goi-deepfake/index.md`), `../` climbs out of the bundle folder.
    let bundle = site.html("canh-bao/cuoc-goi-deepfake/index.html");
    assert_eq!(attrs(&bundle, ".content a", "href"), ["/canh-bao/gia-danh-cong-an/#phong-tranh", "/canh-bao/ngan/"]);
    // From a page to an article.
    let page = site.html("duong-day-nong/index.html");
    // "Gọi 113" is a tel: link too (issue 11).
    assert_eq!(attrs(&page, ".content a", "href"), ["tel:113", "/canh-bao/gia-danh-cong-an/"]);
}

#[test]
fn external_links_are_safe_and_others_untouched() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);
    let external = one(&html, ".content a[href^=\"https://\"]");
    assert_eq!(external.value().attr("rel"), Some("noopener noreferrer"));
    assert_eq!(text(external), "trang chính thức");
    for internal in select(&html, ".content a[href^=\"/\"], .content a[href^=\"mailto:\"]") {
        assert_eq!(internal.value().attr("rel"), None, "{:?}", internal.value().attr("href"));
    }
}

#[test]
fn github_alerts() {
    let site = TestSite::new("article");
    site.build();
    let html = site.html(ARTICLE);
    let quotes = select(&html, ".content blockquote");
    assert_eq!(quotes.len(), 3);
    assert_eq!(quotes[0].value().attr("class"), Some("markdown-alert markdown-alert-warning"));
    assert_eq!(texts(&html, ".markdown-alert-warning > p"), ["Cảnh báo", "Không chuyển tiền cho người lạ."]);
    assert_eq!(texts(&html, ".markdown-alert-note .markdown-alert-title"), ["Lưu ý"]);
    assert_eq!(quotes[2].value().attr("class"), None, "a plain quote stays a plain quote");
    assert!(!html.html().contains("[!WARNING]"));
}

/// (title, summary) of each card in the "latest" list of a page.
fn cards(html: &scraper::Html) -> Vec<(String, String)> {
    select(html, ".latest .card")
        .into_iter()
        .map(|card| {
            let part = |css: &str| card.select(&scraper::Selector::parse(css).unwrap()).map(text).collect::<String>();
            (part(".card-title"), part(".card-summary"))
        })
        .collect()
}

#[test]
fn summaries_on_home_page_cards() {
    let site = TestSite::new("summaries");
    site.build();
    let cards = cards(&site.html("index.html"));
    let summary = |title: &str| cards.iter().find(|(t, _)| t == title).map(|(_, s)| s.as_str()).unwrap();
    assert_eq!(summary("Tóm tắt trong front matter"), "Tóm tắt viết tay, không lấy từ bài.", "front matter wins");
    assert_eq!(summary("Tóm tắt trước dấu more"), "Đoạn một dòng hai. Đoạn hai.", "text before <!-- more -->");
    assert_eq!(summary("Tóm tắt là đoạn đầu"), "Đoạn đầu tiên với liên kết.", "else the first paragraph");

    let article = site.html("canh-bao/tom-tat-more/index.html");
    assert_eq!(attrs(&article, "meta[name=description]", "content"), ["Đoạn một dòng hai. Đoạn hai."]);
    assert!(text(one(&article, ".content")).contains("Phần sau không nằm trong tóm tắt."), "the body is whole");
}

#[test]

fn summary_before_more_keeps_punctuation_after_emphasis() {
    let site = TestSite::new("summaries");
    site.build();
    let cards = cards(&site.html("index.html"));
    let (_, summary) = cards.iter().find(|(t, _)| t == "Tóm tắt có chữ đậm trước dấu câu").unwrap();
    assert_eq!(summary, "Gọi 113, đừng chuyển tiền.");
}

#[test]
fn home_page_urgent_first_and_pagination() {
    let site = TestSite::new("home");
    site.build();
    let home = site.html("index.html");
    let sections = attrs(&home, "main section", "class");
    assert_eq!(sections, ["urgent", "latest"], "the urgent section comes first");
    assert_eq!(texts(&home, ".urgent .card-title"), ["Bài khẩn cấp cũ"]);
    // Issue 11: the urgent box takes its share of page 1, and the list leaves it out.
    assert_eq!(texts(&home, ".latest .card-title"), ["Bài mới nhất"]);
    assert_eq!(attrs(&home, ".pagination a[rel=next]", "href"), ["/trang/2/"]);
    assert!(select(&home, ".pagination a[rel=prev]").is_empty());
    assert_eq!(attrs(&home, ".pagination a[aria-current=page]", "href"), ["/"]);

    let page2 = site.html("trang/2/index.html");
    assert!(select(&page2, ".urgent").is_empty(), "urgent articles are on page 1 only");
    assert_eq!(texts(&page2, ".latest .card-title"), ["Bài thứ hai", "Bài thứ ba"], "never listed twice");
    assert_eq!(attrs(&page2, ".pagination a[rel=prev]", "href"), ["/"]);
    assert!(select(&page2, ".pagination a[rel=next]").is_empty());
    assert_eq!(attrs(&page2, "link[rel=canonical]", "href"), ["https://canhbao.test/trang/2/"]);
    assert_eq!(text(one(&page2, "title")), "Cảnh báo thử – Trang 2");
    assert!(!site.exists("trang/3/index.html"));
    assert!(!site.exists("trang/1/index.html"), "page 1 is the home page itself");
}

/// Issue 10: the page navigation links the first and last pages and two on each side of the
/// current one, with a gap between, not every page (that grew with the square of the articles).
#[test]
fn page_navigation_links_a_window_of_pages_issue_10() {
    let site = TestSite::new("home");
    let config = site.root.join("site.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap().replace("paginate_by: 2", "paginate_by: 1");
    std::fs::write(&config, yaml).unwrap();
    for n in 1..=8 {
        let text = format!("---\ntitle: \"Bài cũ {n}\"\ndate: 2023-01-{n:02}\n---\nNội dung cũ {n}.\n");
        std::fs::write(site.root.join(format!("content/articles/cu-{n}.md")), text).unwrap();
    }
    site.build();
    // 12 articles, one a page.
    assert!(site.exists("trang/12/index.html") && !site.exists("trang/13/index.html"));
    let page = |n: usize| if n == 1 { "/".to_string() } else { format!("/trang/{n}/") };
    let links = |html: &scraper::Html| attrs(html, ".pagination li a:not([rel])", "href");
    let page6 = site.html("trang/6/index.html");
    assert_eq!(links(&page6), [1, 4, 5, 6, 7, 8, 12].map(page));
    assert_eq!(select(&page6, ".pagination .pagination-gap").len(), 2);
    assert_eq!(attrs(&page6, ".pagination a[aria-current=page]", "href"), [page(6)]);
    assert_eq!(text(one(&page6, ".pagination-status")), "Trang 6 / 12");
    // The gaps sit where pages are left out: after 1 and before 12.
    let items: Vec<String> = select(&page6, ".pagination li")
        .into_iter()
        .map(|li| if li.value().attr("class") == Some("pagination-gap") { "…".into() } else { text(li) })
        .collect();
    assert_eq!(
        items,
        [
            "‹ Trang trước",
            "Trang 1",
            "…",
            "Trang 4",
            "Trang 5",
            "Trang 6",
            "Trang 7",
            "Trang 8",
            "…",
            "Trang 12",
            "Trang sau ›"
        ]
    );
    let home = site.html("index.html");
    assert_eq!(links(&home), [1, 2, 3, 12].map(page));
    assert_eq!(select(&home, ".pagination .pagination-gap").len(), 1);
}

#[test]
fn home_page_without_pagination() {
    let site = TestSite::new("summaries");
    site.build();
    let home = site.html("index.html");
    assert!(select(&home, ".pagination").is_empty());
    assert!(select(&home, ".urgent").is_empty(), "no urgent article, no urgent section");
    assert!(!site.exists("trang/2/index.html"));
}

#[test]
fn explicit_id_wins_over_an_earlier_automatic_one() {
    let site = TestSite::new("minimal");
    let body = "## Phòng tránh\n\n## Cách khác {#phong-tranh}\n\n## Phòng tránh\n";
    site.write("content/articles/id.md", format!("---\ntitle: \"Id\"\ndate: 2024-05-01\n---\n{body}"));
    site.build();
    let html = site.html("canh-bao/id/index.html");
    assert_eq!(attrs(&html, ".content h2", "id"), ["phong-tranh-1", "phong-tranh", "phong-tranh-2"]);
}

#[test]
fn date_time_is_shown_as_the_day_in_vietnam() {
    let site = TestSite::new("minimal");
    site.write("content/articles/gio.md", "---\ntitle: \"Giờ\"\ndate: 2024-05-08T20:00:00Z\n---\nNội dung.\n");
    site.build();
    let html = site.html("canh-bao/gio/index.html");
    let time = one(&html, ".article-header time");
    assert_eq!(time.value().attr("datetime"), Some("2024-05-09"), "20:00 UTC is 03:00 the next day in Vietnam");
    assert_eq!(text(time), "ngày 09 tháng 5 năm 2024");
    assert!(site.read("atom.xml").contains("<published>2024-05-09T03:00:00+07:00</published>"));
}

#[test]
fn markup_characters_in_titles_are_escaped() {
    let site = TestSite::new("minimal");
    let title = r#"Quà "miễn phí" & <b>trúng thưởng</b> 'ngay'"#;
    let front = format!("---\ntitle: '{}'\ndate: 2024-05-01\nsummary: \"A < B & C\"\n", title.replace('\'', "''"));
    site.write("content/articles/ky-tu.md", format!("{front}---\nNội dung.\n"));
    site.build();
    let html = site.html("canh-bao/ky-tu/index.html");
    assert_eq!(text(one(&html, "h1")), title);
    assert_eq!(text(one(&html, "title")), title);
    assert!(select(&html, "h1 b").is_empty(), "no markup injected");
    assert_eq!(attrs(&html, "meta[name=description]", "content"), ["A < B & C"]);
    let home = site.html("index.html");
    assert!(texts(&home, ".card-title").contains(&title.to_string()));
    let feed = site.read("atom.xml");
    let doc = common::xml(&feed);
    let titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
        .filter_map(|n| n.text())
        .collect();
    assert!(titles.contains(&title), "{titles:?}");
}

#[test]

fn repeated_explicit_ids_are_numbered_or_reported() {
    let site = TestSite::new("minimal");
    site.write("content/articles/trung.md", "---\ntitle: \"Trùng\"\ndate: 2024-05-01\n---\n## A {#x}\n\n## B {#x}\n");
    match canhbao::build(&site.options()) {
        Ok(_) => {
            let ids = attrs(&site.html("canh-bao/trung/index.html"), ".content h2", "id");
            assert_ne!(ids[0], ids[1], "duplicate id attributes make invalid HTML and a broken table of contents");
        }
        Err(e) => {
            assert!(format!("{e:#}").contains("content/articles/trung.md:7:1: heading id `x` is used twice"), "{e:#}")
        }
    }
}
