//! Printing leaflet pages to PDF with headless Chromium, and checking that their content fits
//! the paper: the page sets each area's type to the largest size that fits and marks the areas
//! that do not fit even at the smallest size, and a short address that does not fit its line, in
//! `data-overflow` (see leaflet.html); the sizes chosen are in `data-fit`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Longest a single Chromium run may take before it is stopped.
const TIMEOUT: Duration = Duration::from_secs(90);

/// Names Chromium is installed under.
const NAMES: &[&str] = &["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

/// A headless Chromium (or Chrome) found on this machine.
#[derive(Debug, Clone)]
pub struct Chromium {
    path: PathBuf,
}

impl Chromium {
    /// The given executable, else the first of [`NAMES`] on `PATH`.
    pub fn find(explicit: Option<&Path>) -> Result<Option<Chromium>> {
        if let Some(path) = explicit {
            if !path.is_file() {
                return Err(crate::Message::ChromiumPathMissing { path: path.display().to_string() }.into());
            }
            return Ok(Some(Chromium { path: path.to_path_buf() }));
        }
        let Some(paths) = std::env::var_os("PATH") else { return Ok(None) };
        Ok(std::env::split_paths(&paths)
            .flat_map(|dir| NAMES.iter().map(move |name| dir.join(name)))
            .find(|candidate| candidate.is_file())
            .map(|path| Chromium { path }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs Chromium headless on `page` with `extra` arguments; returns its standard output.
    fn run(&self, page: &Path, extra: &[String]) -> Result<Vec<u8>> {
        let profile = std::env::temp_dir().join(format!("canhbao-chromium-{}-{}", std::process::id(), unique()));
        let mut command = Command::new(&self.path);
        command
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--hide-scrollbars",
                "--run-all-compositor-stages-before-draw",
                // A desktop window: the page's type is fitted at full size, not in the zoomed
                // layout narrow screens get.
                "--window-size=1600,1200",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .args(extra)
            .arg(file_url(page))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = command.spawn().with_context(|| format!("cannot start `{}`", self.path.display()))?;
        let stdout = child.stdout.take();
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut out) = stdout {
                let _ = std::io::Read::read_to_end(&mut out, &mut bytes);
            }
            bytes
        });
        let start = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if start.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_dir_all(&profile);
                bail!("Chromium did not finish printing `{}` within {} s", page.display(), TIMEOUT.as_secs());
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let output = reader.join().unwrap_or_default();
        let _ = std::fs::remove_dir_all(&profile);
        if !status.success() {
            bail!("Chromium failed on `{}` ({status})", page.display());
        }
        Ok(output)
    }

    /// How the page's script set the leaflet's type: the size chosen for each area and the
    /// areas that do not fit even at the smallest size.
    pub fn fitting(&self, page: &Path) -> Result<Fitting> {
        let dom = self.run(page, &["--dump-dom".into()])?;
        let dom = String::from_utf8_lossy(&dom);
        Fitting::from_dom(&dom).with_context(|| {
            format!("the type fitting did not run in `{}` (is leaflet.html from the current theme?)", page.display())
        })
    }

    /// The names of the areas of a page whose content does not fit (`data-overflow` on its
    /// `<html>`, set by the page's script: leaflets, slides, posters).
    pub fn overflowing_areas(&self, page: &Path) -> Result<Vec<String>> {
        let dom = self.run(page, &["--dump-dom".into()])?;
        let dom = String::from_utf8_lossy(&dom);
        let overflow = html_attribute(&dom, "data-overflow").with_context(|| {
            format!("the overflow check did not run in `{}` (is the template from the current theme?)", page.display())
        })?;
        Ok(overflow.split_whitespace().map(str::to_string).collect())
    }

    /// Prints `page` to `pdf`, with the page size its CSS asks for.
    pub fn print_pdf(&self, page: &Path, pdf: &Path) -> Result<()> {
        self.run(page, &["--no-pdf-header-footer".into(), format!("--print-to-pdf={}", pdf.display())])?;
        if !pdf.is_file() {
            bail!("Chromium wrote no PDF for `{}`", page.display());
        }
        Ok(())
    }
}

/// What the fitting script of a print page decided (the attributes of its `<html>` element).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fitting {
    /// Each fitted area's name and type size in points, in page order.
    pub sizes: Vec<(String, f64)>,
    /// Areas that do not fit at the smallest size (`dia-chi-ngan`: the short address).
    pub overflow: Vec<String>,
    /// The smallest type size the page allows, in points.
    pub min_pt: f64,
}

/// The name of the short address in `data-overflow`.
pub const ADDRESS_AREA: &str = "dia-chi-ngan";

impl Fitting {
    /// Reads the `<html>` element of a page's DOM as Chromium dumps it; `None` when the page's
    /// script did not run (no `data-fit` or `data-overflow`).
    pub fn from_dom(dom: &str) -> Option<Fitting> {
        let attribute = |name: &str| html_attribute(dom, name);
        let sizes = attribute("data-fit")?
            .split_whitespace()
            .filter_map(|entry| {
                let (name, size) = entry.rsplit_once(':')?;
                Some((name.to_string(), size.parse().ok()?))
            })
            .collect();
        let overflow = attribute("data-overflow")?.split_whitespace().map(str::to_string).collect();
        let min_pt = attribute("data-type-min").and_then(|m| m.parse().ok()).unwrap_or_default();
        Some(Fitting { sizes, overflow, min_pt })
    }
}

/// The value of attribute `name` of the `<html>` element of a DOM as Chromium dumps it.
fn html_attribute<'a>(dom: &'a str, name: &str) -> Option<&'a str> {
    let start = dom.find("<html")?;
    let tag = &dom[start..start + dom[start..].find('>')?];
    let marker = format!(" {name}=\"");
    let from = tag.find(&marker)? + marker.len();
    Some(&tag[from..from + tag[from..].find('"')?])
}

/// A number that differs between calls in one process (for temporary folder names).
fn unique() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// `file://` URL of an absolute path, percent-encoding what URLs cannot hold.
pub fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Number of pages of a PDF written by Chromium (counts page objects; Chromium's PDFs keep
/// them uncompressed).
pub fn pdf_page_count(pdf: &[u8]) -> usize {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's').count()
}

/// Checks that every leaflet print page in the output folder `dir` fits its paper, then prints
/// each to PDF beside it and checks its page count. Returns the number of PDFs; problems (a page
/// whose content does not fit) come back as diagnostics naming the leaflet.
pub fn print_leaflets(
    site: &crate::site::Site,
    chromium: &Chromium,
    dir: &Path,
) -> Result<std::result::Result<usize, Vec<crate::Diagnostic>>> {
    use rayon::prelude::*;
    let short_links = &site.config.sections.short_links;
    let jobs: Vec<_> =
        site.leaflets.iter().flat_map(|l| l.prints(short_links).into_iter().map(move |p| (l, p))).collect();
    let results: Vec<Result<Option<crate::Diagnostic>>> = jobs
        .par_iter()
        .map(|(l, print)| {
            let folder = dir.join(print.path.trim_start_matches('/'));
            let page = folder.join("index.html");
            let meta = &l.leaflet;
            let variant = print.variant.map(|v| v.id.clone()).unwrap_or_default();
            let paper = crate::render::leaflets::layout_label(meta.paper, meta.layout);
            let fitting = chromium.fitting(&page)?;
            let (address, areas): (Vec<String>, Vec<String>) =
                fitting.overflow.into_iter().partition(|area| area == ADDRESS_AREA);
            if !address.is_empty() {
                let address = crate::render::leaflets::short_address(&site.urls.permalink(&print.short_path)).into();
                let message = crate::Message::ShortUrlWraps { variant, address, paper: paper.to_string() };
                let problem = crate::Diagnostic::new(&meta.source.display, message);
                return Ok(Some(problem.help(crate::Message::ShortUrlWrapsHelp)));
            }
            if !areas.is_empty() {
                let smallest = format!("{}", fitting.min_pt);
                let message = crate::Message::LeafletTooLong { variant, paper: paper.to_string(), areas, smallest };
                return Ok(Some(
                    crate::Diagnostic::new(&meta.source.display, message).help(crate::Message::ShortenLeaflet),
                ));
            }
            let pdf = folder.join(crate::render::leaflets::pdf_name(l, print));
            chromium.print_pdf(&page, &pdf)?;
            let pages = pdf_page_count(&crate::fs_util::read(&pdf)?);
            if pages != meta.layout.pages() {
                return Ok(Some(crate::Diagnostic::new(
                    &meta.source.display,
                    crate::Message::LeafletPageCount { variant, pages, expected: meta.layout.pages() },
                )));
            }
            Ok(None)
        })
        .collect();
    let mut problems = Vec::new();
    for result in results {
        if let Some(problem) = result? {
            problems.push(problem);
        }
    }
    Ok(if problems.is_empty() { Ok(jobs.len()) } else { Err(problems) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(file_url(Path::new("/tmp/a b/tờ.html")), "file:///tmp/a%20b/t%E1%BB%9D.html");
    }

    #[test]
    fn reads_the_fitting_from_the_dumped_dom() {
        let dom = r#"<html lang="vi" data-type-min="13" data-fit="mat-truoc:15.25 mat-sau:13" data-overflow="mat-sau dia-chi-ngan"><head>"#;
        let fitting = Fitting::from_dom(dom).unwrap();
        assert_eq!(fitting.sizes, [("mat-truoc".to_string(), 15.25), ("mat-sau".to_string(), 13.0)]);
        assert_eq!(fitting.overflow, ["mat-sau", ADDRESS_AREA]);
        assert_eq!(fitting.min_pt, 13.0);
        assert_eq!(Fitting::from_dom(r#"<html lang="vi"><body data-fit="a:1">"#), None, "the script did not run");
    }

    #[test]
    fn counts_pages_not_page_trees() {
        let pdf =
            b"1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >> 3 0 obj << /Type /Page\n>>";
        assert_eq!(pdf_page_count(pdf), 2);
    }
}
