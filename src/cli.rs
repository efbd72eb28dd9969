//! Command-line arguments (clap derive): one `Args` struct per subcommand.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A static site generator for scam-warning campaigns.
#[derive(Debug, Parser)]
#[command(name = "canhbao", version, about, long_about = None)]
pub struct Cli {
    /// Print only errors (no progress, no summary).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
    /// Check everything the build checks, and images, without writing anything (exit code 1 if
    /// anything is wrong).
    Check(CheckArgs),
    /// Preview the site in a browser; rebuild and reload on every change.
    #[cfg(feature = "serve")]
    Serve(ServeArgs),
    /// Create a new article, leaflet or page from a template (as a draft).
    New(NewArgs),
    /// Create a new site that builds at once: site.yaml, samples and the default theme.
    Init(InitArgs),
    /// Count the visits of the campaign's QR codes and links in web server access logs.
    Scans(ScansArgs),
    /// Move an existing site in: a Blogger export, a WordPress export (WXR) or a Hugo, Jekyll or
    /// Zola folder.
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Override `base_url` from site.yaml (e.g. for a staging host).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Output folder, relative to the current directory (default: `public` under the site root).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace the output folder even if canhbao did not write it (everything in it is deleted).
    /// `/`, your home folder, the site and its source folders are refused even so.
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub print: PrintArgs,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check drafts too (by default, like `build`, only what would be published).
    #[arg(long)]
    pub drafts: bool,
    #[command(flatten)]
    pub print: PrintArgs,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on.
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on; 0.0.0.0 makes the preview reachable from a phone on the same network.
    #[arg(long, short, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Drafts are included by default; `--drafts=false` previews only what would be published.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub drafts: bool,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// What `canhbao new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NewKind {
    /// A warning: `content/articles/<slug>.md`
    Article,
    /// A printable leaflet: `content/leaflets/<slug>.md`
    Leaflet,
    /// A standalone page: `content/pages/<slug>.md`
    Page,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// article, leaflet or page.
    pub kind: NewKind,
    /// The title, in quotes: "Giả danh công an gọi điện".
    pub title: String,
    /// File name (without .md); default: made from the title ("gia-danh-cong-an-goi-dien").
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder of the new site (created if needed; default: the current directory).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Blogger export (.xml), the WordPress export (.xml) or the Hugo, Jekyll or Zola folder.
    pub source: PathBuf,
    /// The site to import into (it must hold site.yaml: start with `canhbao init`).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub into: PathBuf,
    /// The mapping of labels to scam types and audiences (default: import-map.yaml in the site).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Download pictures from other hosts (HTTPS only, at most 10 MB each) beside their articles.
    #[arg(long)]
    pub fetch_images: bool,
}

/// Printing leaflets with headless Chromium (`build` and `check`).
#[derive(Debug, Args)]
pub struct PrintArgs {
    /// Print every leaflet to PDF with headless Chromium and check that it fits its paper
    /// (`check` prints into a temporary folder).
    #[arg(long)]
    pub pdf: bool,
    /// The Chromium (or Chrome) to print with (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
}

/// `canhbao scans`: what reached people.
#[derive(Debug, Args)]
pub struct ScansArgs {
    /// Access logs (nginx or Apache, combined format), plain or `.gz`, rotated files in any order.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// Print CSV (date, leaflet, variant, channel, visits) instead of the table.
    #[arg(long)]
    pub csv: bool,
    /// Also write the report as a self-contained HTML page (in Vietnamese) to this file.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Seconds within which the same person's repeated visits count once (0: count every request).
    #[arg(long, value_name = "SECS", default_value_t = crate::scans::count::DEFAULT_WINDOW)]
    pub window: u64,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}
