//! What the preview server checks and adds around every request, so that it answers only the
//! editor's browser, only with files of the site's route table, and with headers that keep a
//! page from doing more than the theme needs:
//! - [`check_host`]: the `Host` must be `localhost` or an IP address this server answers on
//!   (a web page elsewhere cannot reach the preview through DNS rebinding);
//! - [`check_path`]: a path that is too long, badly percent-encoded, not UTF-8 or that tries to
//!   leave the site is refused with a 4xx before anything is looked up;
//! - [`site_file`]: a file is served only if the route table lists it (issue 10: rendered in
//!   memory from the model; copies are read from the source files the table names), else the
//!   site's 404 page;
//! - [`finish`]: `HEAD` is answered as `GET` without the body (same headers), and every response
//!   gets `X-Content-Type-Options`, the Content-Security-Policy, `charset=utf-8` on text and
//!   `Cache-Control: no-store`.

use std::net::IpAddr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::preview::{Answer, Rendered};
use crate::i18n::Lang;
use crate::messages::Message;

/// Longer request paths are refused with 414 (no page of a site has a path near this long).
pub const MAX_PATH: usize = 2048;

/// Whether `path` is one of the server's own routes (the event stream, the live-reload script
/// and its stylesheet), exactly: any other path, `/__canhbao/…` included, names a
/// file of the site and gets every check of [`site_file`].
pub fn own_route(path: &str) -> bool {
    [super::EVENTS_PATH, super::live::SCRIPT_PATH, super::live::STYLE_PATH].contains(&path)
}

/// Refuses requests whose `Host` is not this server (see [`host_allowed`]) with 403.
pub async fn check_host(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    // An absolute-form request (`GET http://x/ HTTP/1.1`) names its host in the URI.
    let host = match req.uri().authority() {
        Some(authority) => Some(authority.as_str()),
        None => match (hosts.next(), hosts.next()) {
            (Some(host), None) => host.to_str().ok(),
            _ => None,
        },
    };
    if !host.is_some_and(|h| host_allowed(h, state.bind, state.port)) {
        return refusal(StatusCode::FORBIDDEN, &Message::HostRefused, state.lang);
    }
    next.run(req).await
}

/// A refused request, with [`refusal_line`] as its body.
fn refusal(status: StatusCode, why: &Message, lang: Lang) -> Response {
    (status, refusal_line(status, why, lang)).into_response()
}

/// The status (`403 Forbidden`), then why, in the editor's language.
fn refusal_line(status: StatusCode, why: &Message, lang: Lang) -> String {
    format!("{} {}: {}\n", status.as_str(), status.canonical_reason().unwrap_or(""), why.text(lang))
}

/// Whether a `Host` value names this server: `localhost`, a loopback address or the bound
/// address (with `--bind 0.0.0.0` or `::`, any IP address, as a phone uses the LAN address);
/// without a port or with `port`. Any other name is refused: a page on `evil.example` whose
/// name was made to point at 127.0.0.1 (DNS rebinding) sends `Host: evil.example`.
pub fn host_allowed(host: &str, bind: IpAddr, port: u16) -> bool {
    let (name, given_port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((ip, after)) = rest.split_once(']') else { return false };
        let port = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        let Ok(ip) = ip.parse::<std::net::Ipv6Addr>() else { return false };
        (Some(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        };
        if name.eq_ignore_ascii_case("localhost") {
            (None, port)
        } else {
            let Ok(ip) = name.parse::<std::net::Ipv4Addr>() else { return false };
            (Some(IpAddr::V4(ip)), port)
        }
    };
    let port_ok = given_port.is_none_or(|p| p.parse::<u16>() == Ok(port));
    let ip_ok = name.is_none_or(|ip| ip.is_loopback() || ip == bind || bind.is_unspecified());
    port_ok && ip_ok
}

/// Refuses, with a 4xx and before anything reads the disk, paths that are too long (414), not
/// percent-encoded properly or not UTF-8 once decoded (400), or that try to leave the folder
/// (400, see [`is_traversal`]).
pub async fn check_path(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if path.len() > MAX_PATH {
        return refusal(StatusCode::URI_TOO_LONG, &Message::RequestPathTooLong { max: MAX_PATH }, state.lang);
    }
    if crate::urls::decode_strict(path).is_err() {
        return refusal(StatusCode::BAD_REQUEST, &Message::RequestPathMalformed, state.lang);
    }
    if is_traversal(path) {
        return refusal(StatusCode::BAD_REQUEST, &Message::RequestPathNotAllowed, state.lang);
    }
    next.run(req).await
}

/// True for a path that [`crate::urls::site_path`] refuses (`..` or `.` segments, also
/// percent-encoded, even twice; backslashes, NUL, control characters, a `//` start, escapes that
/// do not decode), and, for the preview server only, a `:` in a segment (a drive letter).
pub fn is_traversal(path: &str) -> bool {
    crate::urls::site_path(path).ok().is_none_or(|p| p.split('/').any(|s| s.contains(':')))
}

/// Answers a file of the site from the preview in memory ([`super::preview`]): the file the
/// route table lists for the path (`/x/` is `x/index.html`), rendered by its job if it is not
/// kept; a folder asked for without its `/` is redirected; anything else is the site's 404 page
/// with status 404 (a bare 404 before a model was loaded, which the live-reload layer turns into
/// a page that can show the overlay). A job that fails is an error in the terminal and the
/// overlay, with status 500. Every response of a rendered file says which job run made it
/// (`X-Canhbao-Render`). Only the exact routes of [`own_route`] are not files of the site.
pub async fn site_file(State(state): State<AppState>, req: Request) -> Response {
    let Ok(path) = crate::urls::decode_strict(req.uri().path()) else {
        return refusal(StatusCode::BAD_REQUEST, &Message::RequestPathMalformed, state.lang);
    };
    let rel = path.trim_start_matches('/');
    let file = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    let preview = state.preview.clone();
    let asked = file.clone();
    let found = tokio::task::spawn_blocking(move || {
        let found = preview.get(&asked);
        // Files kept where the job says (static files, the cache) are read here, off the runtime.
        let read = |r: &Rendered| r.content.read().map(|bytes| (bytes, r.render));
        match found {
            Answer::File(r) => Ok(Some((StatusCode::OK, read(&r)))),
            Answer::Missing(Some(r)) => Ok(Some((StatusCode::NOT_FOUND, read(&r)))),
            Answer::Missing(None) => Ok(None),
            Answer::Redirect(to) => Err(Ok(to)),
            Answer::Failed(e) => Err(Err(e)),
        }
    })
    .await;
    let (status, read, name) = match found {
        Ok(Ok(Some((status, read)))) => {
            let name = if status == StatusCode::NOT_FOUND { "404.html" } else { file.as_str() };
            (status, read, name)
        }
        Ok(Ok(None)) => return StatusCode::NOT_FOUND.into_response(),
        Ok(Err(Ok(to))) => {
            let location = match req.uri().query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
        }
        Ok(Err(Err(e))) => return (state.failed)(e),
        Err(e) => return (state.failed)(anyhow::anyhow!("the preview stopped rendering: {e}")),
    };
    let (bytes, render) = match read {
        Ok(read) => read,
        Err(e) => return (state.failed)(e),
    };
    let mime = mime_guess::from_path(name).first_raw().unwrap_or("application/octet-stream");
    // The length is said here: [`finish`] answers HEAD with an empty body and these headers.
    let length = bytes.len();
    let mut res = (status, [(header::CONTENT_TYPE, mime)], bytes).into_response();
    res.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    res.headers_mut().insert(RENDER_HEADER, HeaderValue::from(render));
    res
}

/// The header naming the job run that made a file (see [`site_file`]).
pub const RENDER_HEADER: &str = "x-canhbao-render";

/// Answers `HEAD` as `GET` without the body (so the headers, `Content-Length` included, are
/// the same), and adds the security and caching headers to every response.
pub async fn finish(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let head = req.method() == Method::HEAD;
    if head {
        *req.method_mut() = Method::GET;
    }
    let csp = state.status.borrow().csp.clone();
    let mut res = next.run(req).await;
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let charset = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(with_charset);
    if let Some(value) = charset.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    if head {
        let (parts, _) = res.into_parts();
        return Response::from_parts(parts, Body::empty());
    }
    res
}

/// `text/html` -> `text/html; charset=utf-8`, for text types without a charset (HTML, CSS,
/// JavaScript, JSON, XML, SVG, plain text); `None` for anything else. Every text file of a
/// build is UTF-8.
pub fn with_charset(content_type: &str) -> Option<String> {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let text = (essence.starts_with("text/") && essence != "text/event-stream")
        || matches!(essence.as_str(), "application/javascript" | "application/json" | "application/xml")
        || essence.ends_with("+xml")
        || essence.ends_with("+json");
    (text && !content_type.to_ascii_lowercase().contains("charset=")).then(|| format!("{essence}; charset=utf-8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
    const ANY: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

    #[test]
    fn host_is_localhost_or_an_address_of_this_server() {
        for good in ["localhost", "LOCALHOST:1111", "127.0.0.1", "127.0.0.1:1111", "[::1]", "[::1]:1111"] {
            assert!(host_allowed(good, LOOPBACK, 1111), "{good}");
        }
        for bad in [
            "evil.example",
            "evil.example:1111",
            "localhost.evil.example",
            "127.0.0.1.nip.io:1111",
            "127.0.0.1:2222",
            "localhost:x",
            "192.168.1.20:1111",
            "[::1",
            "[::1]x",
            "::1",
            "",
        ] {
            assert!(!host_allowed(bad, LOOPBACK, 1111), "{bad}");
        }
        // Bound to every interface: a phone uses the LAN address; names stay refused.
        assert!(host_allowed("192.168.1.20:1111", ANY, 1111));
        assert!(host_allowed("[fe80::1]:1111", ANY, 1111));
        assert!(!host_allowed("my-laptop.local:1111", ANY, 1111));
        // Bound to one address: that one (and loopback) only.
        let lan = IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20));
        assert!(host_allowed("192.168.1.20:1111", lan, 1111));
        assert!(!host_allowed("192.168.1.21:1111", lan, 1111));
        assert!(host_allowed("[::1]:1111", IpAddr::V6(Ipv6Addr::LOCALHOST), 1111));
    }

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
    fn refusals_say_why_in_the_editors_language() {
        assert_eq!(
            refusal_line(StatusCode::FORBIDDEN, &Message::HostRefused, Lang::En),
            "403 Forbidden: this preview answers only to localhost and IP addresses, not to other host names \
             (a protection against DNS rebinding)\n"
        );
        let vi = refusal_line(StatusCode::FORBIDDEN, &Message::HostRefused, Lang::Vi);
        assert!(vi.starts_with("403 Forbidden: bản xem trước chỉ trả lời localhost"), "{vi}");
        let long = Message::RequestPathTooLong { max: MAX_PATH };
        assert_eq!(
            refusal_line(StatusCode::URI_TOO_LONG, &long, Lang::En),
            "414 URI Too Long: this path is longer than 2048 characters\n"
        );
        assert_eq!(
            refusal_line(StatusCode::BAD_REQUEST, &Message::RequestPathNotAllowed, Lang::En),
            "400 Bad Request: this path is not allowed\n"
        );
    }

    /// Issue 9: every path under `/__canhbao/` used to skip the checks of `contain` (now [`site_file`]).
    #[test]
    fn only_the_exact_own_routes_skip_the_checks() {
        for own in ["/__canhbao/events", "/__canhbao/live.js", "/__canhbao/live.css"] {
            assert!(own_route(own), "{own}");
        }
        for file in ["/__canhbao/", "/__canhbao/x", "/__canhbao/events/", "/__canhbao/live.js/x", "/__canhbao/../x"] {
            assert!(!own_route(file), "{file}");
        }
    }

    #[test]
    fn text_types_get_a_charset() {
        assert_eq!(with_charset("text/html").as_deref(), Some("text/html; charset=utf-8"));
        assert_eq!(with_charset("text/css").as_deref(), Some("text/css; charset=utf-8"));
        assert_eq!(with_charset("text/javascript").as_deref(), Some("text/javascript; charset=utf-8"));
        assert_eq!(with_charset("application/json").as_deref(), Some("application/json; charset=utf-8"));
        assert_eq!(with_charset("image/svg+xml").as_deref(), Some("image/svg+xml; charset=utf-8"));
        assert_eq!(with_charset("application/atom+xml").as_deref(), Some("application/atom+xml; charset=utf-8"));
        assert_eq!(with_charset("text/html; charset=utf-8"), None);
        assert_eq!(with_charset("image/png"), None);
        assert_eq!(with_charset("text/event-stream"), None);
    }
}
