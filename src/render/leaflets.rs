//! Views of leaflets for the templates: print pages (one per leaflet and variant), the index of
//! leaflets, and the short-link redirects; and the split of a leaflet's sections over the sides
//! and panels of its layout.

use anyhow::Result;
use serde::Serialize;

use crate::content::leaflet::{Layout, Paper};
use crate::qr::Qr;
use crate::site::{Print, Site, SiteLeaflet};

/// Printed size of one module of a leaflet's QR code (issue 11): a mildly blurred 72 dpi
/// photocopy of 0.73 mm modules lost most codes; 0.9 mm keeps a margin over the 0.8 mm they
/// need. The code grows with the length of its URL (the host name) to keep it.
pub const QR_MODULE_MM: f64 = 0.9;
/// Smallest printed width of a QR code, quiet zone included: short URLs get bigger modules.
pub const QR_MIN_MM: f64 = 30.0;
/// Largest printed width of a QR code the layouts have room for (a version 6 code, URLs of up to
/// 74 characters at level Q, at [`QR_MODULE_MM`]).
pub const QR_MAX_MM: f64 = 45.0;
/// Smallest printed module a photocopied code still scans with.
pub const MIN_MODULE_MM: f64 = 0.8;
/// Bleed added on each side when a leaflet asks for it.
pub const BLEED_MM: u32 = 3;
/// Size of the printed short address: one line, large enough to type from.
pub const SHORT_URL_PT: f64 = 12.0;
/// Average width of a character of the short address, in em (Noto Sans bold, lower case and
/// digits, measured; DejaVu Sans, the fallback, is wider): the build refuses an address that
/// surely cannot fit its line; Chromium (`--pdf`) measures the real width.
const SHORT_URL_EM_PER_CHAR: f64 = 0.56;

/// Bounds of the body type size of a leaflet, in points: the print page sets each area in the
/// largest size between `min` and `max` at which its content fits (leaflet.html); `default` is
/// the size without JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TypeBounds {
    pub min: f64,
    pub default: f64,
    pub max: f64,
}

/// Type for everyone.
pub const STANDARD_TYPE: TypeBounds = TypeBounds { min: 10.0, default: 12.5, max: 20.0 };
/// Type for leaflets whose audiences include the elderly (an audience with `large_type`).
pub const LARGE_TYPE: TypeBounds = TypeBounds { min: 13.0, default: 14.0, max: 24.0 };

/// The type bounds of a leaflet: large when one of its audiences asks for large type.
pub fn type_bounds(l: &SiteLeaflet, config: &crate::config::Config) -> TypeBounds {
    let large = l
        .leaflet
        .audiences
        .iter()
        .any(|key| config.audiences.iter().any(|term| &term.key == key && term.wants_large_type()));
    if large { LARGE_TYPE } else { STANDARD_TYPE }
}

/// Printed width of the QR code of `qr`: modules of [`QR_MODULE_MM`], at least [`QR_MIN_MM`],
/// rounded up to half a millimetre; `None` when it would exceed [`QR_MAX_MM`].
pub fn qr_print_mm(qr: &Qr) -> Option<f64> {
    let mm = (qr.size_with_quiet_zone() as f64 * QR_MODULE_MM * 2.0).ceil() / 2.0;
    let mm = mm.max(QR_MIN_MM);
    (mm <= QR_MAX_MM).then_some(mm)
}

/// The printed short address: the URL without its scheme (`canhbao.vn/q/k3m9x/`).
pub fn short_address(url: &str) -> &str {
    url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or(url)
}

/// Width in mm of the line the short address is printed on (the narrowest of the layout).
pub fn address_line_mm(paper: Paper, layout: Layout) -> f64 {
    match (paper, layout) {
        // The back panel, 100 mm less 7 mm of padding on each side.
        (_, Layout::Trifold) => 86.0,
        (Paper::A4, _) => 210.0 - 2.0 * 12.0,
        (Paper::A5, _) => 148.0 - 2.0 * 9.0,
    }
}

/// Whether an address of `chars` characters surely cannot fit on its line.
fn address_too_long(chars: usize, paper: Paper, layout: Layout) -> bool {
    let mm = chars as f64 * SHORT_URL_EM_PER_CHAR * SHORT_URL_PT * 25.4 / 72.0;
    mm > address_line_mm(paper, layout)
}

/// `leaflet.issuer`: as `site.issuer`, with the logo's URL relative to the print page (so that
/// the page prints the same from a file as from the web).
#[derive(Serialize)]
pub struct IssuerView<'a> {
    pub name: &'a str,
    pub logo_src: Option<String>,
    pub contact: Option<&'a str>,
}

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
    /// The short URL as printed under the code: without `https://`.
    pub short_address: String,
    /// Inline SVG of the printed QR code.
    pub qr_svg: String,
    /// Printed width of the QR code, quiet zone included, and of one of its modules.
    pub qr_mm: f64,
    /// `qr_mm` as Vietnamese write it (`34,5`), for the printing instructions.
    pub qr_mm_label: String,
    pub qr_module_mm: String,
    pub short_url_pt: f64,
    /// Bounds of the body type size (`min`, `default`, `max`, in points).
    pub type_bounds: TypeBounds,
    pub large_type: bool,
    pub issuer: Option<IssuerView<'a>>,
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
        let refuse = |message, help: Option<crate::Message>| {
            let mut problem = crate::Diagnostic::new(&meta.source.display, message);
            if let Some(help) = help {
                problem = problem.help(help);
            }
            crate::ContentErrors(vec![problem])
        };
        let Some(qr_mm) = qr_print_mm(&qr) else {
            let module_mm = QR_MAX_MM / qr.size_with_quiet_zone() as f64;
            let message =
                crate::Message::QrTooDense { module_mm: format!("{module_mm:.2}"), min_mm: MIN_MODULE_MM.to_string() };
            return Err(refuse(message, None).into());
        };
        let variant = print.variant.map(|v| v.id.clone()).unwrap_or_default();
        let address = short_address(&short_url).to_string();
        if address_too_long(address.chars().count(), meta.paper, meta.layout) {
            let paper = layout_label(meta.paper, meta.layout).to_string();
            let message = crate::Message::ShortUrlWraps { variant, address, paper };
            return Err(refuse(message, Some(crate::Message::ShortUrlWrapsHelp)).into());
        }
        let bounds = type_bounds(l, &site.config);
        let depth = print.path.trim_matches('/').split('/').filter(|s| !s.is_empty()).count();
        let issuer = site.config.issuer.as_ref().map(|i| IssuerView {
            name: &i.name,
            logo_src: i.logo.as_ref().map(|logo| format!("{}{logo}", "../".repeat(depth))),
            contact: i.contact.as_deref(),
        });
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
            short_address: address,
            short_url,
            qr_mm,
            qr_mm_label: format!("{qr_mm}").replace('.', ","),
            qr_module_mm: format!("{:.2}", qr_mm / qr.size_with_quiet_zone() as f64),
            short_url_pt: SHORT_URL_PT,
            type_bounds: bounds,
            large_type: bounds == LARGE_TYPE,
            issuer,
            qr_caption: &meta.qr_caption,
            hotline,
            intro: &l.intro.html,
            groups: group_blocks(l),
            pdf_url: pdf.then(|| urls.url(&format!("{}{}", print.path, pdf_name(l, print)))),
        })
    }
}

/// A phone number as a `tel:` link: its digits and `+` only.
pub(crate) fn tel(number: &str) -> String {
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

/// Roughly how many words fit in one area of a layout at `pt` points (the body type size), from
/// what fits at the sizes the default theme used before fitting (A4 12.5 pt, A5 14 pt, trifold
/// 13.5 pt): the room a word takes grows with the square of the size. Only an estimate for
/// builds without Chromium; `build --pdf` measures the real thing.
fn words_per_area(paper: Paper, layout: Layout, pt: f64) -> usize {
    let (words, at_pt) = match (paper, layout) {
        (Paper::A4, Layout::Trifold) => (130.0, 13.5),
        (Paper::A4, _) => (380.0, 12.5),
        (Paper::A5, _) => (120.0, 14.0),
    };
    (words * (at_pt / pt) * (at_pt / pt)) as usize
}

/// A warning when a leaflet's text probably does not fit its paper even at the smallest type
/// size (estimated from word counts).
pub fn fit_estimate(l: &SiteLeaflet, config: &crate::config::Config) -> Option<crate::Diagnostic> {
    let (weights, head, groups) = weights(l);
    let sizes = balanced_split(&weights, groups, head);
    let mut start = 0;
    let mut heaviest = 0;
    for (g, n) in sizes.iter().enumerate() {
        let load: usize = weights[start..start + n].iter().sum::<usize>() + if g == 0 { head } else { 0 };
        heaviest = heaviest.max(load);
        start += n;
    }
    let capacity = words_per_area(l.leaflet.paper, l.leaflet.layout, type_bounds(l, config).min);
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
    fn qr_codes_grow_with_their_url_to_keep_modules_of_0_9_mm() {
        // Issue 11: the rule documented in README ("The size of a printed QR code").
        let cases = [
            ("https://a.vn/q/k3/", 30.0),
            ("https://canhbao.vn/q/k3m9x/", 33.5),
            ("https://canhbao.example.vn/q/k3m9x/", 37.0),
            ("https://canh-bao-lua-dao.example.vn/q/k3m9x/", 37.0),
            ("https://canh-bao-lua-dao-cong-an-thanh-pho.example.vn/q/k3m9x/", 44.5),
        ];
        for (url, mm) in cases {
            let qr = Qr::new(url, crate::qr::Ec::Q).unwrap();
            assert_eq!(qr_print_mm(&qr), Some(mm), "{url} (version {})", qr.version());
            let module = mm / qr.size_with_quiet_zone() as f64;
            assert!(module >= QR_MODULE_MM, "{url}: {module:.3} mm");
        }
        let long = format!("https://{}.example.vn/q/k3m9x/", "a".repeat(70));
        assert_eq!(qr_print_mm(&Qr::new(&long, crate::qr::Ec::Q).unwrap()), None, "over 45 mm: refused");
    }

    #[test]
    fn the_short_address_has_no_scheme_and_must_fit_its_line() {
        assert_eq!(short_address("https://canhbao.vn/q/k3m9x/"), "canhbao.vn/q/k3m9x/");
        assert_eq!(short_address("http://127.0.0.1:1111/q/k3m9x/"), "127.0.0.1:1111/q/k3m9x/");
        // 12 pt, about 2.4 mm a character: the trifold's 86 mm line takes 36.
        assert!(!address_too_long(36, Paper::A4, Layout::Trifold));
        assert!(address_too_long(37, Paper::A4, Layout::Trifold));
        assert!(!address_too_long(54, Paper::A5, Layout::Single));
        assert!(address_too_long(55, Paper::A5, Layout::Duplex));
        assert!(!address_too_long(78, Paper::A4, Layout::Single));
    }

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
