//! The route table (issue 10): it lists exactly the files a build writes, the sitemap is read
//! from it (every page route, no redirect or file), audience pages have no feed and reserve
//! none, the inputs of the list pages are the articles they show, and `Site::affected` says
//! which outputs an edit of a source file touches.

mod common;

use std::collections::BTreeSet;

use canhbao::pipeline::load_site;
use canhbao::site::routes::Inputs;
use canhbao::site::{Affected, Input, Job, Site};
use common::{TestSite, attrs, file_of, html_files, one, select, text, xml};

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

/// The site paths of the articles among `inputs`, in their order.
fn article_paths(model: &Site, inputs: &[Input]) -> Vec<String> {
    let path = |input: &Input| match *input {
        Input::Article(i) => model.articles[i].path.clone(),
        ref other => panic!("{other:?} in a list"),
    };
    inputs.iter().map(path).collect()
}

/// Issue 10: the inputs of every home and term page are the articles the rendered page links
/// to, in its order, out of the list's length (its count and number of pages). The urgent
/// warnings lead the lists (issue 11), so no page here is a slice of the date order: preview
/// reads from these inputs which list pages an edit of an article changes.
#[test]
fn a_list_page_s_inputs_are_the_articles_it_shows_issue_10() {
    let site = TestSite::new("orders");
    site.build();
    let model = load_site(&site.options()).unwrap();
    let mut lists = Vec::new();
    for (file, route) in model.routes.files() {
        let task = &model.routes.jobs()[route.job];
        let Some((_, n)) = task.job.list_page() else { continue };
        let Inputs::ListPage { items, of } = &task.inputs else { panic!("{file}: {:?}", task.inputs) };
        let html = site.html(file);
        assert_eq!(attrs(&html, "main .card-title a", "href"), article_paths(&model, items), "{file}");
        let pages = of.div_ceil(2);
        if pages > 1 {
            assert_eq!(text(one(&html, ".pagination-status")), format!("Trang {n} / {pages}"), "{file}");
        }
        if let Job::Term(..) = task.job {
            assert!(text(one(&html, ".term-header .meta")).starts_with(&format!("{of} cảnh báo")), "{file}");
        }
        lists.push(file.to_string());
    }
    assert_eq!(
        lists,
        [
            "doi-tuong/nguoi-cao-tuoi/index.html",
            "doi-tuong/nguoi-cao-tuoi/trang/2/index.html",
            "index.html",
            "thu-doan/gia-danh/index.html",
            "thu-doan/gia-danh/trang/2/index.html",
            "thu-doan/viec-lam/index.html",
            "thu-doan/viec-lam/trang/2/index.html",
            "trang/2/index.html",
        ]
    );
    // Page 1 is the urgent box (changed most recently first), page 2 the rest, newest first.
    let home = |file: &str| attrs(&site.html(file), "main .card-title a", "href");
    assert_eq!(home("index.html"), ["/canh-bao/khan-cap-moi-cap-nhat/", "/canh-bao/khan-cap-cu/"]);
    assert_eq!(home("trang/2/index.html"), ["/canh-bao/moi-nhat/", "/canh-bao/thong-tin/"]);
}

/// Issue 10: the search page's inputs are the articles it lists, out of all of them; a feed's
/// inputs hold its entries and every other article of its list (its `updated` is the newest
/// change of any of them).
#[test]
fn the_search_page_and_feeds_show_only_their_inputs_issue_10() {
    let site = TestSite::new("orders");
    site.build();
    let model = load_site(&site.options()).unwrap();
    let route = model.routes.route("tim-kiem/index.html").unwrap();
    let Inputs::ListPage { items, of } = &model.routes.jobs()[route.job].inputs else { panic!("search page") };
    let html = site.html("tim-kiem/index.html");
    assert_eq!(attrs(&html, ".all-list a", "href"), article_paths(&model, items));
    assert_eq!(*of, model.articles.len());
    let all: Vec<Input> = (0..model.articles.len()).map(Input::Article).collect();
    for feed in ["atom.xml", "thu-doan/gia-danh/atom.xml", "thu-doan/viec-lam/atom.xml"] {
        let route = model.routes.route(feed).unwrap();
        let inputs = match &model.routes.jobs()[route.job].inputs {
            Inputs::AllArticles => all.clone(),
            Inputs::Items(items) => items.clone(),
            other => panic!("{feed}: {other:?}"),
        };
        let listed = article_paths(&model, &inputs);
        let text = site.read(feed);
        let doc = xml(&text);
        let entries: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("link") && n.parent().is_some_and(|p| p.has_tag_name("entry")))
            .map(|n| n.attribute("href").unwrap().strip_prefix("https://canhbao.test").unwrap())
            .collect();
        assert!(!entries.is_empty(), "{feed}");
        for entry in entries {
            assert!(listed.iter().any(|p| p == entry), "{feed}: {entry} is not among {listed:?}");
        }
    }
}
