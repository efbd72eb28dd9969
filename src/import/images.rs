//! Images of imported posts. A picture found in the export's folder or the old repository
//! (beside the post, under `static/`, in WordPress' `uploads/`) is copied beside the new
//! article. A picture on another host is listed in the report; with `--fetch-images` it is
//! downloaded (HTTPS only, at most [`MAX_IMAGE_BYTES`], checked to be a picture) so the built
//! site loads nothing from a third-party host. Plain `http://` is allowed to a loopback address
//! only (`127.0.0.1`, `localhost`, `[::1]`): that is how the tests serve pictures.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::old_urls::{self, Index};
use crate::progress::Progress;
use crate::{text, urls};

/// The largest picture `--fetch-images` downloads.
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

/// Where a picture of a post comes from.
#[derive(Debug, Clone)]
pub enum Found {
    /// A file of the export's folder or the old repository.
    Local(PathBuf),
    /// Downloaded bytes.
    Fetched(Arc<Vec<u8>>),
}

/// A downloaded picture's bytes, or why it could not be downloaded.
pub type Download = Result<Arc<Vec<u8>>, String>;

/// Looks up and downloads pictures for every post of one import (downloads are shared).
#[derive(Debug)]
pub struct Images {
    /// Folders whose files may be copied (the source folder, the export's folder).
    roots: Vec<PathBuf>,
    fetch: bool,
    progress: Option<Arc<Progress>>,
    fetched: Mutex<HashMap<String, Download>>,
}

impl Images {
    pub fn new(roots: Vec<PathBuf>, fetch: bool, progress: Option<Arc<Progress>>) -> Images {
        let roots = roots.into_iter().filter_map(|r| r.canonicalize().ok()).collect();
        Images { roots, fetch, progress, fetched: Mutex::default() }
    }

    /// A local copy of an image of the old site: relative to the post's folder, or a path of the
    /// old site under one of the roots (WordPress' `/wp-content/uploads/…` also under
    /// `uploads/`). Only files inside the roots are ever read.
    pub fn local(&self, url: &str, post_dir: Option<&Path>, index: &Index) -> Option<PathBuf> {
        let parts = old_urls::split(url).filter(|p| index.is_own(p))?;
        let path = urls::site_path(parts.path).ok()?;
        let mut candidates = Vec::new();
        if let Some(rel) = path.strip_prefix('/') {
            for root in &self.roots {
                candidates.push(root.join(rel));
                for marker in ["wp-content/uploads/", "uploads/"] {
                    if let Some(i) = rel.find(marker) {
                        let after = &rel[i + marker.len()..];
                        candidates.push(root.join("uploads").join(after));
                        candidates.push(root.join("wp-content/uploads").join(after));
                    }
                }
            }
        } else if let Some(dir) = post_dir {
            candidates.push(dir.join(&path));
        }
        candidates.into_iter().find_map(|c| {
            let real = c.canonicalize().ok()?;
            (real.is_file() && self.roots.iter().any(|r| real.starts_with(r))).then_some(real)
        })
    }

    /// Whether `url` is a remote picture (on another host than the old site).
    pub fn is_remote(url: &str, index: &Index) -> bool {
        old_urls::split(url).is_some_and(|p| p.host.is_some() && !index.is_own(&p))
    }

    /// The bytes of a remote picture when `--fetch-images` is on (once per URL), else None.
    pub fn fetch(&self, url: &str) -> Option<Download> {
        if !self.fetch {
            return None;
        }
        if let Some(done) = self.fetched.lock().ok()?.get(url) {
            return Some(done.clone());
        }
        if let Some(p) = &self.progress {
            p.add_total(1);
        }
        let result = download(url).map(Arc::new);
        if let Some(p) = &self.progress {
            p.step();
        }
        self.fetched.lock().ok()?.insert(url.to_string(), result.clone());
        Some(result)
    }
}

/// Whether `url` may be downloaded: `https://`, or `http://` to a loopback address.
fn allowed(url: &str) -> Result<bool, String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(false);
    }
    let host = old_urls::split(url).and_then(|p| p.host).unwrap_or_default();
    if lower.starts_with("http://") && matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
        return Ok(true);
    }
    Err("only https:// addresses are downloaded".into())
}

/// Downloads one picture: at most [`MAX_IMAGE_BYTES`], and it must be a PNG, JPEG, GIF or WebP.
fn download(url: &str) -> Result<Vec<u8>, String> {
    let loopback = allowed(url)?;
    let config = ureq::Agent::config_builder()
        .https_only(!loopback)
        .max_redirects(if loopback { 0 } else { 5 })
        .timeout_global(Some(Duration::from_secs(60)))
        .build();
    let agent = ureq::Agent::new_with_config(config);
    let mut response = agent.get(url).call().map_err(|e| e.to_string())?;
    let bytes = response
        .body_mut()
        .with_config()
        .limit(MAX_IMAGE_BYTES)
        .read_to_vec()
        .map_err(|e| format!("{e} (at most {} MB)", MAX_IMAGE_BYTES / 1024 / 1024))?;
    extension(&bytes).map(|_| bytes).ok_or_else(|| "not a PNG, JPEG, GIF or WebP picture".into())
}

/// The file extension of a picture's bytes.
pub fn extension(bytes: &[u8]) -> Option<&'static str> {
    Some(match image::guess_format(bytes).ok()? {
        image::ImageFormat::Png => "png",
        image::ImageFormat::Jpeg => "jpg",
        image::ImageFormat::Gif => "gif",
        image::ImageFormat::WebP => "webp",
        _ => return None,
    })
}

/// A file name for a picture in an article's folder, from the last segment of its URL:
/// slugified stem, lower-case extension (`ext` when given), not in `taken`.
pub fn file_name(url: &str, ext: Option<&str>, taken: &[String]) -> String {
    let path = old_urls::split(url).map_or(url, |p| p.path);
    let last = text::nfc(&urls::percent_decode(path.rsplit('/').next().unwrap_or("")));
    let (stem, own_ext) = last.rsplit_once('.').unwrap_or((&last, ""));
    let own_ext = own_ext.to_ascii_lowercase();
    let ext = ext.unwrap_or(if own_ext.is_empty() || !own_ext.bytes().all(|b| b.is_ascii_alphanumeric()) {
        "img"
    } else {
        &own_ext
    });
    let mut stem = text::slugify(stem);
    stem.truncate(80);
    let stem = if stem.is_empty() { "anh".to_string() } else { stem.trim_end_matches('-').to_string() };
    let mut name = format!("{stem}.{ext}");
    let mut n = 2;
    while taken.contains(&name) || name == "index.md" {
        name = format!("{stem}-{n}.{ext}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_only_https_or_loopback_http() {
        assert_eq!(allowed("https://x.example/a.png"), Ok(false));
        assert_eq!(allowed("http://127.0.0.1:8080/a.png"), Ok(true));
        assert_eq!(allowed("http://localhost/a.png"), Ok(true));
        assert!(allowed("http://x.example/a.png").is_err());
        assert!(allowed("ftp://x.example/a.png").is_err());
    }

    #[test]
    fn issue_13_file_names() {
        assert_eq!(file_name("https://x/a/Tin%20Nh%E1%BA%AFn.PNG?w=1", None, &[]), "tin-nhan.png");
        assert_eq!(file_name("https://x/a/s1600/", Some("jpg"), &[]), "anh.jpg");
        assert_eq!(file_name("https://x/b.png", None, &["b.png".into()]), "b-2.png");
        assert_eq!(file_name("https://x/index.md", None, &[]), "index-2.md");
    }
}
