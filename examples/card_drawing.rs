//! Draws the social and screen cards of a generated corpus both ways, the full way (every node
//! drawn on an RGBA picture, then quantised) and composed (`render::compose`), and prints the
//! time and size of a card (means) and how far the pictures differ (issue 10):
//! `cargo run --release --example card_drawing -- /dev/shm/c1k-cards [N]` after
//! `python3 bench/gen_corpus.py 1000 /dev/shm/c1k-cards && cp -r themes /dev/shm/c1k-cards/`.
//! Cards are drawn on one thread, each way with fresh fonts (so the composed figures include
//! drawing the backgrounds once).

use std::path::Path;
use std::time::Instant;

use canhbao::qr::{Ec, Qr};
use canhbao::render::cards::{Fonts, Way};
use canhbao::render::palette::Compression;
use serde_json::json;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let root = Path::new(args.get(1).map_or("/dev/shm/c1k-cards", String::as_str)).to_path_buf();
    let n: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(200);
    let theme = root.join("themes/default");
    let mut tera = tera::Tera::default();
    for name in ["social_card.svg", "screen_card.svg"] {
        tera.add_raw_template(name, &std::fs::read_to_string(theme.join("templates").join(name))?)?;
    }
    let mut files: Vec<_> =
        std::fs::read_dir(root.join("content/articles"))?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
    files.sort();
    let fonts = Fonts::load(&theme.join("fonts"))?;
    let mut cards = Vec::new();
    for (i, file) in files.iter().take(n).enumerate() {
        let text = std::fs::read_to_string(file)?;
        let field = |name: &str| {
            text.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().trim_matches('"').to_string())
        };
        let title = field("title:").unwrap_or_default();
        let severity = field("severity:").unwrap_or_else(|| "warning".into());
        let label = match severity.as_str() {
            "urgent" => "KHẨN CẤP",
            "info" => "THÔNG TIN",
            _ => "CẢNH BÁO",
        };
        let label_width = (fonts.width(label, 30.0) + 40.0).ceil();
        let size = [72.0, 64.0, 56.0, 48.0f32]
            .into_iter()
            .find(|s| fonts.wrap(&title, *s, 1040.0).len() as f32 * s * 1.22 <= 330.0)
            .unwrap_or(48.0);
        let social = json!({
            "severity": severity, "label": label, "label_width": label_width as u32,
            "site_name": "Cảnh báo lừa đảo", "title_lines": fonts.wrap(&title, size, 1040.0),
            "title_size": size as u32, "title_line_height": (size * 1.22).round() as u32, "title_top": 140,
            "title_width": 1040, "meta": format!("Ngày {} tháng 5 năm 2024 · Mua bán trực tuyến", i % 28 + 1),
            "hotline_number": "113", "hotline_label": "Công an phường gần nhất", "domain": "bench.example.vn",
        });
        let size = [84.0, 72.0, 62.0, 54.0f32]
            .into_iter()
            .find(|s| fonts.wrap(&title, *s, 940.0).len() as f32 * s * 1.2 <= 520.0)
            .unwrap_or(54.0);
        let link = format!("bench.example.vn/q/{:x}", 0x1000 + i * 37);
        let screen = json!({
            "title_lines": fonts.wrap(&title, size, 940.0), "title_size": size as u32,
            "title_line_height": (size * 1.2).round() as u32, "link": link, "link_size": 48,
            "hotline_number": "113", "hotline_label": "Công an phường gần nhất", "issuer": "Công an tỉnh Bến Tre",
            "qr_svg": "",
        });
        let render = |name: &str, card: &serde_json::Value| {
            let mut context = tera::Context::new();
            context.insert("card", card);
            tera.render(name, &context)
        };
        let code = Qr::new(&format!("https://{link}/"), Ec::Q)?;
        cards.push((render("social_card.svg", &social)?, render("screen_card.svg", &screen)?, code));
    }
    println!("{} articles of {}", cards.len(), root.display());
    let mut drawn: Vec<Vec<(Vec<u8>, Vec<u8>)>> = Vec::new();
    for way in [Way::Full, Way::Composed] {
        let fonts = Fonts::load(&theme.join("fonts"))?;
        let (mut social_ms, mut screen_ms, mut social_kb, mut screen_kb) = (0.0, 0.0, 0.0, 0.0);
        let mut pngs = Vec::new();
        for (social, screen, code) in &cards {
            let start = Instant::now();
            let a = fonts.draw_with(social, 1200, 630, None, Compression::Small, way)?;
            let middle = Instant::now();
            let b = fonts.draw_with(screen, 1920, 1080, Some(code), Compression::Quick, way)?;
            social_ms += (middle - start).as_secs_f64() * 1000.0;
            screen_ms += middle.elapsed().as_secs_f64() * 1000.0;
            social_kb += a.len() as f64 / 1000.0;
            screen_kb += b.len() as f64 / 1000.0;
            pngs.push((a, b));
        }
        let k = cards.len() as f64;
        println!(
            "{way:?}: social {:.2} ms {:.1} KB, screen {:.2} ms {:.1} KB (means; {} backgrounds)",
            social_ms / k,
            social_kb / k,
            screen_ms / k,
            screen_kb / k,
            fonts.backgrounds()
        );
        drawn.push(pngs);
    }
    // What no way of drawing saves: parsing the SVG and laying out its text (usvg).
    let options = resvg::usvg::Options { fontdb: fonts.database(), ..Default::default() };
    let start = Instant::now();
    for (social, screen, _) in &cards {
        resvg::usvg::Tree::from_str(social, &options)?;
        resvg::usvg::Tree::from_str(screen, &options)?;
    }
    println!(
        "parsing and text layout alone: {:.2} ms a pair of cards",
        start.elapsed().as_secs_f64() * 1000.0 / cards.len() as f64
    );
    // How far the composed pictures are from the full ones.
    let rgb = |png: &[u8]| image::load_from_memory(png).map(|i| i.to_rgb8().into_raw());
    let (mut worst, mut sum, mut count) = (0u8, 0f64, 0usize);
    for (full, composed) in drawn[0].iter().zip(&drawn[1]).take(20) {
        for (a, b) in [(&full.0, &composed.0), (&full.1, &composed.1)] {
            let (a, b) = (rgb(a)?, rgb(b)?);
            for (x, y) in a.iter().zip(&b) {
                worst = worst.max(x.abs_diff(*y));
                sum += f64::from(x.abs_diff(*y));
                count += 1;
            }
        }
    }
    println!("channel difference composed vs full (20 articles): largest {worst}, mean {:.3}", sum / count as f64);
    // CARD_SAMPLES=dir writes the first article's cards drawn each way, to look at.
    if let Some(dir) = std::env::var_os("CARD_SAMPLES") {
        for (way, pngs) in ["full", "composed"].iter().zip(&drawn) {
            std::fs::write(Path::new(&dir).join(format!("social-{way}.png")), &pngs[0].0)?;
            std::fs::write(Path::new(&dir).join(format!("screen-{way}.png")), &pngs[0].1)?;
        }
    }
    Ok(())
}
