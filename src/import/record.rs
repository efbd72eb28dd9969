//! Safe, repeatable writes: `.canhbao-import.json` in the site root records every file the
//! import wrote with a hash of its bytes. A later run updates a file only when it is still
//! exactly what the import wrote; a file the editor changed, or one the import did not write,
//! is never overwritten (it is reported). A dry run decides the same way and writes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::fs_util;

/// The record of what the import wrote, in the site root.
pub const RECORD_FILE: &str = ".canhbao-import.json";

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    /// Site-relative path (`/` separators) -> SHA-256 of the bytes written, in hex.
    pub files: BTreeMap<String, String>,
}

/// A file the import wants to write (site-relative path).
#[derive(Debug, Clone)]
pub struct Planned {
    pub rel: String,
    pub bytes: Vec<u8>,
}

/// What happened (or, in a dry run, would happen) to a planned file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Created,
    Updated,
    Unchanged,
    /// The editor changed it since the import wrote it: kept.
    KeptEdited,
    /// The import did not write it: kept.
    KeptExisting,
}

impl Record {
    /// The record of `root`, or an empty one; a damaged record is an error naming it.
    pub fn load(root: &Path) -> Result<Record> {
        let path = root.join(RECORD_FILE);
        if !path.exists() {
            return Ok(Record::default());
        }
        let bytes = fs_util::read(&path)?;
        serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!("`{}` is damaged (line {}, column {}): {e}", path.display(), e.line(), e.column())
        })
    }

    pub fn save(&self, root: &Path) -> Result<()> {
        let mut json = serde_json::to_string_pretty(self)?;
        json.push('\n');
        fs_util::write(&root.join(RECORD_FILE), json.as_bytes())
    }
}

pub fn hash(bytes: &[u8]) -> String {
    crate::cache::hex(&Sha256::digest(bytes))
}

/// Writes (unless `dry_run`) each planned file that is new or still as the import left it.
pub fn apply(root: &Path, plans: &[Planned], record: &mut Record, dry_run: bool) -> Result<Vec<(String, Status)>> {
    let mut out = Vec::new();
    for plan in plans {
        let path = target(root, &plan.rel)?;
        let new_hash = hash(&plan.bytes);
        let status = match std::fs::symlink_metadata(&path) {
            Err(_) => Status::Created,
            Ok(meta) if !meta.is_file() => Status::KeptExisting,
            Ok(_) => {
                let current = hash(&fs_util::read(&path)?);
                match record.files.get(&plan.rel) {
                    _ if current == new_hash => Status::Unchanged,
                    Some(recorded) if *recorded == current => Status::Updated,
                    Some(_) => Status::KeptEdited,
                    None => Status::KeptExisting,
                }
            }
        };
        if matches!(status, Status::Created | Status::Updated | Status::Unchanged) {
            if !dry_run && status != Status::Unchanged {
                if let Some(parent) = path.parent() {
                    fs_util::create_dir_all(parent)?;
                }
                fs_util::write(&path, &plan.bytes)?;
            }
            record.files.insert(plan.rel.clone(), new_hash);
        }
        out.push((plan.rel.clone(), status));
    }
    Ok(out)
}

/// The path of `rel` under `root`, refusing a path that would leave the site (a `..`, or a
/// folder on the way that is a symbolic link).
fn target(root: &Path, rel: &str) -> Result<PathBuf> {
    if crate::urls::relative_path(rel).is_err() {
        anyhow::bail!("refusing to write `{rel}`: not a path inside the site");
    }
    let mut path = root.to_path_buf();
    let segments: Vec<&str> = rel.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        path.push(segment);
        let last = i + 1 == segments.len();
        if !last && std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!("refusing to write `{}`: `{}` is a symbolic link", rel, path.display());
        }
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_13_updates_only_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let mut record = Record::default();
        let plan = |bytes: &str| vec![Planned { rel: "content/a.md".into(), bytes: bytes.as_bytes().to_vec() }];
        assert_eq!(apply(root, &plan("1"), &mut record, true).unwrap()[0].1, Status::Created);
        assert!(!root.join("content/a.md").exists(), "a dry run writes nothing");
        let mut record = Record::default();
        assert_eq!(apply(root, &plan("1"), &mut record, false).unwrap()[0].1, Status::Created);
        assert_eq!(apply(root, &plan("1"), &mut record, false).unwrap()[0].1, Status::Unchanged);
        assert_eq!(apply(root, &plan("2"), &mut record, false).unwrap()[0].1, Status::Updated);
        assert_eq!(std::fs::read_to_string(root.join("content/a.md")).unwrap(), "2");
        std::fs::write(root.join("content/a.md"), "edited").unwrap();
        assert_eq!(apply(root, &plan("3"), &mut record, false).unwrap()[0].1, Status::KeptEdited);
        assert_eq!(std::fs::read_to_string(root.join("content/a.md")).unwrap(), "edited");
        std::fs::write(root.join("content/b.md"), "mine").unwrap();
        let other = vec![Planned { rel: "content/b.md".into(), bytes: b"import".to_vec() }];
        assert_eq!(apply(root, &other, &mut record, false).unwrap()[0].1, Status::KeptExisting);
        assert!(apply(root, &[Planned { rel: "../x".into(), bytes: vec![] }], &mut record, false).is_err());
    }
}
