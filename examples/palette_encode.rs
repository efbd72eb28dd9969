//! Times `render::palette::encode` on real cards (a benchmark, not a test):
//! `cargo run --release --example palette_encode -- card.png [more.png ...]`
//! decodes each PNG to RGBA, encodes it 20 times with each `Compression` and prints the median
//! time and the size.

use std::time::Instant;

use canhbao::render::palette::{self, Compression};

fn main() -> anyhow::Result<()> {
    for path in std::env::args().skip(1) {
        let picture = image::open(&path)?.to_rgba8();
        let (width, height) = picture.dimensions();
        for compression in [Compression::Small, Compression::Quick] {
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..20 {
                let start = Instant::now();
                size = palette::encode(picture.as_raw(), width, height, compression)?.len();
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!(
                "{path}: {width}×{height}, {compression:?}, median {:.2} ms, fastest {:.2} ms, {size} bytes",
                times[times.len() / 2],
                times[0]
            );
        }
    }
    Ok(())
}
