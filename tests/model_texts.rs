//! The model lets go of each article's source text once its body is rendered (issue 10: the
//! texts were a sixth of a build's memory), and holds its summary once; the render reads a body again from its file where it
//! needs it (the material of each article, the decks and handbooks that show it), `check` where
//! it reports a line. The output must be the one a model that keeps the texts (the preview's)
//! gives, and a file saved during the build must not show up in two versions.

mod common;

use std::fs;

use canhbao::pipeline::{self, BuildOptions};
use canhbao::site::ItemRef;
use canhbao::site::update::Loader;
use canhbao::{Config, Message};
use common::{TestSite, snapshot};

/// The fixture with an article, a hand-written deck and a handbook drawing on it, its article
/// saved with CRLF line ends and decomposed (NFD) letters: read again, it must be normalised as
/// the first reading was.
fn site() -> TestSite {
    let site = TestSite::new("present");
    let path = site.root.join("content/articles/gia-danh-cong-an.md");
    let text = fs::read_to_string(&path).expect("fixture article");
    assert!(text.contains('ả') && text.contains('ộ'), "the fixture has letters to decompose");
    let decomposed = text.replace('ả', "a\u{309}").replace('ộ', "o\u{323}\u{302}").replace('\n', "\r\n");
    fs::write(&path, decomposed).expect("write article");
    site
}

#[test]
fn a_build_that_lets_go_of_the_texts_writes_what_one_that_keeps_them_writes() {
    let site = site();
    let prepared = pipeline::prepare(&site.options(), None).expect("prepare");
    assert!(!prepared.site.articles.is_empty());
    for a in &prepared.site.articles {
        assert!(a.article.source.text.is_empty(), "{}: the build's model holds no text", a.article.source.display);
        assert!(a.article.let_go.is_some());
        // Its summary is held once (issue 10): not in the body too, and the listing is the same
        // string when the summary is short enough.
        assert!(a.body.summary.is_empty() && !a.summary.full.is_empty(), "{}", a.article.source.display);
        assert!(std::sync::Arc::ptr_eq(&a.summary.full, &a.summary.listing), "the listing shares the summary");
    }
    pipeline::write(&prepared, &site.out).expect("build that lets go");

    let kept_out = site.dir.join("kept");
    let options = BuildOptions { output: Some(kept_out.clone()), ..site.options() };
    let config = Config::load(&site.root, None, false).expect("config");
    let preview = Loader::default().load(config, None).expect("the preview's load");
    let out = pipeline::output_folder(&options, &preview.config).expect("the output folder");
    let kept = pipeline::prepare_site(preview, out, &options, None).expect("prepare");
    assert!(
        kept.site.articles.iter().all(|a| !a.article.source.text.is_empty()),
        "the preview's model keeps its texts"
    );
    pipeline::write(&kept, &kept_out).expect("build that keeps the texts");

    let (let_go, held) = (snapshot(&site.out), snapshot(&kept_out));
    assert!(let_go.keys().any(|f| f.contains("/trinh-chieu/") || f.contains("slides")), "decks are made");
    assert!(let_go.keys().any(|f| f.ends_with("sms.txt")), "channel texts are made: {:?}", let_go.keys());
    assert_eq!(let_go.keys().collect::<Vec<_>>(), held.keys().collect::<Vec<_>>());
    for (file, bytes) in &let_go {
        assert!(held[file] == *bytes, "{file} differs");
    }
}

#[test]
fn a_source_saved_during_the_build_is_an_error_naming_it_and_nothing_is_written() {
    let site = site();
    let prepared = pipeline::prepare(&site.options(), None).expect("prepare");
    let config = Config::load(&site.root, None, false).expect("config");
    let preview = Loader::default().load(config, None).expect("the preview's load");
    let body = prepared.site.body_of(ItemRef::Article(0)).expect("unchanged file");
    assert_eq!(body, preview.articles[0].article.body(), "read again as the first reading had it");

    let source = &prepared.site.articles[0].article.source;
    let text = fs::read_to_string(&source.path).expect("read article");
    fs::write(&source.path, format!("{text}\r\nMột dòng viết thêm trong lúc dựng trang.\r\n")).expect("edit");
    let problem = prepared.site.body_of(ItemRef::Article(0)).expect_err("the file changed");
    assert_eq!(problem.path, source.display);
    assert_eq!(*problem.message, Message::ChangedDuringBuild);

    let error = pipeline::write(&prepared, &site.out).expect_err("the build fails");
    assert!(format!("{error:#}").contains(&source.display), "{error:#}");
    assert!(!site.out.exists(), "a failed build leaves no output folder behind");
}

#[cfg(unix)]
#[test]
fn a_source_swapped_for_a_link_out_of_the_site_during_the_build_is_refused_and_not_shown() {
    let site = site();
    let prepared = pipeline::prepare(&site.options(), None).expect("prepare");
    let source = &prepared.site.articles[0].article.source;
    // What an attacker with write access to content/ would like published: a file outside the
    // site, put in the article's place between the model and the render.
    let secret = site.dir.join("bi-mat.txt");
    fs::write(&secret, "---\ntitle: Bí mật\ndate: 2024-05-01\n---\nMẬT KHẨU NGÂN HÀNG 123456\n").expect("secret");
    fs::remove_file(&source.path).expect("remove article");
    std::os::unix::fs::symlink(&secret, &source.path).expect("link");

    let problem = prepared.site.body_of(ItemRef::Article(0)).expect_err("the file is not the one read");
    assert_eq!(*problem.message, Message::ChangedDuringBuild);
    let error = pipeline::write(&prepared, &site.out).expect_err("the build fails");
    assert!(!format!("{error:#}").contains("123456"), "the error does not show the file: {error:#}");
    assert!(!site.out.exists(), "nothing is published");
}
