//! The route table (issue 10): it lists exactly the files a build writes, the sitemap is read
//! from it (every page route, no redirect or file), audience pages have no feed and reserve
//! none, and `Site::affected` says which outputs an edit of a source file touches.

mod common;

use std::collections::BTreeSet;

use canhbao::pipeline::load_site;
use canhbao::site::Affected;
use common::{TestSite, file_of, html_files, select, xml};

const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

#[test]
fn the_route_table_lists_exactly_the_files_written_issue_10() {
    for case in ["article", "aliases", "leaflets", "terms"] {
        let site = TestSite::new(case);
        site.build();
        let model = load_site(&site.options()).unwrap();
        let written = site.output();
        for file in written.keys() {
            assert!(model.routes.contains(file), "{case}: `{file}` was written but has no route");
        }
        for (file, route) in model.routes.files() {
            // PDFs are printed with --pdf only.
            let printed = matches!(
                model.routes.jobs()[route.job].job,
                canhbao::site::Job::Pdf(..) | canhbao::site::Job::PresentPdf
            );
            assert_eq!(written.contains_key(file), !printed, "{case}: `{file}` ({:?})", route.owner);
        }
    }
}

#[test]
fn audience_pages_have_no_feed_and_reserve_none_issue_10() {
    let site = TestSite::new("article");
    site.build();
    assert!(site.exists("thu-doan/deepfake/atom.xml"));
    assert!(site.exists("doi-tuong/nguoi-cao-tuoi/index.html"));
    assert!(!site.exists("doi-tuong/nguoi-cao-tuoi/atom.xml"));
    let html = site.html("doi-tuong/nguoi-cao-tuoi/index.html");
    assert!(select(&html, "link[type='application/atom+xml'][href*='doi-tuong']").is_empty(), "no feed linked");
    let model = load_site(&site.options()).unwrap();
    assert!(model.routes.owner("doi-tuong/nguoi-cao-tuoi/atom.xml").is_none(), "not reserved");

    // So an alias may take that URL.
    let article = site.root.join("content/articles/ngan.md");
    let text = std::fs::read_to_string(&article).unwrap();
    let text = text.replacen("---\n", "---\naliases: [\"/doi-tuong/nguoi-cao-tuoi/atom.xml\"]\n", 1);
    std::fs::write(&article, text).unwrap();
    site.build();
    let alias = site.read("doi-tuong/nguoi-cao-tuoi/atom.xml");
    assert!(alias.contains("https://canhbao.test/canh-bao/ngan/"), "{alias}");
}

#[test]
fn the_sitemap_lists_every_page_route_and_no_redirect_or_file_issue_10() {
    for case in ["leaflets", "aliases", "article"] {
        let site = TestSite::new(case);
        site.build();
        let sitemap = site.read("sitemap.xml");
        let doc = xml(&sitemap);
        let listed: BTreeSet<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name((SITEMAP, "loc")))
            .map(|n| file_of(n.text().unwrap().strip_prefix("https://canhbao.test").unwrap()))
            .collect();
        let files = site.output();
        // Every HTML page of the output that is not a redirect (aliases, short links), the 404
        // page or a page kept out of search engines (the officials' pages of issue 12).
        let pages: BTreeSet<String> = html_files(&files)
            .into_iter()
            .filter(|(path, html)| {
                *path != "404.html"
                    && select(html, "meta[http-equiv=refresh]").is_empty()
                    && select(html, "meta[name=robots][content*=noindex]").is_empty()
            })
            .map(|(path, _)| path.to_string())
            .collect();
        assert_eq!(listed, pages, "{case}");
        assert!(listed.iter().all(|f| f.ends_with(".html")), "{case}: a file in the sitemap: {listed:?}");
    }
}

fn files(affected: Affected) -> BTreeSet<String> {
    match affected {
        Affected::Files(files) => files,
        Affected::Everything => panic!("everything affected"),
    }
}

#[test]
fn an_edit_affects_the_outputs_that_show_the_edited_source_issue_10() {
    let site = TestSite::new("article");
    let model = load_site(&site.options()).unwrap();
    // `ngan.md` is the oldest article, of the scam type `deepfake` only.
    let ngan = files(model.affected(&[site.root.join("content/articles/ngan.md")]));
    for file in [
        "canh-bao/ngan/index.html",
        "canh-bao/ngan/qr.png",
        "canh-bao/ngan/qr.svg",
        "canh-bao/ngan/social.png",
        // Articles listing it as related.
        "canh-bao/cuoc-goi-deepfake/index.html",
        "index.html",
        "atom.xml",
        "sitemap.xml",
        "thu-doan/index.html",
        "thu-doan/deepfake/index.html",
        "thu-doan/deepfake/atom.xml",
        "tim-kiem/index.html",
        "tim-kiem/",
    ] {
        assert!(ngan.contains(file), "{file} missing from {ngan:?}");
    }
    for file in ["thu-doan/gia-danh-cong-an/index.html", "duong-day-nong/index.html", "404.html", "favicon.svg"] {
        assert!(!ngan.contains(file), "{file} in {ngan:?}");
    }
    // A bundle file affects its article; a static file only itself.
    let cover = files(model.affected(&[site.root.join("content/articles/cuoc-goi-deepfake/anh-bia.svg")]));
    assert!(
        cover.contains("canh-bao/cuoc-goi-deepfake/anh-bia.svg")
            && cover.contains("canh-bao/cuoc-goi-deepfake/index.html")
    );
    let page = files(model.affected(&[site.root.join("content/pages/duong-day-nong.md")]));
    assert_eq!(page, BTreeSet::from(["duong-day-nong/index.html".to_string(), "sitemap.xml".to_string()]));
    let guide = files(model.affected(&[site.root.join("static/tai-lieu/huong-dan.txt")]));
    assert_eq!(guide, BTreeSet::from(["tai-lieu/huong-dan.txt".to_string()]));
    // What every page depends on, and a file the site does not know yet, rebuild everything.
    for path in ["site.yaml", "themes/default/templates/base.html", "content/articles/moi.md"] {
        assert_eq!(model.affected(&[site.root.join(path)]), Affected::Everything, "{path}");
    }
}
