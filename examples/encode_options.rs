//! Tries PNG encoder settings on the indexed data of existing card PNGs (an experiment for issue
//! 10): `cargo run --release --example encode_options -- card.png [more.png ...]`.

use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let settings: Vec<(&str, png::DeflateCompression, png::Filter)> = vec![
        ("L5 none", png::DeflateCompression::Level(5), png::Filter::NoFilter),
        ("L1 none", png::DeflateCompression::Level(1), png::Filter::NoFilter),
        ("L2 none", png::DeflateCompression::Level(2), png::Filter::NoFilter),
        ("L3 none", png::DeflateCompression::Level(3), png::Filter::NoFilter),
        ("L4 none", png::DeflateCompression::Level(4), png::Filter::NoFilter),
        ("L6 none", png::DeflateCompression::Level(6), png::Filter::NoFilter),
        ("L1 up", png::DeflateCompression::Level(1), png::Filter::Up),
        ("L3 up", png::DeflateCompression::Level(3), png::Filter::Up),
        ("L5 up", png::DeflateCompression::Level(5), png::Filter::Up),
        ("L3 adaptive", png::DeflateCompression::Level(3), png::Filter::Adaptive),
        ("L4 adaptive", png::DeflateCompression::Level(4), png::Filter::Adaptive),
        ("L4 up", png::DeflateCompression::Level(4), png::Filter::Up),
        ("fdeflate up", png::DeflateCompression::FdeflateUltraFast, png::Filter::Up),
        ("fdeflate none", png::DeflateCompression::FdeflateUltraFast, png::Filter::NoFilter),
    ];
    for path in std::env::args().skip(1) {
        let mut decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&path)?));
        decoder.set_transformations(png::Transformations::IDENTITY);
        let mut reader = decoder.read_info()?;
        let mut data = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut data)?;
        let palette = reader.info().palette.clone().unwrap().into_owned();
        println!("{path}: {}×{} depth {:?}", info.width, info.height, info.bit_depth);
        for (name, compression, filter) in &settings {
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..10 {
                let start = Instant::now();
                let mut out = Vec::new();
                let mut encoder = png::Encoder::new(&mut out, info.width, info.height);
                encoder.set_color(png::ColorType::Indexed);
                encoder.set_depth(info.bit_depth);
                encoder.set_palette(palette.clone());
                encoder.set_deflate_compression(*compression);
                encoder.set_filter(*filter);
                let mut writer = encoder.write_header()?;
                writer.write_image_data(&data)?;
                writer.finish()?;
                size = out.len();
                times.push(start.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!("  {name:14} {:6.2} ms {:7} bytes", times[0], size);
        }
    }
    Ok(())
}
