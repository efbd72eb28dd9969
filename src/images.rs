//! Image processing for phones on slow networks: the photos and screenshots that articles and
//! pages show are re-encoded at build time at a few widths ([`WIDTHS`]), upright (the EXIF
//! orientation is applied to the pixels) and without metadata: a re-encoding carries no EXIF, so
//! no GPS position of the phone that took the photo reaches the site.
//!
//! What an image becomes depends on its extension ([`Treatment::of`]):
//!
//! - `.jpg`, `.jpeg`: a photo, re-encoded as JPEG at quality [`JPEG_QUALITY`];
//! - `.png`: a screenshot (of a scam SMS, a fake banking app): re-encoded as PNG (lossless, so
//!   the text stays sharp) **and** as lossless WebP, which is usually a quarter smaller. Pages
//!   offer the WebP in a `<picture>` and keep the PNG as the fallback: the KaiOS feature phones
//!   still sold in Vietnam run a Firefox 48 engine without WebP;
//! - anything else (SVG, GIF, WebP, …): shown as it is (SVG scales by itself; GIFs may move).
//!
//! This module is the pure part: sizes, names and the encoding of one rendition. Which files a
//! page shows and where they go is decided in the model ([`crate::pictures`]); the renditions
//! are encoded at render time, in parallel and cached by content hash
//! ([`crate::render::renditions`]).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use anyhow::Result;
use image::{DynamicImage, ImageDecoder, ImageReader, imageops::FilterType};
use serde::Serialize;

/// The widths (in pixels) a picture is offered at; wider ones than the original are dropped.
pub const WIDTHS: [u32; 3] = [480, 800, 1200];

/// The width of the `<img src>` rendition, for browsers without `srcset` (the largest one not
/// above it). The content column is about 720 CSS pixels wide.
pub const DEFAULT_WIDTH: u32 = 800;

/// The `sizes` attribute: the picture fills the screen on phones, and the content column
/// (`.wrap`, 70ch: about 720 px at the theme's font size) on larger screens.
pub const SIZES: &str = "(max-width: 720px) 100vw, 720px";

/// JPEG quality of photos: no visible loss at phone resolutions, about a tenth of the original.
pub const JPEG_QUALITY: u8 = 80;

/// Part of every cache key: change it whenever the encoding changes (filter, quality,
/// compression), so renditions cached by an older canhbao are made again.
pub const ENCODER_VERSION: &str = "img-v1";

/// An output format of a re-encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The file extension of its renditions.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// What the build does with an image a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Treatment {
    /// JPEG in, JPEG renditions out.
    Photo,
    /// PNG in, PNG and lossless WebP renditions out.
    Screenshot,
    /// Shown and copied as it is (SVG, GIF, WebP and anything else).
    AsIs,
}

impl Treatment {
    /// By the file's extension (case-insensitive).
    pub fn of(file_name: &str) -> Treatment {
        let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "jpg" | "jpeg" => Treatment::Photo,
            "png" => Treatment::Screenshot,
            _ => Treatment::AsIs,
        }
    }

    /// The formats of its renditions: the `<img>` fallback first.
    pub fn formats(self) -> &'static [Format] {
        match self {
            Treatment::Photo => &[Format::Jpeg],
            Treatment::Screenshot => &[Format::Png, Format::WebP],
            Treatment::AsIs => &[],
        }
    }
}

/// The size of an image as it is shown: upright, after its EXIF orientation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// Reads the size and orientation of an image file (its header only, not its pixels).
pub fn inspect(path: &Path) -> Result<Size> {
    let reader = ImageReader::open(path)?.with_guessed_format()?;
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let (width, height) = decoder.dimensions();
    anyhow::ensure!(width > 0 && height > 0, "the image is empty ({width}×{height} pixels)");
    Ok(upright(width, height, orientation))
}

/// The size after applying an EXIF orientation (the four that turn the image a quarter swap
/// width and height).
fn upright(width: u32, height: u32, orientation: image::metadata::Orientation) -> Size {
    use image::metadata::Orientation::*;
    match orientation {
        Rotate90 | Rotate270 | Rotate90FlipH | Rotate270FlipH => Size { width: height, height: width },
        NoTransforms | Rotate180 | FlipHorizontal | FlipVertical => Size { width, height },
    }
}

/// The widths to offer for an image `original` pixels wide: those of [`WIDTHS`] below it, and
/// the original itself when it is narrower than the largest (a picture is never enlarged).
pub fn widths(original: u32) -> Vec<u32> {
    let largest = WIDTHS[WIDTHS.len() - 1];
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w <= original).collect();
    if original < largest && !widths.contains(&original) {
        widths.push(original);
    }
    widths
}

/// The height of a rendition `width` pixels wide of an image of `size`, keeping its aspect
/// ratio (rounded, at least 1).
pub fn height_at(size: Size, width: u32) -> u32 {
    let exact = u64::from(size.height) * u64::from(width);
    let rounded = (exact + u64::from(size.width) / 2) / u64::from(size.width);
    u32::try_from(rounded).unwrap_or(u32::MAX).max(1)
}

/// The file name of a rendition: `anh-bia.jpg` at 480 px is `anh-bia-480w.jpg`.
pub fn rendition_name(file_name: &str, width: u32, format: Format) -> String {
    let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
    format!("{stem}-{width}w.{}", format.ext())
}

/// Which of `widths` (ascending) the `<img src>` uses: the largest not above
/// [`DEFAULT_WIDTH`], else the smallest.
pub fn default_width(widths: &[u32]) -> Option<u32> {
    widths.iter().copied().filter(|&w| w <= DEFAULT_WIDTH).max().or_else(|| widths.iter().copied().min())
}

/// One re-encoding of a source image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendition {
    pub source: PathBuf,
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

impl Rendition {
    /// The cache key: the source's content hash, the size, the format and [`ENCODER_VERSION`].
    pub fn cache_key(&self, source_hash: &str) -> String {
        crate::cache::Cache::key(&[
            ENCODER_VERSION.as_bytes(),
            source_hash.as_bytes(),
            &self.width.to_le_bytes(),
            &self.height.to_le_bytes(),
            self.format.ext().as_bytes(),
        ])
    }
}

/// Decodes an image file's bytes and turns it upright (EXIF orientation).
pub fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    let mut decoder = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Resizes an upright image to `width`×`height` and encodes it as `format`. Nothing of the
/// source's metadata is written.
pub fn encode(image: &DynamicImage, width: u32, height: u32, format: Format) -> Result<Vec<u8>> {
    let resized = if (image.width(), image.height()) == (width, height) {
        image.clone()
    } else {
        image.resize_exact(width, height, FilterType::Lanczos3)
    };
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(resized.into_rgb8());
            rgb.write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            eight_bit(resized).write_with_encoder(encoder)?;
        }
        Format::WebP => {
            eight_bit(resized).write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out))?;
        }
    }
    Ok(out)
}

/// The image with 8 bits a channel (the WebP encoder takes nothing else; PNG screenshots
/// never need more), keeping grey as grey and dropping an alpha channel only when absent.
fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.into_rgba8()),
        other => DynamicImage::ImageRgb8(other.into_rgb8()),
    }
}

/// How an article or page shows a re-encoded picture: the `<img>` (and a WebP `<source>`).
/// `width` and `height` are those of the `src` rendition; every rendition has its aspect ratio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Picture {
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `srcset` of the `<img>`, in the fallback format (JPEG or PNG).
    pub srcset: String,
    /// `srcset` of a `<source type="image/webp">`, when there is a WebP version.
    pub webp_srcset: Option<String>,
    pub sizes: &'static str,
}

/// How the browser should load a picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loading {
    /// Below the fold, or in a list: only when scrolled near.
    Lazy,
    /// The largest thing at the top of the page (an article's cover): at once, first.
    Eager,
}

impl Picture {
    /// The HTML of the picture: an `<img>`, inside a `<picture>` when a WebP version exists.
    pub fn html(&self, alt: &str, title: &str, loading: Loading) -> String {
        let mut html = String::new();
        if let Some(webp) = &self.webp_srcset {
            html.push_str("<picture><source type=\"image/webp\" srcset=\"");
            push_attr(&mut html, webp);
            html.push_str("\" sizes=\"");
            html.push_str(self.sizes);
            html.push_str("\">");
        }
        html.push_str("<img src=\"");
        push_attr(&mut html, &self.src);
        html.push_str("\" srcset=\"");
        push_attr(&mut html, &self.srcset);
        html.push_str(&format!(
            "\" sizes=\"{}\" width=\"{}\" height=\"{}\" alt=\"",
            self.sizes, self.width, self.height
        ));
        push_alt_title(&mut html, alt, title);
        html.push_str(match loading {
            Loading::Lazy => " loading=\"lazy\" decoding=\"async\">",
            Loading::Eager => " loading=\"eager\" fetchpriority=\"high\" decoding=\"async\">",
        });
        if self.webp_srcset.is_some() {
            html.push_str("</picture>");
        }
        html
    }
}

/// An `<img>` of a file shown as it is (SVG, GIF), loaded lazily.
pub fn plain_html(src: &str, alt: &str, title: &str) -> String {
    let mut html = String::from("<img src=\"");
    let _ = pulldown_cmark_escape::escape_href(&mut html, src);
    html.push_str("\" alt=\"");
    push_alt_title(&mut html, alt, title);
    html.push_str(" loading=\"lazy\" decoding=\"async\">");
    html
}

/// The value of an open `alt="` attribute, its closing quote, and a `title` attribute if any.
fn push_alt_title(html: &mut String, alt: &str, title: &str) {
    push_attr(html, alt);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_attr(html, title);
        html.push('"');
    }
}

fn push_attr(html: &mut String, value: &str) {
    let _ = pulldown_cmark_escape::escape_html(html, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_enlarge_and_include_a_narrow_original() {
        assert_eq!(widths(4000), [480, 800, 1200]);
        assert_eq!(widths(1200), [480, 800, 1200]);
        assert_eq!(widths(1000), [480, 800, 1000]);
        assert_eq!(widths(800), [480, 800]);
        assert_eq!(widths(600), [480, 600]);
        assert_eq!(widths(480), [480]);
        assert_eq!(widths(300), [300]);
        assert_eq!(widths(1), [1]);
    }

    #[test]
    fn src_is_the_largest_rendition_up_to_the_default_width() {
        assert_eq!(default_width(&[480, 800, 1200]), Some(800));
        assert_eq!(default_width(&[480, 600]), Some(600));
        assert_eq!(default_width(&[300]), Some(300));
        assert_eq!(default_width(&[]), None);
    }

    #[test]
    fn heights_keep_the_aspect_ratio() {
        let size = Size { width: 4000, height: 3000 };
        assert_eq!(height_at(size, 480), 360);
        assert_eq!(height_at(size, 1200), 900);
        assert_eq!(height_at(Size { width: 1000, height: 333 }, 480), 160);
        assert_eq!(height_at(Size { width: 3000, height: 1 }, 480), 1, "never zero");
    }

    #[test]
    fn names_and_treatments() {
        assert_eq!(rendition_name("anh-bia.jpg", 480, Format::Jpeg), "anh-bia-480w.jpg");
        assert_eq!(rendition_name("Ảnh.JPEG", 800, Format::Jpeg), "Ảnh-800w.jpg");
        assert_eq!(rendition_name("tin-nhan.png", 1200, Format::WebP), "tin-nhan-1200w.webp");
        assert_eq!(rendition_name("khong-duoi", 480, Format::Png), "khong-duoi-480w.png");
        assert_eq!(Treatment::of("a.JPG"), Treatment::Photo);
        assert_eq!(Treatment::of("a.png"), Treatment::Screenshot);
        assert_eq!(Treatment::of("a.svg"), Treatment::AsIs);
        assert_eq!(Treatment::of("a.gif"), Treatment::AsIs);
        assert_eq!(Treatment::of("khong-duoi"), Treatment::AsIs);
    }

    #[test]
    fn orientation_swaps_the_size() {
        use image::metadata::Orientation;
        assert_eq!(upright(400, 300, Orientation::Rotate90), Size { width: 300, height: 400 });
        assert_eq!(upright(400, 300, Orientation::Rotate180), Size { width: 400, height: 300 });
    }

    #[test]
    fn encodes_at_the_asked_size_in_the_asked_format() {
        let image = DynamicImage::ImageRgb8(image::RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([x as u8 * 4, y as u8 * 5, 90])
        }));
        for format in [Format::Jpeg, Format::Png, Format::WebP] {
            let bytes = encode(&image, 32, 24, format).unwrap();
            let back = image::load_from_memory(&bytes).unwrap();
            assert_eq!((back.width(), back.height()), (32, 24), "{format:?}");
        }
    }

    #[test]
    fn picture_html_escapes_and_offers_webp() {
        let picture = Picture {
            src: "a-800w.png".into(),
            width: 800,
            height: 600,
            srcset: "a-480w.png 480w, a-800w.png 800w".into(),
            webp_srcset: Some("a-480w.webp 480w, a-800w.webp 800w".into()),
            sizes: SIZES,
        };
        let html = picture.html("Tin nhắn \"giả\"", "", Loading::Lazy);
        assert!(
            html.starts_with("<picture><source type=\"image/webp\" srcset=\"a-480w.webp 480w, a-800w.webp 800w\""),
            "{html}"
        );
        assert!(html.contains("alt=\"Tin nhắn &quot;giả&quot;\""), "{html}");
        assert!(html.ends_with("loading=\"lazy\" decoding=\"async\"></picture>"), "{html}");
    }
}
