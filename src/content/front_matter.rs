//! Splitting a Markdown source into its YAML front matter and body (pure, no I/O).

use crate::messages::Message;

/// A source split at its front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Number of lines before the YAML (the opening `---`), to map YAML lines to file lines.
    pub yaml_line_offset: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` (already LF-normalised) at `---` lines.
pub fn split(text: &str) -> Result<Split<'_>, Message> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Message::MissingFrontMatter);
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(lines) {
        if l.trim_end() == "---" {
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line_offset: 1,
                body: &text[offset + l.len()..],
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Message::UnclosedFrontMatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
        assert_eq!(s.yaml_line_offset, 1);
    }

    #[test]
    fn empty_body_and_trailing_spaces() {
        let s = split("---  \ntitle: A\n---").unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "");
    }

    #[test]
    fn rejects_missing_or_unclosed() {
        assert_eq!(split("# no front matter\n").unwrap_err(), Message::MissingFrontMatter);
        assert_eq!(split("---\ntitle: A\n").unwrap_err(), Message::UnclosedFrontMatter);
        assert!(split("").is_err());
    }
}
