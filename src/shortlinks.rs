//! Printed short links of articles (issue 14). Every article has a short link of its own,
//! `/<sections.short_links>/<code>/`, as a leaflet has: its poster, its screen card, the closing
//! slide of every deck that shows it and its handbook chapter print it and encode it in their QR
//! codes, and `printed-urls.txt` records it ([`crate::registry::printed`]).
//!
//! The code is the article's `code:` when its front matter sets one, else derived from its path
//! (as the SMS short link of [`crate::channels::sms_short_path`] is, with another salt, so the
//! two never meet). Print and SMS keep separate links: the print link redirects with
//! `?src=qr` and the SMS link with `?src=sms`, so `canhbao scans` counts paper and text messages
//! apart.
//!
//! An alias keeps the links the article had at that address: for every alias, the print and
//! SMS short links derived from the alias's path redirect to the article too. Renaming an
//! article and adding its old address to `aliases:` keeps every link already printed or sent.
//!
//! Hooks: [`links`] (the route table claims them, `Job::ArticleShortLink`), [`redirect`] (the
//! renderer), [`article_short_path`] (what presenters' material prints).

use crate::content::Article;
use crate::content::leaflet::derived_code;
use crate::site::{Site, SiteArticle};

/// The campaign tag of an article's print short link: `?src=qr`.
pub const PRINT_TAG: &str = "qr";
/// The campaign tag of an SMS short link (as [`crate::channels`] writes it).
pub const SMS_TAG: &str = "sms";
/// The salt of a derived print code (SMS codes use `sms`, leaflets `slug/variant`).
const PRINT_SALT: &str = "in";

/// One short link of an article: its site path (`/q/<code>/`) and the tag its redirect adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    pub path: String,
    pub tag: &'static str,
}

/// The short link derived from the site path `path` with `salt` (`/canh-bao/x/` -> `/q/<code>/`):
/// the print link here, the SMS link in [`crate::channels::sms_short_path`].
pub fn derived_path(short_links: &str, path: &str, salt: &str) -> String {
    format!("/{short_links}/{}/", derived_code(path.trim_matches('/'), salt))
}

/// The print short link derived from the site path `path`.
pub fn derived_print_path(short_links: &str, path: &str) -> String {
    derived_path(short_links, path, PRINT_SALT)
}

/// The print short link of `article` at the site path `path`: its `code:`, else derived.
pub fn print_path(short_links: &str, article: &Article, path: &str) -> String {
    match &article.code {
        Some(code) => format!("/{short_links}/{code}/"),
        None => derived_print_path(short_links, path),
    }
}

/// Every short link the article answers to besides the SMS link the channels make: its print
/// link (index 0), then for alias `m` the print (`1 + 2m`) and SMS (`2 + 2m`) links derived
/// from the alias's path. The route table claims an alias's links only if the alias is the
/// article's (not taken by another page).
pub fn links(short_links: &str, article: &Article, path: &str) -> Vec<ShortLink> {
    let mut links = vec![ShortLink { path: print_path(short_links, article, path), tag: PRINT_TAG }];
    for alias in &article.aliases {
        links.push(ShortLink { path: derived_print_path(short_links, &alias.url), tag: PRINT_TAG });
        links.push(ShortLink { path: crate::channels::sms_short_path(short_links, &alias.url), tag: SMS_TAG });
    }
    links
}

/// Site path of the short link printed for the article `a`.
pub fn article_short_path(site: &Site, a: &SiteArticle) -> String {
    print_path(&site.config.sections.short_links, &a.article, &a.path)
}

/// The absolute short link printed for the article `a`, as its QR codes encode it.
pub fn article_short_url(site: &Site, a: &SiteArticle) -> String {
    site.urls.permalink(&article_short_path(site, a))
}

/// Where short link `k` of article `i` leads: the article's permalink with the link's tag, and
/// the permalink itself (the canonical URL).
pub fn redirect(site: &Site, i: usize, k: usize) -> (String, String) {
    let a = &site.articles[i];
    let canonical = site.urls.permalink(&a.path);
    let tag = links(&site.config.sections.short_links, &a.article, &a.path).get(k).map_or(PRINT_TAG, |l| l.tag);
    (crate::channels::tagged(&canonical, tag), canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_and_sms_links_differ_and_are_stable_issue_14() {
        let print = derived_print_path("q", "/canh-bao/x/");
        assert_eq!(print, derived_print_path("q", "canh-bao/x"));
        assert!(print.starts_with("/q/") && print.len() == "/q/abcde/".len(), "{print}");
        assert_ne!(print, crate::channels::sms_short_path("q", "/canh-bao/x/"));
        assert_ne!(print, derived_print_path("q", "/canh-bao/y/"));
    }
}
