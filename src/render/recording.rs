//! A job's files kept in the cache and written again from it (issue 10): an article's material
//! (channel texts, page for officials, poster, screen card, deck) is a third of a cached build's
//! work, and it is the same as last time when nothing it is made from changed.
//!
//! A [`Recorder`] is the sink the job writes to: it passes every file on and notes it, the bytes
//! of a written file, the cache file of a linked one. [`Recorder::keep`] stores that note (and a
//! little data the rest of the build needs from the job, such as its SMS) as one compressed
//! cache entry; [`Kept::read`] reads it back in a later build, and [`Kept::replay`] writes the
//! same files to the sink in the same order.
//!
//! An entry lies in a *slot* named for what it is of (an article's source file) and holds the
//! *key* it was made with: a hash of everything the job reads ([`crate::render::material`]). It
//! is used only when its key is the one asked for; a job made again replaces it. So the cache
//! holds one entry per article however often anything changes, and nothing is ever deleted. An
//! entry read back is not trusted: one that does not parse, or that names a file outside the
//! cache or one that is gone, is not used (the job runs again), and every path it names still
//! goes through the sink's checks.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

use crate::cache::{Cache, Entry, Fields};
use crate::output::Sink;

/// First bytes of an entry (before compression): the format's name and version.
const MAGIC: &[u8] = b"canhbao-recording-2\n";

/// A file of a recording: its bytes, or the name of the cache file it is linked from.
#[derive(Debug, PartialEq, Eq)]
enum File {
    Bytes(Vec<u8>),
    Cached(String),
}

/// A sink that passes files on to `sink` and notes them.
pub(crate) struct Recorder<'a> {
    cache: &'a Cache,
    sink: &'a dyn Sink,
    files: Mutex<Vec<(String, File)>>,
    /// False once a file could not be noted (a copy of a source file, a link to a file outside
    /// the cache): such a job is not kept.
    whole: AtomicBool,
}

impl<'a> Recorder<'a> {
    pub(crate) fn new(cache: &'a Cache, sink: &'a dyn Sink) -> Recorder<'a> {
        Recorder { cache, sink, files: Mutex::new(Vec::new()), whole: AtomicBool::new(true) }
    }

    fn note(&self, path: &str, file: File) {
        self.files.lock().unwrap_or_else(|e| e.into_inner()).push((path.to_string(), file));
    }

    /// Stores what was written, with `data`, in slot `slot` of namespace `kind`, under `key`.
    pub(crate) fn keep(self, (kind, slot): (&str, &str), key: &str, data: &[u8]) {
        if !self.whole.load(Ordering::Relaxed) || !self.cache.writes() {
            return;
        }
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Ok(bytes) = encode(key, &files, data) {
            let _ = self.cache.put(kind, slot, &bytes);
        }
    }
}

impl Sink for Recorder<'_> {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.sink.write(path, bytes)?;
        self.note(path, File::Bytes(bytes.to_vec()));
        Ok(())
    }

    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.whole.store(false, Ordering::Relaxed);
        self.sink.copy(path, from)
    }

    fn link(&self, path: &str, from: &Path) -> Result<()> {
        self.sink.link(path, from)?;
        match self.cache.name_of(from) {
            Some(name) => self.note(path, File::Cached(name)),
            None => self.whole.store(false, Ordering::Relaxed),
        }
        Ok(())
    }
}

/// A recording read back from the cache, checked: every cache file it names is there.
#[derive(Debug)]
pub(crate) struct Kept {
    key: String,
    files: Vec<(String, File)>,
    /// What the job gave the rest of the build besides its files.
    pub(crate) data: Vec<u8>,
}

impl Kept {
    /// The entry in slot `slot` of namespace `kind`, if the cache holds a readable one made
    /// with `key` whose cache files are all there.
    pub(crate) fn read(cache: &Cache, (kind, slot): (&str, &str), key: &str) -> Option<Kept> {
        let kept = decode(&cache.read(kind, slot)?).filter(|k| k.key == key)?;
        let whole = kept.files.iter().all(|(_, f)| match f {
            File::Bytes(_) => true,
            File::Cached(name) => cache.file_named(name).is_some(),
        });
        whole.then_some(kept)
    }

    /// Writes the recorded files to `sink`, in the order they were made.
    pub(crate) fn replay(&self, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        for (path, file) in &self.files {
            match file {
                File::Bytes(bytes) => sink.write(path, bytes)?,
                File::Cached(name) => match cache.file_named(name) {
                    Some(from) => sink.link(path, &from)?,
                    None => return Err(crate::Message::CacheFileRemoved { name: name.clone() }.into()),
                },
            }
        }
        Ok(())
    }
}

fn encode(key: &str, files: &[(String, File)], data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut entry = Entry::new(MAGIC);
    entry.field(key.as_bytes())?;
    entry.count(files.len())?;
    for (path, file) in files {
        let (tag, body) = match file {
            File::Bytes(b) => (0u8, b.as_slice()),
            File::Cached(name) => (1u8, name.as_bytes()),
        };
        entry.byte(tag);
        entry.field(path.as_bytes())?;
        entry.field(body)?;
    }
    entry.field(data)?;
    entry.finish()
}

fn decode(entry: &[u8]) -> Option<Kept> {
    Fields::inflate(entry, read)
}

fn read(raw: &[u8]) -> Option<Kept> {
    let mut r = Fields::new(raw, MAGIC)?;
    let key = r.text()?;
    let count = r.count()?;
    let mut files = Vec::new();
    for _ in 0..count {
        let tag = r.byte()?;
        let path = r.text()?;
        let body = r.field()?;
        let file = match tag {
            0 => File::Bytes(body.to_vec()),
            1 => File::Cached(std::str::from_utf8(body).ok()?.to_string()),
            _ => return None,
        };
        files.push((path, file));
    }
    let data = r.field()?.to_vec();
    r.done().then_some(Kept { key, files, data })
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;
    use crate::output::MemorySink;

    /// A cache holding one made file (as a screen card is), and its path.
    fn cache_with_file(dir: &Path) -> (Cache, std::path::PathBuf) {
        let cache = Cache::new(dir);
        let made = cache.get_or_make_file("screen-card", &Cache::key(&[b"card"]), || Ok(b"png".to_vec())).unwrap();
        let crate::cache::Made::Cached(file) = made else { panic!("kept in the cache") };
        (cache, file)
    }

    #[test]
    fn a_recorded_job_is_replayed_with_the_same_files_in_the_same_order() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, card) = cache_with_file(dir.path());
        let first = MemorySink::default();
        let recorder = Recorder::new(&cache, &first);
        recorder.write("a/kenh/sms.txt", "Cảnh báo".as_bytes()).unwrap();
        recorder.link("a/ap-phich/man-hinh.png", &card).unwrap();
        recorder.write("a/kenh/index.html", b"<p>x</p>").unwrap();
        let slot = ("material", &*Cache::key(&[b"article a"]));
        recorder.keep(slot, "key 1", b"sms");

        let kept = Kept::read(&cache, slot, "key 1").expect("kept");
        assert_eq!(kept.data, b"sms");
        let names: Vec<&str> = kept.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["a/kenh/sms.txt", "a/ap-phich/man-hinh.png", "a/kenh/index.html"]);
        let again = MemorySink::default();
        kept.replay(&cache, &again).unwrap();
        assert_eq!(again.into_files(), first.into_files());
        assert!(Kept::read(&cache, slot, "key 2").is_none(), "made with another key: not used");
        let other = ("material", &*Cache::key(&[b"article b"]));
        assert!(Kept::read(&cache, other, "key 1").is_none(), "another slot");

        // Read, then the card deleted before the replay links it: an error naming the file.
        let read = Kept::read(&cache, slot, "key 1").expect("kept");
        std::fs::remove_file(&card).unwrap();
        assert!(Kept::read(&cache, slot, "key 1").is_none(), "its card is gone: not used");
        let err = read.replay(&cache, &MemorySink::default()).expect_err("the card is gone");
        let Some(crate::messages::MessageError(message)) = err.downcast_ref() else { panic!("a message: {err:#}") };
        let name = cache.name_of(&card).unwrap();
        for lang in [crate::i18n::Lang::En, crate::i18n::Lang::Vi] {
            assert!(message.text(lang).contains(&format!(".canhbao-cache/{name}")), "{}", message.text(lang));
        }
    }

    #[test]
    fn a_job_that_copies_a_source_file_or_links_from_elsewhere_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, _) = cache_with_file(&dir.path().join("cache"));
        let outside = dir.path().join("photo.jpg");
        std::fs::write(&outside, b"jpg").unwrap();
        for copy in [true, false] {
            let sink = MemorySink::default();
            let recorder = Recorder::new(&cache, &sink);
            recorder.write("a/index.html", b"x").unwrap();
            if copy {
                recorder.copy("a/photo.jpg", &outside).unwrap();
            } else {
                recorder.link("a/photo.jpg", &outside).unwrap();
            }
            let slot = ("material", &*Cache::key(&[b"a"]));
            recorder.keep(slot, "k", b"");
            assert_eq!(sink.into_files().len(), 2, "the files are written");
            assert!(Kept::read(&cache, slot, "k").is_none(), "copy {copy}: not kept");
        }
    }

    #[test]
    fn an_entry_that_does_not_parse_is_none() {
        let files = vec![("a/sms.txt".to_string(), File::Bytes(b"x".to_vec()))];
        let good = encode("k", &files, b"data").unwrap();
        assert!(decode(&good).is_some());
        let mut raw = Vec::new();
        flate2::read::DeflateDecoder::new(&good[..]).read_to_end(&mut raw).unwrap();
        for cut in 0..raw.len() {
            let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&raw[..cut]).unwrap();
            assert!(decode(&z.finish().unwrap()).is_none(), "cut at {cut}");
        }
        let mut tagged = raw.clone();
        tagged[MAGIC.len() + 4 + 1 + 4] = 7;
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&tagged).unwrap();
        assert!(decode(&z.finish().unwrap()).is_none(), "an unknown kind of file");
    }
}
