//! Writing the site: each file goes into a fresh folder beside the output folder as soon as it
//! is rendered or copied (a [`Sink`]: [`Staging`]), and that folder then replaces the output
//! folder in two renames: nothing holds the whole rendered site in memory. A failed build
//! leaves the previous output exactly as it was; nothing outside the output folder is removed.
//!
//! Which folders may be replaced is a positive rule ([`check_output_dir`]): a missing folder, an
//! empty one, or one that carries the [`MARKER_FILE`] every canhbao output holds. Anything else
//! is refused unless the editor takes it over with `--force`; `/`, the home folder, the site and
//! its source folders are refused even then. Every path the writer is given must stay inside the
//! staging folder ([`check_output_path`]), and each output path must come from one source only.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::config::Config;
use crate::i18n::Lang;
use crate::{Diagnostic, Message, content, fs_util};

/// A generated file, by its path relative to the output folder (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where rendered files go, one at a time, as soon as each is made (from many threads at once):
/// nothing holds the whole rendered site. Paths are relative to the output folder.
pub trait Sink: Sync {
    /// Writes `bytes` as the output file `path`.
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()>;
    /// Puts a copy of the source file `from` at `path`.
    fn copy(&self, path: &str, from: &Path) -> Result<()>;
    /// Puts the file `from` of the cache of generated files at `path`: hard-linked where the
    /// file system allows (the cache never changes a file in place), copied otherwise.
    fn link(&self, path: &str, from: &Path) -> Result<()> {
        self.copy(path, from)
    }
    /// Writes a file made through the cache: its cache file, or its bytes.
    fn made(&self, path: &str, made: &crate::cache::Made) -> Result<()> {
        match made {
            crate::cache::Made::Cached(from) => self.link(path, from),
            crate::cache::Made::Bytes(bytes) => self.write(path, bytes),
        }
    }
}

/// Refuses what no renderer may write, whatever the sink: a path outside the output folder
/// ([`check_output_path`]) and the [`MARKER_FILE`].
fn check_sink_path(path: &str) -> Result<()> {
    check_output_path(path)?;
    if path == MARKER_FILE {
        return Err(Message::OutputPathTwice { path: path.to_string() }.into());
    }
    Ok(())
}

/// A sink that keeps files in memory, for tests.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: std::sync::Mutex<std::collections::BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// The files written, by path.
    pub fn into_files(self) -> std::collections::BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<()> {
        check_sink_path(path)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if files.insert(path.to_string(), bytes).is_some() {
            return Err(Message::OutputPathTwice { path: path.to_string() }.into());
        }
        Ok(())
    }
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        self.put(path, bytes.to_vec())
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        self.put(path, fs_util::read(from)?)
    }
}

/// A sink that checks each path and drops the bytes: `check` renders everything and writes
/// nothing.
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn write(&self, path: &str, _: &[u8]) -> Result<()> {
        check_sink_path(path)
    }
    fn copy(&self, path: &str, _: &Path) -> Result<()> {
        check_sink_path(path)
    }
}

/// The staging folder of a build: each file is written into it as soon as it is rendered; the
/// build swaps it in place of the output folder at the end ([`write_site`]). Every path is
/// checked ([`check_output_path`]) and written once: two writes to one path would give an output
/// that depends on timing. (The route table is what tells editors about two sources for one URL,
/// with both named; this is the writer's own defence, never reached by a correct build.)
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Folders created (as `dir/`), so each is created once. Files are not listed: each is
    /// created new (`O_EXCL`), so a second write to a path fails on the file system itself
    /// (issue 10: a set of every path written held 20 MiB at 10,000 articles).
    folders: std::sync::Mutex<std::collections::HashSet<String>>,
    files: std::sync::atomic::AtomicUsize,
    progress: Option<std::sync::Arc<crate::progress::Progress>>,
}

impl Staging {
    /// The staging folder itself (PDFs are printed into it).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many files were written (the marker file not counted).
    pub fn files(&self) -> usize {
        self.files.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Checks `path`, creates its folder; returns where to write it.
    fn place(&self, path: &str) -> Result<PathBuf> {
        check_sink_path(path)?;
        let dir = path.rsplit_once('/').map(|(dir, _)| format!("{dir}/"));
        let new_dir = dir.filter(|d| !self.folders.lock().unwrap_or_else(|e| e.into_inner()).contains(d));
        // Recorded once it exists: another thread writing into it meanwhile creates it too.
        if let Some(dir) = new_dir {
            fs_util::create_dir_all(&self.dir.join(&dir))?;
            self.folders.lock().unwrap_or_else(|e| e.into_inner()).insert(dir);
        }
        Ok(self.dir.join(path))
    }

    /// `result` of creating the file at `path`, a file already there reported as written twice.
    fn created(path: &str, result: std::io::Result<()>, to: &Path) -> Result<()> {
        match result {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(Message::OutputPathTwice { path: path.to_string() }.into())
            }
            other => other.with_context(|| format!("cannot write `{}`", to.display())),
        }
    }

    fn done(&self) {
        self.files.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Some(p) = &self.progress {
            p.step();
        }
    }
}

/// Every file of the staging folder is created new: one that exists is refused.
fn create_new(to: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new().write(true).create_new(true).open(to)
}

impl Sink for Staging {
    fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
        let to = self.place(path)?;
        let result = create_new(&to).and_then(|mut f| std::io::Write::write_all(&mut f, bytes));
        Staging::created(path, result, &to).map(|()| self.done())
    }
    fn copy(&self, path: &str, from: &Path) -> Result<()> {
        let to = self.place(path)?;
        let mut source = fs_util::open(from)?;
        let result = create_new(&to).and_then(|mut f| std::io::copy(&mut source, &mut f).map(|_| ()));
        Staging::created(path, result, &to).map(|()| self.done())
    }
    /// A hard link where the file system allows it (same device, links supported), a copy
    /// otherwise.
    fn link(&self, path: &str, from: &Path) -> Result<()> {
        let to = self.place(path)?;
        match std::fs::hard_link(from, &to) {
            Ok(()) => {
                self.done();
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Staging::created(path, Err(e), &to),
            Err(_) => self.copy(path, from),
        }
    }
}

/// A source file copied as is.
#[derive(Debug, Clone)]
pub struct CopyFile {
    pub from: PathBuf,
    pub to: String,
}

/// The file every output folder written by canhbao carries (the preview folder too): only a
/// folder holding it, an empty folder or a missing one is replaced without `--force`.
pub const MARKER_FILE: &str = ".canhbao-output";

/// What the marker file says to someone who opens it.
const MARKER_TEXT: &str = "This folder is written by canhbao (https://github.com/canhbao): the next build replaces it \
as a whole.\nDo not keep your own files here.\n";

/// Why an output folder is not used. Every refusal of the output folder is worded here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Refusal {
    /// `/` (or a drive root).
    #[default]
    FileSystemRoot,
    /// `$HOME`.
    Home,
    /// The site root or a folder above it.
    HoldsSite,
    /// `content/`, `static/`, `templates/`, `themes/` or a folder inside one.
    InsideSource,
    /// A folder with `content/` or a `site.yaml`.
    AnotherSite,
    /// A file, not a folder.
    File,
    /// A symbolic link whose target does not exist.
    DanglingLink,
    /// A folder with files in it that no canhbao build wrote (no [`MARKER_FILE`]).
    NotOurs,
}

impl Refusal {
    /// Why the folder is refused, in `lang` (part of [`crate::Message::OutputRefused`]).
    pub(crate) fn reason(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Refusal::FileSystemRoot, Lang::En) => "it is the root of the file system",
            (Refusal::Home, Lang::En) => "it is your home folder",
            (Refusal::HoldsSite, Lang::En) => "it holds the site itself",
            (Refusal::InsideSource, Lang::En) => "it is inside a source folder of the site",
            (Refusal::AnotherSite, Lang::En) => "it contains a `content/` folder or a site.yaml",
            (Refusal::File, Lang::En) => "it is a file",
            (Refusal::DanglingLink, Lang::En) => "it is a symbolic link to a folder that does not exist",
            (Refusal::NotOurs, Lang::En) => {
                "it is not empty and was not written by canhbao (it has no `.canhbao-output` file)"
            }
            (Refusal::FileSystemRoot, Lang::Vi) => "đó là thư mục gốc của hệ thống tệp",
            (Refusal::Home, Lang::Vi) => "đó là thư mục nhà (home) của bạn",
            (Refusal::HoldsSite, Lang::Vi) => "thư mục đó chứa chính trang này",
            (Refusal::InsideSource, Lang::Vi) => "thư mục đó nằm trong một thư mục nguồn của trang",
            (Refusal::AnotherSite, Lang::Vi) => "thư mục đó có thư mục `content/` hoặc tệp site.yaml",
            (Refusal::File, Lang::Vi) => "đó là một tệp, không phải thư mục",
            (Refusal::DanglingLink, Lang::Vi) => "đó là liên kết (symlink) tới một thư mục không tồn tại",
            (Refusal::NotOurs, Lang::Vi) => {
                "thư mục đó không trống và không do canhbao tạo ra (không có tệp `.canhbao-output`)"
            }
        }
    }

    /// The refusal as an error: one diagnostic about no file, with its help line.
    fn error(self, folder: &Path) -> anyhow::Error {
        let message = Message::OutputRefused { folder: folder.display().to_string(), refusal: self };
        let help = (self == Refusal::NotOurs).then(|| Box::new(Message::OutputForceHelp));
        Diagnostic::new("", message).maybe_help(help).into()
    }
}

/// Checks that `out` may be replaced by a build of the site of `config` (see [`check_output_dir_with`]);
/// `serve` calls this before it serves anything. Never takes over a folder that is not ours.
pub fn check_output_dir(out: &Path, config: &Config) -> Result<()> {
    check_output_dir_with(out, config, false)
}

/// Checks that `out` may be replaced: a missing folder, an empty one, or one a canhbao build
/// wrote (it holds [`MARKER_FILE`]); with `force`, any other folder too. Refused even with
/// `force`: `/`, the home folder, the site root or a folder above it, a source folder of the
/// site, a folder holding a site, a file, a symbolic link to nothing. A symbolic link to a
/// folder is judged by its target (the build replaces the target and keeps the link).
pub fn check_output_dir_with(out: &Path, config: &Config, force: bool) -> Result<()> {
    let shown = std::path::absolute(out)?;
    let refuse = |refusal: Refusal| -> Result<()> { Err(refusal.error(&shown)) };
    let is_link = std::fs::symlink_metadata(&shown).is_ok_and(|m| m.file_type().is_symlink());
    if is_link && !shown.exists() {
        return refuse(Refusal::DanglingLink);
    }
    let out_c = canonical(&shown);
    if out_c.parent().is_none() {
        return refuse(Refusal::FileSystemRoot);
    }
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(PathBuf::from)
        && canonical(&home) == out_c
    {
        return refuse(Refusal::Home);
    }
    if canonical(&config.root).starts_with(&out_c) {
        return refuse(Refusal::HoldsSite);
    }
    for source in [&config.content_dir, &config.static_dir, &config.templates_dir, &config.root.join("themes")] {
        if out_c.starts_with(canonical(source)) || shown.starts_with(source) {
            return refuse(Refusal::InsideSource);
        }
    }
    if out_c.join("content").exists() || out_c.join(crate::config::CONFIG_FILE).exists() {
        return refuse(Refusal::AnotherSite);
    }
    if !out_c.exists() {
        return Ok(());
    }
    if !out_c.is_dir() {
        return refuse(Refusal::File);
    }
    if force || is_ours_or_empty(&out_c)? {
        return Ok(());
    }
    refuse(Refusal::NotOurs)
}

/// The path with symbolic links resolved: the nearest existing ancestor canonicalised, the rest
/// appended (so a folder still to be created is compared like one that exists).
fn canonical(path: &Path) -> PathBuf {
    if let Ok(c) = path.canonicalize() {
        return c;
    }
    let mut rest = Vec::new();
    let mut current = path;
    while let Some(parent) = current.parent() {
        rest.push(current.file_name().map(|n| n.to_os_string()).unwrap_or_default());
        if let Ok(c) = parent.canonicalize() {
            return rest.iter().rev().fold(c, |acc, name| acc.join(name));
        }
        current = parent;
    }
    path.to_path_buf()
}

/// Whether the folder is empty or holds our marker file.
fn is_ours_or_empty(dir: &Path) -> Result<bool> {
    let marker = std::fs::symlink_metadata(dir.join(MARKER_FILE));
    if marker.is_ok_and(|m| m.is_file()) {
        return Ok(true);
    }
    let mut entries = std::fs::read_dir(dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
    Ok(entries.next().is_none())
}

/// Refuses an output path (relative to the output folder, `/` separators) that is empty,
/// absolute or climbs out with `..`: whatever produced it, it is written inside the staging
/// folder or not at all.
pub fn check_output_path(path: &str) -> Result<()> {
    if crate::urls::relative_path(path).is_err() {
        return Err(Message::OutputPathOutside { path: path.to_string() }.into());
    }
    Ok(())
}

/// Files of the theme's `static/` then the site's `static/` (the site wins on the same path).
/// Symbolic links are followed when they lead inside the site (or the theme); one that leads out
/// of it is an error naming the link (a link to a folder is reported once, and its files are not
/// read). Only links are resolved: a file reached through folders that are not links is inside.
pub fn static_sources(config: &Config) -> Result<Vec<CopyFile>, Vec<crate::Diagnostic>> {
    let mut by_path: std::collections::BTreeMap<String, PathBuf> = Default::default();
    let mut problems = Vec::new();
    for dir in [config.theme_dir.join("static"), config.static_dir.clone()] {
        if !dir.is_dir() {
            continue;
        }
        let mut entries = WalkDir::new(&dir).follow_links(true).sort_by_file_name().into_iter();
        while let Some(entry) = entries.next() {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e.path().unwrap_or(&dir);
                    let shown = crate::pictures::shown(at, config);
                    let message = Message::FileUnreadable { file: shown.clone(), error: e.to_string() };
                    problems.push(Diagnostic::new(&shown, message));
                    continue;
                }
            };
            if entry.path_is_symlink()
                && let Err(target) = crate::pictures::inside_site(entry.path(), config)
            {
                problems.push(crate::pictures::linked_outside(entry.path(), &target, config));
                if entry.file_type().is_dir() {
                    entries.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = content::slash_path(entry.path().strip_prefix(&dir).unwrap_or(entry.path()));
            by_path.insert(rel, entry.into_path());
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(by_path.into_iter().map(|(to, from)| CopyFile { from, to }).collect())
}

/// Content hashes of the stylesheets and scripts among the static files, for cache-busting URLs.
pub fn asset_hashes(static_files: &[CopyFile]) -> Result<HashMap<String, String>> {
    let mut hashes = HashMap::new();
    for f in static_files.iter().filter(|f| f.to.ends_with(".css") || f.to.ends_with(".js")) {
        hashes.insert(f.to.clone(), short_hash(&fs_util::read(&f.from)?));
    }
    Ok(hashes)
}

/// First 10 hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    short_digest(&Sha256::digest(bytes))
}

/// The short form [`short_hash`] gives of a SHA-256 digest (for bytes hashed in parts).
pub fn short_digest(digest: &[u8]) -> String {
    crate::cache::hex(&digest[..digest.len().min(5)])
}

/// What writing the output left to say: things that went wrong after the new output was live
/// (the build succeeded) or while tidying up after an earlier build.
#[derive(Debug, Default)]
pub struct Written {
    pub warnings: Vec<Diagnostic>,
    /// Files written (the marker file not counted).
    pub files: usize,
}

/// Makes a new folder beside `out` with the [`MARKER_FILE`], runs `fill` on it (which renders
/// every file into it as it goes, prints PDFs from its pages, records printed URLs), then swaps
/// it in place of `out`: the swap is the last step that can fail the build, and a failure
/// before it removes the new folder and leaves `out` as it was. Folders an earlier, killed build
/// of ours left beside `out` are removed first. When `out` is a symbolic link to a folder, the
/// target is replaced and the link kept.
pub fn write_site(
    out: &Path,
    progress: Option<std::sync::Arc<crate::progress::Progress>>,
    fill: impl FnOnce(&Staging) -> Result<()>,
) -> Result<Written> {
    let mut out = std::path::absolute(out)?;
    if std::fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink()) {
        out = out.canonicalize().with_context(|| format!("cannot follow the link `{}`", out.display()))?;
    }
    let parent = out.parent().context("the output folder has no parent folder")?;
    let name = out.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    fs_util::create_dir_all(parent)?;
    let mut written = Written { warnings: remove_leftovers(parent, &name), files: 0 };
    let pid = std::process::id();
    let dir = parent.join(staging_name(&name, Leftover::New, pid));
    if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
        // Left by an earlier build whose process had our id.
        fs_util::remove_dir_all(&dir)?;
    }
    let staging = Staging { dir, folders: Default::default(), files: Default::default(), progress };
    let result = fs_util::create_dir_all(&staging.dir)
        .and_then(|()| fs_util::write(&staging.dir.join(MARKER_FILE), MARKER_TEXT.as_bytes()))
        .and_then(|()| fill(&staging))
        .and_then(|()| swap(&staging.dir, &out, parent, &name, pid));
    if result.is_err() && staging.dir.exists() {
        let _ = std::fs::remove_dir_all(&staging.dir);
    }
    written.warnings.extend(result?);
    written.files = staging.files();
    Ok(written)
}

/// The two folders a build keeps beside the output while it writes and swaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leftover {
    New,
    Old,
}

/// `.public.canhbao-new-<pid>` / `.public.canhbao-old-<pid>`.
fn staging_name(name: &str, which: Leftover, pid: u32) -> String {
    let which = match which {
        Leftover::New => "new",
        Leftover::Old => "old",
    };
    format!(".{name}.canhbao-{which}-{pid}")
}

/// The pid in a name made by [`staging_name`] for the output folder `name`.
fn leftover_pid(entry: &str, name: &str) -> Option<u32> {
    let rest = entry.strip_prefix('.')?.strip_prefix(name)?.strip_prefix(".canhbao-")?;
    let pid = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-"))?;
    if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    pid.parse().ok()
}

/// Removes the staging folders an earlier build of `name` left in `parent` when it was killed:
/// only folders (not links) with our names, whose process is gone. A failure is a warning.
fn remove_leftovers(parent: &Path, name: &str) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(parent) else { return Vec::new() };
    let mut warnings = Vec::new();
    for entry in entries.flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = leftover_pid(&entry_name, name) else { continue };
        if pid == std::process::id() || is_running(pid) || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        if let Err(err) = fs_util::remove_dir_all(&entry.path()) {
            warnings.push(Diagnostic::new("", Message::LeftoversNotRemoved { error: format!("{err:#}") }));
        }
    }
    warnings
}

/// Whether a process with this id exists (on systems where this cannot be asked, it is
/// assumed to, so its folders are left alone).
#[cfg(unix)]
fn is_running(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

#[cfg(not(unix))]
fn is_running(_pid: u32) -> bool {
    true
}

/// Puts `staging` in place of `out`. Once the new output is live, nothing fails the build:
/// the previous output that cannot be removed is a warning.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str, pid: u32) -> Result<Vec<Diagnostic>> {
    if !out.exists() {
        return fs_util::rename(staging, out).map(|()| Vec::new());
    }
    let old = parent.join(staging_name(name, Leftover::Old, pid));
    if std::fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir()) {
        // Left by an earlier build whose process had our id.
        fs_util::remove_dir_all(&old)?;
    }
    fs_util::rename(out, &old)?;
    if let Err(err) = fs_util::rename(staging, out) {
        // Put the previous output back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(err);
    }
    Ok(match fs_util::remove_dir_all(&old) {
        Ok(()) => Vec::new(),
        Err(err) => vec![Diagnostic::new("", Message::OldOutputNotRemoved { error: format!("{err:#}") })],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_stay_inside() {
        for good in ["index.html", "canh-bao/x/index.html", "anh/ảnh 1.png", "a..b/c"] {
            assert!(check_output_path(good).is_ok(), "{good}");
        }
        for bad in ["", "/etc/passwd", "../x", "a/../../x", "a/./b", "a//b", "..", "a\\..\\b", "a/"] {
            assert!(check_output_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn leftover_names_are_ours_only() {
        assert_eq!(leftover_pid(&staging_name("public", Leftover::New, 42), "public"), Some(42));
        assert_eq!(leftover_pid(&staging_name("public", Leftover::Old, 7), "public"), Some(7));
        assert_eq!(leftover_pid(".public.canhbao-new-", "public"), None);
        assert_eq!(leftover_pid(".public.canhbao-new-12x", "public"), None);
        assert_eq!(leftover_pid(".other.canhbao-new-12", "public"), None);
        assert_eq!(leftover_pid("public.canhbao-old-12", "public"), None);
    }

    fn staging(dir: &Path) -> Staging {
        std::fs::create_dir_all(dir).unwrap();
        Staging { dir: dir.to_path_buf(), folders: Default::default(), files: Default::default(), progress: None }
    }

    #[test]
    fn the_staging_writer_writes_inside_once_per_path_issue_10() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = staging(&tmp.path().join("new"));
        staging.write("a/b/c.html", b"c").unwrap();
        staging.write("a/b/d.html", b"d").unwrap();
        assert_eq!(std::fs::read(tmp.path().join("new/a/b/c.html")).unwrap(), b"c");
        for bad in ["../x", "/etc/x", "a/../../x", MARKER_FILE, "a/b/c.html"] {
            assert!(staging.write(bad, b"x").is_err(), "{bad}");
        }
        // Written twice by a copy or a link: refused too, and the first bytes stay.
        let other = tmp.path().join("other.html");
        std::fs::write(&other, b"other").unwrap();
        for twice in [staging.copy("a/b/c.html", &other), staging.link("a/b/c.html", &other)] {
            let error = twice.unwrap_err();
            assert!(error.to_string().contains("`a/b/c.html` twice"), "{error:?}");
        }
        assert_eq!(std::fs::read(tmp.path().join("new/a/b/c.html")).unwrap(), b"c");
        staging.copy("a/e.html", &other).unwrap();
        assert_eq!(std::fs::read(tmp.path().join("new/a/e.html")).unwrap(), b"other");
        assert_eq!(staging.files(), 3);
        assert!(!tmp.path().join("x").exists());
        let memory = MemorySink::default();
        memory.write("x.html", b"1").unwrap();
        assert!(memory.write("x.html", b"2").is_err() && memory.write("../y", b"").is_err());
        assert!(Discard.write("../y", b"").is_err() && Discard.write("y", b"").is_ok());
    }

    #[test]
    fn cache_files_are_linked_on_one_device_and_copied_across_issue_10() {
        use std::os::unix::fs::MetadataExt;
        let tmp = tempfile::tempdir().unwrap();
        let from = tmp.path().join("cached.png");
        std::fs::write(&from, b"png").unwrap();
        let here = staging(&tmp.path().join("new"));
        here.link("card.png", &from).unwrap();
        assert_eq!(
            std::fs::metadata(tmp.path().join("new/card.png")).unwrap().ino(),
            std::fs::metadata(&from).unwrap().ino()
        );
        // tmpfs is another device than the temp folder on most machines: there it is a copy.
        let shm = Path::new("/dev/shm");
        if shm.is_dir() && std::fs::metadata(shm).unwrap().dev() != std::fs::metadata(tmp.path()).unwrap().dev() {
            let other = tempfile::tempdir_in(shm).unwrap();
            let there = staging(&other.path().join("new"));
            there.link("card.png", &from).unwrap();
            let copy = other.path().join("new/card.png");
            assert_eq!(std::fs::read(&copy).unwrap(), b"png");
            assert_eq!(std::fs::metadata(&copy).unwrap().nlink(), 1);
        }
    }

    #[test]
    fn this_process_is_running() {
        assert!(is_running(std::process::id()));
    }
}
