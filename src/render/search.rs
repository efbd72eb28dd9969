//! The search index of `/tim-kiem/`: static JSON files read by `assets/search.js`, so search
//! needs no server and no third-party host.
//!
//! Readers type without diacritics ("lua dao"), so words are matched *folded*
//! ([`text::fold`]: no marks, `đ` -> `d`, lower case), and the original spelling is kept beside
//! each folded word so that "đường" ranks pages spelling "đường" above "dương".
//!
//! Files (all under `/tim-kiem/`):
//! - `index.json`: the manifest: number of documents, documents per chunk, shard prefix length,
//!   shard names with content hashes, number of chunks and their hash (for cache busting).
//! - `w/<key>.json`: an inverted index shard: `{ folded word: { spelling: [postings] } }`, where
//!   the spelling is the lower-case original (`""` when equal to the folded word) and each posting
//!   is `doc_delta * 8 + fields` (doc ids delta-encoded, `fields` = title 4 | tags 2 | body 1).
//!   Words go to the shard named by their first `split` folded characters (`[a-z0-9]`, else `_`);
//!   `split` is 0 (one file, `w/all.json`) for small sites and grows until no shard is too big.
//! - `d/<n>.json`: documents `n * chunk ..`, each `[url, title, date, summary, tags, excerpt]`,
//!   loaded only for the results shown. `excerpt` is the start of the body text (after the
//!   summary), for snippets.
//!
//! The script folds and splits words exactly as [`text::fold`] and [`words`] do; the shared
//! cases in `tests/fold_cases.json` are checked on both sides.

use std::collections::BTreeMap;

use anyhow::Result;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::views::ArticleSummary;
use crate::output::{OutputFile, short_digest, short_hash};
use crate::site::Site;
use crate::text;

/// Site path of the search page.
pub const SEARCH_PATH: &str = "/tim-kiem/";
/// The search page lists this many warnings, newest first, for readers without JavaScript (and
/// before a search); with more, it links to the paginated list of all warnings.
pub const LIST_MAX: usize = 500;

/// The articles the search page lists, of a site of `articles` (indexes into `Site::articles`:
/// the newest [`LIST_MAX`]); the route table gives the page these as its inputs.
pub fn listed(articles: usize) -> std::ops::Range<usize> {
    0..articles.min(LIST_MAX)
}
/// Field bits of a posting.
pub const TITLE: u8 = 4;
pub const TAGS: u8 = 2;
pub const BODY: u8 = 1;

/// Size limits, chosen from measurements on 10 000 generated articles (see docs/citizens.md).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Documents per `d/<n>.json` chunk.
    pub docs_per_chunk: usize,
    /// Words of body text kept for snippets, after the summary.
    pub excerpt_words: usize,
    /// A shard may be at most this big (bytes of JSON) before words are split by a longer prefix.
    pub shard_bytes: usize,
    /// Documents whose words are gathered at once (in parallel) before they join the word table.
    pub batch: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { docs_per_chunk: 20, excerpt_words: MAX_EXCERPT_WORDS, shard_bytes: 150_000, batch: 256 }
    }
}

/// The longest shard prefix: two folded characters ("ng", "th", "tr" ...).
const MAX_SPLIT: usize = 2;

/// What one article contributes to the index.
pub struct Doc<'a> {
    pub url: &'a str,
    pub title: &'a str,
    pub date: &'a str,
    /// The summary shown (cut for lists).
    pub summary: &'a str,
    pub tags: Vec<&'a str>,
    /// What the index reads of the body ([`BodyTerms`]), but for its words ([`Doc::words`]).
    pub body: &'a BodyTerms,
    /// Where the body's words are read from.
    pub words: Words<'a>,
}

/// Where the index reads a document's body words ([`BodyTerms::words`]).
#[derive(Clone, Copy)]
pub enum Words<'a> {
    /// In [`Doc::body`] (a document made without a site).
    Held,
    /// The article's: held by the model, or read back from the cache when its body is kept
    /// there (issue 10; [`crate::site::SiteArticle::words`]).
    Of(&'a crate::site::SiteArticle, &'a crate::cache::Cache),
}

impl<'a> Doc<'a> {
    fn words(&self) -> Result<std::borrow::Cow<'a, str>> {
        match self.words {
            Words::Held => Ok(std::borrow::Cow::Borrowed(&self.body.words)),
            Words::Of(article, cache) => article.words(cache),
        }
    }
}

/// Most words of body text a search excerpt shows ([`Limits::excerpt_words`] at most this).
pub const MAX_EXCERPT_WORDS: usize = 60;

/// What the search index needs of an article's body, made when the model is loaded, so the
/// model keeps these instead of the body's whole reader text ([`crate::markdown::Rendered::text`],
/// 44 MiB of the model at 10,000 articles, read by nothing else; issue 10).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyTerms {
    /// Each distinct word of the text ([`words`]), lower case ([`lower`]), in order of first
    /// use, one space apart: the index's body postings are made from these.
    pub words: String,
    /// The text after the full summary (the summary is shown beside the excerpt anyway; the
    /// full one, not the shown one: a summary cut with "…" is no prefix of the body), spaces
    /// collapsed, cut after [`MAX_EXCERPT_WORDS`] words.
    pub lead: String,
}

impl BodyTerms {
    /// The terms of reader text `text`, whose summary in full is `full_summary`.
    pub fn new(text: &str, full_summary: &str) -> BodyTerms {
        // Each spelling as written once, then lower-cased once (most words repeat) into one
        // buffer. Sized for an article of a few hundred distinct words (issue 10: growing the
        // sets was a tenth of this).
        let mut written: FxHashSet<&str> = FxHashSet::with_capacity_and_hasher(512, Default::default());
        let mut lowered: FxHashSet<String> = FxHashSet::with_capacity_and_hasher(512, Default::default());
        let (mut words_out, mut low) = (String::new(), String::new());
        for word in words(text).filter(|w| written.insert(w)) {
            lower_into(word, &mut low);
            if !lowered.contains(low.as_str()) {
                if !words_out.is_empty() {
                    words_out.push(' ');
                }
                words_out.push_str(&low);
                lowered.insert(low.clone());
            }
        }
        // The body with its spaces collapsed, without the summary if it starts with it: only its
        // first words are read, so only as many as the summary's length are joined to compare.
        let summary = crate::text::one_line(full_summary);
        let mut body = text.split_whitespace();
        let mut head = String::new();
        while head.len() < summary.len() {
            let Some(word) = body.next() else { break };
            if !head.is_empty() {
                head.push(' ');
            }
            head.push_str(word);
        }
        let rest = head.strip_prefix(summary.as_str()).filter(|_| !summary.is_empty()).unwrap_or(&head);
        let lead: Vec<&str> = rest.split(' ').filter(|w| !w.is_empty()).chain(body).take(MAX_EXCERPT_WORDS).collect();
        BodyTerms { words: words_out, lead: lead.join(" ") }
    }
}

#[derive(Serialize)]
struct Manifest {
    v: u32,
    docs: usize,
    chunk: usize,
    split: usize,
    /// Shard key -> content hash.
    shards: BTreeMap<String, String>,
    /// Number of document chunks, and one content hash for them all (adding an article shifts
    /// every document id, so chunks change together anyway).
    chunks: usize,
    dh: String,
}

/// Words of `text`: maximal runs of alphanumeric characters (`char::is_alphanumeric`; the script
/// uses `[\p{Alphabetic}\p{N}]+`, the same set).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !text::is_alphanumeric(c)).filter(|w| !w.is_empty())
}

/// Lower case, character by character (as `char::to_lowercase`; the script lower-cases each
/// character alone too, so a final sigma is not special on either side).
pub fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    lower_into(s, &mut out);
    out
}

/// [`lower`] into `out` (cleared first), so a caller lower-casing many words reuses one buffer.
fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        out.extend(s.chars().flat_map(char::to_lowercase));
    }
}

/// Shard key of a folded word: its first `split` characters, `[a-z0-9]` kept, others `_`.
pub fn shard_key(folded: &str, split: usize) -> String {
    if split == 0 {
        return "all".into();
    }
    folded.chars().take(split).map(|c| if c.is_ascii_lowercase() || c.is_ascii_digit() { c } else { '_' }).collect()
}

/// The documents of a site, newest first (document id = index in `site.articles`); the words
/// of bodies kept in `cache` are read from it.
pub fn docs<'a>(site: &'a Site, summaries: &'a [ArticleSummary], cache: &'a crate::cache::Cache) -> Vec<Doc<'a>> {
    site.articles
        .par_iter()
        .zip(summaries)
        .map(|(a, s)| Doc {
            url: &s.url,
            title: &s.title,
            date: &s.date,
            summary: &s.summary,
            tags: s.scams.iter().chain(&s.audiences).map(|t| t.name.as_str()).collect(),
            body: &a.search,
            words: Words::Of(a, cache),
        })
        .collect()
}

/// The postings of one spelling, already as the JSON numbers of its list (`doc_delta * 8 +
/// fields`, comma-separated): a posting costs the index two to four bytes, not a pair of numbers.
#[derive(Default)]
struct Postings {
    last: usize,
    json: String,
}

impl Postings {
    /// Adds document `id` (ids come in increasing order).
    fn push(&mut self, id: usize, bits: u8) {
        use std::fmt::Write;
        if !self.json.is_empty() {
            self.json.push(',');
        }
        let _ = write!(self.json, "{}", (id - self.last) * 8 + bits as usize);
        self.last = id;
    }
}

/// One document's distinct spellings (lower case) with their field bits. Issue 10: the words of
/// the title, tags and summary are gathered as written (borrowed, no allocation), then each
/// distinct one is lower-cased once; the body's come distinct and lower case from [`BodyTerms`];
/// folding waits until the whole site's spellings are known ([`write_index`]).
fn doc_words(doc: &Doc) -> Result<Vec<(String, u8)>> {
    let body = doc.words()?;
    let tags = doc.tags.join(" ");
    let mut written: FxHashMap<&str, u8> = FxHashMap::default();
    for (text, bit) in [(doc.title, TITLE), (tags.as_str(), TAGS), (doc.summary, BODY)] {
        for word in words(text) {
            *written.entry(word).or_default() |= bit;
        }
    }
    let mut spellings: FxHashMap<String, u8> = FxHashMap::default();
    spellings.reserve(written.len() + body.len() / 4);
    for (word, bits) in written {
        *spellings.entry(lower(word)).or_default() |= bits;
    }
    // The body's words are distinct and lower case already (`BodyTerms`).
    for word in body.split(' ').filter(|w| !w.is_empty()) {
        match spellings.get_mut(word) {
            Some(bits) => *bits |= BODY,
            None => {
                spellings.insert(word.to_string(), BODY);
            }
        }
    }
    Ok(spellings.into_iter().collect())
}

/// Builds every file of the index and hands each to `emit` as soon as it is made (paths
/// relative to the output folder). Issue 10: documents join the word table a batch at a time
/// (their words gathered in parallel), postings are kept as the JSON they become, and each file
/// is emitted and dropped, so memory holds the word table and one file, not every document's
/// words nor the whole index.
pub fn write_index(docs: &[Doc], limits: Limits, emit: &mut dyn FnMut(OutputFile) -> Result<()>) -> Result<()> {
    let dir = SEARCH_PATH.trim_start_matches('/');
    // Spelling -> postings, doc ids increasing. Issue 10: keyed by spelling, so each distinct
    // spelling of the site is folded once (below), not once per document using it.
    let mut table: FxHashMap<String, Postings> = FxHashMap::default();
    let batch = limits.batch.max(1);
    for (b, group) in docs.chunks(batch).enumerate() {
        let per_doc: Vec<Vec<(String, u8)>> = group.par_iter().map(doc_words).collect::<Result<_>>()?;
        for (k, entries) in per_doc.into_iter().enumerate() {
            let id = b * batch + k;
            for (spelling, bits) in entries {
                table.entry(spelling).or_default().push(id, bits);
            }
        }
    }
    // (folded, spelling, postings), by folded word then spelling.
    let mut spellings: Vec<(String, String, Postings)> = table
        .into_par_iter()
        .map(|(spelling, postings)| {
            // Lower-case ASCII folds to itself.
            let folded = if spelling.is_ascii() { spelling.clone() } else { text::fold(&spelling) };
            (folded, spelling, postings)
        })
        .collect();
    spellings.par_sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut encoded: Vec<(String, String)> = Vec::new();
    let mut rest = &spellings[..];
    while let Some((folded, _, _)) = rest.first() {
        let n = rest.iter().take_while(|(f, _, _)| f == folded).count();
        let (group, tail) = rest.split_at(n);
        let entries: Vec<String> = group
            .iter()
            .map(|(_, spelling, postings)| {
                let name = if spelling == folded { "" } else { spelling.as_str() };
                format!("{}:[{}]", json_string(name), postings.json)
            })
            .collect();
        encoded.push((folded.clone(), format!("{}:{{{}}}", json_string(folded), entries.join(","))));
        rest = tail;
    }
    drop(spellings);

    let (split, shards) = (0..=MAX_SPLIT)
        .map(|split| {
            let mut shards: BTreeMap<String, Vec<&str>> = BTreeMap::new();
            for (folded, entry) in &encoded {
                shards.entry(shard_key(folded, split)).or_default().push(entry);
            }
            (split, shards)
        })
        .find(|(split, shards)| {
            *split == MAX_SPLIT
                || shards
                    .values()
                    .all(|entries| entries.iter().map(|e| e.len() + 1).sum::<usize>() <= limits.shard_bytes)
        })
        .expect("the last split is always accepted");

    let mut shard_hashes = BTreeMap::new();
    for (key, entries) in shards {
        let bytes = format!("{{{}}}", entries.join(",")).into_bytes();
        shard_hashes.insert(key.clone(), short_hash(&bytes));
        emit(OutputFile { path: format!("{dir}w/{key}.json"), bytes })?;
    }
    drop(encoded);

    let chunk = limits.docs_per_chunk.max(1);
    // One hash of every chunk's bytes in turn, as if they were one file.
    let mut chunks_hash = Sha256::new();
    for (n, group) in docs.chunks(chunk).enumerate() {
        let rows: Vec<serde_json::Value> = group
            .iter()
            .map(|d| {
                serde_json::json!([
                    d.url,
                    d.title,
                    d.date,
                    d.summary,
                    d.tags.join(", "),
                    excerpt(d, limits.excerpt_words)
                ])
            })
            .collect();
        let bytes = serde_json::to_vec(&rows).expect("JSON values always serialise");
        chunks_hash.update(&bytes);
        emit(OutputFile { path: format!("{dir}d/{n}.json"), bytes })?;
    }

    let manifest = Manifest {
        v: 1,
        docs: docs.len(),
        chunk,
        split,
        shards: shard_hashes,
        chunks: docs.len().div_ceil(chunk),
        dh: short_digest(&chunks_hash.finalize()),
    };
    let bytes = serde_json::to_vec(&manifest).expect("the manifest always serialises");
    emit(OutputFile { path: format!("{dir}index.json"), bytes })
}

/// The first `n` words of the body after the summary ([`BodyTerms::lead`]).
fn excerpt(doc: &Doc, n: usize) -> String {
    doc.body.lead.split(' ').take(n).collect::<Vec<_>>().join(" ")
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn doc<'a>(title: &'a str, tags: Vec<&'a str>, summary: &'a str, body: &'a BodyTerms) -> Doc<'a> {
        Doc { url: "/x/", title, date: "2024-05-08", summary, tags, body, words: Words::Held }
    }

    /// Issue 10: the model keeps each body's distinct words and the start of its excerpt, not
    /// its text.
    #[test]
    fn body_terms_keep_distinct_words_and_the_lead() {
        let text = "Gọi 113.  Đường dây nóng: GỌI ngay, đường   dây 113!";
        let terms = BodyTerms::new(text, "Gọi 113.");
        assert_eq!(terms.words, "gọi 113 đường dây nóng ngay");
        assert_eq!(terms.lead, "Đường dây nóng: GỌI ngay, đường dây 113!");
        // A summary that does not start the body (cut with "…") leaves the whole body.
        assert_eq!(BodyTerms::new(text, "Gọi…").lead, "Gọi 113. Đường dây nóng: GỌI ngay, đường dây 113!");
        let long: String = (0..100).map(|i| format!("từ{i} ")).collect();
        let lead = BodyTerms::new(&long, "").lead;
        assert_eq!(lead.split(' ').count(), MAX_EXCERPT_WORDS);
        assert!(lead.ends_with("từ59"), "{lead}");
        assert_eq!(BodyTerms::new("", ""), BodyTerms::default());
        // The summary is a prefix of the text with its spaces collapsed, also one that ends
        // inside a word, or one longer than the text.
        assert_eq!(BodyTerms::new("Gọi  113 ngay.\nRồi", "Gọi 11").lead, "3 ngay. Rồi");
        assert_eq!(BodyTerms::new(" Gọi\t113 ", "Gọi 113").lead, "");
        assert_eq!(BodyTerms::new("Gọi 113", "Gọi 113 ngay").lead, "Gọi 113");
    }

    /// Every file of the index, as [`write_index`] emits them.
    fn index_files(docs: &[Doc], limits: Limits) -> Vec<OutputFile> {
        let mut files = Vec::new();
        write_index(docs, limits, &mut |f| {
            files.push(f);
            Ok(())
        })
        .unwrap();
        files
    }

    fn file(files: &[OutputFile], path: &str) -> Value {
        let f = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}"));
        serde_json::from_slice(&f.bytes).unwrap()
    }

    #[test]
    fn words_split_on_non_alphanumerics() {
        let w: Vec<&str> = words("Lừa đảo: “trúng thưởng” 100%, COVID-19/Zalo…").collect();
        assert_eq!(w, ["Lừa", "đảo", "trúng", "thưởng", "100", "COVID", "19", "Zalo"]);
        assert_eq!(lower("ĐƯỜNG ΟΔΟΣ"), "đường οδοσ");
    }

    #[test]
    fn lower_into_reuses_its_buffer() {
        let mut buffer = String::from("left over");
        lower_into("ĐƯỜNG Hà NỘI", &mut buffer);
        assert_eq!(buffer, "đường hà nội");
        lower_into("ZALO", &mut buffer);
        assert_eq!(buffer, "zalo");
    }

    #[test]
    fn shard_keys() {
        assert_eq!(shard_key("duong", 0), "all");
        assert_eq!(shard_key("duong", 1), "d");
        assert_eq!(shard_key("duong", 2), "du");
        assert_eq!(shard_key("a", 2), "a");
        assert_eq!(shard_key("ß1", 2), "_1");
    }

    #[test]
    fn index_keeps_spellings_and_fields() {
        let terms = [
            BodyTerms::new("Gọi 113. Đi đường khác.", "Gọi 113."),
            BodyTerms::new("Không đương nhiên. Đường link lạ.", ""),
        ];
        let docs = [
            doc("Đường dây nóng", vec!["Giả danh"], "Gọi 113.", &terms[0]),
            doc("Xét nghiệm dương tính", vec![], "", &terms[1]),
        ];
        let files = index_files(&docs, Limits::default());
        let manifest = file(&files, "tim-kiem/index.json");
        assert_eq!(manifest["split"], 0);
        assert_eq!(manifest["docs"], 2);
        let w = file(&files, "tim-kiem/w/all.json");
        // doc 0: title + body; doc 1 (delta 1): body.
        assert_eq!(w["duong"]["đường"], serde_json::json!([TITLE + BODY, 8 + BODY]));
        assert_eq!(w["duong"]["dương"], serde_json::json!([8 + TITLE]));
        assert_eq!(w["duong"]["đương"], serde_json::json!([8 + BODY]));
        assert_eq!(w["gia"]["giả"], serde_json::json!([TAGS]));
        // An unaccented word is stored under "".
        assert_eq!(w["113"][""], serde_json::json!([BODY]));
        let d = file(&files, "tim-kiem/d/0.json");
        assert_eq!(d[0][1], "Đường dây nóng");
        // The excerpt starts after the summary.
        assert_eq!(d[0][5], "Đi đường khác.");
        assert_eq!(d[1][5], "Không đương nhiên. Đường link lạ.");
    }

    #[test]
    fn big_indexes_are_split_and_chunked() {
        let bodies: Vec<String> = (0..50).map(|i| format!("ngân hàng số {i} thông báo tài khoản {i}")).collect();
        let terms: Vec<BodyTerms> = bodies.iter().map(|b| BodyTerms::new(b, "")).collect();
        let docs: Vec<Doc> = terms.iter().map(|t| doc("Tin", vec![], "", t)).collect();
        let limits = Limits { docs_per_chunk: 20, excerpt_words: 3, shard_bytes: 200, batch: 256 };
        let files = index_files(&docs, limits);
        let manifest = file(&files, "tim-kiem/index.json");
        assert_eq!(manifest["split"], 2);
        assert_eq!(manifest["chunks"], 3);
        let nh = file(&files, "tim-kiem/w/ng.json");
        // 50 postings, all in the body, one document apart after the first.
        let postings = nh["ngan"]["ngân"].as_array().unwrap();
        assert_eq!(postings.len(), 50);
        assert!(postings.iter().skip(1).all(|p| p == 9));
        assert_eq!(file(&files, "tim-kiem/d/2.json")[9][5], "ngân hàng số");
        for key in manifest["shards"].as_object().unwrap().keys() {
            assert!(files.iter().any(|f| f.path == format!("tim-kiem/w/{key}.json")));
        }
    }

    /// Issue 10: documents join the word table a batch at a time; the files are the same bytes
    /// whatever the batch size (postings delta-encoded across batches), and an error of the
    /// writer stops the index.
    #[test]
    fn batches_give_the_same_index() {
        let bodies: Vec<String> =
            (0..45).map(|i| format!("ngân hàng {i} gọi điện, đường dây {} thông báo", i % 7)).collect();
        let terms: Vec<BodyTerms> = bodies.iter().map(|b| BodyTerms::new(b, "")).collect();
        let docs: Vec<Doc> = terms.iter().map(|t| doc("Cảnh báo", vec!["Giả danh"], "", t)).collect();
        let limits = |batch| Limits { docs_per_chunk: 10, excerpt_words: 4, shard_bytes: 300, batch };
        let whole = index_files(&docs, limits(1000));
        assert!(whole.len() > 6, "shards, chunks and the manifest: {}", whole.len());
        for batch in [1, 4, 44, 45] {
            let batched = index_files(&docs, limits(batch));
            assert_eq!(batched.len(), whole.len());
            for (a, b) in whole.iter().zip(&batched) {
                assert_eq!(a.path, b.path);
                assert!(a.bytes == b.bytes, "{} differs with batches of {batch}", a.path);
            }
        }
        // Document 44 is the last; "ngan" is in every document: 44 deltas of one after the first.
        let w = whole.iter().find(|f| f.path.starts_with("tim-kiem/w/ng")).unwrap();
        let w: Value = serde_json::from_slice(&w.bytes).unwrap();
        let postings = w["ngan"]["ngân"].as_array().unwrap();
        assert_eq!(postings.len(), 45);
        assert!(postings.iter().skip(1).all(|p| p == 9));
        let mut written = 0;
        let failed = write_index(&docs, limits(4), &mut |_| {
            written += 1;
            anyhow::bail!("disk full")
        });
        assert_eq!(failed.unwrap_err().to_string(), "disk full");
        assert_eq!(written, 1);
    }
}
