//! URL paths of the generated site and the files that serve them.
//!
//! A *path* here is site-relative and starts with `/` (`/canh-bao/x/`); it does not include the
//! base path. A *url* is root-relative and does (`/sub/canh-bao/x/`); a *permalink* is absolute.

use crate::config::Config;
use crate::sanitize;

/// Turns site paths into the forms templates and files need.
#[derive(Debug, Clone)]
pub struct Urls {
    origin: String,
    base_path: String,
}

impl Urls {
    pub fn new(config: &Config) -> Self {
        Urls { origin: config.origin.clone(), base_path: config.base_path.clone() }
    }

    /// Root-relative URL of a site path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Absolute URL of a site path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{}{path}", self.origin, self.base_path)
    }
}

/// The file that serves a site path: `/x/` -> `x/index.html`, `/a.xml` -> `a.xml`,
/// `/old` (no extension) -> `old/index.html`.
pub fn output_file(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() {
        return "index.html".into();
    }
    if rel.ends_with('/') {
        return format!("{rel}index.html");
    }
    let last = rel.rsplit('/').next().unwrap_or(rel);
    if last.contains('.') { rel.to_string() } else { format!("{rel}/index.html") }
}

/// Path of page `n` (1-based) of a paginated list rooted at `base` (`/`, `/thu-doan/x/`).
pub fn page_path(base: &str, n: usize) -> String {
    if n <= 1 { base.to_string() } else { format!("{base}trang/{n}/") }
}

/// Whether `url` points somewhere other than a file of this site, and is kept as written: it
/// has a scheme (`https:`, `mailto:`, as a browser reads it: [`sanitize::scheme`]), is
/// protocol-relative (`//host/x`) or is only a fragment (`#id`).
pub fn points_elsewhere(url: &str) -> bool {
    url.starts_with('#') || url.starts_with("//") || sanitize::scheme(url).is_some()
}

/// Decodes `%XX` escapes (editors' tools sometimes encode spaces and diacritics in links).
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_files() {
        assert_eq!(output_file("/"), "index.html");
        assert_eq!(output_file("/canh-bao/x/"), "canh-bao/x/index.html");
        assert_eq!(output_file("/atom.xml"), "atom.xml");
        assert_eq!(output_file("/bai-viet/cu.html"), "bai-viet/cu.html");
        assert_eq!(output_file("/bai-viet/cu"), "bai-viet/cu/index.html");
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("l%E1%BB%ABa.md"), "lừa.md");
        assert_eq!(percent_decode("%E1%BA%A3nh%20b.png"), "ảnh b.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
    }

    #[test]
    fn urls_that_point_elsewhere_issue_9() {
        for url in ["https://a.vn/x", "HTTP://a.vn", "mailto:a@b.vn", "javascript:x", "//cdn.vn/a.png", "#muc", "c:\\x"]
        {
            assert!(points_elsewhere(url), "{url}");
        }
        for url in ["/canh-bao/x/", "b.md#muc", "anh/x:y.png", "?trang=2", "a b:c", ""] {
            assert!(!points_elsewhere(url), "{url}");
        }
    }

    #[test]
    fn pages() {
        assert_eq!(page_path("/", 1), "/");
        assert_eq!(page_path("/", 3), "/trang/3/");
        assert_eq!(page_path("/thu-doan/x/", 2), "/thu-doan/x/trang/2/");
    }
}
