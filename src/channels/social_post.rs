//! Posts for the Facebook fanpage and Zalo groups: the title, the summary, a few key signs,
//! what to do, the hotline, the link tagged `?src=facebook` / `?src=zalo`, and hashtags made
//! from the scam types; cut to each platform's limit (items dropped first, then the summary).

use super::gsm;

/// A platform a post is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    Facebook,
    Zalo,
}

impl Platform {
    /// The campaign tag of its link.
    pub fn tag(self) -> &'static str {
        match self {
            Platform::Facebook => "facebook",
            Platform::Zalo => "zalo",
        }
    }

    /// Characters a post may have: Facebook's limit for a page post; for Zalo, a cautious limit
    /// of ours that a group message and a timeline post both take in full.
    pub fn limit(self) -> usize {
        match self {
            Platform::Facebook => 63_206,
            Platform::Zalo => 2_000,
        }
    }
}

/// Most items of a list a post shows.
const MOST_POINTS: usize = 3;

/// What a post is made of.
pub struct Parts<'a> {
    pub label: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub signs: &'a [String],
    pub actions: &'a [String],
    pub hotline_number: &'a str,
    pub hotline_label: &'a str,
    /// The link, tagged for the platform.
    pub link: &'a str,
    pub hashtags: &'a [String],
}

/// The post for `platform`, at most [`Platform::limit`] characters.
pub fn post(parts: &Parts, platform: Platform) -> String {
    let compose = |summary: &str, signs: usize, actions: usize| {
        let mut blocks = vec![format!("⚠️ {}: {}", parts.label, parts.title)];
        if !summary.is_empty() {
            blocks.push(summary.to_string());
        }
        let list = |title: &str, items: &[String]| {
            let lines: Vec<String> = items.iter().map(|i| format!("- {i}")).collect();
            format!("{title}\n{}", lines.join("\n"))
        };
        if signs > 0 {
            blocks.push(list("🔎 Dấu hiệu nhận biết:", &parts.signs[..signs]));
        }
        if actions > 0 {
            blocks.push(list("✅ Cách phòng tránh:", &parts.actions[..actions]));
        }
        blocks.push(format!("☎️ Nếu nghi ngờ, gọi ngay {}: {}.", parts.hotline_label, parts.hotline_number));
        blocks.push(format!("👉 Đọc đầy đủ: {}", parts.link));
        if !parts.hashtags.is_empty() {
            blocks.push(parts.hashtags.join(" "));
        }
        blocks.join("\n\n")
    };
    let limit = platform.limit();
    let fits = |text: &str| text.chars().count() <= limit;
    let (mut signs, mut actions) = (parts.signs.len().min(MOST_POINTS), parts.actions.len().min(MOST_POINTS));
    let mut text = compose(parts.summary, signs, actions);
    while !fits(&text) && (signs > 0 || actions > 0) {
        if signs >= actions {
            signs -= 1
        } else {
            actions -= 1
        }
        text = compose(parts.summary, signs, actions);
    }
    if !fits(&text) {
        let over = text.chars().count() - limit;
        let keep = parts.summary.chars().count().saturating_sub(over + 1);
        let cut = crate::sanitize::shorten_to(parts.summary, keep);
        text = compose(&cut, 0, 0);
    }
    if !fits(&text) {
        text = text.chars().take(limit).collect();
    }
    text
}

/// A hashtag of a term's name: `Giả danh cơ quan chức năng` → `#GiaDanhCoQuanChucNang`
/// (without diacritics, so that it is typed and found the same on every phone).
pub fn hashtag(name: &str) -> String {
    let plain = gsm::to_gsm(name);
    let words = plain.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty());
    let mut tag = String::from("#");
    for word in words {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            tag.push(first.to_ascii_uppercase());
            tag.push_str(chars.as_str());
        }
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_issue_12() {
        assert_eq!(hashtag("Giả danh cơ quan chức năng"), "#GiaDanhCoQuanChucNang");
        assert_eq!(hashtag("Khoá SIM, chuẩn hoá thuê bao"), "#KhoaSIMChuanHoaThueBao");
        assert_eq!(hashtag("Đầu tư tài chính, tiền ảo"), "#DauTuTaiChinhTienAo");
    }

    #[test]
    fn posts_stay_within_the_limit_issue_12() {
        let many: Vec<String> = (0..10).map(|i| format!("Dấu hiệu số {i} {}", "rất dài ".repeat(60))).collect();
        let summary = "Tóm tắt. ".repeat(400);
        let tags = vec!["#CanhBaoLuaDao".to_string()];
        let parts = Parts {
            label: "CẢNH BÁO",
            title: "Tiêu đề",
            summary: &summary,
            signs: &many,
            actions: &many,
            hotline_number: "113",
            hotline_label: "Công an",
            link: "https://canhbao.example.vn/canh-bao/x/?src=zalo",
            hashtags: &tags,
        };
        let zalo = post(&parts, Platform::Zalo);
        assert!(zalo.chars().count() <= 2_000, "{}", zalo.chars().count());
        assert!(zalo.starts_with("⚠️ CẢNH BÁO: Tiêu đề\n\n"));
        assert!(zalo.contains("☎️ Nếu nghi ngờ, gọi ngay Công an: 113.") && zalo.contains("?src=zalo"), "{zalo}");
        assert!(zalo.ends_with("#CanhBaoLuaDao"));
        let facebook = post(&parts, Platform::Facebook);
        assert_eq!(facebook.matches("\n- ").count(), 6, "three signs and three actions");
    }
}
