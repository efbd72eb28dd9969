//! Blogger exports ("Back up content"): an Atom feed whose entries are posts, pages, comments,
//! settings and the template. Both layouts are read: the classic one (the kind in a
//! `<category scheme="…#kind">`, drafts in `<app:draft>`, the address in `<link rel="alternate">`)
//! and the newer one (`<blogger:type>`, `<blogger:status>`, `<blogger:filename>`).

use roxmltree::{Document, Node};

use super::post::{Body, Found, Origin, Post, PostKind};
use super::{dates, xml};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::text;

const KIND_SCHEME: &str = "http://schemas.google.com/g/2005#kind";

/// Every post and page of the export.
pub fn read(doc: &Document, file: &str) -> Found {
    let mut found = Found::default();
    let root = doc.root_element();
    if let Some(href) = alternate(root) {
        found.hosts.push(href);
    }
    for entry in root.children().filter(|n| n.has_tag_name((xml::ATOM, "entry"))) {
        let origin = Origin { file: file.to_string(), line: Some(xml::line(doc, entry)) };
        let kind = entry_kind(entry);
        let kind = match kind.as_deref() {
            Some("post") => PostKind::Article,
            Some("page") => PostKind::Page,
            _ => continue,
        };
        let status = xml::child_text(entry, "status").unwrap_or_default();
        if matches!(status.as_str(), "DELETED" | "SOFT_TRASHED" | "PURGED") {
            continue;
        }
        let html = xml::child_text(entry, "content").unwrap_or_default();
        let mut post = Post::new(origin.clone(), kind, Body::Html(html));
        post.title = text::nfc(xml::child_text(entry, "title").unwrap_or_default().trim());
        let draft_flag = entry
            .descendants()
            .find(|n| n.tag_name().name() == "draft")
            .and_then(|n| n.text())
            .is_some_and(|t| t.trim() == "yes");
        post.draft = draft_flag || status == "DRAFT";
        let published = xml::child_text(entry, "published").unwrap_or_default();
        post.date = dates::normalise(&published);
        if kind == PostKind::Article && post.date.is_none() {
            found.problems.push(
                Diagnostic::new(file, Message::ImportNoDate { title: post.title.clone() })
                    .at(origin.line.unwrap_or(1), 1),
            );
            continue;
        }
        post.updated = xml::child_text(entry, "updated")
            .and_then(|u| dates::normalise(&u))
            .filter(|u| Some(u) != post.date.as_ref() && post.date.as_deref().is_some_and(|d| u.as_str() > d));
        post.labels = entry
            .children()
            .filter(|n| n.has_tag_name((xml::ATOM, "category")) && n.attribute("scheme") != Some(KIND_SCHEME))
            .filter_map(|n| n.attribute("term"))
            .map(|t| text::nfc(t.trim()))
            .filter(|t| !t.is_empty())
            .collect();
        let url = alternate(entry).or_else(|| xml::child_text(entry, "filename"));
        if let Some(url) = url {
            let last = url.trim_end_matches('/').rsplit('/').next().unwrap_or("");
            post.slug = last.strip_suffix(".html").unwrap_or(last).to_string();
            post.old_urls.push(url);
        }
        if post.slug.is_empty() {
            post.slug = post.title.clone();
        }
        found.posts.push(post);
    }
    found
}

/// `post`, `page`, `comment`, `settings`, `template` (lower case).
fn entry_kind(entry: Node) -> Option<String> {
    if let Some(kind) = xml::child_text(entry, "type") {
        return Some(kind.trim().to_ascii_lowercase());
    }
    entry
        .children()
        .filter(|n| n.has_tag_name((xml::ATOM, "category")) && n.attribute("scheme") == Some(KIND_SCHEME))
        .find_map(|n| n.attribute("term")?.rsplit_once('#').map(|(_, k)| k.to_ascii_lowercase()))
}

/// The `href` of the `<link rel="alternate">` child.
fn alternate(node: Node) -> Option<String> {
    node.children()
        .find(|n| n.has_tag_name((xml::ATOM, "link")) && n.attribute("rel") == Some("alternate"))
        .and_then(|n| n.attribute("href"))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_reads_the_newer_export_layout() {
        let text = "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>\n\
            <entry><blogger:type>POST</blogger:type><blogger:status>DRAFT</blogger:status>\n\
            <title>Bài A</title><content type='html'>&lt;p&gt;A&lt;/p&gt;</content>\n\
            <blogger:filename>/2024/05/bai-a.html</blogger:filename><published>2024-05-08T09:30:00Z</published>\n\
            <category scheme='tag:blogger.com,1999:blog-1' term='Lừa đảo'/></entry>\n\
            <entry><blogger:type>POST</blogger:type><blogger:status>DELETED</blogger:status><title>B</title></entry>\n\
            <entry><blogger:type>COMMENT</blogger:type><title>C</title></entry>\n\
            <entry><blogger:type>POST</blogger:type><title>Không ngày</title></entry></feed>";
        let doc = xml::parse(text, "feed.atom").unwrap();
        let found = read(&doc, "feed.atom");
        assert_eq!(found.posts.len(), 1);
        let post = &found.posts[0];
        assert_eq!((post.title.as_str(), post.draft, post.slug.as_str()), ("Bài A", true, "bai-a"));
        assert_eq!(post.date.as_deref(), Some("2024-05-08T16:30:00+07:00"));
        assert_eq!(post.labels, ["Lừa đảo"]);
        assert_eq!(post.old_urls, ["/2024/05/bai-a.html"]);
        assert_eq!(found.problems.len(), 1);
        assert_eq!(
            found.problems[0].to_string(),
            "feed.atom:8:1: \"Không ngày\" has no date (an article needs one): not imported"
        );
    }
}
