//! Social cards: the 1200×630 PNG that Facebook and Zalo show beside a shared link, one per
//! article (`social.png` beside its page) and one for the site (`/social.png`).
//!
//! The card is the theme's SVG template `social_card.svg` (editable in any SVG editor), filled in
//! by Tera with a [`CardView`], then drawn with resvg (text from glyphs rasterised once per build: [`super::glyphs`]) using only the fonts in the theme's `fonts/`
//! folder (never system fonts, so every machine draws the same bytes). SVG has no line
//! wrapping, so the title is wrapped here, measured with the fonts' own advance widths.
//! Drawing costs milliseconds per card, so PNGs are cached by the hash of the filled-in SVG and
//! the font files: an unchanged card is read back, an edited title or theme redraws it.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow};
use rayon::prelude::*;
use resvg::usvg::{self, fontdb};
use serde::Serialize;
use skrifa::MetadataProvider;
use tera::{Context, Tera};

use super::social::{CARD_FILE, CARD_HEIGHT, CARD_WIDTH};
use super::templates::Origins;
use super::views::{ArticleSummary, SiteView};
use crate::cache::Cache;
use crate::fs_util;
use crate::output::Sink;
use crate::progress::Progress;
use crate::qr::Qr;

/// Name of the card template, looked up like every template (the site's `templates/` first).
pub const TEMPLATE: &str = "social_card.svg";

/// The id of the element of a card template that a QR code fills (the screen card's
/// `<rect id="qr" …/>`): a square of its size is drawn straight into the picture.
pub const CODE_ID: &str = "qr";

/// Layout of the default template that the wrapping must know (see the comment in
/// `themes/default/templates/social_card.svg`).
const TITLE_WIDTH: f32 = 1040.0;
/// The title's band: baselines of its lines fall within this height below [`TITLE_TOP`].
const TITLE_TOP: f32 = 140.0;
const TITLE_HEIGHT: f32 = 330.0;
/// Title sizes tried from the largest: a short title is big, a long one smaller.
const TITLE_SIZES: [f32; 4] = [72.0, 64.0, 56.0, 48.0];
const LINE_HEIGHT: f32 = 1.22;
/// Size of the severity label and the site name beside it, and the padding around the label.
const LABEL_SIZE: f32 = 30.0;
const SITE_NAME_SIZE: f32 = 32.0;
const LABEL_PADDING: f32 = 20.0;
/// Size of the line under the title (date and scam type).
const META_SIZE: f32 = 28.0;
/// Size and room of the hotline's label in the bottom band (the domain takes the rest).
const HOTLINE_SIZE: f32 = 34.0;
const HOTLINE_LABEL_WIDTH: f32 = 640.0;

/// What the card template receives (template variable `card`).
#[derive(Debug, Serialize)]
pub struct CardView {
    /// `urgent`, `warning` or `info` for an article, `site` for the site-wide card.
    pub severity: &'static str,
    /// The label in the coloured box (`KHẨN CẤP`), and the box's width in px.
    pub label: String,
    pub label_width: u32,
    pub site_name: String,
    pub title_lines: Vec<String>,
    pub title_size: u32,
    pub title_line_height: u32,
    pub title_top: u32,
    pub title_width: u32,
    /// Date and first scam type of an article; the organisation on the site card.
    pub meta: String,
    pub hotline_number: String,
    pub hotline_label: String,
    /// Host of the published site (`canhbao.example.vn`).
    pub domain: String,
}

/// What every card of a site shows the same.
struct Shared {
    site_name: String,
    hotline_number: String,
    hotline_label: String,
    domain: String,
}

/// The theme's fonts: a database for resvg, and the heaviest face for measuring titles.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// Font file bytes and face index of the face used to measure.
    measure: (Vec<u8>, u32),
    /// Its advances at each size measured so far.
    advances: std::sync::Mutex<Vec<Arc<Advances>>>,
    /// Hash of every font file, part of each card's cache key.
    pub(crate) hash: String,
    /// Glyphs rasterised so far, shared by every card drawn with these fonts.
    glyphs: super::glyphs::GlyphCache,
    /// Backgrounds and compressed bands drawn so far ([`super::compose`]).
    composer: super::compose::Composer,
}

/// The advances in px of every character the measuring face maps, at one size: made once a
/// size and build, as skrifa gives them (issue 10: each title is wrapped at several sizes, on
/// the social card and the screen card, and reading the font's tables for every measure was a
/// part of each).
struct Advances {
    size: u32,
    by_char: rustc_hash::FxHashMap<char, f32>,
    /// The advance of a character the face does not map (its glyph 0).
    missing: f32,
}

impl Advances {
    /// The advance of `c` in px.
    fn advance(&self, c: char) -> f32 {
        self.by_char.get(&c).copied().unwrap_or(self.missing)
    }

    /// `start` plus the advances of `s`, added from left to right: a width carried on word by
    /// word is the same number as the whole line's.
    fn add(&self, start: f32, s: &str) -> f32 {
        s.chars().fold(start, |width, c| width + self.advance(c))
    }
}

/// How [`Fonts::draw_with`] draws a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// Background once per build, text into its palette indexes ([`super::compose`]), or
    /// [`Way::Full`] when that would not be exact.
    Composed,
    /// Every node drawn on an RGBA picture, then quantised ([`super::palette`]).
    Full,
}

impl Fonts {
    /// Loads every `.ttf` / `.otf` file in `dir`.
    pub fn load(dir: &Path) -> Result<Fonts> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read the theme's fonts folder `{}`", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ttf") || e.eq_ignore_ascii_case("otf")))
            .collect();
        files.sort();
        let mut db = fontdb::Database::new();
        // What draws a card: the fonts, the drawing (v2: cached glyphs, `glyphs.rs`; v3: composed
        // on a background drawn once, `compose.rs`) and the PNG encodings; a change to any of
        // them draws the cards again.
        let mut parts = vec![
            b"fonts-v3".to_vec(),
            super::palette::ENCODING.as_bytes().to_vec(),
            super::compose::ENCODING.as_bytes().to_vec(),
        ];
        for file in &files {
            let bytes = fs_util::read(file)?;
            parts.push(bytes.clone());
            db.load_font_data(bytes);
        }
        let heaviest = db.faces().max_by_key(|f| f.weight.0).map(|f| f.id);
        let measure = heaviest
            .and_then(|id| db.with_face_data(id, |data, index| (data.to_vec(), index)))
            .ok_or_else(|| anyhow!("no font in `{}`: social cards need the theme's fonts", dir.display()))?;
        let family = db.faces().next().and_then(|f| f.families.first()).map(|(name, _)| name.clone());
        if let Some(family) = family {
            db.set_sans_serif_family(family);
        }
        let refs: Vec<&[u8]> = parts.iter().map(Vec::as_slice).collect();
        Ok(Fonts {
            db: Arc::new(db),
            measure,
            advances: Default::default(),
            hash: Cache::key(&refs),
            glyphs: Default::default(),
            composer: Default::default(),
        })
    }

    /// The measuring face's advances at `size` px (`None` if its file does not parse).
    fn measure(&self, size: f32) -> Option<Arc<Advances>> {
        let mut known = self.advances.lock().ok()?;
        if let Some(advances) = known.iter().find(|a| a.size == size.to_bits()) {
            return Some(advances.clone());
        }
        let font = skrifa::FontRef::from_index(&self.measure.0, self.measure.1).ok()?;
        let metrics = font.glyph_metrics(skrifa::instance::Size::new(size), skrifa::instance::LocationRef::default());
        let advance = |glyph| metrics.advance_width(glyph).unwrap_or(size * 0.5);
        let by_char = font
            .charmap()
            .mappings()
            .filter_map(|(code, glyph)| Some((char::from_u32(code)?, advance(glyph))))
            .collect();
        let made = Arc::new(Advances { size: size.to_bits(), by_char, missing: advance(skrifa::GlyphId::default()) });
        known.push(made.clone());
        Some(made)
    }

    /// Width in px of `s` set at `size` px in the measuring face (advances, no kerning: titles
    /// are wrapped with a little room to spare).
    pub fn width(&self, s: &str, size: f32) -> f32 {
        self.measure(size).map_or(0.0, |m| m.add(0.0, s))
    }

    /// `s` cut at a word (or, for one long word, a character) so that it fits `max` px, with "…".
    pub(crate) fn fit(&self, s: &str, size: f32, max: f32) -> String {
        let Some(m) = self.measure(size) else { return s.to_string() };
        if m.add(0.0, s) <= max {
            return s.to_string();
        }
        let ellipsis = m.advance('…');
        let mut cut = s.to_string();
        while !cut.is_empty() && m.add(0.0, &cut) + ellipsis > max {
            cut = match cut.trim_end().rsplit_once(' ') {
                Some((head, _)) if !head.is_empty() => head.to_string(),
                _ => {
                    let mut chars = cut.chars();
                    chars.next_back();
                    chars.as_str().to_string()
                }
            };
        }
        format!("{}…", cut.trim_end_matches([' ', ',', '.', ':', ';', '–', '-']))
    }

    /// `title` wrapped greedily into lines of at most `max` px at `size` px; a word longer than
    /// a line is broken between characters. Each word is measured once: a line's width is
    /// carried on from word to word (issue 10: measuring every candidate line again made
    /// wrapping quadratic).
    pub fn wrap(&self, title: &str, size: f32, max: f32) -> Vec<String> {
        let Some(m) = self.measure(size) else { return vec![crate::text::one_line(title)] };
        let space = m.advance(' ');
        let mut lines: Vec<String> = Vec::new();
        let (mut line, mut line_width) = (String::new(), 0.0);
        for word in title.split_whitespace() {
            let with_word = if line.is_empty() { m.add(0.0, word) } else { m.add(line_width + space, word) };
            if with_word <= max {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
                line_width = with_word;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            for c in word.chars() {
                line.push(c);
                line_width += m.advance(c);
                if line_width > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                    line_width = m.advance(c);
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// The title's lines and size: the largest size at which it fits the title band, else the
    /// smallest size with the last line ending in "…".
    fn title(&self, title: &str) -> (Vec<String>, f32) {
        let max_lines = |size: f32| (TITLE_HEIGHT / (size * LINE_HEIGHT)).floor() as usize;
        for size in TITLE_SIZES {
            let lines = self.wrap(title, size, TITLE_WIDTH);
            if lines.len() <= max_lines(size) {
                return (lines, size);
            }
        }
        let size = TITLE_SIZES[TITLE_SIZES.len() - 1];
        let mut lines = self.wrap(title, size, TITLE_WIDTH);
        let keep = max_lines(size);
        let rest = lines.split_off(keep - 1).join(" ");
        lines.push(self.fit(&format!("{rest} …"), size, TITLE_WIDTH).replace(" …", "…"));
        (lines, size)
    }

    /// The values shared by every card of `site`, measured once. The domain is the published
    /// one (`base_url` of site.yaml), also in a preview or a `--base-url` build: the card shows
    /// where citizens find the site, and an unchanged card is never redrawn for another host.
    fn shared(&self, site: &SiteView, published_base_url: &str) -> Shared {
        let host = published_base_url.split("://").nth(1).unwrap_or(published_base_url);
        Shared {
            site_name: site.title.clone(),
            hotline_number: site.hotline.number.clone(),
            hotline_label: self.fit(&site.hotline.label, HOTLINE_SIZE, HOTLINE_LABEL_WIDTH),
            domain: host.split('/').next().unwrap_or_default().to_string(),
        }
    }

    /// The card of a page titled `title`.
    fn card(&self, shared: &Shared, severity: &'static str, label: &str, title: &str, meta: &str) -> CardView {
        let label = label.to_uppercase();
        let label_width = (self.width(&label, LABEL_SIZE) + 2.0 * LABEL_PADDING).ceil();
        let (title_lines, size) = self.title(title);
        let name_room = TITLE_WIDTH - label_width - 24.0;
        CardView {
            severity,
            label_width: label_width as u32,
            label,
            site_name: if severity == "site" {
                String::new()
            } else {
                self.fit(&shared.site_name, SITE_NAME_SIZE, name_room)
            },
            title_lines,
            title_size: size as u32,
            title_line_height: (size * LINE_HEIGHT).round() as u32,
            title_top: TITLE_TOP as u32,
            title_width: TITLE_WIDTH as u32,
            meta: self.fit(meta, META_SIZE, TITLE_WIDTH),
            hotline_number: shared.hotline_number.clone(),
            hotline_label: shared.hotline_label.clone(),
            domain: shared.domain.clone(),
        }
    }

    /// Draws a filled-in card SVG to PNG bytes.
    fn draw(&self, svg: &str) -> Result<Vec<u8>> {
        self.draw_with(svg, CARD_WIDTH, CARD_HEIGHT, None, super::palette::Compression::Small, Way::Composed)
    }

    /// Draws an SVG with the theme's fonts to a PNG of `width`×`height` (also the screen cards
    /// of [`crate::present`]). `code`, when given, fills the element whose id is [`CODE_ID`]
    /// (see [`crate::qr::Qr::draw_rgba`]); a template without that element shows no code.
    /// Builds draw [`Way::Composed`]; [`Way::Full`] is for comparisons and measurements.
    pub fn draw_with(
        &self,
        svg: &str,
        width: u32,
        height: u32,
        code: Option<&Qr>,
        compression: super::palette::Compression,
        way: Way,
    ) -> Result<Vec<u8>> {
        let options = usvg::Options { fontdb: self.db.clone(), ..usvg::Options::default() };
        let tree = usvg::Tree::from_str(svg, &options).map_err(|e| anyhow!("the card is not valid SVG: {e}"))?;
        let size = tree.size();
        let (sx, sy) = (width as f32 / size.width(), height as f32 / size.height());
        let transform = resvg::tiny_skia::Transform::from_scale(sx, sy);
        if way == Way::Composed {
            let packing = super::bands::Packing::of(compression);
            let code = code.map(|c| (c, CODE_ID));
            let composed =
                super::compose::draw(&tree, transform, width, height, code, packing, &self.glyphs, &self.composer)?;
            if let Some(png) = composed {
                return Ok(png);
            }
        }
        let mut pixmap = resvg::tiny_skia::Pixmap::new(width, height).expect("non-zero size");
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        super::glyphs::draw(&tree, transform, &mut pixmap, &self.glyphs);
        if let Some((code, place)) = code.zip(tree.node_by_id(CODE_ID)) {
            let place = place.abs_bounding_box();
            let side = place.width().min(place.height());
            let (left, top) = (place.x() + (place.width() - side) / 2.0, place.y() + (place.height() - side) / 2.0);
            code.draw_rgba(pixmap.data_mut(), width as usize, left * sx, top * sy, side * sx.min(sy));
        }
        // On a white background every pixel is opaque: premultiplied RGBA is plain RGBA.
        super::palette::encode(pixmap.data(), width, height, compression)
    }

    /// The font database cards are drawn with (for measurements).
    pub fn database(&self) -> Arc<fontdb::Database> {
        self.db.clone()
    }

    /// Number of backgrounds drawn for composed cards so far (for tests).
    pub fn backgrounds(&self) -> usize {
        self.composer.backgrounds()
    }
}

/// The site-wide card and one card per article, each handed to `sink` as soon as it is drawn
/// (or found in the cache): no card waits in memory for the others (issue 10).
/// `published_base_url` is site.yaml's `base_url`, whose host the cards show.
#[allow(clippy::too_many_arguments)]
pub fn write_cards(
    tera: &Tera,
    origins: &Origins,
    site: &SiteView,
    published_base_url: &str,
    articles: &[(String, &ArticleSummary)],
    fonts: &Fonts,
    cache: &Cache,
    progress: Option<&Progress>,
    sink: &dyn Sink,
) -> Result<()> {
    let site_meta = site.organisation.clone().unwrap_or_else(|| site.description.clone());
    let shared = fonts.shared(site, published_base_url);
    let site_card = (CARD_FILE.to_string(), fonts.card(&shared, "site", "Cảnh báo", &site.title, &site_meta));
    if let Some(p) = progress {
        p.add_total(articles.len() + 1);
    }
    let cards = articles.par_iter().map(|(dir, a)| {
        let scam = a.scams.first().map(|t| format!(" · {}", t.name)).unwrap_or_default();
        // Issue 11: the date of the last update when there is one.
        let day = a.updated_vi.as_ref().map_or_else(|| a.date_vi.clone(), |u| format!("cập nhật {u}"));
        let mut date = day.chars();
        let date: String = date.next().map(|c| c.to_uppercase().chain(date).collect()).unwrap_or_default();
        let meta = format!("{date}{scam}");
        (
            format!("{}{CARD_FILE}", dir.trim_start_matches('/')),
            fonts.card(&shared, a.severity, a.severity_label, &a.title, &meta),
        )
    });
    rayon::iter::once(site_card)
        .chain(cards)
        .map(|(path, card)| {
            let mut context = Context::new();
            context.insert("card", &card);
            let svg = tera.render(TEMPLATE, &context).map_err(|e| origins.error(&e))?;
            let key = Cache::key(&[b"card-v2", svg.as_bytes(), fonts.hash.as_bytes()]);
            let made = cache
                .get_or_make_file("card", &key, || fonts.draw(&svg))
                .with_context(|| format!("cannot draw the social card `{path}`"))?;
            sink.made(&path, &made)?;
            if let Some(p) = progress {
                p.step();
            }
            Ok(())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/fonts")).unwrap()
    }

    /// The default theme's social card of an article titled `title`, filled in.
    fn social_svg(f: &Fonts, severity: &'static str, title: &str) -> String {
        let template = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/social_card.svg"),
        )
        .unwrap();
        let shared = Shared {
            site_name: "Cảnh báo lừa đảo".into(),
            hotline_number: "113".into(),
            hotline_label: "Công an phường gần nhất".into(),
            domain: "canhbao.example.vn".into(),
        };
        let card = f.card(&shared, severity, "Cảnh báo", title, "Ngày 01 tháng 5 năm 2024 · Giả danh công an");
        let mut context = Context::new();
        context.insert("card", &card);
        Tera::one_off(&template, &context, false).unwrap()
    }

    fn rgb(png: &[u8]) -> image::RgbImage {
        image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap().to_rgb8()
    }

    fn composed(f: &Fonts, svg: &str) -> Vec<u8> {
        f.draw_with(svg, CARD_WIDTH, CARD_HEIGHT, None, super::super::palette::Compression::Small, Way::Composed)
            .unwrap()
    }

    #[test]
    fn a_composed_card_looks_like_the_full_drawing_issue_10() {
        let f = fonts();
        let svg = social_svg(&f, "urgent", "Cảnh giác với cuộc gọi giả danh công an yêu cầu chuyển tiền");
        let full =
            f.draw_with(&svg, CARD_WIDTH, CARD_HEIGHT, None, super::super::palette::Compression::Small, Way::Full);
        let ours = composed(&f, &svg);
        assert_eq!(f.backgrounds(), 1, "drawn by composition, not the full way");
        let reader = png::Decoder::new(std::io::Cursor::new(&ours)).read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height, info.color_type), (CARD_WIDTH, CARD_HEIGHT, png::ColorType::Indexed));
        let palette = info.palette.as_ref().unwrap().len() / 3;
        assert!(palette > 8 && palette <= 256, "{palette} colours");
        let (full, ours) = (rgb(&full.unwrap()), rgb(&ours));
        let diffs: Vec<u8> = full.as_raw().iter().zip(ours.as_raw()).map(|(a, b)| a.abs_diff(*b)).collect();
        let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
        let max = *diffs.iter().max().unwrap();
        // Anti-aliased edges take the nearest of a few blends; flat colours are exact.
        assert!(mean < 0.3 && max <= 80, "mean channel difference {mean}, largest {max}");
        // The title really is there, in as many dark pixels as in the full drawing.
        let (a, b) = (title_ink(&full), title_ink(&ours));
        assert!(a > 3000 && a.abs_diff(b) * 20 < a, "dark title pixels: full {a}, composed {b}");
        assert_eq!(ours.get_pixel(10, 300).0, [0xb9, 0x1c, 0x1c], "the band in the severity colour");
    }

    /// Dark pixels where the title is.
    fn title_ink(img: &image::RgbImage) -> usize {
        (150..470).flat_map(|y| (80..1120).map(move |x| (x, y))).filter(|&(x, y)| img.get_pixel(x, y).0[0] < 80).count()
    }

    #[test]
    fn composed_cards_are_the_same_bytes_whatever_was_drawn_before_issue_10() {
        let titles: Vec<String> =
            (0..24).map(|i| format!("Thủ đoạn lừa đảo số {i}: giả danh nhân viên ngân hàng")).collect();
        let f = fonts();
        let svgs: Vec<String> =
            titles.iter().enumerate().map(|(i, t)| social_svg(&f, ["urgent", "warning", "info"][i % 3], t)).collect();
        // Alone, in fresh fonts.
        let alone: Vec<Vec<u8>> = svgs[..2].iter().map(|s| composed(&fonts(), s)).collect();
        // In two threads, in both orders, then after many others (bands kept, backgrounds reused).
        let shared = fonts();
        std::thread::scope(|scope| {
            let forward = scope.spawn(|| [composed(&shared, &svgs[0]), composed(&shared, &svgs[1])]);
            let backward = scope.spawn(|| [composed(&shared, &svgs[1]), composed(&shared, &svgs[0])]);
            let (forward, backward) = (forward.join().unwrap(), backward.join().unwrap());
            assert!(forward[0] == alone[0] && forward[1] == alone[1]);
            assert!(backward[0] == alone[1] && backward[1] == alone[0]);
        });
        for svg in &svgs {
            composed(&shared, svg);
        }
        assert!(shared.composer.kept_bands() > 0, "bands met again were kept");
        assert_eq!(shared.backgrounds(), 3, "one background a severity");
        assert!(composed(&shared, &svgs[0]) == alone[0] && composed(&shared, &svgs[1]) == alone[1]);
        assert_ne!(alone[0], alone[1]);
    }

    #[test]
    fn a_shape_over_the_text_is_drawn_the_full_way_issue_10() {
        let f = fonts();
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
          <rect width="1200" height="630" fill="#ffffff"/>
          <text x="80" y="200" font-family="Noto Sans" font-weight="bold" font-size="72" fill="#111827">Lừa đảo qua mạng</text>
          <rect x="60" y="120" width="500" height="120" fill="#b91c1c" fill-opacity="0.5"/>
        </svg>"##;
        let ours = composed(&f, svg);
        assert_eq!(f.backgrounds(), 0, "not composed: the rectangle is over the text");
        let full =
            f.draw_with(svg, CARD_WIDTH, CARD_HEIGHT, None, super::super::palette::Compression::Small, Way::Full);
        assert_eq!(ours, full.unwrap());
        // The text is under the translucent red: dark red where both are.
        let img = rgb(&ours);
        let under = img.pixels().filter(|p| p.0[0] > 40 && p.0[0] < 120 && p.0[1] < 40).count();
        assert!(under > 1000, "{under} dark red pixels");
        // The same shape beside the text is composed.
        let beside = svg.replace(r#"x="60" y="120""#, r#"x="60" y="400""#);
        composed(&f, &beside);
        assert_eq!(f.backgrounds(), 1);
    }

    #[test]
    fn a_composed_screen_card_code_scans_issue_10() {
        let f = fonts();
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="1920" height="1080">
          <rect width="1920" height="1080" fill="#ffffff"/>
          <rect x="0" y="960" width="1920" height="120" fill="#a00d24"/>
          <text x="80" y="300" font-family="Noto Sans" font-weight="bold" font-size="84" fill="#111827">Giả danh công an</text>
          <rect id="qr" x="1040" y="130" width="820" height="820" fill="#ffffff"/>
          <text x="80" y="1042" font-family="Noto Sans" font-size="40" fill="#ffffff">Gọi 113</text>
        </svg>"##;
        let url = "https://canhbao.example.vn/q/abc/";
        let code = Qr::new(url, crate::qr::Ec::Q).unwrap();
        let quick = super::super::palette::Compression::Quick;
        let ours = f.draw_with(svg, 1920, 1080, Some(&code), quick, Way::Composed).unwrap();
        let full = f.draw_with(svg, 1920, 1080, Some(&code), quick, Way::Full).unwrap();
        assert_eq!(f.backgrounds(), 1);
        let (ours, full) = (rgb(&ours), rgb(&full));
        let qr = |img: &image::RgbImage| image::imageops::crop_imm(img, 1040, 130, 820, 820).to_image();
        assert_eq!(qr(&ours), qr(&full), "the code is the same pixels");
        let luma = image::DynamicImage::ImageRgb8(ours).to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare(luma);
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1);
        assert_eq!(grids[0].decode().unwrap().1, url);
    }

    #[test]
    fn vietnamese_text_has_width_from_the_font() {
        let f = fonts();
        let narrow = f.width("iii", 40.0);
        let wide = f.width("MMM", 40.0);
        assert!(narrow > 0.0 && wide > 2.0 * narrow, "{narrow} {wide}");
        // Precomposed Vietnamese letters have real glyphs: as wide as their base letter.
        let base = f.width("a", 40.0);
        assert!((f.width("ẫ", 40.0) - base).abs() < 0.5, "{} {base}", f.width("ẫ", 40.0));
        assert!((f.width("Đ", 64.0) - f.width("D", 64.0)).abs() < 2.0);
    }

    #[test]
    fn titles_wrap_within_the_band_and_shrink_when_long() {
        let f = fonts();
        let (lines, size) = f.title("Cảnh báo");
        assert_eq!((lines, size), (vec!["Cảnh báo".to_string()], TITLE_SIZES[0]));
        let long = "Cảnh giác với thủ đoạn giả danh công an gọi điện thông báo liên quan đến đường dây ma tuý, rửa tiền, yêu cầu chuyển tiền vào tài khoản tạm giữ để điều tra";
        let (lines, size) = f.title(long);
        assert!(size < TITLE_SIZES[0]);
        assert!(lines.len() as f32 * size * LINE_HEIGHT <= TITLE_HEIGHT);
        for line in &lines {
            assert!(f.width(line, size) <= TITLE_WIDTH, "{line}");
        }
        assert_eq!(lines.join(" "), long, "nothing lost, words kept whole");
    }

    #[test]
    fn an_endless_title_is_cut_with_an_ellipsis() {
        let f = fonts();
        let endless = "lừa đảo ".repeat(80);
        let (lines, size) = f.title(&endless);
        assert_eq!(size, TITLE_SIZES[TITLE_SIZES.len() - 1]);
        assert!(lines.last().unwrap().ends_with('…'), "{lines:?}");
        for line in &lines {
            assert!(f.width(line, size) <= TITLE_WIDTH, "{line}");
        }
        let unbroken = "x".repeat(300);
        let lines = f.wrap(&unbroken, 64.0, TITLE_WIDTH);
        assert!(lines.len() > 1 && lines.iter().all(|l| f.width(l, 64.0) <= TITLE_WIDTH));
        assert_eq!(lines.concat(), unbroken);
    }
}
