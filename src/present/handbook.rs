//! Handbooks (issue 14): an A5 booklet of articles (`content/handbooks/`), as a page that lays
//! itself out in A5 pages in the browser (cover, foreword, table of contents with page numbers,
//! one chapter per article with its QR code, running headers, page numbers, back cover with the
//! hotline; padded to a multiple of 4 pages), and the same booklet imposed for saddle-stitch
//! printing: two A5 pages on each side of an A4 landscape sheet, in folding order.
//!
//! Both are printed by Chromium with `build --pdf` (see [`super::print`]).

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use super::outline::{Block, outline};
use crate::cache::Cache;
use crate::config::Config;
use crate::content::handbook::Handbook;
use crate::content::{BundleFile, Source};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::output::OutputFile;
use crate::render::codes;
use crate::render::templates::Origins;
use crate::site::{Site, SiteArticle};

/// The folder of the handbooks: `/cam-nang/<slug>/`.
pub const HANDBOOKS_DIR: &str = "cam-nang";
/// The folder of the imposed version, inside a handbook's folder.
pub const IMPOSED_DIR: &str = "in-ghep";

/// A handbook and its chapters: (index into `Site::articles`, intro).
#[derive(Debug)]
pub struct SiteHandbook {
    pub handbook: Handbook,
    /// `/cam-nang/<slug>/`.
    pub path: String,
    pub chapters: Vec<(usize, Option<String>)>,
}

impl SiteHandbook {
    pub fn imposed_path(&self) -> String {
        format!("{}{IMPOSED_DIR}/", self.path)
    }

    pub fn pdf(&self) -> String {
        format!("{}.pdf", self.handbook.slug)
    }

    pub fn imposed_pdf(&self) -> String {
        format!("{}-in-ghep.pdf", self.handbook.slug)
    }
}

/// Parses the handbooks and resolves their articles.
pub fn model(
    config: &Config,
    found: Vec<(Source, Vec<BundleFile>)>,
    articles: &[SiteArticle],
    drafts: &[String],
    problems: &mut Vec<Diagnostic>,
) -> Vec<SiteHandbook> {
    let mut handbooks = Vec::new();
    for (source, files) in found {
        let handbook = match crate::content::handbook::parse(source, files) {
            Ok(h) if h.draft && !config.drafts => continue,
            Ok(h) => h,
            Err(mut e) => {
                problems.append(&mut e);
                continue;
            }
        };
        let mut chapters = Vec::new();
        for c in &handbook.chapters {
            match articles.iter().position(|s| s.article.source.rel == c.article.rel) {
                Some(i) => chapters.push((i, c.intro.clone())),
                None => {
                    let message = Message::DeckArticleMissing { article: format!("content/{}", c.article.rel) };
                    let mut d = Diagnostic::new(&handbook.source.display, message).at(c.article.line, c.article.column);
                    if drafts.contains(&c.article.rel) {
                        d = d.help(Message::TargetIsDraft);
                    }
                    problems.push(d);
                }
            }
        }
        let path = format!("/{HANDBOOKS_DIR}/{}/", handbook.slug);
        handbooks.push(SiteHandbook { handbook, path, chapters });
    }
    handbooks.sort_by(|a, b| a.handbook.slug.cmp(&b.handbook.slug));
    handbooks
}

#[derive(Serialize)]
struct ChapterView<'a> {
    number: usize,
    title: &'a str,
    intro: Option<&'a str>,
    sections: Vec<SectionView>,
    qr_svg: String,
    link: String,
}

/// A section of a chapter: its `##` heading (none for the text before the first) and blocks.
#[derive(Serialize)]
struct SectionView {
    title: String,
    blocks: Vec<BlockView>,
}

/// A block of a chapter, as safe HTML pieces (text and emphasis only: no links, images or ids,
/// which would not resolve from the handbook's page).
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum BlockView {
    Paragraph { html: String },
    Heading { html: String },
    List { ordered: bool, items: Vec<super::slides::BulletView> },
    Table { head: Vec<String>, rows: Vec<Vec<String>> },
}

fn sections(body: &str) -> Vec<SectionView> {
    let o = outline(body);
    std::iter::once(o.intro)
        .chain(o.sections)
        .map(|s| SectionView {
            title: s.title,
            blocks: s
                .blocks
                .into_iter()
                .map(|b| match b {
                    Block::Paragraph(i) => BlockView::Paragraph { html: i.html },
                    Block::Heading(i) => BlockView::Heading { html: i.html },
                    Block::List { ordered, items } => BlockView::List {
                        ordered,
                        items: items
                            .into_iter()
                            .map(|b| super::slides::BulletView { html: b.inline.html, level: b.level })
                            .collect(),
                    },
                    Block::Table(t) => BlockView::Table {
                        head: t.head.into_iter().map(|c| c.html).collect(),
                        rows: t.rows.into_iter().map(|r| r.into_iter().map(|c| c.html).collect()).collect(),
                    },
                })
                .collect(),
        })
        .filter(|s| !s.blocks.is_empty() || !s.title.is_empty())
        .collect()
}

#[derive(Serialize)]
struct HandbookView<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    /// The foreword, as paragraphs of safe inline HTML.
    foreword: Vec<String>,
    chapters: Vec<ChapterView<'a>>,
    /// Laid out two A5 pages a side of A4 landscape, in folding order.
    impose: bool,
    reading_url: String,
    imposed_url: String,
    pdf_url: Option<String>,
    imposed_pdf_url: Option<String>,
    year: String,
    /// QR code of the site's home page, on the back cover.
    home_qr_svg: String,
    home_link: String,
}

/// The reading and imposed pages of handbook `h`.
pub fn files(
    site: &Site,
    h: &SiteHandbook,
    (tera, origins, site_value): (&Tera, &Origins, &tera::Value),
    pdf: bool,
    cache: &Cache,
) -> Result<Vec<OutputFile>> {
    let urls = &site.urls;
    let mut files = Vec::new();
    {
        let mut chapters = Vec::new();
        for (n, (i, intro)) in h.chapters.iter().enumerate() {
            let a = &site.articles[*i];
            let url = crate::shortlinks::article_short_url(site, a);
            chapters.push(ChapterView {
                number: n + 1,
                title: &a.article.title,
                intro: intro.as_deref(),
                sections: sections(&site.body_of(crate::site::ItemRef::Article(*i))?),
                qr_svg: codes::svg(&url, site.config.qr.print, None, cache)?,
                link: super::posters::written_link(&url),
            });
        }
        let foreword = outline(h.handbook.body());
        let foreword: Vec<String> = foreword
            .intro
            .paragraphs
            .iter()
            .chain(foreword.sections.iter().flat_map(|s| &s.paragraphs))
            .map(|p| p.html.clone())
            .collect();
        let year = site.articles.iter().map(|a| a.article.updated.unwrap_or(a.article.date).day.year()).max();
        let mut view = HandbookView {
            title: &h.handbook.title,
            subtitle: h.handbook.subtitle.as_deref(),
            foreword,
            chapters,
            impose: false,
            reading_url: urls.url(&h.path),
            imposed_url: urls.url(&h.imposed_path()),
            pdf_url: pdf.then(|| urls.url(&format!("{}{}", h.path, h.pdf()))),
            imposed_pdf_url: pdf.then(|| urls.url(&format!("{}{}", h.imposed_path(), h.imposed_pdf()))),
            year: year.map(|y| y.to_string()).unwrap_or_default(),
            home_qr_svg: codes::svg(&urls.permalink("/"), site.config.qr.print, Some("Mã QR: trang chủ"), cache)?,
            home_link: super::posters::written_link(&urls.permalink("/")),
        };
        for (path, impose) in [(h.path.clone(), false), (h.imposed_path(), true)] {
            view.impose = impose;
            let mut ctx = Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert("handbook", &view);
            ctx.insert("title", &h.handbook.title);
            ctx.insert("permalink", &urls.permalink(&h.path));
            let html = tera.render("handbook.html", &ctx).map_err(|e| {
                let context = Message::RenderFailed { path: path.clone(), template: "handbook.html".into() };
                origins.error(&e).context(crate::messages::MessageError(context))
            })?;
            files.push(OutputFile { path: crate::urls::output_file(&path), bytes: html.into_bytes() });
        }
    }
    Ok(files)
}

/// The pages of the imposed version, in order, for a booklet of `pages` pages (a multiple of 4):
/// each sheet is (front left, front right, back left, back right), 1-based.
pub fn imposition(pages: usize) -> Vec<[usize; 4]> {
    (0..pages / 4).map(|i| [pages - 2 * i, 2 * i + 1, 2 * i + 2, pages - 2 * i - 1]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saddle_stitch_order() {
        assert_eq!(imposition(8), [[8, 1, 2, 7], [6, 3, 4, 5]]);
        // Every page once.
        let mut all: Vec<usize> = imposition(24).concat();
        all.sort();
        assert_eq!(all, (1..=24).collect::<Vec<_>>());
    }
}
