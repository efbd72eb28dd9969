//! QR codes: encoding a URL, and drawing it as SVG (vector, for print and inline use) and PNG
//! (for download and sharing), always with the 4-module quiet zone scanners need.
//!
//! The `qrcode` crate encodes the data, computes the error correction and draws the function
//! patterns and masks; the choice among the eight masks is made here, with the ISO/IEC 18004
//! penalty rules computed in one pass each. (The crate's own choice allocates for every module
//! position and made QR codes 70 % of a whole site build.)

use anyhow::{Context, Result};
use image::{GrayImage, ImageEncoder};
use qrcode::canvas::{Canvas, MaskPattern};
use qrcode::{Color, EcLevel};
use serde::Deserialize;

/// The quiet zone around a code, in modules (ISO/IEC 18004 asks for 4).
pub const QUIET_ZONE: usize = 4;

/// Error-correction level, as written in site.yaml.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Ec {
    L,
    M,
    Q,
    H,
}

impl Ec {
    fn level(self) -> EcLevel {
        match self {
            Ec::L => EcLevel::L,
            Ec::M => EcLevel::M,
            Ec::Q => EcLevel::Q,
            Ec::H => EcLevel::H,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Ec::L => "L",
            Ec::M => "M",
            Ec::Q => "Q",
            Ec::H => "H",
        }
    }
}

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// An encoded QR code: its modules, row by row.
pub struct Qr {
    dark: Vec<bool>,
    width: usize,
    version: i16,
}

impl Qr {
    /// Encodes `data` in the smallest version that holds it, with the mask of lowest penalty.
    pub fn new(data: &str, ec: Ec) -> Result<Qr> {
        let context = || format!("cannot encode `{data}` as a QR code");
        let bits = qrcode::bits::encode_auto(data.as_bytes(), ec.level()).with_context(context)?;
        let version = bits.version();
        let (codewords, ec_codewords) =
            qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec.level()).with_context(context)?;
        let mut canvas = Canvas::new(version, ec.level());
        canvas.draw_all_functional_patterns();
        canvas.draw_data(&codewords, &ec_codewords);
        let width = version.width() as usize;
        let dark = MASKS
            .iter()
            .map(|&mask| {
                let mut masked = canvas.clone();
                masked.apply_mask(mask);
                let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
                (penalty(&dark, width), dark)
            })
            .min_by_key(|(score, _)| *score)
            .map(|(_, dark)| dark)
            .context("no mask")?;
        let version = match version {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        };
        Ok(Qr { dark, width, version })
    }

    /// The QR version (1..=40): 1 is 21×21 modules, each version adds 4.
    pub fn version(&self) -> i16 {
        self.version
    }

    /// Width in modules, quiet zone included.
    pub fn size_with_quiet_zone(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// An SVG whose user unit is one module: it scales to any printed size without blurring.
    /// `title` becomes the accessible name.
    pub fn svg(&self, title: &str) -> String {
        let width = self.width;
        let size = self.size_with_quiet_zone();
        let colors = &self.dark;
        let mut path = String::with_capacity(width * width * 3);
        for y in 0..width {
            let mut x = 0;
            while x < width {
                if colors[y * width + x] {
                    let start = x;
                    while x < width && colors[y * width + x] {
                        x += 1;
                    }
                    path.push_str(&format!(
                        "M{} {}h{}v1h-{}z",
                        start + QUIET_ZONE,
                        y + QUIET_ZONE,
                        x - start,
                        x - start
                    ));
                } else {
                    x += 1;
                }
            }
        }
        let mut title_escaped = String::new();
        let _ = pulldown_cmark_escape::escape_html(&mut title_escaped, title);
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\" role=\"img\"><title>{title_escaped}</title><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>"
        )
    }

    /// A PNG with `module_px` pixels a module.
    pub fn png(&self, module_px: u32) -> Result<Vec<u8>> {
        let px = module_px as usize;
        let side = self.size_with_quiet_zone() * px;
        let mut pixels = vec![255u8; side * side];
        let mut row = vec![255u8; side];
        for y in 0..self.width {
            row.fill(255);
            for x in (0..self.width).filter(|&x| self.dark[y * self.width + x]) {
                let start = (x + QUIET_ZONE) * px;
                row[start..start + px].fill(0);
            }
            let top = (y + QUIET_ZONE) * px;
            for line in pixels[top * side..(top + px) * side].chunks_exact_mut(side) {
                line.copy_from_slice(&row);
            }
        }
        let image = GrayImage::from_raw(side as u32, side as u32, pixels).context("QR image size")?;
        let mut bytes = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::L8)
            .context("cannot encode a QR code as PNG")?;
        Ok(bytes)
    }
}

/// The ISO/IEC 18004 (7.8.3) mask penalty of a symbol (`dark`, row by row, `width` wide): runs
/// of five or more modules of one colour (N1), 2×2 blocks of one colour (N2), finder-like
/// 1:1:3:1:1 patterns beside four light modules (N3), and imbalance of dark and light (N4).
fn penalty(dark: &[bool], width: usize) -> u32 {
    let at = |x: usize, y: usize| dark[y * width + x];
    let mut score = 0;
    for horizontal in [true, false] {
        for i in 0..width {
            let line: Vec<bool> = (0..width).map(|j| if horizontal { at(j, i) } else { at(i, j) }).collect();
            // N1: runs.
            let mut run = 1;
            for j in 1..=width {
                if j < width && line[j] == line[j - 1] {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += 3 + (run - 5) as u32;
                    }
                    run = 1;
                }
            }
            // N3: dark-light-dark×3-light-dark with four light modules before or after (outside
            // the symbol counts as light: the quiet zone).
            let get = |j: isize| j >= 0 && (j as usize) < width && line[j as usize];
            for j in 0..width as isize - 6 {
                let core = get(j) && !get(j + 1) && get(j + 2) && get(j + 3) && get(j + 4) && !get(j + 5) && get(j + 6);
                if core && ((j - 4..j).all(|k| !get(k)) || (j + 7..j + 11).all(|k| !get(k))) {
                    score += 40;
                }
            }
        }
    }
    // N2: blocks.
    for y in 0..width - 1 {
        for x in 0..width - 1 {
            let c = at(x, y);
            if at(x + 1, y) == c && at(x, y + 1) == c && at(x + 1, y + 1) == c {
                score += 3;
            }
        }
    }
    // N4: balance, 10 points for every 5 % away from half dark.
    let dark_count = dark.iter().filter(|d| **d).count();
    let percent = dark_count * 100 / dark.len();
    score += 10 * (percent.abs_diff(50) / 5) as u32;
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_png(png: &[u8]) -> String {
        let image = image::load_from_memory(png).unwrap().to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(image);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn png_decodes_to_the_url_with_a_quiet_zone() {
        let url = "https://canhbao.example.vn/canh-bao/gia-danh-cong-an/";
        let qr = Qr::new(url, Ec::M).unwrap();
        let png = qr.png(8).unwrap();
        assert_eq!(decode_png(&png), url);
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        assert_eq!(image.width() as usize, qr.size_with_quiet_zone() * 8);
        // The quiet zone is white all around.
        let q = (QUIET_ZONE * 8) as u32;
        assert!((0..image.width()).all(|x| (0..q).all(|y| image.get_pixel(x, y).0[0] == 255)));
    }

    #[test]
    fn short_links_stay_small() {
        let qr = Qr::new("https://canhbao.example.vn/q/k3m9x/", Ec::Q).unwrap();
        assert!(qr.version() <= 4, "version {}", qr.version());
    }

    #[test]
    fn svg_draws_the_same_modules() {
        let qr = Qr::new("https://a.vn/", Ec::M).unwrap();
        let svg = qr.svg("Mã QR <a>");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\""));
        assert!(svg.contains("<title>Mã QR &lt;a&gt;</title>"));
        // Count dark modules drawn by the runs and compare with the code.
        let path = svg.split(" d=\"").nth(1).unwrap();
        let drawn: usize = path
            .split('h')
            .skip(1)
            // "M4 4h7v1h-7z": only the "h7" runs are widths; "h-7" closes the rectangle.
            .filter_map(|run| run.split('v').next().and_then(|w| w.parse::<usize>().ok()))
            .sum();
        let dark = qr.dark.iter().filter(|d| **d).count();
        assert_eq!(drawn, dark);
    }

    #[test]
    fn penalty_follows_the_standard_rules() {
        // A 5×5 all-light symbol: 10 runs of 5 (3 each), 16 blocks (3 each), all light (N4 100).
        assert_eq!(penalty(&[false; 25], 5), 10 * 3 + 16 * 3 + 100);
        // A finder-like row beside four light modules scores N3 on that row.
        let row = [true, false, true, true, true, false, true, false, false, false, false];
        let mut symbol = vec![false; 11 * 11];
        symbol[..11].copy_from_slice(&row);
        let with = penalty(&symbol, 11);
        symbol[..11].copy_from_slice(&[true, false, true, true, false, true, false, true, false, false, false]);
        assert!(with > penalty(&symbol, 11) + 30, "the 1:1:3:1:1 pattern costs 40");
    }

    #[test]
    fn every_mask_choice_decodes_for_many_urls() {
        for i in 0..40 {
            let url = format!("https://canhbao.example.vn/canh-bao/bai-viet-so-{i}-{}/", "x".repeat(i));
            for ec in [Ec::L, Ec::M, Ec::Q, Ec::H] {
                assert_eq!(decode_png(&Qr::new(&url, ec).unwrap().png(4).unwrap()), url);
            }
        }
    }
}
