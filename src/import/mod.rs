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
pub mod plan;
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
use convert::{Remote, Shared};
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
    let targets = new_files(&found.posts);
    let index = old_index(&found, &targets);
    let labels = Labels::read(options, &config, &found.posts)?;

    // Bodies, links and pictures.
    let mut roots = found.file_roots.clone();
    if let Some(dir) = options.source.parent().filter(|_| options.source.is_file()) {
        roots.push(if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir.to_path_buf() });
    }
    let images = images::Images::new(roots, options.fetch_images && !options.dry_run, options.progress.clone());
    let shared = Arc::new(Shared { index, images });
    let mut converted: Vec<_> = found.posts.iter().map(|post| convert::body(post, &shared)).collect();
    link_bundles(&targets, &mut converted);

    let mut report = ImportReport {
        kind,
        dry_run: options.dry_run,
        articles: 0,
        pages: 0,
        drafts: 0,
        files: Vec::new(),
        map_file: labels.display.clone(),
        unmapped: Vec::new(),
        remote_images: Vec::new(),
        fetched: 0,
        problems: std::mem::take(&mut found.problems),
        notes: std::mem::take(&mut found.notes),
        query_redirects: Vec::new(),
        check: None,
    };
    let mut planner = plan::Planner::new(&config, &labels.effective, &shared.index);
    for ((post, target), c) in found.posts.iter().zip(&targets).zip(converted) {
        planner.add(post, target, c, &mut report);
    }
    let (mut plans, unmapped) = planner.finish();
    report.unmapped = unmapped.into_iter().map(|label| (label.clone(), labels.counts[&label])).collect();
    if !report.query_redirects.is_empty() {
        plans.push(Planned { rel: REDIRECTS_FILE.into(), bytes: redirects(&report.query_redirects).into_bytes() });
    }

    // The mapping file: through the record when it is in the site, else only if new.
    let map_rel = std::path::absolute(&labels.path)
        .ok()
        .and_then(|m| m.strip_prefix(std::path::absolute(root).ok()?).ok().map(crate::content::slash_path));
    match map_rel {
        Some(rel) if !labels.counts.is_empty() => plans.push(Planned { rel, bytes: labels.text.into_bytes() }),
        None if !labels.counts.is_empty() && !labels.path.exists() => {
            if !options.dry_run {
                fs_util::write(&labels.path, labels.text.as_bytes())?;
            }
            report.files.push((report.map_file.clone(), Status::Created));
        }
        _ => {}
    }
    let mut record = Record::load(root)?;
    report.files.extend(record::apply(root, &plans, &mut record, options.dry_run)?);
    if !options.dry_run {
        record.save(root)?;
        report.check = Some(check(root));
    }
    Ok(report)
}

/// Where a post goes: `articles` or `pages`, and its slug.
#[derive(Debug, Clone)]
pub struct Target {
    pub folder: &'static str,
    pub slug: String,
}

impl Target {
    /// The content-relative Markdown file links point to (`articles/x.md`), before pictures
    /// may make it a folder.
    fn markdown(&self) -> String {
        format!("{}/{}.md", self.folder, self.slug)
    }
}

/// A new file for each post: its slug, numbered when taken (deterministic, so that a second run
/// finds its own files again).
fn new_files(posts: &[post::Post]) -> Vec<Target> {
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut targets = Vec::new();
    for post in posts {
        let folder = match post.kind {
            PostKind::Article => "articles",
            PostKind::Page => "pages",
        };
        let mut base = [&post.slug, &post.title]
            .iter()
            .map(|s| text::slugify(s))
            .find(|s| !s.is_empty())
            .unwrap_or_else(|| "bai-viet".into());
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
        targets.push(Target { folder, slug });
    }
    targets
}

/// Every old address and file of every post, to its new file.
fn old_index(found: &Found, targets: &[Target]) -> old_urls::Index {
    let mut index = old_urls::Index::new(&found.hosts);
    for (post, target) in found.posts.iter().zip(targets) {
        let file = target.markdown();
        post.old_urls.iter().for_each(|url| index.add_url(url, &file));
        post.query_ids.iter().for_each(|id| index.add_id(id, &file));
        if let Some(old) = &post.old_rel {
            index.add_file(old, &file);
        }
    }
    index
}

/// The labels of the posts and what they become.
struct Labels {
    path: PathBuf,
    display: String,
    /// Label -> how many posts carry it.
    counts: BTreeMap<String, usize>,
    /// The mapping file as this run would write it.
    text: String,
    /// The mapping in force: the file's targets, suggestions for labels it does not have.
    effective: mapping::Mapping,
}

impl Labels {
    fn read(options: &ImportOptions, config: &Config, posts: &[post::Post]) -> Result<Labels> {
        let path = options.map.clone().unwrap_or_else(|| options.root.join(mapping::DEFAULT_FILE));
        let display = crate::report::display_path(&path);
        let old = if path.is_file() {
            let text = text::decode_source(&fs_util::read(&path)?)
                .map_err(|e| anyhow::anyhow!("`{}`: {e}", path.display()))?;
            mapping::parse(&text, &display, config).map_err(ContentErrors)?
        } else {
            mapping::Mapping::default()
        };
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for post in posts {
            for label in post.labels.iter().collect::<BTreeSet<_>>() {
                *counts.entry(label.clone()).or_default() += 1;
            }
        }
        let text = mapping::render(&counts, &old, config);
        let effective = mapping::parse(&text, &display, config).map_err(ContentErrors)?;
        Ok(Labels { path, display, counts, text, effective })
    }
}

/// Posts with pictures become folders: links to them name their `index.md`.
fn link_bundles(targets: &[Target], converted: &mut [convert::Converted]) {
    let bundles: Vec<String> = targets
        .iter()
        .zip(converted.iter())
        .filter(|(_, c)| !c.files.is_empty())
        .map(|(t, _)| format!("{}/{}", t.folder, t.slug))
        .collect();
    for c in converted {
        for bundle in &bundles {
            for end in [")", "#", " "] {
                c.body = c.body.replace(&format!("](@/{bundle}.md{end}"), &format!("](@/{bundle}/index.md{end}"));
            }
        }
    }
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
pub(crate) fn without_controls(text: &str) -> String {
    text.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\t')).collect()
}

/// HTML or text to one line of plain text (a summary).
pub(crate) fn plain_text(html: &str) -> String {
    let text = ammonia::Builder::empty().clean(html).to_string();
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    let text = text.replace("&nbsp;", " ").replace("&amp;", "&");
    text::nfc(&text::one_line(&text))
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
