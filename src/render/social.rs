//! Link previews and sharing: the Open Graph / Twitter card values of every page, the JSON-LD of
//! articles, and the share links of an article. Zalo and Facebook read `og:*`; a shared link
//! without a picture and a title is ignored, so every page gets a full set.
//!
//! Values are computed here, in Rust, because Tera 2 has neither `json_encode` nor `urlencode`.

use serde::Serialize;

use super::views::{ArticleSummary, SiteView};

/// Size of the social card PNGs (`social.png` beside each article, `/social.png` site-wide).
pub const CARD_WIDTH: u32 = 1200;
pub const CARD_HEIGHT: u32 = 630;
/// Name of an article's social card, beside its `index.html`.
pub const CARD_FILE: &str = "social.png";
/// Name of an article's QR code image, beside its `index.html`.
pub const QR_FILE: &str = "qr.png";

/// Open Graph, Twitter card and JSON-LD values of one page (template variable `og`).
#[derive(Serialize)]
pub struct OgView {
    /// `website` or `article`.
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    /// Absolute URL of the page.
    pub url: String,
    pub site_name: String,
    pub locale: &'static str,
    /// Absolute URL of the card image.
    pub image: String,
    pub image_width: u32,
    pub image_height: u32,
    pub image_alt: String,
    /// RFC 3339, articles only.
    pub published_time: Option<String>,
    pub modified_time: Option<String>,
    /// JSON-LD of an article, safe inside `<script>` (`<` is written `\u003c`); output with `| safe`.
    pub json_ld: Option<String>,
}

impl OgView {
    /// Values of a page that is not an article.
    pub fn page(site: &SiteView, title: &str, description: &str, permalink: &str) -> Self {
        let title = if title.is_empty() { site.title.clone() } else { title.to_string() };
        OgView {
            kind: "website",
            description: shorten(if description.is_empty() { &site.description } else { description }),
            url: permalink.to_string(),
            site_name: site.title.clone(),
            locale: "vi_VN",
            image: site.og_image.clone(),
            image_width: CARD_WIDTH,
            image_height: CARD_HEIGHT,
            image_alt: title.clone(),
            title,
            published_time: None,
            modified_time: None,
            json_ld: None,
        }
    }

    /// Values of an article, with its own card and JSON-LD; `summary` is its full summary (cut
    /// here once, not after the cut of lists).
    pub fn article(site: &SiteView, a: &ArticleSummary, summary: &str) -> Self {
        let mut og = OgView::page(site, &a.title, summary, &a.permalink);
        og.kind = "article";
        og.image = a.social_image.clone();
        og.published_time = Some(a.date_rfc3339.clone());
        og.modified_time = Some(a.updated_rfc3339.clone());
        og.json_ld = Some(json_ld(site, a, summary));
        og
    }
}

/// Previews show about two lines of description: longer text only adds weight to every page.
const DESCRIPTION_CHARS: usize = 200;

/// `s` cut at a word boundary to at most [`DESCRIPTION_CHARS`] characters, with "…" when cut.
pub fn shorten(s: &str) -> String {
    crate::sanitize::shorten_to(s, DESCRIPTION_CHARS)
}

/// Share links of an article (template variable `share`).
#[derive(Serialize)]
pub struct ShareView {
    pub url: String,
    pub title: String,
    /// `https://www.facebook.com/sharer/sharer.php?u=...`: a plain link, no SDK.
    pub facebook: String,
    /// The article's QR code image (relative to the article page).
    pub qr: &'static str,
}

impl ShareView {
    pub fn new(a: &ArticleSummary) -> Self {
        ShareView {
            url: a.permalink.clone(),
            title: a.title.clone(),
            facebook: format!("https://www.facebook.com/sharer/sharer.php?u={}", url_encode(&a.permalink)),
            qr: QR_FILE,
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters (for a query parameter value).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// schema.org `NewsArticle` of an article, as a string that can sit inside `<script>`.
/// `summary` is the article's full summary.
pub fn json_ld(site: &SiteView, a: &ArticleSummary, summary: &str) -> String {
    let publisher = serde_json::json!({
        "@type": "Organization",
        "name": site.organisation.as_deref().unwrap_or(&site.title),
        "url": format!("{}/", site.base_url),
    });
    let value = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": shorten(summary),
        "url": a.permalink,
        "mainEntityOfPage": a.permalink,
        "datePublished": a.date_rfc3339,
        "dateModified": a.updated_rfc3339,
        "inLanguage": site.language,
        "image": [{ "@type": "ImageObject", "url": a.social_image, "width": CARD_WIDTH, "height": CARD_HEIGHT }],
        "keywords": a.scams.iter().chain(&a.audiences).map(|t| t.name.as_str()).collect::<Vec<_>>(),
        "author": publisher,
        "publisher": publisher,
    });
    script_safe_json(&value)
}

/// JSON text that cannot end a `<script>` element or open a comment in it: `<`, `>` and `&` are
/// written as `\u003c`, `\u003e`, `\u0026` (still the same JSON value).
pub fn script_safe_json(value: &serde_json::Value) -> String {
    let json = value.to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_encoding() {
        assert_eq!(
            url_encode("https://canhbao.example.vn/canh-bao/x/?a=1&b=đ"),
            "https%3A%2F%2Fcanhbao.example.vn%2Fcanh-bao%2Fx%2F%3Fa%3D1%26b%3D%C4%91"
        );
        assert_eq!(url_encode("a-b_c.d~e"), "a-b_c.d~e");
    }

    #[test]
    fn long_descriptions_are_cut_at_a_word() {
        assert_eq!(shorten("Ngắn gọn."), "Ngắn gọn.");
        let long = "Kẻ gian gọi điện, ".repeat(20);
        let short = shorten(&long);
        assert!(short.chars().count() <= DESCRIPTION_CHARS + 1, "{short}");
        assert!(short.ends_with("điện…") || short.ends_with("gian…") || short.ends_with("gọi…"), "{short}");
    }

    #[test]
    fn json_in_script_cannot_close_it() {
        let value = serde_json::json!({ "headline": "</script><script>alert(1)</script> & <!--" });
        let text = script_safe_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
