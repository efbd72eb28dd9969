//! Times `canhbao::qr::Qr::new` (issue 10: mask selection was 20 % of a cached build): 10,000
//! codes of article-like URLs and short links per round, 9 rounds, the median printed.
//!
//! ```text
//! cargo run --release --example qr_bench
//! ```

use std::time::Instant;

use canhbao::qr::{Ec, Qr};

const CODES: usize = 10_000;
const ROUNDS: usize = 9;

fn main() {
    // Permalinks of various lengths (versions 3 to 7) and short links (versions 2 to 3), at the
    // levels the site uses (web: M, print: Q).
    let urls: Vec<(String, Ec)> = (0..CODES)
        .map(|i| match i % 4 {
            0 => (format!("https://canhbao.example.vn/q/{:05x}/", i * 7919 % 1_048_576), Ec::Q),
            1 => (format!("https://canhbao.example.vn/canh-bao/bai-viet-so-{i}/"), Ec::M),
            2 => (format!("https://canhbao.example.vn/canh-bao/gia-danh-cong-an-goi-dien-so-{i}/"), Ec::M),
            _ => (
                format!(
                    "https://canhbao.example.vn/canh-bao/lua-dao-tuyen-cong-tac-vien-online-viec-nhe-luong-cao-{i}/"
                ),
                Ec::Q,
            ),
        })
        .collect();
    let mut times = Vec::new();
    let mut checksum = 0usize;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for (url, ec) in &urls {
            checksum += Qr::new(url, *ec).expect("encodes").version() as usize;
        }
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[ROUNDS / 2];
    println!(
        "{CODES} × Qr::new: median {:.1} ms ({:.1} µs a code), min {:.1} ms, max {:.1} ms [checksum {checksum}]",
        median.as_secs_f64() * 1e3,
        median.as_secs_f64() * 1e6 / CODES as f64,
        times[0].as_secs_f64() * 1e3,
        times[ROUNDS - 1].as_secs_f64() * 1e3,
    );
}
