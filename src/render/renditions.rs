//! The re-encoded images of the site (planned in [`crate::pictures`], made by
//! [`crate::images`]): each source file is read and decoded once, its renditions are encoded in
//! parallel with the other files', and every rendition is cached by a hash of the source's bytes,
//! its size and format and [`crate::images::ENCODER_VERSION`], so a second build reads them from
//! the cache instead of decoding photos again.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};

use crate::cache::Cache;
use crate::images::{self, Rendition};
use crate::output::Sink;
use crate::site::Site;
use crate::{fs_util, pictures};

/// Namespace of the renditions in the cache.
const CACHE_KIND: &str = "img";

/// The renditions of the site's image plan by source file: (output path, rendition).
pub fn by_source(site: &Site) -> BTreeMap<&Path, Vec<(&str, &Rendition)>> {
    let mut by_source: BTreeMap<&Path, Vec<(&str, &Rendition)>> = BTreeMap::new();
    for (out, rendition) in &site.images.renditions {
        by_source.entry(&rendition.source).or_default().push((out, rendition));
    }
    by_source
}

/// Makes (or reads from the cache) the renditions of the image `source` and writes them to
/// `sink`. The source is read once and decoded at most once, for all widths.
pub fn write_renditions(
    site: &Site,
    source: &Path,
    renditions: &[(&str, &Rendition)],
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<()> {
    let bytes = fs_util::read(source)?;
    let hash = Cache::key(&[&bytes]);
    let shown = pictures::shown(source, &site.config);
    let decoded = OnceCell::new();
    for &(out, r) in renditions {
        let encoded = cache.get_or_make_file(CACHE_KIND, &r.cache_key(&hash), || {
            if decoded.get().is_none() {
                let image = images::decode(&bytes)
                    .with_context(|| format!("cannot decode the image `{shown}`: is the file damaged?"))?;
                let _ = decoded.set(image);
            }
            let image = decoded.get().expect("set above");
            images::encode(image, r.width, r.height, r.format)
                .with_context(|| format!("cannot re-encode the image `{shown}` at {} px", r.width))
        })?;
        sink.made(out, &encoded)?;
    }
    Ok(())
}
