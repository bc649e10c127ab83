//! What the server knows of the files around the open ones: the zones the
//! repository's postmortems use, for ranking zone completions.

use super::adapter::CANONICAL_ZONES;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Enough files to know a repository's habits, few enough to stay fast.
const MAX_FILES: usize = 2_000;
/// `timezone:` is near the top of a postmortem.
const READ_AT_MOST: usize = 16 * 1024;

#[derive(Debug)]
pub struct Workspace {
    roots: Vec<PathBuf>,
    /// Canonical zones by how many postmortems use them; `None` until asked.
    zones: Option<HashMap<&'static str, usize>>,
}

impl Workspace {
    pub fn new(roots: Vec<PathBuf>) -> Self {
        Workspace { roots, zones: None }
    }

    /// A file was saved: the counts may have changed.
    pub fn saved(&mut self) {
        self.zones = None;
    }

    /// The zones in use, most used first (ties by name). Without workspace
    /// folders, the folder of the document being edited is searched.
    pub fn zones(&mut self, fallback: Option<&Path>) -> Vec<&'static str> {
        let roots: Vec<PathBuf> = if self.roots.is_empty() {
            fallback.map(Path::to_path_buf).into_iter().collect()
        } else {
            self.roots.clone()
        };
        let counts = self.zones.get_or_insert_with(|| count_zones(&roots));
        let mut zones: Vec<(&'static str, usize)> = counts.iter().map(|(z, n)| (*z, *n)).collect();
        zones.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        zones.into_iter().map(|(zone, _)| zone).collect()
    }
}

fn count_zones(roots: &[PathBuf]) -> HashMap<&'static str, usize> {
    let mut counts = HashMap::new();
    let Some((first, rest)) = roots.split_first() else {
        return counts;
    };
    let mut walk = ignore::WalkBuilder::new(first);
    for root in rest {
        walk.add(root);
    }
    let files = walk
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml")
        })
        .take(MAX_FILES);
    for entry in files {
        if let Some(zone) = zone_of(entry.path()) {
            *counts.entry(zone).or_insert(0) += 1;
        }
    }
    counts
}

/// The canonical zone a postmortem's top-level `timezone:` names.
fn zone_of(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(READ_AT_MOST as u64)
        .read_to_end(&mut head)
        .ok()?;
    let head = String::from_utf8_lossy(&head);
    head.lines().find_map(|line| {
        let value = line.strip_prefix("timezone:")?;
        let value = value.split(" #").next().unwrap_or(value).trim();
        let value = value.trim_matches(['"', '\'']);
        CANONICAL_ZONES
            .binary_search(&value)
            .ok()
            .map(|i| CANONICAL_ZONES[i])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_are_counted_across_the_repository_most_used_first() {
        let dir = tempfile::tempdir().expect("folder");
        for (name, zone) in [
            ("a.yaml", "Africa/Lagos"),
            ("b.yaml", "'Europe/Paris'"),
            ("c.yml", "Europe/Paris # office"),
            ("d.yaml", "PST"),
        ] {
            std::fs::write(
                dir.path().join(name),
                format!("title: x\ntimezone: {zone}\n"),
            )
            .expect("write");
        }
        let mut workspace = Workspace::new(vec![dir.path().to_path_buf()]);
        assert_eq!(workspace.zones(None), ["Europe/Paris", "Africa/Lagos"]);
    }
}
