//! The printed-URL registry: `printed-urls.txt` in the site folder lists every URL ever put on
//! paper or on a screen, one a line, sorted, each followed by the item that printed it: the
//! short links of the leaflets and their variants, of the articles (printed on their posters,
//! screen cards, slides and handbook chapters, issue 14) and the SMS short links of both (issue
//! 12, marked ` (SMS)`). Paper lives for years, so a build fails if a registered URL would no
//! longer resolve; every successful build with the configured `base_url` adds the URLs of the
//! current items. Removing a line is a deliberate act of the editor.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::Result;

use crate::diagnostics::{Diagnostic, Message};
use crate::site::{RouteTable, Site};
use crate::{fs_util, text, urls};

pub const REGISTRY_FILE: &str = "printed-urls.txt";

const HEADER: &str = "\
# canhbao printed-URL registry: every URL ever printed or sent (QR codes, short links, SMS).
# Paper lives for years: the build fails if one of these URLs would no longer resolve.
# canhbao adds new lines itself; remove a line only when no printed copy is in circulation.
";

/// One registered URL and the note saying which leaflet printed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub note: String,
    pub line: usize,
}

/// Reads the registry of the site at `root` (no file: no entries).
pub fn read(root: &Path) -> Result<Vec<Entry>, Diagnostic> {
    let path = root.join(REGISTRY_FILE);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let bytes = fs_util::read(&path)
        .map_err(|e| Diagnostic::new(REGISTRY_FILE, Message::ReadFailed { error: format!("{e:#}") }))?;
    let text = text::decode_source(&bytes).map_err(|e| {
        Diagnostic::new(REGISTRY_FILE, Message::NotUtf8 { line: e.line, column: e.column }).at(e.line, e.column)
    })?;
    Ok(parse(&text))
}

pub fn parse(text: &str) -> Vec<Entry> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line_no = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (url, note) = match line.split_once(" #") {
                Some((url, note)) => (url.trim(), note.trim()),
                None => (line, ""),
            };
            Some(Entry { url: url.to_string(), note: note.to_string(), line: line_no })
        })
        .collect()
}

/// What the note of an SMS short link ends with: `content/articles/x.md (SMS)`.
pub const SMS_NOTE: &str = " (SMS)";

impl Entry {
    /// Whether the URL is an SMS short link (sent, not printed: `canhbao scans` counts it as SMS).
    pub fn is_sms(&self) -> bool {
        self.note.ends_with(SMS_NOTE)
    }
}

/// The URLs the site's published leaflets and articles print or send, with their notes: every
/// leaflet print's short link, every article's print short link, and the SMS short link of each.
pub fn printed(site: &Site) -> BTreeMap<String, String> {
    let short_links = &site.config.sections.short_links;
    let mut out = BTreeMap::new();
    let sms = |path: &str, source: &str| {
        (site.urls.permalink(&site.short_codes.sms_path(path)), format!("{source}{SMS_NOTE}"))
    };
    for l in site.leaflets.iter().filter(|l| !l.leaflet.draft) {
        let source = &l.leaflet.source.display;
        for print in l.prints(short_links) {
            let note = match print.variant {
                Some(v) => format!("{source} (variant {})", v.id),
                None => source.clone(),
            };
            out.insert(site.urls.permalink(&print.short_path), note);
        }
        let (url, note) = sms(&l.path, source);
        out.insert(url, note);
    }
    for a in site.articles.iter().filter(|a| !a.article.draft) {
        let source = &a.article.source.display;
        out.insert(crate::shortlinks::article_short_url(site, a), source.clone());
        let (url, note) = sms(&a.path, source);
        out.insert(url, note);
    }
    out
}

/// The output files a registered URL may resolve to.
pub trait Outputs {
    /// Whether the output has `file` (relative to the output folder, `/` separators).
    fn has(&self, file: &str) -> bool;
}

/// The build asks the route table: every file it will write, known before anything is rendered.
impl Outputs for RouteTable {
    fn has(&self, file: &str) -> bool {
        self.contains(file)
    }
}

impl Outputs for BTreeSet<&str> {
    fn has(&self, file: &str) -> bool {
        self.contains(file)
    }
}

/// Registered URLs that no longer resolve to a file of the output.
pub fn check(entries: &[Entry], base_url: &str, outputs: &impl Outputs) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for entry in entries {
        let path = entry.url.strip_prefix(base_url).filter(|p| p.starts_with('/'));
        let Some(path) = path else {
            problems.push(
                Diagnostic::new(
                    REGISTRY_FILE,
                    Message::PrintedUrlNotUnderBase {
                        url: entry.url.clone(),
                        printed_on: entry.note.clone(),
                        base_url: base_url.to_string(),
                    },
                )
                .at(entry.line, 1)
                .help(Message::KeepOldBaseUrl),
            );
            continue;
        };
        if !outputs.has(&urls::output_file(path)) {
            problems.push(
                Diagnostic::new(
                    REGISTRY_FILE,
                    Message::PrintedUrlGone { url: entry.url.clone(), printed_on: entry.note.clone() },
                )
                .at(entry.line, 1)
                .help(if entry.note.contains("/leaflets/") {
                    Message::RestorePrintedUrl
                } else {
                    Message::RestoreArticleShortLink
                }),
            );
        }
    }
    problems
}

/// Writes the registry with `printed` added, if that adds anything. Returns the URLs added.
pub fn update(root: &Path, entries: &[Entry], printed: &BTreeMap<String, String>) -> Result<Vec<String>> {
    let mut all: BTreeMap<&str, &str> = entries.iter().map(|e| (e.url.as_str(), e.note.as_str())).collect();
    let added: Vec<String> = printed.keys().filter(|url| !all.contains_key(url.as_str())).cloned().collect();
    if added.is_empty() {
        return Ok(added);
    }
    for (url, note) in printed {
        all.entry(url).or_insert(note);
    }
    let mut text = String::from(HEADER);
    for (url, note) in all {
        text.push_str(url);
        if !note.is_empty() {
            text.push_str(" # ");
            text.push_str(note);
        }
        text.push('\n');
    }
    let path = root.join(REGISTRY_FILE);
    let tmp = root.join(format!(".{REGISTRY_FILE}.tmp"));
    fs_util::write(&tmp, text.as_bytes())?;
    fs_util::rename(&tmp, &path)?;
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls_and_notes() {
        let entries =
            parse("# header\n\nhttps://a.vn/q/abcde/ # content/leaflets/x.md (variant p1)\nhttps://a.vn/q/zz/\n");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].url, "https://a.vn/q/abcde/");
        assert_eq!(entries[0].note, "content/leaflets/x.md (variant p1)");
        assert_eq!(entries[0].line, 3);
        assert_eq!(entries[1].note, "");
    }

    #[test]
    fn reports_urls_that_no_longer_resolve() {
        let entries = parse(
            "https://a.vn/q/abcde/ # content/leaflets/x.md\nhttps://a.vn/q/gone/ # content/leaflets/y.md\nhttps://old.vn/q/abcde/\n",
        );
        let outputs: BTreeSet<&str> = ["q/abcde/index.html"].into_iter().collect();
        let problems = check(&entries, "https://a.vn", &outputs);
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].line, Some(2));
        assert_eq!(
            *problems[0].message,
            Message::PrintedUrlGone { url: "https://a.vn/q/gone/".into(), printed_on: "content/leaflets/y.md".into() }
        );
        assert!(problems[0].message.to_string().contains("(printed on content/leaflets/y.md) no longer resolves"));
        assert!(matches!(*problems[1].message, Message::PrintedUrlNotUnderBase { .. }));
    }

    #[test]
    fn update_adds_sorted_and_keeps_old_lines() {
        let dir = tempfile::tempdir().unwrap();
        let old = parse("https://a.vn/q/zzz/ # gone.md\n");
        let printed: BTreeMap<String, String> = [("https://a.vn/q/aaa/".to_string(), "x.md".to_string())].into();
        assert_eq!(update(dir.path(), &old, &printed).unwrap(), vec!["https://a.vn/q/aaa/".to_string()]);
        let text = std::fs::read_to_string(dir.path().join(REGISTRY_FILE)).unwrap();
        assert!(text.ends_with("https://a.vn/q/aaa/ # x.md\nhttps://a.vn/q/zzz/ # gone.md\n"), "{text}");
        // Nothing new: the file is left alone.
        assert!(update(dir.path(), &parse(&text), &printed).unwrap().is_empty());
    }
}
