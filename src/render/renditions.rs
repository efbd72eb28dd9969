//! The re-encoded images of the site (planned in [`crate::pictures`], made by
//! [`crate::images`]): each source file is read and decoded once, its renditions are encoded in
//! parallel with the other files', and every rendition is cached by a hash of the source's bytes,
//! its size and format and [`crate::images::ENCODER_VERSION`], so a second build reads them from
//! the cache instead of decoding photos again.

use std::cell::OnceCell;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::cache::{Cache, Made};
use crate::images::{self, Rendition};
use crate::site::Site;
use crate::{fs_util, pictures};

/// Namespace of the renditions in the cache.
const CACHE_KIND: &str = "img";

/// Every rendition of the site's image plan: (output path, made).
pub fn rendition_files(site: &Site, cache: &Cache) -> Result<Vec<(String, Made)>> {
    let mut by_source: BTreeMap<&Path, Vec<(&str, &Rendition)>> = BTreeMap::new();
    for (out, rendition) in &site.images.renditions {
        by_source.entry(&rendition.source).or_default().push((out, rendition));
    }
    let files: Vec<Vec<(String, Made)>> = by_source
        .par_iter()
        .map(|(source, renditions)| {
            let bytes = fs_util::read(source)?;
            let hash = Cache::key(&[&bytes]);
            let shown = pictures::shown(source, &site.config);
            // Decoding is the costly part: only done on a cache miss, once for all widths.
            let decoded = OnceCell::new();
            renditions
                .iter()
                .map(|&(out, r)| {
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
                    Ok((out.to_string(), encoded))
                })
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    Ok(files.into_iter().flatten().collect())
}
