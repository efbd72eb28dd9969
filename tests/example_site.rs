//! The bundled example site (the repo root), built into `target/tmp`: it builds (reproducibly), every
//! internal link resolves, nothing is loaded from a third-party host, and the W3C Nu HTML checker
//! finds no error.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use canhbao::BuildOptions;
use common::{REPO, copy_dir, html_files, select, snapshot};
use scraper::Html;

/// The example site's own host, from its site.yaml.
const OWN_ORIGIN: &str = "https://canhbao.example.vn/";

struct Built {
    out: PathBuf,
    files: BTreeMap<String, Vec<u8>>,
}

/// The example site built once for the tests of this file, into `target/tmp/example_site/public`
/// (replaced on every run).
fn example() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("example_site/public");
        // A folder left by a canhbao older than the output marker (issue 9) would be refused: this
        // scratch folder belongs to the test, so start from nothing.
        if out.exists() && !out.join(canhbao::output::MARKER_FILE).exists() {
            std::fs::remove_dir_all(&out).unwrap();
        }
        let options = BuildOptions { root: REPO.into(), output: Some(out.clone()), ..Default::default() };
        let report = canhbao::build(&options).unwrap_or_else(|e| panic!("the example site does not build:\n{e:#}"));
        assert!(report.articles >= 10, "{report}");
        let files = snapshot(&out);
        Built { out, files }
    })
}

/// `%XX` escapes decoded (file names with Vietnamese letters are percent-encoded in links).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The output file a link from `page` (an output path such as `canh-bao/x/index.html`) points
/// to, and its fragment; None for links that leave the site (`https:`, `mailto:`, `tel:`).
fn resolve(page: &str, link: &str) -> Option<(String, Option<String>)> {
    if link.starts_with("//") || link.split_once(':').is_some_and(|(scheme, _)| !scheme.contains('/')) {
        return None;
    }
    let (link, fragment) = match link.split_once('#') {
        Some((l, f)) => (l, Some(percent_decode(f))),
        None => (link, None),
    };
    let link = link.split('?').next().unwrap();
    let base = page.rsplit_once('/').map_or("", |(dir, _)| dir);
    let joined = if link.is_empty() {
        return Some((page.to_string(), fragment));
    } else if let Some(rooted) = link.strip_prefix('/') {
        rooted.to_string()
    } else {
        format!("{base}/{link}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut path = percent_decode(&parts.join("/"));
    if joined.ends_with('/') || path.is_empty() {
        path = if path.is_empty() { "index.html".into() } else { format!("{path}/index.html") };
    }
    Some((path, fragment))
}

fn ids(html: &Html) -> Vec<String> {
    select(html, "[id]").into_iter().filter_map(|e| e.value().attr("id")).map(str::to_string).collect()
}

/// Copies the example site's sources (the repo root without build products, tools and tests) so
/// that two builds read the same input even while someone edits the work tree.
fn copy_example(to: &Path) {
    const SKIP: [&str; 6] = ["target", "node_modules", "public", "tests", "bench", "scripts"];
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(REPO).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || SKIP.contains(&name.as_str()) {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(&name));
        } else {
            std::fs::copy(entry.path(), to.join(&name)).unwrap();
        }
    }
}

#[test]
fn example_site_builds_reproducibly() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_example(&root);
    let build = |out: &str| {
        let out = tmp.path().join(out);
        let options = BuildOptions { root: root.clone(), output: Some(out.clone()), ..Default::default() };
        canhbao::build(&options).unwrap_or_else(|e| panic!("the example site does not build:\n{e:#}"));
        snapshot(&out)
    };
    let (first, second) = (build("public1"), build("public2"));
    assert!(first.keys().any(|p| p.ends_with(".html")));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between two builds");
    }
}

#[test]
fn every_internal_link_resolves() {
    let built = example();
    let pages: BTreeMap<&str, Html> = html_files(&built.files).into_iter().collect();
    let mut problems = Vec::new();
    let mut checked = 0;
    for (page, html) in &pages {
        for (attr, el) in select(html, "[href]")
            .into_iter()
            .map(|e| ("href", e))
            .chain(select(html, "[src]").into_iter().map(|e| ("src", e)))
        {
            let link = el.value().attr(attr).unwrap();
            let Some((target, fragment)) = resolve(page, link) else { continue };
            checked += 1;
            if !built.files.contains_key(&target) {
                problems.push(format!("{page}: `{link}` -> `{target}` does not exist"));
                continue;
            }
            if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
                let Some(target_html) = pages.get(target.as_str()) else {
                    problems.push(format!("{page}: `{link}` has a fragment but `{target}` is not HTML"));
                    continue;
                };
                if !ids(target_html).contains(&fragment) {
                    problems.push(format!("{page}: `{link}`: no id `{fragment}` in `{target}`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{} broken links:\n{}", problems.len(), problems.join("\n"));
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn nothing_is_loaded_from_a_third_party_host() {
    let built = example();
    let remote = |url: &str| url.starts_with("http://") || url.starts_with("https://") || url.starts_with("//");
    let mut problems = Vec::new();
    for (page, html) in html_files(&built.files) {
        for el in select(&html, "[src]") {
            let src = el.value().attr("src").unwrap();
            if remote(src) {
                problems.push(format!("{page}: <{} src=\"{src}\">", el.value().name()));
            }
        }
        // Links to other sites are fine; stylesheets, icons, fonts and preloads are not.
        for el in select(&html, "[href]:not(a)") {
            let href = el.value().attr("href").unwrap();
            if remote(href) && !href.starts_with(OWN_ORIGIN) {
                problems.push(format!("{page}: <{} href=\"{href}\">", el.value().name()));
            }
        }
    }
    for (path, bytes) in &built.files {
        if path.ends_with(".css") || path.ends_with(".html") {
            let text = String::from_utf8_lossy(bytes).replace(['"', '\''], "");
            for needle in ["url(http:", "url(https:", "url(//", "@import"] {
                if text.contains(needle) {
                    problems.push(format!("{path}: contains `{needle}`"));
                }
            }
        }
    }
    assert!(problems.is_empty(), "third-party resources:\n{}", problems.join("\n"));
}

#[test]
fn hotline_link_on_every_page_but_redirects() {
    let built = example();
    for (page, html) in html_files(&built.files) {
        if !select(&html, "meta[http-equiv=refresh]").is_empty() {
            continue;
        }
        assert!(!select(&html, "a[href=\"tel:113\"]").is_empty(), "{page} has no tel:113 link");
    }
}

/// The Nu HTML checker jar: `$VNU_JAR`, else `node_modules/vnu-jar/build/dist/vnu.jar`.
fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(REPO).join("node_modules/vnu-jar/build/dist/vnu.jar"));
    assert!(
        jar.is_file(),
        "the W3C Nu HTML checker is missing: run `npm ci` at the repo root (it installs vnu-jar), \
         or set VNU_JAR to the path of vnu.jar (looked for `{}`)",
        jar.display()
    );
    jar
}

#[test]
fn nu_html_checker_finds_no_errors() {
    let jar = vnu_jar();
    let built = example();
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(&built.out)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `java` ({e}): the Nu HTML checker needs Java 11+; install it, then run `npm ci`")
        });
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.trim().is_empty() && stdout.trim().is_empty(),
        "the Nu HTML checker reports errors ({}):\n{stderr}{stdout}",
        output.status
    );
}

#[test]
fn link_resolution_used_above() {
    let page = "canh-bao/x/index.html";
    let r = |link| resolve(page, link);
    let some = |path: &str, fragment: Option<&str>| Some((path.to_string(), fragment.map(str::to_string)));
    assert_eq!(r("/"), some("index.html", None));
    assert_eq!(r("/thu-doan/a/#b"), some("thu-doan/a/index.html", Some("b")));
    assert_eq!(r("/assets/style.css?h=12"), some("assets/style.css", None));
    assert_eq!(r("anh-bia.svg"), some("canh-bao/x/anh-bia.svg", None));
    assert_eq!(r("../y/"), some("canh-bao/y/index.html", None));
    assert_eq!(r("%E1%BA%A3nh.svg"), some("canh-bao/x/ảnh.svg", None));
    assert_eq!(r("#muc"), some(page, Some("muc")));
    assert_eq!(r("https://chinhphu.vn/"), None);
    assert_eq!(r("//cdn.example/x.js"), None);
    assert_eq!(r("tel:113"), None);
    assert_eq!(r("mailto:a@b.vn"), None);
}
