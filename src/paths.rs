//! Paths as links: relative, `/`-separated and percent-encoded.

use std::path::{Component, Path};

/// A relative link from a folder to a file, `/`-separated and
/// percent-encoded. `None` if no relative path exists (another drive).
pub fn relative_link(from_dir: &Path, to: &Path) -> Option<String> {
    let from = normalize(&std::path::absolute(from_dir).ok()?);
    let to = normalize(&std::path::absolute(to).ok()?);
    let common = from
        .iter()
        .zip(to.iter())
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return None;
    }
    let ups = from.len() - common;
    let parts: Vec<String> = std::iter::repeat_n("..".to_owned(), ups)
        .chain(to[common..].iter().map(|c| encode_segment(c)))
        .collect();
    Some(parts.join("/"))
}

/// Path components with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop();
            }
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts
}

/// Percent-encodes all but the characters a URI path segment may hold as
/// they are (for Markdown links, SARIF URIs and schema modelines).
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::new();
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_encoded() {
        let link = |from: &str, to: &str| relative_link(Path::new(from), Path::new(to));
        assert_eq!(link("/a/b", "/a/b/c.md").as_deref(), Some("c.md"));
        assert_eq!(
            link("/a/b", "/a/x/y z.md").as_deref(),
            Some("../x/y%20z.md")
        );
        assert_eq!(link("/a/b/.", "/a/b/../b/c.md").as_deref(), Some("c.md"));
        assert_eq!(
            link("/a", "/a/é(1).md").as_deref(),
            Some("%C3%A9%281%29.md")
        );
    }
}
