//! Content: discovering the Markdown sources of a site and parsing their front matter.
//!
//! Reading is done here, at the edge; [`front_matter`] and the `parse` functions are pure.

pub mod article;
pub mod front_matter;
pub mod handbook;
pub mod item;
pub mod leaflet;
pub mod page;
pub mod slides;
mod when;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

pub use article::{Article, Severity};
pub use item::{Item, Refused};
pub use leaflet::Leaflet;
pub use page::Page;
pub use when::When;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Message};
use crate::{fs_util, text};

/// A Markdown source file, read and normalised (UTF-8, no BOM, LF, NFC).
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root with `/` separators, for messages: `content/articles/x.md`.
    pub display: String,
    /// Path relative to the content folder with `/` separators: `articles/x.md`. Internal links
    /// are resolved against this.
    pub rel: String,
    /// The absolute path on disk.
    pub path: PathBuf,
    /// The text; empty once the model let go of it ([`Item::let_go_of_text`]).
    pub text: String,
}

impl Source {
    /// The file read and normalised again, as [`read_source`] read it ([`Item::body_again`]).
    pub fn read_again(&self) -> Result<String, Diagnostic> {
        decode_file(&self.display, &self.path)
    }

    /// The folder of `rel` (`articles` for `articles/x.md`).
    pub fn rel_dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    /// True for `.../index.md`: a bundle whose folder holds the item's files.
    pub fn is_bundle(&self) -> bool {
        self.rel.ends_with("/index.md")
    }

    /// The name the default slug comes from: the file stem, or the folder of a bundle.
    pub fn stem(&self) -> &str {
        let without_ext = self.rel.strip_suffix(".md").unwrap_or(&self.rel);
        let without_index = without_ext.strip_suffix("/index").unwrap_or(without_ext);
        without_index.rsplit('/').next().unwrap_or(without_index)
    }
}

/// A non-Markdown file inside a bundle, copied beside the item's page.
#[derive(Debug, Clone)]
pub struct BundleFile {
    pub path: PathBuf,
    /// Path relative to the bundle folder, `/` separators.
    pub rel: String,
}

/// Everything found under `content/`.
#[derive(Debug, Default)]
pub struct Discovered {
    pub articles: Vec<(Source, Vec<BundleFile>)>,
    pub pages: Vec<(Source, Vec<BundleFile>)>,
    pub leaflets: Vec<(Source, Vec<BundleFile>)>,
    /// Hand-written slide decks (`content/slides/`, issue 14).
    pub slides: Vec<(Source, Vec<BundleFile>)>,
    /// Handbooks (`content/handbooks/`, issue 14).
    pub handbooks: Vec<(Source, Vec<BundleFile>)>,
}

/// Finds and reads every Markdown file under `content/articles`, `content/pages` and
/// `content/leaflets`, with the
/// files of bundles. Unreadable or non-UTF-8 files become diagnostics.
pub fn discover(config: &Config) -> anyhow::Result<(Discovered, Vec<Diagnostic>)> {
    let mut diagnostics = Vec::new();
    let mut found = Discovered::default();
    for (folder, out) in [
        ("articles", &mut found.articles),
        ("pages", &mut found.pages),
        ("leaflets", &mut found.leaflets),
        ("slides", &mut found.slides),
        ("handbooks", &mut found.handbooks),
    ] {
        let dir = config.content_dir.join(folder);
        if !dir.is_dir() {
            continue;
        }
        let mut markdown = Vec::new();
        let mut others = Vec::new();
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| anyhow::anyhow!("cannot list `{}`: {e}", dir.display()))?;
            if is_hidden(entry.path(), &dir) {
                continue;
            }
            // A link is followed to a file inside the site; one leading out of it is an error.
            if entry.path_is_symlink() {
                // A link to nothing is not read (like a missing file).
                if !entry.path().exists() {
                    continue;
                }
                if let Err(target) = crate::pictures::inside_site(entry.path(), config) {
                    diagnostics.push(crate::pictures::linked_outside(entry.path(), &target, config));
                    continue;
                }
                if !entry.path().is_file() {
                    continue;
                }
            } else if !entry.file_type().is_file() {
                continue;
            }
            if entry.path().extension().is_some_and(|e| e == "md") {
                markdown.push(entry.into_path());
            } else {
                others.push(entry.into_path());
            }
        }
        let bundle_dirs: BTreeSet<&Path> =
            markdown.iter().filter(|p| p.ends_with("index.md")).filter_map(|p| p.parent()).collect();
        let read: Vec<Result<Source, Diagnostic>> = markdown.par_iter().map(|path| read_source(config, path)).collect();
        for result in read {
            match result {
                Ok(source) => {
                    let files = if source.is_bundle() {
                        let bundle = source.path.parent().unwrap_or(&dir);
                        bundle_files(bundle, &bundle_dirs, &others)
                    } else {
                        Vec::new()
                    };
                    out.push((source, files));
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
    }
    Ok((found, diagnostics))
}

fn is_hidden(path: &Path, base: &Path) -> bool {
    path.strip_prefix(base)
        .map(|rel| rel.components().any(|c| c.as_os_str().to_string_lossy().starts_with('.')))
        .unwrap_or(false)
}

/// Files under `bundle` whose nearest bundle folder is `bundle` itself.
fn bundle_files(bundle: &Path, bundle_dirs: &BTreeSet<&Path>, others: &[PathBuf]) -> Vec<BundleFile> {
    others
        .iter()
        .filter(|file| file.ancestors().skip(1).find(|a| bundle_dirs.contains(a)) == Some(bundle))
        .filter_map(|file| {
            let rel = file.strip_prefix(bundle).ok()?;
            Some(BundleFile { path: file.clone(), rel: slash_path(rel) })
        })
        .collect()
}

/// Reads one Markdown source as [`discover`] does (the preview reads an edited file again).
pub fn read_source(config: &Config, path: &Path) -> Result<Source, Diagnostic> {
    let display = path.strip_prefix(&config.root).map(slash_path).unwrap_or_else(|_| path.display().to_string());
    let rel = path.strip_prefix(&config.content_dir).map(slash_path).unwrap_or_else(|_| display.clone());
    let text = decode_file(&display, path)?;
    Ok(Source { display, rel, path: path.to_path_buf(), text })
}

/// The normalised text of the file at `path` (`display` names it in errors).
fn decode_file(display: &str, path: &Path) -> Result<String, Diagnostic> {
    let bytes =
        fs_util::read(path).map_err(|e| Diagnostic::new(display, Message::ReadFailed { error: format!("{e:#}") }))?;
    text::decode_source(&bytes)
        .map_err(|e| Diagnostic::new(display, Message::NotUtf8 { line: e.line, column: e.column }).at(e.line, e.column))
}

/// What tells two readings of a source apart: its length and hash (SipHash with fixed keys).
pub(crate) fn fingerprint(text: &str) -> (usize, u64) {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    text.hash(&mut hasher);
    (text.len(), hasher.finish())
}

/// A relative path with `/` separators, NFC (file names typed on some systems arrive as NFD).
pub fn slash_path(path: &Path) -> String {
    let joined: Vec<String> = path.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    text::nfc(&joined.join("/"))
}
