//! The route table: every output file of the site, computed once, with its owner (the source
//! or generator named when two claim one file), the job that makes it and the job's inputs (the
//! items it shows). Everything that needs the list of outputs reads it from here, never lists
//! them again:
//! - the collision check: a second claim on a file is one error naming both owners;
//! - the render jobs: [`RouteTable::jobs`], each run once by [`crate::render::render_site`],
//!   which writes exactly the files claimed for it;
//! - the sitemap: [`RouteTable::pages`] (page routes; no redirect, feed or file);
//! - the printed-URL check ([`crate::registry::check`]) and the menu check of site.yaml:
//!   [`RouteTable::contains`];
//! - incremental preview: [`RouteTable::affected`] (and [`Site::affected`] from changed source
//!   files), the routes whose job shows a changed item, and [`RouteTable::changed_since`], the
//!   routes an edit gave another job, owner or inputs.
//!
//! A list page's inputs are the articles on it, as [`ListOrders::page`] puts them there for the
//! renderer too: an edit that moves an article within a list (its severity, its `updated`
//! date) changes the inputs of exactly the pages that show other articles after it.
//!
//! [`Site::new`] fills the table in three passes, so that the first claim on a file wins and the
//! others are reported at their own place: the generated pages ([`RouteTable::claim_generated`]),
//! the items' own URLs ([`RouteTable::claim_page`]), the files beside the items, images, bundle
//! and static files ([`RouteTable::claim_files`]), then the aliases.
//!
//! ## Adding a kind of output
//! 1. Add a variant to [`Job`] (owned data: indexes into the lists of [`Site`], paths), and list
//!    it in [`Job::is_page`] if it is an HTML page for the sitemap.
//! 2. Claim its files where its item is claimed: in [`RouteTable::claim_generated`] for one per
//!    site, in [`RouteTable::claim_files`] for files beside an item, with
//!    `self.claim_job(&files, source, owner, Task { job, inputs }, problems)`. Give the right
//!    [`Inputs`] (what the output shows) so that preview re-renders it when they change. Use an
//!    [`Owner`] that names it for an editor (a new variant's text lives in `messages.rs`). A new
//!    paginated list of articles gets a [`List`] variant ordered in [`ListOrders`]: its pages'
//!    inputs are [`ListOrders::page`] (`list_page`), and its renderer shows that same page.
//! 3. Render it: one match arm in `Renderer::run` (`src/render/mod.rs`) that writes each
//!    claimed file to the sink. A file the table does not list is never written.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::orders::{List, ListOrders};
use super::{Site, SiteArticle, SiteLeaflet, SitePage, TermIndex};
use crate::config::Config;
use crate::content::{Article, Leaflet, Page};
use crate::diagnostics::Diagnostic;
use crate::messages::{Message, Owner, Vocabulary};
use crate::pictures::{self, ImagePlan};
use crate::render::codes::{self, Code};
use crate::shortlinks::ShortCodes;
use crate::urls;

/// The articles, pages and leaflets with their site paths, in the order of [`Site`]'s lists.
pub(super) type ItemPaths<'a> =
    ((&'a [Article], &'a [String]), (&'a [Page], &'a [String]), (&'a [Leaflet], &'a [String]));

/// Index of a job in [`RouteTable::jobs`].
pub type JobId = usize;

/// One output file: who owns it (for messages) and which job writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub owner: Owner,
    pub job: JobId,
}

/// A job and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Task {
    pub job: Job,
    pub inputs: Inputs,
}

/// What makes one or more output files. Indexes are into the lists of [`Site`] (`articles`,
/// `pages`, `leaflets`, `scams`/`audiences`); page numbers start at 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    /// Page `n` of the home page.
    Home(usize),
    Article(usize),
    Page(usize),
    /// The index of a vocabulary (`/thu-doan/`).
    Terms(Vocabulary),
    /// Page `n` of a term's list (term index into `scams` or `audiences`).
    Term(Vocabulary, usize, usize),
    /// The site's Atom feed (`None`) or a scam type's.
    Feed(Option<usize>),
    /// A redirect to the page at this site path.
    Alias {
        target: String,
    },
    /// The index of the leaflets.
    Leaflets,
    /// A print page of a leaflet: print 0 is the leaflet itself, then its variants in order.
    Leaflet(usize, usize),
    /// The short link of a print, redirecting to the leaflet's target.
    ShortLink(usize, usize),
    Sitemap,
    Robots,
    NotFound,
    /// The search page.
    Search,
    /// The files of the search index (a folder).
    SearchIndex,
    /// [`crate::output::MARKER_FILE`], written by the writer itself.
    Marker,
    /// The site-wide social card.
    SiteCard,
    /// An article's social card.
    Card(usize),
    /// A QR code, as SVG and PNG ([`Code::files`]).
    Qr(Code),
    /// A leaflet print's PDF, printed by Chromium after rendering (with `--pdf` only).
    Pdf(usize, usize),
    /// Every re-encoding of this image ([`ImagePlan::renditions`]).
    Renditions(PathBuf),
    /// An article's or leaflet's channel texts, page for officials and SMS short link (issue 12)
    /// and its presenters' material: poster page, screen card and, for an article, its slide
    /// deck (issue 14). Made together from one reading of its body; its PDFs are
    /// [`Job::PresentPdf`].
    Material(ItemRef),
    /// The index of the campaign kits and the bulk-SMS file (issue 12), made after every
    /// [`Job::Material`] (it lists their SMS texts); the kits themselves (ZIPs) are written once
    /// the PDFs are printed ([`crate::channels::kit::write_kits`]).
    ChannelsIndex,
    /// A hand-written slide deck (index into `Site::presenter.decks`).
    Deck(usize),
    /// A handbook's reading and imposed pages (index into `Site::presenter.handbooks`).
    Handbook(usize),
    /// A PDF of that material, printed by Chromium after rendering (with `--pdf` only).
    PresentPdf,
    /// A file copied as it is.
    Copy {
        from: PathBuf,
        to: String,
    },
    /// Short link `k` of article `i` ([`crate::shortlinks::ShortCodes::links`], issue 14): its printed link,
    /// then the links kept alive by its aliases; a redirect to the article.
    ArticleShortLink(usize, usize),
}

/// An article or a leaflet (index into `Site::articles` or `Site::leaflets`): what channel
/// texts and presenters' material are made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemRef {
    Article(usize),
    Leaflet(usize),
}

impl ItemRef {
    /// The input a job made for this item shows.
    pub fn input(self) -> Input {
        match self {
            ItemRef::Article(i) => Input::Article(i),
            ItemRef::Leaflet(i) => Input::Leaflet(i),
        }
    }
}

impl Job {
    /// The list and page number of a list page (the home page's and the term pages).
    pub fn list_page(&self) -> Option<(List, usize)> {
        match *self {
            Job::Home(n) => Some((List::Home, n)),
            Job::Term(what, t, n) => Some((List::Term(what, t), n)),
            _ => None,
        }
    }

    /// Whether the job makes an HTML page a search engine should list (the sitemap): not a
    /// redirect, a feed, the 404 page or a file.
    pub fn is_page(&self) -> bool {
        matches!(
            self,
            Job::Home(_)
                | Job::Article(_)
                | Job::Page(_)
                | Job::Terms(_)
                | Job::Term(..)
                | Job::Leaflets
                | Job::Leaflet(..)
                | Job::Search
        )
    }
}

/// A source a job shows: an item (with its bundle files) or a file (static, image).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Input {
    Article(usize),
    Page(usize),
    Leaflet(usize),
    /// A static, bundle or image file (absolute path).
    File(PathBuf),
}

/// What a job's output depends on besides site.yaml, the templates and the theme (on which
/// everything depends).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inputs {
    /// Nothing else (404, robots.txt, the site card).
    Templates,
    /// These items.
    Items(Vec<Input>),
    /// A page of an article list showing these articles, in this order ([`ListOrders::page`]),
    /// of a list of `of` articles (the page shows the count and links to the other pages).
    ListPage { items: Vec<Input>, of: usize },
    /// Every article (the term indexes with their counts, the search index, the site feed: its
    /// `updated` is the newest change of any article).
    AllArticles,
    /// Every article, page and leaflet (the sitemap).
    AllItems,
}

impl Inputs {
    fn shows_any(&self, changed: &BTreeSet<Input>) -> bool {
        match self {
            Inputs::Templates => false,
            Inputs::Items(items) | Inputs::ListPage { items, .. } => items.iter().any(|i| changed.contains(i)),
            Inputs::AllArticles => changed.iter().any(|i| matches!(i, Input::Article(_))),
            Inputs::AllItems => changed.iter().any(|i| !matches!(i, Input::File(_))),
        }
    }
}

/// The route table: every output file (relative to the output folder, `/` separators) with its
/// owner and job, the folders one job fills, and the jobs with their inputs.
#[derive(Debug, Default, Clone)]
pub struct RouteTable {
    /// Boxed: a path is made by `format!`, whose buffer has up to twice the room it needs, and the
    /// table keeps 15 files an article (issue 10: memory).
    files: BTreeMap<Box<str>, Route>,
    /// Folders whose every file belongs to one job (the search index), with a trailing `/`.
    folders: Vec<(String, Route)>,
    jobs: Vec<Task>,
}

/// How the route table says a URL is taken twice (the one place this diagnostic is made); `page`
/// when the second claim is a page or an alias, not a file.
fn taken_twice(source: &str, url: &str, existing: &Owner, owner: &Owner, page: bool) -> Diagnostic {
    let message = Message::UrlTaken { url: url.to_string(), first: existing.clone(), second: owner.clone() };
    Diagnostic::new(source, message).help(if page { Message::UrlTakenHelp } else { Message::FileTakenHelp })
}

impl RouteTable {
    /// Every job, in the order claimed; [`Route::job`] indexes it.
    pub fn jobs(&self) -> &[Task] {
        &self.jobs
    }

    /// Every output file with its route, sorted by path (folders of one job not included).
    pub fn files(&self) -> impl Iterator<Item = (&str, &Route)> {
        self.files.iter().map(|(f, r)| (&**f, r))
    }

    /// The files claimed for job `id` (a folder's job has none listed: see [`Self::owner`]).
    pub fn files_of(&self, id: JobId) -> impl Iterator<Item = &str> {
        self.files.iter().filter(move |(_, r)| r.job == id).map(|(f, _)| &**f)
    }

    /// The route of an output file: listed, or inside a folder one job fills.
    pub fn route(&self, file: &str) -> Option<&Route> {
        self.files.get(file).or_else(|| {
            self.folders.iter().find(|(folder, _)| file.starts_with(folder.as_str())).map(|(_, route)| route)
        })
    }

    /// The owner of `file`, if it is claimed.
    pub fn owner(&self, file: &str) -> Option<&Owner> {
        self.route(file).map(|r| &r.owner)
    }

    /// Whether the output has `file` (a page's is `x/index.html`, see [`urls::output_file`]).
    pub fn contains(&self, file: &str) -> bool {
        self.route(file).is_some()
    }

    /// The HTML pages a search engine should list, as site paths (`/canh-bao/x/`), sorted, with
    /// their jobs.
    pub fn pages(&self) -> impl Iterator<Item = (String, &Job)> {
        self.files.iter().map(|(file, route)| (file, &self.jobs[route.job].job)).filter(|(_, job)| job.is_page()).map(
            |(file, job)| {
                let dir = file.strip_suffix("index.html").unwrap_or(file);
                (format!("/{dir}"), job)
            },
        )
    }

    /// The output files to make again when the items in `changed` change: those of every job
    /// that shows one of them. A folder a job fills is given as its path ending in `/`.
    ///
    /// This answers for the site as this table describes it. An edit that moves items within or
    /// between lists (a new date, severity or `updated` date, new scam types or audiences)
    /// changes other list pages too: ask the table before the edit and the one after, and take
    /// both answers and the files whose routes differ ([`Self::changed_since`]). An article
    /// added or removed changes every file ([`Affected::Everything`]).
    pub fn affected(&self, changed: &[Input]) -> BTreeSet<String> {
        let changed: BTreeSet<Input> = changed.iter().cloned().collect();
        let hit: BTreeSet<JobId> =
            self.jobs.iter().enumerate().filter(|(_, t)| t.inputs.shows_any(&changed)).map(|(id, _)| id).collect();
        let files = self.files.iter().filter(|(_, r)| hit.contains(&r.job)).map(|(f, _)| f.to_string());
        let folders = self.folders.iter().filter(|(_, r)| hit.contains(&r.job)).map(|(f, _)| f.clone());
        files.chain(folders).collect()
    }

    /// The output files (and folders one job fills, ending in `/`) whose route differs in `old`,
    /// the table of the model before an edit: in one table only, or made for another owner, by
    /// another job or from other inputs (a list page that shows other articles, or counts
    /// others, after the edit).
    pub fn changed_since(&self, old: &RouteTable) -> BTreeSet<String> {
        let same = |before: Option<&Route>, now: &Route| {
            before.is_some_and(|b| b.owner == now.owner && old.jobs[b.job] == self.jobs[now.job])
        };
        let mut changed: BTreeSet<String> = self
            .files
            .iter()
            .filter(|(file, route)| !same(old.files.get(*file), route))
            .map(|(f, _)| f.to_string())
            .collect();
        changed.extend(old.files.keys().filter(|file| !self.files.contains_key(*file)).map(|f| f.to_string()));
        for (path, route) in &self.folders {
            if !same(old.folder(path), route) {
                changed.insert(path.clone());
            }
        }
        changed.extend(old.folders.iter().filter(|(path, _)| self.folder(path).is_none()).map(|(p, _)| p.clone()));
        changed
    }

    /// The route of the folder `path` (ending in `/`) one job fills.
    fn folder(&self, path: &str) -> Option<&Route> {
        self.folders.iter().find(|(f, _)| f == path).map(|(_, r)| r)
    }

    /// Gives every list page the articles `orders` puts on it, after an edit that moved articles
    /// within their lists and nothing else ([`super::update`]): the same files and jobs, each
    /// list page with the inputs a fresh load gives it.
    pub(super) fn reorder(&mut self, orders: &ListOrders) {
        for task in &mut self.jobs {
            if let Some((list, n)) = task.job.list_page() {
                task.inputs = list_page(orders, list, n);
            }
        }
    }

    fn add(&mut self, task: Task) -> JobId {
        self.jobs.push(task);
        self.jobs.len() - 1
    }

    /// Claims a generated file (the first claims of a build: nothing is there yet).
    fn generated(&mut self, path: &str, owner: Owner, job: Job, inputs: Inputs) {
        let id = self.add(Task { job, inputs });
        self.files.insert(urls::output_file(path).into(), Route { owner, job: id });
    }

    /// Claims the pages, feeds and files the site generates by itself: the home page and its
    /// pages, the vocabularies' indexes and term pages, the scam types' feeds, the site feed,
    /// sitemap, robots.txt, 404 page, search page and index, the output marker and the site card.
    /// Audience pages have no feed (nothing links one). The list pages are cut and ordered as
    /// `orders` says.
    pub(super) fn claim_generated(
        &mut self,
        config: &Config,
        orders: &ListOrders,
        (scams, audiences): (&[TermIndex], &[TermIndex]),
    ) {
        for n in 1..=orders.pages(List::Home) {
            self.generated(&urls::page_path("/", n), Owner::HomePage, Job::Home(n), list_page(orders, List::Home, n));
        }
        for (segment, what, terms) in [
            (&config.sections.scams, Vocabulary::Scams, scams),
            (&config.sections.audiences, Vocabulary::Audiences, audiences),
        ] {
            // The index shows every term with its count.
            self.generated(&format!("/{segment}/"), Owner::TermIndex(what), Job::Terms(what), Inputs::AllArticles);
            for (t, term) in terms.iter().enumerate() {
                let owner = Owner::TermPage(what, term.term.key.as_str().into());
                let list = List::Term(what, t);
                for n in 1..=orders.pages(list) {
                    let inputs = list_page(orders, list, n);
                    self.generated(&urls::page_path(&term.path, n), owner.clone(), Job::Term(what, t, n), inputs);
                }
                if what == Vocabulary::Scams {
                    // Its newest entries, and its `updated`: the newest change of any of them.
                    let feed = format!("{}atom.xml", term.path);
                    let inputs = Inputs::Items(term.articles.iter().map(|&i| Input::Article(i)).collect());
                    let owner = Owner::TermFeed(what, term.term.key.as_str().into());
                    self.generated(&feed, owner, Job::Feed(Some(t)), inputs);
                }
            }
        }
        let search = crate::render::search::SEARCH_PATH;
        // The search page lists the newest articles, and counts them all.
        let article_count = orders.order(List::Home).len();
        let listed = crate::render::search::listed(article_count).map(Input::Article).collect();
        let search_page = Inputs::ListPage { items: listed, of: article_count };
        for (file, job, inputs) in [
            ("/404.html", Job::NotFound, Inputs::Templates),
            ("/atom.xml", Job::Feed(None), Inputs::AllArticles),
            ("/sitemap.xml", Job::Sitemap, Inputs::AllItems),
            ("/robots.txt", Job::Robots, Inputs::Templates),
            (search, Job::Search, search_page),
        ] {
            self.generated(file, Owner::Generated(file.into()), job, inputs);
        }
        self.generated(
            &format!("/{}", crate::output::MARKER_FILE),
            Owner::OutputMarker,
            Job::Marker,
            Inputs::Templates,
        );
        let card = format!("/{}", crate::render::social::CARD_FILE);
        self.generated(&card, Owner::SiteCard, Job::SiteCard, Inputs::Templates);
        // Everything else under the search page's folder is the search index.
        let id = self.add(Task { job: Job::SearchIndex, inputs: Inputs::AllArticles });
        self.folders.push((search.trim_start_matches('/').to_string(), Route { owner: Owner::SearchIndex, job: id }));
    }

    /// Claims the index of the leaflets (when the site has some).
    pub(super) fn claim_leaflets_index(&mut self, config: &Config, leaflets: usize) {
        if leaflets > 0 {
            let inputs = Inputs::Items((0..leaflets).map(Input::Leaflet).collect());
            self.generated(&format!("/{}/", config.sections.leaflets), Owner::LeafletsIndex, Job::Leaflets, inputs);
        }
    }

    /// Claims the URL `path` (a page or an alias) for `source` (at `line`, for an alias), made by
    /// `job` from `inputs`.
    pub(super) fn claim_page(
        &mut self,
        path: &str,
        (source, line): (&str, Option<usize>),
        task: Task,
        problems: &mut Vec<Diagnostic>,
    ) {
        let owner = Owner::Source(match line {
            Some(line) => format!("{source}:{line}").into(),
            None => source.into(),
        });
        let file = urls::output_file(path);
        if let Some(existing) = self.owner(&file) {
            let mut d = taken_twice(source, path, existing, &owner, true);
            if let Some(line) = line {
                d = d.at(line, 1);
            }
            problems.push(d);
        } else {
            let id = self.add(task);
            self.files.insert(file.into(), Route { owner, job: id });
        }
    }

    /// Claims the URLs of the articles (whose pages also show their `related` articles) and their
    /// short links, pages, leaflets, their print variants and short links, each given with its
    /// site path.
    pub(super) fn claim_items(
        &mut self,
        codes: &ShortCodes,
        (articles, pages, leaflets): ItemPaths,
        related: &[Vec<usize>],
        problems: &mut Vec<Diagnostic>,
    ) {
        for (i, (article, path)) in articles.0.iter().zip(articles.1).enumerate() {
            let shown = std::iter::once(i).chain(related[i].iter().copied()).map(Input::Article).collect();
            let task = Task { job: Job::Article(i), inputs: Inputs::Items(shown) };
            self.claim_page(path, (&article.source.display, None), task, problems);
            // Its printed short link (issue 14), when the page is its own (no second error).
            if self.owner(&urls::output_file(path)).is_some_and(|o| o.is_source(&article.source.display)) {
                let own = codes.print_path(article, path);
                let task = Task { job: Job::ArticleShortLink(i, 0), inputs: Inputs::Items(vec![Input::Article(i)]) };
                self.claim_page(&own, (&article.source.display, None), task, problems);
            }
        }
        for (i, (page, path)) in pages.0.iter().zip(pages.1).enumerate() {
            let task = Task { job: Job::Page(i), inputs: Inputs::Items(vec![Input::Page(i)]) };
            self.claim_page(path, (&page.source.display, None), task, problems);
        }
        for (i, (leaflet, path)) in leaflets.0.iter().zip(leaflets.1).enumerate() {
            let source = (leaflet.source.display.as_str(), None);
            let task = |job| Task { job, inputs: Inputs::Items(vec![Input::Leaflet(i)]) };
            self.claim_page(path, source, task(Job::Leaflet(i, 0)), problems);
            for (k, variant) in leaflet.variants.iter().enumerate() {
                self.claim_page(&format!("{path}{}/", variant.id), source, task(Job::Leaflet(i, k + 1)), problems);
            }
            let prints = std::iter::once(&leaflet.code).chain(leaflet.variants.iter().map(|v| &v.code));
            for (k, code) in prints.enumerate() {
                let short = format!("/{}/{code}/", codes.section());
                self.claim_page(&short, source, task(Job::ShortLink(i, k)), problems);
            }
        }
    }

    /// Claims the aliases of the articles and pages, reported at their lines when taken (after
    /// every other file, so an alias that takes a file's URL is the one reported).
    pub(super) fn claim_aliases(
        &mut self,
        codes: &ShortCodes,
        site_articles: &[SiteArticle],
        pages: &[SitePage],
        problems: &mut Vec<Diagnostic>,
    ) {
        let articles = site_articles
            .iter()
            .enumerate()
            .map(|(i, a)| (&a.article.aliases, &a.path, &a.article.source, Input::Article(i)));
        let pages = pages.iter().enumerate().map(|(i, p)| (&p.page.aliases, &p.path, &p.page.source, Input::Page(i)));
        for (aliases, target, source, item) in articles.chain(pages) {
            for alias in aliases {
                let task =
                    Task { job: Job::Alias { target: target.clone() }, inputs: Inputs::Items(vec![item.clone()]) };
                self.claim_page(&alias.url, (&source.display, Some(alias.line)), task, problems);
            }
        }
        // The print and SMS short links an article had at an alias's address (issue 14), for the
        // aliases that are its own (a taken alias is reported once, above).
        for (i, a) in site_articles.iter().enumerate() {
            let links = codes.links(&a.article, &a.path);
            for (m, alias) in a.article.aliases.iter().enumerate() {
                let source = (a.article.source.display.as_str(), Some(alias.line));
                let owner = Owner::Source(format!("{}:{}", source.0, alias.line).into());
                if self.owner(&urls::output_file(&alias.url)) != Some(&owner) {
                    continue;
                }
                for k in [1 + 2 * m, 2 + 2 * m] {
                    let task =
                        Task { job: Job::ArticleShortLink(i, k), inputs: Inputs::Items(vec![Input::Article(i)]) };
                    self.claim_page(&links[k].path, source, task, problems);
                }
            }
        }
    }

    /// Claims the output files `files` of one job for `owner`; `source` is the file a conflict is
    /// reported in. A file the same owner already claimed is left to the first claim; the job is
    /// kept only if it claimed a file.
    fn claim_job(
        &mut self,
        files: impl IntoIterator<Item = String>,
        source: &str,
        owner: Owner,
        task: Task,
        problems: &mut Vec<Diagnostic>,
    ) {
        let id = self.jobs.len();
        if self.claim_into(id, files, source, owner, problems) {
            self.jobs.push(task);
        }
    }

    /// Claims `files` for `owner` as the files of job `id` (the job about to be added: no other
    /// job is added in between); whether one was claimed. See [`Self::claim_job`]. The paths
    /// become the table's keys as they are (issue 10: no copy of 155,000 paths).
    fn claim_into(
        &mut self,
        id: JobId,
        files: impl IntoIterator<Item = String>,
        source: &str,
        owner: Owner,
        problems: &mut Vec<Diagnostic>,
    ) -> bool {
        use std::collections::btree_map::Entry;
        let mut claimed = false;
        for file in files {
            // One search of the table per file (issue 10: 155,000 claims at 10,000 articles,
            // made one after another); a listed file, then a folder of one job, as `route`.
            let mut taken = |file: &str, existing: &Owner| {
                if *existing != owner {
                    problems.push(taken_twice(source, &format!("/{file}"), existing, &owner, false));
                }
            };
            match self.files.entry(file.into_boxed_str()) {
                Entry::Occupied(listed) => taken(listed.key(), &listed.get().owner),
                Entry::Vacant(free) => {
                    match self.folders.iter().find(|(folder, _)| free.key().starts_with(folder.as_str())) {
                        Some((_, route)) => taken(free.key(), &route.owner),
                        None => {
                            free.insert(Route { owner: owner.clone(), job: id });
                            claimed = true;
                        }
                    }
                }
            }
        }
        claimed
    }

    /// Claims every output file that is not a page: QR codes, social cards and PDFs beside the
    /// pages, bundle files, images and their re-encodings, static and theme files.
    pub(super) fn claim_files(
        &mut self,
        config: &Config,
        short_codes: &ShortCodes,
        (articles, pages, leaflets, presenter): (
            &[SiteArticle],
            &[SitePage],
            &[SiteLeaflet],
            &crate::present::Presenter,
        ),
        static_files: &[crate::output::CopyFile],
        plan: &ImagePlan,
        problems: &mut Vec<Diagnostic>,
    ) {
        // An item that lost its URL to another (already reported) claims nothing more.
        let owns = |routes: &RouteTable, path: &str, source: &str| {
            routes.files.get(urls::output_file(path).as_str()).is_some_and(|r| r.owner.is_source(source))
        };
        let articles: Vec<(usize, &SiteArticle)> =
            articles.iter().enumerate().filter(|(_, a)| owns(self, &a.path, &a.article.source.display)).collect();
        let pages: Vec<&SitePage> = pages.iter().filter(|p| owns(self, &p.path, &p.page.source.display)).collect();
        let leaflets: Vec<(usize, &SiteLeaflet)> =
            leaflets.iter().enumerate().filter(|(_, l)| owns(self, &l.path, &l.leaflet.source.display)).collect();
        // An item's owners share one copy of its source's name (issue 10: memory).
        for &(i, a) in &articles {
            let (dir, source) = (a.path.trim_start_matches('/'), a.article.source.display.as_str());
            let name: Arc<str> = source.into();
            let inputs = || Inputs::Items(vec![Input::Article(i)]);
            for code in codes::article_codes(a, &config.qr) {
                let files = code.files();
                let task = Task { job: Job::Qr(code), inputs: inputs() };
                self.claim_job(files, source, Owner::QrCode(name.clone()), task, problems);
            }
            let card = format!("{dir}{}", crate::render::social::CARD_FILE);
            let task = Task { job: Job::Card(i), inputs: inputs() };
            self.claim_job([card], source, Owner::CardOf(name), task, problems);
        }
        for &(i, l) in &leaflets {
            let source = l.leaflet.source.display.as_str();
            let name: Arc<str> = source.into();
            let inputs = || Inputs::Items(vec![Input::Leaflet(i)]);
            for code in codes::leaflet_codes(l, config) {
                let files = code.files();
                let task = Task { job: Job::Qr(code), inputs: inputs() };
                self.claim_job(files, source, Owner::QrCode(name.clone()), task, problems);
            }
            for (k, print) in l.prints(&config.sections.short_links).into_iter().enumerate() {
                let dir = print.path.trim_start_matches('/');
                let pdf = format!("{dir}{}", crate::render::leaflets::pdf_name(l, &print));
                let task = Task { job: Job::Pdf(i, k), inputs: inputs() };
                self.claim_job([pdf], source, Owner::PdfOf(name.clone()), task, problems);
            }
        }
        // Channel texts (issue 12) and presenters' material (issue 14): one job per article and
        // leaflet, showing that item; one for the kits index and bulk-SMS file, showing every
        // article and leaflet; one per hand-written deck and handbook, showing the articles it
        // draws on. Their PDFs are claimed one by one, printed after rendering.
        let shown: Vec<(ItemRef, &str)> = articles
            .iter()
            .map(|&(i, a)| (ItemRef::Article(i), a.article.source.display.as_str()))
            .chain(leaflets.iter().map(|&(i, l)| (ItemRef::Leaflet(i), l.leaflet.source.display.as_str())))
            .collect();
        let channel_articles: Vec<&SiteArticle> = articles.iter().map(|&(_, a)| a).collect();
        let channel_leaflets: Vec<&SiteLeaflet> = leaflets.iter().map(|&(_, l)| l).collect();
        let channels = crate::channels::routes(short_codes, &channel_articles, &channel_leaflets);
        let present = crate::present::claims(&channel_articles, &channel_leaflets, presenter);
        // Grouped by source in hash maps: only looked up, never walked in order (issue 10: ordered
        // maps compared 100,000 long paths with the same start, on one core). Each source's
        // claims are taken out when claimed, their paths moved into the table.
        let mut channels_of: HashMap<&str, Vec<(String, Owner)>> = HashMap::new();
        for (file, source, owner) in channels {
            channels_of.entry(source).or_default().push((file, owner));
        }
        let mut present_of: HashMap<&str, Vec<crate::present::Claim>> = HashMap::new();
        for claim in present {
            present_of.entry(claim.source).or_default().push(claim);
        }
        let pdf = |routes: &mut RouteTable, c: crate::present::Claim, inputs: Inputs, problems: &mut _| {
            let task = Task { job: Job::PresentPdf, inputs };
            routes.claim_job([c.path], c.source, Owner::Source(c.source.into()), task, problems);
        };
        for &(item, source) in &shown {
            let id = self.jobs.len();
            let mut claimed = false;
            for (file, owner) in channels_of.remove(source).unwrap_or_default() {
                claimed |= self.claim_into(id, [file], source, owner, problems);
            }
            let (pdfs, own): (Vec<_>, Vec<_>) = present_of
                .remove(source)
                .unwrap_or_default()
                .into_iter()
                .filter(|c| !c.page)
                .partition(|c| c.path.ends_with(".pdf"));
            if !own.is_empty() {
                let owner = Owner::Source(source.into());
                claimed |= self.claim_into(id, own.into_iter().map(|c| c.path), source, owner, problems);
            }
            if claimed {
                self.jobs.push(Task { job: Job::Material(item), inputs: Inputs::Items(vec![item.input()]) });
            }
            for c in pdfs {
                pdf(self, c, Inputs::Items(vec![item.input()]), problems);
            }
        }
        if let Some(site_wide) = channels_of.remove("") {
            let id = self.jobs.len();
            let mut claimed = false;
            for (file, owner) in site_wide {
                claimed |= self.claim_into(id, [file], "", owner, problems);
            }
            if claimed {
                let every = shown.iter().map(|(item, _)| item.input()).collect();
                self.jobs.push(Task { job: Job::ChannelsIndex, inputs: Inputs::Items(every) });
            }
        }
        let drawn_on = |indexes: &mut dyn Iterator<Item = usize>| {
            let mut inputs: Vec<Input> = indexes.map(Input::Article).collect();
            inputs.sort();
            inputs.dedup();
            Inputs::Items(inputs)
        };
        let decks = presenter.decks.iter().enumerate().map(|(k, d)| {
            let source = d.deck.source.display.as_str();
            (Job::Deck(k), source, drawn_on(&mut d.articles.iter().copied()))
        });
        let handbooks = presenter.handbooks.iter().enumerate().map(|(k, h)| {
            let source = h.handbook.source.display.as_str();
            (Job::Handbook(k), source, drawn_on(&mut h.chapters.iter().map(|(i, _)| *i)))
        });
        for (job, source, inputs) in decks.chain(handbooks).collect::<Vec<_>>() {
            let id = self.jobs.len();
            let mut claimed = false;
            let (pages, pdfs): (Vec<_>, Vec<_>) =
                present_of.remove(source).unwrap_or_default().into_iter().partition(|c| c.page);
            let owner = Owner::Source(source.into());
            let files = pages.iter().map(|c| urls::output_file(&c.path));
            claimed |= self.claim_into(id, files, source, owner, problems);
            if claimed {
                self.jobs.push(Task { job, inputs: inputs.clone() });
            }
            for c in pdfs {
                pdf(self, c, inputs.clone(), problems);
            }
        }
        let mut by_source: BTreeMap<&Path, Vec<String>> = BTreeMap::new();
        for (file, rendition) in &plan.renditions {
            by_source.entry(&rendition.source).or_default().push(file.clone());
        }
        for (from, files) in by_source {
            let original = pictures::shown(from, config);
            let task = Task {
                job: Job::Renditions(from.to_path_buf()),
                inputs: Inputs::Items(vec![Input::File(from.into())]),
            };
            self.claim_job(files, &original, Owner::ResizedCopy(original.as_str().into()), task, problems);
        }
        let bundles = articles
            .iter()
            .map(|(_, a)| (&a.path, &a.article.files))
            .chain(pages.iter().map(|p| (&p.path, &p.page.files)))
            .chain(leaflets.iter().map(|(_, l)| (&l.path, &l.leaflet.files)))
            .flat_map(|(path, files)| {
                files.iter().map(move |f| (format!("{}{}", path.trim_start_matches('/'), f.rel), &f.path))
            });
        let statics = static_files.iter().map(|f| (f.to.clone(), &f.from));
        // Images shown as they are, then bundle files, then static and theme files (but not the
        // originals of images shown through re-encodings: their EXIF and GPS stay home).
        let shown_as_is = plan.copies.iter().map(|(to, from)| (to.clone(), from));
        let copies = shown_as_is.chain(bundles.chain(statics).filter(|(_, from)| !plan.withholds(from)));
        for (to, from) in copies {
            let shown = pictures::shown(from, config);
            let task = Task {
                job: Job::Copy { from: from.clone(), to: to.clone() },
                inputs: Inputs::Items(vec![Input::File(from.clone())]),
            };
            self.claim_job([to], &shown, Owner::Source(shown.as_str().into()), task, problems);
        }
    }
}

/// The inputs of page `n` of `list`: the articles [`ListOrders::page`] puts on it (the renderer
/// shows them), out of the list's length.
fn list_page(orders: &ListOrders, list: List, n: usize) -> Inputs {
    let items = orders.page(list, n).iter().map(|&i| Input::Article(i)).collect();
    Inputs::ListPage { items, of: orders.order(list).len() }
}

/// Which outputs an edit affects ([`Site::affected`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affected {
    /// Every output: site.yaml, a template, the theme, a stylesheet or script (their hashes are
    /// in every page) changed, or a file the site did not have (a new item) or no longer has.
    Everything,
    /// These output files (a path ending in `/` stands for every file of that folder).
    Files(BTreeSet<String>),
}

impl Site {
    /// The outputs to make again after the source files `changed` (absolute paths) were saved,
    /// read from the route table ([`RouteTable::affected`]; see there for edits that move an
    /// item between lists).
    pub fn affected(&self, changed: &[PathBuf]) -> Affected {
        let mut items = Vec::new();
        for path in changed {
            let mut found = Vec::new();
            let bundle = |files: &[crate::content::BundleFile]| files.iter().any(|f| f.path == *path);
            for (i, a) in self.articles.iter().enumerate() {
                if a.article.source.path == *path || bundle(&a.article.files) {
                    found.push(Input::Article(i));
                }
            }
            for (i, p) in self.pages.iter().enumerate() {
                if p.page.source.path == *path || bundle(&p.page.files) {
                    found.push(Input::Page(i));
                }
            }
            for (i, l) in self.leaflets.iter().enumerate() {
                if l.leaflet.source.path == *path || bundle(&l.leaflet.files) {
                    found.push(Input::Leaflet(i));
                }
            }
            let file = Input::File(path.clone());
            let is_file = self.routes.jobs.iter().any(|t| match &t.inputs {
                Inputs::Items(items) => items.contains(&file),
                _ => false,
            });
            if is_file {
                // Stylesheets and scripts are linked with a hash of their bytes from every page.
                if path.extension().is_some_and(|e| e == "css" || e == "js") {
                    return Affected::Everything;
                }
                found.push(Input::File(path.clone()));
            }
            if found.is_empty() {
                return Affected::Everything;
            }
            items.append(&mut found);
        }
        Affected::Files(self.routes.affected(&items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table as [`Site::new`] fills it for 3 articles (2 per page), one scam type listing
    /// articles 0 and 2, and a static file.
    fn table() -> RouteTable {
        let mut t = RouteTable::default();
        let generated = [
            ("/", Job::Home(1), Inputs::AllArticles),
            ("/trang/2/", Job::Home(2), Inputs::Items(vec![Input::Article(2)])),
            ("/thu-doan/", Job::Terms(Vocabulary::Scams), Inputs::AllArticles),
            (
                "/thu-doan/x/",
                Job::Term(Vocabulary::Scams, 0, 1),
                Inputs::Items(vec![Input::Article(0), Input::Article(2)]),
            ),
            ("/404.html", Job::NotFound, Inputs::Templates),
            ("/sitemap.xml", Job::Sitemap, Inputs::AllItems),
        ];
        for (path, job, inputs) in generated {
            t.generated(path, Owner::HomePage, job, inputs);
        }
        let mut problems = Vec::new();
        for i in 0..3 {
            let inputs = Inputs::Items(vec![Input::Article(i), Input::Article((i + 1) % 3)]);
            let task = Task { job: Job::Article(i), inputs };
            t.claim_page(
                &format!("/canh-bao/a{i}/"),
                (&format!("content/articles/a{i}.md"), None),
                task,
                &mut problems,
            );
        }
        let task = Task { job: Job::Page(0), inputs: Inputs::Items(vec![Input::Page(0)]) };
        t.claim_page("/gioi-thieu/", ("content/pages/gioi-thieu.md", None), task, &mut problems);
        let from = PathBuf::from("/site/static/logo.png");
        let task = Task {
            job: Job::Copy { from: from.clone(), to: "logo.png".into() },
            inputs: Inputs::Items(vec![Input::File(from)]),
        };
        t.claim_job(
            ["logo.png".to_string()],
            "static/logo.png",
            Owner::Source("static/logo.png".into()),
            task,
            &mut problems,
        );
        assert!(problems.is_empty(), "{problems:?}");
        t
    }

    fn set(files: &[&str]) -> BTreeSet<String> {
        files.iter().map(|f| f.to_string()).collect()
    }

    #[test]
    fn an_edited_article_affects_the_pages_that_show_it_issue_10() {
        let t = table();
        // Article 2 is on page 2 of the home page, in the term's list, related to article 1.
        assert_eq!(
            t.affected(&[Input::Article(2)]),
            set(&[
                "canh-bao/a1/index.html",
                "canh-bao/a2/index.html",
                "index.html",
                "sitemap.xml",
                "thu-doan/index.html",
                "thu-doan/x/index.html",
                "trang/2/index.html",
            ])
        );
        // Article 1 is in no term list and not on page 2.
        let one = t.affected(&[Input::Article(1)]);
        assert!(!one.contains("thu-doan/x/index.html") && !one.contains("trang/2/index.html"), "{one:?}");
        assert!(one.contains("canh-bao/a0/index.html") && one.contains("canh-bao/a1/index.html"), "{one:?}");
    }

    #[test]
    fn pages_and_files_affect_only_their_own_outputs_issue_10() {
        let t = table();
        assert_eq!(t.affected(&[Input::Page(0)]), set(&["gioi-thieu/index.html", "sitemap.xml"]));
        assert_eq!(t.affected(&[Input::File("/site/static/logo.png".into())]), set(&["logo.png"]));
        assert!(t.affected(&[Input::File("/elsewhere.png".into())]).is_empty());
        assert!(t.affected(&[]).is_empty());
        assert!(!t.affected(&[Input::Article(0)]).contains("404.html"), "the 404 page shows no article");
    }

    #[test]
    fn the_table_knows_every_file_and_lists_pages_for_the_sitemap_issue_10() {
        let t = table();
        assert!(t.contains("logo.png") && t.contains("canh-bao/a0/index.html"));
        assert!(!t.contains("canh-bao/a3/index.html"));
        // In the order of their output files; no 404 page.
        let pages: Vec<String> = t.pages().map(|(path, _)| path).collect();
        let expected = [
            "/canh-bao/a0/",
            "/canh-bao/a1/",
            "/canh-bao/a2/",
            "/gioi-thieu/",
            "/",
            "/thu-doan/",
            "/thu-doan/x/",
            "/trang/2/",
        ];
        assert_eq!(pages, expected);
        let job = t.route("canh-bao/a1/index.html").unwrap().job;
        assert_eq!(t.jobs()[job].job, Job::Article(1));
        assert_eq!(t.files_of(job).collect::<Vec<_>>(), ["canh-bao/a1/index.html"]);
    }

    #[test]
    fn a_second_claim_names_both_owners_and_adds_no_job() {
        let mut t = table();
        let jobs = t.jobs().len();
        let mut problems = Vec::new();
        let task = Task { job: Job::Alias { target: "/canh-bao/a0/".into() }, inputs: Inputs::Templates };
        t.claim_page("/gioi-thieu/", ("content/articles/a1.md", Some(7)), task, &mut problems);
        let task = Task { job: Job::Copy { from: "/x".into(), to: "logo.png".into() }, inputs: Inputs::Templates };
        t.claim_job(
            ["logo.png".to_string()],
            "themes/x/logo.png",
            Owner::Source("themes/x/logo.png".into()),
            task,
            &mut problems,
        );
        assert_eq!(problems.len(), 2);
        assert_eq!(
            *problems[0].message,
            Message::UrlTaken {
                url: "/gioi-thieu/".into(),
                first: Owner::Source("content/pages/gioi-thieu.md".into()),
                second: Owner::Source("content/articles/a1.md:7".into()),
            }
        );
        assert_eq!(problems[0].line, Some(7));
        assert_eq!(t.jobs().len(), jobs, "a refused claim runs nothing");
    }
}
