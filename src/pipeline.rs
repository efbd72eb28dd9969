//! The build, top to bottom: load config -> discover + parse content -> model -> render -> write.

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Result;

use crate::cli::BuildArgs;
use crate::config::Config;
use crate::diagnostics::ContentErrors;
use crate::output::{self, CopyFile};
use crate::site::Site;
use crate::{content, render};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Default: `public` under the root.
    pub output: Option<PathBuf>,
    pub drafts: bool,
    pub base_url: Option<String>,
}

impl From<BuildArgs> for BuildOptions {
    fn from(args: BuildArgs) -> Self {
        BuildOptions { root: args.root, output: args.output, drafts: args.drafts, base_url: args.base_url }
    }
}

/// Counts and timings of a finished build.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub output: PathBuf,
    pub articles: usize,
    pub pages: usize,
    pub files: usize,
    /// Reading, parsing, validating and rendering Markdown.
    pub load: Duration,
    /// Rendering templates.
    pub render: Duration,
    /// Writing and swapping the output folder.
    pub write: Duration,
}

impl fmt::Display for BuildReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let total = self.load + self.render + self.write;
        write!(
            f,
            "Built {} articles and {} pages into `{}` ({} files) in {:.2} s (content {:.2} s, templates {:.2} s, write {:.2} s)",
            self.articles,
            self.pages,
            self.output.display(),
            self.files,
            total.as_secs_f64(),
            self.load.as_secs_f64(),
            self.render.as_secs_f64(),
            self.write.as_secs_f64()
        )
    }
}

/// Builds the site in memory without writing anything.
pub fn load_site(options: &BuildOptions) -> Result<Site> {
    let config = Config::load(&options.root, options.base_url.as_deref(), options.drafts)?;
    let (discovered, problems) = content::discover(&config)?;
    Site::new(config, discovered, problems).map_err(|problems| ContentErrors(problems).into())
}

/// Builds the site into the output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let start = Instant::now();
    let site = load_site(options)?;
    let out = options.output.clone().unwrap_or_else(|| site.config.root.join("public"));
    output::check_output_dir(&out, &site.config)?;
    let load = start.elapsed();

    let start = Instant::now();
    let (mut copies, hashes) = output::static_files(&site.config)?;
    let files = render::render_site(&site, hashes)?;
    for (path, bundle) in site
        .articles
        .iter()
        .map(|a| (&a.path, &a.article.files))
        .chain(site.pages.iter().map(|p| (&p.path, &p.page.files)))
    {
        let dir = path.trim_start_matches('/');
        copies.extend(bundle.iter().map(|f| CopyFile { from: f.path.clone(), to: format!("{dir}{}", f.rel) }));
    }
    let render = start.elapsed();

    let start = Instant::now();
    output::write_site(&out, &files, &copies)?;
    Ok(BuildReport {
        output: out,
        articles: site.articles.len(),
        pages: site.pages.len(),
        files: files.len() + copies.len(),
        load,
        render,
        write: start.elapsed(),
    })
}
