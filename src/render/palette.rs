//! Indexed (palette) PNG for pictures made of a few flat colours and their anti-aliased edges,
//! such as social cards: a third of the size of the same picture as RGB.
//!
//! The palette keeps the most frequent colours exactly (every flat colour of a card: the
//! background, bands, text), so brand colours never shift; rarer colours (anti-aliasing shades
//! at glyph edges) are drawn with the nearest colour kept. When 16 colours cover
//! [`SMALL_COVERAGE`] of the pixels (a card of the default theme: a dozen flat colours and their
//! edges), the palette holds 16 and the PNG stores 4 bits a pixel; otherwise it holds as many as
//! cover [`COVERAGE`], at most 256. General-purpose quantisers (NeuQuant, k-means) approximate every colour, flat
//! ones included, and cost far more: these pictures do not need them. Ties are broken by colour
//! value, so the same picture always gives the same bytes.
//!
//! The pixels are read once, into runs of one colour ([`Runs`]), skipping a row that repeats the
//! one above (most rows of a card: background and bands); counting colours and writing the
//! indexes then work a run at a time (issue 10: a cold build of 200 articles went from 4.15 to
//! 3.52 s of CPU, same bytes; before, reading pixels twice and skipping repeated rows had taken
//! a screen card from 12.3 to 6.9 ms). Compression: see [`Compression`]. Before issue 10 every
//! picture took zlib level 5 with no row filter, measured before the row skipping with `examples/palette_encode.rs` on a social card
//! (1200×630) and a screen card (1920×1080) of the default theme, 4 bits a pixel, level 3 gives
//! 26.0 / 50.7 KB in 3.0 / 7.3 ms, level 5 23.1 / 37.8 KB in 3.6 / 8.2 ms, level 6 22.9 / 36.8 KB
//! in 4.2 / 9.3 ms, level 9 21.8 / 33.2 KB in 18 / 35 ms, fdeflate's fastest mode 139 / 433 KB
//! (it suits filtered 8-bit rows, not packed indexes). Cards are cached, so each is drawn once
//! per title.

use anyhow::Result;
use rustc_hash::FxHashMap;

/// Most colours a PNG palette holds.
const MAX_COLOURS: usize = 256;
/// Colours of a 4-bit palette.
const SMALL: usize = 16;
/// Share of the pixels 16 colours must keep exactly for a 4-bit palette.
const SMALL_COVERAGE: f64 = 0.98;
/// Share of the pixels whose colour a larger palette keeps exactly.
const COVERAGE: f64 = 0.995;

/// Names this encoding in the cache keys of the pictures it makes, so that a new one draws them
/// again.
pub const ENCODING: &str = "palette-v2-zlib5";

/// How a picture's indexes are compressed: what the picture is for decides. Measured with
/// `examples/encode_options.rs` on five social and five screen cards of the bench corpus (issue
/// 10; means): social card, level 5 without filter 1.83 ms, 26.3 KB; level 4 1.44 ms, 28.2 KB;
/// level 3 1.13 ms, 29.5 KB; with the "Up" filter 1.84 ms, 30.8 KB. Screen card, level 5
/// without filter 3.98 ms, 46.5 KB; level 3 with "Up" 1.83 ms, 46.3 KB; level 5 with "Up"
/// 2.98 ms, 43.0 KB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// zlib level 5, rows unfiltered: the smallest social cards for their time (each article's
    /// social card and QR codes must stay within 40 KB, issue 10).
    Small,
    /// zlib level 3, each row stored as its difference from the row above (PNG's "Up" filter):
    /// a screen card (large type, a QR code whose rows repeat) as small as at level 5 without
    /// filter, in half the time.
    Quick,
}

impl Compression {
    /// Names the compression in the cache keys of the pictures it makes.
    pub fn name(self) -> &'static str {
        match self {
            Compression::Small => "zlib5",
            Compression::Quick => "zlib3-up",
        }
    }
}

/// Encodes opaque `rgba` pixels (`width` × `height`, 4 bytes each, alpha ignored) as an indexed
/// PNG.
pub fn encode(rgba: &[u8], width: u32, height: u32, compression: Compression) -> Result<Vec<u8>> {
    let width = width as usize;
    let runs = Runs::new(rgba, width);
    let (palette, index) = quantise(&runs, rgba.len() / 4);
    let small = palette.len() <= SMALL;
    let data = indexes(&runs, width, &index, small);
    let mut png = Vec::with_capacity(32 * 1024);
    let mut encoder = png::Encoder::new(&mut png, width as u32, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(if small { png::BitDepth::Four } else { png::BitDepth::Eight });
    encoder.set_palette(palette.iter().flatten().copied().collect::<Vec<u8>>());
    let (level, filter) = match compression {
        Compression::Small => (5, png::Filter::NoFilter),
        Compression::Quick => (3, png::Filter::Up),
    };
    encoder.set_deflate_compression(png::DeflateCompression::Level(level));
    encoder.set_filter(filter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(png)
}

/// A pixel's colour as one number, read straight from its four bytes (alpha dropped): cheap to
/// hash and compare. Not ordered like 0xRRGGBB: see [`pack`].
fn key(p: &[u8]) -> u32 {
    u32::from_le_bytes([p[0], p[1], p[2], p[3]]) & 0x00ff_ffff
}

/// A [`key`] as 0xRRGGBB, the order ties are broken in.
fn pack(key: u32) -> u32 {
    let [r, g, b, _] = key.to_le_bytes();
    (u32::from(r) << 16) | (u32::from(g) << 8) | u32::from(b)
}

fn unpack(key: u32) -> [u8; 3] {
    let [r, g, b, _] = key.to_le_bytes();
    [r, g, b]
}

/// The pixels of a picture as runs of one colour, read once: every pass after the first works
/// on runs, not pixels (a card is mostly long runs: background, bands, glyph interiors).
struct Runs {
    /// (colour by [`key`], length) of every distinct row, one row after the other.
    runs: Vec<(u32, u32)>,
    /// Each row's runs, as a range of `runs`: a row the same as the one above (most rows of a
    /// card) has the same range and was not read again.
    rows: Vec<std::ops::Range<usize>>,
}

impl Runs {
    fn new(rgba: &[u8], width: usize) -> Runs {
        let mut runs: Vec<(u32, u32)> = Vec::new();
        let mut rows: Vec<std::ops::Range<usize>> = Vec::new();
        let mut above: Option<&[u8]> = None;
        for row in rgba.chunks_exact(width.max(1) * 4) {
            if above == Some(row) {
                let same = rows.last().cloned().unwrap_or_default();
                rows.push(same);
                continue;
            }
            let start = runs.len();
            let mut pixels = row.chunks_exact(4).map(key);
            let mut run = (pixels.next().unwrap_or_default(), 1u32);
            for colour in pixels {
                if colour == run.0 {
                    run.1 += 1;
                } else {
                    runs.push(run);
                    run = (colour, 1);
                }
            }
            runs.push(run);
            rows.push(start..runs.len());
            above = Some(row);
        }
        Runs { runs, rows }
    }

    /// The runs of each row.
    fn rows(&self) -> impl Iterator<Item = &[(u32, u32)]> {
        self.rows.iter().map(|r| &self.runs[r.clone()])
    }
}

/// The palette of a picture (its [`Runs`], `total` pixels) and the palette index of each of its
/// colours (by [`key`]).
fn quantise(runs: &Runs, total: usize) -> (Vec<[u8; 3]>, FxHashMap<u32, u8>) {
    let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
    for row in runs.rows() {
        for &(colour, n) in row {
            *counts.entry(colour).or_default() += n as usize;
        }
    }
    let mut colours: Vec<(u32, usize)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(pack(a.0).cmp(&pack(b.0))));
    let total = total as f64;
    let small: usize = colours.iter().take(SMALL).map(|c| c.1).sum();
    let size = if small as f64 >= SMALL_COVERAGE * total {
        SMALL.min(colours.len())
    } else {
        let mut covered = 0;
        colours
            .iter()
            .position(|&(_, n)| {
                covered += n;
                covered as f64 >= COVERAGE * total
            })
            .map_or(colours.len(), |i| i + 1)
            .min(MAX_COLOURS)
    };
    let palette: Vec<[u8; 3]> = colours[..size].iter().map(|c| unpack(c.0)).collect();
    let index = colours
        .iter()
        .enumerate()
        .map(|(i, &(colour, _))| (colour, if i < size { i as u8 } else { nearest(&palette, unpack(colour)) }))
        .collect();
    (palette, index)
}

/// The image data of the PNG: each pixel's palette index, one a byte, or two a byte (`small`,
/// high nibble first, each row starting on a byte), written a run at a time. A row the same as
/// the one above is copied.
fn indexes(runs: &Runs, width: usize, index: &FxHashMap<u32, u8>, small: bool) -> Vec<u8> {
    let width = width.max(1);
    let row_bytes = if small { width.div_ceil(2) } else { width };
    let mut data = vec![0u8; row_bytes * runs.rows.len()];
    for (y, range) in runs.rows.iter().enumerate() {
        let (done, rest) = data.split_at_mut(y * row_bytes);
        let out = &mut rest[..row_bytes];
        if y > 0 && runs.rows[y - 1] == *range {
            out.copy_from_slice(&done[(y - 1) * row_bytes..]);
            continue;
        }
        let mut x = 0;
        for &(colour, n) in &runs.runs[range.clone()] {
            let (v, end) = (index[&colour], x + n as usize);
            if !small {
                out[x..end].fill(v);
            } else {
                if x % 2 == 1 {
                    out[x / 2] |= v;
                    x += 1;
                }
                let pairs_end = x + (end - x) / 2 * 2;
                out[x / 2..pairs_end / 2].fill((v << 4) | v);
                if pairs_end < end {
                    out[pairs_end / 2] |= v << 4;
                }
            }
            x = end;
        }
    }
    data
}

/// Index of the colour of `palette` closest to `colour` (squared distance in RGB).
fn nearest(palette: &[[u8; 3]], colour: [u8; 3]) -> u8 {
    let distance =
        |p: &[u8; 3]| -> u32 { (0..3).map(|k| (i32::from(p[k]) - i32::from(colour[k])).pow(2) as u32).sum() };
    palette.iter().enumerate().min_by_key(|(i, p)| (distance(p), *i)).map_or(0, |(i, _)| i as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RGB pixels as the opaque RGBA that [`encode`] takes.
    fn rgba(rgb: &[u8]) -> Vec<u8> {
        rgb.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()
    }

    fn decode(png: &[u8]) -> (png::BitDepth, Vec<u8>) {
        let decoder = image::codecs::png::PngDecoder::new(std::io::Cursor::new(png)).unwrap();
        let (w, h) = image::ImageDecoder::dimensions(&decoder);
        let mut rgb = vec![0; (w * h * 3) as usize];
        image::ImageDecoder::read_image(decoder, &mut rgb).unwrap();
        let reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        assert_eq!(reader.info().color_type, png::ColorType::Indexed);
        (reader.info().bit_depth, rgb)
    }

    #[test]
    fn few_colours_come_back_exactly_in_four_bits() {
        // Three flat stripes, 41 px wide (odd: the last byte of a row holds one pixel).
        let mut rgb = Vec::new();
        for colour in [[255, 255, 255], [185, 28, 28], [17, 24, 39]] {
            for _ in 0..41 * 10 {
                rgb.extend_from_slice(&colour);
            }
        }
        let (depth, decoded) = decode(&encode(&rgba(&rgb), 41, 30, Compression::Small).unwrap());
        assert_eq!(depth, png::BitDepth::Four);
        assert_eq!(decoded, rgb);
    }

    #[test]
    fn many_colours_keep_the_frequent_ones_and_stay_close() {
        // A flat background with a gradient of 600 rare shades: the background stays exact,
        // every shade close to its original.
        let (w, h) = (600u32, 20u32);
        let mut rgb = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let c = if y < 19 { [29, 78, 216] } else { [(x * 255 / w) as u8, 100, (255 - x * 255 / w) as u8] };
                rgb.extend_from_slice(&c);
            }
        }
        let (depth, decoded) = decode(&encode(&rgba(&rgb), w, h, Compression::Quick).unwrap());
        assert_eq!(depth, png::BitDepth::Eight, "more than 16 colours needed to cover the pixels");
        assert_eq!(decoded[..(19 * w * 3) as usize], rgb[..(19 * w * 3) as usize]);
        let worst = decoded.iter().zip(&rgb).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 8, "largest channel error {worst}");
    }

    #[test]
    fn the_same_picture_gives_the_same_bytes() {
        let rgba: Vec<u8> = (0..300u64 * 300 * 4).map(|i| ((i * 7919) % 251) as u8).collect();
        for c in [Compression::Small, Compression::Quick] {
            assert_eq!(encode(&rgba, 300, 300, c).unwrap(), encode(&rgba, 300, 300, c).unwrap());
        }
    }
}
