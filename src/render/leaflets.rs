//! Views of leaflets for the templates: print pages (one per leaflet and variant), the index of
//! leaflets, and the short-link redirects; and the split of a leaflet's sections over the sides
//! and panels of its layout.

use anyhow::Result;
use serde::Serialize;

use crate::content::leaflet::{Layout, Paper};
use crate::qr::Qr;
use crate::site::{Print, Site, SiteLeaflet};

/// Printed width of a leaflet's QR code. At least 25 mm scans reliably from paper.
pub const QR_PRINT_MM: f64 = 30.0;
/// Smallest printed module a phone camera reads reliably.
pub const MIN_MODULE_MM: f64 = 0.4;
/// Bleed added on each side when a leaflet asks for it.
pub const BLEED_MM: u32 = 3;

#[derive(Serialize)]
pub struct BlockView<'a> {
    pub title: &'a str,
    pub html: &'a str,
}

#[derive(Serialize)]
pub struct VariantLink<'a> {
    pub id: &'a str,
    pub label: &'a str,
    pub url: String,
    pub short_url: String,
    pub pdf_url: Option<String>,
}

#[derive(Serialize)]
pub struct HotlineView<'a> {
    pub number: &'a str,
    pub label: &'a str,
    pub tel: String,
}

/// One print page.
#[derive(Serialize)]
pub struct LeafletView<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub paper: &'static str,
    pub layout: &'static str,
    pub layout_label: &'static str,
    pub page_width_mm: u32,
    pub page_height_mm: u32,
    pub bleed_mm: u32,
    pub url: String,
    pub permalink: String,
    /// The whole leaflet's print page (for a variant, the page without variant).
    pub leaflet_url: String,
    pub variant: Option<VariantLink<'a>>,
    pub variants: Vec<VariantLink<'a>>,
    /// The short URL printed in the QR code.
    pub short_url: String,
    /// Where the short URL leads (with the campaign tag).
    pub target_url: String,
    /// Inline SVG of the printed QR code.
    pub qr_svg: String,
    pub qr_mm: f64,
    pub qr_caption: &'a str,
    pub hotline: HotlineView<'a>,
    pub intro: &'a str,
    /// Sections grouped by side/panel: single 1 group; duplex 2 (front, back); trifold 4 (the
    /// flap of the outside, then the three inside panels).
    pub groups: Vec<Vec<BlockView<'a>>>,
    pub pdf_url: Option<String>,
}

/// The file name of a print's PDF: `<slug>.pdf` or `<slug>-<variant>.pdf`.
pub fn pdf_name(leaflet: &SiteLeaflet, print: &Print) -> String {
    match print.variant {
        Some(v) => format!("{}-{}.pdf", leaflet.leaflet.slug, v.id),
        None => format!("{}.pdf", leaflet.leaflet.slug),
    }
}

pub fn layout_label(paper: Paper, layout: Layout) -> &'static str {
    match (paper, layout) {
        (Paper::A4, Layout::Single) => "A4, một mặt",
        (Paper::A4, Layout::Duplex) => "A4, hai mặt",
        (Paper::A5, Layout::Single) => "A5, một mặt",
        (Paper::A5, Layout::Duplex) => "A5, hai mặt",
        (_, Layout::Trifold) => "A4 ngang, gấp ba",
    }
}

impl<'a> LeafletView<'a> {
    pub fn new(site: &'a Site, l: &'a SiteLeaflet, print: &Print<'a>, pdf: bool) -> Result<Self> {
        let urls = &site.urls;
        let meta = &l.leaflet;
        let short_url = urls.permalink(&print.short_path);
        let qr = Qr::new(&short_url, site.config.qr.print)?;
        let module_mm = QR_PRINT_MM / qr.size_with_quiet_zone() as f64;
        if module_mm < MIN_MODULE_MM {
            let message =
                crate::Message::QrTooDense { module_mm: format!("{module_mm:.2}"), min_mm: MIN_MODULE_MM.to_string() };
            return Err(crate::ContentErrors(vec![crate::Diagnostic::new(&meta.source.display, message)]).into());
        }
        let (w, h) = meta.paper.page_mm(meta.layout);
        let bleed = if meta.bleed { BLEED_MM } else { 0 };
        let site_hotline = &site.config.hotline;
        let hotline = match &meta.hotline {
            Some((number, label)) => HotlineView { number, label, tel: tel(number) },
            None => {
                HotlineView { number: &site_hotline.number, label: &site_hotline.label, tel: site_hotline.tel.clone() }
            }
        };
        let variant_link = |v: &'a crate::content::leaflet::Variant| {
            let p = l.prints(&site.config.sections.short_links).into_iter().find(|p| p.variant == Some(v));
            let p = p.unwrap_or_else(|| print.clone());
            VariantLink {
                id: &v.id,
                label: &v.label,
                url: urls.url(&p.path),
                short_url: urls.permalink(&p.short_path),
                pdf_url: pdf.then(|| urls.url(&format!("{}{}", p.path, pdf_name(l, &p)))),
            }
        };
        Ok(LeafletView {
            title: &meta.title,
            slug: &meta.slug,
            paper: meta.paper.as_str(),
            layout: meta.layout.as_str(),
            layout_label: layout_label(meta.paper, meta.layout),
            page_width_mm: w + 2 * bleed,
            page_height_mm: h + 2 * bleed,
            bleed_mm: bleed,
            url: urls.url(&print.path),
            permalink: urls.permalink(&print.path),
            leaflet_url: urls.url(&l.path),
            variant: print.variant.map(variant_link),
            variants: meta.variants.iter().map(variant_link).collect(),
            target_url: l.tagged_target(print),
            qr_svg: qr.svg(&format!("Mã QR: {short_url}")),
            short_url,
            qr_mm: QR_PRINT_MM,
            qr_caption: &meta.qr_caption,
            hotline,
            intro: &l.intro.html,
            groups: group_blocks(l),
            pdf_url: pdf.then(|| urls.url(&format!("{}{}", print.path, pdf_name(l, print)))),
        })
    }
}

fn tel(number: &str) -> String {
    let digits: String = number.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    format!("tel:{digits}")
}

/// Weights of the sections (words, plus the room a heading takes), the weight the title and
/// intro add to the first area, and how many areas the layout has.
fn weights(l: &SiteLeaflet) -> (Vec<usize>, usize, usize) {
    let weights = l.blocks.iter().map(|b| b.body.words + b.title.split_whitespace().count() + 8).collect();
    let head = l.intro.words + l.leaflet.title.split_whitespace().count() * 3 + 12;
    match l.leaflet.layout {
        Layout::Single => (weights, head, 1),
        // The front side also carries the title and intro.
        Layout::Duplex => (weights, head, 2),
        // The title and intro have the cover panel to themselves.
        Layout::Trifold => (weights, 0, 4),
    }
}

/// Splits the sections over the layout's areas, in order, balancing their length.
fn group_blocks(l: &SiteLeaflet) -> Vec<Vec<BlockView<'_>>> {
    let (weights, head, groups) = weights(l);
    let sizes = balanced_split(&weights, groups, head);
    let mut blocks = l.blocks.iter().map(|b| BlockView { title: &b.title, html: &b.body.html });
    sizes.into_iter().map(|n| blocks.by_ref().take(n).collect()).collect()
}

/// Roughly how many words fit in one area of a layout, at the default theme's type sizes.
/// Only an estimate for builds without Chromium; `build --pdf` measures the real thing.
fn words_per_area(paper: Paper, layout: Layout) -> usize {
    match (paper, layout) {
        (Paper::A4, Layout::Trifold) => 130,
        (Paper::A4, _) => 380,
        (Paper::A5, _) => 120,
    }
}

/// A warning when a leaflet's text probably does not fit its paper (estimated from word counts).
pub fn fit_estimate(l: &SiteLeaflet) -> Option<crate::Diagnostic> {
    let (weights, head, groups) = weights(l);
    let sizes = balanced_split(&weights, groups, head);
    let mut start = 0;
    let mut heaviest = 0;
    for (g, n) in sizes.iter().enumerate() {
        let load: usize = weights[start..start + n].iter().sum::<usize>() + if g == 0 { head } else { 0 };
        heaviest = heaviest.max(load);
        start += n;
    }
    let capacity = words_per_area(l.leaflet.paper, l.leaflet.layout);
    (heaviest > capacity).then(|| {
        let paper = layout_label(l.leaflet.paper, l.leaflet.layout).to_string();
        let message = crate::Message::LeafletFitEstimate { paper, words: heaviest, capacity };
        crate::Diagnostic::new(&l.leaflet.source.display, message)
    })
}

/// Sizes of `groups` contiguous groups of `weights` minimising the heaviest group; the first
/// group starts with `head` weight already in it.
fn balanced_split(weights: &[usize], groups: usize, head: usize) -> Vec<usize> {
    let n = weights.len();
    let prefix: Vec<usize> = std::iter::once(0)
        .chain(weights.iter().scan(0, |sum, w| {
            *sum += w;
            Some(*sum)
        }))
        .collect();
    // best[g][i]: the smallest maximum splitting the first i weights into g groups.
    let mut best = vec![vec![usize::MAX; n + 1]; groups + 1];
    let mut cut = vec![vec![0; n + 1]; groups + 1];
    best[0][0] = 0;
    for g in 1..=groups {
        for i in 0..=n {
            for j in 0..=i {
                if best[g - 1][j] == usize::MAX {
                    continue;
                }
                let extra = if g == 1 { head } else { 0 };
                let cost = best[g - 1][j].max(prefix[i] - prefix[j] + extra);
                if cost < best[g][i] {
                    best[g][i] = cost;
                    cut[g][i] = j;
                }
            }
        }
    }
    let mut sizes = vec![0; groups];
    let mut i = n;
    for g in (1..=groups).rev() {
        let j = cut[g][i];
        sizes[g - 1] = i - j;
        i = j;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_balance_the_heaviest_group() {
        assert_eq!(balanced_split(&[10, 10, 10, 10], 2, 0), vec![2, 2]);
        assert_eq!(balanced_split(&[10, 10, 10, 10], 2, 20), vec![1, 3]);
        let sizes = balanced_split(&[5, 5, 5, 5, 30], 4, 0);
        assert_eq!(sizes.iter().sum::<usize>(), 5);
        assert_eq!(sizes[3], 1, "the heavy block stands alone: {sizes:?}");
        assert_eq!(balanced_split(&[1, 2], 4, 0).iter().sum::<usize>(), 2);
        assert_eq!(balanced_split(&[], 2, 0), vec![0, 0]);
    }
}
