//! One warning, every channel (issue 12): the texts that carry an article or a leaflet beyond
//! the web page, derived from its content at build time.
//!
//! For every article and leaflet, beside its page in `kenh/`:
//!
//! - `sms.txt`: one SMS of at most 160 characters in the GSM 7-bit alphabet, without
//!   diacritics ([`sms`], [`gsm`]), with the hotline and a short link tagged `?src=sms`;
//!   `sms-co-dau.txt`: the same text with diacritics;
//! - `loa.txt`: the loudspeaker script ([`radio`], numbers in words by [`words`]);
//! - `facebook.txt`, `zalo.txt`: the social posts ([`social_post`]);
//! - `index.html`: the page for officials (`noindex`) that shows them with copy buttons, the QR
//!   codes and the leaflet PDFs.
//!
//! For the whole site, under `/kenh/`: the index of the campaign kits, `sms.csv` for the
//! operators' bulk-SMS systems ([`csv`]), and `bo-tai-lieu/*.zip`, one kit per leaflet and
//! variant ([`kit`], made once the PDFs are printed).
//!
//! The hooks: [`routes`] claims every file in the route table, `Channels` renders them (one
//! item at a time, from `crate::render::material`, then the kits index and bulk-SMS file),
//! [`kit::write_kits`] writes the ZIPs into the staging folder, [`check`] reports texts over
//! their limits.

pub mod csv;
pub mod gsm;
pub mod kit;
pub mod points;
pub mod radio;
pub mod sms;
pub mod social_post;
pub mod words;

use anyhow::Result;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::content::article::ChannelText;
use crate::content::leaflet::Target;
use crate::diagnostics::Diagnostic;
use crate::messages::{Message, Owner};
use crate::output::OutputFile;
use crate::render::templates::Origins;
use crate::render::views::SiteView;
use crate::site::{ItemRef, Site, SiteArticle, SiteLeaflet};
use points::Points;
use social_post::Platform;

/// The folder of an item's channel texts, beside its page (`/canh-bao/x/kenh/`), and of the
/// site's kits and CSV (`/kenh/`).
pub const DIR: &str = "kenh";
/// The kits, under [`DIR`].
pub const KITS_DIR: &str = "bo-tai-lieu";
/// The bulk-SMS file, under [`DIR`].
pub const CSV_FILE: &str = "sms.csv";
/// The text files of an item, in its [`DIR`].
pub const SMS_FILE: &str = "sms.txt";
pub const SMS_ACCENTED_FILE: &str = "sms-co-dau.txt";
pub const RADIO_FILE: &str = "loa.txt";
pub const FACEBOOK_FILE: &str = "facebook.txt";
pub const ZALO_FILE: &str = "zalo.txt";
const TEXT_FILES: [&str; 5] = [SMS_FILE, SMS_ACCENTED_FILE, RADIO_FILE, FACEBOOK_FILE, ZALO_FILE];

/// Templates of the theme (overridable by the site's `templates/`).
const OFFICIALS_TEMPLATE: &str = "officials.html";
const KITS_TEMPLATE: &str = "kits.html";
const OPENING_TEMPLATE: &str = "channels/radio_opening.txt";
const CLOSING_TEMPLATE: &str = "channels/radio_closing.txt";

/// `channels:` in site.yaml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ChannelsConfig {
    /// `check` warns about a loudspeaker script longer to read than this; a derived script is
    /// made to fit it.
    pub radio_max_seconds: usize,
}

impl Default for ChannelsConfig {
    fn default() -> Self {
        ChannelsConfig { radio_max_seconds: 90 }
    }
}

/// An article or a leaflet, as the channels see it.
pub struct Item<'a> {
    pub source: &'a str,
    /// Site path of its page (`/canh-bao/x/`).
    pub path: &'a str,
    pub title: &'a str,
    /// Severity label in capitals: `CẢNH BÁO`.
    pub label: String,
    /// As lists show it: at most [`crate::sanitize::SUMMARY_WARN_CHARS`] characters (issue 9:
    /// a huge `summary:` is never copied whole); an article's is borrowed (the kits index makes
    /// the item of every article at once).
    pub summary: std::borrow::Cow<'a, str>,
    pub hotline: (&'a str, &'a str),
    /// The absolute URL the links lead to, before the campaign tag.
    pub target: String,
    pub hashtags: Vec<String>,
    pub sms: Option<&'a ChannelText>,
    pub radio: Option<&'a ChannelText>,
    pub leaflet: Option<&'a SiteLeaflet>,
}

impl Item<'_> {
    /// Site path of its channel folder: `/canh-bao/x/kenh/`.
    pub fn dir(&self) -> String {
        format!("{}{DIR}/", self.path)
    }

    /// The key of its row in the bulk-SMS file: its path without slashes (`canh-bao/x`).
    pub fn key(&self) -> &str {
        self.path.trim_matches('/')
    }
}

/// `url` with the campaign tag `?src=<tag>` (before any `#fragment`).
pub fn tagged(url: &str, tag: &str) -> String {
    let (base, fragment) = url.split_at(url.find('#').unwrap_or(url.len()));
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}src={tag}{fragment}")
}

/// Every article and leaflet of the site, in that order.
pub fn item_refs(site: &Site) -> impl Iterator<Item = ItemRef> + '_ {
    (0..site.articles.len()).map(ItemRef::Article).chain((0..site.leaflets.len()).map(ItemRef::Leaflet))
}

/// Every article and leaflet of the site as an [`Item`], made in parallel (the kits index is
/// one of the last jobs of a build: at 10,000 articles making them one by one was a tail on
/// one core, issue 10).
pub fn items<'a>(site: &'a Site, tags: &Hashtags) -> Vec<Item<'a>> {
    let refs: Vec<ItemRef> = item_refs(site).collect();
    refs.into_par_iter().map(|r| item(site, r, tags)).collect()
}

/// The hashtags of the site's title and of each scam type, made once per build (issue 10: made
/// for each item, they were 1 % of a cached build).
pub struct Hashtags {
    site: String,
    /// Scam type key and hashtag.
    scams: Vec<(String, String)>,
}

impl Hashtags {
    pub fn new(config: &crate::config::Config) -> Hashtags {
        let scams = config.scams.iter().map(|t| (t.key.clone(), social_post::hashtag(&t.name))).collect();
        Hashtags { site: social_post::hashtag(&config.title), scams }
    }

    /// The site's hashtag, then those of the scam types `keys`, without repeats or empty tags.
    fn of(&self, keys: &[String]) -> Vec<String> {
        let mut tags = vec![self.site.clone()];
        for key in keys {
            if let Some((_, tag)) = self.scams.iter().find(|(k, _)| k == key) {
                tags.push(tag.clone());
            }
        }
        tags.dedup();
        tags.retain(|t| t.len() > 1);
        tags
    }
}

/// An article or a leaflet as an [`Item`].
pub fn item<'a>(site: &'a Site, r: ItemRef, tags: &Hashtags) -> Item<'a> {
    let config = &site.config;
    let site_hotline = (config.hotline.number.as_str(), config.hotline.label.as_str());
    match r {
        ItemRef::Article(i) => {
            let a = &site.articles[i];
            Item {
                source: &a.article.source.display,
                path: &a.path,
                title: &a.article.title,
                label: a.article.severity.label_vi().to_uppercase(),
                summary: std::borrow::Cow::Borrowed(&a.summary.listing),
                hotline: site_hotline,
                target: site.urls.permalink(&a.path),
                hashtags: tags.of(&a.article.scams),
                sms: a.article.sms.as_ref(),
                radio: a.article.radio.as_ref(),
                leaflet: None,
            }
        }
        ItemRef::Leaflet(i) => {
            let l = &site.leaflets[i];
            let meta = &l.leaflet;
            let scams = match &meta.target {
                Target::Content { rel, .. } => target_article(site, rel).map(|a| a.article.scams.as_slice()),
                Target::Url(_) => None,
            };
            Item {
                source: &meta.source.display,
                path: &l.path,
                title: &meta.title,
                label: "CẢNH BÁO".to_string(),
                summary: crate::sanitize::shorten_to(&l.intro.summary, crate::sanitize::SUMMARY_WARN_CHARS).into(),
                hotline: meta.hotline.as_ref().map_or(site_hotline, |(n, label)| (n.as_str(), label.as_str())),
                target: l.target.clone(),
                hashtags: tags.of(scams.unwrap_or_default()),
                sms: meta.sms.as_ref(),
                radio: meta.radio.as_ref(),
                leaflet: Some(l),
            }
        }
    }
}

/// The article whose source is `rel` (`articles/x.md`).
fn target_article<'a>(site: &'a Site, rel: &str) -> Option<&'a SiteArticle> {
    site.articles.iter().map(|a| &**a).find(|a| a.article.source.rel == rel)
}

/// The texts of one item.
#[derive(Debug, Clone, Serialize)]
pub struct Texts {
    pub sms: sms::Sms,
    pub radio: radio::Radio,
    pub facebook: String,
    pub zalo: String,
}

/// The opening and closing lines of the loudspeaker scripts, from the theme's (or the site's)
/// `channels/radio_opening.txt` and `channels/radio_closing.txt`.
pub struct Lines {
    opening: String,
    closing: String,
}

impl Lines {
    pub(crate) fn new(tera: &Tera, origins: &Origins, site_view: &SiteView) -> Result<Lines> {
        let mut ctx = Context::new();
        ctx.insert("site", site_view);
        let render = |name: &str| -> Result<String> {
            let text = tera.render(name, &ctx).map_err(|e| origins.error(&e))?;
            Ok(crate::text::one_line(&text))
        };
        Ok(Lines { opening: render(OPENING_TEMPLATE)?, closing: render(CLOSING_TEMPLATE)? })
    }
}

/// The SMS of `item`, whose body says `o`.
pub fn sms_of(site: &Site, item: &Item, o: &Points) -> sms::Sms {
    let number = item.hotline.0;
    let link = site.urls.permalink(&site.short_codes.sms_path(item.path));
    match item.sms {
        Some(own) => sms::from_override(&own.text, number, &link),
        None => sms::derive(&sms::Parts {
            label: &item.label,
            title: item.title,
            action: o.actions.first().map(String::as_str),
            hotline: number,
            link: &link,
        }),
    }
}

/// The texts of `item`, whose body says `o`.
pub fn texts(site: &Site, item: &Item, o: &Points, lines: &Lines) -> Texts {
    let config = &site.config;
    let (number, hotline_label) = item.hotline;
    let sms = sms_of(site, item, o);
    let phones: Vec<String> = [number, config.hotline.number.as_str()]
        .iter()
        .map(|n| n.chars().filter(char::is_ascii_digit).collect())
        .collect();
    let radio = match item.radio {
        Some(own) => radio::from_override(&own.text, &lines.opening, &lines.closing, &phones),
        None => radio::derive(&radio::Parts {
            opening: &lines.opening,
            closing: &lines.closing,
            title: item.title,
            summary: &item.summary,
            signs: &o.signs,
            actions: &o.actions,
            hotline_number: number,
            hotline_label,
            phones: &phones,
            max_seconds: config.channels.radio_max_seconds,
        }),
    };
    let post = |platform: Platform| {
        let link = tagged(&item.target, platform.tag());
        social_post::post(
            &social_post::Parts {
                label: &item.label,
                title: item.title,
                summary: &item.summary,
                signs: &o.signs,
                actions: &o.actions,
                hotline_number: number,
                hotline_label,
                link: &link,
                hashtags: &item.hashtags,
            },
            platform,
        )
    };
    Texts { sms, radio, facebook: post(Platform::Facebook), zalo: post(Platform::Zalo) }
}

/// The route-table hook: every file the channels write, the source a conflict is reported in,
/// and its owner. `articles` and `leaflets` are those that own their page.
pub fn routes<'a>(
    codes: &crate::shortlinks::ShortCodes,
    articles: &[&'a SiteArticle],
    leaflets: &[&'a SiteLeaflet],
) -> Vec<(String, &'a str, Owner)> {
    let mut claims = Vec::new();
    let items = articles
        .iter()
        .map(|a| (&a.path, a.article.source.display.as_str()))
        .chain(leaflets.iter().map(|l| (&l.path, l.leaflet.source.display.as_str())));
    for (path, source) in items {
        let owner = Owner::ChannelTexts(source.into());
        let dir = format!("{}{DIR}/", path.trim_start_matches('/'));
        claims.push((format!("{dir}index.html"), source, owner.clone()));
        claims.extend(TEXT_FILES.iter().map(|f| (format!("{dir}{f}"), source, owner.clone())));
        let short = crate::urls::output_file(&codes.sms_path(path));
        claims.push((short, source, owner));
    }
    if claims.is_empty() {
        return claims;
    }
    let generated = |file: String| {
        let owner = Owner::Generated(format!("/{file}").into());
        (file, "", owner)
    };
    claims.push(generated(format!("{DIR}/index.html")));
    claims.push(generated(format!("{DIR}/{CSV_FILE}")));
    for l in leaflets {
        for print in l.prints(codes.section()) {
            claims.push(generated(kit::kit_file(l, &print)));
        }
    }
    claims
}

/// What the channel files of a build are made with, once per build.
pub(crate) struct Channels<'a> {
    pages: page::Pages<'a>,
    lines: Lines,
    tags: Hashtags,
    /// The SMS of each item (articles, then leaflets), kept by [`Self::item_files`] for the
    /// bulk-SMS file.
    sms: Vec<std::sync::OnceLock<sms::Sms>>,
}

impl<'a> Channels<'a> {
    /// `pdf`: PDFs are printed (and linked).
    pub(crate) fn new(
        site: &'a Site,
        tera: &'a Tera,
        origins: &'a Origins,
        site_view: &'a SiteView,
        shared: &'a crate::render::shared::SharedParts,
        pdf: bool,
    ) -> Result<Channels<'a>> {
        let lines = Lines::new(tera, origins, site_view)?;
        let sms = (0..site.articles.len() + site.leaflets.len()).map(|_| std::sync::OnceLock::new()).collect();
        let pages = page::Pages { site, tera, origins, site_view, shared, pdf };
        Ok(Channels { pages, lines, tags: Hashtags::new(&site.config), sms })
    }

    fn slot(&self, r: ItemRef) -> &std::sync::OnceLock<sms::Sms> {
        match r {
            ItemRef::Article(i) => &self.sms[i],
            ItemRef::Leaflet(i) => &self.sms[self.pages.site.articles.len() + i],
        }
    }

    /// The render hook of one item: its text files, its page for officials and its SMS short
    /// link, from what its body says (`o`).
    pub(crate) fn item_files(&self, r: ItemRef, o: &Points) -> Result<Vec<OutputFile>> {
        let site = self.pages.site;
        let item = item(site, r, &self.tags);
        let texts = texts(site, &item, o, &self.lines);
        let _ = self.slot(r).set(texts.sms.clone());
        self.pages.item_files(&item, &texts)
    }

    /// The SMS of item `r`, once [`Self::item_files`] made it.
    pub(crate) fn sms(&self, r: ItemRef) -> Option<&sms::Sms> {
        self.slot(r).get()
    }

    /// Keeps `sms` as item `r`'s, made by an earlier build ([`crate::render::material`] wrote
    /// the item's files from the cache, so [`Self::item_files`] did not run).
    pub(crate) fn keep_sms(&self, r: ItemRef, sms: sms::Sms) {
        let _ = self.slot(r).set(sms);
    }

    /// The render hook of the site: the kits index and the bulk-SMS file (the kits come later:
    /// [`kit::write_kits`]). Made after every item's files, whose SMS it lists.
    pub(crate) fn index_files(&self) -> Result<Vec<OutputFile>> {
        let site = self.pages.site;
        let items = items(site, &self.tags);
        let refs: Vec<ItemRef> = item_refs(site).collect();
        let sms: Vec<&sms::Sms> = refs
            .into_par_iter()
            .zip(&items)
            .map(|(r, item)| {
                let slot = self.slot(r);
                if let Some(sms) = slot.get() {
                    return Ok(sms);
                }
                let outline = crate::present::outline::outline(&site.body_of(r)?);
                Ok(slot.get_or_init(|| sms_of(site, item, &points::of(&outline))))
            })
            .collect::<Result<_>>()?;
        Ok(vec![
            self.pages.kits_index(&items)?,
            OutputFile { path: format!("{DIR}/{CSV_FILE}"), bytes: csv::bulk_sms(&items, &sms).into_bytes() },
        ])
    }
}

/// `check`'s hook: SMS over one message are errors, scripts over the time limit warnings, each
/// at the line of `sms:` / `radio:` (line 1 for a derived text).
pub fn check(site: &Site) -> Result<(Vec<Diagnostic>, Vec<Diagnostic>)> {
    let items = items(site, &Hashtags::new(&site.config));
    if items.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let (tera, origins) = crate::render::templates::load(&site.config, Default::default())?;
    let lines = Lines::new(&tera, &origins, &SiteView::new(site))?;
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let max_seconds = site.config.channels.radio_max_seconds;
    for (r, item) in item_refs(site).zip(&items) {
        let t = texts(site, item, &points::of(&crate::present::outline::outline(&site.body_of(r)?)), &lines);
        if !t.sms.fits() {
            let message = Message::SmsTooLong { septets: t.sms.septets, max: gsm::GSM_SINGLE };
            let line = item.sms.map_or(1, |s| s.line);
            errors.push(Diagnostic::new(item.source, message).at(line, 1).help(Message::SmsTooLongHelp));
        }
        if t.radio.seconds > max_seconds {
            let message = Message::RadioTooLong { seconds: t.radio.seconds, max: max_seconds };
            let line = item.radio.map_or(1, |r| r.line);
            warnings.push(Diagnostic::new(item.source, message).at(line, 1).help(Message::RadioTooLongHelp));
        }
    }
    Ok((errors, warnings))
}

mod page;
