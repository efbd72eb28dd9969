//! `canhbao serve`: the preview server. It builds the site to disk (drafts included, base URL
//! rewritten to the local address), serves that folder, rebuilds when a source changes and
//! reloads the open tabs.
//!
//! Like mdBook's, it stays small by building to disk: the build is the ordinary atomic
//! [`pipeline::build`] into `<root>/.canhbao-serve/`, so a failed build leaves the last good
//! site in place. Before anything is bound, the output folder must pass the library's
//! output-folder rule ([`output::check_output_dir`]): a refused folder stops the command. The
//! server (axum + tower-http's `ServeDir`) adds:
//! - the checks of [`http`]: only `localhost` and this server's IP addresses as `Host` (DNS
//!   rebinding), only well-formed paths inside the folder (no `..`, no symbolic link out of it),
//!   `HEAD` with the headers of `GET`, `nosniff`, `charset=utf-8` and a strict
//!   Content-Security-Policy ([`csp`]);
//! - a script added to every HTML page ([`live`]), listening to `/__canhbao/events`
//!   (server-sent events): `reload` after a good build, `build-error` with the same text the
//!   terminal shows, which the page displays as an overlay (also added server-side while the
//!   last build failed, so a page loaded then shows it too).
//!
//! A watcher thread (notify with a debouncer) rebuilds, and watches a source folder again when
//! it was deleted and restored; the server runs on a small tokio runtime. Ctrl-C (or SIGTERM)
//! stops both cleanly.

mod csp;
mod http;
mod live;

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use axum::Router;
use axum::extract::State;
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use futures_util::Stream;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch;
use tower_http::services::ServeDir;

use crate::cli::ServeArgs;
use crate::config::{CONFIG_FILE, Config};
use crate::i18n::Lang;
use crate::messages::Message;
use crate::output;
use crate::pipeline::{self, BuildOptions};
use crate::report::{self, Reporter};

pub use live::OVERLAY_ID;

/// The preview folder under the site root (ignored by git; safe to delete).
pub const SERVE_DIR: &str = ".canhbao-serve";
/// Server-sent events: `hello` and `reload` (data: build number), `build-error` (data: JSON text).
pub const EVENTS_PATH: &str = "/__canhbao/events";
/// Folders and files whose changes trigger a rebuild.
const WATCHED: [&str; 4] = ["content", "static", "templates", "themes"];
/// The folder of the site's Markdown.
const CONTENT: &str = "content";

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
    /// Whether the output folder passed the output-folder rule (checked at start, or by a good
    /// build): until then no file of it is served.
    ready: bool,
    /// The Content-Security-Policy for the site's current templates.
    csp: String,
    stopping: bool,
}

#[derive(Clone)]
struct AppState {
    status: watch::Receiver<Status>,
    lang: Lang,
    /// The preview folder.
    out: Arc<PathBuf>,
    /// The address and port the server listens on (for the `Host` check).
    bind: IpAddr,
    port: u16,
}

/// Builds, serves and watches until Ctrl-C.
pub fn serve(options: ServeOptions, reporter: &Reporter) -> Result<()> {
    let lang = reporter.lang;
    let root = std::path::absolute(&options.root)?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Message::NoSite { dir: report::display_path(&root) }.into());
    }
    let out = std::path::absolute(options.output.clone().unwrap_or_else(|| root.join(SERVE_DIR)))?;
    let config = check_output(&root, &out, options.drafts)?;
    let addr = SocketAddr::new(options.bind, options.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|_| anyhow!(lang.port_in_use(&addr.to_string(), addr.port())))?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    if exposed(options.bind) {
        reporter.warn_line(&Message::ServeExposed.text(lang));
    }
    let lan = options.bind.is_unspecified().then(|| local_ip_address::local_ip().ok()).flatten();
    let local = if options.bind.is_unspecified() { IpAddr::V4(Ipv4Addr::LOCALHOST) } else { options.bind };
    let local_url = format!("http://{}", SocketAddr::new(local, port));
    let lan_url = lan.map(|ip| format!("http://{}", SocketAddr::new(ip, port)));
    let build_options = BuildOptions {
        root: root.clone(),
        output: Some(out.clone()),
        drafts: options.drafts,
        // Links must work where the pages are opened: on a phone, that is the LAN address.
        base_url: Some(lan_url.clone().unwrap_or_else(|| local_url.clone())),
        ..BuildOptions::default()
    };

    let csp = config.as_ref().and_then(|c| csp::policy(c).ok()).unwrap_or_else(csp::strict);
    let (sender, receiver) = watch::channel(Status { ready: config.is_some(), csp, ..Status::default() });
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
    let state = AppState { status: receiver, lang, out: Arc::new(out), bind: options.bind, port };
    let served = runtime.block_on(run_server(listener, state, sender));
    stop.store(true, Ordering::SeqCst);
    let watched = watcher.join().map_err(|_| anyhow!("the file watcher stopped unexpectedly"))?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    served?;
    watched?;
    reporter.info(lang.stopped());
    Ok(())
}

/// Whether listening on `bind` makes the preview (drafts included) reachable from other
/// devices: any address but loopback (`127.0.0.0/8`, `::1`).
fn exposed(bind: IpAddr) -> bool {
    !bind.is_loopback()
}

/// Applies the library's output-folder rule to `out` before anything is bound or served: a
/// refused folder (`/`, the home folder, the site or one of its source folders, …) is an error
/// that stops the command. Returns the configuration, or `None` when site.yaml cannot be read
/// yet: the first build reports why, and the folder is served only after a good build (which
/// applies the same rule).
fn check_output(root: &Path, out: &Path, drafts: bool) -> Result<Option<Config>> {
    let Ok(config) = Config::load(root, None, drafts) else { return Ok(None) };
    output::check_output_dir(out, &config)?;
    Ok(Some(config))
}

/// The Content-Security-Policy for the templates the next build uses; `None` when site.yaml or
/// a template cannot be read (the build reports why, and the last good pages keep their policy).
fn policy(options: &BuildOptions) -> Option<String> {
    let config = Config::load(&options.root, None, options.drafts).ok()?;
    csp::policy(&config).ok()
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
        let csp = policy(&self.options);
        let content = self.options.root.join(CONTENT);
        let built = if content.is_dir() {
            self.reporter.with_progress(None, || pipeline::build(&self.options))
        } else {
            Err(Message::ContentMissing { dir: report::display_path(&content) }.into())
        };
        match built {
            Ok(r) => {
                for warning in &r.warnings {
                    self.reporter.warn(warning);
                }
                self.reporter.info(&lang.build_summary(&r));
                self.status.send_modify(|s| {
                    s.generation += 1;
                    s.error = None;
                    s.ready = true;
                    if let Some(csp) = csp {
                        s.csp = csp;
                    }
                });
            }
            Err(err) => {
                let text = self.reporter.error(&err, |n| lang.build_failed(n));
                self.reporter.info(lang.serve_kept());
                self.status.send_modify(|s| {
                    s.error = Some(text);
                    if let Some(csp) = csp {
                        s.csp = csp;
                    }
                });
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
        // The root itself only for site.yaml and top-level folders appearing or disappearing:
        // the preview folder and anything else beside the sources (public/, target/) stay
        // unwatched.
        debouncer.watch(root, RecursiveMode::NonRecursive).context("cannot watch the site's folder")?;
        let mut watcher = Watcher { debouncer, events, watched: Vec::new() };
        watcher.refresh(root, &[]);
        Ok(watcher)
    }

    /// Keeps one watch per source folder that exists. A folder named in `changed` (it was
    /// created, removed or renamed itself) is watched anew: a watch dies with the folder it
    /// watched, so `content/` deleted and restored would otherwise never be seen again.
    fn refresh(&mut self, root: &Path, changed: &[String]) {
        for name in WATCHED {
            let dir = root.join(name);
            let renewed = changed.iter().any(|c| c == name);
            if self.watched.contains(&name) && (renewed || !dir.is_dir()) {
                // The watch may already be gone with its folder; either way it is dropped.
                let _ = self.debouncer.unwatch(&dir);
                self.watched.retain(|w| *w != name);
            }
            if !self.watched.contains(&name) && dir.is_dir() {
                match self.debouncer.watch(&dir, RecursiveMode::Recursive) {
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
        watcher.refresh(root, &changed);
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
    state: AppState,
    sender: Arc<watch::Sender<Status>>,
) -> Result<()> {
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let files = ServeDir::new(state.out.as_path()).append_index_html_on_directories(true);
    let mut stopping = state.status.clone();
    // The last layer added runs first: HEAD and the headers of every response, then the host
    // check, the path check, and live reload around the folder's files (contained, or 404).
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(live::SCRIPT_PATH, get(live::script))
        .route(live::STYLE_PATH, get(live::style))
        .fallback_service(files)
        .layer(middleware::from_fn_with_state(state.clone(), http::contain))
        .layer(middleware::from_fn_with_state(state.clone(), live::inject))
        .layer(middleware::from_fn_with_state(state.clone(), http::check_path))
        .layer(middleware::from_fn_with_state(state.clone(), http::check_host))
        .layer(middleware::from_fn_with_state(state.clone(), http::finish))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_keeps_the_drafts_private() {
        for private in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert!(!exposed(private.parse().unwrap()), "{private}");
        }
        for public in ["0.0.0.0", "::", "192.168.1.20"] {
            assert!(exposed(public.parse().unwrap()), "{public}");
        }
        assert!(Message::ServeExposed.text(Lang::En).contains("drafts included"));
        assert!(Message::ServeExposed.text(Lang::Vi).contains("bản nháp"));
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
}
