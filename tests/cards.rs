//! Social cards: every `og:image` of a built site is a 1200×630 PNG that is really there, drawn
//! from the theme's SVG template in the article's severity colour, cached, and redrawn when the
//! title changes.

mod common;

use common::*;

/// The `content` of `<meta property=...>`.
fn og_image(html: &scraper::Html) -> String {
    attrs(html, "meta[property='og:image']", "content").pop().expect("og:image")
}

fn png(bytes: &[u8]) -> image::RgbImage {
    image::load_from_memory_with_format(bytes, image::ImageFormat::Png).expect("a PNG").to_rgb8()
}

/// The file of an absolute URL of the test site (`https://canhbao.test/x/social.png`).
fn file_of_permalink(url: &str) -> String {
    let path = url.strip_prefix("https://canhbao.test").unwrap_or_else(|| panic!("not on the site: {url}"));
    path.trim_start_matches('/').to_string()
}

#[test]
fn every_og_image_is_a_card_of_the_right_size() {
    let site = TestSite::new("article");
    site.build();
    let files = site.output();
    let pages = html_files(&files);
    assert!(pages.len() > 5);
    let mut cards = std::collections::BTreeSet::new();
    for (rel, html) in &pages {
        if rel.contains("/cu/") || select(html, "meta[property='og:image']").is_empty() {
            continue; // alias redirects carry no preview
        }
        let card = file_of_permalink(&og_image(html));
        let bytes = files.get(&card).unwrap_or_else(|| panic!("{rel}: og:image `{card}` is not in the output"));
        let img = png(bytes);
        assert_eq!(img.dimensions(), (1200, 630), "{card}");
        cards.insert(card);
    }
    assert!(cards.contains("social.png"), "the site-wide card");
    assert!(cards.contains("canh-bao/cuoc-goi-deepfake/social.png"), "{cards:?}");
    assert!(cards.len() >= 3, "one card per article: {cards:?}");
}

/// The band on the card's left edge has the article's severity colour (see social_card.svg).
#[test]
fn the_band_shows_the_severity() {
    let site = TestSite::new("minimal");
    for (slug, severity) in [("khan", "urgent"), ("canh-bao", "warning"), ("tin", "info")] {
        site.write(
            &format!("content/articles/{slug}.md"),
            format!("---\ntitle: \"Thử {slug}\"\ndate: 2024-05-01\nseverity: {severity}\n---\nNội dung.\n"),
        );
    }
    site.build();
    let band = |slug: &str| {
        *png(&std::fs::read(site.path(&format!("canh-bao/{slug}/social.png"))).unwrap()).get_pixel(10, 300)
    };
    assert_eq!(band("khan").0, [0xb9, 0x1c, 0x1c]);
    assert_eq!(band("canh-bao").0, [0xb4, 0x53, 0x09]);
    assert_eq!(band("tin").0, [0x1d, 0x4e, 0xd8]);
}

/// Dark pixels in the title band: the title was drawn with the bundled font (no system fonts).
fn title_ink(img: &image::RgbImage) -> usize {
    (150..470).flat_map(|y| (80..1120).map(move |x| (x, y))).filter(|&(x, y)| img.get_pixel(x, y).0[0] < 80).count()
}

#[test]
fn cards_are_cached_and_follow_the_title() {
    let site = TestSite::new("minimal");
    let article = "content/articles/the.md";
    site.write(article, "---\ntitle: \"Ngắn\"\ndate: 2024-05-01\n---\nNội dung.\n");
    site.build();
    let card = "canh-bao/the/social.png";
    let short = std::fs::read(site.path(card)).unwrap();
    let cached: Vec<_> = walk(&site.root.join(".canhbao-cache/card"));
    let articles =
        std::fs::read_dir(site.path("canh-bao")).unwrap().filter(|e| e.as_ref().unwrap().path().is_dir()).count();
    assert_eq!(cached.len(), articles + 1, "the site card and one per article: {cached:?}");

    site.build();
    assert_eq!(std::fs::read(site.path(card)).unwrap(), short, "same input, same bytes");
    assert_eq!(walk(&site.root.join(".canhbao-cache/card")), cached, "nothing redrawn");

    site.write(
        article,
        "---\ntitle: \"Cảnh giác với cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản tạm giữ\"\ndate: 2024-05-01\n---\nNội dung.\n",
    );
    site.build();
    let long = std::fs::read(site.path(card)).unwrap();
    assert_ne!(long, short, "a new title redraws the card");
    assert_eq!(walk(&site.root.join(".canhbao-cache/card")).len(), cached.len() + 1, "one card redrawn");
    let (short, long) = (png(&short), png(&long));
    assert!(title_ink(&short) > 1000, "the short title is drawn");
    assert!(title_ink(&long) > 3 * title_ink(&short), "the long title covers more of the card");
}

#[test]
fn a_site_template_overrides_the_card() {
    let site = TestSite::new("minimal");
    site.write("content/articles/the.md", "---\ntitle: \"Thẻ\"\ndate: 2024-05-01\n---\nNội dung.\n");
    site.write(
        "templates/social_card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" fill=\"#00ff00\"/></svg>",
    );
    site.build();
    let img = png(&std::fs::read(site.path("canh-bao/the/social.png")).unwrap());
    assert_eq!(img.dimensions(), (1200, 630));
    assert!(img.pixels().all(|p| p.0 == [0, 255, 0]), "the site's own card is drawn");
}

#[test]
fn cards_show_the_updated_date_when_there_is_one_issue_11() {
    let site = TestSite::new("minimal");
    site.write(
        "content/articles/moi.md",
        "---\ntitle: \"Mới\"\ndate: 2024-05-01\nupdated: 2025-03-12\n---\nNội dung.\n",
    );
    site.write("content/articles/cu.md", "---\ntitle: \"Cũ\"\ndate: 2024-05-01\n---\nNội dung.\n");
    // Green when the card's line says when it was updated, red when it gives the date it was
    // published, blue otherwise.
    site.write(
        "templates/social_card.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"630\"><rect width=\"1200\" height=\"630\" \
         fill=\"{% if \"Cập nhật ngày 12 tháng 3 năm 2025\" in card.meta %}#00ff00\
         {% elif \"Ngày 01 tháng 5 năm 2024\" in card.meta %}#ff0000{% else %}#0000ff{% endif %}\"/></svg>",
    );
    site.build();
    let colour = |rel: &str| png(&std::fs::read(site.path(rel)).unwrap()).get_pixel(600, 300).0;
    assert_eq!(colour("canh-bao/moi/social.png"), [0, 255, 0], "updated: its date");
    assert_eq!(colour("canh-bao/cu/social.png"), [255, 0, 0], "never updated: the date it was published");
}

#[test]
fn a_broken_card_template_names_its_file() {
    let site = TestSite::new("minimal");
    site.write("templates/social_card.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\">{{ card.nope.x }}</svg>");
    let err = format!("{:#}", canhbao::build(&site.options()).unwrap_err());
    assert!(err.contains("templates/social_card.svg"), "{err}");
    assert!(!site.out.exists(), "nothing written");
}

/// Files under `dir`, sorted, as paths relative to it.
fn walk(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// Issue 10: a card is an indexed (palette) PNG well within the output budget of 40 KB per
/// article, and still shows its flat colours exactly.
#[test]
fn cards_are_small_palette_pngs() {
    let site = TestSite::new("minimal");
    site.write(
        "content/articles/the.md",
        "---\ntitle: \"Cảnh giác với cuộc gọi giả danh công an yêu cầu chuyển tiền vào tài khoản tạm giữ để điều tra\"\ndate: 2024-05-01\nseverity: urgent\n---\nNội dung.\n",
    );
    site.build();
    let bytes = std::fs::read(site.path("canh-bao/the/social.png")).unwrap();
    let reader = png::Decoder::new(std::io::Cursor::new(&bytes)).read_info().unwrap();
    assert_eq!(reader.info().color_type, png::ColorType::Indexed);
    assert!(bytes.len() < 30_000, "{} bytes", bytes.len());
    let img = png(&bytes);
    assert_eq!(img.get_pixel(10, 300).0, [0xb9, 0x1c, 0x1c], "the band's colour is exact");
    assert_eq!(img.get_pixel(600, 20).0, [0xff, 0xff, 0xff], "the background is exact");
    assert!(title_ink(&img) > 5000, "the title is drawn");
}

/// Issue 10: a preview (`serve`) or `--base-url` build shows the published domain on the card,
/// so it redraws nothing: the cards are the cached ones, byte for byte.
#[test]
fn another_host_redraws_no_card() {
    let site = TestSite::new("minimal");
    site.write("content/articles/the.md", "---\ntitle: \"Thẻ\"\ndate: 2024-05-01\n---\nNội dung.\n");
    site.build();
    let card = std::fs::read(site.path("canh-bao/the/social.png")).unwrap();
    let cached = walk(&site.root.join(".canhbao-cache/card"));
    let mut options = site.options();
    options.base_url = Some("http://127.0.0.1:1111".into());
    canhbao::build(&options).unwrap();
    assert_eq!(walk(&site.root.join(".canhbao-cache/card")), cached, "no card drawn for the preview host");
    assert_eq!(std::fs::read(site.path("canh-bao/the/social.png")).unwrap(), card);
    let page = site.html("canh-bao/the/index.html");
    assert!(og_image(&page).starts_with("http://127.0.0.1:1111/"), "the page itself links the preview host");
}
