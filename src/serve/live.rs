//! Live reload and the error overlay: what the preview server adds to every HTML page.
//!
//! A page gets a `<link>` to [`STYLE_PATH`] and a `<script src>` of [`SCRIPT_PATH`] whose data
//! (the build number, the overlay's heading) is carried in `data-` attributes: nothing inline
//! runs, so the Content-Security-Policy can say `script-src 'self'`. While the last build failed,
//! the overlay is in the page itself (plain HTML, styled by the same stylesheet).

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppState, Status};
use crate::i18n::Lang;
use crate::messages::Message;

/// The live-reload script.
pub const SCRIPT_PATH: &str = "/__canhbao/live.js";
/// The overlay's stylesheet.
pub const STYLE_PATH: &str = "/__canhbao/live.css";
/// The id of the error overlay element.
pub const OVERLAY_ID: &str = "canhbao-overlay";
/// The id of the injected `<script>` element, which carries the page's data.
pub const SCRIPT_ID: &str = "canhbao-live";

const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

pub async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], LIVE_JS)
}

pub async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], LIVE_CSS)
}

/// Adds the live-reload script (and the overlay while the build is broken) to HTML pages, and
/// turns a bare 404 into a small page that can show the overlay. Validators are dropped so a
/// reload always shows the latest build.
pub async fn inject(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let own = super::http::own_route(req.uri().path());
    req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    // A range of a page would be a range of the file, not of the page with the script.
    let name = req.uri().path().rsplit('/').next().unwrap_or("");
    if !name.contains('.') || name.ends_with(".html") || name.ends_with(".htm") {
        req.headers_mut().remove(header::RANGE);
        req.headers_mut().remove(header::IF_RANGE);
    }
    let res = next.run(req).await;
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
    // The page differs from the file (script, overlay): its own length, no validators of the file.
    parts.headers.insert(header::CONTENT_LENGTH, HeaderValue::from(page.len()));
    parts.headers.remove(header::ACCEPT_RANGES);
    parts.headers.remove(header::ETAG);
    parts.headers.remove(header::LAST_MODIFIED);
    Response::from_parts(parts, Body::from(page))
}

/// What is added before `</body>`.
pub fn snippet(status: &Status, lang: Lang) -> String {
    let title = escape(&Message::OverlayTitle.text(lang));
    let mut s = format!(
        "<link rel=\"stylesheet\" href=\"{STYLE_PATH}\"><script id=\"{SCRIPT_ID}\" src=\"{SCRIPT_PATH}\" data-generation=\"{}\" data-title=\"{title}\" defer></script>",
        status.generation
    );
    if let Some(error) = &status.error {
        s.push_str(&format!(
            "<div id=\"{OVERLAY_ID}\" role=\"alert\"><p>{title}</p><pre>{}</pre></div>",
            escape(error)
        ));
    }
    s
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlay_is_escaped_and_only_shown_on_error() {
        let ok = Status { generation: 3, ..Status::default() };
        assert!(!snippet(&ok, Lang::En).contains(OVERLAY_ID));
        assert!(snippet(&ok, Lang::En).contains("data-generation=\"3\""));
        let broken = Status { error: Some("error: <b> & \"x\"".into()), ..ok };
        let s = snippet(&broken, Lang::Vi);
        assert!(s.contains("error: &lt;b&gt; &amp; &quot;x&quot;"), "{s}");
        assert!(s.contains("Không build lại được trang"));
    }

    #[test]
    fn nothing_inline_runs() {
        let s = snippet(&Status { error: Some("x".into()), ..Status::default() }, Lang::En);
        assert!(!s.contains("<script>") && !s.contains("style=") && !s.contains(" on"), "{s}");
    }
}
