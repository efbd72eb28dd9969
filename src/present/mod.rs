//! For presenters and meetings (issue 14): slide decks made from every article and from the
//! hand-written decks of `content/slides/`; an A3 poster and a screen card for every article
//! and leaflet ([`posters`]).
//!
//! The hooks into the build are one function each: [`Presenter::new`] (the model), [`claims`]
//! (the route table), [`Present`] (the rendered files, one item, deck or handbook at a time) and [`print`] (the PDFs of
//! `build --pdf`, with the leaflet pipeline of [`crate::print`]).

pub mod handbook;
pub mod outline;
pub mod posters;
pub mod slides;

use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use crate::cache::Cache;
use crate::config::Config;
use crate::content::slides::Deck;
use crate::content::{BundleFile, Source};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::output::OutputFile;
use crate::print::Chromium;
use crate::site::{ItemRef, Site, SiteArticle, SiteLeaflet};
use slides::{Body, Slide};

/// The folder of a deck: `/trinh-chieu/<slug>/` for a hand-written one, `<article>/trinh-chieu/`
/// beside each article.
pub const SLIDES_DIR: &str = "trinh-chieu";

/// A hand-written deck and the articles it draws on.
#[derive(Debug)]
pub struct SiteDeck {
    pub deck: Deck,
    /// `/trinh-chieu/<slug>/`.
    pub path: String,
    /// Indexes into `Site::articles`, in the deck's order.
    pub articles: Vec<usize>,
}

/// Markdown files found under a folder of `content/`, with their bundle files.
type Found = Vec<(Source, Vec<BundleFile>)>;

/// What the model holds for presenters.
#[derive(Debug, Default)]
pub struct Presenter {
    /// By slug.
    pub decks: Vec<SiteDeck>,
    /// By slug.
    pub handbooks: Vec<handbook::SiteHandbook>,
}

impl Presenter {
    /// Parses the decks and handbooks found under `content/slides/` and `content/handbooks/`
    /// and resolves the articles they name (`drafts`: content-relative paths of drafts left out
    /// of this build).
    pub fn new(
        config: &Config,
        (found, handbooks): (Found, Found),
        articles: &[SiteArticle],
        drafts: &[String],
        problems: &mut Vec<Diagnostic>,
    ) -> Presenter {
        let mut decks = Vec::new();
        for (source, files) in found {
            let deck = match crate::content::slides::parse(source, files, config) {
                Ok(deck) if deck.draft && !config.drafts => continue,
                Ok(deck) => deck,
                Err(mut e) => {
                    problems.append(&mut e);
                    continue;
                }
            };
            let mut indexes = Vec::new();
            for a in &deck.articles {
                match articles.iter().position(|s| s.article.source.rel == a.rel) {
                    Some(i) => indexes.push(i),
                    None => {
                        let message = Message::DeckArticleMissing { article: format!("content/{}", a.rel) };
                        let mut d = Diagnostic::new(&deck.source.display, message).at(a.line, a.column);
                        if drafts.contains(&a.rel) {
                            d = d.help(Message::TargetIsDraft);
                        }
                        problems.push(d);
                    }
                }
            }
            let path = format!("/{SLIDES_DIR}/{}/", deck.slug);
            decks.push(SiteDeck { deck, path, articles: indexes });
        }
        decks.sort_by(|a, b| a.deck.slug.cmp(&b.deck.slug));
        let handbooks = handbook::model(config, handbooks, articles, drafts, problems);
        Presenter { decks, handbooks }
    }
}

/// An output this feature claims in the route table: a page (`page`: a site path ending in `/`,
/// whose URL is reported if taken) or a file (relative to the output folder), and its source.
pub struct Claim<'a> {
    pub path: String,
    pub source: &'a str,
    pub page: bool,
}

/// Every output of the presenters' material: decks beside the articles and under
/// `/trinh-chieu/`, and their PDFs.
pub fn claims<'a>(
    articles: &[&'a SiteArticle],
    leaflets: &[&'a SiteLeaflet],
    presenter: &'a Presenter,
) -> Vec<Claim<'a>> {
    let mut claims = Vec::new();
    let pages = articles
        .iter()
        .map(|a| (&a.path, &a.article.slug, &a.article.source.display))
        .chain(leaflets.iter().map(|l| (&l.path, &l.leaflet.slug, &l.leaflet.source.display)));
    for (path, slug, source) in pages {
        let dir = format!("{}{}/", path.trim_start_matches('/'), posters::POSTER_DIR);
        for file in ["index.html".to_string(), format!("{slug}-a3.pdf"), posters::SCREEN_CARD.to_string()] {
            claims.push(Claim { path: format!("{dir}{file}"), source, page: false });
        }
    }
    for a in articles {
        let source = &a.article.source.display;
        let dir = format!("{}{SLIDES_DIR}/", a.path.trim_start_matches('/'));
        claims.push(Claim { path: format!("{dir}index.html"), source, page: false });
        claims.push(Claim { path: format!("{dir}{}.pdf", a.article.slug), source, page: false });
    }
    for h in &presenter.handbooks {
        let source = &h.handbook.source.display;
        for (page, pdf) in [(h.path.clone(), h.pdf()), (h.imposed_path(), h.imposed_pdf())] {
            claims.push(Claim { path: format!("{}{pdf}", page.trim_start_matches('/')), source, page: false });
            claims.push(Claim { path: page, source, page: true });
        }
    }
    for d in &presenter.decks {
        let source = &d.deck.source.display;
        claims.push(Claim { path: d.path.clone(), source, page: true });
        let pdf = format!("{}{}.pdf", d.path.trim_start_matches('/'), d.deck.slug);
        claims.push(Claim { path: pdf, source, page: false });
    }
    claims
}

/// One deck to render and print.
struct DeckJob<'a> {
    /// Site path of its folder.
    path: String,
    /// File name of its PDF.
    pdf: String,
    source: &'a str,
    title: &'a str,
    audiences: Vec<String>,
    slides: Vec<Slide>,
    notes_pages: bool,
}

impl DeckJob<'_> {
    /// Pages of its PDF: every slide, and a notes page after each when asked for.
    fn pages(&self) -> usize {
        self.slides.len() * if self.notes_pages { 2 } else { 1 }
    }
}

/// The names of the audiences `keys`.
fn audience_names(site: &Site, keys: &[String]) -> Vec<String> {
    keys.iter().filter_map(|k| site.config.audiences.iter().find(|t| &t.key == k)).map(|t| t.name.clone()).collect()
}

/// The title slide, with `notes`.
fn title_slide(title: &str, audiences: &[String], notes: Vec<String>) -> Slide {
    let subtitle = if audiences.is_empty() { String::new() } else { format!("Dành cho: {}", audiences.join(", ")) };
    Slide { heading: title.to_string(), continued: false, body: Body::Title { subtitle }, notes }
}

/// The closing slide of an article: its QR code and printed short link, and (in the template)
/// the hotline.
/// Without a `cache`, no QR code (the slides are only counted).
fn closing_slide(site: &Site, a: &SiteArticle, cache: Option<&Cache>) -> Result<Slide> {
    let url = crate::shortlinks::article_short_url(site, a);
    let qr_svg = match cache {
        Some(cache) => crate::render::codes::svg(&url, site.config.qr.print, None, cache)?,
        None => String::new(),
    };
    let link = posters::written_link(&url);
    Ok(Slide {
        heading: "Quét mã để xem lại cảnh báo".to_string(),
        continued: false,
        body: Body::Closing { qr_svg, link, url },
        notes: vec![format!("Mời mọi người quét mã QR hoặc ghi lại đường dẫn để đọc lại bài: {}", a.article.title)],
    })
}

/// The slides of an article (without its title slide), whose body's outline is `o`.
fn article_slides(site: &Site, a: &SiteArticle, o: &outline::Outline, cache: Option<&Cache>) -> Result<Vec<Slide>> {
    let mut slides = slides::section_slides(o, &a.article.title);
    slides.push(closing_slide(site, a, cache)?);
    Ok(slides)
}

/// Every deck of the site: one per article, then the hand-written ones.
fn deck_jobs<'a>(site: &'a Site, cache: Option<&Cache>) -> Result<Vec<DeckJob<'a>>> {
    let outline = |i: usize| Ok::<_, Diagnostic>(outline::outline(&site.body_of(ItemRef::Article(i))?));
    let articles = (0..site.articles.len()).map(|i| article_deck(site, i, &outline(i)?, cache));
    let own = (0..site.presenter.decks.len()).map(|k| own_deck(site, k, cache));
    articles.chain(own).collect()
}

/// The deck of article `i`, whose body's outline is `o`.
fn article_deck<'a>(site: &'a Site, i: usize, o: &outline::Outline, cache: Option<&Cache>) -> Result<DeckJob<'a>> {
    let a = &site.articles[i];
    let audiences = audience_names(site, &a.article.audiences);
    let mut deck = vec![title_slide(&a.article.title, &audiences, slides::notes(&o.intro.paragraphs))];
    deck.extend(article_slides(site, a, o, cache)?);
    Ok(DeckJob {
        path: format!("{}{SLIDES_DIR}/", a.path),
        pdf: format!("{}.pdf", a.article.slug),
        source: &a.article.source.display,
        title: &a.article.title,
        audiences,
        slides: deck,
        notes_pages: false,
    })
}

/// Hand-written deck `k`.
fn own_deck<'a>(site: &'a Site, k: usize, cache: Option<&Cache>) -> Result<DeckJob<'a>> {
    let d = &site.presenter.decks[k];
    let audiences = audience_names(site, &d.deck.audiences);
    let own = outline::outline(d.deck.body());
    let mut deck = vec![title_slide(&d.deck.title, &audiences, slides::notes(&own.intro.paragraphs))];
    deck.extend(slides::section_slides(&own, &d.deck.title));
    for &i in &d.articles {
        let a = &site.articles[i];
        let o = outline::outline(&site.body_of(ItemRef::Article(i))?);
        deck.push(Slide {
            heading: a.article.title.clone(),
            continued: false,
            body: Body::Part,
            notes: slides::notes(&o.intro.paragraphs),
        });
        deck.extend(article_slides(site, a, &o, cache)?);
    }
    Ok(DeckJob {
        path: d.path.clone(),
        pdf: format!("{}.pdf", d.deck.slug),
        source: &d.deck.source.display,
        title: &d.deck.title,
        audiences,
        slides: deck,
        notes_pages: d.deck.notes_pages,
    })
}

/// What `slides.html` receives as `deck`.
#[derive(Serialize)]
struct DeckView<'a> {
    title: &'a str,
    audiences: &'a [String],
    slides: &'a [Slide],
    notes_pages: bool,
    /// The deck's PDF, when `build --pdf` makes it.
    pdf_url: Option<String>,
    bullet_px: u32,
    table_px: u32,
}

/// What the presenters' material of a build is made with, once per build.
pub(crate) struct Present<'a> {
    posters: posters::Posters<'a>,
}

impl<'a> Present<'a> {
    /// `pdf`: PDFs are printed (and linked).
    pub(crate) fn new(
        site: &'a Site,
        tera: &'a Tera,
        origins: &'a crate::render::templates::Origins,
        site_value: tera::Value,
        pdf: bool,
        fonts: &'a crate::render::cards::Fonts,
    ) -> Result<Present<'a>> {
        Ok(Present { posters: posters::Posters::new(site, tera, origins, site_value, pdf, fonts)? })
    }

    /// The render hook of one item: writes its poster page and screen card (`screen_card.svg`,
    /// cached in `cache`), and an article's deck, from its body's outline `o`, to `sink`.
    pub(crate) fn write_item(
        &self,
        r: crate::site::ItemRef,
        o: &outline::Outline,
        cache: &Cache,
        sink: &dyn crate::output::Sink,
    ) -> Result<()> {
        let site = self.posters.site;
        self.posters.write(&posters::item(site, r), o, cache, sink)?;
        if let crate::site::ItemRef::Article(i) = r {
            let deck = self.deck_file(&article_deck(site, i, o, Some(cache))?)?;
            sink.write(&deck.path, &deck.bytes)?;
        }
        Ok(())
    }

    /// The render hook of hand-written deck `k`.
    pub(crate) fn own_deck_file(&self, k: usize, cache: &Cache) -> Result<OutputFile> {
        self.deck_file(&own_deck(self.posters.site, k, Some(cache))?)
    }

    /// The render hook of handbook `k`: its reading and imposed pages.
    pub(crate) fn handbook_files(&self, k: usize, cache: &Cache) -> Result<Vec<OutputFile>> {
        let p = &self.posters;
        handbook::files(p.site, &p.site.presenter.handbooks[k], (p.tera, p.origins, &p.site_value), p.pdf, cache)
    }

    /// Renders a deck with `slides.html`.
    fn deck_file(&self, job: &DeckJob) -> Result<OutputFile> {
        let p = &self.posters;
        let urls = &p.site.urls;
        let view = DeckView {
            title: job.title,
            audiences: &job.audiences,
            slides: &job.slides,
            notes_pages: job.notes_pages,
            pdf_url: p.pdf.then(|| urls.url(&format!("{}{}", job.path, job.pdf))),
            bullet_px: slides::BULLET_PX,
            table_px: slides::TABLE_PX,
        };
        let mut ctx = Context::new();
        ctx.insert_value("site", p.site_value.clone());
        ctx.insert("deck", &view);
        ctx.insert("title", job.title);
        ctx.insert("page_url", &urls.url(&job.path));
        ctx.insert("permalink", &urls.permalink(&job.path));
        let html = crate::render::templates::render_bytes(p.tera, "slides.html", &ctx).map_err(|e| {
            let context = Message::RenderFailed { path: job.path.clone(), template: "slides.html".to_string() };
            p.origins.error(&e).context(crate::messages::MessageError(context))
        })?;
        Ok(OutputFile { path: crate::urls::output_file(&job.path), bytes: html })
    }
}

/// Whether `build --pdf` has something of this feature to print.
pub fn wants_chromium(site: &Site) -> bool {
    !site.articles.is_empty() || !site.presenter.decks.is_empty() || !site.presenter.handbooks.is_empty()
}

/// One page to check and print: (page folder, PDF name, source, expected pages, is a deck).
type PrintJob<'a> = (String, String, &'a str, usize, bool);

/// Checks that every slide of every deck, and every poster, in the output folder `dir` fits its
/// page, then prints each to PDF beside it (a deck one slide a page, with notes pages when it
/// asks for them; a poster on one A3 page) and checks its page count. Returns the number of
/// PDFs, or the decks and posters that do not fit.
pub fn print(site: &Site, chromium: &Chromium, dir: &Path) -> Result<std::result::Result<usize, Vec<Diagnostic>>> {
    use rayon::prelude::*;
    // Only the number of slides is needed here: no QR code drawn.
    let decks = deck_jobs(site, None)?;
    let items = posters::items(site);
    let jobs: Vec<PrintJob> = decks
        .iter()
        .map(|d| (d.path.clone(), d.pdf.clone(), d.source, d.pages(), true))
        .chain(items.iter().map(|i| (i.dir(), i.pdf(), i.source, 1, false)))
        .collect();
    let results: Vec<Result<Option<Diagnostic>>> = jobs
        .par_iter()
        .map(|(path, pdf, source, expected, deck)| {
            let folder = dir.join(path.trim_start_matches('/'));
            let page = folder.join("index.html");
            let areas = chromium.overflowing_areas(&page)?;
            if !areas.is_empty() {
                let (message, help) = if *deck {
                    (Message::SlidesOverflow { slides: areas }, Message::ShortenSlides)
                } else {
                    (Message::PosterOverflow { areas }, Message::ShortenPoster)
                };
                return Ok(Some(Diagnostic::new(*source, message).help(help)));
            }
            let pdf = folder.join(pdf);
            chromium.print_pdf(&page, &pdf)?;
            let pages = crate::print::pdf_page_count(&crate::fs_util::read(&pdf)?);
            if pages != *expected {
                let message = if *deck {
                    Message::SlidesPageCount { pages, expected: *expected }
                } else {
                    Message::PosterPageCount { pages }
                };
                return Ok(Some(Diagnostic::new(*source, message)));
            }
            Ok(None)
        })
        .collect();
    let handbooks: Vec<Result<Option<Diagnostic>>> =
        site.presenter.handbooks.par_iter().map(|h| print_handbook(h, chromium, dir)).collect();
    let mut problems = Vec::new();
    for result in results.into_iter().chain(handbooks) {
        if let Some(problem) = result? {
            problems.push(problem);
        }
    }
    let pdfs = jobs.len() + 2 * site.presenter.handbooks.len();
    Ok(if problems.is_empty() { Ok(pdfs) } else { Err(problems) })
}

/// Prints a handbook's reading version (its page count must be a multiple of 4) and then its
/// imposed version (half as many sheet sides).
fn print_handbook(h: &handbook::SiteHandbook, chromium: &Chromium, dir: &Path) -> Result<Option<Diagnostic>> {
    let source = h.handbook.source.display.as_str();
    let mut reading = 0;
    for (path, pdf, imposed) in [(h.path.clone(), h.pdf(), false), (h.imposed_path(), h.imposed_pdf(), true)] {
        let folder = dir.join(path.trim_start_matches('/'));
        let page = folder.join("index.html");
        let areas = chromium.overflowing_areas(&page)?;
        if !areas.is_empty() {
            return Ok(Some(Diagnostic::new(source, Message::HandbookOverflow { pages: areas })));
        }
        let pdf = folder.join(pdf);
        chromium.print_pdf(&page, &pdf)?;
        let pages = crate::print::pdf_page_count(&crate::fs_util::read(&pdf)?);
        let expected = if imposed { reading / 2 } else { pages.next_multiple_of(4).max(4) };
        if pages != expected {
            return Ok(Some(Diagnostic::new(source, Message::HandbookPageCount { pages, expected })));
        }
        reading = pages;
    }
    Ok(None)
}
