//! `canhbao serve` (issue 4), run as a process on 127.0.0.1 with a free port (`--port 0`):
//! pages are served, a change rebuilds and reloads, a broken file shows the overlay and the
//! server recovers, traversal is refused, Ctrl-C stops it. Every wait is bounded (at most
//! 30 s), and every test stops its server itself (SIGINT, then kill as a last resort).
#![cfg(all(feature = "serve", unix))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

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
        let mut child = Command::new(env!("CARGO_BIN_EXE_canhbao"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site)
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("NO_COLOR", "1")
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
        let mut server = Server { child, addr: String::new(), lines, log: Vec::new() };
        let line = server.wait_for_line("Serving the site at http://");
        let url = line.split_whitespace().find(|w| w.starts_with("http://127.0.0.1:")).unwrap();
        server.addr = url.trim_start_matches("http://").to_string();
        server
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

/// One HTTP/1.1 request with the path sent exactly as given; returns (status, body).
fn get(addr: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let response = String::from_utf8_lossy(&response).into_owned();
    let status = response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = response.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    (status, body)
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
    assert!(body.contains("<script src=\"/__canhbao/live.js\" defer></script></body>"), "{body}");
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
    assert!(body.contains("generation: 2"));

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
    assert!(error.contains("help: did you mean \\\"gia-danh-co-quan-chuc-nang\\\"?"), "{error}");
    server.wait_for_line("unknown scam type \"gia-danh-co-quan-chuc-nangg\"");

    // The last good site is still served, with the overlay showing the same message.
    let (status, body) = get(&server.addr, "/canh-bao/canh-bao-mau/");
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
