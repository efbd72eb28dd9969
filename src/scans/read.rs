//! Reading access logs as streams: plain or gzip (told by the first bytes, not the name), line by
//! line with a cap on the length of a line, so that memory stays bounded whatever the input.
//! Several logs (rotated files, given in any order, or the logs of several servers) are merged
//! by time: each is opened when the merge reaches its first line, and closed at its end.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hash::{BuildHasher, Hasher};
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use anyhow::Result;

use super::agents::{self, NotAPerson};
use super::count::{Counter, Hit, Tally};
use super::links::Links;
use super::log_line::{self, MAX_LINE};
use crate::fs_util;

/// Bytes read at a time.
const BUFFER: usize = 256 * 1024;

/// Lines read at the start of a log to find its first time.
const PEEK_LINES: usize = 1000;

/// A log that could not be read to its end (a damaged or truncated gzip file, a read error).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damaged {
    pub file: String,
    /// Lines read before the damage.
    pub line: u64,
    pub error: String,
}

/// The first malformed line of a log: where to look (never what it says: it may hold an
/// address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstMalformed {
    pub file: String,
    pub line: u64,
}

/// What reading the logs found, beside the tally.
#[derive(Debug, Default)]
pub struct Findings {
    pub damaged: Vec<Damaged>,
    pub first_malformed: Option<FirstMalformed>,
    pub bytes: u64,
}

/// Opens a log, decompressing it when it starts like a gzip file.
fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    let mut file = BufReader::with_capacity(BUFFER, fs_util::open(path)?);
    let head =
        file.fill_buf().map_err(|e| anyhow::Error::new(e).context(format!("cannot read `{}`", path.display())))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(BUFFER, flate2::bufread::MultiGzDecoder::new(file))))
    } else {
        Ok(Box::new(file))
    }
}

/// A line read, or the news that it was longer than [`MAX_LINE`] (its bytes were skipped).
enum LineRead {
    Line,
    TooLong,
}

/// One log being read.
struct Log {
    display: String,
    reader: Box<dyn BufRead>,
    line: u64,
    buf: Vec<u8>,
    bytes: u64,
}

impl Log {
    fn open(path: &Path, display: &str) -> Result<Log> {
        Ok(Log { display: display.to_string(), reader: open(path)?, line: 0, buf: Vec::with_capacity(512), bytes: 0 })
    }

    /// Reads the next line into `buf` (without its line break); `None` at the end.
    fn next_line(&mut self) -> io::Result<Option<LineRead>> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (chunk, used, done) = match memchr::memchr(b'\n', available) {
                Some(i) => (&available[..i], i + 1, true),
                None => (available, available.len(), false),
            };
            if !too_long {
                if self.buf.len() + chunk.len() > MAX_LINE {
                    too_long = true;
                    self.buf.clear();
                } else {
                    self.buf.extend_from_slice(chunk);
                }
            }
            self.reader.consume(used);
            self.bytes += used as u64;
            if done {
                break;
            }
        }
        self.line += 1;
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Some(if too_long { LineRead::TooLong } else { LineRead::Line }))
    }
}

/// The time of the first readable line of a log (`None`: no readable line near its start).
fn first_time(path: &Path, display: &str) -> Result<Option<i64>> {
    let mut log = Log::open(path, display)?;
    for _ in 0..PEEK_LINES {
        match log.next_line() {
            Ok(Some(LineRead::Line)) => {
                if let Ok(line) = log_line::parse(&log.buf) {
                    return Ok(Some(line.time));
                }
            }
            Ok(Some(LineRead::TooLong)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    Ok(None)
}

/// Everything a log's lines are judged with.
pub struct Judge<'a> {
    pub links: &'a Links,
    /// The keyed hash of persons (random for each run).
    pub persons: std::collections::hash_map::RandomState,
}

impl Judge<'_> {
    /// The next hit of `log`, counting every line before it into `tally`.
    fn next_hit(&self, log: &mut Log, tally: &mut Tally, findings: &mut Findings) -> Option<Hit> {
        loop {
            let read = match log.next_line() {
                Ok(Some(read)) => read,
                Ok(None) => return None,
                Err(e) => {
                    findings.damaged.push(Damaged { file: log.display.clone(), line: log.line, error: e.to_string() });
                    return None;
                }
            };
            tally.lines += 1;
            let line = match read {
                LineRead::Line => log_line::parse(&log.buf),
                LineRead::TooLong => Err(log_line::Malformed::TooLong),
            };
            let line = match line {
                Ok(line) => line,
                Err(_) => {
                    tally.malformed += 1;
                    if findings.first_malformed.is_none() {
                        findings.first_malformed = Some(FirstMalformed { file: log.display.clone(), line: log.line });
                    }
                    continue;
                }
            };
            tally.saw_time(line.time);
            let Some(visit) = self.links.visit(line.target) else {
                tally.other += 1;
                continue;
            };
            match agents::classify(line.agent, line.extra) {
                Some(NotAPerson::Program) => {
                    tally.programs += 1;
                    continue;
                }
                Some(NotAPerson::Prefetch) => {
                    tally.prefetches += 1;
                    continue;
                }
                None => {}
            }
            if line.method != b"GET" {
                tally.methods += 1;
                continue;
            }
            if !matches!(line.status, 200 | 304) {
                tally.statuses += 1;
                continue;
            }
            let mut hasher = self.persons.build_hasher();
            hasher.write(line.client);
            hasher.write_u8(0xff);
            hasher.write(line.agent.unwrap_or_default());
            return Some(Hit { time: line.time, person: hasher.finish(), visit });
        }
    }
}

/// Reads every log, merged by time, and counts.
pub fn read_all(
    paths: &[PathBuf],
    display: impl Fn(&Path) -> String,
    judge: &Judge,
    counter: &mut Counter,
) -> Result<(Tally, Findings)> {
    let mut tally = Tally::default();
    let mut findings = Findings::default();
    let names: Vec<String> = paths.iter().map(|p| display(p)).collect();
    let mut heap = BinaryHeap::new();
    for (i, path) in paths.iter().enumerate() {
        let first = first_time(path, &names[i])?.unwrap_or(i64::MIN);
        heap.push(Reverse((first, i)));
    }
    // A log is opened when the merge reaches its first time, and dropped (closed) at its end.
    let mut logs: Vec<Option<Log>> = paths.iter().map(|_| None).collect();
    let mut pending: Vec<Option<Hit>> = vec![None; paths.len()];
    while let Some(Reverse((_, i))) = heap.pop() {
        match pending[i].take() {
            Some(hit) => counter.count(hit, &mut tally),
            None => logs[i] = Some(Log::open(&paths[i], &names[i])?),
        }
        let Some(log) = logs[i].as_mut() else { continue };
        match judge.next_hit(log, &mut tally, &mut findings) {
            Some(hit) => {
                heap.push(Reverse((hit.time, i)));
                pending[i] = Some(hit);
            }
            None => {
                findings.bytes += log.bytes;
                logs[i] = None;
            }
        }
    }
    Ok((tally, findings))
}
