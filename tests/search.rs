//! Issue 5: link previews (Open Graph, Twitter card, JSON-LD) in the generated HTML and the search
//! index of `/tim-kiem/`, checked on the example site built into a temporary folder. Also checks
//! that Rust folds and splits words like `assets/search.js` (shared cases in tests/fold_cases.json,
//! which tests/browser/search-script.test.mjs checks against the script).

mod common;

use std::path::{Path, PathBuf};

use canhbao::render::search;
use canhbao::{BuildOptions, text};
use scraper::{Html, Selector};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let options = BuildOptions { root: repo(), output: Some(out.clone()), ..Default::default() };
    canhbao::build(&options).unwrap();
    (tmp, out)
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn meta(doc: &Html, attr: &str, name: &str) -> String {
    let selector = Selector::parse(&format!("meta[{attr}=\"{name}\"]")).unwrap();
    let found: Vec<_> = doc.select(&selector).collect();
    assert_eq!(found.len(), 1, "exactly one <meta {attr}=\"{name}\">");
    found[0].value().attr("content").unwrap().to_string()
}

fn page(out: &Path, rel: &str) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join(rel)).unwrap())
}

#[test]
fn rust_folds_and_splits_like_the_script() {
    let cases = read_json(&repo().join("tests/fold_cases.json"));
    for case in cases["fold"].as_array().unwrap() {
        let (input, expected) = (case[0].as_str().unwrap(), case[1].as_str().unwrap());
        assert_eq!(text::fold(input), expected, "fold({input:?})");
    }
    for case in cases["words"].as_array().unwrap() {
        let input = case[0].as_str().unwrap();
        let expected: Vec<&str> = case[1].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
        assert_eq!(search::words(input).collect::<Vec<_>>(), expected, "words({input:?})");
    }
}

#[test]
fn every_page_has_link_preview_tags_and_articles_have_json_ld() {
    let (_tmp, out) = build_example();
    let base = "https://canhbao.example.vn";

    let article = page(&out, "canh-bao/gia-danh-cong-an-goi-dien/index.html");
    let url = format!("{base}/canh-bao/gia-danh-cong-an-goi-dien/");
    assert_eq!(meta(&article, "property", "og:type"), "article");
    assert_eq!(meta(&article, "property", "og:url"), url);
    assert_eq!(meta(&article, "property", "og:image"), format!("{url}social.png"));
    assert_eq!(meta(&article, "property", "og:image:width"), "1200");
    assert_eq!(meta(&article, "property", "og:image:height"), "630");
    assert_eq!(meta(&article, "property", "og:locale"), "vi_VN");
    assert!(meta(&article, "property", "og:title").starts_with("Giả danh công an"));
    assert!(!meta(&article, "property", "og:description").is_empty());
    assert_eq!(meta(&article, "property", "article:published_time"), "2024-05-08T00:00:00+07:00");
    assert_eq!(meta(&article, "property", "article:modified_time"), "2025-03-12T00:00:00+07:00");
    assert_eq!(meta(&article, "name", "twitter:card"), "summary_large_image");
    assert_eq!(meta(&article, "name", "twitter:image"), format!("{url}social.png"));

    let script = Selector::parse("script[type=\"application/ld+json\"]").unwrap();
    let ld: Vec<_> = article.select(&script).collect();
    assert_eq!(ld.len(), 1);
    let raw = ld[0].inner_html();
    assert!(!raw.contains('<'), "JSON-LD must not contain `<`: {raw}");
    let ld: Value = serde_json::from_str(&raw).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["url"], url.as_str());
    assert_eq!(ld["datePublished"], "2024-05-08T00:00:00+07:00");
    assert_eq!(ld["image"][0]["url"], format!("{url}social.png"));
    assert!(ld["headline"].as_str().unwrap().contains("“chứng minh trong sạch”"));

    // Share links: Facebook with the URL-encoded permalink, the share button, the QR code.
    let link = |sel: &str| -> String {
        let s = Selector::parse(sel).unwrap();
        article.select(&s).next().unwrap_or_else(|| panic!("no {sel}")).value().attr("href").unwrap().to_string()
    };
    assert_eq!(
        link(".share a[href^=\"https://www.facebook.com/sharer/\"]"),
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fcanhbao.example.vn%2Fcanh-bao%2Fgia-danh-cong-an-goi-dien%2F"
    );
    assert_eq!(link(".share a[href=\"qr.png\"]"), "qr.png");
    let button = Selector::parse("button[data-share-url]").unwrap();
    assert_eq!(article.select(&button).next().unwrap().value().attr("data-share-url"), Some(url.as_str()));

    // Other pages: the site-wide card, type website, no JSON-LD.
    for (rel, url) in [
        ("index.html", format!("{base}/")),
        ("thu-doan/gia-danh-co-quan-chuc-nang/index.html", format!("{base}/thu-doan/gia-danh-co-quan-chuc-nang/")),
        ("tim-kiem/index.html", format!("{base}/tim-kiem/")),
        ("gioi-thieu/index.html", format!("{base}/gioi-thieu/")),
    ] {
        let doc = page(&out, rel);
        assert_eq!(meta(&doc, "property", "og:type"), "website", "{rel}");
        assert_eq!(meta(&doc, "property", "og:url"), url, "{rel}");
        assert_eq!(meta(&doc, "property", "og:image"), format!("{base}/social.png"), "{rel}");
        assert_eq!(meta(&doc, "name", "twitter:card"), "summary_large_image", "{rel}");
        assert!(!meta(&doc, "property", "og:description").is_empty(), "{rel}");
        assert_eq!(doc.select(&script).count(), 0, "{rel}");
    }
}

#[test]
fn search_index_covers_every_article_and_keeps_spellings() {
    let (_tmp, out) = build_example();
    let dir = out.join("tim-kiem");
    let manifest = read_json(&dir.join("index.json"));
    let articles = std::fs::read_dir(out.join("canh-bao")).unwrap().count();
    assert_eq!(manifest["docs"], articles);

    let chunk = manifest["chunk"].as_u64().unwrap() as usize;
    let mut docs = Vec::new();
    for n in 0..manifest["chunks"].as_u64().unwrap() {
        let rows = read_json(&dir.join(format!("d/{n}.json")));
        assert!(rows.as_array().unwrap().len() <= chunk);
        docs.extend(rows.as_array().unwrap().iter().cloned());
    }
    assert_eq!(docs.len(), articles);
    for d in &docs {
        let url = d[0].as_str().unwrap();
        assert!(url.starts_with("/canh-bao/"), "{url}");
        assert!(out.join(url.trim_start_matches('/')).join("index.html").is_file(), "{url}");
        assert!(!d[1].as_str().unwrap().is_empty());
        assert_eq!(d[2].as_str().unwrap().len(), 10, "date YYYY-MM-DD");
    }

    // Every word of every shard is folded and sits in the shard its prefix names.
    let split = manifest["split"].as_u64().unwrap() as usize;
    let mut index = serde_json::Map::new();
    for key in manifest["shards"].as_object().unwrap().keys() {
        let shard = read_json(&dir.join(format!("w/{key}.json")));
        for (word, spellings) in shard.as_object().unwrap() {
            assert_eq!(&text::fold(word), word);
            assert_eq!(&search::shard_key(word, split), key);
            for spelling in spellings.as_object().unwrap().keys() {
                assert!(spelling.is_empty() || text::fold(spelling) == *word, "{spelling} under {word}");
            }
            index.insert(word.clone(), spellings.clone());
        }
    }

    // "duong" keeps đường (a title word of the APK article) apart from dương (the hospital article).
    let doc_ids = |word: &str, spelling: &str| -> Vec<(usize, u64)> {
        let mut id = 0;
        index[word][spelling]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                let p = p.as_u64().unwrap();
                id += (p / 8) as usize;
                (id, p % 8)
            })
            .collect()
    };
    let url_of = |id: usize| docs[id][0].as_str().unwrap().to_string();
    let duong: Vec<_> = doc_ids("duong", "đường");
    let apk = duong.iter().find(|(id, _)| url_of(*id).ends_with("/ung-dung-gia-mao/")).expect("APK article");
    assert_ne!(apk.1 & u64::from(search::TITLE), 0, "đường is in the APK article's title");
    let hospital = doc_ids("duong", "dương");
    assert!(hospital.iter().any(|(id, bits)| url_of(*id).contains("duong-tinh") && bits & 4 != 0));
    assert!(!duong.iter().any(|(id, _)| url_of(*id).contains("duong-tinh")), "no đường in the hospital article");

    // The search page lists every warning for readers without JavaScript.
    let html = page(&out, "tim-kiem/index.html");
    let items = Selector::parse(".search-all li a").unwrap();
    assert_eq!(html.select(&items).count(), articles);
    let form = Selector::parse("header form[role=search][action=\"/tim-kiem/\"] input[name=q]").unwrap();
    assert_eq!(page(&out, "index.html").select(&form).count(), 1, "search box in the header");
}

/// Issue 9 capped listing summaries at 300 characters with "…"; the excerpt must still start
/// after the (full) summary, or the snippet repeats what is shown above it.
#[test]
fn a_long_first_paragraph_is_not_repeated_in_the_snippet_issue_9() {
    let site = common::TestSite::new("minimal");
    let sentence = "Kẻ gian gọi điện xưng là nhân viên ngân hàng và đòi mã OTP để hủy giao dịch lạ. ";
    let first = sentence.repeat(6); // about 480 characters, one paragraph
    site.write(
        "content/articles/dai.md",
        format!("---\ntitle: \"Đoạn đầu dài\"\ndate: 2030-01-01\n---\n{first}\n\nGọi ngay đường dây nóng 113.\n"),
    );
    site.build();
    let docs = read_json(&site.out.join("tim-kiem/d/0.json"));
    let doc = docs.as_array().unwrap().iter().find(|d| d[1] == "Đoạn đầu dài").expect("the article's document");
    let (summary, excerpt) = (doc[3].as_str().unwrap(), doc[5].as_str().unwrap());
    assert!(summary.ends_with('…') && summary.chars().count() <= 301, "the summary is cut: {summary}");
    assert_eq!(excerpt, "Gọi ngay đường dây nóng 113.", "the snippet repeats the summary");
}
