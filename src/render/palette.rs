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
//! The passes over the pixels compare whole pixels as numbers and skip a row that repeats the
//! one above (most rows of a card: background and bands): on a screen card this took the
//! encoding from 12.3 to 6.9 ms (fastest of 20, same bytes). Compression: zlib level 5 with no
//! row filter; measured before the row skipping with `examples/palette_encode.rs` on a social card
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

/// Encodes opaque `rgba` pixels (`width` × `height`, 4 bytes each, alpha ignored) as an indexed
/// PNG.
pub fn encode(rgba: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let width = width as usize;
    let (palette, index) = quantise(rgba, width);
    let small = palette.len() <= SMALL;
    let data = indexes(rgba, width, &index, small);
    let mut png = Vec::with_capacity(32 * 1024);
    let mut encoder = png::Encoder::new(&mut png, width as u32, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(if small { png::BitDepth::Four } else { png::BitDepth::Eight });
    encoder.set_palette(palette.iter().flatten().copied().collect::<Vec<u8>>());
    encoder.set_deflate_compression(png::DeflateCompression::Level(5));
    encoder.set_filter(png::Filter::NoFilter);
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

/// The runs of one colour in a row of pixels: (colour, length).
fn runs(row: &[u8], out: &mut Vec<(u32, usize)>) {
    out.clear();
    for p in row.chunks_exact(4) {
        let colour = key(p);
        match out.last_mut() {
            Some((last, n)) if *last == colour => *n += 1,
            _ => out.push((colour, 1)),
        }
    }
}

/// The palette of `rgba` (rows of `width` pixels) and the palette index of each of its colours
/// (by [`key`]). A row the same as the one above (most of a card: background, bands) is not
/// read again: its runs are counted again.
fn quantise(rgba: &[u8], width: usize) -> (Vec<[u8; 3]>, FxHashMap<u32, u8>) {
    let mut counts: FxHashMap<u32, usize> = FxHashMap::default();
    let mut row_runs = Vec::new();
    let mut above: Option<&[u8]> = None;
    for row in rgba.chunks_exact(width.max(1) * 4) {
        if above != Some(row) {
            runs(row, &mut row_runs);
        }
        for &(colour, n) in &row_runs {
            *counts.entry(colour).or_default() += n;
        }
        above = Some(row);
    }
    let mut colours: Vec<(u32, usize)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(pack(a.0).cmp(&pack(b.0))));
    let total = (rgba.len() / 4) as f64;
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
/// high nibble first, each row starting on a byte). A row the same as the one above is copied.
fn indexes(rgba: &[u8], width: usize, index: &FxHashMap<u32, u8>, small: bool) -> Vec<u8> {
    let width = width.max(1);
    let row_bytes = if small { width.div_ceil(2) } else { width };
    let rows = rgba.len() / 4 / width;
    let mut data = vec![0u8; row_bytes * rows];
    let mut last = (u32::MAX, 0u8);
    for (y, row) in rgba.chunks_exact(width * 4).enumerate() {
        let (done, rest) = data.split_at_mut(y * row_bytes);
        let out = &mut rest[..row_bytes];
        if y > 0 && rgba[(y - 1) * width * 4..y * width * 4] == *row {
            out.copy_from_slice(&done[(y - 1) * row_bytes..]);
            continue;
        }
        for (x, p) in row.chunks_exact(4).enumerate() {
            let colour = key(p);
            if colour != last.0 {
                last = (colour, index[&colour]);
            }
            if small {
                out[x / 2] |= last.1 << if x % 2 == 0 { 4 } else { 0 };
            } else {
                out[x] = last.1;
            }
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
        let (depth, decoded) = decode(&encode(&rgba(&rgb), 41, 30).unwrap());
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
        let (depth, decoded) = decode(&encode(&rgba(&rgb), w, h).unwrap());
        assert_eq!(depth, png::BitDepth::Eight, "more than 16 colours needed to cover the pixels");
        assert_eq!(decoded[..(19 * w * 3) as usize], rgb[..(19 * w * 3) as usize]);
        let worst = decoded.iter().zip(&rgb).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 8, "largest channel error {worst}");
    }

    #[test]
    fn the_same_picture_gives_the_same_bytes() {
        let rgba: Vec<u8> = (0..300u64 * 300 * 4).map(|i| ((i * 7919) % 251) as u8).collect();
        assert_eq!(encode(&rgba, 300, 300).unwrap(), encode(&rgba, 300, 300).unwrap());
    }
}
