//! Articles (`content/articles/**.md`): front matter as written ([`RawArticle`]) and checked
//! against the site's vocabularies ([`Article`]).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::{BundleFile, Source, When};
use crate::config::{Config, Term};
use crate::diagnostics::{self, Diagnostic};
use crate::messages::{Message, UrlPlace, Vocabulary};
use crate::text;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    title: String,
    date: Spanned<String>,
    updated: Option<Spanned<String>>,
    summary: Option<Spanned<String>>,
    #[serde(default)]
    scams: Vec<Spanned<String>>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    #[serde(default)]
    severity: Severity,
    cover: Option<Spanned<String>>,
    cover_alt: Option<String>,
    #[serde(default)]
    draft: bool,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    sms: Option<Spanned<String>>,
    radio: Option<Spanned<String>>,
}

/// A channel text written in the front matter (`sms:`, `radio:`, issue 12) and its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelText {
    pub text: String,
    pub line: usize,
}

impl ChannelText {
    pub(super) fn from_raw(raw: Option<Spanned<String>>) -> Option<ChannelText> {
        raw.map(|s| ChannelText { text: s.value.trim().to_string(), line: s.referenced.line() as usize + 1 })
            .filter(|t| !t.text.is_empty())
    }
}

/// How loudly an article warns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    #[default]
    Warning,
    Urgent,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Urgent => "urgent",
        }
    }

    /// The badge text of the default theme.
    pub fn label_vi(self) -> &'static str {
        match self {
            Severity::Info => "Thông tin",
            Severity::Warning => "Cảnh báo",
            Severity::Urgent => "Khẩn cấp",
        }
    }
}

/// An old URL that must keep working, and the line that declares it.
#[derive(Debug, Clone)]
pub struct Alias {
    pub url: String,
    pub line: usize,
}

/// An article with validated front matter and its (not yet rendered) Markdown body.
#[derive(Debug, Clone)]
pub struct Article {
    pub source: Source,
    pub files: Vec<BundleFile>,
    pub title: String,
    pub date: When,
    pub updated: Option<When>,
    pub summary: Option<String>,
    /// Line of `summary:` in the file (when set).
    pub summary_line: usize,
    /// Keys of `Config::scams`, as written (validated).
    pub scams: Vec<String>,
    pub audiences: Vec<String>,
    pub severity: Severity,
    /// As written: relative to the article, a site path (`/anh/x.jpg`) or an `https://` URL.
    pub cover: Option<String>,
    /// Line of `cover:` in the file (when set).
    pub cover_line: usize,
    /// Missing or empty is a warning of `build` and an error of `check` (see `site::cover`).
    pub cover_alt: Option<String>,
    pub draft: bool,
    pub slug: String,
    pub aliases: Vec<Alias>,
    /// `sms:` and `radio:`: texts that replace the derived SMS and loudspeaker script.
    pub sms: Option<ChannelText>,
    pub radio: Option<ChannelText>,
    pub body_offset: usize,
    pub body_line: usize,
}

impl Article {
    pub fn body(&self) -> &str {
        &self.source.text[self.body_offset..]
    }
}

/// Parses and validates one article.
pub fn parse(source: Source, files: Vec<BundleFile>, config: &Config) -> Result<Article, Vec<Diagnostic>> {
    let (raw, body_offset, body_line): (RawArticle, _, _) = super::page::parse_yaml(&source)?;
    let path = source.display.as_str();
    let mut errors = Vec::new();
    let mut when = |field: &str, value: &Spanned<String>| {
        When::parse(&value.value).or_else(|| {
            let location = value.referenced;
            errors.push(
                Diagnostic::new(path, Message::BadDate { field: field.into(), value: value.value.clone() })
                    .at(location.line() as usize + 1, location.column() as usize)
                    .help(Message::DateFormat),
            );
            None
        })
    };
    let date = when("date", &raw.date);
    let updated = raw.updated.as_ref().and_then(|u| when("updated", u));
    let scams = check_terms(path, Vocabulary::Scams, &raw.scams, &config.scams, &mut errors);
    let audiences = check_terms(path, Vocabulary::Audiences, &raw.audiences, &config.audiences, &mut errors);
    if raw.title.trim().is_empty() {
        errors.push(Diagnostic::new(path, Message::TitleEmpty).at(2, 1));
    }
    let slug = super::page::resolve_slug(path, raw.slug.as_ref(), &source, &mut errors);
    let aliases = super::page::aliases(path, &raw.aliases, &mut errors);
    if let Some(cover) = &raw.cover
        && let Err(message) = crate::sanitize::check_url(&cover.value, UrlPlace::Cover)
    {
        let location = cover.referenced;
        errors.push(Diagnostic::new(path, message).at(location.line() as usize + 1, location.column() as usize));
    }
    match date {
        Some(date) if errors.is_empty() => Ok(Article {
            files,
            title: raw.title.trim().to_string(),
            date,
            updated,
            summary_line: raw.summary.as_ref().map_or(0, |s| s.referenced.line() as usize + 1),
            summary: raw.summary.map(|s| s.value.trim().to_string()).filter(|s| !s.is_empty()),
            scams,
            audiences,
            severity: raw.severity,
            cover_line: raw.cover.as_ref().map_or(0, |c| c.referenced.line() as usize + 1),
            cover: raw.cover.map(|c| c.value),
            cover_alt: raw.cover_alt,
            draft: raw.draft,
            slug,
            aliases,
            sms: ChannelText::from_raw(raw.sms),
            radio: ChannelText::from_raw(raw.radio),
            body_offset,
            body_line,
            source,
        }),
        _ => Err(errors),
    }
}

/// Checks each key against the vocabulary; unknown keys get the nearest ones as help.
pub(super) fn check_terms(
    path: &str,
    vocabulary: Vocabulary,
    keys: &[Spanned<String>],
    terms: &[Term],
    errors: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut valid = Vec::new();
    for key in keys {
        let k = text::nfc(key.value.trim());
        if terms.iter().any(|t| t.key == k) {
            if !valid.contains(&k) {
                valid.push(k);
            }
            continue;
        }
        let location = key.referenced;
        errors.push(
            diagnostics::unknown_term(path, vocabulary, &k, terms.iter().map(|t| t.key.as_str()))
                .at(location.line() as usize + 1, location.column() as usize),
        );
    }
    valid
}
