//! The preview in memory (issue 10): the site's model, loaded once, and the files rendered from
//! it when a browser asks for them.
//!
//! A request's file is looked up in the route table and its job is run ([`render::render_job`]);
//! the job's files are kept until an edit touches them. A source edit loads a new model and
//! drops only the files of the jobs that show what changed ([`Site::affected`], asked of the old
//! model and of the new one), plus every file whose job, owner or inputs are not the same in
//! both (a list page's inputs are the articles on it, so a page the edit fills with other
//! articles is one); a
//! change to site.yaml, a template, the theme or a stylesheet drops everything. Copies of static
//! and bundle files, and files of the cache of generated files (cards, renditions), are not held
//! in memory: they are read from where the job says when asked for.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Result;

use crate::cache::Cache;
use crate::config::Config;
use crate::diagnostics::ContentErrors;
use crate::output::{self, Sink};
use crate::pipeline::BuildOptions;
use crate::render::{self, JobRenderer, RenderOptions};
use crate::site::Job;
use crate::site::Site;
use crate::site::routes::{Affected, JobId};
use crate::site::update::Loader;

/// A loaded site and the cache of generated files its jobs use.
pub struct Model {
    pub site: Site,
    cache: Cache,
}

self_cell::self_cell!(
    /// A model with its job renderer (templates loaded, summaries made).
    pub struct Live {
        owner: Model,
        #[covariant]
        dependent: JobRenderer,
    }
);

impl Live {
    pub fn site(&self) -> &Site {
        &self.borrow_owner().site
    }
}

/// Loads the site as `build` does, without an output folder: the model (reading and parsing
/// again only the files in `changed`, see [`Loader`]), the printed URLs against its route
/// table, the hashes of stylesheets and scripts, the templates.
///
/// `last` is the model being served: when the edit changed one article and moved nothing, the new
/// model shares the rest with it ([`Loader::update`]), and so does its job renderer (the same
/// route table, printed URLs, stylesheets and templates: nothing to check or load again).
pub fn load(loader: &Loader, options: &BuildOptions, changed: Option<&[PathBuf]>, last: Option<&Live>) -> Result<Live> {
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    let loaded = loader.update(config, changed, last.map(Live::site))?;
    let site = loaded.site;
    if let (Some(edited), Some(last)) = (loaded.remade, last) {
        let cache = last.borrow_owner().cache.clone();
        let model = Model { site, cache };
        return Ok(Live::new(model, |m| JobRenderer::after_edit(last.borrow_dependent(), &m.site, &m.cache, edited)));
    }
    let root = &site.config.root;
    let printed = crate::registry::read(root).map_err(|d| ContentErrors(vec![d]))?;
    let unresolved = crate::registry::check(&printed, &site.config.published_base_url, &*site.routes);
    if !unresolved.is_empty() {
        return Err(ContentErrors(unresolved).into());
    }
    let assets = output::asset_hashes(&site.static_files)?;
    let cache = Cache::new(&root.join(crate::cache::CACHE_DIR));
    let options = RenderOptions { assets, pdf: false, progress: None };
    Live::try_new(Model { site, cache }, |model| JobRenderer::new(&model.site, options, &model.cache))
}

/// The bytes of a rendered file, or where to read them.
#[derive(Debug, Clone)]
pub enum Content {
    Bytes(Arc<Vec<u8>>),
    File(PathBuf),
}

impl Content {
    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            Content::Bytes(bytes) => Ok(bytes.as_ref().clone()),
            Content::File(path) => crate::fs_util::read(path),
        }
    }
}

/// A rendered file, with the number of the job run that made it (counted from 1 since the
/// server started; sent as `X-Canhbao-Render` so that tests can tell a kept file from a new one).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub content: Content,
    pub render: u64,
}

/// What a request's file is.
#[derive(Debug)]
pub enum Answer {
    File(Rendered),
    /// A folder asked for without its `/`: the path to redirect to.
    Redirect(String),
    /// Not a file of the site: its 404 page, when it can be rendered.
    Missing(Option<Rendered>),
    /// Its job failed: the error.
    Failed(anyhow::Error),
}

/// The served site: the current model and the files rendered from it.
#[derive(Default)]
pub struct Preview {
    current: RwLock<Option<Arc<Live>>>,
    files: Mutex<Files>,
    runs: AtomicU64,
}

#[derive(Default)]
struct Files {
    /// Number of models taken so far; a render of an older one is not kept.
    generation: u64,
    by_path: HashMap<String, Rendered>,
}

/// Collects the files of one job.
#[derive(Default)]
struct Collect {
    files: Mutex<Vec<(String, Content)>>,
}

impl Collect {
    fn put(&self, path: &str, content: Content) -> Result<()> {
        output::check_output_path(path)?;
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((path.to_string(), content));
        Ok(())
    }
}

impl Sink for Collect {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.put(path, Content::Bytes(Arc::new(bytes.to_vec())))
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.put(path, Content::File(from.to_path_buf()))
    }
}

impl Preview {
    /// The model being served, if one was loaded.
    pub fn live(&self) -> Option<Arc<Live>> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The output file `file` (`canh-bao/x/index.html`), rendered if it is not kept.
    pub fn get(&self, file: &str) -> Answer {
        let Some(live) = self.live() else { return Answer::Missing(None) };
        match self.file(&live, file) {
            Ok(Some(found)) => Answer::File(found),
            Ok(None) => {
                let folder = format!("{file}/index.html");
                if !file.is_empty() && !file.ends_with('/') && live.site().routes.route(&folder).is_some() {
                    return Answer::Redirect(format!("/{file}/"));
                }
                Answer::Missing(self.file(&live, "404.html").ok().flatten())
            }
            Err(e) => Answer::Failed(e),
        }
    }

    /// A kept file, or the file made by running its job; `None` when no job makes it.
    fn file(&self, live: &Live, file: &str) -> Result<Option<Rendered>> {
        let generation = {
            let files = self.files.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(found) = files.by_path.get(file) {
                return Ok(Some(found.clone()));
            }
            files.generation
        };
        let Some(route) = live.site().routes.route(file) else { return Ok(None) };
        let collect = Collect::default();
        render::render_job(live.borrow_dependent(), route.job, &collect)?;
        let render = self.runs.fetch_add(1, Ordering::SeqCst) + 1;
        let made = collect.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        let mut found = None;
        for (path, content) in made {
            let rendered = Rendered { content, render };
            if path == file {
                found = Some(rendered.clone());
            }
            // A render of a model replaced meanwhile answers this request and is not kept.
            if files.generation == generation {
                files.by_path.insert(path, rendered);
            }
        }
        Ok(found)
    }

    /// Serves `next` from now on. `changed` are the source files whose edit made it (absolute
    /// paths), `None` for a change that concerns every output. Returns the jobs of `next` whose
    /// files were dropped (to be rendered again in the background) and the number of files.
    pub fn replace(&self, next: Live, changed: Option<&[PathBuf]>) -> (Vec<JobId>, usize) {
        let next = Arc::new(next);
        let mut current = self.current.write().unwrap_or_else(|e| e.into_inner());
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.generation += 1;
        let new_table = &next.site().routes;
        let everything = (0..new_table.jobs().len()).collect::<Vec<_>>();
        let dirty = match (current.as_ref(), changed) {
            (Some(old), Some(changed)) => dropped(old.site(), next.site(), changed),
            _ => None,
        };
        let result = match dirty {
            None => {
                let count = new_table.files().count();
                files.by_path.clear();
                (everything, count)
            }
            Some(dirty) => {
                let folders: Vec<&String> = dirty.iter().filter(|d| d.ends_with('/')).collect();
                let mut jobs = BTreeSet::new();
                let mut count = 0;
                files.by_path.retain(|path, _| {
                    let keep = !dirty.contains(path) && !folders.iter().any(|d| path.starts_with(d.as_str()));
                    if !keep {
                        count += 1;
                        if let Some(route) = new_table.route(path) {
                            jobs.insert(route.job);
                        }
                    }
                    keep
                });
                // Files of dirty jobs that were never asked for still need the background check.
                for path in &dirty {
                    if let Some(route) = new_table.route(path) {
                        jobs.insert(route.job);
                    }
                }
                (jobs.into_iter().collect(), count.max(dirty.len()))
            }
        };
        *current = Some(next);
        result
    }
}

/// The output files an edit of `changed` affects (a folder ends in `/`), read from the route
/// tables of the old model and the new one; `None` when it is everything (see
/// [`Site::affected`]). Those whose job shows a changed item, in either model, and those whose
/// route differs between the two tables ([`crate::site::RouteTable::changed_since`]): a list
/// page's inputs are the articles it shows, so a page that shows other articles after the edit
/// (an article moved by a new date, severity or `updated` date) or counts others (an article
/// given another scam type or audience) is one.
fn dropped(old: &Site, new: &Site, changed: &[PathBuf]) -> Option<BTreeSet<String>> {
    // A body edit shares the route table (see [`Loader::update`]): one answer for both models.
    let shared = Arc::ptr_eq(&old.routes, &new.routes);
    let mut files = if shared { BTreeSet::new() } else { new.routes.changed_since(&old.routes) };
    let sites = [new, old];
    for site in &sites[..if shared { 1 } else { 2 }] {
        match site.affected(changed) {
            Affected::Everything => return None,
            Affected::Files(mut found) => files.append(&mut found),
        }
    }
    Some(files)
}

/// Runs `jobs` of `live` into nothing, to find template and render errors that no request has
/// met yet; stops early (returning `Ok`) when `stale` says the model was replaced.
pub fn check_jobs(live: &Live, jobs: &[JobId], stale: impl Fn() -> bool) -> Result<()> {
    let table = &live.site().routes;
    for &job in jobs {
        if stale() {
            return Ok(());
        }
        if table.jobs().get(job).is_some_and(|t| worth_checking(&t.job)) {
            render::render_job(live.borrow_dependent(), job, &output::Discard)?;
        }
    }
    Ok(())
}

/// Whether the background check runs `job`: not the per-item images (an article's social card
/// uses the template the site card checks; QR codes, re-encodings and copies use none), which
/// would draw and encode every image of the site again for nothing: they are made when asked.
fn worth_checking(job: &Job) -> bool {
    !matches!(job, Job::Card(_) | Job::Qr(_) | Job::Renditions(_) | Job::Copy { .. })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// The files of every job the background check runs (pages, feeds, the search index,
    /// channel texts and presenters' material; not the per-item images), by path.
    fn rendered(live: &Live) -> BTreeMap<String, Vec<u8>> {
        let collect = Collect::default();
        for (id, task) in live.site().routes.jobs().iter().enumerate() {
            if worth_checking(&task.job) {
                render::render_job(live.borrow_dependent(), id, &collect).unwrap();
            }
        }
        let files = collect.files.into_inner().unwrap();
        files.into_iter().map(|(path, content)| (path, content.read().unwrap())).collect()
    }

    /// Issue 10: an edit of an article's body or title gives a model that shares the route table
    /// and the templates with the last one, and every file rendered from it is the file a fresh
    /// load renders; so does an edit of its date (a model loaded again).
    #[test]
    fn an_edit_renders_the_files_of_a_fresh_load_issue_10() {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            drafts: true,
            base_url: Some("http://127.0.0.1:1".into()),
            ..BuildOptions::default()
        };
        // Without `summary:`, the lists show the body's first paragraph.
        let file = dir.path().join("content/articles/canh-bao-mau.md");
        let text = std::fs::read_to_string(&file).unwrap();
        let text: String = text.lines().filter(|l| !l.starts_with("summary:")).map(|l| format!("{l}\n")).collect();
        std::fs::write(&file, &text).unwrap();
        let loader = Loader::default();
        let mut last = load(&loader, &options, None, None).unwrap();
        let edits = [
            ("body", text.replace("Đây là một bài cảnh báo mẫu.", "Đây là bài mẫu đã sửa."), true),
            ("title", text.replace("title: \"Giả danh", "title: \"Mới: Giả danh"), true),
            ("date", text.replace("2024-05-08", "2024-05-09"), false),
        ];
        for (what, edited, shared) in edits {
            std::fs::write(&file, edited).unwrap();
            let next = load(&loader, &options, Some(std::slice::from_ref(&file)), Some(&last)).unwrap();
            assert_eq!(Arc::ptr_eq(&next.site().routes, &last.site().routes), shared, "{what}");
            let fresh = load(&Loader::default(), &options, None, None).unwrap();
            let (got, expected) = (rendered(&next), rendered(&fresh));
            assert_eq!(got.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>(), "{what}");
            for (path, bytes) in &expected {
                assert!(got[path] == *bytes, "{what}: {path} is not the file of a fresh load");
            }
            assert!(got != rendered(&last), "{what}: the edit shows");
            last = next;
        }
    }

    /// The scaffold's site with four more articles of its scam type, older than its own (urgent)
    /// one, `bai-1.md` (the oldest) to `bai-4.md`, listed one a page: five home pages and five
    /// pages of the scam type.
    fn five_list_pages() -> (tempfile::TempDir, BuildOptions) {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let yaml = dir.path().join("site.yaml");
        let config = std::fs::read_to_string(&yaml).unwrap().replace("paginate_by: 10", "paginate_by: 1");
        std::fs::write(&yaml, config).unwrap();
        let articles = dir.path().join("content/articles");
        for n in 1..=4 {
            let text = format!(
                "---\ntitle: \"Bài {n}\"\ndate: 2023-0{n}-01\nscams: [gia-danh-co-quan-chuc-nang]\n---\nBài số {n}.\n"
            );
            std::fs::write(articles.join(format!("bai-{n}.md")), text).unwrap();
        }
        let options = BuildOptions { root: dir.path().to_path_buf(), drafts: true, ..BuildOptions::default() };
        (dir, options)
    }

    /// What an edit did: the files rendered before it, those whose rendering it changed (made,
    /// changed or gone) and those [`dropped`] drops.
    struct Edited {
        before: BTreeMap<String, Vec<u8>>,
        changed: Vec<String>,
        dropped: BTreeSet<String>,
    }

    /// Saves `text` into `file`, loads the next model from `last` as the preview does, and checks
    /// that every file whose rendering changed is dropped, and that the edit does not drop
    /// everything.
    fn edit(loader: &Loader, options: &BuildOptions, last: &Live, file: &Path, text: &str) -> (Live, Edited) {
        std::fs::write(file, text).unwrap();
        let next = load(loader, options, Some(&[file.to_path_buf()]), Some(last)).unwrap();
        let (before, after) = (rendered(last), rendered(&next));
        let paths: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let changed: Vec<String> =
            paths.into_iter().filter(|path| before.get(*path) != after.get(*path)).cloned().collect();
        let dropped = dropped(last.site(), next.site(), &[file.to_path_buf()]).expect("not everything dropped");
        for path in &changed {
            let in_folder = |d: &String| d.ends_with('/') && path.starts_with(d.as_str());
            assert!(dropped.contains(path) || dropped.iter().any(in_folder), "{text}: {path} changed and was kept");
        }
        (next, Edited { before, changed, dropped })
    }

    /// Issue 10: an edit that makes an old article urgent, or changes when an urgent one was
    /// updated, moves it to the front of the home page and its term pages, and every other list
    /// page after it shows other articles: each list page that changes is dropped, not only the
    /// pages that listed the article (the list pages' inputs in the route table are the articles
    /// they show).
    #[test]
    fn a_severity_edit_drops_every_list_page_it_moves_issue_10() {
        let (dir, options) = five_list_pages();
        let loader = Loader::default();
        let mut last = load(&loader, &options, None, None).unwrap();
        let file = dir.path().join("content/articles/bai-1.md");
        let original = std::fs::read_to_string(&file).unwrap();
        // Made urgent: it leaves the last home page, every later page shows another article;
        // then only its updated date changes.
        let edits = [
            ("---\nseverity: urgent\nupdated: 2030-01-01\n", true),
            ("---\nseverity: urgent\nupdated: 2030-02-01\n", false),
        ];
        for (text, moves_pages) in edits {
            let (next, edited) = edit(&loader, &options, &last, &file, &original.replacen("---\n", text, 1));
            let moved = edited.changed.iter().any(|p| p.starts_with("trang/"));
            assert_eq!(moved, moves_pages, "{text}: {:?}", edited.changed);
            last = next;
        }
    }

    /// Issue 10: an edit of an article's body drops the list pages that show it and keeps every
    /// other list page (their inputs are the articles they show, not every article).
    #[test]
    fn a_body_edit_keeps_the_list_pages_that_do_not_show_the_article_issue_10() {
        let (dir, options) = five_list_pages();
        let loader = Loader::default();
        let last = load(&loader, &options, None, None).unwrap();
        let file = dir.path().join("content/articles/bai-3.md");
        let text = std::fs::read_to_string(&file).unwrap().replace("Bài số 3.", "Bài số 3, đã sửa.");
        let (next, edited) = edit(&loader, &options, &last, &file, &text);
        let table = &next.site().routes;
        let lists: Vec<&str> =
            table.files().filter(|(_, r)| table.jobs()[r.job].job.list_page().is_some()).map(|(f, _)| f).collect();
        // The home pages, the scam type's, its audience's, an empty page of each other term.
        assert_eq!(lists.len(), 5 + 5 + 1 + 4, "{lists:?}");
        for list in lists {
            let shows = String::from_utf8_lossy(&edited.before[list]).contains("/canh-bao/bai-3/");
            assert_eq!(edited.dropped.contains(list), shows, "{list}");
        }
        // Its page of the home page and of its scam type, its own page and what lists every
        // article (the feed, the search page and index, the sitemap, the scam types' index).
        assert!(edited.dropped.contains("trang/3/index.html") && edited.dropped.contains("canh-bao/bai-3/index.html"));
        assert!(edited.changed.contains(&"trang/3/index.html".to_string()), "{:?}", edited.changed);
    }

    /// Issue 10: an edit that gives an article another audience changes the count and the pages
    /// of that audience's list, also on its page that shows the same article as before.
    #[test]
    fn a_term_edit_drops_the_pages_of_the_lists_it_joins_issue_10() {
        let (dir, options) = five_list_pages();
        let loader = Loader::default();
        let last = load(&loader, &options, None, None).unwrap();
        let file = dir.path().join("content/articles/bai-1.md");
        let text = std::fs::read_to_string(&file).unwrap().replace("---\nBài", "audiences: [nguoi-cao-tuoi]\n---\nBài");
        let (_, edited) = edit(&loader, &options, &last, &file, &text);
        // Page 1 shows the scaffold's article, as before, now 1 of 2.
        let page = "doi-tuong/nguoi-cao-tuoi/index.html";
        assert!(edited.changed.contains(&page.to_string()) && edited.dropped.contains(page));
        assert!(edited.dropped.contains("doi-tuong/nguoi-cao-tuoi/trang/2/index.html"), "the new page");
        assert!(!edited.dropped.contains("trang/2/index.html"), "the home pages show the same articles");
    }
}
