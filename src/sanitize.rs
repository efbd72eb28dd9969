//! Keeping content from turning into script (issue 9).
//!
//! A public warning site with several editors and imported content is an attacker's first
//! target: this module holds the pure rules every place that emits content relies on.
//!
//! - [`check_url`]: the URL scheme allow-list (http, https, mailto, tel, sms, and relative or
//!   fragment URLs). It reads a URL the way a browser does (character references decoded, tabs
//!   and newlines removed, leading spaces and control characters stripped, any case), so
//!   `&#106;avascript:`, `java\tscript:` and ` JAVASCRIPT:` are all caught. Markdown links and
//!   images, front matter `cover`, leaflet `target`, menu URLs and aliases go through it, and
//!   get the message to report from it. [`BrowserUrl`] is that reading, done once when the
//!   scheme and the host of one URL are both needed (a Markdown link). Whether a URL leads
//!   off the site is [`crate::urls::points_elsewhere`], built on [`scheme`].
//! - [`find_controls`]: control characters (C0 but tab/newline/CR, DEL, C1) that would make feeds
//!   invalid XML; sources containing them are refused.
//! - [`defang`]: a scam's address shown so that it is never a link (`hxxp://fake-bank[.]example`).
//! - [`link_host`] and [`in_domain`]: does a live link lead to a known scam domain?
//! - [`shorten_to`]: summaries cut for lists ([`SUMMARY_WARN_CHARS`]) and previews.
//! - [`clean_html`]: the allow-list HTML sanitiser (ammonia) raw HTML goes through when a site
//!   opts in with `markdown: { raw_html: true }`.
//!
//! The messages about what these rules find are [`crate::Message`] variants (`BadScheme`,
//! `ControlCharacter`, `RawHtml`, `ScamLink`, …), given the URL as written: [`crate::messages`]
//! escapes and caps it.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::messages::{Message, UrlPlace};

/// The only URL schemes ever emitted. Relative URLs (`/x/`, `x.md`, `#id`, `//host/x`) have none.
pub const ALLOWED_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "sms"];

/// Checks that `url`, read as a browser reads it, is relative or uses an allowed scheme; else
/// the message of a URL with a forbidden scheme written at `place`.
pub fn check_url(url: &str, place: UrlPlace) -> Result<(), Message> {
    BrowserUrl::new(url).check(place)
}

/// The scheme of `url` as a browser would find it (lower case), or None for a relative URL.
pub fn scheme(url: &str) -> Option<String> {
    BrowserUrl::new(url).scheme()
}

/// A URL as written and as a browser reads it (see [`BrowserUrl::new`]): read once, then asked
/// for its scheme ([`check_url`]) and its host ([`link_host`]).
pub struct BrowserUrl<'a> {
    written: &'a str,
    seen: Cow<'a, str>,
}

impl<'a> BrowserUrl<'a> {
    /// What a browser sees of an attribute value: character references decoded (repeatedly, to
    /// be on the safe side), every ASCII tab, newline and other control character removed,
    /// leading and trailing spaces and controls stripped (the WHATWG URL parser does the same).
    /// Borrowed when there is nothing to decode or remove (most URLs).
    pub fn new(written: &'a str) -> Self {
        let mut text = Cow::Borrowed(written);
        for _ in 0..3 {
            if !text.contains('&') {
                break;
            }
            let decoded = decode_references(&text);
            if decoded == *text {
                break;
            }
            text = Cow::Owned(decoded);
        }
        if text.contains(|c: char| c.is_ascii_control()) {
            text = Cow::Owned(text.chars().filter(|c| !c.is_ascii_control()).collect());
        }
        let seen = match text {
            Cow::Borrowed(t) => Cow::Borrowed(t.trim_matches(is_trimmed)),
            Cow::Owned(t) => Cow::Owned(t.trim_matches(is_trimmed).to_string()),
        };
        BrowserUrl { written, seen }
    }

    /// The scheme (lower case), or None for a relative URL.
    pub fn scheme(&self) -> Option<String> {
        let colon = self.seen.find(':')?;
        let candidate = &self.seen[..colon];
        let mut chars = candidate.chars();
        let first = chars.next()?;
        (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
            .then(|| candidate.to_ascii_lowercase())
    }

    /// Ok for a relative URL or an allowed scheme; else [`Message::BadScheme`] at `place`.
    pub fn check(&self, place: UrlPlace) -> Result<(), Message> {
        match self.scheme() {
            Some(scheme) if !ALLOWED_SCHEMES.contains(&scheme.as_str()) => {
                Err(Message::BadScheme { place, url: self.written.to_string(), scheme })
            }
            _ => Ok(()),
        }
    }

    /// The host of an http(s) or protocol-relative (`//host/x`) URL: lower case, without user,
    /// port or trailing dot. None for other URLs.
    pub fn host(&self) -> Option<String> {
        let lower = self.seen.to_ascii_lowercase();
        let rest = match lower.strip_prefix("https:").or_else(|| lower.strip_prefix("http:")) {
            Some(rest) => rest,
            None if lower.starts_with("//") => &lower,
            None => return None,
        };
        let rest = rest.trim_start_matches(['/', '\\']);
        let authority = &rest[..rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len())];
        let host = authority.rsplit('@').next().unwrap_or(authority);
        let host = match host.rfind(':') {
            Some(i) if !host.ends_with(']') => &host[..i],
            _ => host,
        };
        let host = host.trim_end_matches('.');
        (!host.is_empty()).then(|| host.to_string())
    }
}

/// Spaces and controls a browser strips from both ends of a URL.
fn is_trimmed(c: char) -> bool {
    c <= ' ' || c.is_whitespace()
}

/// Decodes numeric character references (`&#106;`, `&#x6A`, with or without `;`) and the named
/// ones that can spell a scheme or hide a separator.
fn decode_references(text: &str) -> String {
    const NAMED: &[(&str, char)] = &[
        ("colon", ':'),
        ("Tab", '\t'),
        ("NewLine", '\n'),
        ("period", '.'),
        ("plus", '+'),
        ("sol", '/'),
        ("amp", '&'),
        ("AMP", '&'),
        ("nbsp", '\u{a0}'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (radix, digits_start) = match num.strip_prefix(['x', 'X']) {
                Some(_) => (16, 2),
                None => (10, 1),
            };
            let digits: String = rest[digits_start..].chars().take_while(|c| c.is_digit(radix)).collect();
            if let Some(c) = u32::from_str_radix(&digits, radix).ok().and_then(char::from_u32)
                && !digits.is_empty()
            {
                out.push(c);
                rest = &rest[digits_start + digits.len()..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(name, _)| rest.starts_with(name)) {
            out.push(*c);
            rest = &rest[name.len()..];
            rest = rest.strip_prefix(';').unwrap_or(rest);
            continue;
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// Whether `c` may not appear in a source: C0 controls but tab, newline and carriage return,
/// DEL, and C1 controls. They make feeds invalid XML and have no business in a warning.
pub fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || ('\u{7f}'..='\u{9f}').contains(&c)
}

/// Byte offsets and characters of the forbidden control characters of `text`.
pub fn find_controls(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    text.char_indices().filter(|(_, c)| is_forbidden_control(*c))
}

/// Most control characters reported per file (one pasted terminal log can hold thousands).
const MAX_CONTROLS_REPORTED: usize = 10;

/// 1-based line and column (in characters) and the character of the first forbidden control
/// characters of `text` (at most [`MAX_CONTROLS_REPORTED`]).
pub fn control_positions(text: &str) -> Vec<(usize, usize, char)> {
    let mut found = Vec::new();
    let (mut line, mut line_start) = (1, 0);
    let mut counted_to = 0;
    for (offset, c) in find_controls(text).take(MAX_CONTROLS_REPORTED) {
        let between = &text[counted_to..offset];
        if let Some(last) = between.rfind('\n') {
            line += between.matches('\n').count();
            line_start = counted_to + last + 1;
        }
        counted_to = offset;
        found.push((line, text[line_start..offset].chars().count() + 1, c));
    }
    found
}

/// A control character written as a YAML escape in a double-quoted string (`"\x1b"`, `"\0"`,
/// `"\u0085"`), which no scan of the file's characters sees: 1-based line and column within
/// `yaml`, and the character. The text is scanned for such escapes first; only when there is one
/// is the YAML parsed, to tell a double-quoted string (decoded) from any other (kept as written:
/// `'C:\x01'`, a comment).
pub fn yaml_escaped_control(yaml: &str) -> Option<(usize, usize, char)> {
    let candidates = escaped_controls(yaml);
    if candidates.is_empty() {
        return None;
    }
    let value: serde_json::Value = serde_saphyr::from_str(yaml).ok()?;
    let c = first_control(&value)?;
    let mut decoded = candidates.into_iter().filter(|candidate| candidate.char == c);
    let first = decoded.next()?;
    let in_quotes = std::iter::once(first).chain(decoded).find(|candidate| candidate.after_quote);
    let found = in_quotes.unwrap_or(first);
    Some((found.line, found.column, found.char))
}

/// A backslash escape that YAML decodes to a forbidden control character in double quotes.
#[derive(Clone, Copy)]
struct Escape {
    line: usize,
    column: usize,
    char: char,
    /// An odd number of `"` before it on its line: likely inside a double-quoted string.
    after_quote: bool,
}

/// Every backslash escape of `yaml` that YAML decodes to a forbidden control character inside
/// double quotes, wherever it is written (1-based line and column).
fn escaped_controls(yaml: &str) -> Vec<Escape> {
    let mut found = Vec::new();
    if !yaml.contains('\\') {
        return found;
    }
    for (line, text) in (1..).zip(yaml.lines()) {
        let mut chars = text.char_indices();
        while let Some((i, ch)) = chars.next() {
            if ch != '\\' {
                continue;
            }
            let Some((_, kind)) = chars.next() else { break };
            let hex = |n: usize| text.get(i + 2..i + 2 + n).and_then(|h| u32::from_str_radix(h, 16).ok());
            let escaped = match kind {
                '0' => Some(0),
                'a' => Some(7),
                'b' => Some(8),
                'e' => Some(0x1b),
                'f' => Some(0xc),
                'v' => Some(0xb),
                'N' => Some(0x85),
                'x' => hex(2),
                'u' => hex(4),
                'U' => hex(8),
                _ => None,
            };
            if let Some(c) = escaped.and_then(char::from_u32).filter(|&c| is_forbidden_control(c)) {
                let before = &text[..i];
                let quotes = before.matches('"').count() - before.matches("\\\"").count();
                found.push(Escape { line, column: before.chars().count() + 1, char: c, after_quote: quotes % 2 == 1 });
            }
        }
    }
    found
}

/// The first forbidden control character in the strings (keys too) of a parsed value.
fn first_control(value: &serde_json::Value) -> Option<char> {
    let in_text = |s: &str| find_controls(s).next().map(|(_, c)| c);
    match value {
        serde_json::Value::String(s) => in_text(s),
        serde_json::Value::Array(items) => items.iter().find_map(first_control),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| in_text(k).or_else(|| first_control(v))),
        _ => None,
    }
}

/// A scam's address written so that it is never a link and cannot be clicked by mistake:
/// `http` becomes `hxxp`, every dot of the host `[.]` (`hxxps://fake-bank[.]example/login`).
pub fn defang(address: &str) -> String {
    let address = address.trim();
    let (scheme, rest) = match address.find("://") {
        Some(i) => (&address[..i], &address[i + 3..]),
        None => ("", address),
    };
    let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (host, tail) = rest.split_at(host_end);
    let mut out = String::with_capacity(address.len() + 8);
    if !scheme.is_empty() {
        let lower = scheme.to_ascii_lowercase();
        out.push_str(match lower.as_str() {
            "http" => "hxxp",
            "https" => "hxxps",
            "ftp" => "fxp",
            _ => scheme,
        });
        out.push_str("://");
    }
    out.push_str(&host.replace('.', "[.]"));
    out.push_str(tail);
    out
}

/// The host of an http(s) or protocol-relative URL (see [`BrowserUrl::host`]).
pub fn link_host(url: &str) -> Option<String> {
    BrowserUrl::new(url).host()
}

/// Whether `host` is `domain` or one of its subdomains (both lower case).
pub fn in_domain(host: &str, domain: &str) -> bool {
    host == domain || host.strip_suffix(domain).is_some_and(|head| head.ends_with('.'))
}

/// Lists (home page, term pages, feeds, the search index) show at most this many characters of
/// a summary: a 10 MB `summary` must not be copied into every list. `check` warns about an
/// explicit summary longer than this.
pub const SUMMARY_WARN_CHARS: usize = 300;

/// `s` cut at a word boundary to at most `max` characters (and "…") when longer.
pub fn shorten_to(s: &str, max: usize) -> String {
    if s.chars().nth(max).is_none() {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head).trim_end_matches([',', '.', ';', ':']);
    format!("{cut}…")
}

/// The allow-list sanitiser raw HTML goes through (with the site's opt-in). It keeps what the
/// Markdown renderer itself writes (alerts, pictures with `srcset`, external links with
/// `target="_blank"`, heading and footnote ids, task-list checkboxes, table alignment) and drops
/// scripts, event handlers, frames, forms, styles, `<meta>` and URLs with other schemes.
static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["picture", "source", "input"])
        .add_generic_attributes(["id", "class"])
        .url_schemes(ALLOWED_SCHEMES.iter().copied().collect::<HashSet<_>>())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(Some("noopener noreferrer"));
    let extra: HashMap<&str, &[&str]> = HashMap::from([
        ("a", &["target"][..]),
        ("img", &["srcset", "sizes", "width", "height", "loading", "decoding", "fetchpriority"][..]),
        ("source", &["type", "srcset", "sizes", "media"][..]),
        ("input", &["type", "checked", "disabled"][..]),
        ("th", &["style"][..]),
        ("td", &["style", "data-label"][..]),
    ]);
    for (tag, attributes) in extra {
        builder.add_tag_attributes(tag, attributes.iter().copied());
    }
    builder.attribute_filter(|element, attribute, value| match (element, attribute) {
        ("a", "target") => (value == "_blank").then_some(value.into()),
        ("input", "type") => (value == "checkbox").then_some(value.into()),
        (_, "style") => ["left", "center", "right"]
            .iter()
            .any(|align| value == format!("text-align: {align}"))
            .then_some(value.into()),
        (_, "srcset") => {
            let mut urls = value.split(',').filter_map(|candidate| candidate.split_whitespace().next());
            urls.all(|url| check_url(url, UrlPlace::Image).is_ok()).then_some(value.into())
        }
        _ => Some(value.into()),
    });
    builder
});

/// `html` through the allow-list sanitiser (see [`CLEANER`]).
pub fn clean_html(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_schemes_in_every_disguise_issue_9() {
        let refused: &[(&str, &str)] = &[
            ("javascript:alert(1)", "javascript"),
            ("JavaScript:alert(1)", "javascript"),
            ("JAVASCRIPT:alert(1)", "javascript"),
            ("  javascript:alert(1)", "javascript"),
            ("\u{1}\u{2}javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("java\nscript:alert(1)", "javascript"),
            ("java\rscript:alert(1)", "javascript"),
            ("jav\u{0}ascript:alert(1)", "javascript"),
            ("&#106;avascript:alert(1)", "javascript"),
            ("&#106avascript:alert(1)", "javascript"),
            ("&#x6A;avascript:alert(1)", "javascript"),
            ("&#X6a;avascript:alert(1)", "javascript"),
            ("&#0000106;avascript:alert(1)", "javascript"),
            ("javascript&colon;alert(1)", "javascript"),
            ("javascript&colon alert(1)", "javascript"),
            ("java&Tab;script:alert(1)", "javascript"),
            ("java&NewLine;script:alert(1)", "javascript"),
            ("&amp;#106;avascript:alert(1)", "javascript"),
            ("vbscript:msgbox(1)", "vbscript"),
            ("VBScript:msgbox(1)", "vbscript"),
            ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "data"),
            ("DATA:image/svg+xml,<svg onload=alert(1)>", "data"),
            (" data:image/png;base64,AAAA", "data"),
            ("file:///etc/passwd", "file"),
            ("blob:https://x.example/1", "blob"),
            ("ftp://x.example/", "ftp"),
            ("x-scheme+1.0:payload", "x-scheme+1.0"),
            ("c:\\windows", "c"),
        ];
        for (url, scheme) in refused {
            let refused =
                Message::BadScheme { place: UrlPlace::Link, url: url.to_string(), scheme: scheme.to_string() };
            assert_eq!(check_url(url, UrlPlace::Link), Err(refused), "{url:?}");
        }
        let allowed = [
            "https://chongluadao.vn/a?b=1&c=2",
            "HTTP://example.vn",
            "mailto:a@b.vn",
            "tel:+84113",
            "sms:+84113?body=hi",
            "/canh-bao/x/",
            "gia-danh.md",
            "../pages/a.md#muc",
            "#dau-hieu",
            "//cdn.example.vn/x.png",
            "?page=2",
            "",
            "anh/x:y.png",
            "/a/javascript:alert(1)",
            "java script:alert(1)",
            "%6Aavascript:alert(1)",
            "javascript%3Aalert(1)",
            "java\u{200b}script:alert(1)",
        ];
        for url in allowed {
            assert_eq!(check_url(url, UrlPlace::Link), Ok(()), "{url:?}");
        }
    }

    #[test]
    fn defangs_addresses() {
        assert_eq!(defang("http://fake-bank.example/login"), "hxxp://fake-bank[.]example/login");
        assert_eq!(defang("https://a.b.example/x.php?y=1.2"), "hxxps://a[.]b[.]example/x.php?y=1.2");
        assert_eq!(defang("HTTPS://vcb-secure.example"), "hxxps://vcb-secure[.]example");
        assert_eq!(defang("fake-bank.example/dang-nhap"), "fake-bank[.]example/dang-nhap");
        assert_eq!(defang(" vietcombank-khuyenmai.example "), "vietcombank-khuyenmai[.]example");
        assert_eq!(defang("ho-tro@fake-bank.example"), "ho-tro@fake-bank[.]example");
    }

    #[test]
    fn hosts_and_domains() {
        assert_eq!(link_host("https://Login.Fake-Bank.example:8443/x").as_deref(), Some("login.fake-bank.example"));
        assert_eq!(link_host("http://user:pw@fake-bank.example./").as_deref(), Some("fake-bank.example"));
        assert_eq!(link_host("//fake-bank.example/a").as_deref(), Some("fake-bank.example"));
        assert_eq!(link_host("HTTPS:\\\\fake-bank.example").as_deref(), Some("fake-bank.example"));
        assert_eq!(link_host("/canh-bao/x/"), None);
        assert_eq!(link_host("mailto:a@fake-bank.example"), None);
        assert_eq!(link_host("x.md"), None);
        assert!(in_domain("fake-bank.example", "fake-bank.example"));
        assert!(in_domain("login.fake-bank.example", "fake-bank.example"));
        assert!(!in_domain("notfake-bank.example", "fake-bank.example"));
        assert!(!in_domain("fake-bank.example.vn", "fake-bank.example"));
    }

    #[test]
    fn control_characters() {
        let found: Vec<_> = find_controls("a\tb\nc\r\0d\u{1}\u{1b}[31m\u{7f}\u{85}\u{9f}\u{a0}đ").collect();
        let chars: Vec<char> = found.iter().map(|(_, c)| *c).collect();
        assert_eq!(chars, ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}']);
        assert_eq!(found[0].0, 6);
    }

    #[test]
    fn control_positions_and_yaml_escapes() {
        assert_eq!(control_positions("ab\ncđ\u{1b}x\n\n\0"), [(2, 3, '\u{1b}'), (4, 1, '\0')]);
        assert_eq!(control_positions("sạch\tsẽ\n"), []);
        let yaml = "title: \"a\\x41\"\nsummary: \"Xem \\e[31m đỏ\"\n";
        assert_eq!(yaml_escaped_control(yaml), Some((2, 15, '\u{1b}')));
        assert_eq!(yaml_escaped_control("title: \"\\u0000\"\n"), Some((1, 9, '\0')));
        assert_eq!(yaml_escaped_control("title: 'C:\\x01'\n"), None, "single quotes keep the backslash");
        assert_eq!(yaml_escaped_control("title: \"a\\tb\"\n"), None, "tab is allowed");
        // Issue 9: the escape reported is the one decoded, not the first one written.
        let yaml = "# \\x01 in a comment\ntitle: 'C:\\x01'\nsummary: \"\\x01\"\n";
        assert_eq!(yaml_escaped_control(yaml), Some((3, 11, '\u{1}')));
        assert_eq!(yaml_escaped_control("title: 'C:\\x01 \\e'\n"), None, "parsed, nothing decoded");
    }

    #[test]
    fn the_sanitiser_drops_script_and_keeps_our_markup() {
        let hostile = concat!(
            "<script>window.__pwned=1</script><img src=x onerror=alert(1)>",
            "<iframe src=\"https://evil.example\"></iframe><form action=\"https://evil.example\"><input name=p></form>",
            "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
            "<a href=\"javascript:alert(1)\">x</a><a href=\"&#106;avascript:alert(1)\">y</a>",
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\"><style>body{display:none}</style>",
            "<p style=\"position:fixed\" onclick=\"alert(1)\">z</p><svg onload=alert(1)></svg>",
        );
        let clean = clean_html(hostile);
        for bad in [
            "<script",
            "onerror",
            "<iframe",
            "<form",
            "<meta",
            "javascript",
            "data:",
            "<style",
            "onclick",
            "<svg",
            "onload",
            "position",
        ] {
            assert!(!clean.to_ascii_lowercase().contains(bad), "`{bad}` survived: {clean}");
        }
        let ours = concat!(
            "<h2 id=\"dau-hieu\">D</h2>",
            "<blockquote class=\"markdown-alert markdown-alert-warning\">\n<p class=\"markdown-alert-title\">Cảnh báo</p></blockquote>",
            "<p><a href=\"https://chongluadao.vn/\" rel=\"noopener noreferrer\" target=\"_blank\">a</a> <a href=\"/canh-bao/b/#x\">b</a></p>",
            "<picture><source type=\"image/webp\" srcset=\"a-480w.webp 480w\" sizes=\"100vw\">",
            "<img src=\"a-800w.png\" srcset=\"a-480w.png 480w\" sizes=\"100vw\" width=\"800\" height=\"600\" alt=\"Tin nhắn\" loading=\"lazy\" decoding=\"async\"></picture>",
            "<ul><li><input disabled=\"\" type=\"checkbox\" checked=\"\">xong</li></ul>",
            "<table><thead><tr><th style=\"text-align: center\">a</th></tr></thead></table>",
            "<sup class=\"footnote-reference\"><a href=\"#1\">1</a></sup><div class=\"footnote-definition\" id=\"1\"><sup class=\"footnote-definition-label\">1</sup></div>",
        );
        let clean = clean_html(ours);
        for kept in [
            "<h2 id=\"dau-hieu\">",
            "class=\"markdown-alert markdown-alert-warning\"",
            "<p class=\"markdown-alert-title\">Cảnh báo</p>",
            "href=\"https://chongluadao.vn/\"",
            "target=\"_blank\"",
            "rel=\"noopener noreferrer\"",
            "href=\"/canh-bao/b/#x\"",
            "<source type=\"image/webp\" srcset=\"a-480w.webp 480w\" sizes=\"100vw\">",
            "srcset=\"a-480w.png 480w\"",
            "width=\"800\"",
            "loading=\"lazy\"",
            "type=\"checkbox\"",
            "style=\"text-align: center\"",
            "class=\"footnote-definition\" id=\"1\"",
        ] {
            assert!(clean.contains(kept), "`{kept}` lost: {clean}");
        }
    }
}
