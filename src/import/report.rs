//! The report of an import, as lines in the editor's language (the binary prints them): what
//! was found, every file written or kept, labels left unmapped, pictures left on other hosts,
//! old query-string addresses, and what `canhbao check` still finds.

use super::record::Status;
use super::{ImportReport, REDIRECTS_FILE};
use crate::i18n::Lang;
use crate::messages::Message;

/// The lines of the report (problems and notes are diagnostics, printed apart).
pub fn lines(r: &ImportReport, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    let mut say = |m: Message| out.push(m.text(lang));
    say(Message::ImportSummary {
        kind: r.kind.name().to_string(),
        articles: r.articles,
        pages: r.pages,
        drafts: r.drafts,
    });
    if r.dry_run {
        say(Message::ImportDryRun);
    }
    let mut unchanged = 0;
    for (path, status) in &r.files {
        let path = path.clone();
        match status {
            Status::Created => say(Message::ImportCreated { path }),
            Status::Updated => say(Message::ImportUpdated { path }),
            Status::Unchanged => unchanged += 1,
            Status::KeptEdited => say(Message::ImportKeptEdited { path }),
            Status::KeptExisting => say(Message::ImportKeptExisting { path }),
        }
    }
    if unchanged > 0 {
        say(Message::ImportUnchanged { count: unchanged });
    }
    if r.fetched > 0 {
        say(Message::ImportFetched { count: r.fetched });
    }
    if !r.query_redirects.is_empty() {
        say(Message::ImportQueryRedirects { count: r.query_redirects.len(), file: REDIRECTS_FILE.into() });
    }
    for (label, posts) in &r.unmapped {
        say(Message::ImportUnmapped { label: label.clone(), posts: *posts });
    }
    if !r.unmapped.is_empty() {
        say(Message::ImportMapHelp { map: r.map_file.clone() });
    }
    let mut not_fetched = false;
    for image in &r.remote_images {
        let (file, url) = (image.file.clone(), image.remote.url.clone());
        match &image.remote.error {
            Some(error) => say(Message::ImportFetchFailed { file, url, error: error.clone() }),
            None => {
                not_fetched = true;
                say(Message::ImportRemoteImage { file, url });
            }
        }
    }
    if not_fetched {
        say(Message::ImportFetchHelp);
    }
    if !r.problems.is_empty() {
        say(Message::ImportNotImported { count: r.problems.len() });
    }
    match &r.check {
        Some(problems) if problems.is_empty() => say(Message::ImportCheckClean),
        Some(problems) => say(Message::ImportCheckProblems { count: problems.len() }),
        None => {}
    }
    out
}
