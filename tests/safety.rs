//! The output folder: builds are reproducible, a failed build changes nothing, stale files go
//! away, and folders whose replacement would destroy sources are refused.

mod common;

use std::fs;
use std::path::Path;

use common::{TestSite, snapshot};

/// Entries of `dir` left by the writer (`.public.canhbao-new-<pid>`, `.public.canhbao-old-<pid>`).
fn leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".canhbao-"))
        .collect()
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    for case in ["article", "terms", "aliases", "summaries"] {
        let site = TestSite::new(case);
        site.build();
        let other = site.dir.join("public2");
        site.build_with(canhbao::BuildOptions { output: Some(other.clone()), ..site.options() });
        let (first, second) = (site.output(), snapshot(&other));
        assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>(), "{case}");
        for (path, bytes) in &first {
            assert!(bytes == &second[path], "{case}: {path} differs between two builds");
        }
    }
}

#[test]
fn rebuilding_replaces_the_output_and_drops_stale_files() {
    let site = TestSite::new("article");
    site.build();
    let first = site.output();
    fs::write(site.path("stale.txt"), "left by hand").unwrap();
    fs::remove_file(site.root.join("content/articles/ngan.md")).unwrap();
    // Its short links were registered as printed (issue 14): the editor removes their lines too.
    let registry = fs::read_to_string(site.root.join("printed-urls.txt")).unwrap();
    let kept: String =
        registry.lines().filter(|l| !l.contains("content/articles/ngan.md")).map(|l| l.to_string() + "\n").collect();
    fs::write(site.root.join("printed-urls.txt"), kept).unwrap();
    fs::write(
        site.root.join("content/articles/cuoc-goi-deepfake/index.md"),
        fs::read_to_string(site.root.join("content/articles/cuoc-goi-deepfake/index.md"))
            .unwrap()
            .replace(" và [bài ngắn](../ngan.md)", ""),
    )
    .unwrap();
    fs::write(
        site.root.join("content/articles/gia-danh-cong-an.md"),
        fs::read_to_string(site.root.join("content/articles/gia-danh-cong-an.md"))
            .unwrap()
            .replace(" và [bài ngắn](ngan.md)", ""),
    )
    .unwrap();
    site.build();
    let second = site.output();
    assert!(first.contains_key("canh-bao/ngan/index.html"));
    assert!(!second.contains_key("canh-bao/ngan/index.html"), "the removed article's page is gone");
    assert!(!second.contains_key("stale.txt"), "the output folder is replaced as a whole");
    assert!(leftovers(&site.dir).is_empty(), "{:?}", leftovers(&site.dir));
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = TestSite::new("article");
    site.cmd().assert().success();
    let before = site.output();
    assert!(!before.is_empty());

    site.write("content/articles/hong.md", "---\ntitle: \"Hỏng\"\ndate: 2024-99-01\n---\nNội dung.\n");
    let stderr = site.fail();
    assert!(stderr.contains("content/articles/hong.md:3:7: date `2024-99-01` is not a valid date"), "{stderr}");
    assert!(site.output() == before, "the output folder changed");
    assert!(leftovers(&site.dir).is_empty(), "{:?}", leftovers(&site.dir));
}

#[test]
fn a_template_error_leaves_the_previous_output_as_it_was() {
    let site = TestSite::new("article");
    site.build();
    let before = site.output();
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}{{ article.title }\n");
    let stderr = site.fail();
    assert!(stderr.contains("templates/article.html:2"), "{stderr}");
    assert!(site.output() == before, "the output folder changed");
    assert!(leftovers(&site.dir).is_empty(), "{:?}", leftovers(&site.dir));
}

/// Runs the binary with `--output <out>` (plus `env`), expects a refusal naming `out` with
/// `reason`, and checks that nothing in the temp folder changed.
fn assert_refused(site: &TestSite, out: &Path, reason: &str, env: Option<(&str, &Path)>) {
    let before = snapshot(&site.dir);
    let mut cmd = site.cmd_to(out);
    if let Some((key, value)) = env {
        cmd.env(key, value);
    }
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{}: {stderr}", out.display());
    let expected = format!(
        "error: refusing to use `{}` as the output folder: {reason}; choose an empty or generated folder such as `public`",
        out.display()
    );
    assert!(stderr.contains(&expected), "expected:\n{expected}\ngot:\n{stderr}");
    assert!(snapshot(&site.dir) == before, "{}: files changed", out.display());
    assert!(site.dir.join("sentinel.txt").is_file() && site.root.join("sentinel.txt").is_file());
    assert!(leftovers(&site.dir).is_empty() && leftovers(&site.root).is_empty());
}

fn site_with_sentinels() -> TestSite {
    let site = TestSite::new("minimal");
    fs::write(site.dir.join("sentinel.txt"), "keep me").unwrap();
    site.write("sentinel.txt", "keep me too");
    site
}

#[test]
fn refuses_the_site_root_and_its_parents() {
    let site = site_with_sentinels();
    assert_refused(&site, &site.root, "it holds the site itself", None);
    assert_refused(&site, &site.dir, "it holds the site itself", None);
}

#[test]
fn refuses_source_folders() {
    let site = site_with_sentinels();
    site.write("content/articles/cu/ghi-chu.txt", "note");
    site.write("static/tai-lieu/a.txt", "a");
    for inside in ["content", "content/articles/cu", "content/moi", "static", "static/tai-lieu", "themes"] {
        assert_refused(&site, &site.root.join(inside), "it is inside a source folder of the site", None);
    }
}

#[test]
fn refuses_a_folder_holding_another_site() {
    let site = site_with_sentinels();
    let other = site.dir.join("other");
    fs::create_dir_all(other.join("content/articles")).unwrap();
    fs::write(other.join("content/articles/x.md"), "---\ntitle: x\n---\n").unwrap();
    assert_refused(&site, &other, "it contains a `content/` folder or a site.yaml", None);
    let with_config = site.dir.join("other2");
    fs::create_dir_all(&with_config).unwrap();
    fs::write(with_config.join("site.yaml"), "title: x\n").unwrap();
    assert_refused(&site, &with_config, "it contains a `content/` folder or a site.yaml", None);
}

#[test]
fn refuses_the_home_folder_and_a_file() {
    let site = site_with_sentinels();
    let home = site.dir.join("home");
    fs::create_dir_all(&home).unwrap();
    fs::write(home.join("thu.txt"), "a letter").unwrap();
    assert_refused(&site, &home, "it is your home folder", Some(("HOME", &home)));
    assert_refused(&site, &site.dir.join("sentinel.txt"), "it is a file", None);
}

#[test]
fn refuses_a_relative_output_of_dot() {
    let site = site_with_sentinels();
    let before = snapshot(&site.dir);
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["build", "--output", "."])
        .current_dir(&site.root)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("as the output folder: it holds the site itself"), "{stderr}");
    assert!(snapshot(&site.dir) == before);
}

#[test]
fn a_render_error_mid_build_leaves_the_previous_output_as_it_was_issue_10() {
    let site = TestSite::new("article");
    site.build();
    let before = site.output();
    // Valid Tera, so the templates load and the other pages are written into the staging
    // folder; the page `duong-day-nong` then fails to render.
    site.write(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ no_such_value }}{% endblock %}\n",
    );
    let stderr = site.fail();
    assert!(stderr.contains("/duong-day-nong/") && stderr.contains("page.html"), "{stderr}");
    assert!(site.output() == before, "the output folder changed");
    assert!(leftovers(&site.dir).is_empty(), "{:?}", leftovers(&site.dir));
}

#[test]
fn an_in_memory_sink_receives_the_files_the_build_writes_issue_10() {
    for case in ["article", "leaflets"] {
        let site = TestSite::new(case);
        site.build();
        let prepared = canhbao::pipeline::prepare(&site.options(), None).unwrap();
        let sink = canhbao::output::MemorySink::default();
        canhbao::pipeline::render_into(&prepared, &sink).unwrap();
        let mut written = site.output();
        assert!(written.remove(canhbao::output::MARKER_FILE).is_some(), "{case}: the writer's own file");
        // Campaign kits (issue 12) hold the PDFs, so the build makes them after rendering.
        written.retain(|path, _| !path.starts_with("kenh/bo-tai-lieu/"));
        let in_memory = sink.into_files();
        assert_eq!(in_memory.keys().collect::<Vec<_>>(), written.keys().collect::<Vec<_>>(), "{case}");
        assert!(in_memory == written, "{case}: the same bytes");
    }
}

/// Files of the cache of generated files (cards, images) are hard-linked into the output when
/// both are on one device, and the output is the same as a copy would give.
#[cfg(unix)]
#[test]
fn cache_files_are_hard_linked_into_the_output_issue_10() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::new("article");
    site.build();
    let card = site.path("canh-bao/ngan/social.png");
    let meta = fs::metadata(&card).unwrap();
    assert!(meta.nlink() >= 2, "the card is a link to the cache");
    let cached = walkdir::WalkDir::new(site.root.join(".canhbao-cache"))
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_type().is_file() && e.metadata().unwrap().ino() == meta.ino());
    assert!(cached.is_some(), "the card shares its inode with a file of the cache");
    // Sources are never linked: editing the output could change them.
    let favicon = fs::metadata(site.path("favicon.svg")).unwrap();
    assert_eq!(favicon.nlink(), 1);
    assert_ne!(favicon.ino(), fs::metadata(site.root.join("static/favicon.svg")).unwrap().ino());
}
