//! Leaflets (`content/leaflets/**.md`): printable A4/A5 sheets whose QR code leads to a
//! warning. Front matter as written ([`RawLeaflet`]) and validated ([`Leaflet`]).

use serde::Deserialize;
use serde_saphyr::Spanned;
use sha2::{Digest, Sha256};

use super::item::{self, Item, RawItem, Refused};
use super::{BundleFile, Source};
use crate::config::{Config, RawHotline};
use crate::diagnostics::{Diagnostic, Message};
use crate::messages::{UrlPlace, Vocabulary};
use crate::text;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLeaflet {
    title: String,
    paper: Paper,
    layout: Layout,
    target: Spanned<String>,
    qr_caption: Option<String>,
    hotline: Option<RawHotline>,
    #[serde(default)]
    audiences: Vec<Spanned<String>>,
    #[serde(default)]
    variants: Vec<RawVariant>,
    code: Option<Spanned<String>>,
    #[serde(default)]
    bleed: bool,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    sms: Option<Spanned<String>>,
    radio: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVariant {
    id: Spanned<String>,
    label: String,
    code: Option<Spanned<String>>,
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Paper {
    A4,
    A5,
}

/// How a leaflet is printed and folded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One side of one sheet.
    Single,
    /// Front and back of one sheet.
    Duplex,
    /// A4 landscape, both sides, folded in three (panels 100/100/97 mm).
    Trifold,
}

impl Layout {
    /// Printed pages (sides) of the layout.
    pub fn pages(self) -> usize {
        match self {
            Layout::Single => 1,
            Layout::Duplex | Layout::Trifold => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Single => "single",
            Layout::Duplex => "duplex",
            Layout::Trifold => "trifold",
        }
    }
}

impl Paper {
    pub fn as_str(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::A5 => "A5",
        }
    }

    /// Width and height in mm of the printed page for a layout (trifold is landscape).
    pub fn page_mm(self, layout: Layout) -> (u32, u32) {
        match (self, layout) {
            (Paper::A4, Layout::Trifold) => (297, 210),
            (Paper::A4, _) => (210, 297),
            (Paper::A5, _) => (148, 210),
        }
    }
}

/// Where a leaflet's QR code leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A content file, as a content-relative path (`articles/x.md`), and the line declaring it.
    Content { rel: String, line: usize, column: usize },
    /// An absolute URL elsewhere.
    Url(String),
}

/// A distribution point (a district, a ward, a school) with its own tagged QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub id: String,
    pub label: String,
    /// The short-link code printed for this variant.
    pub code: String,
}

#[derive(Debug, Clone)]
pub struct Leaflet {
    /// Source, title, slug, draft, body (see [`Item`]; a leaflet has no aliases or summary).
    pub item: Item,
    pub paper: Paper,
    pub layout: Layout,
    pub target: Target,
    pub qr_caption: String,
    /// Number and label; default: the site's hotline.
    pub hotline: Option<(String, String)>,
    pub audiences: Vec<String>,
    pub variants: Vec<Variant>,
    /// The short-link code of the leaflet without a variant.
    pub code: String,
    pub bleed: bool,
    /// `sms:` and `radio:` (issue 12), as for articles.
    pub sms: Option<super::article::ChannelText>,
    pub radio: Option<super::article::ChannelText>,
}

impl std::ops::Deref for Leaflet {
    type Target = Item;
    fn deref(&self) -> &Item {
        &self.item
    }
}

pub const DEFAULT_QR_CAPTION: &str = "Quét mã để đọc cảnh báo đầy đủ";

pub fn parse(source: Source, files: Vec<BundleFile>, config: &Config) -> Result<Leaflet, Refused> {
    let (raw, body_offset, body_line): (RawLeaflet, _, _) = match super::page::parse_yaml(&source) {
        Ok(parsed) => parsed,
        Err(problems) => return Err(Refused { source, problems }),
    };
    let path = source.display.clone();
    let mut errors = Vec::new();
    if raw.layout == Layout::Trifold && raw.paper != Paper::A4 {
        errors.push(Diagnostic::new(&path, Message::TrifoldNeedsA4).help(Message::SetPaperA4));
    }
    let at = |s: &serde_saphyr::Location| (s.line() as usize + 1, s.column() as usize);
    let target = {
        let value = raw.target.value.trim();
        let (line, column) = at(&raw.target.referenced);
        let seen = crate::sanitize::BrowserUrl::new(value);
        if let Err(message) = seen.check(UrlPlace::Target) {
            errors.push(Diagnostic::new(&path, message).at(line, column).help(Message::TargetExample));
            Target::Url(String::new())
        } else if matches!(seen.scheme().as_deref(), Some("http" | "https")) {
            Target::Url(value.to_string())
        } else if value.ends_with(".md") {
            match crate::markdown::content_path(value, source.rel_dir()) {
                Some(rel) => Target::Content { rel, line, column },
                None => {
                    errors.push(
                        Diagnostic::new(&path, Message::TargetOutsideContent { target: value.to_string() })
                            .at(line, column),
                    );
                    Target::Url(String::new())
                }
            }
        } else {
            errors.push(
                Diagnostic::new(&path, Message::BadTarget { target: value.to_string() })
                    .at(line, column)
                    .help(Message::TargetExample),
            );
            Target::Url(String::new())
        }
    };
    let audiences =
        super::article::check_terms(&path, Vocabulary::Audiences, &raw.audiences, &config.audiences, &mut errors);
    let shared = RawItem { title: &raw.title, slug: raw.slug.as_ref(), draft: raw.draft, aliases: &[], summary: None };
    let item = item::parse(source, files, shared, (body_offset, body_line), &mut errors);
    let slug = &item.slug;
    let code = short_code(&path, raw.code.as_ref(), slug, "", &mut errors);
    let mut variants: Vec<Variant> = Vec::new();
    for v in &raw.variants {
        let id = v.id.value.trim();
        let code = short_code(&path, v.code.as_ref(), slug, id, &mut errors);
        let (line, column) = at(&v.id.referenced);
        if id.is_empty() || text::slugify(id) != id {
            errors.push(
                Diagnostic::new(&path, Message::BadVariantId { id: id.to_string() })
                    .at(line, column)
                    .help(Message::Example { value: text::slugify(id) }),
            );
        } else if variants.iter().any(|other| other.id == id) {
            errors.push(Diagnostic::new(&path, Message::VariantIdTwice { id: id.to_string() }).at(line, column));
        }
        variants.push(Variant { id: id.to_string(), label: v.label.trim().to_string(), code });
    }
    if !errors.is_empty() {
        return Err(Refused { source: item.source, problems: errors });
    }
    Ok(Leaflet {
        item,
        paper: raw.paper,
        layout: raw.layout,
        target,
        qr_caption: raw.qr_caption.unwrap_or_else(|| DEFAULT_QR_CAPTION.to_string()),
        hotline: raw.hotline.map(|h| (h.number, h.label)),
        audiences,
        variants,
        code,
        bleed: raw.bleed,
        sms: super::article::ChannelText::from_raw(raw.sms),
        radio: super::article::ChannelText::from_raw(raw.radio),
    })
}

/// The explicit short-link code (validated), else the derived one.
pub(super) fn short_code(
    path: &str,
    explicit: Option<&Spanned<String>>,
    slug: &str,
    variant: &str,
    errors: &mut Vec<Diagnostic>,
) -> String {
    match explicit {
        Some(code) if !is_code(&code.value) => {
            errors.push(
                Diagnostic::new(path, Message::BadShortCode { code: code.value.clone() })
                    .at(code.referenced.line() as usize + 1, code.referenced.column() as usize),
            );
            String::new()
        }
        Some(code) => code.value.clone(),
        None => derived_code(slug, variant),
    }
}

/// A leaflet body split at its `##` headings: the intro, then each section's heading text and
/// body, as byte ranges of `body` (headings inside fenced code blocks do not count).
#[derive(Debug, PartialEq, Eq)]
pub struct Sections {
    pub intro: std::ops::Range<usize>,
    /// (heading text, range of the section's body)
    pub sections: Vec<(String, std::ops::Range<usize>)>,
}

pub fn split_sections(body: &str) -> Sections {
    let mut heads: Vec<(usize, usize, String)> = Vec::new(); // (line start, body start, title)
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        for marker in ["```", "~~~"] {
            if trimmed.starts_with(marker) {
                fence = match fence {
                    Some(open) if open == marker => None,
                    None => Some(marker),
                    other => other,
                };
            }
        }
        if fence.is_none()
            && let Some(title) = line.strip_prefix("## ")
        {
            let title = title.trim();
            let title = title.split(" {#").next().unwrap_or(title).trim_end_matches('#').trim();
            heads.push((offset, offset + line.len(), title.to_string()));
        }
        offset += line.len();
    }
    let intro_end = heads.first().map_or(body.len(), |h| h.0);
    let sections = heads
        .iter()
        .enumerate()
        .map(|(i, (_, start, title))| {
            let end = heads.get(i + 1).map_or(body.len(), |next| next.0);
            (title.clone(), *start..end)
        })
        .collect();
    Sections { intro: 0..intro_end, sections }
}

fn is_code(code: &str) -> bool {
    (1..=32).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Letters and digits that cannot be mistaken for one another when retyped from paper.
const CODE_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// 5 characters of 32 symbols: 33 million codes.
const CODE_LENGTH: usize = 5;

/// The default short-link code of a leaflet (and variant): stable, derived from their names.
pub fn derived_code(slug: &str, variant: &str) -> String {
    let digest = Sha256::digest(format!("{slug}/{variant}").as_bytes());
    digest.iter().take(CODE_LENGTH).map(|b| CODE_ALPHABET[(*b as usize) % CODE_ALPHABET.len()] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_are_stable_and_distinct() {
        let a = derived_code("10-thu-doan", "");
        assert_eq!(a, derived_code("10-thu-doan", ""));
        assert_eq!(a.len(), 5);
        assert!(a.bytes().all(|b| CODE_ALPHABET.contains(&b)));
        assert_ne!(a, derived_code("10-thu-doan", "quan-1"));
        assert_ne!(derived_code("10-thu-doan", "quan-1"), derived_code("10-thu-doan", "quan-2"));
    }

    #[test]
    fn splits_sections_outside_code_fences() {
        let body = "Mở đầu.\n\n## Dấu hiệu {#dau-hieu}\nA\n```\n## not a heading\n```\n## Cách phòng tránh\nB\n";
        let s = split_sections(body);
        assert_eq!(&body[s.intro.clone()], "Mở đầu.\n\n");
        let titles: Vec<&str> = s.sections.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(titles, ["Dấu hiệu", "Cách phòng tránh"]);
        assert_eq!(&body[s.sections[0].1.clone()], "A\n```\n## not a heading\n```\n");
        assert_eq!(&body[s.sections[1].1.clone()], "B\n");
    }

    #[test]
    fn codes_are_validated() {
        assert!(is_code("ab3-k9"));
        assert!(!is_code("AB"));
        assert!(!is_code(""));
        assert!(!is_code("a/b"));
    }
}
