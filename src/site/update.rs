//! Loading the model again after an edit, for the preview (issue 10): only the edited files are
//! read and parsed again. A [`Loader`] keeps what the last load read (the sources under
//! `content/`) and made (the parsed items, and the Markdown bodies rendered to HTML), keyed by
//! file path and checked against the file's text, so that a site of 10,000 articles whose one
//! article was saved reads one file, parses one front matter and renders one body.
//!
//! What is kept is used only when it cannot differ from a fresh parse: the same text of the same
//! file, the same configuration (a change to site.yaml or anything outside `content/` is loaded
//! from scratch: [`Loader::load`] with `changed: None`), and for a body, the same links to every
//! item and the same drafts (a new slug or a new draft renders every body again). A body that
//! shows images, or that has problems or warnings, is never kept.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;

use super::{Body, Site};
use crate::config::Config;
use crate::content::{self, Article, BundleFile, Discovered, Leaflet, Page, Refused, Source};
use crate::diagnostics::ContentErrors;
use crate::markdown::Rendered;

/// A parsed item, with the text it was parsed from.
struct Parsed<T> {
    text: String,
    files: Vec<PathBuf>,
    item: T,
}

/// The link targets (content path to URL) and the drafts of a load.
type Links = (HashMap<String, String>, Vec<String>);

/// What the last load made, by source path.
#[derive(Default)]
pub struct Memo {
    articles: Mutex<HashMap<PathBuf, Parsed<Article>>>,
    pages: Mutex<HashMap<PathBuf, Parsed<Page>>>,
    leaflets: Mutex<HashMap<PathBuf, Parsed<Leaflet>>>,
    /// Bodies rendered, by source path and site path: the source's text and the rendering.
    bodies: Mutex<HashMap<(PathBuf, String), (String, Rendered)>>,
    /// The link targets and drafts the kept bodies were rendered with.
    links: Mutex<Option<Links>>,
    /// Front matters parsed and bodies rendered since the start (not taken from the memo).
    made: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Parses `source` with `parse` unless `kept` holds the item parsed from the same text and files.
fn parse_kept<T: Clone>(
    made: &AtomicUsize,
    kept: &Mutex<HashMap<PathBuf, Parsed<T>>>,
    source: Source,
    files: Vec<BundleFile>,
    parse: impl FnOnce(Source, Vec<BundleFile>) -> Result<T, Refused>,
) -> Result<T, Refused> {
    let paths: Vec<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
    if let Some(p) = lock(kept).get(&source.path)
        && p.text == source.text
        && p.files == paths
    {
        return Ok(p.item.clone());
    }
    let (path, text) = (source.path.clone(), source.text.clone());
    made.fetch_add(1, Ordering::Relaxed);
    let parsed = parse(source, files);
    match &parsed {
        Ok(item) => {
            lock(kept).insert(path, Parsed { text, files: paths, item: item.clone() });
        }
        Err(_) => {
            lock(kept).remove(&path);
        }
    }
    parsed
}

impl Memo {
    pub(super) fn article(&self, source: Source, files: Vec<BundleFile>, config: &Config) -> Result<Article, Refused> {
        parse_kept(&self.made, &self.articles, source, files, |s, f| content::article::parse(s, f, config))
    }

    pub(super) fn page(&self, source: Source, files: Vec<BundleFile>) -> Result<Page, Refused> {
        parse_kept(&self.made, &self.pages, source, files, content::page::parse)
    }

    pub(super) fn leaflet(&self, source: Source, files: Vec<BundleFile>, config: &Config) -> Result<Leaflet, Refused> {
        parse_kept(&self.made, &self.leaflets, source, files, |s, f| content::leaflet::parse(s, f, config))
    }

    /// Forgets the kept bodies unless they were rendered with these link targets and drafts.
    pub(super) fn links(&self, targets: &HashMap<String, String>, drafts: &[String]) {
        let mut links = lock(&self.links);
        let same = links.as_ref().is_some_and(|(t, d)| t == targets && d == drafts);
        if !same {
            lock(&self.bodies).clear();
            *links = Some((targets.clone(), drafts.to_vec()));
        }
    }

    /// The body of the item at `source` shown at site path `path`: kept, or made by `render`.
    pub(super) fn body(&self, source: &Source, path: &str, render: impl FnOnce() -> Body) -> Body {
        let key = (source.path.clone(), path.to_string());
        if let Some((text, rendered)) = lock(&self.bodies).get(&key)
            && *text == source.text
        {
            return Body { rendered: rendered.clone(), ..Body::default() };
        }
        self.made.fetch_add(1, Ordering::Relaxed);
        let body = render();
        let plan = &body.images;
        let plain = plan.renditions.is_empty() && plan.copies.is_empty() && plan.replaced.is_empty();
        if plain && plan.kept.is_empty() && body.problems.is_empty() && body.warnings.is_empty() {
            lock(&self.bodies).insert(key, (source.text.clone(), body.rendered.clone()));
        } else {
            lock(&self.bodies).remove(&key);
        }
        body
    }
}

/// Loads the site again and again, reading and parsing only what changed since the last load.
#[derive(Default)]
pub struct Loader {
    memo: Memo,
    /// The sources of the last load (when it found no problem reading them).
    sources: Mutex<Option<Discovered>>,
}

impl Loader {
    /// Front matters parsed and bodies rendered so far (what the memo did not save).
    pub fn made(&self) -> usize {
        self.memo.made.load(Ordering::Relaxed)
    }

    /// Loads the model. `changed` are the files edited since the last load (absolute paths), all
    /// under `content/`; `None` when anything else changed (or for the first load): everything is
    /// read and parsed again.
    pub fn load(&self, config: Config, changed: Option<&[PathBuf]>) -> Result<Site> {
        if changed.is_none() {
            *lock(&self.sources) = None;
            *lock(&self.memo.articles) = HashMap::new();
            *lock(&self.memo.pages) = HashMap::new();
            *lock(&self.memo.leaflets) = HashMap::new();
            *lock(&self.memo.links) = None;
            lock(&self.memo.bodies).clear();
        }
        let last = lock(&self.sources).take();
        let reread = match (last, changed) {
            (Some(last), Some(changed)) => reread(last, changed, &config),
            _ => None,
        };
        let (discovered, problems) = match reread {
            Some(discovered) => (discovered, Vec::new()),
            None => {
                // A file came or went: a body may link to it (or did).
                *lock(&self.memo.links) = None;
                lock(&self.memo.bodies).clear();
                content::discover(&config)?
            }
        };
        if problems.is_empty() {
            *lock(&self.sources) = Some(copy(&discovered));
        }
        Site::load_with(config, discovered, problems, Some(&self.memo))
            .map_err(|rejected| ContentErrors(rejected.problems).into())
    }
}

fn copy(d: &Discovered) -> Discovered {
    Discovered {
        articles: d.articles.clone(),
        pages: d.pages.clone(),
        leaflets: d.leaflets.clone(),
        slides: d.slides.clone(),
        handbooks: d.handbooks.clone(),
    }
}

/// The sources of the last load with the edited Markdown files read again; `None` when an edit
/// may have added or removed a file (then everything is discovered again).
fn reread(mut last: Discovered, changed: &[PathBuf], config: &Config) -> Option<Discovered> {
    for path in changed {
        let lists = [&mut last.articles, &mut last.pages, &mut last.leaflets, &mut last.slides, &mut last.handbooks];
        let mut found = false;
        for list in lists {
            for (source, files) in list.iter_mut() {
                if source.path == *path {
                    if !path.is_file() {
                        return None;
                    }
                    *source = content::read_source(config, path).ok()?;
                    found = true;
                } else if files.iter().any(|f| f.path == *path) {
                    if !path.is_file() {
                        return None;
                    }
                    found = true;
                }
            }
        }
        if !found {
            return None;
        }
    }
    Some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(loader: &Loader, root: &std::path::Path, changed: Option<&[PathBuf]>) -> Site {
        let config = Config::load(root, None, true).unwrap();
        loader.load(config, changed).unwrap()
    }

    /// Issue 10: after an edit of one article, the preview parses one front matter and renders
    /// one body; the model is the one a fresh load makes.
    #[test]
    fn an_edit_parses_and_renders_only_the_edited_file_issue_10() {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let root = dir.path();
        let loader = Loader::default();
        let first = load(&loader, root, None);
        // 1 article, 1 page and 1 leaflet parsed; the article's and the page's bodies rendered.
        assert_eq!(loader.made(), 5);
        let article = root.join("content/articles/canh-bao-mau.md");
        let text = std::fs::read_to_string(&article).unwrap();
        std::fs::write(&article, text.replace("title: \"Giả danh", "title: \"Mới: Giả danh")).unwrap();

        let second = load(&loader, root, Some(std::slice::from_ref(&article)));
        assert_eq!(loader.made(), 7, "one front matter and one body made again");
        assert!(second.articles[0].article.title.starts_with("Mới: Giả danh"));
        assert_eq!(second.pages[0].body.html, first.pages[0].body.html);
        let fresh = load(&Loader::default(), root, None);
        assert_eq!(second.articles[0].body.html, fresh.articles[0].body.html);
        assert_eq!(second.articles[0].article.title, fresh.articles[0].article.title);

        // Unchanged and saved again: nothing is made.
        load(&loader, root, Some(std::slice::from_ref(&article)));
        assert_eq!(loader.made(), 7);
        // Anything else (site.yaml, templates): everything is made again.
        load(&loader, root, None);
        assert_eq!(loader.made(), 12);
    }

    /// A file that came or went is found by discovering everything again; a body linking to an
    /// article that is gone gets its broken link back (it is not taken from the memo).
    #[test]
    fn a_removed_file_is_discovered_again_and_links_to_it_are_checked_issue_10() {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let root = dir.path();
        let page = root.join("content/pages/gioi-thieu.md");
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\n\n[Bài mẫu](../articles/canh-bao-mau.md)\n")).unwrap();
        let loader = Loader::default();
        load(&loader, root, None);
        let article = root.join("content/articles/canh-bao-mau.md");
        std::fs::remove_file(&article).unwrap();
        let config = Config::load(root, None, true).unwrap();
        let Err(err) = loader.load(config, Some(&[article])) else { panic!("the broken link was not found") };
        assert!(format!("{err:#}").contains("gioi-thieu.md"), "{err:#}");
    }
}
