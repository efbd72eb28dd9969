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
//! body without its reader text and HTML, and the search terms read from that text without the
//! distinct words: the HTML and the words lie in entries of their own in the same slot
//! ([`Side`]), which the load only checks are there. A build's model holds neither (its page and
//! feeds read the HTML back, the search index the words: [`KeptAt`]); the preview reads both.
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

/// The cache namespace of kept bodies (all but their HTML and words: [`Side`]), which the load
/// reads.
const KIND: &str = "body";
/// First bytes of an entry (before compression): the format's name and version.
const MAGIC: &[u8] = b"canhbao-body-4\n";

/// An entry beside a body's holding one text of it, read back by whoever needs it, so that a
/// build's model holds neither (issue 10): the HTML (the page and the feeds) and the distinct
/// words ([`BodyTerms::words`], the search index). Written before the body's entry, which is
/// never there without them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Html,
    Words,
}

impl Side {
    /// Its cache namespace.
    fn kind(self) -> &'static str {
        match self {
            Side::Html => "body-html",
            Side::Words => "body-words",
        }
    }

    /// First bytes of its entries (before compression): the format's name and version.
    fn magic(self) -> &'static [u8] {
        match self {
            Side::Html => b"canhbao-body-html-1\n",
            Side::Words => b"canhbao-body-words-1\n",
        }
    }

    fn encode(self, key: &str, text: &str) -> std::io::Result<Vec<u8>> {
        let mut entry = Entry::new(self.magic());
        entry.field(key.as_bytes())?;
        entry.field(text.as_bytes())?;
        entry.finish()
    }

    /// The text of `entry`, if it parses whole, is of this side and was made with `key`.
    fn decode(self, entry: &[u8], key: &str) -> Option<String> {
        Fields::inflate(entry, |raw| {
            let mut f = Fields::new(raw, self.magic())?;
            if f.field()? != key.as_bytes() {
                return None;
            }
            let text = f.text()?;
            f.done().then_some(text)
        })
    }
}

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
    /// so that a failed build writes nothing). A body read back holds what `holding` says, and
    /// so does one made and ready to keep (its pending entries hold the rest).
    pub(super) fn get_or_make(
        &self,
        item: &Item,
        path: &str,
        holding: Holding,
        make: impl FnOnce() -> ReadBody,
    ) -> (ReadBody, Keeping) {
        let at = KeptAt { slot: Cache::key(&[item.source.display.as_bytes()]), key: self.key(item, path) };
        let still = |used: &[(String, String)]| used.iter().all(|(rel, url)| self.targets.get(rel) == Some(url));
        let entry = self.cache.read(KIND, &at.slot);
        // A build's model holds neither the HTML nor the words of a body read back (its page and
        // the search index read them when they are made): they must at least be there.
        if let Some((mut rendered, mut terms)) = entry.and_then(|entry| decode(&entry, &at.key, still, holding))
            && match holding {
                Holding::All => at
                    .read(self.cache, Side::Html)
                    .zip(at.read(self.cache, Side::Words))
                    .map(|(html, words)| (rendered.html, terms.words) = (html, words))
                    .is_some(),
                Holding::Shown => [Side::Html, Side::Words].iter().all(|side| self.cache.has(side.kind(), &at.slot)),
            }
        {
            let summary = Summary::new(item.summary.as_deref(), &rendered);
            return ((Body { rendered, ..Body::default() }, (summary, terms)), Keeping::Read(at));
        }
        let mut made = make();
        if self.cache.writes()
            && keepable(&made.0)
            && let Some(used) = self.used(&made.0.rendered, item.source.rel_dir())
            && let Ok(html) = Side::Html.encode(&at.key, &made.0.rendered.html)
            && let Ok(words) = Side::Words.encode(&at.key, &made.1.1.words)
            && let Ok(entry) = encode(&at.key, &used, &made.0.rendered, &made.1.1)
        {
            if holding == Holding::Shown {
                // Let go of at once, as of a body read back: the pending entries hold them,
                // compressed (a load that makes every body held all of them twice until it ended).
                (made.0.rendered.html, made.1.1.words) = (String::new(), String::new());
            }
            return (made, Keeping::New(Pending { at, html, words, entry }));
        }
        (made, Keeping::No)
    }
}

/// What a load holds of a body read back from the cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holding {
    /// All of it (the preview, which compares edits with it and serves its pages from memory).
    All,
    /// What lists and pages show of it besides its HTML (its summary, word count, table of
    /// contents, the start of its search excerpt): a build and `check`. Whoever needs the rest
    /// reads it back ([`KeptAt`]): the HTML, the words, and the ids and links `check` compares.
    Shown,
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
    words: Vec<u8>,
    entry: Vec<u8>,
}

impl Pending {
    /// Writes the entries (the [`Side`] ones first: a body's entry is never there without
    /// them): where they are kept, or the HTML and words (inflated again) when they could not
    /// be written.
    pub(super) fn keep(self, cache: &Cache) -> Result<KeptAt, (String, String)> {
        let slot = &self.at.slot;
        if cache.put(Side::Html.kind(), slot, &self.html)
            && cache.put(Side::Words.kind(), slot, &self.words)
            && cache.put(KIND, slot, &self.entry)
        {
            return Ok(self.at);
        }
        let text = |side: Side, entry: &[u8]| side.decode(entry, &self.at.key).unwrap_or_default();
        Err((text(Side::Html, &self.html), text(Side::Words, &self.words)))
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
    fn read(&self, cache: &Cache, side: Side) -> Option<String> {
        side.decode(&cache.read(side.kind(), &self.slot)?, &self.key)
    }

    /// The body's HTML, read back from `cache`: an error when the entry is no longer the one
    /// the model was loaded with (removed or replaced by another build during this one, or
    /// damaged). Then the body's entry is emptied, so that the next build renders it again.
    pub fn html(&self, cache: &Cache) -> anyhow::Result<String> {
        self.read(cache, Side::Html).ok_or_else(|| self.gone(cache, Side::Html.kind()))
    }

    /// The body's distinct words ([`BodyTerms::words`]), read back from `cache` for the search
    /// index: an error, as [`Self::html`], when the entry is no longer the one the model was
    /// loaded with.
    pub fn words(&self, cache: &Cache) -> anyhow::Result<String> {
        self.read(cache, Side::Words).ok_or_else(|| self.gone(cache, Side::Words.kind()))
    }

    /// The ids of the body's elements and its links as written ([`Rendered::ids`],
    /// [`Rendered::links`]), read back from `cache` for `check`'s links to headings: an error,
    /// as [`Self::html`], when the entry is no longer the one the model was loaded with.
    pub fn anchors(&self, cache: &Cache) -> anyhow::Result<(Vec<String>, Vec<Written>)> {
        let entry = cache.read(KIND, &self.slot);
        // Any entry of this key: the URLs its links led to change its HTML, not what is written.
        let read = entry.and_then(|entry| decode(&entry, &self.key, |_| true, Holding::All));
        read.map(|(rendered, _)| (rendered.ids, rendered.links)).ok_or_else(|| self.gone(cache, KIND))
    }

    /// The error of an entry of kind `kind` no longer the one the model was loaded with: the
    /// body's entry is emptied first.
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
    entry.field(terms.lead.as_bytes())?;
    entry.finish()
}

/// The body and terms of `entry` (without HTML and words: [`Side`]; ids and links only when
/// `holding` all), if it parses whole, was made with `key` and the items it links to are `still`
/// where they were (given their content paths and URLs).
fn decode(
    entry: &[u8],
    key: &str,
    still: impl Fn(&[(String, String)]) -> bool,
    holding: Holding,
) -> Option<(Rendered, BodyTerms)> {
    Fields::inflate(entry, |raw| read(raw, key, still, holding))
}

fn read(
    raw: &[u8],
    key: &str,
    still: impl Fn(&[(String, String)]) -> bool,
    holding: Holding,
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
    // Read past unless held (the entry is still checked whole).
    let (mut ids, mut links) = (Vec::new(), Vec::new());
    for _ in 0..f.count()? {
        match holding {
            Holding::All => ids.push(f.text()?),
            Holding::Shown => _ = f.field()?,
        }
    }
    for _ in 0..f.count()? {
        let offset = number(&mut f)?;
        match holding {
            Holding::All => links.push(Written { offset, dest: f.text()? }),
            Holding::Shown => _ = f.field()?,
        }
    }
    let terms = BodyTerms { words: String::new(), lead: f.text()? };
    let rendered = Rendered { toc, summary, words, ids, links, ..Rendered::default() };
    f.done().then_some((rendered, terms))
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
        let (back, back_terms) = decode(&entry, "k1", |u| u == used, Holding::All).expect("read back");
        let without_html = Rendered { html: String::new(), ..rendered() };
        assert_eq!(format!("{back:?}"), format!("{without_html:?}"), "all but the HTML");
        let (shown, _) = decode(&entry, "k1", |u| u == used, Holding::Shown).expect("read back");
        let without_anchors = Rendered { ids: Vec::new(), links: Vec::new(), ..without_html };
        assert_eq!(format!("{shown:?}"), format!("{without_anchors:?}"), "nor the ids and links");
        assert_eq!(back_terms, BodyTerms { words: String::new(), ..terms.clone() }, "the lead, not the words");
        for holding in [Holding::All, Holding::Shown] {
            assert!(decode(&entry, "k2", |_| true, holding).is_none(), "another key");
            assert!(decode(&entry, "k1", |_| false, holding).is_none(), "a linked item moved");
        }
        for (side, text) in [(Side::Html, rendered().html), (Side::Words, terms.words.clone())] {
            let other = if side == Side::Html { Side::Words } else { Side::Html };
            let written = side.encode("k1", &text).unwrap();
            assert_eq!(side.decode(&written, "k1"), Some(text), "{side:?}");
            assert_eq!(side.decode(&written, "k2"), None, "{side:?}: another key");
            assert_eq!(other.decode(&written, "k1"), None, "{side:?}: not an entry of the other side");
            assert!(decode(&written, "k1", |_| true, Holding::All).is_none(), "{side:?}: not a body's entry");
            assert_eq!(side.decode(&entry, "k1"), None, "{side:?}: a body's entry is not one");
        }
    }

    #[test]
    fn a_damaged_entry_is_refused() {
        let used = vec![("articles/x.md".to_string(), "/canh-bao/x/".to_string())];
        let entry = encode("k", &used, &rendered(), &BodyTerms::new("Gọi 113", "")).unwrap();
        let html = Side::Html.encode("k", &rendered().html).unwrap();
        let words = Side::Words.encode("k", "gọi 113").unwrap();
        let read_entry = |e: &[u8]| {
            let (all, shown) = (decode(e, "k", |_| true, Holding::All), decode(e, "k", |_| true, Holding::Shown));
            assert_eq!(all.is_some(), shown.is_some(), "held or read past, the same entries are refused");
            all.is_some()
        };
        let read_html = |e: &[u8]| Side::Html.decode(e, "k").is_some();
        let read_words = |e: &[u8]| Side::Words.decode(e, "k").is_some();
        type Reads<'a> = &'a dyn Fn(&[u8]) -> bool;
        let kinds: [(&Vec<u8>, Reads); 3] = [(&entry, &read_entry), (&html, &read_html), (&words, &read_words)];
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
