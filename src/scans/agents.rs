//! Who asked: a person's browser, or a program (a search engine's crawler, the fetcher that
//! draws a link preview in Facebook, Zalo or Telegram, a monitoring probe, `curl`).
//!
//! Told apart by the user agent, the only sign a combined log keeps:
//! - named fetchers and crawlers ([`NAMED`]): Facebook (`facebookexternalhit`, `Facebot`,
//!   `meta-externalagent`), Google, Bing, Cốc Cốc, Apple, the AI crawlers, Telegram, WhatsApp,
//!   Viber, Skype, Discord, Slack, and the HTTP libraries of scripts (`curl`, `python-requests`…);
//! - any user agent with `bot`, `crawl`, `spider`, `preview` or `fetch` in it (but `CUBOT`, a
//!   phone maker);
//! - Zalo: its link-preview fetcher names Zalo and is not a browser (no `Mozilla/`); Zalo's
//!   in-app browser, which opens a scanned link, says `Mozilla/5.0 … Zalo` and is a person;
//! - no user agent at all (`-` or empty): every browser sends one.

use memchr::memmem;

/// Parts of user agents of known programs, lower case.
pub const NAMED: &[&str] = &[
    // Link previews of social networks and messengers.
    "facebookexternalhit",
    "facebookcatalog",
    "facebot",
    "meta-externalagent",
    "meta-externalfetcher",
    "twitterbot",
    "linkedinbot",
    "telegrambot",
    "whatsapp",
    "viber",
    "skypeuripreview",
    "discordbot",
    "slackbot",
    "slack-imgproxy",
    "pinterest",
    "redditbot",
    "embedly",
    "iframely",
    "vkshare",
    // Search engines and other crawlers.
    "googlebot",
    "googleother",
    "google-inspectiontool",
    "adsbot-google",
    "mediapartners-google",
    "storebot-google",
    "feedfetcher-google",
    "google-read-aloud",
    "bingbot",
    "bingpreview",
    "msnbot",
    "adidxbot",
    "slurp",
    "duckduckbot",
    "baiduspider",
    "yandex",
    "coccocbot",
    "applebot",
    "petalbot",
    "bytespider",
    "seznambot",
    "qwantify",
    "gptbot",
    "chatgpt-user",
    "oai-searchbot",
    "claudebot",
    "claude-web",
    "anthropic-ai",
    "perplexity",
    "ccbot",
    "amazonbot",
    "ahrefs",
    "semrush",
    "mj12bot",
    "dotbot",
    "dataforseo",
    // Headless browsers, probes and HTTP libraries.
    "headlesschrome",
    "lighthouse",
    "phantomjs",
    "uptimerobot",
    "pingdom",
    "statuscake",
    "zgrab",
    "masscan",
    "nmap",
    "nuclei",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "python-httpx",
    "aiohttp",
    "go-http-client",
    "java/",
    "okhttp",
    "apache-httpclient",
    "libwww-perl",
    "node-fetch",
    "axios/",
    "undici",
    "scrapy",
    "guzzlehttp",
    "postmanruntime",
    "httpie",
    "powershell",
];

/// Words that mark a program whatever its name.
const GENERIC: &[&str] = &["bot", "crawl", "spider", "preview", "fetch"];

/// Why a request is not a person opening a link, when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAPerson {
    /// A crawler, a link-preview fetcher or a script.
    Program,
    /// A prefetch: the browser loaded the page in case it would be opened (only seen when the log
    /// format records `Sec-Purpose`, `Purpose` or `X-Purpose` after the user agent: `prefetch`,
    /// `prerender`, `preview`).
    Prefetch,
}

/// Whether the request (its user agent; `None` when the format does not log it, and the fields
/// logged after it) came from a program or was a prefetch.
pub fn classify(agent: Option<&[u8]>, extra: &[u8]) -> Option<NotAPerson> {
    if !extra.is_empty() {
        let extra = extra.to_ascii_lowercase();
        if [&b"prefetch"[..], b"prerender", b"preview"].iter().any(|w| memmem::find(&extra, w).is_some()) {
            return Some(NotAPerson::Prefetch);
        }
    }
    let agent = agent?;
    is_program(agent).then_some(NotAPerson::Program)
}

/// Whether a user agent is a program's (see the module documentation).
pub fn is_program(agent: &[u8]) -> bool {
    let agent = agent.trim_ascii();
    if agent.is_empty() || agent == b"-" {
        return true;
    }
    let lower = agent.to_ascii_lowercase();
    let has = |word: &str| memmem::find(&lower, word.as_bytes()).is_some();
    if NAMED.iter().any(|w| has(w)) {
        return true;
    }
    if has("zalo") && !has("mozilla/") {
        return true;
    }
    GENERIC.iter().any(|w| match *w {
        "bot" => memmem::find_iter(&lower, b"bot").any(|i| !lower[..i].ends_with(b"cu")),
        w => has(w),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PEOPLE: &[&str] = &[
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 13; CUBOT X70) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 12; V2111) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Zalo android/12100693 ZaloTheme/light ZaloLanguage/vn",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/480.0]",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 coc_coc_browser/131.0",
    ];

    const PROGRAMS: &[&str] = &[
        "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
        "Facebot",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm) Chrome/116.0 Safari/537.36",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "ZaloPC-win32-24v627",
        "Zalo-link-preview/1.0",
        "TelegramBot (like TwitterBot)",
        "WhatsApp/2.23.20.0",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "SomeNewCrawler/0.1",
        "Mozilla/5.0 (compatible; ExampleSpider/3.0)",
        "-",
        "",
    ];

    #[test]
    fn people_are_people() {
        for agent in PEOPLE {
            assert!(!is_program(agent.as_bytes()), "{agent}");
            assert_eq!(classify(Some(agent.as_bytes()), b""), None);
        }
        // The common format logs no user agent: nothing to hold against the request.
        assert_eq!(classify(None, b""), None);
    }

    #[test]
    fn programs_are_left_out() {
        for agent in PROGRAMS {
            assert!(is_program(agent.as_bytes()), "{agent}");
            assert_eq!(classify(Some(agent.as_bytes()), b""), Some(NotAPerson::Program));
        }
    }

    #[test]
    fn a_logged_sec_purpose_marks_a_prefetch() {
        let agent = PEOPLE[0].as_bytes();
        assert_eq!(classify(Some(agent), br#""prefetch;anonymous-client-ip""#), Some(NotAPerson::Prefetch));
        assert_eq!(classify(Some(agent), br#""Prefetch""#), Some(NotAPerson::Prefetch));
        assert_eq!(classify(Some(agent), br#""-" "preview""#), Some(NotAPerson::Prefetch));
        assert_eq!(classify(Some(agent), br#""-""#), None);
    }
}
