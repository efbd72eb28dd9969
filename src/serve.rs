//! `canhbao serve`: the preview server. It loads the site's model once (drafts included, base
//! URL rewritten to the local address), renders each file when a browser asks for it, takes an
//! edit into the model and reloads the open tabs.
//!
//! Issue 10: no page is written to disk (only the cache, which `build` shares: cards, kept
//! bodies). The model and its route table are kept in memory
//! ([`preview`]); a request runs the one job that makes its file ([`crate::render::render_job`])
//! and the job's files are kept until an edit touches them. After a change under `content/`, the
//! model is loaded again (the last good one keeps serving if it fails) and only the files of the
//! jobs that show the edited items are dropped; a change to site.yaml, a template, the theme or
//! `static/` drops every file. A background thread runs every job once after start (and the
//! dropped ones after an edit) into nothing, so that template and render errors show in the
//! terminal and the overlay as a build would show them. The server (axum) adds:
//! - the checks of [`http`]: only `localhost` and this server's IP addresses as `Host` (DNS
//!   rebinding), only well-formed paths that the route table lists, `HEAD` with the headers of
//!   `GET`, `nosniff`, `charset=utf-8` and a strict Content-Security-Policy ([`csp`]);
//! - a script added to every HTML page ([`live`]), listening to `/__canhbao/events`
//!   (server-sent events): `reload` after a good update, `build-error` with the same text the
//!   terminal shows, which the page displays as an overlay (also added server-side while the
//!   last update failed, so a page loaded then shows it too).
//!
//! A watcher thread (notify with a debouncer) updates the model, and watches a source folder
//! again when it was deleted and restored; the server runs on a small tokio runtime. Ctrl-C (or
//! SIGTERM) stops everything cleanly.

mod csp;
mod http;
mod live;
mod preview;

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::middleware;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch;

use crate::cli::ServeArgs;
use crate::config::{CONFIG_FILE, Config};
use crate::i18n::Lang;
use crate::messages::Message;
use crate::pipeline::BuildOptions;
use crate::report::{self, Reporter};
use crate::site::routes::JobId;

pub use http::RENDER_HEADER;
pub use live::OVERLAY_ID;
use preview::Preview;

/// Server-sent events: `hello` and `reload` (data: update number), `build-error` (data: JSON text).
pub const EVENTS_PATH: &str = "/__canhbao/events";
/// Folders and files whose changes trigger an update.
const WATCHED: [&str; 4] = ["content", "static", "templates", "themes"];
/// The folder of the site's Markdown.
const CONTENT: &str = "content";
/// How long the file watcher waits for a burst of changes to end (an editor's save is a few
/// writes within milliseconds); it adds to every edit's latency (issue 10: under 300 ms).
const DEBOUNCE: Duration = Duration::from_millis(50);

/// What `canhbao serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub drafts: bool,
}

impl From<ServeArgs> for ServeOptions {
    fn from(args: ServeArgs) -> Self {
        ServeOptions { root: args.root, bind: args.bind, port: args.port, drafts: args.drafts }
    }
}

/// The state of the preview, watched by every open page.
#[derive(Debug, Clone, Default)]
struct Status {
    /// Number of good updates so far.
    generation: u64,
    /// The text of the last error (as in the terminal, without colour), if the last update or
    /// a job failed.
    error: Option<String>,
    /// The Content-Security-Policy for the site's current templates.
    csp: String,
    stopping: bool,
}

#[derive(Clone)]
struct AppState {
    status: watch::Receiver<Status>,
    lang: Lang,
    preview: Arc<Preview>,
    /// Reports a job that failed (terminal and overlay) and answers with a 500 page.
    failed: Arc<dyn Fn(anyhow::Error) -> Response + Send + Sync>,
    /// The address and port the server listens on (for the `Host` check).
    bind: IpAddr,
    port: u16,
}

/// Loads, serves and watches until Ctrl-C.
pub fn serve(options: ServeOptions, reporter: &Reporter) -> Result<()> {
    let lang = reporter.lang;
    let root = std::path::absolute(&options.root)?;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Message::NoSite { dir: report::display_path(&root) }.into());
    }
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
        drafts: options.drafts,
        // Links must work where the pages are opened: on a phone, that is the LAN address.
        base_url: Some(lan_url.clone().unwrap_or_else(|| local_url.clone())),
        ..BuildOptions::default()
    };

    let (sender, receiver) = watch::channel(Status { csp: csp::strict(), ..Status::default() });
    let sender = Arc::new(sender);
    let preview = Arc::new(Preview::default());
    let file_watcher = Watcher::new(&root)?;
    let stop = Arc::new(AtomicBool::new(false));
    let (checks, to_check) = mpsc::channel();
    let updater = Updater {
        options: build_options,
        reporter: reporter.clone(),
        status: sender.clone(),
        preview: preview.clone(),
        loader: Default::default(),
        pending: Default::default(),
        checks,
        generation: Arc::new(AtomicU64::new(0)),
    };
    updater.update(None);
    reporter.info(&lang.serving(&local_url));
    if let Some(url) = &lan_url {
        reporter.info(&lang.serving_lan(url));
    }

    let checker = {
        let (stop, preview, generation) = (stop.clone(), preview.clone(), updater.generation.clone());
        let (reporter, status) = (reporter.clone(), sender.clone());
        std::thread::spawn(move || check_in_background(&to_check, &preview, &generation, &reporter, &status, &stop))
    };
    let watcher = {
        let stop = stop.clone();
        let root = root.clone();
        std::thread::spawn(move || watch_and_update(&root, file_watcher, &updater, &stop))
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    let failed = {
        let (reporter, status) = (reporter.clone(), sender.clone());
        Arc::new(move |err: anyhow::Error| {
            report_error(&reporter, &status, &err);
            let page = "<!doctype html><meta charset=\"utf-8\"><title>500</title><body><h1>500</h1></body>";
            (StatusCode::INTERNAL_SERVER_ERROR, [(axum::http::header::CONTENT_TYPE, "text/html")], page).into_response()
        })
    };
    let state = AppState { status: receiver, lang, preview, failed, bind: options.bind, port };
    let served = runtime.block_on(run_server(listener, state, sender));
    stop.store(true, Ordering::SeqCst);
    let watched = watcher.join().map_err(|_| anyhow!("the file watcher stopped unexpectedly"))?;
    checker.join().map_err(|_| anyhow!("the background check stopped unexpectedly"))?;
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

/// The Content-Security-Policy for the templates the next model uses; `None` when site.yaml or
/// a template cannot be read (the update reports why, and the last good pages keep their policy).
fn policy(options: &BuildOptions) -> Option<String> {
    let config = Config::load(&options.root, None, options.drafts).ok()?;
    csp::policy(&config).ok()
}

/// Shows an error in the terminal and, through the event stream, in the open pages.
fn report_error(reporter: &Reporter, status: &watch::Sender<Status>, err: &anyhow::Error) {
    let lang = reporter.lang;
    let text = reporter.error(err, |n| Message::PreviewNotUpdated { problems: n }.text(lang));
    reporter.info(lang.serve_kept());
    status.send_modify(|s| s.error = Some(text));
}

/// Which jobs the background check should run: those of an update (`None`: every job).
struct Check {
    generation: u64,
    jobs: Option<Vec<JobId>>,
}

/// Loads the model and hands it to the preview, then publishes the result to the open pages.
struct Updater {
    options: BuildOptions,
    reporter: Reporter,
    status: Arc<watch::Sender<Status>>,
    preview: Arc<Preview>,
    /// Keeps the sources and parsed items between loads.
    loader: crate::site::update::Loader,
    /// The edits since the last good model, when the last update failed (`Some(None)`: every
    /// output): the next good model drops what they affect too.
    pending: std::sync::Mutex<Option<Option<Vec<PathBuf>>>>,
    checks: mpsc::Sender<Check>,
    /// Number of models handed to the preview (the background check stops a stale run).
    generation: Arc<AtomicU64>,
}

impl Updater {
    /// Takes the sources as they are now: `changed` are the source files edited (absolute
    /// paths), `None` for a change that concerns every output (or the first load).
    fn update(&self, changed: Option<&[PathBuf]>) {
        let lang = self.reporter.lang;
        let start = Instant::now();
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        let since_good: Option<Vec<PathBuf>> = match (pending.take(), changed) {
            (None, changed) => changed.map(<[PathBuf]>::to_vec),
            (Some(Some(mut before)), Some(changed)) => {
                before.extend_from_slice(changed);
                Some(before)
            }
            _ => None,
        };
        let changed = since_good.as_deref();
        let csp = policy(&self.options);
        let content = self.options.root.join(CONTENT);
        let loaded = if content.is_dir() {
            preview::load(&self.loader, &self.options, changed, self.preview.live().as_deref())
        } else {
            Err(Message::ContentMissing { dir: report::display_path(&content) }.into())
        };
        match loaded {
            Ok(live) => {
                for warning in &live.site().warnings {
                    self.reporter.warn(warning);
                }
                let first = self.preview.live().is_none();
                let (articles, pages) = (live.site().articles.len(), live.site().pages.len());
                let (jobs, files) = self.preview.replace(live, changed);
                let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
                let millis = start.elapsed().as_millis();
                let message = if first {
                    Message::PreviewReady { articles, pages, millis }
                } else {
                    Message::PreviewUpdated { files, millis }
                };
                self.reporter.info(&message.text(lang));
                self.status.send_modify(|s| {
                    s.generation += 1;
                    s.error = None;
                    if let Some(csp) = csp {
                        s.csp = csp;
                    }
                });
                let jobs = changed.map(|_| jobs);
                let _ = self.checks.send(Check { generation, jobs });
            }
            Err(err) => {
                // Before the first good model there is nothing to keep: the next one loads all.
                let first = self.preview.live().is_none();
                *pending = Some(if first { None } else { changed.map(<[PathBuf]>::to_vec) });
                report_error(&self.reporter, &self.status, &err);
                if let Some(csp) = csp {
                    self.status.send_modify(|s| s.csp = csp);
                }
            }
        }
    }
}

/// Runs the jobs of each update into nothing, to find template and render errors that no
/// request has met; a run made stale by a newer model stops, and the next one checks every job
/// when the stopped one did.
fn check_in_background(
    checks: &mpsc::Receiver<Check>,
    preview: &Preview,
    generation: &AtomicU64,
    reporter: &Reporter,
    status: &watch::Sender<Status>,
    stop: &AtomicBool,
) {
    // The check runs on its own thread pool of one thread, both at a lower priority: the
    // updates and the pages a browser asks for come first.
    lower_priority();
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(1).start_handler(|_| lower_priority()).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("the background check cannot start: {e}");
            return;
        }
    };
    let mut everything = false;
    while !stop.load(Ordering::SeqCst) {
        let check = match checks.recv_timeout(Duration::from_millis(100)) {
            Ok(check) => check,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let Some(live) = preview.live() else { continue };
        let stale = || stop.load(Ordering::SeqCst) || generation.load(Ordering::SeqCst) != check.generation;
        if stale() {
            everything |= check.jobs.is_none();
            continue;
        }
        let all: Vec<JobId>;
        let jobs = match &check.jobs {
            Some(jobs) if !everything => jobs.as_slice(),
            _ => {
                all = (0..live.site().routes.jobs().len()).collect();
                all.as_slice()
            }
        };
        everything = false;
        match pool.install(|| preview::check_jobs(&live, jobs, stale)) {
            Ok(()) if stale() => everything |= check.jobs.is_none(),
            Ok(()) => {}
            Err(err) if !stale() => report_error(reporter, status, &err),
            Err(_) => {}
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
        let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("cannot watch the site's files")?;
        // The root itself only for site.yaml and top-level folders appearing or disappearing:
        // anything else beside the sources (public/, target/) stays unwatched.
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

/// Lowers the priority of the calling thread (Linux, where the nice value is per thread);
/// elsewhere, or if that fails, the thread keeps its priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    let _ = rustix::process::setpriority_process(None, 10);
}

/// Updates the preview after each burst of changes, until `stop`.
fn watch_and_update(root: &Path, mut watcher: Watcher, updater: &Updater, stop: &AtomicBool) -> Result<()> {
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
        updater.reporter.info(&updater.reporter.lang.rebuilding(&shown));
        // Only edits of Markdown and bundle files can leave most of the rendered files as they
        // are; anything else (site.yaml, templates, the theme, static files) touches every page.
        let sources = changed.iter().all(|c| c.starts_with(&format!("{CONTENT}/")));
        let paths: Vec<PathBuf> = changed.iter().map(|c| root.join(c)).collect();
        updater.update(sources.then_some(&paths[..]));
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
    let mut stopping = state.status.clone();
    // The last layer added runs first: HEAD and the headers of every response, then the host
    // check, the path check, and live reload around the site's files (listed, or 404).
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(live::SCRIPT_PATH, get(live::script))
        .route(live::STYLE_PATH, get(live::style))
        .fallback(http::site_file)
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
