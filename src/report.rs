//! Problems shown the way a compiler shows them: the file and position, the message, the source
//! line with a caret under the spot, and a `help:` line.
//!
//! ```text
//! error: content/articles/x.md:4:9: unknown scam type "gia-danh-cong-ann"
//!   |
//! 4 | scams: [gia-danh-cong-ann]
//!   |         ^^^^^^^^^^^^^^^^^
//!   help: did you mean "gia-danh-cong-an"?
//! ```
//!
//! Rendering is pure ([`render`]); the source text is read at report time from the site root by
//! [`Reporter`]. Colour is used only on a terminal and never when `NO_COLOR` is set.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::i18n::Lang;
use crate::progress::Progress;

/// ANSI styles, or nothing when colour is off.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub color: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }
    pub fn error(self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    pub fn warning(self, text: &str) -> String {
        self.wrap("1;33", text)
    }
    pub fn help(self, text: &str) -> String {
        self.wrap("1;36", text)
    }
    pub fn gutter(self, text: &str) -> String {
        self.wrap("1;34", text)
    }
    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }
    pub fn success(self, text: &str) -> String {
        self.wrap("1;32", text)
    }
}

/// Whether to colour the standard error stream: never with `NO_COLOR` (any non-empty value),
/// always with `CLICOLOR_FORCE` (non-empty, not `0`), else only on a terminal that is not `dumb`.
pub fn stderr_color() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if set("CLICOLOR_FORCE") {
        return true;
    }
    std::io::stderr().is_terminal() && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

/// One diagnostic, rendered. `source` is the text of the file it points into, if readable.
pub fn render(d: &Diagnostic, source: Option<&str>, lang: Lang, paint: Paint) -> String {
    let mut location = d.path.clone();
    if let Some(line) = d.line {
        location.push_str(&format!(":{line}"));
        if let Some(column) = d.column {
            location.push_str(&format!(":{column}"));
        }
    }
    let mut out = format!(
        "{}{} {}",
        paint.error(lang.error()),
        paint.bold(":"),
        paint.bold(&format!("{location}: {}", lang.diagnostic(&d.message)))
    );
    let snippet = d.line.and_then(|line| Some((line, source?.split('\n').nth(line.checked_sub(1)?)?)));
    let width = d.line.map_or(1, |l| l.to_string().len());
    let pad = " ".repeat(width);
    if let Some((line, text)) = snippet {
        let text = text.replace('\t', "    ");
        out.push_str(&format!("\n{}", paint.gutter(&format!("{pad} |"))));
        out.push_str(&format!("\n{} {text}", paint.gutter(&format!("{line:>width$} |"))));
        if let Some(column) = d.column.filter(|c| *c >= 1) {
            let before: String = text.chars().take(column - 1).map(|_| ' ').collect();
            let marks = "^".repeat(token_len(&text, column - 1));
            out.push_str(&format!("\n{} {before}{}", paint.gutter(&format!("{pad} |")), paint.error(&marks)));
        }
    }
    if let Some(help) = &d.help {
        let help = lang.diagnostic(help);
        let help = help.replace('\n', "\n        ");
        out.push_str(&format!("\n  {}{} {help}", paint.help(lang.help()), paint.bold(":")));
    }
    out
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

/// Prints errors and summaries to standard error in the user's language.
#[derive(Debug, Clone)]
pub struct Reporter {
    pub lang: Lang,
    pub paint: Paint,
    pub quiet: bool,
    /// The site root, where the diagnostics' paths start.
    pub root: PathBuf,
}

impl Reporter {
    pub fn new(root: &Path, quiet: bool) -> Self {
        Reporter { lang: Lang::from_env(), paint: Paint { color: stderr_color() }, quiet, root: root.to_path_buf() }
    }

    /// Every diagnostic, rendered with its source line, separated by blank lines.
    pub fn render_all(&self, problems: &[Diagnostic], paint: Paint) -> String {
        let mut files: std::collections::HashMap<&str, Option<String>> = Default::default();
        let mut out = Vec::new();
        for d in problems {
            let source = files.entry(d.path.as_str()).or_insert_with(|| read_source(&self.root.join(&d.path)));
            out.push(render(d, source.as_deref(), self.lang, paint));
        }
        out.join("\n\n")
    }

    /// The error of a failed command. `failed` is the closing line for content problems
    /// (e.g. [`Lang::build_failed`]). Returns the plain text too, for the browser overlay.
    pub fn error(&self, err: &anyhow::Error, failed: impl Fn(usize) -> String) -> String {
        let text = |paint: Paint| match err.downcast_ref::<ContentErrors>() {
            Some(problems) => format!(
                "{}\n\n{}{} {}",
                self.render_all(&problems.0, paint),
                paint.error(self.lang.error()),
                paint.bold(":"),
                failed(problems.0.len())
            ),
            None => {
                let message = self.lang.diagnostic(&err.to_string());
                let mut s = format!("{}{} {message}", paint.error(self.lang.error()), paint.bold(":"));
                for cause in err.chain().skip(1) {
                    s.push_str(&format!("\n  {}: {cause}", self.lang.caused_by()));
                }
                s
            }
        };
        eprintln!("{}", text(self.paint));
        text(Paint { color: false })
    }

    /// A warning: something the editor should know that did not stop the command (shown even
    /// with `--quiet`).
    pub fn warn(&self, message: &str) {
        let paint = self.paint;
        eprintln!("{}{} {}", paint.warning(self.lang.warning()), paint.bold(":"), self.lang.diagnostic(message));
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

    #[test]
    fn progress_bar() {
        assert_eq!(bar(0, 10), "[------------------------]   0 % (0/10)");
        assert_eq!(bar(5, 10), "[############------------]  50 % (5/10)");
        assert_eq!(bar(12, 10), "[########################] 100 % (10/10)");
    }

    const PLAIN: Paint = Paint { color: false };

    #[test]
    fn renders_source_line_caret_and_help() {
        let d = Diagnostic::new("content/articles/x.md", "unknown scam type \"gia-danh-cong-ann\"")
            .at(4, 9)
            .help("did you mean \"gia-danh-cong-an\"?");
        let source = "---\ntitle: A\ndate: 2024-05-08\nscams: [gia-danh-cong-ann]\n---\n";
        let expected = "error: content/articles/x.md:4:9: unknown scam type \"gia-danh-cong-ann\"\n  |\n4 | scams: [gia-danh-cong-ann]\n  |         ^^^^^^^^^^^^^^^^^\n  help: did you mean \"gia-danh-cong-an\"?";
        assert_eq!(render(&d, Some(source), Lang::En, PLAIN), expected);
    }

    #[test]
    fn without_line_or_source_only_the_message() {
        let d = Diagnostic::new("site.yaml", "paginate_by must be at least 1");
        assert_eq!(render(&d, None, Lang::En, PLAIN), "error: site.yaml: paginate_by must be at least 1");
        let d = Diagnostic::new("a.md", "title is empty").at(2, 1);
        assert_eq!(render(&d, None, Lang::Vi, PLAIN), "lỗi: a.md:2:1: tiêu đề (title) đang trống");
    }

    #[test]
    fn underlines_quoted_strings_and_counts_characters() {
        assert_eq!(token_len("title: \"Lừa đảo\" # x", 7), 9);
        assert_eq!(token_len("date: 2024-13-01", 6), 10);
        assert_eq!(token_len("", 0), 1);
        let d = Diagnostic::new("a.md", "m").at(1, 7);
        let out = render(&d, Some("tiêu: \"đ\" x"), Lang::En, PLAIN);
        assert!(out.ends_with(&format!("1 | tiêu: \"đ\" x\n  | {}^^^", " ".repeat(6))), "{out}");
    }

    #[test]
    fn colour_codes_only_when_asked() {
        let d = Diagnostic::new("a.md", "m");
        assert!(render(&d, None, Lang::En, Paint { color: true }).contains("\x1b[1;31merror"));
        assert!(!render(&d, None, Lang::En, PLAIN).contains('\x1b'));
    }
}
