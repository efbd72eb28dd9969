//! canhbao: a static site generator for scam-warning campaigns.
//!
//! The build reads top to bottom (see [`pipeline::build`]):
//!
//! ```text
//! config (site.yaml) -> content (discover + parse) -> site (model) -> render (files in memory) -> output (atomic write)
//! ```
//!
//! The library never prints to stdout; the binary in `main.rs` does.

pub mod cache;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fs_util;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod print;
pub mod qr;
pub mod registry;
pub mod render;
pub mod site;
pub mod text;
pub mod urls;

pub use config::Config;
pub use diagnostics::{ContentErrors, Diagnostic};
pub use pipeline::{BuildOptions, BuildReport, build};
