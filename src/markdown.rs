//! Markdown to HTML with pulldown-cmark: GitHub-flavoured extensions, heading ids and a table of
//! contents, GitHub alerts with Vietnamese titles, internal links to `.md` files rewritten to
//! pretty URLs, safe external links, images shown through a caller's hook (re-encoded pictures
//! with `srcset`), and a plain-text summary.
//!
//! One pass (issue 10): [`render`] reads a body once and returns everything later steps need:
//! the HTML, the text a reader sees (the search index), the word count, the summary, the table
//! of contents, the ids of the page (`check`'s anchors), and the links and images as written
//! (`check`'s image and anchor checks). Nobody parses a body again or strips tags from HTML.
//!
//! Safe by default (issue 9): raw HTML is left out unless the site opts in ([`Policy`]),
//! and then it goes through [`sanitize::clean_html`]; link and image URLs with a scheme other
//! than http(s), mailto, tel and sms are problems and never emitted; `[[address]]` quotes a
//! scam's address defanged, never linked; heading attributes other than `{#id}` and `{.class}`
//! are refused.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use crate::messages::{Message, UrlPlace};
use crate::{sanitize, text, urls};

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
    /// Number of words of body text (image descriptions count: reading time, leaflet fit).
    pub words: usize,
    /// The text a reader sees, as the HTML shows it: every tag is a space, image descriptions
    /// are not text, alert titles and footnote numbers are (the search index and its excerpts;
    /// a model article keeps only what the index reads of it, `SiteArticle::search`).
    pub text: String,
    /// The element ids a link's `#fragment` can point to, in page order: headings and footnotes
    /// (and, when a site allows raw HTML, the ids it kept).
    pub ids: Vec<String>,
    /// Every link as written, in order (images' descriptions included).
    pub links: Vec<Written>,
    /// Every image as written, in order (not the images inside another image's description).
    pub images: Vec<WrittenImage>,
    /// What `check` warns about without stopping the build: raw HTML left out, live links
    /// to a known scam domain.
    pub notices: Vec<Problem>,
}

/// What a site allows in its Markdown (from site.yaml).
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `markdown: { raw_html: true }`: raw HTML is kept, through the sanitiser.
    pub raw_html: bool,
    /// `scam_domains`: live links to these domains (or their subdomains) are warned about.
    pub scam_domains: Vec<String>,
    /// Domains linked when named in text (issue 11, [`crate::autolink`]).
    pub official_sites: Vec<String>,
}

/// The class of a defanged scam address (styled by the theme).
pub const SCAM_ADDRESS_CLASS: &str = "scam-address";
/// Its tooltip, for readers.
const SCAM_ADDRESS_TITLE: &str = "Địa chỉ lừa đảo: không truy cập";

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
    pub policy: &'a Policy,
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

/// A link of a body as written: where it starts and its destination.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Byte offset of the `[` in the body.
    pub offset: usize,
    pub dest: String,
}

/// An image of a body as written: where it starts, its destination and its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenImage {
    /// Byte offset of the `![` in the body.
    pub offset: usize,
    pub dest: String,
    /// The description between the brackets, as plain text.
    pub alt: String,
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
    /// Its URL has a forbidden scheme: it is not shown at all.
    refused: bool,
}

/// How the link being read ends.
enum OpenLink {
    /// pulldown-cmark's own `</a>`.
    Plain,
    /// The `</a>` of an external anchor written here.
    External,
    /// No anchor was written (its URL was refused): only the text remains.
    Refused,
    /// A `[[scam address]]`: its text events are replaced by the defanged address.
    Defanged,
}

/// Something found in a body, at a byte offset: a problem ([`render`] returns them: a link that
/// cannot be resolved, a repeated id) or a notice ([`Rendered::notices`]), with its help line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: Message,
    pub help: Option<Message>,
}

impl Problem {
    fn new(offset: usize, message: Message) -> Problem {
        Problem { offset, message, help: None }
    }
}

/// The pulldown-cmark options of every reading of a body (`check` reads links and images too).
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
        | Options::ENABLE_WIKILINKS
}

/// Renders `body`; link problems are returned beside a complete rendering.
///
/// The body is read once into a list of events, then passes run over it in order (add one
/// here: a function over the events, as [`assign_heading_ids`]): heading ids, then
/// [`rewrite`] (links, images, raw HTML, alerts, summary), whose [`Out`] collects the events
/// for the HTML writer together with the text and ids they show.
pub fn render(body: &str, links: &Links) -> (Rendered, Vec<Problem>) {
    let mut events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, options()).into_offset_iter().collect();
    let mut found = Found::default();
    let toc = assign_heading_ids(&mut events, &mut found.problems);
    let rewritten = rewrite(events, links, &mut found, body.len());
    let Out { events, mut text, mut ids, .. } = rewritten.out;
    // Phone numbers and official sites become links (issue 11); the text stays as written.
    let events = crate::autolink::pass(events, &links.policy.official_sites);
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if rewritten.needs_cleaning {
        // Raw HTML the site allowed is not ours: what it shows is read from the sanitised HTML.
        html = sanitize::clean_html(&html);
        text = html_text(&html);
        ids = html_ids(&html).into_iter().map(str::to_string).collect();
    }
    let Found { problems, notices, links: written_links, images } = found;
    // The model keeps every body for the whole build (issue 10): no room grown for more.
    html.shrink_to_fit();
    text.shrink_to_fit();
    let rendered = Rendered {
        html,
        toc,
        summary: rewritten.summary,
        words: rewritten.words,
        text,
        ids,
        links: written_links,
        images,
        notices,
    };
    (rendered, problems)
}

/// What the passes find besides the events: problems, notices, links and images as written.
#[derive(Default)]
struct Found {
    problems: Vec<Problem>,
    notices: Vec<Problem>,
    links: Vec<Written>,
    images: Vec<WrittenImage>,
}

/// What [`rewrite`] returns.
struct Rewritten<'a> {
    out: Out<'a>,
    summary: String,
    words: usize,
    /// Raw HTML was kept (the site opted in): the whole body goes through the sanitiser.
    needs_cleaning: bool,
}

/// The events given to the HTML writer, and what they show as they are pushed: the text a
/// reader sees (as pulldown-cmark writes them: every tag is a space, the description of an
/// image is an attribute, footnotes are numbered in order of first use) and the ids.
#[derive(Default)]
struct Out<'a> {
    events: Vec<Event<'a>>,
    text: String,
    ids: Vec<String>,
    /// Images open (their events are the description, written into an attribute).
    in_image: usize,
    footnotes: HashMap<String, usize>,
}

impl<'a> Out<'a> {
    fn push(&mut self, event: Event<'a>) {
        match &event {
            Event::Start(Tag::Image { .. }) => {
                self.text.push(' ');
                self.in_image += 1;
            }
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            Event::FootnoteReference(name) => {
                let number = self.footnote(name);
                if self.in_image == 0 {
                    self.text.push_str(&format!(" {number} "));
                }
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let number = self.footnote(name);
                self.ids.push(name.to_string());
                self.text.push_str(&format!(" {number} "));
            }
            _ if self.in_image > 0 => {}
            Event::Start(Tag::Heading { id: Some(id), .. }) => {
                self.ids.push(id.to_string());
                self.text.push(' ');
            }
            Event::Text(t) => self.text.push_str(t),
            Event::Code(t) => {
                self.text.push(' ');
                self.text.push_str(t);
                self.text.push(' ');
            }
            _ => self.text.push(' '),
        }
        self.events.push(event);
    }

    /// Pushes HTML written here; `shown` is the text it shows.
    fn push_html(&mut self, event: Event<'a>, shown: &str) {
        self.text.push(' ');
        self.text.push_str(shown);
        self.text.push(' ');
        self.events.push(event);
    }

    /// The number pulldown-cmark's writer gives a footnote: in order of first use.
    fn footnote(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_string()).or_insert(next)
    }
}

/// The main pass: links resolved and checked, images through the hook, raw HTML left out (or
/// kept for the sanitiser), alerts, scam addresses defanged; reads the summary and counts words.
fn rewrite<'a>(
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    links: &Links,
    found: &mut Found,
    body_len: usize,
) -> Rewritten<'a> {
    let mut summary = None;
    let mut plain = String::with_capacity(body_len);
    let mut first_paragraph: Option<String> = None;
    let mut in_first_paragraph = false;
    let mut open_link: Option<OpenLink> = None;
    let mut image: Option<OpenImage> = None;
    // An HTML block being read: its offset and text.
    let mut html_block: Option<(usize, String)> = None;
    let mut needs_cleaning = false;
    let mut script_text = ScriptText::default();
    let mut out = Out { events: Vec::with_capacity(events.len()), ..Out::default() };
    let (problems, notices) = (&mut found.problems, &mut found.notices);
    for (event, range) in events {
        if let Event::Start(Tag::Link { dest_url, .. }) = &event {
            found.links.push(Written { offset: range.start, dest: dest_url.to_string() });
        }
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
                    found.images.push(WrittenImage {
                        offset: open.offset,
                        dest: open.dest.to_string(),
                        alt: open.alt.clone(),
                    });
                    if open.refused {
                        continue;
                    }
                    let seen = Image { offset: open.offset, dest: &open.dest, alt: &open.alt, title: &open.title };
                    match (links.images)(&seen) {
                        Some(html) => out.push(Event::InlineHtml(html.into())),
                        None => {
                            let dest = with_base_path(&open.dest, links.base_path).unwrap_or(open.dest);
                            let (link_type, title, id) = (open.link_type, open.title, open.id);
                            out.push(Event::Start(Tag::Image { link_type, dest_url: dest, title, id }));
                            for event in open.events {
                                out.push(event);
                            }
                            out.push(Event::End(TagEnd::Image));
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
                Event::SoftBreak | Event::HardBreak => {
                    plain.push(' ');
                    if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                        p.push(' ');
                    }
                    open.events.push(event);
                }
                // Raw HTML in alt text is never HTML: pulldown-cmark writes alt text as text.
                other => open.events.push(other),
            }
            continue;
        }
        if matches!(open_link, Some(OpenLink::Defanged)) {
            if let Event::End(TagEnd::Link) = event {
                open_link = None;
            }
            continue;
        }
        if script_text.skips(&event) {
            continue;
        }
        if let Some((_, text)) = html_block.as_mut() {
            match event {
                Event::Html(h) => text.push_str(&h),
                Event::End(TagEnd::HtmlBlock) => {
                    let (offset, text) = html_block.take().expect("an open HTML block");
                    if summary.is_none() && text.trim() == MORE {
                        summary = Some(plain.clone());
                    } else if links.policy.raw_html {
                        needs_cleaning = true;
                        out.push(Event::Html(text.into()));
                    } else {
                        // Left out, like Hugo's default; comments silently.
                        let left_out = without_comments(&text);
                        if !left_out.trim().is_empty() {
                            notices.push(raw_html_notice(offset, &left_out));
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Paragraph) if first_paragraph.is_none() => {
                in_first_paragraph = true;
                first_paragraph = Some(String::new());
                out.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                plain.push(' ');
                in_first_paragraph = false;
                out.push(Event::End(TagEnd::Paragraph));
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                plain.push_str(t);
                if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                    p.push_str(t);
                }
                out.push(event);
            }
            Event::SoftBreak | Event::HardBreak => {
                plain.push(' ');
                if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                    p.push(' ');
                }
                out.push(event);
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some((range.start, String::new())),
            // pulldown-cmark puts block HTML inside an HtmlBlock; a stray `Html` is raw all the same.
            Event::InlineHtml(h) | Event::Html(h) => {
                if summary.is_none() && h.trim() == MORE {
                    summary = Some(plain.clone());
                } else if links.policy.raw_html {
                    needs_cleaning = true;
                    out.push(Event::InlineHtml(h));
                } else if !h.trim_start().starts_with("<!--") {
                    notices.push(raw_html_notice(range.start, &h));
                }
            }
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, dest_url, .. }) => {
                let defanged = sanitize::defang(&dest_url);
                plain.push_str(&defanged);
                if in_first_paragraph && let Some(p) = first_paragraph.as_mut() {
                    p.push_str(&defanged);
                }
                out.push_html(Event::InlineHtml(scam_address(&defanged).into()), &defanged);
                open_link = Some(OpenLink::Defanged);
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let seen = sanitize::BrowserUrl::new(&dest_url);
                if let Err(message) = seen.check(UrlPlace::Link) {
                    problems.push(Problem::new(range.start, message));
                    open_link = Some(OpenLink::Refused);
                    continue;
                }
                if let Some(notice) = scam_link_notice(range.start, &seen, &dest_url, &links.policy.scam_domains) {
                    notices.push(notice);
                }
                let dest = resolve_link(&dest_url, links).unwrap_or_else(|message| {
                    problems.push(Problem::new(range.start, message));
                    dest_url.to_string()
                });
                if link_type != LinkType::Email && is_external(&seen, &dest) {
                    open_link = Some(OpenLink::External);
                    out.push(Event::InlineHtml(external_anchor(&dest, &title).into()));
                } else {
                    open_link = Some(OpenLink::Plain);
                    out.push(Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id }));
                }
            }
            Event::End(TagEnd::Link) => match open_link.take() {
                Some(OpenLink::External) => out.push(Event::InlineHtml("</a>".into())),
                Some(OpenLink::Refused) => {}
                _ => out.push(Event::End(TagEnd::Link)),
            },
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, label) = alert(kind);
                out.push_html(
                    Event::Html(
                        format!("<blockquote class=\"markdown-alert markdown-alert-{class}\">\n<p class=\"markdown-alert-title\">{label}</p>\n").into(),
                    ),
                    label,
                );
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => out.push(Event::Html("</blockquote>\n".into())),
            Event::End(end) => {
                if is_block(end) {
                    plain.push(' ');
                }
                out.push(Event::End(end));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let offset = range.start;
                let refused = match sanitize::check_url(&dest_url, UrlPlace::Image) {
                    Ok(()) => false,
                    Err(message) => {
                        problems.push(Problem::new(offset, message));
                        true
                    }
                };
                image = Some(OpenImage {
                    offset,
                    link_type,
                    dest: dest_url,
                    title,
                    id,
                    alt: String::new(),
                    depth: 0,
                    events: Vec::new(),
                    refused,
                });
            }
            other => out.push(other),
        }
    }
    let summary = summary.or(first_paragraph).map(|s| crate::text::one_line(&s)).unwrap_or_default();
    Rewritten { out, summary, words: plain.split_whitespace().count(), needs_cleaning }
}

/// Plain text of HTML: tags become spaces, entities are decoded. Only for HTML that is not
/// written here (raw HTML a site allows, after the sanitiser); [`Out`] knows the text of the rest.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            let end =
                if rest.starts_with("<!--") { rest.find("-->").map(|e| e + 3) } else { rest.find('>').map(|e| e + 1) };
            out.push(' ');
            rest = &rest[end.unwrap_or(rest.len())..];
        } else {
            let end = rest.find(';').filter(|&e| e <= 10);
            let decoded = end.and_then(|e| entity(&rest[1..e]));
            match (end, decoded) {
                (Some(e), Some(c)) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// The values of the `id="…"` attributes of HTML (as [`html_text`], only for raw HTML).
fn html_ids(html: &str) -> Vec<&str> {
    html.split(" id=\"").skip(1).filter_map(|rest| rest.split('"').next()).collect()
}

/// `html` without its comments (`<!-- … -->`; an unclosed one runs to the end).
fn without_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        rest = match rest[start + 4..].find("-->") {
            Some(end) => &rest[start + 4 + end + 3..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

fn raw_html_notice(offset: usize, html: &str) -> Problem {
    let first = html.trim().lines().next().unwrap_or_default();
    Problem { offset, message: Message::RawHtml { html: first.to_string() }, help: Some(Message::RawHtmlHelp) }
}

/// A notice when `dest` (`seen` as a browser reads it) leads live to one of the site's scam
/// domains. Most sites list none: then no host is read at all.
fn scam_link_notice(
    offset: usize,
    seen: &sanitize::BrowserUrl,
    dest: &str,
    scam_domains: &[String],
) -> Option<Problem> {
    if scam_domains.is_empty() {
        return None;
    }
    let host = seen.host()?;
    let domain = scam_domains.iter().find(|d| sanitize::in_domain(&host, d))?;
    let message = Message::ScamLink { url: dest.to_string(), domain: domain.clone() };
    Some(Problem { offset, message, help: Some(Message::ScamLinkHelp { url: dest.to_string() }) })
}

/// A scam's address, defanged, never a link.
fn scam_address(defanged: &str) -> String {
    let mut html = format!("<span class=\"{SCAM_ADDRESS_CLASS}\" title=\"{SCAM_ADDRESS_TITLE}\">");
    let _ = escape_html(&mut html, defanged);
    html.push_str("</span>");
    html
}

/// Gives every heading an id: an explicit `{#id}` wins, others get a slug of their text,
/// numbered (`-1`, `-2`) when taken. Returns the table of contents.
fn assign_heading_ids(events: &mut [(Event, std::ops::Range<usize>)], problems: &mut Vec<Problem>) -> Vec<TocEntry> {
    let mut used: HashSet<String> = HashSet::new();
    for (event, range) in events.iter() {
        if let Event::Start(Tag::Heading { id: Some(id), .. }) = event
            && !used.insert(id.to_string())
        {
            problems.push(Problem::new(range.start, Message::HeadingIdTwice { id: id.to_string() }));
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
            let offset = events[i].1.start;
            if let Event::Start(Tag::Heading { id: slot, attrs, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
                // `{onclick=…}` would become an event handler: only {#id} and {.class} pass.
                for (name, _) in attrs.drain(..) {
                    problems.push(Problem::new(offset, Message::HeadingAttribute { name: name.to_string() }));
                }
            }
            if TOC_LEVELS.contains(&level) {
                toc.push(TocEntry { level, id, title: crate::text::one_line(&title) });
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
    let Some(target) = MarkdownTarget::of(dest, links.dir) else {
        if urls::points_elsewhere(dest) {
            return Ok(dest.to_string());
        }
        return Ok(with_base_path(dest, links.base_path).map_or_else(|| dest.to_string(), |d| d.to_string()));
    };
    match target.rel.as_ref().and_then(|r| links.targets.get(r)) {
        Some(url) => Ok(format!("{url}{}", target.fragment)),
        None => Err(Message::BrokenLink {
            link: dest.to_string(),
            target: format!("content/{}", target.rel.unwrap_or(target.decoded)),
        }),
    }
}

/// The Markdown file a link names: what [`resolve_link`] looks its URL up by.
pub struct MarkdownTarget<'a> {
    /// Its content path (`articles/x.md`), the key of [`Links::targets`]; `None` when the link
    /// climbs out of the content folder.
    pub rel: Option<String>,
    /// The path as written, percent-decoded.
    decoded: String,
    /// `#…` after the path, or empty.
    fragment: &'a str,
}

impl<'a> MarkdownTarget<'a> {
    /// The Markdown file link destination `dest`, written in a file of content folder `dir`,
    /// names; `None` for a link to anything else (another site, a file that is not Markdown).
    pub fn of(dest: &'a str, dir: &str) -> Option<MarkdownTarget<'a>> {
        if urls::points_elsewhere(dest) {
            return None;
        }
        let (path, fragment) = match dest.find('#') {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        if !path.ends_with(".md") {
            return None;
        }
        let decoded = urls::percent_decode(path);
        Some(MarkdownTarget { rel: content_path(&decoded, dir), decoded, fragment })
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
    !crate::autolink::is_inline_end(end)
}

/// Whether a link leaves for another site (`seen` is its URL as a browser reads it: `HTTPS://`
/// is as external as `https://`).
fn is_external(seen: &sanitize::BrowserUrl, dest: &str) -> bool {
    dest.starts_with("//") || matches!(seen.scheme().as_deref(), Some("http" | "https"))
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

/// The text between an inline `<script>` (or `<style>`) and its end tag: CommonMark makes only
/// the tags raw HTML, so the code between them would be shown (and summarised, and indexed) as
/// text. It is skipped up to the end tag or the end of the block.
#[derive(Default)]
struct ScriptText {
    until: Option<&'static str>,
}

impl ScriptText {
    /// Whether `event` is script text to skip (the tags themselves are not: they are raw HTML).
    fn skips(&mut self, event: &Event) -> bool {
        match (self.until, event) {
            (None, Event::InlineHtml(h)) => {
                let lower = h.trim_start().to_ascii_lowercase();
                for (open, close) in [("<script", "</script"), ("<style", "</style")] {
                    if lower.starts_with(open) && !lower.contains(close) {
                        self.until = Some(close);
                    }
                }
                false
            }
            (Some(close), Event::InlineHtml(h)) => {
                if h.trim_start().to_ascii_lowercase().starts_with(close) {
                    self.until = None;
                }
                false
            }
            (Some(_), Event::Text(_) | Event::Code(_) | Event::SoftBreak | Event::HardBreak) => true,
            (Some(_), Event::End(end)) if is_block(*end) => {
                self.until = None;
                false
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::Strategy;

    fn render_simple(body: &str) -> (Rendered, Vec<Problem>) {
        render_with(body, &Policy::default())
    }

    fn render_with(body: &str, policy: &Policy) -> (Rendered, Vec<Problem>) {
        let mut targets = HashMap::new();
        targets.insert("articles/b.md".to_string(), "/canh-bao/b/".to_string());
        targets.insert("pages/duong-day-nong.md".to_string(), "/duong-day-nong/".to_string());
        render(body, &Links { dir: "articles", targets: &targets, base_path: "", images: &plain_images, policy })
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
        // Issue 9: the scheme is read in any case, as the allow-list reads it.
        let (r, _) = render_simple("[a](HTTPS://chongluadao.vn/)");
        assert!(r.html.contains("rel=\"noopener noreferrer\" target=\"_blank\">a</a>"), "{}", r.html);
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
        // Issue 9: the text before the marker is taken from the one reading of the whole body,
        // so a reference defined after the marker is a link there too.
        let (r, _) = render_simple("Xem [hướng dẫn][hd].\n\n<!-- more -->\n\n[hd]: https://a.vn\n");
        assert_eq!(r.summary, "Xem hướng dẫn.");
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
        let policy = Policy::default();
        let links = Links { dir: "articles", targets: &targets, base_path: "/sub", images: &hook, policy: &policy };
        let (r, _) = render("Ảnh ![Tin *giả*](a.jpg \"T\") và ![Giữ](giu.png) ![x](/y.png)", &links);
        assert!(r.html.contains("<img data-hook=\"a.jpg\">"), "{}", r.html);
        assert!(r.html.contains("<img src=\"giu.png\" alt=\"Giữ\" />"), "left to pulldown-cmark: {}", r.html);
        assert!(r.html.contains("<img data-hook=\"/y.png\">"), "the hook gets the path as written: {}", r.html);
        assert_eq!(seen.borrow()[0], ("Ảnh ".len(), "a.jpg".into(), "Tin giả".into(), "T".into()));
        assert_eq!(r.summary, "Ảnh Tin giả và Giữ x", "alt text still counts as text");
    }

    #[test]
    fn raw_html_is_left_out_with_a_notice_and_the_more_marker_still_works_issue_9() {
        let (r, _) = render_simple("Tin <script>alert(\"x\")\n</script> nhắn <style>p{x:1}</style>.\n\n<!-- more -->");
        assert_eq!((r.html.as_str(), r.summary.as_str()), ("<p>Tin  nhắn .</p>\n", "Tin nhắn ."), "no script text");
        let body = "Tin <b onclick=\"x()\">đậm</b> nhắn.\n\n<!-- more -->\n\n<script>alert(1)</script>\n\n<!--\nghi chú\n-->\n\nCuối.";
        let (r, problems) = render_simple(body);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(r.html, "<p>Tin đậm nhắn.</p>\n<p>Cuối.</p>\n");
        assert_eq!(r.summary, "Tin đậm nhắn.");
        let texts: Vec<String> = r.notices.iter().map(|n| n.message.to_string()).collect();
        let notices: Vec<(usize, &str)> = r.notices.iter().zip(&texts).map(|(n, t)| (n.offset, t.as_str())).collect();
        assert_eq!(
            notices,
            [
                (4, "raw HTML `<b onclick=\"x()\">` is left out of the page"),
                (27, "raw HTML `</b>` is left out of the page"),
                (body.find("<script>").unwrap(), "raw HTML `<script>alert(1)</script>` is left out of the page"),
            ]
        );
    }

    #[test]
    fn raw_html_opted_in_is_sanitised_issue_9() {
        let policy = Policy { raw_html: true, ..Policy::default() };
        let body = "> [!NOTE]\n> <b>đậm</b> <img src=x onerror=alert(1)> [a](https://a.vn)\n\n<iframe src=\"https://e.example\"></iframe>\n\n## Mục {#muc}\n";
        let (r, _) = render_with(body, &policy);
        assert!(r.html.contains("<b>đậm</b>"), "{}", r.html);
        assert!(r.html.contains("<img src=\"x\">"), "{}", r.html);
        assert!(!r.html.contains("onerror") && !r.html.contains("iframe"), "{}", r.html);
        assert!(r.html.contains("<p class=\"markdown-alert-title\">Lưu ý</p>"), "{}", r.html);
        assert!(r.html.contains("target=\"_blank\""), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"muc\">"), "{}", r.html);
        assert!(r.notices.is_empty());
        let (plain, _) = render_with("Không có HTML [a](https://a.vn).", &policy);
        assert_eq!(plain.html, render_simple("Không có HTML [a](https://a.vn).").0.html, "no sanitiser without HTML");
    }

    #[test]
    fn dangerous_urls_are_problems_and_never_emitted_issue_9() {
        let body =
            "[a](javascript:alert(1)) ![b](data:image/png;base64,AA) <vbscript:x> [c][r]\n\n[r]: &#106;avascript:1\n";
        let (r, problems) = render_simple(body);
        let texts: Vec<String> = problems.iter().map(|p| p.message.to_string()).collect();
        let found: Vec<(usize, &str)> = problems.iter().zip(&texts).map(|(p, t)| (p.offset, t.as_str())).collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, 0);
        assert!(found[0].1.starts_with("link `javascript:alert(1)` uses the `javascript:` scheme"), "{}", found[0].1);
        assert!(found[1].1.starts_with("image `data:image/png;base64,AA` uses the `data:` scheme"), "{}", found[1].1);
        assert!(found[2].1.contains("`vbscript:` scheme"), "{}", found[2].1);
        assert_eq!(found[3].0, body.find("[c]").unwrap());
        assert_eq!(r.html, "<p>a  vbscript:x c</p>\n", "the text stays, the URLs go");
    }

    #[test]
    fn heading_attributes_other_than_id_and_class_are_refused_issue_9() {
        let (r, problems) = render_simple("## Mục {#muc .lon onclick=alert(1) data-x=1}\n");
        assert_eq!(r.html, "<h2 id=\"muc\" class=\"lon\">Mục</h2>\n");
        let messages: Vec<String> = problems.iter().map(|p| p.message.to_string()).collect();
        assert_eq!(
            messages,
            [
                "heading attribute `onclick` is not allowed: only {#id} and {.class}",
                "heading attribute `data-x` is not allowed: only {#id} and {.class}"
            ]
        );
    }

    #[test]
    fn scam_addresses_are_defanged_and_live_links_to_scam_domains_noticed_issue_9() {
        let policy = Policy { scam_domains: vec!["fake-bank.example".into()], ..Policy::default() };
        let body = "Trang [[http://fake-bank.example/login]] giả; [đây](https://www.fake-bank.example/x) và <http://fake-bank.example.vn>.";
        let (r, problems) = render_with(body, &policy);
        assert!(problems.is_empty());
        assert!(
            r.html.contains("<span class=\"scam-address\" title=\"Địa chỉ lừa đảo: không truy cập\">hxxp://fake-bank[.]example/login</span>"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("href=\"http://fake-bank.example/login"), "{}", r.html);
        assert_eq!(r.summary, "Trang hxxp://fake-bank[.]example/login giả; đây và http://fake-bank.example.vn.");
        assert_eq!(r.notices.len(), 1, "{:?}", r.notices);
        assert_eq!(r.notices[0].offset, body.find("[đây]").unwrap());
        assert_eq!(
            r.notices[0].help.as_ref().map(Message::to_string).as_deref(),
            Some(
                "quote a scam's address without linking it: write [[https://www.fake-bank.example/x]], shown as hxxps://www[.]fake-bank[.]example/x"
            )
        );
        let (r, _) = render_simple("Đầu [[fake.example]].\n\n<!-- more -->\n\nSau.");
        assert_eq!(r.summary, "Đầu fake[.]example.", "the summary before the marker is defanged too");
    }

    fn collapsed(s: &str) -> String {
        s.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn one_pass_returns_the_text_ids_links_and_images_issue_10() {
        let body = "Gọi **công an**[^a] ngay.\n\n## Dấu hiệu\n\n## Khác {#khac}\n\n> [!TIP]\n> Xem [mục](#khac) và [bài](b.md#x).\n\n![Ảnh [có link](c.md)](a.png) ![](/b.png \"T\")\n\n[^a]: Ghi chú `113`.\n";
        let (r, problems) = render_simple(body);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(collapsed(&r.text), "Gọi công an 1 ngay. Dấu hiệu Khác Mẹo Xem mục và bài . 1 Ghi chú 113 .");
        assert_eq!(r.ids, ["dau-hieu", "khac", "a"], "headings and footnotes, in page order");
        let links: Vec<(usize, &str)> = r.links.iter().map(|l| (l.offset, l.dest.as_str())).collect();
        assert_eq!(
            links,
            [
                (body.find("[mục]").unwrap(), "#khac"),
                (body.find("[bài]").unwrap(), "b.md#x"),
                (body.find("[có link]").unwrap(), "c.md"),
            ],
            "as written, the link inside an image's description too"
        );
        assert_eq!(
            r.images,
            [
                WrittenImage {
                    offset: body.find("![Ảnh").unwrap(), dest: "a.png".into(), alt: "Ảnh có link".into()
                },
                WrittenImage { offset: body.find("![](/b").unwrap(), dest: "/b.png".into(), alt: String::new() },
            ]
        );
        assert_eq!(r.words, 17, "image descriptions count as words (reading time)");
    }

    #[test]
    fn the_text_is_what_the_html_shows_issue_10() {
        // The search index read the text from the HTML before issue 10: the one pass must give
        // the same words and the same excerpts (whitespace aside).
        let bodies = [
            "Chuyển**tiền** & \"OTP\" 1 < 2 > 0 `mã <b>`.\n\n<!-- more -->\n\nSau.",
            "> [!CAUTION]\n> Trang [[http://fake.example/a?b=1&c=2]] giả.\n",
            "- [x] Xong\n- [ ] Chưa\n\n| a | b |\n|---|---|\n| *1* | ~~2~~ |\n\n***\n\nDòng một  \ndòng hai\ndòng ba",
            "Ảnh ![mô tả *đậm*[^1]](a.png) cuối.[^2] Lại[^1].\n\n[^1]: Một.\n[^2]: Hai.\n",
            "```\nfn main() {}\n<script>\n```\n\n    thụt lề\n\n<div>Bỏ</div>\n\nTin <span>nhắn</span> <script>x()</script>.",
            "[ngoài](https://a.vn \"Tiêu đề\") [thư](mailto:a@b.vn) [xấu](javascript:x) <https://b.vn>",
            "# Một\n\n### Ba {.lop}\n\n1. một\n2. hai &amp; &copy; &#35;",
        ];
        for body in bodies {
            let (r, _) = render_simple(body);
            assert_eq!(collapsed(&r.text), collapsed(&html_text(&r.html)), "{body:?}\n{}", r.html);
            assert_eq!(r.ids, html_ids(&r.html), "{body:?}");
        }
    }

    proptest::proptest! {
        /// The text and ids of the one pass are what the HTML shows, whatever the Markdown
        /// (issue 10: the search index and `check` read them instead of the HTML).
        #[test]
        fn the_text_and_ids_are_what_any_html_shows_issue_10(pieces in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::sample::select(vec![
                    "## Dấu hiệu {#dau-hieu}\n", "# ", "\n", "\n\n", "- ", "1. ", "> ", "> [!TIP]\n", "```\n",
                    "    ", "|a|b|\n|-|-|\n", "[x](b.md#x)", "[y](#muc)", "![](a.png)", "![a *b*](c.png \"t\")",
                    "![a ![b](c.png)](d.png)", "[^1]", "[^a]", "[^1]: chú thích\n", "[^a]: x\n", "**", "*", "~~", "`",
                    "\\", "[", "]", "(", ")", "&amp;", "&", "&lt;", "&#35;", "\"", "<!-- more -->", "[[http://a.example/x?y=1&z]]",
                    "[r]: https://a.vn\n", "[r]", "- [x] ", "---\n", "***\n", "Lừa đảo ", "đ", "<", ">", "<b>", "</b>",
                    "<div>\n", "<script>x()</script>", "<https://a.vn>", "[j](javascript:x)", "  \n",
                ])
                .prop_map(String::from),
                "[a-zạ ]{0,8}",
            ],
            0..30,
        )) {
            let body = pieces.concat();
            let (r, _) = render_simple(&body);
            proptest::prop_assert_eq!(collapsed(&r.text), collapsed(&html_text(&r.html)), "{:?}\n{}", body, r.html);
            proptest::prop_assert_eq!(r.ids.iter().map(|id| id.as_str()).collect::<Vec<_>>(), html_ids(&r.html), "{:?}", body);
        }
    }

    #[test]
    fn raw_html_allowed_gives_its_text_and_ids_from_the_sanitised_html_issue_10() {
        let policy = Policy { raw_html: true, scam_domains: Vec::new(), official_sites: Vec::new() };
        let (r, _) = render_with("## Mục\n\n<p id=\"tu-viet\">Chữ <b>đậm</b><script>x()</script></p>\n", &policy);
        assert_eq!(r.ids, ["muc", "tu-viet"]);
        assert_eq!(collapsed(&r.text), "Mục Chữ đậm");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize("articles/../pages/a.md").as_deref(), Some("pages/a.md"));
        assert_eq!(normalize("../a.md"), None);
    }
}
