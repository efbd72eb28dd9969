//! Template lookup: the site's `templates/` override the theme's `templates/` by name.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use anyhow::{Context as _, Result};
use tera::{Kwargs, State, Tera, TeraResult};
use walkdir::WalkDir;

use crate::config::Config;
use crate::{content, fs_util, text};

/// Loads the theme's and the site's templates. `assets` maps static file paths
/// (`assets/style.css`) to a short content hash for the `asset()` function.
pub fn load(config: &Config, assets: HashMap<String, String>) -> Result<(Tera, Origins)> {
    let sources = sources(config)?;
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml", ".svg"]);
    tera.set_escape_fn(escape_html);
    let base_path = config.base_path.clone();
    let digest = digest(&sources, &assets, &base_path);
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
        let path: String = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        Ok(match assets.get(path) {
            Some(hash) => format!("{base_path}/{path}?h={hash}"),
            None => format!("{base_path}/{path}"),
        })
    });
    let files = sources.iter().map(|(name, (_, display))| (name.clone(), display.clone())).collect();
    let origins = Origins { files, digest };
    // All at once: inheritance and includes are resolved when every template is known.
    let pairs = sources.iter().map(|(name, (source, _))| (name.as_str(), source.as_str()));
    tera.add_raw_templates(pairs).map_err(|e| origins.error(&e))?;
    Ok((tera, origins))
}

/// Tera's escaping of `{{ value }}` in HTML, XML and SVG templates: the same five characters
/// as its default (`&`, `<`, `>`, `"`, `'`) and the same entities, but the runs between them
/// are copied whole; the default writes every byte on its own through `dyn Write` (issue 10).
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut from = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[from..at])?;
        out.write_all(entity)?;
        from = at + 1;
    }
    out.write_all(&bytes[from..])
}

/// Every template a build of `config` uses, by name (`article.html`): its source and the file
/// it came from (`themes/default/templates/article.html`, or the site's `templates/x.html`,
/// which overrides the theme's of the same name). Only the configured theme is read, and a
/// symbolic link inside the folders is not followed (it is not a template). The preview
/// server hashes the inline scripts of exactly these for its Content-Security-Policy.
pub(crate) fn sources(config: &Config) -> Result<BTreeMap<String, (String, String)>> {
    let theme_templates = config.theme_dir.join("templates");
    if !theme_templates.is_dir() {
        return Err(crate::Message::ThemeNotFound { dir: theme_templates.display().to_string() }.into());
    }
    let mut sources = BTreeMap::new();
    for dir in [&theme_templates, &config.templates_dir] {
        read_templates(dir, &config.root, &mut sources)?;
    }
    Ok(sources)
}

fn read_templates(dir: &Path, root: &Path, out: &mut BTreeMap<String, (String, String)>) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.path().strip_prefix(dir).map(content::slash_path)?;
        let display = entry.path().strip_prefix(root).map(content::slash_path).unwrap_or(name.clone());
        let bytes = fs_util::read(entry.path())?;
        let source = text::decode_source(&bytes).map_err(|e| {
            let message = crate::Message::NotUtf8 { line: e.line, column: e.column };
            crate::ContentErrors(vec![crate::Diagnostic::new(&display, message).at(e.line, e.column)])
        })?;
        out.insert(name, (source, display));
    }
    Ok(())
}

/// Renders `template` to the bytes of its output file. Tera's `render` checks the UTF-8 of what
/// it wrote before making it a `String`, although every piece written is a `str`: issue 10,
/// that check and the copy were 4 % of a cached build's CPU time.
pub fn render_bytes(tera: &Tera, template: &str, ctx: &tera::Context) -> TeraResult<Vec<u8>> {
    let mut out = Vec::with_capacity(16 * 1024);
    tera.render_to(template, ctx, &mut out)?;
    Ok(out)
}

/// A hash of everything the templates are: each template's name and source, and what
/// `asset()` answers (the base path and each static file's content hash).
fn digest(sources: &BTreeMap<String, (String, String)>, assets: &HashMap<String, String>, base_path: &str) -> String {
    let mut parts: Vec<&[u8]> = vec![base_path.as_bytes()];
    for (name, (source, _)) in sources {
        parts.extend([name.as_bytes(), source.as_bytes()]);
    }
    let mut assets: Vec<_> = assets.iter().collect();
    assets.sort();
    for (path, hash) in assets {
        parts.extend([path.as_bytes(), hash.as_bytes()]);
    }
    crate::cache::Cache::key(&parts)
}

/// Which file each template name came from (theme or site), for error messages, and a hash of
/// the templates.
pub struct Origins {
    files: BTreeMap<String, String>,
    digest: String,
}

impl Origins {
    /// A hash of the templates' names and sources and of what `asset()` answers: what a cache
    /// entry made with these templates is keyed with ([`crate::render::material`]).
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// A Tera error with its chain, pointing at the real file (`themes/default/templates/x.html`
    /// or the site's `templates/x.html`) rather than the bare template name.
    pub fn error(&self, err: &tera::Error) -> anyhow::Error {
        let mut message = err.to_string();
        let mut source = std::error::Error::source(err);
        while let Some(cause) = source {
            message.push_str(&format!("\n{cause}"));
            source = cause.source();
        }
        for (name, display) in &self.files {
            message = message.replace(&format!("--> {name}:"), &format!("--> {display}:"));
        }
        let message = message.strip_prefix("error: ").unwrap_or(&message).to_string();
        crate::Message::Template { detail: message }.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_writes_what_teras_own_escaping_writes_issue_10() {
        let inputs = [
            "",
            "Lừa đảo",
            "<script>alert('x')</script>",
            "a & b \"c\" 'd' <e> &amp;",
            "&",
            "'\"<>&",
            "trước & sau — “ngoặc” ‘đơn’ 🙂",
        ];
        for input in inputs {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap(), "{input}");
        }
        let mut tera = Tera::new();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(escape_html);
        tera.add_raw_template("t.html", "<p title=\"{{ v }}\">{{ v }}</p>").unwrap();
        let mut context = tera::Context::new();
        context.insert("v", "Tết <b>& \"x\"</b> 'y'");
        assert_eq!(
            tera.render("t.html", &context).unwrap(),
            "<p title=\"Tết &lt;b&gt;&amp; &quot;x&quot;&lt;/b&gt; &#39;y&#39;\">Tết &lt;b&gt;&amp; &quot;x&quot;&lt;/b&gt; &#39;y&#39;</p>"
        );
    }
}
