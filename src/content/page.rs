//! Standalone pages (`content/pages/**.md`, e.g. about and hotline), and the front-matter
//! helpers pages and articles share.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::front_matter;
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
    pub source: Source,
    pub files: Vec<BundleFile>,
    pub title: String,
    pub summary: Option<String>,
    /// Line of `summary:` in the file (when set).
    pub summary_line: usize,
    pub slug: String,
    pub updated: Option<super::When>,
    pub draft: bool,
    pub aliases: Vec<super::article::Alias>,
    pub body_offset: usize,
    pub body_line: usize,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

pub fn parse(source: Source, files: Vec<BundleFile>) -> Result<Page, Vec<Diagnostic>> {
    let (raw, body_offset, body_line): (RawPage, _, _) = parse_yaml(&source)?;
    let path = source.display.as_str();
    let mut errors = Vec::new();
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(path, Message::TitleEmpty).at(2, 1));
    }
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
    let slug = resolve_slug(path, raw.slug.as_ref(), &source, &mut errors);
    let aliases = aliases(path, &raw.aliases, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Page {
        files,
        title: raw.title.trim().to_string(),
        summary_line: raw.summary.as_ref().map_or(0, |s| s.referenced.line() as usize + 1),
        summary: raw.summary.map(|s| s.value),
        slug,
        updated,
        draft: raw.draft,
        aliases,
        body_offset,
        body_line,
        source,
    })
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

/// The explicit slug (slugified), else the file or bundle name slugified. A bad `slug:` is
/// reported at its line.
pub(super) fn resolve_slug(
    path: &str,
    explicit: Option<&Spanned<String>>,
    source: &Source,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let wanted = explicit.map_or(source.stem(), |s| s.value.as_str());
    let slug = text::slugify(wanted);
    if slug.is_empty() {
        let d = Diagnostic::new(path, Message::BadSlug { wanted: wanted.to_string() }).help(Message::SlugHelp);
        errors.push(match explicit {
            Some(s) => d.at(s.referenced.line() as usize + 1, s.referenced.column() as usize),
            None => d,
        });
    }
    slug
}

/// Checks that each alias is a site-relative path: `/old/url/` or `/old/page.html`.
pub(super) fn aliases(path: &str, raw: &[Spanned<String>], errors: &mut Vec<Diagnostic>) -> Vec<super::article::Alias> {
    let mut out = Vec::new();
    for alias in raw {
        let url = alias.value.trim();
        let line = alias.referenced.line() as usize + 1;
        let column = alias.referenced.column() as usize;
        if let Err(message) = crate::sanitize::check_url(url, UrlPlace::Alias) {
            errors.push(Diagnostic::new(path, message).at(line, column));
            continue;
        }
        let bad = !url.starts_with('/')
            || url.starts_with("//")
            || url.contains(['?', '#', '\\', ' '])
            || url.split('/').any(|segment| segment == ".." || segment == ".");
        if bad || url == "/" {
            errors.push(
                Diagnostic::new(path, Message::BadAlias { url: url.to_string() })
                    .at(line, alias.referenced.column() as usize),
            );
            continue;
        }
        out.push(super::article::Alias { url: url.to_string(), line });
    }
    out
}
