//! The SMS of an item: one GSM 7-bit message of at most 160 characters, as operators send it
//! (without diacritics), with the hotline and the item's SMS short link (which adds `?src=sms`).
//! Derived from the severity and the title (and the first thing to do, when it fits); `sms:` in
//! the front matter replaces it, with `{link}` and `{hotline}` filled in.

use super::gsm;

/// An SMS in both forms and its counts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sms {
    /// As sent: GSM 7-bit, without diacritics.
    pub gsm: String,
    /// The same text with diacritics (sent as UCS-2 if used as is).
    pub accented: String,
    pub septets: usize,
    pub segments: usize,
    pub ucs2_units: usize,
    pub ucs2_segments: usize,
}

impl Sms {
    pub fn new(accented: String) -> Sms {
        let gsm = gsm::to_gsm(&accented);
        let septets = gsm::septets(&gsm);
        let ucs2_units = gsm::ucs2_units(&accented);
        Sms {
            segments: gsm::gsm_segments(septets),
            ucs2_segments: gsm::ucs2_segments(ucs2_units),
            gsm,
            accented,
            septets,
            ucs2_units,
        }
    }

    /// Whether it is one GSM 7-bit message.
    pub fn fits(&self) -> bool {
        self.septets <= gsm::GSM_SINGLE
    }
}

/// What an SMS is made of.
pub struct Parts<'a> {
    /// `CẢNH BÁO`, `KHẨN CẤP`…
    pub label: &'a str,
    pub title: &'a str,
    /// The first thing to do, if any.
    pub action: Option<&'a str>,
    pub hotline: &'a str,
    /// The absolute short link.
    pub link: &'a str,
}

/// The derived SMS: `{LABEL}: {title}. {action}. Goi {hotline} neu nghi ngo. {link}`, the title
/// cut at a word (with `...`) and the action left out when the message would pass 160 characters.
pub fn derive(parts: &Parts) -> Sms {
    let compose = |title: &str, action: Option<&str>| {
        let action = action.map(|a| format!(" {a}.")).unwrap_or_default();
        format!("{}: {title}.{action} Gọi {} nếu nghi ngờ. {}", parts.label, parts.hotline, parts.link)
    };
    let fits = |text: &str| gsm::septets(&gsm::to_gsm(text)) <= gsm::GSM_SINGLE;
    let title = parts.title.trim().trim_end_matches(['.', '!']);
    let words: Vec<&str> = title.split_whitespace().collect();
    let shortened = |kept: usize| format!("{}...", words[..kept].join(" ").trim_end_matches([',', ':', ';']));
    let shown = if words.is_empty() || fits(&compose(title, None)) {
        title.to_string()
    } else {
        // The most words that fit: a word more never makes the message shorter, so the count
        // is found by halving (issue 10: dropping one word at a time converted the message
        // again for each).
        let (mut fitting, mut too_many) = (0, words.len());
        while too_many - fitting > 1 {
            let kept = (fitting + too_many) / 2;
            match fits(&compose(&shortened(kept), None)) {
                true => fitting = kept,
                false => too_many = kept,
            }
        }
        shortened(fitting)
    };
    let with_action = parts.action.map(|a| compose(&shown, Some(a.trim_end_matches(['.', '!']))));
    let text = match with_action {
        Some(text) if fits(&text) => text,
        _ => compose(&shown, None),
    };
    Sms::new(text)
}

/// An `sms:` of the front matter with `{link}` and `{hotline}` filled in.
pub fn from_override(text: &str, hotline: &str, link: &str) -> Sms {
    let filled = text.replace("{link}", link).replace("{hotline}", hotline);
    Sms::new(crate::text::one_line(&filled))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINK: &str = "https://canhbao.example.vn/q/abcde/";

    #[test]
    fn derived_sms_fits_one_message_issue_12() {
        let long_title = "Giả danh công an, viện kiểm sát gọi điện yêu cầu chuyển tiền để “chứng minh trong sạch” \
                          và cài ứng dụng giả mạo để khai báo trực tuyến";
        let parts = Parts {
            label: "KHẨN CẤP",
            title: long_title,
            action: Some("Bình tĩnh cúp máy"),
            hotline: "113",
            link: LINK,
        };
        let sms = derive(&parts);
        assert!(sms.fits(), "{} septets: {}", sms.septets, sms.gsm);
        assert!(sms.gsm.starts_with("KHAN CAP: Gia danh cong an"), "{}", sms.gsm);
        assert!(sms.gsm.contains("...") && sms.gsm.ends_with(&format!("Goi 113 neu nghi ngo. {LINK}")), "{}", sms.gsm);
        assert!(gsm::is_gsm(&sms.gsm));
        assert_eq!(sms.segments, 1);
        assert!(sms.ucs2_segments >= 2, "the accented text needs more UCS-2 messages: {}", sms.ucs2_units);

        let parts = Parts {
            label: "CẢNH BÁO",
            title: "Lừa đảo tình cảm",
            action: Some("Không chuyển tiền."),
            hotline: "113",
            link: LINK,
        };
        let sms = derive(&parts);
        assert_eq!(sms.gsm, format!("CANH BAO: Lua dao tinh cam. Khong chuyen tien. Goi 113 neu nghi ngo. {LINK}"));
        assert_eq!(
            sms.accented,
            format!("CẢNH BÁO: Lừa đảo tình cảm. Không chuyển tiền. Gọi 113 nếu nghi ngờ. {LINK}")
        );
        assert_eq!(sms.septets, sms.gsm.chars().count());
    }

    /// Halving finds the title the message used to get by dropping one word at a time.
    #[test]
    fn the_shortened_title_keeps_the_most_words_that_fit_issue_10() {
        let fits = |text: &str| gsm::septets(&gsm::to_gsm(text)) <= gsm::GSM_SINGLE;
        let words = [
            "Cảnh", "giác,", "kẻ", "gian", "giả", "danh", "nhân", "viên", "ngân", "hàng:", "đề", "nghị", "cập", "nhật",
        ];
        for n in 0..=words.len() * 3 {
            let title: Vec<&str> = words.iter().cycle().take(n).copied().collect();
            let title = title.join(" ");
            let parts = Parts { label: "CẢNH BÁO", title: &title, action: None, hotline: "113", link: LINK };
            let compose = |shown: &str| format!("CẢNH BÁO: {shown}. Gọi 113 nếu nghi ngờ. {LINK}");
            let (mut kept, mut shown): (Vec<&str>, String) = (title.split_whitespace().collect(), title.clone());
            while !fits(&compose(&shown)) && !kept.is_empty() {
                kept.pop();
                shown = format!("{}...", kept.join(" ").trim_end_matches([',', ':', ';']));
            }
            assert_eq!(derive(&parts).accented, compose(&shown), "{n} words");
        }
    }

    #[test]
    fn overrides_fill_in_the_link_issue_12() {
        let sms = from_override("Cảnh giác! Gọi {hotline}.  Xem {link}", "113", LINK);
        assert_eq!(sms.gsm, format!("Canh giac! Goi 113. Xem {LINK}"));
        let long = from_override(&"a".repeat(170), "113", LINK);
        assert!(!long.fits());
        assert_eq!((long.septets, long.segments), (170, 2));
    }
}
