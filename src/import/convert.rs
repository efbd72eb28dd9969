//! One old post to the files of a canhbao article or page: the body as Markdown with its links
//! to other imported posts rewritten to their new files and its pictures copied beside it, and
//! the front matter (title, dates, draft, summary, scams, audiences, aliases).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::html_md::{self, Rewrite};
use super::images::{self, Found, Images};
use super::old_urls::Index;
use super::post::{Body, Post, PostKind};
use crate::diagnostics::Diagnostic;
use crate::messages::Message;
use crate::text;

/// What every post of one import shares.
#[derive(Debug)]
pub struct Shared {
    pub index: Index,
    pub images: Images,
}

/// A picture of a post that will not be on the site: left remote (with why, if a download failed).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Remote {
    pub url: String,
    pub error: Option<String>,
}

/// The Markdown and files of one post, before its place is final.
#[derive(Debug)]
pub struct Converted {
    pub body: String,
    /// Pictures to put beside the Markdown file: name, where from.
    pub files: Vec<(String, Found)>,
    pub remote: Vec<Remote>,
    pub fetched: Vec<String>,
    /// Shortcodes and template tags left in the body, by line.
    pub leftovers: Vec<(usize, String)>,
}

#[derive(Debug, Default)]
struct State {
    files: Vec<(String, Found)>,
    by_url: HashMap<String, String>,
    remote: Vec<Remote>,
    fetched: Vec<String>,
}

struct PostRewrite {
    shared: Arc<Shared>,
    post_dir: Option<PathBuf>,
    /// The old content-relative folder of a Markdown post (`posts`), for relative `.md` links.
    old_dir: Option<String>,
    state: Mutex<State>,
}

impl PostRewrite {
    fn markdown_file(&self, url: &str) -> Option<String> {
        if url.contains("://") || url.starts_with("mailto:") {
            return None;
        }
        let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
        let path = crate::urls::percent_decode(path);
        if !path.ends_with(".md") {
            return None;
        }
        let full = if let Some(rest) = path.strip_prefix("@/") {
            rest.to_string()
        } else if let Some(rest) = path.strip_prefix('/') {
            rest.to_string()
        } else {
            let mut segments: Vec<&str> =
                self.old_dir.as_deref().unwrap_or("").split('/').filter(|s| !s.is_empty()).collect();
            for s in path.split('/') {
                match s {
                    "." | "" => {}
                    ".." => {
                        segments.pop();
                    }
                    s => segments.push(s),
                }
            }
            segments.join("/")
        };
        let target = self.shared.index.resolve_file(&full)?;
        Some(if fragment.is_empty() { target } else { format!("{target}#{fragment}") })
    }
}

impl Rewrite for PostRewrite {
    fn link(&self, url: &str) -> String {
        match self.markdown_file(url).or_else(|| self.shared.index.resolve(url)) {
            Some(target) => format!("@/{target}"),
            None => url.to_string(),
        }
    }

    fn image(&self, url: &str) -> Option<String> {
        if html_md::is_tracker(url) {
            return None;
        }
        let Ok(mut state) = self.state.lock() else { return Some(url.to_string()) };
        if let Some(name) = state.by_url.get(url) {
            return Some(name.clone());
        }
        let taken: Vec<String> = state.files.iter().map(|(n, _)| n.clone()).collect();
        let shared = &self.shared;
        let found = match shared.images.local(url, self.post_dir.as_deref(), &shared.index) {
            Some(path) => Some((images::file_name(url, None, &taken), Found::Local(path))),
            None if Images::is_remote(url, &shared.index) => match shared.images.fetch(url) {
                Some(Ok(bytes)) => {
                    state.fetched.push(url.to_string());
                    Some((images::file_name(url, images::extension(&bytes), &taken), Found::Fetched(bytes)))
                }
                Some(Err(error)) => {
                    state.remote.push(Remote { url: url.to_string(), error: Some(error) });
                    None
                }
                None => {
                    state.remote.push(Remote { url: url.to_string(), error: None });
                    None
                }
            },
            None => None,
        };
        match found {
            Some((name, found)) => {
                state.by_url.insert(url.to_string(), name.clone());
                state.files.push((name.clone(), found));
                Some(name)
            }
            None => Some(url.to_string()),
        }
    }
}

/// Converts the body of `post`; `shared` knows every post's new file.
pub fn body(post: &Post, shared: &Arc<Shared>) -> Converted {
    let rewrite = Arc::new(PostRewrite {
        shared: shared.clone(),
        post_dir: post.file.as_ref().and_then(|f| f.parent().map(PathBuf::from)),
        old_dir: post.old_rel.as_ref().map(|r| r.rsplit_once('/').map_or("", |(d, _)| d).to_string()),
        state: Mutex::default(),
    });
    let body = match &post.body {
        Body::Html(html) => {
            // The "read more" break of Blogger (`<a name="more">`) and WordPress (`<!--more-->`).
            let html = html
                .replace("<!--more-->", "<p>CANHBAO-MORE</p>")
                .replace("<a name=\"more\"></a>", "<p>CANHBAO-MORE</p>");
            let html = html.replace("<a name='more'></a>", "<p>CANHBAO-MORE</p>");
            html_md::to_markdown(&html, rewrite.clone()).replace("CANHBAO-MORE", "<!-- more -->")
        }
        Body::Markdown(markdown) => rewrite_markdown(&resolve_shortcodes(markdown, &rewrite), rewrite.as_ref()),
    };
    // Files of a page bundle come along, whether or not the body names them.
    let mut state = rewrite.state.lock().map(|mut s| std::mem::take(&mut *s)).unwrap_or_default();
    for file in &post.bundle_files {
        let name = file.file_name().map(|n| text::nfc(&n.to_string_lossy())).unwrap_or_default();
        // A name that cannot be a file of the site (`a\\b`, `..`) is left behind.
        let usable = !name.contains('/') && crate::urls::relative_path(&name).is_ok();
        if usable && !state.files.iter().any(|(n, _)| *n == name) {
            state.files.push((name, Found::Local(file.clone())));
        }
    }
    let leftovers = leftovers(&body);
    Converted { body, files: state.files, remote: state.remote, fetched: state.fetched, leftovers }
}

/// Hugo's `{{< ref "x.md" >}}` / `relref` and Jekyll's `{% post_url 2024-05-08-x %}` and
/// `{% link _posts/x.md %}` become the new files; `{{ site.baseurl }}` is dropped.
fn resolve_shortcodes(markdown: &str, rewrite: &PostRewrite) -> String {
    let mut out = markdown.replace("{{ site.baseurl }}", "").replace("{{site.baseurl}}", "");
    for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}")] {
        let mut result = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(start) = rest.find(open) {
            let Some(len) = rest[start..].find(close) else { break };
            let inner = rest[start + open.len()..start + len].trim();
            let mut words = inner.split_whitespace();
            let name = words.next().unwrap_or("");
            let arg = words.next().unwrap_or("").trim_matches(['"', '\'']);
            let file = match name {
                "ref" | "relref" => Some(arg.to_string()),
                "post_url" => Some(format!("{arg}.md")),
                "link" => Some(arg.trim_start_matches("_posts/").to_string()),
                _ => None,
            };
            result.push_str(&rest[..start]);
            match file.and_then(|f| rewrite.shared.index.resolve_file(&f)) {
                Some(target) => result.push_str(&format!("@/{target}")),
                None => result.push_str(&rest[start..start + len + close.len()]),
            }
            rest = &rest[start + len + close.len()..];
        }
        result.push_str(rest);
        out = result;
    }
    out
}

/// Rewrites the destinations of inline links and images of a Markdown body.
fn rewrite_markdown(markdown: &str, rewrite: &dyn Rewrite) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, Options::all()).into_offset_iter() {
        let (dest, image) = match &event {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
            _ => continue,
        };
        let slice = &markdown[range.clone()];
        let Some(open) = slice.rfind("](") else { continue };
        let after = &slice[open + 2..];
        let skipped = after.len() - after.trim_start().len();
        let raw_start = open + 2 + skipped + usize::from(after.trim_start().starts_with('<'));
        let raw = &slice[raw_start..];
        let raw_len = raw.find(|c: char| c.is_whitespace() || c == ')' || c == '>').unwrap_or(raw.len());
        if raw[..raw_len] != dest {
            continue;
        }
        let new = if image { rewrite.image(&dest).unwrap_or_default() } else { rewrite.link(&dest) };
        if new != dest {
            let start = range.start + raw_start;
            edits.push((start..start + raw_len, new));
        }
    }
    let mut out = markdown.to_string();
    for (range, new) in edits.into_iter().rev() {
        out.replace_range(range, &new);
    }
    out
}

/// Lines still holding a shortcode or template tag of the old generator.
fn leftovers(markdown: &str) -> Vec<(usize, String)> {
    markdown
        .lines()
        .enumerate()
        .filter(|(_, l)| ["{{<", "{{%", "{%", "{{ "].iter().any(|t| l.contains(t)))
        .map(|(i, l)| (i + 1, l.trim().chars().take(80).collect()))
        .collect()
}

/// Everything the front matter says.
#[derive(Debug, Default)]
pub struct Front<'a> {
    pub title: &'a str,
    pub date: Option<&'a str>,
    pub updated: Option<&'a str>,
    pub draft: bool,
    pub summary: Option<&'a str>,
    pub scams: &'a [String],
    pub audiences: &'a [String],
    pub aliases: &'a [String],
}

/// The Markdown file: YAML front matter (strings as JSON strings, which YAML reads as they are)
/// and the body.
pub fn markdown_file(kind: PostKind, front: &Front, body: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let list = |items: &[String]| format!("[{}]", items.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "));
    let mut out = format!("---\ntitle: {}\n", q(front.title));
    if let Some(date) = front.date.filter(|_| kind == PostKind::Article) {
        out.push_str(&format!("date: {date}\n"));
    }
    if let Some(updated) = front.updated {
        out.push_str(&format!("updated: {updated}\n"));
    }
    if front.draft {
        out.push_str("draft: true\n");
    }
    if let Some(summary) = front.summary {
        out.push_str(&format!("summary: {}\n", q(summary)));
    }
    if kind == PostKind::Article {
        if !front.scams.is_empty() {
            out.push_str(&format!("scams: {}\n", list(front.scams)));
        }
        if !front.audiences.is_empty() {
            out.push_str(&format!("audiences: {}\n", list(front.audiences)));
        }
    }
    if !front.aliases.is_empty() {
        out.push_str("aliases:\n");
        for alias in front.aliases {
            out.push_str(&format!("  - {}\n", q(alias)));
        }
    }
    out.push_str("---\n");
    out.push_str(body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A note for each shortcode left in a body (the editor rewrites it).
pub fn leftover_notes(path: &str, body_line: usize, leftovers: &[(usize, String)]) -> Vec<Diagnostic> {
    leftovers
        .iter()
        .map(|(line, text)| {
            Diagnostic::new(path, Message::ImportShortcodeLeft { text: text.clone() }).at(body_line + line - 1, 1)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Links;
    impl Rewrite for Links {
        fn link(&self, url: &str) -> String {
            if url == "/posts/b/" { "@/articles/b.md".into() } else { url.into() }
        }
        fn image(&self, url: &str) -> Option<String> {
            Some(url.trim_start_matches("/images/").into())
        }
    }

    #[test]
    fn issue_13_rewrites_markdown_links_in_place() {
        let md = "See [b](/posts/b/ \"t\") and [ext](https://x.example/) ![Ảnh](/images/a.png)\n\n`[no](/posts/b/)`\n";
        assert_eq!(
            rewrite_markdown(md, &Links),
            "See [b](@/articles/b.md \"t\") and [ext](https://x.example/) ![Ảnh](a.png)\n\n`[no](/posts/b/)`\n"
        );
    }

    #[test]
    fn issue_13_front_matter_is_valid_yaml() {
        let front = Front {
            title: "Cảnh báo: \"OTP\" #1",
            date: Some("2024-05-08T09:30:00+07:00"),
            draft: true,
            summary: Some("a: b"),
            scams: &["gia-danh-ngan-hang".into()],
            aliases: &["/2024/05/a.html".into()],
            ..Front::default()
        };
        let file = markdown_file(PostKind::Article, &front, "Nội dung");
        assert_eq!(
            file,
            "---\ntitle: \"Cảnh báo: \\\"OTP\\\" #1\"\ndate: 2024-05-08T09:30:00+07:00\ndraft: true\nsummary: \"a: b\"\n\
             scams: [\"gia-danh-ngan-hang\"]\naliases:\n  - \"/2024/05/a.html\"\n---\nNội dung\n"
        );
    }
}
