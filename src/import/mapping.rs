//! The mapping file (`import-map.yaml`): how the labels, tags and categories of the old site
//! become the site's scam types and audiences. The first run writes it with every label found
//! and a suggested key (matched without diacritics against `site.yaml`); the editor confirms or
//! corrects it and runs the import again. A label with no target is reported, never dropped in
//! silence; `skip` drops it on purpose.
//!
//! ```yaml
//! labels:
//!   "Giả danh ngân hàng": scams/gia-danh-ngan-hang   # suggested
//!   "Người già": audiences/nguoi-cao-tuoi
//!   "Tin tức": skip
//!   "Sự kiện": ""          # not decided: reported by every run
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::{Config, Term};
use crate::diagnostics::{self, Diagnostic};
use crate::messages::{Message, Vocabulary};
use crate::text;

/// The default name of the mapping file, in the site root.
pub const DEFAULT_FILE: &str = "import-map.yaml";

/// What a label becomes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Target {
    pub scams: Vec<String>,
    pub audiences: Vec<String>,
    /// `skip`: dropped on purpose.
    pub skip: bool,
}

impl Target {
    pub fn is_unmapped(&self) -> bool {
        !self.skip && self.scams.is_empty() && self.audiences.is_empty()
    }
}

/// The labels of a mapping file.
#[derive(Debug, Clone, Default)]
pub struct Mapping {
    pub labels: BTreeMap<String, Target>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    labels: Option<BTreeMap<String, Option<Spanned<String>>>>,
}

/// Reads a mapping file; every bad target is reported at its line.
pub fn parse(text: &str, path: &str, config: &Config) -> Result<Mapping, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Ok(Mapping::default());
    }
    let raw: RawMapping = serde_saphyr::from_str(text).map_err(|e| vec![diagnostics::from_yaml_error(path, 0, &e)])?;
    let mut problems = Vec::new();
    let mut mapping = Mapping::default();
    for (label, value) in raw.labels.unwrap_or_default() {
        let mut target = Target::default();
        if let Some(value) = value {
            let (line, column) = (value.referenced.line() as usize, value.referenced.column() as usize);
            for part in value.value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                match parse_target(part, config) {
                    Ok(Some((Vocabulary::Scams, key))) => target.scams.push(key),
                    Ok(Some((Vocabulary::Audiences, key))) => target.audiences.push(key),
                    Ok(None) => target.skip = true,
                    Err(d) => problems.push(d.at_path(path).at(line, column)),
                }
            }
        }
        mapping.labels.insert(text::nfc(label.trim()), target);
    }
    if problems.is_empty() { Ok(mapping) } else { Err(problems) }
}

/// A diagnostic waiting for its path.
struct Pending(Diagnostic);

impl Pending {
    fn at_path(self, path: &str) -> Diagnostic {
        Diagnostic { path: path.to_string(), ..self.0 }
    }
}

/// `scams/KEY`, `audiences/KEY` or `skip` (None).
fn parse_target(part: &str, config: &Config) -> Result<Option<(Vocabulary, String)>, Pending> {
    if part == "skip" {
        return Ok(None);
    }
    let (vocabulary, key, terms) = match part.split_once('/') {
        Some(("scams", key)) => (Vocabulary::Scams, key, &config.scams),
        Some(("audiences", key)) => (Vocabulary::Audiences, key, &config.audiences),
        _ => return Err(Pending(Diagnostic::new("", Message::ImportMapBadTarget { value: part.to_string() }))),
    };
    let key = text::nfc(key.trim());
    if terms.iter().any(|t| t.key == key) {
        return Ok(Some((vocabulary, key)));
    }
    Err(Pending(diagnostics::unknown_term("", vocabulary, &key, terms.iter().map(|t| t.key.as_str()))))
}

/// The key of the site's vocabulary a label most likely means (`scams/gia-danh-ngan-hang`),
/// matched without diacritics on the key and the name; None when nothing is close.
pub fn suggest(label: &str, config: &Config) -> Option<String> {
    let folded = text::fold(label.trim());
    let slug = text::slugify(label);
    let mut best: Option<(f64, String)> = None;
    for (vocabulary, terms) in [(Vocabulary::Scams, &config.scams), (Vocabulary::Audiences, &config.audiences)] {
        for term in terms.iter() {
            let score = score(&folded, &slug, term);
            if score >= 0.88 && best.as_ref().is_none_or(|(b, _)| score > *b) {
                best = Some((score, format!("{}/{}", vocabulary.key(), term.key)));
            }
        }
    }
    best.map(|(_, target)| target)
}

fn score(folded: &str, slug: &str, term: &Term) -> f64 {
    let name = text::fold(&term.name);
    if slug == term.key || folded == name {
        return 1.0;
    }
    // "Giả danh ngân hàng" for "Giả danh ngân hàng, ví điện tử": one contains the other.
    if !slug.is_empty() && (term.key.starts_with(slug) || slug.starts_with(term.key.as_str())) {
        return 0.95;
    }
    strsim::jaro_winkler(folded, &name).max(strsim::jaro_winkler(slug, &term.key))
}

/// The text of a mapping file: every label (with the number of posts that carry it), its target
/// in `old` if there is one, else the suggestion, else `""`.
pub fn render(labels: &BTreeMap<String, usize>, old: &Mapping, config: &Config) -> String {
    let mut out = String::from(
        "# canhbao import: what each label, tag and category of the old site becomes.\n\
         # Write scams/KEY or audiences/KEY (keys of site.yaml; several separated by commas),\n\
         # `skip` to drop a label on purpose, or leave \"\" (the import reports it every time).\n\
         # Suggestions are marked; check them, then run `canhbao import` again.\n\
         # Nhãn/chuyên mục của trang cũ -> thủ đoạn (scams/KHOÁ) hoặc đối tượng (audiences/KHOÁ).\n\
         labels:\n",
    );
    for (label, posts) in labels {
        let key = serde_json::to_string(label).unwrap_or_default();
        let suggested = suggest(label, config);
        let value = match old.labels.get(label) {
            Some(target) => written(target),
            None => suggested.clone().unwrap_or_default(),
        };
        // The note depends only on the value, so the file reads the same on every run.
        let note = if value.is_empty() {
            " no match,"
        } else if Some(&value) == suggested.as_ref() {
            " suggested,"
        } else {
            ""
        };
        let value = serde_json::to_string(&value).unwrap_or_default();
        out.push_str(&format!("  {key}: {value}   #{note} {posts} post(s)\n"));
    }
    out
}

fn written(target: &Target) -> String {
    if target.skip {
        return "skip".into();
    }
    let scams = target.scams.iter().map(|k| format!("scams/{k}"));
    let audiences = target.audiences.iter().map(|k| format!("audiences/{k}"));
    scams.chain(audiences).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        let dir = tempfile::tempdir().unwrap();
        crate::scaffold::init(dir.path()).unwrap();
        let config = Config::load(dir.path(), None, false).unwrap();
        std::mem::forget(dir);
        config
    }

    #[test]
    fn issue_13_suggests_keys_without_diacritics() {
        let config = config();
        assert_eq!(suggest("Giả danh ngân hàng", &config).as_deref(), Some("scams/gia-danh-ngan-hang"));
        assert_eq!(suggest("GIA DANH NGAN HANG", &config).as_deref(), Some("scams/gia-danh-ngan-hang"));
        assert_eq!(suggest("người cao tuổi", &config).as_deref(), Some("audiences/nguoi-cao-tuoi"));
        assert_eq!(suggest("Tin tức", &config), None);
    }

    #[test]
    fn issue_13_reads_targets_and_reports_bad_ones_at_their_line() {
        let config = config();
        let text = "labels:\n  \"A\": scams/gia-danh-ngan-hang, audiences/nguoi-cao-tuoi\n  \"B\": skip\n  \"C\": \"\"\n  \"D\":\n";
        let m = parse(text, "import-map.yaml", &config).unwrap();
        assert_eq!(m.labels["A"].scams, ["gia-danh-ngan-hang"]);
        assert_eq!(m.labels["A"].audiences, ["nguoi-cao-tuoi"]);
        assert!(m.labels["B"].skip && !m.labels["B"].is_unmapped());
        assert!(m.labels["C"].is_unmapped() && m.labels["D"].is_unmapped());
        let bad =
            parse("labels:\n  \"A\": scams/gia-danh-ngan-hangg\n  \"B\": thu-doan\n", "m.yaml", &config).unwrap_err();
        assert_eq!(bad.len(), 2);
        assert_eq!(
            bad[0].to_string(),
            "m.yaml:2:8: unknown scam type \"gia-danh-ngan-hangg\"\n  help: did you mean \"gia-danh-ngan-hang\"?"
        );
        assert_eq!(bad[1].location(), "m.yaml:3:8");
        let rendered = render(&[("A".to_string(), 2), ("Tin tức".to_string(), 1)].into(), &Mapping::default(), &config);
        let again = parse(&rendered, "m.yaml", &config).unwrap();
        assert!(again.labels["Tin tức"].is_unmapped());
    }
}
