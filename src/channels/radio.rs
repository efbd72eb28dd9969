//! The loudspeaker script of an item: plain text an announcer reads on the ward loudspeakers,
//! between the theme's opening and closing lines, with every number in words
//! ([`super::words::read_aloud`]), no URL and no Markdown, and its estimated reading time.
//! The derived script takes the title, then as much of the summary, the key signs and what to
//! do as fits the time limit; `radio:` in the front matter replaces the part between the
//! opening and closing lines.

use super::points::sentences;
use super::words::read_aloud;

/// Syllables (Vietnamese words are one syllable each) an announcer reads in a minute, slowly
/// and clearly, as on a loudspeaker.
pub const SYLLABLES_PER_MINUTE: usize = 160;

/// Most items of a list a derived script reads.
const MOST_POINTS: usize = 3;

/// A script and how long it takes to read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Radio {
    pub script: String,
    pub syllables: usize,
    pub seconds: usize,
}

impl Radio {
    fn new(script: String) -> Radio {
        let syllables = syllables(&script);
        Radio { script, syllables, seconds: seconds(syllables) }
    }

    /// The reading time as people say it: "1 phút 15 giây", "50 giây".
    pub fn duration_vi(&self) -> String {
        match (self.seconds / 60, self.seconds % 60) {
            (0, s) => format!("{s} giây"),
            (m, 0) => format!("{m} phút"),
            (m, s) => format!("{m} phút {s} giây"),
        }
    }

    /// The file for the announcer: a note on the reading time (not to be read), then the script.
    pub fn file(&self) -> String {
        format!(
            "[Ghi chú, không đọc: bài đọc khoảng {} ({} tiếng, đọc {} tiếng một phút).]\n\n{}\n",
            self.duration_vi(),
            self.syllables,
            SYLLABLES_PER_MINUTE,
            self.script
        )
    }
}

/// What a derived script is made of.
pub struct Parts<'a> {
    pub opening: &'a str,
    pub closing: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub signs: &'a [String],
    pub actions: &'a [String],
    pub hotline_number: &'a str,
    pub hotline_label: &'a str,
    /// Numbers read digit by digit (the hotlines).
    pub phones: &'a [String],
    pub max_seconds: usize,
}

/// The derived script: the longest that fits `max_seconds`, taking in turn the first sentence
/// of the summary, what to do and the key signs (what to do first), up to three of each.
pub fn derive(parts: &Parts) -> Radio {
    let summary = sentences(parts.summary);
    // Issue 10: the candidates share most paragraphs (opening, title, hotline, closing, the
    // summary's first sentence...): each distinct paragraph is spoken and counted once, a
    // candidate is a list of spoken paragraphs, and only the chosen one is joined into a script.
    let mut spoken = Spoken::default();
    // How many sentences of the summary, signs and actions: at most these.
    let most = [summary.len().min(2), parts.signs.len().min(MOST_POINTS), parts.actions.len().min(MOST_POINTS)];
    let mut compose = |[s, g, a]: [usize; 3]| {
        let mut middle = vec![sentence(parts.title)];
        if s > 0 {
            middle.push(summary[..s].iter().map(|x| sentence(x)).collect::<Vec<_>>().join(" "));
        }
        if g > 0 {
            middle.push(format!("Dấu hiệu nhận biết: {}", sentence(&parts.signs[..g].join("; "))));
        }
        if a > 0 {
            middle.push(format!("Cách phòng tránh: {}", sentence(&parts.actions[..a].join("; "))));
        }
        middle.push(format!("Nếu nghi ngờ, bà con hãy gọi ngay {}, số {}.", parts.hotline_label, parts.hotline_number));
        spoken.candidate(&[parts.opening, &middle.join("\n\n"), parts.closing], parts.phones)
    };
    let mut chosen = [0; 3];
    let mut best = compose(chosen);
    // In order of importance: what the warning is (summary, 0), what to do (actions, 2), how to
    // recognise it (signs, 1). Each step: (which count, its new value).
    let steps = [(0, 1), (2, 1), (1, 1), (2, 2), (1, 2), (0, 2), (2, 3), (1, 3)];
    for (which, count) in steps {
        if count > most[which] {
            continue;
        }
        let mut next = chosen;
        next[which] = count;
        let candidate = compose(next);
        if seconds(candidate.syllables) <= parts.max_seconds {
            chosen = next;
            best = candidate;
        }
    }
    spoken.script(&best)
}

/// A `radio:` of the front matter between the opening and closing lines.
pub fn from_override(text: &str, opening: &str, closing: &str, phones: &[String]) -> Radio {
    let mut spoken = Spoken::default();
    let candidate = spoken.candidate(&[opening, text, closing], phones);
    spoken.script(&candidate)
}

/// Reading time in seconds of `syllables`.
fn seconds(syllables: usize) -> usize {
    (syllables * 60).div_ceil(SYLLABLES_PER_MINUTE)
}

/// Syllables read aloud in `text`: its words that hold a letter or a digit.
fn syllables(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// Paragraphs already spoken (as written, as spoken, syllables): a handful per script.
#[derive(Default)]
struct Spoken {
    known: Vec<(String, String, usize)>,
}

/// A candidate script: its spoken paragraphs (indexes into [`Spoken`]) and their syllables.
struct Candidate {
    paragraphs: Vec<usize>,
    syllables: usize,
}

impl Spoken {
    /// `parts` split into paragraphs, spoken; empty ones left out.
    fn candidate(&mut self, parts: &[&str], phones: &[String]) -> Candidate {
        let mut candidate = Candidate { paragraphs: Vec::new(), syllables: 0 };
        for paragraph in parts.iter().flat_map(|part| part.split("\n\n")) {
            let i = self.speak(paragraph, phones);
            let (_, said, syllables) = &self.known[i];
            if !said.is_empty() {
                candidate.paragraphs.push(i);
                candidate.syllables += syllables;
            }
        }
        candidate
    }

    /// `candidate`'s spoken paragraphs joined into a script, a blank line between them.
    fn script(&self, candidate: &Candidate) -> Radio {
        let paragraphs: Vec<&str> = candidate.paragraphs.iter().map(|&i| self.known[i].1.as_str()).collect();
        Radio::new(paragraphs.join("\n\n"))
    }

    /// The index of `paragraph` spoken.
    fn speak(&mut self, paragraph: &str, phones: &[String]) -> usize {
        if let Some(i) = self.known.iter().position(|(p, _, _)| p == paragraph) {
            return i;
        }
        let said = speak(paragraph, phones);
        let count = syllables(&said);
        self.known.push((paragraph.to_string(), said, count));
        self.known.len() - 1
    }
}

/// `text` ending with a full stop (or its own `!`/`?`).
fn sentence(text: &str) -> String {
    let text = text.trim();
    if text.ends_with(['.', '!', '?']) { text.to_string() } else { format!("{text}.") }
}

/// One paragraph as spoken: URLs and Markdown marks left out, numbers in words, one line.
fn speak(paragraph: &str, phones: &[String]) -> String {
    let words = paragraph.split_whitespace().filter(|w| {
        !(holds(w, "://") || starts_with_ignoring_case(w, "www.") || holds_ignoring_case(w, "hxxp") || holds(w, "[.]"))
    });
    // The words one space apart, without Markdown marks; brackets are not read aloud: what they
    // hold is. (One pass into one string: issue 10.)
    let mut plain = String::with_capacity(paragraph.len());
    for (n, word) in words.enumerate() {
        if n > 0 {
            plain.push(' ');
        }
        plain.extend(word.chars().filter(|c| !matches!(c, '*' | '_' | '#' | '`' | '(' | ')' | '[' | ']')));
    }
    read_aloud(&plain, phones)
}

fn starts_with_ignoring_case(word: &str, prefix: &str) -> bool {
    word.as_bytes().get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Whether `word` holds `needle` (words are short: no searcher to set up, as `str::contains` does).
fn holds(word: &str, needle: &str) -> bool {
    word.as_bytes().windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn holds_ignoring_case(word: &str, needle: &str) -> bool {
    word.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(signs: &'a [String], actions: &'a [String], max_seconds: usize) -> Parts<'a> {
        Parts {
            opening: "Kính thưa bà con.",
            closing: "Xin cảm ơn bà con đã lắng nghe.",
            title: "Giả danh công an gọi điện",
            summary: "Kẻ gian đòi chuyển 500.000 đồng. Xem https://x.vn/a để biết thêm. Câu ba.",
            signs,
            actions,
            hotline_number: "113",
            hotline_label: "Công an (khẩn cấp)",
            phones: &[],
            max_seconds,
        }
    }

    #[test]
    fn a_derived_script_is_spoken_text_within_the_limit_issue_12() {
        let signs: Vec<String> =
            ["Gọi từ số lạ", "Doạ bắt trong 24 giờ", "Đòi giữ bí mật", "Thêm"].map(String::from).into();
        let actions: Vec<String> =
            ["Cúp máy", "Gọi lại Công an phường", "Không chuyển tiền", "Thêm"].map(String::from).into();
        let radio = derive(&parts(&signs, &actions, 90));
        assert!(radio.seconds <= 90, "{}", radio.seconds);
        let s = &radio.script;
        assert!(
            s.starts_with("Kính thưa bà con.\n\nGiả danh công an gọi điện.\n\nKẻ gian đòi chuyển năm trăm nghìn đồng."),
            "{s}"
        );
        assert!(s.contains("Dấu hiệu nhận biết: Gọi từ số lạ; Doạ bắt trong hai mươi tư giờ; Đòi giữ bí mật."), "{s}");
        assert!(s.contains("Cách phòng tránh: Cúp máy; Gọi lại Công an phường; Không chuyển tiền."), "{s}");
        assert!(s.contains("gọi ngay Công an khẩn cấp, số một một ba."), "{s}");
        assert!(s.ends_with("Xin cảm ơn bà con đã lắng nghe."), "{s}");
        assert!(!s.contains("Thêm") && !s.contains("http") && !s.chars().any(|c| c.is_ascii_digit()), "{s}");
        assert!(radio.file().starts_with("[Ghi chú, không đọc: bài đọc khoảng "), "{}", radio.file());
    }

    #[test]
    fn a_short_limit_keeps_what_to_do_first_issue_12() {
        let signs: Vec<String> = vec!["Dấu hiệu một".into()];
        let actions: Vec<String> = vec!["Cúp máy ngay".into()];
        let full = derive(&parts(&signs, &actions, 600));
        let base = derive(&parts(&[], &[], 600));
        assert!(full.seconds > base.seconds);
        // Room for the summary's first sentence and what to do, not for the signs.
        let limit = derive(&parts(&[], &actions, 600)).seconds;
        let radio = derive(&parts(&signs, &actions, limit));
        assert!(radio.script.contains("Cúp máy ngay") && !radio.script.contains("Dấu hiệu một"), "{}", radio.script);
    }

    #[test]
    fn reading_time_issue_12() {
        let radio = Radio::new("một ".repeat(200));
        assert_eq!((radio.syllables, radio.seconds), (200, 75));
        assert_eq!(radio.duration_vi(), "1 phút 15 giây");
        assert_eq!(Radio::new("a b".into()).duration_vi(), "1 giây");
    }
}
