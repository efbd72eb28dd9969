//! The build, top to bottom: load config -> discover + parse content -> model -> render -> write.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cache::Cache;
use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostics::ContentErrors;
use crate::output;
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
    /// Rendering every file (templates, QR codes, images, cards, search index) into the
    /// staging folder.
    pub render: Duration,
    /// Printing PDFs and swapping the output folder.
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

/// Everything a build decides before it renders: the model (with its route table), the
/// output folder, and what the editor should be told. `check` renders it into nothing
/// ([`render_into`]); `build` renders it into the staging folder ([`write`]).
pub struct Prepared {
    pub site: Site,
    pub out: PathBuf,
    /// The Chromium that will print the leaflets, when `--pdf` asked for it and one was found.
    pub chromium: Option<Chromium>,
    pub warnings: Vec<crate::Diagnostic>,
    printed_before: Vec<registry::Entry>,
    assets: HashMap<String, String>,
    cache: Cache,
    progress: Option<std::sync::Arc<crate::progress::Progress>>,
    load: Duration,
}

/// Loads and validates the site, reading the article bodies kept in `cache` (default: the
/// site's `<root>/.canhbao-cache`) and keeping those it renders; nothing else is written.
pub fn prepare(options: &BuildOptions, cache: Option<Cache>) -> Result<Prepared> {
    let start = Instant::now();
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    // Before anything is written, kept bodies included: a refused output folder writes nothing.
    let out = output_folder(options, &config)?;
    let cache = cache.unwrap_or_else(|| Cache::new(&config.root.join(crate::cache::CACHE_DIR)));
    let (discovered, problems) = content::discover(&config)?;
    let site =
        Site::load(config, discovered, problems, Some(&cache)).map_err(|rejected| ContentErrors(rejected.problems))?;
    let cache = Some(cache);
    let loaded = start.elapsed();
    let mut prepared = prepare_site(site, out, options, cache)?;
    prepared.load += loaded;
    Ok(prepared)
}

/// The output folder of `options` (default: `public` under the site root), once
/// [`output::check_output_dir_with`] accepts it.
pub fn output_folder(options: &BuildOptions, config: &Config) -> Result<PathBuf> {
    let out = options.output.clone().unwrap_or_else(|| config.root.join("public"));
    output::check_output_dir_with(&out, config, options.force)?;
    Ok(out)
}

/// [`prepare`] for a site already loaded (`check` loads it itself, to merge its own problems
/// into the model's), with its output folder `out` checked ([`output_folder`]): the registry of
/// printed URLs against the route table, Chromium, the hashes of stylesheets and scripts.
/// `cache` defaults to the site's `<root>/.canhbao-cache`.
pub fn prepare_site(site: Site, out: PathBuf, options: &BuildOptions, cache: Option<Cache>) -> Result<Prepared> {
    let start = Instant::now();
    let printed_before = registry::read(&site.config.root).map_err(|d| ContentErrors(vec![d]))?;
    let unresolved = registry::check(&printed_before, &site.config.published_base_url, &*site.routes);
    if !unresolved.is_empty() {
        return Err(ContentErrors(unresolved).into());
    }
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
        warnings.extend(site.leaflets.iter().filter_map(|l| render::leaflets::fit_estimate(l, &site.config)));
    }
    let assets = output::asset_hashes(&site.static_files)?;
    let cache = cache.unwrap_or_else(|| Cache::new(&site.config.root.join(crate::cache::CACHE_DIR)));
    Ok(Prepared {
        site,
        out,
        chromium,
        warnings,
        printed_before,
        assets,
        cache,
        progress: options.progress.clone(),
        load: start.elapsed(),
    })
}

/// Renders every file of a prepared site into `sink` (what `check` does with
/// [`output::Discard`]: templates run, images are encoded, nothing is written).
pub fn render_into(prepared: &Prepared, sink: &dyn output::Sink) -> Result<()> {
    let options = render::RenderOptions {
        assets: prepared.assets.clone(),
        pdf: prepared.chromium.is_some(),
        progress: prepared.progress.clone(),
    };
    render::render_site(&prepared.site, options, &prepared.cache, sink)
}

/// Renders a prepared site into `out` (atomically), printing the leaflets to PDF on the way
/// when Chromium is there. Returns the number of PDFs.
pub fn write(prepared: &Prepared, out: &Path) -> Result<usize> {
    write_then(prepared, out, || Ok(())).map(|written| written.pdfs)
}

/// What [`write_then`] did.
struct Written {
    pdfs: usize,
    files: usize,
    warnings: Vec<crate::Diagnostic>,
    render: Duration,
}

/// [`write`], running `before_swap` once everything is rendered and printed, just before the
/// new output replaces the old one (the swap is the last step that can fail a build).
fn write_then(prepared: &Prepared, out: &Path, before_swap: impl FnOnce() -> Result<()>) -> Result<Written> {
    let mut pdfs = 0;
    let mut render = Duration::ZERO;
    let written = output::write_site(out, prepared.progress.clone(), |staging| {
        let start = Instant::now();
        render_into(prepared, staging)?;
        render = start.elapsed();
        if let Some(chromium) = &prepared.chromium {
            pdfs = print::print_leaflets(&prepared.site, chromium, staging.dir())?.map_err(ContentErrors)?;
            pdfs += crate::present::print(&prepared.site, chromium, staging.dir())?.map_err(ContentErrors)?;
        }
        // Campaign kits (issue 12) hold the PDFs, so they come after them.
        crate::channels::kit::write_kits(&prepared.site, staging.dir())?;
        before_swap()
    })?;
    Ok(Written { pdfs, files: written.files, warnings: written.warnings, render })
}

/// Builds the site into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let prepared = prepare(options, None)?;
    let start = Instant::now();
    let site = &prepared.site;
    // Only a build for the published host records what leaflets print (not a preview or staging
    // build); recorded before the swap, so a build that is live never reports a failure.
    let mut registered = Vec::new();
    let written = write_then(&prepared, &prepared.out, || {
        if options.base_url.is_none() {
            registered = registry::update(&site.config.root, &prepared.printed_before, &registry::printed(site))?;
        }
        Ok(())
    })?;
    let mut warnings = prepared.warnings.clone();
    warnings.extend(written.warnings);
    Ok(BuildReport {
        output: prepared.out.clone(),
        articles: site.articles.len(),
        pages: site.pages.len(),
        leaflets: site.leaflets.len(),
        files: written.files + written.pdfs + crate::channels::kit::count(site),
        qr_codes: render::codes::count(site),
        pdfs: written.pdfs,
        registered,
        warnings,
        load: prepared.load,
        render: written.render,
        write: start.elapsed().saturating_sub(written.render),
    })
}
