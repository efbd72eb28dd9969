//! WordPress exports (WXR: RSS 2.0 with `wp:`, `content:` and `excerpt:` elements). Posts
//! become articles and pages pages; attachments give the address of each picture (a post's
//! featured image is put at the top of its body); menus, revisions and trashed items are left.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::post::{Body, Found, Origin, Post, PostKind};
use super::{dates, xml};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::text;

/// Every post and page of the export.
pub fn read(doc: &Document, file: &str) -> Found {
    let mut found = Found::default();
    let Some(channel) = doc.root_element().children().find(|n| n.has_tag_name("channel")) else {
        return found;
    };
    for name in ["link", "base_site_url", "base_blog_url"] {
        if let Some(url) = xml::child_text(channel, name).filter(|u| !u.trim().is_empty()) {
            found.hosts.push(url.trim().to_string());
        }
    }
    let items: Vec<Node> = channel.children().filter(|n| n.has_tag_name("item")).collect();
    // Attachments: id -> (address, description).
    let mut attachments: HashMap<String, (String, String)> = HashMap::new();
    for item in &items {
        if wp(*item, "post_type").as_deref() == Some("attachment") {
            let id = wp(*item, "post_id").unwrap_or_default();
            let url = wp(*item, "attachment_url").unwrap_or_default();
            let alt =
                meta(*item, "_wp_attachment_image_alt").or_else(|| xml::child_text(*item, "title")).unwrap_or_default();
            attachments.insert(id, (url.trim().to_string(), alt));
        }
    }
    for item in items {
        let origin = Origin { file: file.to_string(), line: Some(xml::line(doc, item)) };
        let kind = match wp(item, "post_type").as_deref() {
            Some("post") => PostKind::Article,
            Some("page") => PostKind::Page,
            _ => continue,
        };
        let status = wp(item, "status").unwrap_or_default();
        if matches!(status.as_str(), "trash" | "auto-draft" | "inherit") {
            continue;
        }
        let mut html = paragraphs(&content(item, "content").unwrap_or_default());
        // The featured image, at the top of the body.
        let featured = meta(item, "_thumbnail_id").and_then(|id| attachments.get(id.trim()));
        if let Some((url, alt)) = featured.filter(|(url, _)| !url.is_empty() && !html.contains(url.as_str())) {
            let alt = alt.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;");
            let url = url.replace('&', "&amp;").replace('"', "&quot;");
            html = format!("<p><img src=\"{url}\" alt=\"{alt}\"></p>\n{html}");
        }
        let mut post = Post::new(origin.clone(), kind, Body::Html(html));
        post.title = text::nfc(xml::child_text(item, "title").unwrap_or_default().trim());
        post.draft = status != "publish";
        post.date = wp(item, "post_date_gmt")
            .and_then(|d| dates::from_utc(&d))
            .or_else(|| wp(item, "post_date").and_then(|d| dates::normalise(&d)));
        if kind == PostKind::Article && post.date.is_none() {
            found.problems.push(
                Diagnostic::new(file, Message::ImportNoDate { title: post.title.clone() })
                    .at(origin.line.unwrap_or(1), 1),
            );
            continue;
        }
        post.updated = wp(item, "post_modified_gmt")
            .and_then(|d| dates::from_utc(&d))
            .filter(|u| post.date.as_deref().is_some_and(|d| d.len() > 10 && u.as_str() > d));
        let excerpt = content(item, "excerpt").unwrap_or_default();
        if !excerpt.trim().is_empty() {
            post.summary = Some(excerpt);
        }
        post.labels = item
            .children()
            .filter(|n| n.has_tag_name("category"))
            .filter_map(|n| n.text())
            .map(|t| text::nfc(t.trim()))
            .filter(|t| !t.is_empty())
            .collect();
        let id = wp(item, "post_id").unwrap_or_default();
        if !id.is_empty() {
            post.query_ids.push(format!("{}={id}", if kind == PostKind::Page { "page_id" } else { "p" }));
            // WordPress also answers `?p=ID` for pages.
            post.query_ids.push(format!("p={id}"));
        }
        if let Some(link) = xml::child_text(item, "link").filter(|l| !l.trim().is_empty()) {
            post.old_urls.push(link.trim().to_string());
        }
        if let Some(guid) = xml::child_text(item, "guid").filter(|g| g.contains("://")) {
            post.old_urls.push(guid.trim().to_string());
        }
        post.slug = crate::urls::percent_decode(&wp(item, "post_name").unwrap_or_default());
        if post.slug.trim().is_empty() {
            post.slug = post.title.clone();
        }
        found.posts.push(post);
    }
    found
}

/// The text of a `wp:` child element.
fn wp(item: Node, name: &str) -> Option<String> {
    item.children()
        .find(|n| n.is_element() && n.tag_name().name() == name && is_wp(n.tag_name().namespace()))
        .map(|n| n.children().filter_map(|c| c.text()).collect::<String>())
}

fn is_wp(namespace: Option<&str>) -> bool {
    namespace.is_some_and(|ns| ns.starts_with("http://wordpress.org/export/") && !ns.ends_with("/excerpt/"))
}

/// `content:encoded` or `excerpt:encoded`.
fn content(item: Node, prefix: &str) -> Option<String> {
    item.children()
        .find(|n| {
            n.is_element()
                && n.tag_name().name() == "encoded"
                && n.tag_name().namespace().is_some_and(|ns| match prefix {
                    "content" => ns.starts_with("http://purl.org/rss/1.0/modules/content"),
                    _ => ns.contains("/excerpt"),
                })
        })
        .map(|n| n.children().filter_map(|c| c.text()).collect::<String>())
}

/// The value of a `wp:postmeta` with this key.
fn meta(item: Node, key: &str) -> Option<String> {
    item.children()
        .filter(|n| n.is_element() && n.tag_name().name() == "postmeta")
        .find(|n| wp(*n, "meta_key").as_deref() == Some(key))
        .and_then(|n| wp(n, "meta_value"))
}

/// WordPress stores classic posts without `<p>`: a blank line separates paragraphs (what its
/// `wpautop` does when it shows them). Bodies that already have block elements are kept.
fn paragraphs(html: &str) -> String {
    let has_blocks = ["<p", "<div", "<h2", "<ul", "<table", "<!-- wp:"].iter().any(|t| html.contains(t));
    if has_blocks {
        return html.to_string();
    }
    html.replace("\r\n", "\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_classic_paragraphs() {
        assert_eq!(paragraphs("Một\nhai\n\nBa"), "<p>Một<br>hai</p>\n<p>Ba</p>");
        assert_eq!(paragraphs("<p>x</p>\n\n<p>y</p>"), "<p>x</p>\n\n<p>y</p>");
    }
}
