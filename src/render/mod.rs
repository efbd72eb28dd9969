//! Rendering: runs the jobs of the route table ([`crate::site::routes`]) with Tera templates
//! and writes each file to a [`Sink`] as soon as it is made. Every job is independent, so they
//! run in parallel. A new kind of job gets one match arm in `Renderer::run` (or in
//! `Renderer::render` for an HTML page).

pub mod bands;
pub mod cards;
pub mod codes;
pub mod compose;
pub mod glyphs;
pub mod leaflets;
mod material;
pub mod palette;
mod recording;
pub mod renditions;
pub mod search;
pub(crate) mod shared;
pub mod social;
pub(crate) mod templates;
pub mod views;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::Result;
use rayon::prelude::*;
use tera::{Context, Tera};

use crate::cache::Cache;
use crate::images::Rendition;
use crate::messages::Vocabulary;
use crate::output::Sink;
use crate::site::routes::JobId;
use crate::site::{Job, List, RouteTable, Site, TermIndex};
use crate::urls::page_path;
use views::*;

/// The re-encodings of each image ([`renditions::by_source`]).
type Renditions<'a> = BTreeMap<&'a Path, Vec<(&'a str, &'a Rendition)>>;

/// Entries in a feed.
const FEED_ENTRIES: usize = 20;

fn kind_key(kind: Vocabulary) -> &'static str {
    match kind {
        Vocabulary::Scams => "scams",
        Vocabulary::Audiences => "audiences",
    }
}

fn kind_label(kind: Vocabulary) -> &'static str {
    match kind {
        Vocabulary::Scams => "Thủ đoạn",
        Vocabulary::Audiences => "Đối tượng",
    }
}

/// Choices of a build that change what pages say.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Static paths (`assets/style.css`) to content hashes, for cache-busting URLs.
    pub assets: HashMap<String, String>,
    /// PDFs of the leaflets are being made: link them.
    pub pdf: bool,
    /// Counts written files.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

/// Most jobs a thread runs before another thread may take the rest (see [`render_site`]).
const JOBS_PER_TASK: usize = 8;

/// Runs every job of the route table ([`crate::site::routes`]): pages, feeds, sitemap, QR
/// codes, image renditions, copies, social cards and the search index. Each file goes to `sink`
/// as soon as it is made, so memory holds the pages being rendered, not the site. Only files the
/// table lists are written. PDFs are printed later, from the written pages.
pub fn render_site(site: &Site, options: RenderOptions, cache: &Cache, sink: &dyn Sink) -> Result<()> {
    let progress = options.progress.clone();
    let jobs = JobRenderer::new(site, options, cache)?;
    let renderer = &jobs.renderer;
    let table = &site.routes;
    let sink = &Claimed { routes: table, sink };
    if let Some(p) = &progress {
        p.add_total(table.files().count());
    }
    let material = material::Material::new(renderer)?;
    // The kits index lists every item's SMS: it runs once the items' jobs have run.
    let last = |task: &crate::site::routes::Task| task.job == Job::ChannelsIndex;
    let run = || {
        // Jobs differ a thousandfold in cost (a screen card against a redirect page), and the
        // costly ones sit together in the table: without a bound, rayon hands each thread a long
        // run of jobs it cannot split once started, and a cold build ended on one core for
        // 40 % of its time (issue 10). Runs of at most JOBS_PER_TASK can be shared.
        let all = || table.jobs().par_iter().zip(&jobs.file_of).enumerate().with_max_len(JOBS_PER_TASK);
        let run = |(id, (task, file)): (usize, (&crate::site::routes::Task, &&str))| {
            renderer.run(&task.job, (id, file), sink, cache, (&jobs.by_source, material.as_ref()))
        };
        all().filter(|(_, (t, _))| !last(t)).try_for_each(run)?;
        all().filter(|(_, (t, _))| last(t)).try_for_each(run)
    };
    // Cards and the search index are made in batches (one font set, one index), beside the rest.
    let cards = || renderer.write_cards(table.jobs().iter().map(|t| &t.job), cache, sink);
    let index = || renderer.write_index(cache, sink);
    let (pages, (cards, index)) = rayon::join(run, || rayon::join(cards, index));
    pages.and(cards).and(index)
}

/// Renders the jobs of a site's route table one at a time, in any order, for the preview server
/// (issue 10): what [`render_site`] does for the whole table, for the job that makes the file a
/// browser asked for. The templates, the shared parts of pages and the articles' summaries are
/// made once, in [`JobRenderer::new`].
pub struct JobRenderer<'a> {
    renderer: Renderer<'a>,
    cache: &'a Cache,
    by_source: BTreeMap<&'a Path, Vec<(&'a str, &'a Rendition)>>,
    /// The one file of each page job (`""` for a job with none or several).
    file_of: Vec<&'a str>,
}

impl<'a> JobRenderer<'a> {
    /// Loads the templates and prepares what every page shows; a template error is returned here.
    pub fn new(site: &'a Site, options: RenderOptions, cache: &'a Cache) -> Result<Self> {
        let (tera, origins) = templates::load(&site.config, options.assets)?;
        let renderer = Renderer { pdf: options.pdf, ..Renderer::new(site, tera, origins)? };
        let file_of = file_of(&site.routes);
        Ok(JobRenderer { renderer, cache, by_source: renditions::by_source(site), file_of })
    }

    /// The renderer of `site`, a model that differs from the one `last` renders only by article
    /// `edited`, made again without moving ([`crate::site::update::Loader::update`]): the
    /// templates, the shared parts of pages, the term views and the other articles' summaries are
    /// `last`'s; the edited article's summary is made again.
    pub fn after_edit(last: &JobRenderer, site: &'a Site, cache: &'a Cache, edited: usize) -> Self {
        let before = &last.renderer;
        let mut summaries = before.summaries.clone();
        let summary = ArticleSummary::new(site, &site.articles[edited], &before.scam_views, &before.audience_views);
        summaries[edited] = summary;
        let renderer = Renderer {
            site,
            tera: before.tera.clone(),
            origins: before.origins.clone(),
            site_view: before.site_view.clone(),
            shared: before.shared.clone(),
            summaries,
            scam_views: before.scam_views.clone(),
            audience_views: before.audience_views.clone(),
            pdf: before.pdf,
            fonts: before.fonts.clone(),
        };
        JobRenderer { renderer, cache, by_source: renditions::by_source(site), file_of: file_of(&site.routes) }
    }

    /// Runs job `id` of the route table, writing each file it makes to `sink`, and nothing else
    /// (a job made in a batch keeps only its own files).
    pub fn render_job(&self, id: JobId, sink: &dyn Sink) -> Result<()> {
        render_job(self, id, sink)
    }
}

/// The one file of each page job of `table` (`""` for a job with none or several).
fn file_of(table: &RouteTable) -> Vec<&str> {
    let mut file_of: Vec<&str> = vec![""; table.jobs().len()];
    for (file, route) in table.files() {
        if file_of[route.job].is_empty() {
            file_of[route.job] = file;
        }
    }
    file_of
}

/// Runs job `id` of the route table with `jobs` (see [`JobRenderer`]): the one function through
/// which the preview renders any kind of job.
pub fn render_job(jobs: &JobRenderer, id: JobId, sink: &dyn Sink) -> Result<()> {
    let renderer = &jobs.renderer;
    let site = renderer.site;
    let table = &site.routes;
    let Some(task) = table.jobs().get(id) else {
        anyhow::bail!("internal error: no job {id} in the route table");
    };
    let sink = &OnlyJob { routes: table, job: id, sink };
    match &task.job {
        // Made in batches by `render_site`: the batch of this one job runs.
        Job::Card(_) | Job::SiteCard => renderer.write_cards(std::iter::once(&task.job), jobs.cache, sink),
        Job::SearchIndex => renderer.write_index(jobs.cache, sink),
        // Channel texts and presenters' material: what they share is made for the request.
        Job::Material(_) | Job::ChannelsIndex | Job::Deck(_) | Job::Handbook(_) => {
            let material = material::Material::new(renderer)?;
            renderer.run(&task.job, (id, jobs.file_of[id]), sink, jobs.cache, (&jobs.by_source, material.as_ref()))
        }
        job => renderer.run(job, (id, jobs.file_of[id]), sink, jobs.cache, (&jobs.by_source, None)),
    }
}

/// A sink that passes on the files of one job and drops the others of its batch (or those whose
/// claim another job won).
struct OnlyJob<'a> {
    routes: &'a RouteTable,
    job: JobId,
    sink: &'a dyn Sink,
}

impl OnlyJob<'_> {
    fn owns(&self, path: &str) -> bool {
        self.routes.route(path).is_some_and(|r| r.job == self.job)
    }
}

impl Sink for OnlyJob<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        if self.owns(path) { self.sink.write(path, bytes) } else { Ok(()) }
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        if self.owns(path) { self.sink.copy(path, from) } else { Ok(()) }
    }
    fn link(&self, path: &str, from: &Path) -> Result<()> {
        if self.owns(path) { self.sink.link(path, from) } else { Ok(()) }
    }
}

/// A sink that refuses a file the route table does not list: every output has an owner.
struct Claimed<'a> {
    routes: &'a RouteTable,
    sink: &'a dyn Sink,
}

impl Claimed<'_> {
    fn check(&self, path: &str) -> Result<()> {
        if self.routes.contains(path) {
            Ok(())
        } else {
            Err(anyhow::anyhow!("internal error: `{path}` is not in the route table"))
        }
    }
}

impl Sink for Claimed<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.check(path).and_then(|()| self.sink.write(path, bytes))
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.check(path).and_then(|()| self.sink.copy(path, from))
    }
    fn link(&self, path: &str, from: &Path) -> Result<()> {
        self.check(path).and_then(|()| self.sink.link(path, from))
    }
}

/// What a [`Renderer`] makes once from templates and site.yaml: shared, not copied, by the
/// renderer of the next model after an edit of content only ([`JobRenderer::after_edit`]).
type Shared<T> = std::sync::Arc<T>;

struct Renderer<'a> {
    site: &'a Site,
    tera: Shared<Tera>,
    origins: Shared<templates::Origins>,
    site_view: Shared<SiteView>,
    /// Header, footer and `site`, made once ([`shared`]).
    shared: Shared<shared::SharedParts>,
    summaries: Vec<ArticleSummary>,
    scam_views: Vec<TermView>,
    audience_views: Vec<TermView>,
    pdf: bool,
    /// The theme's fonts (social cards, screen cards), loaded when first needed and then shared
    /// by every card of the build, with their cache of rasterised glyphs.
    fonts: Shared<std::sync::OnceLock<std::result::Result<cards::Fonts, String>>>,
}

impl<'a> Renderer<'a> {
    /// The theme's fonts, loaded once.
    fn fonts(&self) -> Result<&cards::Fonts> {
        let dir = self.site.config.theme_dir.join("fonts");
        let loaded = self.fonts.get_or_init(|| cards::Fonts::load(&dir).map_err(|e| format!("{e:#}")));
        loaded.as_ref().map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// The social cards of the card jobs among `jobs`, and the site-wide card, drawn in one
    /// batch (one font set, one glyph cache).
    fn write_cards<'j>(&self, jobs: impl Iterator<Item = &'j Job>, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        let site = self.site;
        let articles: Vec<(String, &ArticleSummary)> = jobs
            .filter_map(|job| match *job {
                Job::Card(i) => Some((site.articles[i].path.clone(), &self.summaries[i])),
                _ => None,
            })
            .collect();
        if !self.tera.contains_template(cards::TEMPLATE) {
            return Ok(());
        }
        let published = &site.config.published_base_url;
        cards::write_cards(
            &self.tera,
            &self.origins,
            &self.site_view,
            published,
            &articles,
            self.fonts()?,
            cache,
            None,
            sink,
        )
    }

    /// The files of the search index, each written as it is made (the words of bodies kept in
    /// `cache` read back from it).
    fn write_index(&self, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        let docs = search::docs(self.site, &self.summaries, cache);
        search::write_index(&docs, search::Limits::default(), &mut |f| sink.write(&f.path, &f.bytes))
    }

    fn new(site: &'a Site, tera: Tera, origins: templates::Origins) -> Result<Self> {
        let scam_views: Vec<TermView> = site.scams.iter().map(|t| TermView::new(site, t, true)).collect();
        let audience_views: Vec<TermView> = site.audiences.iter().map(|t| TermView::new(site, t, false)).collect();
        let summaries =
            site.articles.par_iter().map(|a| ArticleSummary::new(site, a, &scam_views, &audience_views)).collect();
        let site_view = SiteView::new(site);
        let shared = shared::SharedParts::new(&tera, &origins, &site_view)?;
        Ok(Renderer {
            site,
            tera: Shared::new(tera),
            origins: Shared::new(origins),
            site_view: Shared::new(site_view),
            shared: Shared::new(shared),
            summaries,
            scam_views,
            audience_views,
            pdf: false,
            fonts: Default::default(),
        })
    }

    /// Runs job `id`; `file` is its output file when it makes one page.
    fn run(
        &self,
        job: &Job,
        (id, file): (crate::site::routes::JobId, &str),
        sink: &dyn Sink,
        cache: &Cache,
        (renditions, material): (&Renditions, Option<&material::Material>),
    ) -> Result<()> {
        match job {
            // Made in batches by `render_site`, by the writer, or printed by Chromium afterwards.
            Job::Card(_) | Job::SiteCard | Job::SearchIndex | Job::Marker | Job::Pdf(..) | Job::PresentPdf => Ok(()),
            // Channel texts and presenters' material (issues 12 and 14), one item at a time.
            Job::Material(_) | Job::ChannelsIndex | Job::Deck(_) | Job::Handbook(_) => match material {
                Some(m) => m.run(job, id, cache, sink),
                None => anyhow::bail!("internal error: {job:?} without its material"),
            },
            Job::Qr(code) => codes::write_code(self.site, code, cache, sink),
            Job::Renditions(source) => {
                let wanted = renditions.get(source.as_path()).map_or(&[][..], Vec::as_slice);
                renditions::write_renditions(self.site, source, wanted, cache, sink)
            }
            Job::Copy { from, to } => sink.copy(to, from),
            page => {
                let html = self.render(page, file, cache)?;
                sink.write(file, &html)
            }
        }
    }

    /// Renders the page job `job` whose output file is `file`.
    fn render(&self, job: &Job, file: &str, cache: &Cache) -> Result<Vec<u8>> {
        let site = self.site;
        let urls = &site.urls;
        // The site path of the output file (`/canh-bao/x/` for `canh-bao/x/index.html`).
        let path = format!("/{}", file.strip_suffix("index.html").unwrap_or(file));
        let mut ctx = Context::new();
        let (template, title, description): (&str, String, &str) = match job {
            Job::Leaflets => {
                let mut views = Vec::new();
                for l in &site.leaflets {
                    let base = l.prints(&site.config.sections.short_links).swap_remove(0);
                    views.push(leaflets::LeafletView::new(site, l, &base, self.pdf)?);
                }
                ctx.insert("leaflets", &views);
                ("leaflets.html", "Tờ rơi tuyên truyền".into(), &site.config.description)
            }
            &Job::Leaflet(l, k) => {
                let l = &site.leaflets[l];
                let print = &l.prints(&site.config.sections.short_links)[k];
                let view = leaflets::LeafletView::new(site, l, print, self.pdf)?;
                let title = match print.variant {
                    Some(v) => format!("{} – {}", l.leaflet.title, v.label),
                    None => l.leaflet.title.clone(),
                };
                ctx.insert("leaflet", &view);
                ("leaflet.html", title, &l.intro.summary)
            }
            &Job::ShortLink(l, k) => {
                let l = &site.leaflets[l];
                let print = &l.prints(&site.config.sections.short_links)[k];
                ctx.insert("target", &l.tagged_target(print));
                ctx.insert("canonical", &l.target);
                ("shortlink.html", l.leaflet.title.clone(), "")
            }
            &Job::ArticleShortLink(i, k) => {
                let (target, canonical) = crate::shortlinks::redirect(site, i, k);
                ctx.insert("target", &target);
                ctx.insert("canonical", &canonical);
                ("shortlink.html", site.articles[i].article.title.clone(), "")
            }
            &Job::Home(n) => {
                // Issue 11: page 1's urgent box leads the order; the list shows the rest.
                let mut paginator = self.paginator("/", List::Home, n);
                let leading = if n == 1 { site.orders.urgent_box().len() } else { 0 };
                let urgent: Vec<&ArticleSummary> = paginator.items.drain(..leading).collect();
                ctx.insert("urgent", &urgent);
                ctx.insert("paginator", &paginator);
                let title =
                    if n == 1 { site.config.title.clone() } else { format!("{} – Trang {n}", site.config.title) };
                ("index.html", title, &site.config.description)
            }
            &Job::Article(i) => {
                let a = &site.articles[i];
                let view = ArticleView::new(a, &self.summaries, i, a.html(cache)?);
                ctx.insert("article", &view);
                ctx.insert("og", &social::OgView::article(&self.site_view, view.summary, &a.summary.full));
                ctx.insert("share", &social::ShareView::new(view.summary));
                ("article.html", a.article.title.clone(), &a.summary.full)
            }
            &Job::Page(i) => {
                let p = &site.pages[i];
                ctx.insert("page", &PageView::new(site, p));
                ("page.html", p.page.title.clone(), &p.summary.full)
            }
            &Job::Terms(kind) => {
                let mut terms = self.term_views(kind).to_vec();
                crate::text::sort_vi(&mut terms, |t| t.name.as_str());
                ctx.insert("kind", kind_key(kind));
                ctx.insert("kind_label", kind_label(kind));
                ctx.insert("terms", &terms);
                let title = match kind {
                    Vocabulary::Scams => "Các thủ đoạn lừa đảo",
                    Vocabulary::Audiences => "Cảnh báo theo đối tượng",
                };
                ("terms.html", title.to_string(), &site.config.description)
            }
            &Job::Term(kind, index, n) => {
                let term = &self.terms(kind)[index];
                let view = self.term_views(kind).iter().find(|v| v.key == term.term.key).cloned();
                let paginator = self.paginator(&term.path, List::Term(kind, index), n);
                ctx.insert("kind", kind_key(kind));
                ctx.insert("kind_label", kind_label(kind));
                ctx.insert("term", &view);
                ctx.insert("paginator", &paginator);
                let mut title = format!("{}: {}", kind_label(kind), term.term.name);
                if n > 1 {
                    title.push_str(&format!(" – Trang {n}"));
                }
                ("term.html", title, &term.term.description)
            }
            Job::Alias { target } => {
                ctx.insert("target", &urls.permalink(target));
                ("alias.html", String::new(), "")
            }
            &Job::Feed(term) => {
                let term = term.map(|t| &site.scams[t]);
                let (indexes, title): (Vec<usize>, String) = match term {
                    None => ((0..site.articles.len()).collect(), site.config.title.clone()),
                    Some(t) => (t.articles.clone(), format!("{} – {}", site.config.title, t.term.name)),
                };
                let entries = indexes
                    .iter()
                    .take(FEED_ENTRIES)
                    .map(|&i| Ok(FeedEntry { summary: &self.summaries[i], content: site.articles[i].html(cache)? }))
                    .collect::<Result<Vec<FeedEntry>>>()?;
                let updated = indexes
                    .iter()
                    .map(|&i| &site.articles[i].article)
                    .map(|a| a.updated.unwrap_or(a.date))
                    .max()
                    .map(|w| w.rfc3339())
                    .unwrap_or_else(|| "1970-01-01T00:00:00+00:00".into());
                let feed = FeedView {
                    title: title.clone(),
                    id: urls.permalink(&path),
                    site_url: urls.permalink(term.map_or("/", |t| t.path.as_str())),
                    updated,
                    entries,
                };
                ctx.insert("feed", &feed);
                ("atom.xml", title, "")
            }
            Job::Sitemap => {
                ctx.insert("entries", &self.sitemap());
                ("sitemap.xml", String::new(), "")
            }
            Job::Robots => {
                ctx.insert("sitemap_url", &urls.permalink("/sitemap.xml"));
                ("robots.txt", String::new(), "")
            }
            Job::NotFound => ("404.html", "Không tìm thấy trang".into(), &site.config.description),
            Job::Search => {
                ctx.insert("items", &self.summaries[search::listed(self.summaries.len())]);
                ctx.insert("total", &self.summaries.len());
                ctx.insert("index_url", &urls.url(&format!("{}index.json", search::SEARCH_PATH)));
                let title = "Tìm kiếm cảnh báo".to_string();
                ("search.html", title, &site.config.description)
            }
            other => anyhow::bail!("internal error: {other:?} is not a page"),
        };
        if !ctx.contains_key("og") {
            ctx.insert("og", &social::OgView::page(&self.site_view, &title, description, &urls.permalink(&path)));
        }
        let page_url = urls.url(&path);
        self.shared.insert(&self.tera, &self.origins, &mut ctx, &page_url)?;
        ctx.insert("page_url", &page_url);
        ctx.insert("permalink", &urls.permalink(&path));
        ctx.insert("title", &title);
        // Meta descriptions are cut like link previews, from the full summary (issue 9: a 10 MB
        // summary).
        ctx.insert("description", &social::shorten(description));
        let html = templates::render_bytes(&self.tera, template, &ctx).map_err(|e| {
            let context = crate::Message::RenderFailed { path: path.clone(), template: template.to_string() };
            self.origins.error(&e).context(crate::messages::MessageError(context))
        })?;
        Ok(html)
    }

    fn term_views(&self, kind: Vocabulary) -> &[TermView] {
        match kind {
            Vocabulary::Scams => &self.scam_views,
            Vocabulary::Audiences => &self.audience_views,
        }
    }

    fn terms(&self, kind: Vocabulary) -> &'a [TermIndex] {
        match kind {
            Vocabulary::Scams => &self.site.scams,
            Vocabulary::Audiences => &self.site.audiences,
        }
    }

    /// Page `n` of `list`, whose first page is at `base`: the articles
    /// [`crate::site::ListOrders::page`] puts on it (the route table's inputs of the page) and
    /// the links to the other pages.
    fn paginator(&self, base: &str, list: List, n: usize) -> Paginator<'_> {
        let orders = &self.site.orders;
        let total_pages = orders.pages(list);
        let urls = &self.site.urls;
        let url = |k: usize| urls.url(&page_path(base, k));
        Paginator {
            current: n,
            total_pages,
            items: orders.page(list, n).iter().map(|&i| &self.summaries[i]).collect(),
            prev_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total_pages).then(|| url(n + 1)),
            first_url: url(1),
            pages: page_window(n, total_pages)
                .into_iter()
                .map(|(k, gap_before)| PageLink { number: k, url: url(k), gap_before })
                .collect(),
        }
    }

    /// Every page route of the table, with the date of its newest content where known.
    fn sitemap(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let day = |a: &crate::content::Article| a.updated.unwrap_or(a.date).day.to_string();
        let newest = site.articles.first().map(|a| day(&a.article));
        site.routes
            .pages()
            .map(|(path, job)| {
                let lastmod = match *job {
                    Job::Home(1) => newest.clone(),
                    Job::Article(i) => Some(day(&site.articles[i].article)),
                    Job::Page(i) => site.pages[i].page.updated.map(|u| u.day.to_string()),
                    _ => None,
                };
                SitemapEntry { loc: site.urls.permalink(&path), lastmod }
            })
            .collect()
    }
}
