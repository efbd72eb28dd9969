//! Hand-written slide decks (`content/slides/**.md`, issue 14): a presenter's own slides (the
//! `##` sections of the body), followed by the slides of the articles the deck draws on.
//! Front matter as written ([`RawDeck`]) and validated ([`Deck`]).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BundleFile, Source};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Message};
use crate::messages::Vocabulary;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDeck {
    title: String,
    #[serde(default)]
    articles: Vec<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    /// Print a notes page after every slide in the deck's PDF.
    #[serde(default)]
    notes_pages: bool,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

/// An article a deck draws on: its content-relative path and where the deck names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckArticle {
    /// `articles/x.md`.
    pub rel: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub struct Deck {
    pub source: Source,
    pub title: String,
    pub articles: Vec<DeckArticle>,
    pub audiences: Vec<String>,
    pub notes_pages: bool,
    pub slug: String,
    pub draft: bool,
    pub body_offset: usize,
    pub body_line: usize,
}

impl Deck {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

/// Parses and validates one deck (the articles it names are looked up in the model).
pub fn parse(source: Source, _files: Vec<BundleFile>, config: &Config) -> Result<Deck, Vec<Diagnostic>> {
    let (raw, body_offset, body_line): (RawDeck, _, _) = super::page::parse_yaml(&source)?;
    let path = source.display.clone();
    let mut errors = Vec::new();
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(&path, Message::TitleEmpty).at(2, 1));
    }
    let mut articles = Vec::new();
    for a in &raw.articles {
        let (line, column) = (a.referenced.line() as usize + 1, a.referenced.column() as usize);
        let value = a.value.trim();
        match value.ends_with(".md").then(|| crate::markdown::content_path(value, source.rel_dir())).flatten() {
            Some(rel) => articles.push(DeckArticle { rel, line, column }),
            None => errors.push(
                Diagnostic::new(&path, Message::DeckArticleNotMarkdown { article: value.to_string() })
                    .at(line, column)
                    .help(Message::DeckArticleExample),
            ),
        }
    }
    let audiences =
        super::article::check_terms(&path, Vocabulary::Audiences, &raw.audiences, &config.audiences, &mut errors);
    let slug = super::page::resolve_slug(&path, raw.slug.as_ref(), &source, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Deck {
        title: raw.title.trim().to_string(),
        articles,
        audiences,
        notes_pages: raw.notes_pages,
        slug,
        draft: raw.draft,
        body_offset,
        body_line,
        source,
    })
}
