//! QR codes: encoding a URL, and drawing it as SVG (vector, for print and inline use) and PNG
//! (for download and sharing), always with the 4-module quiet zone scanners need.
//!
//! The `qrcode` crate encodes the data, computes the error correction and draws the function
//! patterns and masks; the choice among the eight masks is made here, with the ISO/IEC 18004
//! penalty rules computed on rows and columns as bit words, a few word operations per rule and
//! line ([`Symbol::penalty`]). (The crate's own choice allocates for every module position and
//! made QR codes 70 % of a whole site build; a module-by-module penalty was still 20 % of a
//! cached build of 1,000 articles, issue 10.)

use anyhow::{Context, Result};
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
    /// Encodes `data` in the smallest version that holds it, with the mask of lowest penalty
    /// (the first of them on a tie, in the order of ISO/IEC 18004's mask references).
    pub fn new(data: &str, ec: Ec) -> Result<Qr> {
        let (canvas, version) = unmasked(data, ec)?;
        let width = version.width() as usize;
        let mut best: Option<(u32, Vec<bool>)> = None;
        for mask in MASKS {
            let mut masked = canvas.clone();
            masked.apply_mask(mask);
            let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
            let score = Symbol::new(&dark, width).penalty();
            if best.as_ref().is_none_or(|(best, _)| score < *best) {
                best = Some((score, dark));
            }
        }
        let (_, dark) = best.context("no mask")?;
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

    /// Draws the code, quiet zone included, into opaque RGBA pixels (rows of `width` pixels),
    /// filling the square of side `side` px whose top left corner is at (`left`, `top`): white
    /// quiet zone and light modules, black dark ones. A module edge falls on the pixel edge
    /// nearest its exact place (as resvg places the edges of an SVG drawn with
    /// `shape-rendering="crispEdges"`), so the code fills the square exactly with sharp edges,
    /// without the layer and clip that drawing a nested `<svg>` costs. What falls outside the
    /// picture is not drawn.
    pub fn draw_rgba(&self, rgba: &mut [u8], width: usize, left: f32, top: f32, side: f32) {
        self.draw_pixels(rgba, width, left, top, side, ([0, 0, 0, 255], [255; 4]));
    }

    /// Draws the code as [`Qr::draw_rgba`] does, into pixels of `N` bytes each: `colours` are
    /// the bytes of a dark and of a light module (one palette index each for the
    /// indexed pictures of `render::compose`).
    pub fn draw_pixels<const N: usize>(
        &self,
        pixels: &mut [u8],
        width: usize,
        left: f32,
        top: f32,
        side: f32,
        (dark, light): ([u8; N], [u8; N]),
    ) {
        let n = self.size_with_quiet_zone();
        let height = pixels.len() / N / width.max(1);
        // Pixel edge of module edge `i` from `start`: the first pixel whose centre is past it.
        let edge = |start: f32, i: usize, limit: usize| -> usize {
            ((start + i as f32 * side / n as f32 - 0.5).ceil().max(0.0) as usize).min(limit)
        };
        let (x0, x1) = (edge(left, 0, width), edge(left, n, width));
        if x0 >= x1 {
            return;
        }
        let mut row = vec![0u8; (x1 - x0) * N];
        for y in 0..n {
            let (y0, y1) = (edge(top, y, height), edge(top, y + 1, height));
            if y0 >= y1 {
                continue;
            }
            for x in 0..n {
                let (a, b) = (edge(left, x, width), edge(left, x + 1, width));
                let colour = if self.is_dark(x, y) { &dark } else { &light };
                for pixel in row[(a - x0) * N..(b - x0) * N].chunks_exact_mut(N) {
                    pixel.copy_from_slice(colour);
                }
            }
            for line in y0..y1 {
                pixels[(line * width + x0) * N..(line * width + x1) * N].copy_from_slice(&row);
            }
        }
    }

    /// Whether the module at (`x`, `y`), counted from the corner of the quiet zone, is dark.
    fn is_dark(&self, x: usize, y: usize) -> bool {
        let (x, y) = (x.wrapping_sub(QUIET_ZONE), y.wrapping_sub(QUIET_ZONE));
        x < self.width && y < self.width && self.dark[y * self.width + x]
    }

    /// A PNG with `module_px` pixels a module, one bit a pixel (black and white: a tenth of the
    /// bytes of a grey PNG, issue 10).
    pub fn png(&self, module_px: u32) -> Result<Vec<u8>> {
        let px = module_px as usize;
        let side = self.size_with_quiet_zone() * px;
        let row_bytes = side.div_ceil(8);
        // Bit set = white (grey level 1); the quiet zone and light modules stay white.
        let mut pixels = vec![0xffu8; row_bytes * side];
        let mut row = vec![0xffu8; row_bytes];
        for y in 0..self.width {
            row.fill(0xff);
            for x in (0..self.width).filter(|&x| self.dark[y * self.width + x]) {
                for i in (x + QUIET_ZONE) * px..(x + QUIET_ZONE + 1) * px {
                    row[i / 8] &= !(0x80 >> (i % 8));
                }
            }
            let top = (y + QUIET_ZONE) * px;
            for line in pixels[top * row_bytes..(top + px) * row_bytes].chunks_exact_mut(row_bytes) {
                line.copy_from_slice(&row);
            }
        }
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, side as u32, side as u32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        encoder.set_deflate_compression(png::DeflateCompression::Level(6));
        encoder.set_filter(png::Filter::NoFilter);
        let mut writer = encoder.write_header().context("cannot encode a QR code as PNG")?;
        writer.write_image_data(&pixels).context("cannot encode a QR code as PNG")?;
        writer.finish().context("cannot encode a QR code as PNG")?;
        Ok(bytes)
    }
}

/// The symbol of `data` with its function patterns and data drawn, not yet masked.
fn unmasked(data: &str, ec: Ec) -> Result<(Canvas, qrcode::Version)> {
    let context = || format!("cannot encode `{data}` as a QR code");
    let bits = qrcode::bits::encode_auto(data.as_bytes(), ec.level()).with_context(context)?;
    let version = bits.version();
    let (codewords, ec_codewords) =
        qrcode::ec::construct_codewords(&bits.into_bytes(), version, ec.level()).with_context(context)?;
    let mut canvas = Canvas::new(version, ec.level());
    canvas.draw_all_functional_patterns();
    canvas.draw_data(&codewords, &ec_codewords);
    Ok((canvas, version))
}

/// Words of a [`Line`]: 3 × 64 bits hold the 177 modules of version 40.
const WORDS: usize = 3;

/// A row or column of a symbol as bits: bit `j` is module `j`, set when dark. Modules past the
/// end are 0, light, as the quiet zone is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Line([u64; WORDS]);

impl Line {
    /// The first `n` modules set.
    fn first(n: usize) -> Line {
        let mut line = Line::default();
        for (i, word) in line.0.iter_mut().enumerate() {
            let bits = n.saturating_sub(64 * i).min(64);
            *word = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
        }
        line
    }

    fn set(&mut self, j: usize) {
        self.0[j / 64] |= 1 << (j % 64);
    }

    /// Bit `j` of the result is module `j + k` (1 ≤ k < 64): the line seen `k` modules ahead.
    fn ahead(self, k: u32) -> Line {
        let w = self.0;
        Line(std::array::from_fn(|i| w[i] >> k | w.get(i + 1).map_or(0, |next| next << (64 - k))))
    }

    /// Bit `j` of the result is module `j - k` (1 ≤ k < 64), 0 before the start.
    fn behind(self, k: u32) -> Line {
        let w = self.0;
        Line(std::array::from_fn(|i| w[i] << k | if i > 0 { w[i - 1] >> (64 - k) } else { 0 }))
    }

    fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }
}

impl std::ops::BitAnd for Line {
    type Output = Line;
    fn bitand(self, other: Line) -> Line {
        Line(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }
}

impl std::ops::BitOr for Line {
    type Output = Line;
    fn bitor(self, other: Line) -> Line {
        Line(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }
}

impl std::ops::BitXor for Line {
    type Output = Line;
    fn bitxor(self, other: Line) -> Line {
        Line(std::array::from_fn(|i| self.0[i] ^ other.0[i]))
    }
}

impl std::ops::Not for Line {
    type Output = Line;
    fn not(self) -> Line {
        Line(self.0.map(|w| !w))
    }
}

/// A symbol as rows and columns of bits, for [`Symbol::penalty`].
struct Symbol {
    rows: Vec<Line>,
    columns: Vec<Line>,
    width: usize,
}

impl Symbol {
    /// `dark`: the modules row by row, `width` (at most 177) wide.
    fn new(dark: &[bool], width: usize) -> Symbol {
        let mut rows = vec![Line::default(); width];
        let mut columns = vec![Line::default(); width];
        for (y, row) in dark.chunks_exact(width).enumerate() {
            for (x, _) in row.iter().enumerate().filter(|(_, d)| **d) {
                rows[y].set(x);
                columns[x].set(y);
            }
        }
        Symbol { rows, columns, width }
    }

    /// The ISO/IEC 18004 (7.8.3) mask penalty: runs of five or more modules of one colour in a
    /// row or column (N1: 3 points, and 1 more for each module past five), 2×2 blocks of one
    /// colour (N2: 3 each), 1:1:3:1:1 finder-like patterns with four light modules before or
    /// after them, outside the symbol counting as light (N3: 40 each), and the imbalance of dark
    /// and light (N4: 10 points for every full 5 % away from half dark).
    ///
    /// Each rule is a few operations on whole lines: `ahead(k)` lines up module `j + k` with
    /// module `j`, so `d & d.ahead(1) & … & d.ahead(4)` marks where five dark modules start.
    fn penalty(&self) -> u32 {
        let inside = Line::first(self.width);
        let mut score = 0;
        for &dark in self.rows.iter().chain(&self.columns) {
            let light = !dark & inside;
            // N1: a run of n ≥ 5 has n - 4 windows of five, and scores n - 2: every window
            // counts 1, every run's first window 2 more.
            for c in [dark, light] {
                let five = c & c.ahead(1) & c.ahead(2) & c.ahead(3) & c.ahead(4);
                score += five.count() + 2 * (five & !five.behind(1)).count();
            }
            // N3: dark, light, 3 dark, light, dark starting at j (bits past the end are 0, so
            // a pattern never runs out of the symbol).
            let core =
                dark & light.ahead(1) & dark.ahead(2) & dark.ahead(3) & dark.ahead(4) & light.ahead(5) & dark.ahead(6);
            let light_before = !(dark.behind(1) | dark.behind(2) | dark.behind(3) | dark.behind(4));
            let light_after = !(dark.ahead(7) | dark.ahead(8) | dark.ahead(9) | dark.ahead(10));
            score += 40 * (core & (light_before | light_after)).count();
        }
        // N2: modules x and x + 1 of two neighbouring rows all alike.
        let pairs = Line::first(self.width - 1);
        for pair in self.rows.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let alike = !(a ^ a.ahead(1)) & !(b ^ b.ahead(1)) & !(a ^ b) & pairs;
            score += 3 * alike.count();
        }
        // N4.
        let dark: u32 = self.rows.iter().map(|r| r.count()).sum();
        let percent = dark as usize * 100 / (self.width * self.width);
        score + 10 * (percent.abs_diff(50) / 5) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain ISO/IEC 18004 (7.8.3) mask penalty, module by module, as canhbao computed it
    /// before issue 10: the reference [`Symbol::penalty`] must equal on every symbol.
    fn reference_penalty(dark: &[bool], width: usize) -> u32 {
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
                    let core =
                        get(j) && !get(j + 1) && get(j + 2) && get(j + 3) && get(j + 4) && !get(j + 5) && get(j + 6);
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

    fn penalty(dark: &[bool], width: usize) -> u32 {
        Symbol::new(dark, width).penalty()
    }

    #[test]
    fn penalty_follows_the_standard_rules() {
        // A 5×5 all-light symbol: 10 runs of 5 (3 each), 16 blocks (3 each), all light (N4 100).
        for p in [penalty, reference_penalty] {
            assert_eq!(p(&[false; 25], 5), 10 * 3 + 16 * 3 + 100);
            // A finder-like row beside four light modules scores N3 on that row.
            let row = [true, false, true, true, true, false, true, false, false, false, false];
            let mut symbol = vec![false; 11 * 11];
            symbol[..11].copy_from_slice(&row);
            let with = p(&symbol, 11);
            symbol[..11].copy_from_slice(&[true, false, true, true, false, true, false, true, false, false, false]);
            assert!(with > p(&symbol, 11) + 30, "the 1:1:3:1:1 pattern costs 40");
        }
    }

    /// xorshift64*: the same "random" symbols on every run.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    #[test]
    fn the_fast_penalty_equals_the_plain_one_on_every_mask_of_every_version_issue_10() {
        // URLs of every length from a short link to version 40 at each level: every mask of
        // every symbol scores the same both ways, so the chosen mask is the same.
        let mut state = 0x9e37_79b9_7f4a_7c15;
        let mut versions = std::collections::BTreeSet::new();
        for n in 0..300 {
            let length = match n % 3 {
                0 => 20 + n % 60,         // short links and permalinks: versions 1 to 6
                1 => 60 + (n * 7) % 200,  // long permalinks
                _ => (n * 37) % 1800 + 1, // anything up to version 40 (at level L)
            };
            let data: String = (0..length).map(|_| char::from(b'!' + (next(&mut state) % 90) as u8)).collect();
            let ec = [Ec::L, Ec::M, Ec::Q, Ec::H][n % 4];
            let Ok((canvas, version)) = unmasked(&data, ec) else { continue };
            let width = version.width() as usize;
            versions.insert(width);
            let mut scores = Vec::new();
            for mask in MASKS {
                let mut masked = canvas.clone();
                masked.apply_mask(mask);
                let dark: Vec<bool> = masked.into_colors().into_iter().map(|c| c == Color::Dark).collect();
                let fast = penalty(&dark, width);
                assert_eq!(fast, reference_penalty(&dark, width), "{} modules, mask {mask:?}", width);
                scores.push(fast);
            }
            assert!(scores.iter().any(|s| *s != scores[0]), "masks differ");
        }
        assert!(versions.len() >= 30 && versions.contains(&177), "{versions:?}");
        // Random symbols too: half, an eighth and a 32nd dark (long light runs), every word size.
        for width in [21, 63, 64, 65, 127, 128, 129, 177] {
            for density in [2, 8, 32] {
                let dark: Vec<bool> = (0..width * width).map(|_| next(&mut state).is_multiple_of(density)).collect();
                assert_eq!(penalty(&dark, width), reference_penalty(&dark, width), "{width}, 1/{density}");
            }
        }
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

    /// `qr.svg()` drawn by resvg into a white `side`² picture at (`left`, `top`), as a nested
    /// `<svg>` (how screen cards drew their code before issue 10).
    fn resvg_nested(qr: &Qr, width: u32, height: u32, left: f32, top: f32, side: f32) -> Vec<u8> {
        let nested = qr.svg("t").replacen(
            "<svg ",
            &format!("<svg x=\"{left}\" y=\"{top}\" width=\"{side}\" height=\"{side}\" "),
            1,
        );
        let svg =
            format!(r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}">{nested}</svg>"#);
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).unwrap();
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
        pixmap.data().to_vec()
    }

    #[test]
    fn a_code_drawn_into_pixels_is_the_nested_svg_resvg_draws_issue_10() {
        // Issue 10: screen cards fill the code's modules straight into the picture instead of
        // drawing a nested SVG through a layer. The pixels must be those resvg drew (module
        // edges at non-integer places included), and the code must decode.
        let url = "https://canhbao.example.vn/q/ab3x/";
        let qr = Qr::new(url, Ec::Q).unwrap();
        for (left, top, side) in [(1040.0, 130.0, 820.0), (10.3, 20.7, 301.5), (0.0, 0.0, 165.0)] {
            let (width, height) = (1920u32, 1080u32);
            let reference = resvg_nested(&qr, width, height, left, top, side);
            let mut ours = vec![255u8; reference.len()];
            qr.draw_rgba(&mut ours, width as usize, left, top, side);
            let differ = reference.chunks_exact(4).zip(ours.chunks_exact(4)).filter(|(a, b)| a != b).count();
            // At most a line of pixels along the square's outer edge may round the other way.
            assert!(differ <= 4 * side as usize, "{differ} pixels differ at {left},{top} side {side}");
            let luma: Vec<u8> = ours.chunks_exact(4).map(|p| p[0]).collect();
            let image = image::GrayImage::from_raw(width, height, luma).unwrap();
            let mut prepared = rqrr::PreparedImage::prepare(image);
            let grids = prepared.detect_grids();
            assert_eq!(grids.len(), 1, "one code found at {left},{top} side {side}");
            assert_eq!(grids[0].decode().unwrap().1, url);
        }
        // Outside the picture: clipped, no panic.
        let mut small = vec![255u8; 50 * 40 * 4];
        qr.draw_rgba(&mut small, 50, -30.0, -30.0, 200.0);
        assert!(small.chunks_exact(4).any(|p| p[0] == 0));
    }
}
