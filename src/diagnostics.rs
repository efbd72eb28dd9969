//! Problems found in a site's sources, reported together as `path:line:column: message`.
//!
//! Validation never stops at the first problem: every stage pushes into a list, and the build
//! fails at the end of validation with all of them (see [`ContentErrors`]). A diagnostic's message
//! and help are [`Message`]s (data); their text is made in the editor's language when they are
//! printed ([`crate::report`]). See [`crate::messages`] for how to add one.

use std::fmt;

pub use crate::messages::Message;
use crate::messages::Vocabulary;

/// One problem in one source file (or a warning; a warning about no file has an empty path).
/// Sorted by file, line, column, then English text (not by the order of [`Message`]'s variants).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, relative to the site root with `/` separators (e.g. `content/articles/x.md`).
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters), where known.
    pub column: Option<usize>,
    /// Boxed, as is the help: a diagnostic travels in `Result`s and a message can be large.
    pub message: Box<Message>,
    /// A suggestion such as `did you mean "title"?`.
    pub help: Option<Box<Message>>,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, message: Message) -> Self {
        Diagnostic { path: path.into(), line: None, column: None, message: Box::new(message), help: None }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: Message) -> Self {
        self.help = Some(Box::new(help));
        self
    }

    /// Sets the help line when there is one.
    pub fn maybe_help(mut self, help: Option<impl Into<Box<Message>>>) -> Self {
        self.help = help.map(Into::into);
        self
    }

    /// `path:line:column`, `path:line` or `path` (empty for a warning about no file).
    pub fn location(&self) -> String {
        let mut location = self.path.clone();
        if let Some(line) = self.line {
            location.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                location.push_str(&format!(":{column}"));
            }
        }
        location
    }
}

impl Ord for Diagnostic {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.path, self.line, self.column)
            .cmp(&(&other.path, other.line, other.column))
            .then_with(|| self.message.to_string().cmp(&other.message.to_string()))
            .then_with(|| self.help.cmp(&other.help))
    }
}

impl PartialOrd for Diagnostic {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// English, one line for the problem and one for the help.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location();
        if !location.is_empty() {
            write!(f, "{location}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// A diagnostic is an error on its own when a command stops at one problem about no source line
/// (a refused output folder): the binary renders it like the others, help line included.
impl std::error::Error for Diagnostic {}

/// Every problem found while validating a site; the build's error when there is at least one.
#[derive(Debug)]
pub struct ContentErrors(pub Vec<Diagnostic>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Up to `n` candidates, closest first (for "known terms are: ...").
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>, n: usize) -> Vec<&'a str> {
    let mut scored: Vec<(f64, &str)> = candidates.into_iter().map(|c| (strsim::jaro_winkler(word, c), c)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}

/// Converts a serde-saphyr error to a diagnostic. `line_offset` is the number of lines before
/// the YAML text in its file (front matter starts after the opening `---`). An unknown field gets
/// the nearest valid field as help; a missing field is reported at the start of the YAML (the
/// parser only knows where the mapping ended); anything else carries the parser's text, capped.
pub fn from_yaml_error(path: &str, line_offset: usize, err: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    let mut inner = err.without_snippet();
    while let E::AliasError { error, .. } = inner {
        inner = error.without_snippet();
    }
    let at = |d: Diagnostic| match inner.location().or_else(|| err.location()) {
        Some(l) if l.line() > 0 => d.at(l.line() as usize + line_offset, (l.column() as usize).max(1)),
        _ => d.at(line_offset.max(1), 1),
    };
    match inner {
        E::SerdeUnknownField { field, expected, .. } => {
            let expected: Vec<String> = expected.iter().map(|f| f.to_string()).collect();
            let help = match nearest(field, expected.iter().map(String::as_str)) {
                Some(best) => Message::DidYouMeanField { field: best.to_string() },
                None => Message::ValidFields { fields: expected.clone() },
            };
            let field = field.to_string();
            at(Diagnostic::new(path, Message::UnknownField { field, expected })).help(help)
        }
        E::SerdeUnknownVariant { variant, expected, .. } => {
            let expected: Vec<String> = expected.iter().map(|f| f.to_string()).collect();
            let help = nearest(variant, expected.iter().map(String::as_str))
                .map(|best| Box::new(Message::DidYouMeanTerm { key: best.to_string() }));
            let value = variant.to_string();
            at(Diagnostic::new(path, Message::UnknownChoice { value, expected })).maybe_help(help)
        }
        E::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("?").to_string();
            at(Diagnostic::new(path, Message::DuplicateKey { key }))
        }
        E::SerdeMissingField { field, .. } => Diagnostic::new(path, Message::MissingField { field: field.to_string() })
            .at(line_offset.max(1), 1)
            .help(Message::AddField { field: field.to_string() }),
        E::Budget { breach, .. } => at(Diagnostic::new(path, Message::YamlBudget { limit: format!("{breach:?}") })),
        _ => {
            let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
            let rendered = inner.render_with_options(options);
            // serde-saphyr appends " at line N, column M"; the location is reported separately.
            let detail = match rendered.rfind(" at line ") {
                Some(i) => &rendered[..i],
                None => &rendered,
            };
            at(Diagnostic::new(path, Message::Yaml { detail: detail.to_string() }))
        }
    }
}

/// The diagnostic of a key that a vocabulary of site.yaml does not define, with the nearest
/// defined keys as help.
pub fn unknown_term<'a>(
    path: &str,
    vocabulary: Vocabulary,
    key: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let help = match nearest(key, known.clone()) {
        Some(best) => Message::DidYouMeanTerm { key: best.to_string() },
        None => {
            let keys: Vec<String> = closest(key, known, 5).into_iter().map(String::from).collect();
            if keys.is_empty() { Message::NoTermsYet { vocabulary } } else { Message::KnownTerms { vocabulary, keys } }
        }
    };
    Diagnostic::new(path, Message::UnknownTerm { vocabulary, key: key.to_string() }).help(help)
}

/// Control characters written in a source file (site.yaml, an article: front matter and body).
pub fn control_problems(path: &str, text: &str) -> Vec<Diagnostic> {
    crate::sanitize::control_positions(text).into_iter().map(|found| control_at(path, found, 0)).collect()
}

/// A control character written as a double-quoted escape (`"\x1b"`) in YAML (site.yaml, or
/// front matter starting after `line_offset` lines).
pub fn yaml_control_problem(path: &str, yaml: &str, line_offset: usize) -> Option<Diagnostic> {
    crate::sanitize::yaml_escaped_control(yaml).map(|found| control_at(path, found, line_offset))
}

fn control_at(path: &str, (line, column, c): (usize, usize, char), line_offset: usize) -> Diagnostic {
    Diagnostic::new(path, Message::ControlCharacter { code: c as u32 })
        .at(line + line_offset, column)
        .help(Message::ControlCharacterHelp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_and_help() {
        let d = Diagnostic::new("content/a.md", Message::UnknownField { field: "titel".into(), expected: vec![] })
            .at(3, 1)
            .help(Message::DidYouMeanField { field: "title".into() });
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: unknown field `titel`, expected one of \n  help: did you mean `title`?"
        );
        assert_eq!(
            Diagnostic::new("site.yaml", Message::PaginateByZero).to_string(),
            "site.yaml: paginate_by must be at least 1"
        );
        assert_eq!(Diagnostic::new("", Message::ChromiumNotFound).location(), "");
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Two {
        title: String,
        date: String,
    }

    #[test]
    fn yaml_errors_become_messages() {
        let err = serde_saphyr::from_str::<Two>("date: x\ntitel: A\n").unwrap_err();
        let d = from_yaml_error("a.md", 1, &err);
        assert_eq!(
            *d.message,
            Message::UnknownField { field: "titel".into(), expected: vec!["title".into(), "date".into()] }
        );
        assert_eq!(d.help.as_deref(), Some(&Message::DidYouMeanField { field: "title".into() }));
        assert_eq!((d.line, d.column), (Some(3), Some(1)));
        let err = serde_saphyr::from_str::<Two>("zzz: 1\n").unwrap_err();
        let d = from_yaml_error("a.md", 1, &err);
        assert_eq!(d.help.as_deref(), Some(&Message::ValidFields { fields: vec!["title".into(), "date".into()] }));
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Severity {
        Info,
        Urgent,
    }

    #[test]
    fn unknown_choices_and_repeated_keys_are_messages_of_ours() {
        let err = serde_saphyr::from_str::<Severity>("urgnt\n").unwrap_err();
        let d = from_yaml_error("a.md", 1, &err);
        let expected = vec!["info".into(), "urgent".into()];
        assert_eq!(*d.message, Message::UnknownChoice { value: "urgnt".into(), expected });
        assert_eq!(d.help.as_deref(), Some(&Message::DidYouMeanTerm { key: "urgent".into() }));
        let err = serde_saphyr::from_str::<Two>("title: a\ndate: b\ntitle: c\n").unwrap_err();
        let d = from_yaml_error("a.md", 1, &err);
        assert_eq!(d.to_string(), "a.md:4:1: `title` is written twice: keep one");
        let _ = (Severity::Info, Severity::Urgent);
    }

    #[test]
    fn a_missing_field_is_reported_at_the_start_not_at_another_key() {
        let err = serde_saphyr::from_str::<Two>("date: x\n\n\n# end\n").unwrap_err();
        let d = from_yaml_error("site.yaml", 0, &err);
        assert_eq!(
            d.to_string(),
            "site.yaml:1:1: missing field `title`\n  help: add a line `title: …` with the other fields"
        );
    }

    #[test]
    fn a_huge_yaml_error_is_capped() {
        let yaml = format!("title: {}\ndate: [\"{}\n", "[".repeat(5000), "x".repeat(60_000));
        let err = serde_saphyr::from_str::<Two>(&yaml).unwrap_err();
        let d = from_yaml_error("a.md", 1, &err);
        assert!(d.to_string().chars().count() < 600, "{}", d.to_string().len());
    }

    #[test]
    fn nearest_ignores_far_words() {
        assert_eq!(nearest("gia-danh-cong-ann", ["gia-danh-cong-an", "deepfake"]), Some("gia-danh-cong-an"));
        assert_eq!(nearest("xyz", ["gia-danh-cong-an", "deepfake"]), None);
    }
}
