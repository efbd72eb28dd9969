//! Hugo, Jekyll and Zola folders: Markdown files with YAML (`---`) or TOML (`+++`) front
//! matter, page bundles (`x/index.md` with its pictures), sections (`_index.md`, left out and
//! noted). Each post's old address is worked out the way its generator makes it (Hugo:
//! `/section/slug/`; Zola: `/section/slug/` or `path`; Jekyll: the `permalink` setting), and the
//! old `aliases` / `redirect_from` come along.

use std::path::{Path, PathBuf};

use serde_json::Value;
use walkdir::WalkDir;

use super::dates;
use super::post::{Body, Found, Origin, Post, PostKind};
use crate::content::front_matter;
use crate::diagnostics::{self, Diagnostic};
use crate::messages::Message;
use crate::{fs_util, text};

/// Which generator a folder was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Hugo,
    Jekyll,
    Zola,
}

/// Hugo, Jekyll or Zola, by their configuration files and folders.
pub fn detect(dir: &Path) -> Option<Layout> {
    let config = |name: &str| std::fs::read_to_string(dir.join(name)).ok();
    if dir.join("_config.yml").is_file() || dir.join("_posts").is_dir() {
        return Some(Layout::Jekyll);
    }
    if let Some(toml) = config("config.toml").or_else(|| config("zola.toml"))
        && toml.lines().any(|l| l.trim_start().starts_with("base_url"))
    {
        return Some(Layout::Zola);
    }
    let hugo = ["hugo.toml", "hugo.yaml", "hugo.json", "config.toml", "config.yaml", "config.yml"];
    if hugo.iter().any(|f| dir.join(f).is_file()) && dir.join("content").is_dir() {
        return Some(Layout::Hugo);
    }
    None
}

/// A front-matter value read from a configuration line: `key = "v"` or `key: v`.
fn config_value(dir: &Path, files: &[&str], key: &str) -> Option<String> {
    files.iter().filter_map(|f| std::fs::read_to_string(dir.join(f)).ok()).find_map(|text| {
        text.lines().find_map(|line| {
            let rest = line.trim().strip_prefix(key)?.trim_start();
            let rest = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':'))?;
            let value = rest.split(" #").next().unwrap_or(rest).trim().trim_matches(['"', '\'']);
            (!value.is_empty()).then(|| value.to_string())
        })
    })
}

/// Every post and page of the folder.
pub fn read(dir: &Path, layout: Layout) -> anyhow::Result<Found> {
    let mut found = Found::default();
    let (host, roots) = match layout {
        Layout::Hugo => {
            let files = ["hugo.toml", "hugo.yaml", "config.toml", "config.yaml", "config.yml"];
            (
                config_value(dir, &files, "baseURL").or_else(|| config_value(dir, &files, "baseurl")),
                vec![dir.join("static"), dir.join("assets"), dir.to_path_buf()],
            )
        }
        Layout::Zola => {
            (config_value(dir, &["config.toml", "zola.toml"], "base_url"), vec![dir.join("static"), dir.to_path_buf()])
        }
        Layout::Jekyll => (config_value(dir, &["_config.yml"], "url"), vec![dir.to_path_buf()]),
    };
    found.hosts.extend(host);
    found.file_roots = roots;
    let files = markdown_files(dir, layout)?;
    let permalink = config_value(dir, &["_config.yml"], "permalink").unwrap_or_else(|| "date".into());
    for (path, rel) in files {
        let display = crate::report::display_path(&path);
        match read_one(&path, &rel, &display, layout, &permalink) {
            Ok(Some(post)) => found.posts.push(post),
            Ok(None) => found.notes.push(Diagnostic::new(&display, Message::ImportSectionSkipped)),
            Err(problems) => found.problems.extend(problems),
        }
    }
    Ok(found)
}

/// Markdown files and their path relative to the content folder (Jekyll: to the site).
fn markdown_files(dir: &Path, layout: Layout) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let base = match layout {
        Layout::Jekyll => dir.to_path_buf(),
        _ => dir.join("content"),
    };
    let mut out = Vec::new();
    let walker = WalkDir::new(&base).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || matches!(&*name, "node_modules" | "vendor" | "_site" | "public"))
    });
    for entry in walker {
        let entry = entry.map_err(|e| anyhow::anyhow!("cannot list `{}`: {e}", base.display()))?;
        let path = entry.path();
        let is_md = path.extension().is_some_and(|e| e == "md" || e == "markdown");
        if !entry.file_type().is_file() || !is_md {
            continue;
        }
        let rel = crate::content::slash_path(path.strip_prefix(&base).unwrap_or(path));
        if layout == Layout::Jekyll {
            let top = rel.split('/').next().unwrap_or("");
            let page = !rel.contains('/')
                && !matches!(rel.to_ascii_lowercase().as_str(), "readme.md" | "index.md" | "404.md" | "changelog.md");
            if !(top == "_posts" || top == "_drafts" || page) {
                continue;
            }
        }
        out.push((path.to_path_buf(), rel));
    }
    Ok(out)
}

/// One Markdown file; Ok(None) for a section (`_index.md`).
fn read_one(
    path: &Path,
    rel: &str,
    display: &str,
    layout: Layout,
    permalink: &str,
) -> Result<Option<Post>, Vec<Diagnostic>> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name == "_index.md" {
        return Ok(None);
    }
    let bytes = fs_util::read(path)
        .map_err(|e| vec![Diagnostic::new(display, Message::ReadFailed { error: format!("{e:#}") })])?;
    let text = text::decode_source(&bytes).map_err(|e| {
        vec![Diagnostic::new(display, Message::NotUtf8 { line: e.line, column: e.column }).at(e.line, e.column)]
    })?;
    let (fm, body, _) = parse_front_matter(&text, display)?;
    let bundle = name == "index.md" || name == "index.markdown";
    // The item's path without extension: `posts/a` (`posts/a` for `posts/a/index.md` too).
    let item = if bundle {
        rel.rsplit_once('/').map_or("", |(d, _)| d).to_string()
    } else {
        rel.rsplit_once('.').map_or(rel, |(s, _)| s).to_string()
    };
    let segments: Vec<&str> = item.split('/').filter(|s| !s.is_empty()).collect();
    let file_name = segments.last().copied().unwrap_or("");
    let (kind, draft_folder) = match layout {
        Layout::Jekyll => match segments.first().copied() {
            Some("_posts") => (PostKind::Article, false),
            Some("_drafts") => (PostKind::Article, true),
            _ => (PostKind::Page, false),
        },
        _ => (if segments.len() <= 1 { PostKind::Page } else { PostKind::Article }, false),
    };
    // Jekyll and Zola take a date from the file name: `2024-05-08-slug.md`.
    let dated = file_name.get(..10).filter(|d| d.parse::<jiff::civil::Date>().is_ok());
    let rest = file_name.get(10..).and_then(|r| r.strip_prefix(['-', '_'])).filter(|r| !r.is_empty());
    let (name_date, name_rest) = match (dated, rest) {
        (Some(date), Some(rest)) if layout != Layout::Hugo => (Some(date.to_string()), rest),
        _ => (None, file_name),
    };
    let mut post = Post::new(Origin { file: display.to_string(), line: Some(1) }, kind, Body::Markdown(body));
    post.file = Some(path.to_path_buf());
    post.old_rel =
        Some(if layout == Layout::Jekyll { rel.trim_start_matches("_posts/").to_string() } else { rel.to_string() });
    post.title = text::nfc(str_field(&fm, &["title"]).unwrap_or_default().trim());
    if post.title.is_empty() {
        return Err(vec![Diagnostic::new(display, Message::ImportNoTitle).at(1, 1)]);
    }
    let raw_date = str_field(&fm, &["date"]).or(name_date);
    post.date = raw_date.as_deref().and_then(dates::normalise);
    if kind == PostKind::Article && post.date.is_none() {
        return Err(vec![Diagnostic::new(display, Message::ImportNoDate { title: post.title.clone() }).at(1, 1)]);
    }
    post.updated = str_field(&fm, &["lastmod", "updated", "last_modified_at"]).and_then(|d| dates::normalise(&d));
    let unpublished = fm.get("published").and_then(Value::as_bool) == Some(false);
    post.draft = draft_folder || unpublished || fm.get("draft").and_then(Value::as_bool).unwrap_or(false);
    post.summary = str_field(&fm, &["summary", "description", "excerpt"]).filter(|s| !s.trim().is_empty());
    post.labels = labels(&fm, layout);
    let slug = str_field(&fm, &["slug"]).unwrap_or_else(|| name_rest.to_string());
    post.slug = slug.clone();
    post.old_urls = list_field(&fm, "aliases", false);
    post.old_urls.extend(list_field(&fm, "redirect_from", false));
    // A Jekyll draft was never published: it has no old address.
    if !draft_folder {
        post.old_urls.insert(0, old_url(layout, &fm, &segments, &slug, post.date.as_deref(), permalink));
    }
    if bundle && let Some(folder) = path.parent() {
        post.bundle_files = bundle_files(folder);
    }
    Ok(Some(post))
}

/// The address the old generator gave the post.
fn old_url(layout: Layout, fm: &Value, segments: &[&str], slug: &str, date: Option<&str>, permalink: &str) -> String {
    let section = segments[..segments.len().saturating_sub(1)].join("/");
    let join = |parts: &[&str]| {
        let mut url = String::from("/");
        for p in parts.iter().filter(|p| !p.is_empty()) {
            url.push_str(p.trim_matches('/'));
            url.push('/');
        }
        url
    };
    match layout {
        Layout::Hugo => match str_field(fm, &["url"]) {
            Some(url) => url,
            None => join(&[&section, slug]).to_lowercase(),
        },
        Layout::Zola => match str_field(fm, &["path"]) {
            Some(path) => join(&[&path]),
            None => join(&[&section, &text::slugify(slug)]),
        },
        Layout::Jekyll => {
            if let Some(url) = str_field(fm, &["permalink"]) {
                return url;
            }
            if segments.first().is_some_and(|s| !s.starts_with('_')) {
                return format!("/{slug}.html");
            }
            let pattern = match permalink {
                "date" => "/:categories/:year/:month/:day/:title:output_ext",
                "pretty" => "/:categories/:year/:month/:day/:title/",
                "ordinal" => "/:categories/:year/:y_day/:title:output_ext",
                "none" => "/:categories/:title:output_ext",
                other => other,
            };
            let date = date.unwrap_or("0000-00-00");
            let categories: Vec<String> = list_field(fm, "categories", true)
                .into_iter()
                .chain(list_field(fm, "category", true))
                .map(|c| c.to_lowercase())
                .collect();
            let url = pattern
                .replace(":categories", &categories.join("/"))
                .replace(":year", date.get(..4).unwrap_or(""))
                .replace(":month", date.get(5..7).unwrap_or(""))
                .replace(":day", date.get(8..10).unwrap_or(""))
                .replace(":title", slug)
                .replace(":slug", slug)
                .replace(":output_ext", ".html");
            let mut clean = String::new();
            for c in url.chars() {
                if !(c == '/' && clean.ends_with('/')) {
                    clean.push(c);
                }
            }
            clean
        }
    }
}

/// Files beside a bundle's `index.md` (not Markdown, not hidden), in its folder and below.
fn bundle_files(folder: &Path) -> Vec<PathBuf> {
    WalkDir::new(folder)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .filter(|e| !e.path().extension().is_some_and(|x| x == "md" || x == "markdown"))
        .map(|e| e.into_path())
        .collect()
}

/// Tags, categories and other taxonomies.
fn labels(fm: &Value, layout: Layout) -> Vec<String> {
    let mut out = Vec::new();
    let split_words = layout == Layout::Jekyll;
    for key in ["categories", "category", "tags", "tag"] {
        out.extend(list_field(fm, key, split_words));
    }
    if let Some(Value::Object(taxonomies)) = fm.get("taxonomies") {
        for value in taxonomies.values() {
            out.extend(strings(value, false));
        }
    }
    let mut seen = Vec::new();
    for label in out.into_iter().map(|l| text::nfc(l.trim())).filter(|l| !l.is_empty()) {
        if !seen.contains(&label) {
            seen.push(label);
        }
    }
    seen
}

/// The first of `names` that is set, as text (TOML date-times included).
fn str_field(fm: &Value, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| scalar(fm.get(*n)?))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        // toml's date-times serialise as a one-field table.
        Value::Object(o) if o.len() == 1 => o.values().next().and_then(scalar),
        _ => None,
    }
}

fn list_field(fm: &Value, name: &str, split_words: bool) -> Vec<String> {
    fm.get(name).map(|v| strings(v, split_words)).unwrap_or_default()
}

fn strings(value: &Value, split_words: bool) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar).collect(),
        Value::String(s) if split_words => s.split_whitespace().map(str::to_string).collect(),
        other => scalar(other).into_iter().collect(),
    }
}

/// The front matter as a JSON value, the body and its first line. YAML and TOML errors are
/// reported at their line in the file.
pub fn parse_front_matter(text: &str, display: &str) -> Result<(Value, String, usize), Vec<Diagnostic>> {
    if text.starts_with("+++") {
        let mut lines = text.split_inclusive('\n');
        let first = lines.next().unwrap_or("");
        let mut offset = first.len();
        for (line, l) in (2..).zip(lines) {
            if l.trim_end() == "+++" {
                let toml_text = &text[first.len()..offset];
                let body = text[offset + l.len()..].to_string();
                let table: toml::Table = toml::from_str(toml_text).map_err(|e| {
                    let at = e.span().map_or(0, |s| s.start);
                    let before = toml_text.get(..at).unwrap_or(toml_text);
                    let line = before.matches('\n').count() + 2;
                    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
                    vec![
                        Diagnostic::new(display, Message::ImportBadToml { detail: e.message().to_string() })
                            .at(line, column),
                    ]
                })?;
                let value = serde_json::to_value(table).unwrap_or(Value::Null);
                return Ok((value, body, line + 1));
            }
            offset += l.len();
        }
        return Err(vec![Diagnostic::new(display, Message::UnclosedFrontMatter).at(1, 1)]);
    }
    let split = front_matter::split(text).map_err(|m| vec![Diagnostic::new(display, m).at(1, 1)])?;
    let value: Value = if split.yaml.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        serde_saphyr::from_str(split.yaml)
            .map_err(|e| vec![diagnostics::from_yaml_error(display, split.yaml_line_offset, &e)])?
    };
    if !value.is_object() {
        return Err(vec![Diagnostic::new(display, Message::EmptyFrontMatter).at(2, 1)]);
    }
    Ok((value, split.body.to_string(), split.body_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_toml_and_yaml_front_matter() {
        let (fm, body, line) =
            parse_front_matter("+++\ntitle = \"A\"\ndate = 2024-05-08T09:30:00+07:00\n+++\nBody\n", "a.md").unwrap();
        assert_eq!(str_field(&fm, &["title"]).unwrap(), "A");
        assert_eq!(str_field(&fm, &["date"]).unwrap(), "2024-05-08T09:30:00+07:00");
        assert_eq!((body.as_str(), line), ("Body\n", 5));
        let err = parse_front_matter("+++\ntitle = \"A\"\ndate = = 1\n+++\n", "a.md").unwrap_err();
        assert_eq!(err[0].location(), "a.md:3:8");
        let err = parse_front_matter("---\ntitle: A\ntags: [a\n---\n", "b.md").unwrap_err();
        assert!(err[0].location().starts_with("b.md:"), "{}", err[0]);
        let (fm, _, _) = parse_front_matter("---\ntitle: A\ntags: lừa đảo\n---\n", "c.md").unwrap();
        assert_eq!(list_field(&fm, "tags", true), ["lừa", "đảo"]);
    }

    #[test]
    fn issue_13_jekyll_permalinks() {
        let fm: Value = serde_json::json!({ "categories": "Canh-bao" });
        let url = old_url(Layout::Jekyll, &fm, &["_posts", "x"], "x", Some("2024-05-08"), "date");
        assert_eq!(url, "/canh-bao/2024/05/08/x.html");
        let url = old_url(Layout::Jekyll, &Value::Null, &["_posts", "x"], "x", Some("2024-05-08"), "/:year/:title/");
        assert_eq!(url, "/2024/x/");
    }
}
