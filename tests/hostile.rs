//! Hostile content (issue 9, "Content that turns into script"): raw HTML, dangerous URL schemes in
//! every disguise and every place, scam addresses, control characters and huge summaries. Each
//! case is a fixture under `tests/fixtures/hostile/<case>/` (or written by the test when it cannot
//! live in a file); the test asserts the exact error, or parses the output (pages, the Atom feed
//! and its HTML content, the search index) and asserts that nothing in it can run.

mod common;

use std::process::Command;

use common::{TestSite, attrs, one, select, text, xml};
use scraper::Html;

/// The binary, in English and without colour, as `canhbao <args> --root <site>`.
fn canhbao(site: &TestSite, args: &[&str]) -> (i32, String) {
    canhbao_in(site, args, None)
}

/// The binary without colour, in English or with `LANG` set (`vi_VN.UTF-8`).
fn canhbao_in(site: &TestSite, args: &[&str], lang: Option<&str>) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_canhbao"));
    cmd.args(args).arg("--root").arg(&site.root).current_dir(&site.dir);
    for var in ["LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE", "CLICOLOR_FORCE"] {
        cmd.env_remove(var);
    }
    if let Some(lang) = lang {
        cmd.env("LANG", lang);
    }
    let output = cmd.env("NO_COLOR", "1").output().expect("run canhbao");
    (output.status.code().unwrap_or(-1), String::from_utf8(output.stderr).expect("UTF-8 stderr"))
}

/// `canhbao check`: exit code and stderr.
fn check(site: &TestSite) -> (i32, String) {
    canhbao(site, &["check"])
}

/// `canhbao build` to the test's output folder: exit code and stderr.
fn build(site: &TestSite) -> (i32, String) {
    let out = site.out.to_string_lossy().into_owned();
    canhbao(site, &["build", "--output", &out])
}

/// The scheme of a URL as a browser reads it (the library's own reading is what is under test,
/// so this one is written independently): character references, tabs/newlines and leading
/// controls are what an attacker hides behind.
fn browser_scheme(url: &str) -> Option<String> {
    let decoded = url.replace("&colon;", ":").replace("&#106;", "j").replace("&#x6A;", "j").replace("&#x6a;", "j");
    let cleaned: String = decoded.chars().filter(|c| !c.is_ascii_control()).collect();
    let cleaned = cleaned.trim_start_matches(|c: char| c <= ' ');
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)))
        .then(|| scheme.to_ascii_lowercase())
}

/// Asserts that an HTML document or fragment holds nothing that runs: no script but the theme's
/// own, no event handler attribute, no frame, form, object or `<meta http-equiv>`, and no URL
/// with a scheme other than http(s), mailto, tel and sms.
fn assert_inert(html: &Html, place: &str) {
    for script in select(html, "script") {
        let theme_file = script.value().attr("src").is_some_and(|src| src.starts_with("/assets/"));
        let json_ld = script.value().attr("type") == Some("application/ld+json");
        let body = script.text().collect::<String>();
        assert!(theme_file || json_ld || !body.contains("__pwned"), "{place}: an injected script: {}", script.html());
        assert!(!body.contains("alert("), "{place}: {}", script.html());
    }
    for css in
        ["iframe", "frame", "object", "embed", "base", "meta[http-equiv]", ".content svg", "math", ".content form"]
    {
        assert!(select(html, css).is_empty(), "{place}: a `{css}` got through: {}", select(html, css)[0].html());
    }
    // The theme's search box is the only form, and it stays on the site.
    for form in select(html, "form") {
        assert!(form.value().attr("action").is_some_and(|a| a.starts_with('/')), "{place}: {}", form.html());
    }
    for element in select(html, "*") {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "{place}: event handler `{name}=\"{value}\"` on {}", element.html());
            assert!(!(name == "style" && value.contains("position")), "{place}: {}", element.html());
            if matches!(name, "href" | "src" | "action" | "formaction" | "srcset" | "poster" | "data" | "xlink:href") {
                let scheme = browser_scheme(value);
                assert!(
                    scheme.as_deref().is_none_or(|s| ["http", "https", "mailto", "tel", "sms"].contains(&s)),
                    "{place}: `{name}=\"{value}\"` on {}",
                    element.html()
                );
            }
        }
    }
}

/// Asserts every page, the site feed (each entry's HTML content parsed) and the search index
/// are inert.
fn assert_site_inert(site: &TestSite) {
    for (path, html) in common::html_files(&site.output()) {
        // An SMS short link (issue 12) is the theme's redirect, to a page of the site.
        if path.starts_with("q/") {
            let refresh = attrs(&html, "meta[http-equiv=refresh]", "content");
            assert!(
                refresh.len() == 1 && refresh[0].starts_with("0; url=https://canhbao.test/"),
                "{path}: {refresh:?}"
            );
            continue;
        }
        assert_inert(&html, path);
    }
    let feed = site.read("atom.xml");
    let doc = xml(&feed);
    let mut contents = 0;
    for node in doc.descendants().filter(|n| n.has_tag_name("content") || n.has_tag_name("summary")) {
        let html = node.text().unwrap_or_default();
        assert_inert(&Html::parse_fragment(html), "atom.xml");
        contents += 1;
    }
    assert!(contents > 0, "the feed has entries");
    for (path, bytes) in site.output().iter().filter(|(p, _)| p.starts_with("tim-kiem/") && p.ends_with(".json")) {
        let json = String::from_utf8_lossy(bytes);
        for bad in ["<script", "<iframe", "onerror", "javascript:", "<form"] {
            assert!(!json.to_ascii_lowercase().contains(bad), "search index `{path}` holds `{bad}`");
        }
    }
}

#[test]
fn raw_html_is_left_out_by_default_issue_9() {
    let site = TestSite::new("hostile/raw_html");
    site.build();
    assert_site_inert(&site);
    let html = site.html("canh-bao/html-doc/index.html");
    let content = one(&html, ".content");
    let shown = text(content);
    assert!(shown.contains("Kẻ gian gửi tin nhắn giả danh ."), "no script text either: {shown}");
    assert!(shown.contains("Không bao giờ cung cấp mã OTP. Đậm"), "markup around text goes, the text stays: {shown}");
    assert!(!shown.contains("Ghi chú của biên tập viên"), "comments stay hidden: {shown}");
    assert!(content.inner_html().contains("markdown-alert-warning"), "our own alert markup is kept");
    assert_eq!(attrs(&html, ".content a", "href"), ["https://chongluadao.vn/"]);
    assert_eq!(attrs(&html, ".content a", "target"), ["_blank"]);
    assert!(select(&html, ".content img").is_empty() && select(&html, ".content span[style]").is_empty());
    // The `<!-- more -->` marker still ends the summary.
    assert_eq!(attrs(&html, "meta[name=description]", "content"), ["Kẻ gian gửi tin nhắn giả danh ."]);
    assert_eq!(text(one(&site.html("gioi-thieu/index.html"), ".content")), "", "the block is left out whole");
}

#[test]
fn check_warns_about_raw_html_at_its_line_issue_9() {
    let site = TestSite::new("hostile/raw_html");
    let (code, stderr) = check(&site);
    assert_eq!(code, 0, "raw HTML is a warning, not an error:\n{stderr}");
    for expected in [
        "warning: content/articles/html-doc.md:6:22: raw HTML `<script>` is left out of the page\nhelp: write it in Markdown",
        "warning: content/articles/html-doc.md:10:1: raw HTML `<script>window.__pwned = \"block\"; alert(\"block\");</script>` is left out of the page",
        "warning: content/articles/html-doc.md:12:1: raw HTML `<img src=\"x\" onerror=\"window.__pwned = 'onerror'; alert('onerror')\">` is left out of the page",
        "warning: content/articles/html-doc.md:14:1: raw HTML `<iframe src=\"https://evil.example/\"></iframe>` is left out of the page",
        "warning: content/articles/html-doc.md:18:1: raw HTML `<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">` is left out of the page",
        "warning: content/pages/gioi-thieu.md:4:1: raw HTML",
        "\nhelp: write it in Markdown (to show a `<` as text, write `\\<`); a site that needs HTML can set `markdown: { raw_html: true }` in site.yaml, and it is then sanitised\n",
    ] {
        assert!(stderr.contains(expected), "missing `{expected}` in:\n{stderr}");
    }
    assert!(!stderr.contains("more"), "the summary marker and comments are not warned about:\n{stderr}");
}

#[test]
fn raw_html_opted_in_goes_through_the_sanitiser_issue_9() {
    let site = TestSite::new("hostile/raw_html_allowed");
    site.build();
    assert_site_inert(&site);
    let html = site.html("canh-bao/html-doc/index.html");
    let content = one(&html, ".content");
    // Harmless HTML is kept...
    assert_eq!(text(one(&html, ".content b")), "Đậm");
    assert_eq!(attrs(&html, ".content abbr", "title"), ["Mã xác thực một lần"]);
    // ...and so is everything the renderer itself writes.
    assert_eq!(attrs(&html, ".content h2", "id"), ["dau-hieu"]);
    assert_eq!(attrs(&html, ".content h2", "class"), ["quan-trong"]);
    assert_eq!(text(one(&html, ".markdown-alert-warning .markdown-alert-title")), "Cảnh báo");
    assert_eq!(attrs(&html, ".content a[href^=https]", "target"), ["_blank"]);
    assert_eq!(attrs(&html, ".content a[href^=https]", "rel"), ["noopener noreferrer"]);
    assert_eq!(attrs(&html, ".content input", "type"), ["checkbox"]);
    assert_eq!(attrs(&html, ".content th", "style"), ["text-align: center"]);
    assert_eq!(select(&html, ".content .footnote-definition").len(), 1);
    let source = one(&html, ".content picture source");
    assert_eq!(source.value().attr("type"), Some("image/webp"));
    assert!(source.value().attr("srcset").is_some_and(|s| s.contains("logo")), "{}", source.html());
    let img = one(&html, ".content picture img");
    assert_eq!(img.value().attr("alt"), Some("Biểu tượng của trang"));
    assert!(img.value().attr("width").is_some() && img.value().attr("loading") == Some("lazy"), "{}", img.html());
    assert!(!content.inner_html().contains("position"), "no style but table alignment");
    // Opted in, raw HTML is not warned about.
    let (code, stderr) = check(&site);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("raw HTML"), "{stderr}");
}

#[test]
fn dangerous_link_and_image_urls_are_errors_at_their_place_issue_9() {
    let site = TestSite::new("hostile/bad_urls");
    let allowed = "which is never published: allowed are http:, https:, mailto:, tel:, sms: and paths on this site";
    let path = "content/articles/lien-ket-doc.md";
    let expected = [
        format!("{path}:5:1: link `javascript:alert(1)` uses the `javascript:` scheme, {allowed}"),
        format!("{path}:6:1: link `JaVaScRiPt:alert(1)` uses the `javascript:` scheme, {allowed}"),
        format!("{path}:7:1: link `javascript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:8:1: link `javascript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:9:1: link `java\\tscript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:10:1: link `vbscript:msgbox(1)` uses the `vbscript:` scheme"),
        format!(
            "{path}:11:1: link `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==` uses the `data:` scheme"
        ),
        format!("{path}:12:1: link `javascript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:13:1: link `javascript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:14:1: image `data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=` uses the `data:` scheme"),
        format!("{path}:15:1: image `javascript:alert(1)` uses the `javascript:` scheme"),
        format!("{path}:16:1: heading attribute `onclick` is not allowed: only {{#id}} and {{.class}}"),
        format!("{path}:17:1: link `  javascript:alert(1)` uses the `javascript:` scheme"),
    ];
    for (name, (code, stderr)) in [("build", build(&site)), ("check", check(&site))] {
        assert_eq!(code, 1, "{name} must refuse hostile URLs:\n{stderr}");
        for line in &expected {
            assert!(stderr.contains(line.as_str()), "{name}: missing `{line}` in:\n{stderr}");
        }
        assert!(!stderr.contains(":21:"), "{name}: the allowed URLs of line 21 pass:\n{stderr}");
    }
    assert!(!site.out.exists(), "nothing is written");
}

#[test]
fn dangerous_urls_in_front_matter_are_errors_issue_9() {
    let site = TestSite::new("hostile/bad_front_matter");
    for (name, (code, stderr)) in [("build", build(&site)), ("check", check(&site))] {
        assert_eq!(code, 1, "{name}:\n{stderr}");
        for expected in [
            "content/articles/bia-doc.md:4:8: cover `  JAVASCRIPT:alert(1)` uses the `javascript:` scheme, which is never published",
            "content/articles/bia-doc.md:6:19: alias `//evil.example/x/` must be a path on this site",
            "content/leaflets/to-roi-doc.md:5:9: target `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==` uses the `data:` scheme",
        ] {
            assert!(stderr.contains(expected), "{name}: missing `{expected}` in:\n{stderr}");
        }
    }
}

#[test]
fn dangerous_menu_urls_and_bad_scam_domains_are_errors_in_site_yaml_issue_9() {
    let site = TestSite::new("hostile/bad_menu");
    for (name, (code, stderr)) in [("build", build(&site)), ("check", check(&site))] {
        assert_eq!(code, 1, "{name}:\n{stderr}");
        for expected in [
            "site.yaml:12:26: menu URL `java\\tscript:alert(1)` uses the `javascript:` scheme, which is never published",
            "site.yaml:13:28: menu URL `vbscript:msgbox(1)` uses the `vbscript:` scheme",
            "site.yaml:14:16: scam_domains: `https://fake-bank.example/login` is not a domain name",
            "\n   = help: write only the domain, e.g. `fake-bank.example`: its subdomains are included",
        ] {
            assert!(stderr.contains(expected), "{name}: missing `{expected}` in:\n{stderr}");
        }
    }
}

#[test]
fn scam_addresses_are_defanged_and_live_links_to_scam_domains_warned_issue_9() {
    let site = TestSite::new("hostile/scam_addresses");
    site.build();
    let html = site.html("canh-bao/trang-gia/index.html");
    let quoted = select(&html, ".content .scam-address");
    let shown: Vec<String> = quoted.iter().map(|e| text(*e)).collect();
    assert_eq!(shown, ["hxxp://fake-bank[.]example/login", "vietcombank-khuyenmai[.]example"]);
    for element in &quoted {
        assert_eq!(element.value().attr("title"), Some("Địa chỉ lừa đảo: không truy cập"));
        assert!(element.ancestors().all(|a| a.value().as_element().is_none_or(|e| e.name() != "a")));
    }
    let hrefs = attrs(&html, ".content a", "href");
    assert!(
        !hrefs.iter().any(|h| h.contains("fake-bank.example/login")),
        "the quoted address is never a link: {hrefs:?}"
    );
    // The summary, meta description, feed and search index show it defanged too.
    let description = attrs(&html, "meta[name=description]", "content").remove(0);
    assert!(description.contains("hxxp://fake-bank[.]example/login"), "{description}");
    assert!(!description.contains("http://fake-bank.example"), "{description}");
    let feed = site.read("atom.xml");
    assert!(!feed.contains("http://fake-bank.example/login"), "{feed}");
    let index: String = site
        .output()
        .iter()
        .filter(|(p, _)| p.starts_with("tim-kiem/") && p.ends_with(".json"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(!index.contains("http://fake-bank.example/login"));

    let (code, stderr) = check(&site);
    assert_eq!(code, 0, "a live link to a scam domain is a warning:\n{stderr}");
    let path = "content/articles/trang-gia.md";
    for expected in [
        format!(
            "warning: {path}:8:15: live link to `https://login.fake-bank.example/otp`, a scam domain listed in site.yaml (`fake-bank.example`)\nhelp: quote a scam's address without linking it: write [[https://login.fake-bank.example/otp]], shown as hxxps://login[.]fake-bank[.]example/otp\n"
        ),
        format!(
            "warning: {path}:8:68: live link to `http://vietcombank-khuyenmai.example/`, a scam domain listed in site.yaml (`vietcombank-khuyenmai.example`)"
        ),
    ] {
        assert!(stderr.contains(&expected), "missing `{expected}` in:\n{stderr}");
    }
    assert_eq!(stderr.matches("live link").count(), 2, "real banks and look-alike suffixes pass:\n{stderr}");
}

/// The `base` fixture (only a site.yaml) with one clean article; each case writes its own file
/// (control characters and 180 KB summaries do not belong in fixture files).
fn small_site() -> TestSite {
    let site = TestSite::new("hostile/base");
    site.write("content/articles/sach.md", "---\ntitle: \"Bài sạch\"\ndate: 2024-05-01\n---\nNội dung sạch.\n");
    site
}

#[test]
fn a_leaflet_target_with_its_scheme_in_capitals_is_a_web_address_issue_9() {
    // The scheme is read as a browser reads it, in any case: `HTTP://` passed the allow-list and
    // was then refused as "not a web address or .md file".
    let site = small_site();
    site.write(
        "content/leaflets/hoa.md",
        "---\ntitle: \"Tờ rơi\"\npaper: A4\nlayout: single\ntarget: \"HTTP://chongluadao.vn/canh-bao/\"\n---\nNội dung.\n",
    );
    site.build();
    let output = site.output();
    let refresh = output.iter().find(|(path, bytes)| {
        let html = String::from_utf8_lossy(bytes);
        path.ends_with("index.html") && html.contains("http-equiv=\"refresh\"") && html.contains("chongluadao.vn")
    });
    assert!(refresh.is_some(), "no short link to the target");
}

#[test]
fn control_characters_are_refused_with_their_place_issue_9() {
    let site = small_site();
    site.write(
        "content/articles/tieu-de.md",
        "---\ntitle: \"Cảnh báo\u{1b}[31m đỏ\"\ndate: 2024-05-08\n---\nNội dung.\n",
    );
    site.write(
        "content/articles/noi-dung.md",
        "---\ntitle: \"Nội dung\"\ndate: 2024-05-08\n---\nDòng một.\nCó ký tự\0 rỗng và \u{85}.\n",
    );
    site.write(
        "content/articles/thoat.md",
        "---\ntitle: \"Thoát\"\ndate: 2024-05-08\nsummary: \"Tóm tắt \\x01 ẩn\"\n---\nNội dung.\n",
    );
    site.write("content/pages/trang.md", "---\ntitle: \"Trang\"\n---\n# A\u{7}b\n");
    let help = "\n  = help: it is usually pasted by accident from a terminal or a document; most editors show it as a box or `^[`\n";
    for (name, (code, stderr)) in [("build", build(&site)), ("check", check(&site))] {
        assert_eq!(code, 1, "{name}:\n{stderr}");
        for expected in [
            "content/articles/tieu-de.md:2:17: control character U+001B is not allowed: delete it (it breaks feeds and social cards)",
            "content/articles/noi-dung.md:6:9: control character U+0000 is not allowed",
            "content/articles/noi-dung.md:6:19: control character U+0085 is not allowed",
            "content/articles/thoat.md:4:19: control character U+0001 is not allowed",
            "content/pages/trang.md:4:4: control character U+0007 is not allowed",
            help,
        ] {
            assert!(stderr.contains(expected), "{name}: missing `{expected}` in:\n{stderr}");
        }
    }
    assert!(!site.out.exists());
}

#[test]
fn control_characters_in_site_yaml_are_refused_issue_9() {
    let site = small_site();
    let yaml = std::fs::read_to_string(site.root.join("site.yaml")).unwrap();
    site.write("site.yaml", yaml.replace("Trang thử nghiệm", "Trang \u{0} thử"));
    let (code, stderr) = build(&site);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("site.yaml:2:21: control character U+0000 is not allowed"), "{stderr}");
    site.write("site.yaml", yaml.replace("Trang thử nghiệm", "Trang \\e thử"));
    let (code, stderr) = check(&site);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("site.yaml:2:21: control character U+001B is not allowed"), "{stderr}");
}

#[test]
fn huge_summaries_are_cut_everywhere_and_warned_about_issue_9() {
    let site = small_site();
    let sentence = "Kẻ gian gọi điện xưng là nhân viên ngân hàng và đòi mã OTP. ";
    let huge = sentence.repeat(3_000); // about 180 KB
    site.write(
        "content/articles/dai.md",
        format!("---\ntitle: \"Tóm tắt dài\"\ndate: 2024-05-08\nsummary: \"{huge}\"\n---\nNội dung.\n"),
    );
    site.write("content/pages/dai.md", format!("---\ntitle: \"Trang dài\"\n---\n{huge}\n"));
    site.build();
    for (path, bytes) in site.output() {
        // The page whose body is the long text shows it, of course; nothing else copies it. (The
        // 1920×1080 screen card of issue 14 is a large PNG that draws the title, never the summary.)
        if path != "dai/index.html" && !path.ends_with("/man-hinh.png") {
            assert!(bytes.len() < huge.len() / 4, "`{path}` has {} bytes: the summary was copied whole", bytes.len());
        }
    }
    let article = site.html("canh-bao/dai/index.html");
    for (css, attr) in [("meta[name=description]", "content"), ("meta[property='og:description']", "content")] {
        let value = attrs(&article, css, attr).remove(0);
        assert!(value.chars().count() <= 201 && value.ends_with('…'), "{css}: {value}");
        assert!(value.starts_with("Kẻ gian gọi điện"), "{value}");
    }
    let page = site.html("dai/index.html");
    let value = attrs(&page, "meta[name=description]", "content").remove(0);
    assert!(value.chars().count() <= 201 && value.ends_with('…'), "a derived summary is cut too: {value}");
    let home = site.html("index.html");
    let listed = common::texts(&home, ".card-summary");
    assert!(listed.iter().all(|s| s.chars().count() <= 301), "{listed:?}");
    assert!(listed.iter().any(|s| s.starts_with("Kẻ gian gọi điện") && s.ends_with('…')), "{listed:?}");
    let feed = site.read("atom.xml");
    let doc = xml(&feed);
    for summary in doc.descendants().filter(|n| n.has_tag_name("summary")) {
        assert!(summary.text().unwrap_or_default().chars().count() <= 301);
    }

    let (code, stderr) = check(&site);
    assert_eq!(code, 0, "{stderr}");
    let chars = huge.trim().chars().count();
    let expected = format!(
        "warning: content/articles/dai.md:4:1: summary has {chars} characters: lists and feeds show only the first 300, link previews about 200"
    );
    assert!(stderr.contains(&expected), "missing `{expected}` in:\n{stderr}");
}

#[test]
fn hostile_content_is_reported_in_vietnamese_issue_9() {
    let site = TestSite::new("hostile/bad_menu");
    let (code, stderr) = canhbao_in(&site, &["check"], Some("vi_VN.UTF-8"));
    assert_eq!(code, 1, "{stderr}");
    for expected in [
        "lỗi: site.yaml:12:26: địa chỉ trong menu `java\\tscript:alert(1)` dùng giao thức `javascript:` nên sẽ không bao giờ được đăng: chỉ cho phép http:, https:, mailto:, tel:, sms: và đường dẫn trên trang này\n",
        "lỗi: site.yaml:14:16: scam_domains: `https://fake-bank.example/login` không phải là một tên miền\n",
        "\n   = gợi ý: chỉ viết tên miền, ví dụ `fake-bank.example`: các tên miền con của nó cũng được tính\n",
    ] {
        assert!(stderr.contains(expected), "missing `{expected}` in:\n{stderr}");
    }

    let site = TestSite::new("hostile/raw_html");
    let (code, stderr) = canhbao_in(&site, &["check"], Some("vi_VN.UTF-8"));
    assert_eq!(code, 0, "{stderr}");
    let expected = "lưu ý: content/articles/html-doc.md:6:22: mã HTML `<script>` bị bỏ khỏi trang\n\
                    gợi ý: hãy viết bằng Markdown (muốn hiện dấu `<` thì viết `\\<`); trang nào cần HTML có thể đặt \
                    `markdown: { raw_html: true }` trong site.yaml, khi đó HTML được lọc cho an toàn\n";
    assert!(stderr.contains(expected), "missing `{expected}` in:\n{stderr}");

    let site = small_site();
    site.write(
        "content/articles/tieu-de.md",
        "---\ntitle: \"Cảnh báo\u{1b}[31m đỏ\"\ndate: 2024-05-08\n---\nNội dung.\n",
    );
    let (code, stderr) = canhbao_in(&site, &["check"], Some("vi_VN.UTF-8"));
    assert_eq!(code, 1, "{stderr}");
    let expected = "lỗi: content/articles/tieu-de.md:2:17: không được dùng ký tự điều khiển U+001B: hãy xoá nó (nó làm hỏng \
                    nguồn tin (feed) và ảnh chia sẻ)\n";
    assert!(stderr.contains(expected), "missing `{expected}` in:\n{stderr}");
    assert!(stderr.contains("\n  = gợi ý: ký tự này thường bị dán nhầm"), "{stderr}");
    assert!(!stderr.contains("control character"), "nothing left in English:\n{stderr}");
}
