//! The material made for each article and leaflet beyond its page: channel texts (issue 12)
//! and presenters' material (issue 14). One job per item reads the item's body once and makes
//! its files ([`Job::Material`]); small jobs make the kits index and bulk-SMS file, each
//! hand-written deck and each handbook. What every job needs (fonts, radio lines, the issuer)
//! is made once per build, in [`Material::new`].

use anyhow::Result;

use crate::cache::Cache;
use crate::channels::Channels;
use crate::output::{OutputFile, Sink};
use crate::present::Present;
use crate::site::routes::JobId;
use crate::site::{Job, Site};

/// What the material of a build is made with.
pub(crate) struct Material<'a> {
    site: &'a Site,
    channels: Channels<'a>,
    present: Present<'a>,
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
        let present = Present::new(site, tera, origins, renderer.shared.site().clone(), pdf, renderer.fonts()?)?;
        Ok(Some(Material { site, channels, present }))
    }

    /// Runs job `id` (one of this module's), writing to `sink` the files the route table
    /// claims for it, each as soon as it is made.
    pub(crate) fn run(&self, job: &Job, id: JobId, cache: &Cache, sink: &dyn Sink) -> Result<()> {
        // A file the route table gives another owner (whose claim won, and was reported) is
        // not written.
        let sink = &super::OnlyJob { routes: &self.site.routes, job: id, sink };
        let files = match *job {
            Job::Material(item) => {
                // The one reading of the body's structure, for both.
                let outline = crate::present::outline::outline(&self.site.body_of(item)?);
                let files = self.channels.item_files(item, &crate::channels::points::of(&outline))?;
                write_all(&files, sink)?;
                return self.present.write_item(item, &outline, cache, sink);
            }
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
