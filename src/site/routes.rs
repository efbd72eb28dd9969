//! The route table of the model: every output file and the source that owns it, so that two
//! claims on one file are one error naming both. [`super::Site::new`] fills it (pages, aliases,
//! generated pages and feeds, QR codes, cards, PDFs, images, bundle and static files) and reads
//! it to check the menu of site.yaml.

use std::collections::BTreeMap;

use super::{SiteArticle, SiteLeaflet, SitePage, TermIndex};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::messages::{Message, Owner, Vocabulary};
use crate::pictures::{self, ImagePlan};
use crate::render::codes;
use crate::urls;

/// The route table: which source owns each output file (relative to the output folder), so
/// that two claims on one file are an error naming both. Pages, generated pages and feeds,
/// aliases, static and theme files, bundle files, images, QR codes, social cards, PDFs and the
/// search index all claim their files here.
#[derive(Default)]
pub(super) struct Routes {
    pub(super) files: BTreeMap<String, Owner>,
    /// Folders whose every file belongs to one generator (the search index).
    folders: Vec<(String, Owner)>,
}

/// How the route table says a URL is taken twice (the one place this diagnostic is made); `page`
/// when the second claim is a page or an alias, not a file.
fn taken_twice(source: &str, url: &str, existing: &Owner, owner: &Owner, page: bool) -> Diagnostic {
    let message = Message::UrlTaken { url: url.to_string(), first: existing.clone(), second: owner.clone() };
    Diagnostic::new(source, message).help(if page { Message::UrlTakenHelp } else { Message::FileTakenHelp })
}

impl Routes {
    pub(super) fn claim_generated(
        &mut self,
        config: &Config,
        article_count: usize,
        scams: &[TermIndex],
        audiences: &[TermIndex],
    ) {
        let per_page = config.paginate_by.max(1);
        let pages = |n: usize| n.div_ceil(per_page).max(1);
        let mut generated = |path: String, owner: Owner| {
            self.files.insert(urls::output_file(&path), owner);
        };
        for n in 1..=pages(article_count) {
            generated(urls::page_path("/", n), Owner::HomePage);
        }
        for (segment, what, terms) in [
            (&config.sections.scams, Vocabulary::Scams, scams),
            (&config.sections.audiences, Vocabulary::Audiences, audiences),
        ] {
            generated(format!("/{segment}/"), Owner::TermIndex(what));
            for term in terms {
                for n in 1..=pages(term.articles.len()) {
                    generated(urls::page_path(&term.path, n), Owner::TermPage(what, term.term.key.clone()));
                }
                generated(format!("{}atom.xml", term.path), Owner::TermFeed(what, term.term.key.clone()));
            }
        }
        for file in ["/404.html", "/atom.xml", "/sitemap.xml", "/robots.txt", crate::render::search::SEARCH_PATH] {
            generated(file.to_string(), Owner::Generated(file.to_string()));
        }
        generated(format!("/{}", crate::output::MARKER_FILE), Owner::OutputMarker);
        generated(format!("/{}", crate::render::social::CARD_FILE), Owner::SiteCard);
        // Everything else under the search page's folder is the search index.
        let search = crate::render::search::SEARCH_PATH.trim_start_matches('/');
        self.folders.push((search.to_string(), Owner::SearchIndex));
    }

    /// Claims the URL `path` (a page or an alias) for `source` (at `line`, for an alias).
    pub(super) fn claim(&mut self, path: &str, source: &str, line: Option<usize>, problems: &mut Vec<Diagnostic>) {
        let owner = Owner::Source(match line {
            Some(line) => format!("{source}:{line}"),
            None => source.to_string(),
        });
        if let Some(existing) = self.taken(&urls::output_file(path)) {
            let mut d = taken_twice(source, path, existing, &owner, true);
            if let Some(line) = line {
                d = d.at(line, 1);
            }
            problems.push(d);
        } else {
            self.files.insert(urls::output_file(path), owner);
        }
    }

    /// Claims the output file `file` for `owner`; `source` is the file a conflict is reported in.
    fn claim_file(&mut self, file: &str, source: &str, owner: Owner, problems: &mut Vec<Diagnostic>) {
        if let Some(existing) = self.taken(file) {
            if *existing != owner {
                problems.push(taken_twice(source, &format!("/{file}"), existing, &owner, false));
            }
        } else {
            self.files.insert(file.to_string(), owner);
        }
    }

    /// The owner of `file`, if it is claimed.
    fn taken(&self, file: &str) -> Option<&Owner> {
        self.files.get(file).or_else(|| {
            self.folders.iter().find(|(folder, _)| file.starts_with(folder.as_str())).map(|(_, owner)| owner)
        })
    }

    /// Claims every output file that is not a page: QR codes, social cards and PDFs beside the
    /// pages, bundle files, images and their re-encodings, static and theme files.
    pub(super) fn claim_files(
        &mut self,
        config: &Config,
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
        let owns = |routes: &Routes, path: &str, source: &str| {
            routes.files.get(&urls::output_file(path)).is_some_and(|o| *o == Owner::Source(source.to_string()))
        };
        let articles: Vec<&SiteArticle> =
            articles.iter().filter(|a| owns(self, &a.path, &a.article.source.display)).collect();
        let pages: Vec<&SitePage> = pages.iter().filter(|p| owns(self, &p.path, &p.page.source.display)).collect();
        let leaflets: Vec<&SiteLeaflet> =
            leaflets.iter().filter(|l| owns(self, &l.path, &l.leaflet.source.display)).collect();
        for a in &articles {
            let (dir, source) = (a.path.trim_start_matches('/'), a.article.source.display.as_str());
            for file in codes::article_codes(a, &config.qr).iter().flat_map(codes::Code::files) {
                self.claim_file(&file, source, Owner::QrCode(source.to_string()), problems);
            }
            let card = format!("{dir}{}", crate::render::social::CARD_FILE);
            self.claim_file(&card, source, Owner::CardOf(source.to_string()), problems);
        }
        for l in &leaflets {
            let source = l.leaflet.source.display.as_str();
            for file in codes::leaflet_codes(l, config).iter().flat_map(codes::Code::files) {
                self.claim_file(&file, source, Owner::QrCode(source.to_string()), problems);
            }
            for print in l.prints(&config.sections.short_links) {
                let dir = print.path.trim_start_matches('/');
                let pdf = format!("{dir}{}", crate::render::leaflets::pdf_name(l, &print));
                self.claim_file(&pdf, source, Owner::PdfOf(source.to_string()), problems);
            }
        }
        for c in crate::present::claims(&articles, &leaflets, presenter) {
            if c.page {
                self.claim(&c.path, &c.source, None, problems);
            } else {
                self.claim_file(&c.path, &c.source, Owner::Source(c.source.clone()), problems);
            }
        }
        for (file, rendition) in &plan.renditions {
            let original = pictures::shown(&rendition.source, config);
            self.claim_file(file, &original, Owner::ResizedCopy(original.clone()), problems);
        }
        for (file, from) in &plan.copies {
            let original = pictures::shown(from, config);
            self.claim_file(file, &original, Owner::Source(original.clone()), problems);
        }
        let bundles = articles
            .iter()
            .map(|a| (&a.path, &a.article.files))
            .chain(pages.iter().map(|p| (&p.path, &p.page.files)))
            .chain(leaflets.iter().map(|l| (&l.path, &l.leaflet.files)));
        for (path, files) in bundles {
            for f in files.iter().filter(|f| !plan.withholds(&f.path)) {
                let shown = pictures::shown(&f.path, config);
                let file = format!("{}{}", path.trim_start_matches('/'), f.rel);
                self.claim_file(&file, &shown, Owner::Source(shown.clone()), problems);
            }
        }
        for f in static_files.iter().filter(|f| !plan.withholds(&f.from)) {
            let shown = pictures::shown(&f.from, config);
            self.claim_file(&f.to, &shown, Owner::Source(shown.clone()), problems);
        }
    }
}
