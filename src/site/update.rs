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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;

use super::kept::ReadBody;
use super::{Bodies, Body, ListOrders, RouteTable, Site, SiteArticle, Summary};
use crate::config::Config;
use crate::content::{self, Article, BundleFile, Discovered, Item, Leaflet, Page, Refused, Source};
use crate::diagnostics::ContentErrors;
use crate::markdown::Rendered;
use crate::render::search::BodyTerms;

/// A parsed item, with the text it was parsed from.
struct Parsed<T> {
    text: String,
    files: Vec<PathBuf>,
    item: T,
}

/// What was read of an article's body: its summary and search terms.
type Read = (Summary, BodyTerms);

/// What was made of a source shown at a site path, by source path and site path, with the
/// source's text it was made from.
type ByPlace<T> = Mutex<HashMap<(PathBuf, String), (String, T)>>;

/// The link targets (content path to URL) and the drafts of a load.
type Links = (HashMap<String, String>, Vec<String>);

/// What the last load made, by source path.
#[derive(Default)]
pub struct Memo {
    articles: Mutex<HashMap<PathBuf, Parsed<Article>>>,
    pages: Mutex<HashMap<PathBuf, Parsed<Page>>>,
    leaflets: Mutex<HashMap<PathBuf, Parsed<Leaflet>>>,
    /// Bodies of pages rendered, by source path and site path: the source's text and the
    /// rendering.
    bodies: ByPlace<(Rendered, ())>,
    /// Bodies of articles, the same way, with what was read of them (their reader text is not
    /// kept: [`SiteArticle::read`]).
    article_bodies: ByPlace<(Rendered, Read)>,
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
            self.forget_bodies();
            *links = Some((targets.clone(), drafts.to_vec()));
        }
    }

    /// The body of the item at `source` shown at site path `path`: kept, or made by `render`.
    pub(super) fn body(&self, source: &Source, path: &str, render: impl FnOnce() -> Body) -> Body {
        self.remembered(&self.bodies, source, path, || (render(), ())).0
    }

    /// The body of article `item` shown at site path `path`, with what was read of it: kept, or
    /// made by `make`.
    pub(super) fn article_body(&self, item: &Item, path: &str, make: impl FnOnce() -> ReadBody) -> ReadBody {
        self.remembered(&self.article_bodies, &item.source, path, make)
    }

    /// The body of `source` at `path` and what came with it, from `kept` when it holds them for
    /// the same text, else made by `make` (and kept when the body is [`Body::plain`]).
    fn remembered<T: Clone>(
        &self,
        kept: &ByPlace<(Rendered, T)>,
        source: &Source,
        path: &str,
        make: impl FnOnce() -> (Body, T),
    ) -> (Body, T) {
        let key = (source.path.clone(), path.to_string());
        if let Some((text, (rendered, with))) = lock(kept).get(&key)
            && *text == source.text
        {
            return (Body { rendered: rendered.clone(), ..Body::default() }, with.clone());
        }
        self.made.fetch_add(1, Ordering::Relaxed);
        let (body, with) = make();
        if body.plain() {
            lock(kept).insert(key, (source.text.clone(), (body.rendered.clone(), with.clone())));
        } else {
            lock(kept).remove(&key);
        }
        (body, with)
    }

    fn forget_bodies(&self) {
        lock(&self.bodies).clear();
        lock(&self.article_bodies).clear();
    }
}

impl Body {
    /// Whether the body shows no image and has no problem or warning: it adds nothing to the
    /// site's image plan, problems and warnings.
    pub(super) fn plain(&self) -> bool {
        let plan = &self.images;
        let no_images =
            plan.renditions.is_empty() && plan.copies.is_empty() && plan.replaced.is_empty() && plan.kept.is_empty();
        no_images && self.problems.is_empty() && self.warnings.is_empty()
    }
}

/// A model loaded after an edit.
pub struct Loaded {
    pub site: Site,
    /// `Some(i)` when the model is the last one with article `i` made again, nothing else
    /// ([`Loader::update`]): the route table's files and jobs, the lists, the templates' view of
    /// the other items are those of the last model (the list pages' inputs are new when the
    /// article moved within its lists).
    pub remade: Option<usize>,
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
            self.memo.forget_bodies();
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
                self.memo.forget_bodies();
                content::discover(&config)?
            }
        };
        if problems.is_empty() {
            *lock(&self.sources) = Some(copy(&discovered));
        }
        // The preview reads the bodies a build kept, and keeps what it renders.
        let cache = crate::cache::Cache::new(&config.root.join(crate::cache::CACHE_DIR));
        Site::load_with(config, discovered, problems, Some(&self.memo), Some(&cache))
            .map_err(|rejected| ContentErrors(rejected.problems).into())
    }
}

impl Loader {
    /// [`Loader::load`] after an edit, knowing the model being served (`last`, the last good
    /// one: `changed` lists every file saved since it was loaded). When the edit changed one
    /// article, in its body or in front matter fields that only its own views show (title,
    /// summary, severity, `updated`, SMS and radio texts), and neither the old nor the new body
    /// shows an image or has a problem, the new model is `last` with that article made again:
    /// what every other part of the model derives from (paths, date order, terms, aliases, short
    /// links, covers, files) is the same, so the rest is shared, not rebuilt (issue 10). A new
    /// severity or `updated` date may move it within its lists: the list orders are made again,
    /// and the route table too when they differ (the list pages' inputs).
    /// Anything else is loaded by [`Loader::load`].
    pub fn update(&self, config: Config, changed: Option<&[PathBuf]>, last: Option<&Site>) -> Result<Loaded> {
        if let (Some(changed), Some(last)) = (changed, last)
            && let Some(loaded) = self.article_edit(&config, changed, last)
        {
            return Ok(loaded);
        }
        self.load(config, changed).map(|site| Loaded { site, remade: None })
    }

    /// The model after an edit of one article that moves nothing, or `None` (see
    /// [`Loader::update`]).
    fn article_edit(&self, config: &Config, changed: &[PathBuf], last: &Site) -> Option<Loaded> {
        let path = changed.first()?;
        if changed.iter().any(|c| c != path) || format!("{config:?}") != format!("{:?}", last.config) {
            return None;
        }
        let i = last.articles.iter().position(|a| a.article.source.path == *path)?;
        let old = &last.articles[i];
        let mut sources = lock(&self.sources);
        let kept = sources.as_mut()?.articles.iter_mut().find(|(s, _)| s.path == *path)?;
        let source = content::read_source(config, path).ok()?;
        let paths = |files: &[BundleFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        if paths(&kept.1) != paths(&old.article.files) {
            return None;
        }
        let text = source.text.clone();
        let article = content::article::parse(source.clone(), old.article.files.clone(), config).ok()?;
        if placed(&article) != placed(&old.article) {
            return None;
        }
        let targets: HashMap<String, String> = last
            .articles
            .iter()
            .map(|a| (&a.article.item, &a.path))
            .chain(last.pages.iter().map(|p| (&p.page.item, &p.path)))
            .chain(last.leaflets.iter().map(|l| (&l.leaflet.item, &l.path)))
            .map(|(item, path)| (item.source.rel.clone(), last.urls.url(path)))
            .collect();
        // No drafts: they only name the help of a broken link, and a body with one is not taken.
        let bodies = Bodies { config, targets: &targets, drafts: &[] };
        let render = |a: &Article| {
            let place = crate::pictures::Place::body(config, &a.source, &a.files, &old.path);
            bodies.render(&place, a.body(), 0..a.body().len(), a.body_line)
        };
        let key = (path.clone(), old.path.clone());
        let was_kept = lock(&self.memo.article_bodies).get(&key).is_some_and(|(t, ..)| *t == old.article.source.text);
        if !was_kept && !render(&old.article).plain() {
            return None;
        }
        let body = render(&article);
        if !body.plain() {
            return None;
        }
        self.memo.made.fetch_add(2, Ordering::Relaxed);
        let files = paths(&article.files);
        lock(&self.memo.articles).insert(path.clone(), Parsed { text: text.clone(), files, item: article.clone() });
        let mut rendered = body.rendered;
        let read = SiteArticle::read(article.summary.as_deref(), &mut rendered);
        lock(&self.memo.article_bodies).insert(key, (text, (rendered.clone(), read.clone())));
        kept.0 = source;
        let edited =
            SiteArticle::new(article, old.path.clone(), (rendered, read), old.cover.clone(), old.related.clone(), None);
        let mut site = last.clone();
        site.articles[i] = Arc::new(edited);
        // A new severity or `updated` date moves the article within its lists: the list pages
        // get the articles a fresh load puts on them (the same files and jobs).
        let orders = ListOrders::new(
            site.articles.iter().map(|a| &a.article),
            (&site.scams, &site.audiences),
            config.paginate_by,
        );
        if orders != *site.orders {
            let mut routes = RouteTable::clone(&site.routes);
            routes.reorder(&orders);
            site.routes = Arc::new(routes);
            site.orders = Arc::new(orders);
        }
        Some(Loaded { site, remade: Some(i) })
    }
}

/// The fields of an article that the rest of the model derives something from: its URL, its
/// place in the lists (date, slug), its term pages and related articles, its aliases and short
/// links, its cover (image plan, warnings), its draft flag and bundle files. Lines count: they
/// name the owners of aliases and the warnings.
fn placed(a: &Article) -> String {
    let files: Vec<&PathBuf> = a.files.iter().map(|f| &f.path).collect();
    let cover = (&a.cover, a.cover_line, &a.cover_alt);
    format!("{:?}", (&a.slug, &a.date, a.draft, &a.aliases, &a.scams, &a.audiences, cover, &a.code, files))
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
        // What the index reads of the edited body, and no reader text kept (issue 10).
        assert_eq!(second.articles[0].search, fresh.articles[0].search);
        assert!(!second.articles[0].search.words.is_empty());
        assert!(second.articles[0].body.text.is_empty());
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

    /// Three more articles beside the scaffold's, the second linking to the third.
    fn site_of_four() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let articles = dir.path().join("content/articles");
        for (n, date) in [(1, "2024-06-01"), (2, "2024-07-01"), (3, "2024-08-01")] {
            let link = if n == 2 { "\n\nXem [bài 3](bai-3.md).\n" } else { "" };
            let text = format!(
                "---\ntitle: \"Bài {n}\"\ndate: {date}\nscams: [gia-danh-co-quan-chuc-nang]\n\
                 audiences: [nguoi-cao-tuoi]\n---\nĐoạn đầu của bài {n}.\n\n## Thủ đoạn\n\nKẻ gian gọi điện.{link}\n"
            );
            std::fs::write(articles.join(format!("bai-{n}.md")), text).unwrap();
        }
        dir
    }

    /// Everything a model holds, as text (its Debug form has no hash map: the same model gives
    /// the same text).
    fn model(site: &Site) -> String {
        format!("{site:#?}")
    }

    /// Asserts that two models are the same, showing the first line where they differ.
    fn assert_same(got: &Site, fresh: &Site, what: &str) {
        let (got, fresh) = (model(got), model(fresh));
        if let Some((n, (a, b))) = got.lines().zip(fresh.lines()).enumerate().find(|(_, (a, b))| a != b) {
            panic!("{what}: line {n} of the model is `{a}`, a fresh load has `{b}`");
        }
        assert_eq!(got.lines().count(), fresh.lines().count(), "{what}");
    }

    /// An edit: what it changes, how, and whether the new model is the last one with the article
    /// made again.
    type Edit = (&'static str, fn(&str) -> String, bool);

    /// Issue 10: after each edit, the model the preview takes (from the last one, see
    /// [`Loader::update`]) is the one a fresh load makes, whether the last model was shared (an
    /// edit of the body, the title, the severity or the summary) or not (the date: the order
    /// changes; the terms, an alias, the slug, the draft flag), or the front matter was broken
    /// and fixed.
    #[test]
    fn every_edit_gives_the_model_of_a_fresh_load_issue_10() {
        let dir = site_of_four();
        let root = dir.path();
        for drafts in [true, false] {
            let config = || Config::load(root, None, drafts).unwrap();
            let loader = Loader::default();
            let mut last = loader.load(config(), None).unwrap();
            let file = root.join("content/articles/bai-2.md");
            let original = std::fs::read_to_string(&file).unwrap();
            let edits: [Edit; 11] = [
                ("body", |t| t.replace("Kẻ gian gọi điện.", "Kẻ gian gọi điện, nhắn tin."), true),
                ("body again", |t| format!("{t}\nMột đoạn mới.\n"), true),
                ("title", |t| t.replace("title: \"Bài 2\"", "title: \"Bài hai\""), true),
                (
                    "severity and summary",
                    |t| t.replace("---\nĐoạn", "severity: urgent\nsummary: Tóm tắt.\n---\nĐoạn"),
                    true,
                ),
                ("an alias", |t| t.replace("---\nĐoạn", "aliases: [/cu/bai-2/]\n---\nĐoạn"), false),
                ("date: the order changes", |t| t.replace("2024-07-01", "2024-09-01"), false),
                ("terms", |t| t.replace("[nguoi-cao-tuoi]", "[nguoi-cao-tuoi, hoc-sinh-sinh-vien]"), false),
                ("slug", |t| t.replace("---\nĐoạn", "slug: bai-hai\n---\nĐoạn"), false),
                ("draft", |t| t.replace("---\nĐoạn", "draft: true\n---\nĐoạn"), false),
                ("summary from the body", |t| t.replace("Đoạn đầu của bài 2.", "Tóm tắt mới."), true),
                ("saved as it was", |t| t.to_string(), true),
            ];
            for (what, edit, in_place) in edits {
                let text = edit(&original);
                std::fs::write(&file, &text).unwrap();
                let loaded = loader.update(config(), Some(std::slice::from_ref(&file)), Some(&last)).unwrap();
                let fresh = Loader::default().load(config(), None).unwrap();
                assert_same(&loaded.site, &fresh, &format!("{what} (drafts: {drafts})"));
                assert_eq!(loaded.remade.is_some(), in_place, "{what}: the last model shared");
                last = loaded.site;
                std::fs::write(&file, &original).unwrap();
                last = loader.update(config(), Some(std::slice::from_ref(&file)), Some(&last)).unwrap().site;
            }
            // A broken front matter is refused, naming the file; fixed, the model is a fresh one.
            std::fs::write(&file, original.replace("date: 2024-07-01", "date: 2024-13-45")).unwrap();
            let Err(err) = loader.update(config(), Some(std::slice::from_ref(&file)), Some(&last)) else {
                panic!("a bad date was taken")
            };
            assert!(format!("{err:#}").contains("bai-2.md"), "{err:#}");
            std::fs::write(&file, original.replace("Kẻ gian gọi điện.", "Đã sửa.")).unwrap();
            let loaded = loader.update(config(), Some(&[file.clone(), file.clone()]), Some(&last)).unwrap();
            assert_same(&loaded.site, &Loader::default().load(config(), None).unwrap(), "fixed");
            assert!(loaded.remade.is_some(), "only the body differs from the last good model");
            // A body that breaks a link is refused as a fresh load refuses it.
            std::fs::write(&file, original.replace("bai-3.md", "bai-9.md")).unwrap();
            let Err(err) = loader.update(config(), Some(std::slice::from_ref(&file)), Some(&loaded.site)) else {
                panic!("a broken link was taken")
            };
            assert!(format!("{err:#}").contains("bai-2.md") && format!("{err:#}").contains("bai-9.md"), "{err:#}");
            std::fs::write(&file, &original).unwrap();
        }
    }
}
