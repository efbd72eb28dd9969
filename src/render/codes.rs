//! QR code files: `qr.svg` and `qr.png` beside every article and leaflet page (its canonical
//! URL, for sharing), and `qr-in.svg` / `qr-in.png` beside every leaflet print page (the short
//! link printed on paper, for printers). PNGs are cached by content hash.

use anyhow::Result;
use rayon::prelude::*;

use crate::cache::Cache;
use crate::output::OutputFile;
use crate::qr::{Ec, Qr};
use crate::site::Site;

/// Pixels a module in downloadable PNGs (a version-4 code with its quiet zone: 410 px).
const PNG_MODULE_PX: u32 = 10;

/// Every QR file of the site.
pub fn qr_files(site: &Site, cache: &Cache) -> Result<Vec<OutputFile>> {
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
    let files: Vec<Vec<OutputFile>> = wanted
        .par_iter()
        .map(|(stem, url, ec)| {
            let stem = stem.trim_start_matches('/');
            let qr = Qr::new(url, *ec)?;
            let key = Cache::key(&[b"qr-png-v1", url.as_bytes(), ec.as_str().as_bytes()]);
            let png = cache.get_or_make("qr", &key, || qr.png(PNG_MODULE_PX))?;
            Ok(vec![
                OutputFile { path: format!("{stem}.svg"), bytes: qr.svg(&format!("Mã QR: {url}")).into_bytes() },
                OutputFile { path: format!("{stem}.png"), bytes: png },
            ])
        })
        .collect::<Result<_>>()?;
    Ok(files.into_iter().flatten().collect())
}
