//! `canhbao check`: everything the build validates, without writing anything, plus what the
//! build only warns about: images without alt text and covers without `cover_alt` are errors
//! here.
//!
//! The build's own validation is reused as is (the model of [`site::Site::new`], the
//! output-folder check, static files and template rendering in memory, images decoded and
//! encoded, [`pipeline::prepare_site`]), so `check` can never be more lenient than `build`. The
//! site is loaded once, and every body is read once (issue 10): the links, ids and images
//! `check` looks at come from the model's one Markdown pass ([`markdown::Rendered`]). When the
//! model is refused, the warnings of the bodies it read are errors too, and the bodies of the
//! sources whose front matter was refused are read here for their images ([`image_problems`]),
//! so every image problem is reported at once; duplicates are merged.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use anyhow::Result;
use serde::Deserialize;

use crate::config::Config;
use crate::content::{self, Item, Source, front_matter};
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
    let (discovered, discover_problems) = content::discover(&config)?;
    // The site's cache is read, never written, so check writes nothing into the site.
    let cache = crate::cache::Cache::read_only(&config.root.join(crate::cache::CACHE_DIR));
    let site = match site::Site::load(config.clone(), discovered, discover_problems, Some(&cache)) {
        Ok(site) => site,
        Err(rejected) => {
            let site::Rejected { mut problems, warnings, refused } = rejected;
            // What the build only warns about (alt text) is an error here.
            problems.extend(warnings);
            for source in refused.iter().filter(|s| config.drafts || !is_draft(s)) {
                problems.extend(refused_image_problems(source, &config));
            }
            problems.sort();
            problems.dedup();
            return Err(ContentErrors(problems).into());
        }
    };
    let images = images_seen(&site);
    let mut problems = anchor_problems(&site, &cache)?;
    // What the build only warns about (alt text) is an error here.
    problems.extend(site.warnings.iter().cloned());
    let (channel_problems, channel_warnings) = crate::channels::check(&site)?;
    problems.extend(channel_problems);
    if !problems.is_empty() {
        problems.sort();
        problems.dedup();
        return Err(ContentErrors(problems).into());
    }
    // The build's own preparation (in memory; the site's cache is read, never written, so check
    // writes nothing into the site), then the leaflets printed in a temporary folder with --pdf.
    let scratch = ScratchDir::new()?;
    let out = pipeline::output_folder(options, &site.config)?;
    let prepared = pipeline::prepare_site(site, out, options, Some(cache))?;
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
    warnings.extend(channel_warnings);
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

/// The number of images in the bodies of the model.
fn images_seen(site: &site::Site) -> usize {
    let leaflet_bodies =
        site.leaflets.iter().flat_map(|l| std::iter::once(&l.intro).chain(l.blocks.iter().map(|b| &b.body)));
    site.articles
        .iter()
        .map(|a| &a.body)
        .chain(site.pages.iter().map(|p| &p.body))
        .chain(leaflet_bodies)
        .map(|body| body.images.len())
        .sum()
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
    // An article's text is read again (the model let go of it) where it has something to say.
    let mut unread = Vec::new();
    for a in site.articles.iter().filter(|a| !a.body.notices.is_empty()) {
        match a.article.body_again() {
            Ok(body) => notices(&a.article.source, &body, 0, a.article.body_line, &a.body),
            Err(problem) => unread.push(problem),
        }
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
    warnings.append(&mut unread);
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
/// The build checks that the page exists; only `check` looks at the fragment. The ids and links
/// of a body kept in `cache` are read back from it (the model does not hold them).
pub fn anchor_problems(site: &site::Site, cache: &crate::cache::Cache) -> Result<Vec<Diagnostic>> {
    let kept: Vec<Option<(Vec<String>, Vec<markdown::Written>)>> =
        site.articles.iter().map(|a| a.kept.as_ref().map(|at| at.anchors(cache)).transpose()).collect::<Result<_>>()?;
    let items: Vec<(&Item, &[String], &[markdown::Written])> = site
        .articles
        .iter()
        .zip(&kept)
        .map(|(a, kept)| match kept {
            Some((ids, links)) => (&a.article.item, &ids[..], &links[..]),
            None => (&a.article.item, &a.body.ids[..], &a.body.links[..]),
        })
        .chain(site.pages.iter().map(|p| (&p.page.item, &p.body.ids[..], &p.body.links[..])))
        .collect();
    let ids: HashMap<&str, &[String]> = items.iter().map(|(item, ids, _)| (item.source.rel.as_str(), *ids)).collect();
    let mut problems = Vec::new();
    for (item, _, links) in &items {
        let source = &item.source;
        for link in *links {
            let Some((path, fragment)) = link.dest.split_once('#') else { continue };
            if fragment.is_empty() || crate::urls::points_elsewhere(path) || !(path.is_empty() || path.ends_with(".md"))
            {
                continue;
            }
            let target = if path.is_empty() {
                Some(source.rel.clone())
            } else {
                markdown::content_path(&crate::urls::percent_decode(path), source.rel_dir())
            };
            // A missing page is the build's own error; only the fragment is checked here.
            let Some(known) = target.as_deref().and_then(|t| ids.get(t)) else { continue };
            let fragment = crate::urls::percent_decode(fragment);
            if known.contains(&fragment) {
                continue;
            }
            let body = match item.body_again() {
                Ok(body) => body,
                Err(problem) => {
                    problems.push(problem);
                    continue;
                }
            };
            let (line, column) = site::line_column(&body, link.offset);
            let shown = format!("content/{}", target.as_deref().unwrap_or_default());
            let help = match crate::diagnostics::nearest(&fragment, known.iter().map(String::as_str)) {
                Some(best) => Message::DidYouMeanAnchor { id: best.to_string() },
                None if known.is_empty() => Message::NoHeadings,
                None => Message::HeadingsThere { ids: known.iter().take(8).cloned().collect() },
            };
            let message = Message::BrokenAnchor { link: link.dest.clone(), fragment, page: shown };
            let d = Diagnostic::new(&source.display, message).at(item.body_line + line - 1, column).help(help);
            problems.push(d);
        }
    }
    problems.sort();
    Ok(problems)
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

/// The image problems of a source the model refused (its front matter is wrong): its body is
/// read here, the model never read it. The same messages as the build's for the others.
fn refused_image_problems(source: &Source, config: &Config) -> Vec<Diagnostic> {
    let Ok(split) = front_matter::split(&source.text) else { return Vec::new() };
    let targets = HashMap::new();
    let links = markdown::Links {
        dir: source.rel_dir(),
        targets: &targets,
        base_path: "",
        images: &markdown::plain_images,
        policy: &config.markdown,
    };
    let (rendered, _) = markdown::render(split.body, &links);
    image_problems(source, &rendered.images, split.body, split.body_line, config)
}

/// The images of one body (`images`, from its one Markdown pass) that are missing or lack alt
/// text, positioned in the file (`body_line` is the body's first line).
pub fn image_problems(
    source: &Source,
    images: &[markdown::WrittenImage],
    body: &str,
    body_line: usize,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for image in images {
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
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(rel: &str, text: &str) -> Source {
        Source {
            display: format!("content/{rel}"),
            rel: rel.to_string(),
            path: std::path::PathBuf::from("/nowhere/content").join(rel),
            text: text.to_string(),
        }
    }

    #[test]
    fn drafts_are_read_from_the_front_matter_alone() {
        assert!(is_draft(&source("articles/a.md", "---\ntitle: A\ndraft: true\nsai: 1\n---\nx")));
        assert!(!is_draft(&source("articles/a.md", "---\ntitle: A\n---\nx")));
        assert!(!is_draft(&source("articles/a.md", "no front matter")));
    }
}
