//! Cards drawn as a background made once per build and text written straight into its palette
//! indexes (issue 10: cards "drawn without re-rasterising the same glyphs and background for
//! every card").
//!
//! A card's usvg tree is split as [`super::glyphs::draw`] walks it: text the glyph cache draws
//! exactly is text, every other node is background. The background of most cards of a site is
//! the same (one per severity for the social card: the label box's width and colour), so it is
//! drawn by resvg once, keyed by the `Debug` form of its nodes (every path, paint and
//! transform, exact: a different background never takes another's place), and quantised once
//! into a fixed palette and an image of indexes ([`Background`]). The palette depends only on
//! that key: the background's own colours (at most [`MAX_BACKGROUND_COLOURS`], else the card is
//! drawn the full way), then each text colour blended over each main background colour at
//! [`LEVELS`] coverage levels, then black and white for a QR code. A glyph's coverage is then
//! written into the indexes through a table per (index beneath, text colour): the palette
//! colour nearest the exact blend, as [`super::glyphs`] blends RGBA. A QR code is written as two
//! indexes. No RGBA picture and no quantising per card; the rows are compressed in bands
//! ([`super::bands`]): a band with no text is the background's, compressed once, and a band
//! with the same text on every card (label, hotline) is compressed once per build.
//!
//! The split is exact only when no background node painted after a text node comes within
//! [`MARGIN`] px of that text's glyphs (the text would be over it instead of under it); then,
//! and for a template with an image or too many colours, the card is drawn the full way
//! ([`super::cards::Fonts`]: glyphs blended on resvg's picture, quantised by
//! [`super::palette`]), so any theme's template still draws correctly.
//!
//! Measured with `examples/card_drawing.rs` on 100–200 articles of the 1,000-article bench
//! corpus, one thread, on a shared 2-core machine (±20 % between runs): the full way 6.9–7.4 ms
//! and 23.1 KB a social card, 10.3–11.5 ms and 42.3 KB a screen card; composed 3.4–4.6 ms and
//! 24.3–25.4 KB, 4.8–6.1 ms and 43.3–45.8 KB; largest channel difference 60 (an anti-aliased
//! edge pixel), mean 0.09. Parsing the SVG and laying out its text (usvg) alone takes 3.4 ms a
//! pair of cards: most of what is left, and no way of drawing saves it. [`LEVELS`] 3, 4, 5, 6:
//! social 24.5, 24.9, 24.7, 27.1 KB, mean difference 0.17, 0.09, 0.15, 0.14 (16-row bands).
//! Bands of 16, 32, 64 rows: social 24.9, 24.3, 24.3 KB, screen 45.0, 43.3, 42.7 KB (64 rows
//! slower: fewer bands are reused). Social cards with the "Up" filter 30.1 KB instead of 24.9;
//! screen cards without it 58.1 KB instead of 45.0; zlib levels 3/2 instead of 5/3 save ~10 %
//! of the time for 30.6 KB social cards; 6/5 give 24.6 / 40.8 KB in ~35 % more time. Cold build
//! of 1,000 articles (`bench/before_after.sh`, RUNS=3 COLD=3): 15.8 s wall, 23.7 s CPU before,
//! 9.2 s, 15.2 s CPU after (0.62×); of 10,000 (one build each): 139 s wall, 203 s user CPU,
//! 419 MiB before, 88 s, 125 s, 432 MiB after.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::Result;
use resvg::tiny_skia::{self, Pixmap, Transform};
use resvg::usvg::{self, Node};
use rustc_hash::FxHashMap;

use super::bands::{self, BAND_ROWS, Bands, Packed, Packing};
use super::glyphs::{self, GlyphCache, Run};
use crate::qr::Qr;

/// Names this way of drawing in the cache keys of cards.
pub const ENCODING: &str = "composed-v1";
/// Coverage levels of each text colour over each main background colour in the palette.
pub const LEVELS: u32 = 4;
/// Most colours a background may have (a flat design and its anti-aliased edges).
pub const MAX_BACKGROUND_COLOURS: usize = 64;
/// Share of the pixels (per mille) a background colour covers to be a main one, under text.
const MAIN_PER_MILLE: usize = 10;
/// Room in px between text and a background node painted after it.
pub const MARGIN: i32 = 2;

/// The backgrounds and bands of a build, shared by its threads.
#[derive(Default)]
pub struct Composer {
    /// By key (see the module comment); `None` for a background that cannot be composed.
    backgrounds: Mutex<HashMap<String, Option<Arc<Background>>>>,
    bands: Bands,
}

impl Composer {
    /// Number of backgrounds drawn (for tests).
    pub fn backgrounds(&self) -> usize {
        self.backgrounds.lock().map(|b| b.values().flatten().count()).unwrap_or(0)
    }

    /// Number of bands kept to be copied (for tests).
    pub fn kept_bands(&self) -> usize {
        self.bands.kept()
    }
}

/// A text colour and opacity.
type Fill = ([u8; 3], u8);

/// A background drawn and quantised once.
pub struct Background {
    palette: Vec<[u8; 3]>,
    /// Each distinct row, one palette index a pixel, one after the other (most rows of a
    /// background are the same as the one above: a few KiB, not a byte a pixel).
    distinct: Vec<u8>,
    /// Each row's place in `distinct`, in rows.
    rows: Vec<u32>,
    fills: Vec<Fill>,
    /// Per (index beneath, fill): the index of the blend at each coverage, made when needed.
    blends: Vec<OnceLock<Box<[u8; 256]>>>,
    /// Indexes of a QR code's dark and light modules.
    code: (u8, u8),
    /// Each band of rows, compressed.
    bands: Vec<Arc<Packed>>,
}

impl Background {
    fn four_bits(&self) -> bool {
        self.palette.len() <= 16
    }

    /// The index of `fill` at coverage `a` over the colour of index `under`.
    fn blend(&self, under: u8, fill: usize, a: u8) -> u8 {
        let table = self.blends[usize::from(under) * self.fills.len() + fill].get_or_init(|| {
            let (rgb, _) = self.fills[fill];
            let beneath = self.palette[usize::from(under)];
            let mut table = Box::new([under; 256]);
            for (a, index) in table.iter_mut().enumerate().skip(1) {
                *index = nearest(&self.palette, over(rgb, beneath, a as u32));
            }
            table
        });
        table[usize::from(a)]
    }
}

/// `rgb` at opacity `a` (0–255) over `beneath`, rounded as [`super::glyphs`] blends.
fn over(rgb: [u8; 3], beneath: [u8; 3], a: u32) -> [u8; 3] {
    let mix = |s: u8, d: u8| ((u32::from(s) * a + u32::from(d) * (255 - a) + 127) / 255) as u8;
    [mix(rgb[0], beneath[0]), mix(rgb[1], beneath[1]), mix(rgb[2], beneath[2])]
}

/// Index of the colour of `palette` closest to `colour` (squared distance; the first on a tie).
fn nearest(palette: &[[u8; 3]], colour: [u8; 3]) -> u8 {
    let distance =
        |p: &[u8; 3]| -> u32 { (0..3).map(|k| (i32::from(p[k]) - i32::from(colour[k])).pow(2) as u32).sum() };
    palette.iter().enumerate().min_by_key(|(i, p)| (distance(p), *i)).map_or(0, |(i, _)| i as u8)
}

/// A card's tree split into background nodes (each with its transform) and text glyphs.
struct Split<'a> {
    background: Vec<(&'a Node, Transform)>,
    texts: Vec<Run>,
}

/// The pixels a rectangle in the tree's coordinates covers under `root`: left, top, right,
/// bottom (exclusive).
fn pixels(rect: usvg::NonZeroRect, root: Transform) -> Option<(i32, i32, i32, i32)> {
    let r = rect.transform(root)?;
    Some((r.left().floor() as i32, r.top().floor() as i32, r.right().ceil() as i32, r.bottom().ceil() as i32))
}

/// `tree` split, or `None` when the split would not draw it exactly (see the module comment).
fn split<'a>(tree: &'a usvg::Tree, root: Transform, glyphs: &GlyphCache) -> Option<Split<'a>> {
    let mut split = Split { background: Vec::new(), texts: Vec::new() };
    let mut boxes: Vec<(i32, i32, i32, i32)> = Vec::new();
    walk(tree.root(), tree, root, root, glyphs, &mut split, &mut boxes)?;
    Some(split)
}

fn walk<'a>(
    group: &'a usvg::Group,
    tree: &'a usvg::Tree,
    transform: Transform,
    root: Transform,
    glyphs: &GlyphCache,
    split: &mut Split<'a>,
    boxes: &mut Vec<(i32, i32, i32, i32)>,
) -> Option<()> {
    for node in group.children() {
        match node {
            Node::Group(inner) if !inner.should_isolate() => {
                walk(inner, tree, transform.pre_concat(inner.transform()), root, glyphs, split, boxes)?;
                continue;
            }
            Node::Text(text) => {
                if let Some(runs) = glyphs::cached_text(text, tree.fontdb(), transform, glyphs) {
                    boxes.extend(runs.iter().map(Run::bounds));
                    split.texts.extend(runs);
                    continue;
                }
            }
            Node::Image(_) => return None,
            _ => {}
        }
        let Some(bbox) = node.abs_layer_bounding_box() else { continue };
        let (l, t, r, b) = pixels(bbox, root)?;
        let overlaps = |&(tl, tt, tr, tb): &(i32, i32, i32, i32)| {
            l < tr + MARGIN && tl - MARGIN < r && t < tb + MARGIN && tt - MARGIN < b
        };
        if boxes.iter().any(overlaps) {
            return None;
        }
        split.background.push((node, transform));
    }
    Some(())
}

/// Draws `tree` (`width` × `height` px under `root`) as an indexed PNG by composition, with
/// `code` in the node of id `code_id` when both are given; `None` when the card must be drawn the
/// full way.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    tree: &usvg::Tree,
    root: Transform,
    width: u32,
    height: u32,
    code: Option<(&Qr, &str)>,
    packing: Packing,
    glyphs: &GlyphCache,
    composer: &Composer,
) -> Result<Option<Vec<u8>>> {
    let Some(split) = split(tree, root, glyphs) else { return Ok(None) };
    let place = code.and_then(|(qr, id)| Some((qr, tree.node_by_id(id)?.abs_bounding_box())));
    let mut fills: Vec<Fill> = split.texts.iter().map(|r| (r.rgb, r.alpha)).collect();
    fills.sort_unstable();
    fills.dedup();
    let mut key = format!("{width}x{height} {root:?} {packing:?} code:{} fills:{fills:?}\n", place.is_some());
    for (node, transform) in &split.background {
        let _ = writeln!(key, "{transform:?} {node:?}");
    }
    if key.contains("ImageKind::") {
        return Ok(None);
    }
    let known = composer.backgrounds.lock().ok().and_then(|b| b.get(&key).cloned());
    let background = match known {
        Some(known) => known,
        None => {
            let made = background(&split.background, width, height, fills, place.is_some(), packing)?.map(Arc::new);
            let mut backgrounds = composer.backgrounds.lock().map_err(|_| anyhow::anyhow!("a card thread panicked"))?;
            backgrounds.entry(key).or_insert(made).clone()
        }
    };
    let Some(bg) = background else { return Ok(None) };

    let (w, h) = (width as usize, height as usize);
    let mut dirty = vec![false; h.div_ceil(BAND_ROWS)];
    let mut mark = |top: i32, bottom: i32| {
        let (top, bottom) = (top.clamp(0, h as i32) as usize, bottom.clamp(0, h as i32) as usize);
        if top < bottom {
            dirty[top / BAND_ROWS..=(bottom - 1) / BAND_ROWS].fill(true);
        }
    };
    for run in &split.texts {
        let (_, top, _, bottom) = run.bounds();
        mark(top, bottom);
    }
    let (sx, sy) = (root.sx, root.sy);
    if let Some((_, place)) = &place {
        mark((place.y() * sy).floor() as i32 - 1, ((place.y() + place.height()) * sy).ceil() as i32 + 1);
    }
    // Only dirty bands are read, each copied from the background first, so the thread's picture
    // is reused as an earlier card left it: no zeroing, no fresh pages for each card's 0.75–2 MB.
    let mut kept = IMAGE.with(std::cell::Cell::take);
    kept.resize(kept.len().max(w * h), 0);
    let image = &mut kept[..w * h];
    for (band, _) in dirty.iter().enumerate().filter(|(_, d)| **d) {
        for y in band * BAND_ROWS..((band + 1) * BAND_ROWS).min(h) {
            let from = bg.rows[y] as usize * w;
            image[y * w..(y + 1) * w].copy_from_slice(&bg.distinct[from..from + w]);
        }
    }
    for run in &split.texts {
        let fill = bg.fills.binary_search(&(run.rgb, run.alpha)).expect("fills of the key");
        write_run(image, w, h, run, |under, a| bg.blend(under, fill, a));
    }
    if let Some((qr, place)) = place {
        let side = place.width().min(place.height());
        let (left, top) = (place.x() + (place.width() - side) / 2.0, place.y() + (place.height() - side) / 2.0);
        let (dark, light) = bg.code;
        qr.draw_pixels(image, w, left * sx, top * sy, side * sx.min(sy), ([dark], [light]));
    }
    let four_bits = bg.four_bits();
    let packed = dirty
        .iter()
        .enumerate()
        .map(|(band, &dirty)| match dirty {
            false => Ok(bg.bands[band].clone()),
            true => {
                let raw =
                    bands::raw_rows(image, w, band * BAND_ROWS..((band + 1) * BAND_ROWS).min(h), four_bits, packing.up);
                composer.bands.pack(&raw, packing)
            }
        })
        .collect::<Result<Vec<_>>>()?;
    IMAGE.with(|cell| cell.set(kept));
    Ok(Some(bands::png(width, height, &bg.palette, four_bits, &packed)))
}

thread_local! {
    /// The picture of indexes a thread composes its cards in, kept between cards.
    static IMAGE: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// A glyph's coverage written into `image` (`w` × `h` indexes): `blend(index, a)` gives the
/// index of its colour at opacity `a` over `index`.
fn write_run(image: &mut [u8], w: usize, h: usize, run: &Run, blend: impl Fn(u8, u8) -> u8) {
    let c = &run.coverage;
    for (row, coverage) in c.coverage.chunks_exact(c.width).enumerate() {
        let y = run.y + c.top + row as i32;
        if y < 0 || y >= h as i32 {
            continue;
        }
        for (col, &cov) in coverage.iter().enumerate() {
            let x = run.x + c.left + col as i32;
            if cov == 0 || x < 0 || x >= w as i32 {
                continue;
            }
            let a = (u32::from(cov) * u32::from(run.alpha) / 255) as u8;
            let i = y as usize * w + x as usize;
            image[i] = blend(image[i], a);
        }
    }
}

/// The background of `nodes` drawn by resvg and quantised (see the module comment), or `None`
/// when it has too many colours.
fn background(
    nodes: &[(&Node, Transform)],
    width: u32,
    height: u32,
    fills: Vec<Fill>,
    code: bool,
    packing: Packing,
) -> Result<Option<Background>> {
    let mut pixmap = Pixmap::new(width, height).ok_or_else(|| anyhow::anyhow!("a card of no size"))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    for (node, transform) in nodes {
        glyphs::resvg_node(node, *transform, &mut pixmap);
    }
    // On a white background every pixel is opaque: premultiplied RGBA is plain RGB.
    let rgb = |p: &[u8]| [p[0], p[1], p[2]];
    let mut counts: FxHashMap<[u8; 3], usize> = FxHashMap::default();
    for p in pixmap.data().chunks_exact(4) {
        *counts.entry(rgb(p)).or_default() += 1;
        if counts.len() > MAX_BACKGROUND_COLOURS {
            return Ok(None);
        }
    }
    let mut colours: Vec<([u8; 3], usize)> = counts.into_iter().collect();
    colours.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let total = (width * height) as usize;
    let mut palette: Vec<[u8; 3]> = colours.iter().map(|c| c.0).collect();
    let add = |palette: &mut Vec<[u8; 3]>, colour: [u8; 3]| match palette.iter().position(|&p| p == colour) {
        Some(i) => i,
        None => {
            palette.push(colour);
            palette.len() - 1
        }
    };
    let main: Vec<[u8; 3]> = colours.iter().filter(|c| c.1 * 1000 >= total * MAIN_PER_MILLE).map(|c| c.0).collect();
    for &(fill, alpha) in &fills {
        for &beneath in &main {
            for level in 1..=LEVELS {
                add(&mut palette, over(fill, beneath, u32::from(alpha) * level / LEVELS));
            }
        }
    }
    let code = if code { (add(&mut palette, [0, 0, 0]) as u8, add(&mut palette, [255; 3]) as u8) } else { (0, 0) };
    if palette.len() > 256 {
        return Ok(None);
    }
    let index: FxHashMap<[u8; 3], u8> = palette.iter().enumerate().map(|(i, &c)| (c, i as u8)).collect();
    let indexes: Vec<u8> = pixmap.data().chunks_exact(4).map(|p| index[&rgb(p)]).collect();
    let (w, h) = (width as usize, height as usize);
    let four_bits = palette.len() <= 16;
    let bands = (0..h)
        .step_by(BAND_ROWS)
        .map(|y| {
            let raw = bands::raw_rows(&indexes, w, y..(y + BAND_ROWS).min(h), four_bits, packing.up);
            Packed::new(&raw, packing.level).map(Arc::new)
        })
        .collect::<Result<Vec<_>>>()?;
    let (mut distinct, mut rows) = (Vec::new(), Vec::with_capacity(h));
    for (y, row) in indexes.chunks_exact(w).enumerate() {
        if y == 0 || row != &indexes[(y - 1) * w..y * w] {
            distinct.extend_from_slice(row);
        }
        rows.push((distinct.len() / w - 1) as u32);
    }
    let blends = (0..palette.len() * fills.len()).map(|_| OnceLock::new()).collect();
    Ok(Some(Background { palette, distinct, rows, fills, blends, code, bands }))
}
