//! `canhbao serve` (issue 4), run as a process on 127.0.0.1 with a free port (`--port 0`):
//! pages are served, a change rebuilds and reloads, a broken file shows the overlay and the
//! server recovers, traversal is refused, Ctrl-C stops it. Issue 10: pages are rendered from
//! memory (no preview folder, no `--output`), an edit renders again the pages that show the
//! edited article and keeps the others (told by the `X-Canhbao-Render` header: the number of the
//! job run that made the file), a template edit renders everything again. Issue 9: only
//! localhost and its own IP addresses are answered (DNS
//! rebinding), symbolic links out of the site are not followed, `HEAD` has the headers of
//! `GET`, malformed paths are 4xx, every response has `nosniff`, `charset=utf-8` on text and a
//! CSP that every served page satisfies (hashing only the templates the build uses), only the
//! server's exact routes skip the path checks, and `content/` deleted and restored is watched
//! again.
//! Every wait is bounded (at most 30 s), and every test stops its server itself (SIGINT, then
//! kill as a last resort).
#![cfg(all(feature = "serve", unix))]

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

const WAIT: Duration = Duration::from_secs(30);

/// A running `canhbao serve`, stopped on drop.
struct Server {
    child: Child,
    addr: String,
    lines: Receiver<String>,
    log: Vec<String>,
}

impl Server {
    fn start(site: &Path) -> Server {
        Server::start_with(site, &[])
    }

    /// Starts `canhbao serve --port 0 --root <site> <args>`; waits until it serves.
    fn start_with(site: &Path, args: &[&OsStr]) -> Server {
        let mut server = Server::spawn(site, &[&[OsStr::new("--port"), OsStr::new("0")], args].concat());
        let line = server.wait_for_line("Serving the site at http://");
        let url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap();
        server.addr = url.trim_start_matches("http://").to_string();
        server
    }

    /// Starts `canhbao serve --root <site> <args>` without waiting for anything.
    fn spawn(site: &Path, args: &[&OsStr]) -> Server {
        let mut child = serve_command(site)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child, addr: String::new(), lines, log: Vec::new() }
    }

    /// Waits for a line of the server's output containing `needle`.
    fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.log.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no line with {needle:?} within {WAIT:?}; got {:#?}", self.log)
                }
                Err(RecvTimeoutError::Disconnected) => panic!("server exited; output: {:#?}", self.log),
            }
        }
    }

    /// Sends Ctrl-C and waits (bounded) for a clean exit; returns whether it exited with 0.
    fn interrupt(&mut self) -> bool {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the server did not stop within {WAIT:?} after Ctrl-C");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// `canhbao serve --root <site>` in English, without colour.
fn serve_command(site: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_canhbao"));
    command
        .arg("serve")
        .arg("--root")
        .arg(site)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("NO_COLOR", "1");
    command
}

/// A response read back from the server.
struct Reply {
    status: u16,
    /// Header names in lower case, in the order sent.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` (raw bytes, so malformed requests can be sent) and reads the whole response.
fn raw(addr: &str, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete response head");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = response[split + 4..].to_vec();
    if headers.iter().any(|(n, v)| n == "transfer-encoding" && v.contains("chunked")) {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..end]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

/// One HTTP/1.1 request with the path sent exactly as given and the given `Host`.
fn send(addr: &str, method: &str, path: &str, host: &str) -> Reply {
    raw(addr, format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes())
}

/// `GET path` with the server's own address as `Host`; returns (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let reply = send(addr, "GET", path, addr);
    (reply.status, reply.text())
}

/// The server-sent event stream a page listens to.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        write!(stream, "GET /__canhbao/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        Events { stream, buffer: String::new() }
    }

    /// Waits for the next event named `name`; returns its data lines joined. Events before it
    /// are skipped.
    fn wait_for(&mut self, name: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let marker = format!("event: {name}\n");
        loop {
            if let Some(start) = self.buffer.find(&marker) {
                let rest = &self.buffer[start + marker.len()..];
                if let Some(end) = rest.find("\n\n") {
                    let data: Vec<&str> = rest[..end].lines().filter_map(|l| l.strip_prefix("data: ")).collect();
                    let data = data.join("\n");
                    self.buffer = rest[end..].to_string();
                    return data;
                }
            }
            assert!(Instant::now() < deadline, "no `{name}` event within {WAIT:?}; got {:?}", self.buffer);
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("event stream closed; got {:?}", self.buffer),
                // Chunked transfer framing lines are harmless for this search; CRs are dropped.
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n]).replace('\r', "")),
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(e) => panic!("event stream: {e}"),
            }
        }
    }
}

/// A new site made by `canhbao init`.
fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status =
        Command::new(env!("CARGO_BIN_EXE_canhbao")).arg("init").arg(dir.path()).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    dir
}

const ARTICLE: &str = "content/articles/canh-bao-mau.md";

fn edit(site: &Path, rel: &str, from: &str, to: &str) {
    let path = site.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {rel}");
    std::fs::write(&path, text.replace(from, to)).unwrap();
}

#[test]
fn serves_pages_with_the_live_script_refuses_traversal_and_stops_on_ctrl_c() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();

    let (status, body) = get(&addr, "/");
    assert_eq!(status, 200);
    assert!(body.contains("Giả danh công an gọi điện yêu cầu chuyển tiền"));
    let page = Html::parse_document(&body);
    let live = page.select(&Selector::parse("script#canhbao-live").unwrap()).next().expect("the live-reload script");
    assert_eq!(live.attr("src"), Some("/__canhbao/live.js"));
    assert_eq!(live.attr("data-generation"), Some("1"));
    assert!(!body.contains("canhbao-overlay"));
    // Links point at the local server, not the public base_url.
    assert!(body.contains(&format!("http://{addr}/")), "base_url is rewritten");
    let (status, _) = get(&addr, "/gioi-thieu/");
    assert_eq!(status, 200);
    let (status, js) = get(&addr, "/__canhbao/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));

    for path in [
        "/../site.yaml",
        "/../../../../etc/passwd",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2e%2e/etc/passwd",
        "/assets/..%2f..%2fsite.yaml",
        "//etc/passwd",
        "/..\\site.yaml",
    ] {
        let (status, body) = get(&addr, path);
        assert!((400..500).contains(&status), "{path} -> {status}");
        assert!(!body.contains("base_url"), "{path} leaked site.yaml");
    }
    let (status, body) = get(&addr, "/khong-co-trang-nay/");
    assert_eq!(status, 404);
    assert!(body.contains("/__canhbao/live.js"), "the 404 page reloads too");

    assert!(server.interrupt(), "Ctrl-C exits with 0");
    server.wait_for_line("Stopped.");
}

#[test]
fn a_change_rebuilds_and_reloads_the_page() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    assert_eq!(events.wait_for("hello"), "1");

    edit(site.path(), ARTICLE, "title: \"Giả danh công an gọi điện", "title: \"Cập nhật: Giả danh công an gọi điện");
    assert_eq!(events.wait_for("reload"), "2");
    server.wait_for_line("Changed: content/articles/canh-bao-mau.md; rebuilding");
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(body.contains("Cập nhật: Giả danh công an gọi điện"));
    assert!(body.contains("data-generation=\"2\""));

    // A new draft appears in the preview (drafts are included by default).
    let status = Command::new(env!("CARGO_BIN_EXE_canhbao"))
        .args(["new", "article", "Bản nháp mới", "--root"])
        .arg(site.path())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    events.wait_for("reload");
    let (status, _) = get(&server.addr, "/canh-bao/ban-nhap-moi/");
    assert_eq!(status, 200);
    assert!(server.interrupt());
}

#[test]
fn a_broken_file_shows_the_overlay_and_the_server_recovers() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    events.wait_for("hello");

    edit(site.path(), ARTICLE, "scams: [gia-danh-co-quan-chuc-nang]", "scams: [gia-danh-co-quan-chuc-nangg]");
    let error = events.wait_for("build-error");
    let expected = "error: content/articles/canh-bao-mau.md:5:9: unknown scam type \\\"gia-danh-co-quan-chuc-nangg\\\"";
    assert!(error.contains(expected), "{error}");
    assert!(error.contains("\\n  = help: did you mean \\\"gia-danh-co-quan-chuc-nang\\\"?"), "{error}");
    server.wait_for_line("unknown scam type \"gia-danh-co-quan-chuc-nangg\"");

    // The last good site is still served, with the overlay showing the same message.
    let (status, body) = get(&server.addr, "/canh-bao/canh-bao-mau/");
    let kept = render_of(&server.addr, "/canh-bao/canh-bao-mau/");
    assert_eq!(render_of(&server.addr, "/canh-bao/canh-bao-mau/"), kept, "issue 10: the last good page is kept");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"canhbao-overlay\""), "{body}");
    assert!(body.contains(
        "error: content/articles/canh-bao-mau.md:5:9: unknown scam type &quot;gia-danh-co-quan-chuc-nangg&quot;"
    ));
    assert!(body.contains("5 | scams: [gia-danh-co-quan-chuc-nangg]"));
    assert!(body.contains("Giả danh công an gọi điện yêu cầu chuyển tiền"), "last good content");

    edit(site.path(), ARTICLE, "chuc-nangg]", "chuc-nang]");
    assert_eq!(events.wait_for("reload"), "2");
    let (status, body) = get(&server.addr, "/canh-bao/canh-bao-mau/");
    assert_eq!(status, 200);
    assert!(!body.contains("canhbao-overlay"));
    assert!(server.interrupt());
}

#[test]
fn a_site_broken_from_the_start_shows_the_overlay_until_fixed() {
    let site = new_site();
    edit(site.path(), "site.yaml", "paginate_by: 10", "paginate_by: 0");
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    let error = events.wait_for("build-error");
    assert!(error.contains("error: site.yaml: paginate_by must be at least 1"), "{error}");
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 404, "nothing was built yet");
    assert!(body.contains("id=\"canhbao-overlay\""));
    assert!(body.contains("error: site.yaml: paginate_by must be at least 1"));

    edit(site.path(), "site.yaml", "paginate_by: 0", "paginate_by: 10");
    assert_eq!(events.wait_for("reload"), "1");
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(!body.contains("canhbao-overlay"));
    assert!(server.interrupt());
}

impl Server {
    /// Waits (bounded) for the server to exit by itself; returns its exit code and output.
    fn exit(&mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + WAIT;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "still running after {WAIT:?}; output: {:#?}", self.log);
            std::thread::sleep(Duration::from_millis(50));
        };
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.log.push(line);
        }
        (status.code(), self.log.join("\n"))
    }
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Issue 10: the preview is served from memory, so there is no preview folder and no
/// `--output` (issue 9's refusals of a bad `--output` folder have nothing left to guard): the
/// option is refused before anything listens, and serving, editing and stopping write nothing
/// into the site but what the editor wrote.
#[test]
fn issue_10_serve_has_no_output_folder_and_writes_nothing_into_the_site() {
    let site = new_site();
    let port = free_port().to_string();
    let mut server = Server::spawn(site.path(), &["--port".as_ref(), port.as_ref(), "--output".as_ref(), "x".as_ref()]);
    server.addr = format!("127.0.0.1:{port}");
    let (code, output) = server.exit();
    assert_eq!(code, Some(2), "{output}");
    assert!(output.contains("--output"), "{output}");
    assert!(TcpStream::connect(&server.addr).is_err(), "nothing listens on {}", server.addr);

    let listed = |dir: &Path| -> Vec<String> {
        let mut files: Vec<String> = walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap().path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
            .filter(|p| !p.starts_with(".canhbao-cache"))
            .collect();
        files.sort();
        files
    };
    let before = listed(site.path());
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    events.wait_for("hello");
    for path in ["/", "/canh-bao/canh-bao-mau/", "/social.png", "/tim-kiem/index.json"] {
        assert_eq!(get(&server.addr, path).0, 200, "{path}");
    }
    edit(site.path(), ARTICLE, "title: \"Giả danh", "title: \"Mới: Giả danh");
    events.wait_for("reload");
    assert_eq!(get(&server.addr, "/").0, 200);
    assert!(server.interrupt());
    assert_eq!(listed(site.path()), before, "serve wrote into the site");
    assert!(!site.path().join(".canhbao-serve").exists());
}

/// Issue 9 (DNS rebinding): a page on another host name whose DNS points at 127.0.0.1 must
/// not read the preview. Only localhost and IP addresses of this server are answered.
#[test]
fn only_localhost_and_this_servers_addresses_are_answered() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    let port = addr.rsplit(':').next().unwrap().to_string();
    for host in
        [addr.clone(), format!("localhost:{port}"), "localhost".into(), "127.0.0.1".into(), format!("[::1]:{port}")]
    {
        let reply = send(&addr, "GET", "/", &host);
        assert_eq!(reply.status, 200, "Host: {host}");
    }
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        "127.0.0.1:1".into(),
    ] {
        let reply = send(&addr, "GET", "/", &host);
        assert_eq!(reply.status, 403, "Host: {host}");
        assert!(reply.text().contains("DNS rebinding"), "an explanation: {}", reply.text());
        assert!(!reply.text().contains("Giả danh"), "no page content");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        let reply = send(&addr, "GET", "/__canhbao/events", &host);
        assert_eq!(reply.status, 403, "events, Host: {host}");
    }
    // The host named in an absolute-form request counts, not a friendly Host header.
    let reply = raw(
        &addr,
        format!("GET http://evil.example:{port}/ HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes(),
    );
    assert_eq!(reply.status, 403);
    // No Host at all (HTTP/1.0).
    let reply = raw(&addr, b"GET / HTTP/1.0\r\n\r\n");
    assert!((400..500).contains(&reply.status), "{}", reply.status);
    assert!(server.interrupt());
}

/// Issue 9: a symbolic link must not serve what it points to outside the site. Issue 10: there
/// is no preview folder to put one in; a link in `static/` or in a bundle is refused by the
/// model (the overlay says so) and never served, and `/__canhbao/…` beyond the server's exact
/// routes is a path of the site like any other (here: not found).
#[test]
fn a_symlink_out_of_the_site_is_not_followed() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    events.wait_for("hello");
    let secret_dir = tempfile::tempdir().unwrap();
    std::fs::write(secret_dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let statics = site.path().join("static");
    std::os::unix::fs::symlink("/etc", statics.join("etc")).unwrap();
    std::os::unix::fs::symlink(secret_dir.path(), statics.join("thu-muc")).unwrap();
    std::os::unix::fs::symlink(secret_dir.path().join("secret.txt"), statics.join("bi-mat.txt")).unwrap();
    std::fs::create_dir(statics.join("__canhbao")).unwrap();
    std::os::unix::fs::symlink(secret_dir.path().join("secret.txt"), statics.join("__canhbao/secret.txt")).unwrap();
    let error = events.wait_for("build-error");
    assert!(error.contains("static/"), "{error}");
    for path in [
        "/etc/passwd",
        "/etc/hostname",
        "/etc/",
        "/thu-muc/secret.txt",
        "/bi-mat.txt",
        "/__canhbao/secret.txt",
        "/__canhbao/",
        "/__canhbao/x",
        "/__canhbao/events/",
    ] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("TOP SECRET") && !body.contains("root:"), "{path} leaked: {body}");
    }
    let (status, body) = get(&server.addr, "/gioi-thieu/");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(body.contains("id=\"canhbao-overlay\""), "with the overlay");
    // The server's own routes still answer.
    for (path, content_type) in
        [("/__canhbao/live.js", "text/javascript; charset=utf-8"), ("/__canhbao/live.css", "text/css; charset=utf-8")]
    {
        let reply = send(&server.addr, "GET", path, &server.addr);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
    }
    assert!(server.interrupt());
}

/// Issue 9: `HEAD` had a wrong `Content-Length` for HTML (the page is longer than the file:
/// the live-reload script is added). Malformed or over-long paths must be a 4xx, not a 500.
#[test]
fn head_has_the_headers_of_get_and_malformed_paths_are_4xx() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    for path in ["/", "/canh-bao/canh-bao-mau/", "/assets/style.css", "/social.png", "/khong-co-trang-nay/"] {
        let got = send(&addr, "GET", path, &addr);
        let head = send(&addr, "HEAD", path, &addr);
        let without_date = |r: &Reply| r.headers.iter().filter(|(n, _)| n != "date").cloned().collect::<Vec<_>>();
        assert_eq!(without_date(&head), without_date(&got), "{path}");
        assert_eq!(head.status, got.status, "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD has no body");
        let length: usize = got.header("content-length").expect("a length").parse().unwrap();
        assert_eq!(length, got.body.len(), "{path}: Content-Length is the length of what GET sends");
    }

    let long = format!("/{}", "a".repeat(10_000));
    let segment = format!("/{}/", "b".repeat(300));
    for path in [
        long.as_str(),
        &segment,
        "/%zz",
        "/%",
        "/%E1%BA",
        "/%ff",
        "/%C3%28",
        "/a%00b",
        "/index.html/x",
        "/%2e%2e/%2e%2e/etc/passwd",
    ] {
        let reply = send(&addr, "GET", path, &addr);
        assert!((400..500).contains(&reply.status), "{} -> {}", &path[..path.len().min(40)], reply.status);
    }
    // Raw bytes that are not UTF-8 in the request line.
    let reply = raw(&addr, format!("GET /\u{0}\u{1} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").as_bytes());
    assert!((400..500).contains(&reply.status), "{}", reply.status);
    let mut request = b"GET /\xff\xfe.html HTTP/1.1\r\nHost: ".to_vec();
    request.extend_from_slice(format!("{addr}\r\nConnection: close\r\n\r\n").as_bytes());
    let reply = raw(&addr, &request);
    assert!((400..500).contains(&reply.status), "{}", reply.status);
    assert!(server.interrupt());
}

/// The `'sha256-…'` source of an inline script, as a Content-Security-Policy lists it.
fn csp_hash(script: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(script)))
}

/// Issue 9: `nosniff`, a Content-Security-Policy that the default theme satisfies (no
/// third-party host, no inline script but the theme's own, allowed by hash), and
/// `charset=utf-8` on every text type.
#[test]
fn security_headers_a_policy_the_theme_satisfies_and_utf8_text() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    for (path, content_type) in [
        ("/", "text/html; charset=utf-8"),
        ("/assets/style.css", "text/css; charset=utf-8"),
        ("/assets/search.js", "text/javascript; charset=utf-8"),
        ("/tim-kiem/index.json", "application/json; charset=utf-8"),
        ("/atom.xml", "text/xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml; charset=utf-8"),
        ("/__canhbao/live.js", "text/javascript; charset=utf-8"),
        ("/social.png", "image/png"),
    ] {
        let reply = send(&addr, "GET", path, &addr);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some(content_type), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert!(reply.header("content-security-policy").is_some(), "{path}");
    }
    let policy = send(&addr, "GET", "/", &addr).header("content-security-policy").unwrap().to_string();
    let script_src = policy.split(';').map(str::trim).find(|d| d.starts_with("script-src ")).expect("script-src");
    assert!(script_src.starts_with("script-src 'self'"), "{policy}");
    assert!(!script_src.contains("unsafe-inline") && !script_src.contains("unsafe-eval"), "{policy}");
    assert!(policy.contains("default-src 'self'") && policy.contains("object-src 'none'"), "{policy}");
    assert!(!policy.contains("http") && !policy.contains('*'), "no other host: {policy}");

    // Every page of the site, as served: each inline script is allowed by its hash, nothing
    // else inline runs, and everything a page loads comes from the preview itself.
    let scripts = Selector::parse("script").unwrap();
    let loaded =
        Selector::parse("script[src], link[rel=stylesheet], img[src], source[srcset], iframe, object, embed").unwrap();
    let mut pages = 0;
    let mut inline = 0;
    // The pages a build of the same site makes (the preview keeps none on disk).
    let built = tempfile::tempdir().unwrap();
    let out = built.path().join("public");
    let status = Command::new(env!("CARGO_BIN_EXE_canhbao"))
        .args(["build", "--drafts", "--base-url", &format!("http://{addr}/"), "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(&out).unwrap().to_string_lossy().into_owned();
        if !rel.ends_with(".html") {
            continue;
        }
        let path = format!("/{}", rel.trim_end_matches("index.html"));
        let reply = send(&addr, "GET", &path, &addr);
        assert!(reply.status == 200 || rel == "404.html", "{path} -> {}", reply.status);
        assert_eq!(reply.header("content-security-policy"), Some(policy.as_str()), "{path}");
        let html = Html::parse_document(&reply.text());
        for script in html.select(&scripts) {
            let kind = script.attr("type").unwrap_or("");
            if script.attr("src").is_some() || !matches!(kind, "" | "text/javascript" | "module") {
                continue;
            }
            let text: String = script.text().collect();
            assert!(policy.contains(&csp_hash(&text)), "{path}: inline script not allowed by the policy: {text}");
            inline += 1;
        }
        for element in html.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            for (name, _) in element.value().attrs() {
                assert!(!name.starts_with("on"), "{path}: inline handler `{name}` on <{}>", element.value().name());
            }
        }
        for element in html.select(&loaded) {
            for url in ["src", "href", "srcset"].iter().filter_map(|a| element.attr(a)) {
                let same_origin = !url.contains("//") || url.starts_with(&format!("http://{addr}/"));
                assert!(same_origin, "{path}: <{}> loads {url}", element.value().name());
            }
        }
        pages += 1;
    }
    assert!(pages >= 10, "every page was checked ({pages})");
    assert!(inline >= 2, "the theme's redirect and leaflet scripts were checked ({inline})");
    assert!(server.interrupt());
}

/// Issue 9: the policy hashed the inline scripts of every file under `templates/` and
/// `themes/`, symbolic links followed, so another theme's scripts and a file linked in from
/// outside the site were allowed. Only the templates the build uses count: the site's
/// `templates/` and the configured theme's, links not followed.
#[test]
fn issue_9_the_policy_allows_only_the_scripts_of_the_templates_in_use() {
    let site = new_site();
    let outside = tempfile::tempdir().unwrap();
    let linked = outside.path().join("linked.html");
    std::fs::write(&linked, "<script>alert('linked in')</script>").unwrap();
    let other = site.path().join("themes/other/templates");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("base.html"), "<script>alert('another theme')</script>").unwrap();
    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(templates.join("own.html"), "<p>own</p><script>alert('own')</script>").unwrap();
    std::os::unix::fs::symlink(&linked, templates.join("linked.html")).unwrap();
    std::os::unix::fs::symlink(outside.path(), templates.join("more")).unwrap();
    std::os::unix::fs::symlink(&linked, site.path().join("themes/default/templates/linked.html")).unwrap();

    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    let policy = send(&addr, "GET", "/", &addr).header("content-security-policy").unwrap().to_string();
    assert!(policy.contains(&csp_hash("alert('own')")), "the site's own template counts: {policy}");
    for script in ["alert('another theme')", "alert('linked in')"] {
        assert!(!policy.contains(&csp_hash(script)), "{script} is allowed: {policy}");
    }
    assert!(server.interrupt());
}

/// Issue 9: deleting `content/` and restoring it used to stop the watcher for good (and the
/// missing folder was reported as a confusing I/O error).
#[test]
fn content_deleted_and_restored_is_watched_again() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    events.wait_for("hello");
    let content = site.path().join("content");
    let saved = tempfile::tempdir().unwrap();
    common::copy_dir(&content, saved.path());
    std::fs::remove_dir_all(&content).unwrap();

    let error = events.wait_for("build-error");
    assert!(error.contains("the content folder"), "{error}");
    assert!(error.contains("is missing"), "{error}");
    server.wait_for_line("is missing: restore it");
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 200, "the last good version is still served");
    let page = Html::parse_document(&body);
    let overlay = page.select(&Selector::parse("#canhbao-overlay pre").unwrap()).next().expect("the overlay");
    assert!(overlay.text().collect::<String>().contains("is missing: restore it"), "{body}");

    common::copy_dir(saved.path(), &content);
    assert_eq!(events.wait_for("reload"), "2");
    // The restored folder is watched: an edit after the restore rebuilds again.
    edit(
        site.path(),
        ARTICLE,
        "title: \"Giả danh công an gọi điện",
        "title: \"Sau khi khôi phục: Giả danh công an gọi điện",
    );
    assert_eq!(events.wait_for("reload"), "3");
    let (status, body) = get(&server.addr, "/");
    assert_eq!(status, 200);
    assert!(body.contains("Sau khi khôi phục: Giả danh công an gọi điện"));
    assert!(!body.contains("canhbao-overlay\" role"), "the overlay is gone");
    assert!(server.interrupt());
}

/// The `X-Canhbao-Render` header of a file: the number of the job run that made it (issue 10).
fn render_of(addr: &str, path: &str) -> u64 {
    let reply = send(addr, "GET", path, addr);
    assert_eq!(reply.status, 200, "{path}");
    reply.header("x-canhbao-render").expect("X-Canhbao-Render").parse().unwrap()
}

/// The text of the first element `selector` matches in the page at `path`.
fn text_of(addr: &str, path: &str, selector: &str) -> String {
    let (status, body) = get(addr, path);
    assert_eq!(status, 200, "{path}");
    let page = Html::parse_document(&body);
    page.select(&Selector::parse(selector).unwrap()).map(|e| e.text().collect::<String>()).collect()
}

const TERM_PAGE: &str = "/thu-doan/gia-danh-co-quan-chuc-nang/";

/// Issue 10: an edit of one article renders again the pages that show it (its page, the home
/// page, its scam type's page and the list of scam types) and keeps every other file as it was
/// rendered; the new title is on each of those pages once the `reload` event is sent.
#[test]
fn issue_10_an_edit_renders_again_only_the_pages_it_affects() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    let mut events = Events::open(&addr);
    events.wait_for("hello");
    let affected = ["/canh-bao/canh-bao-mau/", "/", TERM_PAGE, "/thu-doan/"];
    let unaffected = ["/gioi-thieu/", "/assets/style.css", "/social.png"];
    let before: Vec<u64> = affected.iter().chain(&unaffected).map(|p| render_of(&addr, p)).collect();
    let again: Vec<u64> = affected.iter().chain(&unaffected).map(|p| render_of(&addr, p)).collect();
    assert_eq!(before, again, "a file asked for twice is rendered once");
    let mut distinct = before.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), before.len(), "each file was made by its own job: {before:?}");
    assert!(!text_of(&addr, "/", "body").contains("Mới nhất: Giả danh"));

    edit(site.path(), ARTICLE, "title: \"Giả danh", "title: \"Mới nhất: Giả danh");
    events.wait_for("reload");
    server.wait_for_line("Updated in");
    assert!(text_of(&addr, "/canh-bao/canh-bao-mau/", "h1").contains("Mới nhất: Giả danh"));
    assert!(text_of(&addr, "/", "main").contains("Mới nhất: Giả danh"), "the home page lists the new title");
    assert!(text_of(&addr, TERM_PAGE, "main").contains("Mới nhất: Giả danh"), "the scam type's page too");
    let after: Vec<u64> = affected.iter().chain(&unaffected).map(|p| render_of(&addr, p)).collect();
    for (i, path) in affected.iter().enumerate() {
        assert!(after[i] > before[i], "{path} was not rendered again: {before:?} -> {after:?}");
    }
    for (i, path) in unaffected.iter().enumerate() {
        let i = i + affected.len();
        assert_eq!(after[i], before[i], "{path} was rendered again: {before:?} -> {after:?}");
    }
    assert!(server.interrupt());
}

/// Issue 10: a template (of the theme) changes every page: everything is rendered again, and
/// the change shows on a page no content edit would touch.
#[test]
fn issue_10_a_template_edit_renders_everything_again() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let addr = server.addr.clone();
    let mut events = Events::open(&addr);
    events.wait_for("hello");
    let paths = ["/gioi-thieu/", "/canh-bao/canh-bao-mau/", "/assets/style.css"];
    let before: Vec<u64> = paths.iter().map(|p| render_of(&addr, p)).collect();
    assert!(!text_of(&addr, "/gioi-thieu/", "body").contains("Bản thử mẫu mới"));

    edit(site.path(), "themes/default/templates/base.html", "</body>", "<p id=\"mau-moi\">Bản thử mẫu mới</p></body>");
    events.wait_for("reload");
    assert_eq!(text_of(&addr, "/gioi-thieu/", "#mau-moi"), "Bản thử mẫu mới");
    let after: Vec<u64> = paths.iter().map(|p| render_of(&addr, p)).collect();
    for (i, path) in paths.iter().enumerate() {
        assert!(after[i] > before[i], "{path} was not rendered again: {before:?} -> {after:?}");
    }
    assert!(server.interrupt());
}

/// Issue 10: pages are rendered when asked for, but a template error on a page nobody opened
/// still shows: the background check runs every job after a change and reports the first error
/// in the terminal and the overlay, naming the page and the template.
#[test]
fn issue_10_an_error_on_a_page_nobody_opened_is_reported() {
    let site = new_site();
    let mut server = Server::start(site.path());
    let mut events = Events::open(&server.addr);
    events.wait_for("hello");
    edit(
        site.path(),
        "themes/default/templates/terms.html",
        "{% block content %}",
        "{% block content %}{{ khong_co.x }}",
    );
    events.wait_for("reload");
    let error = events.wait_for("build-error");
    assert!(error.contains("terms.html"), "{error}");
    server.wait_for_line("terms.html");
    let (status, body) = get(&server.addr, "/gioi-thieu/");
    assert_eq!(status, 200);
    assert!(body.contains("id=\"canhbao-overlay\""), "the overlay is shown on other pages");
    assert!(server.interrupt());
}
