//! Writing the site: files rendered in memory and files copied from the sources go into a
//! fresh folder beside the output folder, which then replaces it in two renames. A failed build
//! leaves the previous output exactly as it was; nothing outside the output folder is removed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::config::Config;
use crate::{content, fs_util};

/// A generated file, by its path relative to the output folder (`/` separators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// What rendering produced: files in memory, and large generated files (social cards, images)
/// to copy from the cache when the output is written.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopyFile>,
}

/// Adds files made through the cache, `(path in the output, made)`.
impl Extend<(String, crate::cache::Made)> for Rendered {
    fn extend<I: IntoIterator<Item = (String, crate::cache::Made)>>(&mut self, made: I) {
        for (path, made) in made {
            match made {
                crate::cache::Made::Cached(from) => self.copies.push(CopyFile { from, to: path }),
                crate::cache::Made::Bytes(bytes) => self.files.push(OutputFile { path, bytes }),
            }
        }
    }
}

/// A source file copied as is.
#[derive(Debug, Clone)]
pub struct CopyFile {
    pub from: PathBuf,
    pub to: String,
}

/// Refuses output folders whose replacement would destroy something else: `/`, the home
/// folder, the site root or a folder above it, a source folder, or a folder holding a site.
pub fn check_output_dir(out: &Path, config: &Config) -> Result<()> {
    let out = std::path::absolute(out)?;
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let out_c = canonical(&out);
    let refuse = |why: &str| -> Result<()> {
        bail!(
            "refusing to use `{}` as the output folder: {why}; choose an empty or generated folder such as `public`",
            out.display()
        )
    };
    if out_c.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && canonical(&home) == out_c
    {
        return refuse("it is your home folder");
    }
    if canonical(&config.root).starts_with(&out_c) {
        return refuse("it holds the site itself");
    }
    for source in [&config.content_dir, &config.static_dir, &config.templates_dir, &config.root.join("themes")] {
        if out_c.starts_with(canonical(source)) {
            return refuse("it is inside a source folder of the site");
        }
    }
    if out_c.join("content").exists() || out_c.join(crate::config::CONFIG_FILE).exists() {
        return refuse("it contains a `content/` folder or a site.yaml");
    }
    if out_c.exists() && !out_c.is_dir() {
        return refuse("it is a file");
    }
    Ok(())
}

/// Files of the theme's `static/` then the site's `static/` (the site wins on the same path),
/// and content hashes of the stylesheets and scripts among them, for cache-busting URLs.
pub fn static_files(config: &Config) -> Result<(Vec<CopyFile>, HashMap<String, String>)> {
    let mut by_path: std::collections::BTreeMap<String, PathBuf> = Default::default();
    for dir in [config.theme_dir.join("static"), config.static_dir.clone()] {
        if !dir.is_dir() {
            continue;
        }
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
            if entry.file_type().is_file() {
                let rel = content::slash_path(entry.path().strip_prefix(&dir)?);
                by_path.insert(rel, entry.into_path());
            }
        }
    }
    let mut hashes = HashMap::new();
    for (rel, path) in &by_path {
        if rel.ends_with(".css") || rel.ends_with(".js") {
            hashes.insert(rel.clone(), short_hash(&fs_util::read(path)?));
        }
    }
    let copies = by_path.into_iter().map(|(to, from)| CopyFile { from, to }).collect();
    Ok((copies, hashes))
}

/// First 10 hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Writes `copies` then `files` (generated files win) into a new folder, runs `finish` on it
/// (e.g. to print PDFs from its pages), then swaps it in place of `out`.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    copies: &[CopyFile],
    progress: Option<&crate::progress::Progress>,
    finish: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let out = std::path::absolute(out)?;
    let parent = out.parent().context("the output folder has no parent folder")?;
    let name = out.file_name().context("the output folder has no name")?.to_string_lossy().into_owned();
    fs_util::create_dir_all(parent)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.canhbao-new-{pid}"));
    if staging.exists() {
        fs_util::remove_dir_all(&staging)?;
    }
    let result = fill(&staging, files, copies, progress)
        .and_then(|()| finish(&staging))
        .and_then(|()| swap(&staging, &out, parent, &name, pid));
    if result.is_err() && staging.exists() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn fill(
    staging: &Path,
    files: &[OutputFile],
    copies: &[CopyFile],
    progress: Option<&crate::progress::Progress>,
) -> Result<()> {
    fs_util::create_dir_all(staging)?;
    // Folders to create, as strings: comparing paths component by component is slow.
    let dirs: std::collections::BTreeSet<&str> = copies
        .iter()
        .map(|c| c.to.as_str())
        .chain(files.iter().map(|f| f.path.as_str()))
        .filter_map(|p| p.rsplit_once('/').map(|(dir, _)| dir))
        .collect();
    for dir in dirs {
        fs_util::create_dir_all(&staging.join(dir))?;
    }
    let step = || {
        if let Some(p) = progress {
            p.step();
        }
    };
    copies.par_iter().try_for_each(|c| fs_util::copy(&c.from, &staging.join(&c.to)).inspect(|_| step()))?;
    files.par_iter().try_for_each(|f| fs_util::write(&staging.join(&f.path), &f.bytes).inspect(|_| step()))
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str, pid: u32) -> Result<()> {
    if !out.exists() {
        return fs_util::rename(staging, out);
    }
    let old = parent.join(format!(".{name}.canhbao-old-{pid}"));
    fs_util::rename(out, &old)?;
    if let Err(err) = fs_util::rename(staging, out) {
        // Put the previous output back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(err);
    }
    fs_util::remove_dir_all(&old)
}
