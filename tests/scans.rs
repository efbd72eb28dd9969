//! `canhbao scans` (issue 12): access logs generated here with a seeded generator that knows
//! what every line is (a scan, a repeat, a crawler, a HEAD, a redirect, a malformed line…), in
//! two formats (nginx combined with a logged `Sec-Purpose`, Apache vhost_combined in UTC, gzip),
//! rotated over three files given in any order. The report is asserted exactly against the
//! generator's own counts; the HTML report is parsed and passed through the W3C Nu HTML checker.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use canhbao::content::leaflet::derived_code;
use canhbao::scans::log_line::civil_from_days;
use common::{REPO, TestSite, one, select, text};
use scraper::Html;

/// The fixture's leaflet (`tests/fixtures/leaflets`): its prints as (variant, tag), and the
/// article its QR codes lead to.
const PRINTS: [(&str, &str); 3] = [("", "ong-ba"), ("phuong-1", "phuong-1"), ("phuong-2", "phuong-2")];
const TARGET: &str = "/canh-bao/gia-danh-cong-an/";
/// 2026-11-01 00:00 in Vietnam (UTC+7), as seconds since 1970.
const START: i64 = 1_793_466_000;
const DAYS: i64 = 3;
/// Where the rotated logs end: `access.log.2.gz` before the first, `access.log.1` before the
/// second, `access.log` after (nginx rotates at any time; visits straddle the cuts).
const CUTS: [i64; 2] = [START + 86_400 + 5 * 3600, START + 2 * 86_400 + 3 * 3600];

const PHONES: [&str; 4] = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 12; V2111) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Zalo android/12100693 ZaloTheme/light ZaloLanguage/vn",
    "Mozilla/5.0 (Linux; Android 13; CUBOT X70) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36",
];
const PROGRAMS: [&str; 4] = [
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Zalo-link-preview/1.0",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.5.0",
];

/// xorshift64*: the same log on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One request of the generated log.
#[derive(Debug, Clone)]
struct Request {
    time: i64,
    ip: String,
    method: &'static str,
    target: String,
    status: u16,
    agent: String,
    /// `Sec-Purpose` (logged in the nginx files only).
    purpose: &'static str,
}

/// A row of the CSV: date, leaflet, variant, channel.
type Row = (String, String, String, String);

/// What the generator expects the report to say.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Expected {
    lines: u64,
    malformed: u64,
    other: u64,
    programs: u64,
    prefetches: u64,
    methods: u64,
    statuses: u64,
    repeats: u64,
    /// (date, leaflet, variant, channel) -> visits, the CSV's rows.
    rows: BTreeMap<Row, u64>,
    first_malformed: Option<(String, u64)>,
}

impl Expected {
    fn counted(&self) -> u64 {
        self.rows.values().sum()
    }

    fn left_out(&self) -> u64 {
        self.malformed + self.programs + self.prefetches + self.methods + self.statuses + self.repeats
    }

    fn count(&mut self, time: i64, print: Option<usize>, channel: &str) {
        let (leaflet, variant) = match print {
            Some(p) => ("ong-ba".to_string(), PRINTS[p].0.to_string()),
            None => (String::new(), String::new()),
        };
        *self.rows.entry((date(time), leaflet, variant, channel.to_string())).or_default() += 1;
    }
}

/// `2026-11-01`: the day of a time in Vietnam.
fn date(time: i64) -> String {
    let (y, m, d) = civil_from_days((time + 7 * 3600).div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `[01/Nov/2026:08:15:02 +0700]` of a time, written at a UTC offset in hours.
fn log_time(time: i64, offset_hours: i64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let local = time + offset_hours * 3600;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let s = local.rem_euclid(86_400);
    let sign = if offset_hours < 0 { '-' } else { '+' };
    format!(
        "[{d:02}/{}/{y}:{:02}:{:02}:{:02} {sign}{:02}00]",
        MONTHS[m as usize - 1],
        s / 3600,
        s / 60 % 60,
        s % 60,
        offset_hours.abs()
    )
}

/// The generated requests and what they should count as. Every person has an address of their
/// own; what they do decides how each of their lines counts.
fn generate(seed: u64) -> (Vec<Request>, Expected) {
    let mut rng = Rng(seed);
    let mut requests = Vec::new();
    let mut expected = Expected::default();
    let mut person = 0u32;
    let mut new_person = |rng: &mut Rng| {
        person += 1;
        (format!("10.{}.{}.{}", person / 65536, person / 256 % 256, person % 256), PHONES[rng.below(4) as usize])
    };
    let short = |p: usize| format!("/q/{}/", derived_code("ong-ba", PRINTS[p].0));
    let get = |time, ip: &str, target: String, status, agent: &str| Request {
        time,
        ip: ip.to_string(),
        method: "GET",
        target,
        status,
        agent: agent.to_string(),
        purpose: "-",
    };
    for day in 0..DAYS {
        for (p, print) in PRINTS.iter().enumerate() {
            let people = 5 + rng.below(20);
            for _ in 0..people {
                let (ip, agent) = new_person(&mut rng);
                let t = START + day * 86_400 + rng.below(86_400 - 4 * 3600) as i64 + 60;
                if t - 30 >= CUTS[0] && rng.chance(10) {
                    // A prefetch of the short link, then nothing: left out (the nginx files
                    // log `Sec-Purpose`; Apache's here does not).
                    let mut r = get(t - 30, &ip, short(p), 200, agent);
                    r.purpose = "prefetch";
                    requests.push(r);
                    expected.prefetches += 1;
                }
                if rng.chance(10) {
                    // The short link typed without its slash: the server redirects.
                    requests.push(get(t - 1, &ip, short(p).trim_end_matches('/').to_string(), 301, agent));
                    expected.statuses += 1;
                }
                if rng.chance(10) {
                    requests.push(Request { method: "HEAD", ..get(t - 2, &ip, short(p), 200, agent) });
                    expected.methods += 1;
                }
                // The scan (sometimes answered 304: the phone had the page cached).
                let status = if rng.chance(20) { 304 } else { 200 };
                let channel = if rng.chance(10) { "sms" } else { "qr" };
                let target = if channel == "qr" { short(p) } else { format!("{}?src=sms", short(p)) };
                requests.push(get(t, &ip, target, status, agent));
                expected.count(t, Some(p), channel);
                // The redirect page leads to the target with its tag: the same visit.
                requests.push(get(t + 1, &ip, format!("{TARGET}?src={}", print.1), 200, agent));
                expected.repeats += 1;
                if rng.chance(30) {
                    requests.push(get(t + 300 + rng.below(1400) as i64, &ip, short(p), 200, agent));
                    expected.repeats += 1;
                }
                if rng.chance(20) {
                    // Two hours later: a visit again.
                    let later = t + 7200;
                    requests.push(get(later, &ip, format!("{TARGET}?src={}", print.1), 200, agent));
                    expected.count(later, Some(p), "qr");
                }
            }
            for _ in 0..rng.below(6) {
                let agent = PROGRAMS[rng.below(4) as usize];
                let t = START + day * 86_400 + rng.below(86_400) as i64;
                requests.push(get(t, &format!("192.0.2.{}", rng.below(250)), short(p), 200, agent));
                expected.programs += 1;
            }
        }
        // Warnings opened from the SMS and Zalo texts.
        for channel in ["sms", "zalo"] {
            for _ in 0..3 + rng.below(5) {
                let (ip, agent) = new_person(&mut rng);
                let t = START + day * 86_400 + rng.below(86_400 - 3600) as i64;
                requests.push(get(t, &ip, format!("{TARGET}?src={channel}"), 200, agent));
                expected.count(t, None, channel);
                if rng.chance(30) {
                    requests.push(get(t + 60, &ip, format!("{TARGET}?src={channel}"), 200, agent));
                    expected.repeats += 1;
                }
            }
        }
        // A scan just before a log was rotated, its redirect just after: one visit.
        if let Some(&cut) = CUTS.get(day as usize) {
            let (ip, agent) = new_person(&mut rng);
            requests.push(get(cut - 1, &ip, short(1), 200, agent));
            expected.count(cut - 1, Some(1), "qr");
            requests.push(get(cut, &ip, format!("{TARGET}?src={}", PRINTS[1].1), 200, agent));
            expected.repeats += 1;
        }
        // The rest of the site's traffic.
        for _ in 0..40 + rng.below(40) {
            let (ip, agent) = new_person(&mut rng);
            let t = START + day * 86_400 + rng.below(86_400) as i64;
            let (target, status) = match rng.below(5) {
                0 => ("/".to_string(), 200),
                1 => ("/assets/style.css".to_string(), 200),
                2 => (TARGET.to_string(), 200),
                3 => ("/wp-login.php".to_string(), 404),
                _ => ("/canh-bao/gia-danh-cong-an/?src=newsletter".to_string(), 200),
            };
            requests.push(get(t, &ip, target, status, agent));
            expected.other += 1;
        }
    }
    requests.sort_by_key(|r| r.time);
    (requests, expected)
}

/// Writes the requests as three rotated logs, oldest first: `access.log.2.gz` (Apache
/// vhost_combined, UTC, gzip), `access.log.1` and `access.log` (nginx combined, Vietnam time,
/// `Sec-Purpose` logged after the user agent). Malformed lines are mixed in, and counted.
fn write_logs(dir: &Path, requests: &[Request], expected: &mut Expected) -> Vec<PathBuf> {
    let first = requests.partition_point(|r| r.time < CUTS[0]);
    let second = requests.partition_point(|r| r.time < CUTS[1]);
    let parts = [&requests[..first], &requests[first..second], &requests[second..]];
    let names = ["access.log.2.gz", "access.log.1", "access.log"];
    let mut paths = Vec::new();
    for (i, (part, name)) in parts.iter().zip(names).enumerate() {
        let mut text = String::new();
        let mut line = 0u64;
        let mut malformed = |text: &mut String, line: &mut u64, bad: &str| {
            text.push_str(bad);
            text.push('\n');
            *line += 1;
            expected.malformed += 1;
            if expected.first_malformed.is_none() {
                expected.first_malformed = Some((name.to_string(), *line));
            }
        };
        for (n, r) in part.iter().enumerate() {
            if n == 5 {
                malformed(&mut text, &mut line, "this is not a log line");
            }
            if n == 9 && i == 1 {
                // Cut in the middle (a disk that filled up), then a line of 100 KB.
                malformed(&mut text, &mut line, r#"10.9.9.9 - - [01/Nov/2026:10:00:00 +0700] "GET /q/"#);
                malformed(&mut text, &mut line, &format!("10.9.9.9 - - {}", "x".repeat(100_000)));
            }
            let entry = if i == 0 {
                let size = if r.status == 304 { "-".to_string() } else { "812".to_string() };
                format!(
                    "canhbao.test:443 {} - - {} \"{} {} HTTP/1.1\" {} {size} \"-\" \"{}\"",
                    r.ip,
                    log_time(r.time, 0),
                    r.method,
                    r.target,
                    r.status,
                    r.agent
                )
            } else {
                format!(
                    "{} - - {} \"{} {} HTTP/2.0\" {} 812 \"https://zalo.me/\" \"{}\" \"{}\"",
                    r.ip,
                    log_time(r.time, 7),
                    r.method,
                    r.target,
                    r.status,
                    r.agent,
                    r.purpose
                )
            };
            assert!(i > 0 || r.purpose == "-", "prefetches are logged by the nginx files only");
            text.push_str(&entry);
            text.push('\n');
            line += 1;
        }
        expected.lines += line;
        let path = dir.join(name);
        if name.ends_with(".gz") {
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(text.as_bytes()).unwrap();
            fs::write(&path, gz.finish().unwrap()).unwrap();
        } else {
            fs::write(&path, text).unwrap();
        }
        paths.push(path);
    }
    paths
}

/// A site, its generated logs, and the expected report.
struct World {
    site: TestSite,
    logs: Vec<PathBuf>,
    expected: Expected,
    requests: Vec<Request>,
}

fn world() -> World {
    let site = TestSite::new("leaflets");
    let (requests, mut expected) = generate(12);
    let logs = write_logs(&site.dir, &requests, &mut expected);
    World { site, logs, expected, requests }
}

/// `canhbao scans --root <site> ARGS…` in English without colour.
fn scans(site: &TestSite, args: &[&std::ffi::OsStr]) -> Output {
    assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .arg("scans")
        .arg("--root")
        .arg(&site.root)
        .args(args)
        .current_dir(&site.dir)
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        .output()
        .expect("run canhbao")
}

fn os(paths: &[PathBuf]) -> Vec<&std::ffi::OsStr> {
    paths.iter().map(|p| p.as_os_str()).collect()
}

fn ok(output: &Output) -> (String, String) {
    let stdout = String::from_utf8(output.stdout.clone()).expect("UTF-8 stdout");
    let stderr = String::from_utf8(output.stderr.clone()).expect("UTF-8 stderr");
    assert_eq!(output.status.code(), Some(0), "stderr:\n{stderr}\nstdout:\n{stdout}");
    (stdout, stderr)
}

fn expected_csv(expected: &Expected) -> String {
    let mut csv = String::from("date,leaflet,variant,channel,visits\n");
    // The report's order: by day, then the leaflet's prints in order (itself, then its
    // variants), each print's channels in order, then pages by channel.
    let channels = ["qr", "sms", "facebook", "zalo"];
    let mut rows: Vec<_> = expected.rows.iter().collect();
    rows.sort_by_key(|((date, leaflet, variant, channel), _)| {
        let print = PRINTS.iter().position(|p| p.0 == variant.as_str()).filter(|_| !leaflet.is_empty());
        (date.clone(), print.is_none(), print, channels.iter().position(|c| c == channel))
    });
    for ((date, leaflet, variant, channel), n) in rows {
        csv.push_str(&format!("{date},{leaflet},{variant},{channel},{n}\n"));
    }
    csv
}

#[test]
fn issue_12_the_report_of_a_generated_log_is_exact() {
    let w = world();
    let e = &w.expected;
    // The generator made every kind of line, and enough of them.
    assert!(e.counted() > 100 && e.repeats > 50 && e.programs > 5 && e.methods > 3 && e.statuses > 3, "{e:?}");
    assert!(e.prefetches > 0 && e.malformed == 5 && e.other > 100, "{e:?}");

    let mut args = os(&w.logs);
    args.insert(0, "--csv".as_ref());
    let (stdout, stderr) = ok(&scans(&w.site, &args));
    assert_eq!(stdout, expected_csv(e));
    let (first_file, first_line) = e.first_malformed.clone().unwrap();
    let summary = format!(
        "Read: {} lines in 3 files, 2026-11-01 – 2026-11-03\n\
         Left out: {}\n  {} malformed (first at {first_file}:{first_line})\n  {} programs (crawlers, link previews, scripts)\n  \
         {} prefetches\n  {} not a page view (HEAD, POST…)\n  {} redirects and errors (status other than 200, 304)\n  \
         {} repeats of the same person (30 min)\nOther requests (not a campaign link): {}\n\
         No IP address or user agent is written anywhere.\n",
        num(e.lines),
        num(e.left_out()),
        e.malformed,
        e.programs,
        e.prefetches,
        e.methods,
        e.statuses,
        num(e.repeats),
        num(e.other)
    );
    assert_eq!(stderr, summary);
    assert_eq!(e.lines, e.left_out() + e.other + e.counted(), "every line in one bucket");
}

/// `1,234`.
fn num(n: u64) -> String {
    canhbao::scans::report::number(n, canhbao::i18n::Lang::En)
}

#[test]
fn issue_12_the_table_counts_per_leaflet_variant_channel_and_day() {
    let w = world();
    let e = &w.expected;
    let (stdout, _) = ok(&scans(&w.site, &os(&w.logs)));
    assert!(stdout.starts_with(&format!("Visits of the campaign's links: {}\n", num(e.counted()))), "{stdout}");
    let per = |f: &dyn Fn(&Row) -> bool| -> u64 { e.rows.iter().filter(|(k, _)| f(k)).map(|(_, n)| n).sum() };
    let leaflet_total = per(&|k| k.1 == "ong-ba");
    let line_of = |start: &str| -> String {
        stdout
            .lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("{start}:\n{stdout}"))
            .into()
    };
    let last = |line: String| line.split_whitespace().last().unwrap().to_string();
    assert_eq!(last(line_of("Ông bà cẩn thận cuộc gọi lạ")), num(leaflet_total));
    assert_eq!(last(line_of("(no variant)")), num(per(&|k| k.1 == "ong-ba" && k.2.is_empty())));
    assert_eq!(last(line_of("Phường 1 (phuong-1)")), num(per(&|k| k.2 == "phuong-1")));
    assert_eq!(last(line_of("Phường 2 (phuong-2)")), num(per(&|k| k.2 == "phuong-2")));
    assert!(line_of("Phường 1 (phuong-1)").contains(&derived_code("ong-ba", "phuong-1")));
    for channel in ["qr", "sms", "facebook", "zalo"] {
        assert_eq!(last(line_of(&format!("{channel} "))), num(per(&|k| k.3 == channel)), "{channel}");
    }
    for day in ["2026-11-01", "2026-11-02", "2026-11-03"] {
        assert_eq!(last(line_of(day)), num(per(&|k| k.0 == day)), "{day}");
    }
}

#[test]
fn issue_12_rotated_logs_in_any_order_give_the_same_report() {
    let w = world();
    let mut args = os(&w.logs);
    args.insert(0, "--csv".as_ref());
    let (first, _) = ok(&scans(&w.site, &args));
    let mut reversed = os(&w.logs);
    reversed.reverse();
    reversed.insert(0, "--csv".as_ref());
    let (second, _) = ok(&scans(&w.site, &reversed));
    assert_eq!(first, second);
    let shuffled = [&w.logs[1], &w.logs[2], &w.logs[0]].map(|p| p.as_os_str());
    let (third, _) = ok(&scans(&w.site, &[&["--csv".as_ref()], &shuffled[..]].concat()));
    assert_eq!(first, third);
    assert_eq!(first, expected_csv(&w.expected));
}

#[test]
fn issue_12_window_zero_counts_every_request_of_a_person() {
    let w = world();
    let e = &w.expected;
    let (_, stderr) =
        ok(&scans(&w.site, &[&["--csv".as_ref(), "--window".as_ref(), "0".as_ref()], &os(&w.logs)[..]].concat()));
    assert!(stderr.contains("\n  0 repeats of the same person (0 s)\n"), "{stderr}");
    let (stdout, _) = ok(&scans(&w.site, &[&["--window".as_ref(), "0".as_ref()], &os(&w.logs)[..]].concat()));
    assert!(stdout.starts_with(&format!("Visits of the campaign's links: {}\n", num(e.counted() + e.repeats))));
}

#[test]
fn issue_12_the_html_report_is_exact_self_contained_and_private() {
    let w = world();
    let e = &w.expected;
    let report = w.site.dir.join("bao-cao.html");
    let args = [&["--html".as_ref(), report.as_os_str()], &os(&w.logs)[..]].concat();
    let (stdout, stderr) = ok(&scans(&w.site, &args));
    let page = fs::read_to_string(&report).unwrap();
    let html = Html::parse_document(&page);
    assert_eq!(one(&html, "html").value().attr("lang"), Some("vi"));
    assert_eq!(text(one(&html, ".total strong")), vi(e.counted()));
    // One bar per day, each titled with its date and count.
    let bars: Vec<String> = select(&html, "svg rect.bar title").iter().map(|t| text(*t)).collect();
    let per_day = |d: &str| -> u64 { e.rows.iter().filter(|(k, _)| k.0 == d).map(|(_, n)| n).sum() };
    assert_eq!(
        bars,
        [
            format!("01/11/2026: {} lượt", vi(per_day("2026-11-01"))),
            format!("02/11/2026: {} lượt", vi(per_day("2026-11-02"))),
            format!("03/11/2026: {} lượt", vi(per_day("2026-11-03"))),
        ]
    );
    // A table for the leaflet: its variants, codes, printed links and scans.
    let rows: Vec<Vec<String>> = select(&html, "h3 + table tbody tr")
        .iter()
        .map(|tr| tr.select(&scraper::Selector::parse("td").unwrap()).map(text).collect())
        .collect();
    let scans_of = |variant: &str| -> u64 {
        e.rows.iter().filter(|(k, _)| k.1 == "ong-ba" && k.2 == variant).map(|(_, n)| n).sum()
    };
    let row = |label: &str, variant: &str| {
        let code = derived_code("ong-ba", variant);
        vec![label.to_string(), code.clone(), format!("https://canhbao.test/q/{code}/"), vi(scans_of(variant))]
    };
    // Then the article's printed short link (issue 14), which no line of this log visits.
    let article = canhbao::shortlinks::derived_print_path("q", TARGET);
    let article_row = vec![
        "Bản chung".to_string(),
        article.trim_matches('/').trim_start_matches("q/").to_string(),
        format!("https://canhbao.test{article}"),
        "0".to_string(),
    ];
    assert_eq!(
        rows,
        [
            row("Bản chung", ""),
            row("Phường 1 (phuong-1)", "phuong-1"),
            row("Phường 2 (phuong-2)", "phuong-2"),
            article_row
        ]
    );
    // Self-contained: no script, no reference to any file or host.
    assert!(select(&html, "script, link, img, iframe, [src], [href]").is_empty(), "{page}");
    assert!(!page.contains("url("), "no CSS resource");
    // Private: not one address or user agent of the log, anywhere the command wrote.
    for r in &w.requests {
        for out in [&page, &stdout, &stderr] {
            assert!(!out.contains(&r.ip), "{} leaked", r.ip);
            assert!(!out.contains(&r.agent), "{} leaked", r.agent);
        }
    }
    assert!(!page.contains("Mozilla") && !page.contains("10.0.0."));
    nu_html_checker(&report);
}

/// `1.234`.
fn vi(n: u64) -> String {
    canhbao::scans::report::number(n, canhbao::i18n::Lang::Vi)
}

/// The W3C Nu HTML checker on one file (as `example_site.rs` runs it: a missing jar or Java
/// fails the test).
fn nu_html_checker(file: &Path) {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(REPO).join("node_modules/vnu-jar/build/dist/vnu.jar"));
    assert!(
        jar.is_file(),
        "the W3C Nu HTML checker is missing: run `npm ci` or set VNU_JAR (looked for `{}`)",
        jar.display()
    );
    let output = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg("--errors-only")
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `java` ({e}): the Nu HTML checker needs Java 11+"));
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success() && stderr.trim().is_empty() && stdout.trim().is_empty(),
        "the Nu HTML checker reports errors ({}):\n{stderr}{stdout}",
        output.status
    );
}

#[test]
fn issue_12_a_damaged_gzip_log_is_a_warning_and_what_was_read_counts() {
    let w = world();
    let gz = fs::read(&w.logs[0]).unwrap();
    let cut = w.site.dir.join("cut.log.gz");
    fs::write(&cut, &gz[..gz.len() / 2]).unwrap();
    let (stdout, stderr) = ok(&scans(&w.site, &[cut.as_os_str()]));
    assert!(stderr.starts_with("warning: cut.log.gz: damaged after line "), "{stderr}");
    assert!(stderr.contains("the lines before are counted, the rest is left out"), "{stderr}");
    let read: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("Read: "))
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(read > 10, "{stdout}");
}

#[test]
fn issue_12_bad_arguments_are_refused_with_the_path() {
    let w = world();
    // A log that does not exist.
    let output = scans(&w.site, &["nowhere.log".as_ref()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot read `nowhere.log`"), "{stderr}");
    // A folder.
    let output = scans(&w.site, &[w.site.dir.as_os_str()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is a folder: give the log files themselves"), "{stderr}");
    // A report written over a log being read: refused, the log untouched.
    let before = fs::read(&w.logs[2]).unwrap();
    let args = [&["--html".as_ref(), "access.log".as_ref()], &os(&w.logs)[..]].concat();
    let output = scans(&w.site, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(
        stderr,
        "error: refusing to write the report over `access.log`, a log being read: choose another file name\n"
    );
    assert_eq!(fs::read(&w.logs[2]).unwrap(), before);
    // No log at all: clap's usage error.
    let output = scans(&w.site, &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn issue_12_a_log_of_nothing_but_garbage_is_counted_not_fatal() {
    let site = TestSite::new("leaflets");
    let log = site.dir.join("junk.log");
    let mut junk = vec![0u8, 0xff, 0xfe, b'\n'];
    junk.extend_from_slice(b"[[[[ \"\"\" \n\n\r\n");
    junk.extend(std::iter::repeat_n(b'a', 200_000));
    fs::write(&log, &junk).unwrap();
    let (stdout, _) = ok(&scans(&site, &[log.as_os_str()]));
    assert!(stdout.starts_with("Visits of the campaign's links: 0\n"), "{stdout}");
    assert!(stdout.contains("Read: 5 lines in 1 file\n"), "{stdout}");
    assert!(stdout.contains("\n  5 malformed (first at junk.log:1)\n"), "{stdout}");
}

#[test]
fn issue_12_logs_of_two_servers_over_the_same_days_are_merged_by_time() {
    let w = world();
    // The same requests, dealt in turn between two servers behind a load balancer: both logs
    // span all three days, a scan and its redirect often land on different servers.
    let (mut a, mut b) = (String::new(), String::new());
    for (i, r) in w.requests.iter().enumerate() {
        let line = format!(
            "{} - - {} \"{} {} HTTP/1.1\" {} 812 \"-\" \"{}\" \"{}\"\n",
            r.ip,
            log_time(r.time, 7),
            r.method,
            r.target,
            r.status,
            r.agent,
            r.purpose
        );
        if i % 2 == 0 { a.push_str(&line) } else { b.push_str(&line) }
    }
    let (one, two) = (w.site.dir.join("server-1.log"), w.site.dir.join("server-2.log"));
    fs::write(&one, a).unwrap();
    fs::write(&two, b).unwrap();
    let (stdout, _) = ok(&scans(&w.site, &["--csv".as_ref(), two.as_os_str(), one.as_os_str()]));
    assert_eq!(stdout, expected_csv(&w.expected));
}

#[test]
fn issue_12_the_table_speaks_vietnamese_in_a_vietnamese_locale() {
    let w = world();
    let output = assert_cmd::cargo::cargo_bin_cmd!("canhbao")
        .args(["scans", "--root"])
        .arg(&w.site.root)
        .args(os(&w.logs))
        .current_dir(&w.site.dir)
        .env("LC_ALL", "vi_VN.UTF-8")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (stdout, _) = ok(&output);
    let e = &w.expected;
    assert!(
        stdout.starts_with(&format!("Lượt truy cập từ các liên kết của chiến dịch: {}\n", vi(e.counted()))),
        "{stdout}"
    );
    assert!(stdout.contains(&format!("\n  {} lượt lặp lại của cùng một người (30 phút)\n", vi(e.repeats))), "{stdout}");
    assert!(stdout.ends_with("Không ghi lại địa chỉ IP hay thông tin trình duyệt ở bất kỳ đâu.\n"), "{stdout}");
}
