//! The model's side of images: which file an image of a page is (beside the Markdown file, or
//! under `static/` for `/anh/x.jpg`), whether it exists, and what the build makes of it. The
//! result is an [`ImagePlan`] for the whole site (renditions to encode, files to copy, originals
//! to withhold) and, for each image, the HTML that shows it.
//!
//! Only image headers are read here (size and EXIF orientation); the pixels are decoded and
//! encoded at render time ([`crate::render::renditions`]). The processing itself is in
//! [`crate::images`].
//!
//! Leaflets keep their original images: their pages are printed, and a print shop needs the full
//! resolution. Their images are still checked (a missing one is an error) and copied beside the
//! leaflet's page.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, BundleFile, Source};
use crate::images::{self, Picture, Rendition, Size, Treatment};
use crate::messages::{ImageRole, Message};

/// What the pages of the site need made for their images.
#[derive(Debug, Default, Clone)]
pub struct ImagePlan {
    /// Re-encodings to make, by output path (relative to the output folder).
    pub renditions: BTreeMap<String, Rendition>,
    /// Images shown as they are that nothing else copies (those beside a flat Markdown file):
    /// output path to source file.
    pub copies: BTreeMap<String, PathBuf>,
    /// Source files shown through re-encodings: their originals (with EXIF, GPS) are not copied.
    pub replaced: BTreeSet<PathBuf>,
    /// Source files a leaflet shows as they are: copied even when an article re-encodes them.
    pub kept: BTreeSet<PathBuf>,
}

impl ImagePlan {
    /// Adds another page's plan to this one.
    pub fn merge(&mut self, other: ImagePlan) {
        self.renditions.extend(other.renditions);
        self.copies.extend(other.copies);
        self.replaced.extend(other.replaced);
        self.kept.extend(other.kept);
    }

    /// Whether the file must not be copied to the output as it is.
    pub fn withholds(&self, source: &Path) -> bool {
        self.replaced.contains(source) && !self.kept.contains(source)
    }
}

/// Where the images of one Markdown file are looked up and published.
pub struct Place<'a> {
    pub config: &'a Config,
    pub source: &'a Source,
    /// The item's bundle files (copied beside its page by the pipeline).
    pub files: &'a [BundleFile],
    /// The output folder of the item's page, `canh-bao/x/` (no leading `/`).
    pub page_dir: &'a str,
    /// Put before the URL of an image beside the Markdown file: empty in the page's own body
    /// (relative URLs), the page's URL (`/canh-bao/x/`) for a cover shown on other pages too.
    pub link_prefix: &'a str,
    /// Re-encode photos and screenshots (articles, pages), or show the originals (leaflets).
    pub process: bool,
}

impl<'a> Place<'a> {
    /// The body of an article or page published at `page_path` (`/canh-bao/x/`).
    pub fn body(config: &'a Config, source: &'a Source, files: &'a [BundleFile], page_path: &'a str) -> Self {
        Place { config, source, files, page_dir: page_path.trim_start_matches('/'), link_prefix: "", process: true }
    }
}

/// How an image is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    /// Re-encoded at several widths.
    Picture(Picture),
    /// The file as it is, at this URL.
    AsIs(String),
    /// Not a local file (`https://…`, `data:`): left alone.
    Remote,
}

/// Where an image reference points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// `https://…`, `//host/…`, `data:…`, `#…` or empty.
    Remote,
    /// `/anh/x.jpg`: `site_path` is `anh/x.jpg` (without the base path), found in `static/` (or
    /// the theme's).
    Static { site_path: String, file: PathBuf },
    /// Relative to the Markdown file (`anh/x.jpg`, NFC), found there.
    Beside { rel: String, file: PathBuf },
    /// A local file that does not exist; the first place looked at.
    Missing { looked_at: PathBuf },
    /// A relative path that leaves the Markdown file's folder (`../x.jpg`).
    Outside,
    /// A path that leads out of the site (`/../x.jpg`, `/%2e%2e/x.jpg`), or a file that is a
    /// symbolic link to a file outside the site (`target`, resolved).
    OutsideSite { target: Option<PathBuf> },
}

/// Finds the file an image reference (`dest`, as written in a file at `source`) points to.
/// A file found is always inside the site root or the theme folder, links resolved
/// ([`inside_site`]); anything else is [`Location::OutsideSite`] or [`Location::Outside`].
pub fn locate(dest: &str, source: &Path, config: &Config) -> Location {
    if dest.is_empty() || crate::urls::points_elsewhere(dest) {
        return Location::Remote;
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    // The shared rule ([`crate::urls::site_path`]); a leading `./` is allowed. An escape that
    // does not decode is read as written (`100%.png` is a file name): `%` escaped as `%25`.
    let raw = path.trim_start_matches("./");
    let checked = match crate::urls::site_path(raw) {
        Err(crate::urls::PathError::Malformed) => crate::urls::site_path(&raw.replace('%', "%25")),
        checked => checked,
    };
    let path = match checked {
        Ok(path) => path,
        Err(_) if crate::urls::percent_decode(raw).starts_with('/') => return Location::OutsideSite { target: None },
        Err(_) => return Location::Outside,
    };
    if let Some(site_path) = path.strip_prefix('/') {
        let base =
            site_path.strip_prefix(config.base_path.trim_start_matches('/')).filter(|_| !config.base_path.is_empty());
        let site_path = base.map(|p| p.trim_start_matches('/')).unwrap_or(site_path);
        let dirs = [config.static_dir.clone(), config.theme_dir.join("static")];
        return match dirs.iter().find_map(|dir| find_nfc(dir, site_path)) {
            Some(file) => match inside_site(&file, config) {
                Ok(()) => Location::Static { site_path: site_path.to_string(), file },
                Err(target) => Location::OutsideSite { target: Some(target) },
            },
            None => Location::Missing { looked_at: dirs[0].join(site_path) },
        };
    }
    let rel = path;
    let dir = source.parent().unwrap_or(Path::new("."));
    match find_nfc(dir, &rel) {
        Some(file) => match inside_site(&file, config) {
            Ok(()) => Location::Beside { rel, file },
            Err(target) => Location::OutsideSite { target: Some(target) },
        },
        None => Location::Missing { looked_at: dir.join(&rel) },
    }
}

/// Whether `file`, symbolic links resolved, is inside the site root or the theme folder (which
/// may itself be a link, to a theme shared by several sites). Returns the resolved path if not.
/// The roots were resolved once ([`Config::resolved_roots`]); only `file` is resolved here.
pub fn inside_site(file: &Path, config: &Config) -> Result<(), PathBuf> {
    let resolved = file.canonicalize().map_err(|_| file.to_path_buf())?;
    if config.resolved_roots.iter().any(|root| resolved.starts_with(root)) { Ok(()) } else { Err(resolved) }
}

/// A problem with one image reference, to be placed at the reference by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: Message,
    pub help: Option<Box<Message>>,
}

/// The problem of a [`Location::Missing`] or [`Location::Outside`] image (body image or cover).
pub fn location_problem(role: ImageRole, dest: &str, location: &Location, config: &Config) -> Option<Problem> {
    let dest = dest.to_string();
    match location {
        Location::Missing { looked_at } => Some(Problem {
            message: Message::ImageNotFound { role, dest, file: shown(looked_at, config) },
            help: Some(Box::new(Message::ImageNotFoundHelp)),
        }),
        Location::Outside => Some(Problem {
            message: Message::ImageOutside { role, dest },
            help: Some(Box::new(Message::ImageOutsideHelp)),
        }),
        Location::OutsideSite { target } => Some(Problem {
            message: match target {
                None => Message::PointsOutsideSite { role, dest },
                Some(target) => Message::ImageLinkOutsideSite { role, dest, target: target.display().to_string() },
            },
            help: Some(Box::new(Message::OutsideSiteHelp)),
        }),
        _ => None,
    }
}

/// A file found in the site's folders (`static/`, a bundle) that is a link to `target`, outside
/// the site.
pub fn linked_outside(file: &Path, target: &Path, config: &Config) -> crate::Diagnostic {
    let shown = shown(file, config);
    let message = Message::FileLinkOutsideSite { file: shown.clone(), target: target.display().to_string() };
    crate::Diagnostic::new(&shown, message).help(Message::OutsideSiteHelp)
}

/// The problem of an image without a description (`build` warns, `check` refuses).
pub fn no_alt(dest: &str) -> Problem {
    Problem {
        message: Message::NoAltText { dest: dest.to_string() },
        help: Some(Box::new(Message::NoAltTextHelp { dest: dest.to_string() })),
    }
}

/// A file path for messages: relative to the site root, `/` separators.
pub fn shown(path: &Path, config: &Config) -> String {
    path.strip_prefix(&config.root).map(content::slash_path).unwrap_or_else(|_| path.display().to_string())
}

/// Resolves one image reference of a Markdown file (`role`: body image or cover, for
/// messages) and adds what it needs to `plan`.
pub fn show(place: &Place, role: ImageRole, dest: &str, plan: &mut ImagePlan) -> Result<Shown, Problem> {
    let config = place.config;
    let location = locate(dest, &place.source.path, config);
    if let Some(problem) = location_problem(role, dest, &location, config) {
        return Err(problem);
    }
    // The output folder of the file (relative to the output root), its URL folder, and the file.
    let (out_dir, url_dir, name, file, copied) = match location {
        Location::Remote | Location::Missing { .. } | Location::Outside | Location::OutsideSite { .. } => {
            return Ok(Shown::Remote);
        }
        Location::Static { site_path, file } => {
            let (dir, name) = split_dir(&site_path);
            (dir.to_string(), format!("{}/{dir}", config.base_path), name.to_string(), file, true)
        }
        Location::Beside { rel, file } => {
            let (dir, name) = split_dir(&rel);
            let bundled = place.files.iter().any(|f| f.path == file || f.rel == rel);
            (format!("{}{dir}", place.page_dir), format!("{}{dir}", place.link_prefix), name.to_string(), file, bundled)
        }
    };
    let treatment = if place.process { Treatment::of(&name) } else { Treatment::AsIs };
    if treatment == Treatment::AsIs {
        if !copied {
            plan.copies.insert(format!("{out_dir}{name}"), file.clone());
        }
        if !place.process {
            plan.kept.insert(file);
        }
        return Ok(Shown::AsIs(format!("{url_dir}{name}")));
    }
    let size = images::inspect(&file).map_err(|e| Problem {
        message: Message::ImageUnreadable { file: shown(&file, config), error: e.to_string() },
        help: Some(Box::new(Message::ImageUnreadableHelp)),
    })?;
    Ok(Shown::Picture(picture(&file, size, treatment, (&out_dir, &url_dir), &name, plan)))
}

/// Plans the renditions of `file` (upright `size`) into `out_dir`, and the picture that shows
/// them with URLs in `url_dir`.
fn picture(
    file: &Path,
    size: Size,
    treatment: Treatment,
    (out_dir, url_dir): (&str, &str),
    name: &str,
    plan: &mut ImagePlan,
) -> Picture {
    let widths = images::widths(size.width);
    let src_width = images::default_width(&widths).unwrap_or(size.width);
    let formats = treatment.formats();
    let mut srcsets = Vec::new();
    for &format in formats {
        let mut srcset = Vec::new();
        for &width in &widths {
            let file_name = images::rendition_name(name, width, format);
            let height = images::height_at(size, width);
            plan.renditions.insert(
                format!("{out_dir}{file_name}"),
                Rendition { source: file.to_path_buf(), width, height, format },
            );
            srcset.push(format!("{} {width}w", srcset_url(&format!("{url_dir}{file_name}"))));
        }
        srcsets.push(srcset.join(", "));
    }
    plan.replaced.insert(file.to_path_buf());
    let fallback = formats[0];
    Picture {
        src: srcset_url(&format!("{url_dir}{}", images::rendition_name(name, src_width, fallback))),
        width: src_width,
        height: images::height_at(size, src_width),
        srcset: srcsets[0].clone(),
        webp_srcset: formats.iter().position(|&f| f == images::Format::WebP).map(|i| srcsets[i].clone()),
        sizes: images::SIZES,
    }
}

/// A URL safe inside `srcset`, where spaces separate a URL from its width and commas separate
/// candidates: those, `%` and non-ASCII bytes are percent-encoded (as pulldown-cmark encodes
/// the `src` of other images).
fn srcset_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for byte in url.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+;=:@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `anh/x.jpg` -> (`anh/`, `x.jpg`); `x.jpg` -> (``, `x.jpg`).
fn split_dir(path: &str) -> (&str, &str) {
    match path.rfind('/') {
        Some(i) => path.split_at(i + 1),
        None => ("", path),
    }
}

/// The file `name` (a `/`-separated relative path, NFC) under `dir`, whatever normalisation
/// the file system stored its name in.
pub fn find_nfc(dir: &Path, name: &str) -> Option<PathBuf> {
    let direct = dir.join(name);
    if direct.is_file() {
        return Some(direct);
    }
    let mut current = dir.to_path_buf();
    for segment in name.split('/') {
        let entry = std::fs::read_dir(&current)
            .ok()?
            .flatten()
            .find(|e| crate::text::nfc(&e.file_name().to_string_lossy()) == segment)?;
        current = entry.path();
    }
    current.is_file().then_some(current)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_folders() {
        assert_eq!(split_dir("anh/x.jpg"), ("anh/", "x.jpg"));
        assert_eq!(split_dir("x.jpg"), ("", "x.jpg"));
        assert_eq!(srcset_url("/anh/tin nhắn, 1-480w.png"), "/anh/tin%20nh%E1%BA%AFn%2C%201-480w.png");
    }
}
