//! Markdown to HTML with pulldown-cmark: GitHub-flavoured extensions, heading ids and a table of
//! contents, GitHub alerts with Vietnamese titles, internal links to `.md` files rewritten to
//! pretty URLs, safe external links, images shown through a caller's hook (re-encoded pictures
//! with `srcset`), and a plain-text summary.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use crate::messages::Message;
use crate::{text, urls};

/// The marker that ends an explicit summary.
pub const MORE: &str = "<!-- more -->";

/// Headings of these levels are listed in the table of contents.
const TOC_LEVELS: std::ops::RangeInclusive<u8> = 2..=3;

/// One heading in the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// The result of rendering one Markdown body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    /// Plain text of the part before `<!-- more -->`, else of the first paragraph.
    pub summary: String,
    /// Number of words of body text.
    pub words: usize,
}

/// Where internal links can point: content-relative `.md` paths to root-relative URLs.
pub struct Links<'a> {
    /// Folder of the file being rendered, relative to `content/` (`articles`).
    pub dir: &'a str,
    pub targets: &'a HashMap<String, String>,
    /// Prefixed to root-relative links (`/favicon.svg`) when the site lives below a host's root.
    pub base_path: &'a str,
    /// The HTML of an image (`![alt](dest "title")`), or None to let pulldown-cmark write a plain
    /// `<img>`. The hook reports its own problems (it knows the file and the offset).
    pub images: &'a dyn Fn(&Image) -> Option<String>,
}

/// An image of a Markdown body, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image<'a> {
    /// Byte offset of the `![` in the body.
    pub offset: usize,
    pub dest: &'a str,
    /// The description between the brackets, as plain text.
    pub alt: &'a str,
    pub title: &'a str,
}

/// An image hook that leaves every image to pulldown-cmark.
pub fn plain_images(_: &Image) -> Option<String> {
    None
}

/// An image being read: the events between its start and end are its alt text.
struct OpenImage<'a> {
    offset: usize,
    link_type: LinkType,
    dest: CowStr<'a>,
    title: CowStr<'a>,
    id: CowStr<'a>,
    alt: String,
    /// Images nested in the alt text (`![a ![b](c)](d)`) still open.
    depth: usize,
    /// The events of the alt text, replayed when the hook leaves the image to pulldown-cmark.
    events: Vec<Event<'a>>,
}

/// A problem in the Markdown (a link that cannot be resolved, a repeated id), at a byte offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: Message,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders `body`; link problems are returned beside a complete rendering.
pub fn render(body: &str, links: &Links) -> (Rendered, Vec<Problem>) {
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, options()).into_offset_iter().collect();
    let mut problems = Vec::new();
    let toc = assign_heading_ids(&mut events, &mut problems);
    let mut summary = None;
    let mut plain = String::with_capacity(body.len());
    let mut first_paragraph: Option<String> = None;
    let mut in_first_paragraph = false;
    let mut external_link_open = false;
    let mut image: Option<OpenImage> = None;
    let mut out_events = Vec::with_capacity(events.len());
    for (event, range) in events {
        if let Some(open) = image.as_mut() {
            match event {
                Event::Start(Tag::Image { .. }) => {
                    open.depth += 1;
                    open.events.push(event);
                }
                Event::End(TagEnd::Image) if open.depth > 0 => {
                    open.depth -= 1;
                    open.events.push(event);
                }
                Event::End(TagEnd::Image) => {
                    let open = image.take().expect("an open image");
                    let seen = Image { offset: open.offset, dest: &open.dest, alt: &open.alt, title: &open.title };
                    match (links.images)(&seen) {
                        Some(html) => out_events.push(Event::InlineHtml(html.into())),
                        None => {
                            let dest = with_base_path(&open.dest, links.base_path).unwrap_or(open.dest);
                            let (link_type, title, id) = (open.link_type, open.title, open.id);
                            out_events.push(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }));
                            out_events.extend(open.events);
                            out_events.push(Event::End(TagEnd::Image));
                        }
                    }
                }
                Event::Text(ref t) | Event::Code(ref t) => {
                    // The alt text counts as text of the page (summary, word count), as before.
                    plain.push_str(t);
                    if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                        p.push_str(t);
                    }
                    open.alt.push_str(t);
                    open.events.push(event);
                }
                other => open.events.push(other),
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) if first_paragraph.is_none() => {
                in_first_paragraph = true;
                first_paragraph = Some(String::new());
                out_events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                plain.push(' ');
                in_first_paragraph = false;
                out_events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                plain.push_str(t);
                if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                    p.push_str(t);
                }
                out_events.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                plain.push(' ');
                if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                    p.push(' ');
                }
                out_events.push(event);
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) if summary.is_none() && h.trim() == MORE => {
                summary = Some(plain_text(&body[..range.start]));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = resolve_link(&dest_url, links).unwrap_or_else(|message| {
                    problems.push(Problem { offset: range.start, message });
                    dest_url.to_string()
                });
                if link_type != LinkType::Email && is_external(&dest) {
                    external_link_open = true;
                    out_events.push(Event::InlineHtml(external_anchor(&dest, &title).into()));
                } else {
                    out_events.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
                }
            }
            Event::End(TagEnd::Link) if external_link_open => {
                external_link_open = false;
                out_events.push(Event::InlineHtml("</a>".into()));
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                out_events.push(Event::Html(
                    format!("<blockquote class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{label}</p>\n").into(),
                ));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out_events.push(Event::Html("</blockquote>\n".into())),
            Event::End(end) => {
                if is_block(end) {
                    plain.push(' ');
                }
                out_events.push(Event::End(end));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let offset = range.start;
                image = Some(OpenImage {
                    offset,
                    link_type,
                    dest: dest_url,
                    title,
                    id,
                    alt: String::new(),
                    depth: 0,
                    events: Vec::new(),
                });
            }
            other => out_events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out_events.into_iter());
    let summary = summary.or(first_paragraph).map(|s| collapse_spaces(&s)).unwrap_or_default();
    (Rendered { html, toc, summary, words: plain.split_whitespace().count() }, problems)
}

/// Gives every heading an id: an explicit `{#id}` wins, others get a slug of their text,
/// numbered (`-1`, `-2`) when taken. Returns the table of contents.
fn assign_heading_ids(events: &mut [(Event, std::ops::Range<usize>)], problems: &mut Vec<Problem>) -> Vec<TocEntry> {
    let mut used: HashSet<String> = HashSet::new();
    for (event, range) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event
            && !used.insert(id.to_string())
        {
            problems.push(Problem { offset: range.start, message: Message::HeadingIdTwice { id: id.to_string() } });
        }
    }
    let mut toc = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = *level as u8;
            let explicit = id.as_ref().map(|id| id.to_string());
            let mut title = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    title.push_str(t);
                }
                j += 1;
            }
            let id = explicit.unwrap_or_else(|| {
                let base = text::slugify(&title);
                let base = if base.is_empty() { "muc".to_string() } else { base };
                let mut candidate = base.clone();
                let mut n = 1;
                while used.contains(&candidate) {
                    candidate = format!("{base}-{n}");
                    n += 1;
                }
                used.insert(candidate.clone());
                candidate
            });
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            if TOC_LEVELS.contains(&level) {
                toc.push(TocEntry { level, id, title: collapse_spaces(&title) });
            }
            i = j;
        }
        i += 1;
    }
    toc
}

/// Resolves a link destination: `.md` paths (relative, `/from/content/root.md` or `@/x.md`)
/// become the target's URL; anything else is kept.
fn resolve_link(dest: &str, links: &Links) -> Result<String, Message> {
    if dest.starts_with('#') || has_scheme(dest) || dest.starts_with("//") {
        return Ok(dest.to_string());
    }
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    if !path.ends_with(".md") {
        return Ok(with_base_path(dest, links.base_path).map_or_else(|| dest.to_string(), |d| d.to_string()));
    }
    let decoded = urls::percent_decode(path);
    let rel = content_path(&decoded, links.dir);
    match rel.as_ref().and_then(|r| links.targets.get(r)) {
        Some(url) => Ok(format!("{url}{fragment}")),
        None => Err(Message::BrokenLink {
            link: dest.to_string(),
            target: format!("content/{}", rel.unwrap_or_else(|| decoded.clone())),
        }),
    }
}

/// The content-relative path (`articles/x.md`) of a link to a Markdown file written in a file of
/// folder `dir`: relative, from the content root (`/articles/x.md`), or `@/articles/x.md`. NFC.
/// None if it climbs above the content folder.
pub fn content_path(path: &str, dir: &str) -> Option<String> {
    let rel = if let Some(rest) = path.strip_prefix("@/").or_else(|| path.strip_prefix('/')) {
        normalize(rest)
    } else {
        normalize(&format!("{dir}/{path}"))
    };
    rel.map(|r| text::nfc(&r))
}

/// A root-relative destination (`/x`, not `//host`) with the base path in front; None otherwise.
fn with_base_path<'a>(dest: &str, base_path: &str) -> Option<CowStr<'a>> {
    (!base_path.is_empty() && dest.starts_with('/') && !dest.starts_with("//"))
        .then(|| CowStr::from(format!("{base_path}{dest}")))
}

/// Whether the end of this tag ends a block (so plain text needs a space there).
fn is_block(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
            | TagEnd::Image
    )
}

fn has_scheme(dest: &str) -> bool {
    match dest.find(':') {
        Some(i) => dest[..i].chars().all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c)) && i > 0,
        None => false,
    }
}

fn is_external(dest: &str) -> bool {
    dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("//")
}

fn external_anchor(dest: &str, title: &str) -> String {
    let mut html = String::from("<a href=\"");
    let _ = escape_href(&mut html, dest);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut html, title);
        html.push('"');
    }
    html.push_str(" rel=\"noopener noreferrer\" target=\"_blank\">");
    html
}

/// Resolves `.` and `..` in a `/`-separated relative path; None if it climbs above the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn alert(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "Lưu ý"),
        BlockQuoteKind::Tip => ("tip", "Mẹo"),
        BlockQuoteKind::Important => ("important", "Quan trọng"),
        BlockQuoteKind::Warning => ("warning", "Cảnh báo"),
        BlockQuoteKind::Caution => ("caution", "Thận trọng"),
    }
}

/// The text of a Markdown fragment, without markup.
fn plain_text(markdown: &str) -> String {
    let mut out = String::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(end) if is_block(end) => out.push(' '),
            _ => {}
        }
    }
    out
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(body: &str) -> (Rendered, Vec<Problem>) {
        let mut targets = HashMap::new();
        targets.insert("articles/b.md".to_string(), "/canh-bao/b/".to_string());
        targets.insert("pages/duong-day-nong.md".to_string(), "/duong-day-nong/".to_string());
        render(body, &Links { dir: "articles", targets: &targets, base_path: "", images: &plain_images })
    }

    #[test]
    fn heading_ids_are_vietnamese_slugs_explicit_wins_duplicates_numbered() {
        let (r, _) = render_simple(
            "## Dấu hiệu nhận biết\n\n## Cách phòng tránh {#phong-tranh}\n\n## Dấu hiệu nhận biết\n\n#### Nhỏ\n",
        );
        assert!(r.html.contains("<h2 id=\"dau-hieu-nhan-biet\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"phong-tranh\">"));
        assert!(r.html.contains("<h2 id=\"dau-hieu-nhan-biet-1\">"));
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["dau-hieu-nhan-biet", "phong-tranh", "dau-hieu-nhan-biet-1"], "h4 stays out of the toc");
        assert_eq!(r.toc[0].title, "Dấu hiệu nhận biết");
    }

    #[test]
    fn internal_links_become_urls_and_broken_ones_are_reported() {
        let (r, problems) =
            render_simple("[b](b.md#x) [hl](../pages/duong-day-nong.md) [root](/articles/b.md) [z](khong-co.md)");
        assert!(r.html.contains("href=\"/canh-bao/b/#x\""));
        assert!(r.html.contains("href=\"/duong-day-nong/\""));
        assert!(r.html.contains("href=\"/canh-bao/b/\">root"));
        assert_eq!(problems.len(), 1);
        assert_eq!(
            problems[0].message,
            Message::BrokenLink { link: "khong-co.md".into(), target: "content/articles/khong-co.md".into() }
        );
        assert_eq!(problems[0].offset, "[b](b.md#x) [hl](../pages/duong-day-nong.md) [root](/articles/b.md) ".len());
    }

    #[test]
    fn external_links_are_safe() {
        let (r, _) = render_simple("Xem [trang](https://chongluadao.vn/a?b=1&c=2 \"T\") và [thư](mailto:a@b.vn).");
        assert!(r.html.contains("<a href=\"https://chongluadao.vn/a?b=1&amp;c=2\" title=\"T\" rel=\"noopener noreferrer\" target=\"_blank\">trang</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"mailto:a@b.vn\">thư</a>"));
    }

    #[test]
    fn alerts_get_vietnamese_titles() {
        let (r, _) = render_simple("> [!WARNING]\n> Không chuyển tiền.\n");
        assert!(r.html.contains("<blockquote class=\"markdown-alert markdown-alert-warning\">"), "{}", r.html);
        assert!(r.html.contains("<p class=\"markdown-alert-title\">Cảnh báo</p>"));
        assert!(r.html.contains("Không chuyển tiền."));
    }

    #[test]
    fn summary_from_more_marker_else_first_paragraph() {
        let (r, _) = render_simple("Đoạn *một*\ndòng hai.\n\nĐoạn hai.\n\n<!-- more -->\n\nPhần sau.");
        assert_eq!(r.summary, "Đoạn một dòng hai. Đoạn hai.");
        let (r, _) = render_simple("## Tiêu đề\n\nĐoạn **đầu**.\n\nĐoạn hai.");
        assert_eq!(r.summary, "Đoạn đầu.");
    }

    #[test]
    fn gfm_extensions_and_smart_punctuation() {
        let (r, _) =
            render_simple("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] xong\n\n~~cũ~~ \"trích\"[^1]\n\n[^1]: chú thích\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("<del>cũ</del>"));
        assert!(r.html.contains("“trích”"));
        assert!(r.html.contains("footnote-definition"));
        assert_eq!(r.words, 9, "a b 1 2 xong cũ “trích” chú thích");
    }

    #[test]
    fn the_image_hook_replaces_images_and_sees_alt_title_and_offset() {
        let seen = std::cell::RefCell::new(Vec::new());
        let hook = |image: &Image| {
            seen.borrow_mut().push((
                image.offset,
                image.dest.to_string(),
                image.alt.to_string(),
                image.title.to_string(),
            ));
            (image.dest != "giu.png").then(|| format!("<img data-hook=\"{}\">", image.dest))
        };
        let targets = HashMap::new();
        let links = Links { dir: "articles", targets: &targets, base_path: "/sub", images: &hook };
        let (r, _) = render("Ảnh ![Tin *giả*](a.jpg \"T\") và ![Giữ](giu.png) ![x](/y.png)", &links);
        assert!(r.html.contains("<img data-hook=\"a.jpg\">"), "{}", r.html);
        assert!(r.html.contains("<img src=\"giu.png\" alt=\"Giữ\" />"), "left to pulldown-cmark: {}", r.html);
        assert!(r.html.contains("<img data-hook=\"/y.png\">"), "the hook gets the path as written: {}", r.html);
        assert_eq!(seen.borrow()[0], ("Ảnh ".len(), "a.jpg".into(), "Tin giả".into(), "T".into()));
        assert_eq!(r.summary, "Ảnh Tin giả và Giữ x", "alt text still counts as text");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("articles/../pages/a.md").as_deref(), Some("pages/a.md"));
        assert_eq!(normalize("../a.md"), None);
    }
}
