//! Campaign kits: one ZIP per leaflet and per variant, for the ward officials, schools and union
//! branches that hand the leaflets out and pass the warning on. Each holds the leaflet's PDF
//! (when the build prints them, `build --pdf`), its printed QR code (PNG and SVG), the SMS,
//! loudspeaker script and social posts, and a README in Vietnamese (`DOC-TRUOC.txt`) saying
//! what each file is for.
//!
//! The kits are made last, in the staging folder, from the files the build has just written
//! there (the PDFs exist only once Chromium has printed them): [`write_kits`], called by the
//! pipeline before the output folder is swapped in. The archives are reproducible: fixed
//! order, fixed dates (1980-01-01, the ZIP epoch), fixed permissions.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use rayon::prelude::*;

use super::page::print_label;
use crate::fs_util;
use crate::render::leaflets::pdf_name;
use crate::site::{Print, Site, SiteLeaflet};

/// The kit of a print, relative to the output folder: `kenh/bo-tai-lieu/<slug>[-<variant>].zip`.
pub fn kit_file(l: &SiteLeaflet, print: &Print) -> String {
    let name = pdf_name(l, print);
    let stem = name.strip_suffix(".pdf").unwrap_or(&name);
    format!("{}/{}/{stem}.zip", super::DIR, super::KITS_DIR)
}

/// How many kits the site has (one per leaflet and variant).
pub fn count(site: &Site) -> usize {
    site.leaflets.iter().map(|l| 1 + l.leaflet.variants.len()).sum()
}

/// The names of the files in a kit, and what each is for (the README lists them).
const QR_PNG: &str = "ma-qr.png";
const QR_SVG: &str = "ma-qr.svg";
const README: &str = "DOC-TRUOC.txt";
const TEXTS: [(&str, &str, &str); 5] = [
    (
        super::SMS_FILE,
        "tin-nhan-sms.txt",
        "tin nhắn SMS không dấu (tối đa 160 ký tự), gửi cho nhà mạng để nhắn hàng loạt",
    ),
    (super::SMS_ACCENTED_FILE, "tin-nhan-sms-co-dau.txt", "cùng tin nhắn, có dấu (dài gấp đôi khi gửi)"),
    (super::RADIO_FILE, "loa-phat-thanh.txt", "bài đọc trên loa phát thanh phường, xã (số đã viết thành chữ)"),
    (super::FACEBOOK_FILE, "facebook.txt", "bài đăng trang Facebook (fanpage)"),
    (super::ZALO_FILE, "zalo.txt", "bài đăng nhóm Zalo"),
];

/// Writes every kit into `staging` (the output being built) from the files already there.
/// Returns how many were written.
pub fn write_kits(site: &Site, staging: &Path) -> Result<usize> {
    let short_links = &site.config.sections.short_links;
    let jobs: Vec<(&SiteLeaflet, Print)> =
        site.leaflets.iter().flat_map(|l| l.prints(short_links).into_iter().map(move |p| (l, p))).collect();
    jobs.par_iter()
        .map(|(l, print)| {
            let read = |rel: String| fs_util::read(&staging.join(rel.trim_start_matches('/')));
            let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
            let pdf = format!("{}{}", print.path, pdf_name(l, print));
            let has_pdf = staging.join(pdf.trim_start_matches('/')).is_file();
            entries.push((README.to_string(), readme(site, l, print, has_pdf).into_bytes()));
            if has_pdf {
                entries.push((pdf_name(l, print), read(pdf)?));
            }
            entries.push((QR_PNG.to_string(), read(format!("{}qr-in.png", print.path))?));
            entries.push((QR_SVG.to_string(), read(format!("{}qr-in.svg", print.path))?));
            for (from, to, _) in TEXTS {
                entries.push((to.to_string(), read(format!("{}{}/{from}", l.path, super::DIR))?));
            }
            let file = kit_file(l, print);
            crate::output::check_output_path(&file)?;
            let path = staging.join(&file);
            if let Some(parent) = path.parent() {
                fs_util::create_dir_all(parent)?;
            }
            fs_util::write(&path, &zip(&entries).with_context(|| format!("cannot make `{file}`"))?)?;
            Ok(())
        })
        .collect::<Result<Vec<()>>>()
        .map(|done| done.len())
}

/// A ZIP archive of `entries` (name, bytes), deflated, with fixed dates and permissions.
pub fn zip(entries: &[(String, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

/// The README of a kit, in Vietnamese: what the kit is for and what each file is.
fn readme(site: &Site, l: &SiteLeaflet, print: &Print, has_pdf: bool) -> String {
    let urls = &site.urls;
    let mut out = String::new();
    out.push_str(&format!("BỘ TÀI LIỆU TUYÊN TRUYỀN: {}\n", l.leaflet.title));
    out.push_str(&format!("Điểm phát: {}\n", print_label(print.variant.map(|v| v.label.as_str()))));
    out.push_str(&format!("Đơn vị: {}\n\n", site.config.organisation.as_deref().unwrap_or(&site.config.title)));
    out.push_str("Các tệp trong bộ tài liệu:\n\n");
    if has_pdf {
        out.push_str(&format!(
            "- {}: tờ rơi để in, đúng khổ giấy ({}).\n",
            pdf_name(l, print),
            l.leaflet.paper.as_str()
        ));
    } else {
        out.push_str(&format!(
            "- (Chưa có tệp PDF: trang web được dựng không kèm bản PDF. Mở trang in {} và chọn In, \
             hoặc xin bản PDF từ đơn vị phụ trách.)\n",
            urls.permalink(&print.path)
        ));
    }
    out.push_str(&format!(
        "- {QR_PNG}, {QR_SVG}: mã QR in trên tờ rơi, dẫn tới {} (đếm được lượt quét của điểm phát này). \
         Dùng tệp SVG khi in khổ lớn (băng rôn, áp phích).\n",
        urls.permalink(&print.short_path)
    ));
    for (_, name, what) in TEXTS {
        out.push_str(&format!("- {name}: {what}.\n"));
    }
    out.push_str(&format!(
        "\nCác tin nhắn và bài đăng dùng chung cho mọi điểm phát của tờ rơi này. \
         Xem và sao chép trực tuyến tại {}.\n\
         Đường dây nóng: {}.\n",
        urls.permalink(&format!("{}{}/", l.path, super::DIR)),
        l.leaflet.hotline.as_ref().map_or(&site.config.hotline.number, |(n, _)| n)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zips_are_reproducible_issue_12() {
        let entries = vec![("a.txt".to_string(), b"xin chao".to_vec()), ("b/c.txt".to_string(), vec![b'x'; 10_000])];
        let first = zip(&entries).unwrap();
        assert_eq!(first, zip(&entries).unwrap());
        assert!(first.starts_with(b"PK\x03\x04"));
        assert!(first.len() < 10_000, "deflated: {}", first.len());
    }
}
