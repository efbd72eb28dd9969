//! QR code files: `qr.svg` and `qr.png` beside every article and leaflet page (its canonical
//! URL, for sharing), and `qr-in.svg` / `qr-in.png` beside every leaflet print page (the short
//! link printed on paper, for printers). Both are cached by content hash: encoding a code (which
//! tries all eight masks) costs milliseconds, and a site has one per article.

use anyhow::Result;
use rayon::prelude::*;

use crate::cache::Cache;
use crate::output::OutputFile;
use crate::qr::{Ec, Qr};
use crate::site::Site;

/// Pixels a module in downloadable PNGs (a version-4 code with its quiet zone: 410 px).
const PNG_MODULE_PX: u32 = 10;

/// How many QR codes the site has (each is written as SVG and PNG).
pub fn count(site: &Site) -> usize {
    wanted(site).len()
}

/// Every QR code of the site: (output path without extension, URL, error-correction level).
fn wanted(site: &Site) -> Vec<(String, String, Ec)> {
    let urls = &site.urls;
    let mut wanted: Vec<(String, String, Ec)> = Vec::new(); // (folder path, url, level)
    let web = site.config.qr.web;
    for a in &site.articles {
        wanted.push((format!("{}qr", a.path), urls.permalink(&a.path), web));
    }
    for l in &site.leaflets {
        for print in l.prints(&site.config.sections.short_links) {
            if print.variant.is_none() {
                wanted.push((format!("{}qr", print.path), urls.permalink(&print.path), web));
            }
            wanted.push((format!("{}qr-in", print.path), urls.permalink(&print.short_path), site.config.qr.print));
        }
    }
    wanted
}

/// Every QR file of the site.
pub fn qr_files(site: &Site, cache: &Cache) -> Result<Vec<OutputFile>> {
    let wanted = wanted(site);
    let files: Vec<Vec<OutputFile>> = wanted
        .par_iter()
        .map(|(stem, url, ec)| {
            let stem = stem.trim_start_matches('/');
            // Encoding (choosing the best mask) is the costly part: only done on a cache miss.
            let qr = std::cell::OnceCell::new();
            let encoded = || -> Result<&Qr> {
                if qr.get().is_none() {
                    let _ = qr.set(Qr::new(url, *ec)?);
                }
                Ok(qr.get().expect("set above"))
            };
            let key = Cache::key(&[b"qr-v1", url.as_bytes(), ec.as_str().as_bytes()]);
            let svg =
                cache.get_or_make("qr-svg", &key, || Ok(encoded()?.svg(&format!("Mã QR: {url}")).into_bytes()))?;
            let png = cache.get_or_make("qr-png", &key, || encoded()?.png(PNG_MODULE_PX))?;
            Ok(vec![
                OutputFile { path: format!("{stem}.svg"), bytes: svg },
                OutputFile { path: format!("{stem}.png"), bytes: png },
            ])
        })
        .collect::<Result<_>>()?;
    Ok(files.into_iter().flatten().collect())
}
