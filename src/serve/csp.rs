//! The preview's Content-Security-Policy: everything from the preview's own origin, nothing
//! from a third-party host, no plugins, and no inline script except the few that the site's
//! templates themselves contain (the theme's redirect and leaflet scripts), allowed by their
//! SHA-256 hashes. A `<script>` that reaches a page any other way (raw HTML in Markdown, an
//! injected `onerror=`) does not run in the preview.
//!
//! The hashed templates are exactly those the build uses ([`templates::sources`]: the site's
//! `templates/` and the configured theme's; a symbolic link inside them is not a template): the
//! scripts of another theme folder, or of a file linked in from elsewhere, are not allowed.
//!
//! Inline styles stay allowed: the leaflets are self-contained pages with a `<style>` made
//! from their paper size, and a style cannot run code.

use std::collections::BTreeSet;

use anyhow::Result;
use base64::Engine as _;
use sha2::{Digest, Sha256};

use crate::config::Config;
use crate::render::templates;

/// The policy for the templates a build of `config` uses (read again at every build, so an
/// edited template is allowed at once). An error when a template cannot be read; the build
/// reports it.
pub fn policy(config: &Config) -> Result<String> {
    let sources = templates::sources(config)?;
    let hashes: BTreeSet<String> = sources.values().flat_map(|(source, _)| inline_scripts(source)).map(hash).collect();
    Ok(with_scripts(&hashes))
}

/// The policy that allows no inline script at all, until the templates can be read.
pub fn strict() -> String {
    with_scripts(&BTreeSet::new())
}

fn with_scripts(hashes: &BTreeSet<String>) -> String {
    let scripts: String = hashes.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self'{scripts}; style-src 'self' 'unsafe-inline'; object-src 'none'; \
         base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// `sha256-<base64>` of a script's text, as CSP expects it.
pub fn hash(script: &str) -> String {
    format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes())))
}

/// The text of each inline JavaScript `<script>` of a template (no `src`, no data type such as
/// `application/ld+json`) that holds no template tag: only those render the same every time.
pub fn inline_scripts(template: &str) -> Vec<&str> {
    let lower = template.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<script").map(|i| i + from) {
        let after = start + "<script".len();
        let Some(tag_end) = lower[after..].find('>').map(|i| i + after) else { break };
        let attributes = &lower[after..tag_end];
        if !(attributes.is_empty() || attributes.starts_with(char::is_whitespace)) {
            from = after;
            continue;
        }
        let Some(close) = lower[tag_end..].find("</script").map(|i| i + tag_end) else { break };
        from = close;
        let body = &template[tag_end + 1..close];
        let templated = ["{{", "{%", "{#"].iter().any(|t| body.contains(t));
        if !has_attribute(attributes, "src") && runs(attributes) && !templated && !body.trim().is_empty() {
            found.push(body);
        }
    }
    found
}

/// Whether an attribute list (lower case) has the attribute `name`.
fn has_attribute(attributes: &str, name: &str) -> bool {
    attributes
        .split(|c: char| c.is_whitespace() || c == '/')
        .any(|a| a == name || a.strip_prefix(name).is_some_and(|rest| rest.starts_with('=')))
}

/// Whether a `<script>` with these attributes is JavaScript (no `type`, or a JavaScript one).
fn runs(attributes: &str) -> bool {
    let Some(i) = attributes.find("type=") else { return true };
    let value = attributes[i + "type=".len()..].trim_start_matches(['"', '\'']);
    let value = value.split(['"', '\'', ' ', '>']).next().unwrap_or("");
    matches!(value, "" | "text/javascript" | "application/javascript" | "module")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_fixed_inline_javascript_is_hashed() {
        let template = r#"<script defer src="{{ asset(path="a.js") }}"></script>
<script type="application/ld+json">{{ og.json_ld | safe }}</script>
<script id="cb-target" type="application/json" data-href="{{ target }}"></script>
<script>location.replace(document.getElementById('cb-target').dataset.href);</script>
<SCRIPT type="text/javascript">var a = 1;</SCRIPT>
<script>var b = "{{ value }}";</script>
<scripted>no</scripted>"#;
        assert_eq!(
            inline_scripts(template),
            ["location.replace(document.getElementById('cb-target').dataset.href);", "var a = 1;"]
        );
    }

    #[test]
    fn hashes_are_the_csp_form() {
        // `echo -n "alert(1)" | openssl sha256 -binary | base64`
        assert_eq!(hash("alert(1)"), "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
    }

    #[test]
    fn the_default_theme_is_covered() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let policy = policy(&Config::load(root, None, false).unwrap()).unwrap();
        assert!(policy.starts_with("default-src 'self'; script-src 'self' 'sha256-"), "{policy}");
        assert!(!policy.contains("http"), "no third-party host: {policy}");
        let leaflet = std::fs::read_to_string(root.join("themes/default/templates/leaflet.html")).unwrap();
        for script in inline_scripts(&leaflet) {
            assert!(policy.contains(&hash(script)), "{script}");
        }
        assert_eq!(strict().matches("sha256-").count(), 0);
        assert!(strict().starts_with("default-src 'self'; script-src 'self'; style-src"), "{}", strict());
    }
}
