//! Articles (`content/articles/**.md`): front matter as written ([`RawArticle`]) and checked
//! against the site's vocabularies ([`Article`]).

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::item::{self, Item, RawItem, Refused};
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
    code: Option<Spanned<String>>,
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

    /// The badge text of the default theme: three plain names, none of them "Cảnh báo", which
    /// is already the name of many sites and of an alert box (issue 11).
    pub fn label_vi(self) -> &'static str {
        match self {
            Severity::Info => "Thông tin",
            Severity::Warning => "Cần cảnh giác",
            Severity::Urgent => "Khẩn cấp",
        }
    }
}

pub use super::item::Alias;

/// An article with validated front matter and its (not yet rendered) Markdown body.
#[derive(Debug, Clone)]
pub struct Article {
    /// Source, title, slug, draft, aliases, summary, body (see [`Item`]).
    pub item: Item,
    pub date: When,
    pub updated: Option<When>,
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
    /// `sms:` and `radio:`: texts that replace the derived SMS and loudspeaker script.
    pub sms: Option<ChannelText>,
    pub radio: Option<ChannelText>,
    /// `code:`: the code of the article's printed short link (`/q/<code>/`), else derived from
    /// its path ([`crate::shortlinks`], issue 14).
    pub code: Option<String>,
}

impl std::ops::Deref for Article {
    type Target = Item;
    fn deref(&self) -> &Item {
        &self.item
    }
}

/// Parses and validates one article.
pub fn parse(source: Source, files: Vec<BundleFile>, config: &Config) -> Result<Article, Refused> {
    let (raw, body_offset, body_line): (RawArticle, _, _) = match super::page::parse_yaml(&source) {
        Ok(parsed) => parsed,
        Err(problems) => return Err(Refused { source, problems }),
    };
    let path = source.display.clone();
    let path = path.as_str();
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
    if let Some(cover) = &raw.cover
        && let Err(message) = crate::sanitize::check_url(&cover.value, UrlPlace::Cover)
    {
        let location = cover.referenced;
        errors.push(Diagnostic::new(path, message).at(location.line() as usize + 1, location.column() as usize));
    }
    let code = raw.code.as_ref().map(|c| super::leaflet::short_code(path, Some(c), "", "", &mut errors));
    let shared = RawItem {
        title: &raw.title,
        slug: raw.slug.as_ref(),
        draft: raw.draft,
        aliases: &raw.aliases,
        summary: raw.summary,
    };
    let item = item::parse(source, files, shared, (body_offset, body_line), &mut errors);
    match date {
        Some(date) if errors.is_empty() => Ok(Article {
            item,
            date,
            updated,
            scams,
            audiences,
            severity: raw.severity,
            cover_line: raw.cover.as_ref().map_or(0, |c| c.referenced.line() as usize + 1),
            cover: raw.cover.map(|c| c.value),
            cover_alt: raw.cover_alt,
            sms: ChannelText::from_raw(raw.sms),
            radio: ChannelText::from_raw(raw.radio),
            code,
        }),
        _ => Err(Refused { source: item.source, problems: errors }),
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
