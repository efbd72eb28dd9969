//! HTML bodies (Blogger, WordPress) to clean Markdown: ammonia drops scripts, styles, inline
//! styles, frames, forms and every attribute a Markdown page does not keep, and rewrites each
//! link and image through the import's [`Rewrite`]; htmd then writes the Markdown (headings,
//! lists, tables, links, images, emphasis). Tracking pixels and empty elements are dropped.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use htmd::HtmlToMarkdown;
use htmd::options::{BulletListMarker, CodeBlockStyle, HeadingStyle, Options};

use crate::text;

/// How links and images of a body are rewritten.
pub trait Rewrite: Send + Sync {
    /// The new target of a link (an old post's address becomes `@/articles/x.md`).
    fn link(&self, url: &str) -> String;
    /// The new source of an image, or None to drop it (a tracking pixel).
    fn image(&self, url: &str) -> Option<String>;
}

/// Hosts that serve nothing but tracking pixels and counters.
const TRACKERS: &[&str] = &[
    "pixel.wp.com",
    "stats.wordpress.com",
    "feeds.feedburner.com",
    "www.google-analytics.com",
    "google-analytics.com",
    "www.facebook.com/tr",
    "ad.doubleclick.net",
    "blogger.googleusercontent.com/tracker",
    "resources.blogblog.com/img/icon18_",
];

/// Whether an image URL is a known tracker.
pub fn is_tracker(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower.trim_start_matches("https:").trim_start_matches("http:").trim_start_matches("//");
    TRACKERS.iter().any(|t| rest.starts_with(t))
}

/// Whether a link points straight at a picture file (or Blogger's picture host).
fn is_picture(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let path = lower.split(['?', '#']).next().unwrap_or("");
    let hosts = ["blogger.googleusercontent.com/img/", "bp.blogspot.com/"];
    [".png", ".jpg", ".jpeg", ".gif", ".webp"].iter().any(|e| path.ends_with(e))
        || hosts.iter().any(|h| lower.contains(h))
}

/// Clean Markdown of an HTML body; NFC, no raw HTML.
pub fn to_markdown(html: &str, rewrite: Arc<dyn Rewrite>) -> String {
    let cleaned = clean(html, rewrite);
    let options = Options {
        heading_style: HeadingStyle::Atx,
        bullet_list_marker: BulletListMarker::Dash,
        code_block_style: CodeBlockStyle::Fenced,
        ul_bullet_spacing: 1,
        ol_number_spacing: 1,
        ..Options::default()
    };
    let converter = HtmlToMarkdown::builder()
        .options(options)
        // A 1×1 image is a tracking pixel, whatever its host.
        .add_handler(vec!["img"], |handlers: &dyn htmd::element_handler::Handlers, element: htmd::Element| {
            let tiny = element.attrs.iter().any(|a| {
                matches!(&*a.name.local, "width" | "height") && matches!(a.value.trim(), "0" | "1" | "0px" | "1px")
            });
            if tiny { Some(String::new().into()) } else { handlers.fallback(element) }
        })
        .build();
    let markdown = converter.convert(&cleaned).unwrap_or_default();
    tidy(&markdown)
}

/// Embedded frames (a YouTube video, a map) cannot be kept: the site loads nothing from another
/// host. Each becomes a link to what it showed, so the reader can still open it.
fn frames_to_links(html: &str) -> String {
    // ASCII lower case keeps every byte offset.
    let lower = html.to_ascii_lowercase();
    let mut out = String::with_capacity(html.len());
    let mut at = 0;
    while let Some(start) = lower[at..].find("<iframe").map(|i| at + i) {
        let Some(tag_end) = lower[start..].find('>').map(|i| start + i + 1) else { break };
        let end = lower[tag_end..].find("</iframe>").map_or(tag_end, |e| tag_end + e + "</iframe>".len());
        out.push_str(&html[at..start]);
        if let Some(src) =
            attribute(&html[start..tag_end], "src").filter(|s| s.starts_with("https://") || s.starts_with("//"))
        {
            let src = if src.starts_with("//") { format!("https:{src}") } else { src.to_string() };
            let src = src
                .replace("youtube.com/embed/", "youtube.com/watch?v=")
                .replace("youtube-nocookie.com/embed/", "youtube.com/watch?v=");
            let escaped = src.replace('"', "&quot;");
            out.push_str(&format!("<p><a href=\"{escaped}\">Video: {escaped}</a></p>"));
        }
        at = end;
    }
    out.push_str(&html[at..]);
    out
}

/// The value of a quoted attribute in one tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!(" {name}="))? + name.len() + 2;
    let quote = tag[at..].chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let value = &tag[at + 1..];
    value.find(quote).map(|end| &value[..end])
}

fn clean(html: &str, rewrite: Arc<dyn Rewrite>) -> String {
    let html = frames_to_links(html);
    let html = html.as_str();
    let tags: HashSet<&str> = [
        "p",
        "br",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "strong",
        "b",
        "em",
        "i",
        "blockquote",
        "code",
        "pre",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "th",
        "td",
        "caption",
        "hr",
        "del",
        "s",
        "div",
        "span",
        "figure",
        "figcaption",
        "dl",
        "dt",
        "dd",
    ]
    .into();
    let attributes: HashMap<&str, HashSet<&str>> =
        [("a", ["href", "title"].into()), ("img", ["src", "alt", "title", "width", "height"].into())].into();
    let mut builder = ammonia::Builder::empty();
    builder
        .tags(tags)
        .tag_attributes(attributes)
        .clean_content_tags(["script", "style", "noscript", "iframe", "object", "embed", "form", "template"].into())
        .url_schemes(["http", "https", "mailto", "tel", "sms"].into())
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(move |element, attribute, value| match (element, attribute) {
            // A link around a picture to the same picture, larger (Blogger, WordPress galleries):
            // the picture is kept, the link to the other host dropped.
            ("a", "href") if is_picture(value) => None,
            ("a", "href") => Some(Cow::Owned(rewrite.link(value))),
            ("img", "src") => rewrite.image(value).map(Cow::Owned),
            _ => Some(Cow::Borrowed(value)),
        });
    builder.clean(html).to_string()
}

/// NFC; no line of only spaces or no-break spaces; at most one blank line in a row; empty
/// emphasis left by empty elements removed; one final newline.
fn tidy(markdown: &str) -> String {
    let text = text::nfc(&markdown.replace('\r', ""));
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        let cleaned = if fenced { line.to_string() } else { line.replace('\u{a0}', " ").trim_end().to_string() };
        let empty_emphasis = !fenced && matches!(cleaned.trim(), "****" | "**" | "__" | "____" | "*" | "_");
        if cleaned.trim().is_empty() || empty_emphasis {
            blank += 1;
            continue;
        }
        if !out.is_empty() && blank > 0 {
            out.push('\n');
        }
        blank = 0;
        out.push_str(&cleaned);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Keep;
    impl Rewrite for Keep {
        fn link(&self, url: &str) -> String {
            url.replace("https://old.example/2024/05/b.html", "@/articles/b.md")
        }
        fn image(&self, url: &str) -> Option<String> {
            (!is_tracker(url)).then(|| url.to_string())
        }
    }

    fn md(html: &str) -> String {
        to_markdown(html, Arc::new(Keep))
    }

    #[test]
    fn issue_13_keeps_structure() {
        let out = md("<h2 style=\"color:red\">Dấu hiệu</h2><p>Một <strong>cảnh báo</strong> và <em>chú ý</em>.</p>\
                      <ul><li>một</li><li>hai</li></ul><ol><li>A</li></ol>\
                      <table><thead><tr><th>Số</th><th>Tên</th></tr></thead><tbody><tr><td>1</td><td>x</td></tr></tbody></table>");
        assert!(out.contains("## Dấu hiệu\n"), "{out}");
        assert!(out.contains("Một **cảnh báo** và *chú ý*."), "{out}");
        assert!(out.contains("- một\n- hai"), "{out}");
        assert!(out.contains("1. A"), "{out}");
        assert!(out.contains("| Số | Tên |"), "{out}");
        assert!(!out.contains('<'), "{out}");
    }

    #[test]
    fn issue_13_drops_scripts_styles_trackers_and_empty_elements() {
        let out = md("<script>alert(1)</script><style>p{}</style><p style=\"x\" onclick=\"y\">Chữ</p><p>&nbsp;</p>\
                      <p><strong></strong></p><img src=\"https://pixel.wp.com/g.gif\"><img src=\"/a.gif\" width=\"1\" height=\"1\">\
                      <iframe src=\"javascript:alert(1)\">x</iframe><a href=\"javascript:alert(1)\">bấm</a>");
        assert_eq!(out, "Chữ\n\nbấm\n");
        let out = md(
            "<p>Xem video:</p><iframe width=\"560\" src=\"https://www.youtube.com/embed/abc123\" frameborder=\"0\"></iframe>",
        );
        assert_eq!(
            out,
            "Xem video:\n\n[Video: https://www.youtube.com/watch?v=abc123](https://www.youtube.com/watch?v=abc123)\n"
        );
    }

    #[test]
    fn issue_13_rewrites_links_and_images_and_normalises_nfc() {
        let out = md("<p><a href=\"https://old.example/2024/05/b.html\">bài b</a> \
                      <img src=\"https://img.example/a.png\" alt=\"Tin nhắn\"></p><p>Lu\u{31b}\u{300}a</p>");
        assert!(out.contains("[bài b](@/articles/b.md)"), "{out}");
        assert!(out.contains("![Tin nhắn](https://img.example/a.png)"), "{out}");
        assert!(out.contains("Lừa"), "{out}");
        let out = md("<a href=\"https://img.example/big.JPG\"><img src=\"https://img.example/a.png\" alt=\"x\"></a>");
        assert_eq!(out, "![x](https://img.example/a.png)\n", "{out:?}");
    }
}
