//! Problems found in a site's sources, reported together as `path:line:column: message`.
//!
//! Validation never stops at the first problem: every stage pushes into a list, and the build
//! fails at the end of validation with all of them (see [`ContentErrors`]).

use std::fmt;

/// One problem in one source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file, relative to the site root with `/` separators (e.g. `content/articles/x.md`).
    pub path: String,
    /// 1-based line, where known.
    pub line: Option<usize>,
    /// 1-based column (in characters), where known.
    pub column: Option<usize>,
    pub message: String,
    /// A suggestion such as `did you mean "title"?`.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { path: path.into(), line: None, column: None, message: message.into(), help: None }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

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
/// the YAML text in its file (front matter starts after the opening `---`). For an unknown
/// field, the help names the nearest valid field.
pub fn from_yaml_error(path: &str, line_offset: usize, err: &serde_saphyr::Error) -> Diagnostic {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = err.render_with_options(options);
    // serde-saphyr appends " at line N, column M"; the location is reported separately.
    let message = match rendered.rfind(" at line ") {
        Some(i) => rendered[..i].to_string(),
        None => rendered,
    };
    let mut diagnostic = Diagnostic::new(path, message.clone());
    if let Some(location) = err.location() {
        diagnostic = diagnostic.at(location.line() as usize + line_offset, location.column() as usize);
    }
    if let Some(help) = unknown_field_help(&message) {
        diagnostic = diagnostic.help(help);
    }
    diagnostic
}

/// For serde's "unknown field `x`, expected one of a, b" (or "expected `a` or `b`"), suggests
/// the nearest expected field.
fn unknown_field_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let expected = expected.trim_start_matches(", expected ").trim_start_matches("one of ");
    let fields: Vec<&str> =
        expected.split([',', ' ']).map(|f| f.trim_matches('`')).filter(|f| !f.is_empty() && *f != "or").collect();
    match nearest(field, fields.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None => Some(format!("valid fields are: {}", fields.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_location_and_help() {
        let d = Diagnostic::new("content/a.md", "unknown field `titel`").at(3, 1).help("did you mean `title`?");
        assert_eq!(d.to_string(), "content/a.md:3:1: unknown field `titel`\n  help: did you mean `title`?");
        assert_eq!(Diagnostic::new("site.yaml", "boom").to_string(), "site.yaml: boom");
    }

    #[test]
    fn suggests_nearest_field() {
        let help = unknown_field_help("unknown field `titel`, expected one of title, date, summary");
        assert_eq!(help.as_deref(), Some("did you mean `title`?"));
        let help = unknown_field_help("unknown field `zzz`, expected `title` or `date`");
        assert_eq!(help.as_deref(), Some("valid fields are: title, date"));
    }

    #[test]
    fn nearest_ignores_far_words() {
        assert_eq!(nearest("gia-danh-cong-ann", ["gia-danh-cong-an", "deepfake"]), Some("gia-danh-cong-an"));
        assert_eq!(nearest("xyz", ["gia-danh-cong-an", "deepfake"]), None);
    }
}
