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

/// Why a path from content, a request or a renderer may not be used under a root folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathError {
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    Malformed,
    /// A `\`, NUL or (in [`site_path`]) another control character, once decoded.
    BadChar,
    /// A `.` or `..` segment, or (in [`site_path`]) a segment that still holds an escape of `.`,
    /// `/`, `\`, NUL or `%` once decoded (`%252e%252e`, which a second decoder would turn
    /// into `..`, or `%25252e`, which a third would).
    Climbs,
    /// Starts with `//` (a host or a share, not a path).
    DoubleSlash,
    /// Not a relative path of names: empty, absolute, or with an empty segment (`a//b`, `a/`).
    NotRelative,
}

/// Decodes `%XX` escapes strictly: an error for a `%` not followed by two hex digits, or bytes
/// that are not UTF-8 once decoded.
pub fn decode_strict(s: &str) -> Result<String, PathError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16)).ok_or(PathError::Malformed);
            out.push((hex(bytes.get(i + 1))? * 16 + hex(bytes.get(i + 2))?) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PathError::Malformed)
}

/// Decodes `%XX` escapes (editors' tools sometimes encode spaces and diacritics in links): the
/// [strict](decode_strict) decoding, else the text as written (`100%` is a file name).
pub fn percent_decode(s: &str) -> String {
    decode_strict(s).unwrap_or_else(|_| s.to_string())
}

/// The one rule for a path that comes from content or a request (an image or cover path, an
/// alias, a preview request) and must stay under the folder it is joined to: decoded
/// [strictly](decode_strict), in NFC, with no `.` or `..` segment (`/` is the only separator;
/// a segment encoded twice or more, `%252e%252e`, counts as one), no `\`, NUL or control character,
/// and not starting with `//`. Returns the decoded path, its leading `/` kept: joined to a
/// root after that `/`, it stays inside the root (links aside: [`crate::pictures::inside_site`]).
///
/// What callers add: an alias also must start with `/` and hold no `?`, `#` or space; the
/// preview server also refuses `:` in a segment (a drive letter); the writer and the theme name
/// take file names, not URLs, and use [`relative_path`].
pub fn site_path(raw: &str) -> Result<String, PathError> {
    let decoded = crate::text::nfc(&decode_strict(raw)?);
    check_segments(&decoded)?;
    if decoded.chars().any(char::is_control) {
        return Err(PathError::BadChar);
    }
    let encoded_twice = |s: &str| {
        let lower = s.to_ascii_lowercase();
        ["%2e", "%2f", "%5c", "%00", "%25"].iter().any(|e| lower.contains(e))
    };
    if decoded.split('/').any(encoded_twice) {
        return Err(PathError::Climbs);
    }
    Ok(decoded)
}

/// [`site_path`]'s rule for a path that is already a file name (not percent-encoded: `100%.png` is a
/// name), relative to a folder (`/` separators), with no empty segment: the output writer's
/// rule ([`crate::output::check_output_path`]) and the theme name's (one segment). Control
/// characters other than NUL are names here (a file `Icon\r` in `static/` is copied).
pub fn relative_path(path: &str) -> Result<(), PathError> {
    if path.is_empty() || path.starts_with('/') || path.split('/').any(str::is_empty) {
        return Err(PathError::NotRelative);
    }
    check_segments(path)?;
    // Whatever else the platform reads as a root or a prefix (`C:` on Windows).
    if !std::path::Path::new(path).components().all(|c| matches!(c, std::path::Component::Normal(_))) {
        return Err(PathError::NotRelative);
    }
    Ok(())
}

fn check_segments(path: &str) -> Result<(), PathError> {
    if path.contains(['\\', '\0']) {
        return Err(PathError::BadChar);
    }
    if path.starts_with("//") {
        return Err(PathError::DoubleSlash);
    }
    if path.split('/').any(|s| s == "." || s == "..") {
        return Err(PathError::Climbs);
    }
    Ok(())
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
    fn paths_are_strictly_decoded() {
        assert_eq!(decode_strict("/%E1%BA%A3nh.png").as_deref(), Ok("/ảnh.png"));
        assert_eq!(decode_strict("/a%20b/").as_deref(), Ok("/a b/"));
        for bad in ["/%zz", "/%", "/%4", "/%ff", "/%C3%28", "/%+1"] {
            assert_eq!(decode_strict(bad), Err(PathError::Malformed), "{bad}");
        }
    }

    #[test]
    fn one_rule_for_paths_that_stay_inside_issue_9() {
        assert_eq!(site_path("/canh-bao/x/"), Ok("/canh-bao/x/".into()));
        assert_eq!(site_path("/%E1%BA%A3nh%20b.png"), Ok("/ảnh b.png".into()));
        assert_eq!(site_path("anh/a..b.png"), Ok("anh/a..b.png".into()));
        assert_eq!(site_path("/a\u{300}.png"), Ok("/\u{e0}.png".into()), "NFC");
        assert_eq!(site_path("/"), Ok("/".into()));
        for (bad, why) in [
            ("/../x", PathError::Climbs),
            ("a/./b", PathError::Climbs),
            ("/%2e%2e/x", PathError::Climbs),
            ("/%2E%2e/x", PathError::Climbs),
            ("/%252e%252e/x", PathError::Climbs),
            ("/a%252fb", PathError::Climbs),
            ("/%25252e%25252e/x", PathError::Climbs),
            ("/..%2fx", PathError::Climbs),
            ("..", PathError::Climbs),
            ("/a\\..\\b", PathError::BadChar),
            ("/a%5c..", PathError::BadChar),
            ("/a%00b", PathError::BadChar),
            ("/a%0ab", PathError::BadChar),
            ("//host/x", PathError::DoubleSlash),
            ("/%2fhost/x", PathError::DoubleSlash),
            ("/100%", PathError::Malformed),
            ("/%C3%28", PathError::Malformed),
        ] {
            assert_eq!(site_path(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn relative_paths_are_names_not_urls_issue_9() {
        for good in ["index.html", "anh/ảnh 1.png", "a..b/c", "100%.png", "%2e%2e/x", "Icon\r"] {
            assert_eq!(relative_path(good), Ok(()), "{good}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/./b", "a//b", "a/", ".", "a\\b", "a\0b"] {
            assert!(relative_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("l%E1%BB%ABa.md"), "lừa.md");
        assert_eq!(percent_decode("%E1%BA%A3nh%20b.png"), "ảnh b.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz"), "%zz");
        // Strict, else the text as written (issue 9): never half decoded.
        assert_eq!(percent_decode("a%20b%zz"), "a%20b%zz");
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
