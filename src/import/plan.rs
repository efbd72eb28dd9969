//! The files of each imported post: its Markdown file (front matter with the mapped scam types
//! and audiences and the old addresses as aliases) and its pictures, as [`Planned`] writes.

use std::collections::BTreeSet;

use super::convert::{self, Converted, Front};
use super::images::Found;
use super::mapping::Mapping;
use super::old_urls::{self, Index};
use super::post::{Post, PostKind};
use super::record::Planned;
use super::{ImportReport, RemoteImage, Target};
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::fs_util;
use crate::messages::Message;

/// Collects the files of every post; an old address goes to the first post that claims it.
pub struct Planner<'a> {
    config: &'a Config,
    mapping: &'a Mapping,
    index: &'a Index,
    claimed: BTreeSet<String>,
    unmapped: BTreeSet<String>,
    plans: Vec<Planned>,
}

impl<'a> Planner<'a> {
    pub fn new(config: &'a Config, mapping: &'a Mapping, index: &'a Index) -> Self {
        Planner { config, mapping, index, claimed: BTreeSet::new(), unmapped: BTreeSet::new(), plans: Vec::new() }
    }

    /// Plans the files of one post and counts it in the report.
    pub fn add(&mut self, post: &Post, target: &Target, c: Converted, report: &mut ImportReport) {
        let slug = &target.slug;
        let new_url = match post.kind {
            PostKind::Article => format!("/{}/{slug}/", self.config.sections.articles),
            PostKind::Page => format!("/{slug}/"),
        };
        let (scams, audiences) = self.terms(post);
        let mut aliases = Vec::new();
        for url in &post.old_urls {
            if let Some(alias) = old_urls::alias(url, self.index)
                && alias.trim_end_matches('/') != new_url.trim_end_matches('/')
                && self.claimed.insert(alias.clone())
            {
                aliases.push(alias);
            }
        }
        for id in &post.query_ids {
            let old = format!("/?{id}");
            if !report.query_redirects.iter().any(|(o, _)| *o == old) {
                report.query_redirects.push((old, new_url.clone()));
            }
        }
        let summary = post.summary.as_deref().map(super::plain_text).filter(|s| !s.is_empty());
        let front = Front {
            title: &post.title,
            date: post.date.as_deref(),
            updated: post.updated.as_deref(),
            draft: post.draft,
            summary: summary.as_deref(),
            scams: &scams,
            audiences: &audiences,
            aliases: &aliases,
        };
        let file = super::without_controls(&convert::markdown_file(post.kind, &front, &c.body));
        // The line after the closing `---` (strings are JSON-quoted: no line break in them).
        let body_line = file.lines().enumerate().filter(|(_, l)| *l == "---").nth(1).map_or(1, |(i, _)| i + 2);
        let folder = target.folder;
        let dir = (!c.files.is_empty()).then(|| format!("content/{folder}/{slug}"));
        let rel = match &dir {
            Some(dir) => format!("{dir}/index.md"),
            None => format!("content/{folder}/{slug}.md"),
        };
        report.notes.extend(convert::leftover_notes(&rel, body_line, &c.leftovers));
        self.plans.push(Planned { rel: rel.clone(), bytes: file.into_bytes() });
        for (name, found) in &c.files {
            let bytes = match found {
                Found::Local(path) => match fs_util::read(path) {
                    Ok(bytes) => bytes,
                    Err(e) => {
                        report.problems.push(Diagnostic::new(&rel, Message::ReadFailed { error: format!("{e:#}") }));
                        continue;
                    }
                },
                Found::Fetched(bytes) => bytes.to_vec(),
            };
            if let Some(dir) = &dir {
                self.plans.push(Planned { rel: format!("{dir}/{name}"), bytes });
            }
        }
        report.fetched += c.fetched.len();
        report.remote_images.extend(c.remote.into_iter().map(|remote| RemoteImage { file: rel.clone(), remote }));
        match post.kind {
            PostKind::Article => report.articles += 1,
            PostKind::Page => report.pages += 1,
        }
        report.drafts += usize::from(post.draft);
    }

    /// The scam types and audiences of a post's labels; labels without a target are remembered.
    fn terms(&mut self, post: &Post) -> (Vec<String>, Vec<String>) {
        let (mut scams, mut audiences): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        for label in &post.labels {
            match self.mapping.labels.get(label) {
                Some(target) if !target.is_unmapped() => {
                    for key in &target.scams {
                        if !scams.contains(key) {
                            scams.push(key.clone());
                        }
                    }
                    for key in &target.audiences {
                        if !audiences.contains(key) {
                            audiences.push(key.clone());
                        }
                    }
                }
                _ => {
                    self.unmapped.insert(label.clone());
                }
            }
        }
        (scams, audiences)
    }

    /// The planned files and the labels left unmapped.
    pub fn finish(self) -> (Vec<Planned>, BTreeSet<String>) {
        (self.plans, self.unmapped)
    }
}
