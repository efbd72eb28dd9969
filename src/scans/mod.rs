//! `canhbao scans`: what reached people. Reads web server access logs and counts the visits of
//! the links the campaign handed out: the QR codes of the leaflets (per leaflet, per variant),
//! the channel texts (`?src=sms`, `facebook`, `zalo`), per day and in total.
//!
//! The flow, one way: the site's links ([`links`]) -> the logs read as streams and merged by time
//! ([`read`], each line split by [`log_line`], its user agent judged by [`agents`]) -> the
//! people counted ([`count`]) -> a [`Report`] -> a table, CSV or an HTML page ([`report`],
//! [`html`]).
//!
//! Privacy: no address or user agent leaves the memory of the run; the report holds counts only.

pub mod agents;
pub mod count;
pub mod html;
pub mod links;
pub mod log_line;
pub mod read;
pub mod report;

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::messages::Message;
use crate::pipeline::{self, BuildOptions};
use crate::registry;
use links::{CHANNELS, Links};

/// What to read and how to count.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site root (the folder of site.yaml).
    pub root: PathBuf,
    pub logs: Vec<PathBuf>,
    /// Seconds within which a person's repeated visits count once (0: every request counts).
    pub window: u64,
}

/// One row of a leaflet's table: the leaflet itself or one of its variants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintRow {
    /// `None`: the leaflet without a variant.
    pub variant: Option<String>,
    pub label: String,
    pub code: String,
    pub short_url: String,
    pub scans: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeafletRow {
    pub title: String,
    pub slug: String,
    pub scans: u64,
    pub prints: Vec<PrintRow>,
}

/// One line of the CSV: visits of a day, of a print (or of pages) from a channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayRow {
    /// Days since 1970-01-01 (Vietnam time).
    pub day: i64,
    /// Leaflet slug and variant id; empty for pages opened from a channel text.
    pub leaflet: String,
    pub variant: String,
    pub channel: &'static str,
    pub scans: u64,
}

/// The counts, ready to show; no address or user agent in it.
#[derive(Debug, Clone)]
pub struct Report {
    pub site_title: String,
    pub base_url: String,
    /// The logs read, as given.
    pub files: Vec<String>,
    /// Bytes read (decompressed).
    pub bytes: u64,
    pub tally: count::Tally,
    pub window: u64,
    pub leaflets: Vec<LeafletRow>,
    /// Every channel, with its visits (zero included).
    pub channels: Vec<(&'static str, u64)>,
    /// Every day from the first line to the last (Vietnam time), with its visits.
    pub days: Vec<(i64, u64)>,
    pub rows: Vec<DayRow>,
    pub damaged: Vec<read::Damaged>,
    pub first_malformed: Option<read::FirstMalformed>,
}

impl Report {
    /// Visits counted in all.
    pub fn total(&self) -> u64 {
        self.tally.counted
    }

    /// Lines left out: everything read but the visits counted and the other requests.
    pub fn left_out(&self) -> u64 {
        let t = &self.tally;
        t.malformed + t.programs + t.prefetches + t.methods + t.statuses + t.repeats
    }
}

/// Most days a report lists one by one (a log spanning more is odd: about 27 years).
pub const MAX_DAYS: i64 = 10_000;

/// `canhbao scans`: counts, and writes the HTML report to `html` when asked. A report file that
/// is one of the logs is refused before anything is read.
pub fn run(options: &Options, html: Option<&Path>) -> Result<Report> {
    if let Some(html) = html {
        let same = |log: &PathBuf| match (std::fs::canonicalize(log), std::fs::canonicalize(html)) {
            (Ok(a), Ok(b)) => a == b,
            _ => std::path::absolute(log).ok() == std::path::absolute(html).ok(),
        };
        if options.logs.iter().any(same) {
            return Err(Message::ReportWouldOverwriteLog { path: display(html) }.into());
        }
    }
    let report = scan(options)?;
    if let Some(html) = html {
        crate::fs_util::write(html, self::html::page(&report).as_bytes())?;
    }
    Ok(report)
}

/// Reads the site at `options.root` and the logs, and counts.
pub fn scan(options: &Options) -> Result<Report> {
    let site = pipeline::load_site(&BuildOptions { root: options.root.clone(), ..BuildOptions::default() })?;
    let registered = registry::read(&site.config.root).map_err(|d| crate::ContentErrors(vec![d]))?;
    let links = Links::new(&site, &registered);
    scan_with(&links, options)
}

/// [`scan`] with the links known.
pub fn scan_with(links: &Links, options: &Options) -> Result<Report> {
    for log in &options.logs {
        if log.is_dir() {
            return Err(Message::LogIsFolder { path: display(log) }.into());
        }
    }
    let judge = read::Judge { links, persons: Default::default() };
    let mut counter = count::Counter::new(options.window);
    let (tally, findings) = read::read_all(&options.logs, display, &judge, &mut counter)?;
    Ok(report(links, options, tally, findings))
}

fn display(path: &Path) -> String {
    crate::report::display_path(path)
}

fn report(links: &Links, options: &Options, tally: count::Tally, findings: read::Findings) -> Report {
    let mut print_scans = vec![0u64; links.prints.len()];
    let mut channels: Vec<(&'static str, u64)> = CHANNELS.iter().map(|c| (*c, 0)).collect();
    let mut per_day = std::collections::BTreeMap::<i64, u64>::new();
    let mut rows = Vec::new();
    for (&(day, key), &n) in &tally.by_day {
        *per_day.entry(day).or_default() += n;
        let (leaflet, variant, channel) = match key {
            count::Key::Print { print, channel } => {
                print_scans[print as usize] += n;
                let p = &links.prints[print as usize];
                (links.leaflets[p.leaflet].slug.clone(), p.variant.clone().unwrap_or_default(), channel)
            }
            count::Key::Page { channel } => (String::new(), String::new(), channel),
        };
        channels[channel as usize].1 += n;
        rows.push(DayRow { day, leaflet, variant, channel: CHANNELS[channel as usize], scans: n });
    }
    let leaflets = links
        .leaflets
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let prints: Vec<PrintRow> = links
                .prints
                .iter()
                .zip(&print_scans)
                .filter(|(p, _)| p.leaflet == i)
                .map(|(p, &scans)| PrintRow {
                    variant: p.variant.clone(),
                    label: p.label.clone(),
                    code: p.code.clone(),
                    short_url: p.short_url.clone(),
                    scans,
                })
                .collect();
            LeafletRow {
                title: l.title.clone(),
                slug: l.slug.clone(),
                scans: prints.iter().map(|p| p.scans).sum(),
                prints,
            }
        })
        .collect();
    let days = match tally.span {
        Some((first, last)) => {
            let (first, last) = (count::day(first), count::day(last));
            let last = last.min(first + MAX_DAYS - 1);
            (first..=last).map(|d| (d, per_day.get(&d).copied().unwrap_or(0))).collect()
        }
        None => Vec::new(),
    };
    Report {
        site_title: links.site_title.clone(),
        base_url: links.base_url.clone(),
        files: options.logs.iter().map(|p| display(p)).collect(),
        bytes: findings.bytes,
        tally,
        window: options.window,
        leaflets,
        channels,
        days,
        rows,
        damaged: findings.damaged,
        first_malformed: findings.first_malformed,
    }
}

/// `2026-11-10` of a day number.
pub fn iso_date(day: i64) -> String {
    let (y, m, d) = log_line::civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `10/11/2026`, as dates are written in Vietnam.
pub fn vietnamese_date(day: i64) -> String {
    let (y, m, d) = log_line::civil_from_days(day);
    format!("{d:02}/{m:02}/{y:04}")
}
