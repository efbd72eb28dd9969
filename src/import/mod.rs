//! `canhbao import`: moving an existing campaign site in, from a Blogger export, a WordPress
//! export (WXR) or a Hugo, Jekyll or Zola folder.
//!
//! The import reads top to bottom, like the build:
//!
//! ```text
//! detect the source -> read its posts (blogger, wordpress, folder) -> give each a new file
//!   -> map labels (mapping) -> convert bodies, links and pictures (convert, html_md, images)
//!   -> write what is new or still ours (record) -> check the site -> report
//! ```
//!
//! Nothing is written outside the site root, no file the import did not write (or that the
//! editor changed since) is overwritten, and a dry run writes nothing at all.

pub mod blogger;
pub mod convert;
pub mod dates;
pub mod folder;
pub mod html_md;
pub mod images;
pub mod mapping;
pub mod old_urls;
pub mod post;
pub mod record;
pub mod report;
pub mod wordpress;
pub mod xml;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;

use crate::config::Config;
use crate::diagnostics::{ContentErrors, Diagnostic};
use crate::messages::Message;
use crate::progress::Progress;
use crate::{fs_util, text};
use convert::{Front, Remote, Shared};
use post::{Found, PostKind};
use record::{Planned, Record, Status};

/// The file of server rules for the old `?p=123` addresses, in the site root.
pub const REDIRECTS_FILE: &str = "import-redirects.txt";

/// What `canhbao import` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The export file or the old site's folder.
    pub source: PathBuf,
    /// The site root to import into.
    pub root: PathBuf,
    /// The mapping file (default: `import-map.yaml` in the site root).
    pub map: Option<PathBuf>,
    pub dry_run: bool,
    pub fetch_images: bool,
    /// Counts downloaded pictures, for a progress bar.
    pub progress: Option<Arc<Progress>>,
}

/// Which kind of old site the source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Blogger,
    WordPress,
    Hugo,
    Jekyll,
    Zola,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Blogger => "Blogger",
            SourceKind::WordPress => "WordPress",
            SourceKind::Hugo => "Hugo",
            SourceKind::Jekyll => "Jekyll",
            SourceKind::Zola => "Zola",
        }
    }
}

/// A remote picture of one imported file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RemoteImage {
    pub file: String,
    pub remote: Remote,
}

/// Everything an import did (or, in a dry run, would do), for the editor.
#[derive(Debug)]
pub struct ImportReport {
    pub kind: SourceKind,
    pub dry_run: bool,
    pub articles: usize,
    pub pages: usize,
    pub drafts: usize,
    /// Site-relative path and what happened to it.
    pub files: Vec<(String, Status)>,
    /// The mapping file as shown to the editor.
    pub map_file: String,
    /// Labels with no scam type or audience, and how many posts carry each.
    pub unmapped: Vec<(String, usize)>,
    pub remote_images: Vec<RemoteImage>,
    pub fetched: usize,
    /// Posts that were not imported, at their file and line.
    pub problems: Vec<Diagnostic>,
    /// What the editor should look at: shortcodes left, sections skipped.
    pub notes: Vec<Diagnostic>,
    /// Old `?p=123` addresses and their new page.
    pub query_redirects: Vec<(String, String)>,
    /// `canhbao check` after the import (None in a dry run): the problems left for the editor.
    pub check: Option<Vec<Diagnostic>>,
}

/// Runs an import.
pub fn run(options: &ImportOptions) -> Result<ImportReport> {
    let root = &options.root;
    if !root.join(crate::config::CONFIG_FILE).is_file() {
        return Err(Message::ImportNoSite { root: crate::report::display_path(root) }.into());
    }
    let config = Config::load(root, None, true)?;
    let (kind, mut found) = read_source(&options.source)?;
    found.posts.iter_mut().for_each(|p| p.title = text::nfc(&p.title));

    // A new file for each post (deterministic, so a second run finds its own files again).
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut targets = Vec::new();
    for post in &found.posts {
        let folder = match post.kind {
            PostKind::Article => "articles",
            PostKind::Page => "pages",
        };
        let mut base = text::slugify(&post.slug);
        if base.is_empty() {
            base = text::slugify(&post.title);
        }
        if base.is_empty() {
            base = "bai-viet".into();
        }
        if base.len() > 80 {
            base.truncate(80);
            base = base.trim_end_matches('-').to_string();
        }
        let mut slug = base.clone();
        let mut n = 2;
        while !used.insert(format!("{folder}/{slug}")) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        targets.push((folder, slug));
    }
    let mut index = old_urls::Index::new(&found.hosts);
    for (post, (folder, slug)) in found.posts.iter().zip(&targets) {
        let target = format!("{folder}/{slug}.md");
        for url in &post.old_urls {
            index.add_url(url, &target);
        }
        for id in &post.query_ids {
            index.add_id(id, &target);
        }
        if let Some(old) = &post.old_rel {
            index.add_file(old, &target);
        }
    }

    // Labels -> scam types and audiences.
    let map_path = options.map.clone().unwrap_or_else(|| root.join(mapping::DEFAULT_FILE));
    let map_display = crate::report::display_path(&map_path);
    let old_map = if map_path.is_file() {
        let text = text::decode_source(&fs_util::read(&map_path)?)
            .map_err(|e| anyhow::anyhow!("`{}`: {e}", map_path.display()))?;
        mapping::parse(&text, &map_display, &config).map_err(ContentErrors)?
    } else {
        mapping::Mapping::default()
    };
    let mut label_counts: BTreeMap<String, usize> = BTreeMap::new();
    for post in &found.posts {
        for label in post.labels.iter().collect::<BTreeSet<_>>() {
            *label_counts.entry(label.clone()).or_default() += 1;
        }
    }
    let map_text = mapping::render(&label_counts, &old_map, &config);
    let effective = mapping::parse(&map_text, &map_display, &config).map_err(ContentErrors)?;

    // Bodies, links and pictures.
    let mut roots = found.file_roots.clone();
    if let Some(dir) = options.source.parent().filter(|_| options.source.is_file()) {
        roots.push(if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.to_path_buf() });
    }
    let images = images::Images::new(roots, options.fetch_images && !options.dry_run, options.progress.clone());
    let shared = Arc::new(Shared { index, images });
    let mut converted = Vec::new();
    for post in &found.posts {
        converted.push(convert::body(post, &shared));
    }
    // Posts with pictures become folders: links to them name their `index.md`.
    let bundles: Vec<String> = targets
        .iter()
        .zip(&converted)
        .filter(|(_, c)| !c.files.is_empty())
        .map(|((folder, slug), _)| format!("{folder}/{slug}"))
        .collect();
    for c in &mut converted {
        for bundle in &bundles {
            for end in [")", "#", " "] {
                c.body = c.body.replace(&format!("](@/{bundle}.md{end}"), &format!("](@/{bundle}/index.md{end}"));
            }
        }
    }

    let mut report = ImportReport {
        kind,
        dry_run: options.dry_run,
        articles: 0,
        pages: 0,
        drafts: 0,
        files: Vec::new(),
        map_file: map_display,
        unmapped: Vec::new(),
        remote_images: Vec::new(),
        fetched: 0,
        problems: std::mem::take(&mut found.problems),
        notes: std::mem::take(&mut found.notes),
        query_redirects: Vec::new(),
        check: None,
    };
    let mut plans = Vec::new();
    let mut claimed_aliases: BTreeSet<String> = BTreeSet::new();
    let mut unmapped: BTreeSet<String> = BTreeSet::new();
    for ((post, (folder, slug)), c) in found.posts.iter().zip(&targets).zip(converted) {
        let new_url = match post.kind {
            PostKind::Article => format!("/{}/{slug}/", config.sections.articles),
            PostKind::Page => format!("/{slug}/"),
        };
        let mut scams = Vec::new();
        let mut audiences = Vec::new();
        for label in &post.labels {
            match effective.labels.get(label) {
                Some(t) if !t.is_unmapped() => {
                    scams.extend(t.scams.iter().filter(|k| !scams.contains(*k)).cloned().collect::<Vec<_>>());
                    audiences
                        .extend(t.audiences.iter().filter(|k| !audiences.contains(*k)).cloned().collect::<Vec<_>>());
                }
                _ => {
                    unmapped.insert(label.clone());
                }
            }
        }
        let mut aliases = Vec::new();
        for url in &post.old_urls {
            if let Some(alias) = old_urls::alias(url, &shared.index)
                && alias.trim_end_matches('/') != new_url.trim_end_matches('/')
                && claimed_aliases.insert(alias.clone())
            {
                aliases.push(alias);
            }
        }
        for id in &post.query_ids {
            let old = format!("/?{id}");
            if !report.query_redirects.iter().any(|(o, _)| *o == old) {
                report.query_redirects.push((old, new_url.clone()));
            }
        }
        let summary = post.summary.as_deref().map(plain_text).filter(|s| !s.is_empty());
        let front = Front {
            title: &post.title,
            date: post.date.as_deref(),
            updated: post.updated.as_deref(),
            draft: post.draft,
            summary: summary.as_deref(),
            scams: &scams,
            audiences: &audiences,
            aliases: &aliases,
        };
        let file = without_controls(&convert::markdown_file(post.kind, &front, &c.body));
        // The line after the closing `---` (strings are JSON-quoted: no line break in them).
        let body_line = file.lines().enumerate().filter(|(_, l)| *l == "---").nth(1).map_or(1, |(i, _)| i + 2);
        let dir = if c.files.is_empty() { None } else { Some(format!("content/{folder}/{slug}")) };
        let rel = match &dir {
            Some(dir) => format!("{dir}/index.md"),
            None => format!("content/{folder}/{slug}.md"),
        };
        report.notes.extend(convert::leftover_notes(&rel, body_line, &c.leftovers));
        plans.push(Planned { rel: rel.clone(), bytes: file.into_bytes() });
        for (name, found) in &c.files {
            let bytes = match found {
                images::Found::Local(path) => match fs_util::read(path) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        report.problems.push(Diagnostic::new(&rel, Message::ReadFailed { error: format!("{e:#}") }));
                        continue;
                    }
                },
                images::Found::Fetched(bytes) => bytes.to_vec(),
            };
            if let Some(dir) = &dir {
                plans.push(Planned { rel: format!("{dir}/{name}"), bytes });
            }
        }
        report.fetched += c.fetched.len();
        report.remote_images.extend(c.remote.into_iter().map(|remote| RemoteImage { file: rel.clone(), remote }));
        match post.kind {
            PostKind::Article => report.articles += 1,
            PostKind::Page => report.pages += 1,
        }
        report.drafts += usize::from(post.draft);
    }
    report.unmapped = unmapped
        .into_iter()
        .map(|label| {
            let posts = label_counts.get(&label).copied().unwrap_or(0);
            (label, posts)
        })
        .collect();
    if !report.query_redirects.is_empty() {
        plans.push(Planned { rel: REDIRECTS_FILE.into(), bytes: redirects(&report.query_redirects).into_bytes() });
    }

    // The mapping file: through the record when it is in the site, else only if new.
    let mut record = Record::load(root)?;
    let map_rel = std::path::absolute(&map_path)
        .ok()
        .and_then(|m| m.strip_prefix(std::path::absolute(root).ok()?).ok().map(crate::content::slash_path));
    match map_rel {
        Some(rel) if !label_counts.is_empty() => plans.push(Planned { rel, bytes: map_text.into_bytes() }),
        None if !label_counts.is_empty() && !map_path.exists() => {
            if !options.dry_run {
                fs_util::write(&map_path, map_text.as_bytes())?;
            }
            report.files.push((report.map_file.clone(), Status::Created));
        }
        _ => {}
    }
    report.files.extend(record::apply(root, &plans, &mut record, options.dry_run)?);
    if !options.dry_run {
        record.save(root)?;
        report.check = Some(check(root));
    }
    Ok(report)
}

/// Detects the kind of `source` and reads its posts.
fn read_source(source: &Path) -> Result<(SourceKind, Found)> {
    let shown = crate::report::display_path(source);
    if source.is_dir() {
        let layout = folder::detect(source).ok_or_else(|| Message::ImportUnknownSource { path: shown.clone() })?;
        let kind = match layout {
            folder::Layout::Hugo => SourceKind::Hugo,
            folder::Layout::Jekyll => SourceKind::Jekyll,
            folder::Layout::Zola => SourceKind::Zola,
        };
        return Ok((kind, folder::read(source, layout)?));
    }
    let size = std::fs::metadata(source).map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", source.display()))?.len();
    if size > xml::MAX_EXPORT_BYTES as u64 {
        return Err(Message::ImportTooLarge { path: shown, max_mb: xml::MAX_EXPORT_BYTES / 1024 / 1024 }.into());
    }
    let bytes = fs_util::read(source)?;
    let text = text::decode_source(&bytes).map_err(|e| {
        Diagnostic::new(&shown, Message::NotUtf8 { line: e.line, column: e.column }).at(e.line, e.column)
    })?;
    let doc = xml::parse(&text, &shown)?;
    let root = doc.root_element();
    let wordpress = root.has_tag_name("rss")
        && root
            .descendants()
            .take(200)
            .any(|n| n.tag_name().namespace().is_some_and(|ns| ns.starts_with("http://wordpress.org/export/")));
    if wordpress {
        let mut found = wordpress::read(&doc, &shown);
        found.file_roots.clear();
        return Ok((SourceKind::WordPress, found));
    }
    if root.has_tag_name((xml::ATOM, "feed")) {
        return Ok((SourceKind::Blogger, blogger::read(&doc, &shown)));
    }
    Err(Message::ImportUnknownSource { path: shown }.into())
}

/// The text without control characters (but line breaks and tabs): the build refuses them, and
/// an old site's editor pasted them by accident.
fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

/// HTML or text to one line of plain text (a summary).
fn plain_text(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let text = text.replace("&nbsp;", " ").replace("&amp;", "&");
    text::nfc(&text.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// Server rules for the old `?p=123` addresses (a static file cannot answer a query string).
fn redirects(pairs: &[(String, String)]) -> String {
    let mut out = String::from(
        "# canhbao import: the old WordPress addresses with a query string (/?p=123) cannot be\n\
         # static pages. Copy the rules for your server (see README, \"Moving an existing site in\").\n\
         #\n# Netlify, Cloudflare Pages (file static/_redirects):\n",
    );
    for (old, new) in pairs {
        let (_, query) = old.split_once('?').unwrap_or(("", old));
        let (name, value) = query.split_once('=').unwrap_or((query, ""));
        out.push_str(&format!("/ {name}={value} {new} 301\n"));
    }
    out.push_str("#\n# nginx (inside `server { … }`):\n");
    for (old, new) in pairs {
        let (_, query) = old.split_once('?').unwrap_or(("", old));
        let (name, value) = query.split_once('=').unwrap_or((query, ""));
        out.push_str(&format!("# if ($arg_{name} = \"{value}\") {{ return 301 {new}; }}\n"));
    }
    out
}

/// `canhbao check` of the site after the import (drafts included): what is left for the editor.
fn check(root: &Path) -> Vec<Diagnostic> {
    let options = crate::BuildOptions { root: root.to_path_buf(), drafts: true, ..Default::default() };
    match crate::check::check(&options) {
        Ok(report) => report.warnings,
        Err(err) => match err.downcast::<ContentErrors>() {
            Ok(ContentErrors(problems)) => problems,
            Err(err) => vec![Diagnostic::new("", Message::ReadFailed { error: format!("{err:#}") })],
        },
    }
}
