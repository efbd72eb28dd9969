//! Handbooks (`content/handbooks/**.md`, issue 14): a printable A5 booklet of articles, in the
//! order listed, each with an optional chapter intro; the body is the foreword. Front matter
//! as written ([`RawHandbook`]) and validated ([`Handbook`]).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::slides::DeckArticle;
use super::{BundleFile, Source};
use crate::diagnostics::{Diagnostic, Message};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHandbook {
    title: String,
    #[serde(default)]
    subtitle: Option<String>,
    chapters: Vec<RawChapter>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChapter {
    article: Spanned<String>,
    intro: Option<String>,
}

/// A chapter: the article (as a deck names one) and its intro.
#[derive(Debug, Clone)]
pub struct Chapter {
    pub article: DeckArticle,
    pub intro: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Handbook {
    pub source: Source,
    pub title: String,
    pub subtitle: Option<String>,
    pub chapters: Vec<Chapter>,
    pub slug: String,
    pub draft: bool,
    pub body_offset: usize,
}

impl Handbook {
    /// The foreword.
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

/// Parses and validates one handbook (its articles are looked up in the model).
pub fn parse(source: Source, _files: Vec<BundleFile>) -> Result<Handbook, Vec<Diagnostic>> {
    let (raw, body_offset, _): (RawHandbook, _, _) = super::page::parse_yaml(&source)?;
    let path = source.display.clone();
    let mut errors = Vec::new();
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(&path, Message::TitleEmpty).at(2, 1));
    }
    let mut chapters = Vec::new();
    for c in raw.chapters {
        let (line, column) = (c.article.referenced.line() as usize + 1, c.article.referenced.column() as usize);
        let value = c.article.value.trim();
        match value.ends_with(".md").then(|| crate::markdown::content_path(value, source.rel_dir())).flatten() {
            Some(rel) => chapters.push(Chapter {
                article: DeckArticle { rel, line, column },
                intro: c.intro.map(|i| i.trim().to_string()).filter(|i| !i.is_empty()),
            }),
            None => errors.push(
                Diagnostic::new(&path, Message::DeckArticleNotMarkdown { article: value.to_string() })
                    .at(line, column)
                    .help(Message::DeckArticleExample),
            ),
        }
    }
    let slug = super::page::resolve_slug(&path, raw.slug.as_ref(), &source, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Handbook {
        title: raw.title.trim().to_string(),
        subtitle: raw.subtitle.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
        chapters,
        slug,
        draft: raw.draft,
        body_offset,
        source,
    })
}
