//! Indexed PNGs compressed in bands of rows, each band on its own, so that a band already
//! compressed in this build is copied instead of compressed again (issue 10).
//!
//! The cards of a build share most of their rows: every row with no text is the background's,
//! and the rows of the label, the site name and the hotline are the same on every card. The
//! image data is cut into bands of [`BAND_ROWS`] rows; each band is compressed as raw deflate
//! from a fresh state and ended with a full flush (byte-aligned, no reference to another band),
//! so its bytes depend on its rows alone. A PNG's zlib stream is then the header, the bands one
//! after the other, an empty final block and the Adler-32 of all the rows (combined from each
//! band's). [`Bands`] keeps the bands compressed in a build, keyed by their bytes (a hash, then
//! an exact comparison: two different bands never share an entry); a band is kept only when it
//! is seen a second time, so the rows unique to one card (its title, its QR code) leave only a
//! hash behind.
//!
//! Each row is stored unfiltered or, within a band, as its difference from the row above
//! (PNG's "Up" filter; a band's first row unfiltered, so the band stays on its own): see
//! [`Packing`] for what was measured.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use flate2::{Compress, FlushCompress, Status};
use rustc_hash::FxBuildHasher;

/// Rows of a band.
pub const BAND_ROWS: usize = 32;

/// How rows are filtered and compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Packing {
    /// zlib level.
    pub level: u32,
    /// Rows after a band's first stored as their difference from the row above.
    pub up: bool,
}

/// A band compressed: its deflate bytes, and the length and Adler-32 of its rows.
#[derive(Debug)]
pub struct Packed {
    deflated: Vec<u8>,
    len: usize,
    adler: u32,
}

impl Packing {
    /// The packing of pictures compressed `compression`ly.
    pub fn of(compression: super::palette::Compression) -> Packing {
        match compression {
            super::palette::Compression::Small => Packing { level: 5, up: false },
            super::palette::Compression::Quick => Packing { level: 3, up: true },
        }
    }
}

impl Packed {
    /// `raw` (filtered rows) compressed from a fresh state, ended by a full flush.
    pub fn new(raw: &[u8], level: u32) -> Result<Packed> {
        let deflated = DEFLATE.with(|cell| -> Result<Vec<u8>> {
            let mut compressors = cell.borrow_mut();
            let compress = match compressors.iter().position(|(l, _)| *l == level) {
                Some(i) => &mut compressors[i].1,
                None => {
                    compressors.push((level, Compress::new(flate2::Compression::new(level), false)));
                    &mut compressors.last_mut().expect("just pushed").1
                }
            };
            compress.reset();
            let mut out = Vec::with_capacity(raw.len() / 8 + 64);
            loop {
                let done = compress.total_in() as usize;
                let status = compress.compress_vec(&raw[done..], &mut out, FlushCompress::Full)?;
                // The flush is complete when input is used up and room was left in `out`.
                if compress.total_in() as usize == raw.len() && out.len() < out.capacity() {
                    break;
                }
                if status == Status::BufError || out.len() == out.capacity() {
                    out.reserve(out.capacity().max(1024));
                }
            }
            Ok(out)
        })?;
        Ok(Packed { deflated, len: raw.len(), adler: simd_adler32::adler32(&raw) })
    }
}

thread_local! {
    /// A compressor per zlib level and thread, reset before each band (its tables are reused).
    static DEFLATE: std::cell::RefCell<Vec<(u32, Compress)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Bands kept: (packing, rows) and the compressed band, by hash.
type Kept = HashMap<u64, Vec<(Packing, Box<[u8]>, Arc<Packed>)>>;

/// Slots of the table of bands seen once.
const SEEN_SLOTS: usize = 1 << 16;
/// Most bytes (rows and their compressed form) of the bands kept: a build of 10,000 articles
/// must stay within 400 MiB (issue 10), and a title's rows may repeat on a few cards without
/// being worth keeping for the rest of the build.
const KEPT_BYTES: usize = 8 << 20;

/// The bands compressed so far in a build, shared by its threads.
pub struct Bands {
    /// Hashes of bands seen, one a slot (a newer one takes an older one's slot: a band
    /// forgotten is only compressed again): 512 KiB however many cards a build draws.
    seen: Mutex<Vec<u64>>,
    /// Bands seen twice or more, and their bytes.
    kept: Mutex<(Kept, usize)>,
}

impl Default for Bands {
    fn default() -> Bands {
        Bands { seen: Mutex::new(vec![0; SEEN_SLOTS]), kept: Mutex::default() }
    }
}

impl Bands {
    /// `raw` compressed with `packing`: copied when the same bytes were compressed before and
    /// kept, else compressed (and kept when seen before).
    pub fn pack(&self, raw: &[u8], packing: Packing) -> Result<Arc<Packed>> {
        let hash = {
            let mut h = FxBuildHasher.build_hasher();
            h.write(raw);
            h.write_u32(packing.level);
            h.write_u8(u8::from(packing.up));
            h.finish()
        };
        let found = |kept: &Kept| {
            kept.get(&hash)?.iter().find(|(p, bytes, _)| *p == packing && **bytes == *raw).map(|k| k.2.clone())
        };
        if let Some(packed) = self.kept.lock().ok().and_then(|k| found(&k.0)) {
            return Ok(packed);
        }
        let again = self.seen.lock().is_ok_and(|mut seen| {
            let slot = &mut seen[hash as usize % SEEN_SLOTS];
            std::mem::replace(slot, hash) == hash
        });
        let packed = Arc::new(Packed::new(raw, packing.level)?);
        if again && let Ok(mut kept) = self.kept.lock() {
            if let Some(other) = found(&kept.0) {
                return Ok(other);
            }
            let bytes = raw.len() + packed.deflated.len();
            if kept.1 + bytes <= KEPT_BYTES {
                kept.1 += bytes;
                kept.0.entry(hash).or_default().push((packing, raw.into(), packed.clone()));
            }
        }
        Ok(packed)
    }

    /// Number of bands kept (for tests).
    pub fn kept(&self) -> usize {
        self.kept.lock().map(|k| k.0.values().map(Vec::len).sum()).unwrap_or(0)
    }
}

/// The stored bytes of rows `rows` of `indexes` (one palette index a byte, `width` a row): a
/// filter byte, then each index, or two a byte (`four_bits`, high nibble first).
pub fn raw_rows(indexes: &[u8], width: usize, rows: std::ops::Range<usize>, four_bits: bool, up: bool) -> Vec<u8> {
    let row_bytes = if four_bits { width.div_ceil(2) } else { width };
    let mut raw = vec![0u8; (row_bytes + 1) * rows.len()];
    // The row above, as stored before filtering.
    let mut above: Option<Vec<u8>> = None;
    for (out, y) in raw.chunks_exact_mut(row_bytes + 1).zip(rows) {
        let (filter, data) = out.split_first_mut().expect("a filter byte");
        let row = &indexes[y * width..(y + 1) * width];
        if four_bits {
            for (byte, pair) in data.iter_mut().zip(row.chunks(2)) {
                *byte = (pair[0] << 4) | pair.get(1).copied().unwrap_or(0);
            }
        } else {
            data.copy_from_slice(row);
        }
        if !up {
            continue;
        }
        let current = data.to_vec();
        if let Some(above) = &above {
            *filter = 2;
            for (d, a) in data.iter_mut().zip(above) {
                *d = d.wrapping_sub(*a);
            }
        }
        above = Some(current);
    }
    raw
}

/// An indexed PNG of `width` × `height` whose rows are `bands` in order.
pub fn png(width: u32, height: u32, palette: &[[u8; 3]], four_bits: bool, bands: &[Arc<Packed>]) -> Vec<u8> {
    let mut zlib = Vec::with_capacity(bands.iter().map(|b| b.deflated.len()).sum::<usize>() + 16);
    zlib.extend_from_slice(&[0x78, 0x01]);
    let mut adler = 1;
    for band in bands {
        zlib.extend_from_slice(&band.deflated);
        adler = adler32_combine(adler, band.adler, band.len);
    }
    // An empty final stored block, then the checksum of every row.
    zlib.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    zlib.extend_from_slice(&adler.to_be_bytes());
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[if four_bits { 4 } else { 8 }, 3, 0, 0, 0]);
    let mut png = Vec::with_capacity(zlib.len() + palette.len() * 3 + 64);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    chunk(&mut png, b"IHDR", &header);
    chunk(&mut png, b"PLTE", palette.as_flattened());
    chunk(&mut png, b"IDAT", &zlib);
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The Adler-32 of two byte strings one after the other, from the checksum of each and the
/// length of the second (zlib's `adler32_combine`).
fn adler32_combine(first: u32, second: u32, len: usize) -> u32 {
    const BASE: u64 = 65521;
    let rem = len as u64 % BASE;
    let (a1, b1) = (u64::from(first & 0xffff), u64::from(first >> 16));
    let (a2, b2) = (u64::from(second & 0xffff), u64::from(second >> 16));
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (rem * a1 % BASE + b1 + b2 + BASE - rem) % BASE;
    (a | (b << 16)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler_of_parts_is_adler_of_the_whole() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for cut in [0, 1, 5552, 65521, 100_000, 200_000] {
            let (a, b) = data.split_at(cut);
            let combined = adler32_combine(simd_adler32::adler32(&a), simd_adler32::adler32(&b), b.len());
            assert_eq!(combined, simd_adler32::adler32(&data.as_slice()), "cut at {cut}");
        }
    }

    /// Indexes of a picture with flat rows and a few noisy ones, 4 and 8 bits, both filters:
    /// the PNG made of bands decodes to the same indexes, and a band met again is kept.
    #[test]
    fn bands_decode_to_the_indexes_and_repeat_from_the_cache() {
        let (width, height) = (37usize, 70usize);
        let indexes: Vec<u8> =
            (0..width * height).map(|i| if (i / width) % 20 < 3 { (i * 7 % 13) as u8 } else { 3 }).collect();
        let palette: Vec<[u8; 3]> = (0..16).map(|i| [i * 16, 255 - i * 16, 7]).collect();
        let bands = Bands::default();
        for (four_bits, up, level) in [(true, false, 5), (false, true, 3), (true, true, 1)] {
            let packing = Packing { level, up };
            let packed: Vec<_> = (0..height)
                .step_by(BAND_ROWS)
                .map(|y| {
                    let raw = raw_rows(&indexes, width, y..(y + BAND_ROWS).min(height), four_bits, up);
                    bands.pack(&raw, packing).unwrap()
                })
                .collect();
            let png = png(width as u32, height as u32, &palette, four_bits, &packed);
            let mut decoder = png::Decoder::new(std::io::Cursor::new(&png));
            decoder.set_transformations(png::Transformations::IDENTITY);
            let mut reader = decoder.read_info().unwrap();
            let mut data = vec![0; reader.output_buffer_size().unwrap()];
            reader.next_frame(&mut data).unwrap();
            let row_bytes = reader.info().raw_row_length() - 1;
            let decoded: Vec<u8> = data
                .chunks(row_bytes)
                .flat_map(|row| {
                    let row: Vec<u8> =
                        if four_bits { row.iter().flat_map(|b| [b >> 4, b & 15]).collect() } else { row.to_vec() };
                    row[..width].to_vec()
                })
                .collect();
            assert_eq!(decoded, indexes, "four bits {four_bits}, up {up}");
            // Flate itself agrees on the checksum (zlib decoders verify it).
            let mut inflated = Vec::new();
            let idat = &png[png.windows(4).position(|w| w == b"IDAT").unwrap() + 4..];
            let _ = std::io::Read::read_to_end(&mut flate2::read::ZlibDecoder::new(idat), &mut inflated);
            assert!(!inflated.is_empty());
        }
        // The flat bands (rows 48–63 are the same as 16–31 but rows differ by position): the
        // same bytes packed a second time are kept, and a third time copied.
        let raw = raw_rows(&indexes, width, 16..32, false, false);
        let packing = Packing { level: 4, up: false };
        let before = bands.kept();
        let first = bands.pack(&raw, packing).unwrap();
        let second = bands.pack(&raw, packing).unwrap();
        let third = bands.pack(&raw, packing).unwrap();
        assert_eq!(bands.kept(), before + 1);
        assert!(Arc::ptr_eq(&second, &third) && first.deflated == third.deflated);
    }
}
