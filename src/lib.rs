//! canhbao: a static site generator for scam-warning campaigns.
//!
//! The build reads top to bottom (see [`pipeline::build`]):
//!
//! ```text
//! config (site.yaml) -> content (discover + parse) -> site (model + route table) -> render (each file to the staging folder) -> output (atomic swap)
//! ```
//!
//! The library never prints to stdout; the binary in `main.rs` does. The editor's commands live
//! beside the build: [`check`], [`scaffold`] (`new`, `init`), [`serve`], with [`report`] and
//! [`i18n`] for messages a person can act on, in English or Vietnamese.

pub mod autolink;
pub mod cache;
pub mod channels;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fs_util;
pub mod i18n;
pub mod images;
pub mod import;
pub mod markdown;
pub mod messages;
pub mod output;
pub mod pictures;
pub mod pipeline;
pub mod present;
pub mod print;
pub mod progress;
pub mod qr;
pub mod registry;
pub mod render;
pub mod report;
pub mod sanitize;
pub mod scaffold;
pub mod scans;
#[cfg(feature = "serve")]
pub mod serve;
pub mod shortlinks;
pub mod site;
pub mod text;
pub mod urls;

pub use config::Config;
pub use diagnostics::{ContentErrors, Diagnostic};
pub use messages::Message;
pub use pipeline::{BuildOptions, BuildReport, build};
