//! Command-line arguments (clap derive): one `Args` struct per subcommand.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A static site generator for scam-warning campaigns.
#[derive(Debug, Parser)]
#[command(name = "canhbao", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default `public/`).
    Build(BuildArgs),
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
    /// Also print every leaflet to PDF with headless Chromium (and check that it fits its paper).
    #[arg(long)]
    pub pdf: bool,
    /// The Chromium (or Chrome) to print with (default: found on PATH).
    #[arg(long, value_name = "PATH")]
    pub chromium: Option<PathBuf>,
    /// The site root: the folder holding site.yaml (default: the current directory).
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}
