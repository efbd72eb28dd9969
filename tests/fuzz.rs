//! Property tests (proptest) of the two parsers that read what editors type: the front matter
//! (YAML between `---` lines) and the Markdown renderer (issue 9, "fuzz the front-matter parser
//! and the Markdown renderer").
//!
//! Arbitrary text and near-valid front matter never panic, and always give either an item or
//! diagnostics that name the file, with a line inside the file; Markdown of any text renders
//! without a panic, with problem offsets on character boundaries, and balanced HTML.
//!
//! The default number of cases is small enough for CI; run more with
//! `PROPTEST_CASES=20000 cargo test --release --test fuzz`. A failing case is shrunk and printed.

use std::collections::HashMap;
use std::path::Path;

use canhbao::config::Config;
use canhbao::content::{Source, article, leaflet, page};
use canhbao::i18n::Lang;
use canhbao::markdown::{self, Links};
use canhbao::{Diagnostic, report};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, FileFailurePersistence, TestRunner};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Cases per property: `PROPTEST_CASES` when set, else a number that keeps this file under a few
/// seconds in a debug build.
fn runner() -> TestRunner {
    let mut config = ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 200;
    }
    TestRunner::new(config)
}

/// The settings of the `minimal` fixture, read in place (nothing is written).
fn config() -> Config {
    Config::load(&Path::new(REPO).join("tests/fixtures/minimal"), None, true).expect("minimal fixture loads")
}

fn source(config: &Config, folder: &str, text: String) -> Source {
    Source {
        display: format!("content/{folder}/x.md"),
        rel: format!("{folder}/x.md"),
        path: config.content_dir.join(folder).join("x.md"),
        text,
    }
}

/// Lines of `text` as an editor's view counts them (a last line after a final newline included).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Every diagnostic names the file, has a line inside it (`needs_line`: always), renders without
/// a panic, and its first printed line starts with `path:line:column`.
fn check_diagnostics(
    text: &str,
    problems: &[Diagnostic],
    display: &str,
    needs_line: bool,
) -> Result<(), TestCaseError> {
    prop_assert!(!problems.is_empty(), "an Err without diagnostics");
    for d in problems {
        prop_assert_eq!(&d.path, display);
        prop_assert!(!needs_line || d.line.is_some(), "no line: {}", d);
        if let Some(line) = d.line {
            prop_assert!((1..=line_count(text)).contains(&line), "line {} outside the file: {}", line, d);
            let width = text.split('\n').nth(line - 1).map_or(0, |l| l.chars().count());
            prop_assert!(d.column.is_none_or(|c| (1..=width + 1).contains(&c)), "column outside line {}: {}", line, d);
        }
        for lang in [Lang::En, Lang::Vi] {
            let shown = report::plain(&report::render(d, Some(text), lang));
            let first = shown.lines().next().unwrap_or_default();
            let word = if lang == Lang::En { "error" } else { "lỗi" };
            prop_assert!(first.starts_with(&format!("{word}: {}", d.location())), "{}", shown);
        }
    }
    Ok(())
}

/// Parses `text` as an article, a page and a leaflet and checks what comes back.
fn parse_all(config: &Config, text: &str) -> Result<(), TestCaseError> {
    let s = source(config, "articles", text.to_string());
    if let Err(problems) = article::parse(s, Vec::new(), config) {
        check_diagnostics(text, &problems, "content/articles/x.md", true)?;
    }
    let s = source(config, "pages", text.to_string());
    if let Err(problems) = page::parse(s, Vec::new()) {
        check_diagnostics(text, &problems, "content/pages/x.md", true)?;
    }
    let s = source(config, "leaflets", text.to_string());
    if let Err(problems) = leaflet::parse(s, Vec::new(), config) {
        // A trifold leaflet on A5 is a problem of two fields together: it names the file only.
        check_diagnostics(text, &problems, "content/leaflets/x.md", false)?;
    }
    Ok(())
}

/// A front-matter value: plausible, broken, or anything.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2024-05-08".to_string()),
        Just("2024-13-01".to_string()),
        Just("2024-05-08T09:30:00+07:00".to_string()),
        Just("\"Giả danh công an\"".to_string()),
        Just("[gia-danh-cong-an, nguoi-cao-tuoi]".to_string()),
        Just("[gia-danh-cong-ann]".to_string()),
        Just("\"unclosed".to_string()),
        Just("[".to_string()),
        Just("{a: b}".to_string()),
        Just("&a x".to_string()),
        Just("*a".to_string()),
        Just("!!binary AAA".to_string()),
        Just("|\n  khối\n  văn bản".to_string()),
        Just("true".to_string()),
        Just("\"!!!\"".to_string()),
        Just("/bai-cu/".to_string()),
        Just("../articles/a.md".to_string()),
        Just("https://canhbao.example.vn/x".to_string()),
        Just("~".to_string()),
        "[^\n]{0,40}",
        any::<String>(),
    ]
}

/// A front-matter key: a real field, a typo, or anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "title",
            "date",
            "updated",
            "summary",
            "scams",
            "audiences",
            "severity",
            "cover",
            "cover_alt",
            "draft",
            "slug",
            "aliases",
            "titel",
            "paper",
            "layout",
            "target",
            "variants",
            "code",
            "hotline",
            "- item",
            "",
        ])
        .prop_map(String::from),
        "[a-z_]{1,10}",
    ]
}

/// A `key: value` line that is usually right for its key, sometimes not.
fn field() -> impl Strategy<Value = String> {
    let pick = |items: &[&str]| prop::sample::select(items.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let date = prop_oneof![6 => pick(&["2024-05-08", "2024-13-01", "2024-02-30", "2024-05-08T09:30:00+07:00", "hôm qua"]), 1 => value()];
    let keys = prop_oneof![
        6 => pick(&["[lua-dao]", "[lua-dao, lua-dao]", "[lua-da]", "[\"Lừa Đảo\"]", "[]", "[[]]", "lua-dao"]),
        1 => value()
    ];
    let slug = prop_oneof![6 => pick(&["\"!!!\"", "gia-danh", "\"Giả danh công an\"", "\"\"", "\"🙂\""]), 1 => value()];
    let aliases = prop_oneof![6 => pick(&["[/cu/]", "[\"/a b\"]", "[../x]", "[/]", "[/canh-bao/bai-mau/]", "/cu/"]), 1 => value()];
    prop_oneof![
        1 => date.prop_map(|v| format!("updated: {v}")),
        2 => keys.clone().prop_map(|v| format!("scams: {v}")),
        1 => keys.prop_map(|v| format!("audiences: {v}")),
        2 => slug.prop_map(|v| format!("slug: {v}")),
        1 => aliases.prop_map(|v| format!("aliases: {v}")),
        1 => pick(&["info", "warning", "urgent", "khan"]).prop_map(|v| format!("severity: {v}")),
        1 => pick(&["true", "false", "có"]).prop_map(|v| format!("draft: {v}")),
        1 => value().prop_map(|v| format!("summary: {v}")),
        2 => (key(), value()).prop_map(|(k, v)| format!("{k}: {v}")),
    ]
}

/// Near-valid front matter: `---`, usually a title, then fields (now and then indented, now
/// and then anything), usually a closing `---`, then a body.
fn near_valid() -> impl Strategy<Value = String> {
    let title = prop_oneof![4 => Just("title: \"Giả danh công an\"".to_string()), 1 => value().prop_map(|v| format!("title: {v}"))];
    let date = prop_oneof![4 => Just("date: 2024-05-08".to_string()), 1 => value().prop_map(|v| format!("date: {v}"))];
    let line = (prop::bool::weighted(0.1), field()).prop_map(|(indent, l)| if indent { format!("  {l}") } else { l });
    let head = (prop::option::weighted(0.8, title), prop::option::weighted(0.8, date));
    (head, prop::collection::vec(line, 0..5), prop::bool::weighted(0.9), "(.|\n){0,80}").prop_map(
        |((title, date), lines, closed, body)| {
            let mut text = String::from("---\n");
            for l in title.into_iter().chain(date).chain(lines) {
                text.push_str(&l);
                text.push('\n');
            }
            if closed {
                text.push_str("---\n");
            }
            text.push_str(&body);
            text
        },
    )
}

#[test]
fn arbitrary_text_as_front_matter_never_panics_and_is_located() {
    let config = config();
    runner()
        .run(&prop_oneof![any::<String>(), "---\n(.|\n){0,200}"], |text| {
            // As the build reads files: UTF-8, LF, NFC.
            let text = canhbao::text::decode_source(text.as_bytes()).expect("a String is UTF-8");
            parse_all(&config, &text)
        })
        .unwrap();
}

#[test]
fn arbitrary_bytes_are_decoded_or_located() {
    runner()
        .run(&prop::collection::vec(any::<u8>(), 0..200), |bytes| {
            match canhbao::text::decode_source(&bytes) {
                Ok(text) => prop_assert!(!text.contains('\r')),
                Err(e) => {
                    prop_assert!(e.line >= 1 && e.column >= 1);
                    prop_assert!(e.line <= bytes.iter().filter(|&&b| b == b'\n' || b == b'\r').count() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn near_valid_front_matter_is_parsed_or_located() {
    let config = config();
    runner()
        .run(&near_valid(), |text| {
            let text = canhbao::text::decode_source(text.as_bytes()).expect("a String is UTF-8");
            parse_all(&config, &text)
        })
        .unwrap();
}

/// Whether the elements of `html` are properly nested: every end tag closes the innermost open
/// element, and nothing is left open. Void elements and comments do not count.
fn balanced(html: &str) -> Result<(), String> {
    const VOID: &[&str] = &["img", "br", "hr", "input", "meta", "link", "source", "wbr", "col", "area"];
    let mut open: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            let end = after.find("-->").ok_or("unclosed comment")?;
            rest = &after[end + 3..];
            continue;
        }
        let end = rest.find('>').ok_or("unclosed tag")?;
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            match open.pop() {
                Some(top) if top == name.trim() => {}
                top => return Err(format!("</{name}> closes {top:?}")),
            }
        } else {
            let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if name.is_empty() {
                return Err(format!("not a tag: <{tag}>"));
            }
            if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
                open.push(name);
            }
        }
    }
    if open.is_empty() { Ok(()) } else { Err(format!("left open: {open:?}")) }
}

/// Markdown-ish text: the characters that make structure, raw HTML (tags, comments, a lone
/// `<`), Vietnamese letters, and anything.
fn markdown_text(any_text: bool) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "# ",
            "## Dấu hiệu {#dau-hieu}\n",
            "\n",
            "\n\n",
            "* ",
            "- ",
            "1. ",
            "> ",
            "> [!WARNING]\n",
            "```\n",
            "~~~",
            "    ",
            "|a|b|\n|-|-|\n",
            "[x](b.md#x)",
            "[y](khong-co.md)",
            "![](a.png)",
            "![ảnh](/favicon.svg \"t\")",
            "[^1]",
            "[^1]: chú thích\n",
            "**",
            "*",
            "_",
            "~~",
            "`",
            "\\",
            "[",
            "]",
            "(",
            ")",
            "{#",
            "}",
            "&amp;",
            "&",
            "<!-- more -->",
            "https://chongluadao.vn",
            "[r]: https://a.vn\n",
            "[r]",
            "- [ ] ",
            "---\n",
            "Lừa đảo ",
            "đ",
            "ạ",
            "\t",
            "<",
            ">",
            "<b>",
            "</b>",
            "<em>",
            "</p>",
            "<div>\n",
            "</div>\n",
            "<br>",
            "<br/>",
            "<img src=x onerror=alert(1)>",
            "<script>alert(1)</script>",
            "<script>\n",
            "<style>",
            "<!--",
            "-->",
            "<a href=\"javascript:alert(1)\">",
            "</a>",
            "<https://a.vn>",
            "<table><tr><td>",
            "<?php",
            "<![CDATA[",
        ])
        .prop_map(String::from),
        ".{0,12}",
    ];
    let text = prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat());
    if any_text { prop_oneof![text, any::<String>()].boxed() } else { text.boxed() }
}

fn render(body: &str) -> (markdown::Rendered, Vec<markdown::Problem>) {
    render_with(body, &markdown::Policy::default())
}

/// Renders `body` with a site's Markdown policy (raw HTML left out, or sanitised).
fn render_with(body: &str, policy: &markdown::Policy) -> (markdown::Rendered, Vec<markdown::Problem>) {
    let mut targets = HashMap::new();
    targets.insert("articles/b.md".to_string(), "/canh-bao/b/".to_string());
    let links = Links { dir: "articles", targets: &targets, base_path: "", images: &markdown::plain_images, policy };
    markdown::render(body, &links)
}

#[test]
fn markdown_of_any_text_renders_with_problems_on_char_boundaries() {
    runner()
        .run(&markdown_text(true), |body| {
            let (rendered, problems) = render(&body);
            for p in &problems {
                prop_assert!(body.is_char_boundary(p.offset), "offset {} of {:?}", p.offset, p.message);
                let (line, column) = canhbao::site::line_column(&body, p.offset);
                prop_assert!(line <= line_count(&body) && column >= 1);
            }
            prop_assert!(!rendered.summary.contains('\n'));
            Ok(())
        })
        .unwrap();
}

#[test]
fn markdown_with_raw_html_renders_balanced_html() {
    // Raw HTML is left out by default and sanitised when a site opts in (issue 9), so even text
    // full of tags, comments and lone `<` gives only tags the renderer (or the sanitiser) wrote.
    let opted_in = markdown::Policy { raw_html: true, ..Default::default() };
    runner()
        .run(&markdown_text(false), |body| {
            for (policy, name) in [(&markdown::Policy::default(), "default"), (&opted_in, "raw_html: true")] {
                let (rendered, _) = render_with(&body, policy);
                if let Err(e) = balanced(&rendered.html) {
                    let html = &rendered.html;
                    return Err(TestCaseError::fail(format!("{name}: {e}\nbody: {body:?}\nhtml: {html}")));
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_balance_check_can_fail() {
    assert!(balanced("<p>a <em>b</em></p><img src=x><br />").is_ok());
    assert!(balanced("<p><em>a</p></em>").is_err());
    assert!(balanced("<div>").is_err());
}

#[test]
fn any_position_in_any_text_renders() {
    // The report shows the source line with a caret: control characters, wide characters, tabs
    // and positions past the end of a line or the file must not break it.
    let cases = (any::<String>(), 0..12usize, 0..90usize);
    runner()
        .run(&cases, |(text, line, column)| {
            let d = Diagnostic::new("content/articles/x.md", canhbao::Message::TitleEmpty).at(line, column);
            for lang in [Lang::En, Lang::Vi] {
                let shown = report::plain(&report::render(&d, Some(&text), lang));
                let place = format!("x.md:{line}:{column}: ");
                prop_assert!(shown.lines().next().unwrap_or_default().contains(&place), "{}", shown);
            }
            Ok(())
        })
        .unwrap();
}
