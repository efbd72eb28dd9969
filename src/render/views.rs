//! The small serializable structs templates receive (the template context reference in
//! README.md documents every field). Internal types never reach a template directly.

use serde::Serialize;

use crate::config::Config;
use crate::markdown::TocEntry;
use crate::site::{Site, SiteArticle, SitePage, TermIndex};
use crate::text;

/// Show the table of contents from this many entries on.
const TOC_MIN_ENTRIES: usize = 3;

#[derive(Serialize)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub base_path: String,
    pub language: String,
    pub organisation: Option<String>,
    /// Who issues the site and its leaflets (issue 11); absent without `issuer:` and
    /// `organisation:` in site.yaml.
    pub issuer: Option<IssuerView>,
    pub hotline: HotlineView,
    pub menu: Vec<crate::config::MenuItem>,
    pub feed_url: String,
    pub sections: SectionsView,
    pub scams_url: String,
    pub audiences_url: String,
    /// Absolute URL of the site-wide social card (`{base_url}/social.png`, 1200×630).
    pub og_image: String,
}

/// `site.issuer`: `name`, `logo_url` (absolute path on the site, or null), `contact` (or null).
#[derive(Serialize)]
pub struct IssuerView {
    pub name: String,
    pub logo_url: Option<String>,
    pub contact: Option<String>,
}

#[derive(Serialize)]
pub struct HotlineView {
    pub number: String,
    pub label: String,
    pub tel: String,
}

#[derive(Serialize)]
pub struct SectionsView {
    pub articles: String,
    pub scams: String,
    pub audiences: String,
}

impl SiteView {
    pub fn new(site: &Site) -> Self {
        let c: &Config = &site.config;
        let urls = &site.urls;
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            base_url: c.base_url(),
            base_path: c.base_path.clone(),
            language: c.language.clone(),
            organisation: c.organisation.clone(),
            issuer: c.issuer.as_ref().map(|i| IssuerView {
                name: i.name.clone(),
                logo_url: i.logo.as_ref().map(|logo| urls.url(&format!("/{logo}"))),
                contact: i.contact.clone(),
            }),
            hotline: HotlineView {
                number: c.hotline.number.clone(),
                label: c.hotline.label.clone(),
                tel: c.hotline.tel.clone(),
            },
            menu: c
                .menu
                .iter()
                .map(|m| crate::config::MenuItem {
                    label: m.label.clone(),
                    url: if m.url.starts_with('/') { urls.url(&m.url) } else { m.url.clone() },
                    at: m.at,
                })
                .collect(),
            feed_url: urls.url("/atom.xml"),
            sections: SectionsView {
                articles: c.sections.articles.clone(),
                scams: c.sections.scams.clone(),
                audiences: c.sections.audiences.clone(),
            },
            scams_url: urls.url(&format!("/{}/", c.sections.scams)),
            audiences_url: urls.url(&format!("/{}/", c.sections.audiences)),
            og_image: urls.permalink(&format!("/{}", super::social::CARD_FILE)),
        }
    }
}

/// A vocabulary term as templates see it. Every list entry of an article shows its terms, so
/// clones share one copy (issue 10: 10,000 articles held ~35,000 copies of the term texts), and
/// so do the template values made of them: a term is serialized once per build, not for each
/// list entry (that was 2 % of a cached build).
#[derive(Clone)]
pub struct TermView(std::sync::Arc<(TermFields, tera::Value)>);

#[derive(Serialize)]
pub struct TermFields {
    pub key: String,
    pub name: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub count: usize,
    pub feed_url: Option<String>,
}

impl std::ops::Deref for TermView {
    type Target = TermFields;
    fn deref(&self) -> &TermFields {
        &self.0.0
    }
}

/// Serialised as its fields, like the struct it shares; into a template value, as the one value
/// made of them (shared, not copied).
impl Serialize for TermView {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.1.serialize(serializer)
    }
}

impl TermView {
    pub fn new(site: &Site, index: &TermIndex, with_feed: bool) -> Self {
        let fields = TermFields {
            key: index.term.key.clone(),
            name: index.term.name.clone(),
            description: index.term.description.clone(),
            url: site.urls.url(&index.path),
            permalink: site.urls.permalink(&index.path),
            count: index.articles.len(),
            feed_url: with_feed.then(|| site.urls.url(&format!("{}atom.xml", index.path))),
        };
        let value = tera::Value::from_serializable(&fields);
        TermView(std::sync::Arc::new((fields, value)))
    }
}

/// An article's cover. `url` is always set (the `src`); `picture` has the renditions of a
/// photo or screenshot (`src`, `srcset`, `webp_srcset`, `sizes`, `width`, `height`), absent for
/// SVG, GIF and remote covers.
#[derive(Serialize, Clone)]
pub struct CoverView {
    pub url: String,
    pub alt: String,
    pub picture: Option<crate::images::Picture>,
}

#[derive(Serialize, Clone)]
pub struct ArticleSummary {
    pub title: String,
    pub url: String,
    pub permalink: String,
    pub date: String,
    pub date_vi: String,
    pub date_rfc3339: String,
    pub updated: Option<String>,
    pub updated_vi: Option<String>,
    pub updated_rfc3339: String,
    /// The article's [`crate::site::Summary::listing`], shared.
    pub summary: std::sync::Arc<str>,
    pub severity: &'static str,
    pub severity_label: &'static str,
    pub scams: Vec<TermView>,
    pub audiences: Vec<TermView>,
    pub cover: Option<CoverView>,
    /// Absolute URL of the article's social card (`{permalink}social.png`, 1200×630).
    pub social_image: String,
}

impl ArticleSummary {
    pub fn new(site: &Site, a: &SiteArticle, scams: &[TermView], audiences: &[TermView]) -> Self {
        let meta = &a.article;
        let pick = |keys: &[String], views: &[TermView]| -> Vec<TermView> {
            keys.iter().filter_map(|k| views.iter().find(|v| &v.key == k).cloned()).collect()
        };
        ArticleSummary {
            title: meta.title.clone(),
            url: site.urls.url(&a.path),
            permalink: site.urls.permalink(&a.path),
            date: meta.date.day.to_string(),
            date_vi: text::date_vi(meta.date.day),
            date_rfc3339: meta.date.rfc3339(),
            updated: meta.updated.map(|u| u.day.to_string()),
            updated_vi: meta.updated.map(|u| text::date_vi(u.day)),
            updated_rfc3339: meta.updated.unwrap_or(meta.date).rfc3339(),
            summary: a.summary.listing.clone(),
            severity: meta.severity.as_str(),
            severity_label: meta.severity.label_vi(),
            scams: pick(&meta.scams, scams),
            audiences: pick(&meta.audiences, audiences),
            cover: a.cover.as_ref().map(|c| CoverView {
                url: c.url.clone(),
                alt: meta.cover_alt.clone().unwrap_or_default(),
                picture: c.picture.clone(),
            }),
            social_image: format!("{}{}", site.urls.permalink(&a.path), super::social::CARD_FILE),
        }
    }
}

#[derive(Serialize)]
pub struct ArticleView<'a> {
    #[serde(flatten)]
    pub summary: &'a ArticleSummary,
    pub content: std::borrow::Cow<'a, str>,
    pub toc: &'a [TocEntry],
    pub show_toc: bool,
    pub related: Vec<&'a ArticleSummary>,
    pub reading_minutes: usize,
}

impl<'a> ArticleView<'a> {
    /// The view of article `a` (index `index`), whose body's HTML is `content`
    /// ([`SiteArticle::html`]).
    pub fn new(
        a: &'a SiteArticle,
        summaries: &'a [ArticleSummary],
        index: usize,
        content: std::borrow::Cow<'a, str>,
    ) -> Self {
        ArticleView {
            summary: &summaries[index],
            content,
            toc: &a.body.toc,
            show_toc: a.body.toc.len() >= TOC_MIN_ENTRIES,
            related: a.related.iter().map(|&i| &summaries[i]).collect(),
            reading_minutes: a.body.words.div_ceil(200).max(1),
        }
    }
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    /// Pages are never kept in the cache: their HTML is the model's.
    pub content: &'a str,
    pub toc: &'a [TocEntry],
    pub show_toc: bool,
    pub summary: &'a str,
}

impl<'a> PageView<'a> {
    pub fn new(site: &Site, p: &'a SitePage) -> Self {
        PageView {
            title: &p.page.title,
            url: site.urls.url(&p.path),
            permalink: site.urls.permalink(&p.path),
            content: &p.body.html,
            toc: &p.body.toc,
            show_toc: p.body.toc.len() >= TOC_MIN_ENTRIES,
            summary: &p.summary.listing,
        }
    }
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    /// Pages between the link before this one and this one are left out (show "…").
    pub gap_before: bool,
}

/// How many pages on each side of the current one the page navigation links to, besides the
/// first and the last.
pub const PAGE_LINKS_AROUND: usize = 2;

/// The pages the navigation of page `current` of `total` links to: the first, the last and
/// [`PAGE_LINKS_AROUND`] on each side of the current one, at most 7 whatever the number of
/// pages (issue 10: linking every page from every page grew with the square of the articles:
/// 5,000 links on each of 5,000 home pages at 50,000 articles).
pub fn page_window(current: usize, total: usize) -> Vec<(usize, bool)> {
    let total = total.max(1);
    let current = current.clamp(1, total);
    let near = current.saturating_sub(PAGE_LINKS_AROUND).max(1)..=(current + PAGE_LINKS_AROUND).min(total);
    // 1 <= near <= total: already in order.
    let mut numbers: Vec<usize> = std::iter::once(1).chain(near).chain(std::iter::once(total)).collect();
    numbers.dedup();
    let mut last = 0;
    numbers
        .into_iter()
        .map(|k| {
            let gap = k > last + 1;
            last = k;
            (k, gap)
        })
        .collect()
}

#[derive(Serialize)]
pub struct Paginator<'a> {
    pub current: usize,
    pub total_pages: usize,
    pub items: Vec<&'a ArticleSummary>,
    pub prev_url: Option<String>,
    pub next_url: Option<String>,
    pub first_url: String,
    pub pages: Vec<PageLink>,
}

#[derive(Serialize)]
pub struct FeedEntry<'a> {
    #[serde(flatten)]
    pub summary: &'a ArticleSummary,
    pub content: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
pub struct FeedView<'a> {
    pub title: String,
    pub id: String,
    pub site_url: String,
    pub updated: String,
    pub entries: Vec<FeedEntry<'a>>,
}

#[derive(Serialize)]
pub struct SitemapEntry {
    pub loc: String,
    pub lastmod: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::page_window;

    fn shown(current: usize, total: usize) -> String {
        page_window(current, total)
            .into_iter()
            .map(|(k, gap)| if gap { format!("… {k}") } else { k.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn page_navigation_links_the_ends_and_the_neighbours() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(2, 3), "1 2 3");
        assert_eq!(shown(1, 7), "1 2 3 … 7");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
        assert_eq!(shown(50, 5000), "1 … 48 49 50 51 52 … 5000");
        assert_eq!(shown(5000, 5000), "1 … 4998 4999 5000");
        // Never more than seven links, each page once, in order.
        for total in 1..40 {
            for current in 1..=total {
                let pages = page_window(current, total);
                assert!(pages.len() <= 7 && pages.iter().any(|&(k, _)| k == current));
                assert!(pages.windows(2).all(|w| w[0].0 < w[1].0 && w[1].1 == (w[1].0 > w[0].0 + 1)));
            }
        }
    }
}
