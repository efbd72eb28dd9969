//! Printed short links of articles (issue 14). Every article has a short link of its own,
//! `/<sections.short_links>/<code>/`, as a leaflet has: its poster, its screen card, the closing
//! slide of every deck that shows it and its handbook chapter print it and encode it in their QR
//! codes, and `printed-urls.txt` records it ([`crate::registry::printed`]).
//!
//! The code is the article's `code:` when its front matter sets one, else derived from its path
//! (as its SMS short link is, with another salt). Print and SMS keep separate links: the print link redirects with
//! `?src=qr` and the SMS link with `?src=sms`, so `canhbao scans` counts paper and text messages
//! apart.
//!
//! An alias keeps the links the article had at that address: for every alias, the print and
//! SMS short links derived from the alias's path redirect to the article too. Renaming an
//! article and adding its old address to `aliases:` keeps every link already printed or sent.
//!
//! A derived code is five characters (33 million codes), so a site of thousands of items has a
//! few pairs of paths whose codes are the same. [`ShortCodes::assign`] gives every derived link
//! its code once per build, in a fixed order: the codes set in front matter and the leaflets'
//! codes first, then the leaflets' SMS links, then the articles from the oldest; a derived code
//! already taken moves to the next derivation of the same path (`salt~1`, `salt~2`, ...). A new
//! article never takes the code of an older one, and a code that was printed and would change
//! (an article dated back before an older one with the same code) fails the build through the
//! printed-URL registry ([`crate::registry`]), naming it.
//!
//! Hooks: [`ShortCodes::links`] (the route table claims them, `Job::ArticleShortLink`),
//! [`redirect`] (the renderer), [`article_short_path`] (what presenters' material prints).

use std::collections::{BTreeMap, HashSet};

use crate::content::Article;
use crate::content::leaflet::derived_code;
use crate::site::{Site, SiteArticle};

/// The campaign tag of an article's print short link: `?src=qr`.
pub const PRINT_TAG: &str = "qr";
/// The campaign tag of an SMS short link (as [`crate::channels`] writes it).
pub const SMS_TAG: &str = "sms";
/// The salt of a derived print code (leaflets use `slug/variant`).
const PRINT_SALT: &str = "in";
/// The salt of a derived SMS code.
const SMS_SALT: &str = "sms";

/// One short link of an article: its site path (`/q/<code>/`) and the tag its redirect adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortLink {
    pub path: String,
    pub tag: &'static str,
}

/// The derived short-link codes of a build, each given once ([`ShortCodes::assign`]).
#[derive(Debug, Clone, Default)]
pub struct ShortCodes {
    /// The short links' section, `q`.
    section: String,
    /// By the item's site path without its slashes and the salt (ordered: the model's Debug form
    /// is compared with a fresh load's by the preview's tests).
    derived: BTreeMap<(String, &'static str), String>,
}

/// What an item asks of [`ShortCodes::assign`]: its fixed codes (front matter, a leaflet's
/// prints), and the site paths whose print and SMS links are derived.
#[derive(Debug, Default)]
pub struct Wanted<'a> {
    pub fixed: Vec<&'a str>,
    pub print: Vec<&'a str>,
    pub sms: Vec<&'a str>,
}

impl ShortCodes {
    /// Gives the derived links of `items` their codes, the first item's first (see the module's
    /// comment for the order): a code taken by a fixed code or an earlier link moves on to the
    /// next derivation of the same path. The same path and salt asked twice keep one code.
    pub fn assign<'a>(section: &str, items: &[Wanted<'a>]) -> ShortCodes {
        let mut taken: HashSet<String> = items.iter().flat_map(|w| w.fixed.iter().map(|c| c.to_string())).collect();
        let mut derived = BTreeMap::new();
        for wanted in items {
            let asked = wanted.print.iter().map(|p| (*p, PRINT_SALT)).chain(wanted.sms.iter().map(|p| (*p, SMS_SALT)));
            for (path, salt) in asked {
                let key = (path.trim_matches('/').to_string(), salt);
                if derived.contains_key(&key) {
                    continue;
                }
                let code = (0..)
                    .map(|n| match n {
                        0 => derived_code(&key.0, salt),
                        n => derived_code(&key.0, &format!("{salt}~{n}")),
                    })
                    .find(|code| !taken.contains(code))
                    .unwrap_or_default();
                taken.insert(code.clone());
                derived.insert(key, code);
            }
        }
        ShortCodes { section: section.to_string(), derived }
    }

    /// What a build asks: fixed codes, the leaflets' SMS links, then the articles from the
    /// oldest (date, then source path), each with its print link, its SMS link and those its
    /// aliases had. `articles` and `leaflets` are given with their site paths.
    pub fn for_site(
        section: &str,
        articles: &[(&'_ Article, &'_ str)],
        leaflets: &[(&'_ crate::content::Leaflet, &'_ str)],
    ) -> ShortCodes {
        let mut items = Vec::with_capacity(articles.len() + leaflets.len());
        for (l, path) in leaflets {
            let fixed = std::iter::once(l.code.as_str()).chain(l.variants.iter().map(|v| v.code.as_str())).collect();
            items.push(Wanted { fixed, print: Vec::new(), sms: vec![path] });
        }
        let mut by_age: Vec<&(&Article, &str)> = articles.iter().collect();
        by_age.sort_by(|(a, _), (b, _)| a.date.cmp(&b.date).then_with(|| a.source.rel.cmp(&b.source.rel)));
        for (a, path) in by_age {
            let mut wanted = Wanted { fixed: a.code.as_deref().into_iter().collect(), ..Wanted::default() };
            if a.code.is_none() {
                wanted.print.push(path);
            }
            wanted.sms.push(path);
            for alias in &a.aliases {
                wanted.print.push(&alias.url);
                wanted.sms.push(&alias.url);
            }
            items.push(wanted);
        }
        ShortCodes::assign(section, &items)
    }

    /// The short links' section, `q`.
    pub fn section(&self) -> &str {
        &self.section
    }

    fn path(&self, path: &str, salt: &'static str) -> String {
        let key = (path.trim_matches('/').to_string(), salt);
        let code = match self.derived.get(&key) {
            Some(code) => code.clone(),
            // Not asked for (a draft left out): the first derivation.
            None => derived_code(&key.0, salt),
        };
        format!("/{}/{code}/", self.section)
    }

    /// The SMS short link of the item at the site path `path` (`/canh-bao/x/` -> `/q/<code>/`).
    pub fn sms_path(&self, path: &str) -> String {
        self.path(path, SMS_SALT)
    }

    /// The print short link of `article` at the site path `path`: its `code:`, else derived.
    pub fn print_path(&self, article: &Article, path: &str) -> String {
        match &article.code {
            Some(code) => format!("/{}/{code}/", self.section),
            None => self.path(path, PRINT_SALT),
        }
    }

    /// Every short link the article answers to besides its SMS link: its print link (index 0),
    /// then for alias `m` the print (`1 + 2m`) and SMS (`2 + 2m`) links it had at the alias's
    /// address. The route table claims an alias's links only if the alias is the article's (not
    /// taken by another page).
    pub fn links(&self, article: &Article, path: &str) -> Vec<ShortLink> {
        let mut links = vec![ShortLink { path: self.print_path(article, path), tag: PRINT_TAG }];
        for alias in &article.aliases {
            links.push(ShortLink { path: self.path(&alias.url, PRINT_SALT), tag: PRINT_TAG });
            links.push(ShortLink { path: self.sms_path(&alias.url), tag: SMS_TAG });
        }
        links
    }
}

/// Site path of the short link printed for the article `a`.
pub fn article_short_path(site: &Site, a: &SiteArticle) -> String {
    site.short_codes.print_path(&a.article, &a.path)
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
    let tag = site.short_codes.links(&a.article, &a.path).get(k).map_or(PRINT_TAG, |l| l.tag);
    (crate::channels::tagged(&canonical, tag), canonical)
}

/// The print short link derived from the site path `path` when no other link took its code
/// (the first derivation: what [`ShortCodes::print_path`] gives unless two paths meet).
pub fn derived_print_path(section: &str, path: &str) -> String {
    ShortCodes { section: section.to_string(), ..ShortCodes::default() }.path(path, PRINT_SALT)
}

/// The SMS short link derived from the site path `path` when no other link took its code (what
/// [`ShortCodes::sms_path`] gives unless two paths meet).
pub fn derived_sms_path(section: &str, path: &str) -> String {
    ShortCodes { section: section.to_string(), ..ShortCodes::default() }.sms_path(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two paths whose first derived codes (with `salt`) are the same, found by trying paths.
    fn meeting_paths(salt: &str) -> (String, String) {
        let mut seen = std::collections::HashMap::new();
        for i in 0.. {
            let path = format!("canh-bao/bai-{i}");
            if let Some(other) = seen.insert(derived_code(&path, salt), path.clone()) {
                return (other, path);
            }
        }
        unreachable!()
    }

    #[test]
    fn print_and_sms_links_differ_and_are_stable_issue_14() {
        let codes = ShortCodes::assign(
            "q",
            &[Wanted { print: vec!["/canh-bao/x/"], sms: vec!["/canh-bao/x/"], ..Default::default() }],
        );
        let print = codes.path("/canh-bao/x/", PRINT_SALT);
        assert_eq!(print, derived_print_path("q", "canh-bao/x"));
        assert!(print.starts_with("/q/") && print.len() == "/q/abcde/".len(), "{print}");
        assert_ne!(print, codes.sms_path("/canh-bao/x/"));
        assert_ne!(print, derived_print_path("q", "/canh-bao/y/"));
    }

    /// Found building 10,000 generated articles: two paths derive the same five characters. The
    /// first asked keeps the code, the next moves on; asking again, or asking more after them,
    /// changes neither.
    #[test]
    fn paths_whose_codes_meet_get_different_codes_issue_14() {
        for salt in [PRINT_SALT, SMS_SALT] {
            let (a, b) = meeting_paths(salt);
            fn ask<'a>(p: &'a str, salt: &str) -> Wanted<'a> {
                match salt {
                    PRINT_SALT => Wanted { print: vec![p], ..Default::default() },
                    _ => Wanted { sms: vec![p], ..Default::default() },
                }
            }
            let path = |codes: &ShortCodes, p: &str| codes.path(p, salt);
            let codes = ShortCodes::assign("q", &[ask(&a, salt), ask(&b, salt), ask(&a, salt)]);
            assert_eq!(path(&codes, &a), format!("/q/{}/", derived_code(&a, salt)), "the first keeps its code");
            assert_ne!(path(&codes, &a), path(&codes, &b));
            assert_eq!(path(&codes, &b), format!("/q/{}/", derived_code(&b, &format!("{salt}~1"))));
            // A third path after them does not move them.
            let more = ShortCodes::assign("q", &[ask(&a, salt), ask(&b, salt), ask("canh-bao/moi", salt)]);
            assert_eq!((path(&more, &a), path(&more, &b)), (path(&codes, &a), path(&codes, &b)));
        }
    }

    /// A code set in front matter (or a leaflet's) is never given to a derived link.
    #[test]
    fn a_fixed_code_is_not_derived_again_issue_14() {
        let path = "canh-bao/x";
        let fixed = derived_code(path, PRINT_SALT);
        let wanted =
            [Wanted { fixed: vec![&fixed], ..Default::default() }, Wanted { print: vec![path], ..Default::default() }];
        let codes = ShortCodes::assign("q", &wanted);
        assert_ne!(codes.path(path, PRINT_SALT), format!("/q/{fixed}/"));
    }
}
