//! Addresses of the old site: which links point to one of its posts (to rewrite them to the new
//! Markdown files), and which old paths become `aliases:` so that links shared on Zalo and
//! Facebook and QR codes printed on old leaflets keep working.

use std::collections::HashMap;

use crate::{text, urls};

/// The parts of a URL or a path: host (lower case, without `www.`), path, query, fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    pub host: Option<String>,
    pub path: &'a str,
    pub query: &'a str,
    pub fragment: &'a str,
}

/// Splits `url`; None for another scheme (`mailto:`) or a URL without a host.
pub fn split(url: &str) -> Option<Parts<'_>> {
    let url = url.trim();
    let (url, fragment) = url.split_once('#').unwrap_or((url, ""));
    let (rest, query) = url.split_once('?').unwrap_or((url, ""));
    let lower = rest.get(..8).unwrap_or(rest).to_ascii_lowercase();
    let (host, path) = if lower.starts_with("https://") || lower.starts_with("http://") || rest.starts_with("//") {
        let after = &rest[rest.find("//")? + 2..];
        let (authority, path) = after.find('/').map_or((after, "/"), |i| (&after[..i], &after[i..]));
        if authority.is_empty() {
            return None;
        }
        (Some(host_name(authority)), path)
    } else if rest.find(':').is_some_and(|colon| rest.find('/').is_none_or(|slash| colon < slash)) {
        return None;
    } else {
        (None, rest)
    };
    Some(Parts { host, path, query, fragment })
}

/// `WWW.Example.com:443` -> `example.com`.
fn host_name(authority: &str) -> String {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host).to_ascii_lowercase();
    host.strip_prefix("www.").map(str::to_string).unwrap_or(host)
}

/// The host of a site address such as `https://www.canhbao.vn/` (`canhbao.vn`).
pub fn host(url: &str) -> Option<String> {
    split(url)?.host
}

/// The key an old path is known by: decoded, NFC, lower case, without `index.html` or the
/// last `/`.
fn key(path: &str) -> String {
    let decoded = text::nfc(&urls::percent_decode(path));
    let trimmed = decoded.strip_suffix("index.html").unwrap_or(&decoded);
    let trimmed = trimmed.trim_end_matches('/');
    let mut key = trimmed.to_lowercase();
    if !key.starts_with('/') {
        key.insert(0, '/');
    }
    key
}

/// The WordPress query keys that name a post: `p`, `page_id`, `attachment_id`.
pub fn query_id(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        let known = matches!(name, "p" | "page_id");
        (known && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())).then(|| format!("{name}={value}"))
    })
}

/// Old addresses -> the new Markdown file (relative to `content/`: `articles/a.md`).
#[derive(Debug, Default)]
pub struct Index {
    hosts: Vec<String>,
    paths: HashMap<String, String>,
    ids: HashMap<String, String>,
    /// Old content-relative Markdown paths (`posts/a.md`) and file names (`a.md`).
    files: HashMap<String, String>,
}

impl Index {
    pub fn new(hosts: &[String]) -> Index {
        Index { hosts: hosts.iter().filter_map(|h| host(h).or_else(|| Some(h.clone()))).collect(), ..Index::default() }
    }

    /// Whether `url` is on the old site (no host, or one of its hosts).
    pub fn is_own(&self, parts: &Parts) -> bool {
        parts.host.as_ref().is_none_or(|h| self.hosts.contains(h))
    }

    pub fn add_url(&mut self, url: &str, target: &str) {
        if let Some(parts) = split(url).filter(|p| self.is_own(p)) {
            if let Some(id) = query_id(parts.query) {
                self.ids.insert(id, target.to_string());
            }
            if parts.path != "/" && !parts.path.is_empty() {
                self.paths.entry(key(parts.path)).or_insert_with(|| target.to_string());
            }
        }
    }

    pub fn add_id(&mut self, id: &str, target: &str) {
        self.ids.insert(id.to_string(), target.to_string());
    }

    pub fn add_file(&mut self, old_rel: &str, target: &str) {
        self.files.insert(old_rel.to_string(), target.to_string());
        if let Some(name) = old_rel.rsplit('/').next() {
            self.files.entry(name.to_string()).or_insert_with(|| target.to_string());
        }
        // A bundle is also named by its folder (Hugo's `ref "otp-gia"`).
        if let Some(dir) = old_rel.strip_suffix("/index.md") {
            self.files.entry(dir.to_string()).or_insert_with(|| target.to_string());
            if let Some(name) = dir.rsplit('/').next() {
                self.files.entry(name.to_string()).or_insert_with(|| target.to_string());
            }
        }
    }

    /// The new file a link points to, with its fragment (`articles/a.md#muc`).
    pub fn resolve(&self, url: &str) -> Option<String> {
        let parts = split(url).filter(|p| self.is_own(p))?;
        let target = match query_id(parts.query) {
            Some(id) if parts.path.trim_end_matches('/').is_empty() || parts.path.ends_with("index.php") => {
                self.ids.get(&id)
            }
            _ => self.paths.get(&key(parts.path)),
        }?;
        Some(with_fragment(target, parts.fragment))
    }

    /// The new file of an old Markdown path (`posts/a.md`, `a.md`), for Zola's `@/` links and
    /// Hugo's `ref`.
    pub fn resolve_file(&self, old: &str) -> Option<String> {
        let (path, fragment) = old.split_once('#').unwrap_or((old, ""));
        let path = path.trim_start_matches("@/").trim_start_matches('/');
        let target = self.files.get(path).or_else(|| self.files.get(path.rsplit('/').next()?))?;
        Some(with_fragment(target, fragment))
    }
}

fn with_fragment(target: &str, fragment: &str) -> String {
    if fragment.is_empty() { target.to_string() } else { format!("{target}#{fragment}") }
}

/// The `aliases:` entry for an old address on the old site: its path, decoded (the output file
/// is named as the server decodes the request); None when it cannot be one (the home page, a
/// query string, a space, a `..`).
pub fn alias(url: &str, index: &Index) -> Option<String> {
    let parts = split(url).filter(|p| index.is_own(p))?;
    let decoded = text::nfc(&urls::percent_decode(parts.path));
    let ok = decoded.starts_with('/')
        && decoded != "/"
        && !decoded.contains(['?', '#', ' ', '%'])
        && urls::site_path(&decoded).is_ok()
        && decoded.split('/').all(|s| s.len() <= crate::content::page::MAX_NAME_BYTES);
    ok.then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_splits_urls() {
        let p = split("https://WWW.Canhbao.blogspot.com:443/2024/05/a.html?m=1#x").unwrap();
        assert_eq!(p.host.as_deref(), Some("canhbao.blogspot.com"));
        assert_eq!((p.path, p.query, p.fragment), ("/2024/05/a.html", "m=1", "x"));
        assert_eq!(split("mailto:a@b.vn"), None);
        assert_eq!(split("/?p=12").unwrap().query, "p=12");
        assert_eq!(split("anh.png").unwrap().path, "anh.png");
    }

    #[test]
    fn issue_13_resolves_old_links_and_makes_aliases() {
        let mut index = Index::new(&["https://canhbao.blogspot.com/".into()]);
        index.add_url("https://canhbao.blogspot.com/2024/05/gia-danh.html", "articles/gia-danh.md");
        index.add_url("https://canhbao.blogspot.com/2024/05/l%E1%BB%ABa/", "articles/lua.md");
        index.add_id("p=12", "articles/p.md");
        assert_eq!(
            index.resolve("http://canhbao.blogspot.com/2024/05/gia-danh.html?m=1").unwrap(),
            "articles/gia-danh.md"
        );
        assert_eq!(index.resolve("/2024/05/gia-danh.html#muc").unwrap(), "articles/gia-danh.md#muc");
        assert_eq!(index.resolve("/2024/05/lừa").unwrap(), "articles/lua.md");
        assert_eq!(index.resolve("https://canhbao.blogspot.com/?p=12").unwrap(), "articles/p.md");
        assert_eq!(index.resolve("https://other.example/2024/05/gia-danh.html"), None);
        assert_eq!(alias("https://canhbao.blogspot.com/2024/05/l%E1%BB%ABa/", &index).unwrap(), "/2024/05/lừa/");
        assert_eq!(alias("https://canhbao.blogspot.com/", &index), None);
        assert_eq!(alias("/a%20b/", &index), None);
        assert_eq!(alias("/../etc/", &index), None);
        assert_eq!(alias("https://other.example/x/", &index), None);
    }
}
