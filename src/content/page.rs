//! Standalone pages (`content/pages/**.md`, e.g. about and hotline), and the front-matter
//! helpers pages and articles share.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::front_matter;
use super::item::{self, Item, RawItem, Refused};
use super::{BundleFile, Source};
use crate::diagnostics::{self, Diagnostic, Message};
use crate::messages::UrlPlace;
use crate::text;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    summary: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Source, title, slug, draft, aliases, summary, body (see [`Item`]).
    pub item: Item,
    pub updated: Option<super::When>,
}

impl std::ops::Deref for Page {
    type Target = Item;
    fn deref(&self) -> &Item {
        &self.item
    }
}

pub fn parse(source: Source, files: Vec<BundleFile>) -> Result<Page, Refused> {
    let (raw, body_offset, body_line): (RawPage, _, _) = match parse_yaml(&source) {
        Ok(parsed) => parsed,
        Err(problems) => return Err(Refused { source, problems }),
    };
    let path = source.display.clone();
    let path = path.as_str();
    let mut errors = Vec::new();
    let updated = match raw.updated.as_ref().map(|u| (u, super::When::parse(&u.value))) {
        Some((u, None)) => {
            errors.push(
                Diagnostic::new(path, Message::BadDate { field: "updated".into(), value: u.value.clone() })
                    .at(u.referenced.line() as usize + 1, u.referenced.column() as usize)
                    .help(Message::DateFormat),
            );
            None
        }
        Some((_, when)) => when,
        None => None,
    };
    let shared = RawItem {
        title: &raw.title,
        slug: raw.slug.as_ref(),
        draft: raw.draft,
        aliases: &raw.aliases,
        summary: raw.summary,
    };
    let item = item::parse(source, files, shared, (body_offset, body_line), &mut errors);
    if !errors.is_empty() {
        return Err(Refused { source: item.source, problems: errors });
    }
    Ok(Page { item, updated })
}

/// Splits the front matter and deserializes it; returns the value, the body's byte offset in
/// the source text and the body's first line.
pub(super) fn parse_yaml<T: serde::de::DeserializeOwned>(
    source: &Source,
) -> Result<(T, usize, usize), Vec<Diagnostic>> {
    let path = source.display.as_str();
    // Control characters (in the front matter or the body) would reach feeds, cards and pages.
    let controls = diagnostics::control_problems(path, &source.text);
    if !controls.is_empty() {
        return Err(controls);
    }
    let split = front_matter::split(&source.text).map_err(|m| vec![Diagnostic::new(path, m).at(1, 1)])?;
    if let Some(control) = diagnostics::yaml_control_problem(path, split.yaml, split.yaml_line_offset) {
        return Err(vec![control]);
    }
    let body_offset = source.text.len() - split.body.len();
    if split.yaml.trim().is_empty() {
        return Err(vec![Diagnostic::new(path, Message::EmptyFrontMatter).at(2, 1)]);
    }
    let value = serde_saphyr::from_str::<T>(split.yaml)
        .map_err(|e| vec![diagnostics::from_yaml_error(path, split.yaml_line_offset, &e)])?;
    Ok((value, body_offset, split.body_line))
}

/// The longest name of a file or folder on the file systems the output is written to, in bytes.
/// A slug and each segment of an alias become one, so longer ones are errors at their place
/// (issue 9) instead of an OS error naming an output path. (`canhbao new` makes much shorter
/// names: see `scaffold::NEW_SLUG_BYTES`.)
pub const MAX_NAME_BYTES: usize = 255;

/// Why no slug can be made of a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugError {
    /// Nothing but punctuation or symbols: no letter or digit to keep.
    Empty,
    /// The slug would have this many bytes, more than allowed.
    TooLong(usize),
}

/// The slug of `wanted` (a `slug:`, a file name, a `--slug`): slugified, not empty, at most
/// `max` bytes long. The one check of every slug, for the build and for `canhbao new`.
pub fn slug_of(wanted: &str, max: usize) -> Result<String, SlugError> {
    let slug = text::slugify(wanted);
    if slug.is_empty() {
        return Err(SlugError::Empty);
    }
    if slug.len() > max {
        return Err(SlugError::TooLong(slug.len()));
    }
    Ok(slug)
}

/// The explicit slug (slugified), else the file or bundle name slugified. A bad `slug:` is
/// reported at its line and column; a bad file name at the file.
pub(super) fn resolve_slug(
    path: &str,
    explicit: Option<&Spanned<String>>,
    source: &Source,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let wanted = explicit.map_or(source.stem(), |s| s.value.as_str());
    let d = match slug_of(wanted, MAX_NAME_BYTES) {
        Ok(slug) => return slug,
        Err(SlugError::Empty) => {
            Diagnostic::new(path, Message::BadSlug { wanted: wanted.to_string() }).help(Message::SlugHelp)
        }
        Err(SlugError::TooLong(length)) => {
            let help = if explicit.is_some() { Message::SlugHelp } else { Message::LongFileNameHelp };
            Diagnostic::new(path, Message::LongSlug { length, max: MAX_NAME_BYTES }).help(help)
        }
    };
    errors.push(match explicit {
        Some(s) => d.at(s.referenced.line() as usize + 1, s.referenced.column() as usize),
        None => d,
    });
    String::new()
}

/// Checks that each alias is a site-relative path: `/old/url/` or `/old/page.html`.
pub(super) fn aliases(path: &str, raw: &[Spanned<String>], errors: &mut Vec<Diagnostic>) -> Vec<item::Alias> {
    let mut out = Vec::new();
    for alias in raw {
        let url = alias.value.trim();
        let line = alias.referenced.line() as usize + 1;
        let column = alias.referenced.column() as usize;
        if let Err(message) = crate::sanitize::check_url(url, UrlPlace::Alias) {
            errors.push(Diagnostic::new(path, message).at(line, column));
            continue;
        }
        // The shared rule ([`crate::urls::site_path`]: no `.` or `..` segment, also encoded, no
        // `\`, control character or `//` start, escapes that decode), and an alias is a path
        // of this site: no query, fragment or space.
        let bad = !url.starts_with('/') || url.contains(['?', '#', ' ']) || crate::urls::site_path(url).is_err();
        if bad || url == "/" {
            errors.push(Diagnostic::new(path, Message::BadAlias { url: url.to_string() }).at(line, column));
            continue;
        }
        // Each segment becomes a folder or file name of the output (issue 9).
        if let Some(length) = url.split('/').map(str::len).find(|&n| n > MAX_NAME_BYTES) {
            let message = Message::LongAliasSegment { length, max: MAX_NAME_BYTES };
            errors.push(Diagnostic::new(path, message).at(line, column));
            continue;
        }
        out.push(item::Alias { url: url.to_string(), line });
    }
    out
}
