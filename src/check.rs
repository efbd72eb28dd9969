//! `canhbao check`: everything the build validates, without writing anything, plus what the
//! build only warns about: images without alt text and covers without `cover_alt` are errors
//! here.
//!
//! The build's own validation is reused as is (the model of [`site::Site::new`], the
//! output-folder check, static files and template rendering in memory, images decoded and
//! encoded, [`pipeline::prepare_site`]), so `check` can never be more lenient than `build`. The
//! site is loaded once. The images of the Markdown bodies are also checked from
//! the sources ([`image_problems`]), so they are reported even when another problem stops the
//! model from being built; the messages are the build's, and duplicates are merged.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::config::Config;
use crate::content::{self, Source, front_matter};
use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::messages::{ImageRole, Message};
use crate::pipeline::{self, BuildOptions};
use crate::{markdown, pictures, sanitize, site};

/// What a successful check looked at.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub articles: usize,
    pub pages: usize,
    pub leaflets: usize,
    pub images: usize,
    /// Leaflets printed to check their fit (with `--pdf`).
    pub pdfs: usize,
    /// Things the editor should know that are not errors (as `build` reports them).
    pub warnings: Vec<Diagnostic>,
    pub time: Duration,
}

/// Checks the site; all content problems come back together as one [`ContentErrors`].
pub fn check(options: &BuildOptions) -> Result<CheckReport> {
    let start = Instant::now();
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    // The site is loaded once: its sources are checked for images here, then they become the
    // model (as in `pipeline::load_site`).
    let (discovered, discover_problems) = content::discover(&config)?;
    let mut problems = Vec::new();
    let mut images = 0;
    for (source, _) in discovered.articles.iter().chain(&discovered.pages).chain(&discovered.leaflets) {
        if is_draft(source) && !config.drafts {
            continue;
        }
        let Ok(split) = front_matter::split(&source.text) else { continue };
        let (found, mut bad) = image_problems(source, split.body, split.body_line, &config);
        images += found;
        problems.append(&mut bad);
    }
    let site = match site::Site::new(config, discovered, discover_problems) {
        Ok(site) => site,
        Err(mut others) => {
            others.append(&mut problems);
            others.sort();
            others.dedup();
            return Err(ContentErrors(others).into());
        }
    };
    problems.extend(anchor_problems(&site));
    // What the build only warns about (alt text) is an error here.
    problems.extend(site.warnings.iter().cloned());
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(ContentErrors(problems).into());
    }
    // The build's own preparation (in memory; the site's cache is read, never written, so check
    // writes nothing into the site), then the leaflets printed in a temporary folder with --pdf.
    let scratch = ScratchDir::new()?;
    let cache = crate::cache::Cache::read_only(&site.config.root.join(crate::cache::CACHE_DIR));
    let prepared = pipeline::prepare_site(site, options, Some(cache))?;
    let site = &prepared.site;
    if options.pdf && !site.leaflets.is_empty() && prepared.chromium.is_none() {
        return Err(Message::ChromiumNeeded.into());
    }
    // Every file is rendered (templates run, images encoded) into nothing, or, to print the
    // leaflets, into a temporary folder.
    let pdfs = match prepared.chromium {
        Some(_) => pipeline::write(&prepared, &scratch.0.join("public"))?,
        None => {
            pipeline::render_into(&prepared, &crate::output::Discard)?;
            0
        }
    };
    let mut warnings = prepared.warnings.clone();
    warnings.extend(content_warnings(site));
    Ok(CheckReport {
        articles: site.articles.len(),
        pages: site.pages.len(),
        leaflets: site.leaflets.len(),
        images,
        pdfs,
        warnings,
        time: start.elapsed(),
    })
}

/// What `check` warns about in the content without refusing it (issue 9): raw HTML shown as
/// text, live links to a `scam_domains` domain, summaries too long for lists.
pub fn content_warnings(site: &site::Site) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let mut notices = |source: &Source, body: &str, start: usize, body_line: usize, rendered: &markdown::Rendered| {
        for notice in &rendered.notices {
            let (line, column) = site::line_column(body, start + notice.offset);
            warnings.push(
                Diagnostic::new(&source.display, notice.message.clone())
                    .at(body_line + line - 1, column)
                    .maybe_help(notice.help.clone()),
            );
        }
    };
    for a in &site.articles {
        notices(&a.article.source, a.article.body(), 0, a.article.body_line, &a.body);
    }
    for p in &site.pages {
        notices(&p.page.source, p.page.body(), 0, p.page.body_line, &p.body);
    }
    for l in &site.leaflets {
        let body = l.leaflet.body();
        let split = crate::content::leaflet::split_sections(body);
        notices(&l.leaflet.source, body, split.intro.start, l.leaflet.body_line, &l.intro);
        for ((_, range), block) in split.sections.iter().zip(&l.blocks) {
            notices(&l.leaflet.source, body, range.start, l.leaflet.body_line, &block.body);
        }
    }
    let summaries = site
        .articles
        .iter()
        .map(|a| (&a.article.source, a.article.summary.as_deref(), a.article.summary_line))
        .chain(site.pages.iter().map(|p| (&p.page.source, p.page.summary.as_deref(), p.page.summary_line)));
    for (source, summary, line) in summaries {
        let chars = summary.map_or(0, |s| s.chars().count());
        if chars > sanitize::SUMMARY_WARN_CHARS {
            warnings.push(
                Diagnostic::new(&source.display, Message::LongSummary { chars })
                    .at(line, 1)
                    .help(Message::LongSummaryHelp),
            );
        }
    }
    warnings.sort();
    warnings.dedup();
    warnings
}

/// A folder under the system's temporary folder, removed on drop.
struct ScratchDir(std::path::PathBuf);

impl ScratchDir {
    fn new() -> Result<ScratchDir> {
        let dir = std::env::temp_dir().join(format!("canhbao-check-{}", std::process::id()));
        crate::fs_util::create_dir_all(&dir)?;
        Ok(ScratchDir(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Links to a heading (`x.md#muc`, `#muc`) whose target page has no element with that id.
/// The build checks that the page exists; only `check` looks at the fragment.
pub fn anchor_problems(site: &site::Site) -> Vec<Diagnostic> {
    let items: Vec<(&Source, &str, usize, &str)> = site
        .articles
        .iter()
        .map(|a| (&a.article.source, a.article.body(), a.article.body_line, a.body.html.as_str()))
        .chain(site.pages.iter().map(|p| (&p.page.source, p.page.body(), p.page.body_line, p.body.html.as_str())))
        .collect();
    let ids: HashMap<&str, Vec<&str>> =
        items.iter().map(|(source, _, _, html)| (source.rel.as_str(), html_ids(html))).collect();
    let mut problems = Vec::new();
    for (source, body, body_line, _) in &items {
        for link in find_links(body) {
            let Some((path, fragment)) = link.dest.split_once('#') else { continue };
            if fragment.is_empty() || crate::urls::points_elsewhere(path) || !(path.is_empty() || path.ends_with(".md"))
            {
                continue;
            }
            let target = if path.is_empty() {
                Some(source.rel.clone())
            } else {
                resolve(source.rel_dir(), &crate::urls::percent_decode(path))
            };
            // A missing page is the build's own error; only the fragment is checked here.
            let Some(known) = target.as_deref().and_then(|t| ids.get(t)) else { continue };
            let fragment = crate::urls::percent_decode(fragment);
            if known.contains(&fragment.as_str()) {
                continue;
            }
            let (line, column) = site::line_column(body, link.offset);
            let shown = format!("content/{}", target.as_deref().unwrap_or_default());
            let help = match crate::diagnostics::nearest(&fragment, known.iter().copied()) {
                Some(best) => Message::DidYouMeanAnchor { id: best.to_string() },
                None if known.is_empty() => Message::NoHeadings,
                None => Message::HeadingsThere { ids: known.iter().take(8).map(|i| i.to_string()).collect() },
            };
            let message = Message::BrokenAnchor { link: link.dest.clone(), fragment, page: shown };
            let d = Diagnostic::new(&source.display, message).at(body_line + line - 1, column).help(help);
            problems.push(d);
        }
    }
    problems.sort();
    problems
}

/// A link in a Markdown body.
struct LinkRef {
    offset: usize,
    dest: String,
}

fn find_links(body: &str) -> Vec<LinkRef> {
    Parser::new_ext(body, markdown::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                Some(LinkRef { offset: range.start, dest: dest_url.to_string() })
            }
            _ => None,
        })
        .collect()
}

/// The values of the `id="…"` attributes of rendered HTML (headings, footnotes, explicit ids).
fn html_ids(html: &str) -> Vec<&str> {
    html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

/// `dir/rel` with `.` and `..` resolved (content-relative, `/…` and `@/…` from the content
/// root); None if it climbs above `content/`.
fn resolve(dir: &str, rel: &str) -> Option<String> {
    let joined = match rel.strip_prefix("@/").or_else(|| rel.strip_prefix('/')) {
        Some(from_root) => from_root.to_string(),
        None => format!("{dir}/{rel}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(crate::text::nfc(&parts.join("/")))
}

/// Only the `draft` field of a front matter (the rest is validated by the build).
#[derive(Deserialize)]
struct DraftOnly {
    #[serde(default)]
    draft: bool,
}

fn is_draft(source: &Source) -> bool {
    front_matter::split(&source.text)
        .ok()
        .and_then(|split| serde_saphyr::from_str::<DraftOnly>(split.yaml).ok())
        .is_some_and(|d| d.draft)
}

/// An image in a Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Byte offset of the `![` in the body.
    pub offset: usize,
    pub dest: String,
    pub alt: String,
}

/// Every `![alt](dest)` of a Markdown body, in order.
pub fn find_images(body: &str) -> Vec<ImageRef> {
    let options = markdown::options();
    let mut images = Vec::new();
    let mut open: Option<ImageRef> = None;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if open.is_none() => {
                open = Some(ImageRef { offset: range.start, dest: dest_url.to_string(), alt: String::new() });
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(image) = open.as_mut() {
                    image.alt.push_str(&t);
                }
            }
            Event::End(TagEnd::Image) => images.extend(open.take()),
            _ => {}
        }
    }
    images
}

/// The images of one source's body that are missing or lack alt text. Returns the number of
/// images seen and the problems, positioned in the file (`body_line` is the body's first line).
pub fn image_problems(source: &Source, body: &str, body_line: usize, config: &Config) -> (usize, Vec<Diagnostic>) {
    let images = find_images(body);
    let mut problems = Vec::new();
    for image in &images {
        let (line, column) = site::line_column(body, image.offset);
        let at = |problem: pictures::Problem| {
            Diagnostic::new(&source.display, problem.message).at(body_line + line - 1, column).maybe_help(problem.help)
        };
        if image.alt.trim().is_empty() {
            problems.push(at(pictures::no_alt(&image.dest)));
        }
        let location = pictures::locate(&image.dest, &source.path, config);
        if let Some(problem) = pictures::location_problem(ImageRole::Image, &image.dest, &location, config) {
            problems.push(at(problem));
        }
    }
    (images.len(), problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_images_with_alt_and_offset() {
        let body = "Đoạn.\n\n![Tin nhắn *giả*](a.png) và ![](b%20c.png \"t\")\n";
        let images = find_images(body);
        assert_eq!(images.len(), 2);
        assert_eq!(images[0], ImageRef { offset: 10, dest: "a.png".into(), alt: "Tin nhắn giả".into() });
        assert_eq!(images[1].dest, "b%20c.png");
        assert_eq!(images[1].alt, "");
        assert_eq!(site::line_column(body, images[1].offset), (3, 29));
    }

    #[test]
    fn resolves_link_paths_and_reads_ids() {
        assert_eq!(resolve("articles", "../pages/a.md").as_deref(), Some("pages/a.md"));
        assert_eq!(resolve("articles", "@/pages/a.md").as_deref(), Some("pages/a.md"));
        assert_eq!(resolve("articles", "../../x.md"), None);
        assert_eq!(html_ids("<h2 id=\"dau-hieu\">D</h2><p id=\"x\">"), ["dau-hieu", "x"]);
    }

    #[test]
    fn decodes_percent_escapes() {}
}
