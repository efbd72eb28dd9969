//! QR code files: `qr.svg` and `qr.png` beside every article and leaflet page (its canonical
//! URL, for sharing), and `qr-in.svg` / `qr-in.png` beside every leaflet print page (the short
//! link printed on paper, for printers). Both are cached by content hash: encoding a code (which
//! tries all eight masks) costs milliseconds, and a site has one per article.

use anyhow::Result;

use crate::cache::Cache;
use crate::config::{Config, QrConfig};
use crate::output::Sink;
use crate::qr::{Ec, Qr};
use crate::site::{Site, SiteArticle, SiteLeaflet};

/// Pixels a module in downloadable PNGs (a version-4 code with its quiet zone: 410 px).
const PNG_MODULE_PX: u32 = 10;

/// The name (without extension) of the code beside a page that leads to the page itself.
const WEB: &str = "qr";
/// The name (without extension) of the code beside a print page that leads to its short link.
const PRINT: &str = "qr-in";
/// Every code is written in these formats, as `<name>.<extension>`.
const EXTENSIONS: [&str; 2] = ["svg", "png"];

/// A QR code of the site, written as `<stem>.svg` and `<stem>.png`. The route table claims
/// [`Code::files`]; [`write_code`] writes exactly these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    /// Output path without extension, relative to the output folder: `canh-bao/x/qr`.
    pub stem: String,
    /// The site path the code leads to (`/canh-bao/x/`, `/q/ab12/`): its permalink is encoded.
    pub target: String,
    pub ec: Ec,
}

impl Code {
    /// The files written for this code, relative to the output folder.
    pub fn files(&self) -> [String; 2] {
        EXTENSIONS.map(|ext| format!("{}.{ext}", self.stem))
    }
}

/// The code beside an article's page: its permalink, for sharing.
pub fn article_codes(a: &SiteArticle, qr: &QrConfig) -> Vec<Code> {
    vec![code(&a.path, WEB, &a.path, qr.web)]
}

/// The codes beside each print page of a leaflet: the short link printed on paper (`qr-in`, for
/// printers), and beside the variant-less print only, the leaflet's permalink (`qr`).
pub fn leaflet_codes(l: &SiteLeaflet, config: &Config) -> Vec<Code> {
    let mut codes = Vec::new();
    for print in l.prints(&config.sections.short_links) {
        if print.variant.is_none() {
            codes.push(code(&print.path, WEB, &print.path, config.qr.web));
        }
        codes.push(code(&print.path, PRINT, &print.short_path, config.qr.print));
    }
    codes
}

/// The code named `name` beside the page at `page` (a site path ending in `/`).
fn code(page: &str, name: &str, target: &str, ec: Ec) -> Code {
    Code { stem: format!("{}{name}", page.trim_start_matches('/')), target: target.to_string(), ec }
}

/// How many QR codes the site has (each is written as SVG and PNG).
pub fn count(site: &Site) -> usize {
    wanted(site).len()
}

/// Every QR code of the site.
fn wanted(site: &Site) -> Vec<Code> {
    let articles = site.articles.iter().flat_map(|a| article_codes(a, &site.config.qr));
    articles.chain(site.leaflets.iter().flat_map(|l| leaflet_codes(l, &site.config))).collect()
}

/// Writes the two files of `code` (SVG and PNG) to `sink`.
pub fn write_code(site: &Site, code: &Code, cache: &Cache, sink: &dyn Sink) -> Result<()> {
    let url = &site.urls.permalink(&code.target);
    let ec = &code.ec;
    // Encoding (choosing the best mask) is the costly part: only done on a cache miss.
    let qr = std::cell::OnceCell::new();
    let encoded = || -> Result<&Qr> {
        if qr.get().is_none() {
            let _ = qr.set(Qr::new(url, *ec)?);
        }
        Ok(qr.get().expect("set above"))
    };
    let key = key(url, *ec);
    let svg = cache.get_or_make("qr-svg", &key, || Ok(encoded()?.svg(&svg_title(url)).into_bytes()))?;
    // v2: one bit a pixel (issue 10).
    let png_key = Cache::key(&[b"qr-png-v2", url.as_bytes(), ec.as_str().as_bytes()]);
    let png = cache.get_or_make("qr-png", &png_key, || encoded()?.png(PNG_MODULE_PX))?;
    let [svg_path, png_path] = code.files();
    sink.write(&svg_path, &svg)?;
    sink.write(&png_path, &png)
}

/// The cache key of the code of `url` at `ec` (its SVG and its PNG).
fn key(url: &str, ec: Ec) -> String {
    Cache::key(&[b"qr-v1", url.as_bytes(), ec.as_str().as_bytes()])
}

/// The title of the SVG of the code of `url`.
fn svg_title(url: &str) -> String {
    format!("Mã QR: {url}")
}

/// The SVG of the code of `url` at `ec`, titled "Mã QR: `url`", as [`write_code`] writes it
/// (and as posters, screen cards, slides and handbooks draw it): from the cache, encoded only on
/// a miss. `title` replaces the title (and is part of the key).
pub fn svg(url: &str, ec: Ec, title: Option<&str>, cache: &Cache) -> Result<String> {
    let key = match title {
        None => key(url, ec),
        Some(title) => Cache::key(&[b"qr-v1-titled", url.as_bytes(), ec.as_str().as_bytes(), title.as_bytes()]),
    };
    let title = title.map_or_else(|| svg_title(url), str::to_string);
    let bytes = cache.get_or_make("qr-svg", &key, || Ok(Qr::new(url, ec)?.svg(&title).into_bytes()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("a cached QR code of `{url}` is not text"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_qr_image_is_one_of_the_files_written() {
        let code = code("/canh-bao/x/", WEB, "/canh-bao/x/", Ec::M);
        let files = code.files();
        assert_eq!(files, ["canh-bao/x/qr.svg", "canh-bao/x/qr.png"]);
        // The share box links to `social::QR_FILE` beside the article's page.
        assert!(files.contains(&format!("canh-bao/x/{}", crate::render::social::QR_FILE)));
    }
}
