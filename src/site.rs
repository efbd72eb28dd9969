//! The site model: validated articles and pages with their URLs, rendered Markdown, term
//! indexes and related articles. Everything the renderers need, nothing they must compute.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::config::{Config, Term};
use crate::content::{self, Article, BundleFile, Discovered, Page, Source};
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Links, Rendered};
use crate::urls::{self, Urls};

/// How many related articles an article lists.
const RELATED: usize = 4;

#[derive(Debug)]
pub struct SiteArticle {
    pub article: Article,
    /// Site path, `/canh-bao/<slug>/`.
    pub path: String,
    pub body: Rendered,
    /// Site path of the cover image.
    pub cover_path: Option<String>,
    /// Indexes into `Site::articles`.
    pub related: Vec<usize>,
}

#[derive(Debug)]
pub struct SitePage {
    pub page: Page,
    pub path: String,
    pub body: Rendered,
}

/// A vocabulary term and the articles tagged with it (indexes, newest first).
#[derive(Debug)]
pub struct TermIndex {
    pub term: Term,
    pub path: String,
    pub articles: Vec<usize>,
}

#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    /// Newest first (date, then slug).
    pub articles: Vec<SiteArticle>,
    pub pages: Vec<SitePage>,
    pub scams: Vec<TermIndex>,
    pub audiences: Vec<TermIndex>,
}

impl Site {
    /// Validates everything discovered and builds the model; every problem is returned at once.
    pub fn new(config: Config, discovered: Discovered, mut problems: Vec<Diagnostic>) -> Result<Site, Vec<Diagnostic>> {
        let parsed_articles: Vec<_> = discovered
            .articles
            .into_par_iter()
            .map(|(source, files)| content::article::parse(source, files, &config))
            .collect();
        let parsed_pages: Vec<_> =
            discovered.pages.into_par_iter().map(|(source, files)| content::page::parse(source, files)).collect();
        let mut articles = Vec::new();
        let mut pages = Vec::new();
        let mut drafts = Vec::new();
        for result in parsed_articles {
            match result {
                Ok(a) if a.draft && !config.drafts => drafts.push(a.source.rel.clone()),
                Ok(a) => articles.push(a),
                Err(mut e) => problems.append(&mut e),
            }
        }
        for result in parsed_pages {
            match result {
                Ok(p) if p.draft && !config.drafts => drafts.push(p.source.rel.clone()),
                Ok(p) => pages.push(p),
                Err(mut e) => problems.append(&mut e),
            }
        }
        articles.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.slug.cmp(&b.slug)));
        pages.sort_by(|a, b| a.slug.cmp(&b.slug));

        let article_paths: Vec<String> =
            articles.iter().map(|a| format!("/{}/{}/", config.sections.articles, a.slug)).collect();
        let page_paths: Vec<String> = pages.iter().map(|p| format!("/{}/", p.slug)).collect();
        let scams = term_indexes(&config.scams, &config.sections.scams, &articles, |a| &a.scams);
        let audiences = term_indexes(&config.audiences, &config.sections.audiences, &articles, |a| &a.audiences);

        let mut routes = Routes::default();
        routes.claim_generated(&config, articles.len(), &scams, &audiences);
        for (article, path) in articles.iter().zip(&article_paths) {
            routes.claim(path, &article.source.display, None, &mut problems);
            for alias in &article.aliases {
                routes.claim(&alias.url, &article.source.display, Some(alias.line), &mut problems);
            }
        }
        for (page, path) in pages.iter().zip(&page_paths) {
            routes.claim(path, &page.source.display, None, &mut problems);
            for alias in &page.aliases {
                routes.claim(&alias.url, &page.source.display, Some(alias.line), &mut problems);
            }
        }

        let urls = Urls::new(&config);
        let mut targets: HashMap<String, String> = HashMap::new();
        for (article, path) in articles.iter().zip(&article_paths) {
            targets.insert(article.source.rel.clone(), urls.url(path));
        }
        for (page, path) in pages.iter().zip(&page_paths) {
            targets.insert(page.source.rel.clone(), urls.url(path));
        }

        let article_bodies: Vec<_> =
            articles.par_iter().map(|a| render_body(&a.source, a.body(), a.body_line, &targets, &drafts)).collect();
        let page_bodies: Vec<_> =
            pages.par_iter().map(|p| render_body(&p.source, p.body(), p.body_line, &targets, &drafts)).collect();

        let mut site_articles = Vec::with_capacity(articles.len());
        for ((mut article, path), (body, mut link_problems)) in
            articles.into_iter().zip(article_paths).zip(article_bodies)
        {
            problems.append(&mut link_problems);
            let cover_path = match cover(&mut article, &path) {
                Ok(cover) => cover,
                Err(problem) => {
                    problems.push(problem);
                    None
                }
            };
            site_articles.push(SiteArticle { article, path, body, cover_path, related: Vec::new() });
        }
        let mut site_pages = Vec::with_capacity(pages.len());
        for ((page, path), (body, mut link_problems)) in pages.into_iter().zip(page_paths).zip(page_bodies) {
            problems.append(&mut link_problems);
            site_pages.push(SitePage { page, path, body });
        }
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(problems);
        }
        let related = related_articles(&site_articles, &scams);
        for (article, related) in site_articles.iter_mut().zip(related) {
            article.related = related;
        }
        Ok(Site { config, urls, articles: site_articles, pages: site_pages, scams, audiences })
    }
}

fn render_body(
    source: &Source,
    body: &str,
    body_line: usize,
    targets: &HashMap<String, String>,
    drafts: &[String],
) -> (Rendered, Vec<Diagnostic>) {
    let links = Links { dir: source.rel_dir(), targets };
    let (rendered, link_problems) = markdown::render(body, &links);
    let problems = link_problems
        .into_iter()
        .map(|p| {
            let (line, column) = line_column(body, p.offset);
            let mut d = Diagnostic::new(&source.display, p.message).at(body_line + line - 1, column);
            if drafts.iter().any(|draft| d.message.contains(&format!("content/{draft}`"))) {
                d = d.help("the target is a draft: publish it, or build with --drafts");
            }
            d
        })
        .collect();
    (rendered, problems)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Resolves an article's cover: a site path (`/anh/x.jpg`, from `static/`) is kept; a path
/// relative to the article must exist and is copied beside the article's page.
fn cover(article: &mut Article, article_path: &str) -> Result<Option<String>, Diagnostic> {
    let Some(cover) = article.cover.clone() else { return Ok(None) };
    if cover.starts_with('/') || cover.starts_with("http://") || cover.starts_with("https://") {
        return Ok(Some(cover));
    }
    let dir = article.source.path.parent().unwrap_or(std::path::Path::new("."));
    let file = dir.join(&cover);
    if !file.is_file() || cover.split('/').any(|s| s == "..") {
        return Err(Diagnostic::new(
            &article.source.display,
            format!("cover image `{cover}` not found next to the article"),
        ));
    }
    if !article.source.is_bundle() {
        let name = content::slash_path(std::path::Path::new(file.file_name().unwrap_or_default()));
        article.files.push(BundleFile { path: file, rel: name.clone() });
        return Ok(Some(format!("{article_path}{name}")));
    }
    Ok(Some(format!("{article_path}{cover}")))
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
fn related_articles(articles: &[SiteArticle], scams: &[TermIndex]) -> Vec<Vec<usize>> {
    let by_key: HashMap<&str, &TermIndex> = scams.iter().map(|t| (t.term.key.as_str(), t)).collect();
    articles
        .par_iter()
        .enumerate()
        .map(|(me, article)| {
            let mut shared: BTreeMap<usize, usize> = BTreeMap::new();
            for key in &article.article.scams {
                for &other in by_key.get(key.as_str()).map_or(&[][..], |t| &t.articles[..]) {
                    if other != me {
                        *shared.entry(other).or_default() += 1;
                    }
                }
            }
            let mut candidates: Vec<(usize, usize)> = shared.into_iter().collect();
            // Articles are sorted newest first, so a lower index is newer.
            candidates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.into_iter().take(RELATED).map(|(i, _)| i).collect()
        })
        .collect()
}

/// Which source owns each output file, to report two items that map to one URL.
#[derive(Default)]
struct Routes(BTreeMap<String, String>);

impl Routes {
    fn claim_generated(&mut self, config: &Config, article_count: usize, scams: &[TermIndex], audiences: &[TermIndex]) {
        let per_page = config.paginate_by.max(1);
        let pages = |n: usize| n.div_ceil(per_page).max(1);
        let mut generated = |path: String, owner: String| {
            self.0.insert(urls::output_file(&path), owner);
        };
        for n in 1..=pages(article_count) {
            generated(urls::page_path("/", n), "the home page".into());
        }
        for (segment, what, terms) in
            [(&config.sections.scams, "scam type", scams), (&config.sections.audiences, "audience", audiences)]
        {
            generated(format!("/{segment}/"), format!("the {what} index page"));
            for term in terms {
                for n in 1..=pages(term.articles.len()) {
                    generated(urls::page_path(&term.path, n), format!("the page of {what} `{}`", term.term.key));
                }
                generated(format!("{}atom.xml", term.path), format!("the feed of {what} `{}`", term.term.key));
            }
        }
        for file in ["/404.html", "/atom.xml", "/sitemap.xml", "/robots.txt", crate::render::search::SEARCH_PATH] {
            generated(file.to_string(), format!("the generated `{file}`"));
        }
    }

    fn claim(&mut self, path: &str, source: &str, line: Option<usize>, problems: &mut Vec<Diagnostic>) {
        let owner = match line {
            Some(line) => format!("{source}:{line}"),
            None => source.to_string(),
        };
        let file = urls::output_file(path);
        if let Some(existing) = self.0.get(&file) {
            let mut d = Diagnostic::new(source, format!("URL `{path}` is used by both `{existing}` and `{owner}`"))
                .help("give one of them another `slug` (or remove the alias)");
            if let Some(line) = line {
                d = d.at(line, 1);
            }
            problems.push(d);
        } else {
            self.0.insert(file, owner);
        }
    }
}
