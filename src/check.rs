//! `canhbao check`: everything the build validates, without writing anything, plus the images
//! of the Markdown bodies (the file exists, the alt text is not empty).
//!
//! The build's own validation is reused as is ([`pipeline::load_site`], the output-folder check,
//! static files and template rendering in memory), so `check` can never be more lenient than
//! `build`. The image checks are separate and pure ([`image_problems`]) so the Markdown renderer
//! stays untouched.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Result;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Deserialize;

use crate::config::Config;
use crate::content::{self, Source, front_matter};
use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::pipeline::{self, BuildOptions};
use crate::{output, render, site};

/// What a successful check looked at.
#[derive(Debug, Clone)]
pub struct CheckReport {
    pub articles: usize,
    pub pages: usize,
    pub images: usize,
    pub time: Duration,
}

/// Checks the site; all content problems come back together as one [`ContentErrors`].
pub fn check(options: &BuildOptions) -> Result<CheckReport> {
    let start = Instant::now();
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    let (discovered, _) = content::discover(&config)?;
    let mut problems = Vec::new();
    let mut images = 0;
    for (source, _) in discovered.articles.iter().chain(&discovered.pages) {
        if is_draft(source) && !config.drafts {
            continue;
        }
        let Ok(split) = front_matter::split(&source.text) else { continue };
        let (found, mut bad) = image_problems(source, split.body, split.body_line, &config);
        images += found;
        problems.append(&mut bad);
    }
    let site = match pipeline::load_site(options) {
        Ok(site) => site,
        Err(err) => {
            return match err.downcast::<ContentErrors>() {
                Ok(ContentErrors(mut others)) => {
                    others.append(&mut problems);
                    others.sort();
                    others.dedup();
                    Err(ContentErrors(others).into())
                }
                Err(err) => Err(err),
            };
        }
    };
    if !problems.is_empty() {
        problems.sort();
        return Err(ContentErrors(problems).into());
    }
    let out = options.output.clone().unwrap_or_else(|| site.config.root.join("public"));
    output::check_output_dir(&out, &site.config)?;
    let (_, hashes) = output::static_files(&site.config)?;
    render::render_site(&site, hashes)?;
    Ok(CheckReport { articles: site.articles.len(), pages: site.pages.len(), images, time: start.elapsed() })
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
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
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
        let at = |message: String| Diagnostic::new(&source.display, message).at(body_line + line - 1, column);
        if image.alt.trim().is_empty() {
            problems.push(at(format!("image `{}` has no alt text", image.dest)).help(format!(
                "describe the picture between the brackets for readers who cannot see it, e.g. ![Tin nhắn giả mạo ngân hàng]({})",
                image.dest
            )));
        }
        if let Some(looked_at) = missing(&image.dest, &source.path, config) {
            let shown = looked_at
                .strip_prefix(&config.root)
                .map(content::slash_path)
                .unwrap_or(looked_at.display().to_string());
            problems.push(at(format!("image `{}` not found: no file `{shown}`", image.dest)).help(
                "check the file name (capital letters and accents count), put the picture next to the article, \
                 or in static/ and write its path from there, e.g. /anh/tin-nhan.png",
            ));
        }
    }
    (images.len(), problems)
}

/// The path looked at, if the image is a local file that does not exist. External and data
/// URLs are not checked. `/x.png` is looked up in `static/` and the theme's `static/`.
fn missing(dest: &str, source: &Path, config: &Config) -> Option<std::path::PathBuf> {
    let scheme = dest.split_once(':').is_some_and(|(s, _)| !s.is_empty() && !s.contains('/'));
    if dest.is_empty() || scheme || dest.starts_with("//") || dest.starts_with('#') {
        return None;
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let path = percent_decode(path);
    if let Some(site_path) = path.strip_prefix('/') {
        let base =
            site_path.strip_prefix(config.base_path.trim_start_matches('/')).filter(|_| !config.base_path.is_empty());
        let site_path = base.map(|p| p.trim_start_matches('/')).unwrap_or(site_path);
        let candidates = [config.static_dir.join(site_path), config.theme_dir.join("static").join(site_path)];
        return if candidates.iter().any(|c| c.is_file()) { None } else { Some(candidates[0].clone()) };
    }
    let file = source.parent().unwrap_or(Path::new(".")).join(&path);
    if file.is_file() { None } else { Some(file) }
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
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
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("%E1%BA%A3nh%20b.png"), "ảnh b.png");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
