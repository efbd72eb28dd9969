//! The pages of the channels: the page for officials beside each article and leaflet
//! (`kenh/index.html`, `noindex`), the SMS short link of each, and the index of the campaign
//! kits (`/kenh/`), with the small serializable views their templates receive.

use anyhow::Result;
use serde::Serialize;
use tera::{Context, Tera};

use super::{Item, Texts, kit, tagged};
use crate::output::OutputFile;
use crate::render::social::OgView;
use crate::render::templates::Origins;
use crate::render::views::SiteView;
use crate::site::{Site, SiteLeaflet};
use crate::urls;

/// What the channel pages are rendered with.
pub(super) struct Pages<'a> {
    pub site: &'a Site,
    pub tera: &'a Tera,
    pub origins: &'a Origins,
    pub site_view: &'a SiteView,
    /// Header, footer and `site`, rendered once per build.
    pub shared: &'a crate::render::shared::SharedParts,
    pub pdf: bool,
}

/// The URLs of an item's text files.
#[derive(Serialize)]
struct FilesView {
    sms: String,
    sms_accented: String,
    radio: String,
    facebook: String,
    zalo: String,
}

/// A QR code to download.
#[derive(Serialize)]
struct QrView {
    label: String,
    svg: String,
    png: String,
}

/// One print of a leaflet: its page, PDF and kit.
#[derive(Serialize)]
struct PrintView {
    label: String,
    url: String,
    pdf_url: Option<String>,
    kit_url: String,
    short_url: String,
}

#[derive(Serialize)]
struct LeafletKitsView {
    title: String,
    url: String,
    channels_url: String,
    prints: Vec<PrintView>,
}

/// `officials.html`: an item's channel texts.
#[derive(Serialize)]
struct OfficialsView<'a> {
    /// `article` or `leaflet`.
    kind: &'static str,
    title: &'a str,
    /// The item's own page.
    url: String,
    texts: &'a Texts,
    sms_limit: usize,
    sms_short_url: String,
    radio_duration: String,
    radio_max_seconds: usize,
    facebook_chars: usize,
    facebook_limit: usize,
    zalo_chars: usize,
    zalo_limit: usize,
    files: FilesView,
    qr: Vec<QrView>,
    leaflets: Vec<LeafletKitsView>,
    kits_url: String,
}

#[derive(Serialize)]
struct ArticleLink<'a> {
    title: &'a str,
    url: String,
    channels_url: String,
}

impl<'a> Pages<'a> {
    /// The text files, the page for officials and the SMS short link of `item`.
    pub fn item_files(&self, item: &Item, texts: &Texts) -> Result<Vec<OutputFile>> {
        let urls = &self.site.urls;
        let dir = item.dir();
        let file = |name: &str, text: &str| OutputFile {
            path: urls::output_file(&format!("{dir}{name}")),
            bytes: format!("{}\n", text.trim_end()).into_bytes(),
        };
        let mut files = vec![
            file(super::SMS_FILE, &texts.sms.gsm),
            file(super::SMS_ACCENTED_FILE, &texts.sms.accented),
            file(super::RADIO_FILE, &texts.radio.file()),
            file(super::FACEBOOK_FILE, &texts.facebook),
            file(super::ZALO_FILE, &texts.zalo),
        ];
        let short_path = self.site.short_codes.sms_path(item.path);
        let file_url = |name: &str| urls.url(&format!("{dir}{name}"));
        let view = OfficialsView {
            kind: if item.leaflet.is_some() { "leaflet" } else { "article" },
            title: item.title,
            url: urls.url(item.path),
            texts,
            sms_limit: super::gsm::GSM_SINGLE,
            sms_short_url: urls.permalink(&short_path),
            radio_duration: texts.radio.duration_vi(),
            radio_max_seconds: self.site.config.channels.radio_max_seconds,
            facebook_chars: texts.facebook.chars().count(),
            facebook_limit: super::Platform::Facebook.limit(),
            zalo_chars: texts.zalo.chars().count(),
            zalo_limit: super::Platform::Zalo.limit(),
            files: FilesView {
                sms: file_url(super::SMS_FILE),
                sms_accented: file_url(super::SMS_ACCENTED_FILE),
                radio: file_url(super::RADIO_FILE),
                facebook: file_url(super::FACEBOOK_FILE),
                zalo: file_url(super::ZALO_FILE),
            },
            qr: self.qr_codes(item),
            leaflets: self.leaflets_of(item).into_iter().map(|l| self.leaflet_kits(l)).collect(),
            kits_url: urls.url(&format!("/{}/", super::DIR)),
        };
        let mut ctx = Context::new();
        ctx.insert("channels", &view);
        let title = format!("Dành cho cán bộ: {}", item.title);
        files.push(self.render(super::OFFICIALS_TEMPLATE, &dir, &title, ctx)?);
        let mut ctx = Context::new();
        ctx.insert("target", &tagged(&item.target, "sms"));
        ctx.insert("canonical", &item.target);
        files.push(self.render("shortlink.html", &short_path, item.title, ctx)?);
        Ok(files)
    }

    /// `/kenh/`: every kit, the page for officials of every item, the bulk-SMS file.
    pub fn kits_index(&self, items: &[Item]) -> Result<OutputFile> {
        let urls = &self.site.urls;
        let leaflets: Vec<LeafletKitsView> = self.site.leaflets.iter().map(|l| self.leaflet_kits(l)).collect();
        let articles: Vec<ArticleLink> = items
            .iter()
            .filter(|i| i.leaflet.is_none())
            .map(|i| ArticleLink { title: i.title, url: urls.url(i.path), channels_url: urls.url(&i.dir()) })
            .collect();
        let mut ctx = Context::new();
        ctx.insert("leaflets", &leaflets);
        ctx.insert("articles", &articles);
        ctx.insert("csv_url", &urls.url(&format!("/{}/{}", super::DIR, super::CSV_FILE)));
        ctx.insert("pdf", &self.pdf);
        let path = format!("/{}/", super::DIR);
        self.render(super::KITS_TEMPLATE, &path, "Bộ tài liệu tuyên truyền", ctx)
    }

    /// An article's QR code, or the printed QR code of each print of a leaflet.
    fn qr_codes(&self, item: &Item) -> Vec<QrView> {
        let urls = &self.site.urls;
        match item.leaflet {
            None => vec![QrView {
                label: "Mã QR của bài cảnh báo".into(),
                svg: urls.url(&format!("{}qr.svg", item.path)),
                png: urls.url(&format!("{}qr.png", item.path)),
            }],
            Some(l) => l
                .prints(&self.site.config.sections.short_links)
                .iter()
                .map(|p| QrView {
                    label: print_label(p.variant.map(|v| v.label.as_str())),
                    svg: urls.url(&format!("{}qr-in.svg", p.path)),
                    png: urls.url(&format!("{}qr-in.png", p.path)),
                })
                .collect(),
        }
    }

    /// The leaflets shown on an item's page: a leaflet itself, or those that lead to an article.
    fn leaflets_of(&self, item: &Item<'a>) -> Vec<&'a SiteLeaflet> {
        if let Some(l) = item.leaflet {
            return vec![l];
        }
        let target = self.site.urls.permalink(item.path);
        self.site.leaflets.iter().filter(|l| l.target == target).collect()
    }

    fn leaflet_kits(&self, l: &SiteLeaflet) -> LeafletKitsView {
        let urls = &self.site.urls;
        let prints = l
            .prints(&self.site.config.sections.short_links)
            .iter()
            .map(|p| PrintView {
                label: print_label(p.variant.map(|v| v.label.as_str())),
                url: urls.url(&p.path),
                pdf_url: self.pdf.then(|| urls.url(&format!("{}{}", p.path, crate::render::leaflets::pdf_name(l, p)))),
                kit_url: urls.url(&format!("/{}", kit::kit_file(l, p))),
                short_url: urls.permalink(&p.short_path),
            })
            .collect();
        LeafletKitsView {
            title: l.leaflet.title.clone(),
            url: urls.url(&l.path),
            channels_url: urls.url(&format!("{}{}/", l.path, super::DIR)),
            prints,
        }
    }

    /// Renders a page at site path `path` as the site's other pages are rendered.
    fn render(&self, template: &str, path: &str, title: &str, mut ctx: Context) -> Result<OutputFile> {
        let urls = &self.site.urls;
        let description = &self.site.config.description;
        ctx.insert("og", &OgView::page(self.site_view, title, description, &urls.permalink(path)));
        self.shared.insert(self.tera, self.origins, &mut ctx, &urls.url(path))?;
        ctx.insert("page_url", &urls.url(path));
        ctx.insert("permalink", &urls.permalink(path));
        ctx.insert("title", title);
        ctx.insert("description", &crate::render::social::shorten(description));
        let html = crate::render::templates::render_bytes(self.tera, template, &ctx).map_err(|e| {
            let context = crate::Message::RenderFailed { path: path.to_string(), template: template.to_string() };
            self.origins.error(&e).context(crate::messages::MessageError(context))
        })?;
        Ok(OutputFile { path: urls::output_file(path), bytes: html })
    }
}

/// How a print is named on the pages: its variant's label, or "Bản chung".
pub(super) fn print_label(variant: Option<&str>) -> String {
    variant.map_or_else(|| "Bản chung (không theo điểm phát)".to_string(), str::to_string)
}
