//! Rendering: the site model to files in memory ([`OutputFile`]), with Tera templates.
//! Every page is an independent job, so they render in parallel.

pub mod cards;
pub mod codes;
pub mod leaflets;
pub mod renditions;
pub mod search;
pub mod social;
pub(crate) mod templates;
pub mod views;

use std::collections::HashMap;

use anyhow::Result;
use rayon::prelude::*;
use tera::{Context, Tera};

use crate::output::{OutputFile, Rendered};
use crate::site::{Print, Site, SiteLeaflet, TermIndex};
use crate::urls::{self, page_path};
use views::*;

/// Entries in a feed.
const FEED_ENTRIES: usize = 20;

/// One page to render.
enum Job<'a> {
    Home(usize),
    Article(usize),
    Page(usize),
    Terms(Kind),
    Term(Kind, &'a TermIndex, usize),
    Alias { from: &'a str, to: &'a str },
    Leaflets,
    Leaflet(&'a SiteLeaflet, Print<'a>),
    ShortLink(&'a SiteLeaflet, Print<'a>),
    Feed(Option<&'a TermIndex>),
    Sitemap,
    Robots,
    NotFound,
    Search,
}

#[derive(Clone, Copy)]
enum Kind {
    Scams,
    Audiences,
}

impl Kind {
    fn key(self) -> &'static str {
        match self {
            Kind::Scams => "scams",
            Kind::Audiences => "audiences",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Kind::Scams => "Thủ đoạn",
            Kind::Audiences => "Đối tượng",
        }
    }
}

/// Choices of a build that change what pages say.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Static paths (`assets/style.css`) to content hashes, for cache-busting URLs.
    pub assets: HashMap<String, String>,
    /// PDFs of the leaflets are being made: link them.
    pub pdf: bool,
    /// Counts rendered pages.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

/// Renders every page, feed, sitemap, QR code and image rendition of `site`.
/// Generated files too large to keep in memory (social cards, images) come back as copies
/// from the cache.
pub fn render_site(site: &Site, options: RenderOptions, cache: &crate::cache::Cache) -> Result<Rendered> {
    let (tera, origins) = templates::load(&site.config, options.assets)?;
    let renderer = Renderer { pdf: options.pdf, ..Renderer::new(site, tera, origins) };
    let jobs = renderer.jobs();
    let progress = options.progress.as_deref();
    if let Some(p) = progress {
        p.add_total(jobs.len());
    }
    let mut files: Vec<OutputFile> = jobs
        .par_iter()
        .map(|job| {
            let file = renderer.render(job);
            if let Some(p) = progress {
                p.step();
            }
            file
        })
        .collect::<Result<_>>()?;
    files.extend(codes::qr_files(site, cache)?);
    let renditions = renditions::rendition_files(site, cache)?;
    let articles: Vec<(String, &ArticleSummary)> =
        site.articles.iter().map(|a| a.path.clone()).zip(&renderer.summaries).collect();
    let fonts = site.config.theme_dir.join("fonts");
    let (tera, origins, site_view) = (&renderer.tera, &renderer.origins, &renderer.site_view);
    let cards = cards::card_files(tera, origins, site_view, &articles, &fonts, cache, progress)?;
    files.extend(crate::present::render_files(
        site,
        &renderer.tera,
        &renderer.origins,
        &renderer.site_view,
        renderer.pdf,
        cache,
    )?);
    files.extend(search::index_files(&search::docs(site, &renderer.summaries), search::Limits::default()));
    let mut rendered = Rendered { files, copies: Vec::new() };
    rendered.extend(renditions);
    rendered.extend(cards);
    Ok(rendered)
}

struct Renderer<'a> {
    site: &'a Site,
    tera: Tera,
    origins: templates::Origins,
    site_view: SiteView,
    summaries: Vec<ArticleSummary>,
    scam_views: Vec<TermView>,
    audience_views: Vec<TermView>,
    pdf: bool,
}

impl<'a> Renderer<'a> {
    fn new(site: &'a Site, tera: Tera, origins: templates::Origins) -> Self {
        let scam_views: Vec<TermView> = site.scams.iter().map(|t| TermView::new(site, t, true)).collect();
        let audience_views: Vec<TermView> = site.audiences.iter().map(|t| TermView::new(site, t, false)).collect();
        let summaries =
            site.articles.par_iter().map(|a| ArticleSummary::new(site, a, &scam_views, &audience_views)).collect();
        Renderer {
            site,
            tera,
            origins,
            site_view: SiteView::new(site),
            summaries,
            scam_views,
            audience_views,
            pdf: false,
        }
    }

    fn pages_of(&self, n: usize) -> usize {
        n.div_ceil(self.site.config.paginate_by).max(1)
    }

    fn jobs(&self) -> Vec<Job<'a>> {
        let site = self.site;
        let mut jobs = Vec::new();
        jobs.extend((1..=self.pages_of(site.articles.len())).map(Job::Home));
        jobs.extend((0..site.articles.len()).map(Job::Article));
        jobs.extend((0..site.pages.len()).map(Job::Page));
        for (kind, terms) in [(Kind::Scams, &site.scams), (Kind::Audiences, &site.audiences)] {
            jobs.push(Job::Terms(kind));
            for term in terms {
                jobs.extend((1..=self.pages_of(term.articles.len())).map(|n| Job::Term(kind, term, n)));
            }
        }
        for a in &site.articles {
            jobs.extend(a.article.aliases.iter().map(|alias| Job::Alias { from: &alias.url, to: &a.path }));
        }
        for p in &site.pages {
            jobs.extend(p.page.aliases.iter().map(|alias| Job::Alias { from: &alias.url, to: &p.path }));
        }
        if !site.leaflets.is_empty() {
            jobs.push(Job::Leaflets);
        }
        for l in &site.leaflets {
            for print in l.prints(&site.config.sections.short_links) {
                jobs.push(Job::Leaflet(l, print.clone()));
                jobs.push(Job::ShortLink(l, print));
            }
        }
        jobs.push(Job::Feed(None));
        jobs.extend(site.scams.iter().map(|t| Job::Feed(Some(t))));
        jobs.extend([Job::Sitemap, Job::Robots, Job::NotFound, Job::Search]);
        jobs
    }

    fn render(&self, job: &Job<'a>) -> Result<OutputFile> {
        let site = self.site;
        let urls = &site.urls;
        let mut ctx = Context::new();
        let (template, path, title, description): (&str, String, String, &str) = match job {
            Job::Leaflets => {
                let mut views = Vec::new();
                for l in &site.leaflets {
                    let base = l.prints(&site.config.sections.short_links).swap_remove(0);
                    views.push(leaflets::LeafletView::new(site, l, &base, self.pdf)?);
                }
                ctx.insert("leaflets", &views);
                let path = format!("/{}/", site.config.sections.leaflets);
                ("leaflets.html", path, "Tờ rơi tuyên truyền".into(), &site.config.description)
            }
            Job::Leaflet(l, print) => {
                let view = leaflets::LeafletView::new(site, l, print, self.pdf)?;
                let title = match print.variant {
                    Some(v) => format!("{} – {}", l.leaflet.title, v.label),
                    None => l.leaflet.title.clone(),
                };
                ctx.insert("leaflet", &view);
                ("leaflet.html", print.path.clone(), title, &l.intro.summary)
            }
            Job::ShortLink(l, print) => {
                ctx.insert("target", &l.tagged_target(print));
                ctx.insert("canonical", &l.target);
                ("shortlink.html", print.short_path.clone(), l.leaflet.title.clone(), "")
            }
            &Job::Home(n) => {
                let items: Vec<usize> = (0..site.articles.len()).collect();
                let paginator = self.paginator("/", &items, n);
                let urgent: Vec<&ArticleSummary> = if n == 1 {
                    self.summaries.iter().filter(|s| s.severity == "urgent").take(5).collect()
                } else {
                    Vec::new()
                };
                ctx.insert("urgent", &urgent);
                ctx.insert("paginator", &paginator);
                let title =
                    if n == 1 { site.config.title.clone() } else { format!("{} – Trang {n}", site.config.title) };
                ("index.html", page_path("/", n), title, &site.config.description)
            }
            &Job::Article(i) => {
                let a = &site.articles[i];
                let view = ArticleView::new(a, &self.summaries, i);
                ctx.insert("article", &view);
                ctx.insert("og", &social::OgView::article(&self.site_view, view.summary, &a.summary.full));
                ctx.insert("share", &social::ShareView::new(view.summary));
                ("article.html", a.path.clone(), a.article.title.clone(), &a.summary.full)
            }
            &Job::Page(i) => {
                let p = &site.pages[i];
                ctx.insert("page", &PageView::new(site, p));
                ("page.html", p.path.clone(), p.page.title.clone(), &p.summary.full)
            }
            &Job::Terms(kind) => {
                let mut terms = self.term_views(kind).to_vec();
                crate::text::sort_vi(&mut terms, |t| t.name.as_str());
                ctx.insert("kind", kind.key());
                ctx.insert("kind_label", kind.label());
                ctx.insert("terms", &terms);
                let segment = match kind {
                    Kind::Scams => &site.config.sections.scams,
                    Kind::Audiences => &site.config.sections.audiences,
                };
                let title = match kind {
                    Kind::Scams => "Các thủ đoạn lừa đảo",
                    Kind::Audiences => "Cảnh báo theo đối tượng",
                };
                ("terms.html", format!("/{segment}/"), title.to_string(), &site.config.description)
            }
            &Job::Term(kind, term, n) => {
                let view = self.term_views(kind).iter().find(|v| v.key == term.term.key).cloned();
                let paginator = self.paginator(&term.path, &term.articles, n);
                ctx.insert("kind", kind.key());
                ctx.insert("kind_label", kind.label());
                ctx.insert("term", &view);
                ctx.insert("paginator", &paginator);
                let mut title = format!("{}: {}", kind.label(), term.term.name);
                if n > 1 {
                    title.push_str(&format!(" – Trang {n}"));
                }
                ("term.html", page_path(&term.path, n), title, &term.term.description)
            }
            &Job::Alias { from, to } => {
                ctx.insert("target", &urls.permalink(to));
                ("alias.html", from.to_string(), String::new(), "")
            }
            &Job::Feed(term) => {
                let (indexes, path, title): (Vec<usize>, String, String) = match term {
                    None => ((0..site.articles.len()).collect(), "/atom.xml".into(), site.config.title.clone()),
                    Some(t) => (
                        t.articles.clone(),
                        format!("{}atom.xml", t.path),
                        format!("{} – {}", site.config.title, t.term.name),
                    ),
                };
                let entries: Vec<FeedEntry> = indexes
                    .iter()
                    .take(FEED_ENTRIES)
                    .map(|&i| FeedEntry { summary: &self.summaries[i], content: &site.articles[i].body.html })
                    .collect();
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
                ("atom.xml", path, title, "")
            }
            Job::Sitemap => {
                ctx.insert("entries", &self.sitemap());
                ("sitemap.xml", "/sitemap.xml".into(), String::new(), "")
            }
            Job::Robots => {
                ctx.insert("sitemap_url", &urls.permalink("/sitemap.xml"));
                ("robots.txt", "/robots.txt".into(), String::new(), "")
            }
            Job::NotFound => ("404.html", "/404.html".into(), "Không tìm thấy trang".into(), &site.config.description),
            Job::Search => {
                ctx.insert("items", &self.summaries[..self.summaries.len().min(search::LIST_MAX)]);
                ctx.insert("total", &self.summaries.len());
                ctx.insert("index_url", &urls.url(&format!("{}index.json", search::SEARCH_PATH)));
                let title = "Tìm kiếm cảnh báo".to_string();
                ("search.html", search::SEARCH_PATH.into(), title, &site.config.description)
            }
        };
        if !ctx.contains_key("og") {
            ctx.insert("og", &social::OgView::page(&self.site_view, &title, description, &urls.permalink(&path)));
        }
        ctx.insert("site", &self.site_view);
        ctx.insert("page_url", &urls.url(&path));
        ctx.insert("permalink", &urls.permalink(&path));
        ctx.insert("title", &title);
        // Meta descriptions are cut like link previews, from the full summary (issue 9: a 10 MB
        // summary).
        ctx.insert("description", &social::shorten(description));
        let html = self.tera.render(template, &ctx).map_err(|e| {
            let context = crate::Message::RenderFailed { path: path.clone(), template: template.to_string() };
            self.origins.error(&e).context(crate::messages::MessageError(context))
        })?;
        Ok(OutputFile { path: urls::output_file(&path), bytes: html.into_bytes() })
    }

    fn term_views(&self, kind: Kind) -> &[TermView] {
        match kind {
            Kind::Scams => &self.scam_views,
            Kind::Audiences => &self.audience_views,
        }
    }

    fn paginator(&self, base: &str, items: &[usize], n: usize) -> Paginator<'_> {
        let per_page = self.site.config.paginate_by;
        let total_pages = self.pages_of(items.len());
        let urls = &self.site.urls;
        let url = |k: usize| urls.url(&page_path(base, k));
        Paginator {
            current: n,
            total_pages,
            items: items.iter().skip((n - 1) * per_page).take(per_page).map(|&i| &self.summaries[i]).collect(),
            prev_url: (n > 1).then(|| url(n - 1)),
            next_url: (n < total_pages).then(|| url(n + 1)),
            first_url: url(1),
            pages: (1..=total_pages).map(|k| PageLink { number: k, url: url(k) }).collect(),
        }
    }

    fn sitemap(&self) -> Vec<SitemapEntry> {
        let site = self.site;
        let urls = &site.urls;
        let newest = site.articles.first().map(|a| a.article.updated.unwrap_or(a.article.date).day.to_string());
        let mut entries = vec![SitemapEntry { loc: urls.permalink("/"), lastmod: newest }];
        for a in &site.articles {
            let lastmod = a.article.updated.unwrap_or(a.article.date).day.to_string();
            entries.push(SitemapEntry { loc: urls.permalink(&a.path), lastmod: Some(lastmod) });
        }
        for p in &site.pages {
            entries.push(SitemapEntry {
                loc: urls.permalink(&p.path),
                lastmod: p.page.updated.map(|u| u.day.to_string()),
            });
        }
        for (segment, terms) in
            [(&site.config.sections.scams, &site.scams), (&site.config.sections.audiences, &site.audiences)]
        {
            entries.push(SitemapEntry { loc: urls.permalink(&format!("/{segment}/")), lastmod: None });
            entries.extend(terms.iter().map(|t| SitemapEntry { loc: urls.permalink(&t.path), lastmod: None }));
        }
        entries
    }
}
