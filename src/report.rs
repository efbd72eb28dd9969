//! Problems shown the way a compiler shows them: the file and position, the message, the source
//! line with a caret under the spot, and a `help` line.
//!
//! ```text
//! error: content/articles/x.md:4:9: unknown scam type "gia-danh-cong-ann"
//!   |
//! 4 | scams: [gia-danh-cong-ann]
//!   |         ^^^^^^^^^^^^^^^^^
//!   |
//!   = help: did you mean "gia-danh-cong-an"?
//! ```
//!
//! The snippet is laid out by annotate-snippets; the first line keeps `path:line:column` at
//! its start for editors that jump to it. Messages are [`crate::messages::Message`]s, put in the
//! editor's language here. Rendering is pure ([`render`]); the source text is read at report
//! time from the site root by [`Reporter`]. Text is styled with anstyle and written through
//! anstream, which drops the colours when standard error is not a terminal or `NO_COLOR` is set
//! (and keeps them with `CLICOLOR_FORCE`).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};

use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::i18n::Lang;
use crate::messages::{self, Message, MessageError};
use crate::progress::Progress;

/// The styles of the words before a message (the same as annotate-snippets' own).
pub const ERROR: Style = AnsiColor::BrightRed.on_default().bold();
pub const WARNING: Style = AnsiColor::BrightYellow.on_default().bold();
pub const HELP: Style = AnsiColor::BrightCyan.on_default().bold();
pub const BOLD: Style = Style::new().bold();

/// `text` in `style` (the escape codes are removed on output where colour is off).
pub fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// `error: message` (`lỗi: …`), styled. Control characters of the text (an error of the system
/// can carry a file's) are shown escaped ([`messages::escaped`]), never sent to the terminal; a
/// [`Message`]'s text is escaped already.
pub fn headline(style: Style, word: &str, message: &str) -> String {
    let message = messages::escaped(message);
    format!("{}{} {}", paint(style, word), paint(BOLD, ":"), paint(BOLD, &message))
}

/// One diagnostic, rendered with colour codes. `source` is the text of the file it points
/// into, if readable.
pub fn render(d: &Diagnostic, source: Option<&str>, lang: Lang) -> String {
    let location = d.location();
    let message = d.message.text(lang);
    let title = if location.is_empty() { message } else { format!("{location}: {message}") };
    let mut group = Group::with_title(Level::ERROR.with_name(lang.error()).primary_title(title));
    let line = d.line.and_then(|line| Some((line, source?.split('\n').nth(line.checked_sub(1)?)?)));
    // Messages come escaped (`Message::text`); annotate-snippets shows the source's control
    // characters as symbols.
    let help = d.help.as_ref().map(|help| help.text(lang));
    let Some((number, text)) = line else {
        // No source line to show: the help on its own line under the message.
        let out = Renderer::styled().render(&[group]);
        return match &d.help {
            Some(help) => format!("{out}\n{}", help_line(help, lang)),
            None => out,
        };
    };
    {
        let text = text.replace('\t', "    ");
        let mut snippet = Snippet::source(text.clone()).line_start(number).fold(false);
        if let Some(column) = d.column.filter(|c| *c >= 1) {
            let start: usize = text.chars().take(column - 1).map(char::len_utf8).sum();
            let len: usize = text[start..].chars().take(token_len(&text, column - 1)).map(char::len_utf8).sum();
            snippet = snippet.annotation(AnnotationKind::Primary.span(start..start + len));
        }
        group = group.element(snippet);
    }
    if let Some(help) = help {
        group = group.element(Level::HELP.with_name(lang.help()).message(help));
    }
    Renderer::styled().render(&[group])
}

/// A help line on its own, `help: …` (`gợi ý: …`), as under a diagnostic without a source line.
fn help_line(help: &Message, lang: Lang) -> String {
    let help = help.text(lang);
    Renderer::styled().render(&[Group::with_title(Level::HELP.with_name(lang.help()).secondary_title(help))])
}

/// How many characters to underline from `start` (a character index): a quoted string up to its
/// closing quote, else a run of characters up to a space or YAML punctuation; at least one.
fn token_len(line: &str, start: usize) -> usize {
    let chars: Vec<char> = line.chars().skip(start).collect();
    let Some(&first) = chars.first() else { return 1 };
    if first == '"' || first == '\'' {
        return chars.iter().skip(1).position(|&c| c == first).map_or(chars.len(), |i| i + 2);
    }
    chars.iter().position(|c| c.is_whitespace() || ",[]{}#".contains(*c)).unwrap_or(chars.len()).max(1)
}

/// Text without its colour codes.
pub fn plain(text: &str) -> String {
    anstream::adapter::strip_str(text).to_string()
}

/// Prints errors and summaries to standard error in the user's language.
#[derive(Debug, Clone)]
pub struct Reporter {
    pub lang: Lang,
    pub quiet: bool,
    /// The site root, where the diagnostics' paths start.
    pub root: PathBuf,
}

impl Reporter {
    pub fn new(root: &Path, quiet: bool) -> Self {
        Reporter { lang: Lang::from_env(), quiet, root: root.to_path_buf() }
    }

    /// Every diagnostic, rendered with its source line, separated by blank lines (styled).
    pub fn render_all(&self, problems: &[Diagnostic]) -> String {
        let mut files: std::collections::HashMap<&str, Option<String>> = Default::default();
        let mut out = Vec::new();
        for d in problems {
            let source = files.entry(d.path.as_str()).or_insert_with(|| read_source(&self.root.join(&d.path)));
            out.push(render(d, source.as_deref(), self.lang));
        }
        out.join("\n\n")
    }

    /// An error's text in the editor's language: a [`MessageError`] is translated, any other
    /// error is shown as it is, its control characters escaped.
    fn error_text(&self, err: &(dyn std::error::Error + 'static)) -> String {
        match err.downcast_ref::<MessageError>() {
            Some(MessageError(message)) => message.text(self.lang),
            None => messages::escaped(&err.to_string()),
        }
    }

    /// The error of a failed command. `failed` is the closing line for content problems
    /// (e.g. [`Lang::build_failed`]). Returns the plain text too, for the browser overlay.
    pub fn error(&self, err: &anyhow::Error, failed: impl Fn(usize) -> String) -> String {
        let text = match (err.downcast_ref::<ContentErrors>(), err.downcast_ref::<Diagnostic>()) {
            (Some(problems), _) => format!(
                "{}\n\n{}",
                self.render_all(&problems.0),
                headline(ERROR, self.lang.error(), &failed(problems.0.len()))
            ),
            // One problem that stops the command on its own (a refused output folder).
            (None, Some(problem)) => self.render_all(std::slice::from_ref(problem)),
            (None, None) => {
                // A message given as context is found by downcasting the error itself.
                let head = match err.downcast_ref::<MessageError>() {
                    Some(MessageError(message)) => message.text(self.lang),
                    None => self.error_text(err.as_ref()),
                };
                let mut s = headline(ERROR, self.lang.error(), &head);
                for cause in err.chain().skip(1) {
                    s.push_str(&format!("\n  {}: {}", self.lang.caused_by(), self.error_text(cause)));
                }
                s
            }
        };
        anstream::eprintln!("{text}");
        plain(&text)
    }

    /// A refusal of a command (not an error of the site): the message and an optional help line.
    pub fn refuse(&self, message: &str, help: Option<&str>) {
        anstream::eprintln!("{}", headline(ERROR, self.lang.error(), message));
        if let Some(help) = help {
            anstream::eprintln!("  {}{} {help}", paint(HELP, self.lang.help()), paint(BOLD, ":"));
        }
    }

    /// A warning: something the editor should know that did not stop the command (shown even
    /// with `--quiet`), on one line: `warning: path:line:column: message`, then its help line
    /// (`help: …`) if it has one.
    pub fn warn(&self, warning: &Diagnostic) {
        let location = warning.location();
        let message = warning.message.text(self.lang);
        let line = if location.is_empty() { message } else { format!("{location}: {message}") };
        self.warn_line(&line);
        if let Some(help) = &warning.help {
            anstream::eprintln!("{}", help_line(help, self.lang));
        }
    }

    /// A warning of the command itself (a sentence of [`Lang`], not about the site).
    pub fn warn_line(&self, line: &str) {
        let line = messages::escaped(line);
        anstream::eprintln!("{}{} {line}", paint(WARNING, self.lang.warning()), paint(BOLD, ":"));
    }

    /// A line of progress or a summary (not shown with `--quiet`).
    pub fn info(&self, line: &str) {
        if !self.quiet {
            eprintln!("{line}");
        }
    }

    /// A spinner on standard error while `work` runs, if it runs longer than a moment and
    /// standard error is a terminal (never with `--quiet`).
    pub fn with_progress<T>(&self, progress: Option<&Arc<Progress>>, work: impl FnOnce() -> T) -> T {
        if self.quiet || !std::io::stderr().is_terminal() {
            return work();
        }
        let done = Arc::new(AtomicBool::new(false));
        let spinner = {
            let done = done.clone();
            let progress = progress.cloned();
            let label = self.lang.building();
            std::thread::spawn(move || spin(&done, progress.as_deref(), label))
        };
        let result = work();
        done.store(true, Ordering::SeqCst);
        let _ = spinner.join();
        result
    }
}

/// Draws a spinner, or a bar when the work reports its progress, once the work has taken
/// longer than a moment; clears its line at the end.
fn spin(done: &AtomicBool, progress: Option<&Progress>, label: &str) {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let start = Instant::now();
    let mut shown = false;
    let mut frame = 0;
    while !done.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(80));
        if start.elapsed() < Duration::from_millis(400) {
            continue;
        }
        shown = true;
        let seconds = start.elapsed().as_secs_f64();
        let spinner = FRAMES[frame % FRAMES.len()];
        match progress.map(Progress::get) {
            Some((n, total)) if total > 0 => eprint!("\r{spinner} {label} {} {seconds:.1} s ", bar(n, total)),
            _ => eprint!("\r{spinner} {label}… {seconds:.1} s "),
        }
        frame += 1;
    }
    if shown {
        // Clear the spinner's line.
        eprint!("\r\x1b[2K");
    }
}

/// `[########------------] 40 % (4000/10000)`
fn bar(done: usize, total: usize) -> String {
    const WIDTH: usize = 24;
    let done = done.min(total);
    let filled = done * WIDTH / total;
    format!("[{}{}] {:>3} % ({done}/{total})", "#".repeat(filled), "-".repeat(WIDTH - filled), done * 100 / total)
}

/// `dir` for messages: relative to the current folder when inside it.
pub fn display_path(dir: &Path) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let abs = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    match abs.strip_prefix(&cwd) {
        Ok(rel) if rel.as_os_str().is_empty() => ".".into(),
        Ok(rel) => crate::content::slash_path(rel),
        Err(_) => abs.display().to_string(),
    }
}

/// The text of a source file as the library saw it (UTF-8, LF, NFC), if it can be read.
fn read_source(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    crate::text::decode_source(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::{Message, Vocabulary};

    #[test]
    fn progress_bar() {
        assert_eq!(bar(0, 10), "[------------------------]   0 % (0/10)");
        assert_eq!(bar(5, 10), "[############------------]  50 % (5/10)");
        assert_eq!(bar(12, 10), "[########################] 100 % (10/10)");
    }

    fn plain_render(d: &Diagnostic, source: Option<&str>, lang: Lang) -> String {
        plain(&render(d, source, lang))
    }

    #[test]
    fn renders_source_line_caret_and_help() {
        let d = Diagnostic::new(
            "content/articles/x.md",
            Message::UnknownTerm { vocabulary: Vocabulary::Scams, key: "gia-danh-cong-ann".into() },
        )
        .at(4, 9)
        .help(Message::DidYouMeanTerm { key: "gia-danh-cong-an".into() });
        let source = "---\ntitle: A\ndate: 2024-05-08\nscams: [gia-danh-cong-ann]\n---\n";
        let expected = "error: content/articles/x.md:4:9: unknown scam type \"gia-danh-cong-ann\"\n  |\n4 | scams: [gia-danh-cong-ann]\n  |         ^^^^^^^^^^^^^^^^^\n  |\n  = help: did you mean \"gia-danh-cong-an\"?";
        assert_eq!(plain_render(&d, Some(source), Lang::En), expected);
    }

    #[test]
    fn without_line_or_source_only_the_message() {
        let d = Diagnostic::new("site.yaml", Message::PaginateByZero);
        assert_eq!(plain_render(&d, None, Lang::En), "error: site.yaml: paginate_by must be at least 1");
        let d = Diagnostic::new("a.md", Message::TitleEmpty).at(2, 1);
        assert_eq!(plain_render(&d, None, Lang::Vi), "lỗi: a.md:2:1: tiêu đề (title) đang trống");
    }

    #[test]
    fn underlines_quoted_strings_and_counts_characters() {
        assert_eq!(token_len("title: \"Lừa đảo\" # x", 7), 9);
        assert_eq!(token_len("date: 2024-13-01", 6), 10);
        assert_eq!(token_len("", 0), 1);
        let d = Diagnostic::new("a.md", Message::TitleEmpty).at(1, 7);
        let out = plain_render(&d, Some("tiêu: \"đ\" x"), Lang::En);
        assert!(out.ends_with(&format!("1 | tiêu: \"đ\" x\n  | {}^^^", " ".repeat(6))), "{out}");
    }

    #[test]
    fn control_characters_of_a_file_never_reach_the_terminal() {
        let hostile = "a\x1b]0;pwned\x07\x1b[2Jb";
        let d = Diagnostic::new("a.md", Message::BadSlug { wanted: hostile.into() })
            .at(1, 1)
            .help(Message::Example { value: hostile.into() });
        let out = render(&d, Some(hostile), Lang::En);
        assert!(!out.contains("\x1b]") && !out.contains("\x1b[2J") && !out.contains('\x07'), "{out:?}");
        let out = headline(ERROR, "error", hostile);
        assert!(!out.contains("\x1b]") && !out.contains('\x07'), "{out:?}");
    }

    #[test]
    fn message_errors_and_their_context_are_translated() {
        let inner: anyhow::Error = Message::Template { detail: "Unknown filter `x`".into() }.into();
        let err =
            inner.context(MessageError(Message::RenderFailed { path: "/a/".into(), template: "article.html".into() }));
        let reporter = Reporter { lang: Lang::Vi, quiet: true, root: PathBuf::new() };
        assert_eq!(
            reporter.error(&err, |n| n.to_string()),
            "lỗi: không tạo được trang `/a/` bằng giao diện `article.html`\n  nguyên nhân: lỗi giao diện (template): Unknown filter `x`"
        );
        let plain_error = anyhow::anyhow!("cannot read `x`");
        assert_eq!(
            Reporter { lang: Lang::En, ..reporter }.error(&plain_error, |n| n.to_string()),
            "error: cannot read `x`"
        );
    }

    #[test]
    fn colour_codes_are_written_and_can_be_stripped() {
        let d = Diagnostic::new("a.md", Message::TitleEmpty);
        assert!(render(&d, None, Lang::En).contains('\x1b'));
        assert!(!plain_render(&d, None, Lang::En).contains('\x1b'));
    }
}
