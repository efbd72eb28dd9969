//! `canhbao serve`: the preview server. It builds the site to disk (drafts included, base URL
//! rewritten to the local address), serves that folder, rebuilds when a source changes and
//! reloads the open tabs.
//!
//! Like mdBook's, it stays small by building to disk: the build is the ordinary atomic
//! [`pipeline::build`] into `<root>/.canhbao-serve/`, so a failed build leaves the last good
//! site in place. The server (axum + tower-http's `ServeDir`) adds three things:
//! - a guard refusing paths that try to leave the folder (`..`, `%2e%2e`, `//`, `\`), with 400;
//! - a small script injected into every HTML page, listening to `/__canhbao/events`
//!   (server-sent events): `reload` after a good build, `build-error` with the same text the
//!   terminal shows, which the page displays as an overlay;
//! - the overlay itself injected server-side while the last build failed, so a page loaded
//!   then shows it too.
//!
//! A watcher thread (notify with a debouncer) rebuilds; the server runs on a small tokio
//! runtime. Ctrl-C (or SIGTERM) stops both cleanly.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

use crate::cli::ServeArgs;
use crate::config::CONFIG_FILE;
use crate::i18n::Lang;
use crate::pipeline::{self, BuildOptions};
use crate::report::{self, Reporter};

/// The preview folder under the site root (ignored by git; safe to delete).
pub const SERVE_DIR: &str = ".canhbao-serve";
/// Server-sent events: `hello` and `reload` (data: build number), `build-error` (data: JSON text).
pub const EVENTS_PATH: &str = "/__canhbao/events";
const SCRIPT_PATH: &str = "/__canhbao/live.js";
/// The id of the error overlay element.
pub const OVERLAY_ID: &str = "canhbao-overlay";
/// Folders and files whose changes trigger a rebuild.
const WATCHED: [&str; 4] = ["content", "static", "templates", "themes"];

/// What `canhbao serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
    /// Default: `<root>/.canhbao-serve`.
    pub output: Option<PathBuf>,
}

impl From<ServeArgs> for ServeOptions {
    fn from(args: ServeArgs) -> Self {
        ServeOptions { root: args.root, bind: args.bind, port: args.port, drafts: args.drafts, output: args.output }
    }
}

/// The state of the last build, watched by every open page.
#[derive(Debug, Clone, Default)]
struct Status {
    /// Number of good builds so far.
    generation: u64,
    /// The text of the last build's error (as in the terminal, without colour), if it failed.
    error: Option<String>,
    stopping: bool,
}

#[derive(Clone)]
struct AppState {
    status: watch::Receiver<Status>,
    lang: Lang,
}

/// Builds, serves and watches until Ctrl-C.
pub fn serve(options: ServeOptions, reporter: &Reporter) -> Result<()> {
    let lang = reporter.lang;
    let root = std::path::absolute(&options.root)?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(anyhow!(lang.no_site(&report::display_path(&root))));
    }
    let addr = SocketAddr::new(options.bind, options.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|_| anyhow!(lang.port_in_use(&addr.to_string(), addr.port())))?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    let lan = options.bind.is_unspecified().then(|| local_ip_address::local_ip().ok()).flatten();
    let local = if options.bind.is_unspecified() { IpAddr::V4(Ipv4Addr::LOCALHOST) } else { options.bind };
    let local_url = format!("http://{}", SocketAddr::new(local, port));
    let lan_url = lan.map(|ip| format!("http://{}", SocketAddr::new(ip, port)));
    let out = options.output.clone().unwrap_or_else(|| root.join(SERVE_DIR));
    let build_options = BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        drafts: options.drafts,
        // Links must work where the pages are opened: on a phone, that is the LAN address.
        base_url: Some(lan_url.clone().unwrap_or_else(|| local_url.clone())),
        ..BuildOptions::default()
    };

    let (sender, receiver) = watch::channel(Status::default());
    let sender = Arc::new(sender);
    let file_watcher = Watcher::new(&root)?;
    let builder = Builder { options: build_options, reporter: reporter.clone(), status: sender.clone() };
    builder.rebuild();
    reporter.info(&lang.serving(&local_url));
    if let Some(url) = &lan_url {
        reporter.info(&lang.serving_lan(url));
    }

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = stop.clone();
        let root = root.clone();
        std::thread::spawn(move || watch_and_rebuild(&root, file_watcher, &builder, &stop))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let state = AppState { status: receiver, lang };
    let served = runtime.block_on(run_server(listener, &out, state, sender));
    stop.store(true, Ordering::SeqCst);
    let watched = watcher.join().map_err(|_| anyhow!("the file watcher stopped unexpectedly"))?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    served?;
    watched?;
    reporter.info(lang.stopped());
    Ok(())
}

/// Builds the preview and publishes the result to the open pages.
struct Builder {
    options: BuildOptions,
    reporter: Reporter,
    status: Arc<watch::Sender<Status>>,
}

impl Builder {
    fn rebuild(&self) {
        let lang = self.reporter.lang;
        match self.reporter.with_progress(None, || pipeline::build(&self.options)) {
            Ok(r) => {
                for warning in &r.warnings {
                    self.reporter.warn(warning);
                }
                self.reporter.info(&lang.build_summary(&r));
                self.status.send_modify(|s| {
                    s.generation += 1;
                    s.error = None;
                });
            }
            Err(err) => {
                let text = self.reporter.error(&err, |n| lang.build_failed(n));
                self.reporter.info(lang.serve_kept());
                self.status.send_modify(|s| s.error = Some(text));
            }
        }
    }
}

type Debouncer = notify_debouncer_full::Debouncer<
    notify_debouncer_full::notify::RecommendedWatcher,
    notify_debouncer_full::RecommendedCache,
>;

/// The file watcher, set up before the first build so that no change is missed.
struct Watcher {
    debouncer: Debouncer,
    events: std::sync::mpsc::Receiver<DebounceEventResult>,
    watched: Vec<&'static str>,
}

impl Watcher {
    fn new(root: &Path) -> Result<Watcher> {
        let (tx, events) = std::sync::mpsc::channel::<DebounceEventResult>();
        let mut debouncer =
            new_debouncer(Duration::from_millis(200), None, tx).context("cannot watch the site's files")?;
        // The root itself only for site.yaml and new top-level folders: the preview folder and
        // anything else beside the sources (public/, target/) stay unwatched.
        debouncer.watch(root, RecursiveMode::NonRecursive).context("cannot watch the site's folder")?;
        let mut watcher = Watcher { debouncer, events, watched: Vec::new() };
        watcher.watch_new_folders(root);
        Ok(watcher)
    }

    /// Watches the source folders that exist and are not watched yet (`templates/` may be
    /// created while the server runs).
    fn watch_new_folders(&mut self, root: &Path) {
        for name in WATCHED {
            if !self.watched.contains(&name) && root.join(name).is_dir() {
                match self.debouncer.watch(root.join(name), RecursiveMode::Recursive) {
                    Ok(()) => self.watched.push(name),
                    Err(e) => eprintln!("cannot watch `{name}`: {e}"),
                }
            }
        }
    }
}

/// Rebuilds after each burst of changes, until `stop`.
fn watch_and_rebuild(root: &Path, mut watcher: Watcher, builder: &Builder, stop: &AtomicBool) -> Result<()> {
    while !stop.load(Ordering::SeqCst) {
        let events = match watcher.events.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) => events,
            Ok(Err(errors)) => {
                errors.iter().for_each(|e| eprintln!("file watcher: {e}"));
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => continue,
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut changed: Vec<String> = events
            .iter()
            .filter(|e| matters(&e.kind))
            .flat_map(|e| e.paths.iter())
            .filter_map(|p| relevant(root, p))
            .collect();
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            continue;
        }
        watcher.watch_new_folders(root);
        let shown = if changed.len() > 3 { format!("{} …", changed[..3].join(", ")) } else { changed.join(", ") };
        builder.reporter.info(&builder.reporter.lang.rebuilding(&shown));
        builder.rebuild();
    }
    watcher.debouncer.stop();
    Ok(())
}

/// Writes, creations, removals and renames; not reads (the build itself reads every file).
fn matters(kind: &EventKind) -> bool {
    use notify_debouncer_full::notify::event::{AccessKind, AccessMode, ModifyKind};
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Modify(_) => true,
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        _ => false,
    }
}

/// The path relative to the root if it is a source of the site (`content/…`, `static/…`,
/// `templates/…`, `themes/…`, `site.yaml`, `printed-urls.txt`), except editors' temporary files.
fn relevant(root: &Path, path: &Path) -> Option<String> {
    let rel = crate::content::slash_path(path.strip_prefix(root).ok()?);
    let name = rel.rsplit('/').next().unwrap_or(&rel);
    let temporary = name.starts_with(".#") || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".swx");
    let source = rel == CONFIG_FILE
        || rel == crate::registry::REGISTRY_FILE
        || WATCHED.iter().any(|w| rel == *w || rel.starts_with(&format!("{w}/")));
    (source && !temporary).then_some(rel)
}

async fn run_server(
    listener: std::net::TcpListener,
    out: &Path,
    state: AppState,
    sender: Arc<watch::Sender<Status>>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let files = ServeDir::new(out)
        .append_index_html_on_directories(true)
        .not_found_service(ServeFile::new(out.join("404.html")));
    let mut stopping = state.status.clone();
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), inject))
        .layer(middleware::from_fn(guard))
        .with_state(state);
    let server = axum::serve(listener, app).with_graceful_shutdown(signal(sender));
    // Browsers may keep connections open: give them a moment, then stop anyway.
    let deadline = async move {
        let _ = stopping.wait_for(|s| s.stopping).await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    };
    tokio::select! {
        served = server => served.context("the preview server failed"),
        () = deadline => Ok(()),
    }
}

/// Resolves on Ctrl-C or SIGTERM, after telling every open event stream to close.
async fn signal(sender: Arc<watch::Sender<Status>>) {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    sender.send_modify(|s| s.stopping = true);
}

/// The event stream of one open page.
async fn events(State(state): State<AppState>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let stream = futures_util::stream::unfold((state.status, true), |(mut status, first)| async move {
        if !first && status.changed().await.is_err() {
            return None;
        }
        let current = status.borrow_and_update().clone();
        if current.stopping {
            return None;
        }
        let event = match &current.error {
            Some(text) => Event::default().event("build-error").data(serde_json::to_string(text).unwrap_or_default()),
            None => Event::default().event(if first { "hello" } else { "reload" }).data(current.generation.to_string()),
        };
        Some((Ok(event), (status, false)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS)
}

/// Refuses any path that could leave the served folder, before anything else sees it.
async fn guard(req: Request, next: Next) -> Response {
    if is_traversal(req.uri().path()) {
        return (StatusCode::BAD_REQUEST, "400 Bad Request: this path is not allowed\n").into_response();
    }
    next.run(req).await
}

/// True for `..` or `.` segments (also percent-encoded, even twice), backslashes, encoded
/// slashes, NUL, drive letters and paths starting with `//`.
pub fn is_traversal(path: &str) -> bool {
    let mut decoded = path.to_string();
    for _ in 0..3 {
        let lower = decoded.to_ascii_lowercase();
        if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
            return true;
        }
        let next = crate::urls::percent_decode(&decoded);
        if next == decoded {
            break;
        }
        decoded = next;
    }
    decoded.contains(['\\', '\0'])
        || decoded.starts_with("//")
        || decoded.split('/').any(|s| s == ".." || s == "." || s.contains(':'))
}

/// Adds the live-reload script (and the error overlay while the build is broken) to HTML pages;
/// no page is cached, so a reload always shows the latest build.
async fn inject(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let own = req.uri().path().starts_with("/__canhbao/");
    req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let mut res = next.run(req).await;
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if own {
        return res;
    }
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let status = state.status.borrow().clone();
    let snippet = snippet(&status, state.lang);
    if !is_html {
        if res.status() != StatusCode::NOT_FOUND {
            return res;
        }
        // No 404.html (no good build yet): a bare page that can still show the overlay.
        let page =
            format!("<!doctype html><meta charset=\"utf-8\"><title>404</title><body><h1>404</h1>{snippet}</body>");
        return (StatusCode::NOT_FOUND, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response();
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let html = String::from_utf8_lossy(&bytes);
    let page = match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
    };
    // The page differs from the file (script, overlay): no length or validators of the file.
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    Response::from_parts(parts, Body::from(page))
}

/// The overlay's heading.
fn overlay_title(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "The site could not be rebuilt. This page is the last good version; fix the file and save.",
        Lang::Vi => "Không build lại được trang. Đây là phiên bản tốt gần nhất; hãy sửa tệp rồi lưu lại.",
    }
}

fn snippet(status: &Status, lang: Lang) -> String {
    let title = overlay_title(lang);
    let mut s = format!(
        "<script>window.__canhbao = {{ generation: {}, title: {} }};</script><script src=\"{SCRIPT_PATH}\" defer></script>",
        status.generation,
        serde_json::to_string(title).unwrap_or_default()
    );
    if let Some(error) = &status.error {
        s.push_str(&format!(
            "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p style=\"{TITLE_STYLE}\">{}</p><pre style=\"white-space:pre;overflow-x:auto;margin:0;padding:0;border:0;background:none;color:#fff;font:inherit;box-shadow:none\">{}</pre></div>",
            escape(title),
            escape(error)
        ));
    }
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const OVERLAY_STYLE: &str = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;\
background:rgba(30,0,0,.97);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;cursor:pointer";
const TITLE_STYLE: &str = "font:bold 17px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4b4";

/// Listens to the server's events: reload after a good build, overlay after a failed one.
const LIVE_JS: &str = r#"(function () {
  "use strict";
  var info = window.__canhbao || { generation: 0, title: "" };
  function overlay(text) {
    var el = document.getElementById("canhbao-overlay");
    if (!el) {
      el = document.createElement("div");
      el.id = "canhbao-overlay";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:1.5rem;background:rgba(30,0,0,.97);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;cursor:pointer";
      var title = document.createElement("p");
      title.style.cssText = "font:bold 17px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ffb4b4";
      title.textContent = info.title;
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre;overflow-x:auto;margin:0;padding:0;border:0;background:none;color:#fff;font:inherit;box-shadow:none";
      el.appendChild(title);
      el.appendChild(pre);
      document.body.appendChild(el);
    }
    el.style.display = "block";
    el.querySelector("pre").textContent = text;
  }
  document.addEventListener("click", function (e) {
    var el = document.getElementById("canhbao-overlay");
    if (el && el.contains(e.target)) { el.style.display = "none"; }
  });
  var events = new EventSource("/__canhbao/events");
  events.addEventListener("hello", function (e) {
    if (String(info.generation) !== e.data) { location.reload(); }
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { overlay(JSON.parse(e.data)); });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_leaving_the_folder() {
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E/x",
            "/%252e%252e/x",
            "/..%2fetc/passwd",
            "//etc/passwd",
            "/a\\..\\b",
            "/C:/Windows",
            "/./x",
        ] {
            assert!(is_traversal(bad), "{bad}");
        }
        for good in ["/", "/canh-bao/gia-danh/", "/assets/style.css", "/%E1%BA%A3nh.png", "/a..b/x"] {
            assert!(!is_traversal(good), "{good}");
        }
    }

    #[test]
    fn only_sources_trigger_a_rebuild() {
        let root = Path::new("/site");
        assert_eq!(relevant(root, Path::new("/site/content/articles/a.md")).as_deref(), Some("content/articles/a.md"));
        assert_eq!(relevant(root, Path::new("/site/site.yaml")).as_deref(), Some("site.yaml"));
        assert_eq!(relevant(root, Path::new("/site/printed-urls.txt")).as_deref(), Some("printed-urls.txt"));
        assert!(relevant(root, Path::new("/site/themes/default/templates/base.html")).is_some());
        assert_eq!(relevant(root, Path::new("/site/.canhbao-serve/index.html")), None);
        assert_eq!(relevant(root, Path::new("/site/public/index.html")), None);
        assert_eq!(relevant(root, Path::new("/site/content/articles/.#a.md")), None);
        assert_eq!(relevant(root, Path::new("/site/content/articles/a.md~")), None);
        assert_eq!(relevant(root, Path::new("/other/content/a.md")), None);
    }

    #[test]
    fn overlay_is_escaped_and_only_shown_on_error() {
        let ok = Status { generation: 3, error: None, stopping: false };
        assert!(!snippet(&ok, Lang::En).contains(OVERLAY_ID));
        assert!(snippet(&ok, Lang::En).contains("generation: 3"));
        let broken = Status { error: Some("error: <b> & \"x\"".into()), ..ok };
        let s = snippet(&broken, Lang::Vi);
        assert!(s.contains("error: &lt;b&gt; &amp; &quot;x&quot;"), "{s}");
        assert!(s.contains("Không build lại được trang"));
    }
}
