//! The outline of a Markdown body (pure, no I/O), the one reading of a body's structure for
//! everything made beside its page: its `##` sections, their list items, their two-column
//! tables ("Lời kẻ gian nói / Sự thật") and paragraphs, for slides, posters and handbooks
//! (issue 14), and in the same pass what the channel texts say (issue 12: [`Spoken`]).
//!
//! Slides and channel texts need the structure of a body, not its HTML, so this reads the
//! Markdown events once more (with the options of [`crate::markdown::options`]), once per item
//! and build. Only text and emphasis survive: projected slides carry no links, images or raw
//! HTML, and a `[[scam address]]` stays defanged; what is said aloud or posted leaves scam
//! addresses, images, tables and quotes out.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};
use pulldown_cmark_escape::escape_html;

/// A piece of inline text: safe HTML (text, `<strong>`, `<em>`, `<code>`, `<s>`) and its plain text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inline {
    pub html: String,
    pub text: String,
}

impl Inline {
    fn push_text(&mut self, text: &str) {
        let _ = escape_html(&mut self.html, text);
        self.text.push_str(text);
    }

    fn push_tag(&mut self, tag: &str) {
        self.html.push_str(tag);
    }

    fn trimmed(mut self) -> Inline {
        self.text = crate::text::one_line(&self.text);
        // Trimmed in place: no copy (issue 10).
        self.html.truncate(self.html.trim_end().len());
        let start = self.html.len() - self.html.trim_start().len();
        self.html.drain(..start);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// A table of the body: its header cells and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub head: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
}

/// A list item (nested items have `level` 1 and more).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bullet {
    pub inline: Inline,
    pub level: usize,
}

/// A `##` section, or the intro before the first one (with an empty title).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub title: String,
    pub bullets: Vec<Bullet>,
    pub tables: Vec<Table>,
    /// Paragraphs, quotes and code outside lists and tables, in order.
    pub paragraphs: Vec<Inline>,
    /// All of it in the order of the body (for the handbook's chapters).
    pub blocks: Vec<Block>,
    /// What the channel texts read of it.
    pub spoken: Spoken,
}

/// What the channel texts (issue 12) read of a section: its heading, its top-level list items
/// (a nested list's text is part of its item's) and its paragraphs, outside quotes and tables,
/// without scam addresses or images, each on one line without its closing `.`, `;`, `:` or `,`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Spoken {
    /// The heading folded (`dau hieu nhan biet`), for finding a section by its words.
    pub heading: String,
    pub items: Vec<String>,
    pub paragraphs: Vec<String>,
}

/// A block of a section, in the order of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Paragraph(Inline),
    /// A `###` heading.
    Heading(Inline),
    List {
        ordered: bool,
        items: Vec<Bullet>,
    },
    Table(Table),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    pub intro: Section,
    pub sections: Vec<Section>,
}

impl Outline {
    /// Every list item of the body, in order (for a poster's key signs).
    pub fn all_bullets(&self) -> impl Iterator<Item = &Bullet> {
        std::iter::once(&self.intro).chain(&self.sections).flat_map(|s| &s.bullets)
    }
}

/// What the text being read belongs to.
enum Target {
    None,
    Heading(u8, Inline),
    Item(usize, Inline),
    Cell(Inline),
    Paragraph(Inline),
}

/// Reads the outline of `body`.
pub fn outline(body: &str) -> Outline {
    let mut spoken = Speech::default();
    let mut out = Outline::default();
    let mut current: Option<Section> = None;
    let mut target = Target::None;
    let mut list_depth = 0usize;
    let mut table: Option<Table> = None;
    let mut row: Vec<Inline> = Vec::new();
    let mut in_head = false;
    let mut skip = 0usize; // inside an image: its alt text is dropped
    let mut in_wiki = false; // inside a `[[scam address]]`: its text is replaced
    for event in Parser::new_ext(body, crate::markdown::options()) {
        spoken.read(&event);
        if skip > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => skip += 1,
                Event::End(TagEnd::Image) => skip -= 1,
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                finish_item(&mut target, current.as_mut().unwrap_or(&mut out.intro));
                target = Target::Heading(heading_level(level), Inline::default());
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Target::Heading(level, inline) = std::mem::replace(&mut target, Target::None) {
                    let inline = inline.trimmed();
                    if level == 2 {
                        if let Some(done) = current.take() {
                            out.sections.push(done);
                        }
                        current = Some(Section { title: inline.text, ..Section::default() });
                    } else if level > 2 && !inline.is_empty() {
                        let section = current.as_mut().unwrap_or(&mut out.intro);
                        section.blocks.push(Block::Heading(inline.clone()));
                        let inline = Inline { html: format!("<strong>{}</strong>", inline.html), text: inline.text };
                        section.bullets.push(Bullet { inline, level: 0 });
                    }
                }
            }
            Event::Start(Tag::List(first)) => {
                // A nested list ends the text of its parent item.
                finish_item(&mut target, current.as_mut().unwrap_or(&mut out.intro));
                if list_depth == 0 {
                    let section = current.as_mut().unwrap_or(&mut out.intro);
                    section.blocks.push(Block::List { ordered: first.is_some(), items: Vec::new() });
                }
                list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => list_depth = list_depth.saturating_sub(1),
            Event::Start(Tag::Item) => {
                finish_item(&mut target, current.as_mut().unwrap_or(&mut out.intro));
                target = Target::Item(list_depth.saturating_sub(1), Inline::default());
            }
            Event::End(TagEnd::Item) => finish_item(&mut target, current.as_mut().unwrap_or(&mut out.intro)),
            Event::Start(Tag::Table(_)) => table = Some(Table::default()),
            Event::End(TagEnd::Table) => {
                if let Some(t) = table.take() {
                    let section = current.as_mut().unwrap_or(&mut out.intro);
                    section.blocks.push(Block::Table(t.clone()));
                    section.tables.push(t);
                }
            }
            Event::Start(Tag::TableHead) => in_head = true,
            Event::End(TagEnd::TableHead) => {
                in_head = false;
                if let Some(t) = table.as_mut() {
                    t.head = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableRow) => {
                if let Some(t) = table.as_mut()
                    && !in_head
                {
                    t.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => target = Target::Cell(Inline::default()),
            Event::End(TagEnd::TableCell) => {
                if let Target::Cell(inline) = std::mem::replace(&mut target, Target::None) {
                    row.push(inline.trimmed());
                }
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_)) => {
                if let Target::Item(_, inline) = &mut target {
                    // A loose list: its paragraphs are one item.
                    if !inline.text.is_empty() {
                        inline.push_text(" ");
                    }
                } else {
                    target = Target::Paragraph(Inline::default());
                }
            }
            Event::End(TagEnd::Paragraph | TagEnd::CodeBlock) => {
                if let Target::Paragraph(inline) = std::mem::replace(&mut target, Target::None) {
                    let inline = inline.trimmed();
                    if !inline.is_empty() {
                        let section = current.as_mut().unwrap_or(&mut out.intro);
                        section.blocks.push(Block::Paragraph(inline.clone()));
                        section.paragraphs.push(inline);
                    }
                } else if let Target::Item(..) = target {
                    // Keep reading the item.
                }
            }
            Event::Start(Tag::Image { .. }) => skip = 1,
            Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, dest_url, .. }) => {
                // The text of a `[[scam address]]` is replaced by the defanged address.
                if let Some(inline) = inline_of(&mut target) {
                    inline.push_tag("<span class=\"scam-address\">");
                    inline.push_text(&crate::sanitize::defang(&dest_url));
                    inline.push_tag("</span>");
                }
                in_wiki = true;
            }
            Event::End(TagEnd::Link) => in_wiki = false,
            Event::Text(_) | Event::Code(_) if in_wiki => {}
            Event::Start(Tag::Strong) => push_tag(&mut target, "<strong>"),
            Event::End(TagEnd::Strong) => push_tag(&mut target, "</strong>"),
            Event::Start(Tag::Emphasis) => push_tag(&mut target, "<em>"),
            Event::End(TagEnd::Emphasis) => push_tag(&mut target, "</em>"),
            Event::Start(Tag::Strikethrough) => push_tag(&mut target, "<s>"),
            Event::End(TagEnd::Strikethrough) => push_tag(&mut target, "</s>"),
            Event::Text(text) => {
                if let Some(inline) = inline_of(&mut target) {
                    inline.push_text(&text);
                }
            }
            Event::Code(code) => {
                if let Some(inline) = inline_of(&mut target) {
                    inline.push_tag("<code>");
                    inline.push_text(&code);
                    inline.push_tag("</code>");
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(inline) = inline_of(&mut target) {
                    inline.push_text(" ");
                }
            }
            Event::TaskListMarker(done) => {
                if let Some(inline) = inline_of(&mut target) {
                    inline.push_text(if done { "☑ " } else { "☐ " });
                }
            }
            _ => {}
        }
    }
    finish_item(&mut target, current.as_mut().unwrap_or(&mut out.intro));
    if let Some(done) = current.take() {
        out.sections.push(done);
    }
    // Both readings start a section at each `##` heading.
    let sections = std::iter::once(&mut out.intro).chain(&mut out.sections);
    for (section, spoken) in sections.zip(spoken.sections) {
        section.spoken = spoken;
    }
    out
}

/// The reading of [`Spoken`], beside the rest (it counts lists, quotes and tables its own way).
#[derive(Default)]
struct Speech {
    /// One per `##` heading, after the text before the first.
    sections: Vec<Spoken>,
    heading: Option<String>,
    item: Option<String>,
    paragraph: Option<String>,
    lists: usize,
    quotes: usize,
    tables: usize,
    /// Inside an image or a scam address: nothing of it is said.
    skipped: usize,
}

impl Speech {
    fn section(&mut self) -> &mut Spoken {
        if self.sections.is_empty() {
            self.sections.push(Spoken::default());
        }
        self.sections.last_mut().expect("one section at least")
    }

    fn read(&mut self, event: &Event) {
        match event {
            Event::Start(Tag::Heading { level: HeadingLevel::H2, .. }) => self.heading = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => {
                self.section();
                let title = self.heading.take().unwrap_or_default();
                self.sections.push(Spoken { heading: crate::text::fold(title.trim()), ..Spoken::default() });
            }
            Event::Start(Tag::List(_)) => {
                // A nested list's text follows its item's after a space.
                if let Some(open) = self.item.as_mut() {
                    open.push(' ');
                }
                self.lists += 1
            }
            Event::End(TagEnd::List(_)) => self.lists = self.lists.saturating_sub(1),
            Event::Start(Tag::Item) if self.lists == 1 && self.quotes == 0 => self.item = Some(String::new()),
            Event::End(TagEnd::Item) if self.lists == 1 && self.quotes == 0 => {
                let text = clean(&self.item.take().unwrap_or_default());
                if !text.is_empty() {
                    self.section().items.push(text);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => self.quotes += 1,
            Event::End(TagEnd::BlockQuote(_)) => self.quotes = self.quotes.saturating_sub(1),
            Event::Start(Tag::Table(_)) => self.tables += 1,
            Event::End(TagEnd::Table) => self.tables = self.tables.saturating_sub(1),
            Event::Start(Tag::Paragraph) if self.lists == 0 && self.quotes == 0 && self.tables == 0 => {
                self.paragraph = Some(String::new())
            }
            Event::End(TagEnd::Paragraph) if self.paragraph.is_some() && self.lists == 0 => {
                let text = clean(&self.paragraph.take().unwrap_or_default());
                if !text.is_empty() {
                    self.section().paragraphs.push(text);
                }
            }
            Event::Start(Tag::Image { .. }) | Event::Start(Tag::Link { link_type: LinkType::WikiLink { .. }, .. }) => {
                self.skipped += 1
            }
            Event::End(TagEnd::Image) | Event::End(TagEnd::Link) if self.skipped > 0 => self.skipped -= 1,
            Event::Text(t) | Event::Code(t) if self.skipped == 0 && self.tables == 0 => {
                for open in [&mut self.heading, &mut self.item, &mut self.paragraph].into_iter().flatten() {
                    open.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                for open in [&mut self.heading, &mut self.item, &mut self.paragraph].into_iter().flatten() {
                    open.push(' ');
                }
            }
            // A nested list inside an item: its items are part of the item's text.
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {
                if let Some(open) = self.item.as_mut() {
                    open.push(' ');
                }
            }
            _ => {}
        }
    }
}

/// One line of text: runs of spaces as one, no trailing `.`, `;`, `:` or `,`.
fn clean(text: &str) -> String {
    let mut one_line = crate::text::one_line(text);
    // On one line, it starts with no space: only its end is trimmed, in place.
    one_line.truncate(one_line.trim_end_matches(['.', ';', ':', ',']).trim_end().len());
    one_line
}

/// Adds the list item being read (if any) to `section`.
fn finish_item(target: &mut Target, section: &mut Section) {
    if let Target::Item(level, inline) = std::mem::replace(target, Target::None) {
        let inline = inline.trimmed();
        if !inline.is_empty() {
            if let Some(Block::List { items, .. }) = section.blocks.last_mut() {
                items.push(Bullet { inline: inline.clone(), level });
            }
            section.bullets.push(Bullet { inline, level });
        }
    }
}

fn inline_of(target: &mut Target) -> Option<&mut Inline> {
    match target {
        Target::Heading(_, i) | Target::Item(_, i) | Target::Cell(i) | Target::Paragraph(i) => Some(i),
        Target::None => None,
    }
}

fn push_tag(target: &mut Target, tag: &str) {
    if let Some(inline) = inline_of(target) {
        inline.push_tag(tag);
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_lists_tables_and_notes() {
        let body = "Mở đầu **quan trọng**.\n\n## Thủ đoạn\n\n1. Gọi [điện](x.md) <b>lạ</b>\n2. Đòi `OTP`\n   - con\n\nGhi chú.\n\n## Dấu hiệu {#dh}\n\n| Lời kẻ gian nói | Sự thật |\n|---|---|\n| “A” | *B* |\n\n![ảnh](a.png)\n";
        let o = outline(body);
        assert_eq!(o.intro.paragraphs[0].html, "Mở đầu <strong>quan trọng</strong>.");
        assert_eq!(o.sections.len(), 2);
        let s = &o.sections[0];
        assert_eq!(s.title, "Thủ đoạn");
        let bullets: Vec<(&str, usize)> = s.bullets.iter().map(|b| (b.inline.html.as_str(), b.level)).collect();
        assert_eq!(bullets, [("Gọi điện lạ", 0), ("Đòi <code>OTP</code>", 0), ("con", 1)]);
        assert_eq!(s.paragraphs[0].text, "Ghi chú.");
        let t = &o.sections[1];
        assert_eq!(t.title, "Dấu hiệu");
        assert_eq!(
            t.tables[0].head.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(),
            ["Lời kẻ gian nói", "Sự thật"]
        );
        assert_eq!(t.tables[0].rows[0][1].html, "<em>B</em>");
        assert!(t.paragraphs.is_empty(), "images are dropped: {:?}", t.paragraphs);
    }

    #[test]
    fn scam_addresses_stay_defanged_and_html_is_escaped() {
        let o = outline("## A\n\n- Trang [[vay-nhanh.example.com]] & <script>x</script>\n");
        let html = &o.sections[0].bullets[0].inline.html;
        assert!(html.contains("vay-nhanh[.]example[.]com"), "{html}");
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&amp;"), "{html}");
    }

    #[test]
    fn one_reading_gives_the_slides_and_what_is_said_issue_10() {
        let body = "Mở đầu.\n\n## Dấu hiệu nhận biết\n\n- Gọi từ [[lua-dao.example]] số lạ.\n  - lồng\n\n> - Trích\n\n### Nhỏ\n\n| a | b |\n|---|---|\n| x | y |\n";
        let o = outline(body);
        assert_eq!(o.intro.spoken.paragraphs, ["Mở đầu"]);
        let s = &o.sections[0];
        // Slides: every item (nested and quoted ones too), the `###` heading, the table.
        assert_eq!(s.bullets.len(), 4, "{:?}", s.bullets);
        assert!(s.bullets[0].inline.html.contains("lua-dao[.]example"));
        assert_eq!(s.tables.len(), 1);
        // Said: the folded heading, the top-level item with its nested text, no scam address,
        // no quote, no table.
        assert_eq!(s.spoken.heading, "dau hieu nhan biet");
        assert_eq!(s.spoken.items, ["Gọi từ số lạ. lồng"]);
        assert!(s.spoken.paragraphs.is_empty());
    }
}
