//! `site.yaml`: [`RawConfig`] as written (serde, unknown keys rejected) resolved into [`Config`]
//! (paths absolute, URLs split into origin and base path, defaults filled in).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{self, ContentErrors, Diagnostic};
use crate::markdown::Policy;
use crate::messages::{Message, UrlPlace, Vocabulary};
use crate::qr::Ec;
use crate::{fs_util, sanitize, text};

pub const CONFIG_FILE: &str = "site.yaml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    description: String,
    base_url: String,
    #[serde(default = "default_language")]
    language: String,
    organisation: Option<String>,
    issuer: Option<RawIssuer>,
    hotline: RawHotline,
    #[serde(default = "default_paginate_by")]
    paginate_by: usize,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    sections: RawSections,
    #[serde(default)]
    qr: QrConfig,
    #[serde(default)]
    menu: Vec<RawMenuItem>,
    #[serde(default)]
    scams: Vec<Term>,
    #[serde(default)]
    audiences: Vec<Term>,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    scam_domains: Vec<Spanned<String>>,
    #[serde(default)]
    official_sites: Vec<Spanned<String>>,
    /// Channel texts (issue 12): SMS, loudspeaker script, social posts.
    #[serde(default)]
    channels: crate::channels::ChannelsConfig,
}

/// `markdown:` in site.yaml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawMarkdown {
    /// Keep raw HTML (sanitised) instead of showing it as text.
    raw_html: bool,
}

/// A header link as written, with where its URL is (to report a bad or dead URL at its line).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMenuItem {
    label: String,
    url: Spanned<String>,
}

fn default_language() -> String {
    "vi".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_theme() -> String {
    "default".into()
}

/// `issuer:` in site.yaml: who issues the warnings and leaflets (issue 11).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIssuer {
    name: String,
    /// An emblem or logo: a file of `static/` (or the theme's), written from there: `/logo.svg`.
    logo: Option<Spanned<String>>,
    /// How to reach the issuer (an address, a phone number, a website), one line.
    contact: Option<String>,
}

/// A hotline as written in site.yaml (and in a leaflet's front matter).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHotline {
    pub number: String,
    pub label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawSections {
    articles: String,
    scams: String,
    audiences: String,
    leaflets: String,
    short_links: String,
}

impl Default for RawSections {
    fn default() -> Self {
        RawSections {
            articles: "canh-bao".into(),
            scams: "thu-doan".into(),
            audiences: "doi-tuong".into(),
            leaflets: "to-roi".into(),
            short_links: "q".into(),
        }
    }
}

/// Error-correction levels of QR codes: on web pages, and printed on leaflets (paper gets
/// creased and dirty, so it needs more).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct QrConfig {
    pub web: Ec,
    pub print: Ec,
}

impl Default for QrConfig {
    fn default() -> Self {
        QrConfig { web: Ec::M, print: Ec::Q }
    }
}

/// A header link.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub label: String,
    pub url: String,
    /// Line and column of the URL in site.yaml (for messages; not given to templates).
    #[serde(skip)]
    pub at: (usize, usize),
}

/// One entry of a vocabulary (a scam type or an audience).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub key: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Leaflets for this audience are set in large type (default: only for `nguoi-cao-tuoi`,
    /// the elderly).
    #[serde(default)]
    pub large_type: Option<bool>,
}

impl Term {
    /// Whether leaflets for this audience use the large type bounds.
    pub fn wants_large_type(&self) -> bool {
        self.large_type.unwrap_or(self.key == ELDERLY_AUDIENCE)
    }
}

/// The audience key whose leaflets get large type unless site.yaml says otherwise.
pub const ELDERLY_AUDIENCE: &str = "nguoi-cao-tuoi";

/// Who issues the site and its leaflets, resolved: the logo found in a `static/` folder.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub name: String,
    /// The logo's path on the site, without the base path and leading `/`: `anh/logo.svg`.
    pub logo: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Hotline {
    pub number: String,
    pub label: String,
    /// `tel:` URI: the number's digits and a leading `+`.
    pub tel: String,
}

/// URL segments of the generated sections.
#[derive(Debug, Clone)]
pub struct Sections {
    pub articles: String,
    pub scams: String,
    pub audiences: String,
    /// Printable leaflets: `/to-roi/<slug>/`.
    pub leaflets: String,
    /// Short links printed as QR codes: `/q/<code>/`.
    pub short_links: String,
}

/// The resolved configuration of one build.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site root (the folder of site.yaml), absolute.
    pub root: PathBuf,
    pub content_dir: PathBuf,
    pub static_dir: PathBuf,
    /// The site's own templates, which override the theme's by name.
    pub templates_dir: PathBuf,
    pub theme_dir: PathBuf,
    /// `root` and `theme_dir` with symbolic links resolved, once, when the configuration is
    /// resolved (the theme folder may be a link to a theme shared by several sites): a file whose
    /// resolved path is under one of them is inside the site ([`crate::pictures::inside_site`]).
    pub resolved_roots: Vec<PathBuf>,
    pub title: String,
    pub description: String,
    /// `scheme://host[:port]`, no trailing slash.
    pub origin: String,
    /// `""` or `/sub/path` (no trailing slash) when the site lives below the host's root.
    pub base_path: String,
    /// `base_url` as site.yaml gives it (no trailing slash), even when a build overrides it:
    /// the URLs printed on paper are on this one.
    pub published_base_url: String,
    pub language: String,
    pub organisation: Option<String>,
    /// `issuer:`, else the `organisation:` as the issuer's name.
    pub issuer: Option<Issuer>,
    pub hotline: Hotline,
    pub paginate_by: usize,
    pub sections: Sections,
    pub qr: QrConfig,
    pub menu: Vec<MenuItem>,
    pub scams: Vec<Term>,
    pub audiences: Vec<Term>,
    /// Raw HTML and known scam domains (`markdown.raw_html`, `scam_domains`).
    pub markdown: Policy,
    /// `channels:` (issue 12): the loudspeaker script's length limit.
    pub channels: crate::channels::ChannelsConfig,
    /// Build drafts too.
    pub drafts: bool,
}

impl Config {
    /// `https://host/base`, no trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}{}", self.origin, self.base_path)
    }

    /// Reads and resolves `site.yaml` in `root`. `base_url` overrides the file's value.
    pub fn load(root: &Path, base_url: Option<&str>, drafts: bool) -> anyhow::Result<Config> {
        let root = std::path::absolute(root)?;
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Message::NoSite { dir: root.display().to_string() }.into());
        }
        let bytes = fs_util::read(&path)?;
        let source = text::decode_source(&bytes).map_err(|e| {
            let message = Message::NotUtf8 { line: e.line, column: e.column };
            ContentErrors(vec![Diagnostic::new(CONFIG_FILE, message).at(e.line, e.column)])
        })?;
        let mut controls = diagnostics::control_problems(CONFIG_FILE, &source);
        controls.extend(diagnostics::yaml_control_problem(CONFIG_FILE, &source, 0).filter(|_| controls.is_empty()));
        if !controls.is_empty() {
            return Err(ContentErrors(controls).into());
        }
        let raw: RawConfig = serde_saphyr::from_str(&source)
            .map_err(|e| ContentErrors(vec![crate::diagnostics::from_yaml_error(CONFIG_FILE, 0, &e)]))?;
        resolve(raw, root, base_url, drafts).map_err(|errors| ContentErrors(errors).into())
    }
}

fn resolve(raw: RawConfig, root: PathBuf, base_url: Option<&str>, drafts: bool) -> Result<Config, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let error = |message: Message| Diagnostic::new(CONFIG_FILE, message);
    let published_base_url = raw.base_url.trim().trim_end_matches('/').to_string();
    let base_url = base_url.unwrap_or(&raw.base_url);
    let (origin, base_path) = match split_base_url(base_url) {
        Some(parts) => parts,
        None => {
            errors.push(error(Message::BadBaseUrl { base_url: base_url.to_string() }));
            (String::new(), String::new())
        }
    };
    // The theme is a folder of `themes/`: a path (`../x`, `/etc`) would read templates from
    // outside the site.
    let theme_ok = crate::urls::relative_path(&raw.theme).is_ok() && !raw.theme.contains('/');
    if !theme_ok {
        errors.push(error(Message::BadThemeName { theme: raw.theme.clone() }));
    }
    if raw.paginate_by == 0 {
        errors.push(error(Message::PaginateByZero));
    }
    let sections = Sections {
        articles: raw.sections.articles,
        scams: raw.sections.scams,
        audiences: raw.sections.audiences,
        leaflets: raw.sections.leaflets,
        short_links: raw.sections.short_links,
    };
    let segments = [
        ("articles", &sections.articles),
        ("scams", &sections.scams),
        ("audiences", &sections.audiences),
        ("leaflets", &sections.leaflets),
        ("short_links", &sections.short_links),
    ];
    for (name, segment) in segments {
        if segment.is_empty() || text::slugify(segment) != *segment {
            errors.push(error(Message::BadSection {
                name: name.to_string(),
                segment: segment.clone(),
                example: text::slugify(segment),
            }));
        }
    }
    for (vocabulary, terms) in [(Vocabulary::Scams, &raw.scams), (Vocabulary::Audiences, &raw.audiences)] {
        let mut seen = BTreeSet::new();
        for term in terms {
            if term.key.is_empty() || text::slugify(&term.key) != term.key {
                errors.push(error(Message::BadTermKey {
                    vocabulary,
                    key: term.key.clone(),
                    example: text::slugify(&term.key),
                }));
            }
            if !seen.insert(term.key.as_str()) {
                errors.push(error(Message::TermKeyTwice { vocabulary, key: term.key.clone() }));
            }
        }
    }
    let menu = menu_items(raw.menu, &mut errors);
    let scam_domains = scam_domains(&raw.scam_domains, &mut errors);
    let official_sites = official_sites(&raw.official_sites, &mut errors);
    let tel: String = raw.hotline.number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    if tel.is_empty() {
        errors.push(error(Message::HotlineNoDigits { number: raw.hotline.number.clone() }));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let theme_dir = root.join("themes").join(&raw.theme);
    // A folder that does not exist (a missing theme, reported later) holds no file.
    let resolved_roots = [&root, &theme_dir].into_iter().filter_map(|dir| dir.canonicalize().ok()).collect();
    let mut config = Config {
        content_dir: root.join("content"),
        static_dir: root.join("static"),
        templates_dir: root.join("templates"),
        theme_dir,
        resolved_roots,
        root,
        title: text::nfc(&raw.title),
        description: text::nfc(&raw.description),
        origin,
        base_path,
        published_base_url,
        language: raw.language,
        issuer: None,
        organisation: raw.organisation,
        hotline: Hotline { number: raw.hotline.number, label: raw.hotline.label, tel: format!("tel:{tel}") },
        paginate_by: raw.paginate_by,
        sections,
        qr: raw.qr,
        menu,
        scams: raw.scams,
        audiences: raw.audiences,
        markdown: Policy { raw_html: raw.markdown.raw_html, scam_domains, official_sites },
        channels: raw.channels,
        drafts,
    };
    config.issuer = issuer(raw.issuer, &config)?;
    Ok(config)
}

/// The issuer (issue 11): its name, and its logo found in `static/` (or the theme's) with the
/// rule images follow ([`crate::pictures::locate`]); without `issuer:`, the organisation.
fn issuer(raw: Option<RawIssuer>, config: &Config) -> Result<Option<Issuer>, Vec<Diagnostic>> {
    let Some(raw) = raw else {
        let name = config.organisation.as_deref().map(str::trim).filter(|n| !n.is_empty());
        return Ok(name.map(|name| Issuer { name: text::nfc(name), logo: None, contact: None }));
    };
    let mut errors = Vec::new();
    let name = text::nfc(raw.name.trim());
    if name.is_empty() {
        errors.push(Diagnostic::new(CONFIG_FILE, Message::IssuerNameEmpty));
    }
    let logo = raw.logo.and_then(|logo| {
        let at = (logo.referenced.line() as usize, logo.referenced.column() as usize);
        let written = logo.value.trim();
        let located = crate::pictures::locate(written, &config.root.join(CONFIG_FILE), config);
        let message = match located {
            crate::pictures::Location::Static { site_path, .. } => return Some(site_path),
            crate::pictures::Location::Missing { looked_at } if written.starts_with('/') => {
                Message::IssuerLogoNotFound {
                    logo: written.to_string(),
                    file: crate::pictures::shown(&looked_at, config),
                }
            }
            _ => Message::IssuerLogoNotStatic { logo: written.to_string() },
        };
        errors.push(Diagnostic::new(CONFIG_FILE, message).at(at.0, at.1).help(Message::IssuerLogoHelp));
        None
    });
    let contact = raw.contact.map(|c| text::nfc(c.trim())).filter(|c| !c.is_empty());
    if errors.is_empty() { Ok(Some(Issuer { name, logo, contact })) } else { Err(errors) }
}

/// Menu links: a path on this site or an allowed scheme (never `javascript:`), with the line
/// and column of each URL in site.yaml (for the route check in the site model).
fn menu_items(raw: Vec<RawMenuItem>, errors: &mut Vec<Diagnostic>) -> Vec<MenuItem> {
    let mut items = Vec::with_capacity(raw.len());
    for item in raw {
        let url = item.url.value.trim().to_string();
        let location = (item.url.referenced.line() as usize, item.url.referenced.column() as usize);
        if let Err(message) = sanitize::check_url(&url, UrlPlace::MenuUrl) {
            errors.push(Diagnostic::new(CONFIG_FILE, message).at(location.0, location.1));
            continue;
        }
        items.push(MenuItem { label: item.label, url, at: location });
    }
    items
}

/// `scam_domains`: bare domain names, lower-cased (`fake-bank.example`).
fn scam_domains(raw: &[Spanned<String>], errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut domains = Vec::with_capacity(raw.len());
    for entry in raw {
        let domain = entry.value.trim().trim_end_matches('.').to_ascii_lowercase();
        let valid = !domain.is_empty()
            && domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
        if !valid {
            let location = entry.referenced;
            let suggestion = sanitize::link_host(&entry.value)
                .or_else(|| sanitize::link_host(&format!("//{}", entry.value.trim())))
                .unwrap_or_else(|| "fake-bank.example".into());
            errors.push(
                Diagnostic::new(CONFIG_FILE, Message::BadScamDomain { value: entry.value.clone() })
                    .at(location.line() as usize, location.column() as usize)
                    .help(Message::ScamDomainHelp { suggestion }),
            );
            continue;
        }
        domains.push(domain);
    }
    domains
}

/// `official_sites` (issue 11): the default official sites of [`crate::autolink`] and these,
/// bare ASCII domain names, lower-cased.
fn official_sites(raw: &[Spanned<String>], errors: &mut Vec<Diagnostic>) -> Vec<String> {
    let mut sites: Vec<String> = crate::autolink::OFFICIAL_SITES.iter().map(|s| s.to_string()).collect();
    for entry in raw {
        let domain = entry.value.trim().trim_end_matches('.').to_ascii_lowercase();
        let valid = domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !valid {
            let location = entry.referenced;
            let suggestion = sanitize::link_host(&entry.value)
                .or_else(|| sanitize::link_host(&format!("//{}", entry.value.trim())))
                .unwrap_or_else(|| "dichvucong.gov.vn".into());
            errors.push(
                Diagnostic::new(CONFIG_FILE, Message::BadOfficialSite { value: entry.value.clone() })
                    .at(location.line() as usize, location.column() as usize)
                    .help(Message::ScamDomainHelp { suggestion }),
            );
        } else if !sites.contains(&domain) {
            sites.push(domain);
        }
    }
    sites
}

/// `https://host/sub/` -> (`https://host`, `/sub`). None unless http(s) with a host.
fn split_base_url(url: &str) -> Option<(String, String)> {
    let url = url.trim().trim_end_matches('/');
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let scheme_len = url.len() - rest.len();
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
        return None;
    }
    Some((url[..scheme_len + host.len()].to_string(), path.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_base_url() {
        assert_eq!(split_base_url("https://a.vn"), Some(("https://a.vn".into(), "".into())));
        assert_eq!(
            split_base_url("https://a.github.io/canhbao/"),
            Some(("https://a.github.io".into(), "/canhbao".into()))
        );
        assert_eq!(split_base_url("http://127.0.0.1:1111"), Some(("http://127.0.0.1:1111".into(), "".into())));
        assert_eq!(split_base_url("canhbao.vn"), None);
        assert_eq!(split_base_url("https:///x"), None);
    }
}
