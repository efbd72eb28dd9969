//! Posters and screen cards (issue 14): for every article and leaflet, an A3 poster for notice
//! boards (title, three key signs, a QR code of [`POSTER_QR_MM`], the link, the hotline) and a
//! 1920×1080 PNG to project at meetings, whose QR code scans from the back of the room.
//!
//! The poster is an HTML page printed by Chromium (`build --pdf`), checked for fit like the
//! leaflets; the screen card is the theme's SVG template `screen_card.svg` drawn with resvg and
//! the theme's fonts, as the social cards are; its QR code is filled straight into the picture
//! in the template's square of id `qr` ([`crate::render::cards::CODE_ID`]), sharp and without
//! the layer a nested `<svg>` costs resvg.

use anyhow::{Context as _, Result};
use serde::Serialize;
use tera::{Context, Tera};

use super::outline::Outline;
use crate::cache::Cache;
use crate::output::Sink;
use crate::qr::Qr;
use crate::render::cards::{Fonts, Way};
use crate::render::palette::Compression;
use crate::render::templates::Origins;
use crate::site::{ItemRef, Site};

/// The folder of an item's poster and screen card, beside its page.
pub const POSTER_DIR: &str = "ap-phich";
/// The screen card's file name.
pub const SCREEN_CARD: &str = "man-hinh.png";
/// The screen card's template.
pub const SCREEN_TEMPLATE: &str = "screen_card.svg";
/// Printed width of a poster's QR code (the issue asks for at least 60 mm).
pub const POSTER_QR_MM: f64 = 80.0;
/// Size of a screen card.
pub const SCREEN_WIDTH: u32 = 1920;
pub const SCREEN_HEIGHT: u32 = 1080;
/// Side of the screen card's QR code, quiet zone included, in px, where `card.qr_svg` places it
/// (the default template draws it in its `id="qr"` square instead, of the same place and size).
const SCREEN_QR_PX: u32 = 820;
/// How many signs a poster lists.
const SIGNS: usize = 3;
/// Longest sign, in characters (longer ones are cut at a word, with "…").
const SIGN_CHARS: usize = 110;
/// The title band of the screen card: width, height, and the sizes tried from the largest.
const TITLE_WIDTH: f32 = 940.0;
const TITLE_HEIGHT: f32 = 520.0;
const TITLE_SIZES: [f32; 4] = [84.0, 72.0, 62.0, 54.0];
const LINE_HEIGHT: f32 = 1.2;

/// An article or leaflet, as its poster and screen card show it.
pub struct Item<'a> {
    /// Site path of the item's page (`/canh-bao/x/`).
    pub page: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub source: &'a str,
    /// The URL the QR code holds and the poster and screen card write: the item's printed short
    /// link, on the published address (site.yaml's `base_url`, even when a
    /// build or `serve` overrides it: what is printed or projected leads to the real site, and
    /// the cached screen cards are not drawn again for a preview host).
    pub qr_url: String,
    hotline: (String, String, String),
}

impl Item<'_> {
    /// Site path of the poster's folder.
    pub fn dir(&self) -> String {
        format!("{}{POSTER_DIR}/", self.page)
    }

    /// File name of the poster's PDF.
    pub fn pdf(&self) -> String {
        format!("{}-a3.pdf", self.slug)
    }
}

/// Every article and leaflet of the site.
pub fn items(site: &Site) -> Vec<Item<'_>> {
    crate::channels::item_refs(site).map(|r| item(site, r)).collect()
}

/// An article or a leaflet as its poster shows it.
pub fn item(site: &Site, r: ItemRef) -> Item<'_> {
    let c = &site.config;
    let site_hotline = || (c.hotline.number.clone(), c.hotline.label.clone(), c.hotline.tel.clone());
    let published = |path: &str| format!("{}{path}", c.published_base_url);
    match r {
        ItemRef::Article(i) => {
            let a = &site.articles[i];
            Item {
                page: &a.path,
                slug: &a.article.slug,
                title: &a.article.title,
                source: &a.article.source.display,
                qr_url: published(&crate::shortlinks::article_short_path(site, a)),
                hotline: site_hotline(),
            }
        }
        ItemRef::Leaflet(i) => {
            let l = &site.leaflets[i];
            let short = format!("/{}/{}/", c.sections.short_links, l.leaflet.code);
            let hotline = match &l.leaflet.hotline {
                Some((number, label)) => (number.clone(), label.clone(), crate::render::leaflets::tel(number)),
                None => site_hotline(),
            };
            Item {
                page: &l.path,
                slug: &l.leaflet.slug,
                title: &l.leaflet.title,
                source: &l.leaflet.source.display,
                qr_url: published(&short),
                hotline,
            }
        }
    }
}

/// The three key signs of a body: the items of its "Dấu hiệu" section (or, when that section
/// is a table, what the scammer says), else its first list items.
pub fn signs(outline: &Outline) -> Vec<String> {
    let signs_section = outline.sections.iter().find(|s| crate::text::fold(&s.title).contains("dau hieu"));
    let mut signs: Vec<String> = match signs_section {
        Some(s) if !s.bullets.is_empty() => s.bullets.iter().map(|b| b.inline.text.clone()).collect(),
        Some(s) if !s.tables.is_empty() => {
            s.tables[0].rows.iter().filter_map(|r| r.first()).map(|c| c.text.clone()).collect()
        }
        _ => Vec::new(),
    };
    if signs.len() < SIGNS {
        let more = outline.all_bullets().filter(|b| b.level == 0).map(|b| b.inline.text.clone());
        for sign in more {
            if signs.len() >= SIGNS {
                break;
            }
            if !signs.contains(&sign) {
                signs.push(sign);
            }
        }
    }
    signs.truncate(SIGNS);
    signs.iter().map(|s| crate::sanitize::shorten_to(s, SIGN_CHARS)).collect()
}

/// The link as written on paper and screens: without `https://` and the last `/`.
pub fn written_link(url: &str) -> String {
    url.split_once("://").map_or(url, |(_, rest)| rest).trim_end_matches('/').to_string()
}

/// What `poster.html` receives as `poster`.
#[derive(Serialize)]
struct PosterView<'a> {
    title: &'a str,
    signs: Vec<String>,
    qr_svg: String,
    qr_mm: f64,
    link: String,
    hotline_number: &'a str,
    hotline_label: &'a str,
    hotline_tel: &'a str,
    /// The page of the item.
    item_url: String,
    screen_card_url: String,
    pdf_url: Option<String>,
}

/// What `screen_card.svg` receives as `card`.
#[derive(Serialize)]
struct ScreenView {
    title_lines: Vec<String>,
    title_size: u32,
    title_line_height: u32,
    link: String,
    link_size: u32,
    hotline_number: String,
    hotline_label: String,
    issuer: String,
    qr_svg: String,
}

/// What posters and screen cards are made with, once per build.
pub struct Posters<'a> {
    pub site: &'a Site,
    pub tera: &'a Tera,
    pub origins: &'a Origins,
    /// `site` of the templates ([`crate::render::shared::SharedParts::site`]).
    pub site_value: tera::Value,
    /// PDFs are printed (and linked).
    pub pdf: bool,
    pub fonts: &'a Fonts,
    /// The organisation named on screen cards.
    pub issuer: String,
}

impl<'a> Posters<'a> {
    pub fn new(
        site: &'a Site,
        tera: &'a Tera,
        origins: &'a Origins,
        site_value: tera::Value,
        pdf: bool,
        fonts: &'a Fonts,
    ) -> Result<Posters<'a>> {
        let issuer = site.config.organisation.clone().unwrap_or_else(|| site.config.title.clone());
        Ok(Posters { site, tera, origins, site_value, pdf, fonts, issuer })
    }

    /// Writes the poster page and screen card of `item`, whose body's outline is `o`, to `sink`
    /// (the screen card from the cache of generated files, hard-linked where possible).
    pub fn write(&self, item: &Item, o: &Outline, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        let (site, tera, origins, fonts) = (self.site, self.tera, self.origins, self.fonts);
        let urls = &site.urls;
        let dir = item.dir();
        // The same SVG as every other drawing of this code, encoded once (cached).
        let qr_svg = crate::render::codes::svg(&item.qr_url, site.config.qr.print, None, cache)?;
        let (number, label, tel) = &item.hotline;
        let view = PosterView {
            title: item.title,
            signs: signs(o),
            qr_svg: qr_svg.clone(),
            qr_mm: POSTER_QR_MM,
            link: written_link(&item.qr_url),
            hotline_number: number,
            hotline_label: label,
            hotline_tel: tel,
            item_url: urls.url(item.page),
            screen_card_url: urls.url(&format!("{dir}{SCREEN_CARD}")),
            pdf_url: self.pdf.then(|| urls.url(&format!("{dir}{}", item.pdf()))),
        };
        let mut ctx = Context::new();
        ctx.insert_value("site", self.site_value.clone());
        ctx.insert("poster", &view);
        ctx.insert("title", item.title);
        ctx.insert("permalink", &urls.permalink(&dir));
        let html = tera.render("poster.html", &ctx).map_err(|e| {
            let context = crate::Message::RenderFailed { path: dir.clone(), template: "poster.html".into() };
            origins.error(&e).context(crate::messages::MessageError(context))
        })?;
        sink.write(&crate::urls::output_file(&dir), html.as_bytes())?;
        if tera.contains_template(SCREEN_TEMPLATE) {
            let card = screen_view(fonts, item, &qr_svg, &self.issuer);
            let mut ctx = Context::new();
            ctx.insert("card", &card);
            let svg = tera.render(SCREEN_TEMPLATE, &ctx).map_err(|e| origins.error(&e))?;
            // v2: the code is filled into the template's `id="qr"` square (issue 10), so the
            // key names what it encodes; the picture is compressed quickly (it is projected,
            // not sent to phones: `palette::Compression`).
            let ec = site.config.qr.print;
            let compression = Compression::Quick;
            let key = Cache::key(&[
                b"screen-v2",
                svg.as_bytes(),
                fonts.hash.as_bytes(),
                item.qr_url.as_bytes(),
                ec.as_str().as_bytes(),
                compression.name().as_bytes(),
            ]);
            let draw = || {
                let code = Qr::new(&item.qr_url, ec)?;
                fonts.draw_with(&svg, SCREEN_WIDTH, SCREEN_HEIGHT, Some(&code), compression, Way::Composed)
            };
            let png = cache
                .get_or_make_file("screen-card", &key, draw)
                .with_context(|| format!("cannot draw the screen card of `{}`", item.source))?;
            sink.made(&format!("{}{SCREEN_CARD}", dir.trim_start_matches('/')), &png)?;
        }
        Ok(())
    }
}

/// The values of an item's screen card: its title wrapped at the largest size that fits.
fn screen_view(fonts: &Fonts, item: &Item, svg: &str, issuer: &str) -> ScreenView {
    let max_lines = |size: f32| (TITLE_HEIGHT / (size * LINE_HEIGHT)).floor() as usize;
    let mut chosen = None;
    for size in TITLE_SIZES {
        let lines = fonts.wrap(item.title, size, TITLE_WIDTH);
        if lines.len() <= max_lines(size) {
            chosen = Some((lines, size));
            break;
        }
    }
    let (lines, size) = chosen.unwrap_or_else(|| {
        let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let mut lines = fonts.wrap(item.title, size, TITLE_WIDTH);
        let rest = lines.split_off(max_lines(size) - 1).join(" ");
        lines.push(fonts.fit(&rest, size, TITLE_WIDTH));
        (lines, size)
    });
    let link = written_link(&item.qr_url);
    // The link on one line, as large as fits (at least 30 px). A link is one word: it is on one
    // line when it is no wider than the line (measured once a size, not wrapped).
    let one_line = |s: f32| match link.contains(char::is_whitespace) {
        false => fonts.width(&link, s) <= TITLE_WIDTH,
        true => fonts.wrap(&link, s, TITLE_WIDTH).len() == 1,
    };
    let link_size = [48.0, 42.0, 36.0, 30.0f32].into_iter().find(|&s| one_line(s)).unwrap_or(30.0);
    // For a site's own template that still nests the code's SVG (drawn through a layer, slower
    // than the default template's `id="qr"` square).
    let qr_svg = svg.replacen(
        "<svg ",
        &format!("<svg x=\"{}\" y=\"{}\" width=\"{SCREEN_QR_PX}\" height=\"{SCREEN_QR_PX}\" ", 1040, 130),
        1,
    );
    ScreenView {
        title_lines: lines,
        title_size: size as u32,
        title_line_height: (size * LINE_HEIGHT).round() as u32,
        link,
        link_size: link_size as u32,
        hotline_number: item.hotline.0.clone(),
        hotline_label: fonts.fit(&item.hotline.1, 40.0, 700.0),
        issuer: fonts.fit(issuer, 30.0, TITLE_WIDTH),
        qr_svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::outline::outline;

    #[test]
    fn signs_come_from_the_signs_section_or_the_first_items() {
        let o = outline("## Thủ đoạn\n\n- A\n- B\n\n## Dấu hiệu nhận biết\n\n- Gọi từ số lạ\n- Đòi mã OTP\n");
        assert_eq!(signs(&o), ["Gọi từ số lạ", "Đòi mã OTP", "A"]);
        let o = outline("## Dấu hiệu\n\n| Lời kẻ gian nói | Sự thật |\n|---|---|\n| “Chuyển tiền ngay” | Không |\n");
        assert_eq!(signs(&o), ["“Chuyển tiền ngay”"]);
        let long = "rất dài ".repeat(40);
        let o = outline(&format!("## X\n\n- {long}\n"));
        assert!(signs(&o)[0].chars().count() <= SIGN_CHARS + 1 && signs(&o)[0].ends_with('…'));
    }

    #[test]
    fn links_are_written_without_scheme() {
        assert_eq!(written_link("https://canhbao.vn/q/ab3/"), "canhbao.vn/q/ab3");
    }
}
