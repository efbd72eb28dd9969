//! Progress of a build, shared between the threads doing the work (which count what they
//! finish) and the terminal (which draws a bar from it). Counting is two atomic additions, so a
//! build that nobody watches pays nothing worth measuring.

use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Announces `n` more steps (pages to render, files to write).
    pub fn add_total(&self, n: usize) {
        self.total.fetch_add(n, Ordering::Relaxed);
    }

    /// One step finished.
    pub fn step(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (done, total) so far.
    pub fn get(&self) -> (usize, usize) {
        (self.done.load(Ordering::Relaxed), self.total.load(Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_across_threads() {
        let progress = Progress::default();
        progress.add_total(100);
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| (0..25).for_each(|_| progress.step()));
            }
        });
        assert_eq!(progress.get(), (100, 100));
    }
}
