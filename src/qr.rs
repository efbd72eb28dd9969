//! QR codes: encoding a URL, and drawing it as SVG (vector, for print and inline use) and PNG
//! (for download and sharing), always with the 4-module quiet zone scanners need.

use anyhow::{Context, Result};
use image::{ImageEncoder, Luma};
use qrcode::{Color, EcLevel, QrCode};
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

/// An encoded QR code.
pub struct Qr {
    code: QrCode,
}

impl Qr {
    pub fn new(data: &str, ec: Ec) -> Result<Qr> {
        let code = QrCode::with_error_correction_level(data.as_bytes(), ec.level())
            .with_context(|| format!("cannot encode `{data}` as a QR code"))?;
        Ok(Qr { code })
    }

    /// The QR version (1..=40): 1 is 21×21 modules, each version adds 4.
    pub fn version(&self) -> i16 {
        match self.code.version() {
            qrcode::Version::Normal(v) | qrcode::Version::Micro(v) => v,
        }
    }

    /// Width in modules, quiet zone included.
    pub fn size_with_quiet_zone(&self) -> usize {
        self.code.width() + 2 * QUIET_ZONE
    }

    /// An SVG whose user unit is one module: it scales to any printed size without blurring.
    /// `title` becomes the accessible name.
    pub fn svg(&self, title: &str) -> String {
        let width = self.code.width();
        let size = self.size_with_quiet_zone();
        let colors = self.code.to_colors();
        let mut path = String::with_capacity(width * width * 3);
        for y in 0..width {
            let mut x = 0;
            while x < width {
                if colors[y * width + x] == Color::Dark {
                    let start = x;
                    while x < width && colors[y * width + x] == Color::Dark {
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
        let image = self
            .code
            .render::<Luma<u8>>()
            .quiet_zone(true)
            .module_dimensions(module_px, module_px)
            .dark_color(Luma([0]))
            .light_color(Luma([255]))
            .build();
        let mut bytes = Vec::new();
        image::codecs::png::PngEncoder::new(&mut bytes)
            .write_image(image.as_raw(), image.width(), image.height(), image::ExtendedColorType::L8)
            .context("cannot encode a QR code as PNG")?;
        Ok(bytes)
    }
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
        let dark = qr.code.to_colors().iter().filter(|c| **c == Color::Dark).count();
        assert_eq!(drawn, dark);
    }
}
