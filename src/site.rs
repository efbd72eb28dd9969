//! The site model: validated articles and pages with their URLs, rendered Markdown, term
//! indexes, the order of the article lists and related articles, the plan of the images the
//! pages show. Everything the renderers need, nothing they must compute.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::{Config, Term};
use crate::content::leaflet::{self, Target, Variant};
use crate::content::{self, Article, Discovered, Item, Leaflet, Page, Refused};
use crate::diagnostics::Diagnostic;
use crate::images::{self, Loading, Picture};
use crate::markdown::{self, Links, Rendered};
use crate::messages::{ImageRole, Message};
use crate::pictures::{self, ImagePlan, Place, Shown};
use crate::urls::{self, Urls};

mod kept;
pub mod orders;
pub mod routes;
pub mod update;
pub use kept::KeptAt;
pub use orders::{List, ListOrders};
pub use routes::{Affected, Input, ItemRef, Job, RouteTable};

/// How many related articles an article lists.
const RELATED: usize = 4;

#[derive(Debug, Clone)]
pub struct SiteArticle {
    pub article: Article,
    /// Site path, `/canh-bao/<slug>/`.
    pub path: String,
    /// The rendered body, without its reader text (`body.text` is empty): what the search
    /// index reads of it is in `search`.
    pub body: Rendered,
    pub summary: Summary,
    /// The body's distinct words and the start of its search excerpt; without the words when
    /// the body is kept in the cache (the search index reads them back: [`SiteArticle::words`]).
    pub search: crate::render::search::BodyTerms,
    pub cover: Option<SiteCover>,
    /// Indexes into `Site::articles`.
    pub related: Vec<usize>,
    /// Where the body is kept in the cache, when it is: then a build's model holds neither its
    /// HTML (`body.html` is empty) nor its words (`search.words`), which [`SiteArticle::html`]
    /// and [`SiteArticle::words`] read back, nor the ids and links `check` reads back
    /// ([`KeptAt::anchors`]).
    pub kept: Option<KeptAt>,
}

impl SiteArticle {
    /// The summary (`summary:` of the front matter, else the body's) and search terms of a
    /// rendered `body`, whose reader text is taken: read in the job that rendered the body, so
    /// that the texts of every article are not held at once (issue 10: that was a build's peak).
    pub fn read(explicit_summary: Option<&str>, body: &mut Rendered) -> (Summary, crate::render::search::BodyTerms) {
        let summary = Summary::new(explicit_summary, body);
        let search = crate::render::search::BodyTerms::new(&std::mem::take(&mut body.text), &summary.full);
        (summary, search)
    }

    /// The model of `article` at `path` with its rendered `body`, already [`Self::read`]: the
    /// body's reader text was read into what the search index needs
    /// ([`crate::render::search::BodyTerms`]) and dropped, since the model holds every article
    /// for the whole build (issue 10).
    fn new(
        article: Article,
        path: String,
        (body, (summary, search)): (Rendered, (Summary, crate::render::search::BodyTerms)),
        cover: Option<SiteCover>,
        related: Vec<usize>,
        kept: Option<KeptAt>,
    ) -> Self {
        SiteArticle { article, path, body, summary, search, cover, related, kept }
    }

    /// The HTML of the body: held by the model, or read back from `cache`, where the load found
    /// or kept it (a build's model lets go of it: [`SiteArticle::kept`]).
    pub fn html(&self, cache: &crate::cache::Cache) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        match &self.kept {
            Some(at) => at.html(cache).map(std::borrow::Cow::Owned),
            None => Ok(std::borrow::Cow::Borrowed(&self.body.html)),
        }
    }

    /// The body's distinct words for the search index ([`crate::render::search::BodyTerms`]):
    /// held by the model, or read back from `cache` (as [`SiteArticle::html`]).
    pub fn words(&self, cache: &crate::cache::Cache) -> anyhow::Result<std::borrow::Cow<'_, str>> {
        match &self.kept {
            Some(at) => at.words(cache).map(std::borrow::Cow::Owned),
            None => Ok(std::borrow::Cow::Borrowed(&self.search.words)),
        }
    }
}

/// An article's cover image, as pages show it.
#[derive(Debug, Clone)]
pub struct SiteCover {
    /// Its URL: root-relative (with the base path), or absolute for a remote image. For a
    /// re-encoded picture, the `src` rendition.
    pub url: String,
    /// The renditions, when the cover is a photo or screenshot (not SVG, GIF or remote).
    pub picture: Option<Picture>,
}

#[derive(Debug, Clone)]
pub struct SitePage {
    pub page: Page,
    pub path: String,
    pub body: Rendered,
    pub summary: Summary,
}

/// The summary of an article or page, resolved once: `summary:` of the front matter, else the
/// body's (the text before `<!-- more -->`, else the first paragraph).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// In full: previews cut it to their own length, the search excerpt starts after it.
    pub full: Arc<str>,
    /// Cut to [`crate::sanitize::SUMMARY_WARN_CHARS`] for lists, feeds and the search index
    /// (issue 9: a 10 MB `summary` must not be copied into every list). The same string as
    /// `full` when that is short enough, shared with the list views (issue 10: memory).
    pub listing: Arc<str>,
}

impl Summary {
    pub fn new(explicit: Option<&str>, body: &Rendered) -> Summary {
        let full: Arc<str> = explicit.unwrap_or(&body.summary).into();
        let cut = crate::sanitize::shorten_to(&full, crate::sanitize::SUMMARY_WARN_CHARS);
        let listing = if *cut == *full { full.clone() } else { cut.into() };
        Summary { full, listing }
    }
}

/// A section of a leaflet: its `##` heading and rendered body.
#[derive(Debug, Clone)]
pub struct LeafletBlock {
    pub title: String,
    pub body: Rendered,
}

#[derive(Debug, Clone)]
pub struct SiteLeaflet {
    pub leaflet: Leaflet,
    /// Site path, `/to-roi/<slug>/`.
    pub path: String,
    /// Absolute URL the QR code leads to (before the campaign tag).
    pub target: String,
    pub intro: Rendered,
    pub blocks: Vec<LeafletBlock>,
}

/// One printable version of a leaflet: the leaflet itself, or one of its variants.
#[derive(Debug, Clone)]
pub struct Print<'a> {
    pub variant: Option<&'a Variant>,
    /// Site path of the print page.
    pub path: String,
    /// Site path of the short link printed in its QR code, `/q/<code>/`.
    pub short_path: String,
    /// The campaign tag the short link adds: `?src=<tag>`.
    pub tag: String,
}

impl SiteLeaflet {
    /// The leaflet's print versions: itself first, then each variant.
    pub fn prints(&self, short_links: &str) -> Vec<Print<'_>> {
        let l = &self.leaflet;
        let base = Print {
            variant: None,
            path: self.path.clone(),
            short_path: format!("/{short_links}/{}/", l.code),
            tag: l.slug.clone(),
        };
        std::iter::once(base)
            .chain(l.variants.iter().map(|v| Print {
                variant: Some(v),
                path: format!("{}{}/", self.path, v.id),
                short_path: format!("/{short_links}/{}/", v.code),
                tag: v.id.clone(),
            }))
            .collect()
    }

    /// The URL a print's short link redirects to: the target with its campaign tag.
    pub fn tagged_target(&self, print: &Print) -> String {
        let (base, fragment) = match self.target.find('#') {
            Some(i) => self.target.split_at(i),
            None => (self.target.as_str(), ""),
        };
        let sep = if base.contains('?') { '&' } else { '?' };
        format!("{base}{sep}src={}{fragment}", print.tag)
    }
}

/// A vocabulary term and the articles tagged with it (indexes, newest first).
#[derive(Debug, Clone)]
pub struct TermIndex {
    pub term: Term,
    pub path: String,
    pub articles: Vec<usize>,
}

/// A new model after an edit shares with the last one what the edit did not change (issue 10):
/// the articles, the list orders, the route table and the presenters' decks are behind `Arc`s.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    /// Newest first (date, then slug).
    pub articles: Vec<Arc<SiteArticle>>,
    pub pages: Vec<SitePage>,
    /// By slug.
    pub leaflets: Vec<SiteLeaflet>,
    pub scams: Vec<TermIndex>,
    pub audiences: Vec<TermIndex>,
    /// The order of the home pages and the term pages, and the articles on each page: what the
    /// renderer shows and the route table's inputs of those pages ([`orders`]).
    pub orders: Arc<ListOrders>,
    /// What the pages need made of their images (renditions, copies, originals withheld).
    pub images: ImagePlan,
    /// The files of the theme's and the site's `static/` folders (the site's win on a path).
    pub static_files: Vec<crate::output::CopyFile>,
    /// Problems that do not stop a build (images without alt text); `check` refuses them.
    pub warnings: Vec<Diagnostic>,
    /// Every output file, its owner, the job that makes it and what that shows ([`routes`]).
    pub routes: Arc<RouteTable>,
    /// Hand-written slide decks and handbooks (issue 14).
    pub presenter: Arc<crate::present::Presenter>,
    /// The codes of the derived print and SMS short links (issues 12 and 14).
    pub short_codes: Arc<crate::shortlinks::ShortCodes>,
}

/// Why a site could not be modelled: every problem, and what `check` also reports then (the
/// warnings of the bodies that were read, the sources whose front matter was refused).
#[derive(Debug)]
pub struct Rejected {
    pub problems: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Sources left out of the model because their front matter was refused (drafts included).
    pub refused: Vec<crate::content::Source>,
}

/// The items of one kind taking part in the build, from their parse results: refused ones and
/// drafts (unless drafts are built) are set aside.
struct Sorting<'a> {
    config: &'a Config,
    problems: &'a mut Vec<Diagnostic>,
    drafts: Vec<String>,
    refused: Vec<crate::content::Source>,
}

impl Sorting<'_> {
    fn keep<T: Deref<Target = Item>>(&mut self, parsed: Vec<Result<T, Refused>>) -> Vec<T> {
        let mut kept = Vec::with_capacity(parsed.len());
        for result in parsed {
            match result {
                Ok(item) if item.draft && !self.config.drafts => self.drafts.push(item.source.rel.clone()),
                Ok(item) => kept.push(item),
                Err(mut refused) => {
                    self.problems.append(&mut refused.problems);
                    self.refused.push(refused.source);
                }
            }
        }
        kept
    }
}

impl Site {
    /// The Markdown body of an article or a leaflet: an article's is read again from its file
    /// (the model let go of its text, unless it is the preview's: see `Site::load_with`), once
    /// in the job that makes its material, and in the decks and handbooks that show it.
    pub fn body_of(&self, r: ItemRef) -> Result<std::borrow::Cow<'_, str>, Diagnostic> {
        match r {
            ItemRef::Article(i) => self.articles[i].article.body_again(),
            ItemRef::Leaflet(i) => Ok(std::borrow::Cow::Borrowed(self.leaflets[i].leaflet.body())),
        }
    }

    /// Validates everything discovered and builds the model; every problem is returned at once.
    pub fn new(config: Config, discovered: Discovered, problems: Vec<Diagnostic>) -> Result<Site, Vec<Diagnostic>> {
        Site::load(config, discovered, problems, None).map_err(|rejected| rejected.problems)
    }

    /// [`Site::new`], telling `check` more when the site is refused ([`Rejected`]), with the
    /// article bodies kept in `cache` when one is given ([`kept`]).
    pub fn load(
        config: Config,
        discovered: Discovered,
        problems: Vec<Diagnostic>,
        cache: Option<&crate::cache::Cache>,
    ) -> Result<Site, Rejected> {
        Site::load_with(config, discovered, problems, None, cache)
    }

    /// [`Site::load`], taking what `memo` kept from the last load (the preview, [`update`]).
    fn load_with(
        config: Config,
        discovered: Discovered,
        mut problems: Vec<Diagnostic>,
        memo: Option<&update::Memo>,
        cache: Option<&crate::cache::Cache>,
    ) -> Result<Site, Rejected> {
        let parsed_articles: Vec<_> = discovered
            .articles
            .into_par_iter()
            .map(|(source, files)| match memo {
                Some(memo) => memo.article(source, files, &config),
                None => content::article::parse(source, files, &config),
            })
            .collect();
        let parsed_pages: Vec<_> = discovered
            .pages
            .into_par_iter()
            .map(|(source, files)| match memo {
                Some(memo) => memo.page(source, files),
                None => content::page::parse(source, files),
            })
            .collect();
        let parsed_leaflets: Vec<_> = discovered
            .leaflets
            .into_par_iter()
            .map(|(source, files)| match memo {
                Some(memo) => memo.leaflet(source, files, &config),
                None => leaflet::parse(source, files, &config),
            })
            .collect();
        let mut sorting = Sorting { config: &config, problems: &mut problems, drafts: Vec::new(), refused: Vec::new() };
        let mut articles = sorting.keep(parsed_articles);
        let mut pages = sorting.keep(parsed_pages);
        let mut leaflets = sorting.keep(parsed_leaflets);
        let Sorting { drafts, refused, .. } = sorting;
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));
        leaflets.sort_by(|a, b| a.slug.cmp(&b.slug));

        let article_paths: Vec<String> =
            articles.iter().map(|a| format!("/{}/{}/", config.sections.articles, a.slug)).collect();
        let page_paths: Vec<String> = pages.iter().map(|p| format!("/{}/", p.slug)).collect();
        let leaflet_paths: Vec<String> =
            leaflets.iter().map(|l| format!("/{}/{}/", config.sections.leaflets, l.slug)).collect();
        let scams = term_indexes(&config.scams, &config.sections.scams, &articles, |a| &a.scams);
        let audiences = term_indexes(&config.audiences, &config.sections.audiences, &articles, |a| &a.audiences);

        let short_codes = crate::shortlinks::ShortCodes::for_site(
            &config.sections.short_links,
            &articles.iter().zip(article_paths.iter().map(String::as_str)).collect::<Vec<_>>(),
            &leaflets.iter().zip(leaflet_paths.iter().map(String::as_str)).collect::<Vec<_>>(),
        );
        let orders = ListOrders::new(&articles, (&scams, &audiences), config.paginate_by);
        let mut routes = RouteTable::default();
        routes.claim_generated(&config, &orders, (&scams, &audiences));
        routes.claim_leaflets_index(&config, leaflets.len());
        let related = related_articles(&articles, &scams);
        let item_paths =
            ((&articles[..], &article_paths[..]), (&pages[..], &page_paths[..]), (&leaflets[..], &leaflet_paths[..]));
        routes.claim_items(&short_codes, item_paths, &related, &mut problems);

        let urls = Urls::new(&config);
        // Where a link to each item's source leads: articles, pages, leaflets.
        let targets: HashMap<String, String> = articles
            .iter()
            .map(|a| &a.item)
            .zip(&article_paths)
            .chain(pages.iter().map(|p| &p.item).zip(&page_paths))
            .chain(leaflets.iter().map(|l| &l.item).zip(&leaflet_paths))
            .map(|(item, path)| (item.source.rel.clone(), urls.url(path)))
            .collect();

        let bodies = Bodies { config: &config, targets: &targets, drafts: &drafts };
        if let Some(memo) = memo {
            memo.links(&targets, &drafts);
        }
        let render = |item: &Item, path: &str| {
            let place = Place::body(&config, &item.source, &item.files, path);
            bodies.render(&place, item.body(), 0..item.body().len(), item.body_line)
        };
        let rendered = |item: &Item, path: &str| match memo {
            Some(memo) => memo.body(&item.source, path, || render(item, path)),
            None => render(item, path),
        };
        // An article's summary and search terms are read where its body is rendered
        // ([`SiteArticle::read`]); then the model lets go of its text (issue 10: the sources
        // were a sixth of a build's memory at 10,000 articles), except for the preview, which
        // compares edits with them. Whoever needs a body again reads its file again
        // ([`Site::body_of`]). A body and its terms come from the memo, else from the cache,
        // else they are made.
        let kept = cache.and_then(|cache| kept::KeptBodies::new(cache, &config, &targets));
        // A build's model lets go of the HTML and words of a body kept in the cache too (issue
        // 10): the article's page and the feeds read the HTML back, the search index the words.
        // The preview holds them.
        let article_bodies: Vec<(kept::ReadBody, kept::Keeping)> = articles
            .par_iter_mut()
            .zip(&article_paths)
            .map(|(article, path)| {
                let item = &article.item;
                let made = || {
                    let mut body = render(item, path);
                    let read = SiteArticle::read(item.summary.as_deref(), &mut body.rendered);
                    (body, read)
                };
                let body = match (memo, &kept) {
                    // The preview holds every HTML: only what it makes is kept, for the next build.
                    (Some(memo), Some(kept)) => {
                        let mut keeping = kept::Keeping::No;
                        let body = memo.article_body(item, path, || {
                            let (body, k) = kept.get_or_make(item, path, kept::Holding::All, made);
                            keeping = k;
                            body
                        });
                        let new = matches!(keeping, kept::Keeping::New(_));
                        (body, if new { keeping } else { kept::Keeping::No })
                    }
                    (Some(memo), None) => (memo.article_body(item, path, made), kept::Keeping::No),
                    (None, Some(kept)) => kept.get_or_make(item, path, kept::Holding::Shown, made),
                    (None, None) => (made(), kept::Keeping::No),
                };
                if memo.is_none() {
                    article.item.let_go_of_text();
                }
                body
            })
            .collect();
        let page_bodies: Vec<Body> =
            pages.par_iter().zip(&page_paths).map(|(page, path)| rendered(&page.item, path)).collect();

        let mut plan = ImagePlan::default();
        let mut warnings = Vec::new();
        let mut site_articles = Vec::with_capacity(articles.len());
        // Bodies made in this load, kept in the cache once the site is known to have no problem.
        let mut pending = Vec::new();
        for ((article, path), ((body, read), keeping)) in articles.into_iter().zip(article_paths).zip(article_bodies) {
            let mut body = body.gather(&mut problems, &mut warnings, &mut plan);
            // A build's model holds the summary once, in `read.0` ([`Summary`]; issue 10).
            if memo.is_none() {
                body.summary = String::new();
            }
            let kept = match keeping {
                // Its HTML is empty: the page reads it back ([`SiteArticle::html`]).
                kept::Keeping::Read(at) => Some(at),
                // A build's model holds neither its HTML nor its words already
                // ([`kept::Holding::Shown`]): the pending entries do, compressed.
                kept::Keeping::New(p) => {
                    pending.push((site_articles.len(), p));
                    None
                }
                kept::Keeping::No => None,
            };
            let cover = match cover(&article, &path, &config, &urls, &mut plan, &mut warnings) {
                Ok(cover) => cover,
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            };
            site_articles.push(SiteArticle::new(article, path, (body, read), cover, Vec::new(), kept));
        }
        let mut site_pages = Vec::with_capacity(pages.len());
        for ((page, path), body) in pages.into_iter().zip(page_paths).zip(page_bodies) {
            let body = body.gather(&mut problems, &mut warnings, &mut plan);
            let summary = Summary::new(page.summary.as_deref(), &body);
            site_pages.push(SitePage { page, path, body, summary });
        }
        let mut site_leaflets = Vec::with_capacity(leaflets.len());
        for (leaflet, path) in leaflets.into_iter().zip(leaflet_paths) {
            match site_leaflet(leaflet, path, &config, &bodies, &mut plan, &mut warnings) {
                Ok(l) => site_leaflets.push(l),
                Err(mut e) => problems.append(&mut e),
            }
        }
        // Every other output file, then the aliases: an alias that takes the URL of a file is
        // reported at its own line.
        let static_files = crate::output::static_sources(&config).unwrap_or_else(|mut e| {
            problems.append(&mut e);
            Vec::new()
        });
        let presenter = crate::present::Presenter::new(
            &config,
            (discovered.slides, discovered.handbooks),
            &site_articles,
            &drafts,
            &mut problems,
        );
        let items = (&site_articles[..], &site_pages[..], &site_leaflets[..], &presenter);
        routes.claim_files(&config, &short_codes, items, &static_files, &plan, &mut problems);
        routes.claim_aliases(&short_codes, &site_articles, &site_pages, &mut problems);
        problems.extend(routes.menu_problems(&config));
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            warnings.sort();
            warnings.dedup();
            return Err(Rejected { problems, warnings, refused });
        }
        for (article, related) in site_articles.iter_mut().zip(related) {
            article.related = related;
        }
        for (i, p) in pending {
            let a = &mut site_articles[i];
            match cache.map(|cache| p.keep(cache)) {
                Some(Ok(at)) if memo.is_none() => {
                    a.kept = Some(at);
                    // As of a body read back ([`kept::Holding::Shown`]).
                    (a.body.ids, a.body.links) = (Vec::new(), Vec::new());
                }
                // Not written: the model holds the HTML and words again (the preview holds them
                // anyway).
                Some(Err((html, words))) if memo.is_none() => (a.body.html, a.search.words) = (html, words),
                _ => {}
            }
        }
        warnings.sort();
        warnings.dedup();
        Ok(Site {
            config,
            urls,
            articles: site_articles.into_iter().map(Arc::new).collect(),
            pages: site_pages,
            leaflets: site_leaflets,
            scams,
            audiences,
            orders: Arc::new(orders),
            images: plan,
            static_files,
            warnings,
            routes: Arc::new(routes),
            presenter: Arc::new(presenter),
            short_codes: Arc::new(short_codes),
        })
    }
}

/// Renders Markdown bodies with the site's link targets and images, turning link and image
/// problems into diagnostics.
struct Bodies<'a> {
    config: &'a Config,
    targets: &'a HashMap<String, String>,
    /// Content-relative paths of drafts left out of this build.
    drafts: &'a [String],
}

/// A rendered body, what its images need, and its problems.
#[derive(Default)]
struct Body {
    rendered: Rendered,
    images: ImagePlan,
    problems: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Body {
    /// The rendering, its problems, warnings and images added to the site's.
    fn gather(self, problems: &mut Vec<Diagnostic>, warnings: &mut Vec<Diagnostic>, plan: &mut ImagePlan) -> Rendered {
        let Body { rendered, images, problems: mut found, warnings: mut noticed } = self;
        problems.append(&mut found);
        warnings.append(&mut noticed);
        plan.merge(images);
        rendered
    }
}

impl Bodies<'_> {
    /// Renders `body[range]` of the file at `place`; `body_line` is the file line where `body`
    /// starts. Images are shown as [`pictures::show`] says; one without alt text is a warning.
    /// **What this reads of the site's configuration for a body without images must be in the
    /// key of kept bodies** ([`kept::KeptBodies::new`]).
    fn render(&self, place: &Place, body: &str, range: std::ops::Range<usize>, body_line: usize) -> Body {
        let source = place.source;
        let at = |offset: usize, message: Message, help: Option<Box<Message>>| {
            let (line, column) = line_column(body, range.start + offset);
            Diagnostic::new(&source.display, message).at(body_line + line - 1, column).maybe_help(help)
        };
        let found = RefCell::new((ImagePlan::default(), Vec::new(), Vec::new()));
        let show_image = |image: &markdown::Image| -> Option<String> {
            let (plan, problems, warnings) = &mut *found.borrow_mut();
            if image.alt.trim().is_empty() {
                let p = pictures::no_alt(image.dest);
                warnings.push(at(image.offset, p.message, p.help));
            }
            match pictures::show(place, ImageRole::Image, image.dest, plan) {
                Ok(Shown::Picture(picture)) => Some(picture.html(image.alt, image.title, Loading::Lazy)),
                Ok(Shown::AsIs(url)) => Some(images::plain_html(&url, image.alt, image.title)),
                Ok(Shown::Remote) => None,
                Err(p) => {
                    problems.push(at(image.offset, p.message, p.help));
                    None
                }
            }
        };
        let links = Links {
            dir: source.rel_dir(),
            targets: self.targets,
            base_path: &self.config.base_path,
            images: &show_image,
            policy: &self.config.markdown,
        };
        let (rendered, link_problems) = markdown::render(&body[range.clone()], &links);
        let (images, mut problems, warnings) = found.into_inner();
        problems.extend(link_problems.into_iter().map(|p| {
            let to_draft = match &p.message {
                Message::BrokenLink { target, .. } => {
                    self.drafts.iter().any(|draft| *target == format!("content/{draft}"))
                }
                _ => false,
            };
            let help = if to_draft { Some(Message::TargetIsDraft) } else { p.help };
            at(p.offset, p.message, help.map(Box::new))
        }));
        Body { rendered, images, problems, warnings }
    }
}

/// Resolves a leaflet's target and renders its intro and sections. Its images are shown as
/// they are (see [`pictures`]).
fn site_leaflet(
    leaflet: Leaflet,
    path: String,
    config: &Config,
    bodies: &Bodies,
    plan: &mut ImagePlan,
    warnings: &mut Vec<Diagnostic>,
) -> Result<SiteLeaflet, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let target = match &leaflet.target {
        Target::Url(url) => url.clone(),
        Target::Content { rel, line, column } => match bodies.targets.get(rel) {
            Some(url) => format!("{}{url}", config.origin),
            None => {
                let mut d = Diagnostic::new(
                    &leaflet.source.display,
                    Message::TargetMissing { target: format!("content/{rel}") },
                )
                .at(*line, *column);
                if bodies.drafts.contains(rel) {
                    d = d.help(Message::TargetIsDraft);
                }
                problems.push(d);
                String::new()
            }
        },
    };
    let body = leaflet.body();
    let split = leaflet::split_sections(body);
    let place = Place {
        config,
        source: &leaflet.source,
        files: &leaflet.files,
        page_dir: path.trim_start_matches('/'),
        link_prefix: "",
        process: false,
    };
    let mut render =
        |range| bodies.render(&place, body, range, leaflet.body_line).gather(&mut problems, warnings, plan);
    let intro = render(split.intro);
    let mut blocks = Vec::new();
    for (title, range) in split.sections {
        blocks.push(LeafletBlock { title, body: render(range) });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(SiteLeaflet { leaflet, path, target, intro, blocks })
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Resolves an article's cover like an image of its body ([`pictures::show`]), with URLs
/// from the site root: covers are shown on other pages too. A cover without `cover_alt` is a
/// warning (an error in `check`).
fn cover(
    article: &Article,
    article_path: &str,
    config: &Config,
    urls: &Urls,
    plan: &mut ImagePlan,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<SiteCover>, Diagnostic> {
    let Some(dest) = article.cover.as_deref() else { return Ok(None) };
    let path = article.source.display.as_str();
    if article.cover_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        warnings.push(
            Diagnostic::new(path, Message::CoverWithoutAlt).at(article.cover_line, 1).help(Message::CoverAltHelp),
        );
    }
    let page_url = urls.url(article_path);
    let place = Place {
        config,
        source: &article.source,
        files: &article.files,
        page_dir: article_path.trim_start_matches('/'),
        link_prefix: &page_url,
        process: true,
    };
    let shown = pictures::show(&place, ImageRole::Cover, dest, plan)
        .map_err(|p| Diagnostic::new(path, p.message).at(article.cover_line, 1).maybe_help(p.help))?;
    Ok(Some(match shown {
        Shown::Picture(picture) => SiteCover { url: picture.src.clone(), picture: Some(picture) },
        Shown::AsIs(url) => SiteCover { url, picture: None },
        Shown::Remote => SiteCover { url: dest.to_string(), picture: None },
    }))
}

fn term_indexes(
    terms: &[Term],
    segment: &str,
    articles: &[Article],
    keys: impl Fn(&Article) -> &Vec<String>,
) -> Vec<TermIndex> {
    terms
        .iter()
        .map(|term| TermIndex {
            term: term.clone(),
            path: format!("/{segment}/{}/", term.key),
            articles: articles
                .iter()
                .enumerate()
                .filter(|(_, a)| keys(a).contains(&term.key))
                .map(|(i, _)| i)
                .collect(),
        })
        .collect()
}

/// For each article, up to [`RELATED`] others sharing the most scam types, newest first.
fn related_articles(articles: &[Article], scams: &[TermIndex]) -> Vec<Vec<usize>> {
    let by_key: HashMap<&str, &TermIndex> = scams.iter().map(|t| (t.term.key.as_str(), t)).collect();
    // Counted in an array per thread (issue 10: a hash map per article took seconds at 10,000
    // articles, on every load of the preview); only the touched entries are read and reset.
    let counters = || (vec![0usize; articles.len()], Vec::new());
    articles
        .par_iter()
        .enumerate()
        .map_init(counters, |(counts, touched), (me, article)| {
            for key in &article.scams {
                for &other in by_key.get(key.as_str()).map_or(&[][..], |t| &t.articles[..]) {
                    if other != me {
                        if counts[other] == 0 {
                            touched.push(other);
                        }
                        counts[other] += 1;
                    }
                }
            }
            // Most shared first, then newest (articles are sorted newest first: lower is newer).
            let order = |a: &(usize, usize), b: &(usize, usize)| b.1.cmp(&a.1).then(a.0.cmp(&b.0));
            let mut candidates: Vec<(usize, usize)> =
                touched.drain(..).map(|i| (i, std::mem::take(&mut counts[i]))).collect();
            if candidates.len() > RELATED {
                candidates.select_nth_unstable_by(RELATED - 1, order);
                candidates.truncate(RELATED);
            }
            candidates.sort_unstable_by(order);
            // Collected from a borrow: `into_iter` would reuse the allocation, keeping room for
            // every touched article per article for the whole build (issue 10: O(n²) memory).
            candidates.iter().map(|&(i, _)| i).collect()
        })
        .collect()
}

// The menu check reads the route table ([`routes`]) once it is complete.
impl RouteTable {
    /// Menu URLs of site.yaml that lead nowhere: a root-relative URL must be a page, a generated
    /// page or a file of the output; an absolute one must be http(s).
    fn menu_problems(&self, config: &Config) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for item in &config.menu {
            let url = item.url.trim();
            let at = |message: Message, help: Message| {
                Diagnostic::new(crate::config::CONFIG_FILE, message).help(help).at(item.at.0, item.at.1)
            };
            // Another site's page is not checked; a fragment alone (`#x`) is no page: it is refused.
            if urls::points_elsewhere(url) && !url.starts_with('#') {
                continue;
            }
            let Some(path) = url.strip_prefix('/') else {
                problems.push(at(
                    Message::MenuUrlNotRooted { url: url.to_string() },
                    Message::MenuUrlFromRoot { url: url.to_string() },
                ));
                continue;
            };
            let path = path.split(['?', '#']).next().unwrap_or(path);
            let path = crate::text::nfc(&urls::percent_decode(path));
            let file = urls::output_file(&format!("/{path}"));
            if self.contains(&file) {
                continue;
            }
            let pages: Vec<String> = self
                .files()
                .map(|(f, _)| f)
                .filter(|f| f.ends_with(".html"))
                .map(|f| format!("/{}", f.strip_suffix("index.html").unwrap_or(f)))
                .collect();
            let help = match crate::diagnostics::nearest(url, pages.iter().map(String::as_str)) {
                Some(best) => Message::DidYouMeanUrl { url: best.to_string() },
                None => Message::MenuUrlHelp,
            };
            problems.push(at(Message::MenuUrlNoPage { url: url.to_string() }, help));
        }
        problems
    }
}
