//! What the channel texts are made of, read from a Markdown body as plain text: the key signs
//! of a scam (the list under a heading such as "Dấu hiệu nhận biết") and what to do (under
//! "Cách phòng tránh", else "Nếu đã bị lừa"). Links keep their text; images, tables, raw HTML
//! and quoted scam addresses (`[[…]]`) are left out.
//!
//! The body is parsed again here (the model keeps rendered HTML, not the text of each list
//! item); the parse is plain pulldown-cmark with the site's options, so it sees what the page shows.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use crate::text;

/// The parts of a body the channel texts use.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outline {
    /// Key signs, in order (list items, else the sentences of the section).
    pub signs: Vec<String>,
    /// What to do, in order.
    pub actions: Vec<String>,
}

/// A `##` section: its heading folded (`dau hieu nhan biet`), its list items and paragraphs.
#[derive(Debug, Default)]
struct Section {
    heading: String,
    items: Vec<String>,
    paragraphs: Vec<String>,
}

impl Section {
    /// The items, else the sentences of the paragraphs.
    fn points(&self) -> Vec<String> {
        if !self.items.is_empty() {
            return self.items.clone();
        }
        self.paragraphs.iter().flat_map(|p| sentences(p)).collect()
    }
}

/// Headings of the key signs, folded, in order of preference.
const SIGNS: [&[&str]; 2] = [&["dau hieu", "nhan biet", "nhan dien"], &["thu doan"]];
/// Headings of what to do, folded, in order of preference.
const ACTIONS: [&[&str]; 2] = [&["phong tranh", "can lam", "lam gi", "khuyen cao", "phong ngua"], &["neu", "xu ly"]];

/// The outline of a Markdown body.
pub fn outline(body: &str) -> Outline {
    let sections = sections(body);
    let find = |choices: &[&[&str]]| -> Vec<String> {
        for words in choices {
            if let Some(s) = sections.iter().skip(1).find(|s| words.iter().any(|w| s.heading.contains(w))) {
                let points = s.points();
                if !points.is_empty() {
                    return points;
                }
            }
        }
        Vec::new()
    };
    Outline { signs: find(&SIGNS), actions: find(&ACTIONS) }
}

fn sections(body: &str) -> Vec<Section> {
    let mut sections = vec![Section::default()];
    let mut heading: Option<String> = None;
    let mut item: Option<String> = None;
    let mut paragraph: Option<String> = None;
    let (mut lists, mut quotes, mut tables, mut skipped) = (0usize, 0usize, 0usize, 0usize);
    for event in Parser::new_ext(body, crate::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                let title = heading.take().unwrap_or_default();
                sections.push(Section { heading: text::fold(title.trim()), ..Section::default() });
            }
            Event::Start(Tag::List(_)) => lists += 1,
            Event::End(TagEnd::List(_)) => lists = lists.saturating_sub(1),
            Event::Start(Tag::Item) if lists == 1 && quotes == 0 => item = Some(String::new()),
            Event::End(TagEnd::Item) if lists == 1 && quotes == 0 => {
                let text = clean(&item.take().unwrap_or_default());
                if !text.is_empty() {
                    sections.last_mut().expect("one section at least").items.push(text);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => quotes = quotes.saturating_sub(1),
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::End(TagEnd::Table) => tables = tables.saturating_sub(1),
            Event::Start(Tag::Paragraph) if lists == 0 && quotes == 0 && tables == 0 => paragraph = Some(String::new()),
            Event::End(TagEnd::Paragraph) if paragraph.is_some() && lists == 0 => {
                let text = clean(&paragraph.take().unwrap_or_default());
                if !text.is_empty() {
                    sections.last_mut().expect("one section at least").paragraphs.push(text);
                }
            }
            // Nothing of an image (its alt text) or a quoted scam address is said or posted.
            Event::Start(Tag::Image { .. }) | Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, .. }) => {
                skipped += 1
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::Link) if skipped > 0 => skipped -= 1,
            Event::Text(t) | Event::Code(t) if skipped == 0 && tables == 0 => {
                for open in [&mut heading, &mut item, &mut paragraph].into_iter().flatten() {
                    open.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                for open in [&mut heading, &mut item, &mut paragraph].into_iter().flatten() {
                    open.push(' ');
                }
            }
            // A nested list inside an item: its items are part of the item's text.
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {
                if let Some(open) = item.as_mut() {
                    open.push(' ');
                }
            }
            _ => {}
        }
    }
    sections
}

/// One line of text: runs of spaces as one, no trailing `.`, `;` or `:`.
fn clean(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.trim_end_matches(['.', ';', ':', ',']).trim().to_string()
}

/// The sentences of a paragraph (split after `.`, `!` or `?` and a space), cleaned.
pub fn sentences(paragraph: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = paragraph.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(i + 1) == Some(&b' ') {
            out.push(&paragraph[start..=i]);
            start = i + 2;
        }
    }
    out.push(&paragraph[start.min(paragraph.len())..]);
    out.into_iter().map(|s| s.trim().trim_end_matches('.').trim().to_string()).filter(|s| !s.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_actions_come_from_their_sections_issue_12() {
        let body = "Mở đầu.\n\n## Dấu hiệu nhận biết\n\n- Gọi từ số lạ, **quát nạt**.\n- Gửi [link](https://x.vn) lạ\n\n\
                    | a | b |\n|---|---|\n| x | y |\n\n## Cách phòng tránh {#pt}\n\nBình tĩnh cúp máy. Gọi 113! \
                    Không bấm [[http://fake.example]] ![ảnh](a.png)\n\n> [!WARNING]\n> Trích dẫn\n";
        let o = outline(body);
        assert_eq!(o.signs, ["Gọi từ số lạ, quát nạt", "Gửi link lạ"]);
        assert_eq!(o.actions, ["Bình tĩnh cúp máy", "Gọi 113!", "Không bấm"]);
    }

    #[test]
    fn fallbacks_issue_12() {
        let body = "## Thủ đoạn\n\n1. Một\n2. Hai\n\n## Nếu đã bị lừa\n\n- Báo công an\n";
        let o = outline(body);
        assert_eq!(o.signs, ["Một", "Hai"]);
        assert_eq!(o.actions, ["Báo công an"]);
        assert_eq!(outline("Chỉ một đoạn."), Outline::default());
    }
}
