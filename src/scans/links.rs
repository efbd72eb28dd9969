//! The links the site hands out, read from the site as `build` reads it: every leaflet's short
//! links (`/q/<code>/`, one per leaflet and variant, the URLs printed in the QR codes), the
//! targets they redirect to with their campaign tag (`/canh-bao/x/?src=<variant>`), the URLs of
//! `printed-urls.txt`, and the tags of the channel texts (`?src=sms`, `facebook`, `zalo`).
//!
//! [`Links::visit`] tells which of them a request target is.

use std::collections::HashMap;
use std::hash::BuildHasher;

use memchr::memmem;

use crate::registry;
use crate::site::Site;

/// The channels a visit can come from: `qr` (a leaflet's QR code, or its short link typed in),
/// then the `src` tags of the channel texts.
pub const CHANNELS: &[&str] = &["qr", "sms", "facebook", "zalo"];

/// The channel of a QR code.
pub const QR: u8 = 0;

/// A leaflet (or an article, issue 14) whose printed links are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafletInfo {
    pub title: String,
    pub slug: String,
    /// `content/leaflets/x.md`.
    pub source: String,
}

/// One printed version of a leaflet: the leaflet itself or a variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintInfo {
    pub leaflet: usize,
    /// `None` for the leaflet without a variant.
    pub variant: Option<String>,
    pub label: String,
    pub code: String,
    /// The short link as printed (absolute).
    pub short_url: String,
}

/// What a request was, when it was one of the site's campaign links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visit {
    /// A print's short link, or its target reached through it; and the channel.
    Print { print: u32, channel: u8 },
    /// A page of the site opened from a channel text (`?src=sms`): the channel and a hash of the
    /// path, so that the same person opening two warnings counts twice.
    Page { channel: u8, page: u64 },
}

#[derive(Debug, Default)]
pub struct Links {
    /// The site's title and base URL, for the report's heading.
    pub site_title: String,
    pub base_url: String,
    pub leaflets: Vec<LeafletInfo>,
    pub prints: Vec<PrintInfo>,
    /// `/base/q/`: every short link starts with it.
    short_prefix: Vec<u8>,
    /// Short-link path (with its trailing slash) -> print.
    shorts: HashMap<Vec<u8>, u32>,
    /// (target path, tag) -> print.
    arrivals: HashMap<(Vec<u8>, Vec<u8>), u32>,
    /// Tag -> print, when one print alone has the tag.
    tags: HashMap<Vec<u8>, Option<u32>>,
    hasher: std::collections::hash_map::RandomState,
}

impl Links {
    /// The links of the site's published leaflets, and the registry's URLs that no current
    /// leaflet prints (kept under the leaflet the registry names).
    pub fn new(site: &Site, registered: &[registry::Entry]) -> Links {
        let config = &site.config;
        let mut links = Links {
            site_title: config.title.clone(),
            base_url: config.base_url(),
            short_prefix: site.urls.url(&format!("/{}/", config.sections.short_links)).into_bytes(),
            ..Links::default()
        };
        for l in &site.leaflets {
            let leaflet = links.leaflets.len();
            links.leaflets.push(LeafletInfo {
                title: l.leaflet.title.clone(),
                slug: l.leaflet.slug.clone(),
                source: l.leaflet.source.display.clone(),
            });
            let target = l
                .target
                .strip_prefix(&config.origin)
                .filter(|p| p.starts_with('/'))
                .map(|p| p.split(['?', '#']).next().unwrap_or(p).as_bytes().to_vec());
            for print in l.prints(&config.sections.short_links) {
                let info = PrintInfo {
                    leaflet,
                    variant: print.variant.map(|v| v.id.clone()),
                    label: print.variant.map_or_else(String::new, |v| v.label.clone()),
                    code: print.variant.map_or(&l.leaflet.code, |v| &v.code).clone(),
                    short_url: site.urls.permalink(&print.short_path),
                };
                let id = links.add(info, site.urls.url(&print.short_path).into_bytes());
                let tag = print.tag.to_ascii_lowercase().into_bytes();
                if let Some(target) = &target {
                    links.arrivals.entry((target.clone(), tag.clone())).or_insert(id);
                }
                links.tags.entry(tag).and_modify(|unique| *unique = None).or_insert(Some(id));
            }
        }
        // Articles' printed short links (issue 14) count as prints, as a leaflet's do.
        for a in &site.articles {
            let leaflet = links.leaflets.len();
            let source = a.article.source.display.clone();
            links.leaflets.push(LeafletInfo { title: a.article.title.clone(), slug: a.article.slug.clone(), source });
            let shorts = site.short_codes.links(&a.article, &a.path);
            for (k, short) in shorts.iter().filter(|s| s.tag == crate::shortlinks::PRINT_TAG).enumerate() {
                let code = short.path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
                let short_url = site.urls.permalink(&short.path);
                let info = PrintInfo { leaflet, variant: None, label: String::new(), code, short_url };
                let id = links.add(info, site.urls.url(&short.path).into_bytes());
                if k == 0 {
                    let arrival = (site.urls.url(&a.path).into_bytes(), crate::shortlinks::PRINT_TAG.into());
                    links.arrivals.entry(arrival).or_insert(id);
                }
            }
        }
        // SMS short links are sent, not printed: their visits count as SMS (`?src=sms`).
        for entry in registered.iter().filter(|e| !e.is_sms()) {
            let Some(path) = entry.url.strip_prefix(&config.origin).filter(|p| p.starts_with('/')) else { continue };
            if links.shorts.contains_key(path.as_bytes()) {
                continue;
            }
            let (source, variant) = match entry.note.split_once(" (variant ") {
                Some((source, variant)) => (source, Some(variant.trim_end_matches(')').to_string())),
                None => (entry.note.as_str(), None),
            };
            let leaflet = match links.leaflets.iter().position(|l| l.source == source) {
                Some(i) => i,
                None => {
                    let slug = source.rsplit('/').next().unwrap_or(source).trim_end_matches(".md").to_string();
                    links.leaflets.push(LeafletInfo { title: source.to_string(), slug, source: source.to_string() });
                    links.leaflets.len() - 1
                }
            };
            let code = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default().to_string();
            let info = PrintInfo { leaflet, variant, label: String::new(), code, short_url: entry.url.clone() };
            links.add(info, path.as_bytes().to_vec());
        }
        links
    }

    fn add(&mut self, info: PrintInfo, short_path: Vec<u8>) -> u32 {
        let id = self.prints.len() as u32;
        self.prints.push(info);
        self.shorts.entry(short_path).or_insert(id);
        id
    }

    /// Which campaign link a request target (`/q/be555/`, `/canh-bao/x/?src=sms`, or an
    /// absolute `https://host/q/be555/`) is, if any. Cheap for every other request.
    pub fn visit(&self, target: &[u8]) -> Option<Visit> {
        let target = strip_origin(target);
        let short = target.starts_with(&self.short_prefix);
        if !short && memmem::find(target, b"src=").is_none() {
            return None;
        }
        let (path, query) = match memchr::memchr(b'?', target) {
            Some(i) => (&target[..i], &target[i + 1..]),
            None => (target, &b""[..]),
        };
        let path = normalise(path);
        let src = query_value(query, b"src").map(<[u8]>::to_ascii_lowercase);
        let channel = |src: &[u8]| CHANNELS.iter().position(|c| c.as_bytes() == src).map(|i| i as u8);
        if short && let Some(&print) = self.shorts.get(path.as_ref()) {
            let channel = src.as_deref().and_then(channel).unwrap_or(QR);
            return Some(Visit::Print { print, channel });
        }
        let src = src?;
        if let Some(&print) = self.arrivals.get(&(path.to_vec(), src.clone())) {
            return Some(Visit::Print { print, channel: QR });
        }
        if let Some(&Some(print)) = self.tags.get(&src) {
            return Some(Visit::Print { print, channel: QR });
        }
        let channel = channel(&src).filter(|&c| c != QR)?;
        Some(Visit::Page { channel, page: self.hasher.hash_one(path.as_ref()) })
    }
}

/// `https://host/x` -> `/x` (a proxy's absolute-form request target); other targets unchanged.
fn strip_origin(target: &[u8]) -> &[u8] {
    let rest = target.strip_prefix(b"https://").or_else(|| target.strip_prefix(b"http://"));
    match rest {
        Some(rest) => memchr::memchr(b'/', rest).map_or(&b"/"[..], |i| &rest[i..]),
        None => target,
    }
}

/// `/q/x`, `/q/x/` and `/q/x/index.html` are one page: `/q/x/`. A fragment is dropped.
fn normalise(path: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let path = memchr::memchr(b'#', path).map_or(path, |i| &path[..i]);
    let path = path.strip_suffix(b"index.html").unwrap_or(path);
    if path.ends_with(b"/") {
        std::borrow::Cow::Borrowed(path)
    } else {
        let mut owned = path.to_vec();
        owned.push(b'/');
        std::borrow::Cow::Owned(owned)
    }
}

/// The raw value of `key` in a query string (`a=1&src=sms` -> `sms`).
fn query_value<'a>(query: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let query = memchr::memchr(b'#', query).map_or(query, |i| &query[..i]);
    query.split(|&b| b == b'&').find_map(|pair| pair.strip_prefix(key)?.strip_prefix(b"="))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links() -> Links {
        let mut links = Links { short_prefix: b"/q/".to_vec(), ..Links::default() };
        links.leaflets.push(LeafletInfo {
            title: "T".into(),
            slug: "t".into(),
            source: "content/leaflets/t.md".into(),
        });
        for (variant, code) in [(None, "aaaaa"), (Some("quan-1"), "bbbbb")] {
            let info = PrintInfo {
                leaflet: 0,
                variant: variant.map(String::from),
                label: String::new(),
                code: code.into(),
                short_url: format!("https://a.vn/q/{code}/"),
            };
            let id = links.add(info, format!("/q/{code}/").into_bytes());
            let tag = variant.unwrap_or("t").as_bytes().to_vec();
            links.arrivals.insert((b"/canh-bao/x/".to_vec(), tag.clone()), id);
            links.tags.insert(tag, Some(id));
        }
        links
    }

    #[test]
    fn short_links_in_every_spelling() {
        let links = links();
        let qr = |print| Some(Visit::Print { print, channel: QR });
        for target in ["/q/aaaaa/", "/q/aaaaa", "/q/aaaaa/index.html", "https://a.vn/q/aaaaa/", "/q/aaaaa/?utm=x"] {
            assert_eq!(links.visit(target.as_bytes()), qr(0), "{target}");
        }
        assert_eq!(links.visit(b"/q/bbbbb/"), qr(1));
        assert_eq!(links.visit(b"/q/bbbbb/?src=sms"), Some(Visit::Print { print: 1, channel: 1 }));
        assert_eq!(links.visit(b"/q/zzzzz/"), None);
        assert_eq!(links.visit(b"/canh-bao/x/"), None);
        assert_eq!(links.visit(b"/q/"), None);
    }

    #[test]
    fn tagged_targets_and_channels() {
        let links = links();
        assert_eq!(links.visit(b"/canh-bao/x/?src=quan-1"), Some(Visit::Print { print: 1, channel: QR }));
        assert_eq!(links.visit(b"/canh-bao/x/?a=1&src=t#top"), Some(Visit::Print { print: 0, channel: QR }));
        // The target was renamed since: the tag alone still names the print.
        assert_eq!(links.visit(b"/canh-bao/old/?src=quan-1"), Some(Visit::Print { print: 1, channel: QR }));
        let sms = links.visit(b"/canh-bao/x/?src=SMS");
        assert!(matches!(sms, Some(Visit::Page { channel: 1, .. })), "{sms:?}");
        assert_eq!(sms, links.visit(b"/canh-bao/x?src=sms"));
        assert_ne!(sms, links.visit(b"/canh-bao/y/?src=sms"));
        assert!(matches!(links.visit(b"/?src=zalo"), Some(Visit::Page { channel: 3, .. })));
        assert_eq!(links.visit(b"/canh-bao/x/?src=unknown"), None);
        assert_eq!(links.visit(b"/canh-bao/x/?src=qr"), None);
        assert_eq!(links.visit(b"/canh-bao/x/?xsrc=sms"), None);
    }
}
