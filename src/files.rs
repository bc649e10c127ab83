//! Finding and reading postmortem files.

use crate::source::Source;
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

/// What reading an input gave: its text, or why it is not text.
#[derive(Debug)]
pub enum Loaded {
    Text(Source),
    /// Bytes that are not UTF-8 text (binary data, another encoding): the
    /// text up to the first bad byte, for positions.
    NotText {
        name: String,
        valid: String,
    },
}

/// Reads an input whole.
pub fn read(input: &Input) -> Result<Loaded, Error> {
    let name = input.name();
    let mut bytes = Vec::new();
    let result = match input {
        Input::File(path) => std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)),
        Input::Stdin => std::io::stdin().read_to_end(&mut bytes),
    };
    result.map_err(|cause| Error::Io {
        path: name.clone(),
        cause,
    })?;
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Loaded::Text(Source::new(name, &text))),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let mut bytes = err.into_bytes();
            bytes.truncate(valid_up_to);
            Ok(Loaded::NotText {
                name,
                valid: String::from_utf8(bytes).unwrap_or_default(),
            })
        }
    }
}
