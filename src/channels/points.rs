//! What the channel texts say of a body: the key signs of a scam (the list under a heading
//! such as "Dấu hiệu nhận biết") and what to do (under "Cách phòng tránh", else "Nếu đã bị
//! lừa"), chosen from the sections of its outline ([`crate::present::outline`], the one
//! reading of a body's structure; its [`Spoken`] part is what may be said: links keep their
//! text; images, tables, raw HTML and quoted scam addresses (`[[…]]`) are left out).

use crate::present::outline::{Outline, Spoken};

/// The parts of a body the channel texts use.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Points {
    /// Key signs, in order (list items, else the sentences of the section).
    pub signs: Vec<String>,
    /// What to do, in order.
    pub actions: Vec<String>,
}

/// The items of a section, else the sentences of its paragraphs.
fn points(s: &Spoken) -> Vec<String> {
    if !s.items.is_empty() {
        return s.items.clone();
    }
    s.paragraphs.iter().flat_map(|p| sentences(p)).collect()
}

/// Headings of the key signs, folded, in order of preference.
const SIGNS: [&[&str]; 2] = [&["dau hieu", "nhan biet", "nhan dien"], &["thu doan"]];
/// Headings of what to do, folded, in order of preference.
const ACTIONS: [&[&str]; 2] = [&["phong tranh", "can lam", "lam gi", "khuyen cao", "phong ngua"], &["neu", "xu ly"]];

/// The points of a body whose outline is `outline`.
pub fn of(outline: &Outline) -> Points {
    let find = |choices: &[&[&str]]| -> Vec<String> {
        for words in choices {
            let mut sections = outline.sections.iter().map(|s| &s.spoken);
            if let Some(s) = sections.find(|s| words.iter().any(|w| s.heading.contains(w))) {
                let points = points(s);
                if !points.is_empty() {
                    return points;
                }
            }
        }
        Vec::new()
    };
    Points { signs: find(&SIGNS), actions: find(&ACTIONS) }
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

    fn outline(body: &str) -> Points {
        of(&crate::present::outline::outline(body))
    }

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
        assert_eq!(outline("Chỉ một đoạn."), Points::default());
    }
}
