//! The build, top to bottom: load config -> discover + parse content -> model -> render -> write.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cache::Cache;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostics::ContentErrors;
use crate::output::{self, CopyFile, OutputFile};
use crate::print::{self, Chromium};
use crate::site::Site;
use crate::{content, registry, render};

/// What to build and where.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `public` under the root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
    /// Print leaflets to PDF with Chromium.
    pub pdf: bool,
    /// Chromium to use (default: found on PATH).
    pub chromium: Option<PathBuf>,
    /// Counts rendered pages and written files, for a progress bar.
    pub progress: Option<std::sync::Arc<crate::progress::Progress>>,
    /// Replace an output folder that canhbao did not write (see [`output::check_output_dir_with`]).
    pub force: bool,
}

impl From<BuildArgs> for BuildOptions {
    fn from(args: BuildArgs) -> Self {
        BuildOptions {
            root: args.root,
            output: args.output,
            drafts: args.drafts,
            base_url: args.base_url,
            pdf: args.print.pdf,
            chromium: args.print.chromium,
            progress: None,
            force: args.force,
        }
    }
}

/// Counts, timings and warnings of a finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub articles: usize,
    pub pages: usize,
    pub leaflets: usize,
    pub files: usize,
    /// QR codes made (each as SVG and PNG).
    pub qr_codes: usize,
    pub pdfs: usize,
    /// URLs added to printed-urls.txt.
    pub registered: Vec<String>,
    /// Things the editor should know that did not stop the build.
    pub warnings: Vec<crate::Diagnostic>,
    /// Reading, parsing, validating and rendering Markdown.
    pub load: Duration,
    /// Rendering templates and QR codes.
    pub render: Duration,
    /// Writing (and printing PDFs) and swapping the output folder.
    pub write: Duration,
}

/// The English one-line summary (the CLI prints it in the editor's language).
impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::i18n::Lang::En.build_summary(self))
    }
}

/// Builds the site in memory without writing anything.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    let (discovered, problems) = content::discover(&config)?;
    Site::new(config, discovered, problems).map_err(|problems| ContentErrors(problems).into())
}

/// Everything a build computes before it writes: the model, the rendered files, the files to
/// copy, and what the editor should be told. `check` stops here; `build` goes on to [`write`].
pub struct Prepared {
    pub site: Site,
    pub out: PathBuf,
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopyFile>,
    /// The Chromium that will print the leaflets, when `--pdf` asked for it and one was found.
    pub chromium: Option<Chromium>,
    pub warnings: Vec<crate::Diagnostic>,
    printed_before: Vec<registry::Entry>,
    progress: Option<std::sync::Arc<crate::progress::Progress>>,
    load: Duration,
    render: Duration,
}

/// Loads, validates and renders the site in memory; nothing is written but the cache of
/// generated files (`cache`, default the site's `<root>/.canhbao-cache`, written).
pub fn prepare(options: &BuildOptions, cache: Option<Cache>) -> Result<Prepared> {
    let start = Instant::now();
    let site = load_site(options)?;
    let loaded = start.elapsed();
    let mut prepared = prepare_site(site, options, cache)?;
    prepared.load += loaded;
    Ok(prepared)
}

/// [`prepare`] for a site already loaded (`check` loads it itself, to merge its own problems
/// into the model's): the output-folder check, the registry of printed URLs, rendering.
pub fn prepare_site(site: Site, options: &BuildOptions, cache: Option<Cache>) -> Result<Prepared> {
    let start = Instant::now();
    let out = options.output.clone().unwrap_or_else(|| site.config.root.join("public"));
    output::check_output_dir_with(&out, &site.config, options.force)?;
    let printed_before = registry::read(&site.config.root).map_err(|d| ContentErrors(vec![d]))?;
    let load = start.elapsed();

    let start = Instant::now();
    let mut warnings = site.warnings.clone();
    let chromium = if options.pdf && (!site.leaflets.is_empty() || crate::present::wants_chromium(&site)) {
        let found = Chromium::find(options.chromium.as_deref())?;
        if found.is_none() {
            warnings.push(crate::Diagnostic::new("", crate::Message::ChromiumNotFound));
        }
        found
    } else {
        None
    };
    if chromium.is_none() {
        warnings.extend(site.leaflets.iter().filter_map(render::leaflets::fit_estimate));
    }
    let mut copies = site.static_files.clone();
    let assets = output::asset_hashes(&copies)?;
    let cache = cache.unwrap_or_else(|| Cache::new(&site.config.root.join(crate::cache::CACHE_DIR)));
    let render_options = render::RenderOptions { assets, pdf: chromium.is_some(), progress: options.progress.clone() };
    let output::Rendered { files, copies: generated } = render::render_site(&site, render_options, &cache)?;
    copies.extend(generated);
    for (path, bundle) in site
        .articles
        .iter()
        .map(|a| (&a.path, &a.article.files))
        .chain(site.pages.iter().map(|p| (&p.path, &p.page.files)))
        .chain(site.leaflets.iter().map(|l| (&l.path, &l.leaflet.files)))
    {
        let dir = path.trim_start_matches('/');
        copies.extend(bundle.iter().map(|f| CopyFile { from: f.path.clone(), to: format!("{dir}{}", f.rel) }));
    }
    // Images shown through re-encodings: their originals (EXIF, GPS) never reach the output.
    let images = &site.images;
    copies.retain(|c| !images.withholds(&c.from));
    let copied: BTreeSet<String> = copies.iter().map(|c| c.to.clone()).collect();
    copies.extend(
        images
            .copies
            .iter()
            .filter(|(to, _)| !copied.contains(*to))
            .map(|(to, from)| CopyFile { from: from.clone(), to: to.clone() }),
    );
    let outputs: BTreeSet<&str> =
        files.iter().map(|f| f.path.as_str()).chain(copies.iter().map(|c| c.to.as_str())).collect();
    let unresolved = registry::check(&printed_before, &site.config.published_base_url, &outputs);
    if !unresolved.is_empty() {
        return Err(ContentErrors(unresolved).into());
    }
    Ok(Prepared {
        site,
        out,
        files,
        copies,
        chromium,
        warnings,
        printed_before,
        progress: options.progress.clone(),
        load,
        render: start.elapsed(),
    })
}

/// Writes a prepared site into `out` (atomically), printing the leaflets to PDF on the way
/// when Chromium is there. Returns the number of PDFs.
pub fn write(prepared: &Prepared, out: &Path) -> Result<usize> {
    write_then(prepared, out, || Ok(())).map(|(pdfs, _)| pdfs)
}

/// [`write`], running `before_swap` once everything is written and printed, just before the new
/// output replaces the old one (the swap is the last step that can fail a build). Returns the
/// number of PDFs and the warnings of the writer.
fn write_then(
    prepared: &Prepared,
    out: &Path,
    before_swap: impl FnOnce() -> Result<()>,
) -> Result<(usize, Vec<crate::Diagnostic>)> {
    let mut pdfs = 0;
    let written =
        output::write_site(out, &prepared.files, &prepared.copies, prepared.progress.as_deref(), |staging| {
            if let Some(chromium) = &prepared.chromium {
                pdfs = print::print_leaflets(&prepared.site, chromium, staging)?.map_err(ContentErrors)?;
                pdfs += crate::present::print(&prepared.site, chromium, staging)?.map_err(ContentErrors)?;
            }
            before_swap()
        })?;
    Ok((pdfs, written.warnings))
}

/// Builds the site into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let prepared = prepare(options, None)?;
    let start = Instant::now();
    let site = &prepared.site;
    // Only a build for the published host records what leaflets print (not a preview or staging
    // build); recorded before the swap, so a build that is live never reports a failure.
    let mut registered = Vec::new();
    let (pdfs, write_warnings) = write_then(&prepared, &prepared.out, || {
        if options.base_url.is_none() {
            registered = registry::update(&site.config.root, &prepared.printed_before, &registry::printed(site))?;
        }
        Ok(())
    })?;
    let mut warnings = prepared.warnings.clone();
    warnings.extend(write_warnings);
    Ok(BuildReport {
        output: prepared.out.clone(),
        articles: site.articles.len(),
        pages: site.pages.len(),
        leaflets: site.leaflets.len(),
        files: prepared.files.len() + prepared.copies.len() + pdfs,
        qr_codes: render::codes::count(site),
        pdfs,
        registered,
        warnings,
        load: prepared.load,
        render: prepared.render,
        write: start.elapsed(),
    })
}
