//! One Markdown pass (issue 10): the search index and `check` read what the one reading of each
//! body returns instead of parsing it again or stripping tags from its HTML. Their outputs must
//! not change: they are compared byte for byte with the ones recorded before the change
//! (`tests/expected/one_pass/`) on fixtures with every kind of Markdown event
//! (`fixtures/one_pass/`, `fixtures/one_pass_check/`).

mod common;

use std::path::Path;

use common::{REPO, TestSite};

fn expected(name: &str) -> String {
    let path = Path::new(REPO).join("tests/expected/one_pass").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `canhbao check` in English without colour: exit code and stderr, its timing blanked out.
fn check(site: &TestSite) -> (Option<i32>, String) {
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .arg("check")
        .arg("--root")
        .arg(&site.root)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .expect("run canhbao");
    (output.status.code(), blank_time(&String::from_utf8(output.stderr).expect("UTF-8 stderr")))
}

/// `… in 0.05 s: …` -> `… in X s: …`.
fn blank_time(text: &str) -> String {
    text.lines()
        .map(|line| match (line.find(" in "), line.find(" s: ")) {
            (Some(start), Some(end)) if start < end && line.starts_with("Checked ") => {
                format!("{} in X{}", &line[..start], &line[end..])
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_search_index_is_unchanged_issue_10() {
    let site = TestSite::new("one_pass");
    site.build();
    for (file, recorded) in [("index.json", "index.json"), ("w/all.json", "w-all.json"), ("d/0.json", "d-0.json")] {
        assert_eq!(site.read(&format!("tim-kiem/{file}")), expected(recorded), "tim-kiem/{file}");
    }
    // What the index reads: the text as the page shows it (an alert's title, a footnote's
    // number, a defanged address; not an image's description).
    let docs: serde_json::Value = serde_json::from_str(&site.read("tim-kiem/d/0.json")).unwrap();
    let excerpt = docs[1][5].as_str().unwrap();
    assert!(excerpt.contains("Cảnh báo Công an không bao giờ"), "{excerpt}");
    assert_eq!(docs[2][5], "Bạn nhận tin nhắn báo trúng thưởng. Tin giả thường có lỗi chính tả.");
    assert!(site.read("tim-kiem/w/all.json").contains("\"hxxp\""), "the defanged address is indexed");
}

#[test]
fn check_warnings_are_unchanged_issue_10() {
    let site = TestSite::new("one_pass");
    let (code, stderr) = check(&site);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(stderr, blank_time(&expected("check-one_pass.txt")));
}

#[test]
fn check_finds_the_same_broken_anchors_issue_10() {
    let site = TestSite::new("one_pass_check/anchors");
    let (code, stderr) = check(&site);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr, blank_time(&expected("check-anchors.txt")));
}

#[test]
fn check_reports_the_images_of_refused_sources_issue_10() {
    // A refused front matter (bad date) keeps its file out of the model; check still reads its
    // body for images. A draft is left alone, unless its front matter is refused too.
    let site = TestSite::new("one_pass_check/refused");
    assert_eq!(site.check_fails(), expected("check-refused.txt"));
}
