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
    /// The length and hash of the source's text once the model let go of it
    /// ([`Item::let_go_of_text`]): [`Item::body_again`] checks the file read again against them.
    pub let_go: Option<(usize, u64)>,
}

impl Item {
    /// The Markdown body (after the front matter), while the source's text is held: always
    /// while the model is made, and for the pages and leaflets; an article's in a build's
    /// render only through [`Item::body_again`].
    pub fn body(&self) -> &str {
        debug_assert!(self.let_go.is_none(), "{}: the text was let go of", self.source.display);
        self.source.text.get(self.body_offset..).unwrap_or_default()
    }

    /// Lets go of the source's text (issue 10: a build's model held every article's source, 52
    /// MB at 10,000 articles, for the whole build); whoever needs the body again reads the file
    /// again ([`Item::body_again`]).
    pub fn let_go_of_text(&mut self) {
        if self.let_go.is_none() {
            self.let_go = Some(super::fingerprint(&self.source.text));
            self.source.text = String::new();
        }
    }

    /// What tells two readings of the source apart (its length and hash), whether its text is
    /// held or was let go of.
    pub fn fingerprint(&self) -> (usize, u64) {
        self.let_go.unwrap_or_else(|| super::fingerprint(&self.source.text))
    }

    /// The Markdown body: the one held, or, once let go of, the file's read again, which must
    /// read as it did the first time (else [`Message::ChangedDuringBuild`]: a build shows one
    /// version of a source in every file).
    pub fn body_again(&self) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        let Some(was) = self.let_go else { return Ok(std::borrow::Cow::Borrowed(self.body())) };
        let mut text = self.source.read_again()?;
        if super::fingerprint(&text) != was {
            return Err(Diagnostic::new(&self.source.display, Message::ChangedDuringBuild));
        }
        text.drain(..self.body_offset);
        Ok(std::borrow::Cow::Owned(text))
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
        let_go: None,
    }
}
