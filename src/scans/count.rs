//! Counting people, not requests: every line lands in exactly one bucket of [`Tally`], and a
//! visit counts once per person, print (or page) and window.
//!
//! A person is a hash of the client address and user agent, made with a key drawn at random for
//! each run and held in memory only: it is never written, and means nothing after the run.
//! A visit is a *repeat*, left out, when the same person's last counted visit of the same print
//! (the short link and the target it redirects to are one print) or of the same page from the
//! same channel is less than the window (default 30 minutes) away. The memory of persons is
//! pruned as time moves on, so it grows with the people active within one window, not with the
//! size of the log.

use std::collections::{BTreeMap, HashMap};

use super::links::Visit;

/// Default window within which a person's repeated visits count once: 30 minutes.
pub const DEFAULT_WINDOW: u64 = 30 * 60;

/// Seconds a line may be older than the newest one seen and still be compared with the people
/// remembered (servers write lines when requests end, not quite in order).
const SLACK: i64 = 300;

/// Vietnam time, UTC+7 (no daylight saving): days are counted in it.
pub const VIETNAM_OFFSET: i64 = 7 * 3600;

/// A request that may count: a person (not a program), a page view (`GET`, answered `200` or
/// `304`), one of the site's campaign links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub time: i64,
    /// Hash of client address and user agent (see the module documentation).
    pub person: u64,
    pub visit: Visit,
}

/// Where every line went.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub lines: u64,
    /// Lines of no known log format.
    pub malformed: u64,
    /// Requests for anything else than a campaign link.
    pub other: u64,
    /// Crawlers, link-preview fetchers, scripts.
    pub programs: u64,
    /// Prefetches (when the log format records `Sec-Purpose`).
    pub prefetches: u64,
    /// Methods other than `GET` (`HEAD`: a check, not a view; `POST`…).
    pub methods: u64,
    /// Answers other than `200` and `304` (redirects, errors).
    pub statuses: u64,
    /// The same person again within the window.
    pub repeats: u64,
    /// Visits counted.
    pub counted: u64,
    /// Earliest and latest time of a readable line.
    pub span: Option<(i64, i64)>,
    /// Counted visits by (day in Vietnam time, print or page channel): see [`Key`].
    pub by_day: BTreeMap<(i64, Key), u64>,
}

/// What a counted visit was of: a print (and channel), or a page from a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Print { print: u32, channel: u8 },
    Page { channel: u8 },
}

impl Tally {
    pub fn saw_time(&mut self, time: i64) {
        self.span = Some(match self.span {
            Some((first, last)) => (first.min(time), last.max(time)),
            None => (time, time),
        });
    }

    /// Adds another tally's counts (of lines read elsewhere).
    pub fn add(&mut self, other: &Tally) {
        self.lines += other.lines;
        self.malformed += other.malformed;
        self.other += other.other;
        self.programs += other.programs;
        self.prefetches += other.prefetches;
        self.methods += other.methods;
        self.statuses += other.statuses;
        self.repeats += other.repeats;
        self.counted += other.counted;
        if let Some((first, last)) = other.span {
            self.saw_time(first);
            self.saw_time(last);
        }
        for (key, n) in &other.by_day {
            *self.by_day.entry(*key).or_default() += n;
        }
    }
}

/// The day (days since 1970-01-01) of a time, in Vietnam.
pub fn day(time: i64) -> i64 {
    (time + VIETNAM_OFFSET).div_euclid(86_400)
}

/// Counts hits given in time order (nearly: see [`SLACK`]).
#[derive(Debug)]
pub struct Counter {
    window: i64,
    /// (person, print or page) -> time of the last counted visit.
    seen: HashMap<(u64, u64), i64>,
    newest: i64,
    prune_at: usize,
}

impl Counter {
    pub fn new(window: u64) -> Counter {
        Counter {
            window: window.min(i64::MAX as u64 / 4) as i64,
            seen: HashMap::new(),
            newest: i64::MIN,
            prune_at: 4096,
        }
    }

    pub fn count(&mut self, hit: Hit, tally: &mut Tally) {
        let (what, key) = match hit.visit {
            Visit::Print { print, channel } => (u64::from(print), Key::Print { print, channel }),
            Visit::Page { channel, page } => ((1 << 63) | (u64::from(channel) << 56) ^ page, Key::Page { channel }),
        };
        self.newest = self.newest.max(hit.time);
        if self.window > 0 {
            if let Some(last) = self.seen.get(&(hit.person, what))
                && (hit.time - last).abs() < self.window
            {
                tally.repeats += 1;
                return;
            }
            self.seen.insert((hit.person, what), hit.time);
            if self.seen.len() >= self.prune_at {
                let oldest = self.newest - self.window - SLACK;
                self.seen.retain(|_, last| *last > oldest);
                self.prune_at = (self.seen.len() * 2).max(4096);
            }
        }
        tally.counted += 1;
        *tally.by_day.entry((day(hit.time), key)).or_default() += 1;
    }

    /// How many persons are remembered (for tests of the bound).
    pub fn remembered(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(time: i64, person: u64, print: u32) -> Hit {
        Hit { time, person, visit: Visit::Print { print, channel: 0 } }
    }

    #[test]
    fn a_person_counts_once_per_window_and_print() {
        let mut tally = Tally::default();
        let mut counter = Counter::new(1800);
        for h in [hit(0, 1, 0), hit(5, 1, 0), hit(1799, 1, 0), hit(1800, 1, 0), hit(10, 1, 1), hit(10, 2, 0)] {
            counter.count(h, &mut tally);
        }
        assert_eq!((tally.counted, tally.repeats), (4, 2));
        // Slightly out of order lines are compared too.
        counter.count(hit(1790, 1, 0), &mut tally);
        assert_eq!(tally.repeats, 3);
    }

    #[test]
    fn window_zero_counts_every_request() {
        let mut tally = Tally::default();
        let mut counter = Counter::new(0);
        for _ in 0..3 {
            counter.count(hit(0, 1, 0), &mut tally);
        }
        assert_eq!((tally.counted, tally.repeats, counter.remembered()), (3, 0, 0));
    }

    #[test]
    fn memory_is_bounded_by_the_people_of_one_window() {
        let mut tally = Tally::default();
        let mut counter = Counter::new(60);
        // A million different people, one a second: at most a few windows of them remembered.
        for i in 0..1_000_000 {
            counter.count(hit(i, i as u64, 0), &mut tally);
            assert!(counter.remembered() <= 8192, "{} at {i}", counter.remembered());
        }
        assert_eq!(tally.counted, 1_000_000);
    }

    #[test]
    fn days_are_vietnamese_days() {
        // 2026-11-10 16:59:59 UTC is 23:59:59 in Vietnam; a second later it is the 11th.
        let evening = super::super::log_line::days_from_civil(2026, 11, 10) * 86_400 + 16 * 3600 + 3599;
        assert_eq!(day(evening) + 1, day(evening + 1));
    }
}
