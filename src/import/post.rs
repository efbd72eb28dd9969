//! A post of an old site as the readers of exports and folders find it, before it is turned into
//! a canhbao article or page: the one shape every source ([`super::blogger`],
//! [`super::wordpress`], [`super::folder`]) produces.

use std::path::PathBuf;

/// An article (a dated warning) or a standalone page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostKind {
    Article,
    Page,
}

/// The body as the old site kept it.
#[derive(Debug, Clone)]
pub enum Body {
    /// Blogger and WordPress: HTML, cleaned and converted to Markdown.
    Html(String),
    /// Hugo, Jekyll, Zola: Markdown already, links and images to rewrite.
    Markdown(String),
}

/// Where a post comes from, for messages: the export or the Markdown file, and the line.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub file: String,
    pub line: Option<usize>,
}

/// One post of the old site.
#[derive(Debug, Clone)]
pub struct Post {
    pub origin: Origin,
    pub kind: PostKind,
    pub title: String,
    /// Already normalised by [`super::dates::normalise`].
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: bool,
    pub summary: Option<String>,
    pub body: Body,
    /// Labels, tags and categories as the old site names them.
    pub labels: Vec<String>,
    /// What the slug is made of (a file name, a `post_name`, a title).
    pub slug: String,
    /// Old addresses: full URLs (`https://x.blogspot.com/2024/05/a.html`) or site paths.
    pub old_urls: Vec<String>,
    /// Query-string addresses of WordPress: `p=123`, `page_id=7`.
    pub query_ids: Vec<String>,
    /// The source file of a Markdown post (links and images are relative to its folder).
    pub file: Option<PathBuf>,
    /// The other files of a page bundle (copied beside the new article).
    pub bundle_files: Vec<PathBuf>,
    /// The content-relative path of a Markdown post in its old site (`posts/a.md`), for links
    /// such as Zola's `@/posts/a.md`.
    pub old_rel: Option<String>,
}

impl Post {
    pub fn new(origin: Origin, kind: PostKind, body: Body) -> Post {
        Post {
            origin,
            kind,
            title: String::new(),
            date: None,
            updated: None,
            draft: false,
            summary: None,
            body,
            labels: Vec::new(),
            slug: String::new(),
            old_urls: Vec::new(),
            query_ids: Vec::new(),
            file: None,
            bundle_files: Vec::new(),
            old_rel: None,
        }
    }
}

/// What a reader found: the posts, the posts it could not read (one bad post does not stop the
/// others) and notes for the editor.
#[derive(Debug, Default)]
pub struct Found {
    pub posts: Vec<Post>,
    pub problems: Vec<crate::Diagnostic>,
    pub notes: Vec<crate::Diagnostic>,
    /// The addresses of the old site (`https://x.blogspot.com`), to recognise its own links.
    pub hosts: Vec<String>,
    /// Where local copies of the old site's files may be (the export's folder, a repository's
    /// `static/`), to copy images from.
    pub file_roots: Vec<PathBuf>,
}
