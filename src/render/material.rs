//! The material made for each article and leaflet beyond its page: channel texts (issue 12)
//! and presenters' material (issue 14). One job per item reads the item's body once and makes
//! its files ([`Job::Material`]); small jobs make the kits index and bulk-SMS file, each
//! hand-written deck and each handbook. What every job needs (fonts, radio lines, the issuer)
//! is made once per build, in [`Material::new`].
//!
//! An article's material is kept in the cache ([`super::recording`], one entry per source
//! file) and written from it by the next build when nothing it is made from changed. The key
//! ([`Material::key`]) covers this program, site.yaml, the templates and the static files they
//! point to, the theme's fonts, the `site` value of the templates, whether PDFs are made, and of
//! the article its source file (path and fingerprint: the front matter and summary are read from
//! it), its bundle's files, site path, both short links and the leaflets that lead to it. **Whatever the material comes to read must be
//! added to the key**, and the edit to `tests/material_cache.rs`. A leaflet's material is made
//! every time (a site has few).

use std::fmt::Write as _;

use anyhow::Result;
use sha2::{Digest, Sha256};

use crate::cache::Cache;
use crate::channels::Channels;
use crate::output::{OutputFile, Sink};
use crate::present::Present;
use crate::render::views::SiteView;
use crate::site::routes::JobId;
use crate::site::{ItemRef, Job, Site};

/// The cache namespace of kept material.
const KIND: &str = "material";

/// What the material of a build is made with.
pub(crate) struct Material<'a> {
    site: &'a Site,
    channels: Channels<'a>,
    present: Present<'a>,
    /// The part of every key that is the same for the whole build; None when this program's
    /// file cannot be told apart from another build of it (then nothing is kept).
    build: Option<String>,
}

impl<'a> Material<'a> {
    /// `None` when the route table has no job for it.
    pub(crate) fn new(renderer: &'a super::Renderer<'a>) -> Result<Option<Material<'a>>> {
        let site = renderer.site;
        let wanted = site
            .routes
            .jobs()
            .iter()
            .any(|t| matches!(t.job, Job::Material(_) | Job::ChannelsIndex | Job::Deck(_) | Job::Handbook(_)));
        if !wanted {
            return Ok(None);
        }
        let (tera, origins, view, pdf) = (&renderer.tera, &renderer.origins, &renderer.site_view, renderer.pdf);
        let channels = Channels::new(site, tera, origins, view, &renderer.shared, pdf)?;
        let fonts = renderer.fonts()?;
        let present = Present::new(site, tera, origins, renderer.shared.site().clone(), pdf, fonts)?;
        let build = build_key(site, origins.digest(), view, &fonts.hash, pdf);
        Ok(Some(Material { site, channels, present, build }))
    }

    /// The cache key of article `i`'s material: the build's part and everything of the article
    /// its material shows (see the module's documentation).
    fn key(&self, i: usize) -> Option<String> {
        let build = self.build.as_ref()?;
        let site = self.site;
        let a = &site.articles[i];
        let mut hasher = Hashing(Sha256::new());
        let short = crate::shortlinks::article_short_path(site, a);
        let sms = site.short_codes.sms_path(&a.path);
        // The article (its front matter and summary too) is read from its source, its bundle's
        // files and site.yaml (in `build`): the source's fingerprint stands for it, whether the
        // model holds its text or not (issue 10: its Debug form was 7 % of a cached build).
        // Debug output escapes control characters: the NULs keep the fields apart.
        let item = &a.article.item;
        let files: Vec<&std::path::Path> = item.files.iter().map(|f| f.path.as_path()).collect();
        let (source, fingerprint) = (&item.source.display, item.fingerprint());
        write!(hasher, "{build}\0{source:?}\0{fingerprint:?}\0{files:?}\0{:?}\0{short:?}\0{sms:?}", a.path).ok()?;
        let permalink = site.urls.permalink(&a.path);
        for l in site.leaflets.iter().filter(|l| l.target == permalink) {
            write!(hasher, "\0{l:?}").ok()?;
        }
        Some(crate::cache::hex(&hasher.0.finalize()))
    }

    /// Makes the material of `item`, written to `sink`.
    fn make(&self, item: ItemRef, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        // The one reading of the body's structure, for both.
        let outline = crate::present::outline::outline(&self.site.body_of(item)?);
        let files = self.channels.item_files(item, &crate::channels::points::of(&outline))?;
        write_all(&files, sink)?;
        self.present.write_item(item, &outline, cache, sink)
    }

    /// Writes article `i`'s material from the cache when it is kept there, else makes it and
    /// keeps it.
    fn article(&self, i: usize, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        let item = ItemRef::Article(i);
        let Some(key) = self.key(i) else { return self.make(item, cache, sink) };
        // One slot per source file: an entry made again replaces the last.
        let slot = Cache::key(&[self.site.articles[i].article.source.display.as_bytes()]);
        let slot = (KIND, slot.as_str());
        if let Some(kept) = super::recording::Kept::read(cache, slot, &key)
            && let Ok(sms) = serde_json::from_slice(&kept.data)
        {
            kept.replay(cache, sink)?;
            self.channels.keep_sms(item, sms);
            return Ok(());
        }
        let recorder = super::recording::Recorder::new(cache, sink);
        self.make(item, cache, &recorder)?;
        if let Some(Ok(data)) = self.channels.sms(item).map(serde_json::to_vec) {
            recorder.keep(slot, &key, &data);
        }
        Ok(())
    }

    /// Runs job `id` (one of this module's), writing to `sink` the files the route table
    /// claims for it, each as soon as it is made.
    pub(crate) fn run(&self, job: &Job, id: JobId, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        // A file the route table gives another owner (whose claim won, and was reported) is
        // not written.
        let sink = &super::OnlyJob { routes: &self.site.routes, job: id, sink };
        let files = match *job {
            Job::Material(ItemRef::Article(i)) => return self.article(i, cache, sink),
            Job::Material(item) => return self.make(item, cache, sink),
            Job::ChannelsIndex => self.channels.index_files()?,
            Job::Deck(k) => vec![self.present.own_deck_file(k, cache)?],
            Job::Handbook(k) => self.present.handbook_files(k, cache)?,
            ref other => anyhow::bail!("internal error: {other:?} is not a job of the material"),
        };
        write_all(&files, sink)
    }
}

fn write_all(files: &[OutputFile], sink: &dyn Sink) -> Result<()> {
    files.iter().try_for_each(|f| sink.write(&f.path, &f.bytes))
}

/// The part of the material's keys that is the same for every article of a build: this program
/// ([`crate::cache::program`]),
/// site.yaml as loaded, the templates and static files (`templates`:
/// [`super::templates::Origins::digest`]), the templates' `site` value (serialised from its
/// fields: a Tera map's order changes from run to run), the fonts and whether PDFs are linked.
fn build_key(site: &Site, templates: &str, site_value: &SiteView, fonts: &str, pdf: bool) -> Option<String> {
    let program = crate::cache::program()?;
    let config = format!("{:?}", site.config);
    let value = serde_json::to_vec(site_value).ok()?;
    let parts: [&[u8]; 7] = [
        b"material-v1",
        program.as_bytes(),
        config.as_bytes(),
        templates.as_bytes(),
        &value,
        fonts.as_bytes(),
        &[pdf as u8],
    ];
    Some(Cache::key(&parts))
}

/// A hasher that Debug output is written to, without making a string of it.
struct Hashing(Sha256);

impl std::fmt::Write for Hashing {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}
