//! Test helpers: copy a fixture site from `tests/fixtures/<case>/` into a fresh temp folder, build
//! it with the library or the binary, and read the output back as text, HTML or XML.
//! See tests/README.md ("How to add a test").

// Each test crate compiles this module and uses only part of it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use canhbao::{BuildOptions, BuildReport};
use scraper::{ElementRef, Html, Selector};

/// The repository root (the bundled example site lives here too).
pub const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// A fixture site copied into a temp folder: `<dir>/site/` is the site root, `<dir>/public/`
/// the output folder. Everything is deleted when the value is dropped.
pub struct TestSite {
    _tmp: tempfile::TempDir,
    /// The temp folder holding `site/` and `public/`.
    pub dir: PathBuf,
    pub root: PathBuf,
    pub out: PathBuf,
}

impl TestSite {
    /// Copies `tests/fixtures/<case>/` (e.g. `article`, `invalid/bad_date`). The repo's `themes/`
    /// is linked in when the fixture has none, so fixtures never duplicate the theme.
    pub fn new(case: &str) -> TestSite {
        let fixture = Path::new(REPO).join("tests/fixtures").join(case);
        assert!(fixture.is_dir(), "no fixture `{}`", fixture.display());
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().canonicalize().expect("canonical temp dir");
        let root = dir.join("site");
        copy_dir(&fixture, &root);
        if !root.join("themes").exists() {
            link_dir(&Path::new(REPO).join("themes"), &root.join("themes"));
        }
        let out = dir.join("public");
        TestSite { _tmp: tmp, dir, root, out }
    }

    /// Build options for this site and its output folder.
    pub fn options(&self) -> BuildOptions {
        BuildOptions { root: self.root.clone(), output: Some(self.out.clone()), ..Default::default() }
    }

    /// Builds with the library; panics with the full error if the build fails.
    pub fn build(&self) -> BuildReport {
        self.build_with(self.options())
    }

    pub fn build_with(&self, options: BuildOptions) -> BuildReport {
        canhbao::build(&options).unwrap_or_else(|e| panic!("build of {} failed:\n{e:#}", self.root.display()))
    }

    /// The binary, as `canhbao build --root <site> --output <public>`; add more arguments.
    pub fn cmd(&self) -> assert_cmd::Command {
        self.cmd_to(&self.out)
    }

    /// The binary, as `canhbao build --root <site> --output <out>`, run in the temp folder.
    pub fn cmd_to(&self, out: &Path) -> assert_cmd::Command {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("canhbao");
        cmd.arg("build").arg("--root").arg(&self.root).arg("--output").arg(out).current_dir(&self.dir);
        cmd
    }

    /// Runs the binary, asserts it exits with code 1 and returns its stderr.
    pub fn fail(&self) -> String {
        let output = self.cmd().output().expect("run canhbao");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
        assert_eq!(output.status.code(), Some(1), "expected exit code 1; stderr:\n{stderr}");
        stderr
    }

    /// Runs `canhbao check --root <site>` (English, no colour), asserts it exits with code 1 and
    /// returns its stderr.
    pub fn check_fails(&self) -> String {
        let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
            .arg("check")
            .arg("--root")
            .arg(&self.root)
            .env("LC_ALL", "C")
            .env("NO_COLOR", "1")
            .output()
            .expect("run canhbao");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8 stderr");
        assert_eq!(output.status.code(), Some(1), "expected exit code 1 from check; stderr:\n{stderr}");
        stderr
    }

    /// Writes a file of the site (relative to the site root), creating its folder.
    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// Path of an output file (relative to the output folder).
    pub fn path(&self, rel: &str) -> PathBuf {
        self.out.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).is_file()
    }

    /// An output file as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.path(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read `{}`: {e}", path.display()))
    }

    /// An output file parsed as an HTML document.
    pub fn html(&self, rel: &str) -> Html {
        Html::parse_document(&self.read(rel))
    }

    /// Every output file and its bytes, by path relative to the output folder.
    pub fn output(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.out)
    }
}

/// The output file serving a site URL path: `/x/` -> `x/index.html`, `/a.xml` -> `a.xml`.
pub fn file_of(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() }
}

/// Every file under `dir` and its bytes, by `/`-separated relative path. Symbolic links (the
/// linked `themes/`) are not followed.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list `{}`: {e}", dir.display())) {
            let entry = entry.unwrap();
            let (path, kind) = (entry.path(), entry.file_type().unwrap());
            if kind.is_symlink() {
                continue;
            } else if kind.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).unwrap();
                let rel: Vec<_> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                out.insert(rel.join("/"), fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Output files whose path ends with `.html`.
pub fn html_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&str, Html)> {
    files
        .iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path.as_str(), Html::parse_document(std::str::from_utf8(bytes).unwrap())))
        .collect()
}

/// Elements matching a CSS selector.
pub fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("bad selector `{css}`: {e}"));
    html.select(&selector).collect()
}

/// The one element matching a CSS selector.
pub fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(html, css);
    assert_eq!(found.len(), 1, "expected one `{css}`, found {}", found.len());
    found[0]
}

/// Text of an element with runs of whitespace collapsed.
pub fn text(el: ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Texts of the elements matching a CSS selector.
pub fn texts(html: &Html, css: &str) -> Vec<String> {
    select(html, css).into_iter().map(text).collect()
}

/// Values of an attribute on the elements matching a CSS selector.
pub fn attrs(html: &Html, css: &str, name: &str) -> Vec<String> {
    select(html, css).into_iter().filter_map(|e| e.value().attr(name)).map(str::to_string).collect()
}

/// Parses XML, panicking with the parser's message.
pub fn xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{text}"))
}

/// Copies a folder recursively (symbolic links are followed).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[cfg(unix)]
fn link_dir(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[cfg(not(unix))]
fn link_dir(from: &Path, to: &Path) {
    copy_dir(from, to);
}
