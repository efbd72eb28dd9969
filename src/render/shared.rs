//! The parts every HTML page shares (issue 10): the header (hotline bar, menu, search box) and
//! the footer, rendered once per build instead of once per page, and given to `base.html` as
//! `shared.header` and `shared.footer` (safe HTML). The `site` value of the templates is made
//! once too.
//!
//! The header marks the current menu item (`aria-current`) and leaves out its search box on the
//! search page, so it depends on the page's URL, but only through comparisons with a few URLs:
//! the menu's, the term indexes' and the search page's. It is rendered once for each of those
//! URLs and once for every other page. A site's own `partials/site_header.html` that shows
//! `page_url` (not only compares it) is seen at load time ([`PAGE_URL_PROBE`] appears in its
//! output) and is then rendered for each page, as before. A theme without these partials gets
//! empty parts (its `base.html` does not use them).

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera, Value};

use super::search::SEARCH_PATH;
use super::templates::Origins;
use super::views::SiteView;

pub const HEADER: &str = "partials/site_header.html";
pub const FOOTER: &str = "partials/site_footer.html";

/// The `page_url` the header is first rendered with: a URL no page has. Found in the output,
/// it shows a header that prints the page's URL.
const PAGE_URL_PROBE: &str = "/cb-page-url-probe/";

/// The shared parts of one build, as Tera values made once (cloning one is cheap: its maps are
/// shared, not copied).
pub struct SharedParts {
    /// `site`.
    site: Value,
    footer: String,
    /// `shared` {header, footer} of the pages whose URL the header compares with, by URL.
    compared: HashMap<String, Value>,
    /// `shared` of every other page; None when the header is rendered for each page.
    other: Option<Value>,
}

/// `shared` in the context of a page.
#[derive(Serialize)]
struct Shared<'a> {
    header: &'a str,
    footer: &'a str,
}

impl SharedParts {
    /// Renders the shared parts with `site` (and `asset()`, registered on `tera`).
    pub fn new(tera: &Tera, origins: &Origins, site_view: &SiteView) -> Result<SharedParts> {
        let site = Value::from_serializable(site_view);
        let footer = render(tera, origins, FOOTER, &site, "")?;
        let shared = |header: &str| Value::from_serializable(&Shared { header, footer: &footer });
        let other = render(tera, origins, HEADER, &site, PAGE_URL_PROBE)?;
        let (compared, other) = if other.contains(PAGE_URL_PROBE) {
            (HashMap::new(), None)
        } else {
            let search = format!("{}{SEARCH_PATH}", site_view.base_path);
            let compared = site_view.menu.iter().map(|item| item.url.clone()).chain([
                site_view.scams_url.clone(),
                site_view.audiences_url.clone(),
                search,
            ]);
            let mut headers = HashMap::new();
            for url in compared {
                if let std::collections::hash_map::Entry::Vacant(slot) = headers.entry(url) {
                    let html = render(tera, origins, HEADER, &site, slot.key())?;
                    slot.insert(shared(&html));
                }
            }
            (headers, Some(shared(&other)))
        };
        Ok(SharedParts { site, footer, compared, other })
    }

    /// `site` as the templates take it, made once per build (issue 10: serializing the site view
    /// again for every poster and deck was 2 % of a cached build).
    pub fn site(&self) -> &Value {
        &self.site
    }

    /// Puts `site` and `shared` {header, footer} into the context of the page at `page_url`.
    pub fn insert(&self, tera: &Tera, origins: &Origins, ctx: &mut Context, page_url: &str) -> Result<()> {
        let shared = match (self.compared.get(page_url), &self.other) {
            (Some(shared), _) | (None, Some(shared)) => shared.clone(),
            (None, None) => {
                let header = render(tera, origins, HEADER, &self.site, page_url)?;
                Value::from_serializable(&Shared { header: &header, footer: &self.footer })
            }
        };
        ctx.insert_value("site", self.site.clone());
        ctx.insert_value("shared", shared);
        Ok(())
    }
}

/// Renders a shared part for the page at `page_url`; empty when the theme has no such template
/// (a theme whose `base.html` does not use `shared`).
fn render(tera: &Tera, origins: &Origins, template: &str, site: &Value, page_url: &str) -> Result<String> {
    if !tera.get_template_names().any(|name| name == template) {
        return Ok(String::new());
    }
    let mut ctx = Context::new();
    ctx.insert_value("site", site.clone());
    ctx.insert("page_url", page_url);
    tera.render(template, &ctx).map_err(|e| {
        let context = crate::Message::RenderFailed { path: page_url.to_string(), template: template.to_string() };
        origins.error(&e).context(crate::messages::MessageError(context))
    })
}
