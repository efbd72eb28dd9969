//! What articles, pages and leaflets share (issue 10): the source and its bundle files, the
//! title, slug, draft flag, old URLs (aliases), the `summary:` of the front matter and where the
//! body starts. Read and checked here once for the three kinds; each kind adds its own fields
//! and reaches these through `Deref` (`article.title`, `leaflet.source`), so the model loops
//! over items instead of repeating itself per kind.

use serde_saphyr::Spanned;

use super::{BundleFile, Source};
use crate::diagnostics::{Diagnostic, Message};

/// The shared part of an article, page or leaflet.
#[derive(Debug, Clone)]
pub struct Item {
    pub source: Source,
    /// Files of its bundle (`.../index.md` and the files beside it), copied beside its page.
    pub files: Vec<BundleFile>,
    pub title: String,
    pub slug: String,
    pub draft: bool,
    /// Old URLs that must keep working (leaflets have none).
    pub aliases: Vec<Alias>,
    /// `summary:` of the front matter, trimmed; None when absent or empty (leaflets have none).
    pub summary: Option<String>,
    /// Line of `summary:` in the file (when set).
    pub summary_line: usize,
    pub body_offset: usize,
    pub body_line: usize,
}

impl Item {
    /// The Markdown body (after the front matter).
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

/// An old URL that must keep working, and the line that declares it.
#[derive(Debug, Clone)]
pub struct Alias {
    pub url: String,
    pub line: usize,
}

/// A source whose front matter was refused, returned with its problems (so `check` can still
/// look at its body).
#[derive(Debug)]
pub struct Refused {
    pub source: Source,
    pub problems: Vec<Diagnostic>,
}

/// A refusal reads as its problems.
impl std::ops::Deref for Refused {
    type Target = [Diagnostic];
    fn deref(&self) -> &[Diagnostic] {
        &self.problems
    }
}

/// The shared fields of a front matter, as written (each kind's raw struct lends them: serde
/// cannot flatten them into a struct that denies unknown fields).
pub(super) struct RawItem<'r> {
    pub title: &'r str,
    pub slug: Option<&'r Spanned<String>>,
    pub draft: bool,
    pub aliases: &'r [Spanned<String>],
    pub summary: Option<Spanned<String>>,
}

/// Checks the shared fields (an empty title, a bad slug or alias are pushed to `errors`) and
/// makes the item.
pub(super) fn parse(
    source: Source,
    files: Vec<BundleFile>,
    raw: RawItem,
    (body_offset, body_line): (usize, usize),
    errors: &mut Vec<Diagnostic>,
) -> Item {
    let path = source.display.as_str();
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(path, Message::TitleEmpty).at(2, 1));
    }
    let slug = super::page::resolve_slug(path, raw.slug, &source, errors);
    let aliases = super::page::aliases(path, raw.aliases, errors);
    Item {
        files,
        title: raw.title.trim().to_string(),
        slug,
        draft: raw.draft,
        aliases,
        summary_line: raw.summary.as_ref().map_or(0, |s| s.referenced.line() as usize + 1),
        summary: raw.summary.map(|s| s.value.trim().to_string()).filter(|s| !s.is_empty()),
        body_offset,
        body_line,
        source,
    }
}
