//! What a reader on a phone needs from a body without the editor writing it (issue 11): phone
//! numbers become `tel:` links (one tap to call), official sites named in the text become links
//! (`dichvucong.gov.vn`, `https://canhbao.ncsc.gov.vn`), and every table body cell carries its
//! column's header as `data-label`, so the theme can show each row as a card on a narrow screen.
//!
//! One pass over the pulldown-cmark events the Markdown renderer is about to write
//! ([`pass`]). Text inside links, images, code and raw HTML is left alone; so is a scam's
//! number quoted as `[[0912 345 678]]` (the renderer has already made it a defanged span).
//!
//! Which numbers are phone numbers (Vietnamese numbering):
//! - mobile and landline numbers: `0` and 9 or 10 digits (`0912 345 678`, `024.3825.1234`),
//!   or `+84` and the same without the `0`;
//! - service numbers `1800`/`1900` and 4 or 6 digits (`1800 1567`);
//! - the three-digit emergency and report numbers of [`SHORT_NUMBERS`], only where the text
//!   says they are to be called (`gọi 113`, `đầu số 156`) or where the number stands alone
//!   (a table cell `**113**`): `113 triệu` or `Điều 113` stay text.
//!
//! Digits may be grouped with spaces, dots or hyphens, the first group may be in brackets
//! (`(024) 3825 1234`); the link dials the digits as written.

use pulldown_cmark::{Alignment, CowStr, Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::text::is_alphanumeric;

/// Official sites linked when named in a body, with their subdomains (`www.gdt.gov.vn`).
/// `official_sites:` in site.yaml adds to them.
pub const OFFICIAL_SITES: &[&str] = &[
    "dichvucong.gov.vn",
    "ncsc.gov.vn",
    "chongluadao.vn",
    "tinnhiemmang.vn",
    "gdt.gov.vn",
    "bocongan.gov.vn",
    "sbv.gov.vn",
];

/// Three-digit numbers a citizen may call: 111 child protection, 112 rescue, 113 police,
/// 114 fire, 115 ambulance, 156 reports of scam calls and spam.
pub const SHORT_NUMBERS: &[&str] = &["111", "112", "113", "114", "115", "156"];

/// Words that, shortly before a short number, say it is a number to call.
const CALL_WORDS: &[&str] = &[
    "gọi",
    "số điện thoại",
    "đầu số",
    "tổng đài",
    "đường dây",
    "hotline",
    "khẩn cấp",
    "liên hệ",
    "nhắn tin",
    "quay số",
    "bấm số",
];

/// Words that, right before a short number, say it is a reference (`Điều 113`).
const REFERENCE_WORDS: &[&str] = &["điều", "khoản", "chương", "mục", "trang", "phòng", "nhà", "đường", "quốc lộ"];

/// Words that, right after a short number, say it counts something (`113 triệu`).
const UNIT_WORDS: &[&str] =
    &["triệu", "nghìn", "ngàn", "tỷ", "tỉ", "đồng", "người", "năm", "ngày", "tháng", "lần", "vụ", "%", "km"];

/// How far back (in characters of the same block) a call word counts.
const CALL_WORD_REACH: usize = 40;

/// Where a piece of text links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A `tel:` URL.
    Tel(String),
    /// An official site's `https:` URL.
    Web(String),
}

impl Target {
    fn anchor(&self) -> String {
        let mut html = String::from("<a href=\"");
        match self {
            Target::Tel(url) => {
                let _ = escape_href(&mut html, url);
                html.push_str("\">");
            }
            Target::Web(url) => {
                let _ = escape_href(&mut html, url);
                html.push_str("\" rel=\"noopener noreferrer\" target=\"_blank\">");
            }
        }
        html
    }
}

/// The events of a body with phone numbers and official sites linked and table cells
/// labelled. `official_sites` are lower-case domain names (their subdomains count too).
pub fn pass<'a>(events: Vec<Event<'a>>, official_sites: &[String]) -> Vec<Event<'a>> {
    let mut state = State { official_sites, ..State::default() };
    let mut out = Vec::with_capacity(events.len());
    let mut pending = String::new();
    for event in events {
        if let Event::Text(text) = &event
            && state.links_text()
        {
            pending.push_str(text);
            continue;
        }
        if !pending.is_empty() {
            state.link_text(&std::mem::take(&mut pending), &mut out);
        }
        state.see(event, &mut out);
    }
    if !pending.is_empty() {
        state.link_text(&pending, &mut out);
    }
    out
}

#[derive(Default)]
struct State<'s> {
    official_sites: &'s [String],
    /// Open links (Markdown links and raw or written `<a>` anchors) and images.
    in_link: usize,
    in_image: usize,
    in_code: bool,
    /// Text of the current block so far (for the call words before a short number).
    recent: String,
    table: Option<Table>,
}

/// The table being read.
#[derive(Default)]
struct Table {
    alignments: Vec<Alignment>,
    labels: Vec<String>,
    in_head: bool,
    /// Index of the current cell in its row.
    cell: usize,
}

impl State<'_> {
    /// Whether text here may get links.
    fn links_text(&self) -> bool {
        self.in_link == 0 && self.in_image == 0 && !self.in_code
    }

    fn see<'a>(&mut self, event: Event<'a>, out: &mut Vec<Event<'a>>) {
        match &event {
            Event::Start(Tag::Link { .. }) => self.in_link += 1,
            Event::End(TagEnd::Link) => self.in_link = self.in_link.saturating_sub(1),
            Event::Start(Tag::Image { .. }) => self.in_image += 1,
            Event::End(TagEnd::Image) => self.in_image = self.in_image.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::InlineHtml(html) | Event::Html(html) => {
                let lower = html.trim_start().to_ascii_lowercase();
                if lower.starts_with("</a>") {
                    self.in_link = self.in_link.saturating_sub(1);
                } else if lower.starts_with("<a ") || lower.starts_with("<a>") {
                    self.in_link += 1;
                }
            }
            Event::SoftBreak | Event::HardBreak => self.remember(" "),
            _ => {}
        }
        match event {
            Event::Start(Tag::Table(alignments)) => {
                self.table = Some(Table { alignments: alignments.clone(), ..Table::default() });
                self.recent.clear();
                out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Table) => {
                self.table = None;
                self.recent.clear();
                out.push(Event::End(TagEnd::Table));
            }
            Event::Start(Tag::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                    t.cell = 0;
                }
                out.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                }
                out.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                if let Some(t) = self.table.as_mut() {
                    t.cell = 0;
                }
                out.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                self.recent.clear();
                match self.table.as_mut() {
                    Some(t) if t.in_head => {
                        t.labels.push(String::new());
                        out.push(Event::Start(Tag::TableCell));
                    }
                    Some(t) => out.push(Event::InlineHtml(t.open_cell().into())),
                    None => out.push(Event::Start(Tag::TableCell)),
                }
            }
            Event::End(TagEnd::TableCell) => {
                self.recent.clear();
                match self.table.as_mut() {
                    Some(t) if !t.in_head => {
                        t.cell += 1;
                        out.push(Event::InlineHtml("</td>".into()));
                    }
                    _ => out.push(Event::End(TagEnd::TableCell)),
                }
            }
            Event::Code(code) => {
                self.label(&code);
                self.remember(&code);
                out.push(Event::Code(code));
            }
            Event::Text(text) => {
                // Text where no link may go (links, images, code blocks).
                self.label(&text);
                out.push(Event::Text(text));
            }
            Event::Start(tag) => {
                if !is_inline(&tag) {
                    self.recent.clear();
                }
                out.push(Event::Start(tag));
            }
            Event::End(end) => {
                if !is_inline_end(end) {
                    self.recent.clear();
                }
                out.push(Event::End(end));
            }
            other => out.push(other),
        }
    }

    /// Adds `text` to the label of the header cell being read, if any.
    fn label(&mut self, text: &str) {
        if let Some(t) = self.table.as_mut()
            && t.in_head
            && let Some(label) = t.labels.last_mut()
        {
            label.push_str(text);
        }
    }

    fn remember(&mut self, text: &str) {
        self.recent.push_str(text);
        let chars = self.recent.chars().count();
        if chars > 2 * CALL_WORD_REACH {
            let cut = self.recent.char_indices().nth(chars - CALL_WORD_REACH).map_or(0, |(i, _)| i);
            self.recent.drain(..cut);
        }
    }

    /// Text that may get links: written as text and anchors.
    fn link_text<'a>(&mut self, text: &str, out: &mut Vec<Event<'a>>) {
        self.label(text);
        let found = find_links(text, &self.recent, self.official_sites);
        let mut at = 0;
        for (range, target) in found {
            if range.start > at {
                out.push(Event::Text(CowStr::from(text[at..range.start].to_string())));
            }
            out.push(Event::InlineHtml(target.anchor().into()));
            out.push(Event::Text(CowStr::from(text[range.clone()].to_string())));
            out.push(Event::InlineHtml("</a>".into()));
            at = range.end;
        }
        if at < text.len() {
            out.push(Event::Text(CowStr::from(text[at..].to_string())));
        }
        self.remember(text);
    }
}

impl Table {
    /// The start tag of a body cell, with its column's label and alignment.
    fn open_cell(&self) -> String {
        let mut html = String::from("<td");
        let label = self.labels.get(self.cell).map(|l| l.trim()).unwrap_or_default();
        if !label.is_empty() {
            html.push_str(" data-label=\"");
            let _ = escape_html(&mut html, label);
            html.push('"');
        }
        match self.alignments.get(self.cell) {
            Some(Alignment::Left) => html.push_str(" style=\"text-align: left\""),
            Some(Alignment::Center) => html.push_str(" style=\"text-align: center\""),
            Some(Alignment::Right) => html.push_str(" style=\"text-align: right\""),
            _ => {}
        }
        html.push('>');
        html
    }
}

fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

/// Whether the end of this tag closes an inline element (emphasis, a link…), not a block.
pub(crate) fn is_inline_end(end: TagEnd) -> bool {
    matches!(
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

/// The phone numbers and official sites in `text` (byte ranges, in order), `before` being the
/// text of the same block before it.
pub fn find_links(text: &str, before: &str, official_sites: &[String]) -> Vec<(std::ops::Range<usize>, Target)> {
    let mut found = Vec::new();
    if !may_hold_a_link(text) {
        return found;
    }
    let mut i = 0;
    while i < text.len() {
        let prev = text[..i].chars().next_back();
        let rest = &text[i..];
        let c = rest.chars().next().expect("inside the text");
        if let Some((len, target)) = web_address(rest, prev, official_sites) {
            found.push((i..i + len, target));
            i += len;
            continue;
        }
        if (c.is_ascii_digit() || c == '+' || c == '(')
            && let Some(len) = number_token(rest, prev)
        {
            let context = format!("{before}{}", &text[..i]);
            if let Some(tel) = phone(&rest[..len], &context, &rest[len..]) {
                found.push((i..i + len, Target::Tel(tel)));
            }
            i += len.max(1);
            continue;
        }
        // Skip the rest of a word, so no match starts inside one.
        let word = if is_alphanumeric(c) {
            rest.find(|ch: char| !(is_alphanumeric(ch) || ch == '-' || ch == '.')).unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        i += word.max(c.len_utf8());
    }
    found
}

/// Whether `text` may hold a phone number (it has a digit) or a web address (a host has a dot
/// followed by another host character: `a.vn`). Most runs of text have neither, and scanning
/// their bytes once is much quicker than looking for a link at every word (issue 10: the
/// search was 8 % of `serve`'s start).
fn may_hold_a_link(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().any(u8::is_ascii_digit)
        || bytes.windows(2).any(|w| w[0] == b'.' && (w[1].is_ascii_alphanumeric() || w[1] == b'-'))
}

fn host_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '.'
}

/// An official site at the start of `rest` (`https://host/path` or `host/path`): its length and
/// URL.
fn web_address(rest: &str, prev: Option<char>, official_sites: &[String]) -> Option<(usize, Target)> {
    if prev.is_some_and(|p| is_alphanumeric(p) || matches!(p, '.' | '-' | '@' | '/' | ':' | '_')) {
        return None;
    }
    // Issue 10: this runs at every word of every body; no allocation until a host is found.
    let starts = |s: &str| rest.as_bytes().get(..s.len()).is_some_and(|b| b.eq_ignore_ascii_case(s.as_bytes()));
    let scheme = ["https://", "http://"].into_iter().find(|s| starts(s));
    let host_start = scheme.map_or(0, str::len);
    let host_len = rest[host_start..].find(|c: char| !host_char(c)).unwrap_or(rest.len() - host_start);
    let host = rest[host_start..host_start + host_len].trim_end_matches(['.', '-']);
    if host.is_empty() || !host.contains('.') || host.starts_with(['.', '-']) {
        return None;
    }
    let lower = host.to_ascii_lowercase();
    if !official_sites.iter().any(|site| lower == *site || lower.ends_with(&format!(".{site}"))) {
        return None;
    }
    let mut end = host_start + host.len();
    // A path (or query) right after the host, without the punctuation that ends a sentence.
    if host.len() == host_len && rest[end..].starts_with(['/', '?', '#']) {
        let path_len =
            rest[end..].find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(rest.len() - end);
        let path = rest[end..end + path_len].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '”', '’', '\'', '»']);
        end += path.len();
    }
    let written = &rest[..end];
    let url = if scheme.is_some() { written.to_string() } else { format!("https://{written}") };
    Some((end, Target::Web(url)))
}

/// The length of a run of digit groups at the start of `rest` (`0912 345 678`, `+84 912…`),
/// if one starts here (not inside a word or a longer number).
fn number_token(rest: &str, prev: Option<char>) -> Option<usize> {
    if prev.is_some_and(|p| is_alphanumeric(p) || matches!(p, '.' | ',' | '-' | '+' | '/' | '_')) {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut i = 0;
    // An area code or country code in brackets: `(024) 3825 1234`, `(+84) 912 345 678`.
    if bytes[0] == b'(' {
        i = 1 + usize::from(bytes.get(1) == Some(&b'+'));
        let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        i += digits;
        let grouped = digits > 0
            && bytes.get(i) == Some(&b')')
            && matches!(bytes.get(i + 1), Some(b' ' | b'.' | b'-'))
            && bytes.get(i + 2).is_some_and(u8::is_ascii_digit);
        if !grouped {
            return None;
        }
        i += 2;
    } else if bytes[0] == b'+' {
        i = 1;
    }
    if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        // One separator between groups: space, dot, hyphen or a no-break space.
        let sep = match rest[i..].chars().next() {
            Some(c @ (' ' | '.' | '-' | '\u{a0}')) => c.len_utf8(),
            _ => break,
        };
        if bytes.get(i + sep).is_some_and(u8::is_ascii_digit) {
            i += sep;
        } else {
            break;
        }
    }
    Some(i)
}

/// The `tel:` URL of `token` if it is a phone number (see the module comment).
fn phone(token: &str, before: &str, after: &str) -> Option<String> {
    if after.chars().next().is_some_and(|c| is_alphanumeric(c) || c == '%') {
        return None;
    }
    let digits: String = token.chars().filter(char::is_ascii_digit).collect();
    if token.trim_start_matches('(').starts_with('+') {
        let rest = digits.strip_prefix("84")?;
        return (matches!(rest.len(), 9 | 10) && !rest.starts_with('0')).then(|| format!("tel:+{digits}"));
    }
    let service = digits.starts_with("1800") || digits.starts_with("1900");
    let valid = match digits.len() {
        10 | 11 if digits.starts_with('0') => matches!(digits.as_bytes()[1], b'2' | b'3' | b'5' | b'7' | b'8' | b'9'),
        8 | 10 => service,
        3 => SHORT_NUMBERS.contains(&token) && called(before, after),
        _ => false,
    };
    valid.then(|| format!("tel:{digits}"))
}

/// Whether the text around a short number says it is to be called.
fn called(before: &str, after: &str) -> bool {
    let next_word = after.split_whitespace().next().unwrap_or("").to_lowercase();
    if UNIT_WORDS.iter().any(|unit| next_word.trim_end_matches(['.', ',', ';', ':']) == *unit) {
        return false;
    }
    let near = before.to_lowercase();
    if REFERENCE_WORDS.iter().any(|word| near.trim_end().ends_with(word)) {
        return false;
    }
    let alone = before.trim().is_empty() && after.trim().is_empty();
    // The call word must be in the same clause, shortly before.
    let clause = near.rfind(['.', ';', '!', '?', '\n']).map_or(near.as_str(), |i| &near[i + 1..]);
    let start = clause.char_indices().rev().nth(CALL_WORD_REACH - 1).map_or(0, |(i, _)| i);
    alone || CALL_WORDS.iter().any(|word| clause[start..].contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sites() -> Vec<String> {
        OFFICIAL_SITES.iter().map(|s| s.to_string()).collect()
    }

    fn links(text: &str) -> Vec<(&str, Target)> {
        find_links(text, "", &sites()).into_iter().map(|(r, t)| (&text[r], t)).collect()
    }

    fn tel(s: &str) -> Target {
        Target::Tel(s.to_string())
    }

    fn web(s: &str) -> Target {
        Target::Web(s.to_string())
    }

    #[test]
    fn phone_numbers_in_their_usual_spellings_issue_11() {
        assert_eq!(
            links("Gọi 0912 345 678, 0912.345.678 hoặc 0912-345-678."),
            [
                ("0912 345 678", tel("tel:0912345678")),
                ("0912.345.678", tel("tel:0912345678")),
                ("0912-345-678", tel("tel:0912345678")),
            ]
        );
        assert_eq!(links("Máy bàn 024 3825 1234."), [("024 3825 1234", tel("tel:02438251234"))]);
        assert_eq!(links("Từ nước ngoài: +84 912 345 678"), [("+84 912 345 678", tel("tel:+84912345678"))]);
        assert_eq!(
            links("Gọi (024) 3825 1234 hoặc (+84) 912 345 678 (miễn phí)"),
            [("(024) 3825 1234", tel("tel:02438251234")), ("(+84) 912 345 678", tel("tel:+84912345678"))]
        );
        assert_eq!(
            links("Tổng đài 1800 1567 hoặc 1900 545 413"),
            [("1800 1567", tel("tel:18001567")), ("1900 545 413", tel("tel:1900545413"))]
        );
    }

    #[test]
    fn numbers_that_are_not_phone_numbers_stay_text_issue_11() {
        for text in [
            "Nạp 300.000.000 đồng",
            "Năm 2024, 1.234 vụ",
            "Mã 0912345678901 không phải số điện thoại",
            "Tài khoản số 012345678",
            "ngày 15.08.2024",
            "Điều 113 Bộ luật",
            "gọi vay 113 triệu",
            "x0912345678",
            "0912345678abc",
        ] {
            assert_eq!(links(text), [], "{text}");
        }
    }

    #[test]
    fn short_numbers_when_called_or_alone_issue_11() {
        assert_eq!(links("hoặc gọi 113 nếu đang bị đe doạ"), [("113", tel("tel:113"))]);
        assert_eq!(links("tới đầu số 156 để phản ánh"), [("156", tel("tel:156"))]);
        assert_eq!(links("113"), [("113", tel("tel:113"))], "a table cell with the number only");
        assert_eq!(links("Có 113 người bị lừa"), []);
        assert_eq!(links("gọi 119"), [], "not a short number");
        assert_eq!(links("Kẻ gian gọi từ số lạ; Điều 113 của Bộ luật"), [], "another clause, a reference");
        assert_eq!(links("Hãy gọi ngay. Năm 113 người"), []);
        // The call word may be in text before (`gọi **113**`).
        let found = find_links("113", "hoặc gọi ", &sites());
        assert_eq!(found, [(0..3, tel("tel:113"))]);
    }

    #[test]
    fn official_sites_with_and_without_scheme_issue_11() {
        assert_eq!(
            links("Tại https://canhbao.ncsc.gov.vn. Và dichvucong.gov.vn/p/home, www.gdt.gov.vn."),
            [
                ("https://canhbao.ncsc.gov.vn", web("https://canhbao.ncsc.gov.vn")),
                ("dichvucong.gov.vn/p/home", web("https://dichvucong.gov.vn/p/home")),
                ("www.gdt.gov.vn", web("https://www.gdt.gov.vn")),
            ]
        );
        for text in [
            "gdt.gov.vn.xyz",
            "thue-gdt.gov.vn.top",
            "https://chongluadao.vn.fake.example/x",
            "hotro@dichvucong.gov.vn",
            "https://fake-bank.example",
            "fakedichvucong.gov.vn",
            "tên miền .gov.vn",
        ] {
            assert_eq!(links(text), [], "{text}");
        }
    }

    fn html(body: &str) -> String {
        let events: Vec<Event> = pulldown_cmark::Parser::new_ext(body, crate::markdown::options()).collect();
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, pass(events, &sites()).into_iter());
        out
    }

    #[test]
    fn the_pass_links_text_only_and_labels_table_cells_issue_11() {
        assert_eq!(
            html("Gọi **113**, [0912 345 678](https://a.vn) `0912 345 678` https://chongluadao.vn."),
            "<p>Gọi <strong><a href=\"tel:113\">113</a></strong>, <a href=\"https://a.vn\">0912 345 678</a> \
             <code>0912 345 678</code> <a href=\"https://chongluadao.vn\" rel=\"noopener noreferrer\" \
             target=\"_blank\">https://chongluadao.vn</a>.</p>\n"
        );
        assert_eq!(html("```\ngọi 0912 345 678\n```\n"), "<pre><code>gọi 0912 345 678\n</code></pre>\n");
        let table = html("| Số | Dùng *khi* |\n|---|--:|\n| **113** | Công an \"khẩn\" |\n| 115 | Cấp cứu |\n");
        assert!(table.contains("<th>Số</th><th style=\"text-align: right\">Dùng <em>khi</em></th>"), "{table}");
        assert!(
            table.contains("<tr><td data-label=\"Số\"><strong><a href=\"tel:113\">113</a></strong></td>"),
            "{table}"
        );
        assert!(table.contains("<td data-label=\"Dùng khi\" style=\"text-align: right\">Công an"), "{table}");
        assert!(table.contains("<td data-label=\"Số\"><a href=\"tel:115\">115</a></td>"), "{table}");
    }
}
