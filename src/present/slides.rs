//! Slide decks (issue 14): an article's outline (or a presenter's own deck) cut into 16:9
//! slides whose text keeps its size: what does not fit is carried over to the next slide.
//!
//! The slides are drawn on a 1280×720 canvas (CSS pixels; the PDF page is the same). The rule
//! for a hall: list text is [`BULLET_PX`] high (1/20 of the slide height), table text
//! [`TABLE_PX`] (1/22.5), and nothing is ever drawn smaller. On a screen 1.5 m high that is
//! 66 mm or more, readable from about 13 m (1/200 of the distance, the usual signage rule).
//! How many lines fit is estimated here from character counts; `build --pdf` measures every
//! slide in Chromium and refuses one that still overflows.

use serde::Serialize;

use super::outline::{Bullet, Inline, Outline, Section, Table};

/// Height of list text on the 720 px slide.
pub const BULLET_PX: u32 = 36;
/// Height of table text: the smallest text of any slide.
pub const TABLE_PX: u32 = 32;
/// Characters of list text per line (about 62 fit in the 1100 px of text width at 36 px).
const BULLET_CHARS_PER_LINE: usize = 56;
/// Lines of list text a slide holds under a one- or two-line heading.
const BULLET_LINES: usize = 9;
/// At most this many list items on one slide, however short.
const MAX_BULLETS: usize = 6;
/// Characters per line in one column of a table of `n` columns, at 32 px.
fn table_chars_per_line(columns: usize) -> usize {
    (62 / columns.max(1)).max(8)
}
/// Lines of table text (the header included) a slide holds.
const TABLE_LINES: usize = 12;
/// A heading longer than this takes a second line from the body.
const HEADING_CHARS_PER_LINE: usize = 38;

/// One list item on a slide.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BulletView {
    pub html: String,
    pub level: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableView {
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Two columns: what the scammer says, and the truth.
    pub script: bool,
}

/// What a slide shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Body {
    /// The opening slide: the deck's title, with the issuer and audiences.
    Title {
        subtitle: String,
    },
    /// A divider before the slides of one article of a hand-written deck.
    Part,
    Bullets {
        bullets: Vec<BulletView>,
    },
    Table {
        table: TableView,
    },
    /// The last slide: a large QR code, the link and the hotline.
    Closing {
        qr_svg: String,
        link: String,
        url: String,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Slide {
    pub heading: String,
    /// The heading's second and later slides say "(tiếp)".
    pub continued: bool,
    #[serde(flatten)]
    pub body: Body,
    /// What the presenter says: paragraphs of plain text.
    pub notes: Vec<String>,
}

/// The slides of one outline: the sections, one or more slides each (the intro's list items
/// and tables, if any, come first under `title`).
pub fn section_slides(outline: &Outline, title: &str) -> Vec<Slide> {
    let mut slides = Vec::new();
    let intro = Section { title: title.to_string(), paragraphs: Vec::new(), ..outline.intro.clone() };
    slides.extend(slides_of(&intro));
    for section in &outline.sections {
        slides.extend(slides_of(section));
    }
    slides
}

/// Speaker notes made of paragraphs.
pub fn notes(paragraphs: &[Inline]) -> Vec<String> {
    paragraphs.iter().map(|p| p.text.clone()).collect()
}

/// The slides of one section: its list items, then each table; a section of paragraphs only
/// shows them as items. Paragraphs shown nowhere else become the notes of its first slide.
fn slides_of(section: &Section) -> Vec<Slide> {
    let heading_lines = section.title.chars().count().div_ceil(HEADING_CHARS_PER_LINE).max(1);
    let spare = heading_lines.saturating_sub(2);
    let mut slides = Vec::new();
    let (bullets, mut notes) = if section.bullets.is_empty() && section.tables.is_empty() {
        let as_items: Vec<Bullet> = section.paragraphs.iter().map(|p| Bullet { inline: p.clone(), level: 0 }).collect();
        (as_items, Vec::new())
    } else {
        (section.bullets.clone(), notes(&section.paragraphs))
    };
    for group in split_bullets(&bullets, BULLET_LINES.saturating_sub(spare).max(3)) {
        slides.push(Body::Bullets { bullets: group });
    }
    for table in &section.tables {
        for part in split_table(table, TABLE_LINES.saturating_sub(spare).max(3)) {
            slides.push(Body::Table { table: part });
        }
    }
    slides
        .into_iter()
        .enumerate()
        .map(|(i, body)| Slide {
            heading: section.title.clone(),
            continued: i > 0,
            body,
            notes: if i == 0 { std::mem::take(&mut notes) } else { Vec::new() },
        })
        .collect()
}

/// Lines a text of `chars` characters takes at `per_line` characters a line.
fn lines(chars: usize, per_line: usize) -> usize {
    chars.div_ceil(per_line).max(1)
}

/// List items over slides of at most `capacity` lines (and [`MAX_BULLETS`] items); an item too
/// long for one slide is cut at its sentences.
fn split_bullets(bullets: &[Bullet], capacity: usize) -> Vec<Vec<BulletView>> {
    let mut pieces: Vec<(BulletView, usize)> = Vec::new();
    for b in bullets {
        let per_line = BULLET_CHARS_PER_LINE.saturating_sub(4 * b.level).max(10);
        let n = lines(b.inline.text.chars().count(), per_line);
        if n <= capacity {
            pieces.push((BulletView { html: b.inline.html.clone(), level: b.level }, n));
        } else {
            for part in cut_text(&b.inline.text, capacity * per_line) {
                let n = lines(part.chars().count(), per_line);
                let mut html = String::new();
                let _ = pulldown_cmark_escape::escape_html(&mut html, &part);
                pieces.push((BulletView { html, level: b.level }, n));
            }
        }
    }
    let mut groups: Vec<Vec<BulletView>> = Vec::new();
    let mut used = 0;
    for (piece, n) in pieces {
        let full = groups.last().is_none_or(|g| g.len() >= MAX_BULLETS || used + n > capacity);
        if full {
            groups.push(Vec::new());
            used = 0;
        }
        used += n;
        groups.last_mut().expect("pushed above").push(piece);
    }
    groups
}

/// `text` cut into pieces of at most `max` characters, at sentence ends where possible, else
/// at spaces (a word longer than `max` is cut where it must be).
fn cut_text(text: &str, max: usize) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let limit = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let window = &rest[..limit];
        let at = [". ", "! ", "? ", "; ", ": ", ", ", " "]
            .iter()
            .find_map(|sep| window.rfind(sep).filter(|&i| i > limit / 3).map(|i| i + sep.len()))
            .unwrap_or(limit);
        pieces.push(rest[..at].trim().to_string());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        pieces.push(rest.to_string());
    }
    pieces
}

/// A table over slides of at most `capacity` lines, the header repeated on each.
fn split_table(table: &Table, capacity: usize) -> Vec<TableView> {
    let columns = table.head.len().max(table.rows.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let per_line = table_chars_per_line(columns);
    let height = |cells: &[Inline]| cells.iter().map(|c| lines(c.text.chars().count(), per_line)).max().unwrap_or(1);
    let head_lines = if table.head.is_empty() { 0 } else { height(&table.head) };
    let html = |cells: &[Inline]| cells.iter().map(|c| c.html.clone()).collect::<Vec<_>>();
    let script = columns == 2;
    let mut parts: Vec<TableView> = Vec::new();
    let mut used = 0;
    for row in &table.rows {
        let n = height(row);
        if parts.is_empty() || used + n > capacity {
            parts.push(TableView { head: html(&table.head), rows: Vec::new(), script });
            used = head_lines;
        }
        used += n;
        parts.last_mut().expect("pushed above").rows.push(html(row));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::outline::outline;

    #[test]
    fn long_lists_continue_on_the_next_slide_at_the_same_size() {
        let items: String = (1..=9).map(|i| format!("- Dấu hiệu số {i}: kẻ gian gọi điện từ số lạ\n")).collect();
        let o = outline(&format!("## Dấu hiệu\n\n{items}"));
        let slides = section_slides(&o, "T");
        assert_eq!(slides.len(), 2);
        assert!(!slides[0].continued && slides[1].continued);
        let counts: Vec<usize> = slides
            .iter()
            .map(|s| match &s.body {
                Body::Bullets { bullets } => bullets.len(),
                _ => 0,
            })
            .collect();
        assert_eq!(counts, [6, 3]);
    }

    #[test]
    fn an_item_longer_than_a_slide_is_cut_at_sentences() {
        let sentence = "Kẻ gian gọi điện xưng là cán bộ và đọc đúng họ tên của bạn. ";
        let o = outline(&format!("## A\n\n- {}\n", sentence.repeat(12)));
        let slides = section_slides(&o, "T");
        assert!(slides.len() >= 2, "{slides:?}");
        for s in &slides {
            let Body::Bullets { bullets } = &s.body else { panic!() };
            let chars: usize = bullets.iter().map(|b| b.html.chars().count()).sum();
            assert!(chars <= BULLET_LINES * BULLET_CHARS_PER_LINE, "{chars}");
            assert!(bullets.iter().all(|b| b.html.ends_with('.')), "{bullets:?}");
        }
    }

    #[test]
    fn script_tables_become_two_column_slides_with_their_header() {
        let rows: String = (1..=16).map(|i| format!("| “Câu nói số {i} của kẻ gian” | Sự thật số {i} |\n")).collect();
        let o = outline(&format!("## Dấu hiệu\n\nĐoạn ghi chú.\n\n| Lời kẻ gian nói | Sự thật |\n|---|---|\n{rows}"));
        let slides = section_slides(&o, "T");
        assert!(slides.len() >= 2);
        for s in &slides {
            let Body::Table { table } = &s.body else { panic!("{s:?}") };
            assert!(table.script);
            assert_eq!(table.head, ["Lời kẻ gian nói", "Sự thật"]);
        }
        assert_eq!(slides[0].notes, ["Đoạn ghi chú."]);
        let rows: usize =
            slides.iter().map(|s| if let Body::Table { table } = &s.body { table.rows.len() } else { 0 }).sum();
        assert_eq!(rows, 16);
    }

    #[test]
    fn a_section_of_paragraphs_shows_them() {
        let o = outline("## Nếu đã bị lừa\n\nGọi ngay ngân hàng.\n\nTrình báo công an.\n");
        let slides = section_slides(&o, "T");
        let Body::Bullets { bullets } = &slides[0].body else { panic!() };
        assert_eq!(bullets.len(), 2);
        assert!(slides[0].notes.is_empty());
    }
}
