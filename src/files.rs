//! Finding and reading postmortem files.

use std::io::Read;
use std::path::{Path, PathBuf};

/// Where a postmortem comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The name used in output.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Stdin => "<stdin>".to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    // Not `source`: the reason is in the message, and `{:#}` would print it twice.
    #[error("cannot read `{path}`: {cause}")]
    Io { path: String, cause: std::io::Error },
    #[error(
        "cannot read `{path}`: it is {kind}, not a regular file; give the path of a postmortem, or `-` to read stdin"
    )]
    NotRegular { path: String, kind: &'static str },
    #[error("cannot walk `{path}`: {message}")]
    Walk { path: String, message: String },
}

fn is_yaml(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

/// Expands paths: files as given, folders recursively for `*.yaml`/`*.yml`
/// (skipping hidden folders and what `.gitignore` ignores), `-` for stdin.
/// Files come in a stable, sorted order per folder.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<Input>, Error> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let metadata = std::fs::metadata(path).map_err(|cause| Error::Io {
            path: path.display().to_string(),
            cause,
        })?;
        if !metadata.is_dir() {
            inputs.push(Input::File(path.clone()));
            continue;
        }
        let mut found = Vec::new();
        for entry in ignore::WalkBuilder::new(path)
            .hidden(true)
            .sort_by_file_path(Ord::cmp)
            .build()
        {
            let entry = entry.map_err(|err| Error::Walk {
                path: path.display().to_string(),
                message: err.to_string(),
            })?;
            if entry.file_type().is_some_and(|t| t.is_file()) && is_yaml(entry.path()) {
                // `pm check` names files `a.yaml`, not `./a.yaml`, as rg does.
                let path = entry.into_path();
                let path = path
                    .strip_prefix(".")
                    .map(Path::to_path_buf)
                    .unwrap_or(path);
                found.push(Input::File(path));
            }
        }
        inputs.extend(found);
    }
    Ok(inputs)
}

/// Whether a YAML text could be a postmortem: a top-level key `title`,
/// `summary` or `timeline` (block style at column 0, or anywhere in a flow
/// mapping). `pm check` with nothing named and no pm.toml uses it to pass
/// over a docker-compose.yml or a CI workflow in the same folder.
pub fn looks_like_postmortem(text: &str) -> bool {
    const KEYS: [&str; 3] = ["title", "summary", "timeline"];
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let is_key = |rest: &str| {
        let rest = rest.trim_start_matches(['"', '\'']);
        KEYS.iter().any(|key| {
            rest.strip_prefix(key).is_some_and(|after| {
                after
                    .trim_start_matches(['"', '\''])
                    .trim_start()
                    .starts_with(':')
            })
        })
    };
    text.lines().any(&is_key)
        || (text.trim_start().starts_with('{')
            && text.split(['{', ',']).any(|part| is_key(part.trim_start())))
}

/// The size limit on a postmortem, unless configured otherwise: far above
/// any real postmortem (the longest example is under 10 KiB), far below
/// what would make a check slow or memory-hungry.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

/// What reading an input gave.
#[derive(Debug)]
pub enum Loaded {
    /// The bytes, not yet known to be text.
    Bytes { name: String, bytes: Vec<u8> },
    /// Larger than the limit: only the size is known, nothing was kept.
    /// `size` is exact for files, and a lower bound for stdin or a file
    /// that grew while it was read.
    TooLarge { name: String, size: u64 },
}

/// Reads an input whole, refusing more than `limit` bytes without reading
/// them: a huge file costs a `stat`, not its size in memory.
pub fn read(input: &Input, limit: u64) -> Result<Loaded, Error> {
    let name = input.name();
    let io = |cause| Error::Io {
        path: name.clone(),
        cause,
    };
    let mut bytes = Vec::new();
    match input {
        Input::File(path) => {
            // Devices, sockets and folders are refused before they are
            // opened: `/dev/zero` is endless, not "too large". A FIFO is
            // read as stdin is (`pm check <(cat a.yaml)` is one).
            let meta = std::fs::metadata(path).map_err(io)?;
            let stream = is_fifo(&meta);
            if !meta.is_file() && !stream {
                return Err(Error::NotRegular {
                    path: name,
                    kind: crate::output::kind_of(&meta.file_type()).unwrap_or("a special file"),
                });
            }
            let file = std::fs::File::open(path).map_err(io)?;
            let size = if stream {
                0
            } else {
                file.metadata().map_err(io)?.len()
            };
            if size > limit {
                return Ok(Loaded::TooLarge { name, size });
            }
            // Room for the whole file up front: one read instead of a
            // growing buffer's several.
            bytes.reserve_exact(usize::try_from(size).map_or(0, |size| size.saturating_add(1)));
            // One byte past the limit tells a file that grew since the stat.
            file.take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(io)?;
        }
        Input::Stdin => {
            std::io::stdin()
                .lock()
                .take(limit.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(io)?;
        }
    }
    if bytes.len() as u64 > limit {
        return Ok(Loaded::TooLarge {
            name,
            size: bytes.len() as u64,
        });
    }
    Ok(Loaded::Bytes { name, bytes })
}

#[cfg(unix)]
fn is_fifo(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type())
}

#[cfg(not(unix))]
fn is_fifo(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Parses a size as `--max-file-size` takes it: bytes, or a number with a
/// binary unit (`K`, `M`, `G`, also written `KiB`, `KB`...; all are powers
/// of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write bytes, or a number and K, M or G"))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => {
            return Err(format!(
                "`{text}` has an unknown unit: use K, M or G (powers of 1024)"
            ));
        }
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("`{text}` is too large a size"))
}

/// "1.0 MiB", "30.0 MiB", "512 bytes" for messages.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size {
            return format!("{:.1} {unit}", bytes as f64 / size as f64);
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postmortems_are_told_from_other_yaml() {
        assert!(looks_like_postmortem("title: x\n"));
        assert!(looks_like_postmortem("\u{feff}# c\nsummary:\n  start: 1\n"));
        assert!(looks_like_postmortem("\"timeline\": []\n"));
        assert!(looks_like_postmortem("{title: x, status: draft}"));
        assert!(!looks_like_postmortem(
            "services:\n  web:\n    title: nested\n"
        ));
        assert!(!looks_like_postmortem("on: push\njobs: {}\n"));
        assert!(!looks_like_postmortem("titles: x\n"));
    }

    #[test]
    fn sizes_read_like_people_write_them() {
        assert_eq!(parse_size("1048576"), Ok(1_048_576));
        assert_eq!(parse_size("512K"), Ok(512 * 1024));
        assert_eq!(parse_size("2MiB"), Ok(2 << 20));
        assert_eq!(parse_size("1 MB"), Ok(1 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("").is_err());
        assert!(parse_size("1.5M").is_err());
        assert!(parse_size("10T").is_err());
        assert!(parse_size("99999999999999999999").is_err());
        assert!(parse_size("18446744073709551615G").is_err());
        assert_eq!(human_size(30 << 20), "30.0 MiB");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(12), "12 bytes");
    }

    #[test]
    fn files_over_the_limit_are_not_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.yaml");
        std::fs::write(&path, vec![b'#'; 2048]).expect("write");
        let input = Input::File(path);
        assert!(matches!(
            read(&input, 2047),
            Ok(Loaded::TooLarge { size: 2048, .. })
        ));
        assert!(matches!(
            read(&input, 2048),
            Ok(Loaded::Bytes { ref bytes, .. }) if bytes.len() == 2048
        ));
    }
}
