//! Article bodies kept in the cache (issue 10): rendering every article's Markdown and reading
//! its search terms was a fifth of a cached build of 10,000 articles and half of `serve`'s start,
//! and both come out the same as last time when nothing they are made from changed.
//!
//! An entry lies in one slot per source file (as kept material does,
//! [`crate::render::recording`]) and holds the key it was made with ([`KeptBodies::key`]): this
//! program, what rendering reads of site.yaml (the base path and the `markdown` settings: not the
//! base URL, so `serve` and `build` share entries), and of the article its source path, its whole
//! text (the front matter too: `summary:` decides where the search excerpt starts) and its site
//! path. Beside the key it holds the content path and URL of every item the body links to (a
//! link to another article is that article's URL in the HTML): it is used only while each is
//! still at that URL, so adding an article renders no other body again. It holds the rendered
//! body without its reader text, and the search terms read from that text.
//!
//! Only a body that gave nothing but HTML is kept ([`keepable`]): one that shows an image
//! depends on the files beside it and adds to the site's image plan, and one with a problem, a
//! warning or a notice must be reported by every build and `check`. So a body read back adds
//! nothing to the site but itself. An entry that does not parse, or whose key is not the one
//! asked for, is not used: the body is rendered again and its slot replaced.

use std::collections::HashMap;

use super::{Body, Summary};
use crate::cache::{Cache, Entry, Fields};
use crate::config::Config;
use crate::content::Item;
use crate::markdown::{MarkdownTarget, Rendered, TocEntry, Written};
use crate::render::search::BodyTerms;

/// The cache namespace of kept bodies (all but their HTML), and of their HTML: the load reads
/// the first, the page the second.
const KIND: &str = "body";
const HTML_KIND: &str = "body-html";
/// First bytes of an entry (before compression): the format's name and version.
const MAGIC: &[u8] = b"canhbao-body-3\n";
const HTML_MAGIC: &[u8] = b"canhbao-body-html-1\n";

/// An article's body as the model holds it: rendered (without its reader text), with its
/// summary and the search terms read from that text ([`super::SiteArticle::read`]).
pub(super) type ReadBody = (Body, (Summary, BodyTerms));

/// The bodies of one load, read from and kept in a cache.
pub(super) struct KeptBodies<'a> {
    cache: &'a Cache,
    /// The part of every key that is the same for the whole load.
    build: String,
    /// Content path to URL of every item of the load.
    targets: &'a HashMap<String, String>,
}

impl<'a> KeptBodies<'a> {
    /// The kept bodies of a load with link targets `targets` (content path to URL); `None` when
    /// this program's file cannot be told apart from another build of it.
    pub(super) fn new(
        cache: &'a Cache,
        config: &Config,
        targets: &'a HashMap<String, String>,
    ) -> Option<KeptBodies<'a>> {
        let program = crate::cache::program()?;
        // What rendering a body without images reads of site.yaml ([`super::Bodies::render`]):
        // not the whole of it, so that `serve` (another base URL) and `build` read each other's
        // entries instead of replacing them.
        let config = format!("{:?}\0{:?}", config.base_path, config.markdown);
        let build = Cache::key(&[b"body-v1", program.as_bytes(), config.as_bytes()]);
        Some(KeptBodies { cache, build, targets })
    }

    /// The key of the body of `item` shown at site path `path`.
    fn key(&self, item: &Item, path: &str) -> String {
        let source = &item.source;
        let offset = item.body_offset.to_le_bytes();
        Cache::key(&[self.build.as_bytes(), source.rel.as_bytes(), source.text.as_bytes(), &offset, path.as_bytes()])
    }

    /// The content path and URL of every item `rendered` links to (written in a file of content
    /// folder `dir`); `None` when a link names a Markdown file that is not one of the load's
    /// (such a body has a problem, and is not kept anyway).
    fn used(&self, rendered: &Rendered, dir: &str) -> Option<Vec<(String, String)>> {
        let mut used: Vec<(String, String)> = Vec::new();
        for link in &rendered.links {
            if let Some(target) = MarkdownTarget::of(&link.dest, dir) {
                let rel = target.rel?;
                let url = self.targets.get(&rel)?.clone();
                used.push((rel, url));
            }
        }
        used.sort_unstable();
        used.dedup();
        Some(used)
    }

    /// The body of article `item` at site path `path`, read back when kept with the same key
    /// and every item it links to still at the URL it showed, else made by `make` and made
    /// ready to keep ([`Keeping::New`]: the load keeps it once it knows the site has no problem,
    /// so that a failed build writes nothing). With `hold_html` (the preview) the HTML is read
    /// back too; else a body read back comes without its HTML (`html` is empty), which
    /// [`KeptAt::html`] reads when the page is made.
    pub(super) fn get_or_make(
        &self,
        item: &Item,
        path: &str,
        hold_html: bool,
        make: impl FnOnce() -> ReadBody,
    ) -> (ReadBody, Keeping) {
        let at = KeptAt { slot: Cache::key(&[item.source.display.as_bytes()]), key: self.key(item, path) };
        let still = |used: &[(String, String)]| used.iter().all(|(rel, url)| self.targets.get(rel) == Some(url));
        let entry = self.cache.read(KIND, &at.slot);
        // A build's model holds neither the HTML nor the words of a body read back: its page
        // and the search index read them when they are made.
        let words = if hold_html { Words::Read } else { Words::Skipped };
        if let Some((mut rendered, terms)) = entry.and_then(|entry| decode(&entry, &at.key, still, words))
            // The HTML read now, or at least there to be read when the page is made.
            && match hold_html {
                true => at.read_html(self.cache).map(|html| rendered.html = html).is_some(),
                false => self.cache.has(HTML_KIND, &at.slot),
            }
        {
            let summary = Summary::new(item.summary.as_deref(), &rendered);
            return ((Body { rendered, ..Body::default() }, (summary, terms)), Keeping::Read(at));
        }
        let made = make();
        if self.cache.writes()
            && keepable(&made.0)
            && let Some(used) = self.used(&made.0.rendered, item.source.rel_dir())
            && let Ok(html) = encode_html(&at.key, &made.0.rendered.html)
            && let Ok(entry) = encode(&at.key, &used, &made.0.rendered, &made.1.1)
        {
            return (made, Keeping::New(Pending { at, html, entry }));
        }
        (made, Keeping::No)
    }
}

/// What became of a body in the cache during a load.
pub(super) enum Keeping {
    /// Read back from where it is kept.
    Read(KeptAt),
    /// Made, and ready to be kept.
    New(Pending),
    No,
}

/// A body's entries, ready to be written.
pub(super) struct Pending {
    at: KeptAt,
    html: Vec<u8>,
    entry: Vec<u8>,
}

impl Pending {
    /// Writes the entries (the HTML first: an entry is never there without it): where they are
    /// kept, or the HTML and words (inflated again) when they could not be written.
    pub(super) fn keep(self, cache: &Cache) -> Result<KeptAt, (String, String)> {
        if cache.put(HTML_KIND, &self.at.slot, &self.html) && cache.put(KIND, &self.at.slot, &self.entry) {
            return Ok(self.at);
        }
        let html = decode_html(&self.html, &self.at.key).unwrap_or_default();
        let words = decode(&self.entry, &self.at.key, |_| true, Words::Read).map(|(_, terms)| terms.words);
        Err((html, words.unwrap_or_default()))
    }
}

/// Where an article's body is kept: a build's model holds no HTML of such a body, and its page
/// and feeds read it back ([`KeptAt::html`]; issue 10: the bodies' HTML was an eighth of a
/// build's memory at 10,000 articles, and a page needs only its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAt {
    slot: String,
    key: String,
}

impl KeptAt {
    fn read_html(&self, cache: &Cache) -> Option<String> {
        decode_html(&cache.read(HTML_KIND, &self.slot)?, &self.key)
    }

    /// The body's HTML, read back from `cache`: an error when the entry is no longer the one
    /// the model was loaded with (removed or replaced by another build during this one, or
    /// damaged). Then the body's entry is emptied, so that the next build renders it again.
    pub fn html(&self, cache: &Cache) -> anyhow::Result<String> {
        self.read_html(cache).ok_or_else(|| self.gone(cache, HTML_KIND))
    }

    /// The body's distinct words ([`BodyTerms::words`]), read back from `cache` for the search
    /// index: an error, as [`Self::html`], when the entry is no longer the one the model was
    /// loaded with. Any entry of the same key will do: its links' targets change its HTML, not
    /// the words of its text.
    pub fn words(&self, cache: &Cache) -> anyhow::Result<String> {
        let entry = cache.read(KIND, &self.slot);
        let read = entry.and_then(|entry| decode(&entry, &self.key, |_| true, Words::Read));
        read.map(|(_, terms)| terms.words).ok_or_else(|| self.gone(cache, KIND))
    }

    /// The error of an entry of kind `kind` no longer there: the body's entry is emptied first.
    fn gone(&self, cache: &Cache, kind: &str) -> anyhow::Error {
        let _ = cache.put(KIND, &self.slot, b"");
        let name = format!("{kind}/{}/{}", &self.slot[..2], self.slot);
        crate::Message::CacheFileRemoved { name }.into()
    }
}

/// Whether `body` gave nothing but HTML: no image, problem, warning or notice (see the module's
/// documentation).
fn keepable(body: &Body) -> bool {
    body.plain() && body.rendered.images.is_empty() && body.rendered.notices.is_empty()
}

fn encode(key: &str, used: &[(String, String)], r: &Rendered, terms: &BodyTerms) -> std::io::Result<Vec<u8>> {
    let mut entry = Entry::new(MAGIC);
    entry.field(key.as_bytes())?;
    entry.count(used.len())?;
    for (rel, url) in used {
        entry.field(rel.as_bytes())?;
        entry.field(url.as_bytes())?;
    }
    entry.field(r.summary.as_bytes())?;
    entry.field(&(r.words as u64).to_le_bytes())?;
    entry.count(r.toc.len())?;
    for t in &r.toc {
        entry.byte(t.level);
        entry.field(t.id.as_bytes())?;
        entry.field(t.title.as_bytes())?;
    }
    entry.count(r.ids.len())?;
    for id in &r.ids {
        entry.field(id.as_bytes())?;
    }
    entry.count(r.links.len())?;
    for link in &r.links {
        entry.field(&(link.offset as u64).to_le_bytes())?;
        entry.field(link.dest.as_bytes())?;
    }
    entry.field(terms.words.as_bytes())?;
    entry.field(terms.lead.as_bytes())?;
    entry.finish()
}

/// The body and terms of `entry`, if it parses whole, was made with `key` and the items it
/// links to are `still` where they were (given their content paths and URLs). With
/// [`Words::Skipped`] the terms come without their words (the search index reads them back:
/// [`KeptAt::words`]).
fn decode(
    entry: &[u8],
    key: &str,
    still: impl Fn(&[(String, String)]) -> bool,
    distinct: Words,
) -> Option<(Rendered, BodyTerms)> {
    Fields::inflate(entry, |raw| read(raw, key, still, distinct))
}

/// Whether a body's distinct words are read from its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Words {
    Read,
    Skipped,
}

fn read(
    raw: &[u8],
    key: &str,
    still: impl Fn(&[(String, String)]) -> bool,
    distinct: Words,
) -> Option<(Rendered, BodyTerms)> {
    let mut f = Fields::new(raw, MAGIC)?;
    if f.field()? != key.as_bytes() {
        return None;
    }
    let used = (0..f.count()?).map(|_| Some((f.text()?, f.text()?))).collect::<Option<Vec<_>>>()?;
    if !still(&used) {
        return None;
    }
    let number =
        |f: &mut Fields| -> Option<usize> { usize::try_from(u64::from_le_bytes(f.field()?.try_into().ok()?)).ok() };
    let summary = f.text()?;
    let words = number(&mut f)?;
    let toc = (0..f.count()?)
        .map(|_| Some(TocEntry { level: f.byte()?, id: f.text()?, title: f.text()? }))
        .collect::<Option<Vec<_>>>()?;
    let ids = (0..f.count()?).map(|_| f.text()).collect::<Option<Vec<_>>>()?;
    let links = (0..f.count()?)
        .map(|_| Some(Written { offset: number(&mut f)?, dest: f.text()? }))
        .collect::<Option<Vec<_>>>()?;
    let distinct = match distinct {
        Words::Read => f.text()?,
        Words::Skipped => f.field().map(|_| String::new())?,
    };
    let terms = BodyTerms { words: distinct, lead: f.text()? };
    let rendered = Rendered { toc, summary, words, ids, links, ..Rendered::default() };
    f.done().then_some((rendered, terms))
}

fn encode_html(key: &str, html: &str) -> std::io::Result<Vec<u8>> {
    let mut entry = Entry::new(HTML_MAGIC);
    entry.field(key.as_bytes())?;
    entry.field(html.as_bytes())?;
    entry.finish()
}

/// The HTML of `entry`, if it parses whole and was made with `key`.
fn decode_html(entry: &[u8], key: &str) -> Option<String> {
    Fields::inflate(entry, |raw| {
        let mut f = Fields::new(raw, HTML_MAGIC)?;
        if f.field()? != key.as_bytes() {
            return None;
        }
        let html = f.text()?;
        f.done().then_some(html)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered() -> Rendered {
        Rendered {
            html: "<h2 id=\"goi-113\">Gọi 113</h2><p>Đừng <a href=\"/canh-bao/x/\">chuyển tiền</a>.</p>".into(),
            toc: vec![TocEntry { level: 2, id: "goi-113".into(), title: "Gọi 113".into() }],
            summary: "Đừng chuyển tiền.".into(),
            words: 5,
            ids: vec!["goi-113".into(), "fn-1".into()],
            links: vec![Written { offset: 17, dest: "x.md".into() }],
            ..Rendered::default()
        }
    }

    #[test]
    fn an_entry_reads_back_whole_with_its_key_only_while_its_links_lead_where_they_did() {
        let terms = BodyTerms::new("Gọi 113 Đừng chuyển tiền.", "");
        let used = vec![("articles/x.md".to_string(), "/canh-bao/x/".to_string())];
        let entry = encode("k1", &used, &rendered(), &terms).unwrap();
        let (back, back_terms) = decode(&entry, "k1", |u| u == used, Words::Read).expect("read back");
        let without_html = Rendered { html: String::new(), ..rendered() };
        assert_eq!(format!("{back:?}"), format!("{without_html:?}"), "all but the HTML");
        assert_eq!(back_terms, terms);
        let (_, no_words) = decode(&entry, "k1", |u| u == used, Words::Skipped).expect("read back");
        assert_eq!(no_words, BodyTerms { words: String::new(), ..terms }, "the lead without the words");
        assert!(decode(&entry, "k2", |_| true, Words::Read).is_none(), "another key");
        assert!(decode(&entry, "k1", |_| false, Words::Read).is_none(), "a linked item moved");
        let html = encode_html("k1", &rendered().html).unwrap();
        assert_eq!(decode_html(&html, "k1"), Some(rendered().html));
        assert_eq!(decode_html(&html, "k2"), None, "another key");
        assert!(decode(&html, "k1", |_| true, Words::Read).is_none(), "not an entry of the other kind");
        assert_eq!(decode_html(&entry, "k1"), None, "not an entry of the other kind");
    }

    #[test]
    fn a_damaged_entry_is_refused() {
        let used = vec![("articles/x.md".to_string(), "/canh-bao/x/".to_string())];
        let entry = encode("k", &used, &rendered(), &BodyTerms::new("Gọi 113", "")).unwrap();
        let html = encode_html("k", &rendered().html).unwrap();
        let read_entry = |e: &[u8]| {
            let (read, skipped) = (decode(e, "k", |_| true, Words::Read), decode(e, "k", |_| true, Words::Skipped));
            assert_eq!(read.is_some(), skipped.is_some(), "words skipped or read, the same entries are refused");
            read.is_some()
        };
        let read_html = |e: &[u8]| decode_html(e, "k").is_some();
        type Reads<'a> = &'a dyn Fn(&[u8]) -> bool;
        let kinds: [(&Vec<u8>, Reads); 2] = [(&entry, &read_entry), (&html, &read_html)];
        for (entry, ok) in kinds {
            assert!(ok(entry), "whole");
            let raw = Fields::inflate(entry, |raw| Some(raw.to_vec())).unwrap();
            // Every cut of the inflated entry, compressed again, is refused: no field is made up.
            for cut in 0..raw.len() {
                let mut z = Entry::new(&raw[..cut]).finish().unwrap();
                assert!(!ok(&z), "cut at {cut}");
                z.truncate(z.len() / 2);
                assert!(!ok(&z), "compressed stream cut at {cut}");
            }
            assert!(!ok(b"not deflate"));
            assert!(!ok(&[]));
        }
    }
}
