//! A content-addressed disk cache for expensive generated files (QR codes, social cards,
//! resized images): the key is a hash of everything the output depends on, so an unchanged
//! input is never regenerated and a changed one can never be served stale.
//!
//! The cache lives in `<site root>/.canhbao-cache/` (ignored by git, safe to delete).

use std::path::{Path, PathBuf};

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::fs_util;

/// Folder name of the cache under the site root.
pub const CACHE_DIR: &str = ".canhbao-cache";

/// A file made through the cache: where it lies in the cache, or its bytes.
#[derive(Debug)]
pub enum Made {
    Cached(PathBuf),
    Bytes(Vec<u8>),
}

/// Lower-case hex of `bytes`: how a digest names an entry.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// This program, as far as a cache entry made by it may differ from another's: its version, and
/// its file's size and modification time (a rebuilt program never reads what another made).
/// `None` when the file cannot be told apart (then entries that depend on the program's code,
/// such as kept material and kept bodies, are neither read nor kept).
pub fn program() -> Option<&'static str> {
    static PROGRAM: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    PROGRAM
        .get_or_init(|| {
            let exe = std::fs::metadata(std::env::current_exe().ok()?).ok()?;
            let time = exe.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
            Some(format!("{} {} {time}", env!("CARGO_PKG_VERSION"), exe.len()))
        })
        .as_deref()
}

/// The most an entry of fields may inflate to: far above any entry this program writes (a few
/// hundred kilobytes), it keeps a damaged or hostile entry from filling memory.
const MAX_ENTRY: u64 = 64 << 20;

/// An entry of length-prefixed fields being written ([`Fields`] reads it back), compressed by
/// [`Entry::finish`]. Lengths are 32-bit little-endian.
pub struct Entry(Vec<u8>);

impl Entry {
    /// An entry starting with `magic`: the format's name and version.
    pub fn new(magic: &[u8]) -> Entry {
        Entry(magic.to_vec())
    }

    /// A length on its own (a count of what follows).
    pub fn count(&mut self, n: usize) -> std::io::Result<()> {
        let n = u32::try_from(n).map_err(|_| std::io::Error::other("an entry's field is too large"))?;
        self.0.extend(n.to_le_bytes());
        Ok(())
    }

    /// A length, then that many bytes.
    pub fn field(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.count(bytes.len())?;
        self.0.extend(bytes);
        Ok(())
    }

    /// One byte.
    pub fn byte(&mut self, b: u8) {
        self.0.push(b);
    }

    /// The entry compressed (fast: an entry is written once and read on every build; HTML
    /// shrinks about five times). Each thread deflates with the same state, reset: a fresh
    /// deflater's ~300 KiB for each entry raised the allocator's mmap threshold and left the heap
    /// in pieces (issue 10: a build that kept every article's body and material peaked at 1.2
    /// GB instead of 290 MB).
    pub fn finish(self) -> std::io::Result<Vec<u8>> {
        use flate2::{Compress, Compression};
        thread_local! {
            static DEFLATER: std::cell::RefCell<Compress> =
                std::cell::RefCell::new(Compress::new(Compression::fast(), false));
        }
        DEFLATER.with(|cell| match cell.try_borrow_mut() {
            Ok(mut z) => {
                z.reset();
                deflate(&mut z, &self.0)
            }
            Err(_) => deflate(&mut Compress::new(Compression::fast(), false), &self.0),
        })
    }
}

/// `raw` deflated with `z`, from its start.
fn deflate(z: &mut flate2::Compress, raw: &[u8]) -> std::io::Result<Vec<u8>> {
    use flate2::{FlushCompress, Status};
    let mut out = Vec::with_capacity(raw.len() / 3 + 64);
    loop {
        if out.len() == out.capacity() {
            out.reserve(out.capacity().max(4096));
        }
        let (read_before, out_before) = (z.total_in(), out.len());
        let rest = usize::try_from(read_before)
            .ok()
            .and_then(|n| raw.get(n..))
            .ok_or_else(|| std::io::Error::other("deflate"))?;
        match z.compress_vec(rest, &mut out, FlushCompress::Finish).map_err(std::io::Error::other)? {
            // Without the spare room: a load holds the entries it made until it writes them.
            Status::StreamEnd => {
                out.shrink_to_fit();
                return Ok(out);
            }
            _ if z.total_in() == read_before && out.len() == out_before && out.len() < out.capacity() => {
                return Err(std::io::Error::other("deflate made no progress"));
            }
            _ => {}
        }
    }
}

/// The fields of an entry made by [`Entry`], read from the front; every reading is `None` past
/// its end, so a damaged entry is refused, not trusted.
pub struct Fields<'a>(&'a [u8]);

impl<'a> Fields<'a> {
    /// `read` of `entry` inflated, if it is a valid compressed stream of at most [`MAX_ENTRY`]
    /// bytes. Each thread inflates into the same buffer with the same state, reset: a build reads
    /// an entry per article while it makes the model, and a fresh inflater's ~40 KiB for each
    /// left the heap in pieces between the model's strings (issue 10: 1.8x the peak memory).
    pub fn inflate<T>(entry: &[u8], read: impl FnOnce(&[u8]) -> Option<T>) -> Option<T> {
        use flate2::{Decompress, FlushDecompress, Status};
        thread_local! {
            static INFLATER: std::cell::RefCell<(Decompress, Vec<u8>)> =
                std::cell::RefCell::new((Decompress::new(false), Vec::new()));
        }
        let inflated = |z: &mut Decompress, out: &mut Vec<u8>| -> Option<()> {
            z.reset(false);
            out.clear();
            loop {
                if out.len() == out.capacity() {
                    if out.len() as u64 >= MAX_ENTRY {
                        return None;
                    }
                    out.reserve(out.len().max(64 << 10));
                }
                let (read_before, out_before) = (z.total_in(), out.len());
                let rest = entry.get(usize::try_from(z.total_in()).ok()?..)?;
                match z.decompress_vec(rest, out, FlushDecompress::Finish).ok()? {
                    Status::StreamEnd => return Some(()),
                    // Room left and nothing read or written: the stream was cut short.
                    _ if z.total_in() == read_before && out.len() == out_before && out.len() < out.capacity() => {
                        return None;
                    }
                    _ => {}
                }
            }
        };
        INFLATER.with(|cell| {
            let Ok(mut state) = cell.try_borrow_mut() else {
                // Inflating inside `read` of another entry: a state of its own.
                let (mut z, mut out) = (Decompress::new(false), Vec::new());
                return inflated(&mut z, &mut out).and_then(|()| read(&out));
            };
            let (z, out) = &mut *state;
            let result = inflated(z, out).and_then(|()| read(out));
            if out.capacity() > 1 << 20 {
                *out = Vec::new();
            }
            result
        })
    }

    /// The fields of inflated entry `raw`, if it starts with `magic`.
    pub fn new(raw: &'a [u8], magic: &[u8]) -> Option<Fields<'a>> {
        raw.strip_prefix(magic).map(Fields)
    }

    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = (self.0.get(..n)?, self.0.get(n..)?);
        self.0 = tail;
        Some(head)
    }

    pub fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    /// A length on its own (a count of what follows).
    pub fn count(&mut self) -> Option<usize> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
    }

    /// A length, then that many bytes.
    pub fn field(&mut self) -> Option<&'a [u8]> {
        let n = self.count()?;
        self.take(n)
    }

    /// A field that is UTF-8 text.
    pub fn text(&mut self) -> Option<String> {
        std::str::from_utf8(self.field()?).ok().map(str::to_string)
    }

    /// Whether every field was read.
    pub fn done(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    /// False for a cache that is only read (`check` writes nothing into the site).
    write: bool,
}

impl Cache {
    /// A cache in `dir` (a site's is `<root>/.canhbao-cache`, see [`CACHE_DIR`]).
    pub fn new(dir: &Path) -> Self {
        Cache { dir: dir.to_path_buf(), write: true }
    }

    /// A cache in `dir` that is read but never written: what is missing is made every time.
    /// `check` uses the site's cache this way, so photos encoded by a build are not encoded again.
    pub fn read_only(dir: &Path) -> Self {
        Cache { dir: dir.to_path_buf(), write: false }
    }

    /// Hex SHA-256 of the given parts (each length-prefixed, so `["ab","c"]` != `["a","bc"]`).
    pub fn key(parts: &[&[u8]]) -> String {
        let mut hasher = Sha256::new();
        for part in parts {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
        hex(&hasher.finalize())
    }

    /// Like [`Cache::get_or_make`], for large files (social cards, images): the cache file itself
    /// when it is there or could be written, so the bytes are not held in memory until the output
    /// is written (they are copied from the cache then); the bytes only when the cache cannot hold them.
    pub fn get_or_make_file(&self, kind: &str, key: &str, make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Made> {
        let path = self.path(kind, key);
        if path.is_file() {
            return Ok(Made::Cached(path));
        }
        let bytes = make()?;
        Ok(if self.store(&path, &bytes) { Made::Cached(path) } else { Made::Bytes(bytes) })
    }

    fn path(&self, kind: &str, key: &str) -> PathBuf {
        self.dir.join(kind).join(&key[..2]).join(key)
    }

    /// The entry `key` of namespace `kind`, if the cache holds it.
    pub fn read(&self, kind: &str, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path(kind, key)).ok()
    }

    /// Whether the cache holds entry `key` of namespace `kind`.
    pub fn has(&self, kind: &str, key: &str) -> bool {
        self.path(kind, key).is_file()
    }

    /// Stores `bytes` as the entry `key` of namespace `kind`; false when the cache is read-only
    /// or cannot be written (the next build makes it again).
    pub fn put(&self, kind: &str, key: &str, bytes: &[u8]) -> bool {
        self.store(&self.path(kind, key), bytes)
    }

    /// Whether entries are stored.
    pub fn writes(&self) -> bool {
        self.write
    }

    /// The name of a file of this cache relative to its folder (`screen-card/ab/ab12...`), for an
    /// entry that refers to another; None for a file elsewhere.
    pub fn name_of(&self, file: &Path) -> Option<String> {
        let rel = file.strip_prefix(&self.dir).ok()?;
        let parts: Option<Vec<&str>> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect();
        parts.filter(|p| !p.is_empty()).map(|p| p.join("/"))
    }

    /// The file a name from [`Cache::name_of`] stands for, if it is one of this cache's files
    /// (an entry read back is not trusted: no `..`, no absolute path, nothing but a file).
    pub fn file_named(&self, name: &str) -> Option<PathBuf> {
        let safe = |part: &str| !part.is_empty() && part != "." && part != ".." && !part.contains('\\');
        if !name.split('/').all(safe) {
            return None;
        }
        let path = self.dir.join(name);
        std::fs::symlink_metadata(&path).ok().filter(|m| m.is_file()).map(|_| path)
    }

    /// Writes an entry (then renames it, so a concurrent reader never sees half a file); false
    /// when the cache is read-only or cannot be written.
    fn store(&self, path: &Path, bytes: &[u8]) -> bool {
        if !self.write {
            return false;
        }
        let Some(parent) = path.parent() else { return false };
        if fs_util::create_dir_all(parent).is_err() {
            return false;
        }
        // Unique per process and call: two threads may store the same entry at once.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = path.with_extension(format!("tmp{}-{n}", std::process::id()));
        if std::fs::write(&tmp, bytes).is_ok() && std::fs::rename(&tmp, path).is_ok() {
            return true;
        }
        let _ = std::fs::remove_file(&tmp);
        false
    }

    /// The cached bytes for `key` (in namespace `kind`, e.g. "qr"), else `make()`'s, stored for
    /// next time. A cache that cannot be written is not an error: the bytes are still returned.
    pub fn get_or_make(&self, kind: &str, key: &str, make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        if let Some(bytes) = self.read(kind, key) {
            return Ok(bytes);
        }
        let bytes = make()?;
        let _ = self.put(kind, key, &bytes);
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn makes_once_then_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(&dir.path().join(CACHE_DIR));
        let calls = Cell::new(0);
        let key = Cache::key(&[b"https://a.vn/x/", b"M"]);
        for _ in 0..2 {
            let bytes = cache
                .get_or_make("qr", &key, || {
                    calls.set(calls.get() + 1);
                    Ok(b"png".to_vec())
                })
                .unwrap();
            assert_eq!(bytes, b"png");
        }
        assert_eq!(calls.get(), 1);
        let other = Cache::key(&[b"https://a.vn/x/", b"Q"]);
        assert_ne!(key, other);
        assert_ne!(Cache::key(&[b"ab", b"c"]), Cache::key(&[b"a", b"bc"]));
    }

    #[test]
    fn a_read_only_cache_reads_but_never_writes() {
        let dir = tempfile::tempdir().unwrap();
        let key = Cache::key(&[b"x"]);
        Cache::new(dir.path()).get_or_make("img", &key, || Ok(b"made".to_vec())).unwrap();
        let read_only = Cache::read_only(dir.path());
        assert_eq!(read_only.get_or_make("img", &key, || Ok(b"again".to_vec())).unwrap(), b"made");
        let other = Cache::key(&[b"y"]);
        assert_eq!(read_only.get_or_make("img", &other, || Ok(b"new".to_vec())).unwrap(), b"new");
        assert!(!dir.path().join("img").join(&other[..2]).exists(), "nothing written");
    }

    #[test]
    fn large_files_come_back_as_cache_paths() {
        let dir = tempfile::tempdir().unwrap();
        let key = Cache::key(&[b"card"]);
        let made = Cache::new(dir.path()).get_or_make_file("card", &key, || Ok(b"png".to_vec())).unwrap();
        let Made::Cached(path) = made else { panic!("a writable cache keeps the file: {made:?}") };
        assert_eq!(std::fs::read(&path).unwrap(), b"png");
        let again = Cache::new(dir.path()).get_or_make_file("card", &key, || panic!("made twice")).unwrap();
        assert!(matches!(again, Made::Cached(p) if p == path));
        let other = Cache::key(&[b"other"]);
        let read_only = Cache::read_only(dir.path()).get_or_make_file("card", &other, || Ok(b"new".to_vec())).unwrap();
        assert!(matches!(read_only, Made::Bytes(b) if b == b"new"), "nothing written, bytes kept");
    }

    #[test]
    fn a_name_stands_only_for_a_file_of_the_cache() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(&dir.path().join(CACHE_DIR));
        let made = cache.get_or_make_file("card", &Cache::key(&[b"c"]), || Ok(b"png".to_vec())).unwrap();
        let Made::Cached(file) = made else { panic!("kept") };
        let name = cache.name_of(&file).expect("a cache file");
        assert!(name.starts_with("card/"), "{name}");
        assert_eq!(cache.file_named(&name), Some(file));
        std::fs::write(dir.path().join("secret"), b"s").unwrap();
        assert_eq!(cache.name_of(&dir.path().join("secret")), None);
        for name in ["../secret", "card/../../secret", "/etc/passwd", "", "card//x", "card"] {
            assert_eq!(cache.file_named(name), None, "{name}");
        }
    }
}
